import { describe, expect, it } from 'vitest';
import { fBool, fUint, gen, withChildren } from '../../src/dissect/fields.js';
import { Layer } from '../../src/dissect/layer.js';
import type { Dissector } from '../../src/dissect/types.js';
import { dataSources, hexdump, packetHex } from '../../src/output/hexdump.js';
import { bitPattern, packetTree } from '../../src/output/tree.js';
import { corpusPackets, dissectAll, ethFrame, hex } from './helpers.js';

describe('-V tree', () => {
  it('draws bitfield masks like tshark', () => {
    const b = hex('12 02');
    expect(bitPattern(b, 1, 1, 0x02)).toBe('.... ..1.');
    expect(bitPattern(b, 1, 1, 0x01)).toBe('.... ...0');
    expect(bitPattern(b, 0, 1, 0xf0)).toBe('0001 ....');
    expect(bitPattern(b, 0, 2, 0x1fff)).toBe('...1 0010 0000 0010');
    // tshark: ".... ..1. .... .... .... .... = LG bit" over a 3-byte OUI
    expect(bitPattern(hex('02 00 00'), 0, 3, 0x020000)).toBe('.... ..1. .... .... .... ....');
  });

  it('prints titles, indented fields, masks, generated fields, inner layers and problems', () => {
    const fake: Dissector<null> = {
      proto: 'fake', name: 'Fake Protocol', fieldKeys: ['fake.flags', 'fake.syn', 'fake.len'],
      dissect: (b, s, e) => new Layer(fake, b, s, e, null),
      fields: (l) => [
        withChildren(fUint('fake.flags', 'Flags', l.buf[l.start], l.start, 1), [
          { ...fBool('fake.syn', 'Syn', true, l.start, 1, 0x02), show: 'Set' },
        ]),
        gen(fUint('fake.len', 'Length', 4, l.start, 0)),
      ],
      title: () => 'Fake Protocol, Len: 4',
    };
    const [p] = dissectAll([ethFrame(4)]);
    p.frame.data[14] = 0x02;
    const l = new Layer(fake, p.frame.data, 14, 18, null);
    l.inner = [new Layer(fake, p.frame.data, 16, 18, null)];
    l.problem('malformed', 'Length lies', 14, 16);
    p.layers.splice(2, p.layers.length, l);
    const t = packetTree(p);
    expect(t).toContain('Ethernet II, Src: 00:16:ce:6e:8b:24, Dst: ff:ff:ff:ff:ff:ff\n    Destination: ff:ff:ff:ff:ff:ff\n');
    expect(t).toContain(
      'Fake Protocol, Len: 4\n    Flags: 2\n        .... ..1. = Syn: Set\n    [Length: 4]\n' +
        '    Fake Protocol, Len: 4\n        Flags: 67\n            .... ..1. = Syn: Set\n        [Length: 4]\n' +
        '    [Expert Info (Error/Malformed): Length lies]\n        [Length lies]\n        [Severity level: Error]\n        [Group: Malformed]\n',
    );
    expect(t.startsWith('Frame 1: 18 bytes on wire (144 bits), 18 bytes captured (144 bits)\n')).toBe(true);
    expect(t.endsWith('\n\n')).toBe(true);
  });

  it('shows the TCP tracker extras after the layer fields', () => {
    const [p] = corpusPackets('http-get-simple.pcap');
    expect(packetTree(p)).toMatch(/Transmission Control Protocol[^]*\n    \[Stream index: 0\]\n/);
  });
});

describe('-x hex dump', () => {
  it('matches tshark -x on an ARP frame', () => {
    const b = hex('ffffffffffff0016ce6e8b2408060001080006040001 0016ce6e8b24c0a80072000000000000c0a80001');
    expect(hexdump(b)).toBe(
      '0000  ff ff ff ff ff ff 00 16 ce 6e 8b 24 08 06 00 01   .........n.$....\n' +
        '0010  08 00 06 04 00 01 00 16 ce 6e 8b 24 c0 a8 00 72   .........n.$...r\n' +
        '0020  00 00 00 00 00 00 c0 a8 00 01                     ..........\n',
    );
  });

  it('titles each data source when a layer reads a reassembled buffer', () => {
    const [p] = dissectAll([ethFrame(4)]);
    expect(packetHex(p)).toBe(hexdump(p.frame.data) + '\n');
    const fake: Dissector<null> = { proto: 'x', name: 'X', fieldKeys: [], dissect: (b, s, e) => new Layer(fake, b, s, e, null), fields: () => [] };
    const re = new Layer(fake, hex('00 7b 00 89'), 0, 4, null);
    re.bufName = 'Reassembled IPv4';
    p.layers.push(re);
    expect(dataSources(p).map((s) => s.name)).toEqual(['Frame', 'Reassembled IPv4']);
    expect(packetHex(p)).toBe(
      'Frame (18 bytes):\n' + hexdump(p.frame.data) + 'Reassembled IPv4 (4 bytes):\n0000  00 7b 00 89                                       .{..\n\n',
    );
  });
});
