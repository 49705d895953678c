/* tests/unit/test_store.c - the server's store: migrations, sealed secrets
 * and the master key, users, sessions, API keys, engines and the settings
 * history; and the API's body parser and route table (data-driven). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "settings/store.h"
#include "settings/api/api.h"

static char dir[256];

static const char *path(const char *name)
{
	static char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static int setup(void **s)
{
	snprintf(dir, sizeof(dir), "/tmp/doppel-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	(void)s;
	return 0;
}

static int teardown(void **s)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
	(void)s;
	return 0;
}

static dp_master_key key_of(unsigned char b)
{
	dp_master_key k;
	memset(&k, 0, sizeof(k));
	k.set = 1;
	memset(k.key, b, sizeof(k.key));
	return k;
}

static void test_migrations_idempotent(void **s)
{
	dp_store *st;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_open(path("m.db"), NULL, &st, &eb), DP_OK);
	assert_int_equal(dp_store_schema_version(st), 2);
	dp_store_close(st);
	assert_int_equal(dp_store_open(path("m.db"), NULL, &st, &eb), DP_OK);
	assert_int_equal(dp_store_schema_version(st), 2);
	dp_store_close(st);
	{
		sqlite3 *db;
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_open(path("m.db"), &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_version", -1, &q, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), 2);
		sqlite3_finalize(q);
		/* a store from a newer doppel is refused */
		assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_version VALUES (99)", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(dp_store_open(path("m.db"), NULL, &st, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "newer"));
	(void)s;
}

static void test_users_sessions(void **s)
{
	dp_store *st;
	dp_errbuf eb;
	dp_user u;
	char tok[DP_TOKEN_HEX + 1], csrf[DP_TOKEN_HEX + 1], csrf2[DP_TOKEN_HEX + 1];

	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_open(path("u.db"), NULL, &st, &eb), DP_OK);
	assert_int_equal(dp_store_user_add(st, "ann", DP_UROLE_EDITOR, "long-enough-pw", &eb), DP_OK);
	assert_int_equal(dp_store_user_add(st, "ann", DP_UROLE_EDITOR, "long-enough-pw", &eb), DP_ERR_REFUSED);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_user_add(st, "bob", DP_UROLE_EDITOR, "short", &eb), DP_ERR_CONFIG);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_user_login(st, "ann", "wrong-password", &u, &eb), DP_ERR_AUTH);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_user_login(st, "nobody", "long-enough-pw", &u, &eb), DP_ERR_AUTH);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_user_login(st, "ann", "long-enough-pw", &u, &eb), DP_OK);
	assert_string_equal(u.name, "ann");
	assert_int_equal(u.role, DP_UROLE_EDITOR);
	assert_int_equal(dp_store_session_new(st, u.id, 60, tok, csrf, &eb), DP_OK);
	assert_int_equal(strlen(tok), DP_TOKEN_HEX);
	memset(&u, 0, sizeof(u));
	assert_int_equal(dp_store_session_user(st, tok, &u, csrf2, &eb), DP_OK);
	assert_string_equal(u.name, "ann");
	assert_string_equal(csrf, csrf2);
	assert_int_equal(dp_store_session_delete(st, tok, &eb), DP_OK);
	assert_int_equal(dp_store_session_user(st, tok, &u, csrf2, &eb), DP_ERR_AUTH);
	/* an expired session is no session */
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_user_login(st, "ann", "long-enough-pw", &u, &eb), DP_OK);
	assert_int_equal(dp_store_session_new(st, u.id, -1, tok, csrf, &eb), DP_OK);
	assert_int_equal(dp_store_session_user(st, tok, &u, csrf2, &eb), DP_ERR_AUTH);
	dp_store_close(st);
	(void)s;
}

static void test_api_keys(void **s)
{
	dp_store *st;
	dp_errbuf eb;
	dp_user owner = { 0 }, u;
	char *key = NULL, id[40];
	cJSON *l;

	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_open(path("k.db"), NULL, &st, &eb), DP_OK);
	assert_int_equal(dp_store_user_add(st, "own", DP_UROLE_EDITOR, "long-enough-pw", &eb), DP_OK);
	assert_int_equal(dp_store_user_login(st, "own", "long-enough-pw", &owner, &eb), DP_OK);
	/* never more than the creator's role */
	assert_int_equal(dp_store_apikey_new(st, &owner, DP_UROLE_OWNER, "x", &key, id, &eb), DP_ERR_REFUSED);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_apikey_new(st, &owner, DP_UROLE_VIEWER, "ci", &key, id, &eb), DP_OK);
	assert_int_equal(dp_store_apikey_user(st, key, &u, &eb), DP_OK);
	assert_int_equal(u.role, DP_UROLE_VIEWER);
	assert_string_equal(u.name, "own");
	assert_int_equal(dp_store_apikey_list(st, &l, &eb), DP_OK);
	{
		char *t = cJSON_PrintUnformatted(l);
		assert_null(strstr(t, key + 41));      /* the secret part never listed */
		cJSON_free(t);
	}
	cJSON_Delete(l);
	key[50] = key[50] == 'a' ? 'b' : 'a';
	assert_int_equal(dp_store_apikey_user(st, key, &u, &eb), DP_ERR_AUTH);
	key[50] = key[50] == 'a' ? 'b' : 'a';
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_apikey_revoke(st, id, &eb), DP_OK);
	assert_int_equal(dp_store_apikey_user(st, key, &u, &eb), DP_ERR_AUTH);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_apikey_revoke(st, id, &eb), DP_ERR_NOTFOUND);
	assert_int_equal(dp_store_apikey_user(st, "dpk_short", &u, &eb), DP_ERR_AUTH);
	dp_secret_free(key);
	dp_store_close(st);
	(void)s;
}

static int bump(void *arg, const char *cs, const char *ct, char **so, char **to, dp_errbuf *eb)
{
	(void)ct;
	(void)eb;
	(*(int *)arg)++;
	*so = strdup(cs);
	*to = strdup("{\"t\":{}}");
	return 0;
}

static void test_engines_secrets(void **s)
{
	dp_master_key k = key_of(7), wrong = key_of(8);
	dp_store *st;
	dp_errbuf eb;
	dp_store_engine e;
	char id[40], *sec = NULL;
	int calls = 0;
	int64_t v = 0;
	cJSON *h;
	dp_store_new_engine ne = { "e", 1, "{\"seed_value\":1}", "{\"connector_type\":\"sqlite\"}",
				   "{\"connector_type\":\"sqlite\"}", "{\"password\":\"TopSecret99\"}",
				   NULL, "{}", "tester" };

	dp_errbuf_clear(&eb);
	/* no key: a secret cannot be stored */
	assert_int_equal(dp_store_open(path("e.db"), NULL, &st, &eb), DP_OK);
	assert_int_equal(dp_store_engine_create(st, &ne, id, &eb), DP_ERR_REFUSED);
	assert_non_null(strstr(eb.msg, "DOPPEL_MASTER_KEY"));
	dp_store_close(st);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_open(path("e.db"), &k, &st, &eb), DP_OK);
	assert_int_equal(dp_store_engine_create(st, &ne, id, &eb), DP_OK);
	assert_true(dp_store_has_secrets(st));
	assert_int_equal(dp_store_engine_get(st, 1, id, &e, &eb), DP_OK);
	assert_true(e.source.has_secret);
	assert_false(e.target.has_secret);
	assert_null(strstr(e.source.connector_json, "TopSecret99"));
	assert_int_equal(dp_store_engine_secret(st, e.source.id, &sec, &eb), DP_OK);
	assert_string_equal(sec, "{\"password\":\"TopSecret99\"}");
	dp_secret_free(sec);
	/* another workspace does not see it */
	dp_store_engine_clear(&e);
	assert_int_equal(dp_store_engine_get(st, 2, id, &e, &eb), DP_ERR_NOTFOUND);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_store_engine_update(st, 1, id, "u2", bump, &calls, &v, &eb), DP_OK);
	assert_int_equal(v, 2);
	assert_int_equal(calls, 1);
	assert_int_equal(dp_store_history(st, 1, id, &h, &eb), DP_OK);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "versions")), 2);
	cJSON_Delete(h);
	dp_store_engine_clear(&e);
	assert_int_equal(dp_store_engine_get(st, 1, id, &e, &eb), DP_OK);
	assert_string_equal(e.tables_json, "{\"t\":{}}");
	assert_int_equal(e.version, 2);
	{
		char src_id[40];
		snprintf(src_id, sizeof(src_id), "%s", e.source.id);
		dp_store_engine_clear(&e);
		dp_store_close(st);
		/* the wrong key is refused at open */
		assert_int_equal(dp_store_open(path("e.db"), &wrong, &st, &eb), DP_ERR_CONFIG);
		assert_non_null(strstr(eb.msg, "not the one"));
		/* without a key the store opens (user add), but a secret does not */
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_store_open(path("e.db"), NULL, &st, &eb), DP_OK);
		assert_int_equal(dp_store_engine_secret(st, src_id, &sec, &eb), DP_ERR_CONFIG);
		dp_errbuf_clear(&eb);
	}
	assert_int_equal(dp_store_engine_delete(st, 1, id, &eb), DP_OK);
	assert_int_equal(dp_store_engine_delete(st, 1, id, &eb), DP_ERR_NOTFOUND);
	assert_false(dp_store_has_secrets(st));
	dp_store_close(st);
	(void)s;
}

static void test_master_key_env(void **s)
{
	dp_master_key k;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	unsetenv("DOPPEL_MASTER_KEY_FILE");
	unsetenv("DOPPEL_MASTER_KEY");
	assert_int_equal(dp_master_key_load(&k, &eb), DP_OK);
	assert_false(k.set);
	setenv("DOPPEL_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
	assert_int_equal(dp_master_key_load(&k, &eb), DP_OK);
	assert_true(k.set);
	assert_int_equal(k.key[1], 0x11);
	setenv("DOPPEL_MASTER_KEY", "too short", 1);
	assert_int_equal(dp_master_key_load(&k, &eb), DP_ERR_CONFIG);
	setenv("DOPPEL_MASTER_KEY_FILE", "/nonexistent/key", 1);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_master_key_load(&k, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "DOPPEL_MASTER_KEY_FILE"));
	unsetenv("DOPPEL_MASTER_KEY_FILE");
	unsetenv("DOPPEL_MASTER_KEY");
	(void)s;
}

/* the body parser: input -> accepted, or the error code and JSON path */
static void test_body_parser(void **s)
{
	static const struct { const char *in; size_t len; int ok; api_ec ec; const char *field; } cases[] = {
		{ "{\"a\":1}", 7, 1, 0, "" },
		{ "", 0, 0, API_EC_INVALID_JSON, "" },
		{ "{\"a\":", 5, 0, API_EC_INVALID_JSON, "" },
		{ "{} x", 4, 0, API_EC_INVALID_JSON, "" },
		{ "{}  \n", 5, 1, 0, "" },
		{ "[1]", 3, 0, API_EC_VALIDATION, "" },
		{ "{\"a\":1,\"a\":2}", 13, 0, API_EC_VALIDATION, "a" },
		{ "{\"x\":{\"b\":1,\"b\":2}}", 19, 0, API_EC_VALIDATION, "x.b" },
		{ "{\"x\":[{\"c\":1,\"c\":1}]}", 21, 0, API_EC_VALIDATION, "x[0].c" },
		{ "{\"a\":\"\xff\"}", 9, 0, API_EC_INVALID_UTF8, "" },
		{ "{\"a\":\"\xc0\x80\"}", 10, 0, API_EC_INVALID_UTF8, "" },
		{ "{\"a\":\"\xed\xa0\x80\"}", 11, 0, API_EC_INVALID_UTF8, "" },
		{ "{\"a\":\"\xf4\x90\x80\x80\"}", 12, 0, API_EC_INVALID_UTF8, "" },
		{ "{\"a\":\"\xe2\x82\"}", 10, 0, API_EC_INVALID_UTF8, "" },
		{ "{\"a\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}", 18, 1, 0, "" },
		{ "{\"a\":\"x\0y\"}", 11, 0, API_EC_INVALID_JSON, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *o = NULL;
		api_body_err e;
		int rc = api_body_parse(cases[i].in, cases[i].len, &o, &e);
		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu: rc %d (%s)", i, rc, e.reason);
		if (!cases[i].ok) {
			assert_null(o);
			if (e.ec != cases[i].ec || strcmp(e.field, cases[i].field))
				fail_msg("case %zu: ec %d field \"%s\" (%s)", i, e.ec, e.field, e.reason);
		}
		cJSON_Delete(o);
	}
	(void)s;
}

/* the route table: path -> route, params, 405 */
static void test_routes(void **s)
{
	char n[API_MAX_PARAMS][API_PARAM_MAX], v[API_MAX_PARAMS][API_PARAM_MAX], allow[64];
	size_t np;
	int known;
	const api_route *r;

	r = api_route_match("GET", "/api/v1/engine/initialization_modes/", n, v, &np, &known, allow, sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->op_id, "initialization_modes");
	r = api_route_match("GET", "/api/v1/engine/abc/", n, v, &np, &known, allow, sizeof(allow));
	assert_non_null(r);
	assert_string_equal(r->op_id, "get_engine");
	assert_int_equal(np, 1);
	assert_string_equal(n[0], "engine_id");
	assert_string_equal(v[0], "abc");
	r = api_route_match("PUT", "/api/v1/engine/abc/", n, v, &np, &known, allow, sizeof(allow));
	assert_null(r);
	assert_true(known);
	assert_string_equal(allow, "GET");
	r = api_route_match("GET", "/api/v1/engine/abc", n, v, &np, &known, allow, sizeof(allow));
	assert_null(r);
	assert_false(known);
	r = api_route_match("DELETE", "/api/v1/engine/abc/delete/", n, v, &np, &known, allow, sizeof(allow));
	assert_non_null(r);
	assert_int_equal(r->role, DP_UROLE_EDITOR);
	r = api_route_match("GET", "/api/v1/engine//", n, v, &np, &known, allow, sizeof(allow));
	assert_null(r);
	(void)s;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_idempotent),
		cmocka_unit_test(test_users_sessions),
		cmocka_unit_test(test_api_keys),
		cmocka_unit_test(test_engines_secrets),
		cmocka_unit_test(test_master_key_env),
		cmocka_unit_test(test_body_parser),
		cmocka_unit_test(test_routes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
