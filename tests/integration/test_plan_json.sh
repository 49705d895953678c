#!/bin/sh
# `doppel plan --json` and `--json-in`: the plan as JSON survives the trip
# (plan --json > a; plan --json-in a --json > b; a == b) for subset, key
# regeneration, presets and SYNTHESIZE engines on Chinook (SQLite); the
# human plan of a plan read back is the plan; a plan read against a changed
# source, of another version, or broken, is refused naming the culprit.
. "$(dirname "$0")/lib.sh"
S="$T/chinook.db"
cp "$CHINOOK" "$S"
src="\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
tgt() { echo "\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"}"; }
# jq-free JSON reads: the sqlite3 shell's readfile() and json_extract()
jx() { q ":memory:" "SELECT json_extract(readfile('$1'), '$2')"; }

engine "$T/sub.json" "{\"seed_value\": 5, \"use_seed\": true, \"key_generation_method\": \"generate\",
 \"default_drop_indexes\": false, $src, $(tgt sub),
 \"tables\": {\"Invoice\": {\"mode\": \"SUBSET\", \"subset\": {\"percent\": 20}},
   \"Customer\": {\"mode\": \"SUBSET\", \"columns\": {\"Company\": {\"generator\": \"constant\", \"value\": \"ACME\"}}},
   \"Employee\": {\"mode\": \"SUBSET\"}, \"PlaylistTrack\": {\"mode\": \"EXCLUDE\"}, \"Playlist\": {\"mode\": \"DUPLICATE\"}}}"
engine "$T/mock.json" "{\"seed_value\": 9, \"use_seed\": true, \"initialization_mode\": \"MOCK_OR_MASK\",
 \"key_generation_method\": \"hash\", \"default_drop_indexes\": true, $src, $(tgt mock)}"
engine "$T/syn.json" "{\"seed_value\": 3, \"use_seed\": true, \"key_generation_method\": \"generate\", $src, $(tgt syn),
 \"tables\": {\"Invoice\": {\"mode\": \"SYNTHESIZE\"}, \"InvoiceLine\": {\"mode\": \"SYNTHESIZE\"},
   \"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country IN ('USA', 'Canada')\"}}}}"
engine "$T/fresh.json" "{\"use_seed\": false, $src, $(tgt fresh)}"

for e in sub mock syn fresh; do
	expect_ok "$e: plan --json" "$DOPPEL" plan -c "$T/$e.json" --json
	cp "$OUT" "$T/$e.a"
	check "$e: stdout is one JSON document" "1" "$(q ":memory:" "SELECT json_valid(readfile('$T/$e.a'))")"
	expect_ok "$e: plan --json-in a --json" "$DOPPEL" plan -c "$T/$e.json" --json-in "$T/$e.a" --json
	cp "$OUT" "$T/$e.b"
	check "$e: the plan read back prints the same JSON" "$(file_sum "$T/$e.a")" "$(file_sum "$T/$e.b")"
	expect_ok "$e: plan" "$DOPPEL" plan -c "$T/$e.json"
	cp "$OUT" "$T/$e.h1"
	expect_ok "$e: plan --json-in a (in words)" "$DOPPEL" plan -c "$T/$e.json" --json-in "$T/$e.a"
	# (a fresh seed is drawn by each plan; the plan read back keeps its own)
	check "$e: the plan read back prints the same plan in words" "$(grep -v '^  seed: ' "$T/$e.h1" | sha256sum)" \
		"$(grep -v '^  seed: ' "$OUT" | sha256sum)"
	[ ! -e "$T/$e.db" ] && ok "$e: no target touched" || not_ok "$e: no target touched"
done

check "format and version" "doppel-plan 1" "$(jx "$T/sub.a" '$.format') $(jx "$T/sub.a" '$.version')"
check "seed is a string" "text" "$(q ":memory:" "SELECT json_type(readfile('$T/sub.a'), '$.seed')")"
check "SUBSET rule in the plan" "20" \
	"$(q ":memory:" "SELECT json_extract(t.value, '$.subset.percent') FROM json_each(readfile('$T/sub.a'), '$.tables') t WHERE json_extract(t.value, '$.name') = 'Invoice'")"
check "closure: InvoiceLine filtered" "1" \
	"$(q ":memory:" "SELECT json_extract(t.value, '$.filtered') FROM json_each(readfile('$T/sub.a'), '$.tables') t WHERE json_extract(t.value, '$.name') = 'InvoiceLine'")"
check "engine-file constant carries its value" "ACME" \
	"$(q ":memory:" "SELECT json_extract(c.value, '$.generator.value') FROM json_each(readfile('$T/sub.a'), '$.tables') t, json_each(t.value, '$.columns') c WHERE json_extract(t.value, '$.name') = 'Customer' AND json_extract(c.value, '$.name') = 'Company'")"
check "immediate FK enforcement (drop_indexes false)" "1" "$(jx "$T/sub.a" '$.immediate_fk')"
check "key domains (generate)" "generate" "$(jx "$T/sub.a" '$.keys[0].method')"
check "self-reference deferred (Employee.ReportsTo)" "1" \
	"$(q ":memory:" "SELECT json_extract(c.value, '$.deferred') FROM json_each(readfile('$T/sub.a'), '$.tables') t, json_each(t.value, '$.columns') c WHERE json_extract(t.value, '$.name') = 'Employee' AND json_extract(c.value, '$.name') = 'ReportsTo'")"
check "synth order" '["Invoice","InvoiceLine"]' "$(jx "$T/syn.a" '$.synth_order')"
check "synth role: Invoice.CustomerId is the sequence FK" "seq_fk Customer" \
	"$(q ":memory:" "SELECT json_extract(c.value, '$.role') || ' ' || json_extract(c.value, '$.ref') FROM json_each(readfile('$T/syn.a'), '$.tables') t, json_each(t.value, '$.columns') c WHERE json_extract(t.value, '$.name') = 'Invoice' AND json_extract(c.value, '$.name') = 'CustomerId'")"
check "run-time state is not in the plan" "" "$(grep -E '"(map|perm|shuffle|nshuffle|max_key|survived|names)"' "$T/sub.a" "$T/syn.a" "$T/mock.a")"
# use_seed false: a fresh seed each plan, but the plan read back keeps its own
check "fresh seed kept by the plan read back" "$(jx "$T/fresh.a" '$.seed')" "$(jx "$T/fresh.b" '$.seed')"

# ---- refusals ----
sed 's/"version":\t1,/"version":\t9,/' "$T/sub.a" >"$T/v9.json"
expect_fail "another format version is refused" 2 "v9.json: version: a plan of format version 9; this doppel reads version 1" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/v9.json"
head -c 2000 "$T/sub.a" >"$T/cut.json"
expect_fail "a truncated plan is refused with its position" 2 "cut.json: plan: not valid JSON at line [0-9]+, column [0-9]+" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/cut.json"
sed '0,/"mode":\t"DUPLICATE"/s//"mode":\t"COPY"/' "$T/sub.a" >"$T/mode.json"
expect_fail "an unknown mode is refused with its JSON path" 2 "tables\[[0-9]+\]\.mode: unknown value; expected one of SYNTHESIZE" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/mode.json"
sed 's/"est_rows":\t\([0-9]*\)/"est_rows":\t"\1"/' "$T/sub.a" >"$T/type.json"
expect_fail "a wrong type is refused with its JSON path" 2 "tables\[0\]\.est_rows: expected a number" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/type.json"
expect_fail "a missing plan file" 2 "--json-in $T/nope.json: cannot open it" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/nope.json"
# the engine file changed since the plan was made
sed 's/"percent": 20/"percent": 30/' "$T/sub.json" >"$T/sub30.json"
expect_fail "a plan of another subset rule is refused" 2 "tables\[[0-9]+\]\.subset\.percent: differs from the engine file's tables\.Invoice\.subset" \
	"$DOPPEL" plan -c "$T/sub30.json" --json-in "$T/sub.a"
sed 's/"value": "ACME"/"value": "Initech"/' "$T/sub.json" >"$T/acme.json"
expect_fail "a plan of another generator value is refused (no value quoted)" 2 "tables\[[0-9]+\]\.columns\[[0-9]+\]\.generator\.value: differs" \
	"$DOPPEL" plan -c "$T/acme.json" --json-in "$T/sub.a"
grep -q "ACME\|Initech" "$ERR" && not_ok "the refusal quotes no value" || ok "the refusal quotes no value"
# the source changed since the plan was made: a column added, one renamed
sqlite3 "$S" 'ALTER TABLE Customer ADD COLUMN Nickname TEXT'
expect_fail "a plan of another schema (column added) is refused naming it" 1 \
	"schema\.tables\[[0-9]+\]\.columns: the source has a column Customer\.Nickname the plan does not have" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/sub.a"
sqlite3 "$S" 'ALTER TABLE Customer DROP COLUMN Nickname; ALTER TABLE Artist RENAME COLUMN Name TO Title'
expect_fail "a plan of another schema (column renamed) is refused naming it" 1 \
	"schema\.tables\[[0-9]+\]\.columns\[1\]: the plan has Artist\.Name here, the source has Artist\.Title" \
	"$DOPPEL" plan -c "$T/sub.json" --json-in "$T/sub.a"
[ ! -s "$OUT" ] && ok "a refused plan prints nothing on stdout" || not_ok "a refused plan prints nothing on stdout"
