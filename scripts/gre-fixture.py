#!/usr/bin/env python3
# Writes fixtures/gre-ppp.pcap for test/dissectors/net/gre.test.ts and test/dissectors/app/pptp.test.ts, byte
# by byte: GRE (RFC 2784/2890) with checksum (good and bad), key and sequence number carrying IPv4, IPv6 and
# Ethernet (transparent bridging), GRE in GRE, an unknown protocol type; the enhanced GRE of PPTP (RFC 2637:
# payload length + call ID, sequence and acknowledgement numbers) carrying PPP: LCP (every code, options MRU,
# ACCM, auth protocol, magic number, PFC, ACFC, callback, MRRU, endpoint discriminator), IPCP (address, DNS),
# CCP (MPPE), CHAP, PAP, compressed data, IPv4 in PPP, PFC/ACFC-compressed PPP; cut headers (snaplen) and
# lengths that lie; and one PPTP control connection on TCP 1723 with every control message type, two messages
# in one segment and one message across two segments. Then run scripts/gre-fixture.sh for tshark's side.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import udp4, udp6  # noqa: E402 (shared UDP builders)

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

MAC_A = bytes.fromhex('0011223344aa'); MAC_B = bytes.fromhex('0011223344bb')
A = bytes([10, 1, 1, 11]); B = bytes([10, 1, 1, 10])

def ipv4(src, dst, proto, payload, ident=1, total=None):
    tl = total if total is not None else 20 + len(payload)
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, tl, ident, 0, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack('>H', csum(h)) + h[12:]
    return h + payload

def ipv6(src, dst, nh, payload):
    return struct.pack('>IHBB16s16s', 0x60000000, len(payload), nh, 64, src, dst) + payload

def icmp_echo(ident, seq, data=b'wiretrace'):
    m = struct.pack('>BBHHH', 8, 0, 0, ident, seq) + data
    return m[:2] + struct.pack('>H', csum(m)) + m[4:]

def eth(payload, et=0x0800, src=MAC_A, dst=MAC_B):
    return dst + src + struct.pack('>H', et) + payload

def gre(proto, payload, c=None, key=None, seq=None, bad_csum=False, routing=False):
    flags = 0
    if c is not None: flags |= 0x8000
    if key is not None: flags |= 0x2000
    if seq is not None: flags |= 0x1000
    h = struct.pack('>HH', flags, proto)
    opt = b''
    if c is not None: opt += b'\0\0\0\0'
    if key is not None: opt += struct.pack('>I', key)
    if seq is not None: opt += struct.pack('>I', seq)
    g = h + opt + payload
    if c is not None:
        v = csum(g)
        if bad_csum: v ^= 0x5a5a
        g = g[:4] + struct.pack('>H', v) + g[6:]
    return g

def egre(payload, call_id, seq=None, ack=None, plen=None):
    flags = 0x2001
    if seq is not None: flags |= 0x1000
    if ack is not None: flags |= 0x0080
    h = struct.pack('>HHHH', flags, 0x880b, len(payload) if plen is None else plen, call_id)
    if seq is not None: h += struct.pack('>I', seq)
    if ack is not None: h += struct.pack('>I', ack)
    return h + payload

def ppp(proto, body, compressed=False):
    if compressed:
        return (bytes([proto]) if proto < 0x100 and proto & 1 else struct.pack('>H', proto)) + body
    return b'\xff\x03' + struct.pack('>H', proto) + body

def cp(code, ident, data):
    return struct.pack('>BBH', code, ident, 4 + len(data)) + data

def opt(t, v):
    return bytes([t, 2 + len(v)]) + v

frames = []  # (bytes, origlen or None)
def add(pkt, orig=None):
    frames.append((pkt, orig))

X = bytes([192, 0, 2, 1]); Y = bytes([192, 0, 2, 2])
def gre_ip(g, ident=1, total=None):
    return eth(ipv4(A, B, 47, g, ident, total))

inner_icmp = ipv4(X, Y, 1, icmp_echo(0x1234, 1))
inner_udp = ipv4(X, Y, 17, udp4(X, Y, 40000, 9999, b'hello gre'))
# 1 GRE with checksum (good), key and sequence number carrying IPv4/ICMP
add(gre_ip(gre(0x0800, inner_icmp, c=True, key=0x01020304, seq=7)))
# 2 GRE with a bad checksum carrying IPv4/UDP
add(gre_ip(gre(0x0800, inner_udp, c=True, bad_csum=True), 2))
# 3 GRE (no options) transparent Ethernet bridging: Ethernet/IPv4/UDP
add(gre_ip(gre(0x6558, eth(inner_udp, src=bytes.fromhex('020000000001'), dst=bytes.fromhex('020000000002'))), 3))
# 4 GRE with a key carrying IPv6/UDP
S6 = bytes.fromhex('20010db8000000000000000000000001'); D6 = bytes.fromhex('20010db8000000000000000000000002')
add(gre_ip(gre(0x86dd, ipv6(S6, D6, 17, udp6(S6, D6, 40001, 9998, b'six')), key=5), 4))
# 5 GRE with an unknown protocol type
add(gre_ip(gre(0x1234, b'\xde\xad\xbe\xef' * 3), 5))
# 6 GRE in GRE: GRE(key) / IPv4 / GRE / IPv4 / ICMP
add(gre_ip(gre(0x0800, ipv4(X, Y, 47, gre(0x0800, inner_icmp, seq=1)), key=9), 6))
# 7 GRE whose header (checksum, key, sequence) is cut by the snaplen
g = gre(0x0800, inner_icmp, c=True, key=1, seq=2)
p = gre_ip(g, 7)
add(p[:34 + 10], len(p))
# 8 GRE whose IPv4 total length leaves only 6 bytes of a 12-byte header (a length that lies)
g = gre(0x0800, b'', key=3, seq=4)
add(gre_ip(g, 8, total=26))

# enhanced GRE (PPTP) with PPP
def pg(payload, seq=None, ack=None, call=0x4000, plen=None, ident=20, comp=False):
    return gre_ip(egre(payload, call, seq, ack, plen), ident)
lcp_req = cp(1, 1, opt(1, struct.pack('>H', 1400)) + opt(2, b'\0\0\0\0') + opt(3, b'\xc2\x23\x05') + opt(5, b'\x12\x34\x56\x78') + opt(7, b'') + opt(8, b''))
# 9 LCP Configuration Request (MRU, ACCM, auth CHAP/MD5, magic, PFC, ACFC)
add(pg(ppp(0xc021, lcp_req), seq=0))
# 10 LCP Configuration Ack (same options), with an ack number
add(pg(ppp(0xc021, cp(2, 1, lcp_req[4:])), seq=1, ack=0))
# 11 LCP Configuration Nak (MRU 1500) and 12 Configuration Reject (callback, MRRU, endpoint discriminator)
add(pg(ppp(0xc021, cp(3, 2, opt(1, struct.pack('>H', 1500)))), seq=2))
add(pg(ppp(0xc021, cp(4, 3, opt(13, b'\x06') + opt(17, struct.pack('>H', 1614)) + opt(19, b'\x01' + bytes(range(8))))), seq=3))
# 13 Terminate-Request 14 Terminate-Ack
add(pg(ppp(0xc021, cp(5, 4, b'bye')), seq=4))
add(pg(ppp(0xc021, cp(6, 4, b'')), seq=5))
# 15 Code-Reject (rejecting a code-12 packet) 16 Protocol-Reject (0x8057)
add(pg(ppp(0xc021, cp(7, 5, cp(12, 9, b'\x01\x02'))), seq=6))
add(pg(ppp(0xc021, cp(8, 6, struct.pack('>H', 0x8057) + b'\x01\x01\x00\x04')), seq=7))
# 17 Echo-Request 18 Echo-Reply 19 Discard-Request
add(pg(ppp(0xc021, cp(9, 7, b'\x12\x34\x56\x78')), seq=8))
add(pg(ppp(0xc021, cp(10, 7, b'\x87\x65\x43\x21' + b'pad')), seq=9, ack=8))
add(pg(ppp(0xc021, cp(11, 8, b'\x12\x34\x56\x78')), seq=10))
# 20 CHAP Challenge 21 Response 22 Success 23 Failure
add(pg(ppp(0xc223, cp(1, 1, b'\x10' + bytes(range(16)) + b'server')), seq=11))
add(pg(ppp(0xc223, cp(2, 1, b'\x10' + bytes(range(16, 32)) + b'alice')), seq=12))
add(pg(ppp(0xc223, cp(3, 1, b'Welcome')), seq=13))
add(pg(ppp(0xc223, cp(4, 1, b'E=691 R=0')), seq=14))
# 24 PAP Authenticate-Request 25 Authenticate-Ack
add(pg(ppp(0xc023, cp(1, 1, b'\x05alice\x06secret')), seq=15))
add(pg(ppp(0xc023, cp(2, 1, b'\x02OK')), seq=16))
# 26 IPCP Configuration Request (IP address, primary and secondary DNS) 27 Nak
add(pg(ppp(0x8021, cp(1, 1, opt(3, bytes([0, 0, 0, 0])) + opt(129, bytes([0, 0, 0, 0])) + opt(131, bytes([0, 0, 0, 0])))), seq=17))
add(pg(ppp(0x8021, cp(3, 1, opt(3, bytes([10, 0, 0, 5])) + opt(129, bytes([10, 0, 0, 1])) + opt(131, bytes([10, 0, 0, 2])))), seq=18))
# 28 CCP Configuration Request (MPPE/MPPC) 29 Ack
add(pg(ppp(0x80fd, cp(1, 1, opt(18, b'\x01\x00\x00\x40'))), seq=19))
add(pg(ppp(0x80fd, cp(2, 1, opt(18, b'\x01\x00\x00\x40'))), seq=20))
# 30 PPP compressed data (MPPE)
add(pg(ppp(0x00fd, b'\x90\x01' + bytes(range(40))), seq=21))
# 31 IPv4 in PPP (UDP inside) 32 the same with PFC and ACFC (protocol 0x21 in one byte)
add(pg(ppp(0x0021, inner_udp), seq=22))
add(pg(ppp(0x21, inner_icmp, compressed=True), seq=23))
# 33 enhanced GRE with only an acknowledgement (no payload)
add(gre_ip(struct.pack('>HHHHI', 0x2081, 0x880b, 0, 0x4000, 23), 21))
# 34 enhanced GRE whose payload length lies (200, 10 present)
add(pg(ppp(0xc021, cp(9, 9, b'\x12\x34\x56\x78'))[:10], seq=24, plen=200))
# 35 an unknown PPP protocol
add(pg(ppp(0x4321, b'\x01\x02\x03\x04'), seq=25))
# 36 LCP option whose length lies (MRU option of length 9 in a 4-byte room)
add(pg(ppp(0xc021, cp(1, 10, b'\x01\x09\x05\xdc')), seq=26))
# 37 LCP whose length field lies (60, 8 present)
add(pg(ppp(0xc021, struct.pack('>BBH', 1, 11, 60) + b'\x01\x04\x05\xdc'), seq=27))
# 38 enhanced GRE cut by the snaplen in the middle of the LCP options
p = pg(ppp(0xc021, lcp_req), seq=28)
add(p[:34 + 12 + 4 + 9], len(p))

# PPTP control connection on TCP 1723
CL = (A, 3025); SV = (B, 1723)
seqs = {0: 1000, 1: 5000}
def tcp(frm, flags, data=b''):
    s, d = (CL, SV) if frm == 0 else (SV, CL)
    ack = seqs[1 - frm]
    h = struct.pack('>HHIIBBHHH', s[1], d[1], seqs[frm], ack if flags & 0x10 else 0, 0x50, flags, 16384, 0, 0)
    ph = s[0] + d[0] + struct.pack('>BBH', 0, 6, len(h) + len(data))
    h = h[:16] + struct.pack('>H', csum(ph + h + data)) + h[18:]
    seqs[frm] = (seqs[frm] + len(data) + (1 if flags & 0x03 else 0)) & 0xffffffff
    return eth(ipv4(s[0], d[0], 6, h + data, ident=100 + len(frames)), src=MAC_A if frm == 0 else MAC_B, dst=MAC_B if frm == 0 else MAC_A)

def pptp(ctype, body, cookie=0x1a2b3c4d, mtype=1):
    return struct.pack('>HHIHH', 12 + len(body), mtype, cookie, ctype, 0) + body
def s64(s): return s.encode().ljust(64, b'\0')
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
add(tcp(0, SYN)); add(tcp(1, SYN | ACK)); add(tcp(0, ACK))
sccrq = pptp(1, struct.pack('>HHIIHH', 0x0100, 0, 1, 1, 0, 2160) + s64('') + s64('Microsoft Windows NT'))
add(tcp(0, PSH | ACK, sccrq))
add(tcp(1, PSH | ACK, pptp(2, struct.pack('>HBBIIHH', 0x0100, 1, 0, 3, 3, 1, 1) + s64('local') + s64('MoretonBay'))))
ocrq = pptp(7, struct.pack('>HHIIIIHHHH', 0x4000, 30760, 300, 100000000, 3, 3, 64, 0, 4, 0) + s64('5551') + s64('sub'))
add(tcp(0, PSH | ACK, ocrq))
add(tcp(1, PSH | ACK, pptp(8, struct.pack('>HHBBHIHHI', 0x8000, 0x4000, 1, 0, 0, 100000000, 64, 0, 7))))
# Set-Link-Info and Echo-Request in one segment
add(tcp(0, PSH | ACK, pptp(15, struct.pack('>HHII', 0x8000, 0, 0xffffffff, 0xffffffff)) + pptp(5, struct.pack('>I', 77))))
add(tcp(1, PSH | ACK, pptp(6, struct.pack('>IBBH', 77, 1, 0, 0))))
# Incoming-Call-Request split across two segments
icrq = pptp(9, struct.pack('>HHIIHH', 0x4001, 2, 1, 5, 4, 3) + s64('1234') + s64('567') + s64(''))
add(tcp(1, PSH | ACK, icrq[:100])); add(tcp(1, PSH | ACK, icrq[100:]))
add(tcp(0, PSH | ACK, pptp(10, struct.pack('>HHBBHHH', 0x8001, 0x4001, 1, 0, 64, 0, 0))))
add(tcp(1, PSH | ACK, pptp(11, struct.pack('>HHIHHI', 0x8001, 0, 64000, 16, 0, 1))))
add(tcp(1, PSH | ACK, pptp(14, struct.pack('>HHIIIIII', 0x8001, 0, 1, 2, 3, 4, 5, 6))))
add(tcp(0, PSH | ACK, pptp(12, struct.pack('>HH', 0x4001, 0))))
add(tcp(1, PSH | ACK, pptp(13, struct.pack('>HBBHH', 0x4001, 3, 0, 0, 0) + s64('stats ok'))))
# a bad magic cookie, an unknown control type
add(tcp(0, PSH | ACK, pptp(5, struct.pack('>I', 78), cookie=0x11223344)))
add(tcp(0, PSH | ACK, pptp(99, b'\x01\x02\x03\x04')))
add(tcp(0, PSH | ACK, pptp(3, struct.pack('>BBH', 1, 0, 0))))
add(tcp(1, PSH | ACK, pptp(4, struct.pack('>BBH', 1, 0, 0))))
add(tcp(1, FIN | ACK)); add(tcp(0, FIN | ACK)); add(tcp(1, ACK))

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, (f, orig) in enumerate(frames):
    out += struct.pack('<IIII', 1700000000 + i, 1000 * i, len(f), orig or len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'gre-ppp.pcap'), 'wb').write(out)
