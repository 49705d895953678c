/* engine/plan/plan_print.c - `doppel plan`: the plan in words, table by table
 * in load order, with each column's action and why. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "plan_int.h"
#include "../pii/mock.h"

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
	case DP_COL_GEN: {
		const char *spec = dp_gen_spec(pc->gen);
		fprintf(out, "%s", spec);
		/* how many values a list mock can give (one-to-one mocks: no limit) */
		if (!strncmp(spec, "mock:", 5)) {
			size_t n = dp_mock_cardinality(spec + 5, pt->st->locale ? pt->st->locale : "en");
			if (n && n != SIZE_MAX)
				fprintf(out, " (%zu distinct values)", n);
		}
		break;
	}
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
static void print_subset(const dp_plan *p, const dp_plan_table *pt, int64_t est_rows, FILE *out)
{
	const dp_subset_cfg *s = pt->sub;

	fprintf(out, "       subset: ");
	if (s && s->percent >= 0)
		fprintf(out, "target: %g%% of rows, picked by a keyed hash of the key (seeded), "
			"~%" PRId64 " rows", s->percent,
			est_rows > 0 ? (int64_t)((double)est_rows * s->percent / 100.0) : 0);
	else if (s && s->where)
		fprintf(out, "target: SELECT <key columns> FROM %s WHERE (%s)  "
			"[in the read-only source snapshot]", pt->t->name, s->where);
	else if (s && s->limit >= 0)
		fprintf(out, "target: SELECT <key columns> FROM %s ORDER BY %s LIMIT %" PRId64
			", ~%" PRId64 " rows", pt->t->name, s->order_by ? s->order_by : "<primary key>",
			s->limit, est_rows >= 0 && est_rows < s->limit ? est_rows : s->limit);
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

void dp_plan_print_ex(const dp_plan *p, FILE *out, unsigned flags)
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
		int64_t est = (flags & DP_PLAN_PRINT_NO_ROWS) ? -1 : pt->est_rows;
		fprintf(out, "  %2zu. %-28s %-11s (%s)", k + 1, pt->t->name, dp_mode_name(pt->mode),
			pt->mode_why);
		if (est >= 0)
			fprintf(out, "  ~%" PRId64 " rows", est);
		if (p->graph->cycle_of[pt->ti])
			fprintf(out, "  [cycle %zu]", p->graph->cycle_of[pt->ti]);
		fputc('\n', out);
		if (pt->mode == DP_MODE_EXCLUDE) {
			fprintf(out, "       (schema only, no rows)\n");
			continue;
		}
		if (pt->filtered)
			print_subset(p, pt, est, out);
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
				st->feat_model_train_order == DP_ORDER_EXPLICIT ? "the listed"
				: dp_enum_name(&dp_train_order_names, (int)st->feat_model_train_order));
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
	if (p->mapping_notes) {
		const char *s = p->mapping_notes;
		fprintf(out, "\ntype mapping (%s -> %s):\n", p->schema->engine ? p->schema->engine : "?",
			p->cfg->target.connector_type ? p->cfg->target.connector_type : "?");
		while (*s) {
			const char *e = strchr(s, '\n');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			if (n)
				fprintf(out, "  %.*s\n", (int)n, s);
			s += n + (e != NULL);
		}
	}
	if (p->nobjects) {
		size_t nc = 0;
		for (size_t k = 0; k < p->nobjects; k++)
			nc += p->objects[k].carried;
		fprintf(out, "\nschema objects: %zu carried, %zu not carried\n", nc, p->nobjects - nc);
		for (size_t k = 0; k < p->nobjects; k++) {
			const dp_plan_object *po = &p->objects[k];
			fprintf(out, "  %-12s %s %s", po->carried ? "carried" : "NOT CARRIED",
				dp_obj_kind_name(po->o->kind), po->o->name);
			if (po->o->table && po->o->kind != DP_OBJ_COMMENT)
				fprintf(out, " on %s", po->o->table);
			if (po->carried)
				fprintf(out, "  (%s)\n", po->o->phase == DP_OBJ_BEFORE_TABLES
					? "before the tables" : "after the data");
			else
				fprintf(out, "  (%s)\n", po->why);
		}
	}
}

void dp_plan_print(const dp_plan *p, FILE *out)
{
	dp_plan_print_ex(p, out, 0);
}
