/* engine/run/run.c - a job's run-time state (see run.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "run.h"
#include "../../base/dp_log.h"

const char *dp_tstate_name(dp_tstate s)
{
	switch (s) {
	case DP_TS_PENDING: return "pending";
	case DP_TS_RUNNING: return "running";
	case DP_TS_DONE: return "done";
	case DP_TS_FAILED: return "failed";
	case DP_TS_CANCELLED: return "cancelled";
	}
	return "?";
}

dp_stage dp_stage_of(const dp_plan *plan, struct dp_source *src, struct dp_target *tgt,
		     const dp_connector *target_drv, dp_run *run)
{
	dp_stage s;

	memset(&s, 0, sizeof(s));
	s.plan = plan;
	s.cfg = plan->cfg;
	s.schema = plan->schema;
	s.src = src;
	s.tgt = tgt;
	s.src_drv = src ? dp_source_driver(src) : NULL;
	s.tgt_drv = tgt ? dp_target_driver(tgt) : target_drv;
	s.run = run;
	return s;
}

void dp_run_init(dp_run *r, size_t batch_rows)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->sched_mu, NULL);
	pthread_cond_init(&r->sched_cv, NULL);
	atomic_init(&r->cancel, 0);
	atomic_init(&r->nmarked, 0);
	r->batch_rows = batch_rows;
}

int dp_run_plan(dp_run *r, const dp_plan *p, dp_errbuf *eb)
{
	r->tables = calloc(p->ntables ? p->ntables : 1, sizeof(*r->tables));
	r->keys = calloc(p->nkeys ? p->nkeys : 1, sizeof(*r->keys));
	if (!r->tables || !r->keys)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	r->ntables = p->ntables;
	r->nkeys = p->nkeys;
	for (size_t k = 0; k < r->ntables; k++) {
		dp_table_run *tr = &r->tables[k];
		tr->pt = &p->tables[k];
		tr->est_rows = tr->pt->est_rows;
		atomic_init(&tr->state, DP_TS_PENDING);
		tr->col_survived = calloc(tr->pt->t->ncols ? tr->pt->t->ncols : 1,
					  sizeof(*tr->col_survived));
		if (!tr->col_survived)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

void dp_run_free(dp_run *r)
{
	for (size_t k = 0; r->tables && k < r->ntables; k++) {
		dp_table_run *tr = &r->tables[k];
		for (size_t b = 0; b < tr->ndeferred; b++)
			dp_batch_free(tr->deferred[b]);
		free(tr->deferred);
		for (size_t c = 0; tr->chunks && c < tr->nchunks; c++)
			free(tr->chunks[c].where);
		free(tr->chunks);
		free((void *)tr->col_survived);
		free(tr->leak_role);
	}
	free(r->tables);
	for (size_t k = 0; r->keys && k < r->nkeys; k++) {
		dp_keymap_free(r->keys[k].map);
		free(r->keys[k].shuffle);
	}
	free(r->keys);
	pthread_mutex_destroy(&r->sched_mu);
	pthread_cond_destroy(&r->sched_cv);
}

void dp_run_fail(dp_run *r, const dp_errbuf *eb)
{
	pthread_mutex_lock(&r->sched_mu);
	dp_errbuf_merge(&r->err, eb);
	atomic_store(&r->cancel, 1);
	pthread_cond_broadcast(&r->sched_cv);
	pthread_mutex_unlock(&r->sched_mu);
}

void dp_run_stop(dp_run *r)
{
	atomic_store(&r->cancel, 1);
	pthread_mutex_lock(&r->sched_mu);
	pthread_cond_broadcast(&r->sched_cv);
	pthread_mutex_unlock(&r->sched_mu);
}

void dp_run_test_pause_after_mark(dp_run *r, int n)
{
	const char *e = getenv("DOPPEL_TEST_PAUSE_AFTER_MARK");
	if (!e || atoi(e) != n)
		return;
	dp_log_info("test hook: pausing after %d marked tables", n);
	for (int i = 0; i < 300 && !atomic_load(&r->cancel); i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}
