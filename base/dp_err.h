/* base/dp_err.h - the one project error enum and the "first error kept" buffer.
 *
 * Every layer returns an int: 0 (DP_OK) on success, a negative dp_err on
 * failure. The human-readable cause travels in a dp_errbuf owned by the
 * caller: the FIRST failure of an operation is kept (it is the cause), later
 * ones only go to the log (they are usually consequences).
 */
#ifndef DP_ERR_H
#define DP_ERR_H

#include <stddef.h>

#define DP_MUSTCHECK __attribute__((warn_unused_result))
#define DP_PRINTF(f, a) __attribute__((format(printf, f, a)))

typedef enum dp_err {
	DP_OK = 0,
	DP_ERR_NOMEM = -1,       /* allocation failed */
	DP_ERR_IO = -2,          /* file or socket error */
	DP_ERR_CONFIG = -3,      /* engine file / setting invalid */
	DP_ERR_CONNECT = -4,     /* cannot reach or open a database */
	DP_ERR_AUTH = -5,        /* credentials refused */
	DP_ERR_SQL = -6,         /* the database rejected a statement */
	DP_ERR_SCHEMA = -7,      /* schema cannot be handled (no PK, bad FK...) */
	DP_ERR_CYCLE = -8,       /* FK cycle that cannot be loaded */
	DP_ERR_TYPE = -9,        /* value/type the target cannot hold */
	DP_ERR_UNSUPPORTED = -10,/* capability not available (yet) */
	DP_ERR_REFUSED = -11,    /* a safety rule refused the operation */
	DP_ERR_NOTFOUND = -12,   /* named object does not exist */
	DP_ERR_CANCELLED = -13,  /* job cancelled */
	DP_ERR_INTEGRITY = -14,  /* verification failed (FK violation...) */
	DP_ERR_INTERNAL = -15,   /* a bug: invariant broken */
	DP_ERR_RETRY = -16,      /* transient: the operation may be retried */
	DP_ERR__MIN = -16
} dp_err;

/* Short, stable name of an error code ("config error", ...). Never NULL. */
const char *dp_strerror(int code);

/* Room for one precise message naming the culprit. */
#define DP_ERRMSG_MAX 1024

typedef struct dp_errbuf {
	int code;                 /* 0 until the first failure */
	char msg[DP_ERRMSG_MAX];  /* message of the first failure */
} dp_errbuf;

/* Record a failure. Keeps only the first one in `eb` (eb may be NULL); later
 * ones are logged at debug level. Returns `code` so callers can write
 * `return dp_fail(eb, DP_ERR_SQL, "...")`. Thread-safe only per errbuf. */
int dp_fail(dp_errbuf *eb, int code, const char *fmt, ...) DP_PRINTF(3, 4);

/* Reset an errbuf to "no error". */
void dp_errbuf_clear(dp_errbuf *eb);

/* Copy src's error into dst unless dst already holds one (first kept). */
void dp_errbuf_merge(dp_errbuf *dst, const dp_errbuf *src);

#endif
