/* engine/mask/ff1.c - FF1 (NIST SP 800-38G) on OpenSSL AES, and
 * format-preserving masks of texts and integers built on it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include "ff1.h"

struct dp_ff1 {
	EVP_CIPHER_CTX *proto;       /* AES-ECB with the key set, no padding */
};

dp_ff1 *dp_ff1_new(const unsigned char *key, size_t keylen)
{
	const EVP_CIPHER *c = keylen == 16 ? EVP_aes_128_ecb() : keylen == 24 ? EVP_aes_192_ecb() :
			      keylen == 32 ? EVP_aes_256_ecb() : NULL;
	dp_ff1 *f;

	if (!c || !(f = calloc(1, sizeof(*f))))
		return NULL;
	f->proto = EVP_CIPHER_CTX_new();
	if (!f->proto || EVP_EncryptInit_ex(f->proto, c, NULL, key, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(f->proto, 0) != 1) {
		dp_ff1_free(f);
		return NULL;
	}
	return f;
}

void dp_ff1_free(dp_ff1 *f)
{
	if (!f)
		return;
	EVP_CIPHER_CTX_free(f->proto);
	free(f);
}

/* One AES block with a per-call context copy (thread-safe). */
static int aes_block(EVP_CIPHER_CTX *ctx, const unsigned char in[16], unsigned char out[16])
{
	int ol = 0;
	return EVP_EncryptUpdate(ctx, out, &ol, in, 16) == 1 && ol == 16;
}

/* NUM_radix(X) into bn */
static int num_radix(BIGNUM *bn, const uint16_t *x, size_t n, unsigned radix)
{
	BN_zero(bn);
	for (size_t i = 0; i < n; i++)
		if (!BN_mul_word(bn, radix) || !BN_add_word(bn, x[i]))
			return 0;
	return 1;
}

/* STR^m_radix(bn) into out[0..m) (bn < radix^m; bn is consumed) */
static int str_radix(BIGNUM *bn, unsigned radix, size_t m, uint16_t *out)
{
	for (size_t i = m; i > 0; i--) {
		BN_ULONG r = BN_div_word(bn, radix);
		if (r == (BN_ULONG)-1)
			return 0;
		out[i - 1] = (uint16_t)r;
	}
	return 1;
}

static int ff1_big(const dp_ff1 *f, int enc, unsigned radix, const uint16_t *x, size_t n,
		   const unsigned char *tweak, size_t tlen, uint16_t *out);

/* radix^m when it fits in 62 bits, else 0 */
static uint64_t small_pow(unsigned radix, size_t m)
{
	uint64_t r = 1;
	for (size_t i = 0; i < m; i++) {
		if (r > ((uint64_t)1 << 62) / radix)
			return 0;
		r *= radix;
	}
	return r;
}

/* The same algorithm with machine integers, for halves below 2^62 (up to
 * 18 decimal digits each): no BIGNUM, no allocation. */
static int ff1_small(const dp_ff1 *f, int enc, unsigned radix, const uint16_t *x, size_t n,
		     const unsigned char *tweak, size_t tlen, uint16_t *out)
{
	size_t u = n / 2, v = n - u, b, d, qlen;
	unsigned char P[16], Q[64 + 16], R[16], S[48], blk[16];
	uint64_t mu = small_pow(radix, u), mv = small_pow(radix, v), A = 0, B = 0;
	EVP_CIPHER_CTX *ctx;

	b = (size_t)ceil(ceil((double)v * log2((double)radix)) / 8.0);
	d = 4 * ((b + 3) / 4) + 4;
	qlen = tlen + ((size_t)(-(long)(tlen + b + 1)) & 15) + 1 + b;
	if (qlen > 64 || d > 48)
		return DP_ERR_CONFIG;
	for (size_t i = 0; i < u; i++)
		A = A * radix + x[i];
	for (size_t i = u; i < n; i++)
		B = B * radix + x[i];
	P[0] = 1; P[1] = 2; P[2] = 1;
	P[3] = (unsigned char)(radix >> 16); P[4] = (unsigned char)(radix >> 8); P[5] = (unsigned char)radix;
	P[6] = 10; P[7] = (unsigned char)(u & 255);
	P[8] = (unsigned char)(n >> 24); P[9] = (unsigned char)(n >> 16); P[10] = (unsigned char)(n >> 8); P[11] = (unsigned char)n;
	P[12] = (unsigned char)(tlen >> 24); P[13] = (unsigned char)(tlen >> 16); P[14] = (unsigned char)(tlen >> 8); P[15] = (unsigned char)tlen;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || EVP_CIPHER_CTX_copy(ctx, f->proto) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return DP_ERR_NOMEM;
	}
	for (int step = 0; step < 10; step++) {
		int i = enc ? step : 9 - step;
		uint64_t src = enc ? B : A, m = i % 2 == 0 ? mu : mv, y = 0;
		memset(Q, 0, qlen);
		if (tlen)
			memcpy(Q, tweak, tlen);
		Q[qlen - b - 1] = (unsigned char)i;
		for (size_t k = 0; k < b; k++)
			Q[qlen - 1 - k] = k < 8 ? (unsigned char)(src >> (8 * k)) : 0;
		if (!aes_block(ctx, P, R))
			goto fail;
		for (size_t o = 0; o < qlen; o += 16) {
			for (int k = 0; k < 16; k++)
				blk[k] = R[k] ^ Q[o + (size_t)k];
			if (!aes_block(ctx, blk, R))
				goto fail;
		}
		memcpy(S, R, 16);
		for (size_t j = 1; j * 16 < d; j++) {
			memset(blk, 0, 16);
			blk[15] = (unsigned char)j;
			for (int k = 0; k < 16; k++)
				blk[k] ^= R[k];
			if (!aes_block(ctx, blk, S + 16 * j))
				goto fail;
		}
		for (size_t k = 0; k < d; k++)       /* NUM(S) mod radix^m */
			y = (uint64_t)(((unsigned __int128)y * 256 + S[k]) % m);
		if (enc) {
			uint64_t c = (uint64_t)(((unsigned __int128)A + y) % m);
			A = B;
			B = c;
		} else {
			uint64_t c = (uint64_t)(((unsigned __int128)B + m - y) % m);
			B = A;
			A = c;
		}
	}
	EVP_CIPHER_CTX_free(ctx);
	for (size_t i = u; i > 0; i--) {
		out[i - 1] = (uint16_t)(A % radix);
		A /= radix;
	}
	for (size_t i = n; i > u; i--) {
		out[i - 1] = (uint16_t)(B % radix);
		B /= radix;
	}
	return DP_OK;
fail:
	EVP_CIPHER_CTX_free(ctx);
	return DP_ERR_NOMEM;
}

int dp_ff1_crypt(const dp_ff1 *f, int enc, unsigned radix, const uint16_t *x, size_t n,
		 const unsigned char *tweak, size_t tlen, uint16_t *out)
{
	if (radix >= 2 && radix <= 65536 && n >= 2 && n <= 36 && pow(radix, (double)n) >= 100 &&
	    small_pow(radix, n - n / 2) && tlen <= 32)
		return ff1_small(f, enc, radix, x, n, tweak, tlen, out);
	return ff1_big(f, enc, radix, x, n, tweak, tlen, out);
}

static int ff1_big(const dp_ff1 *f, int enc, unsigned radix, const uint16_t *x, size_t n,
		   const unsigned char *tweak, size_t tlen, uint16_t *out)
{
	size_t u = n / 2, v = n - u, b, d, qlen;
	unsigned char P[16], *Q = NULL, R[16], *S = NULL, blk[16];
	uint16_t *A = NULL, *B = NULL, *C = NULL;
	BIGNUM *na = BN_new(), *y = BN_new(), *mod = BN_new(), *bnr = BN_new(), *tmp = BN_new();
	BN_CTX *bc = BN_CTX_new();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int rc = DP_ERR_NOMEM;

	if (radix < 2 || radix > 65536 || n < 2 || n > 4096 || pow(radix, (double)n) < 100) {
		rc = DP_ERR_CONFIG;
		goto out;
	}
	if (!na || !y || !mod || !bnr || !tmp || !bc || !ctx || EVP_CIPHER_CTX_copy(ctx, f->proto) != 1)
		goto out;
	/* b = ceil(ceil(v * log2(radix)) / 8); d = 4 * ceil(b / 4) + 4 */
	b = (size_t)ceil(ceil((double)v * log2((double)radix)) / 8.0);
	d = 4 * ((b + 3) / 4) + 4;
	qlen = tlen + ((size_t)(-(long)(tlen + b + 1)) & 15) + 1 + b;
	Q = calloc(qlen + 16, 1);
	S = calloc(d + 16, 1);
	A = malloc((n + 1) * sizeof(uint16_t));
	B = malloc((n + 1) * sizeof(uint16_t));
	C = malloc((n + 1) * sizeof(uint16_t));
	if (!Q || !S || !A || !B || !C)
		goto out;
	memcpy(A, x, u * sizeof(uint16_t));
	memcpy(B, x + u, v * sizeof(uint16_t));
	P[0] = 1; P[1] = 2; P[2] = 1;
	P[3] = (unsigned char)(radix >> 16); P[4] = (unsigned char)(radix >> 8); P[5] = (unsigned char)radix;
	P[6] = 10; P[7] = (unsigned char)(u & 255);
	P[8] = (unsigned char)(n >> 24); P[9] = (unsigned char)(n >> 16); P[10] = (unsigned char)(n >> 8); P[11] = (unsigned char)n;
	P[12] = (unsigned char)(tlen >> 24); P[13] = (unsigned char)(tlen >> 16); P[14] = (unsigned char)(tlen >> 8); P[15] = (unsigned char)tlen;
	if (!BN_set_word(bnr, radix))
		goto out;
	for (int step = 0; step < 10; step++) {
		int i = enc ? step : 9 - step;
		size_t m = i % 2 == 0 ? u : v, la = enc ? u : v;
		const uint16_t *src = enc ? B : A;      /* the half fed to the PRF */
		size_t srcn = enc ? (step % 2 == 0 ? v : u) : (step % 2 == 0 ? u : v);
		(void)la;
		/* Q = T || 0^pad || [i] || [NUM_radix(src)]^b */
		memset(Q, 0, qlen);
		if (tlen)
			memcpy(Q, tweak, tlen);
		Q[qlen - b - 1] = (unsigned char)i;
		if (!num_radix(tmp, src, srcn, radix))
			goto out;
		if (BN_num_bytes(tmp) > (int)b)
			goto out;
		BN_bn2binpad(tmp, Q + qlen - b, (int)b);
		/* R = PRF(P || Q): CBC-MAC with a zero IV */
		if (!aes_block(ctx, P, R))
			goto out;
		for (size_t o = 0; o < qlen; o += 16) {
			for (int k = 0; k < 16; k++)
				blk[k] = R[k] ^ Q[o + (size_t)k];
			if (!aes_block(ctx, blk, R))
				goto out;
		}
		/* S = R || CIPH(R ^ [1]^16) || CIPH(R ^ [2]^16) ..., first d bytes */
		memcpy(S, R, 16);
		for (size_t j = 1; j * 16 < d; j++) {
			memset(blk, 0, 16);
			for (int k = 0; k < 8; k++)
				blk[8 + k] = (unsigned char)((uint64_t)j >> (56 - 8 * k));
			for (int k = 0; k < 16; k++)
				blk[k] ^= R[k];
			if (!aes_block(ctx, blk, S + 16 * j))
				goto out;
		}
		if (!BN_bin2bn(S, (int)d, y))
			goto out;
		{
			BIGNUM *e = BN_new();
			if (!e || !BN_set_word(e, (BN_ULONG)m) || !BN_exp(mod, bnr, e, bc)) {
				BN_free(e);
				goto out;
			}
			BN_free(e);
		}
		if (enc) {
			/* c = (NUM(A) + y) mod radix^m; A = B; B = C */
			if (!num_radix(na, A, i % 2 == 0 ? u : v, radix) || !BN_mod_add(na, na, y, mod, bc) ||
			    !str_radix(na, radix, m, C))
				goto out;
			memcpy(A, B, (i % 2 == 0 ? v : u) * sizeof(uint16_t));
			memcpy(B, C, m * sizeof(uint16_t));
		} else {
			/* c = (NUM(B) - y) mod radix^m; B = A; A = C */
			if (!num_radix(na, B, i % 2 == 0 ? u : v, radix) || !BN_mod_sub(na, na, y, mod, bc) ||
			    !str_radix(na, radix, m, C))
				goto out;
			memcpy(B, A, (i % 2 == 0 ? v : u) * sizeof(uint16_t));
			memcpy(A, C, m * sizeof(uint16_t));
		}
	}
	memcpy(out, A, u * sizeof(uint16_t));
	memcpy(out + u, B, v * sizeof(uint16_t));
	rc = DP_OK;
out:
	free(Q);
	free(S);
	free(A);
	free(B);
	free(C);
	BN_free(na);
	BN_free(y);
	BN_free(mod);
	BN_free(bnr);
	BN_free(tmp);
	BN_CTX_free(bc);
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

/* A permutation of a tiny domain (one numeral): values ranked by a keyed
 * PRF of (class, value). */
static int tiny_perm(const dp_ff1 *f, unsigned char cls, unsigned radix, unsigned x, unsigned *out)
{
	unsigned char in[16], ox[16], key_x[16];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	unsigned rank = 0;
	int ok = ctx && EVP_CIPHER_CTX_copy(ctx, f->proto) == 1;

	memset(in, 0, 16);
	in[0] = 0xf9;
	in[1] = cls;
	in[2] = (unsigned char)radix;
	in[3] = (unsigned char)x;
	ok = ok && aes_block(ctx, in, key_x);
	for (unsigned v = 0; ok && v < radix; v++) {
		in[3] = (unsigned char)v;
		ok = aes_block(ctx, in, ox);
		if (ok && (memcmp(ox, key_x, 16) < 0))
			rank++;
	}
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return DP_ERR_NOMEM;
	*out = rank;
	return DP_OK;
}

/* encrypt one class of numerals in place */
static int crypt_class(const dp_ff1 *f, unsigned char cls, unsigned radix, uint16_t *x, size_t n)
{
	unsigned char tw[1] = {cls};
	if (n == 0)
		return DP_OK;
	if (n == 1) {
		unsigned o = 0;
		int rc = tiny_perm(f, cls, radix, x[0], &o);
		x[0] = (uint16_t)o;
		return rc;
	}
	return dp_ff1_crypt(f, 1, radix, x, n, tw, 1, x);
}

int dp_fpe_text(const dp_ff1 *f, const char *in, size_t n, char *out)
{
	uint16_t *dg = malloc((n + 1) * sizeof(uint16_t)), *lt = malloc((n + 1) * sizeof(uint16_t));
	size_t nd = 0, nl = 0;
	int rc;

	if (!dg || !lt) {
		free(dg);
		free(lt);
		return DP_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= '0' && c <= '9')
			dg[nd++] = (uint16_t)(c - '0');
		else if (c >= 'a' && c <= 'z')
			lt[nl++] = (uint16_t)(c - 'a');
		else if (c >= 'A' && c <= 'Z')
			lt[nl++] = (uint16_t)(c - 'A');
	}
	rc = crypt_class(f, 'd', 10, dg, nd);
	if (!rc)
		rc = crypt_class(f, 'a', 26, lt, nl);
	if (!rc) {
		nd = nl = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)in[i];
			if (c >= '0' && c <= '9')
				out[i] = (char)('0' + dg[nd++]);
			else if (c >= 'a' && c <= 'z')
				out[i] = (char)('a' + lt[nl++]);
			else if (c >= 'A' && c <= 'Z')
				out[i] = (char)('A' + lt[nl++]);
			else
				out[i] = in[i];
		}
	}
	free(dg);
	free(lt);
	return rc;
}

int dp_fpe_int(const dp_ff1 *f, int64_t in, int64_t *out)
{
	uint64_t a = in < 0 ? (uint64_t)(-(in + 1)) + 1 : (uint64_t)in, v;
	uint16_t d[20];
	size_t w = 0;
	int rc;

	do {
		d[w++] = (uint16_t)(a % 10);
		a /= 10;
	} while (a);
	for (size_t i = 0; i < w / 2; i++) {     /* most significant first */
		uint16_t t = d[i];
		d[i] = d[w - 1 - i];
		d[w - 1 - i] = t;
	}
	/* cycle walking: stay among w-digit numbers (no leading zero) that fit */
	for (int guard = 0; guard < 100000; guard++) {
		rc = crypt_class(f, 'i', 10, d, w);
		if (rc)
			return rc;
		if (w > 1 && d[0] == 0)
			continue;
		v = 0;
		int over = 0;
		for (size_t i = 0; i < w; i++) {
			if (v > (UINT64_MAX - d[i]) / 10)
				over = 1;
			v = v * 10 + d[i];
		}
		if (over || v > (uint64_t)INT64_MAX + (in < 0))
			continue;
		*out = in < 0 ? (int64_t)(0 - v) : (int64_t)v;
		return DP_OK;
	}
	return DP_ERR_INTERNAL;
}
