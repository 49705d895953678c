/* engine/models/report.c - quality & privacy report (see report.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../base/dp_log.h"
#include "report.h"
#include "../../base/dp_buf.h"

#define DCR_MAX_SYNTH 4000
#define DCR_MAX_REAL 3000
#define PAIR_BINS 10
#define PAIR_CATS 20

int dp_ssample_init(dp_ssample *s, const dp_tmodel *m, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->cap = cap;
	s->ncols = m->ncols;
	s->code = calloc(m->ncols + 1, sizeof(*s->code));
	s->num = calloc(m->ncols + 1, sizeof(*s->num));
	s->nul = calloc(m->ncols + 1, sizeof(*s->nul));
	if (!s->code || !s->num || !s->nul)
		goto nomem;
	for (size_t c = 0; c < m->ncols; c++) {
		dp_ckind k = m->cols[c].kind;
		if (k == DP_CK_CATEGORICAL && !(s->code[c] = malloc((cap + 1) * sizeof(int32_t))))
			goto nomem;
		if ((k == DP_CK_NUMERIC || k == DP_CK_DATETIME) && !(s->num[c] = malloc((cap + 1) * sizeof(double))))
			goto nomem;
		if (k != DP_CK_EXTERNAL && !(s->nul[c] = malloc(cap + 1)))
			goto nomem;
	}
	if (m->parent) {
		s->capparents = cap;
		if (!(s->children = calloc(cap + 1, sizeof(uint32_t))))
			goto nomem;
	}
	return DP_OK;
nomem:
	dp_ssample_free(s);
	return DP_ERR_NOMEM;
}

void dp_ssample_put(dp_ssample *s, size_t i, const dp_tmodel *m, const dp_grow *g)
{
	if (i >= s->cap)
		return;
	for (size_t c = 0; c < s->ncols; c++) {
		if (s->code[c])
			s->code[c][i] = g->code[c];
		if (s->num[c])
			s->num[c][i] = g->num[c];
		if (s->nul[c])
			s->nul[c][i] = g->nul[c];
	}
	(void)m;
	/* rows are put from several threads at distinct indexes; n is only read
	 * after they joined */
	if (i + 1 > s->n)
		s->n = i + 1;
}

void dp_ssample_children(dp_ssample *s, size_t i, uint32_t n)
{
	if (i >= s->capparents)
		return;
	s->children[i] = n;
	if (i + 1 > s->nparents)
		s->nparents = i + 1;
}

void dp_ssample_free(dp_ssample *s)
{
	for (size_t c = 0; c < s->ncols; c++) {
		if (s->code)
			free(s->code[c]);
		if (s->num)
			free(s->num[c]);
		if (s->nul)
			free(s->nul[c]);
	}
	free(s->code);
	free(s->num);
	free(s->nul);
	free(s->children);
	memset(s, 0, sizeof(*s));
}

/* ---- report ---- */

static void html_esc(dp_buf *h, const char *s, size_t n);

struct dp_report {
	int64_t seed;
	int nthreads;
	cJSON *tables;
	dp_buf html;
	int failed;
};

dp_report *dp_report_new(int64_t seed)
{
	dp_report *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->seed = seed;
	r->nthreads = 1;
	r->tables = cJSON_CreateArray();
	if (!r->tables) {
		free(r);
		return NULL;
	}
	return r;
}

void dp_report_free(dp_report *r)
{
	if (!r)
		return;
	cJSON_Delete(r->tables);
	dp_buf_free(&r->html);
	free(r);
}

void dp_report_set_threads(dp_report *r, int n)
{
	r->nthreads = n < 1 ? 1 : n > 64 ? 64 : n;
}

size_t dp_report_ntables(const dp_report *r)
{
	return (size_t)cJSON_GetArraySize(r->tables);
}

int dp_report_add_unmodelled(dp_report *r, const char *table, int64_t rows_written, const char *why)
{
	cJSON *t = cJSON_CreateObject();
	if (!t)
		return DP_ERR_NOMEM;
	cJSON_AddItemToArray(r->tables, t);
	cJSON_AddStringToObject(t, "table", table);
	cJSON_AddNumberToObject(t, "synthetic_rows", (double)rows_written);
	cJSON_AddStringToObject(t, "not_modelled", why);
	(void)!dp_buf_puts(&r->html, "<section><h2>");
	html_esc(&r->html, table, strlen(table));
	(void)!dp_buf_puts(&r->html, "</h2><p>Not modelled: ");
	html_esc(&r->html, why, strlen(why));
	(void)!dp_buf_puts(&r->html, "</p></section>");
	return DP_OK;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* two-sample KS statistic of sorted arrays */
static double ks(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double d = 0;
	if (!na || !nb)
		return na == nb ? 0 : 1;
	while (i < na && j < nb) {
		double x = a[i] < b[j] ? a[i] : b[j];
		while (i < na && a[i] <= x)
			i++;
		while (j < nb && b[j] <= x)
			j++;
		double diff = fabs((double)i / (double)na - (double)j / (double)nb);
		if (diff > d)
			d = diff;
	}
	return d;
}

static size_t collect(const double *v, const uint8_t *nul, size_t from, size_t to, double *out)
{
	size_t n = 0;
	for (size_t r = from; r < to; r++)
		if (!nul[r])
			out[n++] = v[r];
	qsort(out, n, sizeof(double), cmp_d);
	return n;
}

static void html_esc(dp_buf *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;" :
				s[i] == '"' ? "&quot;" : NULL;
		if (e ? dp_buf_puts(h, e) : dp_buf_append(h, &s[i], 1))
			return;
	}
}

static void label_of(const dp_value *v, char *buf, size_t sz)
{
	int isnull = 0;
	size_t n = dp_value_to_text(v, buf, sz, &isnull);
	if (isnull)
		snprintf(buf, sz, "(null)");
	else if (n > 40)
		memcpy(buf + 37, "...", 4);
}

/* A bar chart of two distributions (real, synthetic) over k labels. */
static void svg_bars(dp_buf *h, const char *const *labels, const double *real, const double *syn, int k)
{
	double mx = 1e-12;
	int w = 36, H = 120;
	for (int i = 0; i < k; i++) {
		if (real[i] > mx) mx = real[i];
		if (syn[i] > mx) mx = syn[i];
	}
	(void)!dp_buf_printf(h, "<svg width=\"%d\" height=\"%d\" role=\"img\">", k * w + 10, H + 70);
	for (int i = 0; i < k; i++) {
		double hr = real[i] / mx * H, hs = syn[i] / mx * H;
		(void)!dp_buf_printf(h, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"#4c78a8\"><title>real %.3f</title></rect>"
				     "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"#f58518\"><title>synthetic %.3f</title></rect>",
				     5 + i * w, H - hr, hr, real[i], 5 + i * w + 15, H - hs, hs, syn[i]);
		if (labels && labels[i]) {
			(void)!dp_buf_printf(h, "<text x=\"%d\" y=\"%d\" font-size=\"9\" transform=\"rotate(45 %d %d)\">",
					     5 + i * w, H + 12, 5 + i * w, H + 12);
			html_esc(h, labels[i], strlen(labels[i]) > 14 ? 14 : strlen(labels[i]));
			(void)!dp_buf_puts(h, "</text>");
		}
	}
	(void)!dp_buf_puts(h, "</svg>");
}

typedef struct pairvar {
	int numeric;
	int nb;                  /* bins (categorical: codes kept + other + null) */
	double edges[PAIR_BINS];
	int32_t *topbin;         /* categorical: code -> bin */
} pairvar;

static int pair_bin_real(const dp_mcol *mc, const pairvar *pv, size_t r)
{
	if (mc->kind == DP_CK_CATEGORICAL)
		return pv->topbin[mc->code_orig[r]];
	if (mc->nul[r])
		return pv->nb - 1;
	int b = 0;
	while (b < PAIR_BINS - 1 && mc->num_orig[r] > pv->edges[b])
		b++;
	return b;
}

static int pair_bin_syn(const dp_mcol *mc, const pairvar *pv, const dp_ssample *s, size_t i)
{
	size_t c = mc->ci;
	if (mc->kind == DP_CK_CATEGORICAL)
		return pv->topbin[s->code[c][i]];
	if (s->nul[c][i])
		return pv->nb - 1;
	int b = 0;
	while (b < PAIR_BINS - 1 && s->num[c][i] > pv->edges[b])
		b++;
	return b;
}

static double pearson(const double *x, const uint8_t *xn, const double *y, const uint8_t *yn, size_t n)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
	for (size_t r = 0; r < n; r++) {
		if (xn[r] || yn[r])
			continue;
		sx += x[r]; sy += y[r]; sxx += x[r] * x[r]; syy += y[r] * y[r]; sxy += x[r] * y[r];
		m += 1;
	}
	if (m < 2)
		return 0;
	double vx = sxx / m - (sx / m) * (sx / m), vy = syy / m - (sy / m) * (sy / m);
	if (vx <= 0 || vy <= 0)
		return 0;
	return (sxy / m - sx / m * sy / m) / sqrt(vx * vy);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t mix(uint64_t hv, uint64_t x)
{
	hv = (hv ^ x) * 1099511628211ull;
	return hv ^ (hv >> 31);
}

/* hash of a row's modelled values (exact match test) */
static uint64_t real_hash(const dp_tmodel *m, size_t r)
{
	uint64_t hv = 1469598103934665603ull, x;
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		if (mc->kind == DP_CK_CATEGORICAL)
			x = (uint64_t)mc->code_orig[r];
		else if (mc->nul[r])
			x = 0x9e3779b97f4a7c15ull;
		else
			memcpy(&x, &mc->num_orig[r], sizeof(x));
		hv = mix(hv, x);
	}
	return hv;
}

static uint64_t syn_hash(const dp_tmodel *m, const dp_ssample *s, size_t i)
{
	uint64_t hv = 1469598103934665603ull, x;
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t c = mc->ci;
		if (mc->kind == DP_CK_CATEGORICAL)
			x = (uint64_t)s->code[c][i];
		else if (s->nul[c][i])
			x = 0x9e3779b97f4a7c15ull;
		else
			memcpy(&x, &s->num[c][i], sizeof(x));
		hv = mix(hv, x);
	}
	return hv;
}

/* distance between a synthetic row and a real row, both encoded */
static double row_dist(const dp_tmodel *m, const dp_ssample *s, size_t i, size_t r, const double *range)
{
	double d = 0;
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t c = mc->ci;
		if (mc->kind == DP_CK_CATEGORICAL) {
			d += s->code[c][i] != mc->code_orig[r];
		} else {
			int a = s->nul[c][i], b = mc->nul[r];
			if (a || b)
				d += a != b;
			else {
				double x = fabs(s->num[c][i] - mc->num_orig[r]) / range[c];
				d += x < 1 ? x : 1;
			}
		}
	}
	return d;
}

/* DCR over a range of the synthetic sample (one thread). */
typedef struct dcr_job {
	const dp_tmodel *m;
	const dp_ssample *s;
	const size_t *tr;
	size_t nr, nsy, ns;
	const double *range;
	size_t from, to;
	double closer;
} dcr_job;

static void *dcr_main(void *arg)
{
	dcr_job *dj = arg;
	const dp_tmodel *m = dj->m;
	size_t ntr = m->ntrain, nh = m->nhold;

	for (size_t i = dj->from; i < dj->to; i++) {
		size_t si = (size_t)((double)i * (double)dj->ns / (double)dj->nsy);
		double dt = 1e300, dh = 1e300;
		for (size_t q = 0; q < dj->nr; q++) {
			double d1 = row_dist(m, dj->s, si, dj->tr[q], dj->range);
			double d2 = row_dist(m, dj->s, si, ntr + (size_t)((double)q * (double)nh / (double)dj->nr), dj->range);
			if (d1 < dt) dt = d1;
			if (d2 < dh) dh = d2;
		}
		dj->closer += dt < dh ? 1 : dt == dh ? 0.5 : 0;
	}
	return NULL;
}

int dp_report_add(dp_report *rep, const dp_tmodel *m, const dp_ssample *s, int64_t rows_written,
		  double train_s, double gen_s, dp_report_scores *out, dp_errbuf *eb)
{
	size_t ntr = m->ntrain, ns = s->n;
	cJSON *t = cJSON_CreateObject(), *cols = cJSON_CreateArray(), *pairs = cJSON_CreateArray();
	double *a = malloc((ntr + m->nhold + 1) * sizeof(double)), *b = malloc((ns + 1) * sizeof(double));
	double *range = calloc(m->ncols + 1, sizeof(double));
	pairvar *pv = calloc(m->ncols + 1, sizeof(pairvar));
	double shapes = 0, pairsum = 0;
	int nshape = 0, npair = 0, rc = DP_OK;
	dp_buf *h = &rep->html;

	memset(out, 0, sizeof(*out));
	out->children_ks = -1;
	out->dcr_share = -1;
	if (!t || !cols || !pairs || !a || !b || !range || !pv) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
		goto out;
	}
	cJSON_AddItemToArray(rep->tables, t);
	cJSON_AddStringToObject(t, "table", m->t->name);
	cJSON_AddNumberToObject(t, "training_rows", (double)ntr);
	cJSON_AddNumberToObject(t, "holdout_rows", (double)m->nhold);
	cJSON_AddNumberToObject(t, "synthetic_rows", (double)rows_written);
	cJSON_AddNumberToObject(t, "synthetic_rows_scored", (double)ns);
	cJSON_AddNumberToObject(t, "training_seconds", train_s);
	cJSON_AddNumberToObject(t, "generation_seconds", gen_s);
	cJSON_AddStringToObject(t, "model", m->log);
	{
		cJSON *ord = cJSON_AddArrayToObject(t, "column_order");
		for (size_t oi = 0; oi < m->norder; oi++) {
			const dp_mcol *mc = &m->cols[m->order[oi]];
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "column", mc->col->name);
			cJSON_AddStringToObject(e, "kind", dp_ckind_name(mc->kind));
			cJSON_AddNumberToObject(e, "predictors", mc->npreds);
			cJSON_AddNumberToObject(e, "leaves", (double)dp_tree_nleaves(mc->tree));
			cJSON_AddNumberToObject(e, "rare_categories_replaced", (double)mc->nrare);
			cJSON_AddNumberToObject(e, "values_clipped", (double)mc->nclipped);
			cJSON_AddItemToArray(ord, e);
		}
		for (size_t c = 0; c < m->ncols; c++)
			if (m->cols[c].kind == DP_CK_TEXT) {
				cJSON *e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "column", m->cols[c].col->name);
				cJSON_AddStringToObject(e, "kind", "text");
				cJSON_AddNumberToObject(e, "vocabulary", (double)dp_ngram_vocab(m->cols[c].ngram));
				cJSON_AddItemToArray(ord, e);
			}
		if (m->parent) {
			cJSON *sq = cJSON_AddObjectToObject(t, "sequence_model");
			cJSON_AddStringToObject(sq, "parent", m->parent->t->name);
			cJSON_AddNumberToObject(sq, "end_of_sequence_token", (double)m->eos_token);
			cJSON_AddNumberToObject(sq, "max_length", m->max_len);
			cJSON_AddNumberToObject(sq, "training_steps", (double)m->nsteps);
		}
	}
	(void)!dp_buf_printf(h, "<section><h2>");
	html_esc(h, m->t->name, strlen(m->t->name));
	(void)!dp_buf_printf(h, "</h2><p>%zu training rows, %zu holdout rows, %lld synthetic rows "
			     "(%zu scored); training %.2f s, generation %.2f s.</p><p>",
			     ntr, m->nhold, (long long)rows_written, ns, train_s, gen_s);
	html_esc(h, m->log, strlen(m->log));
	(void)!dp_buf_puts(h, "</p><div class=\"cols\">");

	/* column shapes */
	for (size_t oi = 0; oi < m->norder && ns && ntr; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t c = mc->ci;
		cJSON *jc = cJSON_CreateObject();
		double score;
		cJSON_AddItemToArray(cols, jc);
		cJSON_AddStringToObject(jc, "column", mc->col->name);
		cJSON_AddStringToObject(jc, "kind", dp_ckind_name(mc->kind));
		(void)!dp_buf_puts(h, "<figure><figcaption>");
		html_esc(h, mc->col->name, strlen(mc->col->name));
		if (mc->kind == DP_CK_CATEGORICAL) {
			double *pr = calloc(mc->ncat + 1, sizeof(double)), *ps = calloc(mc->ncat + 1, sizeof(double));
			double tvd = 0;
			if (!pr || !ps) {
				free(pr);
				free(ps);
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
				goto out;
			}
			for (size_t r = 0; r < ntr; r++)
				pr[mc->code_orig[r]] += 1.0 / (double)ntr;
			for (size_t i = 0; i < ns; i++)
				ps[s->code[c][i]] += 1.0 / (double)ns;
			/* code ncat: values outside the training categories (doppel report) */
			for (size_t k = 0; k <= mc->ncat; k++)
				tvd += fabs(pr[k] - ps[k]);
			score = 1 - tvd / 2;
			cJSON_AddStringToObject(jc, "metric", "TVComplement");
			/* chart: the 12 most frequent real categories */
			{
				int top[12], nt = 0;
				const char *labels[12];
				char lb[12][64];
				double rr[12], ss[12];
				for (int q = 0; q < 12; q++) {
					int best = -1;
					for (size_t k = 0; k < mc->ncat; k++) {
						int used = 0;
						for (int z = 0; z < nt; z++)
							used |= top[z] == (int)k;
						if (!used && (pr[k] > 0 || ps[k] > 0) &&
						    (best < 0 || pr[k] + ps[k] > pr[best] + ps[best]))
							best = (int)k;
					}
					if (best < 0)
						break;
					top[nt] = best;
					label_of(&mc->cats[best], lb[nt], sizeof(lb[nt]));
					labels[nt] = lb[nt];
					rr[nt] = pr[best];
					ss[nt] = ps[best];
					nt++;
				}
				(void)!dp_buf_printf(h, " - categorical, 1 - TVD = %.3f</figcaption>", score);
				svg_bars(h, labels, rr, ss, nt);
				cJSON *dist = cJSON_AddArrayToObject(jc, "distribution");
				for (int z = 0; z < nt; z++) {
					cJSON *e = cJSON_CreateObject();
					cJSON_AddStringToObject(e, "value", labels[z]);
					cJSON_AddNumberToObject(e, "real", rr[z]);
					cJSON_AddNumberToObject(e, "synthetic", ss[z]);
					cJSON_AddItemToArray(dist, e);
				}
			}
			/* pair variable: the most frequent categories, the rest together */
			pv[c].numeric = 0;
			pv[c].topbin = malloc((mc->ncat + 1) * sizeof(int32_t));
			if (!pv[c].topbin) {
				free(pr);
				free(ps);
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
				goto out;
			}
			{
				int nb = 0;
				for (size_t k = 0; k <= mc->ncat; k++)
					pv[c].topbin[k] = -1;
				for (int q = 0; q < PAIR_CATS && q < (int)mc->ncat; q++) {
					int best = -1;
					for (size_t k = 0; k < mc->ncat; k++)
						if (pv[c].topbin[k] < 0 && (best < 0 || pr[k] > pr[best]))
							best = (int)k;
					pv[c].topbin[best] = nb++;
				}
				for (size_t k = 0; k <= mc->ncat; k++)
					if (pv[c].topbin[k] < 0)
						pv[c].topbin[k] = nb;
				pv[c].nb = nb + 1;
			}
			free(pr);
			free(ps);
		} else {
			size_t na = collect(mc->num_orig, mc->nul, 0, ntr, a);
			size_t nb = collect(s->num[c], s->nul[c], 0, ns, b);
			double d = ks(a, na, b, nb), lo = na ? a[0] : 0, hi = na ? a[na - 1] : 1;
			score = 1 - d;
			cJSON_AddStringToObject(jc, "metric", "KSComplement");
			range[c] = hi > lo ? hi - lo : 1;
			pv[c].numeric = 1;
			pv[c].nb = PAIR_BINS + 1;
			for (int q = 0; q < PAIR_BINS; q++)
				pv[c].edges[q] = na ? a[(size_t)((double)(q + 1) / PAIR_BINS * (double)(na - 1))] : 0;
			/* chart: 20-bin histograms over the real range */
			{
				double rr[20] = {0}, ss[20] = {0};
				const char *labels[20];
				char lb[20][64];
				for (size_t i = 0; i < na; i++) {
					int k = (int)((a[i] - lo) / (hi - lo + 1e-300) * 20);
					rr[k < 0 ? 0 : k > 19 ? 19 : k] += 1.0 / (double)na;
				}
				for (size_t i = 0; i < nb; i++) {
					int k = (int)((b[i] - lo) / (hi - lo + 1e-300) * 20);
					ss[k < 0 ? 0 : k > 19 ? 19 : k] += 1.0 / (double)(nb ? nb : 1);
				}
				for (int k = 0; k < 20; k++) {
					double x = lo + (hi - lo) * k / 20;
					if (mc->kind == DP_CK_DATETIME)
						dp_dt_format(x, &(dp_dtfmt){0, 0, ' ', ""}, lb[k], sizeof(lb[k]));
					else
						snprintf(lb[k], sizeof(lb[k]), "%.4g", x);
					labels[k] = k % 4 == 0 ? lb[k] : NULL;
				}
				(void)!dp_buf_printf(h, " - %s, 1 - KS = %.3f</figcaption>", dp_ckind_name(mc->kind), score);
				svg_bars(h, labels, rr, ss, 20);
				cJSON_AddNumberToObject(jc, "real_min", lo);
				cJSON_AddNumberToObject(jc, "real_max", hi);
			}
		}
		(void)!dp_buf_puts(h, "</figure>");
		cJSON_AddNumberToObject(jc, "score", score);
		shapes += score;
		nshape++;
	}
	(void)!dp_buf_puts(h, "</div>");

	/* column pair trends */
	for (size_t i1 = 0; i1 < m->norder && ns && ntr; i1++)
		for (size_t i2 = i1 + 1; i2 < m->norder; i2++) {
			const dp_mcol *x = &m->cols[m->order[i1]], *y = &m->cols[m->order[i2]];
			double score;
			const char *metric;
			if (pv[x->ci].numeric && pv[y->ci].numeric) {
				double cr = pearson(x->num_orig, x->nul, y->num_orig, y->nul, ntr);
				double cs = pearson(s->num[x->ci], s->nul[x->ci], s->num[y->ci], s->nul[y->ci], ns);
				score = 1 - fabs(cr - cs) / 2;
				metric = "CorrelationSimilarity";
			} else {
				int nx = pv[x->ci].nb, ny = pv[y->ci].nb;
				double *jr = calloc((size_t)nx * (size_t)ny, sizeof(double));
				double *js = calloc((size_t)nx * (size_t)ny, sizeof(double)), tvd = 0;
				if (!jr || !js) {
					free(jr);
					free(js);
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
					goto out;
				}
				for (size_t r = 0; r < ntr; r++)
					jr[pair_bin_real(x, &pv[x->ci], r) * ny + pair_bin_real(y, &pv[y->ci], r)] += 1.0 / (double)ntr;
				for (size_t i = 0; i < ns; i++)
					js[pair_bin_syn(x, &pv[x->ci], s, i) * ny + pair_bin_syn(y, &pv[y->ci], s, i)] += 1.0 / (double)ns;
				for (int q = 0; q < nx * ny; q++)
					tvd += fabs(jr[q] - js[q]);
				free(jr);
				free(js);
				score = 1 - tvd / 2;
				metric = "ContingencySimilarity";
			}
			cJSON *jp = cJSON_CreateObject();
			cJSON *names = cJSON_AddArrayToObject(jp, "columns");
			cJSON_AddItemToArray(names, cJSON_CreateString(x->col->name));
			cJSON_AddItemToArray(names, cJSON_CreateString(y->col->name));
			cJSON_AddStringToObject(jp, "metric", metric);
			cJSON_AddNumberToObject(jp, "score", score);
			cJSON_AddItemToArray(pairs, jp);
			pairsum += score;
			npair++;
		}
	/* the pairs that kept their relationship least, worst first */
	if (npair) {
		const cJSON *pa[10] = {NULL};
		const cJSON *it;
		int np = 0;
		cJSON_ArrayForEach(it, pairs) {
			double sc = cJSON_GetObjectItem(it, "score")->valuedouble;
			int pos = np;
			while (pos > 0 && cJSON_GetObjectItem(pa[pos - 1], "score")->valuedouble > sc)
				pos--;
			if (pos >= 10)
				continue;
			if (np < 10)
				np++;
			memmove(&pa[pos + 1], &pa[pos], (size_t)(np - 1 - pos) * sizeof(pa[0]));
			pa[pos] = it;
		}
		(void)!dp_buf_puts(h, "<table><caption>Column pairs that kept their relationship least</caption>"
				   "<tr><th>columns</th><th>metric</th><th>score</th></tr>");
		for (int q = 0; q < np; q++) {
			const cJSON *cols2 = cJSON_GetObjectItem(pa[q], "columns");
			const char *c1 = cJSON_GetArrayItem(cols2, 0)->valuestring;
			const char *c2 = cJSON_GetArrayItem(cols2, 1)->valuestring;
			(void)!dp_buf_puts(h, "<tr><td>");
			html_esc(h, c1, strlen(c1));
			(void)!dp_buf_puts(h, " &times; ");
			html_esc(h, c2, strlen(c2));
			(void)!dp_buf_printf(h, "</td><td>%s</td><td>%.3f</td></tr>",
					     cJSON_GetObjectItem(pa[q], "metric")->valuestring,
					     cJSON_GetObjectItem(pa[q], "score")->valuedouble);
		}
		(void)!dp_buf_puts(h, "</table>");
	}
	out->shapes = nshape ? shapes / nshape : -1;
	out->pairs = npair ? pairsum / npair : -1;
	out->quality = nshape ? (npair ? (out->shapes + out->pairs) / 2 : out->shapes) : -1;

	/* children per parent */
	if (m->parent && s->nparents) {
		size_t np = m->parent->ntrain, k = 0;
		double *ca = malloc((np + 1) * sizeof(double)), *cb = malloc((s->nparents + 1) * sizeof(double));
		if (!ca || !cb) {
			free(ca);
			free(cb);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
			goto out;
		}
		for (size_t q = 0; q < np; q++)
			ca[k++] = m->nchildren[q];
		for (size_t q = 0; q < s->nparents; q++)
			cb[q] = s->children[q];
		qsort(ca, k, sizeof(double), cmp_d);
		qsort(cb, s->nparents, sizeof(double), cmp_d);
		out->children_ks = 1 - ks(ca, k, cb, s->nparents);
		cJSON *jc = cJSON_AddObjectToObject(t, "children_per_parent");
		cJSON_AddStringToObject(jc, "parent", m->parent->t->name);
		cJSON_AddNumberToObject(jc, "score", out->children_ks);
		cJSON_AddStringToObject(jc, "metric", "KSComplement");
		cJSON_AddNumberToObject(jc, "real_mean", k ? ca[k / 2] : 0);
		cJSON_AddNumberToObject(jc, "synthetic_median", s->nparents ? cb[s->nparents / 2] : 0);
		{
			double rr[12] = {0}, ss[12] = {0};
			const char *labels[12];
			char lb[12][8];
			for (size_t q = 0; q < k; q++)
				rr[ca[q] < 11 ? (int)ca[q] : 11] += 1.0 / (double)k;
			for (size_t q = 0; q < s->nparents; q++)
				ss[cb[q] < 11 ? (int)cb[q] : 11] += 1.0 / (double)s->nparents;
			for (int q = 0; q < 12; q++) {
				snprintf(lb[q], sizeof(lb[q]), q < 11 ? "%d" : "%d+", q);
				labels[q] = lb[q];
			}
			(void)!dp_buf_printf(h, "<figure><figcaption>children per %s row, 1 - KS = %.3f</figcaption>",
					     m->parent->t->name, out->children_ks);
			svg_bars(h, labels, rr, ss, 12);
			(void)!dp_buf_puts(h, "</figure>");
		}
		free(ca);
		free(cb);
	}

	/* privacy: identical rows and DCR */
	if (ns && ntr && m->norder) {
		size_t nh = m->nhold, same = 0, sameh = 0;
		/* exact matches via a sort of row hashes */
		uint64_t *hs = malloc((ntr + 1) * sizeof(uint64_t));
		if (!hs) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
			goto out;
		}
		for (size_t r = 0; r < ntr + nh; r++) {
			uint64_t hv = real_hash(m, r);
			if (r < ntr) {
				hs[r] = hv;
				if (r + 1 == ntr)
					qsort(hs, ntr, sizeof(uint64_t), cmp_u64);
			} else {
				sameh += bsearch(&hv, hs, ntr, sizeof(uint64_t), cmp_u64) != NULL;
			}
		}
		for (size_t i = 0; i < ns; i++) {
			uint64_t hv = syn_hash(m, s, i);
			same += bsearch(&hv, hs, ntr, sizeof(uint64_t), cmp_u64) != NULL;
		}
		free(hs);
		out->identical = (double)same / (double)ns;
		out->identical_holdout = nh ? (double)sameh / (double)nh : 0;
		out->nholdout = nh;
		cJSON *jp = cJSON_AddObjectToObject(t, "privacy");
		cJSON_AddNumberToObject(jp, "identical_to_training_share", out->identical);
		cJSON_AddNumberToObject(jp, "holdout_identical_to_training_share", out->identical_holdout);
		if (nh >= 10) {
			size_t nr = nh < DCR_MAX_REAL ? nh : DCR_MAX_REAL;
			size_t nsy = ns < DCR_MAX_SYNTH ? ns : DCR_MAX_SYNTH;
			size_t *tr = malloc((nr + 1) * sizeof(size_t));
			double closer = 0;
			dp_rng rng;
			if (!tr) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
				goto out;
			}
			/* a training sample of the holdout's size (uniform, seeded) */
			dp_rng_seed_u64(&rng, (uint64_t)rep->seed ^ 0xdc5ull);
			for (size_t q = 0, want = nr; q < ntr && want; q++)
				if (dp_rng_below(&rng, ntr - q) < want)
					tr[nr - want--] = q;
			{
				dcr_job dj[64];
				pthread_t th[64];
				int nt = rep->nthreads, started = 0;
				for (int w = 0; w < nt; w++) {
					dj[w] = (dcr_job){m, s, tr, nr, nsy, ns, range, (size_t)w * nsy / (size_t)nt,
							  (size_t)(w + 1) * nsy / (size_t)nt, 0};
				}
				for (int w = 1; w < nt; w++)
					if (dp_thread_create(&th[w], dcr_main, &dj[w]) == 0)
						started = w;
					else
						break;
				dcr_main(&dj[0]);
				for (int w = started + 1; w < nt; w++)
					dcr_main(&dj[w]);
				for (int w = 1; w <= started; w++)
					pthread_join(th[w], NULL);
				for (int w = 0; w < nt; w++)
					closer += dj[w].closer;
			}
			free(tr);
			out->dcr_share = closer / (double)nsy;
			cJSON_AddNumberToObject(jp, "dcr_share", out->dcr_share);
			cJSON_AddNumberToObject(jp, "dcr_synthetic_rows", (double)nsy);
			cJSON_AddNumberToObject(jp, "dcr_real_rows_each", (double)nr);
			char hold[256];
			snprintf(hold, sizeof(hold), "%zu source rows drawn at random (seeded) from the training "
				 "sample and kept out of training; compared with %zu training rows", nh, nr);
			cJSON_AddStringToObject(jp, "holdout", hold);
		} else {
			cJSON_AddNullToObject(jp, "dcr_share");
			cJSON_AddStringToObject(jp, "holdout", "none: too few source rows to keep a holdout");
		}
		(void)!dp_buf_printf(h, "<p>Privacy: %.4f of synthetic rows are identical to a training row "
				     "(holdout baseline %.4f); DCR share %s%.3f (0.5 = as close to unseen "
				     "rows as to training rows; holdout of %zu rows).</p>",
				     out->identical, out->identical_holdout, out->dcr_share < 0 ? "n/a " : "",
				     out->dcr_share < 0 ? 0 : out->dcr_share, nh);
	}
	{
		cJSON *jq = cJSON_AddObjectToObject(t, "quality");
		cJSON_AddNumberToObject(jq, "overall", out->quality);
		cJSON_AddNumberToObject(jq, "column_shapes", out->shapes);
		cJSON_AddNumberToObject(jq, "column_pair_trends", out->pairs);
		(void)!dp_buf_printf(h, "<p class=\"q\">Quality %.3f (Column Shapes %.3f, Column Pair Trends %.3f)%s</p>",
				     out->quality, out->shapes, out->pairs, "");
	}
	cJSON_AddItemToObject(t, "columns", cols);
	cols = NULL;
	cJSON_AddItemToObject(t, "column_pairs", pairs);
	pairs = NULL;
	(void)!dp_buf_puts(h, "</section>");
out:
	cJSON_Delete(cols);
	cJSON_Delete(pairs);
	for (size_t c = 0; pv && c < m->ncols; c++)
		free(pv[c].topbin);
	free(pv);
	free(a);
	free(b);
	free(range);
	return rc;
}

int dp_report_write(const dp_report *r, const char *dir, dp_errbuf *eb)
{
	char path[4096];
	cJSON *root = cJSON_CreateObject();
	char *js = NULL;
	FILE *f = NULL;
	int rc = DP_OK;
	double q = 0;
	int nq = 0;
	const cJSON *t;

	if (!root)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	cJSON_AddStringToObject(root, "generator", "doppel");
	cJSON_AddNumberToObject(root, "seed", (double)r->seed);
	cJSON_ArrayForEach(t, r->tables) {
		const cJSON *qq = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "quality"), "overall");
		if (cJSON_IsNumber(qq) && qq->valuedouble >= 0) {
			q += qq->valuedouble;
			nq++;
		}
	}
	cJSON_AddNumberToObject(root, "quality", nq ? q / nq : -1);
	cJSON_AddItemReferenceToObject(root, "tables", r->tables);
	js = cJSON_Print(root);
	cJSON_Delete(root);
	if (!js)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "w");
	if (!f || fputs(js, f) < 0 || fputc('\n', f) < 0) {
		rc = dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fclose(f)) {
		f = NULL;
		rc = dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/report.html", dir);
	f = fopen(path, "w");
	if (!f) {
		rc = dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fprintf(f, "<!doctype html><html><head><meta charset=\"utf-8\"><title>doppel synthesis report</title>"
		"<style>body{font-family:sans-serif;margin:2em;color:#222}figure{display:inline-block;"
		"margin:.5em;vertical-align:top}figcaption{font-size:12px}.q{font-weight:bold}"
		".legend span{display:inline-block;width:12px;height:12px;margin:0 4px}"
		"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
		"font-size:12px}</style></head><body>"
		"<h1>doppel synthesis report</h1><p>Overall quality %.3f over %d table(s); seed %lld.</p>"
		"<p class=\"legend\"><span style=\"background:#4c78a8\"></span>real (training sample) "
		"<span style=\"background:#f58518\"></span>synthetic</p>%s</body></html>\n",
		nq ? q / nq : -1.0, nq, (long long)r->seed, r->html.data ? r->html.data : "");
	if (fclose(f)) {
		f = NULL;
		rc = dp_fail(eb, DP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	f = NULL;
out:
	if (f)
		fclose(f);
	free(js);
	return rc;
}
