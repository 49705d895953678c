/* settings/api/api.h - what the REST handlers share: the request context,
 * the route table, the error registry, body parsing and replies.
 *
 * Private to settings/api/. One handler per file, named after its route and
 * method (engine_get.c = GET /api/v1/engine/{engine_id}/); each is one
 * function taking the request and answering it through api_reply() or
 * api_error() exactly once.
 */
#ifndef DP_API_H
#define DP_API_H

#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>
#include "../../base/dp_err.h"
#include "../../base/dp_buf.h"
#include "../../base/dp_log.h"
#include "../store.h"
#include "../settings_table.h"
#include "api_server.h"

#define API_PREFIX "/api/v1"
#define API_MAX_PARAMS 4
#define API_PARAM_MAX 128

/* ---- the error registry: error_code -> HTTP status and message ---- */
typedef enum api_ec {
	API_EC_INVALID_JSON = 0,  /* 400 malformed JSON */
	API_EC_INVALID_UTF8,      /* 400 */
	API_EC_VALIDATION,        /* 400 a field is wrong: detail.field names it */
	API_EC_UNAUTHENTICATED,   /* 401 no or unknown credentials */
	API_EC_BAD_CREDENTIALS,   /* 401 wrong user name or password */
	API_EC_CSRF,              /* 403 cookie auth without the session's X-CSRF-Token */
	API_EC_FORBIDDEN,         /* 403 role too low */
	API_EC_NOT_FOUND,         /* 404 the object */
	API_EC_NO_ROUTE,          /* 404 the path */
	API_EC_METHOD,            /* 405 */
	API_EC_TIMEOUT,           /* 408 the request did not arrive in time */
	API_EC_CONFLICT,          /* 409 */
	API_EC_TOO_LARGE,         /* 413 */
	API_EC_MEDIA_TYPE,        /* 415 */
	API_EC_UNPROCESSABLE,     /* 422 valid JSON, but not something we can do */
	API_EC_RATE_LIMITED,      /* 429 too many failed logins from this client */
	API_EC_INTERNAL,          /* 500 */
	API_EC_BUSY,              /* 503 the store stayed busy */
	API_EC__COUNT
} api_ec;

typedef struct api_ec_def {
	const char *code;         /* error_code */
	unsigned status;
	const char *message;
} api_ec_def;
const api_ec_def *api_ec_get(api_ec ec);

/* ---- the route table ---- */
typedef struct api_req api_req;
typedef void (*api_handler)(api_req *r);

#define API_F_PUBLIC 1u   /* no auth (login, health) */
#define API_F_BODY   2u   /* takes a JSON body */

typedef struct api_route {
	const char *method;
	const char *path;         /* "/api/v1/engine/{engine_id}/" */
	api_handler fn;
	dp_user_role role;        /* minimum role */
	unsigned flags;
	const char *op_id;        /* OpenAPI operationId */
	const char *summary;
	const char *tag;
	const char *req_schema;   /* components/schemas name, or NULL */
	const char *resp_schema;  /* components/schemas name of the 2xx body */
	unsigned ok_status;       /* 200 or 201 */
} api_route;

const api_route *api_routes(size_t *n);
/* The route for method + path: params filled (names from {...}). NULL:
 * *path_known says whether another method has the path (405), and allow
 * receives those methods ("GET, PUT"). */
const api_route *api_route_match(const char *method, const char *path,
				 char names[API_MAX_PARAMS][API_PARAM_MAX],
				 char values[API_MAX_PARAMS][API_PARAM_MAX], size_t *nparams,
				 int *path_known, char *allow, size_t allowsz);

/* ---- jobs (jobs.c): run in the server, max_jobs at once ---- */
typedef struct api_jobs api_jobs;
typedef struct api_job api_job;
api_jobs *api_jobs_new(const char *store_path, const dp_master_key *key, unsigned max_jobs);
/* Cancel what runs (it ends INTERRUPTED), wait for every job thread, free. */
void api_jobs_free(api_jobs *js);
/* A new QUEUED job of the engine, started as soon as a slot is free. */
int api_jobs_start(api_jobs *js, dp_store *st, const dp_user *u, const char *engine_id,
		   char *id_out, dp_errbuf *eb) DP_MUSTCHECK;
/* Ask a queued or running job to stop: 1 when this server runs it. */
int api_jobs_cancel(api_jobs *js, const char *id, const char *reason);
/* The engine's progress of a running job, or NULL. Caller frees. */
cJSON *api_jobs_live_progress(api_jobs *js, const char *id);

/* ---- the request ---- */
typedef struct api_server api_server;

struct api_req {
	api_server *srv;
	void *conn;               /* struct MHD_Connection * */
	dp_store *st;             /* this thread's store connection */
	char id[20];              /* request id, in every log line */
	const char *method;
	char path[1024];
	const api_route *route;
	size_t nparams;
	char pname[API_MAX_PARAMS][API_PARAM_MAX];
	char pval[API_MAX_PARAMS][API_PARAM_MAX];
	dp_buf body;
	int too_large;
	dp_user user;             /* after auth */
	int auth;                 /* 0 none, 1 session cookie, 2 API key */
	char session[DP_TOKEN_HEX + 1];
	/* the answer */
	int replied;
	unsigned status;
	char *out;                /* body text (malloc'd) */
	char cookie[256];         /* Set-Cookie, "" for none */
	char allow[64];           /* Allow (405) */
	char total[24];           /* X-Total-Count of a listing, "" for none */
	char retry_after[16];     /* Retry-After (429), "" for none */
	char client[64];          /* client address ("unix" on a unix socket) */
	int https;
	unsigned session_ttl;
	api_jobs *jobs;
};

/* A path parameter ("engine_id"), or "" */
const char *api_param(const api_req *r, const char *name);
/* Parse the body as one JSON object (api_body_parse); on failure the error
 * reply is sent and NULL returned. Caller frees with cJSON_Delete. */
cJSON *api_body_object(api_req *r);
/* Reply with status and the JSON (taken over; NULL = out of memory -> 500). */
void api_reply(api_req *r, unsigned status, cJSON *json);
/* Reply {error_code, message, detail: {field?, reason}} for ec. field may
 * be NULL; reason is printf-like (never a secret). */
void api_error(api_req *r, api_ec ec, const char *field, const char *fmt, ...) DP_PRINTF(4, 5);
/* Reply for an engine/store error: CONFIG 400 (the field from the message's
 * leading "path:"), NOTFOUND 404, AUTH 401, REFUSED 409, RETRY 503, others
 * 500. */
void api_fail(api_req *r, int rc, const dp_errbuf *eb);

/* Failed logins per client address: 0 when this client may try to log in,
 * else the reply (429 with Retry-After) is made and -1 returned. */
int api_login_gate(api_req *r);
/* Count a failed login of the request's client. */
void api_login_failed(api_req *r);

/* ---- the body parser (fuzzed: tests/fuzz/fuzz_api_body.c) ---- */
typedef struct api_body_err {
	api_ec ec;
	char field[256];          /* JSON path of the culprit, "" for the document */
	char reason[256];
} api_body_err;
/* One JSON object of len bytes: valid UTF-8, no NUL, strict JSON, nothing
 * after it, no duplicate member names at any depth. *out freed by the
 * caller. Returns 0, or -1 with e filled. */
int api_body_parse(const char *data, size_t len, cJSON **out, api_body_err *e);

/* ---- settings through the settings table ---- */
/* s = defaults + the settings in json (text written by api_settings_text). */
int api_settings_load(const char *json, dp_settings *s, dp_errbuf *eb) DP_MUSTCHECK;
/* The settings as JSON text (dp_settings_to_json), malloc'd; NULL: no memory */
char *api_settings_text(const dp_settings *s);
/* Apply the setting members of body to s: every member must be a setting
 * or one of the names in extra (NULL-terminated; skipped). null keeps the
 * value. DP_ERR_CONFIG naming the member. */
int api_settings_apply(dp_settings *s, const cJSON *body, const char *const *extra,
		       dp_errbuf *eb) DP_MUSTCHECK;

/* ---- engine shapes ---- */
/* The engine as GET /engine/{id}/ shows it (settings + id, created,
 * last_updated, source_database, target_database, workspace_pk). */
cJSON *api_engine_json(const dp_store_engine *e, dp_errbuf *eb);
/* The engine file of a stored engine (settings, connectors without
 * secrets, tables), parsed: per-table settings resolved. */
int api_engine_cfg(const dp_store_engine *e, dp_job_cfg **out, dp_errbuf *eb) DP_MUSTCHECK;
/* A uuid-shaped path parameter (else the reply is 404 and 0 returned). */
int api_engine_id_ok(api_req *r, const char *id);
/* The engine of the path's {engine_id} in the caller's workspace into *e
 * (dp_store_engine_clear it): 1, or 0 with the error replied (400 for a
 * malformed id, 404 for an unknown one). */
int api_engine_load(api_req *r, dp_store_engine *e);
/* Query argument `name` as an integer in 1..max, def when absent; 0 with a
 * 400 naming the argument replied when it is not one (paging). */
int64_t api_query_int(api_req *r, const char *name, int64_t def, int64_t max);

/* ---- OpenAPI ---- */
cJSON *api_openapi(void);

/* ---- the handlers (one file each) ---- */
void api_h_health_get(api_req *r);
void api_h_openapi_get(api_req *r);
void api_h_auth_post(api_req *r);
void api_h_auth_logout_post(api_req *r);
void api_h_engine_list_get(api_req *r);
void api_h_engine_post(api_req *r);
void api_h_engine_initialization_modes_get(api_req *r);
void api_h_engine_get(api_req *r);
void api_h_engine_delete(api_req *r);
void api_h_engine_settings_get(api_req *r);
void api_h_engine_update_settings_put(api_req *r);
void api_h_engine_settings_history_get(api_req *r);
void api_h_engine_tables_get(api_req *r);
void api_h_engine_settings_version_restore_post(api_req *r);
void api_h_engine_settings_version_diff_get(api_req *r);
/* {version} path parameter: >= 1, else 0 and the reply (404) is made */
int64_t api_version_param(api_req *r);
void api_h_engine_table_put(api_req *r);
void api_h_api_keys_get(api_req *r);
void api_h_api_keys_post(api_req *r);
void api_h_api_key_delete(api_req *r);
void api_h_engine_jobs_post(api_req *r);
void api_h_engine_jobs_get(api_req *r);
void api_h_job_get(api_req *r);
void api_h_job_logs_get(api_req *r);
void api_h_job_cancel_post(api_req *r);
void api_h_users_get(api_req *r);
void api_h_users_post(api_req *r);
void api_h_user_delete(api_req *r);

#endif
