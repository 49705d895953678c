/* settings/api/openapi.c - the OpenAPI 3.1 document, generated: paths and
 * operations from the route table, the settings schemas (EngineSettings,
 * UpdateSettings, ...) from the settings table. Only the shapes around the
 * settings (engine, database, connector, errors) are written out here. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "api.h"

#define OPENAPI_VERSION "3.1.0"
#define API_VERSION "0.1.0"

/* Shapes that are not settings, as JSON Schema text. */
static const char *const fixed_schemas[][2] = {
	{ "Error", "{\"type\":\"object\",\"required\":[\"error_code\",\"message\",\"detail\"],"
	  "\"properties\":{\"error_code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},"
	  "\"detail\":{\"type\":[\"object\",\"null\"],\"properties\":{\"field\":{\"type\":\"string\","
	  "\"description\":\"JSON path or header at fault\"},\"reason\":{\"type\":\"string\"}}}}}" },
	{ "Status", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
	  "\"status\":{\"type\":\"string\"}}}" },
	{ "Health", "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"},"
	  "\"schema_version\":{\"type\":\"integer\"}}}" },
	{ "Login", "{\"type\":\"object\",\"required\":[\"username\",\"password\"],"
	  "\"additionalProperties\":false,\"properties\":{\"username\":{\"type\":\"string\"},"
	  "\"password\":{\"type\":\"string\",\"format\":\"password\"}}}" },
	{ "LoginResponse", "{\"type\":\"object\",\"properties\":{\"username\":{\"type\":\"string\"},"
	  "\"role\":{\"type\":\"string\",\"enum\":[\"owner\",\"editor\",\"viewer\"]},"
	  "\"csrf_token\":{\"type\":\"string\",\"description\":\"send as X-CSRF-Token with every "
	  "cookie-authenticated change\"},\"expires_in\":{\"type\":\"integer\"},"
	  "\"workspace_pk\":{\"type\":\"integer\"}}}" },
	{ "EngineListItem", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\","
	  "\"format\":\"uuid\"},\"latest_job_status\":{\"type\":[\"string\",\"null\"]},"
	  "\"connector_type\":{\"type\":[\"string\",\"null\"]},\"source_database_status\":"
	  "{\"type\":\"string\",\"enum\":[\"CURRENT\",\"OUTDATED\"]}}}" },
	{ "EngineList", "{\"type\":\"object\",\"properties\":{\"engines\":{\"type\":\"array\","
	  "\"items\":{\"$ref\":\"#/components/schemas/EngineListItem\"}}}}" },
	{ "EngineDeleted", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\","
	  "\"format\":\"uuid\"},\"status\":{\"type\":\"string\"}}}" },
	{ "Connector", "{\"type\":\"object\",\"properties\":{\"hooks_params\":{\"type\":\"object\","
	  "\"properties\":{\"SSHTunnel\":{\"type\":[\"object\",\"null\"],\"properties\":{\"host\":"
	  "{\"type\":[\"string\",\"null\"]},\"port\":{\"type\":[\"integer\",\"null\"]},\"username\":"
	  "{\"type\":[\"string\",\"null\"]},\"local_port\":{\"type\":[\"integer\",\"null\"]},"
	  "\"local_host\":{\"type\":[\"string\",\"null\"]}}},\"SSL\":{\"type\":[\"object\",\"null\"],"
	  "\"properties\":{\"ca_filename\":{\"type\":[\"string\",\"null\"]},\"cert_filename\":"
	  "{\"type\":[\"string\",\"null\"]},\"key_filename\":{\"type\":[\"string\",\"null\"]},"
	  "\"ssl_mode\":{\"type\":[\"string\",\"null\"]}}},\"Kerberos\":{\"type\":[\"object\",\"null\"],"
	  "\"properties\":{\"principal\":{\"type\":\"string\"}}}}},\"is_source\":{\"type\":\"boolean\"},"
	  "\"id\":{\"type\":\"string\",\"format\":\"uuid\"},\"database_id\":{\"type\":\"string\","
	  "\"format\":\"uuid\"},\"connector_type\":{\"type\":[\"string\",\"null\"]},\"host\":{\"type\":"
	  "[\"string\",\"null\"]},\"database\":{\"type\":[\"string\",\"null\"]},\"username\":{\"type\":"
	  "[\"string\",\"null\"]},\"schema_name\":{\"type\":[\"string\",\"null\"]},\"port\":{\"type\":"
	  "[\"integer\",\"null\"]},\"protocol\":{\"type\":[\"string\",\"null\"]}}}" },
	{ "Database", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"format\":"
	  "\"uuid\"},\"engine_id\":{\"type\":\"string\",\"format\":\"uuid\"},\"name\":{\"type\":"
	  "[\"string\",\"null\"]},\"status\":{\"type\":\"string\",\"enum\":[\"CURRENT\",\"OUTDATED\"]},"
	  "\"type\":{\"type\":\"string\",\"enum\":[\"SOURCE\",\"TARGET\"]},\"last_synced_at\":{\"type\":"
	  "[\"string\",\"null\"],\"format\":\"date-time\"},\"source_connector\":{\"$ref\":"
	  "\"#/components/schemas/Connector\"},\"target_connector\":{\"$ref\":"
	  "\"#/components/schemas/Connector\"}}}" },
	{ "EngineCreate", "{\"type\":\"object\",\"required\":[\"name\",\"source\",\"target\"],"
	  "\"description\":\"An engine file object: name, source, target, any engine setting, "
	  "tables. Passwords only as password (never _env/_file).\",\"properties\":{\"name\":"
	  "{\"type\":\"string\"},\"source\":{\"type\":\"object\"},\"target\":{\"type\":\"object\"},"
	  "\"tables\":{\"type\":\"object\"}}}" },
	{ "SettingsHistory", "{\"type\":\"object\",\"properties\":{\"versions\":{\"type\":\"array\","
	  "\"items\":{\"type\":\"object\",\"properties\":{\"version\":{\"type\":\"integer\"},"
	  "\"created\":{\"type\":\"string\",\"format\":\"date-time\"},\"user\":{\"type\":[\"string\","
	  "\"null\"]},\"settings\":{\"$ref\":\"#/components/schemas/EngineSettings\"}}}}}}" },
	{ "EngineTables", "{\"type\":\"object\",\"properties\":{\"tables\":{\"type\":\"array\","
	  "\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"mode\":"
	  "{\"type\":\"string\"},\"settings\":{\"$ref\":\"#/components/schemas/EngineSettings\"}}}}}}" },
	{ "EngineTable", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
	  "\"mode\":{\"type\":\"string\"},\"settings\":{\"$ref\":\"#/components/schemas/EngineSettings\"}}}" },
	{ "TableConfig", "{\"type\":\"object\",\"description\":\"A table object of the engine file: "
	  "mode (SYNTHESIZE, DE_IDENTIFY, DUPLICATE, SUBSET, EXCLUDE), columns, subset, any default_* "
	  "setting as an override\",\"properties\":{\"mode\":{\"type\":\"string\"},\"columns\":"
	  "{\"type\":\"object\"},\"subset\":{\"type\":\"object\"}}}" },
	{ "SettingsDiff", "{\"type\":\"object\",\"properties\":{\"from\":{\"type\":\"integer\"},"
	  "\"to\":{\"type\":\"integer\"},\"changes\":{\"type\":\"array\",\"items\":{\"type\":"
	  "\"object\",\"properties\":{\"setting\":{\"type\":\"string\"},\"from\":{},\"to\":{}}}}}}" },
	{ "Job", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"engine_id\":"
	  "{\"type\":\"string\"},\"status\":{\"type\":\"string\",\"enum\":[\"QUEUED\",\"STARTED\","
	  "\"SUCCESS\",\"FAILED\",\"CANCELLED\",\"INTERRUPTED\"]},\"user\":{\"type\":[\"string\","
	  "\"null\"]},\"created\":{\"type\":\"string\"},\"started\":{\"type\":[\"string\",\"null\"]},"
	  "\"finished\":{\"type\":[\"string\",\"null\"]},\"error\":{\"type\":[\"string\",\"null\"]},"
	  "\"cancel_reason\":{\"type\":[\"string\",\"null\"]},\"target_state\":{\"type\":[\"string\","
	  "\"null\"]},\"progress\":{\"type\":[\"object\",\"null\"]}}}" },
	{ "JobList", "{\"type\":\"object\",\"properties\":{\"jobs\":{\"type\":\"array\",\"items\":"
	  "{\"$ref\":\"#/components/schemas/Job\"}}}}" },
	{ "JobLogs", "{\"type\":\"object\",\"properties\":{\"lines\":{\"type\":\"array\",\"items\":"
	  "{\"type\":\"object\",\"properties\":{\"seq\":{\"type\":\"integer\"},\"level\":{\"type\":"
	  "\"string\"},\"at\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}}}}}}" },
	{ "JobCancel", "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":"
	  "{\"reason\":{\"type\":\"string\"}}}" },
	{ "Choice", "{\"type\":\"object\",\"properties\":{\"available\":{\"type\":\"array\","
	  "\"items\":{\"type\":\"string\"}},\"default\":{\"type\":\"string\"}}}" },
	{ "InitializationModes", "{\"type\":\"object\",\"properties\":{\"initialization_modes\":"
	  "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
	  "\"string\"},\"key_generation_method\":{\"$ref\":\"#/components/schemas/Choice\"},"
	  "\"default_locale\":{\"$ref\":\"#/components/schemas/Choice\"}}}}}}" },
	{ "ApiKeyCreate", "{\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,"
	  "\"properties\":{\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\",\"enum\":"
	  "[\"owner\",\"editor\",\"viewer\"]}}}" },
	{ "ApiKeyCreated", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
	  "\"name\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},\"key\":{\"type\":\"string\","
	  "\"description\":\"shown once\"}}}" },
	{ "UserCreate", "{\"type\":\"object\",\"required\":[\"username\",\"password\",\"role\"],"
	  "\"additionalProperties\":false,\"properties\":{\"username\":{\"type\":\"string\"},"
	  "\"password\":{\"type\":\"string\",\"format\":\"password\",\"minLength\":8},"
	  "\"role\":{\"type\":\"string\",\"enum\":[\"owner\",\"editor\",\"viewer\"]}}}" },
	{ "UserCreated", "{\"type\":\"object\",\"properties\":{\"username\":{\"type\":\"string\"},"
	  "\"role\":{\"type\":\"string\"}}}" },
	{ "UserList", "{\"type\":\"object\",\"properties\":{\"users\":{\"type\":\"array\","
	  "\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
	  "\"username\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},\"workspace_pk\":"
	  "{\"type\":\"integer\"},\"created\":{\"type\":\"string\"}}}}}}" },
	{ "ApiKeyList", "{\"type\":\"object\",\"properties\":{\"api_keys\":{\"type\":\"array\","
	  "\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"name\":"
	  "{\"type\":[\"string\",\"null\"]},\"role\":{\"type\":\"string\"},\"user\":{\"type\":"
	  "\"string\"},\"created\":{\"type\":\"string\"},\"revoked\":{\"type\":[\"string\",\"null\"]}}}}}}" },
};

static cJSON *enum_of(const dp_enum_table *t)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < t->n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(t->names[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

/* The JSON Schema of one setting, from its row. */
static cJSON *setting_schema(const dp_setting_def *d, int with_default)
{
	cJSON *s = cJSON_CreateObject(), *x;
	int ok = s != NULL;

	switch (d->kind) {
	case DP_SK_BOOL:
		ok = ok && cJSON_AddStringToObject(s, "type", "boolean");
		break;
	case DP_SK_INT:
		ok = ok && cJSON_AddStringToObject(s, "type", "integer") &&
		     cJSON_AddNumberToObject(s, "minimum", d->min) &&
		     cJSON_AddNumberToObject(s, "maximum", d->max);
		break;
	case DP_SK_SEED:
		ok = ok && (x = cJSON_AddArrayToObject(s, "type")) &&
		     cJSON_AddItemToArray(x, cJSON_CreateString("integer")) &&
		     cJSON_AddItemToArray(x, cJSON_CreateString("string")) &&
		     cJSON_AddStringToObject(s, "pattern", "^-?[0-9]+$");
		break;
	case DP_SK_NUM:
		ok = ok && cJSON_AddStringToObject(s, "type", "number") &&
		     cJSON_AddNumberToObject(s, "minimum", d->min) &&
		     cJSON_AddNumberToObject(s, "maximum", d->max);
		break;
	case DP_SK_STR:
		ok = ok && cJSON_AddStringToObject(s, "type", "string");
		break;
	case DP_SK_CHOICE:
		ok = ok && cJSON_AddStringToObject(s, "type", "string") &&
		     cJSON_AddItemToObject(s, "enum", enum_of(d->choices));
		break;
	case DP_SK_STRLIST: {
		cJSON *items = cJSON_CreateObject();
		ok = ok && cJSON_AddStringToObject(s, "type", "array") && items &&
		     cJSON_AddItemToObject(s, "items", items) &&
		     cJSON_AddStringToObject(items, "type", "string") &&
		     (!d->choices || cJSON_AddItemToObject(items, "enum", enum_of(d->choices)));
		if (!ok && items && !cJSON_GetObjectItemCaseSensitive(s, "items"))
			cJSON_Delete(items);
		break;
	}
	case DP_SK_CHOICE_OR_LIST: {
		cJSON *any = ok ? cJSON_AddArrayToObject(s, "anyOf") : NULL;
		cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject(), *items = cJSON_CreateObject();
		ok = any && a && b && items && cJSON_AddItemToArray(any, a) && (a = NULL, 1) &&
		     cJSON_AddItemToArray(any, b) && (x = b, b = NULL, 1) &&
		     cJSON_AddStringToObject(cJSON_GetArrayItem(any, 0), "type", "string") &&
		     cJSON_AddItemToObject(cJSON_GetArrayItem(any, 0), "enum", enum_of(d->choices)) &&
		     cJSON_AddStringToObject(x, "type", "array") &&
		     cJSON_AddItemToObject(x, "items", items) && (items = NULL, 1) &&
		     cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(x, "items"), "type", "string");
		cJSON_Delete(a);
		cJSON_Delete(b);
		cJSON_Delete(items);
		break;
	}
	case DP_SK_OBJECT: {
		cJSON *props = ok ? cJSON_CreateObject() : NULL;
		ok = props && cJSON_AddStringToObject(s, "type", "object") &&
		     cJSON_AddItemToObject(s, "properties", props) &&
		     cJSON_AddFalseToObject(s, "additionalProperties");
		if (!ok && props && !cJSON_GetObjectItemCaseSensitive(s, "properties"))
			cJSON_Delete(props);
		for (size_t i = 0; ok && i < d->nfields; i++) {
			cJSON *f = setting_schema(&d->fields[i], 0);
			ok = f && cJSON_AddItemToObject(props, d->fields[i].name, f);
			if (!ok)
				cJSON_Delete(f);
		}
		break;
	}
	}
	if (ok && d->doc)
		ok = cJSON_AddStringToObject(s, "description", d->doc) != NULL;
	if (ok && with_default && d->def) {
		cJSON *v = cJSON_Parse(d->def);
		ok = v && cJSON_AddItemToObject(s, "default", v);
		if (!ok)
			cJSON_Delete(v);
	}
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

/* properties of every setting; nullable: each anyOf [schema, null] with
 * default null (the update body) */
static cJSON *settings_object(int nullable, const char *const *extra_props, int engine_shape)
{
	size_t n;
	const dp_setting_def *defs = dp_settings_defs(&n);
	cJSON *o = cJSON_CreateObject(), *props = o ? cJSON_AddObjectToObject(o, "properties") : NULL;

	if (!props || !cJSON_AddStringToObject(o, "type", "object")) {
		cJSON_Delete(o);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *s = setting_schema(&defs[i], !nullable), *p = s;
		if (s && nullable) {
			cJSON *any, *nul;
			p = cJSON_CreateObject();
			any = p ? cJSON_AddArrayToObject(p, "anyOf") : NULL;
			nul = cJSON_CreateObject();
			if (!any || !nul || !cJSON_AddItemToArray(any, s) || (s = NULL, 0) ||
			    !cJSON_AddStringToObject(nul, "type", "null") ||
			    !cJSON_AddItemToArray(any, nul) || (nul = NULL, 0) ||
			    !cJSON_AddNullToObject(p, "default")) {
				cJSON_Delete(nul);
				cJSON_Delete(s);
				cJSON_Delete(p);
				p = NULL;
			}
		}
		if (!p || !cJSON_AddItemToObject(props, defs[i].name, p)) {
			cJSON_Delete(p);
			cJSON_Delete(o);
			return NULL;
		}
	}
	for (; extra_props && extra_props[0]; extra_props += 2) {
		cJSON *v = cJSON_Parse(extra_props[1]);
		if (!v || !cJSON_AddItemToObject(props, extra_props[0], v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	(void)engine_shape;
	return o;
}

static int add_schema(cJSON *schemas, const char *name, cJSON *s)
{
	if (!s || !cJSON_AddItemToObject(schemas, name, s)) {
		cJSON_Delete(s);
		return -1;
	}
	return 0;
}

static cJSON *ref(const char *name)
{
	char t[200];
	cJSON *o = cJSON_CreateObject();

	snprintf(t, sizeof(t), "#/components/schemas/%s", name);
	if (o && !cJSON_AddStringToObject(o, "$ref", t)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* {"description": d, "content": {"application/json": {"schema": schema}}} */
static cJSON *json_content(const char *desc, cJSON *schema)
{
	cJSON *r = cJSON_CreateObject(), *c, *m;

	if (!r || !schema || !cJSON_AddStringToObject(r, "description", desc) ||
	    !(c = cJSON_AddObjectToObject(r, "content")) ||
	    !(m = cJSON_AddObjectToObject(c, "application/json")) ||
	    !cJSON_AddItemToObject(m, "schema", schema)) {
		cJSON_Delete(r);
		cJSON_Delete(schema);
		return NULL;
	}
	return r;
}

static int add_error(cJSON *responses, const char *code, const char *desc)
{
	cJSON *e = json_content(desc, ref("Error"));
	return e && cJSON_AddItemToObject(responses, code, e) ? 0 : (cJSON_Delete(e), -1);
}

static cJSON *operation(const api_route *rt)
{
	cJSON *op = cJSON_CreateObject(), *resp, *tags, *params;
	char code[8];
	const char *p;
	int ok = op != NULL;

	ok = ok && cJSON_AddStringToObject(op, "operationId", rt->op_id) &&
	     cJSON_AddStringToObject(op, "summary", rt->summary) &&
	     (tags = cJSON_AddArrayToObject(op, "tags")) &&
	     cJSON_AddItemToArray(tags, cJSON_CreateString(rt->tag));
	if (ok && (rt->flags & API_F_PUBLIC)) {
		ok = cJSON_AddArrayToObject(op, "security") != NULL;
	}
	/* path parameters, in order */
	if (ok && strchr(rt->path, '{')) {
		ok = (params = cJSON_AddArrayToObject(op, "parameters")) != NULL;
		for (p = rt->path; ok && (p = strchr(p, '{')); p++) {
			const char *e = strchr(p, '}');
			char nm[64];
			cJSON *pa = cJSON_CreateObject(), *sc;
			snprintf(nm, sizeof(nm), "%.*s", (int)(e - p - 1), p + 1);
			ok = pa && cJSON_AddItemToArray(params, pa) && cJSON_AddStringToObject(pa, "name", nm) &&
			     cJSON_AddStringToObject(pa, "in", "path") && cJSON_AddTrueToObject(pa, "required") &&
			     (sc = cJSON_AddObjectToObject(pa, "schema")) &&
			     cJSON_AddStringToObject(sc, "type", "string");
			if (!ok && pa && !cJSON_GetArraySize(params))
				cJSON_Delete(pa);
		}
	}
	if (ok && rt->req_schema) {
		cJSON *rb = json_content("JSON body", ref(rt->req_schema));
		ok = rb && cJSON_AddItemToObject(op, "requestBody", rb) &&
		     cJSON_AddTrueToObject(rb, "required");
		if (!ok && rb && !cJSON_GetObjectItemCaseSensitive(op, "requestBody"))
			cJSON_Delete(rb);
	}
	ok = ok && (resp = cJSON_AddObjectToObject(op, "responses"));
	if (ok) {
		cJSON *okr;
		snprintf(code, sizeof(code), "%u", rt->ok_status);
		if (rt->resp_schema) {
			okr = json_content("Success", ref(rt->resp_schema));
		} else {
			cJSON *any = cJSON_CreateObject();
			if (any && !cJSON_AddStringToObject(any, "type", "object")) {
				cJSON_Delete(any);
				any = NULL;
			}
			okr = json_content("Success", any);
		}
		ok = okr && cJSON_AddItemToObject(resp, code, okr);
		if (!ok)
			cJSON_Delete(okr);
	}
	if (ok && (rt->flags & API_F_BODY))
		ok = !add_error(resp, "400", "Invalid JSON or a field is invalid (detail.field)") &&
		     !add_error(resp, "413", "Body too large") &&
		     !add_error(resp, "415", "Not application/json");
	if (ok && !(rt->flags & API_F_PUBLIC))
		ok = !add_error(resp, "401", "Not authenticated") &&
		     !add_error(resp, "403", "Role too low, or cookie auth without X-CSRF-Token");
	else if (ok && !strcmp(rt->op_id, "login"))
		ok = !add_error(resp, "401", "Wrong user name or password") &&
		     !add_error(resp, "429", "Too many failed logins from this address");
	if (ok && strchr(rt->path, '{'))
		ok = !add_error(resp, "404", "No such object");
	if (ok && !strcmp(rt->op_id, "cancel_job"))
		ok = !add_error(resp, "409", "The job has ended");
	if (ok && (!strcmp(rt->op_id, "create_user") || !strcmp(rt->op_id, "delete_user")))
		ok = !add_error(resp, "409", "Name taken, or the last owner");
	if (ok && !strcmp(rt->op_id, "create_engine"))
		ok = !add_error(resp, "422", "Cannot be stored (a password without a master key)");
	/* every operation names a client error (health, public, has none
	 * of its own: any 4xx is the caller's) */
	if (ok && (rt->flags & API_F_PUBLIC) && !(rt->flags & API_F_BODY) && !strchr(rt->path, '{'))
		ok = !add_error(resp, "4XX", "Client error");
	if (ok)
		ok = !add_error(resp, "default", "Error");
	if (!ok) {
		cJSON_Delete(op);
		return NULL;
	}
	return op;
}

cJSON *api_openapi(void)
{
	static const char *const resp_extra[] = {
		"id", "{\"type\":\"string\",\"format\":\"uuid\"}",
		"set_defaults", "{\"type\":\"boolean\"}", NULL };
	static const char *const upd_extra[] = {
		"id", "{\"type\":\"string\",\"format\":\"uuid\",\"description\":\"the path's engine id\"}",
		"set_defaults", "{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"null\"}],\"default\":true,"
		"\"description\":\"true: given default_* values also replace the per-table overrides; "
		"false: they apply only where a table has none\"}", NULL };
	static const char *const engine_extra[] = {
		"id", "{\"type\":\"string\",\"format\":\"uuid\"}",
		"created", "{\"type\":\"string\",\"format\":\"date-time\"}",
		"last_updated", "{\"type\":\"string\",\"format\":\"date-time\"}",
		"source_database", "{\"$ref\":\"#/components/schemas/Database\"}",
		"target_database", "{\"$ref\":\"#/components/schemas/Database\"}",
		"workspace_pk", "{\"type\":\"integer\"}", NULL };
	cJSON *doc = cJSON_CreateObject(), *info, *comp, *schemas, *sec, *paths, *s, *secreq, *srv,
	      *srv1;
	size_t n;
	const api_route *rt = api_routes(&n);

	if (!doc || !cJSON_AddStringToObject(doc, "openapi", OPENAPI_VERSION) ||
	    !(info = cJSON_AddObjectToObject(doc, "info")) ||
	    !cJSON_AddStringToObject(info, "title", "doppel engine-settings API") ||
	    !cJSON_AddStringToObject(info, "version", API_VERSION) ||
	    !(srv = cJSON_AddArrayToObject(doc, "servers")) ||
	    !cJSON_AddItemToArray(srv, srv1 = cJSON_CreateObject()) ||
	    !cJSON_AddStringToObject(srv1, "url", "/") ||
	    !cJSON_AddStringToObject(srv1, "description", "the doppel serve answering this document") ||
	    !(paths = cJSON_AddObjectToObject(doc, "paths")) ||
	    !(comp = cJSON_AddObjectToObject(doc, "components")) ||
	    !(schemas = cJSON_AddObjectToObject(comp, "schemas")) ||
	    !(sec = cJSON_AddObjectToObject(comp, "securitySchemes")) ||
	    !(s = cJSON_AddObjectToObject(sec, "sessionid")) ||
	    !cJSON_AddStringToObject(s, "type", "apiKey") || !cJSON_AddStringToObject(s, "in", "cookie") ||
	    !cJSON_AddStringToObject(s, "name", "sessionid") ||
	    !cJSON_AddStringToObject(s, "description", "Log in using the POST /api/v1/auth/ endpoint") ||
	    !(s = cJSON_AddObjectToObject(sec, "apiKey")) ||
	    !cJSON_AddStringToObject(s, "type", "apiKey") || !cJSON_AddStringToObject(s, "in", "header") ||
	    !cJSON_AddStringToObject(s, "name", "Authorization") ||
	    !cJSON_AddStringToObject(s, "description", "Authorization: Api-Key <key>") ||
	    !(secreq = cJSON_AddArrayToObject(doc, "security")))
		goto fail;
	{
		cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();
		if (!a || !b || !cJSON_AddArrayToObject(a, "sessionid") || !cJSON_AddArrayToObject(b, "apiKey") ||
		    !cJSON_AddItemToArray(secreq, a) || (a = NULL, !cJSON_AddItemToArray(secreq, b))) {
			cJSON_Delete(a);
			cJSON_Delete(b);
			goto fail;
		}
	}
	for (size_t i = 0; i < sizeof(fixed_schemas) / sizeof(fixed_schemas[0]); i++)
		if (add_schema(schemas, fixed_schemas[i][0], cJSON_Parse(fixed_schemas[i][1])))
			goto fail;
	if (add_schema(schemas, "EngineSettings", settings_object(0, NULL, 0)) ||
	    add_schema(schemas, "EngineSettingsResponse", settings_object(0, resp_extra, 0)) ||
	    add_schema(schemas, "UpdateSettings", settings_object(1, upd_extra, 0)) ||
	    add_schema(schemas, "Engine", settings_object(0, engine_extra, 1)))
		goto fail;
	{
		cJSON *req = cJSON_CreateArray(), *u = cJSON_GetObjectItemCaseSensitive(schemas, "UpdateSettings");
		if (!req || !cJSON_AddItemToArray(req, cJSON_CreateString("id")) ||
		    !cJSON_AddItemToObject(u, "required", req)) {
			cJSON_Delete(req);
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *item = cJSON_GetObjectItemCaseSensitive(paths, rt[i].path), *op;
		char m[16];
		size_t k;
		if (!item && !(item = cJSON_AddObjectToObject(paths, rt[i].path)))
			goto fail;
		for (k = 0; rt[i].method[k] && k < sizeof(m) - 1; k++)
			m[k] = (char)tolower((unsigned char)rt[i].method[k]);
		m[k] = '\0';
		if (!(op = operation(&rt[i])) || !cJSON_AddItemToObject(item, m, op)) {
			cJSON_Delete(op);
			goto fail;
		}
	}
	return doc;
fail:
	cJSON_Delete(doc);
	return NULL;
}

void dp_api_print_openapi(FILE *f)
{
	cJSON *d = api_openapi();
	char *t = d ? cJSON_Print(d) : NULL;

	fprintf(f, "%s\n", t ? t : "{}");
	cJSON_free(t);
	cJSON_Delete(d);
}
