/* base/dp_time.h - calendar arithmetic and datetime text shapes.
 *
 * Dates are proleptic Gregorian days since 1970-01-01 (Hinnant's
 * algorithms); datetimes are seconds since then, without zone arithmetic:
 * a zone suffix is kept as text. Used by the masks (date shift, truncate)
 * and the synthesis models alike, so it lives below both.
 */
#ifndef DP_TIME_H
#define DP_TIME_H

#include <stddef.h>
#include <stdint.h>

int64_t dp_days_from_civil(int64_t y, unsigned m, unsigned d);
void dp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Shape of a datetime text: 'YYYY-MM-DD[( |T)HH:MM:SS[.f...]][suffix]'. */
typedef struct dp_dtfmt {
	int time;                    /* has a time part */
	int frac;                    /* fraction digits */
	char sep;                    /* ' ' or 'T' */
	char suffix[16];             /* constant zone suffix ("+00"), may be "" */
} dp_dtfmt;

/* Parse a datetime text into seconds since 1970-01-01 (UTC, no zone
 * arithmetic: the suffix is kept as text). 1 on success. */
int dp_dt_parse(const char *s, size_t n, dp_dtfmt *f, double *out);
/* Format seconds in shape f. Returns bytes written. */
size_t dp_dt_format(double v, const dp_dtfmt *f, char *out, size_t outsz);

#endif
