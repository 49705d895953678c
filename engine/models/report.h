/* engine/models/report.h - quality & privacy report of synthesized tables.
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
 * Output: report.json and a self-contained report.html (inline SVG).
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

typedef struct dp_report_scores {
	double quality, shapes, pairs;   /* -1 when not computed */
	double children_ks;              /* 1 - KS, -1 for root tables */
	double identical, identical_holdout;
	double dcr_share;                /* -1 without a holdout */
	size_t nholdout;
} dp_report_scores;

dp_report *dp_report_new(int64_t seed);
void dp_report_free(dp_report *r);
/* Threads for the distance computations (default 1). */
void dp_report_set_threads(dp_report *r, int n);
/* Score one table; rows_written is what the target received. */
int dp_report_add(dp_report *r, const dp_tmodel *m, const dp_ssample *s, int64_t rows_written,
		  double train_s, double gen_s, dp_report_scores *out, dp_errbuf *eb) DP_MUSTCHECK;
/* A table that was synthesized without a model (mock values): listed
 * with the reason, no scores. */
int dp_report_add_unmodelled(dp_report *r, const char *table, int64_t rows_written,
			     const char *why) DP_MUSTCHECK;
size_t dp_report_ntables(const dp_report *r);
/* Write dir/report.json and dir/report.html. */
int dp_report_write(const dp_report *r, const char *dir, dp_errbuf *eb) DP_MUSTCHECK;

#endif
