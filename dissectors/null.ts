// BSD loopback encapsulation: LINKTYPE_NULL (0) and OpenBSD LINKTYPE_LOOP (108).
//
// NULL: a 4-byte address family in the CAPTURING host's byte order. We decode it as tshark does
// on a little-endian machine (Wireshark's dissect_null): read the 4 bytes little-endian; if the
// upper 16 bits are set, either the AF sits in the upper half (IRIX/UNICOS snoop) or the value
// is big-endian and is byte-swapped; a value > 1500 is an ethertype (null.type, as in corpus
// null-ipv4-ipv6-dns-tcp-bjnp.pcap frame 3: bytes 0f 00 08 00 → "Type: IPv4 (0x0800)"),
// otherwise an AF (null.family).
// LOOP: the AF is always big-endian (network byte order).
// AF 2 → IPv4; 24, 28, 30 (BSD, FreeBSD, Darwin AF_INET6) and 10 (Linux AF_INET6) → IPv6: the
// next layer is looked up in 'ethertype' (0x0800 / 0x86dd). Other AFs go to table 'null.af'.
// (tshark itself has no IPv6 mapping for AF 10: it shows "Family: Unknown (10)" and Data.)

import { fHex, fUint, u32, u32le } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { emptyPayload, etypeText } from './link-common.js';

export interface NullD {
  ok: boolean;
  /** Address family (when etype is -1). */
  family: number;
  /** Ethertype when the header held one, else -1. */
  etype: number;
}

const FAMILY_NAMES: Record<number, string> = {
  2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6',
};

/** AF → ethertype for the next layer, or -1. */
function afEtype(af: number): number {
  if (af === 2) return 0x0800;
  if (af === 10 || af === 24 || af === 28 || af === 30) return 0x86dd;
  return -1;
}

function bswap32(v: number): number {
  return (((v & 0xff) << 24) >>> 0) + ((v & 0xff00) << 8) + ((v >>> 8) & 0xff00) + (v >>> 24);
}

function decode(l: Layer<NullD>, raw: number, start: number, end: number, ctx: DissectContext): void {
  const d = l.d;
  d.ok = true;
  emptyPayload(l, ctx, start + 4, end);
  if (raw > 1500) {
    d.etype = raw & 0xffff;
    l.next = { table: 'ethertype', key: d.etype, start: start + 4, end };
    return;
  }
  d.family = raw;
  const et = afEtype(raw);
  l.next = et >= 0 ? { table: 'ethertype', key: et, start: start + 4, end } : { table: 'null.af', key: raw, start: start + 4, end };
}

function short(l: Layer<NullD>, ctx: DissectContext): boolean {
  if (l.end - l.start >= 4) return false;
  l.short('Null/Loopback header', l.start, 4, ctx.snapCut(l.buf, l.start + 4));
  return true;
}

const nullFields = (l: Layer<NullD>): Field[] => {
  const d = l.d;
  if (!d.ok) return [];
  if (d.etype >= 0) {
    const f = fHex('null.type', 'Type', d.etype, l.start, 4, 4);
    f.text = `Type: ${etypeText(d.etype)}`;
    return [f];
  }
  const f = fUint('null.family', 'Family', d.family, l.start, 4);
  f.text = `Family: ${FAMILY_NAMES[d.family] ?? 'Unknown'} (${d.family})`;
  return [f];
};

export const nullLoopback: Dissector<NullD> = {
  proto: 'null',
  name: 'Null/Loopback',
  fieldKeys: ['null.family', 'null.type'],
  registers: [{ table: 'link', key: 0 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<NullD>(nullLoopback, buf, start, end, { ok: false, family: -1, etype: -1 });
    if (short(l, ctx)) return l;
    let h = u32le(buf, start);
    if ((h & 0xffff0000) !== 0) {
      if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) h = h >>> 16;
      else h = bswap32(h);
    } else if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) {
      h = ((h & 0xff00) >> 8) | ((h & 0xff) << 8);
    }
    decode(l, h, start, end, ctx);
    return l;
  },
  fields: nullFields,
  title: () => 'Null/Loopback',
  column: () => 'N/A',
  info: () => 'Null/Loopback',
};

export const loop: Dissector<NullD> = {
  proto: 'null', // tshark shows OpenBSD loopback with the same protocol and fields
  name: 'Null/Loopback',
  fieldKeys: ['null.family'],
  registers: [{ table: 'link', key: 108 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<NullD>(loop, buf, start, end, { ok: false, family: -1, etype: -1 });
    if (short(l, ctx)) return l;
    const af = u32(buf, start);
    l.d.ok = true;
    l.d.family = af;
    emptyPayload(l, ctx, start + 4, end);
    const et = afEtype(af);
    l.next = et >= 0 ? { table: 'ethertype', key: et, start: start + 4, end } : { table: 'null.af', key: af, start: start + 4, end };
    return l;
  },
  fields: nullFields,
  title: () => 'Null/Loopback',
  column: () => 'N/A',
  info: () => 'Null/Loopback',
};
