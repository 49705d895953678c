/* engine/models/tree.h - one CART tree over binned features.
 *
 * Every predictor is a column of small bins (uint8: quantile bins for
 * numbers and dates, category codes for categoricals, bin 0 for NULL), so a
 * node's best split is found from per-bin histograms in one pass over its
 * rows (the histogram method of LightGBM, here for synthesis). A split sends
 * a set of bins left: for ordered predictors a prefix of the bins, for
 * categorical ones a prefix of the bins sorted by their target statistic
 * (Breiman's ordering), so both are one 256-bit mask at generation time.
 *
 * Targets: categorical (Gini impurity over codes) or numeric (variance of
 * the non-NULL values plus the Gini of the NULL indicator, so missing values
 * are modelled, not dropped). A leaf keeps the training rows it holds: the
 * synthesizer samples one of them and takes its value (sequential CART
 * synthesis samples from leaves the same way).
 *
 * A tree is read-only after dp_tree_fit and may be walked from many threads.
 */
#ifndef DP_TREE_H
#define DP_TREE_H

#include <stddef.h>
#include <stdint.h>

#define DP_TREE_MAXBINS 256

typedef struct dp_tree dp_tree;

typedef struct dp_tree_data {
	size_t nrows;                 /* training rows 0..nrows-1 */
	const uint8_t *const *fbin;   /* fbin[f][row]: bin of feature f */
	const int *nbins;             /* nbins[f] <= DP_TREE_MAXBINS */
	const int *ordered;           /* ordered[f]: bins have an order (numbers) */
	const int *feats;             /* predictor feature indexes */
	int nfeat;
	/* target: categorical (ycode, ncls) or numeric (ynum + ynull) */
	int categorical;
	const int32_t *ycode;
	int ncls;
	const double *ynum;
	const uint8_t *ynull;
	const double *yval;           /* NULL or per row: the value behind ynum
	                                 (ynum may be its rank); each leaf keeps
	                                 the range of its yval */
	int min_leaf;                 /* rows per leaf, >= 1 */
	int max_depth;
	const uint8_t *use;           /* NULL or use[row]: row takes part */
} dp_tree_data;

/* Fit a tree. NULL on out-of-memory. */
dp_tree *dp_tree_fit(const dp_tree_data *d);
void dp_tree_free(dp_tree *t);

/* The leaf a context falls into: ctx[f] is the bin of feature f (indexed
 * like fbin). Returns the leaf's training rows and their number; *sd (may
 * be NULL) receives the standard deviation of a numeric target in the leaf,
 * the bandwidth base for smoothing. */
const uint32_t *dp_tree_leaf(const dp_tree *t, const uint8_t *ctx, size_t *n, double *sd);

/* dp_tree_leaf, also giving the range [*lo, *hi] of the leaf's non-NULL
 * yval (both 0 without yval or values). */
const uint32_t *dp_tree_leaf_range(const dp_tree *t, const uint8_t *ctx, size_t *n, double *sd,
				   double *lo, double *hi);

size_t dp_tree_nleaves(const dp_tree *t);

#endif
