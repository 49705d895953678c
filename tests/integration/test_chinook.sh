#!/bin/sh
# Chinook (real-world SQLite sample, MIT): inspect, de-identify with PII
# detected by column name, key generation methods, composite and
# self-referencing FKs, EXCLUDE and FROM_SCRATCH.
. "$(dirname "$0")/lib.sh"
S="$T/chinook.db"
cp "$CHINOOK" "$S"
chmod 444 "$S"   # the engine must never need write access to its source
SUM=$(file_sum "$S")
TABLES="Album Artist Customer Employee Genre Invoice InvoiceLine MediaType Playlist PlaylistTrack Track"

expect_ok "inspect text" "$DOPPEL" inspect "sqlite:///$S"
grep -q "^table Track  (3503 rows)" "$OUT" && ok "inspect: Track row count" || not_ok "inspect: Track row count"
grep -q "primary key (PlaylistId, TrackId)" "$OUT" && ok "inspect: composite PK" || not_ok "inspect: composite PK"
grep -q "foreign key (ReportsTo) -> Employee(EmployeeId).*self-reference" "$OUT" \
	&& ok "inspect: self-reference" || not_ok "inspect: self-reference"
check "inspect: 11 tables" "11" "$(grep -c '^table ' "$OUT")"
expect_ok "inspect --json" "$DOPPEL" inspect "$S" --json
grep -q '"name":[[:space:]]*"PlaylistTrack"' "$OUT" && grep -q '"rows":[[:space:]]*8715' "$OUT" \
	&& ok "inspect json content" || not_ok "inspect json content"
expect_ok "inspect --pii" "$DOPPEL" inspect "$S" --pii
grep -Eq "^Customer.Email +NVARCHAR\(60\) +email +1.00 +value pattern" "$OUT" && ok "inspect --pii: e-mails found by their values" || not_ok "inspect --pii email"
grep -Eq "^Customer.Fax .* phone .* value pattern" "$OUT" && ok "inspect --pii: a fax column found by its values (no name rule)" || not_ok "inspect --pii fax"
grep -Eq "^Track.Name .* - +- " "$OUT" && ok "inspect --pii: track names are not PII" || not_ok "inspect --pii track"
! grep -q "luisg@embraer" "$OUT" && ok "inspect --pii: examples are masked" || not_ok "inspect --pii masks examples"
expect_ok "inspect --pii --json" "$DOPPEL" inspect "$S" --pii --json
grep -q '"pii_kind":[[:space:]]*"email"' "$OUT" && ok "inspect --pii --json" || not_ok "inspect --pii --json"
expect_fail "inspect a missing file" 3 "nope.db" "$DOPPEL" inspect "sqlite:///$T/nope.db"
[ ! -e "$T/nope.db" ] && ok "inspect creates no file" || not_ok "inspect creates no file"

engine "$T/e1.json" "{\"seed_value\": 7, \"use_seed\": true,
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t1.db\"}}"
expect_ok "DE_IDENTIFY by default" "$DOPPEL" run -c "$T/e1.json" --no-progress
G="$T/t1.db"
check "no FK violations" "" "$(q "$G" 'PRAGMA foreign_key_check')"
for t in $TABLES; do
	check "rows $t" "$(q "$S" "SELECT count(*) FROM $t")" "$(q "$G" "SELECT count(*) FROM $t")"
done
for c in Customer.FirstName Customer.LastName Customer.Email Customer.Phone Customer.Address \
	 Customer.City Customer.PostalCode Employee.FirstName Employee.Email Employee.BirthDate; do
	t=${c%.*}; col=${c#*.}
	check "PII $c detected and mocked" "0" \
		"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM main.$t g JOIN s.$t o ON o.${t}Id = g.${t}Id WHERE g.$col = o.$col")"
done
check "non-PII copied (Track)" "0" "$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM (SELECT * FROM s.Track EXCEPT SELECT * FROM main.Track)")"
check "composite-key table copied" "0" "$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM (SELECT * FROM s.PlaylistTrack EXCEPT SELECT * FROM main.PlaylistTrack)")"
check "self-FK kept" "$(q "$S" 'SELECT group_concat(ReportsTo) FROM Employee')" "$(q "$G" 'SELECT group_concat(ReportsTo) FROM Employee')"
check "source unchanged" "$SUM" "$(file_sum "$S")"

# key_generation_method hash: keys change, every FK follows
engine "$T/e2.json" "{\"seed_value\": 7, \"use_seed\": true, \"key_generation_method\": \"hash\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t2.db\"}}"
expect_ok "key_generation_method hash" "$DOPPEL" run -c "$T/e2.json" --no-progress
G="$T/t2.db"
check "hash: no FK violations" "" "$(q "$G" 'PRAGMA foreign_key_check')"
n=$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM main.Track g JOIN s.Track o USING(TrackId) WHERE g.Name = o.Name")
[ "$n" -lt 100 ] && ok "hash: keys were remapped ($n of 3503 tracks kept their id)" || not_ok "hash remaps keys" "$n kept"
check "hash: joins preserved (track names per album title)" \
	"$(q "$S" "SELECT group_concat(x) FROM (SELECT al.Title || '/' || t.Name AS x FROM Track t JOIN Album al USING(AlbumId) ORDER BY x)" | sha256sum)" \
	"$(q "$G" "SELECT group_concat(x) FROM (SELECT al.Title || '/' || t.Name AS x FROM Track t JOIN Album al USING(AlbumId) ORDER BY x)" | sha256sum)"
check "hash: playlist membership preserved" \
	"$(q "$S" "SELECT group_concat(x) FROM (SELECT p.Name || '/' || t.Name AS x FROM PlaylistTrack pt JOIN Playlist p USING(PlaylistId) JOIN Track t USING(TrackId) ORDER BY x)" | sha256sum)" \
	"$(q "$G" "SELECT group_concat(x) FROM (SELECT p.Name || '/' || t.Name AS x FROM PlaylistTrack pt JOIN Playlist p USING(PlaylistId) JOIN Track t USING(TrackId) ORDER BY x)" | sha256sum)"
check "hash: manager hierarchy preserved" \
	"$(q "$S" "SELECT group_concat(x) FROM (SELECT e.Title || '<' || coalesce(m.Title,'-') AS x FROM Employee e LEFT JOIN Employee m ON m.EmployeeId = e.ReportsTo ORDER BY x)")" \
	"$(q "$G" "SELECT group_concat(x) FROM (SELECT e.Title || '<' || coalesce(m.Title,'-') AS x FROM Employee e LEFT JOIN Employee m ON m.EmployeeId = e.ReportsTo ORDER BY x)")"

# generate: new dense keys, FKs follow
engine "$T/e3.json" "{\"seed_value\": 7, \"use_seed\": true, \"key_generation_method\": \"generate\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t3.db\"}}"
expect_ok "key_generation_method generate" "$DOPPEL" run -c "$T/e3.json" --no-progress
check "generate: no FK violations" "" "$(q "$T/t3.db" 'PRAGMA foreign_key_check')"
check "generate: invoice totals per customer country preserved" \
	"$(q "$S" "SELECT group_concat(x) FROM (SELECT c.Country || sum(i.Total) AS x FROM Invoice i JOIN Customer c USING(CustomerId) GROUP BY c.Country ORDER BY 1)")" \
	"$(q "$T/t3.db" "SELECT group_concat(x) FROM (SELECT c.Country || sum(i.Total) AS x FROM Invoice i JOIN Customer c USING(CustomerId) GROUP BY c.Country ORDER BY 1)")"

# EXCLUDE a parent: a nullable FK to it is loaded NULL; a NOT NULL one is
# an error naming both tables, before any target exists
engine "$T/e4.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t4.db\"},
 \"tables\": {\"Invoice\": {\"mode\": \"EXCLUDE\"}}}"
expect_fail "EXCLUDE of a table a NOT NULL FK references is refused" 2 "Invoice.*InvoiceLine|InvoiceLine.*Invoice" "$DOPPEL" run -c "$T/e4.json" --no-progress
[ ! -e "$T/t4.db" ] && ok "refused job creates no target" || not_ok "refused job creates no target"
engine "$T/e4.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t4.db\"},
 \"tables\": {\"Album\": {\"mode\": \"EXCLUDE\"}}}"
expect_ok "EXCLUDE of a table a nullable FK references" "$DOPPEL" run -c "$T/e4.json" --no-progress
check "nullable FK to an EXCLUDEd table loaded NULL" "3503|0|0" \
	"$(q "$T/t4.db" 'SELECT count(*) || "|" || count(AlbumId) || "|" || (SELECT count(*) FROM Album) FROM Track')"
check "no FK violations with EXCLUDEd parent" "" "$(q "$T/t4.db" 'PRAGMA foreign_key_check')"
# EXCLUDE children only
engine "$T/e5.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t5.db\"},
 \"tables\": {\"PlaylistTrack\": {\"mode\": \"EXCLUDE\"}, \"InvoiceLine\": {\"mode\": \"EXCLUDE\"},
             \"Genre\": {\"mode\": \"DUPLICATE\"}}}"
expect_ok "EXCLUDE leaf tables" "$DOPPEL" run -c "$T/e5.json" --no-progress
check "EXCLUDE: table exists and is empty" "0|0" "$(q "$T/t5.db" 'SELECT (SELECT count(*) FROM PlaylistTrack) || "|" || (SELECT count(*) FROM InvoiceLine)')"
# FROM_SCRATCH: everything EXCLUDE until configured
engine "$T/e6.json" "{\"initialization_mode\": \"FROM_SCRATCH\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t6.db\"},
 \"tables\": {\"Genre\": {\"mode\": \"DUPLICATE\"}}}"
expect_ok "initialization_mode FROM_SCRATCH" "$DOPPEL" run -c "$T/e6.json" --no-progress
check "FROM_SCRATCH: only configured tables get rows" "25|0|0" \
	"$(q "$T/t6.db" 'SELECT (SELECT count(*) FROM Genre) || "|" || (SELECT count(*) FROM Track) || "|" || (SELECT count(*) FROM Customer)')"
check "FROM_SCRATCH: full schema created" "11" "$(q "$T/t6.db" "SELECT count(*) FROM sqlite_master WHERE type='table'")"
