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

class TcpConn:
    """One TCP connection over IPv4 (checksums right, no options): each seg() appends an Ethernet frame to
    `pkts`; `frm` is 'c' (client) or 's' (server); sequence numbers start at 1000 and 5000."""
    def __init__(self, pkts, cip, sip, cport, sport, macs=b'\0' * 12):
        self.pkts = pkts; self.C = bytes(cip); self.S = bytes(sip); self.cp = cport; self.sp = sport; self.macs = macs
        self.seq = {'c': 1000, 's': 5000}
    def seg(self, frm, flags, data=b''):
        src, dst, sport, dport = (self.C, self.S, self.cp, self.sp) if frm == 'c' else (self.S, self.C, self.sp, self.cp)
        other = 's' if frm == 'c' else 'c'
        tcp = struct.pack('>HHIIBBHHH', sport, dport, self.seq[frm], self.seq[other], 5 << 4, flags, 65535, 0, 0)
        ph = src + dst + struct.pack('>BBH', 0, 6, len(tcp) + len(data))
        ck = csum(ph + tcp + data); tcp = tcp[:16] + struct.pack('>H', ck) + tcp[18:]
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp) + len(data), 1, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
        self.pkts.append(self.macs + b'\x08\x00' + ip + tcp + data)
        self.seq[frm] = (self.seq[frm] + len(data) + (1 if flags & 0x03 else 0)) & 0xffffffff
    def open(self): self.seg('c', 0x02); self.seg('s', 0x12); self.seg('c', 0x10)
    def close(self): self.seg('c', 0x11); self.seg('s', 0x11); self.seg('c', 0x10)

def tcp_flow(client, server, cport, sport, mac_client, mac_server, seq_client=1000, seq_server=5000, ttl=64):
    """A TCP connection's frames from dotted addresses: seg(from_client, flags, payload) returns an Ethernet
    frame (window 64240, the ACK number only with the ACK flag, checksums right) and moves that side's
    sequence number on."""
    seqs = {True: seq_client, False: seq_server}
    def seg(from_client, flags, payload=b''):
        sp, dp = (cport, sport) if from_client else (sport, cport)
        src, dst = (client, server) if from_client else (server, client)
        seq = seqs[from_client]
        ack = seqs[not from_client]
        h = struct.pack('>HHIIBBHHH', sp, dp, seq, ack if flags & 0x10 else 0, 5 << 4, flags, 64240, 0, 0)
        data = h + payload
        ph = ip4(src) + ip4(dst) + struct.pack('>BBH', 0, 6, len(data))
        data = data[:16] + struct.pack('>H', csum(ph + data)) + data[18:]
        seqs[from_client] = (seq + len(payload) + (1 if flags & 0x03 else 0)) & 0xffffffff
        return eth(mac_server if from_client else mac_client, mac_client if from_client else mac_server, ipv4(src, dst, 6, data, ttl=ttl))
    return seg

def udp4(src, dst, sp, dp, data):
    """A UDP datagram over IPv4 (`src`, `dst`: the address bytes), checksum right (0 written as 0xffff)."""
    u = struct.pack('>HHHH', sp, dp, 8 + len(data), 0) + data
    ph = src + dst + struct.pack('>BBH', 0, 17, len(u))
    return u[:6] + struct.pack('>H', csum(ph + u) or 0xffff) + u[8:]

def udp6(src, dst, sp, dp, data):
    """A UDP datagram over IPv6 (`src`, `dst`: the address bytes), checksum right."""
    u = struct.pack('>HHHH', sp, dp, 8 + len(data), 0) + data
    ph = src + dst + struct.pack('>IxxxB', len(u), 17)
    return u[:6] + struct.pack('>H', csum(ph + u) or 0xffff) + u[8:]
