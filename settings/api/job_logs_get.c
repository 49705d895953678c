/* settings/api/job_logs_get.c - GET /api/v1/jobs/{job_id}/logs/
 * [?page=&page_size=&level=]: the job's log lines in order, paged; level
 * (ERROR, WARN, INFO, DEBUG) keeps that level and the more severe ones. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>
#include "api.h"

#define LOG_PAGE_DEFAULT 500
#define LOG_PAGE_MAX 5000

void api_h_job_logs_get(api_req *r)
{
	static const char *const order[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	const char *id = api_param(r, "job_id");
	const char *lv = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "level");
	const char *levels[4] = { NULL, NULL, NULL, NULL };
	int64_t page = api_query_int(r, "page", 1, INT32_MAX), size;
	int upto = 3;
	dp_errbuf eb;
	cJSON *o, *job;
	int rc;

	if (!page || !(size = api_query_int(r, "page_size", LOG_PAGE_DEFAULT, LOG_PAGE_MAX)))
		return;
	if (lv) {
		for (upto = 3; upto >= 0 && strcasecmp(lv, order[upto]); upto--)
			;
		if (upto < 0) {
			api_error(r, API_EC_VALIDATION, "level", "expected ERROR, WARN, INFO or DEBUG");
			return;
		}
	}
	for (int i = 0; i <= upto; i++)
		levels[i] = order[i];
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_job_get(r->st, r->user.workspace_pk, id, &job, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	cJSON_Delete(job);
	if ((rc = dp_store_job_logs(r->st, r->user.workspace_pk, id, page, size, levels, &o, &eb)))
		api_fail(r, rc, &eb);
	else
		api_reply(r, 200, o);
}
