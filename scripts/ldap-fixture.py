#!/usr/bin/env python3
# Writes fixtures/ldap-session.pcap: LDAP (RFC 4511) over TCP port 389 built byte by byte (BER), for
# test/dissectors/app/ldap.test.ts. Stream 1: a simple bind, a search with a compound filter
# (&(|(a=b)(c=*))(!(d>=5))), entries (two in one segment, one split over two segments), a search with a
# substring filter and a paged-results control, a referral result, modify (an error result), add,
# delete, modDN, compare, abandon, an extended request answered by an intermediate response, a SASL
# bind, StartTLS, then an unbind (TLS from there on, as tshark switches).
# Stream 2: damaged messages (an indefinite length, an inner length that lies, an unknown operation,
# a message cut by the stream's end). Then run scripts/ldap-fixture.sh for tshark's side.
import os, struct

import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from berlib import *  # noqa: F401,F403 (tlv, seq, msg, search, csum …)

from pktlib import TcpConn  # noqa: E402

pkts = []
def Conn(cip, cport): return TcpConn(pkts, cip, [10, 0, 0, 2], cport, 389)

c = Conn([10, 0, 0, 1], 40000); c.open()
c.seg('c', 0x18, msg(1, app(0, integer(3), octs('cn=admin,dc=example,dc=org'), tlv(0x80, b'secret'))))
c.seg('s', 0x18, msg(1, app(1, result(0))))
c.seg('c', 0x18, search(2, 'dc=example,dc=org', 2, f_and(f_or(f_eq('a', 'b'), f_pres('c')), f_not(f_ge('d', '5'))), attrs('cn', 'mail'), size=100, time=30))
e1 = msg(2, app(4, octs('cn=alice,dc=example,dc=org'), seq(pattr('cn', 'alice', 'Alice A'), pattr('mail', 'alice@example.org'))))
e2 = msg(2, app(4, octs('cn=bob,dc=example,dc=org'), seq(pattr('cn', 'bob'))))
c.seg('s', 0x18, e1 + e2)
e3 = msg(2, app(4, octs('cn=carol,dc=example,dc=org'), seq(pattr('cn', 'carol'), pattr('description', 'x' * 300))))
done = msg(2, app(5, result(0)))
c.seg('s', 0x18, e3[:120]); c.seg('s', 0x18, e3[120:] + done)
c.seg('c', 0x18, search(3, 'ou=people,dc=example,dc=org', 1, f_and(f_sub('cn', 'ab', ['cd'], 'ef'), f_sub('sn', None, [], 'son'), f_le('uid', '9'), f_approx('o', 'acme'), f_ext('2.5.13.2', 'cn', 'Fred', True)), attrs(), deref=3, types=True,
      controls=[seq(octs('1.2.840.113556.1.4.319'), boolean(True), octs(seq(integer(50), octs(''))))]))
c.seg('s', 0x18, msg(3, app(19, octs('ldap://other.example.org/ou=people,dc=example,dc=org'))) + msg(3, app(5, result(32, 'dc=example,dc=org', 'no such entry', ['ldap://b.example.org/']))))
c.seg('c', 0x18, msg(4, app(6, octs('cn=alice,dc=example,dc=org'), seq(seq(enum(2), pattr('mail', 'a@example.org')), seq(enum(1), pattr('description'))))))
c.seg('s', 0x18, msg(4, app(7, result(50, '', 'access denied'))))
c.seg('c', 0x18, msg(5, app(8, octs('cn=dave,dc=example,dc=org'), seq(pattr('objectClass', 'top', 'person'), pattr('cn', 'dave'), pattr('sn', 'D')))))
c.seg('s', 0x18, msg(5, app(9, result(68, '', 'Entry Already Exists'))))
c.seg('c', 0x18, msg(6, app(10, b'cn=bob,dc=example,dc=org', cons=False)))
c.seg('s', 0x18, msg(6, app(11, result(0))))
c.seg('c', 0x18, msg(7, app(12, octs('cn=carol,dc=example,dc=org'), octs('cn=caroline'), boolean(True), tlv(0x80, b'ou=staff,dc=example,dc=org'))))
c.seg('s', 0x18, msg(7, app(13, result(0))))
c.seg('c', 0x18, msg(8, app(14, octs('cn=alice,dc=example,dc=org'), seq(octs('sn'), octs('A')))))
c.seg('s', 0x18, msg(8, app(15, result(6))))
c.seg('c', 0x18, msg(9, app(16, b'\x03', cons=False)))
c.seg('c', 0x18, msg(11, app(23, tlv(0x80, b'1.3.6.1.4.1.4203.1.11.3'))))
c.seg('s', 0x18, msg(11, app(25, tlv(0x80, b'1.3.6.1.4.1.4203.1.9.1.4'), tlv(0x81, b'\x01\x02'))) + msg(11, app(24, result(0), tlv(0x8b, b'0\x06\x80\x04u:me'))))
c.seg('c', 0x18, msg(12, app(0, integer(3), octs(''), ctx(3, octs('PLAIN'), octs(b'\x00user\x00pw')))))
c.seg('s', 0x18, msg(12, app(1, result(49, '', 'Invalid credentials'))))
c.seg('c', 0x18, msg(10, app(23, tlv(0x80, b'1.3.6.1.4.1.1466.20037'))))
c.seg('s', 0x18, msg(10, app(24, result(0), tlv(0x8a, b'1.3.6.1.4.1.1466.20037'))))
c.seg('c', 0x18, msg(13, app(2, b'', cons=False)))  # after StartTLS: TLS for tshark
c.close()

d = Conn([10, 0, 0, 3], 40001); d.open()
d.seg('c', 0x18, b'\x30\x80\x02\x01\x01\x42\x00\x00\x00')            # indefinite length
d.seg('c', 0x18, seq(integer(2), tlv(0x63, octs('dc=x') + b'\x0a\x05\x00')))  # scope's length runs past searchRequest
d.seg('c', 0x18, msg(3, app(30, octs('x'))))                         # no such operation
d.seg('c', 0x18, seq(integer(4), app(2, b'', cons=False), ctx(0, seq(octs('1.2.3'), b'\x01\x05\xff'))))  # control boolean too long for its SEQUENCE
d.seg('c', 0x18, b'\x30\x20\x02\x01\x05\x42\x00')                    # the stream ends inside a message
d.close()

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pkts): out += struct.pack('<IIII', 1700000000, i * 1000, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'ldap-session.pcap'), 'wb').write(out)
