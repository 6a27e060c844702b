#!/usr/bin/env bash
# Regenerates fixtures/nbns-names.pcap and tshark's view of it (.tshark.tsv), read by
# test/dissectors/app/nbns.test.ts: NBNS datagrams on 127.0.0.1 port 137 made by the Python below —
# broadcast and unicast name queries, a positive and a negative response, a registration and a
# release (with their additional NB record), an NBSTAT query for "*", a domain-master query (<1b>)
# and a name with a scope. Needs root (port 137, tcpdump), python3 and tshark.
set -euo pipefail
FX="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
W="$(mktemp -d)"; chmod 755 "$W" # tcpdump writes as its own user
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
tcpdump --immediate-mode -i lo -w "$W/nbns.pcap" -U 'udp port 137' 2>/dev/null & TD=$!; sleep 1
python3 - <<'PY'
import socket, struct, time
def nbname(name, suffix=0x00, scope=b''):
    raw = name.upper().ljust(15)[:15].encode() + bytes([suffix])
    enc = bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15)))
    out = bytes([32]) + enc
    for lab in scope.split(b'.') if scope else []:
        out += bytes([len(lab)]) + lab
    return out + b'\0'
def hdr(tid, flags, qd, an, ns, ar):
    return struct.pack('>HHHHHH', tid, flags, qd, an, ns, ar)
Q = lambda n, t=0x20: n + struct.pack('>HH', t, 1)
msgs = [
    hdr(0x1001, 0x0110, 1, 0, 0, 0) + Q(nbname('WPAD')),                                   # query, broadcast
    hdr(0x1001, 0x8500, 0, 1, 0, 0) + nbname('WPAD') + struct.pack('>HHIH', 0x20, 1, 300000, 6) + struct.pack('>H', 0) + bytes([192, 0, 2, 7]),  # positive response
    hdr(0x1002, 0x0100, 1, 0, 0, 0) + Q(nbname('NOSUCH', 0x20)),                            # unicast query
    hdr(0x1002, 0x8583, 0, 1, 0, 0) + nbname('NOSUCH', 0x20) + struct.pack('>HHIH', 0x20, 1, 0, 0),  # negative response (NXDOMAIN)
    hdr(0x1003, 0x2910, 1, 0, 0, 1) + Q(nbname('DESKTOP-1', 0x20)) + bytes([0xc0, 12]) + struct.pack('>HHIH', 0x20, 1, 300000, 6) + struct.pack('>H', 0x6000) + bytes([192, 0, 2, 9]),  # registration
    hdr(0x1004, 0x3010, 1, 0, 0, 1) + Q(nbname('DESKTOP-1', 0x20)) + bytes([0xc0, 12]) + struct.pack('>HHIH', 0x20, 1, 0, 6) + struct.pack('>H', 0x6000) + bytes([192, 0, 2, 9]),  # release
    hdr(0x1005, 0x0000, 1, 0, 0, 0) + Q(nbname('*', 0x00).replace(b'CACACACACACACACACACACACACACA', b'AAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 0x21),  # node status
    hdr(0x1006, 0x0110, 1, 0, 0, 0) + Q(nbname('WORKGROUP', 0x1b)),
    hdr(0x1007, 0x0110, 1, 0, 0, 0) + Q(nbname('FILESRV', 0x20, b'corp.example')),
]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 137))
for m in msgs:
    s.sendto(m, ('127.0.0.1', 137)); time.sleep(0.02)
PY
sleep 0.5; kill $TD; wait $TD 2>/dev/null || true
cp "$W/nbns.pcap" "$FX/nbns-names.pcap"
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols nbns.id nbns.flags nbns.flags.response nbns.flags.opcode
  nbns.flags.authoritative nbns.flags.truncated nbns.flags.recdesired nbns.flags.recavail nbns.flags.broadcast nbns.flags.rcode
  nbns.count.queries nbns.count.answers nbns.count.auth_rr nbns.count.add_rr nbns.name nbns.type nbns.class nbns.ttl
  nbns.data_length nbns.nb_flags nbns.nb_flags.group nbns.nb_flags.ont nbns.addr)
E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
tshark -n -r "$FX/nbns-names.pcap" -T fields -E header=y -E occurrence=a "${E[@]}" > "$FX/nbns-names.pcap.tshark.tsv" 2>/dev/null
echo "nbns-fixture: written to $FX/nbns-names.pcap"
