/* settings/settings_table.h - the one table of engine settings.
 *
 * Every setting of the engine-settings API (31) has one row here: name, JSON
 * type, default, allowed range or choices, a one-line meaning, and where it
 * lives in dp_settings. The table drives defaults, engine-file and API
 * parsing, validation, `doppel settings --list` and the README's list.
 */
#ifndef DP_SETTINGS_TABLE_H
#define DP_SETTINGS_TABLE_H

#include <stdio.h>
#include <cJSON.h>
#include "../base/dp_err.h"
#include "../engine/config.h"

typedef enum dp_stype {
	DP_ST_BOOL, DP_ST_INT, DP_ST_INT64, DP_ST_NUM, DP_ST_STR, DP_ST_ENUM,
	DP_ST_STRLIST, DP_ST_OBJECT
} dp_stype;

typedef struct dp_setting_def {
	const char *name;          /* JSON field name, as in the API */
	dp_stype type;
	const char *json_type;     /* "integer", "boolean", ... for docs and errors */
	const char *def;           /* default, as JSON text */
	const char *range;         /* "1..64", "one of ...", "" */
	const char *doc;           /* one line */
	int per_table;             /* default_*: may be overridden per table */
	double min, max;           /* DP_ST_INT/INT64/NUM */
	const char *const *choices;/* DP_ST_ENUM (index = enum value) and locale */
} dp_setting_def;

/* All definitions, in the API's order. */
const dp_setting_def *dp_settings_defs(size_t *n);
const dp_setting_def *dp_settings_find(const char *name);

/* Fill s with every default (s is overwritten; free with dp_settings_clear). */
int dp_settings_defaults(dp_settings *s) DP_MUSTCHECK;

/* Set one setting from JSON, validating type and range. `path` names the
 * field in messages ("tables.orders.default_locale"). JSON null keeps the
 * current value. DP_ERR_CONFIG on any error. */
int dp_settings_set_json(dp_settings *s, const dp_setting_def *d, const cJSON *v,
			 const char *path, dp_errbuf *eb) DP_MUSTCHECK;

/* An integer JSON number in min..max into *out. Refused, naming `path`:
 * non-numbers, fractions, negative zero, infinities, and magnitudes beyond
 * 2^53 - 1 (a JSON number is a double: past that it is no longer exact).
 * All checks happen before the cast. DP_ERR_CONFIG on any error. */
int dp_json_get_int(const cJSON *v, int64_t min, int64_t max, const char *path, int64_t *out,
		    dp_errbuf *eb) DP_MUSTCHECK;

/* JSON type of v as the messages name it ("boolean", "array", ...). */
const char *dp_json_type_name(const cJSON *v);

/* Print the list: aligned text, or a Markdown table (markdown=1). */
void dp_settings_print_list(FILE *f, int markdown);

#endif
