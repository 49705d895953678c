/* engine/pii/detect_values.c - PII detection from sampled values: patterns
 * checked by validators (so a 16-digit order number is not a card unless
 * its Luhn digit says so) and name dictionaries. */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "detect.h"
#include "mock.h"
#include "nameset.h"

enum {
	K_EMAIL, K_PHONE, K_IBAN, K_CARD, K_SSN, K_IPV4, K_IPV6, K_URL, K_UUID, K_DOB, K_POST,
	K_FIRST, K_LAST, K_FULL, NKINDS
};

static const char *const kind_names[NKINDS] = {
	"email", "phone", "iban", "credit_card", "national_id", "ipv4", "ipv6", "url", "uuid",
	"date_of_birth", "postcode", "first_name", "last_name", "full_name"
};
static const int pattern_kind[NKINDS] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 };

struct dp_pii_sampler {
	const dp_pii_settings *st;
	size_t n;
	size_t hits[NKINDS];
	/* dates seen by year, 1900..2027 (DOB_YEARS bins); sentinel dates are
	 * not counted; dates after the histogram (or after today) are `future` */
	uint32_t years[128];
	size_t ndates, future, recent;
	int dates_only;          /* a DATE/TIMESTAMP column: only birth dates apply */
	int not_birth;           /* the name says event dates */
	/* distinct values that matched a name dictionary (up to 64): a column of
	 * a handful of repeated words ("White", "Black") is a category, not names */
	uint64_t names[64];
	size_t nnames;
	/* free text: values, characters and words seen (blank padding not
	 * counted), and words with letters in them */
	size_t ntext, chars, words, lwords;
};

dp_pii_sampler *dp_pii_sampler_new(const dp_pii_settings *st)
{
	dp_pii_sampler *s = calloc(1, sizeof(*s));
	if (s)
		s->st = st;
	return s;
}

void dp_pii_sampler_dates_only(dp_pii_sampler *s)
{
	s->dates_only = 1;
}

void dp_pii_sampler_not_birth(dp_pii_sampler *s)
{
	s->not_birth = 1;
}

/* This year, for ages (detection only: no output depends on it). */
static int this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;
	if (now == (time_t)-1 || !gmtime_r(&now, &tm))
		return 2026;
	return tm.tm_year + 1900;
}

void dp_pii_sampler_free(dp_pii_sampler *s)
{
	free(s);
}

size_t dp_pii_sampler_count(const dp_pii_sampler *s)
{
	return s->n;
}

static int is_email(const char *v)
{
	const char *at = strchr(v, '@'), *dot;
	if (!at || at == v || strchr(at + 1, '@') || strchr(v, ' '))
		return 0;
	dot = strrchr(at, '.');
	return dot && dot > at + 1 && strlen(dot + 1) >= 2;
}

/* digits only, counting them; other allowed characters skipped */
static size_t digits_of(const char *v, const char *allowed, char *out, size_t max)
{
	size_t n = 0;
	for (; *v; v++) {
		if (isdigit((unsigned char)*v)) {
			if (n + 1 < max)
				out[n] = *v;
			n++;
		} else if (!strchr(allowed, *v)) {
			return 0;
		}
	}
	if (n < max)
		out[n] = '\0';
	return n;
}

static int is_phone(const char *v)
{
	char d[32];
	size_t n = digits_of(v, "+ -().", d, sizeof(d));
	/* YYYY-MM-DD and times are dates, not phone numbers */
	if (strlen(v) >= 10 && v[4] == '-' && v[7] == '-')
		return 0;
	/* a phone has separators or a +; bare digit runs are too ambiguous */
	return n >= 8 && n <= 15 && strpbrk(v, "+ -(") != NULL;
}

static int is_iban(const char *v)
{
	char c[40];
	size_t n = 0;
	for (; *v && n < sizeof(c) - 1; v++)
		if (*v != ' ')
			c[n++] = (char)toupper((unsigned char)*v);
	c[n] = '\0';
	return n >= 15 && isalpha((unsigned char)c[0]) && isalpha((unsigned char)c[1]) &&
	       dp_iban_valid(c);
}

static int is_card(const char *v)
{
	char d[32];
	size_t n = digits_of(v, " -", d, sizeof(d));
	return n >= 13 && n <= 19 && dp_luhn_valid(d);
}

static int is_national_id(const char *v)
{
	char d[32];
	size_t n = strlen(v);
	/* US SSN with dashes, Dutch BSN, German Steuer-ID, French NIR */
	if (n == 11 && v[3] == '-' && v[6] == '-' && digits_of(v, "-", d, sizeof(d)) == 9)
		return strncmp(d, "000", 3) && strncmp(d, "666", 3) && d[0] != '9';
	if (digits_of(v, "", d, sizeof(d)) != n)
		return 0;
	return (n == 9 && dp_bsn_valid(d)) || (n == 11 && dp_steuerid_valid(d)) ||
	       (n == 15 && dp_nir_valid(d));
}

/* shape match: '9' digit, 'A' upper-case letter, ' ' an optional space,
 * anything else literally */
static int shape(const char *v, const char *p)
{
	for (; *p; p++) {
		if (*p == ' ') {
			if (*v == ' ')
				v++;
			continue;
		}
		if (*p == '9' ? !isdigit((unsigned char)*v) : *p == 'A' ? !isupper((unsigned char)*v) : *v != *p)
			return 0;
		v++;
	}
	return *v == '\0';
}

/* Postcodes of distinctive shapes: Dutch 1234 AB, British SW1A 1AA, Canadian
 * K1A 0B1, US ZIP+4, Brazilian 01234-567, Portuguese 1234-567, Polish
 * 12-345. Bare five-digit codes (US, DE, FR) are any number: the column name
 * has to say it. */
static int is_postcode(const char *v)
{
	static const char *const shapes[] = { "9999 AA", "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA",
		"A9A 9AA", "AA9A 9AA", "A9A 9A9", "99999-9999", "99999-999", "9999-999", "99-999", NULL };
	for (const char *const *p = shapes; *p; p++)
		if (shape(v, *p))
			return 1;
	return 0;
}

static int is_ipv4(const char *v)
{
	int parts = 0, num = -1;
	for (;; v++) {
		if (isdigit((unsigned char)*v)) {
			num = (num < 0 ? 0 : num) * 10 + (*v - '0');
			if (num > 255)
				return 0;
		} else if (*v == '.' || !*v) {
			if (num < 0)
				return 0;
			parts++;
			num = -1;
			if (!*v)
				break;
		} else {
			return 0;
		}
	}
	return parts == 4;
}

/* An IPv6 address: groups of 1-4 hex digits, eight of them, or fewer with
 * one "::". A MAC address (six two-digit groups, no "::") is none. */
static int is_ipv6(const char *v)
{
	int colons = 0, groups = 0, glen = 0, dbl = 0;
	for (const char *p = v; *p; p++) {
		if (*p == ':') {
			colons++;
			if (p[1] == ':') {
				if (dbl++)
					return 0;        /* two "::" */
			}
			if (glen)
				groups++;
			glen = 0;
		} else if (isxdigit((unsigned char)*p)) {
			if (++glen > 4)
				return 0;
		} else {
			return 0;
		}
	}
	if (glen)
		groups++;
	if (colons < 2 || colons > 7)
		return 0;
	return dbl ? groups <= 7 : groups == 8;
}

static int is_url(const char *v)
{
	return !strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8) ||
	       !strncasecmp(v, "www.", 4);
}

static int is_uuid(const char *v)
{
	if (strlen(v) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (v[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)v[i])) {
			return 0;
		}
	}
	return 1;
}

/* A YYYY-MM-DD[...] date: its year (1..9999), 0 for a sentinel (9999-*,
 * 1900-01-01, 1970-01-01, 0001-01-01: "no date" written as a date), -1 for
 * no date. */
static int date_year(const char *v)
{
	int y, m, d;
	if (strlen(v) < 10 || v[4] != '-' || v[7] != '-' || !isdigit((unsigned char)v[0]))
		return -1;
	y = atoi(v);
	m = atoi(v + 5);
	d = atoi(v + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (y >= 9000 || y <= 1 || (m == 1 && d == 1 && (y == 1900 || y == 1970)) ||
	    (m == 12 && d == 31 && y >= 2999))
		return 0;
	return y;
}

/* Do the sampled dates spread like the birth dates of living people? */
static int dob_spread(const dp_pii_sampler *s)
{
	int now = this_year(), distinct = 0, q1 = -1, med = -1, q3 = -1;
	size_t in_range = 0, acc = 0;

	for (int i = 0; i < 128; i++) {
		distinct += s->years[i] != 0;
		in_range += s->years[i];
	}
	if (distinct < 15 || in_range < 5 || s->future * 20 > s->ndates || s->recent * 4 > s->ndates)
		return 0;
	for (int i = 0; i < 128; i++) {
		acc += s->years[i];
		if (q1 < 0 && acc * 4 >= in_range)
			q1 = i;
		if (med < 0 && acc * 2 >= in_range)
			med = i;
		if (q3 < 0 && acc * 4 >= in_range * 3)
			q3 = i;
	}
	med += 1900;
	return q3 - q1 >= 10 && now - med >= 15 && now - med <= 95;
}

/* The names the dictionary detector knows: the short lists of common names
 * of every locale and the head of each mock dictionary (the most frequent
 * DICT_HEAD names: a column of real surnames is mostly made of them, and
 * the rare tail holds too many ordinary words). A set of lower-case hashes,
 * bit 1 first name, bit 2 last name, built once. */
#define DICT_HEAD 3000
static dp_nameset names;
static pthread_once_t name_once = PTHREAD_ONCE_INIT;

static const dp_locale_data *const all_locales[] = { &dp_locale_en, &dp_locale_nl, &dp_locale_de,
						      &dp_locale_fr };

static void name_init(void)
{
	size_t n = 0;
	for (size_t l = 0; l < 4; l++) {
		const dp_locale_data *L = all_locales[l];
		for (const char *const *p = L->first_names; *p; p++)
			n++;
		for (const char *const *p = L->last_names; *p; p++)
			n++;
		n += (L->mock_first ? L->mock_first->n : 0) + (L->mock_last ? L->mock_last->n : 0);
	}
	dp_nameset_init(&names, n);
	for (size_t l = 0; l < 4; l++) {
		const dp_locale_data *L = all_locales[l];
		for (const char *const *p = L->first_names; *p; p++)
			dp_nameset_add(&names, *p, 1);
		for (const char *const *p = L->last_names; *p; p++)
			dp_nameset_add(&names, *p, 2);
		for (size_t i = 0; L->mock_first && i < L->mock_first->n && i < DICT_HEAD; i++)
			dp_nameset_add(&names, L->mock_first->names[i], 1);
		for (size_t i = 0; L->mock_last && i < L->mock_last->n && i < DICT_HEAD; i++)
			dp_nameset_add(&names, L->mock_last->names[i], 2);
	}
}

static int is_name(int first, const char *v)
{
	pthread_once(&name_once, name_init);
	return (dp_nameset_bits(&names, v, strlen(v)) & (first ? 1u : 2u)) != 0;
}

static int is_full_name(const char *v)
{
	const char *sp = strchr(v, ' ');
	char f[64];
	size_t n;
	if (!sp || (n = (size_t)(sp - v)) >= sizeof(f))
		return 0;
	memcpy(f, v, n);
	f[n] = '\0';
	if (!is_name(1, f) || strlen(sp + 1) < 2)
		return 0;
	/* the rest is written like names: a capital, then letters, spaces,
	 * hyphens, apostrophes or dots ("Song 12", "Team 4" are not) */
	sp++;
	if (!isupper((unsigned char)*sp) && (unsigned char)*sp < 0x80)
		return 0;
	for (; *sp; sp++)
		if (!isalpha((unsigned char)*sp) && !strchr(" -'.", *sp) && (unsigned char)*sp < 0x80)
			return 0;
	return 1;
}

void dp_pii_sampler_add(dp_pii_sampler *s, const char *v, size_t len)
{
	char buf[256];
	int pat = !s->st || s->st->use_value_patterns, dict = !s->st || s->st->use_dictionaries;

	/* trimmed first: a blank-padded char(N) code ("C000042" and 33 blanks,
	 * pgbench's all-blank filler) is as long as its code, not as N */
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	s->ntext++;
	s->chars += len;
	{
		size_t lw = 0, nonascii = 0;
		int letter = 0;
		for (size_t i = 0; i <= len; i++) {
			unsigned char c = i < len ? (unsigned char)v[i] : ' ';
			if (isspace(c)) {
				lw += letter;
				letter = 0;
			} else {
				s->words += i == 0 || isspace((unsigned char)v[i - 1]);
				letter |= isalpha(c) || c >= 0x80;
				nonascii += c >= 0x80;
			}
		}
		/* scripts written without spaces: a long value mostly of
		 * non-ASCII letters is words too */
		if (lw < 2 && len >= 40 && nonascii * 2 >= len)
			lw = 2;
		s->lwords += lw;
	}
	if (!len || len >= sizeof(buf))
		return;
	memcpy(buf, v, len);
	buf[len] = '\0';
	s->n++;
	if (pat) {
		s->hits[K_EMAIL] += is_email(buf);
		s->hits[K_PHONE] += is_phone(buf);
		s->hits[K_IBAN] += is_iban(buf);
		s->hits[K_CARD] += is_card(buf);
		s->hits[K_SSN] += is_national_id(buf);
		s->hits[K_IPV4] += is_ipv4(buf);
		s->hits[K_IPV6] += is_ipv6(buf);
		s->hits[K_URL] += is_url(buf);
		s->hits[K_UUID] += is_uuid(buf);
		s->hits[K_POST] += is_postcode(buf);
		int y = date_year(buf);
		if (y > 0) {
			int now = this_year();
			s->ndates++;
			if (y > now || y >= 2028) {
				s->future++;
			} else if (y >= 1900) {
				s->years[y - 1900]++;
				s->hits[K_DOB]++;
				s->recent += y > now - 5;
			}
		}
	}
	if (dict) {
		int f = is_name(1, buf), l = is_name(0, buf), fu = is_full_name(buf);
		s->hits[K_FIRST] += f;
		s->hits[K_LAST] += l;
		s->hits[K_FULL] += fu;
		if ((f || l || fu) && s->nnames < 64) {
			uint64_t h = 1469598103934665603ull;
			int seen = 0;
			for (size_t i = 0; i < len; i++)
				h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
			for (size_t i = 0; i < s->nnames && !seen; i++)
				seen = s->names[i] == h;
			if (!seen)
				s->names[s->nnames++] = h;
		}
	}
}

int dp_pii_sampler_free_text(const dp_pii_sampler *s)
{
	if (s->ntext < 5 || s->dates_only)
		return 0;
	/* words: letters separated by spaces, two a value on average; a
	 * column of single tokens (codes, hashes, ids) however long is no text
	 * a person wrote */
	if (s->lwords < 2 * s->ntext)
		return 0;
	return s->words >= 5 * s->ntext || s->chars >= 40 * s->ntext;
}

int dp_pii_sampler_result(const dp_pii_sampler *s, dp_pii_hit *hit)
{
	double threshold = s->st ? s->st->threshold : 0.5, best = 0;
	int k_best = -1;

	if (s->n < 5)
		return 0;
	for (int k = 0; k < NKINDS; k++) {
		double share = (double)s->hits[k] / (double)s->n;
		/* birth dates spread over many years; creation or order dates do not */
		if (k == K_DOB && (s->not_birth || !dob_spread(s)))
			continue;
		if (s->dates_only && k != K_DOB)
			continue;
		/* names: dictionaries cover only common names, so a lower share
		 * is already strong evidence; UUIDs are not personal on their own */
		if (k == K_UUID)
			continue;
		/* names vary: fewer distinct matches than a fifth of the sample
		 * (at least 5, at most 20 needed) is a category that happens to
		 * hold names (languages: English, French, German are surnames) */
		if (!pattern_kind[k] && s->nnames < (s->n / 5 < 5 ? 5 : s->n / 5 < 20 ? s->n / 5 : 20))
			continue;
		if (!pattern_kind[k])
			share = share * 1.6 > 1.0 ? 1.0 : share * 1.6;
		if (share > best) {
			best = share;
			k_best = k;
		}
	}
	if (k_best < 0 || best < threshold)
		return 0;
	hit->kind = kind_names[k_best];
	hit->confidence = best;
	hit->rule = pattern_kind[k_best] ? "value pattern" : "name dictionary";
	hit->quasi = 0;
	return 1;
}
