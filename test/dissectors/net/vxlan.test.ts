// VXLAN (dissectors/vxlan.ts) against tshark 4.0.17: fixtures/vxlan.pcap (scripts/vxlan-fixture.py: an ICMP
// echo and reply inside VNI 5001, a Group Based Policy header, reserved bits set, an inner frame cut inside
// its Ethernet header, a cut VXLAN header) in the columns, frame.protocols, vxlan.* keys, two trees and
// -z io,phs (scripts/vxlan-fixture.sh); prefixes and random headers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { udpFrame } from '../../helpers/packets.js';
import { expectClean } from '../../helpers/problems.js';

const CAP = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vxlan.pcap');

describe('VXLAN as tshark 4.0 shows it', () => {
  it('vxlan.pcap: every cell equal (the inner packet in the columns)', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    expect(want).toContain('192.168.5.2\t192.168.5.1\tICMP\tEcho (ping) reply    id=0x0007, seq=1/256, ttl=64 (request in 1)\teth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data\t');
    expect(want).toContain('\t0x8800\t1\t1\t0\t0\t0x0000\t4660\t100\t0\t');
    expect(want).toContain('10.0.0.1\t10.0.0.2\tVxLAN\t[Malformed Packet]\teth:ethertype:ip:udp:vxlan\t');
    expect(await fieldsOf(CAP, want)).toBe(want);
  });

  it('the trees of the GBP and reserved-bits headers, and -z io,phs, equal tshark', async () => {
    const tree = (await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 3 || frame.number == 4', CAP])).out;
    const from = tree.split('\n');
    const got: string[] = [];
    let on = false;
    for (const l of from) {
      if (l.startsWith('Virtual eXtensible')) on = true;
      if (on) got.push(l);
      if (l.startsWith('Ethernet II') && on) on = false;
    }
    expect(got.join('\n') + '\n').toBe(readFileSync(CAP + '.tshark.txt', 'utf8'));
    expect((await runCli(['read', '-q', '-z', 'io,phs', CAP])).out).toBe(readFileSync(CAP + '.tshark-phs.txt', 'utf8'));
  });

  it('every prefix of a VXLAN datagram and 1,000 random headers (seeded): no dissector error', () => {
    const reg = defaultRegistry();
    const frames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames as Frame[];
    const dgram = frames[0].data.slice(42);
    for (let k = 0; k <= dgram.length; k++) expectClean(new Dissection(reg).dissect(udpFrame(40000, 4789, dgram.subarray(0, k))));
    let seed = 4789;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 1000; i++) {
      const p = dgram.slice();
      for (let j = 0; j < 8; j++) if (rnd() < 64) p[j] = rnd();
      expectClean(new Dissection(reg).dissect(udpFrame(40000, 4789, p.subarray(0, 8 + (rnd() % (p.length - 7))))));
    }
  });
});
