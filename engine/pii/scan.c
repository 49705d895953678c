/* engine/pii/scan.c - sample a table and run the value detectors. */
#include <stdlib.h>
#include <string.h>
#include "detect.h"
#include "../../connectors/connector.h"

static int is_key_col(const dp_table *t, size_t ci)
{
	if (t->cols[ci].pk_pos)
		return 1;
	for (size_t f = 0; f < t->nfks; f++)
		for (size_t k = 0; k < t->fks[f].ncols; k++)
			if (!strcmp(t->fks[f].cols[k], t->cols[ci].name))
				return 1;
	return 0;
}

/* first and last character kept, the rest starred: enough to recognise the
 * shape of a column, not enough to recognise a person */
static void mask_example(const char *v, size_t n, char out[48])
{
	size_t w = 0;
	if (!n) {
		out[0] = '\0';
		return;
	}
	out[w++] = v[0];
	for (size_t i = 1; i + 1 < n && w < 40; i++)
		out[w++] = (v[i] == '@' || v[i] == '.' || v[i] == '-' || v[i] == ' ') ? v[i] : '*';
	if (n > 1 && w < 46)
		out[w++] = (unsigned char)v[n - 1] < 0x80 ? v[n - 1] : '*';
	out[w] = '\0';
}

/* ---- keys made from names ("smithjo01", "jdoe", "maria.garcia") ---- */

/* The lowercase letters of s[0..n) into out (at most outsz - 1). */
static size_t letters(const char *s, size_t n, char *out, size_t outsz)
{
	size_t w = 0;
	for (size_t i = 0; i < n && w + 1 < outsz; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 'A' && ch <= 'Z')
			out[w++] = (char)(ch - 'A' + 'a');
		else if (ch >= 'a' && ch <= 'z')
			out[w++] = (char)ch;
	}
	out[w] = '\0';
	return w;
}

/* Does key k carry the name: it holds the surname's first letters (at least
 * 3, or all of a shorter one), or starts with the given name's first
 * letters followed by the surname's (jdoe, maria.garcia)? */
static int key_has_name(const char *k, size_t kn, const char *first, size_t fn, const char *last,
			size_t ln)
{
	char kl[128], fl[64], ll[64];
	size_t klen = letters(k, kn, kl, sizeof(kl));
	size_t fl_n = first ? letters(first, fn, fl, sizeof(fl)) : 0;
	size_t ll_n = last ? letters(last, ln, ll, sizeof(ll)) : 0;

	if (klen < 3)
		return 0;
	if (ll_n) {
		size_t want = ll_n < 5 ? ll_n : 5;
		if (want >= 3 && memmem(kl, klen, ll, want))
			return 1;
	}
	if (fl_n >= 1 && ll_n >= 3 && kl[0] == fl[0] && memmem(kl + 1, klen - 1, ll, 3))
		return 1;
	return 0;
}

int dp_pii_scan_table(const dp_connector *drv, dp_conn *c, dp_table *t, const dp_pii_settings *st,
		      char (*examples)[2][48], dp_errbuf *eb)
{
	dp_pii_sampler **s = calloc(t->ncols + 1, sizeof(*s));
	size_t *nex = calloc(t->ncols + 1, sizeof(size_t));
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(t->ncols, 1024);
	int eof = 0, rc = DP_OK;

	if (!s || !nex || !b) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		dp_tclass k = t->cols[i].tclass;
		if ((k != DP_T_TEXT && k != DP_T_UNKNOWN && k != DP_T_DATE && k != DP_T_TIMESTAMP &&
		     k != DP_T_NUMERIC) || is_key_col(t, i))
			continue;
		s[i] = dp_pii_sampler_new(st);
		if (!s[i]) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		if (k == DP_T_DATE || k == DP_T_TIMESTAMP)
			dp_pii_sampler_dates_only(s[i]);
		if (dp_pii_name_is_event_date(t->cols[i].name))
			dp_pii_sampler_not_birth(s[i]);
	}
	/* a one-column text key beside the person's name columns: is it made of
	 * the name? (counted over the sampled rows) */
	long kcol = -1, fcol = -1, lcol = -1;
	size_t nk = 0, nkhit = 0;
	if (t->npk == 1 && (t->cols[t->pk[0]].tclass == DP_T_TEXT || t->cols[t->pk[0]].tclass == DP_T_UNKNOWN))
		kcol = (long)t->pk[0];
	for (size_t i = 0; kcol >= 0 && i < t->ncols; i++) {
		dp_pii_hit h;
		if ((long)i == kcol || is_key_col(t, i) || !dp_pii_detect_column(t->name, &t->cols[i], 0, st, &h))
			continue;
		if (!strcmp(h.kind, "first_name") && fcol < 0)
			fcol = (long)i;
		else if ((!strcmp(h.kind, "last_name") || !strcmp(h.kind, "full_name")) && lcol < 0)
			lcol = (long)i;
	}
	if (lcol < 0)
		kcol = -1;
	memset(&spec, 0, sizeof(spec));
	spec.table = t;
	spec.limit = st && st->sample_rows ? (int64_t)st->sample_rows : 1000;
	rc = drv->read_open(c, &spec, &r, eb);
	while (!rc && !eof) {
		dp_batch_reset(b);
		rc = drv->read_next(r, b, &eof, eb);
		for (size_t row = 0; !rc && row < dp_batch_nrows(b); row++) {
			const dp_value *v = dp_batch_row_c(b, row);
			if (kcol >= 0 && v[kcol].kind == DP_V_TEXT && v[lcol].kind == DP_V_TEXT) {
				const char *last = v[lcol].u.s;
				size_t ln = v[lcol].len;
				/* a full name: its last word is the surname */
				for (size_t q = v[lcol].len; q > 0; q--)
					if (v[lcol].u.s[q - 1] == ' ') {
						last = v[lcol].u.s + q;
						ln = v[lcol].len - q;
						break;
					}
				nk++;
				nkhit += key_has_name(v[kcol].u.s, v[kcol].len,
						      fcol >= 0 && v[fcol].kind == DP_V_TEXT ? v[fcol].u.s : NULL,
						      fcol >= 0 && v[fcol].kind == DP_V_TEXT ? v[fcol].len : 0,
						      last, ln);
			}
			for (size_t i = 0; i < t->ncols; i++) {
				char tmp[64];
				const char *p = v[i].u.s;
				size_t n = v[i].len;
				if (!s[i] || v[i].kind == DP_V_NULL || v[i].kind == DP_V_BLOB)
					continue;
				if (v[i].kind != DP_V_TEXT) {
					n = dp_value_to_text(&v[i], tmp, sizeof(tmp), NULL);
					p = tmp;
				}
				dp_pii_sampler_add(s[i], p, n);
				if (examples && nex[i] < 2)
					mask_example(p, n, examples[i][nex[i]++]);
			}
		}
	}
	if (r)
		drv->read_close(r);
	/* most keys carry their row's name: the key is PII (a few rows whose
	 * name changed, or that share a prefix, do not clear it) */
	if (!rc && kcol >= 0 && nk >= 5 && nkhit * 10 >= nk * 7)
		t->cols[kcol].name_key = 1;
	for (size_t i = 0; !rc && i < t->ncols; i++) {
		dp_pii_hit hit;
		if (s[i] && dp_pii_sampler_result(s[i], &hit)) {
			t->cols[i].pii_kind = hit.kind;
			t->cols[i].pii_conf = hit.confidence;
			t->cols[i].pii_rule = hit.rule;
		} else if (s[i] && (t->cols[i].tclass == DP_T_TEXT || t->cols[i].tclass == DP_T_UNKNOWN) &&
			   dp_pii_sampler_free_text(s[i])) {
			t->cols[i].free_text = 1;
		}
	}
out:
	for (size_t i = 0; s && i < t->ncols; i++)
		dp_pii_sampler_free(s[i]);
	free(s);
	free(nex);
	dp_batch_free(b);
	return rc;
}

int dp_pii_verdict(const dp_table *t, size_t ci, const dp_pii_settings *st, dp_pii_hit *hit)
{
	const dp_column *col = &t->cols[ci];
	int is_fk = 0, by_name;

	for (size_t f = 0; f < t->nfks; f++)
		for (size_t m = 0; m < t->fks[f].ncols; m++)
			is_fk |= !strcmp(t->fks[f].cols[m], col->name);
	by_name = dp_pii_detect_column(t->name, col, is_fk, st, hit);
	/* the value scan wins when it is surer than the column name */
	if (col->pii_kind && !is_fk && !col->pk_pos && (!by_name || col->pii_conf > hit->confidence)) {
		hit->kind = col->pii_kind;
		hit->confidence = col->pii_conf;
		hit->rule = col->pii_rule;
		hit->quasi = 0;
		return 2;
	}
	return by_name ? 1 : 0;
}
