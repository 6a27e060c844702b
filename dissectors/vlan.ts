// IEEE 802.1Q VLAN tag (ethertypes 0x8100 and the old Q-in-Q 0x9100) and IEEE 802.1ad
// service tag (0x88a8). Each tag is 4 bytes: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits) and the
// inner ethertype (or an 802.3 length, then 802.2 LLC follows).
// The innermost tag shows the padding / trailer after the payload (vlan.trailer,
// ieee8021ah.trailer; see link-common.ts). tshark names the 802.1ad type field
// "ieee8021ah.etype".

import { fBits, fBool, fUint, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { emptyPayload, etypeColumn, fEtype, fillLinkTail, trailerFields, type LinkTail } from './link-common.js';

export interface VlanD extends LinkTail {
  /** false when the 4-byte tag is short. */
  ok: boolean;
  pri: number;
  dei: number;
  id: number;
  /** Inner ethertype, or 802.3 length when <= 1500. */
  type: number;
}

const PRI_NAMES = [
  'Best Effort (default)', 'Background', 'Excellent Effort', 'Critical Applications',
  'Video, < 100ms latency and jitter', 'Voice, < 10ms latency and jitter', 'Internetwork Control', 'Network Control',
];

function dissectTag(dis: Dissector<VlanD>, what: string, buf: Uint8Array, start: number, end: number, ctx: DissectContext): Layer<VlanD> {
  const l = new Layer<VlanD>(dis, buf, start, end, {
    ok: false, pri: 0, dei: 0, id: 0, type: -1, layers: null, pktLen: 0, missing: 0, payloadEnd: -1, fcs: -1,
  });
  if (end - start < 4) {
    l.short(what, start, 4, ctx.snapCut(buf, start + 4));
    return l;
  }
  const d = l.d;
  fillLinkTail(d, ctx, buf, end);
  const tci = u16(buf, start);
  d.ok = true;
  d.pri = tci >> 13;
  d.dei = (tci >> 12) & 1;
  d.id = tci & 0xfff;
  d.type = u16(buf, start + 2);
  if (d.type > 1500) {
    l.next = { table: 'ethertype', key: d.type, start: start + 4, end };
  } else {
    let pend = start + 4 + d.type;
    if (pend > end + d.missing) {
      l.problem('malformed', `802.3 length ${d.type} goes past the end of the payload (${end + d.missing - start - 4} bytes)`, start + 2, start + 4);
      pend = end + d.missing;
    }
    d.payloadEnd = Math.min(pend, end);
    l.next = { table: 'llc', key: 0, start: start + 4, end: d.payloadEnd };
  }
  emptyPayload(l, ctx, start + 4, l.next.end);
  return l;
}

export const vlan: Dissector<VlanD> = {
  proto: 'vlan',
  name: '802.1Q Virtual LAN',
  fieldKeys: ['vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype', 'vlan.len', 'vlan.trailer', 'eth.padding'],
  registers: [
    { table: 'ethertype', key: 0x8100 },
    { table: 'ethertype', key: 0x9100 },
  ],
  dissect(buf, start, end, ctx) {
    return dissectTag(vlan, '802.1Q tag', buf, start, end, ctx);
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const out: Field[] = [];
    let f = fBits('vlan.priority', 'Priority', d.pri, s, 2, 0xe000);
    f.text = `Priority: ${PRI_NAMES[d.pri]} (${d.pri})`;
    out.push(f);
    f = fBool('vlan.dei', 'DEI', d.dei === 1, s, 2, 0x1000);
    f.text = `DEI: ${d.dei ? 'Eligible' : 'Ineligible'}`;
    out.push(f);
    out.push(fBits('vlan.id', 'ID', d.id, s, 2, 0x0fff));
    if (d.type > 1500) out.push(fEtype('vlan.etype', d.type, s + 2));
    else out.push(fUint('vlan.len', 'Length', d.type, s + 2, 2));
    trailerFields(l, d, out, 'vlan.trailer', false);
    return out;
  },
  title(l) {
    const d = l.d;
    return d.ok ? `802.1Q Virtual LAN, PRI: ${d.pri}, DEI: ${d.dei}, ID: ${d.id}` : '802.1Q Virtual LAN';
  },
  column: (l) => etypeColumn(l, l.d, l.d.type, 'VLAN'),
  protocolsPart: (l) => (l.next?.table === 'ethertype' ? 'vlan:ethertype' : 'vlan'),
  info(l) {
    const d = l.d;
    return d.ok ? `PRI: ${d.pri}  DEI: ${d.dei}  ID: ${d.id}` : null;
  },
};

export const ieee8021ad: Dissector<VlanD> = {
  proto: 'ieee8021ad',
  name: 'IEEE 802.1ad',
  fieldKeys: ['ieee8021ad.priority', 'ieee8021ad.dei', 'ieee8021ad.id', 'ieee8021ah.etype', 'ieee8021ah.trailer'],
  registers: [{ table: 'ethertype', key: 0x88a8 }],
  dissect(buf, start, end, ctx) {
    return dissectTag(ieee8021ad, '802.1ad tag', buf, start, end, ctx);
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const out: Field[] = [
      fBits('ieee8021ad.priority', 'Priority', d.pri, s, 2, 0xe000),
      fBits('ieee8021ad.dei', 'DEI', d.dei, s, 2, 0x1000),
      fBits('ieee8021ad.id', 'ID', d.id, s, 2, 0x0fff),
    ];
    if (d.type > 1500) out.push(fEtype('ieee8021ah.etype', d.type, s + 2));
    else out.push(fUint('vlan.len', 'Length', d.type, s + 2, 2));
    trailerFields(l, d, out, 'ieee8021ah.trailer', false);
    return out;
  },
  title(l) {
    return l.d.ok ? `IEEE 802.1ad, ID: ${l.d.id}` : 'IEEE 802.1ad';
  },
  column: (l) => etypeColumn(l, l.d, l.d.type, '802.1ad'),
  protocolsPart: (l) => (l.next?.table === 'ethertype' ? 'ieee8021ad:ethertype' : 'ieee8021ad'),
  info(l) {
    const d = l.d;
    return d.ok ? `PRI: ${d.pri}  DROP: ${d.dei} ID: ${d.id}` : null; // tshark's spacing
  },
};
