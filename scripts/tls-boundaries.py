#!/usr/bin/env python3
# Writes fixtures/tls-record-boundaries.pcap: one TCP connection to port 443 (handshake, a Client
# Hello, then the server's TLS 1.2 records, synthetic bytes) whose segments cut the records every
# way a reassembly meets: a record completed by a segment that then starts another (and nothing
# else), one completed and followed by whole ones and a started one, whole ones then a started one, a
# segment in the middle of a record, a record header split over two segments, a record in one piece.
# tshark's view of it: scripts/tls-fixtures.sh --tsv-only. No root or network needed.
import struct, sys, os
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'tls-record-boundaries.pcap')
C, S = (bytes([10, 0, 0, 1]), 40000), (bytes([10, 0, 0, 2]), 443)
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
def frame(src, dst, seq, ack, flags, payload):
    tcp = struct.pack('>HHIIBBHHH', src[1], dst[1], seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ph = src[0] + dst[0] + struct.pack('>BBH', 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack('>H', csum(ph + tcp)) + tcp[18:]
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src[0], dst[0])
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    return b'\x02' + b'\0' * 5 + b'\x02' + b'\0' * 4 + b'\x01' + b'\x08\x00' + ip + tcp
def rec(n, fill):
    return struct.pack('>BHH', 23, 0x0303, n) + bytes([fill]) * n
hello_body = struct.pack('>H', 0x0303) + bytes(32) + b'\0' + struct.pack('>H', 2) + b'\x13\x01' + b'\x01\x00'
hello = struct.pack('>BHH', 22, 0x0301, len(hello_body) + 4) + struct.pack('>B', 1) + len(hello_body).to_bytes(3, 'big') + hello_body
srv_hello_body = struct.pack('>H', 0x0303) + bytes(32) + b'\0' + b'\xc0\x2f' + b'\0'
srv = struct.pack('>BHH', 22, 0x0303, len(srv_hello_body) + 4) + b'\x02' + len(srv_hello_body).to_bytes(3, 'big') + srv_hello_body
A, B, Cr, D, E, F, G, H = rec(300, 1), rec(500, 2), rec(40, 3), rec(60, 4), rec(700, 5), rec(900, 6), rec(80, 7), rec(120, 8)
stream = srv + A + B + Cr + D + E + F + G + H
o = len(srv)
cuts = [len(srv),                   # the Server Hello alone
        o + 105,                    # A started
        o + 305 + 50,               # A completed, B started (and nothing else)
        o + 305 + 400,              # the middle of B
        o + 305 + 505 + 45 + 65 + 100,  # B completed, C and D whole, E started
        o + 305 + 505 + 45 + 65 + 705 + 3,  # E completed, 3 bytes of F's header
        o + 305 + 505 + 45 + 65 + 705 + 905,  # the rest of F (its header completed)
        o + 305 + 505 + 45 + 65 + 705 + 905 + 85 + 20,  # G whole, H started
        len(stream)]                # the rest of H
frames = []
cs, ss = 1000, 5000
frames.append(frame(C, S, cs, 0, 0x02, b'')); frames.append(frame(S, C, ss, cs + 1, 0x12, b'')); frames.append(frame(C, S, cs + 1, ss + 1, 0x10, b''))
frames.append(frame(C, S, cs + 1, ss + 1, 0x18, hello)); cs += 1 + len(hello)
prev = 0
for c in cuts:
    frames.append(frame(S, C, ss + 1 + prev, cs, 0x18, stream[prev:c])); prev = c
    frames.append(frame(C, S, cs, ss + 1 + prev, 0x10, b''))
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack('<IIII', 1795775000, i * 1000, len(fr), len(fr)) + fr)
print(f'tls-boundaries: {len(frames)} frames written to {out}')
