// Internet Protocol version 6 (RFC 8200) with extension headers: Hop-by-Hop and Destination
// Options (Pad1, PadN, Jumbo Payload, Router Alert, unknown), Routing (types 0, 2, 3, 4 SRH),
// Fragment (with reassembly), AH. Registered on ethertype 0x86dd and ip.proto 41 (IPv6 in IP).

import type { IpD } from '../src/dissect/decoded.js';
import { hide,
  fBits, fBool, fBytes, fHex, fIPv6, fText, fUint, fmtBytesHex, fmtIPv6, gen, hexN, u16, u32,
} from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import { fragmentTree, Reassembler, type Reassembled } from '../src/dissect/reassembly.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { ipProtoName } from './ipproto.js';

export interface Ipv6Ext {
  /** Header type (0 hop-by-hop, 43 routing, 44 fragment, 60 destination options, 51 AH). */
  type: number;
  start: number;
  len: number;
}

export interface Ipv6D extends IpD {
  version: 6;
  /** Fixed header fields decoded. */
  ok: boolean;
  /** First next-header value (ipv6.nxt). */
  nxt: number;
  plen: number;
  /** Jumbo Payload length from hop-by-hop, or -1. */
  jumbo: number;
  exts: Ipv6Ext[];
  /** The extension header type that was cut short or ran past the payload (-1: none). */
  cutExt: number;
  /** Fragment header values when present. */
  fragOff: number;
  fragMore: boolean;
  fragId: number;
  hasFrag: boolean;
  reasm: Reassembled | null;
}

export const REASSEMBLY_SLOT6 = 'ipv6.frag';
const MAX_EXT = 128;

function emptyD(): Ipv6D {
  return {
    version: 6, src: '', dst: '', proto: -1, ttl: 0, totalLen: 0, fragment: false, srcAt: -1, dstAt: -1,
    ok: false, nxt: -1, plen: 0, jumbo: -1, exts: [], cutExt: -1, fragOff: 0, fragMore: false, fragId: 0, hasFrag: false, reasm: null,
  };
}

const EXT_NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6',
  60: 'Destination Options for IPv6', 51: 'Authentication Header',
};
/** Each extension header's protocol name in frame.protocols. */
const EXT_PROTOCOL: Record<number, string> = { 0: 'ipv6.hopopts', 43: 'ipv6.routing', 44: 'ipv6.fraghdr', 60: 'ipv6.dstopts', 51: 'ah' };
const RT_NAMES: Record<number, string> = { 0: 'Source Route', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing' };
const OPT_NAMES: Record<number, string> = { 0: 'Pad1', 1: 'PadN', 0xc2: 'Jumbo Payload', 5: 'Router Alert', 4: 'Tunnel Encapsulation Limit', 0xc9: 'Home Address', 0x63: 'RPL Option', 0x26: 'Quick-Start' };

function hexNoPrefix(v: number, digits: number): string {
  return hexN(v, digits).slice(2);
}

/**
 * The destination the upper layers see (tshark's pinfo->dst): a routing header names the final one
 * (type 0: its last address; segment routing: segment 0); else the header's. tshark's Destination
 * column and its conversation tables show it; the header's ipv6.dst stays in the tree.
 */
export function ipv6FinalDst(l: Layer<Ipv6D>): string {
  const d = l.d;
  if (d.dstAt >= 0 && d.dstAt !== l.start + 24 && d.dstAt + 16 <= l.buf.length) return fmtIPv6(l.buf, d.dstAt);
  return d.dst;
}

export const ipv6: Dissector<Ipv6D> = {
  proto: 'ipv6',
  name: 'Internet Protocol Version 6',
  fieldKeys: [
    'ipv6.version', 'ipv6.tclass', 'ipv6.tclass.dscp', 'ipv6.tclass.ecn', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt',
    'ipv6.hlim', 'ipv6.src', 'ipv6.dst', 'ipv6.addr', 'ipv6.src_host', 'ipv6.dst_host', 'ipv6.host',
    'ipv6.hopopts.nxt', 'ipv6.hopopts.len', 'ipv6.hopopts.len_oct', 'ipv6.dstopts.nxt', 'ipv6.dstopts.len',
    'ipv6.dstopts.len_oct', 'ipv6.opt.type', 'ipv6.opt.type.action', 'ipv6.opt.type.change', 'ipv6.opt.type.rest',
    'ipv6.opt.length', 'ipv6.opt.pad1', 'ipv6.opt.padn', 'ipv6.opt.jumbo', 'ipv6.opt.router_alert',
    'ipv6.opt.unknown', 'ipv6.routing.nxt', 'ipv6.routing.len', 'ipv6.routing.len_oct', 'ipv6.routing.type',
    'ipv6.routing.segleft', 'ipv6.routing.src.reserved', 'ipv6.routing.src.addr', 'ipv6.routing.mipv6.reserved',
    'ipv6.routing.mipv6.home_address', 'ipv6.routing.srh.last_entry', 'ipv6.routing.srh.flags',
    'ipv6.routing.srh.tag', 'ipv6.routing.srh.addr', 'ipv6.routing.data', 'ipv6.fraghdr.nxt',
    'ipv6.fraghdr.reserved_octet', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.reserved_bits', 'ipv6.fraghdr.more',
    'ipv6.fraghdr.ident', 'ah.next_header', 'ah.length', 'ah.spi', 'ah.sequence', 'ah.icv', 'ipv6.fragments',
    'ipv6.fragment', 'ipv6.fragment.overlap', 'ipv6.fragment.overlap.conflict', 'ipv6.fragment.toolongfragment',
    'ipv6.fragment.count', 'ipv6.reassembled.length', 'ipv6.reassembled.data',
  ],
  registers: [{ table: 'ethertype', key: 0x86dd }, { table: 'ip.proto', key: 41 }, { table: 'gre.proto', key: 0x86dd }, { table: 'ppp.protocol', key: 0x0057 }],

  dissect(buf, start, end, ctx) {
    const d = emptyD();
    const l = new Layer<Ipv6D>(ipv6, buf, start, end, d);
    if (end - start < 40) {
      l.short('IPv6 header', start, 40, ctx.snapCut(buf, start + 40));
      return l;
    }
    if ((buf[start] >> 4) !== 6) l.problem('malformed', `Bogus IP version (${buf[start] >> 4}, must be 6)`, start, start + 1);
    d.ok = true;
    d.plen = u16(buf, start + 4);
    d.nxt = buf[start + 6];
    d.ttl = buf[start + 7];
    d.srcAt = start + 8;
    d.dstAt = start + 24;
    d.src = fmtIPv6(buf, start + 8);
    d.dst = fmtIPv6(buf, start + 24);
    d.totalLen = d.plen + 40;

    // Where the packet ends: payload length, or the captured end for jumbo/TSO (fixed up below).
    let pEnd = end;
    if (d.plen !== 0) {
      if (start + 40 + d.plen > end) {
        if (ctx.quoted) {
          // quoted inside an ICMPv6 error: cut short by design
        } else if (ctx.snapCut(buf, start + 40 + d.plen)) {
          l.problem('truncated', `IPv6 payload cut by snaplen: ${end - start - 40} of ${d.plen} bytes captured`, end, end);
        } else {
          l.problem('malformed', `IPv6 payload length exceeds framing length (${end - start - 40} bytes)`, start + 4, start + 6);
        }
      } else {
        pEnd = start + 40 + d.plen;
        l.end = pEnd;
      }
    }

    let nh = d.nxt;
    let p = start + 40;
    for (let n = 0; n < MAX_EXT; n++) {
      if (nh !== 0 && nh !== 43 && nh !== 44 && nh !== 60 && nh !== 51) break;
      const name = EXT_NAMES[nh];
      if (d.plen === 0 && d.jumbo < 0 && nh !== 0) {
        // payload length 0 (TSO) leaves no room for an extension header: tshark's "negative length"
        l.problem('malformed', `${name}: payload length 0 leaves no room for this header`, start + 4, start + 6);
        return l;
      }
      const need = nh === 44 ? 8 : 2;
      if (p + need > pEnd) {
        l.short(name, p, need, ctx.snapCut(buf, p + need));
        d.cutExt = nh;
        return l;
      }
      const hlen = nh === 44 ? 8 : nh === 51 ? (buf[p + 1] + 2) * 4 : (buf[p + 1] + 1) * 8;
      if (p + hlen > pEnd) {
        l.short(name, p, hlen, ctx.snapCut(buf, p + hlen));
        d.cutExt = nh;
        return l;
      }
      d.exts.push({ type: nh, start: p, len: hlen });
      if (nh === 0 || nh === 60) {
        // scan options for Jumbo Payload and lying lengths
        let q = p + 2;
        const oe = p + hlen;
        for (let g = 0; q < oe && g < 256; g++) {
          const t = buf[q];
          if (t === 0) { q++; continue; }
          if (q + 2 > oe || q + 2 + buf[q + 1] > oe) {
            l.problem('malformed', `IPv6 option 0x${hexNoPrefix(t, 2)}: length runs past the end of the header`, q, oe);
            break;
          }
          if (t === 0xc2 && nh === 0) {
            if (buf[q + 1] !== 4) l.problem('malformed', `Jumbo Payload option: length ${buf[q + 1]}, must be 4`, q + 1, q + 2);
            else {
              d.jumbo = u32(buf, q + 2);
              if (d.plen !== 0) l.problem('malformed', 'Jumbo Payload option present with a non-zero payload length', start + 4, start + 6);
            }
          }
          q += 2 + buf[q + 1];
        }
      } else if (nh === 43 && buf[p + 2] === 0 && buf[p + 3] > 0 && hlen >= 24) {
        // type 0: the pseudo-header destination is the last address
        d.dstAt = p + hlen - 16;
      } else if (nh === 43 && buf[p + 2] === 4 && buf[p + 3] > 0 && hlen >= 24) {
        d.dstAt = p + 8; // SRH: segment list [0] is the final destination
      } else if (nh === 44) {
        const fo = u16(buf, p + 2);
        d.hasFrag = true;
        d.fragOff = fo >> 3;
        d.fragMore = (fo & 1) !== 0;
        d.fragId = u32(buf, p + 4);
      }
      nh = buf[p];
      p += hlen;
      if (d.hasFrag && (d.fragOff !== 0 || d.fragMore)) break; // the rest is fragment payload
    }
    if (d.jumbo >= 0 && d.plen === 0) {
      d.totalLen = d.jumbo + 40;
      if (start + 40 + d.jumbo > end) {
        if (ctx.snapCut(buf, start + 40 + d.jumbo)) l.problem('truncated', `IPv6 jumbogram cut by snaplen`, end, end);
        else l.problem('malformed', `IPv6 Jumbo Payload length exceeds framing length (${end - start - 40} bytes)`, start + 40, end);
      } else {
        pEnd = start + 40 + d.jumbo;
        l.end = pEnd;
      }
    }
    d.proto = nh;
    if (d.hasFrag && (d.fragOff !== 0 || d.fragMore)) {
      d.fragment = true;
      if (p <= pEnd && !(l.problems?.some((x) => x.kind === 'truncated'))) {
        const r = Reassembler.get(ctx.state, REASSEMBLY_SLOT6);
        const key = `${fmtBytesHex(buf, start + 8, start + 40)}/${d.fragId}`;
        const res = r.add(key, ctx.state.now, ctx.frame.index, d.fragOff * 8, buf.subarray(p, pEnd), d.fragMore);
        if (res.problems) for (const m of res.problems) l.problem('unsupported', m, start, p);
        if (res.done) {
          d.reasm = res.done;
          d.fragment = false;
          l.next = { table: 'ip.proto', key: nh, buf: res.done.buf, bufName: 'Reassembled IPv6', start: 0, end: res.done.buf.length };
          return l;
        }
      }
      l.next = { table: 'data', key: 0, start: p, end: pEnd };
      return l;
    }
    if (nh === 59) return l; // No Next Header
    l.next = { table: 'ip.proto', key: nh, start: p, end: pEnd };
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    const out: Field[] = [];
    if (!d.ok) {
      if (l.end - start >= 1) out.push(fBits('ipv6.version', 'Version', buf[start] >> 4, start, 1, 0xf0));
      return out;
    }
    const w = u32(buf, start);
    out.push(fBits('ipv6.version', 'Version', w >>> 28, start, 1, 0xf0));
    const tc = (w >>> 20) & 0xff;
    const tcf = fHex('ipv6.tclass', 'Traffic Class', tc, start, 4, 8);
    tcf.text = `Traffic Class: ${hexN(tc, 2)}`;
    tcf.children = [fBits('ipv6.tclass.dscp', 'Differentiated Services Codepoint', tc >> 2, start, 4, 0x0fc00000),
      fBits('ipv6.tclass.ecn', 'Explicit Congestion Notification', tc & 3, start, 4, 0x00300000)];
    out.push(tcf);
    const fl = fHex('ipv6.flow', 'Flow Label', w & 0xfffff, start + 1, 3, 6);
    fl.text = `Flow Label: ${hexN(w & 0xfffff, 5)}`;
    out.push(fl);
    out.push(fUint('ipv6.plen', 'Payload Length', d.plen, start + 4, 2));
    const nx = fUint('ipv6.nxt', 'Next Header', d.nxt, start + 6, 1);
    nx.text = `Next Header: ${ipProtoName(d.nxt)} (${d.nxt})`;
    out.push(nx);
    out.push(fUint('ipv6.hlim', 'Hop Limit', d.ttl, start + 7, 1));
    out.push(fIPv6('ipv6.src', 'Source Address', buf, start + 8));
    out.push(hide(gen(fIPv6('ipv6.addr', 'Source or Destination Address', buf, start + 8))));
    out.push(hide(gen(fIPv6('ipv6.src_host', 'Source Host', buf, start + 8))));
    out.push(hide(gen(fIPv6('ipv6.host', 'Source or Destination Host', buf, start + 8))));
    out.push(fIPv6('ipv6.dst', 'Destination Address', buf, start + 24));
    out.push(hide(gen(fIPv6('ipv6.addr', 'Source or Destination Address', buf, start + 24))));
    out.push(hide(gen(fIPv6('ipv6.dst_host', 'Destination Host', buf, start + 24))));
    out.push(hide(gen(fIPv6('ipv6.host', 'Source or Destination Host', buf, start + 24))));
    for (const e of d.exts) out.push(extFields(buf, e));
    if (d.reasm) out.push(fragmentTree('ipv6', 'IPv6', d.reasm));
    return out;
  },

  title(l) {
    const d = l.d;
    return d.ok ? `Internet Protocol Version 6, Src: ${d.src}, Dst: ${d.dst}` : 'Internet Protocol Version 6';
  },
  addresses(l) {
    const d = l.d;
    if (!d.ok) return null;
    return [d.src, ipv6FinalDst(l)];
  },
  column: () => 'IPv6',
  protocolsPart: (l) => ['ipv6', ...l.d.exts.map((e) => EXT_PROTOCOL[e.type] ?? 'ipv6')].join(':'),
  info(l) {
    const d = l.d;
    if (d.fragment) return `IPv6 fragment (off=${d.fragOff * 8} more=${d.fragMore ? 'y' : 'n'} ident=${hexN(d.fragId, 8)} nxt=${d.proto})`;
    // tshark's words when nothing follows the headers (a Teredo bubble), or the header itself is short
    if (d.ok) {
      if (d.proto === 59) return 'IPv6 no next header';
      // a hop-by-hop header cut short: tshark's dissector of it had set the column to its name
      if (d.cutExt === 0) return 'IPv6 hop-by-hop options';
      return null;
    }
    const have = l.end - l.start;
    return l.problems?.[0]?.kind === 'malformed' ? `Invalid IPv6 header (${have} byte${have === 1 ? '' : 's'}, need exactly 40)` : null;
  },
};

function optFields(buf: Uint8Array, p: number, e: number, hop: boolean): Field[] {
  const out: Field[] = [];
  let q = p;
  for (let g = 0; q < e && g < 256; g++) {
    const t = buf[q];
    const name = OPT_NAMES[t] ?? 'Unknown IPv6 Option';
    const tf = fHex('ipv6.opt.type', 'Type', t, q, 1);
    tf.text = `Type: ${name} (${hexN(t, 2)})`;
    tf.children = [fBits('ipv6.opt.type.action', 'Action', t >> 6, q, 1, 0xc0),
      fBits('ipv6.opt.type.change', 'May Change', (t >> 5) & 1, q, 1, 0x20)];
    const rest = fHex('ipv6.opt.type.rest', 'Low-Order Bits', t & 0x1f, q, 1);
    rest.mask = 0x1f;
    tf.children.push(rest);
    if (t === 0) {
      out.push(fText('Pad1', q, 1, [tf]));
      q += 1;
      continue;
    }
    if (q + 2 > e) break;
    const len = buf[q + 1];
    const oe = Math.min(e, q + 2 + len);
    const kids: Field[] = [tf, fUint('ipv6.opt.length', 'Length', len, q + 1, 1)];
    if (t === 1) {
      const f = fBytes('ipv6.opt.padn', 'PadN', buf, q + 2, oe);
      if (oe === q + 2) f.show = '<none>'; // tshark's text for empty bytes
      kids.push(f);
    }
    else if (t === 0xc2 && hop && len === 4 && q + 6 <= e) kids.push(fUint('ipv6.opt.jumbo', 'Payload Length', u32(buf, q + 2), q + 2, 4));
    else if (t === 5 && len === 2 && q + 4 <= e) kids.push(fUint('ipv6.opt.router_alert', 'Router Alert', u16(buf, q + 2), q + 2, 2));
    else if (!OPT_NAMES[t]) kids.push(fBytes('ipv6.opt.unknown', 'Unknown Option Payload', buf, q + 2, oe));
    out.push(fText(name, q, oe - q, kids));
    q = oe;
  }
  return out;
}

function extFields(buf: Uint8Array, e: Ipv6Ext): Field {
  const p = e.start;
  const nxt = buf[p];
  const nf = (key: string) => {
    const f = fUint(key, 'Next Header', nxt, p, 1);
    f.text = `Next Header: ${ipProtoName(nxt)} (${nxt})`;
    return f;
  };
  if (e.type === 0 || e.type === 60) {
    const pre = e.type === 0 ? 'ipv6.hopopts' : 'ipv6.dstopts';
    const kids: Field[] = [nf(pre + '.nxt'), fUint(pre + '.len', 'Length', buf[p + 1], p + 1, 1),
      gen(fUint(pre + '.len_oct', 'Length', e.len, p + 1, 0))];
    kids[2].text = `Length: ${e.len} bytes`;
    kids.push(...optFields(buf, p + 2, p + e.len, e.type === 0));
    return fText(EXT_NAMES[e.type], p, e.len, kids);
  }
  if (e.type === 44) {
    const fo = u16(buf, p + 2);
    const off = fBits('ipv6.fraghdr.offset', 'Offset', fo >> 3, p + 2, 2, 0xfff8);
    off.text = `Offset: ${fo >> 3} (${(fo >> 3) * 8} bytes)`;
    return fText('Fragment Header for IPv6', p, 8, [
      nf('ipv6.fraghdr.nxt'), fHex('ipv6.fraghdr.reserved_octet', 'Reserved octet', buf[p + 1], p + 1, 1), off,
      fBits('ipv6.fraghdr.reserved_bits', 'Reserved bits', (fo >> 1) & 3, p + 2, 2, 0x0006),
      fBool('ipv6.fraghdr.more', 'More Fragments', (fo & 1) !== 0, p + 2, 2, 0x0001),
      fHex('ipv6.fraghdr.ident', 'Identification', u32(buf, p + 4), p + 4, 4),
    ]);
  }
  if (e.type === 51) {
    return fText('Authentication Header', p, e.len, [
      nf('ah.next_header'), fUint('ah.length', 'Length', buf[p + 1], p + 1, 1),
      fHex('ah.spi', 'AH SPI', u32(buf, p + 4), p + 4, 4), fUint('ah.sequence', 'AH Sequence', u32(buf, p + 8), p + 8, 4),
      fBytes('ah.icv', 'AH ICV', buf, p + 12, p + e.len),
    ].filter((f) => f.start + f.len <= p + e.len));
  }
  // routing
  const type = buf[p + 2];
  const segleft = buf[p + 3];
  const kids: Field[] = [nf('ipv6.routing.nxt'), fUint('ipv6.routing.len', 'Length', buf[p + 1], p + 1, 1),
    gen(fUint('ipv6.routing.len_oct', 'Length', e.len, p + 1, 0))];
  kids[2].text = `Length: ${e.len} bytes`;
  const tf = fUint('ipv6.routing.type', 'Type', type, p + 2, 1);
  tf.text = `Type: ${RT_NAMES[type] ?? 'Unknown'} (${type})`;
  kids.push(tf, fUint('ipv6.routing.segleft', 'Segments Left', segleft, p + 3, 1));
  const end = p + e.len;
  if (type === 0 && e.len >= 8) {
    kids.push(fBytes('ipv6.routing.src.reserved', 'Reserved', buf, p + 4, p + 8));
    for (let a = p + 8; a + 16 <= end; a += 16) kids.push(fIPv6('ipv6.routing.src.addr', 'Address', buf, a));
  } else if (type === 2 && e.len >= 24) {
    kids.push(fBytes('ipv6.routing.mipv6.reserved', 'Reserved', buf, p + 4, p + 8));
    kids.push(fIPv6('ipv6.routing.mipv6.home_address', 'Home Address', buf, p + 8));
  } else if (type === 4 && e.len >= 8) {
    kids.push(fUint('ipv6.routing.srh.last_entry', 'Last Entry', buf[p + 4], p + 4, 1));
    kids.push(fHex('ipv6.routing.srh.flags', 'Flags', buf[p + 5], p + 5, 1));
    kids.push(fBytes('ipv6.routing.srh.tag', 'Tag', buf, p + 6, p + 8));
    let i = 0;
    for (let a = p + 8; a + 16 <= end && i <= buf[p + 4]; a += 16, i++) {
      const f = fIPv6('ipv6.routing.srh.addr', 'Address', buf, a);
      f.text = `Address[${i}]: ${f.show}`;
      kids.push(f);
    }
  } else if (e.len > 4) {
    kids.push(fBytes('ipv6.routing.data', 'Data', buf, p + 4, end));
  }
  return fText(`Routing Header for IPv6 (${RT_NAMES[type] ?? 'Unknown'})`, p, e.len, kids);
}

