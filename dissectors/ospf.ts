// OSPF (IP protocol 89): OSPFv2 over IPv4 (RFC 2328) and OSPFv3 over IPv6 (RFC 5340), as tshark 4.0 shows them:
// the header (version, message type, packet length, router and area IDs, checksum verified over the packet:
// v2 without its 8 authentication bytes, v3 with the IPv6 pseudo-header; v2 authentication none / simple
// password / cryptographic with the digest after the packet; v3 instance ID), Hello (mask or interface ID,
// intervals, options bits, priority, DR/BDR, neighbors), DB Description (MTU, options, I/M/MS/R bits, DD
// sequence, LSA headers), LS Request, LS Update with its LSAs and LS Acknowledge. LSA bodies: v2 router
// (flags, links with TOS metrics), network, summary (IP network and ASBR), AS-external and NSSA; v3 router and
// network; other LSAs by header. Protocol column "OSPF", Info "Hello Packet", "DB Description", "LS Request",
// "LS Update", "LS Acknowledge", "Unknown (n)".
//
// tshark's throws: captured bytes that stop before the packet length (the snaplen) leave only the header
// fields that fit; a packet length beyond the datagram, or an LSA count that lies, shows what is there and is
// malformed. Loops over neighbors, LSAs, links and attached routers are bounded by the bytes (and MAX_ITEMS).

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import { fBool, fBits, fBytes, fHex, fIPv4, fStr, fText, fUint, fmtIPv4, hexN, hide, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer, ipLayerBefore } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const MSG: Record<number, string> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const MSG_KEY: Record<number, string> = { 1: 'hello', 2: 'dbdesc', 3: 'lsreq', 4: 'lsupdate', 5: 'lsack' };
const AUTH: Record<number, string> = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };
const LSA2: Record<number, [string, string]> = {
  1: ['Router-LSA', 'router'], 2: ['Network-LSA', 'network'], 3: ['Summary-LSA (IP network)', 'summary'],
  4: ['Summary-LSA (ASBR)', 'asbr'], 5: ['AS-External-LSA (ASBR)', 'asext'], 6: ['Group Membership LSA', 'member'],
  7: ['NSSA AS-External-LSA', 'nssa'], 8: ['External Attributes LSA', 'attr'],
};
const LSA3: Record<number, [string, string]> = {
  1: ['Router-LSA', 'router'], 2: ['Network-LSA', 'network'], 3: ['Inter-Area-Prefix-LSA', 'interprefix'],
  4: ['Inter-Area-Router-LSA', 'interrouter'], 5: ['AS-External-LSA', 'asext'], 6: ['Group-Membership-LSA', 'member'],
  7: ['NSSA-LSA', 'nssa'], 8: ['Link-LSA', 'link'], 9: ['Intra-Area-Prefix-LSA', 'intraprefix'],
};
const SCOPES = [
  'Link-Local Scoping - Flooded only on originating link', 'Area Scoping - Flooded only in originating area',
  'AS Scoping - Flooded throughout AS', 'Reserved',
];
const LINK_TYPES: Record<number, [string, string, string]> = {
  1: ['PTP', "Neighboring router's Router ID", 'Point-to-point connection to another router'],
  2: ['Transit', 'IP address of Designated Router', 'Connection to a transit network'],
  3: ['Stub', 'IP network/subnet number', 'Connection to a stub network'],
  4: ['Virtual', "Neighboring router's Router ID", 'Virtual link'],
};
const V3_LINK_TYPES: Record<number, string> = {
  1: 'Point-to-point connection to another router', 2: 'Connection to a transit network', 3: 'Reserved', 4: 'Virtual link',
};
/** Neighbors, LSAs, links, attached routers read at most per list (a lying count or length). */
const MAX_ITEMS = 1024;

export interface OspfD {
  version: number;
  type: number;
  /** Packet length from the header (0 before it is read). */
  len: number;
  /** Header bytes (24 for v2, 16 for v3). */
  hdr: number;
  /** The captured bytes stop before the packet (snaplen): tshark shows the header only. */
  cut: boolean;
  /** Checksum verification: true good, false bad, null not verified. */
  ckGood: boolean | null;
  ckCalc: number;
}

/** tshark's bit drawing of `mask` over an `nbits`-wide value: "..1. .... .... ....". */
function bitsText(v: number, mask: number, nbits: number): string {
  let s = '';
  for (let i = nbits - 1; i >= 0; i--) {
    const m = 2 ** i;
    s += Math.floor(mask / m) % 2 ? (Math.floor(v / m) % 2 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s;
}

type Bit = [key: string, label: string, mask: number, yes: string, no: string, summary?: string];

/** A flags field with one line per bit and the set bits' names after the value. */
function flagsField(key: string, label: string, v: number, at: number, len: number, bits: Bit[], digits = len * 2): Field {
  const f = fHex(key, label, v, at, len, digits);
  const names: string[] = [];
  f.children = bits.map(([k, l, m, yes, no, summary]) => {
    const set = (v & m) !== 0;
    if (set) names.push(summary ?? l);
    const b = fBool(k, l, set, at, len, m);
    b.text = `${bitsText(v, m, len * 8)} = ${l}: ${set ? yes : no}`;
    return b;
  });
  f.text = `${label}: ${f.show}${names.length ? ', ' + names.join(', ') : ''}`;
  return f;
}

const V2_OPTS: Bit[] = [
  ['ospf.v2.options.dn', 'DN', 0x80, 'Set', 'Not set'],
  ['ospf.v2.options.o', 'O', 0x40, 'Set', 'Not set'],
  ['ospf.v2.options.dc', '(DC) Demand Circuits', 0x20, 'Supported', 'Not supported'],
  ['ospf.v2.options.l', '(L) LLS Data block', 0x10, 'Present', 'Not Present'],
  ['ospf.v2.options.n', '(N) NSSA', 0x08, 'Supported', 'Not supported'],
  ['ospf.v2.options.mc', '(MC) Multicast', 0x04, 'Capable', 'Not capable'],
  ['ospf.v2.options.e', '(E) External Routing', 0x02, 'Capable', 'Not capable'],
  ['ospf.v2.options.mt', '(MT) Multi-Topology Routing', 0x01, 'Yes', 'No'],
];
const V3_OPTS: Bit[] = (
  [['at', 'AT', 0x400], ['l', 'L', 0x200], ['af', 'AF', 0x100], ['dc', 'DC', 0x20], ['r', 'R', 0x10], ['n', 'N', 0x08],
    ['mc', 'MC', 0x04], ['e', 'E', 0x02], ['v6', 'V6', 0x01]] as const
).map(([k, l, m]) => [`ospf.v3.options.${k}`, l, m, 'Set', 'Not set']);
const DBD_BITS: Bit[] = [
  ['ospf.dbd.r', '(R) OOBResync', 0x08, 'Set', 'Not set'],
  ['ospf.dbd.i', '(I) Init', 0x04, 'Set', 'Not set'],
  ['ospf.dbd.m', '(M) More', 0x02, 'Set', 'Not set'],
  ['ospf.dbd.ms', '(MS) Master', 0x01, 'Yes', 'No'],
];
const V2_ROUTER_FLAGS: Bit[] = [
  ['ospf.v2.router.lsa.flags.h', '(H) flag', 0x80, 'Yes', 'No'],
  ['ospf.v2.router.lsa.flags.n', '(N) flag', 0x10, 'Yes', 'No'],
  ['ospf.v2.router.lsa.flags.w', '(W) Wild-card multicast receiver', 0x08, 'Yes', 'No'],
  ['ospf.v2.router.lsa.flags.v', '(V) Virtual link endpoint', 0x04, 'Yes', 'No'],
  ['ospf.v2.router.lsa.flags.e', '(E) AS boundary router', 0x02, 'Yes', 'No'],
  ['ospf.v2.router.lsa.flags.b', '(B) Area border router', 0x01, 'Yes', 'No'],
];
const V3_ROUTER_FLAGS: Bit[] = V2_ROUTER_FLAGS.slice(2).map(([k, l, m, y, n]) => [k.replace('v2', 'v3'), l, m, y, n]);

const v2opts = (b: Uint8Array, at: number) => flagsField('ospf.v2.options', 'Options', b[at], at, 1, V2_OPTS);
const v3opts = (b: Uint8Array, at: number) => flagsField('ospf.v3.options', 'Options', (b[at] << 16) | u16(b, at + 1), at, 3, V3_OPTS);

function ipf(key: string, label: string, b: Uint8Array, at: number, text?: string): Field {
  const f = fIPv4(key, label, b, at);
  if (text !== undefined) f.text = text;
  return f;
}

/** The v3 LS type (16 bits) with its handling / scope / function code lines. */
function v3Type(b: Uint8Array, at: number): Field {
  const t = u16(b, at);
  const f = fHex('ospf.v3.lsa', 'LS Type', t, at, 2);
  const u = fBool('ospf.v3.lsa.u', 'LSA Handling', (t & 0x8000) !== 0, at, 2, 0x8000);
  u.text = `${bitsText(t, 0x8000, 16)} = LSA Handling: ${t & 0x8000 ? 'Store and flood the LSA as if the type is understood' : 'Store and flood the LSA as if the type is understood'}`;
  if (t & 0x8000) u.text = `${bitsText(t, 0x8000, 16)} = LSA Handling: Treat the LSA as if it had link-local flooding scope`;
  const sc = (t >> 13) & 3;
  const s = fBits('ospf.v3.lsa.s12', 'Flooding Scope', sc, at, 2, 0x6000);
  s.show = hexN(sc, 4);
  s.text = `${bitsText(t, 0x6000, 16)} = Flooding Scope: ${SCOPES[sc]} (0x${sc.toString(16)})`;
  const fc = t & 0x1fff;
  const c = fBits('ospf.v3.lsa.fc', 'Function Code', fc, at, 2, 0x1fff);
  c.text = `${bitsText(t, 0x1fff, 16)} = Function Code: ${LSA3[fc]?.[0] ?? 'Unknown'} (${fc})`;
  f.children = [u, s, c];
  return f;
}

/** An LSA header (20 bytes at `at`) as fields; `bodyEnd` > at+20 adds the body. */
function lsaFields(b: Uint8Array, at: number, v3: boolean, body: boolean, end: number): Field {
  const age = u16(b, at);
  const len = u16(b, at + 18);
  const kids: Field[] = [];
  const ag = fBits('ospf.lsa.age', 'LS Age (seconds)', age & 0x7fff, at, 2, 0x7fff);
  ag.text = `${bitsText(age, 0x7fff, 16)} = LS Age (seconds): ${age & 0x7fff}`;
  kids.push(ag);
  let typeName: string;
  let code: number;
  if (v3) {
    const dna = fBool('ospf.v3.lsa.do_not_age', 'Do Not Age', (age & 0x8000) !== 0, at, 2, 0x8000);
    dna.text = `${bitsText(age, 0x8000, 16)} = Do Not Age: ${age & 0x8000 ? 'True' : 'False'}`;
    kids.push(dna);
    const t = u16(b, at + 2);
    code = t & 0x1fff;
    const e = LSA3[code];
    typeName = e?.[0] ?? 'Unknown';
    kids.push(v3Type(b, at + 2));
    if (e) kids.push(hide(fBool(`ospf.v3.lsa.${e[1]}`, e[0], true, at + 2, 2)));
    kids.push(fIPv4('ospf.link_state_id', 'Link State ID', b, at + 4));
  } else {
    const dna = fBits('ospf.lsa.donotage', 'Do Not Age Flag', age >> 15, at, 2, 0x8000);
    dna.text = `${bitsText(age, 0x8000, 16)} = Do Not Age Flag: ${age >> 15}`;
    kids.push(dna, v2opts(b, at + 2));
    code = b[at + 3];
    const e = LSA2[code];
    typeName = e?.[0] ?? 'Unknown';
    const ty = fUint('ospf.lsa', 'LS Type', code, at + 3, 1);
    ty.text = `LS Type: ${typeName} (${code})`;
    kids.push(ty);
    if (e) kids.push(hide(fBool(`ospf.lsa.${e[1]}`, e[0], true, at + 3, 1)));
    kids.push(fIPv4('ospf.lsa.id', 'Link State ID', b, at + 4));
  }
  kids.push(
    fIPv4('ospf.advrouter', 'Advertising Router', b, at + 8),
    fHex('ospf.lsa.seqnum', 'Sequence Number', u32(b, at + 12), at + 12, 4),
    fHex('ospf.lsa.chksum', 'Checksum', u16(b, at + 16), at + 16, 2),
    fUint('ospf.lsa.length', 'Length', len, at + 18, 2),
  );
  const bodyEnd = body ? Math.min(at + len, end) : at + 20;
  if (body && len > 20) (v3 ? v3Body : v2Body)(b, at + 20, bodyEnd, code, kids);
  return fText(`LSA-type ${code} (${typeName}), len ${len}`, at, (body ? Math.min(len, end - at) : 20), kids);
}

function v2Body(b: Uint8Array, at: number, end: number, type: number, out: Field[]): void {
  const fits = (n: number) => at + n <= end;
  switch (type) {
    case 1: {
      if (!fits(4)) return;
      out.push(flagsField('ospf.v2.router.lsa.flags', 'Flags', b[at], at, 1, V2_ROUTER_FLAGS));
      const n = u16(b, at + 2);
      out.push(fUint('ospf.lsa.number_of_links', 'Number of Links', n, at + 2, 2));
      at += 4;
      for (let i = 0; i < n && i < MAX_ITEMS; i++) {
        if (!fits(12)) return;
        const lt = b[at + 8];
        const ntos = b[at + 9];
        const names = LINK_TYPES[lt] ?? ['Unknown', 'Unknown link type', 'Unknown link type'];
        const id = fmtIPv4(b, at);
        const data = fmtIPv4(b, at + 4);
        const kids: Field[] = [
          ipf('ospf.lsa.router.linkid', 'Link ID', b, at, `Link ID: ${id} - ${names[1]}`),
          fIPv4('ospf.lsa.router.linkdata', 'Link Data', b, at + 4),
          Object.assign(fUint('ospf.lsa.router.linktype', 'Link Type', lt, at + 8, 1), { text: `Link Type: ${lt} - ${names[2]}` }),
          Object.assign(fUint('ospf.lsa.router.nummetrics', 'Number of Metrics', ntos, at + 9, 1), { text: `Number of Metrics: ${ntos} - TOS` }),
          fUint('ospf.lsa.router.metric0', '0 Metric', u16(b, at + 10), at + 10, 2),
        ];
        const title = `Type: ${names[0].padEnd(8)} ID: ${id.padEnd(15)} Data: ${data.padEnd(15)} Metric: ${u16(b, at + 10)}`;
        const linkAt = at;
        at += 12;
        for (let t = 0; t < ntos; t++) {
          if (!fits(4)) break;
          const m = fUint('ospf.ls.metric', 'Metric', u16(b, at + 2), at, 4);
          m.text = `TOS: ${b[at]}, Metric: ${u16(b, at + 2)}`;
          kids.push(m);
          at += 4;
        }
        out.push(fText(title, linkAt, at - linkAt, kids));
      }
      return;
    }
    case 2:
      if (!fits(4)) return;
      out.push(fIPv4('ospf.lsa.network.netmask', 'Netmask', b, at));
      at += 4;
      for (let i = 0; fits(4) && i < MAX_ITEMS; i++, at += 4) out.push(fIPv4('ospf.lsa.network.attchrtr', 'Attached Router', b, at));
      return;
    case 3:
    case 4:
      if (!fits(8)) return;
      out.push(fIPv4('ospf.lsa.asbr.netmask', 'Netmask', b, at), fUint('ospf.lsa.tos', 'TOS', b[at + 4], at + 4, 1));
      out.push(fUint('ospf.metric', 'Metric', u32(b, at + 4) & 0xffffff, at + 5, 3));
      return;
    case 5:
    case 7: {
      if (!fits(16)) return;
      out.push(fIPv4('ospf.lsa.asext.netmask', 'Netmask', b, at));
      const e = b[at + 4];
      const et = fBool('ospf.lsa.asext.type', 'External Type', (e & 0x80) !== 0, at + 4, 1, 0x80);
      et.text = `${bitsText(e, 0x80, 8)} = External Type: ${e & 0x80 ? 'Type 2 (metric is larger than any other link state path)' : 'Type 1 (metric is specified in the same units as interface cost)'}`;
      const tos = fBits('ospf.lsa.tos', 'TOS', e & 0x7f, at + 4, 1, 0x7f);
      tos.text = `${bitsText(e, 0x7f, 8)} = TOS: ${e & 0x7f}`;
      out.push(et, tos, fUint('ospf.metric', 'Metric', u32(b, at + 4) & 0xffffff, at + 5, 3));
      out.push(fIPv4('ospf.lsa.asext.fwdaddr', 'Forwarding Address', b, at + 8), fUint('ospf.lsa.asext.extrttag', 'External Route Tag', u32(b, at + 12), at + 12, 4));
      return;
    }
  }
}

function v3Body(b: Uint8Array, at: number, end: number, type: number, out: Field[]): void {
  const fits = (n: number) => at + n <= end;
  switch (type) {
    case 1: {
      if (!fits(4)) return;
      out.push(flagsField('ospf.v3.router.lsa.flags', 'Flags', b[at], at, 1, V3_ROUTER_FLAGS), v3opts(b, at + 1));
      at += 4;
      const ifs: Field[] = [];
      const first = at;
      for (let i = 0; fits(16) && i < MAX_ITEMS; i++, at += 16) {
        const lt = b[at];
        const ty = fUint('ospf.v3.lsa.type', 'Type', lt, at, 1);
        ty.text = `Type: ${V3_LINK_TYPES[lt] ?? 'Unknown'} (${lt})`;
        ifs.push(
          fText(`Entry #${i + 1}`, at, 16, [
            ty,
            fBytes('ospf.reserved', 'Reserved', b, at + 1, at + 2),
            fUint('ospf.metric', 'Metric', u16(b, at + 2), at + 2, 2),
            fUint('ospf.v3.lsa.interface_id', 'Interface ID', u32(b, at + 4), at + 4, 4),
            fUint('ospf.v3.lsa.neighbor_interface_id', 'Neighbor Interface ID', u32(b, at + 8), at + 8, 4),
            fIPv4('ospf.v3.lsa.neighbor_router_id', 'Neighbor Router ID', b, at + 12),
          ]),
        );
      }
      if (ifs.length) out.push(fText('Router Interfaces', first, at - first, ifs));
      return;
    }
    case 2:
      if (!fits(4)) return;
      out.push(fBytes('ospf.reserved', 'Reserved', b, at, at + 1), v3opts(b, at + 1));
      at += 4;
      for (let i = 0; fits(4) && i < MAX_ITEMS; i++, at += 4) out.push(fIPv4('ospf.v3.lsa.attached_router', 'Attached Router', b, at));
      return;
  }
}

/** Where the body's reads stop: the packet length, or the bytes (then tshark throws: malformed). */
function bodyEnd(l: Layer<OspfD>): number {
  return Math.min(l.start + l.d.len, l.end);
}

export const ospf: Dissector<OspfD> = {
  proto: 'ospf',
  name: 'Open Shortest Path First',
  fieldKeys: [
    'ospf.version', 'ospf.msg', 'ospf.packet_length', 'ospf.srcrouter', 'ospf.area_id', 'ospf.checksum', 'ospf.auth.type',
    'ospf.auth.none', 'ospf.auth.simple', 'ospf.auth.crypt.key_id', 'ospf.auth.crypt.data_length', 'ospf.auth.crypt.seq_nbr',
    'ospf.auth.crypt.data', 'ospf.auth.unknown', 'ospf.instance_id', 'ospf.reserved', 'ospf.msg.hello', 'ospf.msg.dbdesc', 'ospf.msg.lsreq',
    'ospf.msg.lsupdate', 'ospf.msg.lsack', 'ospf.hello.network_mask', 'ospf.hello.interface_id', 'ospf.hello.hello_interval',
    'ospf.hello.router_priority', 'ospf.hello.router_dead_interval', 'ospf.hello.designated_router',
    'ospf.hello.backup_designated_router', 'ospf.hello.active_neighbor', 'ospf.v2.options', 'ospf.v2.options.dn',
    'ospf.v2.options.o', 'ospf.v2.options.dc', 'ospf.v2.options.l', 'ospf.v2.options.n', 'ospf.v2.options.mc',
    'ospf.v2.options.e', 'ospf.v2.options.mt', 'ospf.v3.options', 'ospf.v3.options.at', 'ospf.v3.options.l',
    'ospf.v3.options.af', 'ospf.v3.options.dc', 'ospf.v3.options.r', 'ospf.v3.options.n', 'ospf.v3.options.mc',
    'ospf.v3.options.e', 'ospf.v3.options.v6', 'ospf.db.interface_mtu', 'ospf.dbd', 'ospf.dbd.r', 'ospf.dbd.i', 'ospf.dbd.m',
    'ospf.dbd.ms', 'ospf.db.dd_sequence', 'ospf.link_state_id', 'ospf.ls.number_of_lsas', 'ospf.lsa', 'ospf.lsa.age',
    'ospf.lsa.donotage', 'ospf.v3.lsa', 'ospf.v3.lsa.do_not_age', 'ospf.v3.lsa.u', 'ospf.v3.lsa.s12', 'ospf.v3.lsa.fc',
    'ospf.lsa.id', 'ospf.advrouter', 'ospf.lsa.seqnum', 'ospf.lsa.chksum', 'ospf.lsa.length',
    ...Object.values(LSA2).map(([, k]) => `ospf.lsa.${k}`), ...Object.values(LSA3).map(([, k]) => `ospf.v3.lsa.${k}`),
    'ospf.v2.router.lsa.flags', ...V2_ROUTER_FLAGS.map((x) => x[0]), 'ospf.lsa.number_of_links', 'ospf.lsa.router.linkid',
    'ospf.lsa.router.linkdata', 'ospf.lsa.router.linktype', 'ospf.lsa.router.nummetrics', 'ospf.lsa.router.metric0',
    'ospf.lsa.tos', 'ospf.ls.metric', 'ospf.lsa.network.netmask', 'ospf.lsa.network.attchrtr', 'ospf.lsa.asbr.netmask',
    'ospf.metric', 'ospf.lsa.asext.netmask', 'ospf.lsa.asext.type', 'ospf.lsa.asext.fwdaddr', 'ospf.lsa.asext.extrttag',
    'ospf.v3.router.lsa.flags', ...V3_ROUTER_FLAGS.map((x) => x[0]), 'ospf.v3.lsa.type', 'ospf.v3.lsa.interface_id',
    'ospf.v3.lsa.neighbor_interface_id', 'ospf.v3.lsa.neighbor_router_id', 'ospf.v3.lsa.attached_router',
  ],
  registers: [{ table: 'ip.proto', key: 89 }],

  dissect(buf, start, end, ctx) {
    const d: OspfD = { version: 0, type: 0, len: 0, hdr: 24, cut: false, ckGood: null, ckCalc: 0 };
    const l = new Layer<OspfD>(ospf, buf, start, end, d);
    const avail = end - start;
    if (avail < 4) {
      l.short('OSPF header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    d.version = buf[start];
    d.type = buf[start + 1];
    d.len = u16(buf, start + 2);
    d.hdr = d.version === 3 ? 16 : 24;
    if (ctx.snapCut(buf, end) && avail < Math.max(d.len, d.hdr)) {
      d.cut = true;
      l.short('OSPF packet', start, Math.max(d.len, d.hdr), true);
      return l;
    }
    if (avail < d.hdr) {
      l.short('OSPF header', start, d.hdr, false);
      return l;
    }
    if (d.len < d.hdr) {
      l.problem('malformed', `OSPF packet length ${d.len} is shorter than its header (${d.hdr})`, start + 2, end);
      return l;
    }
    const auth = u16(buf, start + 14);
    const cend = Math.min(start + d.len, end);
    if (!ctx.quoted && (d.version === 3 || (d.version === 2 && auth !== 2))) {
      let s: number;
      if (d.version === 2) s = onesSum(buf, start, start + 12, onesSum(buf, start + 14, start + 16, onesSum(buf, start + 24, cend)));
      else {
        const ip = ipLayerBefore(ctx.layers);
        s = ip && ip.d.srcAt >= 0 ? pseudoSum(ip, 89, d.len) : 0;
        s = onesSum(buf, start, start + 12, onesSum(buf, start + 14, cend, s));
      }
      d.ckCalc = finish(s);
      d.ckGood = d.ckCalc === u16(buf, start + 12);
      if (!d.ckGood) l.problem('checksum', `OSPF checksum ${hexN(u16(buf, start + 12), 4)} is wrong (should be ${hexN(d.ckCalc, 4)})`, start + 12, start + 14);
    }
    if (d.len > avail) {
      l.problem('malformed', `OSPF packet length ${d.len} runs past the datagram (${avail} bytes)`, start + avail, end);
      return l;
    }
    if (d.type === 4 && (d.version === 2 || d.version === 3)) {
      // an LSA count that promises more than the packet holds
      const n = avail >= d.hdr + 4 ? u32(buf, start + d.hdr) : 0;
      let at = start + d.hdr + 4;
      const pe = start + d.len;
      for (let i = 0; i < n && i < MAX_ITEMS; i++) {
        if (at + 20 > pe) {
          l.problem('malformed', `LS Update: ${n} LSAs announced, ${i} present`, at, end);
          break;
        }
        const ln = u16(buf, at + 18);
        if (ln < 20) {
          l.problem('malformed', `LSA length ${ln} is shorter than its header`, at + 18, end);
          break;
        }
        at += ln;
      }
    }
    if (!MSG[d.type] && start + d.hdr < end) l.next = { table: 'data', key: 0, start: start + d.hdr, end };
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const d = l.d;
    const have = l.end - s;
    const out: Field[] = [];
    if (have < 4) return out;
    const v3 = d.version === 3;
    const hk: Field[] = [];
    const fit = (n: number) => have >= n;
    hk.push(fUint('ospf.version', 'Version', d.version, s, 1));
    const mt = fUint('ospf.msg', 'Message Type', d.type, s + 1, 1);
    mt.text = `Message Type: ${MSG[d.type] ?? 'Unknown'} (${d.type})`;
    hk.push(mt);
    if (MSG_KEY[d.type]) hk.push(hide(fBool(`ospf.msg.${MSG_KEY[d.type]}`, MSG[d.type], true, s + 1, 1)));
    hk.push(fUint('ospf.packet_length', 'Packet Length', d.len, s + 2, 2));
    const header = fText('OSPF Header', s, Math.min(d.hdr, have), hk);
    out.push(header);
    if (!fit(8)) return out;
    hk.push(fIPv4('ospf.srcrouter', 'Source OSPF Router', b, s + 4));
    if (!fit(12)) return out;
    const area = fIPv4('ospf.area_id', 'Area ID', b, s + 8);
    if (u32(b, s + 8) === 0) area.text = `Area ID: ${area.show} (Backbone)`;
    hk.push(area);
    if (!fit(14)) return out;
    const ck = fHex('ospf.checksum', 'Checksum', u16(b, s + 12), s + 12, 2);
    if (d.ckGood !== null && !d.cut) ck.text = `Checksum: ${ck.show} ${d.ckGood ? '[correct]' : `[incorrect, should be ${hexN(d.ckCalc, 4)}]`}`;
    else if (!v3 && !d.cut && fit(16) && u16(b, s + 14) === 2) ck.text = `Checksum: ${ck.show} (None)`;
    hk.push(ck);
    if (v3) {
      if (!fit(15)) return out;
      const inst = fUint('ospf.instance_id', 'Instance ID', b[s + 14], s + 14, 1);
      inst.text = `Instance ID: ${b[s + 14] === 0 ? 'IPv6 unicast AF' : b[s + 14] < 32 ? 'IPv6 unicast AF' : 'Unknown'} (${b[s + 14]})`;
      hk.push(inst);
      if (!fit(16)) return out;
      hk.push(fBytes('ospf.reserved', 'Reserved', b, s + 15, s + 16));
    } else {
      if (!fit(16)) return out;
      const auth = u16(b, s + 14);
      const at = fUint('ospf.auth.type', 'Auth Type', auth, s + 14, 2);
      at.text = `Auth Type: ${AUTH[auth] ?? 'Unknown'} (${auth})`;
      hk.push(at);
      if (!fit(24)) return out;
      if (auth === 0) hk.push(fBytes('ospf.auth.none', 'Auth Data (none)', b, s + 16, s + 24));
      else if (auth === 1) hk.push(fStr('ospf.auth.simple', 'Auth Data (Simple)', latin1Text(b, s + 16, s + 24).replace(/\0.*$/s, ''), s + 16, 8));
      else if (auth === 2) {
        const dl = b[s + 19];
        hk.push(
          fUint('ospf.auth.crypt.key_id', 'Auth Crypt Key id', b[s + 18], s + 18, 1),
          fUint('ospf.auth.crypt.data_length', 'Auth Crypt Data Length', dl, s + 19, 1),
          fUint('ospf.auth.crypt.seq_nbr', 'Auth Crypt Sequence Number', u32(b, s + 20), s + 20, 4),
        );
        const da = s + d.len;
        if (!d.cut && da + dl <= l.end && dl > 0) hk.push(fBytes('ospf.auth.crypt.data', 'Auth Crypt Data', b, da, da + dl));
      } else hk.push(fBytes('ospf.auth.unknown', 'Auth Unknown', b, s + 16, s + 24));
    }
    if (d.cut || d.len < d.hdr) return out;
    const pe = s + d.len; // where the body's loops stop (reads past l.end stop there: malformed)
    const be = bodyEnd(l);
    let at = s + d.hdr;
    const fits = (n: number) => at + n <= be;
    switch (d.type) {
      case 1: {
        const k: Field[] = [];
        const start = at;
        if (v3) {
          if (!fits(20)) break;
          k.push(
            fUint('ospf.hello.interface_id', 'Interface ID', u32(b, at), at, 4),
            fUint('ospf.hello.router_priority', 'Router Priority', b[at + 4], at + 4, 1),
            v3opts(b, at + 5),
            fUint('ospf.hello.hello_interval', 'Hello Interval [sec]', u16(b, at + 8), at + 8, 2),
            fUint('ospf.hello.router_dead_interval', 'Router Dead Interval [sec]', u16(b, at + 10), at + 10, 2),
          );
        } else {
          if (!fits(20)) break;
          k.push(
            fIPv4('ospf.hello.network_mask', 'Network Mask', b, at),
            fUint('ospf.hello.hello_interval', 'Hello Interval [sec]', u16(b, at + 4), at + 4, 2),
            v2opts(b, at + 6),
            fUint('ospf.hello.router_priority', 'Router Priority', b[at + 7], at + 7, 1),
            fUint('ospf.hello.router_dead_interval', 'Router Dead Interval [sec]', u32(b, at + 8), at + 8, 4),
          );
        }
        k.push(fIPv4('ospf.hello.designated_router', 'Designated Router', b, at + 12), fIPv4('ospf.hello.backup_designated_router', 'Backup Designated Router', b, at + 16));
        at += 20;
        for (let i = 0; at < pe && fits(4) && i < MAX_ITEMS; i++, at += 4) k.push(fIPv4('ospf.hello.active_neighbor', 'Active Neighbor', b, at));
        out.push(fText('OSPF Hello Packet', start, at - start, k));
        break;
      }
      case 2: {
        const k: Field[] = [];
        const start = at;
        if (!fits(v3 ? 12 : 8)) break;
        if (v3) {
          k.push(fBytes('ospf.reserved', 'Reserved', b, at, at + 1), v3opts(b, at + 1));
          k.push(fUint('ospf.db.interface_mtu', 'Interface MTU', u16(b, at + 4), at + 4, 2), fBytes('ospf.reserved', 'Reserved', b, at + 6, at + 7));
          at += 7;
        } else {
          k.push(fUint('ospf.db.interface_mtu', 'Interface MTU', u16(b, at), at, 2), v2opts(b, at + 2));
          at += 3;
        }
        k.push(flagsField('ospf.dbd', 'DB Description', b[at], at, 1, DBD_BITS));
        k.push(fUint('ospf.db.dd_sequence', 'DD Sequence', u32(b, at + 1), at + 1, 4));
        at += 5;
        out.push(fText('OSPF DB Description', start, at - start, k));
        for (let i = 0; at < pe && fits(20) && i < MAX_ITEMS; i++, at += 20) out.push(lsaFields(b, at, v3, false, be));
        break;
      }
      case 3:
        for (let i = 0; at < pe && fits(12) && i < MAX_ITEMS; i++, at += 12) {
          const k: Field[] = [];
          if (v3) k.push(fBytes('ospf.reserved', 'Reserved', b, at, at + 2), v3Type(b, at + 2));
          else {
            const t = u32(b, at);
            const ty = fUint('ospf.lsa', 'LS Type', t, at, 4);
            ty.text = `LS Type: ${LSA2[t]?.[0] ?? 'Unknown'} (${t})`;
            k.push(ty);
          }
          k.push(fIPv4('ospf.link_state_id', 'Link State ID', b, at + 4), fIPv4('ospf.advrouter', 'Advertising Router', b, at + 8));
          out.push(fText('Link State Request', at, 12, k));
        }
        break;
      case 4: {
        if (!fits(4)) break;
        const n = u32(b, at);
        const k: Field[] = [fUint('ospf.ls.number_of_lsas', 'Number of LSAs', n, at, 4)];
        const start = at;
        at += 4;
        for (let i = 0; i < n && i < MAX_ITEMS && fits(20); i++) {
          const ln = u16(b, at + 18);
          k.push(lsaFields(b, at, v3, true, be));
          if (ln < 20) break;
          at += ln;
        }
        out.push(fText('LS Update Packet', start, Math.min(at, be) - start, k));
        break;
      }
      case 5:
        for (let i = 0; at < pe && fits(20) && i < MAX_ITEMS; i++, at += 20) out.push(lsaFields(b, at, v3, false, be));
        break;
    }
    return out;
  },

  column: () => 'OSPF',
  info(l) {
    if (l.end - l.start < 2) return '';
    return MSG[l.d.type] ?? `Unknown (${l.d.type})`;
  },
};
