/* settings/settings_table.h - the one table of engine settings.
 *
 * Every setting of the engine-settings API (31) has one row here: its JSON
 * name, where it lives in dp_settings (offset and C type, taken from the
 * field itself), its default as JSON text, its range or choices, a one-line
 * meaning, and whether a table (or a column) may override it. The rows
 * drive everything else: the defaults (each row's text is parsed once, at
 * first use), engine-file and API parsing and validation, settings -> JSON,
 * reset to default, `doppel settings --list` and the README's table.
 *
 * Adding a setting = one row in settings_table.c + its field in dp_settings
 * (engine/config.h); a field that owns memory (a string or a list) is also
 * listed in engine/config.c's owned[] (checked at startup: the defaults
 * fail with DP_ERR_INTERNAL, and the unit tests, if it is missing).
 */
#ifndef DP_SETTINGS_TABLE_H
#define DP_SETTINGS_TABLE_H

#include <stdio.h>
#include <cJSON.h>
#include "../base/dp_err.h"
#include "../engine/config/config.h"

/* The JSON shape of a setting: how it is parsed, validated, shown, emitted. */
typedef enum dp_skind {
	DP_SK_BOOL,           /* true/false -> int 0/1 */
	DP_SK_INT,            /* exact integer in min..max -> int, int64_t or size_t */
	DP_SK_SEED,           /* exact integer, or any int64 as a string of digits */
	DP_SK_NUM,            /* finite number in min..max -> double */
	DP_SK_STR,            /* any string -> char * */
	DP_SK_CHOICE,         /* one of choices -> the enum value, or a copy (char *) */
	DP_SK_STRLIST,        /* array of distinct strings (each one of choices when
	                         given, else column names) -> char ** + size_t count */
	DP_SK_CHOICE_OR_LIST, /* one of choices (enum), or an array of column names:
	                         the list, and the enum set to list_value */
	DP_SK_OBJECT          /* object of the sub-settings in fields[] */
} dp_skind;

/* The C type of the field at off (derived from the field by _Generic). */
typedef enum dp_ctype {
	DP_C_NONE, DP_C_INT, DP_C_INT64, DP_C_SIZE, DP_C_DOUBLE, DP_C_STR, DP_C_STRV,
	DP_C_ENUM             /* an enum, int-sized (checked at startup) */
} dp_ctype;

typedef struct dp_setting_def {
	const char *name;     /* JSON field name, as in the API */
	dp_skind kind;
	dp_ctype ctype;       /* of the field at off */
	size_t off;           /* offsetof(dp_settings, field) */
	size_t size;          /* sizeof the field (checked against ctype) */
	size_t list_off;      /* STRLIST (= off), CHOICE_OR_LIST: the char ** list */
	size_t count_off;     /* STRLIST, CHOICE_OR_LIST: its size_t count */
	int list_value;       /* CHOICE_OR_LIST: the enum value meaning "the list" */
	const char *def;      /* default, as JSON text: the only copy of it */
	double min, max;      /* INT, NUM */
	const dp_enum_table *choices; /* CHOICE, CHOICE_OR_LIST, STRLIST (optional) */
	const char *doc;      /* one line */
	int per_table;        /* default_*: may be overridden inside a table */
	int per_column;       /* may also be overridden inside a column */
	const struct dp_setting_def *fields; /* OBJECT: the members */
	size_t nfields;
} dp_setting_def;

/* All top-level definitions, in the API's order. */
const dp_setting_def *dp_settings_defs(size_t *n);
/* The top-level setting called name, or NULL. */
const dp_setting_def *dp_settings_find(const char *name);

/* Fill s with every default (s is overwritten; free with dp_settings_clear).
 * DP_ERR_NOMEM, or DP_ERR_INTERNAL when the table itself is broken (a
 * default that does not parse, a string field missing from the engine's
 * owned list; said once on stderr). */
int dp_settings_defaults(dp_settings *s) DP_MUSTCHECK;

/* Set one setting from JSON, validating type and range. `path` names the
 * field in messages ("tables.orders.default_locale"). JSON null keeps the
 * current value. DP_ERR_CONFIG on any error. */
int dp_settings_set_json(dp_settings *s, const dp_setting_def *d, const cJSON *v,
			 const char *path, dp_errbuf *eb) DP_MUSTCHECK;

/* Reset the named settings of s to their defaults (the API's set_defaults).
 * names == NULL: every setting. Every name is checked before anything
 * changes: an unknown one is DP_ERR_CONFIG naming it, s untouched.
 * DP_ERR_NOMEM (s then holds some settings reset, all of it still valid). */
int dp_settings_set_defaults(dp_settings *s, const char *const *names, size_t n,
			     dp_errbuf *eb) DP_MUSTCHECK;

/* Every setting of s as one JSON object with the API's names and types
 * (GET /engine/{id}/settings/), in the table's order: printing it and
 * parsing the text back gives s again. A seed_value beyond +-2^53 (not
 * exact as a JSON number) is a string of digits, as the parser takes it. A
 * number cJSON's printer would round (it keeps 15 digits when they are
 * within an epsilon) is a raw node with its exact text: print the result
 * with cJSON_Print*, do not read valuedouble off it. Caller frees with
 * cJSON_Delete; NULL when out of memory. */
cJSON *dp_settings_to_json(const dp_settings *s);

/* The first setting whose value differs between a and b, or NULL when they
 * are equal (lists compared element by element, strings by content). */
const dp_setting_def *dp_settings_diff(const dp_settings *a, const dp_settings *b);

/* An integer JSON number in min..max into *out. Refused, naming `path`:
 * non-numbers, fractions, negative zero, infinities, and magnitudes beyond
 * 2^53 - 1 (a JSON number is a double: past that it is no longer exact).
 * All checks happen before the cast. DP_ERR_CONFIG on any error. */
int dp_json_get_int(const cJSON *v, int64_t min, int64_t max, const char *path, int64_t *out,
		    dp_errbuf *eb) DP_MUSTCHECK;

/* JSON type of v as the messages name it ("boolean", "array", ...). */
const char *dp_json_type_name(const cJSON *v);

/* Print the list: aligned text, or a Markdown table (markdown=1) with the
 * paragraph that introduces it in the README. */
void dp_settings_print_list(FILE *f, int markdown);

#endif
