#!/usr/bin/env bash
# Writes tshark's view of fixtures/tls-keylog.pcap decrypted with fixtures/tls-keylog.keys (both made by
# scripts/tls-keylog-fixture.mjs; pass --capture to make them again first): columns, frame.protocols and
# the TLS/HTTP keys of test/dissectors/app/tls-decrypt.test.ts, in fixtures/tls-keylog.pcap.tshark.tsv;
# and without the key log in fixtures/tls-keylog.pcap.nokeys.tshark.tsv; the packet table and -z http,tree. Stream 14
# is on port 4433: every run has -d tcp.port==4433,tls (wiretrace: --decode-as). Needs tshark (4.0).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = --capture ] && node scripts/tls-keylog-fixture.mjs
if [ "${1:-}" = --capture-curl ]; then
  # fixtures/tls-keylog-curl.pcap: curl (SSLKEYLOGFILE) against openssl s_server -www on 127.0.0.1:443,
  # captured by tcpdump on lo (needs root): TLS 1.3, TLS 1.2, then AES-256-CBC-SHA384 with a resumed
  # session for the second URL; the responses run until the close (no Content-Length)
  T=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout "$T/k.pem" -out "$T/c.pem" >/dev/null 2>&1
  openssl s_server -accept 127.0.0.1:443 -key "$T/k.pem" -cert "$T/c.pem" -www -quiet >/dev/null 2>&1 & SRV=$!
  timeout 30 tcpdump -i lo -w "$T/c.pcap" -U 'tcp port 443' >/dev/null 2>&1 & TD=$!
  sleep 1.5
  export SSLKEYLOGFILE="$T/keys"
  curl -sk --tlsv1.3 --http1.1 https://127.0.0.1/ -o /dev/null
  curl -sk --tlsv1.2 --tls-max 1.2 --http1.1 https://127.0.0.1/ -o /dev/null
  curl -sk --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-SHA384 --http1.1 https://127.0.0.1/a https://127.0.0.1/b -o /dev/null -o /dev/null
  unset SSLKEYLOGFILE
  sleep 1; kill $TD $SRV; wait $TD $SRV 2>/dev/null || true
  cp "$T/c.pcap" fixtures/tls-keylog-curl.pcap; cp "$T/keys" fixtures/tls-keylog-curl.keys; rm -rf "$T"
fi
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols tcp.segment.count tcp.reassembled.length
  tls.record.content_type tls.record.opaque_type tls.record.version tls.record.length tls.handshake.type tls.handshake.length
  tls.app_data tls.app_data_proto tls.alert_message.level tls.alert_message.desc tls.segment tls.segment.count tls.reassembled.length
  tls.handshake.extensions_length tls.handshake.certificate_request_context_length tls.handshake.certificates_length
  tls.handshake.certificate_length tls.handshake.sig_hash_alg tls.handshake.client_cert_vrfy.sig_len
  tls.handshake.session_ticket_lifetime_hint tls.handshake.session_ticket_age_add tls.handshake.session_ticket_nonce_length
  tls.handshake.session_ticket_nonce tls.handshake.session_ticket_length tls.handshake.session_ticket
  http.request.method http.request.uri http.request.version http.host http.request.full_uri http.response.code
  http.response.phrase http.content_type http.content_length_header http.request_in http.response_in http.response_for.uri
  data.data)
E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
tshark -n -d tcp.port==4433,tls -r fixtures/tls-keylog.pcap -o tls.keylog_file:fixtures/tls-keylog.keys -T fields -E header=y -E occurrence=a "${E[@]}" > fixtures/tls-keylog.pcap.tshark.tsv 2>/dev/null
tshark -n -d tcp.port==4433,tls -r fixtures/tls-keylog.pcap -T fields -E header=y -E occurrence=a "${E[@]}" > fixtures/tls-keylog.pcap.nokeys.tshark.tsv 2>/dev/null
tshark -n -r fixtures/tls-keylog-curl.pcap -o tls.keylog_file:fixtures/tls-keylog-curl.keys -T fields -E header=y -E occurrence=a "${E[@]}" > fixtures/tls-keylog-curl.pcap.tshark.tsv 2>/dev/null
# the packet table and the HTTP stats tree, decrypted
tshark -n -d tcp.port==4433,tls -r fixtures/tls-keylog.pcap -o tls.keylog_file:fixtures/tls-keylog.keys > fixtures/tls-keylog.pcap.tshark.txt 2>/dev/null
tshark -n -q -d tcp.port==4433,tls -z http,tree -r fixtures/tls-keylog.pcap -o tls.keylog_file:fixtures/tls-keylog.keys > fixtures/tls-keylog.pcap.tshark-http-tree.txt 2>/dev/null
