// Transmission Control Protocol (RFC 9293), IP protocol 6: header, flags (incl. the AccECN
// AE bit), checksum over the pseudo-header, and every option tshark 4.0 decodes that a capture
// is likely to hold (EOL, NOP, MSS, WS, SACK-permitted, SACK, timestamps, Quick-Start, User
// Timeout, MPTCP, TFO, RFC 6994 experiments with TFO and AccECN ids); other kinds shown raw.
// Relative seq/ack and the scaled window come from the TCP tracker (layer.ann / layer.extra).

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import type { IpD, TcpAnn, TcpD } from '../src/dissect/decoded.js';
import { TCP_ACK, TCP_URG } from '../src/dissect/decoded.js';
import { fBits, fBool, fBytes, fHex, fStr, fText, fUint, gen, hexN, u16, u32, hide } from '../src/dissect/fields.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import { decodeOptions, emptyOptions } from '../src/dissect/tcp-options.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';

/** TcpD plus what only this file's fields()/info() need. */
export interface TcpDx extends TcpD {
  /** Checksum status as tshark's tcp.checksum.status: 0 bad, 1 good, 2 unverified. */
  csStatus: 0 | 1 | 2;
  /** The checksum the field should hold (valid when csStatus is 0 or 1). */
  csCalc: number;
  /** The header length field exceeds the segment: tshark stops before the options (no Len in Info). */
  hdrBogus: boolean;
  /** Only the first 8 bytes, quoted in an ICMP error: ports and the raw sequence number. */
  quotedSeq: boolean;
  /** Where option parsing stopped on a lying option length (-1: never). */
  optBadAt: number;
}

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const FLAG_LETTERS = 'RRRACEUAPRSF'; // bit 11 … bit 0

/** tshark's flag list: "SYN, ACK", "<None>" when none. */
export function tcpFlagsText(flags: number): string {
  let s = '';
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) s += (s ? ', ' : '') + FLAG_NAMES[i];
  if (flags & 0xe00) s += (s ? ', ' : '') + 'Reserved';
  return s || '<None>';
}

function flagsStr(flags: number, ace = false): string {
  let s = '';
  if (ace) {
    s = '\u00b7\u00b7\u00b7-' + ((flags >> 6) & 7) + '-';
    for (let i = 6; i < 12; i++) s += flags & (1 << (11 - i)) ? FLAG_LETTERS[i] : '\u00b7';
    return s;
  }
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? FLAG_LETTERS[i] : '\u00b7';
  return s;
}

const OPT_NAMES: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale',
  4: 'SACK permitted', 5: 'SACK', 6: 'Echo', 7: 'Echo reply', 8: 'Timestamps', 9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile', 11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data', 16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 signature',
  20: 'SCPS capabilities', 21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced',
  24: 'SNAP', 26: 'TCP Compression Filter', 27: 'Quick-Start', 28: 'User Timeout', 29: 'TCP Authentication Option',
  30: 'MPTCP', 34: 'TCP Fast Open', 69: 'Encryption Negotiation', 172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1', 253: 'Experimental', 254: 'Experimental',
};
const KIND_NAMES: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted',
  5: 'SACK', 8: 'Time Stamp Option', 19: 'MD5 Signature Option', 27: 'Quick-Start Response', 28: 'User Timeout Option',
  29: 'TCP Authentication Option', 30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 172: 'Accurate ECN Order 0 (AccECN0)',
  174: 'Accurate ECN Order 1 (AccECN1)', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};
/** Fixed lengths tshark checks ("option length should be N"). */
const OPT_FIXED_LEN: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10, 27: 8, 28: 4 };
const MPTCP_SUBTYPES = ['Multipath Capable', 'Join Connection', 'Data Sequence Signal', 'Add Address',
  'Remove Address', 'Change Subflow Priority', 'TCP Fallback', 'Fast Close', 'TCP Reset'];
const QS_RATES = ['0 bit/s', '80 kbit/s', '160 kbit/s', '320 kbit/s', '640 kbit/s', '1280 kbit/s', '2560 kbit/s',
  '5120 kbit/s', '10240 kbit/s', '20480 kbit/s', '40960 kbit/s', '81920 kbit/s', '163840 kbit/s', '327680 kbit/s',
  '655360 kbit/s', '1310720 kbit/s'];

/**
 * Walk the options in buf[start, end): cb(kind, at, len) for each one whose bytes are all there.
 * Returns the offset of an option whose length lies (< 2 or past the end), or -1.
 */
function walkOptions(buf: Uint8Array, start: number, end: number, cb: (kind: number, at: number, len: number) => void): number {
  let at = start;
  while (at < end) {
    const kind = buf[at];
    if (kind === 0 || kind === 1) {
      cb(kind, at, 1);
      at++;
      continue;
    }
    if (at + 1 >= end) return at;
    const len = buf[at + 1];
    if (len < 2 || at + len > end) return at;
    cb(kind, at, len);
    at += len;
  }
  return -1;
}

function emptyD(): TcpDx {
  return {
    srcport: 0, dstport: 0, seq: 0, ack: 0, hdrLen: 0, flags: 0, window: 0, urgent: 0, len: 0,
    payloadStart: 0, payloadEnd: 0, options: emptyOptions(), ok: false, csStatus: 2, csCalc: 0, hdrBogus: false, quotedSeq: false, optBadAt: -1,
  };
}

export const tcp: Dissector<TcpDx> = {
  proto: 'tcp',
  name: 'Transmission Control Protocol',
  fieldKeys: [
    'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.len', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.seq', 'tcp.hdr_len', 'tcp.flags',
    'tcp.flags.res', 'tcp.flags.ae', 'tcp.flags.ace', 'tcp.flags.cwr', 'tcp.flags.ece', 'tcp.flags.urg', 'tcp.flags.ack',
    'tcp.flags.push', 'tcp.flags.reset', 'tcp.flags.syn', 'tcp.flags.fin', 'tcp.flags.str', 'tcp.window_size_value',
    'tcp.checksum', 'tcp.checksum.status', 'tcp.checksum_calculated', 'tcp.urgent_pointer', 'tcp.options',
    'tcp.option_kind', 'tcp.option_len', 'tcp.options.eol', 'tcp.options.nop', 'tcp.options.mss', 'tcp.options.mss_val',
    'tcp.options.wscale', 'tcp.options.wscale.shift', 'tcp.options.wscale.multiplier', 'tcp.options.sack_perm',
    'tcp.options.sack', 'tcp.options.sack_le', 'tcp.options.sack_re', 'tcp.options.sack.count',
    'tcp.options.timestamp', 'tcp.options.timestamp.tsval', 'tcp.options.timestamp.tsecr', 'tcp.options.qs',
    'tcp.options.qs.rate', 'tcp.options.qs.ttl_diff', 'tcp.options.user_to', 'tcp.options.user_to_granularity',
    'tcp.options.user_to_val', 'tcp.options.mptcp.subtype', 'tcp.options.tfo', 'tcp.options.tfo.request',
    'tcp.options.tfo.cookie', 'tcp.options.experimental', 'tcp.options.experimental.exid',
    'tcp.options.experimental.data', 'tcp.options.acc_ecn.ee0b', 'tcp.options.acc_ecn.eceb',
    'tcp.options.acc_ecn.ee1b', 'tcp.options.unknown', 'tcp.options.unknown.payload', 'tcp.payload',
  ],
  // a segment with an MPTCP option: tshark's MPTCP dissector is a protocol of its own in frame.protocols
  protocolsPart: (l) => (l.d.options.mptcp ? 'tcp:mptcp' : 'tcp'),
  registers: [{ table: 'ip.proto', key: 6 }],

  dissect(buf, start, end, ctx: DissectContext) {
    const d = emptyD();
    const l = new Layer<TcpDx>(tcp, buf, start, end, d);
    if (end - start < 20) {
      if (end - start >= 4) { d.srcport = u16(buf, start); d.dstport = u16(buf, start + 2); }
      // An ICMP error quotes only the first 8 bytes of the offending segment (RFC 792): inside one
      // (ctx.quoted), ports and sequence number are all there is,
      // and tshark shows them without calling the header short.
      if (ctx.quoted && end - start >= 8) {
        d.seq = u32(buf, start + 4);
        d.quotedSeq = true;
        return l;
      }
      l.short('TCP header', start, 20, ctx.snapCut(buf, start + 20));
      return l;
    }
    d.srcport = u16(buf, start);
    d.dstport = u16(buf, start + 2);
    d.seq = u32(buf, start + 4);
    d.ack = u32(buf, start + 8);
    d.hdrLen = (buf[start + 12] >> 4) * 4;
    d.flags = ((buf[start + 12] & 0x0f) << 8) | buf[start + 13];
    d.window = u16(buf, start + 14);
    d.urgent = u16(buf, start + 18);
    d.ok = true;

    // The segment's length as the IP header reports it (the captured bytes may stop earlier).
    const ip = ipLayerBefore(ctx.layers);
    const cut = ctx.snapCut(buf, end);
    let segEnd = end;
    if (ip !== null && ip.buf === buf) {
      const ipd = ip.d as IpD;
      if (ipd && ipd.totalLen > 0 && ip.start + ipd.totalLen > end && cut) segEnd = ip.start + ipd.totalLen;
    }
    const segLen = segEnd - start;

    if (d.hdrLen < 20) {
      l.problem('malformed', `bogus TCP header length (${d.hdrLen}, must be at least 20)`, start + 12, start + 13);
      d.hdrBogus = true;
      d.hdrLen = 20;
      d.payloadStart = d.payloadEnd = start + 20;
      return l;
    }
    if (d.hdrLen > segLen) {
      d.hdrBogus = true;
      l.problem('malformed', `TCP header length ${d.hdrLen} exceeds the segment (${segLen} bytes)`, start + 12, end);
      d.payloadStart = d.payloadEnd = end;
      return l;
    }
    d.len = segLen - d.hdrLen;
    const optEnd = start + d.hdrLen;
    if (optEnd > end) {
      // Header cut by the snaplen: decode what options there are, say it is truncated.
      l.short('TCP options', start + 20, d.hdrLen, cut);
      d.payloadStart = d.payloadEnd = end;
      decodeOptions(buf, start + 20, end, d.options);
      return l;
    }
    if (d.hdrLen > 20) {
      d.optBadAt = decodeOptions(buf, start + 20, optEnd, d.options);
      if (d.optBadAt >= 0) {
        l.problem('malformed', `TCP option at offset ${d.optBadAt - start} has a length that does not fit the options`, d.optBadAt, optEnd);
      }
    }
    d.payloadStart = optEnd;
    d.payloadEnd = end;

    // Checksum over pseudo-header + segment, only when every byte of the segment is here.
    if (!cut && ip !== null && (ip.d as IpD)?.srcAt >= 0 && ctx.state.checksums !== false) {
      let s = pseudoSum(ip, 6, segLen);
      s = onesSum(buf, start, start + 16, s);
      s = onesSum(buf, start + 18, end, s);
      d.csCalc = finish(s);
      const got = u16(buf, start + 16);
      d.csStatus = got === d.csCalc ? 1 : 0;
      if (d.csStatus === 0) l.problem('checksum', `TCP checksum 0x${got.toString(16).padStart(4, '0')} incorrect, should be ${hexN(d.csCalc, 4)}`, start + 16, start + 18);
    }

    if (end > optEnd) {
      const lo = Math.min(d.srcport, d.dstport), hi = Math.max(d.srcport, d.dstport);
      l.next = { table: 'tcp.port', key: lo, key2: hi, heuristic: 'tcp', start: optEnd, end };
    }
    return l;
  },

  fields(l) {
    const d = l.d;
    const { buf, start } = l;
    const out: Field[] = [];
    if (l.end - start < 4) return out;
    out.push(fUint('tcp.srcport', 'Source Port', d.srcport, start, 2));
    out.push(fUint('tcp.dstport', 'Destination Port', d.dstport, start + 2, 2));
    out.push(hide(fUint('tcp.port', 'Source or Destination Port', d.srcport, start, 2)));
    out.push(hide(fUint('tcp.port', 'Source or Destination Port', d.dstport, start + 2, 2)));
    if (!d.ok) {
      if (d.quotedSeq) out.push(fUint('tcp.seq', 'Sequence Number', d.seq, start + 4, 4));
      return out;
    }
    if (!d.hdrBogus) out.push(gen(fUint('tcp.len', 'TCP Segment Len', d.len, start, 0)));
    out.push(fUint('tcp.seq_raw', 'Sequence Number (raw)', d.seq, start + 4, 4));
    out.push(fUint('tcp.ack_raw', 'Acknowledgment number (raw)', d.ack, start + 8, 4));
    const off = buf[start + 12] >> 4;
    const hl = fBits('tcp.hdr_len', 'Header Length', off * 4, start + 12, 1, 0xf0);
    hl.text = `${off.toString(2).padStart(4, '0')} .... = Header Length: ${off * 4} bytes (${off})`;
    out.push(hl);
    const fl = d.flags;
    const flags = fHex('tcp.flags', 'Flags', fl, start + 12, 2, 4);
    flags.text = `Flags: ${hexN(fl, 3)} (${tcpFlagsText(fl)})`;
    const bit = (key: string, label: string, m: number, at: number, pic: string) => {
      const f = fBool(key, label, (fl & m) !== 0, at, 1, at === start + 12 ? m >> 8 : m);
      f.text = `${pic} = ${label}: ${fl & m ? 'Set' : 'Not set'}`;
      return f;
    };
    const res = fBits('tcp.flags.res', 'Reserved', (fl >> 9) & 7, start + 12, 1, 0x0e);
    res.text = `${((fl >> 9) & 7).toString(2).padStart(3, '0')}. .... .... = Reserved: ${fl & 0xe00 ? 'Set' : 'Not set'}`;
    const b = (m: number) => (fl & m ? '1' : '0');
    // AccECN negotiated on this connection (the tracker says so): AE/CWR/ECE form the ACE counter.
    const ace = (l.ann as { accEcn?: boolean } | null)?.accEcn === true && !(fl & 0x002);
    const aceF = fBits('tcp.flags.ace', 'ACE', (fl >> 6) & 7, start + 12, 2, 0x01c0);
    aceF.text = `...${b(0x100)} ${b(0x80)}${b(0x40)}.. .... = ACE: ${(fl >> 6) & 7}`;
    flags.children = [
      res,
      ...(ace ? [aceF] : [
        bit('tcp.flags.ae', 'Accurate ECN', 0x100, start + 12, `...${b(0x100)} .... ....`),
        bit('tcp.flags.cwr', 'Congestion Window Reduced', 0x80, start + 13, `.... ${b(0x80)}... ....`),
        bit('tcp.flags.ece', 'ECN-Echo', 0x40, start + 13, `.... .${b(0x40)}.. ....`),
      ]),
      bit('tcp.flags.urg', 'Urgent', 0x20, start + 13, `.... ..${b(0x20)}. ....`),
      bit('tcp.flags.ack', 'Acknowledgment', 0x10, start + 13, `.... ...${b(0x10)} ....`),
      bit('tcp.flags.push', 'Push', 0x08, start + 13, `.... .... ${b(0x08)}...`),
      bit('tcp.flags.reset', 'Reset', 0x04, start + 13, `.... .... .${b(0x04)}..`),
      bit('tcp.flags.syn', 'Syn', 0x02, start + 13, `.... .... ..${b(0x02)}.`),
      bit('tcp.flags.fin', 'Fin', 0x01, start + 13, `.... .... ...${b(0x01)}`),
      gen(fStr('tcp.flags.str', 'TCP Flags', flagsStr(fl, ace), start + 12, 2)),
    ];
    out.push(flags);
    out.push(fUint('tcp.window_size_value', 'Window', d.window, start + 14, 2));
    const cs = u16(buf, start + 16);
    const csf = fHex('tcp.checksum', 'Checksum', cs, start + 16, 2);
    csf.text = d.csStatus === 2 ? `Checksum: ${hexN(cs, 4)} [unverified]`
      : d.csStatus === 1 ? `Checksum: ${hexN(cs, 4)} [correct]`
        : `Checksum: ${hexN(cs, 4)} incorrect, should be ${hexN(d.csCalc, 4)}(maybe caused by "TCP checksum offload"?)`;
    out.push(csf);
    const st = gen(fUint('tcp.checksum.status', 'Checksum Status', d.csStatus, start + 16, 0));
    st.text = `Checksum Status: ${['Bad', 'Good', 'Unverified'][d.csStatus]}`;
    out.push(st);
    if (d.csStatus !== 2) out.push(gen(fHex('tcp.checksum_calculated', 'Calculated Checksum', d.csCalc, start + 16, 2)));
    out.push(fUint('tcp.urgent_pointer', 'Urgent Pointer', d.urgent, start + 18, 2));
    if (d.hdrLen > 20) {
      const oEnd = Math.min(start + d.hdrLen, l.end);
      if (d.hdrBogus) {
        out.push(fText(`Options: (${d.hdrLen - 20} bytes)`, start + 20, 0));
      } else {
        out.push(optionsField(l, start + 20, oEnd));
      }
    }
    if (d.payloadEnd > d.payloadStart) {
      const p = fBytes('tcp.payload', 'TCP payload', buf, d.payloadStart, d.payloadEnd);
      p.text = `TCP payload (${d.payloadEnd - d.payloadStart} byte${d.payloadEnd - d.payloadStart === 1 ? '' : 's'})`;
      out.push(p);
    }
    return out;
  },

  fieldShow(l, key) {
    const d = l.d;
    switch (key) {
      case 'tcp.srcport': return l.end - l.start < 4 ? null : String(d.srcport);
      case 'tcp.dstport': return l.end - l.start < 4 ? null : String(d.dstport);
      case 'tcp.len': return d.ok && !d.hdrBogus ? String(d.len) : null;
      case 'tcp.seq_raw': return d.ok ? String(d.seq) : null;
      case 'tcp.ack_raw': return d.ok ? String(d.ack) : null;
      // only a header quoted in an ICMP error carries tcp.seq itself (elsewhere the tracker adds it)
      case 'tcp.seq': return d.quotedSeq ? String(d.seq) : null;
      default: return undefined;
    }
  },

  title(l) {
    const d = l.d;
    const ann = l.ann as TcpAnn | null;
    let s = `Transmission Control Protocol, Src Port: ${d.srcport}, Dst Port: ${d.dstport}`;
    if (!d.ok) return s;
    s += `, Seq: ${ann ? ann.seq : d.seq}`;
    if (d.flags & TCP_ACK) s += `, Ack: ${ann ? ann.ack : d.ack}`;
    if (!d.hdrBogus) s += `, Len: ${d.len}`;
    return s;
  },

  column: (l) => (l.d.options.mptcp ? 'MPTCP' : 'TCP'),

  infoFence(l) {
    const ann = l.ann as TcpAnn | null;
    let s = '';
    if (ann && ann.infoPrefix && ann.infoPrefix.length) for (const p of ann.infoPrefix) s += `[${p}] `;
    return s;
  },

  info(l) {
    const d = l.d;
    let s = tcp.infoFence!(l);
    const ann = l.ann as (TcpAnn & { accEcn?: boolean }) | null;
    s += `${d.srcport} \u2192 ${d.dstport}`;
    if (!d.ok) return s;
    let ft = tcpFlagsText(d.flags);
    if (ann?.accEcn && !(d.flags & 0x002)) {
      // AccECN negotiated: the AE/CWR/ECE bits form the ACE counter.
      const ace = (d.flags >> 6) & 7;
      ft = tcpFlagsText(d.flags & ~0x1c0).replace('<None>', '');
      ft = (ft ? ft + ', ' : '') + `ACE=${ace}`;
    }
    s += ` [${ft}] Seq=${ann ? ann.seq : d.seq}`;
    if (d.flags & TCP_ACK) s += ` Ack=${ann ? ann.ack : d.ack}`;
    s += ` Win=${ann && ann.window >= 0 ? ann.window : d.window}`;
    if (d.flags & TCP_URG) s += ` Urg=${d.urgent}`;
    if (d.hdrBogus) {
      const off = (l.buf[l.start + 12] >> 4) * 4;
      if (off < 20) s += `, bogus TCP header length (${off}, must be at least 20)`;
      return s;
    }
    s += ` Len=${d.len}`;
    if (d.hdrLen > 20) s += optionsInfo(l);
    return s;
  },
};

/** Base to turn raw SACK edges into relative ones (raw ack - relative ack), or 0 without the tracker. */
function sackBase(l: Layer<TcpDx>): number {
  const ann = l.ann as TcpAnn | null;
  if (!ann || !(l.d.flags & TCP_ACK)) return 0;
  return (l.d.ack - ann.ack) >>> 0;
}

function optionsInfo(l: Layer<TcpDx>): string {
  const { buf, start } = l;
  const d = l.d;
  let s = '';
  const base = sackBase(l);
  walkOptions(buf, start + 20, Math.min(start + d.hdrLen, l.end), (kind, at, len) => {
    const fixed = OPT_FIXED_LEN[kind];
    if (fixed !== undefined && len !== fixed) return;
    switch (kind) {
      case 2: s += ` MSS=${u16(buf, at + 2)}`; break;
      case 3: s += ` WS=${2 ** Math.min(buf[at + 2], 14)}`; break;
      case 4: s += ' SACK_PERM'; break;
      case 5:
        for (let i = 0; i + 8 <= len - 2; i += 8) {
          s += ` SLE=${(u32(buf, at + 2 + i) - base) >>> 0} SRE=${(u32(buf, at + 6 + i) - base) >>> 0}`;
        }
        break;
      case 8: s += ` TSval=${u32(buf, at + 2)} TSecr=${u32(buf, at + 6)}`; break;
      case 27: s += ` QSresp=${QS_RATES[buf[at + 2] & 15]}`; break;
      case 28: s += ` USER_TO=${u16(buf, at + 2) & 0x7fff}`; break;
      case 34: s += len > 2 ? ' TFO=C' : ' TFO=R'; break;
      case 253: case 254: {
        if (len < 4) break;
        const exid = u16(buf, at + 2);
        if (exid === 0xf989) s += len > 4 ? ' TFO=C' : ' TFO=R';
        else if (exid === 0xacc0 || exid === 0xacc1) s += accEcnInfo(buf, at + 4, len - 4, exid === 0xacc1);
        break;
      }
      case 172: case 174: s += accEcnInfo(buf, at + 2, len - 2, kind === 174); break;
    }
  });
  return s;
}

const ACC_NAMES0 = ['EE0B', 'ECEB', 'EE1B'];
const ACC_NAMES1 = ['EE1B', 'ECEB', 'EE0B'];
function accEcnInfo(buf: Uint8Array, at: number, n: number, order1: boolean): string {
  const names = order1 ? ACC_NAMES1 : ACC_NAMES0;
  let s = '';
  for (let i = 0; i < 3 && (i + 1) * 3 <= n; i++) {
    const v = (buf[at + 3 * i] << 16) | (buf[at + 3 * i + 1] << 8) | buf[at + 3 * i + 2];
    s += ` ${names[i]}=${v}`;
  }
  return s;
}

function kindField(kind: number, at: number): Field {
  const f = fUint('tcp.option_kind', 'Kind', kind, at, 1);
  f.text = `Kind: ${KIND_NAMES[kind] ?? 'Unknown'} (${kind})`;
  return f;
}
function lenField(len: number, at: number): Field {
  return fUint('tcp.option_len', 'Length', len, at, 1);
}

function optWrap(key: string, text: string, buf: Uint8Array, at: number, len: number, children: Field[]): Field {
  const f = fBytes(key, text, buf, at, at + len);
  f.text = text;
  f.children = children;
  return f;
}

function optionsField(l: Layer<TcpDx>, oStart: number, oEnd: number): Field {
  const { buf } = l;
  const names: string[] = [];
  const kids: Field[] = [];
  const base = sackBase(l);
  const bad = walkOptions(buf, oStart, oEnd, (kind, at, len) => {
    names.push(kind === 253 || kind === 254 ? 'Experimental' : OPT_NAMES[kind] ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`);
    const c: Field[] = [kindField(kind, at)];
    if (len >= 2) c.push(lenField(len, at + 1));
    const fixed = OPT_FIXED_LEN[kind];
    if (fixed !== undefined && len !== fixed) {
      // tshark: "option length should be N"; the option is shown with only kind and length.
      c[1].text = `Length: ${len} [option length should be ${fixed}]`;
      kids.push(fText(`TCP Option - ${OPT_NAMES[kind]}`, at, len, c));
      return;
    }
    switch (kind) {
      case 0: kids.push(optWrap('tcp.options.eol', 'TCP Option - End of Option List (EOL)', buf, at, 1, c)); break;
      case 1: kids.push(optWrap('tcp.options.nop', 'TCP Option - No-Operation (NOP)', buf, at, 1, c)); break;
      case 2: {
        const v = u16(buf, at + 2);
        c.push(fUint('tcp.options.mss_val', 'MSS Value', v, at + 2, 2));
        kids.push(optWrap('tcp.options.mss', `TCP Option - Maximum segment size: ${v} bytes`, buf, at, len, c));
        break;
      }
      case 3: {
        const sh = buf[at + 2];
        const mul = 2 ** Math.min(sh, 14);
        c.push(fUint('tcp.options.wscale.shift', 'Shift count', sh, at + 2, 1));
        c.push(gen(fUint('tcp.options.wscale.multiplier', 'Multiplier', mul, at + 2, 1)));
        kids.push(optWrap('tcp.options.wscale', `TCP Option - Window scale: ${sh} (multiply by ${mul})`, buf, at, len, c));
        break;
      }
      case 4: kids.push(optWrap('tcp.options.sack_perm', 'TCP Option - SACK permitted', buf, at, len, c)); break;
      case 5: {
        let t = 'TCP Option - SACK';
        let n = 0;
        for (let i = at + 2; i + 8 <= at + len; i += 8) {
          const le = (u32(buf, i) - base) >>> 0, re = (u32(buf, i + 4) - base) >>> 0;
          const a = fUint('tcp.options.sack_le', 'left edge', le, i, 4);
          a.text = `left edge = ${le} (relative)`;
          const z = fUint('tcp.options.sack_re', 'right edge', re, i + 4, 4);
          z.text = `right edge = ${re} (relative)`;
          c.push(a, z);
          t += ` ${le}-${re}`;
          n++;
        }
        const cnt = gen(fUint('tcp.options.sack.count', 'TCP SACK Count', n, at, 0));
        c.push(cnt);
        kids.push(optWrap('tcp.options.sack', t, buf, at, len, c));
        break;
      }
      case 8: {
        const tv = u32(buf, at + 2), te = u32(buf, at + 6);
        c.push(fUint('tcp.options.timestamp.tsval', 'Timestamp value', tv, at + 2, 4));
        c.push(fUint('tcp.options.timestamp.tsecr', 'Timestamp echo reply', te, at + 6, 4));
        kids.push(optWrap('tcp.options.timestamp', `TCP Option - Timestamps: TSval ${tv}, TSecr ${te}`, buf, at, len, c));
        break;
      }
      case 27: {
        const r = fBits('tcp.options.qs.rate', 'QS Rate', buf[at + 2] & 15, at + 2, 1, 0x0f);
        r.text = `.... ${(buf[at + 2] & 15).toString(2).padStart(4, '0')} = QS Rate: ${QS_RATES[buf[at + 2] & 15]} (${buf[at + 2] & 15})`;
        c.push(r, fUint('tcp.options.qs.ttl_diff', 'QS Rate', buf[at + 3], at + 3, 1));
        kids.push(optWrap('tcp.options.qs', 'TCP Option - Quick-Start', buf, at, len, c));
        break;
      }
      case 28: {
        const v = u16(buf, at + 2);
        c.push(fBool('tcp.options.user_to_granularity', 'Granularity', (v & 0x8000) !== 0, at + 2, 2, 0x8000));
        c.push(fBits('tcp.options.user_to_val', 'User Timeout', v & 0x7fff, at + 2, 2, 0x7fff));
        kids.push(optWrap('tcp.options.user_to', 'TCP Option - User Timeout', buf, at, len, c));
        break;
      }
      case 30: {
        if (len >= 3) {
          const st = buf[at + 2] >> 4;
          const f = fBits('tcp.options.mptcp.subtype', 'Multipath TCP subtype', st, at + 2, 1, 0xf0);
          f.text = `${st.toString(2).padStart(4, '0')} .... = Multipath TCP subtype: ${MPTCP_SUBTYPES[st] ?? 'Unknown'} (${st})`;
          c.push(f);
        }
        const st = len >= 3 ? MPTCP_SUBTYPES[buf[at + 2] >> 4] ?? 'Unknown' : 'Unknown';
        kids.push(fText(`Multipath Transmission Control Protocol: ${st}`, at, len, c));
        break;
      }
      case 34: {
        if (len === 2) c.push(gen(fStr('tcp.options.tfo.request', 'Fast Open Cookie Request', '', at, 2)));
        else c.push(fBytes('tcp.options.tfo.cookie', 'Fast Open Cookie', buf, at + 2, at + len));
        kids.push(optWrap('tcp.options.tfo', 'TCP Option - TCP Fast Open', buf, at, len, c));
        break;
      }
      case 253: case 254: {
        let t = 'TCP Option - Experimental';
        if (len >= 4) {
          const exid = u16(buf, at + 2);
          const exName = exid === 0xf989 ? 'Fast Open' : exid === 0xacc0 ? 'Accurate ECN - Order 0'
            : exid === 0xacc1 ? 'Accurate ECN - Order 1' : 'Unknown';
          const ef = fHex('tcp.options.experimental.exid', 'Experiment Identifier', exid, at + 2, 2);
          ef.text = `Experiment Identifier: ${exName} (${hexN(exid, 4)})`;
          c.push(ef);
          if (exid === 0xf989) {
            t += ': Fast Open';
            if (len === 4) c.push(gen(fStr('tcp.options.tfo.request', 'Fast Open Cookie Request', '', at + 2, 2)));
            else c.push(fBytes('tcp.options.tfo.cookie', 'Fast Open Cookie', buf, at + 4, at + len));
          } else if (exid === 0xacc0 || exid === 0xacc1) {
            t += `: ${exName}`;
            accEcnFields(buf, at + 4, len - 4, exid === 0xacc1, c);
          } else if (len > 4) {
            c.push(fBytes('tcp.options.experimental.data', 'Data', buf, at + 4, at + len));
          }
        }
        kids.push(optWrap('tcp.options.experimental', t, buf, at, len, c));
        break;
      }
      case 172: case 174:
        accEcnFields(buf, at + 2, len - 2, kind === 174, c);
        kids.push(optWrap('tcp.options.acc_ecn', `TCP Option - ${OPT_NAMES[kind]}`, buf, at, len, c));
        break;
      default: {
        if (len > 2) c.push(fBytes('tcp.options.unknown.payload', 'Payload', buf, at + 2, at + len));
        const name = OPT_NAMES[kind];
        kids.push(optWrap(name ? 'tcp.options.unknown' : 'tcp.options.unknown', `TCP Option - ${name ?? 'Unknown'}`, buf, at, len, c));
      }
    }
  });
  if (bad >= 0) {
    const c: Field[] = [kindField(buf[bad], bad)];
    if (bad + 1 < oEnd) {
      const lf = lenField(buf[bad + 1], bad + 1);
      lf.text = `Length: ${buf[bad + 1]} [bogus, ${buf[bad + 1] < 2 ? 'must be at least 2' : `only ${oEnd - bad} bytes left`}]`;
      c.push(lf);
    }
    kids.push(fText(`TCP Option - ${OPT_NAMES[buf[bad]] ?? 'Unknown'} [malformed]`, bad, oEnd - bad, c));
  }
  const n = l.d.hdrLen - 20;
  const f = fBytes('tcp.options', 'Options', buf, oStart, oEnd);
  f.text = `Options: (${n} bytes)${names.length ? ', ' + names.join(', ') : ''}`;
  f.children = kids;
  return f;
}

function accEcnFields(buf: Uint8Array, at: number, n: number, order1: boolean, c: Field[]): void {
  const names = order1 ? ACC_NAMES1 : ACC_NAMES0;
  const labels: Record<string, string> = {
    EE0B: 'Accurate ECN Echo ECT(0) Byte Counter', ECEB: 'Accurate ECN Echo CE Byte Counter',
    EE1B: 'Accurate ECN Echo ECT(1) Byte Counter',
  };
  for (let i = 0; i < 3 && (i + 1) * 3 <= n; i++) {
    const v = (buf[at + 3 * i] << 16) | (buf[at + 3 * i + 1] << 8) | buf[at + 3 * i + 2];
    c.push(fUint(`tcp.options.acc_ecn.${names[i].toLowerCase()}`, labels[names[i]], v, at + 3 * i, 3));
  }
}

