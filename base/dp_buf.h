/* base/dp_buf.h - growable byte buffer with a hard maximum.
 *
 * Used for SQL text, identifiers, rendered values. Always NUL-terminated.
 * Growth past `max` fails with DP_ERR_NOMEM instead of eating the machine.
 */
#ifndef DP_BUF_H
#define DP_BUF_H

#include <stddef.h>
#include "dp_err.h"

/* Default cap: statements and rendered rows above 256 MiB are a bug. */
#define DP_BUF_DEFAULT_MAX ((size_t)256 << 20)

typedef struct dp_buf {
	char *data;   /* NUL-terminated; NULL until first append */
	size_t len;
	size_t cap;
	size_t max;   /* 0 means DP_BUF_DEFAULT_MAX */
} dp_buf;

#define DP_BUF_INIT {NULL, 0, 0, 0}

int dp_buf_append(dp_buf *b, const void *p, size_t n) DP_MUSTCHECK;
int dp_buf_puts(dp_buf *b, const char *s) DP_MUSTCHECK;
int dp_buf_printf(dp_buf *b, const char *fmt, ...) DP_PRINTF(2, 3) DP_MUSTCHECK;
void dp_buf_reset(dp_buf *b);            /* len = 0, keeps memory */
void dp_buf_free(dp_buf *b);             /* frees data, back to INIT */
/* Give the string to the caller (who frees it); buffer back to INIT.
 * Returns "" copy when empty; NULL on out-of-memory. */
char *dp_buf_steal(dp_buf *b);
/* Same as text; "" when empty. Never NULL. */
const char *dp_buf_str(const dp_buf *b);

/* Wipe and free a secret string (OPENSSL_cleanse). NULL is fine. */
void dp_secret_free(char *s);

/* strdup that returns NULL for NULL input. */
char *dp_strdup(const char *s);

#endif
