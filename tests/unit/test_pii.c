/* tests/unit/test_pii.c - the value detectors of the PII scan: patterns with
 * validators, postcodes by shape, name dictionaries that ignore categories,
 * the free-text flag, and the free-text scanner's spans. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/pii/detect.h"
#include "engine/pii/mock.h"
#include "engine/gen/textpii.h"

static const char *detect(const char *const *vals, size_t n)
{
	static char kind[32];
	dp_pii_sampler *s = dp_pii_sampler_new(NULL);
	dp_pii_hit hit;
	for (size_t i = 0; i < n; i++)
		dp_pii_sampler_add(s, vals[i], strlen(vals[i]));
	snprintf(kind, sizeof(kind), "%s", dp_pii_sampler_result(s, &hit) ? hit.kind : "-");
	dp_pii_sampler_free(s);
	return kind;
}
#define DETECT(...) detect((const char *const[]){__VA_ARGS__}, sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

static void test_patterns(void **st)
{
	(void)st;
	assert_string_equal(DETECT("a@b.org", "x.y@mail.example.com", "q@r.nl", "z@w.de", "k@l.fr"), "email");
	assert_string_equal(DETECT("NL91ABNA0417164300", "DE89370400440532013000", "GB82WEST12345698765432",
				   "NL91 ABNA 0417 1643 00", "FR1420041010050500013M02606"), "iban");
	assert_string_equal(DETECT("4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009",
				   "4012888888881881", "6011000000000004"), "credit_card");
	assert_string_equal(DETECT("1234 AB", "3511 LX", "9999ZZ", "1011 AA", "2513 AE"), "postcode");
	assert_string_equal(DETECT("SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH"), "postcode");
	assert_string_equal(DETECT("K1A 0B1", "H3Z 2Y7", "V6B 4Y8", "T2P 1J9", "M5V 3L9"), "postcode");
	/* five bare digits: no shape says postcode */
	assert_string_equal(DETECT("12345", "54321", "90210", "10115", "75001"), "-");
	assert_string_equal(DETECT("192.168.1.10", "10.0.0.1", "172.16.5.4", "8.8.8.8", "1.1.1.1"), "ipv4");
	assert_string_equal(DETECT("2001:db8::1", "fe80::1ff:fe23:4567:890a", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
				   "::1", "2001:db8:0:0:1:0:0:1"), "ipv6");
	/* MAC addresses look like hex groups, but are no IPv6 address */
	assert_string_not_equal(DETECT("08:00:2b:01:02:03", "00:1a:2b:3c:4d:5e", "f0:de:f1:aa:bb:cc",
				       "de:ad:be:ef:00:01", "02:42:ac:11:00:02"), "ipv6");
}

static void test_names_and_categories(void **st)
{
	(void)st;
	assert_string_equal(DETECT("Mary", "John", "Linda", "James", "Sarah", "Thomas", "Emma"), "first_name");
	/* a column of a few repeated surname-like words is a category */
	assert_string_equal(DETECT("White", "Black", "White", "White", "Black", "White", "Black", "White",
				   "White", "Black", "White", "White", "Black", "White", "White", "Black",
				   "White", "White", "Black", "White", "Black", "White", "White", "Black",
				   "White", "White"), "-");
}

static void test_free_text_flag(void **st)
{
	dp_pii_sampler *s = dp_pii_sampler_new(NULL);
	(void)st;
	for (int i = 0; i < 10; i++) {
		const char *v = "the parcel arrived late and the customer asked for a refund";
		dp_pii_sampler_add(s, v, strlen(v));
	}
	assert_true(dp_pii_sampler_free_text(s));
	dp_pii_sampler_free(s);
	s = dp_pii_sampler_new(NULL);
	for (int i = 0; i < 10; i++)
		dp_pii_sampler_add(s, "Rock", 4);
	assert_false(dp_pii_sampler_free_text(s));
	dp_pii_sampler_free(s);
}

/* What decides free text, as a table: a column of values is free text
 * when they have words (letters separated by spaces) and are long or wordy;
 * blank padding counts for nothing. */
static int free_text_of(const char *v, int times)
{
	dp_pii_sampler *s = dp_pii_sampler_new(NULL);
	int r;
	for (int i = 0; i < times; i++)
		dp_pii_sampler_add(s, v, strlen(v));
	r = dp_pii_sampler_free_text(s);
	dp_pii_sampler_free(s);
	return r;
}

static void test_free_text_padded_codes(void **st)
{
	static const struct { const char *v; int free_text; } cases[] = {
		/* perf-smoke's code char(40) and pgbench's filler char(84) */
		{ "C000042                                 ", 0 },
		{ "                                                                                    ", 0 },
		/* one long token: a hash, a token, a path */
		{ "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 0 },
		{ "/var/lib/app/uploads/2024/03/04/customer-export-final-v2.csv", 0 },
		/* numbers separated by spaces are no words */
		{ "12 34 56 78 90 12 34 56 78 90 12 34 56 78 90", 0 },
		/* text, padded or not */
		{ "the parcel arrived late and the customer asked for a refund", 1 },
		{ "called Mary Smith, mail mary@x.org                                              ", 1 },
		{ "  please call back about the invoice  ", 1 },
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (free_text_of(cases[i].v, 10) != cases[i].free_text)
			fail_msg("free text of '%s': expected %d", cases[i].v, cases[i].free_text);
	}
}

static char *scan(const dp_textpii *t, const char *in)
{
	dp_buf out = DP_BUF_INIT;
	dp_batch *sc = dp_batch_new(1, 16);
	dp_errbuf eb;
	size_t found = 0;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_textpii_apply(t, in, strlen(in), sc, &out, &found, &eb), DP_OK);
	dp_batch_free(sc);
	char *p = dp_buf_steal(&out);
	return p ? p : strdup("");
}

static void test_scanner_spans(void **st)
{
	dp_textpii_opts o;
	dp_textpii *t = NULL;
	dp_namebook *b = dp_namebook_new();
	dp_job_key key;
	dp_errbuf eb;
	char *r;
	(void)st;
	assert_int_equal(dp_namebook_add(b, "ZYLPHA QORVATH", 14, 3), DP_OK);
	assert_int_equal(dp_namebook_add_value(b, "17 Quayside Row", 15, "street_address"), DP_OK);
	dp_job_key_from_seed(1, &key);
	memset(&o, 0, sizeof(o));
	o.mock_replace = 0;
	o.key = &key;
	o.book = b;
	o.table_col = "t.c";
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_textpii_new(&o, &t, &eb), DP_OK);
	/* dates, versions and plain numbers are left alone */
	r = scan(t, "Invoice 2021-03-04 10:00, version 1.2.3, order 12345, total 99.95");
	assert_string_equal(r, "Invoice 2021-03-04 10:00, version 1.2.3, order 12345, total 99.95");
	free(r);
	/* a name the database holds (no dictionary has it), and a known address */
	r = scan(t, "Zylpha Qorvath moved to 17 Quayside Row last week.");
	assert_string_equal(r, "<PERSON> moved to <STREET_ADDRESS> last week.");
	free(r);
	r = scan(t, "Mail JOHN SMITH at john.smith@corp.example or call (555) 010-4477.");
	assert_string_equal(r, "Mail <PERSON> at <EMAIL> or call <PHONE>.");
	free(r);
	/* an invalid IBAN checksum and a non-Luhn number stay */
	r = scan(t, "IBAN NL91ABNA0417164301 card 4111 1111 1111 1112");
	assert_string_equal(r, "IBAN NL91ABNA0417164301 card 4111 1111 1111 1112");
	free(r);
	dp_textpii_free(t);
	dp_namebook_free(b);
}

/* 100,000 values sharing their first bytes (the e-mails of one domain's
 * "user<n>@" scheme): every one is found, a near miss is not, duplicates are
 * kept once, and the scanner replaces the longest known value at a word
 * boundary only. */
static void test_namebook_shared_prefix(void **st)
{
	dp_namebook *b = dp_namebook_new();
	char v[64];
	(void)st;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(v, sizeof(v), "user%d@corp.test", i);
		assert_int_equal(dp_namebook_add_value(b, v, (size_t)n, "email"), DP_OK);
	}
	/* again, blank-padded: the same values */
	for (int i = 0; i < 1000; i++) {
		int n = snprintf(v, sizeof(v), "  user%d@corp.test   ", i);
		assert_int_equal(dp_namebook_add_value(b, v, (size_t)n, "email"), DP_OK);
	}
	assert_int_equal(dp_namebook_values(b), 100000);
	assert_int_equal(dp_namebook_dropped(b), 0);
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(v, sizeof(v), "user%d@corp.test", i);
		assert_true(dp_namebook_has_value(b, v, (size_t)n));
	}
	assert_false(dp_namebook_has_value(b, "user100000@corp.test", 20));
	assert_false(dp_namebook_has_value(b, "user1@corp.tes", 14));
	assert_false(dp_namebook_has_value(b, "USER1@corp.test", 15));
	assert_false(dp_namebook_has_value(b, "short", 5));
	{
		dp_textpii_opts o;
		dp_textpii *t = NULL;
		dp_job_key key;
		dp_errbuf eb;
		char *r;
		dp_job_key_from_seed(1, &key);
		memset(&o, 0, sizeof(o));
		o.key = &key;
		o.book = b;
		o.table_col = "t.c";
		/* patterns off: only the book can find the e-mails */
		dp_pii_settings ps;
		memset(&ps, 0, sizeof(ps));
		o.pii = &ps;
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_textpii_new(&o, &t, &eb), DP_OK);
		r = scan(t, "mail user4242@corp.test or user99999@corp.test, not user4242@corp.tests "
			    "nor xuser12@corp.test nor user100000@corp.test");
		assert_string_equal(r, "mail <EMAIL> or <EMAIL>, not user4242@corp.tests "
				       "nor xuser12@corp.test nor user100000@corp.test");
		free(r);
		dp_textpii_free(t);
	}
	dp_namebook_free(b);
}

/* Memory is bounded by the limits, not by how many values are offered. */
static void test_namebook_bounded(void **st)
{
	dp_namebook *b = dp_namebook_new();
	char v[64];
	size_t full;
	(void)st;
	dp_namebook_limit(b, 5000, 1 << 20);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(v, sizeof(v), "user%d@corp.test", i);
		assert_int_equal(dp_namebook_add_value(b, v, (size_t)n, "email"), DP_OK);
	}
	full = dp_namebook_bytes(b);
	for (int i = 5000; i < 200000; i++) {
		int n = snprintf(v, sizeof(v), "user%d@corp.test", i);
		assert_int_equal(dp_namebook_add_value(b, v, (size_t)n, "email"), DP_OK);
	}
	assert_int_equal(dp_namebook_values(b), 5000);
	assert_int_equal(dp_namebook_dropped(b), 195000);
	assert_int_equal(dp_namebook_bytes(b), full);
	assert_true(dp_namebook_has_value(b, "user4999@corp.test", 18));
	assert_false(dp_namebook_has_value(b, "user5000@corp.test", 18));
	dp_namebook_free(b);
	/* the byte bound: 100 values of 100 bytes fit in 10,000 bytes, no more */
	b = dp_namebook_new();
	dp_namebook_limit(b, 1000000, 10000);
	for (int i = 0; i < 1000; i++) {
		memset(v, 'a' + i % 26, 60);
		snprintf(v + 60, 4, "%03d", i);
		assert_int_equal(dp_namebook_add_value(b, v, 63, "street_address"), DP_OK);
	}
	assert_int_equal(dp_namebook_values(b), 10000 / 63);
	assert_true(dp_namebook_bytes(b) < 10000 + 65536);
	dp_namebook_free(b);
}


/* Column names in every spelling, as a table: (table, column, type class,
 * expected kind or "-"). Includes the names that must not be flagged. */
static void test_column_names(void **st)
{
	static const struct { const char *table, *col; dp_tclass t; const char *kind; } cases[] = {
		{"People", "nameFirst", DP_T_TEXT, "first_name"},
		{"People", "nameLast", DP_T_TEXT, "last_name"},
		{"People", "nameGiven", DP_T_TEXT, "first_name"},
		{"users", "FName", DP_T_TEXT, "first_name"},
		{"users", "fname", DP_T_TEXT, "first_name"},
		{"users", "LName", DP_T_TEXT, "last_name"},
		{"users", "FirstName", DP_T_TEXT, "first_name"},
		{"users", "given_name", DP_T_TEXT, "first_name"},
		{"users", "surname", DP_T_TEXT, "last_name"},
		{"users", "middle_name", DP_T_TEXT, "first_name"},
		{"klanten", "achternaam", DP_T_TEXT, "last_name"},
		{"klanten", "voornaam", DP_T_TEXT, "first_name"},
		{"Kunden", "Nachname", DP_T_TEXT, "last_name"},
		{"Kunden", "Vorname", DP_T_TEXT, "first_name"},
		{"clients", "prenom", DP_T_TEXT, "first_name"},
		{"clients", "nom_de_famille", DP_T_TEXT, "last_name"},
		{"clientes", "apellido", DP_T_TEXT, "last_name"},
		{"customer", "name", DP_T_TEXT, "full_name"},
		{"customers", "customer_name", DP_T_TEXT, "full_name"},
		{"users", "display_name", DP_T_TEXT, "full_name"},
		{"users", "username", DP_T_TEXT, "username"},
		/* names that are no person's */
		{"product", "name", DP_T_TEXT, "-"},
		{"genre", "name", DP_T_TEXT, "-"},
		{"track", "Name", DP_T_TEXT, "-"},
		{"Artist", "Name", DP_T_TEXT, "-"},
		{"files", "filename", DP_T_TEXT, "-"},
		{"servers", "hostname", DP_T_TEXT, "-"},
		{"servers", "host_name", DP_T_TEXT, "-"},
		{"servers", "display_name", DP_T_TEXT, "-"},
		{"products", "product_name", DP_T_TEXT, "-"},
		{"customers", "company_name", DP_T_TEXT, "company"},
		/* birth dates need a birth word; event dates are none */
		{"employees", "birth_date", DP_T_DATE, "date_of_birth"},
		{"users", "DOB", DP_T_TEXT, "date_of_birth"},
		{"users", "dateOfBirth", DP_T_DATE, "date_of_birth"},
		{"Kunden", "Geburtsdatum", DP_T_DATE, "date_of_birth"},
		{"klanten", "geboortedatum", DP_T_DATE, "date_of_birth"},
		{"clients", "date_de_naissance", DP_T_DATE, "date_of_birth"},
		{"clientes", "fecha_nacimiento", DP_T_DATE, "date_of_birth"},
		{"persone", "data_di_nascita", DP_T_DATE, "date_of_birth"},
		{"employees", "hire_date", DP_T_DATE, "-"},
		{"dept_emp", "from_date", DP_T_DATE, "-"},
		{"dept_emp", "valid_to", DP_T_DATE, "-"},
		{"orders", "ship_date", DP_T_DATE, "-"},
		/* birth places, numbers and parts */
		{"People", "birthCountry", DP_T_TEXT, "-"},
		{"People", "birthState", DP_T_TEXT, "-"},
		{"People", "birthCity", DP_T_TEXT, "city"},
		{"persons", "place_of_birth", DP_T_TEXT, "city"},
		{"client", "birth_number", DP_T_TEXT, "national_id"},
		{"People", "birthYear", DP_T_TEXT, "birth_year"},
		{"People", "birthMonth", DP_T_TEXT, "birth_month"},
		{"People", "birthDay", DP_T_TEXT, "birth_day"},
		{"births", "birth_weight", DP_T_INTEGER, "-"},
		/* coordinates, accounts, gender */
		{"customer_address", "latitude", DP_T_TEXT, "latitude"},
		{"customer_address", "lng", DP_T_TEXT, "longitude"},
		{"stores", "latitude", DP_T_REAL, "-"},
		{"airports", "lon", DP_T_REAL, "-"},
		{"trans", "partner_account_no", DP_T_TEXT, "account_number"},
		{"klanten", "rekeningnummer", DP_T_TEXT, "account_number"},
		{"employees", "gender", DP_T_TEXT, "-"},
		{"Kunden", "Geschlecht", DP_T_TEXT, "-"},
		{"addresses", "BillingAddress", DP_T_TEXT, "street_address"},
		{"addresses", "email_address", DP_T_TEXT, "email"},
		{"hosts", "ip_address", DP_T_TEXT, "ipv4"},
		{"hosts", "mac_address", DP_T_TEXT, "-"},
		{"customers", "cust_fname", DP_T_TEXT, "first_name"},
		{"employees", "emp_lname", DP_T_TEXT, "last_name"},
		{"accounts", "AccountHolderName", DP_T_TEXT, "full_name"},
		{"orders", "ShipName", DP_T_TEXT, "full_name"},
		{"orders", "ship_to_name", DP_T_TEXT, "full_name"},
		{"ships", "ship_name", DP_T_TEXT, "-"},
		{"customers", "name_suffix", DP_T_TEXT, "-"},
		{"customers", "cellNumber", DP_T_TEXT, "phone"},
		{"customers", "tax_id", DP_T_TEXT, "national_id"},
		{"customers", "driver_license_number", DP_T_TEXT, "national_id"},
		{"payments", "card_no", DP_T_TEXT, "credit_card"},
		{"logs", "client_ip", DP_T_TEXT, "ipv4"},
		{"users", "last_login", DP_T_TEXT, "-"},
		{"users", "pwd_hash", DP_T_TEXT, "password"},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dp_column c;
		dp_pii_hit hit;
		const char *got;
		memset(&c, 0, sizeof(c));
		c.name = (char *)cases[i].col;
		c.tclass = cases[i].t;
		got = dp_pii_detect_column(cases[i].table, &c, 0, NULL, &hit) ? hit.kind : "-";
		if (strcmp(got, cases[i].kind))
			fail_msg("%s.%s: %s, expected %s", cases[i].table, cases[i].col, got, cases[i].kind);
	}
	{
		/* gender is a quasi-identifier: reported apart, no verdict */
		static const char *const q[] = { "gender", "sex", "Geschlecht", "geslacht", "sexe", "GenderCode" };
		for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
			dp_column c;
			dp_pii_hit hit;
			memset(&c, 0, sizeof(c));
			c.name = (char *)q[i];
			c.tclass = DP_T_TEXT;
			assert_true(dp_pii_detect_extra("people", &c, &hit));
			assert_true(hit.quasi);
			assert_string_equal(hit.kind, "gender");
			assert_false(dp_pii_detect_column("people", &c, 0, NULL, &hit));
		}
	}
	{
		/* numeric birth parts and coordinates: reported apart until the
		 * plan routes them to their mocks */
		static const struct { const char *table, *col; dp_tclass t; const char *kind; } ex[] = {
			{"People", "birthYear", DP_T_INTEGER, "birth_year"},
			{"People", "birthDay", DP_T_INTEGER, "birth_day"},
			{"customer_address", "latitude", DP_T_REAL, "latitude"},
			{"customer_address", "longitude", DP_T_NUMERIC, "longitude"},
		};
		for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
			dp_column c;
			dp_pii_hit hit;
			memset(&c, 0, sizeof(c));
			c.name = (char *)ex[i].col;
			c.tclass = ex[i].t;
			assert_false(dp_pii_detect_column(ex[i].table, &c, 0, NULL, &hit));
			assert_true(dp_pii_detect_extra(ex[i].table, &c, &hit));
			assert_string_equal(hit.kind, ex[i].kind);
			assert_false(hit.quasi);
		}
	}
	assert_true(dp_pii_name_is_event_date("hire_date"));
	assert_true(dp_pii_name_is_event_date("validFrom"));
	assert_false(dp_pii_name_is_event_date("birth_date"));
	assert_false(dp_pii_name_is_event_date("d1"));
}

/* birth dates by values: the spread of living people's ages, not of a
 * fifteen-year window of events or of sentinels */
static void test_birth_dates_by_values(void **st)
{
	char v[16];
	dp_pii_sampler *s;
	dp_pii_hit hit;

	(void)st;
	s = dp_pii_sampler_new(NULL);
	dp_pii_sampler_dates_only(s);
	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof(v), "%04d-%02d-%02d", 1935 + (i * 37) % 70, 1 + i % 12, 1 + i % 28);
		dp_pii_sampler_add(s, v, strlen(v));
	}
	assert_true(dp_pii_sampler_result(s, &hit));
	assert_string_equal(hit.kind, "date_of_birth");
	dp_pii_sampler_free(s);
	/* the same dates under an event name: no */
	s = dp_pii_sampler_new(NULL);
	dp_pii_sampler_dates_only(s);
	dp_pii_sampler_not_birth(s);
	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof(v), "%04d-%02d-%02d", 1935 + (i * 37) % 70, 1 + i % 12, 1 + i % 28);
		dp_pii_sampler_add(s, v, strlen(v));
	}
	assert_false(dp_pii_sampler_result(s, &hit));
	dp_pii_sampler_free(s);
	/* hire dates over 15 years: a narrow middle half */
	s = dp_pii_sampler_new(NULL);
	dp_pii_sampler_dates_only(s);
	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof(v), "%04d-%02d-%02d", 1985 + (i * 7) % 16, 1 + i % 12, 1 + i % 28);
		dp_pii_sampler_add(s, v, strlen(v));
	}
	assert_false(dp_pii_sampler_result(s, &hit));
	dp_pii_sampler_free(s);
	/* validity ranges ending in 9999-01-01, and recent order dates */
	s = dp_pii_sampler_new(NULL);
	dp_pii_sampler_dates_only(s);
	for (int i = 0; i < 300; i++) {
		if (i % 3)
			snprintf(v, sizeof(v), "9999-01-01");
		else
			snprintf(v, sizeof(v), "%04d-%02d-%02d", 1990 + i % 36, 1 + i % 12, 1 + i % 28);
		dp_pii_sampler_add(s, v, strlen(v));
	}
	assert_false(dp_pii_sampler_result(s, &hit));
	dp_pii_sampler_free(s);
}

/* The guided weighted pick gives what a full search of the cumulative
 * weights gives, for every dictionary, over many draws. */
static void test_name_dict_pick_exact(void **st)
{
	const dp_name_dict *dicts[] = { &dp_names_en_first, &dp_names_en_last, &dp_names_nl_first,
		&dp_names_nl_last, &dp_names_de_first, &dp_names_de_last, &dp_names_fr_first, &dp_names_fr_last };
	(void)st;
	for (size_t k = 0; k < sizeof(dicts) / sizeof(dicts[0]); k++) {
		const dp_name_dict *d = dicts[k];
		dp_rng r, copy;
		dp_rng_seed_u64(&r, 1234 + k);
		for (int i = 0; i < 20000; i++) {
			uint64_t x;
			size_t want = 0;
			copy = r;
			x = dp_rng_below(&copy, d->cum[d->n - 1]);
			while (d->cum[want] <= x)
				want++;
			assert_ptr_equal(dp_name_dict_pick(d, &r), d->names[want]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_names),
		cmocka_unit_test(test_name_dict_pick_exact),
		cmocka_unit_test(test_birth_dates_by_values),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_names_and_categories),
		cmocka_unit_test(test_free_text_flag),
		cmocka_unit_test(test_free_text_padded_codes),
		cmocka_unit_test(test_scanner_spans),
		cmocka_unit_test(test_namebook_shared_prefix),
		cmocka_unit_test(test_namebook_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
