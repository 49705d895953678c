/* settings/api/engine_get.c - GET /api/v1/engine/{engine_id}/: every
 * setting, id, created, last_updated, source_database, target_database
 * (with their connectors, never a secret) and workspace_pk. */
#include "api.h"

void api_h_engine_get(api_req *r)
{
	dp_store_engine e;
	dp_errbuf eb;
	cJSON *o;

	if (!api_engine_load(r, &e))
		return;
	dp_errbuf_clear(&eb);
	if (!(o = api_engine_json(&e, &eb)))
		api_fail(r, eb.code ? eb.code : DP_ERR_NOMEM, &eb);
	else
		api_reply(r, 200, o);
	dp_store_engine_clear(&e);
}
