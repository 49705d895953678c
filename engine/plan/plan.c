/* engine/plan/plan.c - build a job plan (its SYNTHESIZE part: plan_synth.c; the
 * printed plan: plan_print.c).
 *
 * Everything that can be refused is refused here, before a target session
 * is opened: a DBA runs `doppel plan` to see exactly what `doppel run`
 * will do, and a bad engine file must never cost a half-written target.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "plan_int.h"
#include "../pii/detect.h"
#include "../pii/mock.h"
#include "../gen/textpii.h"
#include "../mask/typed.h"
#include "../../base/dp_log.h"

static const char *mode_from_init(dp_init_mode m, dp_mode *out)
{
	switch (m) {
	case DP_INIT_SYNTHESIZE: *out = DP_MODE_SYNTHESIZE; return "initialization_mode SYNTHESIZE";
	case DP_INIT_MOCK: *out = DP_MODE_DE_IDENTIFY; return "initialization_mode MOCK";
	case DP_INIT_MOCK_OR_MASK: *out = DP_MODE_DE_IDENTIFY; return "initialization_mode MOCK_OR_MASK";
	case DP_INIT_DE_IDENTIFY: *out = DP_MODE_DE_IDENTIFY; return "initialization_mode DE_IDENTIFY";
	case DP_INIT_FROM_SCRATCH: *out = DP_MODE_EXCLUDE; return "initialization_mode FROM_SCRATCH";
	}
	*out = DP_MODE_DE_IDENTIFY;
	return "initialization_mode";
}

/* Append "a, b, c" of the schema's table names (at most 20) for messages. */
static void table_names(const dp_schema *s, char *out, size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < s->ntables && i < 20 && o + 1 < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", i ? ", " : "", s->tables[i].name);
	if (s->ntables > 20 && o + 1 < outsz)
		snprintf(out + o, outsz - o, ", ...");
}

static int add_virtual_fks(const dp_job_cfg *cfg, dp_schema *s, dp_errbuf *eb)
{
	for (size_t v = 0; v < cfg->nvfks; v++) {
		const dp_vfk_cfg *vf = &cfg->vfks[v];
		dp_table *t = dp_schema_table(s, vf->table), *p;
		dp_fk *fk;
		int rc;

		if (!t)
			return dp_fail(eb, DP_ERR_CONFIG,
				       "virtual_foreign_keys[%zu].table: no table \"%s\" in the source",
				       v, vf->table);
		p = dp_schema_table(s, vf->ref_table);
		if (!p)
			return dp_fail(eb, DP_ERR_CONFIG,
				       "virtual_foreign_keys[%zu].references.table: no table \"%s\" in the source",
				       v, vf->ref_table);
		for (size_t c = 0; c < vf->ncols; c++) {
			if (dp_table_col_index(t, vf->cols[c]) < 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "virtual_foreign_keys[%zu].columns[%zu]: no column \"%s\" in table %s",
					       v, c, vf->cols[c], t->name);
			if (dp_table_col_index(p, vf->ref_cols[c]) < 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "virtual_foreign_keys[%zu].references.columns[%zu]: no column \"%s\" in table %s",
					       v, c, vf->ref_cols[c], p->name);
		}
		rc = dp_table_add_fk(t, NULL, p->name, vf->ncols, (const char *const *)vf->cols,
				     (const char *const *)vf->ref_cols, &fk);
		if (rc)
			return dp_fail(eb, rc, "out of memory");
		fk->is_virtual = 1;
	}
	return DP_OK;
}

static int check_cfg_names(const dp_job_cfg *cfg, const dp_schema *s, dp_errbuf *eb)
{
	char names[512];

	for (size_t i = 0; i < cfg->ntables; i++) {
		const dp_table_cfg *tc = &cfg->tables[i];
		const dp_table *t = dp_schema_table(s, tc->name);
		if (!t) {
			table_names(s, names, sizeof(names));
			return dp_fail(eb, DP_ERR_CONFIG,
				       "tables.%s: no such table in the source (it has: %s)",
				       tc->name, names);
		}
		for (size_t c = 0; c < tc->ncols; c++)
			if (dp_table_col_index(t, tc->cols[c].name) < 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s.columns.%s: no such column in table %s",
					       tc->name, tc->cols[c].name, t->name);
	}
	return DP_OK;
}

/* Type classes whose values can compare equal across a key: numbers with
 * numbers, text with text-like ones; UNKNOWN (an untyped SQLite column)
 * matches anything. */
static int key_family(dp_tclass c)
{
	switch (c) {
	case DP_T_UNKNOWN: return 0;
	case DP_T_INTEGER: case DP_T_REAL: case DP_T_NUMERIC: return 1;
	case DP_T_TEXT: case DP_T_UUID: return 2;
	default: return 10 + (int)c;
	}
}

/* Do the n named columns of t form its primary key or a unique key (as a
 * set: parse refused names listed twice)? */
static int cols_are_key(const dp_table *t, char *const *cols, size_t n)
{
	size_t hit = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < t->npk; k++)
			hit += (long)t->pk[k] == dp_table_col_index(t, cols[i]);
	if (n == t->npk && hit == n)
		return 1;
	if (n == 1 && t->cols[dp_table_col_index(t, cols[0])].is_unique)
		return 1;
	for (size_t x = 0; x < t->nidx; x++) {
		const dp_index *ix = &t->idx[x];
		if (!ix->unique || !ix->cols || ix->ncols != n)
			continue;
		hit = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < n; k++)
				hit += dp_table_col_index(t, ix->cols[k]) == dp_table_col_index(t, cols[i]);
		if (hit == n)
			return 1;
	}
	return 0;
}

/* What the engine file names that only the schema can check, beyond table
 * and column names: the column lists of settings (an unknown name there
 * is skipped by the readers, engine/pipeline.c and models/train.c, and
 * each list is read for some modes only) and
 * virtual keys (a key to a non-unique column, or between values of types
 * that never compare equal, would be honoured as given and keep the wrong
 * rows). Runs after add_virtual_fks, so every name in them resolves. */
static int check_cfg_lists_and_keys(const dp_job_cfg *cfg, const dp_schema *s, dp_errbuf *eb)
{
	const dp_settings *js = &cfg->settings;
	dp_mode preset;

	mode_from_init(js->initialization_mode, &preset);
	for (size_t i = 0; i < cfg->ntables; i++) {
		const dp_table_cfg *tc = &cfg->tables[i];
		const dp_table *t = dp_schema_table(s, tc->name);
		dp_mode m = tc->mode != DP_MODE_UNSET ? tc->mode : preset;
		/* only the copy pipeline reads rows in that order (pipeline.c) */
		if (tc->own_order_by && tc->settings.n_order_by_cols &&
		    (m == DP_MODE_SYNTHESIZE || m == DP_MODE_EXCLUDE))
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.default_order_by_nr_columns: orders the "
				       "rows a copied table reads; this table is %s, so it would be ignored",
				       tc->name, dp_mode_name(m));
		for (size_t c = 0; tc->own_order_by && c < tc->settings.n_order_by_cols; c++)
			if (dp_table_col_index(t, tc->settings.order_by_cols[c]) < 0)
				return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.default_order_by_nr_columns[%zu]: "
					       "no column \"%s\" in table %s", tc->name, c,
					       tc->settings.order_by_cols[c], t->name);
		if (!tc->own_train_order || tc->settings.feat_model_train_order != DP_ORDER_EXPLICIT)
			continue;
		if (m != DP_MODE_SYNTHESIZE)
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.default_feat_model_train_order: orders "
				       "the columns a SYNTHESIZE table models; this table is %s, so it would "
				       "be ignored", tc->name, dp_mode_name(m));
		for (size_t c = 0; c < tc->settings.n_train_order_cols; c++)
			if (dp_table_col_index(t, tc->settings.train_order_cols[c]) < 0)
				return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.default_feat_model_train_order[%zu]: "
					       "no column \"%s\" in table %s", tc->name, c,
					       tc->settings.train_order_cols[c], t->name);
	}
	/* the engine-level lists are shared: a name must belong to at least one
	 * table that inherits the list and reads it (copies rows, or for the
	 * model order, synthesizes) */
	for (int which = 0; which < 2; which++) {
		size_t n = which ? js->n_train_order_cols : js->n_order_by_cols;
		char **names = which ? js->train_order_cols : js->order_by_cols;
		if (which && js->feat_model_train_order != DP_ORDER_EXPLICIT)
			break;
		for (size_t c = 0; c < n; c++) {
			int found = 0;
			for (size_t k = 0; k < s->ntables && !found; k++) {
				const dp_table_cfg *tc = dp_job_cfg_table(cfg, s->tables[k].name);
				dp_mode m = tc && tc->mode != DP_MODE_UNSET ? tc->mode : preset;
				if (tc && (which ? tc->own_train_order : tc->own_order_by))
					continue;
				if (which ? m != DP_MODE_SYNTHESIZE
					  : m == DP_MODE_SYNTHESIZE || m == DP_MODE_EXCLUDE)
					continue;
				found = dp_table_col_index(&s->tables[k], names[c]) >= 0;
			}
			if (!found)
				return dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: no column \"%s\" in any %s table "
					       "that uses this list", which ? "default_feat_model_train_order"
					       : "default_order_by_nr_columns", c, names[c],
					       which ? "SYNTHESIZE" : "copied");
		}
	}
	for (size_t v = 0; v < cfg->nvfks; v++) {
		const dp_vfk_cfg *vf = &cfg->vfks[v];
		const dp_table *t = dp_schema_table(s, vf->table), *p = dp_schema_table(s, vf->ref_table);
		if (!cols_are_key(p, vf->ref_cols, vf->ncols))
			return dp_fail(eb, DP_ERR_CONFIG, "virtual_foreign_keys[%zu].references.columns: "
				       "not the primary key or a unique key of %s, so a row could match "
				       "several parents", v, p->name);
		for (size_t c = 0; c < vf->ncols; c++) {
			const dp_column *a = &t->cols[dp_table_col_index(t, vf->cols[c])];
			const dp_column *b = &p->cols[dp_table_col_index(p, vf->ref_cols[c])];
			int fa = key_family(a->tclass), fb = key_family(b->tclass);
			if (fa && fb && fa != fb)
				return dp_fail(eb, DP_ERR_CONFIG, "virtual_foreign_keys[%zu].columns[%zu]: "
					       "%s.%s is %s but %s.%s is %s; their values never compare equal",
					       v, c, t->name, a->name, dp_tclass_name(a->tclass), p->name,
					       b->name, dp_tclass_name(b->tclass));
		}
	}
	return DP_OK;
}

/* Is column ci of table t part of any FK? Returns the FK or NULL, and the
 * position of the column inside it. */
const dp_fk *dp_plan_fk_of_col(const dp_table *t, size_t ci, size_t *pos)
{
	for (size_t f = 0; f < t->nfks; f++)
		for (size_t k = 0; k < t->fks[f].ncols; k++)
			if (strcmp(t->fks[f].cols[k], t->cols[ci].name) == 0) {
				*pos = k;
				return &t->fks[f];
			}
	return NULL;
}

/* The column an FK column ci of table ti references: 1 and (*rti, *rci),
 * else 0 (no FK, or one pointing at itself). */
static int fk_ref(const dp_plan *p, size_t ti, size_t ci, size_t *rti, size_t *rci)
{
	const dp_table *t = &p->schema->tables[ti];
	size_t pos;
	const dp_fk *fk = dp_plan_fk_of_col(t, ci, &pos);
	const dp_table *pt = fk ? dp_schema_table(p->schema, fk->ref_table) : NULL;
	long pc = pt ? dp_table_col_index(pt, fk->ref_cols[pos]) : -1;

	if (pc < 0 || (pt == t && (size_t)pc == ci))
		return 0;
	*rti = (size_t)(pt - p->schema->tables);
	*rci = (size_t)pc;
	return 1;
}

/* The key domain (index into p->keys) of column ci of table ti: its own, or
 * the one its FKs lead to; -1 when none. */
static long key_domain(const dp_plan *p, size_t ti, size_t ci)
{
	for (int depth = 0; depth <= 64; depth++) {
		for (size_t k = 0; k < p->nkeys; k++)
			if (p->keys[k].table == ti && p->keys[k].col == ci)
				return (long)k;
		if (!fk_ref(p, ti, ci, &ti, &ci))
			return -1;
	}
	return -1;
}

/* Is column ci of table ti a primary-key column without an integer key
 * domain (a text key, a part of a composite key), itself or through the FKs
 * it follows? Such keys are mapped by format-preserving encryption under
 * key_generation_method generate/hash: deterministic and bijective, so every
 * reference maps the same way and uniqueness holds. */
static int key_without_domain(const dp_plan *p, size_t ti, size_t ci)
{
	size_t rti, rci;
	const dp_column *c;

	if (key_domain(p, ti, ci) >= 0)
		return 0;
	for (int depth = 0; depth < 64 && fk_ref(p, ti, ci, &rti, &rci); depth++) {
		ti = rti;
		ci = rci;
	}
	c = &p->schema->tables[ti].cols[ci];
	return c->pk_pos && (c->tclass == DP_T_TEXT || c->tclass == DP_T_UNKNOWN ||
			     c->tclass == DP_T_INTEGER || c->tclass == DP_T_NUMERIC);
}

long dp_plan_key_of(const dp_plan *p, size_t ti, size_t col)
{
	return key_domain(p, ti, col);
}

/* The mode of schema table ti as planned (EXCLUDE when unknown). */
static dp_mode planned_mode(const dp_plan *p, size_t ti)
{
	for (size_t k = 0; k < p->ntables; k++)
		if (p->tables[k].ti == ti)
			return p->tables[k].mode;
	return DP_MODE_EXCLUDE;
}

/* Is column ci of t a key made from a name, or a reference to one? */
static int name_key_of(const dp_plan *p, const dp_table *t, size_t ci, const dp_fk *fk, size_t pos)
{
	const dp_table *par;
	long pc;

	if (t->cols[ci].name_key)
		return 1;
	if (!fk || fk->ncols != 1)
		return 0;
	par = dp_schema_table(p->schema, fk->ref_table);
	pc = par ? dp_table_col_index(par, fk->ref_cols[pos]) : -1;
	return pc >= 0 && par->cols[pc].name_key;
}

/* A mock on a unique column must be able to produce enough distinct values:
 * a list of N values cannot fill more than N rows, and a consistent mock
 * hashes values onto it, so it collides long before (the birthday bound).
 * Only mocks that map their input one to one (dp_mock_cardinality says
 * SIZE_MAX) may fill a unique column; the others are refused, naming the
 * column, the mock's count and the rows. */
static int check_mock_enough(const dp_plan_table *pt, size_t ci, const char *spec, const char *locale,
			     dp_errbuf *eb)
{
	const dp_column *c = &pt->t->cols[ci];
	size_t n;
	int64_t rows = pt->t->row_estimate;

	if (strncmp(spec, "mock:", 5) || (!c->is_unique && c->pk_pos == 0))
		return DP_OK;
	n = dp_mock_cardinality(spec + 5, locale);
	if (n == SIZE_MAX || n == 0)      /* one to one, or a kind the generator checks */
		return DP_OK;
	return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s: %s can produce %zu distinct values "
		       "(locale %s), but the column is unique%s: its values would collide; use "
		       "mask:fpe or mask:hash (one to one)", pt->t->name, c->name, spec, n, locale,
		       rows > 0 ? (rows > (int64_t)n ? " and has more rows" : " (a hash onto a list collides "
				   "long before it is full)") : "");
}

int dp_plan_make_gen(const dp_plan *p, const dp_plan_table *pt, size_t ci, const char *spec,
		    const char *value, int consistent, const char *locale, dp_plan_col *pc,
		    dp_errbuf *eb)
{
	dp_gen_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.spec = spec;
	o.value = value;
	o.consistent = consistent;
	o.locale = locale;
	o.table = pt->t->name;
	o.col = &pt->t->cols[ci];
	o.key = &p->jkey;
	o.pii = &pt->st->pii;
	o.pii_mock_replace = pt->st->pii_mock_replace;
	o.names = p->names;
	rc = dp_gen_new(&o, &pc->gen, eb);
	if (!rc)
		rc = dp_gen_check_column(pc->gen, pt->t, ci, eb);
	if (rc && o.col->generated) {
		/* a generated column is computed by the target: a generator the
		 * engine file asks for is an error, one a preset or the PII scan
		 * chose is dropped (the columns it is computed from are masked) */
		const dp_table_cfg *tc = dp_job_cfg_table(p->cfg, pt->t->name);
		const dp_column_cfg *cc = tc ? dp_table_cfg_column(tc, o.col->name) : NULL;
		if (!(cc && cc->generator && !strcmp(cc->generator, spec))) {
			dp_errbuf_clear(eb);
			dp_gen_free(pc->gen);
			pc->gen = NULL;
			pc->action = DP_COL_COPY;
			return DP_OK;
		}
	}
	if (rc) {
		dp_gen_free(pc->gen);
		pc->gen = NULL;
		return rc;
	}
	pc->action = dp_gen_is_identity(pc->gen) ? DP_COL_COPY : DP_COL_GEN;
	if (pc->action == DP_COL_COPY) {
		dp_gen_free(pc->gen);
		pc->gen = NULL;
	} else {
		const char *cs = dp_gen_spec(pc->gen);
		/* free text keeps its words: only the spans found change */
		/* generators that promise a value other than the input; typed
		 * masks and small-domain mocks do not (a boolean stays a boolean) */
		static const char *const weak[] = { "mask:textpii", "mask:noise", "mask:scramble",
			"mask:date_shift", "mask:truncate_date", "mock:number", "mock:boolean",
			"mock:one_of", NULL };
		pc->pii = strncmp(cs, "mock:", 5) == 0 || strncmp(cs, "mask:", 5) == 0;
		for (const char *const *w = weak; *w; w++)
			if (!strcmp(cs, *w))
				pc->pii = 0;
	}
	return DP_OK;
}

/* The generator the MOCK / MOCK_OR_MASK presets give a column that is no
 * key, no reference and no detected PII; NULL: copied (with *why said). */
static const char *preset_spec(const dp_table *t, size_t ci, dp_init_mode m, dp_buf *allowed,
			       const char **why)
{
	const dp_column *c = &t->cols[ci];
	int mock = m == DP_INIT_MOCK;

	/* a CHECK (col IN (...)) list: the values the target accepts */
	for (size_t k = 0; k <= t->nchecks; k++) {
		/* table CHECKs, then the CREATE TABLE text (column CHECKs) */
		const char *ck = k < t->nchecks ? t->checks[k] : t->create_sql;
		if (ck && dp_check_in_list(ck, c->name, allowed)) {
			*why = "initialization_mode: one of the values its CHECK allows";
			return "mock:one_of";
		}
	}
	dp_buf_reset(allowed);
	*why = mock ? "initialization_mode MOCK: a mock of its type"
		    : "initialization_mode MOCK_OR_MASK: masked by type";
	switch (c->tclass) {
	case DP_T_TEXT:
	case DP_T_UNKNOWN:
		if (c->is_unique)
			return c->length > 0 && c->length < 16 ? "mask:fpe" : "mask:hash";
		return mock ? "mock:text" : "mask:scramble";
	case DP_T_INTEGER:
		return c->is_unique ? "mask:hash" : mock ? "mock:number" : "mask:noise";
	case DP_T_REAL:
	case DP_T_NUMERIC:
		return mock ? "mock:number" : "mask:noise";
	case DP_T_DATE:
	case DP_T_TIMESTAMP:
		return mock ? "mock:date" : "mask:date_shift";
	case DP_T_BOOL:
		if (mock)
			return "mock:boolean";
		break;
	case DP_T_UUID:
		return "mock:uuid";
	default:
		if (mock && !c->notnull) {
			*why = "initialization_mode MOCK: no mock of this type, NULL";
			return "null";
		}
		break;
	}
	*why = "kept: no mock or mask of this type";
	return NULL;
}

static int plan_columns(dp_plan *p, dp_plan_table *pt, const dp_table_cfg *tc, dp_errbuf *eb)
{
	const dp_table *t = pt->t;
	const dp_settings *js = &p->cfg->settings;
	int rc = DP_OK;

	for (size_t ci = 0; ci < t->ncols && !rc; ci++) {
		dp_plan_col *pc = &pt->cols[ci];
		const dp_column_cfg *cc = tc ? dp_table_cfg_column(tc, t->cols[ci].name) : NULL;
		const char *locale = pt->st->locale ? pt->st->locale : "en";
		size_t pos;
		const dp_fk *fk = dp_plan_fk_of_col(t, ci, &pos);
		dp_pii_hit hit;

		if (cc && cc->overrides && cc->overrides->locale)
			locale = cc->overrides->locale;
		pc->key = -1;
		if (pt->mode == DP_MODE_EXCLUDE)
			continue;
		if (cc && cc->generator && !strcmp(cc->generator, "synthesize") &&
		    pt->mode != DP_MODE_SYNTHESIZE)
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s.generator: \"synthesize\" "
				       "needs the table's mode SYNTHESIZE (it is %s)", t->name,
				       t->cols[ci].name, dp_mode_name(pt->mode));
		if (pt->mode == DP_MODE_SYNTHESIZE) {
			int done = dp_plan_synth_col(p, pt, cc, ci, fk, locale, pc, eb);
			if (done < 0)
				return done;
			if (done)
				continue;
		} else {
			pc->key = key_domain(p, pt->ti, ci);
		}
		if (pc->key >= 0) {
			if (cc && cc->generator && strcmp(cc->generator, "duplicate") != 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s.columns.%s: generator \"%s\" on a key column "
					       "conflicts with key_generation_method %s (keys are "
					       "regenerated consistently); remove the generator",
					       t->name, t->cols[ci].name, cc->generator,
					       dp_keygen_name(js->key_generation_method));
			pc->action = DP_COL_KEY;
			pc->why = "key_generation_method";
			continue;
		}
		/* a text key made from a person's name (smithjo01), and every
		 * reference to it: FF1 keeps the shape, maps it one to one and the
		 * same in every table, so the references still join */
		if (pt->mode != DP_MODE_SYNTHESIZE && !(cc && cc->generator) &&
		    js->initialization_mode != DP_INIT_FROM_SCRATCH && name_key_of(p, t, ci, fk, pos)) {
			rc = dp_plan_make_gen(p, pt, ci, "mask:fpe", NULL, -1, locale, pc, eb);
			pc->why = fk ? "references a key made from a person's name: mapped by FF1 as that key is"
				     : "a key made from the person's name (the value scan): mapped by FF1, the "
				       "same in every table that references it";
			pc->pii = 1;
			continue;
		}
		if (js->key_generation_method != DP_KEYGEN_DUPLICATE && pt->mode != DP_MODE_SYNTHESIZE &&
		    key_without_domain(p, pt->ti, ci)) {
			if (cc && cc->generator && strcmp(cc->generator, "duplicate") != 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s.columns.%s: generator \"%s\" on a key column "
					       "conflicts with key_generation_method %s (keys are "
					       "regenerated consistently); remove the generator",
					       t->name, t->cols[ci].name, cc->generator,
					       dp_keygen_name(js->key_generation_method));
			rc = dp_plan_make_gen(p, pt, ci, "mask:fpe", NULL, -1, locale, pc, eb);
			pc->why = "key_generation_method: a text or composite key, mapped by FF1 "
				  "(format-preserving, bijective, same in every table)";
			pc->pii = 0;
			continue;
		}
		/* a nullable FK to a table that receives no rows is loaded NULL */
		if (fk) {
			const dp_table *par = dp_schema_table(p->schema, fk->ref_table);
			if (par && planned_mode(p, (size_t)(par - p->schema->tables)) == DP_MODE_EXCLUDE &&
			    par != t) {
				if (t->cols[ci].notnull)
					return dp_fail(eb, DP_ERR_CONFIG,
						       "tables.%s: mode EXCLUDE leaves it empty, but %s.%s "
						       "(NOT NULL) references it; exclude %s too, or give "
						       "%s another mode",
						       par->name, t->name, t->cols[ci].name, t->name, par->name);
				rc = dp_plan_make_gen(p, pt, ci, "null", NULL, -1, locale, pc, eb);
				pc->why = "parent table is EXCLUDE";
				continue;
			}
		}
		if (pt->mode == DP_MODE_DUPLICATE) {
			pc->action = DP_COL_COPY;
			continue;
		}
		/* DE_IDENTIFY */
		if (cc && cc->generator && pt->mode != DP_MODE_SYNTHESIZE) {
			rc = check_mock_enough(pt, ci, cc->generator, locale, eb);
			if (!rc)
				rc = dp_plan_make_gen(p, pt, ci, cc->generator, cc->value, cc->consistent,
						      locale, pc, eb);
			pc->why = "engine file";
			continue;
		}
		int by_name = 0, by_value = 0;
		if (js->initialization_mode != DP_INIT_FROM_SCRATCH) {
			int v = dp_pii_verdict(t, ci, &pt->st->pii, &hit);
			by_name = v == 1;
			by_value = v == 2;
		}
		if (by_name || by_value) {
			char spec[64];
			int have = 0;
			for (const char *const *k = dp_mock_kinds(); *k && !have; k++)
				have = strcmp(*k, hit.kind) == 0;
			/* a detected kind without a mock yet is still hidden, by shape */
			dp_tclass cls = t->cols[ci].tclass;
			/* mocks produce text (dates for date_of_birth): a detected
			 * column of another type is hidden by a keyed hash instead */
			if (have && cls != DP_T_TEXT && cls != DP_T_UNKNOWN &&
			    !(strcmp(hit.kind, "date_of_birth") == 0 &&
			      (cls == DP_T_DATE || cls == DP_T_TIMESTAMP)))
				have = 0;
			/* a unique column gets a keyed hash: mocks drawn from a list
			 * collide; those that map values one to one (FF1 codes) stay */
			if (have && t->cols[ci].is_unique && strcmp(hit.kind, "uuid") != 0 &&
			    dp_mock_cardinality(hit.kind, locale) != SIZE_MAX)
				have = 0;
			if (have)
				snprintf(spec, sizeof(spec), "mock:%s", hit.kind);
			else if (cls == DP_T_DATE || cls == DP_T_TIMESTAMP)
				snprintf(spec, sizeof(spec), "mock:date");   /* a hash is no date */
			else
				snprintf(spec, sizeof(spec), "%s", (cls == DP_T_TEXT || cls == DP_T_UNKNOWN) &&
					 !t->cols[ci].is_unique ? "mask:redact" :
					 /* a short unique text: a hash has no room, FF1 is a bijection */
					 (cls == DP_T_TEXT || cls == DP_T_UNKNOWN) && t->cols[ci].length > 0 &&
					 t->cols[ci].length < 16 ? "mask:fpe" : "mask:hash");
			rc = dp_plan_make_gen(p, pt, ci, spec, NULL, -1, locale, pc, eb);
			if (by_value)
				pc->why = have ? (strcmp(hit.rule, "name dictionary") ? "PII detected by values (pattern)"
								       : "PII detected by values (name dictionary)")
					       : "PII detected by values; no mock for its kind/type, masked";
			else
				pc->why = have ? "PII detected by column name"
					       : "PII detected by column name; no mock for its kind/type, masked";
			pc->confidence = hit.confidence;
			continue;
		}
		/* detections that are no verdict: numeric parts of a birth date and
		 * the coordinates of an address get their row-aware mocks; a
		 * quasi-identifier (gender) stays in DE_IDENTIFY (the summary names
		 * it) and is mocked by the MOCK presets, keeping its codes */
		if (js->initialization_mode != DP_INIT_FROM_SCRATCH && pt->mode != DP_MODE_SYNTHESIZE &&
		    !fk && !t->cols[ci].pk_pos && dp_pii_detect_extra(t->name, &t->cols[ci], &hit)) {
			char spec[64];
			int mockp = js->initialization_mode == DP_INIT_MOCK ||
				    js->initialization_mode == DP_INIT_MOCK_OR_MASK;
			snprintf(spec, sizeof(spec), "mock:%s", hit.kind);
			if (!hit.quasi || mockp) {
				rc = dp_plan_make_gen(p, pt, ci, spec, NULL, -1, locale, pc, eb);
				pc->why = hit.quasi ? "quasi-identifier (column name): mocked by the MOCK preset, codes kept"
						    : "PII detected by column name (a part of a person's data, mocked with its row)";
				pc->confidence = hit.confidence;
				if (hit.quasi)
					pc->pii = 0;     /* a code, drawn from the column's own: may equal it */
				continue;
			}
			pc->action = DP_COL_COPY;
			pc->why = "quasi-identifier (column name): kept in DE_IDENTIFY, a MOCK preset masks it";
			pc->confidence = hit.confidence;
			continue;
		}
		/* initialization_mode MOCK / MOCK_OR_MASK: every column the engine
		 * file leaves alone gets a mock (or a mask) of its type */
		if ((js->initialization_mode == DP_INIT_MOCK || js->initialization_mode == DP_INIT_MOCK_OR_MASK) &&
		    pt->mode != DP_MODE_SYNTHESIZE && !fk && !t->cols[ci].pk_pos && !(cc && cc->generator)) {
			const char *why = NULL;
			dp_buf allowed = DP_BUF_INIT;
			const char *spec = preset_spec(pt->t, ci, js->initialization_mode, &allowed, &why);
			if (spec) {
				rc = dp_plan_make_gen(p, pt, ci, spec, allowed.data, -1, locale, pc, eb);
				pc->why = why;
				dp_buf_free(&allowed);
				continue;
			}
			dp_buf_free(&allowed);
		}
		/* free text (the value scan says so): PII inside is replaced */
		if (pt->mode != DP_MODE_SYNTHESIZE && t->cols[ci].free_text && !fk &&
		    !t->cols[ci].pk_pos && js->initialization_mode != DP_INIT_FROM_SCRATCH) {
			rc = dp_plan_make_gen(p, pt, ci, "mask:textpii", NULL, -1, locale, pc, eb);
			pc->why = "free text: PII found inside is replaced";
			continue;
		}
		pc->action = pt->mode == DP_MODE_SYNTHESIZE ? DP_COL_SYNTH : DP_COL_COPY;
	}
	return rc;
}

/* Is schema table ti filtered in plan p? */
static int is_filtered(const dp_plan *p, const dp_table *t)
{
	for (size_t k = 0; k < p->ntables; k++)
		if (p->tables[k].t == t)
			return p->tables[k].filtered;
	return 0;
}

/* Subset rules the closure (engine/subset.c) would never read, once the
 * plan knows which tables are filtered: null_if_unselected acts only on an
 * FK between two filtered tables, and all of a composite FK's columns must
 * be listed (the edge turns soft only then); include_when and
 * max_per_parent act on rows pulled in as children of another filtered
 * table; include_children none on SUBSET tables that reference this one. */
static int check_rules_read(const dp_plan *p, dp_errbuf *eb)
{
	for (size_t k = 0; k < p->ntables; k++) {
		const dp_plan_table *pt = &p->tables[k];
		const dp_table *t = pt->t;
		const dp_table_cfg *tc = dp_job_cfg_table(p->cfg, t->name);
		const dp_subset_cfg *sub = pt->sub;
		int pulled = 0, referenced = 0;

		for (size_t i = 0; tc && i < tc->nnull_unsel; i++) {
			const char *col = t->cols[dp_table_col_index(t, tc->null_unsel[i])].name;
			const char *par = NULL;
			int acts = 0;
			for (size_t f = 0; f < t->nfks; f++) {
				const dp_fk *fk = &t->fks[f];
				size_t listed = 0, has = 0;
				for (size_t c = 0; c < fk->ncols; c++) {
					has |= !strcmp(fk->cols[c], col);
					for (size_t q = 0; q < tc->nnull_unsel; q++)
						listed += dp_table_col_index(t, tc->null_unsel[q]) ==
							  dp_table_col_index(t, fk->cols[c]);
				}
				if (!has)
					continue;
				if (listed != fk->ncols)
					return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.null_if_unselected: %s is one "
						       "of the %zu columns of a foreign key to %s; list all of them, "
						       "or it would be ignored", t->name, col, fk->ncols,
						       fk->ref_table);
				par = fk->ref_table;
				acts |= pt->filtered && is_filtered(p, dp_schema_table(p->schema, fk->ref_table));
			}
			if (!acts)
				return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.null_if_unselected: %s references "
					       "%s, and %s; no reference can point at an unselected row, so it "
					       "would be ignored", t->name, col, par ? par : "no table",
					       pt->filtered ? "that table is not subset (all its rows are kept)"
							    : "this table is not filtered by any subset");
		}
		if (!sub)
			continue;
		for (size_t f = 0; f < t->nfks; f++) {
			const dp_table *par = dp_schema_table(p->schema, t->fks[f].ref_table);
			pulled |= par && par != t && is_filtered(p, par);
		}
		for (size_t m = 0; m < p->ntables; m++) {
			const dp_table *c = p->tables[m].t;
			for (size_t f = 0; c != t && p->tables[m].mode == DP_MODE_SUBSET && f < c->nfks; f++)
				referenced |= dp_schema_table(p->schema, c->fks[f].ref_table) == t;
		}
		if (!pulled && (sub->include_when || sub->max_per_parent >= 0))
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.subset.%s: acts on rows that come in as "
				       "children of a subset table, and %s references none, so it would be "
				       "ignored", t->name, sub->include_when ? "include_when" : "max_per_parent",
				       t->name);
		if (!referenced && sub->include_children == DP_CHILDREN_NONE)
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.subset.include_children: no SUBSET "
				       "table references %s, so it would be ignored", t->name, t->name);
	}
	return DP_OK;
}

int dp_plan_build(const dp_job_cfg *cfg, dp_schema *schema, unsigned target_caps,
		  int64_t seed, const struct dp_namebook *names, dp_plan **out, dp_errbuf *eb)
{
	dp_plan *p = calloc(1, sizeof(*p));
	const dp_settings *js = &cfg->settings;
	int rc;

	*out = NULL;
	if (!p)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	p->cfg = cfg;
	p->schema = schema;
	p->seed = seed;
	p->names = names;
	dp_job_key_from_seed(seed, &p->jkey);
	p->immediate_fk = !(js->drop_indexes && (target_caps & DP_CAP_DEFER_FK));

	rc = check_cfg_names(cfg, schema, eb);
	if (!rc)
		rc = add_virtual_fks(cfg, schema, eb);
	if (!rc)
		rc = check_cfg_lists_and_keys(cfg, schema, eb);
	if (rc)
		goto out;

	/* modes, in schema order first (load order comes from the graph) */
	p->ntables = schema->ntables;
	p->tables = calloc(p->ntables + 1, sizeof(*p->tables));
	if (!p->tables) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = dp_graph_build(schema, NULL, p->immediate_fk, &p->graph, eb);
	if (rc)
		goto out;
	for (size_t k = 0; k < p->graph->norder; k++) {
		size_t ti = p->graph->order[k];
		dp_plan_table *pt = &p->tables[k];
		const dp_table_cfg *tc = dp_job_cfg_table(cfg, schema->tables[ti].name);

		pt->ti = ti;
		pt->t = &schema->tables[ti];
		pt->st = tc ? &tc->settings : js;
		pt->est_rows = pt->t->row_estimate;
		if (tc && tc->mode != DP_MODE_UNSET) {
			pt->mode = tc->mode;
			pt->mode_why = "engine file";
		} else {
			pt->mode_why = mode_from_init(js->initialization_mode, &pt->mode);
		}
		pt->seq_parent = -1;
		pt->target_rows = tc ? tc->target_rows : -1;
		pt->scale = tc ? tc->scale : 0;
		if (pt->mode != DP_MODE_SYNTHESIZE && tc && (tc->target_rows >= 0 || tc->scale > 0)) {
			rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.%s: applies to SYNTHESIZE tables only "
				     "(this one is %s)", pt->t->name, tc->target_rows >= 0 ? "target_rows" : "scale",
				     dp_mode_name(pt->mode));
			goto out;
		}
		if (pt->mode == DP_MODE_SYNTHESIZE && pt->est_rows >= 0) {
			if (pt->target_rows >= 0)
				pt->est_rows = pt->target_rows;
			else if (pt->scale > 0)
				pt->est_rows = (int64_t)((double)pt->est_rows * pt->scale + 0.5);
		}
		if (pt->mode == DP_MODE_SUBSET) {
			pt->filtered = 1;
			if (tc && tc->subset.set) {
				pt->sub = &tc->subset;
				if (!pt->t->npk && (pt->sub->percent >= 0 || pt->sub->where ||
						    pt->sub->limit >= 0)) {
					rc = dp_fail(eb, DP_ERR_SCHEMA,
						     "tables.%s.subset: the table has no primary key, so "
						     "its selected rows cannot be told apart; declare a key "
						     "or subset a table that references it", pt->t->name);
					goto out;
				}
				if (pt->sub->percent < 0 && !pt->sub->where && pt->sub->limit < 0 &&
				    !pt->sub->include_when && pt->sub->max_per_parent < 0 &&
				    pt->sub->include_children == DP_CHILDREN_DEFAULT) {
					rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.subset: give a target "
						     "(percent, where or limit) or a child rule (include_when, "
						     "max_per_parent, include_children)", pt->t->name);
					goto out;
				}
				if (pt->sub->order_by && dp_table_col_index(pt->t, pt->sub->order_by) < 0) {
					rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.subset.order_by: no "
						     "column \"%s\" in %s", pt->t->name, pt->sub->order_by,
						     pt->t->name);
					goto out;
				}
			}
		}
		pt->cols = calloc(pt->t->ncols + 1, sizeof(dp_plan_col));
		if (!pt->cols) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	/* null_if_unselected: nullable FK columns only */
	for (size_t k = 0; k < p->ntables; k++) {
		dp_plan_table *pt = &p->tables[k];
		const dp_table_cfg *tc = dp_job_cfg_table(cfg, pt->t->name);
		for (size_t i = 0; tc && i < tc->nnull_unsel; i++) {
			long ci = dp_table_col_index(pt->t, tc->null_unsel[i]);
			size_t pos;
			if (ci < 0 || !dp_plan_fk_of_col(pt->t, (size_t)ci, &pos)) {
				rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.null_if_unselected: %s is not a "
					     "foreign-key column of %s", pt->t->name, tc->null_unsel[i],
					     pt->t->name);
				goto out;
			}
			if (pt->t->cols[ci].notnull) {
				rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.null_if_unselected: %s.%s is NOT "
					     "NULL, it cannot be set NULL", pt->t->name, pt->t->name,
					     pt->t->cols[ci].name);
				goto out;
			}
			pt->cols[ci].null_unsel = 1;
		}
	}
	/* every table that references a filtered table is filtered too: its rows
	 * are kept only where their parents were selected */
	for (int changed = 1; changed; ) {
		changed = 0;
		for (size_t k = 0; k < p->ntables; k++) {
			dp_plan_table *pt = &p->tables[k];
			if (pt->filtered || pt->mode == DP_MODE_EXCLUDE || pt->mode == DP_MODE_SYNTHESIZE)
				continue;
			for (size_t f = 0; f < pt->t->nfks && !pt->filtered; f++) {
				const dp_table *par = dp_schema_table(schema, pt->t->fks[f].ref_table);
				for (size_t m = 0; par && m < p->ntables; m++)
					if (p->tables[m].t == par && p->tables[m].filtered && par != pt->t) {
						pt->filtered = 1;
						changed = 1;
					}
			}
		}
	}

	rc = check_rules_read(p, eb);
	if (rc)
		goto out;

	/* key domains: single-column integer keys of tables that receive rows */
	if (js->key_generation_method != DP_KEYGEN_DUPLICATE) {
		p->keys = calloc(schema->ntables + 1, sizeof(dp_plan_key));
		if (!p->keys) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < p->ntables; k++) {
			const dp_plan_table *pt = &p->tables[k];
			if (pt->mode == DP_MODE_EXCLUDE || pt->mode == DP_MODE_SYNTHESIZE || pt->t->npk != 1)
				continue;
			if (pt->t->cols[pt->t->pk[0]].tclass != DP_T_INTEGER) {
				dp_log_info("table %s: key %s is %s; key_generation_method %s applies to "
					    "integer keys, kept as is", pt->t->name,
					    pt->t->cols[pt->t->pk[0]].name,
					    dp_tclass_name(pt->t->cols[pt->t->pk[0]].tclass),
					    dp_keygen_name(js->key_generation_method));
				continue;
			}
			p->keys[p->nkeys++] = (dp_plan_key){.table = pt->ti, .col = pt->t->pk[0],
				.method = js->key_generation_method};
		}
	}

	rc = dp_plan_synth_tables(p, eb);
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		dp_plan_table *pt = &p->tables[k];
		rc = plan_columns(p, pt, dp_job_cfg_table(cfg, pt->t->name), eb);
	}
	if (!rc)
		rc = dp_plan_synth_order(p, eb);
	if (rc)
		goto out;

	/* immediate enforcement: broken cycle edges load NULL first */
	for (size_t e = 0; e < p->graph->nedges; e++) {
		const dp_edge *ed = &p->graph->edges[e];
		dp_plan_table *pt = NULL;
		if (!ed->broken)
			continue;
		for (size_t k = 0; k < p->ntables; k++)
			if (p->tables[k].ti == ed->child)
				pt = &p->tables[k];
		if (!pt || pt->mode == DP_MODE_EXCLUDE)
			continue;
		for (size_t c = 0; c < ed->fk->ncols; c++) {
			long ci = dp_table_col_index(pt->t, ed->fk->cols[c]);
			if (ci >= 0) {
				pt->cols[ci].deferred = 1;
				pt->has_deferred = 1;
			}
		}
	}
out:
	if (rc) {
		dp_plan_free(p);
		return rc;
	}
	*out = p;
	return DP_OK;
}

int dp_plan_objects(dp_plan *p, const dp_connector *target, dp_errbuf *eb)
{
	const dp_schema *s = p->schema;

	free(p->objects);
	p->objects = calloc(s->nobjects + 1, sizeof(*p->objects));
	if (!p->objects)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	p->nobjects = s->nobjects;
	for (size_t k = 0; k < s->nobjects; k++) {
		dp_plan_object *po = &p->objects[k];
		const dp_object *o = &s->objects[k];
		po->o = o;
		if (o->kind == DP_OBJ_OTHER)
			po->why = o->note ? o->note : "the source driver cannot read its definition";
		else if ((o->kind == DP_OBJ_POLICY || o->kind == DP_OBJ_GRANT) && !p->cfg->copy_grants)
			po->why = "copy_grants is false";
		else if (!o->ddl)       /* inside its table's CREATE TABLE */
			po->carried = !strcmp(target->name, s->engine ? s->engine : ""),
			po->why = "kept only by a target of the source's engine (it lives in the "
				  "source's CREATE TABLE text)";
		else if (!target->create_object || !target->can_carry ||
			 !target->can_carry(o, s->engine))
			po->why = strcmp(target->name, s->engine ? s->engine : "")
				  ? "the target is another engine: its definition is the source's SQL"
				  : "the target driver does not carry this kind";
		else
			po->carried = 1;
	}
	return DP_OK;
}

void dp_plan_free(dp_plan *p)
{
	if (!p)
		return;
	free(p->objects);
	free(p->mapping_notes);
	for (size_t k = 0; k < p->ntables; k++) {
		if (!p->tables[k].cols)
			continue;
		for (size_t c = 0; c < p->tables[k].t->ncols; c++)
			dp_gen_free(p->tables[k].cols[c].gen);
		free(p->tables[k].cols);
	}
	free(p->tables);
	free(p->keys);
	free(p->synth_order);
	dp_graph_free(p->graph);
	free(p);
}
