/* engine/pii/mock.c - mock values from the locale word lists, with valid
 * checksums where the real thing has one (IBAN mod 97, Luhn, BSN 11-test,
 * Steuer-ID ISO 7064, NIR key) and safe ranges where a real value could
 * reach someone (example.* mail domains, fictional or private phone/IP/MAC
 * ranges). */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mock.h"

static const dp_locale_data *const locales[] = {
	&dp_locale_en, &dp_locale_nl, &dp_locale_de, &dp_locale_fr
};

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
	return "en, nl, de, fr";
}

/* Lengths of the (static, NULL-terminated) locale lists, counted once:
 * counting a few hundred names on every pick was a tenth of a mock's cost.
 * A slot's key is claimed by CAS, then its length published; a reader that
 * finds the key before the length (0), or a full table, just counts. */
#define LEN_SLOTS 256
static _Atomic(const char *const *) len_key[LEN_SLOTS];
static atomic_size_t len_val[LEN_SLOTS];

static size_t list_len(const char *const *list)
{
	size_t h = ((uintptr_t)list >> 3) % LEN_SLOTS, n = 0;
	for (size_t probe = 0; probe < LEN_SLOTS; probe++, h = (h + 1) % LEN_SLOTS) {
		const char *const *k = atomic_load_explicit(&len_key[h], memory_order_acquire);
		if (k == list) {
			size_t v = atomic_load_explicit(&len_val[h], memory_order_acquire);
			if (v)
				return v;
			break;
		}
		if (!k) {
			const char *const *expect = NULL;
			while (list[n])
				n++;
			if (atomic_compare_exchange_strong(&len_key[h], &expect, list))
				atomic_store_explicit(&len_val[h], n, memory_order_release);
			else if (expect != list)
				continue;
			return n;
		}
	}
	for (n = 0; list[n]; n++)
		;
	return n;
}

static const char *pick(const char *const *list, dp_rng *r)
{
	return list[dp_rng_below(r, list_len(list))];
}

/* A guide table per dictionary, made on first use: guide[j] is the first
 * i with cum[i] > j * (total / GUIDE), so a pick searches only between two
 * neighbouring guide entries instead of the whole cumulative array (17
 * cache-missing steps over 88,799 surnames). Same pick as the full search. */
#define GUIDE 16384
#define GUIDE_DICTS 16
static struct { _Atomic(const dp_name_dict *) d; _Atomic(uint32_t *) g; } guides[GUIDE_DICTS];
static pthread_mutex_t guide_mu = PTHREAD_MUTEX_INITIALIZER;

static const uint32_t *guide_of(const dp_name_dict *d)
{
	uint32_t *g = NULL;
	size_t slot = GUIDE_DICTS;

	for (size_t i = 0; i < GUIDE_DICTS; i++) {
		const dp_name_dict *k = atomic_load_explicit(&guides[i].d, memory_order_acquire);
		if (k == d)
			return atomic_load_explicit(&guides[i].g, memory_order_acquire);
		if (!k)
			break;
	}
	pthread_mutex_lock(&guide_mu);
	for (size_t i = 0; i < GUIDE_DICTS && slot == GUIDE_DICTS; i++) {
		const dp_name_dict *k = atomic_load_explicit(&guides[i].d, memory_order_acquire);
		if (k == d) {
			pthread_mutex_unlock(&guide_mu);
			return atomic_load_explicit(&guides[i].g, memory_order_acquire);
		}
		if (!k)
			slot = i;
	}
	if (slot < GUIDE_DICTS && (g = malloc((GUIDE + 1) * sizeof(*g)))) {
		uint64_t total = d->cum[d->n - 1];
		size_t i = 0;
		for (size_t j = 0; j <= GUIDE; j++) {
			uint64_t x = total * j / GUIDE;
			while (i < d->n - 1 && d->cum[i] <= x)
				i++;
			g[j] = (uint32_t)i;
		}
		atomic_store_explicit(&guides[slot].g, g, memory_order_release);
		atomic_store_explicit(&guides[slot].d, d, memory_order_release);
	}
	pthread_mutex_unlock(&guide_mu);
	return g;     /* NULL: no slot or no memory, the full search is used */
}

const char *dp_name_dict_pick(const dp_name_dict *d, dp_rng *r)
{
	uint64_t x = dp_rng_below(r, d->cum[d->n - 1]);
	size_t lo = 0, hi = d->n - 1;
	const uint32_t *g = d->n > 64 ? guide_of(d) : NULL;

	if (g) {
		/* x lies in [total*j/GUIDE, total*(j+1)/GUIDE): the answer is in
		 * [g[j], g[j+1]] */
		uint64_t total = d->cum[d->n - 1];
		size_t j = (size_t)(x * GUIDE / total);
		if (j >= GUIDE)
			j = GUIDE - 1;
		lo = g[j];
		hi = g[j + 1];
	}
	/* the first i with cum[i] > x */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return d->names[lo];
}

/* characters (not bytes) of UTF-8 text */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Redraws before walking the list: names longer than a narrow column are
 * few, so 64 weighted draws almost always find one. */
#define FIT_DRAWS 64

const char *dp_name_dict_pick_fit(const dp_name_dict *d, dp_rng *r, size_t max_chars)
{
	size_t start;

	if (!max_chars)
		return dp_name_dict_pick(d, r);
	for (int i = 0; i < FIT_DRAWS; i++) {
		const char *v = dp_name_dict_pick(d, r);
		if (utf8_chars(v) <= max_chars)
			return v;
	}
	start = (size_t)dp_rng_below(r, d->n);
	for (size_t i = 0; i < d->n; i++) {
		const char *v = d->names[(start + i) % d->n];
		if (utf8_chars(v) <= max_chars)
			return v;
	}
	return NULL;
}

static const char *first_of(const dp_locale_data *L, dp_rng *r, size_t max_chars)
{
	if (L->mock_first)
		return dp_name_dict_pick_fit(L->mock_first, r, max_chars);
	return pick(L->first_names, r);
}

static const char *last_of(const dp_locale_data *L, dp_rng *r, size_t max_chars)
{
	if (L->mock_last)
		return dp_name_dict_pick_fit(L->mock_last, r, max_chars);
	return pick(L->last_names, r);
}

static char digit(dp_rng *r)
{
	return (char)('0' + dp_rng_below(r, 10));
}

static int put_format(const char *fmt, dp_rng *r, dp_buf *out)
{
	int rc = DP_OK;
	for (; *fmt && !rc; fmt++) {
		char ch = *fmt;
		if (ch == '#')
			ch = digit(r);
		else if (ch == 'A')
			ch = (char)('A' + dp_rng_below(r, 26));
		rc = dp_buf_append(out, &ch, 1);
	}
	return rc;
}

/* lower-case ASCII letters and digits of s (accents and spaces dropped) */
static int put_lower(const char *s, dp_buf *out)
{
	int rc = DP_OK;
	for (; *s && !rc; s++) {
		if ((unsigned char)*s < 0x80 && isalnum((unsigned char)*s)) {
			char ch = (char)tolower((unsigned char)*s);
			rc = dp_buf_append(out, &ch, 1);
		}
	}
	return rc;
}

static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

static int put_date(dp_rng *r, int y0, int years, dp_buf *out)
{
	int y = y0 + (int)dp_rng_below(r, (uint64_t)years);
	int m = (int)dp_rng_below(r, 12);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int d = 1 + (int)dp_rng_below(r, (uint64_t)(mdays[m] + (m == 1 && leap)));
	return dp_buf_printf(out, "%04d-%02d-%02d", y, m + 1, d);
}

/* ---- checksums ---- */

int dp_luhn_valid(const char *s)
{
	int sum = 0, n = (int)strlen(s);
	if (n < 2)
		return 0;
	for (int i = 0; i < n; i++) {
		int d = s[n - 1 - i] - '0';
		if (d < 0 || d > 9)
			return 0;
		if (i % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

/* mod 97 of an IBAN rearranged (country + check moved to the end, letters
 * as 10..35), computed digit by digit */
static int iban_mod97(const char *bban, const char *cc, const char *check)
{
	char buf[80];
	int rem = 0;
	snprintf(buf, sizeof(buf), "%s%s%s", bban, cc, check);
	for (const char *p = buf; *p; p++) {
		if (isdigit((unsigned char)*p))
			rem = (rem * 10 + (*p - '0')) % 97;
		else if (isupper((unsigned char)*p))
			rem = (rem * 100 + (*p - 'A' + 10)) % 97;
		else
			return -1;
	}
	return rem;
}

int dp_iban_valid(const char *iban)
{
	char cc[3], check[3];
	size_t n = strlen(iban);
	if (n < 5 || n > 34)
		return 0;
	memcpy(cc, iban, 2);
	cc[2] = '\0';
	memcpy(check, iban + 2, 2);
	check[2] = '\0';
	return iban_mod97(iban + 4, cc, check) == 1;
}

int dp_bsn_valid(const char *s)
{
	int sum = 0;
	if (strlen(s) != 9)
		return 0;
	for (int i = 0; i < 9; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		sum += (s[i] - '0') * (i < 8 ? 9 - i : -1);
	}
	return sum % 11 == 0 && sum != 0;
}

/* ISO 7064 MOD 11,10 check digit of the first n digits */
static int iso7064(const char *s, int n)
{
	int product = 10;
	for (int i = 0; i < n; i++) {
		int sum = (s[i] - '0' + product) % 10;
		if (sum == 0)
			sum = 10;
		product = (sum * 2) % 11;
	}
	return (11 - product) % 10;
}

int dp_steuerid_valid(const char *s)
{
	if (strlen(s) != 11 || s[0] == '0')
		return 0;
	for (int i = 0; i < 11; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return iso7064(s, 10) == s[10] - '0';
}

int dp_nir_valid(const char *s)
{
	unsigned long long n = 0;
	if (strlen(s) != 15)
		return 0;
	for (int i = 0; i < 13; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		n = n * 10 + (unsigned long long)(s[i] - '0');
	}
	return (int)(97 - n % 97) == (s[13] - '0') * 10 + (s[14] - '0');
}

/* ---- generators of composite values ---- */

static int put_iban(const dp_locale_data *L, dp_rng *r, dp_buf *out)
{
	char bban[40], check[12];
	dp_buf b = DP_BUF_INIT;
	int rem, rc = put_format(L->iban_bban, r, &b);

	if (rc || b.len >= sizeof(bban)) {
		dp_buf_free(&b);
		return rc ? rc : DP_ERR_INTERNAL;
	}
	memcpy(bban, b.data, b.len + 1);
	dp_buf_free(&b);
	rem = iban_mod97(bban, L->iban_country, "00");
	snprintf(check, sizeof(check), "%02d", 98 - rem);
	return dp_buf_printf(out, "%s%s%s", L->iban_country, check, bban);
}

static int put_card(dp_rng *r, dp_buf *out)
{
	char d[17];
	int sum = 0;
	d[0] = '4';
	for (int i = 1; i < 15; i++)
		d[i] = digit(r);
	d[15] = '0';
	d[16] = '\0';
	/* the check digit makes the Luhn sum a multiple of 10 */
	for (int i = 0; i < 15; i++) {
		int v = d[14 - i] - '0';
		if (i % 2 == 0) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	d[15] = (char)('0' + (10 - sum % 10) % 10);
	return dp_buf_puts(out, d);
}

static int put_national_id(const dp_locale_data *L, dp_rng *r, dp_buf *out)
{
	char s[72];   /* room for any int the formats below could print */

	if (!strcmp(L->code, "nl")) {
		/* BSN: weights 9..2 and -1, sum divisible by 11 */
		for (;;) {
			int sum = 0, last;
			s[0] = (char)('1' + dp_rng_below(r, 9));
			for (int i = 1; i < 8; i++)
				s[i] = digit(r);
			for (int i = 0; i < 8; i++)
				sum += (s[i] - '0') * (9 - i);
			last = sum % 11;
			if (last > 9)
				continue;
			s[8] = (char)('0' + last);
			s[9] = '\0';
			return dp_buf_puts(out, s);
		}
	}
	if (!strcmp(L->code, "de")) {
		s[0] = (char)('1' + dp_rng_below(r, 9));
		for (int i = 1; i < 10; i++)
			s[i] = digit(r);
		s[10] = (char)('0' + iso7064(s, 10));
		s[11] = '\0';
		return dp_buf_puts(out, s);
	}
	if (!strcmp(L->code, "fr")) {
		unsigned long long n;
		int dept = 1 + (int)dp_rng_below(r, 95);
		if (dept == 20)
			dept = 21;     /* Corsica uses 2A/2B */
		snprintf(s, sizeof(s), "%d%02d%02d%02d%03d%03d", 1 + (int)dp_rng_below(r, 2),
			 (int)dp_rng_below(r, 100), 1 + (int)dp_rng_below(r, 12), dept,
			 1 + (int)dp_rng_below(r, 990), 1 + (int)dp_rng_below(r, 999));
		n = strtoull(s, NULL, 10);
		return dp_buf_printf(out, "%s%02d", s, (int)(97 - n % 97));
	}
	/* en: US SSN shape, never area 000, 666 or 9xx, group 00, serial 0000 */
	{
		int area = 1 + (int)dp_rng_below(r, 898);
		if (area >= 666)
			area++;
		return dp_buf_printf(out, "%03d-%02d-%04d", area, 1 + (int)dp_rng_below(r, 99),
				     1 + (int)dp_rng_below(r, 9999));
	}
}

static int put_plate(const dp_locale_data *L, dp_rng *r, dp_buf *out)
{
	const char *fmt = !strcmp(L->code, "nl") ? "AA-###-A" : !strcmp(L->code, "de") ? "AA-AA ####"
			  : !strcmp(L->code, "fr") ? "AA-###-AA" : "AAA ####";
	return put_format(fmt, r, out);
}

static const char *const lorem[] = {
	"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
	"eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim",
	"ad", "minim", "veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi",
	"aliquip", "ex", "ea", "commodo", "consequat", "duis", "aute", "irure", "in", "reprehenderit",
	"voluptate", "velit", "esse", "cillum", "fugiat", "nulla", "pariatur", NULL
};

int dp_mock_generate(const char *kind, const char *locale, dp_rng *r, dp_buf *out)
{
	const dp_locale_data *L = find_locale(locale);
	static const char *const mail_domains[] = { "example.com", "example.org", "example.net" };
	static const char hex[] = "0123456789abcdef";
	int rc;

	if (!L)
		return DP_ERR_NOTFOUND;
	if (!strcmp(kind, "first_name"))
		return dp_buf_puts(out, first_of(L, r, 0));
	if (!strcmp(kind, "last_name"))
		return dp_buf_puts(out, last_of(L, r, 0));
	if (!strcmp(kind, "full_name")) {
		const char *f = first_of(L, r, 0);
		return dp_buf_printf(out, "%s %s", f, last_of(L, r, 0));
	}
	if (!strcmp(kind, "email")) {
		static const char *const seps[] = { ".", "_", "" };
		rc = put_lower(first_of(L, r, 0), out);
		if (!rc)
			rc = dp_buf_puts(out, seps[dp_rng_below(r, 3)]);
		if (!rc)
			rc = put_lower(last_of(L, r, 0), out);
		/* a number keeps equal names apart; only reserved example domains */
		return rc ? rc : dp_buf_printf(out, "%u@%s", (unsigned)dp_rng_below(r, 1000),
					       mail_domains[dp_rng_below(r, 3)]);
	}
	if (!strcmp(kind, "username")) {
		rc = put_lower(first_of(L, r, 0), out);
		if (!rc)
			rc = put_lower(last_of(L, r, 0), out);
		return rc ? rc : dp_buf_printf(out, "%u", (unsigned)dp_rng_below(r, 10000));
	}
	if (!strcmp(kind, "phone"))
		return put_format(L->phone_format, r, out);
	if (!strcmp(kind, "street_address")) {
		unsigned no = 1 + (unsigned)dp_rng_below(r, 299);
		const char *st = pick(L->streets, r);
		return L->number_after_street ? dp_buf_printf(out, "%s %u", st, no)
					      : dp_buf_printf(out, "%u %s", no, st);
	}
	if (!strcmp(kind, "city"))
		return dp_buf_puts(out, pick(L->cities, r));
	if (!strcmp(kind, "postcode"))
		return put_format(L->postcode_format, r, out);
	if (!strcmp(kind, "region"))
		return dp_buf_puts(out, pick(L->regions, r));
	if (!strcmp(kind, "country"))
		return dp_buf_puts(out, L->country);
	if (!strcmp(kind, "full_address")) {
		unsigned no = 1 + (unsigned)dp_rng_below(r, 299);
		const char *st = pick(L->streets, r);
		rc = L->number_after_street ? dp_buf_printf(out, "%s %u, ", st, no)
					    : dp_buf_printf(out, "%u %s, ", no, st);
		if (!rc)
			rc = put_format(L->postcode_format, r, out);
		return rc ? rc : dp_buf_printf(out, " %s", pick(L->cities, r));
	}
	if (!strcmp(kind, "company"))
		return dp_buf_printf(out, "%s %s", last_of(L, r, 0), pick(L->company_suffixes, r));
	if (!strcmp(kind, "job_title"))
		return dp_buf_puts(out, pick(L->job_titles, r));
	if (!strcmp(kind, "iban"))
		return put_iban(L, r, out);
	if (!strcmp(kind, "credit_card"))
		return put_card(r, out);
	if (!strcmp(kind, "national_id") || !strcmp(kind, "ssn"))
		return put_national_id(L, r, out);
	if (!strcmp(kind, "ipv4")) {
		/* private ranges only: 10/8 and 192.168/16 */
		if (dp_rng_below(r, 2))
			return dp_buf_printf(out, "10.%u.%u.%u", (unsigned)dp_rng_below(r, 256),
					     (unsigned)dp_rng_below(r, 256), 1 + (unsigned)dp_rng_below(r, 254));
		return dp_buf_printf(out, "192.168.%u.%u", (unsigned)dp_rng_below(r, 256),
				     1 + (unsigned)dp_rng_below(r, 254));
	}
	if (!strcmp(kind, "ipv6")) {
		/* unique local addresses (fd00::/8) */
		rc = dp_buf_puts(out, "fd");
		for (int g = 0; g < 8 && !rc; g++) {
			char grp[6];
			int n = g == 0 ? 2 : 4;
			for (int i = 0; i < n; i++)
				grp[i] = hex[dp_rng_below(r, 16)];
			grp[n] = '\0';
			rc = dp_buf_printf(out, "%s%s", grp, g < 7 ? ":" : "");
		}
		return rc;
	}
	if (!strcmp(kind, "mac_address")) {
		/* locally administered, unicast: second hex digit 2, 6, a or e */
		static const char la[] = "26ae";
		rc = dp_buf_printf(out, "%c%c", hex[dp_rng_below(r, 16)], la[dp_rng_below(r, 4)]);
		for (int i = 0; i < 5 && !rc; i++)
			rc = dp_buf_printf(out, ":%c%c", hex[dp_rng_below(r, 16)], hex[dp_rng_below(r, 16)]);
		return rc;
	}
	if (!strcmp(kind, "domain") || !strcmp(kind, "url")) {
		if (!strcmp(kind, "url"))
			rc = dp_buf_puts(out, "https://");
		else
			rc = DP_OK;
		if (!rc)
			rc = put_lower(last_of(L, r, 0), out);
		if (!rc)
			rc = dp_buf_printf(out, "%u.example.%s", (unsigned)dp_rng_below(r, 100), L->tld);
		if (!rc && !strcmp(kind, "url"))
			rc = dp_buf_printf(out, "/%s/%u", pick(lorem, r), (unsigned)dp_rng_below(r, 10000));
		return rc;
	}
	if (!strcmp(kind, "uuid")) {
		char u[37];
		for (int i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23) {
				u[i] = '-';
				continue;
			}
			u[i] = i == 14 ? '4' : i == 19 ? hex[8 + dp_rng_below(r, 4)] : hex[dp_rng_below(r, 16)];
		}
		u[36] = '\0';
		return dp_buf_puts(out, u);
	}
	if (!strcmp(kind, "date_of_birth"))
		/* age 18..90 on the fixed reference day 2025-01-01: reproducible */
		return put_date(r, 2025 - 90, 72, out);
	if (!strcmp(kind, "date"))
		return put_date(r, 2000, 25, out);
	if (!strcmp(kind, "text")) {
		int n = 8 + (int)dp_rng_below(r, 13);
		rc = DP_OK;
		for (int i = 0; i < n && !rc; i++) {
			const char *w = pick(lorem, r);
			if (i == 0) {
				char c = (char)toupper((unsigned char)w[0]);
				rc = dp_buf_append(out, &c, 1);
				if (!rc)
					rc = dp_buf_puts(out, w + 1);
			} else {
				rc = dp_buf_printf(out, " %s", w);
			}
		}
		return rc ? rc : dp_buf_puts(out, ".");
	}
	if (!strcmp(kind, "license_plate"))
		return put_plate(L, r, out);
	if (!strcmp(kind, "password")) {
		static const char set[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=?";
		for (int i = 0; i < 16; i++) {
			char c = set[dp_rng_below(r, sizeof(set) - 1)];
			if ((rc = dp_buf_append(out, &c, 1)))
				return rc;
		}
		return DP_OK;
	}
	if (!strcmp(kind, "gender"))
		return dp_buf_puts(out, dp_rng_below(r, 2) ? "female" : "male");
	/* the kinds below map the source value in the generator layer (same
	 * shape, same row); drawn without a source value they are plain draws */
	if (!strcmp(kind, "birth_year"))
		return dp_buf_printf(out, "%d", 2025 - 90 + (int)dp_rng_below(r, 72));
	if (!strcmp(kind, "birth_month"))
		return dp_buf_printf(out, "%d", 1 + (int)dp_rng_below(r, 12));
	if (!strcmp(kind, "birth_day"))
		return dp_buf_printf(out, "%d", 1 + (int)dp_rng_below(r, 28));
	if (!strcmp(kind, "latitude"))
		return dp_buf_printf(out, "%.6f", (double)dp_rng_below(r, 140000001) / 1e6 - 70.0);
	if (!strcmp(kind, "longitude"))
		return dp_buf_printf(out, "%.6f", (double)dp_rng_below(r, 360000001) / 1e6 - 180.0);
	if (!strcmp(kind, "account_number"))
		return put_format("##########", r, out);
	return DP_ERR_NOTFOUND;
}

int dp_mock_generate_fit(const char *kind, const char *locale, dp_rng *r, size_t max_chars,
			 dp_buf *out)
{
	const dp_locale_data *L = find_locale(locale);
	size_t base = out->len;
	int rc;

	if (!L)
		return DP_ERR_NOTFOUND;
	if (!max_chars)
		return dp_mock_generate(kind, locale, r, out);
	if (!strcmp(kind, "first_name") || !strcmp(kind, "last_name")) {
		const char *v = kind[0] == 'f' ? first_of(L, r, max_chars) : last_of(L, r, max_chars);
		return v ? dp_buf_puts(out, v) : DP_ERR_TYPE;
	}
	if (!strcmp(kind, "full_name") && max_chars >= 3) {
		/* the first name takes at most half, the last name what is left */
		const char *f = first_of(L, r, (max_chars - 1) / 2);
		const char *l = f ? last_of(L, r, max_chars - 1 - utf8_chars(f)) : NULL;
		if (f && l)
			return dp_buf_printf(out, "%s %s", f, l);
		l = last_of(L, r, max_chars);
		return l ? dp_buf_puts(out, l) : DP_ERR_TYPE;
	}
	/* everything else: a few redraws, then shorter spellings */
	for (int i = 0; i < 16; i++) {
		out->len = base;
		rc = dp_mock_generate(kind, locale, r, out);
		if (rc)
			return rc;
		if (utf8_chars(out->data + base) <= max_chars)
			return DP_OK;
	}
	out->len = base;
	if (!strcmp(kind, "email") || !strcmp(kind, "username")) {
		/* initial + surname + digits, as short as the column wants */
		static const char *const doms[] = { "example.com", "example.org", "example.net" };
		const char *f = first_of(L, r, 0);
		size_t dl = !strcmp(kind, "email") ? 12 : 0;
		const char *l = max_chars > dl + 3 ? last_of(L, r, max_chars - dl - 3) : NULL;
		if (l) {
			rc = put_lower((char[]){ f[0], 0 }, out);
			if (!rc)
				rc = put_lower(l, out);
			if (!rc && out->len - base + dl + 2 <= max_chars)
				rc = dp_buf_printf(out, "%u", (unsigned)dp_rng_below(r, 100));
			if (!rc && dl)
				rc = dp_buf_printf(out, "@%s", doms[dp_rng_below(r, 3)]);
			if (!rc && utf8_chars(out->data + base) <= max_chars)
				return DP_OK;
			out->len = base;
		}
	}
	if (out->data)
		out->data[base] = '\0';
	return DP_ERR_TYPE;
}

/* a * b, capped */
static size_t mul_cap(size_t a, size_t b)
{
	return a && b > SIZE_MAX / a ? SIZE_MAX : a * b;
}

size_t dp_mock_cardinality(const char *kind, const char *locale)
{
	const dp_locale_data *L = find_locale(locale);
	size_t nf, nl;

	if (!L || !kind)
		return 0;
	nf = L->mock_first ? L->mock_first->n : list_len(L->first_names);
	nl = L->mock_last ? L->mock_last->n : list_len(L->last_names);
	if (!strcmp(kind, "first_name"))
		return nf;
	if (!strcmp(kind, "last_name"))
		return nl;
	if (!strcmp(kind, "full_name"))
		return mul_cap(nf, nl);
	if (!strcmp(kind, "email"))
		return mul_cap(mul_cap(mul_cap(nf, nl), 3 * 1000), 3);
	if (!strcmp(kind, "username"))
		return mul_cap(mul_cap(nf, nl), 10000);
	if (!strcmp(kind, "company"))
		return mul_cap(nl, list_len(L->company_suffixes));
	if (!strcmp(kind, "city"))
		return list_len(L->cities);
	if (!strcmp(kind, "region"))
		return list_len(L->regions);
	if (!strcmp(kind, "country"))
		return 1;
	if (!strcmp(kind, "job_title"))
		return list_len(L->job_titles);
	if (!strcmp(kind, "street_address"))
		return mul_cap(list_len(L->streets), 299);
	if (!strcmp(kind, "gender"))
		return 2;
	if (!strcmp(kind, "birth_month"))
		return 12;
	if (!strcmp(kind, "birth_day"))
		return 28;
	if (!strcmp(kind, "birth_year") || !strcmp(kind, "date_of_birth"))
		return !strcmp(kind, "birth_year") ? 72 : 72 * 365;
	if (!strcmp(kind, "date"))
		return 25 * 365;
	if (!strcmp(kind, "ipv4"))
		return 256u * 256 * 254 + 256 * 254;
	if (!strcmp(kind, "postcode") || !strcmp(kind, "phone") || !strcmp(kind, "license_plate")) {
		const char *f = !strcmp(kind, "postcode") ? L->postcode_format : !strcmp(kind, "phone")
			      ? L->phone_format : "AAA####";
		size_t c = 1;
		for (; *f; f++)
			c = *f == '#' ? mul_cap(c, 10) : *f == 'A' ? mul_cap(c, 26) : c;
		return c;
	}
	if (!strcmp(kind, "full_address"))
		return mul_cap(mul_cap(list_len(L->streets), 299), list_len(L->cities));
	{
		/* formats with a large space, and the input-mapping kinds */
		static const char *const big[] = { "iban", "credit_card", "national_id", "ssn", "ipv6",
			"mac_address", "url", "domain", "uuid", "text", "password", "account_number",
			"latitude", "longitude", NULL };
		for (const char *const *b = big; *b; b++)
			if (!strcmp(kind, *b))
				return SIZE_MAX;
	}
	return 0;
}
