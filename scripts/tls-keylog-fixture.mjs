#!/usr/bin/env node
// Writes fixtures/tls-keylog.pcap and fixtures/tls-keylog.keys (an NSS key log, as SSLKEYLOGFILE
// makes) for test/dissectors/app/tls-decrypt.test.ts: real TLS sessions run by Node's `tls` module
// over an in-memory pair of streams (no network), with a self-signed certificate made here by
// openssl, the key log collected from the client's 'keylog' event, and every byte each side wrote
// put into TCP segments (hand-made Ethernet/IPv4/TCP headers, checksums, a three-way handshake and
// FINs) from 10.0.0.1:5000N to 10.0.0.2:443. Then scripts/tls-keylog-fixture.sh for tshark's side.
//
// Streams (tcp.stream = N - 1):
//  0  TLS 1.3 AES-128-GCM: GET, then POST on the same connection (keep-alive); a 40 kB response
//     over three records and many segments; MSS 1460
//  1  TLS 1.3 AES-256-GCM: GET            2  TLS 1.3 CHACHA20-POLY1305: GET
//  3  TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256: GET + POST    4  TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305: GET
//  5  TLS 1.2 ECDHE-RSA-AES128-SHA (CBC, HMAC-SHA1; encrypt-then-MAC as OpenSSL negotiates it)
//  6  TLS 1.2 ECDHE-RSA-AES256-SHA384 (CBC, HMAC-SHA384, encrypt-then-MAC)
//  7  TLS 1.3, its keys left out of the key log (stays encrypted)
//  8  TLS 1.2 GCM with a wrong master secret in the key log; 9  TLS 1.3 with wrong traffic secrets
//  10 TLS 1.3 AES-128-GCM with binary, non-HTTP application data (on 443: tshark's HTTP)
//  11 TLS 1.2 ECDHE-RSA-AES256-GCM-SHA384, MSS 300 (records over many small segments)
//  12 TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 (an EC certificate)
//  13 TLS 1.3 with ALPN h2: the HTTP/2 preface and SETTINGS (tshark: HTTP2; wiretrace: decrypted, no HTTP/2)
//  14 TLS 1.3 on port 4433 (read with -d / --decode-as tcp.port==4433,tls), HTTP in it
//  15 TLS 1.2 ECDHE-RSA-AES128-SHA256, MAC-then-encrypt (no encrypt_then_mac)
//  16 TLS 1.2 AES128-GCM-SHA256 (RSA key exchange)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { constants } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const FX = process.env.TLS_KEYLOG_OUT ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'tlskl-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=test.example',
  '-keyout', join(tmp, 'k.pem'), '-out', join(tmp, 'c.pem')], { stdio: 'ignore' });
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650', '-subj', '/CN=ecdsa.example',
  '-keyout', join(tmp, 'ek.pem'), '-out', join(tmp, 'ec.pem')], { stdio: 'ignore' });
const key = readFileSync(join(tmp, 'k.pem'));
const cert = readFileSync(join(tmp, 'c.pem'));
const ecKey = readFileSync(join(tmp, 'ek.pem'));
const ecCert = readFileSync(join(tmp, 'ec.pem'));
rmSync(tmp, { recursive: true });

const cat = (...b) => Buffer.concat(b.map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(x))));
const u8 = (v) => Buffer.from([v]);
const u16 = (v) => Buffer.from([(v >> 8) & 255, v & 255]);
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
function csum(b) {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const frames = [];
let tms = 0;
let ipId = 1;
function tcp(src, dst, sport, dport, seq, ack, flags, payload = Buffer.alloc(0)) {
  const s = Buffer.from(src.split('.').map(Number));
  const d = Buffer.from(dst.split('.').map(Number));
  const th = cat(u16(sport), u16(dport), u32(seq), u32(ack), u8(0x50), u8(flags), u16(64240), u16(0), u16(0));
  const ck = csum(cat(s, d, u8(0), u8(6), u16(20 + payload.length), th, payload));
  th.writeUInt16BE(ck, 16);
  const ip = cat(u8(0x45), u8(0), u16(40 + payload.length), u16(ipId++ & 0xffff), u16(0x4000), u8(64), u8(6), u16(0), s, d);
  ip.writeUInt16BE(csum(ip), 10);
  tms += 3;
  frames.push({ t: tms, data: cat(Buffer.from('020000000002020000000001', 'hex'), u16(0x0800), ip, th, payload) });
}

/** Two Duplex streams joined back to back; every write is logged as [side, bytes]. */
function pair(log) {
  const mk = (side) => new Duplex({
    read() {},
    write(chunk, _enc, cb) { log.push([side, Buffer.from(chunk)]); other(side).push(chunk); cb(); },
    final(cb) { log.push([side, null]); other(side).push(null); cb(); },
  });
  const a = mk(0), b = mk(1);
  const other = (side) => (side === 0 ? b : a);
  return [a, b];
}

const keylog = [];
const C = '10.0.0.1', S = '10.0.0.2';

/**
 * One connection: `steps` are [side, text or bytes]: side 0 (client) or 1 (server) writes it once the
 * previous step has been read whole by the peer. `mangle(line)` edits the key log lines it made.
 */
async function session(n, { min, max, ciphers, steps, mss = 1460, mangle = (l) => l, ec = false, alpn, sport = 443, secureOptions }) {
  const log = [];
  const [ca, sa] = pair(log);
  const ctx = tls.createSecureContext({ key: ec ? ecKey : key, cert: ec ? ecCert : cert, ciphers, minVersion: min, maxVersion: max, secureOptions });
  const server = new tls.TLSSocket(sa, { isServer: true, secureContext: ctx, ALPNProtocols: alpn });
  const client = tls.connect({ socket: ca, rejectUnauthorized: false, servername: 'test.example', ciphers, minVersion: min, maxVersion: max, ALPNProtocols: alpn });
  client.on('keylog', (line) => { const l = mangle(line.toString().trimEnd()); if (l) keylog.push(l); });
  const got = [Buffer.alloc(0), Buffer.alloc(0)];
  let waiter = null;
  const onData = (side) => (d) => { got[side] = cat(got[side], d); waiter?.(); };
  server.on('data', onData(1));
  client.on('data', onData(0));
  await new Promise((r) => client.once('secureConnect', r));
  for (const [side, data] of steps) {
    const peer = 1 - side;
    const want = got[peer].length + Buffer.from(data).length;
    (side === 0 ? client : server).write(data);
    while (got[peer].length < want) await new Promise((r) => { waiter = r; });
    waiter = null;
  }
  // close_notify both ways, then the FINs
  await new Promise((r) => { client.end(); server.end(); setTimeout(r, 20); });
  client.destroy(); server.destroy();

  // TCP: the three-way handshake, each write cut into segments of at most `mss`, then FINs
  const port = 50000 + n;
  const ends = [[C, port], [S, sport]];
  const seq = [1000 * n + 1, 7000 * n + 1];
  const send = (side, flags, payload) => {
    const [a, ap] = ends[side], [b, bp] = ends[1 - side];
    tcp(a, b, ap, bp, seq[side], seq[1 - side], flags, payload);
    seq[side] += payload ? payload.length : 0;
  };
  tcp(C, S, port, sport, seq[0] - 1, 0, 0x02);
  tcp(S, C, sport, port, seq[1] - 1, seq[0], 0x12);
  send(0, 0x10);
  const fin = [false, false];
  for (const [side, data] of log) {
    if (data === null) { fin[side] = true; continue; }
    for (let i = 0; i < data.length; i += mss) send(side, 0x18, data.subarray(i, Math.min(data.length, i + mss)));
  }
  send(0, 0x11); seq[0]++;
  send(1, 0x11); seq[1]++;
  send(0, 0x10);
}

const get = (path, host = 'test.example') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: wiretrace-fixture\r\nAccept: */*\r\n\r\n`;
const resp = (body, type = 'text/plain') => `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`;
const post = (path, body) => `POST ${path} HTTP/1.1\r\nHost: test.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const big = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')} of a long response body\n`).join('');
const v13 = { min: 'TLSv1.3', max: 'TLSv1.3' };
const v12 = { min: 'TLSv1.2', max: 'TLSv1.2' };
const flip = (hex) => hex.slice(0, -2) + (hex.slice(-2) === '00' ? '01' : '00');

await session(1, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', steps: [[0, get('/')], [1, resp(big)], [0, post('/submit', 'name=wiretrace&keep=alive')], [1, resp('{"ok":true}', 'application/json')]] });
await session(2, { ...v13, ciphers: 'TLS_AES_256_GCM_SHA384', steps: [[0, get('/aes256')], [1, resp('hello from AES-256-GCM\n')]] });
await session(3, { ...v13, ciphers: 'TLS_CHACHA20_POLY1305_SHA256', steps: [[0, get('/chacha')], [1, resp('hello from ChaCha20-Poly1305\n')]] });
await session(4, { ...v12, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', steps: [[0, get('/tls12')], [1, resp('hello over TLS 1.2 GCM\n')], [0, post('/form', 'a=1&b=2')], [1, resp('posted\n')]] });
await session(5, { ...v12, ciphers: 'ECDHE-RSA-CHACHA20-POLY1305', steps: [[0, get('/tls12-chacha')], [1, resp('hello over TLS 1.2 ChaCha20\n')]] });
await session(6, { ...v12, ciphers: 'ECDHE-RSA-AES128-SHA', steps: [[0, get('/cbc-sha1')], [1, resp('hello over AES-128-CBC + HMAC-SHA1\n')]] });
await session(7, { ...v12, ciphers: 'ECDHE-RSA-AES256-SHA384', steps: [[0, get('/cbc-sha384')], [1, resp('hello over AES-256-CBC + HMAC-SHA384\n')]] });
await session(8, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', steps: [[0, get('/nokeys')], [1, resp('nobody can read this\n')]], mangle: () => '' });
await session(9, { ...v12, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', steps: [[0, get('/wrongkey12')], [1, resp('wrong key\n')]], mangle: (l) => flip(l) });
await session(10, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', steps: [[0, get('/wrongkey13')], [1, resp('wrong key\n')]], mangle: (l) => flip(l) });
await session(11, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', steps: [[0, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 9, 8, 7, 6])], [1, Buffer.from([0x80, 0x81, 0x82, 0, 0])]] });
await session(12, { ...v12, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', mss: 300, steps: [[0, get('/small-segments')], [1, resp(big.slice(0, 5000))]] });
await session(13, { ...v12, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', ec: true, steps: [[0, get('/ecdsa')], [1, resp('hello over ECDHE-ECDSA\n')]] });
// ALPN h2: the connection preface and a SETTINGS frame (wiretrace has no HTTP/2: decrypted, not dissected)
const settings = Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]);
await session(14, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', alpn: ['h2'], steps: [[0, cat(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), settings)], [1, settings]] });
// TLS on a port tshark has no TLS for (read with -d / --decode-as tcp.port==4433,tls), HTTP in it
await session(15, { ...v13, ciphers: 'TLS_AES_128_GCM_SHA256', sport: 4433, steps: [[0, get('/port-4433')], [1, resp('not on 443\n')]] });
// CBC with the MAC inside the encryption (the server refuses encrypt-then-MAC), and RSA key exchange
await session(16, { ...v12, ciphers: 'ECDHE-RSA-AES128-SHA256', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, steps: [[0, get('/mac-then-encrypt')], [1, resp('hello over AES-128-CBC + HMAC-SHA256, MAC then encrypt\n')]] });
await session(17, { ...v12, ciphers: 'AES128-GCM-SHA256', steps: [[0, get('/rsa-kx')], [1, resp('hello over TLS_RSA_WITH_AES_128_GCM_SHA256\n')]] });

const hdr = Buffer.alloc(24);
hdr.writeUInt32LE(0xa1b2c3d4, 0); hdr.writeUInt16LE(2, 4); hdr.writeUInt16LE(4, 6); hdr.writeUInt32LE(65535, 16); hdr.writeUInt32LE(1, 20);
const parts = [hdr];
for (const r of frames) {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(1700000000 + Math.floor(r.t / 1000), 0); h.writeUInt32LE((r.t % 1000) * 1000, 4);
  h.writeUInt32LE(r.data.length, 8); h.writeUInt32LE(r.data.length, 12);
  parts.push(h, r.data);
}
writeFileSync(join(FX, 'tls-keylog.pcap'), Buffer.concat(parts));
writeFileSync(join(FX, 'tls-keylog.keys'), '# key log of fixtures/tls-keylog.pcap (scripts/tls-keylog-fixture.mjs)\nnot a key log line\n' + keylog.join('\n') + '\n');
console.log(`${frames.length} frames, ${keylog.length} key log lines`);
