/* settings/api/user_delete.c - DELETE /api/v1/users/{user_id}/ (owner): the
 * user, its sessions and API keys go; the last owner cannot (409). */
#include <stdlib.h>
#include "api.h"

void api_h_user_delete(api_req *r)
{
	const char *id = api_param(r, "user_id");
	char *end;
	long long n = strtoll(id, &end, 10);
	dp_errbuf eb;
	cJSON *o;
	int rc;

	if (!*id || *end || n < 1) {
		api_error(r, API_EC_NOT_FOUND, "user_id", "no user %.40s", id);
		return;
	}
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_user_delete(r->st, n, &eb))) {
		if (rc == DP_ERR_REFUSED)
			api_error(r, API_EC_CONFLICT, NULL, "%s", eb.msg);
		else
			api_fail(r, rc, &eb);
		return;
	}
	o = cJSON_CreateObject();
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddStringToObject(o, "status", "DELETED"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, 200, o);
}
