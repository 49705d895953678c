/* tests/unit/test_plan.c - the plan's decisions on in-memory schemas (no
 * database): table modes from the engine file and from every
 * initialization_mode preset, column actions, key domains and the FKs that
 * follow them, load order with a cycle (deferred FK), the SUBSET closure,
 * SYNTHESIZE roles; and the plan as JSON (engine/plan/plan_json.h): the
 * round trip and every kind of refusal, each naming its JSON path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cJSON.h>
#include "engine/plan/plan.h"
#include "engine/plan/plan_json.h"
#include "settings/engine_file.h"

#define SRC "\"source\": {\"connector_type\": \"sqlite\", \"database\": \"/tmp/s.db\"}, " \
	    "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"/tmp/t.db\"}"

/* ---- schemas ---------------------------------------------------------- */

static dp_table *table(dp_schema *s, const char *name, int64_t rows)
{
	dp_table *t;
	assert_int_equal(dp_schema_add_table(s, name, &t), 0);
	t->row_estimate = rows;
	return t;
}

/* flags: "!" NOT NULL, "k" primary key (1-based in order of appearance) */
static dp_column *col(dp_table *t, const char *name, const char *decl, const char *flags)
{
	dp_column *c;
	int pk = 0;
	assert_int_equal(dp_table_add_column(t, name, decl, &c), 0);
	c->notnull = strchr(flags, '!') != NULL;
	if (strchr(flags, 'k')) {
		for (size_t i = 0; i < t->ncols; i++)
			pk += t->cols[i].pk_pos > 0;
		c = &t->cols[t->ncols - 1];
		c->pk_pos = pk + 1;
		c->notnull = 1;
	}
	return c;
}

static void fk(dp_schema *s, const char *t, const char *c, const char *parent)
{
	const char *cols[1] = { c }, *refs[1] = { "id" };
	assert_int_equal(dp_table_add_fk(dp_schema_table(s, t), NULL, parent, 1, cols, refs, NULL), 0);
}

static void finish(dp_schema *s)
{
	for (size_t k = 0; k < s->ntables; k++)
		assert_int_equal(dp_table_finish_pk(&s->tables[k]), 0);
}

/* customers <- orders <- order_items (two FKs to orders, one nullable);
 * stores <-> staff (a cycle: stores.manager_id nullable). */
static dp_schema *shop(void)
{
	dp_schema *s = calloc(1, sizeof(*s));
	dp_table *t;
	dp_column *c;

	assert_non_null(s);
	t = table(s, "customers", 100);
	col(t, "id", "INTEGER", "k");
	col(t, "email", "VARCHAR(120)", "!");
	col(t, "first_name", "VARCHAR(40)", "");
	col(t, "notes", "TEXT", "");
	col(t, "score", "INTEGER", "");
	t = table(s, "orders", 300);
	col(t, "id", "INTEGER", "k");
	col(t, "customer_id", "INTEGER", "!");
	col(t, "status", "VARCHAR(10)", "!");
	col(t, "total", "REAL", "");
	c = col(t, "total_x2", "REAL", "");
	c->generated = strdup("total * 2");
	assert_non_null(c->generated);
	t->create_sql = strdup("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT "
			       "NULL, status VARCHAR(10) NOT NULL CHECK (status IN ('new', 'paid')), "
			       "total REAL, total_x2 REAL GENERATED ALWAYS AS (total * 2))");
	assert_non_null(t->create_sql);
	t = table(s, "order_items", 900);
	col(t, "id", "INTEGER", "k");
	col(t, "order_id", "INTEGER", "!");
	col(t, "gift_order_id", "INTEGER", "");
	col(t, "qty", "INTEGER", "");
	t = table(s, "stores", 5);
	col(t, "id", "INTEGER", "k");
	col(t, "manager_id", "INTEGER", "");
	t = table(s, "staff", 20);
	col(t, "id", "INTEGER", "k");
	col(t, "store_id", "INTEGER", "!");
	finish(s);
	fk(s, "orders", "customer_id", "customers");
	fk(s, "order_items", "order_id", "orders");
	fk(s, "order_items", "gift_order_id", "orders");
	fk(s, "stores", "manager_id", "staff");
	fk(s, "staff", "store_id", "stores");
	return s;
}

/* parent <- child (child rows per parent row): for the presets and
 * SYNTHESIZE. */
static dp_schema *family(void)
{
	dp_schema *s = calloc(1, sizeof(*s));
	dp_table *t;

	assert_non_null(s);
	t = table(s, "parent", 10);
	col(t, "id", "INTEGER", "k");
	col(t, "category", "VARCHAR(20)", "");
	col(t, "size", "INTEGER", "");
	t = table(s, "child", 30);
	col(t, "id", "INTEGER", "k");
	col(t, "parent_id", "INTEGER", "!");
	col(t, "amount", "REAL", "");
	col(t, "made", "DATE", "");
	finish(s);
	fk(s, "child", "parent_id", "parent");
	return s;
}

/* ---- plans ------------------------------------------------------------ */

static dp_job_cfg *cfg_of(const char *body)
{
	char json[4096];
	dp_job_cfg *j = NULL;
	dp_errbuf eb;

	snprintf(json, sizeof(json), "{" SRC "%s%s}", *body ? ", " : "", body);
	dp_errbuf_clear(&eb);
	if (dp_engine_parse(json, strlen(json), "/base", &j, &eb) != 0)
		fail_msg("engine file refused: %s", eb.msg);
	return j;
}

static dp_plan *plan_ok(const dp_job_cfg *cfg, dp_schema *s)
{
	dp_plan *p = NULL;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	if (dp_plan_build(cfg, s, 0, 42, NULL, &p, &eb) != 0)
		fail_msg("dp_plan_build failed: %s", eb.msg);
	return p;
}

static const dp_plan_table *pt_of(const dp_plan *p, const char *name)
{
	for (size_t k = 0; k < p->ntables; k++)
		if (!strcmp(p->tables[k].t->name, name))
			return &p->tables[k];
	fail_msg("no table %s in the plan", name);
	return NULL;
}

static long pos_of(const dp_plan *p, const char *name)
{
	return (long)(pt_of(p, name) - p->tables);
}

static const dp_plan_col *pc_of(const dp_plan *p, const char *table, const char *column)
{
	const dp_plan_table *pt = pt_of(p, table);
	long ci = dp_table_col_index(pt->t, column);
	assert_true(ci >= 0);
	return &pt->cols[ci];
}

static const char *spec_of(const dp_plan *p, const char *table, const char *column)
{
	const dp_plan_col *pc = pc_of(p, table, column);
	return pc->action == DP_COL_GEN ? dp_gen_spec(pc->gen) : "(no generator)";
}

static char *to_json(const dp_plan *p)
{
	dp_buf b = DP_BUF_INIT;
	dp_errbuf eb;
	dp_errbuf_clear(&eb);
	if (dp_plan_to_json(p, &b, &eb) != 0)
		fail_msg("dp_plan_to_json: %s", eb.msg);
	return dp_buf_steal(&b);
}

/* ---- decisions -------------------------------------------------------- */

static const char ENGINE_A[] =
	"\"seed_value\": 7, \"use_seed\": true, \"key_generation_method\": \"generate\","
	"\"tables\": {\"customers\": {\"mode\": \"DE_IDENTIFY\", \"columns\": {\"notes\": "
	"{\"generator\": \"constant\", \"value\": \"n/a\"}, \"score\": {\"generator\": \"mask:noise\","
	" \"consistent\": false}}},"
	"\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}},"
	"\"order_items\": {\"null_if_unselected\": [\"gift_order_id\"]},"
	"\"stores\": {\"mode\": \"DUPLICATE\"}}";

static void test_modes_from_engine_file(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of(ENGINE_A);
	dp_plan *p = plan_ok(cfg, s);

	(void)st;
	assert_int_equal(p->ntables, 5);
	assert_int_equal(pt_of(p, "customers")->mode, DP_MODE_DE_IDENTIFY);
	assert_string_equal(pt_of(p, "customers")->mode_why, "engine file");
	assert_int_equal(pt_of(p, "orders")->mode, DP_MODE_SUBSET);
	assert_int_equal(pt_of(p, "stores")->mode, DP_MODE_DUPLICATE);
	/* not given a mode: the preset (DE_IDENTIFY by default) */
	assert_int_equal(pt_of(p, "order_items")->mode, DP_MODE_DE_IDENTIFY);
	assert_string_equal(pt_of(p, "order_items")->mode_why, "initialization_mode DE_IDENTIFY");
	assert_int_equal(pt_of(p, "staff")->mode, DP_MODE_DE_IDENTIFY);
	/* settings: the table's own entry, else the engine's */
	assert_ptr_equal(pt_of(p, "staff")->st, &cfg->settings);
	assert_ptr_equal(pt_of(p, "orders")->st, &dp_job_cfg_table(cfg, "orders")->settings);
	assert_int_equal(p->seed, 42);
	assert_true(p->immediate_fk);   /* target caps 0: no deferred FK checks */
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

/* initialization_mode -> table mode and why, and what a plain INTEGER and
 * a DATE column that is no key, no reference and no PII get. */
static void test_modes_from_presets(void **st)
{
	static const struct {
		const char *init;
		dp_mode mode;
		const char *size, *made;    /* parent.size, child.made */
	} cases[] = {
		{ "DE_IDENTIFY", DP_MODE_DE_IDENTIFY, "(no generator)", "(no generator)" },
		{ "MOCK", DP_MODE_DE_IDENTIFY, "mock:number", "mock:date" },
		{ "MOCK_OR_MASK", DP_MODE_DE_IDENTIFY, "mask:noise", "mask:date_shift" },
		{ "FROM_SCRATCH", DP_MODE_EXCLUDE, "(no generator)", "(no generator)" },
		{ "SYNTHESIZE", DP_MODE_SYNTHESIZE, "(no generator)", "(no generator)" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[128], why[64];
		dp_schema *s = family();
		dp_job_cfg *cfg;
		dp_plan *p;
		snprintf(body, sizeof(body), "\"initialization_mode\": \"%s\"", cases[i].init);
		cfg = cfg_of(body);
		p = plan_ok(cfg, s);
		snprintf(why, sizeof(why), "initialization_mode %s", cases[i].init);
		for (size_t k = 0; k < p->ntables; k++) {
			assert_int_equal(p->tables[k].mode, cases[i].mode);
			assert_string_equal(p->tables[k].mode_why, why);
		}
		assert_string_equal(spec_of(p, "parent", "size"), cases[i].size);
		assert_string_equal(spec_of(p, "child", "made"), cases[i].made);
		/* keys and references are never mocked by a preset */
		assert_true(pc_of(p, "child", "parent_id")->action != DP_COL_GEN);
		dp_plan_free(p);
		dp_job_cfg_free(cfg);
		dp_schema_free(s);
	}
}

static void test_column_actions(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of(ENGINE_A);
	dp_plan *p = plan_ok(cfg, s);
	const dp_plan_col *pc;

	(void)st;
	/* keys regenerated (generate), FKs through their parent's mapping */
	assert_int_equal(pc_of(p, "customers", "id")->action, DP_COL_KEY);
	assert_int_equal(pc_of(p, "orders", "customer_id")->action, DP_COL_KEY);
	assert_int_equal(pc_of(p, "orders", "customer_id")->key, pc_of(p, "customers", "id")->key);
	/* PII by column name: a mock of its kind, verified not to leak */
	pc = pc_of(p, "customers", "email");
	assert_int_equal(pc->action, DP_COL_GEN);
	assert_string_equal(dp_gen_spec(pc->gen), "mock:email");
	assert_true(pc->pii);
	assert_true(pc->confidence > 0);
	assert_string_equal(spec_of(p, "customers", "first_name"), "mock:first_name");
	/* the engine file's generators */
	assert_string_equal(spec_of(p, "customers", "notes"), "constant");
	assert_string_equal(pc_of(p, "customers", "notes")->why, "engine file");
	assert_string_equal(spec_of(p, "customers", "score"), "mask:noise");
	/* nothing to hide: copied; DUPLICATE copies every non-key column */
	assert_int_equal(pc_of(p, "orders", "status")->action, DP_COL_COPY);
	assert_int_equal(pc_of(p, "orders", "total")->action, DP_COL_COPY);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

/* A generated column: the target computes it. A preset's generator on it
 * is dropped (the plan copies: the connectors leave it out of the INSERT);
 * one the engine file asks for is refused naming the column. */
static void test_generated_column(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of("\"initialization_mode\": \"MOCK\"");
	dp_plan *p = plan_ok(cfg, s);
	dp_errbuf eb;

	(void)st;
	assert_int_equal(pc_of(p, "orders", "total_x2")->action, DP_COL_COPY);
	assert_null(pc_of(p, "orders", "total_x2")->gen);
	/* its neighbour gets a mock, and the CHECK list gives a one_of */
	assert_string_equal(spec_of(p, "orders", "total"), "mock:number");
	assert_string_equal(spec_of(p, "orders", "status"), "mock:one_of");
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);

	s = shop();
	cfg = cfg_of("\"tables\": {\"orders\": {\"columns\": {\"total_x2\": {\"generator\": \"mask:noise\"}}}}");
	dp_errbuf_clear(&eb);
	p = NULL;
	assert_int_not_equal(dp_plan_build(cfg, s, 0, 1, NULL, &p, &eb), 0);
	assert_null(p);
	assert_non_null(strstr(eb.msg, "orders.total_x2"));
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

static void test_key_domains(void **st)
{
	static const struct { const char *method; dp_keygen k; size_t nkeys; } cases[] = {
		{ "duplicate", DP_KEYGEN_DUPLICATE, 0 },
		{ "generate", DP_KEYGEN_GENERATE, 5 },
		{ "hash", DP_KEYGEN_HASH, 5 },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[128];
		dp_schema *s = shop();
		dp_job_cfg *cfg;
		dp_plan *p;
		snprintf(body, sizeof(body), "\"key_generation_method\": \"%s\"", cases[i].method);
		cfg = cfg_of(body);
		p = plan_ok(cfg, s);
		assert_int_equal(p->nkeys, cases[i].nkeys);
		for (size_t k = 0; k < p->nkeys; k++) {
			const dp_table *t = &s->tables[p->keys[k].table];
			assert_int_equal(p->keys[k].method, cases[i].k);
			assert_string_equal(t->cols[p->keys[k].col].name, "id");
		}
		if (p->nkeys) {
			/* every FK column maps through its parent's domain */
			size_t orders = (size_t)(dp_schema_table(s, "orders") - s->tables);
			size_t items = (size_t)(dp_schema_table(s, "order_items") - s->tables);
			long kd = dp_plan_key_of(p, orders, 0);
			assert_true(kd >= 0);
			assert_int_equal(dp_plan_key_of(p, items, 1), kd);
			assert_int_equal(dp_plan_key_of(p, items, 2), kd);
			assert_int_equal(pc_of(p, "order_items", "gift_order_id")->key, kd);
			assert_int_equal(dp_plan_key_of(p, items, 3), -1);   /* qty */
		} else {
			assert_int_equal(pc_of(p, "orders", "id")->action, DP_COL_COPY);
		}
		dp_plan_free(p);
		dp_job_cfg_free(cfg);
		dp_schema_free(s);
	}
}

static void test_load_order_and_cycle(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of("");
	dp_plan *p = plan_ok(cfg, s);

	(void)st;
	assert_true(pos_of(p, "customers") < pos_of(p, "orders"));
	assert_true(pos_of(p, "orders") < pos_of(p, "order_items"));
	/* staff.store_id is NOT NULL: stores first; stores.manager_id is the
	 * broken edge, loaded NULL and set after the cycle */
	assert_true(pos_of(p, "stores") < pos_of(p, "staff"));
	assert_true(pc_of(p, "stores", "manager_id")->deferred);
	assert_true(pt_of(p, "stores")->has_deferred);
	assert_false(pc_of(p, "staff", "store_id")->deferred);
	assert_false(pt_of(p, "staff")->has_deferred);
	assert_int_equal(p->graph->ncycles, 1);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);

	/* FK checks deferred by the target (drop_indexes + DEFER_FK): no column
	 * is deferred */
	s = shop();
	cfg = cfg_of("\"default_drop_indexes\": true");
	{
		dp_errbuf eb;
		dp_errbuf_clear(&eb);
		p = NULL;
		if (dp_plan_build(cfg, s, DP_CAP_DEFER_FK, 42, NULL, &p, &eb))
			fail_msg("%s", eb.msg);
	}
	assert_false(p->immediate_fk);
	assert_false(pc_of(p, "stores", "manager_id")->deferred);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

static void test_subset_closure(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of(ENGINE_A);
	dp_plan *p = plan_ok(cfg, s);

	(void)st;
	assert_true(pt_of(p, "orders")->filtered);
	assert_non_null(pt_of(p, "orders")->sub);
	assert_true(pt_of(p, "orders")->sub->percent == 10);
	/* it references orders: only rows of selected orders */
	assert_true(pt_of(p, "order_items")->filtered);
	assert_null(pt_of(p, "order_items")->sub);
	/* the closure goes up, not filtering: customers are kept whole */
	assert_false(pt_of(p, "customers")->filtered);
	assert_false(pt_of(p, "stores")->filtered);
	assert_true(pc_of(p, "order_items", "gift_order_id")->null_unsel);
	assert_false(pc_of(p, "order_items", "order_id")->null_unsel);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

static void test_synthesize_roles(void **st)
{
	dp_schema *s = family();
	dp_job_cfg *cfg = cfg_of("\"initialization_mode\": \"SYNTHESIZE\","
				 "\"tables\": {\"parent\": {\"target_rows\": 50, \"columns\": "
				 "{\"category\": {\"kind\": \"categorical\"}}}}");
	dp_plan *p = plan_ok(cfg, s);
	const dp_plan_table *par = pt_of(p, "parent"), *ch = pt_of(p, "child");
	const dp_plan_col *pc;

	(void)st;
	assert_int_equal(par->seq_parent, -1);
	assert_int_equal(par->target_rows, 50);
	assert_int_equal(par->est_rows, 50);
	assert_int_equal(ch->seq_parent, pos_of(p, "parent"));
	assert_string_equal(ch->t->cols[ch->seq_col].name, "parent_id");
	pc = pc_of(p, "parent", "id");
	assert_true(pc->action == DP_COL_SYNTH && pc->srole == DP_SR_PK);
	pc = pc_of(p, "parent", "category");
	assert_true(pc->action == DP_COL_SYNTH && pc->srole == DP_SR_MODEL);
	assert_string_equal(pc->kind, "categorical");
	pc = pc_of(p, "child", "parent_id");
	assert_true(pc->action == DP_COL_SYNTH && pc->srole == DP_SR_SEQ_FK);
	assert_int_equal(pc->ref, pos_of(p, "parent"));
	pc = pc_of(p, "child", "amount");
	assert_true(pc->action == DP_COL_SYNTH && pc->srole == DP_SR_MODEL);
	assert_int_equal(p->nsynth, 2);
	assert_int_equal(p->synth_order[0], (size_t)pos_of(p, "parent"));
	assert_int_equal(p->synth_order[1], (size_t)pos_of(p, "child"));
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

/* ---- JSON ------------------------------------------------------------- */

typedef struct rt_case {
	const char *body;
	dp_schema *(*schema)(void);
} rt_case;

static const rt_case rt_cases[] = {
	{ ENGINE_A, shop },
	{ "\"initialization_mode\": \"MOCK\", \"key_generation_method\": \"hash\"", shop },
	{ "\"initialization_mode\": \"MOCK_OR_MASK\", \"default_locale\": \"nl\"", family },
	{ "\"initialization_mode\": \"FROM_SCRATCH\"", shop },
	{ "\"initialization_mode\": \"SYNTHESIZE\", \"key_generation_method\": \"generate\","
	  "\"tables\": {\"parent\": {\"scale\": 2, \"columns\": {\"category\": {\"kind\": "
	  "\"categorical\"}}}}", family },
	{ "\"virtual_foreign_keys\": [{\"table\": \"order_items\", \"columns\": [\"qty\"],"
	  " \"references\": {\"table\": \"customers\", \"columns\": [\"id\"]}}],"
	  "\"key_generation_method\": \"generate\"", shop },
};

static dp_plan *from_json_ok(const char *json, const dp_job_cfg *cfg, dp_schema *s)
{
	dp_plan *p = NULL;
	dp_errbuf eb;
	dp_errbuf_clear(&eb);
	if (dp_plan_from_json(json, strlen(json), cfg, s, &p, &eb) != 0)
		fail_msg("dp_plan_from_json: %s", eb.msg);
	assert_non_null(p);
	return p;
}

/* to_json -> from_json -> to_json gives the same bytes, on the schema the
 * plan was built on and on a fresh one (virtual FKs added again, once),
 * and the plan read holds the same decisions. */
static void test_json_round_trip(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		dp_schema *s = rt_cases[i].schema(), *s2 = rt_cases[i].schema();
		dp_job_cfg *cfg = cfg_of(rt_cases[i].body);
		dp_plan *p = plan_ok(cfg, s), *q, *q2;
		char *a = to_json(p), *b, *c;

		q = from_json_ok(a, cfg, s);
		b = to_json(q);
		assert_string_equal(a, b);
		q2 = from_json_ok(a, cfg, s2);
		c = to_json(q2);
		assert_string_equal(a, c);
		for (size_t k = 0; k < s->ntables; k++)
			assert_int_equal(s->tables[k].nfks, s2->tables[k].nfks);
		assert_int_equal(q->ntables, p->ntables);
		assert_int_equal(q->nkeys, p->nkeys);
		assert_int_equal(q->seed, p->seed);
		assert_memory_equal(&q->jkey, &p->jkey, sizeof(p->jkey));
		assert_int_equal(q->immediate_fk, p->immediate_fk);
		assert_int_equal(q->nsynth, p->nsynth);
		for (size_t k = 0; k < p->nsynth; k++)
			assert_int_equal(q->synth_order[k], p->synth_order[k]);
		for (size_t k = 0; k < p->nkeys; k++) {
			assert_int_equal(q->keys[k].table, p->keys[k].table);
			assert_int_equal(q->keys[k].col, p->keys[k].col);
			assert_int_equal(q->keys[k].method, p->keys[k].method);
		}
		for (size_t k = 0; k < p->ntables; k++) {
			const dp_plan_table *x = &p->tables[k], *y = &q->tables[k];
			assert_int_equal(y->ti, x->ti);
			assert_int_equal(y->mode, x->mode);
			assert_string_equal(y->mode_why, x->mode_why);
			assert_ptr_equal(y->st, x->st);
			assert_ptr_equal(y->sub, x->sub);
			assert_int_equal(y->filtered, x->filtered);
			assert_int_equal(y->est_rows, x->est_rows);
			assert_int_equal(y->has_deferred, x->has_deferred);
			assert_int_equal(y->seq_parent, x->seq_parent);
			assert_int_equal(y->target_rows, x->target_rows);
			assert_true(y->scale == x->scale);
			for (size_t ci = 0; ci < x->t->ncols; ci++) {
				const dp_plan_col *u = &x->cols[ci], *v = &y->cols[ci];
				assert_int_equal(v->action, u->action);
				assert_int_equal(v->key, u->key);
				assert_int_equal(v->pii, u->pii);
				assert_int_equal(v->deferred, u->deferred);
				assert_int_equal(v->null_unsel, u->null_unsel);
				assert_true(v->confidence == u->confidence);
				if (u->why)
					assert_string_equal(v->why, u->why);
				if (u->action == DP_COL_GEN)
					assert_string_equal(dp_gen_spec(v->gen), dp_gen_spec(u->gen));
				if (u->action == DP_COL_SYNTH) {
					assert_int_equal(v->srole, u->srole);
					assert_int_equal(v->ref, u->ref);
				}
			}
		}
		free(a);
		free(b);
		free(c);
		dp_plan_free(q2);
		dp_plan_free(q);
		dp_plan_free(p);
		dp_job_cfg_free(cfg);
		dp_schema_free(s2);
		dp_schema_free(s);
	}
}

/* The generators read back produce what the built ones produce: a one_of
 * keeps its CHECK list, a constant its value, a mask its key. */
static void test_json_generators_apply_alike(void **st)
{
	dp_schema *s = shop();
	dp_job_cfg *cfg = cfg_of(ENGINE_A);
	dp_plan *p = plan_ok(cfg, s), *q;
	char *a = to_json(p);
	static const char *const cols[][2] = { { "customers", "email" }, { "customers", "notes" },
		{ "customers", "score" }, { "customers", "first_name" } };

	(void)st;
	q = from_json_ok(a, cfg, s);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		const dp_plan_col *u = pc_of(p, cols[i][0], cols[i][1]), *v = pc_of(q, cols[i][0], cols[i][1]);
		for (uint64_t row = 0; row < 5; row++) {
			dp_batch *bt = dp_batch_new(2, 4);
			dp_value in, o1, o2;
			dp_errbuf eb;
			assert_non_null(bt);
			if (!strcmp(cols[i][1], "score"))
				dp_value_set_int(&in, 40 + (int64_t)row);
			else {
				in.kind = DP_V_TEXT;
				in.u.s = "someone@example.org";
				in.len = 19;
			}
			dp_errbuf_clear(&eb);
			assert_int_equal(dp_gen_apply(u->gen, &in, row, bt, &o1, &eb), 0);
			assert_int_equal(dp_gen_apply(v->gen, &in, row, bt, &o2, &eb), 0);
			assert_true(dp_value_equal(&o1, &o2));
			dp_batch_free(bt);
		}
	}
	dp_plan_free(q);
	free(a);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

/* Index of the table named `name` in the document's load order. */
static int doc_table(cJSON *doc, const char *name)
{
	int i = 0;
	for (cJSON *t = cJSON_GetObjectItem(doc, "tables")->child; t; t = t->next, i++)
		if (!strcmp(cJSON_GetObjectItem(t, "name")->valuestring, name))
			return i;
	fail_msg("no table %s in the document", name);
	return -1;
}

static cJSON *doc_col(cJSON *doc, const char *table, const char *column)
{
	cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "tables"), doc_table(doc, table));
	for (cJSON *c = cJSON_GetObjectItem(t, "columns")->child; c; c = c->next)
		if (!strcmp(cJSON_GetObjectItem(c, "name")->valuestring, column))
			return c;
	fail_msg("no column %s.%s", table, column);
	return NULL;
}

static void replace(cJSON *o, const char *k, cJSON *v)
{
	assert_non_null(v);
	if (cJSON_GetObjectItem(o, k))
		assert_true(cJSON_ReplaceItemInObjectCaseSensitive(o, k, v));
	else
		assert_true(cJSON_AddItemToObject(o, k, v));
}

enum mut { M_VERSION, M_FORMAT, M_MODE, M_GENERATOR, M_ACTION, M_ROWS_TYPE, M_BOOL_TYPE,
	   M_UNKNOWN, M_KEY_RANGE, M_SEED, M_ORDER, M_SUBSET_DIFFERS, M_GEN_VALUE, M_ROLE,
	   M_MISSING, M_NO_TABLE, M_DEFERRED };

/* Refusals of a document edited one way, each naming its JSON path (the
 * path of the table's position in the load order, so computed). */
static void test_json_refusals(void **st)
{
	static const struct { enum mut m; int code; const char *path, *what; } cases[] = {
		{ M_VERSION, DP_ERR_CONFIG, "version", "format version 2" },
		{ M_FORMAT, DP_ERR_CONFIG, "format", "not a doppel plan" },
		{ M_MODE, DP_ERR_CONFIG, "tables[%d].mode", "unknown value; expected one of SYNTHESIZE" },
		{ M_GENERATOR, DP_ERR_CONFIG, "tables[%d].columns[1].generator.spec", "mock:shoe" },
		{ M_ACTION, DP_ERR_CONFIG, "tables[%d].columns[1].action", "expected one of copy, generator" },
		{ M_ROWS_TYPE, DP_ERR_CONFIG, "tables[%d].est_rows", "expected a number" },
		{ M_BOOL_TYPE, DP_ERR_CONFIG, "tables[%d].filtered", "expected true or false" },
		{ M_UNKNOWN, DP_ERR_CONFIG, "tables[%d].colour", "unknown field" },
		{ M_KEY_RANGE, DP_ERR_CONFIG, "tables[%d].columns[0].key", "no such key domain" },
		{ M_SEED, DP_ERR_CONFIG, "seed", "expected a string" },
		{ M_ORDER, DP_ERR_CONFIG, "tables[%d]", "order_items is loaded before orders" },
		{ M_SUBSET_DIFFERS, DP_ERR_CONFIG, "tables[%d].subset.percent", "differs from the engine file" },
		{ M_GEN_VALUE, DP_ERR_CONFIG, "tables[%d].columns[3].generator.value", "differs" },
		{ M_ROLE, DP_ERR_CONFIG, "tables[%d].columns[1].role", "only for the action synthesize" },
		{ M_MISSING, DP_ERR_CONFIG, "tables[%d].columns", "missing" },
		{ M_NO_TABLE, DP_ERR_CONFIG, "tables[%d].name", "names no table" },
		{ M_DEFERRED, DP_ERR_CONFIG, "tables[%d].columns[1].deferred", "stores.manager_id breaks an FK cycle" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dp_schema *s = shop();
		dp_job_cfg *cfg = cfg_of(ENGINE_A);
		dp_plan *p = plan_ok(cfg, s), *q = (dp_plan *)1;
		char *a = to_json(p), *b, want[128];
		cJSON *doc = cJSON_Parse(a);
		cJSON *tabs = cJSON_GetObjectItem(doc, "tables");
		int ti = doc_table(doc, "customers");
		cJSON *ct = cJSON_GetArrayItem(tabs, ti);
		dp_errbuf eb;

		switch (cases[i].m) {
		case M_VERSION: replace(doc, "version", cJSON_CreateNumber(2)); break;
		case M_FORMAT: replace(doc, "format", cJSON_CreateString("doppel-report")); break;
		case M_MODE: replace(ct, "mode", cJSON_CreateString("COPY")); break;
		case M_GENERATOR:
			replace(cJSON_GetObjectItem(doc_col(doc, "customers", "email"), "generator"), "spec",
				cJSON_CreateString("mock:shoe"));
			break;
		case M_ACTION: replace(doc_col(doc, "customers", "email"), "action", cJSON_CreateString("scramble")); break;
		case M_ROWS_TYPE: replace(ct, "est_rows", cJSON_CreateString("many")); break;
		case M_BOOL_TYPE: replace(ct, "filtered", cJSON_CreateNumber(1)); break;
		case M_UNKNOWN: replace(ct, "colour", cJSON_CreateString("red")); break;
		case M_KEY_RANGE: replace(doc_col(doc, "customers", "id"), "key", cJSON_CreateNumber(9)); break;
		case M_SEED: replace(doc, "seed", cJSON_CreateNumber(42)); break;
		case M_ORDER: {
			/* order_items before orders: swap the two */
			int oi = doc_table(doc, "orders"), ii = doc_table(doc, "order_items");
			cJSON *x = cJSON_Duplicate(cJSON_GetArrayItem(tabs, oi), 1);
			cJSON *y = cJSON_Duplicate(cJSON_GetArrayItem(tabs, ii), 1);
			assert_true(x && y);
			assert_true(cJSON_ReplaceItemInArray(tabs, oi, y));
			assert_true(cJSON_ReplaceItemInArray(tabs, ii, x));
			ti = oi;
			break;
		}
		case M_SUBSET_DIFFERS:
			ti = doc_table(doc, "orders");
			replace(cJSON_GetObjectItem(cJSON_GetArrayItem(tabs, ti), "subset"), "percent",
				cJSON_CreateNumber(20));
			break;
		case M_GEN_VALUE:
			replace(cJSON_GetObjectItem(doc_col(doc, "customers", "notes"), "generator"), "value",
				cJSON_CreateString("other"));
			break;
		case M_ROLE: replace(doc_col(doc, "customers", "email"), "role", cJSON_CreateString("pk")); break;
		case M_MISSING: cJSON_DeleteItemFromObject(ct, "columns"); break;
		case M_NO_TABLE: replace(ct, "name", cJSON_CreateString("clients")); break;
		case M_DEFERRED:
			ti = doc_table(doc, "stores");
			cJSON_DeleteItemFromObject(doc_col(doc, "stores", "manager_id"), "deferred");
			break;
		}
		b = cJSON_Print(doc);
		assert_non_null(b);
		snprintf(want, sizeof(want), cases[i].path, ti);
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_plan_from_json(b, strlen(b), cfg, s, &q, &eb), cases[i].code);
		assert_null(q);
		if (strncmp(eb.msg, want, strlen(want)) || !strstr(eb.msg, cases[i].what))
			fail_msg("case %zu: got \"%s\", want \"%s: ...%s...\"", i, eb.msg, want, cases[i].what);
		/* never a value of the document (the constant "n/a" or "other") */
		assert_null(strstr(eb.msg, "other"));
		free(b);
		cJSON_Delete(doc);
		free(a);
		dp_plan_free(p);
		dp_job_cfg_free(cfg);
		dp_schema_free(s);
	}
}

static void expect_refused(const char *json, const dp_job_cfg *cfg, dp_schema *s, int code,
			   const char *want1, const char *want2)
{
	dp_plan *q = NULL;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	assert_int_equal(dp_plan_from_json(json, strlen(json), cfg, s, &q, &eb), code);
	assert_null(q);
	if (!strstr(eb.msg, want1) || (want2 && !strstr(eb.msg, want2)))
		fail_msg("got \"%s\", want \"%s\" and \"%s\"", eb.msg, want1, want2 ? want2 : "");
}

/* Bad JSON and a document made for another schema: refused, naming the
 * JSON path and the table.column that differs. */
static void test_json_schema_mismatch(void **st)
{
	dp_schema *s = shop(), *other;
	dp_job_cfg *cfg = cfg_of(ENGINE_A), *cfg2;
	dp_plan *p = plan_ok(cfg, s);
	char *a = to_json(p);

	(void)st;
	expect_refused("{\"format\": ", cfg, s, DP_ERR_CONFIG, "plan: not valid JSON at line 1", NULL);
	expect_refused("{\n  \"format\": \"doppel-plan\",\n  \"version\": 1,\n  x}", cfg, s,
		       DP_ERR_CONFIG, "at line 4, column ", NULL);
	expect_refused("[1]", cfg, s, DP_ERR_CONFIG, "plan: expected a JSON object", NULL);

	/* a column's type changed */
	other = shop();
	free(other->tables[1].cols[2].type_decl);
	other->tables[1].cols[2].type_decl = strdup("INTEGER");
	dp_classify_type("INTEGER", &other->tables[1].cols[2]);
	expect_refused(a, cfg, other, DP_ERR_SCHEMA, "schema.tables[1].columns[2].type: orders.status "
		       "is VARCHAR(10) (text) in the plan, INTEGER (integer) in the source", NULL);
	dp_schema_free(other);

	/* a column renamed; a column added; a table missing; an FK dropped */
	other = shop();
	free(other->tables[0].cols[3].name);
	other->tables[0].cols[3].name = strdup("remarks");
	expect_refused(a, cfg, other, DP_ERR_SCHEMA, "schema.tables[0].columns[3]: the plan has "
		       "customers.notes here, the source has customers.remarks", NULL);
	dp_schema_free(other);
	other = shop();
	{
		dp_column *c;
		assert_int_equal(dp_table_add_column(&other->tables[3], "opened", "DATE", &c), 0);
	}
	expect_refused(a, cfg, other, DP_ERR_SCHEMA, "schema.tables[3].columns: the source has a "
		       "column stores.opened", NULL);
	dp_schema_free(other);
	other = shop();
	other->tables[4].nfks = 0;   /* staff.store_id no longer an FK (freed below by hand) */
	expect_refused(a, cfg, other, DP_ERR_SCHEMA, "schema.tables[4].foreign_keys[0]: a foreign key "
		       "of staff to stores in the plan is not in the source", NULL);
	other->tables[4].nfks = 1;
	dp_schema_free(other);

	other = family();
	cfg2 = cfg_of("");
	expect_refused(a, cfg2, other, DP_ERR_SCHEMA, "schema.tables[0]: the plan was made for a "
		       "source with a table customers; this source has no such table", NULL);
	dp_job_cfg_free(cfg2);
	dp_schema_free(other);

	/* the engine file changed: settings and subset references */
	cfg2 = cfg_of("\"seed_value\": 7, \"use_seed\": true, \"key_generation_method\": \"generate\","
		      "\"tables\": {\"customers\": {\"mode\": \"DE_IDENTIFY\", \"columns\": {\"notes\": "
		      "{\"generator\": \"constant\", \"value\": \"n/a\"}, \"score\": {\"generator\": "
		      "\"mask:noise\", \"consistent\": false}}}, \"orders\": {\"mode\": \"SUBSET\", "
		      "\"subset\": {\"percent\": 10}}, \"order_items\": {\"null_if_unselected\": "
		      "[\"gift_order_id\"]}, \"stores\": {\"mode\": \"DUPLICATE\"}, \"staff\": {}}");
	expect_refused(a, cfg2, s, DP_ERR_CONFIG, ".settings: the plan takes the engine's settings, "
		       "but the engine file now lists the table", NULL);
	dp_job_cfg_free(cfg2);

	free(a);
	dp_plan_free(p);
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_from_engine_file),
		cmocka_unit_test(test_modes_from_presets),
		cmocka_unit_test(test_column_actions),
		cmocka_unit_test(test_generated_column),
		cmocka_unit_test(test_key_domains),
		cmocka_unit_test(test_load_order_and_cycle),
		cmocka_unit_test(test_subset_closure),
		cmocka_unit_test(test_synthesize_roles),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_generators_apply_alike),
		cmocka_unit_test(test_json_refusals),
		cmocka_unit_test(test_json_schema_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
