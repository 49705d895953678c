/* engine/run/source.h - the two ends of a job as handles the stages get.
 *
 * A dp_source is the job's read-only side: its driver, the leader session
 * (introspection, key passes, subset reads, small reads), the snapshot token
 * every worker session joins, and the lock that serialises the leader. A
 * dp_target is the write side: its driver, the one session that owns the
 * staging area, and its lock. Stages (subset, chunks, load, synthesis)
 * receive these handles and the immutable plan, never the job: they cannot
 * reach another stage's state, and a later tunnel or a worker on another
 * machine changes only what sits behind the handle.
 *
 * Every session of a job is listed in one dp_sessions set, so a cancel can
 * interrupt the statement each one is waiting in (a lock, a slow server).
 * Sessions are opened only through dp_session_open (connectors/session.h),
 * the one place a connection is made.
 */
#ifndef DP_SOURCE_H
#define DP_SOURCE_H

#include <stdatomic.h>
#include "../../base/dp_err.h"
#include "../../base/dp_buf.h"
#include "../../connectors/connector.h"

/* ---- the session set of a job ---- */

typedef struct dp_sessions dp_sessions;

/* NULL when out of memory. `cancel` (borrowed, may be NULL) is the job's
 * cancel flag: a session that finishes connecting after a cancel is closed
 * and refused. */
dp_sessions *dp_sessions_new(const atomic_int *cancel);
void dp_sessions_free(dp_sessions *s);
/* Open a session of `role` through dp_session_open and list it; the driver
 * must be `drv` (the one chosen for this end of the job). */
int dp_sessions_open(dp_sessions *s, const dp_connector *drv, const dp_conn_cfg *cfg,
		     dp_role role, dp_conn **out, dp_errbuf *eb) DP_MUSTCHECK;
/* Leave the set, then close (NULL c: nothing). */
void dp_sessions_close(dp_sessions *s, const dp_connector *drv, dp_conn *c);
/* Interrupt every listed session (thread-safe, from any thread). */
void dp_sessions_cancel(dp_sessions *s);

/* ---- the source ---- */

typedef struct dp_source dp_source;

/* Open the leader session of cfg (read-only) and export its snapshot when
 * the driver can share one. `set` (borrowed) lists the sessions. */
int dp_source_open(const dp_conn_cfg *cfg, dp_sessions *set, dp_source **out,
		   dp_errbuf *eb) DP_MUSTCHECK;
void dp_source_free(dp_source *s);
const dp_connector *dp_source_driver(const dp_source *s);
const dp_conn_cfg *dp_source_cfg(const dp_source *s);
/* The snapshot token the workers join, or NULL (no shared snapshot). */
const char *dp_source_snapshot(const dp_source *s);
/* The leader session, taken with its lock / given back. Between the two the
 * caller is the only user of the session. */
dp_conn *dp_source_lock(dp_source *s);
void dp_source_unlock(dp_source *s);
/* The leader session, for a caller that holds the lock. */
dp_conn *dp_source_leader(dp_source *s);
/* A worker session in the leader's snapshot (DP_CAP_SHARED_SNAPSHOT), or
 * DP_ERR_UNSUPPORTED when the driver cannot share one (the caller then
 * reads through the leader). */
int dp_source_worker_open(dp_source *s, dp_conn **out, dp_errbuf *eb) DP_MUSTCHECK;
void dp_source_worker_close(dp_source *s, dp_conn *c);

/* ---- the target ---- */

typedef struct dp_target dp_target;

/* Open the target session of cfg. */
int dp_target_open(const dp_conn_cfg *cfg, dp_sessions *set, dp_target **out,
		   dp_errbuf *eb) DP_MUSTCHECK;
/* Closes the session: an unfinished staging area is rolled back. */
void dp_target_free(dp_target *t);
const dp_connector *dp_target_driver(const dp_target *t);
/* The target session, taken with its lock / given back. */
dp_conn *dp_target_lock(dp_target *t);
void dp_target_unlock(dp_target *t);
/* The session without the lock: for the job's own single-threaded phases
 * (staging, DDL, swap), when no stage runs. */
dp_conn *dp_target_session(dp_target *t);
/* A table's load is complete: record `rows` in the staging area (under the
 * lock), so a killed job's work can be continued. */
int dp_target_mark(dp_target *t, const dp_table *tb, int64_t rows, dp_errbuf *eb) DP_MUSTCHECK;

#endif
