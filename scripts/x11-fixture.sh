#!/usr/bin/env bash
# Writes the tshark side of the X11 tests (test/dissectors/app/x11.test.ts): columns, frame.protocols and
# the basic x11.* keys tshark 4.0 prints for fixtures/x11-session.pcap (scripts/x11-fixture.py) and the
# corpus's pcapng-eth-sll-comments.pcapng (X11 connections seen mid-way, cut by a 128-byte snaplen), in
# .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/x11-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols x11.opcode x11.request-length x11.reply x11.reply-sequencenumber \
  x11.replylength x11.eventcode x11.event-sequencenumber x11.error x11.errorcode x11.error_sequencenumber; do
  args+=(-e "$k")
done
tshark -n -r fixtures/x11-session.pcap "${args[@]}" 2>/dev/null > fixtures/x11-session.pcap.tshark.tsv
tshark -n -r "$C/pcapng-eth-sll-comments.pcapng" "${args[@]}" 2>/dev/null > fixtures/x11-corpus.tshark.tsv
