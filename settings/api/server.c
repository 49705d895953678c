/* settings/api/server.c - libmicrohttpd glue: listening, the thread pool,
 * limits, one store connection per worker thread, auth, dispatch through
 * the route table, replies, the request-time watchdog and the graceful
 * shutdown.
 *
 * Request life: MHD calls on_request() once with the headers (early 413 and
 * 415 are answered there, before any body byte is read), then with each
 * piece of the body (kept up to max_body), then once more: dispatch() runs
 * the route's handler, which answers through api_reply()/api_error().
 * on_completed() frees the request context (one cleanup hook).
 *
 * Slow clients: MHD's own timeout is an idle timeout, so a client sending
 * one byte a second would hold its connection forever. The watchdog thread
 * measures each connection's current request from its first byte (the end
 * of the previous one) and cuts it with a 408 once request_timeout passes,
 * unless its handler is already running. The event loop never blocks on a
 * client, so a slow one holds no thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include "api.h"
#include "../../base/dp_log.h"

/* Defaults (dp_api_opts_default): sized for a team's server on 2 cores. */
#define DEF_THREADS 4
#define DEF_MAX_CONNECTIONS 256
#define DEF_MAX_BODY ((size_t)1 << 20)         /* 1 MiB: an engine is a few KiB */
#define DEF_HEADER_MEMORY ((size_t)32 << 10)   /* MHD's default: bounds header count too */
#define DEF_REQUEST_TIMEOUT 30
#define DEF_SESSION_TTL (12 * 3600)
#define DEF_SHUTDOWN_GRACE 10
#define DEF_MAX_JOBS 2            /* a job uses n_parallel_pipeline_processes threads itself */
#define WATCHDOG_TICK_MS 200
/* Failed logins: 10 per client address per 5 minutes, then 429 until the
 * window ends (a scrypt check costs ~0.1 s: this bounds guessing to 2 a
 * minute per address). The table holds the busiest LOGIN_SLOTS addresses. */
#define DEF_LOGIN_LIMIT 10
#define DEF_LOGIN_WINDOW 300
#define LOGIN_SLOTS 1024

typedef struct login_slot {
	char client[64];
	unsigned failures;
	double window_start;
} login_slot;

typedef struct conn_slot {
	struct conn_slot *prev, *next;
	int fd;
	double since;            /* start of the current request */
	int responding;          /* its handler runs or its answer is queued */
	int cut;
} conn_slot;

struct api_server {
	const dp_api_opts *o;
	struct MHD_Daemon *d;
	dp_master_key key;
	pthread_key_t store_key;
	pthread_mutex_t mu;      /* slots, nconn */
	conn_slot *slots;
	int nconn;
	int stop;
	pthread_t watchdog;
	atomic_ulong next_id;
	pthread_mutex_t login_mu;
	login_slot logins[LOGIN_SLOTS];
	int https;
	api_jobs *jobs;
};

void dp_api_opts_default(dp_api_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threads = DEF_THREADS;
	o->max_connections = DEF_MAX_CONNECTIONS;
	o->max_body = DEF_MAX_BODY;
	o->max_header_memory = DEF_HEADER_MEMORY;
	o->request_timeout = DEF_REQUEST_TIMEOUT;
	o->session_ttl = DEF_SESSION_TTL;
	o->shutdown_grace = DEF_SHUTDOWN_GRACE;
	o->max_jobs = DEF_MAX_JOBS;
	o->login_limit = DEF_LOGIN_LIMIT;
	o->login_window = DEF_LOGIN_WINDOW;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- replies ---- */

const char *api_param(const api_req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (!strcmp(r->pname[i], name))
			return r->pval[i];
	return "";
}

void api_reply(api_req *r, unsigned status, cJSON *json)
{
	if (r->replied) {
		cJSON_Delete(json);
		return;
	}
	free(r->out);
	r->out = json ? cJSON_PrintUnformatted(json) : NULL;
	cJSON_Delete(json);
	r->replied = 1;
	r->status = status;
	if (!r->out) {
		r->status = 500;
		r->out = dp_strdup("{\"error_code\":\"internal_error\",\"message\":\"out of memory\","
				   "\"detail\":null}");
	}
}

void api_error(api_req *r, api_ec ec, const char *field, const char *fmt, ...)
{
	const api_ec_def *d = api_ec_get(ec);
	cJSON *o = cJSON_CreateObject(), *det = NULL;
	char reason[DP_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (o && cJSON_AddStringToObject(o, "error_code", d->code) &&
	    cJSON_AddStringToObject(o, "message", d->message)) {
		det = cJSON_AddObjectToObject(o, "detail");
		if (!det || (field && *field && !cJSON_AddStringToObject(det, "field", field)) ||
		    !cJSON_AddStringToObject(det, "reason", reason)) {
			cJSON_Delete(o);
			o = NULL;
		}
	} else {
		cJSON_Delete(o);
		o = NULL;
	}
	api_reply(r, d->status, o);
}

void api_fail(api_req *r, int rc, const dp_errbuf *eb)
{
	const char *msg = eb && eb->msg[0] ? eb->msg : dp_strerror(rc);
	char field[256] = "";

	switch (rc) {
	case DP_ERR_CONFIG: {
		/* settings and engine-file messages start with the JSON path */
		size_t n = strcspn(msg, ": ");
		if (n && n < sizeof(field) && msg[n] == ':')
			snprintf(field, sizeof(field), "%.*s", (int)n, msg);
		api_error(r, API_EC_VALIDATION, field, "%s", msg);
		return;
	}
	case DP_ERR_NOTFOUND:
		api_error(r, API_EC_NOT_FOUND, NULL, "%s", msg);
		return;
	case DP_ERR_AUTH:
		api_error(r, API_EC_UNAUTHENTICATED, NULL, "%s", msg);
		return;
	case DP_ERR_REFUSED:
		api_error(r, API_EC_UNPROCESSABLE, NULL, "%s", msg);
		return;
	case DP_ERR_RETRY:
		api_error(r, API_EC_BUSY, NULL, "%s", msg);
		return;
	default:
		dp_log_error("%s %s: %s", r->method, r->path, msg);
		api_error(r, API_EC_INTERNAL, NULL, "request %s failed; the server log has the cause",
			  r->id);
	}
}

cJSON *api_body_object(api_req *r)
{
	api_body_err e;
	cJSON *o;

	if (r->too_large) {
		api_error(r, API_EC_TOO_LARGE, NULL, "more than %zu bytes", r->srv->o->max_body);
		return NULL;
	}
	if (api_body_parse(r->body.data ? r->body.data : "", r->body.len, &o, &e)) {
		api_error(r, e.ec, e.field, "%s", e.reason);
		return NULL;
	}
	return o;
}

/* ---- failed-login throttle ---- */

/* the slot of r's client (a free, expired or the oldest one when new);
 * login_mu held */
static login_slot *login_slot_of(api_server *srv, const char *client, double t)
{
	login_slot *oldest = &srv->logins[0];
	unsigned h = 2166136261u;

	for (const char *c = client; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	for (unsigned i = 0; i < 8; i++) {      /* a short probe, then eviction */
		login_slot *s = &srv->logins[(h + i) % LOGIN_SLOTS];
		if (!strcmp(s->client, client))
			return s;
		if (!s->client[0] || t - s->window_start >= srv->o->login_window) {
			oldest = s;
			break;
		}
		if (s->window_start < oldest->window_start)
			oldest = s;
	}
	snprintf(oldest->client, sizeof(oldest->client), "%s", client);
	oldest->failures = 0;
	oldest->window_start = t;
	return oldest;
}

int api_login_gate(api_req *r)
{
	api_server *srv = r->srv;
	double t = now_s(), left = 0;
	login_slot *s;

	pthread_mutex_lock(&srv->login_mu);
	s = login_slot_of(srv, r->client, t);
	if (t - s->window_start >= srv->o->login_window) {
		s->failures = 0;
		s->window_start = t;
	}
	if (s->failures >= srv->o->login_limit)
		left = srv->o->login_window - (t - s->window_start);
	pthread_mutex_unlock(&srv->login_mu);
	if (left <= 0)
		return 0;
	snprintf(r->retry_after, sizeof(r->retry_after), "%u", (unsigned)left + 1);
	dp_log_warn("login refused for %s: %u failed logins in %us", r->client,
		    srv->o->login_limit, srv->o->login_window);
	api_error(r, API_EC_RATE_LIMITED, NULL, "retry in %u s", (unsigned)left + 1);
	return -1;
}

void api_login_failed(api_req *r)
{
	api_server *srv = r->srv;
	login_slot *s;

	pthread_mutex_lock(&srv->login_mu);
	s = login_slot_of(srv, r->client, now_s());
	s->failures++;
	pthread_mutex_unlock(&srv->login_mu);
}

/* ---- auth ---- */

static dp_store *thread_store(api_server *srv, dp_errbuf *eb)
{
	dp_store *st = pthread_getspecific(srv->store_key);

	if (!st) {
		if (dp_store_open(srv->o->store_path, srv->key.set ? &srv->key : NULL, &st, eb))
			return NULL;
		pthread_setspecific(srv->store_key, st);
	}
	return st;
}

static void store_destroy(void *p)
{
	dp_store_close(p);
}

static const char *header(api_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* 0 = authenticated; else the reply is made */
static int authenticate(api_req *r)
{
	const char *a = header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "sessionid");
	dp_errbuf eb;
	char csrf[DP_TOKEN_HEX + 1];

	dp_errbuf_clear(&eb);
	if (a) {
		if (strncasecmp(a, "Api-Key ", 8)) {
			api_error(r, API_EC_UNAUTHENTICATED, "Authorization",
				  "expected Authorization: Api-Key <key>");
			return -1;
		}
		a += 8;
		while (*a == ' ')
			a++;
		if (dp_store_apikey_user(r->st, a, &r->user, &eb)) {
			api_fail(r, eb.code == DP_ERR_AUTH ? DP_ERR_AUTH : eb.code, &eb);
			return -1;
		}
		r->auth = 2;
		return 0;
	}
	if (!cookie) {
		api_error(r, API_EC_UNAUTHENTICATED, NULL, "no credentials");
		return -1;
	}
	if (dp_store_session_user(r->st, cookie, &r->user, csrf, &eb)) {
		api_fail(r, eb.code ? eb.code : DP_ERR_AUTH, &eb);
		return -1;
	}
	r->auth = 1;
	snprintf(r->session, sizeof(r->session), "%s", cookie);
	/* a cookie rides along with any cross-site request: changes also need
	 * the token only our own pages can read */
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		const char *t = header(r, "X-CSRF-Token");
		if (!t || strlen(t) != DP_TOKEN_HEX || CRYPTO_memcmp(t, csrf, DP_TOKEN_HEX)) {
			api_error(r, API_EC_CSRF, "X-CSRF-Token", "missing or wrong X-CSRF-Token");
			return -1;
		}
	}
	return 0;
}

/* ---- dispatch ---- */

static void dispatch(api_req *r)
{
	int known;
	dp_errbuf eb;
	const api_route *rt = api_route_match(r->method, r->path, r->pname, r->pval, &r->nparams,
					      &known, r->allow, sizeof(r->allow));

	dp_errbuf_clear(&eb);
	if (!rt) {
		if (known)
			api_error(r, API_EC_METHOD, NULL, "%s is not allowed here (allowed: %s)",
				  r->method, r->allow);
		else
			api_error(r, API_EC_NO_ROUTE, NULL, "no route %.200s", r->path);
		return;
	}
	r->allow[0] = '\0';
	r->route = rt;
	if (!(r->st = thread_store(r->srv, &eb))) {
		api_fail(r, eb.code ? eb.code : DP_ERR_IO, &eb);
		return;
	}
	if (!(rt->flags & API_F_PUBLIC)) {
		if (authenticate(r))
			return;
		if (r->user.role < rt->role) {
			api_error(r, API_EC_FORBIDDEN, NULL, "%s %s needs the %s role; you are %s",
				  rt->method, rt->path, dp_role_name(rt->role), dp_role_name(r->user.role));
			return;
		}
	}
	if (r->too_large) {
		api_error(r, API_EC_TOO_LARGE, NULL, "more than %zu bytes", r->srv->o->max_body);
		return;
	}
	rt->fn(r);
	if (!r->replied)
		api_error(r, API_EC_INTERNAL, NULL, "the handler gave no answer");
}

static int takes_body(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
}

static enum MHD_Result send_reply(api_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *body = r->out ? r->out : "";

	resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		return MHD_NO;
	r->out = NULL;       /* MHD frees it */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookie);
	if (r->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->total[0])
		MHD_add_response_header(resp, "X-Total-Count", r->total);
	if (r->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
	if (r->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Api-Key");
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	dp_log_info("%s %s -> %u%s%s", r->method, r->path, r->status, r->user.name[0] ? " user=" : "",
		    r->user.name);
	return ret;
}

static conn_slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void client_text(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "unix");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	api_server *srv = cls;
	api_req *r = *con_cls;
	dp_log_ctx lc;
	enum MHD_Result ret;

	if (!r) {
		const char *cl, *ct;
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*con_cls = r;
		r->srv = srv;
		r->conn = c;
		r->method = method;
		r->session_ttl = srv->o->session_ttl;
		r->https = srv->https;
		r->jobs = srv->jobs;
		client_text(c, r->client, sizeof(r->client));
		snprintf(r->id, sizeof(r->id), "req-%lu", (unsigned long)atomic_fetch_add(&srv->next_id, 1));
		if (strlen(url) >= sizeof(r->path)) {
			api_error(r, API_EC_NO_ROUTE, NULL, "path longer than %zu bytes", sizeof(r->path));
			return send_reply(r);
		}
		snprintf(r->path, sizeof(r->path), "%s", url);
		r->body.max = srv->o->max_body + 1;
		cl = header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > srv->o->max_body) {
			api_error(r, API_EC_TOO_LARGE, NULL, "%s bytes is more than the %zu allowed", cl,
				  srv->o->max_body);
			return send_reply(r);
		}
		ct = header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (takes_body(method) && ((cl && strcmp(cl, "0")) ||
					   header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING)) &&
		    (!ct || strncasecmp(ct, "application/json", 16) ||
		     (ct[16] && ct[16] != ';' && ct[16] != ' '))) {
			api_error(r, API_EC_MEDIA_TYPE, "Content-Type", "got %.100s",
				  ct ? ct : "no Content-Type");
			return send_reply(r);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->too_large && dp_buf_append(&r->body, upload_data, *upload_data_size)) {
			/* a body without Content-Length grew past the limit: no answer
			 * can be queued mid-body, so the connection is closed */
			r->too_large = 1;
			dp_log_warn("%s %s %s: body beyond %zu bytes, connection closed", r->id, method,
				    r->path, srv->o->max_body);
			return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->replied)
		return send_reply(r);
	{
		conn_slot *s = slot_of(c);
		pthread_mutex_lock(&srv->mu);
		if (s)
			s->responding = 1;
		pthread_mutex_unlock(&srv->mu);
	}
	memset(&lc, 0, sizeof(lc));
	snprintf(lc.job, sizeof(lc.job), "%s", r->id);
	dp_log_bind(&lc);
	dispatch(r);
	ret = send_reply(r);
	dp_log_bind(NULL);
	(void)version;
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	api_server *srv = cls;
	api_req *r = *con_cls;
	conn_slot *s = slot_of(c);

	pthread_mutex_lock(&srv->mu);
	if (s) {
		s->since = now_s();
		s->responding = 0;
	}
	pthread_mutex_unlock(&srv->mu);
	if (!r)
		return;
	free(r->out);
	/* bodies may carry passwords (login, connectors) */
	if (r->body.data)
		OPENSSL_cleanse(r->body.data, r->body.cap);
	dp_buf_free(&r->body);
	OPENSSL_cleanse(r->session, sizeof(r->session));
	free(r);
	*con_cls = NULL;
	(void)toe;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	api_server *srv = cls;
	conn_slot *s;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!(s = calloc(1, sizeof(*s))))
			return;
		s->fd = ci ? ci->connect_fd : -1;
		s->since = now_s();
		pthread_mutex_lock(&srv->mu);
		s->next = srv->slots;
		if (srv->slots)
			srv->slots->prev = s;
		srv->slots = s;
		srv->nconn++;
		pthread_mutex_unlock(&srv->mu);
		*socket_context = s;
		return;
	}
	if (!(s = *socket_context))
		return;
	pthread_mutex_lock(&srv->mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		srv->slots = s->next;
	if (s->next)
		s->next->prev = s->prev;
	srv->nconn--;
	pthread_mutex_unlock(&srv->mu);
	free(s);
	*socket_context = NULL;
}

static void *watchdog(void *arg)
{
	static const char body408[] =
		"{\"error_code\":\"request_timeout\",\"message\":\"The request did not arrive in "
		"time\",\"detail\":{\"reason\":\"the connection was cut\"}}";
	char resp408[512];
	api_server *srv = arg;
	struct timespec tick = { 0, WATCHDOG_TICK_MS * 1000000L };
	int n408 = snprintf(resp408, sizeof(resp408), "HTTP/1.1 408 Request Timeout\r\n"
			    "Content-Type: application/json\r\nConnection: close\r\n"
			    "Content-Length: %zu\r\n\r\n%s", sizeof(body408) - 1, body408);

	for (;;) {
		double t = now_s();
		pthread_mutex_lock(&srv->mu);
		if (srv->stop) {
			pthread_mutex_unlock(&srv->mu);
			break;
		}
		for (conn_slot *s = srv->slots; s; s = s->next) {
			if (s->responding || s->cut || s->fd < 0 ||
			    t - s->since < (double)srv->o->request_timeout)
				continue;
			s->cut = 1;
			/* the socket is MHD's; it is only written while no answer of ours
			 * is queued on it (and never under TLS, where plain bytes would be
			 * noise), and shut down so MHD closes it */
			if (!srv->https)
				(void)!send(s->fd, resp408, (size_t)n408, MSG_DONTWAIT | MSG_NOSIGNAL);
			shutdown(s->fd, SHUT_RDWR);
			dp_log_warn("a request took longer than %us to arrive: connection cut",
				    srv->o->request_timeout);
		}
		pthread_mutex_unlock(&srv->mu);
		nanosleep(&tick, NULL);
	}
	return NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char m[512];

	vsnprintf(m, sizeof(m), fmt, ap);
	m[strcspn(m, "\n")] = '\0';
	dp_log_info("http: %s", m);
	(void)cls;
}

/* ---- listening ---- */

/* A PEM file into memory (for MHD_OPTION_HTTPS_MEM_*): NUL-terminated,
 * at most 1 MiB. Freed with dp_secret_free (a key). */
#define PEM_MAX ((size_t)1 << 20)
static int read_pem(const char *path, const char *what, char **out, dp_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	dp_buf b = DP_BUF_INIT;
	char chunk[4096];
	size_t n;

	*out = NULL;
	if (!f)
		return dp_fail(eb, DP_ERR_CONFIG, "%s %s: %s", what, path, strerror(errno));
	b.max = PEM_MAX;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (dp_buf_append(&b, chunk, n)) {
			fclose(f);
			OPENSSL_cleanse(chunk, sizeof(chunk));
			if (b.data)
				OPENSSL_cleanse(b.data, b.cap);
			dp_buf_free(&b);
			return dp_fail(eb, DP_ERR_CONFIG, "%s %s: larger than 1 MiB", what, path);
		}
	fclose(f);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	if (!b.len || !strstr(b.data, "-----BEGIN ")) {
		if (b.data)
			OPENSSL_cleanse(b.data, b.cap);
		dp_buf_free(&b);
		return dp_fail(eb, DP_ERR_CONFIG, "%s %s: not a PEM file", what, path);
	}
	*out = b.data;
	return DP_OK;
}

static int listen_unix(const char *path, int *fd_out, dp_errbuf *eb)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return dp_fail(eb, DP_ERR_CONFIG, "--listen unix:%s: path too long", path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return dp_fail(eb, DP_ERR_CONFIG, "--listen unix:%s: exists and is not a socket",
				       path);
		unlink(path);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0660) || listen(fd, 128)) {
		int rc = dp_fail(eb, DP_ERR_IO, "--listen unix:%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	*fd_out = fd;
	return DP_OK;
}

static int parse_inet(const char *l, struct sockaddr_storage *ss, dp_errbuf *eb)
{
	char host[128];
	const char *colon;
	char *end;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (l[0] == '[') {
		const char *rb = strchr(l, ']');
		if (!rb || rb[1] != ':' || (size_t)(rb - l - 1) >= sizeof(host))
			return dp_fail(eb, DP_ERR_CONFIG, "--listen %s: expected [v6-address]:port", l);
		snprintf(host, sizeof(host), "%.*s", (int)(rb - l - 1), l + 1);
		colon = rb + 1;
	} else {
		colon = strrchr(l, ':');
		if (!colon || (size_t)(colon - l) >= sizeof(host) || colon == l)
			return dp_fail(eb, DP_ERR_CONFIG, "--listen %s: expected ADDRESS:PORT (e.g. "
				       "127.0.0.1:8080) or unix:/path", l);
		snprintf(host, sizeof(host), "%.*s", (int)(colon - l), l);
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port > 65535)
		return dp_fail(eb, DP_ERR_CONFIG, "--listen %s: port must be 0..65535", l);
	{
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
			a4->sin_family = AF_INET;
			a4->sin_port = htons((uint16_t)port);
		} else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
			a6->sin6_family = AF_INET6;
			a6->sin6_port = htons((uint16_t)port);
		} else {
			return dp_fail(eb, DP_ERR_CONFIG, "--listen %s: %s is not an IP address (names "
				       "are not resolved: say which interface)", l, host);
		}
	}
	return DP_OK;
}

int dp_api_serve(const dp_api_opts *o, dp_errbuf *eb)
{
	api_server *srv = calloc(1, sizeof(*srv));
	struct sockaddr_storage ss;
	sigset_t set;
	dp_store *st = NULL;
	int rc, sig = 0, ufd = -1, key_made = 0, wd = 0;
	char *cert = NULL, *tlskey = NULL;
	const char *upath = NULL;
	unsigned port = 0;

	if (!srv)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	srv->o = o;
	pthread_mutex_init(&srv->mu, NULL);
	pthread_mutex_init(&srv->login_mu, NULL);
	if ((rc = dp_master_key_load(&srv->key, eb)))
		goto out;
	/* migrate once, and check the key against the store, before listening */
	if ((rc = dp_store_open(o->store_path, srv->key.set ? &srv->key : NULL, &st, eb)))
		goto out;
	dp_log_info("store %s: schema version %d", o->store_path, dp_store_schema_version(st));
	{
		int n = 0;
		if ((rc = dp_store_jobs_interrupt(st, &n, eb))) {
			dp_store_close(st);
			goto out;
		}
		if (n)
			dp_log_warn("%d job(s) a stopped server left running are now INTERRUPTED", n);
	}
	if (!srv->key.set && dp_store_has_secrets(st)) {
		dp_store_close(st);
		rc = dp_fail(eb, DP_ERR_CONFIG, "the store %s holds encrypted database passwords: set "
			     "DOPPEL_MASTER_KEY_FILE or DOPPEL_MASTER_KEY to the master key they were "
			     "stored under", o->store_path);
		goto out;
	}
	dp_store_close(st);
	if (!srv->key.set)
		dp_log_warn("no master key (DOPPEL_MASTER_KEY_FILE / DOPPEL_MASTER_KEY): engines with "
			    "passwords cannot be stored");
	if (!strncmp(o->listen, "unix:", 5)) {
		upath = o->listen + 5;
		if ((rc = listen_unix(upath, &ufd, eb)))
			goto out;
	} else if ((rc = parse_inet(o->listen, &ss, eb))) {
		goto out;
	}
	if (!o->tls_cert != !o->tls_key) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "HTTPS needs both --tls-cert and --tls-key");
		goto out;
	}
	if (o->tls_cert) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			rc = dp_fail(eb, DP_ERR_UNSUPPORTED, "this libmicrohttpd has no TLS");
			goto out;
		}
		if ((rc = read_pem(o->tls_cert, "--tls-cert", &cert, eb)) ||
		    (rc = read_pem(o->tls_key, "--tls-key", &tlskey, eb)))
			goto out;
		srv->https = 1;
	}
	if (!(srv->jobs = api_jobs_new(o->store_path, srv->key.set ? &srv->key : NULL, o->max_jobs))) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (pthread_key_create(&srv->store_key, store_destroy)) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "pthread_key_create");
		goto out;
	}
	key_made = 1;
	/* the pool's threads inherit the mask: only this thread takes signals */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	srv->d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG | MHD_USE_ITC |
		(upath || ss.ss_family == AF_INET ? 0 : MHD_USE_IPv6) | (srv->https ? MHD_USE_TLS : 0),
		0, NULL, NULL, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,      /* first: MHD says so */
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->request_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->max_header_memory,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		upath ? MHD_OPTION_LISTEN_SOCKET : MHD_OPTION_SOCK_ADDR,
		upath ? (void *)(intptr_t)ufd : (void *)&ss,
		/* last, so that without TLS the list ends here */
		srv->https ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, tlskey,
		MHD_OPTION_HTTPS_MEM_CERT, cert,
		MHD_OPTION_END);
	if (!srv->d) {
		rc = dp_fail(eb, DP_ERR_IO, "cannot listen on %s: %s", o->listen, strerror(errno));
		goto out;
	}
	if (!upath) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
		port = di ? di->port : 0;
	}
	if (pthread_create(&srv->watchdog, NULL, watchdog, srv) == 0)
		wd = 1;
	if (upath)
		fprintf(stderr, "doppel serve: listening on unix:%s%s\n", upath, srv->https ? " (https)" : "");
	else
		fprintf(stderr, "doppel serve: listening on %.*s port %u%s\n",
			(int)(strrchr(o->listen, ':') - o->listen), o->listen, port,
			srv->https ? " (https)" : "");
	fflush(stderr);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "doppel serve: signal %d: stopping (in-flight requests get %us)\n", sig,
		o->shutdown_grace);
	{
		MHD_socket lfd = MHD_quiesce_daemon(srv->d);   /* no new connections */
		double until = now_s() + o->shutdown_grace;
		for (;;) {
			int n;
			pthread_mutex_lock(&srv->mu);
			n = srv->nconn;
			pthread_mutex_unlock(&srv->mu);
			if (n == 0 || now_s() >= until)
				break;
			usleep(50000);
		}
		MHD_stop_daemon(srv->d);
		srv->d = NULL;
		/* running jobs are cancelled: they end INTERRUPTED, targets as they were */
		api_jobs_free(srv->jobs);
		srv->jobs = NULL;
		if (lfd != MHD_INVALID_SOCKET)
			close(lfd);
		ufd = -1;   /* MHD closed or returned it */
	}
	fprintf(stderr, "doppel serve: stopped\n");
	rc = DP_OK;
out:
	if (wd) {
		pthread_mutex_lock(&srv->mu);
		srv->stop = 1;
		pthread_mutex_unlock(&srv->mu);
		pthread_join(srv->watchdog, NULL);
	}
	if (srv->d)
		MHD_stop_daemon(srv->d);
	api_jobs_free(srv->jobs);
	if (ufd >= 0)
		close(ufd);
	if (upath)
		unlink(upath);
	if (key_made)
		pthread_key_delete(srv->store_key);
	dp_master_key_wipe(&srv->key);
	free(cert);
	if (tlskey) {
		OPENSSL_cleanse(tlskey, strlen(tlskey));
		free(tlskey);
	}
	pthread_mutex_destroy(&srv->mu);
	pthread_mutex_destroy(&srv->login_mu);
	free(srv);
	return rc;
}
