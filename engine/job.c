/* engine/job.c - one engine run: prepare (source, schema, plan), then load
 * the target, verify it and swap it in.
 *
 * Order of a run, and why:
 *   1. the source is opened read-only and its consistent view started before
 *      anything is introspected, so schema and rows come from one instant;
 *   2. the plan is built and validated completely before the target is
 *      opened: a bad engine file never creates a half-made target;
 *   3. key domains are read (generate/hash key methods) so every FK can be
 *      rewritten while its table streams;
 *   4. the target gets every table (pre-data), the rows, deferred cycle FKs,
 *      then indexes and FKs (post-data) - pg_dump's sections;
 *   5. verification counts FK violations on the target; any violation fails
 *      the job;
 *   6. finish(commit=1) makes the target visible (atomically for drivers with
 *      DP_CAP_ATOMIC_TARGET). Any failure before that discards the target
 *      session's work instead, and target_state says what is left.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "job_int.h"
#include "../base/dp_log.h"
#include "../base/dp_rng.h"
#include "../connectors/typemap.h"
#include "../connectors/dialect.h"
#include "../connectors/sqlfrag.h"
#include "../connectors/session.h"
#include "subset/subset.h"
#include "load/load.h"
#include "load/leak.h"
#include "synth/synth.h"
#include "pii/detect.h"
#include "gen/textpii.h"


static void set_stage(dp_job *j, const char *s);


/* Charge the time since the last mark to *phase. */
static void job_phase_end(dp_job *j, double *phase)
{
	double t = dp_now_s();
	*phase += t - j->t_mark;
	j->t_mark = t;
}

dp_job *dp_job_new(const dp_job_cfg *cfg)
{
	dp_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->cfg = cfg;
	/* ray_memory_optimization trades throughput for smaller batches */
	dp_run_init(&j->run, cfg->settings.ray_memory_optimization ? 256 : 2048);
	j->run_ready = 1;
	j->sessions = dp_sessions_new(&j->run.cancel);
	j->names = dp_namebook_new();
	if (!j->sessions || !j->names) {
		dp_job_free(j);
		return NULL;
	}
	atomic_init(&j->user_cancel, 0);
	atomic_init(&j->swapping, 0);
	atomic_init(&j->stage, "pending");
	snprintf(j->log.job, sizeof(j->log.job), "%s", cfg->name ? cfg->name : "");
	j->fk_violations = -1;
	if (cfg->settings.use_seed) {
		j->seed = cfg->settings.seed_value;
	} else {
		/* non-negative so it can be pasted back into seed_value */
		j->seed = (int64_t)(dp_random_seed() >> 1);
	}
	snprintf(j->target_state, sizeof(j->target_state), "target not touched");
	return j;
}

void dp_job_free(dp_job *j)
{
	if (!j)
		return;
	if (dp_log_bound() == &j->log)
		dp_log_bind(NULL);
	dp_target_free(j->tgt);        /* rolls back an unfinished target */
	dp_source_free(j->src);
	free(j->src_identity);
	if (j->run_ready) {
		dp_subset_free(j->run.subset);
		dp_run_free(&j->run);
	}
	dp_report_free(j->report);
	dp_plan_free(j->plan);
	dp_namebook_free(j->names);
	dp_schema_free(j->schema);
	dp_sessions_free(j->sessions);
	dp_leak_free(j->run.leak);
	free(j->leak_hits);
	dp_buf_free(&j->gen_notes);
	free(j);
}

/* realpath() of a file that may not exist yet: its directory's realpath
 * plus its name. Returns 0 and fills out, or -1. */
static int real_file_path(const char *path, char *out, size_t outsz)
{
	char dir[PATH_MAX], rdir[PATH_MAX];
	const char *slash, *base;

	if (realpath(path, out) && strlen(out) < outsz)
		return 0;
	slash = strrchr(path, '/');
	if (slash) {
		size_t n = (size_t)(slash - path);
		if (n == 0)
			n = 1;
		if (n >= sizeof(dir))
			return -1;
		memcpy(dir, path, n);
		dir[n] = '\0';
		base = slash + 1;
	} else {
		strcpy(dir, ".");
		base = path;
	}
	if (!realpath(dir, rdir))
		return -1;
	if ((size_t)snprintf(out, outsz, "%s/%s", rdir, base) >= outsz)
		return -1;
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int dp_job_check_target_not_source(const dp_job_cfg *cfg, dp_errbuf *eb)
{
	const dp_conn_cfg *s = &cfg->source, *t = &cfg->target;
	const dp_connector *sd = dp_connector_find(s->connector_type);
	const dp_connector *td = dp_connector_find(t->connector_type);

	if (!sd || !td || sd != td)
		return DP_OK;
	if (sd == &dp_sqlite_connector) {
		char a[PATH_MAX], b[PATH_MAX];
		if (!s->database || !t->database)
			return DP_OK;
		if (same_str(s->database, t->database) ||
		    (real_file_path(s->database, a, sizeof(a)) == 0 &&
		     real_file_path(t->database, b, sizeof(b)) == 0 && strcmp(a, b) == 0))
			return dp_fail(eb, DP_ERR_REFUSED,
				       "target.database: %s is the source database; doppel never "
				       "writes to its source - choose another target file",
				       t->database);
		return DP_OK;
	}
	if (same_str(s->host, t->host) && s->port == t->port &&
	    same_str(s->database, t->database) && same_str(s->schema_name, t->schema_name) &&
	    same_str(s->dsn, t->dsn) && same_str(s->connection_string, t->connection_string))
		return dp_fail(eb, DP_ERR_REFUSED,
			       "target: %s database %s on %s:%d is the source database; doppel "
			       "never writes to its source", t->connector_type,
			       t->database ? t->database : "(default)",
			       t->host ? t->host : "localhost", t->port);
	return DP_OK;
}


/* Free-text scanners also know the PII the database itself holds: the
 * words of every column mocked as a given name, surname or full name, and
 * the whole values of columns mocked as e-mails, phones, addresses, ...
 * (up to 100,000 values per column), read once from the source. */
static int learn_names(dp_job *j, dp_errbuf *eb)
{
	const dp_plan *p = j->plan;
	int need = 0, rc = DP_OK;

	for (size_t k = 0; k < p->ntables && !need; k++)
		for (size_t c = 0; c < p->tables[k].t->ncols; c++)
			need |= p->tables[k].cols[c].gen && dp_gen_textpii(p->tables[k].cols[c].gen);
	if (!need)
		return DP_OK;
	/* one read per table of all its learnable columns (a read per column
	 * scanned a table once for each) */
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		const dp_plan_table *pt = &p->tables[k];
		size_t m = 0, zero = 0;
		int *kinds = NULL;
		const char **wkinds = NULL;
		dp_column *cols = NULL;
		dp_table view = *pt->t;
		dp_read_spec rs;
		dp_reader *r = NULL;
		dp_batch *b = NULL;
		int eof = 0;
		if (pt->mode == DP_MODE_EXCLUDE)
			continue;
		kinds = calloc(pt->t->ncols + 1, sizeof(*kinds));
		wkinds = calloc(pt->t->ncols + 1, sizeof(*wkinds));
		cols = calloc(pt->t->ncols + 1, sizeof(*cols));
		if (!kinds || !wkinds || !cols) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto next;
		}
		for (size_t c = 0; c < pt->t->ncols; c++) {
			const char *spec = pt->cols[c].gen ? dp_gen_spec(pt->cols[c].gen) : "";
			int kind = !strcmp(spec, "mock:first_name") ? 1 : !strcmp(spec, "mock:last_name") ? 2 :
				   !strcmp(spec, "mock:full_name") ? 3 : 0;
			/* whole values of these kinds are looked for verbatim */
			static const char *const whole[] = { "full_name", "email", "phone", "street_address",
				"full_address", "iban", "credit_card", "national_id", "ssn", "username",
				"ipv4", "ipv6", "url", "company", NULL };
			const char *wkind = NULL;
			for (const char *const *w = whole; *w && !strncmp(spec, "mock:", 5); w++)
				if (!strcmp(spec + 5, *w))
					wkind = *w;
			if (wkind)
				kind = kind ? kind : 4;
			if (!kind)
				continue;
			kinds[m] = kind;
			wkinds[m] = wkind;
			cols[m++] = pt->t->cols[c];
		}
		if (!m)
			goto next;
		view.ncols = m;
		view.cols = cols;
		view.npk = 0;
		view.pk = &zero;
		memset(&rs, 0, sizeof(rs));
		rs.table = &view;
		rs.limit = 100000;
		b = dp_batch_new(m, 4096);
		if (!b) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto next;
		}
		rc = j->src_drv->read_open(dp_source_leader(j->src), &rs, &r, eb);
		while (!rc && !eof) {
			dp_batch_reset(b);
			rc = j->src_drv->read_next(r, b, &eof, eb);
			for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++) {
				const dp_value *row = dp_batch_row_c(b, i);
				for (size_t q = 0; q < m && !rc; q++) {
					const dp_value *v = &row[q];
					if (v->kind != DP_V_TEXT)
						continue;
					if ((kinds[q] <= 3 && dp_namebook_add(j->names, v->u.s, v->len, kinds[q])) ||
					    (wkinds[q] && dp_namebook_add_value(j->names, v->u.s, v->len, wkinds[q])))
						rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				}
			}
		}
next:
		if (r)
			j->src_drv->read_close(r);
		dp_batch_free(b);
		free(kinds);
		free(wkinds);
		free(cols);
	}
	if (!rc)
		dp_log_info("free text: %zu name words and %zu PII values learned from the source's "
			    "PII columns", dp_namebook_count(j->names), dp_namebook_values(j->names));
	if (!rc && dp_namebook_dropped(j->names))
		dp_log_warn("free text: %zu more PII values not kept (the book holds at most %d "
			    "values, %u MB): only patterns and dictionaries find them in free text",
			    dp_namebook_dropped(j->names), DP_NAMEBOOK_MAX_VALUES, DP_NAMEBOOK_MAX_BYTES >> 20);
	return rc;
}

/* One subset clause, checked inside the read-only snapshot before anything
 * else happens: the lexer first (one predicate, balanced, no second
 * statement), then the source compiles the query it will run, reading no
 * row (LIMIT 0). A bad clause is a config error naming its JSON path. */
static int check_fragment(dp_job *j, const dp_table *t, const char *field, const char *frag,
			  dp_errbuf *eb)
{
	char path[512];
	dp_read_spec rs;
	dp_reader *r = NULL;
	dp_batch *b = NULL;
	dp_errbuf sub;
	int rc, eof = 0;

	snprintf(path, sizeof(path), "tables.%s.subset.%s", t->name, field);
	rc = dp_sql_fragment_check(frag, j->src_drv->name, path, eb);
	if (rc)
		return rc;
	memset(&rs, 0, sizeof(rs));
	rs.table = t;
	rs.where = frag;
	rs.limit = 0;
	dp_errbuf_clear(&sub);
	b = dp_batch_new(t->ncols ? t->ncols : 1, 1);
	if (!b)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	rc = j->src_drv->read_open(dp_source_leader(j->src), &rs, &r, &sub);
	if (!rc)
		rc = j->src_drv->read_next(r, b, &eof, &sub);
	if (r)
		j->src_drv->read_close(r);
	dp_batch_free(b);
	if (rc)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: the source rejects the clause: %s", path, sub.msg);
	return DP_OK;
}

static int check_fragments(dp_job *j, dp_errbuf *eb)
{
	int rc = DP_OK;

	for (size_t k = 0; k < j->cfg->ntables && !rc; k++) {
		const dp_table_cfg *tc = &j->cfg->tables[k];
		const dp_table *t = dp_schema_table(j->schema, tc->name);
		if (!t)
			continue;        /* the plan names unknown tables */
		if (tc->subset.where)
			rc = check_fragment(j, t, "where", tc->subset.where, eb);
		if (!rc && tc->subset.include_when)
			rc = check_fragment(j, t, "include_when", tc->subset.include_when, eb);
	}
	return rc;
}

int dp_job_prepare(dp_job *j, dp_errbuf *eb)
{
	char desc[512];
	int rc;

	dp_log_bind(&j->log);
	if (j->plan)
		return DP_OK;
	set_stage(j, "connecting");
	j->t_start = j->t_mark = dp_now_s();
	rc = dp_job_check_target_not_source(j->cfg, eb);
	if (rc)
		return rc;
	rc = dp_session_driver(&j->cfg->source, DP_ROLE_SOURCE, "source", &j->src_drv, eb);
	if (!rc)
		rc = dp_session_driver(&j->cfg->target, DP_ROLE_TARGET, "target", &j->tgt_drv, eb);
	if (rc)
		return rc;
	dp_conn_cfg_describe(&j->cfg->source, desc, sizeof(desc));
	dp_log_info("source: %s (read-only)", desc);
	/* the leader session and its snapshot: the read view starts before
	 * introspection, so schema and rows agree */
	rc = dp_source_open(&j->cfg->source, j->sessions, &j->src, eb);
	if (rc)
		return rc;
	/* test hook: hold the job here so a test can write to the source and
	 * show that nothing written after the snapshot reaches the target */
	if (getenv("DOPPEL_TEST_PAUSE_AFTER_SNAPSHOT")) {
		int secs = atoi(getenv("DOPPEL_TEST_PAUSE_AFTER_SNAPSHOT"));
		dp_log_info("test hook: pausing %d s after the source snapshot", secs);
		sleep((unsigned)(secs > 0 && secs < 60 ? secs : 1));
	}
	rc = j->src_drv->introspect(dp_source_leader(j->src), &j->schema, eb);
	if (rc)
		return rc;
	/* a generated column's expression is the source engine's SQL: another
	 * engine gets the computed values in a plain column, said in the plan */
	if (strcmp(j->src_drv->name, j->tgt_drv->name)) {
		for (size_t k = 0; k < j->schema->ntables && !rc; k++) {
			dp_table *t = &j->schema->tables[k];
			for (size_t c = 0; c < t->ncols && !rc; c++) {
				dp_column *col = &t->cols[c];
				if (!col->generated)
					continue;
				if (dp_buf_printf(&j->gen_notes, "%s.%s: generated column (%s) carried as its "
						  "values, a plain column in %s (the expression is %s SQL)\n",
						  t->name, col->name, col->generated, j->tgt_drv->name,
						  j->src_drv->name))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				free(col->generated);
				col->generated = NULL;
				col->generated_stored = 0;
			}
		}
		if (rc)
			return rc;
	}
	job_phase_end(j, &j->phases.connect);
	set_stage(j, "scanning for PII");
	/* PII value scan: a sample of each table's text columns, unless the
	 * table is copied as is or left out */
	for (size_t k = 0; k < j->schema->ntables && !rc; k++) {
		dp_table *t = &j->schema->tables[k];
		const dp_table_cfg *tc = dp_job_cfg_table(j->cfg, t->name);
		const dp_settings *st = tc ? &tc->settings : &j->cfg->settings;
		if (j->cfg->settings.initialization_mode == DP_INIT_FROM_SCRATCH ||
		    (!st->pii.use_value_patterns && !st->pii.use_dictionaries) ||
		    (tc && (tc->mode == DP_MODE_DUPLICATE || tc->mode == DP_MODE_EXCLUDE)))
			continue;
		rc = dp_pii_scan_table(j->src_drv, dp_source_leader(j->src), t, &st->pii, NULL, eb);
	}
	job_phase_end(j, &j->phases.pii_scan);
	set_stage(j, "planning");
	if (!rc)
		rc = dp_plan_build(j->cfg, j->schema, j->tgt_drv->caps, j->seed, j->names, &j->plan, eb);
	if (!rc)
		rc = dp_plan_objects(j->plan, j->tgt_drv, eb);
	if (!rc) {
		size_t left = 0;
		for (size_t k = 0; k < j->plan->nobjects; k++)
			left += !j->plan->objects[k].carried;
		if (left)
			dp_log_warn("%zu schema objects of the source are not carried to the target "
				    "(`doppel plan` lists them with the reason)", left);
	}
	if (!rc)
		rc = check_fragments(j, eb);
	if (rc)
		return rc;
	/* every column, key and name must fit the target before anything is
	 * created there; what the mapping decides (a meaning kept differently,
	 * a key column's width, a shortened index name) goes into the plan */
	{
		const dp_dialect *d = dp_dialect_find(j->tgt_drv->name);
		dp_buf notes = DP_BUF_INIT;
		for (size_t k = 0; k < j->plan->ntables && !rc; k++) {
			const dp_table *t = j->plan->tables[k].t;
			if (j->plan->tables[k].mode == DP_MODE_EXCLUDE)
				continue;
			if (d) {
				rc = dp_sql_plan_table(d, t, j->src_drv->name, &notes, eb);
				continue;
			}
			for (size_t c = 0; c < t->ncols && !rc; c++) {
				dp_buf scratch = DP_BUF_INIT;
				rc = dp_typemap(t->name, &t->cols[c], j->src_drv->name, j->tgt_drv->name, 0,
						&scratch, eb);
				dp_buf_free(&scratch);
			}
		}
		if (!rc && j->gen_notes.len && dp_buf_append(&notes, j->gen_notes.data, j->gen_notes.len))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!rc && notes.len) {
			j->plan->mapping_notes = dp_buf_steal(&notes);
			dp_log_info("type mapping %s -> %s: see `doppel plan` (type mapping)",
				    j->src_drv->name, j->tgt_drv->name);
		}
		dp_buf_free(&notes);
		if (rc)
			return rc;
	}
	job_phase_end(j, &j->phases.connect);     /* the plan */
	set_stage(j, "learning the source's PII values");
	rc = learn_names(j, eb);
	job_phase_end(j, &j->phases.learning);
	set_stage(j, "prepared");
	if (rc)
		return rc;
	rc = dp_run_plan(&j->run, j->plan, eb);
	if (rc)
		return rc;
	/* the wide leak check, when some identifying PII column is masked:
	 * 1M fingerprints a side (24 MB), a quarter of it memory-lean */
	j->leak_share = -1;
	rc = dp_load_leak_roles(j->plan, &j->run, &j->leak_ncols);
	if (rc == 1) {
		rc = DP_OK;
		j->run.leak = dp_leak_new(j->cfg->settings.ray_memory_optimization ? 262144 : 1048576);
		j->leak_hits = calloc(j->leak_ncols + 1, sizeof(*j->leak_hits));
		if (!j->run.leak || !j->leak_hits)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	} else if (rc)
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (rc)
		return rc;
	if (!j->cfg->settings.use_seed)
		dp_log_info("use_seed is false: this run's seed is %" PRId64 " (set \"seed_value\": "
			    "\"%" PRId64 "\" and \"use_seed\": true to reproduce this target)", j->seed, j->seed);
	return DP_OK;
}

const dp_plan *dp_job_plan(const dp_job *j)
{
	return j->plan;
}

/* The wide leak check meets its two sets; columns with hits are named. */
static void leak_report(dp_job *j)
{
	memset(j->leak_hits, 0, j->leak_ncols * sizeof(*j->leak_hits));
	dp_leak_finish(j->run.leak, j->leak_hits, j->leak_ncols, &j->leak_share);
	for (size_t k = 0; k < j->run.ntables; k++) {
		const dp_table_run *tr = &j->run.tables[k];
		for (size_t c = 0; c < tr->pt->t->ncols; c++) {
			int64_t h = j->leak_hits[tr->leak_base + c];
			if (h > 0)
				dp_log_warn("leak check: %s.%s holds %" PRId64 " values%s of the source's PII "
					    "columns as they are (copied: nothing flagged it)", tr->pt->t->name,
					    tr->pt->t->cols[c].name, h, j->leak_share < 1 ? " (sampled)" : "");
		}
	}
}

/* Create the carried schema objects of one phase, in the source's order. */
static int objects_phase(dp_job *j, dp_obj_phase phase, dp_errbuf *eb)
{
	for (size_t k = 0; k < j->plan->nobjects; k++) {
		const dp_plan_object *po = &j->plan->objects[k];
		int rc;
		if (!po->carried || po->o->phase != phase || !po->o->ddl)
			continue;      /* no ddl: made with its table */
		rc = j->tgt_drv->create_object(dp_target_session(j->tgt), po->o, j->schema->engine, eb);
		if (rc) {
			if (!strstr(eb->msg, po->o->name)) {
				char msg[DP_ERRMSG_MAX];
				snprintf(msg, sizeof(msg), "%s", eb->msg);
				dp_errbuf_clear(eb);
				dp_fail(eb, rc, "%s %s: %s", dp_obj_kind_name(po->o->kind), po->o->name, msg);
			}
			return rc;
		}
	}
	return DP_OK;
}

/* Create every planned table (pre-data) in load order. */
static int create_phase(dp_job *j, dp_ddl_phase phase, dp_errbuf *eb)
{
	for (size_t k = 0; k < j->run.ntables; k++) {
		int rc;
		/* tables continued from a killed job's staging area exist there */
		if (phase == DP_DDL_TABLE && (j->run.tables[k].resumed || j->run.tables[k].precreated))
			continue;
		rc = j->tgt_drv->create(dp_target_session(j->tgt), j->run.tables[k].pt->t, phase, j->src_drv->name, eb);
		if (rc)
			return rc;
	}
	return DP_OK;
}

static int verify_fks(dp_job *j, dp_errbuf *eb)
{
	dp_buf detail = DP_BUF_INIT;
	int64_t n = 0;
	int rc;

	rc = j->tgt_drv->fk_violations(dp_target_session(j->tgt), &n, &detail, eb);
	if (!rc) {
		j->fk_violations = n;
		if (n > 0)
			rc = dp_fail(eb, DP_ERR_INTEGRITY,
				     "verification: %" PRId64 " foreign-key violation%s in the target "
				     "(first: %s)", n, n == 1 ? "" : "s",
				     dp_buf_str(&detail)[0] ? dp_buf_str(&detail) : "?");
	}
	dp_buf_free(&detail);
	return rc;
}

void dp_job_set_resume(dp_job *j, int on)
{
	j->resume = on;
}

int dp_job_swapping(const dp_job *j)
{
	return atomic_load(&j->swapping);
}

const char *dp_job_stage(const dp_job *j)
{
	return atomic_load(&j->stage);
}

static void set_stage(dp_job *j, const char *s)
{
	atomic_store(&j->stage, s);
}

void dp_job_set_log(dp_job *j, const char *id,
		    void (*sink)(void *arg, int level, const char *msg), void *arg)
{
	snprintf(j->log.job, sizeof(j->log.job), "%s", id ? id : "");
	j->log.sink = (void (*)(void *, dp_log_level, const char *))sink;
	j->log.arg = arg;
}

int dp_job_target_leftovers(dp_job *j, dp_buf *out, dp_errbuf *eb)
{
	dp_conn *c = NULL;
	int rc;

	dp_log_bind(&j->log);
	if (!j->tgt_drv)
		return dp_fail(eb, DP_ERR_INTERNAL, "dp_job_target_leftovers before dp_job_prepare");
	rc = dp_sessions_open(j->sessions, j->tgt_drv, &j->cfg->target, DP_ROLE_TARGET, &c, eb);
	if (!rc)
		rc = j->tgt_drv->stage_leftovers(c, out, eb);
	dp_sessions_close(j->sessions, j->tgt_drv, c);
	return rc;
}

/* test hook: hold the job after its N-th mark, so a test can kill -9 it with
 * N tables complete in the staging area */
/* What this job builds, as 64 hex digits: the plan as `doppel plan` prints
 * it (modes, generators, rules, key methods), the seed, the source's
 * identity and the target. A staging area is continued only by a job with
 * the same fingerprint. */
static int fingerprint(dp_job *j, char out[65], dp_errbuf *eb)
{
	char *text = NULL, desc[512];
	size_t len = 0;
	unsigned char md[32];
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	/* row estimates move with the server's statistics: not part of it */
	dp_plan_print_ex(j->plan, f, DP_PLAN_PRINT_NO_ROWS);
	dp_conn_cfg_describe(&j->cfg->source, desc, sizeof(desc));
	fprintf(f, "\nseed %" PRId64 "\nsource %s %s\n", j->seed, desc,
		j->src_identity ? j->src_identity : "");
	dp_conn_cfg_describe(&j->cfg->target, desc, sizeof(desc));
	fprintf(f, "target %s\n", desc);
	if (fclose(f) != 0 || !text) {
		free(text);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	dp_sha256(text, len, md);
	free(text);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return DP_OK;
}

/* Start the target's staging area (exclusive lock first); with --resume,
 * the tables a killed run completed are kept and not loaded again. */
static int begin_target(dp_job *j, dp_errbuf *eb)
{
	dp_stage_opts o;
	char fp[65];
	size_t kept = 0;
	int rc = fingerprint(j, fp, eb);

	if (rc)
		return rc;
	memset(&o, 0, sizeof(o));
	o.job = j->cfg->name ? j->cfg->name : "(unnamed)";
	o.fingerprint = fp;
	o.resume = j->resume;
	/* tables loaded with FKs enforced depend on each other's load: a
	 * killed job of that kind is not continued */
	j->run.marks = !j->plan->immediate_fk;
	if (j->resume && j->plan->immediate_fk) {
		dp_log_warn("--resume: default_drop_indexes is false (FKs enforced during the load), so "
			    "a killed run's tables cannot be kept: this run starts anew");
		o.resume = 0;
	}
	rc = j->tgt_drv->stage_begin(dp_target_session(j->tgt), &o, eb);
	for (size_t k = 0; !rc && o.resume && k < j->run.ntables; k++) {
		dp_table_run *jt = &j->run.tables[k];
		int64_t rows = 0;
		dp_stage_state st;
		if (jt->pt->mode == DP_MODE_SYNTHESIZE || jt->pt->mode == DP_MODE_EXCLUDE)
			st = DP_STAGE_NEW;
		else
			st = j->tgt_drv->stage_state(dp_target_session(j->tgt), jt->pt->t, &rows);
		if (st == DP_STAGE_NEW)
			continue;
		jt->resumed = 1;
		if (st == DP_STAGE_DONE) {
			/* loaded by the killed run: counted, not read again */
			atomic_store(&jt->state, DP_TS_DONE);
			atomic_store(&jt->rows_written, rows);
			kept++;
			dp_log_info("table %s: kept from the killed run (%" PRId64 " rows)", jt->pt->t->name, rows);
		} else {
			jt->resumed = 2;   /* exists, emptied: loaded, not created */
		}
	}
	/* an emptied table is loaded like a new one, only not created */
	for (size_t k = 0; k < j->run.ntables; k++)
		if (j->run.tables[k].resumed == 2) {
			j->run.tables[k].resumed = 0;
			j->run.tables[k].precreated = 1;
		}
	if (!rc && o.resume)
		dp_log_info("--resume: %zu of %zu tables kept from the killed run", kept, j->run.ntables);
	return rc;
}

/* Target = source, by what the servers say they are: however host, port,
 * path or schema were spelled, equal identities are the same tables. Runs
 * before anything is created on the target. */
static int check_identity(dp_job *j, dp_errbuf *eb)
{
	dp_buf id = DP_BUF_INIT;
	int rc;

	if (j->src_drv != j->tgt_drv)
		return DP_OK;
	/* asked only now, and only of a same-engine pair: the source session
	 * is the leader's (no worker runs yet) */
	rc = j->src_drv->identity(dp_source_leader(j->src), &id, eb);
	if (!rc && !(j->src_identity = dp_strdup(dp_buf_str(&id))))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	dp_buf_reset(&id);
	if (!rc)
		rc = j->tgt_drv->identity(dp_target_session(j->tgt), &id, eb);
	if (!rc && !strcmp(dp_buf_str(&id), j->src_identity))
		rc = dp_fail(eb, DP_ERR_REFUSED, "target: %s is the source database itself (%s, however "
			     "it is spelled); doppel never writes to its source - choose another target",
			     j->tgt_drv->name,
			     !strcmp(j->tgt_drv->name, "postgresql")
			     ? "same cluster or one of its replicas, same database - another schema of it "
			       "counts as the source too"
			     : !strcmp(j->tgt_drv->name, "mysql") ? "same server, same database" : "same file");
	dp_buf_free(&id);
	return rc;
}

int dp_job_run(dp_job *j, dp_errbuf *eb)
{
	const dp_settings *js = &j->cfg->settings;
	double t0 = dp_now_s();
	char desc[512];
	int rc, finished = 0;

	dp_log_bind(&j->log);
	if (j->resume && !js->use_seed) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "--resume needs use_seed true: the tables a killed run "
			     "completed were made with its seed, and a fresh one would not match them");
		goto out;
	}
	rc = dp_job_prepare(j, eb);
	if (rc)
		goto out;
	set_stage(j, "computing keys and subsets");
	rc = dp_load_keys(j->plan, j->src, &j->run, eb);
	if (!rc)
		rc = dp_subset_compute(j->plan, j->src, &j->run.subset, eb);
	for (size_t k = 0; !rc && j->run.subset && k < j->run.ntables; k++)
		if (dp_subset_estimate(j->run.subset, k, j->run.tables[k].est_rows) >= 0)
			j->run.tables[k].est_rows = dp_subset_estimate(j->run.subset, k,
								       j->run.tables[k].est_rows);
	if (!rc)
		rc = dp_load_chunks(j->plan, j->src, j->tgt_drv->caps, &j->run, eb);
	job_phase_end(j, &j->phases.select);
	set_stage(j, "loading");
	if (rc)
		goto out;
	dp_conn_cfg_describe(&j->cfg->target, desc, sizeof(desc));
	dp_log_info("target: %s", desc);
	rc = dp_target_open(&j->cfg->target, j->sessions, &j->tgt, eb);
	if (!rc && dp_target_driver(j->tgt) != j->tgt_drv)
		rc = dp_fail(eb, DP_ERR_INTERNAL, "session driver changed");
	if (!rc)
		rc = check_identity(j, eb);
	/* the exclusive lock, and the staging area of this job */
	if (!rc)
		rc = begin_target(j, eb);
	if (rc)
		goto out;
	dp_run_test_pause_after_mark(&j->run, 0);
	snprintf(j->target_state, sizeof(j->target_state), "%s",
		 (j->tgt_drv->caps & DP_CAP_ATOMIC_TARGET)
		 ? "target unchanged (the load was discarded)"
		 : "target incomplete: rerun the job");
	rc = j->tgt_drv->set_fk_enforcement(dp_target_session(j->tgt), j->plan->immediate_fk, eb);
	if (!rc)
		rc = objects_phase(j, DP_OBJ_BEFORE_TABLES, eb);
	if (!rc)
		rc = create_phase(j, DP_DDL_TABLE, eb);
	/* default_drop_indexes=false keeps indexes during the load; FKs are
	 * enforced while loading (parents first, broken cycle edges deferred) */
	if (!rc && !js->drop_indexes)
		rc = create_phase(j, DP_DDL_INDEXES, eb);
	if (!rc && j->plan->immediate_fk)
		rc = create_phase(j, DP_DDL_FKS, eb);
	if (rc)
		goto out;
	rc = dp_load_tables(j->plan, j->src, j->tgt, &j->run, eb);
	if (!rc)
		rc = dp_load_deferred(j->plan, j->tgt, &j->run, eb);
	/* test hook: hold the job with its staging area filled and the lock
	 * held, so a test can try a second job, kill -9 or interrupt it */
	if (!rc && getenv("DOPPEL_TEST_PAUSE_AFTER_LOAD")) {
		int tenths = 10 * atoi(getenv("DOPPEL_TEST_PAUSE_AFTER_LOAD"));
		dp_log_info("test hook: pausing after the load");
		for (int i = 0; i < tenths && tenths <= 600 && !atomic_load(&j->run.cancel); i++) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	if (!rc && atomic_load(&j->run.cancel))
		rc = dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
	/* synthesized tables after the others: their rows may reference them */
	if (!rc)
		rc = dp_synth_run(j->plan, j->src, j->tgt, &j->run, &j->report, eb);
	if (!rc && j->run.leak)
		leak_report(j);
	job_phase_end(j, &j->phases.load);
	set_stage(j, "building indexes and constraints");
	if (!rc && js->drop_indexes)
		rc = create_phase(j, DP_DDL_INDEXES, eb);
	if (!rc && !j->plan->immediate_fk)
		rc = create_phase(j, DP_DDL_FKS, eb);
	for (size_t k = 0; k < j->run.ntables && !rc; k++)
		rc = j->tgt_drv->reset_sequences(dp_target_session(j->tgt), j->run.tables[k].pt->t, eb);
	if (!rc && !j->plan->immediate_fk)
		rc = j->tgt_drv->set_fk_enforcement(dp_target_session(j->tgt), 1, eb);
	/* views, functions, triggers, comments ... after the data: a trigger
	 * must not fire while rows are copied, a materialized view holds the
	 * target's rows */
	if (!rc)
		rc = objects_phase(j, DP_OBJ_AFTER_DATA, eb);
	job_phase_end(j, &j->phases.constraints);
	set_stage(j, "verifying");
	if (!rc)
		rc = verify_fks(j, eb);
	if (rc)
		goto out;
	set_stage(j, "swapping the target in");
	atomic_store(&j->swapping, 1);
	rc = j->tgt_drv->finish(dp_target_session(j->tgt), 1, eb);
	atomic_store(&j->swapping, 0);
	finished = 1;
	job_phase_end(j, &j->phases.verification);
	if (!rc)
		snprintf(j->target_state, sizeof(j->target_state), "target complete and verified");
out:
	/* an interrupted statement fails with the server's words; the cause
	 * is the user's cancel */
	if (rc && rc != DP_ERR_CANCELLED && atomic_load(&j->user_cancel) &&
	    (!finished || rc != DP_ERR_IO)) {
		dp_log_debug("after the cancel: %s", eb->msg);
		dp_errbuf_clear(eb);
		rc = dp_fail(eb, DP_ERR_CANCELLED, "job cancelled");
	}
	if (rc && j->tgt && !finished) {
		dp_errbuf ignore;
		dp_errbuf_clear(&ignore);
		(void)j->tgt_drv->finish(dp_target_session(j->tgt), 0, &ignore);
	}
	if (rc && j->tgt && finished)
		snprintf(j->target_state, sizeof(j->target_state), "%s",
			 rc == DP_ERR_IO ? "target state unknown: the final commit failed"
					 : "target unchanged (the swap was refused, nothing replaced)");
	dp_target_free(j->tgt);
	j->tgt = NULL;
	j->seconds = dp_now_s() - (j->t_start ? j->t_start : t0);
	set_stage(j, !rc ? "done" : rc == DP_ERR_CANCELLED ? "cancelled" : "failed");
	for (size_t k = 0; k < j->run.ntables && rc; k++) {
		int s = atomic_load(&j->run.tables[k].state);
		if (s == DP_TS_PENDING || s == DP_TS_RUNNING)
			atomic_store(&j->run.tables[k].state,
				     rc == DP_ERR_CANCELLED ? DP_TS_CANCELLED : DP_TS_FAILED);
	}
	return rc;
}

void dp_job_cancel(dp_job *j)
{
	atomic_store(&j->user_cancel, 1);
	atomic_store(&j->run.cancel, 1);
	/* interrupt what every session is waiting for (a lock, a slow server):
	 * each call then fails, and the job ends without waiting for it */
	dp_sessions_cancel(j->sessions);
	dp_run_stop(&j->run);
}

size_t dp_job_ntables(const dp_job *j)
{
	return j->run.ntables;
}

void dp_job_table_result(const dp_job *j, size_t k, dp_table_result *out)
{
	const dp_table_run *jt = &j->run.tables[k];

	out->name = jt->pt->t->name;
	out->mode = jt->pt->mode;
	out->state = (dp_tstate)atomic_load(&jt->state);
	out->est_rows = jt->est_rows;
	out->rows_read = atomic_load(&jt->rows_read);
	out->rows_written = atomic_load(&jt->rows_written);
	out->seconds = jt->seconds;
}

void dp_job_progress(const dp_job *j, dp_progress *out)
{
	memset(out, 0, sizeof(*out));
	out->stage = dp_job_stage(j);
	out->seconds = j->t_start > 0 ? dp_now_s() - j->t_start : 0;
	for (size_t k = 0; k < j->run.ntables; k++) {
		const dp_table_run *jt = &j->run.tables[k];
		int s = atomic_load(&jt->state);
		if (jt->pt->mode != DP_MODE_EXCLUDE && jt->est_rows > 0)
			out->rows_total += jt->est_rows;
		out->rows_done += atomic_load(&jt->rows_written);
		out->bytes_read += atomic_load(&jt->bytes_read);
		out->bytes_written += atomic_load(&jt->bytes_written);
		out->tables_done += s == DP_TS_DONE;
	}
	out->ntables = j->run.ntables;
}

int64_t dp_job_fk_violations(const dp_job *j)
{
	return j->fk_violations;
}

void dp_job_pii_check(const dp_job *j, size_t *columns, int64_t *values, int64_t *survived)
{
	size_t nc = 0;
	int64_t v = 0, s = 0;

	for (size_t k = 0; k < j->run.ntables; k++) {
		const dp_table_run *jt = &j->run.tables[k];
		for (size_t c = 0; c < jt->pt->t->ncols; c++)
			nc += jt->pt->cols[c].action == DP_COL_GEN && jt->pt->cols[c].pii;
		v += atomic_load(&jt->pii_checked);
		s += atomic_load(&jt->pii_survived);
	}
	*columns = nc;
	*values = v;
	*survived = s;
}

size_t dp_job_pii_leaking_columns(const dp_job *j)
{
	size_t n = 0;

	for (size_t k = 0; k < j->run.ntables; k++)
		for (size_t c = 0; c < j->run.tables[k].pt->t->ncols; c++)
			n += atomic_load(&j->run.tables[k].col_survived[c]) > 0;
	return n;
}

const char *dp_job_target_state(const dp_job *j)
{
	return j->target_state;
}

int64_t dp_job_seed(const dp_job *j)
{
	return j->seed;
}

int dp_job_report(dp_job *j, dp_errbuf *eb)
{
	dp_conn *tc = NULL;
	int rc;

	dp_log_bind(&j->log);

	if (!j->cfg->settings.use_seed)
		return dp_fail(eb, DP_ERR_CONFIG, "use_seed: doppel report needs use_seed true: the "
			       "training sample and the holdout of the run are drawn again from "
			       "seed_value (without a seed they cannot be told apart)");
	rc = dp_job_prepare(j, eb);
	if (rc)
		return rc;
	/* the target is only read: opened as a source (read-only session) */
	rc = dp_sessions_open(j->sessions, j->tgt_drv, &j->cfg->target, DP_ROLE_SOURCE, &tc, eb);
	if (rc)
		return rc;
	rc = dp_synth_report(j->plan, j->src, &j->run, &j->report, j->tgt_drv, tc, eb);
	dp_sessions_close(j->sessions, j->tgt_drv, tc);
	return rc;
}

const dp_report *dp_job_quality_report(const dp_job *j)
{
	return j->report;
}

int dp_job_synth_scores(const dp_job *j, size_t k, dp_report_scores *out)
{
	if (k >= j->run.ntables || !j->run.tables[k].has_scores)
		return 0;
	*out = j->run.tables[k].scores;
	return 1;
}

double dp_job_seconds(const dp_job *j)
{
	return j->seconds;
}

void dp_job_phase_seconds(const dp_job *j, dp_job_phases *out)
{
	*out = j->phases;
	out->total = j->seconds;
}

size_t dp_job_leaks(const dp_job *j, dp_leak_hit *out, size_t max, double *share)
{
	size_t n = 0;

	if (share)
		*share = j->leak_share;
	for (size_t k = 0; j->leak_hits && k < j->run.ntables; k++) {
		const dp_table_run *tr = &j->run.tables[k];
		for (size_t c = 0; c < tr->pt->t->ncols; c++) {
			int64_t h = j->leak_hits[tr->leak_base + c];
			if (h <= 0)
				continue;
			if (n < max) {
				out[n].table = tr->pt->t->name;
				out[n].column = tr->pt->t->cols[c].name;
				out[n].values = h;
			}
			n++;
		}
	}
	return n;
}

size_t dp_job_unflagged(const dp_job *j, dp_leak_hit *out, size_t max)
{
	size_t n = 0;

	for (size_t k = 0; j->plan && k < j->plan->ntables; k++) {
		const dp_plan_table *pt = &j->plan->tables[k];
		if (pt->mode != DP_MODE_DE_IDENTIFY && pt->mode != DP_MODE_SUBSET)
			continue;
		for (size_t c = 0; c < pt->t->ncols; c++) {
			if (pt->cols[c].action != DP_COL_COPY || pt->t->cols[c].tclass != DP_T_TEXT)
				continue;
			if (n < max) {
				out[n].table = pt->t->name;
				out[n].column = pt->t->cols[c].name;
				out[n].values = 0;
			}
			n++;
		}
	}
	return n;
}
