/* settings/api/auth_post.c - POST /api/v1/auth/ {username, password}: a
 * session. The sessionid cookie is HttpOnly and SameSite=Strict (Secure
 * under HTTPS); the CSRF token in the answer must accompany every
 * cookie-authenticated change as X-CSRF-Token. Failed logins are counted
 * per client address: past the limit the answer is 429 until the window
 * ends, whatever the password. */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include "api.h"

void api_h_auth_post(api_req *r)
{
	cJSON *b, *o;
	const cJSON *u, *p, *m;
	char token[DP_TOKEN_HEX + 1], csrf[DP_TOKEN_HEX + 1];
	dp_errbuf eb;
	dp_user user;
	int rc;

	if (api_login_gate(r))
		return;
	if (!(b = api_body_object(r)))
		return;
	dp_errbuf_clear(&eb);
	cJSON_ArrayForEach(m, b)
		if (strcmp(m->string, "username") && strcmp(m->string, "password")) {
			api_error(r, API_EC_VALIDATION, m->string, "unknown field (known: username, password)");
			goto out;
		}
	u = cJSON_GetObjectItemCaseSensitive(b, "username");
	p = cJSON_GetObjectItemCaseSensitive(b, "password");
	if (!cJSON_IsString(u) || !cJSON_IsString(p)) {
		api_error(r, API_EC_VALIDATION, cJSON_IsString(u) ? "password" : "username",
			  "required, a string");
		goto out;
	}
	if ((rc = dp_store_user_login(r->st, u->valuestring, p->valuestring, &user, &eb))) {
		if (rc == DP_ERR_AUTH) {
			api_login_failed(r);
			api_error(r, API_EC_BAD_CREDENTIALS, NULL, "wrong user name or password");
		} else {
			api_fail(r, rc, &eb);
		}
		goto out;
	}
	if ((rc = dp_store_session_new(r->st, user.id, r->session_ttl, token, csrf, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	snprintf(r->cookie, sizeof(r->cookie), "sessionid=%s; Path=/; HttpOnly; SameSite=Strict; "
		 "Max-Age=%u%s", token, r->session_ttl, r->https ? "; Secure" : "");
	r->user = user;
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "username", user.name) ||
		  !cJSON_AddStringToObject(o, "role", dp_role_name(user.role)) ||
		  !cJSON_AddStringToObject(o, "csrf_token", csrf) ||
		  !cJSON_AddNumberToObject(o, "expires_in", r->session_ttl) ||
		  !cJSON_AddNumberToObject(o, "workspace_pk", (double)user.workspace_pk))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
	OPENSSL_cleanse(token, sizeof(token));
out:
	if (cJSON_IsString(p = cJSON_GetObjectItemCaseSensitive(b, "password")))
		OPENSSL_cleanse(p->valuestring, strlen(p->valuestring));
	cJSON_Delete(b);
}
