/* engine/gen/textpii.h - PII inside free text.
 *
 * A scanner finds spans of personal data in a text - e-mail addresses,
 * URLs, IBANs (mod-97 checked), card numbers (Luhn), US SSNs, Dutch BSNs
 * (11-test), IPv4 addresses, phone numbers, and person names (a given name
 * from the dictionaries followed by a capitalised word, or a title followed
 * by one) - and rewrites the text with each span replaced: by a consistent
 * mock of its kind (the same mock the column generators give the same value,
 * so "mary@x.org" in a note and in the e-mail column become the same
 * address), or by a tag such as <EMAIL> (default_pii_mock_replace false).
 * Read-only after dp_textpii_new: thread-safe with one scratch batch per
 * thread.
 */
#ifndef DP_TEXTPII_H
#define DP_TEXTPII_H

#include <stddef.h>
#include "../../base/dp_buf.h"
#include "../../base/dp_value.h"
#include "../config/config.h"
#include "../../base/dp_rng.h"

typedef struct dp_textpii dp_textpii;

/* Names learned from the database itself: the values of the columns
 * detected as first, last or full names. Free text naming a customer is
 * caught even when the name is in no dictionary. Filled before the load,
 * read-only (and shared by every scanner) during it. */
typedef struct dp_namebook dp_namebook;
dp_namebook *dp_namebook_new(void);
void dp_namebook_free(dp_namebook *b);
/* Add the words of a name value: kind 1 given name, 2 surname, 3 full name
 * (first word given name, the rest surnames). */
int dp_namebook_add(dp_namebook *b, const char *v, size_t n, int kind) DP_MUSTCHECK;
size_t dp_namebook_count(const dp_namebook *b);
/* Add a whole PII value of a column mocked as `kind` ("email",
 * "street_address", ...): found verbatim in free text (6+ bytes), it is
 * replaced by the same mock the column gets for it. */
int dp_namebook_add_value(dp_namebook *b, const char *v, size_t n, const char *kind) DP_MUSTCHECK;
size_t dp_namebook_values(const dp_namebook *b);
/* Is v[0..n) (exactly, already trimmed) a known value? */
int dp_namebook_has_value(const dp_namebook *b, const char *v, size_t n);
/* Memory of the known values is bounded: at most max_values values and
 * max_bytes bytes of them (defaults below); a value beyond either is not
 * kept, only counted (dp_namebook_dropped). The defaults hold ten columns at
 * learn_names' 100,000 values each, of e-mail-sized values. */
#define DP_NAMEBOOK_MAX_VALUES 1000000
#define DP_NAMEBOOK_MAX_BYTES (64u << 20)
void dp_namebook_limit(dp_namebook *b, size_t max_values, size_t max_bytes);
size_t dp_namebook_dropped(const dp_namebook *b);
/* Bytes the book holds (tables and arena): for tests and logs. */
size_t dp_namebook_bytes(const dp_namebook *b);

typedef struct dp_textpii_opts {
	const dp_pii_settings *pii;  /* which detectors (patterns, dictionaries) */
	int mock_replace;            /* 1: mocks, 0: tags */
	const char *locale;
	const dp_job_key *key;
	const char *table_col;       /* for messages */
	const dp_namebook *book;     /* may be NULL; read during apply */
} dp_textpii_opts;

int dp_textpii_new(const dp_textpii_opts *o, dp_textpii **out, dp_errbuf *eb) DP_MUSTCHECK;
void dp_textpii_free(dp_textpii *t);

/* Append s[0..n) to out with its PII spans replaced; *found counts them.
 * `scratch` (a 1-column batch owned by the caller) holds mock values. */
int dp_textpii_apply(const dp_textpii *t, const char *s, size_t n, dp_batch *scratch,
		     dp_buf *out, size_t *found, dp_errbuf *eb) DP_MUSTCHECK;

/* Is w (n bytes, any case) a given name / surname of the dictionaries? */
int dp_name_is_first(const char *w, size_t n);
int dp_name_is_last(const char *w, size_t n);

#endif
