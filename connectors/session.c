/* connectors/session.c - the one session-open path (see session.h). */
#include "session.h"

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

int dp_session_open(const dp_conn_cfg *cfg, dp_role role, const char *which,
		    const dp_connector **drv, dp_conn **out, dp_errbuf *eb)
{
	int rc = dp_session_driver(cfg, role, which, drv, eb);

	*out = NULL;
	if (rc)
		return rc;
	/* the place for the tunnel and TLS: drivers refuse SSHTunnel until the
	 * tunnel exists, and take the SSL settings from cfg */
	return (*drv)->open(cfg, role, out, eb);
}
