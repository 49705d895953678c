#!/bin/sh
# SYNTHESIZE with PostgreSQL (real PostgreSQL 15 started here): UCI Adult
# loaded into PG and synthesized PG -> PG and PG -> SQLite; Chinook PG
# synthesized into PG with every FK created and verified by PostgreSQL.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg || { not_ok "start PostgreSQL"; exit 1; }
ok "PostgreSQL started on 127.0.0.1:$PGPORT"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
psql -q -c "CREATE DATABASE adult" -c "CREATE DATABASE syn" -c "CREATE DATABASE chsyn" >/dev/null
pg adult "CREATE TABLE adult (id serial PRIMARY KEY, age integer NOT NULL, workclass text,
  fnlwgt integer NOT NULL, education text NOT NULL, education_num integer NOT NULL,
  marital_status text NOT NULL, occupation text, relationship text NOT NULL, race text NOT NULL,
  sex text NOT NULL, capital_gain integer NOT NULL, capital_loss integer NOT NULL,
  hours_per_week integer NOT NULL, native_country text, income text NOT NULL,
  weight numeric(10,2) NOT NULL DEFAULT 0, surveyed date NOT NULL DEFAULT DATE '1994-01-01')" >/dev/null
pg adult "\\copy adult (age, workclass, fnlwgt, education, education_num, marital_status, occupation, relationship, race, sex, capital_gain, capital_loss, hours_per_week, native_country, income) FROM '$DOPPEL_DATA/adult/adult.csv' WITH (FORMAT csv, HEADER true, NULL '?')" >"$T/copy.log" 2>&1
# a decimal and a date column with a dependency, to cover PG numeric/date text
pg adult "UPDATE adult SET weight = round(fnlwgt / 1000.0, 2), surveyed = DATE '1994-01-01' + (age * 3)" >/dev/null
check "Adult loaded into PostgreSQL" "32561|30725" "$(pg adult 'SELECT count(*), count(workclass) FROM adult')"
PGSRC="\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"adult\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"
pgtgt() { echo "\"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
ge() { [ "$(q ':memory:' "SELECT ($1) >= ($2)")" = 1 ]; }
rj() { q ":memory:" "SELECT json_extract(readfile('$1'), '$2')"; }

engine "$T/a.json" "{\"seed_value\": 4, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", $PGSRC, $(pgtgt syn)}"
mkdir -p "$T/ra"
expect_ok "Adult PG -> PG synthesized" "$DOPPEL" run -c "$T/a.json" --no-progress --report-dir "$T/ra"
check "PG target: as many rows" "32561" "$(pg syn 'SELECT count(*) FROM adult')"
QUAL=$(rj "$T/ra/report.json" '$.tables[0].quality.overall')
ge "$QUAL" 0.95 && ok "PG Adult quality $QUAL >= 0.95" || not_ok "PG quality" "$QUAL"
check "numeric(10,2) kept its scale" "0" "$(pg syn "SELECT count(*) FROM adult WHERE weight <> round(weight, 2)")"
n=$(pg syn "SELECT count(*) FROM adult WHERE surveyed < DATE '1994-01-01' OR surveyed > DATE '1995-01-01'")
check "dates within the source range (clipped)" "0" "$n"
r=$(pg syn "SELECT round(corr(fnlwgt, weight)::numeric, 2) FROM adult")
ge "$r" 0.9 && ok "dependency fnlwgt ~ weight kept (corr $r)" || not_ok "corr" "$r"
check "the identity continues after the generated keys" "32562" "$(pg syn "SELECT nextval(pg_get_serial_sequence('adult', 'id'))")"

engine "$T/b.json" "{\"seed_value\": 4, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", $PGSRC,
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/b.db\"}}"
expect_ok "Adult PG -> SQLite synthesized" "$DOPPEL" run -c "$T/b.json" --no-progress --no-report
check "PG -> SQLite: same synthetic rows as PG -> PG (same seed)" \
	"$(pg syn "SELECT sum(age), sum(fnlwgt), count(DISTINCT occupation) FROM adult" | tr '|' ' ')" \
	"$(q "$T/b.db" "SELECT sum(age), sum(fnlwgt), count(DISTINCT occupation) FROM adult" | tr '|' ' ')"

psql -q -v ON_ERROR_STOP=1 -f "$DOPPEL_DATA/chinook/Chinook_PostgreSql.sql" >"$T/load.log" 2>&1 || not_ok "load Chinook"
engine "$T/c.json" "{\"seed_value\": 4, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", \"default_min_sample_size\": 5,
 \"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"chinook\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"},
 $(pgtgt chsyn)}"
expect_ok "Chinook PG -> PG synthesized (customer -> invoice -> invoice_line)" "$DOPPEL" run -c "$T/c.json" --no-progress --no-report
check "PG created every FK of Chinook on the synthesized target" "11" "$(pg chsyn "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")"
n=$(pg chsyn "SELECT count(*) FROM invoice_line")
ge "$n" 1500 && ok "invoice_line rows generated per invoice: $n" || not_ok "invoice_line" "$n"
check "no invoice without its customer" "0" "$(pg chsyn 'SELECT count(*) FROM invoice i LEFT JOIN customer c USING (customer_id) WHERE c.customer_id IS NULL')"
engine "$T/d.json" "{\"seed_value\": 4, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\", \"default_min_sample_size\": 5, \"default_drop_indexes\": false,
 \"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"chinook\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"},
 $(pgtgt chsyn)}"
expect_ok "Chinook synthesized with FKs enforced during the load (parents flushed first)" "$DOPPEL" run -c "$T/d.json" --no-progress --no-report

