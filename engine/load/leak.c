/* engine/load/leak.c - the honest leak check (see leak.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "leak.h"

typedef struct fp_out { uint64_t h; uint32_t col; } fp_out;

struct dp_leakcheck {
	pthread_mutex_t mu;
	size_t cap;
	uint64_t limit;          /* fingerprints >= limit are not kept */
	uint64_t *src;
	size_t nsrc;
	fp_out *out;
	size_t nout;
	int failed;              /* out of memory: the check is incomplete */
};

dp_leakcheck *dp_leak_new(size_t cap)
{
	dp_leakcheck *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cap = cap < 1024 ? 1024 : cap;
	l->limit = UINT64_MAX;
	l->src = malloc(l->cap * sizeof(*l->src));
	l->out = malloc(l->cap * sizeof(*l->out));
	if (!l->src || !l->out) {
		dp_leak_free(l);
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	return l;
}

void dp_leak_free(dp_leakcheck *l)
{
	if (!l)
		return;
	if (l->src && l->out)
		pthread_mutex_destroy(&l->mu);
	free(l->src);
	free(l->out);
	free(l);
}

/* Halve the kept share: drop the fingerprints above the new limit. */
static void tighten(dp_leakcheck *l)
{
	size_t n = 0;

	l->limit >>= 1;
	for (size_t i = 0; i < l->nsrc; i++)
		if (l->src[i] < l->limit)
			l->src[n++] = l->src[i];
	l->nsrc = n;
	n = 0;
	for (size_t i = 0; i < l->nout; i++)
		if (l->out[i].h < l->limit)
			l->out[n++] = l->out[i];
	l->nout = n;
}

void dp_leak_add(dp_leakcheck *l, const uint64_t *src, size_t nsrc, const uint64_t *out,
		 const uint32_t *out_col, size_t nout)
{
	if (!l || (!nsrc && !nout))
		return;
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < nsrc; i++) {
		if (src[i] >= l->limit)
			continue;
		while (l->nsrc == l->cap && l->limit)
			tighten(l);
		if (src[i] < l->limit)
			l->src[l->nsrc++] = src[i];
	}
	for (size_t i = 0; i < nout; i++) {
		if (out[i] >= l->limit)
			continue;
		while (l->nout == l->cap && l->limit)
			tighten(l);
		if (out[i] < l->limit) {
			l->out[l->nout].h = out[i];
			l->out[l->nout++].col = out_col[i];
		}
	}
	pthread_mutex_unlock(&l->mu);
}

void dp_leak_finish(dp_leakcheck *l, int64_t *hits, size_t ncols, double *share)
{
	size_t cap = 16;
	uint64_t *set;

	*share = 1.0;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	/* the sources in an open-addressing set (0 marks an empty slot, so a
	 * fingerprint 0 is stored as 1 on both sides), each output probed once:
	 * linear in the fingerprints, no sort */
	while (cap < l->nsrc * 2)
		cap <<= 1;
	set = calloc(cap, sizeof(*set));
	if (set) {
		for (size_t i = 0; i < l->nsrc; i++) {
			uint64_t h = l->src[i] ? l->src[i] : 1;
			size_t j = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
			while (set[j] && set[j] != h)
				j = (j + 1) & (cap - 1);
			set[j] = h;
		}
		for (size_t i = 0; i < l->nout; i++) {
			uint64_t h = l->out[i].h ? l->out[i].h : 1;
			size_t j = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
			while (set[j] && set[j] != h)
				j = (j + 1) & (cap - 1);
			if (set[j] == h && l->out[i].col < ncols)
				hits[l->out[i].col]++;
		}
		free(set);
		*share = l->limit == UINT64_MAX ? 1.0 : (double)l->limit / 18446744073709551616.0;
	} else {
		*share = 0;      /* no memory for the meeting: nothing could be checked */
	}
	pthread_mutex_unlock(&l->mu);
}

/* Kinds whose values single out a person (a first name or a city alone
 * does not: a mock "Mary" equal to some source "Mary" is no leak). */
int dp_leak_kind_identifying(const char *kind)
{
	static const char *const kinds[] = { "email", "phone", "full_name", "street_address",
		"full_address", "iban", "bank_account", "credit_card", "national_id", "ssn",
		"passport", "username", "ipv4", "ipv6", "url", "license_plate", "tax_id", NULL };

	if (!kind)
		return 0;
	for (const char *const *k = kinds; *k; k++)
		if (!strcmp(kind, *k))
			return 1;
	return 0;
}
