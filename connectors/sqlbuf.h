/* connectors/sqlbuf.h - building SQL text, shared by the SQL drivers.
 *
 * A dp_sql is a growable buffer with a sticky error: every append after a
 * failure (out of memory) is a no-op, so a statement is built with plain
 * calls and checked once (dp_sql_failed) before it is sent. Identifiers are
 * always quoted with the engine's quote character.
 */
#ifndef DP_SQLBUF_H
#define DP_SQLBUF_H

#include <stddef.h>
#include "../base/dp_buf.h"
#include "../base/dp_value.h"
#include "schema.h"

typedef struct dp_sql {
	dp_buf b;
	char q;        /* identifier quote: '"' (standard) or '`' (MySQL) */
	int err;
} dp_sql;

/* Append "name" quoted with q (doubled inside), or 'text' as a standard
 * string literal: the one quoting every driver uses. */
int dp_quote_ident(dp_buf *out, const char *name, char q) DP_MUSTCHECK;
int dp_quote_literal(dp_buf *out, const char *p, size_t n) DP_MUSTCHECK;

void dp_sql_init(dp_sql *s, char quote);
void dp_sql_reset(dp_sql *s);
void dp_sql_free(dp_sql *s);
int dp_sql_failed(const dp_sql *s);
const char *dp_sql_str(const dp_sql *s);

void dp_sql_puts(dp_sql *s, const char *str);
void dp_sql_printf(dp_sql *s, const char *fmt, ...) DP_PRINTF(2, 3);
/* "name" with the quote character doubled inside */
void dp_sql_ident(dp_sql *s, const char *name);
/* "schema"."name", or just "name" when schema is NULL */
void dp_sql_table(dp_sql *s, const char *schema, const char *name);
/* "a", "b", "c" */
void dp_sql_idents(dp_sql *s, char *const *names, size_t n);
/* 'text' with quotes doubled (standard string literal) */
void dp_sql_literal(dp_sql *s, const char *p, size_t n);

/* "SELECT c1, c2, ... FROM t" (columns in t->cols order) */
void dp_sql_select(dp_sql *s, const char *schema, const dp_table *t);
/* "PRIMARY KEY (k1, k2)" */
void dp_sql_primary_key(dp_sql *s, const dp_table *t);

/* SELECT count(*) of child rows of t whose non-NULL fk columns match no row
 * of the referenced table: an FK check that does not trust constraints. */
void dp_sql_fk_orphans(dp_sql *s, const char *schema, const dp_table *t, const dp_fk *fk);
/* (ALTER TABLE ... ADD FOREIGN KEY: dp_sql_add_fk in dialect.h) */
/* CREATE [UNIQUE] INDEX name ON t (cols) */
void dp_sql_create_index(dp_sql *s, const char *schema, const dp_table *t, const dp_index *ix,
			 const char *name);

/* "order_id=17, line_no=2" for the key columns of a row (or "row N of the
 * batch" without a key), for error messages that name the failing row. */
void dp_sql_describe_key(const dp_table *t, const dp_value *row, size_t ordinal, char *out,
			 size_t n);

#endif
