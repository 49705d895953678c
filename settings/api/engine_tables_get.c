/* settings/api/engine_tables_get.c - GET /api/v1/engine/{engine_id}/tables/:
 * {"tables": [{name, mode, settings}]}: each configured table's mode and its
 * effective settings (engine settings + the table's overrides), resolved by
 * the engine-file parser and shown through the settings table. */
#include "api.h"

void api_h_engine_tables_get(api_req *r)
{
	dp_store_engine e;
	dp_job_cfg *cfg = NULL;
	dp_errbuf eb;
	cJSON *o = NULL, *arr;
	int rc;

	if (!api_engine_load(r, &e))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = api_engine_cfg(&e, &cfg, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	o = cJSON_CreateObject();
	arr = o ? cJSON_AddArrayToObject(o, "tables") : NULL;
	for (size_t i = 0; arr && i < cfg->ntables; i++) {
		const dp_table_cfg *t = &cfg->tables[i];
		cJSON *it = cJSON_CreateObject(), *s = dp_settings_to_json(&t->settings);
		if (!it || !s || !cJSON_AddStringToObject(it, "name", t->name) ||
		    !cJSON_AddStringToObject(it, "mode", dp_mode_name(t->mode)) ||
		    !cJSON_AddItemToObject(it, "settings", s)) {
			if (!it || !cJSON_GetObjectItemCaseSensitive(it, "settings"))
				cJSON_Delete(s);
			cJSON_Delete(it);
			arr = NULL;
			break;
		}
		if (!cJSON_AddItemToArray(arr, it)) {
			cJSON_Delete(it);
			arr = NULL;
		}
	}
	if (!arr) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
out:
	dp_job_cfg_free(cfg);
	dp_store_engine_clear(&e);
}
