# tests/integration/servers.sh - start real database servers for a test, in
# its temp dir $T, on free loopback ports; stopped by pid at exit.
#
#   start_pg      -> PGHOST=127.0.0.1 PGPORT PGUSER=doppel PGPASSWORD exported,
#                    database "postgres" exists; PG_PID
#   start_mariadb -> MY_PORT MY_SOCK MY_PW
#   start_sshd    -> SSH_PORT SSH_PID SSH_DIR (keys, known_hosts, sshd.log),
#                    SSH_HOSTKEY_FP, SSH_KEY_PASS
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

# sshd for SSH tunnel tests, run from $T/ssh: its own ed25519 host key, two
# ed25519 client keys authorized for the current user (id_plain without a
# passphrase, id_pass with $SSH_KEY_PASS), loopback only, no PAM, logs at
# DEBUG1 to $SSH_DIR/sshd.log (one "Accepted publickey" per SSH connection,
# one "server_request_direct_tcpip" per forwarded connection). As root:
# keys only (PermitRootLogin prohibit-password). $SSH_DIR/known_hosts lists
# the host key.  libssh2 1.10 cannot sign with rsa-sha2: ed25519 keys only.
#   sshd_kill   kill sshd and the processes of its connections (by pid)
start_sshd() {
	[ -x /usr/sbin/sshd ] || { echo "not ok - sshd not found (apt-get install openssh-server)"; return 1; }
	SSH_DIR="$T/ssh"
	mkdir -p "$SSH_DIR" /run/sshd
	chmod 700 "$SSH_DIR"
	rm -f "$SSH_DIR"/host_ed25519* "$SSH_DIR"/id_plain* "$SSH_DIR"/id_pass*   # a restart: new keys
	ssh-keygen -q -t ed25519 -N '' -C doppel-test-host -f "$SSH_DIR/host_ed25519" || return 1
	ssh-keygen -q -t ed25519 -N '' -C doppel-test -f "$SSH_DIR/id_plain" || return 1
	export SSH_KEY_PASS="pp-$(od -An -N6 -tx1 /dev/urandom | tr -d ' ')"
	ssh-keygen -q -t ed25519 -N "$SSH_KEY_PASS" -C doppel-test-pass -f "$SSH_DIR/id_pass" || return 1
	cat "$SSH_DIR/id_plain.pub" "$SSH_DIR/id_pass.pub" >"$SSH_DIR/authorized_keys"
	SSH_HOSTKEY_FP=$(ssh-keygen -lf "$SSH_DIR/host_ed25519.pub" | cut -d' ' -f2)
	for _ in 1 2 3; do
		SSH_PORT=$(free_port)
		cat >"$SSH_DIR/sshd_config" <<CFG
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
MaxStartups 100
LogLevel DEBUG1
CFG
		/usr/sbin/sshd -D -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" &
		SSH_PID=$!
		for _ in $(seq 1 50); do
			grep -q "Server listening on 127.0.0.1 port $SSH_PORT" "$SSH_DIR/sshd.log" 2>/dev/null && break
			kill -0 "$SSH_PID" 2>/dev/null || break
			sleep 0.1
		done
		grep -q "Server listening on 127.0.0.1 port $SSH_PORT" "$SSH_DIR/sshd.log" 2>/dev/null && break
		kill "$SSH_PID" 2>/dev/null
		SSH_PORT=""
	done
	[ -n "$SSH_PORT" ] || { tail -5 "$SSH_DIR/sshd.log"; return 1; }
	SERVER_PIDS="$SERVER_PIDS $SSH_PID"
	printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519.pub")" >"$SSH_DIR/known_hosts"
	export SSH_PORT SSH_PID SSH_DIR SSH_HOSTKEY_FP
}
# the connection processes sshd forked (and theirs), then sshd itself
sshd_kill() {
	_sig=${1:-KILL}
	_kids=$(ps -o pid= --ppid "$SSH_PID" 2>/dev/null)
	for _k in $_kids; do
		for _g in $(ps -o pid= --ppid "$_k" 2>/dev/null); do kill -"$_sig" "$_g" 2>/dev/null; done
		kill -"$_sig" "$_k" 2>/dev/null
	done
	kill -"$_sig" "$SSH_PID" 2>/dev/null
	return 0
}
