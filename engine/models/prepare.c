/* engine/models/prepare.c - a table's training rows made ready for the
 * trees: column kinds and encoding (dictionaries, numbers, datetimes, text
 * models), the privacy transforms (rare categories, clipping, sample
 * noise) and the binned features. Used by train.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_int.h"

static int cmp_fp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

#define MAX_CAT 1000        /* more distinct values: numeric or text */
#define NUM_AS_CAT 20       /* numbers with at most this many values: categorical */
#define MAX_CAT_BINS 128
#define NUM_BINS 32

static int is_text_class(dp_tclass c)
{
	return c == DP_T_TEXT || c == DP_T_UNKNOWN || c == DP_T_UUID;
}

/* ---- kinds and encoding ---- */

int dp_prep_encode_col(dp_tmodel *m, const dp_train_in *in, size_t ci, dp_errbuf *eb)
{
	dp_mcol *mc = &m->cols[ci];
	const dp_column *col = &in->t->cols[ci];
	size_t n = in->nrows, ntr = m->ntrain, nonnull = 0, nnum = 0, ndt = 0;
	dp_dict d;
	int rc = DP_OK, any_real = 0, any_text = 0, maxscale = 0, dt_mixed = 0, have_fmt = 0;
	int real_scale = 0;
	dp_dtfmt fmt;
	dp_ckind k = in->kinds ? in->kinds[ci] : DP_CK_AUTO;

	mc->ci = ci;
	mc->col = col;
	mc->feat = -1;
	mc->kind = k;
	mc->exempt_rare = in->exempt ? in->exempt[ci] : 0;
	if (col->tclass == DP_T_BLOB || col->tclass == DP_T_JSON)
		mc->exempt_rare = 1;    /* a '*' is no valid JSON or image */
	if (k == DP_CK_EXTERNAL)
		return DP_OK;
	mc->nul = calloc(n + 1, 1);
	if (!mc->nul)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (k == DP_CK_REF) {
		size_t nn = 0;
		for (size_t r = 0; r < n; r++) {
			mc->nul[r] = in->rows[r][ci].kind == DP_V_NULL;
			if (r < ntr)
				nn += mc->nul[r];
		}
		mc->null_rate = ntr ? (double)nn / (double)ntr : 0;
		return DP_OK;
	}
	memset(&fmt, 0, sizeof(fmt));
	if (dp_dict_init(&d, 256))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t r = 0; r < n; r++) {
		const dp_value *v = &in->rows[r][ci];
		double x;
		int sc;
		dp_dtfmt f;
		if (v->kind == DP_V_NULL)
			continue;
		nonnull++;
		if (d.n <= MAX_CAT * 4 && dp_dict_add(&d, v) < 0) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		if (dp_text_number(v, &x, &sc)) {
			nnum++;
			any_real |= v->kind == DP_V_REAL;
			any_text |= v->kind == DP_V_TEXT;
			if (v->kind == DP_V_REAL) {
				/* the decimals a REAL really has (1.5 -> 1), so that
				 * generated values are rounded alike; -1: no rounding */
				char rb[40];
				const char *dot;
				snprintf(rb, sizeof(rb), "%.15g", x);
				dot = strchr(rb, '.');
				sc = strchr(rb, 'e') ? 99 : dot ? (int)strlen(dot + 1) : 0;
				real_scale = sc > real_scale ? sc : real_scale;
			}
			if (sc > maxscale)
				maxscale = sc;
		}
		if (v->kind == DP_V_TEXT && dp_dt_parse(v->u.s, v->len, &f, &x)) {
			ndt++;
			if (!have_fmt) {
				fmt = f;
				have_fmt = 1;
			} else if (f.time != fmt.time || strcmp(f.suffix, fmt.suffix)) {
				dt_mixed = 1;
			} else if (f.frac > fmt.frac) {
				fmt.frac = f.frac;
			}
		}
	}
	if (k == DP_CK_AUTO) {
		int numeric_ok = nonnull && nnum == nonnull && !is_text_class(col->tclass);
		int dt_ok = nonnull && ndt == nonnull && !dt_mixed;
		if (col->tclass == DP_T_BOOL || col->tclass == DP_T_BLOB || col->tclass == DP_T_JSON)
			k = DP_CK_CATEGORICAL;
		else if ((col->tclass == DP_T_DATE || col->tclass == DP_T_TIMESTAMP || is_text_class(col->tclass)) &&
			 dt_ok && d.n > NUM_AS_CAT)
			k = DP_CK_DATETIME;
		else if (numeric_ok)
			k = d.n <= NUM_AS_CAT ? DP_CK_CATEGORICAL : DP_CK_NUMERIC;
		else if (d.n <= MAX_CAT && (d.n <= NUM_AS_CAT || d.n * 2 <= nonnull))
			k = DP_CK_CATEGORICAL;
		else
			k = DP_CK_TEXT;
	} else if (k == DP_CK_NUMERIC && nnum != nonnull) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s.kind: numeric, but some values "
			     "are not numbers", in->t->name, col->name);
		goto out;
	} else if (k == DP_CK_DATETIME && (ndt != nonnull || dt_mixed)) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s.kind: datetime, but some values "
			     "are not datetimes of one shape (YYYY-MM-DD[ HH:MM:SS])", in->t->name,
			     col->name);
		goto out;
	} else if (k == DP_CK_CATEGORICAL && d.n > MAX_CAT * 4) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "tables.%s.columns.%s.kind: categorical, but it has "
			     "more than %d distinct values", in->t->name, col->name, MAX_CAT * 4);
		goto out;
	}
	mc->kind = k;
	mc->distinct = d.n;
	if (k == DP_CK_CATEGORICAL) {
		dp_value nv;
		mc->code = malloc((n + 1) * sizeof(int32_t));
		mc->code_orig = malloc((n + 1) * sizeof(int32_t));
		if (!mc->code || !mc->code_orig) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		dp_value_set_null(&nv);
		for (size_t r = 0; r < n; r++) {
			const dp_value *v = &in->rows[r][ci];
			int32_t c = dp_dict_add(&d, v->kind == DP_V_NULL ? &nv : v);
			if (c < 0) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				goto out;
			}
			mc->code[r] = mc->code_orig[r] = c;
			mc->nul[r] = v->kind == DP_V_NULL;
		}
	} else if (k == DP_CK_NUMERIC || k == DP_CK_DATETIME) {
		mc->num = malloc((n + 1) * sizeof(double));
		mc->num_orig = malloc((n + 1) * sizeof(double));
		if (!mc->num || !mc->num_orig) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		mc->okind = k == DP_CK_DATETIME ? DP_V_TEXT : any_real ? DP_V_REAL : any_text ? DP_V_TEXT : DP_V_INT;
		mc->scale = any_real ? (real_scale <= 6 ? real_scale : -1) : maxscale;
		mc->dt = fmt;
		for (size_t r = 0; r < n; r++) {
			const dp_value *v = &in->rows[r][ci];
			double x = 0;
			int sc;
			dp_dtfmt f;
			mc->nul[r] = v->kind == DP_V_NULL;
			if (!mc->nul[r]) {
				if (k == DP_CK_DATETIME)
					dp_dt_parse(v->u.s, v->len, &f, &x);
				else
					dp_text_number(v, &x, &sc);
			}
			mc->num[r] = mc->num_orig[r] = x;
		}
	} else {   /* text */
		const dp_text_settings *ts = &m->st->text;
		mc->ngram = dp_ngram_new(ts->word_level, ts->ngram_order, ts->vocabulary_limit,
					 m->st->cutoff_length);
		if (!mc->ngram) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t r = 0; r < n; r++) {
			const dp_value *v = &in->rows[r][ci];
			char buf[64];
			mc->nul[r] = v->kind == DP_V_NULL;
			if (r >= ntr || mc->nul[r])
				continue;
			if (v->kind == DP_V_TEXT)
				rc = dp_ngram_add(mc->ngram, v->u.s, v->len);
			else
				rc = dp_ngram_add(mc->ngram, buf, dp_value_to_text(v, buf, sizeof(buf), NULL));
			if (rc) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				goto out;
			}
		}
		if (dp_ngram_finish(mc->ngram)) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		/* every real value of the sample: generation never gives one back */
		mc->seen = malloc((n + 1) * sizeof(*mc->seen));
		if (!mc->seen) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		mc->nseen = 0;
		for (size_t r = 0; r < n; r++) {
			const dp_value *v = &in->rows[r][ci];
			char buf[64];
			if (v->kind == DP_V_NULL)
				continue;
			if (v->kind == DP_V_TEXT || v->kind == DP_V_BLOB)
				mc->seen[mc->nseen++] = dp_hash64(v->u.s, v->len);
			else
				mc->seen[mc->nseen++] = dp_hash64(buf, dp_value_to_text(v, buf, sizeof(buf), NULL));
		}
		qsort(mc->seen, mc->nseen, sizeof(*mc->seen), cmp_fp);
	}
	{
		size_t nn = 0;
		for (size_t r = 0; r < ntr; r++)
			nn += mc->nul[r];
		mc->null_rate = ntr ? (double)nn / (double)ntr : 0;
	}
	if (k == DP_CK_CATEGORICAL) {
		/* the model keeps the dictionary: values by code, codes by value */
		mc->dict = malloc(sizeof(*mc->dict));
		if (!mc->dict) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		*mc->dict = d;
		memset(&d, 0, sizeof(d));
		mc->ncat = mc->dict->n;
		mc->cats = mc->dict->vals;
	}
out:
	dp_dict_free(&d, 1);
	return rc;
}

/* ---- privacy transforms ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int dp_prep_rare_categories(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb)
{
	int thr = m->st->cardinality_threshold;
	int32_t *map, best = 0, rep = -1;
	size_t ntr = m->ntrain;

	mc->catn = calloc(mc->ncat + 2, sizeof(int64_t));
	map = malloc((mc->ncat + 2) * sizeof(int32_t));
	if (!mc->catn || !map) {
		free(map);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t r = 0; r < ntr; r++)
		mc->catn[mc->code[r]]++;
	for (size_t c = 0; c < mc->ncat; c++) {
		map[c] = (int32_t)c;
		if (mc->catn[c] > mc->catn[best])
			best = (int32_t)c;
	}
	if (thr > 0 && !mc->exempt_rare) {
		for (size_t c = 0; c < mc->ncat; c++) {
			if (mc->catn[c] == 0 || mc->catn[c] >= thr || mc->cats[c].kind == DP_V_NULL)
				continue;
			if (rep < 0) {
				/* text columns get the replacement value, others the most
				 * frequent category (a '*' is no number or date) */
				const char *s = m->st->rare_category_replacement ? m->st->rare_category_replacement : "*";
				if (mc->cats[best].kind == DP_V_TEXT && is_text_class(mc->col->tclass) &&
				    (!mc->col->length || (int)strlen(s) <= mc->col->length)) {
					/* the replacement may be a real category already */
					dp_value rv = { .kind = DP_V_TEXT, .len = strlen(s), .u.s = s };
					rep = dp_dict_add(mc->dict, &rv);
					if (rep < 0) {
						free(map);
						return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
					}
					mc->ncat = mc->dict->n;
					mc->cats = mc->dict->vals;
				} else {
					rep = best;
				}
			}
			map[c] = rep;
			mc->nrare++;
		}
	}
	if (mc->nrare) {
		memset(mc->catn, 0, (mc->ncat + 1) * sizeof(int64_t));
		for (size_t r = 0; r < ntr; r++) {
			mc->code[r] = map[mc->code[r]];
			mc->catn[mc->code[r]]++;
		}
	}
	free(map);
	return DP_OK;
}

int dp_prep_clip_numeric(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb)
{
	size_t ntr = m->ntrain, nn = 0;
	int k = m->st->clip_threshold;
	double *v = malloc((ntr + 1) * sizeof(double)), s = 0, s2 = 0;

	if (!v)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t r = 0; r < ntr; r++)
		if (!mc->nul[r])
			v[nn++] = mc->num[r];
	qsort(v, nn, sizeof(double), cmp_double);
	mc->lo = nn ? v[0] : 0;
	mc->hi = nn ? v[nn - 1] : 0;
	if (k > 0 && nn > 2 * (size_t)k) {
		mc->lo = v[k - 1];
		mc->hi = v[nn - (size_t)k];
	}
	/* distinct values (for cardinality order) and point masses */
	mc->distinct = nn ? 1 : 0;
	for (size_t i = 0, run = 1; i < nn; i++, run++) {
		if (i + 1 < nn && v[i + 1] == v[i])
			continue;
		if (i + 1 < nn)
			mc->distinct++;
		if ((double)run >= 0.01 * (double)nn && run >= 5 && mc->nspikes < 16)
			mc->spikes[mc->nspikes++] = v[i];
		run = 0;
	}
	for (size_t r = 0; r < ntr; r++) {
		if (mc->nul[r])
			continue;
		if (mc->num[r] < mc->lo) {
			mc->num[r] = mc->lo;
			mc->nclipped++;
		} else if (mc->num[r] > mc->hi) {
			mc->num[r] = mc->hi;
			mc->nclipped++;
		}
		s += mc->num[r];
		s2 += mc->num[r] * mc->num[r];
	}
	mc->sd = nn > 1 && s2 / (double)nn - (s / (double)nn) * (s / (double)nn) > 0 ?
		 sqrt(s2 / (double)nn - (s / (double)nn) * (s / (double)nn)) : 0;
	/* the spread noise is measured in: robust (IQR / 1.349) where the
	 * standard deviation is inflated by a long tail */
	if (nn >= 4) {
		double iqr = (v[nn * 3 / 4] - v[nn / 4]) / 1.349;
		if (iqr > 0 && iqr < mc->sd)
			mc->sd = iqr;
	}
	free(v);
	return DP_OK;
}

typedef struct vrow { double v; uint32_t r; } vrow;

static int cmp_vrow(const void *a, const void *b)
{
	const vrow *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r;
}

int dp_prep_ranks(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb)
{
	size_t ntr = m->ntrain, nn = 0;
	vrow *vr = malloc((ntr + 1) * sizeof(vrow));

	mc->rank = calloc(ntr + 1, sizeof(double));
	mc->qv = malloc((ntr + 1) * sizeof(double));
	if (!vr || !mc->rank || !mc->qv) {
		free(vr);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t r = 0; r < ntr; r++)
		if (!mc->nul[r]) {
			vr[nn].v = mc->num[r];
			vr[nn++].r = (uint32_t)r;
		}
	qsort(vr, nn, sizeof(vrow), cmp_vrow);
	mc->nnonnull = nn;
	mc->nqv = 0;
	for (size_t i = 0, j; i < nn; i = j) {
		int spike = 0;
		for (j = i; j < nn && vr[j].v == vr[i].v; j++)
			;
		/* ties share their mid-rank */
		double u = nn > 1 ? ((double)(i + j - 1) / 2.0) / (double)(nn - 1) : 0.5;
		for (size_t q = i; q < j; q++)
			mc->rank[vr[q].r] = u;
		for (int q = 0; q < mc->nspikes && !spike; q++)
			spike = mc->spikes[q] == vr[i].v;
		if (!spike)
			for (size_t q = i; q < j; q++)
				mc->qv[mc->nqv++] = vr[q].v;
	}
	free(vr);
	return DP_OK;
}

/* default_sample_noise_ratio: that share of training rows is perturbed:
 * numbers and dates move by a normal step of a quarter of the column's
 * spread, categories are redrawn from the column's distribution with
 * probability one half. */
void dp_prep_sample_noise(dp_tmodel *m, dp_rng *rng, size_t *nperturbed)
{
	size_t ntr = m->ntrain;
	size_t want = (size_t)llround(m->st->sample_noise_ratio * (double)ntr);

	*nperturbed = 0;
	for (size_t r = 0; r < ntr && want; r++) {
		/* selection sampling: exactly `want` rows, uniformly */
		if (dp_rng_below(rng, ntr - r) >= want)
			continue;
		want--;
		(*nperturbed)++;
		for (size_t c = 0; c < m->ncols; c++) {
			dp_mcol *mc = &m->cols[c];
			if (mc->kind == DP_CK_CATEGORICAL && !mc->exempt_rare) {
				if (dp_rng_below(rng, 2))
					mc->code[r] = mc->code[dp_rng_below(rng, ntr)];
			} else if ((mc->kind == DP_CK_NUMERIC || mc->kind == DP_CK_DATETIME) && !mc->nul[r]) {
				double x = mc->num[r] + dp_rng_normal(rng) * 0.25 * mc->sd;
				mc->num[r] = x < mc->lo ? mc->lo : x > mc->hi ? mc->hi : x;
			}
		}
	}
}

/* ---- bins ---- */

static int bin_of(const dp_mcol *mc, double x)
{
	int lo = 0, hi = mc->nbins - 2;   /* number of edges */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (mc->edges[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1 + lo;
}

int dp_mcol_bin_num(const dp_mcol *mc, double x)
{
	return bin_of(mc, x);
}

static int cmp_code_count(const void *a, const void *b, void *arg)
{
	const int64_t *n = arg;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	if (n[x] != n[y])
		return n[x] > n[y] ? -1 : 1;
	return x < y ? -1 : 1;
}

int dp_prep_make_bins(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb)
{
	size_t ntr = m->ntrain, n = m->ntrain + m->nhold;
	uint8_t *fb = malloc(n + 1);

	if (!fb)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	m->fbin[mc->feat] = fb;
	if (mc->kind == DP_CK_CATEGORICAL) {
		int32_t *ord = malloc((mc->ncat + 1) * sizeof(int32_t));
		mc->cat_bin = malloc((mc->ncat + 1) * sizeof(int32_t));
		if (!ord || !mc->cat_bin) {
			free(ord);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		for (size_t c = 0; c < mc->ncat; c++)
			ord[c] = (int32_t)c;
		qsort_r(ord, mc->ncat, sizeof(int32_t), cmp_code_count, mc->catn);
		mc->nbins = mc->ncat < MAX_CAT_BINS ? (int)mc->ncat : MAX_CAT_BINS;
		if (mc->nbins < 1)
			mc->nbins = 1;
		for (size_t i = 0; i < mc->ncat; i++)
			mc->cat_bin[ord[i]] = i < (size_t)mc->nbins ? (int32_t)i : mc->nbins - 1;
		free(ord);
		for (size_t r = 0; r < n; r++)
			fb[r] = (uint8_t)mc->cat_bin[r < ntr ? mc->code[r] : mc->code_orig[r]];
		m->ordered[mc->feat] = 0;
	} else {
		double *v = malloc((ntr + 1) * sizeof(double));
		size_t nn = 0, ne = 0;
		if (!v)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		mc->edges = malloc((NUM_BINS + 1) * sizeof(double));
		if (!mc->edges) {
			free(v);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		for (size_t r = 0; r < ntr; r++)
			if (!mc->nul[r])
				v[nn++] = mc->num[r];
		qsort(v, nn, sizeof(double), cmp_double);
		for (int b = 1; b < NUM_BINS && nn; b++) {
			double e = v[(size_t)((double)b / NUM_BINS * (double)(nn - 1) + 0.5)];
			if ((ne == 0 || e > mc->edges[ne - 1]) && e > v[0])
				mc->edges[ne++] = e;
		}
		free(v);
		mc->nbins = (int)ne + 2;
		for (size_t r = 0; r < n; r++)
			fb[r] = mc->nul[r] ? 0 : (uint8_t)bin_of(mc, r < ntr ? mc->num[r] : mc->num_orig[r]);
		m->ordered[mc->feat] = 1;
	}
	m->nbins[mc->feat] = mc->nbins;
	return DP_OK;
}
