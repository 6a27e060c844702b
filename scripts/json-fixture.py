#!/usr/bin/env python3
# Writes fixtures/json-dblsp.pcap for test/dissectors/app/json.test.ts: Dropbox LAN sync discovery datagrams
# (UDP 17500) carrying JSON, byte by byte: a Dropbox-like announcement; nested objects and arrays; escapes
# (\n \t \" \\ \/) in strings; raw UTF-8 (not JSON to tshark's check, so Text); numbers with signs, fractions and
# exponents; true/false/null; an empty object and an empty array; invalid JSON (trailing garbage, a bare
# word); a datagram cut by the snaplen. Then run scripts/json-fixture.sh for tshark's side.
import os, struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

MAC_A = bytes.fromhex('0011223344aa'); BCAST = b'\xff' * 6
A = bytes([192, 168, 1, 10]); B = bytes([192, 168, 1, 255])

def ipv4(src, dst, proto, payload):
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack('>H', csum(h)) + h[12:] + payload

def udp4(src, dst, sp, dp, data):
    u = struct.pack('>HHHH', sp, dp, 8 + len(data), 0) + data
    ph = src + dst + struct.pack('>BBH', 0, 17, len(u))
    return u[:6] + struct.pack('>H', csum(ph + u) or 0xffff) + u[8:]

def frame(js):
    data = js if isinstance(js, bytes) else js.encode('utf-8')
    return BCAST + MAC_A + b'\x08\x00' + ipv4(A, B, 17, udp4(A, B, 17500, 17500, data))

P = [
    '{"host_int": 4094514483, "version": [2, 0], "displayname": "", "port": 17500, "namespaces": [20524257, 639539072]}',
    '{"a": {"b": {"c": [1, [2, 3], {"d": "deep"}]}}, "e": []}',
    '{"esc": "line\\nbreak\\ttab \\"quoted\\" back\\\\slash \\/ end"}',
    '{"raw": "na\u00efve"}',
    '{"n": [0, -1, 3.25, 1e10, -2.5E-3, 6.02e+23, 123456789012345678901234567890]}',
    '{"t": true, "f": false, "z": null, "list": [true, false, null]}',
    '{}',
    '[]',
    '[1, "two", {"three": 3}]',
    '{"a": 1} trailing',
    'hello',
    '  {"ws" : "around" }  \r\n',
]
frames = [frame(p) for p in P]
cut = frame('{"host_int": 123, "version": [2, 0], "displayname": "cut here", "port": 17500}')
frames.append((cut[:70], len(cut)))

os.makedirs('fixtures', exist_ok=True)
with open('fixtures/json-dblsp.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        data, orig = (fr, len(fr)) if isinstance(fr, bytes) else fr
        f.write(struct.pack('<IIII', 1700000000 + i, 0, len(data), orig) + data)
