#!/bin/sh
# Bad input gets a clear error naming the culprit, a non-zero exit, and
# loses nothing: no target created or changed, no staging file left, the
# source untouched.
. "$(dirname "$0")/lib.sh"
S="$T/chinook.db"
cp "$CHINOOK" "$S"
SUM=$(file_sum "$S")
src="\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}"
tgt="\"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/t.db\"}"

expect_fail "usage: no command" 2 "usage" "$DOPPEL"
expect_fail "usage: unknown command" 2 "unknown command" "$DOPPEL" frobnicate
expect_fail "run without -c" 2 "missing -c" "$DOPPEL" run
expect_fail "missing engine file" 2 "$T/none.json" "$DOPPEL" run -c "$T/none.json"
printf '{"source": {"connector_type": "sqlite",\n "database": "x.db"},, }\n' >"$T/bad.json"
expect_fail "malformed JSON names the position" 2 "bad.json.*(line|:2)" "$DOPPEL" run -c "$T/bad.json"
engine "$T/e.json" "{$src, $tgt, \"n_parallel_pipeline_proceses\": 2}"
expect_fail "unknown setting named" 2 "n_parallel_pipeline_proceses" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"n_parallel_pipeline_processes\": \"two\"}"
expect_fail "wrong type named" 2 "n_parallel_pipeline_processes.*integer" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"n_parallel_pipeline_processes\": 0}"
expect_fail "out-of-range value named" 2 "n_parallel_pipeline_processes" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"mode\": \"SHUFFLE\"}}}"
expect_fail "bad mode lists the choices" 2 "tables.Track.mode: expected one of SYNTHESIZE, DE_IDENTIFY, DUPLICATE, SUBSET, EXCLUDE" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Trakc\": {\"mode\": \"DUPLICATE\"}}}"
expect_fail "unknown table named" 2 "Trakc" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"columns\": {\"Nmae\": {\"generator\": \"null\"}}}}}"
expect_fail "unknown column named" 2 "Track.*Nmae" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"columns\": {\"Name\": {\"generator\": \"mock:shoe_size\"}}}}}"
expect_fail "unknown mock kind named" 2 "shoe_size" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"columns\": {\"Name\": {\"generator\": \"null\"}}}}}"
expect_fail "null into a NOT NULL column" 2 "Track.Name" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"columns\": {\"Milliseconds\": {\"generator\": \"mock:email\"}}}}}"
expect_fail "generator the column type cannot hold" 2 "Track.Milliseconds" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, $tgt, \"tables\": {\"Track\": {\"mode\": \"SYNTHESIZE\"}}}"
expect_fail "a copied table referencing a SYNTHESIZE one is refused, naming both" 2 \
	"tables.(InvoiceLine|PlaylistTrack).mode: DE_IDENTIFY, but it references Track" "$DOPPEL" run -c "$T/e.json"
[ ! -e "$T/t.db" ] && ok "no target created by any rejected engine" || not_ok "no target created"

engine "$T/e.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$T/missing.db\"}, $tgt}"
expect_fail "unreachable source names the file" 3 "missing.db" "$DOPPEL" run -c "$T/e.json"
[ ! -e "$T/missing.db" ] && ok "missing source not created" || not_ok "missing source not created"
engine "$T/e.json" "{\"source\": {\"connector_type\": \"oracle\", \"database\": \"x\"}, $tgt}"
expect_fail "unknown connector named" 2 "oracle" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$S\"}}"
expect_fail "target equal to the source is refused" 5 "source" "$DOPPEL" run -c "$T/e.json"
ln -s "$S" "$T/alias.db"
engine "$T/e.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/alias.db\"}}"
expect_fail "target aliasing the source (symlink) is refused" 5 "source" "$DOPPEL" run -c "$T/e.json"
engine "$T/e.json" "{$src, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/no/such/dir/t.db\"}}"
expect_fail "target in a missing directory" 1 "no/such/dir" "$DOPPEL" run -c "$T/e.json" --no-progress
check "source never modified" "$SUM" "$(file_sum "$S")"

# a failure in the middle of the load leaves the previous target as it was
"$DOPPEL" demo --dir "$T/demo" --no-progress >/dev/null 2>&1
D="$T/demo"
cp "$D/shop_double.db" "$T/before.db"
cat >"$D/bad.json" <<J
{"source": {"connector_type": "sqlite", "database": "shop.db"},
 "target": {"connector_type": "sqlite", "database": "shop_double.db"},
 "tables": {"orders": {"columns": {"status": {"generator": "constant", "value": "lost"}}}}}
J
expect_fail "row the target rejects: error names table and row" 1 "orders.*(order_id|CHECK)" \
	"$DOPPEL" run -c "$D/bad.json" --no-progress
grep -q "target unchanged" "$ERR" && ok "failure says the target is unchanged" || not_ok "failure states target"
check "previous target intact after a failed run" "$(file_sum "$T/before.db")" "$(file_sum "$D/shop_double.db")"
[ ! -e "$D/shop_double.db.doppel-partial" ] && ok "no staging file after failure" || not_ok "staging file left"

# FK cycles: nullable cycle loads (NULL then UPDATE) under immediate checks;
# a cycle of NOT NULL FKs under immediate checks is an error naming the tables
C="$T/cycle.db"
sqlite3 "$C" "PRAGMA foreign_keys=ON;
 CREATE TABLE store (store_id INTEGER PRIMARY KEY, name TEXT NOT NULL, manager_id INTEGER REFERENCES staff(staff_id));
 CREATE TABLE staff (staff_id INTEGER PRIMARY KEY, name TEXT NOT NULL, store_id INTEGER NOT NULL REFERENCES store(store_id));
 BEGIN; PRAGMA defer_foreign_keys=ON;
 INSERT INTO store VALUES (1,'north',10),(2,'south',20);
 INSERT INTO staff VALUES (10,'ann',1),(20,'bob',2),(30,'cid',1); COMMIT;"
for di in true false; do
	engine "$T/c.json" "{\"default_drop_indexes\": $di, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$C\"},
	 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/c_$di.db\"}}"
	expect_ok "nullable FK cycle loads (drop_indexes=$di)" "$DOPPEL" run -c "$T/c.json" --no-progress
	check "cycle FKs restored (drop_indexes=$di)" "1:10,2:20" "$(q "$T/c_$di.db" "SELECT group_concat(store_id || ':' || manager_id) FROM store")"
	check "cycle: no FK violations (drop_indexes=$di)" "" "$(q "$T/c_$di.db" 'PRAGMA foreign_key_check')"
done
C2="$T/cycle2.db"
sqlite3 "$C2" "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER NOT NULL REFERENCES b(id));
 CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id));"
engine "$T/c2.json" "{\"default_drop_indexes\": false, \"source\": {\"connector_type\": \"sqlite\", \"database\": \"$C2\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/c2t.db\"}}"
expect_fail "NOT NULL FK cycle under immediate checks names the tables" 2 "cycle.*\ba\b.*\bb\b|cycle.*\bb\b.*\ba\b" "$DOPPEL" run -c "$T/c2.json" --no-progress
[ ! -e "$T/c2t.db" ] && ok "cycle error creates no target" || not_ok "cycle error creates no target"

# a table without a primary key is copied (rowid order)
N="$T/nopk.db"
sqlite3 "$N" "CREATE TABLE events (at TEXT, email TEXT, n INTEGER); INSERT INTO events VALUES ('2024-01-01','a@corp.test',1),('2024-01-02','b@corp.test',2);"
engine "$T/n.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$N\"},
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/nt.db\"}}"
expect_ok "table without a primary key" "$DOPPEL" run -c "$T/n.json" --no-progress
check "no-PK table: rows copied, e-mail mocked" "2|0" "$(q "$T/nt.db" "SELECT count(*) || '|' || sum(email LIKE '%corp.test') FROM events")"

# unique columns: generators must not create duplicates
U="$T/uniq.db"
sqlite3 "$U" "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE, nick VARCHAR(10) UNIQUE);
 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)
 INSERT INTO users SELECT i, 'user' || i || '@corp.test', 'n' || i FROM s;"
engine "$T/u1.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$U\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/u1.db\"},
 \"tables\": {\"users\": {\"columns\": {\"email\": {\"generator\": \"mock:email\"}}}}}"
expect_fail "mock on a unique column is refused" 2 "tables.users.columns.email: mock:email can produce [0-9]* distinct values.*unique" "$DOPPEL" run -c "$T/u1.json" --no-progress
engine "$T/u2.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$U\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/u2.db\"},
 \"tables\": {\"users\": {\"columns\": {\"nick\": {\"generator\": \"mask:hash\"}}}}}"
expect_fail "hash into a too-short unique column is refused" 2 "users.nick: a unique column of 10 characters is too short" "$DOPPEL" run -c "$T/u2.json" --no-progress
engine "$T/u3.json" "{\"source\": {\"connector_type\": \"sqlite\", \"database\": \"$U\"}, \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/u3.db\"}}"
expect_ok "detected PII on a unique column is hashed" "$DOPPEL" run -c "$T/u3.json" --no-progress
check "unique column: all values distinct, none from the source" "3000|3000|0" \
	"$(q "$T/u3.db" "ATTACH '$U' AS s; SELECT count(*) || '|' || count(DISTINCT email) || '|' || (SELECT count(*) FROM main.users WHERE email IN (SELECT email FROM s.users)) FROM main.users")"
