#!/usr/bin/env python3
# Writes fixtures/cldap.pcap: connectionless LDAP (RFC 1798/3352: LDAPMessages in UDP datagrams, port 389)
# for test/dissectors/app/cldap.test.ts: Active Directory's "LDAP ping" (a rootDSE search for the Netlogon
# attribute and its answer, entry and result in one datagram), a search with two entries, an abandon, a
# request nobody answers, an answer to an unknown ID, and damaged datagrams (a cut message, an inner
# length that lies, a stray byte after a message, an empty datagram). Then scripts/cldap-fixture.sh.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from berlib import *  # noqa: F401,F403 (tlv, seq, msg, search, csum …)

pkts = []
def udp(src, dst, sport, dport, payload):
    u = struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload
    ph = bytes(src) + bytes(dst) + struct.pack('>BBH', 0, 17, len(u))
    u = u[:6] + struct.pack('>H', csum(ph + u) or 0xffff) + u[8:]
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(u), len(pkts) + 1, 0, 128, 17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    pkts.append(bytes.fromhex('00155d010203') + bytes.fromhex('00155d0a0b0c') + b'\x08\x00' + ip + u)

CL, DC = [10, 1, 0, 20], [10, 1, 0, 5]
ntver = b'\x16\x00\x00\x00'
# the LDAP ping: (&(DnsDomain=corp.example.com)(Host=WS01)(NtVer=\16\00\00\00)), attribute Netlogon
ping = search(1, '', 0, f_and(f_eq('DnsDomain', 'corp.example.com'), f_eq('Host', 'WS01'), f_eq('NtVer', ntver)), attrs('Netlogon'))
udp(CL, DC, 52001, 389, ping)
# a ping by domain GUID with a binary value under an ordinary name (not text: shown as hex) and a short NtVer
guid = bytes.fromhex('6ba7b8109dad11d180b400c04fd430c8')
ping2 = search(12, '', 0, f_and(f_eq('DomainGuid', guid), f_eq('User', b'\x01\x02ab\xff'), f_eq('AAC', b'\x10\x00\x00\x00'), f_eq('NtVer', b'\x06\x00')), attrs('Netlogon'))
udp(CL, DC, 52013, 389, ping2)
def dname(*labels): return b''.join(bytes([len(l)]) + l.encode() for l in labels) + b'\x00'
# NETLOGON_SAM_LOGON_RESPONSE_EX (MS-ADTS 6.3.1.9): opcode 23, flags, domain GUID, then compressed names
nl = struct.pack('<HHI', 23, 0, 0x0003f3fd) + bytes.fromhex('6ba7b8109dad11d180b400c04fd430c8')
nl += dname('corp', 'example', 'com')                       # DnsForestName (offset 24)
nl += b'\xc0\x18'                                            # DnsDomainName: pointer to the forest name
nl += b'\x04dc01' + b'\xc0\x18'                              # DnsHostName: dc01 + pointer
nl += dname('CORP') + dname('DC01') + b'\x00'                 # NetbiosDomainName, NetbiosComputerName, UserName
site = len(nl)
nl += dname('Default-First-Site-Name') + struct.pack('>H', 0xc000 | site)  # DcSiteName, ClientSiteName (a pointer to it)
nl += struct.pack('<IHH', 5, 0xffff, 0xffff)                  # NtVersion 5, LmNtToken, Lm20Token
netlogon = nl
# the other flag bits, and every NtVersion bit: with V5EP (5EX_WITH_IP) the DC's sockaddr_in follows the sites
nl2 = struct.pack('<HHI', 23, 0, 0xfffc0c02) + bytes(16) + dname('corp', 'example', 'com') + b'\xc0\x18' + b'\x04dc02\xc0\x18'
nl2 += dname('CORP') + dname('DC02') + dname('alice') + b'\x00' + b'\x00'
nl2 += bytes([16]) + struct.pack('<HH', 2, 0) + bytes([10, 1, 0, 6]) + bytes(8) + struct.pack('<IHH', 0xf100001f, 0xffff, 0xffff)
# the NT4-era answer (opcode 19: UTF-16 names, 2-byte aligned; the version-5 part: GUIDs, names, IP, flags)
u16z = lambda t: t.encode('utf-16-le') + b'\x00\x00'
nl3 = struct.pack('<H', 19) + u16z('\\\\DC03') + u16z('') + u16z('CORP') + bytes.fromhex('6ba7b8109dad11d180b400c04fd430c8') + bytes(16)
nl3 += dname('corp', 'example', 'com') + dname('corp', 'example', 'com') + dname('dc03', 'corp', 'example', 'com') + bytes([10, 1, 0, 7])
nl3 += struct.pack('<I', 0x1fd) + struct.pack('<IHH', 3, 0xffff, 0xffff)
nl4 = struct.pack('<HH', 25, 0) + bytes(8) + struct.pack('<IHH', 6, 0xffff, 0xffff)   # LOGON_SAM_USER_UNKNOWN_EX: not decoded
entry = msg(1, app(4, octs(''), seq(pattr('netlogon', netlogon))))
udp(DC, CL, 389, 52001, entry + msg(1, app(5, result(0))))
udp(CL, DC, 52011, 389, ping)  # the same ping from another port (its own conversation)
udp(DC, CL, 389, 52011, msg(1, app(4, octs(''), seq(pattr('netlogon', nl2)))) + msg(1, app(5, result(0))))
udp(DC, CL, 389, 52012, msg(6, app(4, octs(''), seq(pattr('netlogon', nl3), pattr('netlogon', nl4), pattr('netlogon', b'\x17\x00\x00'), pattr('Netlogon', nl))))
    + msg(6, app(5, result(0))))
# a subtree search answered by two entries and the result, all in one datagram
udp(CL, DC, 52002, 389, search(2, 'dc=corp,dc=example,dc=com', 2, f_eq('objectClass', 'computer'), attrs('cn', 'dNSHostName'), size=10))
e1 = msg(2, app(4, octs('cn=WS01,dc=corp,dc=example,dc=com'), seq(pattr('cn', 'WS01'), pattr('dNSHostName', 'ws01.corp.example.com'))))
e2 = msg(2, app(4, octs('cn=WS02,dc=corp,dc=example,dc=com'), seq(pattr('cn', 'WS02'))))
udp(DC, CL, 389, 52002, e1 + e2 + msg(2, app(5, result(0))))
# an error result, an abandon, a request never answered, an answer to an ID never asked
udp(CL, DC, 52003, 389, search(3, 'dc=nowhere', 0, f_pres('objectClass'), attrs()))
udp(DC, CL, 389, 52003, msg(3, app(5, result(32, 'dc=corp,dc=example,dc=com', 'no such object'))))
udp(CL, DC, 52004, 389, msg(4, app(16, b'\x03', cons=False)))
udp(CL, DC, 52005, 389, search(5, '', 0, f_pres('objectClass'), attrs('currentTime')))
udp(DC, CL, 389, 52006, msg(77, app(5, result(0))))
# damage
udp(CL, DC, 52007, 389, ping[:30])
udp(CL, DC, 52008, 389, seq(integer(8), tlv(0x63, octs('dc=x') + b'\x0a\x05\x00')))
udp(CL, DC, 52009, 389, msg(9, app(16, b'\x01', cons=False)) + b'\x00')
udp(CL, DC, 52010, 389, b'')

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pkts): out += struct.pack('<IIII', 1700000100, i * 2500, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'cldap.pcap'), 'wb').write(out)
