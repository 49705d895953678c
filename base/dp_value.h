/* base/dp_value.h - one cell value and a batch of rows.
 *
 * Values are typed by storage class (the SQLite model, which every engine's
 * text/binary protocols map onto without loss): NULL, INT (int64), REAL
 * (double), TEXT (bytes + length, not necessarily NUL-terminated), BLOB.
 * Exact numerics (numeric(38,10)), dates and timestamps travel as TEXT in the
 * engine's canonical text form so that no precision is lost on the way.
 *
 * A batch owns all bytes its values point to (an arena that grows up to a
 * hard cap, DP_BATCH_ARENA_MAX). Values are stored row-major:
 * vals[row * ncols + col].
 */
#ifndef DP_VALUE_H
#define DP_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "dp_err.h"

typedef enum dp_vkind {
	DP_V_NULL = 0,
	DP_V_INT = 1,
	DP_V_REAL = 2,
	DP_V_TEXT = 3,
	DP_V_BLOB = 4
} dp_vkind;

typedef struct dp_value {
	dp_vkind kind;
	size_t len;          /* TEXT/BLOB: byte length */
	union {
		int64_t i;
		double d;
		const char *s;   /* TEXT/BLOB bytes; owned by the batch arena */
	} u;
} dp_value;

/* A batch of up to `cap` rows of `ncols` columns. */
typedef struct dp_batch dp_batch;

/* Hard cap on one batch's bytes: a batch is flushed before it grows past
 * this, so memory stays bounded by settings and not by row width. 64 MiB
 * holds the largest single value we accept (DP_VALUE_MAX) plus slack. */
#define DP_BATCH_ARENA_MAX ((size_t)64 << 20)
/* Largest single TEXT/BLOB value accepted (bigger -> DP_ERR_TYPE). */
#define DP_VALUE_MAX ((size_t)32 << 20)

/* New empty batch. Returns NULL on out-of-memory. Free with dp_batch_free. */
dp_batch *dp_batch_new(size_t ncols, size_t cap_rows);
void dp_batch_free(dp_batch *b);
/* Drop all rows (keeps allocations for reuse). */
void dp_batch_reset(dp_batch *b);

size_t dp_batch_ncols(const dp_batch *b);
size_t dp_batch_nrows(const dp_batch *b);
size_t dp_batch_cap(const dp_batch *b);
/* Bytes held in the arena (for backpressure accounting). */
size_t dp_batch_bytes(const dp_batch *b);
/* True when no row can be added (row cap reached or arena near its cap). */
int dp_batch_full(const dp_batch *b);

/* Append a row of NULLs and return a pointer to its ncols values, to be set
 * with the dp_batch_set_* helpers. NULL when the batch is full. */
dp_value *dp_batch_add_row(dp_batch *b);
/* Forget the last row (a generated row that turned out unusable). */
void dp_batch_drop_last(dp_batch *b);
/* Row r's values (r < nrows). */
dp_value *dp_batch_row(dp_batch *b, size_t r);
const dp_value *dp_batch_row_c(const dp_batch *b, size_t r);

/* Setters copy the bytes into the batch arena. They return DP_OK,
 * DP_ERR_NOMEM, or DP_ERR_TYPE when len > DP_VALUE_MAX. */
void dp_value_set_null(dp_value *v);
void dp_value_set_int(dp_value *v, int64_t i);
void dp_value_set_real(dp_value *v, double d);
int dp_batch_set_text(dp_batch *b, dp_value *v, const char *s, size_t len) DP_MUSTCHECK;
int dp_batch_set_blob(dp_batch *b, dp_value *v, const void *p, size_t len) DP_MUSTCHECK;

/* Render a value as text into buf (for keys, hashing, comparisons).
 * INT -> decimal, REAL -> shortest "%.15g".."%.17g" that reads back as the
 * same double (NaN, Infinity, -Infinity spelled so), TEXT as is, BLOB as
 * lowercase hex, NULL -> "" with *is_null=1. Returns bytes written (excl. NUL),
 * truncated to bufsz-1. */
size_t dp_value_to_text(const dp_value *v, char *buf, size_t bufsz, int *is_null);

/* Integer value of v (INT, integral REAL, decimal TEXT): 1 and *out, else 0. */
int dp_value_to_i64(const dp_value *v, int64_t *out);

/* Equality of two values by kind and bytes (INT 1 != TEXT "1"). */
int dp_value_equal(const dp_value *a, const dp_value *b);

#endif
