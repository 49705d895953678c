/* connectors/schema.c - builders and lookups for the engine-neutral schema. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "schema.h"
#include "../base/dp_names.h"
#include "../base/dp_buf.h"

const char *dp_tclass_name(dp_tclass t)
{
	switch (t) {
	case DP_T_INTEGER: return "integer";
	case DP_T_REAL: return "real";
	case DP_T_NUMERIC: return "numeric";
	case DP_T_TEXT: return "text";
	case DP_T_BLOB: return "blob";
	case DP_T_BOOL: return "bool";
	case DP_T_DATE: return "date";
	case DP_T_TIME: return "time";
	case DP_T_TIMESTAMP: return "timestamp";
	case DP_T_UUID: return "uuid";
	case DP_T_JSON: return "json";
	default: return "unknown";
	}
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void table_clear(dp_table *t)
{
	free(t->name);
	free(t->schema);
	for (size_t c = 0; c < t->ncols; c++) {
		free(t->cols[c].name);
		free(t->cols[c].type_decl);
		free(t->cols[c].default_expr);
		free(t->cols[c].generated);
		free(t->cols[c].user_type);
		free(t->cols[c].base_decl);
	}
	free(t->cols);
	free(t->pk);
	for (size_t f = 0; f < t->nfks; f++) {
		free(t->fks[f].name);
		free_strv(t->fks[f].cols, t->fks[f].ncols);
		free(t->fks[f].ref_table);
		free_strv(t->fks[f].ref_cols, t->fks[f].ncols);
	}
	free(t->fks);
	for (size_t i = 0; i < t->nidx; i++) {
		free(t->idx[i].name);
		free_strv(t->idx[i].cols, t->idx[i].ncols);
		free(t->idx[i].sql);
	}
	free(t->idx);
	free_strv(t->checks, t->nchecks);
	free(t->create_sql);
}

void dp_schema_free(dp_schema *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->ntables; k++)
		table_clear(&s->tables[k]);
	free(s->tables);
	for (size_t k = 0; k < s->nobjects; k++) {
		free(s->objects[k].name);
		free(s->objects[k].table);
		free(s->objects[k].ddl);
		free(s->objects[k].note);
	}
	free(s->objects);
	free(s->engine);
	free(s);
}

const char *dp_obj_kind_name(dp_obj_kind k)
{
	switch (k) {
	case DP_OBJ_TYPE: return "type";
	case DP_OBJ_SEQUENCE: return "sequence";
	case DP_OBJ_FUNCTION: return "function";
	case DP_OBJ_VIEW: return "view";
	case DP_OBJ_MATVIEW: return "materialized view";
	case DP_OBJ_TRIGGER: return "trigger";
	case DP_OBJ_COMMENT: return "comment";
	case DP_OBJ_POLICY: return "policy";
	case DP_OBJ_GRANT: return "grant";
	case DP_OBJ_PARTITION: return "partitioning";
	case DP_OBJ_OTHER: return "object";
	}
	return "object";
}

static char *dup_or_null(const char *s, int *fail)
{
	char *d;
	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

int dp_schema_add_object(dp_schema *s, dp_obj_kind kind, dp_obj_phase phase, const char *name,
			 const char *table, const char *ddl, const char *note)
{
	dp_object *no = realloc(s->objects, (s->nobjects + 1) * sizeof(*no));
	dp_object *o;
	int fail = 0;

	if (!no)
		return DP_ERR_NOMEM;
	s->objects = no;
	o = &no[s->nobjects];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->phase = phase;
	o->name = dup_or_null(name ? name : "", &fail);
	o->table = dup_or_null(table, &fail);
	o->ddl = dup_or_null(ddl, &fail);
	o->note = dup_or_null(note, &fail);
	s->nobjects++;
	return fail ? DP_ERR_NOMEM : DP_OK;
}

dp_table *dp_schema_table(const dp_schema *s, const char *name)
{
	long i = s ? DP_NAME_INDEX(s->tables, s->ntables, dp_table, name, name) : -1;
	return i < 0 ? NULL : &s->tables[i];
}

long dp_table_col_index(const dp_table *t, const char *name)
{
	return t ? DP_NAME_INDEX(t->cols, t->ncols, dp_column, name, name) : -1;
}

int dp_schema_add_table(dp_schema *s, const char *name, dp_table **out)
{
	dp_table *nt = realloc(s->tables, (s->ntables + 1) * sizeof(*nt));

	if (!nt)
		return DP_ERR_NOMEM;
	s->tables = nt;
	memset(&nt[s->ntables], 0, sizeof(*nt));
	nt[s->ntables].name = dp_strdup(name);
	if (!nt[s->ntables].name)
		return DP_ERR_NOMEM;
	nt[s->ntables].row_estimate = -1;
	*out = &nt[s->ntables++];
	return DP_OK;
}

int dp_table_add_column(dp_table *t, const char *name, const char *type_decl, dp_column **out)
{
	dp_column *nc = realloc(t->cols, (t->ncols + 1) * sizeof(*nc));
	dp_column *c;

	if (!nc)
		return DP_ERR_NOMEM;
	t->cols = nc;
	c = &nc[t->ncols];
	memset(c, 0, sizeof(*c));
	c->name = dp_strdup(name);
	c->type_decl = dp_strdup(type_decl ? type_decl : "");
	if (!c->name || !c->type_decl) {
		free(c->name);
		free(c->type_decl);
		return DP_ERR_NOMEM;
	}
	dp_classify_type(c->type_decl, c);
	t->ncols++;
	if (out)
		*out = c;
	return DP_OK;
}

static char **dup_strv(const char *const *v, size_t n)
{
	char **r = calloc(n ? n : 1, sizeof(*r));

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		r[i] = dp_strdup(v && v[i] ? v[i] : "");
		if (!r[i]) {
			free_strv(r, i);
			return NULL;
		}
	}
	return r;
}

int dp_table_add_fk(dp_table *t, const char *name, const char *ref_table, size_t ncols,
		    const char *const *cols, const char *const *ref_cols, dp_fk **out)
{
	dp_fk *nf = realloc(t->fks, (t->nfks + 1) * sizeof(*nf));
	dp_fk *f;

	if (!nf)
		return DP_ERR_NOMEM;
	t->fks = nf;
	f = &nf[t->nfks];
	memset(f, 0, sizeof(*f));
	f->name = name ? dp_strdup(name) : NULL;
	f->ref_table = dp_strdup(ref_table);
	f->ncols = ncols;
	f->cols = dup_strv(cols, ncols);
	f->ref_cols = dup_strv(ref_cols, ncols);
	if ((name && !f->name) || !f->ref_table || !f->cols || !f->ref_cols) {
		free(f->name);
		free(f->ref_table);
		free_strv(f->cols, f->cols ? ncols : 0);
		free_strv(f->ref_cols, f->ref_cols ? ncols : 0);
		return DP_ERR_NOMEM;
	}
	t->nfks++;
	if (out)
		*out = f;
	return DP_OK;
}

int dp_table_add_index(dp_table *t, const char *name, int unique, size_t ncols,
		       const char *const *cols, const char *sql)
{
	dp_index *ni = realloc(t->idx, (t->nidx + 1) * sizeof(*ni));
	dp_index *ix;

	if (!ni)
		return DP_ERR_NOMEM;
	t->idx = ni;
	ix = &ni[t->nidx];
	memset(ix, 0, sizeof(*ix));
	ix->name = name ? dp_strdup(name) : NULL;
	ix->unique = unique;
	ix->ncols = ncols;
	ix->cols = ncols ? dup_strv(cols, ncols) : NULL;
	ix->sql = sql ? dp_strdup(sql) : NULL;
	if ((name && !ix->name) || (ncols && !ix->cols) || (sql && !ix->sql)) {
		free(ix->name);
		free_strv(ix->cols, ix->cols ? ncols : 0);
		free(ix->sql);
		return DP_ERR_NOMEM;
	}
	t->nidx++;
	if (unique && ncols == 1) {
		long c = dp_table_col_index(t, cols[0]);
		if (c >= 0)
			t->cols[c].is_unique = 1;
	}
	return DP_OK;
}

int dp_table_finish_pk(dp_table *t)
{
	size_t n = 0;

	free(t->pk);
	t->pk = NULL;
	t->npk = 0;
	for (size_t c = 0; c < t->ncols; c++)
		if (t->cols[c].pk_pos > 0)
			n++;
	if (!n)
		return DP_OK;
	t->pk = calloc(n, sizeof(*t->pk));
	if (!t->pk)
		return DP_ERR_NOMEM;
	for (size_t c = 0; c < t->ncols; c++) {
		int p = t->cols[c].pk_pos;
		if (p > 0 && (size_t)p <= n)
			t->pk[p - 1] = c;
	}
	t->npk = n;
	return DP_OK;
}

static int has_word(const char *up, const char *w)
{
	return strstr(up, w) != NULL;
}

void dp_classify_type(const char *decl, dp_column *col)
{
	char up[128];
	size_t n = 0;
	const char *paren;

	col->tclass = DP_T_UNKNOWN;
	col->length = col->precision = col->scale = 0;
	if (!decl)
		decl = "";
	for (; decl[n] && n < sizeof(up) - 1; n++)
		up[n] = (char)toupper((unsigned char)decl[n]);
	up[n] = '\0';
	paren = strchr(up, '(');
	if (paren) {
		int a = 0, b = 0;
		if (sscanf(paren, "(%d , %d", &a, &b) >= 1 || sscanf(paren, "(%d,%d", &a, &b) >= 1) {
			col->precision = a;
			col->scale = b;
		}
	}
	/* order matters: the usual affinity rules, specific names first */
	if (!n)
		col->tclass = DP_T_BLOB;        /* SQLite: no type = BLOB affinity */
	else if (has_word(up, "UUID") || has_word(up, "UNIQUEIDENTIFIER"))
		col->tclass = DP_T_UUID;
	else if (has_word(up, "JSON"))
		col->tclass = DP_T_JSON;
	else if (has_word(up, "BOOL") || !strcmp(up, "BIT"))
		col->tclass = DP_T_BOOL;
	/* before INT, which they contain: an interval travels as its text form;
	 * DECIMAL BLOB is how SQLite targets declare exact decimals (typemap.c) */
	else if (has_word(up, "INTERVAL"))
		col->tclass = DP_T_TEXT;
	else if (has_word(up, "DECIMAL BLOB"))
		col->tclass = DP_T_NUMERIC;
	else if (has_word(up, "INT"))
		col->tclass = DP_T_INTEGER;
	else if (has_word(up, "TIMESTAMP") || has_word(up, "DATETIME"))
		col->tclass = DP_T_TIMESTAMP;
	else if (has_word(up, "DATE"))
		col->tclass = DP_T_DATE;
	else if (has_word(up, "TIME"))
		col->tclass = DP_T_TIME;
	else if (has_word(up, "CHAR") || has_word(up, "CLOB") || has_word(up, "TEXT") ||
		 has_word(up, "STRING"))
		col->tclass = DP_T_TEXT;
	else if (has_word(up, "BLOB") || has_word(up, "BINARY") || has_word(up, "BYTEA"))
		col->tclass = DP_T_BLOB;
	else if (has_word(up, "REAL") || has_word(up, "FLOA") || has_word(up, "DOUB"))
		col->tclass = DP_T_REAL;
	else if (has_word(up, "NUMERIC") || has_word(up, "DECIMAL") || has_word(up, "MONEY"))
		col->tclass = DP_T_NUMERIC;
	else
		col->tclass = DP_T_NUMERIC;     /* SQLite: NUMERIC affinity */
	if (col->tclass == DP_T_TEXT) {
		/* interval(3) is a precision of seconds, not a length */
		col->length = has_word(up, "INTERVAL") ? 0 : col->precision;
		col->precision = col->scale = 0;
	} else if (col->tclass != DP_T_NUMERIC) {
		col->precision = col->scale = 0;
	}
}
