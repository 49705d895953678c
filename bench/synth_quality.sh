#!/bin/sh
# bench/synth_quality.sh - SYNTHESIZE fidelity and privacy on the held-out
# protocol, with the team's evaluator (../shared/tools/quality.py: SDMetrics
# Column Shapes + Column Pair Trends, DCR share against a holdout), default
# settings:
#   UCI Adult: split 75/25 by a fixed seeded hash of the row, trained on the 75%
#   online shoppers: trained on _trn, scored against _val
# Goal (issue 18): quality >= 0.99 and DCR share <= 0.52 on each. Nothing is
# asserted. QUALITY_PY overrides the evaluator's path.
#
#   sh bench/synth_quality.sh [SEED]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
QUALITY_PY=${QUALITY_PY:-$ROOT/../shared/tools/quality.py}
SEED=${1:-1}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
[ -f "$QUALITY_PY" ] || { echo "no evaluator at $QUALITY_PY (set QUALITY_PY)" >&2; exit 2; }
# the evaluator needs pandas, scipy and scikit-learn (Debian: python3-pandas
# python3-scipy python3-sklearn); the system python has them when a local
# python3 earlier on PATH does not
PY=${PYTHON:-python3}
$PY -c 'import pandas, scipy, sklearn' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import pandas, scipy, sklearn' 2>/dev/null || { echo "needs python3-pandas python3-scipy python3-sklearn" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-quality.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$ROOT/bench/lib.sh"

csv() {   # db, query, file
	sqlite3 -header -csv "$1" "$2" >"$3"
}
one() {   # name, source db, table, train query, holdout query, columns
	name=$1 db=$2 table=$3
	csv "$db" "$4" "$T/$name.trn.csv"
	csv "$db" "$5" "$T/$name.hold.csv"
	# the source doppel sees: the training rows only
	rm -f "$T/$name.src.db" "$T/$name.syn.db"
	sqlite3 "$db" ".schema $table" | sed "s/CREATE TABLE $table/CREATE TABLE $name/" | sqlite3 "$T/$name.src.db"
	sqlite3 "$T/$name.src.db" "ATTACH '$db' AS o; INSERT INTO $name SELECT * FROM o.$table WHERE id IN (SELECT id FROM o.$table WHERE $7)"
	cat >"$T/$name.json" <<J
{"seed_value": $SEED, "use_seed": true, "initialization_mode": "SYNTHESIZE",
 "source": {"connector_type": "sqlite", "database": "$T/$name.src.db"},
 "target": {"connector_type": "sqlite", "database": "$T/$name.syn.db"}}
J
	t0=$(now)
	/usr/bin/time -f "%M" -o "$T/$name.rss" "$DOPPEL" -q run -c "$T/$name.json" --no-progress --no-report >/dev/null
	s=$(secs "$t0" "$(now)")
	csv "$T/$name.syn.db" "SELECT $6 FROM $name" "$T/$name.syn.csv"
	$PY "$QUALITY_PY" "$T/$name.trn.csv" "$T/$name.syn.csv" --holdout "$T/$name.hold.csv" --json >"$T/$name.q.json"
	q=$($PY -c "import json; d = json.load(open('$T/$name.q.json')); print('%.4f %.4f %.4f %.4f' % (d.get('overall', d.get('quality', -1)), d.get('column_shapes', -1), d.get('column_pair_trends', -1), d.get('dcr_share', -1)))")
	set -- $q
	printf '%-16s quality %s (shapes %s, pairs %s)  DCR share %s  %6.2f s  %s MB\n' "$name" "$1" "$2" "$3" "$4" "$s" "$(rss_mb "$T/$name.rss")"
	result "SYNTHESIZE $name: quality $1, DCR share $4 (goal >= 0.99, <= 0.52)" "$s" - - \
		"$(( $(wc -l <"$T/$name.trn.csv") - 1 ))" "$(rss_mb "$T/$name.rss")"
}

sh "$ROOT/tests/data/adult/load.sh" "$T/adult.db"
ACOLS="age, workclass, fnlwgt, education, education_num, marital_status, occupation, relationship, race, sex, capital_gain, capital_loss, hours_per_week, native_country, income"
split="((id * 2654435761) % 4294967296) % 4"
one adult "$T/adult.db" adult "SELECT $ACOLS FROM adult WHERE $split <> 0" "SELECT $ACOLS FROM adult WHERE $split = 0" "$ACOLS" "$split <> 0"

sh "$ROOT/tests/data/online-shoppers/load.sh" "$T/shop.db"
SCOLS="Administrative, Administrative_Duration, Informational, Informational_Duration, ProductRelated, ProductRelated_Duration, BounceRates, ExitRates, PageValues, SpecialDay, Month, OperatingSystems, Browser, Region, TrafficType, VisitorType, Weekend, Revenue"
sqlite3 "$T/shop.db" "CREATE TABLE shoppers AS SELECT * FROM shoppers_trn; INSERT INTO shoppers SELECT id + 100000, $SCOLS FROM shoppers_val"
one shoppers "$T/shop.db" shoppers "SELECT $SCOLS FROM shoppers WHERE id < 100000" "SELECT $SCOLS FROM shoppers WHERE id >= 100000" "$SCOLS" "id < 100000"
