/* settings/api/job_cancel_post.c - POST /api/v1/jobs/{job_id}/cancel/
 * [{"reason": "..."}] (editor): a queued job never starts, a running one
 * stops at its next batch (target left as it was) and ends CANCELLED; a job
 * that has ended is 409. */
#include <string.h>
#include "api.h"

void api_h_job_cancel_post(api_req *r)
{
	const char *id = api_param(r, "job_id");
	const char *reason = NULL;
	const cJSON *v;
	cJSON *b = NULL, *job, *o;
	dp_errbuf eb;
	int rc;

	if (r->body.len) {
		if (!(b = api_body_object(r)))
			return;
		for (const cJSON *m = b->child; m; m = m->next)
			if (strcmp(m->string, "reason")) {
				api_error(r, API_EC_VALIDATION, m->string, "unknown field (known: reason)");
				goto out;
			}
		v = cJSON_GetObjectItemCaseSensitive(b, "reason");
		if (v && !cJSON_IsString(v)) {
			api_error(r, API_EC_VALIDATION, "reason", "expected a string");
			goto out;
		}
		reason = v ? v->valuestring : NULL;
	}
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_job_get(r->st, r->user.workspace_pk, id, &job, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	if (!api_jobs_cancel(r->jobs, id, reason ? reason : "cancelled through the API")) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(job, "status");
		api_error(r, API_EC_CONFLICT, NULL, "job %s is %s: nothing to cancel", id,
			  cJSON_IsString(st) ? st->valuestring : "not running");
		cJSON_Delete(job);
		goto out;
	}
	cJSON_Delete(job);
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddStringToObject(o, "status", "CANCELLING"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
out:
	cJSON_Delete(b);
}
