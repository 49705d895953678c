/* engine/models/train.c - training a table model (see model.h): predictor
 * choice, the trees on all workers, column order, sequences; the rows are
 * made ready by prepare.c. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_int.h"
#include "../../base/dp_log.h"

#define POS_BINS 32
#define MI_ROWS 20000
/* the privacy self-check (dcr_share): the DCR share it accepts (the goal of
 * issue 18; MOSTLY AI's 0.51 on Adult), the refits it may do (each doubles
 * the leaf size), the rows it draws and compares with at most as many
 * holdout rows (2000: a share's standard error about 0.011) and the holdout
 * it needs at least */
#define SELF_CHECK_DCR 0.52
#define SELF_CHECK_ROUNDS 4
#define SELF_CHECK_ROWS 2000
#define SELF_CHECK_MIN 200

/* ---- association: normalised mutual information of two binned features ---- */

static double nmi(const uint8_t *a, int na, const uint8_t *b, int nb, size_t n, size_t step,
		  double *tab)
{
	double pa[256], pb[256], tot = 0, mi = 0, ha = 0, hb = 0;

	memset(tab, 0, (size_t)na * (size_t)nb * sizeof(double));
	memset(pa, 0, sizeof(pa));
	memset(pb, 0, sizeof(pb));
	for (size_t r = 0; r < n; r += step) {
		tab[(size_t)a[r] * (size_t)nb + b[r]] += 1;
		pa[a[r]] += 1;
		pb[b[r]] += 1;
		tot += 1;
	}
	if (tot <= 0)
		return 0;
	for (int i = 0; i < na; i++)
		if (pa[i] > 0)
			ha -= pa[i] / tot * log(pa[i] / tot);
	for (int j = 0; j < nb; j++)
		if (pb[j] > 0)
			hb -= pb[j] / tot * log(pb[j] / tot);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++) {
			double p = tab[(size_t)i * (size_t)nb + j] / tot;
			if (p > 0)
				mi += p * log(p / (pa[i] / tot * pb[j] / tot));
		}
	if (ha <= 0 || hb <= 0)
		return 0;
	return mi / sqrt(ha * hb);
}

typedef struct fitjob {
	dp_tmodel *m;
	atomic_size_t next;
	atomic_int failed;
	int min_leaf;
} fitjob;

typedef struct cand { int f; double score; } cand;

static int cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->f < y->f ? -1 : 1;
}

static int fit_column(dp_tmodel *m, size_t oi, int min_leaf)
{
	dp_mcol *mc = &m->cols[m->order[oi]];
	size_t ntr = m->ntrain, step = ntr > MI_ROWS ? ntr / MI_ROWS : 1;
	int kmax = m->st->max_n_feat_per_model, nc = 0;
	cand *cs = malloc(((size_t)m->nfeat + 1) * sizeof(cand));
	double *tab = malloc(256 * 256 * sizeof(double));
	dp_tree_data td;

	if (!cs || !tab) {
		free(cs);
		free(tab);
		return DP_ERR_NOMEM;
	}
	/* candidates: earlier columns of the chain, the parent's features, the
	 * previous sibling's and the position */
	for (size_t q = 0; q < oi; q++)
		cs[nc++].f = m->cols[m->order[q]].feat;
	if (m->parent)
		for (int f = m->par0; f < m->nfeat; f++)
			cs[nc++].f = f;
	for (int i = 0; i < nc; i++)
		cs[i].score = nmi(m->fbin[cs[i].f], m->nbins[cs[i].f], m->fbin[mc->feat], mc->nbins,
				  ntr, step, tab);
	qsort(cs, (size_t)nc, sizeof(cand), cmp_cand);
	if (nc > kmax)
		nc = kmax;
	/* a predictor with no association at all only adds noise splits */
	while (nc > 0 && cs[nc - 1].score < 1e-4)
		nc--;
	mc->preds = malloc(((size_t)nc + 1) * sizeof(int));
	if (!mc->preds) {
		free(cs);
		free(tab);
		return DP_ERR_NOMEM;
	}
	for (int i = 0; i < nc; i++)
		mc->preds[i] = cs[i].f;
	mc->npreds = nc;
	free(cs);
	free(tab);

	memset(&td, 0, sizeof(td));
	td.nrows = ntr;
	td.fbin = (const uint8_t *const *)m->fbin;
	td.nbins = m->nbins;
	td.ordered = m->ordered;
	td.feats = mc->preds;
	td.nfeat = mc->npreds;
	td.categorical = mc->kind == DP_CK_CATEGORICAL;
	td.ycode = mc->code;
	td.ncls = (int)mc->ncat;
	td.ynum = mc->rank;
	td.yval = mc->num;
	td.ynull = mc->nul;
	td.min_leaf = min_leaf;
	td.max_depth = 30;
	td.use = m->use;
	mc->tree = dp_tree_fit(&td);
	return mc->tree ? DP_OK : DP_ERR_NOMEM;
}

static void *fit_main(void *arg)
{
	fitjob *fj = arg;
	for (;;) {
		size_t oi = atomic_fetch_add(&fj->next, 1);
		if (oi >= fj->m->norder || atomic_load(&fj->failed))
			break;
		if (fit_column(fj->m, oi, fj->min_leaf))
			atomic_store(&fj->failed, 1);
	}
	return NULL;
}

/* Fit every column's tree with leaves of at least min_leaf rows, on up to
 * n_threads threads; earlier trees are dropped (a refit). */
static int fit_all(dp_tmodel *m, int n_threads, int min_leaf, dp_errbuf *eb)
{
	fitjob fj;
	int nt = n_threads < 1 ? 1 : n_threads;
	pthread_t th[64];
	int started = 0;

	for (size_t oi = 0; oi < m->norder; oi++) {
		dp_mcol *mc = &m->cols[m->order[oi]];
		dp_tree_free(mc->tree);
		free(mc->preds);
		mc->tree = NULL;
		mc->preds = NULL;
		mc->npreds = 0;
	}
	fj.m = m;
	atomic_init(&fj.next, 0);
	atomic_init(&fj.failed, 0);
	fj.min_leaf = min_leaf;
	if (nt > 64)
		nt = 64;
	for (int i = 0; i < nt - 1; i++)
		if (dp_thread_create(&th[i], fit_main, &fj) == 0)
			started++;
	fit_main(&fj);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (atomic_load(&fj.failed))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory training %s", m->t->name);
	return DP_OK;
}

/* ---- the privacy self-check ---- */

/* A row as the evaluators see it: per modelled column a category code, or
 * a number scaled by the training range (NULL: far from every number). */
static void row_point(const dp_tmodel *m, const int32_t *code, const double *num, const uint8_t *nul,
		      size_t r, int grow, float *out)
{
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t k = grow ? mc->ci : r;
		if (mc->kind == DP_CK_CATEGORICAL)
			out[oi] = (float)(grow ? code[k] : mc->code_orig[k]);
		else if (grow ? nul[k] : mc->nul[k])
			out[oi] = 1e6f;
		else
			out[oi] = mc->hi > mc->lo ? (float)(((grow ? num[k] : mc->num_orig[k]) - mc->lo) /
							   (mc->hi - mc->lo)) : 0;
	}
}

/* Squared distance of the evaluators (one-hot categories: 1 per mismatch;
 * numbers scaled by the training range, at most 1 each), stopping at best. */
static float point_dist2(const float *a, const float *b, const uint8_t *cat, size_t k, float best)
{
	float d = 0;
	for (size_t i = 0; i < k && d < best; i++) {
		if (cat[i]) {
			d += a[i] != b[i];
		} else {
			float x = (a[i] - b[i]) * (a[i] - b[i]);
			d += x < 1 ? x : 1;
		}
	}
	return d;
}

static float nearest2(const float *q, const float *pts, size_t n, const uint8_t *cat, size_t k)
{
	float best = 1e30f;
	for (size_t r = 0; r < n; r++) {
		float d = point_dist2(q, pts + r * k, cat, k, best);
		if (d < best)
			best = d;
	}
	return best;
}

/* The DCR share on the model's own holdout: SELF_CHECK_ROWS rows drawn
 * from the model, each compared with its nearest holdout row (at most
 * SELF_CHECK_ROWS of them) and its nearest among as many training rows
 * (the first ones: the sample is in random order); ties count one half.
 * *share = -1 when there is no holdout to measure on (too small, or a
 * child table). Single-threaded on its own generator: the same share for
 * any number of threads. */
static int dcr_share(const dp_tmodel *m, dp_rng *r, double *share, dp_errbuf *eb)
{
	size_t n = m->nhold < SELF_CHECK_ROWS ? m->nhold : SELF_CHECK_ROWS, k = m->norder;
	double closer = 0;
	float *tr = NULL, *ho = NULL, *q = NULL;
	uint8_t *cat = NULL;
	dp_grow g;
	int rc = DP_OK;

	*share = -1;
	if (m->parent || n < SELF_CHECK_MIN || m->ntrain < n || !k)
		return DP_OK;
	if (dp_grow_init(&g, m))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	tr = malloc(n * k * sizeof(float));
	ho = malloc(n * k * sizeof(float));
	q = malloc(k * sizeof(float));
	cat = malloc(k);
	if (!tr || !ho || !q || !cat) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t oi = 0; oi < k; oi++)
		cat[oi] = m->cols[m->order[oi]].kind == DP_CK_CATEGORICAL;
	for (size_t i = 0; i < n; i++) {
		row_point(m, NULL, NULL, NULL, i, 0, tr + i * k);
		row_point(m, NULL, NULL, NULL, m->ntrain + i, 0, ho + i * k);
	}
	for (size_t i = 0; i < SELF_CHECK_ROWS; i++) {
		dp_tmodel_sample(m, r, NULL, NULL, 0, &g);
		row_point(m, g.code, g.num, g.nul, 0, 1, q);
		float dt = nearest2(q, tr, n, cat, k), dh = nearest2(q, ho, n, cat, k);
		closer += dt < dh ? 1 : dt == dh ? 0.5 : 0;
	}
	*share = closer / (double)SELF_CHECK_ROWS;
out:
	free(tr);
	free(ho);
	free(q);
	free(cat);
	dp_grow_free(&g);
	return rc;
}

/* ---- column order ---- */

static int card_of(const dp_mcol *mc)
{
	return mc->kind == DP_CK_CATEGORICAL ? (int)mc->ncat : (int)(mc->distinct < 1000000 ? mc->distinct : 1000000);
}

static int build_order(dp_tmodel *m, dp_errbuf *eb)
{
	const dp_settings *st = m->st;
	size_t n = 0;

	m->order = calloc(m->ncols + 1, sizeof(size_t));
	if (!m->order)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (st->feat_model_train_order == DP_ORDER_EXPLICIT) {
		for (size_t i = 0; i < st->n_train_order_cols; i++) {
			long ci = dp_table_col_index(m->t, st->train_order_cols[i]);
			if (ci < 0)
				continue;   /* a list shared by tables names other tables' columns */
			dp_ckind k = m->cols[ci].kind;
			int dup = 0;
			for (size_t q = 0; q < n; q++)
				dup |= m->order[q] == (size_t)ci;
			if (!dup && (k == DP_CK_CATEGORICAL || k == DP_CK_NUMERIC || k == DP_CK_DATETIME))
				m->order[n++] = (size_t)ci;
		}
	}
	for (size_t c = 0; c < m->ncols; c++) {
		dp_ckind k = m->cols[c].kind;
		int dup = 0;
		for (size_t q = 0; q < n; q++)
			dup |= m->order[q] == c;
		if (!dup && (k == DP_CK_CATEGORICAL || k == DP_CK_NUMERIC || k == DP_CK_DATETIME))
			m->order[n++] = c;
	}
	m->norder = n;
	if (st->feat_model_train_order == DP_ORDER_CARDINALITY) {
		/* stable insertion sort: low cardinality first */
		for (size_t i = 1; i < n; i++) {
			size_t x = m->order[i], j = i;
			while (j > 0 && card_of(&m->cols[m->order[j - 1]]) > card_of(&m->cols[x])) {
				m->order[j] = m->order[j - 1];
				j--;
			}
			m->order[j] = x;
		}
	}
	return DP_OK;
}

/* ---- sequences ---- */

static int build_sequences(dp_tmodel *m, const dp_train_in *in, dp_errbuf *eb)
{
	const dp_tmodel *p = m->parent;
	size_t n = m->ntrain + m->nhold, pn = p->ntrain + p->nhold;
	int cap = m->st->max_sequence_length < m->st->long_sequence_threshold ?
		  m->st->max_sequence_length : m->st->long_sequence_threshold;
	int nown = (int)m->norder;
	uint32_t *first;
	size_t ns = 0;
	int rc = DP_OK;

	m->par_row = malloc((n + 1) * sizeof(uint32_t));
	m->prev_row = malloc((n + 1) * sizeof(uint32_t));
	m->pos = malloc((n + 1) * sizeof(uint16_t));
	m->nchildren = calloc(pn + 1, sizeof(uint32_t));
	first = malloc((pn + 1) * sizeof(uint32_t));
	if (!m->par_row || !m->prev_row || !m->pos || !m->nchildren || !first) {
		free(first);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t q = 0; q < pn; q++)
		first[q] = UINT32_MAX;
	memcpy(m->par_row, in->par_row, n * sizeof(uint32_t));
	for (size_t r = 0; r < n; r++) {
		uint32_t pr = m->par_row[r];
		if (r > 0 && m->par_row[r - 1] == pr && r != m->ntrain) {
			m->prev_row[r] = (uint32_t)(r - 1);
			m->pos[r] = (uint16_t)(m->pos[r - 1] < 65535 ? m->pos[r - 1] + 1 : 65535);
		} else {
			m->prev_row[r] = UINT32_MAX;
			m->pos[r] = 0;
			if (first[pr] == UINT32_MAX)
				first[pr] = (uint32_t)r;
		}
		m->nchildren[pr]++;
	}
	/* default_long_sequence_threshold: the children beyond the cap are not
	 * seen by the models at all */
	m->use = malloc(n + 1);
	if (!m->use) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < n; r++)
		m->use[r] = m->pos[r] < cap;
	/* parent features, previous sibling's, position, for every child row */
	for (int k = 0; k < m->npar; k++) {
		uint8_t *fb = malloc(n + 1);
		if (!fb) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		m->fbin[m->par0 + k] = fb;
		m->nbins[m->par0 + k] = p->nbins[k];
		m->ordered[m->par0 + k] = p->ordered[k];
		for (size_t r = 0; r < n; r++)
			fb[r] = p->fbin[k][m->par_row[r]];
	}
	for (int k = 0; k < nown; k++) {
		uint8_t *fb = malloc(n + 1);
		int f = m->prev0 + k;
		if (!fb) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		m->fbin[f] = fb;
		m->nbins[f] = m->nbins[k] + 1;
		m->ordered[f] = m->ordered[k];
		for (size_t r = 0; r < n; r++)
			fb[r] = m->prev_row[r] == UINT32_MAX ? (uint8_t)m->nbins[k] : m->fbin[k][m->prev_row[r]];
	}
	{
		uint8_t *fb = malloc(n + 1);
		if (!fb) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		m->fbin[m->pos_feat] = fb;
		m->nbins[m->pos_feat] = POS_BINS;
		m->ordered[m->pos_feat] = 1;
		for (size_t r = 0; r < n; r++)
			fb[r] = (uint8_t)(m->pos[r] < POS_BINS - 1 ? m->pos[r] : POS_BINS - 1);
	}

	/* the step model's rows: for each training parent with all its children
	 * read, one step per child (continue) and one more (end), capped */
	for (size_t q = 0; q < p->ntrain; q++)
		if (!in->par_complete || in->par_complete[q])
			ns += (m->nchildren[q] < (uint32_t)cap ? m->nchildren[q] : (uint32_t)cap) + 1;
	m->nsteps = ns;
	m->step_tok = malloc((ns + 1) * sizeof(int32_t));
	m->step_fbin = calloc((size_t)m->nfeat + 1, sizeof(uint8_t *));
	if (!m->step_tok || !m->step_fbin) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (int f = m->par0; f < m->nfeat; f++)
		if (!(m->step_fbin[f] = malloc(ns + 1))) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
	ns = 0;
	for (size_t q = 0; q < p->ntrain; q++) {
		if (in->par_complete && !in->par_complete[q])
			continue;
		uint32_t nch = m->nchildren[q] < (uint32_t)cap ? m->nchildren[q] : (uint32_t)cap;
		for (uint32_t k = 0; k <= nch; k++, ns++) {
			uint32_t prev = k == 0 ? UINT32_MAX : first[q] + k - 1;
			m->step_tok[ns] = k < nch ? 1 : 0;   /* 0: the end-of-sequence class */
			for (int f = 0; f < m->npar; f++)
				m->step_fbin[m->par0 + f][ns] = p->fbin[f][q];
			for (int f = 0; f < nown; f++)
				m->step_fbin[m->prev0 + f][ns] = prev == UINT32_MAX ? (uint8_t)m->nbins[f] :
								 m->fbin[f][prev];
			m->step_fbin[m->pos_feat][ns] = (uint8_t)(k < POS_BINS - 1 ? k : POS_BINS - 1);
		}
	}
	{
		int npred = 0, kmax = m->st->max_n_feat_per_model;
		int *preds = malloc(((size_t)m->nfeat + 1) * sizeof(int));
		dp_tree_data td;
		if (!preds) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		/* position first: it carries the length distribution */
		preds[npred++] = m->pos_feat;
		for (int f = m->par0; f < m->par0 + m->npar && npred < kmax; f++)
			preds[npred++] = f;
		for (int f = m->prev0; f < m->prev0 + nown && npred < kmax; f++)
			preds[npred++] = f;
		memset(&td, 0, sizeof(td));
		td.nrows = m->nsteps;
		td.fbin = (const uint8_t *const *)m->step_fbin;
		td.nbins = m->nbins;
		td.ordered = m->ordered;
		td.feats = preds;
		td.nfeat = npred;
		td.categorical = 1;
		td.ycode = m->step_tok;
		td.ncls = 2;
		td.min_leaf = 10;
		td.max_depth = 12;
		m->stop = dp_tree_fit(&td);
		free(preds);
		if (!m->stop)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
out:
	free(first);
	return rc;
}

/* ---- the whole table ---- */

int dp_tmodel_train(const dp_train_in *in, dp_tmodel **out, dp_errbuf *eb)
{
	dp_tmodel *m = calloc(1, sizeof(*m));
	dp_rng rng;
	int rc = DP_OK, nown;
	size_t nperturbed = 0, nrare = 0, nclip = 0;

	*out = NULL;
	if (!m)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	m->t = in->t;
	m->st = in->st;
	m->ncols = in->t->ncols;
	m->nhold = in->nhold;
	m->ntrain = in->nrows - in->nhold;
	m->parent = in->parent;
	m->dcr_check = -1;
	m->eos_token = in->st->end_of_sequence_token;
	/* nothing longer than the training sequences can be generated */
	m->max_len = in->st->max_sequence_length < in->st->long_sequence_threshold ?
		     in->st->max_sequence_length : in->st->long_sequence_threshold;
	dp_rng_seed_u64(&rng, in->seed);
	m->cols = calloc(m->ncols + 1, sizeof(dp_mcol));
	if (!m->cols) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < m->ncols && !rc; c++)
		rc = dp_prep_encode_col(m, in, c, eb);
	if (rc)
		goto out;
	for (size_t c = 0; c < m->ncols && !rc; c++) {
		dp_mcol *mc = &m->cols[c];
		if (mc->kind == DP_CK_CATEGORICAL)
			rc = dp_prep_rare_categories(m, mc, eb);
		else if (mc->kind == DP_CK_NUMERIC || mc->kind == DP_CK_DATETIME)
			rc = dp_prep_clip_numeric(m, mc, eb);
		nrare += mc->nrare;
		nclip += mc->nclipped;
	}
	if (rc)
		goto out;
	if (m->st->sample_noise_ratio > 0)
		dp_prep_sample_noise(m, &rng, &nperturbed);
	for (size_t c = 0; c < m->ncols && !rc; c++)
		if (m->cols[c].kind == DP_CK_NUMERIC || m->cols[c].kind == DP_CK_DATETIME)
			rc = dp_prep_ranks(m, &m->cols[c], eb);
	if (rc)
		goto out;
	rc = build_order(m, eb);
	if (rc)
		goto out;
	/* features */
	nown = (int)m->norder;
	m->par0 = nown;
	m->npar = m->parent ? (int)m->parent->norder : 0;
	m->prev0 = m->par0 + m->npar;
	m->pos_feat = m->parent ? m->prev0 + nown : -1;
	m->nfeat = m->parent ? m->pos_feat + 1 : nown;
	m->fbin = calloc((size_t)m->nfeat + 1, sizeof(uint8_t *));
	m->nbins = calloc((size_t)m->nfeat + 1, sizeof(int));
	m->ordered = calloc((size_t)m->nfeat + 1, sizeof(int));
	if (!m->fbin || !m->nbins || !m->ordered) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (int k = 0; k < nown && !rc; k++) {
		m->cols[m->order[k]].feat = k;
		rc = dp_prep_make_bins(m, &m->cols[m->order[k]], eb);
	}
	if (!rc && m->parent)
		rc = build_sequences(m, in, eb);
	if (rc)
		goto out;
	if (m->ntrain) {
		/* leaves of at least 5 rows (synthpop's minbucket), more on big
		 * samples: a leaf is a small crowd, never one person. sqrt(n) / 2
		 * grows with the sample but slower (74 rows of 22000, 37 of
		 * 5500): the share of rows copying their neighbourhood fell from
		 * 0.55 to 0.52-0.53 on Adult and shoppers for -0.001 of quality */
		int min_leaf = (int)(sqrt((double)m->ntrain) / 2) > 5 ? (int)(sqrt((double)m->ntrain) / 2) : 5;
		dp_rng chk;
		dp_rng_seed_u64(&chk, in->seed ^ 0x5eed0dc7ull);
		rc = fit_all(m, in->n_threads, min_leaf, eb);
		/* the privacy self-check: while rows drawn from the model sit
		 * closer to the training rows than to the holdout (the DCR share
		 * on the model's own holdout), the leaves are made larger */
		for (int round = 0; !rc && round < SELF_CHECK_ROUNDS; round++) {
			double share;
			rc = dcr_share(m, &chk, &share, eb);
			if (rc || share < 0)
				break;
			m->dcr_check = share;
			if (share <= SELF_CHECK_DCR || (size_t)min_leaf * 8 > m->ntrain)
				break;
			min_leaf *= 2;
			rc = fit_all(m, in->n_threads, min_leaf, eb);
			m->dcr_rounds = round + 1;
		}
		m->min_leaf = min_leaf;
		if (rc)
			goto out;
	}
	{
		char chk[96] = "";
		if (m->dcr_check >= 0)
			snprintf(chk, sizeof(chk), "; leaves >= %d rows (self-check DCR share %.3f, %d refits)",
				 m->min_leaf, m->dcr_check, m->dcr_rounds);
		snprintf(m->log, sizeof(m->log),
			 "%zu training rows, %zu holdout; %zu column models; %zu rare categories replaced, "
			 "%zu values clipped, %zu rows perturbed%s", m->ntrain, m->nhold, m->norder, nrare,
			 nclip, nperturbed, chk);
	}
out:
	if (rc) {
		dp_tmodel_free(m);
		return rc;
	}
	*out = m;
	return DP_OK;
}

void dp_tmodel_free(dp_tmodel *m)
{
	if (!m)
		return;
	for (size_t c = 0; m->cols && c < m->ncols; c++) {
		dp_mcol *mc = &m->cols[c];
		if (mc->dict)
			dp_dict_free(mc->dict, 1);
		free(mc->dict);
		free(mc->catn);
		free(mc->edges);
		free(mc->cat_bin);
		free(mc->code);
		free(mc->code_orig);
		free(mc->num);
		free(mc->num_orig);
		free(mc->rank);
		free(mc->qv);
		free(mc->nul);
		free(mc->preds);
		dp_tree_free(mc->tree);
		dp_ngram_free(mc->ngram);
		free(mc->seen);
	}
	for (int f = 0; m->fbin && f < m->nfeat; f++)
		free(m->fbin[f]);
	for (int f = 0; m->step_fbin && f < m->nfeat; f++)
		free(m->step_fbin[f]);
	free(m->step_fbin);
	free(m->step_tok);
	free(m->fbin);
	free(m->nbins);
	free(m->ordered);
	free(m->cols);
	free(m->order);
	free(m->par_row);
	free(m->prev_row);
	free(m->pos);
	free(m->use);
	free(m->nchildren);
	dp_tree_free(m->stop);
	free(m);
}
