#!/usr/bin/env python3
# Writes fixtures/smb2-edge.pcap for test/dissectors/app/smb2.test.ts, built byte by byte: one SMB2 connection on
# TCP 445 (direct-hosted, the 4-byte length) with what Samba's smbclient does not send (scripts/smb2-capture.sh
# makes the real traffic): an SMB 3.1.1 Negotiate with its contexts (preauth integrity, encryption, signing,
# compression, netname), a compound request (Create + GetInfo + Close, related, in one message) and its compound
# response, Flush, Lock, Echo, Change Notify with an async interim STATUS_PENDING response, Cancel, the final
# notify response, an oplock break notification, an Ioctl FSCTL_PIPE_TRANSCEIVE, an error response with error
# data, an unknown command, a compression transform header, a Logoff; then damaged messages: a Create whose name
# offset and length lie, a header cut short inside its message, a frame cut by the snaplen.
# Then run scripts/smb2-fixture.sh for tshark's side.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import tcp_flow  # noqa: E402 (shared TCP/IPv4/Ethernet builder)

MAC_A = bytes.fromhex('0a0000000001')
MAC_B = bytes.fromhex('0a0000000002')

frames = []  # (bytes, origlen or None)
def add(b, orig=None): frames.append((b, orig))

tcp = tcp_flow('10.1.0.10', '10.1.0.20', 50123, 445, MAC_A, MAC_B, seq_server=9000)

def direct(body): return struct.pack('>I', len(body)) + body  # NetBIOS-less: type 0, 24-bit length

SES = 0x0000100000000041
TID = 0x00000005
def hdr(cmd, mid, resp=False, status=0, tid=TID, ses=SES, flags=0, nxt=0, credits=1, charge=1, aid=None):
    f = flags | (1 if resp else 0) | (2 if aid is not None else 0)
    if aid is not None:
        mid_tid = struct.pack('<QQ', mid, aid)
    else:
        mid_tid = struct.pack('<QII', mid, 0xfeff, tid)
    first = struct.pack('<I', status) if resp else struct.pack('<HH', 0, 0)
    return b'\xfeSMB' + struct.pack('<HH', 64, charge) + first + struct.pack('<HHII', cmd, credits, f, nxt) + mid_tid + struct.pack('<Q', ses) + b'\0' * 16

def pad8(b): return b + b'\0' * (-len(b) % 8)
def u16s(s): return s.encode('utf-16-le')
FID = bytes.fromhex('0102030405060708') + bytes.fromhex('1112131415161718')
GUID = bytes.fromhex('00112233445566778899aabbccddeeff')

def client(body): add(tcp(True, 0x18, direct(body)))
def server(body): add(tcp(False, 0x18, direct(body)))

add(tcp(True, 0x02)); add(tcp(False, 0x12)); add(tcp(True, 0x10))

# Negotiate 3.1.1 with contexts
def ctx(t, data): return pad8(struct.pack('<HHI', t, len(data), 0) + data)
dialects = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311]
fixed = struct.pack('<HHHHI', 36, len(dialects), 1, 0, 0x7f) + GUID
dl = b''.join(struct.pack('<H', d) for d in dialects)
ctx_off = 64 + 36 + len(dl)
ctx_off += -ctx_off % 8
ctxs = [ctx(1, struct.pack('<HHH', 1, 32, 1) + bytes(range(32))), ctx(2, struct.pack('<HHHH', 3, 2, 1, 4)),
        ctx(8, struct.pack('<HHH', 2, 2, 1)), ctx(3, struct.pack('<HHI', 1, 0, 0) + struct.pack('<H', 2)), ctx(5, u16s('fileserver'))]
fixed = fixed[:28] + struct.pack('<IHH', ctx_off, len(ctxs), 0)
body = fixed + dl
body += b'\0' * (ctx_off - 64 - len(body))
body += b''.join(ctxs)
client(hdr(0, 0, credits=10, charge=0) + body)

# a compound request: Create "dir\\file.txt" + GetInfo + Close (related: 0xffff… FileId)
name = u16s('dir\\file.txt')
create = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x00120089, 0x80, 7, 1, 0x40, 64 + 56, len(name), 0, 0) + name
create = pad8(hdr(5, 2, nxt=0) + create)
create = create[:20] + struct.pack('<I', len(create)) + create[24:]
REL = 0x04
getinfo = hdr(16, 3, flags=REL) + struct.pack('<HBBIHHIII', 41, 1, 0x05, 4096, 0, 0, 0, 0, 0) + b'\xff' * 16
getinfo = pad8(getinfo)
getinfo = getinfo[:20] + struct.pack('<I', len(getinfo)) + getinfo[24:]
close = hdr(6, 4, flags=REL) + struct.pack('<HHI', 24, 0, 0) + b'\xff' * 16
client(create + getinfo + close)

# the compound response
def ft(sec): return (sec + 11644473600) * 10000000 + 1234567
cresp = struct.pack('<HBBIQQQQQQII', 89, 0, 0, 1, ft(1700000000), ft(1700000001), ft(1700000002), ft(1700000003), 4096, 12, 0x20, 0) + FID + struct.pack('<II', 0, 0)
cresp = pad8(hdr(5, 2, resp=True) + cresp)
cresp = cresp[:20] + struct.pack('<I', len(cresp)) + cresp[24:]
ginfo = hdr(16, 3, resp=True, flags=REL) + struct.pack('<HHI', 9, 72, 24) + struct.pack('<QQIBBH', 4096, 12, 1, 0, 0, 0)
ginfo = pad8(ginfo)
ginfo = ginfo[:20] + struct.pack('<I', len(ginfo)) + ginfo[24:]
cl = hdr(6, 4, resp=True, flags=REL) + struct.pack('<HHIQQQQQQI', 60, 0, 0, 0, 0, 0, 0, 0, 0, 0)
server(cresp + ginfo + cl)

# open again (not compound) to have a FileId with a name
create2 = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x00120089, 0x80, 7, 1, 0x40, 64 + 56, len(name), 0, 0) + name
client(hdr(5, 5) + create2)
server(hdr(5, 5, resp=True) + cresp[64:])
# Flush
client(hdr(7, 6) + struct.pack('<HHI', 24, 0, 0) + FID)
server(hdr(7, 6, resp=True) + struct.pack('<HH', 4, 0))
# Lock
client(hdr(10, 7) + struct.pack('<HHI', 48, 1, 0) + FID + struct.pack('<QQII', 0, 100, 2, 0))
server(hdr(10, 7, resp=True) + struct.pack('<HH', 4, 0))
# Echo
client(hdr(13, 8) + struct.pack('<HH', 4, 0))
server(hdr(13, 8, resp=True) + struct.pack('<HH', 4, 0))
# Change Notify, interim async STATUS_PENDING, Cancel, final response STATUS_CANCELLED
client(hdr(15, 9) + struct.pack('<HHII', 32, 1, 65536, 0x17) + FID + struct.pack('<I', 0))
server(hdr(15, 9, resp=True, status=0x00000103, aid=0x21) + struct.pack('<HBBI', 9, 0, 0, 0) + b'\0')
client(hdr(12, 10, aid=0x21, charge=0) + struct.pack('<HH', 4, 0))
server(hdr(15, 9, resp=True, status=0xc0000120, aid=0x21) + struct.pack('<HBBI', 9, 0, 0, 0) + b'\0')
# an oplock break notification (message id all ones), and the client's acknowledgment
server(hdr(18, 0xffffffffffffffff, resp=True, tid=0, ses=0) + struct.pack('<HBBI', 24, 1, 0, 0) + FID)
client(hdr(18, 11) + struct.pack('<HBBI', 24, 1, 0, 0) + FID)
# Ioctl FSCTL_PIPE_TRANSCEIVE: 8 bytes in, 12 out
din = bytes.fromhex('0500000310000000')
client(hdr(11, 12) + struct.pack('<HHI', 57, 0, 0x0011c017) + FID + struct.pack('<IIIIIIII', 120, len(din), 1024, 0, 0, 0, 4280, 1) + struct.pack('<I', 0) + din)
dout = bytes.fromhex('05000203100000000c000000')
server(hdr(11, 12, resp=True) + struct.pack('<HHI', 49, 0, 0x0011c017) + FID + struct.pack('<IIIIII', 112, 0, 112, len(dout), 0, 0) + dout)
# a Read whose response is STATUS_END_OF_FILE (error data: 1 byte)
client(hdr(8, 13) + struct.pack('<HBBIQ', 49, 0x50, 0, 65536, 4096) + FID + struct.pack('<IIIHH', 0, 0, 0, 0, 0) + b'\0')
server(hdr(8, 13, resp=True, status=0xc0000011) + struct.pack('<HBBI', 9, 0, 0, 0) + b'\0')
# an unknown command
client(hdr(0x50, 14) + b'\x04\x00\x00\x00')
# a compression transform header (chained off, LZ77)
add(tcp(True, 0x18, direct(b'\xfcSMB' + struct.pack('<IHHI', 200, 2, 0, 0) + b'\x11' * 24)))
# Logoff
client(hdr(2, 15) + struct.pack('<HH', 4, 0))
server(hdr(2, 15, resp=True) + struct.pack('<HH', 4, 0))
# a Create whose name offset and length lie (past the message)
client(hdr(5, 16) + struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, 0x00120089, 0x80, 7, 1, 0x40, 64 + 56, 400, 0, 0) + u16s('ab'))
# an SMB2 header cut short inside its message (40 bytes)
client(hdr(0, 17)[:40])
# a Tree Connect cut by the snaplen (the frame says 40 bytes more)
tc = hdr(3, 18) + struct.pack('<HHHH', 9, 0, 72, 40) + u16s('\\\\fileserver\\share1')
f = tcp(True, 0x18, direct(tc))
add(f[:-30], len(f))
add(tcp(True, 0x11)); add(tcp(False, 0x11)); add(tcp(True, 0x10))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'smb2-edge.pcap')
with open(out, 'wb') as fh:
    fh.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, (b, orig) in enumerate(frames):
        fh.write(struct.pack('<IIII', 1700000000 + i, 1000 * i, len(b), orig or len(b)))
        fh.write(b)
print(out, len(frames), 'frames')
