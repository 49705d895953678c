/* engine/models/report.h - quality & privacy scores of synthesized tables.
 *
 * Scores follow the SDMetrics conventions users compare tools by:
 *   Column Shapes: 1 - KS statistic (numbers, dates), 1 - total variation
 *     distance (categories), real training sample vs synthetic sample;
 *   Column Pair Trends: 1 - |corr_real - corr_synth| / 2 for two numeric
 *     columns (Pearson), 1 - TVD of the joint distribution otherwise
 *     (numbers binned by the real deciles);
 *   quality = mean(Column Shapes, Column Pair Trends);
 *   child tables: 1 - KS of the children-per-parent distribution.
 * Privacy: the share of synthetic rows identical to a training row (with
 * the same share of holdout rows as the baseline), and the DCR share: the
 * share of synthetic rows whose nearest real row is in a training sample
 * rather than in the holdout sample of the same size that was kept out of
 * training (0.5 = no closer to the training rows than to unseen people).
 *
 * This module computes the scores only: a dp_report is plain data (numbers,
 * names, the distributions behind the charts), read through the accessors
 * below. Rendering it (report.json, the self-contained report.html with
 * inline SVG) and writing the files is report/ (report/report_render.h),
 * above the engine: nothing here knows JSON or HTML.
 */
#ifndef DP_REPORT_H
#define DP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* Synthetic rows kept for the report, in encoded form. */
typedef struct dp_ssample {
	size_t cap, ncols;
	size_t n;                 /* rows put (max index + 1) */
	int32_t **code;           /* per column (NULL when not modelled) */
	double **num;
	uint8_t **nul;
	uint32_t *children;       /* child tables: children of the first parents */
	size_t nparents, capparents;
} dp_ssample;

int dp_ssample_init(dp_ssample *s, const dp_tmodel *m, size_t cap) DP_MUSTCHECK;
/* Row i (< cap) of the sample; distinct i may be put from distinct threads. */
void dp_ssample_put(dp_ssample *s, size_t i, const dp_tmodel *m, const dp_grow *g);
/* Child tables: parent number i (< capparents) had n children. */
void dp_ssample_children(dp_ssample *s, size_t i, uint32_t n);
void dp_ssample_free(dp_ssample *s);

typedef struct dp_report dp_report;

/* The headline scores of one table (also kept per table by the job). */
typedef struct dp_report_scores {
	double quality, shapes, pairs;   /* -1 when not computed */
	double children_ks;              /* 1 - KS, -1 for root tables */
	double identical, identical_holdout;
	double dcr_share;                /* -1 without a holdout */
	size_t nholdout;
} dp_report_scores;

/* Chart sizes. They show in report.json too (distribution lengths), so
 * they belong to the report, not to one renderer. */
#define DP_REPORT_TOP_CATEGORIES 12  /* categorical: the most frequent categories */
#define DP_REPORT_HIST_BINS 20       /* numeric, datetime: equal bins over the real range */
#define DP_REPORT_CHILD_BINS 12      /* children per parent: 0..10, then 11 and more */
#define DP_REPORT_MAX_BARS 20        /* the largest of the three */

/* Which SDMetrics score a number is. */
typedef enum dp_report_metric {
	DP_REPORT_KS_COMPLEMENT = 0,           /* 1 - KS statistic */
	DP_REPORT_TV_COMPLEMENT,               /* 1 - total variation distance */
	DP_REPORT_CORRELATION_SIMILARITY,      /* 1 - |corr_real - corr_synth| / 2 */
	DP_REPORT_CONTINGENCY_SIMILARITY       /* 1 - TVD of the joint distribution */
} dp_report_metric;

/* "KSComplement", "TVComplement", "CorrelationSimilarity",
 * "ContingencySimilarity" (static strings). */
const char *dp_report_metric_name(dp_report_metric m);

/* One column as the model visited it (report.json "column_order"). */
typedef struct dp_report_model_col {
	const char *column;
	int ngram;                 /* 1: a text column with an n-gram model: only
				    * vocabulary is set */
	dp_ckind kind;
	int predictors;            /* earlier columns the column's tree uses */
	size_t leaves;
	size_t rare_replaced;      /* categories replaced as rare */
	size_t clipped;            /* training values clipped */
	size_t vocabulary;         /* ngram: the model's vocabulary */
	uint64_t redrawn;          /* ngram: generated values that were real values
				    * of the sample, drawn again (none is written) */
} dp_report_model_col;

/* Column Shapes of one modelled column: its score and the distributions
 * behind it, real (training sample) against synthetic. */
typedef struct dp_report_column {
	const char *column;
	dp_ckind kind;
	dp_report_metric metric;   /* TV_COMPLEMENT for categories, else KS_ */
	double score;
	/* categorical: the nbars (<= DP_REPORT_TOP_CATEGORIES) most frequent
	 * categories, most frequent first, value[i] their text (at most 40
	 * bytes: longer values end in "...", NULL shows "(null)");
	 * numeric/datetime: DP_REPORT_HIST_BINS equal bins from real_min to
	 * real_max, value[] unused. real[i], synthetic[i]: shares of rows. */
	int nbars;
	const char *value[DP_REPORT_MAX_BARS];
	double real[DP_REPORT_MAX_BARS], synthetic[DP_REPORT_MAX_BARS];
	double real_min, real_max; /* numeric/datetime: the real sample's range */
} dp_report_column;

/* Column Pair Trends of two modelled columns (model order). */
typedef struct dp_report_pair {
	const char *column[2];
	dp_report_metric metric;   /* CORRELATION_ for two numbers, else CONTINGENCY_ */
	double score;
} dp_report_pair;

/* Child tables: children per parent row, real against synthetic. */
typedef struct dp_report_children {
	const char *parent;
	double score;              /* 1 - KS (= scores.children_ks) */
	double real_median;        /* middle value of the sorted real counts */
	double synthetic_median;
	/* shares of parents with 0, 1, ..., 10, 11 or more children */
	double real[DP_REPORT_CHILD_BINS], synthetic[DP_REPORT_CHILD_BINS];
} dp_report_children;

/* The sequence model of a child table. */
typedef struct dp_report_sequence {
	const char *parent;
	int64_t end_of_sequence_token;
	int max_length;
	size_t training_steps;
} dp_report_sequence;

/* DCR figures beyond scores.dcr_share (set when it is >= 0). */
typedef struct dp_report_dcr {
	size_t synthetic_rows;     /* synthetic rows compared */
	size_t real_rows;          /* rows on each real side (training, holdout) */
} dp_report_dcr;

/* One synthesized table. Its strings and arrays belong to the report. */
typedef struct dp_report_table {
	const char *name;
	/* non-NULL: synthesized without a model (mock values), and why; then
	 * only name and synthetic_rows are set */
	const char *not_modelled;
	int64_t synthetic_rows;       /* rows the target received */
	size_t training_rows, holdout_rows;
	size_t scored_rows;           /* synthetic rows kept for scoring */
	double training_seconds, generation_seconds;
	const char *model;            /* one line on the model (privacy transforms) */
	size_t nmodel_cols;           /* tree-modelled columns in visiting order, then text */
	dp_report_model_col *model_cols;
	int has_sequence;             /* a child table: its sequence model */
	dp_report_sequence sequence;
	size_t ncolumns;              /* Column Shapes, model order */
	dp_report_column *columns;
	size_t npairs;                /* Column Pair Trends, model order */
	dp_report_pair *pairs;
	int has_children;             /* a child table with generated parents */
	dp_report_children children;
	int has_privacy;              /* identical shares (and DCR) computed */
	dp_report_dcr dcr;
	dp_report_scores scores;
} dp_report_table;

/* New empty report; seed draws the DCR's training sample. NULL on
 * out-of-memory. dp_report_free() frees it and everything it holds. */
dp_report *dp_report_new(int64_t seed);
void dp_report_free(dp_report *r);
/* Threads for the distance computations (default 1). */
void dp_report_set_threads(dp_report *r, int n);
/* Score one table; rows_written is what the target received. m and s are
 * only read (what the report keeps is copied); *out gets the scores. On
 * failure nothing is added. */
int dp_report_add(dp_report *r, const dp_tmodel *m, const dp_ssample *s, int64_t rows_written,
		  double train_s, double gen_s, dp_report_scores *out, dp_errbuf *eb) DP_MUSTCHECK;
/* A table that was synthesized without a model (mock values): listed
 * with the reason, no scores. */
int dp_report_add_unmodelled(dp_report *r, const char *table, int64_t rows_written,
			     const char *why) DP_MUSTCHECK;
/* Append a table given as plain data (tests, a report read back): t and
 * everything it points to are copied; the caller keeps its own. */
int dp_report_add_table(dp_report *r, const dp_report_table *t) DP_MUSTCHECK;

/* Reading a report. */
int64_t dp_report_seed(const dp_report *r);
size_t dp_report_ntables(const dp_report *r);
/* Table i (< ntables) in the order added, owned by r; NULL past the end. */
const dp_report_table *dp_report_table_at(const dp_report *r, size_t i);
/* Overall quality: the mean quality of the tables that were scored
 * (scores.quality >= 0), -1 when none; *nscored (may be NULL) gets how
 * many there were. */
double dp_report_quality(const dp_report *r, int *nscored);

#endif
