/* engine/mask/typed.h - masks and mocks that follow a column's type:
 * character scramble, numeric noise, date shift and truncation, and random
 * numbers / booleans / picks from an allowed list. Pure functions of their
 * inputs and a caller-seeded generator (the generator layer keys it). */
#ifndef DP_MASK_TYPED_H
#define DP_MASK_TYPED_H

#include <stddef.h>
#include <stdint.h>
#include "../../base/dp_rng.h"
#include "../../base/dp_buf.h"

/* Each digit -> a random digit, each letter -> a random letter of its case;
 * the rest (separators, spaces, accents) kept. out has n bytes. */
void dp_mask_scramble(dp_rng *r, const char *in, size_t n, char *out);

/* x times a factor 1 + 0.1 N(0,1), clamped to [0.5, 1.5]: sign and order of
 * magnitude kept, 0 stays 0. */
double dp_mask_noise(dp_rng *r, double x);

/* A date/time text shifted by `days` (shape and zone suffix kept), or
 * truncated to the first of its month at midnight. 0 and *out, or -1 when
 * the text is no YYYY-MM-DD[ HH:MM:SS...] value. */
int dp_mask_date_shift(const char *in, size_t n, int days, dp_buf *out);
int dp_mask_date_truncate(const char *in, size_t n, dp_buf *out);

/* A decimal of `scale` digits after the point and at most `digits` before
 * (numeric(p,s): digits = p - s), uniformly drawn. */
void dp_mock_decimal(dp_rng *r, int digits, int scale, dp_buf *out);

/* Allowed values of column `col` from a CHECK (col IN ('a', 'b')) text:
 * "a|b" into out, 1 when found. */
int dp_check_in_list(const char *check, const char *col, dp_buf *out);

#endif
