/* settings/api/engine_get.c - GET /api/v1/engine/{engine_id}/: every
 * setting, id, created, last_updated, source_database, target_database
 * (with their connectors, never a secret) and workspace_pk. */
#include "api.h"

void api_h_engine_get(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	dp_store_engine e;
	dp_errbuf eb;
	cJSON *o;
	int rc;

	if (!api_engine_id_ok(r, id))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_engine_get(r->st, r->user.workspace_pk, id, &e, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	if (!(o = api_engine_json(&e, &eb)))
		api_fail(r, eb.code ? eb.code : DP_ERR_NOMEM, &eb);
	else
		api_reply(r, 200, o);
	dp_store_engine_clear(&e);
}
