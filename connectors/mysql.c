/* connectors/mysql.c - the MySQL/MariaDB driver (libmariadb, the
 * libmysqlclient API).
 *
 * Source sessions: READ ONLY, REPEATABLE READ, one transaction started WITH
 * CONSISTENT SNAPSHOT for the job. MySQL cannot hand a snapshot to another
 * session, so all reads go through this one session (the engine serialises
 * them). To let several tables stream through one connection, reads are
 * keyset pages: each read_next runs "... WHERE key > last ORDER BY key
 * LIMIT n" and fetches it completely, so no result set stays open between
 * calls and memory stays bounded by the batch size.
 *
 * Target sessions: strict SQL mode, FOREIGN_KEY_CHECKS off while loading
 * when checks are deferred, multi-row INSERTs, FKs and indexes added after
 * the load, verification by NOT EXISTS queries. MySQL commits DDL
 * implicitly, so the job builds its tables in a staging database of its own
 * ("dp<hash of the target's name>_<random>") under GET_LOCK on the target,
 * and finish(commit=1) swaps them in with one multi-table RENAME TABLE,
 * which MySQL and MariaDB carry out atomically. A failed or killed job
 * leaves the target as it was; its staging database is dropped at once, or
 * by the next job on that target.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include "connector.h"
#include "dialect.h"
#include "typemap.h"
#include "sqlbuf.h"
#include "sqlfrag.h"
#include "stage_list.h"
#include "../base/dp_log.h"
#include "../base/dp_rng.h"

struct dp_conn {
	MYSQL *my;
	dp_role role;
	char desc[256];
	unsigned long thread_id;   /* for KILL QUERY from a side connection */
	dp_conn_cfg side;          /* what that side connection needs (secret wiped at free) */
	char *database;            /* the database the user named */
	char *dbkey;               /* ... as the server compares names (lower case under
	                              lower_case_table_names): identity, lock, staging */
	int lctn;                  /* @@lower_case_table_names > 0: names compare as lower case */
	char stage[65];            /* target: this job's staging database, "" = none */
	int locked;                /* target: holds GET_LOCK for the database */
	dp_stage_list kept;        /* adopted staging: complete tables */
	int finished;
	int fk_on;                 /* target: set_fk_enforcement(1) was asked for */
	const dp_table **made;
	size_t nmade, capmade;
	char **seqs;               /* target: sequences staged, swapped in with the tables */
	size_t nseqs;
	struct my_obj *objs;       /* target: views, routines, triggers made after the swap */
	size_t nobjs;
	char trash[65];            /* finish: database holding the old tables, "" = none */
	char **local_old;          /* finish: old tables with triggers, renamed beside the new */
	size_t nlocal;
	dp_buf unswap;             /* finish: the RENAME TABLE that undoes the swap */
	struct my_obj *oldtrig;    /* finish: the old tables' triggers, to put back on undo */
	size_t noldtrig;
	int swapped;
};

struct dp_reader {
	dp_conn *c;
	const dp_table *t;
	dp_read_spec spec;
	dp_value *last;          /* key of the last row read (keyset paging) */
	dp_batch *keys;          /* owns the bytes of `last` */
	int64_t offset;          /* tables without a key: OFFSET paging */
	int64_t left;            /* rows still allowed by spec->limit, < 0 = no limit */
	int have_last;
	int done;
};

struct dp_writer {
	dp_conn *c;
	const dp_table *t;
	int fast;
	dp_buf sql;
};

const dp_dialect dp_mysql_dialect = {
	.engine = "mysql",
	.quote = '`',
	.max_ident_len = 64,             /* NAME_CHAR_LEN */
	.placeholder = DP_PH_INLINE,     /* text protocol, values escaped for the connection */
	.rowid = NULL,                   /* tables without a key page by OFFSET */
	.identity = DP_IDENTITY_AUTO_INCREMENT,
	.generated = DP_GENERATED_AS,
	.bounded_key_types = 1,          /* InnoDB keys: no TEXT/BLOB without a length */
	.fks_inline = 0,                 /* ALTER TABLE ADD FOREIGN KEY after the load */
	.checks_inline = 0,
	.fk_set_default = 0,
	.index_names_per_schema = 0,     /* index names are per table */
	.table_options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
};

static int quote_ident_buf(const char *s, dp_buf *out)
{
	return dp_quote_ident(out, s, dp_mysql_dialect.quote);
}


static int my_quote_ident(dp_conn *c, const char *ident, dp_buf *out)
{
	return quote_ident_buf(ident, out);
}

static int literal(dp_conn *c, const char *s, size_t len, dp_buf *out)
{
	char *tmp = malloc(len * 2 + 1);
	unsigned long n;
	int rc;

	if (!tmp)
		return DP_ERR_NOMEM;
	n = mysql_real_escape_string(c->my, tmp, s, (unsigned long)len);
	rc = dp_buf_puts(out, "'");
	if (!rc)
		rc = dp_buf_append(out, tmp, n);
	if (!rc)
		rc = dp_buf_puts(out, "'");
	free(tmp);
	return rc;
}

static int my_quote_literal(dp_conn *c, const char *s, size_t len, dp_buf *out)
{
	return literal(c, s, len, out);
}

static int value_sql(dp_conn *c, const dp_value *v, dp_buf *out)
{
	char tmp[64];
	int rc = DP_OK;

	switch (v->kind) {
	case DP_V_NULL:
		return dp_buf_puts(out, "NULL");
	case DP_V_INT:
	case DP_V_REAL:
		dp_value_to_text(v, tmp, sizeof(tmp), NULL);
		return dp_buf_puts(out, tmp);
	case DP_V_BLOB:
		if (!v->len)
			return dp_buf_puts(out, "''");
		rc = dp_buf_puts(out, "0x");
		for (size_t i = 0; !rc && i < v->len; i++)
			rc = dp_buf_printf(out, "%02x", (unsigned char)v->u.s[i]);
		return rc;
	case DP_V_TEXT:
		return literal(c, v->u.s, v->len, out);
	}
	return rc;
}

/* The server's message with the row values it may quote replaced by
 * "...": "Duplicate entry '<v>' for key", "Incorrect integer value: '<v>'
 * for column": messages never carry source values. Per thread. */
static const char *my_msg(MYSQL *my)
{
	static __thread char buf[600];
	static const char *const marks[] = { "entry '", "value: '", NULL };
	char *p;

	snprintf(buf, sizeof(buf), "%s", mysql_error(my));
	for (const char *const *m = marks; *m; m++) {
		char *end;
		if (!(p = strstr(buf, *m)))
			continue;
		p += strlen(*m);
		end = strstr(p, "' for ");
		if (!end)
			end = strrchr(p, '\'');
		if (end && end >= p) {
			memmove(p + 3, end, strlen(end) + 1);
			memcpy(p, "...", 3);
		}
	}
	return buf;
}

/* Privileges are like credentials (exit 3); a lost server is I/O. */
static int my_code(MYSQL *my)
{
	switch (mysql_errno(my)) {
	case CR_SERVER_GONE_ERROR: case CR_SERVER_LOST:
		return DP_ERR_IO;
	case ER_ACCESS_DENIED_ERROR: case ER_DBACCESS_DENIED_ERROR: case ER_TABLEACCESS_DENIED_ERROR:
	case ER_COLUMNACCESS_DENIED_ERROR: case ER_SPECIFIC_ACCESS_DENIED_ERROR:
	case ER_PROCACCESS_DENIED_ERROR:
		return DP_ERR_AUTH;
	}
	return DP_ERR_SQL;
}

static int my_fail(dp_conn *c, dp_errbuf *eb, const char *what)
{
	return dp_fail(eb, my_code(c->my), "mysql %s: %s: %s", c->desc, what, my_msg(c->my));
}

static int exec_ok(dp_conn *c, const char *sql, dp_errbuf *eb)
{
	if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0)
		return dp_fail(eb, my_code(c->my), "mysql %s: %s (in: %.160s)", c->desc,
			       my_msg(c->my), sql);
	/* statements here return no rows; drain any to keep the session usable */
	{
		MYSQL_RES *r = mysql_store_result(c->my);
		if (r)
			mysql_free_result(r);
	}
	return DP_OK;
}

static void objs_free(dp_conn *c);

static void conn_free(dp_conn *c)
{
	if (!c)
		return;
	if (c->my)
		mysql_close(c->my);
	dp_conn_cfg_clear(&c->side);
	dp_stage_list_free(&c->kept);
	free(c->database);
	free(c->dbkey);
	free(c->made);
	for (size_t i = 0; i < c->nseqs; i++)
		free(c->seqs[i]);
	free(c->seqs);
	for (size_t i = 0; i < c->nlocal; i++)
		free(c->local_old[i]);
	free(c->local_old);
	objs_free(c);
	dp_buf_free(&c->unswap);
	free(c);
}

/* A source session lexes literals and quotes as doppel's subset-clause
 * check does: backslash escapes on, "..." a string. The server's other
 * modes stay (they shape how values read). */
static int source_sql_mode(dp_conn *c, dp_errbuf *eb)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	dp_buf mode = DP_BUF_INIT, sql = DP_BUF_INIT;
	int rc = DP_OK;

	if (mysql_query(c->my, "SELECT @@SESSION.sql_mode") != 0 || !(r = mysql_store_result(c->my)))
		return my_fail(c, eb, "reading sql_mode");
	row = mysql_fetch_row(r);
	if (row && row[0]) {
		char *m = dp_strdup(row[0]), *save = NULL;
		for (char *tok = m ? strtok_r(m, ",", &save) : NULL; tok && !rc; tok = strtok_r(NULL, ",", &save))
			if (strcmp(tok, "NO_BACKSLASH_ESCAPES") && strcmp(tok, "ANSI_QUOTES") && strcmp(tok, "ANSI"))
				rc = dp_buf_printf(&mode, "%s%s", mode.len ? "," : "", tok);
		if (!m)
			rc = DP_ERR_NOMEM;
		free(m);
	}
	mysql_free_result(r);
	if (!rc)
		rc = dp_buf_puts(&sql, "SET SESSION sql_mode = ");
	if (!rc)
		rc = literal(c, mode.len ? mode.data : "", mode.len, &sql);
	if (rc) {
		dp_buf_free(&mode);
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&mode);
	dp_buf_free(&sql);
	return rc;
}

static int my_open(const dp_conn_cfg *cfg, dp_role role, dp_conn **out, dp_errbuf *eb)
{
	dp_conn *c = calloc(1, sizeof(*c));
	unsigned int timeout = 10;
	my_bool off = 0;
	int rc;

	*out = NULL;
	if (!c)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	c->role = role;
	dp_conn_cfg_describe(cfg, c->desc, sizeof(c->desc));
	if (cfg->ssh.enabled) {
		conn_free(c);
		/* dp_session_open starts the tunnel and hands the driver its
		 * local end: a driver never sees an SSH config */
		return dp_fail(eb, DP_ERR_INTERNAL, "%s.hooks_params.SSHTunnel: reached the driver "
			       "(tunnels are opened by the session-open path)",
			       role == DP_ROLE_SOURCE ? "source" : "target");
	}
	if (!cfg->database || !*cfg->database) {
		conn_free(c);
		return dp_fail(eb, DP_ERR_CONFIG, "%s.database: name the database explicitly (doppel "
			       "never reads or writes a server's default database)",
			       role == DP_ROLE_SOURCE ? "source" : "target");
	}
	c->my = mysql_init(NULL);
	if (!c->my || dp_conn_cfg_copy(&c->side, cfg) || !(c->database = dp_strdup(cfg->database))) {
		conn_free(c);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	mysql_options(c->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(c->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(c->my, MYSQL_OPT_LOCAL_INFILE, &off);
	if (cfg->ssl.mode == DP_SSL_REQUIRE || cfg->ssl.mode == DP_SSL_VERIFY_CA ||
	    cfg->ssl.mode == DP_SSL_VERIFY_FULL || cfg->ssl.ca_filename) {
		my_bool verify = cfg->ssl.mode != DP_SSL_REQUIRE;
		mysql_ssl_set(c->my, cfg->ssl.key_filename, cfg->ssl.cert_filename,
			      cfg->ssl.ca_filename, NULL, NULL);
		mysql_options(c->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	}
	/* "localhost" would mean the unix socket to libmariadb: TCP is asked for */
	/* client flags 0: no CLIENT_MULTI_STATEMENTS, so every request is
	 * exactly one statement whatever a subset clause holds */
	if (!mysql_real_connect(c->my, cfg->host ? cfg->host : "127.0.0.1", cfg->username,
				cfg->password, cfg->database, cfg->port ? (unsigned)cfg->port : 3306,
				NULL, 0)) {
		unsigned e = mysql_errno(c->my);
		int code = e == ER_ACCESS_DENIED_ERROR || e == ER_DBACCESS_DENIED_ERROR
			   ? DP_ERR_AUTH : DP_ERR_CONNECT;
		rc = dp_fail(eb, code, "mysql %s: cannot connect: %s", c->desc, my_msg(c->my));
		conn_free(c);
		return rc;
	}
	c->thread_id = mysql_thread_id(c->my);
	/* the name as the server compares names: "SRC" and "src" are one
	 * database under lower_case_table_names (identity and lock agree) */
	{
		MYSQL_RES *nr;
		MYSQL_ROW row;
		if (mysql_query(c->my, "SELECT DATABASE(), @@lower_case_table_names") != 0 ||
		    !(nr = mysql_store_result(c->my))) {
			rc = my_fail(c, eb, "reading the database name");
			conn_free(c);
			return rc;
		}
		row = mysql_fetch_row(nr);
		c->dbkey = dp_strdup(row && row[0] ? row[0] : cfg->database);
		c->lctn = row && row[1] && strcmp(row[1], "0");
		if (c->dbkey && c->lctn)
			for (char *p = c->dbkey; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		mysql_free_result(nr);
		if (!c->dbkey) {
			conn_free(c);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	if (role == DP_ROLE_SOURCE) {
		rc = source_sql_mode(c, eb);
		if (!rc)
			rc = exec_ok(c, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", eb);
		if (!rc)
			rc = exec_ok(c, "SET SESSION TRANSACTION READ ONLY", eb);
		if (!rc)
			rc = exec_ok(c, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", eb);
		if (!rc)
			dp_log_info("mysql %s: one consistent-snapshot session reads every table "
				    "(sessions cannot share a snapshot)", c->desc);
	} else {
		rc = exec_ok(c, "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,"
			     "NO_ENGINE_SUBSTITUTION'", eb);
		if (!rc)
			rc = exec_ok(c, "SET SESSION time_zone = '+00:00'", eb);
		if (!rc)
			rc = exec_ok(c, "SET autocommit = 0", eb);
		if (!rc) {
			/* a blocked lock fails instead of hanging (metadata and row locks) */
			char set[128];
			int lt = cfg->lock_timeout > 0 ? cfg->lock_timeout : DP_DEFAULT_LOCK_TIMEOUT;
			snprintf(set, sizeof(set), "SET SESSION lock_wait_timeout = %d, "
				 "innodb_lock_wait_timeout = %d", lt, lt);
			rc = exec_ok(c, set, eb);
		}
		if (!rc && cfg->statement_timeout > 0) {
			char set[96];
			snprintf(set, sizeof(set), "SET SESSION max_statement_time = %d",
				 cfg->statement_timeout);
			rc = exec_ok(c, set, eb);
		}
	}
	if (rc) {
		conn_free(c);
		return rc;
	}
	*out = c;
	return DP_OK;
}

static MYSQL_RES *query(dp_conn *c, const char *sql, dp_errbuf *eb);
static int show_one(dp_conn *c, const char *sql, int col, int col2, char **out, char **out2,
		    dp_errbuf *eb);

/* ---- same-engine tables: SHOW CREATE TABLE, verbatim ----
 *
 * A MySQL->MySQL clone creates each table from the source's own SHOW
 * CREATE TABLE text (dp_table.create_sql, same-database qualifications
 * removed): column types with their character set and collation, ENUM/SET
 * members, defaults (ON UPDATE included), generated columns, CHECKs,
 * comments, AUTO_INCREMENT, table options and PARTITION BY stay exactly as
 * the source has them. The definition lines are split so the job's phases
 * still hold: secondary indexes (FULLTEXT, SPATIAL, prefix, DESC, IGNORED,
 * comments) are added in the INDEXES phase and foreign keys (with their
 * names and ON UPDATE/DELETE rules) in the FKS phase, each line as ALTER
 * TABLE ... ADD <line>. An index that holds the AUTO_INCREMENT column
 * first stays inline (InnoDB needs it at CREATE). */

/* Limit of definition lines of one CREATE TABLE (MySQL: 4096 columns + 64
 * indexes + FKs and CHECKs). */
#define MY_MAX_DEF_LINES 8192

typedef enum my_line_kind {
	MY_L_COLUMN = 1, MY_L_PK, MY_L_INDEX, MY_L_FK, MY_L_OTHER
} my_line_kind;

typedef struct my_def {
	const char *head;          /* "CREATE TABLE `t` (" up to and with the newline */
	size_t head_len;
	const char *tail;          /* from the line with the closing ")" */
	size_t n;
	const char **line;         /* each definition without its "  " and "," */
	size_t *len;
	my_line_kind *kind;
	int *inline_;              /* an index kept inside CREATE TABLE */
} my_def;

static void def_free(my_def *d)
{
	free(d->line);
	free(d->len);
	free(d->kind);
	free(d->inline_);
	memset(d, 0, sizeof(*d));
}

/* The backquoted name at s ("`a``b`" -> a`b) into out; 0 when s holds none. */
static int bq_name(const char *s, size_t n, char *out, size_t outsz)
{
	size_t k = 0;

	if (!n || *s != '`')
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (s[i] == '`') {
			if (i + 1 < n && s[i + 1] == '`') {
				i++;
			} else {
				out[k < outsz ? k : outsz - 1] = '\0';
				return k < outsz;
			}
		}
		if (k + 1 < outsz)
			out[k] = s[i];
		k++;
	}
	return 0;
}

/* Split create_sql; 0 when it is not in the shape SHOW CREATE TABLE gives. */
static int def_parse(const char *sql, my_def *d)
{
	const char *p = strstr(sql, " (\n"), *end;

	memset(d, 0, sizeof(*d));
	if (!p || strncmp(sql, "CREATE TABLE `", 14))
		return 0;
	d->head = sql;
	d->head_len = (size_t)(p + 3 - sql);
	p += 3;
	for (;;) {
		size_t n;
		end = strchr(p, '\n');
		if (!end || strncmp(p, "  ", 2)) {
			if (*p != ')')
				break;
			d->tail = p;
			return d->n > 0;
		}
		if (d->n % 64 == 0) {
			size_t cap = d->n + 64;
			const char **l = realloc(d->line, cap * sizeof(*l));
			size_t *ln = l ? realloc(d->len, cap * sizeof(*ln)) : NULL;
			my_line_kind *k = ln ? realloc(d->kind, cap * sizeof(*k)) : NULL;
			int *in = k ? realloc(d->inline_, cap * sizeof(*in)) : NULL;
			if (l)
				d->line = l;
			if (ln)
				d->len = ln;
			if (k)
				d->kind = k;
			if (in)
				d->inline_ = in;
			if (!in || d->n >= MY_MAX_DEF_LINES)
				break;
		}
		n = (size_t)(end - p) - 2;
		if (n && p[2 + n - 1] == ',')
			n--;
		d->line[d->n] = p + 2;
		d->len[d->n] = n;
		d->inline_[d->n] = 0;
		p += 2;
		d->kind[d->n] = *p == '`' ? MY_L_COLUMN
			: !strncmp(p, "PRIMARY KEY ", 12) ? MY_L_PK
			: (!strncmp(p, "KEY ", 4) || !strncmp(p, "UNIQUE KEY ", 11) ||
			   !strncmp(p, "FULLTEXT KEY ", 13) || !strncmp(p, "SPATIAL KEY ", 12) ||
			   !strncmp(p, "VECTOR KEY ", 11)) ? MY_L_INDEX
			: (!strncmp(p, "CONSTRAINT ", 11) && strstr(p, " FOREIGN KEY (") &&
			   strstr(p, " FOREIGN KEY (") < end) ? MY_L_FK
			: MY_L_OTHER;
		d->n++;
		p = end + 1;
	}
	def_free(d);
	return 0;
}

/* The create_sql of t split, when it describes exactly t's columns in
 * order (so the engine's column list and the table agree); 0 otherwise. */
static int def_for(const dp_table *t, const char *src_engine, my_def *d)
{
	size_t nc = 0;
	char auto_col[256] = "";

	if (!src_engine || strcmp(src_engine, "mysql") || !t->create_sql || !def_parse(t->create_sql, d))
		return 0;
	for (size_t i = 0; i < d->n; i++) {
		char name[256];
		if (d->kind[i] != MY_L_COLUMN)
			continue;
		if (nc >= t->ncols || !bq_name(d->line[i], d->len[i], name, sizeof(name)) ||
		    strcmp(name, t->cols[nc].name)) {
			def_free(d);
			return 0;
		}
		if (t->cols[nc].is_identity)
			snprintf(auto_col, sizeof(auto_col), "%s", name);
		nc++;
	}
	if (nc != t->ncols) {
		def_free(d);
		return 0;
	}
	/* the index InnoDB needs for an AUTO_INCREMENT column outside the PK */
	for (size_t i = 0; auto_col[0] && i < d->n; i++) {
		const char *o = d->kind[i] == MY_L_INDEX ? memchr(d->line[i], '(', d->len[i]) : NULL;
		char first[256];
		if (o && bq_name(o + 1, d->len[i] - (size_t)(o + 1 - d->line[i]), first, sizeof(first)) &&
		    !strcmp(first, auto_col))
			d->inline_[i] = 1;
	}
	return 1;
}

/* CREATE TABLE from the split text: columns, PK, CHECKs, inline indexes. */
static int def_create_sql(const my_def *d, dp_buf *out)
{
	int rc = dp_buf_append(out, d->head, d->head_len);
	size_t k = 0;

	for (size_t i = 0; !rc && i < d->n; i++) {
		if (d->kind[i] == MY_L_FK || (d->kind[i] == MY_L_INDEX && !d->inline_[i]))
			continue;
		rc = dp_buf_puts(out, k++ ? ",\n  " : "  ");
		if (!rc)
			rc = dp_buf_append(out, d->line[i], d->len[i]);
	}
	if (!rc)
		rc = dp_buf_puts(out, "\n");
	return rc ? rc : dp_buf_puts(out, d->tail);
}

/* ALTER TABLE t ADD <line> for each line of kind k (indexes not inline). */
static int def_add_lines(dp_conn *c, const dp_table *t, const my_def *d, my_line_kind k,
			 dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc = DP_OK;

	for (size_t i = 0; !rc && i < d->n; i++) {
		if (d->kind[i] != k || d->inline_[i])
			continue;
		dp_buf_reset(&sql);
		if (dp_buf_puts(&sql, "ALTER TABLE ") || quote_ident_buf(t->name, &sql) ||
		    dp_buf_puts(&sql, " ADD ") || dp_buf_append(&sql, d->line[i], d->len[i]))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		else
			rc = exec_ok(c, dp_buf_str(&sql), eb);
	}
	dp_buf_free(&sql);
	return rc;
}

/* ---- schema objects (MySQL -> MySQL): sequences, routines, views, triggers ----
 *
 * Sequences are tables to MariaDB: created in the staging database before
 * the tables (a DEFAULT nextval(s) needs them) with the source's next value,
 * and swapped in by the same RENAME TABLE as the tables.
 *
 * Views, triggers and routines cannot move between databases (MariaDB
 * refuses to rename a view or a table with triggers into another one, and
 * routines belong to their database), so create_object only proves each in
 * the staging database (a view against the staged tables, a trigger on its
 * staged table: dropped again at once so the RENAME can move the table) and
 * keeps it; finish(commit) creates them in the target database right after
 * the RENAME, still holding the job's lock: sequence defaults re-pointed,
 * functions and procedures, views, then triggers. A failure before the
 * triggers undoes the swap (new objects dropped, replaced ones restored from
 * the definitions read before the swap, the RENAME reversed): the target is
 * as before. A trigger that fails after that is reported with what is in
 * place, as an unknown outcome (DP_ERR_IO). */

/* The target session's own sql_mode (my_open), restored after an object
 * was created under the source's. */
#define MY_TARGET_SQL_MODE "STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"
/* An object's DDL is "SET SESSION sql_mode = '...';\n" then the CREATE. */
#define MY_MODE_HEAD "SET SESSION sql_mode = '"
#define MY_MODE_END "';\n"
/* A sequence's DDL: CREATE SEQUENCE, this, then DO SETVAL(...). */
#define MY_SEQ_SEP ";\n"

typedef struct my_obj {
	dp_obj_kind kind;
	char *name;
	char *mode;            /* sql_mode it was created under, or NULL */
	char *ddl;             /* CREATE OR REPLACE ..., definer removed */
	char *undo_mode, *undo;/* the target's definition before the swap, or NULL */
	int existed;           /* the target had an object of this name before */
	int made;              /* created in the target by this finish */
} my_obj;

static void obj_free(my_obj *o)
{
	free(o->name);
	free(o->mode);
	free(o->ddl);
	free(o->undo_mode);
	free(o->undo);
}

static void objs_free(dp_conn *c)
{
	for (size_t i = 0; i < c->nobjs; i++)
		obj_free(&c->objs[i]);
	free(c->objs);
	for (size_t i = 0; i < c->noldtrig; i++)
		obj_free(&c->oldtrig[i]);
	free(c->oldtrig);
}

/* "CREATE [ALGORITHM=..] DEFINER=`u`@`h` [SQL SECURITY ..] VIEW" ->
 * without the DEFINER clause (the object belongs to the target's user),
 * with "OR REPLACE" after CREATE when or_replace. malloc'd, NULL = no memory. */
static char *object_sql(const char *create, int or_replace)
{
	dp_buf b = DP_BUF_INIT;
	const char *d = strstr(create, "DEFINER=");
	const char *body = create;
	int rc = DP_OK;

	if (or_replace && !strncasecmp(create, "CREATE ", 7) && strncasecmp(create + 7, "OR REPLACE ", 11)) {
		rc = dp_buf_puts(&b, "CREATE OR REPLACE ");
		body = create + 7;
	}
	/* only a DEFINER of the header: before the object's own keyword */
	if (d && d >= body && (size_t)(d - create) < 80) {
		const char *p = d + 8;
		for (int part = 0; part < 2; part++) {
			if (*p == '`' || *p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && !(*p == q && p[1] != q))
					p += *p == q ? 2 : 1;
				if (*p)
					p++;
			} else {
				while (*p && *p != ' ' && *p != '@')
					p++;
			}
			if (*p != '@')
				break;
			p++;
		}
		while (*p == ' ')
			p++;
		if (!rc)
			rc = dp_buf_append(&b, body, (size_t)(d - body));
		body = p;
	}
	if (!rc)
		rc = dp_buf_puts(&b, body);
	if (rc) {
		dp_buf_free(&b);
		return NULL;
	}
	return dp_buf_steal(&b);
}

/* Remove "`db`." qualifications of the source's own database (a DEFAULT
 * nextval(`db`.`s`)): the clone's objects refer to its own database. */
static char *strip_db(const char *s, const char *db)
{
	dp_buf q = DP_BUF_INIT, out = DP_BUF_INIT;
	const char *p = s, *hit;
	int rc = quote_ident_buf(db, &q) || dp_buf_puts(&q, ".");

	while (!rc && (hit = strstr(p, dp_buf_str(&q)))) {
		rc = dp_buf_append(&out, p, (size_t)(hit - p));
		p = hit + q.len;
	}
	if (!rc)
		rc = dp_buf_puts(&out, p);
	dp_buf_free(&q);
	if (rc) {
		dp_buf_free(&out);
		return NULL;
	}
	return dp_buf_steal(&out);
}

/* Split "SET SESSION sql_mode = '<m>';\n<create>" (what introspection
 * writes); mode NULL when the DDL has no such head. */
static void split_mode(const char *ddl, char *mode, size_t modesz, const char **create)
{
	size_t hl = strlen(MY_MODE_HEAD);
	const char *e;

	mode[0] = '\0';
	*create = ddl;
	if (strncmp(ddl, MY_MODE_HEAD, hl) || !(e = strstr(ddl + hl, MY_MODE_END)))
		return;
	snprintf(mode, modesz, "%.*s", (int)(e - ddl - (ptrdiff_t)hl), ddl + hl);
	*create = e + strlen(MY_MODE_END);
}

/* Run create under sql_mode `mode` ("" = the session's), then back. */
static int exec_in_mode(dp_conn *c, const char *mode, const char *create, dp_errbuf *eb)
{
	dp_buf set = DP_BUF_INIT;
	int rc = DP_OK;

	if (mode && *mode) {
		if (dp_buf_puts(&set, "SET SESSION sql_mode = ") || literal(c, mode, strlen(mode), &set))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		if (!rc)
			rc = exec_ok(c, dp_buf_str(&set), eb);
	}
	if (!rc)
		rc = exec_ok(c, create, eb);
	if (mode && *mode) {
		dp_errbuf ignore;
		dp_errbuf_clear(&ignore);
		(void)exec_ok(c, "SET SESSION sql_mode = '" MY_TARGET_SQL_MODE "'", &ignore);
	}
	dp_buf_free(&set);
	return rc;
}

static int my_can_carry(const dp_object *o, const char *src_engine)
{
	if (!src_engine || strcmp(src_engine, "mysql") || !o->ddl || !o->name)
		return 0;
	return o->kind == DP_OBJ_SEQUENCE || o->kind == DP_OBJ_FUNCTION || o->kind == DP_OBJ_VIEW ||
	       o->kind == DP_OBJ_TRIGGER;
}

static int add_name(char ***v, size_t *n, const char *s)
{
	char **nv;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return DP_OK;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return DP_ERR_NOMEM;
	*v = nv;
	if (!(nv[*n] = dp_strdup(s)))
		return DP_ERR_NOMEM;
	(*n)++;
	return DP_OK;
}

static int my_create_object(dp_conn *c, const dp_object *o, const char *src_engine, dp_errbuf *eb)
{
	char mode[512];
	const char *create;
	char *sql = NULL;
	int rc;

	if (c->role != DP_ROLE_TARGET || !c->stage[0])
		return dp_fail(eb, DP_ERR_REFUSED, "mysql: refusing DDL outside a target's staging database");
	if (!my_can_carry(o, src_engine))
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "mysql: %s %s from %s is not carried",
			       dp_obj_kind_name(o->kind), o->name ? o->name : "?", src_engine ? src_engine : "?");
	if (o->kind == DP_OBJ_SEQUENCE) {
		/* CREATE SEQUENCE ...;\nDO SETVAL(...): staged, swapped in with the tables */
		const char *sep = strstr(o->ddl, MY_SEQ_SEP "DO SETVAL(");
		char *first = sep ? malloc((size_t)(sep - o->ddl) + 1) : dp_strdup(o->ddl);
		if (first && sep) {
			memcpy(first, o->ddl, (size_t)(sep - o->ddl));
			first[sep - o->ddl] = '\0';
		}
		sql = first ? object_sql(first, 1) : NULL;
		free(first);
		if (!sql)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		rc = exec_ok(c, sql, eb);
		free(sql);
		if (!rc && sep)
			rc = exec_ok(c, sep + strlen(MY_SEQ_SEP), eb);
		if (!rc && add_name(&c->seqs, &c->nseqs, o->name))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		return rc;
	}
	split_mode(o->ddl, mode, sizeof(mode), &create);
	if (!(sql = object_sql(create, 1)))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	/* proved here against the staged tables; made in the target at finish */
	rc = exec_in_mode(c, mode, sql, eb);
	if (!rc && o->kind == DP_OBJ_TRIGGER) {
		dp_buf drop = DP_BUF_INIT;
		rc = dp_buf_puts(&drop, "DROP TRIGGER ") || quote_ident_buf(o->name, &drop)
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&drop), eb);
		dp_buf_free(&drop);
	}
	if (!rc) {
		my_obj *n = realloc(c->objs, (c->nobjs + 1) * sizeof(*n));
		if (!n) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else {
			c->objs = n;
			memset(&n[c->nobjs], 0, sizeof(*n));
			n[c->nobjs].kind = o->kind;
			n[c->nobjs].ddl = sql;
			sql = NULL;
			n[c->nobjs].name = dp_strdup(o->name);
			n[c->nobjs].mode = mode[0] ? dp_strdup(mode) : NULL;
			c->nobjs++;
			if (!n[c->nobjs - 1].name || (mode[0] && !n[c->nobjs - 1].mode))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	free(sql);
	return rc;
}

/* Which statement shows an object's definition, and its result columns. */
static const char *show_kind(const my_obj *o, int *mode_col, int *ddl_col)
{
	*mode_col = -1;
	*ddl_col = 1;
	if (o->kind == DP_OBJ_VIEW)
		return "VIEW";
	*mode_col = 1;
	*ddl_col = 2;
	if (o->kind == DP_OBJ_TRIGGER)
		return "TRIGGER";
	return strcasestr(o->ddl, " PROCEDURE ") && (!strcasestr(o->ddl, " FUNCTION ") ||
		strcasestr(o->ddl, " PROCEDURE ") < strcasestr(o->ddl, " FUNCTION ")) ? "PROCEDURE" : "FUNCTION";
}

/* Before the swap: the target's own definition of each object's name (for
 * the undo), read in the target database. */
static int save_undo(dp_conn *c, dp_errbuf *eb)
{
	for (size_t i = 0; i < c->nobjs; i++) {
		my_obj *o = &c->objs[i];
		dp_buf sql = DP_BUF_INIT;
		int mc, dc;
		const char *what = show_kind(o, &mc, &dc);
		MYSQL_RES *r;
		MYSQL_ROW row;
		if (o->kind == DP_OBJ_TRIGGER)
			continue;     /* leaves with the old table: nothing replaced */
		if (dp_buf_printf(&sql, "SHOW CREATE %s ", what) || quote_ident_buf(c->database, &sql) ||
		    dp_buf_puts(&sql, ".") || quote_ident_buf(o->name, &sql)) {
			dp_buf_free(&sql);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		if (mysql_real_query(c->my, sql.data, (unsigned long)sql.len) != 0) {
			unsigned e = mysql_errno(c->my);
			dp_buf_free(&sql);
			/* no such object: nothing to restore */
			if (e == ER_NO_SUCH_TABLE || e == ER_SP_DOES_NOT_EXIST || e == ER_WRONG_OBJECT)
				continue;
			return my_fail(c, eb, "reading the target's objects");
		}
		dp_buf_free(&sql);
		r = mysql_store_result(c->my);
		row = r ? mysql_fetch_row(r) : NULL;
		o->existed = 1;
		if (row && row[dc]) {
			o->undo = object_sql(row[dc], 1);
			o->undo_mode = mc >= 0 && row[mc] ? dp_strdup(row[mc]) : NULL;
		}
		if (r)
			mysql_free_result(r);
	}
	return DP_OK;
}

/* Drop what this finish made and put back what it replaced (best effort,
 * each failure logged). */
static void undo_objects(dp_conn *c)
{
	for (size_t i = c->nobjs; i-- > 0;) {
		my_obj *o = &c->objs[i];
		dp_errbuf ignore;
		int mc, dc;
		const char *what = show_kind(o, &mc, &dc);
		dp_buf sql = DP_BUF_INIT;
		if (!o->made)
			continue;
		dp_errbuf_clear(&ignore);
		if (o->existed && o->undo) {
			(void)exec_in_mode(c, o->undo_mode, o->undo, &ignore);
		} else if (!dp_buf_printf(&sql, "DROP %s IF EXISTS ", what) && !quote_ident_buf(o->name, &sql)) {
			(void)exec_ok(c, dp_buf_str(&sql), &ignore);
		}
		if (ignore.code)
			dp_log_warn("mysql %s: undoing %s %s: %s", c->desc, dp_obj_kind_name(o->kind), o->name,
				    ignore.msg);
		o->made = 0;
		dp_buf_free(&sql);
	}
}

/* After the RENAME: DEFAULT nextval(s) of the swapped tables pointed at the
 * target's sequence (the staged one was resolved to the staging database). */
static int fix_seq_defaults(dp_conn *c, dp_errbuf *eb)
{
	int rc = DP_OK;

	for (size_t k = 0; !rc && k < c->nmade; k++) {
		const dp_table *t = c->made[k];
		my_def d;
		if (!t->create_sql || !strstr(t->create_sql, "nextval(") || !def_for(t, "mysql", &d))
			continue;
		for (size_t i = 0; !rc && i < d.n; i++) {
			const char *p = d.kind[i] == MY_L_COLUMN ? strstr(d.line[i], " DEFAULT nextval(") : NULL;
			char col[256];
			dp_buf sql = DP_BUF_INIT;
			size_t depth = 0, n;
			if (!p || p >= d.line[i] + d.len[i] || !bq_name(d.line[i], d.len[i], col, sizeof(col)))
				continue;
			p += 9;
			for (n = 0; p[n] && p + n < d.line[i] + d.len[i]; n++) {
				if (p[n] == '(')
					depth++;
				else if (p[n] == ')' && --depth == 0) {
					n++;
					break;
				}
			}
			if (dp_buf_puts(&sql, "ALTER TABLE ") || quote_ident_buf(t->name, &sql) ||
			    dp_buf_puts(&sql, " ALTER COLUMN ") || quote_ident_buf(col, &sql) ||
			    dp_buf_puts(&sql, " SET DEFAULT ") || dp_buf_append(&sql, p, n))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			else
				rc = exec_ok(c, dp_buf_str(&sql), eb);
			dp_buf_free(&sql);
		}
		def_free(&d);
	}
	return rc;
}

/* Create the kept objects of one kind group in the target database
 * (triggers=0: routines and views; 1: triggers). */
static int make_objects(dp_conn *c, int triggers, dp_errbuf *eb)
{
	for (size_t i = 0; i < c->nobjs; i++) {
		my_obj *o = &c->objs[i];
		int rc;
		if ((o->kind == DP_OBJ_TRIGGER) != triggers)
			continue;
		rc = exec_in_mode(c, o->mode, o->ddl, eb);
		if (rc)
			return rc;
		o->made = 1;
	}
	return DP_OK;
}

/* ---- target staging: a database of the job's own, swapped in by one
 * multi-table RENAME TABLE (atomic in MySQL and MariaDB) ---- */

static MYSQL_RES *query(dp_conn *c, const char *sql, dp_errbuf *eb);
static int remember(dp_conn *c, const dp_table *t);

/* the target database's name hashed: staging and lock names of one
 * target share it (they must fit MySQL's 64 characters) */
static uint32_t name_hash(const char *s)
{
	return dp_fnv1a32(s, strlen(s));
}

static int my_identity(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	/* MySQL has @@server_uuid; MariaDB has not: host, port and data
	 * directory name the instance there */
	MYSQL_RES *r = NULL;
	MYSQL_ROW row;
	int rc;

	if (mysql_real_query(c->my, "SELECT @@server_uuid", 20) == 0) {
		r = mysql_store_result(c->my);
		row = r ? mysql_fetch_row(r) : NULL;
		if (row && row[0] && *row[0]) {
			rc = dp_buf_printf(out, "mysql:uuid=%s:db=%s", row[0], c->dbkey);
			mysql_free_result(r);
			return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		}
		if (r)
			mysql_free_result(r);
	}
	r = query(c, "SELECT @@hostname, @@port, @@datadir", eb);
	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	rc = dp_buf_printf(out, "mysql:host=%s:port=%s:datadir=%s:db=%s", row && row[0] ? row[0] : "",
			   row && row[1] ? row[1] : "", row && row[2] ? row[2] : "", c->dbkey);
	mysql_free_result(r);
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
}

/* The killed job's tables in staging database `db`: marked ones are kept
 * unless the killed job already built indexes or FKs on them (MySQL DDL
 * commits at once); the others are dropped to be made again. */
static int adopt(dp_conn *c, const char *db, dp_errbuf *eb)
{
	char sql[1024];
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = DP_OK;

	snprintf(sql, sizeof(sql), "SELECT t.TABLE_NAME, p.info, (SELECT count(*) FROM "
		 "information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = t.TABLE_SCHEMA AND s.TABLE_NAME = "
		 "t.TABLE_NAME AND s.INDEX_NAME <> 'PRIMARY') + (SELECT count(*) FROM "
		 "information_schema.REFERENTIAL_CONSTRAINTS f WHERE f.CONSTRAINT_SCHEMA = t.TABLE_SCHEMA "
		 "AND f.TABLE_NAME = t.TABLE_NAME) FROM information_schema.TABLES t LEFT JOIN `%s`."
		 DP_PROGRESS_TABLE " p ON p.tbl = t.TABLE_NAME WHERE t.TABLE_SCHEMA = '%s' AND "
		 "t.TABLE_NAME <> '" DP_PROGRESS_TABLE "'", db, db);
	r = query(c, sql, eb);
	if (!r)
		return eb->code;
	while (!rc && (row = mysql_fetch_row(r))) {
		int done = row[1] && row[2] && !strcmp(row[2], "0");
		if (done) {
			if (dp_stage_list_add(&c->kept, row[0], strtoll(row[1], NULL, 10), DP_STAGE_DONE))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else {
			dp_buf drop = DP_BUF_INIT;
			rc = dp_buf_printf(&drop, "DROP TABLE `%s`.", db) || quote_ident_buf(row[0], &drop)
			     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
			if (!rc)
				rc = exec_ok(c, "SET FOREIGN_KEY_CHECKS = 0", eb);
			if (!rc)
				rc = exec_ok(c, dp_buf_str(&drop), eb);
			dp_buf_free(&drop);
		}
	}
	mysql_free_result(r);
	return rc;
}

static int my_stage_begin(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb)
{
	char sql[512], lockname[32];
	uint32_t h = name_hash(c->dbkey);
	MYSQL_RES *r;
	MYSQL_ROW row;
	dp_buf lit = DP_BUF_INIT;
	char **old = NULL;
	size_t nold = 0;
	int rc = DP_OK;

	if (c->role != DP_ROLE_TARGET || c->stage[0])
		return dp_fail(eb, DP_ERR_INTERNAL, "mysql: stage_begin on a source or twice");
	/* exclusive per target database, held by this session: a killed job's
	 * lock is released with its connection */
	snprintf(lockname, sizeof(lockname), "doppel:%08x", h);
	/* a 2 s wait, not 0: the lock of a job killed a moment ago goes only
	 * when the server has noticed its connection is gone */
	snprintf(sql, sizeof(sql), "SELECT GET_LOCK('%s', 2), IS_USED_LOCK('%s')", lockname, lockname);
	r = query(c, sql, eb);
	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	if (!row || !row[0] || strcmp(row[0], "1")) {
		char holder[160] = "owner unknown";
		char other[24];
		snprintf(other, sizeof(other), "%s", row && row[1] ? row[1] : "0");
		mysql_free_result(r);
		snprintf(sql, sizeof(sql), "SELECT CONCAT('connection ', ID, ' of ', USER, '@', HOST, "
			 "', for ', TIME, ' s') FROM information_schema.PROCESSLIST WHERE ID = %lld",
			 strtoll(other, NULL, 10));
		r = query(c, sql, eb);
		row = r ? mysql_fetch_row(r) : NULL;
		if (row && row[0])
			snprintf(holder, sizeof(holder), "%s", row[0]);
		if (r)
			mysql_free_result(r);
		dp_errbuf_clear(eb);
		return dp_fail(eb, DP_ERR_REFUSED, "target %s: database %s is being written by another "
			       "doppel job (%s); wait for it to end or stop it", c->desc, c->database, holder);
	}
	mysql_free_result(r);
	c->locked = 1;
	/* staging databases of killed jobs (only a lock holder gets here) */
	snprintf(sql, sizeof(sql), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		 "SCHEMA_NAME LIKE 'dp%08x\\\\_%%' ORDER BY SCHEMA_NAME", h);
	r = query(c, sql, eb);
	if (!r)
		return eb->code;
	while ((row = mysql_fetch_row(r))) {
		void *n = realloc(old, (nold + 1) * sizeof(*old));
		if (!n || !(((char **)n)[nold] = dp_strdup(row[0]))) {
			if (n)
				old = n;
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		old = n;
		nold++;
	}
	mysql_free_result(r);
	/* --resume: the first of them started for the same fingerprint */
	for (size_t i = 0; !rc && o->resume && o->fingerprint && !c->stage[0] && i < nold; i++) {
		MYSQL_RES *pr;
		snprintf(sql, sizeof(sql), "SELECT info FROM `%s`." DP_PROGRESS_TABLE " WHERE tbl = ''", old[i]);
		if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0)
			continue;
		pr = mysql_store_result(c->my);
		row = pr ? mysql_fetch_row(pr) : NULL;
		if (row && row[0] && !strcmp(row[0], o->fingerprint))
			snprintf(c->stage, sizeof(c->stage), "%s", old[i]);
		if (pr)
			mysql_free_result(pr);
	}
	for (size_t i = 0; !rc && i < nold; i++) {
		char drop[128];
		if (!strcmp(old[i], c->stage))
			continue;
		snprintf(drop, sizeof(drop), "DROP DATABASE `%s`", old[i]);
		rc = exec_ok(c, "SET FOREIGN_KEY_CHECKS = 0", eb);
		if (!rc)
			rc = exec_ok(c, drop, eb);
		if (!rc)
			dp_log_info("mysql %s: removed %s, left by a job that did not finish", c->desc, old[i]);
	}
	for (size_t i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	if (rc)
		return rc;
	if (c->stage[0]) {
		rc = adopt(c, c->stage, eb);
		if (!rc) {
			snprintf(sql, sizeof(sql), "USE `%s`", c->stage);
			rc = exec_ok(c, sql, eb);
		}
		if (!rc)
			dp_log_info("mysql %s: continuing %s (%zu complete tables there)", c->desc, c->stage,
				    c->kept.n);
		return rc;
	}
	if (o->resume)
		dp_log_info("mysql %s: no staging area of a killed job with this plan to continue: "
			    "starting anew", c->desc);
	/* the staging database takes the target's character set and collation,
	 * so tables created without their own get the target's */
	if (literal(c, c->database, strlen(c->database), &lit))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	snprintf(sql, sizeof(sql), "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
		 "information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", dp_buf_str(&lit));
	dp_buf_free(&lit);
	r = query(c, sql, eb);
	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	if (!row) {
		mysql_free_result(r);
		return dp_fail(eb, DP_ERR_NOTFOUND, "target.database: %s does not exist on %s", c->database,
			       c->desc);
	}
	snprintf(c->stage, sizeof(c->stage), "dp%08x_%08x", h, (uint32_t)dp_random_seed());
	snprintf(sql, sizeof(sql), "CREATE DATABASE `%s` CHARACTER SET %s COLLATE %s", c->stage,
		 row[0], row[1]);
	mysql_free_result(r);
	rc = exec_ok(c, sql, eb);
	if (rc) {
		c->stage[0] = '\0';
		return rc;
	}
	snprintf(sql, sizeof(sql), "USE `%s`", c->stage);
	rc = exec_ok(c, sql, eb);
	/* the progress of this job, for a --resume after a kill */
	if (!rc)
		rc = exec_ok(c, "CREATE TABLE " DP_PROGRESS_TABLE " (tbl VARCHAR(255) NOT NULL PRIMARY KEY, "
			     "info VARCHAR(255) NOT NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", eb);
	if (!rc) {
		snprintf(sql, sizeof(sql), "INSERT INTO " DP_PROGRESS_TABLE " VALUES ('', '%.64s')",
			 o->fingerprint ? o->fingerprint : "");
		rc = exec_ok(c, sql, eb);
	}
	if (!rc && mysql_commit(c->my) != 0)
		rc = my_fail(c, eb, "commit");
	return rc;
}

static int my_stage_mark(dp_conn *c, const dp_table *t, int64_t rows, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	char name[256];
	int rc;

	/* as the server stores it (lower case under lower_case_table_names) */
	snprintf(name, sizeof(name), "%s", t->name);
	for (char *p = name; c->lctn && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (dp_buf_puts(&sql, "INSERT INTO " DP_PROGRESS_TABLE " VALUES (") ||
	    literal(c, name, strlen(name), &sql) ||
	    dp_buf_printf(&sql, ", '%" PRId64 "') ON DUPLICATE KEY UPDATE info = VALUES(info)", rows)) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	if (!rc && mysql_commit(c->my) != 0)
		rc = my_fail(c, eb, "commit");
	return rc;
}

static int my_stage_leftovers(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	char sql[256];
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = DP_OK;

	snprintf(sql, sizeof(sql), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		 "SCHEMA_NAME LIKE 'dp%08x\\\\_%%' ORDER BY SCHEMA_NAME", name_hash(c->dbkey));
	r = query(c, sql, eb);
	if (!r)
		return eb->code;
	while (!rc && (row = mysql_fetch_row(r)))
		rc = dp_buf_printf(out, "%sdatabase %s", out->len ? "; " : "", row[0])
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	mysql_free_result(r);
	return rc;
}

static dp_stage_state my_stage_state(dp_conn *c, const dp_table *t, int64_t *rows)
{
	/* names compare as the server compares them */
	dp_stage_state st = dp_stage_list_state(&c->kept, t->name, c->lctn, rows);
	if (st == DP_STAGE_DONE)
		(void)remember(c, t);
	return st;
}

static void drop_stage(dp_conn *c)
{
	char sql[128];
	if (!c->stage[0] || !c->my)
		return;
	mysql_rollback(c->my);
	(void)mysql_query(c->my, "SET FOREIGN_KEY_CHECKS = 0");
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS `%s`", c->stage);
	if (mysql_query(c->my, sql) != 0)
		dp_log_warn("mysql %s: could not drop the staging database %s (the next run removes it): %s",
			    c->desc, c->stage, my_msg(c->my));
	c->stage[0] = '\0';
}

/* One "`db`.`name`" into sql. */
static int qual(dp_buf *sql, const char *db, const char *name)
{
	int rc = quote_ident_buf(db, sql);
	if (!rc)
		rc = dp_buf_puts(sql, ".");
	return rc ? rc : quote_ident_buf(name, sql);
}

static void drop_old(dp_conn *c);

/* The old tables' triggers put back (the swap did not happen or was
 * undone), each in the target database; failures logged. */
static void restore_old_triggers(dp_conn *c)
{
	dp_buf use = DP_BUF_INIT;
	dp_errbuf ignore;

	if (!c->noldtrig)
		return;
	dp_errbuf_clear(&ignore);
	if (!dp_buf_puts(&use, "USE ") && !quote_ident_buf(c->database, &use))
		(void)exec_ok(c, dp_buf_str(&use), &ignore);
	for (size_t i = 0; i < c->noldtrig; i++) {
		char *sql = object_sql(c->oldtrig[i].ddl, 0);
		dp_errbuf_clear(&ignore);
		if (!sql || exec_in_mode(c, c->oldtrig[i].mode, sql, &ignore))
			dp_log_warn("mysql %s: could not put back trigger %s of the previous target: %s",
				    c->desc, c->oldtrig[i].name, sql ? ignore.msg : "out of memory");
		free(sql);
	}
	dp_buf_free(&use);
}

/* "a TO b" appended to both the swap and (reversed) its undo. */
static int pair(dp_buf *fwd, dp_buf *back, const char *fdb, const char *fname, const char *tdb,
		const char *tname)
{
	int rc = dp_buf_puts(fwd, fwd->len ? ", " : "RENAME TABLE ");
	if (!rc)
		rc = qual(fwd, fdb, fname);
	if (!rc)
		rc = dp_buf_puts(fwd, " TO ");
	if (!rc)
		rc = qual(fwd, tdb, tname);
	if (!rc && back->len)
		rc = dp_buf_puts(back, ", ");
	if (!rc)
		rc = qual(back, tdb, tname);
	if (!rc)
		rc = dp_buf_puts(back, " TO ");
	return rc ? rc : qual(back, fdb, fname);
}

/* Swap: every table (and sequence) this job built replaces its namesake in
 * one RENAME TABLE statement: old ones out to a trash database (a table
 * with triggers, which cannot leave its database, to a "dp<hash>_o<n>"
 * name beside it), new ones in. Until that statement the target is exactly
 * as before; after it, it holds the new tables; nothing in between is
 * visible. c->trash, c->local_old and c->unswap (the reverse RENAME) are
 * kept for finish: the old tables are dropped only when the objects made
 * after the swap are in place. */
static int swap_in(dp_conn *c, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT, names = DP_BUF_INIT, in = DP_BUF_INIT, bold = DP_BUF_INIT, bnew = DP_BUF_INIT;
	char tq[96];
	char **trig = NULL, **newn = NULL;
	size_t ntrig = 0, nnew = 0;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = DP_OK, any_old = 0;
	uint32_t h = name_hash(c->dbkey);

	snprintf(c->trash, sizeof(c->trash), "dp%08x_%08x", h, (uint32_t)dp_random_seed());
	for (size_t k = 0; !rc && k < c->nmade; k++)
		rc = add_name(&newn, &nnew, c->made[k]->name);
	for (size_t k = 0; !rc && k < c->nseqs; k++)
		rc = add_name(&newn, &nnew, c->seqs[k]);
	for (size_t k = 0; !rc && k < nnew; k++) {
		if (k)
			rc = dp_buf_puts(&in, ", ");
		if (!rc)
			rc = literal(c, newn[k], strlen(newn[k]), &in);
	}
	if (!rc && !nnew)
		rc = dp_buf_puts(&in, "NULL");
	/* the target's tables with triggers: they stay in its database */
	if (!rc)
		rc = dp_buf_puts(&names, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
				 "WHERE EVENT_OBJECT_SCHEMA = ");
	if (!rc)
		rc = literal(c, c->database, strlen(c->database), &names);
	if (!rc)
		rc = dp_buf_printf(&names, " AND EVENT_OBJECT_TABLE IN (%s) ORDER BY EVENT_OBJECT_TABLE, "
				   "EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER", dp_buf_str(&in));
	if (rc) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (!(r = query(c, dp_buf_str(&names), eb))) {
		rc = eb->code;
		goto out;
	}
	while (!rc && (row = mysql_fetch_row(r)))
		rc = add_name(&trig, &ntrig, row[0]);
	mysql_free_result(r);
	/* a table with triggers cannot leave its database: the old tables'
	 * triggers are read, dropped, and put back if the swap does not happen */
	for (size_t i = 0; !rc && i < ntrig; i++) {
		dp_buf q = DP_BUF_INIT;
		char *mode = NULL, *body = NULL;
		rc = dp_buf_puts(&q, "SHOW CREATE TRIGGER ") || qual(&q, c->database, trig[i])
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : show_one(c, dp_buf_str(&q), 2, 1, &body, &mode, eb);
		if (!rc && body) {
			my_obj *n = realloc(c->oldtrig, (c->noldtrig + 1) * sizeof(*n));
			if (!n) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			} else {
				c->oldtrig = n;
				memset(&n[c->noldtrig], 0, sizeof(*n));
				n[c->noldtrig].kind = DP_OBJ_TRIGGER;
				n[c->noldtrig].name = dp_strdup(trig[i]);
				n[c->noldtrig].ddl = body;
				n[c->noldtrig].mode = mode;
				body = mode = NULL;
				c->noldtrig++;
			}
		}
		free(body);
		free(mode);
		dp_buf_reset(&q);
		if (!rc)
			rc = dp_buf_puts(&q, "DROP TRIGGER ") || qual(&q, c->database, trig[i])
			     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&q), eb);
		dp_buf_free(&q);
	}
	if (rc) {
		restore_old_triggers(c);
		goto out;
	}
	/* which of our tables the target already has */
	dp_buf_reset(&names);
	if (!rc)
		rc = dp_buf_puts(&names, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
	if (!rc)
		rc = literal(c, c->database, strlen(c->database), &names);
	if (!rc)
		rc = dp_buf_printf(&names, " AND TABLE_NAME IN (%s)", dp_buf_str(&in));
	if (rc) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (!(r = query(c, dp_buf_str(&names), eb))) {
		rc = eb->code;
		goto out;
	}
	dp_buf_reset(&c->unswap);
	while (!rc && (row = mysql_fetch_row(r))) {
		rc = pair(&sql, &bold, c->database, row[0], c->trash, row[0]);
		any_old = 1;
	}
	mysql_free_result(r);
	for (size_t k = 0; !rc && k < nnew; k++)
		rc = pair(&sql, &bnew, c->stage, newn[k], c->database, newn[k]);
	/* the undo: the new tables out first, then the old ones back */
	if (!rc && bnew.len)
		rc = dp_buf_printf(&c->unswap, "RENAME TABLE %s%s%s", dp_buf_str(&bnew), bold.len ? ", " : "",
				   dp_buf_str(&bold));
	if (rc) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (!any_old)
		c->trash[0] = '\0';
	snprintf(tq, sizeof(tq), "CREATE DATABASE `%s`", c->trash);
	if (any_old)
		rc = exec_ok(c, tq, eb);
	if (!rc && sql.len)
		rc = exec_ok(c, dp_buf_str(&sql), eb);
	if (!rc) {
		c->swapped = 1;
	} else {
		/* nothing moved: the old tables' triggers back, the empty trash gone */
		restore_old_triggers(c);
		drop_old(c);
	}
out:
	for (size_t i = 0; i < ntrig; i++)
		free(trig[i]);
	free(trig);
	for (size_t i = 0; i < nnew; i++)
		free(newn[i]);
	free(newn);
	dp_buf_free(&sql);
	dp_buf_free(&names);
	dp_buf_free(&in);
	dp_buf_free(&bold);
	dp_buf_free(&bnew);
	return rc;
}

/* The old tables, no longer needed: dropped now, or by the next run. */
static void drop_old(dp_conn *c)
{
	char tq[96];
	dp_buf sql = DP_BUF_INIT;

	(void)mysql_query(c->my, "SET FOREIGN_KEY_CHECKS = 0");
	for (size_t i = 0; i < c->nlocal; i++) {
		dp_buf_reset(&sql);
		if (!dp_buf_puts(&sql, "DROP TABLE IF EXISTS ") && !qual(&sql, c->database, c->local_old[i]) &&
		    mysql_query(c->my, dp_buf_str(&sql)) != 0)
			dp_log_warn("mysql %s: could not drop %s.%s (the next run removes it): %s", c->desc,
				    c->database, c->local_old[i], my_msg(c->my));
	}
	dp_buf_free(&sql);
	if (c->trash[0]) {
		snprintf(tq, sizeof(tq), "DROP DATABASE `%s`", c->trash);
		if (mysql_query(c->my, tq) != 0)
			dp_log_warn("mysql %s: could not drop %s (the next run removes it): %s", c->desc,
				    c->trash, my_msg(c->my));
		c->trash[0] = '\0';
	}
}

/* The swap and everything that must follow it in the target database (see
 * "schema objects" above for the atomicity). */
static int commit_swap(dp_conn *c, dp_errbuf *eb)
{
	dp_buf use = DP_BUF_INIT;
	int rc = save_undo(c, eb);

	if (!rc)
		rc = swap_in(c, eb);
	if (rc || (!c->nobjs && !c->nseqs)) {
		if (!rc)
			drop_old(c);
		return rc;
	}
	/* unqualified names in the objects resolve to the target database */
	rc = dp_buf_puts(&use, "USE ") || quote_ident_buf(c->database, &use)
	     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec_ok(c, dp_buf_str(&use), eb);
	dp_buf_free(&use);
	if (!rc)
		rc = fix_seq_defaults(c, eb);
	if (!rc)
		rc = make_objects(c, 0, eb);
	if (rc) {
		/* nothing old is gone yet: put the target back as it was */
		dp_errbuf ignore;
		char msg[DP_ERRMSG_MAX];
		snprintf(msg, sizeof(msg), "%s", eb->msg);
		undo_objects(c);
		dp_errbuf_clear(&ignore);
		if (exec_ok(c, dp_buf_str(&c->unswap), &ignore)) {
			dp_errbuf_clear(eb);
			return dp_fail(eb, DP_ERR_IO, "mysql %s: after the swap, %s; undoing the swap failed "
				       "too (%s): the target holds the new tables, the old ones are in %s%s",
				       c->desc, msg, ignore.msg, c->trash[0] ? c->trash : c->database,
				       c->nlocal ? " (tables dp*_o*)" : "");
		}
		c->swapped = 0;
		restore_old_triggers(c);
		drop_old(c);      /* the trash database is empty again */
		dp_errbuf_clear(eb);
		return dp_fail(eb, DP_ERR_SQL, "mysql %s: creating the schema objects after the swap: %s; "
			       "the swap was undone (target as before)", c->desc, msg);
	}
	/* the old tables (and the triggers on them) go before the new triggers */
	drop_old(c);
	rc = make_objects(c, 1, eb);
	if (rc) {
		dp_buf missing = DP_BUF_INIT;
		char msg[DP_ERRMSG_MAX];
		snprintf(msg, sizeof(msg), "%s", eb->msg);
		for (size_t i = 0; i < c->nobjs; i++)
			if (c->objs[i].kind == DP_OBJ_TRIGGER && !c->objs[i].made &&
			    dp_buf_printf(&missing, "%s%s", missing.len ? ", " : "", c->objs[i].name))
				break;
		dp_errbuf_clear(eb);
		rc = dp_fail(eb, DP_ERR_IO, "mysql %s: the new tables, views and routines are in place, "
			     "but a trigger failed: %s; triggers missing: %s (rerun the job)", c->desc, msg,
			     dp_buf_str(&missing));
		dp_buf_free(&missing);
	}
	return rc;
}

static int my_finish(dp_conn *c, int commit, dp_errbuf *eb)
{
	int rc = DP_OK;

	if (c->role == DP_ROLE_SOURCE) {
		mysql_rollback(c->my);
		return DP_OK;
	}
	if (c->finished)
		return DP_OK;
	c->finished = 1;
	if (commit && !c->stage[0])
		return dp_fail(eb, DP_ERR_INTERNAL, "mysql: finish before stage_begin");
	if (commit && mysql_commit(c->my) != 0)
		rc = my_fail(c, eb, "commit");
	if (commit && !rc)
		rc = commit_swap(c, eb);
	drop_stage(c);
	return rc;
}

/* KILL QUERY from a side connection: the session's own is busy waiting */
static void my_cancel(dp_conn *c)
{
	MYSQL *side;
	unsigned int timeout = 5;
	char sql[64];

	if (!c || !c->thread_id)
		return;
	side = mysql_init(NULL);
	if (!side)
		return;
	mysql_options(side, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (mysql_real_connect(side, c->side.host ? c->side.host : "127.0.0.1", c->side.username,
			       c->side.password, NULL, c->side.port ? (unsigned)c->side.port : 3306,
			       NULL, 0)) {
		snprintf(sql, sizeof(sql), "KILL QUERY %lu", c->thread_id);
		(void)mysql_query(side, sql);
	}
	mysql_close(side);
}

static void my_close(dp_conn *c)
{
	if (!c)
		return;
	if (c->my)
		mysql_rollback(c->my);
	if (c->role == DP_ROLE_TARGET)
		drop_stage(c);
	conn_free(c);
}

/* ---- introspection ---- */

static MYSQL_RES *query(dp_conn *c, const char *sql, dp_errbuf *eb)
{
	MYSQL_RES *r;
	if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0) {
		my_fail(c, eb, "introspection");
		return NULL;
	}
	r = mysql_store_result(c->my);
	if (!r)
		my_fail(c, eb, "introspection");
	return r;
}

static dp_fk_action fk_action(const char *s)
{
	if (!s) return DP_FK_NO_ACTION;
	if (!strcmp(s, "CASCADE")) return DP_FK_CASCADE;
	if (!strcmp(s, "SET NULL")) return DP_FK_SET_NULL;
	if (!strcmp(s, "SET DEFAULT")) return DP_FK_SET_DEFAULT;
	if (!strcmp(s, "RESTRICT")) return DP_FK_RESTRICT;
	return DP_FK_NO_ACTION;
}

static int my_count_rows(dp_conn *c, const dp_table *t, int64_t *out, dp_errbuf *eb)
{
	dp_sql sql;
	MYSQL_RES *r;
	MYSQL_ROW row;

	dp_sql_init(&sql, dp_mysql_dialect.quote);
	dp_sql_count(&sql, NULL, t);
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = query(c, dp_sql_str(&sql), eb);
	dp_sql_free(&sql);
	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	*out = row && row[0] ? strtoll(row[0], NULL, 10) : 0;
	mysql_free_result(r);
	return DP_OK;
}

static void classify(dp_column *col, const char *data_type)
{
	if (!strcmp(data_type, "enum") || !strcmp(data_type, "set")) {
		col->tclass = DP_T_TEXT;
		col->length = 0;
	} else if (!strcmp(data_type, "year")) {
		col->tclass = DP_T_INTEGER;
	} else if (!strcmp(data_type, "bit") || strstr(data_type, "geometry") || strstr(data_type, "point") ||
		   strstr(data_type, "linestring") || strstr(data_type, "polygon")) {
		/* geometries travel as the server's bytes (SRID + WKB) */
		col->tclass = DP_T_BLOB;
	} else if (!strcmp(data_type, "inet6") || !strcmp(data_type, "inet4")) {
		col->tclass = DP_T_TEXT;    /* not an integer ("inet" holds "int") */
		col->length = 0;
	} else if (!strcmp(data_type, "uuid")) {
		col->tclass = DP_T_UUID;
	} else if (!strcmp(data_type, "tinyint") && strstr(col->type_decl, "tinyint(1)")) {
		col->tclass = DP_T_BOOL;
	}
}

/* One SHOW CREATE / SELECT on the source; column col of its first row
 * (malloc'd) or NULL with *missing set when there is no row or the value is
 * NULL (no privilege to see a body). */
static int show_one(dp_conn *c, const char *sql, int col, int col2, char **out, char **out2,
		    dp_errbuf *eb)
{
	MYSQL_RES *r = query(c, sql, eb);
	MYSQL_ROW row;

	*out = NULL;
	if (out2)
		*out2 = NULL;
	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	if (row && (int)mysql_num_fields(r) > col && row[col])
		*out = dp_strdup(row[col]);
	if (row && out2 && col2 >= 0 && (int)mysql_num_fields(r) > col2 && row[col2])
		*out2 = dp_strdup(row[col2]);
	mysql_free_result(r);
	return DP_OK;
}

static int show_sql(dp_buf *b, const char *what, const char *name)
{
	dp_buf_reset(b);
	return dp_buf_printf(b, "%s ", what) || quote_ident_buf(name, b);
}

/* Two-column result (name, second) of one source query into parallel arrays. */
static void pairs_free(char ***a, char ***b, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free((*a)[i]);
		free((*b)[i]);
	}
	free(*a);
	free(*b);
	*a = *b = NULL;
	*n = 0;
}

static int name_pairs(dp_conn *c, const char *sql, char ***a, char ***b, size_t *n, dp_errbuf *eb)
{
	MYSQL_RES *r = query(c, sql, eb);
	MYSQL_ROW row;
	int rc = DP_OK;

	if (!r)
		return eb->code;
	while (!rc && (row = mysql_fetch_row(r))) {
		char **na = realloc(*a, (*n + 1) * sizeof(*na)), **nb;
		if (na)
			*a = na;
		nb = na ? realloc(*b, (*n + 1) * sizeof(*nb)) : NULL;
		if (nb)
			*b = nb;
		if (!na || !nb) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		(*a)[*n] = dp_strdup(row[0] ? row[0] : "");
		(*b)[*n] = dp_strdup(row[1] ? row[1] : "");
		(*n)++;
		if (!(*a)[*n - 1] || !(*b)[*n - 1])
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	mysql_free_result(r);
	return rc;
}

/* The source's own CREATE TABLE text of every table, and the objects
 * beside them (see "schema objects"), each read with one statement. */
static int introspect_objects(dp_conn *c, dp_schema *s, dp_errbuf *eb)
{
	dp_buf q = DP_BUF_INIT;
	MYSQL_RES *r;
	MYSQL_ROW row;
	char **names = NULL, **extra = NULL;
	size_t n = 0;
	int rc = DP_OK;

	for (size_t k = 0; !rc && k < s->ntables; k++) {
		char *ddl = NULL;
		dp_table *t = &s->tables[k];
		rc = show_sql(&q, "SHOW CREATE TABLE", t->name) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
		     : show_one(c, dp_buf_str(&q), 1, -1, &ddl, NULL, eb);
		if (!rc && ddl && !(t->create_sql = strip_db(ddl, c->database)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		free(ddl);
	}
	/* sequences, with the next value the source would give */
	if (!rc && (r = query(c, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
			      "DATABASE() AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME", eb))) {
		while (!rc && (row = mysql_fetch_row(r)))
			rc = add_name(&names, &n, row[0]) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		mysql_free_result(r);
	} else if (!rc) {
		rc = eb->code;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		char *ddl = NULL, *next = NULL;
		dp_buf all = DP_BUF_INIT;
		rc = show_sql(&q, "SHOW CREATE SEQUENCE", names[i]) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
		     : show_one(c, dp_buf_str(&q), 1, -1, &ddl, NULL, eb);
		if (!rc)
			rc = dp_buf_puts(&q, "") || show_sql(&q, "SELECT next_not_cached_value FROM", names[i])
			     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
			     : show_one(c, dp_buf_str(&q), 0, -1, &next, NULL, eb);
		if (!rc && ddl && (dp_buf_puts(&all, ddl) ||
				   (next && (dp_buf_puts(&all, MY_SEQ_SEP "DO SETVAL(") ||
					     quote_ident_buf(names[i], &all) ||
					     dp_buf_printf(&all, ", %s, 0)", next))) ||
				   dp_schema_add_object(s, DP_OBJ_SEQUENCE, DP_OBJ_BEFORE_TABLES, names[i], NULL,
							dp_buf_str(&all), NULL)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		dp_buf_free(&all);
		free(ddl);
		free(next);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	names = NULL;
	n = 0;
	/* functions and procedures (a view may call a function) */
	if (!rc)
		rc = name_pairs(c, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE "
				"ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE, ROUTINE_NAME", &names, &extra,
				&n, eb);
	for (size_t i = 0; !rc && i < n; i++) {
		char *mode = NULL, *body = NULL;
		const char *type = extra[i];
		int known = !strcmp(type, "FUNCTION") || !strcmp(type, "PROCEDURE");
		dp_buf all = DP_BUF_INIT;
		if (known) {
			char what[40];
			snprintf(what, sizeof(what), "SHOW CREATE %s", type);
			rc = show_sql(&q, what, names[i]) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
			     : show_one(c, dp_buf_str(&q), 2, 1, &body, &mode, eb);
		}
		if (!rc) {
			if (body)
				rc = dp_buf_printf(&all, MY_MODE_HEAD "%s" MY_MODE_END "%s", mode ? mode : "", body) ||
				     dp_schema_add_object(s, DP_OBJ_FUNCTION, DP_OBJ_AFTER_DATA, names[i], NULL,
							  dp_buf_str(&all), NULL);
			else
				rc = dp_schema_add_object(s, DP_OBJ_OTHER, DP_OBJ_AFTER_DATA, names[i], NULL, NULL,
							  known ? "routine: the source user may not read its body (SHOW "
								  "CREATE needs SELECT on mysql.proc or being its definer)"
								: "routine of a kind doppel does not carry (e.g. a PACKAGE)");
			if (rc)
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		dp_buf_free(&all);
		free(mode);
		free(body);
	}
	pairs_free(&names, &extra, &n);
	/* views, each after the views it selects from */
	if (!rc && (r = query(c, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = "
			      "DATABASE() ORDER BY TABLE_NAME", eb))) {
		while (!rc && (row = mysql_fetch_row(r)))
			rc = add_name(&names, &n, row[0]) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		mysql_free_result(r);
	} else if (!rc) {
		rc = eb->code;
	}
	{
		char **ddl = n ? calloc(n, sizeof(*ddl)) : NULL;
		int *done = n ? calloc(n, sizeof(*done)) : NULL;
		if (n && (!ddl || !done) && !rc)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		for (size_t i = 0; !rc && i < n; i++) {
			/* a view the read-only session cannot open (it calls a function
			 * that writes) is listed, not carried: never a failure */
			dp_errbuf veb;
			dp_errbuf_clear(&veb);
			if (show_sql(&q, "SHOW CREATE VIEW", names[i]))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			else if (show_one(c, dp_buf_str(&q), 1, -1, &ddl[i], NULL, &veb))
				dp_log_info("mysql %s: view %s not carried: %s", c->desc, names[i], veb.msg);
		}
		for (size_t left = n; !rc && left;) {
			size_t before = left;
			for (size_t i = 0; !rc && i < n; i++) {
				int waits = 0;
				if (done[i])
					continue;
				for (size_t j = 0; ddl[i] && j < n && !waits; j++) {
					dp_buf qn = DP_BUF_INIT;
					if (j == i || done[j])
						continue;
					if (!quote_ident_buf(names[j], &qn) && dp_buf_puts(&qn, "") == 0)
						waits = strstr(strstr(ddl[i], " AS ") ? strstr(ddl[i], " AS ") : ddl[i],
							       dp_buf_str(&qn)) != NULL;
					dp_buf_free(&qn);
				}
				if (waits && before == left)
					continue;
				done[i] = 1;
				left--;
				if (dp_schema_add_object(s, ddl[i] ? DP_OBJ_VIEW : DP_OBJ_OTHER, DP_OBJ_AFTER_DATA,
							 names[i], NULL, ddl[i], ddl[i] ? NULL
							 : "view: its definition cannot be read on the read-only source session (see the log)"))
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			}
			if (left == before && !rc) {
				/* a cycle of names (a view naming another in a string): in name order */
				for (size_t i = 0; i < n; i++)
					if (!done[i]) {
						done[i] = 1;
						left--;
						if (dp_schema_add_object(s, DP_OBJ_VIEW, DP_OBJ_AFTER_DATA, names[i], NULL,
									 ddl[i], NULL))
							rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
						break;
					}
			}
		}
		for (size_t i = 0; ddl && i < n; i++)
			free(ddl[i]);
		free(ddl);
		free(done);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	names = NULL;
	n = 0;
	/* triggers, in the order they fire */
	if (!rc)
		rc = name_pairs(c, "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
				"WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, "
				"EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER", &names, &extra, &n, eb);
	for (size_t i = 0; !rc && i < n; i++) {
		char *mode = NULL, *body = NULL;
		dp_buf all = DP_BUF_INIT;
		rc = show_sql(&q, "SHOW CREATE TRIGGER", names[i]) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
		     : show_one(c, dp_buf_str(&q), 2, 1, &body, &mode, eb);
		if (!rc && (body ? dp_buf_printf(&all, MY_MODE_HEAD "%s" MY_MODE_END "%s", mode ? mode : "", body) ||
				   dp_schema_add_object(s, DP_OBJ_TRIGGER, DP_OBJ_AFTER_DATA, names[i], extra[i],
							dp_buf_str(&all), NULL)
				 : dp_schema_add_object(s, DP_OBJ_OTHER, DP_OBJ_AFTER_DATA, names[i], extra[i], NULL,
							"trigger: the source user may not read its body")))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		dp_buf_free(&all);
		free(mode);
		free(body);
	}
	pairs_free(&names, &extra, &n);
	/* events are listed, never carried: a double must not run production's
	 * scheduled jobs */
	if (!rc && (r = query(c, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = "
			      "DATABASE() ORDER BY EVENT_NAME", eb))) {
		while (!rc && (row = mysql_fetch_row(r)))
			if (dp_schema_add_object(s, DP_OBJ_OTHER, DP_OBJ_AFTER_DATA, row[0], NULL, NULL,
						 "event: not carried (a test double must not run the source's "
						 "scheduled jobs; create it by hand, DISABLEd, if a test needs it)"))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		mysql_free_result(r);
	} else if (!rc) {
		rc = eb->code;
	}
	dp_buf_free(&q);
	return rc;
}

/* Comments and partitioning live inside SHOW CREATE TABLE, which a MariaDB
 * target replays: listed as parts of the table (no ddl), so the plan says
 * what another engine does not get. */
static int inline_parts(dp_schema *s, const dp_table *t, dp_errbuf *eb)
{
	static const struct { const char *needle, *what; dp_obj_kind kind; } parts[] = {
		{ " COMMENT='", "table comment", DP_OBJ_COMMENT },
		{ " COMMENT '", "column comments", DP_OBJ_COMMENT },
		{ "PARTITION BY", "PARTITION BY", DP_OBJ_PARTITION },
	};
	char name[300];

	for (size_t i = 0; t->create_sql && i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!strstr(t->create_sql, parts[i].needle))
			continue;
		snprintf(name, sizeof(name), "%s of %s", parts[i].what, t->name);
		if (dp_schema_add_object(s, parts[i].kind, DP_OBJ_AFTER_DATA, name, t->name, NULL, NULL))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

static int my_introspect(dp_conn *c, dp_schema **out, dp_errbuf *eb)
{
	dp_schema *s = calloc(1, sizeof(*s));
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = DP_OK;

	*out = NULL;
	if (!s || !(s->engine = dp_strdup("mysql"))) {
		free(s);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = query(c, "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
		  "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", eb);
	if (!r) {
		dp_schema_free(s);
		return eb->code;
	}
	while (!rc && (row = mysql_fetch_row(r))) {
		dp_table *t;
		if (dp_schema_add_table(s, row[0], &t))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		else
			t->row_estimate = row[1] ? strtoll(row[1], NULL, 10) : -1;
	}
	mysql_free_result(r);
	if (!rc) {
		r = query(c, "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
			  "EXTRA, DATA_TYPE, COLUMN_KEY, GENERATION_EXPRESSION FROM information_schema.COLUMNS "
			  "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION", eb);
		if (!r)
			rc = eb->code;
		while (!rc && (row = mysql_fetch_row(r))) {
			dp_table *t = dp_schema_table(s, row[0]);
			dp_column *col;
			if (!t)
				continue;
			if (dp_table_add_column(t, row[1], row[2], &col)) {
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
				break;
			}
			col->notnull = !strcmp(row[3], "NO");
			col->is_identity = row[5] && strstr(row[5], "auto_increment") != NULL;
			if (row[4] && !col->is_identity)
				col->default_expr = dp_strdup(row[4]);
			classify(col, row[6]);
			/* computed by the server: recreated as such, never written */
			if (row[5] && strstr(row[5], "GENERATED") && row[8] && *row[8]) {
				col->generated = dp_strdup(row[8]);
				col->generated_stored = strstr(row[5], "STORED") || strstr(row[5], "PERSISTENT");
				free(col->default_expr);
				col->default_expr = NULL;
			}
		}
		if (r)
			mysql_free_result(r);
	}
	/* primary keys and foreign keys, in key order */
	if (!rc) {
		r = query(c, "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
			  "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, k.ORDINAL_POSITION, "
			  "rc.DELETE_RULE, rc.UPDATE_RULE "
			  "FROM information_schema.KEY_COLUMN_USAGE k "
			  "LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc "
			  "  ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
			  "  AND rc.TABLE_NAME = k.TABLE_NAME "
			  "WHERE k.TABLE_SCHEMA = DATABASE() AND (k.CONSTRAINT_NAME = 'PRIMARY' OR "
			  "  k.REFERENCED_TABLE_NAME IS NOT NULL) "
			  "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION", eb);
		if (!r)
			rc = eb->code;
		/* group consecutive rows of one constraint */
		{
			char cur_t[256] = "", cur_c[256] = "", ref[256] = "", del[32] = "", upd[32] = "";
			const char *cols[64], *refs[64];
			char *cb[64], *rb[64];
			size_t n = 0;
			for (;;) {
				row = r && !rc ? mysql_fetch_row(r) : NULL;
				if (n && (!row || strcmp(row[0], cur_t) || strcmp(row[1], cur_c))) {
					dp_table *t = dp_schema_table(s, cur_t);
					if (t && ref[0]) {
						dp_fk *fk;
						for (size_t i = 0; i < n; i++) {
							cols[i] = cb[i];
							refs[i] = rb[i];
						}
						if (dp_table_add_fk(t, cur_c, ref, n, cols, refs, &fk))
							rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
						else {
							fk->on_delete = fk_action(del);
							fk->on_update = fk_action(upd);
						}
					}
					for (size_t i = 0; i < n; i++) {
						free(cb[i]);
						free(rb[i]);
					}
					n = 0;
				}
				if (!row)
					break;
				if (!n) {
					snprintf(cur_t, sizeof(cur_t), "%s", row[0]);
					snprintf(cur_c, sizeof(cur_c), "%s", row[1]);
					snprintf(ref, sizeof(ref), "%s", row[3] ? row[3] : "");
					snprintf(del, sizeof(del), "%s", row[6] ? row[6] : "");
					snprintf(upd, sizeof(upd), "%s", row[7] ? row[7] : "");
				}
				if (!strcmp(row[1], "PRIMARY")) {
					dp_table *t = dp_schema_table(s, row[0]);
					long ci = t ? dp_table_col_index(t, row[2]) : -1;
					if (ci >= 0)
						t->cols[ci].pk_pos = atoi(row[5]);
					continue;
				}
				if (n < 64) {
					cb[n] = dp_strdup(row[2]);
					rb[n] = dp_strdup(row[4] ? row[4] : "");
					n++;
				}
			}
		}
		if (r)
			mysql_free_result(r);
	}
	for (size_t k = 0; !rc && k < s->ntables; k++) {
		if (dp_table_finish_pk(&s->tables[k]))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		/* InnoDB's TABLE_ROWS is an estimate; small tables are counted exactly */
		if (!rc && s->tables[k].row_estimate < 100000)
			rc = my_count_rows(c, &s->tables[k], &s->tables[k].row_estimate, eb);
	}
	/* secondary indexes (unique ones included) */
	if (!rc) {
		r = query(c, "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX "
			  "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
			  "AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", eb);
		if (!r)
			rc = eb->code;
		{
			char cur_t[256] = "", cur_i[256] = "";
			int uniq = 0, expr = 0;
			char *cb[64];
			size_t n = 0;
			for (;;) {
				row = r && !rc ? mysql_fetch_row(r) : NULL;
				if (n && (!row || strcmp(row[0], cur_t) || strcmp(row[1], cur_i))) {
					dp_table *t = dp_schema_table(s, cur_t);
					if (t && !expr && dp_table_add_index(t, cur_i, uniq, n,
									     (const char *const *)cb, NULL))
						rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
					for (size_t i = 0; i < n; i++)
						free(cb[i]);
					n = 0;
					expr = 0;
				}
				if (!row)
					break;
				if (!n) {
					snprintf(cur_t, sizeof(cur_t), "%s", row[0]);
					snprintf(cur_i, sizeof(cur_i), "%s", row[1]);
					uniq = row[2] && !strcmp(row[2], "0");
				}
				if (!row[3])
					expr = 1;
				if (n < 64)
					cb[n++] = dp_strdup(row[3] ? row[3] : "");
			}
		}
		if (r)
			mysql_free_result(r);
	}
	if (!rc)
		rc = introspect_objects(c, s, eb);
	for (size_t k = 0; k < s->ntables && !rc; k++)
		rc = inline_parts(s, &s->tables[k], eb);
	if (rc) {
		dp_schema_free(s);
		return rc;
	}
	*out = s;
	return DP_OK;
}

static int my_snapshot_export(dp_conn *c, char **token, dp_errbuf *eb)
{
	*token = NULL;    /* the leader's consistent-snapshot transaction is the view */
	return DP_OK;
}

static int my_snapshot_import(dp_conn *c, const char *token, dp_errbuf *eb)
{
	return dp_fail(eb, DP_ERR_UNSUPPORTED, "mysql: sessions cannot share a snapshot");
}

/* ---- reading: keyset pages ---- */

static int page_sql(dp_reader *r, size_t n, dp_buf *sql);

static int my_read_open(dp_conn *c, const dp_read_spec *spec, dp_reader **out, dp_errbuf *eb)
{
	const dp_table *t = spec->table;
	dp_reader *r;

	*out = NULL;
	if (spec->where && dp_sql_fragment_check(spec->where, "mysql", t->name, eb))
		return eb->code;
	r = calloc(1, sizeof(*r));
	if (!r)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	r->c = c;
	r->t = t;
	r->spec = *spec;
	r->left = spec->limit;
	/* limit 0 checks the query without reading a row (plan-time check of a
	 * subset clause): run it once with LIMIT 0 */
	if (spec->limit == 0) {
		dp_buf q = DP_BUF_INIT;
		int rc = page_sql(r, 0, &q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		if (!rc && mysql_real_query(c->my, q.data, (unsigned long)q.len) != 0)
			rc = dp_fail(eb, my_code(c->my), "mysql %s: reading %s: %s", c->desc, t->name,
				     my_msg(c->my));
		if (!rc) {
			MYSQL_RES *res = mysql_store_result(c->my);
			if (res)
				mysql_free_result(res);
		}
		dp_buf_free(&q);
		r->done = 1;
		if (rc) {
			free(r);
			return rc;
		}
	}
	/* explicit orderings page by OFFSET (correct inside the snapshot) */
	if (t->npk && !spec->n_order_by) {
		r->keys = dp_batch_new(t->npk, 1);
		r->last = r->keys ? dp_batch_add_row(r->keys) : NULL;
		if (!r->last) {
			dp_batch_free(r->keys);
			free(r);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	*out = r;
	return DP_OK;
}

static int inline_value(void *arg, const dp_value *v, dp_buf *out)
{
	return value_sql(arg, v, out);
}

/* One page of the read into sql (empty on entry: it receives the text). */
static int page_sql(dp_reader *r, size_t n, dp_buf *sql)
{
	dp_sql s;
	dp_sql_values vals = { inline_value, r->c };

	dp_sql_init(&s, dp_mysql_dialect.quote);
	dp_sql_read(&s, &dp_mysql_dialect, NULL, &r->spec, r->keys && r->have_last ? r->last : NULL,
		    &vals, (int64_t)n, r->keys ? -1 : r->offset);
	if (dp_sql_failed(&s)) {
		dp_sql_free(&s);
		return DP_ERR_NOMEM;
	}
	dp_buf_free(sql);
	*sql = s.b;
	return DP_OK;
}

static int put_value(const dp_column *col, const char *s, unsigned long n, dp_batch *b, dp_value *v)
{
	if (!s) {
		dp_value_set_null(v);
		return DP_OK;
	}
	if (col->tclass == DP_T_INTEGER || col->tclass == DP_T_BOOL) {
		char tmp[32], *end;
		if (n < sizeof(tmp)) {
			long long x;
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			errno = 0;
			x = strtoll(tmp, &end, 10);
			if (!errno && *end == '\0' && end != tmp) {
				dp_value_set_int(v, x);
				return DP_OK;
			}
		}
	} else if (col->tclass == DP_T_REAL) {
		char tmp[64], *end;
		if (n < sizeof(tmp)) {
			double x;
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			x = strtod(tmp, &end);
			if (*end == '\0' && end != tmp) {
				dp_value_set_real(v, x);
				return DP_OK;
			}
		}
	} else if (col->tclass == DP_T_BLOB) {
		return dp_batch_set_blob(b, v, s, n);
	}
	return dp_batch_set_text(b, v, s, n);
}

static int my_read_next(dp_reader *r, dp_batch *b, int *eof, dp_errbuf *eb)
{
	const dp_table *t = r->t;
	size_t want = dp_batch_cap(b) - dp_batch_nrows(b);
	dp_buf sql = DP_BUF_INIT;
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t got = 0;
	int rc = DP_OK;

	*eof = r->done;
	if (r->done || !want)
		return DP_OK;
	if (r->left >= 0 && (int64_t)want > r->left)
		want = (size_t)r->left;
	if (!want) {
		r->done = *eof = 1;
		return DP_OK;
	}
	if (page_sql(r, want, &sql)) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (mysql_real_query(r->c->my, sql.data, (unsigned long)sql.len) != 0) {
		rc = dp_fail(eb, my_code(r->c->my), "mysql %s: reading %s: %s", r->c->desc, t->name,
			     my_msg(r->c->my));
		dp_buf_free(&sql);
		return rc;
	}
	dp_buf_free(&sql);
	res = mysql_use_result(r->c->my);
	if (!res)
		return dp_fail(eb, my_code(r->c->my), "mysql %s: reading %s: %s", r->c->desc, t->name,
			       my_msg(r->c->my));
	while ((row = mysql_fetch_row(res))) {
		unsigned long *len = mysql_fetch_lengths(res);
		dp_value *v = dp_batch_add_row(b);
		if (!v) {
			rc = dp_fail(eb, DP_ERR_INTERNAL, "batch overflow reading %s", t->name);
			break;
		}
		for (size_t i = 0; i < t->ncols && !rc; i++)
			if (put_value(&t->cols[i], row[i], len[i], b, &v[i]))
				rc = dp_fail(eb, DP_ERR_NOMEM, "mysql: reading %s.%s: value too large or "
					     "out of memory", t->name, t->cols[i].name);
		got++;
		if (rc)
			break;
	}
	if (!rc && mysql_errno(r->c->my))
		rc = dp_fail(eb, DP_ERR_IO, "mysql %s: reading %s: %s", r->c->desc, t->name,
			     my_msg(r->c->my));
	mysql_free_result(res);
	if (rc)
		return rc;
	if (got && r->keys) {
		/* remember the last key (copied: the batch is reused by the caller) */
		const dp_value *lr = dp_batch_row_c(b, dp_batch_nrows(b) - 1);
		dp_batch_reset(r->keys);
		r->last = dp_batch_add_row(r->keys);
		for (size_t i = 0; i < t->npk && !rc; i++) {
			const dp_value *kv = &lr[t->pk[i]];
			r->last[i] = *kv;
			if (kv->kind == DP_V_TEXT)
				rc = dp_batch_set_text(r->keys, &r->last[i], kv->u.s, kv->len);
			else if (kv->kind == DP_V_BLOB)
				rc = dp_batch_set_blob(r->keys, &r->last[i], kv->u.s, kv->len);
		}
		if (rc)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		r->have_last = 1;
	}
	r->offset += (int64_t)got;
	if (r->left >= 0)
		r->left -= (int64_t)got;
	if (got < want || r->left == 0)
		r->done = 1;
	*eof = r->done;
	return DP_OK;
}

static void my_read_close(dp_reader *r)
{
	if (!r)
		return;
	dp_batch_free(r->keys);
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

static int create_table(dp_conn *c, const dp_table *t, const char *src_engine, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	dp_sql ddl;
	my_def d;
	int rc = dp_buf_puts(&sql, "DROP TABLE IF EXISTS ");

	if (!rc)
		rc = quote_ident_buf(t->name, &sql);
	if (!rc)
		rc = exec_ok(c, "SET FOREIGN_KEY_CHECKS = 0", eb) ? DP_ERR_SQL : DP_OK;
	if (!rc)
		rc = exec_ok(c, dp_buf_str(&sql), eb) ? DP_ERR_SQL : DP_OK;
	/* the checks were off only for the DROP: FKs enforced during the load
	 * stay enforced */
	if (!rc && c->fk_on)
		rc = exec_ok(c, "SET FOREIGN_KEY_CHECKS = 1", eb) ? DP_ERR_SQL : DP_OK;
	if (rc) {
		dp_buf_free(&sql);
		return eb->code ? eb->code : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	dp_buf_free(&sql);
	/* same engine: the source's own definition (see "verbatim" above) */
	if (def_for(t, src_engine, &d)) {
		rc = def_create_sql(&d, &sql) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
					     : exec_ok(c, dp_buf_str(&sql), eb);
		def_free(&d);
		dp_buf_free(&sql);
		if (!rc && remember(c, t))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		return rc;
	}
	dp_sql_init(&ddl, dp_mysql_dialect.quote);
	rc = dp_sql_create_table(&ddl, &dp_mysql_dialect, NULL, t, src_engine, 1, eb);
	if (rc) {
		dp_sql_free(&ddl);
		return rc;
	}
	rc = exec_ok(c, dp_sql_str(&ddl), eb);
	dp_sql_free(&ddl);
	if (!rc && remember(c, t))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return rc;
}

static int my_create(dp_conn *c, const dp_table *t, dp_ddl_phase phase, const char *src_engine,
		     dp_errbuf *eb)
{
	my_def d;
	int rc = DP_OK;

	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "mysql: refusing DDL on a source session");
	if (phase == DP_DDL_TABLE)
		return create_table(c, t, src_engine, eb);
	if (def_for(t, src_engine, &d)) {
		rc = def_add_lines(c, t, &d, phase == DP_DDL_INDEXES ? MY_L_INDEX : MY_L_FK, eb);
		def_free(&d);
		return rc;
	}
	if (phase == DP_DDL_INDEXES) {
		for (size_t i = 0; !rc && i < t->nidx; i++) {
			const dp_index *ix = &t->idx[i];
			dp_sql q;
			if (!ix->ncols || !ix->cols)
				continue;
			dp_sql_init(&q, dp_mysql_dialect.quote);
			dp_sql_create_index(&q, NULL, t, ix, ix->name ? ix->name : "idx");
			rc = dp_sql_failed(&q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
					       : exec_ok(c, dp_sql_str(&q), eb);
			dp_sql_free(&q);
		}
		return rc;
	}
	for (size_t f = 0; !rc && f < t->nfks; f++) {
		dp_sql q;
		if (t->fks[f].is_virtual)
			continue;
		dp_sql_init(&q, dp_mysql_dialect.quote);
		dp_sql_add_fk(&q, &dp_mysql_dialect, NULL, t, &t->fks[f]);
		rc = dp_sql_failed(&q) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
				       : exec_ok(c, dp_sql_str(&q), eb);
		dp_sql_free(&q);
	}
	return rc;
}

static int my_truncate(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc;

	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "mysql: refusing to truncate on a source session");
	if (dp_buf_puts(&sql, "DELETE FROM ") || quote_ident_buf(t->name, &sql)) {
		dp_buf_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = exec_ok(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	return rc;
}

/* ---- writing ---- */

static int my_write_open(dp_conn *c, const dp_table *t, int fast, dp_writer **out, dp_errbuf *eb)
{
	dp_writer *w;

	*out = NULL;
	if (c->role != DP_ROLE_TARGET)
		return dp_fail(eb, DP_ERR_REFUSED, "mysql: refusing to write on a source session");
	w = calloc(1, sizeof(*w));
	if (!w)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	w->c = c;
	w->t = t;
	w->fast = fast;
	*out = w;
	return DP_OK;
}

static int insert_head(const dp_table *t, dp_buf *sql)
{
	int rc = dp_buf_puts(sql, "INSERT INTO ");
	if (!rc)
		rc = quote_ident_buf(t->name, sql);
	if (!rc)
		rc = dp_buf_puts(sql, " (");
	for (size_t i = 0, nf = 0; !rc && i < t->ncols; i++) {
		if (t->cols[i].generated)
			continue;    /* the server computes it */
		if (nf++)
			rc = dp_buf_puts(sql, ", ");
		if (!rc)
			rc = quote_ident_buf(t->cols[i].name, sql);
	}
	return rc ? rc : dp_buf_puts(sql, ") VALUES ");
}

/* Value i of a row as MySQL must receive it to hold it exactly, or
 * DP_ERR_TYPE with the reason in *why (typemap.c has the rules): zoned
 * times converted to UTC (the session runs at +00:00); NaN, Infinity and
 * decimals with more digits than the DECIMAL holds refused (MySQL would
 * reject or silently round them). */
static int col_value_sql(dp_conn *c, const dp_column *col, const dp_value *v, dp_buf *sql,
			 const char **why)
{
	if (v->kind == DP_V_REAL && !isfinite(v->u.d)) {
		*why = "NaN/Infinity values cannot be stored in a mysql DOUBLE/DECIMAL column";
		return DP_ERR_TYPE;
	}
	if (col->tclass == DP_T_NUMERIC && (v->kind == DP_V_TEXT || v->kind == DP_V_REAL)) {
		char tmp[64];
		const char *s = v->u.s;
		size_t n = v->len;
		/* an unconstrained numeric was declared DECIMAL(65,30) */
		int ip = col->precision > 0 ? col->precision - col->scale : 35;
		int fp = col->precision > 0 ? col->scale : 30;
		if (v->kind == DP_V_REAL) {
			n = dp_value_to_text(v, tmp, sizeof(tmp), NULL);
			s = tmp;
		}
		if (!dp_decimal_fits(s, n, ip, fp)) {
			*why = n >= 3 && (strncasecmp(s, "NaN", 3) == 0 || strcasestr(s, "inf"))
			       ? "NaN/Infinity values cannot be stored in a mysql DOUBLE/DECIMAL column"
			       : "a value has more digits than the mysql DECIMAL column holds (at most 35 "
				 "before and 30 after the point); MySQL would round it";
			return DP_ERR_TYPE;
		}
	}
	if ((col->tclass == DP_T_TIMESTAMP || col->tclass == DP_T_TIME) && v->kind == DP_V_TEXT) {
		char out[80];
		int n = dp_time_to_utc(v->u.s, v->len, col->tclass == DP_T_TIME, out, sizeof(out));
		if (n > 0)
			return literal(c, out, (size_t)n, sql);
		if (n < 0 && (strcasestr(v->u.s, "infinity") || (v->len > 3 && !strcmp(v->u.s + v->len - 3, " BC")))) {
			*why = "infinity and BC dates cannot be stored in a mysql DATETIME/DATE column";
			return DP_ERR_TYPE;
		}
	}
	return value_sql(c, v, sql);
}

static int row_sql(dp_conn *c, const dp_table *t, const dp_value *row, dp_buf *sql, dp_errbuf *eb)
{
	int rc = dp_buf_puts(sql, "(");
	for (size_t i = 0, nf = 0; !rc && i < t->ncols; i++) {
		const char *why = NULL;
		if (t->cols[i].generated)
			continue;
		if (nf++)
			rc = dp_buf_puts(sql, ", ");
		if (!rc)
			rc = col_value_sql(c, &t->cols[i], &row[i], sql, &why);
		if (rc == DP_ERR_TYPE) {
			char key[256];
			dp_sql_describe_key(t, row, 0, key, sizeof(key));
			return dp_fail(eb, DP_ERR_TYPE, "mysql: %s.%s (row with %s): %s; the target is left "
				       "as it was", t->name, t->cols[i].name, key, why);
		}
	}
	return rc ? rc : dp_buf_puts(sql, ")");
}


static int send(dp_writer *w, dp_errbuf *eb, const dp_value *row)
{
	if (mysql_real_query(w->c->my, w->sql.data, (unsigned long)w->sql.len) != 0) {
		char key[256] = "";
		if (row)
			dp_sql_describe_key(w->t, row, 0, key, sizeof(key));
		return dp_fail(eb, my_code(w->c->my), "mysql: insert into %s failed%s%s: %s", w->t->name,
			       row ? " at row with " : "", key, my_msg(w->c->my));
	}
	return DP_OK;
}

static int my_write_batch(dp_writer *w, const dp_batch *b, dp_errbuf *eb)
{
	size_t nr = dp_batch_nrows(b), r = 0;
	int rc = DP_OK;

	/* multi-row statements up to ~1 MiB (under max_allowed_packet) */
	while (r < nr && !rc) {
		size_t first = r;
		dp_buf_reset(&w->sql);
		rc = insert_head(w->t, &w->sql);
		for (; !rc && r < nr; r++) {
			if (r > first)
				rc = dp_buf_puts(&w->sql, ", ");
			if (!rc)
				rc = row_sql(w->c, w->t, dp_batch_row_c(b, r), &w->sql, eb);
			if (!w->fast || w->sql.len > (1u << 20)) {
				r++;
				break;
			}
		}
		if (rc)
			return dp_fail(eb, rc == DP_ERR_TYPE ? rc : DP_ERR_NOMEM,
				       "out of memory encoding rows of %s", w->t->name);
		if (r - first == 1) {
			rc = send(w, eb, dp_batch_row_c(b, first));
			continue;
		}
		if (mysql_real_query(w->c->my, w->sql.data, (unsigned long)w->sql.len) == 0)
			continue;
		/* InnoDB undid the statement: replay it row by row to name the row */
		for (size_t k = first; k < r && !rc; k++) {
			dp_buf_reset(&w->sql);
			rc = insert_head(w->t, &w->sql);
			if (!rc)
				rc = row_sql(w->c, w->t, dp_batch_row_c(b, k), &w->sql, eb);
			rc = rc ? dp_fail(eb, rc == DP_ERR_TYPE ? rc : DP_ERR_NOMEM, "out of memory")
				: send(w, eb, dp_batch_row_c(b, k));
		}
		if (!rc)
			rc = dp_fail(eb, my_code(w->c->my), "mysql: insert into %s failed: %s", w->t->name,
				     my_msg(w->c->my));
	}
	return rc;
}

static int my_write_close(dp_writer *w, int commit, dp_errbuf *eb)
{
	if (!w)
		return DP_OK;
	dp_buf_free(&w->sql);
	free(w);
	return DP_OK;
}

static int my_update_rows(dp_conn *c, const dp_table *t, const char *const *set_cols, size_t nset,
			  const char *const *key_cols, size_t nkey, const dp_batch *b, dp_errbuf *eb)
{
	dp_sql sql;
	dp_sql_values vals = { inline_value, c };
	int rc = DP_OK;

	dp_sql_init(&sql, dp_mysql_dialect.quote);
	for (size_t r = 0; r < dp_batch_nrows(b) && !rc; r++) {
		dp_sql_reset(&sql);
		dp_sql_update_by_key(&sql, &dp_mysql_dialect, NULL, t, set_cols, nset, key_cols, nkey,
				     dp_batch_row_c(b, r), &vals);
		rc = dp_sql_failed(&sql) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
					 : exec_ok(c, dp_sql_str(&sql), eb);
	}
	dp_sql_free(&sql);
	return rc;
}

static int my_set_fk_enforcement(dp_conn *c, int on, dp_errbuf *eb)
{
	c->fk_on = on;
	return exec_ok(c, on ? "SET FOREIGN_KEY_CHECKS = 1" : "SET FOREIGN_KEY_CHECKS = 0", eb);
}

static int count_query(void *arg, const char *sql, int64_t *n, dp_errbuf *eb)
{
	MYSQL_RES *r = query(arg, sql, eb);
	MYSQL_ROW row;

	if (!r)
		return eb->code;
	row = mysql_fetch_row(r);
	*n = row && row[0] ? strtoll(row[0], NULL, 10) : 0;
	mysql_free_result(r);
	return DP_OK;
}

static int my_fk_violations(dp_conn *c, int64_t *count, dp_buf *detail, dp_errbuf *eb)
{
	return dp_sql_fk_orphan_total(&dp_mysql_dialect, NULL, c->made, c->nmade, count_query, c,
				      count, detail, eb);
}

static int my_reset_sequences(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	/* InnoDB moves AUTO_INCREMENT past explicitly inserted ids by itself */
	return DP_OK;
}

const dp_connector dp_mysql_connector = {
	.name = "mysql",
	.caps = DP_CAP_SOURCE | DP_CAP_TARGET | DP_CAP_DEFER_FK | DP_CAP_ATOMIC_TARGET,
	.open = my_open,
	.identity = my_identity,
	.stage_begin = my_stage_begin,
	.stage_mark = my_stage_mark,
	.stage_state = my_stage_state,
	.stage_leftovers = my_stage_leftovers,
	.cancel = my_cancel,
	.finish = my_finish,
	.close = my_close,
	.introspect = my_introspect,
	.count_rows = my_count_rows,
	.snapshot_export = my_snapshot_export,
	.snapshot_import = my_snapshot_import,
	.read_open = my_read_open,
	.read_next = my_read_next,
	.read_close = my_read_close,
	.create = my_create,
	.create_object = my_create_object,
	.can_carry = my_can_carry,
	.truncate = my_truncate,
	.write_open = my_write_open,
	.write_batch = my_write_batch,
	.write_close = my_write_close,
	.update_rows = my_update_rows,
	.set_fk_enforcement = my_set_fk_enforcement,
	.fk_violations = my_fk_violations,
	.reset_sequences = my_reset_sequences,
	.quote_ident = my_quote_ident,
	.quote_literal = my_quote_literal,
};
