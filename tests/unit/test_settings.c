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
		"\"tables\": {\"orders\": {\"mode\": \"DE_IDENTIFY\", \"default_max_pending_tasks\": 2,"
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
	assert_int_equal(t->mode, DP_MODE_DE_IDENTIFY);
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
	/* every connector's URL, SQLAlchemy's dialect+driver spellings too */
	static const struct { const char *url, *type, *db; } nets[] = {
		{ "mysql://ann@127.0.0.1:3307/shop", "mysql", "shop" },
		{ "mariadb://ann@127.0.0.1/shop", "mysql", "shop" },
		{ "mysql+pymysql://ann@127.0.0.1/shop", "mysql", "shop" },
		{ "postgresql+psycopg2://ann@127.0.0.1/shop", "postgresql", "shop" },
		{ "postgres://ann@127.0.0.1/shop", "postgresql", "shop" },
	};
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_conn_url_parse(nets[i].url, &c, &eb), 0);
		assert_string_equal(c.connector_type, nets[i].type);
		assert_string_equal(c.database, nets[i].db);
		assert_string_equal(c.username, "ann");
		dp_conn_cfg_clear(&c);
	}
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_conn_url_parse("mysql://h/d?schema=x", &c, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "unknown URL parameter"));
	dp_conn_cfg_clear(&c);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_conn_url_parse("mysqlx://h/d", &c, &eb), DP_ERR_UNSUPPORTED);
	dp_conn_cfg_clear(&c);
}

/* 1. one document, nothing after it */
static void test_trailing_data(void **st)
{
	(void)st;
	parse_err("{" SRC "} {" SRC "}", "trailing data after the JSON document at line 1");
	parse_err("{" SRC "} x", "trailing data");
	parse_err("{" SRC "}\n\n  ]", "trailing data after the JSON document at line 3, column 3");
	dp_job_cfg_free(parse_ok("{" SRC "}\n \t\r\n"));   /* whitespace is fine */
}

/* 2. cJSON keeps the first of two equal names: every level is checked */
static void test_duplicate_keys(void **st)
{
	static const struct { const char *json, *want; } cases[] = {
		{ "{" SRC ", \"seed_value\": 1, \"seed_value\": 2}", "seed_value: given twice" },
		{ "{" SRC ", \"source\": {}}", "source: given twice" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"database\": \"b\"},"
		  " \"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}}",
		  "source.database: given twice" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\"},"
		  " \"target\": {\"connector_type\": \"sqlite\", \"connector_type\": \"postgresql\", \"database\": \"t\"}}",
		  "target.connector_type: given twice" },
		{ "{" SRC ", \"tables\": {\"a\": {\"mode\": \"EXCLUDE\"}, \"a\": {\"mode\": \"DUPLICATE\"}}}",
		  "tables.a: given twice" },
		{ "{" SRC ", \"tables\": {\"a\": {\"columns\": {\"e\": \"null\", \"e\": \"duplicate\"}}}}",
		  "tables.a.columns.e: given twice" },
		{ "{" SRC ", \"tables\": {\"a\": {\"columns\": {\"e\": {\"generator\": \"null\", \"generator\": \"duplicate\"}}}}}",
		  "tables.a.columns.e.generator: given twice" },
		{ "{" SRC ", \"tables\": {\"orders\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5, \"percent\": 50}}}}",
		  "tables.orders.subset.percent: given twice" },
		{ "{\"source\": {\"connector_type\": \"postgresql\", \"hooks_params\": {\"SSL\": "
		  "{\"ssl_mode\": \"require\", \"ssl_mode\": \"disable\"}}}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}}",
		  "source.hooks_params.SSL.ssl_mode: given twice" },
		{ "{" SRC ", \"virtual_foreign_keys\": [{\"table\": \"a\", \"table\": \"b\"}]}",
		  "virtual_foreign_keys[0].table: given twice" },
		{ "{" SRC ", \"pii_model_settings\": {\"threshold\": 0.5, \"threshold\": 0.9}}",
		  "pii_model_settings.threshold: given twice" },
	};
	char big[8192];
	size_t o;

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		parse_err(cases[i].json, cases[i].want);
	/* a big object (the sorted path): the second "t7" is named */
	o = (size_t)snprintf(big, sizeof(big), "{" SRC ", \"tables\": {");
	for (int i = 0; i < 60; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "%s\"t%d\": {}", i ? ", " : "", i);
	snprintf(big + o, sizeof(big) - o, ", \"t7\": {}, \"t3\": {}}}");
	parse_err(big, "tables.t7: given twice");
}

/* 3. fields the chosen connector never reads */
static void test_conn_fields_used(void **st)
{
#define TGT "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"t\"}"
	static const struct { const char *json, *want; } cases[] = {
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"connection_string\": \"x\"}, " TGT "}",
		  "source.connection_string: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"postgresql\", \"dsn\": \"x\"}, " TGT "}",
		  "source.dsn: the postgresql connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"mysql\", \"connection_string\": \"x\"}, " TGT "}",
		  "source.connection_string: the mysql connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"schema_name\": \"main\"}, " TGT "}",
		  "source.schema_name: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"mariadb\", \"schema_name\": \"shop\"}, " TGT "}",
		  "source.schema_name: the mysql connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"host\": \"h\"}, " TGT "}",
		  "source.host: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"port\": 5432}, " TGT "}",
		  "source.port: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"username\": \"u\"}, " TGT "}",
		  "source.username: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"password_env\": \"DOPPEL_NOPE_PW\"}, " TGT "}",
		  "source.password_env: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"a\", \"hooks_params\": {}}, " TGT "}",
		  "source.hooks_params: the sqlite connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"postgresql\", \"hooks_params\": {\"Kerberos\": {\"principal\": \"p\"}}}, " TGT "}",
		  "source.hooks_params.Kerberos: the postgresql connector does not use it" },
		{ "{\"source\": {\"connector_type\": \"postgresql\", \"hooks_params\": {\"SSL\": {\"ssl_mode\": \"disable\", \"ca_filename\": \"ca.pem\"}}}, " TGT "}",
		  "source.hooks_params.SSL.ca_filename: ssl_mode disable" },
		{ "{\"source\": {\"connector_type\": \"mysql\", \"hooks_params\": {\"SSL\": {\"cert_filename\": \"c.pem\"}}}, " TGT "}",
		  "source.hooks_params.SSL.cert_filename: the mysql connector uses client certificates only" },
		{ "{\"source\": {\"connector_type\": \"sqlite\", \"protocol\": \"postgresql+psycopg2\", \"database\": \"a\"}, " TGT "}",
		  "source.protocol: names postgresql, but connector_type is sqlite" },
		{ "{\"source\": {\"connector_type\": \"oracle\"}, " TGT "}",
		  "source.connector_type: unknown connector \"oracle\"" },
		{ "{\"source\": {\"protocol\": \"oracle+cx_oracle\"}, " TGT "}",
		  "source.protocol: unknown connector \"oracle\"" },
		{ "{\"source\": {\"connector_type\": \"postgresql\", \"password\": \"a\", \"password_env\": \"B\"}, " TGT "}",
		  "source.password_env: give only one of password, password_env and password_file" },
	};

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		parse_err(cases[i].json, cases[i].want);
	/* what each connector does read is still accepted */
	dp_job_cfg_free(parse_ok("{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"h\", \"port\": 5432,"
		" \"database\": \"d\", \"username\": \"u\", \"password\": \"p\", \"schema_name\": \"s\","
		" \"hooks_params\": {\"SSL\": {\"ssl_mode\": \"verify-full\", \"ca_filename\": \"ca.pem\"}}},"
		" \"target\": {\"protocol\": \"mysql+pymysql\", \"connector_type\": \"mariadb\", \"host\": \"h\","
		" \"database\": \"d\", \"hooks_params\": {\"SSL\": {\"ssl_mode\": \"require\", \"cert_filename\": \"c\"}}}}"));
#undef TGT
}

/* 5. generator fields: constant needs its value; value/consistent where unused */
static void test_generator_fields(void **st)
{
	dp_job_cfg *j;

	(void)st;
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": {\"generator\": \"constant\"}}}}}",
		  "tables.o.columns.c.value: missing: the constant generator needs a value");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": \"constant\"}}}}",
		  "tables.o.columns.c.value: missing");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": {\"generator\": \"mock:email\", \"value\": \"x\"}}}}}",
		  "tables.o.columns.c.value: generator \"mock:email\" does not use a value");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": {\"generator\": \"null\", \"consistent\": true}}}}}",
		  "tables.o.columns.c.consistent: generator \"null\"");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": {\"generator\": \"constant\", \"value\": 12345678901234567890}}}}}",
		  "tables.o.columns.c.value: beyond +-2^53");
	/* value: null is an explicit SQL NULL; numbers keep their shortest form */
	j = parse_ok("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"n\": {\"generator\": \"constant\", \"value\": null},"
		     " \"f\": {\"generator\": \"constant\", \"value\": 0.1}, \"z\": {\"generator\": \"constant\", \"value\": -0.0}}}}}");
	assert_null(dp_table_cfg_column(dp_job_cfg_table(j, "o"), "n")->value);
	assert_string_equal(dp_table_cfg_column(dp_job_cfg_table(j, "o"), "f")->value, "0.1");
	assert_string_equal(dp_table_cfg_column(dp_job_cfg_table(j, "o"), "z")->value, "0");
	dp_job_cfg_free(j);
	/* generators a table's mode would never run */
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"DUPLICATE\", \"columns\": {\"e\": \"mock:email\"}}}}",
		  "tables.o.columns.e: the table's mode is DUPLICATE");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"e\": \"mock:email\"}, \"mode\": \"EXCLUDE\"}}}",
		  "tables.o.columns.e: the table's mode is EXCLUDE");
	parse_err("{" SRC ", \"initialization_mode\": \"FROM_SCRATCH\", \"tables\": {\"o\": {\"columns\": {\"e\": \"mock:email\"}}}}",
		  "tables.o.columns.e: the table's mode is EXCLUDE (from initialization_mode)");
	dp_job_cfg_free(parse_ok("{" SRC ", \"tables\": {\"o\": {\"mode\": \"DUPLICATE\", \"columns\": {\"e\": \"duplicate\"}}}}"));
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SYNTHESIZE\", \"target_rows\": 5, \"scale\": 2}}}",
		  "tables.o.scale: give target_rows or scale, not both");
}

/* 6, 7. subset rules only where they are read, and no field another hides */
static void test_subset_fields(void **st)
{
	(void)st;
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"DE_IDENTIFY\", \"subset\": {\"percent\": 5}}}}",
		  "tables.o.subset: applies to mode SUBSET only; the table's mode is DE_IDENTIFY");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"subset\": {\"percent\": 5}}}}",
		  "tables.o.subset: applies to mode SUBSET only; the table's mode is DE_IDENTIFY (from initialization_mode)");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5, \"where\": \"x > 1\"}}}}",
		  "tables.o.subset.where: cannot be combined with percent");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 5, \"percent\": 5}}}}",
		  "tables.o.subset.limit: cannot be combined with percent");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5, \"order_by\": \"id\"}}}}",
		  "tables.o.subset.order_by: cannot be combined with percent");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"x > 1\", \"order_by\": \"id\"}}}}",
		  "tables.o.subset.order_by: orders the rows a limit picks");
	dp_job_cfg_free(parse_ok("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": "
				 "{\"where\": \"x > 1\", \"limit\": 3, \"order_by\": \"id\", \"include_children\": \"none\"}}}}"));
	/* a name listed twice in a list */
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"null_if_unselected\": [\"a\", \"a\"]}}}",
		  "tables.o.null_if_unselected[1]: column \"a\" is already listed at [0]");
	parse_err("{" SRC ", \"default_order_by_nr_columns\": [\"a\", \"b\", \"a\"]}",
		  "default_order_by_nr_columns[2]: \"a\" is already listed at [0]");
}

/* 10. every integer: checked on the double, before any cast */
static void test_numbers_exact(void **st)
{
	static const struct { const char *field, *want; } cases[] = {
		{ "\"n_parallel_pipeline_processes\": 1e20", "n_parallel_pipeline_processes: expected an integer in 1..64, got" },
		{ "\"n_parallel_pipeline_processes\": 2.5", "n_parallel_pipeline_processes: expected an integer in 1..64, got a fraction" },
		{ "\"n_parallel_pipeline_processes\": -0", "n_parallel_pipeline_processes: expected an integer in 1..64, got negative zero" },
		{ "\"default_cardinality_threshold\": -0", "default_cardinality_threshold: expected an integer in 0..1000000, got negative zero" },
		{ "\"default_max_pending_tasks\": 1e400", "default_max_pending_tasks: number out of range" },
		{ "\"default_noise_factor\": -1e400", "default_noise_factor: number out of range" },
		{ "\"default_n_training_rows\": 1.0000000000000001", "default_n_training_rows: more digits than a JSON number holds" },
		{ "\"default_min_sample_size\": 1e-400", "default_min_sample_size: more digits" },
		{ "\"default_clip_threshold\": 05", "default_clip_threshold: not a JSON number" },
		{ "\"default_clip_threshold\": 5.", "default_clip_threshold: not a JSON number" },
		{ "\"default_sample_noise_ratio\": -.5", "default_sample_noise_ratio: not a JSON number" },
		{ "\"default_end_of_sequence_token\": 9007199254740993", "default_end_of_sequence_token: expected an integer" },
		{ "\"default_consistent_integer_shuffle_threshold\": 1e300", "default_consistent_integer_shuffle_threshold: expected an integer in 0..1000000000000" },
		{ "\"pii_model_settings\": {\"sample_rows\": 1e300}", "pii_model_settings.sample_rows: expected an integer in 1..1000000" },
		{ "\"default_text_processor_model_settings\": {\"ngram_order\": 2.5}", "default_text_processor_model_settings.ngram_order: expected an integer in 1..10, got a fraction" },
		{ "\"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 1e300}}}", "tables.o.subset.limit: expected an integer in 0..9007199254740991" },
		{ "\"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 2.5}}}", "tables.o.subset.limit: expected an integer" },
		{ "\"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"max_per_parent\": 1e19}}}", "tables.o.subset.max_per_parent: expected an integer" },
		{ "\"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": -0}}}", "tables.o.subset.percent: expected a number in (0, 100]" },
		{ "\"tables\": {\"o\": {\"mode\": \"SYNTHESIZE\", \"target_rows\": 1e300}}", "tables.o.target_rows: expected an integer" },
		{ "\"tables\": {\"o\": {\"mode\": \"SYNTHESIZE\", \"target_rows\": -0}}", "tables.o.target_rows: expected an integer in 0..9007199254740991, got negative zero" },
		{ "\"tables\": {\"o\": {\"mode\": \"SYNTHESIZE\", \"scale\": 1e300}}", "tables.o.scale: expected a number in (0, 1e+06]" },
		{ "\"tables\": {\"o\": {\"default_max_pending_tasks\": 1e20}}", "tables.o.default_max_pending_tasks: expected an integer in 1..1024" },
	};
	char buf[1024];

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "{" SRC ", %s}", cases[i].field);
		parse_err(buf, cases[i].want);
	}
	parse_err("{\"source\": {\"connector_type\": \"postgresql\", \"port\": 5432.5}, \"target\": {}}",
		  "source.port: expected an integer in 1..65535, got a fraction");
	parse_err("{\"source\": {\"connector_type\": \"postgresql\", \"port\": 1e300}, \"target\": {}}",
		  "source.port: expected an integer in 1..65535");
	parse_err("{\"source\": {\"connector_type\": \"postgresql\", \"hooks_params\": {\"SSHTunnel\": "
		  "{\"host\": \"b\", \"local_port\": 1e20}}}, \"target\": {}}",
		  "source.hooks_params.SSHTunnel.local_port: expected an integer in 1..65535");
	/* what is exact still passes: 1e3 and 1.0 are integers */
	{
		dp_job_cfg *j = parse_ok("{" SRC ", \"default_max_pending_tasks\": 1e3, \"default_clip_threshold\": 7.0,"
					 " \"default_sample_noise_ratio\": 0.25}");
		assert_int_equal(j->settings.max_pending_tasks, 1000);
		assert_int_equal(j->settings.clip_threshold, 7);
		dp_job_cfg_free(j);
	}
}

/* 11. seed_value holds any int64: exact numbers, or a string of digits */
static void test_seed_value_exact(void **st)
{
	dp_job_cfg *j;

	(void)st;
	j = parse_ok("{" SRC ", \"seed_value\": \"9223372036854775807\"}");
	assert_true(j->settings.seed_value == INT64_MAX);
	dp_job_cfg_free(j);
	j = parse_ok("{" SRC ", \"seed_value\": \"-9223372036854775808\"}");
	assert_true(j->settings.seed_value == INT64_MIN);
	dp_job_cfg_free(j);
	j = parse_ok("{" SRC ", \"seed_value\": \"4238825265791896300\"}");
	assert_true(j->settings.seed_value == INT64_C(4238825265791896300));
	dp_job_cfg_free(j);
	j = parse_ok("{" SRC ", \"seed_value\": 9007199254740991}");
	assert_true(j->settings.seed_value == INT64_C(9007199254740991));
	dp_job_cfg_free(j);
	j = parse_ok("{" SRC ", \"seed_value\": -42}");
	assert_true(j->settings.seed_value == -42);
	dp_job_cfg_free(j);
	parse_err("{" SRC ", \"seed_value\": 9223372036854775807}",
		  "seed_value: beyond +-2^53 a JSON number is not exact");
	parse_err("{" SRC ", \"seed_value\": 9007199254740993}", "write the seed as a string of digits");
	parse_err("{" SRC ", \"seed_value\": \"9223372036854775808\"}", "seed_value: expected a 64-bit integer");
	parse_err("{" SRC ", \"seed_value\": \" 42\"}", "seed_value: expected a string of decimal digits");
	parse_err("{" SRC ", \"seed_value\": \"+42\"}", "seed_value: expected a string of decimal digits");
	parse_err("{" SRC ", \"seed_value\": \"42x\"}", "seed_value: expected a string of decimal digits");
	parse_err("{" SRC ", \"seed_value\": \"\"}", "seed_value: expected a string of decimal digits");
	parse_err("{" SRC ", \"seed_value\": \"-0\"}", "seed_value: negative zero");
	parse_err("{" SRC ", \"seed_value\": 4.5}", "seed_value: expected an integer");
	parse_err("{" SRC ", \"seed_value\": true}", "seed_value: expected an integer or a string of decimal digits");
}

/* ---- the table drives to_json, set_defaults, the enums and the docs ---- */

/* Every setting changed from its default (seed beyond 2^53: a string). */
static const char every_changed[] =
	"\"seed_value\": \"9223372036854775807\", \"use_seed\": true,"
	"\"pii_model_settings\": {\"use_name_rules\": false, \"use_value_patterns\": false,"
	"  \"use_dictionaries\": false, \"threshold\": 0.75, \"sample_rows\": 250, \"languages\": [\"de\", \"nl\"]},"
	"\"initialization_mode\": \"MOCK_OR_MASK\", \"key_generation_method\": \"hash\","
	"\"n_parallel_pipeline_processes\": 7, \"default_n_training_rows\": 5000,"
	"\"default_read_random_subset\": true, \"default_sample_noise_ratio\": 0.125,"
	"\"default_max_n_feat_per_model\": 3, \"default_feat_model_train_order\": [\"b\", \"a\"],"
	"\"default_max_sequence_length\": 9, \"default_end_of_sequence_token\": -7,"
	"\"default_cardinality_threshold\": 0, \"default_rare_category_replacement\": \"<rare>\","
	"\"default_clip_threshold\": 2, \"default_locale\": \"fr\", \"default_pii_mock_replace\": false,"
	"\"default_noise_factor\": 0.3,"
	"\"default_text_processor_model_settings\": {\"word_level\": false, \"ngram_order\": 5, \"vocabulary_limit\": 500},"
	"\"default_textpii_parallel_jobs\": 3, \"default_textpii_scan_batch_size\": 64,"
	"\"default_cutoff_length\": 80, \"default_long_sequence_threshold\": 12,"
	"\"default_min_sample_size\": 20, \"default_fast_executemany\": false, \"default_drop_indexes\": false,"
	"\"default_consistent_integer_shuffle_threshold\": 99, \"default_order_by_nr_columns\": [\"x\", \"y\"],"
	"\"default_ray_memory_optimization\": true, \"default_max_pending_tasks\": 16";

/* parse(engine file of `settings` JSON text) -> its engine settings */
static dp_job_cfg *parse_settings_text(const char *settings_obj)
{
	size_t n = strlen(settings_obj);
	char *buf = malloc(n + 512);
	dp_job_cfg *j;

	assert_non_null(buf);
	assert_true(n >= 2 && settings_obj[0] == '{');
	/* "{...}" -> "{" SRC ", ...}" */
	snprintf(buf, n + 512, "{" SRC "%s%s", n > 2 ? ", " : "", settings_obj + 1);
	j = parse_ok(buf);
	free(buf);
	return j;
}

/* to_json(s), printed, parsed back as an engine file: the same settings */
static void assert_round_trip(const dp_settings *s)
{
	cJSON *o = dp_settings_to_json(s);
	char *txt;
	dp_job_cfg *j;
	const dp_setting_def *d;

	assert_non_null(o);
	txt = cJSON_PrintUnformatted(o);
	assert_non_null(txt);
	j = parse_settings_text(txt);
	d = dp_settings_diff(&j->settings, s);
	if (d)
		fail_msg("%s differs after the round trip through %s", d->name, txt);
	dp_job_cfg_free(j);
	free(txt);
	cJSON_Delete(o);
}

/* The spec's JSON type of each setting (PUT /engine/{id}/update-settings/). */
static const struct { const char *name, *type; } spec_types[] = {
	{"seed_value", "integer"}, {"use_seed", "boolean"}, {"pii_model_settings", "object"},
	{"initialization_mode", "string"}, {"key_generation_method", "string"},
	{"n_parallel_pipeline_processes", "integer"}, {"default_n_training_rows", "integer"},
	{"default_read_random_subset", "boolean"}, {"default_sample_noise_ratio", "number"},
	{"default_max_n_feat_per_model", "integer"}, {"default_feat_model_train_order", "string"},
	{"default_max_sequence_length", "integer"}, {"default_end_of_sequence_token", "number"},
	{"default_cardinality_threshold", "integer"}, {"default_rare_category_replacement", "string"},
	{"default_clip_threshold", "integer"}, {"default_locale", "string"},
	{"default_pii_mock_replace", "boolean"}, {"default_noise_factor", "number"},
	{"default_text_processor_model_settings", "object"}, {"default_textpii_parallel_jobs", "integer"},
	{"default_textpii_scan_batch_size", "integer"}, {"default_cutoff_length", "integer"},
	{"default_long_sequence_threshold", "integer"}, {"default_min_sample_size", "integer"},
	{"default_fast_executemany", "boolean"}, {"default_drop_indexes", "boolean"},
	{"default_consistent_integer_shuffle_threshold", "integer"},
	{"default_order_by_nr_columns", "array"}, {"default_ray_memory_optimization", "boolean"},
	{"default_max_pending_tasks", "integer"},
};

static int json_is(const cJSON *v, const char *type)
{
	if (!strcmp(type, "integer"))
		return cJSON_IsNumber(v) && v->valuedouble == (double)(int64_t)v->valuedouble;
	if (!strcmp(type, "number")) return cJSON_IsNumber(v);
	if (!strcmp(type, "boolean")) return cJSON_IsBool(v);
	if (!strcmp(type, "string")) return cJSON_IsString(v);
	if (!strcmp(type, "object")) return cJSON_IsObject(v);
	if (!strcmp(type, "array")) return cJSON_IsArray(v);
	return 0;
}

static void test_to_json_defaults(void **st)
{
	dp_settings d;
	cJSON *o, *e;
	size_t n, k = 0;

	(void)st;
	assert_int_equal(dp_settings_defaults(&d), DP_OK);
	o = dp_settings_to_json(&d);
	assert_non_null(o);
	/* as a client sees it: printed, then parsed */
	{
		char *txt = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		o = cJSON_Parse(txt);
		free(txt);
		assert_non_null(o);
	}
	/* every setting, in the table's order, with the spec's name and type */
	assert_int_equal(cJSON_GetArraySize(o), sizeof(spec_types) / sizeof(spec_types[0]));
	dp_settings_defs(&n);
	assert_int_equal(n, sizeof(spec_types) / sizeof(spec_types[0]));
	cJSON_ArrayForEach(e, o) {
		assert_string_equal(e->string, spec_types[k].name);
		if (!json_is(e, spec_types[k].type))
			fail_msg("%s: not a JSON %s", e->string, spec_types[k].type);
		k++;
	}
	assert_string_equal(cJSON_GetObjectItem(o, "initialization_mode")->valuestring, "DE_IDENTIFY");
	assert_string_equal(cJSON_GetObjectItem(o, "default_feat_model_train_order")->valuestring, "schema");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "pii_model_settings"),
								"languages")), 5);
	assert_true(cJSON_GetObjectItem(o, "default_noise_factor")->valuedouble == 0.1);
	cJSON_Delete(o);
	assert_round_trip(&d);
	dp_settings_clear(&d);
}

static void test_to_json_every_setting_changed(void **st)
{
	char buf[4096];
	dp_job_cfg *j;
	dp_settings d;
	size_t n;
	const dp_setting_def *defs = dp_settings_defs(&n);
	const char **others = calloc(n, sizeof(*others));

	(void)st;
	assert_non_null(others);
	snprintf(buf, sizeof(buf), "{%s}", every_changed);
	j = parse_settings_text(buf);
	assert_int_equal(dp_settings_defaults(&d), DP_OK);
	assert_true(j->settings.seed_value == INT64_MAX);
	assert_int_equal(j->settings.feat_model_train_order, DP_ORDER_EXPLICIT);
	/* each row is changed: with all the others reset, exactly it differs */
	for (size_t i = 0; i < n; i++) {
		dp_settings c;
		dp_errbuf eb;
		size_t m = 0;
		dp_errbuf_clear(&eb);
		for (size_t k = 0; k < n; k++)
			if (k != i)
				others[m++] = defs[k].name;
		assert_int_equal(dp_settings_copy(&c, &j->settings), DP_OK);
		assert_int_equal(dp_settings_set_defaults(&c, others, m, &eb), DP_OK);
		if (dp_settings_diff(&c, &d) != &defs[i])
			fail_msg("%s: not changed by the test file (or not alone)", defs[i].name);
		dp_settings_clear(&c);
	}
	assert_round_trip(&j->settings);
	/* the other form of the train order, an exact-number seed at the edge
	 * of 2^53 and a ratio that needs 17 digits (cJSON would print 15) */
	j->settings.feat_model_train_order = DP_ORDER_CARDINALITY;
	j->settings.seed_value = -9007199254740991;
	j->settings.sample_noise_ratio = 0.1 + 0.2;
	assert_round_trip(&j->settings);
	{
		cJSON *o = dp_settings_to_json(&j->settings);
		assert_string_equal(cJSON_GetObjectItem(o, "default_feat_model_train_order")->valuestring,
				    "cardinality");
		char *txt = cJSON_PrintUnformatted(o);
		assert_non_null(strstr(txt, "\"seed_value\":-9007199254740991,"));
		assert_non_null(strstr(txt, "\"default_sample_noise_ratio\":0.30000000000000004,"));
		free(txt);
		cJSON_Delete(o);
	}
	free(others);
	dp_settings_clear(&d);
	dp_job_cfg_free(j);
}

static void test_set_defaults(void **st)
{
	char buf[4096];
	dp_job_cfg *j;
	dp_settings d, before;
	dp_errbuf eb;
	static const char *const some[] = { "default_locale", "pii_model_settings",
					    "default_feat_model_train_order" };
	static const char *const bad[] = { "default_locale", "default_colour" };

	(void)st;
	snprintf(buf, sizeof(buf), "{%s}", every_changed);
	j = parse_settings_text(buf);
	assert_int_equal(dp_settings_defaults(&d), DP_OK);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_settings_set_defaults(&j->settings, some, 3, &eb), DP_OK);
	assert_string_equal(j->settings.locale, "en");
	assert_int_equal(j->settings.pii.nlanguages, 5);
	assert_true(j->settings.pii.threshold == 0.5);
	assert_int_equal(j->settings.pii.use_name_rules, 1);
	assert_int_equal(j->settings.feat_model_train_order, DP_ORDER_SCHEMA);
	assert_int_equal(j->settings.max_pending_tasks, 16);           /* not named: kept */
	assert_string_equal(j->settings.rare_category_replacement, "<rare>");
	/* an unknown name is refused by name, before anything changes */
	assert_int_equal(dp_settings_copy(&before, &j->settings), DP_OK);
	assert_int_equal(dp_settings_set_defaults(&j->settings, bad, 2, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "default_colour: unknown setting"));
	assert_null(dp_settings_diff(&j->settings, &before));
	dp_settings_clear(&before);
	/* names == NULL: every setting */
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_settings_set_defaults(&j->settings, NULL, 0, &eb), DP_OK);
	assert_null(dp_settings_diff(&j->settings, &d));
	dp_settings_clear(&d);
	dp_job_cfg_free(j);
}

static void test_unknown_names(void **st)
{
	dp_errbuf eb;
	dp_settings d;
	static const char *const one[] = { "seed" };

	(void)st;
	assert_null(dp_settings_find("default_colour"));
	assert_null(dp_settings_find(NULL));
	assert_non_null(dp_settings_find("default_locale"));
	assert_int_equal(dp_settings_defaults(&d), DP_OK);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_settings_set_defaults(&d, one, 1, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "seed: unknown setting"));
	dp_settings_clear(&d);
	/* in an engine file, at every level */
	parse_err("{" SRC ", \"default_colour\": 1}", "default_colour: unknown setting or field");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"use_seed\": true}}}", "tables.o.use_seed: unknown field");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"columns\": {\"c\": {\"generator\": \"null\", \"default_max_pending_tasks\": 2}}}}}",
		  "tables.o.columns.c.default_max_pending_tasks: unknown field (known: generator, value, consistent, kind, default_locale)");
	parse_err("{" SRC ", \"default_text_processor_model_settings\": {\"n\": 2}}",
		  "default_text_processor_model_settings.n: unknown field (known: word_level, ngram_order, vocabulary_limit)");
	parse_err("{" SRC ", \"pii_model_settings\": {\"languages\": [\"en\", \"xx\"]}}",
		  "pii_model_settings.languages[1]: expected one of en, nl, de, fr, es, got \"xx\"");
	parse_err("{" SRC ", \"default_feat_model_train_order\": \"random\"}",
		  "default_feat_model_train_order: expected \"schema\", \"cardinality\" or an array of column names");
	parse_err("{\"source\": {\"connector_type\": \"postgresql\", \"hooks_params\": {\"SSL\": {\"ssl_mode\": \"prefer\"}}},"
		  " \"target\": {}}", "source.hooks_params.SSL.ssl_mode: expected one of disable, require, verify-ca, verify-full");
	parse_err("{" SRC ", \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"include_children\": \"some\"}}}}",
		  "tables.o.subset.include_children: expected one of all, none");
}

static void test_enum_tables(void **st)
{
	static const struct { const dp_enum_table *t; int first, last; const char *first_name, *last_name; } cases[] = {
		{ &dp_init_mode_names, DP_INIT_SYNTHESIZE, DP_INIT_FROM_SCRATCH, "SYNTHESIZE", "FROM_SCRATCH" },
		{ &dp_keygen_names, DP_KEYGEN_DUPLICATE, DP_KEYGEN_HASH, "duplicate", "hash" },
		{ &dp_mode_names, DP_MODE_SYNTHESIZE, DP_MODE_EXCLUDE, "SYNTHESIZE", "EXCLUDE" },
		{ &dp_train_order_names, DP_ORDER_SCHEMA, DP_ORDER_CARDINALITY, "schema", "cardinality" },
		{ &dp_children_names, DP_CHILDREN_ALL, DP_CHILDREN_NONE, "all", "none" },
		{ &dp_ssl_mode_names, DP_SSL_DISABLE, DP_SSL_VERIFY_FULL, "disable", "verify-full" },
		{ &dp_locale_names, 0, 4, "en", "es" },
	};
	dp_buf b = DP_BUF_INIT;

	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const dp_enum_table *t = cases[i].t;
		assert_int_equal(t->n, (size_t)(cases[i].last - cases[i].first + 1));
		assert_string_equal(dp_enum_name(t, cases[i].first), cases[i].first_name);
		assert_string_equal(dp_enum_name(t, cases[i].last), cases[i].last_name);
		assert_null(dp_enum_name(t, cases[i].first - 1));
		assert_null(dp_enum_name(t, cases[i].last + 1));
		/* name -> value -> name, for every name */
		for (int v = cases[i].first; v <= cases[i].last; v++) {
			int back = -99;
			assert_int_equal(dp_enum_value(t, dp_enum_name(t, v), &back), 0);
			assert_int_equal(back, v);
		}
		{
			int untouched = -99;
			assert_int_equal(dp_enum_value(t, "no-such-name", &untouched), -1);
			assert_int_equal(dp_enum_value(t, NULL, &untouched), -1);
			assert_int_equal(untouched, -99);
		}
	}
	assert_int_equal(dp_enum_list(&dp_keygen_names, ", ", "\"", &b), DP_OK);
	assert_string_equal(dp_buf_str(&b), "\"duplicate\", \"generate\", \"hash\"");
	dp_buf_free(&b);
	/* the name helpers the engine prints with come from the same tables */
	assert_string_equal(dp_mode_name(DP_MODE_SUBSET), "SUBSET");
	assert_string_equal(dp_mode_name(DP_MODE_UNSET), "UNSET");
	assert_string_equal(dp_init_mode_name(DP_INIT_MOCK_OR_MASK), "MOCK_OR_MASK");
	assert_string_equal(dp_keygen_name(DP_KEYGEN_GENERATE), "generate");
	assert_string_equal(dp_keygen_name((dp_keygen)7), "?");
	/* and the settings' choices are those tables */
	assert_ptr_equal(dp_settings_find("initialization_mode")->choices, &dp_init_mode_names);
	assert_ptr_equal(dp_settings_find("key_generation_method")->choices, &dp_keygen_names);
	assert_ptr_equal(dp_settings_find("default_locale")->choices, &dp_locale_names);
	{
		dp_job_cfg *j = parse_ok("{" SRC ", \"initialization_mode\": \"FROM_SCRATCH\","
					 " \"tables\": {\"o\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5, \"include_children\": \"none\"}}}}");
		assert_int_equal(j->settings.initialization_mode, DP_INIT_FROM_SCRATCH);
		assert_int_equal(j->tables[0].mode, DP_MODE_SUBSET);
		assert_int_equal(j->tables[0].subset.include_children, DP_CHILDREN_NONE);
		dp_job_cfg_free(j);
	}
}

/* The rows themselves: defaults parse, kinds fit, owned memory is known. */
static void test_table_rows(void **st)
{
	size_t n, no;
	const dp_setting_def *d = dp_settings_defs(&n);
	const dp_owned_field *o = dp_settings_owned(&no);
	dp_settings s;

	(void)st;
	assert_int_equal(dp_settings_defaults(&s), DP_OK);   /* fails if a row is broken */
	dp_settings_clear(&s);
	for (size_t i = 0; i < n; i++) {
		assert_true(d[i].per_table || !d[i].per_column);
		assert_true(d[i].ctype == DP_C_NONE || d[i].size > 0);
		for (size_t k = 0; k < d[i].nfields; k++)
			assert_non_null(strstr(d[i].def, d[i].fields[k].name));
	}
	/* every owned field belongs to some row (none left over) */
	for (size_t k = 0; k < no; k++) {
		int found = 0;
		for (size_t i = 0; i < n; i++) {
			found |= d[i].list_off == o[k].off || (d[i].ctype == DP_C_STR && d[i].off == o[k].off);
			for (size_t f = 0; f < d[i].nfields; f++)
				found |= d[i].fields[f].list_off == o[k].off && d[i].fields[f].kind == DP_SK_STRLIST;
		}
		if (!found)
			fail_msg("owned[%zu] is no setting's field", k);
	}
}

/* The README's table is this program's output, byte for byte. */
static void test_readme_table(void **st)
{
	const char *root = getenv("ROOT");
	char path[4096], *text = NULL, *gen = NULL, *a, *b;
	size_t len = 0, glen = 0;
	FILE *f, *m;

	(void)st;
	snprintf(path, sizeof(path), "%s/README.md", root ? root : ".");
	f = fopen(path, "r");
	if (!f) {
		printf("skipped: no %s (set ROOT)\n", path);
		return;
	}
	m = open_memstream(&text, &len);
	{
		char chunk[4096];
		size_t k;
		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, k, m);
	}
	fclose(f);
	fclose(m);
	a = strstr(text, "<!-- settings:begin");
	assert_non_null(a);
	a = strchr(a, '\n') + 1;
	b = strstr(a, "<!-- settings:end -->");
	assert_non_null(b);
	m = open_memstream(&gen, &glen);
	dp_settings_print_list(m, 1);
	fclose(m);
	if ((size_t)(b - a) != glen || memcmp(a, gen, glen))
		fail_msg("README.md's settings table differs from `doppel settings --list --markdown`");
	free(text);
	free(gen);
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
		cmocka_unit_test(test_trailing_data),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_conn_fields_used),
		cmocka_unit_test(test_generator_fields),
		cmocka_unit_test(test_subset_fields),
		cmocka_unit_test(test_numbers_exact),
		cmocka_unit_test(test_seed_value_exact),
		cmocka_unit_test(test_to_json_defaults),
		cmocka_unit_test(test_to_json_every_setting_changed),
		cmocka_unit_test(test_set_defaults),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_enum_tables),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_readme_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
