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

/* Per-locale word lists (locale_*.c). */
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
} dp_locale_data;

extern const dp_locale_data dp_locale_en, dp_locale_nl, dp_locale_de, dp_locale_fr;

/* Checksums the mock generators satisfy (exported for tests). */
int dp_luhn_valid(const char *digits);
int dp_iban_valid(const char *iban);
int dp_bsn_valid(const char *nine_digits);
int dp_steuerid_valid(const char *eleven_digits);
int dp_nir_valid(const char *fifteen_digits);

#endif
