/* tests/unit/test_core.c - schema graph (load order, cycles), key maps,
 * keyed permutations, bounded channels. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "engine/plan/graph.h"
#include "engine/gen/keys.h"
#include "engine/load/chan.h"
#include "engine/gen/generators.h"
#include "base/dp_log.h"

/* columns are "!name" (NOT NULL) or "?name" (nullable); the first is the PK */
static dp_table *add(dp_schema *s, const char *name, const char *const *cols)
{
	dp_table *t;
	assert_int_equal(dp_schema_add_table(s, name, &t), 0);
	for (size_t i = 0; cols[i]; i++) {
		dp_column *c;
		assert_int_equal(dp_table_add_column(t, cols[i] + 1, "INTEGER", &c), 0);
		c->notnull = cols[i][0] == '!';
		c->pk_pos = i == 0;
	}
	assert_int_equal(dp_table_finish_pk(t), 0);
	return t;
}

static void fk(dp_schema *s, const char *t, const char *col, const char *parent)
{
	const char *c[1] = { col }, *r[1] = { "id" };
	assert_int_equal(dp_table_add_fk(dp_schema_table(s, t), NULL, parent, 1, c, r, NULL), 0);
}

static long pos(const dp_graph *g, const dp_schema *s, const char *name)
{
	size_t ti = (size_t)(dp_schema_table(s, name) - s->tables);
	for (size_t i = 0; i < g->norder; i++)
		if (g->order[i] == ti)
			return (long)i;
	return -1;
}

static void test_order_parents_first(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *a[] = { "!id", "!customer_id", NULL }, *b[] = { "!id", NULL },
		   *c[] = { "!id", "!order_id", "?item_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "orders", a);
	add(s, "customers", b);
	add(s, "order_items", c);
	fk(s, "orders", "customer_id", "customers");
	fk(s, "order_items", "order_id", "orders");
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), 0);
	assert_int_equal(g->norder, 3);
	assert_true(pos(g, s, "customers") < pos(g, s, "orders"));
	assert_true(pos(g, s, "orders") < pos(g, s, "order_items"));
	assert_int_equal(g->ncycles, 0);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_self_reference(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *e[] = { "!id", "?manager_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "employees", e);
	fk(s, "employees", "manager_id", "employees");
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), 0);
	assert_int_equal(g->norder, 1);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_nullable_cycle_broken_when_immediate(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *store[] = { "!id", "?manager_id", NULL }, *staff[] = { "!id", "!store_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;
	int broken = 0;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "store", store);
	add(s, "staff", staff);
	fk(s, "store", "manager_id", "staff");
	fk(s, "staff", "store_id", "store");
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), 0);
	assert_int_equal(g->norder, 2);
	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].broken) {
			broken++;
			/* the nullable edge is the one loaded NULL then updated */
			assert_true(g->edges[i].nullable);
			assert_string_equal(s->tables[g->edges[i].child].name, "store");
		}
	assert_int_equal(broken, 1);
	assert_true(pos(g, s, "store") < pos(g, s, "staff"));
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_not_null_cycle_is_error(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *a[] = { "!id", "!b_id", NULL }, *b[] = { "!id", "!a_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "alpha", a);
	add(s, "beta", b);
	fk(s, "alpha", "b_id", "beta");
	fk(s, "beta", "a_id", "alpha");
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), DP_ERR_CYCLE);
	assert_non_null(strstr(eb.msg, "alpha"));
	assert_non_null(strstr(eb.msg, "beta"));
	/* deferred checks: the same schema loads */
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_graph_build(s, NULL, 0, &g, &eb), 0);
	assert_int_equal(g->norder, 2);
	assert_int_equal(g->ncycles, 1);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_not_null_self_reference(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *e[] = { "!id", "!boss_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "staff", e);
	fk(s, "staff", "boss_id", "staff");
	/* FKs enforced row by row: refused, naming the column */
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), DP_ERR_CYCLE);
	assert_non_null(strstr(eb.msg, "staff.boss_id -> staff"));
	assert_null(g);
	/* checked after the load: fine */
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_graph_build(s, NULL, 0, &g, &eb), 0);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_missing_parent_named(void **st)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *a[] = { "!id", "?x_id", NULL };
	dp_graph *g = NULL;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add(s, "orphan", a);
	fk(s, "orphan", "x_id", "ghost");
	/* SQLite lets a FK name a table that does not exist: it is ignored
	 * (with a warning naming it), the table still loads */
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), 0);
	assert_int_equal(g->norder, 1);
	assert_int_equal(g->nedges, 0);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_keymap(void **st)
{
	dp_keymap *m = dp_keymap_new(4);
	int64_t v;

	(void)st;
	assert_non_null(m);
	for (int64_t i = 0; i < 100000; i++)
		assert_int_equal(dp_keymap_put(m, i * 7 - 50000, i + 1), 0);
	assert_int_equal(dp_keymap_count(m), 100000);
	for (int64_t i = 0; i < 100000; i += 997) {
		assert_true(dp_keymap_get(m, i * 7 - 50000, &v));
		assert_int_equal(v, i + 1);
	}
	assert_false(dp_keymap_get(m, 3, &v));
	dp_keymap_free(m);
}

static void test_perm_bijection(void **st)
{
	static const uint64_t sizes[] = { 1, 2, 7, 1000, 65537 };
	dp_job_key k1, k2;

	(void)st;
	dp_job_key_from_seed(1, &k1);
	dp_job_key_from_seed(2, &k2);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t n = sizes[s];
		unsigned char *seen = calloc(n, 1);
		dp_perm p, q;
		size_t same = 0;
		dp_perm_init(&p, &k1, "t.id", n);
		dp_perm_init(&q, &k2, "t.id", n);
		for (uint64_t x = 0; x < n; x++) {
			uint64_t y = dp_perm_apply(&p, x);
			assert_true(y < n);
			assert_false(seen[y]);
			seen[y] = 1;
			assert_int_equal(y, dp_perm_apply(&p, x));      /* deterministic */
			same += y == dp_perm_apply(&q, x);
		}
		if (n >= 1000)
			assert_true(same < n / 10);                      /* key matters */
		free(seen);
	}
	assert_true(dp_perm_decimal_domain(999) >= 1000);
}

typedef struct prod { dp_chan *c; int n; } prod;

static void *producer(void *arg)
{
	prod *p = arg;
	for (int i = 0; i < p->n; i++)
		dp_chan_push(p->c, dp_batch_new(1, 1));
	dp_chan_push(p->c, NULL);
	return NULL;
}

static void test_chan(void **st)
{
	dp_chan c;
	pthread_t th;
	prod p;
	int got = 0;
	dp_batch *b;

	(void)st;
	assert_int_equal(dp_chan_init(&c, 2), 0);
	p.c = &c;
	p.n = 1000;
	assert_int_equal(pthread_create(&th, NULL, producer, &p), 0);
	while (dp_chan_pop(&c, &b) == 0 && b) {
		got++;
		dp_batch_free(b);
	}
	pthread_join(th, NULL);
	assert_int_equal(got, 1000);
	dp_chan_close(&c);
	assert_int_not_equal(dp_chan_pop(&c, &b), 0);
	dp_chan_destroy(&c);
}

/* per-job log contexts: each thread logs for the job it is bound to, a
 * thread started with dp_thread_create inherits it, sinks see only their
 * job's lines */
typedef struct sinkbuf {
	pthread_mutex_t mu;
	char text[4096];
} sinkbuf;

static void to_sink(void *arg, dp_log_level lvl, const char *msg)
{
	sinkbuf *b = arg;
	(void)lvl;
	pthread_mutex_lock(&b->mu);
	strncat(b->text, msg, sizeof(b->text) - strlen(b->text) - 2);
	strcat(b->text, "|");
	pthread_mutex_unlock(&b->mu);
}

static void *child_logs(void *arg)
{
	dp_log_info("child of %s", (const char *)arg);
	return NULL;
}

static void *job_thread(void *arg)
{
	dp_log_ctx *ctx = arg;
	pthread_t th;
	dp_log_bind(ctx);
	dp_log_info("line of %s", ctx->job);
	assert_int_equal(dp_thread_create(&th, child_logs, ctx->job), 0);
	pthread_join(th, NULL);
	dp_log_bind(NULL);
	return NULL;
}

static void test_log_contexts(void **state)
{
	sinkbuf a = { PTHREAD_MUTEX_INITIALIZER, "" }, b = { PTHREAD_MUTEX_INITIALIZER, "" };
	dp_log_ctx ca = { "job-a", to_sink, &a }, cb = { "job-b", to_sink, &b };
	pthread_t ta, tb;
	(void)state;
	assert_int_equal(pthread_create(&ta, NULL, job_thread, &ca), 0);
	assert_int_equal(pthread_create(&tb, NULL, job_thread, &cb), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	dp_log_info("a line of no job");
	assert_string_equal(a.text, "line of job-a|child of job-a|");
	assert_string_equal(b.text, "line of job-b|child of job-b|");
	assert_null(dp_log_bound());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_parents_first),
		cmocka_unit_test(test_self_reference),
		cmocka_unit_test(test_nullable_cycle_broken_when_immediate),
		cmocka_unit_test(test_not_null_cycle_is_error),
		cmocka_unit_test(test_not_null_self_reference),
		cmocka_unit_test(test_missing_parent_named),
		cmocka_unit_test(test_keymap),
		cmocka_unit_test(test_perm_bijection),
		cmocka_unit_test(test_chan),
		cmocka_unit_test(test_log_contexts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
