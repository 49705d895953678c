#!/bin/sh
# bench/synth_adult.sh - SYNTHESIZE on UCI Adult (32,561 rows x 15 columns):
# training and generation time, wall time and peak memory of the whole run
# (read from SQLite, train, generate, write, score), and the report's
# quality and privacy figures. Targets (issue 5): under 3 s on 2 cores,
# quality >= 0.95, DCR share <= 0.53.
#
#   sh bench/synth_adult.sh [SEED...]      (default: 1 2 3)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-synth.XXXXXX")
. "$ROOT/bench/lib.sh"
trap 'rm -rf "$T"' EXIT
sh "$ROOT/tests/data/adult/load.sh" "$T/adult.db"
[ $# -gt 0 ] || set -- 1 2 3
rj() { sqlite3 :memory: "SELECT printf('%.3f', json_extract(readfile('$T/report.json'), '$1'))"; }
echo "UCI Adult: $(sqlite3 "$T/adult.db" 'SELECT count(*) FROM adult') rows, $(nproc) cores"
printf '%-5s %9s %9s %9s %8s %8s %8s %8s %9s\n' seed train_s gen_s wall_s maxRSS quality shapes pairs dcr_share
for seed in "$@"; do
	cat >"$T/e.json" <<J
{"seed_value": $seed, "use_seed": true, "initialization_mode": "SYNTHESIZE",
 "source": {"connector_type": "sqlite", "database": "$T/adult.db"},
 "target": {"connector_type": "sqlite", "database": "$T/syn.db"}}
J
	/usr/bin/time -f "%M %e" -o "$T/time" "$DOPPEL" -q run -c "$T/e.json" --no-progress --report-dir "$T" >/dev/null
	read -r kb s <"$T/time"
	printf '%-5s %9s %9s %9s %5d MB %8s %8s %8s %9s\n' "$seed" "$(rj '$.tables[0].training_seconds')" \
		"$(rj '$.tables[0].generation_seconds')" "$s" $((kb / 1024)) "$(rj '$.tables[0].quality.overall')" \
		"$(rj '$.tables[0].quality.column_shapes')" "$(rj '$.tables[0].quality.column_pair_trends')" \
		"$(rj '$.tables[0].privacy.dcr_share')"
	rm -f "$T/syn.db"
	result "SYNTHESIZE UCI Adult, seed $seed (quality $(rj '$.tables[0].quality.overall'))" "$s" - - 32561 $((kb / 1024))
done
echo "identical-to-training share (last run): $(rj '$.tables[0].privacy.identical_to_training_share'), holdout baseline $(rj '$.tables[0].privacy.holdout_identical_to_training_share')"
