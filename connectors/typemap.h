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
#include <stdint.h>
#include "schema.h"

/* Append the target declaration of `col` (of table `table`, from engine
 * `src_engine`) for engine `tgt_engine` ("sqlite", "postgresql", "mysql").
 * `in_key`: the column is part of a key or index (MySQL needs bounded
 * types there). DP_ERR_CONFIG (exit 2, like any plan error) when it cannot
 * be represented exactly. */
int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb) DP_MUSTCHECK;

/* Zoned time types (timestamptz, timetz, "... with time zone"). */
int dp_type_is_zoned(const dp_column *col);
/* MySQL BIGINT UNSIGNED: 0 .. 2^64-1, an exact decimal elsewhere. */
int dp_type_is_unsigned_bigint(const dp_column *col);

/* ---- value rules the writers apply (see typemap.c for why) ---- */

/* 1 when the decimal literal s (n bytes) has at most int_digits digits
 * before the point and frac_digits after it (leading zeros of the integer
 * part and trailing zeros of the fraction not counted): it fits a
 * DECIMAL(int_digits + frac_digits, frac_digits) without rounding. 0 when it
 * does not, or is no decimal literal (NaN, Infinity, garbage). */
int dp_decimal_fits(const char *s, size_t n, int int_digits, int frac_digits);

/* How SQLite stores the exact decimal s exactly: 1 = as INTEGER *iv, 2 = as
 * REAL *dv (at most 15 significant digits), 0 = as TEXT (the text itself). */
int dp_decimal_storage(const char *s, size_t n, int64_t *iv, double *dv);

/* Convert the zoned timestamp ("YYYY-MM-DD HH:MM:SS[.f]+HH[:MM[:SS]]", 'Z'
 * too) or, with is_time, time of day ("HH:MM:SS[.f]+HH") s to UTC without
 * its offset, into out (NUL-terminated). Returns the length written; 0 when
 * s has no offset (use it as it is); -1 when s is no such value or the
 * result is outside years 1..9999 (infinity, BC dates). */
int dp_time_to_utc(const char *s, size_t n, int is_time, char *out, size_t outsz);

#endif
