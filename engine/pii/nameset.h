/* engine/pii/nameset.h - a set of name words (case-insensitive), each
 * marked as a given name (bit 1) and/or a surname (bit 2). The value scan
 * and the free-text scanner each build one, once, from the dictionaries
 * they trust; lookups are lock-free after the build. */
#ifndef DP_NAMESET_H
#define DP_NAMESET_H

#include <stddef.h>
#include <stdint.h>

typedef struct dp_nameset {
	uint64_t *set;               /* (hash << 2) | bits; 0 empty */
	size_t slots;                /* power of two; 0: no memory, nothing found */
} dp_nameset;

/* The set's hash of a word (lower-cased FNV-1a, never 0 after >> 2): also
 * the free-text scanner's growable book of learned names. */
uint64_t dp_nameset_hash(const char *w, size_t n);
/* Room for `expected` words (load at most 1/2); slots 0 when out of memory. */
void dp_nameset_init(dp_nameset *s, size_t expected);
/* Add word w with bit 1 (given name) or 2 (surname). */
void dp_nameset_add(dp_nameset *s, const char *w, unsigned bit);
/* The bits of w[0..n) (any case; 0 when unknown or longer than 40 bytes). */
unsigned dp_nameset_bits(const dp_nameset *s, const char *w, size_t n);

#endif
