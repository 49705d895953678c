/* engine/load/pipeline.c - read -> transform -> write, in bounded batches, on a
 * pool of n_parallel_pipeline_processes workers.
 *
 * Each table runs as one unit: a reader thread streams batches from the
 * source into a bounded channel; the worker transforms each batch (key
 * mapping, generators, deferred FKs) and writes it. Batches circulate
 * between a "free" and a "full" channel, so at most max_pending_tasks + 1
 * input batches exist per table in flight: memory depends on settings, not
 * on table size.
 *
 * Workers take the biggest ready table first (pg_dump's rule). With FKs
 * enforced during the load a table is ready once its parents are loaded;
 * otherwise every table is ready at once.
 *
 * Sessions: drivers with a shared snapshot give each worker its own source
 * session joined to the leader's view; the others are read through the
 * leader session under the source's lock. Every target is written through
 * its one session (the staging area's owner) under the target's lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "load_int.h"
#include "leak.h"
#include "chan.h"
#include "../subset/subset.h"
#include "../../base/dp_log.h"
#include "../../base/dp_rng.h"


/* Record a worker failure: first one wins, everyone else is cancelled. */
static void job_failed(const dp_stage *sg, const dp_errbuf *eb)
{
	dp_run_fail(sg->run, eb);
}

/* The first error of a table, tagged with its name when the message lacks it. */
static void fail_table(const dp_stage *sg, const dp_table *t, const dp_errbuf *eb)
{
	dp_errbuf tagged;

	dp_errbuf_clear(&tagged);
	if (strstr(eb->msg, t->name))
		dp_fail(&tagged, eb->code ? eb->code : DP_ERR_INTERNAL, "%s", eb->msg);
	else
		dp_fail(&tagged, eb->code ? eb->code : DP_ERR_INTERNAL, "table %s: %s", t->name, eb->msg);
	job_failed(sg, &tagged);
}

/* ---- key mapping ---- */

int dp_load_map_key(const dp_plan *p, const dp_run *r, size_t key, const dp_table *t, size_t ci,
		    const dp_value *in, dp_value *out, dp_errbuf *eb)
{
	const dp_plan_key *k = &p->keys[key];
	const dp_key_run *kr = &r->keys[key];
	const dp_table *kt = &p->schema->tables[k->table];
	int64_t v, nv;
	char txt[64];

	if (in->kind == DP_V_NULL) {
		dp_value_set_null(out);
		return DP_OK;
	}
	if (!dp_value_to_i64(in, &v)) {
		dp_value_to_text(in, txt, sizeof(txt), NULL);
		return dp_fail(eb, DP_ERR_TYPE, "%s.%s = '%s': not an integer key, cannot map it "
			       "with key_generation_method %s", t->name, t->cols[ci].name, txt,
			       dp_keygen_name(k->method));
	}
	if (k->method == DP_KEYGEN_GENERATE) {
		if (!dp_keymap_get(kr->map, v, &nv))
			return dp_fail(eb, DP_ERR_INTEGRITY,
				       "%s.%s = %" PRId64 " references %s.%s, which has no such "
				       "row in the source (dangling reference)", t->name,
				       t->cols[ci].name, v, kt->name, kt->cols[k->col].name);
	} else if (kr->shuffle) {
		if (v < 0 || (uint64_t)v >= kr->nshuffle)
			return dp_fail(eb, DP_ERR_INTEGRITY,
				       "%s.%s = %" PRId64 ": outside the key range of %s.%s "
				       "(0..%" PRIu64 "), cannot map it", t->name, t->cols[ci].name,
				       v, kt->name, kt->cols[k->col].name, kr->nshuffle - 1);
		nv = kr->shuffle[v];
	} else {
		if (v < 0 || (uint64_t)v >= kr->perm.domain)
			return dp_fail(eb, DP_ERR_INTEGRITY,
				       "%s.%s = %" PRId64 ": outside the key range of %s.%s "
				       "(0..%" PRIu64 "), cannot hash it", t->name, t->cols[ci].name,
				       v, kt->name, kt->cols[k->col].name, kr->perm.domain - 1);
		nv = (int64_t)dp_perm_apply(&kr->perm, (uint64_t)v);
	}
	dp_value_set_int(out, nv);
	return DP_OK;
}

/* Read the key column of every key domain once, in key order. */
int dp_load_keys(const dp_plan *p, dp_source *src, dp_run *run, dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(p, src, NULL, NULL, run);
	const dp_stage *sg = &stage;
	int rc = DP_OK;

	for (size_t k = 0; k < p->nkeys && !rc; k++) {
		const dp_plan_key *pk = &p->keys[k];
		dp_key_run *kr = &run->keys[k];
		const dp_table *t = &sg->schema->tables[pk->table];
		dp_table view = *t;
		size_t zero = 0;
		const char *ob[1] = {t->cols[pk->col].name};
		dp_read_spec spec;
		dp_reader *r = NULL;
		dp_batch *b = dp_batch_new(1, 8192);
		int eof = 0;
		int64_t next = 1, maxv = 0;

		/* a one-column view of the table: only the key is read */
		view.ncols = 1;
		view.cols = &t->cols[pk->col];
		view.npk = 1;
		view.pk = &zero;
		memset(&spec, 0, sizeof(spec));
		spec.table = &view;
		spec.order_by = ob;
		spec.n_order_by = 1;
		spec.limit = -1;
		if (!b)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (pk->method == DP_KEYGEN_GENERATE) {
			kr->map = dp_keymap_new(t->row_estimate > 0 ? (size_t)t->row_estimate : 1024);
			if (!kr->map) {
				dp_batch_free(b);
				return dp_fail(eb, DP_ERR_NOMEM, "out of memory for the key map of %s",
					       t->name);
			}
		}
		(void)dp_source_lock(sg->src);
		rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
		while (!rc && !eof) {
			dp_batch_reset(b);
			rc = sg->src_drv->read_next(r, b, &eof, eb);
			for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++) {
				const dp_value *v = dp_batch_row_c(b, i);
				int64_t x;
				if (!dp_value_to_i64(v, &x)) {
					rc = dp_fail(eb, DP_ERR_TYPE, "%s.%s: key value is not an integer",
						     t->name, t->cols[pk->col].name);
					break;
				}
				if (pk->method == DP_KEYGEN_GENERATE) {
					rc = dp_keymap_put(kr->map, x, next++);
					if (rc == DP_ERR_INTEGRITY)
						rc = dp_fail(eb, rc, "%s.%s: duplicate key %" PRId64,
							     t->name, t->cols[pk->col].name, x);
					else if (rc)
						rc = dp_fail(eb, rc, "out of memory for the key map of %s",
							     t->name);
				} else if (x < 0) {
					rc = dp_fail(eb, DP_ERR_TYPE, "%s.%s: negative key %" PRId64
						     " cannot be hashed", t->name, t->cols[pk->col].name, x);
				} else if (x > maxv) {
					maxv = x;
				}
			}
		}
		if (r)
			sg->src_drv->read_close(r);
		dp_source_unlock(sg->src);
		dp_batch_free(b);
		if (!rc && pk->method == DP_KEYGEN_HASH) {
			char label[512];
			int64_t thr = p->cfg->settings.consistent_integer_shuffle_threshold;
			for (size_t q = 0; q < p->ntables; q++)
				if (p->tables[q].ti == pk->table)
					thr = p->tables[q].st->consistent_integer_shuffle_threshold;
			snprintf(label, sizeof(label), "key:%s.%s", t->name, t->cols[pk->col].name);
			kr->max_key = maxv;
			if ((uint64_t)maxv + 1 <= (uint64_t)thr) {
				/* a small range: a seeded Fisher-Yates shuffle of [0, max],
				 * keys stay inside the source's range */
				unsigned char sd[32];
				dp_rng rng;
				kr->nshuffle = (uint64_t)maxv + 1;
				kr->shuffle = malloc(kr->nshuffle * sizeof(int64_t));
				if (!kr->shuffle)
					return dp_fail(eb, DP_ERR_NOMEM, "out of memory for the key shuffle of %s",
						       t->name);
				dp_hmac_sha256(p->jkey.k, sizeof(p->jkey.k), label, strlen(label), sd);
				dp_rng_seed_bytes(&rng, sd, sizeof(sd));
				for (uint64_t i = 0; i < kr->nshuffle; i++)
					kr->shuffle[i] = (int64_t)i;
				for (uint64_t i = kr->nshuffle; i > 1; i--) {
					uint64_t q = dp_rng_below(&rng, i);
					int64_t tmp = kr->shuffle[i - 1];
					kr->shuffle[i - 1] = kr->shuffle[q];
					kr->shuffle[q] = tmp;
				}
			} else {
				dp_perm_init(&kr->perm, &p->jkey, label,
					     dp_perm_decimal_domain((uint64_t)maxv));
			}
		}
		if (!rc)
			dp_log_info("key map %s.%s: %s", t->name, t->cols[pk->col].name,
				    pk->method == DP_KEYGEN_GENERATE ? "dense keys generated" :
				    kr->shuffle ? "seeded shuffle of the key range (range within "
						  "default_consistent_integer_shuffle_threshold)" :
				    "keyed permutation of the decimal width (range above "
				    "default_consistent_integer_shuffle_threshold)");
	}
	return rc;
}

/* ---- one table ---- */

typedef struct reader_ctx {
	const dp_stage *sg;
	const dp_connector *drv;
	dp_conn *conn;                 /* session to read on */
	int use_mu;                    /* read through the leader under src_mu */
	dp_reader *r;
	dp_chan *full, *free_;
	dp_errbuf eb;
	dp_table_run *jt;
} reader_ctx;

static void *reader_main(void *arg)
{
	reader_ctx *rc_ = arg;
	int eof = 0, rc = DP_OK;

	while (!eof && !atomic_load(&rc_->sg->run->cancel)) {
		dp_batch *b;
		if (dp_chan_pop(rc_->free_, &b) != 0 || !b)
			break;
		dp_batch_reset(b);
		if (rc_->use_mu)
			(void)dp_source_lock(rc_->sg->src);
		rc = rc_->drv->read_next(rc_->r, b, &eof, &rc_->eb);
		if (rc_->use_mu)
			dp_source_unlock(rc_->sg->src);
		if (rc) {
			/* the worker may have closed the channels already (a cancel
			 * interrupts the read): then the batch is ours to free */
			if (dp_chan_push(rc_->free_, b) != 0)
				dp_batch_free(b);
			break;
		}
		atomic_fetch_add(&rc_->jt->rows_read, (int64_t)dp_batch_nrows(b));
		atomic_fetch_add(&rc_->jt->bytes_read, (int64_t)dp_batch_bytes(b));
		if (dp_chan_push(rc_->full, b) != 0) {
			dp_batch_free(b);
			break;
		}
	}
	/* end of stream marker (or error: the worker checks eb) */
	dp_chan_push(rc_->full, NULL);
	return NULL;
}

static int record_deferred(dp_table_run *jt, const dp_value *row, const dp_value *orig_fk,
			   dp_errbuf *eb)
{
	const dp_plan_table *pt = jt->pt;
	const dp_table *t = pt->t;
	size_t nd = 0, ncols;
	dp_batch *b = jt->ndeferred ? jt->deferred[jt->ndeferred - 1] : NULL;
	dp_value *out;
	int rc;

	for (size_t c = 0; c < t->ncols; c++)
		nd += pt->cols[c].deferred;
	ncols = nd + t->npk;
	if (!b || dp_batch_full(b)) {
		dp_batch **nb = realloc(jt->deferred, (jt->ndeferred + 1) * sizeof(*nb));
		if (!nb)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		jt->deferred = nb;
		b = dp_batch_new(ncols, 4096);
		if (!b)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		jt->deferred[jt->ndeferred++] = b;
	}
	out = dp_batch_add_row(b);
	nd = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		if (!pt->cols[c].deferred)
			continue;
		const dp_value *v = &orig_fk[c];
		out[nd] = *v;
		if (v->kind == DP_V_TEXT || v->kind == DP_V_BLOB) {
			rc = v->kind == DP_V_TEXT ? dp_batch_set_text(b, &out[nd], v->u.s, v->len)
						  : dp_batch_set_blob(b, &out[nd], v->u.s, v->len);
			if (rc)
				return dp_fail(eb, rc, "out of memory");
		}
		nd++;
	}
	for (size_t k = 0; k < t->npk; k++) {
		const dp_value *v = &row[t->pk[k]];
		out[nd + k] = *v;
		if (v->kind == DP_V_TEXT || v->kind == DP_V_BLOB) {
			rc = v->kind == DP_V_TEXT ? dp_batch_set_text(b, &out[nd + k], v->u.s, v->len)
						  : dp_batch_set_blob(b, &out[nd + k], v->u.s, v->len);
			if (rc)
				return dp_fail(eb, rc, "out of memory");
		}
	}
	return DP_OK;
}

/* ---- the entity of a row, for row-aware generators ---- */

/* Follow t's first key column up its single-column foreign keys to the
 * table it names (at most 8 steps; a cycle stops where it closes). */
static void find_row_root(const dp_schema *s, dp_table_run *jt)
{
	const dp_table *t = jt->pt->t, *cur;
	const char *col;

	jt->rk_root = NULL;
	if (!t->npk)
		return;
	jt->rk_col = t->pk[0];
	cur = t;
	col = t->cols[t->pk[0]].name;
	for (int step = 0; step < 8; step++) {
		const dp_fk *up = NULL;
		for (size_t f = 0; f < cur->nfks && !up; f++)
			if (cur->fks[f].ncols == 1 && !strcmp(cur->fks[f].cols[0], col))
				up = &cur->fks[f];
		const dp_table *par = up ? dp_schema_table(s, up->ref_table) : NULL;
		if (!par || par == cur || par == t)
			break;
		cur = par;
		col = up->ref_cols[0];
	}
	jt->rk_root = cur->name;
}

/* "<root>|<value>" of row iv into buf (its length; 0 = no key). */
static size_t row_key(const dp_table_run *jt, const dp_value *iv, char *buf, size_t n)
{
	char v[200];
	size_t vl = dp_value_to_text(&iv[jt->rk_col], v, sizeof(v), NULL);
	int w = snprintf(buf, n, "%s|%.*s", jt->rk_root, (int)vl, v);
	return w > 0 && (size_t)w < n ? (size_t)w : n - 1;
}

/* ---- the wide leak check ---- */

enum { LEAK_NONE = 0, LEAK_SOURCE = 1, LEAK_OUTPUT = 2 };

/* The kind of a PII column: the scan's verdict, else its mock's kind. */
static const char *pii_kind_of(const dp_plan_table *pt, size_t c)
{
	const char *spec;

	if (pt->t->cols[c].pii_kind)
		return pt->t->cols[c].pii_kind;
	spec = pt->cols[c].gen ? dp_gen_spec(pt->cols[c].gen) : NULL;
	return spec && !strncmp(spec, "mock:", 5) ? spec + 5 : NULL;
}

int dp_load_leak_roles(const dp_plan *p, dp_run *r, size_t *ncols)
{
	uint32_t base = 0;
	int any = 0;

	for (size_t k = 0; k < r->ntables; k++) {
		dp_table_run *tr = &r->tables[k];
		const dp_plan_table *pt = &p->tables[k];
		free(tr->leak_role);
		tr->leak_role = calloc(pt->t->ncols + 1, 1);
		if (!tr->leak_role)
			return DP_ERR_NOMEM;
		tr->leak_base = base;
		base += (uint32_t)pt->t->ncols;
		for (size_t c = 0; c < pt->t->ncols; c++) {
			const dp_plan_col *pc = &pt->cols[c];
			if (pt->mode == DP_MODE_EXCLUDE)
				continue;
			if (pc->action == DP_COL_GEN && pc->pii && dp_leak_kind_identifying(pii_kind_of(pt, c))) {
				tr->leak_role[c] = LEAK_SOURCE;
				any = 1;
			} else if (pc->action == DP_COL_COPY && pt->t->cols[c].tclass == DP_T_TEXT &&
				   pt->mode != DP_MODE_SYNTHESIZE) {
				tr->leak_role[c] = LEAK_OUTPUT;
			}
		}
	}
	*ncols = base;
	return any ? 1 : 0;
}

/* Fingerprints of a batch: the identifying PII values it read (every row
 * read, kept or not) and the text it writes as it is. */
static void leak_collect(const dp_stage *sg, const dp_table_run *jt, const dp_batch *in,
			 const dp_batch *out)
{
	enum { N = 1024 };
	uint64_t src[N], ofp[N];
	uint32_t ocol[N];
	size_t ns = 0, no = 0, ncols = jt->pt->t->ncols;

	for (size_t r = 0; r < dp_batch_nrows(in); r++) {
		const dp_value *v = dp_batch_row_c(in, r);
		for (size_t c = 0; c < ncols; c++) {
			if (jt->leak_role[c] != LEAK_SOURCE || v[c].kind != DP_V_TEXT || !v[c].len)
				continue;
			src[ns++] = dp_hash64(v[c].u.s, v[c].len);
			if (ns == N) {
				dp_leak_add(sg->run->leak, src, ns, NULL, NULL, 0);
				ns = 0;
			}
		}
	}
	for (size_t r = 0; r < dp_batch_nrows(out); r++) {
		const dp_value *v = dp_batch_row_c(out, r);
		for (size_t c = 0; c < ncols; c++) {
			if (jt->leak_role[c] != LEAK_OUTPUT || v[c].kind != DP_V_TEXT || !v[c].len)
				continue;
			ofp[no] = dp_hash64(v[c].u.s, v[c].len);
			ocol[no++] = jt->leak_base + (uint32_t)c;
			if (no == N) {
				dp_leak_add(sg->run->leak, NULL, 0, ofp, ocol, no);
				no = 0;
			}
		}
	}
	dp_leak_add(sg->run->leak, src, ns, ofp, ocol, no);
}

static int transform(const dp_stage *sg, dp_table_run *jt, const dp_batch *in, uint64_t first_row,
		     dp_batch *out, dp_value *scratch, dp_buf *keybuf, dp_errbuf *eb)
{
	const dp_plan_table *pt = jt->pt;
	const dp_table *t = pt->t;
	int rc = DP_OK;
	int64_t npii = 0, nsurv = 0;

	size_t k = (size_t)(jt - sg->run->tables);
	tp_item *tpi = NULL;
	size_t ntp = 0, captp = 0;
	char rkbuf[256];
	size_t rklen = 0;

	dp_batch_reset(out);
	for (size_t r = 0; r < dp_batch_nrows(in) && !rc; r++) {
		const dp_value *iv = dp_batch_row_c(in, r);
		dp_value *ov;
		uint64_t ord = first_row + r;
		/* subsetting: rows the closure did not select are not written; kept
		 * rows take their ordinal in the whole table */
		if (pt->filtered) {
			long sr = dp_subset_row_at(sg->run->subset, k, iv, ord, keybuf);
			if (sr < 0)
				continue;
			ord = (uint64_t)sr;
		}
		ov = dp_batch_add_row(out);
		if (!ov)
			return dp_fail(eb, DP_ERR_INTERNAL, "output batch overflow");
		rklen = 0;
		for (size_t c = 0; c < t->ncols && !rc; c++) {
			dp_plan_col *pc = &pt->cols[c];
			switch (pc->action) {
			case DP_COL_COPY:
				ov[c] = iv[c];   /* bytes stay in the input batch until written */
				break;
			case DP_COL_GEN:
				if (iv[c].kind == DP_V_TEXT && dp_gen_textpii(pc->gen)) {
					/* scanned below, in batches on threads */
					if (ntp == captp) {
						size_t nc = captp ? captp * 2 : 256;
						tp_item *ni = realloc(tpi, nc * sizeof(*ni));
						if (!ni) {
							rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
							break;
						}
						tpi = ni;
						captp = nc;
					}
					tpi[ntp++] = (tp_item){&iv[c], dp_batch_nrows(out) - 1, c, DP_BUF_INIT};
					dp_value_set_null(&ov[c]);
					break;
				}
				if (jt->rk_root && dp_gen_wants_row_key(pc->gen)) {
					if (!rklen)
						rklen = row_key(jt, iv, rkbuf, sizeof(rkbuf));
					rc = dp_gen_apply_row(pc->gen, &iv[c], ord, rkbuf, rklen, out, &ov[c], eb);
				} else {
					rc = dp_gen_apply(pc->gen, &iv[c], ord, out, &ov[c], eb);
				}
				if (!rc && pc->pii && iv[c].kind != DP_V_NULL) {
					npii++;
					if (dp_value_equal(&iv[c], &ov[c])) {
						nsurv++;
						atomic_fetch_add(&jt->col_survived[c], 1);
					}
				}
				break;
			case DP_COL_KEY:
				rc = dp_load_map_key(sg->plan, sg->run, (size_t)pc->key, t, c, &iv[c], &ov[c], eb);
				break;
			case DP_COL_OMIT:
			case DP_COL_SYNTH:   /* never: SYNTHESIZE tables are generated, not read */
				dp_value_set_null(&ov[c]);
				break;
			}
		}
		if (!rc && pt->filtered)
			dp_subset_null_unselected(sg->run->subset, k, iv, ov);
		if (!rc && pt->has_deferred) {
			int any = 0;
			for (size_t c = 0; c < t->ncols; c++) {
				scratch[c] = ov[c];
				if (pt->cols[c].deferred) {
					any |= ov[c].kind != DP_V_NULL;
					dp_value_set_null(&ov[c]);
				}
			}
			if (any) {
				if (t->npk == 0)
					return dp_fail(eb, DP_ERR_SCHEMA,
						       "table %s has no primary key: its cycle FK cannot be "
						       "loaded NULL and updated later; set "
						       "default_drop_indexes to true", t->name);
				rc = record_deferred(jt, ov, scratch, eb);
			}
		}
	}
	if (!rc && ntp)
		rc = dp_textpii_run(jt, out, tpi, ntp, eb);
	free(tpi);
	if (!rc && sg->run->leak && jt->leak_role)
		leak_collect(sg, jt, in, out);
	atomic_fetch_add(&jt->pii_checked, npii);
	atomic_fetch_add(&jt->pii_survived, nsurv);
	return rc;
}

static int run_table(const dp_stage *sg, dp_table_run *jt, size_t ci, dp_conn *src, int src_mu, dp_errbuf *eb)
{
	const dp_plan_table *pt = jt->pt;
	const dp_table *t = pt->t;
	const dp_settings *st = pt->st;
	size_t pending = st->max_pending_tasks > 0 ? (size_t)st->max_pending_tasks : 1;
	size_t nob = 0;
	const char **ob = NULL;
	dp_read_spec spec;
	reader_ctx rctx;
	dp_chan full, free_;
	dp_writer *w = NULL;
	dp_batch *out = NULL;
	dp_value *scratch = NULL;
	pthread_t th;
	int started = 0, rc = DP_OK, chans = 0;
	uint64_t row = jt->chunks ? jt->chunks[ci].first_row : 0;
	double t0 = dp_now_s();
	dp_buf where = DP_BUF_INIT, keybuf = DP_BUF_INIT;

	memset(&rctx, 0, sizeof(rctx));
	memset(&spec, 0, sizeof(spec));
	spec.table = t;
	spec.limit = -1;
	if (jt->chunks && jt->chunks[ci].where) {
		spec.where = jt->chunks[ci].where;
	} else if (jt->chunks) {
		const dp_chunk *ch = &jt->chunks[ci];
		const char *key = t->cols[t->pk[0]].name;
		int wrc = DP_OK;
		if (ch->has_lo) {
			wrc = sg->src_drv->quote_ident(src, key, &where);
			if (!wrc)
				wrc = dp_buf_printf(&where, " >= %" PRId64, ch->lo);
		}
		if (!wrc && ch->has_hi) {
			if (ch->has_lo)
				wrc = dp_buf_puts(&where, " AND ");
			if (!wrc)
				wrc = sg->src_drv->quote_ident(src, key, &where);
			if (!wrc)
				wrc = dp_buf_printf(&where, " < %" PRId64, ch->hi);
		}
		if (wrc)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		spec.where = where.len ? dp_buf_str(&where) : NULL;
	}
	/* default_order_by_nr_columns: the listed columns this table has */
	if (st->n_order_by_cols) {
		ob = calloc(st->n_order_by_cols, sizeof(*ob));
		if (!ob)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		for (size_t i = 0; i < st->n_order_by_cols; i++)
			if (dp_table_col_index(t, st->order_by_cols[i]) >= 0)
				ob[nob++] = st->order_by_cols[i];
		spec.order_by = ob;
		spec.n_order_by = nob;
	}
	if (dp_chan_init(&full, pending)) {
		free(ob);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (dp_chan_init(&free_, pending + 1)) {
		dp_chan_destroy(&full);
		free(ob);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	chans = 1;
	for (size_t i = 0; i < pending + 1; i++) {
		dp_batch *b = dp_batch_new(t->ncols, sg->run->batch_rows);
		if (!b || dp_chan_push(&free_, b)) {
			dp_batch_free(b);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for batches");
			goto out;
		}
	}
	out = dp_batch_new(t->ncols, sg->run->batch_rows);
	scratch = calloc(t->ncols + 1, sizeof(dp_value));
	if (!out || !scratch) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}

	dp_log_info("table %s: batches of %zu rows, up to %zu in flight, %s writes%s%s", t->name,
		    sg->run->batch_rows, pending + 1, st->fast_executemany ? "bulk" : "row-by-row",
		    nob ? ", ordered by " : "", nob ? ob[0] : "");
	if (src_mu)
		(void)dp_source_lock(sg->src);
	rc = sg->src_drv->read_open(src, &spec, &rctx.r, eb);
	if (src_mu)
		dp_source_unlock(sg->src);
	if (rc)
		goto out;
	(void)dp_target_lock(sg->tgt);
	rc = sg->tgt_drv->write_open(dp_target_session(sg->tgt), t, st->fast_executemany, &w, eb);
	dp_target_unlock(sg->tgt);
	if (rc)
		goto out;

	rctx.sg = sg;
	rctx.drv = sg->src_drv;
	rctx.conn = src;
	rctx.use_mu = src_mu;
	rctx.full = &full;
	rctx.free_ = &free_;
	rctx.jt = jt;
	if (dp_thread_create(&th, reader_main, &rctx) != 0) {
		rc = dp_fail(eb, DP_ERR_INTERNAL, "cannot start a reader thread");
		goto out;
	}
	started = 1;

	for (;;) {
		dp_batch *in;
		if (dp_chan_pop(&full, &in) != 0 || !in)
			break;
		if (atomic_load(&sg->run->cancel)) {
			dp_chan_push(&free_, in);
			rc = DP_ERR_CANCELLED;
			break;
		}
		rc = transform(sg, jt, in, row, out, scratch, &keybuf, eb);
		row += dp_batch_nrows(in);
		if (!rc && dp_batch_nrows(out)) {
			(void)dp_target_lock(sg->tgt);
			rc = sg->tgt_drv->write_batch(w, out, eb);
			/* record the failure before another worker can use the shared
			 * target session: its errors would only be consequences */
			if (rc)
				fail_table(sg, t, eb);
			dp_target_unlock(sg->tgt);
		}
		if (!rc) {
			atomic_fetch_add(&jt->rows_written, (int64_t)dp_batch_nrows(out));
			atomic_fetch_add(&jt->bytes_written, (int64_t)dp_batch_bytes(out));
		}
		dp_chan_push(&free_, in);
		if (rc)
			break;
	}
out:
	if (chans) {
		/* stop the reader (it may be blocked on a full channel) */
		dp_chan_close(&free_);
		dp_chan_close(&full);
	}
	if (started) {
		pthread_join(th, NULL);
		if (!rc && rctx.eb.code)
			rc = dp_fail(eb, rctx.eb.code, "%s", rctx.eb.msg);
	}
	if (rctx.r) {
		if (src_mu)
			(void)dp_source_lock(sg->src);
		sg->src_drv->read_close(rctx.r);
		if (src_mu)
			dp_source_unlock(sg->src);
	}
	if (w) {
		int wrc;
		(void)dp_target_lock(sg->tgt);
		wrc = sg->tgt_drv->write_close(w, rc == DP_OK, eb);
		/* as for batches: recorded before the session is shared again */
		if (wrc && !rc)
			fail_table(sg, t, eb);
		dp_target_unlock(sg->tgt);
		if (!rc)
			rc = wrc;
	}
	if (chans) {
		dp_batch *b;
		while (dp_chan_pop(&full, &b) == 0)
			dp_batch_free(b);
		while (dp_chan_pop(&free_, &b) == 0)
			dp_batch_free(b);
		dp_chan_destroy(&full);
		dp_chan_destroy(&free_);
	}
	dp_batch_free(out);
	free(scratch);
	free(ob);
	dp_buf_free(&where);
	dp_buf_free(&keybuf);
	pthread_mutex_lock(&sg->run->sched_mu);
	jt->seconds += dp_now_s() - t0;
	pthread_mutex_unlock(&sg->run->sched_mu);
	return rc;
}

/* ---- the worker pool ---- */

/* Is table k ready: pending, and (immediate FKs) all its parents done? */
static int ready(const dp_stage *sg, size_t k)
{
	const dp_graph *g = sg->plan->graph;
	size_t ti = sg->run->tables[k].pt->ti;

	int st = atomic_load(&sg->run->tables[k].state);

	if ((st != DP_TS_PENDING && st != DP_TS_RUNNING) ||
	    sg->run->tables[k].next_chunk >= sg->run->tables[k].nchunks ||
	    sg->run->tables[k].pt->mode == DP_MODE_SYNTHESIZE)
		return 0;
	if (!sg->plan->immediate_fk)
		return 1;
	for (size_t e = 0; e < g->nedges; e++) {
		const dp_edge *ed = &g->edges[e];
		if (ed->child != ti || ed->parent == ti || ed->broken)
			continue;
		for (size_t m = 0; m < sg->run->ntables; m++)
			if (sg->run->tables[m].pt->ti == ed->parent &&
			    atomic_load(&sg->run->tables[m].state) != DP_TS_DONE)
				return 0;
	}
	return 1;
}

typedef struct worker_ctx {
	const dp_stage *sg;
	int id;
} worker_ctx;

/* A table's load is complete: record it in the staging area. */
static int mark_done(const dp_stage *sg, dp_table_run *jt, dp_errbuf *eb)
{
	int rc = dp_target_mark(sg->tgt, jt->pt->t, atomic_load(&jt->rows_written), eb);

	if (!rc)
		dp_run_test_pause_after_mark(sg->run, atomic_fetch_add(&sg->run->nmarked, 1) + 1);
	return rc;
}

static void *worker_main(void *arg)
{
	worker_ctx *wc = arg;
	const dp_stage *sg = wc->sg;
	dp_conn *own = NULL;
	int shared = (sg->src_drv->caps & DP_CAP_SHARED_SNAPSHOT) != 0;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	if (shared) {
		/* own session in the leader's snapshot */
		if (dp_source_worker_open(sg->src, &own, &eb)) {
			job_failed(sg, &eb);
			return NULL;
		}
	}
	for (;;) {
		long pick = -1;
		int64_t best = -2;
		int pending = 0;
		size_t ci = 0;
		dp_table_run *jt;
		int rc, last;

		pthread_mutex_lock(&sg->run->sched_mu);
		for (;;) {
			pick = -1;
			best = -2;
			pending = 0;
			if (atomic_load(&sg->run->cancel))
				break;
			for (size_t k = 0; k < sg->run->ntables; k++) {
				int s = atomic_load(&sg->run->tables[k].state);
				/* SYNTHESIZE tables are generated after this load */
				if ((s == DP_TS_PENDING || s == DP_TS_RUNNING) &&
				    sg->run->tables[k].pt->mode != DP_MODE_SYNTHESIZE)
					pending = 1;
				/* biggest first (by what is left of it) */
				if (ready(sg, k)) {
					const dp_table_run *c = &sg->run->tables[k];
					int64_t left = c->pt->est_rows / (int64_t)c->nchunks *
						       (int64_t)(c->nchunks - c->next_chunk);
					if (left > best) {
						best = left;
						pick = (long)k;
					}
				}
			}
			if (pick >= 0 || !pending)
				break;
			pthread_cond_wait(&sg->run->sched_cv, &sg->run->sched_mu);
		}
		if (pick >= 0) {
			atomic_store(&sg->run->tables[pick].state, DP_TS_RUNNING);
			ci = sg->run->tables[pick].next_chunk++;
		}
		pthread_mutex_unlock(&sg->run->sched_mu);
		if (pick < 0)
			break;
		jt = &sg->run->tables[pick];
		if (jt->nchunks > 1)
			dp_log_info("worker %d: table %s (%s), chunk %zu/%zu", wc->id, jt->pt->t->name,
				    dp_mode_name(jt->pt->mode), ci + 1, jt->nchunks);
		else
			dp_log_info("worker %d: table %s (%s)", wc->id, jt->pt->t->name,
				    dp_mode_name(jt->pt->mode));
		rc = run_table(sg, jt, ci, shared ? own : dp_source_leader(sg->src), !shared, &eb);
		pthread_mutex_lock(&sg->run->sched_mu);
		last = !rc && ++jt->chunks_done == jt->nchunks && atomic_load(&jt->state) == DP_TS_RUNNING;
		pthread_mutex_unlock(&sg->run->sched_mu);
		/* the table's last chunk: its rows are all written; recorded in the
		 * staging area (a killed job's marked tables are what --resume
		 * keeps) before the table counts as done */
		if (last && sg->run->marks)
			rc = mark_done(sg, jt, &eb);
		pthread_mutex_lock(&sg->run->sched_mu);
		if (rc)
			atomic_store(&jt->state, rc == DP_ERR_CANCELLED ? DP_TS_CANCELLED : DP_TS_FAILED);
		else if (last) {
			atomic_store(&jt->state, DP_TS_DONE);
			if (atomic_load(&jt->textpii_values))
				dp_log_info("table %s: free text: %" PRId64 " PII spans replaced in %" PRId64
					    " values (batches of %d values, up to %d threads)",
					    jt->pt->t->name, atomic_load(&jt->textpii_found),
					    atomic_load(&jt->textpii_values), jt->pt->st->textpii_scan_batch_size,
					    atomic_load(&jt->textpii_threads));
		}
		pthread_cond_broadcast(&sg->run->sched_cv);
		pthread_mutex_unlock(&sg->run->sched_mu);
		if (rc && rc != DP_ERR_CANCELLED) {
			if (!eb.code)
				dp_fail(&eb, rc, "failed");
			fail_table(sg, jt->pt->t, &eb);   /* first error wins */
			dp_errbuf_clear(&eb);
		}
	}
	if (own)
		dp_source_worker_close(sg->src, own);
	return NULL;
}

int dp_load_tables(const dp_plan *p, dp_source *src, dp_target *tgt, dp_run *run, dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(p, src, tgt, NULL, run);
	const dp_stage *sg = &stage;
	int n = sg->cfg->settings.n_parallel_pipeline_processes;
	pthread_t *th;
	worker_ctx *wc;
	int started = 0;

	size_t units = 0;

	for (size_t k = 0; k < sg->run->ntables; k++)
		units += sg->run->tables[k].nchunks ? sg->run->tables[k].nchunks : 1;
	if (n < 1)
		n = 1;
	if ((size_t)n > units)
		n = units ? (int)units : 1;
	th = calloc((size_t)n, sizeof(*th));
	wc = calloc((size_t)n, sizeof(*wc));
	if (!th || !wc) {
		free(th);
		free(wc);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < sg->run->ntables; k++) {
		if (!sg->run->tables[k].nchunks)
			sg->run->tables[k].nchunks = 1;
		find_row_root(sg->schema, &sg->run->tables[k]);
		if (sg->run->tables[k].pt->mode == DP_MODE_EXCLUDE || sg->run->tables[k].resumed) {
			atomic_store(&sg->run->tables[k].state, DP_TS_DONE);
			sg->run->tables[k].next_chunk = sg->run->tables[k].chunks_done = sg->run->tables[k].nchunks;
		}
	}
	for (int i = 0; i < n; i++) {
		wc[i].sg = sg;
		wc[i].id = i + 1;
		if (dp_thread_create(&th[i], worker_main, &wc[i]) != 0)
			break;
		started++;
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	free(wc);
	if (started == 0)
		return dp_fail(eb, DP_ERR_INTERNAL, "cannot start worker threads");
	if (sg->run->err.code) {
		dp_errbuf_merge(eb, &sg->run->err);
		return sg->run->err.code;
	}
	if (atomic_load(&sg->run->cancel))
		return dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
	return DP_OK;
}

int dp_load_deferred(const dp_plan *p, dp_target *tgt, dp_run *run, dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(p, NULL, tgt, NULL, run);
	const dp_stage *sg = &stage;
	for (size_t k = 0; k < sg->run->ntables; k++) {
		dp_table_run *jt = &sg->run->tables[k];
		const dp_table *t = jt->pt->t;
		const char *set[64], *key[64];
		size_t nset = 0;

		if (!jt->ndeferred)
			continue;
		for (size_t c = 0; c < t->ncols && nset < 64; c++)
			if (jt->pt->cols[c].deferred)
				set[nset++] = t->cols[c].name;
		for (size_t c = 0; c < t->npk && c < 64; c++)
			key[c] = t->cols[t->pk[c]].name;
		for (size_t b = 0; b < jt->ndeferred; b++) {
			int rc = sg->tgt_drv->update_rows(dp_target_session(sg->tgt), t, set, nset, key, t->npk,
							 jt->deferred[b], eb);
			if (rc)
				return rc;
		}
		dp_log_info("table %s: cycle foreign keys set after the load", t->name);
	}
	return DP_OK;
}
