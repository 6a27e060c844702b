// Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL 113), 16-byte header:
//   packet type (2) | ARPHRD type (2) | address length (2) | address (8) | protocol (2)
// Protocol > 1536 is an ethertype (sll.etype, next 'ethertype'); otherwise a Linux protocol
// (sll.ltype): 0x0004 = 802.2 LLC (next 'llc'), 0x0003 = an Ethernet frame (next 'link' 1),
// others go to data. The padding / trailer after the payload is sll.trailer (link-common.ts).
// The shared helpers below are used by sll2.ts as well.

import { fBytes, fHex, fIPv4, fMAC, fmtMAC, fUint, hexN, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field, Next } from '../src/dissect/types.js';
import { emptyPayload, etypeText, fEtype, fillLinkTail, hwTypeText, trailerFields, type LinkTail } from './link-common.js';

export interface SllD extends LinkTail {
  ok: boolean;
  pkttype: number;
  hatype: number;
  halen: number;
  /** Offset of the 8-byte address field. */
  addrAt: number;
  protocol: number;
  /** SLL2 only: interface index. */
  ifindex: number;
}

export const PKTTYPE_NAMES = ['Unicast to us', 'Broadcast', 'Multicast', 'Unicast to another host', 'Sent by us'];
const LTYPE_NAMES: Record<number, string> = {
  0x1: 'Raw 802.3', 0x3: 'Ethernet', 0x4: '802.2 LLC', 0x7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD',
  0x17: 'IrDA LAP', 0xf5: 'ISI', 0xf6: 'IEEE 802.15.4',
};

export function emptySll(): SllD {
  return { ok: false, pkttype: 0, hatype: 0, halen: 0, addrAt: 0, protocol: 0, ifindex: 0, layers: null, pktLen: 0, missing: 0, payloadEnd: -1, fcs: -1 };
}

/** Fill the LinkTail part and return the `next` for a protocol value found at `payload`. */
export function sllNext(l: Layer<SllD>, ctx: DissectContext, payload: number): Next | null {
  const { buf, end } = l;
  fillLinkTail(l.d, ctx, buf, end);
  const p = l.d.protocol;
  emptyPayload(l, ctx, payload, end);
  if (p > 1536) return { table: 'ethertype', key: p, start: payload, end };
  if (p === 0x0004) return { table: 'llc', key: 0, start: payload, end };
  if (p === 0x0003) return { table: 'link', key: 1, start: payload, end };
  l.d.payloadEnd = end; // unknown: all goes to data, no trailer
  return { table: 'sll.ltype', key: p, start: payload, end };
}

/** sll.pkttype, sll.hatype, sll.halen, the address and sll.unused fields. */
export function sllAddrFields(l: Layer<SllD>, pktAt: number, hatAt: number, halAt: number, halLen: number, out: Field[]): void {
  const d = l.d;
  let f = fUint('sll.pkttype', 'Packet type', d.pkttype, pktAt, 2);
  if (halLen === 1) f.len = 1;
  f.text = `Packet type: ${PKTTYPE_NAMES[d.pkttype] ?? 'Unknown'} (${d.pkttype})`;
  const pk = f;
  f = fUint('sll.hatype', 'Link-layer address type', d.hatype, hatAt, 2);
  f.text = `Link-layer address type: ${hwTypeText(d.hatype)}`;
  const ha = f;
  const hl = fUint('sll.halen', 'Link-layer address length', d.halen, halAt, halLen);
  if (halLen === 2) out.push(pk, ha, hl); // v1 order
  else out.push(ha, pk, hl); // v2 order
  const a = d.addrAt;
  const n = Math.min(d.halen, 8);
  if (n === 6) out.push(fMAC('sll.src.eth', 'Source', l.buf, a));
  else if (n === 4) out.push(fIPv4('sll.src.ipv4', 'Source', l.buf, a));
  else if (n > 0) out.push(fBytes('sll.src.other', 'Source', l.buf, a, a + n));
  if (n < 8) out.push(fBytes('sll.unused', 'Unused', l.buf, a + n, a + 8));
}

/** sll.etype / sll.ltype field for the protocol at `at`. */
export function sllProtoField(d: SllD, at: number): Field {
  if (d.protocol > 1536) {
    const f = fEtype('sll.etype', d.protocol, at);
    f.label = 'Protocol';
    f.text = `Protocol: ${etypeText(d.protocol)}`;
    return f;
  }
  const f = fHex('sll.ltype', 'Protocol', d.protocol, at, 2);
  f.text = `Protocol: ${LTYPE_NAMES[d.protocol] ?? 'Unknown'} (${hexN(d.protocol, 4)})`;
  return f;
}

/** Source column: the address when it is a MAC, as tshark shows it; no destination. */
export function sllAddresses(l: Layer<SllD>): [string, string] | null {
  const d = l.d;
  if (!d.ok || d.halen !== 6) return null;
  return [fmtMAC(l.buf, d.addrAt), ''];
}

export const sll: Dissector<SllD> = {
  proto: 'sll',
  name: 'Linux cooked capture v1',
  fieldKeys: [
    'sll.pkttype', 'sll.hatype', 'sll.halen', 'sll.src.eth', 'sll.src.ipv4', 'sll.src.other', 'sll.unused',
    'sll.etype', 'sll.ltype', 'sll.trailer', 'eth.padding',
  ],
  registers: [{ table: 'link', key: 113 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<SllD>(sll, buf, start, end, emptySll());
    if (end - start < 16) {
      l.short('Linux cooked header', start, 16, ctx.snapCut(buf, start + 16));
      return l;
    }
    const d = l.d;
    d.ok = true;
    d.pkttype = u16(buf, start);
    d.hatype = u16(buf, start + 2);
    d.halen = u16(buf, start + 4);
    d.addrAt = start + 6;
    d.protocol = u16(buf, start + 14);
    l.next = sllNext(l, ctx, start + 16);
    return l;
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const out: Field[] = [];
    sllAddrFields(l, s, s + 2, s + 4, 2, out);
    out.push(sllProtoField(d, s + 14));
    trailerFields(l, d, out, 'sll.trailer', false);
    return out;
  },
  title: () => 'Linux cooked capture v1',
  addresses: sllAddresses,
  column: () => 'SLL',
  protocolsPart: (l) => (l.next?.table === 'ethertype' ? 'sll:ethertype' : 'sll'),
};
