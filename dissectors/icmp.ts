// Internet Control Message Protocol (RFC 792, RFC 4884 extensions, RFC 4950 MPLS). ip.proto 1.
// Errors (3, 4, 5, 11, 12) quote the offending IP header + data: dissected as inner layers.
// Info as tshark; the " (request in N)" suffix comes from layer.ann, set by the echo pairing
// analyzer (src/analysis/icmp-echo.ts).

import { finish, onesSum } from '../src/dissect/checksum.js';
import type { IpD } from '../src/dissect/decoded.js';
import { absTimeText, bitsText, checksumFields, fBits, fBool, fBytes, fHex, fIPv4, fStr, fText, fUint, gen, hexN, u16, u32, u32le } from '../src/dissect/fields.js';
import { epochText } from '../src/dissect/frame.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface IcmpD {
  type: number;
  code: number;
  ok: boolean;
  /** Checksum: true good, false bad, null unverified (message not all captured). */
  ckGood: boolean | null;
  ckCalc: number;
  /** TTL of the enclosing IP header (for Info), -1 if none. */
  ttl: number;
  /** Offset of RFC 4884 extensions, or -1. */
  extAt: number;
  /**
   * An echo's data starts with a timestamp (tshark's guess: see echoTimestamp): seconds and
   * microseconds, and the frame's time minus it in ns; dataSec -1 when there is none.
   */
  dataSec: number;
  dataUsec: number;
  dataRel: bigint;
}

/**
 * tshark 4.0's guess at a timestamp in the first 8 bytes of an echo's data (what ping writes:
 * seconds and microseconds, 32 bits each): big-endian first, then little-endian; taken when the
 * seconds lie within a day of the frame's time (either side) and the microseconds below 10^6.
 * Checked against tshark on ping's echoes and on crafted ones (8 to 16 bytes, both byte orders,
 * 10^6 µs, two days off, 23 hours ahead), also inside an ICMP error that quotes a whole echo.
 */
function echoTimestamp(buf: Uint8Array, at: number, frameTs: bigint): [number, number] | null {
  const fsec = Number(frameTs / 1_000_000_000n);
  for (const le of [false, true]) {
    const sec = le ? u32le(buf, at) : u32(buf, at);
    const usec = le ? u32le(buf, at + 4) : u32(buf, at + 4);
    // (tshark: abs() of the 32-bit difference)
    if (Math.abs((sec - fsec) | 0) < 86400 && usec < 1_000_000) return [sec, usec];
  }
  return null;
}

const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench (flow control)', 5: 'Redirect',
  8: 'Echo (ping) request', 9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded',
  12: 'Parameter problem', 13: 'Timestamp request', 14: 'Timestamp reply', 15: 'Information request',
  16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
};
const CODES: Record<number, Record<number, string>> = {
  3: { 0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
    4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown',
    8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited',
    11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered',
    14: 'Host precedence violation', 15: 'Precedence cutoff in effect' },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
};
const ERRORS = new Set([3, 4, 5, 11, 12]);
const IDSEQ = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

export const icmp: Dissector<IcmpD> = {
  proto: 'icmp',
  name: 'Internet Control Message Protocol',
  fieldKeys: [
    'icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.checksum.status', 'icmp.ident', 'icmp.ident_le', 'icmp.seq',
    'icmp.seq_le', 'icmp.unused', 'icmp.length', 'icmp.length.original_datagram', 'icmp.mtu', 'icmp.redir_gw', 'icmp.pointer',
    'icmp.originate_timestamp', 'icmp.receive_timestamp', 'icmp.transmit_timestamp', 'icmp.address_mask',
    'icmp.num_addrs', 'icmp.addr_entry_size', 'icmp.lifetime', 'icmp.router_address', 'icmp.pref_level',
    'icmp.ext', 'icmp.ext.version', 'icmp.ext.res', 'icmp.ext.checksum', 'icmp.ext.checksum.status',
    'icmp.ext.length', 'icmp.ext.class', 'icmp.ext.ctype', 'icmp.mpls.label', 'icmp.mpls.exp', 'icmp.mpls.s',
    'icmp.mpls.ttl', 'icmp.mip.type', 'icmp.mip.length', 'icmp.mip.seq', 'icmp.mip.life', 'icmp.mip.flags',
    'icmp.mip.r', 'icmp.mip.b', 'icmp.mip.h', 'icmp.mip.f', 'icmp.mip.m', 'icmp.mip.g', 'icmp.mip.v', 'icmp.mip.rt',
    'icmp.mip.u', 'icmp.mip.x', 'icmp.mip.reserved', 'icmp.mip.coa', 'icmp.mip.prefixlength', 'icmp.mip.challenge',
    'icmp.data_time', 'icmp.data_time_relative',
  ],
  registers: [{ table: 'ip.proto', key: 1 }],

  dissect(buf, start, end, ctx) {
    const d: IcmpD = { type: -1, code: -1, ok: false, ckGood: null, ckCalc: 0, ttl: -1, extAt: -1, dataSec: -1, dataUsec: 0, dataRel: 0n };
    const l = new Layer<IcmpD>(icmp, buf, start, end, d);
    const ipl = ipLayerBefore(ctx.layers);
    if (ipl !== null) d.ttl = (ipl.d as IpD).ttl;
    if (end - start < 4) {
      l.short('ICMP header', start, 8, ctx.snapCut(buf, start + 8));
      return l;
    }
    d.type = buf[start];
    d.code = buf[start + 1];
    d.ok = true;
    // Inside an ICMP error (ctx.quoted) the
    // message is cut short on purpose: tshark leaves its checksum unverified.
    const quoted = ctx.quoted;
    if (!quoted && !ctx.snapCut(buf, end)) {
      d.ckCalc = finish(onesSum(buf, start, start + 2, onesSum(buf, start + 4, end)));
      d.ckGood = d.ckCalc === u16(buf, start + 2);
      if (!d.ckGood) l.problem('checksum', `Bad ICMP checksum: ${hexN(u16(buf, start + 2), 4)}, should be ${hexN(d.ckCalc, 4)}`, start + 2, start + 4);
    }
    if (end - start < 8) {
      l.short('ICMP header', start, 8, ctx.snapCut(buf, start + 8));
      return l;
    }
    if (ERRORS.has(d.type)) {
      let qEnd = end;
      const len4884 = d.type === 4 || d.type === 5 ? 0 : buf[start + 5] * 4;
      if (len4884 > 0 && start + 8 + len4884 + 4 <= end) {
        d.extAt = start + 8 + len4884;
      } else if (len4884 === 0 && end - start - 8 > 128 && (buf[start + 8 + 128] >> 4) === 2) {
        d.extAt = start + 8 + 128; // pre-RFC 4884 (compatibility): extension after 128 bytes
      }
      if (d.extAt >= 0) qEnd = d.extAt;
      l.inner = ctx.dissectInner('ethertype', 0x0800, buf, start + 8, qEnd);
      // an RFC 4884 length past the message: tshark reads the quoted datagram, then fails on the length
      if (len4884 > 0 && start + 8 + len4884 > end && !quoted && !ctx.snapCut(buf, start + 8 + len4884)) {
        l.problem('malformed', `ICMP original datagram length ${len4884} runs past the message`, start + 5, end);
      }
      if (d.extAt >= 0) {
        // validate extension object lengths
        let q = d.extAt + 4;
        for (let g = 0; q + 4 <= end && g < 32; g++) {
          const ol = u16(buf, q);
          if (ol < 4 || q + ol > end) {
            l.problem('malformed', `ICMP extension object length ${ol} does not fit`, q, q + 2);
            break;
          }
          q += ol;
        }
      }
      return l;
    }
    if (d.type === 0 || d.type === 8) {
      let data = start + 8;
      const ts = end - data >= 8 ? echoTimestamp(buf, data, ctx.frame.ts) : null;
      if (ts !== null) {
        d.dataSec = ts[0];
        d.dataUsec = ts[1];
        d.dataRel = ctx.frame.ts - (BigInt(ts[0]) * 1_000_000_000n + BigInt(ts[1]) * 1000n);
        data += 8;
      }
      if (data < end) l.next = { table: 'data', key: 0, start: data, end };
    }
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    if (!d.ok) return [];
    const end = l.end;
    const out: Field[] = [];
    const tf = fUint('icmp.type', 'Type', d.type, start, 1);
    // tshark 4.0 names a router advertisement with code 0 or 16 "Mobile IP Advertisement".
    const mobile = d.type === 9 && (d.code === 0 || d.code === 16);
    tf.text = `Type: ${d.type} (${mobile ? 'Mobile IP Advertisement' : TYPES[d.type] ?? 'Unknown'})`;
    out.push(tf);
    const cf = fUint('icmp.code', 'Code', d.code, start + 1, 1);
    const cn = CODES[d.type]?.[d.code];
    if (cn) cf.text = `Code: ${d.code} (${cn})`;
    out.push(cf);
    out.push(...checksumFields('icmp.checksum', buf, start + 2, d.ckGood, d.ckCalc));
    if (end - start < 8) return out;
    const t = d.type;
    if (IDSEQ.has(t)) {
      const id = u16(buf, start + 4), seq = u16(buf, start + 6);
      const idLe = ((id & 255) << 8) | (id >> 8), seqLe = ((seq & 255) << 8) | (seq >> 8);
      const a = fUint('icmp.ident', 'Identifier (BE)', id, start + 4, 2);
      a.text = `Identifier (BE): ${id} (${hexN(id, 4)})`;
      const b = fUint('icmp.ident_le', 'Identifier (LE)', idLe, start + 4, 2);
      b.text = `Identifier (LE): ${idLe} (${hexN(idLe, 4)})`;
      const c = fUint('icmp.seq', 'Sequence Number (BE)', seq, start + 6, 2);
      c.text = `Sequence Number (BE): ${seq} (${hexN(seq, 4)})`;
      const e = fUint('icmp.seq_le', 'Sequence Number (LE)', seqLe, start + 6, 2);
      e.text = `Sequence Number (LE): ${seqLe} (${hexN(seqLe, 4)})`;
      out.push(a, b, c, e);
      if (d.dataSec >= 0) {
        const ts = fStr('icmp.data_time', 'Timestamp from icmp data', absTimeText(d.dataSec, d.dataUsec * 1000), start + 8, 8);
        const rel = gen(fStr('icmp.data_time_relative', 'Timestamp from icmp data (relative)', epochText(d.dataRel), start + 8, 8));
        rel.text = `Timestamp from icmp data (relative): ${rel.show} seconds`;
        out.push(ts, rel);
      }
      if ((t === 13 || t === 14) && start + 20 <= end) {
        out.push(fUint('icmp.originate_timestamp', 'Originate timestamp', u32(buf, start + 8), start + 8, 4));
        out.push(fUint('icmp.receive_timestamp', 'Receive timestamp', u32(buf, start + 12), start + 12, 4));
        out.push(fUint('icmp.transmit_timestamp', 'Transmit timestamp', u32(buf, start + 16), start + 16, 4));
      } else if ((t === 17 || t === 18) && start + 12 <= end) {
        out.push(fIPv4('icmp.address_mask', 'Address Mask', buf, start + 8));
      }
    } else if (t === 3 || t === 11 || t === 12) {
      if (t === 12) out.push(fUint('icmp.pointer', 'Pointer', buf[start + 4], start + 4, 1));
      else if (t === 3 && d.code === 4) {
        out.push(fBytes('icmp.unused', 'Unused', buf, start + 4, start + 6));
        out.push(fUint('icmp.mtu', 'MTU of next hop', u16(buf, start + 6), start + 6, 2));
      }
      if (!(t === 3 && d.code === 4)) {
        if (buf[start + 5] !== 0) {
          if (t !== 12) out.push(fBytes('icmp.unused', 'Unused', buf, start + 4, start + 5));
          out.push(fUint('icmp.length', 'Length', buf[start + 5], start + 5, 1));
          out.push(gen(fUint('icmp.length.original_datagram', 'Length of original datagram', buf[start + 5] * 4, start + 5, 1)));
          out.push(fBytes('icmp.unused', 'Unused', buf, start + 6, start + 8));
        } else out.push(fBytes('icmp.unused', 'Unused', buf, t === 12 ? start + 5 : start + 4, start + 8));
      }
    } else if (t === 5) {
      out.push(fIPv4('icmp.redir_gw', 'Gateway Address', buf, start + 4));
    } else if (t === 4) {
      out.push(fBytes('icmp.unused', 'Unused', buf, start + 4, start + 8));
    } else if (t === 9) {
      const n = buf[start + 4], sz = buf[start + 5];
      out.push(fUint('icmp.num_addrs', 'Number of addresses', n, start + 4, 1));
      out.push(fUint('icmp.addr_entry_size', 'Address entry size', sz, start + 5, 1));
      const lt = fUint('icmp.lifetime', 'Lifetime', u16(buf, start + 6), start + 6, 2);
      lt.text = `Lifetime: ${lt.show} (${secsText(u16(buf, start + 6))})`;
      out.push(lt);
      let q = start + 8;
      for (let i = 0; i < n && q + 8 <= end && sz >= 2; i++, q += sz * 4) {
        out.push(fIPv4('icmp.router_address', 'Router address', buf, q));
        const pl = u32(buf, q + 4) | 0;
        out.push({ key: 'icmp.pref_level', label: 'Preference level', value: pl, show: String(pl), start: q + 4, len: 4 });
      }
      // Mobile IP agent advertisement extensions (RFC 5944 2.1) after the addresses, as tshark.
      if (sz === 2 && (d.code === 0 || d.code === 16)) mipExtensions(buf, q, end, out);
    } else if (t === 10) {
      out.push(fBytes('icmp.reserved', 'Reserved', buf, start + 4, start + 8));
    }
    if (d.extAt >= 0) out.push(extFields(buf, d.extAt, end));
    return out;
  },

  column: () => 'ICMP',
  info(l) {
    const d = l.d;
    if (!d.ok) return null;
    // tshark 4.0 calls a router advertisement with code 0 or 16 "Mobile IP Advertisement".
    const tn = d.type === 9 && (d.code === 0 || d.code === 16) ? 'Mobile IP Advertisement'
      : TYPES[d.type] ?? 'Unknown ICMP (obsolete or malformed?)';
    const cn = CODES[d.type]?.[d.code];
    let s = tn.padEnd(20) + (cn ? ` (${cn})` : '');
    if (IDSEQ.has(d.type) && l.end - l.start >= 8) {
      const id = u16(l.buf, l.start + 4), seq = u16(l.buf, l.start + 6);
      const seqLe = ((seq & 255) << 8) | (seq >> 8);
      s += ` id=${hexN(id, 4)}, seq=${seq}/${seqLe}` + (d.ttl >= 0 ? `, ttl=${d.ttl}` : '');
    }
    return s + echoSuffix(l.ann);
  },
};

const MIP_EXT: Record<number, string> = {
  0: 'One byte padding extension', 16: 'Mobility Agent Advertisement Extension', 19: 'Prefix Lengths Extension',
  24: 'Challenge Extension',
};
const MIP_FLAGS: [number, string, string][] = [
  [0x8000, 'icmp.mip.r', 'Registration Required'], [0x4000, 'icmp.mip.b', 'Busy'], [0x2000, 'icmp.mip.h', 'Home Agent'],
  [0x1000, 'icmp.mip.f', 'Foreign Agent'], [0x0800, 'icmp.mip.m', 'Minimal Encapsulation'], [0x0400, 'icmp.mip.g', 'GRE'],
  [0x0200, 'icmp.mip.v', 'VJ Comp'], [0x0100, 'icmp.mip.rt', 'Reverse tunneling'], [0x0080, 'icmp.mip.u', 'UDP tunneling'],
  [0x0040, 'icmp.mip.x', 'Revocation support'],
];

/** Wireshark's time_secs_to_str: "3 minutes, 20 seconds", "10 seconds", "1 hour". */
function secsText(t: number): string {
  if (t === 0) return '0 seconds';
  const parts: string[] = [];
  const u: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [n, w] of u) {
    const k = Math.floor(t / n);
    t -= k * n;
    if (k) parts.push(`${k} ${w}${k === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** Mobile IP extensions from `q` to `end` (each: type, length, data; type 0 is one byte of padding). */
function mipExtensions(buf: Uint8Array, q: number, end: number, out: Field[]): void {
  for (let g = 0; q < end && g < 64; g++) {
    const type = buf[q];
    const len = type === 0 ? 0 : q + 1 < end ? buf[q + 1] : 0;
    const size = type === 0 ? 1 : 2 + len;
    const name = MIP_EXT[type] ?? `Unknown ext ${type}`;
    const kids: Field[] = [];
    const tf = fUint('icmp.mip.type', 'Extension Type', type, q, 1);
    tf.text = `Extension Type: ${MIP_EXT[type] ?? 'Unknown'} (${type})`;
    kids.push(tf);
    const e = Math.min(end, q + size);
    if (type !== 0 && q + 2 <= end) {
      kids.push(fUint('icmp.mip.length', 'Length', len, q + 1, 1));
      const a = q + 2;
      if (type === 16 && a + 6 <= e) {
        kids.push(fUint('icmp.mip.seq', 'Sequence Number', u16(buf, a), a, 2));
        kids.push(fUint('icmp.mip.life', 'Registration Lifetime', u16(buf, a + 2), a + 2, 2));
        const fl = u16(buf, a + 4);
        const ff = fHex('icmp.mip.flags', 'Flags', fl, a + 4, 2);
        const set = MIP_FLAGS.filter(([m]) => fl & m).map(([, , n]) => n);
        ff.text = `Flags: ${ff.show}${set.length ? ', ' + set.join(', ') : ''}`;
        ff.children = MIP_FLAGS.map(([m, k, n]) => {
          const b = fBool(k, n, (fl & m) !== 0, a + 4, 2, m);
          b.text = `${bitsText(fl, m, 16)} = ${n}: ${fl & m ? 'True' : 'False'}`;
          return b;
        });
        const rs = fHex('icmp.mip.reserved', 'Reserved', fl & 0x3f, a + 4, 2);
        rs.mask = 0x3f;
        rs.text = `${bitsText(fl, 0x3f, 16)} = Reserved: ${hexN(fl & 0x3f, 2)}`;
        ff.children.push(rs);
        kids.push(ff);
        for (let c = a + 6; c + 4 <= e; c += 4) kids.push(fIPv4('icmp.mip.coa', 'Care-Of-Address', buf, c));
      } else if (type === 19) {
        for (let c = a; c < e; c++) kids.push(fUint('icmp.mip.prefixlength', 'Prefix Length', buf[c], c, 1));
      } else if (type === 24 && a < e) {
        kids.push(fBytes('icmp.mip.challenge', 'Challenge', buf, a, e));
      }
    }
    out.push(fText(`Ext: ${name}`, q, e - q, kids));
    q += size;
  }
}

function extFields(buf: Uint8Array, at: number, end: number): Field {
  const kids: Field[] = [];
  kids.push(fBits('icmp.ext.version', 'Version', buf[at] >> 4, at, 1, 0xf0));
  kids.push(fHex('icmp.ext.res', 'Reserved', ((buf[at] & 15) << 8) | buf[at + 1], at, 2, 4));
  const ck = u16(buf, at + 2);
  kids.push(fHex('icmp.ext.checksum', 'Checksum', ck, at + 2, 2));
  const good = finish(onesSum(buf, at, at + 2, onesSum(buf, at + 4, end))) === ck;
  kids.push(gen(fUint('icmp.ext.checksum.status', 'Checksum Status', good ? 1 : 0, at + 2, 0)));
  let q = at + 4;
  for (let g = 0; q + 4 <= end && g < 32; g++) {
    const ol = u16(buf, q);
    const cls = buf[q + 2], ct = buf[q + 3];
    const ok = ol >= 4 && q + ol <= end;
    const o: Field[] = [fUint('icmp.ext.length', 'Length', ol, q, 2), fUint('icmp.ext.class', 'Class', cls, q + 2, 1),
      fUint('icmp.ext.ctype', 'C-Type', ct, q + 3, 1)];
    if (!ok) {
      kids.push(fText('Object (bad length)', q, end - q, o));
      break;
    }
    if (cls === 1 && ct === 1) {
      for (let e = q + 4; e + 4 <= q + ol; e += 4) {
        const v = u32(buf, e);
        o.push(fText('MPLS Stack Entry', e, 4, [
          fBits('icmp.mpls.label', 'Label', v >>> 12, e, 3, 0xfffff0),
          fBits('icmp.mpls.exp', 'Experimental', (v >>> 9) & 7, e + 2, 1, 0x0e),
          fBits('icmp.mpls.s', 'Stack bit', (v >>> 8) & 1, e + 2, 1, 0x01),
          fUint('icmp.mpls.ttl', 'Time to live', v & 255, e + 3, 1),
        ]));
      }
    }
    kids.push(fText(cls === 1 ? 'MPLS Stack Entry' : `Object class ${cls}`, q, ol, o));
    q += ol;
  }
  return fText('ICMP Multi-Part Extensions', at, end - at, kids);
}

/**
 * Info suffix from the echo pairing analyzer (src/analysis/icmp-echo.ts), which sets layer.ann to
 * { reqFrame, respFrame }: " (request in N)" on a reply, " (reply in N)" on a request (tshark's second pass only).
 */
function echoSuffix(ann: { reqFrame?: number; respFrame?: number } | null): string {
  if (ann === null || typeof ann !== 'object') return '';
  if (ann.reqFrame) return ` (request in ${ann.reqFrame})`;
  if (ann.respFrame) return ` (reply in ${ann.respFrame})`;
  return '';
}
