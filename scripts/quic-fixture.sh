#!/usr/bin/env bash
# Writes the tshark side of the QUIC tests (test/dissectors/app/quic.test.ts): the table, columns,
# frame.protocols and the quic.* / tls.* keys tshark 4.0 prints for fixtures/quic-handshake.pcap (built by
# scripts/quic-fixture.mjs), in fixtures/quic-handshake.pcap.tshark.tsv, .tshark.txt and .tshark-phs.txt (-z io,phs).
# Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/quic-fixture.mjs
F=fixtures/quic-handshake.pcap
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols quic.connection.number quic.packet_length quic.header_form quic.fixed_bit \
  quic.long.packet_type quic.long.packet_type_v2 quic.long.reserved quic.packet_number_length quic.version quic.dcil quic.dcid quic.scil quic.scid \
  quic.token_length quic.token quic.length quic.packet_number quic.frame_type quic.crypto.offset quic.crypto.length \
  quic.padding_length quic.ack.largest_acknowledged quic.ack.ack_delay quic.ack.ack_range_count quic.ack.first_ack_range \
  quic.ack.gap quic.ack.ack_range quic.ack.ect0_count quic.ack.ect1_count quic.ack.ecn_ce_count quic.cc.error_code \
  quic.cc.frame_type quic.cc.reason_phrase.length quic.cc.reason_phrase quic.spin_bit quic.supported_version quic.retry_token \
  quic.retry_integrity_tag quic.vn.unused quic.remaining_payload quic.payload tls.handshake.type \
  tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str tls.handshake.ciphersuite tls.handshake.ja3 \
  tls.handshake.ja3s tls.handshake.extensions.supported_version; do args+=(-e "$k"); done
tshark -n -r "$F" "${args[@]}" 2>/dev/null > "$F.tshark.tsv"
tshark -n -r "$F" 2>/dev/null > "$F.tshark.txt"
tshark -n -r "$F" -q -z io,phs 2>/dev/null > "$F.tshark-phs.txt"
