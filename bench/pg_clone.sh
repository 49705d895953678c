#!/bin/sh
# bench/pg_clone.sh - clone a pgbench database PostgreSQL -> PostgreSQL and
# compare doppel with the reference tools, in the same run, same server.
#
#   sh bench/pg_clone.sh [SCALE]        (default 20: 2,000,000 accounts)
#
# Prints seconds per method and doppel's ratio to `pg_dump | psql`. A
# benchmark, not a test: nothing is asserted.
set -e
SCALE=${1:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-bench.XXXXXX")
DOPPEL_DATA=unused
. "$ROOT/tests/integration/servers.sh"
start_pg
PATH="$PG_BIN:$PATH"
. "$ROOT/bench/lib.sh"

echo "pgbench -i -s $SCALE --foreign-keys (+ a customers table with PII-like text)"
createdb src
pgbench -q -i -s "$SCALE" --foreign-keys src >/dev/null 2>&1
psql -q -d src -c "CREATE TABLE customers AS SELECT aid AS id, 'First' || (aid % 997) || ' Last' || (aid % 991) AS full_name,
  'user' || aid || '@corp.test' AS email, '+1 212 555 ' || lpad((aid % 10000)::text, 4, '0') AS phone,
  (aid % 9999) || ' Main Street' AS street, 'City ' || (aid % 500) AS city
  FROM pgbench_accounts WHERE aid % 10 = 0; ALTER TABLE customers ADD PRIMARY KEY (id)"
psql -q -d src -c "VACUUM ANALYZE"
rows=$(psql -At -d src -c "SELECT (SELECT count(*) FROM pgbench_accounts) + (SELECT count(*) FROM pgbench_history) + (SELECT count(*) FROM customers)")
size=$(psql -At -d src -c "SELECT pg_size_pretty(pg_database_size('src'))")
echo "source: $rows rows, $size"

createdb t1; t0=$(now); pg_dump src | psql -q -d t1 >/dev/null; t_dump=$(secs "$t0" "$(now)")
createdb t2; t0=$(now); pg_dump -Fc src >"$T/src.dump"; pg_restore -d t2 "$T/src.dump"; t_fc=$(secs "$t0" "$(now)")
createdb t3; createdb t4
eng() { cat >"$T/$1.json" <<J
{"seed_value": 1, "use_seed": true, "initialization_mode": "$2", "n_parallel_pipeline_processes": 2,
 "source": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "src", "username": "doppel", "password_env": "PGPASSWORD"},
 "target": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "$1", "username": "doppel", "password_env": "PGPASSWORD"}
 $3}
J
}
dup='"tables": {"pgbench_accounts": {"mode": "DUPLICATE"}, "pgbench_branches": {"mode": "DUPLICATE"}, "pgbench_tellers": {"mode": "DUPLICATE"}, "pgbench_history": {"mode": "DUPLICATE"}, "customers": {"mode": "DUPLICATE"}}'
eng t3 DE_IDENTIFY ", $dup"
t0=$(now); /usr/bin/time -f %M -o "$T/rss3" "$DOPPEL" -q run -c "$T/t3.json" --no-progress >/dev/null; t_dup=$(secs "$t0" "$(now)")
# DE_IDENTIFY: five masked columns
eng t4 DE_IDENTIFY ', "tables": {"customers": {"columns": {"full_name": "mock:full_name", "email": "mock:email",
 "phone": "mock:phone", "street": "mock:street_address", "city": "mock:city"}}}'
t0=$(now); /usr/bin/time -f %M -o "$T/rss4" "$DOPPEL" -q run -c "$T/t4.json" --no-progress >/dev/null; t_deid=$(secs "$t0" "$(now)")

printf '\n%-40s %8s %10s %8s %9s\n' method seconds rows/s "vs dump" "peak RSS"
r() { printf '%-40s %8.2f %10.0f %7.2fx %9s\n' "$1" "$2" "$(echo "$rows / $2" | bc -l)" "$(echo "$2 / $t_dump" | bc -l)" "$3"; }
r "pg_dump | psql" "$t_dump" "-"
r "pg_dump -Fc | pg_restore" "$t_fc" "-"
r "doppel run (DUPLICATE)" "$t_dup" "$(( $(cat "$T/rss3") / 1024 )) MB"
r "doppel run (DE_IDENTIFY, 5 masked cols)" "$t_deid" "$(( $(cat "$T/rss4") / 1024 )) MB"
printf 'DE_IDENTIFY / DUPLICATE: %.2fx\n' "$(echo "$t_deid / $t_dup" | bc -l)"
result "PostgreSQL DUPLICATE, pgbench -s $SCALE + customers" "$t_dup" "pg_dump -Fc | pg_restore" "$t_fc" "$rows" "$(rss_mb "$T/rss3")"
result "PostgreSQL DE_IDENTIFY (5 masked columns)" "$t_deid" "doppel DUPLICATE" "$t_dup" "$rows" "$(rss_mb "$T/rss4")"
