/* engine/load/load_int.h - shared by the load stage's files only. */
#ifndef DP_LOAD_INT_H
#define DP_LOAD_INT_H

#include "load.h"

/* A free-text value of an input batch waiting for the PII scan, and where
 * its result goes in the output batch. */
typedef struct tp_item {
	const dp_value *in;          /* source text (in the input batch) */
	size_t row, col;             /* where the result goes in the output batch */
	dp_buf res;
} tp_item;
/* textpii_run.c: scan items[0..n) (their columns' mask:textpii), write the
 * results into `out`, count findings on jt; frees the items' buffers. */
int dp_textpii_run(dp_table_run *jt, dp_batch *out, tp_item *items, size_t n, dp_errbuf *eb);

#endif
