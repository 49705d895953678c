/* engine/pii/detect.h - PII detection for columns.
 *
 * Column-name rules in several languages map a column to a mock kind with a
 * confidence. Value-pattern and dictionary detectors (issue: PII scan) plug
 * in behind the same call.
 */
#ifndef DP_PII_DETECT_H
#define DP_PII_DETECT_H

#include "../../connectors/schema.h"
#include "../config.h"

typedef struct dp_pii_hit {
	const char *kind;     /* mock kind ("email", "first_name", ...); static */
	double confidence;    /* 0..1 */
	const char *rule;     /* which rule matched; static, for plans and logs */
} dp_pii_hit;

/* Decide whether `col` of `table` holds PII from its name and type.
 * Returns 1 and fills *hit when the best rule reaches st->threshold and
 * name rules are enabled, else 0. Key columns (PK/FK) are never flagged:
 * keys are handled by key_generation_method. `is_fk` says the column is part
 * of a foreign key. */
int dp_pii_detect_column(const char *table, const dp_column *col, int is_fk,
			 const dp_pii_settings *st, dp_pii_hit *hit);

#endif
