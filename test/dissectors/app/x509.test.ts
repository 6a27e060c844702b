// X.509 certificates in TLS Certificate messages (src/dissect/x509.ts, called by dissectors/tls.ts) against
// tshark 4.0.17. fixtures/x509-certificates.pcap (scripts/x509-fixture.py, certificates from
// scripts/x509-certs.sh in fixtures/x509/) holds three TLS 1.2 handshakes: a chain of an RSA leaf with every
// extension tested (SAN DNS/IP/email/URI, KeyUsage, EKU, AIA, CRL DP, certificatePolicies with a CPS, SKI,
// AKI, an unknown extension; UTF-8 subject with an emailAddress), an EC P-256 intermediate (CA, pathlen 0)
// and an RSA root valid to 2066 (generalizedTime); an EC P-384 leaf with PrintableString names in a flight
// cut over 3 segments; a v1 certificate and an Ed25519 one, and a client's Certificate; a certificate with
// nameConstraints, policyConstraints, inhibitAnyPolicy, TLS feature, a Netscape comment, a user notice, an
// SCT list (TLS's fields), otherName/directoryName/registeredID names. scripts/x509-fixture.sh wrote
// tshark's side: every x509 key, the columns and frame.protocols (.tshark.tsv), -V of frames 5, 25 and 34,
// io,phs; and the same keys for the corpus's MariaDB STARTTLS certificate frame.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';
import { mulberry32 } from '../../helpers/random.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import type { Field } from '../../../src/dissect/types.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { newTlsSession, tls, tlsLayer } from '../../../dissectors/tls.js';
import { defaultAnalyzers } from '../../../src/cli/analyzers.js';
import { oidName, oidText, x509Certificate, X509_FIELD_KEYS, X509_MAX_ITEMS } from '../../../src/dissect/x509.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'x509-certificates.pcap');

function cells(want: string, got: string): { bad: string[]; x509: number } {
  const w = want.split('\n'), g = got.split('\n');
  expect(g.length).toBe(w.length);
  const keys = w[0].split('\t');
  const bad: string[] = [];
  let x509 = 0;
  for (let i = 1; i < w.length; i++) {
    const t = w[i].split('\t'), o = g[i].split('\t');
    for (let k = 0; k < keys.length; k++) {
      if (/^(x509|pkcs1|pkix)/.test(keys[k]) && t[k] !== '') x509++;
      if (t[k] !== o[k]) bad.push(`row ${i} ${keys[k]}: tshark "${t[k]}" | wiretrace "${o[k]}"`);
    }
  }
  return { bad, x509 };
}

function der(name: string): Uint8Array {
  const pem = readFileSync(join(FX, 'x509', `${name}.pem`), 'utf8');
  return Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}
const CERTS = ['leaf', 'inter', 'root', 'p384', 'v1', 'ed', 'more'].map(der);

function walk(fs: readonly Field[], f: (x: Field) => void): void {
  for (const x of fs) {
    f(x);
    if (x.children) walk(x.children, f);
  }
}

/** The Certificates block of a -V text (the lines under "Certificates (N bytes)"), one per certificate message. */
function certLines(text: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const l of text.split('\n')) {
    if (/^ {12}Certificates \(/.test(l)) inside = true;
    else if (inside && !l.startsWith(' '.repeat(16))) inside = false;
    if (inside) out.push(l);
  }
  return out;
}

describe('X.509 as tshark 4.0 shows it', () => {
  it('the fixture: every x509 key, the columns, frame.protocols and the SCT keys of all 37 frames equal tshark', async () => {
    const want = readFileSync(`${PCAP}.tshark.tsv`, 'utf8');
    const { bad, x509 } = cells(want, await fieldsOf(PCAP, want));
    expect(bad).toEqual([]);
    expect(x509).toBeGreaterThan(200);
    // the keys the brief names, present
    expect(want).toContain('wiretrace.test,*.wiretrace.test');
    expect(want).toContain('Nov 17, 2066 20:52:56.000000000 UTC');
  });

  it("the corpus's MariaDB certificate frame (pcapng-eth-sll-comments.pcapng, -Y tls) equals tshark", async () => {
    const f = join(FX, 'x509-corpus-pcapng-eth-sll-comments.pcapng.tshark.tsv');
    const want = readFileSync(f, 'utf8');
    const keys = want.split('\n')[0].split('\t');
    const r = await runCli(['read', '-Y', 'tls', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), join(CORPUS_DIR, 'pcapng-eth-sll-comments.pcapng')]);
    expect(r.code).toBe(0);
    const { bad, x509 } = cells(want, r.out);
    expect(bad).toEqual([]);
    expect(x509).toBeGreaterThan(20);
    expect(want).toContain('eth:ethertype:ip:tcp:tls:x509sat:x509sat:x509ce');
  });

  for (const n of [5, 25, 34]) {
    it(`the tree of frame ${n}'s certificates is tshark -V's, line for line`, async () => {
      const want = certLines(readFileSync(`${PCAP}.frame${n}.tshark.txt`, 'utf8'));
      const r = await runCli(['read', '-V', '-Y', `frame.number == ${n}`, PCAP]);
      expect(r.code).toBe(0);
      expect(want.length).toBeGreaterThan(90);
      expect(certLines(r.out)).toEqual(want);
    });
  }

  it('-z io,phs: the X.509 protocols are inside TLS (and tcp.segments before the record the segment starts)', async () => {
    const r = await runCli(['read', '-q', '-z', 'io,phs', PCAP]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(`${PCAP}.tshark-phs.txt`, 'utf8'));
  });

  it('display filters and -T fields on the x509 keys', async () => {
    const q = async (f: string) => (await runCli(['read', '-Y', f, '-T', 'fields', '-e', 'frame.number', PCAP])).out;
    expect(await q('x509ce.dNSName == "wiretrace.test"')).toBe('5\n26\n');
    expect(await q('x509sat.printableString contains "Old"')).toBe('25\n');
    expect(await q('pkcs1.namedCurve')).toBe('5\n16\n');
    expect(await q('x509ce.IPAddress.ipv4 == 192.0.2.1')).toBe('5\n26\n');
    expect(await q('x509ce.cA && x509ce.pathLenConstraint == 0')).toBe('5\n');
    expect(await q('frame.protocols contains "pkix1implicit"')).toBe('5\n26\n34\n');
    expect(await q('tls.sct.sct_version == 0 && x509ce.type_id')).toBe('34\n');
    // tshark's X.509 protocol names are filter names with no item of their own: valid, matching nothing
    expect(await q('x509sat || x509ce || pkix1implicit')).toBe('');
    const r = await runCli(['read', '-Y', 'frame.number == 16', '-T', 'fields', '-e', 'x509af.notAfter', '-e', 'x509af.generalizedTime', '-e', 'x509sat.uTF8String', PCAP]);
    expect(r.out).toBe('0,1\tNov 17, 2066 20:52:56.000000000 UTC\tWiretrace Test,Wiretrace Root CA,Wiretrace Test,Wiretrace Root CA,Wiretrace Test,Wiretrace Root CA\n');
  });

  it('the plain table parses no certificate (TLS fields and frame.protocols are not built); fields do', async () => {
    const fields = tls.fields, part = tls.protocolsPart!;
    let n = 0;
    tls.fields = (l) => (n++, fields(l));
    tls.protocolsPart = (l) => (n++, part(l));
    try {
      const r = await runCli(['read', PCAP]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Server Hello, Certificate, Server Hello Done');
      expect(n).toBe(0);
      await runCli(['read', '-T', 'fields', '-e', 'x509ce.dNSName', PCAP]);
      expect(n).toBeGreaterThan(0);
    } finally {
      tls.fields = fields;
      tls.protocolsPart = part;
    }
  });

  it('every key it emits is declared (for -e and filters), and OIDs read as tshark names them', () => {
    const keys = new Set(X509_FIELD_KEYS);
    for (const c of CERTS) walk(x509Certificate(c, 0, c.length).fields, (f) => {
      if (f.key !== '') expect(keys.has(f.key), f.key).toBe(true);
    });
    expect(oidText(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), 0, 9)).toBe('1.2.840.113549.1.1.11');
    expect(oidName('1.2.840.113549.1.1.11')).toBe('sha256WithRSAEncryption');
    expect(oidName('1.3.6.1.4.1.55555.2')).toBe('iso.3.6.1.4.1.55555.2');
    expect(oidName('2.23.140.1.2.1')).toBe('joint-iso-itu-t.23.140.1.2.1');
    expect(oidText(Uint8Array.from([0x2a, 0x86]), 0, 2)).toBe(''); // an arc cut short
  });
});

describe('a TLS 1.3 Certificate message (once decrypted: request context, extensions per certificate)', () => {
  it('its certificates are found and dissected, and frame.protocols gets their part', () => {
    const cert = CERTS[0];
    const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
    const entry = [...u24(cert.length), ...cert, 0, 0];
    const body = [0, ...u24(entry.length), ...entry];
    const hs = [11, ...u24(body.length), ...body];
    const rec = Uint8Array.from([22, 3, 3, hs.length >> 8, hs.length & 0xff, ...hs]);
    const sess = newTlsSession();
    sess.version = 0x0304;
    const l = tlsLayer(rec, 0, rec.length, sess, 0);
    const keys: string[] = [];
    walk(l.fields(), (f) => keys.push(f.key));
    expect(keys).toContain('tls.handshake.certificate_request_context_length');
    expect(keys.filter((k) => k === 'x509ce.dNSName').length).toBe(2);
    expect(keys).toContain('tls.handshake.extensions_length');
    expect(tls.protocolsPart!(l)).toMatch(/^tls:x509sat:.*:x509ce$/);
    // the same bytes read as TLS 1.2 (no context byte): no certificate, no exception
    const l12 = tlsLayer(rec, 0, rec.length, newTlsSession(), 0);
    expect(() => walk(l12.fields(), () => undefined)).not.toThrow();
  });
});

describe('X.509 on hostile bytes', () => {
  it('every prefix of every certificate: no exception, fields as far as the bytes go, an error line at the cut', () => {
    for (const c of CERTS) {
      for (let k = 0; k < c.length; k++) {
        const r = x509Certificate(c, 0, k);
        let n = 0, errors = 0;
        walk(r.fields, (f) => (n++, f.label.startsWith('BER Error') && errors++));
        if (k > 0) expect(errors, `prefix ${k}`).toBeGreaterThan(0);
        expect(n).toBeGreaterThan(0);
      }
    }
  });

  it('seeded random mutations of the certificates: no exception, every field inside the bytes', () => {
    const rnd = mulberry32(0x509);
    const outside: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const c = Uint8Array.from(CERTS[i % CERTS.length]);
      for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) c[Math.floor(rnd() * c.length)] = Math.floor(rnd() * 256);
      const r = x509Certificate(c, 0, c.length);
      walk(r.fields, (f) => {
        if (f.start < 0 || f.start + f.len > c.length) outside.push(`${i} ${f.key || f.label} ${f.start}+${f.len}`);
      });
    }
    expect(outside).toEqual([]);
  });

  it('a length that lies, an indefinite length, a length of 5 octets: an error line, no exception', () => {
    const c = Uint8Array.from(CERTS[4]);
    c[2] = 0xff; // the outer SEQUENCE claims more than there is
    expect(x509Certificate(c, 0, c.length).fields.map((f) => f.label)).toEqual(['BER Error: length past the end of its container']);
    expect(x509Certificate(Uint8Array.from([0x30, 0x80, 0, 0]), 0, 4).fields[0].label).toBe('BER Error: indefinite length');
    expect(x509Certificate(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1]), 0, 7).fields[0].label).toBe('BER Error: length of 5 octets');
    expect(x509Certificate(new Uint8Array(0), 0, 0).fields[0].label).toBe('BER Error: no identifier octet');
  });

  it('huge counts are bounded: 100,000 SAN names and 100,000 RDNs', () => {
    const len = (n: number) => (n < 0x80 ? [n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
    const tlv = (tag: number, body: number[]) => [tag, ...len(body.length), ...body];
    const manyNames: number[] = [];
    for (let i = 0; i < 100000; i++) manyNames.push(0x82, 1, 0x61);
    const oid = (b: number[]) => tlv(6, b);
    const san = tlv(0x30, [...oid([0x55, 0x1d, 0x11]), ...tlv(4, tlv(0x30, manyNames))]);
    const rdns: number[] = [];
    for (let i = 0; i < 100000; i++) rdns.push(0x31, 0);
    const alg = tlv(0x30, [...oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]), 5, 0]);
    const tbs = tlv(0x30, [...tlv(0xa0, tlv(2, [2])), ...tlv(2, [1]), ...alg, ...tlv(0x30, rdns), ...tlv(0x30, []), ...tlv(0x30, []), ...tlv(0x30, []), ...tlv(0xa3, tlv(0x30, san))]);
    const cert = Uint8Array.from(tlv(0x30, [...tbs, ...alg, ...tlv(3, [0, 1])]));
    const t0 = Date.now();
    const r = x509Certificate(cert, 0, cert.length);
    expect(Date.now() - t0).toBeLessThan(2000);
    let n = 0, names = 0;
    walk(r.fields, (f) => (n++, f.key === 'x509ce.dNSName' && names++));
    expect(n).toBeLessThan(25000);
    expect(names).toBeLessThanOrEqual(X509_MAX_ITEMS);
    expect(r.protos.length).toBeLessThanOrEqual(X509_MAX_ITEMS + 10);
  });

  it("the capture with bytes of its certificate frames mutated (seeded), through the whole chain: clean", () => {
    const bytes = readFileSync(PCAP);
    const rnd = mulberry32(0xce57);
    for (let round = 0; round < 40; round++) {
      const { frames } = parseCaptureBuffer(new Uint8Array(bytes));
      const reg = defaultRegistry();
      const analyzers = defaultAnalyzers(reg);
      const dis = new Dissection(reg);
      for (const f of frames) {
        if (f.data.length > 500) for (let k = 0; k < 8; k++) f.data[200 + Math.floor(rnd() * (f.data.length - 200))] = Math.floor(rnd() * 256);
        const p = dis.dissect(f);
        for (const a of analyzers) a.packet(p);
        expectClean(p);
        walkFields(p.layers, () => undefined);
      }
    }
  });
});
