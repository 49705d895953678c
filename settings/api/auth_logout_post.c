/* settings/api/auth_logout_post.c - POST /api/v1/auth/logout/: the session
 * of the cookie ends (an API key stays valid: revoke it instead). */
#include "api.h"

void api_h_auth_logout_post(api_req *r)
{
	dp_errbuf eb;
	cJSON *o;
	int rc;

	dp_errbuf_clear(&eb);
	if (r->auth == 1 && (rc = dp_store_session_delete(r->st, r->session, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	snprintf(r->cookie, sizeof(r->cookie), "sessionid=; Path=/; HttpOnly; SameSite=Strict; "
		 "Max-Age=0%s", r->https ? "; Secure" : "");
	o = cJSON_CreateObject();
	if (o && !cJSON_AddStringToObject(o, "status", r->auth == 1 ? "LOGGED_OUT" : "NO_SESSION")) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
}
