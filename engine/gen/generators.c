/* engine/gen/generators.c - compile generator specs and apply them to values.
 * The contract (determinism, consistency, types) is in generators.h. */
#include <ctype.h>
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
	unsigned mf;               /* MF_* of the kind, decided once (the hot path
	                              compares no names) */
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
	char table[200];           /* the row digest's table part (no column) */
	char **choices;            /* mock:one_of */
	size_t nchoices;
	char *ctext;
};

static const char *const mock_kinds[] = {
	"first_name", "last_name", "full_name", "email", "username", "phone", "street_address",
	"city", "postcode", "region", "country", "full_address", "company", "job_title", "iban",
	"credit_card", "national_id", "ssn", "ipv4", "ipv6", "mac_address", "url", "domain", "uuid",
	"date_of_birth", "date", "text", "license_plate", "password", "gender", "number", "boolean",
	"one_of", "birth_year", "birth_month", "birth_day", "latitude", "longitude", "account_number",
	NULL
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
	/* parts of a birth date, coordinates, account numbers and gender codes
	 * map the source value (same shape, same row) */
	{G_MOCK, "birth_year", C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_NUMERIC), "produces years", "use mask:hash"},
	{G_MOCK, "birth_month", C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_NUMERIC), "produces months", "use mask:hash"},
	{G_MOCK, "birth_day", C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_NUMERIC), "produces days", "use mask:hash"},
	{G_MOCK, "latitude", C_TEXTISH | C(DP_T_REAL) | C(DP_T_NUMERIC), "produces coordinates", "use mask:noise"},
	{G_MOCK, "longitude", C_TEXTISH | C(DP_T_REAL) | C(DP_T_NUMERIC), "produces coordinates", "use mask:noise"},
	{G_MOCK, "account_number", C_TEXTISH | C(DP_T_INTEGER) | C(DP_T_NUMERIC), "keeps digits and letters",
	 "use mask:hash"},
	{G_MOCK, "gender", C_TEXTISH | C(DP_T_INTEGER), "produces gender codes", "use mask:hash"},
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

/* Mock kinds that map a text or integer source value by FF1 (a bijection:
 * a unique column stays unique), keeping its format valid. */
/* What a mock kind is, for the per-value dispatch. */
enum {
	MF_TYPED = 1u << 0,        /* number, boolean, one_of */
	MF_BIRTHPART = 1u << 1,    /* birth_year / birth_month / birth_day */
	MF_GENDER = 1u << 2,
	MF_GEO = 1u << 3,          /* latitude / longitude */
	MF_BIJECTIVE = 1u << 4,    /* account_number, national_id, ssn, credit_card, iban */
	MF_ACCOUNT = 1u << 5,      /* account_number */
	MF_DATE = 1u << 6,         /* date_of_birth, date */
	MF_ROWKEY = 1u << 7        /* drawn from the row (dp_gen_wants_row_key) */
};

static int bijective_mock(const char *mock);

static unsigned mock_flags(const char *m)
{
	unsigned f = 0;
	if (!m)
		return 0;
	if (!strcmp(m, "number") || !strcmp(m, "boolean") || !strcmp(m, "one_of"))
		f |= MF_TYPED;
	if (!strcmp(m, "birth_year") || !strcmp(m, "birth_month") || !strcmp(m, "birth_day"))
		f |= MF_BIRTHPART | MF_ROWKEY;
	if (!strcmp(m, "gender"))
		f |= MF_GENDER | MF_ROWKEY;
	if (!strcmp(m, "latitude") || !strcmp(m, "longitude"))
		f |= MF_GEO | MF_ROWKEY;
	if (bijective_mock(m))
		f |= MF_BIJECTIVE;
	if (!strcmp(m, "account_number"))
		f |= MF_ACCOUNT;
	if (!strcmp(m, "national_id") || !strcmp(m, "ssn"))
		f |= MF_ROWKEY;
	if (!strcmp(m, "date_of_birth") || !strcmp(m, "date"))
		f |= MF_DATE | MF_ROWKEY;
	return f;
}

static int bijective_mock(const char *mock)
{
	return !strcmp(mock, "account_number") || !strcmp(mock, "national_id") || !strcmp(mock, "ssn") ||
	       !strcmp(mock, "credit_card") || !strcmp(mock, "iban");
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
	g->mf = mock_flags(mock);
	snprintf(g->locale, sizeof(g->locale), "%s", o->locale ? o->locale : "en");
	g->consistent = o->consistent < 0 ? 1 : o->consistent;
	g->tclass = o->col ? o->col->tclass : DP_T_TEXT;
	g->length = o->col ? o->col->length : 0;
	g->unique = o->col ? o->col->is_unique || (o->col->pk_pos && o->col->tclass != DP_T_INTEGER) : 0;
	snprintf(g->table_col, sizeof(g->table_col), "%s.%s", o->table ? o->table : "?",
		 o->col ? o->col->name : "?");
	snprintf(g->table, sizeof(g->table), "%s", o->table ? o->table : "?");
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
	if (g->unique && k == G_MOCK && strcmp(mock, "uuid") != 0 && !bijective_mock(mock)) {
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
	if (k == G_FPE || (k == G_HASH && g->unique) || k == G_MOCK) {
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

/* ---- the row: what the generators of one row agree on ----
 *
 * Generators that must agree across the columns of a row (every date of the
 * row shifted by one offset, the parts of a split birth date, a gender code,
 * a point's latitude and longitude) draw from a digest of the row's
 * identity, never of the column: with a row key (dp_gen_apply_row) that is
 * the key's bytes, so the same entity gets the same offset in every table
 * that passes its key; without one it is the table and the row ordinal. */
typedef struct row_id {
	const void *key;       /* entity key bytes; NULL = table + ordinal */
	size_t keylen;
	uint64_t row;
} row_id;

static void row_digest(const dp_gen *g, const row_id *ri, unsigned char out[32])
{
	char small[320];
	size_t tl = strlen(g->table), w = 0;
	size_t need = 32 + (ri->key ? ri->keylen : tl + 24);
	char *m = need <= sizeof(small) ? small : malloc(need);

	if (!m) {
		dp_hmac_compute(&g->hk, "doppel/v1/row", 13, out);
		return;
	}
	memcpy(m, "doppel/v1/row|", 14);
	w = 14;
	if (ri->key) {
		m[w++] = 'k';
		m[w++] = '|';
		memcpy(m + w, ri->key, ri->keylen);
		w += ri->keylen;
	} else {
		m[w++] = 'o';
		m[w++] = '|';
		memcpy(m + w, g->table, tl);
		w += tl;
		m[w++] = '|';
		w += put_dec(m + w, ri->row);
	}
	dp_hmac_compute(&g->hk, m, w, out);
	if (m != small)
		free(m);
}

/* The row's date offset, -1..-365 days. Backwards only: a shifted birth
 * date stays before every date of the row left as it is (hired after born,
 * a licence after 18), and the dates shifted together keep their order and
 * distances (valid_from <= valid_to). */
static int row_shift_days(const dp_gen *g, const row_id *ri)
{
	unsigned char d[32];
	row_digest(g, ri, d);
	return -(1 + (int)(((unsigned)d[0] << 8 | d[1]) % 365));
}

/* "no date" written as a date: left as it is (it says nothing of anyone,
 * and the application tests for it) */
static int sentinel_date(const char *s, size_t n)
{
	if (n < 10 || s[4] != '-')
		return 0;
	return (s[0] == '9' && s[1] == '9') || !strncmp(s, "0001-01-01", 10) ||
	       !strncmp(s, "1900-01-01", 10);
}

/* A date (text of a date, timestamp or text column) shifted by the row's
 * offset. 0 done, 1 not a date (nothing written), <0 error. */
static int apply_date_row(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
			  dp_value *out, dp_errbuf *eb)
{
	dp_buf v = DP_BUF_INIT;
	int rc;

	if (in->kind != DP_V_TEXT)
		return 1;
	if (sentinel_date(in->u.s, in->len))
		return emit_text(g, in->u.s, in->len, b, out, eb);
	if (dp_mask_date_shift_any(in->u.s, in->len, row_shift_days(g, ri), &v)) {
		dp_buf_free(&v);
		return 1;
	}
	rc = emit_text(g, v.data, v.len, b, out, eb);
	dp_buf_free(&v);
	return rc;
}

static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* birth_year / birth_month / birth_day: one new birth date for the row,
 * drawn from the row digest (so the three columns agree and make a valid
 * date): the year before the source year (never younger), a month and a day
 * of that month (February 28 days at most). Text keeps its width. */
static int apply_birth_part(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
			    dp_value *out, dp_errbuf *eb)
{
	unsigned char d[32];
	long v;
	int month, width = 0;
	char txt[32];

	row_digest(g, ri, d);
	month = 1 + d[2] % 12;
	if (in->kind == DP_V_INT) {
		v = (long)in->u.i;
	} else if (in->kind == DP_V_TEXT && in->len > 0 && in->len < sizeof(txt)) {
		char *end;
		memcpy(txt, in->u.s, in->len);
		txt[in->len] = '\0';
		v = strtol(txt, &end, 10);
		if (*end || end == txt)
			return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a number, got '%s'", g->table_col,
				       g->spec, txt);
		width = (int)in->len;
	} else {
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a number", g->table_col, g->spec);
	}
	if (!strcmp(g->mock, "birth_year"))
		v = v >= 100 ? v - 1 : (v + 99) % 100;    /* two-digit years wrap */
	else if (!strcmp(g->mock, "birth_month"))
		v = month;
	else
		v = 1 + d[3] % month_days[month - 1];
	if (in->kind == DP_V_INT) {
		dp_value_set_int(out, v);
		return DP_OK;
	}
	snprintf(txt, sizeof(txt), "%0*ld", width, v);
	return emit_text(g, txt, strlen(txt), b, out, eb);
}

/* gender codes: the row draws one of the two codes of the column's own
 * vocabulary (M/F stays M/F, man/vrouw stays man/vrouw, the case kept), so
 * a CHECK (gender IN ('M','F')) still holds; an unknown code stays as it is
 * (it is a category, not a person). */
static int apply_gender(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
			dp_value *out, dp_errbuf *eb)
{
	static const char *const pairs[][2] = {
		{"m", "f"}, {"male", "female"}, {"man", "woman"}, {"man", "vrouw"}, {"m", "v"},
		{"mann", "frau"}, {"m", "w"}, {"maennlich", "weiblich"}, {"homme", "femme"}, {"h", "f"},
		{"masculin", "feminin"}, {"masculino", "femenino"}, {"hombre", "mujer"}, {"boy", "girl"},
		{"men", "women"}, {"1", "2"},
	};
	unsigned char d[32];
	char lc[16], o[16];
	int best = -1;

	if (in->kind != DP_V_TEXT || in->len == 0 || in->len >= sizeof(lc))
		return emit_text(g, in->kind == DP_V_TEXT ? in->u.s : "", in->kind == DP_V_TEXT ? in->len : 0,
				 b, out, eb);
	for (size_t i = 0; i < in->len; i++)
		lc[i] = (char)tolower((unsigned char)in->u.s[i]);
	lc[in->len] = '\0';
	for (int i = 0; i < (int)(sizeof(pairs) / sizeof(pairs[0])); i++) {
		if (strcmp(pairs[i][0], lc) && strcmp(pairs[i][1], lc))
			continue;
		/* one-letter codes: the locale says which pair ("m" is m/w in German) */
		if (best < 0 || (!strcmp(lc, "m") && ((!strcmp(g->locale, "de") && !strcmp(pairs[i][1], "w")) ||
						    (!strcmp(g->locale, "nl") && !strcmp(pairs[i][1], "v")))) ||
		    (!strcmp(lc, "f") && !strcmp(g->locale, "fr") && !strcmp(pairs[i][0], "h")))
			best = i;
	}
	if (best < 0)
		return emit_text(g, in->u.s, in->len, b, out, eb);
	row_digest(g, ri, d);
	snprintf(o, sizeof(o), "%s", pairs[best][d[4] & 1]);
	/* the case of the input: UPPER, Capitalised or lower */
	if (isupper((unsigned char)in->u.s[0])) {
		int all = 1;
		for (size_t i = 0; i < in->len; i++)
			all &= !islower((unsigned char)in->u.s[i]);
		for (size_t i = 0; o[i]; i++)
			if (i == 0 || all)
				o[i] = (char)toupper((unsigned char)o[i]);
	}
	return emit_text(g, o, strlen(o), b, out, eb);
}

/* latitude / longitude: the point moved by up to 0.03 degrees (about 3 km)
 * in a direction the row draws, so the two columns of one point move
 * together; the range of the axis kept, text keeps its decimals. */
static int apply_geo(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
		     dp_value *out, dp_errbuf *eb)
{
	unsigned char d[32];
	int lat = !strcmp(g->mock, "latitude"), dec = 6;
	double x, lim = lat ? 90.0 : 180.0, j;
	char txt[64];

	if (in->kind == DP_V_REAL) {
		x = in->u.d;
	} else if (in->kind == DP_V_INT) {
		x = (double)in->u.i;
	} else if (in->kind == DP_V_TEXT && in->len < sizeof(txt)) {
		char *end;
		const char *dot;
		memcpy(txt, in->u.s, in->len);
		txt[in->len] = '\0';
		x = strtod(txt, &end);
		if (*end || end == txt)
			return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a coordinate, got '%s'", g->table_col,
				       g->spec, txt);
		dot = strchr(txt, '.');
		dec = dot ? (int)strlen(dot + 1) : 0;
	} else {
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a coordinate", g->table_col, g->spec);
	}
	row_digest(g, ri, d);
	j = 0.005 + 0.025 * (double)(lat ? d[5] : d[7]) / 255.0;
	x += ((lat ? d[6] : d[8]) & 1) ? j : -j;
	if (x > lim)
		x = lat ? 2 * lim - x : x - 2 * lim;
	if (x < -lim)
		x = lat ? -2 * lim - x : x + 2 * lim;
	if (in->kind == DP_V_REAL || in->kind == DP_V_INT) {
		if (g->tclass == DP_T_INTEGER)
			dp_value_set_int(out, (int64_t)llround(x));
		else
			dp_value_set_real(out, round(x * 1e6) / 1e6);
		return DP_OK;
	}
	snprintf(txt, sizeof(txt), "%.*f", dec < 3 ? 3 : dec, x);
	return emit_text(g, txt, strlen(txt), b, out, eb);
}

/* ---- codes: format-preserving and still valid ---- */

static int iso7064_check(const char *s, int n)
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

/* Which check the digits of a code pass, so that the mask keeps passing it */
enum { CK_NONE, CK_LUHN, CK_BSN, CK_STEUER, CK_NIR, CK_SSN };

static int check_of(const char *in, size_t n, const char *digits, size_t nd)
{
	if (nd == 11 && n == 11 && in[3] == '-' && in[6] == '-')
		return CK_SSN;
	if (nd == 9 && dp_bsn_valid(digits))
		return CK_BSN;
	if (nd == 11 && dp_steuerid_valid(digits))
		return CK_STEUER;
	if (nd == 15 && dp_nir_valid(digits))
		return CK_NIR;
	if (nd >= 12 && nd <= 19 && dp_luhn_valid(digits))
		return CK_LUHN;
	return CK_NONE;
}

static int check_ok(int ck, const char *digits, size_t nd)
{
	switch (ck) {
	case CK_LUHN: return dp_luhn_valid(digits);
	case CK_BSN: return dp_bsn_valid(digits);
	case CK_STEUER: return digits[0] != '0' && iso7064_check(digits, 10) == digits[10] - '0';
	case CK_NIR: return dp_nir_valid(digits);
	case CK_SSN:
		return strncmp(digits, "000", 3) && strncmp(digits, "666", 3) && digits[0] != '9' &&
		       strncmp(digits + 3, "00", 2) && strncmp(digits + 5, "0000", 4);
	default: return 1;
	}
}

static size_t digits_only(const char *s, size_t n, char *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < max; i++)
		if (s[i] >= '0' && s[i] <= '9')
			out[k++] = s[i];
	out[k] = '\0';
	return k;
}

/* Cycle walks bounded: the valid codes are a tenth or an eleventh of all
 * codes of a shape, so a valid one comes within a few dozen steps. */
#define CODE_WALKS 400

/* national_id / ssn / credit_card / iban / account_number on text: FF1 over
 * the digits and letters (shape kept, a bijection), then walked until the
 * check the source value passed (Luhn, BSN 11-test, Steuer-ID, NIR key, SSN
 * ranges) passes again; an IBAN keeps its country and gets new check
 * digits; a number that starts with a birth date (YYMMDD, month + 50 for
 * women) keeps a valid date, shifted by the row's offset. */
static int apply_code(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
		      dp_value *out, dp_errbuf *eb)
{
	char small[128], *o, dg[64];
	size_t n = in->len, nd;
	int rc = DP_OK, ck;

	if (in->kind == DP_V_INT) {
		int64_t v;
		rc = dp_fpe_int(g->ff1, in->u.i, &v);
		if (rc)
			return dp_fail(eb, rc, "%s: format-preserving encryption failed", g->table_col);
		dp_value_set_int(out, v);
		return DP_OK;
	}
	if (in->kind != DP_V_TEXT)
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s applies to text and integers", g->table_col, g->spec);
	o = n < sizeof(small) ? small : malloc(n + 1);
	if (!o)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	nd = digits_only(in->u.s, n, dg, sizeof(dg));
	if ((!strcmp(g->mock, "national_id") || !strcmp(g->mock, "ssn")) && (nd == 6 || nd == 10) &&
	    nd + 2 >= n) {
		char nd6[64];
		if (!dp_mask_birth_code(dg, nd, row_shift_days(g, ri), nd6)) {
			/* the digits after the date: FF1, so the code stays distinct */
			if (nd > 6 && dp_fpe_text(g->ff1, nd6 + 6, nd - 6, nd6 + 6))
				rc = DP_ERR_INTERNAL;
			for (size_t i = 0, k = 0; !rc && i < n; i++)
				o[i] = in->u.s[i] >= '0' && in->u.s[i] <= '9' ? nd6[k++] : in->u.s[i];
			goto done;
		}
	}
	ck = check_of(in->u.s, n, dg, nd);
	if (!strcmp(g->mock, "iban") && n >= 15 && n < 64 && isalpha((unsigned char)in->u.s[0]) &&
	    isalpha((unsigned char)in->u.s[1]) && isdigit((unsigned char)in->u.s[2]) &&
	    isdigit((unsigned char)in->u.s[3])) {
		/* country kept, BBAN encrypted, check digits recomputed */
		char iban[72];
		size_t w = 0;
		int rem = 0;
		memcpy(o, in->u.s, n);
		if (dp_fpe_text(g->ff1, in->u.s + 4, n - 4, o + 4))
			rc = DP_ERR_INTERNAL;
		for (size_t i = 4; i < n; i++)
			if (o[i] != ' ')
				iban[w++] = (char)toupper((unsigned char)o[i]);
		iban[w++] = (char)toupper((unsigned char)o[0]);
		iban[w++] = (char)toupper((unsigned char)o[1]);
		iban[w++] = '0';
		iban[w++] = '0';
		for (size_t i = 0; i < w; i++)
			rem = isdigit((unsigned char)iban[i]) ? (rem * 10 + (iban[i] - '0')) % 97
							      : (rem * 100 + (iban[i] - 'A' + 10)) % 97;
		o[2] = (char)('0' + (98 - rem) / 10);
		o[3] = (char)('0' + (98 - rem) % 10);
		goto done;
	}
	if (dp_fpe_text(g->ff1, in->u.s, n, o)) {
		rc = DP_ERR_INTERNAL;
		goto done;
	}
	for (int walk = 0; ck != CK_NONE && walk < CODE_WALKS; walk++) {
		char d2[64];
		size_t n2 = digits_only(o, n, d2, sizeof(d2));
		if (n2 == nd && check_ok(ck, d2, n2))
			break;
		if (dp_fpe_text(g->ff1, o, n, o)) {
			rc = DP_ERR_INTERNAL;
			break;
		}
	}
done:
	if (!rc && dp_batch_set_text(b, out, o, n))
		rc = DP_ERR_NOMEM;
	if (o != small)
		free(o);
	return rc ? dp_fail(eb, rc, "%s: %s could not mask the value", g->table_col, g->spec) : DP_OK;
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

static int apply_fpe(const dp_gen *g, const dp_value *in, dp_batch *b, dp_value *out, dp_errbuf *eb);

/* No mock of the kind fits the column (a fixed-format code longer than the
 * column): the source value masked in its own shape (FF1: digits stay
 * digits, letters letters, the length kept), which fits by definition. */
static int apply_fit_fallback(const dp_gen *g, const dp_value *in, dp_batch *b, dp_value *out,
			      dp_errbuf *eb)
{
	if (in->kind == DP_V_TEXT || in->kind == DP_V_INT)
		return apply_fpe(g, in, b, out, eb);
	return dp_fail(eb, DP_ERR_TYPE, "%s: no %s value fits the column (%d characters)", g->table_col,
		       g->spec, g->length);
}


static int apply_mock(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
		      dp_value *out, dp_errbuf *eb)
{
	dp_buf v = DP_BUF_INIT;
	int rc = DP_OK;
	memo_ent *me = NULL;
	char num[64];
	const char *p = NULL;
	size_t n = 0;
	uint64_t row = ri->row;

	if (g->mf & MF_TYPED)
		return apply_typed_mock(g, in, row, b, out, eb);
	if (g->mf & MF_BIRTHPART)
		return apply_birth_part(g, in, ri, b, out, eb);
	if (g->mf & MF_GENDER)
		return apply_gender(g, in, ri, b, out, eb);
	if (g->mf & MF_GEO)
		return apply_geo(g, in, ri, b, out, eb);
	if ((g->mf & MF_BIJECTIVE) && (in->kind == DP_V_TEXT || in->kind == DP_V_INT) &&
	    ((g->mf & MF_ACCOUNT) || in->kind == DP_V_TEXT))
		return apply_code(g, in, ri, b, out, eb);
	if (g->mf & MF_DATE) {
		/* a source date keeps its place among the row's dates: shifted
		 * by the row's offset, its shape kept */
		rc = apply_date_row(g, in, ri, b, out, eb);
		if (rc <= 0)
			return rc;
		rc = DP_OK;
		/* a text that is no date gets no date: masked in its shape */
		if (g->tclass != DP_T_DATE && g->tclass != DP_T_TIMESTAMP)
			return apply_fit_fallback(g, in, b, out, eb);
	}
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
		rc = dp_mock_generate_fit(g->mock, g->locale, &r, g->length > 0 ? (size_t)g->length : 0, &v);
		if (!rc && (g->mf & MF_DATE) && g->tclass == DP_T_TIMESTAMP)
			rc = dp_buf_puts(&v, " 00:00:00");
		if (rc == DP_ERR_TYPE) {
			/* nothing of the kind fits the column: never cut a value */
			dp_buf_free(&v);
			return apply_fit_fallback(g, in, b, out, eb);
		}
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
static int apply_typed_mask(const dp_gen *g, const dp_value *in, const row_id *ri, dp_batch *b,
			    dp_value *out, dp_errbuf *eb)
{
	uint64_t row = ri->row;
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
	if (g->k == G_DATESHIFT) {
		/* one offset per row (or entity), the same for every date of it */
		rc = apply_date_row(g, in, ri, b, out, eb);
		if (rc <= 0)
			return rc;
		return dp_fail(eb, DP_ERR_TYPE, "%s: %s needs a date or timestamp, got '%.*s'",
			       g->table_col, g->spec, (int)(in->len < 40 ? in->len : 40), in->u.s);
	}
	rc = dp_mask_date_truncate(in->u.s, in->len, &v);
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
	return dp_gen_apply_row(g, in, row, NULL, 0, b, out, eb);
}

int dp_gen_wants_row_key(const dp_gen *g)
{
	if (g->k == G_DATESHIFT)
		return 1;
	return g->k == G_MOCK && (g->mf & MF_ROWKEY);
}

int dp_gen_apply_row(const dp_gen *g, const dp_value *in, uint64_t row, const void *rowkey,
		     size_t rowkeylen, dp_batch *b, dp_value *out, dp_errbuf *eb)
{
	row_id ri = { rowkey, rowkeylen, row };

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
		return apply_mock(g, in, &ri, b, out, eb);
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
		return apply_typed_mask(g, in, &ri, b, out, eb);
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
