/* tests/unit/test_subset.c - the subset closure (engine/subset/subset.c)
 * against a small deterministic SQLite schema, opened through the engine
 * (sessions, source, introspection, engine-file JSON, plan), with exact
 * counts worked out by hand and, for every kept row, its parents kept.
 *
 * Data (every key is an INTEGER "id"):
 *   customers 1..10
 *   products  1..5
 *   orders    1..30   customer_id = (id-1)%10+1, total = id,
 *                     placed = (id*7)%31 (a permutation of 1..30)
 *   items     1..60   order_id = (id+1)/2 (two per order),
 *                     product_id = (id-1)%5+1
 *   notes     1..12   customer_id = id for 1..10, NULL for 11, 12
 *                     (never listed in an engine file: DE_IDENTIFY)
 *   employees 1..10   manager_id = id/2 (1 has none): a tree
 *   dept      1..4    head_id = 3*id+1 (staff 4, 7, 10), NULL for 4
 *   staff     1..12   dept_id = (id-1)/3+1 (NOT NULL) - a cycle with dept
 *                     through the nullable head_id
 */
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
#include "base/dp_log.h"
#include "connectors/connector.h"
#include "engine/run/source.h"
#include "engine/plan/plan.h"
#include "engine/subset/subset.h"
#include "engine/gen/textpii.h"
#include "settings/engine_file.h"

#define MAXID 128

static char tmpdir[512];
static char dbpath[600];

/* ---- the source database ---- */

static void exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sql: %s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		abort();
	}
}

static int make_db(void **st)
{
	sqlite3 *db = NULL;
	char sql[256];

	(void)st;
	snprintf(tmpdir, sizeof(tmpdir), "%s/doppel-subset.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/src.db", tmpdir);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return -1;
	exec_sql(db, "PRAGMA foreign_keys = OFF; BEGIN;"
		 "CREATE TABLE customers (id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
		 "CREATE TABLE products (id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
		 "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),"
		 " total INTEGER NOT NULL, placed INTEGER NOT NULL);"
		 "CREATE TABLE items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id),"
		 " product_id INTEGER NOT NULL REFERENCES products(id), qty INTEGER NOT NULL);"
		 "CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), body TEXT);"
		 "CREATE TABLE employees (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES employees(id), label TEXT);"
		 "CREATE TABLE dept (id INTEGER PRIMARY KEY, head_id INTEGER REFERENCES staff(id), label TEXT);"
		 "CREATE TABLE staff (id INTEGER PRIMARY KEY, dept_id INTEGER NOT NULL REFERENCES dept(id), label TEXT);");
	for (int i = 1; i <= 10; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO customers VALUES (%d, 'c%d');", i, i);
		exec_sql(db, sql);
		if (i == 1)
			snprintf(sql, sizeof(sql), "INSERT INTO employees VALUES (1, NULL, 'e1');");
		else
			snprintf(sql, sizeof(sql), "INSERT INTO employees VALUES (%d, %d, 'e%d');", i, i / 2, i);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 5; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO products VALUES (%d, 'p%d');", i, i);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 30; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO orders VALUES (%d, %d, %d, %d);", i, (i - 1) % 10 + 1, i,
			 (i * 7) % 31);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 60; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO items VALUES (%d, %d, %d, 1);", i, (i + 1) / 2, (i - 1) % 5 + 1);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 12; i++) {
		if (i <= 10)
			snprintf(sql, sizeof(sql), "INSERT INTO notes VALUES (%d, %d, 'n');", i, i);
		else
			snprintf(sql, sizeof(sql), "INSERT INTO notes VALUES (%d, NULL, 'n');", i);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 4; i++) {
		if (i < 4)
			snprintf(sql, sizeof(sql), "INSERT INTO dept VALUES (%d, %d, 'd');", i, 3 * i + 1);
		else
			snprintf(sql, sizeof(sql), "INSERT INTO dept VALUES (%d, NULL, 'd');", i);
		exec_sql(db, sql);
	}
	for (int i = 1; i <= 12; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO staff VALUES (%d, %d, 's');", i, (i - 1) / 3 + 1);
		exec_sql(db, sql);
	}
	exec_sql(db, "COMMIT;");
	sqlite3_close(db);
	dp_log_set_level(DP_LOG_ERROR);
	return 0;
}

static int drop_db(void **st)
{
	char p[700];
	(void)st;
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

/* ---- one closure, from engine-file JSON to the subset ---- */

typedef struct tabview {
	const char *name;
	size_t k;                    /* plan index */
	int filtered;
	int64_t nrows;
	unsigned char kept[MAXID];   /* by id; unfiltered tables: every row */
	int64_t nkept;
} tabview;

typedef struct ctx {
	dp_job_cfg *cfg;
	dp_sessions *set;
	dp_source *src;
	dp_schema *schema;
	dp_namebook *names;
	dp_plan *plan;
	dp_subset *sub;
	size_t ntv;
	tabview tv[16];
} ctx;

static long plan_index(const ctx *c, const char *name)
{
	for (size_t k = 0; k < c->plan->ntables; k++)
		if (!strcmp(c->plan->tables[k].t->name, name))
			return (long)k;
	return -1;
}

static const dp_plan_table *ptab(const ctx *c, const char *name)
{
	long k = plan_index(c, name);
	if (k < 0)
		fail_msg("no table %s in the plan", name);
	return &c->plan->tables[k];
}

static const tabview *tview_c(const ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ntv; i++)
		if (!strcmp(c->tv[i].name, name))
			return &c->tv[i];
	fail_msg("no table %s", name);
	return NULL;
}

static tabview *tview(ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ntv; i++)
		if (!strcmp(c->tv[i].name, name))
			return &c->tv[i];
	fail_msg("no table %s", name);
	return NULL;
}

/* One row of plan table k as dp_values (text kept in sqlite's buffers:
 * valid until the next step). */
static void row_values(sqlite3_stmt *q, const dp_table *t, dp_value *v)
{
	for (size_t i = 0; i < t->ncols; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		switch (sqlite3_column_type(q, (int)i)) {
		case SQLITE_NULL:
			dp_value_set_null(&v[i]);
			break;
		case SQLITE_INTEGER:
			dp_value_set_int(&v[i], sqlite3_column_int64(q, (int)i));
			break;
		case SQLITE_FLOAT:
			dp_value_set_real(&v[i], sqlite3_column_double(q, (int)i));
			break;
		default:
			v[i].kind = DP_V_TEXT;
			v[i].u.s = (const char *)sqlite3_column_text(q, (int)i);
			v[i].len = (size_t)sqlite3_column_bytes(q, (int)i);
			break;
		}
	}
}

static sqlite3_stmt *select_all(sqlite3 *db, const dp_table *t)
{
	char sql[1024];
	size_t n = 0;
	sqlite3_stmt *q = NULL;

	n += (size_t)snprintf(sql + n, sizeof(sql) - n, "SELECT ");
	for (size_t i = 0; i < t->ncols; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s\"%s\"", i ? ", " : "", t->cols[i].name);
	snprintf(sql + n, sizeof(sql) - n, " FROM \"%s\" ORDER BY id", t->name);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	return q;
}

/* Which rows are kept, read back through dp_subset_row for every row of
 * the source; then the integrity check: every kept row's references to a
 * filtered table (not null_if_unselected) point at a kept row. */
static void read_back(ctx *c)
{
	sqlite3 *db = NULL;
	dp_buf scratch = DP_BUF_INIT;

	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	c->ntv = 0;
	for (size_t k = 0; k < c->plan->ntables; k++) {
		const dp_plan_table *pt = &c->plan->tables[k];
		tabview *tv = &c->tv[c->ntv++];
		sqlite3_stmt *q = select_all(db, pt->t);
		dp_value v[16];

		assert_true(c->ntv <= 16 && pt->t->ncols <= 16);
		memset(tv, 0, sizeof(*tv));
		tv->name = pt->t->name;
		tv->k = k;
		tv->filtered = pt->filtered;
		while (sqlite3_step(q) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(q, 0);
			int keep;
			assert_true(id > 0 && id < MAXID);
			tv->nrows++;
			row_values(q, pt->t, v);
			if (!pt->filtered) {
				keep = 1;
			} else {
				/* read whole, in key order: the row's ordinal is its index
				 * (tables decided row by row keep the ordinal they are given) */
				long ord = dp_subset_row_at(c->sub, k, v, (uint64_t)(tv->nrows - 1), &scratch);
				keep = ord >= 0;
				/* the ordinal is the row's index in key order */
				if (keep)
					assert_int_equal(ord, tv->nrows - 1);
			}
			tv->kept[id] = (unsigned char)keep;
			tv->nkept += keep;
		}
		sqlite3_finalize(q);
		if (pt->filtered && !dp_subset_streamed(c->sub, k))
			assert_int_equal(tv->nkept, dp_subset_count(c->sub, k));
		else if (pt->filtered)      /* decided row by row: only the load counts */
			assert_int_equal(dp_subset_count(c->sub, k), -1);
		else
			assert_int_equal(dp_subset_count(c->sub, k), -1);
	}
	/* integrity: parents of kept rows are kept */
	for (size_t k = 0; k < c->plan->ntables; k++) {
		const dp_plan_table *pt = &c->plan->tables[k];
		const tabview *tv = &c->tv[k];
		for (size_t f = 0; f < pt->t->nfks; f++) {
			const dp_fk *fk = &pt->t->fks[f];
			long ci = dp_table_col_index(pt->t, fk->cols[0]);
			const tabview *par = tview(c, fk->ref_table);
			sqlite3_stmt *q = select_all(db, pt->t);
			assert_int_equal(fk->ncols, 1);
			assert_string_equal(fk->ref_cols[0], "id");
			while (sqlite3_step(q) == SQLITE_ROW) {
				int64_t id = sqlite3_column_int64(q, 0), ref;
				if (!tv->kept[id] || sqlite3_column_type(q, (int)ci) == SQLITE_NULL)
					continue;
				ref = sqlite3_column_int64(q, (int)ci);
				if (pt->cols[ci].null_unsel)
					continue;   /* set NULL at load when the parent is not kept */
				if (!par->kept[ref])
					fail_msg("%s %lld kept, its %s %lld (%s) is not", pt->t->name, (long long)id,
						 fk->cols[0], (long long)ref, fk->ref_table);
			}
			sqlite3_finalize(q);
		}
	}
	dp_buf_free(&scratch);
	sqlite3_close(db);
}

static void ctx_open(ctx *c, const char *tables_json, int64_t seed)
{
	char json[4096];
	dp_errbuf eb;
	dp_conn_cfg cc;

	memset(c, 0, sizeof(*c));
	dp_errbuf_clear(&eb);
	snprintf(json, sizeof(json),
		 "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"%s\"}, "
		 "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"%s/unused.db\"}, "
		 "\"tables\": {%s}}", dbpath, tmpdir, tables_json);
	if (dp_engine_parse(json, strlen(json), NULL, &c->cfg, &eb))
		fail_msg("engine file: %s", eb.msg);
	c->set = dp_sessions_new(NULL);
	assert_non_null(c->set);
	cc = c->cfg->source;
	if (dp_source_open(&cc, c->set, &c->src, &eb))
		fail_msg("source: %s", eb.msg);
	if (dp_source_driver(c->src)->introspect(dp_source_lock(c->src), &c->schema, &eb)) {
		dp_source_unlock(c->src);
		fail_msg("introspect: %s", eb.msg);
	}
	dp_source_unlock(c->src);
	c->names = dp_namebook_new();
	assert_non_null(c->names);
	if (dp_plan_build(c->cfg, c->schema, dp_sqlite_connector.caps, seed, c->names, &c->plan, &eb))
		fail_msg("plan: %s", eb.msg);
	if (dp_subset_compute(c->plan, c->src, &c->sub, &eb))
		fail_msg("subset: %s", eb.msg);
	assert_non_null(c->sub);
	read_back(c);
}

static void ctx_close(ctx *c)
{
	dp_subset_free(c->sub);
	dp_plan_free(c->plan);
	dp_schema_free(c->schema);
	dp_namebook_free(c->names);
	dp_source_free(c->src);
	dp_sessions_free(c->set);
	dp_job_cfg_free(c->cfg);
	memset(c, 0, sizeof(*c));
}


/* Rows a table keeps, by name (-1: not filtered): dp_subset_count, or for a
 * table decided row by row while it is loaded, the rows read_back saw kept */
static int64_t cnt(const ctx *c, const char *name)
{
	size_t k = (size_t)plan_index(c, name);
	if (dp_subset_streamed(c->sub, k))
		return (int64_t)tview_c(c, name)->nkept;
	return dp_subset_count(c->sub, k);
}

static int kept(ctx *c, const char *name, int id)
{
	return tview(c, name)->kept[id];
}

/* the kept ids of a table as "1,2,3" */
static const char *ids(ctx *c, const char *name, char *buf, size_t sz)
{
	const tabview *tv = tview(c, name);
	size_t n = 0;
	buf[0] = 0;
	for (int i = 1; i < MAXID; i++)
		if (tv->kept[i] && n < sz)
			n += (size_t)snprintf(buf + n, sz - n, "%s%d", n ? "," : "", i);
	return buf;
}

#define ASSERT_IDS(c, table, want) do { \
		char b_[512]; \
		assert_string_equal(ids((c), (table), b_, sizeof(b_)), (want)); \
	} while (0)

/* ---- cases ---- */

/* dp_subset_each_key callback: append "val," to a 128-byte buffer */
static int add_key(const char *val, size_t len, void *arg)
{
	char *b = arg;
	size_t n = strlen(b);
	if (n + len + 2 > 128)
		return 1;
	if (n)
		b[n++] = ',';
	memcpy(b + n, val, len);
	b[n + len] = 0;
	return 0;
}

/* orders where customer_id = 3: orders 3, 13, 23 (targets); their customer
 * 3 upward (and only it: a required parent pulls no other children); their
 * items 5, 6, 25, 26, 45, 46 downward (items is not listed: DE_IDENTIFY,
 * filtered because it references orders); the products those items need,
 * 5 and 1; notes of kept customers (3) and those with a NULL reference (11,
 * 12). Tables not linked to a filtered one stay whole. */
static void test_where_target(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"customer_id = 3\"}},"
		     "\"customers\": {\"mode\": \"SUBSET\"}, \"products\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "orders"), 3);
	assert_int_equal(cnt(&c, "customers"), 1);
	assert_int_equal(cnt(&c, "items"), 6);
	assert_int_equal(cnt(&c, "products"), 2);
	assert_int_equal(cnt(&c, "notes"), 3);
	ASSERT_IDS(&c, "orders", "3,13,23");
	ASSERT_IDS(&c, "customers", "3");
	ASSERT_IDS(&c, "items", "5,6,25,26,45,46");
	ASSERT_IDS(&c, "products", "1,5");
	ASSERT_IDS(&c, "notes", "3,11,12");
	{
		char keys[128] = "";
		assert_int_equal(dp_subset_each_key(c.sub, (size_t)plan_index(&c, "orders"), add_key, keys), 0);
		assert_string_equal(keys, "3,13,23");
	}
	assert_false(ptab(&c, "items")->mode == DP_MODE_SUBSET);
	assert_true(ptab(&c, "items")->filtered);
	assert_int_equal(cnt(&c, "employees"), -1);
	assert_int_equal(cnt(&c, "dept"), -1);
	assert_int_equal(cnt(&c, "staff"), -1);
	ctx_close(&c);
}

/* A SUBSET child as the target: its parents are not filtered (not SUBSET,
 * referencing nothing filtered), so they stay whole; once orders is SUBSET
 * too it keeps only the orders the kept items need. */
static void test_child_target(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"items\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 4\"}}", 1);
	assert_int_equal(cnt(&c, "items"), 4);
	assert_int_equal(cnt(&c, "orders"), -1);
	assert_int_equal(cnt(&c, "customers"), -1);
	assert_int_equal(cnt(&c, "products"), -1);
	assert_int_equal(cnt(&c, "notes"), -1);
	assert_false(ptab(&c, "orders")->filtered);
	ASSERT_IDS(&c, "items", "1,2,3,4");
	ctx_close(&c);

	ctx_open(&c, "\"items\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 4\"}},"
		     "\"orders\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "items"), 4);
	assert_int_equal(cnt(&c, "orders"), 2);
	assert_int_equal(cnt(&c, "customers"), -1);
	assert_int_equal(cnt(&c, "products"), -1);
	ASSERT_IDS(&c, "orders", "1,2");
	ctx_close(&c);
}

/* Non-SUBSET tables in a chain: orders and items are not listed, both are
 * filtered (orders references customers, items references orders).
 * Customers 1, 2 bring all their orders (1, 11, 21, 2, 12, 22) and their 12
 * items, which need products 1..4. A product as the target instead: the
 * items referencing product 1 (every fifth: 12), orders untouched. */
static void test_non_subset_chain(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"products\": {\"mode\": \"SUBSET\"}", 1);
	assert_true(ptab(&c, "orders")->filtered && ptab(&c, "items")->filtered);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "orders"), 6);
	assert_int_equal(cnt(&c, "items"), 12);
	assert_int_equal(cnt(&c, "products"), 4);
	assert_int_equal(cnt(&c, "notes"), 4);
	ASSERT_IDS(&c, "orders", "1,2,11,12,21,22");
	ASSERT_IDS(&c, "items", "1,2,3,4,21,22,23,24,41,42,43,44");
	ASSERT_IDS(&c, "products", "1,2,3,4");
	ctx_close(&c);

	ctx_open(&c, "\"products\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id = 1\"}}", 1);
	assert_int_equal(cnt(&c, "products"), 1);
	assert_int_equal(cnt(&c, "items"), 12);
	assert_int_equal(cnt(&c, "orders"), -1);
	assert_int_equal(cnt(&c, "customers"), -1);
	ASSERT_IDS(&c, "items", "1,6,11,16,21,26,31,36,41,46,51,56");
	ctx_close(&c);
}

/* customers 1, 2 with at most 2 orders each, the first by key: 1, 11 and
 * 2, 12 (not 21, 22); all items of those orders follow (8). */
static void test_max_per_parent(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"max_per_parent\": 2}}", 1);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "orders"), 4);
	assert_int_equal(cnt(&c, "items"), 8);
	assert_int_equal(cnt(&c, "notes"), 4);
	assert_int_equal(cnt(&c, "products"), -1);
	ASSERT_IDS(&c, "orders", "1,2,11,12");
	ASSERT_IDS(&c, "items", "1,2,3,4,21,22,23,24");
	ASSERT_IDS(&c, "notes", "1,2,11,12");
	ctx_close(&c);

	/* max_per_parent 1: the first order of each, 1 and 2 */
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"max_per_parent\": 1}}", 1);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "orders"), 2);
	assert_int_equal(cnt(&c, "items"), 4);
	ASSERT_IDS(&c, "orders", "1,2");
	ctx_close(&c);
}

/* customers 1, 2; of their orders (1, 11, 21, 2, 12, 22) only total > 10
 * come in as children: 11, 21, 12, 22; their 8 items. */
static void test_include_when(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"include_when\": \"total > 10\"}}", 1);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "orders"), 4);
	assert_int_equal(cnt(&c, "items"), 8);
	ASSERT_IDS(&c, "orders", "11,12,21,22");
	ASSERT_IDS(&c, "items", "21,22,23,24,41,42,43,44");
	ctx_close(&c);

	/* include_when and max_per_parent together: the first matching one */
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"include_when\": \"total > 10\", "
		     "\"max_per_parent\": 1}}", 1);
	assert_int_equal(cnt(&c, "orders"), 2);
	ASSERT_IDS(&c, "orders", "11,12");
	ctx_close(&c);
}

/* include_children none: the SUBSET child orders gets nothing (so items
 * neither); notes, not a SUBSET table, still keeps the rows whose
 * references are all kept or NULL. */
static void test_include_children_none(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\", "
		     "\"include_children\": \"none\"}}, \"orders\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "orders"), 0);
	assert_int_equal(cnt(&c, "items"), 0);
	assert_int_equal(cnt(&c, "notes"), 4);
	ASSERT_IDS(&c, "notes", "1,2,11,12");
	ctx_close(&c);
}

static void percent_run(ctx *c, int64_t seed, double pct)
{
	char t[512];
	snprintf(t, sizeof(t), "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": %g}},"
		 "\"customers\": {\"mode\": \"SUBSET\"}, \"products\": {\"mode\": \"SUBSET\"}", pct);
	ctx_open(c, t, seed);
}

/* percent by a keyed hash: the exact rows depend on the seed, the
 * invariants do not - each kept order brings exactly its 2 items, the
 * customers are exactly those of the kept orders, the products exactly
 * those of the kept items. Same seed: same rows; another seed: others. */
static void check_percent_invariants(ctx *c)
{
	unsigned char cust[MAXID] = {0}, prod[MAXID] = {0};
	int64_t ncust = 0, nprod = 0, nnotes = 2;
	for (int o = 1; o <= 30; o++) {
		int k = kept(c, "orders", o);
		assert_int_equal(kept(c, "items", 2 * o - 1), k);
		assert_int_equal(kept(c, "items", 2 * o), k);
		if (k) {
			cust[(o - 1) % 10 + 1] = 1;
			prod[(2 * o - 2) % 5 + 1] = 1;
			prod[(2 * o - 1) % 5 + 1] = 1;
		}
	}
	for (int i = 1; i <= 10; i++) {
		assert_int_equal(kept(c, "customers", i), cust[i]);
		assert_int_equal(kept(c, "notes", i), cust[i]);
		ncust += cust[i];
		nnotes += cust[i];
	}
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(kept(c, "products", i), prod[i]);
		nprod += prod[i];
	}
	assert_int_equal(cnt(c, "items"), 2 * cnt(c, "orders"));
	assert_int_equal(cnt(c, "customers"), ncust);
	assert_int_equal(cnt(c, "products"), nprod);
	assert_int_equal(cnt(c, "notes"), nnotes);
}

static void test_percent(void **st)
{
	ctx a, b, o;
	int differ = 0;
	(void)st;
	percent_run(&a, 42, 40);
	check_percent_invariants(&a);
	/* 40% of 30: not none, not all (fixed by the seed) */
	assert_true(cnt(&a, "orders") > 0 && cnt(&a, "orders") < 30);
	percent_run(&b, 42, 40);
	check_percent_invariants(&b);
	for (size_t i = 0; i < a.ntv; i++)
		assert_memory_equal(a.tv[i].kept, tview(&b, a.tv[i].name)->kept, MAXID);
	percent_run(&o, 43, 40);
	check_percent_invariants(&o);
	for (int i = 1; i <= 30; i++)
		differ |= kept(&a, "orders", i) != kept(&o, "orders", i);
	assert_true(differ);
	ctx_close(&a);
	ctx_close(&b);
	ctx_close(&o);

	percent_run(&a, 42, 100);
	assert_int_equal(cnt(&a, "orders"), 30);
	assert_int_equal(cnt(&a, "items"), 60);
	assert_int_equal(cnt(&a, "customers"), 10);
	assert_int_equal(cnt(&a, "products"), 5);
	assert_int_equal(cnt(&a, "notes"), 12);
	ctx_close(&a);
}

/* Shapes decided row by row while loading (no key set): a percent SUBSET
 * table with no filtered parent (KEY_LOCAL) and its non-SUBSET children with
 * one filtered parent and no children (REF_LOCAL). The rows they keep are
 * the ones the closure keeps when the same tables are materialised (items
 * as a SUBSET child, which takes every child of a kept order, forces that). */
static void test_streamed_matches_closure(void **st)
{
	ctx s, m;
	(void)st;
	/* orders 40%: its only filtered child is items, which has no child */
	ctx_open(&s, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 40}}", 42);
	ctx_open(&m, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 40}},"
		     "\"items\": {\"mode\": \"SUBSET\"}", 42);
	assert_true(dp_subset_streamed(s.sub, (size_t)plan_index(&s, "orders")));
	assert_true(dp_subset_streamed(s.sub, (size_t)plan_index(&s, "items")));
	assert_false(dp_subset_streamed(m.sub, (size_t)plan_index(&m, "orders")));
	assert_false(dp_subset_streamed(m.sub, (size_t)plan_index(&m, "items")));
	assert_true(cnt(&s, "orders") > 0 && cnt(&s, "orders") < 30);
	assert_int_equal(cnt(&s, "orders"), cnt(&m, "orders"));
	assert_int_equal(cnt(&s, "items"), cnt(&m, "items"));
	assert_int_equal(cnt(&s, "items"), 2 * cnt(&s, "orders"));
	assert_memory_equal(tview(&s, "orders")->kept, tview(&m, "orders")->kept, MAXID);
	assert_memory_equal(tview(&s, "items")->kept, tview(&m, "items")->kept, MAXID);
	/* the estimate of a streamed table: its share of the rows */
	assert_int_equal(dp_subset_estimate(s.sub, (size_t)plan_index(&s, "orders"), 30), 12);
	assert_int_equal(dp_subset_estimate(m.sub, (size_t)plan_index(&m, "orders"), 30),
			 cnt(&m, "orders"));
	ctx_close(&s);
	ctx_close(&m);
	/* a SUBSET parent (customers) makes orders pull it: closed over */
	ctx_open(&s, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 40}},"
		     "\"customers\": {\"mode\": \"SUBSET\"}", 42);
	assert_false(dp_subset_streamed(s.sub, (size_t)plan_index(&s, "orders")));
	ctx_close(&s);
}

/* limit 4 ordered by placed = (id*7)%31: placed 1, 2, 3, 4 are orders 9,
 * 18, 27, 5; their customers 9, 8, 7, 5; their 8 items. */
static void test_limit_order_by(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 4, \"order_by\": \"placed\"}},"
		     "\"customers\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "orders"), 4);
	assert_int_equal(cnt(&c, "customers"), 4);
	assert_int_equal(cnt(&c, "items"), 8);
	assert_int_equal(cnt(&c, "notes"), 6);
	ASSERT_IDS(&c, "orders", "5,9,18,27");
	ASSERT_IDS(&c, "customers", "5,7,8,9");
	ASSERT_IDS(&c, "items", "9,10,17,18,35,36,53,54");
	ctx_close(&c);

	/* limit without order_by: 3 rows, whichever; closure still exact */
	ctx_open(&c, "\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 3}}", 1);
	assert_int_equal(cnt(&c, "orders"), 3);
	assert_int_equal(cnt(&c, "items"), 6);
	ctx_close(&c);
}

/* employees: manager_id = id/2. Targets 6 and 9 pull their managers up the
 * chain: 6 -> 3 -> 1, 9 -> 4 -> 2 -> 1; nobody's reports come down (no
 * downward closure through a self-reference). */
static void test_self_reference(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"employees\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id IN (6, 9)\"}}", 1);
	assert_int_equal(cnt(&c, "employees"), 6);
	ASSERT_IDS(&c, "employees", "1,2,3,4,6,9");
	assert_int_equal(cnt(&c, "customers"), -1);
	ctx_close(&c);

	ctx_open(&c, "\"employees\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id = 10\"}}", 1);
	assert_int_equal(cnt(&c, "employees"), 4);
	ASSERT_IDS(&c, "employees", "1,2,5,10");
	ctx_close(&c);
}

/* dept.head_id (nullable) -> staff, staff.dept_id (NOT NULL) -> dept.
 * Staff 1 -> dept 1 -> head staff 4 -> dept 2 -> staff 7 -> dept 3 ->
 * staff 10 -> dept 4 -> NULL head: 4 and 4 (required rows pull no
 * children). */
static void test_fk_cycle(void **st)
{
	ctx c;
	(void)st;
	ctx_open(&c, "\"staff\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id = 1\"}},"
		     "\"dept\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "staff"), 4);
	assert_int_equal(cnt(&c, "dept"), 4);
	ASSERT_IDS(&c, "staff", "1,4,7,10");
	ASSERT_IDS(&c, "dept", "1,2,3,4");
	ctx_close(&c);

	/* dept 3 as the target: its staff 7, 8, 9 are its children; dept 2
	 * references staff 7 (head), so it is a descendant too, and brings
	 * staff 4, 5, 6; dept 1 (head 4) likewise brings 1, 2, 3. Dept 3's
	 * head 10 is required, and so its dept 4 - which, only required,
	 * brings no staff: 11, 12 stay out. */
	ctx_open(&c, "\"dept\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id = 3\"}},"
		     "\"staff\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "dept"), 4);
	assert_int_equal(cnt(&c, "staff"), 10);
	ASSERT_IDS(&c, "staff", "1,2,3,4,5,6,7,8,9,10");
	ctx_close(&c);
}

/* null_if_unselected: the reference pulls nothing, the rows stay and the
 * FK is set NULL at load where its row is not kept. */
static void test_null_if_unselected(void **st)
{
	ctx c;
	dp_value in[3], out[3];
	size_t k;
	(void)st;
	ctx_open(&c, "\"employees\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id IN (2, 4, 9)\"},"
		     " \"null_if_unselected\": [\"manager_id\"]}", 1);
	assert_int_equal(cnt(&c, "employees"), 3);
	ASSERT_IDS(&c, "employees", "2,4,9");
	k = (size_t)plan_index(&c, "employees");
	assert_true(c.plan->tables[k].cols[1].null_unsel);
	/* 2 -> 1 (not kept): NULL; 4 -> 2 and 9 -> 4 (kept): kept as is */
	{
		static const int rows[][3] = { { 2, 1, 1 }, { 4, 2, 0 }, { 9, 4, 0 } };
		for (size_t i = 0; i < 3; i++) {
			dp_value_set_int(&in[0], rows[i][0]);
			dp_value_set_int(&in[1], rows[i][1]);
			dp_value_set_null(&in[2]);
			memcpy(out, in, sizeof(in));
			dp_subset_null_unselected(c.sub, k, in, out);
			assert_int_equal(out[0].kind, DP_V_INT);
			if (rows[i][2]) {
				assert_int_equal(out[1].kind, DP_V_NULL);
			} else {
				assert_int_equal(out[1].kind, DP_V_INT);
				assert_int_equal(out[1].u.i, rows[i][1]);
			}
		}
	}
	ctx_close(&c);

	/* on the cycle's nullable edge: staff 1 needs dept 1, whose head 4 is
	 * no longer pulled in (and would be NULL) */
	ctx_open(&c, "\"staff\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id = 1\"}},"
		     "\"dept\": {\"mode\": \"SUBSET\", \"null_if_unselected\": [\"head_id\"]}", 1);
	assert_int_equal(cnt(&c, "staff"), 1);
	assert_int_equal(cnt(&c, "dept"), 1);
	ASSERT_IDS(&c, "dept", "1");
	k = (size_t)plan_index(&c, "dept");
	dp_value_set_int(&in[0], 1);
	dp_value_set_int(&in[1], 4);
	dp_value_set_null(&in[2]);
	memcpy(out, in, sizeof(in));
	dp_subset_null_unselected(c.sub, k, in, out);
	assert_int_equal(out[1].kind, DP_V_NULL);
	ctx_close(&c);
}

/* Three more corners of the closure:
 *  - a SUBSET table no rule and no selected row reaches keeps nothing ("rows
 *    reached by the closure only"), and so do the tables filtered through it;
 *  - null_if_unselected on a non-SUBSET table's only link: every row stays
 *    (nothing to wait for), the references to unkept rows become NULL;
 *  - a SUBSET grandchild under a non-SUBSET filtered table: max_per_parent
 *    counts per order (the first item of each of the 6 orders). */
static void test_closure_corners(void **st)
{
	ctx c;
	dp_value in[3], out[3];
	size_t k;
	(void)st;
	ctx_open(&c, "\"products\": {\"mode\": \"SUBSET\"}", 1);
	assert_int_equal(cnt(&c, "products"), 0);
	assert_int_equal(cnt(&c, "items"), 0);
	assert_int_equal(cnt(&c, "orders"), -1);
	ctx_close(&c);

	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"notes\": {\"null_if_unselected\": [\"customer_id\"]}", 1);
	assert_int_equal(cnt(&c, "customers"), 2);
	assert_int_equal(cnt(&c, "notes"), 12);
	k = (size_t)plan_index(&c, "notes");
	for (int id = 1; id <= 10; id++) {
		dp_value_set_int(&in[0], id);
		dp_value_set_int(&in[1], id);
		dp_value_set_null(&in[2]);
		memcpy(out, in, sizeof(in));
		dp_subset_null_unselected(c.sub, k, in, out);
		assert_int_equal(out[1].kind, id <= 2 ? DP_V_INT : DP_V_NULL);
	}
	ctx_close(&c);

	ctx_open(&c, "\"customers\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"id <= 2\"}},"
		     "\"items\": {\"mode\": \"SUBSET\", \"subset\": {\"max_per_parent\": 1}}", 1);
	assert_int_equal(cnt(&c, "orders"), 6);
	assert_int_equal(cnt(&c, "items"), 6);
	ASSERT_IDS(&c, "items", "1,3,21,23,41,43");
	ctx_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_where_target),
		cmocka_unit_test(test_child_target),
		cmocka_unit_test(test_non_subset_chain),
		cmocka_unit_test(test_max_per_parent),
		cmocka_unit_test(test_include_when),
		cmocka_unit_test(test_include_children_none),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_streamed_matches_closure),
		cmocka_unit_test(test_limit_order_by),
		cmocka_unit_test(test_self_reference),
		cmocka_unit_test(test_fk_cycle),
		cmocka_unit_test(test_null_if_unselected),
		cmocka_unit_test(test_closure_corners),
	};
	return cmocka_run_group_tests(tests, make_db, drop_db);
}
