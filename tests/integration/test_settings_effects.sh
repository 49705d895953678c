#!/bin/sh
# Each engine setting that governs a capability available now, shown by its
# effect on a real run (demo shop database). Settings of capabilities not
# built yet (free-text PII) are parsed and validated (see test_errors.sh and
# the unit tests); synthesis settings are shown in test_synth.sh.
. "$(dirname "$0")/lib.sh"
"$DOPPEL" demo --dir "$T/d" --no-progress >/dev/null 2>&1 || not_ok "demo setup"
S="$T/d/shop.db"
base='"seed_value": 5, "use_seed": true'
src="\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
run_engine() {   # name, extra settings, target file
	engine "$T/$1.json" "{$base, $src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"} $2}"
	run "$DOPPEL" -v run -c "$T/$1.json" --no-progress --report-dir "$T"
}
dump() { sqlite3 "$1" .dump | sha256sum; }

run_engine ref ""
[ "$RC" = 0 ] && ok "reference run" || not_ok "reference run"
REF=$(dump "$T/ref.db")

# n_parallel_pipeline_processes: how many workers load tables; same result
run_engine p1 ', "n_parallel_pipeline_processes": 1'
grep -q "worker 1:" "$ERR" && ! grep -q "worker 2:" "$ERR" && ok "n_parallel_pipeline_processes=1: one worker" || not_ok "one worker"
check "n_parallel_pipeline_processes=1: same target" "$REF" "$(dump "$T/p1.db")"
run_engine p4 ', "n_parallel_pipeline_processes": 4'
grep -q "worker 3:" "$ERR" && ok "n_parallel_pipeline_processes=4: four workers" || not_ok "four workers"
check "n_parallel_pipeline_processes=4: same target" "$REF" "$(dump "$T/p4.db")"

# default_fast_executemany: bulk vs row-by-row statements; same result
run_engine fe ', "default_fast_executemany": false'
grep -q "row-by-row writes" "$ERR" && ok "default_fast_executemany=false: row-by-row" || not_ok "row-by-row"
check "default_fast_executemany=false: same target" "$REF" "$(dump "$T/fe.db")"

# default_ray_memory_optimization and default_max_pending_tasks bound memory
run_engine rm ', "default_ray_memory_optimization": true, "default_max_pending_tasks": 1'
grep -q "batches of 256 rows, up to 2 in flight" "$ERR" && ok "ray_memory_optimization + max_pending_tasks=1: small bounded batches" \
	|| not_ok "small batches"
check "memory settings: same target" "$REF" "$(dump "$T/rm.db")"
run_engine mp ', "tables": {"orders": {"default_max_pending_tasks": 9}}'
grep -q "table orders: batches of 2048 rows, up to 10 in flight" "$ERR" && grep -q "table customers: batches of 2048 rows, up to 5 in flight" "$ERR" \
	&& ok "default_max_pending_tasks overridden per table" || not_ok "per-table override"

# default_drop_indexes=false: indexes and FK checks during the load; same result
run_engine di ', "default_drop_indexes": false'
"$DOPPEL" plan -c "$T/di.json" >"$T/plan.txt" 2>&1
grep -qi "during the load" "$T/plan.txt" && ok "default_drop_indexes=false: plan says FKs are enforced during the load" \
	|| not_ok "plan FK mode" "$(grep -i 'foreign keys' "$T/plan.txt")"
check "default_drop_indexes=false: same target" "$REF" "$(dump "$T/di.db")"

# default_order_by_nr_columns: read order, so per-row (inconsistent) mocks follow it
run_engine o1 ', "tables": {"customers": {"columns": {"first_name": {"generator": "mock:first_name", "consistent": false}}}}'
A=$(q "$T/o1.db" "SELECT group_concat(first_name) FROM customers")
run_engine o2 ', "default_order_by_nr_columns": ["last_name"], "tables": {"customers": {"columns": {"first_name": {"generator": "mock:first_name", "consistent": false}}}}'
grep -q "table customers: .*ordered by last_name" "$ERR" && ok "default_order_by_nr_columns: reads ordered by it" || not_ok "ordered reads"
B=$(q "$T/o2.db" "SELECT group_concat(first_name) FROM customers")
[ "$A" != "$B" ] && ok "default_order_by_nr_columns changes row ordinals (per-row mocks differ)" || not_ok "order_by effect"
check "default_order_by_nr_columns: rows unchanged otherwise" \
	"$(q "$T/o1.db" 'SELECT count(*), sum(customer_id) FROM customers')" "$(q "$T/o2.db" 'SELECT count(*), sum(customer_id) FROM customers')"

# consistent: false gives different values to equal inputs
run_engine c0 ', "tables": {"orders": {"columns": {"ship_city": {"generator": "mock:city", "consistent": false}}}}'
run_engine c1 ', "tables": {"orders": {"columns": {"ship_city": {"generator": "mock:city", "consistent": true}}}}'
n0=$(q "$T/c0.db" "ATTACH '$S' AS s; SELECT count(DISTINCT g.ship_city) FROM main.orders g JOIN s.orders o USING(order_id) WHERE o.ship_city = (SELECT ship_city FROM s.orders WHERE ship_city IS NOT NULL LIMIT 1)")
n1=$(q "$T/c1.db" "ATTACH '$S' AS s; SELECT count(DISTINCT g.ship_city) FROM main.orders g JOIN s.orders o USING(order_id) WHERE o.ship_city = (SELECT ship_city FROM s.orders WHERE ship_city IS NOT NULL LIMIT 1)")
check "consistent=true: one source city maps to one mock city" "1" "$n1"
[ "$n0" -gt 1 ] && ok "consistent=false: one source city maps to many ($n0)" || not_ok "consistent=false" "$n0"

# pii_model_settings: detection by column name can be switched off or made stricter
run_engine pn ', "pii_model_settings": {"use_name_rules": false, "use_value_patterns": false, "use_dictionaries": false}, "tables": {}'
check "pii_model_settings all detectors off: undetected columns copied" "1500" \
	"$(q "$T/pn.db" "ATTACH '$S' AS s; SELECT count(*) FROM main.customers g JOIN s.customers o USING(customer_id) WHERE g.last_name = o.last_name")"
run_engine pv ', "pii_model_settings": {"use_name_rules": false}, "tables": {}'
check "pii_model_settings.use_name_rules=false: last names still found by the dictionaries" "0" \
	"$(q "$T/pv.db" "ATTACH '$S' AS s; SELECT count(*) FROM main.customers g JOIN s.customers o USING(customer_id) WHERE g.last_name = o.last_name")"
check "pii_model_settings.use_name_rules=false: e-mails still found by their values" "0" \
	"$(q "$T/pv.db" "ATTACH '$S' AS s; SELECT count(*) FROM main.customers g JOIN s.customers o USING(customer_id) WHERE g.email = o.email")"
run_engine pt ', "pii_model_settings": {"threshold": 1.0, "use_value_patterns": false, "use_dictionaries": false}'
grep -q "PII columns whose original values survive: 0 (0 columns" "$OUT" && ok "pii_model_settings.threshold=1.0: no name rule is that sure, nothing detected" \
	|| not_ok "threshold" "$(grep verification "$OUT")"

# default_locale: mock values in the locale's own formats; per-table override
run_engine lo ', "default_locale": "nl", "tables": {"employees": {"default_locale": "de"}}'
[ "$RC" = 0 ] && ok "default_locale=nl runs" || not_ok "default_locale=nl"
check "default_locale=nl: Dutch mobile numbers" "0" "$(q "$T/lo.db" "SELECT count(*) FROM customers WHERE phone NOT LIKE '+31 6 %'")"
check "default_locale=nl: Dutch postcodes" "0" "$(q "$T/lo.db" "SELECT count(*) FROM customers WHERE postcode NOT GLOB '[0-9][0-9][0-9][0-9] [A-Z][A-Z]'")"
check "table override default_locale=de: German numbers for employees" "0" "$(q "$T/lo.db" "SELECT count(*) FROM employees WHERE phone NOT LIKE '+49 151 %'")"
run_engine lx ', "default_locale": "es"'
[ "$RC" = 2 ] && grep -q 'locale "es" has no mock data (available: en, nl, de, fr)' "$ERR" && ok "default_locale=es: refused naming the available locales" \
	|| not_ok "locale refusal"

# initialization_mode SYNTHESIZE: every table synthesized (the demo shop:
# customers -> orders -> order_items (order_id, line_no), payments)
run_engine im ', "initialization_mode": "SYNTHESIZE", "default_min_sample_size": 10'
[ "$RC" = 0 ] && ok "initialization_mode=SYNTHESIZE: the whole shop synthesized" || not_ok "initialization_mode=SYNTHESIZE"
check "initialization_mode=SYNTHESIZE: every FK resolves" "" "$(q "$T/im.db" 'PRAGMA foreign_key_check')"
check "order_items.line_no numbers the lines of each order" "0" \
	"$(q "$T/im.db" 'SELECT count(*) FROM (SELECT order_id FROM order_items GROUP BY 1 HAVING max(line_no) <> count(*))')"
n=$(q "$T/im.db" "ATTACH '$S' AS s; SELECT count(*) FROM customers WHERE email IN (SELECT email FROM s.customers)")
check "initialization_mode=SYNTHESIZE: PII columns mocked (no source e-mail)" "0" "$n"

# initialization_mode MOCK: every column a mock of its type (keys kept)
run_engine mk ', "initialization_mode": "MOCK"'
[ "$RC" = 0 ] && ok "initialization_mode=MOCK: the shop mocked" || not_ok "initialization_mode=MOCK"
check "MOCK: every FK resolves" "" "$(q "$T/mk.db" 'PRAGMA foreign_key_check')"
check "MOCK: statuses drawn from the CHECK's list" "0" \
	"$(q "$T/mk.db" "SELECT count(*) FROM orders WHERE status NOT IN ('new','paid','shipped','delivered','cancelled')")"
n=$(q "$T/mk.db" "ATTACH '$S' AS s; SELECT count(*) FROM products p JOIN s.products o USING (product_id) WHERE p.name = o.name OR p.unit_price = o.unit_price")
[ "$n" -le 2 ] && ok "MOCK: product names and prices owe nothing to the source ($n equal)" || not_ok "MOCK values" "$n"
check "MOCK: unique SKUs stay unique" "200" "$(q "$T/mk.db" 'SELECT count(DISTINCT sku) FROM products')"
# initialization_mode MOCK_OR_MASK: PII mocked, the rest masked by type
run_engine mm ', "initialization_mode": "MOCK_OR_MASK"'
[ "$RC" = 0 ] && ok "initialization_mode=MOCK_OR_MASK: the shop masked" || not_ok "initialization_mode=MOCK_OR_MASK"
# dates shift per row (one offset for every date of a row, backwards by 1..365
# days, so the order of a row's dates survives), not by one offset per job
check "MOCK_OR_MASK: every order date shifted back by 1..365 days" "0" \
	"$(q "$T/mm.db" "ATTACH '$S' AS s; SELECT count(*) FROM orders n JOIN s.orders o USING (order_id) WHERE round(julianday(n.order_date) - julianday(o.order_date)) NOT BETWEEN -365 AND -1")"
n=$(q "$T/mm.db" "ATTACH '$S' AS s; SELECT count(DISTINCT round(julianday(n.order_date) - julianday(o.order_date))) FROM orders n JOIN s.orders o USING (order_id)")
[ "$n" -gt 100 ] && ok "MOCK_OR_MASK: the offset differs from row to row ($n offsets)" || not_ok "MOCK_OR_MASK: per-row offsets" "$n"
check "MOCK_OR_MASK: amounts noised within half, sign kept" "0" \
	"$(q "$T/mm.db" "ATTACH '$S' AS s; SELECT count(*) FROM payments n JOIN s.payments o USING (payment_id) WHERE n.amount < o.amount * 0.5 - 0.01 OR n.amount > o.amount * 1.5 + 0.01")"
check "MOCK_OR_MASK: product names scrambled, lengths kept" "0" \
	"$(q "$T/mm.db" "ATTACH '$S' AS s; SELECT count(*) FROM products n JOIN s.products o USING (product_id) WHERE length(n.name) <> length(o.name) OR n.name = o.name")"

# big tables are split into key-range chunks shared by the workers; rows keep
# their ordinals, so per-row (consistent: false) mocks do not depend on it
B="$T/big.db"
sqlite3 "$B" "CREATE TABLE people (id INTEGER PRIMARY KEY, full_name TEXT, city TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 150000)
 INSERT INTO people SELECT i * 3, 'Person ' || i, 'City ' || (i % 50) FROM s;"
for n in 1 3; do
	engine "$T/big$n.json" "{$base, \"n_parallel_pipeline_processes\": $n, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$B\"},
	 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/big$n.db\"},
	 \"tables\": {\"people\": {\"columns\": {\"city\": {\"generator\": \"mock:city\", \"consistent\": false}}}}}"
	run "$DOPPEL" -v run -c "$T/big$n.json" --no-progress
	[ "$RC" = 0 ] && ok "big table, $n worker(s)" || not_ok "big table, $n worker(s)"
done
grep -q "table people: [0-9]* chunks" "$ERR" && grep -q "worker 3: table people" "$ERR" \
	&& ok "n_parallel_pipeline_processes=3: one big table split into chunks across 3 workers" || not_ok "chunks across workers"
check "chunked and whole-table reads give the same target" "$(dump "$T/big1.db")" "$(dump "$T/big3.db")"
