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
#include "../engine/gen/generators.h"

#define MAX_ENGINE_FILE ((size_t)16 << 20)
/* the largest integer a JSON number (a double) holds exactly */
#define JSON_INT_MAX ((int64_t)9007199254740991)
/* SYNTHESIZE scale: a million times the source is far past any test double,
 * and keeps row estimate x scale inside an int64 */
#define MAX_SCALE 1e6

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

/* "path: expected one of a, b, c" from the enum's own table */
static int enum_fail(dp_errbuf *eb, const char *path, const dp_enum_table *t, const char *tail)
{
	dp_buf b = DP_BUF_INIT;
	int rc = dp_enum_list(t, ", ", "", &b)
	       ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
	       : dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of %s%s", path, dp_buf_str(&b), tail);

	dp_buf_free(&b);
	return rc;
}

static int get_port(const cJSON *v, const char *path, int *out, dp_errbuf *eb)
{
	int64_t n;
	int rc = dp_json_get_int(v, 1, 65535, path, &n, eb);

	if (!rc)
		*out = (int)n;
	return rc;
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

	/* secret() takes the first of the three it finds: two would leave one
	 * silently unused */
	{
		static const char *const sfx[] = { "", "_env", "_file" };
		const char *first = NULL;
		for (int i = 0; i < 3; i++) {
			snprintf(kp, sizeof(kp), "%s%s", key, sfx[i]);
			if (!cJSON_GetObjectItemCaseSensitive(obj, kp))
				continue;
			if (first)
				return dp_fail(p->eb, DP_ERR_CONFIG, "%s.%s: give only one of %s, %s_env "
					       "and %s_file", path, kp, key, key, key);
			first = key;
		}
	}
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

/* "SHA256:" + 43 base64 characters (32 bytes, unpadded; "=" tolerated) */
static int fingerprint_ok(const char *f)
{
	size_t n = 0;

	if (strncmp(f, "SHA256:", 7))
		return 0;
	for (f += 7; *f && *f != '='; f++, n++)
		if (!((*f >= 'A' && *f <= 'Z') || (*f >= 'a' && *f <= 'z') || (*f >= '0' && *f <= '9') ||
		      *f == '+' || *f == '/'))
			return 0;
	return n == 43 && (!*f || !strcmp(f, "="));
}

static int resolve_in_place(const pctx *p, char **f)
{
	char *full = resolve(p, *f);

	if (!full)
		return dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	free(*f);
	*f = full;
	return DP_OK;
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
	if (!rc && s->private_key_password && !s->private_key_file)
		rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s.private_key_password: there is no private_key_file "
			     "(it would be ignored)", path);
	if (!rc && s->host_key_fingerprint && !fingerprint_ok(s->host_key_fingerprint))
		rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s.host_key_fingerprint: expected \"SHA256:\" and 43 "
			     "base64 characters, as `ssh-keygen -lf` prints", path);
	/* files relative to the engine file, like the SQLite database; "~/"
	 * is the tunnel's to expand (the user running the job) */
	if (!rc && s->private_key_file && s->private_key_file[0] != '~')
		rc = resolve_in_place(p, &s->private_key_file);
	if (!rc && s->known_hosts_file && s->known_hosts_file[0] != '~')
		rc = resolve_in_place(p, &s->known_hosts_file);
	return rc;
}

static int parse_ssl(const pctx *p, const cJSON *o, const char *path, dp_ssl_cfg *s)
{
	const cJSON *e;
	char kp[600];
	int rc = want_obj(o, path, p->eb);

	cJSON_ArrayForEach(e, o) {
		if (rc)
			break;
		snprintf(kp, sizeof(kp), "%s.%s", path, e->string);
		if (!strcmp(e->string, "ssl_mode")) {
			int m;
			if (cJSON_IsString(e) && !dp_enum_value(&dp_ssl_mode_names, e->valuestring, &m))
				s->mode = (dp_ssl_mode)m;
			else
				rc = enum_fail(p->eb, kp, &dp_ssl_mode_names, "");
		} else if (!strcmp(e->string, "ca_filename")) rc = get_str(e, kp, &s->ca_filename, p->eb);
		else if (!strcmp(e->string, "cert_filename")) rc = get_str(e, kp, &s->cert_filename, p->eb);
		else if (!strcmp(e->string, "key_filename")) rc = get_str(e, kp, &s->key_filename, p->eb);
		else
			rc = dp_fail(p->eb, DP_ERR_CONFIG, "%s: unknown field (known: ssl_mode, ca_filename, "
				     "cert_filename, key_filename)", kp);
	}
	return rc;
}

/* The fields each connector reads from its dp_conn_cfg (the connectors'
 * *_open): anything else in the object would be silently ignored, so it is
 * refused. NULL-terminated; "password" stands for its _env/_file forms. */
static const char *const sqlite_fields[] = { "connector_type", "protocol", "database", NULL };
static const char *const pg_fields[] = { "connector_type", "protocol", "host", "port", "database",
	"username", "password", "schema_name", "hooks_params", "lock_timeout_seconds",
	"statement_timeout_seconds", NULL };
static const char *const mysql_fields[] = { "connector_type", "protocol", "host", "port",
	"database", "username", "password", "hooks_params", "lock_timeout_seconds",
	"statement_timeout_seconds", NULL };
/* hooks_params members the network connectors act on (SSHTunnel through the
 * session-open path, connectors/session.c) */
static const char *const net_hooks[] = { "SSHTunnel", "SSL", NULL };

static int in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (!strcmp(*l, k))
			return 1;
	return 0;
}

static int check_conn_fields(const pctx *p, const cJSON *o, const char *path, const dp_conn_cfg *c)
{
	const dp_connector *drv = dp_connector_find(c->connector_type), *pdrv;
	const char *const *used;
	const cJSON *e, *h;

	if (!drv)
		return dp_fail(p->eb, DP_ERR_CONFIG, "%s.%s: unknown connector \"%.60s\" (known: %s)",
			       path, cJSON_GetObjectItemCaseSensitive(o, "connector_type") ? "connector_type"
			       : "protocol", c->connector_type, dp_connector_names());
	if (c->protocol) {
		/* "postgresql+psycopg2": the part before '+' names the connector */
		char base[64];
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(c->protocol, "+"), c->protocol);
		pdrv = dp_connector_find(c->protocol);
		if (!pdrv)
			pdrv = dp_connector_find(base);
		if (pdrv != drv)
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s.protocol: names %s, but connector_type "
				       "is %s; one of them would be ignored", path,
				       pdrv ? pdrv->name : "an unknown connector", drv->name);
	}
	used = drv == &dp_sqlite_connector ? sqlite_fields
	     : drv == &dp_pg_connector ? pg_fields : mysql_fields;
	cJSON_ArrayForEach(e, o) {
		const char *k = e->string;
		if (!in_list(used, is_secret_key(k, "password") ? "password" : k))
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s.%s: the %s connector does not use it "
				       "(it would be ignored)%s", path, k, drv->name,
				       !strcmp(k, "schema_name") && drv == &dp_mysql_connector
				       ? "; in MySQL the database is the schema" : "");
		/* timeouts bound target sessions; a source read is as long as its table */
		if (!strcmp(path, "source") && strstr(k, "_timeout_seconds"))
			return dp_fail(p->eb, DP_ERR_CONFIG, "%s.%s: applies to target sessions only (it "
				       "would be ignored)", path, k);
		if (strcmp(k, "hooks_params"))
			continue;
		cJSON_ArrayForEach(h, e)
			if (!in_list(net_hooks, h->string))
				return dp_fail(p->eb, DP_ERR_CONFIG, "%s.hooks_params.%s: the %s connector "
					       "does not use it (it would be ignored)", path, h->string,
					       drv->name);
	}
	/* TLS files with ssl_mode disable: no TLS session, the files unused */
	if (c->ssl.mode == DP_SSL_DISABLE && (c->ssl.ca_filename || c->ssl.cert_filename ||
					      c->ssl.key_filename))
		return dp_fail(p->eb, DP_ERR_CONFIG, "%s.hooks_params.SSL.%s: ssl_mode disable makes "
			       "no TLS connection, so it would be ignored", path,
			       c->ssl.ca_filename ? "ca_filename" : c->ssl.cert_filename
			       ? "cert_filename" : "key_filename");
	/* libmariadb turns TLS on only for these modes or a CA file (mysql.c) */
	if (drv == &dp_mysql_connector && (c->ssl.cert_filename || c->ssl.key_filename) &&
	    !c->ssl.ca_filename && c->ssl.mode != DP_SSL_REQUIRE && c->ssl.mode != DP_SSL_VERIFY_CA &&
	    c->ssl.mode != DP_SSL_VERIFY_FULL)
		return dp_fail(p->eb, DP_ERR_CONFIG, "%s.hooks_params.SSL.%s: the mysql connector "
			       "uses client certificates only with ssl_mode require, verify-ca or "
			       "verify-full, or a ca_filename (it would be ignored)", path,
			       c->ssl.cert_filename ? "cert_filename" : "key_filename");
	return DP_OK;
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
	/* SQLAlchemy-style protocol: "postgresql+psycopg2" -> "postgresql" */
	if (!c->connector_type && c->protocol) {
		size_t n = strcspn(c->protocol, "+");
		c->connector_type = strndup(c->protocol, n);
		if (!c->connector_type)
			return dp_fail(p->eb, DP_ERR_NOMEM, "out of memory");
	}
	if (!c->connector_type)
		return dp_fail(p->eb, DP_ERR_CONFIG, "%s.connector_type: missing (%s)", path,
			       dp_connector_names());
	rc = check_conn_fields(p, o, path, c);
	if (rc)
		return rc;
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
	/* after the field checks: a password for a connector that ignores it is
	 * refused before its variable is read or its file opened */
	return secret(p, o, "password", path, &c->password);
}

static int apply_setting_or_fail(dp_settings *s, const cJSON *e, const char *path, int top,
				 dp_errbuf *eb)
{
	const dp_setting_def *d = dp_settings_find(e->string);

	if (!d || (!top && !d->per_table))
		return 1;   /* not a setting here */
	return dp_settings_set_json(s, d, e, path, eb);
}

/* A constant's number as text: the shortest form that reads back as the
 * same double (0.1 stays "0.1"). An integer beyond 2^53 has already lost
 * digits in the double, so it must be written as a string. */
static int number_text(const cJSON *f, const char *path, char **out, dp_errbuf *eb)
{
	char num[64];
	double d = f->valuedouble;

	if (d == floor(d) && fabs(d) > 9007199254740991.0)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: beyond +-2^53 a JSON number is not exact; "
			       "write the value as a string", path);
	if (d == floor(d))
		snprintf(num, sizeof(num), "%.0f", d == 0 ? 0.0 : d);
	else
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, d);
			if (strtod(num, NULL) == d)
				break;
		}
	free(*out);
	*out = dp_strdup(num);
	return *out ? DP_OK : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
}

/* a column's unknown field: the known ones, with the settings the table
 * lets a column override */
static int column_field_fail(const char *path, dp_errbuf *eb)
{
	dp_buf b = DP_BUF_INIT;
	size_t n;
	const dp_setting_def *d = dp_settings_defs(&n);
	int rc = dp_buf_puts(&b, "generator, value, consistent, kind");

	for (size_t i = 0; !rc && i < n; i++)
		if (d[i].per_column)
			rc = dp_buf_printf(&b, ", %s", d[i].name);
	rc = rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
		: dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: %s)", path, dp_buf_str(&b));
	dp_buf_free(&b);
	return rc;
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
		const dp_setting_def *sd;
		int have_value = 0;
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
					have_value = 1;
					if (cJSON_IsString(f))
						rc = get_str(f, fp, &c->value, eb);
					else if (cJSON_IsNumber(f)) {
						rc = number_text(f, fp, &c->value, eb);
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
				} else if ((sd = dp_settings_find(f->string)) && sd->per_column) {
					if (!c->overrides) {
						c->overrides = calloc(1, sizeof(*c->overrides));
						if (!c->overrides || dp_settings_copy(c->overrides, &t->settings))
							return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
					}
					rc = dp_settings_set_json(c->overrides, sd, f, fp, eb);
				} else
					rc = column_field_fail(fp, eb);
			}
		}
		if (rc)
			return rc;
		if (!c->generator && c->kind && !(c->generator = dp_strdup("synthesize")))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!c->generator)
			return dp_fail(eb, DP_ERR_CONFIG, "%s.generator: missing", cp);
		/* "value" feeds constant and mock:one_of only (generators.c) */
		if (!strcmp(c->generator, "constant") && !have_value)
			return dp_fail(eb, DP_ERR_CONFIG, "%s.value: missing: the constant generator "
				       "needs a value (null for SQL NULL)", cp);
		if (have_value && strcmp(c->generator, "constant") && strcmp(c->generator, "mock:one_of"))
			return dp_fail(eb, DP_ERR_CONFIG, "%s.value: generator \"%s\" does not use a "
				       "value (it would be ignored)", cp, c->generator);
		/* nothing random or keyed happens in these, so nothing to keep consistent */
		if (c->consistent >= 0 && (!strcmp(c->generator, "duplicate") ||
					   !strcmp(c->generator, "null") ||
					   !strcmp(c->generator, "constant")))
			return dp_fail(eb, DP_ERR_CONFIG, "%s.consistent: generator \"%s\" is the same "
				       "for every row (it would be ignored)", cp, c->generator);
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
			/* NaN fails every comparison: isfinite first */
			if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || !(e->valuedouble > 0) ||
			    e->valuedouble > 100)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in (0, 100]", kp);
			else
				s->percent = e->valuedouble;
		} else if (!strcmp(e->string, "where")) {
			rc = get_str(e, kp, &s->where, eb);
		} else if (!strcmp(e->string, "limit")) {
			rc = dp_json_get_int(e, 0, JSON_INT_MAX, kp, &s->limit, eb);
		} else if (!strcmp(e->string, "order_by")) {
			rc = get_str(e, kp, &s->order_by, eb);
		} else if (!strcmp(e->string, "include_when")) {
			rc = get_str(e, kp, &s->include_when, eb);
		} else if (!strcmp(e->string, "max_per_parent")) {
			rc = dp_json_get_int(e, 1, JSON_INT_MAX, kp, &s->max_per_parent, eb);
		} else if (!strcmp(e->string, "include_children")) {
			int c;
			if (cJSON_IsString(e) && !dp_enum_value(&dp_children_names, e->valuestring, &c))
				s->include_children = (dp_children)c;
			else
				rc = enum_fail(eb, kp, &dp_children_names, "");
		} else
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: percent, where, limit, "
				     "order_by, include_children, include_when, max_per_parent)", kp);
	}
	if (rc)
		return rc;
	/* engine/subset.c seeds by percent alone when it is given (where, limit
	 * and order_by unread), and order_by only orders a limit */
	if (s->percent >= 0 && (s->where || s->limit >= 0 || s->order_by))
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: cannot be combined with percent (it would "
			       "be ignored); give percent, or where and/or limit", path,
			       s->where ? "where" : s->limit >= 0 ? "limit" : "order_by");
	if (s->order_by && s->limit < 0)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.order_by: orders the rows a limit picks; without "
			       "limit it would be ignored", path);
	return DP_OK;
}

static int get_name_list(const cJSON *v, const char *path, char ***out, size_t *n, dp_errbuf *eb);

/* Fields of a table that its mode would never read. The mode is final here:
 * the engine-level settings (initialization_mode) are parsed before tables. */
static int check_table_fields(const char *path, const dp_settings *engine, const dp_table_cfg *t,
			      dp_errbuf *eb)
{
	dp_mode m = t->mode;
	const char *how = "";

	if (m == DP_MODE_UNSET) {
		/* plan.c mode_from_init: no preset makes a table SUBSET */
		m = engine->initialization_mode == DP_INIT_SYNTHESIZE ? DP_MODE_SYNTHESIZE
		  : engine->initialization_mode == DP_INIT_FROM_SCRATCH ? DP_MODE_EXCLUDE
		  : DP_MODE_DE_IDENTIFY;
		how = " (from initialization_mode)";
	}
	if (t->subset.set && m != DP_MODE_SUBSET)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.subset: applies to mode SUBSET only; the table's "
			       "mode is %s%s, so it would be ignored", path, dp_mode_name(m), how);
	if (t->target_rows >= 0 && t->scale > 0)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.scale: give target_rows or scale, not both "
			       "(target_rows wins, scale would be ignored)", path);
	for (size_t c = 0; c < t->ncols; c++) {
		const dp_column_cfg *cc = &t->cols[c];
		/* plan_columns copies DUPLICATE columns as they are and writes no
		 * rows for EXCLUDE: a generator there would silently do nothing */
		if (m == DP_MODE_EXCLUDE || (m == DP_MODE_DUPLICATE && strcmp(cc->generator, "duplicate")))
			return dp_fail(eb, DP_ERR_CONFIG, "%s.columns.%s: the table's mode is %s%s, which "
				       "%s, so generator \"%s\" would be ignored; use mode DE_IDENTIFY",
				       path, cc->name, dp_mode_name(m), how,
				       m == DP_MODE_EXCLUDE ? "copies no rows" : "copies every column as is",
				       cc->generator);
	}
	return DP_OK;
}

static int parse_table(const cJSON *o, const char *name, const dp_settings *engine,
		       dp_table_cfg *t, dp_errbuf *eb)
{
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
			/* the plan checks the table's own column lists against the
			 * table; inherited ones may name other tables' columns */
			if (!rc && !cJSON_IsNull(e) && !strcmp(e->string, "default_order_by_nr_columns"))
				t->own_order_by = 1;
			if (!rc && !cJSON_IsNull(e) && !strcmp(e->string, "default_feat_model_train_order"))
				t->own_train_order = 1;
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
			int m;
			if (cJSON_IsString(e) && !dp_enum_value(&dp_mode_names, e->valuestring, &m))
				t->mode = (dp_mode)m;
			else
				rc = enum_fail(eb, kp, &dp_mode_names, "");
		} else if (!strcmp(e->string, "columns")) {
			rc = parse_columns(e, kp, t, eb);
		} else if (!strcmp(e->string, "subset")) {
			rc = parse_subset(e, kp, &t->subset, eb);
		} else if (!strcmp(e->string, "null_if_unselected")) {
			rc = get_name_list(e, kp, &t->null_unsel, &t->nnull_unsel, eb);
		} else if (!strcmp(e->string, "target_rows")) {
			rc = dp_json_get_int(e, 0, JSON_INT_MAX, kp, &t->target_rows, eb);
		} else if (!strcmp(e->string, "scale")) {
			/* the plan multiplies the row estimate by it into an int64 */
			if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || !(e->valuedouble > 0) ||
			    e->valuedouble > MAX_SCALE)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in (0, %g]", kp,
					     MAX_SCALE);
			else
				t->scale = e->valuedouble;
		} else {
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: mode, columns, subset, "
				     "null_if_unselected, target_rows, scale, default_* settings)", kp);
		}
	}
	return rc ? rc : check_table_fields(path, engine, t, eb);
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
		for (size_t k = 0; k < i; k++)
			if (!strcmp((*out)[k], e->valuestring))
				return dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: column \"%.60s\" is already "
					       "listed at [%zu]", path, i, e->valuestring, k);
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

/* ---- the strict pass: what cJSON accepts but does not tell ----
 *
 * cJSON keeps every member of an object (GetObjectItem returns the first of
 * two equal names), keeps only the double of a number, and stops at the end
 * of the first document. Before any field is read, one walk over the tree
 * refuses duplicate names, and each number is checked against the text the
 * author wrote. */

#define STRICT_PATH_MAX 1024
/* below this many members, comparing every pair beats sorting */
#define DUP_SCAN_SMALL 32

typedef struct strict_ctx {
	const char *p, *end;            /* number scan position in the text */
	char path[STRICT_PATH_MAX];
	dp_errbuf *eb;
} strict_ctx;

typedef struct named {
	const char *name;
	size_t idx;
} named;

static int cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The member given a second time earliest in the text, or NULL. */
static const cJSON *first_duplicate(const cJSON *obj, size_t n, int *nomem)
{
	const cJSON *a, *b;
	named *v;
	size_t i = 0, best = n;

	*nomem = 0;
	if (n <= DUP_SCAN_SMALL) {
		for (a = obj->child; a; a = a->next)
			for (b = obj->child; b != a; b = b->next)
				if (!strcmp(a->string, b->string))
					return a;
		return NULL;
	}
	v = malloc(n * sizeof(*v));
	if (!v) {
		*nomem = 1;
		return NULL;
	}
	for (a = obj->child; a; a = a->next, i++)
		v[i] = (named){ a->string, i };
	qsort(v, n, sizeof(*v), cmp_named);
	for (i = 1; i < n; i++)
		if (!strcmp(v[i].name, v[i - 1].name) && v[i].idx < best)
			best = v[i].idx;
	free(v);
	for (a = obj->child, i = 0; a && i < best; a = a->next)
		i++;
	return best < n ? a : NULL;
}

/* The next number token of the text (strings skipped): cJSON builds number
 * nodes in document order, so the k-th token belongs to the k-th node of a
 * pre-order walk. */
static int next_number(strict_ctx *sc, const char **tok, size_t *n)
{
	while (sc->p < sc->end) {
		char ch = *sc->p;
		if (ch == '"') {
			for (sc->p++; sc->p < sc->end && *sc->p != '"'; sc->p++)
				if (*sc->p == '\\')
					sc->p++;
			sc->p++;
		} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
			/* the characters cJSON's parse_number takes */
			*tok = sc->p;
			while (sc->p < sc->end && *sc->p && strchr("0123456789+-.eE", *sc->p))
				sc->p++;
			*n = (size_t)(sc->p - *tok);
			return 1;
		} else {
			sc->p++;
		}
	}
	return 0;
}

/* RFC 8259 number grammar (cJSON also takes "01", "1." and "-.5").
 * *whole: the written value is an integer (digits past the point, after the
 * exponent moves it, are all zero). */
static int number_grammar(const char *s, size_t n, int *whole)
{
	size_t i = 0, d0, nint, f0 = 0, nfrac = 0;
	long long ex = 0, point;
	int neg = 0;

#define DIGIT(k) (s[k] >= '0' && s[k] <= '9')
	if (i < n && s[i] == '-')
		i++;
	d0 = i;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && DIGIT(i))
			i++;
	else
		return 0;
	nint = i - d0;
	if (i < n && s[i] == '.') {
		f0 = ++i;
		while (i < n && DIGIT(i))
			i++;
		if (!(nfrac = i - f0))
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			neg = s[i++] == '-';
		if (i >= n || !DIGIT(i))
			return 0;
		for (; i < n && DIGIT(i); i++)
			if (ex < 1000000)    /* far past any double's exponent */
				ex = ex * 10 + (s[i] - '0');
	}
#undef DIGIT
	if (i != n)
		return 0;
	/* digits k = 0..nint+nfrac-1 (integer part, then fraction); the point
	 * sits before digit `point` */
	point = (long long)nint + (neg ? -ex : ex);
	*whole = 1;
	for (long long k = point < 0 ? 0 : point; k < (long long)(nint + nfrac); k++) {
		char ch = k < (long long)nint ? s[d0 + (size_t)k] : s[f0 + (size_t)k - nint];
		if (ch != '0')
			*whole = 0;
	}
	return 1;
}

static int strict_number(strict_ctx *sc, const cJSON *v)
{
	const char *tok;
	size_t n;
	int whole;
	double d = v->valuedouble;

	if (!next_number(sc, &tok, &n))
		return dp_fail(sc->eb, DP_ERR_INTERNAL, "%s: number scan out of step", sc->path);
	if (!number_grammar(tok, n, &whole))
		return dp_fail(sc->eb, DP_ERR_CONFIG, "%s: not a JSON number (RFC 8259: no leading "
			       "zeros, no bare '.', digits on both sides of the point)", sc->path);
	if (!isfinite(d))
		return dp_fail(sc->eb, DP_ERR_CONFIG, "%s: number out of range", sc->path);
	/* 1.0000000000000001 or 1e-400: a fraction the double rounded away */
	if (!whole && d == floor(d))
		return dp_fail(sc->eb, DP_ERR_CONFIG, "%s: more digits than a JSON number holds: "
			       "this fraction would be read as %.17g", sc->path, d);
	return DP_OK;
}

static int strict_walk(strict_ctx *sc, const cJSON *v, size_t plen)
{
	const cJSON *c;
	size_t i = 0;
	int rc;

	if (cJSON_IsNumber(v))
		return strict_number(sc, v);
	if (cJSON_IsObject(v)) {
		int nomem;
		const cJSON *dup = first_duplicate(v, (size_t)cJSON_GetArraySize(v), &nomem);
		if (nomem)
			return dp_fail(sc->eb, DP_ERR_NOMEM, "out of memory");
		if (dup)
			return dp_fail(sc->eb, DP_ERR_CONFIG, "%s%s%.200s: given twice in one object "
				       "(only the first would be read)", sc->path, plen ? "." : "",
				       dup->string);
	}
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return DP_OK;
	cJSON_ArrayForEach(c, v) {
		size_t room = sizeof(sc->path) - plen;
		int w = cJSON_IsObject(v) ? snprintf(sc->path + plen, room, "%s%s", plen ? "." : "", c->string)
					  : snprintf(sc->path + plen, room, "[%zu]", i);
		size_t n = plen + (w < 0 ? 0 : (size_t)w < room ? (size_t)w : room - 1);
		rc = strict_walk(sc, c, n);
		sc->path[plen] = '\0';
		if (rc)
			return rc;
		i++;
	}
	return DP_OK;
}

/* Only JSON whitespace may follow the document: a second document or
 * stray text would otherwise be dropped without a word. */
static int strict_tail(const char *json, size_t len, const char *end, dp_errbuf *eb)
{
	for (const char *q = end; q < json + len; q++)
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') {
			int line, col;
			json_error_position(json, len, q, &line, &col);
			return dp_fail(eb, DP_ERR_CONFIG, "trailing data after the JSON document at line "
				       "%d, column %d (one engine file holds one JSON object)", line, col);
		}
	return DP_OK;
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
	rc = end ? strict_tail(json, len, end, eb) : DP_OK;
	if (!rc) {
		strict_ctx *sc = calloc(1, sizeof(*sc));
		if (!sc) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else {
			sc->p = json;
			sc->end = end ? end : json + len;
			sc->eb = eb;
			rc = strict_walk(sc, root, 0);
			free(sc);
		}
	}
	if (rc) {
		cJSON_Delete(root);
		return rc;
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
		else if (!strcmp(e->string, "copy_grants")) {
			if (!cJSON_IsBool(e))
				rc = dp_fail(eb, DP_ERR_CONFIG, "copy_grants: must be true or false");
			else
				j->copy_grants = cJSON_IsTrue(e);
		}
		else {
			rc = apply_setting_or_fail(&j->settings, e, e->string, 1, eb);
			if (rc == 1)
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown setting or field (see `doppel "
					     "settings --list`; fields: name, source, target, tables, "
					     "virtual_foreign_keys, copy_grants)", e->string);
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
