#!/usr/bin/env bash
# Writes fixtures/bjnp.pcap.tshark.tsv: the columns, frame.protocols and bjnp.* keys tshark 4.0 prints for
# fixtures/bjnp.pcap (scripts/bjnp-fixture.py), for test/dissectors/app/bjnp.test.ts. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/bjnp-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols bjnp.id bjnp.type bjnp.code bjnp.seq_no bjnp.session_id bjnp.payload_len bjnp.payload; do args+=(-e "$k"); done
tshark -n -r fixtures/bjnp.pcap "${args[@]}" 2>/dev/null > fixtures/bjnp.pcap.tshark.tsv
