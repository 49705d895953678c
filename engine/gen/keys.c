/* engine/gen/keys.c - key maps and the keyed integer permutation. */
#include <stdlib.h>
#include <string.h>
#include "keys.h"
#include "../../base/dp_rng.h"

struct dp_keymap {
	size_t cap, count;      /* cap is a power of two */
	int64_t *keys, *vals;
	unsigned char *used;
};

/* Upper bound on slots: 2^31 entries (32 GiB) is beyond any box we run on;
 * a larger table must use "hash", which keeps no map. */
#define KEYMAP_MAX_CAP ((size_t)1 << 31)

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

dp_keymap *dp_keymap_new(size_t expected)
{
	dp_keymap *m = calloc(1, sizeof(*m));
	size_t cap = 64;

	if (!m)
		return NULL;
	while (cap < expected * 2 && cap < KEYMAP_MAX_CAP)
		cap <<= 1;
	m->cap = cap;
	m->keys = malloc(cap * sizeof(int64_t));
	m->vals = malloc(cap * sizeof(int64_t));
	m->used = calloc(cap, 1);
	if (!m->keys || !m->vals || !m->used) {
		dp_keymap_free(m);
		return NULL;
	}
	return m;
}

void dp_keymap_free(dp_keymap *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m->used);
	free(m);
}

static int grow(dp_keymap *m)
{
	dp_keymap n;
	size_t ncap = m->cap * 2;

	if (ncap > KEYMAP_MAX_CAP)
		return DP_ERR_NOMEM;
	memset(&n, 0, sizeof(n));
	n.cap = ncap;
	n.keys = malloc(ncap * sizeof(int64_t));
	n.vals = malloc(ncap * sizeof(int64_t));
	n.used = calloc(ncap, 1);
	if (!n.keys || !n.vals || !n.used) {
		free(n.keys);
		free(n.vals);
		free(n.used);
		return DP_ERR_NOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;
		if (!m->used[i])
			continue;
		j = mix64((uint64_t)m->keys[i]) & (ncap - 1);
		while (n.used[j])
			j = (j + 1) & (ncap - 1);
		n.used[j] = 1;
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = n.keys;
	m->vals = n.vals;
	m->used = n.used;
	m->cap = ncap;
	return DP_OK;
}

int dp_keymap_put(dp_keymap *m, int64_t old, int64_t nw)
{
	size_t j;

	if ((m->count + 1) * 10 > m->cap * 7) {
		int rc = grow(m);
		if (rc)
			return rc;
	}
	j = mix64((uint64_t)old) & (m->cap - 1);
	while (m->used[j]) {
		if (m->keys[j] == old)
			return DP_ERR_INTEGRITY;
		j = (j + 1) & (m->cap - 1);
	}
	m->used[j] = 1;
	m->keys[j] = old;
	m->vals[j] = nw;
	m->count++;
	return DP_OK;
}

int dp_keymap_get(const dp_keymap *m, int64_t old, int64_t *nw)
{
	size_t j = mix64((uint64_t)old) & (m->cap - 1);

	while (m->used[j]) {
		if (m->keys[j] == old) {
			*nw = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

size_t dp_keymap_count(const dp_keymap *m) { return m->count; }

void dp_perm_init(dp_perm *p, const dp_job_key *key, const char *label, uint64_t domain)
{
	unsigned char d[32];
	unsigned bits = 0;

	memset(p, 0, sizeof(*p));
	p->domain = domain ? domain : 1;
	while (bits < 64 && (((uint64_t)1 << bits) < p->domain))
		bits++;
	/* two halves of at least 1 bit; an odd bit count gets the extra bit in
	 * both halves and cycle walking absorbs it */
	p->half_bits = (bits + 1) / 2;
	if (p->half_bits == 0)
		p->half_bits = 1;
	dp_hmac_sha256(key->k, sizeof(key->k), label, strlen(label), d);
	for (int i = 0; i < 4; i++)
		memcpy(&p->rk[i], d + 8 * i, 8);
	p->rk[4] = mix64(p->rk[0] ^ p->rk[3]);
	p->rk[5] = mix64(p->rk[1] ^ p->rk[2]);
}

static uint64_t feistel(const dp_perm *p, uint64_t x)
{
	uint64_t mask = p->half_bits >= 64 ? ~0ULL : (((uint64_t)1 << p->half_bits) - 1);
	uint64_t l = (x >> p->half_bits) & mask, r = x & mask;

	for (int i = 0; i < 6; i++) {
		uint64_t f = mix64(r ^ p->rk[i]) & mask;
		uint64_t nl = r;
		r = l ^ f;
		l = nl;
	}
	return (l << p->half_bits) | r;
}

uint64_t dp_perm_apply(const dp_perm *p, uint64_t x)
{
	/* cycle walking: the Feistel net permutes [0, 2^(2*half_bits)); values
	 * that land outside the domain are permuted again, which stays a
	 * bijection on the domain. Expected iterations < 4 as domain > 1/4 of
	 * the net's range. */
	do
		x = feistel(p, x);
	while (x >= p->domain);
	return x;
}

uint64_t dp_perm_decimal_domain(uint64_t max_value)
{
	uint64_t d = 10;

	while (d <= max_value && d < 1000000000000000000ULL)
		d *= 10;
	return d;
}
