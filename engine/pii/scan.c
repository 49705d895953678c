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
	memset(&spec, 0, sizeof(spec));
	spec.table = t;
	spec.limit = st && st->sample_rows ? (int64_t)st->sample_rows : 1000;
	rc = drv->read_open(c, &spec, &r, eb);
	while (!rc && !eof) {
		dp_batch_reset(b);
		rc = drv->read_next(r, b, &eof, eb);
		for (size_t row = 0; !rc && row < dp_batch_nrows(b); row++) {
			const dp_value *v = dp_batch_row_c(b, row);
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
