/* engine/load/chunks.c - splitting tables into units of work for the workers:
 * key-range chunks at fixed row ordinals for big tables, and lists of kept
 * keys for subset tables that keep few of their rows. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "load_int.h"
#include "../subset/subset.h"
#include "../../base/dp_log.h"

/* Subset pushdown: a filtered table keeping few of its rows is read by
 * lists of its kept keys ("k IN (...)", 1000 per chunk) instead of a full
 * scan filtered here. */
#define KEYS_PER_CHUNK 1000

typedef struct klist {
	const dp_stage *sg;
	dp_table_run *jt;
	dp_buf in;
	size_t n, cap;
	int integer;
	dp_errbuf *eb;
} klist;

static int klist_flush(klist *kl)
{
	dp_chunk *nc;
	if (!kl->n)
		return DP_OK;
	if (dp_buf_puts(&kl->in, ")"))
		return DP_ERR_NOMEM;
	if (kl->jt->nchunks == kl->cap) {
		kl->cap = kl->cap ? kl->cap * 2 : 16;
		nc = realloc(kl->jt->chunks, kl->cap * sizeof(*nc));
		if (!nc)
			return DP_ERR_NOMEM;
		kl->jt->chunks = nc;
	}
	memset(&kl->jt->chunks[kl->jt->nchunks], 0, sizeof(dp_chunk));
	kl->jt->chunks[kl->jt->nchunks++].where = dp_buf_steal(&kl->in);
	kl->n = 0;
	return DP_OK;
}

static int klist_add(const char *val, size_t len, void *arg)
{
	klist *kl = arg;
	const dp_table *t = kl->jt->pt->t;
	int rc = DP_OK;

	if (!kl->n) {
		rc = kl->sg->src_drv->quote_ident(dp_source_leader(kl->sg->src), t->cols[t->pk[0]].name, &kl->in);
		if (!rc)
			rc = dp_buf_puts(&kl->in, " IN (");
	} else {
		rc = dp_buf_puts(&kl->in, ", ");
	}
	if (!rc)
		rc = kl->integer ? dp_buf_append(&kl->in, val, len)
				 : kl->sg->src_drv->quote_literal(dp_source_leader(kl->sg->src), val, len, &kl->in);
	if (!rc && ++kl->n == KEYS_PER_CHUNK)
		rc = klist_flush(kl);
	return rc;
}

static int key_list_chunks(const dp_stage *sg, dp_table_run *jt, size_t k, dp_errbuf *eb)
{
	const dp_table *t = jt->pt->t;
	int64_t kept = dp_subset_count(sg->run->subset, k);
	klist kl;
	int rc;

	/* worth it when at most half the rows are kept, and the key is simple */
	if (!sg->run->subset || t->npk != 1 || kept < 0 || kept * 2 > t->row_estimate ||
	    (t->cols[t->pk[0]].tclass != DP_T_INTEGER && t->cols[t->pk[0]].tclass != DP_T_TEXT))
		return DP_OK;
	memset(&kl, 0, sizeof(kl));
	kl.sg = sg;
	kl.jt = jt;
	kl.eb = eb;
	kl.integer = t->cols[t->pk[0]].tclass == DP_T_INTEGER;
	jt->nchunks = 0;
	rc = dp_subset_each_key(sg->run->subset, k, klist_add, &kl);
	if (!rc)
		rc = klist_flush(&kl);
	dp_buf_free(&kl.in);
	if (rc)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory listing the kept keys of %s", t->name);
	if (!jt->nchunks) {
		/* nothing kept: one chunk that reads nothing */
		free(jt->chunks);
		jt->chunks = calloc(1, sizeof(dp_chunk));
		if (!jt->chunks || !(jt->chunks[0].where = dp_strdup("1 = 0")))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		jt->nchunks = 1;
	}
	dp_log_info("table %s: %" PRId64 " kept rows read by key lists in %zu chunks", t->name,
		    kept, jt->nchunks);
	return DP_OK;
}

/* Tables at least this big are split when several workers run. */
#define CHUNK_MIN_ROWS 100000

int dp_load_chunks(const dp_plan *p, dp_source *src, unsigned target_caps, dp_run *run,
		   dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(p, src, NULL, NULL, run);
	const dp_stage *sg = &stage;
	int workers = sg->cfg->settings.n_parallel_pipeline_processes;
	int rc = DP_OK;

	for (size_t k = 0; k < sg->run->ntables && !rc; k++) {
		dp_table_run *jt = &sg->run->tables[k];
		const dp_table *t = jt->pt->t;
		const dp_settings *st = jt->pt->st;
		dp_table view;
		size_t zero = 0, cap = 16, n = 0;
		int64_t per;
		uint64_t ord = 0;
		dp_read_spec spec;
		dp_reader *r = NULL;
		dp_batch *b;
		int eof = 0, ordered = 0;

		int work = 0;

		jt->nchunks = 1;
		/* filtered tables whose kept keys are known read them by key lists;
		 * those decided row by row are read whole, like any other table */
		if (jt->pt->filtered && !dp_subset_streamed(sg->run->subset, (size_t)(jt - sg->run->tables))) {
			rc = key_list_chunks(sg, jt, (size_t)(jt - sg->run->tables), eb);
			continue;
		}
		/* with one target session, chunks only pay where rows need CPU work */
		for (size_t c = 0; c < t->ncols && !work; c++)
			work = jt->pt->cols[c].action == DP_COL_GEN || jt->pt->cols[c].action == DP_COL_KEY;
		if (!work)
			continue;
		for (size_t i = 0; i < st->n_order_by_cols; i++)
			ordered |= dp_table_col_index(t, st->order_by_cols[i]) >= 0;
		/* key ranges need one integer key; deferred cycle FKs and explicit
		 * read orders keep a table in one piece */
		if (workers < 2 || jt->pt->mode == DP_MODE_EXCLUDE || jt->pt->mode == DP_MODE_SYNTHESIZE || t->npk != 1 ||
		    t->cols[t->pk[0]].tclass != DP_T_INTEGER || jt->pt->has_deferred || ordered ||
		    jt->pt->est_rows < CHUNK_MIN_ROWS)
			continue;
		per = jt->pt->est_rows / (workers * 4);
		if (per < CHUNK_MIN_ROWS / 4)
			per = CHUNK_MIN_ROWS / 4;
		view = *t;
		view.ncols = 1;
		view.cols = &t->cols[t->pk[0]];
		view.npk = 1;
		view.pk = &zero;
		memset(&spec, 0, sizeof(spec));
		spec.table = &view;
		spec.limit = -1;
		jt->chunks = calloc(cap, sizeof(*jt->chunks));
		b = dp_batch_new(1, 8192);
		if (!jt->chunks || !b) {
			dp_batch_free(b);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		n = 1;     /* chunk 0 starts at the beginning */
		(void)dp_source_lock(sg->src);
		rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
		while (!rc && !eof) {
			dp_batch_reset(b);
			rc = sg->src_drv->read_next(r, b, &eof, eb);
			for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++, ord++) {
				int64_t x;
				if (ord == 0 || ord % (uint64_t)per)
					continue;
				if (!dp_value_to_i64(dp_batch_row_c(b, i), &x)) {
					rc = dp_fail(eb, DP_ERR_TYPE, "%s.%s: key value is not an integer",
						     t->name, t->cols[t->pk[0]].name);
					break;
				}
				if (n == cap) {
					dp_chunk *nc = realloc(jt->chunks, 2 * cap * sizeof(*nc));
					if (!nc) {
						rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
						break;
					}
					jt->chunks = nc;
					cap *= 2;
				}
				memset(&jt->chunks[n], 0, sizeof(jt->chunks[n]));
				jt->chunks[n].has_lo = 1;
				jt->chunks[n].lo = x;
				jt->chunks[n].first_row = ord;
				jt->chunks[n - 1].has_hi = 1;
				jt->chunks[n - 1].hi = x;
				n++;
			}
		}
		if (r)
			sg->src_drv->read_close(r);
		dp_source_unlock(sg->src);
		dp_batch_free(b);
		if (rc)
			break;
		if (n < 2) {
			free(jt->chunks);
			jt->chunks = NULL;
			continue;
		}
		jt->nchunks = n;
		dp_log_info("table %s: %zu chunks of ~%" PRId64 " rows by %s", t->name, n, per,
			    t->cols[t->pk[0]].name);
	}
	return rc;
}
