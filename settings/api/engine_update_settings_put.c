/* settings/api/engine_update_settings_put.c -
 * PUT /api/v1/engine/{engine_id}/update-settings/
 *
 * Every setting is optional and nullable: null (or leaving it out) keeps
 * the value. "id" is required and must be the path's engine id.
 * "set_defaults" (default true): a default_* value given here also replaces
 * the per-table (and per-column) overrides of that setting, so every table
 * takes the new value; false: tables that override it keep their own, the
 * new value applies where a table has none. The update and its history
 * version are one store transaction (concurrent updates each get their own
 * version, in the order they committed). */
#include <stdlib.h>
#include <string.h>
#include "api.h"

typedef struct upd {
	const cJSON *body;
	int set_defaults;
	dp_settings result;
	int have_result;
} upd;

static const char *const extra[] = { "id", "set_defaults", NULL };

/* the per-table settings given (non-null) in the body leave the overrides */
static int reset_overrides(const cJSON *body, cJSON *tables)
{
	const cJSON *m;
	cJSON *t, *c;

	cJSON_ArrayForEach(m, body) {
		const dp_setting_def *d = dp_settings_find(m->string);
		if (!d || !d->per_table || cJSON_IsNull(m))
			continue;
		cJSON_ArrayForEach(t, tables) {
			cJSON_DeleteItemFromObjectCaseSensitive(t, d->name);
			if (!d->per_column)
				continue;
			cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(t, "columns"))
				cJSON_DeleteItemFromObjectCaseSensitive(c, d->name);
		}
	}
	return 0;
}

static int apply(void *arg, const char *cur_s, const char *cur_t, char **s_out, char **t_out,
		 dp_errbuf *eb)
{
	upd *u = arg;
	dp_settings s;
	int rc;

	if (u->have_result) {       /* a retried transaction */
		dp_settings_clear(&u->result);
		u->have_result = 0;
	}
	if ((rc = api_settings_load(cur_s, &s, eb)))
		return rc;
	if ((rc = api_settings_apply(&s, u->body, extra, eb)))
		goto out;
	if (!(*s_out = api_settings_text(&s))) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (u->set_defaults) {
		cJSON *t = cJSON_Parse(cur_t);
		if (!t) {
			rc = dp_fail(eb, DP_ERR_INTERNAL, "stored tables do not parse");
			goto out;
		}
		reset_overrides(u->body, t);
		*t_out = cJSON_PrintUnformatted(t);
		cJSON_Delete(t);
		if (!*t_out) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	if ((rc = dp_settings_copy(&u->result, &s)))
		rc = dp_fail(eb, rc, "out of memory");
	else
		u->have_result = 1;
out:
	dp_settings_clear(&s);
	return rc;
}

void api_h_engine_update_settings_put(api_req *r)
{
	const char *id = api_param(r, "engine_id");
	cJSON *b, *o;
	const cJSON *bid, *sd;
	upd u;
	dp_settings check;
	dp_errbuf eb;
	int64_t version = 0;
	int rc;

	if (!api_engine_id_ok(r, id) || !(b = api_body_object(r)))
		return;
	memset(&u, 0, sizeof(u));
	dp_errbuf_clear(&eb);
	bid = cJSON_GetObjectItemCaseSensitive(b, "id");
	sd = cJSON_GetObjectItemCaseSensitive(b, "set_defaults");
	if (!bid || cJSON_IsNull(bid)) {
		api_error(r, API_EC_VALIDATION, "id", "required: the engine's id");
		goto out;
	}
	if (!cJSON_IsString(bid) || strcmp(bid->valuestring, id)) {
		api_error(r, API_EC_VALIDATION, "id", "must be the engine id of the path (%s)", id);
		goto out;
	}
	if (sd && !cJSON_IsNull(sd) && !cJSON_IsBool(sd)) {
		api_error(r, API_EC_VALIDATION, "set_defaults", "expected true, false or null, got %s",
			  dp_json_type_name(sd));
		goto out;
	}
	u.body = b;
	u.set_defaults = !sd || cJSON_IsNull(sd) || cJSON_IsTrue(sd);
	/* types and ranges first, against the defaults: a bad body is a 400
	 * before any transaction starts */
	if ((rc = dp_settings_defaults(&check))) {
		api_fail(r, rc, NULL);
		goto out;
	}
	rc = api_settings_apply(&check, b, extra, &eb);
	dp_settings_clear(&check);
	if (rc) {
		api_fail(r, rc, &eb);
		goto out;
	}
	if ((rc = dp_store_engine_update(r->st, r->user.workspace_pk, id, r->user.name, apply, &u,
					 &version, &eb))) {
		api_fail(r, rc, &eb);
		goto out;
	}
	o = dp_settings_to_json(&u.result);
	if (o && (!cJSON_AddStringToObject(o, "id", id) ||
		  !cJSON_AddBoolToObject(o, "set_defaults", u.set_defaults))) {
		cJSON_Delete(o);
		o = NULL;
	}
	dp_log_info("engine %s: settings version %lld", id, (long long)version);
	api_reply(r, 200, o);
out:
	if (u.have_result)
		dp_settings_clear(&u.result);
	cJSON_Delete(b);
}
