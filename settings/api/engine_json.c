/* settings/api/engine_json.c - the stored engine as the API shows it
 * (GET /engine/{id}/ of the reference) and as an engine file. Settings
 * come out of the settings table; connectors out of the parsed engine file
 * (dp_conn_cfg), which never holds a secret here: the stored connector
 * objects have none. */
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "api.h"
#include "../engine_file.h"

int api_engine_cfg(const dp_store_engine *e, dp_job_cfg **out, dp_errbuf *eb)
{
	cJSON *doc = cJSON_Parse(e->settings_json), *src = cJSON_Parse(e->source.connector_json),
	      *tgt = cJSON_Parse(e->target.connector_json), *tab = cJSON_Parse(e->tables_json);
	char *text = NULL;
	int rc;

	*out = NULL;
	if (!doc || !src || !tgt || !tab) {
		rc = dp_fail(eb, DP_ERR_INTERNAL, "stored engine %s does not parse", e->id);
		goto out;
	}
	if (e->name && !cJSON_AddStringToObject(doc, "name", e->name)) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	cJSON_AddItemToObject(doc, "source", src);
	cJSON_AddItemToObject(doc, "target", tgt);
	cJSON_AddItemToObject(doc, "tables", tab);
	src = tgt = tab = NULL;
	if (!(text = cJSON_PrintUnformatted(doc))) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = dp_engine_parse(text, strlen(text), NULL, out, eb);
out:
	free(text);
	cJSON_Delete(doc);
	cJSON_Delete(src);
	cJSON_Delete(tgt);
	cJSON_Delete(tab);
	return rc;
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *int_or_null(int v)
{
	return v ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* one field list per object: names and values side by side */
static int add_all(cJSON *o, const char *const *names, cJSON **vals, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		if (bad || !vals[i] || !cJSON_AddItemToObject(o, names[i], vals[i])) {
			cJSON_Delete(vals[i]);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static cJSON *hooks_json(const dp_conn_cfg *c)
{
	cJSON *h = cJSON_CreateObject(), *v[3];
	static const char *const hn[] = { "SSHTunnel", "SSL", "Kerberos" };

	if (!h)
		return NULL;
	if (c->ssh.enabled) {
		static const char *const n[] = { "host", "port", "username", "local_port", "local_host" };
		cJSON *x[] = { str_or_null(c->ssh.host), int_or_null(c->ssh.port),
			       str_or_null(c->ssh.username), int_or_null(c->ssh.local_port),
			       str_or_null(c->ssh.local_host) };
		if ((v[0] = cJSON_CreateObject()) && add_all(v[0], n, x, 5)) {
			cJSON_Delete(v[0]);
			v[0] = NULL;
		} else if (!v[0]) {
			for (int i = 0; i < 5; i++)
				cJSON_Delete(x[i]);
		}
	} else {
		v[0] = cJSON_CreateNull();
	}
	if (c->ssl.mode != DP_SSL_DEFAULT || c->ssl.ca_filename || c->ssl.cert_filename ||
	    c->ssl.key_filename) {
		static const char *const n[] = { "ca_filename", "cert_filename", "key_filename",
						 "ssl_mode" };
		cJSON *x[] = { str_or_null(c->ssl.ca_filename), str_or_null(c->ssl.cert_filename),
			       str_or_null(c->ssl.key_filename),
			       str_or_null(dp_enum_name(&dp_ssl_mode_names, (int)c->ssl.mode)) };
		if ((v[1] = cJSON_CreateObject()) && add_all(v[1], n, x, 4)) {
			cJSON_Delete(v[1]);
			v[1] = NULL;
		} else if (!v[1]) {
			for (int i = 0; i < 4; i++)
				cJSON_Delete(x[i]);
		}
	} else {
		v[1] = cJSON_CreateNull();
	}
	if (c->kerberos_principal) {
		v[2] = cJSON_CreateObject();
		if (v[2] && !cJSON_AddStringToObject(v[2], "principal", c->kerberos_principal)) {
			cJSON_Delete(v[2]);
			v[2] = NULL;
		}
	} else {
		v[2] = cJSON_CreateNull();
	}
	if (add_all(h, hn, v, 3)) {
		cJSON_Delete(h);
		return NULL;
	}
	return h;
}

static cJSON *connector_json(const dp_store_db *d, const dp_conn_cfg *c, int is_source)
{
	static const char *const n[] = { "hooks_params", "is_source", "id", "database_id",
		"connector_type", "host", "database", "username", "schema_name", "port", "protocol" };
	cJSON *o = cJSON_CreateObject();
	cJSON *x[] = { hooks_json(c), cJSON_CreateBool(is_source), cJSON_CreateString(d->connector_id),
		       cJSON_CreateString(d->id), str_or_null(c->connector_type), str_or_null(c->host),
		       str_or_null(c->database), str_or_null(c->username), str_or_null(c->schema_name),
		       int_or_null(c->port), str_or_null(c->protocol) };

	if (!o) {
		for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
			cJSON_Delete(x[i]);
		return NULL;
	}
	if (add_all(o, n, x, sizeof(x) / sizeof(x[0]))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A database of the reference: both connector fields are filled, with the
 * engine's source and target connectors (is_source tells them apart). */
static cJSON *database_json(const dp_store_engine *e, const dp_store_db *d, const char *type,
			    const dp_job_cfg *cfg)
{
	static const char *const n[] = { "id", "engine_id", "name", "status", "type",
		"last_synced_at", "source_connector", "target_connector" };
	cJSON *o = cJSON_CreateObject();
	cJSON *x[] = { cJSON_CreateString(d->id), cJSON_CreateString(e->id), str_or_null(d->name),
		       cJSON_CreateString(d->status), cJSON_CreateString(type),
		       str_or_null(d->last_synced_at), connector_json(&e->source, &cfg->source, 1),
		       connector_json(&e->target, &cfg->target, 0) };

	if (!o) {
		for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
			cJSON_Delete(x[i]);
		return NULL;
	}
	if (add_all(o, n, x, sizeof(x) / sizeof(x[0]))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *api_engine_json(const dp_store_engine *e, dp_errbuf *eb)
{
	dp_settings s;
	dp_job_cfg *cfg = NULL;
	cJSON *o = NULL;
	int rc;

	if ((rc = api_settings_load(e->settings_json, &s, eb)))
		return NULL;
	if ((rc = api_engine_cfg(e, &cfg, eb)))
		goto out;
	o = dp_settings_to_json(&s);
	if (o) {
		static const char *const n[] = { "id", "created", "last_updated", "source_database",
						 "target_database", "workspace_pk" };
		cJSON *x[] = { cJSON_CreateString(e->id), cJSON_CreateString(e->created),
			       cJSON_CreateString(e->last_updated),
			       database_json(e, &e->source, "SOURCE", cfg),
			       database_json(e, &e->target, "TARGET", cfg),
			       cJSON_CreateNumber((double)e->workspace_pk) };
		if (add_all(o, n, x, sizeof(x) / sizeof(x[0]))) {
			cJSON_Delete(o);
			o = NULL;
		}
	}
	if (!o)
		dp_fail(eb, DP_ERR_NOMEM, "out of memory");
out:
	dp_job_cfg_free(cfg);
	dp_settings_clear(&s);
	return o;
}

int api_engine_id_ok(api_req *r, const char *id)
{
	size_t n = strlen(id);

	for (size_t i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i])) {
			n = 0;
			break;
		}
	}
	if (n != 36) {
		api_error(r, API_EC_NOT_FOUND, "engine_id", "no engine %.40s (ids are UUIDs)", id);
		return 0;
	}
	return 1;
}

int api_engine_load(api_req *r, dp_store_engine *e)
{
	const char *id = api_param(r, "engine_id");
	dp_errbuf eb;
	int rc;

	if (!api_engine_id_ok(r, id))
		return 0;
	dp_errbuf_clear(&eb);
	if ((rc = dp_store_engine_get(r->st, r->user.workspace_pk, id, e, &eb))) {
		api_fail(r, rc, &eb);
		return 0;
	}
	return 1;
}

int64_t api_query_int(api_req *r, const char *name, int64_t def, int64_t max)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	char *end;
	long long n;

	if (!v)
		return def;
	n = strtoll(v, &end, 10);
	if (!*v || *end || n < 1 || n > max) {
		api_error(r, API_EC_VALIDATION, name, "expected an integer in 1..%lld", (long long)max);
		return 0;
	}
	return n;
}

