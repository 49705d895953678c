/* engine/synth/synth_gen.c - generation of a sequence tree: rows rendered from
 * the models (keys, references, generators, mocks below min_sample_size),
 * children per parent row, batches flushed parents first, root-only trees
 * on all workers. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../base/dp_rng.h"
#include "synth_int.h"
#include "../subset/subset.h"
#include "../models/model_int.h"
#include "../../base/dp_log.h"

/* ---- rendering one generated row ---- */

static const char *const lorem[] = {
	"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
	"do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna"
};

/* default_min_sample_size fallback: a value of the column's type that
 * owes nothing to the source. */
static int mock_value(const dp_column *col, dp_rng *r, dp_batch *b, dp_value *out)
{
	char buf[128];
	size_t n = 0;

	switch (col->tclass) {
	case DP_T_INTEGER:
	case DP_T_BOOL:
		dp_value_set_int(out, col->tclass == DP_T_BOOL ? (int64_t)dp_rng_below(r, 2)
							      : 1 + (int64_t)dp_rng_below(r, 1000));
		return DP_OK;
	case DP_T_REAL:
		dp_value_set_real(out, (double)dp_rng_below(r, 100000) / 100.0);
		return DP_OK;
	case DP_T_NUMERIC:
		n = (size_t)snprintf(buf, sizeof(buf), "%.2f", (double)dp_rng_below(r, 100000) / 100.0);
		break;
	case DP_T_DATE:
	case DP_T_TIMESTAMP: {
		dp_dtfmt f = {col->tclass == DP_T_TIMESTAMP, 0, ' ', ""};
		n = dp_dt_format(946684800.0 + (double)dp_rng_below(r, 25u * 365 * 86400), &f, buf, sizeof(buf));
		break;
	}
	default: {
		int words = 1 + (int)dp_rng_below(r, 4);
		for (int w = 0; w < words; w++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", w ? " " : "",
					      lorem[dp_rng_below(r, sizeof(lorem) / sizeof(lorem[0]))]);
		if (col->length > 0 && n > (size_t)col->length)
			n = (size_t)col->length;
	}
	}
	return dp_batch_set_text(b, out, buf, n);
}

static int render(synth *sy, syn_tab *s, const dp_grow *g, dp_rng *r, int64_t key,
		  int64_t parent_key, int pos, dp_batch *b, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	const dp_table *t = s->t;
	dp_value *ov = dp_batch_add_row(b);
	int rc = DP_OK;

	if (!ov)
		return dp_fail(eb, DP_ERR_INTERNAL, "output batch overflow");
	for (size_t c = 0; c < t->ncols && !rc; c++) {
		const dp_plan_col *pc = &s->pt->cols[c];
		if (pc->action == DP_COL_GEN) {
			dp_value in;
			char ib[48];
			if (g->nul[c] && !t->cols[c].notnull) {
				dp_value_set_null(&ov[c]);
				continue;
			}
			/* the generator's input names the row (text: a hash of it is
			 * 128 bits, so unique columns stay unique); consistent
			 * generators stay a function of the seed */
			in.kind = DP_V_TEXT;
			in.len = (size_t)snprintf(ib, sizeof(ib), "synthetic row %" PRId64, key);
			in.u.s = ib;
			rc = dp_gen_apply(pc->gen, &in, (uint64_t)(key - 1), b, &ov[c], eb);
			continue;
		}
		if (pc->action != DP_COL_SYNTH) {
			dp_value_set_null(&ov[c]);
			continue;
		}
		switch (pc->srole) {
		case DP_SR_PK:
			dp_value_set_int(&ov[c], key);
			break;
		case DP_SR_SEQ_FK:
			dp_value_set_int(&ov[c], parent_key);
			break;
		case DP_SR_POS:
			dp_value_set_int(&ov[c], pos + 1);
			break;
		case DP_SR_REF_FK: {
			const syn_tab *par = NULL;
			for (size_t q = 0; q < sy->n; q++)
				if ((long)sy->tabs[q].k == pc->ref)
					par = &sy->tabs[q];
			if (g->nul[c] || !par || par->nout == 0) {
				if (t->cols[c].notnull)
					return dp_fail(eb, DP_ERR_INTEGRITY, "%s.%s: NOT NULL reference to %s, "
						       "which received no rows", t->name, t->cols[c].name,
						       par ? par->t->name : "?");
				dp_value_set_null(&ov[c]);
			} else {
				dp_value_set_int(&ov[c], 1 + (int64_t)dp_rng_below(r, (uint64_t)par->nout));
			}
			break;
		}
		case DP_SR_SELF_FK:
			if (g->nul[c] || key <= 1)
				dp_value_set_null(&ov[c]);
			else
				dp_value_set_int(&ov[c], 1 + (int64_t)dp_rng_below(r, (uint64_t)(key - 1)));
			break;
		case DP_SR_FK_VALUE: {
			dp_value v;
			rc = dp_tmodel_value(s->m, c, g, r, b, &v, eb);
			if (!rc && pc->key >= 0)
				rc = dp_load_map_key(sg->plan, sg->run, (size_t)pc->key, t, c, &v, &ov[c], eb);
			else
				ov[c] = v;
			break;
		}
		case DP_SR_MODEL:
			if (s->fallback && s->m->cols[c].kind != DP_CK_EXTERNAL) {
				if (!t->cols[c].notnull && g->nul[c] && s->m->cols[c].kind != DP_CK_CATEGORICAL)
					dp_value_set_null(&ov[c]);
				else if (mock_value(&t->cols[c], r, b, &ov[c]))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			} else {
				rc = dp_tmodel_value(s->m, c, g, r, b, &ov[c], eb);
			}
			break;
		}
	}
	return rc;
}

/* ---- writing ---- */

static int flush(synth *sy, syn_tab *s, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	int rc;

	if (!dp_batch_nrows(s->out))
		return DP_OK;
	(void)dp_target_lock(sg->tgt);
	rc = sg->tgt_drv->write_batch(s->w, s->out, eb);
	dp_target_unlock(sg->tgt);
	if (!rc) {
		atomic_fetch_add(&s->jt->rows_written, (int64_t)dp_batch_nrows(s->out));
		atomic_fetch_add(&s->jt->bytes_written, (int64_t)dp_batch_bytes(s->out));
	}
	dp_batch_reset(s->out);
	return rc;
}

/* A tree's batches are flushed together, parents first: with FKs enforced
 * during the load a child row must never reach the target before its
 * parent row. */
int syn_flush_tree(synth *sy, size_t first, size_t last, int force, dp_errbuf *eb)
{
	int full = force;
	for (size_t q = first; q < last && !full; q++)
		full = dp_batch_full(sy->tabs[q].out);
	if (!full)
		return DP_OK;
	for (size_t q = first; q < last; q++) {
		int rc = flush(sy, &sy->tabs[q], eb);
		if (rc)
			return rc;
	}
	return DP_OK;
}

/* ---- generation of a tree ---- */

typedef struct gen_ctx {
	synth *sy;
	size_t first, last;            /* the tree's tables in sy->tabs */
	dp_grow *grows;                /* per tree table: current row */
	dp_grow *prevs;                /* per tree table: previous sibling */
} gen_ctx;

static int gen_children(gen_ctx *gc, syn_tab *p, const dp_grow *prow, int64_t pkey, dp_rng *r,
			dp_errbuf *eb);

static int gen_row(gen_ctx *gc, syn_tab *s, const dp_grow *prow, const dp_grow *prev, int pos,
		   int64_t pkey, dp_rng *r, dp_errbuf *eb)
{
	size_t ti = (size_t)(s - gc->sy->tabs);
	dp_grow *g = &gc->grows[ti];
	int64_t key = s->nout + 1;
	int rc;

	for (int tries = 0;; tries++) {
		dp_tmodel_sample(s->m, r, prow, prev, pos, g);
		rc = render(gc->sy, s, g, r, key, pkey, pos, s->out, eb);
		if (rc)
			return rc;
		if (!s->pt->pk_from_fks)
			break;
		/* a key made of FKs may not repeat under its parent: redraw */
		const dp_value *row = dp_batch_row_c(s->out, dp_batch_nrows(s->out) - 1);
		uint64_t h = 0;
		int dup = 0;
		for (size_t q = 0; q < s->t->npk; q++)
			h = (h ^ dp_vhash(&row[s->t->pk[q]])) * 0x100000001b3ull;
		for (size_t q = 0; q < s->nused && !dup; q++)
			dup = s->used[q] == h;
		if (!dup && s->nused < sizeof(s->used) / sizeof(s->used[0])) {
			s->used[s->nused++] = h;
			break;
		}
		dp_batch_drop_last(s->out);
		if (tries >= 20) {
			s->ndropped++;
			return DP_OK;
		}
	}
	s->nout++;
	if (s->nout <= (int64_t)s->sample.cap)
		dp_ssample_put(&s->sample, (size_t)(s->nout - 1), s->m, g);
	rc = syn_flush_tree(gc->sy, gc->first, gc->last, 0, eb);
	if (!rc && s->nkids)
		rc = gen_children(gc, s, g, key, r, eb);
	return rc;
}

static int gen_children(gen_ctx *gc, syn_tab *p, const dp_grow *prow, int64_t pkey, dp_rng *r,
			dp_errbuf *eb)
{
	for (size_t k = 0; k < p->nkids; k++) {
		syn_tab *c = p->kids[k];
		size_t ci = (size_t)(c - gc->sy->tabs);
		int pos = 0, rc;
		size_t pidx = c->nparents++;
		c->nused = 0;
		while (!dp_tmodel_stop(c->m, r, prow, pos ? &gc->prevs[ci] : NULL, pos)) {
			rc = gen_row(gc, c, prow, pos ? &gc->prevs[ci] : NULL, pos, pkey, r, eb);
			if (rc)
				return rc;
			/* the row just made is the next one's previous sibling */
			dp_grow tmp = gc->prevs[ci];
			gc->prevs[ci] = gc->grows[ci];
			gc->grows[ci] = tmp;
			pos++;
		}
		if (c->have_sample)
			dp_ssample_children(&c->sample, pidx, (uint32_t)pos);
	}
	return DP_OK;
}

void syn_row_rng(const syn_tab *s, uint64_t i, dp_rng *r)
{
	dp_rng_seed_u64(r, dp_splitmix64(s->tseed ^ dp_splitmix64(i + 0x51ed)));
}

/* A root with nothing under it: row ranges on all workers. */
typedef struct par_ctx {
	synth *sy;
	syn_tab *s;
	int64_t lo, hi;
	dp_errbuf eb;
	int rc;
} par_ctx;

static void *par_main(void *arg)
{
	par_ctx *pc = arg;
	syn_tab *s = pc->s;
	const dp_stage *sg = pc->sy->sg;
	dp_batch *b = dp_batch_new(s->t->ncols, sg->run->batch_rows);
	dp_grow g;
	dp_rng r;
	int rc = DP_OK;

	if (!b || dp_grow_init(&g, s->m)) {
		dp_batch_free(b);
		pc->rc = dp_fail(&pc->eb, DP_ERR_NOMEM, "out of memory");
		return NULL;
	}
	for (int64_t i = pc->lo; i < pc->hi && !rc; i++) {
		if (atomic_load(&sg->run->cancel)) {
			rc = dp_fail(&pc->eb, DP_ERR_CANCELLED, "job cancelled");
			break;
		}
		syn_row_rng(s, (uint64_t)i, &r);
		dp_tmodel_sample(s->m, &r, NULL, NULL, 0, &g);
		rc = render(pc->sy, s, &g, &r, i + 1, 0, 0, b, &pc->eb);
		if (!rc && (uint64_t)i < s->sample.cap)
			dp_ssample_put(&s->sample, (size_t)i, s->m, &g);
		if (!rc && (dp_batch_full(b) || i + 1 == pc->hi)) {
			(void)dp_target_lock(sg->tgt);
			rc = sg->tgt_drv->write_batch(s->w, b, &pc->eb);
			dp_target_unlock(sg->tgt);
			if (!rc) {
				atomic_fetch_add(&s->jt->rows_written, (int64_t)dp_batch_nrows(b));
				atomic_fetch_add(&s->jt->bytes_written, (int64_t)dp_batch_bytes(b));
			}
			dp_batch_reset(b);
		}
	}
	dp_grow_free(&g);
	dp_batch_free(b);
	pc->rc = rc;
	return NULL;
}

/* The tree's root is generated per row of a copied table: its rows are read
 * from the source as the target holds them (subsetted: the kept rows only),
 * encoded as the model's features, and each gets its children. */
static int gen_under_copied(synth *sy, size_t first, size_t last, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	syn_tab *root = &sy->tabs[first], *par = root->parent;
	const dp_plan_col *spc = &root->pt->cols[root->pt->seq_col];
	size_t pk = par->t->pk[0], k = par->k;
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(par->t->ncols, 2048);
	dp_buf keybuf = DP_BUF_INIT;
	dp_grow pg;
	gen_ctx gc;
	int eof = 0, rc = DP_OK;
	uint64_t i = 0;

	memset(&gc, 0, sizeof(gc));
	gc.sy = sy;
	gc.first = first;
	gc.last = last;
	gc.grows = calloc(sy->n, sizeof(dp_grow));
	gc.prevs = calloc(sy->n, sizeof(dp_grow));
	if (!b || !gc.grows || !gc.prevs || dp_grow_init(&pg, par->m)) {
		dp_batch_free(b);
		free(gc.grows);
		free(gc.prevs);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t q = first; q < last && !rc; q++)
		if (dp_grow_init(&gc.grows[q], sy->tabs[q].m) || dp_grow_init(&gc.prevs[q], sy->tabs[q].m))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	memset(&spec, 0, sizeof(spec));
	spec.table = par->t;
	spec.limit = -1;
	/* read on the leader session; the source's consistent view */
	(void)dp_source_lock(sg->src);
	if (!rc)
		rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
	dp_source_unlock(sg->src);
	while (!rc && !eof) {
		dp_batch_reset(b);
		(void)dp_source_lock(sg->src);
		rc = sg->src_drv->read_next(r, b, &eof, eb);
		dp_source_unlock(sg->src);
		for (size_t q = 0; !rc && q < dp_batch_nrows(b); q++) {
			const dp_value *row = dp_batch_row_c(b, q);
			dp_value key;
			dp_rng rr;
			int64_t kv;
			if (atomic_load(&sg->run->cancel)) {
				rc = dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
				break;
			}
			if (sg->run->tables[k].pt->filtered && dp_subset_row(sg->run->subset, k, row, &keybuf) < 0)
				continue;    /* not in the target */
			if (spc->key >= 0)
				rc = dp_load_map_key(sg->plan, sg->run, (size_t)spc->key, par->t, pk, &row[pk], &key, eb);
			else
				key = row[pk];
			if (rc || !dp_value_to_i64(&key, &kv)) {
				if (!rc)
					rc = dp_fail(eb, DP_ERR_TYPE, "%s: key is not an integer", par->t->name);
				break;
			}
			dp_tmodel_encode(par->m, row, &pg);
			syn_row_rng(root, i++, &rr);
			rc = gen_children(&gc, par, &pg, kv, &rr, eb);
		}
	}
	if (r) {
		(void)dp_source_lock(sg->src);
		sg->src_drv->read_close(r);
		dp_source_unlock(sg->src);
	}
	if (!rc)
		rc = syn_flush_tree(sy, first, last, 1, eb);
	for (size_t q = first; q < last; q++) {
		dp_grow_free(&gc.grows[q]);
		dp_grow_free(&gc.prevs[q]);
	}
	dp_grow_free(&pg);
	free(gc.grows);
	free(gc.prevs);
	dp_buf_free(&keybuf);
	dp_batch_free(b);
	return rc;
}

int syn_gen_tree(synth *sy, size_t first, size_t last, int64_t nroot, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	syn_tab *root = &sy->tabs[first];
	int rc = DP_OK, nw = sg->cfg->settings.n_parallel_pipeline_processes;
	int self_ref = 0;

	for (size_t c = 0; c < root->t->ncols; c++)
		self_ref |= root->pt->cols[c].action == DP_COL_SYNTH && root->pt->cols[c].srole == DP_SR_SELF_FK;
	/* independent roots split into ranges on threads; rows generated per
	 * row of a copied parent are one pass over that parent's rows (a range
	 * has no parent key to give its rows: they were written with FK 0) */
	if (last - first == 1 && !self_ref && nw > 1 && nroot >= 2048 &&
	    !(root->parent && root->parent->copied)) {
		par_ctx pcs[64];
		pthread_t th[64];
		int started = 0;
		if (nw > 64)
			nw = 64;
		for (int w = 0; w < nw; w++) {
			memset(&pcs[w], 0, sizeof(pcs[w]));
			pcs[w].sy = sy;
			pcs[w].s = root;
			pcs[w].lo = nroot * w / nw;
			pcs[w].hi = nroot * (w + 1) / nw;
		}
		for (int w = 1; w < nw; w++)
			if (dp_thread_create(&th[w], par_main, &pcs[w]) == 0)
				started = w;
			else
				break;
		/* ranges whose thread did not start are run here */
		par_main(&pcs[0]);
		for (int w = started + 1; w < nw; w++)
			par_main(&pcs[w]);
		for (int w = 1; w <= started; w++)
			pthread_join(th[w], NULL);
		for (int w = 0; w < nw && !rc; w++)
			if (pcs[w].rc) {
				rc = pcs[w].rc;
				dp_errbuf_merge(eb, &pcs[w].eb);
			}
		root->nout = nroot;
		return rc;
	}
	if (root->parent && root->parent->copied)
		return gen_under_copied(sy, first, last, eb);
	gen_ctx gc;
	gc.sy = sy;
	gc.first = first;
	gc.last = last;
	gc.grows = calloc(sy->n, sizeof(dp_grow));
	gc.prevs = calloc(sy->n, sizeof(dp_grow));
	if (!gc.grows || !gc.prevs) {
		free(gc.grows);
		free(gc.prevs);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t q = first; q < last && !rc; q++)
		if (dp_grow_init(&gc.grows[q], sy->tabs[q].m) || dp_grow_init(&gc.prevs[q], sy->tabs[q].m))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (int64_t i = 0; i < nroot && !rc; i++) {
		dp_rng r;
		if (atomic_load(&sg->run->cancel)) {
			rc = dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
			break;
		}
		syn_row_rng(root, (uint64_t)i, &r);
		rc = gen_row(&gc, root, NULL, NULL, 0, 0, &r, eb);
	}
	if (!rc)
		rc = syn_flush_tree(sy, first, last, 1, eb);
	for (size_t q = first; q < last; q++) {
		dp_grow_free(&gc.grows[q]);
		dp_grow_free(&gc.prevs[q]);
	}
	free(gc.grows);
	free(gc.prevs);
	return rc;
}
