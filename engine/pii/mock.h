/* engine/pii/mock.h - mock values of people data, per locale.
 *
 * Plain functions of a dp_rng: the caller seeds it (from an HMAC of the input
 * value for consistent mocks), so the same seed gives the same value. Every
 * e-mail uses the reserved example.com/.net/.org domains, every phone number
 * a range set aside for fiction (en: 555-01xx), so a mock never reaches a
 * real person.
 */
#ifndef DP_MOCK_H
#define DP_MOCK_H

#include "../../base/dp_buf.h"
#include "../../base/dp_rng.h"

/* Append one `kind` value in `locale` to out. DP_ERR_NOTFOUND for an unknown
 * kind or locale. */
int dp_mock_generate(const char *kind, const char *locale, dp_rng *r, dp_buf *out) DP_MUSTCHECK;
/* Is `locale` available? */
int dp_mock_has_locale(const char *locale);
/* "en, ..." for messages. */
const char *dp_mock_locale_list(void);

/* How many distinct values mock `kind` can produce in `locale` (the plan
 * compares it with the rows of a unique column before choosing a mock).
 * Exact for list picks (names, cities, ...), the product of the parts for
 * composed values (full_name = first x last), capped at SIZE_MAX; SIZE_MAX
 * for kinds that are effectively unbounded (uuid, text, ...) and for the
 * format-preserving kinds that map the input (account_number: a bijection).
 * 0 for an unknown kind or locale. */
size_t dp_mock_cardinality(const char *kind, const char *locale);

/* A frequency-weighted name dictionary (names_data.c, generated from
 * engine/pii/data/ by gen_names.sh): names[i] is picked with probability
 * (cum[i] - cum[i-1]) / cum[n-1]. Static, read-only. */
typedef struct dp_name_dict {
	const char *const *names;
	const uint32_t *cum;             /* cumulative weights */
	size_t n;
} dp_name_dict;

extern const dp_name_dict dp_names_en_first, dp_names_en_last, dp_names_nl_first, dp_names_nl_last,
	dp_names_de_first, dp_names_de_last, dp_names_fr_first, dp_names_fr_last;

/* A weighted pick from d. */
const char *dp_name_dict_pick(const dp_name_dict *d, dp_rng *r);
/* A weighted pick among the names of d of at most max_chars characters
 * (0 = any), NULL when none is that short. */
const char *dp_name_dict_pick_fit(const dp_name_dict *d, dp_rng *r, size_t max_chars);

/* Append one `kind` value of at most max_chars characters (0 = no limit):
 * names are drawn among the names that fit, e-mails and user names shortened
 * (initial, fewer digits) before giving up. DP_ERR_TYPE when no value of
 * the kind fits (a fixed-format code longer than the column). */
int dp_mock_generate_fit(const char *kind, const char *locale, dp_rng *r, size_t max_chars,
			 dp_buf *out) DP_MUSTCHECK;

/* Per-locale word lists (locale_*.c). first_names / last_names are the
 * short lists of common names the detectors use; mock_first / mock_last
 * the large weighted dictionaries the mocks draw from. */
typedef struct dp_locale_data {
	const char *code;
	const char *const *first_names;
	const char *const *last_names;
	const char *const *streets;      /* street names without number */
	const char *const *cities;
	const char *const *regions;      /* states / provinces */
	const char *const *company_suffixes;
	const char *const *job_titles;
	const char *phone_format;        /* '#' = random digit */
	const char *postcode_format;     /* '#' digit, 'A' letter */
	int number_after_street;         /* "Hoofdstraat 12" vs "12 Main St" */
	const char *country;             /* country name in the locale's language */
	const char *country_code;        /* ISO 3166 alpha-2 */
	const char *iban_country;        /* IBAN country (en: GB, the US has none) */
	const char *iban_bban;           /* BBAN format: '#' digit, 'A' letter */
	const char *tld;                 /* top-level domain for URLs (example.<tld>
	                                    is never used for mail) */
	const dp_name_dict *mock_first;
	const dp_name_dict *mock_last;
} dp_locale_data;

extern const dp_locale_data dp_locale_en, dp_locale_nl, dp_locale_de, dp_locale_fr;

/* Checksums the mock generators satisfy (exported for tests). */
int dp_luhn_valid(const char *digits);
int dp_iban_valid(const char *iban);
int dp_bsn_valid(const char *nine_digits);
int dp_steuerid_valid(const char *eleven_digits);
int dp_nir_valid(const char *fifteen_digits);

#endif
