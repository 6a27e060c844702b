#!/usr/bin/env python3
# Writes fixtures/routing.pcap for test/dissectors/net/ospf.test.ts and test/dissectors/app/rip.test.ts, byte by
# byte: OSPFv2 over IPv4 (Hello with neighbors and every auth type: none, simple password, cryptographic MD5; DB
# Description with its flag bits and LSA headers; LS Request; LS Update with router, network, summary, ASBR
# summary and AS-external LSAs; LS Acknowledge), OSPFv3 over IPv6 (Hello, DB Description, LS Request, LS Update
# with router and network LSAs, LS Acknowledge), an OSPF header cut by the snaplen and a packet length that
# lies; RIPv1 request and response, RIPv2 with a simple password and route tags / masks / next hops, RIPng
# request and response, a RIP entry cut by the snaplen. Then run scripts/routing-fixture.sh for tshark's side.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import udp4, udp6  # noqa: E402 (shared UDP builders)

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

MAC_A = bytes.fromhex('0011223344aa'); MAC_B = bytes.fromhex('01005e000005')
A = bytes([10, 0, 0, 1]); ALLSPF = bytes([224, 0, 0, 5]); RIPM = bytes([224, 0, 0, 9])
A6 = bytes.fromhex('fe800000000000000000000000000001'); ALL6 = bytes.fromhex('ff020000000000000000000000000005')
RIP6 = bytes.fromhex('ff020000000000000000000000000009')
ip4 = lambda s: bytes(int(x) for x in s.split('.'))

def ipv4(src, dst, proto, payload, total=None, ttl=1):
    tl = total if total is not None else 20 + len(payload)
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0xc0, tl, 1, 0, ttl, proto, 0, src, dst)
    h = h[:10] + struct.pack('>H', csum(h)) + h[12:]
    return h + payload

def ipv6(src, dst, nh, payload):
    return struct.pack('>IHBB16s16s', 0x6e000000, len(payload), nh, 1, src, dst) + payload

def eth(payload, et=0x0800, dst=MAC_B):
    return dst + MAC_A + struct.pack('>H', et) + payload

def fletcher(lsa):
    # ISO 8473 / RFC 905 checksum over the LSA without its age, with the checksum at offset 16 (of the LSA)
    b = bytearray(lsa[2:]); b[14] = b[15] = 0
    c0 = c1 = 0
    for x in b:
        c0 = (c0 + x) % 255; c1 = (c1 + c0) % 255
    pos = 15  # 1-based position of the checksum's first byte in b
    L = len(b)
    x = ((L - pos) * c0 - c1) % 255
    y = (c1 - (L - pos + 1) * c0) % 255
    if x == 0: x = 255
    if y == 0: y = 255
    b[14] = x; b[15] = y
    return bytes(lsa[:2]) + bytes(b)

def lsa2(t, lsid, adv, body, age=1, opts=0x22, seq=0x80000001):
    h = struct.pack('>HBB4s4sIHH', age, opts, t, ip4(lsid), ip4(adv), seq, 0, 20 + len(body))
    return fletcher(h + body)

def ospf2(t, body, rid='1.1.1.1', area='0.0.0.0', auth=0, authdata=b'\0' * 8, trailer=b'', length=None):
    n = 24 + len(body)
    h = struct.pack('>BBH4s4sHH', 2, t, n if length is None else length, ip4(rid), ip4(area), 0, auth)
    if auth != 2:
        ck = csum(h + body)  # auth data is not in the sum
        h = h[:12] + struct.pack('>H', ck) + h[14:]
    return h + authdata + body + trailer

def hello2(mask, opts, prio, dr, bdr, nbrs, hi=10, dead=40):
    return ip4(mask) + struct.pack('>HBBI4s4s', hi, opts, prio, dead, ip4(dr), ip4(bdr)) + b''.join(ip4(n) for n in nbrs)

def ospf3(t, body, rid='2.2.2.2', area='0.0.0.0', inst=0, src=A6, dst=ALL6, length=None):
    n = 16 + len(body)
    h = struct.pack('>BBH4s4sHBB', 3, t, n if length is None else length, ip4(rid), ip4(area), 0, inst, 0)
    ph = src + dst + struct.pack('>IxxxB', n, 89)
    ck = csum(ph + h + body)
    return h[:12] + struct.pack('>H', ck) + h[14:] + body

def lsa3(t, lsid, adv, body, age=3, seq=0x80000002):
    h = struct.pack('>HH4s4sIHH', age, t, ip4(lsid), ip4(adv), seq, 0, 20 + len(body))
    return fletcher(h + body)

frames = []  # (data, origlen)
def add(d, orig=None): frames.append((d, orig if orig is not None else len(d)))
def o4(p, total=None): return eth(ipv4(A, ALLSPF, 89, p, total))
def o6(p): return eth(ipv6(A6, ALL6, 89, p), 0x86dd, bytes.fromhex('333300000005'))

# 1 Hello, no auth, two neighbors
add(o4(ospf2(1, hello2('255.255.255.0', 0x02, 1, '10.0.0.1', '10.0.0.2', ['2.2.2.2', '3.3.3.3']))))
# 2 Hello, simple password, options O+DC+E+MC+N/P, no neighbors, area 0.0.0.7
add(o4(ospf2(1, hello2('255.255.255.252', 0x6e, 0, '0.0.0.0', '0.0.0.0', [], 5, 20), area='0.0.0.7', auth=1, authdata=b'secret\0\0')))
# 3 Hello, cryptographic auth (MD5), trailer of 16 bytes
add(o4(ospf2(1, hello2('255.255.255.0', 0x02, 255, '10.0.0.1', '0.0.0.0', ['4.4.4.4']), auth=2,
             authdata=struct.pack('>HBBI', 0, 7, 16, 0x5f5e1000), trailer=bytes(range(0xa0, 0xb0)))))
rl = lsa2(1, '1.1.1.1', '1.1.1.1', struct.pack('>BBH', 0x03, 0, 3) +
          struct.pack('>4s4sBBH', ip4('10.0.0.0'), ip4('10.0.0.1'), 2, 0, 10) +
          struct.pack('>4s4sBBH', ip4('2.2.2.2'), ip4('10.0.12.1'), 1, 1, 64) + struct.pack('>BBH', 8, 0, 100) +
          struct.pack('>4s4sBBH', ip4('192.168.1.0'), ip4('255.255.255.0'), 3, 0, 1))
nl = lsa2(2, '10.0.0.1', '1.1.1.1', ip4('255.255.255.0') + ip4('1.1.1.1') + ip4('2.2.2.2'), opts=0x22, seq=0x80000005)
sl = lsa2(3, '172.16.0.0', '1.1.1.1', ip4('255.255.0.0') + struct.pack('>I', 20), age=0x8000 | 30)
al = lsa2(4, '9.9.9.9', '1.1.1.1', ip4('0.0.0.0') + struct.pack('>I', 5))
el = lsa2(5, '198.51.100.0', '9.9.9.9', ip4('255.255.255.0') + struct.pack('>I', 0x80000014) + ip4('10.0.0.9') + struct.pack('>I', 77), opts=0x20)
el1 = lsa2(5, '203.0.113.0', '9.9.9.9', ip4('255.255.255.128') + struct.pack('>I', 0x00000003) + ip4('0.0.0.0') + struct.pack('>I', 0), age=3600)
hdr = lambda l: l[:20]
# 4 DB Description: I, M, MS; no LSA headers
add(o4(ospf2(2, struct.pack('>HBBI', 1500, 0x42, 0x07, 4242))))
# 5 DB Description: MS only, with three LSA headers, R bit too
add(o4(ospf2(2, struct.pack('>HBBI', 1500, 0x02, 0x09, 4243) + hdr(rl) + hdr(nl) + hdr(el))))
# 6 LS Request, two entries
add(o4(ospf2(3, struct.pack('>I4s4s', 1, ip4('1.1.1.1'), ip4('1.1.1.1')) + struct.pack('>I4s4s', 5, ip4('198.51.100.0'), ip4('9.9.9.9')))))
# 7 LS Update with six LSAs
add(o4(ospf2(4, struct.pack('>I', 6) + rl + nl + sl + al + el + el1, rid='2.2.2.2', area='0.0.0.1')))
# 8 LS Acknowledge, two headers
add(o4(ospf2(5, hdr(sl) + hdr(el))))
# 9 LS Update of one LSA cut by the snaplen
p = o4(ospf2(4, struct.pack('>I', 1) + rl))
add(p[:34 + 24 + 4 + 30], len(p))
# 10 Hello cut by the snaplen inside the header
p = o4(ospf2(1, hello2('255.255.255.0', 0x02, 1, '10.0.0.1', '10.0.0.2', [])))
add(p[:34 + 14], len(p))
# 11 Hello whose packet length lies (says 80, the datagram has 48)
add(o4(ospf2(1, hello2('255.255.255.0', 0x02, 1, '10.0.0.1', '10.0.0.2', ['2.2.2.2']), length=80)))
# 12 LS Update whose LSA count lies (says 3, one there)
add(o4(ospf2(4, struct.pack('>I', 3) + sl)))
# 13 unknown message type 9
add(o4(ospf2(9, b'\x01\x02\x03\x04')))

# OSPFv3
h3 = struct.pack('>IBBHHHHH', 5, 1, 0x00, 0x0013, 10, 40, 0, 0)
h3 = struct.pack('>I', 5) + bytes([1]) + (0x13).to_bytes(3, 'big') + struct.pack('>HH4s4s', 10, 40, ip4('2.2.2.2'), ip4('1.1.1.1')) + ip4('1.1.1.1') + ip4('3.3.3.3')
# 14 Hello v3, two neighbors
add(o6(ospf3(1, h3, area='0.0.0.1')))
r3 = lsa3(0x2001, '0.0.0.0', '2.2.2.2', bytes([0x01]) + (0x33).to_bytes(3, 'big') +
          struct.pack('>BBHII4s', 2, 0, 10, 5, 5, ip4('2.2.2.2')) + struct.pack('>BBHII4s', 1, 0, 1, 5, 7, ip4('1.1.1.1')))
n3 = lsa3(0x2002, '0.0.0.5', '2.2.2.2', bytes([0]) + (0x33).to_bytes(3, 'big') + ip4('2.2.2.2') + ip4('1.1.1.1'))
# 15 DB Description v3: I M MS, MTU 1500, no headers
add(o6(ospf3(2, bytes([0]) + (0x13).to_bytes(3, 'big') + struct.pack('>HBBI', 1500, 0, 0x07, 7001))))
# 16 DB Description v3: two headers
add(o6(ospf3(2, bytes([0]) + (0x13).to_bytes(3, 'big') + struct.pack('>HBBI', 1500, 0, 0x00, 7002) + r3[:20] + n3[:20])))
# 17 LS Request v3
add(o6(ospf3(3, struct.pack('>HH4s4s', 0, 0x2001, ip4('0.0.0.0'), ip4('2.2.2.2')))))
# 18 LS Update v3: router and network LSAs
add(o6(ospf3(4, struct.pack('>I', 2) + r3 + n3)))
# 19 LS Acknowledge v3
add(o6(ospf3(5, r3[:20])))

# RIP
def rip_e(fam, ip, metric, tag=0, mask='0.0.0.0', nh='0.0.0.0'):
    return struct.pack('>HH4s4s4sI', fam, tag, ip4(ip), ip4(mask), ip4(nh), metric)
def r4(data): return eth(ipv4(A, RIPM, 17, udp4(A, RIPM, 520, 520, data)), dst=bytes.fromhex('01005e000009'))
# 20 RIPv1 response, two entries
add(r4(bytes([2, 1, 0, 0]) + rip_e(2, '10.1.0.0', 1) + rip_e(2, '10.2.0.0', 16)))
# 21 RIPv1 request for the whole table
add(r4(bytes([1, 1, 0, 0]) + rip_e(0, '0.0.0.0', 16)))
# 22 RIPv2 response, simple password, two entries with tag / mask / next hop
add(r4(bytes([2, 2, 0, 0]) + struct.pack('>HH16s', 0xffff, 2, b'hunter2') + rip_e(2, '192.168.10.0', 3, 0x1234, '255.255.255.0', '10.0.0.254') +
       rip_e(2, '192.168.20.0', 16, 0, '255.255.255.0')))
# 23 RIPv2 request, routing domain 7
add(r4(bytes([1, 2, 0, 7]) + rip_e(0, '0.0.0.0', 16)))
# 24 RIPv2 response cut by the snaplen in its second entry
p = r4(bytes([2, 2, 0, 0]) + rip_e(2, '10.9.0.0', 2, 0, '255.255.0.0') + rip_e(2, '10.10.0.0', 2, 0, '255.255.0.0'))
add(p[:len(p) - 10], len(p))
# 25 RIPv2 with a cryptographic (MD5) authentication entry and its trailer
add(r4(bytes([2, 2, 0, 0]) + struct.pack('>HHHBBIII', 0xffff, 3, 44, 1, 16, 99, 0, 0) + rip_e(2, '10.3.0.0', 4, 0, '255.255.0.0') +
       struct.pack('>HH', 0xffff, 1) + bytes(range(0x10, 0x20))))
# 26 RIPng response, two RTEs
def rte6(pfx, tag, plen, metric): return bytes.fromhex(pfx) + struct.pack('>HBB', tag, plen, metric)
def rng(data): return eth(ipv6(A6, RIP6, 17, udp6(A6, RIP6, 521, 521, data)), 0x86dd, bytes.fromhex('333300000009'))
add(rng(bytes([2, 1, 0, 0]) + rte6('20010db8000100000000000000000000', 0, 64, 1) + rte6('20010db8000200000000000000000000', 0xabcd, 48, 16)))
# 27 RIPng request for the whole table
add(rng(bytes([1, 1, 0, 0]) + rte6('00000000000000000000000000000000', 0, 0, 16)))

# 28 OSPFv2 Hello with the L bit and an LLS data block (extended options TLV with LR set)
lls = struct.pack('>HH', 0, 3) + struct.pack('>HHI', 1, 4, 0x00000001)
add(o4(ospf2(1, hello2('255.255.255.0', 0x12, 1, '10.0.0.1', '10.0.0.2', ['2.2.2.2']), trailer=lls)))
# 29 OSPFv2 LS Update with an NSSA LSA (type 7), a group membership LSA (type 6, no body dissected) and an
#    area-local opaque LSA (type 10, opaque type 200)
nssa = lsa2(7, '192.0.2.0', '9.9.9.9', ip4('255.255.255.0') + struct.pack('>I', 0x80000009) + ip4('10.0.0.9') + struct.pack('>I', 5), opts=0x08)
grp = lsa2(6, '224.1.1.1', '1.1.1.1', b'\x00\x00\x00\x01')
opq = lsa2(10, '200.0.0.1', '1.1.1.1', b'\x00\x01\x00\x04\xde\xad\xbe\xef')
add(o4(ospf2(4, struct.pack('>I', 3) + nssa + grp + opq)))
# 30 OSPFv3 LS Update with inter-area-prefix, inter-area-router, AS-external (F and T bits), link and
#    intra-area-prefix LSAs
iap = lsa3(0x2003, '0.0.0.1', '2.2.2.2', struct.pack('>I', 30) + bytes([64, 0x02]) + b'\0\0' + bytes.fromhex('20010db8000a0000'))
iar = lsa3(0x2004, '0.0.0.2', '2.2.2.2', bytes([0]) + (0x13).to_bytes(3, 'big') + struct.pack('>I', 40) + ip4('7.7.7.7'))
ase = lsa3(0x4005, '0.0.0.3', '2.2.2.2', bytes([0x07]) + (20).to_bytes(3, 'big') + bytes([48, 0]) + struct.pack('>H', 0) +
           bytes.fromhex('20010db80bad') + b'\0\0' + bytes.fromhex('20010db8000000000000000000000099') + struct.pack('>I', 1234))
lnk = lsa3(0x0008, '0.0.0.5', '2.2.2.2', bytes([1]) + (0x13).to_bytes(3, 'big') + bytes.fromhex('fe800000000000000000000000000002') +
           struct.pack('>I', 1) + bytes([64, 0, 0, 0]) + bytes.fromhex('20010db8000c0000'))
iap2 = lsa3(0x2009, '0.0.0.0', '2.2.2.2', struct.pack('>HH4s4s', 2, 0x2001, ip4('0.0.0.0'), ip4('2.2.2.2')) +
            bytes([64, 0]) + struct.pack('>H', 10) + bytes.fromhex('20010db8000d0000') + bytes([128, 0x02]) + struct.pack('>H', 0) +
            bytes.fromhex('20010db8000d00000000000000000001'))
add(o6(ospf3(4, struct.pack('>I', 5) + iap + iar + ase + lnk + iap2)))

# 31 RIPv2 response with an entry of an unknown address family (3) between two routes
add(r4(bytes([2, 2, 0, 0]) + rip_e(2, '10.4.0.0', 1, 0, '255.255.0.0') + rip_e(3, '1.2.3.4', 7) + rip_e(2, '10.5.0.0', 2, 0, '255.255.0.0')))
# 32 RIPv2 with keyed-MD5 authentication whose digest offset points past the datagram (the trailer lies)
add(r4(bytes([2, 2, 0, 0]) + struct.pack('>HHHBBIII', 0xffff, 3, 200, 2, 16, 7, 0, 0) + rip_e(2, '10.6.0.0', 1, 0, '255.255.0.0') +
       struct.pack('>HH', 0xffff, 1) + bytes(16)))
# 33 RIPng response with an IPv4-compatible prefix (::10.1.2.3) and a route table entry cut short by the UDP length
add(rng(bytes([2, 1, 0, 0]) + rte6('0000000000000000000000000a010203', 0, 128, 3) + bytes.fromhex('20010db800ff')))

# VRRP (IP protocol 112)
VRRPM = bytes([224, 0, 0, 18]); VRRP6 = bytes.fromhex('ff020000000000000000000000000012')
def vrrp2(vrid, prio, addrs, auth=0, adv=1, authdata=b'', bad=False, count=None, ver=2):
    m = struct.pack('>BBBBBBH', (ver << 4) | 1, vrid, prio, len(addrs) if count is None else count, auth, adv, 0) + b''.join(ip4(a) for a in addrs) + authdata
    c = csum(m) ^ (0x1111 if bad else 0)
    return m[:6] + struct.pack('>H', c) + m[8:]
def vrrp3(vrid, prio, addrs, cs, src, dst, v6=False):
    m = struct.pack('>BBBBHH', 0x31, vrid, prio, len(addrs), cs & 0x0fff, 0) + b''.join(addrs)
    ph = src + dst + (struct.pack('>IxxxB', len(m), 112) if v6 else struct.pack('>BBH', 0, 112, len(m)))
    return m[:6] + struct.pack('>H', csum(ph + m)) + m[8:]
def v4(p, total=None): return eth(ipv4(A, VRRPM, 112, p, total, ttl=255), dst=bytes.fromhex('01005e000012'))
# 34 VRRPv2, two addresses, no authentication, priority 100
add(v4(vrrp2(7, 100, ['10.0.0.254', '10.0.0.253'])))
# 35 VRRPv2 with simple text authentication, priority 255 (owner)
add(v4(vrrp2(8, 255, ['192.168.1.1'], auth=1, authdata=b'pass\0\0\0\0')))
# 36 VRRPv3 over IPv4, interval 100 cs, priority 0 (master stopping)
add(v4(vrrp3(9, 0, [ip4('10.9.9.9')], 100, A, VRRPM)))
# 37 VRRPv3 over IPv6, a link-local and a global address
add(eth(ipv6(A6, VRRP6, 112, vrrp3(10, 150, [bytes.fromhex('fe800000000000000000000000000001'), bytes.fromhex('20010db8000000000000000000000001')], 200, A6, VRRP6, True)), 0x86dd, bytes.fromhex('333300000012')))
# 38 VRRPv2 with a wrong checksum
add(v4(vrrp2(7, 100, ['10.0.0.254'], bad=True)))
# 39 VRRPv2 whose address count lies (3, one address there)
add(v4(vrrp2(7, 100, ['10.0.0.254'], count=3)))
# 40 VRRPv2 cut by the snaplen in its second address
p = v4(vrrp2(7, 100, ['10.0.0.254', '10.0.0.253']))
add(p[:len(p) - 2], len(p))

out = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'routing.pcap')
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (d, orig) in enumerate(frames):
        f.write(struct.pack('<IIII', 1700000000 + i, 0, len(d), orig)); f.write(d)
print(f'{len(frames)} frames -> fixtures/routing.pcap')
