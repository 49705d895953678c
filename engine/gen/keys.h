/* engine/gen/keys.h - key regeneration: maps from old keys to new ones.
 *
 * key_generation_method "generate": a table's integer key gets new dense
 * values 1..N in key order; the old->new map is built once per table before
 * any row is written and every referencing FK is rewritten through it.
 * "hash": a keyed bijection (Feistel network with cycle walking) of
 * [0, 10^d) where d is the key's digit count, so width is kept and no map
 * is stored: any table can compute it independently, which is also how FKs
 * stay consistent. Both are collision-free by construction.
 */
#ifndef DP_KEYS_H
#define DP_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include "../../base/dp_err.h"
#include "../../base/dp_rng.h"
#include "../../base/dp_keymap.h"


/* Keyed permutation of [0, domain). */
typedef struct dp_perm {
	uint64_t domain;
	unsigned half_bits;     /* bits of each Feistel half */
	uint64_t rk[6];         /* round keys */
} dp_perm;

/* domain >= 1. `label` separates permutations (e.g. "customers.id"). */
void dp_perm_init(dp_perm *p, const dp_job_key *key, const char *label, uint64_t domain);
/* x < domain; result < domain; bijective. */
uint64_t dp_perm_apply(const dp_perm *p, uint64_t x);
/* Smallest 10^d > max_value (max 10^18): the width-keeping hash domain. */
uint64_t dp_perm_decimal_domain(uint64_t max_value);

#endif
