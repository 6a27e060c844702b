// VRRP (dissectors/vrrp.ts) against tshark 4.0.17: columns, frame.protocols and the vrrp.* keys of frames 34-40
// of fixtures/routing.pcap (scripts/routing-fixture.py: VRRPv2 with two addresses, with simple-text
// authentication, VRRPv3 over IPv4 and over IPv6, a wrong checksum, an address count that lies, an address cut
// by the snaplen), in fixtures/routing-vrrp.tshark.tsv written by scripts/routing-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { expectClean, problemsOf } from '../../helpers/problems.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'routing.pcap');

describe('VRRP as tshark 4.0 shows it', () => {
  it('routing.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'routing-vrrp.tshark.tsv'), 'utf8');
    expect(want).toContain('VRRP\tAnnouncement (v2)\teth:ethertype:ip:vrrp\t33\t2\t1\t7\t100\t2\t0\t1\t\t\t0x64fa\t1\t10.0.0.254,10.0.0.253\t\t\t10.0.0.1\t');
    expect(want).toContain('\t0x3976\t1\t192.168.1.1\t\tpass\t');
    expect(want).toContain('VRRP\tAnnouncement (v3)\teth:ethertype:ip:vrrp\t49\t3\t1\t9\t0\t1\t\t\t0\t100\t0xd0ef\t1\t10.9.9.9\t');
    expect(want).toContain('VRRP\tAnnouncement (v3)\teth:ethertype:ipv6:vrrp\t49\t3\t1\t10\t150\t2\t\t\t0\t200\t0x0dc0\t1\t\tfe80::1,2001:db8::1\t');
    expect(want).toContain('\t0x7ee9\t0\t10.0.0.254\t');
    expect(want).toContain('VRRP\tAnnouncement (v2)[Malformed Packet]\t');
    expect(want).toContain('VRRP\tAnnouncement (v2)[Packet size limited during capture]\teth:ethertype:ip:vrrp\t33\t2\t1\t7\t100\t2\t0\t1\t\t\t0x64fa\t2\t10.0.0.254\t');
    const r = await fieldsLike(PCAP, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it('the trees of a VRRPv3 advertisement and of a wrong checksum equal tshark -V', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 37 || frame.number == 38', PCAP])).out;
    expect(out).toContain(
      [
        'Virtual Router Redundancy Protocol',
        '    Version 3, Packet type 1 (Advertisement)',
        '        0011 .... = VRRP protocol version: 3',
        '        .... 0001 = VRRP packet type: Advertisement (1)',
        '    Virtual Rtr ID: 10',
        '    Priority: 150 (Non-default backup priority)',
        '    Addr Count: 2',
        '    0000 .... = Reserved: 0',
        '    .... 0000 1100 1000 = Adver Int: 200',
        '    Checksum: 0x0dc0 [correct]',
        '    [Checksum Status: Good]',
        '    IPv6 Address: fe80::1',
        '    IPv6 Address: 2001:db8::1',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '    Priority: 100 (Default priority for a backup VRRP router)',
        '    Addr Count: 1',
        '    Auth Type: No Authentication (0)',
        '    Adver Int: 1',
        '    Checksum: 0x7ee9 incorrect, should be 0x6ff8',
      ].join('\n'),
    );
    expect(out).toContain('    [Checksum Status: Bad]\n    IP Address: 10.0.0.254\n');
  });
});

describe('VRRP: cut, lying, every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const frameOf = (b: Uint8Array, origLen = b.length) => ({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen });
  const vrrpProblems = (p: Packet) => problemsOf(p).filter((m) => m.startsWith('vrrp'));

  it('a wrong checksum, a count that lies (malformed), an address the snaplen cut (truncated)', () => {
    const of = (i: number) => new Dissection(reg).dissect(frames[i]);
    expect(vrrpProblems(of(37))).toEqual(['vrrp checksum: VRRP checksum 0x7ee9 is wrong (should be 0x6ff8)']);
    expect(vrrpProblems(of(38))).toEqual(['vrrp malformed: VRRP address: needs 4 bytes, only 0 present']);
    expect(rowParts(of(38).layers).info).toBe('Announcement (v2)[Malformed Packet]');
    expect(vrrpProblems(of(39))).toEqual(['vrrp truncated: VRRP address: captured data ends after 2 of 4 bytes (cut by snaplen)']);
    for (const i of [33, 34, 35, 36]) expect(problemsOf(of(i)), `frame ${i + 1}`).toEqual([]);
  });

  it('every prefix of VRRPv2 with authentication and of VRRPv3 over IPv6: no exception, marked as cut', () => {
    for (const fi of [34, 36]) {
      const whole = frames[fi].data;
      const ipEnd = whole[12] === 0x86 ? 54 : 34;
      for (let n = 1; n < whole.length; n++) {
        const pkt = new Dissection(reg).dissect(frameOf(whole.slice(0, n), whole.length));
        expectClean(pkt);
        expect(problemsOf(pkt).some((m) => / truncated: /.test(m)), `frame ${fi + 1} prefix ${n}`).toBe(true);
        if (n > ipEnd) expect(problemsOf(pkt).some((m) => m.startsWith('vrrp truncated: ')), `frame ${fi + 1} prefix ${n}`).toBe(true);
      }
    }
  });

  it('random and mutated VRRP packets (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x70;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const goods = [33, 34, 35, 36, 37, 38].map((i) => frames[i].data);
    for (let i = 0; i < 2000; i++) {
      const g = goods[i % goods.length];
      const ipEnd = g[12] === 0x86 ? 54 : 34;
      let p: Uint8Array;
      if (i % 3 === 0) {
        p = new Uint8Array(ipEnd + (rnd() % 80));
        p.set(g.subarray(0, ipEnd));
        for (let k = ipEnd; k < p.length; k++) p[k] = rnd();
      } else {
        p = g.slice();
        for (let k = 0, n = 1 + (rnd() % 5); k < n; k++) p[ipEnd + (rnd() % (p.length - ipEnd))] = rnd();
      }
      const pkt = new Dissection(reg).dissect(frameOf(p));
      expectClean(pkt);
    }
  });
});
