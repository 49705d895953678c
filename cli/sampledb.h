/* cli/sampledb.h - the demo's own source database.
 *
 * `doppel demo` needs a realistic production-like database without shipping
 * one: a small shop (employees with a manager hierarchy, customers, products,
 * orders, order items, payments, an audit log) with names, e-mails, phones,
 * addresses and birth dates drawn from doppel's own mock data. The content is
 * a pure function of `seed`, so the demo and the tests always see the same
 * database.
 */
#ifndef DP_SAMPLEDB_H
#define DP_SAMPLEDB_H

#include <stdint.h>
#include "../base/dp_err.h"

typedef struct dp_sampledb_stats {
	int64_t tables;
	int64_t rows;
} dp_sampledb_stats;

/* Create (or replace, atomically) the SQLite file at `path`. `scale` 1 gives
 * a few thousand rows per big table; larger scales multiply customers,
 * orders and their children (for benchmarks). */
int dp_sampledb_create(const char *path, uint64_t seed, int scale,
		       dp_sampledb_stats *stats, dp_errbuf *eb) DP_MUSTCHECK;

#endif
