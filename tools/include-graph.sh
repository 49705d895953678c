#!/bin/sh
# tools/include-graph.sh - the include graph between rooms (directories),
# and any circle in it. A room may include rooms below it only; a circle
# means two rooms lean on each other and one of them hides a third.
#
#   sh tools/include-graph.sh        prints "room -> rooms it includes",
#                                    then "no circles" or each circle; exits
#                                    1 when there is a circle
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
find base connectors tunnel settings engine report sample cli -name '*.[ch]' 2>/dev/null |
while read -r f; do
	d=$(dirname "$f")
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		t=$(dirname "$d/$inc")
		# normalise a/b/../c -> a/c
		t=$(echo "$t" | awk -F/ '{ n = 0; for (i = 1; i <= NF; i++) {
			if ($i == "..") n--; else if ($i != ".") p[++n] = $i }
			s = p[1]; for (i = 2; i <= n; i++) s = s "/" p[i]; print s }')
		[ "$t" != "$d" ] && echo "$d $t"
	done
done | sort -u | awk '
# input is sorted by room: one line per room as it goes
$1 != cur { if (cur != "") print line; cur = $1; line = $1 " ->" }
{ line = line " " $2; adj[$1, $2] = 1; nodes[$1] = 1; nodes[$2] = 1 }
END {
	if (cur != "") print line
	# transitive closure (a handful of rooms: Floyd-Warshall is plenty)
	for (k in nodes) for (i in nodes) if (adj[i, k]) for (j in nodes) if (adj[k, j]) adj[i, j] = 1
	bad = 0
	for (a in nodes) for (b in nodes)
		if (a < b && adj[a, b] && adj[b, a]) { print "circle: " a " <-> " b; bad = 1 }
	if (!bad) print "no circles"
	exit bad
}'
