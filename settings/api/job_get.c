/* settings/api/job_get.c - GET /api/v1/jobs/{job_id}/: status (QUEUED,
 * STARTED, SUCCESS, FAILED, CANCELLED, INTERRUPTED), times, error, what the
 * target holds, and progress (live from the engine while it runs: stage,
 * tables done, rows, bytes, seconds). */
#include "api.h"

void api_h_job_get(api_req *r)
{
	const char *id = api_param(r, "job_id");
	dp_errbuf eb;
	cJSON *o, *live;
	int rc;

	dp_errbuf_clear(&eb);
	if ((rc = dp_store_job_get(r->st, r->user.workspace_pk, id, &o, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	if ((live = api_jobs_live_progress(r->jobs, id)) &&
	    !cJSON_ReplaceItemInObjectCaseSensitive(o, "progress", live))
		cJSON_Delete(live);
	api_reply(r, 200, o);
}
