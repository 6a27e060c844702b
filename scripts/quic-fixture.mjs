#!/usr/bin/env node
// Writes fixtures/quic-handshake.pcap: QUIC v1 (RFC 9000/9001) packets built byte by byte and protected
// as the RFCs say, for test/dissectors/app/quic.test.ts. Initial packets use the keys anyone can derive
// from the client's first Destination Connection ID (so tshark and wiretrace both decrypt them); Handshake,
// 0-RTT and 1-RTT packets carry random bytes under random keys (neither can). Then run
// scripts/quic-fixture.sh for tshark's side.
//
// Connection 1 (10.0.0.1:50001 -> 10.0.0.2:443): client Initial (ClientHello: SNI, ALPN h3, transport
// parameters; PADDING to 1200 bytes), server Initial (ACK + ServerHello) coalesced with a Handshake
// packet, client Initial (ACK) + Handshake, 1-RTT both ways, a PING-only Initial.
// Connection 2 (:50002): a ClientHello split over two Initial packets (CRYPTO offsets), and a 0-RTT packet.
// Connection 3 (:50003): Version Negotiation from the server; connection 4 (:50004): Retry.
// Also: an Initial cut short (caplen < len), an Initial whose Length runs past the datagram, a draft-29
// Initial, a QUIC packet on UDP 4433, and non-QUIC bytes on UDP 443.
import { createCipheriv, createHmac, createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// deterministic "random" bytes
let seed = 1;
function rnd(n) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 32) {
    const h = createHash('sha256').update(String(seed++)).digest();
    h.copy(out, i, 0, Math.min(32, n - i));
  }
  return out;
}
const cat = (...b) => Buffer.concat(b.map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(x))));
const u8 = (v) => Buffer.from([v]);
const u16 = (v) => Buffer.from([v >> 8, v & 255]);
const u24 = (v) => Buffer.from([v >> 16, (v >> 8) & 255, v & 255]);
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
function varint(v, size) {
  size ??= v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8;
  if (size === 1) return u8(v);
  if (size === 2) return u16(0x4000 | v);
  if (size === 4) return u32(0x80000000 + v);
  const b = Buffer.alloc(8); b.writeBigUInt64BE(0xc000000000000000n | BigInt(v)); return b;
}

// ---- RFC 9001 packet protection ----
function expandLabel(secret, label, len) {
  const full = Buffer.from('tls13 ' + label);
  const info = cat(u16(len), u8(full.length), full, u8(0));
  const out = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < len; i++) {
    t = createHmac('sha256', secret).update(cat(t, info, u8(i))).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, len);
}
const SALT = {
  1: Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'),
  0xff00001d: Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex'),
  0x6b3343cf: Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'), // QUIC v2 (RFC 9369)
};
function initialKeys(dcid, version, side) {
  const initial = createHmac('sha256', SALT[version]).update(dcid).digest();
  const secret = expandLabel(initial, side === 'client' ? 'client in' : 'server in', 32);
  const v = version === 0x6b3343cf ? 'quicv2 ' : 'quic ';
  return { key: expandLabel(secret, v + 'key', 16), iv: expandLabel(secret, v + 'iv', 12), hp: expandLabel(secret, v + 'hp', 16) };
}
const randomKeys = () => ({ key: rnd(16), iv: rnd(12), hp: rnd(16) });

/** Protect: header (with the packet number in clear, pnLen bytes at its end) + payload. */
function protect(header, pnLen, pn, payload, k) {
  const nonce = Buffer.from(k.iv);
  for (let i = 0; i < 8; i++) nonce[11 - i] ^= Number((BigInt(pn) >> BigInt(8 * i)) & 255n);
  const c = createCipheriv('aes-128-gcm', k.key, nonce);
  c.setAAD(header);
  const ct = cat(c.update(payload), c.final(), c.getAuthTag());
  const pnOff = header.length - pnLen;
  const sample = ct.subarray(4 - pnLen, 4 - pnLen + 16);
  const e = createCipheriv('aes-128-ecb', k.hp, null);
  const mask = e.update(sample);
  const h = Buffer.from(header);
  h[0] ^= mask[0] & ((h[0] & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLen; i++) h[pnOff + i] ^= mask[1 + i];
  return cat(h, ct);
}

function longPacket({ type, version = 1, dcid, scid, token = null, pn, pnLen = 2, payload, keys }) {
  // QUIC v2 numbers the long packet types differently (RFC 9369 3.2: Initial 1, 0-RTT 2, Handshake 3, Retry 0)
  const wire = version === 0x6b3343cf ? (type + 1) % 4 : type;
  const first = 0xc0 | (wire << 4) | (pnLen - 1);
  const pnb = Buffer.alloc(pnLen);
  for (let i = 0; i < pnLen; i++) pnb[pnLen - 1 - i] = (pn >> (8 * i)) & 255;
  const hdr = cat(u8(first), u32(version), u8(dcid.length), dcid, u8(scid.length), scid,
    type === 0 ? cat(varint(token ? token.length : 0), token ?? Buffer.alloc(0)) : Buffer.alloc(0),
    varint(pnLen + payload.length + 16, 2), pnb);
  return protect(hdr, pnLen, pn, payload, keys);
}
function shortPacket({ dcid, pn, pnLen = 1, payload, keys, spin = 0, kp = 0 }) {
  const pnb = Buffer.alloc(pnLen);
  for (let i = 0; i < pnLen; i++) pnb[pnLen - 1 - i] = (pn >> (8 * i)) & 255;
  const hdr = cat(u8(0x40 | (spin << 5) | (kp << 2) | (pnLen - 1)), dcid, pnb);
  return protect(hdr, pnLen, pn, payload, keys);
}

// ---- frames ----
const crypto = (off, data) => cat(u8(0x06), varint(off), varint(data.length), data);
const ack = (largest, delay = 0, first = 0) => cat(u8(0x02), varint(largest), varint(delay), varint(0), varint(first));
const ping = () => u8(0x01);
const padTo = (payload, n) => (payload.length >= n ? payload : cat(payload, Buffer.alloc(n - payload.length)));

// ---- TLS 1.3 messages ----
const ext = (type, body) => cat(u16(type), u16(body.length), body);
function clientHello(sni, scid) {
  const tp = cat(
    varint(0x01), varint(4), varint(30000, 4), // max_idle_timeout
    varint(0x04), varint(4), varint(1048576, 4), // initial_max_data
    varint(0x08), varint(2), varint(100), // initial_max_streams_bidi
    varint(0x0f), varint(scid.length), scid, // initial_source_connection_id
  );
  const exts = cat(
    ext(0, cat(u16(sni.length + 3), u8(0), u16(sni.length), Buffer.from(sni))),
    ext(10, cat(u16(2), u16(0x001d))),
    ext(13, cat(u16(4), u16(0x0403), u16(0x0804))),
    ext(16, cat(u16(3), u8(2), Buffer.from('h3'))),
    ext(43, cat(u8(2), u16(0x0304))),
    ext(51, cat(u16(36), u16(0x001d), u16(32), rnd(32))),
    ext(57, tp),
  );
  const body = cat(u16(0x0303), rnd(32), u8(0), u16(6), u16(0x1301), u16(0x1302), u16(0x1303), u8(1), u8(0), u16(exts.length), exts);
  return cat(u8(1), u24(body.length), body);
}
function serverHello() {
  const exts = cat(ext(43, u16(0x0304)), ext(51, cat(u16(0x001d), u16(32), rnd(32))));
  const body = cat(u16(0x0303), rnd(32), u8(0), u16(0x1301), u8(0), u16(exts.length), exts);
  return cat(u8(2), u24(body.length), body);
}

// ---- pcap ----
function csum(b) {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
const records = [];
let tms = 0;
function udp(src, dst, sport, dport, payload, caplen = Infinity) {
  const s = Buffer.from(src.split('.').map(Number));
  const d = Buffer.from(dst.split('.').map(Number));
  const uh = cat(u16(sport), u16(dport), u16(8 + payload.length), u16(0));
  const ck = csum(cat(s, d, u8(0), u8(17), u16(8 + payload.length), uh, payload)) || 0xffff;
  uh.writeUInt16BE(ck, 6);
  const ip = cat(u8(0x45), u8(0), u16(28 + payload.length), u16(records.length + 1), u16(0x4000), u8(64), u8(17), u16(0), s, d);
  ip.writeUInt16BE(csum(ip), 10);
  const frame = cat(Buffer.from('020000000002020000000001', 'hex'), u16(0x0800), ip, uh, payload);
  tms += 7;
  records.push({ t: tms, data: frame.subarray(0, Math.min(caplen, frame.length)), len: frame.length });
}
const C = '10.0.0.1', S = '10.0.0.2';

// connection 1
{
  const dcid = Buffer.from('8394c8f03e515708', 'hex');
  const cscid = Buffer.from('c1c2c3c4', 'hex');
  const sscid = Buffer.from('f0f1f2f3f4f5f6f7', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  const sk = initialKeys(dcid, 1, 'server');
  const hk = randomKeys();
  udp(C, S, 50001, 443, longPacket({ type: 0, dcid, scid: cscid, pn: 0, payload: padTo(crypto(0, clientHello('example.com', cscid)), 1200 - 40), keys: ck }));
  udp(S, C, 443, 50001, cat(
    longPacket({ type: 0, dcid: cscid, scid: sscid, pn: 0, payload: cat(ack(0), crypto(0, serverHello())), keys: sk }),
    longPacket({ type: 2, dcid: cscid, scid: sscid, pn: 0, payload: rnd(300), keys: hk })));
  udp(C, S, 50001, 443, cat(
    longPacket({ type: 0, dcid: sscid, scid: cscid, pn: 1, payload: padTo(ack(0), 1000), keys: ck }),
    longPacket({ type: 2, dcid: sscid, scid: cscid, pn: 0, payload: rnd(60), keys: hk })));
  udp(C, S, 50001, 443, shortPacket({ dcid: sscid, pn: 0, payload: rnd(40), keys: randomKeys() }));
  udp(S, C, 443, 50001, shortPacket({ dcid: cscid, pn: 1, pnLen: 2, spin: 1, payload: rnd(100), keys: randomKeys() }));
  udp(C, S, 50001, 443, longPacket({ type: 0, dcid: sscid, scid: cscid, pn: 2, pnLen: 4, payload: padTo(ping(), 20), keys: ck }));
  udp(C, S, 50001, 443, shortPacket({ dcid: sscid, pn: 5, kp: 1, payload: rnd(30), keys: randomKeys() }));
}
// connection 2: a ClientHello over two Initials, then 0-RTT
{
  const dcid = Buffer.from('0011223344556677aabb', 'hex');
  const cscid = Buffer.from('d1d2d3d4d5d6d7d8', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  const ch = clientHello('a-rather-long-server-name.example.org', cscid);
  const cut = 100;
  udp(C, S, 50002, 443, longPacket({ type: 0, dcid, scid: cscid, pn: 0, payload: padTo(crypto(0, ch.subarray(0, cut)), 1160), keys: ck }));
  udp(C, S, 50002, 443, longPacket({ type: 0, dcid, scid: cscid, pn: 1, payload: padTo(crypto(cut, ch.subarray(cut)), 1160), keys: ck }));
  udp(C, S, 50002, 443, longPacket({ type: 1, dcid, scid: cscid, pn: 2, payload: rnd(80), keys: randomKeys() }));
}
// connection 3: Version Negotiation
{
  const dcid = Buffer.from('1111111111111111', 'hex');
  const cscid = Buffer.from('2222', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  udp(C, S, 50003, 443, longPacket({ type: 0, version: 0x1a2a3a4a, dcid, scid: cscid, pn: 0, payload: padTo(ping(), 1160), keys: ck }));
  udp(S, C, 443, 50003, cat(u8(0x80 | 0x2a), u32(0), u8(cscid.length), cscid, u8(dcid.length), dcid, u32(1), u32(0xff00001d), u32(0x6b3343cf)));
}
// connection 4: Retry
{
  const dcid = Buffer.from('3333333333333333', 'hex');
  const cscid = Buffer.from('4444444444444444', 'hex');
  const sscid = Buffer.from('5555555555555555', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  udp(C, S, 50004, 443, longPacket({ type: 0, dcid, scid: cscid, pn: 0, payload: padTo(crypto(0, clientHello('retry.example', cscid)), 1160), keys: ck }));
  udp(S, C, 443, 50004, cat(u8(0xf0), u32(1), u8(cscid.length), cscid, u8(sscid.length), sscid, Buffer.from('retry-token-0123456789'), rnd(16)));
  const token = Buffer.from('retry-token-0123456789');
  const ck2 = initialKeys(sscid, 1, 'client');
  udp(C, S, 50004, 443, longPacket({ type: 0, dcid: sscid, scid: cscid, token, pn: 1, payload: padTo(crypto(0, clientHello('retry.example', cscid)), 1140), keys: ck2 }));
}
// connection 5: the server refuses (CONNECTION_CLOSE in an Initial); the client's ACK has ranges and ECN counts
{
  const dcid = Buffer.from('abababababababab', 'hex');
  const cscid = Buffer.from('cdcdcdcd', 'hex');
  const sscid = Buffer.from('efefefefefefefef', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  const sk = initialKeys(dcid, 1, 'server');
  udp(C, S, 50010, 443, longPacket({ type: 0, dcid, scid: cscid, pn: 0, payload: padTo(crypto(0, clientHello('refused.example', cscid)), 1160), keys: ck }));
  const reason = Buffer.from('handshake failure');
  udp(S, C, 443, 50010, longPacket({ type: 0, dcid: cscid, scid: sscid, pn: 3, payload: cat(u8(0x1c), varint(0x128), varint(6), varint(reason.length), reason), keys: sk }));
  udp(C, S, 50010, 443, longPacket({ type: 0, dcid: sscid, scid: cscid, pn: 1, payload: padTo(cat(u8(0x03), varint(9), varint(25), varint(1), varint(2), varint(1), varint(3), varint(5), varint(0), varint(1), ping()), 1160), keys: ck }));
}
// connection 6: a Client Hello as Chrome sends it: CRYPTO frames out of order with PING and PADDING
// between them, over two Initial packets coalesced in one datagram
{
  const dcid = Buffer.from('c0c0c0c0c0c0c0c0', 'hex');
  const cscid = Buffer.alloc(0);
  const ck = initialKeys(dcid, 1, 'client');
  const ch = clientHello('chaos.example', cscid);
  const a = ch.subarray(0, 40), b = ch.subarray(40, 90), c = ch.subarray(90, 150), e = ch.subarray(150);
  const p1 = longPacket({ type: 0, dcid, scid: cscid, pn: 0, payload: cat(crypto(90, c), Buffer.alloc(7), ping(), crypto(0, a), ping(), crypto(40, b), Buffer.alloc(300)), keys: ck });
  const p2 = longPacket({ type: 0, dcid, scid: cscid, pn: 1, payload: padTo(cat(ping(), crypto(150, e)), 700), keys: ck });
  udp(C, S, 50012, 443, cat(p1, p2));
}
// damaged and odd ones
{
  const dcid = Buffer.from('6666666666666666', 'hex');
  const ck = initialKeys(dcid, 1, 'client');
  const p = longPacket({ type: 0, dcid, scid: Buffer.alloc(0), pn: 0, payload: padTo(crypto(0, clientHello('cut.example', Buffer.alloc(0))), 1160), keys: ck });
  udp(C, S, 50005, 443, p, 14 + 28 + 200); // snaplen cut
  const lying = Buffer.from(p.subarray(0, 400)); // Length says ~1180, 400 bytes there
  udp(C, S, 50006, 443, lying);
  const d29 = Buffer.from('7777777777777777', 'hex');
  udp(C, S, 50007, 443, longPacket({ type: 0, version: 0xff00001d, dcid: d29, scid: Buffer.from('88', 'hex'), pn: 0, payload: padTo(crypto(0, clientHello('draft29.example', Buffer.from('88', 'hex'))), 1160), keys: initialKeys(d29, 0xff00001d, 'client') }));
  const alt = Buffer.from('9999999999999999', 'hex');
  udp(C, S, 50008, 4433, longPacket({ type: 0, dcid: alt, scid: Buffer.from('aa', 'hex'), pn: 0, payload: padTo(crypto(0, clientHello('port4433.example', Buffer.from('aa', 'hex'))), 1160), keys: initialKeys(alt, 1, 'client') }));
  udp(C, S, 50009, 443, Buffer.from('not quic at all, just text on 443\n'));
  const v2 = Buffer.from('abcdef0123456789', 'hex');
  udp(C, S, 50011, 443, longPacket({ type: 0, version: 0x6b3343cf, dcid: v2, scid: Buffer.from('bb', 'hex'), pn: 0, payload: padTo(crypto(0, clientHello('v2.example', Buffer.from('bb', 'hex'))), 1160), keys: initialKeys(v2, 0x6b3343cf, 'client') }));
}

const hdr = Buffer.alloc(24);
hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(65535, 16); hdr.writeUInt32LE(1, 20);
const parts = [hdr];
for (const r of records) {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(1700000000 + Math.floor(r.t / 1000), 0); h.writeUInt32LE((r.t % 1000) * 1000, 4);
  h.writeUInt32LE(r.data.length, 8); h.writeUInt32LE(r.len, 12);
  parts.push(h, r.data);
}
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'quic-handshake.pcap'), Buffer.concat(parts));
