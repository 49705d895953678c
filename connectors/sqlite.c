/* connectors/sqlite.c - the SQLite driver (libsqlite3).
 *
 * Sessions are opened SQLITE_OPEN_NOMUTEX: the engine never uses one session
 * from two threads at once (the source's leader and the target are taken
 * with their handle's lock, see engine/run/source.h), so SQLite's own
 * per-call mutex would only cost (12% of a DE_IDENTIFY run's CPU, measured);
 * cancel() calls sqlite3_interrupt, which SQLite allows from any thread.
 *
 * Source sessions: SQLITE_OPEN_READONLY plus PRAGMA query_only, and one read
 * transaction held for the session's life, so every table is read from the
 * same instant (SQLite has no exportable snapshot: all reads of a job go
 * through this one session, serialised by the engine).
 *
 * Target sessions never write the named file. Everything goes to a staging
 * file of the job's own, "<path>.doppel-<pid>-<random>.partial", under a
 * lock on "<path>.doppel-lock"; finish(commit=1) commits,
 * VACUUMs (a compact file whose bytes depend only on its content, so a seeded
 * run is byte-reproducible), fsyncs and rename()s it over the target. Any
 * other end deletes the staging file, leaving a previous target untouched.
 *
 * The staging file has a rollback journal without fsync: a table that is
 * complete is committed with its mark in doppel__progress, so a killed
 * job's file can be continued (--resume) from its last mark. A failed batch
 * is rolled back to its savepoint and replayed row by row so the error
 * names the exact row.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "connector.h"
#include "dialect.h"
#include "typemap.h"
#include "sqlbuf.h"
#include "sqlfrag.h"
#include "stage_list.h"
#include "../base/dp_log.h"
#include "../base/dp_rng.h"

struct dp_conn {
	sqlite3 *db;
	dp_role role;
	char *path;          /* the database the user named (file: URI resolved) */
	char *staging;       /* target: the file actually written (this job's own) */
	dev_t staging_dev;   /* ... and its identity, checked before the rename */
	ino_t staging_ino;
	char *lock_path;     /* target: "<path>.doppel-lock", flock'ed */
	int lock_fd;         /* -1 when not held */
	atomic_int cancelled;/* sq_cancel was called: busy waits end */
	dp_stage_list kept;  /* adopted staging: the tables there */
	int in_txn;
	int finished;
	int fk_on;
	char *src_engine;    /* target: the engine the tables came from (sq_create) */
};

struct dp_reader {
	dp_conn *c;
	sqlite3_stmt *st;
	const dp_table *t;
	int done;
};

struct dp_writer {
	dp_conn *c;
	const dp_table *t;
	int fast;
	sqlite3_stmt *multi;     /* INSERT of `mrows` rows */
	size_t mrows;
	sqlite3_stmt *single;
};

const dp_dialect dp_sqlite_dialect = {
	.engine = "sqlite",
	.quote = '"',
	.max_ident_len = 0,              /* SQLite names have no length limit */
	.placeholder = DP_PH_QMARK,
	.rowid = "rowid",
	.identity = DP_IDENTITY_ROWID,
	.generated = DP_GENERATED_NONE,
	.bounded_key_types = 0,
	.fks_inline = 1,                 /* no ALTER TABLE ADD FOREIGN KEY */
	.checks_inline = 0,              /* same-engine tables keep their CREATE text */
	.fk_set_default = 1,             /* (FKs are inline, without ON DELETE) */
	/* index names are unique per database file, but copied as they are:
	 * what the driver has always done (see the hand-back note on MySQL
	 * sources, whose names are per table) */
	.index_names_per_schema = 0,
	.table_options = "",
};

static int quote_ident_buf(const char *s, dp_buf *out)
{
	return dp_quote_ident(out, s, dp_sqlite_dialect.quote);
}

static int sq_quote_ident(dp_conn *c, const char *ident, dp_buf *out)
{
	(void)c;
	return quote_ident_buf(ident, out);
}

static int sq_quote_literal(dp_conn *c, const char *s, size_t len, dp_buf *out)
{
	(void)c;
	return dp_quote_literal(out, s, len);
}

static int sql_fail(dp_conn *c, dp_errbuf *eb, int code, const char *what)
{
	return dp_fail(eb, code, "sqlite: %s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

static int exec(dp_conn *c, const char *sql, dp_errbuf *eb)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		char ex[DP_ERRMSG_MAX / 2];
		dp_sql_excerpt(sql, msg ? msg : "", -1, sizeof(ex) - 16, ex, sizeof(ex));
		rc = dp_fail(eb, DP_ERR_SQL, "sqlite: %s: %s (in: %s)", c->path,
			     msg ? msg : sqlite3_errstr(rc), ex);
		sqlite3_free(msg);
		return rc;
	}
	return DP_OK;
}

static int begin(dp_conn *c, dp_errbuf *eb)
{
	int rc;
	if (c->in_txn)
		return DP_OK;
	rc = exec(c, "BEGIN", eb);
	if (!rc)
		c->in_txn = 1;
	return rc;
}

static void conn_free(dp_conn *c)
{
	if (!c)
		return;
	if (c->db)
		sqlite3_close_v2(c->db);
	if (c->lock_fd >= 0) {
		/* unlinked while still held: a job that opened the old file
		 * finds its inode gone and retries (see take_lock) */
		if (c->lock_path)
			unlink(c->lock_path);
		close(c->lock_fd);
	}
	dp_stage_list_free(&c->kept);
	free(c->src_engine);
	free(c->lock_path);
	free(c->path);
	free(c->staging);
	free(c);
}

/* A `file:` URI names a file too: file:/abs, file:///abs, file://localhost/abs
 * or file:rel, percent-decoded. URI parameters (?mode=rw, ?vfs=...) could
 * change how the file is opened, so they are refused. *out is malloc'd. */
static int resolve_path(const char *spec, const char *which, char **out, dp_errbuf *eb)
{
	const char *p = spec;
	char *r, *w;

	*out = NULL;
	if (strncmp(spec, "file:", 5) != 0) {
		*out = dp_strdup(spec);
		return *out ? DP_OK : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	p += 5;
	if (!strncmp(p, "//", 2)) {
		p += 2;
		if (!strncmp(p, "localhost/", 10))
			p += 9;
		else if (*p != '/')
			return dp_fail(eb, DP_ERR_CONFIG, "%s.database: a file: URI with a host is not "
				       "accepted; give a plain path", which);
	}
	if (strpbrk(p, "?#"))
		return dp_fail(eb, DP_ERR_CONFIG, "%s.database: URI parameters (?mode=..., ?vfs=...) are "
			       "not accepted: doppel opens sources read-only and builds targets itself; "
			       "give a plain path", which);
	r = w = malloc(strlen(p) + 1);
	if (!r)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (; *p; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hx[3] = { p[1], p[2], 0 };
			*w++ = (char)strtol(hx, NULL, 16);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	if (!*r || !strncmp(r, "file:", 5) || strlen(r) != (size_t)(w - r)) {
		free(r);
		return dp_fail(eb, DP_ERR_CONFIG, "%s.database: this file: URI does not name a file; "
			       "give a plain path", which);
	}
	*out = r;
	return DP_OK;
}

/* The target is the file its path names: the final symlink resolved, so
 * the lock, the staging file and the rename all act on that file (a second
 * spelling of it meets the same lock). Refused: a directory, an existing
 * file that is not a SQLite database (doppel replaces only SQLite files),
 * and the side files of a database (its -wal, -shm or -journal: replacing
 * one destroys that database). */
static int target_path(dp_conn *c, dp_errbuf *eb)
{
	static const char *const side[] = { "-wal", "-shm", "-journal", NULL };
	char real[PATH_MAX];
	struct stat st;
	size_t n;

	if (lstat(c->path, &st) == 0) {
		if (!realpath(c->path, real))
			return dp_fail(eb, DP_ERR_CONFIG, "target.database: %s is a link to a file that does "
				       "not exist", c->path);
	} else {
		char *d = dp_strdup(c->path), *b = dp_strdup(c->path);
		char rd[PATH_MAX];
		int ok = d && b && realpath(dirname(d), rd) &&
			 (size_t)snprintf(real, sizeof(real), "%s/%s", rd, basename(b)) < sizeof(real);
		free(d);
		free(b);
		if (!ok)
			return dp_fail(eb, DP_ERR_IO, "sqlite: cannot create target %s: the directory does "
				       "not exist", c->path);
	}
	free(c->path);
	if (!(c->path = dp_strdup(real)))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	n = strlen(real);
	for (const char *const *sf = side; *sf; sf++) {
		size_t l = strlen(*sf);
		if (n > l && !strcmp(real + n - l, *sf)) {
			char db[PATH_MAX];
			snprintf(db, sizeof(db), "%.*s", (int)(n - l), real);
			if (access(db, F_OK) == 0)
				return dp_fail(eb, DP_ERR_REFUSED, "target.database: %s is the %s file of the SQLite "
					       "database %s, not a database; doppel never replaces it", real, *sf + 1, db);
		}
	}
	if (stat(real, &st) == 0) {
		unsigned char head[16];
		int fd;
		ssize_t got;
		if (S_ISDIR(st.st_mode))
			return dp_fail(eb, DP_ERR_CONFIG, "target.database: %s is a directory", real);
		if (st.st_size == 0)
			return DP_OK;
		fd = open(real, O_RDONLY | O_CLOEXEC);
		got = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
		if (fd >= 0)
			close(fd);
		if (got != (ssize_t)sizeof(head) || memcmp(head, "SQLite format 3", 16))
			return dp_fail(eb, DP_ERR_REFUSED, "target.database: %s exists and is not a SQLite "
				       "database; doppel replaces only SQLite files", real);
	}
	return DP_OK;
}

/* Waits for a busy database (a writer holds it) in short steps, so a
 * cancel (sqlite3_interrupt does not reach a busy wait) ends it at once. */
static int busy_wait(void *arg, int n)
{
	dp_conn *c = arg;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	if (atomic_load(&c->cancelled) || n >= 500)      /* 10 s */
		return 0;
	nanosleep(&ts, NULL);
	return 1;
}

static int sq_open(const dp_conn_cfg *cfg, dp_role role, dp_conn **out, dp_errbuf *eb)
{
	dp_conn *c;
	int rc, flags;
	const char *which = role == DP_ROLE_SOURCE ? "source" : "target";
	const char *path;

	*out = NULL;
	if (!cfg->database || !*cfg->database)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.database: the SQLite file path is missing", which);
	c = calloc(1, sizeof(*c));
	if (!c)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	c->role = role;
	c->lock_fd = -1;
	rc = resolve_path(cfg->database, which, &c->path, eb);
	if (rc) {
		conn_free(c);
		return rc;
	}
	path = c->path;
	if (role == DP_ROLE_SOURCE) {
		if (access(path, R_OK) != 0) {
			rc = dp_fail(eb, DP_ERR_CONNECT, "sqlite: cannot open source %s: %s", path,
				     strerror(errno));
			conn_free(c);
			return rc;
		}
		flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
		rc = sqlite3_open_v2(path, &c->db, flags, NULL);
		if (rc != SQLITE_OK) {
			rc = dp_fail(eb, DP_ERR_CONNECT, "sqlite: cannot open source %s: %s", path,
				     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
			conn_free(c);
			return rc;
		}
		sqlite3_busy_handler(c->db, busy_wait, c);
		/* read-only twice over, and the read view starts now */
		rc = exec(c, "PRAGMA query_only=1", eb);
		if (!rc)
			rc = begin(c, eb);
		if (!rc && sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL,
					NULL) != SQLITE_OK)
			rc = dp_fail(eb, DP_ERR_CONNECT, "sqlite: cannot read source %s: %s", path,
				     sqlite3_errmsg(c->db));
		if (rc) {
			dp_errbuf_clear(eb);
			rc = dp_fail(eb, DP_ERR_CONNECT, "sqlite: cannot read source %s: %s", path,
				     sqlite3_errmsg(c->db));
			conn_free(c);
			return rc;
		}
		*out = c;
		return DP_OK;
	}
	/* target: nothing is created until stage_begin */
	rc = target_path(c, eb);
	if (rc) {
		conn_free(c);
		return rc;
	}
	*out = c;
	return DP_OK;
}

static int sq_identity(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	struct stat st;

	/* device + inode: symlinks, hard links, ./ and // spellings all meet */
	if (stat(c->path, &st) == 0)
		return dp_buf_printf(out, "sqlite:dev=%ju:ino=%ju", (uintmax_t)st.st_dev,
				     (uintmax_t)st.st_ino) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	/* a file that does not exist yet is no other database */
	return dp_buf_printf(out, "sqlite:new:%s", c->path) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory")
							      : DP_OK;
}

/* The exclusive lock of a target: flock on "<target>.doppel-lock", which
 * holds the owner's description. Whoever unlinks it holds it, so a lock
 * taken on an inode that is no longer the file's is retried. */
static int take_lock(dp_conn *c, const char *job, dp_errbuf *eb)
{
	char info[256];

	c->lock_path = malloc(strlen(c->path) + 16);
	if (!c->lock_path)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	sprintf(c->lock_path, "%s.doppel-lock", c->path);
	for (int tries = 0; tries < 10; tries++) {
		struct stat a, b;
		int fd = open(c->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return dp_fail(eb, DP_ERR_IO, "sqlite: cannot create target %s: %s", c->path,
				       strerror(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			char holder[200];
			ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);
			int e = errno;
			close(fd);
			if (e != EWOULDBLOCK && n < 0)
				return dp_fail(eb, DP_ERR_IO, "sqlite: locking %s: %s", c->lock_path, strerror(e));
			holder[n > 0 ? n : 0] = '\0';
			holder[strcspn(holder, "\n")] = '\0';
			return dp_fail(eb, DP_ERR_REFUSED, "target %s is being written by another doppel "
				       "job (%s); wait for it to end or stop it", c->path,
				       holder[0] ? holder : "owner unknown");
		}
		if (fstat(fd, &a) == 0 && stat(c->lock_path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			int n = snprintf(info, sizeof(info), "job %s, pid %ld\n", job ? job : "(unnamed)",
					 (long)getpid());
			if (ftruncate(fd, 0) != 0 || pwrite(fd, info, (size_t)n, 0) != n)
				dp_log_debug("sqlite: could not describe the lock holder in %s", c->lock_path);
			c->lock_fd = fd;
			return DP_OK;
		}
		close(fd);     /* the previous holder removed it meanwhile */
	}
	return dp_fail(eb, DP_ERR_IO, "sqlite: cannot lock %s", c->lock_path);
}

/* Staging files of jobs that were killed: "<name>.doppel-<pid>-<hex>.partial"
 * next to the target (with their "-journal"), and the older
 * "<name>.doppel-partial". Only called with the lock held, so none of them
 * belongs to a running job. With `keep`, that staging file (and its
 * journal) stays. */
static void remove_leftovers(dp_conn *c, const char *keep)
{
	char *dcopy = dp_strdup(c->path), *bcopy = dp_strdup(c->path);
	const char *dir, *base;
	size_t bl, kl = keep ? strlen(keep) : 0;
	DIR *d;
	struct dirent *de;

	if (!dcopy || !bcopy)
		goto out;
	dir = dirname(dcopy);
	base = basename(bcopy);
	bl = strlen(base);
	d = opendir(dir);
	if (!d)
		goto out;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		size_t nl = strlen(n);
		char full[PATH_MAX];
		int ours = nl > bl && !strncmp(n, base, bl) && !strncmp(n + bl, ".doppel-", 8) &&
			   (!strcmp(n + bl, ".doppel-partial") ||
			    (nl > 8 && !strcmp(n + nl - 8, ".partial")) ||
			    (nl > 16 && !strcmp(n + nl - 16, ".partial-journal")));
		if (!ours || (size_t)snprintf(full, sizeof(full), "%s/%s", dir, n) >= sizeof(full))
			continue;
		if (keep && !strncmp(full, keep, kl) && (!full[kl] || !strcmp(full + kl, "-journal")))
			continue;
		if (unlink(full) == 0)
			dp_log_info("sqlite: removed %s, left by a job that did not finish", full);
	}
	closedir(d);
out:
	free(dcopy);
	free(bcopy);
}

static const char *col_text(sqlite3_stmt *st, int i);

/* Can this leftover staging file be continued? It opens (a hot journal of
 * the killed job is rolled back by SQLite itself), passes quick_check and
 * was started for the same fingerprint. Then: its marked tables are kept,
 * its other tables emptied (their place in the schema stays, so the file
 * comes out as an uninterrupted run's), its indexes dropped (they are
 * built after the load). */
static int adopt(dp_conn *c, const char *file, const char *fp, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL;
	dp_buf sql = DP_BUF_INIT;
	int ok = 0, rc;

	if (sqlite3_open_v2(file, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || strcmp(col_text(st, 0), "ok"))
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT info FROM " DP_PROGRESS_TABLE " WHERE tbl = ''", -1, &st,
			       NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    strcmp(col_text(st, 0), fp))
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	/* every table of the file: marked (kept) or not (emptied) */
	if (sqlite3_prepare_v2(c->db, "SELECT m.name, p.info FROM sqlite_master m LEFT JOIN "
			       DP_PROGRESS_TABLE " p ON p.tbl = m.name WHERE m.type = 'table' AND m.name "
			       "NOT IN ('" DP_PROGRESS_TABLE "', 'sqlite_sequence') AND m.name NOT LIKE "
			       "'sqlite\\_%' ESCAPE '\\'", -1, &st, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *n = col_text(st, 0);
		int done = sqlite3_column_type(st, 1) != SQLITE_NULL;
		if (dp_stage_list_add(&c->kept, n, done ? sqlite3_column_int64(st, 1) : 0,
				      done ? DP_STAGE_DONE : DP_STAGE_EMPTY)) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			sqlite3_finalize(st);
			dp_buf_free(&sql);
			return rc;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = exec(c, "PRAGMA journal_mode=DELETE", eb);
	if (!rc)
		rc = exec(c, "PRAGMA synchronous=OFF", eb);
	if (!rc)
		rc = begin(c, eb);
	/* indexes come after the load: none of the killed job's stays */
	if (!rc && sqlite3_prepare_v2(c->db, "SELECT name FROM sqlite_master WHERE type = 'index' AND "
				      "sql IS NOT NULL", -1, &st, NULL) == SQLITE_OK) {
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			dp_buf_reset(&sql);
			if (dp_buf_puts(&sql, "DROP INDEX ") || quote_ident_buf(col_text(st, 0), &sql))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			else
				rc = exec(c, dp_buf_str(&sql), eb);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	for (size_t i = 0; !rc && i < c->kept.n; i++) {
		if (c->kept.v[i].state != DP_STAGE_EMPTY)
			continue;
		dp_buf_reset(&sql);
		if (dp_buf_puts(&sql, "DELETE FROM ") || quote_ident_buf(c->kept.v[i].name, &sql))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		else
			rc = exec(c, dp_buf_str(&sql), eb);
		/* AUTOINCREMENT counters start again as in a new table */
		if (!rc && sqlite3_table_column_metadata(c->db, NULL, "sqlite_sequence", "name", NULL, NULL,
							 NULL, NULL, NULL) == SQLITE_OK) {
			sqlite3_stmt *d = NULL;
			if (sqlite3_prepare_v2(c->db, "DELETE FROM sqlite_sequence WHERE name = ?", -1, &d,
					       NULL) == SQLITE_OK) {
				sqlite3_bind_text(d, 1, c->kept.v[i].name, -1, SQLITE_STATIC);
				sqlite3_step(d);
			}
			sqlite3_finalize(d);
		}
	}
	if (rc) {
		dp_buf_free(&sql);
		return rc;
	}
	ok = 1;
out:
	if (st)
		sqlite3_finalize(st);
	dp_buf_free(&sql);
	if (!ok) {
		if (c->db)
			sqlite3_close_v2(c->db);
		c->db = NULL;
		c->in_txn = 0;
		dp_stage_list_free(&c->kept);
	}
	return ok ? 1 : 0;
}

/* The newest leftover staging file of this target that can be continued;
 * 1 and the session on it, or 0. */
static int find_resumable(dp_conn *c, const char *fp, dp_errbuf *eb)
{
	char *dcopy = dp_strdup(c->path), *bcopy = dp_strdup(c->path);
	char best[PATH_MAX] = "";
	time_t best_t = 0;
	DIR *d = NULL;
	struct dirent *de;
	int rc = 0;

	if (!dcopy || !bcopy)
		goto out;
	{
		const char *dir = dirname(dcopy), *base = basename(bcopy);
		size_t bl = strlen(base);
		d = opendir(dir);
		while (d && (de = readdir(d))) {
			const char *n = de->d_name;
			size_t nl = strlen(n);
			char full[PATH_MAX];
			struct stat st;
			if (nl <= bl + 16 || strncmp(n, base, bl) || strncmp(n + bl, ".doppel-", 8) ||
			    strcmp(n + nl - 8, ".partial"))
				continue;
			if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, n) >= sizeof(full) ||
			    stat(full, &st) != 0)
				continue;
			if (!best[0] || st.st_mtime > best_t) {
				snprintf(best, sizeof(best), "%s", full);
				best_t = st.st_mtime;
			}
		}
	}
	if (best[0]) {
		rc = adopt(c, best, fp, eb);
		if (rc == 1 && !(c->staging = dp_strdup(best)))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
out:
	if (d)
		closedir(d);
	free(dcopy);
	free(bcopy);
	return rc;
}

static int sq_stage_begin(dp_conn *c, const dp_stage_opts *o, dp_errbuf *eb)
{
	uint64_t rnd = dp_random_seed();
	struct stat st;
	int rc, flags, fd;

	if (c->role != DP_ROLE_TARGET || c->db)
		return dp_fail(eb, DP_ERR_INTERNAL, "sqlite: stage_begin on a source or twice");
	rc = take_lock(c, o->job, eb);
	if (rc)
		return rc;
	if (o->resume && o->fingerprint) {
		rc = find_resumable(c, o->fingerprint, eb);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (stat(c->staging, &st) != 0)
				return dp_fail(eb, DP_ERR_IO, "sqlite: %s: %s", c->staging, strerror(errno));
			c->staging_dev = st.st_dev;
			c->staging_ino = st.st_ino;
			remove_leftovers(c, c->staging);
			dp_log_info("sqlite: continuing %s (%zu tables there)", c->staging, c->kept.n);
			return DP_OK;
		}
		dp_log_info("sqlite: no staging area of a killed job with this plan to continue: "
			    "starting anew");
	}
	remove_leftovers(c, NULL);
	/* a name of this job's own, created exclusively: no other job can be
	 * writing it, and the rename can check it swaps this very file */
	c->staging = malloc(strlen(c->path) + 64);
	if (!c->staging)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	sprintf(c->staging, "%s.doppel-%ld-%012" PRIx64 ".partial", c->path, (long)getpid(),
		rnd & (uint64_t)0xffffffffffff);
	fd = open(c->staging, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = dp_fail(eb, DP_ERR_IO, "sqlite: cannot create target %s: %s", c->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(c->staging);
		c->staging = NULL;
		return rc;
	}
	close(fd);
	c->staging_dev = st.st_dev;
	c->staging_ino = st.st_ino;
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(c->staging, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = dp_fail(eb, DP_ERR_IO, "sqlite: cannot create target %s: %s", c->path,
			     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	/* a real journal (no fsync): a kill -9 leaves a staging file that a
	 * --resume can roll back to its last marked table */
	rc = exec(c, "PRAGMA journal_mode=DELETE", eb);
	if (!rc)
		rc = exec(c, "PRAGMA synchronous=OFF", eb);
	/* the file must actually be writable: write it now, not at commit */
	if (!rc)
		rc = exec(c, "PRAGMA user_version=0", eb);
	if (!rc)
		rc = exec(c, "CREATE TABLE " DP_PROGRESS_TABLE " (tbl TEXT PRIMARY KEY, info TEXT NOT NULL)", eb);
	if (!rc) {
		sqlite3_stmt *ins = NULL;
		if (sqlite3_prepare_v2(c->db, "INSERT INTO " DP_PROGRESS_TABLE " VALUES ('', ?)", -1, &ins,
				       NULL) != SQLITE_OK ||
		    sqlite3_bind_text(ins, 1, o->fingerprint ? o->fingerprint : "", -1, SQLITE_STATIC) ||
		    sqlite3_step(ins) != SQLITE_DONE)
			rc = DP_ERR_IO;
		sqlite3_finalize(ins);
	}
	if (rc) {
		dp_errbuf_clear(eb);
		rc = dp_fail(eb, DP_ERR_IO, "sqlite: cannot create target %s: %s", c->path,
			     sqlite3_errmsg(c->db));
		goto fail;
	}
	return DP_OK;
fail:
	if (c->db)
		sqlite3_close_v2(c->db);
	c->db = NULL;
	unlink(c->staging);
	free(c->staging);
	c->staging = NULL;
	return rc;
}

static int sq_stage_mark(dp_conn *c, const dp_table *t, int64_t rows, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL;
	int rc = begin(c, eb);

	if (rc)
		return rc;
	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO " DP_PROGRESS_TABLE " VALUES (?, ?)", -1,
			       &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(st, 2, rows) || sqlite3_step(st) != SQLITE_DONE)
		rc = sql_fail(c, eb, DP_ERR_IO, "recording progress");
	sqlite3_finalize(st);
	if (!rc) {
		rc = exec(c, "COMMIT", eb);
		c->in_txn = 0;
	}
	return rc;
}

static int sq_stage_leftovers(dp_conn *c, dp_buf *out, dp_errbuf *eb)
{
	char *dcopy = dp_strdup(c->path), *bcopy = dp_strdup(c->path);
	const char *dir, *base;
	size_t bl;
	DIR *d;
	struct dirent *de;
	int rc = DP_OK;

	if (!dcopy || !bcopy) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	dir = dirname(dcopy);
	base = basename(bcopy);
	bl = strlen(base);
	if (!(d = opendir(dir)))
		goto out;
	while (!rc && (de = readdir(d))) {
		const char *n = de->d_name;
		size_t nl = strlen(n);
		if (nl > bl + 16 && !strncmp(n, base, bl) && !strncmp(n + bl, ".doppel-", 8) &&
		    !strcmp(n + nl - 8, ".partial"))
			rc = dp_buf_printf(out, "%s%s/%s", out->len ? "; " : "", dir, n)
			     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	}
	closedir(d);
out:
	free(dcopy);
	free(bcopy);
	return rc;
}

static dp_stage_state sq_stage_state(dp_conn *c, const dp_table *t, int64_t *rows)
{
	return dp_stage_list_state(&c->kept, t->name, 0, rows);
}

/* sqlite3_interrupt is safe from any thread while the connection is open */
static void sq_cancel(dp_conn *c)
{
	if (!c)
		return;
	atomic_store(&c->cancelled, 1);
	if (c->db)
		sqlite3_interrupt(c->db);
}

static void unlink_journal(const char *staging)
{
	char j[PATH_MAX];
	if ((size_t)snprintf(j, sizeof(j), "%s-journal", staging) < sizeof(j))
		unlink(j);
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int sq_finish(dp_conn *c, int commit, dp_errbuf *eb)
{
	int rc = DP_OK;
	char *dcopy, *vac = NULL;
	dev_t vdev = 0;
	ino_t vino = 0;

	if (c->role == DP_ROLE_SOURCE || c->finished)
		return DP_OK;
	c->finished = 1;
	if (!c->staging)
		return commit ? dp_fail(eb, DP_ERR_INTERNAL, "sqlite: finish before stage_begin") : DP_OK;
	if (!commit) {
		if (c->in_txn)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(c->db);
		c->db = NULL;
		unlink(c->staging);
		unlink_journal(c->staging);
		return DP_OK;
	}
	rc = begin(c, eb);
	if (!rc)
		rc = exec(c, "DROP TABLE IF EXISTS " DP_PROGRESS_TABLE, eb);
	if (!rc) {
		rc = exec(c, "COMMIT", eb);
		c->in_txn = 0;
	}
	/* VACUUM INTO a fresh file of this job's own: compact, and its bytes
	 * depend only on the content (header counters start anew), so a seeded
	 * run - continued or not - is byte-reproducible */
	if (!rc) {
		struct stat st;
		size_t n = strlen(c->staging);
		int fd;
		vac = malloc(n + 8);
		if (!vac)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		else {
			memcpy(vac, c->staging, n - 8);                 /* without ".partial" */
			strcpy(vac + n - 8, "-v.partial");
			fd = open(vac, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			if (fd < 0 || fstat(fd, &st) != 0)
				rc = dp_fail(eb, DP_ERR_IO, "sqlite: cannot create %s: %s", vac, strerror(errno));
			else {
				vdev = st.st_dev;
				vino = st.st_ino;
			}
			if (fd >= 0)
				close(fd);
		}
	}
	if (!rc) {
		dp_buf q = DP_BUF_INIT;
		rc = dp_buf_puts(&q, "VACUUM INTO ") || dp_quote_literal(&q, vac, strlen(vac))
		     ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : exec(c, dp_buf_str(&q), eb);
		dp_buf_free(&q);
	}
	/* sqlite3_close frees the handle when it succeeds: close_v2 (which
	 * finishes the close once the last statement is finalized) only when
	 * it did not */
	if (sqlite3_close(c->db) != SQLITE_OK) {
		if (!rc)
			rc = sql_fail(c, eb, DP_ERR_IO, "closing the staging file");
		sqlite3_close_v2(c->db);
	}
	c->db = NULL;
	unlink(c->staging);
	unlink_journal(c->staging);
	if (!rc && fsync_path(vac, 0) != 0)
		rc = dp_fail(eb, DP_ERR_IO, "sqlite: fsync %s: %s", vac, strerror(errno));
	if (!rc) {
		struct stat st;
		if (stat(vac, &st) != 0 || st.st_dev != vdev || st.st_ino != vino)
			rc = dp_fail(eb, DP_ERR_IO, "sqlite: %s is no longer the file this job built; "
				     "the target was not replaced", vac);
	}
	if (!rc && rename(vac, c->path) != 0)
		rc = dp_fail(eb, DP_ERR_IO, "sqlite: cannot move %s over %s: %s", vac, c->path,
			     strerror(errno));
	if (rc) {
		if (vac)
			unlink(vac);
		free(vac);
		return rc;
	}
	free(vac);
	dcopy = dp_strdup(c->path);
	if (dcopy) {
		(void)fsync_path(dirname(dcopy), 1);   /* make the rename durable */
		free(dcopy);
	}
	return DP_OK;
}

static void sq_close(dp_conn *c)
{
	if (!c)
		return;
	if (c->role == DP_ROLE_TARGET && !c->finished) {
		dp_errbuf ignore;
		dp_errbuf_clear(&ignore);
		(void)sq_finish(c, 0, &ignore);
	} else if (c->db && c->in_txn) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	conn_free(c);
}

/* ---- introspection ---- */

static int prep(dp_conn *c, const char *sql, sqlite3_stmt **st, dp_errbuf *eb)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK) {
		char ex[DP_ERRMSG_MAX / 2];
		dp_sql_excerpt(sql, sqlite3_errmsg(c->db), -1, sizeof(ex) - 16, ex, sizeof(ex));
		return dp_fail(eb, DP_ERR_SQL, "sqlite: %s: %s (in: %s)", c->path, sqlite3_errmsg(c->db), ex);
	}
	return DP_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : NULL;
}

static dp_fk_action fk_action(const char *s)
{
	if (!s)
		return DP_FK_NO_ACTION;
	if (!strcasecmp(s, "CASCADE")) return DP_FK_CASCADE;
	if (!strcasecmp(s, "SET NULL")) return DP_FK_SET_NULL;
	if (!strcasecmp(s, "SET DEFAULT")) return DP_FK_SET_DEFAULT;
	if (!strcasecmp(s, "RESTRICT")) return DP_FK_RESTRICT;
	return DP_FK_NO_ACTION;
}

/* The expression of generated column `name` in CREATE TABLE text sql:
 * what follows "AS" after the column's name, between balanced
 * parentheses (malloc'd), or NULL when it cannot be found. Used only for
 * messages: within SQLite the table keeps its own CREATE text. */
static char *generated_expr(const char *sql, const char *name)
{
	const char *p = sql;
	size_t nl = strlen(name);

	while (p && (p = strcasestr(p, name)) != NULL) {
		const char *q = p + nl, *open;
		int depth = 0;
		p = q;
		if (q[0] == '"' || q[0] == ']' || q[0] == '`')
			q++;
		open = strcasestr(q, " AS ");
		if (!open || memchr(q, ',', (size_t)(open - q)))
			continue;
		open = strchr(open, '(');
		if (!open)
			return NULL;
		for (const char *e = open; *e; e++) {
			depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
			if (!depth) {
				char *r = malloc((size_t)(e - open) + 2);
				if (r) {
					memcpy(r, open, (size_t)(e - open) + 1);
					r[e - open + 1] = '\0';
				}
				return r;
			}
		}
		return NULL;
	}
	return NULL;
}

static int read_columns(dp_conn *c, dp_table *t, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL;
	/* table_xinfo: generated columns too (hidden 2 = VIRTUAL, 3 = STORED;
	 * 1 = a virtual table's hidden column, not data) */
	int rc = prep(c, "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) "
		      "WHERE hidden <> 1 ORDER BY cid", &st, eb);
	int src;

	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW && !rc) {
		dp_column *col;
		const char *type = col_text(st, 1) ? col_text(st, 1) : "", *coll = NULL;
		int hidden = sqlite3_column_int(st, 5);
		char decl[512];
		/* a column's collation is part of its meaning across engines:
		 * "TEXT COLLATE NOCASE" (typemap.c reads it) */
		if (sqlite3_table_column_metadata(c->db, "main", t->name, col_text(st, 0), NULL, &coll,
						  NULL, NULL, NULL) != SQLITE_OK || !coll || !strcasecmp(coll, "BINARY"))
			coll = NULL;
		snprintf(decl, sizeof(decl), "%s%s%s", type, coll ? " COLLATE " : "", coll ? coll : "");
		rc = dp_table_add_column(t, col_text(st, 0), decl, &col);
		if (rc) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		col->notnull = sqlite3_column_int(st, 2);
		if (col_text(st, 3) && !(col->default_expr = dp_strdup(col_text(st, 3))))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		col->pk_pos = sqlite3_column_int(st, 4);
		if (hidden == 2 || hidden == 3) {
			/* computed by SQLite: recreated by the table's own CREATE text,
			 * never written; across engines typemap refuses it */
			col->generated = generated_expr(t->create_sql ? t->create_sql : "", col->name);
			if (!col->generated && !(col->generated = dp_strdup("(expression)")))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			col->generated_stored = hidden == 3;
		}
	}
	if (!rc && src != SQLITE_DONE)
		rc = sql_fail(c, eb, DP_ERR_SQL, "reading columns");
	sqlite3_finalize(st);
	if (!rc && dp_table_finish_pk(t))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	/* INTEGER PRIMARY KEY is the rowid: SQLite's identity column */
	if (!rc && t->npk == 1 && !t->without_rowid &&
	    !strcasecmp(t->cols[t->pk[0]].type_decl, "INTEGER")) {
		t->cols[t->pk[0]].is_identity = 1;
		t->cols[t->pk[0]].notnull = 1;
	}
	return rc;
}

static int read_fks(dp_conn *c, dp_table *t, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(c, "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete "
		      "FROM pragma_foreign_key_list(?1) ORDER BY id, seq", &st, eb);
	int src, cur = -1;
	const char *cols[64], *refs[64];
	char *cbuf[64], *rbuf[64], *ref_table = NULL;
	size_t n = 0;
	dp_fk_action upd = 0, del = 0;

	if (rc)
		return rc;
	memset(cbuf, 0, sizeof(cbuf));
	memset(rbuf, 0, sizeof(rbuf));
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	for (;;) {
		int id = -2;
		src = sqlite3_step(st);
		if (src == SQLITE_ROW)
			id = sqlite3_column_int(st, 0);
		if ((src != SQLITE_ROW || id != cur) && n) {
			dp_fk *fk;
			for (size_t i = 0; i < n; i++) {
				cols[i] = cbuf[i];
				refs[i] = rbuf[i] ? rbuf[i] : "";   /* "" = the parent's PK, filled later */
			}
			if (dp_table_add_fk(t, NULL, ref_table, n, cols, refs, &fk))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			else {
				fk->on_update = upd;
				fk->on_delete = del;
			}
			for (size_t i = 0; i < n; i++) {
				free(cbuf[i]);
				free(rbuf[i]);
				cbuf[i] = rbuf[i] = NULL;
			}
			free(ref_table);
			ref_table = NULL;
			n = 0;
		}
		if (src != SQLITE_ROW || rc)
			break;
		cur = id;
		if (n >= 64) {
			rc = dp_fail(eb, DP_ERR_SCHEMA, "sqlite: %s: foreign key with more than 64 columns",
				     t->name);
			break;
		}
		if (!ref_table) {
			ref_table = dp_strdup(col_text(st, 2));
			upd = fk_action(col_text(st, 5));
			del = fk_action(col_text(st, 6));
		}
		cbuf[n] = dp_strdup(col_text(st, 3));
		rbuf[n] = col_text(st, 4) ? dp_strdup(col_text(st, 4)) : NULL;
		n++;
	}
	if (!rc && src != SQLITE_DONE)
		rc = sql_fail(c, eb, DP_ERR_SQL, "reading foreign keys");
	for (size_t i = 0; i < n; i++) {
		free(cbuf[i]);
		free(rbuf[i]);
	}
	free(ref_table);
	sqlite3_finalize(st);
	return rc;
}

static int read_indexes(dp_conn *c, dp_table *t, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL, *ic = NULL, *sq = NULL;
	int rc = prep(c, "SELECT name, \"unique\", origin FROM pragma_index_list(?1) ORDER BY name",
		      &st, eb);
	int src;

	if (!rc)
		rc = prep(c, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", &ic, eb);
	if (!rc)
		rc = prep(c, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", &sq, eb);
	if (rc)
		goto out;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = col_text(st, 0), *origin = col_text(st, 2);
		int unique = sqlite3_column_int(st, 1);
		const char *cols[64];
		char *cb[64];
		size_t n = 0;
		const char *sql = NULL;

		sqlite3_reset(ic);
		sqlite3_bind_text(ic, 1, name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(ic) == SQLITE_ROW && n < 64) {
			cb[n] = col_text(ic, 0) ? dp_strdup(col_text(ic, 0)) : dp_strdup("");
			cols[n] = cb[n];
			n++;
		}
		if (origin && strcmp(origin, "c") != 0) {
			/* PK / UNIQUE constraints live in the CREATE TABLE text */
			if (unique && n == 1) {
				long ci = dp_table_col_index(t, cols[0]);
				if (ci >= 0)
					t->cols[ci].is_unique = 1;
			}
		} else {
			sqlite3_reset(sq);
			sqlite3_bind_text(sq, 1, name, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(sq) == SQLITE_ROW)
				sql = col_text(sq, 0);
			if (dp_table_add_index(t, name, unique, n, cols, sql))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < n; i++)
			free(cb[i]);
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ic);
	sqlite3_finalize(sq);
	return rc;
}

static int sq_count_rows(dp_conn *c, const dp_table *t, int64_t *out, dp_errbuf *eb)
{
	dp_sql sql;
	sqlite3_stmt *st = NULL;
	int rc;

	dp_sql_init(&sql, dp_sqlite_dialect.quote);
	dp_sql_count(&sql, NULL, t);
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = prep(c, dp_sql_str(&sql), &st, eb);
	if (!rc) {
		if (sqlite3_step(st) == SQLITE_ROW)
			*out = sqlite3_column_int64(st, 0);
		else
			rc = sql_fail(c, eb, DP_ERR_SQL, "counting rows");
	}
	sqlite3_finalize(st);
	dp_sql_free(&sql);
	return rc;
}

static int sq_introspect(dp_conn *c, dp_schema **out, dp_errbuf *eb)
{
	dp_schema *s = calloc(1, sizeof(*s));
	sqlite3_stmt *st = NULL;
	int rc, src;

	*out = NULL;
	if (!s || !(s->engine = dp_strdup("sqlite"))) {
		free(s);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	rc = prep(c, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
		  "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", &st, eb);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		dp_table *t;
		const char *sql = col_text(st, 1);
		if (sql && !strncasecmp(sql, "CREATE VIRTUAL", 14)) {
			/* FTS and friends: their shadow tables carry the data; the
			 * virtual table itself is listed as not carried */
			if (dp_schema_add_object(s, DP_OBJ_OTHER, DP_OBJ_AFTER_DATA, col_text(st, 0), NULL, NULL,
						 "a virtual table (FTS, R*Tree, ...): not recreated; its "
						 "shadow tables are copied as plain tables"))
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			continue;
		}
		if (dp_schema_add_table(s, col_text(st, 0), &t)) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		if (sql) {
			t->create_sql = dp_strdup(sql);
			t->without_rowid = strcasestr(sql, "WITHOUT ROWID") != NULL;
		}
	}
	sqlite3_finalize(st);
	for (size_t k = 0; !rc && k < s->ntables; k++) {
		dp_table *t = &s->tables[k];
		rc = read_columns(c, t, eb);
		if (!rc)
			rc = read_fks(c, t, eb);
		if (!rc)
			rc = read_indexes(c, t, eb);
		if (!rc)
			rc = sq_count_rows(c, t, &t->row_estimate, eb);
	}
	/* views, then triggers (an INSTEAD OF trigger needs its view), in the
	 * order they were created: carried SQLite -> SQLite after the data, so
	 * no trigger fires while rows are copied */
	if (!rc)
		rc = prep(c, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
			  "AND sql IS NOT NULL ORDER BY type = 'trigger', rowid", &st, eb);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		int view = !strcmp(col_text(st, 0), "view");
		if (dp_schema_add_object(s, view ? DP_OBJ_VIEW : DP_OBJ_TRIGGER, DP_OBJ_AFTER_DATA,
					 col_text(st, 1), view ? NULL : col_text(st, 2), col_text(st, 3), NULL))
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (st) {
		sqlite3_finalize(st);
		st = NULL;
	}
	/* FKs written as REFERENCES parent (no column list) mean the parent's PK */
	for (size_t k = 0; !rc && k < s->ntables; k++) {
		dp_table *t = &s->tables[k];
		for (size_t f = 0; f < t->nfks; f++) {
			dp_fk *fk = &t->fks[f];
			dp_table *p = dp_schema_table(s, fk->ref_table);
			if (fk->ref_cols[0][0])
				continue;
			if (!p || p->npk != fk->ncols) {
				rc = dp_fail(eb, DP_ERR_SCHEMA,
					     "sqlite: %s: a foreign key of %s references %s without "
					     "columns, and %s has no matching primary key", c->path,
					     t->name, fk->ref_table, fk->ref_table);
				break;
			}
			for (size_t i = 0; i < fk->ncols; i++) {
				free(fk->ref_cols[i]);
				fk->ref_cols[i] = dp_strdup(p->cols[p->pk[i]].name);
			}
		}
	}
	if (rc) {
		dp_schema_free(s);
		return rc;
	}
	*out = s;
	return DP_OK;
}

static int sq_snapshot_export(dp_conn *c, char **token, dp_errbuf *eb)
{
	/* the read transaction opened with the session is the job's view;
	 * there is nothing another session could import */
	*token = NULL;
	return DP_OK;
}

static int sq_snapshot_import(dp_conn *c, const char *token, dp_errbuf *eb)
{
	return dp_fail(eb, DP_ERR_UNSUPPORTED, "sqlite: sessions cannot share a snapshot");
}

/* ---- reading ---- */

static int sq_read_open(dp_conn *c, const dp_read_spec *spec, dp_reader **out, dp_errbuf *eb)
{
	const dp_table *t = spec->table;
	dp_sql sql;
	dp_reader *r;
	const char *tail = NULL;
	int rc;

	*out = NULL;
	if (spec->where && dp_sql_fragment_check(spec->where, "sqlite", t->name, eb))
		return eb->code;
	dp_sql_init(&sql, dp_sqlite_dialect.quote);
	dp_sql_read(&sql, &dp_sqlite_dialect, NULL, spec, NULL, NULL, spec->limit, -1);
	if (dp_sql_failed(&sql)) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		dp_sql_free(&sql);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	r->c = c;
	r->t = t;
	if (sqlite3_prepare_v2(c->db, dp_sql_str(&sql), -1, &r->st, &tail) != SQLITE_OK) {
		rc = dp_fail(eb, DP_ERR_SQL, "sqlite: %s: reading %s: %s", c->path, t->name,
			     sqlite3_errmsg(c->db));
		dp_sql_free(&sql);
		free(r);
		return rc;
	}
	/* one statement per request: anything after the first is refused */
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r'))
		tail++;
	if (tail && *tail) {
		sqlite3_finalize(r->st);
		dp_sql_free(&sql);
		free(r);
		return dp_fail(eb, DP_ERR_REFUSED, "sqlite: %s: reading %s: the query holds more "
			       "than one statement", c->path, t->name);
	}
	dp_sql_free(&sql);
	*out = r;
	return DP_OK;
}

static int sq_read_next(dp_reader *r, dp_batch *b, int *eof, dp_errbuf *eb)
{
	size_t nc = r->t->ncols;

	*eof = r->done;
	while (!r->done && !dp_batch_full(b)) {
		int src = sqlite3_step(r->st);
		dp_value *v;
		if (src == SQLITE_DONE) {
			r->done = 1;
			break;
		}
		if (src != SQLITE_ROW)
			return dp_fail(eb, DP_ERR_SQL, "sqlite: %s: reading %s: %s", r->c->path,
				       r->t->name, sqlite3_errmsg(r->c->db));
		v = dp_batch_add_row(b);
		if (!v)
			return dp_fail(eb, DP_ERR_INTERNAL, "batch overflow reading %s", r->t->name);
		for (size_t i = 0; i < nc; i++) {
			int rc = DP_OK;
			switch (sqlite3_column_type(r->st, (int)i)) {
			case SQLITE_INTEGER:
				dp_value_set_int(&v[i], sqlite3_column_int64(r->st, (int)i));
				break;
			case SQLITE_FLOAT:
				dp_value_set_real(&v[i], sqlite3_column_double(r->st, (int)i));
				break;
			case SQLITE_TEXT: {
				const char *s = (const char *)sqlite3_column_text(r->st, (int)i);
				rc = dp_batch_set_text(b, &v[i], s, (size_t)sqlite3_column_bytes(r->st, (int)i));
				break;
			}
			case SQLITE_BLOB: {
				const void *p = sqlite3_column_blob(r->st, (int)i);
				rc = dp_batch_set_blob(b, &v[i], p, (size_t)sqlite3_column_bytes(r->st, (int)i));
				break;
			}
			default:
				dp_value_set_null(&v[i]);
			}
			if (rc)
				return dp_fail(eb, rc == DP_ERR_TYPE ? DP_ERR_TYPE : DP_ERR_NOMEM,
					       "sqlite: reading %s.%s: value too large or out of memory",
					       r->t->name, r->t->cols[i].name);
		}
	}
	*eof = r->done;
	return DP_OK;
}

static void sq_read_close(dp_reader *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->st);
	free(r);
}

/* ---- target schema ---- */

/* 1 when a table, index, view or trigger of that name exists in the file */
static int name_taken(dp_conn *c, const char *name)
{
	sqlite3_stmt *st = NULL;
	int taken = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM sqlite_master WHERE name = ?1 COLLATE NOCASE", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return taken;
}

/* The name an index from another engine gets: SQLite's index names are
 * unique per file, MySQL's only per table, so a MySQL index is prefixed
 * with its table (dp_sql_index_name); a name still taken (by a table, or an
 * index created before it in load order) gets "_" and a hash of
 * "table.index": deterministic for a given schema. */
static void index_name(dp_conn *c, const dp_table *t, const dp_index *ix, const char *src_engine,
		       char *out, size_t n)
{
	dp_dialect d = dp_sqlite_dialect;

	d.index_names_per_schema = src_engine && !strcmp(src_engine, "mysql");
	dp_sql_index_name(&d, t, ix, out, n);
	if (name_taken(c, out)) {
		char full[1024], base[1024], h[16];
		snprintf(full, sizeof(full), "%s.%s", t->name, out);
		snprintf(base, sizeof(base), "%s", out);
		dp_sql_fit_name(full, 9, h, sizeof(h));     /* just "_" + 8 hex digits */
		snprintf(out, n, "%s%s", base, h);
		dp_log_info("sqlite: index %s of %s is named %s (the name is taken in the target)",
			    ix->name ? ix->name : "idx", t->name, out);
	}
}

/* Views and triggers of a SQLite source, as their own CREATE text. */
static int sq_can_carry(const dp_object *o, const char *src_engine)
{
	return src_engine && !strcmp(src_engine, "sqlite") && o->ddl &&
	       (o->kind == DP_OBJ_VIEW || o->kind == DP_OBJ_TRIGGER);
}

static int sq_create_object(dp_conn *c, const dp_object *o, const char *src_engine, dp_errbuf *eb)
{
	int rc;

	if (!sq_can_carry(o, src_engine))
		return dp_fail(eb, DP_ERR_UNSUPPORTED, "sqlite: %s %s from %s is not carried",
			       dp_obj_kind_name(o->kind), o->name, src_engine ? src_engine : "?");
	rc = begin(c, eb);
	return rc ? rc : exec(c, o->ddl, eb);
}

static int sq_create(dp_conn *c, const dp_table *t, dp_ddl_phase phase, const char *src_engine,
		     dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc = begin(c, eb);
	int same = src_engine && !strcmp(src_engine, "sqlite");

	if (rc)
		return rc;
	if (src_engine && (!c->src_engine || strcmp(c->src_engine, src_engine))) {
		free(c->src_engine);
		if (!(c->src_engine = dp_strdup(src_engine)))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (phase == DP_DDL_FKS)
		return DP_OK;    /* SQLite FKs are part of CREATE TABLE */
	if (phase == DP_DDL_TABLE) {
		rc = dp_buf_puts(&sql, "DROP TABLE IF EXISTS ");
		if (!rc)
			rc = quote_ident_buf(t->name, &sql);
		if (!rc)
			rc = dp_buf_puts(&sql, ";\n");
		if (!rc && same && t->create_sql) {
			rc = dp_buf_puts(&sql, t->create_sql);
		} else if (!rc) {
			dp_sql ddl;
			dp_sql_init(&ddl, dp_sqlite_dialect.quote);
			rc = dp_sql_create_table(&ddl, &dp_sqlite_dialect, NULL, t, src_engine, 1, eb);
			if (!rc)
				rc = dp_buf_puts(&sql, dp_sql_str(&ddl));
			dp_sql_free(&ddl);
		}
		if (rc) {
			dp_buf_free(&sql);
			return eb->code ? eb->code : dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		rc = exec(c, dp_buf_str(&sql), eb);
		dp_buf_free(&sql);
		return rc;
	}
	for (size_t i = 0; !rc && i < t->nidx; i++) {
		const dp_index *ix = &t->idx[i];
		dp_buf_reset(&sql);
		if (same && ix->sql) {
			rc = dp_buf_puts(&sql, ix->sql);
		} else {
			dp_sql q;
			char name[1024];
			if (!ix->ncols || !ix->cols)
				continue;   /* expression index from another engine (listed in the log) */
			index_name(c, t, ix, src_engine, name, sizeof(name));
			dp_sql_init(&q, dp_sqlite_dialect.quote);
			dp_sql_create_index(&q, NULL, t, ix, name);
			rc = dp_sql_failed(&q) ? DP_ERR_NOMEM : dp_buf_puts(&sql, dp_sql_str(&q));
			dp_sql_free(&q);
		}
		if (rc)
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		else
			rc = exec(c, dp_buf_str(&sql), eb);
	}
	dp_buf_free(&sql);
	return rc;
}

static int sq_truncate(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	dp_buf sql = DP_BUF_INIT;
	int rc = begin(c, eb);

	if (!rc && (dp_buf_puts(&sql, "DELETE FROM ") || quote_ident_buf(t->name, &sql)))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = exec(c, dp_buf_str(&sql), eb);
	dp_buf_free(&sql);
	return rc;
}

/* ---- writing ---- */

/* Columns an INSERT names: all but the generated ones. */
static size_t writable_cols(const dp_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->ncols; i++)
		n += !t->cols[i].generated;
	return n;
}

static int insert_sql(const dp_table *t, size_t rows, dp_buf *b)
{
	int rc = dp_buf_puts(b, "INSERT INTO ");

	if (!rc)
		rc = quote_ident_buf(t->name, b);
	if (!rc)
		rc = dp_buf_puts(b, " (");
	/* generated columns are computed by SQLite: never written */
	for (size_t i = 0, nw = 0; !rc && i < t->ncols; i++) {
		if (t->cols[i].generated)
			continue;
		if (nw++)
			rc = dp_buf_puts(b, ", ");
		if (!rc)
			rc = quote_ident_buf(t->cols[i].name, b);
	}
	if (!rc)
		rc = dp_buf_puts(b, ") VALUES ");
	for (size_t r = 0; !rc && r < rows; r++) {
		rc = dp_buf_puts(b, r ? ", (" : "(");
		for (size_t i = 0; !rc && i < writable_cols(t); i++)
			rc = dp_buf_puts(b, i ? ", ?" : "?");
		if (!rc)
			rc = dp_buf_puts(b, ")");
	}
	return rc;
}

static int sq_write_open(dp_conn *c, const dp_table *t, int fast, dp_writer **out, dp_errbuf *eb)
{
	dp_writer *w;
	dp_buf sql = DP_BUF_INIT;
	int rc = begin(c, eb);

	*out = NULL;
	if (rc)
		return rc;
	if (!writable_cols(t))
		return dp_fail(eb, DP_ERR_SCHEMA, "sqlite: table %s has no columns to write", t->name);
	w = calloc(1, sizeof(*w));
	if (!w)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	w->c = c;
	w->t = t;
	w->fast = fast;
	/* many rows per statement, within SQLite's 32766 parameters */
	w->mrows = 32766 / writable_cols(t);
	if (w->mrows > 256)
		w->mrows = 256;
	if (insert_sql(t, 1, &sql)) {
		free(w);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	if (sqlite3_prepare_v2(c->db, dp_buf_str(&sql), -1, &w->single, NULL) != SQLITE_OK) {
		rc = dp_fail(eb, DP_ERR_SQL, "sqlite: insert into %s: %s", t->name, sqlite3_errmsg(c->db));
		dp_buf_free(&sql);
		free(w);
		return rc;
	}
	dp_buf_reset(&sql);
	if (fast && w->mrows > 1) {
		if (insert_sql(t, w->mrows, &sql) ||
		    sqlite3_prepare_v2(c->db, dp_buf_str(&sql), -1, &w->multi, NULL) != SQLITE_OK)
			w->multi = NULL;   /* fall back to one row per statement */
	}
	dp_buf_free(&sql);
	*out = w;
	return DP_OK;
}

/* Bind v for column col (NULL: by the value's kind only). Exact decimals
 * go in as INTEGER, REAL or TEXT, whichever keeps every digit (the column
 * has no affinity to undo it; typemap.c); a NaN bound as REAL would be
 * stored as NULL, so it goes in as the TEXT 'NaN'. */
static int bind_value(sqlite3_stmt *st, int idx, const dp_value *v, const dp_column *col,
		      const char *src_engine)
{
	if (v->kind == DP_V_REAL && isnan(v->u.d))
		return sqlite3_bind_text(st, idx, "NaN", 3, SQLITE_STATIC);
	/* bytes the reader delivered as text (MySQL BIT, geometry): a BLOB */
	if (v->kind == DP_V_TEXT && col && src_engine && strcmp(src_engine, "sqlite") &&
	    dp_type_is_bytes(col, src_engine))
		return sqlite3_bind_blob64(st, idx, v->u.s, v->len, SQLITE_STATIC);
	/* exact decimals only: a bit string '0101' or a cidr is text */
	if (v->kind == DP_V_TEXT && col && (src_engine ? dp_type_is_decimal(col, src_engine)
					    : (col->tclass == DP_T_NUMERIC || dp_type_is_unsigned_bigint(col)))) {
		int64_t iv;
		double dv;
		switch (dp_decimal_storage(v->u.s, v->len, &iv, &dv)) {
		case 1: return sqlite3_bind_int64(st, idx, iv);
		case 2: return sqlite3_bind_double(st, idx, dv);
		default: break;
		}
	}
	switch (v->kind) {
	case DP_V_INT: return sqlite3_bind_int64(st, idx, v->u.i);
	case DP_V_REAL: return sqlite3_bind_double(st, idx, v->u.d);
	case DP_V_TEXT: return sqlite3_bind_text64(st, idx, v->u.s, v->len, SQLITE_STATIC, SQLITE_UTF8);
	case DP_V_BLOB: return sqlite3_bind_blob64(st, idx, v->u.s, v->len, SQLITE_STATIC);
	default: return sqlite3_bind_null(st, idx);
	}
}


/* Bind the writable columns of row at parameters first+1, first+2, ... */
static void bind_row(dp_writer *w, sqlite3_stmt *st, const dp_value *row, size_t first)
{
	const char *src = w->c->src_engine;
	for (size_t i = 0, k = first; i < w->t->ncols; i++)
		if (!w->t->cols[i].generated)
			bind_value(st, (int)++k, &row[i], &w->t->cols[i], src);
}

static int write_rows_single(dp_writer *w, const dp_batch *b, dp_errbuf *eb)
{

	for (size_t r = 0; r < dp_batch_nrows(b); r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		int src;
		sqlite3_reset(w->single);
		bind_row(w, w->single, row, 0);
		src = sqlite3_step(w->single);
		if (src != SQLITE_DONE) {
			char key[256];
			dp_sql_describe_key(w->t, row, r, key, sizeof(key));
			return dp_fail(eb, src == SQLITE_FULL || src == SQLITE_IOERR ? DP_ERR_IO : DP_ERR_SQL,
				       "sqlite: insert into %s failed at row with %s: %s", w->t->name,
				       key, sqlite3_errmsg(w->c->db));
		}
	}
	sqlite3_reset(w->single);
	return DP_OK;
}

static int sq_write_batch(dp_writer *w, const dp_batch *b, dp_errbuf *eb)
{
	dp_conn *c = w->c;
	size_t nr = dp_batch_nrows(b), nc = writable_cols(w->t), r = 0;
	int rc;

	if (!nr)
		return DP_OK;
	if (!w->fast || !w->multi)
		return write_rows_single(w, b, eb);
	rc = exec(c, "SAVEPOINT doppel_batch", eb);
	if (rc)
		return rc;
	for (; r + w->mrows <= nr; r += w->mrows) {
		int src;
		sqlite3_reset(w->multi);
		for (size_t k = 0; k < w->mrows; k++) {
			bind_row(w, w->multi, dp_batch_row_c(b, r + k), k * nc);
		}
		src = sqlite3_step(w->multi);
		sqlite3_reset(w->multi);
		if (src != SQLITE_DONE)
			goto slow;
	}
	for (; r < nr; r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		int src;
		sqlite3_reset(w->single);
		bind_row(w, w->single, row, 0);
		src = sqlite3_step(w->single);
		sqlite3_reset(w->single);
		if (src != SQLITE_DONE)
			goto slow;
	}
	return exec(c, "RELEASE doppel_batch", eb);
slow:
	/* replay the batch one row at a time: the error names the row */
	sqlite3_exec(c->db, "ROLLBACK TO doppel_batch", NULL, NULL, NULL);
	rc = write_rows_single(w, b, eb);
	if (rc)
		sqlite3_exec(c->db, "ROLLBACK TO doppel_batch", NULL, NULL, NULL);
	sqlite3_exec(c->db, "RELEASE doppel_batch", NULL, NULL, NULL);
	return rc;
}

static int sq_write_close(dp_writer *w, int commit, dp_errbuf *eb)
{
	if (!w)
		return DP_OK;
	sqlite3_finalize(w->multi);
	sqlite3_finalize(w->single);
	free(w);
	return DP_OK;
}

static int sq_update_rows(dp_conn *c, const dp_table *t, const char *const *set_cols, size_t nset,
			  const char *const *key_cols, size_t nkey, const dp_batch *b, dp_errbuf *eb)
{
	dp_sql sql;
	sqlite3_stmt *st = NULL;
	int rc = begin(c, eb);

	if (rc)
		return rc;
	dp_sql_init(&sql, dp_sqlite_dialect.quote);
	dp_sql_update_by_key(&sql, &dp_sqlite_dialect, NULL, t, set_cols, nset, key_cols, nkey, NULL,
			     NULL);
	if (dp_sql_failed(&sql))
		goto nomem;
	if (sqlite3_prepare_v2(c->db, dp_sql_str(&sql), -1, &st, NULL) != SQLITE_OK) {
		rc = dp_fail(eb, DP_ERR_SQL, "sqlite: update %s: %s", t->name, sqlite3_errmsg(c->db));
		goto out;
	}
	for (size_t r = 0; r < dp_batch_nrows(b) && !rc; r++) {
		const dp_value *row = dp_batch_row_c(b, r);
		sqlite3_reset(st);
		for (size_t i = 0; i < nset + nkey; i++)
			bind_value(st, (int)i + 1, &row[i], NULL, NULL);
		if (sqlite3_step(st) != SQLITE_DONE) {
			char val[64];
			dp_value_to_text(&row[nset], val, sizeof(val), NULL);
			rc = dp_fail(eb, DP_ERR_SQL, "sqlite: update %s failed at row with %s=%s: %s",
				     t->name, key_cols[0], val, sqlite3_errmsg(c->db));
		}
	}
	goto out;
nomem:
	rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
out:
	sqlite3_finalize(st);
	dp_sql_free(&sql);
	return rc;
}

static int sq_set_fk_enforcement(dp_conn *c, int on, dp_errbuf *eb)
{
	/* PRAGMA foreign_keys is a no-op inside a transaction: the setting made
	 * before the first write holds for the load; verification uses
	 * foreign_key_check, which works either way */
	if (c->in_txn)
		return DP_OK;
	c->fk_on = on;
	return exec(c, on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF", eb);
}

static int sq_fk_violations(dp_conn *c, int64_t *count, dp_buf *detail, dp_errbuf *eb)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(c, "SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check", &st, eb);
	int src;

	*count = 0;
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == 0 && detail && dp_buf_printf(detail, "%s row %lld references a missing %s row",
					    col_text(st, 0), (long long)sqlite3_column_int64(st, 1),
					    col_text(st, 2)) != 0)
			dp_buf_reset(detail);
		(*count)++;
	}
	if (src != SQLITE_DONE)
		rc = dp_fail(eb, DP_ERR_SCHEMA, "sqlite: %s: checking foreign keys: %s", c->path,
			     sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc;
}

static int sq_reset_sequences(dp_conn *c, const dp_table *t, dp_errbuf *eb)
{
	/* rowid/AUTOINCREMENT continue after max(rowid) by themselves */
	return DP_OK;
}

const dp_connector dp_sqlite_connector = {
	.name = "sqlite",
	.caps = DP_CAP_SOURCE | DP_CAP_TARGET | DP_CAP_DEFER_FK | DP_CAP_ATOMIC_TARGET,
	.open = sq_open,
	.identity = sq_identity,
	.stage_begin = sq_stage_begin,
	.stage_mark = sq_stage_mark,
	.stage_state = sq_stage_state,
	.stage_leftovers = sq_stage_leftovers,
	.cancel = sq_cancel,
	.finish = sq_finish,
	.close = sq_close,
	.introspect = sq_introspect,
	.count_rows = sq_count_rows,
	.snapshot_export = sq_snapshot_export,
	.snapshot_import = sq_snapshot_import,
	.read_open = sq_read_open,
	.read_next = sq_read_next,
	.read_close = sq_read_close,
	.create = sq_create,
	.create_object = sq_create_object,
	.can_carry = sq_can_carry,
	.truncate = sq_truncate,
	.write_open = sq_write_open,
	.write_batch = sq_write_batch,
	.write_close = sq_write_close,
	.update_rows = sq_update_rows,
	.set_fk_enforcement = sq_set_fk_enforcement,
	.fk_violations = sq_fk_violations,
	.reset_sequences = sq_reset_sequences,
	.quote_ident = sq_quote_ident,
	.quote_literal = sq_quote_literal,
};
