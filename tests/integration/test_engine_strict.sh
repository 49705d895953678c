#!/bin/sh
# The engine file means exactly what it says: whatever would be dropped,
# ignored or rounded on the way in is refused with exit 2, naming its JSON
# path, by `doppel plan` and by `doppel run` alike, and nothing is created
# on the target. And the seed a run prints reproduces that run.
. "$(dirname "$0")/lib.sh"
S="$T/chinook.db"
cp "$CHINOOK" "$S"
SUM=$(file_sum "$S")
src="\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
tgt="\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t.db\"}"

# refused NAME PATTERN TEXT: the engine file TEXT is refused by plan and by
# run (exit 2, stderr matching PATTERN) and no target file appears
refused() {
	rname=$1; pat=$2
	printf '%s\n' "$3" >"$T/e.json"
	expect_fail "plan: $rname" 2 "$pat" "$DOPPEL" plan -c "$T/e.json"
	expect_fail "run: $rname" 2 "$pat" "$DOPPEL" run -c "$T/e.json" --no-progress
	if [ -e "$T/t.db" ] || ls "$T"/t.db?* >/dev/null 2>&1; then
		not_ok "no target after: $rname"
		rm -f "$T"/t.db*
	fi
}

# 1. one JSON document, nothing after it
refused "a second document after the first" "trailing data after the JSON document at line 1" \
	"{$src, $tgt} {$src, $tgt}"
refused "text after the document" "trailing data after the JSON document at line 2, column 1" \
	"{$src, $tgt}
x"

# 2. duplicate names at every level: the second one is named
refused "duplicate top-level key" "seed_value: given twice" \
	"{$src, $tgt, \"seed_value\": 1, \"use_seed\": true, \"seed_value\": 2}"
refused "duplicate source" "source: given twice" "{$src, $tgt, $src}"
refused "duplicate key in source" "source.database: given twice" \
	"{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\", \"database\": \"$T/other.db\"}, $tgt}"
refused "duplicate key in target" "target.database: given twice" \
	"{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t.db\", \"database\": \"$T/t2.db\"}}"
refused "duplicate table" "tables.Track: given twice" \
	"{$src, $tgt, \"tables\": {\"Track\": {\"mode\": \"EXCLUDE\"}, \"Genre\": {}, \"Track\": {\"mode\": \"DUPLICATE\"}}}"
refused "duplicate column" "tables.Customer.columns.Email: given twice" \
	"{$src, $tgt, \"tables\": {\"Customer\": {\"columns\": {\"Email\": \"mock:email\", \"Email\": \"duplicate\"}}}}"
refused "duplicate subset field" "tables.Invoice.subset.percent: given twice" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 5, \"percent\": 50}}}}"
refused "duplicate hook" "source.hooks_params.SSL: given twice" \
	"{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"hooks_params\": {\"SSL\": {\"ssl_mode\": \"require\"}, \"SSL\": {\"ssl_mode\": \"disable\"}}}, $tgt}"
[ -e "$T/t2.db" ] || [ -e "$T/other.db" ] && not_ok "no file from a duplicate key" || ok "no file from a duplicate key"

# 3. connection fields the connector never reads
for f in '"connection_string": "Driver=x"' '"dsn": "shop"' '"schema_name": "main"' '"host": "db.prod"' \
	 '"port": 5432' '"username": "reader"' '"password": "hunter2"' '"password_env": "HOME"' \
	 '"hooks_params": {"SSL": {"ssl_mode": "require"}}'; do
	k=$(echo "$f" | sed 's/^"\([a-z_]*\)".*/\1/')
	refused "sqlite ignores $k" "source.$k: the sqlite connector does not use it" \
		"{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\", $f}, $tgt}"
done
grep -q hunter2 "$ERR" && not_ok "the refused password is not echoed" || ok "the refused password is not echoed"
refused "target sqlite ignores schema_name" "target.schema_name: the sqlite connector does not use it" \
	"{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t.db\", \"schema_name\": \"main\"}}"
refused "postgresql ignores dsn" "source.dsn: the postgresql connector does not use it" \
	"{\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"dsn\": \"shop\"}, $tgt}"
refused "mysql ignores schema_name" "source.schema_name: the mysql connector does not use it" \
	"{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"schema_name\": \"shop\"}, $tgt}"
refused "protocol naming another connector" "source.protocol: names postgresql, but connector_type is sqlite" \
	"{\"source\": {\"connector_type\": \"sqlite\", \"protocol\": \"postgresql+psycopg2\", \"database\": \"$S\"}, $tgt}"

# 4. column lists of settings (plan time: they need the schema)
refused "unknown column in default_order_by_nr_columns" "default_order_by_nr_columns\[1\]: no column \"Nmae\" in any copied table" \
	"{$src, $tgt, \"default_order_by_nr_columns\": [\"Name\", \"Nmae\"]}"
refused "unknown column in a table's default_order_by_nr_columns" "tables.Track.default_order_by_nr_columns\[0\]: no column \"Nmae\" in table Track" \
	"{$src, $tgt, \"tables\": {\"Track\": {\"default_order_by_nr_columns\": [\"Nmae\"]}}}"
refused "unknown column in a table's model order" "tables.InvoiceLine.default_feat_model_train_order\[1\]: no column \"Quantty\" in table InvoiceLine" \
	"{$src, $tgt, \"tables\": {\"InvoiceLine\": {\"mode\": \"SYNTHESIZE\", \"default_feat_model_train_order\": [\"UnitPrice\", \"Quantty\"]}}}"
refused "model order on a copied table" "tables.Track.default_feat_model_train_order: orders the columns a SYNTHESIZE table models" \
	"{$src, $tgt, \"tables\": {\"Track\": {\"default_feat_model_train_order\": [\"Name\"]}}}"
refused "read order on a SYNTHESIZE table" "tables.InvoiceLine.default_order_by_nr_columns: orders the rows a copied table reads; this table is SYNTHESIZE" \
	"{$src, $tgt, \"tables\": {\"InvoiceLine\": {\"mode\": \"SYNTHESIZE\", \"default_order_by_nr_columns\": [\"Quantity\"]}}}"
refused "engine read order naming only an excluded table's column" "default_order_by_nr_columns\[0\]: no column \"Milliseconds\" in any copied table" \
	"{$src, $tgt, \"default_order_by_nr_columns\": [\"Milliseconds\"], \"tables\": {\"Track\": {\"mode\": \"EXCLUDE\"}}}"
refused "engine model order without a SYNTHESIZE table" "default_feat_model_train_order\[0\]: no column \"Name\" in any SYNTHESIZE table" \
	"{$src, $tgt, \"default_feat_model_train_order\": [\"Name\"]}"
engine "$T/ok.json" "{$src, $tgt, \"default_order_by_nr_columns\": [\"Name\"], \"tables\": {\"Track\": {\"default_order_by_nr_columns\": [\"Milliseconds\"]}}}"
expect_ok "known columns in the order lists still plan" "$DOPPEL" plan -c "$T/ok.json"

# 5. constant without value
refused "constant without value" "tables.Invoice.columns.BillingState.value: missing: the constant generator needs a value" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"columns\": {\"BillingState\": {\"generator\": \"constant\"}}}}}"
refused "value on a generator that ignores it" "tables.Invoice.columns.BillingState.value: generator \"null\" does not use a value" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"columns\": {\"BillingState\": {\"generator\": \"null\", \"value\": \"x\"}}}}}"
refused "a generator on a DUPLICATE table" "tables.Customer.columns.Email: the table's mode is DUPLICATE" \
	"{$src, $tgt, \"tables\": {\"Customer\": {\"mode\": \"DUPLICATE\", \"columns\": {\"Email\": \"mock:email\"}}}}"

# 6. subset on a table that is not SUBSET
refused "subset on a DE_IDENTIFY table" "tables.Invoice.subset: applies to mode SUBSET only; the table's mode is DE_IDENTIFY, so it would be ignored" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"DE_IDENTIFY\", \"subset\": {\"percent\": 10}}}}"
refused "subset on a table the preset fills" "tables.Invoice.subset: applies to mode SUBSET only; the table's mode is EXCLUDE \(from initialization_mode\)" \
	"{$src, $tgt, \"initialization_mode\": \"FROM_SCRATCH\", \"tables\": {\"Invoice\": {\"subset\": {\"percent\": 10}}}}"

# 7. subset fields another one hides
refused "percent with where" "tables.Invoice.subset.where: cannot be combined with percent" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10, \"where\": \"Total > 5\"}}}}"
refused "percent with limit" "tables.Invoice.subset.limit: cannot be combined with percent" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10, \"limit\": 5}}}}"
refused "order_by without limit" "tables.Invoice.subset.order_by: orders the rows a limit picks" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Total > 5\", \"order_by\": \"InvoiceDate\"}}}}"
refused "include_when on a table nothing pulls in" "tables.Invoice.subset.include_when: acts on rows that come in as children" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"include_when\": \"Total > 5\"}}}}"

# 8. null_if_unselected (plan time)
refused "null_if_unselected on a NOT NULL column" "tables.Invoice.null_if_unselected: Invoice.CustomerId is NOT NULL" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}, \"null_if_unselected\": [\"CustomerId\"]}}}"
refused "null_if_unselected on a column that is no FK" "tables.Invoice.null_if_unselected: BillingState is not a foreign-key column" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 10}, \"null_if_unselected\": [\"BillingState\"]}}}"
refused "null_if_unselected to a table that is not subset" "tables.Customer.null_if_unselected: SupportRepId references Employee, and that table is not subset" \
	"{$src, $tgt, \"tables\": {\"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country = 'Brazil'\"}, \"null_if_unselected\": [\"SupportRepId\"]}}}"

# 9. virtual foreign keys (plan time)
refused "virtual FK to a column that is no key" "virtual_foreign_keys\[0\].references.columns: not the primary key or a unique key of Customer" \
	"{$src, $tgt, \"virtual_foreign_keys\": [{\"table\": \"Invoice\", \"columns\": [\"BillingCity\"], \"references\": {\"table\": \"Customer\", \"columns\": [\"City\"]}}]}"
refused "virtual FK between types that never match" "virtual_foreign_keys\[0\].columns\[0\]: Track.Name is text but Genre.GenreId is integer" \
	"{$src, $tgt, \"virtual_foreign_keys\": [{\"table\": \"Track\", \"columns\": [\"Name\"], \"references\": {\"table\": \"Genre\", \"columns\": [\"GenreId\"]}}]}"
refused "virtual FK with different column counts" "virtual_foreign_keys\[0\].references.columns: 1 columns, but virtual_foreign_keys\[0\].columns has 2" \
	"{$src, $tgt, \"virtual_foreign_keys\": [{\"table\": \"PlaylistTrack\", \"columns\": [\"PlaylistId\", \"TrackId\"], \"references\": {\"table\": \"Playlist\", \"columns\": [\"PlaylistId\"]}}]}"
engine "$T/ok.json" "{$src, $tgt, \"virtual_foreign_keys\": [{\"table\": \"Invoice\", \"columns\": [\"CustomerId\"], \"references\": {\"table\": \"Customer\", \"columns\": [\"CustomerId\"]}}]}"
expect_ok "a virtual FK to a primary key still plans" "$DOPPEL" plan -c "$T/ok.json"

# 10. numbers, checked before any cast
refused "limit 1e300" "tables.Invoice.subset.limit: expected an integer in 0..9007199254740991" \
	"{$src, $tgt, \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"limit\": 1e300}}}}"
refused "n_parallel_pipeline_processes 1e20" "n_parallel_pipeline_processes: expected an integer in 1..64" \
	"{$src, $tgt, \"n_parallel_pipeline_processes\": 1e20}"
refused "a fraction for an integer" "default_max_pending_tasks: expected an integer in 1..1024, got a fraction" \
	"{$src, $tgt, \"default_max_pending_tasks\": 2.5}"
refused "negative zero" "tables.Track.default_clip_threshold: expected an integer in 0..1000000, got negative zero" \
	"{$src, $tgt, \"tables\": {\"Track\": {\"default_clip_threshold\": -0}}}"
refused "a number beyond a double" "default_noise_factor: number out of range" \
	"{$src, $tgt, \"default_noise_factor\": 1e400}"
refused "a fraction the double rounds away" "default_max_pending_tasks: more digits than a JSON number holds" \
	"{$src, $tgt, \"default_max_pending_tasks\": 4.0000000000000001}"

# 11. seed_value holds any int64
refused "seed beyond 2^53 as a number" "seed_value: beyond \+-2\^53 a JSON number is not exact.*string" \
	"{$src, $tgt, \"use_seed\": true, \"seed_value\": 9223372036854775807}"
refused "seed string with junk" "seed_value: expected a string of decimal digits" \
	"{$src, $tgt, \"use_seed\": true, \"seed_value\": \"42 \"}"
check "source never modified" "$SUM" "$(file_sum "$S")"

# the seed a run prints, pasted back (string or number), gives that target
rand="\"tables\": {\"Track\": {\"columns\": {\"Composer\": \"mock:full_name\", \"Milliseconds\": \"mask:noise\"}}}"
engine "$T/s0.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/s0.db\"}, $rand}"
expect_ok "a run without use_seed" "$DOPPEL" run -c "$T/s0.json" --no-progress
SEED=$(cat "$OUT" "$ERR" | sed -n 's/.*seed \(-\{0,1\}[0-9][0-9]*\) (fresh.*/\1/p' | head -1)
[ -n "$SEED" ] && ok "the run printed its seed" || not_ok "the run printed its seed"
for n in 1 2; do
	engine "$T/s$n.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/s$n.db\"}, $rand,
	 \"use_seed\": true, \"seed_value\": \"$SEED\"}"
	expect_ok "pasted seed as a string, run $n" "$DOPPEL" run -c "$T/s$n.json" --no-progress
	grep -q "seed $SEED" "$OUT" && ok "run $n used the pasted seed" || not_ok "run $n used the pasted seed"
done
D0=$(sqlite3 "$T/s0.db" .dump | sha256sum)
check "pasted seed: same target as the run that printed it" "$D0" "$(sqlite3 "$T/s1.db" .dump | sha256sum)"
check "pasted seed twice: same target" "$(sqlite3 "$T/s1.db" .dump | sha256sum)" "$(sqlite3 "$T/s2.db" .dump | sha256sum)"
[ "$(q "$T/s0.db" "ATTACH '$S' AS src; SELECT count(*) FROM Track t JOIN src.Track s USING (TrackId) WHERE t.Composer IS s.Composer")" -lt 3503 ] \
	&& ok "the seeded columns did change" || not_ok "the seeded columns did change"
engine "$T/s3.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/s3.db\"}, $rand,
 \"use_seed\": true, \"seed_value\": $SEED}"
if [ "$SEED" -lt 9007199254740992 ] 2>/dev/null; then
	expect_ok "pasted seed as a number" "$DOPPEL" run -c "$T/s3.json" --no-progress
	check "pasted seed as a number: same target" "$D0" "$(sqlite3 "$T/s3.db" .dump | sha256sum)"
else
	expect_fail "a printed seed beyond 2^53, pasted as a number, says to use the string" 2 \
		"seed_value: beyond \+-2\^53.*string" "$DOPPEL" run -c "$T/s3.json" --no-progress
	[ ! -e "$T/s3.db" ] && ok "no target from the refused number seed" || not_ok "no target from the refused number seed"
fi
# a seed below 2^53: the number and its string are the same seed
for f in 4 5; do
	v=9007199254740991; [ $f = 5 ] && v="\"9007199254740991\""
	engine "$T/s$f.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/s$f.db\"}, $rand,
	 \"use_seed\": true, \"seed_value\": $v}"
	expect_ok "seed 2^53-1 as $( [ $f = 4 ] && echo number || echo string)" "$DOPPEL" run -c "$T/s$f.json" --no-progress
done
check "seed 2^53-1: number and string give the same target" "$(sqlite3 "$T/s4.db" .dump | sha256sum)" "$(sqlite3 "$T/s5.db" .dump | sha256sum)"
