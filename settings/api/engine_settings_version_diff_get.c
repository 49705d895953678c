/* settings/api/engine_settings_version_diff_get.c -
 * GET /api/v1/engine/{engine_id}/settings/history/{version}/diff/[?against=N]:
 * the settings that differ between version N (default: the one before) and
 * this one: {"from": N, "to": version, "changes": [{setting, from, to}]},
 * in the settings table's order, values as the settings table prints them. */
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "api.h"

static cJSON *version_json(api_req *r, const char *id, int64_t v, dp_errbuf *eb, int *rc)
{
	char *settings = NULL, *tables = NULL;
	dp_settings s;
	cJSON *o = NULL;

	if ((*rc = dp_store_history_version(r->st, r->user.workspace_pk, id, v, &settings, &tables, eb)))
		return NULL;
	if (!(*rc = api_settings_load(settings, &s, eb))) {
		o = dp_settings_to_json(&s);
		dp_settings_clear(&s);
		if (!o)
			*rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	free(settings);
	free(tables);
	return o;
}

void api_h_engine_settings_version_diff_get(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	const char *ag = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "against");
	int64_t to, from;
	cJSON *a = NULL, *b = NULL, *o = NULL, *ch;
	size_t n;
	const dp_setting_def *defs = dp_settings_defs(&n);
	dp_errbuf eb;
	int rc;

	if (!api_engine_id_ok(r, id) || !(to = api_version_param(r)))
		return;
	from = to - 1;
	if (ag) {
		char *end;
		from = strtoll(ag, &end, 10);
		if (!*ag || *end || from < 1) {
			api_error(r, API_EC_VALIDATION, "against", "expected a version number");
			return;
		}
	}
	dp_errbuf_clear(&eb);
	if (from < 1) {
		api_error(r, API_EC_VALIDATION, "against", "version 1 has no version before it: "
			  "give ?against=N");
		return;
	}
	if (!(a = version_json(r, id, from, &eb, &rc)) || !(b = version_json(r, id, to, &eb, &rc))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddNumberToObject(o, "from", (double)from) ||
	    !cJSON_AddNumberToObject(o, "to", (double)to) || !(ch = cJSON_AddArrayToObject(o, "changes")))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_GetObjectItemCaseSensitive(a, defs[i].name);
		cJSON *y = cJSON_GetObjectItemCaseSensitive(b, defs[i].name), *c;
		if (cJSON_Compare(x, y, 1))
			continue;
		if (!(c = cJSON_CreateObject()) || !cJSON_AddItemToArray(ch, c)) {
			cJSON_Delete(c);
			goto nomem;
		}
		if (!cJSON_AddStringToObject(c, "setting", defs[i].name) ||
		    !cJSON_AddItemToObject(c, "from", cJSON_Duplicate(x, 1)) ||
		    !cJSON_AddItemToObject(c, "to", cJSON_Duplicate(y, 1)))
			goto nomem;
	}
	api_reply(r, 200, o);
	o = NULL;
	goto out;
nomem:
	api_fail(r, DP_ERR_NOMEM, NULL);
out:
	cJSON_Delete(o);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
