/* settings/api/engine_settings_history_get.c -
 * GET /api/v1/engine/{engine_id}/settings/history/: {"versions": [{version,
 * created, user, settings}]}, oldest first; version 1 is the creation. */
#include "api.h"

void api_h_engine_settings_history_get(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	dp_errbuf eb;
	cJSON *h, *v;
	int rc;

	if (!api_engine_id_ok(r, id))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_history(r->st, r->user.workspace_pk, id, &h, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	/* each version's settings back out through the settings table */
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(h, "versions")) {
		cJSON *raw = cJSON_GetObjectItemCaseSensitive(v, "settings"), *out;
		char *text = cJSON_PrintUnformatted(raw);
		dp_settings s;
		rc = text ? api_settings_load(text, &s, &eb) : DP_ERR_NOMEM;
		cJSON_free(text);
		if (rc) {
			api_fail(r, rc, &eb);
			cJSON_Delete(h);
			return;
		}
		out = dp_settings_to_json(&s);
		dp_settings_clear(&s);
		if (!out || !cJSON_ReplaceItemInObjectCaseSensitive(v, "settings", out)) {
			cJSON_Delete(out);
			cJSON_Delete(h);
			api_fail(r, DP_ERR_NOMEM, NULL);
			return;
		}
	}
	api_reply(r, 200, h);
}
