/* engine/plan/plan_int.h - helpers shared by plan.c (building the plan),
 * plan_synth.c (its SYNTHESIZE part) and plan_print.c (`doppel plan`). */
#ifndef DP_PLAN_INT_H
#define DP_PLAN_INT_H

#include "plan.h"

/* The FK of table t that column ci belongs to (and its position in it), or
 * NULL. */
const dp_fk *dp_plan_fk_of_col(const dp_table *t, size_t ci, size_t *pos);
/* Plan index of the table named `name`, or -1. */
long dp_plan_index(const dp_plan *p, const char *name);
/* Compile generator `spec` for column ci of pt into pc (action GEN, or COPY
 * for an identity generator). */
int dp_plan_make_gen(const dp_plan *p, const dp_plan_table *pt, size_t ci, const char *spec,
		     const char *value, int consistent, const char *locale, dp_plan_col *pc,
		     dp_errbuf *eb) DP_MUSTCHECK;

/* plan_synth.c: sequence parents and refusals (before the columns) */
int dp_plan_synth_tables(dp_plan *p, dp_errbuf *eb) DP_MUSTCHECK;
/* plan_synth.c: generation order of the sequence trees (after the columns) */
int dp_plan_synth_order(dp_plan *p, dp_errbuf *eb) DP_MUSTCHECK;
/* plan_synth.c: column ci of a SYNTHESIZE table: 1 planned, 0 to go through
 * PII detection (then synthesized when nothing is found), < 0 error */
int dp_plan_synth_col(dp_plan *p, dp_plan_table *pt, const dp_column_cfg *cc, size_t ci,
		      const dp_fk *fk, const char *locale, dp_plan_col *pc, dp_errbuf *eb);

#endif
