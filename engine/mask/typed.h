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

/* dp_mask_date_shift for the other shapes dates are written in as text,
 * the shape kept: YYYY-MM-DD[...] (as above), YYYYMMDD, DD.MM.YYYY,
 * DD-MM-YYYY and MM/DD/YYYY (DD/MM/YYYY when the first field exceeds 12).
 * 0 and *out, -1 when the text is no date of these shapes. */
int dp_mask_date_shift_any(const char *in, size_t n, int days, dp_buf *out);

/* A national number that starts with the birth date, YYMMDD (or DDMMYY),
 * the month possibly raised by 20, 50 or 70 for sex or series (Czech and
 * Slovak rodne cislo, the bank sample databases' birth_number): the date
 * shifted by `days`, the raise kept, the digits after the date copied.
 * `digits` holds n ASCII digits; 0 and out (n digits), -1 when the first six
 * digits are no such date. */
int dp_mask_birth_code(const char *digits, size_t n, int days, char *out);

/* A decimal of `scale` digits after the point and at most `digits` before
 * (numeric(p,s): digits = p - s), uniformly drawn. */
void dp_mock_decimal(dp_rng *r, int digits, int scale, dp_buf *out);

/* Allowed values of column `col` from a CHECK (col IN ('a', 'b')) text:
 * "a|b" into out, 1 when found. */
int dp_check_in_list(const char *check, const char *col, dp_buf *out);

#endif
