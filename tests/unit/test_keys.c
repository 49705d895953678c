/* tests/unit/test_keys.c - key maps, keyed permutations, decimal domains. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/gen/keys.h"
#include "engine/gen/generators.h"

static void test_keymap_basic(void **st)
{
	dp_keymap *m = dp_keymap_new(0);
	int64_t v = 0;

	(void)st;
	assert_non_null(m);
	assert_int_equal(dp_keymap_count(m), 0);
	assert_int_equal(dp_keymap_get(m, 42, &v), 0);
	assert_int_equal(dp_keymap_put(m, 42, 1), 0);
	assert_int_equal(dp_keymap_put(m, -7, 2), 0);
	assert_int_equal(dp_keymap_put(m, 0, 3), 0);
	assert_int_equal(dp_keymap_put(m, INT64_MIN, 4), 0);
	assert_int_equal(dp_keymap_put(m, INT64_MAX, -5), 0);
	assert_int_equal(dp_keymap_count(m), 5);
	assert_int_equal(dp_keymap_get(m, 42, &v), 1);
	assert_int_equal(v, 1);
	assert_int_equal(dp_keymap_get(m, -7, &v), 1);
	assert_int_equal(v, 2);
	assert_int_equal(dp_keymap_get(m, 0, &v), 1);
	assert_int_equal(v, 3);
	assert_int_equal(dp_keymap_get(m, INT64_MIN, &v), 1);
	assert_int_equal(v, 4);
	assert_int_equal(dp_keymap_get(m, INT64_MAX, &v), 1);
	assert_int_equal(v, -5);
	/* miss leaves *nw alone */
	v = 99;
	assert_int_equal(dp_keymap_get(m, 43, &v), 0);
	assert_int_equal(dp_keymap_get(m, -42, &v), 0);
	assert_int_equal(v, 99);
	/* duplicate old key is an integrity error and keeps the first value */
	assert_int_equal(dp_keymap_put(m, 42, 100), DP_ERR_INTEGRITY);
	assert_int_equal(dp_keymap_count(m), 5);
	assert_int_equal(dp_keymap_get(m, 42, &v), 1);
	assert_int_equal(v, 1);
	dp_keymap_free(m);
	dp_keymap_free(NULL);
}

static void test_keymap_growth(void **st)
{
	const int64_t n = 100000;
	dp_keymap *m = dp_keymap_new(4);   /* far too small: must grow many times */
	int64_t v;

	(void)st;
	assert_non_null(m);
	for (int64_t i = 0; i < n; i++) {
		/* spread-out keys, some negative */
		int64_t k = (i * 7919) ^ (i & 1 ? -1 : 0);
		assert_int_equal(dp_keymap_put(m, k, i + 1), 0);
	}
	assert_int_equal(dp_keymap_count(m), (size_t)n);
	for (int64_t i = 0; i < n; i++) {
		int64_t k = (i * 7919) ^ (i & 1 ? -1 : 0);
		v = -1;
		assert_int_equal(dp_keymap_get(m, k, &v), 1);
		assert_int_equal(v, i + 1);
	}
	for (int64_t i = 0; i < 1000; i++)
		assert_int_equal(dp_keymap_get(m, (i * 7919) + 1 + n * 7919, &v), 0);
	/* duplicates are still found after growth */
	assert_int_equal(dp_keymap_put(m, 7919 * 500, 0), DP_ERR_INTEGRITY);
	dp_keymap_free(m);

	/* sequential keys with a presized map */
	m = dp_keymap_new((size_t)n);
	assert_non_null(m);
	for (int64_t i = 1; i <= n; i++)
		assert_int_equal(dp_keymap_put(m, i, n - i), 0);
	for (int64_t i = 1; i <= n; i++) {
		assert_int_equal(dp_keymap_get(m, i, &v), 1);
		assert_int_equal(v, n - i);
	}
	assert_int_equal(dp_keymap_get(m, n + 1, &v), 0);
	dp_keymap_free(m);
}

static void check_bijection(const dp_job_key *key, const char *label, uint64_t n)
{
	dp_perm p;
	unsigned char *seen = calloc(n, 1);

	assert_non_null(seen);
	dp_perm_init(&p, key, label, n);
	assert_int_equal(p.domain, n);
	for (uint64_t x = 0; x < n; x++) {
		uint64_t y = dp_perm_apply(&p, x);
		if (y >= n)
			fail_msg("n=%llu: perm(%llu) = %llu out of domain", (unsigned long long)n,
				 (unsigned long long)x, (unsigned long long)y);
		if (seen[y])
			fail_msg("n=%llu: value %llu produced twice", (unsigned long long)n,
				 (unsigned long long)y);
		seen[y] = 1;
	}
	for (uint64_t y = 0; y < n; y++)
		assert_true(seen[y]);
	free(seen);
}

static void test_perm_bijection(void **st)
{
	const uint64_t sizes[] = { 1, 2, 3, 7, 10, 100, 1000, 1024, 1025, 65537 };
	dp_job_key k1, k2;

	(void)st;
	dp_job_key_from_seed(1, &k1);
	dp_job_key_from_seed(-123456789, &k2);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		check_bijection(&k1, "customers.id", sizes[i]);
		check_bijection(&k2, "orders.id", sizes[i]);
	}
}

static void test_perm_deterministic_and_keyed(void **st)
{
	const uint64_t n = 1000000;
	dp_job_key k1, k1b, k2;
	dp_perm a, b, c, d;
	size_t same_key = 0, same_label = 0, fixed = 0;

	(void)st;
	dp_job_key_from_seed(42, &k1);
	dp_job_key_from_seed(42, &k1b);
	dp_job_key_from_seed(43, &k2);
	dp_perm_init(&a, &k1, "customers.id", n);
	dp_perm_init(&b, &k1b, "customers.id", n);
	dp_perm_init(&c, &k2, "customers.id", n);
	dp_perm_init(&d, &k1, "orders.id", n);
	for (uint64_t x = 0; x < 2000; x++) {
		uint64_t y = dp_perm_apply(&a, x);
		assert_true(y < n);
		assert_int_equal(y, dp_perm_apply(&b, x));   /* same key + label */
		assert_int_equal(y, dp_perm_apply(&a, x));   /* repeatable */
		same_key += y == dp_perm_apply(&c, x);
		same_label += y == dp_perm_apply(&d, x);
		fixed += y == x;
	}
	/* a random pair of permutations of 10^6 agrees on ~0 of 2000 points */
	assert_true(same_key < 10);
	assert_true(same_label < 10);
	assert_true(fixed < 10);

	/* large domains stay in range */
	dp_perm_init(&a, &k1, "big", 1000000000000000000ULL);
	for (uint64_t x = 999999999999999000ULL; x < 1000000000000000000ULL; x++)
		assert_true(dp_perm_apply(&a, x) < 1000000000000000000ULL);
	dp_perm_init(&a, &k1, "huge", UINT64_MAX);
	for (uint64_t x = 0; x < 1000; x++)
		assert_true(dp_perm_apply(&a, UINT64_MAX - 1 - x) < UINT64_MAX);
}

static void test_decimal_domain(void **st)
{
	(void)st;
	/* width of the key kept: d = digit count (0 has one digit) */
	assert_int_equal(dp_perm_decimal_domain(0), 10);
	assert_int_equal(dp_perm_decimal_domain(1), 10);
	assert_int_equal(dp_perm_decimal_domain(9), 10);
	assert_int_equal(dp_perm_decimal_domain(10), 100);
	assert_int_equal(dp_perm_decimal_domain(99), 100);
	assert_int_equal(dp_perm_decimal_domain(100), 1000);
	assert_int_equal(dp_perm_decimal_domain(999999), 1000000);
	assert_int_equal(dp_perm_decimal_domain(1000000), 10000000);
	assert_int_equal(dp_perm_decimal_domain(999999999999999999ULL), 1000000000000000000ULL);
	/* capped at 10^18 */
	assert_int_equal(dp_perm_decimal_domain(1000000000000000000ULL), 1000000000000000000ULL);
	assert_int_equal(dp_perm_decimal_domain(UINT64_MAX), 1000000000000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keymap_basic),
		cmocka_unit_test(test_keymap_growth),
		cmocka_unit_test(test_perm_bijection),
		cmocka_unit_test(test_perm_deterministic_and_keyed),
		cmocka_unit_test(test_decimal_domain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
