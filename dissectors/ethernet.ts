// Ethernet II (DIX) and IEEE 802.3 length frames. LINKTYPE_ETHERNET (1).

import { fHex, fMAC, fmtMAC, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface EthD {
  /** EtherType (>= 0x0600) or 802.3 length (<= 1500); -1 when the header is short. */
  type: number;
}

export const ethernet: Dissector<EthD> = {
  proto: 'eth',
  name: 'Ethernet II',
  fieldKeys: ['eth.dst', 'eth.src', 'eth.type', 'eth.len', 'eth.addr'],
  registers: [{ table: 'link', key: 1 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<EthD>(ethernet, buf, start, end, { type: -1 });
    if (end - start < 14) {
      l.short('Ethernet header', start, 14, ctx.snapCut(buf, start + 14));
      return l;
    }
    const type = u16(buf, start + 12);
    l.d.type = type;
    if (type >= 0x0600) l.next = { table: 'ethertype', key: type, start: start + 14, end };
    else if (type <= 1500) l.next = { table: 'llc', key: 0, start: start + 14, end: Math.min(end, start + 14 + type) };
    return l;
  },
  fields(l) {
    const { buf, start } = l;
    if (l.d.type < 0) return [];
    const out: Field[] = [fMAC('eth.dst', 'Destination', buf, start), fMAC('eth.src', 'Source', buf, start + 6)];
    if (l.d.type >= 0x0600) out.push(fHex('eth.type', 'Type', l.d.type, start + 12, 2));
    else out.push({ key: 'eth.len', label: 'Length', value: l.d.type, show: String(l.d.type), start: start + 12, len: 2 });
    return out;
  },
  title(l) {
    if (l.d.type < 0) return 'Ethernet II';
    return `${l.d.type >= 0x0600 ? 'Ethernet II' : 'IEEE 802.3 Ethernet'}, Src: ${fmtMAC(l.buf, l.start + 6)}, Dst: ${fmtMAC(l.buf, l.start)}`;
  },
  addresses(l) {
    if (l.d.type < 0) return null;
    return [fmtMAC(l.buf, l.start + 6), fmtMAC(l.buf, l.start)];
  },
  column: () => 'Ethernet',
};
