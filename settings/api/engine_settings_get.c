/* settings/api/engine_settings_get.c - GET /api/v1/engine/{engine_id}/settings/:
 * the 31 settings (from the settings table), id and set_defaults. */
#include "api.h"

void api_h_engine_settings_get(api_req *r)
{
	dp_store_engine e;
	dp_settings s;
	dp_errbuf eb;
	cJSON *o;
	int rc;

	if (!api_engine_load(r, &e))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = api_settings_load(e.settings_json, &s, &eb))) {
		api_fail(r, rc, &eb);
		dp_store_engine_clear(&e);
		return;
	}
	o = dp_settings_to_json(&s);
	if (o && (!cJSON_AddStringToObject(o, "id", e.id) || !cJSON_AddTrueToObject(o, "set_defaults"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
	dp_settings_clear(&s);
	dp_store_engine_clear(&e);
}
