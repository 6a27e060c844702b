#!/usr/bin/env python3
# Writes fixtures/sip-messages.pcap: SIP over UDP 5060 as sipp does not send it (an INVITE dialog with SDP
# offer and answer and a retransmitted INVITE, REGISTER with 401 and the bindings cases, compact headers,
# OPTIONS, MESSAGE, SUBSCRIBE/NOTIFY, CANCEL with 487, damaged messages, SIP on UDP 5080), for test/dissectors/app/sip.test.ts;
# then scripts/sip-fixture.sh stores tshark's side.
import os, struct
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16); return (~s) & 0xffff
A, B, P = (192, 0, 2, 10), (192, 0, 2, 20), (192, 0, 2, 1)
def udp(src, dst, payload, sport=5060, dport=5060):
    u = struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    return bytes.fromhex('020000000002') + bytes.fromhex('020000000001') + b'\x08\x00' + ip + u
def msg(first, headers, body=b'', clen=None):
    h = [first] + headers
    if clen is not False: h.append('Content-Length: %d' % (len(body) if clen is None else clen))
    return ('\r\n'.join(h) + '\r\n\r\n').encode() + body
VIA_A = 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds'
SDP_A = (b'v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n'
         b'm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n'
         b'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n')
SDP_B = (b'v=0\r\no=bob 2808844564 2808844564 IN IP4 192.0.2.20\r\ns=Talk\r\ni=A call\r\nc=IN IP4 192.0.2.20\r\n'
         b'b=AS:64\r\nt=0 0\r\na=tool:test\r\nm=audio 3456 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n'
         b'm=video 0 RTP/AVP 31\r\n')
dlg = ['From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774', 'To: <sip:bob@biloxi.example.com>',
       'Call-ID: a84b4c76e66710@pc33.atlanta.example.com']
dlg2 = [dlg[0], dlg[1] + ';tag=a6c85cf', dlg[2]]
invite = msg('INVITE sip:bob@biloxi.example.com SIP/2.0', [VIA_A, 'Max-Forwards: 70'] + dlg + [
    'CSeq: 314159 INVITE', 'Contact: <sip:alice@192.0.2.10>', 'User-Agent: fixture/1.0', 'Content-Type: application/sdp'], SDP_A)
resp = lambda code, cseq, extra=[], body=b'', d=dlg2, via=VIA_A: msg('SIP/2.0 ' + code, [via] + d + ['CSeq: ' + cseq] + extra, body)
frames = [
    udp(A, B, invite),
    udp(A, B, invite),  # retransmission
    udp(B, A, resp('100 Trying', '314159 INVITE', d=dlg)),
    udp(B, A, resp('180 Ringing', '314159 INVITE', ['Contact: <sip:bob@192.0.2.20>'])),
    udp(B, A, resp('200 OK', '314159 INVITE', ['Contact: <sip:bob@192.0.2.20>', 'Content-Type: application/sdp'], SDP_B)),
    udp(A, B, msg('ACK sip:bob@192.0.2.20 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds9', 'Max-Forwards: 70'] + dlg2 + ['CSeq: 314159 ACK'])),
    udp(B, A, msg('BYE sip:alice@192.0.2.10 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds10', 'Max-Forwards: 70',
        'From: <sip:bob@biloxi.example.com>;tag=a6c85cf', 'To: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774', dlg[2], 'CSeq: 231 BYE'])),
    udp(A, B, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds10',
        'From: <sip:bob@biloxi.example.com>;tag=a6c85cf', 'To: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774', dlg[2], 'CSeq: 231 BYE'])),
]
reg = lambda cseq, extra, branch: msg('REGISTER sip:registrar.example.com SIP/2.0', [
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKreg' + branch, 'Max-Forwards: 70', 'To: Bob <sip:bob@example.com>',
    'From: Bob <sip:bob@example.com>;tag=456248', 'Call-ID: 843817637684230@998sdasdh09', 'CSeq: %d REGISTER' % cseq] + extra)
rresp = lambda code, cseq, extra, branch: msg('SIP/2.0 ' + code, ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKreg' + branch,
    'To: Bob <sip:bob@example.com>;tag=2493k59kd', 'From: Bob <sip:bob@example.com>;tag=456248', 'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: %d REGISTER' % cseq] + extra)
frames += [
    udp(A, P, reg(1, ['Contact: <sip:bob@192.0.2.10>', 'Expires: 7200'], '1')),
    udp(P, A, rresp('401 Unauthorized', 1, ['WWW-Authenticate: Digest realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", algorithm=MD5, qop="auth"'], '1')),
    udp(A, P, reg(2, ['Contact: <sip:bob@192.0.2.10>;expires=3600', 'Authorization: Digest username="bob", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:registrar.example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5'], '2')),
    udp(P, A, rresp('200 OK', 2, ['Contact: <sip:bob@192.0.2.10>;expires=3600', 'Date: Sat, 13 Nov 2010 23:29:00 GMT'], '2')),
    udp(A, P, reg(3, [], '3')),  # fetch bindings
    udp(A, P, reg(4, ['Contact: <sip:bob@192.0.2.10>;expires=0'], '4')),  # remove 1 binding
    udp(A, P, reg(5, ['Contact: *', 'Expires: 0'], '5')),  # remove all bindings
    udp(A, P, reg(6, ['Contact: <sip:bob@192.0.2.10>, <sip:bob@192.0.2.11>;expires=60'], '6')),  # 2 bindings
    udp(A, P, reg(7, ['m: <sip:bob@192.0.2.10>', 'Expires: 0'], '7')),  # remove 1 binding by Expires
]
frames += [
    udp(A, B, msg('OPTIONS sip:carol@chicago.example.com SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKopt1;rport', 'Max-Forwards: 70',
        'To: <sip:carol@chicago.example.com>', 'From: Alice <sip:alice@atlanta.example.com>;tag=1928301775', 'Call-ID: opt-1@192.0.2.10', 'CSeq: 63104 OPTIONS',
        'Contact: <sip:alice@192.0.2.10>', 'Accept: application/sdp'])),
    udp(B, A, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKopt1;rport=5060;received=192.0.2.10',
        'To: <sip:carol@chicago.example.com>;tag=93810874', 'From: Alice <sip:alice@atlanta.example.com>;tag=1928301775', 'Call-ID: opt-1@192.0.2.10', 'CSeq: 63104 OPTIONS',
        'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE', 'Accept: application/sdp', 'Supported: replaces', 'Server: fixture-ua'])),
    udp(A, B, msg('MESSAGE sip:user2@domain.com SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKmsg1', 'Max-Forwards: 70',
        'From: sip:user1@domain.com;tag=49583', 'To: sip:user2@domain.com', 'Call-ID: asd88asd77a@1.2.3.4', 'CSeq: 1 MESSAGE',
        'Content-Type: text/plain'], b'Watson, come here.'),),
    udp(B, A, msg('SIP/2.0 202 Accepted', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKmsg1', 'From: sip:user1@domain.com;tag=49583',
        'To: sip:user2@domain.com;tag=ab30317f1a784dc48ff824d0d3715d86', 'Call-ID: asd88asd77a@1.2.3.4', 'CSeq: 1 MESSAGE'])),
    udp(A, B, msg('SUBSCRIBE sip:bob@biloxi.example.com SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKsub1', 'Max-Forwards: 70',
        'From: <sip:alice@atlanta.example.com>;tag=sub1', 'To: <sip:bob@biloxi.example.com>', 'Call-ID: sub-1@192.0.2.10', 'CSeq: 1 SUBSCRIBE',
        'Event: presence', 'Expires: 600', 'Accept: application/pidf+xml', 'Contact: <sip:alice@192.0.2.10>'])),
    udp(B, A, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKsub1', 'From: <sip:alice@atlanta.example.com>;tag=sub1',
        'To: <sip:bob@biloxi.example.com>;tag=ffd2', 'Call-ID: sub-1@192.0.2.10', 'CSeq: 1 SUBSCRIBE', 'Expires: 600', 'Contact: sip:bob@192.0.2.20'])),
    udp(B, A, msg('NOTIFY sip:alice@192.0.2.10 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnot1', 'Max-Forwards: 70',
        'From: <sip:bob@biloxi.example.com>;tag=ffd2', 'To: <sip:alice@atlanta.example.com>;tag=sub1', 'Call-ID: sub-1@192.0.2.10', 'CSeq: 1 NOTIFY',
        'Event: presence', 'Subscription-State: active;expires=599', 'Content-Type: application/pidf+xml'],
        b'<?xml version="1.0"?>\r\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@biloxi.example.com"/>\r\n')),
    udp(A, B, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnot1', 'From: <sip:bob@biloxi.example.com>;tag=ffd2',
        'To: <sip:alice@atlanta.example.com>;tag=sub1', 'Call-ID: sub-1@192.0.2.10', 'CSeq: 1 NOTIFY'])),
]
cdlg = ['From: <sip:alice@atlanta.example.com>;tag=cc1', 'To: <sip:carol@chicago.example.com>', 'Call-ID: cancel-1@192.0.2.10']
frames += [
    udp(A, B, msg('INVITE sip:carol@chicago.example.com SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKcc1', 'Max-Forwards: 70'] + cdlg + ['CSeq: 1 INVITE'])),
    udp(A, B, msg('CANCEL sip:carol@chicago.example.com SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKcc1', 'Max-Forwards: 70'] + cdlg + ['CSeq: 1 CANCEL'])),
    udp(B, A, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKcc1'] + cdlg[:1] + [cdlg[1] + ';tag=x9', cdlg[2], 'CSeq: 1 CANCEL'])),
    udp(B, A, msg('SIP/2.0 487 Request Terminated', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKcc1'] + cdlg[:1] + [cdlg[1] + ';tag=x9', cdlg[2], 'CSeq: 1 INVITE'])),
]
# compact forms, an odd status, damage
frames += [
    udp(A, B, ('INVITE sip:+15551234@gw.example.com;user=phone SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKcomp\r\n'
        'f: <sip:alice@atlanta.example.com>;tag=c1\r\nt: <tel:+15551234>\r\ni: compact-1@192.0.2.10\r\nCSeq: 7 INVITE\r\n'
        'm: <sip:alice@192.0.2.10:5060;transport=udp>\r\nk: 100rel\r\ns: Urgent\r\ne: identity\r\no: dialog\r\nr: <sip:x@y>\r\nu: presence\r\n'
        'c: application/sdp\r\nl: %d\r\n\r\n' % len(SDP_A)).encode() + SDP_A, sport=5062),
    udp(B, A, resp('603 Decline', '7 INVITE', [], d=['f: <sip:alice@atlanta.example.com>;tag=c1', 't: <tel:+15551234>;tag=zz', 'i: compact-1@192.0.2.10'],
        via='v: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKcomp'), dport=5062),
    udp(B, A, msg('SIP/2.0 299 Whatever', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKodd', 'Call-ID: odd@x', 'CSeq: 9 INFO'])),
    udp(A, B, msg('INFO sip:bob@192.0.2.20 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKlen', 'Call-ID: len@x', 'CSeq: 10 INFO',
        'Content-Type: text/plain'], b'cut short', clen=400)),  # Content-Length past the datagram
    udp(A, B, invite[:150]),  # cut in the headers
    udp(A, B, msg('OPTIONS sip:bob@192.0.2.20 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKx', 'CSeq: abc OPTIONS', 'Call-ID: bad@x',
        'Content-Length: zz'], clen=False)),
    udp(A, B, b'hello world\r\n'),  # not SIP on 5060
    udp(A, B, msg('PUBLISH sip:bob@biloxi.example.com SIP/2.0', ['Via: SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bKpub', 'Call-ID: pub@x', 'CSeq: 1 PUBLISH',
        'Content-Type: application/sdp'], b'v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns= \r\nc=IN IP6 2001:db8::1\r\nt=3034423619 0\r\nm=audio 5004/2 RTP/SAVP 96\r\na=rtpmap:96 opus/48000/2\r\na=fmtp:96 minptime=10;useinbandfec=1\r\na=recvonly\r\nk=clear:x\r\nz=0 0\r\nbogus\r\n')),
]
# SIP on another port than 5060 (tshark's SIP heuristic), and its answer
frames += [
    udp(A, B, msg('OPTIONS sip:bob@192.0.2.20:5080 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:40000;branch=z9hG4bKp80', 'Max-Forwards: 70',
        'From: <sip:alice@atlanta.example.com>;tag=p8', 'To: <sip:bob@192.0.2.20:5080>', 'Call-ID: port@x', 'CSeq: 5 OPTIONS']), 40000, 5080),
    udp(B, A, msg('SIP/2.0 200 OK', ['Via: SIP/2.0/UDP 192.0.2.10:40000;branch=z9hG4bKp80', 'From: <sip:alice@atlanta.example.com>;tag=p8',
        'To: <sip:bob@192.0.2.20:5080>;tag=q', 'Call-ID: port@x', 'CSeq: 5 OPTIONS']), 5080, 40000),
]
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(frames):
    out += struct.pack('<IIII', 1700000000 + i // 10, (i % 10) * 100000 + 1234, len(f), len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sip-messages.pcap'), 'wb').write(out)

# fixtures/sip-tcp.pcap: SIP over TCP 5060: an INVITE with SDP split over three segments, its 100 Trying and
# 200 OK in one segment, the ACK and a BYE in one, the 200 OK (BYE) cut by the connection's end
def tcp(src, dst, sport, dport, seq, ack, flags, payload=b''):
    t = struct.pack('>HHIIBBHHH', sport, dport, seq, ack, 0x50, flags, 65535, 0, 0) + payload
    ph = bytes(src) + bytes(dst) + struct.pack('>BBH', 0, 6, len(t))
    t = t[:16] + struct.pack('>H', csum(ph + t)) + t[18:]
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(t), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    return bytes.fromhex('020000000002') + bytes.fromhex('020000000001') + b'\x08\x00' + ip + t
C, S, CP = A, B, 40123
tvia = 'Via: SIP/2.0/TCP 192.0.2.10:40123;branch=z9hG4bKtcp1'
tdlg = ['From: <sip:alice@atlanta.example.com>;tag=t1', 'To: <sip:bob@biloxi.example.com>', 'Call-ID: tcp-1@192.0.2.10']
tinv = msg('INVITE sip:bob@biloxi.example.com;transport=tcp SIP/2.0', [tvia, 'Max-Forwards: 70'] + tdlg + ['CSeq: 1 INVITE',
    'Contact: <sip:alice@192.0.2.10:40123;transport=tcp>', 'Content-Type: application/sdp'], SDP_A)
t100 = msg('SIP/2.0 100 Trying', [tvia] + tdlg + ['CSeq: 1 INVITE'])
t200 = msg('SIP/2.0 200 OK', [tvia] + tdlg[:1] + [tdlg[1] + ';tag=t2', tdlg[2], 'CSeq: 1 INVITE', 'Contact: <sip:bob@192.0.2.20;transport=tcp>'])
tack = msg('ACK sip:bob@192.0.2.20;transport=tcp SIP/2.0', ['Via: SIP/2.0/TCP 192.0.2.10:40123;branch=z9hG4bKtcp2', 'Max-Forwards: 70'] + tdlg[:1] + [tdlg[1] + ';tag=t2', tdlg[2], 'CSeq: 1 ACK'])
tbye = msg('BYE sip:bob@192.0.2.20;transport=tcp SIP/2.0', ['Via: SIP/2.0/TCP 192.0.2.10:40123;branch=z9hG4bKtcp3', 'Max-Forwards: 70'] + tdlg[:1] + [tdlg[1] + ';tag=t2', tdlg[2], 'CSeq: 2 BYE'])
tbye200 = msg('SIP/2.0 200 OK', ['Via: SIP/2.0/TCP 192.0.2.10:40123;branch=z9hG4bKtcp3'] + tdlg[:1] + [tdlg[1] + ';tag=t2', tdlg[2], 'CSeq: 2 BYE'])
cs, ss = 1000, 5000
fr = [tcp(C, S, CP, 5060, cs, 0, 0x02), tcp(S, C, 5060, CP, ss, cs + 1, 0x12), tcp(C, S, CP, 5060, cs + 1, ss + 1, 0x10)]
cs += 1; ss += 1
for part in (tinv[:200], tinv[200:420], tinv[420:]):
    fr.append(tcp(C, S, CP, 5060, cs, ss, 0x18, part)); cs += len(part)
fr.append(tcp(S, C, 5060, CP, ss, cs, 0x18, t100 + t200)); ss += len(t100 + t200)
fr.append(tcp(C, S, CP, 5060, cs, ss, 0x18, tack + tbye)); cs += len(tack + tbye)
fr.append(tcp(S, C, 5060, CP, ss, cs, 0x18, tbye200[:100])); ss += 100
fr.append(tcp(S, C, 5060, CP, ss, cs, 0x19, tbye200[100:])); ss += len(tbye200) - 100 + 1
fr.append(tcp(C, S, CP, 5060, cs, ss, 0x11)); cs += 1
fr.append(tcp(S, C, 5060, CP, ss, cs, 0x10))
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(fr):
    out += struct.pack('<IIII', 1700001000, i * 10000, len(f), len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sip-tcp.pcap'), 'wb').write(out)

# fixtures/sip-rtp.pcap: a call whose SDP offer and answer announce the RTP streams (A 192.0.2.10:49170,
# B 192.0.2.20:3456): RTCP on the next ports, RTP both ways (PCMU, the first packet with the marker bit, a PCMA one, one with a CSRC,
# padding and a header extension), then BYE; RTP on a port no SDP announced stays UDP
def rtp(pt, seq, ts, ssrc, payload=b'\xff' * 160, marker=False, csrc=(), ext=None, pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | len(csrc)
    h = struct.pack('>BBHII', b0, pt | (0x80 if marker else 0), seq, ts, ssrc) + b''.join(struct.pack('>I', c) for c in csrc)
    if ext is not None: h += struct.pack('>HH', 0xbede, len(ext) // 4) + ext
    return h + payload + (bytes(pad - 1) + bytes([pad]) if pad else b'')
rf = [udp(A, B, invite), udp(B, A, resp('100 Trying', '314159 INVITE', d=dlg)),
      udp(B, A, resp('200 OK', '314159 INVITE', ['Contact: <sip:bob@192.0.2.20>', 'Content-Type: application/sdp'], SDP_B)),
      udp(A, B, msg('ACK sip:bob@192.0.2.20 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds9', 'Max-Forwards: 70'] + dlg2 + ['CSeq: 314159 ACK']))]
rf += [udp(A, B, rtp(0, 1000, 8000, 0x11223344, marker=True), 49170, 3456),
       udp(B, A, rtp(0, 7, 160, 0xdeadbeef), 3456, 49170),
       udp(A, B, rtp(0, 1001, 8160, 0x11223344), 49170, 3456),
       udp(B, A, rtp(8, 8, 320, 0xdeadbeef, csrc=(0x01020304,), ext=b'\x10\x01\x00\x00', pad=4), 3456, 49170),
       udp(A, B, rtp(0, 1002, 8320, 0x11223344), 49172, 3458),
       udp(A, B, rtp(0, 1003, 8480, 0x11223344, payload=b'')[:10], 49170, 3456)]
# RTCP on the ports after them: a Sender Report with a report block and a Source description, a Receiver
# Report and a Goodbye
sr = struct.pack('>BBHI', 0x81, 200, 12, 0x11223344) + struct.pack('>IIIII', 0xe8a1b2c3, 0x80000000, 8320, 3, 480) + struct.pack('>IIIIII', 0xdeadbeef, 0x05000002, 1008, 7, 0x12345678, 65536)
cname = b'alice@192.0.2.10'
sd = bytes([1, len(cname)]) + cname + b'\x00'
sd += b'\x00' * ((4 - len(sd) % 4) % 4)
sdes = struct.pack('>BBHI', 0x81, 202, (4 + len(sd)) // 4, 0x11223344) + sd
rf += [udp(A, B, sr + sdes, 49171, 3457), udp(B, A, struct.pack('>BBHI', 0x80, 201, 1, 0xdeadbeef) + struct.pack('>BBHI', 0x81, 203, 1, 0xdeadbeef), 3457, 49171)]
rf += [udp(B, A, msg('BYE sip:alice@192.0.2.10 SIP/2.0', ['Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds10', 'Max-Forwards: 70',
        'From: <sip:bob@biloxi.example.com>;tag=a6c85cf', 'To: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774', dlg[2], 'CSeq: 231 BYE']))]
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(rf):
    out += struct.pack('<IIII', 1700002000, i * 20000, len(f), len(f)) + f
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'sip-rtp.pcap'), 'wb').write(out)
