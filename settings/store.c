/* settings/store.c - the server's SQLite store: migrations, sealed secrets,
 * users, sessions, API keys, engines and their settings history. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "store.h"
#include "../base/dp_buf.h"
#include "../base/dp_log.h"

struct dp_store {
	sqlite3 *db;
	dp_master_key key;
	int version;
};

/* ---- schema: the migrations, run forward in order; never edit one that
 * has shipped, add the next ---- */
static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);"
	"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
	"  workspace_pk INTEGER NOT NULL DEFAULT 1, pw_hash TEXT NOT NULL, created TEXT NOT NULL);"
	"CREATE TABLE sessions (token_sha256 TEXT PRIMARY KEY, user_id INTEGER NOT NULL"
	"  REFERENCES users(id) ON DELETE CASCADE, csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
	"CREATE TABLE api_keys (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id)"
	"  ON DELETE CASCADE, name TEXT, role TEXT NOT NULL, secret_sha256 TEXT NOT NULL,"
	"  created TEXT NOT NULL, revoked TEXT);"
	"CREATE TABLE engines (id TEXT PRIMARY KEY, workspace_pk INTEGER NOT NULL, name TEXT,"
	"  settings TEXT NOT NULL, tables TEXT NOT NULL DEFAULT '{}', version INTEGER NOT NULL,"
	"  latest_job_status TEXT, created TEXT NOT NULL, last_updated TEXT NOT NULL);"
	"CREATE TABLE databases (id TEXT PRIMARY KEY, engine_id TEXT NOT NULL REFERENCES engines(id)"
	"  ON DELETE CASCADE, type TEXT NOT NULL CHECK (type IN ('SOURCE','TARGET')), name TEXT,"
	"  status TEXT NOT NULL, last_synced_at TEXT, UNIQUE (engine_id, type));"
	"CREATE TABLE connectors (id TEXT PRIMARY KEY, database_id TEXT NOT NULL UNIQUE"
	"  REFERENCES databases(id) ON DELETE CASCADE, config TEXT NOT NULL, secret BLOB);"
	"CREATE TABLE settings_history (engine_id TEXT NOT NULL REFERENCES engines(id)"
	"  ON DELETE CASCADE, version INTEGER NOT NULL, settings TEXT NOT NULL, tables TEXT NOT NULL,"
	"  user TEXT, created TEXT NOT NULL, PRIMARY KEY (engine_id, version));",
	/* 2: jobs and their log lines */
	"CREATE TABLE jobs (id TEXT PRIMARY KEY, engine_id TEXT NOT NULL REFERENCES engines(id)"
	"  ON DELETE CASCADE, status TEXT NOT NULL, user TEXT, created TEXT NOT NULL, started TEXT,"
	"  finished TEXT, error TEXT, cancel_reason TEXT, target_state TEXT, progress TEXT);"
	"CREATE INDEX jobs_engine ON jobs (engine_id, created);"
	"CREATE TABLE job_logs (job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL, level TEXT NOT NULL, at TEXT NOT NULL, message TEXT NOT NULL,"
	"  PRIMARY KEY (job_id, seq));",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Writers wait this long for the file (ms), then retry the transaction. */
#define BUSY_TIMEOUT_MS 10000
#define TX_RETRIES 5
/* scrypt cost: N = 2^15, r = 8, p = 1 needs 32 MiB and ~0.1 s per hash */
#define SCRYPT_LOG_N 15
#define SCRYPT_R 8
#define SCRYPT_P 1
#define SCRYPT_MAXMEM ((uint64_t)64 << 20)
#define MIN_PASSWORD 8
#define GCM_NONCE 12
#define GCM_TAG 16
#define KEY_CHECK_TEXT "doppel master key check v1"

/* ---- small helpers ---- */

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int unhex(const char *s, unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			v <<= 4;
			if (c >= '0' && c <= '9') v |= c - '0';
			else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
			else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
			else return -1;
		}
		b[i] = (unsigned char)v;
	}
	return s[2 * n] ? -1 : 0;
}

void dp_sha256_hex(const char *s, size_t n, char *out)
{
	unsigned char md[32];
	unsigned int len = 0;

	EVP_Digest(s, n, md, &len, EVP_sha256(), NULL);
	hex(md, 32, out);
}

int dp_uuid4(char *out)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return DP_ERR_INTERNAL;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return DP_OK;
}

void dp_now_iso(char *out, size_t n)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

static int random_hex(char *out)
{
	unsigned char b[DP_TOKEN_HEX / 2];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return DP_ERR_INTERNAL;
	hex(b, sizeof(b), out);
	OPENSSL_cleanse(b, sizeof(b));
	return DP_OK;
}

static int db_fail(dp_store *st, dp_errbuf *eb, const char *what)
{
	int c = sqlite3_errcode(st->db);
	return dp_fail(eb, c == SQLITE_BUSY || c == SQLITE_LOCKED ? DP_ERR_RETRY : DP_ERR_IO,
		       "store: %s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(dp_store *st, const char *sql, dp_errbuf *eb)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, eb, sql);
	return DP_OK;
}

static int prep(dp_store *st, const char *sql, sqlite3_stmt **s, dp_errbuf *eb)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
		*s = NULL;
		return db_fail(st, eb, "prepare");
	}
	return DP_OK;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? dp_strdup((const char *)t) : NULL;
}

static void col_copy(sqlite3_stmt *s, int i, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static int begin(dp_store *st, dp_errbuf *eb)
{
	return exec(st, "BEGIN IMMEDIATE", eb);
}

static int finish(dp_store *st, int rc, dp_errbuf *eb)
{
	if (rc == DP_OK)
		rc = exec(st, "COMMIT", eb);
	if (rc != DP_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ---- the master key and sealed secrets ---- */

void dp_master_key_wipe(dp_master_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

static int key_from_text(dp_master_key *k, const char *t, size_t n, const char *from,
			 dp_errbuf *eb)
{
	while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' '))
		n--;
	if (n == 2 * DP_MASTER_KEY_LEN) {
		char h[2 * DP_MASTER_KEY_LEN + 1];
		memcpy(h, t, n);
		h[n] = '\0';
		if (!unhex(h, k->key, DP_MASTER_KEY_LEN)) {
			OPENSSL_cleanse(h, sizeof(h));
			k->set = 1;
			return DP_OK;
		}
		OPENSSL_cleanse(h, sizeof(h));
	}
	if (n < 32)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: the master key must be 64 hex digits or at "
			       "least 32 bytes of random text (e.g. `openssl rand -hex 32`)", from);
	{
		unsigned int len = 0;
		EVP_Digest(t, n, k->key, &len, EVP_sha256(), NULL);
	}
	k->set = 1;
	return DP_OK;
}

int dp_master_key_load(dp_master_key *k, dp_errbuf *eb)
{
	const char *file = getenv("DOPPEL_MASTER_KEY_FILE"), *val = getenv("DOPPEL_MASTER_KEY");
	int rc;

	memset(k, 0, sizeof(*k));
	if (file && *file) {
		char buf[4096];
		size_t n;
		FILE *f = fopen(file, "rb");
		if (!f)
			return dp_fail(eb, DP_ERR_CONFIG, "DOPPEL_MASTER_KEY_FILE %s: %s", file,
				       strerror(errno));
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		rc = key_from_text(k, buf, n, "DOPPEL_MASTER_KEY_FILE", eb);
		OPENSSL_cleanse(buf, sizeof(buf));
		return rc;
	}
	if (val && *val)
		return key_from_text(k, val, strlen(val), "DOPPEL_MASTER_KEY", eb);
	return DP_OK;
}

/* nonce || ciphertext || tag, the AAD binds the blob to its row */
static int seal(const dp_master_key *k, const char *aad, const char *plain, unsigned char **out,
		size_t *outlen)
{
	size_t n = strlen(plain);
	unsigned char *b = malloc(GCM_NONCE + n + GCM_TAG);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len, ok;

	ok = b && c && RAND_bytes(b, GCM_NONCE) == 1 &&
	     EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, k->key, b) == 1 &&
	     EVP_EncryptUpdate(c, NULL, &len, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	     EVP_EncryptUpdate(c, b + GCM_NONCE, &len, (const unsigned char *)plain, (int)n) == 1 &&
	     EVP_EncryptFinal_ex(c, b + GCM_NONCE + len, &len) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG, b + GCM_NONCE + n) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		free(b);
		return DP_ERR_INTERNAL;
	}
	*out = b;
	*outlen = GCM_NONCE + n + GCM_TAG;
	return DP_OK;
}

static int unseal(const dp_master_key *k, const char *aad, const unsigned char *b, size_t n,
		  char **out)
{
	EVP_CIPHER_CTX *c;
	char *p;
	int len, len2, ok;

	if (n < GCM_NONCE + GCM_TAG)
		return DP_ERR_INTEGRITY;
	p = malloc(n - GCM_NONCE - GCM_TAG + 1);
	c = EVP_CIPHER_CTX_new();
	ok = p && c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, k->key, b) == 1 &&
	     EVP_DecryptUpdate(c, NULL, &len, (const unsigned char *)aad, (int)strlen(aad)) == 1 &&
	     EVP_DecryptUpdate(c, (unsigned char *)p, &len, b + GCM_NONCE,
			       (int)(n - GCM_NONCE - GCM_TAG)) == 1 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG,
				 (void *)(b + n - GCM_TAG)) == 1 &&
	     EVP_DecryptFinal_ex(c, (unsigned char *)p + len, &len2) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok) {
		if (p) {
			OPENSSL_cleanse(p, n - GCM_NONCE - GCM_TAG + 1);
			free(p);
		}
		return p ? DP_ERR_INTEGRITY : DP_ERR_NOMEM;
	}
	p[len + len2] = '\0';
	*out = p;
	return DP_OK;
}

/* The meta row key_check holds a sealed known text: a wrong key is found
 * at open, not when a job first needs a password. */
static int check_key(dp_store *st, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "SELECT value FROM meta WHERE key = 'key_check'", &s, eb);
	char *plain = NULL;

	if (rc)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (!st->key.set) {      /* opened for what needs no secret */
			sqlite3_finalize(s);
			return DP_OK;
		}
		rc = unseal(&st->key, "key_check", sqlite3_column_blob(s, 0),
			    (size_t)sqlite3_column_bytes(s, 0), &plain);
		sqlite3_finalize(s);
		if (rc || strcmp(plain, KEY_CHECK_TEXT)) {
			free(plain);
			return dp_fail(eb, DP_ERR_CONFIG, "the master key (DOPPEL_MASTER_KEY_FILE / "
				       "DOPPEL_MASTER_KEY) is not the one this store's secrets were "
				       "sealed under");
		}
		free(plain);
		return DP_OK;
	}
	sqlite3_finalize(s);
	if (!st->key.set)
		return DP_OK;
	{
		unsigned char *b;
		size_t n;
		if ((rc = seal(&st->key, "key_check", KEY_CHECK_TEXT, &b, &n)))
			return dp_fail(eb, rc, "cannot seal the key check");
		if (!(rc = prep(st, "INSERT INTO meta (key, value) VALUES ('key_check', ?)", &s, eb))) {
			sqlite3_bind_blob(s, 1, b, (int)n, SQLITE_TRANSIENT);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = db_fail(st, eb, "key check");
			sqlite3_finalize(s);
		}
		free(b);
	}
	return rc;
}

int dp_store_has_secrets(dp_store *st)
{
	sqlite3_stmt *s;
	int n = 0;

	if (prep(st, "SELECT count(*) FROM connectors WHERE secret IS NOT NULL", &s, NULL))
		return 1;    /* cannot tell: assume there are */
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n > 0;
}

/* ---- open and migrate ---- */

static int migrate(dp_store *st, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc, v = 0;
	char sql[64];

	if ((rc = begin(st, eb)))
		return rc;
	rc = exec(st, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", eb);
	if (!rc && !(rc = prep(st, "SELECT max(version) FROM schema_version", &s, eb))) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	if (!rc && v > NMIGRATIONS)
		rc = dp_fail(eb, DP_ERR_CONFIG, "store: schema version %d is newer than this doppel "
			     "knows (%d): upgrade doppel", v, NMIGRATIONS);
	for (; !rc && v < NMIGRATIONS; v++) {
		rc = exec(st, migrations[v], eb);
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d)", v + 1);
		if (!rc)
			rc = exec(st, sql, eb);
	}
	st->version = v;
	return finish(st, rc, eb);
}

int dp_store_open(const char *path, const dp_master_key *key, dp_store **out, dp_errbuf *eb)
{
	dp_store *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (!st)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (key)
		st->key = *key;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = dp_fail(eb, DP_ERR_IO, "store %s: %s", path,
			     st->db ? sqlite3_errmsg(st->db) : "cannot open");
		dp_store_close(st);
		return rc;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	rc = exec(st, "PRAGMA journal_mode=WAL", eb);
	if (!rc)
		rc = exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", eb);
	if (!rc)
		rc = migrate(st, eb);
	if (!rc)
		rc = check_key(st, eb);
	if (rc) {
		dp_store_close(st);
		return rc;
	}
	*out = st;
	return DP_OK;
}

void dp_store_close(dp_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	dp_master_key_wipe(&st->key);
	free(st);
}

int dp_store_schema_version(dp_store *st)
{
	return st->version;
}

static int add_str(cJSON *o, const char *k, const char *v);

/* ---- users ---- */

static const char *const role_names[] = { "none", "viewer", "editor", "owner" };

const char *dp_role_name(dp_user_role r)
{
	return r >= DP_UROLE_NONE && r <= DP_UROLE_OWNER ? role_names[r] : "none";
}

dp_user_role dp_role_parse(const char *name)
{
	for (int i = DP_UROLE_VIEWER; name && i <= DP_UROLE_OWNER; i++)
		if (!strcmp(role_names[i], name))
			return (dp_user_role)i;
	return DP_UROLE_NONE;
}

/* "scrypt$15$8$1$<salt hex>$<hash hex>" */
static int pw_hash(const char *password, const unsigned char *salt, int log_n, int r, int p,
		   unsigned char *out)
{
	return EVP_PBE_scrypt(password, strlen(password), salt, 16, (uint64_t)1 << log_n,
			      (uint64_t)r, (uint64_t)p, SCRYPT_MAXMEM, out, 32) == 1
	       ? DP_OK : DP_ERR_INTERNAL;
}

static int pw_make(const char *password, char *out, size_t n)
{
	unsigned char salt[16], h[32];
	char sh[33], hh[65];

	if (RAND_bytes(salt, sizeof(salt)) != 1 ||
	    pw_hash(password, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, h))
		return DP_ERR_INTERNAL;
	hex(salt, 16, sh);
	hex(h, 32, hh);
	snprintf(out, n, "scrypt$%d$%d$%d$%s$%s", SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, sh, hh);
	OPENSSL_cleanse(h, sizeof(h));
	return DP_OK;
}

/* 1 when password matches the stored hash */
static int pw_check(const char *password, const char *stored)
{
	int log_n, r, p;
	char sh[40], hh[80];
	unsigned char salt[16], want[32], got[32];

	if (sscanf(stored, "scrypt$%d$%d$%d$%32[0-9a-f]$%64[0-9a-f]", &log_n, &r, &p, sh, hh) != 5 ||
	    log_n < 10 || log_n > 20 || r < 1 || r > 32 || p < 1 || p > 4 ||
	    unhex(sh, salt, 16) || unhex(hh, want, 32))
		return 0;
	if (pw_hash(password, salt, log_n, r, p, got))
		return 0;
	r = CRYPTO_memcmp(got, want, 32) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return r;
}

int dp_store_user_add(dp_store *st, const char *name, dp_user_role role, const char *password,
		      dp_errbuf *eb)
{
	char h[200], now[40];
	sqlite3_stmt *s;
	int rc;

	if (!name || !*name || strlen(name) > 100)
		return dp_fail(eb, DP_ERR_CONFIG, "user name: 1 to 100 characters");
	if (role == DP_UROLE_NONE)
		return dp_fail(eb, DP_ERR_CONFIG, "role: expected owner, editor or viewer");
	if (!password || strlen(password) < MIN_PASSWORD)
		return dp_fail(eb, DP_ERR_CONFIG, "password: at least %d characters", MIN_PASSWORD);
	if (pw_make(password, h, sizeof(h)))
		return dp_fail(eb, DP_ERR_INTERNAL, "cannot hash the password");
	dp_now_iso(now, sizeof(now));
	if ((rc = prep(st, "INSERT INTO users (name, role, pw_hash, created) VALUES (?, ?, ?, ?)",
		       &s, eb)))
		return rc;
	bind_text(s, 1, name);
	bind_text(s, 2, dp_role_name(role));
	bind_text(s, 3, h);
	bind_text(s, 4, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = sqlite3_errcode(st->db) == SQLITE_CONSTRAINT
		   ? dp_fail(eb, DP_ERR_REFUSED, "user %s exists already", name)
		   : db_fail(st, eb, "add user");
	sqlite3_finalize(s);
	return rc;
}

static void read_user(sqlite3_stmt *s, int at, dp_user *u)
{
	u->id = sqlite3_column_int64(s, at);
	col_copy(s, at + 1, u->name, sizeof(u->name));
	u->role = dp_role_parse((const char *)sqlite3_column_text(s, at + 2));
	u->workspace_pk = sqlite3_column_int64(s, at + 3);
}

int dp_store_user_login(dp_store *st, const char *name, const char *password, dp_user *u,
			dp_errbuf *eb)
{
	/* an unknown user costs the same hashing as a known one */
	static const char dummy[] = "scrypt$15$8$1$00000000000000000000000000000000$"
				    "0000000000000000000000000000000000000000000000000000000000000000";
	sqlite3_stmt *s;
	char *stored = NULL;
	int rc, match;

	memset(u, 0, sizeof(*u));
	if ((rc = prep(st, "SELECT id, name, role, workspace_pk, pw_hash FROM users WHERE name = ?",
		       &s, eb)))
		return rc;
	bind_text(s, 1, name);
	if (sqlite3_step(s) == SQLITE_ROW) {
		read_user(s, 0, u);
		stored = col_dup(s, 4);
	}
	sqlite3_finalize(s);
	match = pw_check(password, stored ? stored : dummy) && stored;
	free(stored);
	if (!match || u->role == DP_UROLE_NONE) {
		memset(u, 0, sizeof(*u));
		return dp_fail(eb, DP_ERR_AUTH, "wrong user name or password");
	}
	return DP_OK;
}

int dp_store_user_list(dp_store *st, cJSON **out, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	cJSON *root = cJSON_CreateObject(), *arr = root ? cJSON_AddArrayToObject(root, "users") : NULL;
	int rc, r;

	*out = NULL;
	if (!arr) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if ((rc = prep(st, "SELECT id, name, role, workspace_pk, created FROM users ORDER BY id", &s, eb))) {
		cJSON_Delete(root);
		return rc;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(s, 0)) ||
		    add_str(o, "username", (const char *)sqlite3_column_text(s, 1)) ||
		    add_str(o, "role", (const char *)sqlite3_column_text(s, 2)) ||
		    !cJSON_AddNumberToObject(o, "workspace_pk", (double)sqlite3_column_int64(s, 3)) ||
		    add_str(o, "created", (const char *)sqlite3_column_text(s, 4)) ||
		    !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "list users");
	sqlite3_finalize(s);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	*out = root;
	return DP_OK;
}

int dp_store_user_delete(dp_store *st, int64_t id, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc, owners = 0, is_owner = -1;

	if ((rc = begin(st, eb)))
		return rc;
	if (!(rc = prep(st, "SELECT (SELECT count(*) FROM users WHERE role = 'owner'), "
			"(SELECT role = 'owner' FROM users WHERE id = ?)", &s, eb))) {
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW) {
			owners = sqlite3_column_int(s, 0);
			if (sqlite3_column_type(s, 1) != SQLITE_NULL)
				is_owner = sqlite3_column_int(s, 1);
		}
		sqlite3_finalize(s);
	}
	if (!rc && is_owner < 0)
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no user %lld", (long long)id);
	else if (!rc && is_owner && owners <= 1)
		rc = dp_fail(eb, DP_ERR_REFUSED, "user %lld is the last owner: add another owner first",
			     (long long)id);
	if (!rc && !(rc = prep(st, "DELETE FROM users WHERE id = ?", &s, eb))) {
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, eb, "delete user");
		sqlite3_finalize(s);
	}
	return finish(st, rc, eb);
}

/* ---- sessions ---- */

int dp_store_session_new(dp_store *st, int64_t user_id, int64_t ttl, char *token, char *csrf,
			 dp_errbuf *eb)
{
	char digest[65];
	sqlite3_stmt *s;
	int rc;

	if (random_hex(token) || random_hex(csrf))
		return dp_fail(eb, DP_ERR_INTERNAL, "no randomness");
	dp_sha256_hex(token, strlen(token), digest);
	if ((rc = prep(st, "INSERT INTO sessions (token_sha256, user_id, csrf, expires) "
		       "VALUES (?, ?, ?, ?)", &s, eb)))
		return rc;
	bind_text(s, 1, digest);
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, (int64_t)time(NULL) + ttl);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "new session");
	sqlite3_finalize(s);
	/* expired sessions go on the way */
	if (!rc && (rc = prep(st, "DELETE FROM sessions WHERE expires < ?", &s, eb)) == DP_OK) {
		sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
	return rc;
}

int dp_store_session_user(dp_store *st, const char *token, dp_user *u, char *csrf,
			  dp_errbuf *eb)
{
	char digest[65];
	sqlite3_stmt *s;
	int rc;

	memset(u, 0, sizeof(*u));
	if (strlen(token) != DP_TOKEN_HEX)
		return dp_fail(eb, DP_ERR_AUTH, "no such session");
	dp_sha256_hex(token, strlen(token), digest);
	if ((rc = prep(st, "SELECT u.id, u.name, u.role, u.workspace_pk, s.csrf FROM sessions s "
		       "JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = ? AND s.expires >= ?",
		       &s, eb)))
		return rc;
	bind_text(s, 1, digest);
	sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
	rc = dp_fail(eb, DP_ERR_AUTH, "no such session");
	if (sqlite3_step(s) == SQLITE_ROW) {
		read_user(s, 0, u);
		col_copy(s, 4, csrf, DP_TOKEN_HEX + 1);
		rc = u->role == DP_UROLE_NONE ? DP_ERR_AUTH : DP_OK;
		if (eb && !rc)
			dp_errbuf_clear(eb);
	}
	sqlite3_finalize(s);
	return rc;
}

int dp_store_session_delete(dp_store *st, const char *token, dp_errbuf *eb)
{
	char digest[65];
	sqlite3_stmt *s;
	int rc;

	dp_sha256_hex(token, strlen(token), digest);
	if ((rc = prep(st, "DELETE FROM sessions WHERE token_sha256 = ?", &s, eb)))
		return rc;
	bind_text(s, 1, digest);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "logout");
	sqlite3_finalize(s);
	return rc;
}

/* ---- API keys: "dpk_<id>_<secret hex>" ---- */

int dp_store_apikey_new(dp_store *st, const dp_user *owner, dp_user_role role, const char *name,
			char **key_out, char *id_out, dp_errbuf *eb)
{
	char secret[DP_TOKEN_HEX + 1], digest[65], now[40];
	dp_buf b = DP_BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	*key_out = NULL;
	if (role == DP_UROLE_NONE || role > owner->role)
		return dp_fail(eb, DP_ERR_REFUSED, "role: an API key gets at most its creator's role "
			       "(%s)", dp_role_name(owner->role));
	if (dp_uuid4(id_out) || random_hex(secret))
		return dp_fail(eb, DP_ERR_INTERNAL, "no randomness");
	dp_sha256_hex(secret, strlen(secret), digest);
	dp_now_iso(now, sizeof(now));
	if ((rc = prep(st, "INSERT INTO api_keys (id, user_id, name, role, secret_sha256, created) "
		       "VALUES (?, ?, ?, ?, ?, ?)", &s, eb)))
		return rc;
	bind_text(s, 1, id_out);
	sqlite3_bind_int64(s, 2, owner->id);
	bind_text(s, 3, name);
	bind_text(s, 4, dp_role_name(role));
	bind_text(s, 5, digest);
	bind_text(s, 6, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "new API key");
	sqlite3_finalize(s);
	if (!rc && dp_buf_printf(&b, "dpk_%s_%s", id_out, secret))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	OPENSSL_cleanse(secret, sizeof(secret));
	if (!rc)
		*key_out = dp_buf_steal(&b);
	return rc;
}

int dp_store_apikey_user(dp_store *st, const char *key, dp_user *u, dp_errbuf *eb)
{
	char id[40], digest[65];
	const char *sec;
	sqlite3_stmt *s;
	int rc;

	memset(u, 0, sizeof(*u));
	/* dpk_ + 36 + _ + 64 */
	if (strncmp(key, "dpk_", 4) || strlen(key) != 4 + 36 + 1 + DP_TOKEN_HEX || key[40] != '_')
		return dp_fail(eb, DP_ERR_AUTH, "malformed API key");
	memcpy(id, key + 4, 36);
	id[36] = '\0';
	sec = key + 41;
	dp_sha256_hex(sec, strlen(sec), digest);
	if ((rc = prep(st, "SELECT u.id, u.name, k.role, u.workspace_pk, k.secret_sha256 FROM "
		       "api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ? AND k.revoked IS NULL",
		       &s, eb)))
		return rc;
	bind_text(s, 1, id);
	rc = DP_ERR_AUTH;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *want = sqlite3_column_text(s, 4);
		read_user(s, 0, u);
		if (want && strlen((const char *)want) == 64 && CRYPTO_memcmp(want, digest, 64) == 0 &&
		    u->role != DP_UROLE_NONE)
			rc = DP_OK;
	}
	sqlite3_finalize(s);
	if (rc) {
		memset(u, 0, sizeof(*u));
		return dp_fail(eb, DP_ERR_AUTH, "unknown or revoked API key");
	}
	return DP_OK;
}

int dp_store_apikey_revoke(dp_store *st, const char *id, dp_errbuf *eb)
{
	char now[40];
	sqlite3_stmt *s;
	int rc;

	dp_now_iso(now, sizeof(now));
	if ((rc = prep(st, "UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL", &s, eb)))
		return rc;
	bind_text(s, 1, now);
	bind_text(s, 2, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "revoke");
	else if (sqlite3_changes(st->db) == 0)
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no live API key %.40s", id);
	sqlite3_finalize(s);
	return rc;
}

static int add_str(cJSON *o, const char *k, const char *v)
{
	return (v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)) ? 0 : -1;
}

int dp_store_apikey_list(dp_store *st, cJSON **out, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	cJSON *root = cJSON_CreateObject(), *arr = root ? cJSON_AddArrayToObject(root, "api_keys") : NULL;
	int rc, r;

	*out = NULL;
	if (!arr) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if ((rc = prep(st, "SELECT k.id, k.name, k.role, u.name, k.created, k.revoked FROM api_keys k "
		       "JOIN users u ON u.id = k.user_id ORDER BY k.created, k.id", &s, eb))) {
		cJSON_Delete(root);
		return rc;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		static const char *const names[] = { "id", "name", "role", "user", "created", "revoked" };
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		for (int i = 0; i < 6 && !rc; i++)
			if (add_str(o, names[i], (const char *)sqlite3_column_text(s, i)))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "list API keys");
	sqlite3_finalize(s);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	*out = root;
	return DP_OK;
}

/* ---- engines ---- */

void dp_store_engine_clear(dp_store_engine *e)
{
	dp_store_db *d[2] = { &e->source, &e->target };

	free(e->name);
	free(e->latest_job_status);
	free(e->settings_json);
	free(e->tables_json);
	for (int i = 0; i < 2; i++) {
		free(d[i]->name);
		free(d[i]->last_synced_at);
		free(d[i]->connector_json);
	}
	memset(e, 0, sizeof(*e));
}

static int insert_db(dp_store *st, const char *engine_id, const char *type, const char *name,
		     const char *config, const char *secret, dp_errbuf *eb)
{
	char db_id[40], conn_id[40];
	unsigned char *blob = NULL;
	size_t bloblen = 0;
	sqlite3_stmt *s;
	int rc;

	if (dp_uuid4(db_id) || dp_uuid4(conn_id))
		return dp_fail(eb, DP_ERR_INTERNAL, "no randomness");
	if (secret) {
		if (!st->key.set)
			return dp_fail(eb, DP_ERR_REFUSED, "a password cannot be stored without a master "
				       "key: start doppel serve with DOPPEL_MASTER_KEY_FILE or "
				       "DOPPEL_MASTER_KEY set");
		if (seal(&st->key, conn_id, secret, &blob, &bloblen))
			return dp_fail(eb, DP_ERR_INTERNAL, "cannot seal the secret");
	}
	if ((rc = prep(st, "INSERT INTO databases (id, engine_id, type, name, status) "
		       "VALUES (?, ?, ?, ?, 'OUTDATED')", &s, eb)))
		goto out;
	bind_text(s, 1, db_id);
	bind_text(s, 2, engine_id);
	bind_text(s, 3, type);
	bind_text(s, 4, name);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "insert database");
	sqlite3_finalize(s);
	if (rc || (rc = prep(st, "INSERT INTO connectors (id, database_id, config, secret) "
			     "VALUES (?, ?, ?, ?)", &s, eb)))
		goto out;
	bind_text(s, 1, conn_id);
	bind_text(s, 2, db_id);
	bind_text(s, 3, config);
	if (blob)
		sqlite3_bind_blob(s, 4, blob, (int)bloblen, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 4);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "insert connector");
	sqlite3_finalize(s);
out:
	free(blob);
	return rc;
}

static int insert_history(dp_store *st, const char *id, int64_t version, const char *settings,
			  const char *tables, const char *user, const char *now, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "INSERT INTO settings_history (engine_id, version, settings, tables, user, "
		      "created) VALUES (?, ?, ?, ?, ?, ?)", &s, eb);

	if (rc)
		return rc;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, version);
	bind_text(s, 3, settings);
	bind_text(s, 4, tables);
	bind_text(s, 5, user);
	bind_text(s, 6, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "settings history");
	sqlite3_finalize(s);
	return rc;
}

int dp_store_engine_create(dp_store *st, const dp_store_new_engine *ne, char *id_out,
			   dp_errbuf *eb)
{
	char now[40], nm[300];
	sqlite3_stmt *s;
	int rc;

	if (dp_uuid4(id_out))
		return dp_fail(eb, DP_ERR_INTERNAL, "no randomness");
	dp_now_iso(now, sizeof(now));
	if ((rc = begin(st, eb)))
		return rc;
	if ((rc = prep(st, "INSERT INTO engines (id, workspace_pk, name, settings, tables, version, "
		       "created, last_updated) VALUES (?, ?, ?, ?, ?, 1, ?, ?)", &s, eb)))
		return finish(st, rc, eb);
	bind_text(s, 1, id_out);
	sqlite3_bind_int64(s, 2, ne->workspace_pk);
	bind_text(s, 3, ne->name);
	bind_text(s, 4, ne->settings_json);
	bind_text(s, 5, ne->tables_json ? ne->tables_json : "{}");
	bind_text(s, 6, now);
	bind_text(s, 7, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "insert engine");
	sqlite3_finalize(s);
	snprintf(nm, sizeof(nm), "%.200s source", ne->name ? ne->name : "engine");
	if (!rc)
		rc = insert_db(st, id_out, "SOURCE", nm, ne->source_json, ne->source_secret, eb);
	snprintf(nm, sizeof(nm), "%.200s target", ne->name ? ne->name : "engine");
	if (!rc)
		rc = insert_db(st, id_out, "TARGET", nm, ne->target_json, ne->target_secret, eb);
	if (!rc)
		rc = insert_history(st, id_out, 1, ne->settings_json,
				    ne->tables_json ? ne->tables_json : "{}", ne->user, now, eb);
	return finish(st, rc, eb);
}

static int load_db(dp_store *st, const char *engine_id, const char *type, dp_store_db *d,
		   dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "SELECT d.id, d.name, d.status, d.last_synced_at, c.id, c.config, "
		      "c.secret IS NOT NULL FROM databases d JOIN connectors c ON c.database_id = d.id "
		      "WHERE d.engine_id = ? AND d.type = ?", &s, eb);

	if (rc)
		return rc;
	bind_text(s, 1, engine_id);
	bind_text(s, 2, type);
	if (sqlite3_step(s) == SQLITE_ROW) {
		col_copy(s, 0, d->id, sizeof(d->id));
		d->name = col_dup(s, 1);
		col_copy(s, 2, d->status, sizeof(d->status));
		d->last_synced_at = col_dup(s, 3);
		col_copy(s, 4, d->connector_id, sizeof(d->connector_id));
		d->connector_json = col_dup(s, 5);
		d->has_secret = sqlite3_column_int(s, 6);
		if (!d->connector_json)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	} else {
		rc = dp_fail(eb, DP_ERR_INTERNAL, "engine %s has no %s database", engine_id, type);
	}
	sqlite3_finalize(s);
	return rc;
}

int dp_store_engine_get(dp_store *st, int64_t workspace_pk, const char *id, dp_store_engine *e,
			dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = prep(st, "SELECT id, name, workspace_pk, created, last_updated, latest_job_status, "
		       "version, settings, tables FROM engines WHERE id = ? AND workspace_pk = ?", &s, eb)))
		return rc;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	if (sqlite3_step(s) == SQLITE_ROW) {
		col_copy(s, 0, e->id, sizeof(e->id));
		e->name = col_dup(s, 1);
		e->workspace_pk = sqlite3_column_int64(s, 2);
		col_copy(s, 3, e->created, sizeof(e->created));
		col_copy(s, 4, e->last_updated, sizeof(e->last_updated));
		e->latest_job_status = col_dup(s, 5);
		e->version = sqlite3_column_int64(s, 6);
		e->settings_json = col_dup(s, 7);
		e->tables_json = col_dup(s, 8);
		if (!e->settings_json || !e->tables_json)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	} else {
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no engine %.40s", id);
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = load_db(st, e->id, "SOURCE", &e->source, eb);
	if (!rc)
		rc = load_db(st, e->id, "TARGET", &e->target, eb);
	if (rc)
		dp_store_engine_clear(e);
	return rc;
}

void dp_store_engine_rows_free(dp_store_engine_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].latest_job_status);
		free(rows[i].source_connector_json);
	}
	free(rows);
}

int dp_store_engine_list(dp_store *st, int64_t workspace_pk, int64_t page, int64_t page_size,
			 dp_store_engine_row **rows, size_t *n, int64_t *total, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	size_t cap = 16;
	int rc, r;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if ((rc = prep(st, "SELECT count(*) FROM engines WHERE workspace_pk = ?", &s, eb)))
		return rc;
	sqlite3_bind_int64(s, 1, workspace_pk);
	if (sqlite3_step(s) == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if ((rc = prep(st, "SELECT e.id, e.latest_job_status, c.config, d.status FROM engines e "
		       "JOIN databases d ON d.engine_id = e.id AND d.type = 'SOURCE' "
		       "JOIN connectors c ON c.database_id = d.id WHERE e.workspace_pk = ? "
		       "ORDER BY e.created, e.id LIMIT ? OFFSET ?", &s, eb)))
		return rc;
	sqlite3_bind_int64(s, 1, workspace_pk);
	sqlite3_bind_int64(s, 2, page_size);
	sqlite3_bind_int64(s, 3, (page - 1) * page_size);
	if (!(*rows = calloc(cap, sizeof(**rows)))) {
		sqlite3_finalize(s);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		dp_store_engine_row *x;
		if (*n == cap) {
			void *g = realloc(*rows, 2 * cap * sizeof(**rows));
			if (!g) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				break;
			}
			*rows = g;
			cap *= 2;
		}
		x = &(*rows)[(*n)++];
		memset(x, 0, sizeof(*x));
		col_copy(s, 0, x->id, sizeof(x->id));
		x->latest_job_status = col_dup(s, 1);
		x->source_connector_json = col_dup(s, 2);
		col_copy(s, 3, x->source_status, sizeof(x->source_status));
		if (!x->source_connector_json) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "list engines");
	sqlite3_finalize(s);
	if (rc) {
		dp_store_engine_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

int dp_store_engine_delete(dp_store *st, int64_t workspace_pk, const char *id, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "DELETE FROM engines WHERE id = ? AND workspace_pk = ?", &s, eb);

	if (rc)
		return rc;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "delete engine");
	else if (sqlite3_changes(st->db) == 0)
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no engine %.40s", id);
	sqlite3_finalize(s);
	return rc;
}

int dp_store_engine_secret(dp_store *st, const char *db_id, char **json_out, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "SELECT id, secret FROM connectors WHERE database_id = ?", &s, eb);

	*json_out = NULL;
	if (rc)
		return rc;
	bind_text(s, 1, db_id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 1) == SQLITE_BLOB) {
		char cid[40];
		col_copy(s, 0, cid, sizeof(cid));
		if (!st->key.set)
			rc = dp_fail(eb, DP_ERR_CONFIG, "no master key to open the stored secret");
		else if ((rc = unseal(&st->key, cid, sqlite3_column_blob(s, 1),
				      (size_t)sqlite3_column_bytes(s, 1), json_out)))
			rc = dp_fail(eb, rc, "the stored secret does not open under this master key");
	}
	sqlite3_finalize(s);
	return rc;
}

int dp_store_engine_update(dp_store *st, int64_t workspace_pk, const char *id, const char *user,
			   dp_store_update_fn fn, void *arg, int64_t *version_out, dp_errbuf *eb)
{
	int rc = DP_ERR_RETRY;

	for (int attempt = 0; attempt < TX_RETRIES && rc == DP_ERR_RETRY; attempt++) {
		sqlite3_stmt *s;
		char *cur_s = NULL, *cur_t = NULL, *new_s = NULL, *new_t = NULL, now[40];
		int64_t version = 0;

		if (attempt)
			dp_errbuf_clear(eb);
		if ((rc = begin(st, eb)))
			continue;
		if (!(rc = prep(st, "SELECT settings, tables, version FROM engines WHERE id = ? AND "
				"workspace_pk = ?", &s, eb))) {
			bind_text(s, 1, id);
			sqlite3_bind_int64(s, 2, workspace_pk);
			if (sqlite3_step(s) == SQLITE_ROW) {
				cur_s = col_dup(s, 0);
				cur_t = col_dup(s, 1);
				version = sqlite3_column_int64(s, 2);
				if (!cur_s || !cur_t)
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			} else {
				rc = dp_fail(eb, DP_ERR_NOTFOUND, "no engine %.40s", id);
			}
			sqlite3_finalize(s);
		}
		if (!rc)
			rc = fn(arg, cur_s, cur_t, &new_s, &new_t, eb);
		dp_now_iso(now, sizeof(now));
		if (!rc && !(rc = prep(st, "UPDATE engines SET settings = ?, tables = ?, version = ?, "
				       "last_updated = ? WHERE id = ?", &s, eb))) {
			bind_text(s, 1, new_s ? new_s : cur_s);
			bind_text(s, 2, new_t ? new_t : cur_t);
			sqlite3_bind_int64(s, 3, version + 1);
			bind_text(s, 4, now);
			bind_text(s, 5, id);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = db_fail(st, eb, "update engine");
			sqlite3_finalize(s);
		}
		if (!rc)
			rc = insert_history(st, id, version + 1, new_s ? new_s : cur_s,
					    new_t ? new_t : cur_t, user, now, eb);
		rc = finish(st, rc, eb);
		if (!rc && version_out)
			*version_out = version + 1;
		free(cur_s);
		free(cur_t);
		free(new_s);
		free(new_t);
	}
	return rc;
}

int dp_store_history(dp_store *st, int64_t workspace_pk, const char *id, cJSON **out,
		     dp_errbuf *eb)
{
	sqlite3_stmt *s;
	cJSON *root = cJSON_CreateObject(), *arr = root ? cJSON_AddArrayToObject(root, "versions") : NULL;
	int rc, r;

	*out = NULL;
	if (!arr) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if ((rc = prep(st, "SELECT h.version, h.created, h.user, h.settings FROM settings_history h "
		       "JOIN engines e ON e.id = h.engine_id WHERE h.engine_id = ? AND e.workspace_pk = ? "
		       "ORDER BY h.version", &s, eb))) {
		cJSON_Delete(root);
		return rc;
	}
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject(), *set;
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		/* the settings were written by dp_settings_to_json: they parse */
		set = cJSON_Parse((const char *)sqlite3_column_text(s, 3));
		if (!cJSON_AddNumberToObject(o, "version", (double)sqlite3_column_int64(s, 0)) ||
		    add_str(o, "created", (const char *)sqlite3_column_text(s, 1)) ||
		    add_str(o, "user", (const char *)sqlite3_column_text(s, 2)) || !set ||
		    !cJSON_AddItemToObject(o, "settings", set)) {
			cJSON_Delete(set);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "history");
	sqlite3_finalize(s);
	if (!rc && cJSON_GetArraySize(arr) == 0)
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no engine %.40s", id);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	*out = root;
	return DP_OK;
}

int dp_store_history_version(dp_store *st, int64_t workspace_pk, const char *id, int64_t version,
			     char **settings, char **tables, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "SELECT h.settings, h.tables FROM settings_history h JOIN engines e ON "
		      "e.id = h.engine_id WHERE h.engine_id = ? AND e.workspace_pk = ? AND h.version = ?",
		      &s, eb);

	*settings = *tables = NULL;
	if (rc)
		return rc;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	sqlite3_bind_int64(s, 3, version);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*settings = col_dup(s, 0);
		*tables = col_dup(s, 1);
		if (!*settings || !*tables) {
			free(*settings);
			free(*tables);
			*settings = *tables = NULL;
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	} else {
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "engine %.40s has no settings version %lld", id,
			     (long long)version);
	}
	sqlite3_finalize(s);
	return rc;
}

/* ---- jobs ---- */

static const char *const job_status_names[] = { "QUEUED", "STARTED", "SUCCESS", "FAILED",
						"CANCELLED", "INTERRUPTED" };

const char *dp_job_status_name(dp_job_status s)
{
	return s >= DP_JOB_QUEUED && s <= DP_JOB_INTERRUPTED ? job_status_names[s] : "?";
}

int dp_store_job_create(dp_store *st, int64_t workspace_pk, const char *engine_id,
			const char *user, char *id_out, dp_errbuf *eb)
{
	char now[40];
	sqlite3_stmt *s;
	int rc;

	if (dp_uuid4(id_out))
		return dp_fail(eb, DP_ERR_INTERNAL, "no randomness");
	dp_now_iso(now, sizeof(now));
	if ((rc = prep(st, "INSERT INTO jobs (id, engine_id, status, user, created) SELECT ?, id, "
		       "'QUEUED', ?, ? FROM engines WHERE id = ? AND workspace_pk = ?", &s, eb)))
		return rc;
	bind_text(s, 1, id_out);
	bind_text(s, 2, user);
	bind_text(s, 3, now);
	bind_text(s, 4, engine_id);
	sqlite3_bind_int64(s, 5, workspace_pk);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "new job");
	else if (sqlite3_changes(st->db) == 0)
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no engine %.40s", engine_id);
	sqlite3_finalize(s);
	if (!rc && !(rc = prep(st, "UPDATE engines SET latest_job_status = 'QUEUED' WHERE id = ?", &s, eb))) {
		bind_text(s, 1, engine_id);
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
	return rc;
}

int dp_store_job_set(dp_store *st, const char *id, dp_job_status status, const char *error,
		     const char *progress, const char *target_state, const char *cancel_reason,
		     dp_errbuf *eb)
{
	char now[40];
	sqlite3_stmt *s;
	int rc;

	dp_now_iso(now, sizeof(now));
	if ((rc = prep(st, "UPDATE jobs SET status = ?1, "
		       "started = CASE WHEN ?1 = 'STARTED' THEN ?2 ELSE started END, "
		       "finished = CASE WHEN ?1 IN ('SUCCESS','FAILED','CANCELLED','INTERRUPTED') THEN ?2 "
		       "ELSE finished END, error = coalesce(?3, error), progress = coalesce(?4, progress), "
		       "target_state = coalesce(?5, target_state), cancel_reason = coalesce(?6, cancel_reason) "
		       "WHERE id = ?7", &s, eb)))
		return rc;
	bind_text(s, 1, dp_job_status_name(status));
	bind_text(s, 2, now);
	bind_text(s, 3, error);
	bind_text(s, 4, progress);
	bind_text(s, 5, target_state);
	bind_text(s, 6, cancel_reason);
	bind_text(s, 7, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "job status");
	sqlite3_finalize(s);
	if (!rc && !(rc = prep(st, "UPDATE engines SET latest_job_status = ?1 WHERE id = "
			       "(SELECT engine_id FROM jobs WHERE id = ?2)", &s, eb))) {
		bind_text(s, 1, dp_job_status_name(status));
		bind_text(s, 2, id);
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
	return rc;
}

int dp_store_job_log(dp_store *st, const char *id, int64_t seq, const char *level,
		     const char *msg, dp_errbuf *eb)
{
	char now[40];
	sqlite3_stmt *s;
	int rc = prep(st, "INSERT INTO job_logs (job_id, seq, level, at, message) VALUES (?, ?, ?, ?, ?)",
		      &s, eb);

	if (rc)
		return rc;
	dp_now_iso(now, sizeof(now));
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, seq);
	bind_text(s, 3, level);
	bind_text(s, 4, now);
	bind_text(s, 5, msg);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, eb, "job log");
	sqlite3_finalize(s);
	return rc;
}

int dp_store_jobs_interrupt(dp_store *st, int *n, dp_errbuf *eb)
{
	char now[40];
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	dp_now_iso(now, sizeof(now));
	if ((rc = begin(st, eb)))
		return rc;
	if (!(rc = prep(st, "UPDATE engines SET latest_job_status = 'INTERRUPTED' WHERE id IN "
			"(SELECT engine_id FROM jobs WHERE status IN ('QUEUED','STARTED'))", &s, eb))) {
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, eb, "interrupt jobs");
		sqlite3_finalize(s);
	}
	if (!rc && !(rc = prep(st, "UPDATE jobs SET status = 'INTERRUPTED', finished = ?, error = "
			       "coalesce(error, 'the server stopped while the job ran') WHERE status IN "
			       "('QUEUED','STARTED')", &s, eb))) {
		bind_text(s, 1, now);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, eb, "interrupt jobs");
		*n = sqlite3_changes(st->db);
		sqlite3_finalize(s);
	}
	return finish(st, rc, eb);
}

/* one jobs row as JSON (columns: id, engine_id, status, user, created,
 * started, finished, error, cancel_reason, target_state, progress) */
static cJSON *job_row(sqlite3_stmt *s)
{
	static const char *const names[] = { "id", "engine_id", "status", "user", "created",
		"started", "finished", "error", "cancel_reason", "target_state" };
	cJSON *o = cJSON_CreateObject(), *p;
	const unsigned char *pt;

	if (!o)
		return NULL;
	for (int i = 0; i < 10; i++)
		if (add_str(o, names[i], (const char *)sqlite3_column_text(s, i))) {
			cJSON_Delete(o);
			return NULL;
		}
	pt = sqlite3_column_text(s, 10);
	p = pt ? cJSON_Parse((const char *)pt) : cJSON_CreateNull();
	if (!p || !cJSON_AddItemToObject(o, "progress", p)) {
		cJSON_Delete(p);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

#define JOB_COLS "j.id, j.engine_id, j.status, j.user, j.created, j.started, j.finished, j.error, " \
		 "j.cancel_reason, j.target_state, j.progress"

int dp_store_job_get(dp_store *st, int64_t workspace_pk, const char *id, cJSON **out,
		     dp_errbuf *eb)
{
	sqlite3_stmt *s;
	int rc = prep(st, "SELECT " JOB_COLS " FROM jobs j JOIN engines e ON e.id = j.engine_id "
		      "WHERE j.id = ? AND e.workspace_pk = ?", &s, eb);

	*out = NULL;
	if (rc)
		return rc;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (!(*out = job_row(s)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	} else {
		rc = dp_fail(eb, DP_ERR_NOTFOUND, "no job %.40s", id);
	}
	sqlite3_finalize(s);
	return rc;
}

int dp_store_job_list(dp_store *st, int64_t workspace_pk, const char *engine_id, cJSON **out,
		      dp_errbuf *eb)
{
	sqlite3_stmt *s;
	cJSON *root = cJSON_CreateObject(), *arr = root ? cJSON_AddArrayToObject(root, "jobs") : NULL;
	int rc, r;

	*out = NULL;
	if (!arr) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if ((rc = prep(st, "SELECT " JOB_COLS " FROM jobs j JOIN engines e ON e.id = j.engine_id "
		       "WHERE j.engine_id = ? AND e.workspace_pk = ? ORDER BY j.created, j.id", &s, eb))) {
		cJSON_Delete(root);
		return rc;
	}
	bind_text(s, 1, engine_id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		cJSON *o = job_row(s);
		if (!o || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "list jobs");
	sqlite3_finalize(s);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	*out = root;
	return DP_OK;
}

int dp_store_job_logs(dp_store *st, int64_t workspace_pk, const char *id, int64_t page,
		      int64_t page_size, const char *const *levels, cJSON **out, dp_errbuf *eb)
{
	sqlite3_stmt *s;
	cJSON *root = cJSON_CreateObject(), *arr = root ? cJSON_AddArrayToObject(root, "lines") : NULL;
	char sql[600];
	int rc, r;

	*out = NULL;
	if (!arr) {
		cJSON_Delete(root);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	/* levels: up to 4 names, bound as parameters */
	snprintf(sql, sizeof(sql), "SELECT l.seq, l.level, l.at, l.message FROM job_logs l JOIN jobs j "
		 "ON j.id = l.job_id JOIN engines e ON e.id = j.engine_id WHERE l.job_id = ?1 AND "
		 "e.workspace_pk = ?2 AND l.level IN (?5, ?6, ?7, ?8) ORDER BY l.seq LIMIT ?3 OFFSET ?4");
	if ((rc = prep(st, sql, &s, eb))) {
		cJSON_Delete(root);
		return rc;
	}
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, workspace_pk);
	sqlite3_bind_int64(s, 3, page_size);
	sqlite3_bind_int64(s, 4, (page - 1) * page_size);
	for (int i = 0; i < 4; i++)
		bind_text(s, 5 + i, levels[i]);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddNumberToObject(o, "seq", (double)sqlite3_column_int64(s, 0)) ||
		    add_str(o, "level", (const char *)sqlite3_column_text(s, 1)) ||
		    add_str(o, "at", (const char *)sqlite3_column_text(s, 2)) ||
		    add_str(o, "message", (const char *)sqlite3_column_text(s, 3)) ||
		    !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(st, eb, "job logs");
	sqlite3_finalize(s);
	if (rc) {
		cJSON_Delete(root);
		return rc;
	}
	*out = root;
	return DP_OK;
}
