/* engine/models/tree.c - histogram CART for sequential synthesis. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tree.h"

typedef struct tnode {
	int feat;                 /* -1: leaf */
	uint64_t mask[4];         /* bins going left */
	int left, right;
	uint32_t off, n;          /* leaf: rows[off .. off+n) */
	double sd;                /* leaf: sd of the numeric target (smoothing) */
	double lo, hi;            /* leaf: range of its yval */
} tnode;

struct dp_tree {
	tnode *nodes;
	size_t nnodes, cap;
	uint32_t *rows;
	size_t nleaves;
};

/* Per-fit scratch, sized once. */
typedef struct fitctx {
	const dp_tree_data *d;
	dp_tree *t;
	double root_var;          /* numeric target: variance at the root */
	/* categorical target: classes present in the node, densely renumbered */
	int32_t *cls_local;       /* ncls entries, -1 = absent */
	int32_t *cls_list;        /* local -> class */
	double *hist;             /* nbins * (nlocal or 4) */
	double *tot;              /* node class totals (local) */
	double *left;             /* running left totals */
	double *right;            /* right totals at a cut point */
	int order[DP_TREE_MAXBINS];
	double key[DP_TREE_MAXBINS];
} fitctx;

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int add_node(dp_tree *t)
{
	if (t->nnodes == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		tnode *nn = realloc(t->nodes, nc * sizeof(*nn));
		if (!nn)
			return -1;
		t->nodes = nn;
		t->cap = nc;
	}
	memset(&t->nodes[t->nnodes], 0, sizeof(tnode));
	t->nodes[t->nnodes].feat = -1;
	return (int)t->nnodes++;
}

static int cmp_bins(const void *a, const void *b, void *key)
{
	const double *k = key;
	double x = k[*(const int *)a], y = k[*(const int *)b];
	return x < y ? -1 : x > y;
}

/* Gini-weighted impurity n * (1 - sum p^2) of counts c[0..k). */
static double gini_cost(const double *c, int k, double n)
{
	double s = 0;
	if (n <= 0)
		return 0;
	for (int i = 0; i < k; i++)
		s += c[i] * c[i];
	return n - s / n;
}

/* numeric node cost from (count, nonnull count, sum, sumsq) */
static double num_cost(const double *h, double root_var)
{
	double n = h[0], nn = h[1], sse = 0, nulls = n - nn;
	if (nn > 0)
		sse = h[3] - h[2] * h[2] / nn;
	if (sse < 0)
		sse = 0;
	return sse / root_var + (n > 0 ? 2.0 * nulls * nn / n : 0);
}

/* Best split of rows[off..off+n) over the predictors. Returns the cost
 * reduction (0 = no useful split) and fills feat/mask. */
static double best_split(fitctx *fc, const uint32_t *rows, uint32_t n, int *bfeat,
			 uint64_t bmask[4])
{
	const dp_tree_data *d = fc->d;
	int nloc = 0, width;
	double parent_cost, best = 1e-9 * (double)n;
	int found = 0;

	if (d->categorical) {
		for (uint32_t i = 0; i < n; i++) {
			int32_t c = d->ycode[rows[i]];
			if (fc->cls_local[c] < 0) {
				fc->cls_local[c] = nloc;
				fc->cls_list[nloc++] = c;
			}
		}
		if (nloc < 2)
			goto done;          /* pure node */
		width = nloc;
		memset(fc->tot, 0, (size_t)nloc * sizeof(double));
		for (uint32_t i = 0; i < n; i++)
			fc->tot[fc->cls_local[d->ycode[rows[i]]]] += 1;
		parent_cost = gini_cost(fc->tot, nloc, n);
	} else {
		double h[4] = {0, 0, 0, 0};
		width = 4;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = rows[i];
			h[0] += 1;
			if (!d->ynull[r]) {
				h[1] += 1;
				h[2] += d->ynum[r];
				h[3] += d->ynum[r] * d->ynum[r];
			}
		}
		parent_cost = num_cost(h, fc->root_var);
		memcpy(fc->tot, h, sizeof(h));
		if (parent_cost <= 1e-12)
			goto done;
	}

	for (int fi = 0; fi < d->nfeat; fi++) {
		int f = d->feats[fi], nb = d->nbins[f], m = 0;
		const uint8_t *fb = d->fbin[f];
		double *hist = fc->hist;
		double cnt[DP_TREE_MAXBINS];

		if (nb < 2)
			continue;
		memset(hist, 0, (size_t)nb * (size_t)width * sizeof(double));
		memset(cnt, 0, (size_t)nb * sizeof(double));
		if (d->categorical) {
			for (uint32_t i = 0; i < n; i++) {
				uint32_t r = rows[i];
				hist[(size_t)fb[r] * (size_t)width + (size_t)fc->cls_local[d->ycode[r]]] += 1;
				cnt[fb[r]] += 1;
			}
		} else {
			for (uint32_t i = 0; i < n; i++) {
				uint32_t r = rows[i];
				double *h = &hist[(size_t)fb[r] * 4];
				h[0] += 1;
				cnt[fb[r]] += 1;
				if (!d->ynull[r]) {
					h[1] += 1;
					h[2] += d->ynum[r];
					h[3] += d->ynum[r] * d->ynum[r];
				}
			}
		}
		/* bins present in the node, in split order */
		int majority = 0;
		if (d->categorical)
			for (int c = 1; c < nloc; c++)
				if (fc->tot[c] > fc->tot[majority])
					majority = c;
		for (int b = 0; b < nb; b++) {
			if (cnt[b] <= 0)
				continue;
			fc->order[m] = b;
			if (d->ordered[f])
				fc->key[b] = b;
			else if (d->categorical)
				fc->key[b] = hist[(size_t)b * (size_t)width + (size_t)majority] / cnt[b];
			else {
				const double *h = &hist[(size_t)b * 4];
				fc->key[b] = h[1] > 0 ? h[2] / h[1] : -1e300 + h[0] - h[1];
			}
			m++;
		}
		if (m < 2)
			continue;
		if (!d->ordered[f]) {
			qsort_r(fc->order, (size_t)m, sizeof(int), cmp_bins, fc->key);
		}
		/* scan cut points */
		double ln = 0;
		memset(fc->left, 0, (size_t)width * sizeof(double));
		for (int k = 0; k < m - 1; k++) {
			int b = fc->order[k];
			const double *h = &hist[(size_t)b * (size_t)width];
			double lc, rc_;
			for (int c = 0; c < width; c++)
				fc->left[c] += h[c];
			ln += cnt[b];
			if (ln < d->min_leaf || (double)n - ln < d->min_leaf)
				continue;
			if (d->categorical) {
				double *rg = fc->right;
				for (int c = 0; c < width; c++)
					rg[c] = fc->tot[c] - fc->left[c];
				lc = gini_cost(fc->left, width, ln);
				rc_ = gini_cost(rg, width, (double)n - ln);
			} else {
				double rg[4];
				for (int c = 0; c < 4; c++)
					rg[c] = fc->tot[c] - fc->left[c];
				lc = num_cost(fc->left, fc->root_var);
				rc_ = num_cost(rg, fc->root_var);
			}
			if (parent_cost - (lc + rc_) > best) {
				best = parent_cost - (lc + rc_);
				found = 1;
				*bfeat = f;
				memset(bmask, 0, 4 * sizeof(uint64_t));
				for (int q = 0; q <= k; q++)
					bmask[fc->order[q] >> 6] |= 1ull << (fc->order[q] & 63);
			}
		}
	}
done:
	if (d->categorical)
		for (int c = 0; c < nloc; c++)
			fc->cls_local[fc->cls_list[c]] = -1;
	return found ? best : 0;
}

static int grow(fitctx *fc, int node, uint32_t off, uint32_t n, int depth)
{
	const dp_tree_data *d = fc->d;
	dp_tree *t = fc->t;
	int feat = -1;
	uint64_t mask[4];

	t->nodes[node].off = off;
	t->nodes[node].n = n;
	if (depth < d->max_depth && n >= 2u * (uint32_t)d->min_leaf &&
	    best_split(fc, t->rows + off, n, &feat, mask) > 0) {
		const uint8_t *fb = d->fbin[feat];
		uint32_t *r = t->rows + off, i = 0, j = n;
		/* partition: left bins first */
		while (i < j) {
			if (mask[fb[r[i]] >> 6] >> (fb[r[i]] & 63) & 1) {
				i++;
			} else {
				uint32_t tmp = r[i];
				r[i] = r[--j];
				r[j] = tmp;
			}
		}
		int l = add_node(t), rr = add_node(t);
		if (l < 0 || rr < 0)
			return -1;
		t->nodes[node].feat = feat;
		memcpy(t->nodes[node].mask, mask, sizeof(mask));
		t->nodes[node].left = l;
		t->nodes[node].right = rr;
		if (grow(fc, l, off, i, depth + 1) || grow(fc, rr, off + i, n - i, depth + 1))
			return -1;
		return 0;
	}
	t->nleaves++;
	if (!d->categorical) {
		/* Silverman's spread: min(sd, IQR / 1.34), robust to the one huge
		 * value a leaf of file sizes or amounts often holds */
		double s = 0, s2 = 0, m = 0, *v = malloc((n + 1) * sizeof(double));
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = t->rows[off + i];
			if (!d->ynull[r]) {
				if (v)
					v[(size_t)m] = d->ynum[r];
				s += d->ynum[r];
				s2 += d->ynum[r] * d->ynum[r];
				m += 1;
			}
		}
		double sd = m > 1 && s2 / m - (s / m) * (s / m) > 0 ? sqrt(s2 / m - (s / m) * (s / m)) : 0;
		if (v && m >= 4) {
			qsort(v, (size_t)m, sizeof(double), cmp_dbl);
			double iqr = (v[(size_t)(m * 3 / 4)] - v[(size_t)(m / 4)]) / 1.34;
			if (iqr > 0 && iqr < sd)
				sd = iqr;
		}
		free(v);
		t->nodes[node].sd = sd;
		if (d->yval) {
			/* the range of the leaf's values */
			double *w = malloc((n + 1) * sizeof(double));
			size_t k = 0;
			for (uint32_t i = 0; w && i < n; i++) {
				uint32_t r = t->rows[off + i];
				if (!d->ynull[r])
					w[k++] = d->yval[r];
			}
			if (w && k) {
				qsort(w, k, sizeof(double), cmp_dbl);
				t->nodes[node].lo = w[0];
				t->nodes[node].hi = w[k - 1];
			}
			free(w);
		}
	}
	return 0;
}

dp_tree *dp_tree_fit(const dp_tree_data *d)
{
	dp_tree *t = calloc(1, sizeof(*t));
	fitctx fc;
	uint32_t n = 0;
	int maxb = 2, ok = 0;

	memset(&fc, 0, sizeof(fc));
	if (!t)
		return NULL;
	t->rows = malloc((d->nrows + 1) * sizeof(uint32_t));
	if (!t->rows)
		goto out;
	for (size_t r = 0; r < d->nrows; r++)
		if (!d->use || d->use[r])
			t->rows[n++] = (uint32_t)r;
	for (int i = 0; i < d->nfeat; i++)
		if (d->nbins[d->feats[i]] > maxb)
			maxb = d->nbins[d->feats[i]];
	fc.d = d;
	fc.t = t;
	fc.hist = malloc((size_t)maxb * (size_t)(d->categorical ? (d->ncls > 4 ? d->ncls : 4) : 4) *
			 sizeof(double));
	fc.tot = calloc((size_t)(d->categorical ? d->ncls + 4 : 4), sizeof(double));
	fc.left = calloc((size_t)(d->categorical ? d->ncls + 4 : 4), sizeof(double));
	fc.right = calloc((size_t)(d->categorical ? d->ncls + 4 : 4), sizeof(double));
	if (d->categorical) {
		fc.cls_local = malloc((size_t)(d->ncls + 1) * sizeof(int32_t));
		fc.cls_list = malloc((size_t)(d->ncls + 1) * sizeof(int32_t));
		if (fc.cls_local)
			for (int c = 0; c <= d->ncls; c++)
				fc.cls_local[c] = -1;
	}
	if (!fc.hist || !fc.tot || !fc.left || !fc.right || (d->categorical && (!fc.cls_local || !fc.cls_list)))
		goto out;
	if (!d->categorical) {
		double s = 0, s2 = 0, m = 0;
		for (uint32_t i = 0; i < n; i++)
			if (!d->ynull[t->rows[i]]) {
				double v = d->ynum[t->rows[i]];
				s += v;
				s2 += v * v;
				m += 1;
			}
		fc.root_var = m > 1 ? (s2 - s * s / m) / m : 0;
		if (!(fc.root_var > 0))
			fc.root_var = 1;
	}
	if (add_node(t) < 0 || grow(&fc, 0, 0, n, 0))
		goto out;
	ok = 1;
out:
	free(fc.hist);
	free(fc.tot);
	free(fc.left);
	free(fc.right);
	free(fc.cls_local);
	free(fc.cls_list);
	if (!ok) {
		dp_tree_free(t);
		return NULL;
	}
	return t;
}

void dp_tree_free(dp_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->rows);
	free(t);
}

const uint32_t *dp_tree_leaf(const dp_tree *t, const uint8_t *ctx, size_t *n, double *sd)
{
	return dp_tree_leaf_range(t, ctx, n, sd, NULL, NULL);
}

const uint32_t *dp_tree_leaf_range(const dp_tree *t, const uint8_t *ctx, size_t *n, double *sd,
				   double *lo, double *hi)
{
	const tnode *nd = &t->nodes[0];

	while (nd->feat >= 0) {
		uint8_t b = ctx[nd->feat];
		nd = &t->nodes[(nd->mask[b >> 6] >> (b & 63) & 1) ? nd->left : nd->right];
	}
	*n = nd->n;
	if (sd)
		*sd = nd->sd;
	if (lo)
		*lo = nd->lo;
	if (hi)
		*hi = nd->hi;
	return t->rows + nd->off;
}

size_t dp_tree_nleaves(const dp_tree *t)
{
	return t ? t->nleaves : 0;
}
