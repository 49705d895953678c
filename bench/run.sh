#!/bin/sh
# bench/run.sh - every benchmark, then one table of what it measured (make
# bench). Each script builds its own data and private server and times the
# reference tool in the same run; nothing is asserted.
#
#   sh bench/run.sh [--smoke] [--readme]
#
# --smoke   the small set (make bench-smoke, under a minute): SQLite and the
#           test PostgreSQL, 200k rows each
# --readme  also write the table into README.md between the bench markers
#           (the README's figures come from this output, with its date)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE=0 README=0
for a in "$@"; do
	case "$a" in
	--smoke) SMOKE=1 ;;
	--readme) README=1 ;;
	*) echo "usage: bench/run.sh [--smoke] [--readme]" >&2; exit 2 ;;
	esac
done
BENCH_OUT=$(mktemp "${TMPDIR:-/tmp}/doppel-bench-out.XXXXXX")
export BENCH_OUT
trap 'rm -f "$BENCH_OUT" "$BENCH_OUT.md"' EXIT
if [ "$SMOKE" = 1 ]; then
	sh "$ROOT/bench/smoke.sh" || echo "bench/smoke.sh failed"
else
	sh "$ROOT/bench/pg_clone.sh" "${BENCH_PG_SCALE:-20}" || echo "bench/pg_clone.sh failed"
	sh "$ROOT/bench/pg_subset.sh" "${BENCH_PG_SCALE:-20}" || echo "bench/pg_subset.sh failed"
	sh "$ROOT/bench/mysql_clone.sh" "${BENCH_MY_ROWS:-1000000}" || echo "bench/mysql_clone.sh failed"
	sh "$ROOT/bench/tunnel.sh" 1000000 || echo "bench/tunnel.sh failed"
	sh "$ROOT/bench/memory.sh" ${BENCH_MEM_ROWS:-1000000 10000000} || echo "bench/memory.sh failed"
	sh "$ROOT/bench/synth_adult.sh" 1 || echo "bench/synth_adult.sh failed"
	sh "$ROOT/bench/synth_quality.sh" || echo "bench/synth_quality.sh failed"
fi
{
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), \`sh bench/run.sh$([ "$SMOKE" = 1 ] && echo ' --smoke')\`:"
	echo
	echo "| workload | doppel s | reference | reference s | ratio | rows/s | peak RSS |"
	echo "|---|---|---|---|---|---|---|"
	# a "|" inside a cell (pg_dump | psql) is escaped for the table
	awk -F'\t' '{ for (i = 1; i <= NF; i++) gsub(/\|/, "\\|", $i)
		printf "| %s | %s | %s | %s | %s | %s | %s MB |\n", $1, $2, $3, $4, ($5 == "-" ? "-" : $5 "x"), $6, $7 }' "$BENCH_OUT"
} >"$BENCH_OUT.md"
echo
cat "$BENCH_OUT.md"
if [ "$README" = 1 ]; then
	marker=$([ "$SMOKE" = 1 ] && echo bench-smoke || echo bench)
	awk -v f="$BENCH_OUT.md" -v b="<!-- $marker:begin -->" -v e="<!-- $marker:end -->" '
		$0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
		$0 == e { skip = 0 }
		!skip' "$ROOT/README.md" >"$ROOT/README.md.tmp" && mv "$ROOT/README.md.tmp" "$ROOT/README.md"
	echo "README.md: $marker section updated"
fi
