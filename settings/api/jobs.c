/* settings/api/jobs.c - jobs run inside the server: one thread each, at most
 * max_jobs at once (the rest wait, QUEUED), through the engine API only
 * (engine/job.h). Each job has its own store connection for its status and
 * log lines; its progress is read live from the engine while it runs and
 * stored when it ends. At shutdown running jobs are cancelled and end
 * INTERRUPTED (the engine leaves their target as it was: staged, swapped
 * atomically); jobs a killed server left behind are marked INTERRUPTED at
 * the next start. */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <openssl/crypto.h>
#include "api.h"
#include "../../engine/job.h"

struct api_job {
	struct api_job *next;
	api_jobs *owner;
	char id[40], engine_id[40], user[128];
	int64_t workspace_pk;
	pthread_t th;
	dp_job *job;             /* while it runs (owner->mu) */
	int cancel, interrupted, done;
	char reason[256];
	dp_store *st;            /* the job thread's store (log_mu) */
	pthread_mutex_t log_mu;
	int64_t seq;
};

struct api_jobs {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	api_job *list;
	unsigned running, max;
	int stopping;
	const char *store_path;
	dp_master_key key;
};

api_jobs *api_jobs_new(const char *store_path, const dp_master_key *key, unsigned max_jobs)
{
	api_jobs *js = calloc(1, sizeof(*js));

	if (!js)
		return NULL;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->cv, NULL);
	js->store_path = store_path;
	js->max = max_jobs ? max_jobs : 1;
	if (key)
		js->key = *key;
	return js;
}

static const char *level_name(int lvl)
{
	static const char *const n[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	return lvl >= 0 && lvl <= 3 ? n[lvl] : "INFO";
}

/* the engine's log sink: called from any of the job's threads */
static void job_sink(void *arg, int level, const char *msg)
{
	api_job *aj = arg;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	pthread_mutex_lock(&aj->log_mu);
	if (aj->st)
		(void)!dp_store_job_log(aj->st, aj->id, ++aj->seq, level_name(level), msg, &eb);
	pthread_mutex_unlock(&aj->log_mu);
}

static cJSON *progress_json(const dp_job *j)
{
	dp_progress p;
	cJSON *o = cJSON_CreateObject();

	dp_job_progress(j, &p);
	if (o && (!cJSON_AddStringToObject(o, "stage", p.stage ? p.stage : "") ||
		  !cJSON_AddNumberToObject(o, "tables_done", (double)p.tables_done) ||
		  !cJSON_AddNumberToObject(o, "ntables", (double)p.ntables) ||
		  !cJSON_AddNumberToObject(o, "rows_done", (double)p.rows_done) ||
		  !cJSON_AddNumberToObject(o, "rows_total", (double)p.rows_total) ||
		  !cJSON_AddNumberToObject(o, "bytes_read", (double)p.bytes_read) ||
		  !cJSON_AddNumberToObject(o, "bytes_written", (double)p.bytes_written) ||
		  !cJSON_AddNumberToObject(o, "seconds", p.seconds))) {
		cJSON_Delete(o);
		o = NULL;
	}
	return o;
}

/* the sealed secrets of a database into its dp_conn_cfg */
static int put_secrets(dp_store *st, const char *db_id, dp_conn_cfg *c, dp_errbuf *eb)
{
	char *text = NULL;
	cJSON *o, *v;
	int rc = dp_store_engine_secret(st, db_id, &text, eb);

	if (rc || !text)
		return rc;
	o = cJSON_Parse(text);
	dp_secret_free(text);
	if (!o)
		return dp_fail(eb, DP_ERR_INTERNAL, "stored secret does not parse");
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "password"))) {
		dp_secret_free(c->password);
		c->password = dp_strdup(v->valuestring);
	}
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "ssh_password"))) {
		dp_secret_free(c->ssh.password);
		c->ssh.password = dp_strdup(v->valuestring);
	}
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "ssh_private_key_password"))) {
		dp_secret_free(c->ssh.private_key_password);
		c->ssh.private_key_password = dp_strdup(v->valuestring);
	}
	for (cJSON *m = o->child; m; m = m->next)
		if (cJSON_IsString(m))
			OPENSSL_cleanse(m->valuestring, strlen(m->valuestring));
	cJSON_Delete(o);
	return DP_OK;
}

static void finish_job(api_job *aj, dp_job_status status, const char *error, const char *progress,
		       const char *target_state)
{
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	pthread_mutex_lock(&aj->log_mu);
	if (aj->st && dp_store_job_set(aj->st, aj->id, status, error, progress, target_state,
				       aj->reason[0] ? aj->reason : NULL, &eb))
		dp_log_error("job %s: cannot store its status: %s", aj->id, eb.msg);
	pthread_mutex_unlock(&aj->log_mu);
}

static void *job_main(void *arg)
{
	api_job *aj = arg;
	api_jobs *js = aj->owner;
	dp_store *st = NULL;
	dp_store_engine e;
	dp_job_cfg *cfg = NULL;
	dp_job *j = NULL;
	dp_errbuf eb;
	char *prog = NULL;
	int rc, stop;

	memset(&e, 0, sizeof(e));
	dp_errbuf_clear(&eb);
	if (dp_store_open(js->store_path, js->key.set ? &js->key : NULL, &st, &eb)) {
		dp_log_error("job %s: store: %s", aj->id, eb.msg);
		goto out;
	}
	pthread_mutex_lock(&aj->log_mu);
	aj->st = st;
	pthread_mutex_unlock(&aj->log_mu);
	/* wait for a slot */
	pthread_mutex_lock(&js->mu);
	while (js->running >= js->max && !js->stopping && !aj->cancel)
		pthread_cond_wait(&js->cv, &js->mu);
	stop = js->stopping ? 2 : aj->cancel ? 1 : 0;
	if (!stop)
		js->running++;
	pthread_mutex_unlock(&js->mu);
	if (stop) {
		finish_job(aj, stop == 2 ? DP_JOB_INTERRUPTED : DP_JOB_CANCELLED,
			   stop == 2 ? "the server stopped before the job started" : NULL, NULL, NULL);
		goto out;
	}
	finish_job(aj, DP_JOB_STARTED, NULL, NULL, NULL);
	rc = dp_store_engine_get(st, aj->workspace_pk, aj->engine_id, &e, &eb);
	if (!rc)
		rc = api_engine_cfg(&e, &cfg, &eb);
	if (!rc)
		rc = put_secrets(st, e.source.id, &cfg->source, &eb);
	if (!rc)
		rc = put_secrets(st, e.target.id, &cfg->target, &eb);
	if (!rc && !(j = dp_job_new(cfg)))
		rc = dp_fail(&eb, DP_ERR_NOMEM, "out of memory");
	if (!rc) {
		dp_job_set_log(j, aj->id, job_sink, aj);
		pthread_mutex_lock(&js->mu);
		aj->job = j;
		if (aj->cancel || aj->interrupted)
			dp_job_cancel(j);
		pthread_mutex_unlock(&js->mu);
		rc = dp_job_run(j, &eb);
		pthread_mutex_lock(&js->mu);
		aj->job = NULL;
		pthread_mutex_unlock(&js->mu);
	}
	{
		cJSON *p = j ? progress_json(j) : NULL;
		prog = p ? cJSON_PrintUnformatted(p) : NULL;
		cJSON_Delete(p);
	}
	if (rc == DP_OK)
		finish_job(aj, DP_JOB_SUCCESS, NULL, prog, j ? dp_job_target_state(j) : NULL);
	else if (rc == DP_ERR_CANCELLED)
		finish_job(aj, aj->interrupted ? DP_JOB_INTERRUPTED : DP_JOB_CANCELLED,
			   aj->interrupted ? "the server stopped while the job ran" : "cancelled", prog,
			   j ? dp_job_target_state(j) : NULL);
	else
		finish_job(aj, DP_JOB_FAILED, eb.msg[0] ? eb.msg : dp_strerror(rc), prog,
			   j ? dp_job_target_state(j) : NULL);
	pthread_mutex_lock(&js->mu);
	js->running--;
	pthread_cond_broadcast(&js->cv);
	pthread_mutex_unlock(&js->mu);
out:
	free(prog);
	dp_job_free(j);
	dp_job_cfg_free(cfg);
	dp_store_engine_clear(&e);
	pthread_mutex_lock(&aj->log_mu);
	aj->st = NULL;
	pthread_mutex_unlock(&aj->log_mu);
	dp_store_close(st);
	pthread_mutex_lock(&js->mu);
	aj->done = 1;
	pthread_mutex_unlock(&js->mu);
	return NULL;
}

/* finished jobs leave the list (mu held) */
static void reap(api_jobs *js)
{
	api_job **pp = &js->list;

	while (*pp) {
		api_job *aj = *pp;
		if (!aj->done) {
			pp = &aj->next;
			continue;
		}
		*pp = aj->next;
		pthread_join(aj->th, NULL);
		pthread_mutex_destroy(&aj->log_mu);
		free(aj);
	}
}

int api_jobs_start(api_jobs *js, dp_store *st, const dp_user *u, const char *engine_id,
		   char *id_out, dp_errbuf *eb)
{
	api_job *aj = calloc(1, sizeof(*aj));
	int rc;

	if (!aj)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if ((rc = dp_store_job_create(st, u->workspace_pk, engine_id, u->name, id_out, eb))) {
		free(aj);
		return rc;
	}
	aj->owner = js;
	snprintf(aj->id, sizeof(aj->id), "%s", id_out);
	snprintf(aj->engine_id, sizeof(aj->engine_id), "%s", engine_id);
	snprintf(aj->user, sizeof(aj->user), "%s", u->name);
	aj->workspace_pk = u->workspace_pk;
	pthread_mutex_init(&aj->log_mu, NULL);
	pthread_mutex_lock(&js->mu);
	reap(js);
	if (js->stopping) {
		rc = dp_fail(eb, DP_ERR_REFUSED, "the server is stopping: no new jobs");
	} else if (pthread_create(&aj->th, NULL, job_main, aj)) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "cannot start a job thread");
	} else {
		aj->next = js->list;
		js->list = aj;
	}
	pthread_mutex_unlock(&js->mu);
	if (rc) {
		(void)!dp_store_job_set(st, id_out, DP_JOB_FAILED, eb->msg, NULL, NULL, NULL, NULL);
		pthread_mutex_destroy(&aj->log_mu);
		free(aj);
	}
	return rc;
}

int api_jobs_cancel(api_jobs *js, const char *id, const char *reason)
{
	int found = 0;

	pthread_mutex_lock(&js->mu);
	for (api_job *aj = js->list; aj; aj = aj->next) {
		if (strcmp(aj->id, id) || aj->done)
			continue;
		found = 1;
		aj->cancel = 1;
		snprintf(aj->reason, sizeof(aj->reason), "%s", reason ? reason : "");
		if (aj->job)
			dp_job_cancel(aj->job);
		pthread_cond_broadcast(&js->cv);
	}
	pthread_mutex_unlock(&js->mu);
	return found;
}

cJSON *api_jobs_live_progress(api_jobs *js, const char *id)
{
	cJSON *p = NULL;

	pthread_mutex_lock(&js->mu);
	for (api_job *aj = js->list; aj; aj = aj->next)
		if (!strcmp(aj->id, id) && aj->job)
			p = progress_json(aj->job);
	pthread_mutex_unlock(&js->mu);
	return p;
}

void api_jobs_free(api_jobs *js)
{
	if (!js)
		return;
	pthread_mutex_lock(&js->mu);
	js->stopping = 1;
	for (api_job *aj = js->list; aj; aj = aj->next) {
		aj->interrupted = 1;
		if (aj->job)
			dp_job_cancel(aj->job);
	}
	pthread_cond_broadcast(&js->cv);
	pthread_mutex_unlock(&js->mu);
	for (api_job *aj = js->list, *nx; aj; aj = nx) {
		nx = aj->next;
		pthread_join(aj->th, NULL);
		pthread_mutex_destroy(&aj->log_mu);
		free(aj);
	}
	dp_master_key_wipe(&js->key);
	pthread_cond_destroy(&js->cv);
	pthread_mutex_destroy(&js->mu);
	free(js);
}
