// LDAP (RFC 4511) on TCP port 389 (dissectors/ldap.ts, BER in src/dissect/ber.ts, reassembled in
// src/analysis/http/app.ts) against tshark 4.0.17: columns, frame.protocols and ldap.* keys of
// fixtures/ldap-session.pcap (scripts/ldap-fixture.py: binds, searches with compound and substring
// filters, entries split over segments and two in one segment, modify/add/delete/modDN/compare, an
// error result, a referral, abandon, extended requests, StartTLS, damaged messages) and of the corpus's
// LDAP rows (a rootDSE search over IPv6, a GSS-SPNEGO bind, SASL GSS-API integrity buffers), in
// .tshark.tsv files written by scripts/ldap-fixture.sh; the tree of one frame against tshark -V.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { berMessageLength, isBerError, readTlv } from '../../../src/dissect/ber.js';
import { ldapLayer, ldapSaslLayer, newLdapSession } from '../../../dissectors/ldap.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const CAP = join(FX, 'ldap-session.pcap');
const fixtureFrames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames as Frame[];
/** The TCP payload of a fixture frame (Ethernet + IPv4 + TCP without options). */
const payloadOf = (n: number): Uint8Array => fixtureFrames[n - 1].data.slice(54);

async function fieldsOf(capture: string, want: string, ...extra: string[]): Promise<string[]> {
  const keys = want.split('\n')[0].split('\t');
  const r = extra.length === 0 ? await fieldsLike(capture, want) : await runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), ...extra, capture]);
  expect(r.code).toBe(0);
  return r.out.split('\n');
}

function noDissectorErrors(layers: readonly { problems: { message: string }[] | null }[]): void {
  for (const l of layers) for (const p of l.problems ?? []) expect(p.message).not.toMatch(/dissector (failed|error)/);
}

describe('LDAP as tshark 4.0 shows it', () => {
  it('ldap-session.pcap: every cell equal but the indefinite-length message tshark accepts', async () => {
    const want = readFileSync(join(FX, 'ldap-session.pcap.tshark.tsv'), 'utf8');
    const exp = want.split('\n');
    const got = await fieldsOf(CAP, want);
    expect(got.length).toBe(exp.length);
    // frame 36 is 30 80 02 01 01 42 00 00 00: tshark reads the indefinite length; this reader rejects
    // indefinite lengths (RFC 4511 §5.1 forbids them) and marks the message malformed
    expect(exp[36].split('\t').slice(0, 3)).toEqual(['LDAP', 'unbindRequest(1) ', 'eth:ethertype:ip:tcp:ldap']);
    expect(got[36].split('\t').slice(0, 3)).toEqual(['LDAP', '[Malformed Packet]', 'eth:ethertype:ip:tcp:ldap']);
    got[36] = exp[36];
    expect(got).toEqual(exp);
    for (const s of [
      'bindRequest(1) "cn=admin,dc=example,dc=org" simple ',
      'searchResEntry(2) "cn=carol,dc=example,dc=org"  | searchResDone(2) success  [3 results]',
      'searchResRef(3)  | searchResDone(3) noSuchObject (no such entry)  [3 results]',
      'modifyResponse(4) insufficientAccessRights (access denied) ',
      'abandonRequest(3) ',
      'extendedReq(10) LDAP_START_TLS_OID ',
      'searchRequest(2) "dc=x" [Malformed Packet]',
      'unbindRequest(4) [Malformed Packet]',
    ]) {
      expect(want).toContain(s);
    }
  });

  it("the corpus's LDAP rows (rootDSE search over IPv6, SASL binds and integrity buffers): equal but the Kerberos layers of the bind", async () => {
    const want = readFileSync(join(FX, 'ldap-corpus.tshark.tsv'), 'utf8');
    const exp = want.split('\n');
    const got = await fieldsOf(join(CORPUS_DIR, 'pcapng-126if-nrb-vlan-ipv6-tcp.pcapng'), want, '-Y', 'ldap');
    expect(exp[1].split('\t').slice(0, 2)).toEqual(['LDAP', 'searchRequest(5) "<ROOT>" baseObject ']);
    expect(exp[2].split('\t').slice(0, 3)).toEqual(['LDAP', 'searchResEntry(5) "<ROOT>"  | searchResDone(5) success  [1 result]', 'eth:ethertype:vlan:ethertype:ipv6:tcp:ldap:ldap']);
    expect(exp[5]).toContain('SASL GSS-API Integrity: modifyRequest(8) "CN=DESKTOP-6AJTBQM,CN=Computers,DC=ad2024,DC=weberlab,DC=de" ');
    // rows 3 and 4 (the GSS-SPNEGO bind and its response): tshark decodes the SPNEGO/Kerberos tokens in
    // the credentials (frame.protocols …:ldap:gss-api:spnego:spnego-krb5); they stay bytes here
    for (const i of [3, 4]) {
      const e = exp[i].split('\t');
      const g = got[i].split('\t');
      expect(e[2]).toMatch(/:ldap:(gss-api:)?spnego:spnego-krb5$/);
      expect(g[2]).toBe('eth:ethertype:vlan:ethertype:ipv6:tcp:ldap');
      g[2] = e[2];
      got[i] = g.join('\t');
    }
    expect(got).toEqual(exp);
  });

  it('the tree of a search with a substring filter, an extensible match and a paged-results control equals tshark -V', async () => {
    const want = readFileSync(join(FX, 'ldap-session.pcap.frame10.tshark.txt'), 'utf8');
    const tree = want.slice(want.indexOf('Lightweight Directory Access Protocol')).trimEnd();
    expect(tree).toContain('Filter: (&(&(&(&(cn=ab*cd*ef)(sn=*son))(uid<=9))(o~=acme))(cn:dn:2.5.13.2:=Fred))');
    const r = await runCli(['read', '-V', '-Y', 'frame.number == 10', CAP]);
    expect(r.out.slice(r.out.indexOf('Lightweight Directory Access Protocol')).trimEnd()).toBe(tree);
  });
});

describe('BER bounds', () => {
  const b = (...xs: number[]) => new Uint8Array(xs);

  it('short and long definite lengths, the header cut (0), indefinite and reserved lengths and long tags (-1 / bad)', () => {
    expect(berMessageLength(b(0x30, 0x03, 2, 1, 1))).toBe(5);
    expect(berMessageLength(b(0x30, 0x82, 0x01, 0x00))).toBe(4 + 256);
    expect(berMessageLength(b(0x30))).toBe(0);
    expect(berMessageLength(b(0x30, 0x82, 0x01))).toBe(0);
    expect(berMessageLength(b(0x30, 0x80, 2, 1, 1, 0, 0))).toBe(-1);
    expect(berMessageLength(b(0x30, 0xff))).toBe(-1);
    expect(berMessageLength(b(0x30, 0x85, 1, 1, 1, 1, 1))).toBe(-1);
    const t = readTlv(b(0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00), 0, 7);
    expect(isBerError(t) && t.err === 'bad').toBe(true);
    const hi = readTlv(b(0x9f, 0x81, 0x00, 0x00), 0, 4);
    expect(!isBerError(hi) && hi.cls === 2 && hi.tag === 128 && hi.vend === 4).toBe(true);
    const short = readTlv(b(0x04, 0x05, 0x61), 0, 3);
    expect(!isBerError(short) && short.short).toBe(true);
  });

  it('filters nested past the depth bound: a malformed problem, no exception, no runaway', () => {
    // searchRequest with a filter of 5000 nested NOTs
    let f = new Uint8Array([0x87, 1, 0x61]);
    for (let i = 0; i < 5000; i++) {
      const n = f.length;
      const len = n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255];
      f = new Uint8Array([0xa2, ...len, ...f]);
    }
    const tail = [0x04, 0, 0x0a, 1, 0, 0x0a, 1, 0, 0x02, 1, 0, 0x02, 1, 0, 0x01, 1, 0];
    const body = new Uint8Array([...tail, ...f, 0x30, 0]);
    const enc = (tag: number, v: Uint8Array) => {
      const n = v.length;
      const len = n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255];
      return new Uint8Array([tag, ...len, ...v]);
    };
    const msg = enc(0x30, new Uint8Array([0x02, 1, 7, ...enc(0x63, body)]));
    const l = ldapLayer(msg, 0, msg.length, [{ start: 0, end: msg.length, results: 0, responseTo: 0, dt: 0n }]);
    expect(l.dis.info!(l, [])).toBe('searchRequest(7) "<ROOT>" baseObject ');
    l.fields();
    expect(l.problems?.some((p) => p.kind === 'malformed' && /filter/.test(p.message))).toBe(true);
    noDissectorErrors([l]);
  });
});

/** A segment of client 10.0.0.1:cport ↔ server 10.0.0.2:389. */
function seg(index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame {
  const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
  const at = toServer ? 36 : 34;
  f.data[at] = 389 >> 8;
  f.data[at + 1] = 389 & 255;
  return f;
}

describe('LDAP: prefixes and random bytes', () => {
  const KEYS = ['ldap.messageID', 'ldap.protocolOp', 'ldap.filter', 'ldap.AttributeValue', 'ldap.resultCode'];
  // bind, search (compound filter), two entries, the split entry and done, the substring search, referral
  const good = [4, 5, 6, 7, 10, 11, 12, 14, 18, 20, 23, 24].map(payloadOf);

  it('every prefix of each good message (a message cut by the stream end): no exception, malformed, never a dissector error', () => {
    let conn = 0;
    for (const p of good) {
      for (let n = 1; n < p.length; n++) {
        const cport = 30000 + (conn++ % 20000);
        const frames: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
        frames.push(seg(4, true, cport, PSH | ACK, 100, 500, p.subarray(0, n)));
        frames.push(seg(5, true, cport, 0x11, 100 + n, 500));
        frames.push(seg(6, false, cport, 0x11, 500, 101 + n));
        const { rows, pkts } = runFrames(frames, KEYS);
        expect(rows.length).toBe(6);
        for (const pkt of pkts) noDissectorErrors(pkt.layers);
      }
      // the message read alone with an end that cuts it: a malformed problem, never a throw (a prefix that
      // holds the segment's first message whole is not cut)
      for (let n = 2; n < p.length; n++) {
        const l = ldapLayer(p, 0, n, [{ start: 0, end: n, results: 0, responseTo: 0, dt: 0n }]);
        l.fields();
        const m = berMessageLength(p.subarray(0, n));
        const whole = m > 0 && m <= n;
        expect(l.problems?.some((x) => x.kind === 'malformed') ?? false).toBe(!whole);
        noDissectorErrors([l]);
      }
    }
  });

  it('random and mutated bytes on port 389 (seeded, bounded): no exception, never a dissector error', () => {
    let seed = 0x389;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let conn = 0; conn < 150; conn++) {
      const cport = 20000 + conn;
      const frames: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      for (let k = 0; k < 6; k++) {
        const toServer = rnd() % 2 === 0;
        let p: Uint8Array;
        if (rnd() % 2 === 0) {
          // a good message with a few bytes changed
          p = good[rnd() % good.length].slice();
          for (let m = 1 + (rnd() % 4); m > 0; m--) p[rnd() % p.length] = rnd();
        } else {
          p = new Uint8Array(1 + (rnd() % 80));
          for (let i = 0; i < p.length; i++) p[i] = rnd();
          if (rnd() % 2 === 0) {
            p[0] = 0x30;
            p[1] = Math.min(127, p.length - 2);
          }
        }
        frames.push(seg(frames.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p));
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(frames, KEYS);
      expect(rows.length).toBe(frames.length);
      for (const pkt of pkts) noDissectorErrors(pkt.layers);
    }
  });

  it('SASL buffers with random tokens: no exception', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 500; i++) {
      const p = new Uint8Array(4 + (rnd() % 60));
      for (let k = 4; k < p.length; k++) p[k] = rnd();
      if (i % 2 === 0 && p.length > 8) {
        p[4] = 5;
        p[5] = 4;
      }
      p[3] = p.length - 4;
      const l = ldapSaslLayer(newLdapSession(), p, 0, p.length, 1, 0n);
      l.fields();
      noDissectorErrors([l]);
    }
  });
});
