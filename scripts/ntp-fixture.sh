#!/usr/bin/env bash
# Regenerates fixtures/ntp-modes.pcap and tshark's view of it (.tshark.tsv), read by
# test/dissectors/app/ntp.test.ts: NTP datagrams on 127.0.0.1 port 123 made by the Python below —
# a client request and a server reply (stratum 2 with an IPv4 reference ID, stratum 1 with "GPS"),
# symmetric active/passive, broadcast, a control (mode 6) and a private (mode 7) message, a version 3
# request, a leap-second warning, zero timestamps, and a datagram shorter than the header.
# Needs root (tcpdump), python3 and tshark.
set -euo pipefail
FX="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
W="$(mktemp -d)"; chmod 755 "$W" # tcpdump writes as its own user
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
tcpdump --immediate-mode -i lo -w "$W/ntp.pcap" -U 'udp port 123' 2>/dev/null & TD=$!; sleep 1
python3 - <<'PY'
import socket, struct, time
E = 2208988800
def ts(t):
    if t == 0: return b'\0' * 8
    s = int(t); return struct.pack('>II', s + E, int((t - s) * 2**32))
def pkt(li, vn, mode, stratum, poll, prec, rd, rdisp, refid, ref, org, rec, xmt):
    return struct.pack('>BBbbII', (li << 6) | (vn << 3) | mode, stratum, poll, prec, rd, rdisp) + refid + ts(ref) + ts(org) + ts(rec) + ts(xmt)
now = 1795775000.123456
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 123))
c = ('127.0.0.1', 123)
msgs = [
    pkt(0, 4, 3, 0, 0, 0, 0, 0, b'\0\0\0\0', 0, 0, 0, now),
    pkt(0, 4, 4, 2, 6, -23, 3339, 2806, bytes([17, 253, 12, 253]), now - 100.5, now, now + 0.0001, now + 0.0002),
    pkt(0, 4, 4, 1, 10, -29, 0, 71, b'GPS\0', now - 20, now, now + 0.00005, now + 0.00007),
    pkt(0, 4, 1, 3, 8, -20, 4000, 5000, bytes([10, 0, 0, 1]), now - 5, now - 1, now - 0.5, now),
    pkt(0, 4, 2, 3, 8, -20, 4000, 5000, bytes([10, 0, 0, 2]), now - 5, now, now + 0.1, now + 0.2),
    pkt(0, 4, 5, 2, 6, -18, 100, 200, bytes([192, 0, 2, 1]), now - 64, 0, 0, now + 1),
    pkt(1, 4, 4, 2, 6, -23, 3339, 2806, bytes([192, 0, 2, 9]), now - 10, now, now, now + 0.5),
    pkt(3, 3, 3, 16, 4, -6, 0, 0, b'INIT', 0, 0, 0, now + 2),
    bytes([0x16, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
    bytes([0x17, 0x00, 0x03, 0x2a]) + bytes(4),
    bytes([0x23, 0x02, 0x06]),
]
for m in msgs:
    s.sendto(m, c); time.sleep(0.02)
PY
sleep 0.5; kill $TD; wait $TD 2>/dev/null || true
cp "$W/ntp.pcap" "$FX/ntp-modes.pcap"
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols ntp.flags ntp.flags.li ntp.flags.vn ntp.flags.mode ntp.stratum
  ntp.ppoll ntp.precision ntp.rootdelay ntp.rootdispersion ntp.refid ntp.reftime ntp.org ntp.rec ntp.xmt ntp.ctrl.flags2
  ntp.ctrl.flags2.r ntp.ctrl.flags2.error ntp.ctrl.flags2.more ntp.ctrl.flags2.opcode ntp.ctrl.sequence ntp.ctrl.status
  ntp.ctrl.associd ntp.ctrl.offset ntp.ctrl.count ntp.priv.flags.r ntp.priv.flags.more ntp.priv.auth_seq ntp.priv.auth ntp.priv.seq
  ntp.priv.impl ntp.priv.reqcode)
E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
tshark -n -r "$FX/ntp-modes.pcap" -T fields -E header=y -E occurrence=a "${E[@]}" > "$FX/ntp-modes.pcap.tshark.tsv" 2>/dev/null
echo "ntp-fixture: written to $FX/ntp-modes.pcap"
