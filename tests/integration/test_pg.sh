#!/bin/sh
# PostgreSQL as source and target (real PostgreSQL 15 started here): Chinook
# PG -> SQLite, SQLite -> PG, PG -> PG; snapshot consistency; errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg || { not_ok "start PostgreSQL"; exit 1; }
ok "PostgreSQL started on 127.0.0.1:$PGPORT"
psql -q -v ON_ERROR_STOP=1 -f "$DOPPEL_DATA/chinook/Chinook_PostgreSql.sql" >"$T/load.log" 2>&1 \
	&& ok "Chinook loaded into PostgreSQL" || not_ok "load Chinook" "$(tail -3 "$T/load.log")"
psql -q -c "CREATE DATABASE copy1" -c "CREATE DATABASE copy2" >/dev/null
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
PGSRC="\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"chinook\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"
pgtgt() { echo "\"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
TABLES="album artist customer employee genre invoice invoice_line media_type playlist playlist_track track"

expect_ok "inspect postgresql://" "$DOPPEL" inspect "postgresql://doppel@127.0.0.1:$PGPORT/chinook"
grep -q "^table track  (3503 rows)" "$OUT" && grep -q "primary key (playlist_id, track_id)" "$OUT" \
	&& grep -q "foreign key (reports_to) -> employee(employee_id).*self-reference" "$OUT" \
	&& ok "inspect PG: counts, composite PK, self-reference" || not_ok "inspect PG content"

# PG -> SQLite, DE_IDENTIFY with detected PII
engine "$T/a.json" "{\"seed_value\": 3, \"use_seed\": true, $PGSRC,
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/a.db\"}}"
expect_ok "PG -> SQLite DE_IDENTIFY" "$DOPPEL" run -c "$T/a.json" --no-progress
for t in $TABLES; do
	check "PG -> SQLite rows $t" "$(pg chinook "SELECT count(*) FROM $t")" "$(q "$T/a.db" "SELECT count(*) FROM $t")"
done
check "PG -> SQLite: numeric values intact" "$(pg chinook 'SELECT sum(total) FROM invoice')" "$(q "$T/a.db" 'SELECT printf("%.2f", sum(total)) FROM invoice')"
n=$(q "$T/a.db" "SELECT count(*) FROM customer WHERE email IN ($(pg chinook "SELECT string_agg(quote_literal(email), ',') FROM customer"))")
check "PG -> SQLite: no source customer e-mail survives" "0" "$n"

# SQLite -> PG, DUPLICATE: values equal, FKs and indexes created, identity continues
engine "$T/b.json" "{\"initialization_mode\": \"DE_IDENTIFY\", \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 $(pgtgt copy1), \"tables\": {$(for t in Album Artist Customer Employee Genre Invoice InvoiceLine MediaType Playlist PlaylistTrack Track; do printf '"%s": {"mode": "DUPLICATE"},' $t; done | sed 's/,$//')}}"
expect_ok "SQLite -> PG DUPLICATE" "$DOPPEL" run -c "$T/b.json" --no-progress
check "SQLite -> PG: Track rows" "3503" "$(pg copy1 'SELECT count(*) FROM "Track"')"
check "SQLite -> PG: Track content equal" "$(q "$CHINOOK" "SELECT sum(Milliseconds), sum(length(Name)), printf('%.2f', sum(UnitPrice)) FROM Track" | tr '|' ' ')" \
	"$(pg copy1 'SELECT sum("Milliseconds"), sum(length("Name")), sum("UnitPrice") FROM "Track"' | tr '|' ' ')"
check "SQLite -> PG: FKs created" "11" "$(pg copy1 "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")"
check "SQLite -> PG: identity continues after max id (25 genres)" "26" \
	"$(pg copy1 'INSERT INTO "Genre" ("Name") VALUES ($$x$$) RETURNING "GenreId"' | head -1)"

# PG -> PG DUPLICATE: checksums of every table equal
engine "$T/c.json" "{\"initialization_mode\": \"DE_IDENTIFY\", $PGSRC, $(pgtgt copy2),
 \"tables\": {$(for t in $TABLES; do printf '"%s": {"mode": "DUPLICATE"},' $t; done | sed 's/,$//')}}"
expect_ok "PG -> PG DUPLICATE" "$DOPPEL" run -c "$T/c.json" --no-progress
for t in $TABLES; do
	check "PG -> PG checksum $t" "$(pg chinook "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $t x")" \
		"$(pg copy2 "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $t x")"
done
check "PG -> PG: no FK violations (constraints validated)" "$(pg chinook "SELECT count(*) FROM pg_constraint WHERE contype='f'")" \
	"$(pg copy2 "SELECT count(*) FROM pg_constraint WHERE contype='f'")"

# a failed load leaves the PG target as it was (one transaction)
before=$(pg copy2 "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM customer x")
engine "$T/d.json" "{$PGSRC, $(pgtgt copy2), \"tables\": {\"customer\": {\"columns\": {\"email\": {\"generator\": \"constant\", \"value\": \"$(printf 'x%.0s' $(seq 1 70))\"}}}}}"
expect_fail "value too long for the target column fails the job" 1 "customer" "$DOPPEL" run -c "$T/d.json" --no-progress
check "failed job: PG target unchanged" "$before" "$(pg copy2 "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM customer x")"

# consistency: writes to the source after the job's snapshot never reach the
# target, although every worker reads later (they import the snapshot)
psql -q -c "CREATE DATABASE live" -c "CREATE DATABASE livecopy" >/dev/null
pg live "CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO acct SELECT i, 100 FROM generate_series(1, 1000) i;
 CREATE TABLE note (id int PRIMARY KEY, acct_id int NOT NULL REFERENCES acct, txt text); INSERT INTO note SELECT i, i, 'n' FROM generate_series(1, 1000) i" >/dev/null
engine "$T/l.json" "{\"n_parallel_pipeline_processes\": 2, \"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"live\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}, $(pgtgt livecopy)}"
DOPPEL_TEST_PAUSE_AFTER_SNAPSHOT=3 "$DOPPEL" run -c "$T/l.json" --no-progress >"$T/live.out" 2>&1 &
bgpid=$!
sleep 1.5
pg live "INSERT INTO acct SELECT i, 1 FROM generate_series(1001, 1500) i; UPDATE acct SET balance = 0 WHERE id = 1;
 DELETE FROM note WHERE id = 2; INSERT INTO note VALUES (5000, 1500, 'late')" >/dev/null
wait $bgpid && ok "job with concurrent source writes succeeds" || not_ok "job with concurrent writes" "$(cat "$T/live.out")"
check "rows inserted after the snapshot are absent" "1000|1000" "$(pg livecopy "SELECT (SELECT count(*) FROM acct) || '|' || (SELECT count(*) FROM note)")"
check "updates and deletes after the snapshot are not seen" "100|1" "$(pg livecopy "SELECT (SELECT balance FROM acct WHERE id = 1) || '|' || (SELECT count(*) FROM note WHERE id = 2)")"

# errors: wrong password, unreachable port, missing database
engine "$T/e.json" "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"chinook\", \"username\": \"doppel\", \"password\": \"wrong\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/e.db\"}}"
expect_fail "wrong password" 3 "password authentication failed" "$DOPPEL" run -c "$T/e.json" --no-progress
grep -q "wrong" "$ERR" && not_ok "password not in the message" || ok "password not in the message"
port2=$(free_port)
engine "$T/e.json" "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $port2, \"database\": \"chinook\", \"username\": \"doppel\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/e.db\"}}"
expect_fail "unreachable port" 3 "127.0.0.1.*$port2|$port2.*refused|refused" "$DOPPEL" run -c "$T/e.json" --no-progress
engine "$T/e.json" "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"nope\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/e.db\"}}"
expect_fail "missing database" 3 "nope" "$DOPPEL" run -c "$T/e.json" --no-progress
[ ! -e "$T/e.db" ] && ok "no target after connection errors" || not_ok "no target after connection errors"
