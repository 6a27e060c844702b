// User Datagram Protocol (RFC 768), IP protocol 17: ports, length, checksum over the
// pseudo-header (0 = none over IPv4; illegal over IPv6, RFC 8200 §8.1).

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import type { IpD, UdpD } from '../src/dissect/decoded.js';
import { fBytes, fHex, fUint, gen, hexN, u16, hide } from '../src/dissect/fields.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface UdpDx extends UdpD {
  ok: boolean;
  /** tshark's udp.checksum.status: 0 bad, 1 good, 2 unverified, 3 not present, 4 illegal (zero over IPv6). */
  csStatus: 0 | 1 | 2 | 3 | 4;
  csCalc: number;
  /** The length field is below 8 or above the IP payload. */
  badLen: boolean;
  /** The IP payload length the length field was checked against (tshark's "payload length"). */
  ipPayload: number;
}

const STATUS = ['Bad', 'Good', 'Unverified', 'Not present', 'Illegal'];


export const udp: Dissector<UdpDx> = {
  proto: 'udp',
  name: 'User Datagram Protocol',
  fieldKeys: [
    'udp.srcport', 'udp.dstport', 'udp.port', 'udp.length', 'udp.checksum', 'udp.checksum.status',
    'udp.checksum_calculated', 'udp.payload',
  ],
  registers: [{ table: 'ip.proto', key: 17 }],

  dissect(buf, start, end, ctx) {
    const d: UdpDx = {
      srcport: 0, dstport: 0, length: 0, payloadStart: start, payloadEnd: start, ok: false, csStatus: 2, csCalc: 0,
      badLen: false, ipPayload: 0,
    };
    const l = new Layer<UdpDx>(udp, buf, start, end, d);
    if (end - start < 8) {
      l.short('UDP header', start, 8, ctx.snapCut(buf, start + 8));
      return l;
    }
    d.ok = true;
    d.srcport = u16(buf, start);
    d.dstport = u16(buf, start + 2);
    d.length = u16(buf, start + 4);
    const cut = ctx.snapCut(buf, end);
    const ip = ipLayerBefore(ctx.layers);
    const ipd = ip ? (ip.d as IpD) : null;
    // Reported IP payload end (bytes beyond `end` may be missing when the capture was cut).
    let ipEnd = end;
    if (ip !== null && ip.buf === buf && ipd && ipd.totalLen > 0 && cut && ip.start + ipd.totalLen > end) {
      ipEnd = ip.start + ipd.totalLen;
    }
    let udpEnd = start + d.length;
    d.ipPayload = ipEnd - start;
    if (d.length < 8) {
      d.badLen = true;
      l.problem('malformed', `bad UDP length ${d.length} < UDP header length 8`, start + 4, start + 6);
      udpEnd = ipEnd;
    } else if (udpEnd > ipEnd) {
      d.badLen = true;
      l.problem('malformed', `bad UDP length ${d.length} > IP payload length ${ipEnd - start}`, start + 4, start + 6);
      udpEnd = ipEnd;
    }
    d.payloadStart = start + 8;
    d.payloadEnd = Math.min(udpEnd, end);
    l.end = Math.max(start + 8, d.payloadEnd);

    const cs = u16(buf, start + 6);
    if (cs === 0) {
      d.csStatus = ipd && ipd.version === 6 ? 4 : 3;
      if (d.csStatus === 4) l.problem('checksum', 'UDP checksum 0 is illegal over IPv6', start + 6, start + 8);
    } else if (!cut && !d.badLen && ip !== null && ipd && ipd.srcAt >= 0 && udpEnd <= end) {
      let s = pseudoSum(ip, 17, d.length);
      s = onesSum(buf, start, start + 6, s);
      s = onesSum(buf, start + 8, udpEnd, s);
      let c = finish(s);
      if (c === 0) c = 0xffff;
      d.csCalc = c;
      d.csStatus = c === cs ? 1 : 0;
      if (d.csStatus === 0) l.problem('checksum', `UDP checksum ${hexN(cs, 4)} incorrect, should be ${hexN(c, 4)}`, start + 6, start + 8);
    }

    if (d.payloadEnd > d.payloadStart) {
      const lo = Math.min(d.srcport, d.dstport), hi = Math.max(d.srcport, d.dstport);
      l.next = { table: 'udp.port', key: lo, key2: hi, heuristic: 'udp', start: d.payloadStart, end: d.payloadEnd };
    }
    return l;
  },

  fields(l) {
    const d = l.d;
    const { buf, start } = l;
    if (!d.ok) return [];
    const out: Field[] = [
      fUint('udp.srcport', 'Source Port', d.srcport, start, 2),
      fUint('udp.dstport', 'Destination Port', d.dstport, start + 2, 2),
      hide(fUint('udp.port', 'Source or Destination Port', d.srcport, start, 2)),
      hide(fUint('udp.port', 'Source or Destination Port', d.dstport, start + 2, 2)),
    ];
    const lf = fUint('udp.length', 'Length', d.length, start + 4, 2);
    if (d.badLen) lf.text = d.length < 8 ? `Length: ${d.length} (bogus, must be >= 8)` : `Length: ${d.length} (bogus, payload length ${d.ipPayload})`;
    out.push(lf);
    const cs = u16(buf, start + 6);
    const cf = fHex('udp.checksum', 'Checksum', cs, start + 6, 2);
    cf.text = ['', '', '[unverified]', '[zero-value ignored]', ''][d.csStatus];
    if (d.csStatus === 0) cf.text = `Checksum: ${hexN(cs, 4)} incorrect, should be ${hexN(d.csCalc, 4)} (maybe caused by "UDP checksum offload"?)`;
    else if (d.csStatus === 1) cf.text = `Checksum: ${hexN(cs, 4)} [correct]`;
    else if (d.csStatus === 4) cf.text = 'Checksum: 0 (Illegal)';
    else cf.text = `Checksum: ${hexN(cs, 4)} ${cf.text}`;
    out.push(cf);
    if (d.csStatus === 0 || d.csStatus === 1) {
      out.push(gen(fHex('udp.checksum_calculated', 'Calculated Checksum', d.csCalc, start + 6, 2)));
    }
    const st = gen(fUint('udp.checksum.status', 'Checksum Status', d.csStatus, start + 6, 0));
    st.text = `Checksum Status: ${STATUS[d.csStatus]}`;
    out.push(st);
    if (d.payloadEnd > d.payloadStart) {
      const p = fBytes('udp.payload', 'UDP payload', buf, d.payloadStart, d.payloadEnd);
      const n = d.payloadEnd - d.payloadStart;
      p.text = `UDP payload (${n} byte${n === 1 ? '' : 's'})`;
      out.push(p);
    }
    return out;
  },

  fieldShow(l, key) {
    const d = l.d;
    if (key === 'udp.srcport') return d.ok ? String(d.srcport) : null;
    if (key === 'udp.dstport') return d.ok ? String(d.dstport) : null;
    return undefined;
  },
  title(l) {
    const d = l.d;
    return d.ok ? `User Datagram Protocol, Src Port: ${d.srcport}, Dst Port: ${d.dstport}` : 'User Datagram Protocol';
  },

  column: () => 'UDP',

  info(l) {
    const d = l.d;
    if (!d.ok) return null;
    // tshark: a length below 8 ends the Info there; one beyond the IP payload is flagged before Len=
    if (d.badLen && d.length < 8) return `${d.srcport} \u2192 ${d.dstport} [BAD UDP LENGTH ${d.length} < 8]`;
    let s = d.badLen
      ? `${d.srcport} \u2192 ${d.dstport} [BAD UDP LENGTH ${d.length} > IP PAYLOAD LENGTH] Len=${d.length - 8}`
      : `${d.srcport} \u2192 ${d.dstport} Len=${d.length - 8}`;
    if (d.csStatus === 4) s += ' [ILLEGAL CHECKSUM (0)]';
    return s;
  },
};
