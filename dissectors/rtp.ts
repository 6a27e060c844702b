// RTP (RFC 3550) as tshark 4.0 shows it: only on a UDP address and port that an SDP body of a SIP message
// announced earlier in the capture (tshark's conversation "setup by SDP"; dissectors/sip.ts keeps them in
// ctx.state.slots 'sip'), never by guessing. Header, CSRCs, header extension (RFC 5285 one-byte elements),
// payload and padding; the extended sequence number per announced stream. Info
// "PT=ITU-T G.711 PCMU, SSRC=0x11223344, Seq=1000, Time=8000, Mark". RTCP (port + 1) is not dissected.

import { bitsText, fBool, fBytes, fHex, fStr, fText, fUint, gen, hexN, u16, u32 } from '../src/dissect/fields.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { rtpPayloadName } from './sdp.js';
import { sdpMediaAt, type SdpMedia } from './sip.js';

export interface RtpD {
  ok: boolean;
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  /** Offsets: header end (payload start), payload end (before padding). */
  hdrEnd: number;
  payEnd: number;
  extSeq: number;
  setupFrame: number;
  callIds: readonly string[];
}

interface RtpConv {
  lastExt: number;
  memo: Map<number, number>;
}

/** tshark's calculate_extended_seqno. */
function extendedSeq(prev: number, raw: number): number {
  let s = (prev & 0xffff0000) + raw;
  if (s + 0x8000 < prev) s += 0x10000;
  else if (prev + 0x8000 < s && s >= 0x10000) s -= 0x10000;
  return s >>> 0;
}

function announced(layers: readonly Layer[], ctx: DissectContext | undefined): SdpMedia | null {
  if (ctx === undefined) return null;
  const u = layers[layers.length - 1] as Layer<{ srcport?: number; dstport?: number }> | undefined;
  if (u === undefined || u.dis.proto !== 'udp') return null;
  const ip = ipLayerBefore(layers) as Layer<{ src: string; dst: string }> | null;
  if (ip === null) return null;
  return sdpMediaAt(ctx, ip.d.dst, u.d.dstport ?? 0) ?? sdpMediaAt(ctx, ip.d.src, u.d.srcport ?? 0);
}

export const rtp: Dissector<RtpD> = {
  proto: 'rtp',
  name: 'Real-Time Transport Protocol',
  fieldKeys: [
    'rtp.setup', 'rtp.setup-frame', 'rtp.setup-method', 'rtp.version', 'rtp.padding', 'rtp.ext', 'rtp.cc', 'rtp.marker', 'rtp.p_type', 'rtp.seq',
    'rtp.extseq', 'rtp.timestamp', 'rtp.ssrc', 'rtp.csrc.items', 'rtp.csrc.item', 'rtp.ext.profile', 'rtp.ext.len', 'rtp.hdr_exts',
    'rtp.ext.rfc5285.id', 'rtp.ext.rfc5285.len', 'rtp.ext.rfc5285.data', 'rtp.payload', 'rtp.padding.data', 'rtp.padding.count', 'sip.call_id_generated',
  ],
  heuristic: {
    table: 'udp',
    test: (_buf, _s, _e, layers, ctx) => ctx !== undefined && ctx.state.slots.has('sip') && announced(layers, ctx) !== null,
  },
  dissect(buf, start, end, ctx) {
    const m = announced(ctx.layers, ctx);
    const d: RtpD = { ok: false, pt: 0, marker: false, seq: 0, ts: 0, ssrc: 0, hdrEnd: start, payEnd: end, extSeq: 0, setupFrame: m?.setupFrame ?? 0, callIds: m?.callIds.slice() ?? [] };
    const l = new Layer<RtpD>(rtp, buf, start, end, d);
    if (end - start < 12) {
      l.short('RTP header', start, 12, ctx.snapCut(buf, start + 12));
      return l;
    }
    const b0 = buf[start];
    const cc = b0 & 0x0f;
    let h = start + 12 + 4 * cc;
    if ((b0 & 0x10) !== 0 && h + 4 <= end) h += 4 + 4 * u16(buf, h + 2);
    if (h > end) {
      l.short('RTP header', start, h - start, ctx.snapCut(buf, h));
      return l;
    }
    d.ok = true;
    d.marker = (buf[start + 1] & 0x80) !== 0;
    d.pt = buf[start + 1] & 0x7f;
    d.seq = u16(buf, start + 2);
    d.ts = u32(buf, start + 4);
    d.ssrc = u32(buf, start + 8);
    d.hdrEnd = h;
    d.payEnd = end;
    if ((b0 & 0x20) !== 0 && end > h) {
      const n = buf[end - 1];
      if (n > 0 && n <= end - h) d.payEnd = end - n;
    }
    if (m !== null) {
      let c = ctx.state.slots.get('rtp') as Map<SdpMedia, RtpConv> | undefined;
      if (c === undefined) ctx.state.slots.set('rtp', (c = new Map()));
      let conv = c.get(m);
      if (conv === undefined) c.set(m, (conv = { lastExt: 0x10000, memo: new Map() }));
      const fi = ctx.frame.index;
      const known = conv.memo.get(fi);
      if (known !== undefined) d.extSeq = known;
      else {
        d.extSeq = conv.lastExt = extendedSeq(conv.lastExt, d.seq);
        conv.memo.set(fi, d.extSeq);
        if (conv.memo.size > 256) conv.memo.delete(conv.memo.keys().next().value as number);
      }
    }
    return l;
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const b = l.buf;
    const s = l.start;
    const out: Field[] = [];
    if (d.setupFrame > 0) {
      const su = gen(fStr('rtp.setup', 'Stream setup', '', s, 0));
      su.text = `Stream setup by SDP (frame ${d.setupFrame})`;
      su.children = [gen(fUint('rtp.setup-frame', 'Setup frame', d.setupFrame, s, 0)), gen(fStr('rtp.setup-method', 'Setup Method', 'SDP', s, 0))];
      for (const c of d.callIds) su.children.push(gen(fStr('sip.call_id_generated', 'Generated Call-ID', c, s, 0)));
      out.push(su);
    }
    const b0 = b[s];
    const v = fUint('rtp.version', 'Version', b0 >> 6, s, 1);
    v.text = `${bitsText(b0, 0xc0, 8)} = Version: ${['Old VAT Version', 'First Draft Version', 'RFC 1889 Version'][b0 >> 6] ?? 'Unknown'} (${b0 >> 6})`;
    v.mask = 0xc0;
    out.push(v);
    const flag = (key: string, label: string, mask: number) => {
      const f = fBool(key, label, (b0 & mask) !== 0, s, 1, mask);
      f.text = `${bitsText(b0, mask, 8)} = ${label}: ${(b0 & mask) !== 0 ? 'True' : 'False'}`;
      return f;
    };
    out.push(flag('rtp.padding', 'Padding', 0x20), flag('rtp.ext', 'Extension', 0x10));
    const cc = b0 & 0x0f;
    const cf = fUint('rtp.cc', 'Contributing source identifiers count', cc, s, 1);
    cf.text = `${bitsText(b0, 0x0f, 8)} = Contributing source identifiers count: ${cc}`;
    cf.mask = 0x0f;
    out.push(cf);
    const b1 = b[s + 1];
    const mk = fBool('rtp.marker', 'Marker', d.marker, s + 1, 1, 0x80);
    mk.text = `${bitsText(b1, 0x80, 8)} = Marker: ${d.marker ? 'True' : 'False'}`;
    out.push(mk);
    const pt = fUint('rtp.p_type', 'Payload type', d.pt, s + 1, 1);
    pt.text = `Payload type: ${rtpPayloadName(d.pt)} (${d.pt})`;
    pt.mask = 0x7f;
    out.push(pt);
    out.push(fUint('rtp.seq', 'Sequence number', d.seq, s + 2, 2));
    if (d.extSeq > 0) out.push(gen(fUint('rtp.extseq', 'Extended sequence number', d.extSeq, s + 2, 2)));
    out.push(fUint('rtp.timestamp', 'Timestamp', d.ts, s + 4, 4));
    const ss = fHex('rtp.ssrc', 'Synchronization Source identifier', d.ssrc, s + 8, 4);
    ss.text = `Synchronization Source identifier: ${ss.show} (${d.ssrc})`;
    out.push(ss);
    let p = s + 12;
    if (cc > 0) {
      const items: Field[] = [];
      for (let i = 0; i < cc; i++, p += 4) {
        const it = fHex('rtp.csrc.item', 'CSRC item', u32(b, p), p, 4);
        it.text = `CSRC item ${i}: 0x${u32(b, p).toString(16)}`;
        items.push(it);
      }
      const ci = fText(`Contributing Source identifiers (${cc} items)`, s + 12, 4 * cc, items);
      ci.key = 'rtp.csrc.items';
      out.push(ci);
    }
    if ((b0 & 0x10) !== 0) {
      const prof = u16(b, p);
      const pf = fHex('rtp.ext.profile', 'Defined by profile', prof, p, 2);
      pf.text = `Defined by profile: Unknown (${hexN(prof, 4)})`;
      out.push(pf);
      const n = u16(b, p + 2);
      out.push(fUint('rtp.ext.len', 'Extension length', n, p + 2, 2));
      const xs = p + 4, xe = Math.min(d.hdrEnd, xs + 4 * n);
      if (n > 0) {
        const kids: Field[] = [];
        if (prof === 0xbede) {
          for (let q = xs; q < xe; ) {
            const id = b[q] >> 4;
            if (id === 0) {
              q++;
              continue;
            }
            if (id === 15) break;
            const len = (b[q] & 0x0f) + 1;
            const e = Math.min(xe, q + 1 + len);
            kids.push(fText('RFC 5285 Header Extension (One-Byte Header)', q, e - q, [
              fUint('rtp.ext.rfc5285.id', 'Identifier', id, q, 1), fUint('rtp.ext.rfc5285.len', 'Length', len, q, 1), fBytes('rtp.ext.rfc5285.data', 'Extension Data', b, q + 1, e),
            ]));
            q = e;
          }
        }
        const hx = fText('Header extensions', xs, xe - xs, kids);
        hx.key = 'rtp.hdr_exts';
        out.push(hx);
      }
    }
    if (d.payEnd > d.hdrEnd) out.push(fBytes('rtp.payload', 'Payload', b, d.hdrEnd, d.payEnd));
    if (d.payEnd < l.end) {
      if (l.end - 1 > d.payEnd) out.push(fBytes('rtp.padding.data', 'Padding data', b, d.payEnd, l.end - 1));
      out.push(fUint('rtp.padding.count', 'Padding count', b[l.end - 1], l.end - 1, 1));
    }
    return out;
  },
  // a header cut short leaves the columns to UDP (tshark's RTP throws before it writes them)
  column: (l) => (l.d.ok ? 'RTP' : ''),
  info(l) {
    const d = l.d;
    if (!d.ok) return null;
    return `PT=${rtpPayloadName(d.pt)}, SSRC=0x${d.ssrc.toString(16).toUpperCase().padStart(8, '0')}, Seq=${d.seq}, Time=${d.ts}${d.marker ? ', Mark' : ''}`;
  },
};
