#!/bin/sh
# Fidelity across engines (real PostgreSQL 15 and MariaDB 10.11 started
# here), the rules of connectors/typemap.c as README.md states them:
#  - SQLite -> SQLite: the torture schema (tests/data/torture/) cloned and
#    compared catalog against catalog (sqlite_master sql, table_xinfo,
#    index_list, index_xinfo, sqlite_sequence) and value by value (quote());
#    views and triggers carried, no trigger fired by the load;
#  - SQLite -> PG, SQLite -> MariaDB, PG -> MariaDB, MariaDB -> PG,
#    PG -> SQLite, MariaDB -> SQLite: a table per type family, the target's
#    types (information_schema / format_type / pragma) as documented, the
#    values round-trip (compared as text after normalisation);
#  - lossy mappings refused at plan time naming table.column and both
#    types, the target left as it was;
#  - two tables with the same index name (MariaDB) into PG and SQLite, a long
#    index name cut with a hash, long column names refused, a utf8mb4 text
#    key into MariaDB (its share of the 3072-byte key).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
TORTURE="$DOPPEL_DATA/torture/sqlite_torture.sql"

# ---- SQLite -> SQLite: the torture schema, catalog and values ----
S="$T/torture.db"
sqlite3 "$S" <"$TORTURE" && ok "torture schema loaded into SQLite" || not_ok "torture schema loads"
tables=$(q "$S" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
dupall() { echo "\"initialization_mode\": \"DE_IDENTIFY\", \"tables\": {$(for t in $tables; do printf '"%s": {"mode": "DUPLICATE"},' "$t"; done | sed 's/,$//')}"; }
engine "$T/lite.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/torture-copy.db\"}, $(dupall)}"
run "$DOPPEL" plan -c "$T/lite.json"
grep -q "carried *view v_emp" "$OUT" && grep -q "carried *trigger emp_audit on emp" "$OUT" && grep -q "carried *trigger v_emp_insert" "$OUT" \
	&& ok "plan: the view and both triggers carried" || not_ok "plan lists the view and triggers as carried" "$(grep -A4 'schema objects' "$OUT")"
expect_ok "SQLite -> SQLite torture clone" "$DOPPEL" run -c "$T/lite.json" --no-progress
C="$T/torture-copy.db"
# catalog: every object's SQL (whitespace normalised), columns, indexes
catalog() {
	q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' ORDER BY type, name" | tr -s '[:space:]' ' '
	for t in $tables; do
		q "$1" "SELECT '$t', * FROM pragma_table_xinfo('$t')"
		q "$1" "SELECT '$t', name, \"unique\", origin, partial FROM pragma_index_list('$t') ORDER BY name"
		for i in $(q "$1" "SELECT name FROM pragma_index_list('$t') ORDER BY name"); do
			q "$1" "SELECT '$i', * FROM pragma_index_xinfo('$i')"
		done
	done
	q "$1" "SELECT * FROM sqlite_sequence ORDER BY name"
}
catalog "$S" >"$T/cat-src.txt"; catalog "$C" >"$T/cat-tgt.txt"
if cmp -s "$T/cat-src.txt" "$T/cat-tgt.txt"; then ok "SQLite -> SQLite catalog identical ($(wc -l <"$T/cat-src.txt") lines: sql, table_xinfo, index_list, index_xinfo, sqlite_sequence)"
else not_ok "SQLite -> SQLite catalog identical" "$(diff "$T/cat-src.txt" "$T/cat-tgt.txt" | head -20)"; fi
# values, with their storage class (quote() shows it)
values() { for t in $tables; do echo "== $t"; sqlite3 -quote "$1" "SELECT * FROM \"$t\" ORDER BY 1, 2"; done; }
values "$S" >"$T/val-src.txt"; values "$C" >"$T/val-tgt.txt"
if cmp -s "$T/val-src.txt" "$T/val-tgt.txt"; then ok "SQLite -> SQLite every value and storage class equal ($(grep -vc '^==' "$T/val-src.txt") rows)"
else not_ok "SQLite -> SQLite values equal" "$(diff "$T/val-src.txt" "$T/val-tgt.txt" | head -20)"; fi
check "SQLite -> SQLite generated columns computed by the target" "60000.0|ADA|36006.0|BOB" \
	"$(q "$C" "SELECT yearly, shout FROM emp WHERE id = 1")|$(q "$C" "SELECT yearly, shout FROM emp WHERE id = 2")"
check "SQLite -> SQLite the trigger did not fire during the load" "4" "$(q "$C" "SELECT count(*) FROM audit")"
check "SQLite -> SQLite the view answers as in the source" "$(q "$S" "SELECT * FROM v_emp ORDER BY id")" "$(q "$C" "SELECT * FROM v_emp ORDER BY id")"
q "$C" "PRAGMA foreign_keys = ON; INSERT INTO v_emp (id, name) VALUES (9, 'Ivy')" >/dev/null 2>&1
check "SQLite -> SQLite triggers are live in the target (INSTEAD OF, then AFTER INSERT)" "Ivy|emp 9" \
	"$(q "$C" "SELECT name FROM emp WHERE id = 9")|$(q "$C" "SELECT what FROM audit ORDER BY seq DESC LIMIT 1")"
check "SQLite -> SQLite COLLATE NOCASE key and CHECKs enforced" "1|constraint" \
	"$(q "$C" "SELECT count(*) FROM country_code WHERE country = 'nl' AND code = 'AMS'")|$(q "$C" "INSERT INTO emp (id, name, salary) VALUES (99, 'Neg', -1)" | grep -o constraint | head -1)"
check "SQLite -> SQLite no FK violations" "" "$(q "$C" "PRAGMA foreign_key_check")"
check "SQLite -> SQLite WITHOUT ROWID and STRICT kept" "1|1" \
	"$(q "$C" "SELECT count(*) FROM sqlite_master WHERE name = 'country_code' AND sql LIKE '%WITHOUT ROWID'")|$(q "$C" "SELECT strict FROM pragma_table_list('strict_t')")"
# a target of another engine lists them as not carried (no server needed for the plan)

# ---- the servers ----
start_pg >"$T/pg-start.log" 2>&1 || { not_ok "start PostgreSQL" "$(tail -3 "$T/pg-start.log")"; exit 1; }
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "PostgreSQL on $PGPORT and MariaDB on $MY_PORT started"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
for d in psrc psnet lite2pg my2pg pgidx pglong pgbad; do psql -q -c "CREATE DATABASE $d" >/dev/null; done
my -e "CREATE DATABASE msrc CHARACTER SET utf8mb4; CREATE DATABASE mgeo; CREATE DATABASE midx; CREATE DATABASE lite2my; CREATE DATABASE pg2my; CREATE DATABASE mybad; CREATE DATABASE mylong"
pgsrc() { echo "\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
pgtgt() { echo "\"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
mysrc() { echo "\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
mytgt() { echo "\"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
litesrc() { echo "\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$1\"}"; }
litetgt() { echo "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$1\"}"; }
dup() { echo "\"initialization_mode\": \"DE_IDENTIFY\", \"seed_value\": 3, \"use_seed\": true, \"tables\": {$(for t in "$@"; do printf '"%s": {"mode": "DUPLICATE"},' "$t"; done | sed 's/,$//')}"; }
# mytype DB TABLE: "col type" lines from information_schema
mytypes() { my -e "SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, IF(COLLATION_NAME LIKE '%general_ci', ' ci', '')) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$1' AND TABLE_NAME = '$2' ORDER BY ORDINAL_POSITION" | tr '\n' ',' | sed 's/,$//'; }
pgtypes() { pg "$1" "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '$2'::regclass AND attnum > 0 AND NOT attisdropped"; }
litetypes() { q "$1" "SELECT group_concat(name || ' ' || type, ',') FROM pragma_table_info('$2')"; }

# ---- the SQLite source: a table per family ----
F="$T/fam.db"
sqlite3 "$F" "
CREATE TABLE ints (id INTEGER PRIMARY KEY, s SMALLINT, m MEDIUMINT, b BIGINT, i INT);
INSERT INTO ints VALUES (1, -32768, 8388607, -9223372036854775808, 9223372036854775807), (2, 32767, -8388608, 0, NULL);
CREATE TABLE floats (id INTEGER PRIMARY KEY, r REAL, f FLOAT, d DOUBLE);
INSERT INTO floats VALUES (1, 0.1, 1e-300, 0.30000000000000004), (2, -2.5, 3.4e38, NULL);
CREATE TABLE decs (id INTEGER PRIMARY KEY, d DECIMAL(10,5), n NUMERIC);
INSERT INTO decs VALUES (1, '3.14159', 12.5), (2, '-99999.99999', 7);
CREATE TABLE texts (id INTEGER PRIMARY KEY, v VARCHAR(20), c CHAR(5), t TEXT, ci TEXT COLLATE NOCASE);
INSERT INTO texts VALUES (1, 'varchar é', 'abc', 'long text ''quoted''', 'MiXeD'), (2, '漢字', 'x', '', 'lower');
CREATE TABLE times (id INTEGER PRIMARY KEY, d DATE, dt DATETIME, tz TIMESTAMP WITH TIME ZONE);
INSERT INTO times VALUES (1, '2024-02-29', '2024-03-10 12:00:00', '2024-03-10 12:00:00+02:00'), (2, '0001-01-01', '1999-12-31 23:59:59.5', '2023-12-31 23:30:00-05:00');
CREATE TABLE misc (id INTEGER PRIMARY KEY, b BOOLEAN, u UUID, j JSON, bl BLOB);
INSERT INTO misc VALUES (1, 1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, 2]}', x'00ff'), (2, 0, NULL, '[]', x'');
CREATE TABLE ckey (a TEXT COLLATE NOCASE, b TEXT COLLATE NOCASE, v INT, PRIMARY KEY (a, b));
INSERT INTO ckey VALUES ('Ünïcode-ключ', 'b1', 1), ('x', 'y', 2);
" && ok "SQLite family source" || not_ok "SQLite family source"
LT="ints floats decs texts times misc ckey"

# SQLite -> PG
engine "$T/l2p.json" "{$(litesrc "$F"), $(pgtgt lite2pg), $(dup $LT)}"
expect_ok "SQLite -> PG" "$DOPPEL" run -c "$T/l2p.json" --no-progress
check "SQLite -> PG integer widths kept" "id bigint,s smallint,m integer,b bigint,i bigint" "$(pgtypes lite2pg ints)"
check "SQLite -> PG floats, decimals" "id bigint,r double precision,f double precision,d double precision|id bigint,d numeric(10,5),n numeric" \
	"$(pgtypes lite2pg floats)|$(pgtypes lite2pg decs)"
check "SQLite -> PG text types (fixed stays fixed)" "id bigint,v character varying(20),c character(5),t text,ci text" "$(pgtypes lite2pg texts)"
check "SQLite -> PG times keep their zone meaning" "id bigint,d date,dt timestamp without time zone,tz timestamp with time zone" "$(pgtypes lite2pg times)"
check "SQLite -> PG bool, uuid, json, bytes" "id bigint,b boolean,u uuid,j json,bl bytea" "$(pgtypes lite2pg misc)"
check "SQLite -> PG values (ints)" "$(q "$F" "SELECT group_concat(id||':'||s||':'||m||':'||b||':'||ifnull(i,''), ' ') FROM ints")" \
	"$(pg lite2pg "SELECT string_agg(id||':'||s||':'||m||':'||b||':'||coalesce(i::text,''), ' ' ORDER BY id) FROM ints")"
check "SQLite -> PG values (floats: shortest round-trip form)" "0.1|1e-300|0.30000000000000004|-2.5|3.4e+38" \
	"$(pg lite2pg "SELECT concat_ws('|', r, f, d) FROM floats WHERE id = 1")|$(pg lite2pg "SELECT concat_ws('|', r, f) FROM floats WHERE id = 2")"
check "SQLite -> PG values (decimals, text, times)" "3.14159 12.5 -99999.99999 7|varchar é;abc  ;long text 'quoted';MiXeD|2024-03-10 10:00:00+00" \
	"$(pg lite2pg "SELECT string_agg(d||' '||n, ' ' ORDER BY id) FROM decs")|$(pg lite2pg "SELECT concat_ws(';', v, c, t, ci) FROM texts WHERE id = 1")|$(pg lite2pg "SET timezone = 'UTC'; SELECT tz FROM times WHERE id = 1" | tail -1)"
check "SQLite -> PG values (bool, uuid, json, bytes)" "t|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\": [1, 2]}|\\x00ff" \
	"$(pg lite2pg "SELECT concat_ws('|', b, u, j, bl) FROM misc WHERE id = 1")"

# SQLite -> MariaDB (the composite NOCASE text key: a utf8mb4 key of two
# unbounded text columns gets 384 characters each, case-insensitive)
engine "$T/l2m.json" "{$(litesrc "$F"), $(mytgt lite2my), $(dup $LT)}"
expect_ok "SQLite -> MariaDB" "$DOPPEL" -v run -c "$T/l2m.json" --no-progress
grep -q "ckey.a: .*VARCHAR(384)[^:]*: a key or index column: InnoDB keys hold 3072 bytes" "$ERR" \
	&& ok "SQLite -> MariaDB the key width is stated" || not_ok "the key width is stated in the log" "$(grep -i ckey "$ERR" | head -3)"
check "SQLite -> MariaDB integer widths kept" "id bigint(20),s smallint(6),m int(11),b bigint(20),i bigint(20)" "$(mytypes lite2my ints)"
check "SQLite -> MariaDB floats, decimals" "id bigint(20),r double,f double,d double|id bigint(20),d decimal(10,5),n decimal(65,30)" \
	"$(mytypes lite2my floats)|$(mytypes lite2my decs)"
check "SQLite -> MariaDB text types, NOCASE kept" "id bigint(20),v varchar(20),c char(5),t longtext,ci longtext ci" "$(mytypes lite2my texts)"
check "SQLite -> MariaDB times: an instant in UTC" "id bigint(20),d date,dt datetime(6),tz datetime(6)|2024-03-10 10:00:00.000000|2024-01-01 04:30:00.000000" \
	"$(mytypes lite2my times)|$(my -e "SELECT tz FROM lite2my.times ORDER BY id" | tr '\n' '|' | sed 's/|$//')"
check "SQLite -> MariaDB bool, uuid, json, bytes" "id bigint(20),b tinyint(1),u char(36),j longtext,bl longblob" "$(mytypes lite2my misc)"
check "SQLite -> MariaDB utf8mb4 composite text key: 384 characters each, case-insensitive" "a varchar(384) ci,b varchar(384) ci,v bigint(20)" "$(mytypes lite2my ckey)"
check "SQLite -> MariaDB key values exact, NOCASE lookups" "Ünïcode-ключ b1 1|1" \
	"$(my -e "SELECT a, b, v FROM lite2my.ckey WHERE v = 1" | tr '\t' ' ')|$(my -e "SELECT count(*) FROM lite2my.ckey WHERE a = 'X' AND b = 'Y'")"
check "SQLite -> MariaDB values (ints, decimals, text)" "-32768 8388607 -9223372036854775808 9223372036854775807|3.14159|varchar é abc long text 'quoted' MiXeD" \
	"$(my -e "SELECT s, m, b, i FROM lite2my.ints WHERE id = 1" | tr '\t' ' ')|$(my -e "SELECT d FROM lite2my.decs WHERE id = 1")|$(my -e "SELECT v, c, t, ci FROM lite2my.texts WHERE id = 1" | tr '\t' ' ')"
check "SQLite -> MariaDB values (floats, bytes)" "0.1 1e-300 0.30000000000000004|00FF" \
	"$(my -e "SELECT r, f, d FROM lite2my.floats WHERE id = 1" | tr '\t' ' ')|$(my -e "SELECT HEX(bl) FROM lite2my.misc WHERE id = 1")"

# ---- the PostgreSQL source ----
pg psrc "CREATE TABLE pints (id int PRIMARY KEY, s smallint, i integer, b bigint);
INSERT INTO pints VALUES (1, -32768, -2147483648, -9223372036854775808), (2, 32767, 2147483647, 9223372036854775807);
CREATE TABLE pfl (id int PRIMARY KEY, r real, d double precision);
INSERT INTO pfl VALUES (1, 0.1, 0.1::float8 + 0.2::float8), (2, 3.4e38, 1e-300);
CREATE TABLE pnum (id int PRIMARY KEY, n numeric(12,3), u numeric, m money);
INSERT INTO pnum VALUES (1, 123456789.125, 12345678901234567890.5, 1234.56), (2, -0.001, 0, -0.5);
CREATE TABLE ptext (id int PRIMARY KEY, v varchar(20), c char(4), t text);
INSERT INTO ptext VALUES (1, 'é漢', 'ab', 'x''y'), (2, '', 'abcd', NULL);
CREATE TABLE ptime (id int PRIMARY KEY, d date, t time, ts timestamp, tz timestamptz, ttz timetz, iv interval);
INSERT INTO ptime VALUES (1, '2024-02-29', '23:59:59.5', '2024-03-10 12:00:00', '2024-03-10 12:00:00+02', '12:00:00+02', '1 day 02:00:00');
CREATE TABLE pmisc (id int PRIMARY KEY, b boolean, u uuid, j json, jb jsonb, arr int[], by bytea, bits bit(8));
INSERT INTO pmisc VALUES (1, true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": 1,  \"a\": 2}', '{\"b\": 1, \"a\": 2}', '{1,2,3}', '\\x00ff', B'01010101'),
 (2, false, NULL, NULL, NULL, '{}', '\\x', B'00000000');
" >/dev/null && ok "PG family source" || not_ok "PG family source"
pg psnet "CREATE TABLE pnet (id int PRIMARY KEY, ip inet, net cidr, mac macaddr);
INSERT INTO pnet VALUES (1, '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03'), (2, '::1', '2001:db8::/32', NULL);" >/dev/null
PT="pints pfl pnum ptext ptime pmisc"

# PG -> MariaDB
engine "$T/p2m.json" "{$(pgsrc psrc), $(mytgt pg2my), $(dup $PT)}"
expect_ok "PG -> MariaDB" "$DOPPEL" run -c "$T/p2m.json" --no-progress
check "PG -> MariaDB smallint stays 2 bytes, real single precision" "id int(11),s smallint(6),i int(11),b bigint(20)|id int(11),r float,d double" \
	"$(mytypes pg2my pints)|$(mytypes pg2my pfl)"
check "PG -> MariaDB numeric(p,s) kept, money as DECIMAL(19,2)" "id int(11),n decimal(12,3),u decimal(65,30),m decimal(19,2)" "$(mytypes pg2my pnum)"
check "PG -> MariaDB char(n) stays fixed" "id int(11),v varchar(20),c char(4),t longtext" "$(mytypes pg2my ptext)"
check "PG -> MariaDB times" "id int(11),d date,t time(6),ts datetime(6),tz datetime(6),ttz time(6),iv longtext" "$(mytypes pg2my ptime)"
check "PG -> MariaDB uuid, json, array, bytes, bit string" "id int(11),b tinyint(1),u char(36),j longtext,jb longtext,arr longtext,by longblob,bits varchar(8)" \
	"$(mytypes pg2my pmisc)"
check "PG -> MariaDB values (ints, floats)" "-32768 -2147483648 -9223372036854775808|32767 2147483647 9223372036854775807|0.1 0.30000000000000004" \
	"$(my -e "SELECT s, i, b FROM pg2my.pints ORDER BY id" | tr '\t' ' ' | tr '\n' '|')$(my -e "SELECT r, d FROM pg2my.pfl WHERE id = 1" | tr '\t' ' ')"
check "PG -> MariaDB values (numeric, money)" "123456789.125 12345678901234567890.500000000000000000000000000000 1234.56|-0.001 0.000000000000000000000000000000 -0.50" \
	"$(my -e "SELECT n, u, m FROM pg2my.pnum ORDER BY id" | tr '\t' ' ' | tr '\n' '|' | sed 's/|$//')"
check "PG -> MariaDB values (text, char padding dropped by MySQL)" "é漢 ab x'y" "$(my -e "SELECT v, c, t FROM pg2my.ptext WHERE id = 1" | tr '\t' ' ')"
check "PG -> MariaDB values (times: timestamptz/timetz in UTC, interval text)" "2024-02-29 23:59:59.500000 2024-03-10 12:00:00.000000 2024-03-10 10:00:00.000000 10:00:00.000000 1 day 02:00:00" \
	"$(my -e "SELECT d, t, ts, tz, ttz, iv FROM pg2my.ptime" | tr '\t' ' ')"
check "PG -> MariaDB values (uuid, json, array text, bytes, bits)" "1 a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 {1,2,3} 00FF 01010101" \
	"$(my -e "SELECT b, u, arr, HEX(\`by\`), bits FROM pg2my.pmisc WHERE id = 1" | tr '\t' ' ')"
check "PG -> MariaDB json as text exactly, jsonb normalised" "{\"b\": 1,  \"a\": 2}|{\"a\": 2, \"b\": 1}" \
	"$(my -e "SELECT j FROM pg2my.pmisc WHERE id = 1")|$(my -e "SELECT jb FROM pg2my.pmisc WHERE id = 1")"

# PG -> SQLite
engine "$T/p2l.json" "{$(pgsrc psrc), $(litetgt "$T/p2l.db"), $(dup $PT)}"
expect_ok "PG -> SQLite" "$DOPPEL" run -c "$T/p2l.json" --no-progress
check "PG -> SQLite declared types" "id INTEGER,s SMALLINT,i INTEGER,b INTEGER|id INTEGER,r REAL,d REAL|id INTEGER,n DECIMAL BLOB(12,3),u DECIMAL BLOB,m DECIMAL BLOB(19,2)" \
	"$(litetypes "$T/p2l.db" pints)|$(litetypes "$T/p2l.db" pfl)|$(litetypes "$T/p2l.db" pnum)"
check "PG -> SQLite declared types (text, times, others)" "id INTEGER,v VARCHAR(20),c CHAR(4),t TEXT|id INTEGER,d DATE,t TIME,ts DATETIME,tz TIMESTAMP WITH TIME ZONE,ttz TIME WITH TIME ZONE,iv TEXT|id INTEGER,b BOOLEAN,u TEXT,j TEXT,jb TEXT,arr TEXT,by BLOB,bits TEXT" \
	"$(litetypes "$T/p2l.db" ptext)|$(litetypes "$T/p2l.db" ptime)|$(litetypes "$T/p2l.db" pmisc)"
check "PG -> SQLite values (money exact as decimal, bit string as text, bytes as blob)" "1234.56|real|01010101|text|00FF|blob|{1,2,3}" \
	"$(q "$T/p2l.db" "SELECT m, typeof(m) FROM pnum WHERE id = 1")|$(q "$T/p2l.db" "SELECT bits, typeof(bits), hex(by), typeof(by), arr FROM pmisc WHERE id = 1")"
check "PG -> SQLite values (real, timestamptz with offset)" "0.1|2024-03-10 10:00:00|2024-02-29 23:59:59.5" \
	"$(q "$T/p2l.db" "SELECT r FROM pfl WHERE id = 1")|$(q "$T/p2l.db" "SELECT datetime(tz), d || ' ' || t FROM ptime")"
engine "$T/p2lnet.json" "{$(pgsrc psnet), $(litetgt "$T/p2lnet.db"), $(dup pnet)}"
expect_ok "PG -> SQLite network types" "$DOPPEL" run -c "$T/p2lnet.json" --no-progress
check "PG -> SQLite inet, cidr, macaddr as their text" "192.168.0.1/24|text|10.0.0.0/8|text|08:00:2b:01:02:03" \
	"$(q "$T/p2lnet.db" "SELECT ip, typeof(ip), net, typeof(net), mac FROM pnet WHERE id = 1")"
engine "$T/p2mnet.json" "{$(pgsrc psnet), $(mytgt pgbadnet), $(dup pnet)}"
my -e "CREATE DATABASE pgbadnet"
expect_ok "PG -> MariaDB network types (read as their text)" "$DOPPEL" run -c "$T/p2mnet.json" --no-progress
check "PG -> MariaDB inet, cidr, macaddr as their text" "192.168.0.1/24|10.0.0.0/8|08:00:2b:01:02:03" \
	"$(my -e "SELECT CONCAT(ip, '|', net, '|', mac) FROM pgbadnet.pnet WHERE id = 1")"

# ---- the MariaDB source ----
my -e "USE msrc;
CREATE TABLE mints (id int PRIMARY KEY, ti tinyint, tu tinyint unsigned, si smallint, su smallint unsigned, mi mediumint,
 i int, iu int unsigned, b bigint, bu bigint unsigned, y year);
INSERT INTO mints VALUES (1, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 2155),
 (2, 127, 0, 32767, 0, 8388607, 2147483647, 0, 9223372036854775807, 0, 1901);
CREATE TABLE mfl (id int PRIMARY KEY, f float, d double, dd decimal(12,3));
INSERT INTO mfl VALUES (1, 0.1, 0.1e0 + 0.2e0, 123456789.125), (2, -3.4e38, 1e-300, -0.001);
CREATE TABLE mtext (id int PRIMARY KEY, v varchar(20), c char(4), t text, e enum('small','medium','large'), st set('a','b','c'));
INSERT INTO mtext VALUES (1, 'é漢', 'ab', 'x''y', 'medium', 'a,c'), (2, '', 'abcd', NULL, 'small', '');
CREATE TABLE mtime (id int PRIMARY KEY, d date, dt datetime(6), ts timestamp(6) NULL, t time);
SET time_zone = '+03:00';
INSERT INTO mtime VALUES (1, '2024-02-29', '2024-03-10 12:00:00.123456', '2024-03-10 12:00:00.5', '23:59:59');
CREATE TABLE mbin (id int PRIMARY KEY, b tinyint(1), bi bit(12), vb varbinary(8), bl blob, u uuid);
INSERT INTO mbin VALUES (1, 1, b'101000000001', x'00ff00', x'deadbeef', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, 0, b'0', x'', NULL, NULL);
USE mgeo; CREATE TABLE place (id int PRIMARY KEY, g geometry, p point);
INSERT INTO place VALUES (1, ST_GeomFromText('LINESTRING(0 0, 1 1)'), ST_GeomFromText('POINT(1.5 -2)', 4326));" \
	&& ok "MariaDB family source" || not_ok "MariaDB family source"
MT="mints mfl mtext mtime mbin"

# MariaDB -> PG
engine "$T/m2p.json" "{$(mysrc msrc), $(pgtgt my2pg), $(dup $MT)}"
expect_ok "MariaDB -> PG" "$DOPPEL" run -c "$T/m2p.json" --no-progress
check "MariaDB -> PG integer widths: tinyint/smallint 2 bytes, unsigned one size up, BIGINT UNSIGNED numeric(20,0)" \
	"id integer,ti smallint,tu smallint,si smallint,su integer,mi integer,i integer,iu bigint,b bigint,bu numeric(20,0),y smallint" "$(pgtypes my2pg mints)"
check "MariaDB -> PG float stays single precision" "id integer,f real,d double precision,dd numeric(12,3)" "$(pgtypes my2pg mfl)"
check "MariaDB -> PG ENUM and SET as text with a CHECK" "id integer,v character varying(20),c character(4),t text,e character varying(6),st character varying(5)|2" \
	"$(pgtypes my2pg mtext)|$(pg my2pg "SELECT count(*) FROM pg_constraint WHERE conrelid = 'mtext'::regclass AND contype = 'c'")"
check "MariaDB -> PG the CHECKs hold the labels" "ok|ok|refused|refused" \
	"$(pg my2pg "BEGIN; INSERT INTO mtext (id, e, st) VALUES (9, 'large', 'b,c'); ROLLBACK" >/dev/null && echo ok)|$(pg my2pg "BEGIN; INSERT INTO mtext (id, st) VALUES (9, 'a,b,c'); ROLLBACK" | grep -q ERROR || echo ok)|$(pg my2pg "INSERT INTO mtext (id, e) VALUES (9, 'huge')" | grep -q 'check constraint' && echo refused)|$(pg my2pg "INSERT INTO mtext (id, st) VALUES (9, 'a,d')" | grep -q 'check constraint' && echo refused)"
check "MariaDB -> PG times: TIMESTAMP an instant, DATETIME wall clock" "id integer,d date,dt timestamp without time zone,ts timestamp with time zone,t time without time zone" "$(pgtypes my2pg mtime)"
check "MariaDB -> PG bytes and others" "id integer,b boolean,bi bytea,vb bytea,bl bytea,u uuid" "$(pgtypes my2pg mbin)"
check "MariaDB -> PG values (integers, unsigned extremes)" "-128 255 -32768 65535 -8388608 -2147483648 4294967295 -9223372036854775808 18446744073709551615 2155" \
	"$(pg my2pg "SELECT concat_ws(' ', ti, tu, si, su, mi, i, iu, b, bu, y) FROM mints WHERE id = 1")"
check "MariaDB -> PG values (float, double, decimal)" "0.1 0.30000000000000004 123456789.125|-3.4e+38 1e-300 -0.001" \
	"$(pg my2pg "SELECT string_agg(concat_ws(' ', f, d, dd), '|' ORDER BY id) FROM mfl")"
check "MariaDB -> PG values (text, enum, set)" "é漢 ab   x'y medium a,c" "$(pg my2pg "SELECT concat_ws(' ', v, c, t, e, st) FROM mtext WHERE id = 1")"
check "MariaDB -> PG TIMESTAMP keeps the instant, DATETIME the wall clock" \
	"$(my -e "SELECT UNIX_TIMESTAMP(ts) FROM msrc.mtime")|2024-03-10 12:00:00.123456|23:59:59" \
	"$(pg my2pg "SELECT extract(epoch FROM ts)::numeric(20,6) || '|' || dt || '|' || t FROM mtime")"
check "MariaDB -> PG values (bool, bit bytes, varbinary, blob, uuid)" "t|\\x0a01|\\x00ff00|\\xdeadbeef|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" \
	"$(pg my2pg "SELECT concat_ws('|', b, bi, vb, bl, u) FROM mbin WHERE id = 1")"
psql -q -c "CREATE DATABASE pggeo" >/dev/null
engine "$T/m2pgeo.json" "{$(mysrc mgeo), $(pgtgt pggeo), $(dup place)}"
expect_ok "MariaDB -> PG geometry carried as bytes (mysql reads geometry as its bytes)" "$DOPPEL" run -c "$T/m2pgeo.json" --no-progress
check "MariaDB -> PG geometry: bytea, the server's bytes (SRID + WKB) exactly" \
	"$(my -e "SELECT CONCAT(LOWER(HEX(g)), '|', LOWER(HEX(p))) FROM mgeo.place")|bytea" \
	"$(pg pggeo "SELECT encode(g, 'hex') || '|' || encode(p, 'hex') || '|' || pg_typeof(g) FROM place")"

# MariaDB -> SQLite
engine "$T/m2l.json" "{$(mysrc msrc), $(litetgt "$T/m2l.db"), $(dup $MT)}"
expect_ok "MariaDB -> SQLite" "$DOPPEL" run -c "$T/m2l.json" --no-progress
check "MariaDB -> SQLite declared types" "id INTEGER,ti SMALLINT,tu SMALLINT,si SMALLINT,su INTEGER,mi INTEGER,i INTEGER,iu INTEGER,b INTEGER,bu DECIMAL BLOB(20,0),y SMALLINT|id INTEGER,f REAL,d REAL,dd DECIMAL BLOB(12,3)" \
	"$(litetypes "$T/m2l.db" mints)|$(litetypes "$T/m2l.db" mfl)"
check "MariaDB -> SQLite declared types (text, times, bytes)" "id INTEGER,v VARCHAR(20),c CHAR(4),t TEXT,e TEXT,st TEXT|id INTEGER,d DATE,dt DATETIME,ts TIMESTAMP WITH TIME ZONE,t TIME|id INTEGER,b BOOLEAN,bi BLOB,vb BLOB,bl BLOB,u TEXT" \
	"$(litetypes "$T/m2l.db" mtext)|$(litetypes "$T/m2l.db" mtime)|$(litetypes "$T/m2l.db" mbin)"
check "MariaDB -> SQLite values (unsigned 64-bit exact, decimal)" "18446744073709551615|text|123456789.125" \
	"$(q "$T/m2l.db" "SELECT bu, typeof(bu) FROM mints WHERE id = 1")|$(q "$T/m2l.db" "SELECT dd FROM mfl WHERE id = 1")"
check "MariaDB -> SQLite ENUM/SET CHECKs enforced" "medium|a,c|constraint|constraint" \
	"$(q "$T/m2l.db" "SELECT e, st FROM mtext WHERE id = 1")|$(q "$T/m2l.db" "INSERT INTO mtext (id, e) VALUES (9, 'huge')" | grep -o constraint | head -1)|$(q "$T/m2l.db" "INSERT INTO mtext (id, st) VALUES (9, 'c,d')" | grep -o constraint | head -1)"
check "MariaDB -> SQLite TIMESTAMP as UTC with its offset" "2024-03-10 09:00:00.500000+00:00" "$(q "$T/m2l.db" "SELECT ts FROM mtime")"
check "MariaDB -> SQLite bit and varbinary as blobs" "0A01|blob|00FF00|blob" "$(q "$T/m2l.db" "SELECT hex(bi), typeof(bi), hex(vb), typeof(vb) FROM mbin WHERE id = 1")"
engine "$T/m2lgeo.json" "{$(mysrc mgeo), $(litetgt "$T/geo.db"), $(dup place)}"
expect_ok "MariaDB -> SQLite geometry" "$DOPPEL" run -c "$T/m2lgeo.json" --no-progress
check "MariaDB -> SQLite geometry as its bytes (SRID + WKB), never a number" \
	"$(my -e "SELECT CONCAT(HEX(g), '|', HEX(p)) FROM mgeo.place")|blob|BLOB" \
	"$(q "$T/geo.db" "SELECT hex(g) || '|' || hex(p) || '|' || typeof(p) FROM place")|$(q "$T/geo.db" "SELECT type FROM pragma_table_info('place') WHERE name = 'p'")"

# ---- lossy mappings: refused at plan time, naming table.column and both types ----
sqlite3 "$T/gen.db" "CREATE TABLE line (id INTEGER PRIMARY KEY, price NUMERIC, qty INT, total NUMERIC GENERATED ALWAYS AS (price * qty) STORED);
INSERT INTO line (id, price, qty) VALUES (1, 2.5, 4)"
engine "$T/g.json" "{$(litesrc "$T/gen.db"), $(pgtgt pgbad), $(dup line)}"
"$DOPPEL" plan -c "$T/g.json" >"$OUT" 2>&1
grep -q "line.total: generated column .* carried as its values, a plain column in postgresql" "$OUT" \
	&& ok "SQLite -> PG: the plan says a generated column is carried as its values" || not_ok "plan: generated column note" "$(grep -A3 'type mapping' "$OUT")"
psql -q -c "CREATE DATABASE pggen" >/dev/null
engine "$T/g3.json" "{$(litesrc "$T/gen.db"), $(pgtgt pggen), $(dup line)}"
expect_ok "SQLite -> PG generated column carried as its values" "$DOPPEL" run -c "$T/g3.json" --no-progress
check "SQLite -> PG: the computed values, in a plain column" "10|NEVER" \
	"$(pg pggen "SELECT total::int FROM line")|$(pg pggen "SELECT is_generated FROM information_schema.columns WHERE table_name = 'line' AND column_name = 'total'")"
engine "$T/g2.json" "{$(litesrc "$T/gen.db"), $(litetgt "$T/gen-copy.db"), $(dup line)}"
expect_ok "SQLite -> SQLite generated column carried" "$DOPPEL" run -c "$T/g2.json" --no-progress
check "SQLite -> SQLite generated values computed by the target" "10|3" \
	"$(q "$T/gen-copy.db" "SELECT total FROM line")|$(q "$T/gen-copy.db" "SELECT hidden FROM pragma_table_xinfo('line') WHERE name = 'total'")"
sqlite3 "$T/wide.db" "CREATE TABLE money (id INTEGER PRIMARY KEY, amount DECIMAL(70,2)); INSERT INTO money VALUES (1, '1.5')"
engine "$T/w.json" "{$(litesrc "$T/wide.db"), $(mytgt mybad), $(dup money)}"
expect_fail "SQLite -> MariaDB DECIMAL(70,2) refused at plan time" 2 "money\.amount: DECIMAL\(70,2\) \(sqlite\) cannot be held by mysql without rounding" \
	"$DOPPEL" run -c "$T/w.json" --no-progress
check "SQLite -> MariaDB refusal: nothing created" "" "$(my -e "SHOW TABLES FROM mybad")"
sqlite3 "$T/wide2.db" "CREATE TABLE big (id INTEGER PRIMARY KEY, n NUMERIC(1200,2))"
engine "$T/w2.json" "{$(litesrc "$T/wide2.db"), $(pgtgt pgbad), $(dup big)}"
expect_fail "SQLite -> PG NUMERIC(1200,2) refused at plan time" 2 "big\.n: NUMERIC\(1200,2\) \(sqlite\) cannot be held by postgresql" \
	"$DOPPEL" plan -c "$T/w2.json"
check "refusals: the PG target has no table" "0" "$(pg pgbad "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"

# ---- index names: the same name in two MariaDB tables, into PG and SQLite ----
my -e "USE midx; CREATE TABLE sa (id int PRIMARY KEY, k varchar(10), INDEX idx_k (k));
CREATE TABLE sb (id int PRIMARY KEY, k varchar(10), UNIQUE INDEX idx_k (k));
CREATE TABLE a_table_with_a_rather_long_name_for_the_cut (id int PRIMARY KEY, k int, j int,
  INDEX an_index_with_a_long_name_number_1 (k), INDEX an_index_with_a_long_name_number_2 (j));
INSERT INTO sa VALUES (1, 'x'), (2, 'y'); INSERT INTO sb VALUES (1, 'x'), (2, 'z');
INSERT INTO a_table_with_a_rather_long_name_for_the_cut VALUES (1, 1, 1)"
IT="sa sb a_table_with_a_rather_long_name_for_the_cut"
engine "$T/i2p.json" "{$(mysrc midx), $(pgtgt pgidx), $(dup $IT)}"
expect_ok "MariaDB -> PG two tables with index idx_k" "$DOPPEL" run -c "$T/i2p.json" --no-progress
check "MariaDB -> PG index names unique per schema" "sa_idx_k|false sb_idx_k|true" \
	"$(pg pgidx "SELECT string_agg(c.relname || '|' || i.indisunique, ' ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname IN ('sa', 'sb') AND NOT i.indisprimary")"
long=$(pg pgidx "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname LIKE 'a_table%' AND NOT i.indisprimary")
case "$long" in
"a_table_with_a_rather_long_name_for_the_cut_an_index_w_"????????" a_table_with_a_rather_long_name_for_the_cut_an_index_w_"????????)
	[ "${long%% *}" != "${long##* }" ] && ok "MariaDB -> PG long index names cut to 63 bytes with a hash, still distinct" \
		|| not_ok "long index names distinct" "$long";;
*) not_ok "MariaDB -> PG long index names cut with a hash" "[$long]";;
esac
engine "$T/i2l.json" "{$(mysrc midx), $(litetgt "$T/idx.db"), $(dup $IT)}"
expect_ok "MariaDB -> SQLite two tables with index idx_k" "$DOPPEL" run -c "$T/i2l.json" --no-progress
check "MariaDB -> SQLite index names unique per file" "sa_idx_k|sa|0 sb_idx_k|sb|1" \
	"$(q "$T/idx.db" "SELECT group_concat(name || '|' || tbl_name || '|' || (SELECT \"unique\" FROM pragma_index_list(m.tbl_name) l WHERE l.name = m.name), ' ') FROM (SELECT * FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('sa', 'sb') AND sql IS NOT NULL ORDER BY name) m")"

# ---- long identifiers: refused where the target cannot hold them ----
LONGCOL=a_column_name_of_seventy_characters_which_no_target_but_sqlite_holds_x
sqlite3 "$T/long.db" "CREATE TABLE t (id INTEGER PRIMARY KEY, $LONGCOL INT); INSERT INTO t VALUES (1, 1)"
engine "$T/lg.json" "{$(litesrc "$T/long.db"), $(mytgt mylong), $(dup t)}"
expect_fail "SQLite -> MariaDB a 70-character column name refused at plan time" 2 \
	"t\.$LONGCOL: the column name is 70 characters long; mysql allows 64" "$DOPPEL" run -c "$T/lg.json" --no-progress
engine "$T/lg2.json" "{$(litesrc "$T/long.db"), $(pgtgt pglong), $(dup t)}"
expect_fail "SQLite -> PG a 70-byte column name refused (PostgreSQL would cut it silently)" 2 \
	"t\.$LONGCOL: the column name is 70 bytes long; postgresql allows 63" "$DOPPEL" run -c "$T/lg2.json" --no-progress
engine "$T/lg3.json" "{$(litesrc "$T/long.db"), $(litetgt "$T/long-copy.db"), $(dup t)}"
expect_ok "SQLite -> SQLite the long name is fine" "$DOPPEL" run -c "$T/lg3.json" --no-progress

# ---- objects of a SQLite source are listed, not dropped, for other targets ----
sqlite3 "$T/obj.db" "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE VIEW v_t AS SELECT v FROM t;
CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 1; END; INSERT INTO t VALUES (1, 'a')"
engine "$T/obj.json" "{$(litesrc "$T/obj.db"), $(pgtgt pgbad), $(dup t)}"
run "$DOPPEL" plan -c "$T/obj.json"
grep -q "NOT CARRIED *view v_t" "$OUT" && grep -q "NOT CARRIED *trigger t_ins on t" "$OUT" \
	&& ok "SQLite -> PG plan lists the view and the trigger as not carried" || not_ok "plan lists objects not carried" "$(grep -A4 'schema objects' "$OUT" | head -6)"
