# tests/integration/servers.sh - start real database servers for a test, in
# its temp dir $T, on free loopback ports; stopped by pid at exit.
#
#   start_pg      -> PGHOST=127.0.0.1 PGPORT PGUSER=doppel PGPASSWORD exported,
#                    database "postgres" exists; PG_PID
#   stop_servers  (called by the EXIT trap lib.sh installs when servers run)

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

free_port() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		if command -v ss >/dev/null 2>&1; then
			ss -ltnH "sport = :$p" 2>/dev/null | grep -q . && continue
		fi
		echo "$p"
		return 0
	done
	return 1
}

SERVER_PIDS=""
stop_servers() {
	for p in $SERVER_PIDS; do
		kill -INT "$p" 2>/dev/null || true   # postgres: fast shutdown; mariadbd: shutdown
	done
	for p in $SERVER_PIDS; do
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null || true
	done
	SERVER_PIDS=""
	return 0     # an exit trap: the script's own status stands
}
trap 'stop_servers; rm -rf "$T"' EXIT INT TERM

# Root cannot run postgres: the cluster belongs to the postgres user.
start_pg() {
	[ -x "$PG_BIN/initdb" ] || { echo "not ok - PostgreSQL binaries not found (apt-get install postgresql)"; return 1; }
	chmod 755 "$T"
	PGD="$T/pg"
	mkdir -p "$PGD"
	chown postgres:postgres "$PGD"
	export PGPASSWORD="pw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' ')"
	printf '%s\n' "$PGPASSWORD" >"$T/pgpw"
	chown postgres "$T/pgpw"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PGD/data" -U doppel --pwfile="$T/pgpw" \
		-A scram-sha-256 -E UTF8 --no-locale >"$PGD/initdb.log" 2>&1 || { cat "$PGD/initdb.log"; return 1; }
	for _ in 1 2 3; do
		PGPORT=$(free_port)
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 30 \
			-o "-p $PGPORT -k $PGD -c listen_addresses=127.0.0.1 -c fsync=off -c max_wal_senders=0 -c wal_level=minimal" \
			start >/dev/null 2>&1 && break
		PGPORT=""
	done
	[ -n "$PGPORT" ] || { cat "$PGD/log"; return 1; }
	PG_PID=$(head -1 "$PGD/data/postmaster.pid")
	SERVER_PIDS="$SERVER_PIDS $PG_PID"
	export PGHOST=127.0.0.1 PGPORT PGUSER=doppel PGDATABASE=postgres
}

# MariaDB: datadir owned by mysql; root over the unix socket creates the
# test user, which then connects over TCP to 127.0.0.1 with a password.
#   start_mariadb -> MY_PORT, MY_SOCK, MY_PW exported; my "SQL" helper
#   (MY_EXTRA: more mariadbd options, e.g. --lower-case-table-names=1)
start_mariadb() {
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || { echo "not ok - mariadbd not found (apt-get install mariadb-server)"; return 1; }
	chmod 755 "$T"
	MYD="$T/my"
	mkdir -p "$MYD/data"
	chown -R mysql:mysql "$MYD"
	mariadb-install-db --no-defaults --datadir="$MYD/data" --user=mysql --auth-root-authentication-method=socket \
		>"$MYD/install.log" 2>&1 || { tail -5 "$MYD/install.log"; return 1; }
	MY_SOCK="$MYD/sock"
	for _ in 1 2 3; do
		MY_PORT=$(free_port)
		/usr/sbin/mariadbd --no-defaults --datadir="$MYD/data" --user=mysql --port="$MY_PORT" \
			--socket="$MY_SOCK" --bind-address=127.0.0.1 --pid-file="$MYD/pid" \
			--innodb-flush-log-at-trx-commit=0 --skip-log-bin --log-error="$MYD/err.log" ${MY_EXTRA:-} &
		for _ in $(seq 1 100); do
			[ -S "$MY_SOCK" ] && mariadb --no-defaults -S "$MY_SOCK" -uroot -e "select 1" >/dev/null 2>&1 && break
			sleep 0.2
		done
		[ -S "$MY_SOCK" ] && break
		MY_PORT=""
	done
	[ -n "$MY_PORT" ] || { tail -5 "$MYD/err.log"; return 1; }
	MY_PID=$(cat "$MYD/pid")
	SERVER_PIDS="$SERVER_PIDS $MY_PID"
	export MY_PW="pw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' ')" MY_PORT MY_SOCK
	mariadb --no-defaults -S "$MY_SOCK" -uroot -e "CREATE USER 'doppel'@'127.0.0.1' IDENTIFIED BY '$MY_PW';
		GRANT ALL ON *.* TO 'doppel'@'127.0.0.1'; CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY '$MY_PW';"
}
my() { mariadb --no-defaults -S "$MY_SOCK" -uroot -N -B "$@" 2>&1; }
