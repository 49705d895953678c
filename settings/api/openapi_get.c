/* settings/api/openapi_get.c - GET /api/v1/openapi.json: the OpenAPI 3.1
 * document generated from the route table and the settings table. */
#include "api.h"

void api_h_openapi_get(api_req *r)
{
	api_reply(r, 200, api_openapi());
}
