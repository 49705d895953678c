#!/bin/sh
# bench/mysql_clone.sh - clone a MariaDB database MySQL -> MySQL and compare
# doppel with `mariadb-dump | mariadb`, in the same run, same server.
#
#   sh bench/mysql_clone.sh [ROWS]      (default 1000000 rows in the big table)
set -e
ROWS=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOPPEL=${DOPPEL:-$ROOT/doppel}
[ -x "$DOPPEL" ] || { echo "build first: make" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doppel-bench.XXXXXX")
. "$ROOT/tests/integration/servers.sh"
start_mariadb >/dev/null 2>&1
. "$ROOT/bench/lib.sh"
my -e "CREATE DATABASE src; CREATE DATABASE t1; CREATE DATABASE t2; CREATE DATABASE t3; USE src;
 CREATE TABLE src.branch (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
 CREATE TABLE src.account (id INT PRIMARY KEY, branch_id INT NOT NULL, full_name VARCHAR(80), email VARCHAR(120),
   phone VARCHAR(24), street VARCHAR(80), city VARCHAR(40),
   balance DECIMAL(12,2) NOT NULL, opened DATETIME NOT NULL, FOREIGN KEY (branch_id) REFERENCES src.branch (id));
 INSERT INTO src.branch SELECT seq, concat('Branch ', seq) FROM seq_1_to_100;
 INSERT INTO src.account SELECT seq, 1 + seq % 100, concat('First', seq % 997, ' Last', seq % 991),
   concat('user', seq, '@corp.test'), concat('+1 212 555 ', lpad(seq % 10000, 4, '0')), concat(seq % 9999, ' Main Street'),
   concat('City ', seq % 500), (seq % 100000) / 100, '2024-01-01' + INTERVAL (seq % 1000) DAY FROM seq_1_to_$ROWS;"
echo "source: $ROWS accounts"
t0=$(now); mariadb-dump --no-defaults -S "$MY_SOCK" -uroot src | mariadb --no-defaults -S "$MY_SOCK" -uroot t1; t_dump=$(secs "$t0" "$(now)")
eng() { cat >"$T/$1.json" <<J
{"seed_value": 1, "use_seed": true,
 "source": {"connector_type": "mysql", "host": "127.0.0.1", "port": $MY_PORT, "database": "src", "username": "doppel", "password_env": "MY_PW"},
 "target": {"connector_type": "mysql", "host": "127.0.0.1", "port": $MY_PORT, "database": "$1", "username": "doppel", "password_env": "MY_PW"}
 $2}
J
}
eng t2 ', "tables": {"branch": {"mode": "DUPLICATE"}, "account": {"mode": "DUPLICATE"}}'
t0=$(now); /usr/bin/time -f %M -o "$T/rss2" "$DOPPEL" -q run -c "$T/t2.json" --no-progress >/dev/null; t_dup=$(secs "$t0" "$(now)")
eng t3 ', "tables": {"account": {"columns": {"full_name": "mock:full_name", "email": "mock:email",
 "phone": "mock:phone", "street": "mock:street_address", "city": "mock:city"}}}'
t0=$(now); /usr/bin/time -f %M -o "$T/rss3" "$DOPPEL" -q run -c "$T/t3.json" --no-progress >/dev/null; t_deid=$(secs "$t0" "$(now)")
rows=$((ROWS + 100))
printf '\n%-40s %8s %10s %8s %9s\n' method seconds rows/s "vs dump" "peak RSS"
r() { printf '%-40s %8.2f %10.0f %7.2fx %9s\n' "$1" "$2" "$(echo "$rows / $2" | bc -l)" "$(echo "$2 / $t_dump" | bc -l)" "$3"; }
r "mariadb-dump | mariadb" "$t_dump" "-"
r "doppel run (DUPLICATE)" "$t_dup" "$(( $(cat "$T/rss2") / 1024 )) MB"
r "doppel run (DE_IDENTIFY, 5 masked cols)" "$t_deid" "$(( $(cat "$T/rss3") / 1024 )) MB"
printf 'DE_IDENTIFY / DUPLICATE: %.2fx\n' "$(echo "$t_deid / $t_dup" | bc -l)"
result "MariaDB DUPLICATE, $ROWS accounts" "$t_dup" "mariadb-dump | mariadb" "$t_dump" "$rows" "$(rss_mb "$T/rss2")"
result "MariaDB DE_IDENTIFY (5 masked columns)" "$t_deid" "doppel DUPLICATE" "$t_dup" "$rows" "$(rss_mb "$T/rss3")"
