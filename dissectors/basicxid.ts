// LLC basic-format XID (IEEE 802.2 5.4.1.1.2): the information field of an LLC XID frame whose first byte
// is 0x81 — format identifier, the LLC types/classes the station supports, its receive window — as tshark
// 4.0 shows it (Protocol "XID", Info "Basic Format; Type 1 LLC (Class I LLC); Window Size 0"; frame.protocols
// keeps "llc" only, as tshark's basicxid adds no layer name there).

import { fHex, fUint } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector } from '../src/dissect/types.js';

export interface BasicXidD {
  format: number;
  types: number;
  wsize: number;
}

const TYPES: Record<number, string> = {
  1: 'Type 1 LLC (Class I LLC)', 2: 'Type 2 LLC', 3: 'Type 1 and Type 2 LLCs (Class II LLC)', 4: 'Type 3 LLC',
  5: 'Type 1 and Type 3 LLCs (Class III LLC)', 6: 'Type 2 and Type 3 LLCs', 7: 'Type 1 and Type 2 and Type 3 LLCs (Class IV LLC)',
};

export const basicxid: Dissector<BasicXidD> = {
  proto: 'basicxid',
  name: 'Logical-Link Control Basic Format XID',
  fieldKeys: ['basicxid.llc.xid.format', 'basicxid.llc.xid.types', 'basicxid.llc.xid.wsize'],
  registers: [{ table: 'llc.xid', key: 0x81 }],
  protocolsPart: () => '',
  dissect(buf, start, end, ctx) {
    const d: BasicXidD = { format: buf[start], types: -1, wsize: -1 };
    const l = new Layer<BasicXidD>(basicxid, buf, start, end, d);
    if (end - start < 3) {
      l.short('basic XID information field', start, 3, ctx.snapCut(buf, start + 3));
      if (end - start >= 2) d.types = buf[start + 1] & 0x1f;
      return l;
    }
    d.types = buf[start + 1] & 0x1f;
    d.wsize = buf[start + 2] >> 1;
    return l;
  },
  fields(l) {
    const d = l.d;
    const s = l.start;
    const f = fHex('basicxid.llc.xid.format', 'XID Format', d.format, s, 1);
    f.text = `XID Format: ${d.format === 0x81 ? 'LLC basic format' : 'Unknown'} (${f.show})`;
    const out = [f];
    if (d.types >= 0) {
      const t = fHex('basicxid.llc.xid.types', 'LLC Types/Classes', d.types, s + 1, 1);
      t.text = `LLC Types/Classes: ${TYPES[d.types] ?? 'Unknown'} (${t.show})`;
      out.push(t);
    }
    if (d.wsize >= 0) out.push(fUint('basicxid.llc.xid.wsize', 'Receive Window Size', d.wsize, s + 2, 1));
    return out;
  },
  column: () => 'XID',
  info(l) {
    // tshark appends each part as it reads it: a cut field leaves the parts before it
    const d = l.d;
    let s = 'Basic Format';
    if (d.types >= 0) s += `; ${TYPES[d.types] ?? 'Unknown'}`;
    if (d.wsize >= 0) s += `; Window Size ${d.wsize}`;
    return s;
  },
};
