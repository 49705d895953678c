/* tests/unit/test_generators.c - generator contract: determinism, keyed
 * consistency, never returning the input, types, lengths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/gen/generators.h"
#include "base/dp_rng.h"
#include "engine/pii/mock.h"
#include "engine/mask/typed.h"

static dp_column col_text = { .name = "email", .type_decl = "VARCHAR(60)", .tclass = DP_T_TEXT, .length = 60 };
static dp_column col_int = { .name = "n", .type_decl = "INTEGER", .tclass = DP_T_INTEGER, .notnull = 1 };

static dp_gen *mk(const char *spec, const dp_column *c, int64_t seed, int consistent,
		  const char *table)
{
	static dp_job_key keys[8];
	static int k;
	dp_gen_opts o;
	dp_gen *g = NULL;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	k = (k + 1) % 8;
	dp_job_key_from_seed(seed, &keys[k]);
	memset(&o, 0, sizeof(o));
	o.spec = spec;
	o.consistent = consistent;
	o.locale = "en";
	o.table = table;
	o.col = c;
	o.key = &keys[k];
	if (dp_gen_new(&o, &g, &eb))
		fail_msg("%s: %s", spec, eb.msg);
	return g;
}

/* apply to a text input, return a malloc'd copy of the output text */
static char *apply(dp_gen *g, const char *in, uint64_t row)
{
	dp_batch *b = dp_batch_new(1, 4);
	dp_value v, out;
	dp_errbuf eb;
	char *r;

	dp_errbuf_clear(&eb);
	v.kind = DP_V_TEXT;
	v.u.s = in;
	v.len = strlen(in);
	assert_int_equal(dp_gen_apply(g, &v, row, b, &out, &eb), 0);
	assert_int_equal(out.kind, DP_V_TEXT);
	r = strndup(out.u.s, out.len);
	dp_batch_free(b);
	return r;
}

static void test_consistent_and_keyed(void **st)
{
	dp_gen *a = mk("mock:email", &col_text, 42, -1, "customers");
	dp_gen *b = mk("mock:email", &col_text, 42, -1, "employees");
	dp_gen *c = mk("mock:email", &col_text, 43, -1, "customers");
	char *x = apply(a, "jane@corp.test", 0), *y = apply(a, "jane@corp.test", 99);
	char *z = apply(b, "jane@corp.test", 5), *w = apply(c, "jane@corp.test", 0);

	(void)st;
	assert_string_equal(x, y);          /* same input, same output */
	assert_string_equal(x, z);          /* across tables */
	assert_string_not_equal(x, w);      /* another seed */
	assert_non_null(strstr(x, "@example."));
	free(x); free(y); free(z); free(w);
	dp_gen_free(a); dp_gen_free(b); dp_gen_free(c);
}

/* Consistent mocks are memoised per thread: a value seen again (and values
 * evicting each other, more than the memo holds, from two generators) gets
 * exactly what a cold computation gives. */
static void test_consistent_memo_is_transparent(void **st)
{
	dp_gen *a = mk("mock:first_name", &col_text, 42, -1, "customers");
	dp_gen *c = mk("mock:first_name", &col_text, 43, -1, "customers");
	dp_gen *a2 = NULL;
	char in[32], *first[1500];
	int differ = 0;

	(void)st;
	for (int i = 0; i < 1500; i++) {
		snprintf(in, sizeof(in), "name%d", i);
		first[i] = apply(a, in, (uint64_t)i);
		free(apply(c, in, (uint64_t)i));
	}
	a2 = mk("mock:first_name", &col_text, 42, -1, "employees");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 1499; i >= 0; i--) {
			char *x, *y, *z;
			snprintf(in, sizeof(in), "name%d", i);
			x = apply(a, in, 7);
			y = apply(a2, in, 9);
			z = apply(c, in, 7);
			assert_string_equal(x, first[i]);
			assert_string_equal(y, first[i]);
			differ += strcmp(z, x) != 0;
			free(x); free(y); free(z);
		}
	assert_true(differ > 1000);         /* another seed, other names */
	for (int i = 0; i < 1500; i++)
		free(first[i]);
	dp_gen_free(a); dp_gen_free(a2); dp_gen_free(c);
}

static void test_inconsistent_varies_by_row(void **st)
{
	dp_gen *a = mk("mock:full_name", &col_text, 1, 0, "t");
	int differ = 0;
	char *first = apply(a, "Same Input", 0);

	(void)st;
	for (uint64_t r = 1; r < 20; r++) {
		char *o = apply(a, "Same Input", r);
		differ += strcmp(o, first) != 0;
		free(o);
	}
	assert_true(differ >= 15);
	free(first);
	dp_gen_free(a);
}

static void test_mock_never_returns_input(void **st)
{
	dp_column c = col_text;
	dp_gen *g;

	(void)st;
	c.length = 0;
	g = mk("mock:first_name", &c, 7, -1, "t");
	/* every name of the list as input: none comes back unchanged */
	static const char *const names[] = { "James", "Mary", "Robert", "Linda", "Lori", "Louis" };
	for (size_t i = 0; i < 6; i++) {
		char *o = apply(g, names[i], 0);
		assert_string_not_equal(o, names[i]);
		free(o);
	}
	dp_gen_free(g);
}

static void test_shapes(void **st)
{
	dp_column c = col_text;
	dp_gen *d, *p;
	char *o;

	(void)st;
	c.length = 0;
	d = mk("mock:date_of_birth", &c, 3, -1, "t");
	o = apply(d, "1970-01-01", 0);
	assert_int_equal(strlen(o), 10);
	assert_true(o[4] == '-' && o[7] == '-');
	assert_true(atoi(o) >= 2025 - 90 && atoi(o) <= 2025 - 18);
	free(o);
	p = mk("mock:phone", &c, 3, -1, "t");
	o = apply(p, "+1 212 555 1234", 0);
	assert_non_null(strstr(o, "-555-01"));
	free(o);
	dp_gen_free(d);
	dp_gen_free(p);
}

static void test_truncation_respects_utf8(void **st)
{
	dp_column c = col_text;
	dp_gen *g;
	char *o;

	(void)st;
	c.length = 3;
	g = mk("mask:redact", &c, 1, -1, "t");
	o = apply(g, "\xc3\xa9t\xc3\xa9 AB-12", 0);    /* "été AB-12" */
	assert_string_equal(o, "xxx");
	free(o);
	dp_gen_free(g);
	c.length = 0;
	g = mk("mask:redact", &c, 1, -1, "t");
	o = apply(g, "Ab 12-x", 0);
	assert_string_equal(o, "Xx 99-x");
	free(o);
	dp_gen_free(g);
}

static void test_hash_keeps_integer_width(void **st)
{
	dp_gen *g = mk("mask:hash", &col_int, 5, -1, "t");
	dp_batch *b = dp_batch_new(1, 1);
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	for (int64_t v = 1; v < 200000; v = v * 3 + 1) {
		dp_value in, out, out2;
		dp_value_set_int(&in, v);
		assert_int_equal(dp_gen_apply(g, &in, 0, b, &out, &eb), 0);
		assert_int_equal(dp_gen_apply(g, &in, 9, b, &out2, &eb), 0);
		assert_int_equal(out.kind, DP_V_INT);
		assert_int_equal(out.u.i, out2.u.i);
		assert_int_not_equal(out.u.i, v);
		char a[32], z[32];
		snprintf(a, sizeof(a), "%lld", (long long)v);
		snprintf(z, sizeof(z), "%lld", (long long)out.u.i);
		assert_int_equal(strlen(a), strlen(z));
	}
	dp_batch_free(b);
	dp_gen_free(g);
}

static void test_rejections(void **st)
{
	dp_gen_opts o;
	dp_gen *g = NULL;
	dp_errbuf eb;
	dp_job_key k;
	dp_column nn = col_text;

	(void)st;
	dp_job_key_from_seed(1, &k);
	nn.notnull = 1;
	nn.name = "email";
	memset(&o, 0, sizeof(o));
	o.key = &k;
	o.table = "customers";
	o.locale = "en";
	o.col = &nn;
	o.spec = "null";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &g, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "customers.email"));
	o.spec = "mock:email";
	o.col = &col_int;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &g, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "customers.n"));
	o.spec = "mock:shoe_size";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_check_spec(o.spec, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "mock:email"));         /* lists what exists */
	o.spec = "mock:city";
	o.col = &col_text;
	o.locale = "tlh";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &g, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "tlh"));
	o.spec = "constant";
	o.value = "abc";
	o.col = &col_int;
	o.locale = "en";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &g, &eb), DP_ERR_CONFIG);
}

static void test_constant_converts(void **st)
{
	dp_gen_opts o;
	dp_gen *g = NULL;
	dp_errbuf eb;
	dp_job_key k;
	dp_value in, out;

	(void)st;
	dp_job_key_from_seed(1, &k);
	memset(&o, 0, sizeof(o));
	o.key = &k;
	o.spec = "constant";
	o.value = "17";
	o.col = &col_int;
	o.table = "t";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &g, &eb), 0);
	dp_value_set_null(&in);
	assert_int_equal(dp_gen_apply(g, &in, 0, NULL, &out, &eb), 0);
	assert_int_equal(out.kind, DP_V_INT);
	assert_int_equal(out.u.i, 17);
	dp_gen_free(g);
}

static void test_hmac_fast_path_equals_openssl(void **st)
{
	dp_rng r;

	(void)st;
	dp_rng_seed_u64(&r, 7);
	for (int i = 0; i < 500; i++) {
		unsigned char key[100], msg[300], a[32], b[32];
		size_t kl = dp_rng_below(&r, sizeof(key)) + 1, ml = dp_rng_below(&r, sizeof(msg));
		dp_hmac h;
		for (size_t k = 0; k < kl; k++)
			key[k] = (unsigned char)dp_rng_next(&r);
		for (size_t k = 0; k < ml; k++)
			msg[k] = (unsigned char)dp_rng_next(&r);
		dp_hmac_init(&h, key, kl);
		dp_hmac_compute(&h, msg, ml, a);
		dp_hmac_sha256(key, kl, msg, ml, b);
		assert_memory_equal(a, b, 32);
	}
}

static char *mockv(const char *kind, const char *loc, dp_rng *r)
{
	dp_buf b = DP_BUF_INIT;
	if (dp_mock_generate(kind, loc, r, &b) != 0)
		fail_msg("mock %s/%s failed", kind, loc);
	return dp_buf_steal(&b);
}

static void test_mock_library(void **st)
{
	static const char *const locs[] = { "en", "nl", "de", "fr" };
	static const char *const phone_prefix[] = { "+1 ", "+31 6 ", "+49 151 ", "+33 6 " };
	static const char *const iban_cc[] = { "GB", "NL", "DE", "FR" };
	const char *const *kinds = dp_mock_kinds();
	size_t nkinds = 0;
	dp_rng r;

	(void)st;
	while (kinds[nkinds])
		nkinds++;
	assert_true(nkinds >= 30);
	dp_rng_seed_u64(&r, 99);
	for (size_t l = 0; l < 4; l++) {
		for (size_t k = 0; k < nkinds; k++) {        /* every kind in every locale */
			/* typed mocks come from the generator layer (test_typed_mocks) */
			if (!strcmp(kinds[k], "number") || !strcmp(kinds[k], "boolean") ||
			    !strcmp(kinds[k], "one_of"))
				continue;
			char *v = mockv(kinds[k], locs[l], &r);
			assert_true(strlen(v) > 0);
			free(v);
		}
		for (int i = 0; i < 200; i++) {
			char *v = mockv("iban", locs[l], &r);
			assert_true(dp_iban_valid(v));
			assert_memory_equal(v, iban_cc[l], 2);
			free(v);
			v = mockv("credit_card", locs[l], &r);
			assert_int_equal(strlen(v), 16);
			assert_true(dp_luhn_valid(v));
			free(v);
			v = mockv("national_id", locs[l], &r);
			if (l == 1)
				assert_true(dp_bsn_valid(v));
			else if (l == 2)
				assert_true(dp_steuerid_valid(v));
			else if (l == 3)
				assert_true(dp_nir_valid(v));
			else
				assert_true(strlen(v) == 11 && v[3] == '-' && v[6] == '-' &&
					    strncmp(v, "000", 3) && strncmp(v, "666", 3) && v[0] != '9');
			free(v);
			v = mockv("phone", locs[l], &r);
			assert_memory_equal(v, phone_prefix[l], strlen(phone_prefix[l]));
			free(v);
			v = mockv("email", locs[l], &r);
			assert_non_null(strstr(v, "@example."));
			free(v);
			v = mockv("ipv4", locs[l], &r);
			assert_true(!strncmp(v, "10.", 3) || !strncmp(v, "192.168.", 8));
			free(v);
			v = mockv("uuid", locs[l], &r);
			assert_int_equal(strlen(v), 36);
			assert_int_equal(v[14], '4');
			free(v);
		}
	}
	/* locale formats */
	{
		char *v = mockv("postcode", "nl", &r);
		assert_int_equal(strlen(v), 7);
		assert_true(v[4] == ' ' && v[5] >= 'A' && v[5] <= 'Z');
		free(v);
		v = mockv("license_plate", "fr", &r);
		assert_true(strlen(v) == 9 && v[2] == '-' && v[6] == '-');
		free(v);
	}
	/* the validators reject what they should */
	assert_false(dp_luhn_valid("4000000000000001"));
	assert_true(dp_luhn_valid("4111111111111111"));
	assert_true(dp_iban_valid("NL91ABNA0417164300"));
	assert_false(dp_iban_valid("NL92ABNA0417164300"));
	assert_true(dp_bsn_valid("111222333"));
	assert_false(dp_bsn_valid("111222334"));
	assert_false(dp_nir_valid("123456789012345"));
}

/* typed masks: scramble keeps shape, noise keeps sign and magnitude, date
 * shift is one offset for every value, truncate goes to the 1st of the month */
static void test_typed_masks(void **st)
{
	static dp_column col_date = { .name = "d", .type_decl = "TIMESTAMP", .tclass = DP_T_TIMESTAMP };
	dp_gen *sc = mk("mask:scramble", &col_text, 1, 1, "t");
	dp_gen *ds = mk("mask:date_shift", &col_date, 1, 1, "t");
	dp_gen *tr = mk("mask:truncate_date", &col_date, 1, 1, "t");
	dp_gen *nz = mk("mask:noise", &col_int, 1, 1, "t");
	char *a = apply(sc, "AB-12 cd", 0), *d1 = apply(ds, "2020-01-31 10:00:00", 0),
	     *d2 = apply(ds, "2021-06-15 23:59:59", 0), *t1 = apply(tr, "2020-03-17 10:11:12", 0);
	dp_batch *b = dp_batch_new(1, 4);
	dp_value in, out;
	dp_errbuf eb;
	(void)st;
	assert_int_equal(strlen(a), 8);
	assert_true(a[0] >= 'A' && a[0] <= 'Z' && a[2] == '-' && a[3] >= '0' && a[3] <= '9' &&
		    a[5] == ' ' && a[6] >= 'a' && a[6] <= 'z');
	/* the same shift for both: compare day differences through the dates */
	assert_int_equal(strlen(d1), 19);
	assert_string_equal(d1 + 10, " 10:00:00");
	assert_string_equal(d2 + 10, " 23:59:59");
	assert_string_not_equal(d1, "2020-01-31 10:00:00");
	assert_string_equal(t1, "2020-03-01 00:00:00");
	dp_errbuf_clear(&eb);
	for (int64_t x = 1; x < 2000; x += 37) {
		dp_value_set_int(&in, x);
		assert_int_equal(dp_gen_apply(nz, &in, 0, b, &out, &eb), 0);
		assert_true(out.u.i >= (x + 1) / 2 && out.u.i <= x * 3 / 2 + 1);
	}
	dp_value_set_int(&in, 0);
	assert_int_equal(dp_gen_apply(nz, &in, 0, b, &out, &eb), 0);
	assert_int_equal(out.u.i, 0);
	in.kind = DP_V_TEXT;
	in.u.s = "not a date";
	in.len = 10;
	assert_int_not_equal(dp_gen_apply(ds, &in, 0, b, &out, &eb), 0);
	assert_non_null(strstr(eb.msg, "t.d: mask:date_shift needs a date"));
	free(a); free(d1); free(d2); free(t1);
	dp_batch_free(b);
	dp_gen_free(sc); dp_gen_free(ds); dp_gen_free(tr); dp_gen_free(nz);
}

static void test_check_in_list(void **st)
{
	dp_buf b = DP_BUF_INIT;
	(void)st;
	assert_true(dp_check_in_list("status IN ('new','paid', 'it''s')", "status", &b));
	assert_string_equal(dp_buf_str(&b), "new|paid|it''s");
	assert_true(dp_check_in_list("CREATE TABLE o (status VARCHAR(12) NOT NULL CHECK (status IN ('a','b')))",
				     "status", &b));
	assert_string_equal(dp_buf_str(&b), "a|b");
	assert_true(dp_check_in_list("CHECK (((status)::text = ANY ((ARRAY['new'::character varying, "
				     "'paid'::character varying])::text[])))", "status", &b));
	assert_string_equal(dp_buf_str(&b), "new|paid");
	assert_false(dp_check_in_list("CHECK (quantity > 0)", "quantity", &b));
	assert_false(dp_check_in_list("substatus IN ('x')", "status", &b));
	dp_buf_free(&b);
}

/* typed mocks: numbers within numeric(p,s), one_of from its list */
static void test_typed_mocks(void **st)
{
	static dp_column col_num = { .name = "price", .type_decl = "NUMERIC(6,2)", .tclass = DP_T_NUMERIC,
				     .precision = 6, .scale = 2 };
	static dp_job_key key;
	dp_gen_opts o;
	dp_gen *g = mk("mock:number", &col_num, 1, 1, "t"), *one = NULL;
	dp_errbuf eb;
	(void)st;
	for (int i = 0; i < 50; i++) {
		char in[16];
		snprintf(in, sizeof(in), "%d", i);
		char *v = apply(g, in, 0);
		double x = atof(v);
		const char *dot = strchr(v, '.');
		assert_true(x >= 0 && x < 10000 && dot && strlen(dot + 1) == 2);
		free(v);
	}
	dp_job_key_from_seed(1, &key);
	memset(&o, 0, sizeof(o));
	o.spec = "mock:one_of";
	o.value = "red|green|blue";
	o.consistent = 1;
	o.locale = "en";
	o.table = "t";
	o.col = &col_text;
	o.key = &key;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_new(&o, &one, &eb), 0);
	for (int i = 0; i < 30; i++) {
		char in[16];
		snprintf(in, sizeof(in), "x%d", i);
		char *v = apply(one, in, 0);
		assert_true(!strcmp(v, "red") || !strcmp(v, "green") || !strcmp(v, "blue"));
		free(v);
	}
	dp_gen_free(one);
	o.value = NULL;
	assert_int_not_equal(dp_gen_new(&o, &one, &eb), 0);
	assert_non_null(strstr(eb.msg, "mock:one_of needs"));
	dp_gen_free(g);
}

/* one generator per type class it cannot fill (and some it can): refused
 * by dp_gen_new and by dp_gen_check_column, naming table.column, the
 * generator and the column's type */
static void test_column_type_table(void **st)
{
	static const struct { const char *spec, *decl; dp_tclass cls; int ok; } cases[] = {
		{"mask:date_shift", "text", DP_T_TEXT, 0},
		{"mask:date_shift", "integer", DP_T_INTEGER, 0},
		{"mask:truncate_date", "varchar(20)", DP_T_TEXT, 0},
		{"mask:truncate_date", "bigint", DP_T_INTEGER, 0},
		{"mask:fpe", "uuid", DP_T_UUID, 0},
		{"mask:fpe", "boolean", DP_T_BOOL, 0},
		{"mask:fpe", "double precision", DP_T_REAL, 0},
		{"mock:email", "integer", DP_T_INTEGER, 0},
		{"mock:email", "jsonb", DP_T_JSON, 0},
		{"mask:noise", "text", DP_T_TEXT, 0},
		{"mask:noise", "date", DP_T_DATE, 0},
		{"mask:scramble", "date", DP_T_DATE, 0},
		{"mask:textpii", "integer", DP_T_INTEGER, 0},
		{"mask:redact", "date", DP_T_DATE, 0},
		{"mock:number", "text", DP_T_TEXT, 0},
		{"mock:boolean", "date", DP_T_DATE, 0},
		{"mock:uuid", "integer", DP_T_INTEGER, 0},
		{"mask:date_shift", "date", DP_T_DATE, 1},
		{"mask:truncate_date", "timestamp with time zone", DP_T_TIMESTAMP, 1},
		{"mask:fpe", "varchar(20)", DP_T_TEXT, 1},
		{"mask:fpe", "bigint", DP_T_INTEGER, 1},
		{"mock:email", "text", DP_T_TEXT, 1},
		{"mask:noise", "numeric(38,10)", DP_T_NUMERIC, 1},
		{"mask:noise", "double precision", DP_T_REAL, 1},
		{"mock:uuid", "uuid", DP_T_UUID, 1},
		{"mock:date_of_birth", "date", DP_T_DATE, 1},
		{"mask:hash", "uuid", DP_T_UUID, 1},
	};
	dp_job_key k;
	(void)st;
	dp_job_key_from_seed(1, &k);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dp_column c = { .name = "c", .type_decl = (char *)cases[i].decl, .tclass = cases[i].cls };
		dp_column ct = col_text;
		dp_table t = { .name = "t", .ncols = 1, .cols = &c };
		dp_gen_opts o;
		dp_gen *g = NULL, *gt = NULL;
		dp_errbuf eb;
		int rc;

		memset(&o, 0, sizeof(o));
		o.spec = cases[i].spec;
		o.locale = "en";
		o.table = "t";
		o.col = &c;
		o.key = &k;
		o.consistent = -1;
		dp_errbuf_clear(&eb);
		rc = dp_gen_new(&o, &g, &eb);
		if (cases[i].ok != (rc == 0))
			fail_msg("case %zu %s on %s: dp_gen_new %s (%s)", i, cases[i].spec, cases[i].decl,
				 rc ? "refused" : "accepted", eb.msg);
		if (rc) {
			assert_int_equal(rc, DP_ERR_CONFIG);
			assert_non_null(strstr(eb.msg, "t.c"));
			assert_non_null(strstr(eb.msg, cases[i].spec));
			assert_non_null(strstr(eb.msg, cases[i].decl));
		}
		dp_gen_free(g);
		/* the same rule through dp_gen_check_column, for a generator
		 * compiled for a text column (or an integer one) */
		o.col = !strcmp(cases[i].spec, "mask:noise") || !strncmp(cases[i].spec, "mock:n", 6) ? &col_int : &ct;
		if (!strcmp(cases[i].spec, "mask:date_shift") || !strcmp(cases[i].spec, "mask:truncate_date")) {
			static dp_column cd = { .name = "d", .type_decl = "date", .tclass = DP_T_DATE };
			o.col = &cd;
		}
		if (!strcmp(cases[i].spec, "mock:boolean")) {
			static dp_column cb = { .name = "b", .type_decl = "boolean", .tclass = DP_T_BOOL };
			o.col = &cb;
		}
		if (!strcmp(cases[i].spec, "mask:redact") || !strcmp(cases[i].spec, "mask:scramble") ||
		    !strcmp(cases[i].spec, "mask:textpii") || !strncmp(cases[i].spec, "mock:", 5))
			if (strcmp(cases[i].spec, "mock:number") && strcmp(cases[i].spec, "mock:boolean"))
				o.col = &ct;
		if (!strcmp(cases[i].spec, "mock:uuid")) {
			static dp_column cu = { .name = "u", .type_decl = "uuid", .tclass = DP_T_UUID };
			o.col = &cu;
		}
		ct.is_unique = 0;
		dp_errbuf_clear(&eb);
		if (dp_gen_new(&o, &gt, &eb))
			fail_msg("case %zu: %s on its own kind of column: %s", i, cases[i].spec, eb.msg);
		dp_errbuf_clear(&eb);
		rc = dp_gen_check_column(gt, &t, 0, &eb);
		if (cases[i].ok != (rc == 0))
			fail_msg("case %zu %s on %s: dp_gen_check_column %s (%s)", i, cases[i].spec,
				 cases[i].decl, rc ? "refused" : "accepted", eb.msg);
		if (rc) {
			assert_non_null(strstr(eb.msg, "t.c"));
			assert_non_null(strstr(eb.msg, cases[i].spec));
		}
		dp_gen_free(gt);
	}
}

/* a generated column takes no generator: the target computes it */
static void test_generated_column_refuses_generators(void **st)
{
	dp_column c = { .name = "total", .type_decl = "numeric", .tclass = DP_T_NUMERIC,
			.generated = "(price * qty)", .generated_stored = 1 };
	dp_table t = { .name = "line", .ncols = 1, .cols = &c };
	dp_gen *g = mk("mask:noise", &c, 1, -1, "line"), *d = mk("duplicate", &c, 1, -1, "line");
	dp_errbuf eb;

	(void)st;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_check_column(g, &t, 0, &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "line.total"));
	assert_non_null(strstr(eb.msg, "generated column"));
	assert_non_null(strstr(eb.msg, "mask:noise"));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_gen_check_column(d, &t, 0, &eb), DP_OK);
	dp_gen_free(g);
	dp_gen_free(d);
}


/* apply with a row key; text in, malloc'd text out */
static char *apply_key(dp_gen *g, const char *in, uint64_t row, const char *key)
{
	dp_batch *b = dp_batch_new(1, 4);
	dp_value v, out;
	dp_errbuf eb;
	char *r;

	dp_errbuf_clear(&eb);
	v.kind = DP_V_TEXT;
	v.u.s = in;
	v.len = strlen(in);
	if (dp_gen_apply_row(g, &v, row, key, key ? strlen(key) : 0, b, &out, &eb))
		fail_msg("%s: %s", dp_gen_spec(g), eb.msg);
	assert_int_equal(out.kind, DP_V_TEXT);
	r = strndup(out.u.s, out.len);
	dp_batch_free(b);
	return r;
}

static int64_t days_of(const char *d)
{
	/* days since 0000-03-01, enough to compare */
	int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
	if (m <= 2) {
		y--;
		m += 12;
	}
	return 365LL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + dd;
}

/* every date of a row moves by one offset, backwards, so birth < hire and
 * from <= to survive; rows differ; an entity key is the same in every table;
 * sentinels stay */
static void test_row_date_shift(void **st)
{
	static dp_column c_birth = { .name = "birth_date", .type_decl = "DATE", .tclass = DP_T_DATE };
	static dp_column c_hire = { .name = "hire_date", .type_decl = "DATE", .tclass = DP_T_DATE };
	static dp_column c_to = { .name = "to_date", .type_decl = "DATE", .tclass = DP_T_DATE };
	dp_gen *b = mk("mock:date_of_birth", &c_birth, 9, -1, "employees");
	dp_gen *h = mk("mask:date_shift", &c_hire, 9, -1, "employees");
	dp_gen *t = mk("mask:date_shift", &c_to, 9, -1, "employees");
	dp_gen *other = mk("mask:date_shift", &c_hire, 9, -1, "dept_emp");
	int distinct = 0;
	int64_t last = 0;

	(void)st;
	assert_true(dp_gen_wants_row_key(b) && dp_gen_wants_row_key(h));
	for (uint64_t row = 0; row < 50; row++) {
		char *ob = apply(b, "1960-05-17", row), *oh = apply(h, "1976-05-17", row);
		char *ot = apply(t, "1976-05-17", row);
		int64_t db = days_of(ob), dh = days_of(oh);
		/* the same offset for both columns of the row */
		assert_int_equal(dh - db, days_of("1976-05-17") - days_of("1960-05-17"));
		assert_string_equal(oh, ot);
		/* backwards, at most a year, never 0 */
		assert_true(db < days_of("1960-05-17") && db >= days_of("1960-05-17") - 365);
		distinct += db != last;
		last = db;
		free(ob); free(oh); free(ot);
	}
	assert_true(distinct > 40);
	{
		/* an entity key: the same offset in two tables */
		char *x = apply_key(h, "2001-01-01", 3, "emp:10001"), *y = apply_key(other, "2001-01-01", 77, "emp:10001");
		assert_string_equal(x, y);
		free(x); free(y);
		x = apply_key(h, "9999-01-01", 3, "emp:10001");
		assert_string_equal(x, "9999-01-01");
		free(x);
	}
	{
		/* text dates keep their shape */
		static dp_column c_txt = { .name = "DOB", .type_decl = "VARCHAR(10)", .tclass = DP_T_TEXT, .length = 10 };
		dp_gen *d = mk("mock:date_of_birth", &c_txt, 9, -1, "users");
		char *o1 = apply(d, "17.05.1960", 1), *o2 = apply(d, "19600517", 1), *o3 = apply(d, "Germany", 1);
		assert_int_equal(strlen(o1), 10);
		assert_true(o1[2] == '.' && o1[5] == '.' && !strncmp(o1 + 6, "19", 2));
		assert_int_equal(strlen(o2), 8);
		assert_true(!strncmp(o2, "19", 2));
		/* a text that is no date gets no date: letters stay letters */
		assert_int_equal(strlen(o3), 7);
		for (int i = 0; i < 7; i++)
			assert_true((o3[i] >= 'a' && o3[i] <= 'z') || (o3[i] >= 'A' && o3[i] <= 'Z'));
		free(o1); free(o2); free(o3);
		dp_gen_free(d);
	}
	dp_gen_free(b); dp_gen_free(h); dp_gen_free(t); dp_gen_free(other);
}

/* mocks fit the column: names drawn among the short ones, codes of a fixed
 * format in a narrower column masked in their own shape; nothing is cut */
static void test_mocks_fit_width(void **st)
{
	dp_column c = col_text;
	static const char *const kinds[] = { "mock:first_name", "mock:last_name", "mock:full_name",
					     "mock:email", "mock:username", "mock:city", "mock:phone" };
	(void)st;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (int len = 4; len <= 12; len += 4) {
			dp_gen *g;
			c.length = len;
			g = mk(kinds[k], &c, 3, -1, "t");
			for (int i = 0; i < 60; i++) {
				char in[32], *o;
				snprintf(in, sizeof(in), "%.*s", len, "Abcdefghijkl-0123");
				in[len > 2 ? len - 1 : 0] = (char)('a' + i % 26);
				o = apply(g, in, (uint64_t)i);
				if (strlen(o) > (size_t)len)
					fail_msg("%s into %d characters: '%s'", kinds[k], len, o);
				free(o);
			}
			dp_gen_free(g);
		}
	}
	{
		/* a full name in 12 characters is still a first and a last name */
		dp_gen *g;
		char *o;
		c.length = 12;
		g = mk("mock:full_name", &c, 3, -1, "t");
		o = apply(g, "Mary Smith", 0);
		assert_non_null(strchr(o, ' '));
		free(o);
		dp_gen_free(g);
	}
}

/* fixed-width codes keep a valid format: a CHAR(6) birth number stays a
 * date (month + 50 kept), BSN / Luhn / IBAN checks still pass */
static void test_codes_keep_format(void **st)
{
	static dp_column c6 = { .name = "birth_number", .type_decl = "CHAR(6)", .tclass = DP_T_TEXT, .length = 6 };
	dp_column c = col_text;
	dp_gen *bn = mk("mock:national_id", &c6, 4, -1, "client");
	dp_gen *id = mk("mock:national_id", &c, 4, -1, "t");
	dp_gen *cc = mk("mock:credit_card", &c, 4, -1, "t");
	dp_gen *ib = mk("mock:iban", &c, 4, -1, "t");
	dp_gen *ss = mk("mock:ssn", &c, 4, -1, "t");
	dp_gen *ac = mk("mock:account_number", &c, 4, -1, "t");
	char *o;

	(void)st;
	for (int i = 0; i < 40; i++) {
		int m, d;
		o = apply(bn, "706213", (uint64_t)i);    /* 1970-12-13, a woman */
		assert_int_equal(strlen(o), 6);
		m = (o[2] - '0') * 10 + (o[3] - '0');
		d = (o[4] - '0') * 10 + (o[5] - '0');
		assert_true(m >= 51 && m <= 62 && d >= 1 && d <= 31);
		assert_true(!strncmp(o, "70", 2) || !strncmp(o, "69", 2));
		free(o);
	}
	o = apply(id, "111222333", 0);
	assert_true(dp_bsn_valid(o));
	assert_string_not_equal(o, "111222333");
	free(o);
	o = apply(cc, "4111111111111111", 0);
	assert_int_equal(strlen(o), 16);
	assert_true(dp_luhn_valid(o));
	assert_string_not_equal(o, "4111111111111111");
	free(o);
	o = apply(cc, "4111 1111 1111 1111", 0);
	assert_true(o[4] == ' ' && o[9] == ' ');
	free(o);
	o = apply(ib, "NL91ABNA0417164300", 0);
	assert_true(dp_iban_valid(o));
	assert_true(!strncmp(o, "NL", 2));
	assert_string_not_equal(o, "NL91ABNA0417164300");
	free(o);
	o = apply(ss, "123-45-6789", 0);
	assert_true(strlen(o) == 11 && o[3] == '-' && o[6] == '-' && o[0] != '9' && strncmp(o, "000", 3));
	free(o);
	/* an account number: same shape, a bijection (consistent) */
	{
		char *a1 = apply(ac, "0012345678", 0), *a2 = apply(ac, "0012345678", 9), *a3 = apply(ac, "0012345679", 0);
		assert_int_equal(strlen(a1), 10);
		assert_string_equal(a1, a2);
		assert_string_not_equal(a1, a3);
		free(a1); free(a2); free(a3);
	}
	dp_gen_free(bn); dp_gen_free(id); dp_gen_free(cc); dp_gen_free(ib); dp_gen_free(ss); dp_gen_free(ac);
}

/* split birth dates, gender codes and coordinates agree within a row */
static void test_row_groups(void **st)
{
	static dp_column cy = { .name = "birthYear", .type_decl = "INTEGER", .tclass = DP_T_INTEGER };
	static dp_column cm = { .name = "birthMonth", .type_decl = "INTEGER", .tclass = DP_T_INTEGER };
	static dp_column cd = { .name = "birthDay", .type_decl = "INTEGER", .tclass = DP_T_INTEGER };
	static dp_column cg = { .name = "gender", .type_decl = "CHAR(1)", .tclass = DP_T_TEXT, .length = 1 };
	static dp_column cla = { .name = "latitude", .type_decl = "REAL", .tclass = DP_T_REAL };
	dp_gen *y = mk("mock:birth_year", &cy, 5, -1, "People"), *m = mk("mock:birth_month", &cm, 5, -1, "People");
	dp_gen *d = mk("mock:birth_day", &cd, 5, -1, "People"), *g = mk("mock:gender", &cg, 5, -1, "People");
	dp_gen *la = mk("mock:latitude", &cla, 5, -1, "People");
	dp_batch *b = dp_batch_new(1, 8);
	dp_errbuf eb;
	int males = 0;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	(void)st;
	dp_errbuf_clear(&eb);
	for (uint64_t row = 0; row < 100; row++) {
		dp_value in, oy, om, od, ol;
		char *o;
		dp_value_set_int(&in, 1975);
		assert_int_equal(dp_gen_apply(y, &in, row, b, &oy, &eb), 0);
		dp_value_set_int(&in, 2);
		assert_int_equal(dp_gen_apply(m, &in, row, b, &om, &eb), 0);
		dp_value_set_int(&in, 29);
		assert_int_equal(dp_gen_apply(d, &in, row, b, &od, &eb), 0);
		assert_int_equal(oy.u.i, 1974);
		assert_true(om.u.i >= 1 && om.u.i <= 12);
		assert_true(od.u.i >= 1 && od.u.i <= mdays[om.u.i - 1]);
		o = apply(g, row % 2 ? "M" : "F", row);
		assert_true(!strcmp(o, "M") || !strcmp(o, "F"));
		males += !strcmp(o, "M");
		free(o);
		dp_value_set_real(&in, 52.37);
		assert_int_equal(dp_gen_apply(la, &in, row, b, &ol, &eb), 0);
		assert_true(ol.kind == DP_V_REAL && ol.u.d != 52.37 && ol.u.d > 52.33 && ol.u.d < 52.41);
		dp_batch_reset(b);
	}
	assert_true(males > 25 && males < 75);
	{
		char *o = apply(g, "X", 0);
		assert_string_equal(o, "X");     /* an unknown code is a category */
		free(o);
	}
	dp_batch_free(b);
	dp_gen_free(y); dp_gen_free(m); dp_gen_free(d); dp_gen_free(g); dp_gen_free(la);
}

/* the dictionaries: thousands of names, weighted, and the cardinalities the
 * plan reads */
static void test_dictionaries_at_scale(void **st)
{
	dp_rng r;
	dp_buf v = DP_BUF_INIT;
	size_t smith = 0, distinct = 0;
	static char seen[1 << 16];

	(void)st;
	assert_true(dp_mock_cardinality("last_name", "en") >= 80000);
	assert_true(dp_mock_cardinality("first_name", "en") >= 5000);
	assert_true(dp_mock_cardinality("first_name", "nl") >= 1000);
	assert_true(dp_mock_cardinality("last_name", "nl") >= 2000);
	assert_true(dp_mock_cardinality("first_name", "de") >= 1000 && dp_mock_cardinality("last_name", "de") >= 1500);
	assert_true(dp_mock_cardinality("first_name", "fr") >= 3000);
	assert_true(dp_mock_cardinality("full_name", "en") >= (size_t)80000 * 5000);
	assert_int_equal(dp_mock_cardinality("gender", "en"), 2);
	assert_int_equal(dp_mock_cardinality("uuid", "en"), SIZE_MAX);
	assert_int_equal(dp_mock_cardinality("no_such_kind", "en"), 0);
	assert_int_equal(dp_mock_cardinality("first_name", "xx"), 0);
	dp_rng_seed_u64(&r, 42);
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < 20000; i++) {
		uint32_t h = 2166136261u;
		dp_buf_reset(&v);
		assert_int_equal(dp_mock_generate("last_name", "en", &r, &v), 0);
		smith += !strcmp(dp_buf_str(&v), "Smith");
		for (size_t k = 0; k < v.len; k++)
			h = (h ^ (unsigned char)v.data[k]) * 16777619u;
		distinct += !seen[h & 0xffff];
		seen[h & 0xffff] = 1;
	}
	/* Smith ~0.7 % (weighted, not 1 in 88,799), and thousands of names */
	assert_true(smith >= 60 && smith <= 300);
	assert_true(distinct >= 5000);
	dp_buf_free(&v);
}

/* the date shapes and birth codes the row shift understands, as a table */
static void test_date_shapes_and_birth_codes(void **st)
{
	static const struct { const char *in; int days; const char *out; } dates[] = {
		{"2020-03-01", -1, "2020-02-29"},
		{"2020-03-01 10:11:12", -1, "2020-02-29 10:11:12"},
		{"20200301", -1, "20200229"},
		{"01.03.2021", -1, "28.02.2021"},
		{"01-03-2021", -365, "01-03-2020"},
		{"03/01/2021", -1, "02/28/2021"},     /* US order */
		{"13/01/2021", -13, "31/12/2020"},    /* day first: 13 is no month */
		{"1999-12-31", 1, "2000-01-01"},
		{"Germany", -1, NULL},
		{"123", -1, NULL},
	};
	static const struct { const char *in; int days; const char *out; } codes[] = {
		{"706213", -1, "706212"},            /* 1970-12-13, woman: month + 50 kept */
		{"700101", -1, "691231"},
		{"705101", -1, "696231"},
		{"7062131234", -13, "7061301234"},   /* Nov 30, tail copied */
		{"991340", -1, NULL},                /* no date */
	};
	(void)st;
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		dp_buf b = DP_BUF_INIT;
		int rc = dp_mask_date_shift_any(dates[i].in, strlen(dates[i].in), dates[i].days, &b);
		if (!dates[i].out) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			if (strcmp(dp_buf_str(&b), dates[i].out))
				fail_msg("%s %+d: %s, expected %s", dates[i].in, dates[i].days, dp_buf_str(&b), dates[i].out);
		}
		dp_buf_free(&b);
	}
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char o[16] = {0};
		size_t n = strlen(codes[i].in);
		int rc = dp_mask_birth_code(codes[i].in, n, codes[i].days, o);
		if (!codes[i].out) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		o[n] = '\0';
		if (strcmp(o, codes[i].out))
			fail_msg("%s %+d: %s, expected %s", codes[i].in, codes[i].days, o, codes[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_masks),
		cmocka_unit_test(test_column_type_table),
		cmocka_unit_test(test_generated_column_refuses_generators),
		cmocka_unit_test(test_check_in_list),
		cmocka_unit_test(test_typed_mocks),
		cmocka_unit_test(test_consistent_and_keyed),
		cmocka_unit_test(test_consistent_memo_is_transparent),
		cmocka_unit_test(test_inconsistent_varies_by_row),
		cmocka_unit_test(test_mock_never_returns_input),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_truncation_respects_utf8),
		cmocka_unit_test(test_hash_keeps_integer_width),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_constant_converts),
		cmocka_unit_test(test_hmac_fast_path_equals_openssl),
		cmocka_unit_test(test_mock_library),
		cmocka_unit_test(test_row_date_shift),
		cmocka_unit_test(test_mocks_fit_width),
		cmocka_unit_test(test_codes_keep_format),
		cmocka_unit_test(test_row_groups),
		cmocka_unit_test(test_dictionaries_at_scale),
		cmocka_unit_test(test_date_shapes_and_birth_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
