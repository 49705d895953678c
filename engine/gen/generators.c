/* engine/gen/generators.c - compile generator specs and apply them to values.
 * The contract (determinism, consistency, types) is in generators.h. */
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "generators.h"
#include "../pii/mock.h"
#include "../mask/ff1.h"
#include "../mask/typed.h"
#include "textpii.h"
#include "../../base/dp_buf.h"
#include "../../base/dp_rng.h"

typedef enum gkind { G_DUPLICATE, G_NULL, G_CONSTANT, G_MOCK, G_HASH, G_REDACT, G_FPE, G_TEXTPII,
		     G_SCRAMBLE, G_NOISE, G_DATESHIFT, G_TRUNCDATE } gkind;

struct dp_gen {
	gkind k;
	uint64_t id;               /* unique in the process: the mock memo's key */
	char spec[64];
	const char *mock;          /* kind name (static) */
	char locale[16];
	int consistent;
	dp_tclass tclass;
	int length;
	int unique;                /* the column has a unique index: stay collision-free */
	char table_col[256];
	dp_job_key key;
	dp_hmac hk;                /* HMAC keyed with `key`, precomputed */
	dp_value cval;             /* constant, converted to the column's class */
	dp_ff1 *ff1;               /* mask:fpe, and mask:hash of unique integers */
	dp_textpii *tp;            /* mask:textpii */
	int precision, scale;      /* numeric(p,s) of the column */
	int shift_days;            /* mask:date_shift: one offset for the job */
	char **choices;            /* mock:one_of */
	size_t nchoices;
	char *ctext;
};

static const char *const mock_kinds[] = {
	"first_name", "last_name", "full_name", "email", "username", "phone", "street_address",
	"city", "postcode", "region", "country", "full_address", "company", "job_title", "iban",
	"credit_card", "national_id", "ssn", "ipv4", "ipv6", "mac_address", "url", "domain", "uuid",
	"date_of_birth", "date", "text", "license_plate", "password", "gender", "number", "boolean",
	"one_of", NULL
};
static const char *const mask_fns[] = { "hash", "redact", "fpe", "textpii", "scramble", "noise",
					"date_shift", "truncate_date", NULL };

const char *const *dp_mock_kinds(void)
{
	return mock_kinds;
}

const char *const *dp_mask_fns(void)
{
	return mask_fns;
}

static const char *in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return *list;
	return NULL;
}

static void known_list(dp_buf *b)
{
	int rc = dp_buf_puts(b, "duplicate, null, constant, ");
	for (const char *const *k = mock_kinds; *k && !rc; k++)
		rc = dp_buf_printf(b, "mock:%s, ", *k);
	for (const char *const *k = mask_fns; *k && !rc; k++)
		rc = dp_buf_printf(b, "mask:%s%s", *k, k[1] ? ", " : "");
}

static int parse_spec(const char *spec, gkind *k, const char **mock, dp_errbuf *eb)
{
	dp_buf known = DP_BUF_INIT;
	int rc;

	if (!spec)
		return dp_fail(eb, DP_ERR_CONFIG, "generator missing");
	if (!strcmp(spec, "duplicate")) { *k = G_DUPLICATE; return DP_OK; }
	if (!strcmp(spec, "null")) { *k = G_NULL; return DP_OK; }
	if (!strcmp(spec, "constant")) { *k = G_CONSTANT; return DP_OK; }
	if (!strncmp(spec, "mock:", 5) && (*mock = in_list(mock_kinds, spec + 5))) {
		*k = G_MOCK;
		return DP_OK;
	}
	if (!strcmp(spec, "mask:hash")) { *k = G_HASH; return DP_OK; }
	if (!strcmp(spec, "mask:redact")) { *k = G_REDACT; return DP_OK; }
	if (!strcmp(spec, "mask:fpe")) { *k = G_FPE; return DP_OK; }
	if (!strcmp(spec, "mask:textpii")) { *k = G_TEXTPII; return DP_OK; }
	if (!strcmp(spec, "mask:scramble")) { *k = G_SCRAMBLE; return DP_OK; }
	if (!strcmp(spec, "mask:noise")) { *k = G_NOISE; return DP_OK; }
	if (!strcmp(spec, "mask:date_shift")) { *k = G_DATESHIFT; return DP_OK; }
	if (!strcmp(spec, "mask:truncate_date")) { *k = G_TRUNCDATE; return DP_OK; }
	known_list(&known);
	if (!strcmp(spec, "synthesize") || !strcmp(spec, "exclude"))
		rc = dp_fail(eb, DP_ERR_CONFIG, "generator \"%s\" is not available yet; available: %s",
			     spec, dp_buf_str(&known));
	else
		rc = dp_fail(eb, DP_ERR_CONFIG, "unknown generator \"%s\"; available: %s", spec,
			     dp_buf_str(&known));
	dp_buf_free(&known);
	return rc;
}

int dp_gen_check_spec(const char *spec, dp_errbuf *eb)
{
	gkind k;
	const char *m = NULL;
	return parse_spec(spec, &k, &m, eb);
}

/* ---- which generator can fill which column (the one table) ----
 *
 * A generator is refused at plan time when its output cannot be a value of
 * the column's type class: the target would reject the row at load time
 * (half a job later), or worse, accept something else (a date mask on text
 * shifts nothing, FF1 on a uuid makes letters no uuid has). One row per
 * generator kind (mock kinds by name where they differ); the first match
 * wins. `what` completes "<spec> <what>, the column is <class> (<type>)" and
 * `hint` says what to use instead. */
#define C(x) (1u << (x))
#define C_ALL 0xffffffffu
#define C_TEXTISH (C(DP_T_TEXT) | C(DP_T_UNKNOWN))

typedef struct gen_rule {
	gkind k;
	const char *mock;     /* G_MOCK: kind name; NULL = any other kind */
	unsigned classes;     /* bit (1 << dp_tclass) per class it can fill */
	const char *what, *hint;
} gen_rule;

static const gen_rule gen_rules[] = {
	{G_DUPLICATE, NULL, C_ALL, "", ""},
	{G_NULL, NULL, C_ALL, "", ""},
	{G_CONSTANT, NULL, C_ALL, "", ""},
	/* a keyed hash keeps the kind of the value (integer, real, text, bytes) */
	{G_HASH, NULL, C_ALL, "", ""},
	{G_REDACT, NULL, C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_REAL) | C(DP_T_NUMERIC) | C(DP_T_BLOB) |
	 C(DP_T_JSON), "keeps the shape of text (letters x, digits 9)",
	 "use mask:hash, mock:date or null"},
	{G_FPE, NULL, C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_NUMERIC),
	 "keeps the digits and letters of text and integers",
	 "use mask:hash, or a date/number mask"},
	{G_TEXTPII, NULL, C_TEXTISH | C(DP_T_JSON), "scans free text", "use mask:hash or a mock"},
	{G_SCRAMBLE, NULL, C_TEXTISH | C(DP_T_INTEGER), "reorders the characters of text and integers",
	 "use mask:noise for numbers, mask:date_shift for dates"},
	{G_NOISE, NULL, C(DP_T_INTEGER) | C(DP_T_REAL) | C(DP_T_NUMERIC) | C(DP_T_UNKNOWN),
	 "adds noise to numbers", "use mask:scramble or mask:redact for text, mask:date_shift for dates"},
	{G_DATESHIFT, NULL, C(DP_T_DATE) | C(DP_T_TIMESTAMP), "shifts dates and timestamps",
	 "declare the column as a date or timestamp, or use mask:hash"},
	{G_TRUNCDATE, NULL, C(DP_T_DATE) | C(DP_T_TIMESTAMP), "truncates dates and timestamps",
	 "declare the column as a date or timestamp, or use mask:hash"},
	{G_MOCK, "number", C(DP_T_INTEGER) | C(DP_T_REAL) | C(DP_T_NUMERIC) | C(DP_T_UNKNOWN),
	 "produces numbers", "use a text mock"},
	{G_MOCK, "boolean", C(DP_T_BOOL) | C(DP_T_INTEGER) | C(DP_T_UNKNOWN), "produces booleans", ""},
	{G_MOCK, "one_of", C_ALL, "", ""},
	{G_MOCK, "date_of_birth", C_TEXTISH | C(DP_T_BLOB) | C(DP_T_DATE) | C(DP_T_TIMESTAMP),
	 "produces dates", "use mask:hash or mock:number"},
	{G_MOCK, "date", C_TEXTISH | C(DP_T_BLOB) | C(DP_T_DATE) | C(DP_T_TIMESTAMP),
	 "produces dates", "use mask:hash or mock:number"},
	{G_MOCK, "uuid", C_TEXTISH | C(DP_T_BLOB) | C(DP_T_UUID), "produces text", "use mask:hash"},
	{G_MOCK, NULL, C_TEXTISH | C(DP_T_BLOB), "produces text",
	 "use mask:hash (keeps the type), mock:number, mock:date or null"},
};

static const gen_rule *rule_of(gkind k, const char *mock)
{
	for (size_t i = 0; i < sizeof(gen_rules) / sizeof(gen_rules[0]); i++)
		if (gen_rules[i].k == k && (k != G_MOCK || !gen_rules[i].mock ||
					    (mock && !strcmp(gen_rules[i].mock, mock))))
			return &gen_rules[i];
	return NULL;
}

/* The class check of the table above, for a compiled generator. */
static int check_class(const dp_gen *g, const char *type_decl, dp_errbuf *eb)
{
	const gen_rule *r = rule_of(g->k, g->mock);

	if (!r || (r->classes & C(g->tclass)))
		return DP_OK;
	return dp_fail(eb, DP_ERR_CONFIG, "%s: %s %s, the column is %s (%s)%s%s", g->table_col, g->spec,
		       r->what, dp_tclass_name(g->tclass), type_decl && *type_decl ? type_decl : "?",
		       *r->hint ? "; " : "", r->hint);
}

int dp_gen_check_column(const dp_gen *g, const dp_table *t, size_t ci, dp_errbuf *eb)
{
	const dp_column *c;

	if (!g || !t || ci >= t->ncols)
		return DP_OK;
	c = &t->cols[ci];
	/* the target computes a generated column itself: whatever a generator
	 * made would be thrown away (or refused), and the column is derived
	 * from columns that are masked in their own right */
	if (c->generated && g->k != G_DUPLICATE)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: generator \"%s\" on a generated column (%s "
			       "GENERATED ALWAYS AS (%s)): the target computes it from the other "
			       "columns; remove the generator (mask the columns it is computed from)",
			       t->name, c->name, g->spec, c->type_decl ? c->type_decl : "?", c->generated);
	if (g->tclass != c->tclass) {
		/* compiled for another column: check it as if it had been for this one */
		dp_gen tmp = *g;
		tmp.tclass = c->tclass;
		snprintf(tmp.table_col, sizeof(tmp.table_col), "%s.%s", t->name, c->name);
		return check_class(&tmp, c->type_decl, eb);
	}
	return check_class(g, c->type_decl, eb);
}

int dp_gen_new(const dp_gen_opts *o, dp_gen **out, dp_errbuf *eb)
{
	dp_gen *g;
	gkind k;
	const char *mock = NULL;
	int rc;

	*out = NULL;
	rc = parse_spec(o->spec, &k, &mock, eb);
	if (rc)
		return rc;
	g = calloc(1, sizeof(*g));
	if (!g)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	g->k = k;
	{
		static atomic_uint_fast64_t next_id = 1;
		g->id = (uint64_t)atomic_fetch_add(&next_id, 1);
	}
	snprintf(g->spec, sizeof(g->spec), "%s", o->spec);
	g->mock = mock;
	snprintf(g->locale, sizeof(g->locale), "%s", o->locale ? o->locale : "en");
	g->consistent = o->consistent < 0 ? 1 : o->consistent;
	g->tclass = o->col ? o->col->tclass : DP_T_TEXT;
	g->length = o->col ? o->col->length : 0;
	g->unique = o->col ? o->col->is_unique || (o->col->pk_pos && o->col->tclass != DP_T_INTEGER) : 0;
	snprintf(g->table_col, sizeof(g->table_col), "%s.%s", o->table ? o->table : "?",
		 o->col ? o->col->name : "?");
	if (o->key)
		g->key = *o->key;
	dp_hmac_init(&g->hk, g->key.k, sizeof(g->key.k));
	if (k == G_NULL && o->col && o->col->notnull) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: generator \"null\" on a NOT NULL column",
			     g->table_col);
		goto fail;
	}
	/* a unique column needs values that cannot collide: mocks are drawn
	 * from small lists (uuid aside), and a hash needs room */
	if (g->unique && k == G_MOCK && strcmp(mock, "uuid") != 0) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: mock:%s cannot guarantee distinct values, and the "
			     "column has a unique index; use mask:hash (keyed, collision-free) or "
			     "mock:uuid", g->table_col, mock);
		goto fail;
	}
	rc = check_class(g, o->col ? o->col->type_decl : NULL, eb);
	if (rc)
		goto fail;
	if (k == G_TEXTPII) {
		dp_textpii_opts to;
		memset(&to, 0, sizeof(to));
		to.pii = o->pii;
		to.mock_replace = o->pii ? o->pii_mock_replace : 1;
		to.locale = g->locale;
		to.key = &g->key;
		to.table_col = g->table_col;
		to.book = o->names;
		rc = dp_textpii_new(&to, &g->tp, eb);
		if (rc)
			goto fail;
	}
	/* format-preserving encryption: AES-256 key derived from the job key,
	 * so the mapping is the same in every table and run with the seed */
	if (k == G_FPE || (k == G_HASH && g->unique)) {
		unsigned char fk[32];
		dp_hmac_compute(&g->hk, "doppel/v1/fpe", 13, fk);
		g->ff1 = dp_ff1_new(fk, sizeof(fk));
		if (!g->ff1) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "%s: cannot set up AES for format-preserving "
				     "encryption", g->table_col);
			goto fail;
		}
	}
	if (g->unique && k == G_HASH && g->length > 0 && g->length < 16 &&
	    (g->tclass == DP_T_TEXT || g->tclass == DP_T_UNKNOWN)) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: a unique column of %d characters is too short for "
			     "collision-free masked values (16 or more needed)", g->table_col, g->length);
		goto fail;
	}
	g->precision = o->col ? o->col->precision : 0;
	g->scale = o->col ? o->col->scale : 0;
	if (k == G_DATESHIFT) {
		/* one offset for the whole job (intervals between dates survive),
		 * -365..365 days, never 0 */
		unsigned char d[32];
		dp_hmac_compute(&g->hk, "doppel/v1/date_shift", 20, d);
		g->shift_days = (int)(((unsigned)d[0] << 8 | d[1]) % 730) - 365;
		if (g->shift_days >= 0)
			g->shift_days++;
	}
	if (k == G_MOCK && !strcmp(mock, "one_of")) {
		const char *v = o->value;
		if (!v || !*v) {
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: mock:one_of needs \"value\": the allowed "
				     "values separated by |", g->table_col);
			goto fail;
		}
		for (const char *p = v;; ) {
			const char *e = strchr(p, '|');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			char **nc = realloc(g->choices, (g->nchoices + 1) * sizeof(char *));
			if (!nc || !(nc[g->nchoices] = strndup(p, l))) {
				if (nc)
					g->choices = nc;
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				goto fail;
			}
			g->choices = nc;
			g->nchoices++;
			if (!e)
				break;
			p = e + 1;
		}
	}
	if (k == G_MOCK && !dp_mock_has_locale(g->locale)) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: locale \"%s\" has no mock data (available: %s)",
			     g->table_col, g->locale, dp_mock_locale_list());
		goto fail;
	}
	if (k == G_CONSTANT) {
		if (!o->value) {
			if (o->col && o->col->notnull) {
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: constant without a value (NULL) on "
					     "a NOT NULL column", g->table_col);
				goto fail;
			}
			dp_value_set_null(&g->cval);
		} else if (g->tclass == DP_T_INTEGER || g->tclass == DP_T_BOOL) {
			char *end;
			errno = 0;
			long long v = strtoll(o->value, &end, 10);
			if (errno || *end || end == o->value) {
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: constant \"%s\" is not an integer",
					     g->table_col, o->value);
				goto fail;
			}
			dp_value_set_int(&g->cval, v);
		} else if (g->tclass == DP_T_REAL) {
			char *end;
			double v = strtod(o->value, &end);
			if (*end || end == o->value) {
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: constant \"%s\" is not a number",
					     g->table_col, o->value);
				goto fail;
			}
			dp_value_set_real(&g->cval, v);
		} else {
			g->ctext = dp_strdup(o->value);
			if (!g->ctext) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				goto fail;
			}
			g->cval.kind = DP_V_TEXT;
			g->cval.u.s = g->ctext;
			g->cval.len = strlen(g->ctext);
		}
	}
	*out = g;
	return DP_OK;
fail:
	dp_gen_free(g);
	return rc;
}

void dp_gen_free(dp_gen *g)
{
	if (!g)
		return;
	free(g->ctext);
	dp_ff1_free(g->ff1);
	dp_textpii_free(g->tp);
	for (size_t i = 0; i < g->nchoices; i++)
		free(g->choices[i]);
	free(g->choices);
	free(g);
}

const struct dp_textpii *dp_gen_textpii(const dp_gen *g)
{
	return g ? g->tp : NULL;
}

int dp_gen_is_identity(const dp_gen *g)
{
	return g->k == G_DUPLICATE;
}

const char *dp_gen_spec(const dp_gen *g)
{
	return g->spec;
}

/* Bytes of `n` UTF-8 characters of s (at most len). */
static size_t utf8_prefix(const char *s, size_t len, int n)
{
	size_t i = 0;
	int chars = 0;

	while (i < len && chars < n) {
		unsigned char c = (unsigned char)s[i];
		size_t w = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
		if (i + w > len)
			break;
		i += w;
		chars++;
	}
	return i;
}

static int emit_text(const dp_gen *g, const char *s, size_t len, dp_batch *b, dp_value *out,
		     dp_errbuf *eb)
{
	if (g->length > 0)
		len = utf8_prefix(s, len, g->length);
	if (dp_batch_set_text(b, out, s, len))
		return dp_fail(eb, DP_ERR_NOMEM, "%s: out of memory", g->table_col);
	return DP_OK;
}

/* The value's bytes as hashed: text/blob bytes, numbers in decimal. */
static size_t value_bytes(const dp_value *in, char *tmp, size_t tmpsz, const char **p)
{
	if (in->kind == DP_V_TEXT || in->kind == DP_V_BLOB) {
		*p = in->u.s;
		return in->len;
	}
	*p = tmp;
	return dp_value_to_text(in, tmp, tmpsz, NULL);
}

/* v in decimal at p (room for 20 digits), as "%" PRIu64 would: its length */
static size_t put_dec(char *p, uint64_t v)
{
	char t[20];
	size_t n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

/* Digest for this value: consistent = input only; else column and row.
 * The message is "spec|locale|attempt|kind|input" or
 * "spec|locale|attempt|table.column|row|"; built without printf (hot path). */
static void digest(const dp_gen *g, const dp_value *in, uint64_t row, unsigned attempt,
		   unsigned char out[32])
{
	char small[512], num[64];
	const char *p;
	size_t n = value_bytes(in, num, sizeof(num), &p);
	size_t sl = strlen(g->spec), ll = strlen(g->locale), tl = strlen(g->table_col);
	size_t need = sl + ll + tl + n + 64, w = 0;
	char *m = need <= sizeof(small) ? small : malloc(need);

	if (!m) {
		dp_hmac_compute(&g->hk, p, n, out);   /* no memory: still keyed */
		return;
	}
	memcpy(m + w, g->spec, sl); w += sl; m[w++] = '|';
	memcpy(m + w, g->locale, ll); w += ll; m[w++] = '|';
	w += put_dec(m + w, attempt);
	m[w++] = '|';
	if (g->consistent) {
		m[w++] = (char)('0' + in->kind);
		m[w++] = '|';
		memcpy(m + w, p, n);
		w += n;
	} else {
		memcpy(m + w, g->table_col, tl); w += tl; m[w++] = '|';
		w += put_dec(m + w, row);
		m[w++] = '|';
	}
	dp_hmac_compute(&g->hk, m, w, out);
	if (m != small)
		free(m);
}

static int same_text(const dp_value *in, const char *s, size_t len)
{
	return (in->kind == DP_V_TEXT || in->kind == DP_V_BLOB) && in->len == len &&
	       memcmp(in->u.s, s, len) == 0;
}

/* mock:number, mock:boolean, mock:one_of: typed values owing nothing to
 * the source (the one_of list comes from the engine file or a CHECK) */
static int apply_typed_mock(const dp_gen *g, const dp_value *in, uint64_t row, dp_batch *b,
			    dp_value *out, dp_errbuf *eb)
{
	unsigned char d[32];
	dp_rng r;
	dp_buf v = DP_BUF_INIT;
	int rc = DP_OK;

	digest(g, in, row, 0, d);
	dp_rng_seed_bytes(&r, d, sizeof(d));
	if (!strcmp(g->mock, "boolean")) {
		dp_value_set_int(out, (int64_t)dp_rng_below(&r, 2));
		return DP_OK;
	}
	if (!strcmp(g->mock, "one_of")) {
		const char *c = g->choices[dp_rng_below(&r, g->nchoices)];
		return emit_text(g, c, strlen(c), b, out, eb);
	}
	if (g->tclass == DP_T_INTEGER) {
		/* 1..99999: positive, as CHECK (x > 0) columns want */
		dp_value_set_int(out, 1 + (int64_t)dp_rng_below(&r, 99999));
		return DP_OK;
	}
	if (g->tclass == DP_T_REAL) {
		dp_value_set_real(out, (double)dp_rng_below(&r, 10000000) / 100.0);
		return DP_OK;
	}
	/* at most 5 integer digits: a plausible amount, within numeric(p,s) */
	dp_mock_decimal(&r, g->precision > 0 && g->precision - g->scale < 5 ? g->precision - g->scale : 5,
			g->precision > 0 ? g->scale : 2, &v);
	rc = v.data ? emit_text(g, v.data, v.len, b, out, eb) : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	dp_buf_free(&v);
	return rc;
}

/* A consistent mock is a function of the input value alone, and columns
 * repeat values (given names, cities, the names quoted in notes): a small
 * direct-mapped memo per thread (the generators are shared read-only, the
 * memo is not) skips the HMAC, the RNG seeding and the generation for a
 * value just seen. Fixed size: MEMO_SLOTS entries of short values. */
#define MEMO_SLOTS 512
#define MEMO_MAX 46
typedef struct memo_ent {
	uint64_t gid;            /* dp_gen id, 0 = empty */
	uint8_t kind, inlen, outlen;
	char in[MEMO_MAX], out[MEMO_MAX];
} memo_ent;
static _Thread_local memo_ent memo[MEMO_SLOTS];

static memo_ent *memo_slot(const dp_gen *g, const dp_value *in, const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ g->id;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	h ^= (uint64_t)in->kind;
	return &memo[(h ^ h >> 29) % MEMO_SLOTS];
}

static int apply_mock(const dp_gen *g, const dp_value *in, uint64_t row, dp_batch *b,
		      dp_value *out, dp_errbuf *eb)
{
	dp_buf v = DP_BUF_INIT;
	int rc = DP_OK;
	memo_ent *me = NULL;
	char num[64];
	const char *p = NULL;
	size_t n = 0;

	if (!strcmp(g->mock, "number") || !strcmp(g->mock, "boolean") || !strcmp(g->mock, "one_of"))
		return apply_typed_mock(g, in, row, b, out, eb);
	if (g->consistent && in->kind != DP_V_NULL) {
		n = value_bytes(in, num, sizeof(num), &p);
		if (n <= MEMO_MAX) {
			me = memo_slot(g, in, p, n);
			if (me->gid == g->id && me->kind == (uint8_t)in->kind && me->inlen == n &&
			    !memcmp(me->in, p, n))
				return emit_text(g, me->out, me->outlen, b, out, eb);
		}
	}

	for (unsigned attempt = 0; attempt < 16; attempt++) {
		unsigned char d[32];
		dp_rng r;
		size_t len;
		digest(g, in, row, attempt, d);
		dp_rng_seed_bytes(&r, d, sizeof(d));
		dp_buf_reset(&v);
		rc = dp_mock_generate(g->mock, g->locale, &r, &v);
		if (!rc && (!strcmp(g->mock, "date_of_birth") || !strcmp(g->mock, "date")) &&
		    g->tclass == DP_T_TIMESTAMP)
			rc = dp_buf_puts(&v, " 00:00:00");
		if (rc) {
			rc = dp_fail(eb, DP_ERR_INTERNAL, "%s: mock:%s failed", g->table_col, g->mock);
			break;
		}
		len = g->length > 0 ? utf8_prefix(v.data, v.len, g->length) : v.len;
		/* a mock never hands back its input: draw again */
		if (!same_text(in, v.data, len) || attempt == 15) {
			rc = emit_text(g, v.data, v.len, b, out, eb);
			if (!rc && me && v.len <= MEMO_MAX) {
				me->gid = g->id;
				me->kind = (uint8_t)in->kind;
				me->inlen = (uint8_t)n;
				me->outlen = (uint8_t)v.len;
				memcpy(me->in, p, n);
				memcpy(me->out, v.data, v.len);
			}
			break;
		}
	}
	dp_buf_free(&v);
	return rc;
}

/* mask:scramble / noise / date_shift / truncate_date */
static int apply_typed_mask(const dp_gen *g, const dp_value *in, uint64_t row, dp_batch *b,
			    dp_value *out, dp_errbuf *eb)
{
	unsigned char d[32];
	char txt[64];
	dp_rng r;
	dp_buf v = DP_BUF_INIT;
	int rc = DP_OK;

	digest(g, in, row, 0, d);
	dp_rng_seed_bytes(&r, d, sizeof(d));
	if (g->k == G_SCRAMBLE) {
		if (in->kind == DP_V_INT) {
			/* same width, no leading zero */
			size_t n = dp_value_to_text(in, txt, sizeof(txt), NULL);
			char o[64];
			for (int attempt = 0; attempt < 16; attempt++) {
				dp_mask_scramble(&r, txt, n, o);
				if (n < 2 || o[o[0] == '-' ? 1 : 0] != '0')
					break;
			}
			o[n] = 0;
			dp_value_set_int(out, strtoll(o, NULL, 10));
			return DP_OK;
		}
		if (in->kind != DP_V_TEXT)
			return dp_fail(eb, DP_ERR_TYPE, "%s: mask:scramble applies to text and integers", g->table_col);
		char small[256], *o = in->len < sizeof(small) ? small : malloc(in->len + 1);
		if (!o)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		dp_mask_scramble(&r, in->u.s, in->len, o);
		rc = emit_text(g, o, in->len, b, out, eb);
		if (o != small)
			free(o);
		return rc;
	}
	if (g->k == G_NOISE) {
		double x;
		int sc = 0;
		if (in->kind == DP_V_INT) {
			dp_value_set_int(out, (int64_t)llround(dp_mask_noise(&r, (double)in->u.i)));
			return DP_OK;
		}
		if (in->kind == DP_V_REAL) {
			double y = dp_mask_noise(&r, in->u.d);
			/* an exact decimal column stored as REAL keeps its scale */
			if (g->tclass == DP_T_NUMERIC) {
				double p = pow(10, g->precision > 0 ? g->scale : 2);
				y = round(y * p) / p;
			}
			dp_value_set_real(out, y);
			return DP_OK;
		}
		if (in->kind == DP_V_TEXT && in->len < sizeof(txt)) {
			char *end;
			const char *dot;
			memcpy(txt, in->u.s, in->len);
			txt[in->len] = 0;
			x = strtod(txt, &end);
			if (!*end && end != txt) {
				dot = strchr(txt, '.');
				sc = dot ? (int)strlen(dot + 1) : 0;
				int n = snprintf(txt, sizeof(txt), "%.*f", sc, dp_mask_noise(&r, x));
				return emit_text(g, txt, (size_t)n, b, out, eb);
			}
		}
		return dp_fail(eb, DP_ERR_TYPE, "%s: mask:noise needs a number, got '%.*s'", g->table_col,
			       in->kind == DP_V_TEXT ? (int)(in->len < 40 ? in->len : 40) : 0,
			       in->kind == DP_V_TEXT ? in->u.s : "");
	}
	if (in->kind != DP_V_TEXT)
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a date or timestamp", g->table_col, g->spec);
	rc = g->k == G_DATESHIFT ? dp_mask_date_shift(in->u.s, in->len, g->shift_days, &v)
				 : dp_mask_date_truncate(in->u.s, in->len, &v);
	if (rc) {
		dp_buf_free(&v);
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a date or timestamp, got '%.*s'",
			       g->table_col, g->spec, (int)(in->len < 40 ? in->len : 40), in->u.s);
	}
	rc = emit_text(g, v.data, v.len, b, out, eb);
	dp_buf_free(&v);
	return rc;
}

/* mask:fpe: FF1 over the digits and letters, shape kept, a bijection. */
static int apply_fpe(const dp_gen *g, const dp_value *in, dp_batch *b, dp_value *out, dp_errbuf *eb)
{
	int rc;

	if (in->kind == DP_V_INT) {
		int64_t v;
		rc = dp_fpe_int(g->ff1, in->u.i, &v);
		if (rc)
			return dp_fail(eb, rc, "%s: format-preserving encryption failed", g->table_col);
		dp_value_set_int(out, v);
		return DP_OK;
	}
	if (in->kind == DP_V_TEXT) {
		char small[256], *buf = in->len < sizeof(small) ? small : malloc(in->len + 1);
		if (!buf)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		rc = dp_fpe_text(g->ff1, in->u.s, in->len, buf);
		if (!rc)
			rc = dp_batch_set_text(b, out, buf, in->len);
		if (buf != small)
			free(buf);
		if (rc)
			return dp_fail(eb, rc, "%s: format-preserving encryption failed", g->table_col);
		return DP_OK;
	}
	return dp_fail(eb, DP_ERR_TYPE, "%s: mask:fpe applies to text and integers, got a %s value",
		       g->table_col, in->kind == DP_V_REAL ? "real" : "binary");
}

static int apply_hash(const dp_gen *g, const dp_value *in, uint64_t row, dp_batch *b,
		      dp_value *out, dp_errbuf *eb)
{
	/* a unique integer column: the keyed hash must be a bijection, or two
	 * keys could meet; FF1 keeps the width too */
	if (g->ff1 && in->kind == DP_V_INT)
		return apply_fpe(g, in, b, out, eb);
	unsigned char d[32];
	static const char hex[] = "0123456789abcdef";

	for (unsigned attempt = 0; attempt < 16; attempt++) {
		uint64_t h = 0;
		digest(g, in, row, attempt, d);
		for (int i = 0; i < 8; i++)
			h = (h << 8) | d[i];
		if (in->kind == DP_V_INT) {
			/* same number of digits and sign: fits the column like the input */
			int64_t v = in->u.i;
			uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v, lo = 1, nv;
			int digits = 1;
			while (a >= 10 && digits < 19) {
				a /= 10;
				lo *= 10;
				digits++;
			}
			nv = digits == 1 ? h % 10 : lo + h % (9 * lo);
			if ((int64_t)nv * (v < 0 ? -1 : 1) == v && attempt < 15)
				continue;
			dp_value_set_int(out, v < 0 ? -(int64_t)nv : (int64_t)nv);
			return DP_OK;
		}
		if (in->kind == DP_V_REAL) {
			double nv = (double)(h % 1000000) / 100.0;
			if (nv == in->u.d && attempt < 15)
				continue;
			dp_value_set_real(out, in->u.d < 0 ? -nv : nv);
			return DP_OK;
		}
		if (in->kind == DP_V_BLOB) {
			if (dp_batch_set_blob(b, out, d, in->len < 32 ? (in->len ? in->len : 1) : 32))
				return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			return DP_OK;
		}
		{
			char txt[65];
			size_t n = in->len < 8 ? 8 : in->len > 64 ? 64 : in->len;
			if (g->unique && n < 32)
				n = 32;    /* 128 bits: no collision in any table */
			for (size_t i = 0; i < n; i++)
				txt[i] = hex[(d[i / 2] >> (i % 2 ? 0 : 4)) & 15];
			if (same_text(in, txt, n) && attempt < 15)
				continue;
			return emit_text(g, txt, n, b, out, eb);
		}
	}
	return dp_fail(eb, DP_ERR_INTERNAL, "%s: mask:hash found no new value", g->table_col);
}

static int apply_redact(const dp_gen *g, const dp_value *in, dp_batch *b, dp_value *out,
			dp_errbuf *eb)
{
	dp_buf v = DP_BUF_INIT;
	int rc = DP_OK;

	if (in->kind == DP_V_INT) {
		dp_value_set_int(out, 0);
		return DP_OK;
	}
	if (in->kind == DP_V_REAL) {
		dp_value_set_real(out, 0.0);
		return DP_OK;
	}
	/* keep the shape: letters x/X, digits 9, everything else as is */
	for (size_t i = 0; i < in->len && !rc; ) {
		unsigned char c = (unsigned char)in->u.s[i];
		char o;
		size_t w = 1;
		if (c >= 0x80) {
			w = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
			o = 'x';
		} else if (c >= 'a' && c <= 'z') {
			o = 'x';
		} else if (c >= 'A' && c <= 'Z') {
			o = 'X';
		} else if (c >= '0' && c <= '9') {
			o = '9';
		} else {
			o = (char)c;
		}
		rc = dp_buf_append(&v, &o, 1);
		i += w;
	}
	if (!rc)
		rc = emit_text(g, v.data ? v.data : "", v.len, b, out, eb);
	else
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	dp_buf_free(&v);
	return rc;
}

int dp_gen_apply(const dp_gen *g, const dp_value *in, uint64_t row, dp_batch *b, dp_value *out,
		 dp_errbuf *eb)
{
	if (g->k == G_CONSTANT) {
		*out = g->cval;    /* points at g's text, which outlives the batch */
		return DP_OK;
	}
	if (in->kind == DP_V_NULL || g->k == G_NULL) {
		dp_value_set_null(out);
		return DP_OK;
	}
	switch (g->k) {
	case G_DUPLICATE:
		*out = *in;
		return DP_OK;
	case G_MOCK:
		return apply_mock(g, in, row, b, out, eb);
	case G_HASH:
		return apply_hash(g, in, row, b, out, eb);
	case G_REDACT:
		return apply_redact(g, in, b, out, eb);
	case G_FPE:
		return apply_fpe(g, in, b, out, eb);
	case G_SCRAMBLE:
	case G_NOISE:
	case G_DATESHIFT:
	case G_TRUNCDATE:
		return apply_typed_mask(g, in, row, b, out, eb);
	case G_TEXTPII: {
		dp_buf o = DP_BUF_INIT;
		size_t found = 0;
		int rc;
		if (in->kind != DP_V_TEXT) {
			*out = *in;
			return DP_OK;
		}
		/* mock values go to a scratch batch: `b` is the caller's rows */
		dp_batch *sc = dp_batch_new(1, 64);
		if (!sc)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		rc = dp_textpii_apply(g->tp, in->u.s, in->len, sc, &o, &found, eb);
		if (!rc && dp_batch_set_text(b, out, o.data ? o.data : "", o.len))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		dp_buf_free(&o);
		dp_batch_free(sc);
		return rc;
	}
	default:
		break;
	}
	return dp_fail(eb, DP_ERR_INTERNAL, "%s: generator %s cannot be applied", g->table_col, g->spec);
}
