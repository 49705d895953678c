/* settings/settings_table.c - the 31 engine settings: one row each, and the
 * generic code that every use of a setting goes through. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "settings_table.h"
#include "../base/dp_buf.h"

/* Where a field of dp_settings sits and what C type it has: the type comes
 * from the field itself, so a row cannot disagree with the struct. */
#define CTYPE(f) _Generic(((dp_settings *)0)->f, \
	int: DP_C_INT, int64_t: DP_C_INT64, size_t: DP_C_SIZE, double: DP_C_DOUBLE, \
	char *: DP_C_STR, char **: DP_C_STRV, default: DP_C_ENUM)
#define FIELD(f) .ctype = CTYPE(f), .off = offsetof(dp_settings, f), \
	.size = sizeof(((dp_settings *)0)->f)
/* an array of strings and its size_t count */
#define LIST(f, n) .list_off = offsetof(dp_settings, f), .count_off = offsetof(dp_settings, n)
#define RANGE(lo, hi) .min = (lo), .max = (hi)
#define SUB(a) .fields = (a), .nfields = sizeof(a) / sizeof((a)[0])
/* "any integer": bounds far past any use, inside +-2^53 where a JSON
 * number is exact */
#define ANY_INT 1e15

static const dp_setting_def pii_fields[] = {
	{ .name = "use_name_rules", .kind = DP_SK_BOOL, FIELD(pii.use_name_rules) },
	{ .name = "use_value_patterns", .kind = DP_SK_BOOL, FIELD(pii.use_value_patterns) },
	{ .name = "use_dictionaries", .kind = DP_SK_BOOL, FIELD(pii.use_dictionaries) },
	{ .name = "threshold", .kind = DP_SK_NUM, FIELD(pii.threshold), RANGE(0, 1) },
	{ .name = "sample_rows", .kind = DP_SK_INT, FIELD(pii.sample_rows), RANGE(1, 1e6) },
	{ .name = "languages", .kind = DP_SK_STRLIST, FIELD(pii.languages),
	  LIST(pii.languages, pii.nlanguages), .choices = &dp_locale_names },
};

static const dp_setting_def text_fields[] = {
	{ .name = "word_level", .kind = DP_SK_BOOL, FIELD(text.word_level) },
	{ .name = "ngram_order", .kind = DP_SK_INT, FIELD(text.ngram_order), RANGE(1, 10) },
	{ .name = "vocabulary_limit", .kind = DP_SK_INT, FIELD(text.vocabulary_limit),
	  RANGE(10, 1e6) },
};

static const dp_setting_def defs[] = {
	{ .name = "seed_value", .kind = DP_SK_SEED, FIELD(seed_value), .def = "0",
	  .doc = "seed of every random choice and consistent mapping (used when use_seed is true)" },
	{ .name = "use_seed", .kind = DP_SK_BOOL, FIELD(use_seed), .def = "false",
	  .doc = "true: the target is a pure function of source + engine + seed_value; false: a fresh seed per run (printed)" },
	{ .name = "pii_model_settings", .kind = DP_SK_OBJECT, SUB(pii_fields),
	  .def = "{\"use_name_rules\": true, \"use_value_patterns\": true, \"use_dictionaries\": true, "
		 "\"threshold\": 0.5, \"sample_rows\": 1000, \"languages\": [\"en\",\"nl\",\"de\",\"fr\",\"es\"]}",
	  .doc = "PII detector: which detectors run, minimum confidence, column-name languages" },
	{ .name = "initialization_mode", .kind = DP_SK_CHOICE, FIELD(initialization_mode),
	  .choices = &dp_init_mode_names, .def = "\"DE_IDENTIFY\"",
	  .doc = "preset for tables and columns the engine file does not configure" },
	{ .name = "key_generation_method", .kind = DP_SK_CHOICE, FIELD(key_generation_method),
	  .choices = &dp_keygen_names, .def = "\"duplicate\"",
	  .doc = "primary keys: kept, regenerated densely, or mapped by a keyed bijection; FKs follow" },
	{ .name = "n_parallel_pipeline_processes", .kind = DP_SK_INT,
	  FIELD(n_parallel_pipeline_processes), RANGE(1, 64), .def = "2",
	  .doc = "table pipelines running at once (worker threads, each reading its own table)" },
	{ .name = "default_n_training_rows", .kind = DP_SK_INT, FIELD(n_training_rows),
	  RANGE(1, 1e9), .def = "100000", .per_table = 1,
	  .doc = "max source rows read to train one table's model (SYNTHESIZE)" },
	{ .name = "default_read_random_subset", .kind = DP_SK_BOOL, FIELD(read_random_subset),
	  .def = "false", .per_table = 1,
	  .doc = "training rows are a uniform random sample (else the first N in key order)" },
	{ .name = "default_sample_noise_ratio", .kind = DP_SK_NUM, FIELD(sample_noise_ratio),
	  RANGE(0, 1), .def = "0", .per_table = 1,
	  .doc = "fraction of training rows perturbed before training" },
	{ .name = "default_max_n_feat_per_model", .kind = DP_SK_INT, FIELD(max_n_feat_per_model),
	  RANGE(1, 1000), .def = "20", .per_table = 1,
	  .doc = "max predictor columns per column model" },
	{ .name = "default_feat_model_train_order", .kind = DP_SK_CHOICE_OR_LIST,
	  FIELD(feat_model_train_order), LIST(train_order_cols, n_train_order_cols),
	  .list_value = DP_ORDER_EXPLICIT, .choices = &dp_train_order_names,
	  .def = "\"schema\"", .per_table = 1,
	  .doc = "order in which columns are modelled" },
	{ .name = "default_max_sequence_length", .kind = DP_SK_INT, FIELD(max_sequence_length),
	  RANGE(1, 100000), .def = "100", .per_table = 1,
	  .doc = "max child rows per parent modelled and generated" },
	{ .name = "default_end_of_sequence_token", .kind = DP_SK_INT, FIELD(end_of_sequence_token),
	  RANGE(-ANY_INT, ANY_INT), .def = "-1", .per_table = 1,
	  .doc = "token that ends a generated sequence in the sequence model" },
	{ .name = "default_cardinality_threshold", .kind = DP_SK_INT, FIELD(cardinality_threshold),
	  RANGE(0, 1e6), .def = "5", .per_table = 1,
	  .doc = "categories seen in fewer training rows are replaced (rare-category protection)" },
	{ .name = "default_rare_category_replacement", .kind = DP_SK_STR,
	  FIELD(rare_category_replacement), .def = "\"*\"", .per_table = 1,
	  .doc = "value replacing rare categories" },
	{ .name = "default_clip_threshold", .kind = DP_SK_INT, FIELD(clip_threshold),
	  RANGE(0, 1e6), .def = "5", .per_table = 1,
	  .doc = "numeric/date values clipped to the k-th smallest/largest seen (extreme-value protection)" },
	{ .name = "default_locale", .kind = DP_SK_CHOICE, FIELD(locale), .choices = &dp_locale_names,
	  .def = "\"en\"", .per_table = 1, .per_column = 1,
	  .doc = "locale of mock values" },
	{ .name = "default_pii_mock_replace", .kind = DP_SK_BOOL, FIELD(pii_mock_replace),
	  .def = "true", .per_table = 1,
	  .doc = "free-text PII replaced by mock values (true) or by a tag such as <PERSON> (false)" },
	{ .name = "default_noise_factor", .kind = DP_SK_NUM, FIELD(noise_factor), RANGE(0, 10),
	  .def = "0.1", .per_table = 1,
	  .doc = "noise added to generated numbers/dates, relative to the column's spread" },
	{ .name = "default_text_processor_model_settings", .kind = DP_SK_OBJECT, SUB(text_fields),
	  .def = "{\"word_level\": true, \"ngram_order\": 3, \"vocabulary_limit\": 10000}",
	  .per_table = 1,
	  .doc = "free-text model: word or character n-grams, n, vocabulary size" },
	{ .name = "default_textpii_parallel_jobs", .kind = DP_SK_INT, FIELD(textpii_parallel_jobs),
	  RANGE(1, 64), .def = "2", .per_table = 1,
	  .doc = "threads scanning free text for PII" },
	{ .name = "default_textpii_scan_batch_size", .kind = DP_SK_INT,
	  FIELD(textpii_scan_batch_size), RANGE(1, 1e6), .def = "1000", .per_table = 1,
	  .doc = "rows per free-text scan batch" },
	{ .name = "default_cutoff_length", .kind = DP_SK_INT, FIELD(cutoff_length), RANGE(1, 1e6),
	  .def = "1000", .per_table = 1,
	  .doc = "max characters of a text value modelled and generated" },
	{ .name = "default_long_sequence_threshold", .kind = DP_SK_INT,
	  FIELD(long_sequence_threshold), RANGE(1, 1e6), .def = "100", .per_table = 1,
	  .doc = "longer sequences are capped to this before training (privacy)" },
	{ .name = "default_min_sample_size", .kind = DP_SK_INT, FIELD(min_sample_size),
	  RANGE(1, 1e9), .def = "100", .per_table = 1,
	  .doc = "tables with fewer rows are not modelled: mock generation instead (logged)" },
	{ .name = "default_fast_executemany", .kind = DP_SK_BOOL, FIELD(fast_executemany),
	  .def = "true", .per_table = 1,
	  .doc = "bulk writes (multi-row statements); false: one statement per row" },
	{ .name = "default_drop_indexes", .kind = DP_SK_BOOL, FIELD(drop_indexes), .def = "true",
	  .per_table = 1,
	  .doc = "indexes created after the load and FK checks deferred to the end; false: indexes and FK checks during the load" },
	{ .name = "default_consistent_integer_shuffle_threshold", .kind = DP_SK_INT,
	  FIELD(consistent_integer_shuffle_threshold), RANGE(0, 1e12), .def = "1000000",
	  .per_table = 1,
	  .doc = "integer keys whose range is at most this use a seeded bijective shuffle" },
	{ .name = "default_order_by_nr_columns", .kind = DP_SK_STRLIST, FIELD(order_by_cols),
	  LIST(order_by_cols, n_order_by_cols), .def = "[]", .per_table = 1,
	  .doc = "columns source reads are ordered by (then the key); empty: primary key" },
	{ .name = "default_ray_memory_optimization", .kind = DP_SK_BOOL,
	  FIELD(ray_memory_optimization), .def = "false", .per_table = 1,
	  .doc = "memory-lean mode: batches of 256 rows instead of 2048" },
	{ .name = "default_max_pending_tasks", .kind = DP_SK_INT, FIELD(max_pending_tasks),
	  RANGE(1, 1024), .def = "4", .per_table = 1,
	  .doc = "batches in flight per table between read and write (backpressure, bounds memory)" },
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

const dp_setting_def *dp_settings_defs(size_t *n)
{
	*n = NDEFS;
	return defs;
}

const dp_setting_def *dp_settings_find(const char *name)
{
	for (size_t i = 0; name && i < NDEFS; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

/* ---- JSON readers: every check names its path ---- */

const char *dp_json_type_name(const cJSON *v)
{
	if (cJSON_IsBool(v)) return "boolean";
	if (cJSON_IsNumber(v)) return "number";
	if (cJSON_IsString(v)) return "string";
	if (cJSON_IsArray(v)) return "array";
	if (cJSON_IsObject(v)) return "object";
	return "null";
}

/* A JSON number is a double: only integers of at most 53 bits survive the
 * trip exactly, so larger ones are refused rather than rounded. Every check
 * happens on the double, before the one cast (a cast of an out-of-range
 * double is undefined behaviour). */
#define EXACT_INT_MAX 9007199254740991.0   /* 2^53 - 1 */

int dp_json_get_int(const cJSON *v, int64_t min, int64_t max, const char *path, int64_t *out,
		    dp_errbuf *eb)
{
	double d;

	if (!cJSON_IsNumber(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got %s", path, min, max, dp_json_type_name(v));
	d = v->valuedouble;
	if (!isfinite(d))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got a number out of range", path, min, max);
	if (d != floor(d))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got a fraction", path, min, max);
	if (d == 0 && signbit(d))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got negative zero", path, min, max);
	if (fabs(d) > EXACT_INT_MAX)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got %.17g, beyond +-2^53 where a JSON number is not exact", path, min,
			       max, d);
	if (d < (double)min || d > (double)max)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer in %" PRId64 "..%" PRId64
			       ", got %.0f", path, min, max, d);
	*out = (int64_t)d;
	return DP_OK;
}

static int get_int(const cJSON *v, double min, double max, const char *path, int64_t *out,
		   dp_errbuf *eb)
{
	/* the table's bounds are exact integers well inside +-2^53 */
	return dp_json_get_int(v, (int64_t)min, (int64_t)max, path, out, eb);
}

/* seed_value: any int64. A number must be exact (|n| < 2^53); beyond that
 * the seed a run prints is pasted back as a string of decimal digits. */
static int get_seed(const cJSON *v, const char *path, int64_t *out, dp_errbuf *eb)
{
	const char *s;
	char *end;
	long long n;

	if (cJSON_IsNumber(v)) {
		if (isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
		    fabs(v->valuedouble) > EXACT_INT_MAX)
			return dp_fail(eb, DP_ERR_CONFIG, "%s: beyond +-2^53 a JSON number is not exact "
				       "(this one reads as %.17g); write the seed as a string of digits, "
				       "e.g. \"seed_value\": \"9223372036854775807\"", path,
				       v->valuedouble);
		return dp_json_get_int(v, -(int64_t)EXACT_INT_MAX, (int64_t)EXACT_INT_MAX, path, out, eb);
	}
	if (!cJSON_IsString(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an integer or a string of decimal "
			       "digits, got %s", path, dp_json_type_name(v));
	s = v->valuestring;
	/* strtoll alone would take spaces, '+' and trailing junk */
	for (size_t i = s[0] == '-'; ; i++) {
		if (s[i] < '0' || s[i] > '9')
			return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a string of decimal digits "
				       "(optional leading minus)", path);
		if (!s[i + 1])
			break;
	}
	if (s[0] == '-' && strspn(s + 1, "0") == strlen(s + 1))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: negative zero", path);
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno == ERANGE || *end)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a 64-bit integer (%" PRId64 "..%" PRId64
			       ")", path, INT64_MIN, INT64_MAX);
	*out = (int64_t)n;
	return DP_OK;
}

static int get_num(const cJSON *v, double min, double max, const char *path, double *out,
		   dp_errbuf *eb)
{
	if (!cJSON_IsNumber(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in %g..%g, got %s", path, min,
			       max, dp_json_type_name(v));
	/* NaN compares false with everything: test it first */
	if (!isfinite(v->valuedouble))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in %g..%g, got a number out "
			       "of range", path, min, max);
	if (v->valuedouble < min || v->valuedouble > max)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a number in %g..%g, got %g", path, min,
			       max, v->valuedouble);
	*out = v->valuedouble;
	return DP_OK;
}

static int get_bool(const cJSON *v, const char *path, int *out, dp_errbuf *eb)
{
	if (!cJSON_IsBool(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected true or false, got %s", path, dp_json_type_name(v));
	*out = cJSON_IsTrue(v);
	return DP_OK;
}

static int get_choice(const cJSON *v, const dp_enum_table *choices, const char *path, int *out,
		      dp_errbuf *eb)
{
	dp_buf b = DP_BUF_INIT;
	int rc;

	if (cJSON_IsString(v) && !dp_enum_value(choices, v->valuestring, out))
		return DP_OK;
	if (dp_enum_list(choices, ", ", "", &b))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	else if (cJSON_IsString(v))
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of %s, got \"%.60s\"", path,
			     dp_buf_str(&b), v->valuestring);
	else
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: expected one of %s, got %s", path, dp_buf_str(&b),
			     dp_json_type_name(v));
	dp_buf_free(&b);
	return rc;
}

static int get_strlist(const cJSON *v, const char *path, char ***out, size_t *n, dp_errbuf *eb)
{
	size_t cnt, i = 0;
	char **r;
	const cJSON *e;

	if (!cJSON_IsArray(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an array of strings, got %s", path,
			       dp_json_type_name(v));
	cnt = (size_t)cJSON_GetArraySize(v);
	r = calloc(cnt ? cnt : 1, sizeof(*r));
	if (!r)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e)) {
			for (size_t k = 0; k < i; k++)
				free(r[k]);
			free(r);
			return dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: expected a string, got %s", path, i,
				       dp_json_type_name(e));
		}
		/* a name given twice is read once: the second would mean nothing */
		for (size_t k = 0; k < i; k++)
			if (r[k] && !strcmp(r[k], e->valuestring)) {
				for (size_t q = 0; q < i; q++)
					free(r[q]);
				free(r);
				return dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: \"%.60s\" is already listed "
					       "at [%zu]", path, i, e->valuestring, k);
			}
		if (!(r[i++] = dp_strdup(e->valuestring))) {
			for (size_t q = 0; q < i; q++)
				free(r[q]);
			free(r);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	for (size_t k = 0; k < *n; k++)
		free((*out)[k]);
	free(*out);
	*out = r;
	*n = cnt;
	return DP_OK;
}

static int set_str(char **dst, const cJSON *v, const char *path, dp_errbuf *eb)
{
	char *s;
	if (!cJSON_IsString(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected a string, got %s", path, dp_json_type_name(v));
	s = dp_strdup(v->valuestring);
	if (!s)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	free(*dst);
	*dst = s;
	return DP_OK;
}


/* ---- the generic field access every operation goes through ---- */

#define AT(s, off, type) ((type *)(void *)((char *)(s) + (off)))
#define CAT(s, off, type) ((type const *)(const void *)((const char *)(s) + (off)))

static int64_t load_int(const dp_settings *s, const dp_setting_def *d)
{
	switch (d->ctype) {
	case DP_C_INT64: return *CAT(s, d->off, int64_t);
	case DP_C_SIZE: return (int64_t)*CAT(s, d->off, size_t);
	default: return *CAT(s, d->off, int);     /* DP_C_INT, DP_C_ENUM (int-sized) */
	}
}

static void store_int(dp_settings *s, const dp_setting_def *d, int64_t v)
{
	/* v is inside the row's range, which fits its C type (checked at startup) */
	switch (d->ctype) {
	case DP_C_INT64: *AT(s, d->off, int64_t) = v; break;
	case DP_C_SIZE: *AT(s, d->off, size_t) = (size_t)v; break;
	default: *AT(s, d->off, int) = (int)v; break;
	}
}

static int find_field(const dp_setting_def *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(fields[i].name, name))
			return (int)i;
	return -1;
}

/* one value (not null) into s, checked against the row */
static int set_value(dp_settings *s, const dp_setting_def *d, const cJSON *v, const char *path,
		     dp_errbuf *eb)
{
	int64_t iv = 0;
	int bv = 0, rc;

	switch (d->kind) {
	case DP_SK_BOOL:
		rc = get_bool(v, path, &bv, eb);
		if (!rc)
			store_int(s, d, bv);
		return rc;
	case DP_SK_INT:
		rc = get_int(v, d->min, d->max, path, &iv, eb);
		if (!rc)
			store_int(s, d, iv);
		return rc;
	case DP_SK_SEED:
		rc = get_seed(v, path, &iv, eb);
		if (!rc)
			store_int(s, d, iv);
		return rc;
	case DP_SK_NUM:
		return get_num(v, d->min, d->max, path, AT(s, d->off, double), eb);
	case DP_SK_STR:
		return set_str(AT(s, d->off, char *), v, path, eb);
	case DP_SK_CHOICE:
		rc = get_choice(v, d->choices, path, &bv, eb);
		if (rc)
			return rc;
		if (d->ctype == DP_C_STR)
			return set_str(AT(s, d->off, char *), v, path, eb);
		store_int(s, d, bv);
		return DP_OK;
	case DP_SK_STRLIST: {
		char ***l = AT(s, d->list_off, char **);
		size_t *n = AT(s, d->count_off, size_t);
		rc = get_strlist(v, path, l, n, eb);
		for (size_t i = 0; !rc && d->choices && i < *n; i++) {
			int k;
			dp_buf b = DP_BUF_INIT;
			if (!dp_enum_value(d->choices, (*l)[i], &k))
				continue;
			rc = dp_enum_list(d->choices, ", ", "", &b)
			   ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
			   : dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: expected one of %s, got \"%.40s\"",
				     path, i, dp_buf_str(&b), (*l)[i]);
			dp_buf_free(&b);
		}
		return rc;
	}
	case DP_SK_CHOICE_OR_LIST:
		if (cJSON_IsArray(v)) {
			rc = get_strlist(v, path, AT(s, d->list_off, char **),
					 AT(s, d->count_off, size_t), eb);
			if (!rc)
				store_int(s, d, d->list_value);
			return rc;
		}
		if (!get_choice(v, d->choices, path, &bv, eb)) {
			store_int(s, d, bv);
			return DP_OK;
		}
		{
			dp_buf b = DP_BUF_INIT;
			dp_errbuf_clear(eb);
			rc = dp_enum_list(d->choices, ", ", "\"", &b)
			   ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
			   : dp_fail(eb, DP_ERR_CONFIG, "%s: expected %s or an array of column names",
				     path, dp_buf_str(&b));
			dp_buf_free(&b);
			return rc;
		}
	case DP_SK_OBJECT: {
		const cJSON *e;
		char p[512];
		if (!cJSON_IsObject(v))
			return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an object, got %s", path,
				       dp_json_type_name(v));
		/* members are set as they come: given ones change, the rest stay */
		cJSON_ArrayForEach(e, v) {
			int k = find_field(d->fields, d->nfields, e->string);
			snprintf(p, sizeof(p), "%s.%s", path, e->string);
			if (k < 0) {
				dp_buf b = DP_BUF_INIT;
				for (size_t i = 0; i < d->nfields; i++)
					if (dp_buf_printf(&b, "%s%s", i ? ", " : "", d->fields[i].name))
						break;
				rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: %s)", p,
					     dp_buf_str(&b));
				dp_buf_free(&b);
				return rc;
			}
			if ((rc = set_value(s, &d->fields[k], e, p, eb)))
				return rc;
		}
		return DP_OK;
	}
	}
	return dp_fail(eb, DP_ERR_INTERNAL, "%s: unhandled setting kind", path);
}

int dp_settings_set_json(dp_settings *s, const dp_setting_def *d, const cJSON *v,
			 const char *path, dp_errbuf *eb)
{
	if (cJSON_IsNull(v))
		return DP_OK;      /* null = the default (as in the API) */
	return set_value(s, d, v, path, eb);
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i]);
	free(l);
}

/* dst's list = a copy of src's; DP_ERR_NOMEM leaves dst's as it was */
static int copy_list(dp_settings *dst, const dp_settings *src, const dp_setting_def *d)
{
	size_t n = *CAT(src, d->count_off, size_t);
	char *const *from = *CAT(src, d->list_off, char **);
	char **to = NULL;

	if (n && !(to = calloc(n, sizeof(*to))))
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(to[i] = dp_strdup(from[i]))) {
			free_list(to, i);
			return DP_ERR_NOMEM;
		}
	free_list(*AT(dst, d->list_off, char **), *AT(dst, d->count_off, size_t));
	*AT(dst, d->list_off, char **) = to;
	*AT(dst, d->count_off, size_t) = n;
	return DP_OK;
}

/* dst's value of setting d = src's (deep) */
static int copy_value(dp_settings *dst, const dp_settings *src, const dp_setting_def *d)
{
	int rc;

	switch (d->ctype) {
	case DP_C_NONE:      /* an object: its members */
		for (size_t i = 0; i < d->nfields; i++)
			if ((rc = copy_value(dst, src, &d->fields[i])))
				return rc;
		return DP_OK;
	case DP_C_STR: {
		const char *v = *CAT(src, d->off, char *);
		char *c = v ? dp_strdup(v) : NULL;
		if (v && !c)
			return DP_ERR_NOMEM;
		free(*AT(dst, d->off, char *));
		*AT(dst, d->off, char *) = c;
		return DP_OK;
	}
	case DP_C_STRV:
		return copy_list(dst, src, d);
	default:
		memcpy((char *)dst + d->off, (const char *)src + d->off, d->size);
		return d->kind == DP_SK_CHOICE_OR_LIST ? copy_list(dst, src, d) : DP_OK;
	}
}

static int same_list(const dp_settings *a, const dp_settings *b, const dp_setting_def *d)
{
	size_t n = *CAT(a, d->count_off, size_t);
	char *const *x = *CAT(a, d->list_off, char **), *const *y = *CAT(b, d->list_off, char **);

	if (n != *CAT(b, d->count_off, size_t))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(x[i], y[i]))
			return 0;
	return 1;
}

static int same_value(const dp_settings *a, const dp_settings *b, const dp_setting_def *d)
{
	switch (d->ctype) {
	case DP_C_NONE:
		for (size_t i = 0; i < d->nfields; i++)
			if (!same_value(a, b, &d->fields[i]))
				return 0;
		return 1;
	case DP_C_STR: {
		const char *x = *CAT(a, d->off, char *), *y = *CAT(b, d->off, char *);
		return x && y ? !strcmp(x, y) : x == y;
	}
	case DP_C_STRV:
		return same_list(a, b, d);
	case DP_C_DOUBLE:
		return *CAT(a, d->off, double) == *CAT(b, d->off, double);
	default:
		if (load_int(a, d) != load_int(b, d))
			return 0;
		/* the list counts only while the enum says "the list" */
		return d->kind != DP_SK_CHOICE_OR_LIST || load_int(a, d) != d->list_value ||
		       same_list(a, b, d);
	}
}

const dp_setting_def *dp_settings_diff(const dp_settings *a, const dp_settings *b)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (!same_value(a, b, &defs[i]))
			return &defs[i];
	return NULL;
}

static cJSON *list_json(const dp_settings *s, const dp_setting_def *d)
{
	size_t n = *CAT(s, d->count_off, size_t);
	char *const *l = *CAT(s, d->list_off, char **);
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < n; i++) {
		cJSON *e = cJSON_CreateString(l[i]);
		if (!e || !cJSON_AddItemToArray(a, e)) {
			cJSON_Delete(e);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

#define EXACT_INT_MAX_I64 INT64_C(9007199254740991)   /* 2^53 - 1 */

/* A number that prints as exactly this double. cJSON 1.7's printer keeps
 * 15 significant digits whenever they read back within a relative
 * DBL_EPSILON, which may be one unit off (9007199254740991 would print as
 * 9.00719925474099e+15): such a value becomes a raw node holding the
 * shortest text that reads back exactly (still a JSON number when printed). */
static cJSON *number_json(double d)
{
	char t[40];

	snprintf(t, sizeof(t), "%1.15g", d);
	if (strtod(t, NULL) == d)
		return cJSON_CreateNumber(d);
	for (int prec = 16; prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%1.*g", prec, d);
		if (strtod(t, NULL) == d)
			break;
	}
	return cJSON_CreateRaw(t);
}

static cJSON *value_json(const dp_settings *s, const dp_setting_def *d)
{
	int64_t iv;
	const char *str;
	char digits[32];

	switch (d->kind) {
	case DP_SK_BOOL:
		return cJSON_CreateBool(load_int(s, d) != 0);
	case DP_SK_INT:
		return number_json((double)load_int(s, d));
	case DP_SK_SEED:
		iv = load_int(s, d);
		if (iv >= -EXACT_INT_MAX_I64 && iv <= EXACT_INT_MAX_I64)
			return number_json((double)iv);
		snprintf(digits, sizeof(digits), "%" PRId64, iv);
		return cJSON_CreateString(digits);
	case DP_SK_NUM:
		return number_json(*CAT(s, d->off, double));
	case DP_SK_STR:
	case DP_SK_CHOICE:
		str = d->ctype == DP_C_STR ? *CAT(s, d->off, char *)
					   : dp_enum_name(d->choices, (int)load_int(s, d));
		return str ? cJSON_CreateString(str) : cJSON_CreateNull();
	case DP_SK_STRLIST:
		return list_json(s, d);
	case DP_SK_CHOICE_OR_LIST:
		if (load_int(s, d) == d->list_value)
			return list_json(s, d);
		str = dp_enum_name(d->choices, (int)load_int(s, d));
		return str ? cJSON_CreateString(str) : cJSON_CreateNull();
	case DP_SK_OBJECT: {
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; o && i < d->nfields; i++) {
			cJSON *m = value_json(s, &d->fields[i]);
			if (!m || !cJSON_AddItemToObject(o, d->fields[i].name, m)) {
				cJSON_Delete(m);
				cJSON_Delete(o);
				return NULL;
			}
		}
		return o;
	}
	}
	return NULL;
}

cJSON *dp_settings_to_json(const dp_settings *s)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; o && i < NDEFS; i++) {
		cJSON *v = value_json(s, &defs[i]);
		if (!v || !cJSON_AddItemToObject(o, defs[i].name, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* ---- the defaults: each row's text, parsed once ---- */

static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;
static dp_settings defaults;     /* lives as long as the process */
static int defaults_rc;

static size_t ctype_size(dp_ctype c)
{
	switch (c) {
	case DP_C_INT: case DP_C_ENUM: return sizeof(int);
	case DP_C_INT64: return sizeof(int64_t);
	case DP_C_SIZE: return sizeof(size_t);
	case DP_C_DOUBLE: return sizeof(double);
	case DP_C_STR: return sizeof(char *);
	case DP_C_STRV: return sizeof(char **);
	case DP_C_NONE: return 0;
	}
	return 0;
}

static int owned(size_t off, size_t count_off)
{
	size_t n;
	const dp_owned_field *o = dp_settings_owned(&n);

	for (size_t i = 0; i < n; i++)
		if (o[i].off == off && o[i].count_off == count_off)
			return 1;
	return 0;
}

/* The row agrees with its field: kind and C type fit, the range fits the
 * type, memory it owns is known to the engine's copy and clear. */
static int check_row(const dp_setting_def *d, const char *path, dp_errbuf *eb)
{
	int ok;

	switch (d->kind) {
	case DP_SK_BOOL: ok = d->ctype == DP_C_INT; break;
	case DP_SK_INT:
		ok = (d->ctype == DP_C_INT && d->min >= INT32_MIN && d->max <= INT32_MAX) ||
		     d->ctype == DP_C_INT64 || (d->ctype == DP_C_SIZE && d->min >= 0);
		ok = ok && d->min <= d->max && fabs(d->min) < 9007199254740992.0 &&
		     fabs(d->max) < 9007199254740992.0;
		break;
	case DP_SK_SEED: ok = d->ctype == DP_C_INT64; break;
	case DP_SK_NUM: ok = d->ctype == DP_C_DOUBLE && d->min <= d->max; break;
	case DP_SK_STR: ok = d->ctype == DP_C_STR; break;
	case DP_SK_CHOICE:
		ok = d->choices && (d->ctype == DP_C_STR || d->ctype == DP_C_ENUM);
		break;
	case DP_SK_STRLIST: ok = d->ctype == DP_C_STRV && d->list_off == d->off; break;
	case DP_SK_CHOICE_OR_LIST: ok = d->choices && d->ctype == DP_C_ENUM; break;
	case DP_SK_OBJECT: ok = d->ctype == DP_C_NONE && d->nfields; break;
	default: ok = 0;
	}
	if (!ok || d->size != ctype_size(d->ctype))
		return dp_fail(eb, DP_ERR_INTERNAL, "%s: kind, C type and range do not fit", path);
	if (d->ctype == DP_C_STR && !owned(d->off, DP_OWNED_STR))
		return dp_fail(eb, DP_ERR_INTERNAL, "%s: string field missing from engine/config.c "
			       "owned[]", path);
	if ((d->kind == DP_SK_STRLIST || d->kind == DP_SK_CHOICE_OR_LIST) &&
	    !owned(d->list_off, d->count_off))
		return dp_fail(eb, DP_ERR_INTERNAL, "%s: list field missing from engine/config.c "
			       "owned[]", path);
	for (size_t i = 0; i < d->nfields; i++) {
		char p[256];
		int rc;
		snprintf(p, sizeof(p), "%s.%s", path, d->fields[i].name);
		if ((rc = check_row(&d->fields[i], p, eb)))
			return rc;
	}
	return DP_OK;
}

static void defaults_init(void)
{
	dp_errbuf eb;

	dp_errbuf_clear(&eb);
	memset(&defaults, 0, sizeof(defaults));
	for (size_t i = 0; i < NDEFS && !defaults_rc; i++) {
		const dp_setting_def *d = &defs[i];
		cJSON *v;
		if ((defaults_rc = check_row(d, d->name, &eb)))
			break;
		v = d->def ? cJSON_Parse(d->def) : NULL;
		if (!v || cJSON_IsNull(v)) {
			defaults_rc = dp_fail(&eb, DP_ERR_INTERNAL, "%s: the default is not JSON",
					      d->name);
		} else if ((defaults_rc = set_value(&defaults, d, v, d->name, &eb))) {
			;
		} else if (d->kind == DP_SK_OBJECT && cJSON_GetArraySize(v) != (int)d->nfields) {
			/* a member left out would have no default */
			defaults_rc = dp_fail(&eb, DP_ERR_INTERNAL, "%s: the default must give every "
					      "member", d->name);
		}
		cJSON_Delete(v);
	}
	if (defaults_rc) {
		if (defaults_rc != DP_ERR_NOMEM)
			defaults_rc = DP_ERR_INTERNAL;
		fprintf(stderr, "doppel: internal error in the settings table: %s\n", eb.msg);
		dp_settings_clear(&defaults);
	}
}

int dp_settings_defaults(dp_settings *s)
{
	pthread_once(&defaults_once, defaults_init);
	memset(s, 0, sizeof(*s));
	if (defaults_rc)
		return defaults_rc;
	return dp_settings_copy(s, &defaults);
}

int dp_settings_set_defaults(dp_settings *s, const char *const *names, size_t n,
			     dp_errbuf *eb)
{
	const dp_setting_def *d;
	int rc;

	pthread_once(&defaults_once, defaults_init);
	if (defaults_rc)
		return dp_fail(eb, defaults_rc, "the settings table is broken (see the log)");
	for (size_t i = 0; names && i < n; i++)
		if (!dp_settings_find(names[i]))
			return dp_fail(eb, DP_ERR_CONFIG, "%.200s: unknown setting (see `doppel "
				       "settings --list`)", names[i] ? names[i] : "(null)");
	for (size_t i = 0; i < (names ? n : NDEFS); i++) {
		d = names ? dp_settings_find(names[i]) : &defs[i];
		if ((rc = copy_value(s, &defaults, d)))
			return dp_fail(eb, rc, "out of memory");
	}
	return DP_OK;
}

/* ---- the listing and the README's table ---- */

static const char *type_text(const dp_setting_def *d)
{
	switch (d->kind) {
	case DP_SK_BOOL: return "boolean";
	case DP_SK_INT: case DP_SK_SEED: return "integer";
	case DP_SK_NUM: return "number";
	case DP_SK_STR: case DP_SK_CHOICE: return "string";
	case DP_SK_STRLIST: return "array of strings";
	case DP_SK_CHOICE_OR_LIST: return "string or array";
	case DP_SK_OBJECT: return "object";
	}
	return "?";
}

/* "1..64", "en, nl, ...": what the row accepts, in words ("" for booleans) */
static int range_text(const dp_setting_def *d, dp_buf *b)
{
	switch (d->kind) {
	case DP_SK_BOOL:
		return DP_OK;
	case DP_SK_INT:
		if (d->min == -ANY_INT && d->max == ANY_INT)
			return dp_buf_puts(b, "any integer");
		return dp_buf_printf(b, "%.0f..%.0f", d->min, d->max);
	case DP_SK_SEED:
		return dp_buf_puts(b, "any 64-bit integer (beyond +-2^53 as a string of digits)");
	case DP_SK_NUM:
		return dp_buf_printf(b, "%g..%g", d->min, d->max);
	case DP_SK_STR:
		return dp_buf_puts(b, "any string");
	case DP_SK_CHOICE:
		return dp_enum_list(d->choices, ", ", "", b);
	case DP_SK_STRLIST:
		return d->choices ? dp_enum_list(d->choices, "/", "", b) : dp_buf_puts(b, "column names");
	case DP_SK_CHOICE_OR_LIST:
		if (dp_enum_list(d->choices, ", ", "", b))
			return DP_ERR_NOMEM;
		return dp_buf_puts(b, ", or a list of column names");
	case DP_SK_OBJECT: {
		int first = 1;
		for (size_t i = 0; i < d->nfields; i++) {
			size_t at = b->len;
			if (dp_buf_printf(b, "%s%s ", first ? "" : ", ", d->fields[i].name) ||
			    range_text(&d->fields[i], b))
				return DP_ERR_NOMEM;
			if (d->fields[i].kind == DP_SK_BOOL) {
				b->len = at;      /* a switch says nothing about its range */
				b->data[at] = '\0';
			} else {
				first = 0;
			}
		}
		return DP_OK;
	}
	}
	return DP_OK;
}

void dp_settings_print_list(FILE *f, int markdown)
{
	dp_buf r = DP_BUF_INIT;

	if (markdown) {
		int k = 0;
		fprintf(f, "Every setting may be given at the top level of the engine file; the "
			"`default_*` ones may\nalso be given inside a table to override it there (");
		for (size_t i = 0; i < NDEFS; i++)
			if (defs[i].per_column)
				fprintf(f, "%s`%s`", k++ ? ", " : "", defs[i].name);
		fprintf(f, " also inside a column).\nJSON `null` means the default.\n\n");
		fprintf(f, "| setting | type | default | allowed | per table | meaning |\n");
		fprintf(f, "|---|---|---|---|---|---|\n");
	}
	for (size_t i = 0; i < NDEFS; i++) {
		const dp_setting_def *d = &defs[i];
		dp_buf_reset(&r);
		if (range_text(d, &r))
			break;
		if (markdown) {
			fprintf(f, "| `%s` | %s | `%s` | %s | %s | %s |\n", d->name, type_text(d),
				d->def, r.len ? dp_buf_str(&r) : "-", d->per_table ? "yes" : "no",
				d->doc);
			continue;
		}
		fprintf(f, "%s (%s%s)\n", d->name, type_text(d), d->per_table ? ", per table" : "");
		fprintf(f, "    default: %s%s%s\n", d->def, r.len ? "   allowed: " : "",
			dp_buf_str(&r));
		fprintf(f, "    %s\n", d->doc);
	}
	dp_buf_free(&r);
}
