/* cli/cmd_serve.c - `doppel serve` (the REST API) and `doppel user add`
 * (the first owner, before anyone can log in). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "cli.h"
#include "../base/dp_log.h"
#include "../settings/store.h"
#include "../settings/api/api_server.h"

static void serve_usage(FILE *f)
{
	fputs("usage: doppel serve --listen ADDR:PORT|unix:/path --store FILE [options]\n"
	      "  --threads N             worker threads (default 4)\n"
	      "  --max-connections N     concurrent connections (default 256)\n"
	      "  --max-body BYTES        request body limit, more is 413 (default 1048576)\n"
	      "  --request-timeout S     seconds a request may take to arrive (default 30)\n"
	      "  --session-ttl S         login session lifetime (default 43200)\n"
	      "  --tls-cert FILE --tls-key FILE   HTTPS from PEM files (cookies get Secure)\n"
	      "  --max-jobs N            jobs running at once, more wait QUEUED (default 2)\n"
	      "  --login-limit N         failed logins per client address per 5 minutes (10)\n"
	      "  --print-routes          print the route table and exit\n"
	      "  --print-openapi         print the OpenAPI document and exit\n"
	      "secrets: DOPPEL_MASTER_KEY_FILE or DOPPEL_MASTER_KEY (64 hex digits, or >= 32 bytes)\n"
	      "         seals database passwords in the store; without it none can be stored\n", f);
}

static int num_arg(const char *opt, const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || n < 1 || n > max) {
		fprintf(stderr, "doppel: error: %s: expected a number in 1..%lu\n", opt, max);
		return -1;
	}
	*out = n;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	dp_api_opts o;
	dp_errbuf eb;
	unsigned long n;
	int rc;

	dp_api_opts_default(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--print-routes")) {
			dp_api_print_routes(stdout);
			return DP_EXIT_OK;
		} else if (!strcmp(a, "--print-openapi")) {
			dp_api_print_openapi(stdout);
			return DP_EXIT_OK;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			serve_usage(stdout);
			return DP_EXIT_OK;
		} else if (!v) {
			fprintf(stderr, "doppel: error: %s needs a value (or is unknown)\n", a);
			serve_usage(stderr);
			return DP_EXIT_USAGE;
		} else if (!strcmp(a, "--listen")) {
			o.listen = v;
		} else if (!strcmp(a, "--store")) {
			o.store_path = v;
		} else if (!strcmp(a, "--threads")) {
			if (num_arg(a, v, 256, &n)) return DP_EXIT_USAGE;
			o.threads = (unsigned)n;
		} else if (!strcmp(a, "--max-connections")) {
			if (num_arg(a, v, 100000, &n)) return DP_EXIT_USAGE;
			o.max_connections = (unsigned)n;
		} else if (!strcmp(a, "--max-body")) {
			if (num_arg(a, v, (unsigned long)1 << 30, &n)) return DP_EXIT_USAGE;
			o.max_body = n;
		} else if (!strcmp(a, "--request-timeout")) {
			if (num_arg(a, v, 3600, &n)) return DP_EXIT_USAGE;
			o.request_timeout = (unsigned)n;
		} else if (!strcmp(a, "--tls-cert")) {
			o.tls_cert = v;
		} else if (!strcmp(a, "--tls-key")) {
			o.tls_key = v;
		} else if (!strcmp(a, "--max-jobs")) {
			if (num_arg(a, v, 64, &n)) return DP_EXIT_USAGE;
			o.max_jobs = (unsigned)n;
		} else if (!strcmp(a, "--login-limit")) {
			if (num_arg(a, v, 100000, &n)) return DP_EXIT_USAGE;
			o.login_limit = (unsigned)n;
		} else if (!strcmp(a, "--session-ttl")) {
			if (num_arg(a, v, 30 * 86400, &n)) return DP_EXIT_USAGE;
			o.session_ttl = (unsigned)n;
		} else {
			fprintf(stderr, "doppel: error: unknown option %s\n", a);
			serve_usage(stderr);
			return DP_EXIT_USAGE;
		}
		i++;
	}
	if (!o.listen || !o.store_path) {
		fprintf(stderr, "doppel: error: serve needs --listen and --store\n");
		serve_usage(stderr);
		return DP_EXIT_USAGE;
	}
	/* the access log is info: a server says what it answers */
	if (dp_log_get_level() == DP_LOG_WARN)
		dp_log_set_level(DP_LOG_INFO);
	dp_errbuf_clear(&eb);
	rc = dp_api_serve(&o, &eb);
	return rc ? cli_error(rc, &eb) : DP_EXIT_OK;
}

/* The password: DOPPEL_PASSWORD, else the first line of stdin. */
static char *read_password(void)
{
	const char *e = getenv("DOPPEL_PASSWORD");
	char buf[1024];
	size_t n;

	if (e)
		return dp_strdup(e);
	if (!fgets(buf, sizeof(buf), stdin))
		return NULL;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	{
		char *p = dp_strdup(buf);
		OPENSSL_cleanse(buf, sizeof(buf));
		return p;
	}
}

int cmd_user(int argc, char **argv)
{
	const char *name = NULL, *store = NULL, *role = "viewer";
	dp_store *st = NULL;
	dp_errbuf eb;
	char *pw;
	int rc;

	if (argc < 2 || strcmp(argv[1], "add")) {
		fprintf(stderr, "usage: doppel user add NAME --role owner|editor|viewer --store FILE\n"
			"       (password from DOPPEL_PASSWORD, else the first line of stdin)\n");
		return DP_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--role") && i + 1 < argc)
			role = argv[++i];
		else if (!strcmp(argv[i], "--store") && i + 1 < argc)
			store = argv[++i];
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else {
			fprintf(stderr, "doppel: error: user add: unexpected %s\n", argv[i]);
			return DP_EXIT_USAGE;
		}
	}
	if (!name || !store) {
		fprintf(stderr, "doppel: error: user add needs NAME and --store FILE\n");
		return DP_EXIT_USAGE;
	}
	if (dp_role_parse(role) == DP_UROLE_NONE) {
		fprintf(stderr, "doppel: error: --role %s: expected owner, editor or viewer\n", role);
		return DP_EXIT_USAGE;
	}
	if (!(pw = read_password())) {
		fprintf(stderr, "doppel: error: no password (set DOPPEL_PASSWORD or give it on stdin)\n");
		return DP_EXIT_USAGE;
	}
	dp_errbuf_clear(&eb);
	rc = dp_store_open(store, NULL, &st, &eb);
	if (!rc)
		rc = dp_store_user_add(st, name, dp_role_parse(role), pw, &eb);
	dp_store_close(st);
	dp_secret_free(pw);
	if (rc)
		return cli_error(rc, &eb);
	printf("user %s added (%s)\n", name, role);
	return DP_EXIT_OK;
}
