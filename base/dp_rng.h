/* base/dp_rng.h - small deterministic PRNG and keyed hashing.
 *
 * xoshiro256** seeded from bytes; HMAC-SHA256 via OpenSSL. Every random
 * choice in doppel goes through these so that a seed reproduces a target.
 */
#ifndef DP_RNG_H
#define DP_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_rng { uint64_t s[4]; } dp_rng;

/* Seed from arbitrary bytes (hashed with SHA-256 into the state). */
void dp_rng_seed_bytes(dp_rng *r, const void *p, size_t n);
/* Seed from a 64-bit value (splitmix64 expansion). */
void dp_rng_seed_u64(dp_rng *r, uint64_t seed);
uint64_t dp_rng_next(dp_rng *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t dp_rng_below(dp_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double dp_rng_unit(dp_rng *r);
/* Standard normal (Box-Muller). */
double dp_rng_normal(dp_rng *r);

/* HMAC-SHA256(key, msg) -> out[32]. */
void dp_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
		    unsigned char out[32]);
/* HMAC-SHA256 with the key schedule done once: the per-value hot path of
 * consistent generators (no allocation, no lock; thread-safe after init). */
typedef struct dp_hmac {
	unsigned char inner[128], outer[128];   /* SHA-256 states after the pads */
} dp_hmac;
void dp_hmac_init(dp_hmac *h, const void *key, size_t keylen);
void dp_hmac_compute(const dp_hmac *h, const void *msg, size_t msglen, unsigned char out[32]);

/* 32-byte job key: SHA-256("doppel/v1/seed:" || decimal seed_value); every
 * keyed transform of a job (mocks, masks, key permutations) derives from it. */
typedef struct dp_job_key { unsigned char k[32]; } dp_job_key;
void dp_job_key_from_seed(int64_t seed, dp_job_key *out);

/* SHA-256(msg) -> out[32]. */
void dp_sha256(const void *msg, size_t len, unsigned char out[32]);
/* Fresh 64-bit seed from the OS (getrandom). */
uint64_t dp_random_seed(void);
/* The splitmix64 finaliser of x (a fast, well-mixed 64-bit hash of an
 * integer; also the seed expansion of dp_rng_seed_u64). */
uint64_t dp_splitmix64(uint64_t x);
/* The bare 64-bit finaliser (no golden-ratio step): dp_splitmix64(x) is
 * dp_mix64(x + gamma). Key permutations' round function; changing it
 * changes every HASH-mapped key. */
uint64_t dp_mix64(uint64_t x);
/* Seconds on the monotonic clock (for durations). */
double dp_now_s(void);
/* 32-bit FNV-1a of n bytes: hash tables and short stable names (not keyed,
 * not for anything an adversary chooses to collide). */
uint32_t dp_fnv1a32(const void *p, size_t n);
/* 64-bit FNV-1a of n bytes, finished by dp_mix64 (every bit mixed): value
 * fingerprints where 32 bits would collide (not keyed, not for secrets). */
uint64_t dp_hash64(const void *p, size_t n);

#endif
