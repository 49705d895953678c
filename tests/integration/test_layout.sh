#!/bin/sh
# tests/integration/test_layout.sh - the tree keeps its rooms: no include
# circle between rooms, the README's layout names every room, stages do not
# see the job.
. "$(dirname "$0")/lib.sh"

run sh "$ROOT/tools/include-graph.sh"
if [ "$RC" = 0 ] && grep -q '^no circles$' "$OUT"; then ok "include graph between rooms has no circle"
else not_ok "include graph between rooms has no circle" "$(grep circle "$OUT")"; fi

missing=""
for d in $(cd "$ROOT" && find base connectors settings engine report cli -name '*.c' -exec dirname {} \; | sort -u); do
	grep -q "^$d/ " "$ROOT/README.md" || missing="$missing $d"
done
if [ -z "$missing" ]; then ok "README layout names every room"
else not_ok "README layout names every room" "missing:$missing"; fi

# the stages take (plan, source/target, run state): none includes the job
leak=$(cd "$ROOT" && grep -l 'job_int\.h\|"\.\./job\.h"' engine/*/*.c engine/*/*.h 2>/dev/null)
if [ -z "$leak" ]; then ok "no stage includes the job's headers"
else not_ok "no stage includes the job's headers" "$leak"; fi

# one session-open path: only connectors/session.c calls a driver's open
opens=$(cd "$ROOT" && grep -rl --include='*.c' -e '->open(' base connectors engine settings report sample cli | grep -v '^connectors/session.c$')
if [ -z "$opens" ]; then ok "sessions are opened only through dp_session_open"
else not_ok "sessions are opened only through dp_session_open" "$opens"; fi

# ... and only it calls a driver's close (a session's tunnel lives as long as
# its sessions: dp_session_close gives the reference back)
closes=$(cd "$ROOT" && grep -rl --include='*.c' -e '->close(' base connectors tunnel engine settings report sample cli 2>/dev/null | grep -v '^connectors/session.c$')
if [ -z "$closes" ]; then ok "sessions are closed only through dp_session_close"
else not_ok "sessions are closed only through dp_session_close" "$closes"; fi
