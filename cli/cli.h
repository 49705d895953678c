/* cli/cli.h - the command-line front end's shared pieces.
 *
 * The CLI only parses arguments, loads engine files through settings/ and
 * drives engine/ jobs; it never talks to a database library directly.
 */
#ifndef DP_CLI_H
#define DP_CLI_H

#include <stdio.h>
#include "../base/dp_err.h"
#include "../engine/config/config.h"

/* Exit codes (README "Exit codes"). */
enum {
	DP_EXIT_OK = 0,
	DP_EXIT_FAILED = 1,      /* the job ran and failed (SQL, I/O, ...) */
	DP_EXIT_USAGE = 2,       /* bad command line, engine file or setting */
	DP_EXIT_CONNECT = 3,     /* a database could not be reached / refused login */
	DP_EXIT_VERIFY = 4,      /* the target failed verification */
	DP_EXIT_REFUSED = 5,     /* a safety rule refused the job */
	DP_EXIT_CANCELLED = 130
};

int cli_exit_code(int dp_rc);
/* Print "doppel: error: msg" to stderr; returns the exit code for rc. */
int cli_error(int rc, const dp_errbuf *eb);

typedef struct cli_run_opts {
	int progress;        /* -1 auto (tty), 0 off, 1 on */
	int json;            /* machine-readable summary on stdout */
	const char *title;   /* heading printed before the run, may be NULL */
	const char *report_dir; /* SYNTHESIZE report directory, NULL = "." */
	int no_report;       /* --no-report */
	int resume;          /* --resume: continue a killed run's staging area */
} cli_run_opts;

/* Run a loaded engine: progress while it works, then the summary and the
 * verification line. Returns an exit code. */
int cli_run_job(const dp_job_cfg *cfg, const cli_run_opts *o);

int cmd_run(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_serve(int argc, char **argv);   /* cli/cmd_serve.c: the REST API */
int cmd_user(int argc, char **argv);    /* cli/cmd_serve.c: user add */

#endif
