/* settings/api/api_key_delete.c - DELETE /api/v1/api-keys/{key_id}/ (owner):
 * the key stops working at once; {"id", "status": "REVOKED"}. */
#include "api.h"

void api_h_api_key_delete(api_req *r)
{
	const char *id = api_param(r, "key_id");
	dp_errbuf eb;
	cJSON *o;
	int rc;

	dp_errbuf_clear(&eb);
	if ((rc = dp_store_apikey_revoke(r->st, id, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddStringToObject(o, "status", "REVOKED"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
}
