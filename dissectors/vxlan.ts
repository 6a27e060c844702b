// VXLAN (RFC 7348, with the Group Based Policy extension) on UDP port 4789, as tshark 4.0 shows it: the
// 8-byte header (flags drawn as its 16 bits: G, I, D, A and the reserved bits; the group policy ID, the
// 24-bit VNI, the reserved byte) and the Ethernet frame it carries, dissected as any frame (the table
// shows the inner packet's columns, as tshark). A header cut short is a malformed VxLAN layer.

import { bitsText, fBool, fHex, fUint, hexN, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export const VXLAN_UDP_PORT = 4789;
const HEADER = 8;

type Flag = [key: string, label: string, mask: number, yes: string, no: string];
const FLAGS: Flag[] = [
  ['vxlan.flag_g', 'GBP Extension', 0x8000, 'Defined', 'Not defined'],
  ['vxlan.flag_i', 'VXLAN Network ID (VNI)', 0x0800, 'True', 'False'],
  ['vxlan.flag_d', "Don't Learn", 0x0040, 'True', 'False'],
  ['vxlan.flag_a', 'Policy Applied', 0x0008, 'True', 'False'],
];
const RESERVED = 0x77b7;

export const vxlan: Dissector<{ ok: boolean }> = {
  proto: 'vxlan',
  name: 'Virtual eXtensible Local Area Network',
  fieldKeys: ['vxlan.flags', ...FLAGS.map((f) => f[0]), 'vxlan.flags_reserved', 'vxlan.gbp', 'vxlan.vni', 'vxlan.reserved8'],
  registers: [{ table: 'udp.port', key: VXLAN_UDP_PORT }],
  column: () => 'VxLAN',

  dissect(buf, start, end) {
    const l = new Layer(vxlan, buf, start, end, { ok: end - start >= HEADER });
    if (!l.d.ok) {
      // tshark reads the header field by field and throws where the bytes end
      l.problem('malformed', `VXLAN header cut short: ${end - start} of ${HEADER} bytes`, start, end);
      return l;
    }
    if (end > start + HEADER) l.next = { table: 'link', key: 1, start: start + HEADER, end };
    return l;
  },

  fields(l) {
    const { buf, start: s, end } = l;
    const out: Field[] = [];
    if (end - s < 2) return out;
    const fl = u16(buf, s);
    const f = fHex('vxlan.flags', 'Flags', fl, s, 2);
    const set = FLAGS.filter((x) => fl & x[2]).map((x) => `, ${x[1]}`).join('');
    f.text = `Flags: ${hexN(fl, 4)}${set}`;
    f.children = FLAGS.map(([key, label, m, yes, no]) => {
      const b = fBool(key, label, (fl & m) !== 0, s, 2, m);
      b.text = `${bitsText(fl, m, 16)} = ${label}: ${fl & m ? yes : no}`;
      return b;
    });
    const r = fHex('vxlan.flags_reserved', 'Reserved(R)', fl & RESERVED, s, 2);
    r.mask = RESERVED;
    r.text = `${bitsText(fl, RESERVED, 16)} = Reserved(R): ${hexN(fl & RESERVED, 4)}`;
    f.children.push(r);
    out.push(f);
    if (end - s < 4) return out;
    out.push(fUint('vxlan.gbp', 'Group Policy ID', u16(buf, s + 2), s + 2, 2));
    if (end - s < 7) return out;
    out.push(fUint('vxlan.vni', 'VXLAN Network Identifier (VNI)', (buf[s + 4] << 16) | (buf[s + 5] << 8) | buf[s + 6], s + 4, 3));
    if (end - s < 8) return out;
    out.push(fUint('vxlan.reserved8', 'Reserved', buf[s + 7], s + 7, 1));
    return out;
  },

  // tshark's VXLAN clears Info; the frame inside writes its own
  info: () => '',
};
