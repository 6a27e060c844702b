// Ethernet II (DIX) and IEEE 802.3 length frames. LINKTYPE_ETHERNET (1).
//
// Type >= 0x0600: Ethernet II, next = 'ethertype' table. Type <= 1500: IEEE 802.3, the field is
// the payload length and the payload is 802.2 LLC (next = 'llc' table, key 0). 1501..1535 is
// neither (tshark: eth.invalid_lentype): 'malformed', and the payload goes to 'data'.
// Padding / trailer / FCS after the network layer: see link-common.ts.

import { fMAC, fmtMAC, fUint, hexN, hide, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { emptyPayload, etypeColumn, fEtype, fillLinkTail, payloadEndBeforeFcs, trailerFields, type LinkTail } from './link-common.js';

export interface EthD extends LinkTail {
  /** EtherType (>= 0x0600) or 802.3 length (<= 1500); -1 when the header is short. */
  type: number;
}

const IEEE_802_3_MAX_LEN = 1500;

export const ethernet: Dissector<EthD> = {
  proto: 'eth',
  name: 'Ethernet II',
  fieldKeys: ['eth.dst', 'eth.src', 'eth.addr', 'eth.type', 'eth.len', 'eth.invalid_lentype', 'eth.padding', 'eth.trailer', 'eth.fcs', 'eth.fcs.status'],
  // 0x6558: transparent Ethernet bridging inside GRE
  registers: [{ table: 'link', key: 1 }, { table: 'gre.proto', key: 0x6558 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<EthD>(ethernet, buf, start, end, { type: -1, layers: null, pktLen: 0, missing: 0, payloadEnd: -1, fcs: -1 });
    if (end - start < 14) {
      l.short('Ethernet header', start, 14, ctx.snapCut(buf, start + 14));
      return l;
    }
    const d = l.d;
    fillLinkTail(d, ctx, buf, end);
    const type = u16(buf, start + 12);
    d.type = type;
    if (type >= 0x0600) {
      const pend = payloadEndBeforeFcs(d, start + 14, end);
      l.next = { table: 'ethertype', key: type, start: start + 14, end: pend };
      emptyPayload(l, ctx, start + 14, pend);
    } else if (type <= IEEE_802_3_MAX_LEN) {
      // The length counts the LLC payload; what follows it is padding / trailer.
      let pend = start + 14 + type;
      const have = end + d.missing;
      if (pend > have) {
        l.problem('malformed', `802.3 length ${type} goes past the end of the payload (${have - start - 14} bytes)`, start + 12, start + 14);
        pend = have;
      }
      d.payloadEnd = Math.min(pend, end);
      l.next = { table: 'llc', key: 0, start: start + 14, end: d.payloadEnd };
      emptyPayload(l, ctx, start + 14, d.payloadEnd);
    } else {
      l.problem('malformed', `invalid length/type ${hexN(type, 4)} (between 1501 and 1535)`, start + 12, start + 14);
      d.payloadEnd = end; // all of it goes to data: no trailer
      l.next = { table: 'ethertype', key: -1, start: start + 14, end };
    }
    return l;
  },
  fields(l) {
    const { buf, start, d } = l;
    if (d.type < 0) return [];
    // eth.addr: each address again, hidden (tshark has it under each one: `eth.addr == …` matches either)
    const out: Field[] = [
      fMAC('eth.dst', 'Destination', buf, start), hide(fMAC('eth.addr', 'Address', buf, start)),
      fMAC('eth.src', 'Source', buf, start + 6), hide(fMAC('eth.addr', 'Address', buf, start + 6)),
    ];
    if (d.type >= 0x0600) out.push(fEtype('eth.type', d.type, start + 12));
    else if (d.type <= IEEE_802_3_MAX_LEN) out.push(fUint('eth.len', 'Length', d.type, start + 12, 2));
    else {
      const f = fUint('eth.invalid_lentype', 'Invalid length/type', d.type, start + 12, 2);
      f.show = hexN(d.type, 4); // BASE_HEX_DEC: -T fields shows the hex part
      f.text = `Invalid length/type: ${hexN(d.type, 4)} (${d.type})`;
      out.push(f);
    }
    trailerFields(l, d, out, 'eth.trailer', true);
    return out;
  },
  title(l) {
    if (l.d.type < 0) return 'Ethernet II';
    // tshark prints "IEEE 802.3 Ethernet " (with the trailing space) for length frames.
    if (l.d.type <= IEEE_802_3_MAX_LEN) return 'IEEE 802.3 Ethernet ';
    if (l.d.type < 0x0600) return `Ethernet Unknown, Src: ${fmtMAC(l.buf, l.start + 6)}, Dst: ${fmtMAC(l.buf, l.start)}`;
    return `Ethernet II, Src: ${fmtMAC(l.buf, l.start + 6)}, Dst: ${fmtMAC(l.buf, l.start)}`;
  },
  addresses(l) {
    if (l.d.type < 0) return null;
    return [fmtMAC(l.buf, l.start + 6), fmtMAC(l.buf, l.start)];
  },
  column: (l) => etypeColumn(l, l.d, l.d.type, 'Ethernet'),
  // tshark lists the ethertype table as a protocol of its own in frame.protocols
  protocolsPart: (l) => (l.next?.table === 'ethertype' && l.d.type >= 0x0600 ? 'eth:ethertype' : 'eth'),
  // tshark's Info when nothing above writes one (unknown ethertype, or a bad length/type).
  info(l) {
    const t = l.d.type;
    if (t < 0) return null;
    if (t > IEEE_802_3_MAX_LEN && t < 0x0600) return `Ethernet Unknown: Invalid length/type: ${hexN(t, 4)} (${t})`;
    return t >= 0x0600 ? 'Ethernet II' : null;
  },
};
