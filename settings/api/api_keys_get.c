/* settings/api/api_keys_get.c - GET /api/v1/api-keys/ (owner): every key's
 * id, name, role, user, created and revoked time; never a key. */
#include "api.h"

void api_h_api_keys_get(api_req *r)
{
	dp_errbuf eb;
	cJSON *o;
	int rc;

	dp_errbuf_clear(&eb);
	if ((rc = dp_store_apikey_list(r->st, &o, &eb)))
		api_fail(r, rc, &eb);
	else
		api_reply(r, 200, o);
}
