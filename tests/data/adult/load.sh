#!/bin/sh
# Load tests/data/adult/adult.csv into a new SQLite database $1 as table
# "adult" with typed columns (integers as INTEGER, the rest TEXT).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
db=$1
rm -f "$db"
sqlite3 "$db" <<SQL
CREATE TABLE adult (
  id INTEGER PRIMARY KEY,
  age INTEGER NOT NULL, workclass TEXT, fnlwgt INTEGER NOT NULL, education TEXT NOT NULL,
  education_num INTEGER NOT NULL, marital_status TEXT NOT NULL, occupation TEXT,
  relationship TEXT NOT NULL, race TEXT NOT NULL, sex TEXT NOT NULL,
  capital_gain INTEGER NOT NULL, capital_loss INTEGER NOT NULL,
  hours_per_week INTEGER NOT NULL, native_country TEXT, income TEXT NOT NULL);
CREATE TEMP TABLE raw (age, workclass, fnlwgt, education, education_num, marital_status,
  occupation, relationship, race, sex, capital_gain, capital_loss, hours_per_week,
  native_country, income);
.mode csv
.import --skip 1 $here/adult.csv raw
INSERT INTO adult (age, workclass, fnlwgt, education, education_num, marital_status,
  occupation, relationship, race, sex, capital_gain, capital_loss, hours_per_week,
  native_country, income)
SELECT CAST(age AS INTEGER), NULLIF(workclass, '?'), CAST(fnlwgt AS INTEGER), education,
  CAST(education_num AS INTEGER), marital_status, NULLIF(occupation, '?'), relationship,
  race, sex, CAST(capital_gain AS INTEGER), CAST(capital_loss AS INTEGER),
  CAST(hours_per_week AS INTEGER), NULLIF(native_country, '?'), income FROM raw;
SQL
