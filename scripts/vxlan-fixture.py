#!/usr/bin/env python3
# Writes fixtures/vxlan.pcap: VXLAN on UDP 4789 for test/dissectors/net/vxlan.test.ts: an ICMP echo and its
# reply between two hosts of VNI 5001, a Group Based Policy header (G flag, policy ID), reserved bits set,
# an inner frame cut inside its Ethernet header, a VXLAN header cut short. Then scripts/vxlan-fixture.sh.
import os, struct
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16); return (~s) & 0xffff
def ip4(src, dst, proto, payload):
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    return ip[:10] + struct.pack('>H', csum(ip)) + ip[12:] + payload
def udp(sp, dp, src, dst, pl):
    u = struct.pack('>HHHH', sp, dp, 8 + len(pl), 0) + pl
    ph = bytes(src) + bytes(dst) + struct.pack('>BBH', 0, 17, len(u))
    return u[:6] + struct.pack('>H', csum(ph + u) or 0xffff) + u[8:]
def eth(dst, src, t, pl): return bytes.fromhex(dst) + bytes.fromhex(src) + struct.pack('>H', t) + pl
def icmp(t, idn, seq, data=b'abcdefgh'):
    m = struct.pack('>BBHHH', t, 0, 0, idn, seq) + data
    return m[:2] + struct.pack('>H', csum(m)) + m[4:]
A, B = [10, 0, 0, 1], [10, 0, 0, 2]
a, b = [192, 168, 5, 1], [192, 168, 5, 2]
request = eth('0242c0a80502', '0242c0a80501', 0x800, ip4(a, b, 1, icmp(8, 7, 1)))
reply = eth('0242c0a80501', '0242c0a80502', 0x800, ip4(b, a, 1, icmp(0, 7, 1)))
pkts = []
for flags, gbp, vni, inner in [(0x0800, 0, 5001, request), (0x0800, 0, 5001, reply), (0x8800, 0x1234, 100, request), (0x0c00, 0, 42, request), (0x0800, 0, 7, b'\x01\x02')]:
    vx = struct.pack('>HHI', flags, gbp, vni << 8)
    pkts.append(eth('001122334455', '00aabbccddee', 0x800, ip4(A, B, 17, udp(40000, 4789, A, B, vx + inner))))
pkts.append(eth('001122334455', '00aabbccddee', 0x800, ip4(A, B, 17, udp(40000, 4789, A, B, b'\x08\x00\x00'))))
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pkts): out += struct.pack('<IIII', 1700000300, i * 1000, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'vxlan.pcap'), 'wb').write(out)
