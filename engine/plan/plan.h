/* engine/plan/plan.h - what a job will do, decided before any row moves.
 *
 * The plan resolves each table's mode (engine file, else the
 * initialization_mode preset), each column's action (copy, generator, key
 * mapping, deferred FK), the load order and cycle handling, and validates
 * everything that can be validated without touching the target: unknown
 * tables/columns in the engine file, generators that cannot produce a
 * column's type, modes not available, NOT NULL cycles under immediate FK
 * enforcement. `doppel plan` prints it; the pipeline executes it.
 */
#ifndef DP_PLAN_H
#define DP_PLAN_H

#include <stdatomic.h>
#include <stdio.h>
#include "../config/config.h"
#include "graph.h"
#include "../gen/generators.h"
#include "../gen/keys.h"

typedef enum dp_col_action {
	DP_COL_COPY = 0,     /* value copied as is */
	DP_COL_GEN,          /* through a generator */
	DP_COL_KEY,          /* rewritten through a key mapping */
	DP_COL_OMIT,         /* not written: generated/computed column */
	DP_COL_SYNTH         /* SYNTHESIZE table: drawn by the table's model, or a
	                        key it generates (see dp_syn_role) */
} dp_col_action;

/* What a DP_COL_SYNTH column is. */
typedef enum dp_syn_role {
	DP_SR_MODEL = 0,     /* modelled value */
	DP_SR_PK,            /* own integer key: 1..N in generation order */
	DP_SR_SEQ_FK,        /* the key of the parent row the row is generated for */
	DP_SR_REF_FK,        /* FK to another SYNTHESIZE table: one of its generated keys */
	DP_SR_SELF_FK,       /* FK to its own table: a key generated before this row */
	DP_SR_FK_VALUE,      /* FK to a copied table: modelled as a category of the
	                        source keys, then mapped like every FK of that key */
	DP_SR_POS            /* key part beside the sequence FK (order_id, line_no):
	                        the row's position under its parent, 1-based */
} dp_syn_role;

/* A key domain: one table's own integer key column whose values are
 * regenerated; FK columns anywhere refer to it. */
typedef struct dp_plan_key {
	size_t table;        /* schema table index */
	size_t col;          /* column index in that table */
	dp_keygen method;    /* GENERATE or HASH (the mapping itself is run-time
	                        state: engine/run/run.h dp_key_run) */
} dp_plan_key;

typedef struct dp_plan_col {
	dp_col_action action;
	dp_gen *gen;         /* DP_COL_GEN; owned */
	long key;            /* DP_COL_KEY: index into plan->keys */
	int pii;             /* GEN through mock:/mask: - verified not to leak */
	int deferred;        /* in a broken cycle FK: loaded NULL, then UPDATEd */
	int null_unsel;      /* subset: NULL when the referenced row is not kept */
	const char *why;     /* static text: "engine file", "PII: column name", ... */
	dp_syn_role srole;   /* DP_COL_SYNTH */
	long ref;            /* DP_SR_SEQ_FK / DP_SR_REF_FK: plan index of the parent */
	const char *kind;    /* DP_SR_MODEL: engine-file kind override, or NULL */
	double confidence;   /* PII detection confidence, 0 if n/a */
} dp_plan_col;

typedef struct dp_plan_table {
	size_t ti;                   /* schema table index */
	const dp_table *t;           /* source definition (owned by the schema) */
	dp_mode mode;
	const char *mode_why;        /* "engine file" / "initialization_mode X" */
	const dp_settings *st;       /* effective settings (table or engine) */
	dp_plan_col *cols;           /* t->ncols entries */
	int has_deferred;            /* some column deferred */
	int64_t est_rows;
	/* subsetting: a filtered table receives only the rows the subset
	 * closure selects (SUBSET tables, and every table that references a
	 * filtered table, directly or not) */
	int filtered;
	const dp_subset_cfg *sub;    /* SUBSET rule of this table, NULL if none */
	/* SYNTHESIZE */
	long seq_parent;             /* plan index of the parent whose rows it is
	                                generated for (sequence), -1 = a root */
	size_t seq_col;              /* the FK column to that parent */
	int pk_from_fks;             /* composite key made of FK columns: a row
	                                repeating a key of its parent is redrawn */
	int64_t target_rows;         /* roots: rows to generate, -1 = as the source */
	double scale;                /* roots: multiple of the source rows, <= 0 unset */
} dp_plan_table;

/* A schema object of the source (connectors/schema.h) and whether the
 * target carries it. */
typedef struct dp_plan_object {
	const dp_object *o;          /* owned by the schema */
	int carried;
	const char *why;             /* not carried: static text, or o->note */
} dp_plan_object;

typedef struct dp_plan {
	const dp_job_cfg *cfg;       /* borrowed */
	dp_schema *schema;           /* borrowed (virtual FKs were added to it) */
	dp_graph *graph;
	size_t ntables;
	dp_plan_table *tables;       /* in load order */
	size_t nkeys;
	dp_plan_key *keys;
	int immediate_fk;            /* FKs enforced during the load */
	dp_job_key jkey;
	int64_t seed;                /* effective seed */
	const struct dp_namebook *names; /* borrowed: the job's book of names learned
	                                from the source, filled before the load;
	                                the free-text scanners read it */
	size_t nobjects;
	dp_plan_object *objects;     /* the schema's objects, in creation order */
	char *mapping_notes;         /* what the target's type rules and limits decide,
	                                one line each (owned), or NULL */
	size_t nsynth;
	size_t *synth_order;         /* plan indexes of SYNTHESIZE tables, in
	                                generation order: each root after the roots
	                                its tables reference, then its sequences */
} dp_plan;

/* Build a plan. `schema` is the source's introspected schema; virtual FKs of
 * the engine file are added to it (so the caller must own it mutably and
 * keep it alive as long as the plan). `target_caps` are the target
 * connector's capability bits. `seed` is the effective seed (seed_value, or
 * a fresh one when use_seed is false). */
int dp_plan_build(const dp_job_cfg *cfg, dp_schema *schema, unsigned target_caps,
		  int64_t seed, const struct dp_namebook *names, dp_plan **out,
		  dp_errbuf *eb) DP_MUSTCHECK;
void dp_plan_free(dp_plan *p);
/* Decide which of the schema's objects (views, triggers, sequences, ...)
 * the target driver carries; the others are listed by the plan, never
 * dropped silently. Part of building the plan (call once, before the run). */
int dp_plan_objects(dp_plan *p, const dp_connector *target, dp_errbuf *eb) DP_MUSTCHECK;

/* Human-readable plan (what `doppel plan` prints). */
void dp_plan_print(const dp_plan *p, FILE *out);
/* ... without the row estimates (they move with the server's statistics:
 * the job's fingerprint leaves them out) */
#define DP_PLAN_PRINT_NO_ROWS 1u
void dp_plan_print_ex(const dp_plan *p, FILE *out, unsigned flags);

/* Index into p->keys of the key domain column `col` of schema table `ti`
 * refers to (its own key or, through FKs, a parent's), or -1. */
long dp_plan_key_of(const dp_plan *p, size_t ti, size_t col);

#endif
