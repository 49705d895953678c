/* engine/synth/synth_report.c - `doppel report`: retrain on the same samples
 * (same seed) and score the rows the target holds, read back read-only. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "synth_int.h"
#include "../subset/subset.h"
#include "../models/model_int.h"
#include "../../base/dp_log.h"

/* ---- `doppel report`: score a synthesized target again ---- */

/* Read target table s back (key order = generation order) into its sample. */
static int read_back(synth *sy, syn_tab *s, const dp_connector *td, dp_conn *tc, dp_errbuf *eb)
{
	dp_read_spec spec;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(s->t->ncols, 2048);
	dp_grow g;
	int eof = 0, rc;
	int64_t n = 0;

	(void)sy;
	if (!b || dp_grow_init(&g, s->m)) {
		dp_batch_free(b);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	memset(&spec, 0, sizeof(spec));
	spec.table = s->t;
	spec.limit = -1;
	rc = td->read_open(tc, &spec, &r, eb);
	while (!rc && !eof) {
		dp_batch_reset(b);
		rc = td->read_next(r, b, &eof, eb);
		for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++, n++) {
			const dp_value *row = dp_batch_row_c(b, i);
			int64_t k;
			if ((uint64_t)n < s->sample.cap) {
				dp_tmodel_encode(s->m, row, &g);
				dp_ssample_put(&s->sample, (size_t)n, s->m, &g);
			}
			if (s->parent && !s->parent->copied && dp_value_to_i64(&row[s->pt->seq_col], &k) && k >= 1 &&
			    (uint64_t)(k - 1) < s->sample.capparents)
				s->sample.children[k - 1]++;
		}
	}
	if (r)
		td->read_close(r);
	dp_grow_free(&g);
	dp_batch_free(b);
	s->nout = n;
	if (s->parent && !s->parent->copied)
		s->sample.nparents = (size_t)(s->parent->nout < (int64_t)s->sample.capparents ?
					      s->parent->nout : (int64_t)s->sample.capparents);
	return rc;
}

int dp_synth_report(const dp_plan *p, dp_source *src, dp_run *r, struct dp_report **report,
		    const dp_connector *td, dp_conn *tc, dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(p, src, NULL, NULL, r);
	const dp_stage *sg = &stage;
	synth sy;
	int rc;

	if (!sg->plan->nsynth)
		return dp_fail(eb, DP_ERR_CONFIG, "the engine has no SYNTHESIZE table: nothing to report");
	memset(&sy, 0, sizeof(sy));
	sy.sg = sg;
	sy.report = report;
	rc = syn_setup_tabs(&sy, eb);
	for (size_t first = 0, last; first < sy.n && !rc; first = last) {
		last = syn_tree_end(&sy, first);
		/* the same training sample and holdout as the run (same seed) */
		rc = syn_train_tree(&sy, first, last, eb);
		for (size_t q = first; q < last && !rc; q++) {
			syn_tab *s = &sy.tabs[q];
			rc = read_back(&sy, s, td, tc, eb);
			if (!rc)
				rc = syn_score_table(&sy, s, eb);
			atomic_store(&s->jt->rows_written, s->nout);
			atomic_store(&s->jt->state, rc ? DP_TS_FAILED : DP_TS_DONE);
		}
		syn_release_tree(&sy, first, last);
	}
	syn_free_tabs(&sy);
	return rc;
}
