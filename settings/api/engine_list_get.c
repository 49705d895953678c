/* settings/api/engine_list_get.c - GET /api/v1/engine/?page=&page_size=:
 * {"engines": [{id, latest_job_status, connector_type,
 * source_database_status}]} of the caller's workspace, oldest first; the
 * total is in the X-Total-Count header. */
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "api.h"

#define PAGE_SIZE_DEFAULT 100
#define PAGE_SIZE_MAX 1000

/* connector_type of a stored connector object (or its protocol's prefix) */
static cJSON *connector_type(const char *conn_json)
{
	cJSON *c = cJSON_Parse(conn_json), *out = NULL;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "connector_type");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "protocol");

	if (cJSON_IsString(t))
		out = cJSON_CreateString(t->valuestring);
	else if (cJSON_IsString(p)) {
		p->valuestring[strcspn(p->valuestring, "+")] = '\0';
		out = cJSON_CreateString(p->valuestring);
	} else
		out = cJSON_CreateNull();
	cJSON_Delete(c);
	return out;
}

void api_h_engine_list_get(api_req *r)
{
	int64_t page = api_query_int(r, "page", 1, INT32_MAX), size, total;
	dp_store_engine_row *rows = NULL;
	size_t n;
	dp_errbuf eb;
	cJSON *o, *arr;
	int rc;

	if (!page || !(size = api_query_int(r, "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_engine_list(r->st, r->user.workspace_pk, page, size, &rows, &n, &total,
				       &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	o = cJSON_CreateObject();
	arr = o ? cJSON_AddArrayToObject(o, "engines") : NULL;
	for (size_t i = 0; arr && i < n; i++) {
		const dp_store_engine_row *e = &rows[i];
		cJSON *it = cJSON_CreateObject();
		if (!it || !cJSON_AddStringToObject(it, "id", e->id) ||
		    !(e->latest_job_status ? cJSON_AddStringToObject(it, "latest_job_status", e->latest_job_status)
		      : cJSON_AddNullToObject(it, "latest_job_status")) ||
		    !cJSON_AddItemToObject(it, "connector_type", connector_type(e->source_connector_json)) ||
		    !cJSON_AddStringToObject(it, "source_database_status", e->source_status) ||
		    !cJSON_AddItemToArray(arr, it)) {
			cJSON_Delete(it);
			arr = NULL;
		}
	}
	dp_store_engine_rows_free(rows, n);
	if (!arr) {
		cJSON_Delete(o);
		o = NULL;
	}
	snprintf(r->total, sizeof(r->total), "%lld", (long long)total);
	api_reply(r, 200, o);
}
