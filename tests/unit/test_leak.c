/* tests/unit/test_leak.c - the wide leak check's two fingerprint sets:
 * exact under the cap, a consistent sample beyond it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "engine/load/leak.h"
#include "base/dp_rng.h"

static uint64_t fp(const char *fmt, int i)
{
	char b[64];
	int n = snprintf(b, sizeof(b), fmt, i);
	return dp_hash64(b, (size_t)n);
}

/* 300 source e-mails; column 0 copies 40 of them, column 1 none */
static void test_exact_under_cap(void **st)
{
	dp_leakcheck *l = dp_leak_new(4096);
	uint64_t s[300], o[600];
	uint32_t col[600];
	int64_t hits[2] = { 0, 0 };
	double share;
	(void)st;
	assert_non_null(l);
	for (int i = 0; i < 300; i++)
		s[i] = fp("person%d@mail.test", i);
	for (int i = 0; i < 300; i++) {
		o[i] = i < 40 ? fp("person%d@mail.test", i * 7) : fp("desk %d", i);
		col[i] = 0;
		o[300 + i] = fp("other%d@mail.test", i);
		col[300 + i] = 1;
	}
	dp_leak_add(l, s, 150, NULL, NULL, 0);
	dp_leak_add(l, NULL, 0, o, col, 600);   /* written before all sources were read */
	dp_leak_add(l, s + 150, 150, NULL, NULL, 0);
	dp_leak_finish(l, hits, 2, &share);
	assert_true(share == 1.0);
	assert_int_equal(hits[0], 40);
	assert_int_equal(hits[1], 0);
	dp_leak_free(l);
}

/* 100k sources, 100k outputs of which 20k copy a source: with a cap of 4096
 * fingerprints a side the hits are a sample whose scale-up is close */
static void test_sampled_beyond_cap(void **st)
{
	dp_leakcheck *l = dp_leak_new(4096);
	int64_t hits[1] = { 0 };
	double share, est;
	(void)st;
	assert_non_null(l);
	for (int i = 0; i < 100000; i++) {
		uint64_t s = fp("p%d@x.test", i), o = i % 5 == 0 ? fp("p%d@x.test", i) : fp("n%d", i);
		uint32_t c = 0;
		dp_leak_add(l, &s, 1, &o, &c, 1);
	}
	dp_leak_finish(l, hits, 1, &share);
	assert_true(share < 1.0 && share > 0.0);
	est = (double)hits[0] / share;
	assert_true(hits[0] > 0);
	assert_true(est > 14000 && est < 26000);
	dp_leak_free(l);
}

static void test_identifying_kinds(void **st)
{
	(void)st;
	assert_true(dp_leak_kind_identifying("email"));
	assert_true(dp_leak_kind_identifying("iban"));
	assert_false(dp_leak_kind_identifying("first_name"));
	assert_false(dp_leak_kind_identifying("city"));
	assert_false(dp_leak_kind_identifying(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_under_cap),
		cmocka_unit_test(test_sampled_beyond_cap),
		cmocka_unit_test(test_identifying_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
