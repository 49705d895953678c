/* settings/api/engine_table_put.c -
 * PUT /api/v1/engine/{engine_id}/tables/{table_name}/: set one table's
 * configuration, the engine file's table object ({mode, columns, subset,
 * default_* overrides, ...}), replacing what the table had. The whole
 * engine is validated again by the engine-file parser (errors name
 * tables.<name>.<field>) inside the update's transaction, and the change is
 * a version in the settings history. Answers {name, mode, settings} with
 * the table's effective settings. */
#include <stdlib.h>
#include <string.h>
#include "api.h"

typedef struct tput {
	const char *name;
	const cJSON *table;
	const dp_store_engine *e;
	cJSON *answer;
} tput;

static int apply(void *arg, const char *cur_s, const char *cur_t, char **s_out, char **t_out,
		 dp_errbuf *eb)
{
	tput *u = arg;
	cJSON *tables = cJSON_Parse(cur_t), *copy = cJSON_Duplicate(u->table, 1);
	dp_store_engine probe = *u->e;
	dp_job_cfg *cfg = NULL;
	int rc = DP_OK;

	(void)s_out;
	cJSON_Delete(u->answer);     /* a retried transaction */
	u->answer = NULL;
	if (!tables || !copy) {
		cJSON_Delete(tables);
		cJSON_Delete(copy);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(tables, u->name);
	if (!cJSON_AddItemToObject(tables, u->name, copy)) {
		cJSON_Delete(copy);
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	} else if (!(*t_out = cJSON_PrintUnformatted(tables))) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	cJSON_Delete(tables);
	if (rc)
		return rc;
	probe.settings_json = (char *)cur_s;
	probe.tables_json = *t_out;
	if ((rc = api_engine_cfg(&probe, &cfg, eb)))
		return rc;
	for (size_t i = 0; i < cfg->ntables; i++) {
		const dp_table_cfg *t = &cfg->tables[i];
		cJSON *o, *s;
		if (strcmp(t->name, u->name))
			continue;
		o = cJSON_CreateObject();
		s = dp_settings_to_json(&t->settings);
		if (!o || !s || !cJSON_AddStringToObject(o, "name", t->name) ||
		    !cJSON_AddStringToObject(o, "mode", dp_mode_name(t->mode)) ||
		    !cJSON_AddItemToObject(o, "settings", s)) {
			if (!cJSON_GetObjectItemCaseSensitive(o, "settings"))
				cJSON_Delete(s);
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else {
			u->answer = o;
		}
		break;
	}
	dp_job_cfg_free(cfg);
	return rc;
}

void api_h_engine_table_put(api_req *r)
{
	const char *id = api_param(r, "engine_id"), *name = api_param(r, "table_name");
	dp_store_engine e;
	dp_errbuf eb;
	cJSON *b;
	tput u;
	int rc;

	if (!api_engine_id_ok(r, id) || !(b = api_body_object(r)))
		return;
	memset(&u, 0, sizeof(u));
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_engine_get(r->st, r->user.workspace_pk, id, &e, &eb))) {
		api_fail(r, rc, &eb);
		cJSON_Delete(b);
		return;
	}
	u.name = name;
	u.table = b;
	u.e = &e;
	if ((rc = dp_store_engine_update(r->st, r->user.workspace_pk, id, r->user.name, apply, &u,
					 NULL, &eb)))
		api_fail(r, rc, &eb);
	else if (!u.answer)
		api_fail(r, DP_ERR_INTERNAL, NULL);
	else {
		api_reply(r, 200, u.answer);
		u.answer = NULL;
	}
	cJSON_Delete(u.answer);
	dp_store_engine_clear(&e);
	cJSON_Delete(b);
}
