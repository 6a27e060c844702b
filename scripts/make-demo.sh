#!/usr/bin/env bash
# Rebuild fixtures/demo.pcapng from real traffic: DNS over UDP, HTTP/1.1 keep-alive (3 requests, one body of
# several segments), and a refused connection, all on the loopback of a private network namespace (MTU 1500,
# offloads off, so frames look like Ethernet ones). Needs root, iproute2, ethtool, dumpcap (wireshark-common).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../fixtures/demo.pcapng}
NS=wiretrace-demo
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
CAP=
cleanup() { [ -n "$CAP" ] && kill "$CAP" 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns exec "$NS" ip link set lo mtu 1500 up
ip netns exec "$NS" ethtool -K lo tso off gso off gro off tx off >/dev/null 2>&1 || true
TMP=$(mktemp -d)
ip netns exec "$NS" dumpcap -q -i lo -f 'not port 5555' -w "$TMP/demo.pcapng" &
CAP=$!
sleep 1
ip netns exec "$NS" node "$HERE/demo-traffic.mjs"
ip netns exec "$NS" ping -q -c 2 -i 0.2 -I 127.0.0.2 127.0.0.1 >/dev/null
sleep 0.5
kill -INT "$CAP"; wait "$CAP" || true; CAP=
cp "$TMP/demo.pcapng" "$OUT"
rm -rf "$TMP"
echo "wrote $OUT"
