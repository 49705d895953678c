/* base/dp_log.c - levelled logging to stderr and the job log file.
 *
 * One mutex serialises lines from worker threads so they never interleave
 * mid-line. Redaction of connection strings lives here too, because it is
 * the last line of defence before text reaches a log.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "dp_log.h"

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static dp_log_level log_level = DP_LOG_WARN;
static FILE *log_file;
static __thread const dp_log_ctx *log_ctx;

void dp_log_set_level(dp_log_level lvl) { log_level = lvl; }
dp_log_level dp_log_get_level(void) { return log_level; }

void dp_log_bind(const dp_log_ctx *ctx)
{
	log_ctx = ctx;
}

const dp_log_ctx *dp_log_bound(void)
{
	return log_ctx;
}

typedef struct tstart {
	void *(*fn)(void *);
	void *arg;
	const dp_log_ctx *ctx;
} tstart;

static void *trampoline(void *p)
{
	tstart t = *(tstart *)p;
	free(p);
	dp_log_bind(t.ctx);
	return t.fn(t.arg);
}

int dp_thread_create(pthread_t *th, void *(*fn)(void *), void *arg)
{
	tstart *t = malloc(sizeof(*t));
	int rc;

	if (!t)
		return ENOMEM;
	t->fn = fn;
	t->arg = arg;
	t->ctx = log_ctx;
	rc = pthread_create(th, NULL, trampoline, t);
	if (rc)
		free(t);
	return rc;
}

int dp_log_set_file(const char *path)
{
	int rc = DP_OK;

	pthread_mutex_lock(&log_mu);
	if (log_file) {
		fclose(log_file);
		log_file = NULL;
	}
	if (path) {
		log_file = fopen(path, "a");
		if (!log_file)
			rc = DP_ERR_IO;
	}
	pthread_mutex_unlock(&log_mu);
	return rc;
}

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

void dp_log_write(dp_log_level lvl, const char *file, int line, const char *fmt, ...)
{
	char msg[2048], ts[32];
	struct tm tm;
	time_t now;
	va_list ap;
	int to_stderr = lvl <= log_level;
	const dp_log_ctx *ctx = log_ctx;
	const char *log_job = ctx ? ctx->job : "";
	int to_sink = ctx && ctx->sink && lvl <= DP_LOG_INFO;

	if (!to_stderr && !to_sink && !(log_file && lvl <= DP_LOG_INFO))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_mu);
	if (to_stderr) {
		if (lvl == DP_LOG_DEBUG)
			fprintf(stderr, "%s %s%s%s[%s:%d] %s\n", level_names[lvl],
				log_job[0] ? "job=" : "", log_job, log_job[0] ? " " : "",
				file, line, msg);
		else
			fprintf(stderr, "doppel: %s%s%s%s: %s\n",
				log_job[0] ? "job " : "", log_job, log_job[0] ? " " : "",
				level_names[lvl], msg);
	}
	if (log_file && lvl <= DP_LOG_INFO) {
		fprintf(log_file, "%s %s job=%s %s\n", ts, level_names[lvl], log_job, msg);
		fflush(log_file);
	}
	pthread_mutex_unlock(&log_mu);
	if (to_sink)
		ctx->sink(ctx->arg, lvl, msg);
}

/* Keys whose value is a secret in key=value connection strings. */
static const char *const secret_keys[] = {"password", "pwd", "passwd", "pass", "sslpassword", NULL};

static int is_secret_key(const char *k, size_t n)
{
	for (int i = 0; secret_keys[i]; i++)
		if (strlen(secret_keys[i]) == n && strncasecmp(secret_keys[i], k, n) == 0)
			return 1;
	return 0;
}

void dp_redact_conninfo(const char *in, char *out, size_t outsz)
{
	size_t o = 0, i = 0, n;
	const char *scheme, *at, *colon, *slash;

	if (!outsz)
		return;
#define PUT(c) do { if (o + 1 < outsz) out[o++] = (c); } while (0)
	if (!in)
		in = "";
	n = strlen(in);
	/* URL form: scheme://user:secret@host -> scheme://user:***@host */
	scheme = strstr(in, "://");
	if (scheme) {
		slash = strchr(scheme + 3, '/');
		at = memchr(scheme + 3, '@', (size_t)((slash ? slash : in + n) - (scheme + 3)));
		if (at) {
			colon = memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));
			if (colon) {
				for (; in + i <= colon; i++)
					PUT(in[i]);
				PUT('*'); PUT('*'); PUT('*');
				i = (size_t)(at - in);
			}
		}
	}
	/* key=value form (libpq, ODBC ; separated) */
	while (i < n) {
		size_t ks = i, ke;
		while (i < n && (isalnum((unsigned char)in[i]) || in[i] == '_'))
			i++;
		ke = i;
		while (i < n && in[i] == ' ')
			i++;
		if (ke > ks && i < n && in[i] == '=' && is_secret_key(in + ks, ke - ks)) {
			for (size_t k = ks; k <= i; k++)
				PUT(in[k]);
			i++;
			/* skip the value: quoted '...' / {...} or up to ; or space */
			if (i < n && (in[i] == '\'' || in[i] == '{')) {
				char close = in[i] == '{' ? '}' : '\'';
				i++;
				while (i < n && in[i] != close) {
					if (in[i] == '\\' && i + 1 < n)
						i++;
					i++;
				}
				if (i < n)
					i++;
			} else {
				while (i < n && in[i] != ';' && in[i] != ' ')
					i++;
			}
			PUT('*'); PUT('*'); PUT('*');
			continue;
		}
		for (size_t k = ks; k < i; k++)
			PUT(in[k]);
		if (i < n && ke == i)
			PUT(in[i++]);
	}
	out[o] = '\0';
#undef PUT
}
