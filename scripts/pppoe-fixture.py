#!/usr/bin/env python3
# Writes fixtures/pppoe.pcap: PPPoE discovery (PADI, PADO, PADR, PADS, PADT with their tags, a cut tag, a
# tag length that lies, an unknown code) and session frames carrying PPP (LCP, IPCP, IPv4 ICMP), for
# test/dissectors/link/pppoe.test.ts. Then run scripts/pppoe-fixture.sh for tshark's side.
import os, struct
HOST = bytes.fromhex('020000000001'); AC = bytes.fromhex('020000000002'); BCAST = b'\xff' * 6
def tag(t, v): return struct.pack('>HH', t, len(v)) + v
def disc(dst, src, code, sid, tags, plen=None):
    body = b''.join(tags)
    return dst + src + b'\x88\x63' + struct.pack('>BBHH', 0x11, code, sid, len(body) if plen is None else plen) + body
def sess(dst, src, sid, proto, payload):
    body = struct.pack('>H', proto) + payload
    return dst + src + b'\x88\x64' + struct.pack('>BBHH', 0x11, 0, sid, len(body)) + body
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16); return (~s) & 0xffff
frames = []
hu = tag(0x0103, bytes.fromhex('64138518'))
frames.append(disc(BCAST, HOST, 0x09, 0, [tag(0x0101, b''), hu]))
frames.append(disc(HOST, AC, 0x07, 0, [tag(0x0101, b''), tag(0x0102, b'isp-bras-1'), hu, tag(0x0104, bytes(range(16))), tag(0x0105, bytes.fromhex('00000de9') + b'\x01\x04abcd')]))
frames.append(disc(AC, HOST, 0x19, 0, [tag(0x0101, b'internet'), hu, tag(0x0104, bytes(range(16))), tag(0x0110, b'relay-1')]))
frames.append(disc(HOST, AC, 0x65, 0x1234, [tag(0x0101, b'internet'), hu]))
# session: LCP Configure-Request (MRU 1492, magic), IPCP Configure-Request (address 0.0.0.0), IPv4 ICMP echo
lcp = struct.pack('>BBH', 1, 1, 14) + bytes([1, 4]) + struct.pack('>H', 1492) + bytes([5, 6]) + bytes.fromhex('a1b2c3d4')
frames.append(sess(AC, HOST, 0x1234, 0xc021, lcp))
ipcp = struct.pack('>BBH', 1, 2, 10) + bytes([3, 6, 0, 0, 0, 0])
frames.append(sess(AC, HOST, 0x1234, 0x8021, ipcp))
icmp = struct.pack('>BBHHH', 8, 0, 0, 0x42, 1) + b'pppoe ping'
icmp = icmp[:2] + struct.pack('>H', csum(icmp)) + icmp[4:]
ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 7, 0, 64, 1, 0, bytes([100, 64, 0, 2]), bytes([198, 51, 100, 1]))
ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
frames.append(sess(AC, HOST, 0x1234, 0x0021, ip + icmp))
frames.append(disc(AC, HOST, 0xa7, 0x1234, [tag(0x0203, b'session closed by user')]))
# odd ones: an unknown code, a tag whose length runs past the payload, a payload length that lies
frames.append(disc(BCAST, HOST, 0x42, 0, [hu]))
frames.append(disc(BCAST, HOST, 0x09, 0, [struct.pack('>HH', 0x0103, 40) + b'\x01\x02']))
frames.append(disc(BCAST, HOST, 0x09, 0, [tag(0x0101, b'')], plen=60))
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(frames):
    if len(f) < 60: f = f + b'\0' * (60 - len(f))  # Ethernet minimum: the padding PPPoE's length leaves out
    out += struct.pack('<IIII', 1700000000, i * 1000, len(f), len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'pppoe.pcap'), 'wb').write(out)
