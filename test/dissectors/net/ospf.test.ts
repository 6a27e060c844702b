// OSPF (dissectors/ospf.ts) against tshark 4.0.17: columns, frame.protocols and the ospf.* keys of
// fixtures/routing.pcap (scripts/routing-fixture.py: OSPFv2 Hello with no / simple / cryptographic auth, DB
// Description with its flag bits and LSA headers, LS Request, LS Update with router, network, summary, ASBR
// summary and AS-external LSAs, LS Acknowledge, a packet cut by the snaplen in its body and in its header, a
// packet length that lies, an LSA count that lies, an unknown type; OSPFv3 Hello, DB Description, LS Request,
// LS Update with router and network LSAs, LS Acknowledge; an LLS data block; NSSA, group membership and opaque
// LSAs; OSPFv3 inter-area prefix / router, AS-external, link and intra-area-prefix LSAs) and of the corpus's OSPFv3 capture (behind IPv6
// extension headers and AH), in .tshark.tsv files written by scripts/routing-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { expectClean, problemsOf } from '../../helpers/problems.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'routing.pcap');
const CORPUS = join(CORPUS_DIR, 'ipv6-options-ospf-icmpv6-mld.pcapng');

describe('OSPF as tshark 4.0 shows it', () => {
  it('routing.pcap: every cell equal (OSPFv2 and OSPFv3, every message type, auth, LSAs, cut and lying packets)', async () => {
    const want = readFileSync(join(FX, 'routing-ospf.tshark.tsv'), 'utf8');
    expect(want).toContain('OSPF\tHello Packet\teth:ethertype:ip:ospf\t2\t1\t52\t1.1.1.1\t0.0.0.0\t0xdc87\t0\t0000000000000000\t');
    expect(want).toContain('\t1\t\tsecret\t');
    expect(want).toContain('\t0x0000\t2\t\t\t7\t16\t1600000000\ta0a1a2a3a4a5a6a7a8a9aaabacadaeaf\t');
    expect(want).toContain('\t1,2,3,4,5,5\t1,1,30,1,1,3600\t0,0,1,0,0,0\t');
    expect(want).toContain('\t10.0.0.0,2.2.2.2,192.168.1.0\t10.0.0.1,10.0.12.1,255.255.255.0\t2,1,3\t0,1,0\t10,64,1\t0,0,0,0\t100\t');
    expect(want).toContain('\t255.255.255.0,255.255.255.128\t1,0\t10.0.0.9,0.0.0.0\t77,0\t');
    expect(want).toContain('OSPF\tLS Update[Packet size limited during capture]\teth:ethertype:ip:ospf\t2\t4\t92\t');
    expect(want).toContain('OSPF\tHello Packet[Packet size limited during capture]\teth:ethertype:ip:ospf\t2\t1\t44\t1.1.1.1\t0.0.0.0\t0xe699\t\t');
    expect(want).toContain('OSPF\tHello Packet[Malformed Packet]\teth:ethertype:ip:ospf\t2\t1\t80\t');
    expect(want).toContain('OSPF\tLS Update[Malformed Packet]\t');
    expect(want).toContain('OSPF\tUnknown (9)\teth:ethertype:ip:ospf:data\t');
    expect(want).toContain('\t0x2001,0x2002\t0,0\t0,0\t0x0001,0x0001\t1,2\t');
    expect(want).toContain('\t2,1\t5,5\t5,7\t2.2.2.2,1.1.1.1\t2.2.2.2,1.1.1.1\t');
    // the LLS block (frame 28), NSSA / group membership / opaque LSAs (29), OSPFv3 prefix LSAs (30)
    expect(want).toContain('\t0x0000\t12\t1\t4\t0x00000001\t0\t1\t10.0.0.1\t');
    expect(want).toContain('\t1\t1\t1\t200\t1\t');
    expect(want).toContain('\t64,48,64,64,128\t0x02,0x00,0x00,0x00,0x02\t');
    expect(want).toContain('\t2001:db8:a::,2001:db8:bad::,2001:db8:c::,2001:db8:d::,2001:db8:d::1\t7.7.7.7\t0x07\t1\t1\t1\t0x0000,0x2001\t2001:db8::99\t1234\t0.0.0.0\t2.2.2.2\t1\tfe80::2\t1,2\t');
    expect(await fieldsOf(PCAP, want)).toBe(want);
  });

  it("the corpus's OSPFv3 Hellos behind IPv6 extension headers and AH: every cell equal", async () => {
    const want = readFileSync(join(FX, 'routing-ospf-corpus.tshark.tsv'), 'utf8');
    expect(want).toContain('OSPF\tHello Packet\teth:ethertype:ipv6:ipv6.hopopts:ipv6.dstopts:ipv6.routing:ah:ospf\t3\t1\t40\t2.2.2.2\t0.0.0.1\t0xf173\t');
    expect(want.split('\n').filter((r) => r.startsWith('OSPF\t'))).toHaveLength(2);
    expect(await fieldsOf(CORPUS, want)).toBe(want);
  });

  it('the tree of the corpus OSPFv3 Hello equals tshark -V', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 4', CORPUS])).out;
    expect(out).toContain(
      [
        'Open Shortest Path First',
        '    OSPF Header',
        '        Version: 3',
        '        Message Type: Hello Packet (1)',
        '        Packet Length: 40',
        '        Source OSPF Router: 2.2.2.2',
        '        Area ID: 0.0.0.1',
        '        Checksum: 0xf173 [correct]',
        '        Instance ID: IPv6 unicast AF (0)',
        '        Reserved: 00',
        '    OSPF Hello Packet',
        '        Interface ID: 5',
        '        Router Priority: 1',
        '        Options: 0x000013, R, E, V6',
        '            .... .... .... .0.. .... .... = AT: Not set',
        '            .... .... .... ..0. .... .... = L: Not set',
        '            .... .... .... ...0 .... .... = AF: Not set',
        '            .... .... .... .... ..0. .... = DC: Not set',
        '            .... .... .... .... ...1 .... = R: Set',
        '            .... .... .... .... .... 0... = N: Not set',
        '            .... .... .... .... .... .0.. = MC: Not set',
        '            .... .... .... .... .... ..1. = E: Set',
        '            .... .... .... .... .... ...1 = V6: Set',
        '        Hello Interval [sec]: 10',
        '        Router Dead Interval [sec]: 40',
        '        Designated Router: 2.2.2.2',
        '        Backup Designated Router: 1.1.1.1',
        '        Active Neighbor: 1.1.1.1',
      ].join('\n'),
    );
  });

  it("the tree of an OSPFv2 router LSA equals tshark -V (flags, links, a TOS metric)", async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 7', PCAP])).out;
    expect(out).toContain(
      [
        '    LS Update Packet',
        '        Number of LSAs: 6',
        '        LSA-type 1 (Router-LSA), len 64',
        '            .000 0000 0000 0001 = LS Age (seconds): 1',
        '            0... .... .... .... = Do Not Age Flag: 0',
        '            Options: 0x22, (DC) Demand Circuits, (E) External Routing',
        '                0... .... = DN: Not set',
        '                .0.. .... = O: Not set',
        '                ..1. .... = (DC) Demand Circuits: Supported',
        '                ...0 .... = (L) LLS Data block: Not Present',
        '                .... 0... = (N) NSSA: Not supported',
        '                .... .0.. = (MC) Multicast: Not capable',
        '                .... ..1. = (E) External Routing: Capable',
        '                .... ...0 = (MT) Multi-Topology Routing: No',
        '            LS Type: Router-LSA (1)',
        '            Link State ID: 1.1.1.1',
        '            Advertising Router: 1.1.1.1',
        '            Sequence Number: 0x80000001',
        '            Checksum: 0x1996',
        '            Length: 64',
        '            Flags: 0x03, (E) AS boundary router, (B) Area border router',
        '                0... .... = (H) flag: No',
        '                ...0 .... = (N) flag: No',
        '                .... 0... = (W) Wild-card multicast receiver: No',
        '                .... .0.. = (V) Virtual link endpoint: No',
        '                .... ..1. = (E) AS boundary router: Yes',
        '                .... ...1 = (B) Area border router: Yes',
        '            Number of Links: 3',
        '            Type: Transit  ID: 10.0.0.0        Data: 10.0.0.1        Metric: 10',
        '                Link ID: 10.0.0.0 - IP address of Designated Router',
        '                Link Data: 10.0.0.1',
        '                Link Type: 2 - Connection to a transit network',
        '                Number of Metrics: 0 - TOS',
        '                0 Metric: 10',
        '            Type: PTP      ID: 2.2.2.2         Data: 10.0.12.1       Metric: 64',
        "                Link ID: 2.2.2.2 - Neighboring router's Router ID",
        '                Link Data: 10.0.12.1',
        '                Link Type: 1 - Point-to-point connection to another router',
        '                Number of Metrics: 1 - TOS',
        '                0 Metric: 64',
        '                TOS: 8, Metric: 100',
        '            Type: Stub     ID: 192.168.1.0     Data: 255.255.255.0   Metric: 1',
      ].join('\n'),
    );
    const ext = (await runCli(['read', '-V', '-Y', 'frame.number == 7', PCAP])).out;
    expect(ext).toContain(
      '            Netmask: 255.255.255.0\n            1... .... = External Type: Type 2 (metric is larger than any other link state path)\n            .000 0000 = TOS: 0\n            Metric: 20\n            Forwarding Address: 10.0.0.9\n            External Route Tag: 77\n',
    );
  });

  it('the trees of an LLS data block and of OSPFv3 AS-external and intra-area-prefix LSAs equal tshark -V', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number >= 28', PCAP])).out;
    expect(out).toContain(
      [
        '    OSPF LLS Data Block',
        '        Checksum: 0x0000',
        '        LLS Data Length: 12 bytes',
        '        Extended options TLV',
        '            TLV Type: 1',
        '            TLV Length: 4',
        '            Options: 0x00000001, (LR) LSDB Resynchronization',
        '                .... .... .... .... .... .... .... ..0. = (RS) Restart Signal: Not set',
        '                .... .... .... .... .... .... .... ...1 = (LR) LSDB Resynchronization: Set',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '            Length: 56',
        '            Flags: 0x07, (E) External Metric, (F) Forwarding Address, (T) External Route Tag',
        '                .... .1.. = (E) External Metric: Type 2',
        '                .... ..1. = (F) Forwarding Address: Present',
        '                .... ...1 = (T) External Route Tag: Present',
        '            Metric: 20',
        '            PrefixLength: 48',
        '            PrefixOptions: 0x00',
        '                .... 0... = (P) Propagate: Not set',
        '                .... .0.. = (MC) Multicast: Not set',
        '                .... ..0. = (LA) Local Address: Not set',
        '                .... ...0 = (NU) NoUnicast: Not set',
        '            Referenced LS type: Unknown (0x0000)',
        '            Address Prefix: 2001:db8:bad::',
        '            Forwarding Address: 2001:db8::99',
        '            External Route Tag: 1234',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '            Length: 64',
        '            # prefixes: 2',
        '            Referenced LS type: Unknown (0x2001)',
        '            Referenced Link State ID: 0.0.0.0',
        '            Referenced Advertising Router: 2.2.2.2',
        '            PrefixLength: 64',
      ].join('\n'),
    );
    expect(out).toContain('            Link State ID Opaque Type: Unknown (200)\n            Link State ID Opaque ID: 1\n');
    expect(out).toContain('            Length: 28\n            Unknown LSA Type 200\n');
  });

  it('auth lines and a wrong checksum as tshark shows them', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 2 || frame.number == 3', PCAP])).out;
    expect(out).toContain('        Auth Type: Simple password (1)\n        Auth Data (Simple): secret\n');
    expect(out).toContain(
      '        Checksum: 0x0000 (None)\n        Auth Type: Cryptographic (2)\n        Auth Crypt Key id: 7\n        Auth Crypt Data Length: 16\n        Auth Crypt Sequence Number: 1600000000\n        Auth Crypt Data: a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\n',
    );
    // frame 1 with one checksum byte changed: tshark 4.0.17 says "Checksum: 0xcd87 [incorrect, should be 0xdc87]"
    const f = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames[0];
    const b = f.data.slice();
    b[46] ^= 0x11;
    const pkt = new Dissection(defaultRegistry()).dissect({ ...f, data: b });
    const l = pkt.layers.find((x) => x.proto === 'ospf')!;
    expect(l.problems?.map((p) => [p.kind, p.start - l.start, p.end - l.start])).toEqual([['checksum', 12, 14]]);
    let text = '';
    walkFields(pkt.layers, (fl) => {
      if (fl.key === 'ospf.checksum') text = fl.text ?? '';
    });
    expect(text).toBe('Checksum: 0xcd87 [incorrect, should be 0xdc87]');
  });
});

describe('OSPF: cut, lying, every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const frameOf = (b: Uint8Array, origLen = b.length, linkType = 1) => ({ index: 1, ts: 0n, tsPrecision: 6, linkType, ifIndex: 0, data: b, origLen });

  it('a packet cut by the snaplen is truncated; a packet length or an LSA count that lies is malformed', () => {
    const of = (i: number) => new Dissection(reg).dissect(frames[i]);
    const ospfProblems = (p: Packet) => problemsOf(p).filter((m) => m.startsWith('ospf '));
    // the LS Update subtree spans the body: tshark shows none of it
    expect(ospfProblems(of(8))).toEqual(['ospf truncated: OSPF LS Update: captured data ends after 34 of 68 bytes (cut by snaplen)']);
    expect(rowParts(of(8).layers).info).toBe('LS Update[Packet size limited during capture]');
    expect(ospfProblems(of(9))).toEqual(['ospf truncated: OSPF header: captured data ends after 0 of 2 bytes (cut by snaplen)']);
    // the neighbor list runs to the packet length, past the datagram
    expect(ospfProblems(of(10))).toEqual(['ospf malformed: OSPF packet (length 80): needs 4 bytes, only 0 present']);
    expect(rowParts(of(10).layers).info).toBe('Hello Packet[Malformed Packet]');
    expect(ospfProblems(of(11))).toEqual(['ospf malformed: OSPF LS Update: needs 20 bytes, only 0 present']);
    expect(rowParts(of(11).layers).info).toBe('LS Update[Malformed Packet]');
    // tshark sums the LLS block into the checksum (RFC 5613 leaves it out): "[incorrect, should be 0xd288]"
    expect(problemsOf(of(27))).toEqual(['ospf checksum: OSPF checksum 0xd291 is wrong (should be 0xd288)']);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 28, 29]) expect(problemsOf(of(i)), `frame ${i + 1}`).toEqual([]);
  });

  it('every prefix of an OSPFv2 LS Update, a Hello with neighbors and an OSPFv3 LS Update: no exception, marked as cut', () => {
    for (const fi of [0, 6, 17, 27, 29]) {
      const whole = frames[fi].data;
      expect(new Dissection(reg).dissect(frameOf(whole)).layers.map((l) => l.proto)).toContain('ospf');
      for (let n = 1; n < whole.length; n++) {
        const pkt = new Dissection(reg).dissect(frameOf(whole.slice(0, n), whole.length));
        expectClean(pkt);
        expect(problemsOf(pkt).some((m) => / truncated: /.test(m)), `frame ${fi + 1} prefix ${n}`).toBe(true);
        // once OSPF bytes are there, OSPF itself says it was cut
        const ipEnd = whole[12] === 0x86 ? 54 : 34;
        if (n > ipEnd) expect(problemsOf(pkt).some((m) => m.startsWith('ospf truncated: ')), `frame ${fi + 1} prefix ${n}`).toBe(true);
      }
    }
  });

  it('random and mutated OSPF packets (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x89;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const goods = [0, 1, 2, 4, 5, 6, 7, 13, 15, 16, 17, 18, 27, 28, 29].map((i) => frames[i].data);
    for (let i = 0; i < 3000; i++) {
      let p: Uint8Array;
      if (i % 3 === 0) {
        // an IPv4 header for OSPF, then random bytes (version 2 or 3 half of the time)
        p = new Uint8Array(34 + (rnd() % 200));
        p.set(goods[0].subarray(0, 34));
        for (let k = 34; k < p.length; k++) p[k] = rnd();
        if (i % 2 === 0 && p.length > 36) p.set([2 + (i % 4 === 0 ? 1 : 0), 1 + (rnd() % 5)], 34);
      } else {
        const g = goods[i % goods.length];
        p = g.slice();
        const ipEnd = g[12] === 0x86 ? 54 : 34;
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[ipEnd + (rnd() % (p.length - ipEnd))] = rnd();
      }
      const pkt = new Dissection(reg).dissect(frameOf(p));
      expectClean(pkt);
    }
  });
});
