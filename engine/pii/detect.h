/* engine/pii/detect.h - PII detection for columns.
 *
 * Column-name rules in several languages map a column to a mock kind with a
 * confidence. Value-pattern and dictionary detectors (issue: PII scan) plug
 * in behind the same call.
 */
#ifndef DP_PII_DETECT_H
#define DP_PII_DETECT_H

#include "../../connectors/schema.h"
#include "../config/config.h"

typedef struct dp_pii_hit {
	const char *kind;     /* mock kind ("email", "first_name", ...); static */
	double confidence;    /* 0..1 */
	const char *rule;     /* which rule matched; static, for plans and logs */
	int quasi;            /* 1: a quasi-identifier (dp_pii_detect_quasi) */
} dp_pii_hit;

/* Decide whether `col` of `table` holds PII from its name and type.
 * Returns 1 and fills *hit when the best rule reaches st->threshold and
 * name rules are enabled, else 0. Key columns (PK/FK) are never flagged:
 * keys are handled by key_generation_method. `is_fk` says the column is part
 * of a foreign key. */
int dp_pii_detect_column(const char *table, const dp_column *col, int is_fk,
			 const dp_pii_settings *st, dp_pii_hit *hit);

/* Detections that are no PII verdict (yet), by column name: quasi-
 * identifiers (gender, sex, geslacht, Geschlecht, sexe, ...: hit->quasi = 1;
 * DE_IDENTIFY leaves them, the MOCK presets mask them) and PII in numeric
 * columns that needs a row-aware mock the plan does not pick yet
 * (birth_year / birth_month / birth_day in INTEGER, latitude / longitude in
 * REAL or NUMERIC: use generator "mock:<hit->kind>"). 1 and *hit when so. */
int dp_pii_detect_extra(const char *table, const dp_column *col, dp_pii_hit *hit);

/* The column name says the column holds dates of events (hire_date,
 * valid_from, order_date, shipped_at, ...) and no birth word: its values are
 * never taken for birth dates. */
int dp_pii_name_is_event_date(const char *name);

/* The verdict on column ci of t after dp_pii_scan_table: the column-name
 * rule, or the value scan when it is surer (never for key columns).
 * Returns 0 (not PII), 1 (by name) or 2 (by values) and fills *hit. The
 * one rule the plan and `doppel inspect --pii` share. */
int dp_pii_verdict(const dp_table *t, size_t ci, const dp_pii_settings *st, dp_pii_hit *hit);

/* Value detectors: patterns with validators (e-mail, phone, IBAN mod 97,
 * Luhn cards, SSN/BSN/Steuer-ID/NIR, IPv4/IPv6, URL, UUID, birth dates,
 * postcodes). Birth dates by values need the spread of ages of living
 * people: at least 15 distinct years, the middle half at least 10 years
 * wide, the median between 15 and 95 years ago, few dates in the last five
 * years or the future; sentinels (9999-12-31, 1900-01-01, 1970-01-01,
 * 0001-01-01) are not counted and first/last-name dictionaries of every locale. Feed sampled
 * values one by one, then ask for the verdict. */
typedef struct dp_pii_sampler dp_pii_sampler;
dp_pii_sampler *dp_pii_sampler_new(const dp_pii_settings *st);
void dp_pii_sampler_free(dp_pii_sampler *s);
/* The column holds dates: only birth dates can be detected in it. */
void dp_pii_sampler_dates_only(dp_pii_sampler *s);
/* The column's name says it holds event dates: no birth-date verdict. */
void dp_pii_sampler_not_birth(dp_pii_sampler *s);
void dp_pii_sampler_add(dp_pii_sampler *s, const char *v, size_t len);
/* The kind most sampled values match, when that share reaches the
 * threshold (and at least 5 values were seen). */
int dp_pii_sampler_result(const dp_pii_sampler *s, dp_pii_hit *hit);
size_t dp_pii_sampler_count(const dp_pii_sampler *s);
/* The sampled values are free text (on average 5 words or 40 characters,
 * blank padding not counted, and at least 2 words with letters): PII may
 * hide inside them (mask:textpii). Single tokens - codes, hashes, padded
 * char(N) - are not. */
int dp_pii_sampler_free_text(const dp_pii_sampler *s);

/* Sample up to st->sample_rows rows of table t through driver/session and
 * run the value detectors on its text columns (keys excluded). Annotates
 * t->cols[i].pii_kind/pii_conf/pii_rule. When examples is not NULL it gets,
 * per column, two sampled values masked ("j******e"), 48 bytes each. */
struct dp_connector;
struct dp_conn;
int dp_pii_scan_table(const struct dp_connector *drv, struct dp_conn *c, dp_table *t,
		      const dp_pii_settings *st, char (*examples)[2][48], dp_errbuf *eb);

#endif
