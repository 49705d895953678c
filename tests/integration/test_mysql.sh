#!/bin/sh
# MariaDB as source and target (real MariaDB 10.11 started here): Chinook
# MySQL -> SQLite, MySQL -> MySQL, SQLite -> MySQL, MySQL <-> PostgreSQL;
# errors. Both servers run side by side.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "MariaDB started on 127.0.0.1:$MY_PORT"
my <"$DOPPEL_DATA/chinook/Chinook_MySql.sql" >"$T/load.log" && ok "Chinook loaded into MariaDB" || not_ok "load Chinook" "$(tail -3 "$T/load.log")"
my -e "CREATE DATABASE copy1; CREATE DATABASE copy2; CREATE DATABASE copy3"
MYSRC="\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"Chinook\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"
mytgt() { echo "\"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
TABLES="Album Artist Customer Employee Genre Invoice InvoiceLine MediaType Playlist PlaylistTrack Track"
dup_all() { for t in $TABLES; do printf '"%s": {"mode": "DUPLICATE"},' $t; done | sed 's/,$//'; }
mysum() { my -e "SELECT count(*), sum(crc32(concat_ws('|', $2))) FROM $1"; }


# inspect takes every connector's URL (password from MYSQL_PWD, like the mariadb client)
MYSQL_PWD="$MY_PW" expect_ok "inspect mysql://" "$DOPPEL" inspect "mysql://doppel@127.0.0.1:$MY_PORT/Chinook"
grep -q "^table Track  (3503 rows)" "$OUT" && ok "inspect mysql: counts" || not_ok "inspect mysql content"
MYSQL_PWD="$MY_PW" expect_ok "inspect mariadb+pymysql:// --pii" "$DOPPEL" inspect "mariadb+pymysql://doppel@127.0.0.1:$MY_PORT/Chinook" --pii
grep -q "^Customer.Email .*email" "$OUT" && ok "inspect mysql --pii: e-mail column found" || not_ok "inspect mysql --pii"
expect_fail "inspect mysql:// with a wrong password: exit 3, password not shown" 3 "cannot connect" \
	"$DOPPEL" inspect "mysql://doppel:wrong-secret@127.0.0.1:$MY_PORT/Chinook"
grep -q "wrong-secret" "$ERR" && not_ok "the URL's password is not shown" || ok "the URL's password is not shown"

# MySQL -> SQLite DE_IDENTIFY
engine "$T/a.json" "{\"seed_value\": 3, \"use_seed\": true, $MYSRC, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/a.db\"}}"
expect_ok "MySQL -> SQLite DE_IDENTIFY" "$DOPPEL" run -c "$T/a.json" --no-progress
for t in $TABLES; do
	check "MySQL -> SQLite rows $t" "$(my -e "SELECT count(*) FROM Chinook.$t")" "$(q "$T/a.db" "SELECT count(*) FROM $t")"
done
check "MySQL -> SQLite: no FK violations" "" "$(q "$T/a.db" 'PRAGMA foreign_key_check')"
check "MySQL -> SQLite: no customer e-mail survives" "0" \
	"$(q "$T/a.db" "SELECT count(*) FROM Customer WHERE Email IN ($(my -e "SELECT group_concat(quote(Email)) FROM Chinook.Customer"))")"
check "MySQL -> SQLite: Track values equal" "$(my -e 'SELECT sum(Milliseconds), sum(Bytes) FROM Chinook.Track' | tr '\t' '|')" \
	"$(q "$T/a.db" 'SELECT sum(Milliseconds), sum(Bytes) FROM Track')"

# MySQL -> MySQL DUPLICATE: content equal
engine "$T/b.json" "{$MYSRC, $(mytgt copy1), \"tables\": {$(dup_all)}}"
expect_ok "MySQL -> MySQL DUPLICATE" "$DOPPEL" run -c "$T/b.json" --no-progress
check "MySQL -> MySQL Track checksum" "$(mysum Chinook.Track 'TrackId,Name,AlbumId,MediaTypeId,GenreId,Composer,Milliseconds,Bytes,UnitPrice')" \
	"$(mysum copy1.Track 'TrackId,Name,AlbumId,MediaTypeId,GenreId,Composer,Milliseconds,Bytes,UnitPrice')"
check "MySQL -> MySQL Invoice checksum" "$(mysum Chinook.Invoice 'InvoiceId,CustomerId,InvoiceDate,BillingAddress,Total')" \
	"$(mysum copy1.Invoice 'InvoiceId,CustomerId,InvoiceDate,BillingAddress,Total')"
check "MySQL -> MySQL: FKs created" "$(my -e "SELECT count(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='Chinook'")" \
	"$(my -e "SELECT count(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='copy1'")"

# SQLite -> MySQL DE_IDENTIFY (consistent mocks across engines: same seed as the SQLite run)
engine "$T/c.json" "{\"seed_value\": 3, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"}, $(mytgt copy2)}"
expect_ok "SQLite -> MySQL DE_IDENTIFY" "$DOPPEL" run -c "$T/c.json" --no-progress
check "SQLite -> MySQL rows PlaylistTrack" "8715" "$(my -e 'SELECT count(*) FROM copy2.PlaylistTrack')"
check "SQLite INTEGER PRIMARY KEY -> MySQL AUTO_INCREMENT continues after max id" "26" \
	"$(my -e "INSERT INTO copy2.Genre (Name) VALUES ('x'); SELECT max(GenreId) FROM copy2.Genre")"
check "same seed, other engine: same mock e-mails" "$(q "$T/a.db" "SELECT group_concat(Email, ',') FROM (SELECT Email FROM Customer ORDER BY CustomerId)")" \
	"$(my -e "SELECT group_concat(Email ORDER BY CustomerId SEPARATOR ',') FROM copy2.Customer")"

# MySQL -> PostgreSQL and back
start_pg >/dev/null 2>&1 || not_ok "start PostgreSQL"
psql -q -c "CREATE DATABASE frommy" >/dev/null
engine "$T/d.json" "{$MYSRC, \"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"frommy\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}, \"tables\": {$(dup_all)}}"
expect_ok "MySQL -> PostgreSQL DUPLICATE" "$DOPPEL" run -c "$T/d.json" --no-progress
check "MySQL -> PostgreSQL: Track sums" "$(my -e 'SELECT sum(Milliseconds), sum(UnitPrice) FROM Chinook.Track' | tr '\t' '|')" \
	"$(psql -X -At -d frommy -c 'SELECT sum("Milliseconds"), sum("UnitPrice") FROM "Track"')"
engine "$T/e.json" "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"frommy\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}, $(mytgt copy3), \"tables\": {$(dup_all)}}"
expect_ok "PostgreSQL -> MySQL DUPLICATE" "$DOPPEL" run -c "$T/e.json" --no-progress
check "round trip MySQL -> PG -> MySQL: Invoice equal" "$(mysum Chinook.Invoice 'InvoiceId,CustomerId,BillingAddress,Total')" \
	"$(mysum copy3.Invoice 'InvoiceId,CustomerId,BillingAddress,Total')"

# a type the target cannot hold: refused before the target is touched
psql -q -d frommy -c 'CREATE TABLE wide (id int PRIMARY KEY, amount numeric(80,2))' >/dev/null
my -e "CREATE DATABASE copy4"
engine "$T/w.json" "{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"frommy\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}, $(mytgt copy4)}"
expect_fail "type the target cannot hold: named with both types" 2 "wide.amount: numeric\(80,2\) \(postgresql\) cannot be held by mysql" "$DOPPEL" run -c "$T/w.json" --no-progress
check "nothing created in the target" "0" "$(my -e "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='copy4'")"

# consistency: writes after the snapshot never reach the target
my -e "CREATE DATABASE live; CREATE DATABASE livecopy; USE live;
 CREATE TABLE acct (id INT PRIMARY KEY, balance INT NOT NULL); INSERT INTO acct SELECT seq, 100 FROM seq_1_to_1000;"
engine "$T/l.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"live\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}, $(mytgt livecopy)}"
DOPPEL_TEST_PAUSE_AFTER_SNAPSHOT=3 "$DOPPEL" run -c "$T/l.json" --no-progress >"$T/live.out" 2>&1 &
bgpid=$!
sleep 1.5
my -e "USE live; INSERT INTO acct SELECT seq, 1 FROM seq_1001_to_1500; UPDATE acct SET balance = 0 WHERE id = 1; DELETE FROM acct WHERE id = 2;"
wait $bgpid && ok "MySQL job with concurrent source writes succeeds" || not_ok "MySQL concurrent writes" "$(cat "$T/live.out")"
check "MySQL: rows, updates and deletes after the snapshot are not seen" "1000 100 1" \
	"$(my -e "SELECT count(*), (SELECT balance FROM livecopy.acct WHERE id = 1), (SELECT count(*) FROM livecopy.acct WHERE id = 2) FROM livecopy.acct" | tr '\t' ' ')"

# errors
engine "$T/f.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"Chinook\", \"username\": \"doppel\", \"password\": \"nope\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/f.db\"}}"
expect_fail "MySQL wrong password" 3 "Access denied" "$DOPPEL" run -c "$T/f.json" --no-progress
engine "$T/f.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"Chinook\", \"username\": \"reader\", \"password_env\": \"MY_PW\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/f.db\"}}"
expect_fail "MySQL user without privilege on the database" 3 "reader.*Chinook|denied" "$DOPPEL" run -c "$T/f.json" --no-progress
engine "$T/f.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"nope\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/f.db\"}}"
expect_fail "MySQL missing database" 3 "nope" "$DOPPEL" run -c "$T/f.json" --no-progress
[ ! -e "$T/f.db" ] && ok "no target after MySQL connection errors" || not_ok "no target after errors"
check "source database unchanged" "$(mysum Chinook.Customer 'CustomerId,Email')" "$(mysum Chinook.Customer 'CustomerId,Email')"
