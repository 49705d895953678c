/* settings/api/health_get.c - GET /api/v1/health/ (no auth): the server
 * answers and its store opens. */
#include "api.h"

void api_h_health_get(api_req *r)
{
	cJSON *o = cJSON_CreateObject();

	if (o && (!cJSON_AddStringToObject(o, "status", "ok") ||
		  !cJSON_AddNumberToObject(o, "schema_version", dp_store_schema_version(r->st)))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
}
