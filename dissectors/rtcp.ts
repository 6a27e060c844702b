// RTCP (RFC 3550) as tshark 4.0 shows it: only on the port after an RTP stream an SDP announced (tshark's
// conversation "setup by SDP"; dissectors/sip.ts keeps the streams). One layer per packet of a compound
// datagram (Sender and Receiver Reports with their report blocks, Source descriptions, Goodbye; other
// types by their header), each with the setup; the Info names each packet followed by three spaces.

import { absTimeText, bitsText, fHex, fStr, fText, fUint, gen, hexN, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { sdpMediaAt, type SdpMedia } from './sip.js';

const TYPES: Record<number, string> = { 200: 'Sender Report', 201: 'Receiver Report', 202: 'Source description', 203: 'Goodbye', 204: 'Application specific' };
const SDES: Record<number, string> = {
  0: 'END', 1: 'CNAME (user and domain)', 2: 'NAME (common name)', 3: 'EMAIL (e-mail address)', 4: 'PHONE (phone number)',
  5: 'LOC (geographic location)', 6: 'TOOL (name of application or tool)', 7: 'NOTE (note about the source)', 8: 'PRIV (private extensions)',
};
/** Packets read from one datagram at most (a layer each, under the chain's layer cap); the rest is data. */
const MAX_PACKETS = 32;

export interface RtcpD {
  ok: boolean;
  pt: number;
  /** Info of the packets before this one in the datagram. */
  prev: string;
  setupFrame: number;
  /** The datagram's last packet: it carries the length check (total bytes). */
  last: number;
}

function stream(layers: readonly Layer[], ctx: DissectContext | undefined): SdpMedia | null {
  if (ctx === undefined) return null;
  const u = layers[layers.length - 1] as Layer<{ srcport?: number; dstport?: number }> | undefined;
  if (u === undefined || u.dis.proto !== 'udp') return null;
  const ip = ipLayerBefore(layers) as Layer<{ src: string; dst: string }> | null;
  if (ip === null) return null;
  const at = (a: string, p: number) => {
    const m = p > 0 ? sdpMediaAt(ctx, a, p - 1) : null;
    return m !== null && m.stream.proto.includes('RTP/') ? m : null;
  };
  return at(ip.d.dst, u.d.dstport ?? 0) ?? at(ip.d.src, u.d.srcport ?? 0);
}

export const rtcp: Dissector<RtcpD> = {
  proto: 'rtcp',
  name: 'Real-time Transport Control Protocol',
  fieldKeys: [
    'rtcp.setup', 'rtcp.setup-frame', 'rtcp.setup-method', 'rtcp.version', 'rtcp.padding', 'rtcp.rc', 'rtcp.sc', 'rtcp.pt', 'rtcp.length',
    'rtcp.senderssrc', 'rtcp.timestamp.ntp.msw', 'rtcp.timestamp.ntp.lsw', 'rtcp.timestamp.ntp', 'rtcp.timestamp.rtp', 'rtcp.sender.packetcount',
    'rtcp.sender.octetcount', 'rtcp.ssrc.identifier', 'rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr', 'rtcp.ssrc.ext_high', 'rtcp.ssrc.high_cycles',
    'rtcp.ssrc.high_seq', 'rtcp.ssrc.jitter', 'rtcp.ssrc.lsr', 'rtcp.ssrc.dlsr', 'rtcp.sdes.type', 'rtcp.sdes.length', 'rtcp.sdes.text', 'rtcp.length_check',
  ],
  registers: [{ table: 'rtcp.next', key: 1 }],
  heuristic: {
    table: 'udp',
    test: (_b, _s, _e, layers, ctx) => ctx !== undefined && ctx.state.slots.has('sip') && stream(layers, ctx) !== null,
  },
  dissect(buf, start, end, ctx) {
    const prevL = ctx.layers[ctx.layers.length - 1] as Layer<RtcpD> | undefined;
    const chained = prevL !== undefined && prevL.dis === rtcp;
    const first = chained ? null : stream(ctx.layers, ctx);
    const d: RtcpD = {
      ok: false, pt: 0, prev: chained ? prevL.d.prev + rtcpName(prevL.d) : '', setupFrame: chained ? prevL.d.setupFrame : first?.setupFrame ?? 0, last: 0,
    };
    const l = new Layer<RtcpD>(rtcp, buf, start, end, d);
    if (end - start < 4) {
      l.short('RTCP header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    const len = (u16(buf, start + 2) + 1) * 4;
    d.pt = buf[start + 1];
    if (start + len > end) {
      l.short('RTCP packet', start, len, ctx.snapCut(buf, start + len));
      d.ok = true;
      return l;
    }
    d.ok = true;
    l.end = start + len;
    let n = 1;
    for (let i = ctx.layers.length - 1; i >= 0 && ctx.layers[i].dis === rtcp; i--) n++;
    if (start + len < end) l.next = { table: 'rtcp.next', key: n < MAX_PACKETS ? 1 : 0, start: start + len, end };
    else {
      // the datagram's last packet: tshark's length check over all of them
      let s0 = start;
      for (let i = ctx.layers.length - 1; i >= 0 && ctx.layers[i].dis === rtcp; i--) s0 = ctx.layers[i].start;
      d.last = start + len - s0;
    }
    return l;
  },
  fields(l) {
    const d = l.d;
    const b = l.buf;
    const s = l.start;
    const out: Field[] = [];
    if (d.setupFrame > 0) {
      const su = gen(fStr('rtcp.setup', 'Stream setup', '', s, 0));
      su.text = `Stream setup by SDP (frame ${d.setupFrame})`;
      su.children = [gen(fUint('rtcp.setup-frame', 'Setup frame', d.setupFrame, s, 0)), gen(fStr('rtcp.setup-method', 'Setup Method', 'SDP', s, 0))];
      out.push(su);
    }
    if (l.end - s < 4) return out;
    const b0 = b[s];
    const v = fUint('rtcp.version', 'Version', b0 >> 6, s, 1);
    v.text = `${bitsText(b0, 0xc0, 8)} = Version: ${['Old VAT Version', 'First Draft Version', 'RFC 1889 Version'][b0 >> 6] ?? 'Unknown'} (${b0 >> 6})`;
    v.mask = 0xc0;
    out.push(v);
    const pf = fUint('rtcp.padding', 'Padding', (b0 >> 5) & 1, s, 1);
    pf.value = (b0 & 0x20) !== 0;
    pf.text = `${bitsText(b0, 0x20, 8)} = Padding: ${(b0 & 0x20) !== 0 ? 'True' : 'False'}`;
    pf.mask = 0x20;
    out.push(pf);
    const sc = d.pt === 202 || d.pt === 203;
    const cnt = b0 & 0x1f;
    const cf = fUint(sc ? 'rtcp.sc' : 'rtcp.rc', sc ? 'Source count' : 'Reception report count', cnt, s, 1);
    cf.text = `${bitsText(b0, 0x1f, 8)} = ${cf.label}: ${cnt}`;
    cf.mask = 0x1f;
    out.push(cf);
    const pt = fUint('rtcp.pt', 'Packet type', d.pt, s + 1, 1);
    pt.text = `Packet type: ${TYPES[d.pt] ?? 'Unknown'} (${d.pt})`;
    out.push(pt);
    const words = u16(b, s + 2);
    const lf = fUint('rtcp.length', 'Length', words, s + 2, 2);
    lf.text = `Length: ${words} (${(words + 1) * 4} bytes)`;
    out.push(lf);
    const e = l.end;
    const ssrc = (key: string, label: string, at: number) => {
      const f = fHex(key, label, u32(b, at), at, 4);
      f.text = `${label}: ${f.show} (${u32(b, at)})`;
      return f;
    };
    let p = s + 4;
    if ((d.pt === 200 || d.pt === 201) && p + 4 <= e) {
      out.push(ssrc('rtcp.senderssrc', 'Sender SSRC', p));
      p += 4;
      if (d.pt === 200 && p + 20 <= e) {
        const msw = u32(b, p), lsw = u32(b, p + 4);
        const mf = fUint('rtcp.timestamp.ntp.msw', 'Timestamp, MSW', msw, p, 4);
        mf.text = `Timestamp, MSW: ${msw} (${hexN(msw, 8)})`;
        const lsf = fUint('rtcp.timestamp.ntp.lsw', 'Timestamp, LSW', lsw, p + 4, 4);
        lsf.text = `Timestamp, LSW: ${lsw} (${hexN(lsw, 8)})`;
        const ntp = absTimeText(msw - 2208988800, Math.floor((lsw * 1e9) / 2 ** 32));
        const nf = gen(fStr('rtcp.timestamp.ntp', 'MSW and LSW as NTP timestamp', ntp, p, 8));
        out.push(mf, lsf, nf);
        out.push(fUint('rtcp.timestamp.rtp', 'RTP timestamp', u32(b, p + 8), p + 8, 4));
        out.push(fUint('rtcp.sender.packetcount', "Sender's packet count", u32(b, p + 12), p + 12, 4));
        out.push(fUint('rtcp.sender.octetcount', "Sender's octet count", u32(b, p + 16), p + 16, 4));
        p += 20;
      }
      for (let i = 0; i < cnt && p + 24 <= e; i++, p += 24) {
        const lost = (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7];
        const fr = fUint('rtcp.ssrc.fraction', 'Fraction lost', b[p + 4], p + 4, 1);
        fr.text = `Fraction lost: ${b[p + 4]} / 256`;
        const hi = u32(b, p + 8);
        const ext = fUint('rtcp.ssrc.ext_high', 'Extended highest sequence number received', hi, p + 8, 4);
        ext.children = [fUint('rtcp.ssrc.high_cycles', 'Sequence number cycles count', hi >>> 16, p + 8, 2), fUint('rtcp.ssrc.high_seq', 'Highest sequence number received', hi & 0xffff, p + 10, 2)];
        const lsr = u32(b, p + 16);
        const lsrf = fUint('rtcp.ssrc.lsr', 'Last SR timestamp', lsr, p + 16, 4);
        lsrf.text = `Last SR timestamp: ${lsr} (${hexN(lsr, 8)})`;
        const dl = u32(b, p + 20);
        const dlf = fUint('rtcp.ssrc.dlsr', 'Delay since last SR timestamp', dl, p + 20, 4);
        dlf.text = `Delay since last SR timestamp: ${dl} (${Math.round(dl / 65.536)} milliseconds)`;
        out.push(fText(`Source ${i + 1}`, p, 24, [
          ssrc('rtcp.ssrc.identifier', 'Identifier', p),
          fText('SSRC contents', p + 4, 4, [fr, fUint('rtcp.ssrc.cum_nr', 'Cumulative number of packets lost', lost, p + 5, 3)]),
          ext, fUint('rtcp.ssrc.jitter', 'Interarrival jitter', u32(b, p + 12), p + 12, 4), lsrf, dlf,
        ]));
      }
    } else if (d.pt === 202) {
      for (let i = 0; i < cnt && p + 4 <= e; i++) {
        const c0 = p;
        const items: Field[] = [];
        let q = p + 4;
        for (let guard = 0; q < e && guard < 256; guard++) {
          const t = b[q];
          const tf = fUint('rtcp.sdes.type', 'Type', t, q, 1);
          tf.text = `Type: ${SDES[t] ?? 'Unknown'} (${t})`;
          items.push(tf);
          if (t === 0) {
            q++;
            break;
          }
          if (q + 2 > e) break;
          const n = b[q + 1];
          items.push(fUint('rtcp.sdes.length', 'Length', n, q + 1, 1));
          items.push(fStr('rtcp.sdes.text', 'Text', latin1Text(b, q + 2, Math.min(e, q + 2 + n)), q + 2, Math.min(n, e - q - 2)));
          q += 2 + n;
        }
        q = Math.min(e, c0 + Math.ceil((q - c0) / 4) * 4);
        const id = u32(b, c0);
        out.push(fText(`Chunk ${i + 1}, SSRC/CSRC ${hexN(id, 8)}`, c0, q - c0, [ssrc('rtcp.ssrc.identifier', 'Identifier', c0), fText('SDES items', c0 + 4, q - c0 - 4, items)]));
        p = q;
      }
    } else if (d.pt === 203) {
      for (let i = 0; i < cnt && p + 4 <= e; i++, p += 4) out.push(ssrc('rtcp.ssrc.identifier', 'Identifier', p));
    }
    if (d.last > 0) {
      const lc = gen(fUint('rtcp.length_check', 'RTCP frame length check', 1, s, 0));
      lc.value = true;
      lc.show = '1';
      lc.text = `RTCP frame length check: OK - ${d.last} bytes`;
      out.push(lc);
    }
    return out;
  },
  title: (l) => (l.d.ok ? `Real-time Transport Control Protocol (${TYPES[l.d.pt] ?? 'Unknown'})` : 'Real-time Transport Control Protocol'),
  protocolsPart: (l) => (l.d.prev === '' && !chainedAfter(l) ? 'rtcp' : ''),
  info: (l) => l.d.prev + rtcpName(l.d),
};

/** The Info part of one packet: its type's name and three spaces. */
function rtcpName(d: RtcpD): string {
  return d.ok ? `${TYPES[d.pt] ?? `Unknown packet type (${d.pt})`}   ` : '';
}

/** Whether a layer follows another RTCP packet of its datagram (frame.protocols names "rtcp" once). */
function chainedAfter(l: Layer<RtcpD>): boolean {
  return l.d.prev !== '';
}
