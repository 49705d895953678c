/* engine/synth/synth.h - the SYNTHESIZE stage (see synth.c). */
#ifndef DP_SYNTH_H
#define DP_SYNTH_H

#include "../run/run.h"

struct dp_report;

/* Train and generate every SYNTHESIZE table of p, after the load of the
 * others (synthesized rows may reference them); writes through tgt. With
 * `report` non-NULL the quality report is kept there (owned by the caller). */
int dp_synth_run(const dp_plan *p, dp_source *src, dp_target *tgt, dp_run *r,
		 struct dp_report **report, dp_errbuf *eb) DP_MUSTCHECK;
/* Retrain on the same samples (same seed) and score the rows the target
 * holds (read through td/tc, a read-only session on the target). */
int dp_synth_report(const dp_plan *p, dp_source *src, dp_run *r, struct dp_report **report,
		    const dp_connector *td, dp_conn *tc, dp_errbuf *eb) DP_MUSTCHECK;

#endif
