/* settings/conn_url.h - connection URLs as typed on the command line:
 *   sqlite:///relative.db  sqlite:////abs/path.db  sqlite:path  /a/plain/path.db
 *   postgresql://[user[:password]@]host[:port]/database[?schema=name]
 * (also postgres://; percent-escapes decoded). A password in a URL works but
 * ends up in shell history: PGPASSWORD or ~/.pgpass are better. */
#ifndef DP_CONN_URL_H
#define DP_CONN_URL_H

#include "../base/dp_err.h"
#include "../connectors/connector.h"

/* Fill cfg (zeroed first; free with dp_conn_cfg_clear). DP_ERR_CONFIG with
 * a message naming the URL part at fault; the message never contains the
 * password. */
int dp_conn_url_parse(const char *url, dp_conn_cfg *cfg, dp_errbuf *eb) DP_MUSTCHECK;

#endif
