/* engine/gen/textpii.c - free-text PII scanner (see textpii.h). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "textpii.h"
#include "generators.h"
#include "../pii/mock.h"
#include "../pii/nameset.h"

typedef enum tkind { T_EMAIL, T_URL, T_IBAN, T_CARD, T_SSN, T_BSN, T_IPV4, T_PHONE, T_PERSON,
		     T_SURNAME, T_N } tkind;

static const char *const tags[T_N] = { "<EMAIL>", "<URL>", "<IBAN>", "<CREDIT_CARD>",
	"<NATIONAL_ID>", "<NATIONAL_ID>", "<IP_ADDRESS>", "<PHONE>", "<PERSON>", "<PERSON>" };
static const char *const mocks[T_N] = { "email", "url", "iban", "credit_card", "national_id",
	"national_id", "ipv4", "phone", "full_name", "last_name" };

struct dp_textpii {
	int patterns, dictionaries, mock_replace;
	const dp_namebook *book;
	/* mock_replace: one consistent mock per PII mock kind, made up front
	 * (apply stays read-only, so threads share the scanner); gen[] points
	 * into it for the pattern findings */
	const char *const *kinds;
	dp_gen **kgen;
	size_t nkinds;
	const dp_gen *gen[T_N];
};

/* Known values: every whole (trimmed) value of the source's PII columns, in
 * an open-addressing table keyed by the FNV-1a hash of all its bytes, the
 * bytes themselves in one arena. A lookup is one probe sequence per
 * candidate span, whatever the values share (100,000 e-mails all starting
 * with "user" used to form one chain of a prefix-bucketed list: quadratic
 * learning and a chain walk at every word of every scanned text). Two
 * filters keep the scanner's cost per word boundary small: a bitset of the
 * values' first four bytes (most positions start no value) and a bitset of
 * the lengths the book holds (only those spans are hashed and probed). */
typedef struct kval {
	uint64_t h;          /* 0 = empty slot */
	uint32_t off;        /* into arena */
	uint16_t len;
	uint8_t kind;        /* index into kinds[] */
} kval;

/* The values of one free-text job share a handful of kinds (job.c's
 * whole-value list has 14). */
#define KV_MAX_KINDS 32
/* Spans shorter than this are too common to be anybody's ("Main St"). */
#define KV_MIN_LEN 6
/* Longer values are no single PII value (a description, not an address). */
#define KV_MAX_LEN 200
#define KV_PFX_BITS 65536

struct dp_namebook {
	uint64_t *set;       /* (hash << 2) | bits, 0 = empty */
	size_t slots, n;
	kval *kv;            /* kv_slots entries, load at most 1/2 */
	size_t kv_slots, nvals;
	char *arena;         /* the values' bytes */
	size_t arena_len, arena_cap;
	const char *kinds[KV_MAX_KINDS];
	size_t nkinds;
	uint64_t lens[(KV_MAX_LEN + 64) / 64]; /* bit len: some value has it */
	uint64_t *pfx;       /* KV_PFX_BITS bits over pfx4() of the values */
	size_t max_len;
	/* bounds (dp_namebook_limit) and what they turned away */
	size_t max_values, max_bytes, dropped;
};

static uint32_t pfx4(const char *s)
{
	uint32_t h = ((uint32_t)(unsigned char)s[0] << 24) | ((uint32_t)(unsigned char)s[1] << 16) |
		     ((uint32_t)(unsigned char)s[2] << 8) | (unsigned char)s[3];
	return (h * 2654435761u) >> 16;
}

/* ---- name dictionaries: one hash set over every locale, built once ---- */

static dp_nameset names;
static pthread_once_t name_once = PTHREAD_ONCE_INIT;

static void name_init(void)
{
	static const dp_locale_data *const L[] = { &dp_locale_en, &dp_locale_nl, &dp_locale_de,
						    &dp_locale_fr };
	size_t n = 0;
	for (size_t l = 0; l < 4; l++) {
		for (const char *const *p = L[l]->first_names; *p; p++)
			n++;
		for (const char *const *p = L[l]->last_names; *p; p++)
			n++;
	}
	dp_nameset_init(&names, n);
	for (size_t l = 0; l < 4; l++) {
		for (const char *const *p = L[l]->first_names; *p; p++)
			dp_nameset_add(&names, *p, 1);
		for (const char *const *p = L[l]->last_names; *p; p++)
			dp_nameset_add(&names, *p, 2);
	}
}

static unsigned name_bits(const char *w, size_t n)
{
	pthread_once(&name_once, name_init);
	return dp_nameset_bits(&names, w, n);
}

int dp_name_is_first(const char *w, size_t n) { return (name_bits(w, n) & 1) != 0; }
int dp_name_is_last(const char *w, size_t n) { return (name_bits(w, n) & 2) != 0; }

dp_namebook *dp_namebook_new(void)
{
	dp_namebook *b = calloc(1, sizeof(dp_namebook));
	if (b) {
		b->max_values = DP_NAMEBOOK_MAX_VALUES;
		b->max_bytes = DP_NAMEBOOK_MAX_BYTES;
	}
	return b;
}

void dp_namebook_limit(dp_namebook *b, size_t max_values, size_t max_bytes)
{
	b->max_values = max_values;
	b->max_bytes = max_bytes;
}

void dp_namebook_free(dp_namebook *b)
{
	if (b) {
		free(b->set);
		free(b->kv);
		free(b->arena);
		free(b->pfx);
	}
	free(b);
}

size_t dp_namebook_values(const dp_namebook *b)
{
	return b ? b->nvals : 0;
}

size_t dp_namebook_dropped(const dp_namebook *b)
{
	return b ? b->dropped : 0;
}

size_t dp_namebook_bytes(const dp_namebook *b)
{
	if (!b)
		return 0;
	return b->slots * sizeof(uint64_t) + b->kv_slots * sizeof(kval) + b->arena_cap +
	       (b->pfx ? KV_PFX_BITS / 8 : 0);
}

/* FNV-1a, never 0 (0 marks an empty slot); kv_find and the scanner's
 * incremental hash must agree, so both go through kv_step/kv_fin */
#define KV_BASIS 1469598103934665603ull
static inline uint64_t kv_step(uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ull; }
static inline uint64_t kv_fin(uint64_t h) { return h ? h : 1; }

static const kval *kv_find(const dp_namebook *b, uint64_t h, const char *v, size_t n)
{
	size_t mask = b->kv_slots - 1;
	for (size_t i = h & mask; b->kv[i].h; i = (i + 1) & mask) {
		const kval *e = &b->kv[i];
		if (e->h == h && e->len == n && !memcmp(b->arena + e->off, v, n))
			return e;
	}
	return NULL;
}

static int kv_grow(dp_namebook *b)
{
	size_t ns = b->kv_slots ? b->kv_slots * 2 : 1024;
	kval *nk = calloc(ns, sizeof(kval));
	if (!nk)
		return DP_ERR_NOMEM;
	for (size_t q = 0; q < b->kv_slots; q++)
		if (b->kv[q].h) {
			size_t k = b->kv[q].h & (ns - 1);
			while (nk[k].h)
				k = (k + 1) & (ns - 1);
			nk[k] = b->kv[q];
		}
	free(b->kv);
	b->kv = nk;
	b->kv_slots = ns;
	return DP_OK;
}

int dp_namebook_add_value(dp_namebook *b, const char *v, size_t n, const char *kind)
{
	uint64_t h = KV_BASIS;
	size_t ki, i;

	while (n && (v[n - 1] == ' '))
		n--;
	while (n && *v == ' ') {
		v++;
		n--;
	}
	if (n < KV_MIN_LEN || n > KV_MAX_LEN)
		return DP_OK;
	for (i = 0; i < n; i++)
		h = kv_step(h, (unsigned char)v[i]);
	h = kv_fin(h);
	if (b->kv_slots && kv_find(b, h, v, n))
		return DP_OK;
	/* the bounds: values beyond them are not looked for (counted, logged
	 * by the caller), the scanner's patterns and dictionaries still apply */
	if (b->nvals >= b->max_values || b->arena_len + n > b->max_bytes) {
		b->dropped++;
		return DP_OK;
	}
	for (ki = 0; ki < b->nkinds && strcmp(b->kinds[ki], kind); ki++)
		;
	if (ki == b->nkinds) {
		if (ki == KV_MAX_KINDS)
			return DP_ERR_INTERNAL;
		b->kinds[b->nkinds++] = kind;
	}
	if (!b->pfx && !(b->pfx = calloc(KV_PFX_BITS / 64, sizeof(uint64_t))))
		return DP_ERR_NOMEM;
	if ((b->nvals + 1) * 2 > b->kv_slots && kv_grow(b))
		return DP_ERR_NOMEM;
	if (b->arena_len + n > b->arena_cap) {
		size_t nc = b->arena_cap ? b->arena_cap * 2 : 65536;
		char *na;
		while (nc < b->arena_len + n)
			nc *= 2;
		if (nc > b->max_bytes)
			nc = b->max_bytes;
		if (!(na = realloc(b->arena, nc)))
			return DP_ERR_NOMEM;
		b->arena = na;
		b->arena_cap = nc;
	}
	memcpy(b->arena + b->arena_len, v, n);
	for (i = h & (b->kv_slots - 1); b->kv[i].h; i = (i + 1) & (b->kv_slots - 1))
		;
	b->kv[i].h = h;
	b->kv[i].off = (uint32_t)b->arena_len;
	b->kv[i].len = (uint16_t)n;
	b->kv[i].kind = (uint8_t)ki;
	b->arena_len += n;
	b->nvals++;
	b->lens[n / 64] |= (uint64_t)1 << (n % 64);
	b->pfx[pfx4(v) / 64] |= (uint64_t)1 << (pfx4(v) % 64);
	if (n > b->max_len)
		b->max_len = n;
	return DP_OK;
}

int dp_namebook_has_value(const dp_namebook *b, const char *v, size_t n)
{
	uint64_t h = KV_BASIS;
	if (!b || !b->nvals || n < KV_MIN_LEN || n > KV_MAX_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		h = kv_step(h, (unsigned char)v[i]);
	return kv_find(b, kv_fin(h), v, n) != NULL;
}

/* The longest known value at s[i], ending at a word boundary: the span is
 * hashed as it grows, and only lengths the book holds are probed. */
static const kval *m_known(const dp_namebook *b, const char *s, size_t n, size_t i)
{
	const kval *best = NULL;
	uint64_t h = KV_BASIS;
	size_t lim;

	if (!b || !b->nvals || n - i < KV_MIN_LEN)
		return NULL;
	{
		uint32_t p = pfx4(s + i);
		if (!(b->pfx[p / 64] >> (p % 64) & 1))
			return NULL;
	}
	lim = n - i < b->max_len ? n - i : b->max_len;
	for (size_t len = 1; len <= lim; len++) {
		const kval *e;
		h = kv_step(h, (unsigned char)s[i + len - 1]);
		if (len < KV_MIN_LEN || !(b->lens[len / 64] >> (len % 64) & 1))
			continue;
		if (i + len < n && isalnum((unsigned char)s[i + len]) &&
		    isalnum((unsigned char)s[i + len - 1]))
			continue;
		if ((e = kv_find(b, kv_fin(h), s + i, len)))
			best = e;
	}
	return best;
}

size_t dp_namebook_count(const dp_namebook *b)
{
	return b ? b->n : 0;
}

static int book_put(dp_namebook *b, const char *w, size_t n, unsigned bit)
{
	uint64_t h;
	size_t i;

	if (n < 2 || n > 40)
		return DP_OK;
	if ((b->n + 1) * 2 > b->slots) {
		size_t ns = b->slots ? b->slots * 2 : 1024;
		uint64_t *nsz = calloc(ns, sizeof(uint64_t));
		if (!nsz)
			return DP_ERR_NOMEM;
		for (size_t q = 0; q < b->slots; q++)
			if (b->set[q]) {
				size_t k = (b->set[q] >> 2) & (ns - 1);
				while (nsz[k])
					k = (k + 1) & (ns - 1);
				nsz[k] = b->set[q];
			}
		free(b->set);
		b->set = nsz;
		b->slots = ns;
	}
	h = dp_nameset_hash(w, n);
	for (i = h & (b->slots - 1); b->set[i] && b->set[i] >> 2 != h; i = (i + 1) & (b->slots - 1))
		;
	if (!b->set[i])
		b->n++;
	b->set[i] = h << 2 | (b->set[i] & 3) | bit;
	return DP_OK;
}

int dp_namebook_add(dp_namebook *b, const char *v, size_t n, int kind)
{
	size_t i = 0, w = 0;
	int rc = DP_OK;

	while (i < n && !rc) {
		while (i < n && (v[i] == ' ' || v[i] == ','))
			i++;
		size_t st = i;
		while (i < n && v[i] != ' ' && v[i] != ',')
			i++;
		if (i > st) {
			unsigned bit = kind == 1 ? 1 : kind == 2 ? 2 : w == 0 ? 1 : 2;
			rc = book_put(b, v + st, i - st, bit);
			w++;
		}
	}
	return rc;
}

static unsigned book_bits(const dp_namebook *b, const char *w, size_t n)
{
	if (!b || !b->slots || n < 2 || n > 40)
		return 0;
	uint64_t h = dp_nameset_hash(w, n);
	for (size_t i = h & (b->slots - 1); b->set[i]; i = (i + 1) & (b->slots - 1))
		if (b->set[i] >> 2 == h)
			return (unsigned)(b->set[i] & 3);
	return 0;
}

/* ---- setup ---- */

static const dp_gen *gen_of(const dp_textpii *t, const char *kind)
{
	for (size_t q = 0; t->kgen && q < t->nkinds; q++)
		if (t->kgen[q] && !strcmp(t->kinds[q], kind))
			return t->kgen[q];
	return NULL;
}

int dp_textpii_new(const dp_textpii_opts *o, dp_textpii **out, dp_errbuf *eb)
{
	dp_textpii *t = calloc(1, sizeof(*t));
	int rc = DP_OK;

	*out = NULL;
	if (!t)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	t->patterns = !o->pii || o->pii->use_value_patterns;
	t->dictionaries = !o->pii || o->pii->use_dictionaries;
	t->mock_replace = o->mock_replace;
	t->book = o->book;
	if (t->mock_replace) {
		t->kinds = dp_mock_kinds();
		while (t->kinds[t->nkinds])
			t->nkinds++;
		t->kgen = calloc(t->nkinds + 1, sizeof(dp_gen *));
		if (!t->kgen)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		for (size_t k = 0; k < t->nkinds && !rc; k++) {
			char spec[64];
			dp_gen_opts g;
			/* typed mocks (numbers, booleans, lists) are no PII kinds */
			if (!strcmp(t->kinds[k], "number") || !strcmp(t->kinds[k], "boolean") ||
			    !strcmp(t->kinds[k], "one_of"))
				continue;
			snprintf(spec, sizeof(spec), "mock:%s", t->kinds[k]);
			memset(&g, 0, sizeof(g));
			g.spec = spec;
			g.consistent = 1;
			g.locale = o->locale ? o->locale : "en";
			g.table = o->table_col;
			g.key = o->key;
			rc = dp_gen_new(&g, &t->kgen[k], eb);
		}
		for (int k = 0; k < T_N && !rc; k++)
			if (!(t->gen[k] = gen_of(t, mocks[k])))
				rc = dp_fail(eb, DP_ERR_INTERNAL, "no mock:%s", mocks[k]);
	}
	if (rc) {
		dp_textpii_free(t);
		return rc;
	}
	*out = t;
	return DP_OK;
}

void dp_textpii_free(dp_textpii *t)
{
	if (!t)
		return;
	for (size_t k = 0; t->kgen && k < t->nkinds; k++)
		dp_gen_free(t->kgen[k]);
	free(t->kgen);
	free(t);
}

/* ---- detectors: each returns the span length at s[i] (0: none) ---- */

static int is_word(unsigned char c) { return isalnum(c) || c >= 0x80; }

static size_t m_url(const char *s, size_t n, size_t i)
{
	size_t j = i;
	if (!(n - i >= 7 && !strncasecmp(s + i, "http://", 7)) && !(n - i >= 8 && !strncasecmp(s + i, "https://", 8)) &&
	    !(n - i >= 4 && !strncasecmp(s + i, "www.", 4)))
		return 0;
	while (j < n && !isspace((unsigned char)s[j]) && !strchr("<>\"'", s[j]))
		j++;
	while (j > i && strchr(".,;:!?)", s[j - 1]))
		j--;
	return j - i;
}

static size_t m_email(const char *s, size_t n, size_t i)
{
	size_t j = i, at, dot = 0;
	while (j < n && (isalnum((unsigned char)s[j]) || strchr("._%+-", s[j])))
		j++;
	if (j == i || j >= n || s[j] != '@')
		return 0;
	at = j++;
	while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '.' || s[j] == '-')) {
		if (s[j] == '.')
			dot = j;
		j++;
	}
	while (j > at + 1 && s[j - 1] == '.') {
		j--;
		dot = 0;
		for (size_t q = at + 1; q < j; q++)
			if (s[q] == '.')
				dot = q;
	}
	if (!dot || dot <= at + 1 || j - dot - 1 < 2)
		return 0;
	for (size_t q = dot + 1; q < j; q++)
		if (!isalpha((unsigned char)s[q]))
			return 0;
	return j - i;
}

static size_t m_iban(const char *s, size_t n, size_t i)
{
	char c[40];
	size_t j = i, k = 0, best = 0;
	if (n - i < 15 || !isupper((unsigned char)s[i]) || !isupper((unsigned char)s[i + 1]) ||
	    !isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]))
		return 0;
	while (j < n && k < 34) {
		if (isalnum((unsigned char)s[j])) {
			c[k++] = (char)toupper((unsigned char)s[j]);
			c[k] = 0;
			j++;
			if (k >= 15 && (j >= n || !isalnum((unsigned char)s[j])) && dp_iban_valid(c))
				best = j - i;
		} else if (s[j] == ' ' && j + 1 < n && isalnum((unsigned char)s[j + 1])) {
			j++;
		} else {
			break;
		}
	}
	return best;
}

/* digits with single separators from seps; *nd digits; stops before a
 * separator not followed by a digit */
static size_t digit_run(const char *s, size_t n, size_t i, const char *seps, char *d, size_t dmax,
			size_t *nd)
{
	size_t j = i;
	*nd = 0;
	while (j < n) {
		if (isdigit((unsigned char)s[j])) {
			if (*nd + 1 < dmax)
				d[*nd] = s[j];
			(*nd)++;
			j++;
		} else if (strchr(seps, s[j]) && s[j] && j + 1 < n && isdigit((unsigned char)s[j + 1]) &&
			   j > i && isdigit((unsigned char)s[j - 1])) {
			j++;
		} else {
			break;
		}
	}
	if (*nd < dmax)
		d[*nd] = 0;
	return j - i;
}

static size_t m_card(const char *s, size_t n, size_t i)
{
	char d[32];
	size_t nd, len = digit_run(s, n, i, " -", d, sizeof(d), &nd);
	if (nd < 13 || nd > 19 || (i + len < n && isalnum((unsigned char)s[i + len])))
		return 0;
	return dp_luhn_valid(d) ? len : 0;
}

static size_t m_ssn(const char *s, size_t n, size_t i)
{
	if (n - i < 11 || s[i + 3] != '-' || s[i + 6] != '-')
		return 0;
	for (size_t k = 0; k < 11; k++)
		if (k != 3 && k != 6 && !isdigit((unsigned char)s[i + k]))
			return 0;
	if ((i + 11 < n && isalnum((unsigned char)s[i + 11])) || !strncmp(s + i, "000", 3) ||
	    !strncmp(s + i, "666", 3) || s[i] == '9')
		return 0;
	return 11;
}

static size_t m_bsn(const char *s, size_t n, size_t i)
{
	char d[10];
	if (n - i < 9)
		return 0;
	for (size_t k = 0; k < 9; k++) {
		if (!isdigit((unsigned char)s[i + k]))
			return 0;
		d[k] = s[i + k];
	}
	d[9] = 0;
	if (i + 9 < n && (isalnum((unsigned char)s[i + 9]) || s[i + 9] == '.' || s[i + 9] == ','))
		return 0;
	return dp_bsn_valid(d) ? 9 : 0;
}

static size_t m_ipv4(const char *s, size_t n, size_t i)
{
	size_t j = i;
	for (int part = 0; part < 4; part++) {
		int v = 0, nd = 0;
		while (j < n && isdigit((unsigned char)s[j]) && nd < 4) {
			v = v * 10 + (s[j++] - '0');
			nd++;
		}
		if (!nd || nd > 3 || v > 255)
			return 0;
		if (part < 3) {
			if (j >= n || s[j] != '.')
				return 0;
			j++;
		}
	}
	if (j < n && (isdigit((unsigned char)s[j]) || (s[j] == '.' && j + 1 < n && isdigit((unsigned char)s[j + 1]))))
		return 0;
	return j - i;
}

static size_t m_phone(const char *s, size_t n, size_t i)
{
	char d[32];
	size_t j = i, nd = 0, seps = 0, last_digit = i;
	if (s[i] != '+' && s[i] != '(' && !isdigit((unsigned char)s[i]))
		return 0;
	while (j < n) {
		char c = s[j];
		if (isdigit((unsigned char)c)) {
			if (nd + 1 < sizeof(d))
				d[nd] = c;
			nd++;
			last_digit = j;
		} else if (c == '+' && j == i) {
			seps++;
		} else if ((c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') && j + 1 < n &&
			   (isdigit((unsigned char)s[j + 1]) || s[j + 1] == '(' || (c == ')' && s[j + 1] == ' '))) {
			seps++;
		} else {
			break;
		}
		j++;
	}
	if (nd < 9 || nd > 15 || !seps)
		return 0;
	/* dates (2024-01-02 10:00) are no phone numbers */
	if (last_digit - i + 1 >= 10 && s[i + 4] == '-' && s[i + 7] == '-')
		return 0;
	if (last_digit + 1 < n && isalnum((unsigned char)s[last_digit + 1]))
		return 0;
	return last_digit - i + 1;
}

/* a capitalised (or all-caps) word at s[i]: its length, else 0 */
static size_t cap_word(const char *s, size_t n, size_t i)
{
	size_t j = i;
	if (i >= n || !isupper((unsigned char)s[i]))
		return 0;
	j++;
	while (j < n && (isalpha((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80 ||
			 (s[j] == '-' && j + 1 < n && isupper((unsigned char)s[j + 1])) || s[j] == '\''))
		j++;
	return j - i >= 2 ? j - i : 0;
}

static size_t m_person(const dp_namebook *book, const char *s, size_t n, size_t i)
{
	static const char *const titles[] = { "Mr", "Mrs", "Ms", "Miss", "Dr", "Mevr", "Dhr", "Herr",
					      "Frau", "Mme", "Mlle", "M", NULL };
	size_t w1 = cap_word(s, n, i), j;
	if (!w1)
		return 0;
	j = i + w1;
	/* a title is no given name: the name after it is m_titled's */
	for (const char *const *t = titles; *t; t++)
		if (w1 == strlen(*t) && !strncmp(s + i, *t, w1))
			return 0;
	if (!dp_name_is_first(s + i, w1) && !(book_bits(book, s + i, w1) & 1))
		return 0;
	/* "Mary Smith", "MARY SMITH", "Anne-Marie de Vries" */
	size_t k = j;
	if (k + 1 < n && s[k] == ' ') {
		size_t w2 = cap_word(s, n, k + 1);
		if (!w2 && k + 3 < n) {   /* particles: de, van, von, van der, le */
			static const char *const part[] = { "de ", "van ", "von ", "van der ", "van den ",
							   "le ", "la ", "du ", NULL };
			for (const char *const *p = part; *p; p++)
				if (!strncmp(s + k + 1, *p, strlen(*p)) &&
				    (w2 = cap_word(s, n, k + 1 + strlen(*p)))) {
					w2 += strlen(*p);
					break;
				}
		}
		if (w2)
			return k + 1 + w2 - i;
	}
	return 0;
}

/* the word after a title: "Mr. Smith" -> span of "Smith" */
static size_t m_titled(const char *s, size_t n, size_t i)
{
	static const char *const titles[] = { "Mr", "Mrs", "Ms", "Miss", "Dr", "Mevr", "Dhr", "Herr",
					      "Frau", "Mme", "Mlle", NULL };
	size_t w = cap_word(s, n, i);
	if (!w || i < 3)
		return 0;
	size_t e = i - 1;                 /* the space before the word */
	if (s[e] != ' ')
		return 0;
	if (e > 0 && s[e - 1] == '.')
		e--;
	for (const char *const *t = titles; *t; t++) {
		size_t l = strlen(*t);
		if (e >= l && !strncmp(s + e - l, *t, l) && (e == l || !is_word((unsigned char)s[e - l - 1])))
			return w;
	}
	return 0;
}

/* Append the replacement of span[0..len): its mock (mock_replace) or tag. */
static int replace(const dp_textpii *t, const dp_gen *g, const char *tag, const char *span,
		   size_t len, dp_batch *scratch, dp_buf *out, dp_errbuf *eb)
{
	dp_value in, mv;
	int rc;

	if (!t->mock_replace || !g)
		return dp_buf_puts(out, tag) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	in.kind = DP_V_TEXT;
	in.u.s = span;
	in.len = len;
	if (dp_batch_full(scratch))
		dp_batch_reset(scratch);
	if (!dp_batch_add_row(scratch))
		return dp_fail(eb, DP_ERR_INTERNAL, "scratch batch full");
	rc = dp_gen_apply(g, &in, 0, scratch, &mv, eb);
	if (!rc && mv.kind == DP_V_TEXT && dp_buf_append(out, mv.u.s, mv.len))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return rc;
}

int dp_textpii_apply(const dp_textpii *t, const char *s, size_t n, dp_batch *scratch,
		     dp_buf *out, size_t *found, dp_errbuf *eb)
{
	size_t i = 0, copied = 0;
	int rc = DP_OK;

	while (i < n && !rc) {
		size_t len = 0;
		tkind k = T_N;
		int boundary = i == 0 || !is_word((unsigned char)s[i - 1]);
		const kval *kv = boundary ? m_known(t->book, s, n, i) : NULL;
		const dp_gen *g = NULL;
		const char *tag = NULL;
		char ktag[64];
		/* numbers start where a number starts, not inside "4111 1111 ..." */
		int numstart = !(i >= 2 && (s[i - 1] == ' ' || s[i - 1] == '-' || s[i - 1] == '.') &&
				 isdigit((unsigned char)s[i - 2]));
		if (kv) {
			/* a value of a PII column, verbatim: the column's own mock */
			len = kv->len;
			g = gen_of(t, t->book->kinds[kv->kind]);
			snprintf(ktag, sizeof(ktag), "<%s>", t->book->kinds[kv->kind]);
			for (char *c = ktag; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			tag = ktag;
		}
		if (!len && boundary && t->patterns) {
			if ((len = m_url(s, n, i))) k = T_URL;
			else if ((len = m_email(s, n, i))) k = T_EMAIL;
			else if ((len = m_iban(s, n, i))) k = T_IBAN;
			else if (!numstart) len = 0;
			else if ((len = m_ssn(s, n, i))) k = T_SSN;
			else if ((len = m_ipv4(s, n, i))) k = T_IPV4;
			else if ((len = m_card(s, n, i))) k = T_CARD;
			else if ((len = m_bsn(s, n, i))) k = T_BSN;
			else if ((len = m_phone(s, n, i))) k = T_PHONE;
		}
		if (!len && boundary && t->dictionaries) {
			if ((len = m_person(t->book, s, n, i)))
				k = T_PERSON;
			else if ((len = m_titled(s, n, i)))
				k = T_SURNAME;    /* "Mr. Jansen": the title stays */
		}
		if (!len) {
			/* skip to the next word boundary */
			i++;
			while (i < n && is_word((unsigned char)s[i]) && is_word((unsigned char)s[i - 1]))
				i++;
			continue;
		}
		if (!kv) {
			g = t->gen[k];
			tag = tags[k];
		}
		if (dp_buf_append(out, s + copied, i - copied))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		rc = replace(t, g, tag, s + i, len, scratch, out, eb);
		(*found)++;
		i += len;
		copied = i;
	}
	if (!rc && dp_buf_append(out, s + copied, n - copied))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return rc;
}
