/* base/dp_err.c - error names and the first-error-kept buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dp_err.h"
#include "dp_log.h"

static const char *const err_names[] = {
	"ok", "out of memory", "i/o error", "configuration error",
	"connection failed", "authentication failed", "SQL error",
	"schema not supported", "foreign-key cycle", "type error",
	"not supported", "refused", "not found", "cancelled",
	"integrity check failed", "internal error", "transient error"
};

const char *dp_strerror(int code)
{
	if (code > 0 || code < DP_ERR__MIN)
		return "unknown error";
	return err_names[-code];
}

int dp_fail(dp_errbuf *eb, int code, const char *fmt, ...)
{
	char tmp[DP_ERRMSG_MAX];
	va_list ap;

	if (code == DP_OK)
		code = DP_ERR_INTERNAL;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (eb && eb->code == DP_OK) {
		eb->code = code;
		memcpy(eb->msg, tmp, sizeof(eb->msg));
	} else {
		/* a consequence of the first error: keep it out of the user's
		 * face but not out of the log */
		dp_log_debug("later error (%s): %s", dp_strerror(code), tmp);
	}
	return code;
}

void dp_errbuf_clear(dp_errbuf *eb)
{
	if (!eb)
		return;
	eb->code = DP_OK;
	eb->msg[0] = '\0';
}

void dp_errbuf_merge(dp_errbuf *dst, const dp_errbuf *src)
{
	if (!dst || !src || src->code == DP_OK || dst->code != DP_OK)
		return;
	*dst = *src;
}
