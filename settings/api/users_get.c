/* settings/api/users_get.c - GET /api/v1/users/ (owner): every user's id,
 * username, role, workspace_pk and creation time; never a password hash. */
#include "api.h"

void api_h_users_get(api_req *r)
{
	dp_errbuf eb;
	cJSON *o;
	int rc;

	dp_errbuf_clear(&eb);
	if ((rc = dp_store_user_list(r->st, &o, &eb)))
		api_fail(r, rc, &eb);
	else
		api_reply(r, 200, o);
}
