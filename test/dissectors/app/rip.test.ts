// RIP and RIPng (dissectors/rip.ts) against tshark 4.0.17: columns, frame.protocols and the rip.* / ripng.* keys
// of fixtures/routing.pcap (scripts/routing-fixture.py: RIPv1 request and response, RIPv2 with a simple password,
// route tags, masks and next hops, a RIPv2 request with a routing domain, an entry cut by the snaplen, keyed-MD5
// authentication with its trailer, RIPng request and response, an unknown address family, a digest offset past
// the datagram, an IPv4-compatible RIPng prefix and a route table entry the UDP length cuts) and of the corpus's RIPv1 responses, in
// .tshark.tsv files written by scripts/routing-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { expectClean, problemsOf } from '../../helpers/problems.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'routing.pcap');
const CORPUS = join(CORPUS_DIR, 'sll-mixed-dns-http-arp-ipv6.pcap');

describe('RIP and RIPng as tshark 4.0 shows them', () => {
  it('routing.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'routing-rip.tshark.tsv'), 'utf8');
    expect(want).toContain('RIPv1\tResponse\teth:ethertype:ip:udp:rip\t2\t1\t\t2,2\t\t10.1.0.0,10.2.0.0\t\t\t1,16\t');
    expect(want).toContain('RIPv1\tRequest\teth:ethertype:ip:udp:rip\t1\t1\t\t0\t\t\t\t\t16\t');
    expect(want).toContain('RIPv2\tResponse\teth:ethertype:ip:udp:rip\t2\t2\t\t2,2\t4660,0\t192.168.10.0,192.168.20.0\t255.255.255.0,255.255.255.0\t10.0.0.254,0.0.0.0\t3,16\t2\thunter2\t');
    expect(want).toContain('RIPv2\tResponse[Packet size limited during capture]\teth:ethertype:ip:udp:rip\t2\t2\t\t2\t0\t10.9.0.0\t');
    expect(want).toContain('\t3\t\t44\t1\t16\t99\t\t101112131415161718191a1b1c1d1e1f\t');
    expect(want).toContain('RIPng\t Command Response, Version 1\teth:ethertype:ipv6:udp:ripng\t');
    expect(want).toContain('\t2\t1\t0000\t2001:db8:1::,2001:db8:2::\t0x0000,0xabcd\t64,48\t1,16\t521');
    // an unknown address family shows no rip.family; a digest offset past the datagram; an IPv4-compatible prefix
    expect(want).toContain('RIPv2\tResponse\teth:ethertype:ip:udp:rip\t2\t2\t\t2,2\t0,0\t10.4.0.0,10.5.0.0\t');
    expect(want).toContain('RIPv2\tResponse[Malformed Packet]\teth:ethertype:ip:udp:rip\t2\t2\t\t\t\t\t\t\t\t3\t\t200\t2\t16\t7\t\t\t');
    expect(want).toContain('RIPng\t Command Response, Version 1[Malformed Packet]\teth:ethertype:ipv6:udp:ripng\t');
    expect(want).toContain('\t0000\t::10.1.2.3\t0x0000\t128\t3\t521');
    expect(await fieldsOf(PCAP, want)).toBe(want);
  });

  it("the corpus's RIPv1 responses (Linux cooked capture): every cell equal", async () => {
    const want = readFileSync(join(FX, 'routing-rip-corpus.tshark.tsv'), 'utf8');
    expect(want.split('\n').filter((r) => r.startsWith('RIPv1\tResponse\tsll:ethertype:ip:udp:rip\t2\t1\t\t2,2,2\t\t82.102.128.60,0.0.0.0,87.68.73.245\t'))).toHaveLength(2);
    expect(await fieldsOf(CORPUS, want)).toBe(want);
  });

  it('the tree of a RIPv1 response from the corpus, a RIPv2 MD5 one and RIPng equal tshark -V', async () => {
    const v1 = (await runCli(['read', '-V', '-Y', 'frame.number == 1', CORPUS])).out;
    expect(v1).toContain(
      [
        'Routing Information Protocol',
        '    Command: Response (2)',
        '    Version: RIPv1 (1)',
        '    IP Address: 82.102.128.60, Metric: 1',
        '        Address Family: IP (2)',
        '        IP Address: 82.102.128.60',
        '        Metric: 1',
        '    IP Address: 0.0.0.0, Metric: 1',
        '        Address Family: IP (2)',
        '        IP Address: 0.0.0.0',
        '        Metric: 1',
        '    IP Address: 87.68.73.245, Metric: 1',
        '        Address Family: IP (2)',
        '        IP Address: 87.68.73.245',
        '        Metric: 1',
      ].join('\n'),
    );
    const md5 = (await runCli(['read', '-V', '-Y', 'frame.number == 25', PCAP])).out;
    expect(md5).toContain(
      [
        'Routing Information Protocol',
        '    Command: Response (2)',
        '    Version: RIPv2 (2)',
        '    Authentication: Keyed Message Digest',
        '        Authentication type: Keyed Message Digest (3)',
        '        Digest Offset: 44',
        '        Key ID: 1',
        '        Auth Data Len: 16',
        '        Seq num: 99',
        '        Zero adding: ',
        '        Authentication Data Trailer',
        '            Authentication Data: 101112131415161718191a1b1c1d1e1f',
        '    IP Address: 10.3.0.0, Metric: 4',
        '        Address Family: IP (2)',
        '        Route Tag: 0',
        '        IP Address: 10.3.0.0',
        '        Netmask: 255.255.0.0',
        '        Next Hop: 0.0.0.0',
        '        Metric: 4',
      ].join('\n') + '\n',
    );
    const req = (await runCli(['read', '-V', '-Y', 'frame.number == 23 || frame.number == 26', PCAP])).out;
    expect(req).toContain(
      '    Address not specified, Metric: 16\n        Address Family: Unspecified (0)\n        Route Tag: 0\n        Netmask: 0.0.0.0\n        Next Hop: 0.0.0.0\n        Metric: 16\n',
    );
    expect(req).toContain(
      [
        'RIPng',
        '    Command: Response (2)',
        '    Version: 1',
        '    Reserved: 0000',
        '    Route Table Entry: IPv6 Prefix: 2001:db8:1::/64 Metric: 1',
        '        IPv6 Prefix: 2001:db8:1::',
        '        Route Tag: 0x0000',
        '        Prefix Length: 64',
        '        Metric: 1',
        '    Route Table Entry: IPv6 Prefix: 2001:db8:2::/48 Metric: 16',
        '        IPv6 Prefix: 2001:db8:2::',
        '        Route Tag: 0xabcd',
        '        Prefix Length: 48',
        '        Metric: 16',
      ].join('\n'),
    );
  });
});

describe('RIP / RIPng: cut, lying, every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const frameOf = (b: Uint8Array, origLen = b.length) => ({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen });
  const ripProblems = (p: Packet) => problemsOf(p).filter((m) => m.startsWith('rip'));

  it('an entry cut by the snaplen is truncated and shows nothing of itself; a UDP length giving a partial entry is malformed', () => {
    const cut = new Dissection(reg).dissect(frames[23]);
    expect(ripProblems(cut)).toEqual(['rip truncated: RIP entry: captured data ends after 10 of 20 bytes (cut by snaplen)']);
    expect(rowParts(cut.layers).info).toBe('Response[Packet size limited during capture]');
    // frame 20 with 5 bytes fewer in its UDP and IP lengths: the second entry has 15 of 20 bytes
    const b = frames[19].data.slice(0, frames[19].data.length - 5);
    b[17] -= 5; // IPv4 total length (low byte)
    b[39] -= 5; // UDP length (low byte)
    b[40] = b[41] = 0; // UDP checksum off
    b[24] = b[25] = 0; // IPv4 header checksum: recomputed below
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += (b[i] << 8) | b[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b[24] = (~sum >> 8) & 0xff;
    b[25] = ~sum & 0xff;
    const lie = new Dissection(reg).dissect(frameOf(b));
    expect(ripProblems(lie)).toEqual(['rip malformed: RIP entry: needs 20 bytes, only 15 present']);
    expect(rowParts(lie.layers).info).toBe('Response[Malformed Packet]');
    expect(ripProblems(new Dissection(reg).dissect(frames[31]))).toEqual(['rip malformed: RIP authentication trailer (digest offset 200): needs 20 bytes, only 0 present']);
    expect(ripProblems(new Dissection(reg).dissect(frames[32]))).toEqual(['ripng malformed: RIPng entry: needs 16 bytes, only 6 present']);
    for (const i of [19, 20, 21, 22, 24, 25, 26, 30]) expect(problemsOf(new Dissection(reg).dissect(frames[i])), `frame ${i + 1}`).toEqual([]);
  });

  it('every prefix of RIPv2 with a password, RIPv2 with MD5 and RIPng: no exception, marked as cut', () => {
    for (const fi of [21, 24, 25]) {
      const whole = frames[fi].data;
      const proto = fi === 25 ? 'ripng' : 'rip';
      expect(new Dissection(reg).dissect(frameOf(whole)).layers.map((l) => l.proto)).toContain(proto);
      const udpEnd = whole[12] === 0x86 ? 62 : 42;
      for (let n = 1; n < whole.length; n++) {
        const pkt = new Dissection(reg).dissect(frameOf(whole.slice(0, n), whole.length));
        expectClean(pkt);
        expect(problemsOf(pkt).some((m) => / truncated: /.test(m)), `frame ${fi + 1} prefix ${n}`).toBe(true);
        if (n > udpEnd) expect(problemsOf(pkt).some((m) => m.startsWith(`${proto} truncated: `)), `frame ${fi + 1} prefix ${n}`).toBe(true);
      }
    }
  });

  it('random and mutated RIP / RIPng datagrams (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x208;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const goods = [19, 20, 21, 22, 24, 25, 26, 30, 31, 32].map((i) => frames[i].data);
    for (let i = 0; i < 3000; i++) {
      const g = goods[i % goods.length];
      const udpEnd = g[12] === 0x86 ? 62 : 42;
      let p: Uint8Array;
      if (i % 3 === 0) {
        // the good headers up to UDP, then random bytes of a random length (UDP / IP lengths left as they were)
        p = new Uint8Array(udpEnd + (rnd() % 120));
        p.set(g.subarray(0, Math.min(udpEnd, g.length)));
        for (let k = udpEnd; k < p.length; k++) p[k] = rnd();
      } else {
        p = g.slice();
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[udpEnd + (rnd() % (p.length - udpEnd))] = rnd();
      }
      const pkt = new Dissection(reg).dissect(frameOf(p));
      expectClean(pkt);
    }
  });
});
