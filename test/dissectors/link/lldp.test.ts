// LLDP on ethertype 0x88cc (dissectors/lldp.ts) against tshark 4.0.17: the columns, frame.protocols and 45
// lldp.* keys of fixtures/lldp-frames.pcap (scripts/lldp-fixture.py: the chassis and port ID subtypes,
// every basic TLV, capabilities, IPv4 and IPv6 management addresses, IEEE 802.1 and 802.3 organisation
// TLVs, an unknown OUI and TLV type, TTL 0, a TLV length past the frame, no End TLV, a cut chassis ID),
// in a .tshark.tsv file written by scripts/lldp-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { expectClean } from '../../helpers/problems.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'lldp-frames.pcap');
const problemsOf = (p: Packet) => p.layers.flatMap((l) => (l.problems ?? []).map((pr) => `${pr.kind}: ${pr.message}`));

describe('LLDP as tshark 4.0 shows it', () => {
  it('lldp-frames.pcap: every cell equal but the wording of the malformed mark', async () => {
    const want = readFileSync(join(FX, 'lldp-frames.pcap.tshark.tsv'), 'utf8');
    const r = await fieldsLike(PCAP, want);
    expect(r.code).toBe(0);
    // tshark names the exception; the table marks every malformed packet the same way
    const named = '[Malformed Packet: length of contained item exceeds length of containing item]';
    expect(want.split(named).length - 1).toBe(2);
    expect(r.out).toBe(want.replaceAll(named, '[Malformed Packet]'));
    expect(want).toContain('LLDP\tMA/00:11:22:33:44:55 MA/00:11:22:33:44:55 120 SysN=switch1 SysD=Example OS 1.2 \teth:ethertype:lldp\t1,2,3,4,5,6,7,8,0\t');
    expect(want).toContain('LLDP\tNA/10.0.0.1 LA/17 3600 \t');
    expect(want).toContain('LLDP\tLA/host-a IN/eth1 0 \t');
    expect(want).toContain('\t32962,4623,4623\t0x01\t10\t');
  });

  it('the tree: TLV headers drawn over their bits, capabilities, an 802.1 TLV', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 2', PCAP])).out;
    expect(out).toContain(
      [
        'Link Layer Discovery Protocol',
        '    Chassis Subtype = MAC address, Id: 00:11:22:33:44:55',
        '        0000 001. .... .... = TLV Type: Chassis Id (1)',
        '        .... ...0 0000 0111 = TLV Length: 7',
        '        Chassis Id Subtype: MAC address (4)',
        '        Chassis Id: 00:11:22:33:44:55',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '    Capabilities',
        '        0000 111. .... .... = TLV Type: System Capabilities (7)',
        '        .... ...0 0000 0100 = TLV Length: 4',
        '        Capabilities: 0x0014',
        '            .... .... .... ...0 = Other: Not capable',
        '            .... .... .... ..0. = Repeater: Not capable',
        '            .... .... .... .1.. = Bridge: Capable',
      ].join('\n'),
    );
    expect(out).toContain('        Management Address: 192.0.2.1\n        Interface Subtype: ifIndex (2)\n        Interface Number: 3\n        OID String Length: 0\n');
    const vlan = (await runCli(['read', '-V', '-Y', 'frame.number == 3', PCAP])).out;
    expect(vlan).toContain('    IEEE - Port VLAN ID\n        1111 111. .... .... = TLV Type: Organization Specific (127)\n        .... ...0 0000 0110 = TLV Length: 6\n        Organization Unique Code: 00:80:c2 (IEEE)\n        IEEE 802.1 Subtype: Port VLAN ID (0x01)\n        Port VLAN Identifier: 10 (0x000a)\n');
  });
});

describe('LLDP: every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const eth = (payload: Uint8Array) => {
    const b = new Uint8Array(14 + payload.length);
    b.set(frames[0].data.subarray(0, 14));
    b.set(payload, 14);
    return { index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
  };
  // frame 9's LLDPDU up to and with its End TLV (no padding)
  const pdu = frames[8].data.slice(14);

  it('a prefix of an LLDPDU: no exception, every cut inside a TLV marked', () => {
    const whole = new Dissection(reg).dissect(eth(pdu));
    expect(rowParts(whole.layers).info).toBe('MA/00:11:22:33:44:55 IN/Gi0/1 120 SysN=core-sw.example.net ');
    expect(problemsOf(whole)).toEqual([]);
    // TLV boundaries: a prefix ending there is a shorter LLDPDU without its End TLV, as tshark sees it too
    const bounds = new Set<number>();
    for (let p = 0; p < pdu.length; p += 2 + (((pdu[p] << 8) | pdu[p + 1]) & 0x1ff)) bounds.add(p);
    for (let n = 1; n < pdu.length; n++) {
      const pkt = new Dissection(reg).dissect(eth(pdu.subarray(0, n)));
      walkFields(pkt.layers, () => undefined);
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe('lldp');
      if (!bounds.has(n)) expect(l.problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
    }
  });

  it('random and mutated LLDPDUs (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x88cc;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(rnd() % 200);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
      } else {
        p = frames[1 + (i % 3)].data.slice(14);
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[rnd() % p.length] = rnd();
      }
      const pkt = new Dissection(reg).dissect(eth(p));
      expectClean(pkt);
    }
  });
});
