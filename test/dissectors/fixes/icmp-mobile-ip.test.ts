// ICMP router advertisement with code 0 / 16: tshark 4.0 calls it "Mobile IP Advertisement" (tree and
// Info) and decodes the Mobile IP extensions after the router addresses. Frames 3 and 4 of
// ../shared/corpus/icmp-many-types.pcapng; values from `tshark -n -r FILE -V` / `-T fields -e …`.
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import type { Field } from '../../../src/dissect/types.js';
import { cell, infoOf as info } from '../../helpers/packets.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const F3 = hex('ffffffffffff0800209d5491080045000046682f40000101c0ddc0a89002ffffffff09108153010200c8c0a8900280000000100a000500c83000c0a89002181011512882262a7a6014c75f0e31974ec813011800');
const F4 = hex('ffffffffffff000b45b3f7fc080045000024a58100000101b1c60e505442ffffffff090093610102000a0e5054420000000000000000000000000000');

function run(data: Uint8Array): Packet {
  return new Dissection(defaultRegistry()).dissect({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data, origLen: data.length });
}
function tree(fs: Field[], depth = 0, out: string[] = []): string[] {
  for (const f of fs) {
    const t = f.text ?? `${f.label}: ${f.show}`;
    out.push('  '.repeat(depth) + (f.generated ? `[${t}]` : t));
    if (f.children) tree(f.children, depth + 1, out);
  }
  return out;
}

describe('ICMP Mobile IP advertisement like tshark 4.0', () => {
  it('frame 3: extensions', () => {
    const p = run(F3);
    expect(info(p)).toBe('Mobile IP Advertisement (Does not route common traffic)');
    const K = (k: string) => cell(p, k);
    expect(K('icmp.lifetime')).toBe('200');
    expect(K('icmp.mip.type')).toBe('16,24,19,0');
    expect(K('icmp.mip.length')).toBe('10,16,1');
    expect(K('icmp.mip.seq')).toBe('5');
    expect(K('icmp.mip.life')).toBe('200');
    expect(K('icmp.mip.flags')).toBe('0x3000');
    expect(K('icmp.mip.h') + K('icmp.mip.f') + K('icmp.mip.r')).toBe('110');
    expect(K('icmp.mip.reserved')).toBe('0x0000');
    expect(K('icmp.mip.coa')).toBe('192.168.144.2');
    expect(K('icmp.mip.prefixlength')).toBe('24');
    expect(K('icmp.mip.challenge')).toBe('11512882262a7a6014c75f0e31974ec8');
    const l = p.layers.find((x) => x.proto === 'icmp')!;
    expect(tree(l.allFields())).toEqual([
      'Type: 9 (Mobile IP Advertisement)', 'Code: 16 (Does not route common traffic)', 'Checksum: 0x8153 [correct]',
      '[Checksum Status: Good]', 'Number of addresses: 1', 'Address entry size: 2', 'Lifetime: 200 (3 minutes, 20 seconds)',
      'Router address: 192.168.144.2', 'Preference level: -2147483648',
      'Ext: Mobility Agent Advertisement Extension',
      '  Extension Type: Mobility Agent Advertisement Extension (16)', '  Length: 10', '  Sequence Number: 5',
      '  Registration Lifetime: 200', '  Flags: 0x3000, Home Agent, Foreign Agent',
      '    0... .... .... .... = Registration Required: False', '    .0.. .... .... .... = Busy: False',
      '    ..1. .... .... .... = Home Agent: True', '    ...1 .... .... .... = Foreign Agent: True',
      '    .... 0... .... .... = Minimal Encapsulation: False', '    .... .0.. .... .... = GRE: False',
      '    .... ..0. .... .... = VJ Comp: False', '    .... ...0 .... .... = Reverse tunneling: False',
      '    .... .... 0... .... = UDP tunneling: False', '    .... .... .0.. .... = Revocation support: False',
      '    .... .... ..00 0000 = Reserved: 0x00', '  Care-Of-Address: 192.168.144.2',
      'Ext: Challenge Extension', '  Extension Type: Challenge Extension (24)', '  Length: 16',
      '  Challenge: 11512882262a7a6014c75f0e31974ec8',
      'Ext: Prefix Lengths Extension', '  Extension Type: Prefix Lengths Extension (19)', '  Length: 1', '  Prefix Length: 24',
      'Ext: One byte padding extension', '  Extension Type: One byte padding extension (0)',
    ]);
  });

  it('frame 4: code 0 without extensions', () => {
    const p = run(F4);
    expect(info(p)).toBe('Mobile IP Advertisement (Normal router advertisement)');
    expect(cell(p, 'icmp.mip.type')).toBe('');
    const l = p.layers.find((x) => x.proto === 'icmp')!;
    expect(tree(l.allFields()).slice(0, 1).concat(tree(l.allFields()).slice(6))).toEqual([
      'Type: 9 (Mobile IP Advertisement)', 'Lifetime: 10 (10 seconds)', 'Router address: 14.80.84.66', 'Preference level: 0',
    ]);
  });
});
