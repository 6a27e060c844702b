# Packet builders shared by the fixture scripts (scripts/*-fixture.py): the Internet checksum, an IPv4
# header with its checksum, an Ethernet II frame. Each script keeps what is particular to its capture.
import struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(s): return bytes(int(x) for x in s.split('.'))

def ipv4(src, dst, proto, payload, ident=1, ttl=64):
    """An IPv4 header (no options, checksum right) from dotted addresses, then the payload."""
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0, ttl, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack('>H', csum(h)) + h[12:]
    return h + payload

def eth(dst, src, payload, ethertype=0x0800): return dst + src + struct.pack('>H', ethertype) + payload
