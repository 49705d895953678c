/* settings/api/engine_jobs_get.c - GET /api/v1/engine/{engine_id}/jobs/:
 * {"jobs": [...]} of the engine, oldest first. */
#include "api.h"

void api_h_engine_jobs_get(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	dp_store_engine e;
	dp_errbuf eb;
	cJSON *o;
	int rc;

	/* an unknown engine is 404, not an empty list */
	if (!api_engine_load(r, &e))
		return;
	dp_errbuf_clear(&eb);
	dp_store_engine_clear(&e);
	if ((rc = dp_store_job_list(r->st, r->user.workspace_pk, id, &o, &eb)))
		api_fail(r, rc, &eb);
	else
		api_reply(r, 200, o);
}
