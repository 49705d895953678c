/* settings/api/engine_settings_version_restore_post.c -
 * POST /api/v1/engine/{engine_id}/settings/history/{version}/restore/: the
 * settings and tables of that version become the current ones, as a new
 * version (history is never rewritten). Answers like GET settings. */
#include <stdlib.h>
#include <string.h>
#include "api.h"

typedef struct restore {
	const char *settings, *tables;
} restore;

static int apply(void *arg, const char *cur_s, const char *cur_t, char **s_out, char **t_out,
		 dp_errbuf *eb)
{
	restore *u = arg;

	(void)cur_s;
	(void)cur_t;
	*s_out = dp_strdup(u->settings);
	*t_out = dp_strdup(u->tables);
	if (!*s_out || !*t_out)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

/* a version number path parameter, or 0 with the reply made */
int64_t api_version_param(api_req *r)
{
	const char *v = api_param(r, "version");
	char *end;
	long long n = strtoll(v, &end, 10);

	if (!*v || *end || n < 1) {
		api_error(r, API_EC_NOT_FOUND, "version", "no settings version %.40s", v);
		return 0;
	}
	return n;
}

void api_h_engine_settings_version_restore_post(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	char *settings = NULL, *tables = NULL;
	restore u;
	dp_settings s;
	dp_errbuf eb;
	int64_t version, nv = 0;
	cJSON *o;
	int rc;

	if (!api_engine_id_ok(r, id) || !(version = api_version_param(r)))
		return;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_history_version(r->st, r->user.workspace_pk, id, version, &settings,
					   &tables, &eb))) {
		api_fail(r, rc, &eb);
		return;
	}
	u.settings = settings;
	u.tables = tables;
	if ((rc = dp_store_engine_update(r->st, r->user.workspace_pk, id, r->user.name, apply, &u,
					 &nv, &eb)) ||
	    (rc = api_settings_load(settings, &s, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	o = dp_settings_to_json(&s);
	dp_settings_clear(&s);
	if (o && (!cJSON_AddStringToObject(o, "id", id) || !cJSON_AddTrueToObject(o, "set_defaults"))) {
		cJSON_Delete(o);
		o = NULL;
	}
	dp_log_info("engine %s: version %lld restored as version %lld", id, (long long)version,
		    (long long)nv);
	api_reply(r, 200, o);
out:
	free(settings);
	free(tables);
}
