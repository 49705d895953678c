/* tests/fuzz/fuzz_sqlfrag.c - libFuzzer target for the subset-clause lexer:
 * every dialect, and an accepted clause must stay accepted inside doppel's
 * parentheses (balanced, no ';' outside literals). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/sqlfrag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const engines[] = { "sqlite", "postgresql", "mysql" };
	char *s = malloc(size + 1);
	dp_errbuf eb;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t e = 0; e < 3; e++) {
		dp_errbuf_clear(&eb);
		(void)dp_sql_fragment_check(s, engines[e], "tables.t.subset.where", &eb);
	}
	free(s);
	return 0;
}
