/* base/dp_keymap.c - int64 -> int64 open-addressing map (see dp_keymap.h). */
#include <stdlib.h>
#include <string.h>
#include "dp_keymap.h"
#include "dp_rng.h"

struct dp_keymap {
	size_t cap, count;      /* cap is a power of two */
	int64_t *keys, *vals;
	unsigned char *used;
};

/* Upper bound on slots: 2^31 entries (32 GiB) is beyond any box we run on;
 * a larger table must use "hash", which keeps no map. */
#define KEYMAP_MAX_CAP ((size_t)1 << 31)

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
		j = dp_mix64((uint64_t)m->keys[i]) & (ncap - 1);
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
	j = dp_mix64((uint64_t)old) & (m->cap - 1);
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
	size_t j = dp_mix64((uint64_t)old) & (m->cap - 1);

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
