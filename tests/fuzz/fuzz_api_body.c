/* tests/fuzz/fuzz_api_body.c - libFuzzer target for REST request bodies:
 * the strict body parser (UTF-8, duplicates, depth, trailing data) and then
 * what update-settings does with an accepted body (settings applied through
 * the settings table, printed back and re-read). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "settings/api/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const extra[] = { "id", "set_defaults", NULL };
	api_body_err e;
	cJSON *o = NULL;
	dp_settings s, back;
	dp_errbuf eb;
	char *text;

	if (api_body_parse((const char *)data, size, &o, &e)) {
		/* a refusal always says why */
		if (!e.reason[0])
			abort();
		return 0;
	}
	dp_errbuf_clear(&eb);
	if (dp_settings_defaults(&s))
		abort();
	if (!api_settings_apply(&s, o, extra, &eb)) {
		/* what was accepted prints and reads back to the same settings */
		text = api_settings_text(&s);
		if (!text)
			abort();
		if (api_settings_load(text, &back, &eb) || dp_settings_diff(&s, &back))
			abort();
		dp_settings_clear(&back);
		free(text);
	} else if (!eb.msg[0]) {
		abort();
	}
	dp_settings_clear(&s);
	cJSON_Delete(o);
	return 0;
}
