#!/usr/bin/env bash
# Writes the tshark side of test/dissectors/link/aoe.test.ts: columns, frame.protocols and every aoe.* key
# tshark 4.0 prints for fixtures/aoe.pcap (scripts/aoe-fixture.py), and tshark -V of five frames.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/aoe-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols aoe.version aoe.response aoe.flags_error aoe.error aoe.major aoe.minor aoe.cmd aoe.tag \
  aoe.response_to aoe.time aoe.aflags.e aoe.aflags.d aoe.aflags.a aoe.aflags.w aoe.err_feature aoe.sector_count aoe.ata.cmd aoe.ata.status \
  aoe.lba; do args+=(-e "$k"); done
tshark -n -r fixtures/aoe.pcap "${args[@]}" 2>/dev/null > fixtures/aoe.pcap.tshark.tsv
tshark -n -r fixtures/aoe.pcap -V -O aoe -Y 'frame.number == 2 || frame.number == 4 || frame.number == 5 || frame.number == 10 || frame.number == 17 || frame.number == 19' 2>/dev/null > fixtures/aoe.pcap.tshark.txt
