#!/bin/sh
# bench/tunnel.sh - the same PostgreSQL -> PostgreSQL DUPLICATE of a ROWS-row
# table, direct and with the source through an SSH tunnel (sshd on loopback,
# one SSH connection multiplexing every worker's session), same servers, same
# run. Prints both times and the ratio (goal: the tunnel costs < 25%).
#
#   sh bench/tunnel.sh [ROWS] [WORKERS]      (default 1000000 rows, 2 workers)
#
# A benchmark, not a test: nothing is asserted.
set -e
ROWS=${1:-1000000}
WORKERS=${2:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-bench.XXXXXX")
DOPPEL_DATA=unused
. "$ROOT/tests/integration/servers.sh"
start_pg >/dev/null
start_sshd >/dev/null
PATH="$PG_BIN:$PATH"
. "$ROOT/bench/lib.sh"

createdb src
psql -q -d src -c "CREATE TABLE accounts (id bigint PRIMARY KEY, branch int NOT NULL, balance numeric(12,2) NOT NULL,
  name text NOT NULL, opened date NOT NULL);
  INSERT INTO accounts SELECT i, i % 97, (i::bigint * 7919 % 100000) / 100.0, 'account holder ' || i, date '2000-01-01' + (i % 9000)
  FROM generate_series(1, $ROWS) i"
psql -q -d src -c "VACUUM ANALYZE accounts"
size=$(psql -At -d src -c "SELECT pg_size_pretty(pg_total_relation_size('accounts'))")
echo "source: accounts, $ROWS rows, $size; $WORKERS workers"
eng() { cat >"$T/$1.json" <<J
{"initialization_mode": "FROM_SCRATCH", "n_parallel_pipeline_processes": $WORKERS,
 "source": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "src",
            "username": "doppel", "password_env": "PGPASSWORD" $2},
 "target": {"connector_type": "postgresql", "host": "127.0.0.1", "port": $PGPORT, "database": "$1",
            "username": "doppel", "password_env": "PGPASSWORD"},
 "tables": {"accounts": {"mode": "DUPLICATE"}}}
J
}
tun=", \"hooks_params\": {\"SSHTunnel\": {\"host\": \"127.0.0.1\", \"port\": $SSH_PORT, \"username\": \"$(id -un)\",
  \"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\"}}"
best() {   # NAME DB EXTRA: best of 3 runs (seconds), peak RSS of the best in $T/NAME.rss
	_best=""
	for i in 1 2 3; do
		psql -q -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2"
		eng "$2" "$3"
		t0=$(now); /usr/bin/time -f %M -o "$T/rss.$i" "$DOPPEL" -q run -c "$T/$2.json" --no-progress >/dev/null; s=$(secs "$t0" "$(now)")
		if [ -z "$_best" ] || [ "$(echo "$s < $_best" | bc)" = 1 ]; then _best=$s; cp "$T/rss.$i" "$T/$1.rss"; fi
	done
	echo "$_best"
}
t_direct=$(best direct d1 "")
t_tunnel=$(best tunnel d2 "$tun")
n=$(psql -At -d d2 -c "SELECT count(*) FROM accounts")
[ "$n" = "$ROWS" ] || echo "warning: the tunnelled copy has $n rows"
printf '\n%-36s %8s\n' method seconds
printf '%-36s %8.2f\n' "DUPLICATE direct" "$t_direct" "DUPLICATE, source through SSH tunnel" "$t_tunnel"
printf 'tunnel / direct: %.2fx\n' "$(echo "$t_tunnel / $t_direct" | bc -l)"
result "PostgreSQL DUPLICATE $ROWS rows, source through an SSH tunnel" "$t_tunnel" "doppel direct" "$t_direct" "$ROWS" "$(rss_mb "$T/tunnel.rss")"
stop_servers
rm -rf "$T"
