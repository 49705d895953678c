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
