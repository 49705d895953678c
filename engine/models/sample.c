/* engine/models/sample.c - drawing rows from a trained table model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_int.h"

int dp_grow_init(dp_grow *g, const dp_tmodel *m)
{
	memset(g, 0, sizeof(*g));
	g->code = calloc(m->ncols + 1, sizeof(int32_t));
	g->num = calloc(m->ncols + 1, sizeof(double));
	g->nul = calloc(m->ncols + 1, 1);
	g->ctx = calloc((size_t)m->nfeat + 1, 1);
	if (!g->code || !g->num || !g->nul || !g->ctx) {
		dp_grow_free(g);
		return DP_ERR_NOMEM;
	}
	return DP_OK;
}

void dp_grow_free(dp_grow *g)
{
	free(g->code);
	free(g->num);
	free(g->nul);
	free(g->ctx);
	memset(g, 0, sizeof(*g));
}

static void fill_seq_ctx(const dp_tmodel *m, uint8_t *ctx, const dp_grow *parent,
			 const dp_grow *prev, int pos)
{
	int nown = (int)m->norder;

	if (!m->parent)
		return;
	for (int k = 0; k < m->npar; k++)
		ctx[m->par0 + k] = parent ? parent->ctx[k] : 0;
	for (int k = 0; k < nown; k++)
		ctx[m->prev0 + k] = prev ? prev->ctx[k] : (uint8_t)m->nbins[k];
	ctx[m->pos_feat] = (uint8_t)(pos < 31 ? pos : 31);
}

int dp_tmodel_stop(const dp_tmodel *m, dp_rng *r, const dp_grow *parent, const dp_grow *prev, int pos)
{
	uint8_t ctxbuf[1024], *ctx = ctxbuf;
	size_t n;
	const uint32_t *rows;
	int stop;

	if (pos >= m->max_len)
		return 1;
	if (!m->stop || !m->nsteps)
		return 1;
	if ((size_t)m->nfeat + 1 > sizeof(ctxbuf) && !(ctx = calloc((size_t)m->nfeat + 1, 1)))
		return 1;
	fill_seq_ctx(m, ctx, parent, prev, pos);
	rows = dp_tree_leaf(m->stop, ctx, &n, NULL);
	stop = n ? m->step_tok[rows[dp_rng_below(r, n)]] == 0 : 1;
	if (ctx != ctxbuf)
		free(ctx);
	return stop;
}

static size_t qv_lower(const dp_mcol *mc, double x)
{
	size_t lo = 0, hi = mc->nqv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mc->qv[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Smoothing in rank space: x (a training value, not a point mass) moves
 * by a Gaussian step among its neighbours in the sorted values qv, with
 * the bandwidth of Silverman's rule on the leaf's rank spread (sd, n rows)
 * widened by default_noise_factor (in ranks: the column's rank spread is
 * 1/sqrt(12)), reflected at both ends and read back by linear
 * interpolation between neighbouring values. The step is in ranks, so
 * dense regions move by little and the long tail by much, and no value
 * leaves the training range or piles up at its ends (clamping a value
 * step made 14% zeros of a duration column with 6%). [vlo, vhi] is the
 * range of the leaf's values. */
static double rank_smooth(const dp_tmodel *m, const dp_mcol *mc, dp_rng *r, double x, double sd,
			  size_t n, double vlo, double vhi)
{
	size_t a = qv_lower(mc, x), b = a, top = mc->nqv - 1;
	double p, h, nf = m->st->noise_factor, wlo, whi;

	while (b < mc->nqv && mc->qv[b] <= x)
		b++;
	/* a place among the ties of x */
	p = b > a ? (double)a + dp_rng_unit(r) * (double)(b - 1 - a) : (double)a - 0.5;
	h = n > 1 ? 0.9 * sd * pow((double)n, -0.2) : 0;
	h = sqrt(h * h + nf * nf / 12.0) * (double)mc->nnonnull;
	/* the step stays near the leaf's values: a value further from the
	 * leaf's range than the range is wide is drawn again (a gap between
	 * two groups of values is no neighbourhood) */
	wlo = vlo - (vhi - vlo);
	whi = vhi + (vhi - vlo);
	for (int t = 0; t < 4; t++) {
		double q = p + dp_rng_normal(r) * h, y;
		size_t k;
		for (int f = 0; f < 4 && (q < 0 || q > (double)top); f++)
			q = q < 0 ? -q : 2.0 * (double)top - q;
		if (q < 0)
			q = 0;
		if (q > (double)top)
			q = (double)top;
		k = (size_t)q;
		y = k >= top ? mc->qv[top] : mc->qv[k] + (q - (double)k) * (mc->qv[k + 1] - mc->qv[k]);
		if (vhi <= vlo || (y >= wlo && y <= whi))
			return y;
	}
	/* a step too wide for the leaf (a large default_noise_factor): any
	 * training value in the leaf's range (uniformly) */
	{
		size_t ia = qv_lower(mc, vlo), ib = qv_lower(mc, vhi);
		while (ib < mc->nqv && mc->qv[ib] <= vhi)
			ib++;
		return ib > ia ? mc->qv[ia + dp_rng_below(r, ib - ia)] : x;
	}
}

void dp_tmodel_sample(const dp_tmodel *m, dp_rng *r, const dp_grow *parent, const dp_grow *prev,
		      int pos, dp_grow *out)
{
	fill_seq_ctx(m, out->ctx, parent, prev, pos);
	for (size_t oi = 0; oi < m->norder; oi++) {
		const dp_mcol *mc = &m->cols[m->order[oi]];
		size_t ci = mc->ci, n;
		double sd, vlo, vhi;
		const uint32_t *rows = dp_tree_leaf_range(mc->tree, out->ctx, &n, &sd, &vlo, &vhi);
		uint32_t row = n ? rows[dp_rng_below(r, n)] : 0;

		if (mc->kind == DP_CK_CATEGORICAL) {
			int32_t c = m->ntrain ? mc->code[row] : 0;
			out->code[ci] = c;
			out->nul[ci] = mc->ncat ? mc->cats[c].kind == DP_V_NULL : 1;
			out->ctx[mc->feat] = (uint8_t)(mc->ncat ? mc->cat_bin[c] : 0);
			continue;
		}
		if (!m->ntrain || mc->nul[row]) {
			out->nul[ci] = 1;
			out->num[ci] = 0;
			out->ctx[mc->feat] = 0;
			continue;
		}
		double x = mc->num[row];
		int spike = 0;
		for (int q = 0; q < mc->nspikes && !spike; q++)
			spike = mc->spikes[q] == x;
		if (!spike && mc->nqv > 1)
			x = rank_smooth(m, mc, r, x, sd, n, vlo, vhi);
		else if (!spike) {
			if (m->st->noise_factor > 0 && mc->sd > 0)
				x += dp_rng_normal(r) * m->st->noise_factor * mc->sd;
			if (x < mc->lo)
				x = mc->lo;
			if (x > mc->hi)
				x = mc->hi;
		}
		if (mc->kind == DP_CK_DATETIME)
			x = mc->dt.time ? (mc->dt.frac ? x : floor(x + 0.5)) : floor(x / 86400 + 0.5) * 86400;
		else if (mc->okind == DP_V_INT)
			x = floor(x + 0.5);
		else if ((mc->okind == DP_V_TEXT || mc->okind == DP_V_REAL) && mc->scale >= 0) {
			double p = pow(10, mc->scale);
			x = floor(x * p + 0.5) / p;
		}
		out->nul[ci] = 0;
		out->num[ci] = x;
		out->ctx[mc->feat] = (uint8_t)dp_mcol_bin_num(mc, x);
	}
	/* columns outside the chain keep their NULL rate */
	for (size_t c = 0; c < m->ncols; c++) {
		const dp_mcol *mc = &m->cols[c];
		if (mc->kind == DP_CK_TEXT || mc->kind == DP_CK_REF)
			out->nul[c] = mc->null_rate > 0 && dp_rng_unit(r) < mc->null_rate;
	}
}

/* Is tb[0..n) one of the sample's real values? */
static int is_seen(const dp_mcol *mc, const char *tb, size_t n)
{
	uint64_t h = dp_hash64(tb, n);
	size_t lo = 0, hi = mc->nseen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mc->seen[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < mc->nseen && mc->seen[lo] == h;
}

/* Keep the shape, change the characters: digits become other digits and,
 * with `letters`, ASCII letters other letters of their case; everything
 * else (spaces, punctuation, UTF-8) stays. */
static void reshape(dp_rng *r, char *tb, size_t n, int letters)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)tb[i];
		if (!letters && !(ch >= '0' && ch <= '9'))
			continue;
		if (ch >= 'a' && ch <= 'z')
			tb[i] = (char)('a' + dp_rng_below(r, 26));
		else if (ch >= 'A' && ch <= 'Z')
			tb[i] = (char)('A' + dp_rng_below(r, 26));
		else if (ch >= '0' && ch <= '9')
			tb[i] = (char)('0' + dp_rng_below(r, 10));
	}
}

int dp_tmodel_value(const dp_tmodel *m, size_t ci, const dp_grow *g, dp_rng *r, dp_batch *b,
		    dp_value *out, dp_errbuf *eb)
{
	const dp_mcol *mc = &m->cols[ci];
	char buf[128];
	size_t n;
	int rc = DP_OK;

	if (g->nul[ci]) {
		dp_value_set_null(out);
		return DP_OK;
	}
	switch (mc->kind) {
	case DP_CK_CATEGORICAL: {
		const dp_value *v = &mc->cats[g->code[ci]];
		*out = *v;
		if (v->kind == DP_V_TEXT)
			rc = dp_batch_set_text(b, out, v->u.s, v->len);
		else if (v->kind == DP_V_BLOB)
			rc = dp_batch_set_blob(b, out, v->u.s, v->len);
		break;
	}
	case DP_CK_NUMERIC:
		if (mc->okind == DP_V_INT) {
			dp_value_set_int(out, (int64_t)llround(g->num[ci]));
		} else if (mc->okind == DP_V_REAL) {
			dp_value_set_real(out, g->num[ci]);
		} else {
			n = (size_t)snprintf(buf, sizeof(buf), "%.*f", mc->scale > 0 ? mc->scale : 0, g->num[ci]);
			rc = dp_batch_set_text(b, out, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
		}
		break;
	case DP_CK_DATETIME:
		n = dp_dt_format(g->num[ci], &mc->dt, buf, sizeof(buf));
		rc = dp_batch_set_text(b, out, buf, n);
		break;
	case DP_CK_TEXT: {
		char tb[4096];
		size_t maxc = (size_t)m->st->cutoff_length;
		int tries = 0;
		if (mc->col->length > 0 && (size_t)mc->col->length < maxc)
			maxc = (size_t)mc->col->length;
		n = dp_ngram_generate(mc->ngram, r, maxc, tb, sizeof(tb));
		/* a real value drawn back: again, then its shape with fresh
		 * characters (letters for letters, digits for digits) */
		while (n && is_seen(mc, tb, n) && tries < 24) {
			if (++tries < 8)
				n = dp_ngram_generate(mc->ngram, r, maxc, tb, sizeof(tb));
			else
				reshape(r, tb, n, tries >= 16);
		}
		if (tries)
			atomic_fetch_add(&((dp_mcol *)mc)->redrawn, 1);
		if (n && is_seen(mc, tb, n))
			n = 0;     /* could not get away from real values: left empty */
		if (n == 0 && mc->col->notnull) {
			tb[0] = '-';
			n = 1;
		}
		rc = dp_batch_set_text(b, out, tb, n);
		break;
	}
	default:
		dp_value_set_null(out);
		break;
	}
	if (rc)
		return dp_fail(eb, rc, "out of memory");
	return DP_OK;
}

int32_t dp_tmodel_code_of(const dp_tmodel *m, size_t ci, const dp_value *v)
{
	const dp_mcol *mc = &m->cols[ci];
	return mc->dict ? dp_dict_find(mc->dict, v) : -1;
}

void dp_tmodel_encode(const dp_tmodel *m, const dp_value *row, dp_grow *g)
{
	for (size_t c = 0; c < m->ncols; c++) {
		const dp_mcol *mc = &m->cols[c];
		const dp_value *v = &row[c];
		g->nul[c] = v->kind == DP_V_NULL;
		if (mc->kind == DP_CK_CATEGORICAL) {
			int32_t code = dp_tmodel_code_of(m, c, v);
			g->code[c] = code < 0 ? (int32_t)mc->ncat : code;
		} else if (mc->kind == DP_CK_NUMERIC && !g->nul[c]) {
			int sc;
			if (!dp_text_number(v, &g->num[c], &sc))
				g->nul[c] = 1;
		} else if (mc->kind == DP_CK_DATETIME && !g->nul[c]) {
			dp_dtfmt f;
			if (v->kind != DP_V_TEXT || !dp_dt_parse(v->u.s, v->len, &f, &g->num[c]))
				g->nul[c] = 1;
		}
		/* the feature bin, as sampling sets it (children condition on it) */
		if (mc->feat >= 0) {
			if (mc->kind == DP_CK_CATEGORICAL)
				g->ctx[mc->feat] = (uint8_t)(g->code[c] < (int32_t)mc->ncat ? mc->cat_bin[g->code[c]]
											  : mc->nbins - 1);
			else
				g->ctx[mc->feat] = g->nul[c] ? 0 : (uint8_t)dp_mcol_bin_num(mc, g->num[c]);
		}
	}
}
