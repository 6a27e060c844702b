#!/usr/bin/env bash
# Writes the tshark side of the RESP tests (test/dissectors/app/resp.test.ts): columns, frame.protocols
# and the resp.* keys tshark 4.0 prints for fixtures/resp-commands.pcap (scripts/resp-fixture.py) and the
# corpus's null-ipv4-tcp-keepalive-resp.pcap, in NAME.tshark.tsv. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/resp-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols resp.string resp.error resp.integer resp.bulk_string.length resp.array.length; do args+=(-e "$k"); done
tshark -n -r fixtures/resp-commands.pcap "${args[@]}" 2>/dev/null > fixtures/resp-commands.pcap.tshark.tsv
tshark -n -r "$C/null-ipv4-tcp-keepalive-resp.pcap" "${args[@]}" 2>/dev/null > fixtures/resp-corpus.tshark.tsv
