/* connectors/typemap.c - the cross-engine type rules (see typemap.h).
 *
 * Exactness rules (every value is carried exactly, or refused by name):
 *
 * - Exact decimals (numeric(p,s), DECIMAL, MySQL BIGINT UNSIGNED) travel as
 *   their source text and are written verbatim. Into PostgreSQL: numeric(p,s)
 *   or numeric. Into MySQL: DECIMAL(p,s); an unconstrained numeric becomes
 *   DECIMAL(65,30) and each value is checked when written: one with more
 *   than 35 digits before or 30 after the point (trailing zeros aside), or
 *   NaN/Infinity, fails the load naming table.column (MySQL would round it
 *   with a mere note). Into SQLite the column is declared DECIMAL BLOB(p,s):
 *   the BLOB word gives it no affinity, because NUMERIC affinity turns every
 *   decimal-looking text into a double (15 digits) - the writer stores a
 *   value as INTEGER when it is an integer that fits 64 bits, as REAL when
 *   it has at most 15 significant digits (DBL_DIG: text -> double -> text
 *   gives the same digits), and as TEXT with every digit otherwise (also
 *   NaN/Infinity).
 * - Floats (real, double precision, FLOAT, DOUBLE) travel as doubles and
 *   are printed in the shortest form that reads back to the same double.
 *   NaN and +-Infinity are kept by PostgreSQL; SQLite keeps +-Infinity as
 *   REAL and NaN as the TEXT 'NaN' (a NaN bound as REAL would become NULL);
 *   MySQL DOUBLE has neither: the load fails naming table.column and key.
 * - Zoned times (timestamptz, timetz): into MySQL DATETIME(6)/TIME(6) the
 *   value is converted to UTC (target sessions run with time_zone +00:00);
 *   into SQLite the ISO 8601 text with its offset (+HH:MM) is kept, in a
 *   column declared TIMESTAMP WITH TIME ZONE, which maps back to
 *   timestamptz. Values MySQL cannot hold (infinity, BC years) fail the
 *   load naming table.column.
 * - interval and other types without a counterpart travel as their text
 *   form into a text column (LONGTEXT / TEXT).
 * - Generated columns are recreated as generated within one engine and
 *   never written as values; across engines their expression cannot be
 *   translated: refused here (plan time). PostgreSQL composite types are
 *   not created by doppel: refused. Domains arrive as their base type
 *   (values exact; the domain's CHECKs are not recreated).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "typemap.h"
#include "../base/dp_time.h"

/* target declaration per class; "%L" = length, "%P,%S" = precision,scale */
typedef struct rule {
	dp_tclass cls;
	const char *pg, *my, *lite;
} rule;

static const rule rules[] = {
	{DP_T_INTEGER,   "bigint",           "BIGINT",        "INTEGER"},
	{DP_T_REAL,      "double precision", "DOUBLE",        "REAL"},
	{DP_T_NUMERIC,   "numeric",          "DECIMAL(65,30)", "DECIMAL BLOB"},
	{DP_T_TEXT,      "text",             "LONGTEXT",      "TEXT"},
	{DP_T_BLOB,      "bytea",            "LONGBLOB",      "BLOB"},
	{DP_T_BOOL,      "boolean",          "TINYINT(1)",    "BOOLEAN"},
	{DP_T_DATE,      "date",             "DATE",          "DATE"},
	{DP_T_TIME,      "time",             "TIME(6)",       "TIME"},
	{DP_T_TIMESTAMP, "timestamp",        "DATETIME(6)",   "DATETIME"},
	{DP_T_UUID,      "uuid",             "CHAR(36)",      "TEXT"},
	{DP_T_JSON,      "jsonb",            "JSON",          "TEXT"},
	{DP_T_UNKNOWN,   "text",             "LONGTEXT",      "TEXT"},
};

static int has_ci(const char *s, const char *w)
{
	return s && strcasestr(s, w) != NULL;
}

int dp_type_is_zoned(const dp_column *col)
{
	return (col->tclass == DP_T_TIMESTAMP || col->tclass == DP_T_TIME) &&
	       (has_ci(col->type_decl, "with time zone") || has_ci(col->type_decl, "timestamptz") ||
		has_ci(col->type_decl, "timetz"));
}

int dp_type_is_unsigned_bigint(const dp_column *col)
{
	return col->tclass == DP_T_INTEGER && has_ci(col->type_decl, "bigint") &&
	       has_ci(col->type_decl, "unsigned");
}

int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb)
{
	int pg = !strcmp(tgt_engine, "postgresql"), my = !strcmp(tgt_engine, "mysql");
	int same = src_engine && !strcmp(src_engine, tgt_engine);
	const rule *r = NULL;
	int rc;

	if (col->user_type)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: composite type %s (%s) is not recreated by doppel "
			       "in %s; store the value as jsonb or as separate columns in the source, or "
			       "exclude the table", table, col->name, col->user_type,
			       src_engine ? src_engine : "?", tgt_engine);
	if (col->generated && !same)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: generated column (%s GENERATED ALWAYS AS (%s)%s) "
			       "cannot be recreated in %s: its expression is %s SQL, and its values must "
			       "not be written as plain data; clone into %s (the column is recreated as "
			       "generated), or drop the generated column from the source", table, col->name,
			       col->type_decl ? col->type_decl : "?", col->generated,
			       col->generated_stored ? " STORED" : " VIRTUAL", tgt_engine,
			       src_engine ? src_engine : "?", src_engine ? src_engine : "its engine");
	if (same && col->type_decl && *col->type_decl)
		rc = dp_buf_puts(out, col->type_decl);
	else {
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			if (rules[i].cls == col->tclass)
				r = &rules[i];
		if (!r)
			r = &rules[sizeof(rules) / sizeof(rules[0]) - 1];
		switch (col->tclass) {
		case DP_T_INTEGER:
			/* 0 .. 2^64-1 does not fit a signed 64-bit column: an exact decimal */
			if (dp_type_is_unsigned_bigint(col))
				rc = dp_buf_puts(out, pg ? "numeric(20,0)" : my ? "BIGINT UNSIGNED"
						   : "DECIMAL BLOB(20,0)");
			else
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_NUMERIC:
			if (col->precision > 0) {
				int maxp = my ? 65 : pg ? 1000 : 1000000;
				if (col->precision > maxp || (my && col->scale > 30))
					return dp_fail(eb, DP_ERR_CONFIG,
						       "%s.%s: %s (%s) cannot be held by %s (DECIMAL allows at most "
						       "65 digits, 30 after the point)", table, col->name,
						       col->type_decl, src_engine ? src_engine : "?", tgt_engine);
				rc = dp_buf_printf(out, pg ? "numeric(%d,%d)" : my ? "DECIMAL(%d,%d)"
						   : "DECIMAL BLOB(%d,%d)", col->precision, col->scale);
			} else {
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			}
			break;
		case DP_T_TIMESTAMP:
		case DP_T_TIME:
			if (dp_type_is_zoned(col) && !my)
				rc = dp_buf_puts(out, col->tclass == DP_T_TIME
						 ? (pg ? "time with time zone" : "TIME WITH TIME ZONE")
						 : (pg ? "timestamp with time zone" : "TIMESTAMP WITH TIME ZONE"));
			else
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_TEXT:
			if (col->length > 0 && (!my || col->length <= 16383))
				rc = dp_buf_printf(out, pg ? "varchar(%d)" : my ? "VARCHAR(%d)"
						   : "VARCHAR(%d)", col->length);
			else if (my && in_key)
				/* an index needs a bounded type: 768 chars x 4 bytes = InnoDB's 3072 */
				rc = dp_buf_puts(out, "VARCHAR(768)");
			else
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_BLOB:
			rc = dp_buf_puts(out, my && in_key ? "VARBINARY(3072)" : pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_UNKNOWN:
			rc = dp_buf_puts(out, my && in_key ? "VARCHAR(768)" : pg ? r->pg : my ? r->my : r->lite);
			break;
		default:
			rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
		}
	}
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
}

/* ---- values ---- */

/* Parse a plain decimal literal [+-]digits[.digits][e[+-]digits]: digits
 * before and after the point (leading zeros of the integer part and
 * trailing zeros of the fraction not counted), significant digits, and
 * whether it is an integer. 0 when s is no such literal. */
static int decimal_shape(const char *s, size_t n, int *intd, int *fracd, int *sig, int *integral)
{
	size_t i = 0, ib, ie, fb = 0, fe = 0;
	long ex = 0;
	int first_sig = -1, last_sig = -1, pos = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	ib = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	ie = i;
	if (i < n && s[i] == '.') {
		fb = ++i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		fe = i;
	}
	if (ie == ib && fe == fb)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		char *end;
		char tmp[16];
		size_t l = n - i - 1;
		if (l == 0 || l >= sizeof(tmp))
			return 0;
		memcpy(tmp, s + i + 1, l);
		tmp[l] = '\0';
		ex = strtol(tmp, &end, 10);
		if (*end || ex > 100000 || ex < -100000)
			return 0;
		i = n;
	}
	if (i != n)
		return 0;
	/* digits as one string: integer part then fraction; find significant span */
	for (size_t k = ib; k < ie; k++, pos++)
		if (s[k] != '0') {
			if (first_sig < 0)
				first_sig = pos;
			last_sig = pos;
		}
	for (size_t k = fb; k < fe; k++, pos++)
		if (s[k] != '0') {
			if (first_sig < 0)
				first_sig = pos;
			last_sig = pos;
		}
	{
		long point = (long)(ie - ib) + ex;   /* digits before the point */
		long id = first_sig < 0 ? 0 : point - first_sig;
		long fd = last_sig < 0 ? 0 : last_sig + 1 - point;
		*intd = id > 0 ? (int)id : 0;
		*fracd = fd > 0 ? (int)fd : 0;
		*sig = first_sig < 0 ? 0 : last_sig - first_sig + 1;
		*integral = fd <= 0;
	}
	return 1;
}

int dp_decimal_fits(const char *s, size_t n, int int_digits, int frac_digits)
{
	int id, fd, sig, integral;

	if (!decimal_shape(s, n, &id, &fd, &sig, &integral))
		return 0;
	return id <= int_digits && fd <= frac_digits;
}

int dp_decimal_storage(const char *s, size_t n, int64_t *iv, double *dv)
{
	int id, fd, sig, integral;
	char tmp[400], *end;

	if (n >= sizeof(tmp) || !decimal_shape(s, n, &id, &fd, &sig, &integral))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (integral && id <= 18 && !strpbrk(tmp, "eE")) {
		/* at most 18 digits: within int64; strtoll stops at the point, the
		 * fraction is zeros */
		*iv = strtoll(tmp, &end, 10);
		return 1;
	}
	if (sig <= 15) {
		*dv = strtod(tmp, &end);
		return 2;
	}
	return 0;
}

static int digits(const char *s, size_t n, size_t at, size_t k, long *out)
{
	long v = 0;

	if (at + k > n)
		return 0;
	for (size_t i = at; i < at + k; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int dp_time_to_utc(const char *s, size_t n, int is_time, char *out, size_t outsz)
{
	long y = 1970, mo = 1, d = 1, hh, mi, ss, oh = 0, om = 0, os = 0;
	size_t p = 0, fb, fe;
	int sign = 0;
	long secs, days;
	unsigned um, ud;

	if (!is_time) {
		/* YYYY-MM-DD[ T]HH:MM:SS */
		if (!digits(s, n, 0, 4, &y) || n < 19 || s[4] != '-' || !digits(s, n, 5, 2, &mo) ||
		    s[7] != '-' || !digits(s, n, 8, 2, &d) || (s[10] != ' ' && s[10] != 'T'))
			return -1;
		p = 11;
	}
	if (!digits(s, n, p, 2, &hh) || p + 8 > n || s[p + 2] != ':' || !digits(s, n, p + 3, 2, &mi) ||
	    s[p + 5] != ':' || !digits(s, n, p + 6, 2, &ss))
		return -1;
	p += 8;
	fb = p;
	if (p < n && s[p] == '.') {
		p++;
		while (p < n && isdigit((unsigned char)s[p]))
			p++;
	}
	fe = p;
	if (p == n)
		return 0;                          /* no offset: as is */
	if (s[p] == 'Z' && p + 1 == n) {
		sign = 1;
	} else if (s[p] == '+' || s[p] == '-') {
		sign = s[p] == '-' ? -1 : 1;
		if (!digits(s, n, p + 1, 2, &oh))
			return -1;
		p += 3;
		if (p < n && s[p] == ':') {
			if (!digits(s, n, p + 1, 2, &om))
				return -1;
			p += 3;
		}
		if (p < n && s[p] == ':') {
			if (!digits(s, n, p + 1, 2, &os))
				return -1;
			p += 3;
		}
		if (p != n)
			return -1;                 /* " BC" and the like */
	} else {
		return -1;
	}
	days = is_time ? 0 : (long)dp_days_from_civil(y, (unsigned)mo, (unsigned)d);
	secs = hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60 + os);
	days += secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	secs -= (secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400)) * 86400;
	if (is_time) {
		int w = snprintf(out, outsz, "%02ld:%02ld:%02ld%.*s", secs / 3600, secs / 60 % 60,
				 secs % 60, (int)(fe - fb), s + fb);
		return w > 0 && (size_t)w < outsz ? w : -1;
	}
	{
		int64_t yy;
		dp_civil_from_days(days, &yy, &um, &ud);
		y = (long)yy;
	}
	if (y < 1 || y > 9999)
		return -1;
	{
		int w = snprintf(out, outsz, "%04ld-%02u-%02u %02ld:%02ld:%02ld%.*s", y, um, ud,
				 secs / 3600, secs / 60 % 60, secs % 60, (int)(fe - fb), s + fb);
		return w > 0 && (size_t)w < outsz ? w : -1;
	}
}
