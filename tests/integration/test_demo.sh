#!/bin/sh
# The demo end to end (SQLite -> SQLite), verified independently with the
# sqlite3 shell: every row arrives, FKs resolve, no PII value survives in its
# row, products are copied as is, the audit log is left empty, and the same
# seed gives the same bytes.
. "$(dirname "$0")/lib.sh"

expect_ok "demo runs" "$DOPPEL" demo --dir "$T/demo" --no-progress
D="$T/demo"
grep -q "foreign-key violations in the target: 0" "$OUT" && ok "demo prints FK violations 0" \
	|| not_ok "demo prints FK violations 0"
grep -q "PII columns whose original values survive: 0" "$OUT" && ok "demo prints PII survivors 0" \
	|| not_ok "demo prints PII survivors 0"
grep -Eq "^customers +DE_IDENTIFY +done +1500 +1500" "$OUT" && ok "summary row for customers" \
	|| not_ok "summary row for customers"
grep -Eq "^audit_log +EXCLUDE" "$OUT" && ok "summary shows EXCLUDE" || not_ok "summary shows EXCLUDE"
[ -f "$D/shop.db" ] && [ -f "$D/engine.json" ] && [ -f "$D/shop_double.db" ] \
	&& ok "demo wrote source, engine file and target" || not_ok "demo files"
[ ! -e "$D/shop_double.db.doppel-partial" ] && ok "no staging file left" || not_ok "no staging file left"

S="$D/shop.db"; G="$D/shop_double.db"
check "target passes PRAGMA foreign_key_check" "" "$(q "$G" 'PRAGMA foreign_key_check')"
check "target passes integrity_check" "ok" "$(q "$G" 'PRAGMA integrity_check')"
for t in employees customers products orders order_items payments; do
	check "row count $t" "$(q "$S" "SELECT count(*) FROM $t")" "$(q "$G" "SELECT count(*) FROM $t")"
done
check "audit_log excluded: schema kept, no rows" "0" "$(q "$G" 'SELECT count(*) FROM audit_log')"
check "employees self-reference kept" "$(q "$S" 'SELECT group_concat(manager_id) FROM employees')" \
	"$(q "$G" 'SELECT group_concat(manager_id) FROM employees')"
check "indexes recreated" "$(q "$S" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name)")" \
	"$(q "$G" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name)")"
check "products duplicated exactly" "0" \
	"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM (SELECT * FROM s.products EXCEPT SELECT * FROM main.products)")"
for c in customers.first_name customers.last_name customers.email customers.phone \
	 customers.street_address customers.city customers.postcode customers.date_of_birth \
	 employees.first_name employees.last_name employees.email employees.phone employees.birth_date \
	 orders.ship_street; do
	t=${c%.*}; col=${c#*.}
	case $t in customers) k=customer_id;; employees) k=employee_id;; orders) k=order_id;; esac
	check "PII $c: no source value survives in its row" "0" \
		"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM main.$t g JOIN s.$t o ON o.$k = g.$k WHERE g.$col = o.$col")"
done
check "PII customers.email: no source e-mail anywhere in the target" "0" \
	"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM main.customers WHERE email IN (SELECT email FROM s.customers)")"
check "non-PII columns copied (orders.order_date)" "0" \
	"$(q "$G" "ATTACH '$S' AS s; SELECT count(*) FROM main.orders g JOIN s.orders o USING(order_id) WHERE g.order_date IS NOT o.order_date OR g.customer_id IS NOT o.customer_id")"
check "NULLs stay NULL (customers.phone)" "$(q "$S" 'SELECT count(*) FROM customers WHERE phone IS NULL')" \
	"$(q "$G" 'SELECT count(*) FROM customers WHERE phone IS NULL')"
check "mocked e-mails use reserved example domains" "0" \
	"$(q "$G" "SELECT count(*) FROM customers WHERE email NOT LIKE '%@example.%'")"
check "consistent e-mail: equal inputs give equal outputs" \
	"$(q "$S" 'SELECT count(DISTINCT email) FROM customers')" "$(q "$G" 'SELECT count(DISTINCT email) FROM customers')"

# the source is never written
before=$(file_sum "$S")
expect_ok "second run with the same engine" "$DOPPEL" run -c "$D/engine.json" --no-progress
check "source unchanged by a run" "$before" "$(file_sum "$S")"
cp "$G" "$T/first.db"
expect_ok "third run with the same engine" "$DOPPEL" run -c "$D/engine.json" --no-progress
check "same seed: identical target dump" "$(sqlite3 "$T/first.db" .dump | sha256sum)" "$(sqlite3 "$G" .dump | sha256sum)"
check "same seed: byte-identical target file" "$(file_sum "$T/first.db")" "$(file_sum "$G")"

sed 's/"seed_value": 42/"seed_value": 43/' "$D/engine.json" >"$D/engine43.json"
expect_ok "run with another seed" "$DOPPEL" run -c "$D/engine43.json" --no-progress
n=$(q "$G" "ATTACH '$T/first.db' AS f; SELECT count(*) FROM main.customers g JOIN f.customers o USING(customer_id) WHERE g.email = o.email")
[ "$n" -lt 10 ] && ok "other seed: different mock values ($n equal e-mails)" || not_ok "other seed differs" "$n equal e-mails"

# plan touches nothing
rm -f "$G"
expect_ok "plan runs" "$DOPPEL" plan -c "$D/engine.json"
[ ! -e "$G" ] && ok "plan creates no target" || not_ok "plan creates no target"
grep -q "employees" "$OUT" && grep -q "mock:email" "$OUT" && ok "plan lists tables and generators" \
	|| not_ok "plan lists tables and generators"
e=$(grep -n "employees" "$OUT" | head -1 | cut -d: -f1); c=$(grep -n "customers" "$OUT" | head -1 | cut -d: -f1)
[ -n "$e" ] && [ -n "$c" ] && [ "$e" -lt "$c" ] && ok "plan: parents before children" || not_ok "plan order" "employees@$e customers@$c"

# --json summary
expect_ok "run --json" "$DOPPEL" run -c "$D/engine.json" --json
grep -q '"status":[[:space:]]*"succeeded"' "$OUT" && grep -q '"fk_violations":[[:space:]]*0' "$OUT" \
	&& ok "json summary" || not_ok "json summary"
# progress totals: every table done, rows and bytes counted (bytes >= rows)
nt=$(grep -c '"state":[[:space:]]*"done"' "$OUT")
td=$(sed -n 's/.*"tables_done":[[:space:]]*\([0-9]*\).*/\1/p' "$OUT")
rw=$(sed -n 's/^\t"rows_written":[[:space:]]*\([0-9]*\).*/\1/p' "$OUT")
br=$(sed -n 's/.*"bytes_read":[[:space:]]*\([0-9]*\).*/\1/p' "$OUT")
bw=$(sed -n 's/.*"bytes_written":[[:space:]]*\([0-9]*\).*/\1/p' "$OUT")
[ -n "$td" ] && [ "$td" = "$nt" ] && [ "${rw:-0}" -gt 0 ] && [ "${br:-0}" -ge "$rw" ] && [ "${bw:-0}" -ge "$rw" ] \
	&& ok "json summary: progress totals (tables done, rows, bytes read and written)" \
	|| not_ok "json summary: progress totals" "tables_done=$td done=$nt rows=$rw bytes_read=$br bytes_written=$bw"
