/* tests/unit/test_sqlite.c - the SQLite driver against Chinook (real data):
 * introspection, streaming reads, read-only source, staged atomic target.
 * The checks every driver must pass (SQLite included) are in
 * test_conformance.c; this file keeps what is particular to SQLite files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "connectors/connector.h"

static const dp_connector *D = &dp_sqlite_connector;
static char chinook[1024];

static dp_conn *open_role(const char *path, dp_role role)
{
	dp_conn_cfg cfg;
	dp_conn *c = NULL;
	dp_errbuf eb;

	memset(&cfg, 0, sizeof(cfg));
	cfg.connector_type = (char *)"sqlite";
	cfg.database = (char *)path;
	dp_errbuf_clear(&eb);
	if (D->open(&cfg, role, &c, &eb))
		fail_msg("open %s: %s", path, eb.msg);
	dp_stage_opts so = { .job = "test" };
	if (role == DP_ROLE_TARGET && D->stage_begin(c, &so, &eb))
		fail_msg("stage %s: %s", path, eb.msg);
	return c;
}

static void test_introspect(void **st)
{
	dp_conn *c = open_role(chinook, DP_ROLE_SOURCE);
	dp_schema *s = NULL;
	dp_errbuf eb;
	dp_table *t;

	(void)st;
	dp_errbuf_clear(&eb);
	assert_int_equal(D->introspect(c, &s, &eb), 0);
	assert_int_equal(s->ntables, 11);
	t = dp_schema_table(s, "Track");
	assert_non_null(t);
	assert_int_equal(t->row_estimate, 3503);
	assert_int_equal(t->npk, 1);
	assert_true(t->cols[t->pk[0]].is_identity);
	assert_int_equal(t->cols[dp_table_col_index(t, "Name")].tclass, DP_T_TEXT);
	assert_int_equal(t->cols[dp_table_col_index(t, "Name")].length, 200);
	assert_int_equal(t->cols[dp_table_col_index(t, "UnitPrice")].tclass, DP_T_NUMERIC);
	t = dp_schema_table(s, "PlaylistTrack");
	assert_int_equal(t->npk, 2);
	assert_int_equal(t->nfks, 2);
	t = dp_schema_table(s, "Employee");
	assert_int_equal(t->nfks, 1);
	assert_string_equal(t->fks[0].ref_table, "Employee");          /* self-reference */
	assert_string_equal(t->fks[0].cols[0], "ReportsTo");
	assert_string_equal(t->fks[0].ref_cols[0], "EmployeeId");
	assert_true(t->nidx >= 1);
	dp_schema_free(s);
	D->close(c);
}

static void test_stream_in_batches(void **st)
{
	dp_conn *c = open_role(chinook, DP_ROLE_SOURCE);
	dp_schema *s = NULL;
	dp_errbuf eb;
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(0, 500);
	int64_t rows = 0, last = 0, batches = 0;
	int eof = 0;

	(void)st;
	dp_errbuf_clear(&eb);
	assert_int_equal(D->introspect(c, &s, &eb), 0);
	memset(&spec, 0, sizeof(spec));
	spec.table = dp_schema_table(s, "Track");
	spec.limit = -1;
	dp_batch_free(b);
	b = dp_batch_new(spec.table->ncols, 500);
	assert_int_equal(D->read_open(c, &spec, &r, &eb), 0);
	while (!eof) {
		dp_batch_reset(b);
		assert_int_equal(D->read_next(r, b, &eof, &eb), 0);
		assert_true(dp_batch_nrows(b) <= 500);
		for (size_t i = 0; i < dp_batch_nrows(b); i++) {
			const dp_value *v = dp_batch_row_c(b, i);
			assert_int_equal(v[0].kind, DP_V_INT);
			assert_true(v[0].u.i > last);          /* key order */
			last = v[0].u.i;
		}
		rows += (int64_t)dp_batch_nrows(b);
		batches++;
	}
	assert_int_equal(rows, 3503);
	assert_true(batches >= 8);
	D->read_close(r);
	dp_batch_free(b);
	dp_schema_free(s);
	D->close(c);
}

static void test_source_is_read_only(void **st)
{
	dp_conn *c = open_role(chinook, DP_ROLE_SOURCE);
	dp_schema *s = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	assert_int_equal(D->introspect(c, &s, &eb), 0);
	/* even the write entries refuse on a source session */
	assert_int_not_equal(D->truncate(c, dp_schema_table(s, "Genre"), &eb), 0);
	dp_schema_free(s);
	D->close(c);
}

static void test_missing_source_named_not_created(void **st)
{
	dp_conn_cfg cfg;
	dp_conn *c = NULL;
	dp_errbuf eb;

	(void)st;
	memset(&cfg, 0, sizeof(cfg));
	cfg.connector_type = (char *)"sqlite";
	cfg.database = (char *)"/tmp/doppel-no-such.db";
	dp_errbuf_clear(&eb);
	assert_int_equal(D->open(&cfg, DP_ROLE_SOURCE, &c, &eb), DP_ERR_CONNECT);
	assert_non_null(strstr(eb.msg, "/tmp/doppel-no-such.db"));
	assert_int_not_equal(access("/tmp/doppel-no-such.db", F_OK), 0);
}

static void copy_genre(const char *target, int commit, int plant_orphan)
{
	dp_conn *src = open_role(chinook, DP_ROLE_SOURCE), *tgt = open_role(target, DP_ROLE_TARGET);
	dp_schema *s = NULL;
	dp_errbuf eb;
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_writer *w = NULL;
	dp_batch *b;
	int eof = 0;
	int64_t n = -1;
	dp_table *t, *tr;

	dp_errbuf_clear(&eb);
	assert_int_equal(D->introspect(src, &s, &eb), 0);
	t = dp_schema_table(s, "Genre");
	tr = dp_schema_table(s, "Track");
	assert_int_equal(D->set_fk_enforcement(tgt, 0, &eb), 0);
	assert_int_equal(D->create(tgt, t, DP_DDL_TABLE, "sqlite", &eb), 0);
	assert_int_equal(D->create(tgt, tr, DP_DDL_TABLE, "sqlite", &eb), 0);
	memset(&spec, 0, sizeof(spec));
	spec.table = t;
	spec.limit = -1;
	b = dp_batch_new(t->ncols, 10);
	assert_int_equal(D->read_open(src, &spec, &r, &eb), 0);
	assert_int_equal(D->write_open(tgt, t, 1, &w, &eb), 0);
	while (!eof) {
		dp_batch_reset(b);
		assert_int_equal(D->read_next(r, b, &eof, &eb), 0);
		assert_int_equal(D->write_batch(w, b, &eb), 0);
	}
	assert_int_equal(D->write_close(w, 1, &eb), 0);
	D->read_close(r);
	dp_batch_free(b);
	assert_int_equal(D->count_rows(tgt, t, &n, &eb), 0);
	assert_int_equal(n, 25);
	if (plant_orphan) {
		dp_value *v;
		b = dp_batch_new(tr->ncols, 1);
		v = dp_batch_add_row(b);
		for (size_t i = 0; i < tr->ncols; i++)
			dp_value_set_int(&v[i], 1);
		dp_value_set_int(&v[dp_table_col_index(tr, "GenreId")], 999);   /* no such genre */
		assert_int_equal(dp_batch_set_text(b, &v[dp_table_col_index(tr, "Name")], "x", 1), 0);
		assert_int_equal(D->write_open(tgt, tr, 1, &w, &eb), 0);
		assert_int_equal(D->write_batch(w, b, &eb), 0);
		assert_int_equal(D->write_close(w, 1, &eb), 0);
		dp_batch_free(b);
		dp_buf detail = DP_BUF_INIT;
		assert_int_equal(D->fk_violations(tgt, &n, &detail, &eb), 0);
		assert_true(n >= 1);
		assert_non_null(strstr(dp_buf_str(&detail), "Track"));
		dp_buf_free(&detail);
	}
	assert_int_equal(D->finish(tgt, commit, &eb), 0);
	D->close(tgt);
	dp_schema_free(s);
	D->close(src);
}

static void test_atomic_target(void **st)
{
	char path[] = "/tmp/doppel-ut-XXXXXX", db[256], part[300];
	struct stat sb;

	(void)st;
	assert_non_null(mkdtemp(path));
	snprintf(db, sizeof(db), "%s/t.db", path);
	snprintf(part, sizeof(part), "%s.doppel-partial", db);
	copy_genre(db, 0, 0);                                   /* rolled back */
	assert_int_not_equal(access(db, F_OK), 0);
	assert_int_not_equal(access(part, F_OK), 0);
	copy_genre(db, 1, 1);                                   /* committed */
	assert_int_equal(stat(db, &sb), 0);
	assert_int_not_equal(access(part, F_OK), 0);
	unlink(db);
	rmdir(path);
}

static void test_failing_row_is_named(void **st)
{
	char path[] = "/tmp/doppel-ut-XXXXXX", db[256];
	dp_conn *src = open_role(chinook, DP_ROLE_SOURCE), *tgt;
	dp_schema *s = NULL;
	dp_errbuf eb;
	dp_writer *w = NULL;
	dp_batch *b;
	dp_table *t;

	(void)st;
	assert_non_null(mkdtemp(path));
	snprintf(db, sizeof(db), "%s/t.db", path);
	tgt = open_role(db, DP_ROLE_TARGET);
	dp_errbuf_clear(&eb);
	assert_int_equal(D->introspect(src, &s, &eb), 0);
	t = dp_schema_table(s, "MediaType");
	assert_int_equal(D->create(tgt, t, DP_DDL_TABLE, "sqlite", &eb), 0);
	b = dp_batch_new(t->ncols, 600);
	for (int i = 1; i <= 600; i++) {
		dp_value *v = dp_batch_add_row(b);
		dp_value_set_int(&v[0], i == 417 ? 3 : i);     /* duplicate key at row 417 */
		dp_value_set_null(&v[1]);
	}
	assert_int_equal(D->write_open(tgt, t, 1, &w, &eb), 0);
	assert_int_equal(D->write_batch(w, b, &eb), DP_ERR_SQL);
	assert_non_null(strstr(eb.msg, "MediaType"));
	assert_non_null(strstr(eb.msg, "MediaTypeId=3"));
	D->write_close(w, 0, &eb);
	dp_batch_free(b);
	D->close(tgt);                                         /* never finished: discarded */
	assert_int_not_equal(access(db, F_OK), 0);
	rmdir(path);
	dp_schema_free(s);
	D->close(src);
}

int main(void)
{
	const char *data = getenv("DOPPEL_DATA");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_introspect),
		cmocka_unit_test(test_stream_in_batches),
		cmocka_unit_test(test_source_is_read_only),
		cmocka_unit_test(test_missing_source_named_not_created),
		cmocka_unit_test(test_atomic_target),
		cmocka_unit_test(test_failing_row_is_named),
	};
	snprintf(chinook, sizeof(chinook), "%s/chinook/Chinook_Sqlite.sqlite",
		 data ? data : "tests/data");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
