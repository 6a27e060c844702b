#!/usr/bin/env bash
# Writes the tshark side of the PPPoE tests (test/dissectors/link/pppoe.test.ts): columns, frame.protocols
# and the pppoe*/ppp keys tshark 4.0 prints for fixtures/pppoe.pcap (built by scripts/pppoe-fixture.py) in
# fixtures/pppoe.pcap.tshark.tsv, and its -z io,phs in fixtures/pppoe.pcap.tshark-phs.txt. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/pppoe-fixture.py
F=fixtures/pppoe.pcap
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols pppoe.version pppoe.type pppoe.code pppoe.session_id pppoe.payload_length \
  pppoed.tag pppoed.tag_length pppoed.tags.service_name pppoed.tags.ac_name pppoed.tags.host_uniq pppoed.tags.ac_cookie \
  pppoed.tags.vendor_id pppoed.tags.circuit_id pppoed.tags.relay_session_id pppoed.tags.generic_error ppp.protocol ppp.code icmp.type; do
  args+=(-e "$k")
done
tshark -n -r "$F" "${args[@]}" 2>/dev/null > "$F.tshark.tsv"
tshark -n -r "$F" -q -z io,phs 2>/dev/null > "$F.tshark-phs.txt"
