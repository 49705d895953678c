/* settings/store.h - the server's store: one SQLite file (WAL mode).
 *
 * Holds users, sessions, API keys, engines (settings as the settings
 * table's JSON), their source/target databases and connectors, table
 * settings and the settings history (one version per update). The schema
 * is versioned: schema_version holds the number of migrations applied and
 * the const migrations[] table in store.c is run forward at open.
 *
 * Secrets (database and SSH passwords) are sealed with AES-256-GCM under
 * the master key (dp_master_key_load) before they reach the file; nothing
 * in this API hands them back except dp_store_engine_secrets(), which the
 * job runner uses. Tokens and API keys are kept only as SHA-256 digests,
 * user passwords only as scrypt hashes.
 *
 * A dp_store is one SQLite connection: use one per thread (the server
 * keeps one per worker thread). Every write runs in BEGIN IMMEDIATE and is
 * retried a bounded number of times when the file is busy.
 */
#ifndef DP_STORE_H
#define DP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>
#include "../base/dp_err.h"

typedef struct dp_store dp_store;

/* Master key for secrets at rest: 32 bytes. */
#define DP_MASTER_KEY_LEN 32
typedef struct dp_master_key {
	int set;
	unsigned char key[DP_MASTER_KEY_LEN];
} dp_master_key;

/* From DOPPEL_MASTER_KEY_FILE (a file) or DOPPEL_MASTER_KEY (the value):
 * 64 hex digits are the key itself; any other text of at least 32 bytes is
 * hashed (SHA-256) into the key. Neither set: k->set = 0 and DP_OK. A key
 * that is too short or a file that cannot be read: DP_ERR_CONFIG. */
int dp_master_key_load(dp_master_key *k, dp_errbuf *eb) DP_MUSTCHECK;
void dp_master_key_wipe(dp_master_key *k);

/* Open (creating it) and migrate the store at path. key may be NULL (no
 * secrets can then be stored or read: `doppel user add` needs none); when
 * given it is copied, and a key that is not the one the store's secrets
 * were sealed under is DP_ERR_CONFIG saying so. *out freed with
 * dp_store_close. */
int dp_store_open(const char *path, const dp_master_key *key, dp_store **out,
		  dp_errbuf *eb) DP_MUSTCHECK;
void dp_store_close(dp_store *st);
/* Number of migrations applied (the schema version). */
int dp_store_schema_version(dp_store *st);

/* ---- users, sessions, API keys ---- */

typedef enum dp_user_role { DP_UROLE_NONE = 0, DP_UROLE_VIEWER = 1, DP_UROLE_EDITOR = 2,
			     DP_UROLE_OWNER = 3 } dp_user_role;
/* "viewer", "editor", "owner"; "none" for DP_UROLE_NONE */
const char *dp_role_name(dp_user_role r);
/* DP_UROLE_NONE when the name is not a role */
dp_user_role dp_role_parse(const char *name);

typedef struct dp_user {
	int64_t id;
	char name[128];
	dp_user_role role;
	int64_t workspace_pk;
} dp_user;

/* Add a user (password hashed with scrypt). DP_ERR_REFUSED when the name
 * is taken, DP_ERR_CONFIG for an empty name or a password under 8 bytes. */
int dp_store_user_add(dp_store *st, const char *name, dp_user_role role, const char *password,
		      dp_errbuf *eb) DP_MUSTCHECK;
/* Check a login: DP_OK and *u filled, or DP_ERR_AUTH (unknown user and
 * wrong password alike, after the same amount of hashing work). */
int dp_store_user_login(dp_store *st, const char *name, const char *password, dp_user *u,
			dp_errbuf *eb) DP_MUSTCHECK;

/* {"users": [{id, username, role, workspace_pk, created}]}: never a hash. */
int dp_store_user_list(dp_store *st, cJSON **out, dp_errbuf *eb) DP_MUSTCHECK;
/* Delete a user (its sessions and API keys go with it). DP_ERR_NOTFOUND;
 * DP_ERR_REFUSED when it is the last owner. */
int dp_store_user_delete(dp_store *st, int64_t id, dp_errbuf *eb) DP_MUSTCHECK;

#define DP_TOKEN_HEX 64          /* 32 random bytes as hex */
/* New session for user_id valid ttl seconds: token (the cookie) and csrf
 * (the X-CSRF-Token) written as NUL-terminated hex into the caller's
 * buffers of DP_TOKEN_HEX + 1. Only the token's digest is stored. */
int dp_store_session_new(dp_store *st, int64_t user_id, int64_t ttl, char *token, char *csrf,
			 dp_errbuf *eb) DP_MUSTCHECK;
/* The user of a live session: DP_OK, or DP_ERR_AUTH (unknown or expired).
 * csrf (DP_TOKEN_HEX + 1) receives the session's CSRF token. */
int dp_store_session_user(dp_store *st, const char *token, dp_user *u, char *csrf,
			  dp_errbuf *eb) DP_MUSTCHECK;
int dp_store_session_delete(dp_store *st, const char *token, dp_errbuf *eb) DP_MUSTCHECK;

/* New API key of user_id with role (at most the user's own). *key_out
 * (caller frees with dp_secret_free) is "dpk_<id>_<secret>", shown once;
 * id_out (37 bytes) the key's id. Only the secret's digest is stored. */
int dp_store_apikey_new(dp_store *st, const dp_user *owner, dp_user_role role, const char *name,
			char **key_out, char *id_out, dp_errbuf *eb) DP_MUSTCHECK;
/* The user (with the key's role) of a live API key, or DP_ERR_AUTH. */
int dp_store_apikey_user(dp_store *st, const char *key, dp_user *u, dp_errbuf *eb) DP_MUSTCHECK;
/* Revoke: DP_ERR_NOTFOUND when no live key has that id. */
int dp_store_apikey_revoke(dp_store *st, const char *id, dp_errbuf *eb) DP_MUSTCHECK;
/* {"api_keys": [{id, name, role, user, created, revoked}]}: never the key. */
int dp_store_apikey_list(dp_store *st, cJSON **out, dp_errbuf *eb) DP_MUSTCHECK;

/* ---- engines ---- */

/* One database of an engine (SOURCE or TARGET) and its connector. */
typedef struct dp_store_db {
	char id[40];
	char connector_id[40];
	char *name;
	char status[16];         /* CURRENT / OUTDATED */
	char *last_synced_at;    /* NULL: never synced */
	char *connector_json;    /* the connector object, secrets removed */
	int has_secret;
} dp_store_db;

typedef struct dp_store_engine {
	char id[40];
	char *name;
	int64_t workspace_pk;
	char created[40], last_updated[40];
	char *latest_job_status; /* NULL: no job yet */
	int64_t version;         /* settings version (history) */
	char *settings_json;     /* dp_settings_to_json text */
	dp_store_db source, target;
	char *tables_json;       /* the "tables" object of the engine file, "{}" */
} dp_store_engine;

void dp_store_engine_clear(dp_store_engine *e);

/* The sealed secrets of a connector, as JSON text (may be NULL = none). */
typedef struct dp_store_new_engine {
	const char *name;
	int64_t workspace_pk;
	const char *settings_json;
	const char *source_json, *target_json;   /* secrets removed */
	const char *source_secret, *target_secret; /* JSON text or NULL */
	const char *tables_json;
	const char *user;          /* who: recorded in the history */
} dp_store_new_engine;

/* Create; id_out (40 bytes) receives the new id. A secret with no master
 * key: DP_ERR_REFUSED naming the two variables. */
int dp_store_engine_create(dp_store *st, const dp_store_new_engine *ne, char *id_out,
			   dp_errbuf *eb) DP_MUSTCHECK;
/* Load one engine of the workspace: DP_ERR_NOTFOUND. e cleared first. */
int dp_store_engine_get(dp_store *st, int64_t workspace_pk, const char *id, dp_store_engine *e,
			dp_errbuf *eb) DP_MUSTCHECK;
/* One line of the engine listing. */
typedef struct dp_store_engine_row {
	char id[40];
	char *latest_job_status;       /* NULL: no job yet */
	char *source_connector_json;   /* the source connector object, no secrets */
	char source_status[16];
} dp_store_engine_row;

/* The workspace's engines, oldest first, paged (page from 1), in one query.
 * *rows freed with dp_store_engine_rows_free; *total = all engines. */
int dp_store_engine_list(dp_store *st, int64_t workspace_pk, int64_t page, int64_t page_size,
			 dp_store_engine_row **rows, size_t *n, int64_t *total,
			 dp_errbuf *eb) DP_MUSTCHECK;
void dp_store_engine_rows_free(dp_store_engine_row *rows, size_t n);
int dp_store_engine_delete(dp_store *st, int64_t workspace_pk, const char *id,
			   dp_errbuf *eb) DP_MUSTCHECK;
/* Decrypted secrets of an engine's database ("SOURCE"/"TARGET"), JSON text
 * the caller frees with dp_secret_free; NULL when none. */
int dp_store_engine_secret(dp_store *st, const char *db_id, char **json_out,
			   dp_errbuf *eb) DP_MUSTCHECK;

/* An update of an engine's settings, applied inside one write transaction:
 * fn gets the current settings JSON and tables JSON and writes the new
 * texts into *settings_out / *tables_out (malloc'd; NULL = unchanged).
 * The new settings become version n+1 in the history. fn's error is
 * returned as is (its message in eb). */
typedef int (*dp_store_update_fn)(void *arg, const char *settings_json, const char *tables_json,
				  char **settings_out, char **tables_out, dp_errbuf *eb);
int dp_store_engine_update(dp_store *st, int64_t workspace_pk, const char *id, const char *user,
			   dp_store_update_fn fn, void *arg, int64_t *version_out,
			   dp_errbuf *eb) DP_MUSTCHECK;
/* {"versions": [{version, created, user, settings}]}, oldest first. */
int dp_store_history(dp_store *st, int64_t workspace_pk, const char *id, cJSON **out,
		     dp_errbuf *eb) DP_MUSTCHECK;

/* One version's settings and tables JSON texts (caller frees both).
 * DP_ERR_NOTFOUND for an unknown engine or version. */
int dp_store_history_version(dp_store *st, int64_t workspace_pk, const char *id, int64_t version,
			     char **settings, char **tables, dp_errbuf *eb) DP_MUSTCHECK;

/* Whether the store holds any sealed secret. */
int dp_store_has_secrets(dp_store *st);

/* ---- jobs ---- */

typedef enum dp_job_status {
	DP_JOB_QUEUED = 0, DP_JOB_STARTED, DP_JOB_SUCCESS, DP_JOB_FAILED, DP_JOB_CANCELLED,
	DP_JOB_INTERRUPTED
} dp_job_status;
const char *dp_job_status_name(dp_job_status s);

/* A QUEUED job of an engine of the workspace (DP_ERR_NOTFOUND); id_out 40
 * bytes. The engine's latest_job_status follows every job change. */
int dp_store_job_create(dp_store *st, int64_t workspace_pk, const char *engine_id,
			const char *user, char *id_out, dp_errbuf *eb) DP_MUSTCHECK;
/* Status (STARTED sets started, the final ones finished); error, progress
 * (JSON text), target_state, cancel_reason: NULL keeps them. */
int dp_store_job_set(dp_store *st, const char *id, dp_job_status status, const char *error,
		     const char *progress, const char *target_state, const char *cancel_reason,
		     dp_errbuf *eb) DP_MUSTCHECK;
/* One log line (seq counts from 1 per job; level "ERROR".."DEBUG"). */
int dp_store_job_log(dp_store *st, const char *id, int64_t seq, const char *level,
		     const char *msg, dp_errbuf *eb) DP_MUSTCHECK;
/* At server start: jobs a stopped server left QUEUED or STARTED become
 * INTERRUPTED; *n says how many. */
int dp_store_jobs_interrupt(dp_store *st, int *n, dp_errbuf *eb) DP_MUSTCHECK;
/* {id, engine_id, status, user, created, started, finished, error,
 * cancel_reason, target_state, progress} of a job of the workspace. */
int dp_store_job_get(dp_store *st, int64_t workspace_pk, const char *id, cJSON **out,
		     dp_errbuf *eb) DP_MUSTCHECK;
/* {"jobs": [...]} of an engine, oldest first. */
int dp_store_job_list(dp_store *st, int64_t workspace_pk, const char *engine_id, cJSON **out,
		      dp_errbuf *eb) DP_MUSTCHECK;
/* {"lines": [{seq, level, at, message}]} paged (page from 1), only the
 * levels named in levels[4] (NULL entries match nothing). */
int dp_store_job_logs(dp_store *st, int64_t workspace_pk, const char *id, int64_t page,
		      int64_t page_size, const char *const *levels, cJSON **out,
		      dp_errbuf *eb) DP_MUSTCHECK;

/* ---- helpers shared with the API ---- */

/* Random UUID v4 text (37 bytes with NUL). */
int dp_uuid4(char *out) DP_MUSTCHECK;
/* Now as "2025-11-28T03:56:15.960Z" (40 bytes). */
void dp_now_iso(char *out, size_t n);
/* Hex SHA-256 of s (out: 65 bytes). */
void dp_sha256_hex(const char *s, size_t n, char *out);

#endif
