// IGMP v1/v2/v3: the frames below were written to a pcap and read by tshark 4.0.17; the expected
// Protocol, Info and field values are what it printed (-T fields -e _ws.col.Protocol -e _ws.col.Info …).
import { describe, expect, it } from 'vitest';
import { cell, hex, infoOf, problemsOf, runFrame } from '../../helpers/packets.js';
import { rowParts } from '../../../src/output/table.js';
import { dissectFile, fieldShow } from './corpus.js';

const FRAMES = {
  v2report: '01005e00001600000000000108004500001c000100000102bed60a000005ef0102031600f8faef010203',
  v2leave: '01005e00001600000000000108004500001c000100000102cfd80a000005e00000021700f7faef010203',
  v2query: '01005e00001600000000000108004500001c000100000102bed60a000005ef0102031164fd96ef010203',
  v1report: '01005e00001600000000000108004500001c000100000102bed60a000005ef0102031200fcfaef010203',
  v1query: '01005e00001600000000000108004500001c000100000102cfd90a000005e00000011100eeff00000000',
  v3query: '01005e000016000000000001080045000028000100000102beca0a000005ef010203118adcecef0102030a7d00020a0101010a010102',
  v3report:
    '01005e000016000000000001080045000044000100000102cf9c0a000005e0000016220069200000000301000001e80101010a09090906000002e80101020a0909080a09090702010000e8010103aabbccdd',
};

describe('igmp', () => {
  it('v1, v2 and v3 messages as tshark shows them', () => {
    const want: [keyof typeof FRAMES, string, string, string, string][] = [
      ['v2report', 'IGMPv2', 'Membership Report group 239.1.2.3', '0', '239.1.2.3'],
      ['v2leave', 'IGMPv2', 'Leave Group 239.1.2.3', '0', '239.1.2.3'],
      ['v2query', 'IGMPv2', 'Membership Query, specific for group 239.1.2.3', '100', '239.1.2.3'],
      ['v1report', 'IGMPv1', 'Membership Report', '', '239.1.2.3'],
      ['v1query', 'IGMPv1', 'Membership Query', '', '0.0.0.0'],
      ['v3query', 'IGMPv3', 'Membership Query, specific for group 239.1.2.3, sources {10.1.1.1, 10.1.1.2}', '208', '239.1.2.3'],
      ['v3report', 'IGMPv3', 'Membership Report / Join group 232.1.1.1 for source {10.9.9.9} / Group 232.1.1.2, block sources {10.9.9.8, 10.9.9.7} / Join group 232.1.1.3 for any sources', '', '232.1.1.1,232.1.1.2,232.1.1.3'],
    ];
    for (const [k, proto, info, maxResp, maddr] of want) {
      const p = runFrame(hex(FRAMES[k]));
      expect(rowParts(p.layers).protocol, k).toBe(proto);
      expect(infoOf(p), k).toBe(info);
      expect(cell(p, 'igmp.max_resp'), k).toBe(maxResp);
      expect(cell(p, 'igmp.checksum.status'), k).toBe('1');
      expect(cell(p, 'igmp.maddr'), k).toBe(maddr);
      expect(problemsOf(p), k).toEqual([]);
    }
    const r = runFrame(hex(FRAMES.v3report));
    expect(cell(r, 'igmp.saddr')).toBe('10.9.9.9,10.9.9.8,10.9.9.7');
    expect(cell(r, 'igmp.record_type')).toBe('1,6,2');
    expect(cell(r, 'igmp.aux_data')).toBe('aabbccdd');
    expect(cell(runFrame(hex(FRAMES.v3query)), 'igmp.saddr')).toBe('10.1.1.1,10.1.1.2');
  });

  it('a bad checksum is shown, not fatal; every prefix is truncated, never an exception', () => {
    const bad = hex(FRAMES.v2report);
    bad[37] ^= 0xff;
    expect(problemsOf(runFrame(bad))).toEqual(['checksum: Bad IGMP checksum: 0xf805, should be 0xf8fa']);
    for (const k of Object.keys(FRAMES) as (keyof typeof FRAMES)[]) {
      const f = hex(FRAMES[k]);
      for (let n = 35; n < f.length; n++) {
        const p = runFrame(f.slice(0, n), 1, f.length);
        expect(problemsOf(p).some((x) => x.startsWith('truncated')), `${k} ${n}`).toBe(true);
      }
    }
  });

  it('corpus: IGMPv3 reports and v2/v3 general queries equal tshark', () => {
    const ps = dissectFile('dns-mdns-ipv4-ipv6.pcap').filter((p) => p.layers.some((l) => l.proto === 'igmp'));
    expect(ps.map((p) => infoOf(p))).toEqual([
      'Membership Report / Leave group 224.0.0.251',
      'Membership Report / Join group 224.0.0.251 for any sources',
      'Membership Report / Join group 224.0.0.251 for any sources',
    ]);
    expect(ps.map((p) => fieldShow(p, 'igmp.checksum'))).toEqual(['0xfa02', '0xf902', '0xf902']);
    const q = dissectFile('mixed-wireshark-samples-nrb.pcapng').filter((p) => p.layers.some((l) => l.proto === 'igmp'));
    expect(q.length).toBe(84);
    expect(new Set(q.map((p) => rowParts(p.layers).protocol + ' ' + infoOf(p)))).toEqual(new Set(['IGMPv2 Membership Query, general']));
    const [v3] = dissectFile('ipv4-options-rr-ts-lsrr-ssrr-ra-cipso.pcap').filter((p) => p.layers.some((l) => l.proto === 'igmp'));
    expect(rowParts(v3.layers).protocol + ' ' + infoOf(v3)).toBe('IGMPv3 Membership Query, general');
    expect([fieldShow(v3, 'igmp.max_resp'), fieldShow(v3, 'igmp.qrv'), fieldShow(v3, 'igmp.qqic'), fieldShow(v3, 'igmp.num_src')]).toEqual(['10', '2', '125', '0']);
  });
});
