#!/usr/bin/env python3
# Writes fixtures/bjnp.pcap: Canon BJNP datagrams (scanner and printer discovery and their responses with a
# payload, a print job, an unknown type and code, cut headers) for test/dissectors/app/bjnp.test.ts; then
# scripts/bjnp-fixture.sh stores tshark's side.
import os, struct
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16); return (~s) & 0xffff
def udp(sport, dport, payload, src=(10, 0, 0, 5), dst=(10, 0, 0, 255)):
    u = struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    return b'\xff' * 6 + bytes.fromhex('020000000005') + b'\x08\x00' + ip + u
def bjnp(ident, typ, code, seq, sid, payload=b'', plen=None):
    return ident + struct.pack('>BBIHI', typ, code, seq, sid, len(payload) if plen is None else plen) + payload
frames = [
    udp(50001, 8612, bjnp(b'BJNB', 2, 1, 0, 0)),
    udp(8612, 50001, bjnp(b'BJNB', 130, 1, 0, 0, bytes.fromhex('0001080000060000') + bytes.fromhex('001122334455') + bytes([10, 0, 0, 9])), dst=(10, 0, 0, 5)),
    udp(50002, 8611, bjnp(b'BJNP', 1, 1, 7, 0)),
    udp(50002, 8611, bjnp(b'BJNP', 1, 48, 8, 3)),
    udp(50002, 8611, bjnp(b'BJNP', 1, 16, 9, 3, b'\x00' * 8 + b'user\x00' * 2)),
    udp(50003, 8613, bjnp(b'BJNP', 7, 99, 1, 1)),
    udp(50004, 8614, bjnp(b'BJNP', 129, 33, 2, 4, b'', plen=100)),
    udp(50005, 8612, bjnp(b'BJNB', 2, 1, 0, 0)[:5]),
    udp(50005, 8612, bjnp(b'BJNB', 2, 1, 0, 0)[:11]),
]
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(frames):
    out += struct.pack('<IIII', 1700000000, i * 1000, len(f), len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'bjnp.pcap'), 'wb').write(out)
