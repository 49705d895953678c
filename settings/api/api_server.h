/* settings/api/api_server.h - `doppel serve`: the REST API on libmicrohttpd.
 *
 * The server owns: the listening socket (TCP on an explicit address, or a
 * unix socket), a thread pool, one store connection per worker thread, the
 * limits (connections, body size, header memory, request time) and the
 * graceful shutdown on SIGTERM/SIGINT. Routes, auth and the OpenAPI
 * document come from the one route table (routes.c).
 */
#ifndef DP_API_SERVER_H
#define DP_API_SERVER_H

#include <stdio.h>
#include <stddef.h>
#include "../../base/dp_err.h"

typedef struct dp_api_opts {
	const char *listen;        /* "127.0.0.1:8080", "[::1]:8080", "unix:/path" */
	const char *store_path;    /* the SQLite store */
	unsigned threads;          /* worker threads (thread pool size), >= 1 */
	unsigned max_connections;  /* concurrent connections; more are refused */
	size_t max_body;           /* request body bytes; more is 413 */
	size_t max_header_memory;  /* per-connection header memory (MHD's limit) */
	unsigned request_timeout;  /* seconds a request may take to arrive */
	unsigned session_ttl;      /* seconds a login session lives */
	unsigned shutdown_grace;   /* seconds in-flight requests get at shutdown */
	const char *tls_cert;      /* PEM certificate (chain) file: HTTPS; NULL = HTTP */
	const char *tls_key;       /* PEM private key file (with tls_cert) */
	unsigned max_jobs;         /* jobs running at once; more wait QUEUED */
	unsigned login_limit;      /* failed logins per client address and window */
	unsigned login_window;     /* seconds of that window */
} dp_api_opts;

/* Defaults for every field but listen and store_path. */
void dp_api_opts_default(dp_api_opts *o);

/* Serve until SIGTERM or SIGINT. The master key comes from the environment
 * (see settings/store.h). Returns DP_OK after a clean shutdown, or the
 * error that kept the server from starting (message in eb). Blocks both
 * signals in the calling thread: call it from the main thread before other
 * threads exist. */
int dp_api_serve(const dp_api_opts *o, dp_errbuf *eb) DP_MUSTCHECK;

/* The route table as lines "METHOD PATH ROLE SUMMARY" (ROLE "public" for
 * routes without auth), for the tests' route iteration. */
void dp_api_print_routes(FILE *f);
/* The OpenAPI document (as GET /api/v1/openapi.json serves it), indented. */
void dp_api_print_openapi(FILE *f);

#endif
