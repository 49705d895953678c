#!/bin/sh
# Pagila (PostgreSQL port of Sakila) PG -> PG: a partitioned table, enums,
# domains, arrays, tsvector, serial keys, and the store <-> staff cycle of
# NOT NULL FKs; triggers are not fired by the load.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg >/dev/null 2>&1 || { not_ok "start PostgreSQL"; exit 1; }
psql -q -c "CREATE ROLE postgres" -c "CREATE DATABASE pagila" -c "CREATE DATABASE p1" -c "CREATE DATABASE p2" -c "CREATE DATABASE p3" >/dev/null
psql -q -v ON_ERROR_STOP=1 -d pagila -f "$DOPPEL_DATA/pagila/pagila-schema.sql" >"$T/s.log" 2>&1 &&
psql -q -v ON_ERROR_STOP=1 -d pagila -f "$DOPPEL_DATA/pagila/pagila-data.sql" >"$T/d.log" 2>&1 \
	&& ok "Pagila loaded" || not_ok "Pagila load" "$(tail -3 "$T/s.log" "$T/d.log")"
# the classic Sakila FK this Pagila data lacks: store.manager_staff_id -> staff,
# which closes the store <-> staff cycle of NOT NULL FKs
psql -q -d pagila -c "ALTER TABLE store ADD FOREIGN KEY (manager_staff_id) REFERENCES staff (staff_id)" \
	&& ok "store <-> staff NOT NULL cycle in the source" || not_ok "add cycle FK"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
conn() { echo "{\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
TABLES="actor address category city country customer film film_actor film_category inventory language payment rental staff store"
dup_all() { for t in $TABLES; do printf '"%s": {"mode": "DUPLICATE"},' $t; done | sed 's/,$//'; }

engine "$T/a.json" "{\"source\": $(conn pagila), \"target\": $(conn p1), \"tables\": {$(dup_all)}}"
expect_ok "Pagila PG -> PG DUPLICATE" "$DOPPEL" run -c "$T/a.json" --no-progress
for t in $TABLES; do
	check "Pagila $t equal" "$(pg pagila "SELECT count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $t x")" \
		"$(pg p1 "SELECT count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $t x")"
done
check "partitioned payment read through its parent" "16049" "$(pg p1 'SELECT count(*) FROM payment')"
check "store <-> staff cycle intact" "$(pg pagila "SELECT string_agg(store_id || ':' || manager_staff_id, ',' ORDER BY store_id) FROM store")" \
	"$(pg p1 "SELECT string_agg(store_id || ':' || manager_staff_id, ',' ORDER BY store_id) FROM store")"
check "triggers not fired: last_update kept" "$(pg pagila 'SELECT max(last_update) FROM customer')" "$(pg p1 'SELECT max(last_update) FROM customer')"
check "FKs created as in the source (partitions keep their own)" \
	"$(pg pagila "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")" \
	"$(pg p1 "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")"
check "serial keys continue after max id" "$(( $(pg pagila 'SELECT max(actor_id) FROM actor') + 1 ))" \
	"$(pg p1 "INSERT INTO actor (first_name, last_name) VALUES ('A', 'B') RETURNING actor_id" | head -1)"

# DE_IDENTIFY: PII columns detected and mocked, joins intact
engine "$T/b.json" "{\"seed_value\": 9, \"use_seed\": true, \"source\": $(conn pagila), \"target\": $(conn p2)}"
expect_ok "Pagila PG -> PG DE_IDENTIFY" "$DOPPEL" run -c "$T/b.json" --no-progress
grep -q "foreign-key violations in the target: 0" "$OUT" && ok "Pagila DE_IDENTIFY verified" || not_ok "Pagila verification"
check "customer e-mails all replaced" "0" "$(psql -X -At -d p2 -c "SELECT count(*) FROM customer WHERE email IN ($(pg pagila "SELECT string_agg(quote_literal(email), ',') FROM customer"))")"
check "rentals per customer preserved" "$(pg pagila "SELECT md5(string_agg(n::text, ',' ORDER BY customer_id)) FROM (SELECT customer_id, count(*) n FROM rental GROUP BY 1) x")" \
	"$(pg p2 "SELECT md5(string_agg(n::text, ',' ORDER BY customer_id)) FROM (SELECT customer_id, count(*) n FROM rental GROUP BY 1) x")"

# leak test: support notes quoting customers (names, e-mails, phones,
# addresses) added to a copy of Pagila; after DE_IDENTIFY no original value of
# any column the plan mocks or masks appears anywhere in the target
psql -q -c "CREATE DATABASE pnotes TEMPLATE pagila" -c "CREATE DATABASE p6" >/dev/null
pg pnotes "CREATE TABLE customer_note (note_id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customer, body text NOT NULL);
 INSERT INTO customer_note (customer_id, body) SELECT c.customer_id, 'Customer ' || c.first_name || ' ' || c.last_name || ' (' || c.email ||
   ') called from +' || a.phone || ' about a late return; lives at ' || a.address || ', please call back.'
 FROM customer c JOIN address a USING (address_id) WHERE a.phone <> ''" >/dev/null
engine "$T/n.json" "{\"seed_value\": 9, \"use_seed\": true, \"source\": $(conn pnotes), \"target\": $(conn p6)}"
"$DOPPEL" plan -c "$T/n.json" >"$T/n.plan" 2>&1
grep -q "body .*mask:textpii" "$T/n.plan" && ok "Pagila notes: free text detected" || not_ok "notes plan" "$(grep body "$T/n.plan")"
expect_ok "Pagila with notes DE_IDENTIFY" "$DOPPEL" run -c "$T/n.json" --no-progress
# every mocked/masked column's values, and full names
awk '/^ *[0-9]+\. /{t=$2} /(mock:|mask:(hash|redact|fpe))/ && t != "" {print t "." $1}' "$T/n.plan" | sort -u >"$T/pii-cols.txt"
: >"$T/pii-values.txt"
while IFS=. read -r t c; do
	pg pnotes "SELECT DISTINCT $c::text FROM $t WHERE length($c::text) >= 6" >>"$T/pii-values.txt"
done <"$T/pii-cols.txt"
pg pnotes "SELECT first_name || ' ' || last_name FROM customer UNION SELECT first_name || ' ' || last_name FROM staff" >>"$T/pii-values.txt"
# distinctive values only: e-mails, phones, street addresses, postcodes and
# full names; a single common word ("Parker") or a place name ("Abu Dhabi",
# also a district kept as is) is no leak when it shows up elsewhere
grep -E '[0-9@]' "$T/pii-values.txt" | awk 'length($0) >= 5' >"$T/pii-distinct.txt"
pg pnotes "SELECT first_name || ' ' || last_name FROM customer UNION SELECT first_name || ' ' || last_name FROM staff
 UNION SELECT first_name || ' ' || last_name FROM actor" >>"$T/pii-distinct.txt"
mv "$T/pii-distinct.txt" "$T/pii-values.txt"
pg_dump -d p6 --data-only >"$T/p6.sql" 2>"$T/dump.err"
n=$(grep -c -F -f "$T/pii-values.txt" "$T/p6.sql")
check "leak test: none of $(wc -l <"$T/pii-values.txt") PII values of $(wc -l <"$T/pii-cols.txt") columns appears in the target" "0" "$n"
[ "$n" = 0 ] || { grep -o -F -f "$T/pii-values.txt" "$T/p6.sql" | sort | uniq -c | sort -rn | head -8; cat "$T/pii-cols.txt"; }

# subsets on PostgreSQL: 10% of rentals; customers of store 1
psql -q -c "CREATE DATABASE p4" -c "CREATE DATABASE p5" >/dev/null
shrink='"customer": {"mode": "SUBSET"}, "inventory": {"mode": "SUBSET"}, "film": {"mode": "SUBSET"}, "staff": {"mode": "SUBSET"}, "store": {"mode": "SUBSET"}, "address": {"mode": "SUBSET"}'
engine "$T/s1.json" "{\"seed_value\": 2, \"use_seed\": true, \"source\": $(conn pagila), \"target\": $(conn p4),
 \"tables\": {\"rental\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}}, $shrink}}"
expect_ok "Pagila subset: rental 10%" "$DOPPEL" run -c "$T/s1.json" --no-progress
n=$(pg p4 'SELECT count(*) FROM rental')
[ "$n" -ge 1400 ] && [ "$n" -le 1800 ] && ok "about 10% of 16044 rentals ($n)" || not_ok "rental share" "$n"
check "payments only for kept rentals" "0" "$(pg p4 'SELECT count(*) FROM payment WHERE rental_id NOT IN (SELECT rental_id FROM rental)')"
check "every kept rental's customer, inventory, staff present" "0" \
	"$(pg p4 'SELECT count(*) FROM rental r WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.customer_id = r.customer_id) OR NOT EXISTS (SELECT 1 FROM inventory i WHERE i.inventory_id = r.inventory_id) OR NOT EXISTS (SELECT 1 FROM staff s WHERE s.staff_id = r.staff_id)')"
c=$(pg p4 'SELECT count(*) FROM customer'); [ "$c" -lt 599 ] && ok "customers shrunk to those needed ($c of 599)" || not_ok "customers shrunk" "$c"
grep -q "foreign-key violations in the target: 0" "$OUT" && ok "Pagila subset verified" || not_ok "Pagila subset verification"
engine "$T/s2.json" "{\"source\": $(conn pagila), \"target\": $(conn p5),
 \"tables\": {\"customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"store_id = 1\"}}, \"rental\": {\"mode\": \"SUBSET\"}}}"
expect_ok "Pagila subset: customer where store_id = 1" "$DOPPEL" run -c "$T/s2.json" --no-progress
check "where on PG: every customer of store 1" "$(pg pagila 'SELECT count(*) FROM customer WHERE store_id = 1')" "$(pg p5 'SELECT count(*) FROM customer WHERE store_id = 1')"
check "where on PG: other customers only where a kept payment needs them" "0" \
	"$(pg p5 'SELECT count(*) FROM customer c WHERE store_id <> 1 AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.customer_id = c.customer_id)')"
check "their rentals, all of them" "$(pg pagila 'SELECT count(*) FROM rental WHERE customer_id IN (SELECT customer_id FROM customer WHERE store_id = 1)')" \
	"$(pg p5 'SELECT count(*) FROM rental')"

# FKs enforced during the load: the NOT NULL store <-> staff cycle cannot load
engine "$T/c.json" "{\"default_drop_indexes\": false, \"source\": $(conn pagila), \"target\": $(conn p3)}"
expect_fail "NOT NULL cycle with FKs enforced during the load is named" 2 "cycle.*(store.*staff|staff.*store)" "$DOPPEL" run -c "$T/c.json" --no-progress
check "nothing created in the target" "0" "$(pg p3 "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
