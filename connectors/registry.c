/* connectors/registry.c - connector lookup and connection configs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "connector.h"

static const struct alias {
	const char *name;
	const dp_connector *drv;
} registry[] = {
	{"sqlite", &dp_sqlite_connector},
	{"sqlite3", &dp_sqlite_connector},
	{"sqlite+pysqlite", &dp_sqlite_connector},
	{"postgresql", &dp_pg_connector},
	{"postgres", &dp_pg_connector},
	{"pgsql", &dp_pg_connector},
	{"mysql", &dp_mysql_connector},
	{"mariadb", &dp_mysql_connector},
};

const dp_connector *dp_connector_find(const char *type)
{
	if (!type)
		return NULL;
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (!strcasecmp(type, registry[i].name))
			return registry[i].drv;
	return NULL;
}

const char *dp_connector_names(void)
{
	return "sqlite, postgresql, mysql (mariadb)";
}

void dp_conn_cfg_clear(dp_conn_cfg *c)
{
	if (!c)
		return;
	free(c->connector_type);
	free(c->protocol);
	free(c->host);
	free(c->tls_server_name);
	free(c->database);
	free(c->username);
	dp_secret_free(c->password);
	free(c->schema_name);
	free(c->dsn);
	dp_secret_free(c->connection_string);   /* may embed a password */
	free(c->kerberos_principal);
	free(c->ssh.host);
	free(c->ssh.username);
	dp_secret_free(c->ssh.password);
	free(c->ssh.private_key_file);
	dp_secret_free(c->ssh.private_key_password);
	free(c->ssh.known_hosts_file);
	free(c->ssh.host_key_fingerprint);
	free(c->ssh.local_host);
	free(c->ssl.ca_filename);
	free(c->ssl.cert_filename);
	free(c->ssl.key_filename);
	memset(c, 0, sizeof(*c));
}

#define DUP(f) do { if (src->f && !(dst->f = dp_strdup(src->f))) goto nomem; } while (0)

int dp_conn_cfg_copy(dp_conn_cfg *dst, const dp_conn_cfg *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->port = src->port;
	dst->lock_timeout = src->lock_timeout;
	dst->statement_timeout = src->statement_timeout;
	dst->ssh.enabled = src->ssh.enabled;
	dst->ssh.port = src->ssh.port;
	dst->ssh.local_port = src->ssh.local_port;
	dst->ssl.mode = src->ssl.mode;
	DUP(connector_type); DUP(protocol); DUP(host); DUP(tls_server_name); DUP(database); DUP(username);
	DUP(password); DUP(schema_name); DUP(dsn); DUP(connection_string);
	DUP(kerberos_principal); DUP(ssh.host); DUP(ssh.username); DUP(ssh.password);
	DUP(ssh.private_key_file); DUP(ssh.private_key_password); DUP(ssh.known_hosts_file);
	DUP(ssh.host_key_fingerprint); DUP(ssh.local_host); DUP(ssl.ca_filename);
	DUP(ssl.cert_filename); DUP(ssl.key_filename);
	return DP_OK;
nomem:
	dp_conn_cfg_clear(dst);
	return DP_ERR_NOMEM;
}

void dp_conn_cfg_describe(const dp_conn_cfg *c, char *out, size_t outsz)
{
	const char *type = c->connector_type ? c->connector_type : "?";

	if (dp_connector_find(type) == &dp_sqlite_connector) {
		snprintf(out, outsz, "sqlite:%s", c->database ? c->database : "?");
		return;
	}
	if (c->dsn) {
		snprintf(out, outsz, "%s:dsn=%s", type, c->dsn);
		return;
	}
	if (c->tls_server_name) {   /* a session-open copy: host:port is a tunnel's local end */
		snprintf(out, outsz, "%s://%s%s%s/%s through the SSH tunnel at %s:%d", type,
			 c->username ? c->username : "", c->username ? "@" : "", c->tls_server_name,
			 c->database ? c->database : "", c->host ? c->host : "?", c->port);
		return;
	}
	snprintf(out, outsz, "%s://%s%s%s:%d/%s%s%s", type, c->username ? c->username : "",
		 c->username ? "@" : "", c->host ? c->host : "localhost", c->port,
		 c->database ? c->database : "", c->ssh.enabled ? " via ssh " : "",
		 c->ssh.enabled && c->ssh.host ? c->ssh.host : "");
}
