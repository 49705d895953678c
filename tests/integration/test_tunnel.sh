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
[ -n "${TUNNEL_DEBUG:-}" ] && { cat "$ERR"; grep -E "Accepted|direct_tcpip|isconnect" "$SSH_DIR/sshd.log"; }
grep -q "SSH tunnel .*host key ed25519 $SSH_HOSTKEY_FP found in" "$ERR" \
	&& ok "the log says which host key was verified" || not_ok "the log names the verified host key"
