/* tests/unit/test_typemap.c - one case per cross-engine type rule; the
 * CHECKs, key widths, name cuts and error excerpts of the target limits;
 * README.md's "What is carried, mapped or refused" tables against the
 * rules table (DOPPEL_PRINT_README=1 prints them as they should be). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "connectors/typemap.h"
#include "connectors/dialect.h"

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
	/* widths kept: 2-byte, 4-byte and single-precision stay so */
	{"postgresql", "smallint", "mysql", 0, "SMALLINT"},
	{"postgresql", "smallint", "sqlite", 0, "SMALLINT"},
	{"postgresql", "integer", "mysql", 0, "INT"},
	{"postgresql", "integer", "sqlite", 0, "INTEGER"},
	{"postgresql", "bigint", "mysql", 0, "BIGINT"},
	{"mysql", "tinyint(4)", "postgresql", 0, "smallint"},
	{"mysql", "tinyint(3) unsigned", "postgresql", 0, "smallint"},
	{"mysql", "smallint(6)", "postgresql", 0, "smallint"},
	{"mysql", "smallint(5) unsigned", "postgresql", 0, "integer"},
	{"mysql", "mediumint(9)", "postgresql", 0, "integer"},
	{"mysql", "int(11)", "postgresql", 0, "integer"},
	{"mysql", "year(4)", "postgresql", 0, "smallint"},
	{"mysql", "smallint(6)", "sqlite", 0, "SMALLINT"},
	{"sqlite", "SMALLINT", "postgresql", 0, "smallint"},
	{"sqlite", "TINYINT", "mysql", 0, "SMALLINT"},
	{"sqlite", "INT2", "postgresql", 0, "smallint"},
	{"sqlite", "MEDIUMINT", "postgresql", 0, "integer"},
	{"sqlite", "INT4", "mysql", 0, "INT"},
	{"sqlite", "INT", "postgresql", 0, "bigint"},
	{"sqlite", "BIGINT", "postgresql", 0, "bigint"},
	{"sqlite", "UNSIGNED BIG INT", "postgresql", 0, "bigint"},
	{"sqlite", "INT8", "mysql", 0, "BIGINT"},
	{"postgresql", "real", "mysql", 0, "FLOAT"},
	{"mysql", "float(10,2)", "postgresql", 0, "real"},
	{"mysql", "double", "postgresql", 0, "double precision"},
	{"mysql", "double", "sqlite", 0, "REAL"},
	{"sqlite", "REAL", "postgresql", 0, "double precision"},
	{"sqlite", "DOUBLE PRECISION", "mysql", 0, "DOUBLE"},
	{"sqlite", "FLOAT", "postgresql", 0, "double precision"},
	/* exact decimals from SQLite's spellings; too wide refused */
	{"sqlite", "NUMERIC", "postgresql", 0, "numeric"},
	{"sqlite", "DECIMAL(10,5)", "postgresql", 0, "numeric(10,5)"},
	{"sqlite", "DECIMAL(10,5)", "mysql", 0, "DECIMAL(10,5)"},
	{"sqlite", "NUMERIC(1200,2)", "postgresql", 0, NULL},
	{"sqlite", "NUMERIC(70,2)", "mysql", 0, NULL},
	{"postgresql", "money", "mysql", 0, "DECIMAL(19,2)"},
	{"postgresql", "money", "sqlite", 0, "DECIMAL BLOB(19,2)"},
	/* booleans */
	{"mysql", "tinyint(1)", "postgresql", 0, "boolean"},
	{"sqlite", "BOOLEAN", "mysql", 0, "TINYINT(1)"},
	{"sqlite", "BOOLEAN", "postgresql", 0, "boolean"},
	/* character types: fixed stays fixed, SQLite's spellings */
	{"postgresql", "character(3)", "mysql", 0, "CHAR(3)"},
	{"postgresql", "character(3)", "sqlite", 0, "CHAR(3)"},
	{"postgresql", "character(300)", "mysql", 0, "VARCHAR(300)"},
	{"mysql", "char(10)", "postgresql", 0, "char(10)"},
	{"sqlite", "CHARACTER(20)", "postgresql", 0, "char(20)"},
	{"sqlite", "NCHAR(55)", "postgresql", 0, "char(55)"},
	{"sqlite", "NATIVE CHARACTER(70)", "postgresql", 0, "char(70)"},
	{"sqlite", "VARYING CHARACTER(255)", "postgresql", 0, "varchar(255)"},
	{"sqlite", "CLOB", "postgresql", 0, "text"},
	{"sqlite", "TEXT", "mysql", 0, "LONGTEXT"},
	{"mysql", "mediumtext", "postgresql", 0, "text"},
	{"mysql", "tinytext", "sqlite", 0, "TEXT"},
	/* collations: NOCASE kept where the target has it */
	{"sqlite", "TEXT COLLATE NOCASE", "mysql", 0, "LONGTEXT COLLATE utf8mb4_general_ci"},
	{"sqlite", "VARCHAR(20) COLLATE NOCASE", "mysql", 0, "VARCHAR(20) COLLATE utf8mb4_general_ci"},
	{"sqlite", "VARCHAR(20) COLLATE NOCASE", "postgresql", 0, "varchar(20)"},
	{"sqlite", "TEXT COLLATE RTRIM", "mysql", 0, "LONGTEXT"},
	{"postgresql", "citext", "sqlite", 0, "TEXT COLLATE NOCASE"},
	{"mysql", "varchar(30) COLLATE utf8mb4_unicode_ci", "sqlite", 0, "VARCHAR(30) COLLATE NOCASE"},
	{"mysql", "text COLLATE utf8mb4_general_ci", "postgresql", 0, "text"},
	{"mysql", "varchar(30) COLLATE utf8mb4_bin", "sqlite", 0, "VARCHAR(30)"},
	{"postgresql", "citext", "mysql", 0, "LONGTEXT COLLATE utf8mb4_general_ci"},
	/* ENUM and SET: text of the widest value (+ a CHECK, test_checks) */
	{"mysql", "enum('a','bb','ccc')", "postgresql", 0, "varchar(3)"},
	{"mysql", "enum('a','bb','ccc')", "sqlite", 0, "TEXT"},
	{"mysql", "set('x','yy')", "postgresql", 0, "varchar(4)"},
	{"mysql", "set('x','yy')", "sqlite", 0, "TEXT"},
	/* bytes: BLOB, BIT, geometry never a number */
	{"sqlite", "BLOB", "mysql", 0, "LONGBLOB"},
	{"sqlite", "", "postgresql", 0, "bytea"},
	{"mysql", "varbinary(16)", "postgresql", 0, "bytea"},
	{"mysql", "bit(8)", "postgresql", 0, "bytea"},
	{"mysql", "bit(8)", "sqlite", 0, "BLOB"},
	{"mysql", "geometry", "sqlite", 0, "BLOB"},
	{"mysql", "point", "sqlite", 0, "BLOB"},
	{"mysql", "polygon", "sqlite", 0, "BLOB"},
	{"mysql", "point", "postgresql", 0, NULL},   /* read as text by mysql.c: refused */
	{"postgresql", "bit(8)", "mysql", 0, "VARCHAR(8)"},
	{"postgresql", "bit varying(5)", "mysql", 0, "VARCHAR(5)"},
	{"postgresql", "bit(8)", "sqlite", 0, "TEXT"},
	/* times: the zone meaning kept */
	{"mysql", "timestamp", "postgresql", 0, "timestamp with time zone"},
	{"mysql", "timestamp(6)", "sqlite", 0, "TIMESTAMP WITH TIME ZONE"},
	{"mysql", "datetime(6)", "postgresql", 0, "timestamp"},
	{"mysql", "datetime", "sqlite", 0, "DATETIME"},
	{"mysql", "time", "postgresql", 0, "time"},
	{"postgresql", "timestamp(3) without time zone", "mysql", 0, "DATETIME(6)"},
	{"sqlite", "TIMESTAMP", "mysql", 0, "DATETIME(6)"},
	{"sqlite", "DATE", "mysql", 0, "DATE"},
	/* uuid, json, arrays, network, others */
	{"mysql", "uuid", "postgresql", 0, "uuid"},
	{"sqlite", "UUID", "postgresql", 0, "uuid"},
	{"postgresql", "json", "mysql", 0, "JSON"},
	{"postgresql", "json", "sqlite", 0, "TEXT"},
	{"sqlite", "JSON", "postgresql", 0, "json"},
	{"postgresql", "jsonb", "sqlite", 0, "TEXT"},
	{"postgresql", "integer[]", "mysql", 0, "LONGTEXT"},
	{"postgresql", "text[]", "sqlite", 0, "TEXT"},
	{"postgresql", "inet", "mysql", 0, NULL},   /* pg.c classifies it numeric: refused (test_fixed_drivers) */
	{"postgresql", "cidr", "sqlite", 0, "TEXT"},
	{"postgresql", "macaddr", "mysql", 0, NULL},   /* classified numeric by pg.c */
	{"mysql", "inet6", "postgresql", 0, "inet"},
	{"postgresql", "point", "mysql", 0, "LONGTEXT"},
	{"postgresql", "xml", "mysql", 0, NULL},       /* classified numeric by pg.c */
	{"postgresql", "xml", "sqlite", 0, "TEXT"},
	{"sqlite", "ANY", "postgresql", 0, "text"},
	/* key columns: 64-bit unsigned keys stay integers (identity, FKs) */
	{"mysql", "bigint(20) unsigned", "postgresql", 1, "bigint"},
	{"mysql", "bigint(20) unsigned", "sqlite", 1, "INTEGER"},
	{"postgresql", "text", "mysql", 300, "VARCHAR(300)"},
	{"postgresql", "character varying(1000)", "mysql", 300, "VARCHAR(300)"},
	{"postgresql", "character varying(100)", "mysql", 300, "VARCHAR(100)"},
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
 * time); composite types carried within PostgreSQL (the type is created
 * first), refused to other engines; both name table.column */
static void test_generated_and_composite(void **st)
{
	static const struct { const char *src, *tgt; int generated, composite, refused; } gcases[] = {
		{"postgresql", "postgresql", 1, 0, 0},
		{"mysql", "mysql", 1, 0, 0},
		{"postgresql", "mysql", 1, 0, 1},
		{"postgresql", "sqlite", 1, 0, 1},
		{"mysql", "postgresql", 1, 0, 1},
		{"mysql", "sqlite", 1, 0, 1},
		{"postgresql", "postgresql", 0, 1, 0},
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
		} else if (rc || strcmp(dp_buf_str(&out), gcases[i].composite ? "addr" : "numeric(12,2)")) {
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

/* Types a driver classifies by the generic rules today (inet: numeric,
 * MySQL geometry: integer/numeric) are refused where the writer would
 * misread them; with the class a driver should give them, mapped. */
static void test_fixed_drivers(void **st)
{
	static const struct { const char *src, *decl; dp_tclass cls; const char *tgt, *want; } fc[] = {
		{"postgresql", "inet", DP_T_TEXT, "mysql", "VARCHAR(43)"},
		{"postgresql", "cidr", DP_T_TEXT, "mysql", "VARCHAR(43)"},
		{"postgresql", "xml", DP_T_TEXT, "mysql", "LONGTEXT"},
		{"mysql", "point", DP_T_BLOB, "postgresql", "bytea"},
		{"mysql", "geometry", DP_T_BLOB, "postgresql", "bytea"},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(fc) / sizeof(fc[0]); i++) {
		dp_column col;
		dp_buf out = DP_BUF_INIT;
		dp_errbuf eb;
		memset(&col, 0, sizeof(col));
		col.name = (char *)"c";
		col.type_decl = (char *)fc[i].decl;
		col.tclass = fc[i].cls;
		dp_errbuf_clear(&eb);
		if (dp_typemap("t", &col, fc[i].src, fc[i].tgt, 0, &out, &eb) || strcmp(dp_buf_str(&out), fc[i].want))
			fail_msg("%s %s -> %s: want %s, got [%s] (%s)", fc[i].src, fc[i].decl, fc[i].tgt, fc[i].want,
				 dp_buf_str(&out), eb.msg);
		dp_buf_free(&out);
	}
}

/* ENUM and SET become CHECKs; nothing for other columns or same engine */
static void test_checks(void **st)
{
	static const struct { const char *decl, *tgt, *want; } ccases[] = {
		{"enum('a','b''c')", "postgresql", "CHECK (\"c\" IN ('a', 'b''c'))"},
		{"enum('a','b''c')", "sqlite", "CHECK (\"c\" IN ('a', 'b''c'))"},
		{"set('x','yy')", "postgresql",
		 "CHECK (\"c\" = '' OR replace(replace(',' || \"c\" || ',', ',x,', ','), ',yy,', ',') = ',')"},
		{"enum('a')", "mysql", ""},
		{"varchar(10)", "postgresql", ""},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(ccases) / sizeof(ccases[0]); i++) {
		dp_column col;
		dp_buf out = DP_BUF_INIT;
		memset(&col, 0, sizeof(col));
		col.name = (char *)"c";
		col.type_decl = (char *)ccases[i].decl;
		dp_classify_type(ccases[i].decl, &col);
		assert_int_equal(dp_typemap_check(&col, "mysql", ccases[i].tgt, '"', &out), DP_OK);
		if (strcmp(dp_buf_str(&out), ccases[i].want))
			fail_msg("check %zu: want [%s], got [%s]", i, ccases[i].want, dp_buf_str(&out));
		dp_buf_free(&out);
	}
}

/* A table of the given column declarations (SQLite spellings), with the
 * first npk of them as its primary key. */
static dp_table *mk_table(dp_schema *s, const char *name, const char *const *decls, size_t n, size_t npk)
{
	dp_table *t;
	assert_int_equal(dp_schema_add_table(s, name, &t), DP_OK);
	for (size_t i = 0; i < n; i++) {
		char cn[16];
		dp_column *c;
		snprintf(cn, sizeof(cn), "c%zu", i);
		assert_int_equal(dp_table_add_column(t, cn, decls[i], &c), DP_OK);
		c->pk_pos = i < npk ? (int)i + 1 : 0;
	}
	assert_int_equal(dp_table_finish_pk(t), DP_OK);
	return t;
}

/* MySQL keys: 3072 bytes shared out; too wide refused at plan time */
static void test_key_chars(void **st)
{
	static const char *const two_text[] = {"TEXT", "TEXT", "INTEGER"};
	static const char *const mixed[] = {"VARCHAR(100)", "TEXT"};
	static const char *const with_int[] = {"INTEGER", "TEXT", "TEXT"};
	static const char *const bounded[] = {"VARCHAR(500)", "VARCHAR(500)"};
	dp_schema *s = calloc(1, sizeof(*s));
	dp_table *t;
	dp_errbuf eb;
	dp_sql q;
	(void)st;
	assert_non_null(s);
	t = mk_table(s, "k1", two_text, 3, 2);
	assert_int_equal(dp_typemap_key_chars(t, 0, "sqlite"), 384);
	assert_int_equal(dp_typemap_key_chars(t, 1, "sqlite"), 384);
	assert_int_equal(dp_typemap_key_chars(t, 2, "sqlite"), 0);      /* in no key */
	t = mk_table(s, "k2", mixed, 2, 2);
	assert_int_equal(dp_typemap_key_chars(t, 0, "sqlite"), 100);   /* fits its share: kept */
	assert_int_equal(dp_typemap_key_chars(t, 1, "sqlite"), (3072 - 400) / 4);
	t = mk_table(s, "k3", with_int, 3, 3);
	assert_int_equal(dp_typemap_key_chars(t, 1, "sqlite"), (3072 - 8) / 4 / 2);
	t = mk_table(s, "k4", bounded, 2, 2);
	assert_int_equal(dp_typemap_key_chars(t, 0, "sqlite"), 384);   /* 2 x 500 x 4 > 3072 */
	/* the CREATE TABLE a MySQL target gets */
	t = &s->tables[0];
	dp_errbuf_clear(&eb);
	dp_sql_init(&q, '`');
	assert_int_equal(dp_sql_create_table(&q, &dp_mysql_dialect, NULL, t, "sqlite", 1, &eb), DP_OK);
	if (!strstr(dp_sql_str(&q), "`c0` VARCHAR(384)") || !strstr(dp_sql_str(&q), "`c1` VARCHAR(384)") ||
	    !strstr(dp_sql_str(&q), "PRIMARY KEY (`c0`, `c1`)"))
		fail_msg("CREATE TABLE: %s", dp_sql_str(&q));
	dp_sql_free(&q);
	dp_schema_free(s);
}

/* identifiers longer than the target allows: refused, naming them */
static void test_identifiers(void **st)
{
	char longname[80];
	dp_column col;
	dp_buf out = DP_BUF_INIT;
	dp_errbuf eb;
	(void)st;
	memset(longname, 'x', 70);
	longname[70] = '\0';
	memset(&col, 0, sizeof(col));
	col.name = longname;
	col.type_decl = (char *)"INTEGER";
	dp_classify_type(col.type_decl, &col);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_typemap("t", &col, "sqlite", "mysql", 0, &out, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "t.xxxxxxxx"));
	assert_non_null(strstr(eb.msg, "70 characters long; mysql allows 64"));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_typemap("t", &col, "sqlite", "postgresql", 0, &out, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "postgresql allows 63"));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_typemap("t", &col, "sqlite", "sqlite", 0, &out, &eb), DP_OK);
	dp_buf_free(&out);
}

/* index names: prefixed per schema, cut with a hash, deterministic */
static void test_index_names(void **st)
{
	char a[64], b[64], c[64];
	dp_table t;
	dp_index ix;
	(void)st;
	memset(&t, 0, sizeof(t));
	memset(&ix, 0, sizeof(ix));
	t.name = (char *)"orders";
	ix.name = (char *)"idx_created";
	dp_sql_index_name(&dp_pg_dialect, &t, &ix, a, sizeof(a));
	assert_string_equal(a, "orders_idx_created");
	t.name = (char *)"a_table_with_a_rather_long_name_for_testing_cuts";
	ix.name = (char *)"an_index_with_a_long_name_number_1";
	dp_sql_index_name(&dp_pg_dialect, &t, &ix, a, sizeof(a));
	ix.name = (char *)"an_index_with_a_long_name_number_2";
	dp_sql_index_name(&dp_pg_dialect, &t, &ix, b, sizeof(b));
	dp_sql_index_name(&dp_pg_dialect, &t, &ix, c, sizeof(c));
	assert_int_equal(strlen(a), 63);
	assert_int_equal(strlen(b), 63);
	assert_string_not_equal(a, b);      /* same 54-byte head, other hash */
	assert_string_equal(b, c);          /* deterministic */
	assert_int_equal(strncmp(a, "a_table_with_a_rather_long_name_for_testing_cuts_an_ind", 54), 0);
}

/* a failing statement is shown whole, or around the failing part */
static void test_excerpt(void **st)
{
	char sql[4096], out[600];
	(void)st;
	snprintf(sql, sizeof(sql), "CREATE TABLE t (%s, BROKEN_HERE int, %s, PRIMARY KEY (a, b))",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	dp_sql_excerpt("SELECT 1", "x", -1, 100, out, sizeof(out));
	assert_string_equal(out, "SELECT 1");
	dp_sql_excerpt(sql, "near \"BROKEN_HERE\": syntax error", -1, 200, out, sizeof(out));
	assert_non_null(strstr(out, "BROKEN_HERE"));
	assert_non_null(strstr(out, "... "));
	dp_sql_excerpt(sql, "no token", -1, 200, out, sizeof(out));
	assert_non_null(strstr(out, "PRIMARY KEY (a, b))"));     /* the tail is never lost */
	assert_non_null(strstr(out, "CREATE TABLE t ("));
}

/* README.md's tables, one per engine pair, as the rules say */
static const char *const engines[] = {"postgresql", "mysql", "sqlite"};
static const char *const shown[] = {"PostgreSQL", "MySQL/MariaDB", "SQLite"};

static void readme_tables(dp_buf *out)
{
	const dp_typemap_rule *r;
	size_t n = dp_typemap_rules(&r);
	for (int si = 0; si < 3; si++)
		for (int ti = 0; ti < 3; ti++) {
			if (si == ti)
				continue;
			assert_int_equal(dp_buf_printf(out, "#### %s → %s: types\n\n| source type | target type | kept / how |\n"
						       "|---|---|---|\n", shown[si], shown[ti]), 0);
			for (size_t k = 0; k < n; k++) {
				if (!r[k].src[si] || !r[k].tgt[ti])
					continue;
				assert_int_equal(dp_buf_printf(out, "| %s | %s | %s |\n", r[k].src[si], r[k].tgt[ti],
							       r[k].note), 0);
			}
			assert_int_equal(dp_buf_puts(out, "\n"), 0);
		}
	(void)engines;
}

static void test_readme(void **st)
{
	dp_buf want = DP_BUF_INIT, have = DP_BUF_INIT;
	const char *root = getenv("ROOT");
	char path[1024], chunk[4096];
	FILE *f;
	size_t got;
	(void)st;
	readme_tables(&want);
	if (getenv("DOPPEL_PRINT_README")) {
		fputs(dp_buf_str(&want), stdout);
		dp_buf_free(&want);
		return;
	}
	snprintf(path, sizeof(path), "%s/README.md", root ? root : ".");
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot read (run from the repository root or set ROOT)", path);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(dp_buf_append(&have, chunk, got), 0);
	fclose(f);
	/* each pair's table exactly as generated */
	{
		const char *p = dp_buf_str(&want);
		while (*p) {
			const char *e = strstr(p, "\n\n| source");
			const char *next = e ? strstr(e + 2, "\n\n") : NULL;
			char block[16384];
			size_t len = next ? (size_t)(next - p) + 1 : strlen(p);
			snprintf(block, sizeof(block), "%.*s", (int)len, p);
			if (!strstr(dp_buf_str(&have), block))
				fail_msg("README.md does not have this table as typemap.c's rules make it "
					 "(DOPPEL_PRINT_README=1 build/tests/test_typemap prints them):\n%s", block);
			p += len;
			while (*p == '\n')
				p++;
		}
	}
	dp_buf_free(&want);
	dp_buf_free(&have);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_fixed_drivers),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_key_chars),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_index_names),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_readme),
		cmocka_unit_test(test_generated_and_composite),
		cmocka_unit_test(test_value_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
