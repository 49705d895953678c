/* tests/unit/test_sqlfrag.c - the lexer every subset clause passes: what
 * it refuses (a second statement, closing doppel's parentheses, INTO,
 * row locks, unterminated literals and comments) and what it must accept
 * (the same characters inside literals, quoted identifiers and comments),
 * per dialect. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "connectors/sqlfrag.h"

typedef struct fcase {
	const char *engine, *frag;
	const char *refused;   /* NULL: accepted; else a word of the message */
} fcase;

static const fcase cases[] = {
	{"sqlite", "Country = 'Brazil'", NULL},
	{"sqlite", "a = 'x;y' AND b = 'it''s'", NULL},
	{"sqlite", "\"odd;name\" = 1 AND [x)y] = 2 AND `a;b` = 3", NULL},
	{"sqlite", "a IN (SELECT b FROM t UNION SELECT c FROM u)", NULL},
	{"sqlite", "a = 1 -- ; DROP TABLE t", NULL},
	{"sqlite", "/* ) ; */ a = 1", NULL},
	{"sqlite", "into_date > 3 AND for_update = 1", NULL},
	{"sqlite", "a = 1; DROP TABLE t", "';'"},
	{"sqlite", "a = 1) OR (1 = 1", "unbalanced ')'"},
	{"sqlite", "(a = 1", "unbalanced '('"},
	{"sqlite", "a = 'x", "unterminated string"},
	{"sqlite", "\"a = 1", "unterminated quoted"},
	{"sqlite", "a = 1 /* x", "unterminated /*"},
	{"sqlite", "   ", "empty"},
	{"sqlite", "a = 1 FOR  UPDATE", "for update"},
	{"postgresql", "a = $$;)$$ AND b = $q$ ' $q$", NULL},
	{"postgresql", "a = E'\\';' AND b = 1", NULL},
	{"postgresql", "a = '\\' AND b = 1", NULL},  /* standard strings: \ is a character */
	{"postgresql", "/* outer /* inner ; */ still comment */ a = 1", NULL},
	{"postgresql", "a = $$x", "unterminated dollar"},
	{"postgresql", "1=1) TO STDOUT; COPY (SELECT 1", "unbalanced ')'"},
	{"postgresql", "a = 1 FOR NO KEY UPDATE", "for no key update"},
	{"postgresql", "a = 1 INTO TEMP x", "into"},
	{"postgresql", "a = $1", NULL},
	{"mysql", "a = 'it\\'s; x' AND b = 1", NULL},
	{"mysql", "a = 1 # ; DROP", NULL},
	{"mysql", "a = 1 --; DROP TABLE t", "';'"},     /* -- needs a space in MySQL */
	{"mysql", "a = 1 /*! ; DROP TABLE t */", "executable"},
	{"mysql", "a = 1 /*M! ; DROP TABLE t */", "executable"},
	{"mysql", "a = 1 INTO OUTFILE '/tmp/x'", "into"},
	{"mysql", "a = 1 LOCK IN SHARE MODE", "lock in share mode"},
	{"mysql", "`a;)` = 1", NULL},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dp_errbuf eb;
		int rc;
		dp_errbuf_clear(&eb);
		rc = dp_sql_fragment_check(cases[i].frag, cases[i].engine, "tables.t.subset.where", &eb);
		if (!cases[i].refused) {
			if (rc)
				fail_msg("%s: [%s] refused: %s", cases[i].engine, cases[i].frag, eb.msg);
			continue;
		}
		if (rc != DP_ERR_CONFIG)
			fail_msg("%s: [%s] accepted", cases[i].engine, cases[i].frag);
		if (!strstr(eb.msg, cases[i].refused) || strncmp(eb.msg, "tables.t.subset.where: ", 23))
			fail_msg("%s: [%s] message [%s] lacks [%s] or the path", cases[i].engine,
				 cases[i].frag, eb.msg, cases[i].refused);
	}
}

/* the message names the path and never repeats the clause (it may hold
 * values the user copied from the source) */
static void test_message_has_no_clause(void **state)
{
	dp_errbuf eb;
	(void)state;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check("secret_value = 'abc123'; x", "sqlite", "p", &eb),
			 DP_ERR_CONFIG);
	assert_null(strstr(eb.msg, "abc123"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_message_has_no_clause),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
