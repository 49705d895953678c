/* settings/api/users_post.c - POST /api/v1/users/ {username, password, role}
 * (owner): a new user (scrypt-hashed password); a taken name is 409. */
#include <string.h>
#include <openssl/crypto.h>
#include "api.h"

void api_h_users_post(api_req *r)
{
	cJSON *b = api_body_object(r), *o;
	const cJSON *u, *p, *ro, *m;
	dp_user_role role;
	dp_errbuf eb;
	int rc;

	if (!b)
		return;
	dp_errbuf_clear(&eb);
	cJSON_ArrayForEach(m, b)
		if (strcmp(m->string, "username") && strcmp(m->string, "password") &&
		    strcmp(m->string, "role")) {
			api_error(r, API_EC_VALIDATION, m->string,
				  "unknown field (known: username, password, role)");
			goto out;
		}
	u = cJSON_GetObjectItemCaseSensitive(b, "username");
	p = cJSON_GetObjectItemCaseSensitive(b, "password");
	ro = cJSON_GetObjectItemCaseSensitive(b, "role");
	if (!cJSON_IsString(u)) {
		api_error(r, API_EC_VALIDATION, "username", "required, a string");
		goto out;
	}
	if (!cJSON_IsString(p)) {
		api_error(r, API_EC_VALIDATION, "password", "required, a string");
		goto out;
	}
	role = cJSON_IsString(ro) ? dp_role_parse(ro->valuestring) : DP_UROLE_NONE;
	if (role == DP_UROLE_NONE) {
		api_error(r, API_EC_VALIDATION, "role", "expected owner, editor or viewer");
		goto out;
	}
	if ((rc = dp_store_user_add(r->st, u->valuestring, role, p->valuestring, &eb))) {
		if (rc == DP_ERR_REFUSED)
			api_error(r, API_EC_CONFLICT, "username", "%s", eb.msg);
		else if (rc == DP_ERR_CONFIG)
			api_error(r, API_EC_VALIDATION, strncmp(eb.msg, "password", 8) ? "username"
				  : "password", "%s", eb.msg);
		else
			api_fail(r, rc, &eb);
		goto out;
	}
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "username", u->valuestring) ||
		  !cJSON_AddStringToObject(o, "role", dp_role_name(role)))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 201, o);
out:
	if (cJSON_IsString(p = cJSON_GetObjectItemCaseSensitive(b, "password")))
		OPENSSL_cleanse(p->valuestring, strlen(p->valuestring));
	cJSON_Delete(b);
}
