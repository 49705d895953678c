#!/bin/sh
# Format-preserving masking (FF1), unique columns staying unique at 1M rows,
# key_generation_method hash with default_consistent_integer_shuffle_threshold,
# text keys mapped consistently through their references.
. "$(dirname "$0")/lib.sh"

# ---- 1M rows: unique integer and short unique text columns ----
U="$T/u.db"
sqlite3 "$U" "CREATE TABLE acct (id INTEGER PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
  code VARCHAR(12) NOT NULL UNIQUE, phone TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000000)
 INSERT INTO acct SELECT i, 1000000000 + i * 7919 % 9000000000, printf('AB-%06d-%s', i % 1000000, char(65 + i / 1000000 % 26, 65 + i % 26)),
   printf('+31 6 %04d %04d', i % 10000, i / 10000) FROM s;"
check "1M-row source built" "1000000|1000000|1000000" "$(q "$U" 'SELECT count(*), count(DISTINCT number), count(DISTINCT code) FROM acct')"
engine "$T/u.json" "{\"seed_value\": 9, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$U\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/u-out.db\"},
 \"tables\": {\"acct\": {\"columns\": {\"number\": \"mask:hash\", \"code\": \"mask:fpe\", \"phone\": \"mask:fpe\"}}}}"
expect_ok "1M rows masked (mask:hash on a unique integer, mask:fpe on a unique code)" "$DOPPEL" run -c "$T/u.json" --no-progress
check "unique integer column stays unique at 1M rows" "1000000" "$(q "$T/u-out.db" 'SELECT count(DISTINCT number) FROM acct')"
check "unique 12-character code stays unique at 1M rows" "1000000" "$(q "$T/u-out.db" 'SELECT count(DISTINCT code) FROM acct')"
check "integers keep their width" "0" "$(q "$T/u-out.db" 'SELECT count(*) FROM acct WHERE length(number) <> 10')"
check "codes keep their shape (AA-999999-AA)" "0" "$(q "$T/u-out.db" "SELECT count(*) FROM acct WHERE code NOT GLOB '[A-Z][A-Z]-[0-9][0-9][0-9][0-9][0-9][0-9]-[A-Z][A-Z]'")"
check "phones keep their shape" "0" "$(q "$T/u-out.db" "SELECT count(*) FROM acct WHERE phone NOT GLOB '+[0-9][0-9] [0-9] [0-9][0-9][0-9][0-9] [0-9][0-9][0-9][0-9]'")"
n=$(q "$T/u-out.db" "ATTACH '$U' AS s; SELECT count(*) FROM acct a JOIN s.acct o ON o.id = a.id WHERE o.code = a.code OR o.number = a.number")
[ "$n" -le 2 ] && ok "masked values differ from the source ($n fixed points of the bijections in 2M values)" || not_ok "masked differ" "$n"

# ---- mask:fpe is consistent across tables: joins on masked values hold ----
engine "$T/c.json" "{\"seed_value\": 9, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/c.db\"},
 \"tables\": {\"Customer\": {\"columns\": {\"PostalCode\": \"mask:fpe\"}}, \"Invoice\": {\"columns\": {\"BillingPostalCode\": \"mask:fpe\"}}}}"
expect_ok "mask:fpe on Chinook postcodes" "$DOPPEL" run -c "$T/c.json" --no-progress
check "same postcode, same mask in Customer and Invoice" \
	"$(q "$CHINOOK" 'SELECT count(*) FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId WHERE c.PostalCode = i.BillingPostalCode')" \
	"$(q "$T/c.db" 'SELECT count(*) FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId WHERE c.PostalCode = i.BillingPostalCode')"
check "no source postcode survives" "0" "$(q "$T/c.db" "ATTACH '$CHINOOK' AS s; SELECT count(*) FROM Customer c JOIN s.Customer o ON o.CustomerId = c.CustomerId WHERE o.PostalCode = c.PostalCode AND length(o.PostalCode) > 3")"
engine "$T/c2.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/c2.db\"}, \"tables\": {\"Invoice\": {\"columns\": {\"InvoiceDate\": \"mask:fpe\"}}}}"
expect_fail "mask:fpe on a timestamp is refused naming the column" 2 "Invoice.InvoiceDate: mask:fpe keeps the digits and letters of text and integers" "$DOPPEL" plan -c "$T/c2.json"

# ---- key_generation_method hash: shuffle below the threshold, permutation above ----
khash() {   # name, extra settings
	engine "$T/$1.json" "{\"seed_value\": 9, \"use_seed\": true, \"key_generation_method\": \"hash\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"} $2}"
	run "$DOPPEL" -v run -c "$T/$1.json" --no-progress
}
khash ks ""
grep -q "key map Customer.CustomerId: seeded shuffle of the key range" "$ERR" \
	&& ok "default_consistent_integer_shuffle_threshold (1000000): small key ranges are shuffled" || not_ok "shuffle log"
check "shuffled keys stay inside the source range and unique" "59|59|1" \
	"$(q "$T/ks.db" 'SELECT count(*), count(DISTINCT CustomerId), max(CustomerId) <= 59 FROM Customer')"
check "FKs follow the shuffle (no violation)" "" "$(q "$T/ks.db" 'PRAGMA foreign_key_check')"
khash kp ', "default_consistent_integer_shuffle_threshold": 10'
grep -q "key map Customer.CustomerId: keyed permutation of the decimal width" "$ERR" \
	&& ok "default_consistent_integer_shuffle_threshold 10: a keyed permutation instead" || not_ok "permutation log"
check "permuted keys unique, FKs follow" "59" "$(q "$T/kp.db" 'SELECT count(DISTINCT CustomerId) FROM Customer')"
check "permuted keys: no FK violation" "" "$(q "$T/kp.db" 'PRAGMA foreign_key_check')"
[ "$(q "$T/ks.db" 'SELECT group_concat(CustomerId) FROM Customer')" != "$(q "$T/kp.db" 'SELECT group_concat(CustomerId) FROM Customer')" ] \
	&& ok "the threshold changes the mapping" || not_ok "threshold effect"

# ---- text keys: mapped by FF1, references follow ----
K="$T/k.db"
sqlite3 "$K" "PRAGMA foreign_keys = ON;
 CREATE TABLE country (code TEXT PRIMARY KEY, name TEXT NOT NULL);
 CREATE TABLE city (city_id INTEGER PRIMARY KEY, country TEXT NOT NULL REFERENCES country(code), name TEXT);
 CREATE TABLE visit (country TEXT NOT NULL, city_id INTEGER NOT NULL, day TEXT NOT NULL,
   PRIMARY KEY (country, city_id, day), FOREIGN KEY (country) REFERENCES country(code), FOREIGN KEY (city_id) REFERENCES city(city_id));
 INSERT INTO country VALUES ('NL','Netherlands'),('DE','Germany'),('FR','France'),('BE','Belgium'),('ES','Spain');
 INSERT INTO city VALUES (1,'NL','Utrecht'),(2,'DE','Bonn'),(3,'FR','Lyon'),(4,'NL','Delft'),(5,'ES','Vigo');
 INSERT INTO visit VALUES ('NL',1,'2024-01-02'),('DE',2,'2024-01-03'),('NL',4,'2024-01-03'),('ES',5,'2024-02-01');"
engine "$T/k.json" "{\"seed_value\": 9, \"use_seed\": true, \"key_generation_method\": \"hash\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$K\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/k-out.db\"}}"
"$DOPPEL" plan -c "$T/k.json" >"$T/k.plan" 2>&1
grep -q "code .*mask:fpe.*text or composite key" "$T/k.plan" && ok "plan: the text key is mapped by FF1" || not_ok "plan text key" "$(cat "$T/k.plan")"
expect_ok "text and composite keys hashed" "$DOPPEL" run -c "$T/k.json" --no-progress
check "text keys: references follow (no FK violation)" "" "$(q "$T/k-out.db" 'PRAGMA foreign_key_check')"
check "text keys: unique, same width, none kept" "5|5|0" \
	"$(q "$T/k-out.db" "ATTACH '$K' AS s; SELECT count(*), count(DISTINCT code), (SELECT count(*) FROM country WHERE code IN (SELECT code FROM s.country)) FROM country WHERE length(code) = 2")"
check "composite key rows kept and joinable" "4" "$(q "$T/k-out.db" 'SELECT count(*) FROM visit v JOIN country c ON c.code = v.country JOIN city t ON t.city_id = v.city_id AND t.country = v.country')"

# ---- the wide leak check: source PII values copied elsewhere are found ----
L="$T/leak.db"
sqlite3 "$L" "CREATE TABLE customer (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, city TEXT);
 CREATE TABLE audit (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), contact TEXT, note TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)
 INSERT INTO customer SELECT i, 'person' || i || '@mail.test', printf('+31 6 %04d %04d', i, i * 7), 'City ' || (i % 9) FROM s;
 INSERT INTO audit SELECT id, id, CASE WHEN id % 5 = 0 THEN email ELSE 'desk' END, 'City ' || (id % 9) FROM customer;"
engine "$T/leak.json" "{\"seed_value\": 3, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$L\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/leak-out.db\"},
 \"tables\": {\"customer\": {\"columns\": {\"email\": \"mock:email\", \"phone\": \"mock:phone\"}}, \"audit\": {\"mode\": \"DUPLICATE\"}}}"
expect_ok "leak check: run with a copied e-mail column" "$DOPPEL" run -c "$T/leak.json" --no-progress
grep -q "leak check: 1 column written as it is holds values of the source's PII columns: audit.contact (100)" "$OUT" \
	&& ok "leak check names the copied column and counts its values (100 of 500 rows copy an e-mail)" \
	|| not_ok "leak check names the copied column" "$(grep 'leak check' "$OUT")"
grep -q "person5@mail.test" "$OUT" "$ERR" && not_ok "leak check never prints a value" || ok "leak check never prints a value"
# cities are no identifying kind: audit.note (a copy of city values) is no hit
grep -q "audit.note" "$OUT" && not_ok "a common value (city) is no leak" || ok "a common value (city) is no leak"
expect_ok "leak check in --json" "$DOPPEL" run -c "$T/leak.json" --no-progress --json
grep -q '"column":[[:space:]]*"audit.contact"' "$OUT" && grep -q '"values":[[:space:]]*100' "$OUT" && grep -q '"share_checked":[[:space:]]*1' "$OUT" \
	&& ok "--json: leak_check.columns lists audit.contact with 100 values, all values checked" \
	|| not_ok "--json leak_check" "$(grep -A8 leak_check "$OUT")"
# masked cleanly: nothing copied, nothing found; unflagged text columns are named
engine "$T/leak2.json" "{\"seed_value\": 3, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$L\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/leak2-out.db\"},
 \"tables\": {\"customer\": {\"columns\": {\"email\": \"mock:email\", \"phone\": \"mock:phone\"}}, \"audit\": {\"columns\": {\"contact\": \"mock:email\"}}}}"
expect_ok "leak check: run with every copy masked" "$DOPPEL" run -c "$T/leak2.json" --no-progress
grep -q "leak check: no value of the source's identifying PII columns is in a column written as it is" "$OUT" \
	&& ok "leak check: nothing found when every copy is masked" || not_ok "leak check clean" "$(grep 'leak' "$OUT")"
grep -q "left as they are (nothing flagged them): 1 text column: audit.note" "$OUT" \
	&& ok "summary names the text columns left as they are" || not_ok "unflagged columns named" "$(grep 'left as' "$OUT")"
