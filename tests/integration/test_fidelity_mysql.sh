#!/bin/sh
# MariaDB -> MariaDB schema fidelity: the torture schema
# (tests/data/torture/mysql_torture.sql) cloned with every table DUPLICATE;
# the target's catalog compared with the source's (columns, indexes,
# CHECKs, tables, partitions, views, routines, triggers, sequences) and the
# data value by value; the trigger did not fire during the load; _ci and
# _bin collations behave as in the source; `doppel plan` lists objects as
# carried (same engine) or NOT CARRIED (MariaDB -> SQLite / PostgreSQL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "MariaDB started on 127.0.0.1:$MY_PORT"
TORTURE="$DOPPEL_DATA/torture/mysql_torture.sql"
my -e "CREATE DATABASE tsrc; CREATE DATABASE tdst"
my tsrc <"$TORTURE" >"$T/load.log" && ok "torture schema loaded" || not_ok "load torture schema" "$(tail -5 "$T/load.log")"
MYSRC="\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tsrc\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"
TB=$(my -e "SELECT group_concat(concat('\"', TABLE_NAME, '\": {\"mode\": \"DUPLICATE\"}')) FROM information_schema.TABLES WHERE TABLE_SCHEMA='tsrc' AND TABLE_TYPE='BASE TABLE'")
engine() { printf '%s\n' "$2" >"$1"; }
engine "$T/e.json" "{$MYSRC, \"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tdst\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}, \"tables\": {$TB}}"

expect_ok "doppel plan MariaDB -> MariaDB" "$DOPPEL" plan -c "$T/e.json"
for o in "sequence ticket_seq" "function order_tax" "function raise_all" "view order_totals" "view big_orders" \
	"view staff_depts" "trigger orders_audit on orders" "trigger staff_name on staff"; do
	grep -q "^  carried  *$o " "$OUT" && ok "plan: $o carried" || not_ok "plan: $o carried"
done
grep -q "NOT CARRIED  object nightly_purge .*event" "$OUT" && ok "plan: the event is listed NOT CARRIED" || not_ok "plan: event listed"

AUDIT_BEFORE=$(my -e "SELECT count(*) FROM tsrc.audit_log")
expect_ok "MariaDB -> MariaDB DUPLICATE of the torture schema" "$DOPPEL" run -c "$T/e.json" --no-progress

# catalog: each query names the object in its first columns; src and dst must match row for row
cmp_cat() {
	name=$1; sql=$2
	my -e "$(echo "$sql" | sed 's/@DB@/tsrc/g')" | sed 's/tsrc/@DB@/g' >"$T/cat.src"
	my -e "$(echo "$sql" | sed 's/@DB@/tdst/g')" | sed 's/tdst/@DB@/g' >"$T/cat.dst"
	if grep -q "^ERROR" "$T/cat.src" "$T/cat.dst"; then
		not_ok "catalog $name" "$(cat "$T/cat.src" "$T/cat.dst" | grep ERROR | head -2)"
	elif ! [ -s "$T/cat.src" ]; then
		not_ok "catalog $name" "the source has no rows for it"
	elif diff "$T/cat.src" "$T/cat.dst" >"$T/cat.diff"; then
		ok "catalog $name equal ($(wc -l <"$T/cat.src") rows)"
	else
		not_ok "catalog $name" "differences (< source, > target):"
		sed 's/^/      /' "$T/cat.diff" | head -20
	fi
}
cmp_cat "COLUMNS (type, charset, collation, default, extra, generation)" \
	"SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, IFNULL(CHARACTER_SET_NAME,'-'), IFNULL(COLLATION_NAME,'-'), IFNULL(COLUMN_DEFAULT,'-'), EXTRA, IFNULL(GENERATION_EXPRESSION,'-'), COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='@DB@' ORDER BY 1, 3"
cmp_cat "STATISTICS (indexes, type, sub_part, order, ignored)" \
	"SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE, IFNULL(SUB_PART,'-'), IFNULL(COLLATION,'-'), IGNORED, INDEX_COMMENT FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='@DB@' ORDER BY 1, 2, 3"
cmp_cat "CHECK_CONSTRAINTS" \
	"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA='@DB@' ORDER BY 1, 2"
cmp_cat "TABLES (type, engine, collation, auto_increment, comment)" \
	"SELECT TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE,'-'), IFNULL(TABLE_COLLATION,'-'), IFNULL(AUTO_INCREMENT,'-'), TABLE_COMMENT, CREATE_OPTIONS FROM information_schema.TABLES WHERE TABLE_SCHEMA='@DB@' ORDER BY 1"
cmp_cat "foreign keys (names, rules)" \
	"SELECT r.TABLE_NAME, r.CONSTRAINT_NAME, r.REFERENCED_TABLE_NAME, r.UPDATE_RULE, r.DELETE_RULE, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS r JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND k.TABLE_NAME = r.TABLE_NAME WHERE r.CONSTRAINT_SCHEMA='@DB@' ORDER BY 1, 2, k.ORDINAL_POSITION"
cmp_cat "PARTITIONS" \
	"SELECT TABLE_NAME, PARTITION_NAME, PARTITION_ORDINAL_POSITION, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION, TABLE_ROWS FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA='@DB@' AND PARTITION_NAME IS NOT NULL ORDER BY 1, 3"
cmp_cat "VIEWS (definition, check option, security)" \
	"SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE, SECURITY_TYPE, ALGORITHM FROM information_schema.VIEWS WHERE TABLE_SCHEMA='@DB@' ORDER BY 1"
cmp_cat "ROUTINES (body, type, sql_mode, comment)" \
	"SELECT ROUTINE_NAME, ROUTINE_TYPE, IFNULL(DTD_IDENTIFIER,'-'), ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SQL_MODE, ROUTINE_COMMENT FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='@DB@' ORDER BY 1"
cmp_cat "PARAMETERS" \
	"SELECT SPECIFIC_NAME, ORDINAL_POSITION, IFNULL(PARAMETER_MODE,'-'), IFNULL(PARAMETER_NAME,'-'), DTD_IDENTIFIER FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA='@DB@' ORDER BY 1, 2"
cmp_cat "TRIGGERS (event, timing, order, body, sql_mode)" \
	"SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_ORDER, ACTION_STATEMENT, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='@DB@' ORDER BY 1"
for ob in "VIEW order_totals" "VIEW big_orders" "VIEW staff_depts" "PROCEDURE raise_all" "FUNCTION order_tax" \
	"TRIGGER orders_audit" "TRIGGER staff_name" "SEQUENCE ticket_seq"; do
	col=2; case "$ob" in VIEW*|SEQUENCE*) col=2;; *) col=3;; esac
	s=$(my -e "SHOW CREATE $(echo "$ob" | sed 's/ / tsrc./')" | cut -f$col | sed 's/DEFINER=`[^`]*`@`[^`]*` //; s/`tsrc`/`@DB@`/g')
	d=$(my -e "SHOW CREATE $(echo "$ob" | sed 's/ / tdst./')" | cut -f$col | sed 's/DEFINER=`[^`]*`@`[^`]*` //; s/`tdst`/`@DB@`/g')
	check "SHOW CREATE $ob equal (definer aside)" "$s" "$d"
done
check "objects in the target belong to the target's user" "" \
	"$(my -e "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA='tdst' AND DEFINER <> 'doppel@127.0.0.1' UNION ALL SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='tdst' AND DEFINER <> 'doppel@127.0.0.1' UNION ALL SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='tdst' AND DEFINER <> 'doppel@127.0.0.1'")"
check "sequence: next value carried" "$(my -e "SELECT next_not_cached_value FROM tsrc.ticket_seq")" \
	"$(my -e "SELECT next_not_cached_value FROM tdst.ticket_seq")"
check "no staging or trash database left" "" "$(my -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'dp%'")"

# data, value by value: a checksum of every table's rows in key order (CHECKSUM TABLE: definitions are equal)
for t in $(my -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='tsrc' AND TABLE_TYPE='BASE TABLE' ORDER BY 1"); do
	check "data $t: CHECKSUM TABLE equal" "$(my -e "CHECKSUM TABLE tsrc.$t" | cut -f2)" "$(my -e "CHECKSUM TABLE tdst.$t" | cut -f2)"
	cols=$(my -e "SELECT group_concat(concat('IFNULL(HEX(\`', COLUMN_NAME, '\`), ''~'')') ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='tsrc' AND TABLE_NAME='$t'")
	q="SELECT count(*), IFNULL(sha2(group_concat(concat_ws('|', $cols) ORDER BY concat_ws('|', $cols) SEPARATOR '#'), 256), '-') FROM"
	check "data $t: ordered hex concat equal" "$(my -e "SET SESSION group_concat_max_len = 1 << 26; $q tsrc.\`$t\`")" \
		"$(my -e "SET SESSION group_concat_max_len = 1 << 26; $q tdst.\`$t\`")"
done

check "the trigger did not fire during the load" "$AUDIT_BEFORE" "$(my -e "SELECT count(*) FROM tdst.audit_log")"
check "_ci kept: case (and ß/ss) variants of a unicode_ci column compare equal" "3" \
	"$(my -e "SELECT count(*) FROM tdst.words WHERE spelling IN ('colour', 'strasse')")"
check "_ci kept: composite text key looked up case-insensitively" "Straße" \
	"$(my -e "SELECT word FROM tdst.words WHERE lang = 'DE' AND word = 'STRASSE'")"
check "_bin kept: a utf8mb4_bin unique column holds case variants" "2" \
	"$(my -e "SELECT count(*) FROM tdst.words WHERE exact IN ('colour', 'Colour')")"
check "latin1_general_cs kept" "1" "$(my -e "SELECT count(*) FROM tdst.all_types WHERE t_char = 'abc'")"
check "the trigger works after the clone" "order 77" \
	"$(my -e "INSERT INTO tdst.orders (id, placed, amount) VALUES (77, '2024-02-02', 5); SELECT what FROM tdst.audit_log ORDER BY id DESC LIMIT 1")"
check "the sequence default points at the target's sequence" "$(my -e "SELECT next_not_cached_value FROM tsrc.ticket_seq")" \
	"$(my -e "SELECT ticket FROM tdst.orders WHERE id = 77")"
check "AUTO_INCREMENT continues from the source's value" "$(my -e "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA='tsrc' AND TABLE_NAME='all_types'")" \
	"$(my -e "INSERT INTO tdst.all_types (t_enum) VALUES ('small'); SELECT max(id) FROM tdst.all_types WHERE t_enum = 'small' AND t_tiny = -3")"
check "the function works in the target" "2.10" "$(my -e "SELECT tdst.order_tax(10)")"
check "the view on a view reads the target's rows" "$(my -e "SELECT count(*) FROM tdst.orders WHERE amount > 15")" \
	"$(my -e "SELECT count(*) FROM tdst.big_orders")"
check "the source was not written" "$AUDIT_BEFORE" "$(my -e "SELECT count(*) FROM tsrc.audit_log")"

# a second run replaces a target whose tables have triggers (they cannot leave the database)
expect_ok "second run over a target with triggers, views and routines" "$DOPPEL" run -c "$T/e.json" --no-progress
check "second run: the trigger did not fire during the load" "$AUDIT_BEFORE" "$(my -e "SELECT count(*) FROM tdst.audit_log")"
check "second run: no old tables left beside the new" "" "$(my -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='tdst' AND TABLE_NAME LIKE 'dp%'")"
check "second run: objects in place" "3 2 2" "$(my -e "SELECT (SELECT count(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='tdst'), (SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='tdst'), (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='tdst')" | tr '\t' ' ')"

# a failure after the swap is undone: the target's views/tables stay as they were
my -e "CREATE DATABASE tbad; CREATE TABLE tbad.big_orders (x INT); CREATE TABLE tbad.orders (id INT PRIMARY KEY); INSERT INTO tbad.orders VALUES (42)"
engine "$T/bad.json" "{$MYSRC, \"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tbad\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}, \"tables\": {$TB}}"
expect_fail "a view that cannot be made after the swap: the job fails, naming it" 1 "big_orders" "$DOPPEL" run -c "$T/bad.json" --no-progress
check "after the failed swap the old tables are back" "42|BASE TABLE|2" \
	"$(my -e "SELECT (SELECT group_concat(id) FROM tbad.orders), (SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA='tbad' AND TABLE_NAME='big_orders'), (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='tbad')" | tr '\t' '|')"
check "after the failed swap no object of the job is left" "0" \
	"$(my -e "SELECT (SELECT count(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA='tbad') + (SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='tbad') + (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='tbad')")"

# other engines: the objects are listed NOT CARRIED, the plan does not fail (a
# schema without generated columns: those are refused across engines by design)
my -e "CREATE DATABASE tx; USE tx; CREATE SEQUENCE s1; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10) COLLATE utf8mb4_unicode_ci);
 CREATE VIEW tv AS SELECT id FROM t; CREATE FUNCTION f1(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;
 CREATE TRIGGER tt BEFORE INSERT ON t FOR EACH ROW SET NEW.v = LOWER(NEW.v);
 CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t"
MYX="\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tx\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"
engine "$T/lite.json" "{$MYX, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t.db\"}}"
expect_ok "doppel plan MariaDB -> SQLite with objects" "$DOPPEL" plan -c "$T/lite.json"
check "MariaDB -> SQLite plan: sequence, function, view, trigger listed NOT CARRIED" "4" "$(grep -c "^  NOT CARRIED  .*another engine" "$OUT")"
grep -q "^  NOT CARRIED  object ev .*event" "$OUT" && ok "MariaDB -> SQLite plan: the event listed" || not_ok "event listed"
engine "$T/pg.json" "{$MYX, \"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": 1, \"database\": \"x\", \"username\": \"doppel\", \"password\": \"x\"}}"
run "$DOPPEL" plan -c "$T/pg.json"
check "MariaDB -> PostgreSQL plan: the objects listed NOT CARRIED" "4" "$(grep -c "^  NOT CARRIED  .*another engine" "$OUT")"

# comments and partitioning live in MariaDB's CREATE TABLE: another engine
# does not get them, and the plan says so
my -e "CREATE DATABASE tcp; USE tcp; CREATE TABLE cp (id INT PRIMARY KEY, v INT COMMENT 'the value')
 COMMENT='a commented table' PARTITION BY HASH (id) PARTITIONS 2"
engine "$T/cp.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"tcp\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/cp.db\"}}"
expect_ok "doppel plan MariaDB -> SQLite with comments and partitions" "$DOPPEL" plan -c "$T/cp.json"
check "MariaDB -> SQLite plan: table comment, column comments and partitioning listed NOT CARRIED" "3" \
	"$(grep -c "^  NOT CARRIED  \(comment table comment\|comment column comments\|partitioning PARTITION BY\) of cp .*kept only by a target of the source's engine" "$OUT")"
