/* engine/mask/ff1.h - NIST SP 800-38G FF1 format-preserving encryption
 * (AES via OpenSSL), and the format-preserving masks built on it.
 *
 * FF1 encrypts a string of numerals of one radix into another of the same
 * length and radix: a bijection for each (key, tweak, length), so a unique
 * column stays unique. NIST asks for radix^length >= 1,000,000: shorter
 * strings (a 3-digit code) are still permuted bijectively, but a small
 * domain can be enumerated by whoever holds enough pairs; the masks below
 * accept it because the alternative (a non-bijective hash) breaks unique
 * columns.
 */
#ifndef DP_FF1_H
#define DP_FF1_H

#include <stddef.h>
#include <stdint.h>
#include "../../base/dp_err.h"

typedef struct dp_ff1 dp_ff1;

/* key: 16, 24 or 32 bytes (AES-128/192/256). NULL on error. */
dp_ff1 *dp_ff1_new(const unsigned char *key, size_t keylen);
void dp_ff1_free(dp_ff1 *f);

/* Encrypt (enc=1) or decrypt (enc=0) x[0..n) (numerals 0..radix-1) into
 * out[0..n). radix 2..65536, 2 <= n <= 4096, radix^n >= 100. Tweak may be
 * empty. DP_OK, DP_ERR_CONFIG (bad lengths) or DP_ERR_NOMEM. Thread-safe:
 * the key schedule is read-only after dp_ff1_new. */
int dp_ff1_crypt(const dp_ff1 *f, int enc, unsigned radix, const uint16_t *x, size_t n,
		 const unsigned char *tweak, size_t tlen, uint16_t *out) DP_MUSTCHECK;

/* Format-preserving mask of a text: digits stay digits, upper-case letters
 * upper-case, lower-case lower-case, everything else (separators, spaces,
 * accents) stays in place; digits and letters are each encrypted as one
 * FF1 string (radix 10, radix 26; letters case-folded, case restored per
 * position). A class of one character is permuted by ranking a keyed PRF.
 * A bijection on strings of one shape. Writes n bytes to out. */
int dp_fpe_text(const dp_ff1 *f, const char *in, size_t n, char *out) DP_MUSTCHECK;

/* Format-preserving mask of an integer: same sign and number of digits
 * (no leading zero: cycle walking), a bijection on each width. */
int dp_fpe_int(const dp_ff1 *f, int64_t in, int64_t *out) DP_MUSTCHECK;

#endif
