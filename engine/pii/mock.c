/* engine/pii/mock.c - mock people data from the locale word lists. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "mock.h"

static const dp_locale_data *const locales[] = { &dp_locale_en };

static const dp_locale_data *find_locale(const char *code)
{
	for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (!strcmp(locales[i]->code, code ? code : "en"))
			return locales[i];
	return NULL;
}

int dp_mock_has_locale(const char *locale)
{
	return find_locale(locale) != NULL;
}

const char *dp_mock_locale_list(void)
{
	return "en";
}

static const char *pick(const char *const *list, dp_rng *r)
{
	size_t n = 0;
	while (list[n])
		n++;
	return list[dp_rng_below(r, n)];
}

static int put_format(const char *fmt, dp_rng *r, dp_buf *out)
{
	int rc = DP_OK;
	for (; *fmt && !rc; fmt++) {
		char ch = *fmt;
		if (ch == '#')
			ch = (char)('0' + dp_rng_below(r, 10));
		else if (ch == 'A')
			ch = (char)('A' + dp_rng_below(r, 26));
		rc = dp_buf_append(out, &ch, 1);
	}
	return rc;
}

/* lower-case ASCII letters of s (names are ASCII in the lists) */
static int put_lower(const char *s, dp_buf *out)
{
	int rc = DP_OK;
	for (; *s && !rc; s++) {
		if (isalnum((unsigned char)*s)) {
			char ch = (char)tolower((unsigned char)*s);
			rc = dp_buf_append(out, &ch, 1);
		}
	}
	return rc;
}

static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* A birth date for an age of 18..90 on the fixed reference day 2025-01-01
 * (a fixed day, not today, so a seed reproduces a target forever). */
static int put_birth_date(dp_rng *r, dp_buf *out)
{
	int y = 2025 - 18 - (int)dp_rng_below(r, 73);
	int m = (int)dp_rng_below(r, 12);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int d = 1 + (int)dp_rng_below(r, (uint64_t)(mdays[m] + (m == 1 && leap)));
	return dp_buf_printf(out, "%04d-%02d-%02d", y, m + 1, d);
}

int dp_mock_generate(const char *kind, const char *locale, dp_rng *r, dp_buf *out)
{
	const dp_locale_data *L = find_locale(locale);

	if (!L)
		return DP_ERR_NOTFOUND;
	if (!strcmp(kind, "first_name"))
		return dp_buf_puts(out, pick(L->first_names, r));
	if (!strcmp(kind, "last_name"))
		return dp_buf_puts(out, pick(L->last_names, r));
	if (!strcmp(kind, "full_name"))
		return dp_buf_printf(out, "%s %s", pick(L->first_names, r), pick(L->last_names, r));
	if (!strcmp(kind, "email")) {
		static const char *const domains[] = { "example.com", "example.org", "example.net" };
		static const char *const seps[] = { ".", "_", "" };
		const char *f = pick(L->first_names, r), *l = pick(L->last_names, r);
		int rc = put_lower(f, out);
		if (!rc)
			rc = dp_buf_puts(out, seps[dp_rng_below(r, 3)]);
		if (!rc)
			rc = put_lower(l, out);
		/* a number keeps equal names apart: collisions stay rare */
		if (!rc)
			rc = dp_buf_printf(out, "%u@%s", (unsigned)dp_rng_below(r, 1000),
					   domains[dp_rng_below(r, 3)]);
		return rc;
	}
	if (!strcmp(kind, "phone"))
		return put_format(L->phone_format, r, out);
	if (!strcmp(kind, "street_address")) {
		unsigned no = 1 + (unsigned)dp_rng_below(r, 9999);
		const char *st = pick(L->streets, r);
		return L->number_after_street ? dp_buf_printf(out, "%s %u", st, no)
					      : dp_buf_printf(out, "%u %s", no, st);
	}
	if (!strcmp(kind, "city"))
		return dp_buf_puts(out, pick(L->cities, r));
	if (!strcmp(kind, "postcode"))
		return put_format(L->postcode_format, r, out);
	if (!strcmp(kind, "date_of_birth"))
		return put_birth_date(r, out);
	return DP_ERR_NOTFOUND;
}
