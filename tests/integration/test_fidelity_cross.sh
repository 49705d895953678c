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
for d in psrc lite2pg my2pg pgidx pglong pgbad; do psql -q -c "CREATE DATABASE $d" >/dev/null; done
my -e "CREATE DATABASE msrc; CREATE DATABASE mgeo; CREATE DATABASE midx; CREATE DATABASE lite2my; CREATE DATABASE pg2my; CREATE DATABASE mybad; CREATE DATABASE mylong"
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
