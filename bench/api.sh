#!/bin/sh
# bench/api.sh - the REST API under load: wrk (Debian package) with 64
# connections on loopback against GET settings and the engine list, with an
# API key. Prints requests/s and latency percentiles; the goal (issue 15) is
# >= 5,000 requests/s with p99 < 20 ms on 2 cores. A benchmark, not a test:
# nothing is asserted.
#
#   sh bench/api.sh [SECONDS]      (default 10 per endpoint)
set -e
SECS=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
command -v wrk >/dev/null 2>&1 || { echo "wrk missing: apt-get install wrk" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-bench-api.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT INT TERM

DOPPEL_PASSWORD=bench-owner-pw "$DOPPEL" user add bench --role owner --store "$T/store.db" >/dev/null
"$DOPPEL" -q serve --listen 127.0.0.1:0 --store "$T/store.db" --threads "${THREADS:-2}" \
	--max-connections 512 2>"$T/log" &
PID=$!
for _ in $(seq 1 100); do
	PORT=$(sed -n 's/^doppel serve: listening on 127.0.0.1 port \([0-9]*\).*/\1/p' "$T/log")
	[ -n "$PORT" ] && break; sleep 0.1
done
B="http://127.0.0.1:$PORT/api/v1"
curl -s -c "$T/jar" -H 'Content-Type: application/json' \
	-d '{"username":"bench","password":"bench-owner-pw"}' "$B/auth/" >"$T/login"
CSRF=$(jq -r .csrf_token "$T/login")
KEY=$(curl -s -b "$T/jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
	-d '{"name":"bench"}' "$B/api-keys/" | jq -r .key)
for i in $(seq 1 20); do
	curl -s -H "Authorization: Api-Key $KEY" -H 'Content-Type: application/json' -d "{\"name\":\"e$i\",
	  \"source\":{\"connector_type\":\"sqlite\",\"database\":\"/tmp/s$i.db\"},
	  \"target\":{\"connector_type\":\"sqlite\",\"database\":\"/tmp/t$i.db\"}}" "$B/engine/" >"$T/e$i"
done
ID=$(jq -r .id "$T/e1")
echo "doppel serve, ${THREADS:-2} threads, $(nproc) cores, wrk -t2 -c64 -d${SECS}s --latency"
for p in "/engine/$ID/settings/" "/engine/"; do
	wrk -t2 -c64 -d"${SECS}s" --latency -H "Authorization: Api-Key $KEY" "$B$p" >"$T/wrk" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$T/wrk")
	p50=$(awk '$1 == "50%" { print $2 }' "$T/wrk"); p99=$(awk '$1 == "99%" { print $2 }' "$T/wrk")
	errs=$(grep -E 'Non-2xx|Socket errors' "$T/wrk" | tr -s ' ' | tr '\n' ';')
	echo "GET $p: $rps requests/s, p50 $p50, p99 $p99 ${errs:+($errs)}"
done
