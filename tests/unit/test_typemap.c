/* tests/unit/test_typemap.c - one case per cross-engine type rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "connectors/typemap.h"

typedef struct tcase {
	const char *src, *decl, *tgt;
	int in_key;
	const char *want;     /* NULL: must be refused */
} tcase;

static const tcase cases[] = {
	/* same engine: verbatim */
	{"postgresql", "character varying(40)", "postgresql", 0, "character varying(40)"},
	{"mysql", "enum('a','b')", "mysql", 0, "enum('a','b')"},
	{"sqlite", "NVARCHAR(160)", "sqlite", 0, "NVARCHAR(160)"},
	/* integers, reals */
	{"sqlite", "INTEGER", "postgresql", 0, "bigint"},
	{"sqlite", "INTEGER", "mysql", 0, "BIGINT"},
	{"mysql", "int(11)", "sqlite", 0, "INTEGER"},
	{"postgresql", "double precision", "mysql", 0, "DOUBLE"},
	{"mysql", "float", "postgresql", 0, "real"},   /* single precision stays single */
	/* exact numerics */
	{"sqlite", "NUMERIC(10,2)", "postgresql", 0, "numeric(10,2)"},
	{"postgresql", "numeric(10,2)", "mysql", 0, "DECIMAL(10,2)"},
	{"postgresql", "numeric", "mysql", 0, "DECIMAL(65,30)"},
	{"postgresql", "numeric(80,2)", "mysql", 0, NULL},
	{"postgresql", "numeric(40,35)", "mysql", 0, NULL},
	/* into SQLite exact decimals get no affinity (NUMERIC affinity would make
	 * a double of every decimal-looking text): see typemap.c */
	{"mysql", "decimal(10,2)", "sqlite", 0, "DECIMAL BLOB(10,2)"},
	{"postgresql", "numeric(38,10)", "sqlite", 0, "DECIMAL BLOB(38,10)"},
	{"postgresql", "numeric", "sqlite", 0, "DECIMAL BLOB"},
	{"mysql", "decimal(65,30)", "sqlite", 0, "DECIMAL BLOB(65,30)"},
	{"mysql", "decimal(65,30)", "postgresql", 0, "numeric(65,30)"},
	{"postgresql", "numeric(38,10)", "mysql", 0, "DECIMAL(38,10)"},
	{"sqlite", "DECIMAL BLOB(38,10)", "postgresql", 0, "numeric(38,10)"},
	{"sqlite", "DECIMAL BLOB", "mysql", 0, "DECIMAL(65,30)"},
	/* unsigned 64-bit integers do not fit a signed bigint */
	{"mysql", "bigint(20) unsigned", "postgresql", 0, "numeric(20,0)"},
	{"mysql", "bigint(20) unsigned", "sqlite", 0, "DECIMAL BLOB(20,0)"},
	{"mysql", "int(10) unsigned", "postgresql", 0, "bigint"},
	{"postgresql", "real", "sqlite", 0, "REAL"},
	{"postgresql", "double precision", "sqlite", 0, "REAL"},
	/* text */
	{"sqlite", "NVARCHAR(40)", "postgresql", 0, "varchar(40)"},
	{"postgresql", "text", "mysql", 0, "LONGTEXT"},
	{"postgresql", "text", "mysql", 1, "VARCHAR(768)"},
	{"postgresql", "character varying(20000)", "mysql", 0, "LONGTEXT"},
	{"mysql", "varchar(40)", "postgresql", 0, "varchar(40)"},
	/* binary, bool, dates, others */
	{"postgresql", "bytea", "mysql", 0, "LONGBLOB"},
	{"postgresql", "bytea", "mysql", 1, "VARBINARY(3072)"},
	{"mysql", "blob", "postgresql", 0, "bytea"},
	{"postgresql", "boolean", "mysql", 0, "TINYINT(1)"},
	{"mysql", "date", "postgresql", 0, "date"},
	{"sqlite", "DATETIME", "postgresql", 0, "timestamp"},
	{"postgresql", "timestamp without time zone", "mysql", 0, "DATETIME(6)"},
	{"postgresql", "time without time zone", "mysql", 0, "TIME(6)"},
	{"postgresql", "uuid", "mysql", 0, "CHAR(36)"},
	{"postgresql", "jsonb", "mysql", 0, "JSON"},
	{"mysql", "json", "postgresql", 0, "jsonb"},
	{"postgresql", "uuid", "sqlite", 0, "TEXT"},
	/* zoned times: UTC DATETIME in MySQL, the offset kept elsewhere */
	{"postgresql", "timestamp with time zone", "mysql", 0, "DATETIME(6)"},
	{"postgresql", "timestamp with time zone", "sqlite", 0, "TIMESTAMP WITH TIME ZONE"},
	{"postgresql", "time with time zone", "mysql", 0, "TIME(6)"},
	{"postgresql", "time with time zone", "sqlite", 0, "TIME WITH TIME ZONE"},
	{"sqlite", "TIMESTAMP WITH TIME ZONE", "postgresql", 0, "timestamp with time zone"},
	{"sqlite", "timestamptz", "postgresql", 0, "timestamp with time zone"},
	{"postgresql", "timestamp without time zone", "sqlite", 0, "DATETIME"},
	{"postgresql", "date", "sqlite", 0, "DATE"},
	{"postgresql", "time without time zone", "sqlite", 0, "TIME"},
	/* interval has no counterpart: its text form, in a text column (it used
	 * to be taken for an integer: "INTerval") */
	{"postgresql", "interval", "mysql", 0, "LONGTEXT"},
	{"postgresql", "interval day to second(3)", "mysql", 0, "LONGTEXT"},
	{"postgresql", "interval", "sqlite", 0, "TEXT"},
	{"postgresql", "interval", "postgresql", 0, "interval"},
};

static void test_rules(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const tcase *c = &cases[i];
		dp_column col;
		dp_buf out = DP_BUF_INIT;
		dp_errbuf eb;
		int rc;

		memset(&col, 0, sizeof(col));
		col.name = (char *)"c";
		col.type_decl = (char *)c->decl;
		dp_classify_type(c->decl, &col);
		dp_errbuf_clear(&eb);
		rc = dp_typemap("t", &col, c->src, c->tgt, c->in_key, &out, &eb);
		if (!c->want) {
			if (rc != DP_ERR_CONFIG)
				fail_msg("case %zu (%s %s -> %s): expected a refusal, got \"%s\"", i, c->src,
					 c->decl, c->tgt, dp_buf_str(&out));
			/* the message names table.column and both types */
			assert_non_null(strstr(eb.msg, "t.c"));
			assert_non_null(strstr(eb.msg, c->decl));
			assert_non_null(strstr(eb.msg, c->tgt));
		} else if (rc || strcmp(dp_buf_str(&out), c->want)) {
			fail_msg("case %zu (%s %s -> %s): want \"%s\", got \"%s\" (%s)", i, c->src, c->decl,
				 c->tgt, c->want, dp_buf_str(&out), eb.msg);
		}
		dp_buf_free(&out);
	}
}

/* generated columns: verbatim within an engine, refused across (plan
 * time); composite types refused everywhere; both name table.column */
static void test_generated_and_composite(void **st)
{
	static const struct { const char *src, *tgt; int generated, composite, refused; } gcases[] = {
		{"postgresql", "postgresql", 1, 0, 0},
		{"mysql", "mysql", 1, 0, 0},
		{"postgresql", "mysql", 1, 0, 1},
		{"postgresql", "sqlite", 1, 0, 1},
		{"mysql", "postgresql", 1, 0, 1},
		{"mysql", "sqlite", 1, 0, 1},
		{"postgresql", "postgresql", 0, 1, 1},
		{"postgresql", "mysql", 0, 1, 1},
		{"postgresql", "sqlite", 0, 1, 1},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(gcases) / sizeof(gcases[0]); i++) {
		dp_column col;
		dp_buf out = DP_BUF_INIT;
		dp_errbuf eb;
		int rc;

		memset(&col, 0, sizeof(col));
		col.name = (char *)"total";
		col.type_decl = (char *)(gcases[i].composite ? "addr" : "numeric(12,2)");
		dp_classify_type(col.type_decl, &col);
		if (gcases[i].composite) {
			col.tclass = DP_T_TEXT;
			col.user_type = (char *)"addr";
		}
		if (gcases[i].generated) {
			col.generated = (char *)"(price * qty)";
			col.generated_stored = 1;
		}
		dp_errbuf_clear(&eb);
		rc = dp_typemap("line", &col, gcases[i].src, gcases[i].tgt, 0, &out, &eb);
		if (gcases[i].refused) {
			if (rc != DP_ERR_CONFIG)
				fail_msg("case %zu: %s -> %s accepted as \"%s\"", i, gcases[i].src, gcases[i].tgt,
					 dp_buf_str(&out));
			assert_non_null(strstr(eb.msg, "line.total"));
			assert_non_null(strstr(eb.msg, gcases[i].composite ? "composite type addr"
					       : "generated column"));
		} else if (rc || strcmp(dp_buf_str(&out), "numeric(12,2)")) {
			fail_msg("case %zu: %s -> %s: \"%s\" (%s)", i, gcases[i].src, gcases[i].tgt,
				 dp_buf_str(&out), eb.msg);
		}
		dp_buf_free(&out);
	}
}

/* the value rules writers apply: decimals that fit, SQLite storage, UTC */
static void test_value_rules(void **st)
{
	static const struct { const char *s; int ip, fp, fits; } fits[] = {
		{"12345678901234567890.1234567890", 35, 30, 1},
		{"1.500000000000000000000000000000000000", 35, 30, 1},   /* trailing zeros */
		{"0.0000000000000000000000000000001", 35, 30, 0},       /* 31 after the point */
		{"123456789012345678901234567890123456", 35, 30, 0},    /* 36 before */
		{"-00012.50", 1, 1, 0}, {"-00012.50", 2, 1, 1},
		{"NaN", 35, 30, 0}, {"Infinity", 35, 30, 0}, {"1e-300", 35, 30, 0}, {"1.5e2", 3, 0, 1},
	};
	static const struct { const char *s; int kind; int64_t i; double d; } store[] = {
		{"9223372036854775807", 0, 0, 0},            /* 19 digits: TEXT, exact */
		{"922337203685477580", 1, 922337203685477580LL, 0},
		{"-42.000", 1, -42, 0},
		{"0.1", 2, 0, 0.1},
		{"123456789012.345", 2, 0, 123456789012.345},
		{"1234567890123456789.1234567890", 0, 0, 0},
		{"0.30000000000000004", 0, 0, 0},           /* 17 significant digits */
		{"NaN", 0, 0, 0}, {"Infinity", 0, 0, 0},
	};
	static const struct { const char *in; int is_time; int rc; const char *out; } utc[] = {
		{"2024-03-10 12:00:00+02", 0, 1, "2024-03-10 10:00:00"},
		{"2024-01-01 01:30:00.123456+05:30", 0, 1, "2023-12-31 20:00:00.123456"},
		{"2023-12-31 22:00:00-03", 0, 1, "2024-01-01 01:00:00"},
		{"1900-01-01 00:00:00+00:19:32", 0, 1, "1899-12-31 23:40:28"},
		{"2024-02-28 23:00:00-02:00", 0, 1, "2024-02-29 01:00:00"},
		{"2024-06-01 10:00:00", 0, 0, ""},
		{"infinity", 0, -1, ""},
		{"0044-03-15 12:00:00+00 BC", 0, -1, ""},
		{"12:00:00+02", 1, 1, "10:00:00"},
		{"01:00:00.5+03", 1, 1, "22:00:00.5"},
		{"23:30:00-01", 1, 1, "00:30:00"},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
		if (dp_decimal_fits(fits[i].s, strlen(fits[i].s), fits[i].ip, fits[i].fp) != fits[i].fits)
			fail_msg("dp_decimal_fits(%s, %d, %d) != %d", fits[i].s, fits[i].ip, fits[i].fp,
				 fits[i].fits);
	for (size_t i = 0; i < sizeof(store) / sizeof(store[0]); i++) {
		int64_t iv = 0;
		double dv = 0;
		int k = dp_decimal_storage(store[i].s, strlen(store[i].s), &iv, &dv);
		if (k != store[i].kind || (k == 1 && iv != store[i].i) || (k == 2 && dv != store[i].d))
			fail_msg("dp_decimal_storage(%s) = %d", store[i].s, k);
	}
	for (size_t i = 0; i < sizeof(utc) / sizeof(utc[0]); i++) {
		char out[64] = "";
		int rc = dp_time_to_utc(utc[i].in, strlen(utc[i].in), utc[i].is_time, out, sizeof(out));
		if ((rc > 0) - (rc < 0) != utc[i].rc || (rc > 0 && strcmp(out, utc[i].out)))
			fail_msg("dp_time_to_utc(%s) = %d \"%s\", want \"%s\"", utc[i].in, rc, out, utc[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_generated_and_composite),
		cmocka_unit_test(test_value_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
