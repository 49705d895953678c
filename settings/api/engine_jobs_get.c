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

	if (!api_engine_id_ok(r, id))
		return;
	dp_errbuf_clear(&eb);
	/* an unknown engine is 404, not an empty list */
	if ((rc = dp_store_engine_get(r->st, r->user.workspace_pk, id, &e, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	dp_store_engine_clear(&e);
	if ((rc = dp_store_job_list(r->st, r->user.workspace_pk, id, &o, &eb)))
		api_fail(r, rc, &eb);
	else
		api_reply(r, 200, o);
}
