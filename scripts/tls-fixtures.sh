#!/usr/bin/env bash
# Regenerates the TLS fixtures (fixtures/tls-*.pcap) and tshark's view of them (*.tshark.tsv), read by
# test/dissectors/app/tls.test.ts. Needs root (port 443, network namespaces), openssl, tcpdump,
# python3 and tshark; every byte stays on loopback or in two namespaces made and deleted here.
# With --tsv-only, only the .tshark.tsv files are made again, from the captures already in fixtures/.
set -euo pipefail
FX="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols tcp.segment tcp.segment.count tcp.reassembled.length
  tls.record.content_type tls.record.opaque_type tls.record.version tls.record.length tls.handshake.type tls.handshake.length
  tls.handshake.version tls.handshake.random tls.handshake.session_id_length tls.handshake.session_id
  tls.handshake.cipher_suites_length tls.handshake.ciphersuite tls.handshake.comp_methods_length tls.handshake.comp_method
  tls.handshake.extensions_length tls.handshake.extension.type tls.handshake.extension.len
  tls.handshake.extensions_server_name_list_len tls.handshake.extensions_server_name_type tls.handshake.extensions_server_name_len
  tls.handshake.extensions_server_name tls.handshake.extensions_alpn_len tls.handshake.extensions_alpn_str_len
  tls.handshake.extensions_alpn_str tls.handshake.extensions.supported_versions_len tls.handshake.extensions.supported_version
  tls.handshake.certificates_length tls.handshake.certificate_length tls.handshake.certificate tls.change_cipher_spec
  tls.alert_message tls.alert_message.level tls.alert_message.desc tls.app_data
  $(cat <<'K'
tls.handshake.extensions_supported_groups_length tls.handshake.extensions_supported_group tls.handshake.extensions_ec_point_formats_length
tls.handshake.extensions_ec_point_format tls.handshake.sig_hash_alg_len tls.handshake.sig_hash_alg tls.handshake.sig_hash_hash
tls.handshake.sig_hash_sig tls.handshake.extensions_key_share_client_length tls.handshake.extensions_key_share_group
tls.handshake.extensions_key_share_key_exchange_length tls.handshake.extensions_key_share_key_exchange
tls.handshake.extensions_key_share_selected_group tls.extension.psk_ke_modes_length tls.extension.psk_ke_mode tls.handshake.ja3_full
tls.handshake.ja3 tls.handshake.ja3s_full tls.handshake.ja3s tls.handshake.extension.data tls.handshake.extensions_padding_data
tls.handshake.extensions_reneg_info_len tls.handshake.server_curve_type tls.handshake.server_named_curve tls.handshake.server_point_len
tls.handshake.server_point tls.handshake.sig_len tls.handshake.sig tls.handshake.client_point_len tls.handshake.client_point
tls.handshake.epms_len tls.handshake.session_ticket_lifetime_hint tls.handshake.session_ticket_length tls.handshake.session_ticket
K
))
name() {
  case $1 in loopback) echo tls-openssl-loopback;; segmented) echo tls-openssl-segmented;; alert) echo tls-alert-and-http-on-443;;
    junk) echo tls-port-not-records;; clients) echo tls-clients-hrr-resumption;; records) echo tls-records-across-segments;;
    boundaries) echo tls-record-boundaries;; esac
}
tsvs() {
  local E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
  # (tls-record-boundaries.pcap is written by scripts/tls-boundaries.py, no capture needed)
  for f in loopback segmented alert junk clients records boundaries; do
    tshark -n -r "$FX/$(name $f).pcap" -T fields -E header=y -E occurrence=a "${E[@]}" > "$FX/$(name $f).pcap.tshark.tsv" 2>/dev/null
  done
}
if [ "${1:-}" = --tsv-only ]; then tsvs; echo "tls-fixtures: tshark fields of the 7 captures written to $FX"; exit 0; fi

W="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; ip netns del wtls-a 2>/dev/null || true; ip netns del wtls-b 2>/dev/null || true; rm -rf "$W"' EXIT
chmod 755 "$W" # tcpdump writes as its own user
cd "$W"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 30 -subj /CN=wiretrace.test 2>/dev/null
cap() { tcpdump --immediate-mode -i "$1" -w "$2" -U 'tcp port 443' 2>/dev/null & TD=$!; sleep 1; }
stop() { sleep 0.5; kill "$TD"; wait "$TD" 2>/dev/null || true; }
get() { printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 "$@" -ign_eof >/dev/null 2>&1 || true; }
# s_server ends at the end of its standard input: give it one that stays open
# two namespaces joined by a veth pair with MTU 576 (10.99.0.1 in wtls-a, 10.99.0.2 in wtls-b)
veth_up() {
  ip netns add wtls-a; ip netns add wtls-b
  ip link add wtls-va type veth peer name wtls-vb
  ip link set wtls-va netns wtls-a; ip link set wtls-vb netns wtls-b
  ip -n wtls-a addr add 10.99.0.1/24 dev wtls-va; ip -n wtls-b addr add 10.99.0.2/24 dev wtls-vb
  ip -n wtls-a link set wtls-va up mtu 576; ip -n wtls-b link set wtls-vb up mtu 576
}

# srv [NETNS] [s_server options]
srv() {
  local ns=(); if [ "${1:-}" != "" ] && [ "${1:0:1}" != "-" ]; then ns=(ip netns exec "$1"); shift; fi
  "${ns[@]}" openssl s_server -accept 443 -cert cert.pem -key key.pem -www -quiet "$@" < <(sleep 60) >/dev/null 2>&1 & S=$!; sleep 1
}

# 1. TLS 1.2 and 1.3 on loopback (SNI, ALPN), one HTTP request each
cap lo loopback.pcap
srv
for v in -tls1_2 -tls1_3; do get openssl s_client -connect 127.0.0.1:443 -servername example.test "$v" -alpn h2,http/1.1; done
kill $S; stop

# 2. the same through a veth pair with MTU 576: records span segments
veth_up
ip netns exec wtls-a tcpdump --immediate-mode -i wtls-va -w segmented.pcap -U 'tcp port 443' 2>/dev/null & TD=$!; sleep 1
srv wtls-b
for v in -tls1_2 -tls1_3; do get ip netns exec wtls-a openssl s_client -connect 10.99.0.2:443 -servername seg.example "$v"; done
kill $S; stop

# 3. a TLS 1.2-only server: a TLS 1.3 client gets a plain alert; then plain HTTP on port 443
cap lo alert.pcap
srv -tls1_2
printf x | timeout 5 openssl s_client -connect 127.0.0.1:443 -tls1_3 -servername nomatch.test >/dev/null 2>&1 || true
get openssl s_client -connect 127.0.0.1:443 -tls1_2 -servername ok.test -alpn h2
kill $S; sleep 0.5
python3 -m http.server 443 --bind 127.0.0.1 >/dev/null 2>&1 & S=$!; sleep 1
curl -s http://127.0.0.1:443/ -o /dev/null; kill $S; stop

# 4. bytes that are no TLS records on port 443: text, binary, a Client Hello too short for its fields
cap lo junk.pcap
python3 - <<'PY'
import socket, threading, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', 443)); srv.listen(5)
def serve():
    for _ in range(3):
        c, _ = srv.accept(); c.recv(4096); c.sendall(b'\x00\x01binaryjunk' * 3); time.sleep(0.05); c.close()
t = threading.Thread(target=serve); t.start()
for p in [b'hello there\n', bytes(range(40)), b'\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00\x17\x03\x03\x00\x02abjunk']:
    s = socket.create_connection(('127.0.0.1', 443)); s.sendall(p); time.sleep(0.05); s.recv(4096); s.close(); time.sleep(0.05)
t.join()
PY
stop

# 5. real clients: curl (TLS 1.3, TLS 1.2), python's ssl; a Hello Retry Request (the client's first key
# share is a group the server does not take); TLS 1.2 and 1.3 session resumption
cap lo clients.pcap
srv -groups P-384:X25519
curl -sk https://127.0.0.1/ -o /dev/null || true
curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 https://127.0.0.1/ -o /dev/null || true
get openssl s_client -connect 127.0.0.1:443 -groups X448:P-384
get openssl s_client -connect 127.0.0.1:443 -tls1_2 -sess_out s12.pem
get openssl s_client -connect 127.0.0.1:443 -tls1_2 -sess_in s12.pem
get openssl s_client -connect 127.0.0.1:443 -tls1_3 -sess_out s13.pem
get openssl s_client -connect 127.0.0.1:443 -tls1_3 -sess_in s13.pem
python3 -c "
import ssl, socket
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', 443)), server_hostname='py.example')
s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n'); s.recv(100000); s.close()"
kill $S; stop

# 6. a 40 kB download through the MTU-576 veth pair (python's https server, curl): TLS 1.3 records of
# 16 kB across several segments, so segments in the middle of a record (TCP's own Info)
veth_up
head -c 40000 /dev/urandom > f40k.bin
cat > https.py <<'PY'
import http.server, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain('cert.pem', 'key.pem')
h = http.server.HTTPServer(('10.99.0.2', 443), http.server.SimpleHTTPRequestHandler)
h.socket = ctx.wrap_socket(h.socket, server_side=True)
h.serve_forever()
PY
ip netns exec wtls-a tcpdump --immediate-mode -i wtls-va -w records.pcap -U 'tcp port 443' 2>/dev/null & TD=$!; sleep 1
ip netns exec wtls-b python3 https.py >/dev/null 2>&1 & S=$!; sleep 1
ip netns exec wtls-a curl -sk https://10.99.0.2/f40k.bin -o /dev/null || true
kill $S; stop
ip netns del wtls-a; ip netns del wtls-b

for f in loopback segmented alert junk clients records; do cp "$f.pcap" "$FX/$(name $f).pcap"; done
python3 "$FX/../scripts/tls-boundaries.py" "$FX/tls-record-boundaries.pcap"
tsvs
echo "tls-fixtures: 6 captures and their tshark fields written to $FX"
