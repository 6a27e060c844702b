// ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861) with its options, MLD/MLDv2 (best effort).
// ip.proto 58. Errors (1-4) quote the offending IPv6 packet: dissected as inner layers.
// Info as tshark; the " (request in N)" suffix comes from layer.ann, set by the echo pairing
// analyzer (src/analysis/icmp-echo.ts).

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import { checksumFields, fBool, fHex, fIPv6, fMAC, fText, fUint, fmtIPv6, fmtMAC, gen, hexN, u16, u32 } from '../src/dissect/fields.js';
import type { UdpD } from '../src/dissect/decoded.js';
import { Layer, lastLayerOf } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface Icmpv6D {
  type: number;
  code: number;
  ok: boolean;
  ckGood: boolean | null;
  ckCalc: number;
  hlim: number;
  /** An echo request to UDP port 3544 inside Teredo: tshark's "Direct IPv6 Connectivity Test" (RFC 4380 5.2.9). */
  teredoTest: boolean;
}

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 143: 'Multicast Listener Report Message v2',
};
const CODES: Record<number, Record<number, string>> = {
  1: { 0: 'no route to destination', 1: 'Administratively prohibited', 2: 'beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable', 5: 'source address failed ingress/egress policy', 6: 'reject route to destination' },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  138: { 0: 'Command', 1: 'Result', 255: 'Sequence number reset' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered' },
};
/** Offset of the options after the fixed part, per ND type. */
const ND_OPTS: Record<number, number> = { 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 };

export const icmpv6: Dissector<Icmpv6D> = {
  proto: 'icmpv6',
  name: 'Internet Control Message Protocol v6',
  fieldKeys: [
    'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum', 'icmpv6.checksum.status', 'icmpv6.echo.identifier',
    'icmpv6.echo.sequence_number', 'icmpv6.mtu', 'icmpv6.pointer', 'icmpv6.reserved', 'icmpv6.nd.ns.target_address',
    'icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s',
    'icmpv6.nd.na.flag.o', 'icmpv6.nd.ra.cur_hop_limit', 'icmpv6.nd.ra.flag', 'icmpv6.nd.ra.router_lifetime',
    'icmpv6.nd.ra.reachable_time', 'icmpv6.nd.ra.retrans_timer', 'icmpv6.nd.rd.target_address',
    'icmpv6.nd.rd.destination_address', 'icmpv6.opt', 'icmpv6.opt.type', 'icmpv6.opt.length',
    'icmpv6.opt.linkaddr', 'icmpv6.opt.src_linkaddr', 'icmpv6.opt.target_linkaddr', 'icmpv6.opt.mtu',
    'icmpv6.opt.prefix.length', 'icmpv6.opt.prefix.valid_lifetime', 'icmpv6.opt.prefix.preferred_lifetime',
    'icmpv6.opt.prefix', 'icmpv6.opt.rdnss.lifetime', 'icmpv6.opt.rdnss', 'icmpv6.mld.maximum_response_delay',
    'icmpv6.mld.multicast_address', 'icmpv6.mldr.nb_mcast_records',
  ],
  registers: [{ table: 'ip.proto', key: 58 }],

  dissect(buf, start, end, ctx) {
    const d: Icmpv6D = { type: -1, code: -1, ok: false, ckGood: null, ckCalc: 0, hlim: -1, teredoTest: false };
    const l = new Layer<Icmpv6D>(icmpv6, buf, start, end, d);
    let ip: Layer | null = null;
    for (let i = ctx.layers.length - 1; i >= 0; i--) if (ctx.layers[i].proto === 'ipv6') { ip = ctx.layers[i]; break; }
    if (ip) d.hlim = ip.d.ttl;
    if (end - start < 4) {
      l.short('ICMPv6 header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    d.type = buf[start];
    d.code = buf[start + 1];
    d.ok = true;
    if (d.type === 128) {
      const u = lastLayerOf(ctx.layers, 'udp');
      d.teredoTest = u >= 0 && lastLayerOf(ctx.layers, 'teredo') > u && (ctx.layers[u].d as UdpD).dstport === 3544;
    }
    const quoted = ctx.quoted;
    if (ip && !quoted && !ctx.snapCut(buf, end) && ip.d.srcAt >= 0) {
      const s = onesSum(buf, start, start + 2, onesSum(buf, start + 4, end, pseudoSum(ip, 58, end - start)));
      d.ckCalc = finish(s);
      d.ckGood = d.ckCalc === u16(buf, start + 2);
      if (!d.ckGood) l.problem('checksum', `Bad ICMPv6 checksum: ${hexN(u16(buf, start + 2), 4)}, should be ${hexN(d.ckCalc, 4)}`, start + 2, start + 4);
    }
    const fixed = d.type < 128 ? 8 : ND_OPTS[d.type] ?? 8;
    if (end - start < fixed) {
      l.short(`ICMPv6 ${TYPES[d.type] ?? 'message'}`, start, fixed, ctx.snapCut(buf, start + fixed));
      return l;
    }
    if (d.type >= 1 && d.type <= 4) l.inner = ctx.dissectInner('ethertype', 0x86dd, buf, start + 8, end);
    else if ((d.type === 128 || d.type === 129) && !d.teredoTest) l.next = { table: 'data', key: 0, start: start + 8, end }; // (tshark's connectivity test shows no data)
    else if (ND_OPTS[d.type]) {
      for (let q = start + ND_OPTS[d.type], g = 0; q < end && g < 64; g++) {
        const ol = q + 1 < end ? buf[q + 1] * 8 : 0;
        if (ol === 0 || q + ol > end) {
          l.problem('malformed', `ND option length ${ol / 8} ${ol === 0 ? 'is 0' : 'runs past the end'}`, q, end);
          break;
        }
        q += ol;
      }
    }
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    if (!d.ok) return [];
    const end = l.end;
    const out: Field[] = [];
    const t = d.type;
    const tf = fUint('icmpv6.type', 'Type', t, start, 1);
    tf.text = `Type: ${TYPES[t] ?? 'Unknown'} (${t})`;
    const cf = fUint('icmpv6.code', 'Code', d.code, start + 1, 1);
    const cname = CODES[d.type]?.[d.code];
    if (cname) cf.text = `Code: ${d.code} (${cname})`;
    out.push(tf, cf);
    out.push(...checksumFields('icmpv6.checksum', buf, start + 2, d.ckGood, d.ckCalc));
    if (end - start < 8) return out;
    if (t === 128 || t === 129) {
      out.push(fHex('icmpv6.echo.identifier', 'Identifier', u16(buf, start + 4), start + 4, 2));
      out.push(fUint('icmpv6.echo.sequence_number', 'Sequence', u16(buf, start + 6), start + 6, 2));
    } else if (t === 2) out.push(fUint('icmpv6.mtu', 'MTU', u32(buf, start + 4), start + 4, 4));
    else if (t === 4) out.push(fUint('icmpv6.pointer', 'Pointer', u32(buf, start + 4), start + 4, 4));
    else if (t === 135 && end - start >= 24) out.push(fIPv6('icmpv6.nd.ns.target_address', 'Target Address', buf, start + 8));
    else if (t === 136 && end - start >= 24) {
      const fl = u32(buf, start + 4);
      const f = fHex('icmpv6.nd.na.flag', 'Flags', fl, start + 4, 4);
      f.children = [fBool('icmpv6.nd.na.flag.r', 'Router', (fl & 0x80000000) !== 0, start + 4, 1, 0x80),
        fBool('icmpv6.nd.na.flag.s', 'Solicited', (fl & 0x40000000) !== 0, start + 4, 1, 0x40),
        fBool('icmpv6.nd.na.flag.o', 'Override', (fl & 0x20000000) !== 0, start + 4, 1, 0x20)];
      out.push(f, fIPv6('icmpv6.nd.na.target_address', 'Target Address', buf, start + 8));
    } else if (t === 134 && end - start >= 16) {
      out.push(fUint('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit', buf[start + 4], start + 4, 1),
        fHex('icmpv6.nd.ra.flag', 'Flags', buf[start + 5], start + 5, 1),
        fUint('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)', u16(buf, start + 6), start + 6, 2),
        fUint('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)', u32(buf, start + 8), start + 8, 4),
        fUint('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)', u32(buf, start + 12), start + 12, 4));
    } else if (t === 137 && end - start >= 40) {
      out.push(fIPv6('icmpv6.nd.rd.target_address', 'Target Address', buf, start + 8),
        fIPv6('icmpv6.nd.rd.destination_address', 'Destination Address', buf, start + 24));
    } else if ((t === 130 || t === 131 || t === 132) && end - start >= 24) {
      out.push(fUint('icmpv6.mld.maximum_response_delay', 'Maximum Response Delay [ms]', u16(buf, start + 4), start + 4, 2),
        fIPv6('icmpv6.mld.multicast_address', 'Multicast Address', buf, start + 8));
    } else if (t === 143) out.push(fUint('icmpv6.mldr.nb_mcast_records', 'Number of Multicast Address Records', u16(buf, start + 6), start + 6, 2));
    if (ND_OPTS[t]) {
      for (let q = start + ND_OPTS[t], g = 0; q + 2 <= end && g < 64; g++) {
        const ot = buf[q], ol = buf[q + 1] * 8;
        if (ol === 0 || q + ol > end) break;
        const kids: Field[] = [fUint('icmpv6.opt.type', 'Type', ot, q, 1), fUint('icmpv6.opt.length', 'Length', buf[q + 1], q + 1, 1)];
        if ((ot === 1 || ot === 2) && ol >= 8) {
          kids.push(fMAC('icmpv6.opt.linkaddr', 'Link-layer address', buf, q + 2));
          kids.push(gen(fMAC(ot === 1 ? 'icmpv6.opt.src_linkaddr' : 'icmpv6.opt.target_linkaddr', ot === 1 ? 'Source Link-layer address' : 'Target Link-layer address', buf, q + 2)));
        } else if (ot === 3 && ol >= 32) {
          kids.push(fUint('icmpv6.opt.prefix.length', 'Prefix Length', buf[q + 2], q + 2, 1),
            fUint('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime', u32(buf, q + 4), q + 4, 4),
            fUint('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime', u32(buf, q + 8), q + 8, 4),
            fIPv6('icmpv6.opt.prefix', 'Prefix', buf, q + 16));
        } else if (ot === 5 && ol >= 8) kids.push(fUint('icmpv6.opt.mtu', 'MTU', u32(buf, q + 4), q + 4, 4));
        else if (ot === 25 && ol >= 8) {
          kids.push(fUint('icmpv6.opt.rdnss.lifetime', 'Lifetime', u32(buf, q + 4), q + 4, 4));
          for (let a = q + 8; a + 16 <= q + ol; a += 16) kids.push(fIPv6('icmpv6.opt.rdnss', 'Recursive DNS Servers', buf, a));
        }
        out.push(fText(`ICMPv6 Option (type ${ot})`, q, ol, kids));
        q += ol;
      }
    }
    return out;
  },

  column: (l) => (l.d.teredoTest ? 'Teredo' : 'ICMPv6'),
  info(l) {
    const { buf, start, d } = l;
    if (!d.ok) return null;
    const t = d.type;
    let s = d.teredoTest ? 'Direct IPv6 Connectivity Test' : TYPES[t] ?? `Unknown ICMPv6 type (${t})`;
    const cn = CODES[t]?.[d.code];
    if (cn) s += ` (${cn})`;
    const len = l.end - start;
    if ((t === 128 || t === 129) && len >= 8) {
      s += ` id=${hexN(u16(buf, start + 4), 4)}, seq=${u16(buf, start + 6)}` + (d.hlim >= 0 ? `, hop limit=${d.hlim}` : '') + echoSuffix(l.ann);
    } else if (t === 135 && len >= 24) {
      s += ` for ${fmtIPv6(buf, start + 8)}`;
      const ll = findOpt(buf, start + 24, l.end, 1);
      if (ll >= 0) s += ` from ${fmtMAC(buf, ll + 2)}`;
    } else if (t === 136 && len >= 24) {
      const fl = buf[start + 4];
      const f = [fl & 0x80 ? 'rtr' : '', fl & 0x40 ? 'sol' : '', fl & 0x20 ? 'ovr' : ''].filter(Boolean).join(', ');
      s += ` ${fmtIPv6(buf, start + 8)}${f ? ` (${f})` : ''}`;
      const ll = findOpt(buf, start + 24, l.end, 2);
      if (ll >= 0) s += ` is at ${fmtMAC(buf, ll + 2)}`;
    } else if (t === 134 && len >= 16) {
      const ll = findOpt(buf, start + 16, l.end, 1);
      if (ll >= 0) s += ` from ${fmtMAC(buf, ll + 2)}`;
    } else if (t === 133 && len >= 8) {
      const ll = findOpt(buf, start + 8, l.end, 1);
      if (ll >= 0) s += ` from ${fmtMAC(buf, ll + 2)}`;
    }
    return s;
  },
};

function findOpt(buf: Uint8Array, q: number, end: number, type: number): number {
  for (let g = 0; q + 8 <= end && g < 64; g++) {
    const ol = buf[q + 1] * 8;
    if (ol === 0 || q + ol > end) return -1;
    if (buf[q] === type) return q;
    q += ol;
  }
  return -1;
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
