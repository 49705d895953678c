#!/bin/sh
# PII inside free text: the scanner's findings replaced by consistent mocks
# or by tags, its batch/thread settings, and a leak test over Chinook with
# support notes that quote customers' names, e-mails, phones and addresses:
# no original value of any PII column appears anywhere in the target.
. "$(dirname "$0")/lib.sh"

N="$T/notes.db"
sqlite3 "$N" "CREATE TABLE ticket (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO ticket VALUES (1, 'Customer Mary Smith called from +31 6 1234 5678 about invoice 2021-03-04, mail her at mary.smith@example.org please.'),
(2, 'Refund to IBAN NL91 ABNA 0417 1643 00 for Mr. Jansen; card 4111 1111 1111 1111 was declined twice yesterday'),
(3, 'Server 192.168.10.24 logged the request; see https://intranet.corp/tickets/3 for the full history of it'),
(4, 'BSN 111222333 and SSN 123-45-6789 were found in the scanned form, escalate to the privacy officer now'),
(5, 'Nothing personal in this ticket at all, just a printer that jams every second page of the report');"
tp() {   # name, extra settings
	engine "$T/$1.json" "{\"seed_value\": 1, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$N\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"} $2}"
	run "$DOPPEL" -v run -c "$T/$1.json" --no-progress
}
"$DOPPEL" inspect --pii --json "$N" >"$T/insp.json" 2>/dev/null
check "inspect --pii marks the free-text column" "1" \
	"$(q ':memory:' "SELECT json_extract(value, '\$.free_text') FROM json_each(readfile('$T/insp.json')) WHERE json_extract(value, '\$.column') = 'body'")"
tp m ""
"$DOPPEL" plan -c "$T/m.json" | grep -q "body .*mask:textpii.*free text" && ok "plan: free-text column detected, mask:textpii" || not_ok "plan textpii"
grep -q "free text: 10 PII spans replaced in 5 values" "$ERR" && ok "10 PII spans found in 5 notes" || not_ok "spans found" "$(grep 'free text' "$ERR")"
for v in "Mary Smith" "1234 5678" "mary.smith@example.org" "NL91 ABNA 0417 1643 00" "Jansen" "4111 1111 1111 1111" "192.168.10.24" "intranet.corp" "111222333" "123-45-6789"; do
	check "mock mode: '$v' gone" "0" "$(q "$T/m.db" "SELECT count(*) FROM ticket WHERE instr(body, '$v') > 0")"
done
check "the words around the PII stay" "Nothing personal in this ticket at all, just a printer that jams every second page of the report|1" \
	"$(q "$T/m.db" "SELECT body, (SELECT instr(body, 'about invoice 2021-03-04, mail her at ') > 0 FROM ticket WHERE id = 1) FROM ticket WHERE id = 5")"
n=$(q "$T/m.db" "SELECT count(*) FROM ticket WHERE body GLOB '*@example.[a-z]*' AND id = 1")
check "the mock e-mail is a reserved example domain" "1" "$n"

tp t ', "default_pii_mock_replace": false'
check "default_pii_mock_replace false: tags" \
	"Customer <PERSON> called from <PHONE> about invoice 2021-03-04, mail her at <EMAIL> please." \
	"$(q "$T/t.db" 'SELECT body FROM ticket WHERE id = 1')"
check "tags for IBAN, card, title + surname" "Refund to IBAN <IBAN> for Mr. <PERSON>; card <CREDIT_CARD> was declined twice yesterday" \
	"$(q "$T/t.db" 'SELECT body FROM ticket WHERE id = 2')"
check "tags for IP, URL, national ids" "Server <IP_ADDRESS> logged the request; see <URL> for the full history of it|BSN <NATIONAL_ID> and SSN <NATIONAL_ID> were found in the scanned form, escalate to the privacy officer now" \
	"$(q "$T/t.db" 'SELECT group_concat(body, "|") FROM (SELECT body FROM ticket WHERE id IN (3, 4) ORDER BY id)')"

# batches and threads: more values, same result whatever the split
sqlite3 "$N" "WITH RECURSIVE s(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)
 INSERT INTO ticket SELECT i, 'Ticket ' || i || ': please call Anna de Vries on +31 20 555 ' || (1000 + i) || ' or write to anna' || i || '@mail.test today' FROM s;"
tp b1 ', "default_textpii_scan_batch_size": 100, "default_textpii_parallel_jobs": 4'
grep -q "batches of 100 values, up to 4 threads" "$ERR" && ok "default_textpii_scan_batch_size 100 and default_textpii_parallel_jobs 4: 4 threads on 100-value batches" || not_ok "threads log" "$(grep 'free text' "$ERR")"
tp b2 ', "default_textpii_scan_batch_size": 5000, "default_textpii_parallel_jobs": 1'
grep -q "batches of 5000 values, up to 1 threads" "$ERR" && ok "default_textpii_parallel_jobs 1: one thread" || not_ok "one thread log"
check "same target whatever the batches and threads" "$(sqlite3 "$T/b1.db" .dump | sha256sum)" "$(sqlite3 "$T/b2.db" .dump | sha256sum)"
check "no 'Anna de Vries' left" "0" "$(q "$T/b1.db" "SELECT count(*) FROM ticket WHERE body LIKE '%Anna de Vries%'")"

# consistency: a value in a PII column and in free text gets the same mock
C="$T/c.db"
cp "$CHINOOK" "$C"
sqlite3 "$C" "CREATE TABLE SupportNote (NoteId INTEGER PRIMARY KEY, CustomerId INTEGER NOT NULL REFERENCES Customer(CustomerId), Body TEXT NOT NULL);
 INSERT INTO SupportNote (CustomerId, Body)
 SELECT CustomerId, 'Customer ' || FirstName || ' ' || LastName || ' (' || Email || ') called' ||
   coalesce(' from ' || Phone, '') || '; lives at ' || Address || ', ' || City || '. Follow up next week with the invoice.' FROM Customer;
 INSERT INTO SupportNote (CustomerId, Body)
 SELECT CustomerId, 'Second contact: ' || upper(FirstName) || ' ' || upper(LastName) || ' wrote again from ' || Email || ' about a refund of the last order.' FROM Customer;"
engine "$T/leak.json" "{\"seed_value\": 4, \"use_seed\": true, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$C\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/leak.db\"}}"
run "$DOPPEL" -v run -c "$T/leak.json" --no-progress
[ "$RC" = 0 ] && ok "Chinook with support notes DE_IDENTIFY" || not_ok "leak run"
grep -q "PII values learned from the source's PII columns" "$ERR" && ok "PII values of the columns learned for the scanners" || not_ok "learned log"
check "an e-mail in a note becomes the customer's mock e-mail" "0" \
	"$(q "$T/leak.db" "SELECT count(*) FROM SupportNote n JOIN Customer c USING (CustomerId) WHERE instr(n.Body, c.Email) = 0")"
# the leak test: every original PII value of Customer and Employee, searched in the whole target
sqlite3 "$C" "SELECT FirstName || ' ' || LastName FROM Customer UNION SELECT upper(FirstName) || ' ' || upper(LastName) FROM Customer
 UNION SELECT Email FROM Customer UNION SELECT Phone FROM Customer WHERE length(Phone) >= 8 UNION SELECT Address FROM Customer
 UNION SELECT FirstName || ' ' || LastName FROM Employee UNION SELECT Email FROM Employee UNION SELECT Address FROM Employee
 UNION SELECT Phone FROM Employee" | grep -v '^$' >"$T/pii.txt"
sqlite3 "$T/leak.db" .dump >"$T/leak.sql"
n=$(grep -c -F -f "$T/pii.txt" "$T/leak.sql")
check "leak test: none of $(wc -l <"$T/pii.txt") original PII values appears anywhere in the target, free text included" "0" "$n"
[ "$n" = 0 ] || grep -o -F -f "$T/pii.txt" "$T/leak.sql" | sort -u | head -5
