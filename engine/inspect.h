/* engine/inspect.h - what a database holds, as doppel sees it: test a
 * connection, read its schema and row counts, and (optionally) scan it for
 * PII with the verdicts a plan would reach. Used by `doppel inspect` and,
 * next, by the REST API. Read-only: the session is a source session. */
#ifndef DP_INSPECT_H
#define DP_INSPECT_H

#include <stdint.h>
#include "../base/dp_err.h"
#include "../connectors/connector.h"
#include "config/config.h"

typedef struct dp_inspect_pii {
	const char *kind;        /* mock kind, NULL when not PII; static */
	double confidence;
	const char *detected_by; /* "column name", the value rule, or NULL */
	int free_text;           /* PII looked for inside (mask:textpii) */
	const char *quasi;       /* a quasi-identifier's kind ("gender"), not PII
	                            on its own; static, or NULL */
	char examples[2][48];    /* two sampled values, masked ("j******e") */
} dp_inspect_pii;

typedef struct dp_inspection {
	dp_schema *schema;       /* owned */
	int64_t *rows;           /* exact row count per table */
	dp_inspect_pii **pii;    /* per table, per column; NULL without a PII scan */
} dp_inspection;

/* Connect (source role, read-only) and read it all. st: PII settings for
 * the scan, NULL for none. The caller frees *out with dp_inspection_free. */
int dp_inspect(const dp_conn_cfg *cfg, const dp_pii_settings *st, dp_inspection **out,
	       dp_errbuf *eb) DP_MUSTCHECK;
void dp_inspection_free(dp_inspection *in);

#endif
