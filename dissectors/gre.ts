// GRE, Generic Routing Encapsulation (IP protocol 47; RFC 2784, RFC 2890 key and sequence number, RFC 1701
// routing), and the enhanced GRE of PPTP (RFC 2637: version 1, protocol type PPP 0x880b, the key split into
// payload length and call ID, an acknowledgement number), as tshark 4.0 shows it: flags and version (the
// acknowledgement bit only for enhanced GRE), protocol type, checksum with its status (verified over the
// whole GRE packet unless the capture cut it), offset, key, sequence and acknowledgement numbers, routing
// SREs. The payload goes to the 'gre.proto' table (IPv4, IPv6, Ethernet for transparent bridging 0x6558,
// PPP 0x880b); a protocol type nobody registered is data. Info "Encapsulated IP", "Encapsulated PPP",
// "Encapsulated 0x1234 (unknown)"; the tree title "Generic Routing Encapsulation (PPP)".
//
// Without the sequence bit and with no bytes after the header there is no payload (tshark returns there).
// GRE in GRE is bounded by the chain's layer limit (MAX_LAYERS).

import { bitsText, checksumFields, fBits, fBool, fBytes, fHex, fText, fUint, hexN, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const C = 0x8000, R = 0x4000, K = 0x2000, S = 0x1000, A = 0x0080;
/** Source route entries read at most (a lying routing field). */
const MAX_SRE = 32;

const TYPES: Record<number, string> = {
  0x0800: 'IP', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x6558: 'Transparent Ethernet bridging', 0x880b: 'PPP',
  0x8847: 'MPLS label switched packet', 0x8137: 'IPX', 0x883e: 'WCCP', 0x2000: 'CDP (Cisco)', 0x2001: 'NHRP',
  0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x6559: 'Frame Relay', 0x894f: 'Network Service Header',
  0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x88d2: 'CDMA2000 A10 3GPP2 Packet', 0x8909: 'CiscoMetaData',
};
const typeName = (t: number): string | undefined => TYPES[t];

export interface GreD {
  flags: number;
  type: number;
  /** Enhanced GRE (PPTP): version bits set and protocol type PPP. */
  ppp: boolean;
  /** Header length (the fields present); the header may be cut before it. */
  hdrLen: number;
  /** true when the header fits in the bytes. */
  whole: boolean;
  /** Checksum status: 1 good, 0 bad, 2 unverified, -1 absent. */
  ck: number;
  calc: number;
}

function headerLen(b: Uint8Array, s: number, end: number, flags: number, ppp: boolean): { len: number; cut: boolean } {
  let n = 4;
  if (flags & (C | R)) n += 4;
  if (flags & K) n += 4;
  if (flags & S) n += 4;
  if (ppp && flags & A) n += 4;
  if (flags & R) {
    for (let i = 0; i < MAX_SRE; i++) {
      if (s + n + 4 > end) return { len: n + 4, cut: true };
      const af = u16(b, s + n);
      const sl = b[s + n + 3];
      n += 4;
      if (af === 0 && sl === 0) break;
      n += sl;
    }
  }
  return { len: n, cut: s + n > end };
}

/** tshark's bit drawing of `mask` over an `nbits`-wide value: "..1. .... .... ....". */
function sum16(b: Uint8Array, s: number, e: number): number {
  let sum = 0;
  let i = s;
  for (; i + 1 < e; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < e) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export const gre: Dissector<GreD> = {
  proto: 'gre',
  name: 'Generic Routing Encapsulation',
  fieldKeys: [
    'gre.flags_and_version', 'gre.flags.checksum', 'gre.flags.routing', 'gre.flags.key', 'gre.flags.sequence_number',
    'gre.flags.strict_source_route', 'gre.flags.recursion_control', 'gre.flags.ack', 'gre.flags.reserved',
    'gre.flags.version', 'gre.proto', 'gre.checksum', 'gre.checksum.status', 'gre.offset', 'gre.key',
    'gre.key.payload_length', 'gre.key.call_id', 'gre.sequence_number', 'gre.ack_number', 'gre.routing',
    'gre.routing.address_family', 'gre.routing.sre_offset', 'gre.routing.src_length', 'gre.routing.information',
  ],
  registers: [{ table: 'ip.proto', key: 47 }],

  dissect(buf, start, end, ctx) {
    const l = new Layer<GreD>(gre, buf, start, end, { flags: 0, type: 0, ppp: false, hdrLen: 4, whole: false, ck: -1, calc: 0 });
    if (end - start < 4) {
      l.short('GRE header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    const flags = u16(buf, start);
    const type = u16(buf, start + 2);
    const ppp = type === 0x880b && (flags & 7) !== 0;
    const h = headerLen(buf, start, end, flags, ppp);
    const d = l.d;
    d.flags = flags;
    d.type = type;
    d.ppp = ppp;
    d.hdrLen = h.len;
    if (flags & (C | R)) {
      if (flags & C && !ctx.snapCut(buf, end) && !ctx.quoted && end - start >= 6) {
        d.calc = sum16(buf, start, end);
        const good = d.calc === 0xffff;
        d.ck = good ? 1 : 0;
        // the value it should have: the sum without the checksum field
        const partial = sum16(buf, start, start + 4) + sum16(buf, start + 6, end);
        let p = partial;
        while (p > 0xffff) p = (p & 0xffff) + (p >>> 16);
        d.calc = ~p & 0xffff;
        if (!good) l.problem('checksum', `GRE checksum ${hexN(u16(buf, start + 4), 4)} is wrong (should be ${hexN(d.calc, 4)})`, start + 4, start + 6);
      } else d.ck = 2;
    }
    if (h.cut) {
      l.short('GRE header', start, h.len, ctx.snapCut(buf, start + h.len));
      return l;
    }
    d.whole = true;
    const at = start + h.len;
    if (!(flags & S) && at >= end) return l;
    l.next = { table: 'gre.proto', key: type, start: at, end };
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const end = l.end;
    const out: Field[] = [];
    if (end - s < 4) return out;
    const { flags, type, ppp } = l.d;
    const fv = fHex('gre.flags_and_version', 'Flags and Version', flags, s, 2);
    const yes = (v: number) => (v ? 'Yes' : 'No');
    const bit = (key: string, label: string, mask: number) => {
      const f = fBool(key, label, (flags & mask) !== 0, s, 2, mask);
      f.text = `${bitsText(flags, mask, 16)} = ${label}: ${yes(flags & mask)}`;
      return f;
    };
    const kids: Field[] = [
      bit('gre.flags.checksum', 'Checksum Bit', C),
      bit('gre.flags.routing', 'Routing Bit', R),
      bit('gre.flags.key', 'Key Bit', K),
      bit('gre.flags.sequence_number', 'Sequence Number Bit', S),
      bit('gre.flags.strict_source_route', 'Strict Source Route Bit', 0x0800),
      fBits('gre.flags.recursion_control', 'Recursion control', (flags >> 8) & 7, s, 2, 0x0700),
    ];
    if (ppp) {
      kids.push(bit('gre.flags.ack', 'Acknowledgment', A), fBits('gre.flags.reserved', 'Flags (Reserved)', (flags >> 3) & 0xf, s, 2, 0x0078));
    } else kids.push(fBits('gre.flags.reserved', 'Flags (Reserved)', (flags >> 3) & 0x1f, s, 2, 0x00f8));
    const ver = fBits('gre.flags.version', 'Version', flags & 7, s, 2, 7);
    ver.text = `${bitsText(flags, 7, 16)} = Version: ${(flags & 7) === 0 ? 'GRE' : (flags & 7) === 1 ? 'Enhanced GRE' : 'Unknown'} (${flags & 7})`;
    kids.push(ver);
    for (const k of kids) if (k.text === undefined) k.text = `${bitsText(flags, k.mask!, 16)} = ${k.label}: ${k.show}`;
    fv.children = kids;
    const pt = fHex('gre.proto', 'Protocol Type', type, s + 2, 2);
    pt.text = `Protocol Type: ${typeName(type) ?? 'Unknown'} (${pt.show})`;
    out.push(fv, pt);
    let at = s + 4;
    const fits = (n: number) => at + n <= end;
    if (flags & (C | R)) {
      if (!fits(2)) return out;
      const ck = l.d.ck;
      if (ck === 2 || ck === -1) {
        const [f, st] = checksumFields('gre.checksum', b, at, null, 0);
        f.text = `Checksum: ${f.show} [unverified]`;
        out.push(f, st);
      } else {
        const [f, st] = checksumFields('gre.checksum', b, at, ck === 1, l.d.calc);
        if (ck === 0) f.text = `Checksum: ${f.show} incorrect, should be ${hexN(l.d.calc, 4)}`;
        out.push(f, st);
      }
      at += 2;
      if (!fits(2)) return out;
      out.push(fUint('gre.offset', 'Offset', u16(b, at), at, 2));
      at += 2;
    }
    if (flags & K) {
      if (ppp) {
        if (!fits(2)) return out;
        out.push(fUint('gre.key.payload_length', 'Payload Length', u16(b, at), at, 2));
        at += 2;
        if (!fits(2)) return out;
        out.push(fUint('gre.key.call_id', 'Call ID', u16(b, at), at, 2));
        at += 2;
      } else {
        if (!fits(4)) return out;
        out.push(fHex('gre.key', 'Key', u32(b, at), at, 4));
        at += 4;
      }
    }
    if (flags & S) {
      if (!fits(4)) return out;
      out.push(fUint('gre.sequence_number', 'Sequence Number', u32(b, at), at, 4));
      at += 4;
    }
    if (ppp && flags & A) {
      if (!fits(4)) return out;
      out.push(fUint('gre.ack_number', 'Acknowledgment Number', u32(b, at), at, 4));
      at += 4;
    }
    if (flags & R) {
      for (let i = 0; i < MAX_SRE; i++) {
        if (!fits(4)) return out;
        const af = u16(b, at);
        const sl = b[at + 3];
        const kids2: Field[] = [
          fUint('gre.routing.address_family', 'Address Family', af, at, 2),
          fUint('gre.routing.sre_offset', 'SRE Offset', b[at + 2], at + 2, 1),
          fUint('gre.routing.src_length', 'SRE Length', sl, at + 3, 1),
        ];
        const r: Field = { ...fText('Routing', at, Math.min(4 + sl, end - at)), key: 'gre.routing', show: '', children: kids2 };
        out.push(r);
        at += 4;
        if (af === 0 && sl === 0) break;
        if (!fits(sl)) return out;
        kids2.push(fBytes('gre.routing.information', 'Routing Information', b, at, at + sl));
        at += sl;
      }
    }
    return out;
  },

  title: (l) => `Generic Routing Encapsulation (${typeName(l.d.type) ?? `0x${l.d.type.toString(16).toUpperCase().padStart(4, '0')} - unknown`})`,
  column: () => 'GRE',
  info(l) {
    if (l.end - l.start < 4) return '';
    const t = l.d.type;
    return `Encapsulated ${typeName(t) ?? `0x${t.toString(16).toUpperCase().padStart(4, '0')} (unknown)`}`;
  },
};
