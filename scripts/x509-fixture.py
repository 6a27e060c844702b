#!/usr/bin/env python3
# Writes fixtures/x509-certificates.pcap: TLS 1.2 handshakes over TCP (IPv4, checksums right) built byte by
# byte, whose Certificate messages carry the certificates of fixtures/x509/*.pem (scripts/x509-certs.sh),
# for test/dissectors/app/x509.test.ts. No crypto: a Client Hello, then the server's flight (Server Hello,
# Certificate, Server Hello Done) in one record each.
#   1. port 443: the chain leaf (RSA, every extension) + EC intermediate + RSA root (generalizedTime)
#   2. port 443: the EC P-384 leaf (PrintableString names) + the root, the flight cut in 3 TCP segments
#   3. port 8443 -> TLS on 443 of another server: the v1 certificate and the Ed25519 one; the client
#      sends its own Certificate (the leaf) after the server's Certificate Request
#   4. port 443: a self-signed certificate with the extensions and names the others lack (issuerAltName,
#      nameConstraints, policyConstraints, inhibitAnyPolicy, TLS feature, Netscape comment, a user notice,
#      an SCT list, otherName/directoryName/registeredID names; domainComponent, serialNumber, jurisdiction)
# Then run scripts/x509-fixture.sh for tshark's side.
import base64, os, struct

HERE = os.path.dirname(os.path.abspath(__file__))
X = os.path.join(HERE, '..', 'fixtures', 'x509')
def der(name):
    t = open(os.path.join(X, name + '.pem')).read()
    b64 = ''.join(l for l in t.splitlines() if l and not l.startswith('-----'))
    return base64.b64decode(b64)

import sys
sys.path.insert(0, HERE)
from pktlib import TcpConn  # noqa: E402

pkts = []
def Conn(cip, cport, sport=443): return TcpConn(pkts, cip, [192, 0, 2, 10], cport, sport, b'\x02\0\0\0\0\x01\x02\0\0\0\0\x02')

def u24(n): return n.to_bytes(3, 'big')
def hs(t, body): return bytes([t]) + u24(len(body)) + body
def rec(body, ct=22): return bytes([ct, 3, 3]) + struct.pack('>H', len(body)) + body
def client_hello(n): return hs(1, b'\x03\x03' + bytes([n]) * 32 + b'\x00' + b'\x00\x04\xc0\x2f\x00\x9c' + b'\x01\x00')
def server_hello(n): return hs(2, b'\x03\x03' + bytes([n]) * 32 + b'\x00' + b'\xc0\x2f' + b'\x00')
def certificate(*names):
    body = b''.join(u24(len(d)) + d for d in (der(n) for n in names))
    return hs(11, u24(len(body)) + body)
done = hs(14, b'')

c = Conn([198, 51, 100, 1], 50001); c.open()
c.seg('c', 0x18, rec(client_hello(1)))
c.seg('s', 0x18, rec(server_hello(2)) + rec(certificate('leaf', 'inter', 'root')) + rec(done))
c.seg('c', 0x10); c.close()

c = Conn([198, 51, 100, 2], 50002); c.open()
c.seg('c', 0x18, rec(client_hello(3)))
flight = rec(server_hello(4)) + rec(certificate('p384', 'root')) + rec(done)
a, b = len(flight) // 3, 2 * len(flight) // 3
c.seg('s', 0x10, flight[:a]); c.seg('s', 0x10, flight[a:b]); c.seg('s', 0x18, flight[b:])
c.seg('c', 0x10); c.close()

c = Conn([198, 51, 100, 3], 50003); c.open()
c.seg('c', 0x18, rec(client_hello(5)))
creq = hs(13, b'\x01\x01' + b'\x00\x02\x04\x01' + b'\x00\x00')
c.seg('s', 0x18, rec(server_hello(6) + certificate('v1', 'ed') + creq + done))
c.seg('c', 0x18, rec(certificate('leaf')))
c.close()

c = Conn([198, 51, 100, 4], 50004); c.open()
c.seg('c', 0x18, rec(client_hello(7)))
c.seg('s', 0x18, rec(server_hello(8) + certificate('more') + done))
c.close()

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)
for i, p in enumerate(pkts): out += struct.pack('<IIII', 1800000000, i * 1000, len(p), len(p)) + p
open(os.path.join(HERE, '..', 'fixtures', 'x509-certificates.pcap'), 'wb').write(out)
