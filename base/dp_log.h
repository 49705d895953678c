/* base/dp_log.h - levelled, printf-checked logging.
 *
 * Every line carries the job id of the thread's context (dp_log_bind) so
 * that interleaved output of several jobs and their workers can be told
 * apart. Secrets never reach these macros: callers
 * pass connection descriptions through dp_redact_conninfo() first.
 */
#ifndef DP_LOG_H
#define DP_LOG_H

#include <stddef.h>
#include "dp_err.h"

typedef enum dp_log_level {
	DP_LOG_ERROR = 0,
	DP_LOG_WARN = 1,
	DP_LOG_INFO = 2,
	DP_LOG_DEBUG = 3
} dp_log_level;

/* Global threshold; lines above it are dropped. Default DP_LOG_WARN so that
 * the CLI's own output (progress, summary) stays readable. */
void dp_log_set_level(dp_log_level lvl);
dp_log_level dp_log_get_level(void);

/* Per-job context, bound per thread: several jobs run in one process (the
 * REST server), so no job state is global. Every line logged by a thread
 * bound to a context carries its job id, and also goes to the context's
 * sink (a server keeps each job's lines). A job binds its threads; a thread
 * it starts binds the parent's context first. */
typedef struct dp_log_ctx {
	char job[64];        /* id printed in every line */
	/* the job's own log; called for lines up to DP_LOG_INFO, without any
	 * lock of the logger held; may be NULL */
	void (*sink)(void *arg, dp_log_level lvl, const char *msg);
	void *arg;
} dp_log_ctx;

/* The calling thread logs for ctx (NULL: for no job). ctx must outlive the
 * binding. */
void dp_log_bind(const dp_log_ctx *ctx);
/* The calling thread's context, or NULL. */
const dp_log_ctx *dp_log_bound(void);
/* pthread_create for a job's threads: the new thread is bound to the
 * calling thread's context before fn runs. Returns pthread_create's code. */
#include <pthread.h>
int dp_thread_create(pthread_t *th, void *(*fn)(void *), void *arg);

/* Additional sink: every line that passes the threshold is also appended to
 * this file (the job log). NULL closes it. Returns 0 or DP_ERR_IO. */
int dp_log_set_file(const char *path);

void dp_log_write(dp_log_level lvl, const char *file, int line,
		  const char *fmt, ...) DP_PRINTF(4, 5);

#define dp_log_error(...) dp_log_write(DP_LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)
#define dp_log_warn(...)  dp_log_write(DP_LOG_WARN, __FILE__, __LINE__, __VA_ARGS__)
#define dp_log_info(...)  dp_log_write(DP_LOG_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define dp_log_debug(...) dp_log_write(DP_LOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__)

/* Copy `in` into `out` (size outsz, always NUL-terminated) with the value of
 * any password=/pwd=/passwd= key and any URL user-info password replaced by
 * "***". Use for every connection string that may be logged or shown. */
void dp_redact_conninfo(const char *in, char *out, size_t outsz);

#endif
