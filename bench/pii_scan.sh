#!/bin/sh
# bench/pii_scan.sh - precision and recall of the PII scan (`doppel inspect
# --pii`: column-name rules, value patterns with checksums, name
# dictionaries) on Chinook (SQLite), Pagila (PostgreSQL 15, started here on a
# free loopback port), UCI Adult (SQLite) and the PII fixtures of
# tests/data/pii (camelCase names, split birth dates, event dates that are no
# birth dates, a CHAR(6) birth number, account numbers, coordinates; SQLite),
# against bench/pii_truth.tsv and tests/data/pii/truth.tsv.
# A column counts as detected when the scan gives it any PII kind; "kind ok"
# counts true positives whose kind matches the truth (ssn = national_id).
# PII_SCAN_NO_PG=1 skips Pagila (no PostgreSQL needed).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
DOPPEL_DATA=${DOPPEL_DATA:-$ROOT/tests/data}
export DOPPEL DOPPEL_DATA
. "$ROOT/tests/integration/lib.sh"
. "$ROOT/tests/integration/servers.sh"
TRUTH="$T/truth.tsv"
{ cat "$ROOT/bench/pii_truth.tsv"
  awk -F'\t' '!/^#/ && NF >= 2 { print "fixtures\t" $1 "\t" $2 }' "$ROOT/tests/data/pii/truth.tsv"; } >"$TRUTH"
DATASETS="chinook pagila adult fixtures"

scan() {   # dataset, URL
	"$DOPPEL" -q inspect --pii --json "$2" >"$T/$1.json"
	sqlite3 :memory: "SELECT json_extract(value, '\$.table') || '.' || json_extract(value, '\$.column') || '	' ||
	  coalesce(json_extract(value, '\$.pii_kind'), '-') FROM json_each(readfile('$T/$1.json'))" >"$T/$1.det"
}

sh "$DOPPEL_DATA/adult/load.sh" "$T/adult.db"
scan chinook "$DOPPEL_DATA/chinook/Chinook_Sqlite.sqlite"
scan adult "$T/adult.db"
sqlite3 "$T/fixtures.db" <"$DOPPEL_DATA/pii/fixtures.sql"
scan fixtures "$T/fixtures.db"
if [ -n "${PII_SCAN_NO_PG:-}" ]; then
	DATASETS="chinook adult fixtures"
else
	start_pg >/dev/null 2>&1 || { echo "cannot start PostgreSQL" >&2; exit 1; }
	psql -q -c "CREATE ROLE postgres" -c "CREATE DATABASE pagila" >/dev/null
	psql -q -d pagila -f "$DOPPEL_DATA/pagila/pagila-schema.sql" >/dev/null 2>&1
	psql -q -d pagila -f "$DOPPEL_DATA/pagila/pagila-data.sql" >/dev/null 2>&1
	scan pagila "postgresql://doppel@127.0.0.1:$PGPORT/pagila"
fi

printf '%-9s %7s %4s %4s %4s %4s %9s %7s %8s\n' dataset columns TP FP FN TN precision recall "kind ok"
for d in $DATASETS; do
	awk -F'\t' -v d="$d" -v out="$T/$d.fp" '
		FNR == NR { if ($1 == d) truth[$2] = $3; next }
		{ n++; pos = ($1 in truth); det = ($2 != "-")
		  k = $2; if (k == "ssn") k = "national_id"; t = truth[$1]; if (t == "ssn") t = "national_id"
		  if (pos && det) { tp++; if (k == t) kok++; else print "  kind: " $1 " (" $2 ", truth " truth[$1] ")" >> out }
		  else if (det) { fp++; print "  false positive: " $1 " (" $2 ")" >> out }
		  else if (pos) { fn++; print "  missed: " $1 " (" truth[$1] ")" >> out }
		  else tn++ }
		END { p = tp + fp ? tp / (tp + fp) : 1; r = tp + fn ? tp / (tp + fn) : 1
		      printf "%-9s %7d %4d %4d %4d %4d %9.2f %7.2f %8s\n", d, n, tp, fp, fn, tn, p, r, (tp ? kok "/" tp : "-") }' \
		"$TRUTH" "$T/$d.det"
done
for d in $DATASETS; do
	[ -s "$T/$d.fp" ] && { echo "$d:"; cat "$T/$d.fp"; }
done
exit 0
