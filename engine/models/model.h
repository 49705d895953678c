/* engine/models/model.h - one SYNTHESIZE table's model: a chain of
 * per-column conditional models in the spirit of sequential CART synthesis.
 *
 * Training (dp_tmodel_train) takes the table's training sample (rows as the
 * source driver produced them) and:
 *   1. gives every column a kind: forced by the caller (keys, generated
 *      columns) or detected from type and data (categorical, numeric,
 *      datetime, free text);
 *   2. applies the privacy transforms to the training rows: rare categories
 *      replaced (cardinality_threshold, rare_category_replacement), extremes
 *      clipped (clip_threshold), a share of rows perturbed
 *      (sample_noise_ratio);
 *   3. turns every modelled column into a binned feature, picks for each
 *      column the at most max_n_feat_per_model most associated earlier
 *      features (normalised mutual information) and fits one tree per
 *      column (tree.h), on up to n_threads threads;
 *   4. free-text columns get an n-gram model (ngram.h).
 * A child table (one generated per parent row) also sees its parent's
 * features, its previous sibling's and its position; a "stop" tree decides
 * after each child whether the sequence ends (the end-of-sequence token).
 *
 * Generation (dp_tmodel_sample) draws one row given the parent row and the
 * previous sibling; dp_tmodel_value renders a modelled column as a value.
 * A model is read-only after training: generation is thread-safe with one
 * dp_grow and one dp_rng per thread.
 */
#ifndef DP_MODEL_H
#define DP_MODEL_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include "../../base/dp_err.h"
#include "../../base/dp_value.h"
#include "../../base/dp_rng.h"
#include "../../base/dp_time.h"
#include "../../connectors/schema.h"
#include "../config/config.h"
#include "tree.h"
#include "ngram.h"

typedef enum dp_ckind {
	DP_CK_AUTO = 0,      /* caller: detect */
	DP_CK_CATEGORICAL,
	DP_CK_NUMERIC,
	DP_CK_DATETIME,
	DP_CK_TEXT,          /* n-gram model */
	DP_CK_EXTERNAL,      /* caller fills it (keys, generators); not modelled */
	DP_CK_REF,           /* caller fills it; the model keeps its NULL rate */
} dp_ckind;

const char *dp_ckind_name(dp_ckind k);
/* "categorical", "numeric", "datetime", "text" -> kind; else DP_CK_AUTO. */
dp_ckind dp_ckind_parse(const char *s);


typedef struct dp_mcol {
	size_t ci;                   /* column index in the table */
	const dp_column *col;
	dp_ckind kind;
	int exempt_rare;             /* FK or typed values: never replaced */
	/* categorical */
	size_t ncat;
	struct dp_dict *dict;        /* the categories, owned: code <-> value */
	dp_value *cats;              /* dict's values by code (alias) */
	int64_t *catn;               /* training rows per category (after replacement) */
	size_t nrare;                /* categories replaced as rare */
	/* numeric / datetime */
	dp_vkind okind;              /* value kind written (INT, REAL, TEXT) */
	int scale;                   /* TEXT decimals: digits after the point */
	double lo, hi;               /* training range after clipping */
	double sd;                   /* spread, for noise */
	double spikes[16];           /* values holding >= 1% of the rows (0 of
	                                capital_gain, 40 of hours_per_week): drawn
	                                exactly, never smoothed or noised */
	int nspikes;
	size_t nclipped;             /* training values clipped */
	dp_dtfmt dt;                 /* datetime: the source's text shape */
	/* binned feature */
	int feat;                    /* feature index, -1 when not a feature */
	int nbins;
	double *edges;               /* numeric: nbins-2 inner edges (bin 0 = NULL) */
	int32_t *cat_bin;            /* categorical: code -> bin */
	/* encoded rows: training rows first, then holdout rows */
	int32_t *code, *code_orig;   /* categorical (orig: before rare replacement) */
	double *num, *num_orig;      /* numeric/datetime (orig: before clipping/noise) */
	uint8_t *nul;                /* numeric/datetime/text/ref: NULL */
	double null_rate;
	/* model */
	dp_tree *tree;
	int *preds;                  /* predictor features */
	int npreds;
	dp_ngram *ngram;
	/* text: sorted fingerprints (dp_hash64) of every value of the sample,
	 * training and holdout: an n-gram that reproduces one is drawn again,
	 * so no real value of a text column (names, account numbers, company
	 * names) comes out of synthesis verbatim */
	uint64_t *seen;
	size_t nseen;
	_Atomic uint64_t redrawn;    /* generated values that were real, drawn again */
	size_t distinct;             /* distinct training values (cardinality order) */
} dp_mcol;

typedef struct dp_tmodel dp_tmodel;

struct dp_tmodel {
	const dp_table *t;
	const dp_settings *st;
	size_t ntrain, nhold;        /* encoded rows: [0,ntrain) train, then holdout */
	size_t ncols;
	dp_mcol *cols;               /* t->ncols entries */
	size_t norder;
	size_t *order;               /* modelled columns (trees) in visiting order */
	/* features: own modelled columns, then parent's, previous sibling's, position */
	int nfeat;
	uint8_t **fbin;              /* fbin[f][row] */
	int *nbins, *ordered;
	int par0, npar, prev0, pos_feat;
	/* sequences */
	const dp_tmodel *parent;     /* NULL for a root table */
	uint32_t *par_row;           /* row -> parent's encoded row */
	uint32_t *prev_row;          /* row -> previous sibling's row, UINT32_MAX = first */
	uint16_t *pos;               /* row -> position among its siblings */
	uint8_t *use;                /* row -> trains the column models: children
	                                beyond the sequence cap do not (capped
	                                before training), NULL = all */
	dp_tree *stop;               /* step model: continue or end of sequence */
	int64_t eos_token;           /* the token that ends a sequence */
	int max_len;                 /* max children generated per parent */
	size_t nsteps;
	int32_t *step_tok;           /* per step: 1 = continue, eos_token's class 0 = end */
	uint8_t **step_fbin;         /* step features (parent, prev, position) */
	/* training sequences of the parent's rows: children per parent row */
	uint32_t *nchildren;         /* per parent encoded row (train + holdout) */
	char log[512];               /* one line on what was done (privacy transforms) */
};

/* A generated row in encoded form (one per thread, reused). */
typedef struct dp_grow {
	int32_t *code;               /* per column */
	double *num;
	uint8_t *nul;
	uint8_t *ctx;                /* nfeat bins */
} dp_grow;

/* Column kinds the caller decides, per table column: DP_CK_AUTO, a forced
 * modelled kind (engine-file override) or DP_CK_EXTERNAL / DP_CK_REF. */
typedef struct dp_train_in {
	const dp_table *t;
	const dp_settings *st;
	const dp_ckind *kinds;       /* t->ncols */
	const uint8_t *exempt;       /* t->ncols or NULL: 1 = FK values, never
	                                replaced as rare categories */
	const dp_value *const *rows; /* nrows rows of t->ncols values */
	size_t nrows;
	size_t nhold;                /* the last nhold rows are the holdout */
	/* child table: parent model and, per row, the parent's encoded row and
	 * the position among siblings (rows are grouped by parent, in order) */
	const dp_tmodel *parent;
	const uint32_t *par_row;
	const uint8_t *par_complete; /* per parent row: all its children were read
	                                (NULL = all); the sequence model learns
	                                lengths from complete parents only */
	uint64_t seed;
	int n_threads;
} dp_train_in;

int dp_tmodel_train(const dp_train_in *in, dp_tmodel **out, dp_errbuf *eb) DP_MUSTCHECK;
void dp_tmodel_free(dp_tmodel *m);

int dp_grow_init(dp_grow *g, const dp_tmodel *m) DP_MUSTCHECK;
void dp_grow_free(dp_grow *g);

/* Draw one row. parent: the parent's generated row (child tables), prev:
 * the previous sibling or NULL, pos: position among siblings. */
void dp_tmodel_sample(const dp_tmodel *m, dp_rng *r, const dp_grow *parent,
		      const dp_grow *prev, int pos, dp_grow *out);
/* Child tables: does the sequence end before child number pos? */
int dp_tmodel_stop(const dp_tmodel *m, dp_rng *r, const dp_grow *parent,
		   const dp_grow *prev, int pos);
/* Render modelled column ci of g into *out (bytes copied into b). */
int dp_tmodel_value(const dp_tmodel *m, size_t ci, const dp_grow *g, dp_rng *r,
		    dp_batch *b, dp_value *out, dp_errbuf *eb) DP_MUSTCHECK;
/* Encode a row of the table (read back from a target, or a copied parent
 * row read from the source) into g's code/num/nul and feature bins, as dp_tmodel_sample would have produced it: categories not
 * in the training dictionary get code ncat. Used by `doppel report`. */
void dp_tmodel_encode(const dp_tmodel *m, const dp_value *row, dp_grow *g);
/* The category code a value has in column ci's dictionary, or -1. */
int32_t dp_tmodel_code_of(const dp_tmodel *m, size_t ci, const dp_value *v);

#endif
