#!/bin/sh
# The driver conformance suite (tests/unit/test_conformance.c) against real
# servers started here: PostgreSQL and MariaDB on free loopback ports in a
# temp dir, stopped by pid at exit. Every check of every driver becomes one
# "ok - <driver>: <check>" / "not ok - ..." line; a skipped check is a failure
# here (the servers are meant to be up).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
BIN="${BUILD:-build}/tests/test_conformance"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
[ -x "$BIN" ] || { not_ok "conformance binary $BIN built (make tests)"; exit 1; }

start_pg >"$T/pg-start.log" 2>&1 || { not_ok "start PostgreSQL" "$(tail -3 "$T/pg-start.log")"; exit 1; }
psql -q -c "CREATE DATABASE conformance" >/dev/null 2>&1 || { not_ok "create PostgreSQL database"; exit 1; }
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
my -e "CREATE DATABASE conformance" || { not_ok "create MariaDB database"; exit 1; }

# passwords through the environment, never in the URL (nor in this log)
DOPPEL_TEST_PG_URL="postgresql://doppel@127.0.0.1:$PGPORT/conformance" \
DOPPEL_TEST_MYSQL_URL="mysql://doppel@127.0.0.1:$MY_PORT/conformance" \
MYSQL_PWD="$MY_PW" "$BIN" >"$T/conf.log" 2>&1
rc=$?

# cmocka prints "[       OK ] name", "[  FAILED  ] name", "[  SKIPPED ] name"
# per test (then summary lines that repeat failed/skipped names: ignored
# after the "[==========]" line that ends the run)
awk '
	/^\[==========\] .* run\./ { done = 1 }
	done { next }
	/^\[ RUN      \] / { name = substr($0, 14); msg = ""; next }
	/^\[       OK \] / { print "ok - " substr($0, 14); next }
	/^\[  FAILED  \] / { print "not ok - " substr($0, 14); if (msg != "") print "    " msg; next }
	/^\[  SKIPPED \] / { print "not ok - " substr($0, 14) " (skipped: server not available)"; next }
	{ if (msg == "") msg = $0; else if (length(msg) < 600) msg = msg " | " $0 }
' "$T/conf.log"
n=$(grep -c '^\[       OK \] ' "$T/conf.log")
[ "$n" -ge 34 ] && ok "conformance: all 34 checks ran" || not_ok "conformance: $n checks passed of 34" "$(tail -5 "$T/conf.log")"
[ "$rc" = 0 ] && ok "conformance binary exit status" || not_ok "conformance binary exit status $rc"
