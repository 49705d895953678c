/* connectors/schema.h - engine-neutral description of a database schema.
 *
 * Filled by each connector's introspect entry, read by the engine's planner
 * and by target schema creation. Everything is owned by the dp_schema and
 * freed by dp_schema_free(); callers never free parts.
 */
#ifndef DP_SCHEMA_H
#define DP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include "../base/dp_err.h"

/* Engine-neutral type class of a column; drives generators and mapping. */
typedef enum dp_tclass {
	DP_T_UNKNOWN = 0,
	DP_T_INTEGER,   /* any integer width */
	DP_T_REAL,      /* float/double */
	DP_T_NUMERIC,   /* exact decimal (numeric(p,s)); travels as TEXT */
	DP_T_TEXT,      /* char/varchar/text */
	DP_T_BLOB,
	DP_T_BOOL,
	DP_T_DATE,      /* travels as TEXT 'YYYY-MM-DD' */
	DP_T_TIME,
	DP_T_TIMESTAMP, /* travels as TEXT 'YYYY-MM-DD HH:MM:SS[.ffffff][+tz]' */
	DP_T_UUID,
	DP_T_JSON
} dp_tclass;

const char *dp_tclass_name(dp_tclass t);

typedef struct dp_column {
	char *name;
	char *type_decl;     /* declared type as the source spells it */
	char *base_decl;     /* a domain's (or another named type's) base type, as
	                        the source spells it: what other engines map; NULL
	                        when type_decl is the base type */
	dp_tclass tclass;
	int length;          /* varchar(n)/char(n) length, 0 = unbounded */
	int precision, scale;/* numeric(p,s); 0 = unspecified */
	int notnull;
	int pk_pos;          /* 1-based position in the primary key, 0 = not in PK */
	int is_identity;     /* auto-increment / identity / serial */
	int is_unique;       /* part of a single-column unique constraint/index */
	char *default_expr;  /* may be NULL */
	/* GENERATED ALWAYS AS (generated) [STORED]: computed by the database,
	 * never written as a value; NULL = an ordinary column */
	char *generated;
	int generated_stored;/* 1 STORED, 0 VIRTUAL (MySQL) */
	char *user_type;     /* PostgreSQL composite type's name (values are its text
	                        form); NULL otherwise */
	/* set by the engine's PII value scan (static strings), not by drivers */
	const char *pii_kind;
	const char *pii_rule;
	double pii_conf;
	int free_text;       /* value scan: free text (PII may hide inside) */
	int name_key;        /* value scan: a text key made from the row's person's
	                        name ("smithjo01"): a key that is PII */
} dp_column;

typedef enum dp_fk_action {
	DP_FK_NO_ACTION = 0, DP_FK_RESTRICT, DP_FK_CASCADE, DP_FK_SET_NULL, DP_FK_SET_DEFAULT
} dp_fk_action;

typedef struct dp_fk {
	char *name;          /* may be NULL (SQLite unnamed FKs) */
	size_t ncols;
	char **cols;         /* referencing columns, in this table */
	char *ref_table;
	char **ref_cols;     /* referenced columns (PK or unique), same count */
	dp_fk_action on_delete, on_update;
	int deferrable;
	int is_virtual;      /* declared in the engine file, not in the DB */
} dp_fk;

typedef struct dp_index {
	char *name;
	int unique;
	size_t ncols;
	char **cols;         /* plain column names; expression indexes: NULL cols, sql set */
	char *sql;           /* original DDL when same-engine recreation is exact; may be NULL */
} dp_index;

typedef struct dp_table {
	char *name;
	char *schema;        /* namespace (PG schema, MySQL db); may be NULL */
	size_t ncols;
	dp_column *cols;
	size_t npk;
	size_t *pk;          /* column indexes of the PK, in key order */
	size_t nfks;
	dp_fk *fks;
	size_t nidx;
	dp_index *idx;       /* non-PK indexes and unique constraints */
	size_t nchecks;
	char **checks;       /* CHECK expressions as text */
	int64_t row_estimate;/* -1 = unknown */
	char *create_sql;    /* original CREATE TABLE when available; may be NULL */
	int without_rowid;   /* SQLite WITHOUT ROWID */
} dp_table;

/* A schema object beside the tables, carried to a target of the same engine
 * as the source's own DDL (what pg_dump / mysqldump would emit), in the
 * phase its kind needs. A target of another engine carries none of them:
 * the plan lists each as not carried (never dropped silently). */
typedef enum dp_obj_kind {
	DP_OBJ_TYPE = 1,     /* enum, domain, composite type: before the tables */
	DP_OBJ_SEQUENCE,     /* standalone sequence, with its current value */
	DP_OBJ_FUNCTION,     /* function or procedure */
	DP_OBJ_VIEW,
	DP_OBJ_MATVIEW,      /* created after the load, so it holds the target's rows */
	DP_OBJ_TRIGGER,      /* after the load: it must not fire while rows are copied */
	DP_OBJ_COMMENT,      /* table and column comments */
	DP_OBJ_POLICY,       /* row-level security; only with copy_grants */
	DP_OBJ_GRANT,        /* privileges; only with copy_grants */
	DP_OBJ_PARTITION,    /* a table's partitioning */
	DP_OBJ_OTHER         /* an object the driver lists but cannot carry */
} dp_obj_kind;

const char *dp_obj_kind_name(dp_obj_kind k);

/* When an object is created in the target. */
typedef enum dp_obj_phase {
	DP_OBJ_BEFORE_TABLES = 1,  /* types the tables' columns use */
	DP_OBJ_AFTER_DATA = 2      /* after the load, indexes and FKs, before the swap */
} dp_obj_phase;

typedef struct dp_object {
	dp_obj_kind kind;
	dp_obj_phase phase;
	char *name;          /* qualified as the plan shows it ("public.active_customers") */
	char *table;         /* the table it belongs to (trigger, comment), or NULL */
	char *ddl;           /* one or more statements in the source's dialect; NULL for
	                        DP_OBJ_OTHER, and for a part that travels inside its
	                        table's own CREATE TABLE (MariaDB comments and
	                        partitioning): carried exactly when the target is
	                        the source's engine, nothing to create */
	char *note;          /* why it is not carried (DP_OBJ_OTHER), or NULL */
} dp_object;

typedef struct dp_schema {
	size_t ntables;
	dp_table *tables;
	char *engine;        /* connector name that produced it ("sqlite") */
	size_t nobjects;
	dp_object *objects;  /* in creation order (dependencies first) */
} dp_schema;

/* Free everything. NULL is fine. */
void dp_schema_free(dp_schema *s);

/* Lookup helpers; NULL / -1 when absent. Names compare exactly, then
 * case-insensitively when exactly one case-insensitive match exists. */
dp_table *dp_schema_table(const dp_schema *s, const char *name);
long dp_table_col_index(const dp_table *t, const char *name);

/* Builder helpers used by connectors (they abort nothing; return DP_ERR_NOMEM). */
int dp_schema_add_table(dp_schema *s, const char *name, dp_table **out) DP_MUSTCHECK;
int dp_table_add_column(dp_table *t, const char *name, const char *type_decl,
			dp_column **out) DP_MUSTCHECK;
int dp_table_add_fk(dp_table *t, const char *name, const char *ref_table, size_t ncols,
		    const char *const *cols, const char *const *ref_cols, dp_fk **out) DP_MUSTCHECK;
int dp_table_add_index(dp_table *t, const char *name, int unique, size_t ncols,
		       const char *const *cols, const char *sql) DP_MUSTCHECK;
/* Append an object (strings copied; ddl/table/note may be NULL). */
int dp_schema_add_object(dp_schema *s, dp_obj_kind kind, dp_obj_phase phase, const char *name,
			 const char *table, const char *ddl, const char *note) DP_MUSTCHECK;
/* Recompute t->pk / npk from columns' pk_pos. */
int dp_table_finish_pk(dp_table *t) DP_MUSTCHECK;

/* Classify a declared SQL type into a dp_tclass (+length/precision/scale),
 * using the usual affinity rules (INT -> integer, CHAR/CLOB/TEXT -> text, ...). */
void dp_classify_type(const char *decl, dp_column *col);

#endif
