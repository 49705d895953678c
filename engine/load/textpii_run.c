/* engine/load/textpii_run.c - the free-text PII scan of a batch's values:
 * default_textpii_scan_batch_size values per unit of work, on
 * default_textpii_parallel_jobs threads (the pipeline collects the values,
 * this runs the scanner on them and writes the results back). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "../../base/dp_log.h"
#include "load_int.h"
#include "../gen/textpii.h"


typedef struct tp_work {
	const dp_plan_table *pt;
	tp_item *items;
	size_t nitems, per;
	_Atomic size_t next;
	atomic_int failed;
	_Atomic int64_t found;
	dp_errbuf eb;
	pthread_mutex_t mu;
} tp_work;

static void *tp_main(void *arg)
{
	tp_work *w = arg;
	dp_batch *sc = dp_batch_new(1, 256);
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	if (!sc) {
		atomic_store(&w->failed, 1);
		return NULL;
	}
	for (;;) {
		size_t from = atomic_fetch_add(&w->next, w->per);
		if (from >= w->nitems || atomic_load(&w->failed))
			break;
		for (size_t i = from; i < from + w->per && i < w->nitems; i++) {
			tp_item *it = &w->items[i];
			size_t found = 0;
			const dp_textpii *tp = dp_gen_textpii(w->pt->cols[it->col].gen);
			if (dp_textpii_apply(tp, it->in->u.s, it->in->len, sc, &it->res, &found, &eb)) {
				pthread_mutex_lock(&w->mu);
				dp_errbuf_merge(&w->eb, &eb);
				pthread_mutex_unlock(&w->mu);
				atomic_store(&w->failed, 1);
				break;
			}
			atomic_fetch_add(&w->found, (int64_t)found);
		}
	}
	dp_batch_free(sc);
	return NULL;
}

/* Scan the collected free-text values: default_textpii_scan_batch_size
 * values per unit of work, default_textpii_parallel_jobs threads. */
int dp_textpii_run(dp_table_run *jt, dp_batch *out, tp_item *items, size_t n, dp_errbuf *eb)
{
	const dp_settings *st = jt->pt->st;
	tp_work w;
	pthread_t th[64];
	int nt = st->textpii_parallel_jobs, started = 0, rc = DP_OK;

	memset(&w, 0, sizeof(w));
	w.pt = jt->pt;
	w.items = items;
	w.nitems = n;
	w.per = st->textpii_scan_batch_size > 0 ? (size_t)st->textpii_scan_batch_size : 1000;
	atomic_init(&w.next, 0);
	atomic_init(&w.failed, 0);
	atomic_init(&w.found, 0);
	pthread_mutex_init(&w.mu, NULL);
	if (nt > 64)
		nt = 64;
	if ((size_t)nt > (n + w.per - 1) / w.per)
		nt = (int)((n + w.per - 1) / w.per);
	for (int i = 1; i < nt; i++)
		if (dp_thread_create(&th[i], tp_main, &w) == 0)
			started = i;
		else
			break;
	tp_main(&w);
	for (int i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.mu);
	if (atomic_load(&w.failed))
		rc = w.eb.code ? dp_fail(eb, w.eb.code, "%s", w.eb.msg) : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		tp_item *it = &items[i];
		if (!rc && dp_batch_set_text(out, &dp_batch_row(out, it->row)[it->col],
					     it->res.data ? it->res.data : "", it->res.len))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		dp_buf_free(&it->res);
	}
	atomic_fetch_add(&jt->textpii_found, atomic_load(&w.found));
	atomic_fetch_add(&jt->textpii_values, (int64_t)n);
	if (nt > atomic_load(&jt->textpii_threads))
		atomic_store(&jt->textpii_threads, nt);
	return rc;
}
