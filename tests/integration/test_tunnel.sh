#!/bin/sh
# SSH tunnels (real sshd, PostgreSQL and MariaDB started here, loopback
# only): sources read through hooks_params.SSHTunnel; parallel workers share
# one SSH connection; key auth with and without a passphrase; host key checks
# (known_hosts: unknown, changed; pinned fingerprint: right, wrong); an sshd
# that dies or freezes mid-job fails the job within seconds; jobs in a row
# leave nothing behind; no secret in any output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/servers.sh"
start_pg >"$T/pg-start.log" 2>&1 || { not_ok "start PostgreSQL" "$(tail -3 "$T/pg-start.log")"; exit 1; }
start_mariadb >"$T/my-start.log" 2>&1 || { not_ok "start MariaDB" "$(tail -3 "$T/my-start.log")"; exit 1; }
start_sshd >"$T/ssh-start.log" 2>&1 || { not_ok "start sshd" "$(tail -5 "$T/ssh-start.log")"; exit 1; }
ok "PostgreSQL on $PGPORT, MariaDB on $MY_PORT, sshd on $SSH_PORT (host key $SSH_HOSTKEY_FP)"
ALL="$T/all-output.txt"      # every output of doppel, searched for secrets at the end
: >"$ALL"
keep() { cat "$OUT" "$ERR" >>"$ALL"; }

psql -q -v ON_ERROR_STOP=1 -f "$DOPPEL_DATA/chinook/Chinook_PostgreSql.sql" >"$T/load.log" 2>&1 \
	&& ok "Chinook loaded into PostgreSQL" || not_ok "load Chinook into PostgreSQL" "$(tail -3 "$T/load.log")"
my <"$DOPPEL_DATA/chinook/Chinook_MySql.sql" >"$T/myload.log" \
	&& ok "Chinook loaded into MariaDB" || not_ok "load Chinook into MariaDB" "$(tail -3 "$T/myload.log")"
for d in t1 t2 t3 t4 t5 t6 t7; do psql -q -c "CREATE DATABASE $d" >/dev/null; done
my -e "CREATE DATABASE mcopy"
pg() { psql -X -At -d "$1" -c "$2" 2>&1; }
PGTABLES="album artist customer employee genre invoice invoice_line media_type playlist playlist_track track"
MYTABLES="Album Artist Customer Employee Genre Invoice InvoiceLine MediaType Playlist PlaylistTrack Track"
dup() { for t in $1; do printf '"%s": {"mode": "DUPLICATE"},' "$t"; done | sed 's/,$//'; }
pgsum() { pg "$1" "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM $2 x"; }

# ssh '"key": value, ...' : a hooks_params.SSHTunnel object for the test sshd
ssh_hook() { echo "\"hooks_params\": {\"SSHTunnel\": {\"host\": \"127.0.0.1\", \"port\": $SSH_PORT, \"username\": \"$(id -un)\", $1}}"; }
KEY_PLAIN="\"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""
pgsrc() { echo "\"source\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"${2:-chinook}\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\", $(ssh_hook "$1")}"; }
pgtgt() { echo "\"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"$1\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\"}"; }
accepted() { grep -c "Accepted publickey" "$SSH_DIR/sshd.log"; }
forwards() { grep -c "server_request_direct_tcpip" "$SSH_DIR/sshd.log"; }

# ---- PostgreSQL -> PostgreSQL, source through the tunnel
engine "$T/a.json" "{$(pgsrc "$KEY_PLAIN"), $(pgtgt t1), \"tables\": {$(dup "$PGTABLES")}}"
a0=$(accepted)
run "$DOPPEL" -v run -c "$T/a.json" --no-progress; keep
if [ "$RC" = 0 ]; then ok "PG -> PG with the source through the SSH tunnel"; else not_ok "PG -> PG through the tunnel" "exit $RC"; fi
bad=""
for t in $PGTABLES; do [ "$(pgsum chinook "$t")" = "$(pgsum t1 "$t")" ] || bad="$bad $t"; done
check "PG -> PG through the tunnel: every table's checksum equal" "" "$bad"
check "PG -> PG: one SSH connection for the job" "1" "$(( $(accepted) - a0 ))"
grep -q "SSH tunnel .*host key ed25519 $SSH_HOSTKEY_FP found in" "$ERR" \
	&& ok "the log says which host key was verified" || not_ok "the log names the verified host key"

# ---- MariaDB -> MariaDB, source through the tunnel
mysum() { my -e "SELECT count(*), sum(crc32(concat_ws('|', TrackId, Name, AlbumId, MediaTypeId, GenreId, Composer, Milliseconds, Bytes, UnitPrice))) FROM $1.Track"; }
engine "$T/m.json" "{\"source\": {\"connector_type\": \"mysql\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"Chinook\", \"username\": \"doppel\", \"password_env\": \"MY_PW\", $(ssh_hook "$KEY_PLAIN")},
 \"target\": {\"connector_type\": \"mariadb\", \"host\": \"127.0.0.1\", \"port\": $MY_PORT, \"database\": \"mcopy\", \"username\": \"doppel\", \"password_env\": \"MY_PW\"}, \"tables\": {$(dup "$MYTABLES")}}"
run "$DOPPEL" -v run -c "$T/m.json" --no-progress; keep
if [ "$RC" = 0 ]; then ok "MariaDB -> MariaDB with the source through the SSH tunnel"; else not_ok "MariaDB -> MariaDB through the tunnel" "exit $RC"; fi
check "MariaDB -> MariaDB through the tunnel: Track content equal" "$(mysum Chinook)" "$(mysum mcopy)"
bad=""
for t in $MYTABLES; do [ "$(my -e "SELECT count(*) FROM Chinook.$t")" = "$(my -e "SELECT count(*) FROM mcopy.$t")" ] || bad="$bad $t"; done
check "MariaDB -> MariaDB through the tunnel: every table's row count equal" "" "$bad"

# ---- 4 parallel workers, each with its own database session, share one SSH connection
engine "$T/p.json" "{\"n_parallel_pipeline_processes\": 4, $(pgsrc "$KEY_PLAIN"), $(pgtgt t2), \"tables\": {$(dup "$PGTABLES")}}"
a0=$(accepted); f0=$(forwards)
run "$DOPPEL" -v run -c "$T/p.json" --no-progress; keep
if [ "$RC" = 0 ]; then ok "4 parallel workers through the tunnel"; else not_ok "4 parallel workers through the tunnel" "exit $RC"; fi
check "4 workers: track copied whole" "$(pgsum chinook track)" "$(pgsum t2 track)"
check "4 workers: sshd saw one SSH connection" "1" "$(( $(accepted) - a0 ))"
nf=$(( $(forwards) - f0 ))
[ "$nf" -ge 5 ] && ok "4 workers: $nf database connections multiplexed over it (leader + 4 workers)" \
	|| not_ok "4 workers: at least 5 forwarded connections" "got $nf"

# ---- keys: passphrase right and wrong, PEM ECDSA, RSA (refused: libssh2 1.10 signs with SHA-1)
engine "$T/k1.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_pass\", \"private_key_password_env\": \"SSH_KEY_PASS\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3), \"tables\": {\"genre\": {\"mode\": \"DUPLICATE\"}}}"
run "$DOPPEL" -v run -c "$T/k1.json" --no-progress; keep
if [ "$RC" = 0 ]; then ok "key with a passphrase (private_key_password_env)"; else not_ok "key with a passphrase" "exit $RC"; fi
WRONGPP="wrong-pp-$(od -An -N4 -tx1 /dev/urandom | tr -d ' ')"
engine "$T/k2.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_pass\", \"private_key_password\": \"$WRONGPP\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3)}"
expect_fail "wrong passphrase: the job stops, naming the key" 3 "SSH tunnel .*cannot load the private key .*id_pass: wrong private_key_password" \
	"$DOPPEL" -v run -c "$T/k2.json" --no-progress; keep
ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -f "$SSH_DIR/id_ecdsa_pem" && cat "$SSH_DIR/id_ecdsa_pem.pub" >>"$SSH_DIR/authorized_keys"
engine "$T/k3.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_ecdsa_pem\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3), \"tables\": {\"genre\": {\"mode\": \"DUPLICATE\"}}}"
run "$DOPPEL" -v run -c "$T/k3.json" --no-progress; keep
if [ "$RC" = 0 ] && head -1 "$SSH_DIR/id_ecdsa_pem" | grep -q "BEGIN EC PRIVATE KEY"; then ok "ECDSA key in PEM format"; else not_ok "ECDSA key in PEM format" "exit $RC"; fi
ssh-keygen -q -t rsa -b 2048 -N '' -f "$SSH_DIR/id_rsa" && cat "$SSH_DIR/id_rsa.pub" >>"$SSH_DIR/authorized_keys"
engine "$T/k4.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_rsa\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3)}"
expect_fail "RSA key refused: the message says why and what to use" 3 "refused the key .*id_rsa.*RSA key.*use an ed25519 or ECDSA key" \
	"$DOPPEL" -v run -c "$T/k4.json" --no-progress; keep
# ssh-agent (started here, its own socket, stopped by pid): no key file, no password
if command -v ssh-agent >/dev/null 2>&1; then
	eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
	ssh-add -q "$SSH_DIR/id_plain" 2>/dev/null
	engine "$T/k6.json" "{$(pgsrc "\"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3), \"tables\": {\"genre\": {\"mode\": \"DUPLICATE\"}}}"
	run "$DOPPEL" -v run -c "$T/k6.json" --no-progress; keep
	if [ "$RC" = 0 ] && grep -q "authenticated as .* with a key from ssh-agent" "$ERR"; then ok "ssh-agent: its key is used when no key file is given"
	else not_ok "ssh-agent authentication" "exit $RC"; fi
	kill "$SSH_AGENT_PID" 2>/dev/null
	unset SSH_AUTH_SOCK SSH_AGENT_PID
else
	not_ok "ssh-agent not found (apt-get install openssh-client)"
fi
SSHPW="ssh-pw-$(od -An -N4 -tx1 /dev/urandom | tr -d ' ')"
engine "$T/k5.json" "{$(pgsrc "\"password\": \"$SSHPW\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\""), $(pgtgt t3)}"
expect_fail "SSH password refused: a clear error" 3 "SSH tunnel .*refused the password of user" \
	"$DOPPEL" -v run -c "$T/k5.json" --no-progress; keep

# ---- host keys: unknown, changed, pinned right and wrong
: >"$T/empty_known_hosts"
engine "$T/h1.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$T/empty_known_hosts\""), $(pgtgt t3)}"
expect_fail "unknown host key: refused, no trust on first use" 5 "unknown SSH host key" "$DOPPEL" -v run -c "$T/h1.json" --no-progress; keep
grep -qF "$SSH_HOSTKEY_FP" "$ERR" && grep -q "ssh-keyscan -p $SSH_PORT -t ed25519 127.0.0.1" "$ERR" && grep -q "host_key_fingerprint" "$ERR" \
	&& ok "unknown host key: the message shows the fingerprint and how to trust it" || not_ok "unknown host key message"
[ -s "$T/empty_known_hosts" ] && not_ok "known_hosts left untouched" || ok "known_hosts left untouched (nothing trusted by itself)"
ssh-keygen -q -t ed25519 -N '' -f "$T/other_host" -C other
printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$T/other_host.pub")" >"$T/changed_known_hosts"
engine "$T/h2.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$T/changed_known_hosts\""), $(pgtgt t3)}"
expect_fail "changed host key: refused" 5 "SSH host key changed" "$DOPPEL" -v run -c "$T/h2.json" --no-progress; keep
grep -qF "$SSH_HOSTKEY_FP" "$ERR" && grep -q "ssh-keygen -R" "$ERR" \
	&& ok "changed host key: the message shows the new fingerprint and how to replace the entry" || not_ok "changed host key message"
engine "$T/h3.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$T/empty_known_hosts\", \"host_key_fingerprint\": \"$SSH_HOSTKEY_FP\""), $(pgtgt t4), \"tables\": {\"genre\": {\"mode\": \"DUPLICATE\"}}}"
run "$DOPPEL" -v run -c "$T/h3.json" --no-progress; keep
if [ "$RC" = 0 ] && grep -q "matches host_key_fingerprint" "$ERR"; then ok "pinned fingerprint, right: connects (known_hosts not needed)"; else not_ok "pinned fingerprint, right" "exit $RC"; fi
OTHERFP=$(ssh-keygen -lf "$T/other_host.pub" | cut -d' ' -f2)
engine "$T/h4.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_plain\", \"known_hosts_file\": \"$SSH_DIR/known_hosts\", \"host_key_fingerprint\": \"$OTHERFP\""), $(pgtgt t4)}"
expect_fail "pinned fingerprint, wrong: refused" 5 "host key mismatch: the server presents the ed25519 key" \
	"$DOPPEL" -v run -c "$T/h4.json" --no-progress; keep
grep -qF "key $SSH_HOSTKEY_FP, but hooks_params.SSHTunnel.host_key_fingerprint pins $OTHERFP." "$ERR" \
	&& ok "pinned fingerprint, wrong: the message shows both fingerprints" || not_ok "pinned fingerprint, wrong: both fingerprints"
engine "$T/h5.json" "{$(pgsrc "\"private_key_file\": \"$SSH_DIR/id_plain\", \"host_key_fingerprint\": \"MD5:ab:cd\""), $(pgtgt t4)}"
expect_fail "malformed fingerprint: refused before connecting" 2 "host_key_fingerprint: expected" "$DOPPEL" run -c "$T/h5.json" --no-progress; keep

# ---- the tunnel dies mid-job: a large table is being read when sshd is killed
pg chinook "CREATE TABLE big (id int PRIMARY KEY, pad text NOT NULL); INSERT INTO big SELECT i, md5(i::text) || md5((i+1)::text) FROM generate_series(1, 2000000) i" >/dev/null
pg t5 "CREATE TABLE marker (x int); INSERT INTO marker VALUES (42)" >/dev/null
# both ends through the tunnel first (one tunnel: same bastion, same server):
# 2M rows down and up again through one SSH connection
engine "$T/b.json" "{\"initialization_mode\": \"FROM_SCRATCH\", $(pgsrc "$KEY_PLAIN"),
 \"target\": {\"connector_type\": \"postgresql\", \"host\": \"127.0.0.1\", \"port\": $PGPORT, \"database\": \"t6\", \"username\": \"doppel\", \"password_env\": \"PGPASSWORD\", $(ssh_hook "$KEY_PLAIN")},
 \"tables\": {\"big\": {\"mode\": \"DUPLICATE\"}}}"
a0=$(accepted)
run "$DOPPEL" -v run -c "$T/b.json" --no-progress; keep
if [ "$RC" = 0 ]; then ok "source and target through the tunnel (2M rows each way)"; else not_ok "source and target through the tunnel" "exit $RC"; fi
check "... the copy is whole" "$(pgsum chinook big)" "$(pgsum t6 big)"
check "... over one SSH connection" "1" "$(( $(accepted) - a0 ))"
wait_for() { for _ in $(seq 1 ${3:-150}); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
mid_job() {   # NAME SIGNAL LIMIT CAUSE: start the job, signal sshd while big is read
	engine "$T/d.json" "{\"initialization_mode\": \"FROM_SCRATCH\", $(pgsrc "$KEY_PLAIN"), $(pgtgt t5), \"tables\": {\"big\": {\"mode\": \"DUPLICATE\"}}}"
	"$DOPPEL" -v run -c "$T/d.json" --no-progress >"$OUT" 2>"$ERR" &
	bg=$!
	wait_for "$ERR" "table big (DUPLICATE)"
	sleep 0.5
	t0=$(date +%s.%N)
	sshd_kill "$2"
	wait $bg; RC=$?
	el=$(echo "$(date +%s.%N) - $t0" | bc)
	keep
	if [ "$RC" != 0 ] && [ "$(echo "$el < $3" | bc)" = 1 ]; then ok "$1: the job fails in $(printf '%.1f' "$el") s (< $3 s)"
	else not_ok "$1: the job fails within $3 s" "exit $RC after $el s"; fi
	grep -q "SSH tunnel .* (source).*$4" "$ERR" && ok "$1: the error names the tunnel and the cause" || not_ok "$1: the error names the tunnel" "want /$4/"
	grep -q "target unchanged" "$ERR" && ok "$1: the message gives the target state" || not_ok "$1: target state in the message"
	[ -n "${TUNNEL_DEBUG:-}" ] && cat "$ERR"
	check "$1: the target is as it was" "42|0" "$(pg t5 "SELECT (SELECT x FROM marker) || '|' || (SELECT count(*) FROM pg_tables WHERE tablename = 'big')")"
}
# Ctrl-C while reading through the tunnel: the cancel request goes through it too
engine "$T/c.json" "{\"initialization_mode\": \"FROM_SCRATCH\", $(pgsrc "$KEY_PLAIN"), $(pgtgt t7), \"tables\": {\"big\": {\"mode\": \"DUPLICATE\"}}}"
"$DOPPEL" -v run -c "$T/c.json" --no-progress >"$OUT" 2>"$ERR" &
bg=$!
wait_for "$ERR" "table big (DUPLICATE)"
sleep 0.3
t0=$(date +%s.%N); kill -INT $bg; wait $bg; RC=$?; el=$(echo "$(date +%s.%N) - $t0" | bc); keep
if [ "$RC" = 130 ] && [ "$(echo "$el < 5" | bc)" = 1 ]; then ok "Ctrl-C mid-read through the tunnel: cancelled in $(printf '%.1f' "$el") s"
else not_ok "Ctrl-C through the tunnel cancels within 5 s" "exit $RC after $el s"; fi
mid_job "sshd killed mid-job" KILL 10 "SSH connection was lost"
start_sshd >"$T/ssh-start.log" 2>&1 || { not_ok "restart sshd" "$(tail -5 "$T/ssh-start.log")"; exit 1; }
# frozen, not gone (no FIN, no RST): only the keepalives can tell
mid_job "sshd frozen (SIGSTOP) mid-job" STOP 12 "no answer from the SSH server"
sshd_kill CONT; sshd_kill KILL
start_sshd >"$T/ssh-start.log" 2>&1 || { not_ok "restart sshd" "$(tail -5 "$T/ssh-start.log")"; exit 1; }

# ---- 20 jobs in a row: each exits promptly, nothing is left behind
engine "$T/r.json" "{\"initialization_mode\": \"FROM_SCRATCH\", \"n_parallel_pipeline_processes\": 2, $(pgsrc "$KEY_PLAIN"),
 \"target\": {\"connector_type\": \"sqlite\", \"database\": \"$T/r.db\"}, \"tables\": {\"genre\": {\"mode\": \"DUPLICATE\"}, \"artist\": {\"mode\": \"DUPLICATE\"}}}"
slow=""; failed=""
d0=$(grep -c "doppel: tunnel closed" "$SSH_DIR/sshd.log")
for i in $(seq 1 20); do
	t0=$(date +%s.%N)
	run timeout 30 "$DOPPEL" -v run -c "$T/r.json" --no-progress; keep; cat "$ERR" >>"$T/rows.log"
	[ "$RC" = 0 ] || failed="$failed $i:$RC"
	[ "$(echo "$(date +%s.%N) - $t0 < 5" | bc)" = 1 ] || slow="$slow $i"
done
check "20 jobs in a row through tunnels all succeed" "" "$failed"
check "20 jobs in a row: each exits within 5 s" "" "$slow"
check "20 jobs: every SSH connection was closed by doppel (disconnect message)" "20" "$(( $(grep -c "doppel: tunnel closed" "$SSH_DIR/sshd.log") - d0 ))"
sleep 0.5
check "20 jobs: no SSH connection left open" "0" "$(ss -Htn state established "( dport = :$SSH_PORT )" | wc -l)"
# the ports the 20 jobs' tunnels listened on (from their -v logs): none is still open
lports=$(grep -ho "listening on 127.0.0.1 port [0-9]*" "$T/rows.log" | sed 's/.* //' | sort -u)
left=""
for p in $lports; do ss -Hltn "sport = :$p" | grep -q . && left="$left $p"; done
check "20 jobs: no tunnel listener left ($(echo $lports | wc -w) ports checked)" "" "$left"

# ---- 20 tunnels in a row in one process, 4 connections each: no descriptor or thread left
run env DP_TEST_SSH_PORT="$SSH_PORT" DP_TEST_PG_PORT="$PGPORT" DP_TEST_SSH_KEY="$SSH_DIR/id_plain" \
	DP_TEST_SSH_KNOWN_HOSTS="$SSH_DIR/known_hosts" "$ROOT/${BUILD:-build}/tests/test_tunnel"
if [ "$RC" = 0 ] && grep -q "OK \] test_tunnels_in_a_row" "$OUT"; then ok "21 tunnels in a row in one process: no descriptor or thread left behind"
else not_ok "tunnels in a row in one process leave nothing behind" "exit $RC"; fi

# ---- secrets: no password or passphrase in any output (all of it ran with -v)
run "$DOPPEL" -v --log-file "$T/job.log" run -c "$T/k1.json" --no-progress; keep
cat "$T/job.log" >>"$ALL"
leaks=""
for s in "$SSH_KEY_PASS" "$WRONGPP" "$SSHPW" "$PGPASSWORD" "$MY_PW"; do grep -qF -- "$s" "$ALL" && leaks="$leaks ${s%%-*}…"; done
check "no password or passphrase in any output or log ($(wc -l <"$ALL") lines)" "" "$leaks"
