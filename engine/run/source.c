/* engine/run/source.c - the job's source and target handles and its session
 * set (see source.h). */
#include <pthread.h>
#include <stdlib.h>
#include "source.h"
#include "../../connectors/session.h"

/* A job holds a leader, a target session and at most one session per
 * worker (n_parallel_pipeline_processes <= 64); more than this is a bug. */
#define DP_SESSIONS_MAX 72

struct dp_sessions {
	pthread_mutex_t mu;
	const atomic_int *cancel;
	struct { const dp_connector *drv; dp_conn *c; } live[DP_SESSIONS_MAX];
	size_t n;
};

dp_sessions *dp_sessions_new(const atomic_int *cancel)
{
	dp_sessions *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	pthread_mutex_init(&s->mu, NULL);
	s->cancel = cancel;
	return s;
}

void dp_sessions_free(dp_sessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int dp_sessions_open(dp_sessions *s, const dp_connector *drv, const dp_conn_cfg *cfg,
		     dp_role role, dp_conn **out, dp_errbuf *eb)
{
	const dp_connector *d;
	int rc = dp_session_open(cfg, role, role == DP_ROLE_SOURCE ? "source" : "target", &d, out, eb);

	if (rc)
		return rc;
	if (drv && d != drv) {      /* the job chose its drivers from the same cfg */
		dp_session_close(d, *out);
		*out = NULL;
		return dp_fail(eb, DP_ERR_INTERNAL, "session driver changed");
	}
	pthread_mutex_lock(&s->mu);
	if (s->n < DP_SESSIONS_MAX) {
		s->live[s->n].drv = d;
		s->live[s->n].c = *out;
		s->n++;
	}
	pthread_mutex_unlock(&s->mu);
	/* a cancel that came while this session was connecting */
	if (s->cancel && atomic_load(s->cancel)) {
		dp_sessions_close(s, d, *out);
		*out = NULL;
		return dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
	}
	return DP_OK;
}

void dp_sessions_close(dp_sessions *s, const dp_connector *drv, dp_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n; i++)
		if (s->live[i].c == c) {
			s->live[i] = s->live[--s->n];
			break;
		}
	pthread_mutex_unlock(&s->mu);
	dp_session_close(drv, c);
}

void dp_sessions_cancel(dp_sessions *s)
{
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->n; i++)
		s->live[i].drv->cancel(s->live[i].c);
	pthread_mutex_unlock(&s->mu);
}

/* ---- source ---- */

struct dp_source {
	const dp_connector *drv;
	const dp_conn_cfg *cfg;     /* borrowed */
	dp_sessions *set;           /* borrowed */
	dp_conn *leader;
	char *snapshot;             /* exported token, or NULL */
	pthread_mutex_t mu;
};

int dp_source_open(const dp_conn_cfg *cfg, dp_sessions *set, dp_source **out, dp_errbuf *eb)
{
	dp_source *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&s->mu, NULL);
	s->cfg = cfg;
	s->set = set;
	rc = dp_session_driver(cfg, DP_ROLE_SOURCE, "source", &s->drv, eb);
	if (!rc)
		rc = dp_sessions_open(set, s->drv, cfg, DP_ROLE_SOURCE, &s->leader, eb);
	/* the read view starts here, before introspection: schema and rows agree */
	if (!rc) {
		rc = s->drv->snapshot_export(s->leader, &s->snapshot, eb);
		if (rc == DP_ERR_UNSUPPORTED && !(s->drv->caps & DP_CAP_SHARED_SNAPSHOT)) {
			dp_errbuf_clear(eb);
			rc = DP_OK;
		}
	}
	if (rc) {
		dp_source_free(s);
		return rc;
	}
	*out = s;
	return DP_OK;
}

void dp_source_free(dp_source *s)
{
	if (!s)
		return;
	if (s->leader)
		dp_sessions_close(s->set, s->drv, s->leader);
	free(s->snapshot);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

const dp_connector *dp_source_driver(const dp_source *s)
{
	return s->drv;
}

const dp_conn_cfg *dp_source_cfg(const dp_source *s)
{
	return s->cfg;
}

const char *dp_source_snapshot(const dp_source *s)
{
	return s->snapshot;
}

dp_conn *dp_source_lock(dp_source *s)
{
	pthread_mutex_lock(&s->mu);
	return s->leader;
}

void dp_source_unlock(dp_source *s)
{
	pthread_mutex_unlock(&s->mu);
}

dp_conn *dp_source_leader(dp_source *s)
{
	return s->leader;
}

int dp_source_worker_open(dp_source *s, dp_conn **out, dp_errbuf *eb)
{
	int rc;

	*out = NULL;
	if (!(s->drv->caps & DP_CAP_SHARED_SNAPSHOT) || !s->snapshot)
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "%s sessions cannot share a snapshot",
			       s->drv->name);
	rc = dp_sessions_open(s->set, s->drv, s->cfg, DP_ROLE_SOURCE, out, eb);
	if (!rc)
		rc = s->drv->snapshot_import(*out, s->snapshot, eb);
	if (rc && *out) {
		dp_sessions_close(s->set, s->drv, *out);
		*out = NULL;
	}
	return rc;
}

void dp_source_worker_close(dp_source *s, dp_conn *c)
{
	dp_sessions_close(s->set, s->drv, c);
}

/* ---- target ---- */

struct dp_target {
	const dp_connector *drv;
	dp_sessions *set;           /* borrowed */
	dp_conn *c;
	pthread_mutex_t mu;
};

int dp_target_open(const dp_conn_cfg *cfg, dp_sessions *set, dp_target **out, dp_errbuf *eb)
{
	dp_target *t = calloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (!t)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&t->mu, NULL);
	t->set = set;
	rc = dp_session_driver(cfg, DP_ROLE_TARGET, "target", &t->drv, eb);
	if (!rc)
		rc = dp_sessions_open(set, t->drv, cfg, DP_ROLE_TARGET, &t->c, eb);
	if (rc) {
		dp_target_free(t);
		return rc;
	}
	*out = t;
	return DP_OK;
}

void dp_target_free(dp_target *t)
{
	if (!t)
		return;
	if (t->c)
		dp_sessions_close(t->set, t->drv, t->c);   /* rolls back an unfinished target */
	pthread_mutex_destroy(&t->mu);
	free(t);
}

const dp_connector *dp_target_driver(const dp_target *t)
{
	return t->drv;
}

dp_conn *dp_target_lock(dp_target *t)
{
	pthread_mutex_lock(&t->mu);
	return t->c;
}

void dp_target_unlock(dp_target *t)
{
	pthread_mutex_unlock(&t->mu);
}

dp_conn *dp_target_session(dp_target *t)
{
	return t->c;
}

int dp_target_mark(dp_target *t, const dp_table *tb, int64_t rows, dp_errbuf *eb)
{
	int rc;

	pthread_mutex_lock(&t->mu);
	rc = t->drv->stage_mark(t->c, tb, rows, eb);
	pthread_mutex_unlock(&t->mu);
	return rc;
}
