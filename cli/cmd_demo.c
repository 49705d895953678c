/* cli/cmd_demo.c - `doppel demo`: the whole product in one command on the
 * embedded default (SQLite -> SQLite), and `doppel settings --list`. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "sampledb.h"
#include "../settings/engine_file.h"
#include "../settings/settings_table.h"

/* The demo engine: the shop de-identified (PII detected by column name and
 * mocked, the customers' e-mail mocked consistently so it joins across
 * tables and runs), products copied as is, the audit log left out. */
static const char demo_engine[] =
	"{\n"
	"  \"name\": \"demo-shop\",\n"
	"  \"seed_value\": 42,\n"
	"  \"use_seed\": true,\n"
	"  \"initialization_mode\": \"DE_IDENTIFY\",\n"
	"  \"key_generation_method\": \"duplicate\",\n"
	"  \"n_parallel_pipeline_processes\": 2,\n"
	"  \"source\": {\"connector_type\": \"sqlite\", \"database\": \"shop.db\"},\n"
	"  \"target\": {\"connector_type\": \"sqlite\", \"database\": \"shop_double.db\"},\n"
	"  \"tables\": {\n"
	"    \"customers\": {\"mode\": \"DE_IDENTIFY\",\n"
	"                  \"columns\": {\"email\": {\"generator\": \"mock:email\", \"consistent\": true},\n"
	"                              \"phone\": {\"generator\": \"mock:phone\"}}},\n"
	"    \"employees\": {\"mode\": \"DE_IDENTIFY\",\n"
	"                  \"columns\": {\"birth_date\": {\"generator\": \"mock:date_of_birth\"}}},\n"
	"    \"products\":  {\"mode\": \"DUPLICATE\"},\n"
	"    \"audit_log\": {\"mode\": \"EXCLUDE\"}\n"
	"  }\n"
	"}\n";

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	ok &= fclose(f) == 0;
	return ok ? 0 : -1;
}

int cmd_demo(int argc, char **argv)
{
	const char *dir = "demo";
	char src[4096], eng[4096];
	dp_sampledb_stats st;
	dp_job_cfg *cfg = NULL;
	cli_run_opts o = { -1, 0, NULL, NULL, 1, 0 };
	dp_errbuf eb;
	int rc, code;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--no-progress")) {
			o.progress = 0;
		} else {
			fprintf(stderr, "doppel demo: error: unexpected argument \"%s\"\n"
				"usage: doppel demo [--dir DIR] [--no-progress]\n", argv[i]);
			return DP_EXIT_USAGE;
		}
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "doppel demo: error: cannot create %s: %s\n", dir, strerror(errno));
		return DP_EXIT_FAILED;
	}
	snprintf(src, sizeof(src), "%s/shop.db", dir);
	snprintf(eng, sizeof(eng), "%s/engine.json", dir);
	dp_errbuf_clear(&eb);
	printf("doppel demo: building the sample shop database %s ...\n", src);
	rc = dp_sampledb_create(src, 20261122, 1, &st, &eb);
	if (rc)
		return cli_error(rc, &eb);
	printf("  %" PRId64 " tables, %" PRId64 " rows (customers and employees with names, "
	       "e-mails, phones, addresses, birth dates)\n", st.tables, st.rows);
	if (write_file(eng, demo_engine) != 0) {
		fprintf(stderr, "doppel demo: error: cannot write %s: %s\n", eng, strerror(errno));
		return DP_EXIT_FAILED;
	}
	printf("doppel demo: engine file %s\n", eng);
	rc = dp_engine_file_load(eng, &cfg, &eb);
	if (rc) {
		fprintf(stderr, "doppel: error: %s: %s\n", eng, eb.msg);
		return cli_exit_code(rc);
	}
	printf("doppel demo: running it (source %s/shop.db -> target %s/shop_double.db)\n\n",
	       dir, dir);
	fflush(stdout);
	code = cli_run_job(cfg, &o);
	dp_job_cfg_free(cfg);
	if (code == DP_EXIT_OK)
		printf("\nnext: ./doppel plan -c %s   ./doppel inspect sqlite:///%s/shop_double.db\n",
		       eng, dir);
	return code;
}

int cmd_settings(int argc, char **argv)
{
	int list = 0, md = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list"))
			list = 1;
		else if (!strcmp(argv[i], "--markdown"))
			md = 1;
		else {
			fprintf(stderr, "doppel settings: error: unexpected argument \"%s\"\n"
				"usage: doppel settings --list [--markdown]\n", argv[i]);
			return DP_EXIT_USAGE;
		}
	}
	if (!list && !md) {
		fprintf(stderr, "usage: doppel settings --list [--markdown]\n");
		return DP_EXIT_USAGE;
	}
	dp_settings_print_list(stdout, md);
	return DP_EXIT_OK;
}
