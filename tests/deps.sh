#!/bin/sh
# Install the Debian packages given as arguments when any is missing.
# We run as root on a fresh Debian 12 (see README); elsewhere we only report.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "doppel: installing missing packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "doppel: not root; please run: apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
