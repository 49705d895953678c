#!/bin/sh
# Load the online-shoppers CSVs into a new SQLite database $1: tables
# shoppers_trn and shoppers_val, typed (integers, reals, text).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
db=$1
rm -f "$db"
for part in trn val; do
	zcat "$here/online-shoppers_$part.csv.gz" >"$db.$part.csv"
	sqlite3 "$db" <<SQL
CREATE TABLE shoppers_$part (
  id INTEGER PRIMARY KEY,
  Administrative INTEGER, Administrative_Duration REAL, Informational INTEGER,
  Informational_Duration REAL, ProductRelated INTEGER, ProductRelated_Duration REAL,
  BounceRates REAL, ExitRates REAL, PageValues REAL, SpecialDay REAL, Month TEXT,
  OperatingSystems INTEGER, Browser INTEGER, Region INTEGER, TrafficType INTEGER,
  VisitorType TEXT, Weekend TEXT, Revenue TEXT);
CREATE TEMP TABLE raw (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18);
.mode csv
.import --skip 1 $db.$part.csv raw
INSERT INTO shoppers_$part (Administrative, Administrative_Duration, Informational,
  Informational_Duration, ProductRelated, ProductRelated_Duration, BounceRates, ExitRates,
  PageValues, SpecialDay, Month, OperatingSystems, Browser, Region, TrafficType, VisitorType,
  Weekend, Revenue)
SELECT CAST(a1 AS INTEGER), CAST(a2 AS REAL), CAST(a3 AS INTEGER), CAST(a4 AS REAL),
  CAST(a5 AS INTEGER), CAST(a6 AS REAL), CAST(a7 AS REAL), CAST(a8 AS REAL), CAST(a9 AS REAL),
  CAST(a10 AS REAL), a11, CAST(a12 AS INTEGER), CAST(a13 AS INTEGER), CAST(a14 AS INTEGER),
  CAST(a15 AS INTEGER), a16, a17, a18 FROM raw;
SQL
	rm -f "$db.$part.csv"
done
