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
 * (close it with (*drv)->close). Nothing is created on a target (see the
 * connector's open). */
int dp_session_open(const dp_conn_cfg *cfg, dp_role role, const char *which,
		    const dp_connector **drv, dp_conn **out, dp_errbuf *eb) DP_MUSTCHECK;

#endif
