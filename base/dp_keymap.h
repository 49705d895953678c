/* base/dp_keymap.h - int64 -> int64 map, open addressing with linear
 * probing (load <= 0.7, grows by doubling). The one integer-keyed map of the
 * tree: key domains (old key -> new key), parent rows of a synthesis sample
 * (key -> row). Not thread-safe while written; reads are. */
#ifndef DP_KEYMAP_H
#define DP_KEYMAP_H

#include <stddef.h>
#include <stdint.h>
#include "dp_err.h"

/* Open-addressing int64 -> int64 map; grows as needed. */
typedef struct dp_keymap dp_keymap;
dp_keymap *dp_keymap_new(size_t expected);
void dp_keymap_free(dp_keymap *m);
/* Insert; DP_ERR_INTEGRITY when old is already present (duplicate key). */
int dp_keymap_put(dp_keymap *m, int64_t old, int64_t nw) DP_MUSTCHECK;
/* 1 and *nw set when found, else 0. Thread-safe for readers once built. */
int dp_keymap_get(const dp_keymap *m, int64_t old, int64_t *nw);
size_t dp_keymap_count(const dp_keymap *m);

#endif
