/* connectors/typemap.h - column types across engines, in one place.
 *
 * Within one engine a column keeps its declared type verbatim. Across
 * engines the declared type is rebuilt from the column's family (its
 * source engine's spelling: smallint, real, enum(...), ...) by one table of
 * rules (typemap.c, listed by dp_typemap_rules and in README.md). A column
 * the target cannot hold without losing data is an error before any row is
 * written, naming table, column and both types.
 */
#ifndef DP_TYPEMAP_H
#define DP_TYPEMAP_H

#include "../base/dp_buf.h"
#include "../base/dp_err.h"
#include <stdint.h>
#include "schema.h"

/* Append the target declaration of `col` (of table `table`, from engine
 * `src_engine`) for engine `tgt_engine` ("sqlite", "postgresql", "mysql").
 * `in_key`: 0 = the column is in no key, index or FK; > 0 = it is. Into
 * MySQL (bounded key types) in_key is also the characters the column may
 * take in its widest key (dp_typemap_key_chars), 1 meaning a whole key
 * (768 characters). DP_ERR_CONFIG (exit 2, like any plan error) when it
 * cannot be represented exactly; the message names table.column and both
 * types. */
int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb) DP_MUSTCHECK;

/* The CHECK constraint a cross-engine column needs to keep its meaning
 * (MySQL ENUM and SET labels), appended to out as "CHECK (...)" with the
 * column quoted by `quote`; nothing for other columns. DP_OK or
 * DP_ERR_NOMEM. */
int dp_typemap_check(const dp_column *col, const char *src_engine, const char *tgt_engine,
		     char quote, dp_buf *out) DP_MUSTCHECK;

/* What the plan states about a cross-engine column whose meaning changes
 * form (arrays as text, zoned times in UTC, ...): a static string, or NULL. */
const char *dp_typemap_note(const dp_column *col, const char *src_engine, const char *tgt_engine);

/* Characters a text column `ci` of t may take in a MySQL key: 0 when it
 * is in no key, index or FK; otherwise its share of InnoDB's 3072-byte key
 * (4 bytes a utf8mb4 character), the smallest over its keys: columns whose
 * declared length is below an equal share keep it, the others share the
 * rest equally. -1 when a key cannot fit at all (the fixed-width columns
 * alone, or one character per text column, exceed 3072 bytes). */
int dp_typemap_key_chars(const dp_table *t, size_t ci, const char *src_engine);

/* One rule of the cross-engine mapping: the family, its spellings in each
 * source engine (postgresql, mysql, sqlite; NULL: none), the declaration
 * template in each target ("(n)" length, "(p,s)" precision and scale,
 * " + ..." what dp_typemap_check adds, "refused"), and what the mapping
 * keeps. README.md's tables are generated from these (test_typemap). */
typedef struct dp_typemap_rule {
	const char *family;
	const char *src[3];
	const char *tgt[3];
	const char *note;
} dp_typemap_rule;

/* The rules, in README order; *out points at static data. */
size_t dp_typemap_rules(const dp_typemap_rule **out);
/* The rule col falls under when read from src_engine. */
const dp_typemap_rule *dp_typemap_rule_of(const dp_column *col, const char *src_engine);

/* Zoned time types (timestamptz, timetz, "... with time zone"). */
int dp_type_is_zoned(const dp_column *col);
/* MySQL BIGINT UNSIGNED: 0 .. 2^64-1, an exact decimal elsewhere. */
int dp_type_is_unsigned_bigint(const dp_column *col);
/* An exact decimal of src_engine (numeric, DECIMAL, money, BIGINT
 * UNSIGNED): written to SQLite as INTEGER/REAL/TEXT, whichever is exact. */
int dp_type_is_decimal(const dp_column *col, const char *src_engine);
/* Bytes of src_engine (BLOB, bytea, MySQL BIT and geometry): written as a
 * blob even when the reader delivered text. */
int dp_type_is_bytes(const dp_column *col, const char *src_engine);
/* A MySQL TIMESTAMP column (an instant, read as UTC: dp_sql_read). */
int dp_type_is_mysql_timestamp(const dp_column *col);

/* ---- value rules the writers apply (see typemap.c for why) ---- */

/* 1 when the decimal literal s (n bytes) has at most int_digits digits
 * before the point and frac_digits after it (leading zeros of the integer
 * part and trailing zeros of the fraction not counted): it fits a
 * DECIMAL(int_digits + frac_digits, frac_digits) without rounding. 0 when it
 * does not, or is no decimal literal (NaN, Infinity, garbage). */
int dp_decimal_fits(const char *s, size_t n, int int_digits, int frac_digits);

/* How SQLite stores the exact decimal s exactly: 1 = as INTEGER *iv, 2 = as
 * REAL *dv (at most 15 significant digits), 0 = as TEXT (the text itself). */
int dp_decimal_storage(const char *s, size_t n, int64_t *iv, double *dv);

/* Convert the zoned timestamp ("YYYY-MM-DD HH:MM:SS[.f]+HH[:MM[:SS]]", 'Z'
 * too) or, with is_time, time of day ("HH:MM:SS[.f]+HH") s to UTC without
 * its offset, into out (NUL-terminated). Returns the length written; 0 when
 * s has no offset (use it as it is); -1 when s is no such value or the
 * result is outside years 1..9999 (infinity, BC dates). */
int dp_time_to_utc(const char *s, size_t n, int is_time, char *out, size_t outsz);

#endif
