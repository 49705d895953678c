#!/bin/sh
# bench/smoke.sh - the quick look (make bench-smoke, under a minute): the cost
# ratios of DE_IDENTIFY and SUBSET to DUPLICATE on SQLite and on the test
# PostgreSQL, and DUPLICATE against pg_dump -Fc | pg_restore, on 200k rows
# with PII-like values that share prefixes (e-mails, phones), free text and
# blank-padded codes. Run it before closing an issue that touched engine/ or
# connectors/. Nothing is asserted.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-smoke.XXXXXX")
DOPPEL_DATA=unused
. "$ROOT/bench/lib.sh"
. "$ROOT/tests/integration/servers.sh"

# ---- SQLite: 100k customers + 100k orders ----
sqlite3 "$T/src.db" "
CREATE TABLE customer(id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, phone TEXT,
  code CHAR(40), notes TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id),
  amount REAL, placed DATE);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000)
INSERT INTO customer SELECT i,
  CASE i % 10 WHEN 0 THEN 'James' WHEN 1 THEN 'Mary' WHEN 2 THEN 'John' WHEN 3 THEN 'Linda' WHEN 4 THEN 'Robert'
    WHEN 5 THEN 'Anna' WHEN 6 THEN 'Peter' WHEN 7 THEN 'Sofia' WHEN 8 THEN 'Lucas' ELSE 'Emma' END,
  CASE i / 10 % 5 WHEN 0 THEN 'Smith' WHEN 1 THEN 'Jones' WHEN 2 THEN 'Brown' WHEN 3 THEN 'Visser' ELSE 'Muller' END,
  'user' || i || '@corp.test', '+1 212 555 ' || substr('000' || (i % 10000), -4),
  printf('%-40s', 'C' || substr('00000' || i, -6)),
  CASE WHEN i % 4 = 0 THEN 'called customer on ' || i || ', mail user' || i || '@corp.test' END FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100000)
INSERT INTO orders SELECT i, 1 + (i * 7919) % 100000, (i % 50000) / 100.0, date('2024-01-01', '+' || (i % 365) || ' days') FROM s;"
sq() {
	cat >"$T/$1.json" <<J
{"seed_value": 1, "use_seed": true, "source": {"connector_type": "sqlite", "database": "$T/src.db"},
 "target": {"connector_type": "sqlite", "database": "$T/$1.db"} $2}
J
	t0=$(now); /usr/bin/time -f %M -o "$T/$1.rss" "$DOPPEL" -q run -c "$T/$1.json" --no-progress --no-report >/dev/null
	secs "$t0" "$(now)"
}
s_dup=$(sq dup ', "tables": {"customer": {"mode": "DUPLICATE"}, "orders": {"mode": "DUPLICATE"}}')
s_deid=$(sq deid '')
s_sub=$(sq sub ', "tables": {"customer": {"mode": "SUBSET", "subset": {"percent": 10}}, "orders": {"mode": "DUPLICATE"}}')
result "smoke: SQLite DUPLICATE, 200k rows" "$s_dup" - - 200000 "$(rss_mb "$T/dup.rss")"
result "smoke: SQLite DE_IDENTIFY (detected PII, free text)" "$s_deid" "doppel DUPLICATE" "$s_dup" 200000 "$(rss_mb "$T/deid.rss")"
result "smoke: SQLite SUBSET 10% of customers + their orders" "$s_sub" "doppel DUPLICATE" "$s_dup" 200000 "$(rss_mb "$T/sub.rss")"

# ---- PostgreSQL: pgbench -s 2 (200k accounts) + 20k customers ----
start_pg
PATH="$PG_BIN:$PATH"
createdb src
pgbench -q -i -s 2 --foreign-keys src >/dev/null 2>&1
psql -q -d src -c "CREATE TABLE customers AS SELECT aid AS id, 'First' || (aid % 997) || ' Last' || (aid % 991) AS full_name,
  'user' || aid || '@corp.test' AS email, '+1 212 555 ' || lpad((aid % 10000)::text, 4, '0') AS phone
  FROM pgbench_accounts WHERE aid % 10 = 0; ALTER TABLE customers ADD PRIMARY KEY (id)"
psql -q -d src -c "VACUUM ANALYZE"
rows=$(psql -At -d src -c "SELECT (SELECT count(*) FROM pgbench_accounts) + (SELECT count(*) FROM customers)")
createdb r1; t0=$(now); pg_dump -Fc src >"$T/src.dump"; pg_restore -d r1 "$T/src.dump"; p_ref=$(secs "$t0" "$(now)")
pgj() {
	createdb "$1"
	cat >"$T/$1.json" <<J
{"seed_value": 1, "use_seed": true, "n_parallel_pipeline_processes": 2,
 "source": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "src", "username": "doppel", "password_env": "PGPASSWORD"},
 "target": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "$1", "username": "doppel", "password_env": "PGPASSWORD"} $2}
J
	t0=$(now); /usr/bin/time -f %M -o "$T/$1.rss" "$DOPPEL" -q run -c "$T/$1.json" --no-progress --no-report >/dev/null
	secs "$t0" "$(now)"
}
dupt='"pgbench_accounts": {"mode": "DUPLICATE"}, "pgbench_branches": {"mode": "DUPLICATE"}, "pgbench_tellers": {"mode": "DUPLICATE"}, "pgbench_history": {"mode": "DUPLICATE"}'
p_dup=$(pgj pdup ", \"tables\": {$dupt, \"customers\": {\"mode\": \"DUPLICATE\"}}")
p_deid=$(pgj pdeid ", \"tables\": {$dupt, \"customers\": {\"mode\": \"DE_IDENTIFY\"}}")
p_sub=$(pgj psub ", \"tables\": {\"pgbench_accounts\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}}, \"pgbench_branches\": {\"mode\": \"DUPLICATE\"}, \"pgbench_tellers\": {\"mode\": \"DUPLICATE\"}, \"pgbench_history\": {\"mode\": \"DUPLICATE\"}, \"customers\": {\"mode\": \"DUPLICATE\"}}")
result "smoke: PostgreSQL DUPLICATE, pgbench -s 2 + customers" "$p_dup" "pg_dump -Fc | pg_restore" "$p_ref" "$rows" "$(rss_mb "$T/pdup.rss")"
result "smoke: PostgreSQL DE_IDENTIFY (customers masked)" "$p_deid" "doppel DUPLICATE" "$p_dup" "$rows" "$(rss_mb "$T/pdeid.rss")"
result "smoke: PostgreSQL SUBSET 10% of accounts" "$p_sub" "doppel DUPLICATE" "$p_dup" "$rows" "$(rss_mb "$T/psub.rss")"
