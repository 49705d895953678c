/* engine/load/leak.h - the honest leak check: are the source values of the
 * PII columns anywhere in the target?
 *
 * The per-column check (a masked value equal to its own source value) only
 * speaks about the columns doppel chose to mask. This one looks wider:
 * while the load reads, the fingerprint (64-bit hash) of every value of an
 * identifying PII column (e-mails, phones, account and card numbers, ids,
 * addresses, full names: kinds whose values single out a person; first
 * names and cities do not) is kept, and so is the fingerprint of every text
 * value written as it is, in any column of any table. At the end the two
 * sets meet: a hit is a PII value of the source that reached the target
 * verbatim through a column nothing flagged (a denormalised copy, an audit
 * table, a free-form "contact" field).
 *
 * Memory is bounded: each set holds at most `cap` fingerprints. Past that,
 * both keep only fingerprints below a threshold that halves each time (the
 * same threshold for both sides, so the hits found are a uniform sample of
 * all hits, and the reported share says how big). Values are never kept,
 * only their fingerprints; the report names columns, never values.
 */
#ifndef DP_LEAK_H
#define DP_LEAK_H

#include <stddef.h>
#include <stdint.h>
#include "../../base/dp_err.h"

typedef struct dp_leakcheck dp_leakcheck;

/* NULL when out of memory. */
dp_leakcheck *dp_leak_new(size_t cap);
void dp_leak_free(dp_leakcheck *l);

/* A batch worth of fingerprints (thread-safe; one lock per call): `src`
 * from identifying PII columns, `out` written as they are, each with the
 * column it was written to (`out_col[i]`, the caller's numbering). */
void dp_leak_add(dp_leakcheck *l, const uint64_t *src, size_t nsrc, const uint64_t *out,
		 const uint32_t *out_col, size_t nout);

/* The meeting: hits[col] (zeroed by the caller, ncols entries) counts the
 * output fingerprints of each column that are source PII fingerprints.
 * *share is the fraction of all values the sets kept (1 = exact). */
void dp_leak_finish(dp_leakcheck *l, int64_t *hits, size_t ncols, double *share);

/* Is a mock kind identifying (its values single out a person)? */
int dp_leak_kind_identifying(const char *kind);

#endif
