/* cli/cmd_job.c - `doppel run` and `doppel plan`, and the run loop shared
 * with `doppel demo`: progress bar, Ctrl-C, summary, verification line. */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cJSON.h>
#include "cli.h"
#include "../base/dp_log.h"
#include "../engine/models/report.h"
#include "../engine/job.h"
#include "../engine/plan/plan_json.h"
#include "../report/report_render.h"
#include "../settings/engine_file.h"

static volatile sig_atomic_t interrupted;

/* First SIGINT/SIGTERM: cancel (the watcher thread interrupts every
 * session's statement). A second one ends the process at once: the target
 * is staged, so that too leaves it as it was. */
static void on_sigint(int sig)
{
	(void)sig;
	if (interrupted) {
		static const char msg[] = "\ndoppel: interrupted twice: stopping now; target unchanged\n";
		(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
		_exit(130);
	}
	interrupted = 1;
}

typedef struct progress {
	dp_job *job;
	int draw;            /* redraw a bar on stderr */
	atomic_int prepared; /* the plan exists: the bar may be drawn */
	atomic_int stop;
	int cancelled;
} progress;

static void draw_bar(const dp_job *j, int final)
{
	dp_progress pg;
	int64_t done, total;
	size_t td, nt;
	char bar[31];
	double f;
	int fill;

	dp_job_progress(j, &pg);
	done = pg.rows_done;
	total = pg.rows_total;
	td = pg.tables_done;
	nt = pg.ntables;
	f = total > 0 ? (double)done / (double)total : (td == nt ? 1.0 : 0.0);
	if (f > 1.0)
		f = 1.0;
	fill = (int)(f * 30.0);
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(30 - fill));
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %" PRId64 "/%" PRId64 " rows  %zu/%zu tables%s", bar,
		(int)(f * 100.0), done, total, td, nt, final ? "\n" : "");
	fflush(stderr);
}

static void *progress_main(void *arg)
{
	progress *p = arg;
	/* short naps: the run's end (stop) is seen within 20 ms, the bar is
	 * redrawn every 200 ms */
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	unsigned tick = 0;

	unsigned since = 0;

	while (!atomic_load(&p->stop)) {
		if (interrupted && !p->cancelled) {
			p->cancelled = 1;
			fprintf(stderr, "\ndoppel: interrupted: cancelling the statements in flight...\n");
			dp_job_cancel(p->job);
		}
		/* a call that no cancel reaches (a connect to a silent server, a
		 * driver's own wait): 4 s after the signal the process ends; the
		 * target is staged, so ending it is as safe as a kill */
		if (p->cancelled && ++since == 200) {
			fprintf(stderr, "doppel: still blocked 4 s after the interrupt: stopping now\n"
				"doppel: target: %s\n", dp_job_swapping(p->job)
				? "the final swap was under way: the target is either the previous one or the "
				  "new, complete one"
				: "target unchanged (the staged load was abandoned; the next run removes it)");
			fflush(stderr);
			_exit(130);
		}
		if (tick++ % 10 == 0 && p->draw && atomic_load(&p->prepared))
			draw_bar(p->job, 0);
		nanosleep(&ts, NULL);
	}
	if (p->draw && atomic_load(&p->prepared))
		draw_bar(p->job, 1);
	return NULL;
}

/* The wide leak check, and what the masking covered: the text columns of
 * de-identified tables left as they are are named (the first few). */
static void print_leak_check(const dp_job *j, FILE *out)
{
	dp_leak_hit h[8];
	double share;
	size_t n = dp_job_leaks(j, h, 8, &share), m;

	if (share >= 0 && !n)
		fprintf(out, "leak check: no value of the source's identifying PII columns is in a "
			"column written as it is%s\n", share < 1 ? " (a sample of the values checked)" : "");
	else if (share >= 0) {
		fprintf(out, "leak check: %zu column%s written as %s hold%s values of the source's PII "
			"columns%s:", n, n == 1 ? "" : "s", n == 1 ? "it is" : "they are", n == 1 ? "s" : "",
			share < 1 ? " (sampled)" : "");
		for (size_t i = 0; i < n && i < 8; i++)
			fprintf(out, "%s %s.%s (%" PRId64 ")", i ? "," : "", h[i].table, h[i].column, h[i].values);
		fprintf(out, "%s\n", n > 8 ? ", ..." : "");
	}
	m = dp_job_unflagged(j, h, 8);
	if (m) {
		fprintf(out, "left as they are (nothing flagged them): %zu text column%s:", m, m == 1 ? "" : "s");
		for (size_t i = 0; i < m && i < 8; i++)
			fprintf(out, "%s %s.%s", i ? "," : "", h[i].table, h[i].column);
		fprintf(out, "%s\n", m > 8 ? ", ... (--json lists all)" : "");
	}
}

static void print_summary(const dp_job *j, FILE *out)
{
	size_t n = dp_job_ntables(j), w = 5;

	for (size_t k = 0; k < n; k++) {
		dp_table_result r;
		dp_job_table_result(j, k, &r);
		if (strlen(r.name) > w)
			w = strlen(r.name);
	}
	fprintf(out, "%-*s  %-11s  %-9s  %10s  %12s  %8s\n", (int)w, "table", "mode", "state",
		"rows read", "rows written", "seconds");
	for (size_t k = 0; k < n; k++) {
		dp_table_result r;
		dp_job_table_result(j, k, &r);
		fprintf(out, "%-*s  %-11s  %-9s  %10" PRId64 "  %12" PRId64 "  %8.2f\n", (int)w, r.name,
			dp_mode_name(r.mode), dp_tstate_name(r.state), r.rows_read, r.rows_written,
			r.seconds);
	}
	for (size_t k = 0; k < n; k++) {
		dp_table_result r;
		dp_report_scores sc;
		if (!dp_job_synth_scores(j, k, &sc))
			continue;
		dp_job_table_result(j, k, &r);
		if (sc.quality >= 0 && sc.pairs >= 0)
			fprintf(out, "synthesis %s: quality %.3f (column shapes %.3f, pair trends %.3f)", r.name,
				sc.quality, sc.shapes, sc.pairs);
		else if (sc.quality >= 0)
			fprintf(out, "synthesis %s: quality %.3f (column shapes %.3f; no pair trends: fewer "
				"than two scored columns)", r.name, sc.quality, sc.shapes);
		else
			fprintf(out, "synthesis %s: no modelled columns to score", r.name);
		if (sc.children_ks >= 0)
			fprintf(out, ", children per parent %.3f", sc.children_ks);
		/* a share is read against the holdout's: real rows that are not in
		 * the training sample repeat training rows that often by nature */
		fprintf(out, "; identical to a training row %.4f (holdout %.4f%s)", sc.identical,
			sc.identical_holdout,
			sc.identical > sc.identical_holdout + 0.005 ? ": ABOVE the holdout's, the model copies rows"
			: sc.identical >= 0.5 ? ": as often as real rows do, the rows have few distinct values"
			: "");
		if (sc.dcr_share >= 0)
			fprintf(out, "; DCR share %.3f", sc.dcr_share);
		fputc('\n', out);
	}
}

/* The run's wall time phase by phase (engine/job.h dp_job_phases), in
 * the order they happen; names are the --json keys too. */
static void phase_list(const dp_job *j, const char *names[7], double secs[7])
{
	dp_job_phases ph;
	dp_job_phase_seconds(j, &ph);
	names[0] = "connect_introspect"; secs[0] = ph.connect;
	names[1] = "pii_scan";           secs[1] = ph.pii_scan;
	names[2] = "learning";           secs[2] = ph.learning;
	names[3] = "keys_subset";        secs[3] = ph.select;
	names[4] = "load";               secs[4] = ph.load;
	names[5] = "indexes_constraints"; secs[5] = ph.constraints;
	names[6] = "verification";       secs[6] = ph.verification;
}

static void print_phases(const dp_job *j, FILE *out)
{
	static const char *const label[7] = { "connect+introspect", "PII scan", "learning",
		"keys+subset", "load", "indexes/constraints", "verification" };
	const char *names[7];
	double secs[7];
	phase_list(j, names, secs);
	fprintf(out, "time: %.2f s =", dp_job_seconds(j));
	for (int i = 0; i < 7; i++)
		fprintf(out, "%s %s %.2f s", i ? " |" : "", label[i], secs[i]);
	fputc('\n', out);
}

static void print_json_summary(const dp_job *j, int rc, const dp_errbuf *eb, FILE *out)
{
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "tables");
	size_t pcols;
	int64_t pvals, psurv;
	char *txt;

	cJSON_AddStringToObject(root, "status", rc ? "failed" : "succeeded");
	if (rc)
		cJSON_AddStringToObject(root, "error", eb->msg);
	cJSON_AddStringToObject(root, "target_state", dp_job_target_state(j));
	cJSON_AddNumberToObject(root, "seed", (double)dp_job_seed(j));
	cJSON_AddNumberToObject(root, "seconds", dp_job_seconds(j));
	{
		cJSON *ph = cJSON_AddObjectToObject(root, "phase_seconds");
		const char *names[7];
		double secs[7];
		phase_list(j, names, secs);
		for (int i = 0; ph && i < 7; i++)
			cJSON_AddNumberToObject(ph, names[i], secs[i]);
	}
	{
		dp_progress pg;
		dp_job_progress(j, &pg);
		cJSON_AddNumberToObject(root, "tables_done", (double)pg.tables_done);
		cJSON_AddNumberToObject(root, "rows_written", (double)pg.rows_done);
		cJSON_AddNumberToObject(root, "bytes_read", (double)pg.bytes_read);
		cJSON_AddNumberToObject(root, "bytes_written", (double)pg.bytes_written);
	}
	cJSON_AddNumberToObject(root, "fk_violations", (double)dp_job_fk_violations(j));
	dp_job_pii_check(j, &pcols, &pvals, &psurv);
	cJSON_AddNumberToObject(root, "pii_columns", (double)pcols);
	cJSON_AddNumberToObject(root, "pii_values_checked", (double)pvals);
	cJSON_AddNumberToObject(root, "pii_columns_surviving", (double)dp_job_pii_leaking_columns(j));
	{
		double share;
		size_t n = dp_job_leaks(j, NULL, 0, &share), m = dp_job_unflagged(j, NULL, 0);
		dp_leak_hit *h = calloc((n > m ? n : m) + 1, sizeof(*h));
		if (h && share >= 0) {
			cJSON *lc = cJSON_AddObjectToObject(root, "leak_check");
			cJSON *a = cJSON_AddArrayToObject(lc, "columns");
			cJSON_AddNumberToObject(lc, "share_checked", share);
			dp_job_leaks(j, h, n, &share);
			for (size_t i = 0; i < n; i++) {
				cJSON *o = cJSON_CreateObject();
				char name[512];
				snprintf(name, sizeof(name), "%s.%s", h[i].table, h[i].column);
				cJSON_AddStringToObject(o, "column", name);
				cJSON_AddNumberToObject(o, "values", (double)h[i].values);
				cJSON_AddItemToArray(a, o);
			}
		}
		if (h) {
			cJSON *a = cJSON_AddArrayToObject(root, "unflagged_text_columns");
			dp_job_unflagged(j, h, m);
			for (size_t i = 0; i < m; i++) {
				char name[512];
				snprintf(name, sizeof(name), "%s.%s", h[i].table, h[i].column);
				cJSON_AddItemToArray(a, cJSON_CreateString(name));
			}
		}
		free(h);
	}
	for (size_t k = 0; k < dp_job_ntables(j); k++) {
		dp_table_result r;
		cJSON *t = cJSON_CreateObject();
		dp_job_table_result(j, k, &r);
		cJSON_AddStringToObject(t, "name", r.name);
		cJSON_AddStringToObject(t, "mode", dp_mode_name(r.mode));
		cJSON_AddStringToObject(t, "state", dp_tstate_name(r.state));
		cJSON_AddNumberToObject(t, "rows_read", (double)r.rows_read);
		cJSON_AddNumberToObject(t, "rows_written", (double)r.rows_written);
		cJSON_AddNumberToObject(t, "seconds", r.seconds);
		{
			dp_report_scores sc;
			if (dp_job_synth_scores(j, k, &sc)) {
				cJSON *q = cJSON_AddObjectToObject(t, "synthesis");
				cJSON_AddNumberToObject(q, "quality", sc.quality);
				cJSON_AddNumberToObject(q, "column_shapes", sc.shapes);
				cJSON_AddNumberToObject(q, "column_pair_trends", sc.pairs);
				if (sc.children_ks >= 0)
					cJSON_AddNumberToObject(q, "children_per_parent", sc.children_ks);
				cJSON_AddNumberToObject(q, "identical_share", sc.identical);
				if (sc.dcr_share >= 0)
					cJSON_AddNumberToObject(q, "dcr_share", sc.dcr_share);
			}
		}
		cJSON_AddItemToArray(arr, t);
	}
	txt = cJSON_Print(root);
	if (txt)
		fprintf(out, "%s\n", txt);
	free(txt);
	cJSON_Delete(root);
}

/* SYNTHESIZE: report.json and report.html into --report-dir (default .),
 * unless --no-report or nothing was synthesized. *dir: where they went,
 * NULL when not written. */
static int write_report(const dp_job *j, const cli_run_opts *o, const char **dir, dp_errbuf *eb)
{
	const dp_report *r = dp_job_quality_report(j);

	*dir = NULL;
	if (o->no_report || !r || !dp_report_ntables(r))
		return DP_OK;
	*dir = o->report_dir ? o->report_dir : ".";
	return dp_report_write(r, *dir, eb);
}

int cli_run_job(const dp_job_cfg *cfg, const cli_run_opts *o)
{
	dp_job *j = dp_job_new(cfg);
	dp_errbuf eb;
	progress p;
	pthread_t th;
	struct sigaction sa, old;
	int rc, started = 0, code;
	size_t pcols;
	int64_t pvals, psurv;
	const char *dir;

	dp_errbuf_clear(&eb);
	if (!j) {
		fprintf(stderr, "doppel: error: out of memory\n");
		return DP_EXIT_FAILED;
	}
	dp_job_set_resume(j, o->resume);
	/* Ctrl-C works from the start: preparing (source, PII scan, plan) can
	 * take long on a big source */
	memset(&p, 0, sizeof(p));
	p.job = j;
	p.draw = o->progress < 0 ? isatty(STDERR_FILENO) : o->progress;
	atomic_init(&p.stop, 0);
	atomic_init(&p.prepared, 0);
	interrupted = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	sigaction(SIGTERM, &sa, NULL);
	if (pthread_create(&th, NULL, progress_main, &p) == 0)
		started = 1;
	/* prepare first (source, schema, plan): nothing is written if it fails */
	rc = dp_job_prepare(j, &eb);
	if (rc) {
		atomic_store(&p.stop, 1);
		if (started)
			pthread_join(th, NULL);
		sigaction(SIGINT, &old, NULL);
		if (interrupted) {
			dp_errbuf_clear(&eb);
			rc = dp_fail(&eb, DP_ERR_CANCELLED, "job cancelled");
		}
		code = cli_error(rc, &eb);
		fprintf(stderr, "doppel: target: not touched\n");
		dp_job_free(j);
		return code;
	}
	if (o->title)
		printf("%s\n", o->title);
	atomic_store(&p.prepared, 1);
	rc = dp_job_run(j, &eb);
	if (!rc && !(rc = write_report(j, o, &dir, &eb)) && dir)
		dp_log_info("report: %s/report.json and %s/report.html", dir, dir);
	atomic_store(&p.stop, 1);
	if (started)
		pthread_join(th, NULL);
	sigaction(SIGINT, &old, NULL);

	if (o->json) {
		print_json_summary(j, rc, &eb, stdout);
	} else {
		print_summary(j, stdout);
		dp_job_pii_check(j, &pcols, &pvals, &psurv);
		if (!rc)
			printf("verification: foreign-key violations in the target: %" PRId64
			       "; PII columns whose original values survive: %zu (%zu columns "
			       "masked or mocked, %" PRId64 " values checked)\n",
			       dp_job_fk_violations(j), dp_job_pii_leaking_columns(j), pcols, pvals);
		if (!rc)
			print_leak_check(j, stdout);
		printf("target: %s; seed %" PRId64 "%s; %.2f s\n", dp_job_target_state(j),
		       dp_job_seed(j), cfg->settings.use_seed ? "" : " (fresh: use_seed is false)",
		       dp_job_seconds(j));
		print_phases(j, stdout);
	}
	fflush(stdout);
	code = rc ? cli_error(rc, &eb) : DP_EXIT_OK;
	if (rc)
		fprintf(stderr, "doppel: target: %s\n", dp_job_target_state(j));
	dp_job_free(j);
	return code;
}

static int load_engine(int argc, char **argv, const char *cmd, dp_job_cfg **cfg, int *json,
		       int *progress_opt, cli_run_opts *ro)
{
	const char *path = NULL;
	dp_errbuf eb;
	int rc;

	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--json") && json)
			*json = 1;
		else if (!strcmp(argv[i], "--no-progress") && progress_opt)
			*progress_opt = 0;
		else if (!strcmp(argv[i], "--progress") && progress_opt)
			*progress_opt = 1;
		else if (!strcmp(argv[i], "--report-dir") && ro && i + 1 < argc)
			ro->report_dir = argv[++i];
		else if (!strcmp(argv[i], "--no-report") && ro)
			ro->no_report = 1;
		else if (!strcmp(argv[i], "--resume") && ro && !strcmp(cmd, "run"))
			ro->resume = 1;
		else {
			fprintf(stderr, "doppel %s: error: unexpected argument \"%s\"\n"
				"usage: doppel %s -c ENGINE.json%s\n", cmd, argv[i], cmd,
				json ? " [--json] [--no-progress] [--resume] [--report-dir DIR | --no-report]" : "");
			return DP_EXIT_USAGE;
		}
	}
	if (!path) {
		fprintf(stderr, "doppel %s: error: missing -c ENGINE.json\n", cmd);
		return DP_EXIT_USAGE;
	}
	dp_errbuf_clear(&eb);
	rc = dp_engine_file_load(path, cfg, &eb);
	if (rc) {
		fprintf(stderr, "doppel: error: %s: %s\n", path, eb.msg);
		return rc == DP_ERR_IO ? DP_EXIT_USAGE : cli_exit_code(rc);
	}
	return DP_EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	dp_job_cfg *cfg = NULL;
	cli_run_opts o = { -1, 0, NULL, NULL, 0, 0 };
	int code = load_engine(argc, argv, "run", &cfg, &o.json, &o.progress, &o);

	if (code)
		return code;
	if (o.json)
		o.progress = 0;
	code = cli_run_job(cfg, &o);
	dp_job_cfg_free(cfg);
	return code;
}

/* --json-in FILE: the plan document into *data (freed by the caller). */
static int read_plan_file(const char *path, dp_buf *data)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "doppel plan: error: --json-in %s: cannot open it\n", path);
		return DP_EXIT_USAGE;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (data->len + n > DP_PLAN_JSON_MAX || dp_buf_append(data, chunk, n)) {
			fclose(f);
			fprintf(stderr, "doppel plan: error: --json-in %s: more than %zu bytes, or out "
				"of memory\n", path, DP_PLAN_JSON_MAX);
			return DP_EXIT_USAGE;
		}
	if (ferror(f)) {
		fclose(f);
		fprintf(stderr, "doppel plan: error: --json-in %s: cannot read it\n", path);
		return DP_EXIT_USAGE;
	}
	fclose(f);
	return DP_EXIT_OK;
}

/* `doppel plan -c ENGINE.json [--json] [--json-in PLAN.json]`: the plan in
 * words, or as JSON (engine/plan/plan_json.h); with --json-in, the plan
 * document read back and checked against the source's schema as it is
 * now, then printed (so a plan survives the trip to a worker unchanged). */
int cmd_plan(int argc, char **argv)
{
	dp_job_cfg *cfg = NULL;
	dp_job *j;
	dp_errbuf eb;
	const char *json_in = NULL;
	int rc, code, json = 0, n = 0;
	char **args = calloc((size_t)argc + 1, sizeof(char *));

	if (!args)
		return DP_EXIT_FAILED;
	/* our options out, the rest to the engine-file loader */
	for (int i = 0; i < argc; i++) {
		if (i > 0 && !strcmp(argv[i], "--json"))
			json = 1;
		else if (i > 0 && !strcmp(argv[i], "--json-in") && i + 1 < argc)
			json_in = argv[++i];
		else
			args[n++] = argv[i];
	}
	code = load_engine(n, args, "plan", &cfg, NULL, NULL, NULL);
	free(args);
	if (code)
		return code;
	dp_errbuf_clear(&eb);
	j = dp_job_new(cfg);
	if (!j) {
		dp_job_cfg_free(cfg);
		return DP_EXIT_FAILED;
	}
	rc = dp_job_prepare(j, &eb);
	if (rc) {
		code = cli_error(rc, &eb);
	} else if (json || json_in) {
		const dp_plan *jp = dp_job_plan(j);
		dp_plan *read = NULL;
		dp_buf data = DP_BUF_INIT, txt = DP_BUF_INIT;

		if (json_in && (code = read_plan_file(json_in, &data)) == DP_EXIT_OK) {
			/* the job's schema is the source as introspected just now */
			rc = dp_plan_from_json(data.data ? data.data : "", data.len, cfg, jp->schema,
					       &read, &eb);
			if (rc) {
				fprintf(stderr, "doppel: error: %s: %s\n", json_in, eb.msg);
				code = cli_exit_code(rc);
			}
		}
		if (!code && json) {
			rc = dp_plan_to_json(read ? read : jp, &txt, &eb);
			if (rc)
				code = cli_error(rc, &eb);
			else
				fputs(dp_buf_str(&txt), stdout);
		} else if (!code) {
			dp_plan_print(read, stdout);
		}
		dp_plan_free(read);
		dp_buf_free(&data);
		dp_buf_free(&txt);
	} else {
		dp_buf left = DP_BUF_INIT;
		dp_plan_print(dp_job_plan(j), stdout);
		/* what killed runs left on the target: the next run removes it,
		 * `run --resume` continues it (same plan and seed) */
		dp_errbuf_clear(&eb);
		if (dp_job_target_leftovers(j, &left, &eb))
			printf("target: not checked for leftovers of unfinished runs (%s)\n", eb.msg);
		else if (left.len)
			printf("target: left by runs that did not finish (the next run removes them; "
			       "run --resume continues one of the same plan and seed): %s\n", dp_buf_str(&left));
		dp_buf_free(&left);
	}
	dp_job_free(j);
	dp_job_cfg_free(cfg);
	return code;
}

int cmd_report(int argc, char **argv)
{
	dp_job_cfg *cfg = NULL;
	cli_run_opts o = { 0, 0, NULL, NULL, 0, 0 };
	dp_job *j;
	dp_errbuf eb;
	const char *dir;
	int rc, code = load_engine(argc, argv, "report", &cfg, &o.json, NULL, &o);

	if (code)
		return code;
	dp_errbuf_clear(&eb);
	j = dp_job_new(cfg);
	if (!j) {
		dp_job_cfg_free(cfg);
		return DP_EXIT_FAILED;
	}
	rc = dp_job_report(j, &eb);
	if (!rc)
		rc = write_report(j, &o, &dir, &eb);
	if (rc) {
		code = cli_error(rc, &eb);
	} else if (o.json) {
		print_json_summary(j, rc, &eb, stdout);
	} else {
		print_summary(j, stdout);
		if (!o.no_report)
			printf("report: %s/report.json, %s/report.html\n", o.report_dir ? o.report_dir : ".",
			       o.report_dir ? o.report_dir : ".");
	}
	dp_job_free(j);
	dp_job_cfg_free(cfg);
	return code;
}
