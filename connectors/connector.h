/* connectors/connector.h - the driver interface.
 *
 * One const table per database engine (name, capability bits, then entries).
 * The engine calls drivers only through this table and tests capability bits,
 * never NULL pointers: every entry of a registered driver is non-NULL; an
 * entry a driver cannot honour returns DP_ERR_UNSUPPORTED with a message.
 *
 * Every entry takes the driver's private state (dp_conn *, an opaque handle
 * defined in the driver's .c file) first.
 *
 * Roles: a SOURCE session is read-only for its whole life (the driver sets
 * the engine's read-only mode and never issues DML/DDL on it). A TARGET
 * session is where the job writes; it is "finished" with commit or rollback
 * so that a failed job never leaves a target that looks complete.
 */
#ifndef DP_CONNECTOR_H
#define DP_CONNECTOR_H

#include <stddef.h>
#include <stdint.h>
#include "../base/dp_err.h"
#include "../base/dp_value.h"
#include "../base/dp_buf.h"
#include "schema.h"

/* ---- connection description (filled by settings/, never logged raw) ---- */

typedef struct dp_ssh_cfg {
	int enabled;
	char *host;
	int port;
	char *username;
	char *password;              /* secret */
	char *private_key_file;
	char *private_key_password;  /* secret */
	char *known_hosts_file;
	char *host_key_fingerprint;  /* "SHA256:..." pin, may be NULL */
	char *local_host;
	int local_port;
} dp_ssh_cfg;

typedef enum dp_ssl_mode {
	DP_SSL_DEFAULT = 0,  /* verify-full when a CA is given, else driver default */
	DP_SSL_DISABLE, DP_SSL_REQUIRE, DP_SSL_VERIFY_CA, DP_SSL_VERIFY_FULL
} dp_ssl_mode;

typedef struct dp_ssl_cfg {
	dp_ssl_mode mode;
	char *ca_filename, *cert_filename, *key_filename;
} dp_ssl_cfg;

#define DP_DEFAULT_LOCK_TIMEOUT 60

typedef struct dp_conn_cfg {
	char *connector_type;   /* "sqlite", "postgresql", "mysql", "odbc", "mssql" */
	char *protocol;         /* SQLAlchemy-style spelling as given, may be NULL */
	char *host;
	int port;               /* 0 = driver default */
	char *tls_server_name;  /* set by the session-open path when host:port is
	                           an SSH tunnel's local end: the real database
	                           host, the name TLS must verify the server
	                           certificate against (NULL: host) */
	char *database;         /* SQLite: file path */
	char *username;
	char *password;         /* secret, resolved from password/_env/_file */
	char *schema_name;
	char *dsn, *connection_string; /* ODBC */
	char *kerberos_principal;
	int lock_timeout;       /* target: seconds a statement waits for a lock,
	                           0 = DP_DEFAULT_LOCK_TIMEOUT */
	int statement_timeout;  /* target: seconds a statement may run, 0 = no limit */
	dp_ssh_cfg ssh;
	dp_ssl_cfg ssl;
} dp_conn_cfg;

/* Free all strings (secrets wiped); leaves *c zeroed. */
void dp_conn_cfg_clear(dp_conn_cfg *c);
/* Deep copy. */
int dp_conn_cfg_copy(dp_conn_cfg *dst, const dp_conn_cfg *src) DP_MUSTCHECK;
/* One-line description for logs and plans: never contains a secret. */
void dp_conn_cfg_describe(const dp_conn_cfg *c, char *out, size_t outsz);

/* ---- the interface ---- */

typedef struct dp_conn dp_conn;      /* driver private session */
typedef struct dp_reader dp_reader;  /* driver private row stream */
typedef struct dp_writer dp_writer;  /* driver private bulk loader */

typedef enum dp_role { DP_ROLE_SOURCE = 1, DP_ROLE_TARGET = 2 } dp_role;

/* Capability bits. */
#define DP_CAP_SOURCE          (1u << 0)
#define DP_CAP_TARGET          (1u << 1)
/* snapshot_export/import share one consistent view across sessions */
#define DP_CAP_SHARED_SNAPSHOT (1u << 2)
/* (1u << 3) was "several target sessions may write concurrently", never set
 * by a driver: the engine writes every target through one session, the one
 * that owns the staging area. Parallel writers come with per-worker target
 * sessions joining that area (issue 14), not with a capability bit. */
/* FK checks can be deferred to the end of the load (or FKs added post-data) */
#define DP_CAP_DEFER_FK        (1u << 4)
/* the whole target is swapped in atomically at finish(commit) */
#define DP_CAP_ATOMIC_TARGET   (1u << 5)

/* What to read. */
typedef struct dp_read_spec {
	const dp_table *table;      /* columns are read in table->cols order */
	const char *where;          /* raw SQL predicate, run only on a read-only
	                               session; may be NULL */
	const char *const *order_by;/* column names; NULL/0 = primary key order
	                               (rowid for tables without a PK) */
	size_t n_order_by;
	int64_t limit;              /* < 0: no limit (training samples are drawn by the
	                               engine: reservoir sampling over a full read) */
} dp_read_spec;

/* Target schema creation phases (pg_dump's pre-data / post-data). */
typedef enum dp_ddl_phase {
	DP_DDL_TABLE = 1,    /* CREATE TABLE with columns, PK, NOT NULL, defaults
	                        (FKs included only when fks_inline is set) */
	DP_DDL_INDEXES = 2,  /* non-PK indexes and unique constraints */
	DP_DDL_FKS = 3       /* foreign keys (engines that can ALTER TABLE ADD) */
} dp_ddl_phase;

/* How a target's staging area is started (stage_begin). */
typedef struct dp_stage_opts {
	const char *job;          /* the job's name, shown to a second job */
	int resume;               /* adopt a killed job's staging area of the same fingerprint */
	const char *fingerprint;  /* what the job builds (plan, seed, source): 64 hex digits */
} dp_stage_opts;

typedef enum dp_stage_state {
	DP_STAGE_NEW = 0,         /* not in the staging area: create it */
	DP_STAGE_DONE = 1,        /* complete, kept from the killed job */
	DP_STAGE_EMPTY = 2        /* created by the killed job, not complete: emptied */
} dp_stage_state;

/* Name of the progress table inside every staging area (never swapped in). */
#define DP_PROGRESS_TABLE "doppel__progress"

typedef struct dp_connector {
	const char *name;           /* "sqlite" */
	unsigned caps;

	/* Open a session. cfg is only read during the call. A TARGET session
	 * only connects: nothing is created or written until stage_begin, so
	 * the engine can compare identities first. A target must name its
	 * database explicitly (DP_ERR_CONFIG otherwise). */
	int (*open)(const dp_conn_cfg *cfg, dp_role role, dp_conn **out, dp_errbuf *eb);
	/* Where this session's tables live, as a string: equal strings mean the
	 * same tables on the same server, however the connection was spelled
	 * (PostgreSQL: server instance + database + schema; MySQL: server uuid
	 * or host/port/datadir + database; SQLite: device + inode). Appends to
	 * out. */
	int (*identity)(dp_conn *c, dp_buf *out, dp_errbuf *eb);
	/* Target: take the target's exclusive lock (a second job refuses at
	 * once with DP_ERR_REFUSED naming the job that holds it), and start
	 * this job's staging area: with o->resume, the one a killed job with
	 * the same fingerprint left (its complete tables are kept, see
	 * stage_state), else a new one; every other leftover staging area of
	 * the target is removed. For a DP_CAP_ATOMIC_TARGET driver, writes go to
	 * the staging area that finish(commit=1) swaps in. */
	int (*stage_begin)(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb);
	/* Target: record in the staging area, durably, that table t is
	 * complete with `rows` rows (everything written so far is committed
	 * there). A killed job's marked tables are what --resume keeps. */
	int (*stage_mark)(dp_conn *c, const dp_table *t, int64_t rows, dp_errbuf *eb);
	/* Target, after stage_begin: where t stands in an adopted staging area.
	 * DP_STAGE_DONE and DP_STAGE_EMPTY tables are the session's own (not
	 * to be created again); *rows is set for DP_STAGE_DONE. */
	dp_stage_state (*stage_state)(dp_conn *c, const dp_table *t, int64_t *rows);
	/* Target, before stage_begin: append to `out` the staging areas that
	 * runs which did not finish left on this target ("; "-separated), for
	 * `doppel plan`. Reads only. */
	int (*stage_leftovers)(dp_conn *c, dp_buf *out, dp_errbuf *eb);
	/* Interrupt the statement this session is running, from any thread (a
	 * signal's watcher): the blocked call returns an error soon after. */
	void (*cancel)(dp_conn *c);
	/* Target only: make the load durable and visible (commit=1) or discard
	 * everything written by this session (commit=0). Source: no-op. When
	 * commit=1 fails, the previous target is left as it was, except for
	 * DP_ERR_IO: the outcome is unknown (connection lost during the swap). */
	int (*finish)(dp_conn *c, int commit, dp_errbuf *eb);
	/* Close and free; rolls back anything not finished. NULL is fine. */
	void (*close)(dp_conn *c);

	/* Read the schema (tables of cfg->schema_name or the default one). The
	 * caller frees *out with dp_schema_free. */
	int (*introspect)(dp_conn *c, dp_schema **out, dp_errbuf *eb);
	/* Exact row count of a table (for verification and summaries). */
	int (*count_rows)(dp_conn *c, const dp_table *t, int64_t *out, dp_errbuf *eb);

	/* Source: start the job's consistent read view on this (leader) session
	 * and return a token other sessions can import (malloc'd, caller frees;
	 * NULL when the driver shares by other means). */
	int (*snapshot_export)(dp_conn *c, char **token, dp_errbuf *eb);
	/* Source: join the leader's view (DP_CAP_SHARED_SNAPSHOT only). */
	int (*snapshot_import)(dp_conn *c, const char *token, dp_errbuf *eb);

	/* Stream rows of spec into caller-provided batches. */
	int (*read_open)(dp_conn *c, const dp_read_spec *spec, dp_reader **out, dp_errbuf *eb);
	/* Fill b (reset by the caller) with up to dp_batch_cap(b) rows. Sets *eof
	 * when the stream is exhausted (b may still hold rows). */
	int (*read_next)(dp_reader *r, dp_batch *b, int *eof, dp_errbuf *eb);
	void (*read_close)(dp_reader *r);

	/* Target: create one table (phase TABLE), or its indexes, or its FKs.
	 * `src_engine` names the engine the definition came from so type
	 * declarations can be mapped. Drops an existing table of that name first
	 * (phase TABLE only). */
	int (*create)(dp_conn *c, const dp_table *t, dp_ddl_phase phase,
		      const char *src_engine, dp_errbuf *eb);
	/* Target: create schema object o (connectors/schema.h) that a source of
	 * engine `src_engine` described, in the staging area. A driver returns
	 * DP_ERR_UNSUPPORTED for an object it cannot carry (another engine's
	 * DDL, a kind it does not know); the engine lists those in the plan
	 * before anything is written. NULL: the driver carries no objects. */
	int (*create_object)(dp_conn *c, const dp_object *o, const char *src_engine, dp_errbuf *eb);
	/* Can create_object carry o from src_engine (no session: plan time)? */
	int (*can_carry)(const dp_object *o, const char *src_engine);
	/* Target: empty a table. */
	int (*truncate)(dp_conn *c, const dp_table *t, dp_errbuf *eb);

	/* Target: bulk load rows of table t, column order = t->cols. `fast`
	 * selects the engine's bulk path (default_fast_executemany); otherwise one
	 * statement per row so an error names the exact row. */
	int (*write_open)(dp_conn *c, const dp_table *t, int fast, dp_writer **out, dp_errbuf *eb);
	int (*write_batch)(dp_writer *w, const dp_batch *b, dp_errbuf *eb);
	/* Flush and free. commit=0 abandons pending rows. */
	int (*write_close)(dp_writer *w, int commit, dp_errbuf *eb);

	/* Target: UPDATE t SET set_cols = vals WHERE key_cols = keys, for each
	 * row of b (b's columns: set_cols then key_cols). Used to fill FK columns
	 * loaded NULL to break a cycle. */
	int (*update_rows)(dp_conn *c, const dp_table *t,
			   const char *const *set_cols, size_t nset,
			   const char *const *key_cols, size_t nkey,
			   const dp_batch *b, dp_errbuf *eb);

	/* Target: enforce FKs immediately during the load (on=1) or defer checks
	 * to verification (on=0). */
	int (*set_fk_enforcement)(dp_conn *c, int on, dp_errbuf *eb);
	/* Target: count FK violations over all tables (0 = clean); `detail`
	 * receives a short description of the first violation. */
	int (*fk_violations)(dp_conn *c, int64_t *count, dp_buf *detail, dp_errbuf *eb);
	/* Target: make identity/sequence/AUTOINCREMENT continue after max(key). */
	int (*reset_sequences)(dp_conn *c, const dp_table *t, dp_errbuf *eb);

	/* Quote an identifier / a string literal for this engine, appending to out. */
	int (*quote_ident)(dp_conn *c, const char *ident, dp_buf *out);
	int (*quote_literal)(dp_conn *c, const char *s, size_t len, dp_buf *out);
} dp_connector;

/* Registry: the connector for a connector_type / protocol spelling
 * ("sqlite", "postgresql", "postgresql+psycopg2", "mysql", "mariadb", ...).
 * NULL when unknown. Drivers not built yet are simply not registered. */
const dp_connector *dp_connector_find(const char *type);
/* Comma-separated list of registered names, for error messages. */
const char *dp_connector_names(void);

extern const dp_connector dp_sqlite_connector;
extern const dp_connector dp_pg_connector;
extern const dp_connector dp_mysql_connector;

#endif
