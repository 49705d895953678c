/* engine/config/config.h - the job's configuration as plain C structs.
 *
 * settings/ fills these from JSON (an engine file or an API request) through
 * its one settings table; the engine never sees JSON or HTTP. Every string is
 * owned by the struct that holds it and freed by dp_job_cfg_free().
 */
#ifndef DP_CONFIG_H
#define DP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "../../base/dp_buf.h"
#include "../../connectors/connector.h"

typedef enum dp_init_mode {
	DP_INIT_SYNTHESIZE = 0, DP_INIT_MOCK, DP_INIT_MOCK_OR_MASK,
	DP_INIT_DE_IDENTIFY, DP_INIT_FROM_SCRATCH
} dp_init_mode;

typedef enum dp_keygen {
	DP_KEYGEN_DUPLICATE = 0, DP_KEYGEN_GENERATE, DP_KEYGEN_HASH
} dp_keygen;

typedef enum dp_mode {
	DP_MODE_UNSET = 0,      /* take it from initialization_mode */
	DP_MODE_SYNTHESIZE, DP_MODE_DE_IDENTIFY, DP_MODE_DUPLICATE,
	DP_MODE_SUBSET, DP_MODE_EXCLUDE
} dp_mode;

typedef enum dp_train_order { DP_ORDER_SCHEMA = 0, DP_ORDER_CARDINALITY, DP_ORDER_EXPLICIT } dp_train_order;

/* The names of one enum, defined once: names[i] is the value first + i.
 * Engine messages, the engine-file parser, the settings table, the docs and
 * the API all take their spellings from these tables. */
typedef struct dp_enum_table {
	int first;                  /* value of names[0] */
	size_t n;
	const char *const *names;
} dp_enum_table;

extern const dp_enum_table dp_init_mode_names;   /* SYNTHESIZE, MOCK, ... */
extern const dp_enum_table dp_keygen_names;      /* duplicate, generate, hash */
extern const dp_enum_table dp_mode_names;        /* table modes; DP_MODE_UNSET has no name */
extern const dp_enum_table dp_train_order_names; /* schema, cardinality (EXPLICIT is a list) */
extern const dp_enum_table dp_children_names;    /* include_children: all, none */
extern const dp_enum_table dp_ssl_mode_names;    /* disable ... verify-full (DEFAULT: none) */
/* Locale codes the settings accept (default_locale, pii languages); the
 * value is the index. Which have mock data is engine/pii's business. */
extern const dp_enum_table dp_locale_names;

/* The name of `value`, or NULL when it has none. */
const char *dp_enum_name(const dp_enum_table *t, int value);
/* The value named `name` (exact, case-sensitive) into *value: 0, or -1 when
 * no name matches (*value untouched). */
int dp_enum_value(const dp_enum_table *t, const char *name, int *value);
/* Append the names to b, separated by sep, each between quote and quote
 * ("" for none). DP_ERR_NOMEM. */
int dp_enum_list(const dp_enum_table *t, const char *sep, const char *quote, dp_buf *b) DP_MUSTCHECK;

const char *dp_mode_name(dp_mode m);            /* "UNSET" for DP_MODE_UNSET */
const char *dp_init_mode_name(dp_init_mode m);  /* "?" out of range */
const char *dp_keygen_name(dp_keygen k);        /* "?" out of range */

/* pii_model_settings (JSON object in the API) */
typedef struct dp_pii_settings {
	int use_name_rules;      /* column-name rules */
	int use_value_patterns;  /* regex/validator patterns on sampled values */
	int use_dictionaries;    /* first/last-name dictionaries */
	double threshold;        /* min confidence to flag a column, 0..1 */
	size_t sample_rows;      /* values sampled per column */
	size_t nlanguages;
	char **languages;        /* column-name rule languages ("en","nl",...) */
} dp_pii_settings;

/* default_text_processor_model_settings */
typedef struct dp_text_settings {
	int word_level;          /* 1 = word n-grams, 0 = character n-grams */
	int ngram_order;         /* n of the n-gram model */
	int vocabulary_limit;    /* most frequent tokens kept */
} dp_text_settings;

/* Every engine setting of the spec. The default_* ones are copied into each
 * table's own dp_settings and may be overridden there. Field names are the
 * spec's names, without the "default_" prefix where the setting is per
 * table. */
typedef struct dp_settings {
	int64_t seed_value;
	int use_seed;
	dp_pii_settings pii;
	dp_init_mode initialization_mode;
	dp_keygen key_generation_method;
	int n_parallel_pipeline_processes;
	int64_t n_training_rows;
	int read_random_subset;
	double sample_noise_ratio;
	int max_n_feat_per_model;
	dp_train_order feat_model_train_order;
	size_t n_train_order_cols;
	char **train_order_cols;           /* DP_ORDER_EXPLICIT */
	int max_sequence_length;
	int64_t end_of_sequence_token;
	int cardinality_threshold;
	char *rare_category_replacement;
	int clip_threshold;
	char *locale;
	int pii_mock_replace;
	double noise_factor;
	dp_text_settings text;
	int textpii_parallel_jobs;
	int textpii_scan_batch_size;
	int cutoff_length;
	int long_sequence_threshold;
	int64_t min_sample_size;
	int fast_executemany;
	int drop_indexes;
	int64_t consistent_integer_shuffle_threshold;
	size_t n_order_by_cols;
	char **order_by_cols;              /* default_order_by_nr_columns */
	int ray_memory_optimization;
	int max_pending_tasks;
} dp_settings;

/* Deep copy / free of the owned parts. */
int dp_settings_copy(dp_settings *dst, const dp_settings *src) DP_MUSTCHECK;
void dp_settings_clear(dp_settings *s);

/* The fields of dp_settings that own memory, which copy and clear walk: a
 * string (count_off == DP_OWNED_STR) or an array of count strings whose
 * size_t count sits at count_off. settings/ checks at startup that every
 * string field of its table is listed here (the engine cannot see that
 * table: dependencies point down). */
#define DP_OWNED_STR ((size_t)-1)
typedef struct dp_owned_field {
	size_t off;
	size_t count_off;
} dp_owned_field;
const dp_owned_field *dp_settings_owned(size_t *n);

typedef struct dp_column_cfg {
	char *name;
	char *generator;    /* "duplicate", "null", "constant", "mock:email", "mask:hash", ... */
	char *value;        /* constant's value (text), may be NULL = SQL NULL */
	int consistent;     /* -1 = unset (generator default), 0/1 */
	dp_settings *overrides; /* NULL or per-column overrides (locale, ...) */
	char *kind;         /* SYNTHESIZE: "categorical", "numeric", "datetime",
	                       "text" overrides the detected column kind; NULL */
} dp_column_cfg;

typedef enum dp_children { DP_CHILDREN_DEFAULT = 0, DP_CHILDREN_ALL, DP_CHILDREN_NONE } dp_children;

typedef struct dp_subset_cfg {
	int set;
	double percent;     /* < 0 = unset */
	char *where;
	int64_t limit;      /* < 0 = unset */
	char *order_by;
	dp_children include_children;  /* for this table's children */
	/* when this table's rows are pulled in as children of selected rows: */
	char *include_when;            /* only rows matching this SQL predicate */
	int64_t max_per_parent;        /* at most this many per parent row, < 0 = all */
} dp_subset_cfg;

typedef struct dp_table_cfg {
	char *name;
	dp_mode mode;
	dp_settings settings;   /* engine defaults + this table's overrides */
	size_t ncols;
	dp_column_cfg *cols;
	dp_subset_cfg subset;
	size_t nnull_unsel;
	char **null_unsel;      /* nullable FK columns set NULL when the row they
	                           reference is not in the subset */
	int64_t target_rows;    /* SYNTHESIZE output rows, < 0 = same as source */
	double scale;           /* SYNTHESIZE output scale, <= 0 = unset */
	/* the table set these lists itself (else settings holds the engine's,
	 * which may name other tables' columns): the plan checks own ones
	 * against this table */
	int own_order_by;       /* default_order_by_nr_columns */
	int own_train_order;    /* default_feat_model_train_order */
} dp_table_cfg;

typedef struct dp_vfk_cfg {
	char *table;
	size_t ncols;
	char **cols;
	char *ref_table;
	char **ref_cols;
} dp_vfk_cfg;

typedef struct dp_job_cfg {
	char *name;
	dp_settings settings;   /* engine-level settings */
	dp_conn_cfg source;
	dp_conn_cfg target;
	size_t ntables;
	dp_table_cfg *tables;
	size_t nvfks;
	dp_vfk_cfg *vfks;
	int copy_grants;        /* carry row-level security policies and grants */
} dp_job_cfg;

void dp_job_cfg_free(dp_job_cfg *j);   /* frees j itself too; NULL is fine */
/* The table's config, or NULL when the table is not listed. */
const dp_table_cfg *dp_job_cfg_table(const dp_job_cfg *j, const char *name);
/* The column's config within a table config, or NULL. */
const dp_column_cfg *dp_table_cfg_column(const dp_table_cfg *t, const char *name);

#endif
