// TLS decryption with a key log (src/analysis/tls/decrypt.ts, dissectors/tls.ts, src/analysis/http/app.ts)
// against tshark 4.0.17 `-o tls.keylog_file:…`. fixtures/tls-keylog.pcap and fixtures/tls-keylog.keys are
// made by scripts/tls-keylog-fixture.mjs (Node's tls over an in-memory pair: TLS 1.3 AES-128-GCM with a
// GET, a 34 kB response over three records and a keep-alive POST, AES-256-GCM, ChaCha20; TLS 1.2
// ECDHE-RSA AES-128-GCM (GET + POST), ChaCha20, AES-128-CBC-SHA and AES-256-CBC-SHA384 with
// encrypt-then-MAC, AES-128-CBC-SHA256 MAC-then-encrypt, AES-256-GCM over 300-byte segments, ECDHE-ECDSA,
// RSA key exchange; a session whose keys are not in the
// log, one TLS 1.2 and one TLS 1.3 session with wrong secrets, binary application data, ALPN h2, TLS on
// port 4433 read with --decode-as). tshark's side (*.tshark.tsv / .txt) is made by
// scripts/tls-keylog-fixture.sh (with -d tcp.port==4433,tls). fixtures/tls-keylog-curl.pcap is a real capture
// (tcpdump on lo) of curl against openssl s_server, made by the same script with --capture-curl.

import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { expectClean } from '../../helpers/problems.js';
import { mulberry32 } from '../../helpers/random.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { defaultAnalyzers } from '../../../src/cli/analyzers.js';
import { rowParts } from '../../../src/output/table.js';
import { newTlsSession, tlsLayer } from '../../../dissectors/tls.js';
import { expandLabel, parseKeyLog, prf, TlsDecryptor } from '../../../src/analysis/tls/decrypt.js';
import type { Frame } from '../../../src/capture/types.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'tls-keylog.pcap');
const KEYS = join(FX, 'tls-keylog.keys');
const KEYLOG = parseKeyLog(readFileSync(KEYS, 'latin1'));

/** Every run reads stream 14 (port 4433) as TLS, as tshark's -d tcp.port==4433,tls. */
const DA = ['--decode-as', 'tcp.port==4433,tls'];

/**
 * Where wiretrace differs from tshark, and why: stream 13 negotiated ALPN h2 and tshark dissects the
 * decrypted HTTP/2 (Protocol HTTP2, Info "Magic, SETTINGS[0]"); wiretrace has no HTTP/2 and leaves the
 * decrypted data as application data.
 */
function excused(frame: number, key: string): boolean {
  return (frame === 224 || frame === 225) && ['_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'tls.app_data_proto'].includes(key);
}

async function compare(tsv: string, extra: string[], pcap = PCAP): Promise<{ bad: string[]; cells: Record<string, number> }> {
  const want = readFileSync(join(FX, tsv), 'utf8').split('\n');
  const keys = want[0].split('\t');
  const r = await runCli(['read', ...DA, '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), ...extra, pcap]);
  expect(r.code).toBe(0);
  const got = r.out.split('\n');
  expect(got.length).toBe(want.length);
  expect(got[0]).toBe(want[0]);
  const bad: string[] = [];
  const cells: Record<string, number> = {};
  for (let i = 1; i < want.length; i++) {
    const t = want[i].split('\t');
    const o = got[i].split('\t');
    for (let k = 0; k < keys.length; k++) {
      if (t[k] !== '' && t[k] !== undefined) cells[keys[k]] = (cells[keys[k]] ?? 0) + 1;
      // frame.protocols too, with the certificates' X.509 protocols (decoded since the x509 branch)
      if (t[k] !== o[k] && !(extra.length > 0 && pcap === PCAP && excused(i, keys[k]))) bad.push(`frame ${i} ${keys[k]}: tshark "${t[k]}" | wiretrace "${o[k]}"`);
    }
  }
  return { bad, cells };
}

describe('TLS decrypted with a key log, as tshark 4.0 shows it', () => {
  it('every frame: columns, frame.protocols, TLS and HTTP fields equal tshark -o tls.keylog_file', async () => {
    const { bad, cells } = await compare('tls-keylog.pcap.tshark.tsv', ['-o', `tls.keylog_file:${KEYS}`]);
    expect(bad).toEqual([]);
    // the comparison is about decryption: decrypted handshakes, HTTP from every session with its keys
    expect(cells['http.request.method']).toBe(14);
    expect(cells['http.response.code']).toBe(14);
    expect(cells['tls.handshake.session_ticket_nonce']).toBe(6); // frames with TLS 1.3 tickets: decrypted only
    expect(cells['tls.segment']).toBe(1); // the 34 kB response from three records
    expect(cells['tls.alert_message.desc']).toBeGreaterThanOrEqual(18); // close_notify, decrypted
  });

  it('a real capture (tcpdump on lo: curl with SSLKEYLOGFILE, openssl s_server; TLS 1.3, 1.2, CBC, a resumed session): every field equal', async () => {
    const { bad, cells } = await compare('tls-keylog-curl.pcap.tshark.tsv', ['-o', `tls.keylog_file:${join(FX, 'tls-keylog-curl.keys')}`], join(FX, 'tls-keylog-curl.pcap'));
    expect(bad).toEqual([]);
    expect(cells['http.request.method']).toBe(4);
    expect(cells['tls.alert_message.desc']).toBe(8);
  });

  it('without the key log the same capture reads as before (tshark without keys)', async () => {
    const { bad } = await compare('tls-keylog.pcap.nokeys.tshark.tsv', []);
    expect(bad).toEqual([]);
  });

  it('the packet table equals tshark\'s (--tls-keylog, the long form of -o tls.keylog_file)', async () => {
    const r = await runCli(['read', ...DA, '--tls-keylog', KEYS, PCAP]);
    expect(r.code).toBe(0);
    const want = readFileSync(join(FX, 'tls-keylog.pcap.tshark.txt'), 'utf8').split('\n');
    const got = r.out.split('\n');
    expect(got.length).toBe(want.length);
    // (the two HTTP/2 rows: see excused())
    expect(got.filter((x, i) => x !== want[i]).map((x) => x.slice(0, 7).trim())).toEqual(['224', '225']);
    expect(r.out).toContain('HTTP 222 GET / HTTP/1.1 \n');
    expect(r.out).toContain('TLSv1.3 1514 [TLS segment of a reassembled PDU]\n');
  });

  it('-z http,tree counts the decrypted requests and responses as tshark does', async () => {
    const r = await runCli(['read', ...DA, '-q', '-z', 'http,tree', '-o', `tls.keylog_file:${KEYS}`, PCAP]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(join(FX, 'tls-keylog.pcap.tshark-http-tree.txt'), 'utf8'));
  });

  it('-Y http and http.* fields; https:// full URIs', async () => {
    const r = await runCli(['read', ...DA, '-Y', 'http.request', '-T', 'fields', '-e', 'frame.number', '-e', 'http.request.full_uri', '-o', `tls.keylog_file:${KEYS}`, PCAP]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('6\thttps://test.example/');
    expect(r.out.trim().split('\n').length).toBe(14);
  });

  it('the tree: the decrypted handshake, the real content type, the HTTP over "Decrypted TLS"', async () => {
    const r = await runCli(['read', '-V', '-x', '-Y', 'frame.number == 6', '-o', `tls.keylog_file:${KEYS}`, PCAP]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').map((x) => x.trim());
    // as `tshark -V` prints them
    for (const want of [
      'TLSv1.3 Record Layer: Handshake Protocol: Finished', 'Opaque Type: Application Data (23)', '[Content Type: Handshake (22)]',
      'Handshake Type: Finished (20)', 'Verify Data', 'TLSv1.3 Record Layer: Application Data Protocol: Hypertext Transfer Protocol',
      '[Content Type: Application Data (23)]', '[Application Data Protocol: Hypertext Transfer Protocol]', 'GET / HTTP/1.1\\r\\n',
      '[Full request URI: https://test.example/]',
    ]) expect(lines).toContain(want);
    expect(r.out).toMatch(/Decrypted TLS \(82 bytes\)/);
  });

  it('the wrong-key and no-key sessions stay encrypted, as without a key log', async () => {
    const r = await runCli(['read', '-T', 'fields', '-e', 'tcp.stream', '-e', '_ws.col.Info', '-o', `tls.keylog_file:${KEYS}`, PCAP]);
    const byStream = new Map<string, string[]>();
    for (const line of r.out.trim().split('\n')) {
      const [s, info] = line.split('\t');
      byStream.set(s, [...(byStream.get(s) ?? []), info]);
    }
    for (const s of ['7', '9']) expect(byStream.get(s)!.filter((x) => /^(Application Data(, )?)+$/.test(x)).length).toBeGreaterThanOrEqual(3); // TLS 1.3
    expect(byStream.get('8')).toContain('Encrypted Alert'); // TLS 1.2, wrong master secret
    expect(byStream.get('8')).toContain('Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
  });
});

describe('the key log options', () => {
  it('an unknown preference, a missing file, a bad -o: one line, non-zero exit', async () => {
    let r = await runCli(['read', '-o', 'tcp.desegment:FALSE', PCAP]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('wiretrace: unknown preference -o tcp.desegment: wiretrace knows tls.keylog_file\n');
    r = await runCli(['read', '-o', 'tls.keylog_file:/no/such/keylog', PCAP]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("wiretrace: cannot read the TLS key log '/no/such/keylog': no such file\n");
    r = await runCli(['read', '-o', 'tls.keylog_file', PCAP]);
    expect(r.code).toBe(2);
    expect(r.out.split('\n').length).toBe(2);
    r = await runCli(['http', '--tls-keylog', '/no/such/keylog', PCAP]);
    expect(r.code).toBe(1);
  });

  it('wiretrace http lists the HTTPS transactions with the key log', async () => {
    const r = await runCli(['http', '-T', 'json', '--tls-keylog', KEYS, PCAP]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { uri: string; status: number; response_body: number }[];
    expect(list.length).toBe(13); // (not the one on port 4433: http has no --decode-as)
    expect(list[0]).toMatchObject({ uri: '/', status: 200, response_body: 34000 });
    const none = await runCli(['http', '-T', 'json', PCAP]);
    expect(JSON.parse(none.out)).toEqual([]);
  });

  it('the key log parser skips comments, other labels and malformed lines', () => {
    const r = 'ab'.repeat(32);
    const log = parseKeyLog([
      '# comment', '', 'not a key log line', `CLIENT_RANDOM ${r} ${'11'.repeat(48)}`, `CLIENT_RANDOM ${r.slice(2)} ${'11'.repeat(48)}`,
      `CLIENT_RANDOM ${'cd'.repeat(32)} ${'11'.repeat(47)}`, `EXPORTER_SECRET ${r} ${'22'.repeat(32)}`, `SERVER_TRAFFIC_SECRET_0 ${r.toUpperCase()} ${'33'.repeat(32)}`,
      `CLIENT_TRAFFIC_SECRET_0 ${r} zz${'33'.repeat(31)}`, `RSA ${'00'.repeat(8)} ${'44'.repeat(48)}`,
    ].join('\r\n'));
    expect([...log.keys()]).toEqual([r]);
    expect(Object.keys(log.get(r)!).sort()).toEqual(['master', 'sts0']);
    expect(KEYLOG.size).toBe(16); // the fixture: 17 sessions, one left out
  });
});

describe('the key derivations', () => {
  it('HKDF-Expand-Label: RFC 8448 (simple 1-RTT handshake), the server handshake key and IV', () => {
    const shts = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
    expect(expandLabel('sha256', shts, 'key', 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(expandLabel('sha256', shts, 'iv', 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
  });

  it('TLS 1.3 KeyUpdate: the direction moves on to the next secret ("traffic upd"), the old keys open nothing more', () => {
    const cr = Buffer.alloc(32, 7);
    const secret = Buffer.alloc(32, 9);
    const d = new TlsDecryptor(parseKeyLog(`CLIENT_TRAFFIC_SECRET_0 ${cr.toString('hex')} ${secret.toString('hex')}\n`));
    d.clientHello(0, cr);
    d.serverHello(1, Buffer.alloc(32, 1), 0x1301, 0x0304, false);
    const seal = (sec: Buffer, seq: number, body: Uint8Array, type: number): Buffer => {
      const key = expandLabel('sha256', sec, 'key', 16);
      const nonce = expandLabel('sha256', sec, 'iv', 12);
      nonce[11] ^= seq;
      const pt = Buffer.concat([body, Buffer.from([type])]);
      const c = createCipheriv('aes-128-gcm', key, nonce);
      c.setAAD(Buffer.from([23, 3, 3, (pt.length + 16) >> 8, (pt.length + 16) & 255]));
      return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
    };
    const ku = Buffer.from([24, 0, 0, 1, 0]); // KeyUpdate, update_not_requested
    const r1 = d.open(0, 23, 0x0303, seal(secret, 0, ku, 22));
    expect(r1?.type).toBe(22);
    const next = expandLabel('sha256', secret, 'traffic upd', 32);
    const r2 = d.open(0, 23, 0x0303, seal(next, 0, Buffer.from('hello'), 23));
    expect(r2 && Buffer.from(r2.plain).toString()).toBe('hello');
    expect(d.open(0, 23, 0x0303, seal(secret, 1, Buffer.from('old'), 23))).toBeNull();
    expect(d.open(0, 23, 0x0303, seal(next, 1, Buffer.from('again'), 23))?.type).toBe(23);
  });

  it('the TLS 1.2 PRF: P_SHA256 as RFC 5246 defines it (HMAC chain)', () => {
    const out = prf('sha256', Buffer.from('secret'), 'label', Buffer.from('seed'), 80);
    expect(out.length).toBe(80);
    // the first block is HMAC(secret, A(1) ‖ label ‖ seed) with A(1) = HMAC(secret, label ‖ seed): the
    // same bytes, however many are asked for
    expect(prf('sha256', Buffer.from('secret'), 'label', Buffer.from('seed'), 32)).toEqual(out.subarray(0, 32));
  });
});

// ---- hostile input ---------------------------------------------------------------------------

function frames(): Frame[] {
  return parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
}

/** The rows of `fs` run through the whole pipeline with the key log; every packet's fields and row are built. */
function run(fs: Frame[]): string[] {
  const reg = defaultRegistry();
  const dis = new Dissection(reg);
  const an = defaultAnalyzers(reg, {}, KEYLOG);
  const rows: string[] = [];
  const pkts = fs.map((f) => {
    const pkt = dis.dissect(f);
    for (const a of an) a.packet(pkt);
    return pkt;
  });
  for (const a of an) a.finish?.();
  for (const pkt of pkts) {
    expectClean(pkt);
    const r = rowParts(pkt.layers);
    rows.push(`${r.protocol} ${r.info}`);
  }
  return rows;
}

describe('decryption and hostile input: nothing throws, what cannot be opened stays encrypted', () => {
  it('a capture that starts after the handshakes: no keys, the records stay encrypted', () => {
    const fs = frames();
    // every session's frames from its first application data on (no hellos seen)
    const late = fs.filter((f) => f.index > 6 && f.index < 36);
    const rows = run(late);
    expect(rows.some((r) => r.startsWith('HTTP'))).toBe(false);
    // …and the sessions after it, whose handshakes are there, decrypt
    expect(run(fs.filter((f) => f.index > 6)).some((r) => r.startsWith('HTTP'))).toBe(true);
    expect(rows.filter((r) => r.includes('Application Data')).length).toBeGreaterThan(0);
  });

  it('segments out of order: TCP puts the records back in order before TLS, and they decrypt', () => {
    const fs = frames();
    // stream 3 (TLS 1.2 GCM): frames 70–73 are GET, 200, POST, 200; the POST's segment before the GET's
    const i = fs.findIndex((f) => f.index === 70);
    const j = fs.findIndex((f) => f.index === 72);
    const copy = fs.slice();
    [copy[i], copy[j]] = [copy[j], copy[i]];
    const rows = run(copy);
    expect(rows.length).toBe(fs.length);
    // the POST's segment waits for the hole; the GET's fills it: both records decrypt there (its row names the last message)
    expect(rows[i]).toMatch(/^TCP .*\[TCP segment of a reassembled PDU\]$/);
    expect(rows[j]).toMatch(/^HTTP .*POST \/form HTTP\/1\.1/);
    expect(rows[j + 1]).toBe('HTTP HTTP/1.1 200 OK  (text/plain)');
  });

  it('records out of order (the POST\'s record before the GET\'s): it does not authenticate and stays encrypted', () => {
    const fs = frames();
    const reg = defaultRegistry();
    const pay = (n: number): Uint8Array => {
      const pkt = new Dissection(reg).dissect(fs[n - 1]);
      const tcp = pkt.layers.find((l) => l.proto === 'tcp')!;
      const d = tcp.d as { payloadStart: number; payloadEnd: number };
      return tcp.buf.slice(d.payloadStart, d.payloadEnd);
    };
    const info = (l: ReturnType<typeof tlsLayer>) => rowParts([l]).info;
    const s = newTlsSession(443);
    s.decrypt = new TlsDecryptor(KEYLOG);
    const go = (n: number, dir: number) => {
      const b = pay(n);
      return tlsLayer(b, 0, b.length, s, dir);
    };
    expect(info(go(4, 0))).toBe('Client Hello');
    expect(info(go(5, 1))).toBe('Server Hello, Change Cipher Spec, Encrypted Extensions, Certificate, Certificate Verify, Finished');
    const post = go(32, 0); // stream 0's POST, its client's third protected record
    expect(info(post)).toBe('Application Data');
    expect(post.d.recs[0].plain).toBeUndefined();
    const get = go(6, 0);
    expect(info(get)).toBe('Change Cipher Spec, Finished, Application Data');
    expect(new TextDecoder().decode(get.d.recs[2].plain!.subarray(0, 14))).toBe('GET / HTTP/1.1');
  });

  it('every prefix of the frames of a session (a capture cut anywhere) and a snaplen cut: no exception', () => {
    const fs = frames().filter((f) => f.index >= 1 && f.index <= 38);
    for (let n = 1; n <= fs.length; n += 3) run(fs.slice(0, n));
    // each frame cut short (caplen < len)
    run(fs.map((f) => (f.data.length > 80 ? { ...f, data: f.data.subarray(0, 60 + (f.index % 40)) } : f)));
  });

  it('mutated payloads (seeded, bounded): flipped bytes in records, lying record lengths', () => {
    const rnd = mulberry32(0x7715);
    const base = frames();
    for (let round = 0; round < 6; round++) {
      const fs = base.map((f) => {
        if (f.data.length <= 54 || rnd() > 0.3) return f;
        const d = Uint8Array.from(f.data);
        for (let k = 0; k < 3; k++) d[54 + Math.floor(rnd() * (d.length - 54))] = Math.floor(rnd() * 256);
        return { ...f, data: d };
      });
      run(fs);
    }
  });

  it('the decryptor alone: garbage fragments, short ones, unknown suites return null', () => {
    const d = new TlsDecryptor(KEYLOG);
    const rnd = mulberry32(99);
    const junk = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
    expect(d.open(0, 23, 0x0303, junk(40))).toBeNull(); // no hello seen
    const cr = Buffer.from([...KEYLOG.keys()][0], 'hex');
    d.clientHello(0, cr);
    for (const [suite, v] of [[0x1301, 0x0304], [0x1302, 0x0304], [0x1303, 0x0304], [0x1304, 0x0304], [0xc02f, 0x0303], [0xcca8, 0x0303], [0xc013, 0x0303], [0xc028, 0x0303], [0x0005, 0x0303], [0x1301, 0x0301]]) {
      for (const etm of [false, true]) {
        d.serverHello(1, junk(32), suite, v, etm);
        d.changeCipherSpec(0);
        d.changeCipherSpec(1);
        for (const n of [0, 1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 64, 100]) {
          for (const t of [21, 22, 23]) {
            expect(d.open(0, t, 0x0303, junk(n))).toBeNull();
            expect(d.open(1, t, 0x0303, junk(n))).toBeNull();
          }
        }
      }
    }
  });

  it('tlsLayer with a decryptor and records cut at every length: truncated records are not opened', () => {
    const fs = frames();
    const reg = defaultRegistry();
    const pkt = new Dissection(reg).dissect(fs[5]); // frame 6: CCS, Finished, application data
    const tcp = pkt.layers.find((l) => l.proto === 'tcp')!;
    const payload = tcp.buf.slice((tcp.d as { payloadStart: number }).payloadStart, (tcp.d as { payloadEnd: number }).payloadEnd);
    for (let n = 1; n <= payload.length; n++) {
      const s = newTlsSession(443);
      s.version = 0x0304;
      s.decrypt = new TlsDecryptor(KEYLOG);
      const l = tlsLayer(payload, 0, n, s, 0);
      expectClean({ frame: pkt.frame, layers: [l] } as typeof pkt);
    }
  });
});
