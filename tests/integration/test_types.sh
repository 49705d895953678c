#!/bin/sh
# Types are carried exactly or refused at plan time (real PostgreSQL 15 and
# MariaDB 10.11 started here): numeric(38,10), numeric, float8 (0.1+0.2,
# 1e-300), real, bigint extremes, NaN/Infinity, timestamptz in several zones,
# timetz, interval, a domain, a generated column, a composite type;
# PG -> SQLite, PG -> MySQL, PG -> PG, MySQL -> SQLite, MySQL -> PG, MySQL ->
# MySQL. Every value is compared digit for digit on the target; every
# refusal exits 2 (plan time) or 1 (a value at load time), names
# table.column, and leaves the target as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg || { not_ok "start PostgreSQL"; exit 1; }
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "PostgreSQL on $PGPORT and MariaDB on $MY_PORT started"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
for d in exact special gen comp bigdec pgcopy pgspecial pggen; do psql -q -c "CREATE DATABASE $d" >/dev/null; done
my -e "CREATE DATABASE mycopy; CREATE DATABASE myspecial; CREATE DATABASE mybig; CREATE DATABASE mysrc;
 CREATE DATABASE mygen; CREATE DATABASE mygencopy; CREATE DATABASE mygen2"
pgsrc() { echo "\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
pgtgt() { echo "\"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
mysrc() { echo "\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
mytgt() { echo "\"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"; }
litetgt() { echo "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$1\"}"; }
# DUPLICATE every table: the values themselves are under test
dup() { echo "\"initialization_mode\": \"DE_IDENTIFY\", \"tables\": {$(for t in "$@"; do printf '"%s": {"mode": "DUPLICATE"},' "$t"; done | sed 's/,$//')}"; }

# ---- the PostgreSQL source: one row of extremes, one of small values ----
# the doppel session prints timestamptz in Europe/Amsterdam (+01 in March,
# +02 in summer): offsets of whole hours, which PostgreSQL prints as +HH
pg exact "ALTER DATABASE exact SET timezone TO 'Europe/Amsterdam'" >/dev/null
pg exact "CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE num (id int PRIMARY KEY, d38 numeric(38,10), dn numeric, f8 double precision, r4 real,
 big bigint, ts timestamptz, t timestamp, dt date, tm time, ttz timetz, iv interval, dom posint);
INSERT INTO num VALUES
 (1, 1234567890123456789012345678.1234567890, 12345678901234567890.123456789012345678901234567890,
  0.1::float8 + 0.2::float8, 0.1, 9223372036854775807, '2024-03-10 12:00:00+02', '2024-03-10 12:00:00',
  '2024-02-29', '23:59:59.999999', '12:00:00+02', '1 year 2 mons 3 days 04:05:06.5', 7),
 (2, -0.0000000001, 0.000000000000000000000000000001, 1e-300, -3.4e38, -9223372036854775808,
  '2023-12-31 23:30:00-05:00', '1999-12-31 23:59:59.5', '0001-01-01', '00:00:00', '23:30:00-01',
  '-1 days +02:00:00', 1),
 (3, NULL, NULL, NULL, NULL, NULL, '2024-07-01 00:00:00.25+05:30', NULL, NULL, NULL, NULL, NULL, NULL)" >/dev/null \
	&& ok "PG source with exact numerics, floats, zoned times, interval, domain" || not_ok "PG source"
col() { pg exact "SELECT $1 FROM num WHERE id = $2"; }

# PG -> SQLite
engine "$T/a.json" "{$(pgsrc exact), $(litetgt "$T/a.db"), $(dup num)}"
expect_ok "PG -> SQLite" "$DOPPEL" run -c "$T/a.json" --no-progress
lite() { q "$T/a.db" "SELECT $1 FROM num WHERE id = $2"; }
check "PG -> SQLite numeric(38,10), 38 digits, kept as text" "$(col d38 1)|text" "$(lite "d38, typeof(d38)" 1)"
check "PG -> SQLite numeric(38,10) -0.0000000001 (one digit: REAL)" "1|real" "$(lite "d38 = -0.0000000001, typeof(d38)" 2)"
check "PG -> SQLite unconstrained numeric, 50 digits" "$(col dn 1)" "$(lite dn 1)"
check "PG -> SQLite unconstrained numeric 1e-30" "1" "$(lite "dn = 1e-30" 2)"
check "PG -> SQLite float8 0.1+0.2 round-trips" "$(col f8 1)|1" "$(lite "printf('%!.17g', f8), f8 = 0.1 + 0.2" 1)"
check "PG -> SQLite float8 1e-300" "1" "$(lite "f8 = 1e-300" 2)"
check "PG -> SQLite real 0.1 and -3.4e38" "0.1|-3.4e+38" "$(lite r4 1)|$(lite r4 2)"
check "PG -> SQLite bigint 2^63-1 and -2^63" "$(col big 1)|$(col big 2)" "$(lite big 1)|$(lite big 2)"
check "PG -> SQLite timestamptz keeps ISO 8601 with +HH:MM" "2024-03-10 11:00:00+01:00" "$(lite ts 1)"
for id in 1 2 3; do
	check "PG -> SQLite timestamptz row $id: the same instant (UTC)" \
		"$(pg exact "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM num WHERE id = $id")" \
		"$(lite "datetime(ts)" $id)"
done
check "PG -> SQLite timetz keeps its offset" "12:00:00+02:00|23:30:00-01:00" "$(lite ttz 1)|$(lite ttz 2)"
check "PG -> SQLite timestamp, date, time exact" "$(col t 1)|$(col dt 2)|$(col tm 1)|$(col t 2)" \
	"$(lite t 1)|$(lite dt 2)|$(lite tm 1)|$(lite t 2)"
check "PG -> SQLite interval as its text" "$(col iv 1)|$(col iv 2)|text" "$(lite iv 1)|$(lite iv 2)|$(lite "typeof(iv)" 1)"
check "PG -> SQLite domain as its base type" "7|integer" "$(lite "dom, typeof(dom)" 1)"
check "PG -> SQLite declared types" "DECIMAL BLOB(38,10)|DECIMAL BLOB|TIMESTAMP WITH TIME ZONE|TEXT" \
	"$(q "$T/a.db" "SELECT group_concat(type, '|') FROM pragma_table_info('num') WHERE name IN ('d38','dn','ts','iv')")"

# PG -> MySQL: UTC datetimes, DECIMAL(38,10) and (65,30)
engine "$T/b.json" "{$(pgsrc exact), $(mytgt mycopy), $(dup num)}"
expect_ok "PG -> MySQL" "$DOPPEL" run -c "$T/b.json" --no-progress
mq() { my -e "SELECT $1 FROM mycopy.num WHERE id = $2"; }
check "PG -> MySQL numeric(38,10)" "$(col d38 1)|$(col d38 2)" "$(mq d38 1)|$(mq d38 2)"
check "PG -> MySQL numeric -> DECIMAL(65,30), 50 digits" "$(col dn 1)" "$(mq dn 1)"
check "PG -> MySQL numeric 1e-30" "$(col dn 2)" "$(mq dn 2)"
check "PG -> MySQL float8 0.1+0.2, 1e-300" "$(col f8 1)|$(col f8 2)" "$(mq f8 1)|$(mq f8 2)"
check "PG -> MySQL bigint extremes" "$(col big 1)|$(col big 2)" "$(mq big 1)|$(mq big 2)"
for id in 1 2 3; do
	check "PG -> MySQL timestamptz row $id converted to UTC" \
		"$(pg exact "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM num WHERE id = $id")" "$(mq ts $id)"
done
check "PG -> MySQL timetz converted to UTC" "10:00:00.000000|00:30:00.000000" "$(mq ttz 1)|$(mq ttz 2)"
check "PG -> MySQL timestamp, date, time exact" "2024-03-10 12:00:00.000000|0001-01-01|23:59:59.999999" \
	"$(mq t 1)|$(mq dt 2)|$(mq tm 1)"
check "PG -> MySQL interval as its text (not an integer)" "$(col iv 1)|$(col iv 2)" "$(mq iv 1)|$(mq iv 2)"
check "PG -> MySQL column types" "decimal(38,10) decimal(65,30) datetime(6) longtext" \
	"$(my -e "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='mycopy' AND TABLE_NAME='num' AND COLUMN_NAME IN ('d38','dn','ts','iv') ORDER BY ORDINAL_POSITION" | tr '\n' ' ' | sed 's/ $//')"

# PG -> PG: every value equal, types kept (the domain as its base type)
engine "$T/c.json" "{$(pgsrc exact), $(pgtgt pgcopy), $(dup num)}"
expect_ok "PG -> PG" "$DOPPEL" run -c "$T/c.json" --no-progress
sum() { pg "$1" "SET timezone = 'UTC'; SELECT md5(string_agg(x::text, '|' ORDER BY id)) FROM num x" | tail -1; }
check "PG -> PG every value equal" "$(sum exact)" "$(sum pgcopy)"
check "PG -> PG types kept (a domain by its name)" "numeric(38,10) numeric double precision timestamp with time zone time with time zone interval posint" \
	"$(pg pgcopy "SELECT string_agg(format_type(atttypid, atttypmod), ' ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'num'::regclass AND attname IN ('d38','dn','f8','ts','ttz','iv','dom')")"

# A value refused at load time leaves the target as it was (every target is
# staged and swapped in only when complete).
unchanged_or_skip() { check "$@"; }

# ---- NaN and Infinity: kept by PostgreSQL and SQLite, refused by MySQL ----
pg special "CREATE TABLE special (id int PRIMARY KEY, f8 float8, n numeric);
 INSERT INTO special VALUES (1, 'NaN', 'NaN'), (2, 'Infinity', 'Infinity'), (3, '-Infinity', '-Infinity'), (4, 1.5, 2.5)" >/dev/null
engine "$T/s1.json" "{$(pgsrc special), $(pgtgt pgspecial), $(dup special)}"
expect_ok "PG -> PG with NaN/Infinity" "$DOPPEL" run -c "$T/s1.json" --no-progress
check "PG -> PG NaN, Infinity, -Infinity kept" "$(pg special "SELECT string_agg(f8 || '/' || n, ' ' ORDER BY id) FROM special")" \
	"$(pg pgspecial "SELECT string_agg(f8 || '/' || n, ' ' ORDER BY id) FROM special")"
engine "$T/s2.json" "{$(pgsrc special), $(litetgt "$T/s.db"), $(dup special)}"
expect_ok "PG -> SQLite with NaN/Infinity" "$DOPPEL" run -c "$T/s2.json" --no-progress
check "PG -> SQLite NaN as text (not NULL), Infinity as REAL" "NaN|text|NaN|Inf|-Inf|1.5|2.5" \
	"$(q "$T/s.db" "SELECT group_concat(v, '|') FROM (SELECT f8 AS v FROM special WHERE id = 1 UNION ALL SELECT typeof(f8) FROM special WHERE id = 1 UNION ALL SELECT n FROM special WHERE id = 1 UNION ALL SELECT f8 FROM special WHERE id IN (2, 3) UNION ALL SELECT f8 FROM special WHERE id = 4 UNION ALL SELECT n FROM special WHERE id = 4)")"
my -e "CREATE TABLE myspecial.special (id int PRIMARY KEY, keep int); INSERT INTO myspecial.special VALUES (42, 42)"
before=$(my -e "CHECKSUM TABLE myspecial.special")
engine "$T/s3.json" "{$(pgsrc special), $(mytgt myspecial), $(dup special)}"
expect_fail "PG -> MySQL NaN refused naming table.column and key" 1 \
	"special\.f8 \(row with id=1\): NaN/Infinity values cannot be stored in a mysql DOUBLE/DECIMAL column" \
	"$DOPPEL" run -c "$T/s3.json" --no-progress
unchanged_or_skip "PG -> MySQL NaN: target unchanged" "$before" "$(my -e "CHECKSUM TABLE myspecial.special")"
grep -q "NaN'" "$ERR" && not_ok "the message quotes no source value" || ok "the message quotes no source value"

# an unconstrained numeric with more digits than DECIMAL(65,30): refused, not rounded
pg bigdec "CREATE TABLE bd (id int PRIMARY KEY, n numeric); INSERT INTO bd VALUES (1, 1.5), (2, 0.0000000000000000000000000000001)" >/dev/null
engine "$T/bd.json" "{$(pgsrc bigdec), $(mytgt mybig), $(dup bd)}"
expect_fail "PG -> MySQL 31 decimals refused (MySQL would round)" 1 "bd\.n \(row with id=2\): a value has more digits" \
	"$DOPPEL" run -c "$T/bd.json" --no-progress
unchanged_or_skip "PG -> MySQL too many decimals: target unchanged" "" "$(my -e "SHOW TABLES FROM mybig")"

# ---- generated columns: recreated within PostgreSQL, refused across ----
pg gen "CREATE TABLE line (id int PRIMARY KEY, price numeric(10,2), qty int,
 total numeric(12,2) GENERATED ALWAYS AS (price * qty) STORED); INSERT INTO line (id, price, qty) VALUES (1, 2.50, 4), (2, 0.10, 3)" >/dev/null
engine "$T/g1.json" "{$(pgsrc gen), $(pgtgt pggen), $(dup line)}"
expect_ok "PG -> PG with a generated column" "$DOPPEL" run -c "$T/g1.json" --no-progress
check "PG -> PG generated column recreated as generated" "s|(price * (qty)::numeric)" \
	"$(pg pggen "SELECT attgenerated::text || '|' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'line'::regclass AND attname = 'total'")"
check "PG -> PG generated values computed by the target" "10.00 0.30" "$(pg pggen "SELECT string_agg(total::text, ' ' ORDER BY id) FROM line")"
engine "$T/g2.json" "{$(pgsrc gen), $(litetgt "$T/g.db"), $(dup line)}"
# across engines the expression is the source's SQL: the values come as a
# plain column, and the plan says so
"$DOPPEL" plan -c "$T/g2.json" >"$OUT" 2>&1
grep -q "line.total: generated column .* carried as its values, a plain column in sqlite" "$OUT" \
	&& ok "PG -> SQLite: the plan says the generated column is carried as its values" || not_ok "plan note generated" "$(grep -A3 'type mapping' "$OUT")"
expect_ok "PG -> SQLite generated column carried as its values" "$DOPPEL" run -c "$T/g2.json" --no-progress
check "PG -> SQLite: the computed values, in a plain column" "10|0.3|0" \
	"$(q "$T/g.db" "SELECT group_concat(total, '|') FROM (SELECT total FROM line ORDER BY id)")|$(q "$T/g.db" "SELECT hidden FROM pragma_table_xinfo('line') WHERE name = 'total'")"
engine "$T/g4.json" "{$(pgsrc gen), $(mytgt mygen2), $(dup line)}"
expect_ok "PG -> MySQL generated column carried as its values" "$DOPPEL" run -c "$T/g4.json" --no-progress
check "PG -> MySQL: a plain column with the values" "|10.00 0.30" \
	"$(my -e "SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='mygen2' AND TABLE_NAME='line' AND COLUMN_NAME='total'")|$(my -e "SELECT total FROM mygen2.line ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
engine "$T/g3.json" "{$(pgsrc gen), $(pgtgt pggen), \"tables\": {\"line\": {\"columns\": {\"total\": {\"generator\": \"mask:noise\"}}}}}"
expect_fail "a generator on a generated column refused at plan time" 2 "line\.total: generator \"mask:noise\" on a generated column" \
	"$DOPPEL" plan -c "$T/g3.json"

# ---- composite types: refused, naming the type ----
pg comp "CREATE TYPE addr AS (street text, zip text); CREATE TABLE home (id int PRIMARY KEY, a addr);
 INSERT INTO home VALUES (1, ROW('Main St 1', '1234 AB'))" >/dev/null
engine "$T/k.json" "{$(pgsrc comp), $(litetgt "$T/k.db"), $(dup home)}"
expect_fail "PG -> SQLite composite type refused at plan time" 2 "home\.a: composite type addr" "$DOPPEL" run -c "$T/k.json" --no-progress
[ ! -e "$T/k.db" ] && ok "composite refused: no SQLite target created" || not_ok "no SQLite target after the composite refusal"

# ---- generators against column types at plan time ----
engine "$T/m.json" "{$(pgsrc exact), $(litetgt "$T/m.db"), \"tables\": {\"num\": {\"columns\": {\"big\": {\"generator\": \"mask:date_shift\"}}}}}"
expect_fail "mask:date_shift on a bigint refused at plan time" 2 "num\.big: mask:date_shift shifts dates.*bigint" "$DOPPEL" plan -c "$T/m.json"
engine "$T/m.json" "{$(pgsrc exact), $(litetgt "$T/m.db"), \"tables\": {\"num\": {\"columns\": {\"iv\": {\"generator\": \"mask:noise\"}}}}}"
expect_fail "mask:noise on an interval (text) refused at plan time" 2 "num\.iv: mask:noise adds noise to numbers, the column is text \(interval\)" "$DOPPEL" plan -c "$T/m.json"
engine "$T/m.json" "{$(pgsrc exact), $(litetgt "$T/m.db"), \"tables\": {\"num\": {\"columns\": {\"dom\": {\"generator\": \"mock:email\"}}}}}"
expect_fail "mock:email on an integer refused at plan time" 2 "num\.dom: mock:email produces text, the column is integer" "$DOPPEL" run -c "$T/m.json" --no-progress
[ ! -e "$T/m.db" ] && ok "generator refusal: no target created" || not_ok "no target after the generator refusal"

# ---- the MySQL source ----
my -e "USE mysrc; CREATE TABLE mnum (id int PRIMARY KEY, d65 DECIMAL(65,30), ub BIGINT UNSIGNED, dbl DOUBLE,
 dt DATETIME(6), iv BIGINT);
 INSERT INTO mnum VALUES (1, '12345678901234567890123456789012345.123456789012345678901234567890',
  18446744073709551615, 0.1e0 + 0.2e0, '2024-03-10 12:00:00.123456', 9223372036854775807),
 (2, '-0.000000000000000000000000000001', 0, 1e-300, '1000-01-01 00:00:00', -9223372036854775808)"
mc() { my -e "SELECT $1 FROM mysrc.mnum WHERE id = $2"; }
engine "$T/ma.json" "{$(mysrc mysrc), $(litetgt "$T/ma.db"), $(dup mnum)}"
expect_ok "MySQL -> SQLite" "$DOPPEL" run -c "$T/ma.json" --no-progress
ml() { q "$T/ma.db" "SELECT $1 FROM mnum WHERE id = $2"; }
check "MySQL -> SQLite DECIMAL(65,30), 65 digits" "$(mc d65 1)" "$(ml d65 1)"
check "MySQL -> SQLite DECIMAL(65,30) -1e-30" "1" "$(ml "d65 = -1e-30" 2)"
check "MySQL -> SQLite BIGINT UNSIGNED 2^64-1 exact" "18446744073709551615|text" "$(ml "ub, typeof(ub)" 1)"
check "MySQL -> SQLite DOUBLE 0.1+0.2 and 1e-300" "1|1" "$(ml "dbl = 0.1 + 0.2" 1)|$(ml "dbl = 1e-300" 2)"
check "MySQL -> SQLite bigint extremes" "$(mc iv 1)|$(mc iv 2)" "$(ml iv 1)|$(ml iv 2)"
check "MySQL -> SQLite DATETIME(6)" "$(mc dt 1)" "$(ml dt 1)"
engine "$T/mb.json" "{$(mysrc mysrc), $(pgtgt pgcopy), $(dup mnum)}"
expect_ok "MySQL -> PG" "$DOPPEL" run -c "$T/mb.json" --no-progress
mp() { pg pgcopy "SELECT $1 FROM mnum WHERE id = $2"; }
check "MySQL -> PG DECIMAL(65,30) -> numeric(65,30)" "$(mc d65 1)|$(mc d65 2)" "$(mp d65 1)|$(mp d65 2)"
check "MySQL -> PG BIGINT UNSIGNED -> numeric(20,0)" "18446744073709551615|numeric(20,0)" \
	"$(mp ub 1)|$(pg pgcopy "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'mnum'::regclass AND attname = 'ub'")"
check "MySQL -> PG DOUBLE 0.1+0.2, 1e-300" "0.30000000000000004|1e-300" "$(mp dbl 1)|$(mp dbl 2)"
check "MySQL -> PG bigint extremes" "$(mc iv 1)|$(mc iv 2)" "$(mp iv 1)|$(mp iv 2)"
check "MySQL -> PG DATETIME(6)" "2024-03-10 12:00:00.123456" "$(mp dt 1)"

# MySQL generated columns: recreated within MySQL, refused across
my -e "USE mygen; CREATE TABLE mg (id int PRIMARY KEY, a int, v int AS (a * 2) VIRTUAL, s int AS (a + 1) STORED);
 INSERT INTO mg (id, a) VALUES (1, 20), (2, 5)"
engine "$T/mg.json" "{$(mysrc mygen), $(mytgt mygencopy), $(dup mg)}"
expect_ok "MySQL -> MySQL with VIRTUAL and STORED generated columns" "$DOPPEL" run -c "$T/mg.json" --no-progress
check "MySQL -> MySQL generated columns recreated as generated" "VIRTUAL GENERATED STORED GENERATED" \
	"$(my -e "SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='mygencopy' AND TABLE_NAME='mg' AND COLUMN_NAME IN ('v','s') ORDER BY ORDINAL_POSITION" | tr '\n' ' ' | sed 's/ $//')"
check "MySQL -> MySQL generated values computed by the target" "1 20 40 21|2 5 10 6" \
	"$(my -e "SELECT id, a, v, s FROM mygencopy.mg ORDER BY id" | tr '\t' ' ' | tr '\n' '|' | sed 's/|$//')"
engine "$T/mg2.json" "{$(mysrc mygen), $(pgtgt pggen), $(dup mg)}"
before=$(pg pggen "SELECT string_agg(total::text, ' ' ORDER BY id) FROM line")
psql -q -c "CREATE DATABASE pgmg" >/dev/null
engine "$T/mg2.json" "{$(mysrc mygen), $(pgtgt pgmg), $(dup mg)}"
expect_ok "MySQL -> PG generated columns carried as their values" "$DOPPEL" run -c "$T/mg2.json" --no-progress
check "MySQL -> PG: VIRTUAL and STORED values in plain columns" "1 20 40 21|2 5 10 6|NEVER NEVER" \
	"$(pg pgmg "SELECT string_agg(concat_ws(' ', id, a, v, s), '|' ORDER BY id) FROM mg")|$(pg pgmg "SELECT string_agg(is_generated, ' ' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'mg' AND column_name IN ('v', 's')")"
check "... and the other PG target unchanged" "$before" "$(pg pggen "SELECT string_agg(total::text, ' ' ORDER BY id) FROM line")"
