#!/bin/sh
# Targets, tried the way a careless user or a crash would:
#  - target = source is found by server identity (localhost / 127.0.0.1 /
#    127.1, a port taken from PGPORT, an explicit schema_name, hard links,
#    symlinks, file: URIs) and refused with exit 5 before anything is made;
#  - a target names its database; a missing source schema is an error;
#  - a target is exclusive: a second job refuses at once, naming the first;
#  - a target is atomic: a failed, cancelled or kill -9'd job leaves the
#    previous target exactly as it was, and the next run removes what the
#    killed job left;
#  - nothing hangs: Ctrl-C cancels a statement blocked on a lock or a slow
#    server and doppel exits 130 within seconds; lock_timeout_seconds bounds
#    the wait for a lock.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg >"$T/pg-start.log" 2>&1 || { not_ok "start PostgreSQL" "$(tail -3 "$T/pg-start.log")"; exit 1; }
# case-insensitive database names, as on many production servers: "SRC"
# and "src" are one database there
MY_EXTRA=--lower-case-table-names=1 start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "PostgreSQL on $PGPORT and MariaDB on $MY_PORT started"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }

SCHEMA="CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total INTEGER);
INSERT INTO customer VALUES (1,'ann'),(2,'bob'),(3,'cid');
INSERT INTO orders VALUES (10,1,5),(11,2,7),(12,3,9);"
S="$T/src.db"
sqlite3 "$S" "$SCHEMA"
psql -q -c "CREATE DATABASE src" -c "CREATE DATABASE tgt" >/dev/null
pg src "$SCHEMA" >/dev/null
my -e "CREATE DATABASE src; CREATE DATABASE tgt; USE src; $SCHEMA" >/dev/null
SUM_SQLITE=$(file_sum "$S")
sum_pg() { pg_dump -d "$1" --no-owner 2>&1 | grep -v "^.\(un\)\?restrict " | sha256sum | cut -d' ' -f1; }
sum_my() { mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --skip-dump-date "$1" 2>&1 | sha256sum | cut -d' ' -f1; }
SUM_PG=$(sum_pg src); SUM_MY=$(sum_my src)

pgc() { echo "{\"connector_type\": \"postgresql\", $1 \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
myc() { echo "{\"connector_type\": \"mysql\", $1 \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
PGSRC=$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\",")
MYSRC=$(myc "\"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"src\",")
job() { engine "$1" "{\"name\": \"nightly\", \"source\": $2, \"target\": $3 ${4:+, $4}}"; }

# --- target = source, whatever the spelling ---
for spell in "\"host\": \"localhost\", \"port\": $PGPORT, \"database\": \"src\"," \
	"\"host\": \"127.1\", \"port\": $PGPORT, \"database\": \"src\"," \
	"\"host\": \"127.0.0.1\", \"database\": \"src\"," \
	"\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\", \"schema_name\": \"public\","; do
	job "$T/e.json" "$PGSRC" "$(pgc "$spell")"
	expect_fail "postgresql: target aliasing the source refused ($spell)" 5 "is the source database itself" \
		"$DOPPEL" run -c "$T/e.json" --no-progress
done
job "$T/e.json" "$PGSRC" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\", \"schema_name\": \"other\",")"
pg src "CREATE SCHEMA other" >/dev/null
expect_fail "postgresql: another schema of the source database is the source too (its functions, views, locks)" 5 \
	"another schema of it counts as the source" "$DOPPEL" run -c "$T/e.json" --no-progress
check "postgresql: ... and nothing was written there" "0" "$(pg src "SELECT count(*) FROM pg_tables WHERE schemaname = 'other'")"
pg src "DROP SCHEMA other CASCADE" >/dev/null
for spell in "\"host\": \"127.1\", \"port\": $MY_PORT, \"database\": \"src\"," \
	"\"host\": \"127.0.0.2\", \"port\": $MY_PORT, \"database\": \"src\","; do
	job "$T/e.json" "$MYSRC" "$(myc "$spell")"
	run "$DOPPEL" run -c "$T/e.json" --no-progress
	if [ "$RC" = 5 ] && grep -q "is the source database itself" "$ERR"; then ok "mysql: target aliasing the source refused ($spell)"
	elif [ "$RC" = 3 ]; then ok "mysql: alias not reachable here ($spell): nothing written"
	else not_ok "mysql: target aliasing the source refused ($spell)" "exit $RC"; fi
done
for spell in "\"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"SRC\"," "\"host\": \"127.1\", \"port\": $MY_PORT, \"database\": \"Src\","; do
	job "$T/e.json" "$MYSRC" "$(myc "$spell")"
	expect_fail "mysql: the source database spelled in another case (lower_case_table_names) refused" 5 \
		"is the source database itself" "$DOPPEL" run -c "$T/e.json" --no-progress
done
ln "$S" "$T/hard.db"; ln -s "$S" "$T/soft.db"; mkdir -p "$T/d"
for spell in "$T/hard.db" "$T/soft.db" "$T/d/../src.db" "$T//src.db" "file:$S" "file://$S" "file://localhost$S"; do
	job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"$S\"}" "{\"connector_type\": \"sqlite\", \"database\": \"$spell\"}"
	expect_fail "sqlite: target aliasing the source refused ($spell)" 5 "source" "$DOPPEL" run -c "$T/e.json" --no-progress
done
job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"file:$S?mode=rw\"}" "{\"connector_type\": \"sqlite\", \"database\": \"$T/x.db\"}"
expect_fail "sqlite: file: URI parameters refused" 2 "source.database: URI parameters" "$DOPPEL" run -c "$T/e.json" --no-progress
job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"file:$S\"}" "{\"connector_type\": \"sqlite\", \"database\": \"$T/x.db\"}"
expect_ok "sqlite: a plain file: URI is resolved" "$DOPPEL" run -c "$T/e.json" --no-progress
check "sqlite: ... and read" "3" "$(q "$T/x.db" 'SELECT count(*) FROM customer')"

# a WAL-mode source whose committed rows are still in its -wal: a target
# named after one of its side files would destroy it
W="$T/wal.db"
python3 - "$W" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("CREATE TABLE canary (id INTEGER PRIMARY KEY, note TEXT)"); c.execute("INSERT INTO canary VALUES (1, 'alive')"); c.commit()
os._exit(0)
PY
WSUM=$(cat "$W" "$W-wal" | sha256sum)
for side in wal shm journal; do
	[ -e "$W-$side" ] || : >"$W-$side.tmp"
	job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"$S\"}" "{\"connector_type\": \"sqlite\", \"database\": \"$W-$side\"}"
	expect_fail "sqlite: a target named after a database's -$side file is refused" 5 "is the $side file of the SQLite database" \
		"$DOPPEL" run -c "$T/e.json" --no-progress
	rm -f "$W-$side.tmp"
done
check "sqlite: the WAL-mode database and its -wal are intact" "$WSUM" "$(cat "$W" "$W-wal" | sha256sum)"
check "sqlite: ... and its rows readable" "alive" "$(q "$W" 'SELECT note FROM canary')"
printf 'not a database, keep me\n' >"$T/notes.txt"
job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"$S\"}" "{\"connector_type\": \"sqlite\", \"database\": \"$T/notes.txt\"}"
expect_fail "sqlite: an existing file that is not a SQLite database is never replaced" 5 "not a SQLite database" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
check "sqlite: ... it is intact" "not a database, keep me" "$(cat "$T/notes.txt")"

# --- explicit database, existing schema ---
job "$T/e.json" "$PGSRC" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT,")"
expect_fail "postgresql: a target without a database is refused" 2 "target.database: name the target database" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
job "$T/e.json" "$MYSRC" "$(myc "\"host\": \"127.0.0.1\", \"port\": $MY_PORT,")"
expect_fail "mysql: a target without a database is refused" 2 "target.database: name the database" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
job "$T/e.json" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\", \"schema_name\": \"nope\",")" \
	"{\"connector_type\": \"sqlite\", \"database\": \"$T/n.db\"}"
expect_fail "postgresql: a source schema that does not exist is an error" 2 "schema nope does not exist" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
[ ! -e "$T/n.db" ] && ok "no empty clone of a missing schema" || not_ok "no empty clone of a missing schema"

# --- exclusive and atomic, per engine ---
PGTGT=$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"tgt\",")
MYTGT=$(myc "\"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tgt\",")
SQTGT="{\"connector_type\": \"sqlite\", \"database\": \"$T/tgt.db\"}"
tsum() {
	case $1 in
	sqlite) file_sum "$T/tgt.db";;
	postgresql) pg_dump -d tgt -n public --no-owner 2>&1 | grep -v "^.\(un\)\?restrict " | sha256sum | cut -d' ' -f1;;
	mysql) sum_my tgt;;
	esac
}
leftovers() {
	case $1 in
	sqlite) ls "$T" | grep -c 'tgt.db.doppel-.*partial';;
	postgresql) pg tgt "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'dp%\_%'";;
	mysql) my -e "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'dp%\\_%'";;
	esac
}
# interrupted_run NAME ENGINE_FILE SECONDS: run it, send SIGINT after SECONDS;
# it must exit 130 within 5 s saying the target is unchanged
interrupted_run() {
	"$DOPPEL" run -c "$2" --no-progress >"$T/bg.out" 2>"$T/bg.err" &
	bg=$!
	sleep "$3"
	t0=$(date +%s); kill -INT $bg; wait $bg; rc=$?; t1=$(date +%s)
	check "$1: exit 130" "130" "$rc"
	[ $((t1 - t0)) -le 5 ] && ok "$1: within 5 s ($((t1 - t0)) s)" || not_ok "$1: within 5 s" "$((t1 - t0)) s"
	grep -q "target unchanged\|not touched" "$T/bg.err" && ok "$1: says the target is unchanged" \
		|| not_ok "$1: says the target is unchanged" "$(cat "$T/bg.err")"
}
# wait_staged ENGINE: until the paused job holds its staging area
wait_staged() {
	for _ in $(seq 1 100); do
		case $1 in
		sqlite) ls "$T" | grep -q 'tgt.db.doppel-.*partial' && return 0;;
		postgresql) [ "$(leftovers postgresql)" -ge 1 ] && return 0;;
		mysql) [ "$(leftovers mysql)" -ge 1 ] && return 0;;
		esac
		sleep 0.1
	done
	return 1
}
for e in sqlite postgresql mysql; do
	case $e in sqlite) tgt=$SQTGT;; postgresql) tgt=$PGTGT;; mysql) tgt=$MYTGT;; esac
	job "$T/j.json" "$PGSRC" "$tgt" "\"seed_value\": 1, \"use_seed\": true"
	expect_ok "$e: first clone into the target" "$DOPPEL" run -c "$T/j.json" --no-progress
	before=$(tsum $e)

	# a second job while the first holds the target
	DOPPEL_TEST_PAUSE_AFTER_LOAD=30 "$DOPPEL" run -c "$T/j.json" --no-progress >"$T/bg.out" 2>&1 &
	bg=$!
	wait_staged $e || not_ok "$e: the first job reached its staging area"
	expect_fail "$e: a second job into the same target refuses at once, naming the first" 5 \
		"being written by another doppel job" "$DOPPEL" run -c "$T/j.json" --no-progress
	[ $e = postgresql ] && { grep -q "doppel job nightly pid $bg" "$ERR" && ok "$e: the message names the running job" || not_ok "$e: names the job" "$(cat "$ERR")"; }
	[ $e = sqlite ] && { grep -q "job nightly, pid $bg" "$ERR" && ok "$e: the message names the running job" || not_ok "$e: names the job" "$(cat "$ERR")"; }
	if [ $e = sqlite ]; then
		ln -sf "$T/tgt.db" "$T/tgt-link.db"
		job "$T/j2.json" "$PGSRC" "{\"connector_type\": \"sqlite\", \"database\": \"$T/tgt-link.db\"}" "\"seed_value\": 1, \"use_seed\": true"
		expect_fail "sqlite: the same target through a symlink meets the same lock" 5 "being written by another doppel job" \
			"$DOPPEL" run -c "$T/j2.json" --no-progress
		[ -L "$T/tgt-link.db" ] && ok "sqlite: ... and the symlink is left as it was" || not_ok "symlink kept"
	fi

	# kill -9 with everything staged: the target is as it was
	kill -9 $bg; wait $bg 2>/dev/null
	check "$e: kill -9 leaves the previous target exactly as it was" "$before" "$(tsum $e)"
	expect_ok "$e: the next run succeeds after a kill -9" "$DOPPEL" run -c "$T/j.json" --no-progress
	check "$e: ... and removes what the killed job left" "0" "$(leftovers $e)"
	check "$e: ... and builds the same target (same seed)" "$before" "$(tsum $e)"

	# Ctrl-C while paused: exit 130, target unchanged, said so
	DOPPEL_TEST_PAUSE_AFTER_LOAD=30 "$DOPPEL" run -c "$T/j.json" --no-progress >"$T/bg.out" 2>"$T/bg.err" &
	bg=$!
	wait_staged $e
	kill -INT $bg; wait $bg; rc=$?
	check "$e: Ctrl-C exits 130" "130" "$rc"
	grep -q "target unchanged" "$T/bg.err" && ok "$e: Ctrl-C says the target is unchanged" || not_ok "$e: Ctrl-C state" "$(cat "$T/bg.err")"
	check "$e: Ctrl-C leaves the target as it was" "$before" "$(tsum $e)"
	check "$e: Ctrl-C leaves no staging area" "0" "$(leftovers $e)"

	# a failure in the middle: the target is as it was
	job "$T/f.json" "$PGSRC" "$tgt" "\"tables\": {\"customer\": {\"columns\": {\"name\": {\"generator\": \"null\"}}}}"
	run "$DOPPEL" run -c "$T/f.json" --no-progress
	[ "$RC" != 0 ] && ok "$e: a failing job fails" || not_ok "$e: a failing job fails"
	check "$e: a failed job leaves the target as it was" "$before" "$(tsum $e)"
	check "$e: a failed job leaves no staging area" "0" "$(leftovers $e)"
done

# --- nothing hangs: a target table locked by someone else ---
# PostgreSQL: doppel's DROP TABLE waits for the lock; Ctrl-C cancels it
job "$T/j.json" "$PGSRC" "$PGTGT"
psql -X -d tgt -c "BEGIN; LOCK TABLE customer IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(25); COMMIT;" >/dev/null 2>&1 &
locker=$!
sleep 1
interrupted_run "postgresql: Ctrl-C while blocked on a lock" "$T/j.json" 2
job "$T/j.json" "$PGSRC" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"tgt\", \"lock_timeout_seconds\": 1,")"
expect_fail "postgresql: lock_timeout_seconds bounds the wait for a lock" 1 "lock timeout" \
	"$DOPPEL" run -c "$T/j.json" --no-progress
kill $locker 2>/dev/null; pg tgt "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(25)%' AND pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null
# MySQL: the final RENAME waits for the metadata lock; Ctrl-C cancels it
job "$T/j.json" "$PGSRC" "$MYTGT"
my tgt -e "LOCK TABLES customer WRITE; SELECT SLEEP(25);" >/dev/null 2>&1 &
locker=$!
sleep 1
before=$(my -e "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'tgt'")
interrupted_run "mysql: Ctrl-C while blocked on a metadata lock" "$T/j.json" 3
check "mysql: ... and leaves no staging area" "0" "$(leftovers mysql)"
job "$T/j.json" "$PGSRC" "$(myc "\"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tgt\", \"lock_timeout_seconds\": 1,")"
expect_fail "mysql: lock_timeout_seconds bounds the wait for a lock" 1 "Lock wait timeout" \
	"$DOPPEL" run -c "$T/j.json" --no-progress
kill $locker 2>/dev/null; wait $locker 2>/dev/null
my -e "KILL CONNECTION $(my -e "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(25)%' LIMIT 1")" >/dev/null 2>&1

# --- nothing hangs: a slow source ---
for e in postgresql mysql sqlite; do
	case $e in
	postgresql) src=$PGSRC; slow="pg_sleep(20) IS NOT NULL";;
	mysql) src=$MYSRC; slow="SLEEP(20) = 0";;
	sqlite) src="{\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
		slow="(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c) > 0";;
	esac
	job "$T/s.json" "$src" "$SQTGT" "\"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"$slow\"}}, \"orders\": {\"mode\": \"SUBSET\"}}"
	interrupted_run "$e: Ctrl-C during a slow source read" "$T/s.json" 2
done

check "sqlite source never written" "$SUM_SQLITE" "$(file_sum "$S")"
check "postgresql source never written" "$SUM_PG" "$(sum_pg src)"
check "mysql source never written" "$SUM_MY" "$(sum_my src)"

# --- privileges are exit 3, and messages never quote a row's values ---
psql -q -c "CREATE ROLE lim LOGIN PASSWORD '$PGPASSWORD'" -c "GRANT CONNECT ON DATABASE src TO lim" >/dev/null
pg src "GRANT USAGE ON SCHEMA public TO lim; GRANT SELECT ON customer TO lim" >/dev/null
LIMSRC="{\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\", \"username\": \"lim\", \"password_env\": \"PGPASSWORD\"}"
job "$T/e.json" "$LIMSRC" "$SQTGT"
expect_fail "postgresql: a table the source role may not read is exit 3, naming it" 3 "permission denied.*orders" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
pg tgt "GRANT CONNECT ON DATABASE tgt TO lim" >/dev/null
job "$T/e.json" "$PGSRC" "{\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"tgt\", \"username\": \"lim\", \"password_env\": \"PGPASSWORD\"}"
pg tgt "REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null
expect_fail "postgresql: a target role that may not create tables is exit 3" 3 "permission denied|must be owner" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
my -e "GRANT SELECT ON src.customer TO 'reader'@'127.0.0.1'; GRANT INSERT ON src.orders TO 'reader'@'127.0.0.1'"
job "$T/e.json" "{\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"src\", \"username\": \"reader\", \"password_env\": \"MY_PW\"}" "$SQTGT"
expect_fail "mysql: a table the source user may not read is exit 3" 3 "denied" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
# a natural (text) key is not quoted either
sqlite3 "$T/badk.db" "CREATE TABLE person (ssn TEXT PRIMARY KEY, age INTEGER);
 INSERT INTO person VALUES ('123-45-6789', 'not-a-number');"
job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"$T/badk.db\"}" "$MYTGT" \
	"\"tables\": {\"person\": {\"mode\": \"DUPLICATE\"}}, \"default_fast_executemany\": false"
expect_fail "a rejected row with a text key is named by its place and key column" 1 "person.*key ssn" \
	"$DOPPEL" run -c "$T/e.json" --no-progress
grep -q "123-45-6789" "$ERR" && not_ok "the text key's value is not quoted" "$(cat "$ERR")" || ok "the text key's value is not quoted"
# a value the target rejects: the error names table and key, not the value
sqlite3 "$T/bad.db" "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER);
 INSERT INTO customer VALUES (1, 'ann', 'secret-ann-4711');"
for tgt in "$PGTGT" "$MYTGT"; do
	job "$T/e.json" "{\"connector_type\": \"sqlite\", \"database\": \"$T/bad.db\"}" "$tgt" \
		"\"tables\": {\"customer\": {\"mode\": \"DUPLICATE\"}}"
	expect_fail "a row the target rejects names table and row ($(echo "$tgt" | cut -c20-29))" 1 "customer.*(id=1|row 1 of its load, column age)" \
		"$DOPPEL" run -c "$T/e.json" --no-progress
	grep -q "secret-ann-4711" "$ERR" && not_ok "the rejected value is not quoted" "$(cat "$ERR")" || ok "the rejected value is not quoted"
done

# --- --resume: a kill -9 at several points, continued, gives the same target ---
CH="{\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"}"
# wait_log FILE PATTERN: until the background job logged it
wait_log() { for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
for e in sqlite postgresql mysql; do
	case $e in sqlite) tgt=$SQTGT;; postgresql) tgt=$PGTGT;; mysql) tgt=$MYTGT;; esac
	job "$T/r.json" "$CH" "$tgt" "\"seed_value\": 11, \"use_seed\": true, \"n_parallel_pipeline_processes\": 1"
	expect_ok "$e: uninterrupted Chinook run" "$DOPPEL" run -c "$T/r.json" --no-progress
	want=$(tsum $e)
	for point in "MARK=0" "MARK=4" "MARK=11" "LOAD=30"; do
		hook="DOPPEL_TEST_PAUSE_AFTER_${point%%=*}"; n=${point#*=}
		env "$hook=$n" "$DOPPEL" -v run -c "$T/r.json" --no-progress >"$T/bg.out" 2>"$T/bg.err" &
		bg=$!
		wait_log "$T/bg.err" "test hook: pausing" || not_ok "$e: the job reached the kill point $point" "$(tail -3 "$T/bg.err")"
		kill -9 $bg; wait $bg 2>/dev/null
		if [ $point = MARK=4 ]; then
			run "$DOPPEL" plan -c "$T/r.json"
			grep -q "left by runs that did not finish.*\(partial\|schema dp\|database dp\)" "$OUT" \
				&& ok "$e: doppel plan lists what the killed run left" || not_ok "$e: plan lists leftovers" "$(tail -2 "$OUT")"
		fi
		run "$DOPPEL" -v run -c "$T/r.json" --no-progress --resume
		[ "$RC" = 0 ] && ok "$e: --resume after kill -9 at $point" || not_ok "$e: --resume after kill -9 at $point" "exit $RC"
		kept=$(sed -n 's/.*--resume: \([0-9]*\) of 11 tables kept.*/\1/p' "$ERR" | tail -1)
		case $point in
		MARK=0) check "$e: nothing complete at $point: nothing kept" "0" "${kept:-none}";;
		MARK=4) check "$e: the 4 complete tables kept at $point" "4" "${kept:-none}";;
		*) check "$e: every table kept at $point" "11" "${kept:-none}";;
		esac
		check "$e: continued run = uninterrupted run, byte for byte ($point)" "$want" "$(tsum $e)"
		check "$e: no staging area left after the continued run ($point)" "0" "$(leftovers $e)"
	done
	# a killed run of another plan is not continued
	env DOPPEL_TEST_PAUSE_AFTER_MARK=4 "$DOPPEL" -v run -c "$T/r.json" --no-progress >"$T/bg.out" 2>"$T/bg.err" &
	bg=$!
	wait_log "$T/bg.err" "test hook: pausing"
	kill -9 $bg; wait $bg 2>/dev/null
	sed 's/"seed_value": 11/"seed_value": 12/' "$T/r.json" >"$T/r12.json"
	run "$DOPPEL" -v run -c "$T/r12.json" --no-progress --resume
	[ "$RC" = 0 ] && grep -q "starting anew" "$ERR" && ok "$e: --resume of another plan (seed) starts anew" \
		|| not_ok "$e: --resume of another plan starts anew" "exit $RC"
	check "$e: ... and leaves no staging area" "0" "$(leftovers $e)"
done
# PostgreSQL: a role that may create tables but no schema builds in one
# transaction (atomic, not continued)
psql -q -c "CREATE ROLE lim2 LOGIN PASSWORD '$PGPASSWORD'" -c "GRANT CONNECT ON DATABASE tgt TO lim2" >/dev/null
psql -q -c "CREATE DATABASE tgt2 OWNER doppel" >/dev/null
pg tgt2 "REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CREATE, USAGE ON SCHEMA public TO lim2; GRANT CONNECT ON DATABASE tgt2 TO lim2" >/dev/null
job "$T/l.json" "$PGSRC" "{\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"tgt2\", \"username\": \"lim2\", \"password_env\": \"PGPASSWORD\"}"
run "$DOPPEL" -v run -c "$T/l.json" --no-progress
[ "$RC" = 0 ] && grep -q "no privilege to create a staging schema" "$ERR" \
	&& ok "postgresql: without CREATE on the database, one transaction in the target schema" || not_ok "postgresql: one-transaction fallback" "exit $RC"
check "postgresql: ... and the target is complete" "3" "$(pg tgt2 'SELECT count(*) FROM public.customer')"

job "$T/r.json" "$CH" "$SQTGT"
expect_fail "--resume without use_seed is refused" 2 "resume needs use_seed" "$DOPPEL" run -c "$T/r.json" --no-progress --resume

# --- a streaming replica read as the source, its primary as the target ---
R="$T/repl"
mkdir -p "$R"; chown postgres "$R"
P1=$(free_port); P2=$(free_port)
runuser -u postgres -- "$PG_BIN/initdb" -D "$R/p" -U doppel --pwfile="$T/pgpw" -A scram-sha-256 -E UTF8 --no-locale >/dev/null 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$R/p" -l "$R/p.log" -w -t 30 \
	-o "-p $P1 -k $R -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=4 -c fsync=off" start >/dev/null 2>&1
SERVER_PIDS="$SERVER_PIDS $(head -1 "$R/p/postmaster.pid")"
psql -q -h 127.0.0.1 -p $P1 -d postgres -c "CREATE DATABASE src" -c "CREATE DATABASE other" >/dev/null
psql -q -h 127.0.0.1 -p $P1 -d src -c "$SCHEMA" >/dev/null
timeout 60 runuser -u postgres -- env PGPASSWORD="$PGPASSWORD" "$PG_BIN/pg_basebackup" --checkpoint=fast -h 127.0.0.1 -p $P1 -U doppel -D "$R/s" -R >/dev/null 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$R/s" -l "$R/s.log" -w -t 30 \
	-o "-p $P2 -k $R -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1
SERVER_PIDS="$SERVER_PIDS $(head -1 "$R/s/postmaster.pid")"
if [ "$(psql -X -At -h 127.0.0.1 -p $P2 -d src -c 'SELECT pg_is_in_recovery()' 2>&1)" = t ]; then
	ok "a primary and its streaming replica started"
	REPSUM=$(pg_dump -h 127.0.0.1 -p $P1 -d src 2>&1 | grep -v "^.\(un\)\?restrict " | sha256sum)
	job "$T/e.json" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $P2, \"database\": \"src\",")" \
		"$(pgc "\"host\": \"127.0.0.1\", \"port\": $P1, \"database\": \"src\",")"
	expect_fail "postgresql: the primary of the replica read as the source is refused as target" 5 \
		"is the source database itself" "$DOPPEL" run -c "$T/e.json" --no-progress
	check "postgresql: ... and the primary (the source's data) is intact" "$REPSUM" \
		"$(pg_dump -h 127.0.0.1 -p $P1 -d src 2>&1 | grep -v "^.\(un\)\?restrict " | sha256sum)"
	job "$T/e.json" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $P2, \"database\": \"src\",")" \
		"$(pgc "\"host\": \"127.0.0.1\", \"port\": $P1, \"database\": \"other\",")"
	expect_ok "postgresql: another database of the primary is a fine target for a replica source" \
		"$DOPPEL" run -c "$T/e.json" --no-progress
else
	not_ok "a primary and its streaming replica started" "$(tail -3 "$R/s.log" 2>/dev/null)"
fi

# --- Ctrl-C while connecting to a server that never answers ---
SP=$(free_port)
python3 -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', $SP)); s.listen(8); time.sleep(30)" &
silent=$!
sleep 0.5
job "$T/e.json" "$(pgc "\"host\": \"127.0.0.1\", \"port\": $SP, \"database\": \"src\",")" "$SQTGT"
interrupted_run "Ctrl-C while connecting to a silent server" "$T/e.json" 1
kill $silent 2>/dev/null; wait $silent 2>/dev/null || true

# --- source sessions lex literals as doppel's clause check does ---
pg src "ALTER DATABASE src SET standard_conforming_strings = off" >/dev/null
job "$T/e.json" "$PGSRC" "$SQTGT" "\"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"name = '\\\\' OR name = ' ) UNION SELECT 1, 2 WHERE (1=1 --'\"}}, \"orders\": {\"mode\": \"SUBSET\"}}"
run "$DOPPEL" run -c "$T/e.json" --no-progress
check "postgresql: with standard_conforming_strings off on the database, a clause still means what the check saw" "0:0" "$RC:$(q "$T/tgt.db" 'SELECT count(*) FROM customer')"
pg src "ALTER DATABASE src RESET standard_conforming_strings" >/dev/null
my -e "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES,ANSI_QUOTES')"
job "$T/e.json" "$MYSRC" "$SQTGT" "\"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"name <> 'it\\\\'s' AND name <> \\\"x\\\"\"}}, \"orders\": {\"mode\": \"SUBSET\"}}"
run "$DOPPEL" run -c "$T/e.json" --no-progress
check "mysql: with NO_BACKSLASH_ESCAPES and ANSI_QUOTES set globally, a clause still means what the check saw" "0:3" "$RC:$(q "$T/tgt.db" 'SELECT count(*) FROM customer')"
my -e "SET GLOBAL sql_mode = REPLACE(REPLACE(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES', ''), ',ANSI_QUOTES', '')"
check "sqlite source never written (end)" "$SUM_SQLITE" "$(file_sum "$S")"
