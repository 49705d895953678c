/* connectors/sqlbuf.c - SQL text builders (see sqlbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sqlbuf.h"

int dp_quote_ident(dp_buf *out, const char *name, char q)
{
	char qs[2] = { q, 0 };
	int rc = dp_buf_puts(out, qs);
	for (const char *p = name; !rc && *p; p++) {
		if (*p == q)
			rc = dp_buf_append(out, p, 1);
		if (!rc)
			rc = dp_buf_append(out, p, 1);
	}
	return rc ? rc : dp_buf_puts(out, qs);
}

int dp_quote_literal(dp_buf *out, const char *p, size_t n)
{
	int rc = dp_buf_puts(out, "'");
	for (size_t i = 0; !rc && i < n; i++) {
		if (p[i] == '\'')
			rc = dp_buf_append(out, "'", 1);
		if (!rc)
			rc = dp_buf_append(out, &p[i], 1);
	}
	return rc ? rc : dp_buf_puts(out, "'");
}

void dp_sql_init(dp_sql *s, char quote)
{
	dp_buf empty = DP_BUF_INIT;
	s->b = empty;
	s->q = quote;
	s->err = 0;
}

void dp_sql_reset(dp_sql *s)
{
	dp_buf_reset(&s->b);
	s->err = 0;
}

void dp_sql_free(dp_sql *s)
{
	dp_buf_free(&s->b);
}

int dp_sql_failed(const dp_sql *s)
{
	return s->err;
}

const char *dp_sql_str(const dp_sql *s)
{
	return dp_buf_str(&s->b);
}

void dp_sql_puts(dp_sql *s, const char *str)
{
	if (!s->err && dp_buf_puts(&s->b, str))
		s->err = 1;
}

void dp_sql_printf(dp_sql *s, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	if (s->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		s->err = 1;      /* every caller formats short fragments */
		return;
	}
	dp_sql_puts(s, tmp);
}

void dp_sql_ident(dp_sql *s, const char *name)
{
	if (!s->err && dp_quote_ident(&s->b, name, s->q))
		s->err = 1;
}

void dp_sql_table(dp_sql *s, const char *schema, const char *name)
{
	if (schema) {
		dp_sql_ident(s, schema);
		dp_sql_puts(s, ".");
	}
	dp_sql_ident(s, name);
}

void dp_sql_idents(dp_sql *s, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dp_sql_puts(s, ", ");
		dp_sql_ident(s, names[i]);
	}
}

void dp_sql_literal(dp_sql *s, const char *p, size_t n)
{
	if (!s->err && dp_quote_literal(&s->b, p, n))
		s->err = 1;
}

void dp_sql_select(dp_sql *s, const char *schema, const dp_table *t)
{
	dp_sql_puts(s, "SELECT ");
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			dp_sql_puts(s, ", ");
		dp_sql_ident(s, t->cols[i].name);
	}
	dp_sql_puts(s, " FROM ");
	dp_sql_table(s, schema, t->name);
}

void dp_sql_primary_key(dp_sql *s, const dp_table *t)
{
	dp_sql_puts(s, "PRIMARY KEY (");
	for (size_t i = 0; i < t->npk; i++) {
		if (i)
			dp_sql_puts(s, ", ");
		dp_sql_ident(s, t->cols[t->pk[i]].name);
	}
	dp_sql_puts(s, ")");
}

void dp_sql_fk_orphans(dp_sql *s, const char *schema, const dp_table *t, const dp_fk *fk)
{
	dp_sql_puts(s, "SELECT count(*) FROM ");
	dp_sql_table(s, schema, t->name);
	dp_sql_puts(s, " ch WHERE ");
	for (size_t i = 0; i < fk->ncols; i++) {
		dp_sql_puts(s, "ch.");
		dp_sql_ident(s, fk->cols[i]);
		dp_sql_puts(s, " IS NOT NULL AND ");
	}
	dp_sql_puts(s, "NOT EXISTS (SELECT 1 FROM ");
	dp_sql_table(s, schema, fk->ref_table);
	dp_sql_puts(s, " pa WHERE ");
	for (size_t i = 0; i < fk->ncols; i++) {
		dp_sql_puts(s, i ? " AND pa." : "pa.");
		dp_sql_ident(s, fk->ref_cols[i]);
		dp_sql_puts(s, " = ch.");
		dp_sql_ident(s, fk->cols[i]);
	}
	dp_sql_puts(s, ")");
}

void dp_sql_create_index(dp_sql *s, const char *schema, const dp_table *t, const dp_index *ix,
			 const char *name)
{
	dp_sql_puts(s, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	dp_sql_ident(s, name);
	dp_sql_puts(s, " ON ");
	dp_sql_table(s, schema, t->name);
	dp_sql_puts(s, " (");
	dp_sql_idents(s, ix->cols, ix->ncols);
	dp_sql_puts(s, ")");
}

void dp_sql_describe_key(const dp_table *t, const dp_value *row, size_t ordinal, char *out,
			 size_t n)
{
	size_t used = 0;

	if (!t->npk) {
		snprintf(out, n, "row %zu of the batch", ordinal + 1);
		return;
	}
	/* integer keys are shown; a text key (an SSN, an e-mail used as key)
	 * may be personal data: only its columns and the row's place */
	for (size_t k = 0; k < t->npk; k++)
		if (row[t->pk[k]].kind != DP_V_INT && row[t->pk[k]].kind != DP_V_NULL) {
			snprintf(out, n, "row %zu of the batch (key ", ordinal + 1);
			used = strlen(out);
			for (size_t i = 0; i < t->npk && used < n; i++)
				used += (size_t)snprintf(out + used, n - used, "%s%s", i ? ", " : "",
							 t->cols[t->pk[i]].name);
			if (used < n)
				snprintf(out + used, n - used, ")");
			return;
		}
	out[0] = '\0';
	for (size_t k = 0; k < t->npk && used < n; k++) {
		char val[64];
		int isnull = 0;
		dp_value_to_text(&row[t->pk[k]], val, sizeof(val), &isnull);
		used += (size_t)snprintf(out + used, n - used, "%s%s=%s", k ? ", " : "",
					 t->cols[t->pk[k]].name, isnull ? "NULL" : val);
	}
}
