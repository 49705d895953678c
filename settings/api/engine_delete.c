/* settings/api/engine_delete.c - DELETE /api/v1/engine/{engine_id}/delete/:
 * the engine, its databases, connectors (sealed secrets included), tables
 * and history go; {"id", "status": "DELETED"}. */
#include "api.h"

void api_h_engine_delete(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	dp_errbuf eb;
	cJSON *o;
	int rc;

	if (!api_engine_id_ok(r, id))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_engine_delete(r->st, r->user.workspace_pk, id, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddStringToObject(o, "status", "DELETED"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
}
