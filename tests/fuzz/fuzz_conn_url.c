/* tests/fuzz/fuzz_conn_url.c - libFuzzer target for connection URLs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "settings/conn_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	dp_conn_cfg cfg;
	dp_errbuf eb;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	dp_errbuf_clear(&eb);
	(void)!dp_conn_url_parse(s, &cfg, &eb);
	dp_conn_cfg_clear(&cfg);
	free(s);
	return 0;
}
