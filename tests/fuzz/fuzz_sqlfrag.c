/* tests/fuzz/fuzz_sqlfrag.c - libFuzzer target for the subset-clause check:
 * every dialect; a refusal names the JSON path first; an accepted clause
 * stays accepted inside doppel's parentheses (its tokens, parentheses and
 * comments are complete) and a ')' after it is always refused (it cannot
 * leave anything open that would swallow the close). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/sqlfrag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "tables.t.subset.where"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const engines[] = { "sqlite", "postgresql", "mysql" };
	char *s = malloc(size + 1), *w = malloc(size + 8);
	dp_errbuf eb;

	if (!s || !w)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t e = 0; e < 3; e++) {
		int rc;
		dp_errbuf_clear(&eb);
		rc = dp_sql_fragment_check(s, engines[e], PATH, &eb);
		if (rc) {
			if (strncmp(eb.msg, PATH ": ", strlen(PATH) + 2))
				abort();
			continue;
		}
		snprintf(w, size + 8, "(\n%s\n)", s);
		dp_errbuf_clear(&eb);
		if (dp_sql_fragment_check(w, engines[e], PATH, &eb) && !strstr(eb.msg, "nested deeper"))
			abort();
		snprintf(w, size + 8, "%s\n)", s);
		dp_errbuf_clear(&eb);
		if (dp_sql_fragment_check(w, engines[e], PATH, &eb) != DP_ERR_CONFIG)
			abort();
	}
out:
	free(s);
	free(w);
	return 0;
}
