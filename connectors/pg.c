/* connectors/pg.c - the PostgreSQL driver (libpq).
 *
 * Source sessions run in one REPEATABLE READ READ ONLY transaction with
 * default_transaction_read_only on; the leader exports its snapshot and every
 * worker session imports it, so all tables are read from one instant. Rows
 * stream with COPY (SELECT ...) TO STDOUT in text format.
 *
 * Target sessions do everything in one transaction (PostgreSQL DDL is
 * transactional): tables, COPY ... FROM STDIN, indexes, FKs, sequence resets,
 * verification; finish(commit=1) commits, anything else rolls back and the
 * target database is exactly as before. Hence DP_CAP_ATOMIC_TARGET.
 *
 * PostgreSQL to PostgreSQL, the schema travels as pg_dump would carry it:
 * columns keep their domains, enums and collations, constraints and
 * indexes their own definitions, partitioned tables their partitions, and
 * introspection lists the schema objects (types, sequences, routines,
 * views, triggers, comments, policies, grants; what it cannot carry as
 * DP_OBJ_OTHER) which create_object makes in the staging schema and the
 * swap moves into the target schema.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <libpq-fe.h>
#include "connector.h"
#include "dialect.h"
#include "typemap.h"
#include "sqlbuf.h"
#include "sqlfrag.h"
#include "stage_list.h"
#include "../base/dp_log.h"
#include "../base/dp_rng.h"

struct dp_conn {
	PGconn *pg;
	PGcancel *cancel;        /* for pg_cancel from another thread */
	char stage[64];          /* target: the staging schema, "" = none (one transaction) */
	char *target_schema;     /* target with a staging schema: the schema swapped into */
	dp_stage_list kept;      /* adopted staging: complete tables */
	int adopted;             /* target: continuing a killed job's staging schema */
	dp_role role;
	char *schema;            /* namespace used (schema_name or "public") */
	char desc[256];          /* safe description for messages */
	int in_txn;
	int fk_immediate;        /* target: FKs enforced during the load */
	struct dp_writer *copying;/* target: writer whose COPY is open, or NULL */
	const dp_table **made;   /* target: tables created by this session */
	size_t nmade, capmade;
};

struct dp_reader {
	dp_conn *c;
	const dp_table *t;
	int done;
	int started;
};

struct dp_writer {
	dp_conn *c;
	const dp_table *t;
	int fast;
	int copying;
	dp_buf line;
};

/* ---- helpers ---- */

/* A partitioned table read from PostgreSQL carries, in its create_sql,
 * "PARTITION BY <key>" and then lines: "CREATE TABLE ... PARTITION OF",
 * run by a PostgreSQL target after the parent (sub-partitions after their
 * parent); "CREATE [UNIQUE] INDEX", an index of a partition alone, run in
 * the INDEXES phase; "ALTER TABLE <partition> ADD CONSTRAINT", a constraint
 * declared on a partition (FK, CHECK, unique, exclusion), run in the FKS
 * phase; "FOLDED <name>", such an FK's copy among the parent's FKs (the
 * engine's view of the table), which a PostgreSQL target does not create
 * on the parent. Other engines ignore
 * create_sql of another engine's tables. */
#define PG_PARTITION_BY "PARTITION BY "
#define PG_FOLDED "FOLDED "

const dp_dialect dp_pg_dialect = {
	.engine = "postgresql",
	.quote = '"',
	.max_ident_len = 63,             /* NAMEDATALEN - 1 */
	.placeholder = DP_PH_DOLLAR,     /* extended protocol: one statement per request */
	.rowid = NULL,                   /* ctid is no stable order: tables without a key
	                                    are read unordered */
	.identity = DP_IDENTITY_GENERATED,
	.generated = DP_GENERATED_STORED,
	.bounded_key_types = 0,
	.fks_inline = 0,                 /* ALTER TABLE ADD FOREIGN KEY in the FKS phase */
	.checks_inline = 1,
	.fk_set_default = 1,
	.index_names_per_schema = 1,
	.table_options = "",
};

static int quote_ident_buf(const char *s, dp_buf *out)
{
	return dp_quote_ident(out, s, dp_pg_dialect.quote);
}

static int qualified(const dp_conn *c, const char *table, dp_buf *out)
{
	int rc = quote_ident_buf(c->schema, out);
	if (!rc)
		rc = dp_buf_puts(out, ".");
	return rc ? rc : quote_ident_buf(table, out);
}

static int pg_quote_ident(dp_conn *c, const char *ident, dp_buf *out)
{
	return quote_ident_buf(ident, out);
}

static int pg_quote_literal(dp_conn *c, const char *s, size_t len, dp_buf *out)
{
	return dp_quote_literal(out, s, len);
}

/* Values inside a message: `value "<v>" is out of range`, `invalid value
 * "<v>" for "YYYY"`, and the bytes of a value in encoding errors
 * (`0xff 0xfe`): replaced by "..." in place. */
static void redact_values(char *buf)
{
	static const char *const marks[] = { "value \"", NULL };
	char *p;

	for (const char *const *mk = marks; *mk; mk++)
		for (p = buf; (p = strstr(p, *mk)); ) {
			char *v = p + strlen(*mk), *e = strchr(v, '"');
			if (!e)
				break;
			if (e - v != 3 || strncmp(v, "...", 3)) {
				memmove(v + 3, e, strlen(e) + 1);
				memcpy(v, "...", 3);
			}
			p = v + 4;
		}
	for (p = buf; (p = strstr(p, "0x")); ) {
		char *e = p + 2;
		while (isxdigit((unsigned char)*e) || (*e == ' ' && e[1] == '0' && e[2] == 'x' && (e += 2)))
			e++;
		if (e > p + 2) {
			memmove(p + 5, e, strlen(e) + 1);
			memcpy(p, "0x...", 5);
			p += 5;
		} else {
			p += 2;
		}
	}
}

/* The server's primary message, one line. DETAIL and CONTEXT lines are
 * dropped and a value the message ends with (`...: "value"`, as in
 * "invalid input syntax for type integer: "..."") is replaced by "…":
 * both can quote a row's data, and messages never carry source values. */
static const char *pg_msg(PGconn *pg, char *buf, size_t n)
{
	const char *m = PQerrorMessage(pg);
	char *q;
	size_t l;
	snprintf(buf, n, "%s", m ? m : "?");
	buf[strcspn(buf, "\n")] = '\0';
	l = strlen(buf);
	while (l && buf[l - 1] == ' ')
		buf[--l] = '\0';
	if (l >= 4 && buf[l - 1] == '"' && (q = strstr(buf, ": \"")) && strlen(q) > 4)
		snprintf(q, n - (size_t)(q - buf), ": \"...\"");
	redact_values(buf);
	return buf;
}

/* The error class of a failed request: privileges are like credentials
 * (exit 3), a lost connection is I/O, anything else the statement's. */
static int pg_code(PGconn *pg, const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (PQstatus(pg) != CONNECTION_OK)
		return DP_ERR_CONNECT;
	if (st && (!strcmp(st, "42501") || !strncmp(st, "28", 2)))
		return DP_ERR_AUTH;
	return DP_ERR_SQL;
}

/* One statement per request: PQexecParams refuses a string holding more. */
static int exec_ok(dp_conn *c, const char *sql, dp_errbuf *eb)
{
	PGresult *r = PQexecParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	int rc = DP_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char m[700];
		rc = dp_fail(eb, pg_code(c->pg, r), "postgresql %s: %s (in: %.160s)", c->desc,
			     pg_msg(c->pg, m, sizeof(m)), sql);
	}
	PQclear(r);
	return rc;
}

static void conn_free(dp_conn *c)
{
	if (!c)
		return;
	if (c->cancel)
		PQfreeCancel(c->cancel);
	if (c->pg)
		PQfinish(c->pg);
	dp_stage_list_free(&c->kept);
	free(c->target_schema);
	free(c->schema);
	free(c->made);
	free(c);
}

/* ---- sessions ---- */

/* Server NOTICEs (e.g. "table does not exist, skipping") go to the debug
 * log, not to the user's terminal. */
static void on_notice(void *arg, const char *msg)
{
	(void)arg;
	dp_log_debug("postgresql notice: %s", msg);
}

/* search_path = schema, then public (where extensions usually put their
 * types), for the session. One statement, also on a read-only session. */
static int set_search_path(dp_conn *c, const char *schema, dp_errbuf *eb)
{
	dp_buf path = DP_BUF_INIT;
	const char *pv[1];
	PGresult *r;
	int rc = quote_ident_buf(schema, &path);

	if (!rc && strcmp(schema, "public"))
		rc = dp_buf_puts(&path, ", public");
	if (rc) {
		dp_buf_free(&path);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	pv[0] = dp_buf_str(&path);
	r = PQexecParams(c->pg, "SELECT set_config('search_path', $1, false)", 1, NULL, pv, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		char m[700];
		rc = dp_fail(eb, pg_code(c->pg, r), "postgresql %s: %s", c->desc, pg_msg(c->pg, m, sizeof(m)));
	}
	PQclear(r);
	dp_buf_free(&path);
	return rc;
}

static int pg_open(const dp_conn_cfg *cfg, dp_role role, dp_conn **out, dp_errbuf *eb)
{
	const char *kw[16], *val[16];
	char port[16];
	int n = 0, rc;
	dp_conn *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	c->role = role;
	c->schema = dp_strdup(cfg->schema_name ? cfg->schema_name : "public");
	dp_conn_cfg_describe(cfg, c->desc, sizeof(c->desc));
	if (cfg->ssh.enabled) {
		conn_free(c);
		/* dp_session_open starts the tunnel and hands the driver its
		 * local end: a driver never sees an SSH config */
		return dp_fail(eb, DP_ERR_INTERNAL, "%s.hooks_params.SSHTunnel: reached the driver "
			       "(tunnels are opened by the session-open path)",
			       role == DP_ROLE_SOURCE ? "source" : "target");
	}
	/* unset fields fall back to libpq's defaults, PG* variables and ~/.pgpass */
	/* through a tunnel, libpq connects to its local end (hostaddr) and
	 * verifies the certificate against the real host name (host) */
	if (cfg->tls_server_name && cfg->host) {
		kw[n] = "host"; val[n++] = cfg->tls_server_name;
		kw[n] = "hostaddr"; val[n++] = cfg->host;
	} else if (cfg->host) {
		kw[n] = "host"; val[n++] = cfg->host;
	}
	if (cfg->port) {
		snprintf(port, sizeof(port), "%d", cfg->port);
		kw[n] = "port"; val[n++] = port;
	}
	if (cfg->database) { kw[n] = "dbname"; val[n++] = cfg->database; }
	if (cfg->username) { kw[n] = "user"; val[n++] = cfg->username; }
	if (cfg->password) { kw[n] = "password"; val[n++] = cfg->password; }
	kw[n] = "application_name"; val[n++] = "doppel";
	kw[n] = "connect_timeout"; val[n++] = "10";
	if (cfg->ssl.mode) {
		static const char *const modes[] = { "", "disable", "require", "verify-ca", "verify-full" };
		kw[n] = "sslmode"; val[n++] = modes[cfg->ssl.mode];
	} else if (cfg->ssl.ca_filename) {
		kw[n] = "sslmode"; val[n++] = "verify-full";
	}
	if (cfg->ssl.ca_filename) { kw[n] = "sslrootcert"; val[n++] = cfg->ssl.ca_filename; }
	if (cfg->ssl.cert_filename) { kw[n] = "sslcert"; val[n++] = cfg->ssl.cert_filename; }
	if (cfg->ssl.key_filename) { kw[n] = "sslkey"; val[n++] = cfg->ssl.key_filename; }
	kw[n] = NULL;
	val[n] = NULL;
	if (!c->schema) {
		conn_free(c);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (role == DP_ROLE_TARGET && (!cfg->database || !*cfg->database)) {
		conn_free(c);
		return dp_fail(eb, DP_ERR_CONFIG, "target.database: name the target database explicitly "
			       "(doppel never writes into a server's default database)");
	}
	c->pg = PQconnectdbParams(kw, val, 0);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char m[700];
		const char *msg = c->pg ? pg_msg(c->pg, m, sizeof(m)) : "out of memory";
		int code = strstr(msg, "password") || strstr(msg, "authentication") ? DP_ERR_AUTH
											: DP_ERR_CONNECT;
		rc = dp_fail(eb, code, "postgresql %s: cannot connect: %s", c->desc, msg);
		conn_free(c);
		return rc;
	}
	PQsetNoticeProcessor(c->pg, on_notice, NULL);
	c->cancel = PQgetCancel(c->pg);
	if (role == DP_ROLE_SOURCE) {
		/* read-only twice over: the session default and the transaction */
		rc = exec_ok(c, "SET default_transaction_read_only = on", eb);
		/* literals lexed as doppel's subset-clause check lexes them,
		 * whatever the database or role default says */
		if (!rc)
			rc = exec_ok(c, "SET standard_conforming_strings = on", eb);
		/* the catalog's definitions (views, defaults, types) name the
		 * source schema's objects unqualified: a target creates them
		 * wherever it builds */
		if (!rc)
			rc = set_search_path(c, c->schema, eb);
		if (!rc)
			rc = exec_ok(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", eb);
		if (!rc)
			c->in_txn = 1;
	} else {
		/* a blocked lock fails instead of hanging; a statement past the
		 * statement timeout fails too (0 = none) */
		char set[96];
		snprintf(set, sizeof(set), "SET lock_timeout = '%ds'",
			 cfg->lock_timeout > 0 ? cfg->lock_timeout : DP_DEFAULT_LOCK_TIMEOUT);
		rc = exec_ok(c, set, eb);
		snprintf(set, sizeof(set), "SET statement_timeout = '%ds'",
			 cfg->statement_timeout > 0 ? cfg->statement_timeout : 0);
		if (!rc)
			rc = exec_ok(c, set, eb);
	}
	if (rc) {
		conn_free(c);
		return rc;
	}
	*out = c;
	return DP_OK;
}

static PGresult *query(dp_conn *c, const char *sql, int nparams, const char *const *params,
		       dp_errbuf *eb);
static PGresult *query_cmd(dp_conn *c, const char *sql, int nparams, const char *const *params,
			   dp_errbuf *eb);
static int staging_schema(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb);
static int adopt(dp_conn *c, dp_errbuf *eb);
static int copy_end(struct dp_writer *w, const char *abort_msg, dp_errbuf *eb);
static int remember(dp_conn *c, const dp_table *t);

static int pg_identity(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	/* The cluster's system identifier: made at initdb, shared by its
	 * streaming replicas (a replica read as the source is its primary's
	 * data), readable by every role unless an administrator revoked it.
	 * Then the database: another schema of the source's database is the
	 * source too - its functions, views and locks are the source's. */
	PGresult *r = query(c, "SELECT has_function_privilege('pg_control_system()', 'EXECUTE'), "
			    "current_database()", 0, NULL, eb);
	char db[256];
	int rc;

	if (!r)
		return eb->code;
	snprintf(db, sizeof(db), "%s", PQgetvalue(r, 0, 1));
	if (PQgetvalue(r, 0, 0)[0] != 't') {
		PQclear(r);
		return dp_fail(eb, DP_ERR_AUTH, "postgresql %s: doppel reads the cluster's system "
			       "identifier to tell a target from the source (and from its replicas), and "
			       "this role may not: GRANT EXECUTE ON FUNCTION pg_control_system() TO the role",
			       c->desc);
	}
	PQclear(r);
	r = query(c, "SELECT system_identifier::text FROM pg_control_system()", 0, NULL, eb);
	if (!r)
		return eb->code;
	rc = dp_buf_printf(out, "postgresql:cluster=%s:db=%s", PQgetvalue(r, 0, 0), db);
	PQclear(r);
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
}

/* the schema's hash: the second key of the target's advisory lock */
static unsigned lock_key(const char *s)
{
	return dp_fnv1a32(s, strlen(s)) & 0x7fffffff;
}

#define PG_LOCK_CLASS 0x646f70  /* "dop": first key of doppel's advisory locks */

static int pg_stage_begin(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb)
{
	char k1[16], k2[16], app[128];
	const char *pv[2] = { k1, k2 };
	PGresult *r;
	int got, rc;

	if (c->role != DP_ROLE_TARGET || c->in_txn)
		return dp_fail(eb, DP_ERR_INTERNAL, "postgresql: stage_begin on a source or twice");
	/* the job's name where other sessions can see it (pg_stat_activity) */
	snprintf(app, sizeof(app), "doppel job %.60s pid %ld", o->job ? o->job : "(unnamed)",
		 (long)getpid());
	{
		const char *av[1] = { app };
		r = query(c, "SELECT set_config('application_name', $1, false)", 1, av, eb);
		if (!r)
			return eb->code;
		PQclear(r);
	}
	/* exclusive per database + schema (advisory locks are per database),
	 * held by this session until it ends: a killed job's lock goes with
	 * its connection */
	snprintf(k1, sizeof(k1), "%d", PG_LOCK_CLASS);
	snprintf(k2, sizeof(k2), "%u", lock_key(c->schema));
	/* tried for up to 2 s: the lock of a job killed a moment ago goes only
	 * when its backend has seen the connection close */
	for (int tries = 0; ; tries++) {
		r = query(c, "SELECT pg_try_advisory_lock($1::int, $2::int)", 2, pv, eb);
		if (!r)
			return eb->code;
		got = PQgetvalue(r, 0, 0)[0] == 't';
		PQclear(r);
		if (got || tries == 20)
			break;
		{
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	if (!got) {
		char holder[200] = "owner unknown";
		r = query(c, "SELECT a.application_name || ', backend pid ' || a.pid || ', since ' || "
			  "date_trunc('second', a.backend_start)::text FROM pg_locks l JOIN pg_stat_activity a "
			  "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND "
			  "l.objid = $2::bigint::oid AND l.objsubid = 2 AND l.granted "
			  "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
			  2, pv, eb);
		if (r && PQntuples(r) > 0)
			snprintf(holder, sizeof(holder), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		dp_errbuf_clear(eb);
		return dp_fail(eb, DP_ERR_REFUSED, "target %s: schema %s is being written by another doppel "
			       "job (%s); wait for it to end or stop it", c->desc, c->schema, holder);
	}
	rc = staging_schema(c, o, eb);
	/* schema objects and tables whose columns use them are created by
	 * unqualified names into the schema being built; function bodies are
	 * checked when called, not before the tables they read exist (as
	 * pg_dump's restore does) */
	if (!rc)
		rc = set_search_path(c, c->schema, eb);
	if (!rc)
		rc = exec_ok(c, "SET check_function_bodies = off", eb);
	if (!rc)
		rc = exec_ok(c, "BEGIN", eb);
	if (!rc)
		c->in_txn = 1;
	return rc;
}

/* The staging schema "dp<hash of the target schema>_<random>": tables are
 * built there and committed one by one with their mark in doppel__progress
 * (so a killed job can be continued), and finish moves them into the
 * target schema in one transaction. Without the privilege to create a
 * schema, everything is built in the target schema in one transaction
 * (atomic as well, but a killed job starts over). */
static int staging_schema(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb)
{
	char pat[40], hx[16];
	const char *pv[1] = { pat };
	dp_buf sql = DP_BUF_INIT;
	PGresult *r;
	int rc = DP_OK;

	snprintf(hx, sizeof(hx), "%08x", dp_fnv1a32(c->schema, strlen(c->schema)));
	snprintf(pat, sizeof(pat), "dp%s\\_%%", hx);
	r = query(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname", 1, pv, eb);
	if (!r)
		return eb->code;
	/* --resume: the first leftover started for the same fingerprint */
	for (int i = 0; o->resume && o->fingerprint && !c->stage[0] && i < PQntuples(r); i++) {
		PGresult *f;
		dp_buf_reset(&sql);
		if (dp_buf_puts(&sql, "SELECT info FROM ") || quote_ident_buf(PQgetvalue(r, i, 0), &sql) ||
		    dp_buf_puts(&sql, "." DP_PROGRESS_TABLE " WHERE tbl = ''"))
			break;
		f = PQexecParams(c->pg, dp_buf_str(&sql), 0, NULL, NULL, NULL, NULL, 0);
		if (PQresultStatus(f) == PGRES_TUPLES_OK && PQntuples(f) == 1 &&
		    !strcmp(PQgetvalue(f, 0, 0), o->fingerprint))
			snprintf(c->stage, sizeof(c->stage), "%s", PQgetvalue(r, i, 0));
		PQclear(f);
	}
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		if (!strcmp(PQgetvalue(r, i, 0), c->stage))
			continue;
		dp_buf_reset(&sql);
		rc = dp_buf_puts(&sql, "DROP SCHEMA ") || quote_ident_buf(PQgetvalue(r, i, 0), &sql) ||
		     dp_buf_puts(&sql, " CASCADE") ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
						   : exec_ok(c, dp_buf_str(&sql), eb);
		if (!rc)
			dp_log_info("postgresql %s: removed schema %s, left by a job that did not finish",
				    c->desc, PQgetvalue(r, i, 0));
	}
	PQclear(r);
	if (!rc && c->stage[0])
		rc = adopt(c, eb);
	else if (!rc) {
		if (o->resume)
			dp_log_info("postgresql %s: no staging schema of a killed job with this plan to "
				    "continue: starting anew", c->desc);
		snprintf(c->stage, sizeof(c->stage), "dp%s_%08x", hx, (uint32_t)dp_random_seed());
		dp_buf_reset(&sql);
		if (dp_buf_puts(&sql, "CREATE SCHEMA ") || quote_ident_buf(c->stage, &sql)) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else {
			PGresult *cr = PQexecParams(c->pg, dp_buf_str(&sql), 0, NULL, NULL, NULL, NULL, 0);
			if (PQresultStatus(cr) != PGRES_COMMAND_OK) {
				char m[700];
				if (pg_code(c->pg, cr) == DP_ERR_AUTH) {
					dp_log_info("postgresql %s: no privilege to create a staging schema: the "
						    "target is built in schema %s in one transaction (a killed job "
						    "cannot be continued)", c->desc, c->schema);
					c->stage[0] = '\0';
				} else {
					rc = dp_fail(eb, pg_code(c->pg, cr), "postgresql %s: %s", c->desc,
						     pg_msg(c->pg, m, sizeof(m)));
				}
				PQclear(cr);
				dp_buf_free(&sql);
				return rc;
			}
			PQclear(cr);
		}
		dp_buf_reset(&sql);
		if (!rc && (dp_buf_puts(&sql, "CREATE TABLE ") || quote_ident_buf(c->stage, &sql) ||
			    dp_buf_puts(&sql, "." DP_PROGRESS_TABLE " (tbl text PRIMARY KEY, info text NOT NULL)")))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!rc)
			rc = exec_ok(c, dp_buf_str(&sql), eb);
		dp_buf_reset(&sql);
		if (!rc && (dp_buf_puts(&sql, "INSERT INTO ") || quote_ident_buf(c->stage, &sql) ||
			    dp_buf_puts(&sql, "." DP_PROGRESS_TABLE " VALUES ('', $1)")))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!rc) {
			const char *fv[1] = { o->fingerprint ? o->fingerprint : "" };
			PGresult *ir = query_cmd(c, dp_buf_str(&sql), 1, fv, eb);
			rc = ir ? DP_OK : eb->code;
			PQclear(ir);
		}
	}
	dp_buf_free(&sql);
	if (!rc && c->stage[0]) {
		/* every later statement names the staging schema */
		free(c->target_schema);
		c->target_schema = c->schema;
		c->schema = dp_strdup(c->stage);
		if (!c->schema)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	return rc;
}

/* A killed job's staging schema: its marked tables are kept, the others
 * dropped (they are made again). */
static int adopt(dp_conn *c, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	const char *pv[1] = { c->stage };
	PGresult *r;
	int rc = DP_OK;

	if (dp_buf_puts(&sql, "SELECT c.relname, p.info FROM pg_class c JOIN pg_namespace n ON "
			"n.oid = c.relnamespace LEFT JOIN ") || quote_ident_buf(c->stage, &sql) ||
	    dp_buf_puts(&sql, "." DP_PROGRESS_TABLE " p ON p.tbl = c.relname WHERE n.nspname = $1 AND "
			"c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '" DP_PROGRESS_TABLE "'")) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = query(c, dp_buf_str(&sql), 1, pv, eb);
	if (!r) {
		dp_buf_free(&sql);
		return eb->code;
	}
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		if (!PQgetisnull(r, i, 1)) {
			if (dp_stage_list_add(&c->kept, name, strtoll(PQgetvalue(r, i, 1), NULL, 10),
					      DP_STAGE_DONE))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			continue;
		}
		dp_buf_reset(&sql);
		rc = dp_buf_puts(&sql, "DROP TABLE ") || quote_ident_buf(c->stage, &sql) ||
		     dp_buf_puts(&sql, ".") || quote_ident_buf(name, &sql) || dp_buf_puts(&sql, " CASCADE")
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&sql), eb);
	}
	PQclear(r);
	dp_buf_free(&sql);
	c->adopted = 1;
	if (!rc)
		dp_log_info("postgresql %s: continuing schema %s (%zu complete tables there)", c->desc,
			    c->stage, c->kept.n);
	return rc;
}

static int pg_stage_mark(dp_conn *c, const dp_table *t, int64_t rows, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	char nrows[32];
	const char *pv[2] = { t->name, nrows };
	PGresult *r;
	int rc;

	if (!c->stage[0])
		return DP_OK;     /* one transaction: nothing to continue after a kill */
	if (c->copying) {
		rc = copy_end(c->copying, NULL, eb);
		c->copying = NULL;
		if (rc)
			return rc;
	}
	snprintf(nrows, sizeof(nrows), "%" PRId64, rows);
	if (dp_buf_puts(&sql, "INSERT INTO ") || quote_ident_buf(c->stage, &sql) ||
	    dp_buf_puts(&sql, "." DP_PROGRESS_TABLE " VALUES ($1, $2) ON CONFLICT (tbl) DO UPDATE SET "
			"info = EXCLUDED.info")) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = query_cmd(c, dp_buf_str(&sql), 2, pv, eb);
	dp_buf_free(&sql);
	if (!r)
		return eb->code;
	PQclear(r);
	rc = exec_ok(c, "COMMIT", eb);
	c->in_txn = 0;
	if (!rc)
		rc = exec_ok(c, "BEGIN", eb);
	if (!rc)
		c->in_txn = 1;
	return rc;
}

static int pg_stage_leftovers(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	char pat[40];
	const char *pv[1] = { pat };
	PGresult *r;
	int rc = DP_OK;

	snprintf(pat, sizeof(pat), "dp%08x\\_%%", dp_fnv1a32(c->schema, strlen(c->schema)));
	r = query(c, "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname", 1, pv, eb);
	if (!r)
		return eb->code;
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = dp_buf_printf(out, "%sschema %s", out->len ? "; " : "", PQgetvalue(r, i, 0))
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	PQclear(r);
	return rc;
}

static dp_stage_state pg_stage_state(dp_conn *c, const dp_table *t, int64_t *rows)
{
	dp_stage_state st = dp_stage_list_state(&c->kept, t->name, 0, rows);
	if (st == DP_STAGE_DONE)
		(void)remember(c, t);
	return st;
}

/* What is left in the staging schema once its tables moved: partitions,
 * views, materialized views, standalone sequences, routines, types (their
 * triggers, indexes, comments, policies and grants move with them). Each
 * replaces its namesake in the target schema: relations and routines are
 * dropped there with what depends on them; types (all in one DROP, so
 * dependencies among them do not matter) without CASCADE, so a column of
 * a table doppel does not own never loses its type: the swap fails instead
 * and leaves the target as it was. $1 staging, $2 target schema; the
 * statements are made first (names qualified: search_path is pg_catalog),
 * then run in order. */
static const char *const Q_MOVES =
	"WITH sr AS (SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE n.nspname = $1::text AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> "
	"  '" DP_PROGRESS_TABLE "' AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
	"  d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
	"  AND d.deptype IN ('a', 'i')))), "
	"st AS (SELECT t.oid, t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
	"  LEFT JOIN pg_class r ON r.oid = t.typrelid WHERE n.nspname = $1::text AND (t.typtype IN ('e', 'd') OR "
	"  (t.typtype = 'c' AND r.relkind = 'c'))), "
	"sp AS (SELECT p.oid, p.proname, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
	"  WHERE n.nspname = $1::text AND p.prokind IN ('f', 'p', 'a')) "
	"SELECT 1, format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' "
	"  THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, "
	"  $2::text, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"  WHERE n.nspname = $2::text AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
	"  AND c.relname IN (SELECT relname FROM sr) "
	"UNION ALL SELECT 2, format('DROP %s IF EXISTS %s CASCADE', CASE p.prokind WHEN 'a' THEN 'AGGREGATE' "
	"  ELSE 'ROUTINE' END, p.oid::regprocedure) FROM pg_proc p "
	"  JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $2::text AND p.prokind IN ('f', 'p', 'a') "
	"  AND p.proname IN (SELECT proname FROM sp) "
	"UNION ALL SELECT 3, 'DROP TYPE IF EXISTS ' || string_agg(format('%I.%I', $2::text, t.typname), ', ') "
	"  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $2::text "
	"  AND t.typname IN (SELECT typname FROM st) HAVING count(*) > 0 "
	"UNION ALL SELECT 4, format('ALTER %s %s SET SCHEMA %I', CASE sp.prokind WHEN 'a' THEN 'AGGREGATE' "
	"  ELSE 'ROUTINE' END, sp.oid::regprocedure, $2::text) FROM sp "
	"UNION ALL SELECT 5, format('ALTER %s %I.%I SET SCHEMA %I', CASE sr.relkind WHEN 'v' THEN 'VIEW' "
	"  WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' "
	"  ELSE 'TABLE' END, $1::text, sr.relname, $2::text) FROM sr "
	"UNION ALL SELECT 6, format('ALTER %s %I.%I SET SCHEMA %I', CASE st.typtype WHEN 'd' THEN 'DOMAIN' "
	"  ELSE 'TYPE' END, $1::text, st.typname, $2::text) FROM st "
	"ORDER BY 1";

static int move_objects(dp_conn *c, dp_errbuf *eb)
{
	const char *pv[2] = { c->stage, c->target_schema };
	PGresult *r;
	int rc = exec_ok(c, "SELECT set_config('search_path', 'pg_catalog', true)", eb);

	if (rc)
		return rc;
	r = query(c, Q_MOVES, 2, pv, eb);
	if (!r)
		return eb->code;
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = exec_ok(c, PQgetvalue(r, i, 1), eb);
	PQclear(r);
	return rc;
}

/* In the job's last transaction: every table built in the staging schema
 * replaces its namesake in the target schema, and the staging schema goes. */
static int swap_in(dp_conn *c, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc = DP_OK;

	if (c->copying) {
		rc = copy_end(c->copying, NULL, eb);
		c->copying = NULL;
	}
	for (size_t k = 0; !rc && k < c->nmade; k++) {
		const char *n = c->made[k]->name;
		dp_buf_reset(&sql);
		rc = dp_buf_puts(&sql, "DROP TABLE IF EXISTS ") || quote_ident_buf(c->target_schema, &sql) ||
		     dp_buf_puts(&sql, ".") || quote_ident_buf(n, &sql) || dp_buf_puts(&sql, " CASCADE")
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&sql), eb);
		dp_buf_reset(&sql);
		if (!rc)
			rc = dp_buf_puts(&sql, "ALTER TABLE ") || quote_ident_buf(c->stage, &sql) ||
			     dp_buf_puts(&sql, ".") || quote_ident_buf(n, &sql) ||
			     dp_buf_puts(&sql, " SET SCHEMA ") || quote_ident_buf(c->target_schema, &sql)
			     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&sql), eb);
	}
	if (!rc)
		rc = move_objects(c, eb);
	dp_buf_reset(&sql);
	if (!rc)
		rc = dp_buf_puts(&sql, "DROP SCHEMA ") || quote_ident_buf(c->stage, &sql) ||
		     dp_buf_puts(&sql, " CASCADE") ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
						   : exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	return rc;
}

/* After a failure or a cancel: the staging schema goes (autocommit). */
static void drop_stage(dp_conn *c)
{
	dp_buf sql = DP_BUF_INIT;
	if (!c->stage[0] || !c->pg || PQstatus(c->pg) != CONNECTION_OK)
		return;
	if (!dp_buf_puts(&sql, "DROP SCHEMA ") && !quote_ident_buf(c->stage, &sql) &&
	    !dp_buf_puts(&sql, " CASCADE"))
		PQclear(PQexecParams(c->pg, dp_buf_str(&sql), 0, NULL, NULL, NULL, NULL, 0));
	dp_buf_free(&sql);
	c->stage[0] = '\0';
}

/* PQcancel is made for this: callable from another thread (or a signal
 * handler) while the session's thread waits on the server. */
static void pg_cancel(dp_conn *c)
{
	char err[256];
	if (c && c->cancel)
		(void)PQcancel(c->cancel, err, sizeof(err));
}

static int pg_finish(dp_conn *c, int commit, dp_errbuf *eb)
{
	int rc = DP_OK;

	if (!c->in_txn)
		return DP_OK;
	c->in_txn = 0;
	if (c->role == DP_ROLE_SOURCE || !commit) {
		PQclear(PQexec(c->pg, "ROLLBACK"));
		drop_stage(c);
		return DP_OK;
	}
	if (c->stage[0])
		rc = swap_in(c, eb);
	if (rc) {
		PQclear(PQexec(c->pg, "ROLLBACK"));
		drop_stage(c);
		return rc;
	}
	rc = exec_ok(c, "COMMIT", eb);
	if (!rc)
		c->stage[0] = '\0';    /* dropped by the swap */
	/* a COMMIT that failed left the target as it was, unless the server
	 * went away meanwhile: then nobody can say (DP_ERR_IO) */
	if (rc && PQstatus(c->pg) != CONNECTION_OK) {
		dp_errbuf_clear(eb);
		rc = dp_fail(eb, DP_ERR_IO, "postgresql %s: the connection was lost during COMMIT",
			     c->desc);
	}
	return rc;
}

static void pg_close(dp_conn *c)
{
	if (!c)
		return;
	if (c->in_txn)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	if (c->role == DP_ROLE_TARGET)
		drop_stage(c);
	conn_free(c);
}

/* ---- introspection ---- */

/* One parameterised statement whose result must have status `want`. */
static PGresult *run(dp_conn *c, const char *sql, int nparams, const char *const *params,
		     ExecStatusType want, dp_errbuf *eb)
{
	PGresult *r = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != want) {
		char m[700];
		dp_fail(eb, pg_code(c->pg, r), "postgresql %s: %s", c->desc, pg_msg(c->pg, m, sizeof(m)));
		PQclear(r);
		return NULL;
	}
	return r;
}

/* ... that returns no rows (INSERT, ...) */
static PGresult *query_cmd(dp_conn *c, const char *sql, int nparams, const char *const *params,
			   dp_errbuf *eb)
{
	return run(c, sql, nparams, params, PGRES_COMMAND_OK, eb);
}

/* ... that returns rows */
static PGresult *query(dp_conn *c, const char *sql, int nparams, const char *const *params,
		       dp_errbuf *eb)
{
	return run(c, sql, nparams, params, PGRES_TUPLES_OK, eb);
}

static const char *val_or_null(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static dp_fk_action fk_action(char a)
{
	switch (a) {
	case 'c': return DP_FK_CASCADE;
	case 'n': return DP_FK_SET_NULL;
	case 'd': return DP_FK_SET_DEFAULT;
	case 'r': return DP_FK_RESTRICT;
	default: return DP_FK_NO_ACTION;
	}
}

/* Split the text form of a name[] ("{a,b,\"c d\"}") in place; returns the
 * count. */
static size_t split_array(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *p = s, *w;

	if (*p != '{')
		return 0;
	p++;
	while (*p && *p != '}' && n < max) {
		if (*p == '"') {
			out[n++] = w = ++p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				*w++ = *p++;
			}
			if (*p)
				p++;
			*w = '\0';
		} else {
			out[n++] = p;
			while (*p && *p != ',' && *p != '}')
				p++;
			if (*p == '}') {
				*p = '\0';
				break;
			}
			if (*p)
				*p++ = '\0';
			continue;
		}
		if (*p == ',')
			p++;
	}
	return n;
}

static const char *const Q_TABLES =
	"SELECT c.oid, c.relname, greatest(c.reltuples, -1)::bigint, c.relkind "
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE n.nspname = $1 AND c.relkind IN ('r','p') AND NOT c.relispartition "
	"ORDER BY c.relname";

/* Column 1 is the type as a PostgreSQL target declares it: the column's own
 * type (a domain, an enum, a composite by name, unqualified when it lives in
 * the source schema: the session's search_path is that schema) with its
 * collation when it is not the type's; a domain over a zoned time type says
 * so in a comment, which the type mapping to other engines reads (it keeps
 * the time zone's meaning). Column 9 is the type doppel classifies
 * (and another engine maps): a domain's base type, text for an enum. */
static const char *const Q_COLUMNS =
	"SELECT a.attname, "
	"  format_type(a.atttypid, a.atttypmod) || CASE WHEN t.typtype = 'd' AND t.typbasetype IN "
	"    ('timestamptz'::regtype, 'timetz'::regtype) THEN ' /* ' || format_type(t.typbasetype, t.typtypmod) "
	"    || ' */' ELSE '' END || CASE WHEN a.attcollation <> t.typcollation "
	"    THEN ' COLLATE ' || (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) "
	"      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END FROM pg_collation co "
	"      JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END, "
	"  a.attnotnull, a.attidentity <> '' OR coalesce(pg_get_serial_sequence($2, a.attname), '') <> '' "
	"    OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%', "
	"  a.attgenerated <> '', pg_get_expr(d.adbin, d.adrelid), t.typcategory, t.typtype, "
	"  format_type(a.atttypid, a.atttypmod), "
	"  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) "
	"       WHEN t.typtype = 'e' THEN 'text' "
	"       ELSE format_type(a.atttypid, a.atttypmod) END, "
	/* types whose names the affinity rules misread (point, int4range:
	 * "int"; inet, box, xml ...: unknown): their values are their text */
	"  bt.typcategory IN ('I', 'V', 'R', 'G', 'X', 'Z') OR bt.typname IN ('money', 'xml', 'tsvector', "
	"    'tsquery', 'macaddr', 'macaddr8', 'pg_lsn', 'txid_snapshot', 'pg_snapshot', 'jsonpath', "
	"    'int2vector', 'oidvector', 'tid', 'xid', 'xid8', 'cid', 'aclitem') "
	"FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
	"JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
	"LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	"WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

static const char *const Q_CONSTRAINTS =
	"SELECT con.contype, con.conname, "
	"  (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i) "
	"     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n), "
	"  fc.relname, "
	"  (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i) "
	"     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n), "
	"  con.confdeltype, con.confupdtype, con.condeferrable, pg_get_constraintdef(con.oid), "
	"  format('ALTER TABLE %I ADD CONSTRAINT %I %s', cr.relname, con.conname, pg_get_constraintdef(con.oid)), "
	"  con.condeferred "
	"FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
	"JOIN pg_class cr ON cr.oid = con.conrelid "
	"WHERE (con.conrelid = $1::oid AND con.contype IN ('p','f','u','c','x')) "
	/* a partitioned table whose FKs are declared on its partitions only */
	"   OR (con.contype = 'f' AND con.conrelid IN "
	"       (SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::oid)) "
	"ORDER BY con.conrelid <> $1::oid, con.conname";

/* pg_get_indexdef names the table with its schema: the definition kept is
 * unqualified (created by a PostgreSQL target where its search_path points,
 * the staging schema), and ON ONLY (a partitioned table's index as pg_dump
 * prints it) becomes ON, so the index is built on every partition too. */
static const char *const Q_INDEXES =
	"SELECT ic.relname, i.indisunique, "
	"  CASE WHEN strpos(x.d, x.q) > 0 THEN overlay(x.d placing ' ON ' from strpos(x.d, x.q) "
	"    for length(x.q)) ELSE x.d END, "
	"  (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(i.indkey) WITH ORDINALITY k(n, i) "
	"     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n), "
	"  i.indexprs IS NOT NULL OR i.indpred IS NOT NULL "
	"FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
	"JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace, "
	"LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS d, "
	"  CASE WHEN pg_get_indexdef(i.indexrelid) LIKE '% ON ONLY %' THEN ' ON ONLY ' ELSE ' ON ' END "
	"  || quote_ident(tn.nspname) || '.' AS q) x "
	"WHERE i.indrelid = $1::oid AND NOT EXISTS "
	"  (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid) ORDER BY ic.relname";

/* An FK with these columns to this table is already known (partitions
 * repeat their parent's FKs, one copy each). */
static int same_fk_known(const dp_table *t, const char *ref, char **cols, size_t n)
{
	for (size_t f = 0; f < t->nfks; f++) {
		const dp_fk *fk = &t->fks[f];
		int same = fk->ncols == n && !strcmp(fk->ref_table, ref);
		for (size_t i = 0; same && i < n; i++)
			same = !strcmp(fk->cols[i], cols[i]);
		if (same)
			return 1;
	}
	return 0;
}

static int table_details(dp_conn *c, dp_table *t, const char *oid, dp_errbuf *eb)
{
	dp_buf qn = DP_BUF_INIT;
	const char *p[2];
	PGresult *r;
	int rc = DP_OK;

	if (qualified(c, t->name, &qn))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	p[0] = oid;
	p[1] = dp_buf_str(&qn);
	r = query(c, Q_COLUMNS, 2, p, eb);
	dp_buf_free(&qn);
	if (!r)
		return eb->code;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		dp_column *col;
		const char *cat = PQgetvalue(r, i, 6);
		char *decl;
		/* classified (and mapped to other engines) by the base type; a
		 * PostgreSQL target declares the column's own type */
		if (dp_table_add_column(t, PQgetvalue(r, i, 0), PQgetvalue(r, i, 9), &col) ||
		    !(decl = dp_strdup(PQgetvalue(r, i, 1)))) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		if (strcmp(decl, PQgetvalue(r, i, 9)) && !(col->base_decl = dp_strdup(PQgetvalue(r, i, 9)))) {
			free(decl);
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		free(col->type_decl);
		col->type_decl = decl;
		col->notnull = PQgetvalue(r, i, 2)[0] == 't';
		col->is_identity = PQgetvalue(r, i, 3)[0] == 't';
		/* a generated column's "default" is its expression */
		if (PQgetvalue(r, i, 4)[0] == 't') {
			col->generated = dp_strdup(val_or_null(r, i, 5) ? PQgetvalue(r, i, 5) : "NULL");
			col->generated_stored = 1;
		} else if (val_or_null(r, i, 5) && !col->is_identity)
			col->default_expr = dp_strdup(PQgetvalue(r, i, 5));
		/* a composite value is its text form, which only the type reads
		 * back: typemap refuses it with the type's name */
		if (PQgetvalue(r, i, 7)[0] == 'c')
			col->user_type = dp_strdup(PQgetvalue(r, i, 8));
		/* arrays, enums, composite values and the types above travel as
		 * their text form */
		if (cat[0] == 'A' || cat[0] == 'E' || cat[0] == 'C' || PQgetvalue(r, i, 10)[0] == 't') {
			col->tclass = DP_T_TEXT;
			col->length = col->precision = col->scale = 0;
		}
	}
	PQclear(r);
	if (rc)
		return rc;
	r = query(c, Q_CONSTRAINTS, 1, p, eb);
	if (!r)
		return eb->code;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		char type = PQgetvalue(r, i, 0)[0];
		char *cols = val_or_null(r, i, 2) ? dp_strdup(PQgetvalue(r, i, 2)) : NULL;
		char *refs = val_or_null(r, i, 4) ? dp_strdup(PQgetvalue(r, i, 4)) : NULL;
		char *cv[64], *rv[64];
		size_t nc = cols ? split_array(cols, cv, 64) : 0;
		size_t nr = refs ? split_array(refs, rv, 64) : 0;
		if (type == 'p') {
			for (size_t k = 0; k < nc; k++) {
				long ci = dp_table_col_index(t, cv[k]);
				if (ci >= 0)
					t->cols[ci].pk_pos = (int)k + 1;
			}
		} else if (type == 'f' && nc == nr && nc && !same_fk_known(t, PQgetvalue(r, i, 3), cv, nc)) {
			dp_fk *fk;
			if (dp_table_add_fk(t, PQgetvalue(r, i, 1), PQgetvalue(r, i, 3), nc,
					    (const char *const *)cv, (const char *const *)rv, &fk))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			else {
				fk->on_delete = fk_action(PQgetvalue(r, i, 5)[0]);
				fk->on_update = fk_action(PQgetvalue(r, i, 6)[0]);
				/* 2: DEFERRABLE INITIALLY DEFERRED (only this driver reads it) */
				fk->deferrable = PQgetvalue(r, i, 7)[0] != 't' ? 0 : PQgetvalue(r, i, 10)[0] == 't' ? 2 : 1;
			}
		} else if ((type == 'u' && nc) || type == 'x') {
			/* a PostgreSQL target adds the constraint as the source has it
			 * (name, NULLS NOT DISTINCT, deferrable; exclusion operators) */
			if (dp_table_add_index(t, PQgetvalue(r, i, 1), type == 'u', type == 'u' ? nc : 0,
					       (const char *const *)cv, PQgetvalue(r, i, 9)))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else if (type == 'c') {
			char **nck = realloc(t->checks, (t->nchecks + 1) * sizeof(char *));
			dp_buf ck = DP_BUF_INIT;
			/* named as in the source: CONSTRAINT "name" CHECK (...) */
			if (!nck || dp_buf_puts(&ck, "CONSTRAINT ") || quote_ident_buf(PQgetvalue(r, i, 1), &ck) ||
			    dp_buf_printf(&ck, " %s", PQgetvalue(r, i, 8)) ||
			    !(nck[t->nchecks] = dp_strdup(dp_buf_str(&ck))))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			dp_buf_free(&ck);
			if (nck) {
				t->checks = nck;
				if (!rc)
					t->nchecks++;
			}
		}
		free(cols);
		free(refs);
	}
	PQclear(r);
	if (!rc && dp_table_finish_pk(t))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (rc)
		return rc;
	r = query(c, Q_INDEXES, 1, p, eb);
	if (!r)
		return eb->code;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		char *cols = val_or_null(r, i, 3) ? dp_strdup(PQgetvalue(r, i, 3)) : NULL;
		char *cv[64];
		int expr = PQgetvalue(r, i, 4)[0] == 't';
		size_t nc = cols && !expr ? split_array(cols, cv, 64) : 0;
		if (dp_table_add_index(t, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)[0] == 't', nc,
				       (const char *const *)cv, PQgetvalue(r, i, 2)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		free(cols);
	}
	PQclear(r);
	return rc;
}

static int pg_count_rows(dp_conn *c, const dp_table *t, int64_t *out, dp_errbuf *eb)
{
	dp_sql sql;
	PGresult *r;

	dp_sql_init(&sql, dp_pg_dialect.quote);
	dp_sql_count(&sql, c->schema, t);
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = query(c, dp_sql_str(&sql), 0, NULL, eb);
	dp_sql_free(&sql);
	if (!r)
		return eb->code;
	*out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return DP_OK;
}

/* ---- schema objects (what pg_dump would carry beside the tables) ---- */

/* Not a member of an extension (CREATE EXTENSION makes those). */
#define PG_NOT_EXT(cat, oid) \
	" NOT EXISTS (SELECT 1 FROM pg_depend xd WHERE xd.classid = '" cat "'::regclass AND " \
	"xd.objid = " oid " AND xd.deptype = 'e') "

/* Every query takes the schema as $1 and returns rows of (kind letter, name,
 * table, ddl, note); kind: t type, s sequence, f function, v view, m
 * materialized view, g trigger, c comment, p policy, r grant, o other. The
 * source session's search_path is the source schema, so definitions name
 * its objects unqualified; where the server qualifies anyway (a function's
 * own name, a trigger's or an index's table) the schema is cut off. A
 * PostgreSQL target creates each with its search_path on the staging
 * schema. Each query is one catalog SELECT on the read-only session. */
typedef struct pg_objq {
	dp_obj_phase phase;
	const char *what;      /* for messages */
	const char *sql;
} pg_objq;

/* pg_get_functiondef: "CREATE OR REPLACE FUNCTION schema.name(" */
#define PG_FUNCDEF_UNQUALIFIED \
	"CASE WHEN substr(x.d, x.l + 1, length(x.q)) = x.q " \
	"  THEN overlay(x.d placing '' from x.l + 1 for length(x.q)) ELSE x.d END "
#define PG_FUNC_FROM \
	"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, " \
	"LATERAL (SELECT pg_get_functiondef(p.oid) AS d, quote_ident(n.nspname) || '.' AS q, " \
	"  CASE p.prokind WHEN 'p' THEN 28 ELSE 27 END AS l) x " \
	"WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND" PG_NOT_EXT("pg_proc", "p.oid")

/* the routine takes or returns a row type of a relation of these kinds
 * (or an array of one): it can be created only after that relation */
#define PG_FUNC_ROWTYPE(kinds) \
	" EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type ty ON ty.oid = d.refobjid " \
	"JOIN pg_class rc ON rc.oid = CASE WHEN ty.typrelid <> 0 THEN ty.typrelid ELSE " \
	"(SELECT e.typrelid FROM pg_type e WHERE e.oid = ty.typelem) END WHERE " \
	"d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_type'::regclass " \
	"AND rc.relkind IN " kinds ") "

static const pg_objq pg_objqs[] = {
	{ DP_OBJ_BEFORE_TABLES, "enum types",
	  "SELECT 't', format('%I.%I', n.nspname, t.typname), NULL, format('CREATE TYPE %I AS ENUM (%s)', "
	  "  t.typname, (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) "
	  "  FROM pg_enum e WHERE e.enumtypid = t.oid)), NULL "
	  "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
	  "WHERE n.nspname = $1 AND t.typtype = 'e' AND" PG_NOT_EXT("pg_type", "t.oid") "ORDER BY t.oid" },
	{ DP_OBJ_BEFORE_TABLES, "domains",
	  "SELECT 't', format('%I.%I', n.nspname, t.typname), NULL, format('CREATE DOMAIN %I AS %s%s%s%s%s', "
	  "  t.typname, format_type(t.typbasetype, t.typtypmod), "
	  "  CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN ' COLLATE ' || "
	  "    (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) ELSE "
	  "     quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END FROM pg_collation co "
	  "     JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) ELSE '' END, "
	  "  CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END, "
	  "  CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END, "
	  "  coalesce((SELECT string_agg(format(' CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), "
	  "    '' ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '')), NULL "
	  "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type bt ON bt.oid = t.typbasetype "
	  "WHERE n.nspname = $1 AND t.typtype = 'd' AND" PG_NOT_EXT("pg_type", "t.oid") "ORDER BY t.oid" },
	{ DP_OBJ_BEFORE_TABLES, "composite types",
	  "SELECT 't', format('%I.%I', n.nspname, t.typname), NULL, format('CREATE TYPE %I AS (%s)', t.typname, "
	  "  (SELECT string_agg(format('%I %s%s', a.attname, format_type(a.atttypid, a.atttypmod), "
	  "    CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || "
	  "    (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) ELSE "
	  "     quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END FROM pg_collation co "
	  "     JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) ELSE '' END), "
	  "    ', ' ORDER BY a.attnum) FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid "
	  "    WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)), NULL "
	  "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
	  "JOIN pg_class r ON r.oid = t.typrelid AND r.relkind = 'c' "
	  "WHERE n.nspname = $1 AND" PG_NOT_EXT("pg_type", "t.oid") "ORDER BY t.oid" },
	/* standalone: not owned by a column (serial and identity sequences
	 * come with their tables, reset_sequences sets them) */
	{ DP_OBJ_BEFORE_TABLES, "sequences",
	  "SELECT 's', format('%I.%I', n.nspname, c.relname), NULL, format('CREATE SEQUENCE %I AS %s "
	  "  INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s%s', c.relname, "
	  "  format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, "
	  "  CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END), NULL "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid "
	  "WHERE n.nspname = $1 AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
	  "  d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
	  "  AND d.deptype IN ('a', 'i')) AND" PG_NOT_EXT("pg_class", "c.oid") "ORDER BY c.relname" },
	/* before the tables: defaults, checks and index expressions may call
	 * them; bodies are not checked then (check_function_bodies = off on the
	 * target), except SQL-standard bodies (an empty prosrc), which come after the data */
	{ DP_OBJ_BEFORE_TABLES, "functions",
	  "SELECT 'f', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), "
	  "  NULL, " PG_FUNCDEF_UNQUALIFIED ", NULL " PG_FUNC_FROM "AND p.prosrc <> '' AND NOT"
	  PG_FUNC_ROWTYPE("('r', 'p', 'v', 'm', 'f')") "ORDER BY p.oid" },
	{ DP_OBJ_AFTER_DATA, "sequence values",
	  "SELECT 's', format('%I.%I', n.nspname, c.relname) || ' (current value)', NULL, "
	  "  format('SELECT setval(%L::regclass, %s, true)', quote_ident(c.relname), ps.last_value), NULL "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "JOIN pg_sequences ps ON ps.schemaname = n.nspname AND ps.sequencename = c.relname "
	  "WHERE n.nspname = $1 AND c.relkind = 'S' AND ps.last_value IS NOT NULL AND NOT EXISTS (SELECT 1 "
	  "  FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
	  "  d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) AND"
	  PG_NOT_EXT("pg_class", "c.oid") "ORDER BY c.relname" },
	/* a default drawing from a standalone sequence: the column is an
	 * auto-increment key to doppel (created as an identity); a PostgreSQL
	 * target gets the source's default back after the load */
	{ DP_OBJ_AFTER_DATA, "sequence defaults",
	  "SELECT 's', format('%I.%I.%I', n.nspname, c.relname, a.attname) || ' (default)', c.relname, "
	  "  format('ALTER TABLE %I ALTER COLUMN %I DROP IDENTITY IF EXISTS, ALTER COLUMN %I SET DEFAULT %s%s', "
	  "  c.relname, a.attname, a.attname, "
	  "  pg_get_expr(d.adbin, d.adrelid), CASE WHEN a.attnotnull THEN '' "
	  "  ELSE format(', ALTER COLUMN %I DROP NOT NULL', a.attname) END), NULL "
	  "FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
	  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attidentity = '' "
	  "  AND a.attgenerated = '' AND pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%' "
	  "  AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NULL "
	  "ORDER BY c.relname, a.attnum" },
	/* identity columns are created GENERATED BY DEFAULT (rows keep their
	 * values); ALWAYS and the sequence's options come back after the load */
	{ DP_OBJ_AFTER_DATA, "identity columns",
	  "SELECT 's', format('%I.%I.%I', n.nspname, c.relname, a.attname) || ' (identity)', c.relname, "
	  "  format('ALTER TABLE %I ALTER COLUMN %I SET GENERATED %s SET INCREMENT BY %s SET MINVALUE %s "
	  "  SET MAXVALUE %s SET START WITH %s SET CACHE %s SET %sCYCLE', c.relname, a.attname, "
	  "  CASE a.attidentity WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END, s.seqincrement, s.seqmin, "
	  "  s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN '' ELSE 'NO ' END), NULL "
	  "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "JOIN pg_sequence s ON s.seqrelid = pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), "
	  "  a.attname)::regclass "
	  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attidentity <> '' "
	  "  AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum" },
	/* serial and identity sequences: reset_sequences put them after the
	 * largest key; they continue from the source's value when that is
	 * further (the next value is the source's next value) */
	{ DP_OBJ_AFTER_DATA, "serial and identity sequence values",
	  "SELECT 's', format('%I.%I.%I', n.nspname, c.relname, a.attname) || ' (sequence value)', c.relname, "
	  "  format('SELECT setval(pg_get_serial_sequence(%L, %L), greatest(%s, (SELECT max(%I) FROM %I)), true)', "
	  "  quote_ident(c.relname), a.attname, ps.last_value, a.attname, c.relname), NULL "
	  "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "JOIN pg_sequences ps ON quote_ident(ps.schemaname) || '.' || quote_ident(ps.sequencename) = "
	  "  pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) "
	  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 "
	  "  AND NOT a.attisdropped AND ps.last_value IS NOT NULL ORDER BY c.relname, a.attnum" },
	{ DP_OBJ_AFTER_DATA, "functions with SQL-standard bodies or of a table's row type",
	  "SELECT 'f', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), "
	  "  NULL, " PG_FUNCDEF_UNQUALIFIED ", NULL " PG_FUNC_FROM "AND NOT" PG_FUNC_ROWTYPE("('v', 'm')")
	  "AND (p.prosrc = '' OR" PG_FUNC_ROWTYPE("('r', 'p', 'f')") ") ORDER BY p.oid" },
	/* plain aggregates (ordered-set and moving ones are listed as not
	 * carried), after every function they use */
	{ DP_OBJ_AFTER_DATA, "aggregates",
	  "SELECT 'f', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), "
	  "  NULL, format('CREATE AGGREGATE %I(%s) (SFUNC = %s, STYPE = %s%s%s%s%s)', p.proname, "
	  "  pg_get_function_identity_arguments(p.oid), a.aggtransfn::regproc, format_type(a.aggtranstype, NULL), "
	  "  CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc ELSE '' END, "
	  "  CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::regproc ELSE '' END, "
	  "  CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || quote_literal(a.agginitval) ELSE '' END, "
	  "  CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = OPERATOR(' || a.aggsortop::regoperator::regoper || ')' "
	  "  ELSE '' END), NULL "
	  "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_aggregate a ON a.aggfnoid = p.oid "
	  "WHERE n.nspname = $1 AND p.prokind = 'a' AND a.aggkind = 'n' AND a.aggmtransfn = 0 "
	  "  AND a.aggserialfn = 0 AND" PG_NOT_EXT("pg_proc", "p.oid") "ORDER BY p.oid" },
	/* views on views after the views they read */
	{ DP_OBJ_AFTER_DATA, "views",
	  "WITH RECURSIVE v AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "  WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND" PG_NOT_EXT("pg_class", "c.oid") "), "
	  "dep AS (SELECT DISTINCT r.ev_class AS oid, d.refobjid AS ref FROM pg_rewrite r JOIN pg_depend d "
	  "  ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass "
	  "  WHERE r.ev_class IN (SELECT oid FROM v) AND d.refobjid IN (SELECT oid FROM v) "
	  "  AND d.refobjid <> r.ev_class), "
	  "lvl(oid, l) AS (SELECT oid, 0 FROM v UNION ALL SELECT dep.oid, lvl.l + 1 FROM lvl "
	  "  JOIN dep ON dep.ref = lvl.oid WHERE lvl.l < 64) "
	  "SELECT CASE c.relkind WHEN 'm' THEN 'm' ELSE 'v' END, format('%I.%I', $1, c.relname), NULL, "
	  "  CASE c.relkind WHEN 'm' THEN format('CREATE MATERIALIZED VIEW %I%s AS %s WITH %sDATA', c.relname, "
	  "    CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' "
	  "    ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';'), CASE WHEN c.relispopulated THEN '' ELSE 'NO ' END) "
	  "  ELSE format('CREATE VIEW %I%s AS %s', c.relname, "
	  "    CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' "
	  "    ELSE '' END, rtrim(pg_get_viewdef(c.oid), ';')) END, NULL "
	  "FROM (SELECT oid, max(l) AS l FROM lvl GROUP BY oid) o JOIN pg_class c ON c.oid = o.oid "
	  "ORDER BY o.l, c.relname" },
	{ DP_OBJ_AFTER_DATA, "functions of a view's row type",
	  "SELECT 'f', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), "
	  "  NULL, " PG_FUNCDEF_UNQUALIFIED ", NULL " PG_FUNC_FROM "AND" PG_FUNC_ROWTYPE("('v', 'm')")
	  "ORDER BY p.oid" },
	{ DP_OBJ_AFTER_DATA, "indexes of materialized views",
	  "SELECT 'm', format('%I.%I', n.nspname, ic.relname), c.relname, "
	  "  CASE WHEN strpos(x.d, x.q) > 0 THEN overlay(x.d placing ' ON ' from strpos(x.d, x.q) "
	  "  for length(x.q)) ELSE x.d END, NULL "
	  "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid "
	  "JOIN pg_namespace n ON n.oid = c.relnamespace, "
	  "LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS d, ' ON ' || quote_ident(n.nspname) || '.' AS q) x "
	  "WHERE n.nspname = $1 AND c.relkind = 'm' ORDER BY c.relname, ic.relname" },
	/* after the load, so they never fire while rows are copied; the
	 * clones a partitioned table's trigger makes on its partitions come
	 * with it */
	{ DP_OBJ_AFTER_DATA, "triggers",
	  "SELECT 'g', format('%I.%I.%I', n.nspname, c.relname, t.tgname), c.relname, "
	  "  CASE WHEN strpos(x.d, x.q) > 0 THEN overlay(x.d placing ' ON ' from strpos(x.d, x.q) "
	  "  for length(x.q)) ELSE x.d END, NULL "
	  "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace, "
	  "LATERAL (SELECT pg_get_triggerdef(t.oid) AS d, ' ON ' || quote_ident(n.nspname) || '.' AS q) x "
	  "WHERE n.nspname = $1 AND NOT t.tgisinternal AND NOT c.relispartition AND t.tgenabled <> 'D' "
	  "ORDER BY c.relname, t.tgname" },
	{ DP_OBJ_AFTER_DATA, "comments",
	  "SELECT 'c', format('%I.%I%s', n.nspname, c.relname, CASE WHEN d.objsubid > 0 THEN '.' || quote_ident(a.attname) ELSE '' END), "
	  "  c.relname, CASE WHEN d.objsubid > 0 "
	  "  THEN format('COMMENT ON COLUMN %I.%I IS %L', c.relname, a.attname, d.description) "
	  "  ELSE format('COMMENT ON %s %I IS %L', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN "
	  "  'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, "
	  "  c.relname, d.description) END, NULL "
	  "FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
	  "WHERE d.classoid = 'pg_class'::regclass AND n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
	  "  AND (d.objsubid = 0 OR a.attname IS NOT NULL) "
	  "UNION ALL "
	  "SELECT 'c', format('%I.%I', n.nspname, t.typname), NULL, "
	  "  format('COMMENT ON %s %I IS %L', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.typname, "
	  "  d.description), NULL "
	  "FROM pg_description d JOIN pg_type t ON t.oid = d.objoid JOIN pg_namespace n ON n.oid = t.typnamespace "
	  "WHERE d.classoid = 'pg_type'::regclass AND n.nspname = $1 AND t.typtype IN ('e', 'd', 'c') "
	  "UNION ALL "
	  "SELECT 'c', format('%I.%I(%s)', n.nspname, p.proname, "
	  "  pg_get_function_identity_arguments(p.oid)), NULL, format('COMMENT ON %s %I(%s) IS %L', "
	  "  CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.proname, "
	  "  pg_get_function_identity_arguments(p.oid), d.description), NULL "
	  "FROM pg_description d JOIN pg_proc p ON p.oid = d.objoid JOIN pg_namespace n ON n.oid = p.pronamespace "
	  "WHERE d.classoid = 'pg_proc'::regclass AND n.nspname = $1 AND p.prokind IN ('f', 'p') "
	  "UNION ALL "
	  "SELECT 'c', format('%I.%I', n.nspname, c.relname), t.relname, format('COMMENT ON INDEX %I IS %L', "
	  "  c.relname, d.description), NULL "
	  "FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid "
	  "WHERE d.classoid = 'pg_class'::regclass AND n.nspname = $1 AND c.relkind IN ('i', 'I') "
	  "  AND NOT t.relispartition "
	  "UNION ALL "
	  "SELECT 'c', format('%I.%I.%I', n.nspname, coalesce(r.relname, ty.typname), k.conname), r.relname, "
	  "  CASE WHEN r.relname IS NOT NULL THEN format('COMMENT ON CONSTRAINT %I ON %I IS %L', k.conname, "
	  "  r.relname, d.description) ELSE format('COMMENT ON CONSTRAINT %I ON DOMAIN %I IS %L', k.conname, "
	  "  ty.typname, d.description) END, NULL "
	  "FROM pg_description d JOIN pg_constraint k ON k.oid = d.objoid JOIN pg_namespace n "
	  "  ON n.oid = k.connamespace LEFT JOIN pg_class r ON r.oid = k.conrelid LEFT JOIN pg_type ty "
	  "  ON ty.oid = k.contypid "
	  "WHERE d.classoid = 'pg_constraint'::regclass AND n.nspname = $1 AND NOT coalesce(r.relispartition, false) "
	  "UNION ALL "
	  "SELECT 'c', format('%I.%I.%I', n.nspname, c.relname, t.tgname), c.relname, "
	  "  format('COMMENT ON TRIGGER %I ON %I IS %L', t.tgname, c.relname, d.description), NULL "
	  "FROM pg_description d JOIN pg_trigger t ON t.oid = d.objoid JOIN pg_class c ON c.oid = t.tgrelid "
	  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classoid = 'pg_trigger'::regclass "
	  "  AND n.nspname = $1 AND NOT c.relispartition AND t.tgenabled <> 'D' "
	  "ORDER BY 2" },
	{ DP_OBJ_AFTER_DATA, "row-level security",
	  "SELECT 'p', format('%I.%I', n.nspname, c.relname) || ' (row-level security)', c.relname, "
	  "  format('ALTER TABLE %I %s ROW LEVEL SECURITY', c.relname, "
	  "  CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'ENABLE' END), NULL "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relrowsecurity "
	  "UNION ALL "
	  "SELECT 'p', format('%I.%I.%I', n.nspname, c.relname, p.polname), c.relname, "
	  "  format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s', p.polname, c.relname, "
	  "  CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END, "
	  "  CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' "
	  "  WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, "
	  "  (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END, ', ') "
	  "   FROM unnest(p.polroles) r), "
	  "  ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', "
	  "  ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')'), NULL "
	  "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "WHERE n.nspname = $1 "
	  "UNION ALL "
	  "SELECT 'p', format('%I.%I.%I', n.nspname, c.relname, p.polname) || ' (comment)', c.relname, "
	  "  format('COMMENT ON POLICY %I ON %I IS %L', p.polname, c.relname, d.description), NULL "
	  "FROM pg_description d JOIN pg_policy p ON p.oid = d.objoid JOIN pg_class c ON c.oid = p.polrelid "
	  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classoid = 'pg_policy'::regclass "
	  "  AND n.nspname = $1 ORDER BY 2" },
	/* privileges others hold (the owner's are the target's owner's) */
	{ DP_OBJ_AFTER_DATA, "grants",
	  "SELECT 'r', format('%I.%I to %s', n.nspname, c.relname, g.who), c.relname, "
	  "  format('GRANT %s ON %s %I TO %s%s', string_agg(g.privilege_type, ', ' ORDER BY g.privilege_type), "
	  "  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname, g.who, "
	  "  CASE WHEN bool_or(g.is_grantable) THEN ' WITH GRANT OPTION' ELSE '' END), NULL "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
	  "LATERAL (SELECT a.privilege_type, a.is_grantable, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
	  "  ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who FROM aclexplode(c.relacl) a "
	  "  WHERE a.grantee <> c.relowner) g "
	  "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition "
	  "GROUP BY n.nspname, c.relname, c.relkind, g.who ORDER BY 2" },
	/* what doppel sees and does not carry: listed by the plan */
	{ DP_OBJ_AFTER_DATA, "objects not carried",
	  "SELECT 'o', format('rule %I.%I.%I', n.nspname, c.relname, r.rulename), c.relname, NULL, "
	  "  'rules are not carried (rewrite it as a trigger or a view)' "
	  "FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "WHERE n.nspname = $1 AND r.rulename <> '_RETURN' "
	  "UNION ALL SELECT 'o', format('trigger %I.%I.%I', n.nspname, c.relname, t.tgname), c.relname, NULL, "
	  "  CASE WHEN c.relispartition THEN 'a trigger of a partition alone is not carried' "
	  "  ELSE 'a disabled trigger is not carried' END "
	  "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "WHERE n.nspname = $1 AND NOT t.tgisinternal AND (t.tgenabled = 'D' OR (c.relispartition "
	  "  AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_trigger pt ON pt.tgrelid = i.inhparent "
	  "  AND pt.tgname = t.tgname WHERE i.inhrelid = c.oid))) "
	  "UNION ALL SELECT 'o', format('%s %I.%I', CASE c.relkind WHEN 'f' THEN 'foreign table' "
	  "  ELSE 'table' END, n.nspname, c.relname), c.relname, NULL, CASE c.relkind WHEN 'f' THEN "
	  "  'foreign tables are not carried (their server and user mapping are the source''s)' "
	  "  WHEN 'r' THEN CASE WHEN c.relpersistence = 'u' THEN 'unlogged: created as an ordinary table' "
	  "  ELSE 'inherits from another table: created as a standalone table, and reading its parent reads "
	  "its rows too' END END "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND "
	  "  (c.relkind = 'f' OR (c.relkind = 'r' AND c.relpersistence = 'u') OR (c.relkind IN ('r', 'p') AND "
	  "  NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid))) "
	  "UNION ALL SELECT 'o', format('%s %I.%I(%s)', CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE "
	  "  'window function' END, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), NULL, "
	  "  NULL, 'ordered-set, moving and serialising aggregates and window functions are not carried' "
	  "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace LEFT JOIN pg_aggregate a "
	  "  ON a.aggfnoid = p.oid WHERE n.nspname = $1 AND (p.prokind = 'w' OR (p.prokind = 'a' AND "
	  "  (a.aggkind <> 'n' OR a.aggmtransfn <> 0 OR a.aggserialfn <> 0))) AND" PG_NOT_EXT("pg_proc", "p.oid")
	  "UNION ALL SELECT 'o', format('%s type %I.%I', CASE t.typtype WHEN 'r' THEN 'range' WHEN 'm' THEN "
	  "  'multirange' ELSE 'base' END, n.nspname, t.typname), NULL, NULL, 'range and base types are not "
	  "carried: create them in the target first' "
	  "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND "
	  "  (t.typtype IN ('r', 'm') OR (t.typtype = 'b' AND t.typcategory <> 'A')) AND"
	  PG_NOT_EXT("pg_type", "t.oid")
	  "UNION ALL SELECT 'o', format('operator %I.%s', n.nspname, o.oprname), NULL, NULL, "
	  "  'operators are not carried' FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace "
	  "WHERE n.nspname = $1 AND" PG_NOT_EXT("pg_operator", "o.oid")
	  "UNION ALL SELECT 'o', format('collation %I.%I', n.nspname, co.collname), NULL, NULL, "
	  "  'collations of the schema are not carried: create them in the target first' "
	  "FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE n.nspname = $1 AND"
	  PG_NOT_EXT("pg_collation", "co.oid")
	  "UNION ALL SELECT 'o', format('text search configuration %I.%I', n.nspname, t.cfgname), NULL, NULL, "
	  "  'text search configurations are not carried' FROM pg_ts_config t JOIN pg_namespace n "
	  "  ON n.oid = t.cfgnamespace WHERE n.nspname = $1 AND" PG_NOT_EXT("pg_ts_config", "t.oid")
	  "UNION ALL SELECT 'o', format('statistics %I.%I', n.nspname, s.stxname), NULL, NULL, "
	  "  'extended statistics are not carried (ANALYZE the target after creating them)' "
	  "FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = $1 "
	  "UNION ALL SELECT 'o', format('privileges on %I.%I(%s)', n.nspname, p.proname, "
	  "  pg_get_function_identity_arguments(p.oid)), NULL, NULL, 'privileges on routines are not carried' "
	  "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 "
	  "  AND p.proacl IS NOT NULL AND" PG_NOT_EXT("pg_proc", "p.oid")
	  "UNION ALL SELECT 'o', format('privileges on columns of %I.%I', n.nspname, c.relname), c.relname, NULL, "
	  "  'column privileges are not carried' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	  "WHERE n.nspname = $1 AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
	  "  AND a.attacl IS NOT NULL) "
	  "UNION ALL SELECT 'o', format('storage options of %I.%I', n.nspname, c.relname), c.relname, NULL, "
	  "  'table storage options (' || array_to_string(c.reloptions, ', ') || ') are not carried' "
	  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
	  "  AND c.relkind IN ('r', 'p') AND c.reloptions IS NOT NULL "
	  "UNION ALL SELECT 'o', format('default privileges in schema %I', n.nspname), NULL, NULL, "
	  "  'default privileges are not carried' FROM pg_default_acl da JOIN pg_namespace n "
	  "  ON n.oid = da.defaclnamespace WHERE n.nspname = $1 "
	  "UNION ALL SELECT 'o', format('extension %I', e.extname), NULL, NULL, "
	  "  format('extension %s %s is not carried: CREATE EXTENSION %I in the target database first', "
	  "  e.extname, e.extversion, e.extname) FROM pg_extension e WHERE e.extname <> 'plpgsql' "
	  "UNION ALL SELECT 'o', format('event trigger %I', e.evtname), NULL, NULL, "
	  "  'event triggers belong to the database: not carried' FROM pg_event_trigger e "
	  "UNION ALL SELECT 'o', format('publication %I', p.pubname), NULL, NULL, "
	  "  'publications belong to the database: not carried' FROM pg_publication p "
	  "ORDER BY 2" },
};

static dp_obj_kind obj_kind(char k)
{
	switch (k) {
	case 't': return DP_OBJ_TYPE;
	case 's': return DP_OBJ_SEQUENCE;
	case 'f': return DP_OBJ_FUNCTION;
	case 'v': return DP_OBJ_VIEW;
	case 'm': return DP_OBJ_MATVIEW;
	case 'g': return DP_OBJ_TRIGGER;
	case 'c': return DP_OBJ_COMMENT;
	case 'p': return DP_OBJ_POLICY;
	case 'r': return DP_OBJ_GRANT;
	default: return DP_OBJ_OTHER;
	}
}

/* Fill s->objects, in creation order (the table's order, each query's
 * ORDER BY). */
static int introspect_objects(dp_conn *c, dp_schema *s, dp_errbuf *eb)
{
	const char *p[1] = { c->schema };

	for (size_t q = 0; q < sizeof(pg_objqs) / sizeof(pg_objqs[0]); q++) {
		PGresult *r = query(c, pg_objqs[q].sql, 1, p, eb);
		int rc = DP_OK;
		if (!r) {
			char msg[DP_ERRMSG_MAX];
			snprintf(msg, sizeof(msg), "%s", eb->msg);
			rc = eb->code;
			dp_errbuf_clear(eb);
			return dp_fail(eb, rc, "reading the %s of schema %s: %s", pg_objqs[q].what, c->schema, msg);
		}
		for (int i = 0; !rc && i < PQntuples(r); i++) {
			dp_obj_kind k = obj_kind(PQgetvalue(r, i, 0)[0]);
			if (dp_schema_add_object(s, k, pg_objqs[q].phase, PQgetvalue(r, i, 1), val_or_null(r, i, 2),
						 k == DP_OBJ_OTHER ? NULL : val_or_null(r, i, 3), val_or_null(r, i, 4)))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		PQclear(r);
		if (rc)
			return rc;
	}
	return DP_OK;
}

/* Partition key and partitions of partitioned table t (see PG_PARTITION_BY). */
static const char *const Q_PARTITIONS =
	"WITH RECURSIVE tree(oid, parent, lvl) AS ("
	"  SELECT inhrelid, inhparent, 1 FROM pg_inherits WHERE inhparent = $1::oid "
	"  UNION ALL SELECT i.inhrelid, i.inhparent, tree.lvl + 1 FROM pg_inherits i "
	"  JOIN tree ON i.inhparent = tree.oid WHERE tree.lvl < 32) "
	"SELECT pg_get_partkeydef($1::oid), format('CREATE TABLE %I PARTITION OF %I %s%s', c.relname, "
	"  p.relname, pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p' "
	"  THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END) "
	"FROM (SELECT 1) one LEFT JOIN tree ON true LEFT JOIN pg_class c ON c.oid = tree.oid "
	"LEFT JOIN pg_class p ON p.oid = tree.parent ORDER BY tree.lvl, c.relname";

/* What partitions have of their own (not clones of the parent's): FKs
 * (with their name, see PG_FOLDED), CHECK, unique and exclusion
 * constraints, indexes (unqualified, as in Q_INDEXES). */
static const char *const Q_PARTITION_FKS =
	"WITH RECURSIVE tree(oid, lvl) AS (SELECT inhrelid, 1 FROM pg_inherits WHERE inhparent = $1::oid "
	"  UNION ALL SELECT i.inhrelid, tree.lvl + 1 FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid "
	"  WHERE tree.lvl < 32) "
	"SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid)), "
	"  CASE WHEN k.contype = 'f' THEN k.conname END, c.relname, k.conname "
	"FROM pg_constraint k JOIN tree ON tree.oid = k.conrelid JOIN pg_class c ON c.oid = k.conrelid "
	"WHERE (k.contype IN ('f', 'u', 'x') AND k.conparentid = 0) OR (k.contype = 'c' AND k.coninhcount = 0) "
	"UNION ALL "
	"SELECT CASE WHEN strpos(x.d, x.q) > 0 THEN overlay(x.d placing ' ON ' from strpos(x.d, x.q) "
	"  for length(x.q)) ELSE x.d END, NULL, c.relname, ic.relname "
	"FROM pg_index i JOIN tree ON tree.oid = i.indrelid JOIN pg_class c ON c.oid = i.indrelid "
	"JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace, "
	"LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS d, ' ON ' || quote_ident(n.nspname) || '.' AS q) x "
	"WHERE NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) "
	"  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
	"ORDER BY 3, 4";

static int partitions(dp_conn *c, dp_table *t, const char *oid, dp_errbuf *eb)
{
	const char *p[1] = { oid };
	dp_buf sql = DP_BUF_INIT;
	PGresult *r = query(c, Q_PARTITIONS, 1, p, eb);
	int rc;

	if (!r)
		return eb->code;
	rc = dp_buf_printf(&sql, PG_PARTITION_BY "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		const char *stmt = val_or_null(r, i, 1);
		if (stmt && !strchr(stmt, '\n'))
			rc = dp_buf_printf(&sql, "\n%s", stmt);
	}
	PQclear(r);
	r = rc ? NULL : query(c, Q_PARTITION_FKS, 1, p, eb);
	if (!rc && !r) {
		dp_buf_free(&sql);
		return eb->code;
	}
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		if (strchr(PQgetvalue(r, i, 0), '\n'))
			continue;
		rc = dp_buf_printf(&sql, "\n%s", PQgetvalue(r, i, 0));
		if (!rc && val_or_null(r, i, 1))
			rc = dp_buf_printf(&sql, "\n" PG_FOLDED "%s", PQgetvalue(r, i, 1));
	}
	PQclear(r);
	free(t->create_sql);
	t->create_sql = rc ? NULL : dp_strdup(dp_buf_str(&sql));
	dp_buf_free(&sql);
	return t->create_sql ? DP_OK : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
}

static int pg_introspect(dp_conn *c, dp_schema **out, dp_errbuf *eb)
{
	dp_schema *s = calloc(1, sizeof(*s));
	const char *p[1] = { c->schema };
	PGresult *r;
	int rc = DP_OK;

	*out = NULL;
	if (!s || !(s->engine = dp_strdup("postgresql"))) {
		free(s);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	/* a schema that does not exist is a mistake, not an empty database */
	r = query(c, "SELECT 1 FROM pg_namespace WHERE nspname = $1", 1, p, eb);
	if (!r) {
		dp_schema_free(s);
		return eb->code;
	}
	if (PQntuples(r) == 0) {
		PQclear(r);
		dp_schema_free(s);
		return dp_fail(eb, DP_ERR_CONFIG, "source.schema_name: schema %s does not exist in %s",
			       c->schema, c->desc);
	}
	PQclear(r);
	r = query(c, Q_TABLES, 1, p, eb);
	if (!r) {
		dp_schema_free(s);
		return eb->code;
	}
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		dp_table *t;
		if (dp_schema_add_table(s, PQgetvalue(r, i, 1), &t)) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		t->schema = dp_strdup(c->schema);
		rc = table_details(c, t, PQgetvalue(r, i, 0), eb);
		if (!rc && PQgetvalue(r, i, 3)[0] == 'p')
			rc = partitions(c, t, PQgetvalue(r, i, 0), eb);
		t->row_estimate = strtoll(PQgetvalue(r, i, 2), NULL, 10);
		/* never analysed: count exactly (estimates drive scheduling and progress) */
		if (!rc && t->row_estimate < 0)
			rc = pg_count_rows(c, t, &t->row_estimate, eb);
	}
	PQclear(r);
	if (!rc)
		rc = introspect_objects(c, s, eb);
	if (!rc && s->ntables == 0)
		dp_log_warn("postgresql %s: schema %s has no tables", c->desc, c->schema);
	if (rc) {
		dp_schema_free(s);
		return rc;
	}
	*out = s;
	return DP_OK;
}

static int pg_snapshot_export(dp_conn *c, char **token, dp_errbuf *eb)
{
	PGresult *r = query(c, "SELECT pg_export_snapshot()", 0, NULL, eb);
	if (!r)
		return eb->code;
	*token = dp_strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return *token ? DP_OK : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
}

static int pg_snapshot_import(dp_conn *c, const char *token, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc;

	if (!token)
		return dp_fail(eb, DP_ERR_INTERNAL, "postgresql: no snapshot to import");
	/* the session's transaction was opened by pg_open; SET TRANSACTION
	 * SNAPSHOT must be its first statement, so restart it */
	PQclear(PQexec(c->pg, "ROLLBACK"));
	c->in_txn = 0;
	rc = exec_ok(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", eb);
	if (rc)
		return rc;
	c->in_txn = 1;
	if (dp_buf_puts(&sql, "SET TRANSACTION SNAPSHOT ") ||
	    pg_quote_literal(c, token, strlen(token), &sql)) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	return rc;
}

/* ---- reading: COPY (SELECT ...) TO STDOUT ---- */

static int pg_read_open(dp_conn *c, const dp_read_spec *spec, dp_reader **out, dp_errbuf *eb)
{
	const dp_table *t = spec->table;
	dp_sql sql;
	dp_reader *r;
	PGresult *res;
	int rc;

	*out = NULL;
	if (spec->where && dp_sql_fragment_check(spec->where, "postgresql", t->name, eb))
		return eb->code;
	dp_sql_init(&sql, dp_pg_dialect.quote);
	dp_sql_puts(&sql, "COPY (");
	dp_sql_read(&sql, &dp_pg_dialect, c->schema, spec, NULL, NULL, spec->limit, -1);
	dp_sql_puts(&sql, ") TO STDOUT");
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	/* the extended protocol accepts exactly one statement: whatever a
	 * fragment holds, this request cannot run a second one */
	res = PQexecParams(c->pg, dp_sql_str(&sql), 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		char m[700];
		rc = dp_fail(eb, pg_code(c->pg, res), "postgresql %s: reading %s: %s", c->desc, t->name,
			     pg_msg(c->pg, m, sizeof(m)));
		PQclear(res);
		dp_sql_free(&sql);
		return rc;
	}
	PQclear(res);
	dp_sql_free(&sql);
	r = calloc(1, sizeof(*r));
	if (!r)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	r->c = c;
	r->t = t;
	r->started = 1;
	*out = r;
	return DP_OK;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

/* Decode one COPY text field in place; returns its length. */
static size_t unescape(char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '\\' && i + 1 < n) {
			char e = s[++i];
			switch (e) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case 'v': ch = '\v'; break;
			default:
				if (e >= '0' && e <= '7') {
					int v = e - '0';
					for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
						v = v * 8 + (s[++i] - '0');
					ch = (char)v;
				} else {
					ch = e;
				}
			}
		}
		s[w++] = ch;
	}
	return w;
}

static int put_field(const dp_column *col, char *s, size_t n, dp_batch *b, dp_value *v)
{
	if (n == 2 && s[0] == '\\' && s[1] == 'N') {
		dp_value_set_null(v);
		return DP_OK;
	}
	n = unescape(s, n);
	switch (col->tclass) {
	case DP_T_INTEGER: {
		char *end;
		long long x;
		s[n] = '\0';
		errno = 0;
		x = strtoll(s, &end, 10);
		if (!errno && *end == '\0' && end != s) {
			dp_value_set_int(v, x);
			return DP_OK;
		}
		break;
	}
	case DP_T_REAL: {
		char *end;
		double x;
		s[n] = '\0';
		x = strtod(s, &end);
		if (*end == '\0' && end != s) {
			dp_value_set_real(v, x);
			return DP_OK;
		}
		break;
	}
	case DP_T_TIMESTAMP:
	case DP_T_TIME:
		/* timestamptz/timetz print their offset as +HH; ISO 8601 (and
		 * SQLite's date functions) want +HH:MM */
		if (n >= 4 && n < 60 && (s[n - 3] == '+' || s[n - 3] == '-') && isdigit((unsigned char)s[n - 2]) &&
		    isdigit((unsigned char)s[n - 1]) && isdigit((unsigned char)s[n - 4])) {
			char tmp[64];
			memcpy(tmp, s, n);
			memcpy(tmp + n, ":00", 3);
			return dp_batch_set_text(b, v, tmp, n + 3);
		}
		break;
	case DP_T_BOOL:
		if (n == 1 && (s[0] == 't' || s[0] == 'f')) {
			dp_value_set_int(v, s[0] == 't');
			return DP_OK;
		}
		break;
	case DP_T_BLOB:
		if (n >= 2 && s[0] == '\\' && s[1] == 'x' && n % 2 == 0) {
			size_t m = (n - 2) / 2;
			for (size_t i = 0; i < m; i++) {
				int hi = hexval(s[2 + 2 * i]), lo = hexval(s[3 + 2 * i]);
				if (hi < 0 || lo < 0)
					return dp_batch_set_text(b, v, s, n);
				s[i] = (char)(hi * 16 + lo);
			}
			return dp_batch_set_blob(b, v, s, m);
		}
		break;
	default:
		break;
	}
	return dp_batch_set_text(b, v, s, n);
}

static int pg_read_next(dp_reader *r, dp_batch *b, int *eof, dp_errbuf *eb)
{
	const dp_table *t = r->t;

	*eof = r->done;
	while (!r->done && !dp_batch_full(b)) {
		char *line = NULL;
		int len = PQgetCopyData(r->c->pg, &line, 0);
		if (len == -1) {
			PGresult *res = PQgetResult(r->c->pg);
			int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
			char m[700];
			PQclear(res);
			while ((res = PQgetResult(r->c->pg)))
				PQclear(res);
			r->done = 1;
			if (!ok)
				return dp_fail(eb, DP_ERR_SQL, "postgresql %s: reading %s: %s", r->c->desc,
					       t->name, pg_msg(r->c->pg, m, sizeof(m)));
			break;
		}
		if (len < 0) {
			char m[700];
			r->done = 1;
			return dp_fail(eb, DP_ERR_IO, "postgresql %s: reading %s: %s", r->c->desc, t->name,
				       pg_msg(r->c->pg, m, sizeof(m)));
		}
		{
			dp_value *v = dp_batch_add_row(b);
			char *p = line, *end = line + len;
			size_t c = 0;
			int rc = DP_OK;
			if (end > line && end[-1] == '\n')
				end--;
			while (c < t->ncols && !rc) {
				char *f = p;
				while (p < end && *p != '\t')
					p++;
				rc = put_field(&t->cols[c], f, (size_t)(p - f), b, &v[c]);
				c++;
				p++;
			}
			PQfreemem(line);
			if (rc)
				return dp_fail(eb, rc, "postgresql: reading %s: value too large or out of memory",
					       t->name);
			if (c != t->ncols)
				return dp_fail(eb, DP_ERR_INTERNAL, "postgresql: reading %s: short row", t->name);
		}
	}
	*eof = r->done;
	return DP_OK;
}

static void pg_read_close(dp_reader *r)
{
	if (!r)
		return;
	if (!r->done) {
		/* abandon the COPY: cancel it and drain, the session stays usable */
		PGcancel *cn = PQgetCancel(r->c->pg);
		char *line;
		char err[256];
		PGresult *res;
		if (cn) {
			PQcancel(cn, err, sizeof(err));
			PQfreeCancel(cn);
		}
		while (PQgetCopyData(r->c->pg, &line, 0) >= 0)
			PQfreemem(line);
		while ((res = PQgetResult(r->c->pg)))
			PQclear(res);
	}
	free(r);
}

/* ---- target schema ---- */

static int remember(dp_conn *c, const dp_table *t)
{
	for (size_t i = 0; i < c->nmade; i++)
		if (c->made[i] == t)
			return DP_OK;
	if (c->nmade == c->capmade) {
		size_t nc = c->capmade ? c->capmade * 2 : 16;
		const dp_table **m = realloc(c->made, nc * sizeof(*m));
		if (!m)
			return DP_ERR_NOMEM;
		c->made = m;
		c->capmade = nc;
	}
	c->made[c->nmade++] = t;
	return DP_OK;
}

static int same_engine(const char *src_engine)
{
	return src_engine && !strcmp(src_engine, "postgresql");
}

static int is_partitioned(const dp_table *t, const char *src_engine)
{
	return same_engine(src_engine) && t->create_sql &&
	       !strncmp(t->create_sql, PG_PARTITION_BY, strlen(PG_PARTITION_BY));
}

/* Run the lines of t->create_sql after the first that start with `prefix`
 * (see PG_PARTITION_BY), in order. */
static int partition_lines(dp_conn *c, const dp_table *t, const char *prefix, dp_errbuf *eb)
{
	const char *p = strchr(t->create_sql, '\n');
	int rc = DP_OK;

	while (!rc && p && *p) {
		const char *e = strchr(++p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *stmt = n && !strncmp(p, prefix, strlen(prefix)) ? strndup(p, n) : NULL;
		if (stmt)
			rc = exec_ok(c, stmt, eb);
		else if (n && !strncmp(p, prefix, strlen(prefix)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		free(stmt);
		p = e;
	}
	return rc;
}

/* An FK of the parent that is a partition's own (see PG_FOLDED). */
static int folded_fk(const dp_table *t, const dp_fk *fk)
{
	size_t n = fk->name ? strlen(fk->name) : 0;

	for (const char *p = t->create_sql; n && (p = strstr(p, "\n" PG_FOLDED)); p++) {
		const char *name = p + 1 + strlen(PG_FOLDED);
		if (!strncmp(name, fk->name, n) && (name[n] == '\n' || !name[n]))
			return 1;
	}
	return 0;
}

static int create_table(dp_conn *c, const dp_table *t, const char *src_engine, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	dp_sql ddl;
	int rc = dp_buf_puts(&sql, "DROP TABLE IF EXISTS ");

	if (!rc)
		rc = qualified(c, t->name, &sql);
	if (!rc)
		rc = dp_buf_puts(&sql, " CASCADE");
	if (!rc)
		rc = exec_ok(c, dp_buf_str(&sql), eb);
	if (rc) {
		dp_buf_free(&sql);
		return rc;
	}
	dp_buf_free(&sql);
	/* pg_dump's order: the primary key is built after the data (one sorted
	 * build instead of maintaining the index row by row), unless FKs are
	 * enforced while loading and need it */
	dp_sql_init(&ddl, dp_pg_dialect.quote);
	rc = dp_sql_create_table(&ddl, &dp_pg_dialect, c->schema, t, src_engine, c->fk_immediate, eb);
	if (rc) {
		dp_sql_free(&ddl);
		return rc;
	}
	/* a partitioned table from PostgreSQL: its key, then its partitions */
	if (is_partitioned(t, src_engine)) {
		const char *nl = strchr(t->create_sql, '\n');
		size_t n = nl ? (size_t)(nl - t->create_sql) : strlen(t->create_sql);
		dp_sql_puts(&ddl, " ");
		if (!dp_sql_failed(&ddl) && dp_buf_append(&ddl.b, t->create_sql, n))
			ddl.err = 1;
	}
	rc = dp_sql_failed(&ddl) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_sql_str(&ddl), eb);
	dp_sql_free(&ddl);
	if (!rc && is_partitioned(t, src_engine))
		rc = partition_lines(c, t, "CREATE TABLE ", eb);
	if (!rc && remember(c, t))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return rc;
}


static const char *fk_action_sql(dp_fk_action a)
{
	switch (a) {
	case DP_FK_RESTRICT: return "RESTRICT";
	case DP_FK_CASCADE: return "CASCADE";
	case DP_FK_SET_NULL: return "SET NULL";
	case DP_FK_SET_DEFAULT: return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

/* An FK from PostgreSQL as the source names and declares it (both actions,
 * DEFERRABLE, INITIALLY DEFERRED). */
static void add_fk_same(dp_sql *q, const char *schema, const dp_table *t, const dp_fk *fk)
{
	dp_sql_puts(q, "ALTER TABLE ");
	dp_sql_table(q, schema, t->name);
	dp_sql_puts(q, " ADD ");
	if (fk->name) {
		dp_sql_puts(q, "CONSTRAINT ");
		dp_sql_ident(q, fk->name);
		dp_sql_puts(q, " ");
	}
	dp_sql_puts(q, "FOREIGN KEY (");
	dp_sql_idents(q, fk->cols, fk->ncols);
	dp_sql_puts(q, ") REFERENCES ");
	dp_sql_table(q, schema, fk->ref_table);
	dp_sql_puts(q, " (");
	dp_sql_idents(q, fk->ref_cols, fk->ncols);
	dp_sql_printf(q, ") ON UPDATE %s ON DELETE %s%s", fk_action_sql(fk->on_update),
		      fk_action_sql(fk->on_delete), fk->deferrable == 2 ? " DEFERRABLE INITIALLY DEFERRED"
		      : fk->deferrable ? " DEFERRABLE" : "");
}

static int pg_create(dp_conn *c, const dp_table *t, dp_ddl_phase phase, const char *src_engine,
		     dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc = DP_OK;

	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "postgresql: refusing DDL on a source session");
	if (phase == DP_DDL_TABLE)
		return create_table(c, t, src_engine, eb);
	if (phase == DP_DDL_INDEXES) {
		if (t->npk && !c->fk_immediate) {
			dp_sql q;
			dp_sql_init(&q, dp_pg_dialect.quote);
			dp_sql_puts(&q, "ALTER TABLE ");
			dp_sql_table(&q, c->schema, t->name);
			dp_sql_puts(&q, " ADD ");
			dp_sql_primary_key(&q, t);
			rc = dp_sql_failed(&q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
					       : exec_ok(c, dp_sql_str(&q), eb);
			dp_sql_free(&q);
		}
		for (size_t i = 0; !rc && i < t->nidx; i++) {
			const dp_index *ix = &t->idx[i];
			char name[64];
			dp_sql q;
			/* from PostgreSQL: the source's own definition (method, operator
			 * classes, collations, INCLUDE, predicate, expressions), unqualified:
			 * built where search_path points, the staging schema */
			if (same_engine(src_engine) && ix->sql) {
				rc = exec_ok(c, ix->sql, eb);
				continue;
			}
			if (!ix->ncols || !ix->cols)
				continue;     /* expression/partial index: not portable, skipped */
			/* index names are per schema in PostgreSQL: prefix with the table */
			dp_sql_index_name(&dp_pg_dialect, t, ix, name, sizeof(name));
			dp_sql_init(&q, dp_pg_dialect.quote);
			dp_sql_create_index(&q, c->schema, t, ix, name);
			rc = dp_sql_failed(&q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
					       : exec_ok(c, dp_sql_str(&q), eb);
			dp_sql_free(&q);
		}
		if (!rc && is_partitioned(t, src_engine))
			rc = partition_lines(c, t, "CREATE INDEX ", eb);
		if (!rc && is_partitioned(t, src_engine))
			rc = partition_lines(c, t, "CREATE UNIQUE INDEX ", eb);
		dp_buf_free(&sql);
		return rc;
	}
	for (size_t f = 0; !rc && f < t->nfks; f++) {
		dp_sql q;
		if (t->fks[f].is_virtual || (is_partitioned(t, src_engine) && folded_fk(t, &t->fks[f])))
			continue;
		dp_sql_init(&q, dp_pg_dialect.quote);
		if (same_engine(src_engine))
			add_fk_same(&q, c->schema, t, &t->fks[f]);
		else
			dp_sql_add_fk(&q, &dp_pg_dialect, c->schema, t, &t->fks[f]);
		rc = dp_sql_failed(&q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
				       : exec_ok(c, dp_sql_str(&q), eb);
		dp_sql_free(&q);
	}
	if (!rc && is_partitioned(t, src_engine))
		rc = partition_lines(c, t, "ALTER TABLE ", eb);
	dp_buf_free(&sql);
	return rc;
}

static int pg_can_carry(const dp_object *o, const char *src_engine)
{
	return same_engine(src_engine) && o->kind != DP_OBJ_OTHER && o->ddl && *o->ddl;
}

/* Run one object's DDL (one statement) where the tables are built. In a
 * killed job's staging schema, the objects made before its tables are
 * there already: "already exists" is then no error. */
static int pg_create_object(dp_conn *c, const dp_object *o, const char *src_engine, dp_errbuf *eb)
{
	int again = c->adopted && o->phase == DP_OBJ_BEFORE_TABLES;
	PGresult *r;
	int rc = DP_OK;

	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "postgresql: refusing DDL on a source session");
	if (!pg_can_carry(o, src_engine))
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "postgresql: %s %s from %s is not carried",
			       dp_obj_kind_name(o->kind), o->name, src_engine ? src_engine : "?");
	if (c->copying) {
		rc = copy_end(c->copying, NULL, eb);
		c->copying = NULL;
		if (rc)
			return rc;
	}
	if (again && (rc = exec_ok(c, "SAVEPOINT doppel_object", eb)))
		return rc;
	r = PQexecParams(c->pg, o->ddl, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		char m[700];
		if (again && st && (!strcmp(st, "42710") || !strcmp(st, "42P07") || !strcmp(st, "42723"))) {
			PQclear(r);
			dp_log_debug("postgresql %s: %s %s is in the continued staging schema already", c->desc,
				     dp_obj_kind_name(o->kind), o->name);
			return exec_ok(c, "ROLLBACK TO SAVEPOINT doppel_object", eb);
		}
		int dup = st && (!strcmp(st, "42710") || !strcmp(st, "42P07") || !strcmp(st, "42723"));
		rc = dp_fail(eb, pg_code(c->pg, r), "postgresql %s: creating %s %s: %s%s (in: %.300s)", c->desc,
			     dp_obj_kind_name(o->kind), o->name, pg_msg(c->pg, m, sizeof(m)),
			     dup && !c->stage[0] ? "; without the privilege to create a staging schema doppel "
			     "builds in the target schema itself and does not replace the schema objects an "
			     "earlier run left there: drop them, or GRANT CREATE ON DATABASE to the role" : "",
			     o->ddl);
	}
	PQclear(r);
	if (!rc && again)
		rc = exec_ok(c, "RELEASE SAVEPOINT doppel_object", eb);
	return rc;
}

static int pg_truncate(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc;

	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "postgresql: refusing to truncate on a source session");
	if (dp_buf_puts(&sql, "TRUNCATE ") || qualified(c, t->name, &sql) ||
	    dp_buf_puts(&sql, " CASCADE")) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	return rc;
}

/* ---- writing: COPY ... FROM STDIN ---- */

static int copy_field(dp_buf *b, const dp_value *v)
{
	char tmp[64];
	int rc = DP_OK;

	switch (v->kind) {
	case DP_V_NULL:
		return dp_buf_puts(b, "\\N");
	case DP_V_INT:
	case DP_V_REAL:
		dp_value_to_text(v, tmp, sizeof(tmp), NULL);
		return dp_buf_puts(b, tmp);
	case DP_V_BLOB:
		rc = dp_buf_puts(b, "\\\\x");
		for (size_t i = 0; !rc && i < v->len; i++)
			rc = dp_buf_printf(b, "%02x", (unsigned char)v->u.s[i]);
		return rc;
	case DP_V_TEXT:
		for (size_t i = 0; !rc && i < v->len; i++) {
			char ch = v->u.s[i];
			switch (ch) {
			case '\\': rc = dp_buf_puts(b, "\\\\"); break;
			case '\t': rc = dp_buf_puts(b, "\\t"); break;
			case '\n': rc = dp_buf_puts(b, "\\n"); break;
			case '\r': rc = dp_buf_puts(b, "\\r"); break;
			case '\0': break;      /* PostgreSQL text cannot hold NUL */
			default: rc = dp_buf_append(b, &ch, 1);
			}
		}
		return rc;
	}
	return rc;
}

static int copy_sql(dp_conn *c, const dp_table *t, dp_buf *sql)
{
	int rc = dp_buf_puts(sql, "COPY ");
	if (!rc)
		rc = qualified(c, t->name, sql);
	if (!rc)
		rc = dp_buf_puts(sql, " (");
	for (size_t i = 0, nf = 0; !rc && i < t->ncols; i++) {
		if (t->cols[i].generated)
			continue;
		if (nf++)
			rc = dp_buf_puts(sql, ", ");
		if (!rc)
			rc = quote_ident_buf(t->cols[i].name, sql);
	}
	return rc ? rc : dp_buf_puts(sql, ") FROM STDIN");
}

static int pg_write_open(dp_conn *c, const dp_table *t, int fast, dp_writer **out, dp_errbuf *eb)
{
	dp_writer *w;

	*out = NULL;
	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "postgresql: refusing to write on a source session");
	w = calloc(1, sizeof(*w));
	if (!w)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	w->c = c;
	w->t = t;
	w->fast = fast;
	*out = w;
	return DP_OK;
}


/* default_fast_executemany=false: one INSERT per row, errors name the row */
static int write_rows_single(dp_writer *w, const dp_batch *b, dp_errbuf *eb)
{
	dp_conn *c = w->c;
	const dp_table *t = w->t;
	dp_buf sql = DP_BUF_INIT;
	const char **vals = calloc(t->ncols + 1, sizeof(char *));
	dp_buf *bufs = calloc(t->ncols + 1, sizeof(dp_buf));
	int rc = vals && bufs ? dp_buf_puts(&sql, "INSERT INTO ") : DP_ERR_NOMEM;

	if (!rc)
		rc = qualified(c, t->name, &sql);
	if (!rc)
		rc = dp_buf_puts(&sql, " (");
	for (size_t i = 0; !rc && i < t->ncols; i++) {
		if (i)
			rc = dp_buf_puts(&sql, ", ");
		if (!rc)
			rc = quote_ident_buf(t->cols[i].name, &sql);
	}
	if (!rc)
		rc = dp_buf_puts(&sql, ") VALUES (");
	/* a generated column takes DEFAULT (the target computes it) */
	for (size_t i = 0, np = 0; !rc && i < t->ncols; i++)
		rc = t->cols[i].generated ? dp_buf_printf(&sql, "%sDEFAULT", i ? ", " : "")
					  : dp_buf_printf(&sql, "%s$%zu", i ? ", " : "", ++np);
	if (!rc)
		rc = dp_buf_puts(&sql, ")");
	if (rc) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < dp_batch_nrows(b) && !rc; r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		PGresult *res;
		size_t np = 0;
		for (size_t i = 0; i < t->ncols; i++) {
			if (t->cols[i].generated)
				continue;
			dp_buf_reset(&bufs[i]);
			if (row[i].kind == DP_V_NULL) {
				vals[np++] = NULL;
				continue;
			}
			if (row[i].kind == DP_V_BLOB) {
				if (dp_buf_puts(&bufs[i], "\\x"))
					rc = DP_ERR_NOMEM;
				for (size_t k = 0; !rc && k < row[i].len; k++)
					rc = dp_buf_printf(&bufs[i], "%02x", (unsigned char)row[i].u.s[k]);
			} else if (row[i].kind == DP_V_TEXT) {
				rc = dp_buf_append(&bufs[i], row[i].u.s, row[i].len);
				if (!rc && !row[i].len)
					rc = dp_buf_puts(&bufs[i], "");
			} else {
				char tmp[64];
				dp_value_to_text(&row[i], tmp, sizeof(tmp), NULL);
				rc = dp_buf_puts(&bufs[i], tmp);
			}
			vals[np++] = bufs[i].data ? bufs[i].data : "";
		}
		if (rc) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		res = PQexecParams(c->pg, dp_buf_str(&sql), (int)np, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			char key[256], m[700];
			dp_sql_describe_key(t, row, r, key, sizeof(key));
			rc = dp_fail(eb, DP_ERR_SQL, "postgresql: insert into %s failed at row with %s: %s",
				     t->name, key, pg_msg(c->pg, m, sizeof(m)));
		}
		PQclear(res);
	}
out:
	for (size_t i = 0; bufs && i < t->ncols; i++)
		dp_buf_free(&bufs[i]);
	free(bufs);
	free(vals);
	dp_buf_free(&sql);
	return rc;
}

static int copy_end(dp_writer *w, const char *abort_msg, dp_errbuf *eb)
{
	PGresult *res;
	int rc = DP_OK;
	char m[700];

	if (!w->copying)
		return DP_OK;
	w->copying = 0;
	if (PQputCopyEnd(w->c->pg, abort_msg) != 1)
		rc = dp_fail(eb, DP_ERR_IO, "postgresql: ending COPY into %s: %s", w->t->name,
			     pg_msg(w->c->pg, m, sizeof(m)));
	while ((res = PQgetResult(w->c->pg))) {
		if (!rc && !abort_msg && PQresultStatus(res) != PGRES_COMMAND_OK) {
			/* the row and column, from the CONTEXT line "COPY t, line N,
			 * column c: <value>" (the value itself is not repeated) */
			const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
			const char *ln = ctx ? strstr(ctx, ", line ") : NULL;
			const char *col = ctx ? strstr(ctx, ", column ") : NULL;
			char where[200] = "";
			if (ln) {
				long line = strtol(ln + 7, NULL, 10);
				int cl = col ? (int)strcspn(col + 9, ":\n") : 0;
				snprintf(where, sizeof(where), " at row %ld of its load%s%.*s", line,
					 col ? ", column " : "", cl, col ? col + 9 : "");
			}
			rc = dp_fail(eb, pg_code(w->c->pg, res), "postgresql: loading %s failed%s: %s",
				     w->t->name, where, pg_msg(w->c->pg, m, sizeof(m)));
		}
		PQclear(res);
	}
	return rc;
}

/* A writer's COPY stays open across its batches (one COPY per table, as
 * pg_dump does); when another table's batch comes to this session, the open
 * COPY is ended first - a session runs one COPY at a time. Server-side
 * errors of a COPY surface when it ends, named with its table. */
static int copy_begin(dp_writer *w, dp_errbuf *eb)
{
	dp_conn *c = w->c;
	dp_buf sql = DP_BUF_INIT;
	PGresult *res;
	int rc;
	char m[700];

	if (c->copying == w)
		return DP_OK;
	if (c->copying) {
		rc = copy_end(c->copying, NULL, eb);
		c->copying = NULL;
		if (rc)
			return rc;
	}
	if (copy_sql(c, w->t, &sql)) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	res = PQexec(c->pg, dp_buf_str(&sql));
	dp_buf_free(&sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = dp_fail(eb, DP_ERR_SQL, "postgresql: loading %s: %s", w->t->name,
			     pg_msg(c->pg, m, sizeof(m)));
		PQclear(res);
		return rc;
	}
	PQclear(res);
	w->copying = 1;
	c->copying = w;
	return DP_OK;
}

static int pg_write_batch(dp_writer *w, const dp_batch *b, dp_errbuf *eb)
{
	dp_conn *c = w->c;
	int rc = DP_OK;
	char m[700];

	if (!dp_batch_nrows(b))
		return DP_OK;
	if (!w->fast) {
		if (c->copying) {
			rc = copy_end(c->copying, NULL, eb);
			c->copying = NULL;
			if (rc)
				return rc;
		}
		return write_rows_single(w, b, eb);
	}
	dp_buf_reset(&w->line);
	for (size_t r = 0; r < dp_batch_nrows(b) && !rc; r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		for (size_t i = 0, nf = 0; i < w->t->ncols && !rc; i++) {
			if (w->t->cols[i].generated)
				continue;    /* not in the COPY list: the target computes it */
			if (nf++)
				rc = dp_buf_puts(&w->line, "\t");
			if (!rc)
				rc = copy_field(&w->line, &row[i]);
		}
		if (!rc)
			rc = dp_buf_puts(&w->line, "\n");
	}
	if (rc)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory encoding rows of %s", w->t->name);
	rc = copy_begin(w, eb);
	if (rc)
		return rc;
	if (PQputCopyData(c->pg, w->line.data, (int)w->line.len) != 1) {
		rc = dp_fail(eb, DP_ERR_IO, "postgresql: loading %s: %s", w->t->name,
			     pg_msg(c->pg, m, sizeof(m)));
		copy_end(w, "doppel: load failed", eb);
		c->copying = NULL;
		return rc;
	}
	return DP_OK;
}

static int pg_write_close(dp_writer *w, int commit, dp_errbuf *eb)
{
	int rc;
	if (!w)
		return DP_OK;
	rc = copy_end(w, commit ? NULL : "doppel: load abandoned", eb);
	if (w->c->copying == w)
		w->c->copying = NULL;
	dp_buf_free(&w->line);
	free(w);
	return rc;
}

static int pg_update_rows(dp_conn *c, const dp_table *t, const char *const *set_cols, size_t nset,
			  const char *const *key_cols, size_t nkey, const dp_batch *b, dp_errbuf *eb)
{
	dp_sql sql;
	char tmp[8][64];
	int rc = DP_OK;
	size_t np = nset + nkey;

	if (np > 8)
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "postgresql: update of %s with more than 8 columns",
			       t->name);
	dp_sql_init(&sql, dp_pg_dialect.quote);
	dp_sql_update_by_key(&sql, &dp_pg_dialect, c->schema, t, set_cols, nset, key_cols, nkey, NULL,
			     NULL);
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t r = 0; r < dp_batch_nrows(b) && !rc; r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		const char *vals[8];
		char *owned[8] = { NULL };
		PGresult *res;
		for (size_t i = 0; i < np; i++) {
			if (row[i].kind == DP_V_NULL)
				vals[i] = NULL;
			else if (row[i].kind == DP_V_TEXT) {
				owned[i] = strndup(row[i].u.s, row[i].len);
				vals[i] = owned[i];
			} else {
				dp_value_to_text(&row[i], tmp[i], sizeof(tmp[i]), NULL);
				vals[i] = tmp[i];
			}
		}
		res = PQexecParams(c->pg, dp_sql_str(&sql), (int)np, NULL, vals, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			char m[700];
			rc = dp_fail(eb, DP_ERR_SQL, "postgresql: update %s failed at row with %s=%s: %s",
				     t->name, key_cols[0], vals[nset] ? vals[nset] : "NULL",
				     pg_msg(c->pg, m, sizeof(m)));
		}
		PQclear(res);
		for (size_t i = 0; i < np; i++)
			free(owned[i]);
	}
	dp_sql_free(&sql);
	return rc;
}

static int pg_set_fk_enforcement(dp_conn *c, int on, dp_errbuf *eb)
{
	/* FKs are added by the FKS phase: before the load when enforced during
	 * it, after the load otherwise. Remember which, for the primary keys. */
	if (!c->nmade)
		c->fk_immediate = on;
	return DP_OK;
}

/* Independent verification: for every FK of every table this session
 * created, count child rows whose non-NULL key has no parent row. */
static int count_query(void *arg, const char *sql, int64_t *n, dp_errbuf *eb)
{
	PGresult *r = query(arg, sql, 0, NULL, eb);

	if (!r)
		return eb->code;
	*n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return DP_OK;
}

static int pg_fk_violations(dp_conn *c, int64_t *count, dp_buf *detail, dp_errbuf *eb)
{
	return dp_sql_fk_orphan_total(&dp_pg_dialect, c->schema, c->made, c->nmade, count_query, c,
				      count, detail, eb);
}

static int pg_reset_sequences(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	for (size_t i = 0; i < t->ncols; i++) {
		const char *col = t->cols[i].name;
		dp_sql qn, sql;
		int rc;
		if (!t->cols[i].is_identity || t->cols[i].tclass != DP_T_INTEGER)
			continue;
		dp_sql_init(&qn, dp_pg_dialect.quote);
		dp_sql_init(&sql, dp_pg_dialect.quote);
		dp_sql_table(&qn, c->schema, t->name);
		/* SELECT setval(seq, coalesce(max(col), 0) + 1, false) FROM t
		 * WHERE seq IS NOT NULL - a no-op for columns without a sequence */
		for (int pass = 0; pass < 2; pass++) {
			dp_sql_puts(&sql, pass ? " WHERE pg_get_serial_sequence(" : "SELECT setval(pg_get_serial_sequence(");
			dp_sql_literal(&sql, dp_sql_str(&qn), strlen(dp_sql_str(&qn)));
			dp_sql_puts(&sql, ", ");
			dp_sql_literal(&sql, col, strlen(col));
			if (pass)
				break;
			dp_sql_puts(&sql, "), coalesce(max(");
			dp_sql_ident(&sql, col);
			dp_sql_puts(&sql, "), 0) + 1, false) FROM ");
			dp_sql_table(&sql, c->schema, t->name);
		}
		dp_sql_puts(&sql, ") IS NOT NULL");
		rc = dp_sql_failed(&sql) || dp_sql_failed(&qn) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
							      : exec_ok(c, dp_sql_str(&sql), eb);
		dp_sql_free(&sql);
		dp_sql_free(&qn);
		if (rc)
			return rc;
	}
	return DP_OK;
}

const dp_connector dp_pg_connector = {
	.name = "postgresql",
	.caps = DP_CAP_SOURCE | DP_CAP_TARGET | DP_CAP_SHARED_SNAPSHOT | DP_CAP_DEFER_FK |
		DP_CAP_ATOMIC_TARGET,
	.open = pg_open,
	.identity = pg_identity,
	.stage_begin = pg_stage_begin,
	.stage_mark = pg_stage_mark,
	.stage_state = pg_stage_state,
	.stage_leftovers = pg_stage_leftovers,
	.cancel = pg_cancel,
	.finish = pg_finish,
	.close = pg_close,
	.introspect = pg_introspect,
	.count_rows = pg_count_rows,
	.snapshot_export = pg_snapshot_export,
	.snapshot_import = pg_snapshot_import,
	.read_open = pg_read_open,
	.read_next = pg_read_next,
	.read_close = pg_read_close,
	.create = pg_create,
	.create_object = pg_create_object,
	.can_carry = pg_can_carry,
	.truncate = pg_truncate,
	.write_open = pg_write_open,
	.write_batch = pg_write_batch,
	.write_close = pg_write_close,
	.update_rows = pg_update_rows,
	.set_fk_enforcement = pg_set_fk_enforcement,
	.fk_violations = pg_fk_violations,
	.reset_sequences = pg_reset_sequences,
	.quote_ident = pg_quote_ident,
	.quote_literal = pg_quote_literal,
};
