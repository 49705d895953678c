#!/bin/sh
# bench/pg_subset.sh - subset 10% of pgbench_accounts (with their history,
# branches and tellers) PostgreSQL -> PostgreSQL, next to a plain
# `pg_dump | psql` of the whole database for scale.
#
#   sh bench/pg_subset.sh [SCALE]      (default 20: 2,000,000 accounts)
set -e
SCALE=${1:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-bench.XXXXXX")
. "$ROOT/tests/integration/servers.sh"
start_pg
PATH="$PG_BIN:$PATH"
. "$ROOT/bench/lib.sh"
createdb src
pgbench -q -i -s "$SCALE" --foreign-keys src >/dev/null 2>&1
# some history, so the subset has children to follow
pgbench -n -T 10 -c 2 src >/dev/null 2>&1
psql -q -d src -c "VACUUM ANALYZE"
echo "source: $(psql -At -d src -c "SELECT count(*) FROM pgbench_accounts") accounts, $(psql -At -d src -c "SELECT count(*) FROM pgbench_history") history rows"
createdb t1; t0=$(now); pg_dump src | psql -q -d t1 >/dev/null; t_dump=$(secs "$t0" "$(now)")
createdb t2; createdb t3
# the reference for the subset: doppel's DUPLICATE of the whole database
cat >"$T/d.json" <<J
{"seed_value": 1, "use_seed": true,
 "source": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "src", "username": "doppel", "password_env": "PGPASSWORD"},
 "target": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "t3", "username": "doppel", "password_env": "PGPASSWORD"},
 "tables": {"pgbench_accounts": {"mode": "DUPLICATE"}, "pgbench_history": {"mode": "DUPLICATE"}, "pgbench_branches": {"mode": "DUPLICATE"}, "pgbench_tellers": {"mode": "DUPLICATE"}}}
J
t0=$(now); "$DOPPEL" -q run -c "$T/d.json" --no-progress >/dev/null; t_whole=$(secs "$t0" "$(now)")
cat >"$T/s.json" <<J
{"seed_value": 1, "use_seed": true,
 "source": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "src", "username": "doppel", "password_env": "PGPASSWORD"},
 "target": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "t2", "username": "doppel", "password_env": "PGPASSWORD"},
 "tables": {"pgbench_accounts": {"mode": "SUBSET", "subset": {"percent": 10}},
            "pgbench_history": {"mode": "DUPLICATE"}, "pgbench_branches": {"mode": "DUPLICATE"}, "pgbench_tellers": {"mode": "DUPLICATE"}}}
J
t0=$(now); /usr/bin/time -f %M -o "$T/rss" "$DOPPEL" -q run -c "$T/s.json" --no-progress >/dev/null; t_sub=$(secs "$t0" "$(now)")
rows=$(psql -At -d t2 -c "SELECT (SELECT count(*) FROM pgbench_accounts) + (SELECT count(*) FROM pgbench_history) + (SELECT count(*) FROM pgbench_tellers) + (SELECT count(*) FROM pgbench_branches)")
printf '\n%-44s %8s %10s %9s\n' method seconds "rows/s" "peak RSS"
printf '%-44s %8.2f %10s %9s\n' "pg_dump | psql (whole database)" "$t_dump" "-" "-"
printf '%-44s %8.2f %10.0f %6d MB\n' "doppel subset 10% accounts + closure" "$t_sub" "$(echo "$rows / $t_sub" | bc -l)" $(( $(cat "$T/rss") / 1024 ))
echo "target: $(psql -At -d t2 -c "SELECT count(*) FROM pgbench_accounts") accounts, $(psql -At -d t2 -c "SELECT count(*) FROM pgbench_history") history rows"
printf '%-44s %8.2f\n' "doppel DUPLICATE (whole database)" "$t_whole"
result "PostgreSQL SUBSET 10% of accounts + closure, -s $SCALE" "$t_sub" "doppel DUPLICATE (whole db)" "$t_whole" "$rows" "$(rss_mb "$T/rss")"
