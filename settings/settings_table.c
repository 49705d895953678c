/* settings/settings_table.c - the 31 engine settings: one row each. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "settings_table.h"
#include "../base/dp_buf.h"

static const char *const init_modes[] = {
	"SYNTHESIZE", "MOCK", "MOCK_OR_MASK", "DE_IDENTIFY", "FROM_SCRATCH", NULL
};
static const char *const keygens[] = { "duplicate", "generate", "hash", NULL };
static const char *const locales[] = { "en", "nl", "de", "fr", "es", NULL };

#define BIG 1e15
static const dp_setting_def defs[] = {
	{"seed_value", DP_ST_INT64, "integer", "0",
	 "any 64-bit integer (beyond +-2^53 as a string of digits)",
	 "seed of every random choice and consistent mapping (used when use_seed is true)", 0,
	 -BIG, BIG, NULL},
	{"use_seed", DP_ST_BOOL, "boolean", "false", "",
	 "true: the target is a pure function of source + engine + seed_value; false: a fresh seed per run (printed)", 0,
	 0, 0, NULL},
	{"pii_model_settings", DP_ST_OBJECT, "object",
	 "{\"use_name_rules\": true, \"use_value_patterns\": true, \"use_dictionaries\": true, "
	 "\"threshold\": 0.5, \"sample_rows\": 1000, \"languages\": [\"en\",\"nl\",\"de\",\"fr\",\"es\"]}",
	 "threshold 0..1, sample_rows 1..1000000, languages en/nl/de/fr/es",
	 "PII detector: which detectors run, minimum confidence, column-name languages", 0,
	 0, 0, NULL},
	{"initialization_mode", DP_ST_ENUM, "string", "\"DE_IDENTIFY\"",
	 "SYNTHESIZE, MOCK, MOCK_OR_MASK, DE_IDENTIFY, FROM_SCRATCH",
	 "preset for tables and columns the engine file does not configure", 0, 0, 0, init_modes},
	{"key_generation_method", DP_ST_ENUM, "string", "\"duplicate\"", "duplicate, generate, hash",
	 "primary keys: kept, regenerated densely, or mapped by a keyed bijection; FKs follow", 0,
	 0, 0, keygens},
	{"n_parallel_pipeline_processes", DP_ST_INT, "integer", "2", "1..64",
	 "table pipelines running at once (worker threads, each reading its own table)", 0,
	 1, 64, NULL},
	{"default_n_training_rows", DP_ST_INT64, "integer", "100000", "1..1000000000",
	 "max source rows read to train one table's model (SYNTHESIZE)", 1, 1, 1e9, NULL},
	{"default_read_random_subset", DP_ST_BOOL, "boolean", "false", "",
	 "training rows are a uniform random sample (else the first N in key order)", 1, 0, 0, NULL},
	{"default_sample_noise_ratio", DP_ST_NUM, "number", "0", "0..1",
	 "fraction of training rows perturbed before training", 1, 0, 1, NULL},
	{"default_max_n_feat_per_model", DP_ST_INT, "integer", "20", "1..1000",
	 "max predictor columns per column model", 1, 1, 1000, NULL},
	{"default_feat_model_train_order", DP_ST_STR, "string or array", "\"schema\"",
	 "schema, cardinality, or a list of column names",
	 "order in which columns are modelled", 1, 0, 0, NULL},
	{"default_max_sequence_length", DP_ST_INT, "integer", "100", "1..100000",
	 "max child rows per parent modelled and generated", 1, 1, 100000, NULL},
	{"default_end_of_sequence_token", DP_ST_INT64, "integer", "-1", "any integer",
	 "token that ends a generated sequence in the sequence model", 1, -BIG, BIG, NULL},
	{"default_cardinality_threshold", DP_ST_INT, "integer", "5", "0..1000000",
	 "categories seen in fewer training rows are replaced (rare-category protection)", 1,
	 0, 1e6, NULL},
	{"default_rare_category_replacement", DP_ST_STR, "string", "\"*\"", "any string",
	 "value replacing rare categories", 1, 0, 0, NULL},
	{"default_clip_threshold", DP_ST_INT, "integer", "5", "0..1000000",
	 "numeric/date values clipped to the k-th smallest/largest seen (extreme-value protection)", 1,
	 0, 1e6, NULL},
	{"default_locale", DP_ST_STR, "string", "\"en\"", "en, nl, de, fr, es",
	 "locale of mock values", 1, 0, 0, locales},
	{"default_pii_mock_replace", DP_ST_BOOL, "boolean", "true", "",
	 "free-text PII replaced by mock values (true) or by a tag such as <PERSON> (false)", 1,
	 0, 0, NULL},
	{"default_noise_factor", DP_ST_NUM, "number", "0.1", "0..10",
	 "noise added to generated numbers/dates, relative to the column's spread", 1, 0, 10, NULL},
	{"default_text_processor_model_settings", DP_ST_OBJECT, "object",
	 "{\"word_level\": true, \"ngram_order\": 3, \"vocabulary_limit\": 10000}",
	 "ngram_order 1..10, vocabulary_limit 10..1000000",
	 "free-text model: word or character n-grams, n, vocabulary size", 1, 0, 0, NULL},
	{"default_textpii_parallel_jobs", DP_ST_INT, "integer", "2", "1..64",
	 "threads scanning free text for PII", 1, 1, 64, NULL},
	{"default_textpii_scan_batch_size", DP_ST_INT, "integer", "1000", "1..1000000",
	 "rows per free-text scan batch", 1, 1, 1e6, NULL},
	{"default_cutoff_length", DP_ST_INT, "integer", "1000", "1..1000000",
	 "max characters of a text value modelled and generated", 1, 1, 1e6, NULL},
	{"default_long_sequence_threshold", DP_ST_INT, "integer", "100", "1..1000000",
	 "longer sequences are capped to this before training (privacy)", 1, 1, 1e6, NULL},
	{"default_min_sample_size", DP_ST_INT64, "integer", "100", "1..1000000000",
	 "tables with fewer rows are not modelled: mock generation instead (logged)", 1, 1, 1e9, NULL},
	{"default_fast_executemany", DP_ST_BOOL, "boolean", "true", "",
	 "bulk writes (multi-row statements); false: one statement per row", 1, 0, 0, NULL},
	{"default_drop_indexes", DP_ST_BOOL, "boolean", "true", "",
	 "indexes created after the load and FK checks deferred to the end; false: indexes and FK checks during the load", 1,
	 0, 0, NULL},
	{"default_consistent_integer_shuffle_threshold", DP_ST_INT64, "integer", "1000000",
	 "0..1000000000000",
	 "integer keys whose range is at most this use a seeded bijective shuffle", 1, 0, 1e12, NULL},
	{"default_order_by_nr_columns", DP_ST_STRLIST, "array of strings", "[]", "column names",
	 "columns source reads are ordered by (then the key); empty: primary key", 1, 0, 0, NULL},
	{"default_ray_memory_optimization", DP_ST_BOOL, "boolean", "false", "",
	 "memory-lean mode: batches of 256 rows instead of 2048", 1, 0, 0, NULL},
	{"default_max_pending_tasks", DP_ST_INT, "integer", "4", "1..1024",
	 "batches in flight per table between read and write (backpressure, bounds memory)", 1,
	 1, 1024, NULL},
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

const dp_setting_def *dp_settings_defs(size_t *n)
{
	*n = NDEFS;
	return defs;
}

const dp_setting_def *dp_settings_find(const char *name)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

int dp_settings_defaults(dp_settings *s)
{
	static const char *const langs[] = { "en", "nl", "de", "fr", "es" };

	memset(s, 0, sizeof(*s));
	s->seed_value = 0;
	s->use_seed = 0;
	s->pii.use_name_rules = s->pii.use_value_patterns = s->pii.use_dictionaries = 1;
	s->pii.threshold = 0.5;
	s->pii.sample_rows = 1000;
	s->pii.languages = calloc(5, sizeof(char *));
	if (!s->pii.languages)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < 5; i++)
		if (!(s->pii.languages[s->pii.nlanguages++] = dp_strdup(langs[i])))
			goto nomem;
	s->initialization_mode = DP_INIT_DE_IDENTIFY;
	s->key_generation_method = DP_KEYGEN_DUPLICATE;
	s->n_parallel_pipeline_processes = 2;
	s->n_training_rows = 100000;
	s->read_random_subset = 0;
	s->sample_noise_ratio = 0;
	s->max_n_feat_per_model = 20;
	s->feat_model_train_order = DP_ORDER_SCHEMA;
	s->max_sequence_length = 100;
	s->end_of_sequence_token = -1;
	s->cardinality_threshold = 5;
	s->rare_category_replacement = dp_strdup("*");
	s->clip_threshold = 5;
	s->locale = dp_strdup("en");
	s->pii_mock_replace = 1;
	s->noise_factor = 0.1;
	s->text.word_level = 1;
	s->text.ngram_order = 3;
	s->text.vocabulary_limit = 10000;
	s->textpii_parallel_jobs = 2;
	s->textpii_scan_batch_size = 1000;
	s->cutoff_length = 1000;
	s->long_sequence_threshold = 100;
	s->min_sample_size = 100;
	s->fast_executemany = 1;
	s->drop_indexes = 1;
	s->consistent_integer_shuffle_threshold = 1000000;
	s->ray_memory_optimization = 0;
	s->max_pending_tasks = 4;
	if (!s->rare_category_replacement || !s->locale)
		goto nomem;
	return DP_OK;
nomem:
	dp_settings_clear(s);
	return DP_ERR_NOMEM;
}

const char *dp_json_type_name(const cJSON *v)
{
	if (cJSON_IsBool(v)) return "boolean";
	if (cJSON_IsNumber(v)) return "number";
	if (cJSON_IsString(v)) return "string";
	if (cJSON_IsArray(v)) return "array";
	if (cJSON_IsObject(v)) return "object";
	return "null";
}

static void choices_text(const char *const *c, dp_buf *b)
{
	for (size_t i = 0; c[i]; i++)
		if (dp_buf_printf(b, "%s%s", i ? ", " : "", c[i]))
			return;
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

static int get_choice(const cJSON *v, const char *const *choices, const char *path, int *out,
		      dp_errbuf *eb)
{
	dp_buf b = DP_BUF_INIT;
	int rc;

	if (cJSON_IsString(v))
		for (int i = 0; choices[i]; i++)
			if (!strcmp(choices[i], v->valuestring)) {
				*out = i;
				return DP_OK;
			}
	choices_text(choices, &b);
	if (cJSON_IsString(v))
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
		r[i++] = dp_strdup(e->valuestring);
	}
	for (size_t k = 0; k < *n; k++)
		free((*out)[k]);
	free(*out);
	*out = r;
	*n = cnt;
	return DP_OK;
}

static int set_pii(dp_settings *s, const cJSON *v, const char *path, dp_errbuf *eb)
{
	const cJSON *e;
	char p[512];
	int rc = DP_OK;

	if (!cJSON_IsObject(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an object, got %s", path, dp_json_type_name(v));
	cJSON_ArrayForEach(e, v) {
		int64_t iv;
		snprintf(p, sizeof(p), "%s.%s", path, e->string);
		if (!strcmp(e->string, "use_name_rules"))
			rc = get_bool(e, p, &s->pii.use_name_rules, eb);
		else if (!strcmp(e->string, "use_value_patterns"))
			rc = get_bool(e, p, &s->pii.use_value_patterns, eb);
		else if (!strcmp(e->string, "use_dictionaries"))
			rc = get_bool(e, p, &s->pii.use_dictionaries, eb);
		else if (!strcmp(e->string, "threshold"))
			rc = get_num(e, 0, 1, p, &s->pii.threshold, eb);
		else if (!strcmp(e->string, "sample_rows")) {
			rc = get_int(e, 1, 1e6, p, &iv, eb);
			if (!rc)
				s->pii.sample_rows = (size_t)iv;
		} else if (!strcmp(e->string, "languages")) {
			rc = get_strlist(e, p, &s->pii.languages, &s->pii.nlanguages, eb);
			for (size_t i = 0; !rc && i < s->pii.nlanguages; i++) {
				int ok = 0;
				for (size_t k = 0; locales[k]; k++)
					ok |= !strcmp(locales[k], s->pii.languages[i]);
				if (!ok)
					rc = dp_fail(eb, DP_ERR_CONFIG, "%s[%zu]: expected one of en, nl, "
						     "de, fr, es, got \"%.40s\"", p, i, s->pii.languages[i]);
			}
		} else
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: use_name_rules, "
				     "use_value_patterns, use_dictionaries, threshold, sample_rows, "
				     "languages)", p);
		if (rc)
			return rc;
	}
	return DP_OK;
}

static int set_text_model(dp_settings *s, const cJSON *v, const char *path, dp_errbuf *eb)
{
	const cJSON *e;
	char p[512];
	int rc = DP_OK;

	if (!cJSON_IsObject(v))
		return dp_fail(eb, DP_ERR_CONFIG, "%s: expected an object, got %s", path, dp_json_type_name(v));
	cJSON_ArrayForEach(e, v) {
		int64_t iv;
		snprintf(p, sizeof(p), "%s.%s", path, e->string);
		if (!strcmp(e->string, "word_level"))
			rc = get_bool(e, p, &s->text.word_level, eb);
		else if (!strcmp(e->string, "ngram_order")) {
			rc = get_int(e, 1, 10, p, &iv, eb);
			if (!rc)
				s->text.ngram_order = (int)iv;
		} else if (!strcmp(e->string, "vocabulary_limit")) {
			rc = get_int(e, 10, 1e6, p, &iv, eb);
			if (!rc)
				s->text.vocabulary_limit = (int)iv;
		} else
			rc = dp_fail(eb, DP_ERR_CONFIG, "%s: unknown field (known: word_level, "
				     "ngram_order, vocabulary_limit)", p);
		if (rc)
			return rc;
	}
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

int dp_settings_set_json(dp_settings *s, const dp_setting_def *d, const cJSON *v,
			 const char *path, dp_errbuf *eb)
{
	const char *n = d->name;
	int64_t iv = 0;
	double dv = 0;
	int bv = 0, rc;

	if (cJSON_IsNull(v))
		return DP_OK;      /* null = the default (as in the API) */
	switch (d->type) {
	case DP_ST_BOOL:
		rc = get_bool(v, path, &bv, eb);
		if (rc)
			return rc;
		if (!strcmp(n, "use_seed")) s->use_seed = bv;
		else if (!strcmp(n, "default_read_random_subset")) s->read_random_subset = bv;
		else if (!strcmp(n, "default_pii_mock_replace")) s->pii_mock_replace = bv;
		else if (!strcmp(n, "default_fast_executemany")) s->fast_executemany = bv;
		else if (!strcmp(n, "default_drop_indexes")) s->drop_indexes = bv;
		else if (!strcmp(n, "default_ray_memory_optimization")) s->ray_memory_optimization = bv;
		return DP_OK;
	case DP_ST_INT:
	case DP_ST_INT64:
		rc = !strcmp(n, "seed_value") ? get_seed(v, path, &iv, eb)
					      : get_int(v, d->min, d->max, path, &iv, eb);
		if (rc)
			return rc;
		if (!strcmp(n, "seed_value")) s->seed_value = iv;
		else if (!strcmp(n, "n_parallel_pipeline_processes")) s->n_parallel_pipeline_processes = (int)iv;
		else if (!strcmp(n, "default_n_training_rows")) s->n_training_rows = iv;
		else if (!strcmp(n, "default_max_n_feat_per_model")) s->max_n_feat_per_model = (int)iv;
		else if (!strcmp(n, "default_max_sequence_length")) s->max_sequence_length = (int)iv;
		else if (!strcmp(n, "default_end_of_sequence_token")) s->end_of_sequence_token = iv;
		else if (!strcmp(n, "default_cardinality_threshold")) s->cardinality_threshold = (int)iv;
		else if (!strcmp(n, "default_clip_threshold")) s->clip_threshold = (int)iv;
		else if (!strcmp(n, "default_textpii_parallel_jobs")) s->textpii_parallel_jobs = (int)iv;
		else if (!strcmp(n, "default_textpii_scan_batch_size")) s->textpii_scan_batch_size = (int)iv;
		else if (!strcmp(n, "default_cutoff_length")) s->cutoff_length = (int)iv;
		else if (!strcmp(n, "default_long_sequence_threshold")) s->long_sequence_threshold = (int)iv;
		else if (!strcmp(n, "default_min_sample_size")) s->min_sample_size = iv;
		else if (!strcmp(n, "default_consistent_integer_shuffle_threshold"))
			s->consistent_integer_shuffle_threshold = iv;
		else if (!strcmp(n, "default_max_pending_tasks")) s->max_pending_tasks = (int)iv;
		return DP_OK;
	case DP_ST_NUM:
		rc = get_num(v, d->min, d->max, path, &dv, eb);
		if (rc)
			return rc;
		if (!strcmp(n, "default_sample_noise_ratio")) s->sample_noise_ratio = dv;
		else if (!strcmp(n, "default_noise_factor")) s->noise_factor = dv;
		return DP_OK;
	case DP_ST_ENUM:
		rc = get_choice(v, d->choices, path, &bv, eb);
		if (rc)
			return rc;
		if (!strcmp(n, "initialization_mode")) s->initialization_mode = (dp_init_mode)bv;
		else s->key_generation_method = (dp_keygen)bv;
		return DP_OK;
	case DP_ST_STR:
		if (!strcmp(n, "default_locale")) {
			rc = get_choice(v, locales, path, &bv, eb);
			return rc ? rc : set_str(&s->locale, v, path, eb);
		}
		if (!strcmp(n, "default_rare_category_replacement"))
			return set_str(&s->rare_category_replacement, v, path, eb);
		/* default_feat_model_train_order */
		if (cJSON_IsArray(v)) {
			rc = get_strlist(v, path, &s->train_order_cols, &s->n_train_order_cols, eb);
			if (!rc)
				s->feat_model_train_order = DP_ORDER_EXPLICIT;
			return rc;
		}
		{
			static const char *const orders[] = { "schema", "cardinality", NULL };
			rc = get_choice(v, orders, path, &bv, eb);
			if (rc) {
				dp_errbuf_clear(eb);
				return dp_fail(eb, DP_ERR_CONFIG, "%s: expected \"schema\", \"cardinality\" or "
					       "an array of column names", path);
			}
			s->feat_model_train_order = (dp_train_order)bv;
			return DP_OK;
		}
	case DP_ST_STRLIST:
		return get_strlist(v, path, &s->order_by_cols, &s->n_order_by_cols, eb);
	case DP_ST_OBJECT:
		return !strcmp(n, "pii_model_settings") ? set_pii(s, v, path, eb)
							: set_text_model(s, v, path, eb);
	}
	return dp_fail(eb, DP_ERR_INTERNAL, "%s: unhandled setting type", path);
}

void dp_settings_print_list(FILE *f, int markdown)
{
	if (markdown) {
		fprintf(f, "| setting | type | default | allowed | per table | meaning |\n");
		fprintf(f, "|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < NDEFS; i++)
			fprintf(f, "| `%s` | %s | `%s` | %s | %s | %s |\n", defs[i].name,
				defs[i].json_type, defs[i].def, defs[i].range[0] ? defs[i].range : "-",
				defs[i].per_table ? "yes" : "no", defs[i].doc);
		return;
	}
	for (size_t i = 0; i < NDEFS; i++) {
		fprintf(f, "%s (%s%s)\n", defs[i].name, defs[i].json_type,
			defs[i].per_table ? ", per table" : "");
		fprintf(f, "    default: %s%s%s\n", defs[i].def, defs[i].range[0] ? "   allowed: " : "",
			defs[i].range);
		fprintf(f, "    %s\n", defs[i].doc);
	}
}
