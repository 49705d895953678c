/* engine/plan/plan_synth.c - the plan of SYNTHESIZE tables: which parent each
 * table's rows are generated for (its sequence parent), what each column
 * is (modelled value, key, reference, generator), what cannot be
 * synthesized yet, and the order sequence trees are generated in. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "plan_int.h"
#include "../../base/dp_log.h"

/* Plan index of the table named `name`, or -1. */
long dp_plan_index(const dp_plan *p, const char *name)
{
	for (size_t k = 0; k < p->ntables; k++)
		if (!strcmp(p->tables[k].t->name, name))
			return (long)k;
	return -1;
}

/* SYNTHESIZE tables: which parent each is generated for (its sequence
 * parent: the first NOT NULL FK to another SYNTHESIZE table), and what
 * cannot be synthesized (yet) or would break references. */
int dp_plan_synth_tables(dp_plan *p, dp_errbuf *eb)
{
	for (size_t k = 0; k < p->ntables; k++) {
		dp_plan_table *pt = &p->tables[k];
		const dp_table *t = pt->t;

		for (size_t f = 0; f < t->nfks; f++) {
			const dp_fk *fk = &t->fks[f];
			long m = dp_plan_index(p, fk->ref_table);
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
				const dp_fk *fk = dp_plan_fk_of_col(t, ci, &pos);
				if (!fk || fk->ncols != 1 || !t->cols[ci].notnull || (pass % 2 == 0) != (t->cols[ci].pk_pos > 0))
					continue;
				long m = dp_plan_index(p, fk->ref_table);
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
			long m = dp_plan_index(p, t->fks[f].ref_table);
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
				if (dp_plan_fk_of_col(t, t->pk[q], &pos))
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
			if (dp_plan_fk_of_col(t, t->pk[0], &pos))
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
int dp_plan_synth_order(dp_plan *p, dp_errbuf *eb)
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
int dp_plan_synth_col(dp_plan *p, dp_plan_table *pt, const dp_column_cfg *cc, size_t ci,
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
		long m = dp_plan_index(p, fk->ref_table);
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
			rc = dp_plan_make_gen(p, pt, ci, "null", NULL, -1, locale, pc, eb);
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
		pc->key = dp_plan_key_of(p, pt->ti, ci);
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
		rc = dp_plan_make_gen(p, pt, ci, "mask:hash", NULL, -1, locale, pc, eb);
		pc->why = "key of a synthesized table: keyed hash of the row number";
		return rc ? rc : 1;
	}
	if (gen) {
		rc = dp_plan_make_gen(p, pt, ci, cc->generator, cc->value, cc->consistent, locale, pc, eb);
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
		rc = dp_plan_make_gen(p, pt, ci, "mask:hash", NULL, -1, locale, pc, eb);
		pc->why = "unique column: keyed hash of the row number keeps it unique";
		return rc ? rc : 1;
	}
	if (col->tclass == DP_T_UUID) {
		rc = dp_plan_make_gen(p, pt, ci, "mock:uuid", NULL, -1, locale, pc, eb);
		pc->why = "identifier";
		return rc ? rc : 1;
	}
	/* binary values and documents would be copied whole from the source:
	 * not synthesized */
	if (col->tclass == DP_T_BLOB || col->tclass == DP_T_JSON) {
		int json = col->tclass == DP_T_JSON;
		rc = dp_plan_make_gen(p, pt, ci, !col->notnull ? "null" : json ? "constant" : "mask:hash",
			      json && col->notnull ? "{}" : NULL, -1, locale, pc, eb);
		pc->why = "binary values and documents are not synthesized (they would be copies)";
		return rc ? rc : 1;
	}
	/* an explicit "synthesize" skips the PII detection */
	if (cc && cc->generator && !strcmp(cc->generator, "synthesize"))
		return 1;
	return 0;
}
