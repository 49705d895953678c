#!/bin/sh
# DE_IDENTIFY on the PII fixtures of tests/data/pii (schemas written for no
# test: camelCase names, split birth dates, HR date ranges with '9999-01-01'
# sentinels, a CHAR(6) birth number, Dutch/German/French customers): the
# application logic of the double survives - birth before hire, from <= to,
# widths, CHECKs, fixed-width codes valid - and no detected source value does.
. "$(dirname "$0")/lib.sh"

F="$T/fx.db"
sqlite3 "$F" <"$DOPPEL_DATA/pii/fixtures.sql"
engine "$T/fx.json" "{\"seed_value\": 13, \"use_seed\": true, \"initialization_mode\": \"DE_IDENTIFY\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$F\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/out.db\"}}"
expect_ok "DE_IDENTIFY of the PII fixtures" "$DOPPEL" run -c "$T/fx.json" --no-progress
O="$T/out.db"
src() { q "$O" "ATTACH '$F' AS s; $1"; }

# ---- dates: birth dates masked per row, ordering with unmasked dates kept ----
n=$(src "SELECT count(*) FROM employees e JOIN s.employees o USING (emp_no) WHERE e.birth_date = o.birth_date")
[ "$n" -le 3 ] && ok "birth dates masked ($n of 300 unchanged)" || not_ok "birth dates masked" "$n"
check "birth dates moved back by 1..365 days (never younger)" "0" \
	"$(src "SELECT count(*) FROM employees e JOIN s.employees o USING (emp_no) WHERE julianday(e.birth_date) - julianday(o.birth_date) NOT BETWEEN -365 AND -1")"
check "every employee still born 16 years or more before the hire date" \
	"$(q "$F" "SELECT count(*) FROM employees WHERE date(birth_date, '+16 years') <= hire_date")" \
	"$(q "$O" "SELECT count(*) FROM employees WHERE date(birth_date, '+16 years') <= hire_date")"
check "hire dates, from/to dates and the 9999-01-01 sentinels are no birth dates: copied" "0" \
	"$(src "SELECT (SELECT count(*) FROM employees e JOIN s.employees o USING (emp_no) WHERE e.hire_date <> o.hire_date)
	      + (SELECT count(*) FROM dept_emp d JOIN s.dept_emp o USING (emp_no, dept_no) WHERE d.from_date <> o.from_date OR d.to_date <> o.to_date)
	      + (SELECT count(*) FROM contracts c JOIN s.contracts o USING (contract_id) WHERE c.valid_from <> o.valid_from OR c.order_date <> o.order_date)")"
check "from_date <= to_date everywhere" "0" "$(q "$O" "SELECT count(*) FROM dept_emp WHERE from_date > to_date")"
check "text birth dates keep their shape" "0" "$(q "$O" "SELECT count(*) FROM users WHERE DOB NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'")"
check "German and Dutch birth dates masked" "0" \
	"$(src "SELECT (SELECT count(*) FROM Kunden k JOIN s.Kunden o USING (KundenNr) WHERE k.Geburtsdatum = o.Geburtsdatum)
	      + (SELECT count(*) FROM klanten k JOIN s.klanten o USING (klant_id) WHERE k.geboortedatum = o.geboortedatum)")"
check "a date column with birth-like values but no name is found by its values (contracts.d1)" "0" \
	"$(src "SELECT count(*) FROM contracts c JOIN s.contracts o USING (contract_id) WHERE c.d1 = o.d1")"

# ---- types and widths ----
check "birthCountry / birthState are places, copied, never dates" "0" \
	"$(src "SELECT count(*) FROM People p JOIN s.People o USING (playerID) WHERE p.birthCountry <> o.birthCountry OR p.birthState <> o.birthState OR p.birthCity GLOB '[0-9]*'")"
check "names fit their columns (VARCHAR(14)/(16), users VARCHAR(12))" "0" \
	"$(q "$O" "SELECT (SELECT count(*) FROM employees WHERE length(first_name) > 14 OR length(last_name) > 16)
	             + (SELECT count(*) FROM users WHERE length(FName) > 12 OR length(LName) > 12 OR length(email) > 40)")"
check "gender CHECK (M/F) holds" "0" "$(q "$O" "SELECT count(*) FROM employees WHERE gender NOT IN ('M', 'F')")"
check "CHAR(6) birth numbers stay 6 digits with a valid month (1-12, women 51-62) and day" "0" \
	"$(q "$O" "SELECT count(*) FROM client WHERE length(birth_number) <> 6 OR birth_number GLOB '*[^0-9]*'
	   OR NOT ((CAST(substr(birth_number, 3, 2) AS INTEGER) BETWEEN 1 AND 12) OR (CAST(substr(birth_number, 3, 2) AS INTEGER) BETWEEN 51 AND 62))
	   OR CAST(substr(birth_number, 5, 2) AS INTEGER) NOT BETWEEN 1 AND 31")"
n=$(src "SELECT count(*) FROM client c JOIN s.client o USING (client_id) WHERE c.birth_number = o.birth_number")
[ "$n" -le 3 ] && ok "birth numbers masked ($n of 300 unchanged)" || not_ok "birth numbers masked" "$n"
check "the sex in a birth number is kept (month + 50)" "0" \
	"$(src "SELECT count(*) FROM client c JOIN s.client o USING (client_id) WHERE (CAST(substr(c.birth_number, 3, 2) AS INTEGER) > 50) <> (CAST(substr(o.birth_number, 3, 2) AS INTEGER) > 50)")"
check "account numbers keep their shape (8 digits) and are masked" "0" \
	"$(src "SELECT count(*) FROM trans t JOIN s.trans o USING (trans_id) WHERE length(t.partner_account_no) <> 8 OR t.partner_account_no GLOB '*[^0-9]*' OR t.partner_account_no = o.partner_account_no")"
check "account numbers stay consistent: one source number, one mask" "0" \
	"$(src "SELECT count(*) FROM (SELECT o.partner_account_no, count(DISTINCT t.partner_account_no) n FROM trans t JOIN s.trans o USING (trans_id) GROUP BY 1) WHERE n > 1")"

# ---- names in every spelling masked; names of things left alone ----
check "camelCase, abbreviated and foreign name columns masked" "0" \
	"$(src "SELECT (SELECT count(*) FROM People p JOIN s.People o USING (playerID) WHERE p.nameFirst = o.nameFirst AND p.nameLast = o.nameLast)
	      + (SELECT count(*) FROM users u JOIN s.users o USING (user_id) WHERE u.FName = o.FName AND u.LName = o.LName)
	      + (SELECT count(*) FROM Kunden k JOIN s.Kunden o USING (KundenNr) WHERE k.Vorname = o.Vorname AND k.Nachname = o.Nachname)
	      + (SELECT count(*) FROM klanten k JOIN s.klanten o USING (klant_id) WHERE k.voornaam = o.voornaam AND k.achternaam = o.achternaam)
	      + (SELECT count(*) FROM clients_fr c JOIN s.clients_fr o USING (id) WHERE c.prenom = o.prenom AND c.nom_de_famille = o.nom_de_famille)")"
check "product, genre, track, host and team names copied" "0" \
	"$(src "SELECT (SELECT count(*) FROM products p JOIN s.products o USING (product_id) WHERE p.name <> o.name OR p.filename <> o.filename)
	      + (SELECT count(*) FROM genre g JOIN s.genre o USING (genre_id) WHERE g.name <> o.name)
	      + (SELECT count(*) FROM track t JOIN s.track o USING (track_id) WHERE t.name <> o.name)
	      + (SELECT count(*) FROM servers v JOIN s.servers o USING (server_id) WHERE v.hostname <> o.hostname)
	      + (SELECT count(*) FROM Teams t JOIN s.Teams o USING (teamID) WHERE t.name <> o.name)")"
check "store coordinates are no one's: copied" "0" \
	"$(src "SELECT count(*) FROM stores t JOIN s.stores o USING (store_id) WHERE t.lat <> o.lat")"

# ---- mocks at scale: a thousand customers do not share a few hundred names ----
L="$T/many.db"
sqlite3 "$L" "CREATE TABLE customer (id INTEGER PRIMARY KEY, last_name TEXT NOT NULL, first_name TEXT NOT NULL);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)
 INSERT INTO customer SELECT i, 'Surname' || i, 'Given' || i FROM s;"
engine "$T/many.json" "{\"seed_value\": 3, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$L\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/many-out.db\"}}"
expect_ok "20,000 customers mocked" "$DOPPEL" run -c "$T/many.json" --no-progress
n=$(q "$T/many-out.db" "SELECT count(DISTINCT last_name) FROM customer")
[ "$n" -ge 5000 ] && ok "20,000 distinct surnames get $n distinct mock surnames (weighted Census dictionary)" || not_ok "distinct mock surnames" "$n"
n=$(q "$T/many-out.db" "SELECT count(DISTINCT first_name) FROM customer")
[ "$n" -ge 1000 ] && ok "and $n distinct given names" || not_ok "distinct mock given names" "$n"

# ---- one date shift per person, across tables (the row's entity) ----
H="$T/hr.db"
sqlite3 "$H" "CREATE TABLE employees (emp_no INTEGER PRIMARY KEY, birth_date DATE NOT NULL, first_name TEXT, hire_date DATE NOT NULL);
 CREATE TABLE dept_emp (emp_no INTEGER NOT NULL REFERENCES employees(emp_no), dept_no TEXT NOT NULL,
   from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no));
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300)
 INSERT INTO employees SELECT i, date('1960-01-01', '+' || (i * 37 % 9000) || ' days'), 'N' || i,
   date('1990-01-01', '+' || (i * 13 % 5000) || ' days') FROM s;
 INSERT INTO dept_emp SELECT emp_no, 'd00' || (emp_no % 9), hire_date, date(hire_date, '+' || (emp_no % 700) || ' days') FROM employees;
 INSERT INTO dept_emp SELECT emp_no, 'd01x', date(hire_date, '+800 days'), '9999-01-01' FROM employees WHERE emp_no % 3 = 0;"
engine "$T/hr.json" "{\"seed_value\": 4, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$H\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/hr-out.db\"},
 \"tables\": {\"employees\": {\"columns\": {\"hire_date\": \"mask:date_shift\"}},
  \"dept_emp\": {\"columns\": {\"from_date\": \"mask:date_shift\", \"to_date\": \"mask:date_shift\"}}}}"
expect_ok "dates of one person in two tables masked" "$DOPPEL" run -c "$T/hr.json" --no-progress --no-report
check "one shift per person across tables: from_date - hire_date kept for every row" "0" \
	"$(q "$T/hr-out.db" "ATTACH '$H' AS s; SELECT count(*) FROM main.dept_emp d JOIN main.employees e USING (emp_no)
	  JOIN s.dept_emp sd ON sd.emp_no = d.emp_no AND sd.dept_no = d.dept_no JOIN s.employees se ON se.emp_no = d.emp_no
	  WHERE julianday(d.from_date) - julianday(e.hire_date) <> julianday(sd.from_date) - julianday(se.hire_date)")"
check "one shift per person: hired - born kept (birth date mocked with the row)" "0" \
	"$(q "$T/hr-out.db" "ATTACH '$H' AS s; SELECT count(*) FROM main.employees e JOIN s.employees se USING (emp_no)
	  WHERE julianday(e.hire_date) - julianday(e.birth_date) <> julianday(se.hire_date) - julianday(se.birth_date)")"
check "validity ranges stay ranges, sentinels stay" "0|100" \
	"$(q "$T/hr-out.db" "SELECT (SELECT count(*) FROM dept_emp WHERE to_date < from_date), (SELECT count(*) FROM dept_emp WHERE to_date = '9999-01-01')")"
check "the dates did move" "0" "$(q "$T/hr-out.db" "ATTACH '$H' AS s; SELECT count(*) FROM main.employees e JOIN s.employees se USING (emp_no) WHERE e.hire_date = se.hire_date")"

# ---- a mock that cannot fill a unique column is refused at plan time ----
Q="$T/uniq.db"
sqlite3 "$Q" "CREATE TABLE member (id INTEGER PRIMARY KEY, nick TEXT NOT NULL UNIQUE, account TEXT UNIQUE);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50) INSERT INTO member SELECT i, 'nick' || i, 'NL' || (10 + i) || 'ABNA0' || (417164300 + i) FROM s;"
engine "$T/uniq.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$Q\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/uniq-out.db\"},
 \"tables\": {\"member\": {\"columns\": {\"nick\": \"mock:first_name\"}}}}"
expect_fail "a list mock on a unique column is refused, naming the column and what the mock can produce" 2 \
	"tables.member.columns.nick: mock:first_name can produce [0-9]+ distinct values .* unique" "$DOPPEL" plan -c "$T/uniq.json"
[ ! -e "$T/uniq-out.db" ] && ok "refused before any target is made" || not_ok "refused before any target is made"
"$DOPPEL" plan -c "$T/many.json" >"$OUT" 2>&1
grep -q "mock:last_name ([0-9]* distinct values)" "$OUT" && ok "plan says how many distinct values a list mock can produce" \
	|| not_ok "plan states mock cardinality" "$(grep last_name "$OUT")"

# ---- a text key made from the person's name, and its references ----
N="$T/lahman.db"
sqlite3 "$N" "CREATE TABLE People (playerID TEXT PRIMARY KEY, nameFirst TEXT, nameLast TEXT, bats TEXT);
 CREATE TABLE Batting (playerID TEXT NOT NULL REFERENCES People(playerID), yearID INTEGER NOT NULL, H INTEGER, PRIMARY KEY (playerID, yearID));
 CREATE TABLE Team (teamID TEXT PRIMARY KEY, name TEXT, city TEXT);
 INSERT INTO People VALUES ('smithjo01','John','Smith','R'),('smithjo02','Joe','Smith','L'),('aaronha01','Hank','Aaron','R'),
  ('ruthba01','Babe','Ruth','L'),('jeterde01','Derek','Jeter','R'),('ortizda01','David','Ortiz','L'),('troutmi01','Mike','Trout','R'),
  ('bondsba01','Barry','Bonds','L'),('garcima01','Maria','Garcia','R'),('visseje01','Jeroen','Visser','R');
 INSERT INTO Batting SELECT playerID, 2000 + rowid, 100 + rowid FROM People; INSERT INTO Batting SELECT playerID, 2010 + rowid, 50 FROM People;
 INSERT INTO Team VALUES ('BOS','Red Sox','Boston'),('NYA','Yankees','New York'),('SFN','Giants','San Francisco'),('LAA','Angels','Anaheim'),('SEA','Mariners','Seattle');"
engine "$T/lahman.json" "{\"seed_value\": 2, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$N\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/lahman-out.db\"}}"
"$DOPPEL" plan -c "$T/lahman.json" >"$OUT" 2>&1
grep -q "playerID .*mask:fpe .*a key made from the person's name" "$OUT" && ok "plan: a key made from the name (smithjo01) is found by the value scan" \
	|| not_ok "plan: name-derived key" "$(grep playerID "$OUT")"
grep "teamID" "$OUT" | grep -q "duplicate" && ok "a text key that is no name (teamID) stays as it is" || not_ok "teamID kept" "$(grep teamID "$OUT")"
expect_ok "name-derived keys masked" "$DOPPEL" run -c "$T/lahman.json" --no-progress --no-report
check "no key carries a real surname any more" "0" \
	"$(q "$T/lahman-out.db" "ATTACH '$N' AS s; SELECT count(*) FROM main.People p, s.People o WHERE instr(lower(p.playerID), substr(lower(o.nameLast), 1, 4)) > 0")"
check "references follow the mapped keys (every Batting row joins)" "20" "$(q "$T/lahman-out.db" 'SELECT count(*) FROM Batting JOIN People USING (playerID)')"
check "the key keeps its shape (letters, then 2 digits)" "10" "$(q "$T/lahman-out.db" "SELECT count(*) FROM People WHERE playerID GLOB '[a-z]*[0-9][0-9]'")"
