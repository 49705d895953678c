/* tests/unit/test_conformance.c - the same behavioural checks over every
 * registered SQL driver: a table of every portable type, batched writes,
 * reads in key order and by key range, update_rows, FK enforcement on/off,
 * fk_violations, count_rows, introspection round-trip, hostile identifiers
 * and literals, staging (begin/mark/state/resume, finish commit and
 * rollback), identity.
 *
 * SQLite always runs (targets in a temp dir). PostgreSQL and MariaDB run
 * when their URL is set, otherwise their checks are skipped:
 *   DOPPEL_TEST_PG_URL=postgresql://user[:pw]@127.0.0.1:port/db  (pw: PGPASSWORD)
 *   DOPPEL_TEST_MYSQL_URL=mysql://user[:pw]@127.0.0.1:port/db    (pw: MYSQL_PWD)
 * tests/integration/test_conformance.sh starts both servers and sets them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "connectors/connector.h"
#include "connectors/dialect.h"

typedef struct driver {
	const char *label;
	const dp_connector *d;
	const dp_dialect *dialect;
	const char *url_env, *pw_env;   /* NULL: always available (SQLite) */
	int available;
	char host[128], user[64], pw[128], db[128];
	int port;
} driver;

static driver drivers[] = {
	{ "sqlite", &dp_sqlite_connector, &dp_sqlite_dialect, NULL, NULL, 0, "", "", "", "", 0 },
	{ "postgresql", &dp_pg_connector, &dp_pg_dialect, "DOPPEL_TEST_PG_URL", "PGPASSWORD", 0,
	  "", "", "", "", 0 },
	{ "mariadb", &dp_mysql_connector, &dp_mysql_dialect, "DOPPEL_TEST_MYSQL_URL", "MYSQL_PWD", 0,
	  "", "", "", "", 0 },
};
#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

static char tmpdir[256];
static int fp_counter;

/* scheme://user[:pw]@host[:port]/db; 0 when it does not parse */
static int parse_url(driver *v, const char *url, const char *pw_env)
{
	const char *p = strstr(url, "://"), *at, *slash, *colon;
	const char *pw = pw_env ? getenv(pw_env) : NULL;

	if (!p)
		return 0;
	p += 3;
	at = strchr(p, '@');
	slash = strchr(p, '/');
	if (!at || !slash || slash < at)
		return 0;
	colon = memchr(p, ':', (size_t)(at - p));
	snprintf(v->user, sizeof(v->user), "%.*s", (int)((colon ? colon : at) - p), p);
	if (colon)
		snprintf(v->pw, sizeof(v->pw), "%.*s", (int)(at - colon - 1), colon + 1);
	else
		snprintf(v->pw, sizeof(v->pw), "%s", pw ? pw : "");
	p = at + 1;
	colon = memchr(p, ':', (size_t)(slash - p));
	snprintf(v->host, sizeof(v->host), "%.*s", (int)((colon ? colon : slash) - p), p);
	v->port = colon ? atoi(colon + 1) : 0;
	snprintf(v->db, sizeof(v->db), "%s", slash + 1);
	return v->db[0] != '\0';
}

static driver *want(void **state)
{
	driver *v = *state;
	if (!v->available)
		skip();
	return v;
}

/* Connection settings of a session on database `tag` (SQLite: a file of
 * that name in the temp dir; servers: the URL's database, shared). */
static void cfg_for(driver *v, const char *tag, dp_conn_cfg *cfg, char *path, size_t n)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->connector_type = (char *)v->d->name;
	if (!v->url_env) {
		snprintf(path, n, "%s/%s.db", tmpdir, tag);
		cfg->database = path;
		return;
	}
	cfg->host = v->host;
	cfg->port = v->port;
	cfg->username = v->user;
	cfg->password = v->pw;
	cfg->database = v->db;
}

/* Sessions still open when a check fails (cmocka jumps out of it) are
 * closed by the teardown: a held target lock would fail the next check. */
#define MAX_LIVE 8
static dp_conn *live[MAX_LIVE];
static const dp_connector *live_d[MAX_LIVE];

static void track(driver *v, dp_conn *c)
{
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (!live[i]) {
			live[i] = c;
			live_d[i] = v->d;
			return;
		}
	fail_msg("more than %d sessions open", MAX_LIVE);
}

static void close_session(driver *v, dp_conn *c)
{
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (live[i] == c)
			live[i] = NULL;
	v->d->close(c);
}

static int close_leftovers(void **state)
{
	(void)state;
	for (size_t i = 0; i < MAX_LIVE; i++)
		if (live[i]) {
			live_d[i]->close(live[i]);
			live[i] = NULL;
		}
	return 0;
}

static dp_conn *open_session(driver *v, const char *tag, dp_role role, const dp_stage_opts *so)
{
	dp_conn_cfg cfg;
	char path[512];
	dp_conn *c = NULL;
	dp_errbuf eb;
	dp_stage_opts def = { .job = "conformance" };

	cfg_for(v, tag, &cfg, path, sizeof(path));
	dp_errbuf_clear(&eb);
	if (v->d->open(&cfg, role, &c, &eb))
		fail_msg("%s: open %s: %s", v->label, tag, eb.msg);
	track(v, c);
	if (role == DP_ROLE_TARGET && v->d->stage_begin(c, so ? so : &def, &eb))
		fail_msg("%s: stage_begin %s: %s", v->label, tag, eb.msg);
	return c;
}

#define OK(v, call) do { dp_errbuf_clear(&eb); \
	if ((call) != 0) fail_msg("%s: %s: %s", (v)->label, #call, eb.msg); } while (0)

/* ---- the portable schema ---- */

static dp_column *add_col(dp_table *t, const char *name, const char *decl, dp_tclass cls)
{
	dp_column *c = NULL;
	assert_int_equal(dp_table_add_column(t, name, decl, &c), 0);
	c->tclass = cls;
	return c;
}

static dp_table *kv_table(dp_schema *s, const char *name)
{
	dp_table *t = NULL;
	dp_column *c;
	assert_int_equal(dp_schema_add_table(s, name, &t), 0);
	c = add_col(t, "id", "bigint", DP_T_INTEGER);
	c->pk_pos = 1;
	c->notnull = 1;
	c = add_col(t, "val", "varchar(40)", DP_T_TEXT);
	c->length = 40;
	assert_int_equal(dp_table_finish_pk(t), 0);
	return t;
}

/* every_type: one column of each engine-neutral class */
static dp_table *every_type(dp_schema *s)
{
	dp_table *t = NULL;
	dp_column *c;
	assert_int_equal(dp_schema_add_table(s, "every_type", &t), 0);
	c = add_col(t, "id", "integer", DP_T_INTEGER);
	c->pk_pos = 1;
	c->notnull = 1;
	c->is_identity = 1;
	c = add_col(t, "name", "varchar(40)", DP_T_TEXT);
	c->length = 40;
	c->notnull = 1;
	add_col(t, "note", "text", DP_T_TEXT);
	c = add_col(t, "amount", "numeric(12,2)", DP_T_NUMERIC);
	c->precision = 12;
	c->scale = 2;
	add_col(t, "ratio", "double precision", DP_T_REAL);
	add_col(t, "flag", "boolean", DP_T_BOOL);
	add_col(t, "day", "date", DP_T_DATE);
	add_col(t, "at", "timestamp", DP_T_TIMESTAMP);
	add_col(t, "tm", "time", DP_T_TIME);
	add_col(t, "uid", "uuid", DP_T_UUID);
	add_col(t, "doc", "json", DP_T_JSON);
	add_col(t, "data", "blob", DP_T_BLOB);
	assert_int_equal(dp_table_finish_pk(t), 0);
	{
		const char *ic[] = { "name" };
		assert_int_equal(dp_table_add_index(t, "every_type_name", 1, 1, ic, NULL), 0);
	}
	return t;
}

static dp_schema *new_schema(void)
{
	dp_schema *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	s->engine = strdup("portable");
	return s;
}

static void create_all(driver *v, dp_conn *c, dp_schema *s, int fks_first)
{
	dp_errbuf eb;
	for (size_t i = 0; i < s->ntables; i++)
		OK(v, v->d->create(c, &s->tables[i], DP_DDL_TABLE, "portable", &eb));
	if (fks_first)
		for (size_t i = 0; i < s->ntables; i++)
			OK(v, v->d->create(c, &s->tables[i], DP_DDL_FKS, "portable", &eb));
}

static void post_data(driver *v, dp_conn *c, dp_schema *s, int fks)
{
	dp_errbuf eb;
	for (size_t i = 0; i < s->ntables; i++)
		OK(v, v->d->create(c, &s->tables[i], DP_DDL_INDEXES, "portable", &eb));
	for (size_t i = 0; fks && i < s->ntables; i++)
		OK(v, v->d->create(c, &s->tables[i], DP_DDL_FKS, "portable", &eb));
}

static int write_all(driver *v, dp_conn *c, const dp_table *t, const dp_batch *b, dp_errbuf *eb)
{
	dp_writer *w = NULL;
	int rc;

	dp_errbuf_clear(eb);
	rc = v->d->write_open(c, t, 1, &w, eb);
	if (rc)
		return rc;
	rc = v->d->write_batch(w, b, eb);
	{
		int rc2 = v->d->write_close(w, rc == 0, eb);
		if (!rc)
			rc = rc2;
	}
	return rc;
}

/* Every row of t (where / order / limit as given) into a new batch. */
static dp_batch *read_all(driver *v, dp_conn *c, const dp_table *t, const char *where,
			  const char *const *order, size_t norder, int64_t limit, size_t page)
{
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *all = dp_batch_new(t->ncols, 4096), *b = dp_batch_new(t->ncols, page);
	dp_errbuf eb;
	int eof = 0;

	memset(&spec, 0, sizeof(spec));
	spec.table = t;
	spec.where = where;
	spec.order_by = order;
	spec.n_order_by = norder;
	spec.limit = limit;
	OK(v, v->d->read_open(c, &spec, &r, &eb));
	while (!eof) {
		dp_batch_reset(b);
		OK(v, v->d->read_next(r, b, &eof, &eb));
		assert_true(dp_batch_nrows(b) <= page);
		for (size_t i = 0; i < dp_batch_nrows(b); i++) {
			const dp_value *src = dp_batch_row_c(b, i);
			dp_value *dst = dp_batch_add_row(all);
			assert_non_null(dst);
			for (size_t k = 0; k < t->ncols; k++) {
				dst[k] = src[k];
				if (src[k].kind == DP_V_TEXT)
					assert_int_equal(dp_batch_set_text(all, &dst[k], src[k].u.s, src[k].len), 0);
				else if (src[k].kind == DP_V_BLOB)
					assert_int_equal(dp_batch_set_blob(all, &dst[k], src[k].u.s, src[k].len), 0);
			}
		}
	}
	v->d->read_close(r);
	dp_batch_free(b);
	return all;
}

static int64_t ival(const dp_value *x)
{
	int64_t i = 0;
	if (!dp_value_to_i64(x, &i))
		fail_msg("not an integer (kind %d)", (int)x->kind);
	return i;
}

static void set_text(dp_batch *b, dp_value *x, const char *s)
{
	assert_int_equal(dp_batch_set_text(b, x, s, strlen(s)), 0);
}

/* kv rows ids first..last (written in a scrambled order), val "v<id>" */
static dp_batch *kv_rows(size_t ncols, int64_t n)
{
	dp_batch *b = dp_batch_new(ncols, (size_t)n);
	for (int64_t k = 0; k < n; k++) {
		int64_t id = (k * 7919) % n + 1;     /* 7919 is prime: a permutation */
		char s[32];
		dp_value *x = dp_batch_add_row(b);
		dp_value_set_int(&x[0], id);
		snprintf(s, sizeof(s), "v%05lld", (long long)id);
		set_text(b, &x[1], s);
	}
	return b;
}

/* ---- checks ---- */

static void test_every_type_roundtrip(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t = every_type(s);
	dp_conn *c = open_session(v, "types", DP_ROLE_TARGET, NULL);
	dp_batch *b = dp_batch_new(t->ncols, 4), *got;
	dp_errbuf eb;
	int64_t n = -1;
	static const unsigned char blob[] = { 0, 1, 0x7f, 0x80, 0xff, '\'', '\\' };

	OK(v, v->d->set_fk_enforcement(c, 0, &eb));
	create_all(v, c, s, 0);
	for (int r = 0; r < 3; r++) {
		dp_value *x = dp_batch_add_row(b);
		dp_value_set_int(&x[0], r + 1);
		if (r == 2) {
			set_text(b, &x[1], "only nulls");
			for (size_t k = 2; k < t->ncols; k++)
				dp_value_set_null(&x[k]);
			continue;
		}
		set_text(b, &x[1], r ? "Zoë O'Brien \"q\" `b` \\ ✓" : "plain");
		set_text(b, &x[2], r ? "line1\nline2\ttab" : "");
		set_text(b, &x[3], r ? "-1234567890.25" : "12.50");
		dp_value_set_real(&x[4], r ? -0.125 : 0.25);
		dp_value_set_int(&x[5], r ? 0 : 1);
		set_text(b, &x[6], r ? "1999-12-31" : "2024-02-29");
		set_text(b, &x[7], r ? "1999-12-31 23:59:59" : "2024-02-29 12:34:56");
		set_text(b, &x[8], r ? "23:59:59" : "00:00:01");
		set_text(b, &x[9], "123e4567-e89b-12d3-a456-426614174000");
		set_text(b, &x[10], r ? "[1, 2]" : "{\"a\": 1}");
		assert_int_equal(dp_batch_set_blob(b, &x[11], blob, r ? sizeof(blob) : 1), 0);
	}
	if (write_all(v, c, t, b, &eb))
		fail_msg("%s: write: %s", v->label, eb.msg);
	post_data(v, c, s, 1);
	OK(v, v->d->count_rows(c, t, &n, &eb));
	assert_int_equal(n, 3);
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);

	c = open_session(v, "types", DP_ROLE_SOURCE, NULL);
	got = read_all(v, c, t, NULL, NULL, 0, -1, 2);
	assert_int_equal(dp_batch_nrows(got), 3);
	for (size_t r = 0; r < 3; r++) {
		const dp_value *e = dp_batch_row_c(b, r), *g = dp_batch_row_c(got, r);
		assert_int_equal(ival(&g[0]), (int64_t)r + 1);
		for (size_t k = 1; k < t->ncols; k++) {
			char et[256], gt[256];
			int enull = 0, gnull = 0;
			const dp_column *col = &t->cols[k];
			dp_value_to_text(&e[k], et, sizeof(et), &enull);
			dp_value_to_text(&g[k], gt, sizeof(gt), &gnull);
			if (enull || gnull) {
				if (enull != gnull)
					fail_msg("%s: %s row %zu: NULL %d vs %d", v->label, col->name, r, enull, gnull);
				continue;
			}
			switch (col->tclass) {
			case DP_T_NUMERIC:
			case DP_T_REAL:
				if (strtod(et, NULL) != strtod(gt, NULL))
					fail_msg("%s: %s row %zu: %s vs %s", v->label, col->name, r, et, gt);
				break;
			case DP_T_BOOL:
				/* 1/0, t/f or true/false */
				if ((et[0] == '1') != (gt[0] == '1' || gt[0] == 't' || gt[0] == 'T'))
					fail_msg("%s: %s row %zu: %s vs %s", v->label, col->name, r, et, gt);
				break;
			case DP_T_TIMESTAMP:
			case DP_T_TIME:
				/* fractional zeros may be added (TIME(6)) */
				if (strncmp(et, gt, strlen(et)))
					fail_msg("%s: %s row %zu: %s vs %s", v->label, col->name, r, et, gt);
				break;
			case DP_T_BLOB:
				if (g[k].len != e[k].len || memcmp(g[k].u.s, e[k].u.s, e[k].len))
					fail_msg("%s: %s row %zu: %s vs %s", v->label, col->name, r, et, gt);
				break;
			default:
				if (strcmp(et, gt))
					fail_msg("%s: %s row %zu: '%s' vs '%s'", v->label, col->name, r, et, gt);
			}
		}
	}
	dp_batch_free(got);
	dp_batch_free(b);
	close_session(v, c);
	dp_schema_free(s);
}

static void test_key_order_and_range(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t = kv_table(s, "kv");
	dp_conn *c = open_session(v, "kv", DP_ROLE_TARGET, NULL);
	dp_batch *b = kv_rows(t->ncols, 1000), *got;
	dp_errbuf eb;
	const char *desc[] = { "val" };
	int64_t n = -1;

	create_all(v, c, s, 0);
	/* batches of 100 */
	for (size_t off = 0; off < 1000; off += 100) {
		dp_batch *part = dp_batch_new(t->ncols, 100);
		for (size_t i = off; i < off + 100; i++) {
			const dp_value *x = dp_batch_row_c(b, i);
			dp_value *y = dp_batch_add_row(part);
			y[0] = x[0];
			assert_int_equal(dp_batch_set_text(part, &y[1], x[1].u.s, x[1].len), 0);
		}
		if (write_all(v, c, t, part, &eb))
			fail_msg("%s: write: %s", v->label, eb.msg);
		dp_batch_free(part);
	}
	post_data(v, c, s, 1);
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);

	c = open_session(v, "kv", DP_ROLE_SOURCE, NULL);
	OK(v, v->d->count_rows(c, t, &n, &eb));
	assert_int_equal(n, 1000);
	got = read_all(v, c, t, NULL, NULL, 0, -1, 64);      /* 16 pages */
	assert_int_equal(dp_batch_nrows(got), 1000);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(ival(&dp_batch_row_c(got, i)[0]), (int64_t)i + 1);
	dp_batch_free(got);
	got = read_all(v, c, t, "id >= 100 AND id < 200", NULL, 0, -1, 30);
	assert_int_equal(dp_batch_nrows(got), 100);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(ival(&dp_batch_row_c(got, i)[0]), (int64_t)i + 100);
	dp_batch_free(got);
	got = read_all(v, c, t, "id > 990", desc, 1, 5, 2);  /* explicit order + limit */
	assert_int_equal(dp_batch_nrows(got), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ival(&dp_batch_row_c(got, i)[0]), (int64_t)i + 991);
	dp_batch_free(got);
	/* a fragment with a second statement never runs */
	{
		dp_read_spec spec;
		dp_reader *r = NULL;
		memset(&spec, 0, sizeof(spec));
		spec.table = t;
		spec.where = "1=1; DELETE FROM kv";
		spec.limit = -1;
		dp_errbuf_clear(&eb);
		assert_int_not_equal(v->d->read_open(c, &spec, &r, &eb), 0);
		assert_null(r);
	}
	OK(v, v->d->count_rows(c, t, &n, &eb));
	assert_int_equal(n, 1000);
	dp_batch_free(b);
	close_session(v, c);
	dp_schema_free(s);
}

static dp_schema *parent_child(void)
{
	dp_schema *s = new_schema();
	dp_table *p = kv_table(s, "parent"), *ch;
	const char *fc[] = { "parent_id" }, *rc[] = { "id" };
	(void)p;
	ch = kv_table(s, "child");
	add_col(ch, "parent_id", "bigint", DP_T_INTEGER);
	assert_int_equal(dp_table_add_fk(ch, "child_parent", "parent", 1, fc, rc, NULL), 0);
	return s;
}

static void child_rows(dp_batch *b, int64_t from, int64_t n, int64_t parent)
{
	for (int64_t i = from; i < from + n; i++) {
		dp_value *x = dp_batch_add_row(b);
		dp_value_set_int(&x[0], i);
		set_text(b, &x[1], "c");
		if (parent < 0)
			dp_value_set_null(&x[2]);
		else
			dp_value_set_int(&x[2], parent);
	}
}

static void test_update_rows(void **state)
{
	driver *v = want(state);
	dp_schema *s = parent_child();
	dp_table *p = &s->tables[0], *ch = &s->tables[1];
	dp_conn *c = open_session(v, "upd", DP_ROLE_TARGET, NULL);
	dp_batch *b = kv_rows(p->ncols, 3), *cb = dp_batch_new(ch->ncols, 10), *u, *got;
	const char *set[] = { "parent_id", "val" }, *key[] = { "id" };
	dp_errbuf eb;

	OK(v, v->d->set_fk_enforcement(c, 0, &eb));
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, p, b, &eb), 0);
	child_rows(cb, 1, 5, -1);                 /* loaded NULL, as a cycle is broken */
	assert_int_equal(write_all(v, c, ch, cb, &eb), 0);
	u = dp_batch_new(3, 5);
	for (int64_t i = 1; i <= 4; i++) {       /* child i -> parent (i % 3) + 1 */
		dp_value *x = dp_batch_add_row(u);
		dp_value_set_int(&x[0], i % 3 + 1);
		set_text(u, &x[1], i == 2 ? "it's \"2\"" : "set");
		dp_value_set_int(&x[2], i);
	}
	OK(v, v->d->update_rows(c, ch, set, 2, key, 1, u, &eb));
	post_data(v, c, s, 1);
	{
		int64_t bad = -1;
		OK(v, v->d->fk_violations(c, &bad, NULL, &eb));
		assert_int_equal(bad, 0);
	}
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);
	c = open_session(v, "upd", DP_ROLE_SOURCE, NULL);
	got = read_all(v, c, ch, NULL, NULL, 0, -1, 10);
	assert_int_equal(dp_batch_nrows(got), 5);
	for (int64_t i = 1; i <= 5; i++) {
		const dp_value *x = dp_batch_row_c(got, (size_t)i - 1);
		char t[64];
		dp_value_to_text(&x[1], t, sizeof(t), NULL);
		if (i == 5) {
			assert_int_equal(x[2].kind, DP_V_NULL);      /* not in the update */
			assert_string_equal(t, "c");
		} else {
			assert_int_equal(ival(&x[2]), i % 3 + 1);
			assert_string_equal(t, i == 2 ? "it's \"2\"" : "set");
		}
	}
	dp_batch_free(got);
	dp_batch_free(u);
	dp_batch_free(cb);
	dp_batch_free(b);
	close_session(v, c);
	dp_schema_free(s);
}

static void test_fk_off_counts_violations(void **state)
{
	driver *v = want(state);
	dp_schema *s = parent_child();
	dp_table *p = &s->tables[0], *ch = &s->tables[1];
	dp_conn *c = open_session(v, "fkoff", DP_ROLE_TARGET, NULL);
	dp_batch *b = kv_rows(p->ncols, 3), *cb = dp_batch_new(ch->ncols, 10);
	dp_buf detail = DP_BUF_INIT;
	dp_errbuf eb;
	int64_t bad = -1;

	OK(v, v->d->set_fk_enforcement(c, 0, &eb));
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, p, b, &eb), 0);
	child_rows(cb, 1, 2, 2);
	child_rows(cb, 3, 2, 999);               /* two orphans */
	child_rows(cb, 5, 1, -1);                /* NULL is no violation */
	if (write_all(v, c, ch, cb, &eb))
		fail_msg("%s: an orphan is refused with FK checks off: %s", v->label, eb.msg);
	OK(v, v->d->fk_violations(c, &bad, &detail, &eb));
	assert_int_equal(bad, 2);
	if (!strstr(dp_buf_str(&detail), "child") || !strstr(dp_buf_str(&detail), "parent"))
		fail_msg("%s: detail names neither table: %s", v->label, dp_buf_str(&detail));
	OK(v, v->d->finish(c, 0, &eb));
	close_session(v, c);
	dp_buf_free(&detail);
	dp_batch_free(cb);
	dp_batch_free(b);
	dp_schema_free(s);
}

static void test_fk_on_refuses_orphan(void **state)
{
	driver *v = want(state);
	dp_schema *s = parent_child();
	dp_table *p = &s->tables[0], *ch = &s->tables[1];
	dp_conn *c;
	dp_batch *b = kv_rows(p->ncols, 3), *cb = dp_batch_new(ch->ncols, 10);
	dp_errbuf eb;
	int rc;

	/* SQLite reads PRAGMA foreign_keys only outside a transaction: the
	 * setting comes after stage_begin, before the first DDL */
	{
		dp_conn_cfg cfg;
		char path[512];
		dp_stage_opts so = { .job = "conformance" };
		cfg_for(v, "fkon", &cfg, path, sizeof(path));
		dp_errbuf_clear(&eb);
		c = NULL;
		if (v->d->open(&cfg, DP_ROLE_TARGET, &c, &eb))
			fail_msg("%s: open: %s", v->label, eb.msg);
		track(v, c);
		OK(v, v->d->stage_begin(c, &so, &eb));
		OK(v, v->d->set_fk_enforcement(c, 1, &eb));
	}
	create_all(v, c, s, 1);
	assert_int_equal(write_all(v, c, p, b, &eb), 0);
	child_rows(cb, 1, 1, 999);
	rc = write_all(v, c, ch, cb, &eb);
	if (rc == 0)
		fail_msg("%s: an orphan row was accepted with FK checks on", v->label);
	if (!strstr(eb.msg, "child"))
		fail_msg("%s: the error does not name the table: %s", v->label, eb.msg);
	v->d->finish(c, 0, &eb);
	close_session(v, c);
	dp_batch_free(cb);
	dp_batch_free(b);
	dp_schema_free(s);
}

static void test_introspect_roundtrip(void **state)
{
	driver *v = want(state);
	dp_schema *s = parent_child(), *back = NULL;
	dp_table *et = every_type(s), *t;
	dp_conn *c = open_session(v, "intro", DP_ROLE_TARGET, NULL);
	dp_errbuf eb;

	(void)et;
	OK(v, v->d->set_fk_enforcement(c, 0, &eb));
	create_all(v, c, s, 0);
	post_data(v, c, s, 1);
	for (size_t i = 0; i < s->ntables; i++)
		OK(v, v->d->reset_sequences(c, &s->tables[i], &eb));
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);
	c = open_session(v, "intro", DP_ROLE_SOURCE, NULL);
	OK(v, v->d->introspect(c, &back, &eb));
	for (size_t i = 0; i < s->ntables; i++) {
		const dp_table *want_t = &s->tables[i];
		t = dp_schema_table(back, want_t->name);
		if (!t)
			fail_msg("%s: table %s not found", v->label, want_t->name);
		assert_int_equal(t->ncols, want_t->ncols);
		assert_int_equal(t->npk, 1);
		assert_string_equal(t->cols[t->pk[0]].name, "id");
		for (size_t k = 0; k < t->ncols; k++) {
			const dp_column *w = &want_t->cols[k], *g = &t->cols[k];
			dp_tclass wc = w->tclass;
			assert_string_equal(g->name, w->name);
			/* engines without the type keep it as text (uuid, json in SQLite) or a
			 * small integer (boolean in MySQL) */
			if (g->tclass != wc && !(wc == DP_T_UUID || wc == DP_T_JSON || wc == DP_T_BOOL))
				fail_msg("%s: %s.%s: class %s, expected %s", v->label, t->name, g->name,
					 dp_tclass_name(g->tclass), dp_tclass_name(wc));
			assert_int_equal(g->notnull, w->notnull);
			if (wc == DP_T_TEXT && w->length)
				assert_int_equal(g->length, w->length);
			if (wc == DP_T_NUMERIC)
				assert_true(g->precision == 12 && g->scale == 2);
		}
	}
	t = dp_schema_table(back, "child");
	assert_int_equal(t->nfks, 1);
	assert_string_equal(t->fks[0].ref_table, "parent");
	assert_string_equal(t->fks[0].cols[0], "parent_id");
	assert_string_equal(t->fks[0].ref_cols[0], "id");
	/* identity survives */
	t = dp_schema_table(back, "every_type");
	assert_true(t->cols[0].is_identity);
	{
		int unique_name = 0;
		for (size_t i = 0; i < t->nidx; i++)
			if (t->idx[i].unique && t->idx[i].ncols == 1 && !strcmp(t->idx[i].cols[0], "name"))
				unique_name = 1;
		if (!unique_name)
			fail_msg("%s: unique index on every_type.name not found", v->label);
	}
	dp_schema_free(back);
	close_session(v, c);
	dp_schema_free(s);
}

static void test_hostile_names(void **state)
{
	driver *v = want(state);
	/* quote characters of every dialect, unicode, SQL punctuation; within
	 * MySQL's 64 and PostgreSQL's 63 bytes */
	static const char *tname = "we\"ird `t` ünï;--";
	static const char *cnames[] = { "k\"ey", "va`l", "çøl 'x' ✓" };
	static const char *lit = "O'Brien \\ \"q\" `b` -- ;x ✓";
	dp_schema *s = new_schema(), *back = NULL;
	dp_table *t = NULL, *g;
	dp_column *col;
	dp_conn *c;
	dp_batch *b, *got;
	dp_buf where = DP_BUF_INIT, q = DP_BUF_INIT;
	dp_errbuf eb;

	assert_int_equal(dp_schema_add_table(s, tname, &t), 0);
	col = add_col(t, cnames[0], "bigint", DP_T_INTEGER);
	col->pk_pos = 1;
	col->notnull = 1;
	col = add_col(t, cnames[1], "varchar(60)", DP_T_TEXT);
	col->length = 60;
	add_col(t, cnames[2], "text", DP_T_TEXT);
	assert_int_equal(dp_table_finish_pk(t), 0);

	c = open_session(v, "hostile", DP_ROLE_TARGET, NULL);
	/* quote_ident doubles the dialect's quote character */
	assert_int_equal(v->d->quote_ident(c, "a\"b`c", &q), 0);
	assert_string_equal(dp_buf_str(&q), v->dialect->quote == '"' ? "\"a\"\"b`c\"" : "`a\"b``c`");
	create_all(v, c, s, 0);
	b = dp_batch_new(t->ncols, 3);
	for (int i = 1; i <= 2; i++) {
		dp_value *x = dp_batch_add_row(b);
		dp_value_set_int(&x[0], i);
		set_text(b, &x[1], i == 1 ? lit : "other");
		set_text(b, &x[2], "✓");
	}
	assert_int_equal(write_all(v, c, t, b, &eb), 0);
	post_data(v, c, s, 1);
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);

	c = open_session(v, "hostile", DP_ROLE_SOURCE, NULL);
	OK(v, v->d->introspect(c, &back, &eb));
	g = dp_schema_table(back, tname);
	if (!g)
		fail_msg("%s: table %s not found", v->label, tname);
	for (size_t k = 0; k < 3; k++)
		assert_string_equal(g->cols[k].name, cnames[k]);
	/* a predicate built with quote_ident and quote_literal finds the row */
	assert_int_equal(v->d->quote_ident(c, cnames[1], &where), 0);
	assert_int_equal(dp_buf_puts(&where, " = "), 0);
	assert_int_equal(v->d->quote_literal(c, lit, strlen(lit), &where), 0);
	got = read_all(v, c, t, dp_buf_str(&where), NULL, 0, -1, 10);
	assert_int_equal(dp_batch_nrows(got), 1);
	{
		const dp_value *x = dp_batch_row_c(got, 0);
		assert_int_equal(ival(&x[0]), 1);
		assert_int_equal(x[1].len, strlen(lit));
		assert_memory_equal(x[1].u.s, lit, strlen(lit));
	}
	dp_batch_free(got);
	dp_buf_free(&where);
	dp_buf_free(&q);
	dp_batch_free(b);
	dp_schema_free(back);
	close_session(v, c);
	dp_schema_free(s);
}

static int64_t count_on_source(driver *v, const char *tag, const dp_table *t, int *present)
{
	dp_conn *c = open_session(v, tag, DP_ROLE_SOURCE, NULL);
	dp_schema *back = NULL;
	dp_errbuf eb;
	int64_t n = -1;

	OK(v, v->d->introspect(c, &back, &eb));
	*present = dp_schema_table(back, t->name) != NULL;
	if (*present)
		OK(v, v->d->count_rows(c, t, &n, &eb));
	dp_schema_free(back);
	close_session(v, c);
	return n;
}

static void test_staging_commit_rollback(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t = kv_table(s, "staged");
	dp_conn *c;
	dp_batch *b = kv_rows(t->ncols, 10), *b2 = kv_rows(t->ncols, 4);
	dp_errbuf eb;
	dp_buf left = DP_BUF_INIT;
	int64_t rows = -1;
	int present = 0;

	c = open_session(v, "stage", DP_ROLE_TARGET, NULL);
	assert_int_equal(v->d->stage_state(c, t, &rows), DP_STAGE_NEW);
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, t, b, &eb), 0);
	post_data(v, c, s, 1);
	OK(v, v->d->stage_mark(c, t, 10, &eb));
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);
	assert_int_equal(count_on_source(v, "stage", t, &present), 10);

	/* a second job that rolls back leaves the committed table as it was */
	c = open_session(v, "stage", DP_ROLE_TARGET, NULL);
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, t, b2, &eb), 0);
	OK(v, v->d->finish(c, 0, &eb));
	close_session(v, c);
	assert_int_equal(count_on_source(v, "stage", t, &present), 10);

	/* ... and so does one that is closed without finishing */
	c = open_session(v, "stage", DP_ROLE_TARGET, NULL);
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, t, b2, &eb), 0);
	close_session(v, c);
	assert_int_equal(count_on_source(v, "stage", t, &present), 10);

	/* a job that commits replaces it */
	c = open_session(v, "stage", DP_ROLE_TARGET, NULL);
	create_all(v, c, s, 0);
	assert_int_equal(write_all(v, c, t, b2, &eb), 0);
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);
	assert_int_equal(count_on_source(v, "stage", t, &present), 4);

	/* nothing left behind */
	{
		dp_conn_cfg cfg;
		char path[512];
		cfg_for(v, "stage", &cfg, path, sizeof(path));
		c = NULL;
		dp_errbuf_clear(&eb);
		OK(v, v->d->open(&cfg, DP_ROLE_TARGET, &c, &eb));
		track(v, c);
		OK(v, v->d->stage_leftovers(c, &left, &eb));
		if (left.len)
			fail_msg("%s: leftovers after clean runs: %s", v->label, dp_buf_str(&left));
		close_session(v, c);
	}
	dp_buf_free(&left);
	dp_batch_free(b);
	dp_batch_free(b2);
	dp_schema_free(s);
}

/* A killed job (a child process that exits without finishing) leaves a
 * staging area that a resumed job with the same fingerprint adopts: the
 * marked table is DONE with its rows, the unmarked one is not kept. */
static void test_staging_resume_after_kill(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t1, *t2;
	char fp[65];
	dp_stage_opts so = { .job = "conformance", .fingerprint = fp };
	dp_batch *b;
	dp_errbuf eb;
	dp_conn *c;
	dp_buf left = DP_BUF_INIT;
	int64_t rows = -1;
	pid_t pid;
	int st = 0;
	dp_stage_state s2;

	(void)kv_table(s, "marked");
	(void)kv_table(s, "unmarked");
	t1 = &s->tables[0];      /* after both: adding a table moves the array */
	t2 = &s->tables[1];
	b = kv_rows(t1->ncols, 7);
	snprintf(fp, sizeof(fp), "%064x", ++fp_counter + (int)getpid() * 16);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dp_conn_cfg cfg;
		char path[512];
		dp_conn *k = NULL;
		cfg_for(v, "resume", &cfg, path, sizeof(path));
		if (v->d->open(&cfg, DP_ROLE_TARGET, &k, &eb) || v->d->stage_begin(k, &so, &eb) ||
		    v->d->create(k, t1, DP_DDL_TABLE, "portable", &eb) ||
		    write_all(v, k, t1, b, &eb) || v->d->stage_mark(k, t1, 7, &eb) ||
		    v->d->create(k, t2, DP_DDL_TABLE, "portable", &eb) ||
		    write_all(v, k, t2, b, &eb)) {
			fprintf(stderr, "child: %s\n", eb.msg);
			_exit(1);
		}
		_exit(0);     /* killed: no finish, no close */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	{
		dp_conn_cfg cfg;
		char path[512];
		cfg_for(v, "resume", &cfg, path, sizeof(path));
		c = NULL;
		dp_errbuf_clear(&eb);
		OK(v, v->d->open(&cfg, DP_ROLE_TARGET, &c, &eb));
		track(v, c);
		OK(v, v->d->stage_leftovers(c, &left, &eb));
		if (!left.len)
			fail_msg("%s: a killed job's staging area is not listed", v->label);
		so.resume = 1;
		OK(v, v->d->stage_begin(c, &so, &eb));
	}
	assert_int_equal(v->d->stage_state(c, t1, &rows), DP_STAGE_DONE);
	assert_int_equal(rows, 7);
	s2 = v->d->stage_state(c, t2, &rows);
	assert_true(s2 == DP_STAGE_EMPTY || s2 == DP_STAGE_NEW);
	if (s2 == DP_STAGE_NEW)
		OK(v, v->d->create(c, t2, DP_DDL_TABLE, "portable", &eb));
	post_data(v, c, s, 1);
	OK(v, v->d->finish(c, 1, &eb));
	close_session(v, c);
	{
		int present = 0;
		assert_int_equal(count_on_source(v, "resume", t1, &present), 7);
		assert_int_equal(count_on_source(v, "resume", t2, &present), 0);
	}
	dp_buf_free(&left);
	dp_batch_free(b);
	dp_schema_free(s);
}

static void test_source_is_read_only(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t = kv_table(s, "kv");
	dp_conn *c = open_session(v, "kv", DP_ROLE_SOURCE, NULL);
	dp_errbuf eb;
	int64_t n = -1;

	dp_errbuf_clear(&eb);
	assert_int_not_equal(v->d->create(c, t, DP_DDL_TABLE, "portable", &eb), 0);
	dp_errbuf_clear(&eb);
	assert_int_not_equal(v->d->truncate(c, t, &eb), 0);
	OK(v, v->d->count_rows(c, t, &n, &eb));
	assert_int_equal(n, 1000);      /* test_key_order_and_range's rows, untouched */
	close_session(v, c);
	dp_schema_free(s);
}

/* A batch that fails on the server names the table and the failing row's
 * row (its integer key, or its place in the load). */
static void test_failing_row_is_named(void **state)
{
	driver *v = want(state);
	dp_schema *s = new_schema();
	dp_table *t = kv_table(s, "dup");
	dp_conn *c = open_session(v, "dup", DP_ROLE_TARGET, NULL);
	dp_batch *b = dp_batch_new(t->ncols, 600);
	dp_errbuf eb;
	char want_key[32];
	int rc;

	create_all(v, c, s, 0);
	post_data(v, c, s, 1);      /* the primary key exists before the load */
	for (int i = 1; i <= 600; i++) {
		dp_value *x = dp_batch_add_row(b);
		dp_value_set_int(&x[0], i == 417 ? 3 : i);     /* duplicate key at row 417 */
		set_text(b, &x[1], "x");
	}
	rc = write_all(v, c, t, b, &eb);
	if (rc == 0)
		fail_msg("%s: a duplicate key was accepted", v->label);
	/* the key (SQLite, MariaDB) or the row's place in the load (PostgreSQL's
	 * COPY replay: "row 417 of its load") */
	snprintf(want_key, sizeof(want_key), "id=3");
	if (!strstr(eb.msg, "dup") || (!strstr(eb.msg, want_key) && !strstr(eb.msg, "row 417")))
		fail_msg("%s: the error does not name dup and %s or row 417: %s", v->label, want_key,
			 eb.msg);
	close_session(v, c);                                  /* never finished: discarded */
	dp_batch_free(b);
	dp_schema_free(s);
}

/* ---- the shared builders' text, per dialect (no server needed) ---- */

static int put_int(void *arg, const dp_value *x, dp_buf *out)
{
	char t[64];
	(void)arg;
	dp_value_to_text(x, t, sizeof(t), NULL);
	return dp_buf_puts(out, t);
}

/* The statements the drivers built by hand before the dialect layer,
 * character for character: quoting, clause order, identity forms. */
static void test_builders_sql(void **state)
{
	static const struct {
		const dp_dialect *d;
		const char *schema, *create, *page, *update, *index;
	} want_sql[] = {
		{ &dp_sqlite_dialect, NULL,
		  "CREATE TABLE \"c\"\"h`\" (\n  \"id\" INTEGER NOT NULL,\n  \"pid\" INTEGER,\n"
		  "  PRIMARY KEY (\"id\"),\n  FOREIGN KEY (\"pid\") REFERENCES \"p\" (\"id\")\n)",
		  "SELECT \"id\", \"pid\" FROM \"c\"\"h`\" WHERE (\nid > 3\n) AND (\"id\") > (42) "
		  "ORDER BY \"id\" LIMIT 100",
		  "UPDATE \"c\"\"h`\" SET \"pid\" = ? WHERE \"id\" = ?", "ix" },
		{ &dp_pg_dialect, "public",
		  "CREATE TABLE \"public\".\"c\"\"h`\" (\n  \"id\" bigint GENERATED BY DEFAULT AS "
		  "IDENTITY NOT NULL,\n  \"pid\" bigint,\n  PRIMARY KEY (\"id\")\n)",
		  "SELECT \"id\", \"pid\" FROM \"public\".\"c\"\"h`\" WHERE (\nid > 3\n) AND "
		  "(\"id\") > (42) ORDER BY \"id\" LIMIT 100",
		  "UPDATE \"public\".\"c\"\"h`\" SET \"pid\" = $1 WHERE \"id\" = $2", "c\"h`_ix" },
		{ &dp_mysql_dialect, NULL,
		  "CREATE TABLE `c\"h``` (\n  `id` BIGINT NOT NULL AUTO_INCREMENT,\n  `pid` BIGINT,\n"
		  "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
		  "SELECT `id`, `pid` FROM `c\"h``` WHERE (\nid > 3\n) AND (`id`) > (42) ORDER BY `id` "
		  "LIMIT 100",
		  "UPDATE `c\"h``` SET `pid` = 7 WHERE `id` = 8", "ix" },
	};
	dp_schema *s = new_schema();
	dp_table *t = NULL;
	dp_column *c;
	const char *fc[] = { "pid" }, *rc[] = { "id" }, *set[] = { "pid" }, *key[] = { "id" };
	dp_sql_values vals = { put_int, NULL };
	dp_value after, row[2];

	(void)state;
	assert_int_equal(dp_schema_add_table(s, "c\"h`", &t), 0);
	c = add_col(t, "id", "integer", DP_T_INTEGER);
	c->pk_pos = 1;
	c->notnull = 1;
	c->is_identity = 1;
	add_col(t, "pid", "bigint", DP_T_INTEGER);
	assert_int_equal(dp_table_finish_pk(t), 0);
	assert_int_equal(dp_table_add_fk(t, "fk", "p", 1, fc, rc, NULL), 0);
	assert_int_equal(dp_table_add_index(t, "ix", 0, 1, fc, NULL), 0);
	dp_value_set_int(&after, 42);
	dp_value_set_int(&row[0], 7);
	dp_value_set_int(&row[1], 8);
	for (size_t i = 0; i < sizeof(want_sql) / sizeof(want_sql[0]); i++) {
		const dp_dialect *d = want_sql[i].d;
		dp_read_spec spec;
		dp_errbuf eb;
		dp_sql q;
		char name[64];

		dp_errbuf_clear(&eb);
		dp_sql_init(&q, d->quote);
		assert_int_equal(dp_sql_create_table(&q, d, want_sql[i].schema, t, "portable", 1, &eb), 0);
		assert_string_equal(dp_sql_str(&q), want_sql[i].create);
		dp_sql_reset(&q);
		memset(&spec, 0, sizeof(spec));
		spec.table = t;
		spec.where = "id > 3";
		dp_sql_read(&q, d, want_sql[i].schema, &spec, &after, &vals, 100, -1);
		assert_string_equal(dp_sql_str(&q), want_sql[i].page);
		dp_sql_reset(&q);
		dp_sql_update_by_key(&q, d, want_sql[i].schema, t, set, 1, key, 1, row, &vals);
		assert_string_equal(dp_sql_str(&q), want_sql[i].update);
		assert_false(dp_sql_failed(&q));
		dp_sql_free(&q);
		dp_sql_index_name(d, t, &t->idx[0], name, sizeof(name));
		assert_string_equal(name, want_sql[i].index);
	}
	dp_schema_free(s);
}

/* ---- one test per (driver, check) ---- */

typedef struct check {
	const char *name;
	CMUnitTestFunction fn;
} check;

static const check checks[] = {
	{ "every_type_roundtrip", test_every_type_roundtrip },
	{ "key_order_and_range", test_key_order_and_range },
	{ "source_is_read_only", test_source_is_read_only },
	{ "update_rows", test_update_rows },
	{ "fk_off_counts_violations", test_fk_off_counts_violations },
	{ "fk_on_refuses_orphan", test_fk_on_refuses_orphan },
	{ "introspect_roundtrip_identity", test_introspect_roundtrip },
	{ "hostile_names_and_literals", test_hostile_names },
	{ "staging_commit_rollback", test_staging_commit_rollback },
	{ "staging_resume_after_kill", test_staging_resume_after_kill },
	{ "failing_row_is_named", test_failing_row_is_named },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

int main(void)
{
	static struct CMUnitTest tests[1 + NDRIVERS * NCHECKS] = {
		{ .name = "dialect: builders_sql", .test_func = test_builders_sql },
	};
	static char names[1 + NDRIVERS * NCHECKS][96];
	char tmpl[] = "/tmp/doppel-conf-XXXXXX";
	size_t n = 1;
	int rc;

	if (!mkdtemp(tmpl))
		return 1;
	snprintf(tmpdir, sizeof(tmpdir), "%s", tmpl);
	for (size_t i = 0; i < NDRIVERS; i++) {
		driver *v = &drivers[i];
		const char *url = v->url_env ? getenv(v->url_env) : NULL;
		v->available = !v->url_env || (url && *url && parse_url(v, url, v->pw_env));
		for (size_t k = 0; k < NCHECKS; k++) {
			snprintf(names[n], sizeof(names[n]), "%s: %s", v->label, checks[k].name);
			memset(&tests[n], 0, sizeof(tests[n]));
			tests[n].name = names[n];
			tests[n].test_func = checks[k].fn;
			tests[n].initial_state = v;
			tests[n].teardown_func = close_leftovers;
			n++;
		}
	}
	rc = cmocka_run_group_tests_name("conformance", tests, NULL, NULL);
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return rc;
}
