/* engine/job_int.h - the job's private state, shared by job.c and
 * pipeline.c only. */
#ifndef DP_JOB_INT_H
#define DP_JOB_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include "job.h"
#include "../base/dp_log.h"
#include "models/report.h"

/* A unit of work: a key range of a table, read in key order. Chunk
 * boundaries are taken at fixed row ordinals, so every row keeps the ordinal
 * it has in a whole-table read (per-row generators stay deterministic
 * whatever the number of workers). */
typedef struct job_chunk {
	int has_lo, has_hi;
	int64_t lo, hi;                /* key range [lo, hi) */
	uint64_t first_row;            /* ordinal of the chunk's first row */
	char *where;                   /* subset key list "k IN (...)", or NULL */
} job_chunk;

typedef struct job_table {
	dp_plan_table *pt;
	atomic_int state;              /* dp_tstate */
	_Atomic int64_t rows_read, rows_written;
	/* PII verification: values through mock/mask generators, and how many
	 * came out equal to their source value (must stay 0) */
	_Atomic int64_t pii_checked, pii_survived;
	double seconds;                /* summed over chunks (under sched_mu) */
	job_chunk *chunks;             /* NULL: the whole table is one unit */
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
	/* SYNTHESIZE: the report's scores */
	dp_report_scores scores;
	int has_scores;
} job_table;

#define DP_JOB_MAX_LIVE 72

struct dp_job {
	const dp_job_cfg *cfg;
	const dp_connector *src_drv, *tgt_drv;
	dp_conn *src;                  /* leader source session */
	dp_conn *tgt;                  /* target session (serialised writes) */
	char *snapshot;                /* exported snapshot token, may be NULL */
	dp_schema *schema;
	dp_plan *plan;
	struct dp_subset *subset;      /* rows kept by filtered tables, or NULL */
	int64_t seed;
	job_table *tables;             /* in plan (load) order */
	size_t ntables;
	pthread_mutex_t src_mu, tgt_mu, sched_mu;
	/* open sessions, so a cancel can interrupt the statement each is in
	 * (under live_mu; a session leaves before it is closed) */
	pthread_mutex_t live_mu;
	struct { const dp_connector *drv; dp_conn *c; } live[DP_JOB_MAX_LIVE];
	size_t nlive;
	char *src_identity;            /* the source's server identity */
	int resume;                    /* --resume: continue a killed job's staging area */
	int marks;                     /* tables complete are marked in the staging area */
	atomic_int nmarked;            /* ... how many so far (test hook) */
	pthread_cond_t sched_cv;
	atomic_int cancel;
	atomic_int user_cancel;        /* dp_job_cancel was called (not a worker failure) */
	atomic_int swapping;           /* finish(commit=1) under way */
	dp_log_ctx log;                /* every line of this job carries log.job */
	_Atomic(const char *) stage;   /* what the job is doing now (static text) */
	dp_errbuf err;                 /* first worker error (under sched_mu) */
	int64_t fk_violations;
	char target_state[512];
	double seconds;
	/* wall time per phase: t_start at prepare, t_mark at the end of the
	 * last phase timed (job_phase_end) */
	double t_start, t_mark;
	dp_job_phases phases;
	size_t batch_rows;
	struct dp_report *report;      /* SYNTHESIZE quality report, or NULL */
};

/* job.c: open a session of the job (source role: read-only) and list it
 * for cancellation; close one (leaves the list first). */
int dp_job_session_open(dp_job *j, const dp_connector *drv, const dp_conn_cfg *cfg, dp_role role,
			dp_conn **out, dp_errbuf *eb);
void dp_job_session_close(dp_job *j, const dp_connector *drv, dp_conn *c);
/* job.c: a table's load is complete: record it in the staging area (takes
 * tgt_mu; call without sched_mu held). */
int dp_job_mark_done(dp_job *j, job_table *jt, dp_errbuf *eb);
/* pipeline.c: build key maps (generate) / permutation domains (hash). */
int dp_pipeline_keys(dp_job *j, dp_errbuf *eb);
/* pipeline.c: split big tables into key-range chunks (read the key once). */
int dp_pipeline_chunks(dp_job *j, dp_errbuf *eb);
/* pipeline.c: load every table with the worker pool. */
int dp_pipeline_load(dp_job *j, dp_errbuf *eb);
/* pipeline.c: apply deferred FK updates. */
int dp_pipeline_deferred(dp_job *j, dp_errbuf *eb);
/* pipeline.c: an FK or key value through key domain k. */
int dp_pipeline_map_key(const dp_job *j, const dp_plan_key *k, const dp_table *t, size_t ci,
			const dp_value *in, dp_value *out, dp_errbuf *eb);
/* A free-text value of an input batch waiting for the PII scan, and where
 * its result goes in the output batch. */
typedef struct tp_item {
	const dp_value *in;          /* source text (in the input batch) */
	size_t row, col;             /* where the result goes in the output batch */
	dp_buf res;
} tp_item;
/* textpii_run.c: scan items[0..n) (their columns' mask:textpii), write the
 * results into `out`, count findings on jt; frees the items' buffers. */
int dp_textpii_run(job_table *jt, dp_batch *out, tp_item *items, size_t n, dp_errbuf *eb);
/* synth.c: train and generate every SYNTHESIZE table (after the load of
 * the others: synthesized rows may reference them). */
int dp_synth_run(dp_job *j, dp_errbuf *eb);
/* synth.c: retrain on the same samples (same seed) and score the rows the
 * target holds (read through td/tc, a read-only session on the target). */
int dp_synth_report(dp_job *j, const dp_connector *td, dp_conn *tc, dp_errbuf *eb);

#endif
