/* base/dp_rng.c - xoshiro256** and SHA-256/HMAC through OpenSSL. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
/* SHA256_Init & co. are deprecated in OpenSSL 3 but are the allocation-
 * and lock-free way to reuse a keyed HMAC state (EVP fetches take a lock). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include "dp_rng.h"

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t dp_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t dp_splitmix64(uint64_t x)
{
	return dp_mix64(x + 0x9e3779b97f4a7c15ULL);
}

/* the stateful form: advances *x (seed expansion) */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = dp_splitmix64(*x);
	*x += 0x9e3779b97f4a7c15ULL;
	return z;
}

double dp_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void dp_rng_seed_u64(dp_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

void dp_rng_seed_bytes(dp_rng *r, const void *p, size_t n)
{
	unsigned char h[32];

	dp_sha256(p, n, h);
	for (int i = 0; i < 4; i++) {
		uint64_t v = 0;
		for (int b = 0; b < 8; b++)
			v = (v << 8) | h[i * 8 + b];
		r->s[i] = v;
	}
	/* the all-zero state is the one state xoshiro cannot leave */
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1;
}

uint64_t dp_rng_next(dp_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t dp_rng_below(dp_rng *r, uint64_t n)
{
	/* Lemire's rejection: unbiased, one multiply in the common case */
	uint64_t x = dp_rng_next(r);
	__uint128_t m = (__uint128_t)x * n;
	uint64_t l = (uint64_t)m;

	if (n == 0)
		return 0;
	if (l < n) {
		uint64_t t = -n % n;
		while (l < t) {
			x = dp_rng_next(r);
			m = (__uint128_t)x * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double dp_rng_unit(dp_rng *r)
{
	return (double)(dp_rng_next(r) >> 11) * 0x1.0p-53;
}

double dp_rng_normal(dp_rng *r)
{
	double u1, u2;

	do
		u1 = dp_rng_unit(r);
	while (u1 <= 0.0);
	u2 = dp_rng_unit(r);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void dp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
		    unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &len);
}

_Static_assert(sizeof(SHA256_CTX) <= 128, "dp_hmac state too small");

void dp_hmac_init(dp_hmac *h, const void *key, size_t keylen)
{
	unsigned char k[64], pad[64];
	SHA256_CTX c;

	memset(k, 0, sizeof(k));
	if (keylen > 64)
		dp_sha256(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, 64);
	memcpy(h->inner, &c, sizeof(c));
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256_Init(&c);
	SHA256_Update(&c, pad, 64);
	memcpy(h->outer, &c, sizeof(c));
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
	OPENSSL_cleanse(&c, sizeof(c));
}

void dp_hmac_compute(const dp_hmac *h, const void *msg, size_t msglen, unsigned char out[32])
{
	SHA256_CTX c;
	unsigned char ih[32];

	memcpy(&c, h->inner, sizeof(c));
	SHA256_Update(&c, msg, msglen);
	SHA256_Final(ih, &c);
	memcpy(&c, h->outer, sizeof(c));
	SHA256_Update(&c, ih, 32);
	SHA256_Final(out, &c);
}

void dp_sha256(const void *msg, size_t len, unsigned char out[32])
{
	/* not SHA256(): in OpenSSL 3 the one-shot call fetches the digest by
	 * name under a global lock on every call - a quarter of a DE_IDENTIFY
	 * run's CPU, since every mock value seeds its RNG through here */
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, msg, len);
	SHA256_Final(out, &c);
}

uint64_t dp_random_seed(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
		v = splitmix64(&v);
	}
	return v;
}

uint32_t dp_fnv1a32(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

void dp_job_key_from_seed(int64_t seed, dp_job_key *out)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "doppel/v1/seed:%" PRId64, seed);
	dp_sha256(msg, (size_t)n, out->k);
}

uint64_t dp_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return dp_mix64(h ^ n);
}
