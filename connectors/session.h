/* connectors/session.h - the one way to a database session.
 *
 * Every caller (a job's leader and workers, inspect, the demo builder, a
 * report reading a target back) opens its sessions here: the driver is
 * chosen and checked for the role in one place, and this is where the SSH
 * tunnel and the TLS settings of a connection are applied (when they
 * exist), so no caller can open a session without them.
 */
#ifndef DP_SESSION_H
#define DP_SESSION_H

#include "connector.h"

/* The driver for cfg->connector_type that can take `role`. `which` names
 * the connection in messages ("source", "target"). */
int dp_session_driver(const dp_conn_cfg *cfg, dp_role role, const char *which,
		      const dp_connector **drv, dp_errbuf *eb) DP_MUSTCHECK;

/* Open a session of `role` on cfg: *drv gets its driver, *out the session
 * (close it with dp_session_close). Nothing is created on a target (see the
 * connector's open). With cfg->ssh.enabled the session goes through the SSH
 * tunnel for those settings (started by the first session, shared by all of
 * the job's sessions, see tunnel/ssh.h): the driver opens a copy of cfg
 * whose host and port are the tunnel's local end, whose tls_server_name is
 * the real host, and whose ssh part is off. */
int dp_session_open(const dp_conn_cfg *cfg, dp_role role, const char *which,
		    const dp_connector **drv, dp_conn **out, dp_errbuf *eb) DP_MUSTCHECK;

/* Close a session opened by dp_session_open (driver close, then its tunnel
 * reference: the last session of a tunnel stops it). NULL c is fine. The
 * only place that calls a driver's close. */
void dp_session_close(const dp_connector *drv, dp_conn *c);

#endif
