/* engine/synth/synth_sample.c - training samples of SYNTHESIZE tables (the
 * first rows in key order or a reservoir sample, a holdout beside them;
 * children read in (FK, key) order for the parents' samples) and the
 * training of each table's model. */
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
#include "../../base/dp_keymap.h"

/* ---- raw rows ---- */

static dp_value *row_copy(const dp_value *v, size_t n)
{
	size_t bytes = 0;
	dp_value *r;
	char *p;

	for (size_t i = 0; i < n; i++)
		if (v[i].kind == DP_V_TEXT || v[i].kind == DP_V_BLOB)
			bytes += v[i].len + 1;
	r = malloc(n * sizeof(dp_value) + bytes + 1);
	if (!r)
		return NULL;
	p = (char *)(r + n);
	for (size_t i = 0; i < n; i++) {
		r[i] = v[i];
		if (v[i].kind == DP_V_TEXT || v[i].kind == DP_V_BLOB) {
			memcpy(p, v[i].u.s, v[i].len);
			p[v[i].len] = 0;
			r[i].u.s = p;
			p += v[i].len + 1;
		}
	}
	return r;
}

void syn_free_rows(syn_tab *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i]);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
	free(s->src_key);
	s->src_key = NULL;
}

/* ---- training samples ---- */

static int push_row(dp_value ***rows, size_t *n, size_t *cap, const dp_value *v, size_t ncols)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		dp_value **nr = realloc(*rows, nc * sizeof(*nr));
		if (!nr)
			return DP_ERR_NOMEM;
		*rows = nr;
		*cap = nc;
	}
	if (!((*rows)[*n] = row_copy(v, ncols)))
		return DP_ERR_NOMEM;
	(*n)++;
	return DP_OK;
}

/* Holdout size for r rows read: a tenth, at most 5000, none below 200. */
static size_t holdout_of(size_t r)
{
	size_t h = r >= 200 ? r / 10 : 0;
	return h > 5000 ? 5000 : h;
}

/* Root table: the first N+H rows in key order, or a uniform random sample
 * of that many (reservoir sampling: one pass, memory bounded by N+H). */
static int read_root(synth *sy, syn_tab *s, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	const dp_settings *st = s->st;
	size_t want = (size_t)st->n_training_rows, cap = 0, seen = 0;
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(s->t->ncols, 2048);
	dp_rng rng;
	int eof = 0, rc = DP_OK;

	/* N training rows plus a holdout of about a tenth beside them */
	want += want / 9 < 5000 ? want / 9 : 5000;
	if (want < 1)
		want = 1;
	if (!b)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	dp_rng_seed_u64(&rng, s->tseed ^ 0x5a3e1e);
	memset(&spec, 0, sizeof(spec));
	spec.table = s->t;
	spec.limit = st->read_random_subset ? -1 : (int64_t)want;
	(void)dp_source_lock(sg->src);
	rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
	while (!rc && !eof && !atomic_load(&sg->run->cancel)) {
		dp_batch_reset(b);
		rc = sg->src_drv->read_next(r, b, &eof, eb);
		for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++, seen++) {
			const dp_value *v = dp_batch_row_c(b, i);
			if (s->nrows < want) {
				if (push_row(&s->rows, &s->nrows, &cap, v, s->t->ncols))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the training sample of %s", s->t->name);
			} else {
				uint64_t x = dp_rng_below(&rng, seen + 1);
				if (x < want) {
					dp_value *nr = row_copy(v, s->t->ncols);
					if (!nr) {
						rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
						break;
					}
					free(s->rows[x]);
					s->rows[x] = nr;
				}
			}
		}
	}
	if (r)
		sg->src_drv->read_close(r);
	dp_source_unlock(sg->src);
	dp_batch_free(b);
	if (rc)
		return rc;
	atomic_store(&s->jt->rows_read, (int64_t)seen);
	/* holdout: a seeded random choice, moved to the end */
	s->nhold = s->nrows > (size_t)st->n_training_rows ? s->nrows - (size_t)st->n_training_rows
							  : holdout_of(s->nrows);
	for (size_t i = s->nrows; i > 1; i--) {
		size_t q = (size_t)dp_rng_below(&rng, i);
		dp_value *tmp = s->rows[i - 1];
		s->rows[i - 1] = s->rows[q];
		s->rows[q] = tmp;
	}
	return DP_OK;
}

/* Child table: the children of the parent's sample rows, read in
 * (FK, key) order so that siblings come together; children of holdout
 * parents are the holdout. */
static int read_child(synth *sy, syn_tab *s, uint32_t **par_row, uint8_t **complete,
		      dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	syn_tab *p = s->parent;
	size_t ptrain = p->nrows - p->nhold, want = (size_t)s->st->n_training_rows;
	const char *ob[17];
	size_t nob = 0, ntr = 0, ctr = 0, nho = 0, cho = 0, seen = 0;
	dp_value **tr = NULL, **ho = NULL;
	uint32_t *ptr_ = NULL, *pho = NULL;
	size_t cptr = 0, cpho = 0;
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(s->t->ncols, 2048);
	dp_keymap *km = NULL;          /* parent key -> row of the parent sample */
	int eof = 0, rc = DP_OK, stopped = 0;
	int64_t stop_key = 0, cur_key = INT64_MIN;

	*par_row = NULL;
	*complete = NULL;
	km = dp_keymap_new(p->nrows + 1);
	if (!b || !km) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* parent keys are unique (its primary key): a repeat cannot occur */
	for (size_t q = 0; q < p->nrows; q++)
		if (dp_keymap_put(km, p->src_key[q], (int64_t)q) == DP_ERR_NOMEM) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
	ob[nob++] = s->t->cols[s->pt->seq_col].name;
	for (size_t q = 0; q < s->t->npk && nob < 17; q++)
		if (s->t->pk[q] != s->pt->seq_col)
			ob[nob++] = s->t->cols[s->t->pk[q]].name;
	memset(&spec, 0, sizeof(spec));
	spec.table = s->t;
	spec.limit = -1;
	spec.order_by = ob;
	spec.n_order_by = nob;
	(void)dp_source_lock(sg->src);
	rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
	while (!rc && !eof && !stopped && !atomic_load(&sg->run->cancel)) {
		dp_batch_reset(b);
		rc = sg->src_drv->read_next(r, b, &eof, eb);
		for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++, seen++) {
			const dp_value *v = dp_batch_row_c(b, i);
			int64_t fk;
			uint32_t pr;
			if (!dp_value_to_i64(&v[s->pt->seq_col], &fk))
				continue;
			if (fk != cur_key && ntr >= want) {
				/* enough: the parents from here on are incomplete */
				stopped = 1;
				stop_key = fk;
				break;
			}
			cur_key = fk;
			int64_t row;
			if (!dp_keymap_get(km, fk, &row))
				continue;
			pr = (uint32_t)row;
			if (pr < ptrain) {
				if (push_row(&tr, &ntr, &ctr, v, s->t->ncols) ||
				    (ntr > cptr && !(ptr_ = realloc(ptr_, (cptr = ctr) * sizeof(uint32_t)))))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				else
					ptr_[ntr - 1] = pr;
			} else {
				if (push_row(&ho, &nho, &cho, v, s->t->ncols) ||
				    (nho > cpho && !(pho = realloc(pho, (cpho = cho) * sizeof(uint32_t)))))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				else
					pho[nho - 1] = pr;
			}
		}
	}
	if (r)
		sg->src_drv->read_close(r);
	dp_source_unlock(sg->src);
	if (rc)
		goto out;
	atomic_store(&s->jt->rows_read, (int64_t)seen);
	s->nrows = ntr + nho;
	s->nhold = nho;
	s->rows = malloc((s->nrows + 1) * sizeof(dp_value *));
	*par_row = malloc((s->nrows + 1) * sizeof(uint32_t));
	*complete = malloc(p->nrows + 1);
	if (!s->rows || !*par_row || !*complete) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (ntr)
		memcpy(s->rows, tr, ntr * sizeof(dp_value *));
	if (nho)
		memcpy(s->rows + ntr, ho, nho * sizeof(dp_value *));
	if (ntr)
		memcpy(*par_row, ptr_, ntr * sizeof(uint32_t));
	if (nho)
		memcpy(*par_row + ntr, pho, nho * sizeof(uint32_t));
	ntr = nho = 0;
	for (size_t q = 0; q < p->nrows; q++)
		(*complete)[q] = !stopped || p->src_key[q] < stop_key;
out:
	for (size_t i = 0; i < ntr; i++)
		free(tr[i]);
	for (size_t i = 0; i < nho; i++)
		free(ho[i]);
	free(tr);
	free(ho);
	free(ptr_);
	free(pho);
	dp_keymap_free(km);
	dp_batch_free(b);
	return rc;
}

int syn_train_table(synth *sy, syn_tab *s, dp_errbuf *eb)
{
	const dp_stage *sg = sy->sg;
	const dp_table *t = s->t;
	dp_ckind *kinds = calloc(t->ncols + 1, sizeof(dp_ckind));
	uint8_t *exempt = calloc(t->ncols + 1, 1), *complete = NULL;
	uint32_t *par_row = NULL;
	dp_train_in in;
	double t0 = dp_now_s();
	int rc;

	if (!kinds || !exempt) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = s->parent ? read_child(sy, s, &par_row, &complete, eb) : read_root(sy, s, eb);
	if (rc)
		goto out;
	if (s->nkids) {
		/* children find their parent row by its source key */
		size_t kc = t->pk[0];
		s->src_key = malloc((s->nrows + 1) * sizeof(int64_t));
		if (!s->src_key) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t r = 0; r < s->nrows; r++)
			if (!dp_value_to_i64(&s->rows[r][kc], &s->src_key[r]))
				s->src_key[r] = INT64_MIN;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const dp_plan_col *pc = &s->pt->cols[c];
		size_t pos;
		if (s->copied) {
			/* features: the columns the target holds as in the source */
			int fk = 0;
			for (size_t f = 0; f < t->nfks; f++)
				for (pos = 0; pos < t->fks[f].ncols; pos++)
					fk |= !strcmp(t->fks[f].cols[pos], t->cols[c].name);
			kinds[c] = pc->action == DP_COL_COPY && !t->cols[c].pk_pos && !fk ? DP_CK_AUTO
											   : DP_CK_EXTERNAL;
			continue;
		}
		if (pc->action == DP_COL_SYNTH) {
			switch (pc->srole) {
			case DP_SR_MODEL:
				kinds[c] = pc->kind ? dp_ckind_parse(pc->kind) : DP_CK_AUTO;
				break;
			case DP_SR_FK_VALUE:
				kinds[c] = DP_CK_CATEGORICAL;
				exempt[c] = 1;
				break;
			case DP_SR_REF_FK:
			case DP_SR_SELF_FK:
				kinds[c] = DP_CK_REF;
				break;
			default:
				kinds[c] = DP_CK_EXTERNAL;
			}
		} else if (pc->action == DP_COL_GEN) {
			kinds[c] = DP_CK_REF;      /* generated, NULL share kept */
		} else {
			kinds[c] = DP_CK_EXTERNAL;
		}
	}
	memset(&in, 0, sizeof(in));
	in.t = t;
	in.st = s->st;
	in.kinds = kinds;
	in.exempt = exempt;
	in.rows = (const dp_value *const *)s->rows;
	in.nrows = s->nrows;
	in.nhold = s->nhold;
	in.parent = s->parent ? s->parent->m : NULL;
	in.par_row = par_row;
	in.par_complete = complete;
	in.seed = s->tseed;
	in.n_threads = sg->cfg->settings.n_parallel_pipeline_processes;
	rc = dp_tmodel_train(&in, &s->m, eb);
	if (rc)
		goto out;
	s->fallback = (int64_t)s->m->ntrain < s->st->min_sample_size;
	s->train_s = dp_now_s() - t0;
	if (s->fallback)
		dp_log_warn("table %s: %zu training rows, fewer than default_min_sample_size %" PRId64
			    ": not modelled, its columns get mock values (keys and references "
			    "still resolve)", t->name, s->m->ntrain, s->st->min_sample_size);
	else
		dp_log_info("table %s: model trained in %.2f s: %s", t->name, s->train_s, s->m->log);
out:
	free(kinds);
	free(exempt);
	free(par_row);
	free(complete);
	return rc;
}
