/* engine/load/load.h - the load stage: key passes, chunking, the worker
 * pool that reads, transforms and writes every table, and the deferred FK
 * updates. Each entry point takes the immutable plan, the source and/or
 * target handle and the job's run state (engine/run/run.h), nothing else. */
#ifndef DP_LOAD_H
#define DP_LOAD_H

#include "../run/run.h"

/* Build the key domains' mappings (GENERATE: key maps; HASH: permutation
 * domains) by reading each key column once, into r->keys. */
int dp_load_keys(const dp_plan *p, dp_source *src, dp_run *r, dp_errbuf *eb) DP_MUSTCHECK;
/* Split big tables into key-range chunks (reads the key once); the
 * target's capability bits say whether chunks can be written in parallel. */
int dp_load_chunks(const dp_plan *p, dp_source *src, unsigned target_caps, dp_run *r,
		   dp_errbuf *eb) DP_MUSTCHECK;
/* Load every non-SYNTHESIZE table with the worker pool. */
int dp_load_tables(const dp_plan *p, dp_source *src, dp_target *tgt, dp_run *r,
		   dp_errbuf *eb) DP_MUSTCHECK;
/* Apply the deferred FK updates (broken cycle edges). */
int dp_load_deferred(const dp_plan *p, dp_target *tgt, dp_run *r, dp_errbuf *eb) DP_MUSTCHECK;
/* The wide leak check's roles (engine/load/leak.h): which columns of each
 * table give source fingerprints (identifying PII through a generator) and
 * which written values are checked (text copied as it is). *ncols is the
 * check's column numbering size (table k's columns start at
 * r->tables[k].leak_base). 1 when some column is a source (the check is
 * worth running), 0 when none, DP_ERR_NOMEM. */
int dp_load_leak_roles(const dp_plan *p, dp_run *r, size_t *ncols);
/* An FK or key value of t.cols[ci] through key domain `key` (plan->keys
 * index; r->keys[key] built by dp_load_keys). Thread-safe. */
int dp_load_map_key(const dp_plan *p, const dp_run *r, size_t key, const dp_table *t, size_t ci,
		    const dp_value *in, dp_value *out, dp_errbuf *eb) DP_MUSTCHECK;

#endif
