/* cli/main.c - `doppel <command>`: dispatch, global options, exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "../base/dp_log.h"

#define DOPPEL_VERSION "0.1.0"

static void usage(FILE *f)
{
	fputs("usage: doppel [-v|-q] [--log-file FILE] <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  demo [--dir DIR]              build a sample shop database, run the engine on it,\n"
	      "                                print the summary and the verification\n"
	      "  run -c ENGINE.json [--json]   run an engine file: load and verify the target\n"
	      "      [--resume]                continue what a killed run of the same plan left\n"
	      "  plan -c ENGINE.json           print what a run would do; touches no target\n"
	      "      [--json]                  the plan as JSON (the unit of work a worker takes)\n"
	      "      [--json-in PLAN.json]     read a JSON plan back, check it against the source's\n"
	      "                                schema and the engine file, print it again\n"
	      "  report -c ENGINE.json [--report-dir DIR] [--json]\n"
	      "                                score the synthesized tables of the target again\n"
	      "                                (report.json, report.html); reads the target only\n"
	      "  inspect URL [--json]          print a database's schema and row counts\n"
	      "                                (URL: sqlite:///path/to/file.db or a file path)\n"
	      "  settings --list [--markdown]  every engine setting: type, default, range, meaning\n"
	      "  serve --listen ADDR:PORT --store FILE\n"
	      "                                the REST API (also --listen unix:/path; --help)\n"
	      "  user add NAME --role ROLE --store FILE\n"
	      "                                add an API user (owner, editor, viewer); password\n"
	      "                                from DOPPEL_PASSWORD or stdin\n"
	      "  version                       print the version\n"
	      "\n"
	      "options:\n"
	      "  -v, --verbose                 log progress details to stderr (twice: debug)\n"
	      "  -q, --quiet                   only errors\n"
	      "  --log-file FILE               append the log to FILE as well\n"
	      "\n"
	      "exit codes: 0 ok, 1 job failed, 2 usage or invalid engine file, 3 cannot connect,\n"
	      "            4 verification failed, 5 refused by a safety rule, 130 cancelled\n", f);
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case DP_OK: return DP_EXIT_OK;
	case DP_ERR_CONFIG: case DP_ERR_UNSUPPORTED: case DP_ERR_CYCLE:
		return DP_EXIT_USAGE;
	case DP_ERR_CONNECT: case DP_ERR_AUTH:
		return DP_EXIT_CONNECT;
	case DP_ERR_INTEGRITY:
		return DP_EXIT_VERIFY;
	case DP_ERR_REFUSED:
		return DP_EXIT_REFUSED;
	case DP_ERR_CANCELLED:
		return DP_EXIT_CANCELLED;
	default:
		return DP_EXIT_FAILED;
	}
}

int cli_error(int rc, const dp_errbuf *eb)
{
	fprintf(stderr, "doppel: error: %s\n", eb->msg[0] ? eb->msg : dp_strerror(rc));
	return cli_exit_code(rc);
}

int main(int argc, char **argv)
{
	int i = 1, verbose = 0, quiet = 0;
	const char *cmd;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose++;
		} else if (!strcmp(argv[i], "-vv")) {
			verbose += 2;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--log-file") && i + 1 < argc) {
			if (dp_log_set_file(argv[++i]) != 0) {
				fprintf(stderr, "doppel: error: --log-file %s: cannot open it\n", argv[i]);
				return DP_EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("doppel %s\n", DOPPEL_VERSION);
			return 0;
		} else {
			fprintf(stderr, "doppel: error: unknown option %s\n", argv[i]);
			usage(stderr);
			return DP_EXIT_USAGE;
		}
	}
	dp_log_set_level(quiet ? DP_LOG_ERROR : verbose >= 2 ? DP_LOG_DEBUG
			 : verbose ? DP_LOG_INFO : DP_LOG_WARN);
	if (i >= argc) {
		usage(stderr);
		return DP_EXIT_USAGE;
	}
	cmd = argv[i];
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "plan"))
		return cmd_plan(argc, argv);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc, argv);
	if (!strcmp(cmd, "inspect"))
		return cmd_inspect(argc, argv);
	if (!strcmp(cmd, "demo"))
		return cmd_demo(argc, argv);
	if (!strcmp(cmd, "settings"))
		return cmd_settings(argc, argv);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc, argv);
	if (!strcmp(cmd, "user"))
		return cmd_user(argc, argv);
	if (!strcmp(cmd, "version")) {
		printf("doppel %s\n", DOPPEL_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "doppel: error: unknown command \"%s\"\n", cmd);
	usage(stderr);
	return DP_EXIT_USAGE;
}
