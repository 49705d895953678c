/* engine/job_int.h - the job's private state (job.c only; the stages get
 * the plan, the source/target handles and the run state, see run/run.h). */
#ifndef DP_JOB_INT_H
#define DP_JOB_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include "job.h"
#include "../base/dp_log.h"
#include "models/report.h"
#include "run/run.h"
#include "run/source.h"

struct dp_job {
	const dp_job_cfg *cfg;
	const dp_connector *src_drv, *tgt_drv;  /* chosen from cfg before connecting */
	dp_sessions *sessions;         /* every open session, for a cancel */
	dp_source *src;                /* the read-only side */
	dp_target *tgt;                /* the write side, while the load runs */
	dp_schema *schema;
	struct dp_namebook *names;     /* PII values learned from the source */
	dp_plan *plan;                 /* immutable once built */
	dp_run run;                    /* run-time state the stages share */
	int run_ready;                 /* run initialised */
	int64_t seed;
	char *src_identity;            /* the source's server identity */
	int resume;                    /* --resume: continue a killed job's staging area */
	atomic_int user_cancel;        /* dp_job_cancel was called (not a worker failure) */
	atomic_int swapping;           /* finish(commit=1) under way */
	dp_log_ctx log;                /* every line of this job carries log.job */
	_Atomic(const char *) stage;   /* what the job is doing now (static text) */
	int64_t fk_violations;
	char target_state[512];
	double seconds;
	/* wall time per phase: t_start at prepare, t_mark at the end of the
	 * last phase timed (job_phase_end) */
	double t_start, t_mark;
	dp_job_phases phases;
	struct dp_report *report;      /* SYNTHESIZE quality report, or NULL */
	/* the wide leak check's result: hits per column (run numbering), the
	 * share of values it saw (1 = exact), -1 share: not run */
	dp_buf gen_notes;              /* generated columns carried as values (plan notes) */
	int64_t *leak_hits;
	size_t leak_ncols;
	double leak_share;
};

#endif
