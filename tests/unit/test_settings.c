/* tests/unit/test_settings.c - the settings table and the engine-file parser:
 * defaults, every kind of rejection with its JSON path, overrides, secrets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "settings/engine_file.h"
#include "settings/settings_table.h"
#include "settings/conn_url.h"

#define SRC "\"source\": {\"connector_type\": \"sqlite\", \"database\": \"/tmp/s.db\"}, " \
	    "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"/tmp/t.db\"}"

static dp_job_cfg *parse_ok(const char *json)
{
	dp_job_cfg *j = NULL;
	dp_errbuf eb;
	dp_errbuf_clear(&eb);
	if (dp_engine_parse(json, strlen(json), "/base", &j, &eb) != 0)
		fail_msg("unexpected error: %s", eb.msg);
	return j;
}

static void parse_err(const char *json, const char *want)
{
	dp_job_cfg *j = NULL;
	dp_errbuf eb;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_engine_parse(json, strlen(json), "/base", &j, &eb), DP_ERR_CONFIG);
	assert_null(j);
	if (!strstr(eb.msg, want))
		fail_msg("message \"%s\" does not contain \"%s\"", eb.msg, want);
}

static void test_table_has_31_settings(void **st)
{
	static const char *const api[] = {
		"seed_value", "use_seed", "pii_model_settings", "initialization_mode",
		"key_generation_method", "n_parallel_pipeline_processes", "default_n_training_rows",
		"default_read_random_subset", "default_sample_noise_ratio",
		"default_max_n_feat_per_model", "default_feat_model_train_order",
		"default_max_sequence_length", "default_end_of_sequence_token",
		"default_cardinality_threshold", "default_rare_category_replacement",
		"default_clip_threshold", "default_locale", "default_pii_mock_replace",
		"default_noise_factor", "default_text_processor_model_settings",
		"default_textpii_parallel_jobs", "default_textpii_scan_batch_size",
		"default_cutoff_length", "default_long_sequence_threshold", "default_min_sample_size",
		"default_fast_executemany", "default_drop_indexes",
		"default_consistent_integer_shuffle_threshold", "default_order_by_nr_columns",
		"default_ray_memory_optimization", "default_max_pending_tasks"
	};
	size_t n;
	const dp_setting_def *d = dp_settings_defs(&n);

	(void)st;
	assert_int_equal(n, 31);
	for (size_t i = 0; i < 31; i++) {
		assert_string_equal(d[i].name, api[i]);
		assert_non_null(d[i].doc);
		assert_non_null(d[i].def);
		assert_int_equal(d[i].per_table, strncmp(api[i], "default_", 8) == 0);
	}
}

static void test_defaults(void **st)
{
	dp_job_cfg *j = parse_ok("{" SRC "}");

	(void)st;
	assert_int_equal(j->settings.initialization_mode, DP_INIT_DE_IDENTIFY);
	assert_int_equal(j->settings.key_generation_method, DP_KEYGEN_DUPLICATE);
	assert_int_equal(j->settings.use_seed, 0);
	assert_int_equal(j->settings.n_parallel_pipeline_processes, 2);
	assert_int_equal(j->settings.max_pending_tasks, 4);
	assert_int_equal(j->settings.drop_indexes, 1);
	assert_int_equal(j->settings.fast_executemany, 1);
	assert_string_equal(j->settings.locale, "en");
	assert_int_equal(j->ntables, 0);
	dp_job_cfg_free(j);
}

static void test_values_and_overrides(void **st)
{
	dp_job_cfg *j = parse_ok("{\"seed_value\": 42, \"use_seed\": true, \"default_locale\": \"en\","
		"\"key_generation_method\": \"hash\", \"default_max_pending_tasks\": 8,"
		"\"default_order_by_nr_columns\": [\"a\", \"b\"]," SRC ","
		"\"tables\": {\"orders\": {\"mode\": \"DUPLICATE\", \"default_max_pending_tasks\": 2,"
		"  \"columns\": {\"email\": {\"generator\": \"mock:email\", \"consistent\": false},"
		"               \"note\": \"null\", \"code\": {\"generator\": \"constant\", \"value\": 7}}}},"
		"\"virtual_foreign_keys\": [{\"table\": \"orders\", \"columns\": [\"cust\"],"
		"  \"references\": {\"table\": \"customers\", \"columns\": [\"id\"]}}]}");
	const dp_table_cfg *t;

	(void)st;
	assert_int_equal(j->settings.seed_value, 42);
	assert_true(j->settings.use_seed);
	assert_int_equal(j->settings.key_generation_method, DP_KEYGEN_HASH);
	assert_int_equal(j->settings.n_order_by_cols, 2);
	t = dp_job_cfg_table(j, "orders");
	assert_non_null(t);
	assert_int_equal(t->mode, DP_MODE_DUPLICATE);
	assert_int_equal(t->settings.max_pending_tasks, 2);      /* table override */
	assert_int_equal(t->settings.n_order_by_cols, 2);        /* inherited */
	assert_int_equal(dp_table_cfg_column(t, "email")->consistent, 0);
	assert_string_equal(dp_table_cfg_column(t, "note")->generator, "null");
	assert_string_equal(dp_table_cfg_column(t, "code")->value, "7");
	assert_int_equal(j->nvfks, 1);
	assert_string_equal(j->vfks[0].ref_cols[0], "id");
	dp_job_cfg_free(j);
}

static void test_rejections_name_the_path(void **st)
{
	(void)st;
	parse_err("{\"source\": ", "malformed JSON at line 1");
	parse_err("[1]", "must be a JSON object");
	parse_err("{" SRC ", \"n_parallel_pipeline_proceses\": 2}", "n_parallel_pipeline_proceses: unknown");
	parse_err("{" SRC ", \"use_seed\": 1}", "use_seed: expected true or false");
	parse_err("{" SRC ", \"n_parallel_pipeline_processes\": 0}", "n_parallel_pipeline_processes: expected an integer in 1..64, got 0");
	parse_err("{" SRC ", \"n_parallel_pipeline_processes\": 1.5}", "n_parallel_pipeline_processes: expected an integer");
	parse_err("{" SRC ", \"default_sample_noise_ratio\": 2}", "default_sample_noise_ratio: expected a number in 0..1");
	parse_err("{" SRC ", \"initialization_mode\": \"RANDOM\"}", "initialization_mode: expected one of SYNTHESIZE, MOCK, MOCK_OR_MASK, DE_IDENTIFY, FROM_SCRATCH");
	parse_err("{" SRC ", \"default_locale\": \"xx\"}", "default_locale: expected one of en");
	parse_err("{" SRC ", \"pii_model_settings\": {\"threshold\": 3}}", "pii_model_settings.threshold");
	parse_err("{" SRC ", \"pii_model_settings\": {\"colour\": 3}}", "pii_model_settings.colour: unknown field");
	parse_err("{" SRC ", \"tables\": {\"orders\": {\"mode\": \"COPY\"}}}",
		  "tables.orders.mode: expected one of SYNTHESIZE, DE_IDENTIFY, DUPLICATE, SUBSET, EXCLUDE");
	parse_err("{" SRC ", \"tables\": {\"orders\": {\"colour\": 1}}}", "tables.orders.colour: unknown field");
	parse_err("{" SRC ", \"tables\": {\"orders\": {\"default_bogus\": 1}}}", "tables.orders.default_bogus: unknown setting");
	parse_err("{" SRC ", \"tables\": {\"orders\": {\"default_max_pending_tasks\": 0}}}", "tables.orders.default_max_pending_tasks: expected an integer in 1..1024");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"e\": {\"generator\": \"mock:shoe\"}}}}}", "tables.o.columns.e.generator: unknown generator \"mock:shoe\"");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"e\": {\"consistent\": \"yes\"}}}}}", "tables.o.columns.e.consistent: expected true or false");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"subset\": {\"percent\": 150}}}}", "tables.o.subset.percent");
	parse_err("{\"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}}", "source: missing");
	parse_err("{\"source\": {\"database\": \"s\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}}", "source.connector_type: missing");
	parse_err("{\"source\": {\"connector_type\": \"sqlite\", \"port\": 70000}, \"target\": {}}", "source.port: expected an integer in 1..65535");
	parse_err("{" SRC ", \"virtual_foreign_keys\": [{\"table\": \"a\", \"columns\": [\"x\", \"y\"], \"references\": {\"table\": \"b\", \"columns\": [\"id\"]}}]}", "virtual_foreign_keys[0].references.columns: 1 columns");
}

static void test_secrets(void **st)
{
	dp_job_cfg *j;
	FILE *f = fopen("/tmp/doppel-test-pw", "w");

	(void)st;
	fputs("s3cret-from-file\n", f);
	fclose(f);
	setenv("DOPPEL_TEST_PW", "s3cret-from-env", 1);
	j = parse_ok("{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\","
		     " \"password_env\": \"DOPPEL_TEST_PW\"},"
		     " \"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\","
		     " \"password_file\": \"/tmp/doppel-test-pw\"}}");
	assert_string_equal(j->source.password, "s3cret-from-env");
	assert_string_equal(j->target.password, "s3cret-from-file");
	dp_job_cfg_free(j);
	remove("/tmp/doppel-test-pw");
	/* an unset variable is named; no secret ever appears in a message */
	parse_err("{\"source\": {\"connector_type\": \"postgresql\", \"password_env\": \"DOPPEL_NOPE_PW\"},"
		  " \"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}}",
		  "source.password_env: environment variable DOPPEL_NOPE_PW is not set");
	{
		dp_job_cfg *k = NULL;
		dp_errbuf eb;
		const char *js = "{\"source\": {\"connector_type\": \"postgresql\", \"password\": \"hunter2\","
				 " \"colour\": 1}, \"target\": {}}";
		dp_errbuf_clear(&eb);
		assert_int_not_equal(dp_engine_parse(js, strlen(js), NULL, &k, &eb), 0);
		assert_null(strstr(eb.msg, "hunter2"));
	}
}

static void test_relative_sqlite_paths(void **st)
{
	dp_job_cfg *j = parse_ok("{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a.db\"},"
				 " \"target\": {\"protocol\": \"sqlite+pysqlite\", \"database\": \"/abs/b.db\"}}");
	(void)st;
	assert_string_equal(j->source.database, "/base/a.db");
	assert_string_equal(j->target.database, "/abs/b.db");
	assert_string_equal(j->target.connector_type, "sqlite");
	dp_job_cfg_free(j);
}

static void test_conn_urls(void **st)
{
	dp_conn_cfg c;
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_conn_url_parse("postgresql://ann:p%40ss@127.0.0.1:6543/shop?schema=sales", &c, &eb), 0);
	assert_string_equal(c.connector_type, "postgresql");
	assert_string_equal(c.username, "ann");
	assert_string_equal(c.password, "p@ss");
	assert_string_equal(c.host, "127.0.0.1");
	assert_int_equal(c.port, 6543);
	assert_string_equal(c.database, "shop");
	assert_string_equal(c.schema_name, "sales");
	dp_conn_cfg_clear(&c);
	assert_int_equal(dp_conn_url_parse("sqlite:////abs/x.db", &c, &eb), 0);
	assert_string_equal(c.database, "/abs/x.db");
	dp_conn_cfg_clear(&c);
	assert_int_equal(dp_conn_url_parse("sqlite:///rel/x.db", &c, &eb), 0);
	assert_string_equal(c.database, "rel/x.db");
	dp_conn_cfg_clear(&c);
	assert_int_equal(dp_conn_url_parse("postgresql://u:secret@h:70000/d", &c, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "port"));
	assert_null(strstr(eb.msg, "secret"));
	dp_conn_cfg_clear(&c);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_conn_url_parse("oracle://h/d", &c, &eb), DP_ERR_UNSUPPORTED);
	assert_non_null(strstr(eb.msg, "oracle"));
	dp_conn_cfg_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_has_31_settings),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_and_overrides),
		cmocka_unit_test(test_rejections_name_the_path),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_relative_sqlite_paths),
		cmocka_unit_test(test_conn_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
