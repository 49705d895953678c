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
