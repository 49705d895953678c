/* engine/mask/typed.c - masks and mocks that follow a column's type. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "typed.h"
#include "../../base/dp_time.h"

void dp_mask_scramble(dp_rng *r, const char *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c >= '0' && c <= '9')
			out[i] = (char)('0' + dp_rng_below(r, 10));
		else if (c >= 'a' && c <= 'z')
			out[i] = (char)('a' + dp_rng_below(r, 26));
		else if (c >= 'A' && c <= 'Z')
			out[i] = (char)('A' + dp_rng_below(r, 26));
		else
			out[i] = (char)c;
	}
}

double dp_mask_noise(dp_rng *r, double x)
{
	double f = 1 + 0.1 * dp_rng_normal(r);
	if (f < 0.5)
		f = 0.5;
	if (f > 1.5)
		f = 1.5;
	return x * f;
}

int dp_mask_date_shift(const char *in, size_t n, int days, dp_buf *out)
{
	dp_dtfmt f;
	double v;
	char buf[64];
	size_t len;

	if (!dp_dt_parse(in, n, &f, &v))
		return -1;
	len = dp_dt_format(v + (double)days * 86400.0, &f, buf, sizeof(buf));
	return dp_buf_append(out, buf, len) ? -1 : 0;
}

static int valid_ymd(int64_t y, int m, int d)
{
	static const int md[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= (m == 2 ? 28 + leap : md[m - 1]);
}

/* digits of s[at..at+w) as a number, -1 when one is no digit */
static int num_at(const char *s, size_t at, size_t w)
{
	int v = 0;
	for (size_t i = at; i < at + w; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int dp_mask_date_shift_any(const char *in, size_t n, int days, dp_buf *out)
{
	int y, m, d, order;     /* order: 0 YMD, 1 DMY, 2 MDY */
	char sep = 0, buf[16];
	int64_t z, ny;
	unsigned nm, nd;

	if (!dp_mask_date_shift(in, n, days, out))
		return 0;
	if (n == 8) {
		y = num_at(in, 0, 4);
		m = num_at(in, 4, 2);
		d = num_at(in, 6, 2);
		order = 0;
	} else if (n == 10 && (in[2] == '.' || in[2] == '-' || in[2] == '/') && in[5] == in[2]) {
		sep = in[2];
		y = num_at(in, 6, 4);
		d = num_at(in, 0, 2);
		m = num_at(in, 3, 2);
		order = 1;
		if (sep == '/' && d <= 12) {   /* US order unless the first field is a day */
			int t = d;
			d = m;
			m = t;
			order = 2;
		}
	} else {
		return -1;
	}
	if (!valid_ymd(y, m, d))
		return -1;
	z = dp_days_from_civil(y, (unsigned)m, (unsigned)d) + days;
	dp_civil_from_days(z, &ny, &nm, &nd);
	if (ny < 1 || ny > 9999)
		return -1;
	if (order == 0)
		snprintf(buf, sizeof(buf), "%04d%02u%02u", (int)ny, nm, nd);
	else if (order == 1)
		snprintf(buf, sizeof(buf), "%02u%c%02u%c%04d", nd, sep, nm, sep, (int)ny);
	else
		snprintf(buf, sizeof(buf), "%02u%c%02u%c%04d", nm, sep, nd, sep, (int)ny);
	return dp_buf_puts(out, buf) ? -1 : 0;
}

int dp_mask_birth_code(const char *digits, size_t n, int days, char *out)
{
	static const int raises[] = { 0, 50, 20, 70 };

	if (n < 6)
		return -1;
	for (int form = 0; form < 2; form++) {      /* YYMMDD, then DDMMYY */
		int yy = num_at(digits, form ? 4 : 0, 2), mm = num_at(digits, 2, 2),
		    dd = num_at(digits, form ? 0 : 4, 2);
		if (yy < 0 || mm < 0 || dd < 0)
			return -1;
		for (size_t k = 0; k < sizeof(raises) / sizeof(raises[0]); k++) {
			int m = mm - raises[k];
			/* two-digit years: the last hundred years before 2030 */
			int y = yy >= 30 ? 1900 + yy : 2000 + yy;
			int64_t ny;
			unsigned nm, nd;
			char six[8];
			if (!valid_ymd(y, m, dd))
				continue;
			dp_civil_from_days(dp_days_from_civil(y, (unsigned)m, (unsigned)dd) + days, &ny, &nm, &nd);
			if (form)
				snprintf(six, sizeof(six), "%02u%02u%02d", nd, nm + (unsigned)raises[k], (int)(ny % 100));
			else
				snprintf(six, sizeof(six), "%02d%02u%02u", (int)(ny % 100), nm + (unsigned)raises[k], nd);
			memcpy(out, six, 6);
			memcpy(out + 6, digits + 6, n - 6);
			return 0;
		}
	}
	return -1;
}

int dp_mask_date_truncate(const char *in, size_t n, dp_buf *out)
{
	dp_dtfmt f;
	double v;
	char buf[64];
	size_t len;

	if (!dp_dt_parse(in, n, &f, &v))
		return -1;
	/* the first of the month at midnight: rewrite the text's fields */
	len = dp_dt_format(floor(v / 86400.0) * 86400.0, &f, buf, sizeof(buf));
	if (len < 10)
		return -1;
	buf[8] = '0';
	buf[9] = '1';
	return dp_buf_append(out, buf, len) ? -1 : 0;
}

void dp_mock_decimal(dp_rng *r, int digits, int scale, dp_buf *out)
{
	uint64_t ip = 0, lim = 1;
	char buf[64];
	int n;

	if (digits > 9)
		digits = 9;
	for (int i = 0; i < digits; i++)
		lim *= 10;
	/* magnitudes spread over the digits, not piled up near the maximum */
	ip = lim > 1 ? dp_rng_below(r, (uint64_t)pow(10, 1 + (double)dp_rng_below(r, (uint64_t)digits))) : 0;
	if (ip >= lim)
		ip = lim - 1;
	if (scale > 0) {
		uint64_t fl = 1;
		for (int i = 0; i < scale && i < 9; i++)
			fl *= 10;
		n = snprintf(buf, sizeof(buf), "%llu.%0*llu", (unsigned long long)ip, scale < 9 ? scale : 9,
			     (unsigned long long)dp_rng_below(r, fl));
	} else {
		n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)ip);
	}
	(void)!dp_buf_append(out, buf, (size_t)n);
}

int dp_check_in_list(const char *check, const char *col, dp_buf *out)
{
	size_t cl = strlen(col);
	const char *p = check;

	while ((p = strcasestr(p, col)) != NULL) {
		const char *q = p + cl;
		int ok = (p == check || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			 !(isalnum((unsigned char)*q) || *q == '_');
		if (p > check && (p[-1] == '"' || p[-1] == '`'))
			ok = 1;
		p = q;
		if (!ok)
			continue;
		while (*q == '"' || *q == '`' || *q == ' ')
			q++;
		/* PostgreSQL spells it ((col)::text = ANY ((ARRAY['a'::character varying, ...])::text[])) */
		while (*q == ')')
			q++;
		if (q[0] == ':' && q[1] == ':') {
			q += 2;
			while (isalnum((unsigned char)*q) || *q == '_' || *q == ' ')
				if (*q++ == ' ' && *q == '=')
					break;
		}
		while (*q == ' ')
			q++;
		if (*q == '=') {
			const char *a = strcasestr(q, "ARRAY[");
			if (!a || strncasecmp(q + 1 + strspn(q + 1, " "), "ANY", 3))
				continue;
			q = a + 6;
			dp_buf_reset(out);
			for (;;) {
				while (*q == ' ' || *q == ',')
					q++;
				if (*q != '\'')
					break;
				const char *st = ++q;
				while (*q && !(*q == '\'' && q[1] != '\''))
					q += *q == '\'' ? 2 : 1;
				if (!*q)
					return 0;
				if ((out->len && dp_buf_puts(out, "|")) || dp_buf_append(out, st, (size_t)(q - st)))
					return 0;
				q++;
				if (q[0] == ':' && q[1] == ':')
					while (*q && *q != ',' && *q != ']')
						q++;
			}
			return *q == ']' && out->len > 0;
		}
		if (strncasecmp(q, "IN", 2) || isalnum((unsigned char)q[2]))
			continue;
		q += 2;
		while (*q == ' ')
			q++;
		if (*q != '(')
			continue;
		q++;
		dp_buf_reset(out);
		for (;;) {
			while (*q == ' ' || *q == ',')
				q++;
			if (*q != '\'')
				break;
			q++;
			const char *st = q;
			while (*q && !(*q == '\'' && q[1] != '\''))
				q += *q == '\'' ? 2 : 1;
			if (!*q)
				return 0;
			if (out->len && dp_buf_puts(out, "|"))
				return 0;
			if (dp_buf_append(out, st, (size_t)(q - st)))
				return 0;
			q++;
		}
		while (*q == ' ')
			q++;
		return *q == ')' && out->len > 0;
	}
	return 0;
}
