#!/usr/bin/env python3
# Writes fixtures/dhcpv6-messages.pcap: DHCPv6 (RFC 8415) datagrams built byte by byte over
# Ethernet/IPv6/UDP 546/547, for test/dissectors/app/dhcpv6.test.ts: every message type, DUID-LLT/EN/LL/
# UUID and an unknown DUID type, IA_NA/IA_TA/IA_PD with IA Address / IA Prefix / Status code inside, ORO,
# elapsed time, preference, rapid commit, DNS servers, domain list, FQDN, vendor class and vendor options,
# user class, interface-id, reconfigure message/accept, server unicast, authentication, an unknown option,
# relay messages nested in relay messages (and a chain deeper than tshark's hop count limit), an option
# whose length runs past the end, a message cut after two bytes, an unknown message type.
# Then run scripts/dhcpv6-fixture.sh for tshark's side.
import os, struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

CLI = bytes.fromhex('fe800000000000000211 22fffe334455'.replace(' ', ''))
SRV = bytes.fromhex('fe80000000000000 0266 77fffe 8899aa'.replace(' ', ''))
ALL = bytes.fromhex('ff020000000000000000000000010002')

def frame(payload, sp=546, dp=547, src=CLI, dst=ALL):
    udp = struct.pack('>HHHH', sp, dp, 8 + len(payload), 0) + payload
    ph = src + dst + struct.pack('>I', len(udp)) + b'\0\0\0\x11'
    ck = csum(ph + udp) or 0xffff
    udp = udp[:6] + struct.pack('>H', ck) + udp[8:]
    ip = struct.pack('>IHBB', 0x60000000, len(udp), 17, 64) + src + dst
    return bytes.fromhex('333300010002') + bytes.fromhex('001122334455') + b'\x86\xdd' + ip + udp

def opt(code, data):
    return struct.pack('>HH', code, len(data)) + data

def msg(t, xid, *opts):
    return bytes([t]) + xid.to_bytes(3, 'big') + b''.join(opts)

def relay(t, hops, link, peer, *opts):
    return bytes([t, hops]) + link + peer + b''.join(opts)

MAC = bytes.fromhex('001122334455')
duid_llt = opt(1, struct.pack('>HHI', 1, 1, 0x2a2b2c2d) + MAC)
duid_ll = opt(2, struct.pack('>HH', 3, 1) + bytes.fromhex('00667788 99aa'.replace(' ', '')))
duid_en = opt(1, struct.pack('>HI', 2, 9) + bytes.fromhex('0c00000000000001'))
duid_uuid = opt(1, struct.pack('>H', 4) + bytes(range(16)))
duid_unknown = opt(2, struct.pack('>H', 9) + b'\xab\xcd')
duid_long = opt(1, struct.pack('>H', 2) + struct.pack('>I', 311) + bytes(range(40)))
ip6 = lambda s: bytes.fromhex(s)
A1 = ip6('20010db8000000000000000000000001')
A2 = ip6('20010db8000000000000000000000053')
A3 = ip6('20010db8000000000000000000000054')
P1 = ip6('20010db8aa0000000000000000000000')
LINK = ip6('20010db8000000010000000000000001')
ZERO = bytes(16)

def dname(*labels):
    return b''.join(bytes([len(x)]) + x.encode() for x in labels) + b'\0'

status_ok = opt(13, struct.pack('>H', 0) + b'All good')
status_noaddr = opt(13, struct.pack('>H', 2) + b'No addresses')
iaaddr = opt(5, A1 + struct.pack('>II', 3600, 7200))
iaaddr_st = opt(5, A1 + struct.pack('>II', 3600, 7200) + status_ok)
ia_na_empty = opt(3, struct.pack('>III', 0x0e0f1011, 0, 0))
ia_na = opt(3, struct.pack('>III', 0x0e0f1011, 1800, 2880) + iaaddr_st)
ia_na_fail = opt(3, struct.pack('>III', 1, 0, 0) + status_noaddr)
ia_ta = opt(4, struct.pack('>I', 0x77) + iaaddr)
iaprefix = opt(26, struct.pack('>IIB', 3000, 4000, 56) + P1)
ia_pd = opt(25, struct.pack('>III', 5, 100, 200) + iaprefix)
oro = opt(6, struct.pack('>HHHH', 23, 24, 39, 82))
elapsed = opt(8, struct.pack('>H', 150))
rapid = opt(14, b'')
pref = opt(7, b'\xff')
dns = opt(23, A2 + A3)
domains = opt(24, dname('example', 'com') + dname('lab', 'example', 'org'))
fqdn = opt(39, b'\x01' + dname('host', 'example', 'com'))
vclass = opt(16, struct.pack('>I', 311) + struct.pack('>H', 8) + b'MSFT 5.0')
uclass = opt(15, struct.pack('>H', 4) + b'abcd')
vopts = opt(17, struct.pack('>I', 9) + opt(1, b'\x01\x02') + opt(2, b'xyz'))
ifid = opt(18, b'eth0/1')
unicast = opt(12, A1)
reconf_msg = opt(19, b'\x05')
reconf_acc = opt(20, b'')
auth = opt(11, bytes([3, 1, 0]) + bytes.fromhex('0000000000000001') + bytes(16))
unknown = opt(200, b'\xde\xad\xbe\xef')

frames = []
add = lambda *a, **k: frames.append(frame(*a, **k))
# 1 Solicit: DUID-LLT, empty IA_NA, ORO, elapsed, rapid commit, FQDN, vendor class, user class
add(msg(1, 0x123456, duid_llt, ia_na_empty, oro, elapsed, rapid, fqdn, vclass, uclass))
# 2 Advertise (server → client): DUID-LL server, IA_NA with IA Address carrying a status, preference, DNS, domains
add(msg(2, 0x123456, duid_llt, duid_ll, ia_na, pref, dns, domains), sp=547, dp=546, src=SRV, dst=CLI)
# 3 Request with DUID-EN and IA_PD / IA Prefix
add(msg(3, 0x00abcd, duid_en, duid_ll, ia_pd, elapsed))
# 4 Reply with status, IA_NA failing, server unicast, vendor options
add(msg(7, 0x00abcd, duid_en, duid_ll, ia_na_fail, status_ok, unicast, vopts), sp=547, dp=546, src=SRV, dst=CLI)
# 5-9 Confirm, Renew, Rebind, Release, Decline (IA_TA, UUID DUID, unknown DUID type)
add(msg(4, 1, duid_uuid, ia_ta))
add(msg(5, 2, duid_llt, duid_ll, ia_na))
add(msg(6, 3, duid_llt, ia_pd))
add(msg(8, 4, duid_llt, duid_unknown, ia_na))
add(msg(9, 5, duid_llt, duid_ll, ia_ta))
# 10 Reconfigure with reconfigure message, authentication
add(msg(10, 6, duid_llt, duid_ll, reconf_msg, auth), sp=547, dp=546, src=SRV, dst=CLI)
# 11 Information-request with a long DUID, reconfigure accept and an unknown option
add(msg(11, 0x20b89d, duid_long, reconf_acc, oro, elapsed, unknown))
# 12 Relay-forw carrying a Solicit, with interface-id
add(relay(12, 0, LINK, CLI, ifid, opt(9, msg(1, 0x777777, duid_llt, ia_na_empty, elapsed))), sp=547, dp=547)
# 13 Relay-reply carrying a Relay-reply carrying an Advertise
inner = relay(13, 0, LINK, CLI, opt(9, msg(2, 0x777777, duid_llt, duid_ll, ia_na)))
add(relay(13, 1, ZERO, LINK, ifid, opt(9, inner)), sp=547, dp=547, src=SRV, dst=LINK)
# 14 an option whose length runs past the end of the message
add(msg(1, 0x000001, duid_llt, struct.pack('>HH', 8, 40) + b'\x00\x01'))
# 15 a message cut after two bytes
add(b'\x01\x00')
# 16 an unknown message type
add(msg(99, 0x0a0b0c, duid_llt, elapsed))
# 17 relay-forw nested 40 deep (tshark's hop count limit is 32)
m = msg(1, 0x424242, duid_llt)
for k in range(40):
    m = relay(12, 39 - k, LINK, CLI, opt(9, m))
add(m, sp=547, dp=547)
# 18 a relay message option whose content is cut (length 3)
add(relay(12, 0, LINK, CLI, opt(9, b'\x01\x00\x00')), sp=547, dp=547)
# 19 Leasequery-like type 14 with a status code option only, and a Relay-forw header cut short
add(msg(14, 9, status_ok))
add(relay(12, 0, LINK, b'\xfe\x80'), sp=547, dp=547)
# 21 Reply with the address-list and name options: SIP servers (names, addresses), NIS/NIS+ servers and
# domains, SNTP servers, lifetime, remote-id, subscriber-id, SOL_MAX_RT, INF_MAX_RT
add(msg(7, 0x0c0c0c, duid_llt, duid_ll, opt(21, dname('sip', 'example', 'com')), opt(22, A2), opt(27, A2), opt(28, A3),
        opt(29, dname('nis', 'example')), opt(30, dname('nisp', 'example')), opt(31, A2 + A3), opt(32, struct.pack('>I', 86400)),
        opt(37, struct.pack('>I', 3561) + b'remote'), opt(38, b'sub-1'), opt(82, struct.pack('>I', 3600)), opt(83, struct.pack('>I', 7200))),
    sp=547, dp=546, src=SRV, dst=CLI)
# 22 an elapsed time of one byte, an IA_NA of 8, then two bytes left over after the last option
add(msg(1, 0x0d0d0d, duid_llt, opt(8, b'\x01'), opt(3, bytes(8)), b'\x00\x08'))
# 23 Reply with the server's FQDN flags (O and S set) and a DNS server list whose length is not a multiple of 16
add(msg(7, 0x0e0e0e, duid_llt, opt(39, b'\x03' + dname('host', 'example', 'com')), opt(23, A2 + b'\x20\x01')),
    sp=547, dp=546, src=SRV, dst=CLI)

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(frames):
    out += struct.pack('<IIII', 1700000000 + i, 0, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'dhcpv6-messages.pcap'), 'wb').write(out)
