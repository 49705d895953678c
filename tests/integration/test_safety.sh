#!/bin/sh
# Safety promises, tried the way an attacker or a careless user would:
#  - the source is only ever read: hostile subset clauses (stacked
#    statements, closing parentheses, COPY ... TO, comments, UNION, INTO,
#    FOR UPDATE, functions outside the allow-list, user operators and casts,
#    MySQL's `--<control>` comment) on SQLite, PostgreSQL and MariaDB; the
#    source is checksummed before and after;
#  - target = source is found by server identity, whatever the spelling;
#  - a target is exclusive (a second job refuses at once) and atomic (a
#    failed, cancelled or killed job leaves the previous target as it was).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg >"$T/pg-start.log" 2>&1 || { not_ok "start PostgreSQL" "$(tail -3 "$T/pg-start.log")"; exit 1; }
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "PostgreSQL on $PGPORT and MariaDB on $MY_PORT started"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }

SCHEMA="CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, country VARCHAR(20));
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total INTEGER);
CREATE TABLE canary (id INTEGER PRIMARY KEY, note VARCHAR(20));
INSERT INTO customer VALUES (1,'ann','NL'),(2,'bob','BR'),(3,'cid','BR'),(4,'dee','DE');
INSERT INTO orders VALUES (10,1,5),(11,2,7),(12,3,9),(13,3,11),(14,4,13);
INSERT INTO canary VALUES (1,'alive');"

# --- sources on three engines ---
S="$T/src.db"
sqlite3 "$S" "$SCHEMA"
psql -q -c "CREATE DATABASE src" -c "CREATE DATABASE tgt" >/dev/null
pg src "$SCHEMA CREATE SEQUENCE s; CREATE FUNCTION kill_canary() RETURNS int LANGUAGE sql AS 'DELETE FROM canary RETURNING 1';
 CREATE VIEW v_kill AS SELECT kill_canary() AS x;" >/dev/null
my -e "CREATE DATABASE src; CREATE DATABASE tgt; USE src; $SCHEMA" >/dev/null
my src <<'SQL' >/dev/null
DELIMITER //
CREATE FUNCTION kill_canary() RETURNS INT MODIFIES SQL DATA BEGIN DELETE FROM canary; RETURN 1; END//
CREATE VIEW v_kill AS SELECT kill_canary() AS x//
SQL
sum_sqlite() { file_sum "$S"; }
sum_pg() { pg_dump -d src --no-owner 2>&1 | grep -v "^.\(un\)\?restrict " | sha256sum | cut -d" " -f1; }
sum_my() { mariadb-dump --no-defaults -S "$MY_SOCK" -uroot --skip-dump-date --routines src 2>&1 | sha256sum | cut -d' ' -f1; }
SUM_SQLITE=$(sum_sqlite); SUM_PG=$(sum_pg); SUM_MY=$(sum_my)

SRC_sqlite="{\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
SRC_postgresql="{\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"src\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"
SRC_mysql="{\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"src\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"
TGT="{\"connector_type\": \"sqlite\", \"database\": \"$T/out.db\"}"

# sub ENGINE FIELD CLAUSE: an engine file subsetting customer by CLAUSE
sub() {
	clause=$(printf '%s' "$3" | sed 's/\\/\\\\/g; s/"/\\"/g')
	eval "src=\$SRC_$1"
	engine "$T/f.json" "{\"source\": $src, \"target\": $TGT,
	 \"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"$2\": \"$clause\"}},
	              \"orders\": {\"mode\": \"SUBSET\"}}}"
}

for e in sqlite postgresql mysql; do
	# refused by the lexer (exit 2, JSON path named), before anything runs
	for bad in \
		"1=1; DROP TABLE canary" \
		"1=1) ; DELETE FROM canary; SELECT (1" \
		"1=1) TO STDOUT; COPY (SELECT 1" \
		"1=1; COMMIT; BEGIN READ WRITE; DROP TABLE canary; --" \
		"1=1) UNION SELECT id, note, note FROM canary WHERE (1=1" \
		"country = 'BR')) OR ((1=1" \
		"(1=1" \
		"country = 'BR" \
		"1=1 /* unterminated" \
		"1=1 INTO OUTFILE '/tmp/doppel-pwned'" \
		"1=1 FOR UPDATE" \
		"1=1 LOCK IN SHARE MODE" \
		"   "; do
		sub $e where "$bad"
		rm -f "$T/out.db"
		expect_fail "$e: hostile clause refused: $bad" 2 "tables.customer.subset.where" \
			"$DOPPEL" run -c "$T/f.json" --no-progress
		[ -e "$T/out.db" ] && not_ok "$e: no target after a refused clause: $bad"
	done
	sub $e include_when "1=1; DROP TABLE canary"
	expect_fail "$e: hostile include_when refused" 2 "tables.customer.subset.include_when" \
		"$DOPPEL" run -c "$T/f.json" --no-progress
	sub $e where "1=1; DROP TABLE canary"
	expect_fail "$e: doppel plan reports the clause with its JSON path" 2 "tables.customer.subset.where" \
		"$DOPPEL" plan -c "$T/f.json"
	sub $e where "no_such_column = 1"
	expect_fail "$e: a clause the source cannot compile is a plan error" 2 \
		"tables.customer.subset.where: the source rejects the clause" "$DOPPEL" plan -c "$T/f.json"

	# accepted: literals and comments hold what would be refused outside
	sub $e where "country = 'BR' -- ) ; DROP TABLE canary"
	expect_ok "$e: a trailing -- comment cannot swallow ORDER BY / paging" "$DOPPEL" run -c "$T/f.json" --no-progress
	check "$e: commented clause selects what it says" "2|2,3" "$(q "$T/out.db" 'SELECT count(*), group_concat(id) FROM customer')"
	sub $e where "name <> 'x;y) DROP TABLE canary; --' AND id IN (SELECT customer_id FROM orders WHERE total > 8 UNION SELECT 1)"
	expect_ok "$e: ';' and ')' inside a literal, UNION inside a subquery" "$DOPPEL" run -c "$T/f.json" --no-progress
	check "$e: that clause selects customers 1, 3, 4" "1,3,4" "$(q "$T/out.db" 'SELECT group_concat(id) FROM (SELECT id FROM customer ORDER BY id)')"
	sub $e where "/* a comment */ country = 'NL'"
	expect_ok "$e: block comment" "$DOPPEL" run -c "$T/f.json" --no-progress
done

# the server's own read-only guard, under the lexer: a writing function
# hidden in a view is no call the lexer can see
sub postgresql where "id IN (SELECT x FROM v_kill)"
expect_fail "postgresql: a view calling a function that deletes is refused by the read-only snapshot" 2 \
	"read-only transaction" "$DOPPEL" run -c "$T/f.json" --no-progress
sub mysql where "id IN (SELECT x FROM v_kill)"
expect_fail "mysql: a view calling a function that deletes is refused by the READ ONLY transaction" 2 \
	"READ ONLY transaction" "$DOPPEL" run -c "$T/f.json" --no-progress

# functions outside the allow-list are refused before anything runs (the
# read-only snapshot does not stop a new connection, a backend kill, a lock)
sub postgresql where "kill_canary() = 1"
expect_fail "postgresql: a user function that deletes is refused, named" 2 \
	"tables.customer.subset.where: function kill_canary is not allowed" "$DOPPEL" run -c "$T/f.json" --no-progress
sub postgresql where "pg_terminate_backend(pg_backend_pid()) IS NOT NULL"
expect_fail "postgresql: pg_terminate_backend refused, named" 2 \
	"tables.customer.subset.where: function pg_terminate_backend is not allowed" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
sub postgresql where "pg_advisory_lock(1) IS NOT NULL OR public.kill_canary() = 1"
expect_fail "postgresql: advisory locks refused" 2 "function pg_advisory_lock" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
sub postgresql where "nextval('s') > 0"
expect_fail "postgresql: nextval() refused" 2 "tables.customer.subset.where: \"nextval\"" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
pg src "CREATE DOMAIN dom AS text CHECK (kill_canary() = 1)" >/dev/null
SUM_PG=$(sum_pg)
sub postgresql where "'x'::dom IS NOT NULL AND CAST(name AS dom) IS NOT NULL"
expect_fail "postgresql: a cast to a user domain refused" 2 "type dom" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
sub postgresql where "name === 'x'"
expect_fail "postgresql: a user-defined operator refused" 2 "operator ===" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
sub postgresql where "1=1 FOR/**/UPDATE"
expect_fail "postgresql: FOR/**/UPDATE refused" 2 "for update" "$DOPPEL" run -c "$T/f.json" --no-progress
sub mysql where "GET_LOCK('x', 1) = 1"
expect_fail "mysql: GET_LOCK refused, named" 2 "function GET_LOCK is not allowed" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
# MySQL reads '--' before a control character as a comment: the quote after
# it is commented out, and the ';' on the next line is live
engine "$T/f.json" "{\"source\": $SRC_mysql, \"target\": $TGT,
 \"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\":
   \"1=1 --\\u0001 '\\n; DELETE FROM canary; SELECT 1 -- '\"}}, \"orders\": {\"mode\": \"SUBSET\"}}}"
rm -f "$T/out.db"
expect_fail "mysql: a '--<control>' comment cannot hide a ';'" 2 "tables.customer.subset.where: ';'" \
	"$DOPPEL" run -c "$T/f.json" --no-progress
[ -e "$T/out.db" ] && not_ok "mysql: no target after the '--<control>' clause"
# clauses people write stay accepted, and select what they say
sub postgresql where "id IN (SELECT customer_id FROM orders WHERE total > 8) AND now() - interval '30 days' < now() AND lower(country)::text = 'br'"
expect_ok "postgresql: now() - interval, lower(), ::text accepted" "$DOPPEL" run -c "$T/f.json" --no-progress
check "postgresql: ... and select customer 3" "3" "$(q "$T/out.db" 'SELECT group_concat(id) FROM customer')"
sub mysql where "now() - INTERVAL 30 DAY < now() AND CAST(id AS DECIMAL(10,2)) > 1 AND lower(country) = 'br'"
expect_ok "mysql: now() - INTERVAL, CAST AS DECIMAL accepted" "$DOPPEL" run -c "$T/f.json" --no-progress
check "mysql: ... and select customers 2, 3" "2,3" "$(q "$T/out.db" 'SELECT group_concat(id) FROM (SELECT id FROM customer ORDER BY id)')"
sub sqlite where "abs(random()) % 1 = 0 AND datetime('now', '-30 days') < datetime('now') AND CAST(id AS INTEGER) < 3"
expect_ok "sqlite: abs(random()), datetime(), CAST accepted" "$DOPPEL" run -c "$T/f.json" --no-progress
check "sqlite: ... and select customers 1, 2" "1,2" "$(q "$T/out.db" 'SELECT group_concat(id) FROM (SELECT id FROM customer ORDER BY id)')"
sub postgresql where "\$\$;\$\$ = \$\$;\$\$ AND E'\\\\'';' <> ''"
expect_ok "postgresql: dollar quotes and E'' escapes lexed as literals" "$DOPPEL" run -c "$T/f.json" --no-progress
sub mysql where "kill_canary() = 1"
expect_fail "mysql: a stored function that deletes is refused, named" 2 \
	"function kill_canary is not allowed" "$DOPPEL" run -c "$T/f.json" --no-progress
sub mysql where "1=1 /*! ; DROP TABLE canary */"
expect_fail "mysql: executable comments refused" 2 "executable comments" "$DOPPEL" run -c "$T/f.json" --no-progress
sub mysql where "name <> 'it\\'s; DROP' AND 1=1"
expect_ok "mysql: backslash-escaped quote inside a literal" "$DOPPEL" run -c "$T/f.json" --no-progress

check "sqlite source unchanged after every attempt" "$SUM_SQLITE" "$(sum_sqlite)"
check "postgresql source unchanged after every attempt" "$SUM_PG" "$(sum_pg)"
check "mysql source unchanged after every attempt" "$SUM_MY" "$(sum_my)"
check "postgresql canary alive" "alive" "$(pg src 'SELECT note FROM canary')"
check "mysql canary alive" "alive" "$(my -e 'SELECT note FROM src.canary')"
[ ! -e /tmp/doppel-pwned ] && ok "no file written by INTO OUTFILE" || not_ok "INTO OUTFILE wrote a file"
