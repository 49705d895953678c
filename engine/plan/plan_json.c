/* engine/plan/plan_json.c - the plan as a JSON document and back (the
 * contract is in plan_json.h).
 *
 * Layout (version 1):
 *   {"format": "doppel-plan", "version": 1, "engine": name, "seed": "42",
 *    "immediate_fk": true,
 *    "schema": {"tables": [{"name", "columns": [{"name", "type", "class",
 *               "notnull", "pk"}], "foreign_keys": [{"columns", "references",
 *               "ref_columns", "virtual"}]}]},            <- schema order
 *    "keys": [{"table", "column", "method"}],
 *    "tables": [{"name", "mode", "mode_why", "settings", "est_rows",
 *                "filtered", "subset"?, "synthesize"?, "columns": [...]}],
 *                                                          <- load order
 *    "synth_order": [table names]}
 * Tables are referred to by name (a plan index would silently point at
 * another table if the order were edited), key domains by their index in
 * "keys". The seed is a string: JSON numbers are doubles, an int64 seed
 * would lose its low bits.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "plan_json.h"
#include "plan_int.h"
#include "../mask/typed.h"

static const char *const action_names[] = { "copy", "generator", "key", "omit", "synthesize", NULL };
static const char *const role_names[] = { "model", "pk", "seq_fk", "ref_fk", "self_fk", "fk_value",
					  "pos", NULL };
_Static_assert(DP_COL_SYNTH == 4, "action_names follows dp_col_action");
_Static_assert(DP_SR_POS == 6, "role_names follows dp_syn_role");

/* Integers beyond 2^53 do not survive a JSON number (a double). */
#define JSON_INT_MAX 9007199254740992.0

/* ---- writing ---------------------------------------------------------- */

typedef struct wr {
	int bad;                 /* an allocation failed somewhere */
} wr;

static cJSON *w_obj(wr *w, cJSON *parent, const char *k)
{
	cJSON *o = k ? cJSON_AddObjectToObject(parent, k) : cJSON_CreateObject();
	if (!o)
		w->bad = 1;
	else if (!k && parent && !cJSON_AddItemToArray(parent, o)) {
		cJSON_Delete(o);
		w->bad = 1;
		return NULL;
	}
	return o;
}

static cJSON *w_arr(wr *w, cJSON *parent, const char *k)
{
	cJSON *a = parent ? cJSON_AddArrayToObject(parent, k) : NULL;
	if (!a)
		w->bad = 1;
	return a;
}

static void w_str(wr *w, cJSON *o, const char *k, const char *v)
{
	if (!o || !(v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)))
		w->bad = 1;
}

static void w_num(wr *w, cJSON *o, const char *k, double v)
{
	if (!o || !cJSON_AddNumberToObject(o, k, v))
		w->bad = 1;
}

static void w_bool(wr *w, cJSON *o, const char *k, int v)
{
	if (!o || !cJSON_AddBoolToObject(o, k, v))
		w->bad = 1;
}

static void w_item(wr *w, cJSON *a, const char *v)
{
	cJSON *s = v ? cJSON_CreateString(v) : cJSON_CreateNull();
	if (!a || !s || !cJSON_AddItemToArray(a, s)) {
		cJSON_Delete(s);
		w->bad = 1;
	}
}

static void w_schema(wr *w, cJSON *root, const dp_schema *s)
{
	cJSON *tabs = w_arr(w, w_obj(w, root, "schema"), "tables");

	for (size_t i = 0; tabs && i < s->ntables; i++) {
		const dp_table *t = &s->tables[i];
		cJSON *to = w_obj(w, tabs, NULL), *cols, *fks;
		if (!to)
			return;
		w_str(w, to, "name", t->name);
		cols = w_arr(w, to, "columns");
		for (size_t c = 0; cols && c < t->ncols; c++) {
			cJSON *co = w_obj(w, cols, NULL);
			w_str(w, co, "name", t->cols[c].name);
			w_str(w, co, "type", t->cols[c].type_decl);
			w_str(w, co, "class", dp_tclass_name(t->cols[c].tclass));
			w_bool(w, co, "notnull", t->cols[c].notnull);
			w_num(w, co, "pk", t->cols[c].pk_pos);
		}
		fks = w_arr(w, to, "foreign_keys");
		for (size_t f = 0; fks && f < t->nfks; f++) {
			const dp_fk *fk = &t->fks[f];
			cJSON *fo = w_obj(w, fks, NULL), *a, *b;
			a = w_arr(w, fo, "columns");
			w_str(w, fo, "references", fk->ref_table);
			b = w_arr(w, fo, "ref_columns");
			for (size_t c = 0; c < fk->ncols; c++) {
				w_item(w, a, fk->cols[c]);
				w_item(w, b, fk->ref_cols[c]);
			}
			w_bool(w, fo, "virtual", fk->is_virtual);
		}
	}
}

/* The arguments dp_gen_new was given for column ci, which the compiled
 * generator does not hand out: an engine-file generator takes the engine
 * file's value and consistent flag, a preset mock:one_of the values its
 * CHECK allows (plan.c preset_spec), a planned "constant" the empty document
 * of a NOT NULL JSON column (plan_synth.c); everything else neither. The
 * locale is the table's, or the column's override, as plan_columns picks it.
 * *value may point into tmp. */
static void gen_args(const dp_plan *p, const dp_plan_table *pt, size_t ci, const char *spec,
		     const char **value, int *consistent, const char **locale, dp_buf *tmp)
{
	const dp_table_cfg *tc = dp_job_cfg_table(p->cfg, pt->t->name);
	const dp_column_cfg *cc = tc ? dp_table_cfg_column(tc, pt->t->cols[ci].name) : NULL;

	*locale = pt->st->locale ? pt->st->locale : "en";
	if (cc && cc->overrides && cc->overrides->locale)
		*locale = cc->overrides->locale;
	*value = NULL;
	*consistent = -1;
	if (cc && cc->generator && !strcmp(cc->generator, spec)) {
		*value = cc->value;
		*consistent = cc->consistent;
	} else if (!strcmp(spec, "mock:one_of")) {
		const dp_table *t = pt->t;
		dp_buf_reset(tmp);
		for (size_t k = 0; k <= t->nchecks; k++) {
			const char *ck = k < t->nchecks ? t->checks[k] : t->create_sql;
			if (ck && dp_check_in_list(ck, t->cols[ci].name, tmp)) {
				*value = dp_buf_str(tmp);
				break;
			}
		}
	} else if (!strcmp(spec, "constant")) {
		*value = "{}";
	}
}

static void w_subset(wr *w, cJSON *to, const dp_subset_cfg *s)
{
	cJSON *so = w_obj(w, to, "subset");

	if (s->percent >= 0)
		w_num(w, so, "percent", s->percent);
	if (s->where)
		w_str(w, so, "where", s->where);
	if (s->limit >= 0)
		w_num(w, so, "limit", (double)s->limit);
	if (s->order_by)
		w_str(w, so, "order_by", s->order_by);
	if (s->include_children != DP_CHILDREN_DEFAULT)
		w_str(w, so, "include_children", dp_enum_name(&dp_children_names, (int)s->include_children));
	if (s->include_when)
		w_str(w, so, "include_when", s->include_when);
	if (s->max_per_parent >= 0)
		w_num(w, so, "max_per_parent", (double)s->max_per_parent);
}

static void w_column(wr *w, cJSON *cols, const dp_plan *p, const dp_plan_table *pt, size_t ci,
		     dp_buf *tmp)
{
	const dp_plan_col *pc = &pt->cols[ci];
	cJSON *co = w_obj(w, cols, NULL);

	if (!co)
		return;
	w_str(w, co, "name", pt->t->cols[ci].name);
	w_str(w, co, "action", (unsigned)pc->action < 5 ? action_names[pc->action] : "?");
	if (pc->action == DP_COL_GEN && pc->gen) {
		const char *spec = dp_gen_spec(pc->gen), *value, *locale;
		int consistent;
		cJSON *go = w_obj(w, co, "generator");
		gen_args(p, pt, ci, spec, &value, &consistent, &locale, tmp);
		w_str(w, go, "spec", spec);
		w_str(w, go, "value", value);
		if (consistent >= 0)
			w_bool(w, go, "consistent", consistent);
		w_str(w, go, "locale", locale);
		w_bool(w, co, "pii", pc->pii);
	}
	if (pc->action == DP_COL_SYNTH) {
		w_str(w, co, "role", (unsigned)pc->srole < 7 ? role_names[pc->srole] : "?");
		if (pc->ref >= 0 && (size_t)pc->ref < p->ntables)
			w_str(w, co, "ref", p->tables[pc->ref].t->name);
	}
	if ((pc->action == DP_COL_KEY || pc->action == DP_COL_SYNTH) && pc->key >= 0)
		w_num(w, co, "key", (double)pc->key);
	if (pc->kind)
		w_str(w, co, "kind", pc->kind);
	if (pc->deferred)
		w_bool(w, co, "deferred", 1);
	if (pc->null_unsel)
		w_bool(w, co, "null_unsel", 1);
	if (pc->confidence > 0)
		w_num(w, co, "confidence", pc->confidence);
	if (pc->why)
		w_str(w, co, "why", pc->why);
}

static void w_table(wr *w, cJSON *tabs, const dp_plan *p, const dp_plan_table *pt, dp_buf *tmp)
{
	cJSON *to = w_obj(w, tabs, NULL), *cols;
	char ref[320];

	if (!to)
		return;
	w_str(w, to, "name", pt->t->name);
	w_str(w, to, "mode", dp_mode_name(pt->mode));
	w_str(w, to, "mode_why", pt->mode_why);
	if (pt->st == &p->cfg->settings)
		snprintf(ref, sizeof(ref), "engine");
	else
		snprintf(ref, sizeof(ref), "tables.%s", pt->t->name);
	w_str(w, to, "settings", ref);
	w_num(w, to, "est_rows", (double)pt->est_rows);
	w_bool(w, to, "filtered", pt->filtered);
	if (pt->sub)
		w_subset(w, to, pt->sub);
	if (pt->mode == DP_MODE_SYNTHESIZE) {
		cJSON *so = w_obj(w, to, "synthesize");
		if (pt->seq_parent >= 0 && (size_t)pt->seq_parent < p->ntables) {
			w_str(w, so, "seq_parent", p->tables[pt->seq_parent].t->name);
			w_str(w, so, "seq_col", pt->t->cols[pt->seq_col].name);
		} else {
			w_str(w, so, "seq_parent", NULL);
		}
		w_bool(w, so, "pk_from_fks", pt->pk_from_fks);
		w_num(w, so, "target_rows", (double)pt->target_rows);
		w_num(w, so, "scale", pt->scale);
	}
	cols = w_arr(w, to, "columns");
	for (size_t ci = 0; cols && ci < pt->t->ncols; ci++)
		w_column(w, cols, p, pt, ci, tmp);
}

int dp_plan_to_json(const dp_plan *p, dp_buf *out, dp_errbuf *eb)
{
	wr w = { 0 };
	cJSON *root = cJSON_CreateObject(), *a;
	dp_buf tmp = DP_BUF_INIT;
	char seed[32], *txt = NULL;
	int rc = DP_OK;

	if (!root)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	w_str(&w, root, "format", DP_PLAN_JSON_FORMAT);
	w_num(&w, root, "version", DP_PLAN_JSON_VERSION);
	w_str(&w, root, "engine", p->cfg->name);
	snprintf(seed, sizeof(seed), "%" PRId64, p->seed);
	w_str(&w, root, "seed", seed);
	w_bool(&w, root, "immediate_fk", p->immediate_fk);
	w_schema(&w, root, p->schema);
	a = w_arr(&w, root, "keys");
	for (size_t k = 0; a && k < p->nkeys; k++) {
		const dp_plan_key *key = &p->keys[k];
		const dp_table *t = &p->schema->tables[key->table];
		cJSON *ko = w_obj(&w, a, NULL);
		w_str(&w, ko, "table", t->name);
		w_str(&w, ko, "column", t->cols[key->col].name);
		w_str(&w, ko, "method", dp_keygen_name(key->method));
	}
	a = w_arr(&w, root, "tables");
	for (size_t k = 0; a && k < p->ntables; k++)
		w_table(&w, a, p, &p->tables[k], &tmp);
	a = w_arr(&w, root, "synth_order");
	for (size_t k = 0; a && k < p->nsynth; k++)
		w_item(&w, a, p->tables[p->synth_order[k]].t->name);
	dp_buf_free(&tmp);
	if (!w.bad)
		txt = cJSON_Print(root);
	cJSON_Delete(root);
	if (!txt || dp_buf_puts(out, txt) || dp_buf_puts(out, "\n"))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	free(txt);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

/* A field path for messages: "tables[3].columns[2]" joined with a key. */
static const char *join(char *buf, size_t n, const char *path, const char *key)
{
	snprintf(buf, n, "%s%s%s", path, *path && *key && key[0] != '[' ? "." : "", key);
	return buf;
}

static int r_fail(dp_errbuf *eb, const char *path, const char *key, const char *what)
{
	char b[256];
	return dp_fail(eb, DP_ERR_CONFIG, "%s: %s", join(b, sizeof(b), path, key), what);
}

/* Every member of o is one of `allowed` (NULL-terminated). */
static int r_known(const cJSON *o, const char *path, const char *const *allowed, dp_errbuf *eb)
{
	for (const cJSON *it = o->child; it; it = it->next) {
		const char *const *a = allowed;
		while (*a && (!it->string || strcmp(*a, it->string)))
			a++;
		if (!*a)
			return r_fail(eb, path, it->string ? it->string : "?", "unknown field");
	}
	return DP_OK;
}

static const cJSON *r_get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* A string member; *out NULL when absent (then an error if required) or
 * JSON null (allowed when nullable). */
static int r_str(const cJSON *o, const char *path, const char *k, int required, int nullable,
		 const char **out, dp_errbuf *eb)
{
	const cJSON *v = r_get(o, k);

	*out = NULL;
	if (!v)
		return required ? r_fail(eb, path, k, "missing") : DP_OK;
	if (cJSON_IsNull(v) && nullable)
		return DP_OK;
	if (!cJSON_IsString(v) || !v->valuestring)
		return r_fail(eb, path, k, nullable ? "expected a string or null" : "expected a string");
	*out = v->valuestring;
	return DP_OK;
}

static int r_bool(const cJSON *o, const char *path, const char *k, int def, int *out, dp_errbuf *eb)
{
	const cJSON *v = r_get(o, k);

	*out = def;
	if (!v)
		return def < 0 ? r_fail(eb, path, k, "missing") : DP_OK;
	if (!cJSON_IsBool(v))
		return r_fail(eb, path, k, "expected true or false");
	*out = cJSON_IsTrue(v);
	return DP_OK;
}

static int r_num(const cJSON *o, const char *path, const char *k, int required, double def,
		 double *out, dp_errbuf *eb)
{
	const cJSON *v = r_get(o, k);

	*out = def;
	if (!v)
		return required ? r_fail(eb, path, k, "missing") : DP_OK;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return r_fail(eb, path, k, "expected a number");
	*out = v->valuedouble;
	return DP_OK;
}

static int r_int(const cJSON *o, const char *path, const char *k, int required, int64_t def,
		 int64_t *out, dp_errbuf *eb)
{
	double d;
	int rc = r_num(o, path, k, required, (double)def, &d, eb);

	if (!rc && (d != floor(d) || fabs(d) > JSON_INT_MAX))
		rc = r_fail(eb, path, k, "expected an integer");
	*out = rc ? def : (int64_t)d;
	return rc;
}

static int r_arr(const cJSON *o, const char *path, const char *k, const cJSON **out, dp_errbuf *eb)
{
	const cJSON *v = r_get(o, k);

	*out = v;
	if (!v)
		return r_fail(eb, path, k, "missing");
	if (!cJSON_IsArray(v))
		return r_fail(eb, path, k, "expected an array");
	return DP_OK;
}

static int r_obj(const cJSON *v, const char *path, const char *k, dp_errbuf *eb)
{
	if (!v)
		return r_fail(eb, path, k, "missing");
	if (!cJSON_IsObject(v))
		return r_fail(eb, path, k, "expected an object");
	return DP_OK;
}

/* An enum member spelled by `names` (NULL-terminated) into *out. */
static int r_enum(const cJSON *o, const char *path, const char *k, const char *const *names,
		  int *out, dp_errbuf *eb)
{
	const char *s;
	char list[256], b[256];
	size_t n = 0;
	int rc = r_str(o, path, k, 1, 0, &s, eb);

	if (rc)
		return rc;
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s)) {
			*out = i;
			return DP_OK;
		}
	list[0] = '\0';
	for (int i = 0; names[i] && n + 1 < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", names[i]);
	return dp_fail(eb, DP_ERR_CONFIG, "%s: unknown value; expected one of %s",
		       join(b, sizeof(b), path, k), list);
}

/* A name spelled by an enum table (modes, key methods) into *out. */
static int r_enum_table(const cJSON *o, const char *path, const char *k, const dp_enum_table *t,
			int *out, dp_errbuf *eb)
{
	const char *names[16];
	int i, rc;

	for (i = 0; (size_t)i < t->n && i < 15; i++)
		names[i] = t->names[i];
	names[i] = NULL;
	rc = r_enum(o, path, k, names, &i, eb);
	if (!rc)
		*out = t->first + i;
	return rc;
}

/* Exact-name lookups (dp_schema_table also matches case-insensitively;
 * a plan names tables and columns exactly as it saw them). */
static long table_index(const dp_schema *s, const char *name)
{
	for (size_t i = 0; name && i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, name))
			return (long)i;
	return -1;
}

static long col_index(const dp_table *t, const char *name)
{
	for (size_t i = 0; name && i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return (long)i;
	return -1;
}

static int streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The engine file's virtual FKs, added once (dp_plan_build added them
 * already when the schema is the one a job planned with). */
static int add_virtual_fks(const dp_job_cfg *cfg, dp_schema *s, dp_errbuf *eb)
{
	for (size_t v = 0; v < cfg->nvfks; v++) {
		const dp_vfk_cfg *vf = &cfg->vfks[v];
		dp_table *t = dp_schema_table(s, vf->table), *p = dp_schema_table(s, vf->ref_table);
		int have = 0;
		dp_fk *fk;

		if (!t || !p)
			return dp_fail(eb, DP_ERR_CONFIG, "virtual_foreign_keys[%zu]%s: no table \"%s\" in "
				       "the source", v, t ? ".references.table" : ".table",
				       t ? vf->ref_table : vf->table);
		for (size_t c = 0; c < vf->ncols; c++)
			if (dp_table_col_index(t, vf->cols[c]) < 0 || dp_table_col_index(p, vf->ref_cols[c]) < 0)
				return dp_fail(eb, DP_ERR_CONFIG, "virtual_foreign_keys[%zu].columns[%zu]: "
					       "no such column in %s or %s", v, c, t->name, p->name);
		for (size_t f = 0; f < t->nfks && !have; f++) {
			const dp_fk *e = &t->fks[f];
			have = e->is_virtual && e->ncols == vf->ncols && !strcmp(e->ref_table, p->name);
			for (size_t c = 0; have && c < e->ncols; c++)
				have = !strcmp(e->cols[c], t->cols[dp_table_col_index(t, vf->cols[c])].name) &&
				       !strcmp(e->ref_cols[c], p->cols[dp_table_col_index(p, vf->ref_cols[c])].name);
		}
		if (have)
			continue;
		if (dp_table_add_fk(t, NULL, p->name, vf->ncols, (const char *const *)vf->cols,
				    (const char *const *)vf->ref_cols, &fk))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		fk->is_virtual = 1;
	}
	return DP_OK;
}

/* A string array member equal to n strings `want`? 1 yes, 0 no, < 0 bad. */
static int str_array_is(const cJSON *o, const char *path, const char *k, char *const *want,
			size_t n, dp_errbuf *eb)
{
	const cJSON *a;
	size_t i = 0;
	int rc = r_arr(o, path, k, &a, eb);

	if (rc)
		return rc;
	for (const cJSON *it = a->child; it; it = it->next, i++) {
		if (!cJSON_IsString(it)) {
			char b[256], idx[32];
			snprintf(idx, sizeof(idx), "[%zu]", i);
			return r_fail(eb, join(b, sizeof(b), path, k), idx, "expected a string");
		}
		if (i >= n || strcmp(it->valuestring, want[i]))
			return 0;
	}
	return i == n;
}

/* The fingerprint: the document's "schema" against the source's. */
static int check_schema(const cJSON *root, const dp_schema *s, dp_errbuf *eb)
{
	const cJSON *so = r_get(root, "schema"), *tabs;
	static const char *const skeys[] = { "tables", NULL },
		*const tkeys[] = { "name", "columns", "foreign_keys", NULL },
		*const ckeys[] = { "name", "type", "class", "notnull", "pk", NULL },
		*const fkeys[] = { "columns", "references", "ref_columns", "virtual", NULL };
	unsigned char *seen = NULL;
	size_t i = 0;
	int rc;

	if ((rc = r_obj(so, "", "schema", eb)) || (rc = r_known(so, "schema", skeys, eb)) ||
	    (rc = r_arr(so, "schema", "tables", &tabs, eb)))
		return rc;
	seen = calloc(s->ntables + 1, 1);
	if (!seen)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (const cJSON *to = tabs->child; to && !rc; to = to->next, i++) {
		char path[64], cp[96];
		const cJSON *cols, *fks;
		const char *name;
		const dp_table *t;
		long ti;
		size_t c = 0, f = 0;

		snprintf(path, sizeof(path), "schema.tables[%zu]", i);
		if ((rc = r_obj(to, path, "", eb)) || (rc = r_known(to, path, tkeys, eb)) ||
		    (rc = r_str(to, path, "name", 1, 0, &name, eb)) ||
		    (rc = r_arr(to, path, "columns", &cols, eb)) ||
		    (rc = r_arr(to, path, "foreign_keys", &fks, eb)))
			break;
		ti = table_index(s, name);
		if (ti < 0 || seen[ti]) {
			rc = dp_fail(eb, DP_ERR_SCHEMA, "%s: the plan was made for a source with a table "
				     "%s; this source has %s", path, name, ti < 0 ? "no such table" :
				     "it once only (listed twice in the plan)");
			break;
		}
		seen[ti] = 1;
		t = &s->tables[ti];
		for (const cJSON *co = cols->child; co && !rc; co = co->next, c++) {
			const char *cn, *type, *cls;
			int nn;
			int64_t pk;
			snprintf(cp, sizeof(cp), "%s.columns[%zu]", path, c);
			if ((rc = r_obj(co, cp, "", eb)) || (rc = r_known(co, cp, ckeys, eb)) ||
			    (rc = r_str(co, cp, "name", 1, 0, &cn, eb)) ||
			    (rc = r_str(co, cp, "type", 1, 1, &type, eb)) ||
			    (rc = r_str(co, cp, "class", 1, 0, &cls, eb)) ||
			    (rc = r_bool(co, cp, "notnull", -1, &nn, eb)) ||
			    (rc = r_int(co, cp, "pk", 1, 0, &pk, eb)))
				break;
			if (c >= t->ncols)
				rc = dp_fail(eb, DP_ERR_SCHEMA, "%s: the plan has a column %s.%s the source "
					     "does not have", cp, t->name, cn);
			else if (strcmp(cn, t->cols[c].name))
				rc = dp_fail(eb, DP_ERR_SCHEMA, "%s: the plan has %s.%s here, the source "
					     "has %s.%s", cp, t->name, cn, t->name, t->cols[c].name);
			else if (!streq(type, t->cols[c].type_decl) ||
				 strcmp(cls, dp_tclass_name(t->cols[c].tclass)))
				rc = dp_fail(eb, DP_ERR_SCHEMA, "%s.type: %s.%s is %s (%s) in the plan, %s "
					     "(%s) in the source", cp, t->name, cn, type ? type : "untyped",
					     cls, t->cols[c].type_decl ? t->cols[c].type_decl : "untyped",
					     dp_tclass_name(t->cols[c].tclass));
			else if (nn != t->cols[c].notnull || pk != t->cols[c].pk_pos)
				rc = dp_fail(eb, DP_ERR_SCHEMA, "%s.%s: %s.%s differs in the source (%s)",
					     cp, nn != t->cols[c].notnull ? "notnull" : "pk", t->name, cn,
					     nn != t->cols[c].notnull ? (t->cols[c].notnull ? "NOT NULL there"
									 : "nullable there")
					     : "another primary-key position");
		}
		if (!rc && c < t->ncols)
			rc = dp_fail(eb, DP_ERR_SCHEMA, "%s.columns: the source has a column %s.%s the "
				     "plan does not have", path, t->name, t->cols[c].name);
		for (const cJSON *fo = fks->child; fo && !rc; fo = fo->next, f++) {
			const char *ref;
			int virt, same = 0;
			snprintf(cp, sizeof(cp), "%s.foreign_keys[%zu]", path, f);
			if ((rc = r_obj(fo, cp, "", eb)) || (rc = r_known(fo, cp, fkeys, eb)) ||
			    (rc = r_str(fo, cp, "references", 1, 0, &ref, eb)) ||
			    (rc = r_bool(fo, cp, "virtual", -1, &virt, eb)))
				break;
			if (f < t->nfks) {
				const dp_fk *fk = &t->fks[f];
				same = !strcmp(ref, fk->ref_table) && virt == fk->is_virtual;
				if (same && (same = str_array_is(fo, cp, "columns", fk->cols, fk->ncols, eb)) > 0)
					same = str_array_is(fo, cp, "ref_columns", fk->ref_cols, fk->ncols, eb);
				if (same < 0) {
					rc = same;
					break;
				}
			}
			if (!same)
				rc = dp_fail(eb, DP_ERR_SCHEMA, "%s: a foreign key of %s to %s in the plan %s",
					     cp, t->name, ref, f < t->nfks ? "differs from the source's "
					     "foreign key at this place" : "is not in the source");
		}
		if (!rc && f < t->nfks)
			rc = dp_fail(eb, DP_ERR_SCHEMA, "%s.foreign_keys: the source has a foreign key "
				     "%s(%s) -> %s the plan does not have", path, t->name,
				     t->fks[f].cols[0], t->fks[f].ref_table);
	}
	for (size_t k = 0; !rc && k < s->ntables; k++)
		if (!seen[k])
			rc = dp_fail(eb, DP_ERR_SCHEMA, "schema.tables: the source has a table %s the plan "
				     "does not have", s->tables[k].name);
	free(seen);
	return rc;
}

typedef struct rd {
	const dp_job_cfg *cfg;
	dp_schema *s;
	dp_plan *p;
	char *arena, *arena_end;     /* strings of the plan, inside its block */
	dp_errbuf *eb;
} rd;

/* Bytes the plan's own strings need (mode_why, why, kind). */
static size_t arena_size(const cJSON *tabs)
{
	size_t n = 0;

	for (const cJSON *to = tabs ? tabs->child : NULL; to; to = to->next) {
		const cJSON *v = r_get(to, "mode_why"), *cols = r_get(to, "columns");
		if (cJSON_IsString(v))
			n += strlen(v->valuestring) + 1;
		for (const cJSON *co = cJSON_IsArray(cols) ? cols->child : NULL; co; co = co->next) {
			const cJSON *w = r_get(co, "why"), *k = r_get(co, "kind");
			if (cJSON_IsString(w))
				n += strlen(w->valuestring) + 1;
			if (cJSON_IsString(k))
				n += strlen(k->valuestring) + 1;
		}
	}
	return n;
}

static const char *arena_dup(rd *r, const char *s)
{
	size_t n = s ? strlen(s) + 1 : 0;

	if (!s || (size_t)(r->arena_end - r->arena) < n)
		return NULL;
	memcpy(r->arena, s, n);
	r->arena += n;
	return r->arena - n;
}

/* A table named in the document: its plan index, or an error. */
static int plan_ref(rd *r, const char *path, const char *k, const char *name, long *out)
{
	*out = name ? dp_plan_index(r->p, name) : -1;
	if (*out < 0 || strcmp(r->p->tables[*out].t->name, name))
		return r_fail(r->eb, path, k, "names no table of the plan");
	return DP_OK;
}

static int r_subset(rd *r, const cJSON *so, const char *path, dp_plan_table *pt)
{
	static const char *const keys[] = { "percent", "where", "limit", "order_by",
		"include_children", "include_when", "max_per_parent", NULL };
	const dp_table_cfg *tc = dp_job_cfg_table(r->cfg, pt->t->name);
	const dp_subset_cfg *c = tc && tc->subset.set ? &tc->subset : NULL;
	const char *where, *order_by, *when, *children;
	double percent;
	int64_t limit, mpp;
	int rc, ch = DP_CHILDREN_DEFAULT;
	const char *differs = NULL;
	char b[256];

	if ((rc = r_obj(so, path, "subset", r->eb)))
		return rc;
	join(b, sizeof(b), path, "subset");
	if ((rc = r_known(so, b, keys, r->eb)) ||
	    (rc = r_num(so, b, "percent", 0, -1, &percent, r->eb)) ||
	    (rc = r_str(so, b, "where", 0, 0, &where, r->eb)) ||
	    (rc = r_int(so, b, "limit", 0, -1, &limit, r->eb)) ||
	    (rc = r_str(so, b, "order_by", 0, 0, &order_by, r->eb)) ||
	    (rc = r_str(so, b, "include_children", 0, 0, &children, r->eb)) ||
	    (rc = r_str(so, b, "include_when", 0, 0, &when, r->eb)) ||
	    (rc = r_int(so, b, "max_per_parent", 0, -1, &mpp, r->eb)))
		return rc;
	if (children && dp_enum_value(&dp_children_names, children, &ch))
		return r_fail(r->eb, b, "include_children", "unknown value; expected one of all, none");
	if (!c)
		return dp_fail(r->eb, DP_ERR_CONFIG, "%s: the engine file has no subset rule for %s "
			       "(any more); make the plan again", b, pt->t->name);
	/* the rule itself lives in the engine file: the plan must be of it */
	if (percent != c->percent)
		differs = "percent";
	else if (!streq(where, c->where))
		differs = "where";
	else if (limit != c->limit)
		differs = "limit";
	else if (!streq(order_by, c->order_by))
		differs = "order_by";
	else if (ch != (int)c->include_children)
		differs = "include_children";
	else if (!streq(when, c->include_when))
		differs = "include_when";
	else if (mpp != c->max_per_parent)
		differs = "max_per_parent";
	if (differs)
		return dp_fail(r->eb, DP_ERR_CONFIG, "%s.%s: differs from the engine file's "
			       "tables.%s.subset; make the plan again", b, differs, pt->t->name);
	pt->sub = c;
	return DP_OK;
}

static int r_synth(rd *r, const cJSON *so, const char *path, dp_plan_table *pt)
{
	static const char *const keys[] = { "seq_parent", "seq_col", "pk_from_fks", "target_rows",
		"scale", NULL };
	const char *par, *col;
	char b[256];
	int rc;

	if ((rc = r_obj(so, path, "synthesize", r->eb)))
		return rc;
	join(b, sizeof(b), path, "synthesize");
	if ((rc = r_known(so, b, keys, r->eb)) ||
	    (rc = r_str(so, b, "seq_parent", 1, 1, &par, r->eb)) ||
	    (rc = r_str(so, b, "seq_col", par != NULL, 0, &col, r->eb)) ||
	    (rc = r_bool(so, b, "pk_from_fks", -1, &pt->pk_from_fks, r->eb)) ||
	    (rc = r_int(so, b, "target_rows", 1, -1, &pt->target_rows, r->eb)) ||
	    (rc = r_num(so, b, "scale", 1, 0, &pt->scale, r->eb)))
		return rc;
	pt->seq_parent = -1;
	if (par) {
		long ci = col_index(pt->t, col);
		if ((rc = plan_ref(r, b, "seq_parent", par, &pt->seq_parent)))
			return rc;
		if (ci < 0)
			return r_fail(r->eb, b, "seq_col", "names no column of the table");
		pt->seq_col = (size_t)ci;
	}
	return DP_OK;
}

/* Compile the column's generator again from its spec and arguments. */
static int r_gen(rd *r, const cJSON *go, const char *path, dp_plan_table *pt, size_t ci,
		 dp_plan_col *pc)
{
	static const char *const keys[] = { "spec", "value", "consistent", "locale", NULL };
	dp_gen_opts o;
	dp_errbuf ge;
	const char *spec, *value, *locale, *want_value, *want_locale;
	int consistent, want_consistent, rc;
	dp_buf tmp = DP_BUF_INIT;
	char b[256];

	if ((rc = r_obj(go, path, "generator", r->eb)))
		return rc;
	join(b, sizeof(b), path, "generator");
	if ((rc = r_known(go, b, keys, r->eb)) ||
	    (rc = r_str(go, b, "spec", 1, 0, &spec, r->eb)) ||
	    (rc = r_str(go, b, "value", 0, 1, &value, r->eb)) ||
	    (rc = r_bool(go, b, "consistent", 2, &consistent, r->eb)) ||
	    (rc = r_str(go, b, "locale", 1, 0, &locale, r->eb)))
		return rc;
	/* the arguments are the engine file's (dp_plan_to_json derives them
	 * from it): a plan whose arguments the engine file no longer gives
	 * would print other ones than it runs with */
	gen_args(r->p, pt, ci, spec, &want_value, &want_consistent, &want_locale, &tmp);
	rc = !streq(value, want_value) ? r_fail(r->eb, b, "value", "differs from what the engine file "
						 "gives this column; make the plan again")
	     : (consistent == 2 ? -1 : consistent) != want_consistent
	     ? r_fail(r->eb, b, "consistent", "differs from the engine file's; make the plan again")
	     : strcmp(locale, want_locale) ? r_fail(r->eb, b, "locale", "differs from the engine "
						    "file's; make the plan again") : DP_OK;
	dp_buf_free(&tmp);
	if (rc)
		return rc;
	memset(&o, 0, sizeof(o));
	o.spec = spec;
	o.value = value;
	o.consistent = consistent == 2 ? -1 : consistent;
	o.locale = locale;
	o.table = pt->t->name;
	o.col = &pt->t->cols[ci];
	o.key = &r->p->jkey;
	o.pii = &pt->st->pii;
	o.pii_mock_replace = pt->st->pii_mock_replace;
	dp_errbuf_clear(&ge);
	rc = dp_gen_new(&o, &pc->gen, &ge);
	if (!rc)
		rc = dp_gen_check_column(pc->gen, pt->t, ci, &ge);
	if (!rc && dp_gen_is_identity(pc->gen))
		rc = dp_fail(&ge, DP_ERR_CONFIG, "copies the value; the column's action is then copy");
	if (rc)
		return dp_fail(r->eb, rc == DP_ERR_NOMEM ? rc : DP_ERR_CONFIG, "%s.spec: %s", b, ge.msg);
	return DP_OK;
}

static int r_column(rd *r, const cJSON *co, const char *path, dp_plan_table *pt, size_t ci)
{
	static const char *const keys[] = { "name", "action", "generator", "pii", "role", "ref", "key",
		"kind", "deferred", "null_unsel", "confidence", "why", NULL };
	dp_plan_col *pc = &pt->cols[ci];
	const dp_column *col = &pt->t->cols[ci];
	const char *name, *why, *kind, *ref;
	int act, role = DP_SR_MODEL, rc;
	int64_t key;

	pc->key = -1;
	pc->ref = -1;
	if ((rc = r_obj(co, path, "", r->eb)) || (rc = r_known(co, path, keys, r->eb)) ||
	    (rc = r_str(co, path, "name", 1, 0, &name, r->eb)) ||
	    (rc = r_enum(co, path, "action", action_names, &act, r->eb)) ||
	    (rc = r_bool(co, path, "pii", 0, &pc->pii, r->eb)) ||
	    (rc = r_str(co, path, "ref", 0, 0, &ref, r->eb)) ||
	    (rc = r_int(co, path, "key", 0, -1, &key, r->eb)) ||
	    (rc = r_str(co, path, "kind", 0, 0, &kind, r->eb)) ||
	    (rc = r_bool(co, path, "deferred", 0, &pc->deferred, r->eb)) ||
	    (rc = r_bool(co, path, "null_unsel", 0, &pc->null_unsel, r->eb)) ||
	    (rc = r_num(co, path, "confidence", 0, 0, &pc->confidence, r->eb)) ||
	    (rc = r_str(co, path, "why", 0, 0, &why, r->eb)))
		return rc;
	if (strcmp(name, col->name))
		return dp_fail(r->eb, DP_ERR_SCHEMA, "%s.name: the plan has %s.%s here, the source has "
			       "%s.%s", path, pt->t->name, name, pt->t->name, col->name);
	pc->action = (dp_col_action)act;
	if (pc->confidence < 0 || pc->confidence > 1)
		return r_fail(r->eb, path, "confidence", "expected a number in 0..1");
	if (key < -1 || key >= (int64_t)r->p->nkeys)
		return r_fail(r->eb, path, "key", "no such key domain in \"keys\"");
	pc->key = (long)key;
	if (pc->action == DP_COL_SYNTH) {
		if (pt->mode != DP_MODE_SYNTHESIZE)
			return r_fail(r->eb, path, "action", "synthesize in a table that is not SYNTHESIZE");
		if ((rc = r_enum(co, path, "role", role_names, &role, r->eb)))
			return rc;
		pc->srole = (dp_syn_role)role;
		if (ref && (rc = plan_ref(r, path, "ref", ref, &pc->ref)))
			return rc;
		if ((role == DP_SR_SEQ_FK || role == DP_SR_REF_FK) && pc->ref < 0)
			return r_fail(r->eb, path, "ref", "missing (the table the key comes from)");
	} else if (r_get(co, "role") || ref) {
		return r_fail(r->eb, path, r_get(co, "role") ? "role" : "ref",
			      "only for the action synthesize");
	}
	if (pc->action == DP_COL_KEY && pc->key < 0)
		return r_fail(r->eb, path, "key", "missing (the action key needs a key domain)");
	if (pc->key >= 0 && pc->action != DP_COL_KEY &&
	    !(pc->action == DP_COL_SYNTH && (role == DP_SR_FK_VALUE || role == DP_SR_SEQ_FK)))
		return r_fail(r->eb, path, "key", "only for the action key and references of synthesized rows");
	/* the key domain the schema's FKs lead this column to */
	if (pc->key >= 0 && dp_plan_key_of(r->p, pt->ti, ci) != pc->key)
		return dp_fail(r->eb, DP_ERR_CONFIG, "%s.key: %s.%s does not lead to key domain %ld "
			       "through its foreign keys", path, pt->t->name, col->name, pc->key);
	if (pc->action == DP_COL_GEN) {
		if ((rc = r_gen(r, r_get(co, "generator"), path, pt, ci, pc)))
			return rc;
	} else if (r_get(co, "generator")) {
		return r_fail(r->eb, path, "generator", "only for the action generator");
	}
	if (pc->deferred && col->notnull)
		return r_fail(r->eb, path, "deferred", "a NOT NULL column cannot be loaded NULL first");
	if (pc->null_unsel && col->notnull)
		return r_fail(r->eb, path, "null_unsel", "a NOT NULL column cannot be set NULL");
	pt->has_deferred |= pc->deferred;
	if (why && !(pc->why = arena_dup(r, why)))
		return dp_fail(r->eb, DP_ERR_INTERNAL, "%s.why: no room left", path);
	if (kind && !(pc->kind = arena_dup(r, kind)))
		return dp_fail(r->eb, DP_ERR_INTERNAL, "%s.kind: no room left", path);
	return DP_OK;
}

/* Everything of tables[k] but its name (read by the first pass). */
static int r_table(rd *r, const cJSON *to, const char *path, dp_plan_table *pt)
{
	static const char *const keys[] = { "name", "mode", "mode_why", "settings", "est_rows",
		"filtered", "subset", "synthesize", "columns", NULL };
	const dp_table_cfg *tc = dp_job_cfg_table(r->cfg, pt->t->name);
	const char *why, *st;
	const cJSON *cols, *co;
	int mode, rc;
	size_t ci = 0;
	char want[320], cp[128];

	if ((rc = r_known(to, path, keys, r->eb)) ||
	    (rc = r_enum_table(to, path, "mode", &dp_mode_names, &mode, r->eb)) ||
	    (rc = r_str(to, path, "mode_why", 1, 0, &why, r->eb)) ||
	    (rc = r_str(to, path, "settings", 1, 0, &st, r->eb)) ||
	    (rc = r_int(to, path, "est_rows", 1, -1, &pt->est_rows, r->eb)) ||
	    (rc = r_bool(to, path, "filtered", -1, &pt->filtered, r->eb)) ||
	    (rc = r_arr(to, path, "columns", &cols, r->eb)))
		return rc;
	pt->mode = (dp_mode)mode;
	if (!(pt->mode_why = arena_dup(r, why)))
		return dp_fail(r->eb, DP_ERR_INTERNAL, "%s.mode_why: no room left", path);
	/* settings: the engine's, or the engine file's entry for this table,
	 * whichever the engine file gives the table now */
	snprintf(want, sizeof(want), "tables.%s", pt->t->name);
	if (strcmp(st, "engine") && strcmp(st, want))
		return r_fail(r->eb, path, "settings", "expected \"engine\" or \"tables.<this table>\"");
	if (!strcmp(st, "engine") != !tc)
		return dp_fail(r->eb, DP_ERR_CONFIG, "%s.settings: the plan takes %s settings, but the "
			       "engine file %s; make the plan again", path, tc ? "the engine's" :
			       "the table's own", tc ? "now lists the table" : "does not list the table");
	pt->st = tc ? &tc->settings : &r->cfg->settings;
	pt->seq_parent = -1;
	pt->target_rows = tc ? tc->target_rows : -1;
	pt->scale = tc ? tc->scale : 0;
	if (r_get(to, "subset") && pt->mode != DP_MODE_SUBSET)
		return r_fail(r->eb, path, "subset", "only for SUBSET tables");
	if (r_get(to, "subset") && (rc = r_subset(r, r_get(to, "subset"), path, pt)))
		return rc;
	if (!pt->sub && pt->mode == DP_MODE_SUBSET && tc && tc->subset.set)
		return dp_fail(r->eb, DP_ERR_CONFIG, "%s.subset: missing, but the engine file has a "
			       "subset rule for %s; make the plan again", path, pt->t->name);
	if (pt->sub && !pt->filtered)
		return r_fail(r->eb, path, "filtered", "false, but the table has a subset rule");
	if (pt->mode == DP_MODE_SYNTHESIZE) {
		if ((rc = r_synth(r, r_get(to, "synthesize"), path, pt)))
			return rc;
	} else if (r_get(to, "synthesize")) {
		return r_fail(r->eb, path, "synthesize", "only for SYNTHESIZE tables");
	}
	for (co = cols->child; co && ci < pt->t->ncols; co = co->next, ci++) {
		snprintf(cp, sizeof(cp), "%s.columns[%zu]", path, ci);
		if ((rc = r_column(r, co, cp, pt, ci)))
			return rc;
	}
	if (co || ci < pt->t->ncols)
		return dp_fail(r->eb, DP_ERR_SCHEMA, "%s.columns: %zu entries, the table %s has %zu "
			       "columns", path, (size_t)cJSON_GetArraySize(cols), pt->t->name, pt->t->ncols);
	return DP_OK;
}

static int r_keys(rd *r, const cJSON *root)
{
	static const char *const keys[] = { "table", "column", "method", NULL };
	const cJSON *a;
	dp_plan *p = r->p;
	size_t n;
	int rc;

	if ((rc = r_arr(root, "", "keys", &a, r->eb)))
		return rc;
	n = (size_t)cJSON_GetArraySize(a);
	p->keys = calloc(n + 1, sizeof(dp_plan_key));
	if (!p->keys)
		return dp_fail(r->eb, DP_ERR_NOMEM, "out of memory");
	for (const cJSON *ko = a->child; ko; ko = ko->next) {
		char path[64];
		const char *tn, *cn;
		int method;
		long ti, ci = -1;
		snprintf(path, sizeof(path), "keys[%zu]", p->nkeys);
		if ((rc = r_obj(ko, path, "", r->eb)) || (rc = r_known(ko, path, keys, r->eb)) ||
		    (rc = r_str(ko, path, "table", 1, 0, &tn, r->eb)) ||
		    (rc = r_str(ko, path, "column", 1, 0, &cn, r->eb)) ||
		    (rc = r_enum_table(ko, path, "method", &dp_keygen_names, &method, r->eb)))
			return rc;
		ti = table_index(r->s, tn);
		if (ti >= 0)
			ci = col_index(&r->s->tables[ti], cn);
		if (ti < 0 || ci < 0)
			return r_fail(r->eb, path, ti < 0 ? "table" : "column", "names nothing in the schema");
		if (method == DP_KEYGEN_DUPLICATE)
			return r_fail(r->eb, path, "method", "a key domain regenerates keys: generate or hash");
		for (size_t k = 0; k < p->nkeys; k++)
			if (p->keys[k].table == (size_t)ti && p->keys[k].col == (size_t)ci)
				return r_fail(r->eb, path, "column", "this key domain is listed twice");
		p->keys[p->nkeys++] = (dp_plan_key){ .table = (size_t)ti, .col = (size_t)ci,
			.method = (dp_keygen)method };
	}
	return DP_OK;
}

/* Parents before children on every edge the load enforces (the graph's own
 * rule, tests/unit/test_graph.c check_order_respects_edges). */
static int check_order(rd *r)
{
	const dp_graph *g = r->p->graph;
	size_t *pos = calloc(r->s->ntables + 1, sizeof(size_t));

	if (!pos)
		return dp_fail(r->eb, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; k < r->p->ntables; k++)
		pos[r->p->tables[k].ti] = k;
	for (size_t e = 0; e < g->nedges; e++) {
		const dp_edge *ed = &g->edges[e];
		if (ed->broken || ed->child == ed->parent || (!g->immediate && ed->in_cycle) ||
		    pos[ed->parent] < pos[ed->child])
			continue;
		size_t at = pos[ed->child];
		free(pos);
		return dp_fail(r->eb, DP_ERR_CONFIG, "tables[%zu]: %s is loaded before %s, which it "
			       "references (via %s)", at, r->s->tables[ed->child].name,
			       r->s->tables[ed->parent].name, ed->fk->cols[0]);
	}
	free(pos);
	return DP_OK;
}

/* Deferred columns are exactly the columns of the cycle edges the graph
 * breaks (immediate enforcement): one more would load NULLs for nothing,
 * one fewer would fail the load on the first row of the cycle. */
static int check_deferred(rd *r)
{
	const dp_graph *g = r->p->graph;

	for (size_t k = 0; k < r->p->ntables; k++) {
		const dp_plan_table *pt = &r->p->tables[k];
		for (size_t ci = 0; ci < pt->t->ncols; ci++) {
			int broken = 0;
			for (size_t e = 0; e < g->nedges && !broken; e++) {
				const dp_edge *ed = &g->edges[e];
				if (!ed->broken || ed->child != pt->ti)
					continue;
				for (size_t c = 0; c < ed->fk->ncols && !broken; c++)
					broken = !strcmp(ed->fk->cols[c], pt->t->cols[ci].name);
			}
			if (pt->mode == DP_MODE_EXCLUDE)
				broken = 0;
			if (broken != pt->cols[ci].deferred)
				return dp_fail(r->eb, DP_ERR_CONFIG, "tables[%zu].columns[%zu].deferred: %s.%s %s",
					       k, ci, pt->t->name, pt->t->cols[ci].name, broken
					       ? "breaks an FK cycle and must be loaded NULL first (missing)"
					       : "breaks no FK cycle of this load; it would be loaded NULL for nothing");
		}
	}
	return DP_OK;
}

static int r_synth_order(rd *r, const cJSON *root)
{
	const cJSON *a;
	dp_plan *p = r->p;
	size_t n = 0;
	int rc;

	if ((rc = r_arr(root, "", "synth_order", &a, r->eb)))
		return rc;
	for (size_t k = 0; k < p->ntables; k++)
		n += p->tables[k].mode == DP_MODE_SYNTHESIZE;
	if ((size_t)cJSON_GetArraySize(a) != n)
		return dp_fail(r->eb, DP_ERR_CONFIG, "synth_order: %d tables, the plan has %zu "
			       "SYNTHESIZE tables", cJSON_GetArraySize(a), n);
	if (!n)
		return DP_OK;
	p->synth_order = calloc(n + 1, sizeof(size_t));
	if (!p->synth_order)
		return dp_fail(r->eb, DP_ERR_NOMEM, "out of memory");
	for (const cJSON *it = a->child; it; it = it->next) {
		char path[64];
		long m;
		snprintf(path, sizeof(path), "synth_order[%zu]", p->nsynth);
		if (!cJSON_IsString(it))
			return r_fail(r->eb, path, "", "expected a table name");
		if ((rc = plan_ref(r, path, "", it->valuestring, &m)))
			return rc;
		if (p->tables[m].mode != DP_MODE_SYNTHESIZE)
			return r_fail(r->eb, path, "", "not a SYNTHESIZE table");
		for (size_t q = 0; q < p->nsynth; q++)
			if (p->synth_order[q] == (size_t)m)
				return r_fail(r->eb, path, "", "listed twice");
		p->synth_order[p->nsynth++] = (size_t)m;
	}
	return DP_OK;
}

/* "line L, column C" of byte offset off (messages name no content). */
static void where_in(const char *json, size_t off, char *out, size_t n)
{
	size_t line = 1, col = 1;

	for (size_t i = 0; i < off; i++) {
		if (json[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(out, n, "line %zu, column %zu", line, col);
}

int dp_plan_from_json(const char *json, size_t n, const dp_job_cfg *cfg, dp_schema *schema,
		      dp_plan **out, dp_errbuf *eb)
{
	static const char *const keys[] = { "format", "version", "engine", "seed", "immediate_fk",
		"schema", "keys", "tables", "synth_order", NULL };
	const char *end = NULL, *format, *seed, *name;
	const cJSON *tabs;
	cJSON *root;
	rd r;
	dp_plan *p = NULL;
	int64_t version;
	size_t arena, k;
	int rc;

	*out = NULL;
	if (n > DP_PLAN_JSON_MAX)
		return dp_fail(eb, DP_ERR_CONFIG, "plan: %zu bytes, more than the %zu a plan may have",
			       n, DP_PLAN_JSON_MAX);
	root = cJSON_ParseWithLengthOpts(json, n, &end, 0);
	if (!root) {
		char at[64];
		if (!end || end < json || end > json + n)
			return dp_fail(eb, DP_ERR_NOMEM, "plan: cannot parse (out of memory)");
		where_in(json, (size_t)(end - json), at, sizeof(at));
		return dp_fail(eb, DP_ERR_CONFIG, "plan: not valid JSON at %s", at);
	}
	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.s = schema;
	r.eb = eb;
	if (!cJSON_IsObject(root)) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "plan: expected a JSON object");
		goto out;
	}
	if ((rc = r_str(root, "", "format", 1, 0, &format, eb)))
		goto out;
	if (strcmp(format, DP_PLAN_JSON_FORMAT)) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "format: not a doppel plan (expected \"%s\")",
			     DP_PLAN_JSON_FORMAT);
		goto out;
	}
	if ((rc = r_int(root, "", "version", 1, 0, &version, eb)))
		goto out;
	if (version != DP_PLAN_JSON_VERSION) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "version: a plan of format version %" PRId64 "; this "
			     "doppel reads version %d (make the plan again with this doppel)",
			     version, DP_PLAN_JSON_VERSION);
		goto out;
	}
	if ((rc = r_known(root, "", keys, eb)) ||
	    (rc = r_str(root, "", "engine", 0, 1, &name, eb)) ||
	    (rc = r_str(root, "", "seed", 1, 0, &seed, eb)) ||
	    (rc = add_virtual_fks(cfg, schema, eb)) ||
	    (rc = check_schema(root, schema, eb)) ||
	    (rc = r_arr(root, "", "tables", &tabs, eb)))
		goto out;

	/* one block: the plan, then its strings (dp_plan_free frees p, and so
	 * them; plan.c's own plans keep static or engine-file strings there) */
	arena = arena_size(tabs);
	p = calloc(1, sizeof(*p) + arena);
	if (!p) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	r.p = p;
	r.arena = (char *)(p + 1);
	r.arena_end = r.arena + arena;
	p->cfg = cfg;
	p->schema = schema;
	{
		char *e;
		errno = 0;
		long long v = strtoll(seed, &e, 10);
		if (errno || e == seed || *e) {
			rc = r_fail(eb, "", "seed", "expected a decimal integer in a string");
			goto out;
		}
		p->seed = (int64_t)v;
	}
	dp_job_key_from_seed(p->seed, &p->jkey);
	if ((rc = r_bool(root, "", "immediate_fk", -1, &p->immediate_fk, eb)) ||
	    (rc = dp_graph_build(schema, NULL, p->immediate_fk, &p->graph, eb)) ||
	    (rc = r_keys(&r, root)))
		goto out;

	/* first pass: names and the load order, so references resolve */
	if ((size_t)cJSON_GetArraySize(tabs) != schema->ntables) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "tables: %d tables in the load order, the schema has %zu",
			     cJSON_GetArraySize(tabs), schema->ntables);
		goto out;
	}
	p->tables = calloc(schema->ntables + 1, sizeof(*p->tables));
	if (!p->tables) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	k = 0;
	for (const cJSON *to = tabs->child; to; to = to->next, k++) {
		char path[64];
		const char *tn;
		long ti;
		snprintf(path, sizeof(path), "tables[%zu]", k);
		if ((rc = r_obj(to, path, "", eb)) || (rc = r_str(to, path, "name", 1, 0, &tn, eb)))
			goto out;
		ti = table_index(schema, tn);
		for (size_t q = 0; ti >= 0 && q < k; q++)
			if (p->tables[q].ti == (size_t)ti)
				ti = -2;
		if (ti < 0) {
			rc = r_fail(eb, path, "name", ti == -1 ? "names no table of the schema"
				    : "this table is already in the load order");
			goto out;
		}
		p->tables[k].ti = (size_t)ti;
		p->tables[k].t = &schema->tables[ti];
		p->tables[k].cols = calloc(p->tables[k].t->ncols + 1, sizeof(dp_plan_col));
		p->ntables = k + 1;
		if (!p->tables[k].cols) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	/* modes first: a column's checks look at its own table's mode */
	k = 0;
	for (const cJSON *to = tabs->child; to; to = to->next, k++) {
		char path[64];
		snprintf(path, sizeof(path), "tables[%zu]", k);
		if ((rc = r_table(&r, to, path, &p->tables[k])))
			goto out;
	}
	if ((rc = check_order(&r)) || (rc = check_deferred(&r)) || (rc = r_synth_order(&r, root)))
		goto out;
out:
	cJSON_Delete(root);
	if (rc) {
		dp_plan_free(p);
		return rc;
	}
	*out = p;
	return DP_OK;
}
