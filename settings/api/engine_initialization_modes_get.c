/* settings/api/engine_initialization_modes_get.c -
 * GET /api/v1/engine/initialization_modes/: each initialization mode with
 * key_generation_method and default_locale {available, default}, all taken
 * from the settings table (choices and defaults). */
#include "api.h"

/* {available: the setting's choices, default: its default} */
static cJSON *choice(const char *name, const cJSON *defaults)
{
	const dp_setting_def *d = dp_settings_find(name);
	cJSON *o = cJSON_CreateObject(), *a = o ? cJSON_AddArrayToObject(o, "available") : NULL;
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(defaults, name);

	for (size_t i = 0; a && d && d->choices && i < d->choices->n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(d->choices->names[i])))
			a = NULL;
	if (!a || !def || !cJSON_AddItemToObject(o, "default", cJSON_Duplicate(def, 1))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

void api_h_engine_initialization_modes_get(api_req *r)
{
	const dp_setting_def *im = dp_settings_find("initialization_mode");
	dp_settings s;
	cJSON *defaults, *o = NULL, *arr;

	if (dp_settings_defaults(&s)) {
		api_fail(r, DP_ERR_INTERNAL, NULL);
		return;
	}
	defaults = dp_settings_to_json(&s);
	dp_settings_clear(&s);
	o = defaults ? cJSON_CreateObject() : NULL;
	arr = o ? cJSON_AddArrayToObject(o, "initialization_modes") : NULL;
	for (size_t i = 0; arr && im && i < im->choices->n; i++) {
		cJSON *m = cJSON_CreateObject(), *k = choice("key_generation_method", defaults),
		      *l = choice("default_locale", defaults);
		if (!m || !k || !l || !cJSON_AddStringToObject(m, "name", im->choices->names[i]) ||
		    !cJSON_AddItemToObject(m, "key_generation_method", k) ||
		    (k = NULL, !cJSON_AddItemToObject(m, "default_locale", l)) ||
		    (l = NULL, !cJSON_AddItemToArray(arr, m))) {
			cJSON_Delete(m);
			cJSON_Delete(k);
			cJSON_Delete(l);
			arr = NULL;
		}
	}
	if (!arr) {
		cJSON_Delete(o);
		o = NULL;
	}
	cJSON_Delete(defaults);
	api_reply(r, 200, o);
}
