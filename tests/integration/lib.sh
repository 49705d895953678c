# tests/integration/lib.sh - sourced by every integration script.
#
# Checks print "ok - name" or "not ok - name" (+ details); run_all.sh counts
# them. Each script gets a private temp dir $T removed at exit.
: "${DOPPEL:?DOPPEL must point at the doppel binary}"
: "${DOPPEL_DATA:?DOPPEL_DATA must point at tests/data}"
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-it.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
CHINOOK="$DOPPEL_DATA/chinook/Chinook_Sqlite.sqlite"
OUT="$T/out.txt"
ERR="$T/err.txt"

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	shift
	[ $# -gt 0 ] && echo "    $*"
	[ -s "$OUT" ] && sed 's/^/    stdout: /' "$OUT" | tail -15
	[ -s "$ERR" ] && sed 's/^/    stderr: /' "$ERR" | tail -15
	return 0
}

# run CMD...: run the command, capture stdout/stderr in $OUT/$ERR, set $RC
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# expect_ok NAME CMD...: command must exit 0
expect_ok() {
	name=$1; shift
	run "$@"
	if [ "$RC" = 0 ]; then ok "$name"; else not_ok "$name" "exit $RC, expected 0"; fi
}

# expect_fail NAME EXIT PATTERN CMD...: exit code EXIT and stderr matching
# the grep -E PATTERN (the message must name the culprit)
expect_fail() {
	name=$1; code=$2; pat=$3; shift 3
	run "$@"
	if [ "$RC" != "$code" ]; then
		not_ok "$name" "exit $RC, expected $code"
	elif ! grep -Eq -- "$pat" "$ERR"; then
		not_ok "$name" "stderr does not match /$pat/"
	else
		ok "$name"
	fi
}

# check NAME EXPECTED ACTUAL (a query error on either side is a failure, so
# two identical error messages never pass as equal results)
check() {
	case "$2$3" in
	*"ERROR"*|*"Error:"*|*"error:"*) not_ok "$1" "query failed: [$2] [$3]"; return 0;;
	esac
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected [$2], got [$3]"; fi
}

# q DB SQL: one value from sqlite3
q() { sqlite3 -batch -noheader "$1" "$2" 2>&1; }

# engine FILE JSON: write an engine file
engine() { printf '%s\n' "$2" >"$1"; }

# file_sum FILE: content hash (to prove a file was not modified)
file_sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
