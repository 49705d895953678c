/* base/dp_buf.c - growable byte buffer with a hard maximum. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "dp_buf.h"

static int buf_reserve(dp_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : DP_BUF_DEFAULT_MAX;
	size_t need, ncap;
	char *p;

	if (extra > max || b->len + 1 > max - extra)
		return DP_ERR_NOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return DP_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > max / 2 ? max : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return DP_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return DP_OK;
}

int dp_buf_append(dp_buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return DP_OK;
}

int dp_buf_puts(dp_buf *b, const char *s)
{
	return dp_buf_append(b, s, strlen(s));
}

int dp_buf_printf(dp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return DP_ERR_INTERNAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return DP_OK;
}

void dp_buf_reset(dp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void dp_buf_free(dp_buf *b)
{
	size_t max = b->max;

	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

char *dp_buf_steal(dp_buf *b)
{
	char *s = b->data;

	if (!s)
		s = strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *dp_buf_str(const dp_buf *b)
{
	return b->data ? b->data : "";
}

void dp_secret_free(char *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

char *dp_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}
