// DHCPv6 on UDP 546/547 (dissectors/dhcpv6.ts) against tshark 4.0.17: the columns, frame.protocols and 56
// dhcpv6.* keys of fixtures/dhcpv6-messages.pcap (scripts/dhcpv6-fixture.py: every message type, the DUID
// types, IA_NA/IA_TA/IA_PD with nested options, relay messages nested two and 40 deep, lengths that lie,
// a message cut short, unknown types) and of the corpus's six Information-requests, in .tshark.tsv files
// written by scripts/dhcpv6-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { MAX_DEPTH } from '../../../dissectors/dhcpv6.js';
import { rowParts } from '../../../src/output/table.js';
import { udpFrame } from '../../helpers/packets.js';
import { dissectorErrors, expectClean } from '../../helpers/problems.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'dhcpv6-messages.pcap');

/** The problems of the DHCPv6 layer (all layers' with `every`: the test frames' IPv4 has no checksum). */
function allProblems(p: Packet): string[] {
  const out: string[] = [];
  for (const l of p.layers) if (l.proto === 'dhcpv6') for (const pr of l.problems ?? []) out.push(`${pr.kind}: ${pr.message}`);
  return out;
}

describe('DHCPv6 as tshark 4.0 shows it', () => {
  it('dhcpv6-messages.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'dhcpv6-messages.pcap.tshark.tsv'), 'utf8');
    const r = await fieldsLike(PCAP, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    // what the comparison rests on, as tshark wrote it
    expect(want).toContain('DHCPv6\tAdvertise XID: 0x123456 CID: 000100012a2b2c2d001122334455 IAA: 2001:db8::1 \teth:ethertype:ipv6:udp:dhcpv6\t2\t0x123456');
    expect(want).toContain('Relay-reply L: :: Relay-reply L: 2001:db8:0:1::1 Advertise XID: 0x777777 CID:');
    expect(want).toContain('CID: 000200000137000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d\u2026 \t');
    expect(want).toContain('DHCPv6\tSolicit [Malformed Packet]\t');
    expect(want).toContain('DHCPv6\tRelay-forw L: 2001:db8:0:1::1 Solicit [Malformed Packet]\t');
    expect(want).toContain('\tMessage Type 99 XID: 0x0a0b0c ');
    expect(want).toContain('\t1500\t');
  });

  it("the corpus's six Information-requests: every cell equal", async () => {
    const want = readFileSync(join(FX, 'dhcpv6-corpus.tshark.tsv'), 'utf8');
    expect(want.split('\n').length).toBe(8);
    expect(want).toContain('DHCPv6\tInformation-request XID: 0x20b89d CID: 00041ed562502373bf2c996b483a98488e9e \teth:ethertype:ipv6:udp:dhcpv6\t11');
    const keys = want.split('\n')[0].split('\t');
    const r = await runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', '-Y', 'dhcpv6', ...keys.flatMap((k) => ['-e', k]), join(CORPUS_DIR, 'mixed-wireshark-samples-nrb.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it('the tree: options named, DUIDs decoded, IA Address and Status code nested in IA_NA', async () => {
    const r = await runCli(['read', '-V', '-Y', 'frame.number == 2', PCAP]);
    expect(r.out).toContain(
      [
        'DHCPv6',
        '    Message type: Advertise (2)',
        '    Transaction ID: 0x123456',
        '    Client Identifier',
        '        Option: Client Identifier (1)',
        '        Length: 14',
        '        DUID: 000100012a2b2c2d001122334455',
        '        DUID Type: link-layer address plus time (1)',
        '        Hardware type: Ethernet (1)',
        '        DUID Time: Jun  2, 2022 08:07:09.000000000 UTC',
        '        Link-layer address: 00:11:22:33:44:55',
        '    Server Identifier',
        '        Option: Server Identifier (2)',
        '        Length: 10',
        '        DUID: 000300010066778899aa',
        '        DUID Type: link-layer address (3)',
        '        Hardware type: Ethernet (1)',
        '        Link-layer address: 00:66:77:88:99:aa',
        '    Identity Association for Non-temporary Address',
        '        Option: Identity Association for Non-temporary Address (3)',
        '        Length: 54',
        '        IAID: 0e0f1011',
        '        T1: 1800',
        '        T2: 2880',
        '        IA Address',
        '            Option: IA Address (5)',
        '            Length: 38',
        '            IPv6 address: 2001:db8::1',
        '            Preferred lifetime: 3600',
        '            Valid lifetime: 7200',
        '            Status code',
        '                Option: Status code (13)',
        '                Length: 10',
        '                Status Code: Success (0)',
        '                Status Message: All good',
        '    Preference',
        '        Option: Preference (7)',
        '        Length: 1',
        '        Pref-value: 255',
        '    DNS recursive name server',
        '        Option: DNS recursive name server (23)',
        '        Length: 32',
        '         1 DNS server address: 2001:db8::53',
        '         2 DNS server address: 2001:db8::54',
        '    Domain Search List',
        '        Option: Domain Search List (24)',
        '        Length: 30',
        '        Domain name suffix search list',
        '            List entry: example.com.',
        '            List entry: lab.example.org.',
      ].join('\n'),
    );
    const relay = (await runCli(['read', '-V', '-Y', 'frame.number == 12', PCAP])).out;
    expect(relay).toContain('    Relay Message\n        Option: Relay Message (9)\n        Length: 44\n        DHCPv6\n            Message type: Solicit (1)\n');
  });

  it('lengths that lie: a malformed mark on the option, Info unmarked as in tshark; a short header ends dissection', () => {
    const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
    const reg = defaultRegistry();
    const pk = (n: number) => new Dissection(reg).dissect(frames[n - 1]);
    expect(allProblems(pk(14))).toEqual(['malformed: option Elapsed time: length 40 runs past the end of its container']);
    expect(rowParts(pk(14).layers).info).toBe('Solicit XID: 0x000001 CID: 000100012a2b2c2d001122334455 ');
    expect(allProblems(pk(22))).toEqual([
      'malformed: ELAPSED-TIME: malformed option',
      'malformed: IA_NA: malformed option',
      'malformed: 2 bytes after the last option are too short for an option header',
    ]);
    expect(allProblems(pk(15))).toEqual(['malformed: DHCPv6 transaction ID: needs 3 bytes, only 1 present']);
    expect(rowParts(pk(20).layers).info).toBe('Relay-forw [Malformed Packet]');
  });
});

describe('DHCPv6: every prefix, random bytes, deep relays', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  // frame 1's Solicit (after Ethernet, IPv6 and UDP) inside a Relay-forw whose only option is the relay message
  const solicit = frames[0].data.slice(62);
  const relayed = new Uint8Array(34 + 4 + solicit.length);
  relayed.set([12, 0]);
  relayed.set([0, 9, solicit.length >> 8, solicit.length & 0xff], 34);
  relayed.set(solicit, 38);
  const dissect = (p: Uint8Array) => new Dissection(reg).dissect(udpFrame(547, 547, p));

  it('a prefix of a message: no exception, every cut one marked', () => {
    expect(rowParts(dissect(relayed).layers).info).toBe('Relay-forw L: :: Solicit XID: 0x123456 CID: 000100012a2b2c2d001122334455 ');
    expect(allProblems(dissect(relayed))).toEqual([]);
    for (let n = 1; n < relayed.length; n++) {
      const pkt = dissect(relayed.subarray(0, n));
      walkFields(pkt.layers, () => undefined);
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe('dhcpv6');
      expect(l.problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
      expect(dissectorErrors(pkt.layers)).toEqual([]);
    }
  });

  it('random and mutated messages (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x547;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const good = frames.map((f) => f.data.slice(62)).filter((p) => p.length > 8);
    for (let i = 0; i < 2000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(rnd() % 160);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
      } else {
        p = good[i % good.length].slice();
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[(rnd() << 8 | rnd()) % p.length] = rnd();
      }
      const pkt = dissect(p);
      expectClean(pkt);
    }
  });

  it(`relay messages nested 500 deep: dissected to ${MAX_DEPTH} levels, the rest left as bytes and said so`, () => {
    let m: Uint8Array = solicit;
    for (let k = 0; k < 500; k++) {
      const r = new Uint8Array(38 + m.length);
      r.set([12, 0]);
      r.set([0, 9, m.length >> 8, m.length & 0xff], 34);
      r.set(m, 38);
      m = r;
    }
    const pkt = dissect(m);
    let types = 0;
    walkFields(pkt.layers, (f) => void (f.key === 'dhcpv6.msgtype' && types++));
    expect(types).toBe(MAX_DEPTH);
    expect(allProblems(pkt)).toEqual([`unsupported: relay messages nested deeper than ${MAX_DEPTH} are not dissected`]);
    expect(rowParts(pkt.layers).info.split('Relay-forw').length - 1).toBe(MAX_DEPTH);
  });
});
