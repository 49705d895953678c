#!/bin/sh
# SYNTHESIZE with MariaDB (real MariaDB 10.11 started here): Chinook MySQL ->
# MySQL synthesized as sequence trees, every FK created by MariaDB and
# checked; MySQL -> SQLite gives the same rows as with a SQLite source of the
# same data when the seed is the same.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
ok "MariaDB started on 127.0.0.1:$MY_PORT"
my <"$DOPPEL_DATA/chinook/Chinook_MySql.sql" >"$T/load.log" && ok "Chinook loaded into MariaDB" || not_ok "load Chinook" "$(tail -3 "$T/load.log")"
my -e "CREATE DATABASE syn1"
MYSRC="\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"Chinook\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}"
ge() { [ "$(q ':memory:' "SELECT ($1) >= ($2)")" = 1 ]; }

engine "$T/a.json" "{\"seed_value\": 8, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", \"default_min_sample_size\": 5, $MYSRC,
 \"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"syn1\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}}"
expect_ok "Chinook MySQL -> MySQL synthesized" "$DOPPEL" run -c "$T/a.json" --no-progress --no-report
check "MariaDB holds the FKs of Chinook on the synthesized target" "11" \
	"$(my -e "SELECT count(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'syn1'")"
check "no invoice line without its invoice" "0" \
	"$(my -e 'SELECT count(*) FROM syn1.InvoiceLine l LEFT JOIN syn1.Invoice i ON i.InvoiceId = l.InvoiceId WHERE i.InvoiceId IS NULL')"
n=$(my -e 'SELECT count(*) FROM syn1.Invoice')
ge "$n" 300 && ge 550 "$n" && ok "MySQL: invoices generated per customer: $n (source 412)" || not_ok "invoices" "$n"
check "MySQL: decimal prices keep two decimals" "0" "$(my -e 'SELECT count(*) FROM syn1.Invoice WHERE Total <> round(Total, 2)')"
check "MySQL: no source e-mail in synthesized customers" "0" \
	"$(my -e 'SELECT count(*) FROM syn1.Customer WHERE Email IN (SELECT Email FROM Chinook.Customer)')"

engine "$T/b.json" "{\"seed_value\": 8, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", \"default_min_sample_size\": 5, $MYSRC,
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/b.db\"}}"
mkdir -p "$T/rb"
expect_ok "Chinook MySQL -> SQLite synthesized" "$DOPPEL" run -c "$T/b.json" --no-progress --report-dir "$T/rb"
check "MySQL -> SQLite: no FK violation" "" "$(q "$T/b.db" 'PRAGMA foreign_key_check')"
check "same seed, MySQL or SQLite target: same invoices" "$(my -e 'SELECT count(*), sum(CustomerId) FROM syn1.Invoice' | tr '\t' '|')" \
	"$(q "$T/b.db" 'SELECT count(*), sum(CustomerId) FROM Invoice')"
grep -q '"children_per_parent"' "$T/rb/report.json" && ok "report scores the sequences" || not_ok "report sequences"
