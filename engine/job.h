/* engine/job.h - run one engine: plan, load, verify, swap in.
 *
 * A job owns its sessions, its plan and its results. The caller owns the
 * dp_job_cfg and keeps it alive for the job's life. Progress and results may
 * be read from another thread while dp_job_run() works (the CLI's progress
 * bar does); they are snapshots, updated with atomics.
 */
#ifndef DP_JOB_H
#define DP_JOB_H

#include <stdint.h>
#include "config/config.h"
#include "../base/dp_buf.h"
#include "plan/plan.h"
#include "run/run.h"   /* dp_tstate */

typedef struct dp_job dp_job;


typedef struct dp_table_result {
	const char *name;      /* owned by the job's schema */
	dp_mode mode;
	dp_tstate state;
	int64_t est_rows;
	int64_t rows_read;
	int64_t rows_written;
	double seconds;
} dp_table_result;

/* New job for cfg (borrowed). NULL on out-of-memory. */
dp_job *dp_job_new(const dp_job_cfg *cfg);
void dp_job_free(dp_job *j);

/* Refuse a target that is the source, open the source read-only,
 * introspect it and build the plan. Touches no target. Idempotent. */
int dp_job_prepare(dp_job *j, dp_errbuf *eb) DP_MUSTCHECK;
/* The plan after a successful prepare, else NULL. */
const dp_plan *dp_job_plan(const dp_job *j);

/* Prepare if needed, then load the target and verify it. On success the
 * target holds the complete result; on failure it is left as the job's
 * target_state() says (for atomic targets: unchanged). */
int dp_job_run(dp_job *j, dp_errbuf *eb) DP_MUSTCHECK;

/* Ask a running job to stop at the next batch boundary (thread-safe). */
void dp_job_cancel(dp_job *j);

/* Results, in load order. */
size_t dp_job_ntables(const dp_job *j);
void dp_job_table_result(const dp_job *j, size_t k, dp_table_result *out);
/* Where a job is, read while it runs (from any thread; a server polls it
 * for each of its jobs). Bytes count the values as held in batches. */
typedef struct dp_progress {
	const char *stage;        /* static text: "connecting", "loading", ... */
	size_t tables_done, ntables;
	int64_t rows_done;        /* rows written over all tables */
	int64_t rows_total;       /* estimated (subset: selected) rows to write */
	int64_t bytes_read, bytes_written;
	double seconds;           /* since the job started preparing */
} dp_progress;
void dp_job_progress(const dp_job *j, dp_progress *out);
/* The wide leak check (engine/load/leak.h): columns written as they are
 * that hold values of the source's identifying PII columns. Fills up to
 * `max` entries and returns how many columns have hits; *share is the
 * fraction of values the check saw (1 = exact, -1 = it did not run: no
 * identifying PII column is masked). Names are owned by the job. */
typedef struct dp_leak_hit {
	const char *table, *column;
	int64_t values;
} dp_leak_hit;
size_t dp_job_leaks(const dp_job *j, dp_leak_hit *out, size_t max, double *share);
/* The text columns of DE_IDENTIFY and SUBSET tables left as they are
 * because nothing flagged them (values 0), so a "0 survive" is read with
 * what it covers. Same conventions. */
size_t dp_job_unflagged(const dp_job *j, dp_leak_hit *out, size_t max);
/* FK violations found in the target by verification (-1: not verified). */
int64_t dp_job_fk_violations(const dp_job *j);
/* PII verification over the whole run: columns written through mock/mask
 * generators, non-NULL values they produced, and how many of those equal the
 * source value of the same row (0 unless something is badly wrong). */
void dp_job_pii_check(const dp_job *j, size_t *columns, int64_t *values,
		      int64_t *survived);
/* Number of those columns where at least one source value survived. */
size_t dp_job_pii_leaking_columns(const dp_job *j);
/* One sentence on what the target holds now (after run). */
const char *dp_job_target_state(const dp_job *j);
/* Effective seed (seed_value, or the fresh one drawn when use_seed=false). */
int64_t dp_job_seed(const dp_job *j);
/* `doppel report`: score the SYNTHESIZE tables the target holds against
 * the source (same training samples and holdout as the run: needs use_seed)
 * into the job's quality report. Reads the target only. */
int dp_job_report(dp_job *j, dp_errbuf *eb) DP_MUSTCHECK;
/* SYNTHESIZE: the quality report of the tables synthesized (dp_job_run)
 * or scored again (dp_job_report), NULL when none was. Owned by the job,
 * valid until dp_job_free; the engine writes no file: report/ renders it. */
struct dp_report;
const struct dp_report *dp_job_quality_report(const dp_job *j);
/* --resume: continue the staging area a killed run of the same plan, seed
 * and source left on the target (its complete tables are kept; with
 * use_seed the target comes out as an uninterrupted run's). Needs use_seed. */
void dp_job_set_resume(dp_job *j, int on);
/* 1 while the staged target is being swapped in (from any thread): a
 * process ended then leaves either the previous or the new target. */
int dp_job_swapping(const dp_job *j);
/* What the job is doing now ("connecting", "loading", "verifying", ...):
 * static text, readable from any thread while it runs. */
const char *dp_job_stage(const dp_job *j);
/* The job's log: its id in every line, and a sink that also receives each
 * line (a server keeps a job's lines); sink may be NULL. Call before
 * dp_job_prepare. */
void dp_job_set_log(dp_job *j, const char *id,
		    void (*sink)(void *arg, int level, const char *msg), void *arg);
/* After dp_job_prepare: the staging areas unfinished runs left on the
 * target ("; "-separated, appended to out; empty when none). Connects to
 * the target and reads only; nothing is created. */
int dp_job_target_leftovers(dp_job *j, dp_buf *out, dp_errbuf *eb) DP_MUSTCHECK;
/* SYNTHESIZE: the report's scores of table k (load order): 1 and *out, or 0
 * when the table was not synthesized. */
struct dp_report_scores;
int dp_job_synth_scores(const dp_job *j, size_t k, struct dp_report_scores *out);
/* Wall seconds of the whole run: from the start of dp_job_prepare (source
 * session, introspection, PII scan included) to the end of dp_job_run. */
double dp_job_seconds(const dp_job *j);
/* Where the wall time went, phase by phase (seconds; 0 for phases not
 * reached). The phases follow each other, so they add up to about total. */
typedef struct dp_job_phases {
	double total;          /* = dp_job_seconds() */
	double connect;        /* source session, snapshot, introspection, plan */
	double pii_scan;       /* sampling each table's columns for PII */
	double learning;       /* free text: names and PII values read from the source */
	double select;         /* key domains, subset selection, work units */
	double load;           /* target staging and tables, the rows, synthesis */
	double constraints;    /* indexes, foreign keys and sequences after the load */
	double verification;   /* FK check, then the commit / swap of the target */
} dp_job_phases;
void dp_job_phase_seconds(const dp_job *j, dp_job_phases *out);

/* Refuse a target that designates the source database. DP_ERR_REFUSED. */
int dp_job_check_target_not_source(const dp_job_cfg *cfg, dp_errbuf *eb) DP_MUSTCHECK;

#endif
