/* tests/fuzz/fuzz_engine_file.c - libFuzzer target for the engine-file
 * parser: any bytes must give a config or an error, never a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include "settings/engine_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dp_job_cfg *cfg = NULL;
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	if (dp_engine_parse((const char *)data, size, "/nonexistent", &cfg, &eb) == 0)
		dp_job_cfg_free(cfg);
	return 0;
}
