/* settings/api/engine_jobs_post.c - POST /api/v1/engine/{engine_id}/jobs/
 * (editor): run the engine now, in the server. 201 with the job (QUEUED
 * until a slot is free); poll GET /api/v1/jobs/{job_id}/. */
#include "api.h"

void api_h_engine_jobs_post(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	char job[40];
	dp_errbuf eb;
	cJSON *o;
	int rc;

	if (!api_engine_id_ok(r, id))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = api_jobs_start(r->jobs, r->st, &r->user, id, job, &eb)) ||
	    (rc = dp_store_job_get(r->st, r->user.workspace_pk, job, &o, &eb))) {
		if (rc == DP_ERR_REFUSED)
			api_error(r, API_EC_BUSY, NULL, "%s", eb.msg);
		else
			api_fail(r, rc, &eb);
		return;
	}
	dp_log_info("engine %s: job %s queued", id, job);
	api_reply(r, 201, o);
}
