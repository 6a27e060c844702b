#!/usr/bin/env bash
# Writes the tshark side of test/dissectors/net/vxlan.test.ts for fixtures/vxlan.pcap (scripts/vxlan-fixture.py):
# columns, frame.protocols and the vxlan.* keys; tshark -V of two frames; -z io,phs.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/vxlan-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Source _ws.col.Destination _ws.col.Protocol _ws.col.Info frame.protocols vxlan.flags vxlan.flag_g vxlan.flag_i vxlan.flag_d \
  vxlan.flag_a vxlan.flags_reserved vxlan.gbp vxlan.vni vxlan.reserved8 eth.src icmp.type; do args+=(-e "$k"); done
tshark -n -r fixtures/vxlan.pcap "${args[@]}" 2>/dev/null > fixtures/vxlan.pcap.tshark.tsv
tshark -n -r fixtures/vxlan.pcap -V -Y 'frame.number == 3 || frame.number == 4' 2>/dev/null | sed -n '/^Virtual/,/^Ethernet/p' > fixtures/vxlan.pcap.tshark.txt
tshark -n -r fixtures/vxlan.pcap -q -z io,phs 2>/dev/null > fixtures/vxlan.pcap.tshark-phs.txt
