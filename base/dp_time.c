/* base/dp_time.c - calendar arithmetic and datetime text shapes (see
 * dp_time.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "dp_time.h"

/* ---- dates: proleptic Gregorian days since 1970-01-01 (Hinnant) ---- */

int64_t dp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void dp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int dp_dt_parse(const char *s, size_t n, dp_dtfmt *f, double *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	double frac = 0;
	size_t i = 10;

	memset(f, 0, sizeof(*f));
	if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	if (n >= 19 && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':') {
		if (!digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
		    h > 23 || mi > 59 || se > 60)
			return 0;
		f->time = 1;
		f->sep = s[10];
		i = 19;
		if (i < n && s[i] == '.') {
			double scale = 0.1;
			i++;
			while (i < n && isdigit((unsigned char)s[i]) && f->frac < 9) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
				f->frac++;
				i++;
			}
		}
	}
	if (n - i >= sizeof(f->suffix))
		return 0;
	memcpy(f->suffix, s + i, n - i);
	f->suffix[n - i] = 0;
	*out = (double)dp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600 + mi * 60 +
	       se + frac;
	return 1;
}

size_t dp_dt_format(double v, const dp_dtfmt *f, char *out, size_t outsz)
{
	double fl = floor(v);
	int64_t secs = (int64_t)fl, days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rem = secs - days * 86400, y;
	unsigned m, d;
	int n;

	dp_civil_from_days(days, &y, &m, &d);
	if (!f->time)
		n = snprintf(out, outsz, "%04lld-%02u-%02u%s", (long long)y, m, d, f->suffix);
	else if (f->frac) {
		long long fr = llround((v - fl) * pow(10, f->frac));
		if (fr >= (long long)pow(10, f->frac))
			fr = (long long)pow(10, f->frac) - 1;
		n = snprintf(out, outsz, "%04lld-%02u-%02u%c%02d:%02d:%02d.%0*lld%s", (long long)y, m,
			     d, f->sep, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
			     f->frac, fr, f->suffix);
	} else
		n = snprintf(out, outsz, "%04lld-%02u-%02u%c%02d:%02d:%02d%s", (long long)y, m, d,
			     f->sep, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
			     f->suffix);
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}
