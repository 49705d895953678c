/* connectors/sqlfrag.h - user SQL fragments (subset `where`, `include_when`).
 *
 * A fragment is a predicate the user wrote; doppel places it, on lines of
 * its own, inside parentheses of a source SELECT. Before that it must pass
 * dp_sql_fragment_check: tokenized in the source engine's dialect
 * (literals, quoted identifiers, dollar quotes, comments, operators), it
 * may not contain a ';' outside literals, may not close more parentheses
 * than it opens (nor leave any open), may not end in an unterminated
 * literal or comment, and may not use INTO, row-locking clauses or other
 * refused words (matched on tokens: comments between words hide nothing).
 * Every function call, operator and cast type must be on the dialect's
 * allow-list of built-ins without side effects: a read-only snapshot does
 * not stop dblink_exec, pg_terminate_backend, advisory locks or a user
 * function with a side door. MySQL executable comments and hints are
 * refused. At most 1 MiB, 256 levels of parentheses.
 */
#ifndef DP_SQLFRAG_H
#define DP_SQLFRAG_H

#include "../base/dp_err.h"

/* engine: the driver name ("postgresql", "mysql", "sqlite"; any other is
 * read as SQLite); path names the fragment in messages (e.g.
 * "tables.orders.subset.where"). Returns DP_OK, DP_ERR_CONFIG with a
 * message starting with `path` (it may name the refused function, operator
 * or type, never quotes literals: they may hold values), or DP_ERR_NOMEM.
 * frag may be NULL (refused as empty); nothing is kept after the call. */
int dp_sql_fragment_check(const char *frag, const char *engine, const char *path,
			  dp_errbuf *eb);

/* Opening and closing of a fragment inside a statement: each on its own
 * line, so a trailing `--` comment ends at the line break. */
#define DP_SQL_FRAG_OPEN  " WHERE (\n"
#define DP_SQL_FRAG_CLOSE "\n)"

#endif
