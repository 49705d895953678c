/* engine/run/run.h - a job's run-time state, shared by its stages.
 *
 * The plan (engine/plan/plan.h) says what a job does and is not changed
 * once built; everything that changes while the job runs lives here: each
 * key domain's learned mapping, each table's counters, chunks and deferred
 * updates, the subset's selection, the scheduler's lock, the cancel flag and
 * the first error. The job owns one dp_run; the stages (engine/subset,
 * engine/load, engine/synth) take (const dp_plan *, dp_source *, dp_run *)
 * and reach nothing else of the job.
 */
#ifndef DP_RUN_H
#define DP_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include "../plan/plan.h"
#include "../models/report.h"
#include "source.h"

/* A table's state in a run (dp_job_table_result reports it). */
typedef enum dp_tstate {
	DP_TS_PENDING = 0, DP_TS_RUNNING, DP_TS_DONE, DP_TS_FAILED, DP_TS_CANCELLED
} dp_tstate;

/* A key domain's run-time half (plan->keys[k] is the decided half). */
typedef struct dp_key_run {
	dp_keymap *map;      /* GENERATE: filled by the key pass */
	dp_perm perm;        /* HASH: initialised by the key pass (domain) */
	int64_t *shuffle;    /* HASH over a range <= consistent_integer_shuffle_
	                        threshold: a seeded shuffle of [0, nshuffle) */
	uint64_t nshuffle;
	int64_t max_key;     /* largest source key seen by the key pass */
} dp_key_run;

/* A unit of work: a key range of a table, read in key order. Chunk
 * boundaries are taken at fixed row ordinals, so every row keeps the ordinal
 * it has in a whole-table read (per-row generators stay deterministic
 * whatever the number of workers). */
typedef struct dp_chunk {
	int has_lo, has_hi;
	int64_t lo, hi;                /* key range [lo, hi) */
	uint64_t first_row;            /* ordinal of the chunk's first row */
	char *where;                   /* subset key list "k IN (...)", or NULL */
} dp_chunk;

typedef struct dp_table_run {
	const dp_plan_table *pt;
	int64_t est_rows;              /* rows expected: the plan's estimate, or
	                                  what the subset selected */
	atomic_int state;              /* dp_tstate */
	_Atomic int64_t rows_read, rows_written;
	_Atomic int64_t bytes_read, bytes_written;  /* values as held in batches */
	/* PII verification: values through mock/mask generators, and how many
	 * came out equal to their source value (must stay 0), per column too */
	_Atomic int64_t pii_checked, pii_survived;
	_Atomic int64_t *col_survived; /* pt->t->ncols entries */
	double seconds;                /* summed over chunks (under sched_mu) */
	dp_chunk *chunks;              /* NULL: the whole table is one unit */
	size_t nchunks;                /* >= 1 */
	size_t next_chunk, chunks_done;/* under sched_mu */
	/* deferred FK values (immediate mode, broken cycle edges): batches of
	 * (deferred cols..., pk cols...) applied by UPDATE after the load */
	dp_batch **deferred;
	size_t ndeferred;
	/* free-text PII: spans replaced, values scanned, threads used */
	_Atomic int64_t textpii_found, textpii_values;
	atomic_int textpii_threads;
	int resumed;                   /* kept from a killed job's staging area */
	int precreated;                /* in that staging area, emptied: loaded, not created */
	/* the wide leak check (engine/load/leak.h): per column LEAK_* role, and
	 * the table's first column number in the check's numbering */
	unsigned char *leak_role;
	uint32_t leak_base;
	/* row-aware generators (a date shift per person): the entity a row
	 * belongs to is "<root table>|<value of rk_col>", the root found by
	 * following the first key column's foreign keys (dept_emp.emp_no ->
	 * employees), so every table of that person shifts alike */
	const char *rk_root;           /* NULL: no key (the read ordinal is used) */
	size_t rk_col;
	/* SYNTHESIZE: the report's scores */
	dp_report_scores scores;
	int has_scores;
} dp_table_run;

typedef struct dp_run {
	dp_table_run *tables;          /* plan->tables order */
	size_t ntables;
	dp_key_run *keys;              /* plan->keys order */
	size_t nkeys;
	struct dp_leakcheck *leak;     /* the wide leak check, or NULL (no identifying
	                                  PII column in the plan); owned by the job */
	struct dp_subset *subset;      /* rows kept by filtered tables, or NULL; made by
	                                  dp_subset_compute, freed by the job (the
	                                  subset room sits above this one) */
	size_t batch_rows;             /* rows per batch read and written */
	int marks;                     /* completed tables are marked in the staging area */
	atomic_int nmarked;            /* ... how many so far (test hook) */
	pthread_mutex_t sched_mu;
	pthread_cond_t sched_cv;
	atomic_int cancel;             /* set by a cancel or the first failure */
	dp_errbuf err;                 /* first worker error (under sched_mu) */
} dp_run;

/* What a stage works with: the immutable plan, the two ends and the run
 * state. The stages' entry points take these parts one by one; inside a
 * stage they travel together. */
typedef struct dp_stage {
	const dp_plan *plan;
	const dp_job_cfg *cfg;         /* plan->cfg */
	const dp_schema *schema;       /* plan->schema */
	struct dp_source *src;
	struct dp_target *tgt;         /* NULL before the target is opened */
	const dp_connector *src_drv, *tgt_drv;
	dp_run *run;
} dp_stage;

/* The bundle for (plan, src, tgt, run); tgt may be NULL, then tgt_drv is
 * target_drv (the passes before the target opens still ask its
 * capabilities). */
dp_stage dp_stage_of(const dp_plan *plan, struct dp_source *src, struct dp_target *tgt,
		     const dp_connector *target_drv, dp_run *run);

/* An empty run state (the cancel flag works from here on). */
void dp_run_init(dp_run *r, size_t batch_rows);
/* Size the tables and keys from plan p; 0 or DP_ERR_NOMEM. */
int dp_run_plan(dp_run *r, const dp_plan *p, dp_errbuf *eb) DP_MUSTCHECK;
/* Frees everything dp_run_init/dp_run_plan made (not the subset). */
void dp_run_free(dp_run *r);
/* Keep a worker's error as the run's first one and stop the others. */
void dp_run_fail(dp_run *r, const dp_errbuf *eb);
/* Stop every stage: sets cancel and wakes the scheduler. */
void dp_run_stop(dp_run *r);
/* Test hook (DOPPEL_TEST_PAUSE_AFTER_MARK=n): hold the run after its n-th
 * marked table until a cancel. */
void dp_run_test_pause_after_mark(dp_run *r, int n);

const char *dp_tstate_name(dp_tstate s);

#endif
