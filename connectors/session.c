/* connectors/session.c - the one session-open path (see session.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "session.h"
#include "../base/dp_buf.h"
#include "../tunnel/ssh.h"

/* Which tunnel each open session goes through: a session holds one
 * reference, given back by dp_session_close after the driver closed it. */
typedef struct tunneled {
	struct tunneled *next;
	const dp_conn *c;
	dp_tunnel *t;
} tunneled;

static pthread_mutex_t tun_mu = PTHREAD_MUTEX_INITIALIZER;
static tunneled *tun_head;

int dp_session_driver(const dp_conn_cfg *cfg, dp_role role, const char *which,
		      const dp_connector **drv, dp_errbuf *eb)
{
	const dp_connector *d;
	unsigned cap = role == DP_ROLE_TARGET ? DP_CAP_TARGET : DP_CAP_SOURCE;

	*drv = NULL;
	if (!cfg->connector_type)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.connector_type: missing (one of %s)",
			       which, dp_connector_names());
	d = dp_connector_find(cfg->connector_type);
	if (!d)
		return dp_fail(eb, DP_ERR_UNSUPPORTED,
			       "%s.connector_type: \"%s\" is not available in this build "
			       "(available: %s)", which, cfg->connector_type, dp_connector_names());
	if (!(d->caps & cap))
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "%s: the %s connector cannot be used as a %s",
			       which, d->name, role == DP_ROLE_TARGET ? "target" : "source");
	*drv = d;
	return DP_OK;
}

/* The database's own port when the cfg leaves it to the driver. */
static int default_port(const dp_connector *d)
{
	if (d == &dp_pg_connector)
		return 5432;
	if (d == &dp_mysql_connector)
		return 3306;
	return 0;
}

/* Open through the tunnel for cfg->ssh: the driver gets a copy of cfg whose
 * host:port is the tunnel's local end and whose ssh part is off, so it
 * never sees the tunnel; tls_server_name keeps the real host for TLS. */
static int open_tunneled(const dp_connector *d, const dp_conn_cfg *cfg, dp_role role,
			 const char *which, dp_conn **out, dp_errbuf *eb)
{
	dp_tunnel_cfg tc;
	dp_tunnel *t = NULL;
	dp_conn_cfg c2;
	tunneled *node;
	int rc;

	if (!default_port(d))
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "%s.hooks_params.SSHTunnel: the %s connector "
			       "cannot go through an SSH tunnel", which, d->name);
	memset(&tc, 0, sizeof(tc));
	tc.host = cfg->ssh.host;
	tc.port = cfg->ssh.port;
	tc.username = cfg->ssh.username;
	tc.password = cfg->ssh.password;
	tc.private_key_file = cfg->ssh.private_key_file;
	tc.private_key_password = cfg->ssh.private_key_password;
	tc.known_hosts_file = cfg->ssh.known_hosts_file;
	tc.host_key_fingerprint = cfg->ssh.host_key_fingerprint;
	tc.local_host = cfg->ssh.local_host;
	tc.local_port = cfg->ssh.local_port;
	tc.remote_host = cfg->host && *cfg->host ? cfg->host : "localhost";
	tc.remote_port = cfg->port ? cfg->port : default_port(d);
	tc.which = which;
	node = calloc(1, sizeof(*node));
	if (!node)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	rc = dp_tunnel_acquire(&tc, &t, eb);
	if (rc) {
		free(node);
		return rc;
	}
	if (dp_conn_cfg_copy(&c2, cfg)) {
		dp_tunnel_release(t);
		free(node);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	free(c2.host);
	free(c2.tls_server_name);
	c2.tls_server_name = dp_strdup(tc.remote_host);
	c2.host = dp_strdup(dp_tunnel_local_host(t));
	c2.port = dp_tunnel_local_port(t);
	/* the driver needs none of the SSH settings, least of all its secrets */
	dp_secret_free(c2.ssh.password);
	dp_secret_free(c2.ssh.private_key_password);
	c2.ssh.password = c2.ssh.private_key_password = NULL;
	c2.ssh.enabled = 0;
	if (!c2.host || !c2.tls_server_name)
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	else
		rc = d->open(&c2, role, out, eb);
	dp_conn_cfg_clear(&c2);
	if (rc) {
		/* the tunnel died under the connection attempt: that is the cause */
		dp_errbuf why;
		dp_errbuf_clear(&why);
		if (dp_tunnel_status(t, &why)) {
			dp_errbuf_clear(eb);
			rc = dp_fail(eb, why.code, "%s: %s", which, why.msg);
		}
		dp_tunnel_release(t);
		free(node);
		return rc;
	}
	node->c = *out;
	node->t = t;
	pthread_mutex_lock(&tun_mu);
	node->next = tun_head;
	tun_head = node;
	pthread_mutex_unlock(&tun_mu);
	return DP_OK;
}

int dp_session_open(const dp_conn_cfg *cfg, dp_role role, const char *which,
		    const dp_connector **drv, dp_conn **out, dp_errbuf *eb)
{
	int rc = dp_session_driver(cfg, role, which, drv, eb);

	*out = NULL;
	if (rc)
		return rc;
	if (cfg->ssh.enabled)
		return open_tunneled(*drv, cfg, role, which, out, eb);
	return (*drv)->open(cfg, role, out, eb);
}

void dp_session_close(const dp_connector *drv, dp_conn *c)
{
	tunneled **pp, *node = NULL;

	if (!c)
		return;
	pthread_mutex_lock(&tun_mu);
	for (pp = &tun_head; *pp; pp = &(*pp)->next)
		if ((*pp)->c == c) {
			node = *pp;
			*pp = node->next;
			break;
		}
	pthread_mutex_unlock(&tun_mu);
	/* the driver says goodbye through the tunnel before it goes */
	drv->close(c);
	if (node) {
		dp_tunnel_release(node->t);
		free(node);
	}
}
