/* settings/api/api_keys_post.c - POST /api/v1/api-keys/ {name, role} (owner):
 * a new API key with at most the creator's role. The key is in this answer
 * only; the store keeps its SHA-256. Use it as "Authorization: Api-Key <key>". */
#include <string.h>
#include "api.h"

void api_h_api_keys_post(api_req *r)
{
	cJSON *b = api_body_object(r), *o;
	const cJSON *name, *role, *m;
	char *key = NULL, id[40];
	dp_user_role ro;
	dp_errbuf eb;
	int rc;

	if (!b)
		return;
	dp_errbuf_clear(&eb);
	cJSON_ArrayForEach(m, b)
		if (strcmp(m->string, "name") && strcmp(m->string, "role")) {
			api_error(r, API_EC_VALIDATION, m->string, "unknown field (known: name, role)");
			goto out;
		}
	name = cJSON_GetObjectItemCaseSensitive(b, "name");
	role = cJSON_GetObjectItemCaseSensitive(b, "role");
	if (!cJSON_IsString(name) || !*name->valuestring || strlen(name->valuestring) > 200) {
		api_error(r, API_EC_VALIDATION, "name", "required: a string of 1..200 characters");
		goto out;
	}
	ro = role ? (cJSON_IsString(role) ? dp_role_parse(role->valuestring) : DP_UROLE_NONE)
		  : r->user.role;
	if (ro == DP_UROLE_NONE) {
		api_error(r, API_EC_VALIDATION, "role", "expected owner, editor or viewer");
		goto out;
	}
	if ((rc = dp_store_apikey_new(r->st, &r->user, ro, name->valuestring, &key, id, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddStringToObject(o, "name", name->valuestring) ||
		  !cJSON_AddStringToObject(o, "role", dp_role_name(ro)) ||
		  !cJSON_AddStringToObject(o, "key", key))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 201, o);
	dp_secret_free(key);
out:
	cJSON_Delete(b);
}
