// PPP as GRE (PPTP's enhanced GRE, protocol type 0x880b) carries it, as tshark 4.0 shows it: address and
// control (absent with ACFC), the protocol (one byte when its first byte is odd: PFC), then by protocol
// (the 'ppp.protocol' table): IPv4 0x0021 and IPv6 0x0057 (registered by those dissectors), and here
// LCP 0xc021, IPCP 0x8021, CCP 0x80fd, CHAP 0xc223, PAP 0xc023 and compressed datagrams 0x00fd.
// The control protocols show code, identifier, length and then: the options (LCP: MRU, ACCM with its 32
// character bits, authentication protocol and CHAP algorithm, magic number, PFC, ACFC, callback, multilink
// MRRU, endpoint discriminator; IPCP: IP address, primary/secondary DNS and NBNS; CCP: Microsoft PPE/PPC
// with its bits; any other option as type, length and bytes), the magic number of Echo/Discard, the
// rejected packet or protocol. Info is the code's name ("Configuration Request", "Echo Reply"), CHAP's and
// PAP's with their values ("Challenge (NAME='server', VALUE=0x…)"), "Compressed data"; the Protocol
// column "PPP LCP", "PPP IPCP", "PPP CCP", "PPP CHAP", "PPP PAP", "PPP Comp"; an unknown protocol gives
// data, column "0x0043" and Info "PPP <name> (0x0043)".
//
// A control packet whose length runs past the bytes shows only code, identifier and length (tshark throws
// building the options); an option whose length runs past the options is marked on its length byte and
// ends the options (tshark's expert warning, no [Malformed Packet]).

import { bitsText, fBool, fBytes, fHex, fIPv4, fStr, fText, fUint, hexN, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, DissectContext, Field } from '../src/dissect/types.js';

export const PPP_PROTOCOLS: Record<number, string> = {
  0x0021: 'Internet Protocol version 4', 0x0057: 'Internet Protocol version 6', 0x0043: 'Ascom Timeplex',
  0x00fd: 'Compressed datagram', 0xc021: 'Link Control Protocol', 0x8021: 'Internet Protocol Control Protocol',
  0x8057: 'IPv6 Control Protocol', 0x80fd: 'Compression Control Protocol', 0xc223: 'Challenge Handshake Authentication Protocol',
  0xc023: 'Password Authentication Protocol',
};
/** Protocols with a dissector in the default registry (IPv4, IPv6, LCP, IPCP, CCP, CHAP, PAP, compressed). */
const DISSECTED = new Set([0x0021, 0x0057, 0xc021, 0x8021, 0x80fd, 0xc223, 0xc023, 0x00fd]);
const pppName = (p: number) => PPP_PROTOCOLS[p] ?? 'Unknown';

export interface PppD {
  /** Offset of the protocol field; -1 when cut before it. */
  protoAt: number;
  protoLen: number;
  protocol: number;
  acfc: boolean;
}

export const ppp: Dissector<PppD> = {
  proto: 'ppp',
  name: 'Point-to-Point Protocol',
  fieldKeys: ['ppp.address', 'ppp.control', 'ppp.protocol'],
  registers: [{ table: 'gre.proto', key: 0x880b }, { table: 'pppoes', key: 0 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<PppD>(ppp, buf, start, end, { protoAt: -1, protoLen: 0, protocol: -1, acfc: false });
    let at = start;
    if (end - at >= 2 && buf[at] === 0xff && buf[at + 1] === 0x03) at += 2;
    else l.d.acfc = true;
    if (at >= end) {
      l.short('PPP protocol', at, 1, ctx.snapCut(buf, at + 1));
      return l;
    }
    const one = (buf[at] & 1) === 1;
    if (!one && end - at < 2) {
      l.short('PPP protocol', at, 2, ctx.snapCut(buf, at + 2));
      return l;
    }
    l.d.protoAt = at;
    l.d.protoLen = one ? 1 : 2;
    l.d.protocol = one ? buf[at] : u16(buf, at);
    at += l.d.protoLen;
    if (at < end) l.next = { table: 'ppp.protocol', key: l.d.protocol, start: at, end };
    return l;
  },
  fields(l) {
    const { buf: b, start: s, d } = l;
    const out: Field[] = [];
    if (!d.acfc) out.push(fHex('ppp.address', 'Address', b[s], s, 1), fHex('ppp.control', 'Control', b[s + 1], s + 1, 1));
    if (d.protoAt < 0) return out;
    const p = fHex('ppp.protocol', 'Protocol', d.protocol, d.protoAt, d.protoLen, 4);
    p.text = `Protocol: ${pppName(d.protocol)} (${p.show})`;
    out.push(p);
    return out;
  },
  // a protocol nothing here dissects: tshark's column shows its number
  column: (l) => (l.d.protoAt >= 0 && !DISSECTED.has(l.d.protocol) ? hexN(l.d.protocol, 4) : 'PPP'),
  info(l, layers) {
    if (l.d.protoAt < 0) return '';
    // an unknown protocol: tshark names it in Info and the column holds its number
    const i = layers.indexOf(l);
    const nx = layers[i + 1];
    if (nx === undefined || nx.proto === 'data') return `PPP ${pppName(l.d.protocol)} (${hexN(l.d.protocol, 4)})`;
    return null;
  },
};

// ---- control protocols (LCP, IPCP, CCP): code, identifier, length, options

const CP_CODES: Record<number, string> = {
  1: 'Configuration Request', 2: 'Configuration Ack', 3: 'Configuration Nak', 4: 'Configuration Reject',
  5: 'Termination Request', 6: 'Termination Ack', 7: 'Code Reject', 8: 'Protocol Reject', 9: 'Echo Request',
  10: 'Echo Reply', 11: 'Discard Request', 12: 'Identification', 13: 'Time Remaining', 14: 'Reset Request', 15: 'Reset Ack',
};
/** Codes each control protocol knows (others: "Unknown"). */
const LCP_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
const NCP_CODES = new Set([1, 2, 3, 4, 5, 6, 7]);
const CCP_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 14, 15]);
/** Options read at most per packet (a packet of 2-byte options is at most 32k of them). */
const MAX_OPTS = 256;

export interface CpD {
  /** The packet's length field (0 when cut before it). */
  len: number;
  /** true when code/identifier/length are present and the length fits the bytes. */
  whole: boolean;
  /** Where the options stop being readable (an option length that lies), or -1. */
  badOpt: number;
}

type OptFn = (b: Uint8Array, at: number, len: number) => { name: string; kids: Field[] };

/** tshark's bit drawing of `mask` over an `nbits`-wide value: "..1. .... .... ....". */
const ACCM_NAMES = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1 (XON)', 'DC2', 'DC3 (XOFF)', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];
const ACCM_KEYS = ['nul', 'soh', 'stx', 'etx', 'eot', 'enq', 'ack', 'bel', 'bs', 'ht', 'lf', 'vt', 'ff', 'cr', 'so', 'si', 'dle', 'dc1', 'dc2', 'dc3', 'dc4', 'nak', 'syn', 'etb', 'can', 'em', 'sub', 'esc', 'fs', 'gs', 'rs', 'us'];
const CALLBACK_OPS: Record<number, string> = {
  0: 'Location determined by user authentication', 1: 'Message is dialing string', 2: 'Message is location identifier',
  3: 'Message is E.164', 4: 'Message is distinguished name', 5: 'unassigned', 6: 'Location is determined during CBCP negotiation',
};
const EP_CLASSES: Record<number, string> = {
  0: 'Null Class', 1: 'Locally assigned address', 2: 'Internet Protocol (IP)', 3: 'The following is an IEEE 802.1 globally assigned MAC address',
  4: 'The following is a magic-number block', 5: 'Public switched network directory number',
};

function uintOpt(key: string, label: string, size: 2 | 4, hex = false): OptFn {
  return (b, at) => {
    const v = size === 2 ? u16(b, at + 2) : u32(b, at + 2);
    const f = hex ? fHex(key, label, v, at + 2, size) : fUint(key, label, v, at + 2, size);
    return { name: `${label}: ${f.show}`, kids: [f] };
  };
}

const LCP_OPTS: Record<number, [string, OptFn | null, number]> = {
  1: ['Maximum Receive Unit', uintOpt('lcp.opt.mru', 'Maximum Receive Unit', 2), 4],
  2: ['Async Control Character Map', (b, at) => {
    const v = u32(b, at + 2);
    const names = ACCM_NAMES.filter((_, i) => (v >>> i) & 1);
    const f = fHex('lcp.opt.asyncmap', 'Async Control Character Map', v, at + 2, 4);
    const txt = `Async Control Character Map: ${f.show} (${names.length === 0 ? 'None' : names.length === 32 ? 'All' : names.join(', ')})`;
    f.text = txt;
    f.children = [];
    for (let i = 31; i >= 0; i--) {
      const c = fBool(`lcp.opt.asyncmap.${ACCM_KEYS[i]}`, ACCM_NAMES[i], ((v >>> i) & 1) === 1, at + 2, 4, 2 ** i);
      c.text = `${bitsText(v, 2 ** i, 32)} = ${ACCM_NAMES[i]}: ${(v >>> i) & 1 ? 'True' : 'False'}`;
      f.children.push(c);
    }
    return { name: txt, kids: [f] };
  }, 6],
  3: ['Authentication Protocol', (b, at, len) => {
    const p = u16(b, at + 2);
    const f = fHex('lcp.opt.auth_protocol', 'Authentication Protocol', p, at + 2, 2);
    f.text = `Authentication Protocol: ${pppName(p)} (${f.show})`;
    const kids = [f];
    if (p === 0xc223 && len >= 5) {
      const a = fUint('lcp.opt.algorithm', 'Algorithm', b[at + 4], at + 4, 1);
      a.text = `Algorithm: ${({ 5: 'CHAP with MD5', 128: 'MS-CHAP', 129: 'MS-CHAP-2' } as Record<number, string>)[b[at + 4]] ?? 'Unknown'} (${b[at + 4]})`;
      kids.push(a);
    } else if (len > 4) kids.push(fBytes('lcp.opt.data', 'Data', b, at + 4, at + len));
    return { name: f.text, kids };
  }, 4],
  5: ['Magic Number', uintOpt('lcp.opt.magic_number', 'Magic Number', 4, true), 6],
  7: ['Protocol Field Compression', null, 2],
  8: ['Address and Control Field Compression', null, 2],
  13: ['Callback', (b, at, len) => {
    const op = b[at + 2];
    const f = fUint('lcp.opt.operation', 'Operation', op, at + 2, 1);
    f.text = `Operation: ${CALLBACK_OPS[op] ?? 'Unknown'} (${op})`;
    const kids = [f];
    if (len > 3) kids.push(fBytes('lcp.opt.message', 'Message', b, at + 3, at + len));
    return { name: `Callback: ${CALLBACK_OPS[op] ?? 'Unknown'}`, kids };
  }, 3],
  17: ['Multilink MRRU', (b, at) => {
    const f = fUint('lcp.opt.mrru', 'MRRU', u16(b, at + 2), at + 2, 2);
    return { name: `Multilink MRRU: ${f.show}`, kids: [f] };
  }, 4],
  19: ['Multilink Endpoint Discriminator', (b, at, len) => {
    const c = b[at + 2];
    const f = fUint('lcp.opt.ep_disc_class', 'Class', c, at + 2, 1);
    f.text = `Class: ${EP_CLASSES[c] ?? 'Unknown'} (${c})`;
    const kids = [f];
    if (len > 3) kids.push(fBytes('lcp.opt.data', 'Data', b, at + 3, at + len));
    return { name: `Multilink Endpoint Discriminator: Class: ${EP_CLASSES[c] ?? 'Unknown'}`, kids };
  }, 3],
};

function ipOpt(key: string, label: string): OptFn {
  return (b, at) => ({ name: '', kids: [fIPv4(key, label, b, at + 2)] });
}
const IPCP_OPTS: Record<number, [string, OptFn | null, number]> = {
  3: ['IP Address', ipOpt('ipcp.opt.ip_address', 'IP Address'), 6],
  129: ['Primary DNS Server IP Address', ipOpt('ipcp.opt.pri_dns_address', 'Primary DNS Address'), 6],
  130: ['Primary NBNS Server IP Address', ipOpt('ipcp.opt.pri_nbns_address', 'Primary NBNS Address'), 6],
  131: ['Secondary DNS Server IP Address', ipOpt('ipcp.opt.sec_dns_address', 'Secondary DNS Address'), 6],
  132: ['Secondary NBNS Server IP Address', ipOpt('ipcp.opt.sec_nbns_address', 'Secondary NBNS Address'), 6],
};

const MPPE_BITS: [string, string, number, string, string][] = [
  ['h', 'H', 0x01000000, 'Stateless mode ON', 'Stateless mode OFF'],
  ['m', 'M', 0x80, '56-bit encryption ON', '56-bit encryption OFF'],
  ['s', 'S', 0x40, '128-bit encryption ON', '128-bit encryption OFF'],
  ['l', 'L', 0x20, '40-bit encryption ON', '40-bit encryption OFF'],
  ['d', 'D', 0x10, 'Obsolete (should NOT be 1)', 'Obsolete (should ALWAYS be 0)'],
  ['c', 'C', 0x01, 'Desire to negotiate MPPC', 'No desire to negotiate MPPC'],
];
const CCP_OPTS: Record<number, [string, OptFn | null, number]> = {
  18: ['Microsoft PPE/PPC', (b, at) => {
    const v = u32(b, at + 2);
    const f = fHex('ccp.opt.supported_bits', 'Supported Bits', v, at + 2, 4);
    const set = MPPE_BITS.filter((x) => (v & x[2]) !== 0).map((x) => x[1]);
    f.text = `Supported Bits: ${f.show}${set.length ? ', ' + set.join(', ') : ''}`;
    f.children = MPPE_BITS.map(([k, n, m, on, off]) => {
      const c = fBool(`ccp.opt.supported_bits.${k}`, n, (v & m) !== 0, at + 2, 4, m);
      c.text = `${bitsText(v, m, 32)} = ${n}: ${v & m ? on : off}`;
      return c;
    });
    return { name: '', kids: [f] };
  }, 6],
};

interface CpSpec {
  proto: string;
  name: string;
  column: string;
  key: number;
  codes: Set<number>;
  opts: Record<number, [string, OptFn | null, number]>;
  optKeys: string[];
  optTypeNames: Record<number, string>;
}

function cpFieldsHeader(l: Layer<CpD>, codes: Set<number>): Field[] {
  const b = l.buf;
  const s = l.start;
  const code = b[s];
  const c = fUint('ppp.code', 'Code', code, s, 1);
  c.text = `Code: ${codes.has(code) ? CP_CODES[code] : 'Unknown'} (${code})`;
  const id = fUint('ppp.identifier', 'Identifier', b[s + 1], s + 1, 1);
  id.text = `Identifier: ${b[s + 1]} (${hexN(b[s + 1], 2)})`;
  return [c, id, fUint('ppp.length', 'Length', u16(b, s + 2), s + 2, 2)];
}

/** The options in [at, end): fields, and where an option's length lies (or -1). */
function options(spec: CpSpec, b: Uint8Array, at: number, end: number): { fields: Field[]; names: string[]; bad: number } {
  const fields: Field[] = [];
  const names: string[] = [];
  for (let n = 0; at < end && n < MAX_OPTS; n++) {
    const t = b[at];
    const def = spec.opts[t];
    const tname = def?.[0] ?? 'Unknown';
    if (end - at < 2) return { fields, names, bad: at };
    const ol = b[at + 1];
    if (ol < 2 || at + ol > end || (def !== undefined && ol < def[2])) {
      const f = fText(`${tname} (option length = ${ol} byte${ol === 1 ? '' : 's'} says option goes past end of options)`, at, end - at);
      if (ol >= 2 && def !== undefined && ol < def[2] && at + ol <= end) f.text = `${tname} (${ol} byte${ol === 1 ? '' : 's'}, should be ${def[2]} bytes)`;
      fields.push(f);
      return { fields, names, bad: at };
    }
    const ty = fUint(`${spec.proto}.opt.type`, 'Type', t, at, 1);
    ty.text = `Type: ${tname} (${t})`;
    const kids: Field[] = [ty, fUint(`${spec.proto}.opt.length`, 'Length', ol, at + 1, 1)];
    let title = tname;
    if (def?.[1]) {
      const r = def[1](b, at, ol);
      kids.push(...r.kids);
      if (r.name) title = r.name;
    } else if (def === undefined && ol > 2) kids.push(fBytes(`${spec.proto}.opt.data`, 'Data', b, at + 2, at + ol));
    fields.push(fText(title, at, ol, kids));
    names.push(tname);
    at += ol;
  }
  return { fields, names, bad: -1 };
}

function makeCp(spec: CpSpec): Dissector<CpD> {
  const dis: Dissector<CpD> = {
    proto: spec.proto,
    name: spec.name,
    fieldKeys: ['ppp.code', 'ppp.identifier', 'ppp.length', 'ppp.data', ...spec.optKeys],
    registers: [{ table: 'ppp.protocol', key: spec.key }],
    dissect(buf, start, end, ctx) {
      return cpDissect(dis, spec, buf, start, end, ctx);
    },
    fields(l) {
      const b = l.buf;
      const s = l.start;
      if (l.end - s < 4) return [];
      const out = cpFieldsHeader(l, spec.codes);
      if (!l.d.whole) return out;
      const e = s + l.d.len;
      const code = b[s];
      const at = s + 4;
      if (code >= 1 && code <= 4) {
        if (e > at || true) {
          const o = options(spec, b, at, e);
          if (e > at) out.push(fText(`Options: (${e - at} bytes)${o.names.length ? ', ' + o.names.join(', ') : ''}`, at, e - at, o.fields));
        }
      } else if (spec.proto === 'lcp' && (code === 9 || code === 10 || code === 11)) {
        out.push(fHex('lcp.magic_number', 'Magic Number', u32(b, at), at, 4));
        if (e > at + 4) out.push(fBytes('lcp.data', 'Data', b, at + 4, e));
      } else if (code === 7) {
        if (e > at) {
          const f = fBytes('ppp.data', 'Rejected Packet', b, at, e);
          f.text = `Rejected Packet (${e - at} byte${e - at === 1 ? '' : 's'}): ${f.show}`;
          out.push(f);
        }
      } else if (spec.proto === 'lcp' && code === 8) {
        const p = u16(b, at);
        const f = fHex('lcp.rej_proto', 'Rejected Protocol', p, at, 2);
        f.text = `Rejected Protocol: ${pppName(p)} (${f.show})`;
        out.push(f);
        const sub = rejectedCp(p);
        if (sub !== null && e - at - 2 >= 4) {
          const inner = new Layer<CpD>(sub, b, at + 2, e, { len: u16(b, at + 4), whole: at + 2 + u16(b, at + 4) <= e && u16(b, at + 4) >= 4, badOpt: -1 });
          out.push(fText(sub.name, at + 2, e - at - 2, sub.fields(inner)));
        } else if (e > at + 2) out.push(fBytes('lcp.data', 'Rejected Information', b, at + 2, e));
      } else if (e > at) out.push(fBytes('ppp.data', 'Data', b, at, e));
      return out;
    },
    column: () => spec.column,
    protocolsPart(l) {
      // a Protocol-Reject quoting another control protocol's packet: tshark dissects it (lcp:ipv6cp)
      if (spec.proto !== 'lcp' || !l.d.whole || l.buf[l.start] !== 8 || l.d.len < 10) return spec.proto;
      const sub = rejectedCp(u16(l.buf, l.start + 4));
      return sub === null ? 'lcp' : `lcp:${sub.proto}`;
    },
    info(l) {
      if (l.end - l.start < 4) return '';
      const code = l.buf[l.start];
      return spec.codes.has(code) ? CP_CODES[code] : 'Unknown';
    },
  };
  return dis;
}

function cpDissect(dis: Dissector<CpD>, spec: CpSpec, buf: Uint8Array, start: number, end: number, ctx: DissectContext): Layer<CpD> {
  const l = new Layer<CpD>(dis, buf, start, end, { len: 0, whole: false, badOpt: -1 });
  if (end - start < 4) {
    l.short(`${spec.column} header`, start, 4, ctx.snapCut(buf, start + 4));
    return l;
  }
  const len = u16(buf, start + 2);
  l.d.len = len;
  if (len < 4) {
    l.problem('malformed', `${spec.column} length ${len} is below the 4-byte header`, start + 2, end);
    return l;
  }
  if (start + len > end) {
    l.short(`${spec.column} packet`, start, len, ctx.snapCut(buf, start + len));
    return l;
  }
  l.d.whole = true;
  const code = buf[start];
  const e = start + len;
  if (code >= 1 && code <= 4) {
    const o = options(spec, buf, start + 4, e);
    if (o.bad >= 0) {
      l.d.badOpt = o.bad;
      l.problem('malformed', `${spec.column} option at offset ${o.bad - start}: its length runs past the options`, o.bad, Math.min(o.bad + 2, e));
    }
  } else if (spec.proto === 'lcp' && (code === 9 || code === 10 || code === 11) && len < 8) {
    l.short('LCP magic number', start + 4, 4, false);
  }
  return l;
}

const lcpOptKeys = ['lcp.opt.type', 'lcp.opt.length', 'lcp.opt.mru', 'lcp.opt.asyncmap', ...ACCM_KEYS.map((k) => `lcp.opt.asyncmap.${k}`), 'lcp.opt.auth_protocol', 'lcp.opt.algorithm',
  'lcp.opt.magic_number', 'lcp.opt.operation', 'lcp.opt.message', 'lcp.opt.mrru', 'lcp.opt.ep_disc_class', 'lcp.opt.data', 'lcp.magic_number', 'lcp.data', 'lcp.rej_proto'];

export const lcp = makeCp({ proto: 'lcp', name: 'PPP Link Control Protocol', column: 'PPP LCP', key: 0xc021, codes: LCP_CODES, opts: LCP_OPTS, optKeys: lcpOptKeys, optTypeNames: {} });
export const ipcp = makeCp({
  proto: 'ipcp', name: 'PPP IP Control Protocol', column: 'PPP IPCP', key: 0x8021, codes: NCP_CODES, opts: IPCP_OPTS, optTypeNames: {},
  optKeys: ['ipcp.opt.type', 'ipcp.opt.length', 'ipcp.opt.ip_address', 'ipcp.opt.pri_dns_address', 'ipcp.opt.sec_dns_address', 'ipcp.opt.pri_nbns_address', 'ipcp.opt.sec_nbns_address', 'ipcp.opt.data'],
});
export const ccp = makeCp({
  proto: 'ccp', name: 'PPP Compression Control Protocol', column: 'PPP CCP', key: 0x80fd, codes: CCP_CODES, opts: CCP_OPTS, optTypeNames: {},
  optKeys: ['ccp.opt.type', 'ccp.opt.length', 'ccp.opt.supported_bits', ...MPPE_BITS.map((x) => `ccp.opt.supported_bits.${x[0]}`), 'ccp.opt.data'],
});
const ipv6cp = makeCp({ proto: 'ipv6cp', name: 'PPP IPv6 Control Protocol', column: 'PPP IPV6CP', key: 0x8057, codes: NCP_CODES, opts: {}, optKeys: ['ipv6cp.opt.type', 'ipv6cp.opt.length', 'ipv6cp.opt.data'], optTypeNames: {} });
// ipv6cp is not registered in the chain (no IPV6CP option decoding here): it is used only for the packet a
// Protocol-Reject quotes
ipv6cp.registers = [];
function rejectedCp(p: number): Dissector<CpD> | null {
  return p === 0xc021 ? lcp : p === 0x8021 ? ipcp : p === 0x80fd ? ccp : p === 0x8057 ? ipv6cp : null;
}

// ---- CHAP and PAP

const CHAP_CODES: Record<number, string> = { 1: 'Challenge', 2: 'Response', 3: 'Success', 4: 'Failure' };
const PAP_CODES: Record<number, string> = { 1: 'Authenticate-Request', 2: 'Authenticate-Ack', 3: 'Authenticate-Nak' };

export interface AuthD {
  len: number;
  whole: boolean;
}

function authHeader(l: Layer<AuthD>, proto: string, names: Record<number, string>): Field[] {
  const b = l.buf;
  const s = l.start;
  const c = fUint(`${proto}.code`, 'Code', b[s], s, 1);
  c.text = `Code: ${names[b[s]] ?? 'Unknown'} (${b[s]})`;
  return [c, fUint(`${proto}.identifier`, 'Identifier', b[s + 1], s + 1, 1), fUint(`${proto}.length`, 'Length', u16(b, s + 2), s + 2, 2)];
}

function authDissect(dis: Dissector<AuthD>, col: string, buf: Uint8Array, start: number, end: number, ctx: DissectContext, body: (b: Uint8Array, s: number, e: number) => number): Layer<AuthD> {
  const l = new Layer<AuthD>(dis, buf, start, end, { len: 0, whole: false });
  if (end - start < 4) {
    l.short(`${col} header`, start, 4, ctx.snapCut(buf, start + 4));
    return l;
  }
  const len = u16(buf, start + 2);
  l.d.len = len;
  const e = Math.min(end, start + Math.max(len, 4));
  // where the body's own lengths run past the packet, tshark's reads throw
  const need = body(buf, start, start + Math.max(len, 4));
  if (need > e) l.short(`${col} ${need > end ? 'packet' : 'value'}`, start, need - start, ctx.snapCut(buf, need));
  else l.d.whole = true;
  return l;
}

/** The end CHAP's reads need: value size + value + name up to the length. */
function chapNeed(b: Uint8Array, s: number, e: number): number {
  const code = b[s];
  if ((code === 1 || code === 2) && e > s + 4) return Math.max(e, s + 5 + b[s + 4] <= e ? e : s + 5 + b[s + 4]);
  return e;
}

export const chap: Dissector<AuthD> = {
  proto: 'chap',
  name: 'PPP Challenge Handshake Authentication Protocol',
  fieldKeys: ['chap.code', 'chap.identifier', 'chap.length', 'chap.value_size', 'chap.value', 'chap.name', 'chap.message', 'chap.stuff'],
  registers: [{ table: 'ppp.protocol', key: 0xc223 }],
  dissect(buf, start, end, ctx) {
    return authDissect(chap, 'PPP CHAP', buf, start, end, ctx, chapNeed);
  },
  fields(l) {
    const b = l.buf;
    const s = l.start;
    if (l.end - s < 4) return [];
    const out = authHeader(l, 'chap', CHAP_CODES);
    if (!l.d.whole) return out;
    const e = s + l.d.len;
    const code = b[s];
    if ((code === 1 || code === 2) && e > s + 4) {
      const vs = b[s + 4];
      const kids: Field[] = [fUint('chap.value_size', 'Value Size', vs, s + 4, 1), fBytes('chap.value', 'Value', b, s + 5, s + 5 + vs)];
      if (e > s + 5 + vs) kids.push(fStr('chap.name', 'Name', latin1Text(b, s + 5 + vs, e), s + 5 + vs, e - s - 5 - vs));
      out.push(fText('Data', s + 4, e - s - 4, kids));
    } else if ((code === 3 || code === 4) && e > s + 4) out.push(fStr('chap.message', 'Message', latin1Text(b, s + 4, e), s + 4, e - s - 4));
    else if (e > s + 4) out.push(fBytes('chap.stuff', 'Stuff', b, s + 4, e));
    return out;
  },
  column: () => 'PPP CHAP',
  info(l) {
    const b = l.buf;
    const s = l.start;
    if (l.end - s < 4) return '';
    const code = b[s];
    const name = CHAP_CODES[code] ?? 'Unknown';
    if (!l.d.whole) return name;
    const e = s + l.d.len;
    if ((code === 1 || code === 2) && e > s + 4) {
      const vs = b[s + 4];
      const v = Array.from(b.subarray(s + 5, s + 5 + vs), (x) => x.toString(16).padStart(2, '0')).join('');
      return `${name} (NAME='${latin1Text(b, s + 5 + vs, e)}', VALUE=0x${v})`;
    }
    if ((code === 3 || code === 4) && e > s + 4) return `${name} (MESSAGE='${latin1Text(b, s + 4, e)}')`;
    return name;
  },
};

/** PAP: the end its reads need (peer-ID and password lengths, or the message length). */
function papNeed(b: Uint8Array, s: number, e: number): number {
  const code = b[s];
  if (code === 1 && e > s + 4) {
    const pl = b[s + 4];
    if (s + 5 + pl >= e) return Math.max(e, s + 6 + pl);
    return Math.max(e, s + 6 + pl + b[s + 5 + pl]);
  }
  if ((code === 2 || code === 3) && e > s + 4) return Math.max(e, s + 5 + b[s + 4]);
  return e;
}

export const pap: Dissector<AuthD> = {
  proto: 'pap',
  name: 'PPP Password Authentication Protocol',
  fieldKeys: ['pap.code', 'pap.identifier', 'pap.length', 'pap.peer_id.length', 'pap.peer_id', 'pap.password.length', 'pap.password', 'pap.message.length', 'pap.message', 'pap.stuff'],
  registers: [{ table: 'ppp.protocol', key: 0xc023 }],
  dissect(buf, start, end, ctx) {
    return authDissect(pap, 'PPP PAP', buf, start, end, ctx, papNeed);
  },
  fields(l) {
    const b = l.buf;
    const s = l.start;
    if (l.end - s < 4) return [];
    const out = authHeader(l, 'pap', PAP_CODES);
    if (!l.d.whole) return out;
    const e = s + l.d.len;
    const code = b[s];
    if (code === 1 && e > s + 4) {
      const pl = b[s + 4];
      const wl = b[s + 5 + pl];
      out.push(fText('Data', s + 4, e - s - 4, [
        fUint('pap.peer_id.length', 'Peer-ID-Length', pl, s + 4, 1),
        fStr('pap.peer_id', 'Peer-ID', latin1Text(b, s + 5, s + 5 + pl), s + 5, pl),
        fUint('pap.password.length', 'Password-Length', wl, s + 5 + pl, 1),
        fStr('pap.password', 'Password', latin1Text(b, s + 6 + pl, s + 6 + pl + wl), s + 6 + pl, wl),
      ]));
    } else if ((code === 2 || code === 3) && e > s + 4) {
      const ml = b[s + 4];
      out.push(fText('Data', s + 4, e - s - 4, [
        fUint('pap.message.length', 'Message-Length', ml, s + 4, 1),
        fStr('pap.message', 'Message', latin1Text(b, s + 5, s + 5 + ml), s + 5, ml),
      ]));
    } else if (e > s + 4) out.push(fBytes('pap.stuff', 'Stuff', b, s + 4, e));
    return out;
  },
  column: () => 'PPP PAP',
  info(l) {
    const b = l.buf;
    const s = l.start;
    if (l.end - s < 4) return '';
    const code = b[s];
    const name = PAP_CODES[code] ?? 'Unknown';
    if (!l.d.whole) return name;
    const e = s + l.d.len;
    if (code === 1 && e > s + 4) {
      const pl = b[s + 4];
      return `${name} (Peer-ID='${latin1Text(b, s + 5, s + 5 + pl)}', Password='${latin1Text(b, s + 6 + pl, s + 6 + pl + b[s + 5 + pl])}')`;
    }
    if ((code === 2 || code === 3) && e > s + 4) return `${name} (Message='${latin1Text(b, s + 5, s + 5 + b[s + 4])}')`;
    return name;
  },
};

// ---- compressed datagrams (CCP negotiated compression or MPPE encryption): not decompressed

export const pppComp: Dissector<null> = {
  proto: 'comp_data',
  name: 'PPP Compressed Datagram',
  fieldKeys: [],
  registers: [{ table: 'ppp.protocol', key: 0x00fd }],
  dissect(buf, start, end) {
    return new Layer<null>(pppComp, buf, start, end, null);
  },
  fields: () => [],
  column: () => 'PPP Comp',
  info: () => 'Compressed data',
};

