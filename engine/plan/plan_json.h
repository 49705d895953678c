/* engine/plan/plan_json.h - the plan as plain data: JSON out, JSON back in.
 *
 * `doppel plan --json` prints a plan with dp_plan_to_json; a worker (later:
 * on another machine) reads it back with dp_plan_from_json against its own
 * view of the source schema and gets an equivalent dp_plan: every table's
 * mode and why, settings reference, each column's action, generator,
 * key domain, deferred and null_unsel flags, SYNTHESIZE roles and PII
 * confidence; the load order, key domains, immediate_fk, seed, SYNTHESIZE
 * order, subset rules and row estimates.
 *
 * Only decisions travel. Run-time state (key maps, permutations, shuffles,
 * largest keys, survivor counts, the name book) is never written: the
 * pipeline fills it in its own structures.
 *
 * The document carries a format version and the fingerprint of the schema
 * it was made for (tables in schema order; each column's name, declared
 * type, type class, nullability, key position; each FK, virtual ones
 * included). A plan read against another schema is refused naming the JSON
 * path and the table.column that differs. Every other refusal names its
 * JSON path too and never quotes a value from the document (a generator's
 * constant or a subset clause may hold data).
 */
#ifndef DP_PLAN_JSON_H
#define DP_PLAN_JSON_H

#include <stddef.h>
#include "plan.h"
#include "../../base/dp_buf.h"

/* "format" and "version" of the document; a reader refuses any other. */
#define DP_PLAN_JSON_FORMAT "doppel-plan"
#define DP_PLAN_JSON_VERSION 1
/* Largest plan document read (a plan of 10k tables of 100 columns is about
 * 100 MiB; one far above that is no plan). */
#define DP_PLAN_JSON_MAX ((size_t)256 << 20)

/* Append the plan as a JSON document (pretty-printed, one stable layout:
 * the same plan always gives the same bytes) to `out`. DP_OK, DP_ERR_NOMEM. */
int dp_plan_to_json(const dp_plan *p, dp_buf *out, dp_errbuf *eb) DP_MUSTCHECK;

/* Read a plan document (`n` bytes of `json`) made for `cfg` (borrowed, as by
 * dp_plan_build: kept alive as long as the plan) against `schema`, the
 * source's introspected schema (borrowed, mutable: the engine file's virtual
 * FKs are added to it unless they are there already, as dp_plan_build
 * adds them). Generators are compiled again through dp_gen_new with the
 * document's spec, value, consistent flag and locale.
 *
 * Refusals: DP_ERR_CONFIG for a document that is not valid JSON (line and
 * column), of another format or version, with a missing, unknown or
 * ill-typed field, an unknown mode/action/role/method/generator, an index
 * out of range, a load order that breaks an FK, or a settings or subset
 * reference the engine file no longer matches; DP_ERR_SCHEMA when the
 * fingerprint differs from `schema`. *out (freed with dp_plan_free; every
 * string it holds goes with it) is NULL on failure. */
int dp_plan_from_json(const char *json, size_t n, const dp_job_cfg *cfg, dp_schema *schema,
		      dp_plan **out, dp_errbuf *eb) DP_MUSTCHECK;

#endif
