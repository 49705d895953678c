#!/bin/sh
# SYNTHESIZE on SQLite: UCI Adult (quality, privacy, determinism, every
# synthesis setting by its effect), Chinook as sequence trees (Customer ->
# Invoice, Artist -> Album, Track -> InvoiceLine / PlaylistTrack) with every
# FK resolving, and the refusals.
. "$(dirname "$0")/lib.sh"
ADULT="$T/adult.db"
sh "$DOPPEL_DATA/adult/load.sh" "$ADULT" >/dev/null 2>&1 || not_ok "load Adult"
check "Adult loaded" "32561" "$(q "$ADULT" 'SELECT count(*) FROM adult')"
# a 4000-row cut for the settings (fast runs)
SMALL="$T/small.db"
cp "$ADULT" "$SMALL"
q "$SMALL" "DELETE FROM adult WHERE id > 4000" >/dev/null

rj() { q ":memory:" "SELECT json_extract(readfile('$1'), '$2')"; }
# rt FILE TABLE PATH: a field of one table's entry in report.json
rt() { q ":memory:" "SELECT json_extract(value, '$3') FROM json_each(json_extract(readfile('$1'), '\$.tables')) WHERE json_extract(value, '\$.table') = '$2'"; }
ge() { [ "$(q ':memory:' "SELECT ($1) >= ($2)")" = 1 ]; }
synth() {   # name, source db, extra settings
	mkdir -p "$T/$1"
	engine "$T/$1.json" "{\"seed_value\": 11, \"use_seed\": true, \"initialization_mode\": \"SYNTHESIZE\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$2\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/$1.db\"} $3}"
	run "$DOPPEL" -v run -c "$T/$1.json" --no-progress --report-dir "$T/$1"
}
dump() { sqlite3 "$1" "SELECT * FROM adult ORDER BY id" | sha256sum; }

# ---- Adult: quality and privacy ----
SRC_SUM=$(file_sum "$ADULT")
synth full "$ADULT" ""
[ "$RC" = 0 ] && ok "Adult synthesized" || not_ok "Adult synthesized"
check "source untouched" "$SRC_SUM" "$(file_sum "$ADULT")"
check "as many rows as the source" "32561" "$(q "$T/full.db" 'SELECT count(*) FROM adult')"
QUAL=$(rj "$T/full/report.json" '$.tables[0].quality.overall')
ge "$QUAL" 0.95 && ok "Adult quality $QUAL >= 0.95" || not_ok "Adult quality" "$QUAL"
DCR=$(rj "$T/full/report.json" '$.tables[0].privacy.dcr_share')
ge 0.55 "$DCR" && ok "Adult DCR share $DCR <= 0.55" || not_ok "DCR share" "$DCR"
IDS=$(rj "$T/full/report.json" '$.tables[0].privacy.identical_to_training_share')
IDH=$(rj "$T/full/report.json" '$.tables[0].privacy.holdout_identical_to_training_share')
ge "$IDH" "$IDS" && ok "synthetic rows equal a training row no more often than holdout rows ($IDS <= $IDH)" \
	|| not_ok "identical share" "$IDS > $IDH"
grep -q "holdout" "$T/full/report.json" && grep -q "<svg" "$T/full/report.html" && ! grep -q "http" "$T/full/report.html" \
	&& ok "report.json names its holdout; report.html is self-contained with inline SVG" || not_ok "report files"
grep -q "synthesis adult: quality" "$OUT" && ok "summary prints the quality" || not_ok "summary quality"
# no source row appears as such (all 15 columns)
n=$(q "$T/full.db" "ATTACH '$ADULT' AS s; SELECT count(*) FROM (SELECT age,workclass,fnlwgt,education,education_num,marital_status,occupation,relationship,race,sex,capital_gain,capital_loss,hours_per_week,native_country,income FROM main.adult INTERSECT SELECT age,workclass,fnlwgt,education,education_num,marital_status,occupation,relationship,race,sex,capital_gain,capital_loss,hours_per_week,native_country,income FROM s.adult)")
ge 10 "$n" && ok "at most a handful of synthetic rows equal a source row ($n of 32561)" || not_ok "copied rows" "$n"
# distributions and a dependency kept (sex x relationship)
check "income categories kept" "$(q "$ADULT" 'SELECT group_concat(DISTINCT income) FROM (SELECT income FROM adult ORDER BY 1)')" \
	"$(q "$T/full.db" 'SELECT group_concat(DISTINCT income) FROM (SELECT income FROM adult ORDER BY 1)')"
n=$(q "$T/full.db" "SELECT count(*) FROM adult WHERE relationship = 'Husband' AND sex = 'Female'")
ge 30 "$n" && ok "dependency kept: Husband rows are (almost) all Male ($n Female)" || not_ok "dependency" "$n"

# ---- doppel report: the same scores from the target, and a damaged target scores lower ----
mkdir -p "$T/rep"
expect_ok "doppel report scores the synthesized target again" "$DOPPEL" report -c "$T/full.json" --report-dir "$T/rep"
check "doppel report: same quality as the run's report" "$QUAL" "$(rj "$T/rep/report.json" '$.tables[0].quality.overall')"
check "doppel report: target and source untouched" "$SRC_SUM" "$(file_sum "$ADULT")"
cp "$T/full.db" "$T/damaged.db"
q "$T/damaged.db" "UPDATE adult SET income = '<=50K', age = 17" >/dev/null
sed "s|$T/full.db|$T/damaged.db|" "$T/full.json" >"$T/damaged.json"
run "$DOPPEL" report -c "$T/damaged.json" --report-dir "$T/rep"
D=$(rj "$T/rep/report.json" '$.tables[0].quality.overall')
ge "$QUAL - 0.05" "$D" && ok "doppel report: a damaged target scores lower ($QUAL -> $D)" || not_ok "damaged score" "$D"
sed 's/"use_seed": true/"use_seed": false/' "$T/full.json" >"$T/noseed.json"
expect_fail "doppel report without use_seed is refused" 2 "use_seed: doppel report needs use_seed true" "$DOPPEL" report -c "$T/noseed.json"

# ---- determinism ----
synth again "$SMALL" ""
A=$(dump "$T/again.db")
synth again2 "$SMALL" ', "n_parallel_pipeline_processes": 1'
check "same seed, one worker instead of two: identical target" "$A" "$(dump "$T/again2.db")"
synth seed2 "$SMALL" ', "seed_value": 12'
[ "$A" != "$(dump "$T/seed2.db")" ] && ok "another seed: another target" || not_ok "seed effect"

# ---- settings, each by its effect ----
synth ct "$SMALL" ', "default_cardinality_threshold": 200, "default_rare_category_replacement": "OTHER"'
n=$(q "$T/ct.db" "SELECT count(*) FROM adult WHERE native_country = 'OTHER'")
ge "$n" 1 && ok "default_cardinality_threshold 200 + replacement: rare countries become OTHER ($n rows)" || not_ok "rare replacement"
check "default_cardinality_threshold: no country with < 200 source rows is generated" "0" \
	"$(q "$T/ct.db" "ATTACH '$SMALL' AS s; SELECT count(*) FROM adult WHERE native_country IN (SELECT native_country FROM s.adult GROUP BY 1 HAVING count(*) < 200)")"
synth ct0 "$SMALL" ', "default_cardinality_threshold": 0'
n=$(q "$T/ct0.db" "ATTACH '$SMALL' AS s; SELECT count(DISTINCT native_country) FROM adult WHERE native_country IN (SELECT native_country FROM s.adult GROUP BY 1 HAVING count(*) < 5)")
ge "$n" 1 && ok "default_cardinality_threshold 0: rare countries can appear ($n)" || not_ok "threshold 0" "$n"

synth clip "$SMALL" ', "default_clip_threshold": 100'
check "default_clip_threshold 100: no capital_gain above the 100th largest source value" "0" \
	"$(q "$T/clip.db" "ATTACH '$SMALL' AS s; SELECT count(*) FROM adult WHERE capital_gain > (SELECT capital_gain FROM s.adult ORDER BY 1 DESC LIMIT 1 OFFSET 99)")"
synth clip0 "$SMALL" ', "default_clip_threshold": 0'
n=$(q "$T/clip0.db" "ATTACH '$SMALL' AS s; SELECT count(*) FROM adult WHERE capital_gain > (SELECT capital_gain FROM s.adult ORDER BY 1 DESC LIMIT 1 OFFSET 99)")
ge "$n" 1 && ok "default_clip_threshold 0: the top values can be generated ($n rows)" || not_ok "clip 0"

synth nz "$SMALL" ', "default_noise_factor": 3'
# the noise is a step in rank space, kept near the leaf's values: what it
# blurs most is a number's shape between its point masses (hours_per_week)
synth nz0 "$SMALL" ', "default_noise_factor": 0'
S0=$(rj "$T/nz0/report.json" '$.tables[0].columns[12].score')
S3=$(rj "$T/nz/report.json" '$.tables[0].columns[12].score')
ge "$S0 - 0.01" "$S3" && ok "default_noise_factor 0 -> 3: hours_per_week shape score drops ($S0 -> $S3)" || not_ok "noise factor" "$S0 $S3"

synth sn "$SMALL" ', "default_sample_noise_ratio": 1'
grep -q "3600 rows perturbed" "$ERR" && ok "default_sample_noise_ratio 1: all 3600 training rows perturbed (log)" || not_ok "sample noise log"
[ "$(dump "$T/sn.db")" != "$A" ] && ok "default_sample_noise_ratio changes the target" || not_ok "sample noise effect"

synth nt "$SMALL" ', "default_n_training_rows": 500'
grep -q "500 training rows, 55 holdout" "$ERR" && ok "default_n_training_rows 500: 500 training rows (+55 holdout)" || not_ok "n_training_rows"
check "default_n_training_rows: output still as many rows as the source" "4000" "$(q "$T/nt.db" 'SELECT count(*) FROM adult')"

# first N in key order vs a uniform sample: the source's first rows are "early"
RS="$T/rs.db"
sqlite3 "$RS" "CREATE TABLE t (id INTEGER PRIMARY KEY, phase TEXT NOT NULL, v INTEGER NOT NULL);
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
 INSERT INTO t SELECT i, CASE WHEN i <= 1500 THEN 'early' ELSE 'late' END, i % 97 FROM n;"
synth rs1 "$RS" ', "default_n_training_rows": 1000'
check "default_read_random_subset false: the first rows in key order only" "early" "$(q "$T/rs1.db" 'SELECT group_concat(DISTINCT phase) FROM t')"
synth rs2 "$RS" ', "default_n_training_rows": 1000, "default_read_random_subset": true'
check "default_read_random_subset true: a uniform sample of the whole table" "early,late" \
	"$(q "$T/rs2.db" 'SELECT group_concat(DISTINCT phase) FROM (SELECT phase FROM t ORDER BY 1)')"

synth mf "$SMALL" ', "default_max_n_feat_per_model": 1'
P1=$(rj "$T/mf/report.json" '$.tables[0].quality.column_pair_trends')
P20=$(rj "$T/again/report.json" '$.tables[0].quality.column_pair_trends')
check "default_max_n_feat_per_model 1: one predictor per column" "1" "$(rj "$T/mf/report.json" '$.tables[0].column_order[13].predictors')"
ge "$P20 - 0.005" "$P1" && ok "default_max_n_feat_per_model 1 loses pair trends ($P20 -> $P1)" || not_ok "max_n_feat effect" "$P20 $P1"

synth or1 "$SMALL" ', "default_feat_model_train_order": "cardinality"'
check "default_feat_model_train_order cardinality: two-valued columns first" "sex income" \
	"$(rj "$T/or1/report.json" '$.tables[0].column_order[0].column') $(rj "$T/or1/report.json" '$.tables[0].column_order[1].column')"
synth or2 "$SMALL" ', "default_feat_model_train_order": ["income", "age"]'
check "default_feat_model_train_order list: listed columns first" "income age workclass" \
	"$(rj "$T/or2/report.json" '$.tables[0].column_order[0].column') $(rj "$T/or2/report.json" '$.tables[0].column_order[1].column') $(rj "$T/or2/report.json" '$.tables[0].column_order[2].column')"
check "default_feat_model_train_order schema: schema order" "age workclass" \
	"$(rj "$T/again/report.json" '$.tables[0].column_order[0].column') $(rj "$T/again/report.json" '$.tables[0].column_order[1].column')"

synth ms "$SMALL" ', "default_min_sample_size": 1000000'
grep -q "fewer than default_min_sample_size 1000000: not modelled" "$ERR" && ok "default_min_sample_size: below it, not modelled (log)" || not_ok "min_sample_size log"
check "default_min_sample_size: mock values, no source category" "0" \
	"$(q "$T/ms.db" "ATTACH '$SMALL' AS s; SELECT count(*) FROM adult WHERE workclass IN (SELECT workclass FROM s.adult)")"
check "default_min_sample_size: still as many rows" "4000" "$(q "$T/ms.db" 'SELECT count(*) FROM adult')"

synth tr "$SMALL" ', "tables": {"adult": {"target_rows": 1234}}'
check "target_rows 1234" "1234" "$(q "$T/tr.db" 'SELECT count(*) FROM adult')"
synth sc "$SMALL" ', "key_generation_method": "generate", "tables": {"adult": {"scale": 2.5}}'
check "scale 2.5: upsampled, keys 1..10000" "10000|1|10000" "$(q "$T/sc.db" 'SELECT count(*), min(id), max(id) FROM adult')"

synth kd "$SMALL" ', "tables": {"adult": {"columns": {"education_num": {"kind": "numeric"}}}}'
check "column kind override: education_num modelled as numeric" "numeric" \
	"$(q ':memory:' "SELECT json_extract(value, '\$.kind') FROM json_each(json_extract(readfile('$T/kd/report.json'), '\$.tables[0].column_order')) WHERE json_extract(value, '\$.column') = 'education_num'")"

# ---- Chinook: sequence trees, every FK resolves ----
synth ch "$CHINOOK" ', "default_min_sample_size": 5'
[ "$RC" = 0 ] && ok "Chinook synthesized as sequence trees" || not_ok "Chinook synthesized"
check "Chinook: no FK violation (PRAGMA foreign_key_check)" "" "$(q "$T/ch.db" 'PRAGMA foreign_key_check')"
n=$(q "$T/ch.db" 'SELECT count(*) FROM Invoice')
ge "$n" 300 && ge 550 "$n" && ok "Invoice rows generated per Customer: $n (source 412)" || not_ok "invoice count" "$n"
n=$(q "$T/ch.db" 'SELECT count(*) FROM InvoiceLine')
ge "$n" 1500 && ok "InvoiceLine rows: $n (source 2240)" || not_ok "invoice lines" "$n"
check "InvoiceLine -> Invoice -> Customer chain resolves" "0" \
	"$(q "$T/ch.db" 'SELECT count(*) FROM InvoiceLine l LEFT JOIN Track t ON t.TrackId = l.TrackId WHERE t.TrackId IS NULL')"
check "PlaylistTrack keys unique" "$(q "$T/ch.db" 'SELECT count(*) FROM PlaylistTrack')" \
	"$(q "$T/ch.db" 'SELECT count(*) FROM (SELECT DISTINCT PlaylistId, TrackId FROM PlaylistTrack)')"
K=$(rt "$T/ch/report.json" Invoice '$.children_per_parent.score')
ge "$K" 0.8 && ok "children per Customer distribution kept (1 - KS = $K)" || not_ok "children KS" "$K"
n=$(q "$T/ch.db" "ATTACH '$CHINOOK' AS s; SELECT count(*) FROM Customer WHERE Email IN (SELECT Email FROM s.Customer)")
check "Chinook: PII columns mocked, no source e-mail" "0" "$n"

synth ml "$CHINOOK" ', "default_min_sample_size": 5, "default_max_sequence_length": 2'
check "default_max_sequence_length 2: no customer has more than 2 invoices" "0" \
	"$(q "$T/ml.db" 'SELECT count(*) FROM (SELECT CustomerId FROM Invoice GROUP BY 1 HAVING count(*) > 2)')"
synth lt "$CHINOOK" ', "default_min_sample_size": 5, "default_long_sequence_threshold": 3'
check "default_long_sequence_threshold 3: sequences capped before training" "0" \
	"$(q "$T/lt.db" 'SELECT count(*) FROM (SELECT CustomerId FROM Invoice GROUP BY 1 HAVING count(*) > 3)')"
synth eos "$CHINOOK" ', "default_min_sample_size": 5, "default_end_of_sequence_token": -7'
check "default_end_of_sequence_token recorded in the sequence model" "-7" "$(rt "$T/eos/report.json" Invoice '$.sequence_model.end_of_sequence_token')"
engine "$T/eos2.json" "{\"initialization_mode\": \"SYNTHESIZE\", \"default_end_of_sequence_token\": 5, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/eos2.db\"}}"
expect_fail "default_end_of_sequence_token colliding with a position token is refused" 2 \
	"default_end_of_sequence_token: 5 is also the token of child position 5 in sequences of up to 100" "$DOPPEL" plan -c "$T/eos2.json"
synth co "$CHINOOK" ', "default_min_sample_size": 5, "default_cutoff_length": 6'
check "default_cutoff_length 6: generated Track names at most 6 characters" "0" "$(q "$T/co.db" 'SELECT count(*) FROM Track WHERE length(Name) > 6')"
synth vl "$CHINOOK" ', "default_min_sample_size": 5, "default_text_processor_model_settings": {"word_level": true, "ngram_order": 2, "vocabulary_limit": 10}'
n=$(q "$T/vl.db" "WITH RECURSIVE w(rest, word) AS (SELECT Name || ' ', NULL FROM Track UNION ALL SELECT substr(rest, instr(rest, ' ') + 1), substr(rest, 1, instr(rest, ' ') - 1) FROM w WHERE rest <> '') SELECT count(DISTINCT word) FROM w WHERE word IS NOT NULL AND word <> ''")
ge 10 "$n" && ok "default_text_processor_model_settings vocabulary_limit 10: $n distinct words in Track names" || not_ok "vocabulary limit" "$n"

# ---- rows generated per row of a copied table (subsetted customers) ----
engine "$T/cp.json" "{\"seed_value\": 3, \"use_seed\": true, \"key_generation_method\": \"generate\",
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/cp.db\"},
 \"tables\": {\"Invoice\": {\"mode\": \"SYNTHESIZE\"}, \"InvoiceLine\": {\"mode\": \"SYNTHESIZE\"},
   \"Customer\": {\"mode\": \"SUBSET\", \"subset\": {\"where\": \"Country IN ('USA', 'Canada', 'Brazil')\"}}}}"
"$DOPPEL" plan -c "$T/cp.json" >"$T/cp.plan" 2>&1
grep -q "rows generated per Customer row (via CustomerId)" "$T/cp.plan" && ok "plan: Invoice generated per (subsetted, copied) Customer row" || not_ok "plan copied parent" "$(cat "$T/cp.plan")"
expect_ok "SYNTHESIZE under a SUBSET parent" "$DOPPEL" run -c "$T/cp.json" --no-progress --no-report
check "copied parent: no FK violation" "" "$(q "$T/cp.db" 'PRAGMA foreign_key_check')"
check "invoices only for the kept customers" "0" "$(q "$T/cp.db" 'SELECT count(*) FROM Invoice WHERE CustomerId NOT IN (SELECT CustomerId FROM Customer)')"
n=$(q "$T/cp.db" 'SELECT count(*) * 1.0 / (SELECT count(*) FROM Customer) FROM Invoice')
ge "$n" 5 && ge 9 "$n" && ok "about 7 invoices per kept customer, as in the source ($n)" || not_ok "invoices per customer" "$n"

# ---- edge cases: an empty table, no primary key, blobs and documents, REAL decimals ----
E="$T/edge-src.db"
sqlite3 "$E" "CREATE TABLE empty (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE nopk (a INTEGER, b TEXT, c REAL, n TEXT, pic BLOB, doc JSON);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500) INSERT INTO nopk SELECT i % 7, 'x' || (i % 3), i * 1.5, NULL, randomblob(8), '{\"k\": ' || i || '}' FROM s;"
synth edge "$E" ""
[ "$RC" = 0 ] && ok "edge cases synthesized" || not_ok "edge run"
check "empty table: no rows; no-PK table: as many rows" "0|500" "$(q "$T/edge.db" 'SELECT (SELECT count(*) FROM empty), count(*) FROM nopk')"
check "blobs and JSON documents are not copied (NULL), an all-NULL column stays NULL" "0|0|0" \
	"$(q "$T/edge.db" 'SELECT count(pic), count(doc), count(n) FROM nopk')"
check "REAL values keep the decimals the source has (one)" "0" "$(q "$T/edge.db" 'SELECT count(*) FROM nopk WHERE c * 10 <> round(c * 10)')"

# ---- refusals ----
engine "$T/bad1.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/bad1.db\"}, \"tables\": {\"Customer\": {\"mode\": \"SYNTHESIZE\"}}}"
expect_fail "a copied table referencing a synthesized one is refused" 2 "tables.Invoice.mode: DE_IDENTIFY, but it references Customer .*SYNTHESIZE" "$DOPPEL" plan -c "$T/bad1.json"
engine "$T/bad2.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$CHINOOK\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/bad2.db\"}, \"tables\": {\"Genre\": {\"columns\": {\"Name\": \"synthesize\"}}}}"
expect_fail "generator synthesize outside a SYNTHESIZE table is refused" 2 "tables.Genre.columns.Name.generator: \"synthesize\" needs the table's mode SYNTHESIZE" "$DOPPEL" plan -c "$T/bad2.json"
engine "$T/bad3.json" "{\"initialization_mode\": \"SYNTHESIZE\", \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$SMALL\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/bad3.db\"}, \"tables\": {\"adult\": {\"columns\": {\"sex\": {\"kind\": \"numeric\"}}}}}"
expect_fail "kind numeric on a text column is refused" 2 "tables.adult.columns.sex.kind: numeric, but some values are not numbers" "$DOPPEL" run -c "$T/bad3.json" --no-progress
[ ! -e "$T/bad3.db" ] && ok "refused synthesis leaves no target" || not_ok "no target after refusal"
engine "$T/bad4.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$SMALL\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/bad4.db\"}, \"tables\": {\"adult\": {\"target_rows\": 5}}}"
expect_fail "target_rows on a copied table is refused" 2 "tables.adult.target_rows: applies to SYNTHESIZE tables only" "$DOPPEL" plan -c "$T/bad4.json"
engine "$T/bad5.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$SMALL\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/bad5.db\"}, \"tables\": {\"adult\": {\"columns\": {\"sex\": {\"kind\": \"fuzzy\"}}}}}"
expect_fail "unknown column kind is refused naming the field" 2 "tables.adult.columns.sex.kind: expected one of categorical, numeric, datetime, text" "$DOPPEL" plan -c "$T/bad5.json"

# ---- rows generated per row of a copied parent: the same target for any
# number of workers, at sizes around the batch size (2048) ----
for n in 2047 2048 2049 5000; do
	P="$T/par$n.db"
	sqlite3 "$P" "CREATE TABLE parent (id INTEGER PRIMARY KEY, region TEXT);
	 CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id), amount REAL, kind TEXT);
	 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n) INSERT INTO parent SELECT i, 'R' || (i % 7) FROM s;
	 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3 * $n)
	 INSERT INTO child SELECT i, 1 + (i * 7919) % $n, (i % 500) / 3.0, 'K' || (i % 5) FROM s;"
	sums=""
	for w in 1 2 4; do
		engine "$T/par$n-$w.json" "{\"seed_value\": 5, \"use_seed\": true, \"n_parallel_pipeline_processes\": $w,
 \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$P\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/par$n-$w.out.db\"},
 \"tables\": {\"parent\": {\"mode\": \"DUPLICATE\"}, \"child\": {\"mode\": \"SYNTHESIZE\"}}}"
		run "$DOPPEL" run -c "$T/par$n-$w.json" --no-progress --no-report
		if [ "$RC" != 0 ]; then not_ok "children of a copied parent ($n parents, $w workers)" "exit $RC"; continue; fi
		bad=$(q "$T/par$n-$w.out.db" "SELECT count(*) FROM child c LEFT JOIN parent p ON p.id = c.parent_id WHERE p.id IS NULL")
		check "children of a copied parent reference real parents ($n parents, $w workers)" "0" "$bad"
		sums="$sums $(sqlite3 "$T/par$n-$w.out.db" 'SELECT * FROM child ORDER BY id' | sha256sum | cut -c1-16)"
	done
	set -- $sums
	[ "$#" = 3 ] && [ "$1" = "$2" ] && [ "$2" = "$3" ] && ok "same seed, same children for 1, 2 and 4 workers ($n parents)" \
		|| not_ok "same children for any number of workers ($n parents)" "$sums"
done

# ---- identifier-like text: no real value comes out of synthesis ----
I="$T/ident-src.db"
sqlite3 "$I" "CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT, colour TEXT);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)
 INSERT INTO item SELECT i, 'lot ' || (i % 13) || '-' || (i * 37 % 3001), CASE i % 3 WHEN 0 THEN 'blue' WHEN 1 THEN 'red' ELSE 'green' END FROM s;"
synth ident "$I" ", \"tables\": {\"item\": {\"mode\": \"SYNTHESIZE\"}}"
check "identifier-like text: synthesized" "0" "$RC"
check "identifier-like text: no real label in the target" "0" \
	"$(q "$T/ident.db" "ATTACH '$I' AS s; SELECT count(*) FROM main.item WHERE label IN (SELECT label FROM s.item)")"
check "identifier-like text: the shape is kept (lot N-N)" "3000" "$(q "$T/ident.db" "SELECT count(*) FROM item WHERE label GLOB 'lot [0-9]*-[0-9]*'")"
check "categories are real values (colour)" "3" "$(q "$T/ident.db" "SELECT count(DISTINCT colour) FROM item WHERE colour IN ('blue','red','green')")"
n=$(q ":memory:" "SELECT json_extract(c.value, '\$.real_values_drawn_again') FROM json_each(json_extract(readfile('$T/ident/report.json'), '\$.tables')) t, json_each(json_extract(t.value, '\$.column_order')) c WHERE json_extract(c.value, '\$.column') = 'label'")
[ -n "$n" ] && [ "$n" -gt 0 ] && ok "report: the text column says how many real values were drawn again ($n)" \
	|| not_ok "report real_values_drawn_again" "$n"
