#!/usr/bin/env bash
# Writes fixtures/sip-sipp.pcap: real SIP traffic from sipp (Debian's sip-tester): its built-in UAS and UAC
# scenarios (INVITE with SDP, 100/180/200, ACK, BYE, 200) over UDP on the loopback of a private network
# namespace, 2 calls, the UAC echoing RTP (-rtp_echo). Needs root, sipp and tcpdump.
set -euo pipefail
cd "$(dirname "$0")/.."
NS=wiretrace-sip-$$
TMP=$(mktemp -d)
CAP=
cleanup() { [ -n "$CAP" ] && kill "$CAP" 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" tcpdump -q -i lo -U -w "$TMP/sip.pcap" 'udp' 2>/dev/null &
CAP=$!
sleep 1
cd "$TMP"
ip netns exec "$NS" timeout 20 sipp -sn uas -i 127.0.0.1 -p 5060 -m 2 -bg >/dev/null 2>&1 || true
sleep 0.5
ip netns exec "$NS" timeout 20 sipp -sn uac 127.0.0.1:5060 -i 127.0.0.1 -p 5070 -m 2 -l 1 -d 200 -rtp_echo >/dev/null 2>&1 </dev/null || true
sleep 1
kill "$CAP"; wait "$CAP" 2>/dev/null || true; CAP=
cd - >/dev/null
cp "$TMP/sip.pcap" fixtures/sip-sipp.pcap
