/* engine/gen/generators.h - column generators: what DE_IDENTIFY does to a value.
 *
 * A generator spec is a string from the engine file: "duplicate", "null",
 * "constant", "mock:<kind>", "mask:<fn>" ("hash", "redact", ...),
 * "synthesize", "exclude". dp_gen_new() compiles it once per column; then
 * dp_gen_apply() maps one source value to one target value.
 *
 * Determinism: the output is a pure function of
 *   - the job key (derived from seed_value), the generator spec, the locale,
 *   - consistent=1: the input value only (so the same e-mail maps to the
 *     same mock e-mail in every table, every engine and every run with the
 *     same seed);
 *   - consistent=0: the column identity (table.column) and the row ordinal
 *     (reads are ordered, so this is deterministic too).
 * No generator ever returns its input unchanged except "duplicate" (mock
 * generators re-draw when they happen to hit the input).
 */
#ifndef DP_GENERATORS_H
#define DP_GENERATORS_H

#include <stdint.h>
#include "../../base/dp_err.h"
#include "../../base/dp_value.h"
#include "../../base/dp_rng.h"
#include "../../connectors/schema.h"


typedef struct dp_gen dp_gen;   /* opaque compiled generator */

typedef struct dp_gen_opts {
	const char *spec;        /* generator string */
	const char *value;       /* constant's value (text); NULL = SQL NULL */
	int consistent;          /* -1 = generator's default (mock/mask: 1) */
	const char *locale;      /* "en", ... */
	const char *table;       /* for consistent=0 derivation and messages */
	const dp_column *col;    /* target column: type class, length, notnull */
	const dp_job_key *key;
	/* mask:textpii */
	const struct dp_pii_settings *pii;  /* detectors; NULL = all */
	int pii_mock_replace;    /* 1: mocks (default), 0: tags such as <EMAIL> */
	const struct dp_namebook *names; /* names learned from the source, or NULL */
} dp_gen_opts;

/* Validate a spec without compiling (for engine-file validation). Returns 0
 * or DP_ERR_CONFIG with a message listing the known generators / kinds. */
int dp_gen_check_spec(const char *spec, dp_errbuf *eb) DP_MUSTCHECK;

/* Compile. *out freed with dp_gen_free. Fails (DP_ERR_CONFIG / DP_ERR_TYPE)
 * when the spec is unknown or cannot produce the column's type, e.g.
 * mock:email into an INTEGER column, naming table.column. */
int dp_gen_new(const dp_gen_opts *o, dp_gen **out, dp_errbuf *eb) DP_MUSTCHECK;
void dp_gen_free(dp_gen *g);

/* Can generator g fill column ci of table t? The rule is one table in
 * generators.c (generator kind -> type classes it can produce), so that
 * e.g. mask:date_shift on a text column, mask:fpe on a uuid or mock:email
 * on an integer is a plan error naming table.column, the generator and the
 * column's type, not a failure half-way through a load. A generated column
 * takes no generator but "duplicate". DP_OK or DP_ERR_CONFIG. */
int dp_gen_check_column(const dp_gen *g, const dp_table *t, size_t ci, dp_errbuf *eb) DP_MUSTCHECK;

/* True when the generator passes values through unchanged ("duplicate"). */
int dp_gen_is_identity(const dp_gen *g);
/* Canonical spec string ("mock:email"); owned by g. */
const char *dp_gen_spec(const dp_gen *g);

/* Map `in` (row ordinal `row`, 0-based in read order) to *out. Text bytes are
 * copied into batch `b` (the batch *out lives in). Output respects the
 * column's type class (text -> INT/REAL conversion where the column is
 * numeric) and length: a mock is drawn among the values that fit
 * col->length (names that short, shorter e-mails), and when none of its kind
 * fits (a fixed-format code in a narrower column) the source value is masked
 * in its own shape (FF1) instead; nothing is cut. Codes (national_id, ssn,
 * credit_card, iban, account_number) on text are masked format-preserving
 * (FF1, a bijection) with their check digits kept valid. NULL input
 * stays NULL for every generator except "constant". Thread-safe: a dp_gen is
 * read-only after dp_gen_new. */
int dp_gen_apply(const dp_gen *g, const dp_value *in, uint64_t row,
		 dp_batch *b, dp_value *out, dp_errbuf *eb) DP_MUSTCHECK;

/* dp_gen_apply with the row's identity: `rowkey` (rowkeylen bytes) names
 * the row's entity - its primary key value(s), or a key it shares with rows
 * of other tables (a person id) - and every generator that must agree
 * within a row draws from it, not from the column or the value:
 *   - mask:date_shift, and mock:date_of_birth / mock:date on a source date:
 *     one offset per row, -1..-365 days (backwards: a shifted birth date
 *     stays before every date of the row, and dates shifted together keep
 *     their order, valid_from <= valid_to); the value's shape kept
 *     (YYYY-MM-DD[ time], YYYYMMDD, DD.MM.YYYY, MM/DD/YYYY); sentinels
 *     (9999-..., 0001-01-01, 1900-01-01) stay as they are;
 *   - mock:birth_year / birth_month / birth_day: one valid birth date for the
 *     row (a year earlier than the source year, month and day drawn);
 *   - mock:gender: one of the column's two codes (M/F, man/vrouw...), case kept;
 *   - mock:latitude / mock:longitude: the point moved up to ~3 km, both
 *     columns together;
 *   - mock:national_id / ssn on a number starting with YYMMDD (CHAR(6)
 *     birth numbers): the date shifted by the row's offset.
 * rowkey NULL: the row is the table and `row` (the read ordinal), which
 * keeps the columns of a row together but not an entity across tables.
 * Same contract as dp_gen_apply otherwise. */
int dp_gen_apply_row(const dp_gen *g, const dp_value *in, uint64_t row, const void *rowkey,
		     size_t rowkeylen, dp_batch *b, dp_value *out, dp_errbuf *eb) DP_MUSTCHECK;

/* Does g draw from the row (see dp_gen_apply_row)? The pipeline builds the
 * row key only for tables with such a generator. */
int dp_gen_wants_row_key(const dp_gen *g);

/* mask:textpii: the free-text scanner, else NULL (the pipeline runs it on
 * default_textpii_parallel_jobs threads in default_textpii_scan_batch_size
 * row batches instead of value by value). */
struct dp_textpii;
const struct dp_textpii *dp_gen_textpii(const dp_gen *g);

/* Names of mock kinds, NULL-terminated (for docs, errors, `doppel settings`). */
const char *const *dp_mock_kinds(void);
/* Names of mask functions, NULL-terminated. */
const char *const *dp_mask_fns(void);

#endif
