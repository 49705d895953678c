#!/bin/sh
# tests/run_all.sh - run every test: cmocka unit tests, fuzz corpus replays,
# integration scripts against real databases. Ends with "N passed, N failed".
#
#   BUILD=build DOPPEL=build/doppel sh tests/run_all.sh [filter]
#
# A filter (substring) limits which tests run.
BUILD=${BUILD:-build}
DOPPEL=${DOPPEL:-$BUILD/doppel}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=$(cd "$(dirname "$DOPPEL")" && pwd)/$(basename "$DOPPEL")
DOPPEL_DATA=${DOPPEL_DATA:-$ROOT/tests/data}
export DOPPEL DOPPEL_DATA ROOT BUILD
FILTER=${1:-}
PASS=0
FAIL=0
FAILED_NAMES=""
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/doppel-tests.XXXXXX")

want() { [ -z "$FILTER" ] || case "$1" in *"$FILTER"*) return 0;; *) return 1;; esac; }

# cmocka binaries: count its [  PASSED  ] / [  FAILED  ] lines.
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	want "$n" || continue
	log="$LOGDIR/$n.log"
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi   # crashed before its summary
	PASS=$((PASS + p)); FAIL=$((FAIL + f))
	if [ "$f" != 0 ]; then
		FAILED_NAMES="$FAILED_NAMES $n"
		echo "FAIL $n ($p passed, $f failed)"; sed 's/^/    /' "$log" | grep -v "^    \[ \(RUN\|       OK\) " | tail -40
	else
		echo "ok   $n ($p passed)"
	fi
done

# fuzz targets replay their corpus (and the crash regressions) as plain programs
for t in "$BUILD"/tests/run_fuzz_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t"); c=${n#run_fuzz_}
	want "$n" || continue
	if "$t" "$ROOT/tests/fuzz/corpus/$c" >"$LOGDIR/$n.log" 2>&1; then
		PASS=$((PASS + 1)); echo "ok   $n ($(tail -1 "$LOGDIR/$n.log"))"
	else
		FAIL=$((FAIL + 1)); FAILED_NAMES="$FAILED_NAMES $n"
		echo "FAIL $n"; tail -20 "$LOGDIR/$n.log" | sed 's/^/    /'
	fi
done

# integration scripts print "ok - name" / "not ok - name" per check
for s in "$ROOT"/tests/integration/test_*.sh; do
	[ -f "$s" ] || continue
	n=$(basename "$s" .sh)
	want "$n" || continue
	log="$LOGDIR/$n.log"
	sh "$s" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $n exited $rc" >>"$log"; fi
	PASS=$((PASS + p)); FAIL=$((FAIL + f))
	if [ "$f" != 0 ]; then
		FAILED_NAMES="$FAILED_NAMES $n"
		echo "FAIL $n ($p passed, $f failed)"
		grep -B2 -A12 '^not ok - ' "$log" | sed 's/^/    /' | head -80
	else
		echo "ok   $n ($p passed)"
	fi
done

[ -n "$FAILED_NAMES" ] && echo "failed:$FAILED_NAMES (logs in $LOGDIR)"
[ -z "$FAILED_NAMES" ] && rm -rf "$LOGDIR"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
