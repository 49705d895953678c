/* engine/gen/keys.c - key maps and the keyed integer permutation. */
#include <stdlib.h>
#include <string.h>
#include "keys.h"
#include "../../base/dp_rng.h"


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
	p->rk[4] = dp_mix64(p->rk[0] ^ p->rk[3]);
	p->rk[5] = dp_mix64(p->rk[1] ^ p->rk[2]);
}

static uint64_t feistel(const dp_perm *p, uint64_t x)
{
	uint64_t mask = p->half_bits >= 64 ? ~0ULL : (((uint64_t)1 << p->half_bits) - 1);
	uint64_t l = (x >> p->half_bits) & mask, r = x & mask;

	for (int i = 0; i < 6; i++) {
		uint64_t f = dp_mix64(r ^ p->rk[i]) & mask;
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
