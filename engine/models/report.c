/* engine/models/report.c - quality & privacy scores (see report.h): plain
 * data, no JSON or HTML (report/ renders it). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- the report: plain data ---- */

struct dp_report {
	int64_t seed;
	int nthreads;
	dp_report_table *tables;     /* arrays of each table owned, strings in strs */
	size_t ntables, captables;
	char **strs;                 /* every string the tables point to */
	size_t nstrs, capstrs;
};

dp_report *dp_report_new(int64_t seed)
{
	dp_report *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->seed = seed;
	r->nthreads = 1;
	return r;
}

static void table_free(dp_report_table *t)
{
	free(t->model_cols);
	free(t->columns);
	free(t->pairs);
}

void dp_report_free(dp_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ntables; i++)
		table_free(&r->tables[i]);
	free(r->tables);
	for (size_t i = 0; i < r->nstrs; i++)
		free(r->strs[i]);
	free(r->strs);
	free(r);
}

void dp_report_set_threads(dp_report *r, int n)
{
	r->nthreads = n < 1 ? 1 : n > 64 ? 64 : n;
}

int64_t dp_report_seed(const dp_report *r)
{
	return r->seed;
}

size_t dp_report_ntables(const dp_report *r)
{
	return r->ntables;
}

const dp_report_table *dp_report_table_at(const dp_report *r, size_t i)
{
	return i < r->ntables ? &r->tables[i] : NULL;
}

double dp_report_quality(const dp_report *r, int *nscored)
{
	double q = 0;
	int nq = 0;

	for (size_t i = 0; i < r->ntables; i++) {
		const dp_report_table *t = &r->tables[i];
		if (!t->not_modelled && t->scores.quality >= 0) {
			q += t->scores.quality;
			nq++;
		}
	}
	if (nscored)
		*nscored = nq;
	return nq ? q / nq : -1;
}

const char *dp_report_metric_name(dp_report_metric m)
{
	switch (m) {
	case DP_REPORT_KS_COMPLEMENT: return "KSComplement";
	case DP_REPORT_TV_COMPLEMENT: return "TVComplement";
	case DP_REPORT_CORRELATION_SIMILARITY: return "CorrelationSimilarity";
	case DP_REPORT_CONTINGENCY_SIMILARITY: return "ContingencySimilarity";
	}
	return "unknown";
}

/* Replace *p by a copy the report owns (NULL stays NULL). */
static int keep_str(dp_report *r, const char **p)
{
	char *c;

	if (!*p)
		return DP_OK;
	if (r->nstrs == r->capstrs) {
		size_t nc = r->capstrs ? 2 * r->capstrs : 64;
		char **ns = realloc(r->strs, nc * sizeof(*ns));
		if (!ns)
			return DP_ERR_NOMEM;
		r->strs = ns;
		r->capstrs = nc;
	}
	if (!(c = dp_strdup(*p)))
		return DP_ERR_NOMEM;
	r->strs[r->nstrs++] = c;
	*p = c;
	return DP_OK;
}

/* Copy of n elements of size sz (NULL when n is 0); *ok cleared on failure. */
static void *dup_array(const void *p, size_t n, size_t sz, int *ok)
{
	void *c;

	if (!n || !p)
		return NULL;
	if (!(c = malloc(n * sz))) {
		*ok = 0;
		return NULL;
	}
	memcpy(c, p, n * sz);
	return c;
}

int dp_report_add_table(dp_report *r, const dp_report_table *src)
{
	dp_report_table t = *src;
	int ok = 1, rc = DP_OK;

	if (r->ntables == r->captables) {
		size_t nc = r->captables ? 2 * r->captables : 8;
		dp_report_table *nt = realloc(r->tables, nc * sizeof(*nt));
		if (!nt)
			return DP_ERR_NOMEM;
		r->tables = nt;
		r->captables = nc;
	}
	if (!src->model_cols)
		t.nmodel_cols = 0;
	if (!src->columns)
		t.ncolumns = 0;
	if (!src->pairs)
		t.npairs = 0;
	t.model_cols = dup_array(src->model_cols, t.nmodel_cols, sizeof(*t.model_cols), &ok);
	t.columns = dup_array(src->columns, t.ncolumns, sizeof(*t.columns), &ok);
	t.pairs = dup_array(src->pairs, t.npairs, sizeof(*t.pairs), &ok);
	if (!ok) {
		table_free(&t);
		return DP_ERR_NOMEM;
	}
	if (!rc) rc = keep_str(r, &t.name);
	if (!rc) rc = keep_str(r, &t.not_modelled);
	if (!rc) rc = keep_str(r, &t.model);
	if (!rc) rc = keep_str(r, &t.sequence.parent);
	if (!rc) rc = keep_str(r, &t.children.parent);
	for (size_t i = 0; !rc && i < t.nmodel_cols; i++)
		rc = keep_str(r, &t.model_cols[i].column);
	for (size_t i = 0; !rc && i < t.ncolumns; i++) {
		dp_report_column *c = &t.columns[i];
		if (c->nbars < 0)
			c->nbars = 0;
		if (c->nbars > DP_REPORT_MAX_BARS)
			c->nbars = DP_REPORT_MAX_BARS;
		rc = keep_str(r, &c->column);
		for (int k = 0; !rc && k < DP_REPORT_MAX_BARS; k++) {
			if (k >= c->nbars)
				c->value[k] = NULL;
			rc = keep_str(r, &c->value[k]);
		}
	}
	for (size_t i = 0; !rc && i < t.npairs; i++) {
		rc = keep_str(r, &t.pairs[i].column[0]);
		if (!rc)
			rc = keep_str(r, &t.pairs[i].column[1]);
	}
	if (rc) {
		/* the strings kept so far stay in the pool until dp_report_free */
		table_free(&t);
		return rc;
	}
	r->tables[r->ntables++] = t;
	return DP_OK;
}

int dp_report_add_unmodelled(dp_report *r, const char *table, int64_t rows_written, const char *why)
{
	dp_report_table t;

	memset(&t, 0, sizeof(t));
	t.name = table;
	t.not_modelled = why;
	t.synthetic_rows = rows_written;
	t.scores.quality = t.scores.shapes = t.scores.pairs = -1;
	t.scores.children_ks = t.scores.dcr_share = -1;
	return dp_report_add_table(r, &t);
}

/* ---- scoring ---- */

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


static void label_of(const dp_value *v, char *buf, size_t sz)
{
	int isnull = 0;
	size_t n = dp_value_to_text(v, buf, sz, &isnull);
	if (isnull)
		snprintf(buf, sz, "(null)");
	else if (n > 40)
		memcpy(buf + 37, "...", 4);
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
	size_t ntr = m->ntrain, ns = s->n, ntext = 0;
	size_t maxpairs = m->norder ? m->norder * (m->norder - 1) / 2 : 0;
	dp_report_table t;
	double *a = malloc((ntr + m->nhold + 1) * sizeof(double)), *b = malloc((ns + 1) * sizeof(double));
	double *range = calloc(m->ncols + 1, sizeof(double));
	pairvar *pv = calloc(m->ncols + 1, sizeof(pairvar));
	/* category texts of each column's chart, until dp_report_add_table copies them */
	char (*lbs)[DP_REPORT_TOP_CATEGORIES][64] = calloc(m->norder + 1, sizeof(*lbs));
	double shapes = 0, pairsum = 0;
	int nshape = 0, npair = 0, rc = DP_OK;

	memset(out, 0, sizeof(*out));
	out->children_ks = -1;
	out->dcr_share = -1;
	memset(&t, 0, sizeof(t));
	for (size_t c = 0; c < m->ncols; c++)
		ntext += m->cols[c].kind == DP_CK_TEXT;
	t.model_cols = calloc(m->norder + ntext + 1, sizeof(*t.model_cols));
	t.columns = calloc(m->norder + 1, sizeof(*t.columns));
	t.pairs = calloc(maxpairs + 1, sizeof(*t.pairs));
	if (!a || !b || !range || !pv || !lbs || !t.model_cols || !t.columns || !t.pairs) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
		goto out;
	}
	t.name = m->t->name;
	t.training_rows = ntr;
	t.holdout_rows = m->nhold;
	t.synthetic_rows = rows_written;
	t.scored_rows = ns;
	t.training_seconds = train_s;
	t.generation_seconds = gen_s;
	t.model = m->log;
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		dp_report_model_col *e = &t.model_cols[t.nmodel_cols++];
		e->column = mc->col->name;
		e->kind = mc->kind;
		e->predictors = mc->npreds;
		e->leaves = dp_tree_nleaves(mc->tree);
		e->rare_replaced = mc->nrare;
		e->clipped = mc->nclipped;
	}
	for (size_t c = 0; c < m->ncols; c++)
		if (m->cols[c].kind == DP_CK_TEXT) {
			dp_report_model_col *e = &t.model_cols[t.nmodel_cols++];
			e->column = m->cols[c].col->name;
			e->ngram = 1;
			e->kind = DP_CK_TEXT;
			e->vocabulary = dp_ngram_vocab(m->cols[c].ngram);
			e->redrawn = atomic_load(&m->cols[c].redrawn);
		}
	if (m->parent) {
		t.has_sequence = 1;
		t.sequence.parent = m->parent->t->name;
		t.sequence.end_of_sequence_token = m->eos_token;
		t.sequence.max_length = m->max_len;
		t.sequence.training_steps = m->nsteps;
	}

	/* column shapes */
	for (size_t oi = 0; oi < m->norder && ns && ntr; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t c = mc->ci;
		dp_report_column *jc = &t.columns[t.ncolumns++];
		double score;
		jc->column = mc->col->name;
		jc->kind = mc->kind;
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
			jc->metric = DP_REPORT_TV_COMPLEMENT;
			/* chart: the most frequent real categories */
			{
				int top[DP_REPORT_TOP_CATEGORIES], nt = 0;
				for (int q = 0; q < DP_REPORT_TOP_CATEGORIES; q++) {
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
					label_of(&mc->cats[best], lbs[oi][nt], sizeof(lbs[oi][nt]));
					jc->value[nt] = lbs[oi][nt];
					jc->real[nt] = pr[best];
					jc->synthetic[nt] = ps[best];
					nt++;
				}
				jc->nbars = nt;
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
			jc->metric = DP_REPORT_KS_COMPLEMENT;
			range[c] = hi > lo ? hi - lo : 1;
			pv[c].numeric = 1;
			pv[c].nb = PAIR_BINS + 1;
			for (int q = 0; q < PAIR_BINS; q++)
				pv[c].edges[q] = na ? a[(size_t)((double)(q + 1) / PAIR_BINS * (double)(na - 1))] : 0;
			/* chart: equal bins over the real range */
			for (size_t i = 0; i < na; i++) {
				int k = (int)((a[i] - lo) / (hi - lo + 1e-300) * DP_REPORT_HIST_BINS);
				jc->real[k < 0 ? 0 : k > DP_REPORT_HIST_BINS - 1 ? DP_REPORT_HIST_BINS - 1 : k] += 1.0 / (double)na;
			}
			for (size_t i = 0; i < nb; i++) {
				int k = (int)((b[i] - lo) / (hi - lo + 1e-300) * DP_REPORT_HIST_BINS);
				jc->synthetic[k < 0 ? 0 : k > DP_REPORT_HIST_BINS - 1 ? DP_REPORT_HIST_BINS - 1 : k] +=
					1.0 / (double)(nb ? nb : 1);
			}
			jc->nbars = DP_REPORT_HIST_BINS;
			jc->real_min = lo;
			jc->real_max = hi;
		}
		jc->score = score;
		shapes += score;
		nshape++;
	}

	/* column pair trends */
	for (size_t i1 = 0; i1 < m->norder && ns && ntr; i1++)
		for (size_t i2 = i1 + 1; i2 < m->norder; i2++) {
			const dp_mcol *x = &m->cols[m->order[i1]], *y = &m->cols[m->order[i2]];
			dp_report_pair *jp = &t.pairs[t.npairs++];
			double score;
			if (pv[x->ci].numeric && pv[y->ci].numeric) {
				double cr = pearson(x->num_orig, x->nul, y->num_orig, y->nul, ntr);
				double cs = pearson(s->num[x->ci], s->nul[x->ci], s->num[y->ci], s->nul[y->ci], ns);
				score = 1 - fabs(cr - cs) / 2;
				jp->metric = DP_REPORT_CORRELATION_SIMILARITY;
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
				jp->metric = DP_REPORT_CONTINGENCY_SIMILARITY;
			}
			jp->column[0] = x->col->name;
			jp->column[1] = y->col->name;
			jp->score = score;
			pairsum += score;
			npair++;
		}
	out->shapes = nshape ? shapes / nshape : -1;
	out->pairs = npair ? pairsum / npair : -1;
	out->quality = nshape ? (npair ? (out->shapes + out->pairs) / 2 : out->shapes) : -1;

	/* children per parent */
	if (m->parent && s->nparents) {
		size_t np = m->parent->ntrain, k = 0;
		double *ca = malloc((np + 1) * sizeof(double)), *cb = malloc((s->nparents + 1) * sizeof(double));
		dp_report_children *ch = &t.children;
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
		t.has_children = 1;
		ch->parent = m->parent->t->name;
		ch->score = out->children_ks;
		ch->real_median = k ? ca[k / 2] : 0;
		ch->synthetic_median = s->nparents ? cb[s->nparents / 2] : 0;
		for (size_t q = 0; q < k; q++)
			ch->real[ca[q] < DP_REPORT_CHILD_BINS - 1 ? (int)ca[q] : DP_REPORT_CHILD_BINS - 1] += 1.0 / (double)k;
		for (size_t q = 0; q < s->nparents; q++)
			ch->synthetic[cb[q] < DP_REPORT_CHILD_BINS - 1 ? (int)cb[q] : DP_REPORT_CHILD_BINS - 1] +=
				1.0 / (double)s->nparents;
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
		t.has_privacy = 1;
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
			t.dcr.synthetic_rows = nsy;
			t.dcr.real_rows = nr;
		}
	}
	t.scores = *out;
	if (dp_report_add_table(rep, &t))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory for the report");
out:
	table_free(&t);
	for (size_t c = 0; pv && c < m->ncols; c++)
		free(pv[c].topbin);
	free(pv);
	free(lbs);
	free(a);
	free(b);
	free(range);
	return rc;
}
