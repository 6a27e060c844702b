#!/usr/bin/env python3
# Writes fixtures/netbios-browser.pcap for test/dissectors/app/netbios.test.ts, built byte by byte:
# NetBIOS datagrams (RFC 1002, UDP 138) carrying SMB Trans requests to \MAILSLOT\BROWSE with browser
# messages (host, domain and local master announcements, request announcement, election request, get
# backup list request and response, become backup, master announcement, reset browser state, an
# unknown command), a datagram to \MAILSLOT\LANMAN, an error datagram, a name query request, a datagram
# cut by the snaplen and datagrams whose lengths lie; then a NetBIOS session (TCP 139): session
# request, positive and negative responses, a retarget response, keep-alives, a session message with
# non-SMB bytes, a request split over two segments and two messages in one segment.
# Then run scripts/netbios-fixture.sh for tshark's side.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import eth, ip4, ipv4 as _ipv4, tcp_flow  # noqa: E402 (shared IPv4/Ethernet builders)

def ipv4(src, dst, proto, payload, ident=1): return _ipv4(src, dst, proto, payload, ident, ttl=128)

MAC_A = bytes.fromhex('0a0000000001')
MAC_B = bytes.fromhex('0a0000000002')
BCAST = b'\xff' * 6


def udp(src, dst, sp, dp, payload, ident=1):
    u = struct.pack('>HHHH', sp, dp, 8 + len(payload), 0) + payload
    return eth(BCAST, MAC_A, ipv4(src, dst, 17, u, ident))

def nbname(name, suffix):
    raw = name.upper().ljust(15)[:15].encode() + bytes([suffix])
    return bytes([32]) + bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15))) + b'\0'

def nbdgm(t, flags, dgid, src, payload, sname, dname, length=None, offset=0):
    body = nbname(*sname) + nbname(*dname) + payload
    return struct.pack('>BBH4sHHH', t, flags, dgid, ip4(src), 138, len(body) if length is None else length, offset) + body

def smb_trans(mailslot, data, priority=0, cls=2, timeout=1000):
    name = mailslot.encode() + b'\0'
    setup = struct.pack('<HHH', 1, priority, cls)
    words = 14 + 3
    doff = 32 + 1 + 2 * words + 2 + len(name)
    hdr = b'\xffSMB' + bytes([0x25]) + b'\0' * 4 + b'\0' + struct.pack('<H', 0) + b'\0' * 12 + struct.pack('<HHHH', 0, 0, 0, 0)
    params = struct.pack('<HHHHBBHIHHHHHBB', 0, len(data), 0, 0, 0, 0, 0, timeout, 0, 0, 0, len(data), doff, 3, 0)
    bcc = len(name) + len(data)
    return hdr + bytes([words]) + params + setup + struct.pack('<H', bcc) + name + data

def pad(s, n): return s.encode().ljust(n, b'\0')[:n]

def announce(cmd, host, stype, comment, update=0, period=720000, major=10, minor=0):
    b = bytes([cmd, update]) + struct.pack('<I', period) + pad(host, 16) + bytes([major, minor]) + struct.pack('<I', stype)
    if cmd == 0x0c:
        b += struct.pack('<I', 0x01020304)
    else:
        b += bytes([15, 1]) + struct.pack('<H', 0xaa55)
    return b + comment.encode() + b'\0'

frames = []  # (bytes, origlen or None)
def add(b, orig=None): frames.append((b, orig))

S = ('192.168.1.10', '192.168.1.255')
def dg(browse, sname=('ASUS', 0x20), dname=('WORKGROUP', 0x1d), t=0x11, mailslot='\\MAILSLOT\\BROWSE', flags=0x02, dgid=0x89ff):
    return udp(S[0], S[1], 138, 138, nbdgm(t, flags, dgid, S[0], smb_trans(mailslot, browse), sname, dname))

# 1-3 announcements (as in the corpus)
add(dg(announce(0x01, 'ASUS', 0x00011003, 'Asus')))
add(dg(announce(0x0f, 'ROUTER', 0x00849a03, 'Router', update=3, period=60000, major=4, minor=9), sname=('ROUTER', 0x00)))
add(dg(announce(0x0c, 'WORKGROUP', 0x80001000, 'ROUTER', major=4, minor=9), sname=('ROUTER', 0x00), dname=('\x01\x02__MSBROWSE__\x02', 0x01)))
# 4 request announcement
add(dg(bytes([0x02, 0x00]) + b'DESKTOP-7\0', dname=('WORKGROUP', 0x1e)))
# 5 election request
add(dg(bytes([0x08, 0x01]) + struct.pack('<I', 0x20011f0f) + struct.pack('<I', 3723000) + b'\0\0\0\0' + b'ASUS\0', dname=('WORKGROUP', 0x1e)))
# 6 get backup list request, 7 response
add(dg(bytes([0x09, 0x04]) + struct.pack('<I', 7), dname=('WORKGROUP', 0x1d)))
add(udp('192.168.1.1', '192.168.1.10', 138, 138, nbdgm(0x10, 0x02, 0x1234, '192.168.1.1', smb_trans('\\MAILSLOT\\BROWSE', bytes([0x0a, 0x02]) + struct.pack('<I', 7) + b'ROUTER\0NAS\0'), ('ROUTER', 0x00), ('ASUS', 0x00))))
# 8 become backup, 9 master announcement, 10 reset browser state, 11 unknown command
add(dg(bytes([0x0b]) + b'ASUS\0', dname=('WORKGROUP', 0x1e)))
add(dg(bytes([0x0d]) + b'ROUTER\0', dname=('WORKGROUP', 0x1b)))
add(dg(bytes([0x0e, 0x05]), dname=('WORKGROUP', 0x1d)))
add(dg(bytes([0x42, 1, 2, 3])))
# 12 a host announcement to \MAILSLOT\LANMAN (the older form)
add(dg(bytes([0x01, 0x00]) + struct.pack('<I', 0x00000003) + bytes([4, 0]) + struct.pack('<H', 720) + b'OLDPC\0' + b'Old PC\0', mailslot='\\MAILSLOT\\LANMAN'))
# 13 a broadcast datagram, not first fragment, more follow, P node
add(dg(announce(0x01, 'EPSON-PRINTER', 0x00000003, ''), t=0x12, flags=0x05, sname=('EPSON-PRINTER', 0x00)))
# 14 error datagram, 15 query request, 16 positive query response
add(udp(S[0], S[1], 138, 138, struct.pack('>BBH4sHB', 0x13, 0x02, 0x0101, ip4(S[0]), 138, 0x82)))
add(udp(S[0], S[1], 138, 138, struct.pack('>BBH4sH', 0x14, 0x02, 0x0102, ip4(S[0]), 138) + nbname('FILESRV', 0x20)))
add(udp(S[0], S[1], 138, 138, struct.pack('>BBH4sH', 0x15, 0x02, 0x0102, ip4(S[0]), 138) + nbname('FILESRV', 0x20)))
# 17 cut by the snaplen inside the browser message
good = dg(announce(0x01, 'ASUS', 0x00011003, 'Asus'))
add(good[:200], len(good))
# 18 cut by the snaplen inside the NBDGM header
add(good[:60], len(good))
# 19 a datagram length that lies (larger than the datagram)
add(udp(S[0], S[1], 138, 138, nbdgm(0x11, 0x02, 0x2222, S[0], smb_trans('\\MAILSLOT\\BROWSE', announce(0x01, 'ASUS', 3, 'x')), ('ASUS', 0x20), ('WORKGROUP', 0x1d), length=900)))
# 20 a Trans request whose setup count (144 words) runs past the datagram
t = bytearray(smb_trans('\\MAILSLOT\\BROWSE', announce(0x01, 'ASUS', 3, 'x')))
t[59:61] = struct.pack('<H', 400)  # setup count 0x90, reserved 0x01
add(udp(S[0], S[1], 138, 138, nbdgm(0x11, 0x02, 0x3333, S[0], bytes(t), ('ASUS', 0x20), ('WORKGROUP', 0x1d))))
# 21 a host announcement whose comment has no terminating NUL and ends the datagram
add(dg(announce(0x01, 'ASUS', 0x00011003, 'Asus')[:-1]))
# 22 not SMB after the names
add(udp(S[0], S[1], 138, 138, nbdgm(0x11, 0x02, 0x4444, S[0], b'hello world', ('ASUS', 0x20), ('WORKGROUP', 0x1d))))

# NetBIOS session service on TCP 139
tcp = tcp_flow('192.168.1.10', '192.168.1.20', 49700, 139, MAC_A, MAC_B, ttl=128)
def nbss(t, body, flags=0): return struct.pack('>BBH', t, flags, len(body)) + body
add(tcp(True, 0x02)); add(tcp(False, 0x12)); add(tcp(True, 0x10))
req = nbss(0x81, nbname('FILESRV', 0x20) + nbname('DESKTOP-7', 0x00))
add(tcp(True, 0x18, req))
add(tcp(False, 0x18, nbss(0x83, b'\x82')))
add(tcp(True, 0x18, req[:30]))
add(tcp(True, 0x18, req[30:]))
add(tcp(False, 0x18, nbss(0x84, ip4('192.168.1.21') + struct.pack('>H', 139))))
add(tcp(True, 0x18, req))
add(tcp(False, 0x18, nbss(0x82, b'')))
add(tcp(False, 0x18, nbss(0x85, b'')))
add(tcp(True, 0x18, nbss(0x85, b'') + nbss(0x85, b'')))
add(tcp(True, 0x18, nbss(0x00, b'not an SMB message')))
# an SMB1 Negotiate Protocol request in a session message (tshark: the SMB header, then the dialects)
dialects = b''.join(b'\x02' + d + b'\0' for d in (b'PC NETWORK PROGRAM 1.0', b'NT LM 0.12'))
neg = b'\xffSMB' + bytes([0x72]) + b'\0' * 4 + b'\x18' + struct.pack('<H', 0xc853) + b'\0' * 12 + struct.pack('<HHHH', 0, 0xfeff, 0, 1) + b'\0' + struct.pack('<H', len(dialects)) + dialects
add(tcp(True, 0x18, nbss(0x00, neg)))
add(tcp(True, 0x18, nbss(0x99, b'\x01\x02')))
add(tcp(True, 0x11)); add(tcp(False, 0x11)); add(tcp(True, 0x10))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'netbios-browser.pcap')
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (b, orig) in enumerate(frames):
        f.write(struct.pack('<IIII', 1700000000 + i, 0, len(b), orig or len(b)))
        f.write(b)
print(out, len(frames), 'frames')
