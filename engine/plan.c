/* engine/plan.c - build and print a job plan.
 *
 * Everything that can be refused is refused here, before a target session
 * is opened: a DBA runs `doppel plan` to see exactly what `doppel run`
 * will do, and a bad engine file must never cost a half-written target.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "plan.h"
#include "pii/detect.h"
#include "pii/textpii.h"
#include "mask/typed.h"
#include "../base/dp_log.h"

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

/* Is column ci of table t part of any FK? Returns the FK or NULL, and the
 * position of the column inside it. */
static const dp_fk *fk_of_col(const dp_table *t, size_t ci, size_t *pos)
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
	const dp_fk *fk = fk_of_col(t, ci, &pos);
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

static int make_gen(const dp_plan *p, const dp_plan_table *pt, size_t ci, const char *spec,
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
	if (rc)
		return rc;
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

/* Plan index of the table named `name`, or -1. */
static long plan_index(const dp_plan *p, const char *name)
{
	for (size_t k = 0; k < p->ntables; k++)
		if (!strcmp(p->tables[k].t->name, name))
			return (long)k;
	return -1;
}

/* SYNTHESIZE tables: which parent each is generated for (its sequence
 * parent: the first NOT NULL FK to another SYNTHESIZE table), and what
 * cannot be synthesized (yet) or would break references. */
static int plan_synth_tables(dp_plan *p, dp_errbuf *eb)
{
	for (size_t k = 0; k < p->ntables; k++) {
		dp_plan_table *pt = &p->tables[k];
		const dp_table *t = pt->t;

		for (size_t f = 0; f < t->nfks; f++) {
			const dp_fk *fk = &t->fks[f];
			long m = plan_index(p, fk->ref_table);
			const dp_plan_table *par = m >= 0 ? &p->tables[m] : NULL;
			if (!par || par == pt)
				continue;
			if (par->mode == DP_MODE_SYNTHESIZE && pt->mode != DP_MODE_SYNTHESIZE &&
			    pt->mode != DP_MODE_EXCLUDE)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s.mode: %s, but it references %s (via %s), which "
					       "is SYNTHESIZE: its rows would point at rows that do not "
					       "exist in the target; make %s SYNTHESIZE too (it is then "
					       "generated per %s row) or EXCLUDE", t->name,
					       dp_mode_name(pt->mode), par->t->name, fk->cols[0], t->name,
					       par->t->name);
			if (pt->mode != DP_MODE_SYNTHESIZE)
				continue;
			if (fk->ncols != 1)
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s: SYNTHESIZE of a table with a composite foreign key "
					       "(%s, ... -> %s) is not supported yet; give %s another mode",
					       t->name, fk->cols[0], par->t->name, t->name);
			if (par->mode != DP_MODE_SYNTHESIZE)
				continue;
			if (par->t->npk != 1 || strcmp(par->t->cols[par->t->pk[0]].name, fk->ref_cols[0]) ||
			    par->t->cols[par->t->pk[0]].tclass != DP_T_INTEGER)
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s.columns.%s: references %s.%s; a SYNTHESIZE parent "
					       "can only be referenced through its single integer primary key",
					       t->name, fk->cols[0], par->t->name, fk->ref_cols[0]);
		}
		if (pt->mode != DP_MODE_SYNTHESIZE)
			continue;
		/* the sequence parent: the first NOT NULL single-column reference to
		 * a SYNTHESIZE table in column order (the owner usually comes first;
		 * key columns before the others), whose rows hold at most 100
		 * children on average: a lookup table with hundreds of children
		 * per row is referenced, not a sequence */
		/* SYNTHESIZE parents first, then copied ones (DUPLICATE,
		 * DE_IDENTIFY, SUBSET: children generated for their rows in the
		 * target); each time key columns first */
		for (int pass = 0; pass < 4 && pt->seq_parent < 0; pass++)
			for (size_t ci = 0; ci < t->ncols && pt->seq_parent < 0; ci++) {
				size_t pos;
				const dp_fk *fk = fk_of_col(t, ci, &pos);
				if (!fk || fk->ncols != 1 || !t->cols[ci].notnull || (pass % 2 == 0) != (t->cols[ci].pk_pos > 0))
					continue;
				long m = plan_index(p, fk->ref_table);
				if (m < 0 || &p->tables[m] == pt || p->tables[m].mode == DP_MODE_EXCLUDE ||
				    (pass < 2) != (p->tables[m].mode == DP_MODE_SYNTHESIZE))
					continue;
				const dp_table *par = p->tables[m].t;
				if (par->npk != 1 || strcmp(par->cols[par->pk[0]].name, fk->ref_cols[0]) ||
				    par->cols[par->pk[0]].tclass != DP_T_INTEGER)
					continue;
				int64_t pr = p->tables[m].t->row_estimate, cr = t->row_estimate;
				if (pr <= 0 || cr <= 0 || cr / pr <= 100) {
					pt->seq_parent = m;
					pt->seq_col = ci;
				}
			}
		if (pt->mode != DP_MODE_SYNTHESIZE)
			continue;
		for (size_t f = 0; f < t->nfks; f++) {
			long m = plan_index(p, t->fks[f].ref_table);
			long ci = dp_table_col_index(t, t->fks[f].cols[0]);
			if (m >= 0 && p->tables[m].filtered && !(m == pt->seq_parent && ci == (long)pt->seq_col))
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s.columns.%s: references the subsetted table %s, which "
					       "is not the table its rows are generated for; not supported yet "
					       "(make that reference NOT NULL, or %s SYNTHESIZE, DUPLICATE or "
					       "DE_IDENTIFY)", t->name, t->fks[f].cols[0], p->tables[m].t->name,
					       p->tables[m].t->name);
		}
		if (t->npk > 1) {
			size_t pos, nonfk = 0;
			if (pt->seq_parent < 0 || !t->cols[pt->seq_col].pk_pos)
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s: SYNTHESIZE of a table with a composite primary key "
					       "needs one of its columns to be a NOT NULL reference to a "
					       "SYNTHESIZE table (the rows are then generated per row of that "
					       "table); give %s another mode", t->name, t->name);
			/* the other key parts: references (a repeat is redrawn) or an
			 * integer numbering the rows under their parent (line_no) */
			for (size_t q = 0; q < t->npk; q++) {
				const dp_column *kc = &t->cols[t->pk[q]];
				if (fk_of_col(t, t->pk[q], &pos))
					continue;
				if (kc->tclass != DP_T_INTEGER || nonfk++)
					return dp_fail(eb, DP_ERR_UNSUPPORTED,
						       "tables.%s: SYNTHESIZE of a composite primary key with the "
						       "column %s is not supported yet (one integer column beside "
						       "the references is: it numbers the rows under their parent)",
						       t->name, kc->name);
			}
			pt->pk_from_fks = nonfk == 0;
		} else if (t->npk == 1) {
			size_t pos;
			if (fk_of_col(t, t->pk[0], &pos))
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s: SYNTHESIZE of a table whose primary key %s is also a "
					       "foreign key (one-to-one) is not supported yet; give %s another mode",
					       t->name, t->cols[t->pk[0]].name, t->name);
		}
		/* the sequence model's step tokens are the positions 0..max-1 and
		 * the end token: they must differ */
		if (pt->seq_parent >= 0 && pt->st->end_of_sequence_token >= 0 &&
		    pt->st->end_of_sequence_token < pt->st->max_sequence_length)
			return dp_fail(eb, DP_ERR_CONFIG,
				       "tables.%s.default_end_of_sequence_token: %" PRId64 " is also the "
				       "token of child position %" PRId64 " in sequences of up to %d "
				       "(default_max_sequence_length); use a negative token or one of "
				       "at least %d", t->name, pt->st->end_of_sequence_token,
				       pt->st->end_of_sequence_token, pt->st->max_sequence_length,
				       pt->st->max_sequence_length);
		if (pt->seq_parent >= 0 && (pt->target_rows >= 0 || pt->scale > 0))
			dp_log_warn("tables.%s: target_rows/scale ignored: its rows are generated per %s "
				    "row, their number follows the parent", t->name,
				    p->tables[pt->seq_parent].t->name);
	}
	return DP_OK;
}

/* The root a SYNTHESIZE table is generated under. */
static size_t synth_root(const dp_plan *p, size_t k)
{
	for (int d = 0; d < 1000 && p->tables[k].seq_parent >= 0 &&
			p->tables[p->tables[k].seq_parent].mode == DP_MODE_SYNTHESIZE; d++)
		k = (size_t)p->tables[k].seq_parent;
	return k;
}

/* Generation order: a root (with the sequences under it) after the roots
 * whose tables its tables reference. */
static int plan_synth_order(dp_plan *p, dp_errbuf *eb)
{
	size_t n = 0, nroots = 0, *roots, *done;
	int rc = DP_OK;

	for (size_t k = 0; k < p->ntables; k++)
		n += p->tables[k].mode == DP_MODE_SYNTHESIZE;
	if (!n)
		return DP_OK;
	p->synth_order = calloc(n + 1, sizeof(size_t));
	roots = calloc(n + 1, sizeof(size_t));
	done = calloc(p->ntables + 1, sizeof(size_t));
	if (!p->synth_order || !roots || !done) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < p->ntables; k++)
		if (p->tables[k].mode == DP_MODE_SYNTHESIZE && synth_root(p, k) == k)
			roots[nroots++] = k;
	/* references within one root's tree cannot be generated in order */
	for (size_t k = 0; k < p->ntables; k++) {
		const dp_plan_table *pt = &p->tables[k];
		if (pt->mode != DP_MODE_SYNTHESIZE)
			continue;
		for (size_t c = 0; c < pt->t->ncols; c++)
			if (pt->cols[c].action == DP_COL_SYNTH && pt->cols[c].srole == DP_SR_REF_FK &&
			    synth_root(p, (size_t)pt->cols[c].ref) == synth_root(p, k)) {
				rc = dp_fail(eb, DP_ERR_UNSUPPORTED,
					     "tables.%s.columns.%s: references %s, which is generated in the "
					     "same sequence tree (under %s); not supported yet", pt->t->name,
					     pt->t->cols[c].name, p->tables[pt->cols[c].ref].t->name,
					     p->tables[synth_root(p, k)].t->name);
				goto out;
			}
	}
	for (size_t placed = 0; placed < nroots; ) {
		int progress = 0;
		for (size_t r = 0; r < nroots; r++) {
			size_t root = roots[r];
			int ready = !done[root];
			for (size_t k = 0; k < p->ntables && ready; k++) {
				const dp_plan_table *pt = &p->tables[k];
				if (pt->mode != DP_MODE_SYNTHESIZE || synth_root(p, k) != root)
					continue;
				for (size_t c = 0; c < pt->t->ncols && ready; c++)
					if (pt->cols[c].action == DP_COL_SYNTH && pt->cols[c].srole == DP_SR_REF_FK &&
					    !done[synth_root(p, (size_t)pt->cols[c].ref)])
						ready = 0;
			}
			if (!ready)
				continue;
			done[root] = 1;
			placed++;
			progress = 1;
			/* the root, then its sequences level by level */
			size_t first = p->nsynth;
			p->synth_order[p->nsynth++] = root;
			for (size_t q = first; q < p->nsynth; q++)
				for (size_t k = 0; k < p->ntables; k++)
					if (p->tables[k].mode == DP_MODE_SYNTHESIZE &&
					    p->tables[k].seq_parent == (long)p->synth_order[q])
						p->synth_order[p->nsynth++] = k;
		}
		if (!progress) {
			rc = dp_fail(eb, DP_ERR_CYCLE, "SYNTHESIZE tables reference each other in a cycle "
				     "across sequence trees (e.g. %s); not supported yet",
				     p->tables[roots[0]].t->name);
			goto out;
		}
	}
out:
	free(roots);
	free(done);
	return rc;
}

/* Columns of a SYNTHESIZE table. Returns 1 when the column is planned, 0
 * when it goes through the PII detection of DE_IDENTIFY (then synthesized
 * when nothing is detected), or an error. */
static int plan_synth_col(dp_plan *p, dp_plan_table *pt, const dp_column_cfg *cc, size_t ci,
			  const dp_fk *fk, const char *locale, dp_plan_col *pc, dp_errbuf *eb)
{
	const dp_table *t = pt->t;
	const dp_column *col = &t->cols[ci];
	int gen = cc && cc->generator && strcmp(cc->generator, "synthesize") &&
		  strcmp(cc->generator, "duplicate");
	int rc;

	pc->action = DP_COL_SYNTH;
	pc->srole = DP_SR_MODEL;
	pc->ref = -1;
	pc->key = -1;
	if (fk) {
		long m = plan_index(p, fk->ref_table);
		const dp_plan_table *par = m >= 0 ? &p->tables[m] : NULL;
		if (gen)
			return dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s: generator \"%s\" on a "
				       "foreign-key column of a SYNTHESIZE table; its values are generated "
				       "so that they resolve; remove the generator", t->name, col->name,
				       cc->generator);
		if (!par)
			return 1;
		if (par == pt) {
			if (col->notnull)
				return dp_fail(eb, DP_ERR_UNSUPPORTED,
					       "tables.%s.columns.%s: a NOT NULL reference to its own table "
					       "cannot be synthesized (the first row has nothing to point at)",
					       t->name, col->name);
			pc->srole = DP_SR_SELF_FK;
			pc->why = "a row generated before this one";
			return 1;
		}
		if (par->mode == DP_MODE_EXCLUDE) {
			if (col->notnull)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s: mode EXCLUDE leaves it empty, but %s.%s (NOT NULL) "
					       "references it; exclude %s too, or give %s another mode",
					       par->t->name, t->name, col->name, t->name, par->t->name);
			rc = make_gen(p, pt, ci, "null", NULL, -1, locale, pc, eb);
			pc->why = "parent table is EXCLUDE";
			return rc ? rc : 1;
		}
		if (par->mode == DP_MODE_SYNTHESIZE) {
			pc->ref = m;
			pc->srole = m == pt->seq_parent && ci == pt->seq_col ? DP_SR_SEQ_FK : DP_SR_REF_FK;
			return 1;
		}
		/* rows generated per row of a copied parent: its key, mapped */
		pc->srole = m == pt->seq_parent && ci == pt->seq_col ? DP_SR_SEQ_FK : DP_SR_FK_VALUE;
		pc->ref = pc->srole == DP_SR_SEQ_FK ? m : -1;
		pc->key = key_domain(p, pt->ti, ci);
		return 1;
	}
	if (col->pk_pos && t->npk > 1) {
		pc->srole = DP_SR_POS;   /* checked by plan_synth_tables */
		return 1;
	}
	if (col->pk_pos && t->npk == 1) {
		if (col->tclass == DP_T_INTEGER) {
			pc->srole = DP_SR_PK;
			return 1;
		}
		rc = make_gen(p, pt, ci, "mask:hash", NULL, -1, locale, pc, eb);
		pc->why = "key of a synthesized table: keyed hash of the row number";
		return rc ? rc : 1;
	}
	if (gen) {
		rc = make_gen(p, pt, ci, cc->generator, cc->value, cc->consistent, locale, pc, eb);
		pc->why = "engine file";
		return rc ? rc : 1;
	}
	if (cc && cc->kind)
		pc->kind = cc->kind;
	if (col->is_unique && col->tclass == DP_T_INTEGER) {
		pc->srole = DP_SR_PK;    /* the row's generated key: unique */
		return 1;
	}
	if (col->is_unique) {
		rc = make_gen(p, pt, ci, "mask:hash", NULL, -1, locale, pc, eb);
		pc->why = "unique column: keyed hash of the row number keeps it unique";
		return rc ? rc : 1;
	}
	if (col->tclass == DP_T_UUID) {
		rc = make_gen(p, pt, ci, "mock:uuid", NULL, -1, locale, pc, eb);
		pc->why = "identifier";
		return rc ? rc : 1;
	}
	/* binary values and documents would be copied whole from the source:
	 * not synthesized */
	if (col->tclass == DP_T_BLOB || col->tclass == DP_T_JSON) {
		int json = col->tclass == DP_T_JSON;
		rc = make_gen(p, pt, ci, !col->notnull ? "null" : json ? "constant" : "mask:hash",
			      json && col->notnull ? "{}" : NULL, -1, locale, pc, eb);
		pc->why = "binary values and documents are not synthesized (they would be copies)";
		return rc ? rc : 1;
	}
	/* an explicit "synthesize" skips the PII detection */
	if (cc && cc->generator && !strcmp(cc->generator, "synthesize"))
		return 1;
	return 0;
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
		const dp_fk *fk = fk_of_col(t, ci, &pos);
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
			int done = plan_synth_col(p, pt, cc, ci, fk, locale, pc, eb);
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
		if (js->key_generation_method != DP_KEYGEN_DUPLICATE && pt->mode != DP_MODE_SYNTHESIZE &&
		    key_without_domain(p, pt->ti, ci)) {
			if (cc && cc->generator && strcmp(cc->generator, "duplicate") != 0)
				return dp_fail(eb, DP_ERR_CONFIG,
					       "tables.%s.columns.%s: generator \"%s\" on a key column "
					       "conflicts with key_generation_method %s (keys are "
					       "regenerated consistently); remove the generator",
					       t->name, t->cols[ci].name, cc->generator,
					       dp_keygen_name(js->key_generation_method));
			rc = make_gen(p, pt, ci, "mask:fpe", NULL, -1, locale, pc, eb);
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
				rc = make_gen(p, pt, ci, "null", NULL, -1, locale, pc, eb);
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
			rc = make_gen(p, pt, ci, cc->generator, cc->value, cc->consistent, locale, pc, eb);
			pc->why = "engine file";
			continue;
		}
		int by_name = 0, by_value = 0;
		if (js->initialization_mode != DP_INIT_FROM_SCRATCH) {
			by_name = dp_pii_detect_column(t->name, &t->cols[ci], fk != NULL, &pt->st->pii, &hit);
			/* the value scan wins when it is surer than the column name */
			if (t->cols[ci].pii_kind && !fk && !t->cols[ci].pk_pos &&
			    (!by_name || t->cols[ci].pii_conf > hit.confidence)) {
				hit.kind = t->cols[ci].pii_kind;
				hit.confidence = t->cols[ci].pii_conf;
				hit.rule = t->cols[ci].pii_rule;
				by_value = 1;
			}
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
			/* a unique column gets a keyed hash: mocks could collide */
			if (have && t->cols[ci].is_unique && strcmp(hit.kind, "uuid") != 0)
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
			rc = make_gen(p, pt, ci, spec, NULL, -1, locale, pc, eb);
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
		/* initialization_mode MOCK / MOCK_OR_MASK: every column the engine
		 * file leaves alone gets a mock (or a mask) of its type */
		if ((js->initialization_mode == DP_INIT_MOCK || js->initialization_mode == DP_INIT_MOCK_OR_MASK) &&
		    pt->mode != DP_MODE_SYNTHESIZE && !fk && !t->cols[ci].pk_pos && !(cc && cc->generator)) {
			const char *why = NULL;
			dp_buf allowed = DP_BUF_INIT;
			const char *spec = preset_spec(pt->t, ci, js->initialization_mode, &allowed, &why);
			if (spec) {
				rc = make_gen(p, pt, ci, spec, allowed.data, -1, locale, pc, eb);
				pc->why = why;
				dp_buf_free(&allowed);
				continue;
			}
			dp_buf_free(&allowed);
		}
		/* free text (the value scan says so): PII inside is replaced */
		if (pt->mode != DP_MODE_SYNTHESIZE && t->cols[ci].free_text && !fk &&
		    !t->cols[ci].pk_pos && js->initialization_mode != DP_INIT_FROM_SCRATCH) {
			rc = make_gen(p, pt, ci, "mask:textpii", NULL, -1, locale, pc, eb);
			pc->why = "free text: PII found inside is replaced";
			continue;
		}
		pc->action = pt->mode == DP_MODE_SYNTHESIZE ? DP_COL_SYNTH : DP_COL_COPY;
	}
	return rc;
}

int dp_plan_build(const dp_job_cfg *cfg, dp_schema *schema, unsigned target_caps,
		  int64_t seed, dp_plan **out, dp_errbuf *eb)
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
	p->names = dp_namebook_new();
	if (!p->names) {
		free(p);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	dp_job_key_from_seed(seed, &p->jkey);
	p->immediate_fk = !(js->drop_indexes && (target_caps & DP_CAP_DEFER_FK));

	rc = check_cfg_names(cfg, schema, eb);
	if (!rc)
		rc = add_virtual_fks(cfg, schema, eb);
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
			if (ci < 0 || !fk_of_col(pt->t, (size_t)ci, &pos)) {
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

	rc = plan_synth_tables(p, eb);
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		dp_plan_table *pt = &p->tables[k];
		rc = plan_columns(p, pt, dp_job_cfg_table(cfg, pt->t->name), eb);
	}
	if (!rc)
		rc = plan_synth_order(p, eb);
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

void dp_plan_free(dp_plan *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->ntables; k++) {
		if (!p->tables[k].cols)
			continue;
		for (size_t c = 0; c < p->tables[k].t->ncols; c++)
			dp_gen_free(p->tables[k].cols[c].gen);
		free(p->tables[k].cols);
	}
	free(p->tables);
	for (size_t k = 0; k < p->nkeys; k++) {
		dp_keymap_free(p->keys[k].map);
		free(p->keys[k].shuffle);
	}
	free(p->keys);
	free(p->synth_order);
	dp_namebook_free(p->names);
	dp_graph_free(p->graph);
	free(p);
}

static void print_col(const dp_plan *p, const dp_plan_table *pt, size_t ci, FILE *out)
{
	const dp_column *c = &pt->t->cols[ci];
	const dp_plan_col *pc = &pt->cols[ci];

	fprintf(out, "       %-24s %-12s ", c->name, dp_tclass_name(c->tclass));
	switch (pc->action) {
	case DP_COL_COPY:
		fprintf(out, "duplicate");
		break;
	case DP_COL_OMIT:
		fprintf(out, "not written (computed)");
		break;
	case DP_COL_GEN:
		fprintf(out, "%s", dp_gen_spec(pc->gen));
		break;
	case DP_COL_SYNTH:
		switch (pc->srole) {
		case DP_SR_MODEL:
			fprintf(out, "synthesize%s%s", pc->kind ? " as " : "", pc->kind ? pc->kind : "");
			break;
		case DP_SR_PK:
			fprintf(out, "key: generated 1..N");
			break;
		case DP_SR_POS:
			fprintf(out, "key: position of the row under its parent (1, 2, ...)");
			break;
		case DP_SR_SEQ_FK:
			fprintf(out, "key of the %s row the row is generated for", p->tables[pc->ref].t->name);
			break;
		case DP_SR_REF_FK:
			fprintf(out, "one of the generated %s keys (NULL share as in the source)",
				p->tables[pc->ref].t->name);
			break;
		case DP_SR_SELF_FK:
			fprintf(out, "a key generated before this row (NULL share as in the source)");
			break;
		case DP_SR_FK_VALUE:
			if (pc->key >= 0)
				fprintf(out, "synthesize as a category of source keys, then key mapping");
			else
				fprintf(out, "synthesize as a category of source keys");
			break;
		}
		break;
	case DP_COL_KEY: {
		const dp_plan_key *k = &p->keys[pc->key];
		const dp_table *kt = &p->schema->tables[k->table];
		if (k->table == pt->ti && k->col == ci)
			fprintf(out, "key: %s", k->method == DP_KEYGEN_GENERATE
				? "generate (new keys 1..N in key order)"
				: "hash (keyed bijection: a seeded shuffle when the key range is "
				  "within default_consistent_integer_shuffle_threshold, else a keyed "
				  "permutation of the decimal width)");
		else
			fprintf(out, "key: follows %s.%s", kt->name, kt->cols[k->col].name);
		break;
	}
	}
	if (pc->deferred)
		fprintf(out, "  [loaded NULL, set after the cycle is loaded]");
	if (pc->null_unsel)
		fprintf(out, "  [NULL where the referenced row is not in the subset]");
	if (pc->why && pc->action == DP_COL_GEN) {
		if (pc->confidence > 0)
			fprintf(out, "  [%s, confidence %.2f]", pc->why, pc->confidence);
		else
			fprintf(out, "  [%s]", pc->why);
	}
	fputc('\n', out);
}

/* What a filtered table will receive, and why. */
static void print_subset(const dp_plan *p, const dp_plan_table *pt, FILE *out)
{
	const dp_subset_cfg *s = pt->sub;

	fprintf(out, "       subset: ");
	if (s && s->percent >= 0)
		fprintf(out, "target: %g%% of rows, picked by a keyed hash of the key (seeded), "
			"~%" PRId64 " rows", s->percent,
			pt->est_rows > 0 ? (int64_t)((double)pt->est_rows * s->percent / 100.0) : 0);
	else if (s && s->where)
		fprintf(out, "target: SELECT <key columns> FROM %s WHERE (%s)  "
			"[in the read-only source snapshot]", pt->t->name, s->where);
	else if (s && s->limit >= 0)
		fprintf(out, "target: SELECT <key columns> FROM %s ORDER BY %s LIMIT %" PRId64
			", ~%" PRId64 " rows", pt->t->name, s->order_by ? s->order_by : "<primary key>",
			s->limit, pt->est_rows >= 0 && pt->est_rows < s->limit ? pt->est_rows : s->limit);
	else if (pt->mode == DP_MODE_SUBSET)
		fprintf(out, "rows reached by the closure only");
	if (s && s->include_when)
		fprintf(out, "; as a child only rows WHERE (%s)", s->include_when);
	if (s && s->max_per_parent >= 0)
		fprintf(out, "; at most %" PRId64 " per parent row", s->max_per_parent);
	if (!s && pt->mode != DP_MODE_SUBSET)
		fprintf(out, "%s rows whose references to filtered tables were selected",
			dp_mode_name(pt->mode));
	fputc('\n', out);
	/* downward: what this table takes because of its parents */
	for (size_t f = 0; f < pt->t->nfks; f++) {
		const dp_fk *fk = &pt->t->fks[f];
		for (size_t m = 0; m < p->ntables; m++) {
			const dp_plan_table *par = &p->tables[m];
			if (strcmp(par->t->name, fk->ref_table) || !par->filtered || par == pt)
				continue;
			if (pt->mode != DP_MODE_SUBSET)
				fprintf(out, "         only rows whose %s (-> %s) is selected or NULL\n",
					fk->cols[0], par->t->name);
			else if (!(par->sub && par->sub->include_children == DP_CHILDREN_NONE))
				fprintf(out, "         + rows referencing selected %s rows (via %s)\n",
					par->t->name, fk->cols[0]);
		}
	}
	/* upward: rows its filtered children need */
	for (size_t m = 0; m < p->ntables; m++) {
		const dp_plan_table *ch = &p->tables[m];
		if (!ch->filtered)
			continue;
		for (size_t f = 0; f < ch->t->nfks; f++)
			if (!strcmp(ch->t->fks[f].ref_table, pt->t->name))
				fprintf(out, "         + rows that selected %s rows reference (via %s)\n",
					ch->t->name, ch->t->fks[f].cols[0]);
	}
}

void dp_plan_print(const dp_plan *p, FILE *out)
{
	const dp_settings *js = &p->cfg->settings;
	char src[512], tgt[512];

	dp_conn_cfg_describe(&p->cfg->source, src, sizeof(src));
	dp_conn_cfg_describe(&p->cfg->target, tgt, sizeof(tgt));
	fprintf(out, "plan for %s\n", p->cfg->name ? p->cfg->name : "(unnamed engine)");
	fprintf(out, "  source: %s (%zu tables, read-only)\n", src, p->schema->ntables);
	fprintf(out, "  target: %s\n", tgt);
	fprintf(out, "  seed: %" PRId64 "%s; key_generation_method: %s; workers: %d\n", p->seed,
		js->use_seed ? " (seed_value)" : " (fresh, use_seed is false)",
		dp_keygen_name(js->key_generation_method), js->n_parallel_pipeline_processes);
	fprintf(out, "  foreign keys: %s\n", p->immediate_fk
		? "enforced during the load (cycles broken by loading nullable FKs NULL, then updating)"
		: "checked after the load (indexes and FK checks deferred, then verified)");
	fprintf(out, "\nload order:\n");
	for (size_t k = 0; k < p->ntables; k++) {
		const dp_plan_table *pt = &p->tables[k];
		fprintf(out, "  %2zu. %-28s %-11s (%s)", k + 1, pt->t->name, dp_mode_name(pt->mode),
			pt->mode_why);
		if (pt->est_rows >= 0)
			fprintf(out, "  ~%" PRId64 " rows", pt->est_rows);
		if (p->graph->cycle_of[pt->ti])
			fprintf(out, "  [cycle %zu]", p->graph->cycle_of[pt->ti]);
		fputc('\n', out);
		if (pt->mode == DP_MODE_EXCLUDE) {
			fprintf(out, "       (schema only, no rows)\n");
			continue;
		}
		if (pt->filtered)
			print_subset(p, pt, out);
		if (pt->mode == DP_MODE_SYNTHESIZE) {
			const dp_settings *st = pt->st;
			if (pt->seq_parent >= 0)
				fprintf(out, "       rows generated per %s row (via %s): children count by "
					"the sequence model (end token %" PRId64 "), at most %d per parent%s\n",
					p->tables[pt->seq_parent].t->name, pt->t->cols[pt->seq_col].name,
					st->end_of_sequence_token, st->max_sequence_length,
					pt->pk_from_fks ? "; a child repeating a key of its parent is redrawn" : "");
			else if (pt->target_rows >= 0)
				fprintf(out, "       %" PRId64 " rows generated (target_rows)\n", pt->target_rows);
			else if (pt->scale > 0)
				fprintf(out, "       %g x the source rows generated (scale)\n", pt->scale);
			else
				fprintf(out, "       as many rows generated as the source has\n");
			fprintf(out, "       model: trained on up to %" PRId64 " rows (%s), up to %d "
				"predictors per column, columns in %s order\n", st->n_training_rows,
				st->read_random_subset ? "uniform random sample" : "first rows in key order",
				st->max_n_feat_per_model,
				st->feat_model_train_order == DP_ORDER_SCHEMA ? "schema" :
				st->feat_model_train_order == DP_ORDER_CARDINALITY ? "cardinality" : "the listed");
		}
		for (size_t ci = 0; ci < pt->t->ncols; ci++)
			print_col(p, pt, ci, out);
	}
	if (p->graph->ncycles) {
		fprintf(out, "\ncycles:\n");
		for (size_t c = 1; c <= p->graph->ncycles; c++) {
			dp_buf b = DP_BUF_INIT;
			if (dp_graph_describe_cycle(p->graph, p->schema, c, &b) == DP_OK)
				fprintf(out, "  %zu. %s: %s\n", c, dp_buf_str(&b), p->immediate_fk
					? "nullable FKs loaded NULL, then updated"
					: "FK checks deferred to the end of the load");
			dp_buf_free(&b);
		}
	}
}
