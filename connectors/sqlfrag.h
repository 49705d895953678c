/* connectors/sqlfrag.h - user SQL fragments (subset `where`, `include_when`).
 *
 * A fragment is a predicate the user wrote; doppel places it, on lines of
 * its own, inside parentheses of a source SELECT. Before that it must pass
 * dp_sql_fragment_check: lexed in the source engine's dialect (literals,
 * quoted identifiers, comments), it may not contain a ';' outside literals,
 * may not close more parentheses than it opens (nor leave any open), may not
 * end in an unterminated literal or comment, and may not use INTO or
 * row-locking clauses. MySQL executable comments are refused.
 */
#ifndef DP_SQLFRAG_H
#define DP_SQLFRAG_H

#include "../base/dp_err.h"

/* engine: the driver name ("postgresql", "mysql", "sqlite", ...); path names
 * the fragment in messages (e.g. "tables.orders.subset.where"). Returns
 * DP_OK or DP_ERR_CONFIG with a message naming `path` (never quoting the
 * fragment: it may hold values). */
int dp_sql_fragment_check(const char *frag, const char *engine, const char *path,
			  dp_errbuf *eb);

/* Opening and closing of a fragment inside a statement: each on its own
 * line, so a trailing `--` comment ends at the line break. */
#define DP_SQL_FRAG_OPEN  " WHERE (\n"
#define DP_SQL_FRAG_CLOSE "\n)"

#endif
