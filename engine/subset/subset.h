/* engine/subset/subset.h - which rows a subset keeps, with referential integrity.
 *
 * Before the load, the key columns of every filtered table (primary key,
 * FK columns to filtered tables, columns filtered tables reference) are read
 * once from the source snapshot. Target rules (percent by a keyed hash of the
 * key, a WHERE clause run in the read-only snapshot, or LIMIT/ORDER BY) seed
 * the selection; a worklist then closes it to a fixed point:
 *   - upward: every row a selected row references is selected (required
 *     parents, transitively; self-references included);
 *   - downward: rows of SUBSET tables that reference a target row or one of
 *     its descendants are selected (include_children, include_when,
 *     max_per_parent; not through self-references);
 *     rows of other filtered tables are kept when every reference they have
 *     to a filtered table points at a selected row (or is NULL).
 * The load then keeps exactly the selected rows, so the target never holds a
 * dangling reference. Key sets live in memory (about 90 bytes per key row).
 */
#ifndef DP_SUBSET_H
#define DP_SUBSET_H

#include <stdint.h>
#include "../../base/dp_err.h"
#include "../../base/dp_value.h"
#include "../../base/dp_buf.h"

typedef struct dp_subset dp_subset;
struct dp_plan;
struct dp_source;

/* Compute the selection for every filtered table of the plan, reading
 * through the source's leader session. NULL *out when nothing is
 * filtered. */
int dp_subset_compute(const struct dp_plan *p, struct dp_source *src, dp_subset **out,
		      dp_errbuf *eb) DP_MUSTCHECK;
void dp_subset_free(dp_subset *s);

/* The kept row's ordinal in key order (its index among all rows of the
 * table), or -1 when the row is not kept; tables that are not filtered are
 * never asked. Per-row generators use the ordinal, so a subset read through
 * key lists gives the same values as a full scan. `scratch` is the caller's
 * reusable buffer: the hot path allocates nothing per row. Thread-safe. */
long dp_subset_row(const dp_subset *s, size_t k, const dp_value *row, dp_buf *scratch);
/* ... for a row read at `ordinal` of a whole-table read in key order: a
 * table decided row by row (dp_subset_streamed) keeps that ordinal. */
long dp_subset_row_at(const dp_subset *s, size_t k, const dp_value *row, uint64_t ordinal,
		      dp_buf *scratch);
/* Is filtered table k decided row by row while it is loaded (no key set
 * kept: it must be read whole, in key order, and filtered on the way)? */
int dp_subset_streamed(const dp_subset *s, size_t k);
/* Rows table k is expected to keep out of `rows`: the count when known, an
 * estimate for a streamed table, -1 when it is not filtered. */
int64_t dp_subset_estimate(const dp_subset *s, size_t k, int64_t rows);
/* Kept rows of a filtered table with a one-column primary key: call cb with
 * each kept key's text (in key order). Returns cb's first non-zero value. */
int dp_subset_each_key(const dp_subset *s, size_t k,
		       int (*cb)(const char *val, size_t len, void *arg), void *arg);

/* null_if_unselected: set NULL in `out` the FK columns of row `in` (source
 * values) whose referenced row is not kept. */
void dp_subset_null_unselected(const dp_subset *s, size_t k, const dp_value *in, dp_value *out);
/* Selected rows of plan table k (-1 when the table is not filtered or is
 * streamed: then only the load knows). */
int64_t dp_subset_count(const dp_subset *s, size_t k);

#endif
