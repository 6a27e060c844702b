// GRE, enhanced GRE and the PPP it carries (dissectors/gre.ts, dissectors/ppp.ts) against tshark 4.0.17:
// columns, frame.protocols and the gre.* / ppp.* / lcp.* / ipcp.* / ccp.* / chap.* / pap.* keys (plus the
// inner IP/UDP/ICMP ones) of fixtures/gre-ppp.pcap (scripts/gre-fixture.py: GRE with checksum, key and
// sequence number carrying IPv4, IPv6 and Ethernet, GRE in GRE, an unknown protocol type, a header cut by
// the snaplen and one a length cuts; PPTP's enhanced GRE with LCP of every code, IPCP, CCP, CHAP, PAP,
// compressed data, IPv4 in PPP with and without PFC/ACFC, lengths that lie) and of the corpus's
// pcap-usec-be-pptp-gre.pcap, in .tshark.tsv files written by scripts/gre-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { problemsOf } from '../../helpers/problems.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'gre-ppp.pcap');
const CORPUS = join(CORPUS_DIR, 'pcap-usec-be-pptp-gre.pcap');

describe('GRE and PPP as tshark 4.0 shows them', () => {
  it('gre-ppp.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'gre-ppp.pcap.tshark.tsv'), 'utf8');
    expect(want).toContain('ICMP\tEcho (ping) request  id=0x1234, seq=1/256, ttl=64\teth:ethertype:ip:gre:ip:icmp:data\t0xb000\t1\t0\t1\t1\t0\t0\t\t0\t0\t0x0800\t0x43f2\t1\t0\t0x01020304\t');
    expect(want).toContain('\t0xa67f\t0\t');
    expect(want).toContain('UDP\t40000 → 9999 Len=9\teth:ethertype:ip:gre:eth:ethertype:ip:udp:data\t');
    expect(want).toContain('GRE\tEncapsulated 0x1234 (unknown)\teth:ethertype:ip:gre:data\t');
    expect(want).toContain('GRE\tEncapsulated IP[Packet size limited during capture]\teth:ethertype:ip:gre\t');
    expect(want).toContain('GRE\tEncapsulated IP[Malformed Packet]\teth:ethertype:ip:gre\t');
    expect(want).toContain('PPP LCP\tConfiguration Request\teth:ethertype:ip:gre:ppp:lcp\t0x3001\t');
    expect(want).toContain('PPP LCP\tProtocol Reject\teth:ethertype:ip:gre:ppp:lcp:ipv6cp\t');
    expect(want).toContain("PPP CHAP\tChallenge (NAME='server', VALUE=0x000102030405060708090a0b0c0d0e0f)\t");
    expect(want).toContain("PPP PAP\tAuthenticate-Request (Peer-ID='alice', Password='secret')\t");
    expect(want).toContain('PPP Comp\tCompressed data\teth:ethertype:ip:gre:ppp:comp_data\t');
    expect(want).toContain('0x0043\tPPP Ascom Timeplex (0x0043)\teth:ethertype:ip:gre:ppp:data\t');
    expect(want).toContain('PPP LCP\tEcho Request[Malformed Packet]\t');
    expect(want).toContain('PPP LCP\tConfiguration Request[Packet size limited during capture]\t');
    expect(await fieldsOf(PCAP, want)).toBe(want);
  });

  it("the corpus's PPTP capture (GRE / PPP / LCP keys): every cell equal", async () => {
    const want = readFileSync(join(FX, 'gre-corpus.tshark.tsv'), 'utf8');
    expect(want).toContain('PPP LCP\tConfiguration Request\teth:ethertype:ip:gre:ppp:lcp\t0x3001\t0\t0\t1\t1\t0\t0\t0\t0\t1\t0x880b\t\t\t\t\t48\t0\t0\t');
    expect(await fieldsOf(CORPUS, want)).toBe(want);
  });

  it('the tree of the corpus LCP request equals tshark -V', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 16', CORPUS])).out;
    expect(out).toContain(
      [
        'Generic Routing Encapsulation (PPP)',
        '    Flags and Version: 0x3001',
        '        0... .... .... .... = Checksum Bit: No',
        '        .0.. .... .... .... = Routing Bit: No',
        '        ..1. .... .... .... = Key Bit: Yes',
        '        ...1 .... .... .... = Sequence Number Bit: Yes',
        '        .... 0... .... .... = Strict Source Route Bit: No',
        '        .... .000 .... .... = Recursion control: 0',
        '        .... .... 0... .... = Acknowledgment: No',
        '        .... .... .000 0... = Flags (Reserved): 0',
        '        .... .... .... .001 = Version: Enhanced GRE (1)',
        '    Protocol Type: PPP (0x880b)',
        '    Payload Length: 48',
        '    Call ID: 0',
        '    Sequence Number: 0',
        'Point-to-Point Protocol',
        '    Address: 0xff',
        '    Control: 0x03',
        '    Protocol: Link Control Protocol (0xc021)',
        'PPP Link Control Protocol',
        '    Code: Configuration Request (1)',
        '    Identifier: 0 (0x00)',
        '    Length: 44',
        '    Options: (40 bytes), Magic Number, Protocol Field Compression, Address and Control Field Compression, Callback, Multilink MRRU, Multilink Endpoint Discriminator',
        '        Magic Number: 0x021952cf',
        '            Type: Magic Number (5)',
        '            Length: 6',
        '            Magic Number: 0x021952cf',
        '        Protocol Field Compression',
        '            Type: Protocol Field Compression (7)',
        '            Length: 2',
        '        Address and Control Field Compression',
        '            Type: Address and Control Field Compression (8)',
        '            Length: 2',
        '        Callback: Location is determined during CBCP negotiation',
        '            Type: Callback (13)',
        '            Length: 3',
        '            Operation: Location is determined during CBCP negotiation (6)',
        '        Multilink MRRU: 1614',
        '            Type: Multilink MRRU (17)',
        '            Length: 4',
        '            MRRU: 1614',
        '        Multilink Endpoint Discriminator: Class: Locally assigned address',
        '            Type: Multilink Endpoint Discriminator (19)',
        '            Length: 23',
        '            Class: Locally assigned address (1)',
        '            Data: 29f76a9077f1472c835247f271d656070000000c',
      ].join('\n'),
    );
  });

  it('the GRE checksum tree: good, bad (with what it should be), unverified when the snaplen cut the packet', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number <= 7', PCAP])).out;
    expect(out).toContain('    Checksum: 0x43f2 [correct]\n    [Checksum Status: Good]\n    Offset: 0\n    Key: 0x01020304\n    Sequence Number: 7\n');
    expect(out).toContain('    Checksum: 0xa67f incorrect, should be 0xfc25\n');
    expect(out).toContain('    Checksum: 0x47fc [unverified]\n    [Checksum Status: Unverified]\n');
    expect(out).toContain('Generic Routing Encapsulation (0x1234 - unknown)\n');
  });
});

describe('GRE / PPP: every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const frameOf = (b: Uint8Array, origLen = b.length) => ({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen });

  it('every prefix of GRE+IPv4+ICMP and of enhanced GRE+PPP+LCP: no exception, marked as cut', () => {
    for (const fi of [0, 8, 25]) {
      const whole = frames[fi].data;
      const full = new Dissection(reg).dissect(frameOf(whole));
      expect(problemsOf(full)).toEqual([]);
      expect(full.layers.map((l) => l.proto)).toContain('gre');
      for (let n = 1; n < whole.length; n++) {
        const pkt = new Dissection(reg).dissect(frameOf(whole.slice(0, n), whole.length));
        walkFields(pkt.layers, () => undefined);
        rowParts(pkt.layers);
        expect(problemsOf(pkt).some((m) => / truncated: /.test(m)), `frame ${fi + 1} prefix ${n}`).toBe(true);
      }
    }
  });

  it('a GRE header cut by an IP length that lies is malformed, an option length that lies is marked on its byte', () => {
    const p8 = new Dissection(reg).dissect(frames[7]);
    expect(problemsOf(p8).filter((m) => m.startsWith('gre'))).toEqual(['gre malformed: GRE header: needs 12 bytes, only 6 present']);
    expect(rowParts(p8.layers).info).toBe('Encapsulated IP[Malformed Packet]');
    const p36 = new Dissection(reg).dissect(frames[35]);
    const lcp = p36.layers.find((l) => l.proto === 'lcp')!;
    expect(lcp.problems?.map((p) => [p.kind, p.start - lcp.start])).toEqual([['malformed', 4]]);
    expect(rowParts(p36.layers).info).toBe('Configuration Request');
  });

  it('random and mutated GRE/PPP packets (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x47;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const goods = [0, 2, 5, 8, 19, 23, 25, 27, 31].map((i) => frames[i].data);
    for (let i = 0; i < 3000; i++) {
      let p: Uint8Array;
      if (i % 3 === 0) {
        // an IPv4 header for GRE, then random bytes
        p = new Uint8Array(34 + (rnd() % 120));
        p.set(goods[0].subarray(0, 34));
        for (let k = 34; k < p.length; k++) p[k] = rnd();
        if (i % 2 === 0 && p.length >= 38) p.set([0x30, 0x81, 0x88, 0x0b], 34);
      } else {
        p = goods[i % goods.length].slice();
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[34 + (rnd() % (p.length - 34))] = rnd();
      }
      const pkt = new Dissection(reg).dissect(frameOf(p));
      expect(() => {
        walkFields(pkt.layers, () => undefined);
        rowParts(pkt.layers);
      }).not.toThrow();
      expect(problemsOf(pkt).filter((m) => /dissector (failed|error)/.test(m))).toEqual([]);
    }
  });

  it('GRE in GRE as deep as the bytes go stops at the layer limit, without an exception', () => {
    // 40 nested GRE headers (no options, IPv4 type) around nothing: each an IPv4 header + GRE
    const ip = frames[5].data.subarray(14, 34);
    const parts: number[] = [...frames[5].data.subarray(0, 14)];
    for (let i = 0; i < 40; i++) parts.push(...ip, 0, 0, 0x08, 0x00);
    const b = Uint8Array.from(parts);
    const pkt = new Dissection(reg).dissect(frameOf(b));
    expect(pkt.layers.length).toBeLessThanOrEqual(50);
    expect(problemsOf(pkt).filter((m) => /dissector (failed|error)/.test(m))).toEqual([]);
  });
});
