#!/usr/bin/env bash
# Regenerates fixtures/websocket-frames.pcap and tshark's view of it (.tshark.tsv), read by
# test/dissectors/app/websocket.test.ts: a WebSocket session on 127.0.0.1:8080 made by the Python
# below (no library): the HTTP upgrade, text (plain and masked), binary with 16- and 64-bit lengths
# (the 70,000-byte one across segments), a message in two fragments, two frames in one segment,
# ping, pong, close with status and reason. Needs root (tcpdump), python3 and tshark.
set -euo pipefail
FX="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
W="$(mktemp -d)"; chmod 755 "$W" # tcpdump writes as its own user
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
tcpdump --immediate-mode -i lo -w "$W/ws.pcap" -U 'tcp port 8080' 2>/dev/null & TD=$!; sleep 1
python3 - <<'PY'
import socket, threading, time, struct, os
def frame(op, payload, fin=True, mask=None):
    b0 = (0x80 if fin else 0) | op
    n = len(payload)
    if n < 126: h = bytes([b0, (0x80 if mask else 0) | n])
    elif n < 65536: h = bytes([b0, (0x80 if mask else 0) | 126]) + struct.pack('>H', n)
    else: h = bytes([b0, (0x80 if mask else 0) | 127]) + struct.pack('>Q', n)
    if mask:
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload)); h += mask
    return h + payload
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', 8080)); srv.listen(1)
def server():
    c, _ = srv.accept(); c.recv(4096)
    c.sendall(b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n')
    time.sleep(0.05); c.sendall(frame(1, b'hello'))
    time.sleep(0.05); c.recv(65536)  # text
    time.sleep(0.1); c.recv(65536)  # binary 300
    c.sendall(frame(2, os.urandom(70000)))
    time.sleep(0.1); c.recv(65536)  # fragments
    c.sendall(frame(1, b'a') + frame(2, b'bb'))
    time.sleep(0.05); c.recv(65536)  # ping
    c.sendall(frame(10, b'p'))
    time.sleep(0.05); c.recv(65536)  # close
    c.sendall(frame(8, struct.pack('>H', 1000)))
    time.sleep(0.05); c.close()
t = threading.Thread(target=server); t.start()
s = socket.create_connection(('127.0.0.1', 8080))
s.sendall(b'GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n')
time.sleep(0.05); s.recv(4096); time.sleep(0.05); s.recv(4096)
M = b'\x12\x34\x56\x78'
s.sendall(frame(1, b'hi there\n', mask=M)); time.sleep(0.05)
s.sendall(frame(2, bytes(range(256)) + bytes(44), mask=M)); time.sleep(0.05)
got = 0
while got < 70010:
    d = s.recv(100000); got += len(d)
    if not d: break
s.sendall(frame(1, b'part1', fin=False, mask=M)); time.sleep(0.02); s.sendall(frame(0, b'part2', mask=M)); time.sleep(0.05)
s.recv(4096)
s.sendall(frame(9, b'p', mask=M)); time.sleep(0.05); s.recv(4096)
s.sendall(frame(8, struct.pack('>H', 1000) + b'bye', mask=M)); time.sleep(0.05); s.recv(4096); s.close(); t.join()
PY
sleep 0.5; kill $TD; wait $TD 2>/dev/null || true
cp "$W/ws.pcap" "$FX/websocket-frames.pcap"
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols websocket.fin websocket.rsv websocket.opcode websocket.mask
  websocket.payload_length websocket.payload_length_ext_16 websocket.payload_length_ext_64 websocket.masking_key
  websocket.masked_payload websocket.payload websocket.payload.text websocket.payload.close websocket.payload.close.status_code
  websocket.payload.close.reason websocket.payload.ping websocket.payload.pong websocket.fragment websocket.fragment.count
  websocket.reassembled.length data.len tcp.segment)
E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
tshark -n -r "$FX/websocket-frames.pcap" -T fields -E header=y -E occurrence=a "${E[@]}" > "$FX/websocket-frames.pcap.tshark.tsv" 2>/dev/null
echo "websocket-fixture: written to $FX/websocket-frames.pcap"
