/* tests/unit/test_fpe.c - FF1 against the NIST SP 800-38G sample vectors,
 * decryption inverting encryption, and the format-preserving masks:
 * shape kept, bijective (no collision over whole domains), never the
 * identity on the test inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/mask/ff1.h"

static void hex2bin(const char *h, unsigned char *out, size_t *n)
{
	*n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		out[(*n)++] = (unsigned char)v;
	}
}

static void numerals(const char *s, unsigned radix, uint16_t *x, size_t *n)
{
	const char *digits = "0123456789abcdefghijklmnopqrstuvwxyz";
	*n = 0;
	for (; *s; s++)
		x[(*n)++] = (uint16_t)(strchr(digits, *s) - digits);
	(void)radix;
}

static void check_vector(const char *keyhex, const char *tweakhex, unsigned radix,
			 const char *pt, const char *ct)
{
	unsigned char key[32], tw[32];
	size_t kl, tl, n;
	uint16_t x[64], y[64], z[64];
	char out[65];
	const char *digits = "0123456789abcdefghijklmnopqrstuvwxyz";

	hex2bin(keyhex, key, &kl);
	hex2bin(tweakhex, tw, &tl);
	numerals(pt, radix, x, &n);
	dp_ff1 *f = dp_ff1_new(key, kl);
	assert_non_null(f);
	assert_int_equal(dp_ff1_crypt(f, 1, radix, x, n, tw, tl, y), DP_OK);
	for (size_t i = 0; i < n; i++)
		out[i] = digits[y[i]];
	out[n] = 0;
	assert_string_equal(out, ct);
	assert_int_equal(dp_ff1_crypt(f, 0, radix, y, n, tw, tl, z), DP_OK);
	assert_memory_equal(x, z, n * sizeof(uint16_t));
	dp_ff1_free(f);
}

/* NIST SP 800-38G FF1 samples 1-3 (AES-128), 7 and 9 (AES-256) */
static void test_nist_vectors(void **st)
{
	(void)st;
	check_vector("2B7E151628AED2A6ABF7158809CF4F3C", "", 10, "0123456789", "2433477484");
	check_vector("2B7E151628AED2A6ABF7158809CF4F3C", "39383736353433323130", 10, "0123456789",
		     "6124200773");
	check_vector("2B7E151628AED2A6ABF7158809CF4F3C", "3737373770717273373737", 36,
		     "0123456789abcdefghi", "a9tv40mll9kdu509eum");
	check_vector("2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94", "", 10,
		     "0123456789", "6657667009");
	check_vector("2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94",
		     "3737373770717273373737", 36, "0123456789abcdefghi", "xs8a0azh2avyalyzuwd");
}

static dp_ff1 *test_key(void)
{
	unsigned char k[32];
	for (int i = 0; i < 32; i++)
		k[i] = (unsigned char)(i * 7 + 1);
	return dp_ff1_new(k, 32);
}

static void test_text_shape_and_bijection(void **st)
{
	dp_ff1 *f = test_key();
	char out[64];
	const char *in[] = {"1234 AB", "NL91ABNA0417164300", "4111-1111-1111-1111", "Zoë-7", "x"};
	(void)st;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		size_t n = strlen(in[i]);
		assert_int_equal(dp_fpe_text(f, in[i], n, out), DP_OK);
		out[n] = 0;
		for (size_t c = 0; c < n; c++) {
			char a = in[i][c], b = out[c];
			int same_class = (a >= '0' && a <= '9') ? (b >= '0' && b <= '9') :
					 (a >= 'a' && a <= 'z') ? (b >= 'a' && b <= 'z') :
					 (a >= 'A' && a <= 'Z') ? (b >= 'A' && b <= 'Z') : a == b;
			assert_true(same_class);
		}
		if (n > 3)
			assert_string_not_equal(out, in[i]);
	}
	/* every 4-digit code maps to a distinct 4-digit code */
	static char seen[10000];
	memset(seen, 0, sizeof(seen));
	for (int v = 0; v < 10000; v++) {
		char s[5];
		snprintf(s, sizeof(s), "%04d", v);
		assert_int_equal(dp_fpe_text(f, s, 4, out), DP_OK);
		out[4] = 0;
		int o = atoi(out);
		assert_int_equal(seen[o], 0);
		seen[o] = 1;
	}
	/* one letter: a permutation of the 26 */
	char lseen[26] = {0};
	for (char c = 'a'; c <= 'z'; c++) {
		assert_int_equal(dp_fpe_text(f, &c, 1, out), DP_OK);
		assert_int_equal(lseen[out[0] - 'a'], 0);
		lseen[out[0] - 'a'] = 1;
	}
	dp_ff1_free(f);
}

static void test_int_width_and_bijection(void **st)
{
	dp_ff1 *f = test_key();
	static unsigned char seen[100000];
	int64_t o;
	(void)st;
	memset(seen, 0, sizeof(seen));
	/* 1..99999: each width maps onto itself, no collision at all */
	for (int64_t v = 1; v < 100000; v++) {
		assert_int_equal(dp_fpe_int(f, v, &o), DP_OK);
		assert_true(o >= 0 && o < 100000);
		int wv = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
		int wo = o < 10 ? 1 : o < 100 ? 2 : o < 1000 ? 3 : o < 10000 ? 4 : 5;
		assert_int_equal(wv, wo);
		assert_int_equal(seen[o], 0);
		seen[o] = 1;
	}
	assert_int_equal(dp_fpe_int(f, -4242, &o), DP_OK);
	assert_true(o <= -1000 && o > -10000);
	assert_int_equal(dp_fpe_int(f, INT64_MAX, &o), DP_OK);
	assert_true(o >= 1000000000000000000LL);
	dp_ff1_free(f);
}

/* strings longer than machine integers take the BIGNUM path */
static void test_long_roundtrip(void **st)
{
	dp_ff1 *f = test_key();
	uint16_t x[200], y[200], z[200];
	(void)st;
	for (size_t n = 30; n <= 200; n += 17) {
		for (size_t i = 0; i < n; i++)
			x[i] = (uint16_t)((i * 7 + n) % 10);
		assert_int_equal(dp_ff1_crypt(f, 1, 10, x, n, NULL, 0, y), DP_OK);
		assert_int_equal(dp_ff1_crypt(f, 0, 10, y, n, NULL, 0, z), DP_OK);
		assert_memory_equal(x, z, n * sizeof(uint16_t));
		assert_memory_not_equal(x, y, n * sizeof(uint16_t));
	}
	dp_ff1_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nist_vectors),
		cmocka_unit_test(test_text_shape_and_bijection),
		cmocka_unit_test(test_int_width_and_bijection),
		cmocka_unit_test(test_long_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
