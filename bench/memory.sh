#!/bin/sh
# bench/memory.sh - peak memory (max RSS) of a run at growing table sizes.
# Memory is bounded by settings (batch size x batches in flight x workers),
# not by table size: the peaks should stay within a few MB of each other.
#
#   sh bench/memory.sh [ROWS...]      (default: 1000000 10000000)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-mem.XXXXXX")
. "$ROOT/bench/lib.sh"
trap 'rm -rf "$T"' EXIT
[ $# -gt 0 ] || set -- 1000000 10000000
printf '%-12s %-12s %10s %10s\n' rows mode "max RSS" seconds
for n in "$@"; do
	rm -f "$T/src.db"
	sqlite3 "$T/src.db" "CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT, city TEXT, amount NUMERIC(10,2));
	  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
	  INSERT INTO people SELECT i, 'Person ' || i, 'p' || i || '@corp.test', 'City ' || (i % 500), (i % 100000) / 100.0 FROM s;"
	for mode in DUPLICATE DE_IDENTIFY SUBSET; do
		sub=
		[ "$mode" = SUBSET ] && sub=', "subset": {"percent": 10}'
		cat >"$T/e.json" <<J
{"seed_value": 1, "use_seed": true, "source": {"connector_type": "sqlite", "database": "$T/src.db"},
 "target": {"connector_type": "sqlite", "database": "$T/t.db"},
 "tables": {"people": {"mode": "$mode"$sub}}}
J
		/usr/bin/time -f "%M %e" -o "$T/time" "$DOPPEL" -q run -c "$T/e.json" --no-progress >/dev/null
		read -r kb s <"$T/time"
		printf '%-12s %-12s %7d MB %10s\n' "$n" "$mode" $((kb / 1024)) "$s"
		result "SQLite $mode$([ "$mode" = SUBSET ] && echo ' 10%'), $n rows (memory)" "$s" - - "$n" $((kb / 1024))
		rm -f "$T/t.db"
	done
done
