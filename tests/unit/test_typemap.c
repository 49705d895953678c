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
	{"mysql", "float", "postgresql", 0, "double precision"},
	/* exact numerics */
	{"sqlite", "NUMERIC(10,2)", "postgresql", 0, "numeric(10,2)"},
	{"postgresql", "numeric(10,2)", "mysql", 0, "DECIMAL(10,2)"},
	{"postgresql", "numeric", "mysql", 0, "DECIMAL(65,30)"},
	{"postgresql", "numeric(80,2)", "mysql", 0, NULL},
	{"postgresql", "numeric(40,35)", "mysql", 0, NULL},
	{"mysql", "decimal(10,2)", "sqlite", 0, "NUMERIC(10,2)"},
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
			if (rc != DP_ERR_TYPE)
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
