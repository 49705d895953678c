/* tests/unit/test_graph.c - schema graph: load order, self-references,
 * cycles under immediate and deferred FK enforcement, composite FKs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/plan/graph.h"

/* Columns are "!name" (NOT NULL) or "?name" (nullable); the first is the PK. */
static void add_table(dp_schema *s, const char *name, const char *const *cols)
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
}

static void add_fk(dp_schema *s, const char *t, const char *col, const char *parent,
		   const char *ref)
{
	const char *c[1] = { col }, *r[1] = { ref };
	dp_table *tt = dp_schema_table(s, t);
	assert_non_null(tt);
	assert_int_equal(dp_table_add_fk(tt, NULL, parent, 1, c, r, NULL), 0);
}

static size_t tix(const dp_schema *s, const char *name)
{
	dp_table *t = dp_schema_table(s, name);
	assert_non_null(t);
	return (size_t)(t - s->tables);
}

static long pos(const dp_graph *g, const dp_schema *s, const char *name)
{
	size_t ti = tix(s, name);
	for (size_t i = 0; i < g->norder; i++)
		if (g->order[i] == ti)
			return (long)i;
	return -1;
}

/* The edge child.col -> parent (first FK column). */
static const dp_edge *edge(const dp_graph *g, const dp_schema *s, const char *child,
			   const char *col)
{
	size_t ci = tix(s, child);
	for (size_t e = 0; e < g->nedges; e++)
		if (g->edges[e].child == ci && !strcmp(g->edges[e].fk->cols[0], col))
			return &g->edges[e];
	fail_msg("no edge %s.%s", child, col);
	return NULL;
}

/* Every edge not broken and not inside a cycle goes parent-before-child. */
static void check_order_respects_edges(const dp_graph *g)
{
	size_t *p = calloc(g->ntables + 1, sizeof(size_t));
	assert_non_null(p);
	for (size_t k = 0; k < g->norder; k++)
		p[g->order[k]] = k;
	for (size_t e = 0; e < g->nedges; e++) {
		const dp_edge *ed = &g->edges[e];
		if (ed->broken || ed->child == ed->parent || (!g->immediate && ed->in_cycle))
			continue;
		assert_true(p[ed->parent] < p[ed->child]);
	}
	free(p);
}

static dp_schema *new_schema(void)
{
	dp_schema *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	return s;
}

/* Build and expect success with no recorded error. */
static dp_graph *build_ok(const dp_schema *s, const unsigned char *inc, int immediate)
{
	dp_graph *g = NULL;
	dp_errbuf eb;
	dp_errbuf_clear(&eb);
	if (dp_graph_build(s, inc, immediate, &g, &eb) != 0)
		fail_msg("dp_graph_build failed: %s", eb.msg);
	assert_non_null(g);
	assert_int_equal(eb.code, 0);
	assert_int_equal(g->immediate, immediate);
	return g;
}

static void test_parents_before_children(void **st)
{
	dp_schema *s = new_schema();
	const char *items[] = { "!id", "!order_id", "!product_id", NULL },
		   *orders[] = { "!id", "!customer_id", NULL },
		   *plain[] = { "!id", NULL };
	dp_graph *g = NULL;

	(void)st;
	add_table(s, "order_items", items);   /* children declared first */
	add_table(s, "orders", orders);
	add_table(s, "products", plain);
	add_table(s, "customers", plain);
	add_fk(s, "order_items", "order_id", "orders", "id");
	add_fk(s, "order_items", "product_id", "products", "id");
	add_fk(s, "orders", "customer_id", "customers", "id");
	g = build_ok(s, NULL, 1);
	assert_true(g->norder == 4 && g->nedges == 3 && g->ncycles == 0);
	assert_true(pos(g, s, "customers") < pos(g, s, "orders"));
	assert_true(pos(g, s, "orders") < pos(g, s, "order_items"));
	assert_true(pos(g, s, "products") < pos(g, s, "order_items"));
	for (size_t e = 0; e < g->nedges; e++)
		assert_false(g->edges[e].in_cycle || g->edges[e].broken);
	check_order_respects_edges(g);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_self_reference(void **st)
{
	dp_schema *s = new_schema();
	const char *emp[] = { "!EmployeeId", "?ReportsTo", NULL };
	dp_graph *g = NULL;
	dp_buf b = DP_BUF_INIT;

	(void)st;
	for (int imm = 0; imm <= 1; imm++) {
		dp_schema_free(s);
		s = new_schema();
		add_table(s, "Employee", emp);
		add_fk(s, "Employee", "ReportsTo", "Employee", "EmployeeId");
		g = build_ok(s, NULL, imm);
		assert_true(g->norder == 1 && g->ncycles == 1 && g->nedges == 1);
		assert_int_equal(g->cycle_of[0], 1);
		assert_true(g->edges[0].in_cycle && g->edges[0].nullable);
		assert_int_equal(g->edges[0].broken, imm);  /* broken only when immediate */
		dp_buf_reset(&b);
		assert_int_equal(dp_graph_describe_cycle(g, s, 1, &b), 0);
		assert_non_null(strstr(dp_buf_str(&b), "Employee"));
		assert_non_null(strstr(dp_buf_str(&b), "ReportsTo"));
		dp_graph_free(g);
	}
	dp_buf_free(&b);
	dp_schema_free(s);
}

static void test_nullable_cycle_broken_immediate(void **st)
{
	/* store.manager_staff_id (nullable) -> staff, staff.store_id (NOT NULL) -> store */
	dp_schema *s = new_schema();
	const char *store[] = { "!id", "?manager_staff_id", NULL },
		   *staff[] = { "!id", "!store_id", NULL };
	dp_graph *g = NULL;
	dp_buf b = DP_BUF_INIT;

	(void)st;
	add_table(s, "staff", staff);
	add_table(s, "store", store);
	add_fk(s, "store", "manager_staff_id", "staff", "id");
	add_fk(s, "staff", "store_id", "store", "id");
	g = build_ok(s, NULL, 1);
	assert_true(g->norder == 2 && g->ncycles == 1);
	assert_true(g->cycle_of[tix(s, "store")] == 1 && g->cycle_of[tix(s, "staff")] == 1);
	/* store must come first: staff's NOT NULL FK needs it */
	assert_true(pos(g, s, "store") < pos(g, s, "staff"));
	const dp_edge *nul = edge(g, s, "store", "manager_staff_id");
	const dp_edge *nn = edge(g, s, "staff", "store_id");
	assert_true(nul->in_cycle && nul->nullable && nul->broken);
	assert_true(nn->in_cycle && !nn->nullable && !nn->broken);
	check_order_respects_edges(g);
	assert_int_equal(dp_graph_describe_cycle(g, s, 1, &b), 0);
	assert_non_null(strstr(dp_buf_str(&b), "store"));
	assert_non_null(strstr(dp_buf_str(&b), "staff"));
	dp_buf_free(&b);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_not_null_cycle_is_error(void **st)
{
	dp_schema *s = new_schema();
	const char *a[] = { "!id", "!b_id", NULL }, *b[] = { "!id", "!a_id", NULL },
		   *c[] = { "!id", NULL };
	dp_graph *g = (dp_graph *)&g;   /* must be reset to NULL */
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	add_table(s, "clients", c);
	add_table(s, "alpha", a);
	add_table(s, "beta", b);
	add_fk(s, "alpha", "b_id", "beta", "id");
	add_fk(s, "beta", "a_id", "alpha", "id");
	assert_int_equal(dp_graph_build(s, NULL, 1, &g, &eb), DP_ERR_CYCLE);
	assert_null(g);
	assert_int_equal(eb.code, DP_ERR_CYCLE);
	assert_non_null(strstr(eb.msg, "alpha"));
	assert_non_null(strstr(eb.msg, "beta"));
	assert_null(strstr(eb.msg, "clients"));

	/* deferred: the same schema loads, both tables in one cycle, nothing broken */
	g = build_ok(s, NULL, 0);
	assert_true(g->norder == 3 && g->ncycles == 1);
	assert_int_equal(g->cycle_of[tix(s, "alpha")], g->cycle_of[tix(s, "beta")]);
	assert_int_equal(g->cycle_of[tix(s, "clients")], 0);
	assert_true(pos(g, s, "alpha") >= 0 && pos(g, s, "beta") >= 0);
	for (size_t e = 0; e < g->nedges; e++)
		assert_false(g->edges[e].broken);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_deferred_three_cycle_and_self(void **st)
{
	dp_schema *s = new_schema();
	const char *x[] = { "!id", "!y_id", "!x_id", NULL }, *y[] = { "!id", "!z_id", NULL },
		   *z[] = { "!id", "!x_id", NULL }, *kid[] = { "!id", "!z_id", NULL };
	dp_graph *g = NULL;

	(void)st;
	add_table(s, "kid", kid);
	add_table(s, "x", x);
	add_table(s, "y", y);
	add_table(s, "z", z);
	add_fk(s, "x", "y_id", "y", "id");
	add_fk(s, "x", "x_id", "x", "id");
	add_fk(s, "y", "z_id", "z", "id");
	add_fk(s, "z", "x_id", "x", "id");
	add_fk(s, "kid", "z_id", "z", "id");
	g = build_ok(s, NULL, 0);
	assert_true(g->norder == 4 && g->ncycles == 1 && !g->cycle_of[tix(s, "kid")]);
	/* the child of the cycle still comes after all of it */
	assert_int_equal(pos(g, s, "kid"), 3);
	assert_false(edge(g, s, "kid", "z_id")->in_cycle);
	assert_true(edge(g, s, "x", "x_id")->in_cycle);
	check_order_respects_edges(g);
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_composite_fk(void **st)
{
	dp_schema *s = new_schema();
	const char *parent[] = { "!a", "!b", NULL },
		   *child[] = { "!id", "?pa", "!pb", NULL },
		   *child2[] = { "!id", "?qa", "?qb", NULL };
	const char *cc[2] = { "pa", "pb" }, *cc2[2] = { "qa", "qb" }, *rc[2] = { "a", "b" };
	dp_graph *g = NULL;

	(void)st;
	add_table(s, "child", child);
	add_table(s, "child2", child2);
	add_table(s, "parent", parent);
	assert_int_equal(dp_table_add_fk(dp_schema_table(s, "child"), "fk_c", "parent", 2, cc, rc,
					 NULL), 0);
	assert_int_equal(dp_table_add_fk(dp_schema_table(s, "child2"), "fk_c2", "parent", 2, cc2,
					 rc, NULL), 0);
	g = build_ok(s, NULL, 1);
	assert_int_equal(g->nedges, 2);
	assert_int_equal(pos(g, s, "parent"), 0);   /* before child and child2 */
	const dp_edge *e1 = edge(g, s, "child", "pa"), *e2 = edge(g, s, "child2", "qa");
	assert_int_equal(e1->fk->ncols, 2);
	assert_false(e1->nullable);       /* one NOT NULL column: not nullable */
	assert_true(e2->nullable);        /* every column nullable */
	assert_int_equal(e1->parent, tix(s, "parent"));
	dp_graph_free(g);
	dp_schema_free(s);
}

static void test_disconnected_and_deterministic(void **st)
{
	dp_schema *s = new_schema();
	const char *one[] = { "!id", NULL }, *ref[] = { "!id", "!p_id", NULL };
	dp_graph *g = NULL, *g2 = NULL;
	unsigned char inc[6] = { 1, 1, 1, 0, 1, 1 };

	(void)st;
	add_table(s, "t0", one);
	add_table(s, "t1", ref);
	add_table(s, "t2", one);
	add_table(s, "t3", one);
	add_table(s, "t4", one);
	add_table(s, "t5", ref);
	add_fk(s, "t1", "p_id", "t4", "id");
	add_fk(s, "t5", "p_id", "t3", "id");
	g = build_ok(s, NULL, 1);
	g2 = build_ok(s, NULL, 1);
	assert_int_equal(g->norder, 6);
	/* Kahn picks the lowest ready index: t0 t2 t3 t4 t1 t5 */
	size_t want[6] = { 0, 2, 3, 4, 1, 5 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(g->order[i], want[i]);
		assert_int_equal(g2->order[i], g->order[i]);
	}
	dp_graph_free(g);
	dp_graph_free(g2);

	/* t3 excluded: its edge disappears, the rest keeps its order */
	g = build_ok(s, inc, 1);
	assert_true(g->norder == 5 && g->nedges == 1);
	assert_int_equal(pos(g, s, "t3"), -1);
	assert_true(pos(g, s, "t4") < pos(g, s, "t1"));
	dp_graph_free(g);

	/* FK to a table missing from the schema is ignored */
	add_fk(s, "t0", "id", "nowhere", "id");
	g = build_ok(s, NULL, 1);
	assert_true(g->norder == 6 && g->nedges == 2);
	dp_graph_free(g);
	dp_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parents_before_children),
		cmocka_unit_test(test_self_reference),
		cmocka_unit_test(test_nullable_cycle_broken_immediate),
		cmocka_unit_test(test_not_null_cycle_is_error),
		cmocka_unit_test(test_deferred_three_cycle_and_self),
		cmocka_unit_test(test_composite_fk),
		cmocka_unit_test(test_disconnected_and_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
