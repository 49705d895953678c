/* tests/fuzz/fuzz_plan_json.c - libFuzzer target for the plan reader
 * (dp_plan_from_json): any bytes must give a plan or an error, never a
 * crash or leak. The plan is read against a small fixed schema and engine
 * file (the corpus holds plans `doppel plan --json` wrote for them). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "engine/plan/plan.h"
#include "engine/plan/plan_json.h"
#include "settings/engine_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char engine[] =
	"{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"/nonexistent/s.db\"},"
	" \"target\": {\"connector_type\": \"sqlite\", \"database\": \"/nonexistent/t.db\"},"
	" \"tables\": {\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}},"
	"  \"customers\": {\"columns\": {\"email\": \"mock:email\"}}}}";

static dp_schema *schema(void)
{
	dp_schema *s = calloc(1, sizeof(*s));
	dp_table *t;
	dp_column *c;
	const char *cols[1] = { "customer_id" }, *refs[1] = { "id" };
	int rc = 0;

	if (!s)
		return NULL;
	rc |= dp_schema_add_table(s, "customers", &t);
	if (!rc) {
		t->row_estimate = 100;
		rc |= dp_table_add_column(t, "id", "INTEGER", &c);
		if (!rc)
			c->pk_pos = 1, c->notnull = 1;
		rc |= dp_table_add_column(t, "email", "VARCHAR(120)", &c);
		rc |= dp_table_add_column(t, "notes", "TEXT", &c);
	}
	rc |= dp_schema_add_table(s, "orders", &t);
	if (!rc) {
		t->row_estimate = 300;
		rc |= dp_table_add_column(t, "id", "INTEGER", &c);
		if (!rc)
			c->pk_pos = 1, c->notnull = 1;
		rc |= dp_table_add_column(t, "customer_id", "INTEGER", &c);
		rc |= dp_table_add_fk(t, NULL, "customers", 1, cols, refs, NULL);
	}
	for (size_t k = 0; !rc && k < s->ntables; k++)
		rc |= dp_table_finish_pk(&s->tables[k]);
	if (rc) {
		dp_schema_free(s);
		return NULL;
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dp_job_cfg *cfg = NULL;
	dp_schema *s = schema();
	dp_plan *p = NULL;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	if (s && dp_engine_parse(engine, strlen(engine), "/nonexistent", &cfg, &eb) == 0 &&
	    dp_plan_from_json((const char *)data, size, cfg, s, &p, &eb) == 0) {
		dp_buf out = DP_BUF_INIT;
		/* what was read can be written again */
		if (dp_plan_to_json(p, &out, &eb) != 0)
			abort();
		dp_buf_free(&out);
		dp_plan_free(p);
	}
	dp_job_cfg_free(cfg);
	dp_schema_free(s);
	return 0;
}
