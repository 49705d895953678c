/* connectors/typemap.h - column types across engines, in one place.
 *
 * Within one engine a column keeps its declared type verbatim. Across
 * engines the declared type is rebuilt from the engine-neutral class
 * (dp_tclass) plus length/precision/scale, by one table of rules below. A
 * column the target cannot hold without losing data is an error before any
 * row is written, naming table, column and both types.
 */
#ifndef DP_TYPEMAP_H
#define DP_TYPEMAP_H

#include "../base/dp_buf.h"
#include "../base/dp_err.h"
#include "schema.h"

/* Append the target declaration of `col` (of table `table`, from engine
 * `src_engine`) for engine `tgt_engine` ("sqlite", "postgresql", "mysql").
 * `in_key`: the column is part of a key or index (MySQL needs bounded
 * types there). DP_ERR_TYPE when it cannot be represented. */
int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb) DP_MUSTCHECK;

#endif
