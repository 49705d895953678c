/* engine/models/encode.c - column kinds, dictionaries, datetimes, bins and
 * the privacy transforms of the training sample (see model.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_int.h"

const char *dp_ckind_name(dp_ckind k)
{
	switch (k) {
	case DP_CK_AUTO: return "auto";
	case DP_CK_CATEGORICAL: return "categorical";
	case DP_CK_NUMERIC: return "numeric";
	case DP_CK_DATETIME: return "datetime";
	case DP_CK_TEXT: return "text";
	case DP_CK_EXTERNAL: return "generated";
	case DP_CK_REF: return "reference";
	}
	return "?";
}

dp_ckind dp_ckind_parse(const char *s)
{
	if (!strcmp(s, "categorical")) return DP_CK_CATEGORICAL;
	if (!strcmp(s, "numeric")) return DP_CK_NUMERIC;
	if (!strcmp(s, "datetime")) return DP_CK_DATETIME;
	if (!strcmp(s, "text")) return DP_CK_TEXT;
	return DP_CK_AUTO;
}

/* ---- dates: proleptic Gregorian days since 1970-01-01 (Hinnant) ---- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int dp_dt_parse(const char *s, size_t n, dp_dtfmt *f, double *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	double frac = 0;
	size_t i = 10;

	memset(f, 0, sizeof(*f));
	if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	if (n >= 19 && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':') {
		if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
		    h > 23 || mi > 59 || se > 60)
			return 0;
		f->time = 1;
		f->sep = s[10];
		i = 19;
		if (i < n && s[i] == '.') {
			double scale = 0.1;
			i++;
			while (i < n && isdigit((unsigned char)s[i]) && f->frac < 9) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
				f->frac++;
				i++;
			}
		}
	}
	if (n - i >= sizeof(f->suffix))
		return 0;
	memcpy(f->suffix, s + i, n - i);
	f->suffix[n - i] = 0;
	*out = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600 + mi * 60 +
	       se + frac;
	return 1;
}

size_t dp_dt_format(double v, const dp_dtfmt *f, char *out, size_t outsz)
{
	double fl = floor(v);
	int64_t secs = (int64_t)fl, days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400, y;
	unsigned m, d;
	int n;

	civil_from_days(days, &y, &m, &d);
	if (!f->time)
		n = snprintf(out, outsz, "%04lld-%02u-%02u%s", (long long)y, m, d, f->suffix);
	else if (f->frac) {
		long long fr = llround((v - fl) * pow(10, f->frac));
		if (fr >= (long long)pow(10, f->frac))
			fr = (long long)pow(10, f->frac) - 1;
		n = snprintf(out, outsz, "%04lld-%02u-%02u%c%02d:%02d:%02d.%0*lld%s", (long long)y, m,
			     d, f->sep, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
			     f->frac, fr, f->suffix);
	} else
		n = snprintf(out, outsz, "%04lld-%02u-%02u%c%02d:%02d:%02d%s", (long long)y, m, d,
			     f->sep, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
			     f->suffix);
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

/* ---- value dictionary ---- */

uint64_t dp_vhash(const dp_value *v)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)v->kind;
	const unsigned char *p = NULL;
	size_t n = 0;

	switch (v->kind) {
	case DP_V_NULL: break;
	case DP_V_INT: p = (const unsigned char *)&v->u.i; n = sizeof(v->u.i); break;
	case DP_V_REAL: p = (const unsigned char *)&v->u.d; n = sizeof(v->u.d); break;
	default: p = (const unsigned char *)v->u.s; n = v->len; break;
	}
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

int dp_dict_init(dp_dict *d, size_t hint)
{
	size_t ns = 64;
	while (ns < hint * 2)
		ns *= 2;
	d->slots = malloc(ns * sizeof(*d->slots));
	if (!d->slots)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < ns; i++)
		d->slots[i] = -1;
	d->nslots = ns;
	d->n = 0;
	d->cap = 0;
	d->vals = NULL;
	d->hash = NULL;
	return DP_OK;
}

void dp_dict_free(dp_dict *d, int free_bytes)
{
	if (free_bytes)
		for (size_t i = 0; i < d->n; i++)
			if (d->vals[i].kind == DP_V_TEXT || d->vals[i].kind == DP_V_BLOB)
				free((void *)d->vals[i].u.s);
	free(d->vals);
	free(d->hash);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

static int dict_grow(dp_dict *d)
{
	size_t ns = d->nslots * 2;
	int32_t *sl = malloc(ns * sizeof(*sl));
	if (!sl)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < ns; i++)
		sl[i] = -1;
	for (size_t k = 0; k < d->n; k++) {
		size_t i = d->hash[k] & (ns - 1);
		while (sl[i] >= 0)
			i = (i + 1) & (ns - 1);
		sl[i] = (int32_t)k;
	}
	free(d->slots);
	d->slots = sl;
	d->nslots = ns;
	return DP_OK;
}

int32_t dp_dict_find(const dp_dict *d, const dp_value *v)
{
	uint64_t h = dp_vhash(v);
	for (size_t i = h & (d->nslots - 1); d->slots[i] >= 0; i = (i + 1) & (d->nslots - 1))
		if (d->hash[d->slots[i]] == h && dp_value_equal(&d->vals[d->slots[i]], v))
			return d->slots[i];
	return -1;
}

int32_t dp_dict_add(dp_dict *d, const dp_value *v)
{
	uint64_t h = dp_vhash(v);
	size_t i;

	if ((d->n + 1) * 2 > d->nslots && dict_grow(d))
		return -1;
	for (i = h & (d->nslots - 1); d->slots[i] >= 0; i = (i + 1) & (d->nslots - 1))
		if (d->hash[d->slots[i]] == h && dp_value_equal(&d->vals[d->slots[i]], v))
			return d->slots[i];
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 16;
		dp_value *nv = realloc(d->vals, nc * sizeof(*nv));
		uint64_t *nh;
		if (!nv)
			return -1;
		d->vals = nv;
		nh = realloc(d->hash, nc * sizeof(*nh));
		if (!nh)
			return -1;
		d->hash = nh;
		d->cap = nc;
	}
	dp_value c = *v;
	if (v->kind == DP_V_TEXT || v->kind == DP_V_BLOB) {
		char *p = malloc(v->len + 1);
		if (!p)
			return -1;
		memcpy(p, v->u.s, v->len);
		p[v->len] = 0;
		c.u.s = p;
	}
	d->vals[d->n] = c;
	d->hash[d->n] = h;
	d->slots[i] = (int32_t)d->n;
	return (int32_t)d->n++;
}

/* ---- numbers in text ---- */

int dp_text_number(const dp_value *v, double *out, int *scale)
{
	char buf[64], *end;
	const char *dot;

	if (v->kind == DP_V_INT) {
		*out = (double)v->u.i;
		*scale = 0;
		return 1;
	}
	if (v->kind == DP_V_REAL) {
		*out = v->u.d;
		*scale = -1;
		return 1;
	}
	if (v->kind != DP_V_TEXT || v->len == 0 || v->len >= sizeof(buf))
		return 0;
	memcpy(buf, v->u.s, v->len);
	buf[v->len] = 0;
	if (isspace((unsigned char)buf[0]))
		return 0;
	*out = strtod(buf, &end);
	if (*end || !isfinite(*out))
		return 0;
	for (const char *p = buf; *p; p++)
		if (*p == 'e' || *p == 'E' || *p == 'x' || *p == 'X' || isalpha((unsigned char)*p))
			return 0;
	dot = strchr(buf, '.');
	*scale = dot ? (int)strlen(dot + 1) : 0;
	return 1;
}
