/* settings/engine_file.c - parse and validate an engine file. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "engine_file.h"
#include "settings_table.h"
#include "../base/dp_buf.h"
#include "../engine/generators.h"

#define MAX_ENGINE_FILE ((size_t)16 << 20)

typedef struct pctx {
	const char *base_dir;
	dp_errbuf *eb;
} pctx;

static int want_obj(const cJSON *v, const char *path, dp_errbuf *eb)
{
	if (!cJSON_IsObject(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an object, got %s", path, dp_json_type_name(v));
	return DP_OK;
}

static int get_str(const cJSON *v, const char *path, char **out, dp_errbuf *eb)
{
	char *s;
	if (!cJSON_IsString(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a string, got %s", path, dp_json_type_name(v));
	s = dp_strdup(v->valuestring);
	if (!s)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	free(*out);
	*out = s;
	return DP_OK;
}

static int get_port(const cJSON *v, const char *path, int *out, dp_errbuf *eb)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 ||
	    v->valuedouble > 65535)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in 1..65535", path);
	*out = (int)v->valuedouble;
	return DP_OK;
}

/* seconds in 1..86400 (timeouts of target sessions) */
static int get_seconds(const cJSON *v, const char *path, int *out, dp_errbuf *eb)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 ||
	    v->valuedouble > 86400)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected whole seconds in 1..86400", path);
	*out = (int)v->valuedouble;
	return DP_OK;
}

/* "x/y" relative to base_dir */
static char *resolve(const pctx *p, const char *f)
{
	dp_buf b = DP_BUF_INIT;
	if (f[0] == '/' || !p->base_dir || !*p->base_dir || !strcmp(p->base_dir, "."))
		return dp_strdup(f);
	if (dp_buf_printf(&b, "%s/%s", p->base_dir, f)) {
		dp_buf_free(&b);
		return NULL;
	}
	return dp_buf_steal(&b);
}

static int read_secret_file(const pctx *p, const char *file, const char *path, char **out)
{
	char *full = resolve(p, file);
	FILE *f;
	char buf[4096];
	size_t n;

	if (!full)
		return dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	f = fopen(full, "r");
	if (!f) {
		int rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: cannot read %s: %s", path, full,
				 strerror(errno));
		free(full);
		return rc;
	}
	free(full);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	dp_secret_free(*out);
	*out = dp_strdup(buf);
	memset(buf, 0, sizeof(buf));
	return *out ? DP_OK : dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
}

static int secret(const pctx *p, const cJSON *obj, const char *key, const char *path, char **out)
{
	char kp[600];
	const cJSON *v;

	snprintf(kp, sizeof(kp), "%s.%s", path, key);
	if ((v = cJSON_GetObjectItemCaseSensitive(obj, key))) {
		if (!cJSON_IsString(v))
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s: expected a string", kp);
		dp_secret_free(*out);
		*out = dp_strdup(v->valuestring);
		return *out ? DP_OK : dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	}
	snprintf(kp, sizeof(kp), "%s.%s_env", path, key);
	if ((v = cJSON_GetObjectItemCaseSensitive(obj, strrchr(kp, '.') + 1))) {
		const char *e;
		if (!cJSON_IsString(v))
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s: expected a variable name", kp);
		e = getenv(v->valuestring);
		if (!e)
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s: environment variable %s is not set", kp,
				       v->valuestring);
		dp_secret_free(*out);
		*out = dp_strdup(e);
		return *out ? DP_OK : dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	}
	snprintf(kp, sizeof(kp), "%s.%s_file", path, key);
	if ((v = cJSON_GetObjectItemCaseSensitive(obj, strrchr(kp, '.') + 1))) {
		if (!cJSON_IsString(v))
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s: expected a file name", kp);
		return read_secret_file(p, v->valuestring, kp, out);
	}
	return DP_OK;
}

static int is_secret_key(const char *k, const char *base)
{
	size_t n = strlen(base);
	return !strncmp(k, base, n) && (!k[n] || !strcmp(k + n, "_env") || !strcmp(k + n, "_file"));
}

static int parse_ssh(const pctx *p, const cJSON *o, const char *path, dp_ssh_cfg *s)
{
	const cJSON *e;
	char kp[600];
	int rc = want_obj(o, path, p->eb);

	if (rc)
		return rc;
	s->enabled = 1;
	s->port = 22;
	cJSON_ArrayForEach(e, o) {
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strcmp(e->string, "host")) rc = get_str(e, kp, &s->host, p->eb);
		else if (!strcmp(e->string, "port")) rc = get_port(e, kp, &s->port, p->eb);
		else if (!strcmp(e->string, "username")) rc = get_str(e, kp, &s->username, p->eb);
		else if (!strcmp(e->string, "private_key_file")) rc = get_str(e, kp, &s->private_key_file, p->eb);
		else if (!strcmp(e->string, "known_hosts_file")) rc = get_str(e, kp, &s->known_hosts_file, p->eb);
		else if (!strcmp(e->string, "host_key_fingerprint")) rc = get_str(e, kp, &s->host_key_fingerprint, p->eb);
		else if (!strcmp(e->string, "local_host")) rc = get_str(e, kp, &s->local_host, p->eb);
		else if (!strcmp(e->string, "local_port")) rc = get_port(e, kp, &s->local_port, p->eb);
		else if (is_secret_key(e->string, "password") || is_secret_key(e->string, "private_key_password"))
			continue;
		else
			rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: unknown field (known: host, port, username, "
				     "password[_env|_file], private_key_file, private_key_password[_env|_file], "
				     "known_hosts_file, host_key_fingerprint, local_host, local_port)", kp);
		if (rc)
			return rc;
	}
	rc = secret(p, o, "password", path, &s->password);
	if (!rc)
		rc = secret(p, o, "private_key_password", path, &s->private_key_password);
	if (!rc && !s->host)
		rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s.host: missing", path);
	return rc;
}

static int parse_ssl(const pctx *p, const cJSON *o, const char *path, dp_ssl_cfg *s)
{
	static const char *const modes[] = { "disable", "require", "verify-ca", "verify-full" };
	const cJSON *e;
	char kp[600];
	int rc = want_obj(o, path, p->eb);

	cJSON_ArrayForEach(e, o) {
		if (rc)
			break;
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strcmp(e->string, "ssl_mode")) {
			int found = 0;
			for (int i = 0; i < 4 && cJSON_IsString(e); i++)
				if (!strcmp(modes[i], e->valuestring)) {
					s->mode = (dp_ssl_mode)(i + 1);
					found = 1;
				}
			if (!found)
				rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: expected one of disable, require, "
					     "verify-ca, verify-full", kp);
		} else if (!strcmp(e->string, "ca_filename")) rc = get_str(e, kp, &s->ca_filename, p->eb);
		else if (!strcmp(e->string, "cert_filename")) rc = get_str(e, kp, &s->cert_filename, p->eb);
		else if (!strcmp(e->string, "key_filename")) rc = get_str(e, kp, &s->key_filename, p->eb);
		else
			rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: unknown field (known: ssl_mode, ca_filename, "
				     "cert_filename, key_filename)", kp);
	}
	return rc;
}

static int parse_conn(const pctx *p, const cJSON *o, const char *path, dp_conn_cfg *c)
{
	const cJSON *e;
	char kp[600];
	int rc = want_obj(o, path, p->eb);

	if (rc)
		return rc;
	cJSON_ArrayForEach(e, o) {
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strcmp(e->string, "connector_type")) rc = get_str(e, kp, &c->connector_type, p->eb);
		else if (!strcmp(e->string, "protocol")) rc = get_str(e, kp, &c->protocol, p->eb);
		else if (!strcmp(e->string, "host")) rc = get_str(e, kp, &c->host, p->eb);
		else if (!strcmp(e->string, "port")) rc = get_port(e, kp, &c->port, p->eb);
		else if (!strcmp(e->string, "database")) rc = get_str(e, kp, &c->database, p->eb);
		else if (!strcmp(e->string, "username")) rc = get_str(e, kp, &c->username, p->eb);
		else if (!strcmp(e->string, "schema_name")) rc = get_str(e, kp, &c->schema_name, p->eb);
		else if (!strcmp(e->string, "dsn")) rc = get_str(e, kp, &c->dsn, p->eb);
		else if (!strcmp(e->string, "connection_string")) rc = get_str(e, kp, &c->connection_string, p->eb);
		else if (!strcmp(e->string, "lock_timeout_seconds")) rc = get_seconds(e, kp, &c->lock_timeout, p->eb);
		else if (!strcmp(e->string, "statement_timeout_seconds"))
			rc = get_seconds(e, kp, &c->statement_timeout, p->eb);
		else if (is_secret_key(e->string, "password"))
			continue;
		else if (!strcmp(e->string, "hooks_params")) {
			const cJSON *h;
			rc = want_obj(e, kp, p->eb);
			cJSON_ArrayForEach(h, e) {
				char hp[700];
				if (rc)
					break;
				snprintf(hp, sizeof(hp), "%s.%s", kp, h->string);
				if (!strcmp(h->string, "SSHTunnel"))
					rc = parse_ssh(p, h, hp, &c->ssh);
				else if (!strcmp(h->string, "SSL"))
					rc = parse_ssl(p, h, hp, &c->ssl);
				else if (!strcmp(h->string, "Kerberos")) {
					const cJSON *pr = cJSON_GetObjectItemCaseSensitive(h, "principal");
					rc = want_obj(h, hp, p->eb);
					if (!rc && (!pr || cJSON_GetArraySize(h) != 1))
						rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: expected {\"principal\": \"...\"}", hp);
					if (!rc) {
						snprintf(hp, sizeof(hp), "%s.Kerberos.principal", kp);
						rc = get_str(pr, hp, &c->kerberos_principal, p->eb);
					}
				} else
					rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: unknown hook (known: SSHTunnel, SSL, "
						     "Kerberos)", hp);
			}
		} else
			rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: unknown field (known: connector_type, protocol, "
				     "host, port, database, username, password[_env|_file], schema_name, dsn, "
				     "connection_string, lock_timeout_seconds, statement_timeout_seconds, "
				     "hooks_params)", kp);
		if (rc)
			return rc;
	}
	rc = secret(p, o, "password", path, &c->password);
	if (rc)
		return rc;
	/* SQLAlchemy-style protocol: "postgresql+psycopg2" -> "postgresql" */
	if (!c->connector_type && c->protocol) {
		size_t n = strcspn(c->protocol, "+");
		c->connector_type = strndup(c->protocol, n);
		if (!c->connector_type)
			return dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	}
	if (!c->connector_type)
		return dp_fail(p->eb, DP_ERR_CONFIG, "%s.connector_type: missing (sqlite, postgresql, "
			       "mysql, odbc, mssql)", path);
	if (!strcmp(c->connector_type, "sqlite") || !strcmp(c->connector_type, "sqlite3")) {
		char *full;
		if (!c->database)
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s.database: missing (the SQLite file)", path);
		if (!strncmp(c->database, "file:", 5)) {
			/* a URI: absolute ones stay; file:rel.db is relative to the
			 * engine file like a plain path (the driver resolves the rest) */
			const char *rest = c->database + 5;
			char *r = rest[0] == '/' ? NULL : resolve(p, rest);
			dp_buf b = DP_BUF_INIT;
			if (rest[0] == '/')
				full = dp_strdup(c->database);
			else if (!r || dp_buf_puts(&b, "file:") || dp_buf_puts(&b, r))
				full = NULL;
			else
				full = dp_buf_steal(&b);
			free(r);
			dp_buf_free(&b);
		} else {
			full = resolve(p, c->database);
		}
		if (!full)
			return dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
		free(c->database);
		c->database = full;
	}
	return DP_OK;
}

static int apply_setting_or_fail(dp_settings *s, const cJSON *e, const char *path, int top,
				 dp_errbuf *eb)
{
	const dp_setting_def *d = dp_settings_find(e->string);

	if (!d || (!top && !d->per_table))
		return 1;   /* not a setting here */
	return dp_settings_set_json(s, d, e, path, eb);
}

static int parse_columns(const cJSON *o, const char *path, dp_table_cfg *t, dp_errbuf *eb)
{
	const cJSON *e;
	size_t n = (size_t)cJSON_GetArraySize(o), i = 0;
	int rc = want_obj(o, path, eb);

	if (rc)
		return rc;
	t->cols = calloc(n ? n : 1, sizeof(*t->cols));
	if (!t->cols)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, o) {
		dp_column_cfg *c = &t->cols[i++];
		char cp[600];
		const cJSON *f;
		t->ncols = i;
		c->consistent = -1;
		c->name = dp_strdup(e->string);
		if (!c->name)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		snprintf(cp, sizeof(cp), "%s.%s", path, e->string);
		if (cJSON_IsString(e)) {   /* shorthand: "email": "mock:email" */
			rc = get_str(e, cp, &c->generator, eb);
		} else {
			rc = want_obj(e, cp, eb);
			cJSON_ArrayForEach(f, e) {
				char fp[700];
				if (rc)
					break;
				snprintf(fp, sizeof(fp), "%s.%s", cp, f->string);
				if (!strcmp(f->string, "generator"))
					rc = get_str(f, fp, &c->generator, eb);
				else if (!strcmp(f->string, "value")) {
					if (cJSON_IsString(f))
						rc = get_str(f, fp, &c->value, eb);
					else if (cJSON_IsNumber(f)) {
						char num[64];
						if (f->valuedouble == floor(f->valuedouble) && fabs(f->valuedouble) < 1e15)
							snprintf(num, sizeof(num), "%.0f", f->valuedouble);
						else
							snprintf(num, sizeof(num), "%.17g", f->valuedouble);
						c->value = dp_strdup(num);
					} else if (cJSON_IsBool(f))
						c->value = dp_strdup(cJSON_IsTrue(f) ? "1" : "0");
					else if (!cJSON_IsNull(f))
						rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a string, number, "
							     "boolean or null", fp);
				} else if (!strcmp(f->string, "kind")) {
					rc = get_str(f, fp, &c->kind, eb);
					if (!rc && strcmp(c->kind, "categorical") && strcmp(c->kind, "numeric") &&
					    strcmp(c->kind, "datetime") && strcmp(c->kind, "text"))
						rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of categorical, "
							     "numeric, datetime, text; got \"%s\"", fp, c->kind);
				} else if (!strcmp(f->string, "consistent")) {
					if (!cJSON_IsBool(f))
						rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected true or false, got %s",
							     fp, dp_json_type_name(f));
					else
						c->consistent = cJSON_IsTrue(f);
				} else if (!strcmp(f->string, "default_locale")) {
					if (!c->overrides) {
						c->overrides = calloc(1, sizeof(*c->overrides));
						if (!c->overrides || dp_settings_copy(c->overrides, &t->settings))
							return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
					}
					rc = dp_settings_set_json(c->overrides, dp_settings_find("default_locale"),
								  f, fp, eb);
				} else
					rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: generator, "
						     "value, consistent, kind, default_locale)", fp);
			}
		}
		if (rc)
			return rc;
		if (!c->generator && c->kind && !(c->generator = dp_strdup("synthesize")))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!c->generator)
			return dp_fail(eb, DP_ERR_CONFIG, "%s.generator: missing", cp);
		if (c->kind && strcmp(c->generator, "synthesize"))
			return dp_fail(eb, DP_ERR_CONFIG, "%s.kind: a column kind applies to the "
				       "\"synthesize\" generator only (the generator is \"%s\")", cp,
				       c->generator);
		/* "synthesize" is checked by the plan: it needs a SYNTHESIZE table */
		if (strcmp(c->generator, "synthesize") && dp_gen_check_spec(c->generator, eb) != DP_OK) {
			char msg[DP_ERRMSG_MAX];
			snprintf(msg, sizeof(msg), "%s", eb->msg);
			dp_errbuf_clear(eb);
			return dp_fail(eb, DP_ERR_CONFIG, "%s.generator: %s", cp, msg);
		}
	}
	return DP_OK;
}

static int parse_subset(const cJSON *o, const char *path, dp_subset_cfg *s, dp_errbuf *eb)
{
	const cJSON *e;
	int rc = want_obj(o, path, eb);

	s->set = 1;
	cJSON_ArrayForEach(e, o) {
		char kp[600];
		if (rc)
			break;
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strcmp(e->string, "percent")) {
			if (!cJSON_IsNumber(e) || e->valuedouble <= 0 || e->valuedouble > 100)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in (0, 100]", kp);
			else
				s->percent = e->valuedouble;
		} else if (!strcmp(e->string, "where")) {
			rc = get_str(e, kp, &s->where, eb);
		} else if (!strcmp(e->string, "limit")) {
			if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 0)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a non-negative integer", kp);
			else
				s->limit = (int64_t)e->valuedouble;
		} else if (!strcmp(e->string, "order_by")) {
			rc = get_str(e, kp, &s->order_by, eb);
		} else if (!strcmp(e->string, "include_when")) {
			rc = get_str(e, kp, &s->include_when, eb);
		} else if (!strcmp(e->string, "max_per_parent")) {
			if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 1)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer >= 1", kp);
			else
				s->max_per_parent = (int64_t)e->valuedouble;
		} else if (!strcmp(e->string, "include_children")) {
			if (cJSON_IsString(e) && !strcmp(e->valuestring, "all"))
				s->include_children = DP_CHILDREN_ALL;
			else if (cJSON_IsString(e) && !strcmp(e->valuestring, "none"))
				s->include_children = DP_CHILDREN_NONE;
			else
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of all, none", kp);
		} else
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: percent, where, limit, "
				     "order_by, include_children, include_when, max_per_parent)", kp);
	}
	return rc;
}

static int get_name_list(const cJSON *v, const char *path, char ***out, size_t *n, dp_errbuf *eb);

static int parse_table(const cJSON *o, const char *name, const dp_settings *engine,
		       dp_table_cfg *t, dp_errbuf *eb)
{
	static const char *const modes[] = { "SYNTHESIZE", "DE_IDENTIFY", "DUPLICATE", "SUBSET",
					     "EXCLUDE", NULL };
	const cJSON *e;
	char path[600];
	int rc;

	snprintf(path, sizeof(path), "tables.%s", name);
	t->name = dp_strdup(name);
	t->target_rows = -1;
	t->subset.percent = -1;
	t->subset.limit = -1;
	t->subset.max_per_parent = -1;
	if (!t->name || dp_settings_copy(&t->settings, engine))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	rc = want_obj(o, path, eb);
	/* settings first, so columns see the table's locale */
	cJSON_ArrayForEach(e, o) {
		char kp[700];
		if (rc)
			return rc;
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strncmp(e->string, "default_", 8)) {
			rc = apply_setting_or_fail(&t->settings, e, kp, 0, eb);
			if (rc == 1)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown setting", kp);
		}
	}
	cJSON_ArrayForEach(e, o) {
		char kp[700];
		if (rc)
			return rc;
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strncmp(e->string, "default_", 8))
			continue;
		if (!strcmp(e->string, "mode")) {
			int found = 0;
			for (int i = 0; modes[i] && cJSON_IsString(e); i++)
				if (!strcmp(modes[i], e->valuestring)) {
					t->mode = (dp_mode)(i + 1);
					found = 1;
				}
			if (!found)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of SYNTHESIZE, DE_IDENTIFY, "
					     "DUPLICATE, SUBSET, EXCLUDE", kp);
		} else if (!strcmp(e->string, "columns")) {
			rc = parse_columns(e, kp, t, eb);
		} else if (!strcmp(e->string, "subset")) {
			rc = parse_subset(e, kp, &t->subset, eb);
		} else if (!strcmp(e->string, "null_if_unselected")) {
			rc = get_name_list(e, kp, &t->null_unsel, &t->nnull_unsel, eb);
		} else if (!strcmp(e->string, "target_rows")) {
			if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valuedouble < 0)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a non-negative integer", kp);
			else
				t->target_rows = (int64_t)e->valuedouble;
		} else if (!strcmp(e->string, "scale")) {
			if (!cJSON_IsNumber(e) || e->valuedouble <= 0)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a positive number", kp);
			else
				t->scale = e->valuedouble;
		} else {
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: mode, columns, subset, "
				     "null_if_unselected, target_rows, scale, default_* settings)", kp);
		}
	}
	return rc;
}

static int get_name_list(const cJSON *v, const char *path, char ***out, size_t *n, dp_errbuf *eb)
{
	const cJSON *e;
	size_t i = 0, cnt;

	if (!cJSON_IsArray(v) || !(cnt = (size_t)cJSON_GetArraySize(v)))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a non-empty array of column names", path);
	*out = calloc(cnt, sizeof(char *));
	if (!*out)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	*n = cnt;
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e))
			return dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: expected a string", path, i);
		if (!((*out)[i++] = dp_strdup(e->valuestring)))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

static int parse_vfks(const cJSON *a, dp_job_cfg *j, dp_errbuf *eb)
{
	const cJSON *e;
	size_t i = 0;

	if (!cJSON_IsArray(a))
		return dp_fail(eb, DP_ERR_CONFIG, "virtual_foreign_keys: expected an array, got %s", dp_json_type_name(a));
	j->vfks = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*j->vfks));
	if (!j->vfks)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, a) {
		dp_vfk_cfg *v = &j->vfks[i];
		char p[128], kp[256];
		const cJSON *f, *ref = NULL, *cols = NULL;
		size_t nref = 0;
		int rc;
		snprintf(p, sizeof(p), "virtual_foreign_keys[%zu]", i++);
		j->nvfks = i;
		if ((rc = want_obj(e, p, eb)))
			return rc;
		cJSON_ArrayForEach(f, e) {
			snprintf(kp, sizeof(kp), "%s.%s", p, f->string);
			if (!strcmp(f->string, "table"))
				rc = get_str(f, kp, &v->table, eb);
			else if (!strcmp(f->string, "columns"))
				cols = f;
			else if (!strcmp(f->string, "references"))
				ref = f;
			else
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: table, columns, "
					     "references)", kp);
			if (rc)
				return rc;
		}
		if (!v->table || !cols || !ref)
			return dp_fail(eb, DP_ERR_CONFIG, "%s: needs table, columns and references", p);
		snprintf(kp, sizeof(kp), "%s.columns", p);
		if ((rc = get_name_list(cols, kp, &v->cols, &v->ncols, eb)))
			return rc;
		snprintf(kp, sizeof(kp), "%s.references", p);
		if ((rc = want_obj(ref, kp, eb)))
			return rc;
		cJSON_ArrayForEach(f, ref) {
			char rp[300];
			snprintf(rp, sizeof(rp), "%s.%s", kp, f->string);
			if (!strcmp(f->string, "table"))
				rc = get_str(f, rp, &v->ref_table, eb);
			else if (!strcmp(f->string, "columns"))
				rc = get_name_list(f, rp, &v->ref_cols, &nref, eb);
			else
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: table, columns)", rp);
			if (rc)
				return rc;
		}
		if (!v->ref_table || !v->ref_cols)
			return dp_fail(eb, DP_ERR_CONFIG, "%s: needs table and columns", kp);
		if (nref != v->ncols) {
			/* the config frees ref_cols by ncols: drop them here */
			for (size_t k = 0; k < nref; k++)
				free(v->ref_cols[k]);
			free(v->ref_cols);
			v->ref_cols = NULL;
			return dp_fail(eb, DP_ERR_CONFIG, "%s.columns: %zu columns, but %s.columns has %zu",
				       kp, nref, p, v->ncols);
		}
	}
	return DP_OK;
}

static void json_error_position(const char *json, size_t len, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	if (!at || at < json || at > json + len)
		return;
	for (const char *q = json; q < at; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int dp_engine_parse(const char *json, size_t len, const char *base_dir, dp_job_cfg **out,
		    dp_errbuf *eb)
{
	cJSON *root;
	const cJSON *e, *src = NULL, *tgt = NULL, *tables = NULL, *vfks = NULL;
	dp_job_cfg *j;
	pctx p = { base_dir, eb };
	const char *end = NULL;
	int rc = DP_OK;

	*out = NULL;
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (!root) {
		int line, col;
		json_error_position(json, len, cJSON_GetErrorPtr(), &line, &col);
		return dp_fail(eb, DP_ERR_CONFIG, "malformed JSON at line %d, column %d", line, col);
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_CONFIG, "the engine file must be a JSON object");
	}
	j = calloc(1, sizeof(*j));
	if (!j || dp_settings_defaults(&j->settings)) {
		free(j);
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	cJSON_ArrayForEach(e, root) {
		if (!strcmp(e->string, "name"))
			rc = get_str(e, "name", &j->name, eb);
		else if (!strcmp(e->string, "source"))
			src = e;
		else if (!strcmp(e->string, "target"))
			tgt = e;
		else if (!strcmp(e->string, "tables"))
			tables = e;
		else if (!strcmp(e->string, "virtual_foreign_keys"))
			vfks = e;
		else if (!strcmp(e->string, "description") && cJSON_IsString(e))
			continue;
		else {
			rc = apply_setting_or_fail(&j->settings, e, e->string, 1, eb);
			if (rc == 1)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown setting or field (see `doppel "
					     "settings --list`; fields: name, source, target, tables, "
					     "virtual_foreign_keys)", e->string);
		}
		if (rc)
			goto out;
	}
	if (!src) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "source: missing");
		goto out;
	}
	if (!tgt) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "target: missing");
		goto out;
	}
	rc = parse_conn(&p, src, "source", &j->source);
	if (!rc)
		rc = parse_conn(&p, tgt, "target", &j->target);
	if (rc)
		goto out;
	if (tables) {
		size_t n = (size_t)cJSON_GetArraySize(tables), i = 0;
		if ((rc = want_obj(tables, "tables", eb)))
			goto out;
		j->tables = calloc(n ? n : 1, sizeof(*j->tables));
		if (!j->tables) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		cJSON_ArrayForEach(e, tables) {
			j->ntables = ++i;
			rc = parse_table(e, e->string, &j->settings, &j->tables[i - 1], eb);
			if (rc)
				goto out;
		}
	}
	if (vfks)
		rc = parse_vfks(vfks, j, eb);
out:
	cJSON_Delete(root);
	if (rc) {
		dp_job_cfg_free(j);
		return rc;
	}
	*out = j;
	return DP_OK;
}

int dp_engine_file_load(const char *path, dp_job_cfg **out, dp_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	dp_buf b = DP_BUF_INIT;
	char chunk[65536], *dir, *slash;
	size_t n;
	int rc;

	*out = NULL;
	if (!f)
		return dp_fail(eb, DP_ERR_IO, "cannot read engine file %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > MAX_ENGINE_FILE || dp_buf_append(&b, chunk, n)) {
			fclose(f);
			dp_buf_free(&b);
			return dp_fail(eb, DP_ERR_CONFIG, "engine file %s is larger than 16 MiB", path);
		}
	}
	if (ferror(f)) {
		rc = dp_fail(eb, DP_ERR_IO, "cannot read engine file %s: %s", path, strerror(errno));
		fclose(f);
		dp_buf_free(&b);
		return rc;
	}
	fclose(f);
	dir = dp_strdup(path);
	if (!dir) {
		dp_buf_free(&b);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	rc = dp_engine_parse(b.data ? b.data : "", b.len, dir, out, eb);
	free(dir);
	dp_buf_free(&b);
	return rc;
}
