#!/usr/bin/env bash
# Writes the tshark side of test/dissectors/app/json.test.ts: columns, frame.protocols, db-lsp.text and the json.*
# keys tshark 4.0 prints for fixtures/json-dblsp.pcap (scripts/json-fixture.py), for the corpus's DB-LSP-DISC
# capture and for its HTTP/JSON capture, in .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/json-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols db-lsp.text json.object json.array json.member json.key json.path
  json.path_with_value json.member_with_value json.value.string json.value.number json.value.true json.value.false
  json.value.null udp.srcport)
run() { local out=$1 f=$2; shift 2; local args=(-T fields -E header=y -E occurrence=a); for k in "$@"; do args+=(-e "$k"); done
  tshark -n -r "$f" "${args[@]}" 2>/dev/null > "$out"; }
run fixtures/json-dblsp.tshark.tsv fixtures/json-dblsp.pcap "${keys[@]}"
run fixtures/json-dblsp-corpus.tshark.tsv "$C/pcapng-11if-eth-null-raw.pcapng" "${keys[@]}"
run fixtures/json-http-corpus.tshark.tsv "$C/tcp-seq-wraparound-http.pcap" "${keys[@]}"
