#!/bin/sh
# Subsetting with referential integrity: targets by percent / where /
# limit+order_by, required parents, children, self-references, composite
# FKs, two FKs to one parent, virtual FKs, nullable cycles; determinism;
# errors. Every case is checked with PRAGMA foreign_key_check and SQL joins.
. "$(dirname "$0")/lib.sh"
S="$T/chinook.db"
cp "$CHINOOK" "$S"
src="\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
tgt() { echo "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"}"; }
shrink='"Customer": {"mode": "SUBSET"}, "Employee": {"mode": "SUBSET"}, "Track": {"mode": "SUBSET"}, "Album": {"mode": "SUBSET"}, "Artist": {"mode": "SUBSET"}'

# 20% of invoices (seeded), everything else shrunk to what they need
engine "$T/p.json" "{\"seed_value\": 5, \"use_seed\": true, $src, $(tgt p),
 \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 20}}, $shrink}}"
expect_ok "Chinook: Invoice 20%" "$DOPPEL" run -c "$T/p.json" --no-progress
G="$T/p.db"
check "percent: no FK violations" "" "$(q "$G" 'PRAGMA foreign_key_check')"
run "$DOPPEL" -v run -c "$T/p.json" --no-progress
grep -q "table Invoice: [0-9]* kept rows read by key lists" "$ERR" && ok "kept keys pushed to the source as key lists" || not_ok "key-list pushdown"
n=$(q "$G" 'SELECT count(*) FROM Invoice')
[ "$n" -ge 50 ] && [ "$n" -le 120 ] && ok "percent: about 20% of 412 invoices ($n)" || not_ok "percent share" "$n"
check "percent: every line of a selected invoice kept" \
	"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM s.InvoiceLine WHERE InvoiceId IN (SELECT InvoiceId FROM main.Invoice)")" \
	"$(q "$G" 'SELECT count(*) FROM InvoiceLine')"
check "percent: no line of an unselected invoice" "0" "$(q "$G" 'SELECT count(*) FROM InvoiceLine WHERE InvoiceId NOT IN (SELECT InvoiceId FROM Invoice)')"
check "required parents only: customers are those of the selected invoices" \
	"$(q "$G" 'SELECT count(DISTINCT CustomerId) FROM Invoice')" "$(q "$G" 'SELECT count(*) FROM Customer')"
check "upward closure follows the self-reference (managers of support reps)" "0" \
	"$(q "$G" 'SELECT count(*) FROM Employee e WHERE e.ReportsTo IS NOT NULL AND e.ReportsTo NOT IN (SELECT EmployeeId FROM Employee)')"
check "lookup tables not subset are whole" "25" "$(q "$G" 'SELECT count(*) FROM Genre')"
check "tracks are the ones selected lines need (+ none dangling from PlaylistTrack)" "0" \
	"$(q "$G" 'SELECT count(*) FROM PlaylistTrack WHERE TrackId NOT IN (SELECT TrackId FROM Track)')"
"$DOPPEL" run -c "$T/p.json" --no-progress >/dev/null 2>&1; cp "$G" "$T/p2.db"
"$DOPPEL" run -c "$T/p.json" --no-progress >/dev/null 2>&1
check "same seed: same subset" "$(sqlite3 "$T/p2.db" .dump | sha256sum)" "$(sqlite3 "$G" .dump | sha256sum)"
sed 's/"seed_value": 5/"seed_value": 6/' "$T/p.json" >"$T/p6.json"
"$DOPPEL" run -c "$T/p6.json" --no-progress >/dev/null 2>&1
[ "$(q "$G" 'SELECT group_concat(InvoiceId) FROM Invoice')" != "$(q "$T/p2.db" 'SELECT group_concat(InvoiceId) FROM Invoice')" ] \
	&& ok "other seed: other invoices" || not_ok "other seed: other invoices"

# where: Brazilian customers with all their invoices (children) and lines
engine "$T/w.json" "{$src, $(tgt w), \"tables\": {\"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country = 'Brazil'\"}},
 \"Invoice\": {\"mode\": \"SUBSET\"}, \"Employee\": {\"mode\": \"SUBSET\"}}}"
expect_ok "Chinook: Customer where Country = 'Brazil'" "$DOPPEL" run -c "$T/w.json" --no-progress
G="$T/w.db"
check "where: no FK violations" "" "$(q "$G" 'PRAGMA foreign_key_check')"
check "where: exactly the Brazilian customers" "$(q "$S" "SELECT count(*) FROM Customer WHERE Country = 'Brazil'")|Brazil" \
	"$(q "$G" "SELECT count(*) || '|' || group_concat(DISTINCT Country) FROM Customer")"
check "where: all their invoices (children)" "$(q "$S" "SELECT count(*) FROM Invoice WHERE CustomerId IN (SELECT CustomerId FROM Customer WHERE Country = 'Brazil')")" \
	"$(q "$G" 'SELECT count(*) FROM Invoice')"
engine "$T/n.json" "{$src, $(tgt n), \"tables\": {\"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country = 'Brazil'\", \"include_children\": \"none\"}},
 \"Invoice\": {\"mode\": \"SUBSET\"}}}"
expect_ok "include_children none" "$DOPPEL" run -c "$T/n.json" --no-progress
check "include_children none: no invoices pulled" "0" "$(q "$T/n.db" 'SELECT count(*) FROM Invoice')"

# child rules: at most 2 invoices per customer, only invoices over 10
engine "$T/m.json" "{$src, $(tgt m), \"tables\": {\"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country = 'Brazil'\"}},
 \"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"max_per_parent\": 2}}}}"
expect_ok "max_per_parent" "$DOPPEL" run -c "$T/m.json" --no-progress
check "max_per_parent: 2 invoices per customer, the first by key" \
	"$(q "$S" "SELECT group_concat(InvoiceId) FROM (SELECT InvoiceId FROM Invoice i WHERE CustomerId IN (SELECT CustomerId FROM Customer WHERE Country = 'Brazil') AND (SELECT count(*) FROM Invoice j WHERE j.CustomerId = i.CustomerId AND j.InvoiceId < i.InvoiceId) < 2 ORDER BY InvoiceId)")" \
	"$(q "$T/m.db" 'SELECT group_concat(InvoiceId) FROM (SELECT InvoiceId FROM Invoice ORDER BY InvoiceId)')"
engine "$T/i.json" "{$src, $(tgt i), \"tables\": {\"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country = 'Brazil'\"}},
 \"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"include_when\": \"Total > 10\"}}}}"
expect_ok "include_when" "$DOPPEL" run -c "$T/i.json" --no-progress
check "include_when: only matching children" \
	"$(q "$S" "SELECT count(*) FROM Invoice WHERE Total > 10 AND CustomerId IN (SELECT CustomerId FROM Customer WHERE Country = 'Brazil')")|0" \
	"$(q "$T/i.db" "SELECT count(*) || '|' || sum(Total <= 10) FROM Invoice" | sed 's/|$/|0/')"
check "child rules: no FK violations" "" "$(q "$T/i.db" 'PRAGMA foreign_key_check')$(q "$T/m.db" 'PRAGMA foreign_key_check')"

# limit + order_by: the 10 earliest invoices
engine "$T/l.json" "{$src, $(tgt l), \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 10, \"order_by\": \"InvoiceDate\"}}}}"
expect_ok "Chinook: 10 earliest invoices" "$DOPPEL" run -c "$T/l.json" --no-progress
check "limit/order_by: the 10 earliest" "$(q "$S" 'SELECT group_concat(InvoiceId) FROM (SELECT InvoiceId FROM Invoice ORDER BY InvoiceDate, InvoiceId LIMIT 10)')" \
	"$(q "$T/l.db" 'SELECT group_concat(InvoiceId) FROM (SELECT InvoiceId FROM Invoice ORDER BY InvoiceId)')"
check "limit/order_by: no FK violations" "" "$(q "$T/l.db" 'PRAGMA foreign_key_check')"

# null_if_unselected: managers are not pulled in, their references become NULL
engine "$T/u.json" "{$src, $(tgt u), \"tables\": {\"Employee\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Title = 'Sales Support Agent'\"},
 \"null_if_unselected\": [\"ReportsTo\"]}, \"Customer\": {\"mode\": \"SUBSET\"}, \"Invoice\": {\"mode\": \"SUBSET\"}}}"
expect_ok "null_if_unselected" "$DOPPEL" run -c "$T/u.json" --no-progress
check "null_if_unselected: only the selected employees" "3|Sales Support Agent" "$(q "$T/u.db" "SELECT count(*) || '|' || group_concat(DISTINCT Title) FROM Employee")"
check "null_if_unselected: references to unselected managers are NULL" "0|3" "$(q "$T/u.db" 'SELECT count(ReportsTo) || "|" || count(*) FROM Employee')"
check "null_if_unselected: no FK violations" "" "$(q "$T/u.db" 'PRAGMA foreign_key_check')"
engine "$T/e.json" "{$src, $(tgt e), \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}, \"null_if_unselected\": [\"CustomerId\"]}}}"
expect_fail "null_if_unselected on a NOT NULL column is refused" 2 "tables.Invoice.null_if_unselected: Invoice.CustomerId is NOT NULL" "$DOPPEL" run -c "$T/e.json" --no-progress

# plan explains the subset
expect_ok "plan explains the subset" "$DOPPEL" plan -c "$T/p.json"
grep -q "target: 20% of rows, picked by a keyed hash of the key (seeded), ~82 rows" "$OUT" && grep -q "rows that selected Invoice rows reference (via CustomerId)" "$OUT" \
	&& grep -q "only rows whose InvoiceId (-> Invoice) is selected" "$OUT" && ok "plan: targets, parents and filtered children named" \
	|| not_ok "plan subset text"

# a synthetic schema: composite FK, two FKs to one parent, self-reference,
# nullable cycle, and a virtual FK the database does not declare
Y="$T/syn.db"
sqlite3 "$Y" "PRAGMA foreign_keys=OFF;
 CREATE TABLE region (rid INTEGER PRIMARY KEY, name TEXT, hq_office INTEGER REFERENCES office(oid));
 CREATE TABLE office (oid INTEGER PRIMARY KEY, region_id INTEGER REFERENCES region(rid), boss INTEGER REFERENCES person(pid));
 CREATE TABLE person (pid INTEGER PRIMARY KEY, name TEXT, office_id INTEGER NOT NULL REFERENCES office(oid), mentor INTEGER REFERENCES person(pid));
 CREATE TABLE address (pid INTEGER, seq INTEGER, city TEXT, PRIMARY KEY (pid, seq), FOREIGN KEY (pid) REFERENCES person(pid));
 CREATE TABLE parcel (id INTEGER PRIMARY KEY, from_pid INTEGER NOT NULL, from_seq INTEGER NOT NULL, to_pid INTEGER, to_seq INTEGER,
   FOREIGN KEY (from_pid, from_seq) REFERENCES address(pid, seq), FOREIGN KEY (to_pid, to_seq) REFERENCES address(pid, seq));
 CREATE TABLE audit (id INTEGER PRIMARY KEY, parcel_ref INTEGER, note TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10) INSERT INTO region SELECT i, 'r' || i, i FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10) INSERT INTO office SELECT i, 1 + (i % 10), i * 10 FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) INSERT INTO person SELECT i, 'p' || i, 1 + (i % 10), CASE WHEN i > 1 THEN i - 1 END FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) INSERT INTO address SELECT i, 1, 'c' || i FROM s UNION ALL SELECT i, 2, 'd' || i FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) INSERT INTO parcel SELECT i, 1 + (i % 100), 1, 1 + ((i * 7) % 100), 2 FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) INSERT INTO audit SELECT i, i, 'n' FROM s;"
engine "$T/y.json" "{\"seed_value\": 1, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$Y\"}, $(tgt y),
 \"tables\": {\"parcel\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5}}, \"address\": {\"mode\": \"SUBSET\"}, \"person\": {\"mode\": \"SUBSET\"},
   \"office\": {\"mode\": \"SUBSET\"}, \"region\": {\"mode\": \"SUBSET\"}, \"audit\": {\"mode\": \"DUPLICATE\"}},
 \"virtual_foreign_keys\": [{\"table\": \"audit\", \"columns\": [\"parcel_ref\"], \"references\": {\"table\": \"parcel\", \"columns\": [\"id\"]}}]}"
expect_ok "synthetic schema: parcel 5%" "$DOPPEL" run -c "$T/y.json" --no-progress
G="$T/y.db"
check "synthetic: no FK violations" "" "$(q "$G" 'PRAGMA foreign_key_check')"
check "two FKs to one parent (composite): both ends present" "0" \
	"$(q "$G" 'SELECT count(*) FROM parcel p WHERE NOT EXISTS (SELECT 1 FROM address a WHERE a.pid = p.from_pid AND a.seq = p.from_seq) OR (p.to_pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM address a WHERE a.pid = p.to_pid AND a.seq = p.to_seq))')"
check "self-reference: mentor chains complete" "0" "$(q "$G" 'SELECT count(*) FROM person WHERE mentor IS NOT NULL AND mentor NOT IN (SELECT pid FROM person)')"
check "nullable cycle region <-> office closed" "0" \
	"$(q "$G" 'SELECT (SELECT count(*) FROM region WHERE hq_office NOT IN (SELECT oid FROM office)) + (SELECT count(*) FROM office WHERE region_id NOT IN (SELECT rid FROM region))')"
check "virtual FK honoured: audit rows only for kept parcels" "$(q "$G" 'SELECT count(*) FROM parcel')" "$(q "$G" 'SELECT count(*) FROM audit')"
check "virtual FK honoured: no audit row for a dropped parcel" "0" "$(q "$G" 'SELECT count(*) FROM audit WHERE parcel_ref NOT IN (SELECT id FROM parcel)')"

# an FK to a unique column that is not the primary key
Z="$T/uniq.db"
sqlite3 "$Z" "CREATE TABLE badge (bid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, owner TEXT);
 CREATE TABLE scan (id INTEGER PRIMARY KEY, code TEXT NOT NULL REFERENCES badge(code), at TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200) INSERT INTO badge SELECT i, 'B' || (i * 7), 'o' || i FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) INSERT INTO scan SELECT i, 'B' || ((1 + i % 200) * 7), 't' || i FROM s;"
engine "$T/z.json" "{\"seed_value\": 3, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$Z\"}, $(tgt z),
 \"tables\": {\"scan\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 2}}, \"badge\": {\"mode\": \"SUBSET\"}}}"
expect_ok "FK to a unique non-key column" "$DOPPEL" run -c "$T/z.json" --no-progress
check "unique-column FK: badges are exactly those scanned" "$(q "$T/z.db" 'SELECT count(DISTINCT code) FROM scan')" "$(q "$T/z.db" 'SELECT count(*) FROM badge')"
check "unique-column FK: no FK violations" "" "$(q "$T/z.db" 'PRAGMA foreign_key_check')"

# errors
engine "$T/e.json" "{$src, $(tgt e), \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Totl > 5\"}}}}"
expect_fail "a where clause that fails names the table" 2 "tables.Invoice.subset.where: .*Totl" "$DOPPEL" run -c "$T/e.json" --no-progress
[ ! -e "$T/e.db" ] && ok "failed where: no target" || not_ok "failed where: no target"
engine "$T/e.json" "{$src, $(tgt e), \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 150}}}}"
expect_fail "percent outside 0-100" 2 "tables.Invoice.subset.percent" "$DOPPEL" run -c "$T/e.json" --no-progress
engine "$T/e.json" "{$src, $(tgt e), \"tables\": {\"Invoyce\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}}}}"
expect_fail "unknown subset table" 2 "Invoyce" "$DOPPEL" run -c "$T/e.json" --no-progress
engine "$T/e.json" "{$src, $(tgt e), \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 5, \"order_by\": \"Nope\"}}}}"
expect_fail "unknown order_by column" 2 "tables.Invoice.subset.order_by" "$DOPPEL" run -c "$T/e.json" --no-progress
sqlite3 "$T/nopk.db" "CREATE TABLE log (at TEXT, msg TEXT); INSERT INTO log VALUES ('a', 'b');"
engine "$T/e.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$T/nopk.db\"}, $(tgt e), \"tables\": {\"log\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}}}}"
expect_fail "subset target without a primary key" 1 "tables.log.subset: the table has no primary key" "$DOPPEL" run -c "$T/e.json" --no-progress

# ---- a percent subset of a big table with a keyless child (pgbench's
# accounts and history): decided row by row, no key set in memory ----
KL="$T/keyless.db"
sqlite3 "$KL" "CREATE TABLE acct (id INTEGER PRIMARY KEY, bal INTEGER);
 CREATE TABLE hist (acct_id INTEGER NOT NULL REFERENCES acct(id), delta INTEGER);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000) INSERT INTO acct SELECT i, i % 100 FROM s;
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 9000) INSERT INTO hist SELECT 1 + (i * 7) % 5000, i % 50 FROM s;"
engine "$T/kl.json" "{\"seed_value\": 4, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$KL\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/kl-out.db\"},
 \"tables\": {\"acct\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 20}}, \"hist\": {\"mode\": \"DUPLICATE\"}}}"
run "$DOPPEL" -v run -c "$T/kl.json" --no-progress
check "keyless child: run" "0" "$RC"
grep -q "subset: acct keeps 20% of its rows, decided by the keyed hash" "$ERR" && grep -q "subset: hist keeps the rows whose references are kept, decided while it is loaded" "$ERR" \
	&& ok "a percent table and its keyless child are decided while loading (no key set)" || not_ok "streamed subset" "$(grep 'subset:' "$ERR")"
check "keyless child: every kept history row references a kept account" "0" \
	"$(q "$T/kl-out.db" "SELECT count(*) FROM hist h LEFT JOIN acct a ON a.id = h.acct_id WHERE a.id IS NULL")"
check "keyless child: all the history of the kept accounts is there" \
	"$(q "$T/kl-out.db" "ATTACH '$KL' AS s; SELECT count(*) FROM s.hist WHERE acct_id IN (SELECT id FROM main.acct)")" \
	"$(q "$T/kl-out.db" "SELECT count(*) FROM hist")"
n=$(q "$T/kl-out.db" "SELECT count(*) FROM acct")
[ "$n" -gt 800 ] && [ "$n" -lt 1200 ] && ok "about 20% of the accounts kept ($n of 5000)" || not_ok "percent share" "$n"
