// OSPF (IP protocol 89): OSPFv2 over IPv4 (RFC 2328) and OSPFv3 over IPv6 (RFC 5340), as tshark 4.0 shows them:
// the header (version, message type, packet length, router and area IDs, checksum; v2 authentication none /
// simple password / cryptographic with the digest after the packet; v3 instance ID), Hello (mask or interface
// ID, intervals, options bits, priority, DR/BDR, neighbors), DB Description (MTU, options, R/I/M/MS bits, DD
// sequence, LSA headers), LS Request, LS Update with its LSAs and LS Acknowledge; LSA bodies: v2 router (flags,
// links with TOS metrics), network, summary (IP network and ASBR), AS-external and NSSA; v3 router, network,
// inter-area prefix and router, AS-external / NSSA, link, intra-area prefix; the LLS data block (L bit) and the
// OSPFv3 authentication trailer (AT bit). Protocol column "OSPF", Info "Hello Packet", "DB Description",
// "LS Request", "LS Update", "LS Acknowledge", "Unknown (n)".
//
// dissect() walks the packet the way tshark's reads go (class Walker): each item needs its bytes, a subtree
// that tshark adds with a length needs all of them, loops run as tshark's do (the LS Update reads as many LSAs
// as its count says; a v2 LSA shorter than its type's minimum ends the walk). Where the bytes run out the layer
// gets 'truncated' (the IP length says more was sent: the snaplen) or 'malformed' (the datagram is shorter than
// the reads: a length or count that lies). The walk builds the fields once; OSPF packets are few and small.
// Every loop advances by the bytes it reads and stops at MAX_ITEMS.

import { finish, onesSum, pseudoSum } from '../src/dissect/checksum.js';
import { bitsText, fBits, fBool, fBytes, fHex, fIPv4, fIPv6, fmtIPv4, fStr, fText, fUint, hexN, hide, u16, u32 } from '../src/dissect/fields.js';
import { Layer, ipLayerBefore } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const MSG: Record<number, string> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const MSG_KEY: Record<number, string> = { 1: 'hello', 2: 'dbdesc', 3: 'lsreq', 4: 'lsupdate', 5: 'lsack' };
const AUTH: Record<number, string> = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };
const LSA2: Record<number, [string, string]> = {
  1: ['Router-LSA', 'router'], 2: ['Network-LSA', 'network'], 3: ['Summary-LSA (IP network)', 'summary'],
  4: ['Summary-LSA (ASBR)', 'asbr'], 5: ['AS-External-LSA (ASBR)', 'asext'], 6: ['Group Membership LSA', 'member'],
  7: ['NSSA AS-External-LSA', 'nssa'], 8: ['External Attributes LSA', 'attr'], 9: ['Opaque LSA, Link-local scope', 'opaque'],
  10: ['Opaque LSA, Area-local scope', 'opaque'], 11: ['Opaque LSA, AS-local scope', 'opaque'],
};
/** tshark's minimum LSA length per v2 type (a shorter one ends the packet's dissection). */
const V2_MIN_LEN = [0, 24, 28, 28, 28, 36, 20, 36, 20, 20, 20, 20];
const OPAQUE_TYPES: Record<number, string> = {
  1: 'Traffic Engineering LSA', 2: 'Sycamore Optical Topology Descriptions', 3: 'grace-LSA', 4: 'Router Information (RI)',
  5: 'L1VPN LSA', 6: 'Inter-AS-TE-v2 LSA', 7: 'OSPFv2 Extended Prefix Opaque LSA', 8: 'OSPFv2 Extended Link Opaque LSA', 9: 'TTZ LSA',
};
const INSTANCES = ['IPv6 unicast AF', 'IPv6 multicast AF', 'IPv4 unicast AF', 'IPv4 multicast AF'];
const LSA3: Record<number, [string, string]> = {
  1: ['Router-LSA', 'router'], 2: ['Network-LSA', 'network'], 3: ['Inter-Area-Prefix-LSA', 'interprefix'],
  4: ['Inter-Area-Router-LSA', 'interrouter'], 5: ['AS-External-LSA', 'asext'], 6: ['Group-Membership-LSA', 'member'],
  7: ['NSSA-LSA', 'nssa'], 8: ['Link-LSA', 'link'], 9: ['Intra-Area-Prefix-LSA', 'intraprefix'],
  12: ['Router Information Opaque-LSA', 'opaque'],
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
/** Items read at most per list: every item takes bytes, so the bytes (< 64 KiB) end a list long before. */
const MAX_ITEMS = 4096;

export interface OspfD {
  version: number;
  type: number;
  /** Packet length from the header (0 before it is read). */
  len: number;
  /** Checksum verification: true good, false bad, null not verified. */
  ckGood: boolean | null;
  ckCalc: number;
  /** The fields, built by dissect()'s walk (it must find where tshark's reads stop anyway). */
  out: Field[];
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
const V2_OPTS_LSA7: Bit[] = V2_OPTS.map((x) => (x[2] === 0x08 ? ['ospf.v2.options.p', '(P) Propagate', 0x08, 'Set', 'Not set'] : x));
const V3_EXT_FLAGS: Bit[] = [
  ['ospf.v3.as.external.flags.e', '(E) External Metric', 0x04, 'Type 2', 'Type 1'],
  ['ospf.v3.as.external.flags.f', '(F) Forwarding Address', 0x02, 'Present', 'Absent'],
  ['ospf.v3.as.external.flags.t', '(T) External Route Tag', 0x01, 'Present', 'Not Present'],
];
const V3_PREFIX_OPTS: Bit[] = [
  ['ospf.v3.prefix.options.p', '(P) Propagate', 0x08, 'Set', 'Not set'],
  ['ospf.v3.prefix.options.mc', '(MC) Multicast', 0x04, 'Set', 'Not set'],
  ['ospf.v3.prefix.options.la', '(LA) Local Address', 0x02, 'Set', 'Not set'],
  ['ospf.v3.prefix.options.nu', '(NU) NoUnicast', 0x01, 'Set', 'Not set'],
];
const LLS_EXT_OPTS: Bit[] = [
  ['ospf.lls.ext.options.rs', '(RS) Restart Signal', 0x02, 'Set', 'Not set'],
  ['ospf.lls.ext.options.lr', '(LR) LSDB Resynchronization', 0x01, 'Set', 'Not set'],
];
const LLS_TLVS: Record<number, string> = { 1: 'Extended options TLV' };

/** An ENC_ASCII string up to its first NUL, bytes from 0x80 shown as U+FFFD as tshark does. */
function asciiText(b: Uint8Array, from: number, to: number): string {
  let t = '';
  for (let i = from; i < to && b[i] !== 0; i++) t += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
  return t;
}

const v3optsVal = (b: Uint8Array, at: number) => (b[at] << 16) | u16(b, at + 1);

/** Where tshark's reads run out: `at` + `need` passes the end of the bytes. */
class Stop {
  constructor(
    readonly at: number,
    readonly need: number,
  ) {}
}

/** The v3 LS type (16 bits) with its handling / scope / function code lines. */
function v3Type(b: Uint8Array, at: number): Field {
  const t = u16(b, at);
  const f = fHex('ospf.v3.lsa', 'LS Type', t, at, 2);
  const u = fBool('ospf.v3.lsa.u', 'LSA Handling', (t & 0x8000) !== 0, at, 2, 0x8000);
  u.text = `${bitsText(t, 0x8000, 16)} = LSA Handling: ${t & 0x8000 ? 'Treat the LSA as if it had link-local flooding scope' : 'Store and flood the LSA as if the type is understood'}`;
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

/**
 * tshark's OSPF dissection step by step over the bytes [s, cap): every read checks that its bytes are there
 * and throws a Stop where they are not (caught in walk()); loops run as tshark's do, each item taking bytes.
 */
class Walker {
  readonly out: Field[] = [];
  /** tshark reads an LSA at offset -1 after one whose length is below its type's minimum: the end. */
  static readonly BAD = -1;
  constructor(
    readonly b: Uint8Array,
    readonly s: number,
    readonly cap: number,
    /** Where the datagram ends as the IP length and the frame's original length say (beyond `cap` when cut). */
    readonly rep: number,
    readonly d: OspfD,
  ) {}

  need(at: number, n: number): void {
    if (at < this.s || at + n > this.cap) throw new Stop(at, n);
  }
  /** Add `mk()` to `to` once its `n` bytes at `at` are there. */
  add(to: Field[], at: number, n: number, mk: () => Field): Field {
    this.need(at, n);
    const f = mk();
    to.push(f);
    return f;
  }
  /** A subtree over `n` bytes (tshark checks they are there), pushed to `to`. */
  tree(to: Field[], text: string, at: number, n: number): Field[] {
    this.need(at, n);
    const kids: Field[] = [];
    to.push(fText(text, at, n, kids));
    return kids;
  }
  ip(to: Field[], key: string, label: string, at: number): Field {
    return this.add(to, at, 4, () => fIPv4(key, label, this.b, at));
  }
  uint(to: Field[], key: string, label: string, at: number, n: number): Field {
    const b = this.b;
    return this.add(to, at, n, () => fUint(key, label, n === 1 ? b[at] : n === 2 ? u16(b, at) : n === 3 ? (b[at] << 16) | u16(b, at + 1) : u32(b, at), at, n));
  }
  bytes(to: Field[], key: string, label: string, at: number, n: number): Field {
    return this.add(to, at, n, () => fBytes(key, label, this.b, at, at + n));
  }

  header(hdrLen: number): Field[] {
    const { b, s, d } = this;
    const hk = this.tree(this.out, 'OSPF Header', s, 0);
    this.out[0].len = Math.min(hdrLen, this.cap - s);
    this.uint(hk, 'ospf.version', 'Version', s, 1);
    const mt = this.uint(hk, 'ospf.msg', 'Message Type', s + 1, 1);
    mt.text = `Message Type: ${MSG[d.type] ?? 'Unknown'} (${d.type})`;
    if (MSG_KEY[d.type]) hk.push(hide(fBool(`ospf.msg.${MSG_KEY[d.type]}`, MSG[d.type], true, s + 1, 1)));
    this.uint(hk, 'ospf.packet_length', 'Packet Length', s + 2, 2);
    this.ip(hk, 'ospf.srcrouter', 'Source OSPF Router', s + 4);
    const area = this.ip(hk, 'ospf.area_id', 'Area ID', s + 8);
    if (u32(b, s + 8) === 0) area.text = `Area ID: ${area.show} (Backbone)`;
    const ck = this.add(hk, s + 12, 2, () => fHex('ospf.checksum', 'Checksum', u16(b, s + 12), s + 12, 2));
    if (u16(b, s + 12) === 0) ck.text = `Checksum: ${ck.show} (None)`;
    else if (d.ckGood !== null) ck.text = `Checksum: ${ck.show} ${d.ckGood ? '[correct]' : `[incorrect, should be ${hexN(d.ckCalc, 4)}]`}`;
    return hk;
  }

  /** The whole packet as tshark shows it; throws Stop where the bytes end. */
  run(): void {
    const { b, s, d } = this;
    const v3 = d.version === 3;
    const hdrLen = d.version === 2 ? 24 : v3 ? 16 : 14;
    const hk = this.header(hdrLen);
    if (d.version !== 2 && !v3) return;
    let crypto = 0;
    let af6 = true;
    if (!v3) {
      const auth = u16(b, s + 14);
      const at = this.uint(hk, 'ospf.auth.type', 'Auth Type', s + 14, 2);
      at.text = `Auth Type: ${AUTH[auth] ?? 'Unknown'} (${auth})`;
      if (auth === 0) this.bytes(hk, 'ospf.auth.none', 'Auth Data (none)', s + 16, 8);
      else if (auth === 1) this.add(hk, s + 16, 8, () => fStr('ospf.auth.simple', 'Auth Data (Simple)', asciiText(b, s + 16, s + 24), s + 16, 8));
      else if (auth === 2) {
        this.uint(hk, 'ospf.auth.crypt.key_id', 'Auth Crypt Key id', s + 18, 1);
        this.uint(hk, 'ospf.auth.crypt.data_length', 'Auth Crypt Data Length', s + 19, 1);
        crypto = b[s + 19];
        this.uint(hk, 'ospf.auth.crypt.seq_nbr', 'Auth Crypt Sequence Number', s + 20, 4);
        const da = s + d.len;
        if (da + crypto <= this.cap) {
          const f = fBytes('ospf.auth.crypt.data', 'Auth Crypt Data', b, da, da + crypto);
          // (an empty FT_BYTES: tshark prints "<MISSING>")
          if (crypto === 0) f.show = '<MISSING>';
          hk.push(f);
        }
      } else this.bytes(hk, 'ospf.auth.unknown', 'Auth Unknown', s + 16, 8);
    } else {
      const inst = this.uint(hk, 'ospf.instance_id', 'Instance ID', s + 14, 1);
      const id = b[s + 14];
      inst.text = `Instance ID: ${INSTANCES[id >> 5] ?? 'Reserved'} (${id})`;
      af6 = !(id > 65 && id < 128);
      this.bytes(hk, 'ospf.reserved', 'Reserved', s + 15, 1);
    }
    const body = s + hdrLen;
    const length = (d.len - hdrLen) & 0xffff;
    switch (d.type) {
      case 1:
        this.hello(body, length, v3);
        break;
      case 2:
        this.dbDesc(body, length, v3);
        break;
      case 3:
        this.lsReq(body, length, v3);
        break;
      case 4:
        this.lsUpd(body, length, v3, af6);
        break;
      case 5:
        for (let at = body, i = 0; body + length > at && i < MAX_ITEMS; i++) at = this.lsa(this.out, at, false, v3, af6);
        break;
    }
    // the LLS data block (L bit) and, for an OSPFv3 Hello, the authentication trailer (AT bit)
    if (d.type === 1 || d.type === 2) {
      const optAt = d.type === 1 ? body + (v3 ? 5 : 6) : body + (v3 ? 1 : 2);
      this.need(optAt, v3 ? 4 : 1);
      const opts = v3 ? v3optsVal(b, optAt) : b[optAt];
      if (opts & (v3 ? 0x200 : 0x10)) this.lls(s + d.len + crypto, v3);
      if (v3 && opts & 0x400) this.trailer(s + d.len + crypto);
    }
  }

  hello(at: number, length: number, v3: boolean): void {
    const b = this.b;
    const k: Field[] = [];
    this.out.push(fText('OSPF Hello Packet', at, length, k));
    const h = at;
    if (v3) {
      this.uint(k, 'ospf.hello.interface_id', 'Interface ID', h, 4);
      this.uint(k, 'ospf.hello.router_priority', 'Router Priority', h + 4, 1);
      this.add(k, h + 5, 3, () => flagsField('ospf.v3.options', 'Options', v3optsVal(b, h + 5), h + 5, 3, V3_OPTS));
      this.uint(k, 'ospf.hello.hello_interval', 'Hello Interval [sec]', h + 8, 2);
      this.uint(k, 'ospf.hello.router_dead_interval', 'Router Dead Interval [sec]', h + 10, 2);
    } else {
      this.ip(k, 'ospf.hello.network_mask', 'Network Mask', h);
      this.uint(k, 'ospf.hello.hello_interval', 'Hello Interval [sec]', h + 4, 2);
      this.add(k, h + 6, 1, () => flagsField('ospf.v2.options', 'Options', b[h + 6], h + 6, 1, V2_OPTS));
      this.uint(k, 'ospf.hello.router_priority', 'Router Priority', h + 7, 1);
      this.uint(k, 'ospf.hello.router_dead_interval', 'Router Dead Interval [sec]', h + 8, 4);
    }
    this.ip(k, 'ospf.hello.designated_router', 'Designated Router', h + 12);
    this.ip(k, 'ospf.hello.backup_designated_router', 'Backup Designated Router', h + 16);
    for (let a = h + 20, i = 0; h + length > a && i < MAX_ITEMS; a += 4, i++) this.ip(k, 'ospf.hello.active_neighbor', 'Active Neighbor', a);
  }

  dbDesc(at: number, length: number, v3: boolean): void {
    const b = this.b;
    const k = this.tree(this.out, 'OSPF DB Description', at, length);
    if (v3) {
      this.bytes(k, 'ospf.reserved', 'Reserved', at, 1);
      this.add(k, at + 1, 3, () => flagsField('ospf.v3.options', 'Options', v3optsVal(b, at + 1), at + 1, 3, V3_OPTS));
      this.uint(k, 'ospf.db.interface_mtu', 'Interface MTU', at + 4, 2);
      this.bytes(k, 'ospf.reserved', 'Reserved', at + 6, 1);
      this.add(k, at + 7, 1, () => flagsField('ospf.dbd', 'DB Description', b[at + 7], at + 7, 1, DBD_BITS));
      this.uint(k, 'ospf.db.dd_sequence', 'DD Sequence', at + 8, 4);
    } else {
      this.uint(k, 'ospf.db.interface_mtu', 'Interface MTU', at, 2);
      this.add(k, at + 2, 1, () => flagsField('ospf.v2.options', 'Options', b[at + 2], at + 2, 1, V2_OPTS));
      this.add(k, at + 3, 1, () => flagsField('ospf.dbd', 'DB Description', b[at + 3], at + 3, 1, DBD_BITS));
      this.uint(k, 'ospf.db.dd_sequence', 'DD Sequence', at + 4, 4);
    }
    const end = at + length;
    for (let a = at + (v3 ? 12 : 8), i = 0; end > a && i < MAX_ITEMS; i++) a = this.lsa(this.out, a, false, v3, true);
  }

  lsReq(at: number, length: number, v3: boolean): void {
    const b = this.b;
    for (let a = at, i = 0; at + length > a && i < MAX_ITEMS; a += 12, i++) {
      const k = this.tree(this.out, 'Link State Request', a, 12);
      if (v3) {
        this.bytes(k, 'ospf.reserved', 'Reserved', a, 2);
        this.add(k, a + 2, 2, () => v3Type(b, a + 2));
      } else {
        const ty = this.uint(k, 'ospf.lsa', 'LS Type', a, 4);
        ty.text = `LS Type: ${LSA2[u32(b, a)]?.[0] ?? 'Unknown'} (${u32(b, a)})`;
      }
      this.ip(k, 'ospf.link_state_id', 'Link State ID', a + 4);
      this.ip(k, 'ospf.advrouter', 'Advertising Router', a + 8);
    }
  }

  lsUpd(at: number, length: number, v3: boolean, af6: boolean): void {
    const k = this.tree(this.out, 'LS Update Packet', at, length);
    this.need(at, 4);
    const n = u32(this.b, at);
    this.uint(k, 'ospf.ls.number_of_lsas', 'Number of LSAs', at, 4);
    for (let a = at + 4, i = 0; i < n && i < MAX_ITEMS; i++) a = this.lsa(k, a, true, v3, af6);
  }

  /** One LSA at `at` (its header, and its body when `body`); returns where the next one starts, as tshark. */
  lsa(to: Field[], at: number, body: boolean, v3: boolean, af6: boolean): number {
    const b = this.b;
    if (at === Walker.BAD) throw new Stop(this.cap - 1, 20);
    this.need(at, 20);
    const age = u16(b, at);
    const len = u16(b, at + 18);
    const code = v3 ? u16(b, at + 2) & 0x1fff : b[at + 3];
    const names = v3 ? LSA3[code] : LSA2[code];
    const k = this.tree(to, `LSA-type ${code} (${names?.[0] ?? 'Unknown'}), len ${len}`, at, body ? len : 20);
    const ag = fBits('ospf.lsa.age', 'LS Age (seconds)', age & 0x7fff, at, 2, 0x7fff);
    ag.text = `${bitsText(age, 0x7fff, 16)} = LS Age (seconds): ${age & 0x7fff}`;
    k.push(ag);
    if (v3) {
      const dna = fBool('ospf.v3.lsa.do_not_age', 'Do Not Age', (age & 0x8000) !== 0, at, 2, 0x8000);
      dna.text = `${bitsText(age, 0x8000, 16)} = Do Not Age: ${age & 0x8000 ? 'True' : 'False'}`;
      k.push(dna, v3Type(b, at + 2));
      if (names) k.push(hide(fBool(`ospf.v3.lsa.${names[1]}`, names[0], true, at + 2, 2)));
      k.push(fIPv4('ospf.link_state_id', 'Link State ID', b, at + 4));
    } else {
      const dna = fBits('ospf.lsa.donotage', 'Do Not Age Flag', age >> 15, at, 2, 0x8000);
      dna.text = `${bitsText(age, 0x8000, 16)} = Do Not Age Flag: ${age >> 15}`;
      k.push(dna, flagsField('ospf.v2.options', 'Options', b[at + 2], at + 2, 1, code === 7 ? V2_OPTS_LSA7 : V2_OPTS));
      const ty = fUint('ospf.lsa', 'LS Type', code, at + 3, 1);
      ty.text = `LS Type: ${names?.[0] ?? 'Unknown'} (${code})`;
      k.push(ty);
      if (names) k.push(hide(fBool(`ospf.lsa.${names[1]}`, names[0], true, at + 3, 1)));
      if (code >= 9 && code <= 11) {
        const ot = b[at + 4];
        const o = fUint('ospf.lsid_opaque_type', 'Link State ID Opaque Type', ot, at + 4, 1);
        o.text = `Link State ID Opaque Type: ${OPAQUE_TYPES[ot] ?? 'Unknown'} (${ot})`;
        k.push(o);
        if (ot === 1) k.push(fUint('ospf.lsid_te_lsa.reserved', 'Link State ID TE-LSA Reserved', b[at + 5], at + 5, 1), fUint('ospf.lsid_te_lsa.instance', 'Link State ID TE-LSA Instance', u16(b, at + 6), at + 6, 2));
        else k.push(fUint('ospf.lsid.opaque_id', 'Link State ID Opaque ID', (b[at + 5] << 16) | u16(b, at + 6), at + 5, 3));
      } else k.push(fIPv4('ospf.lsa.id', 'Link State ID', b, at + 4));
    }
    k.push(
      fIPv4('ospf.advrouter', 'Advertising Router', b, at + 8),
      fHex('ospf.lsa.seqnum', 'Sequence Number', u32(b, at + 12), at + 12, 4),
      fHex('ospf.lsa.chksum', 'Checksum', u16(b, at + 16), at + 16, 2),
      fUint('ospf.lsa.length', 'Length', len, at + 18, 2),
    );
    if (!v3) {
      // a length below the type's minimum: tshark stops there and reads the next LSA at offset -1
      if (len < (code >= 1 && code <= 11 ? V2_MIN_LEN[code] : 20)) return Walker.BAD;
      if (len <= 20 || !body) return at + 20;
      return this.v2Body(k, at + 20, len - 20, code, b[at + 2]);
    }
    if (!body) return at + 20;
    return this.v3Body(k, at + 20, (len - 20) & 0xffff, at + len, code, af6);
  }

  v2Body(k: Field[], at: number, bodyLen: number, code: number, options: number): number {
    const b = this.b;
    const end = at + bodyLen;
    const metricType = options & 0x01 ? 'MT-ID' : 'TOS';
    switch (code) {
      case 1: {
        this.add(k, at, 1, () => flagsField('ospf.v2.router.lsa.flags', 'Flags', b[at], at, 1, V2_ROUTER_FLAGS));
        this.need(at + 2, 2);
        const n = u16(b, at + 2);
        this.uint(k, 'ospf.lsa.number_of_links', 'Number of Links', at + 2, 2);
        at += 4;
        for (let i = 0; i < n; i++) {
          this.need(at, 12);
          const lt = b[at + 8];
          const ntos = b[at + 9];
          const names = LINK_TYPES[lt] ?? ['Unknown', 'Unknown link ID', 'Unknown link type'];
          const id = fmtIPv4(b, at);
          const kk = this.tree(k, `Type: ${names[0].padEnd(8)} ID: ${id.padEnd(15)} Data: ${fmtIPv4(b, at + 4).padEnd(15)} Metric: ${u16(b, at + 10)}`, at, 12 + 4 * ntos);
          const lid = fIPv4('ospf.lsa.router.linkid', 'Link ID', b, at);
          lid.text = `Link ID: ${id} - ${names[1]}`;
          const ty = fUint('ospf.lsa.router.linktype', 'Link Type', lt, at + 8, 1);
          ty.text = `Link Type: ${lt} - ${names[2]}`;
          const nm = fUint('ospf.lsa.router.nummetrics', 'Number of Metrics', ntos, at + 9, 1);
          nm.text = `Number of Metrics: ${ntos} - ${metricType}`;
          kk.push(lid, fIPv4('ospf.lsa.router.linkdata', 'Link Data', b, at + 4), ty, nm, fUint('ospf.lsa.router.metric0', '0 Metric', u16(b, at + 10), at + 10, 2));
          at += 12;
          for (let t = 0; t < ntos; t++, at += 4) {
            const m = fUint('ospf.ls.metric', 'Metric', u16(b, at + 2), at, 4);
            m.text = `${metricType}: ${b[at]}, Metric: ${u16(b, at + 2)}`;
            kk.push(m);
          }
        }
        return at;
      }
      case 2:
        this.ip(k, 'ospf.lsa.network.netmask', 'Netmask', at);
        for (at += 4; at < end; at += 4) this.ip(k, 'ospf.lsa.network.attchrtr', 'Attached Router', at);
        return at;
      case 3:
      case 4:
        this.ip(k, 'ospf.lsa.asbr.netmask', 'Netmask', at);
        for (at += 4; at < end; at += 4) {
          this.uint(k, 'ospf.lsa.tos', 'TOS', at, 1);
          this.uint(k, 'ospf.metric', 'Metric', at + 1, 3);
        }
        return at;
      case 5:
      case 7:
        this.ip(k, 'ospf.lsa.asext.netmask', 'Netmask', at);
        for (at += 4; at < end; at += 12) {
          const a = at;
          const e = this.add(k, a, 1, () => fBool('ospf.lsa.asext.type', 'External Type', (b[a] & 0x80) !== 0, a, 1, 0x80));
          e.text = `${bitsText(b[a], 0x80, 8)} = External Type: ${b[a] & 0x80 ? 'Type 2 (metric is larger than any other link state path)' : 'Type 1 (metric is specified in the same units as interface cost)'}`;
          const tos = fBits('ospf.lsa.tos', 'TOS', b[a] & 0x7f, a, 1, 0x7f);
          tos.text = `${bitsText(b[a], 0x7f, 8)} = TOS: ${b[a] & 0x7f}`;
          k.push(tos);
          this.uint(k, 'ospf.metric', 'Metric', a + 1, 3);
          this.ip(k, 'ospf.lsa.asext.fwdaddr', 'Forwarding Address', a + 4);
          this.uint(k, 'ospf.lsa.asext.extrttag', 'External Route Tag', a + 8, 4);
        }
        return at;
      case 9:
      case 10:
      case 11: {
        // opaque bodies (TE, RI, grace) are not dissected here: tshark names the opaque type it does not know
        const ot = b[at - 16];
        if (!OPAQUE_TYPES[ot] || ot > 4 || ot === 2) {
          this.need(at, bodyLen);
          k.push(fText(`Unknown LSA Type ${ot}`, at, bodyLen));
        }
        return at + bodyLen;
      }
      default:
        return at + bodyLen;
    }
  }

  prefixOpts(k: Field[], at: number): void {
    this.add(k, at, 1, () => flagsField('ospf.v3.prefix.options', 'PrefixOptions', this.b[at], at, 1, V3_PREFIX_OPTS));
  }

  /** An address prefix of `plen` bits (whole 32-bit words) at `at`. */
  prefix(k: Field[], at: number, plen: number, af6: boolean): void {
    const b = this.b;
    const n = Math.floor((plen + 31) / 32) * 4;
    if (plen > 128) {
      k.push(fText(`Address Prefix: length is invalid (${plen}, should be <= 128)`, at, n));
      return;
    }
    if (af6) {
      this.need(at, n);
      const p = new Uint8Array(16);
      p.set(b.subarray(at, at + n));
      if (plen % 8 && n > 0) p[n - 1] &= (0xff00 >> plen % 8) & 0xff;
      const f = fIPv6('ospf.v3.address_prefix.ipv6', 'Address Prefix', p, 0);
      f.start = at;
      f.len = n;
      k.push(f);
    } else this.ip(k, 'ospf.v3.address_prefix.ipv4', 'Address Prefix', at);
  }

  v3Body(k: Field[], at: number, bodyLen: number, end: number, code: number, af6: boolean): number {
    const b = this.b;
    const reserved = (a: number, n: number) => this.bytes(k, 'ospf.reserved', 'Reserved', a, n);
    const v3o = (a: number) => this.add(k, a, 3, () => flagsField('ospf.v3.options', 'Options', v3optsVal(b, a), a, 3, V3_OPTS));
    switch (code) {
      case 1: {
        this.add(k, at, 1, () => flagsField('ospf.v3.router.lsa.flags', 'Flags', b[at], at, 1, V3_ROUTER_FLAGS));
        v3o(at + 1);
        at += 4;
        let left = (bodyLen - 4) & 0xffff;
        if (left === 0) return at;
        const ifs = this.tree(k, 'Router Interfaces', at, left);
        for (let i = 1; left > 0; i++, at += 16, left = (left - 16) & 0xffff) {
          const e = this.tree(ifs, `Entry #${i}`, at, 16);
          const ty = fUint('ospf.v3.lsa.type', 'Type', b[at], at, 1);
          ty.text = `Type: ${V3_LINK_TYPES[b[at]] ?? 'Unknown'} (${b[at]})`;
          e.push(
            ty,
            fBytes('ospf.reserved', 'Reserved', b, at + 1, at + 2),
            fUint('ospf.metric', 'Metric', u16(b, at + 2), at + 2, 2),
            fUint('ospf.v3.lsa.interface_id', 'Interface ID', u32(b, at + 4), at + 4, 4),
            fUint('ospf.v3.lsa.neighbor_interface_id', 'Neighbor Interface ID', u32(b, at + 8), at + 8, 4),
            fIPv4('ospf.v3.lsa.neighbor_router_id', 'Neighbor Router ID', b, at + 12),
          );
        }
        return at;
      }
      case 2: {
        reserved(at, 1);
        v3o(at + 1);
        at += 4;
        for (let left = (bodyLen - 4) & 0xffff; left > 0; left = (left - 4) & 0xffff, at += 4) this.ip(k, 'ospf.v3.lsa.attached_router', 'Attached Router', at);
        return at;
      }
      case 3: {
        reserved(at, 1);
        this.uint(k, 'ospf.metric', 'Metric', at + 1, 3);
        const plen = b[at + 4];
        this.uint(k, 'ospf.prefix_length', 'PrefixLength', at + 4, 1);
        this.prefixOpts(k, at + 5);
        reserved(at + 6, 2);
        this.prefix(k, at + 8, plen, af6);
        return at + 8 + Math.floor((plen + 31) / 32) * 4;
      }
      case 4:
        reserved(at, 1);
        v3o(at + 1);
        reserved(at + 4, 1);
        this.uint(k, 'ospf.metric', 'Metric', at + 5, 3);
        this.ip(k, 'ospf.v3.lsa.destination_router_id', 'Destination Router ID', at + 8);
        return at + 12;
      case 5:
      case 7: {
        this.add(k, at, 1, () => flagsField('ospf.v3.as.external.flags', 'Flags', b[at], at, 1, V3_EXT_FLAGS));
        const flags = b[at];
        this.uint(k, 'ospf.metric', 'Metric', at + 1, 3);
        this.need(at + 4, 1);
        const plen = b[at + 4];
        this.uint(k, 'ospf.prefix_length', 'PrefixLength', at + 4, 1);
        this.prefixOpts(k, at + 5);
        this.need(at + 6, 2);
        const ref = u16(b, at + 6);
        const rt = this.add(k, at + 6, 2, () => fHex('ospf.v3.lsa.referenced_ls_type', 'Referenced LS type', ref, at + 6, 2));
        rt.text = `Referenced LS type: ${LSA3[ref]?.[0] ?? 'Unknown'} (${rt.show})`;
        at += 8;
        this.prefix(k, at, plen, af6);
        at += Math.floor((plen + 31) / 32) * 4;
        if (at < end && flags & 0x02) {
          if (af6) this.add(k, at, 16, () => fIPv6('ospf.v3.lsa.forwarding_address.ipv6', 'Forwarding Address', b, at));
          else this.ip(k, 'ospf.v3.lsa.forwarding_address.ipv4', 'Forwarding Address', at);
          at += 16;
        }
        if (at < end && flags & 0x01) {
          this.uint(k, 'ospf.v3.lsa.external_route_tag', 'External Route Tag', at, 4);
          at += 4;
        }
        if (at < end && ref !== 0) {
          this.ip(k, 'ospf.v3.lsa.referenced_link_state_id', 'Referenced Link State ID', at);
          at += 4;
        }
        return at;
      }
      case 8: {
        this.uint(k, 'ospf.v3.lsa.router_priority', 'Router Priority', at, 1);
        v3o(at + 1);
        if (af6) this.add(k, at + 4, 16, () => fIPv6('ospf.v3.lsa.link_local_interface_address.ipv6', 'Link-local Interface Address', b, at + 4));
        else this.ip(k, 'ospf.v3.lsa.link_local_interface_address.ipv4', 'Link-local Interface Address', at + 4);
        this.need(at + 20, 4);
        let n = u32(b, at + 20);
        this.uint(k, 'ospf.v3.lsa.num_prefixes', '# prefixes', at + 20, 4);
        at += 24;
        for (let i = 0; n > 0 && i < MAX_ITEMS; n--, i++) {
          this.need(at, 1);
          const plen = b[at];
          this.uint(k, 'ospf.prefix_length', 'PrefixLength', at, 1);
          this.prefixOpts(k, at + 1);
          reserved(at + 2, 2);
          at += 4;
          this.prefix(k, at, plen, af6);
          at += Math.floor((plen + 31) / 32) * 4;
        }
        return at;
      }
      case 9: {
        this.need(at, 2);
        let n = u16(b, at);
        this.uint(k, 'ospf.v3.lsa.num_prefixes', '# prefixes', at, 2);
        this.need(at + 2, 2);
        const ref = u16(b, at + 2);
        const rt = this.add(k, at + 2, 2, () => fHex('ospf.v3.lsa.referenced_ls_type', 'Referenced LS type', ref, at + 2, 2));
        rt.text = `Referenced LS type: ${LSA3[ref]?.[0] ?? 'Unknown'} (${rt.show})`;
        this.ip(k, 'ospf.v3.lsa.referenced_link_state_id', 'Referenced Link State ID', at + 4);
        this.ip(k, 'ospf.v3.lsa.referenced_advertising_router', 'Referenced Advertising Router', at + 8);
        at += 12;
        for (let i = 0; n > 0 && i < MAX_ITEMS; n--, i++) {
          this.need(at, 1);
          const plen = b[at];
          this.uint(k, 'ospf.prefix_length', 'PrefixLength', at, 1);
          this.prefixOpts(k, at + 1);
          this.uint(k, 'ospf.metric', 'Metric', at + 2, 2);
          at += 4;
          this.prefix(k, at, plen, af6);
          at += Math.floor((plen + 31) / 32) * 4;
        }
        return at;
      }
      default:
        // (the Router Information opaque LSA, 12, and unknown types: the body is skipped)
        return at + bodyLen;
    }
  }

  /** The OSPFv3 authentication trailer at `at` (RFC 7166), as tshark reads it. */
  trailer(at: number): void {
    const b = this.b;
    if (at > this.cap) throw new Stop(at, 0);
    const k: Field[] = [];
    const t = fText('OSPF Authentication Trailer', at, this.cap - at, k);
    this.out.push(t);
    const ty = this.uint(k, 'ospf.at.auth_type', 'Authentication Type', at, 2);
    ty.text = `Authentication Type: ${['Reserved', 'HMAC Cryptographic Authentication'][u16(b, at)] ?? 'Unknown'} (${u16(b, at)})`;
    this.uint(k, 'ospf.at.auth_data_len', 'Authentication Data Length', at + 2, 2);
    const n = u16(b, at + 2);
    if (n < 16) {
      t.len = 4;
      return;
    }
    t.len = n;
    this.add(k, at + 4, 2, () => fHex('ospf.at.reserved', 'Reserved', u16(b, at + 4), at + 4, 2));
    this.add(k, at + 6, 2, () => fHex('ospf.at.sa_id', 'Security Association Identifier (SA ID)', u16(b, at + 6), at + 6, 2));
    this.add(k, at + 8, 8, () => {
      const v = (BigInt(u32(b, at + 8)) << 32n) | BigInt(u32(b, at + 12));
      const f = fUint('ospf.at.crypto_seq_nbr', 'Cryptographic Sequence Number', 0, at + 8, 8);
      f.value = v;
      f.show = v.toString();
      return f;
    });
    this.bytes(k, 'ospf.at.auth_data', 'Authentication Data', at + 16, n - 16);
  }

  /** The LLS data block at `at` (RFC 5613), as tshark reads it. */
  lls(at: number, v3: boolean): void {
    const b = this.b;
    if (this.rep - at < 4) {
      // tshark: "LLS option bit set but data block missing" (an expert note, no exception)
      return;
    }
    this.need(at, 4);
    const total = u16(b, at + 2) * 4;
    const k: Field[] = [];
    this.out.push(fText('OSPF LLS Data Block', at, this.cap - at, k));
    k.push(fHex('ospf.lls.checksum', 'Checksum', u16(b, at), at, 2));
    const dl = fUint('ospf.lls.data_length', 'LLS Data Length', total, at + 2, 2);
    dl.text = `LLS Data Length: ${total} bytes`;
    k.push(dl);
    const start = at;
    at += 4;
    for (let i = 0; start + total > at && i < MAX_ITEMS; i++) {
      this.need(at, 4);
      const type = u16(b, at);
      const len = u16(b, at + 2);
      const t = this.tree(k, v3 ? `Unknown LLS TLV` : LLS_TLVS[type] ?? 'Unknown LLS TLV', at, len + 4);
      t.push(fUint('ospf.tlv_type', 'TLV Type', type, at, 2), fUint('ospf.tlv_length', 'TLV Length', len, at + 2, 2));
      if (!v3 && type === 1) this.add(t, at + 4, 4, () => flagsField('ospf.lls.ext.options', 'Options', u32(b, at + 4), at + 4, 4, LLS_EXT_OPTS));
      else if (!v3 && type === 2) {
        this.uint(t, 'ospf.v2.lls.sequence_number', 'Sequence number', at + 4, 4);
        this.bytes(t, 'ospf.v2.lls.auth_data', 'Auth Data', at + 8, len - 4);
      }
      at += len + 4;
    }
  }
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
    'ospf.hello.backup_designated_router', 'ospf.hello.active_neighbor', 'ospf.v2.options', ...V2_OPTS.map((x) => x[0]),
    'ospf.v2.options.p', 'ospf.v3.options', ...V3_OPTS.map((x) => x[0]), 'ospf.db.interface_mtu', 'ospf.dbd', ...DBD_BITS.map((x) => x[0]),
    'ospf.db.dd_sequence', 'ospf.link_state_id', 'ospf.ls.number_of_lsas', 'ospf.lsa', 'ospf.lsa.age',
    'ospf.lsa.donotage', 'ospf.v3.lsa', 'ospf.v3.lsa.do_not_age', 'ospf.v3.lsa.u', 'ospf.v3.lsa.s12', 'ospf.v3.lsa.fc',
    'ospf.lsa.id', 'ospf.lsid_opaque_type', 'ospf.lsid_te_lsa.reserved', 'ospf.lsid_te_lsa.instance', 'ospf.lsid.opaque_id',
    'ospf.advrouter', 'ospf.lsa.seqnum', 'ospf.lsa.chksum', 'ospf.lsa.length',
    ...new Set(Object.values(LSA2).map(([, k]) => `ospf.lsa.${k}`)), ...new Set(Object.values(LSA3).map(([, k]) => `ospf.v3.lsa.${k}`)),
    'ospf.v2.router.lsa.flags', ...V2_ROUTER_FLAGS.map((x) => x[0]), 'ospf.lsa.number_of_links', 'ospf.lsa.router.linkid',
    'ospf.lsa.router.linkdata', 'ospf.lsa.router.linktype', 'ospf.lsa.router.nummetrics', 'ospf.lsa.router.metric0',
    'ospf.lsa.tos', 'ospf.ls.metric', 'ospf.lsa.network.netmask', 'ospf.lsa.network.attchrtr', 'ospf.lsa.asbr.netmask',
    'ospf.metric', 'ospf.lsa.asext.netmask', 'ospf.lsa.asext.type', 'ospf.lsa.asext.fwdaddr', 'ospf.lsa.asext.extrttag',
    'ospf.v3.router.lsa.flags', ...V3_ROUTER_FLAGS.map((x) => x[0]), 'ospf.v3.lsa.type', 'ospf.v3.lsa.interface_id',
    'ospf.v3.lsa.neighbor_interface_id', 'ospf.v3.lsa.neighbor_router_id', 'ospf.v3.lsa.attached_router',
    'ospf.prefix_length', 'ospf.v3.prefix.options', ...V3_PREFIX_OPTS.map((x) => x[0]), 'ospf.v3.address_prefix.ipv6',
    'ospf.v3.address_prefix.ipv4', 'ospf.v3.lsa.destination_router_id', 'ospf.v3.as.external.flags', ...V3_EXT_FLAGS.map((x) => x[0]),
    'ospf.v3.lsa.referenced_ls_type', 'ospf.v3.lsa.forwarding_address.ipv6', 'ospf.v3.lsa.forwarding_address.ipv4',
    'ospf.v3.lsa.external_route_tag', 'ospf.v3.lsa.referenced_link_state_id', 'ospf.v3.lsa.router_priority',
    'ospf.v3.lsa.link_local_interface_address.ipv6', 'ospf.v3.lsa.link_local_interface_address.ipv4', 'ospf.v3.lsa.num_prefixes',
    'ospf.v3.lsa.referenced_advertising_router', 'ospf.lls.checksum', 'ospf.lls.data_length', 'ospf.tlv_type', 'ospf.tlv_length',
    'ospf.lls.ext.options', ...LLS_EXT_OPTS.map((x) => x[0]), 'ospf.v2.lls.sequence_number', 'ospf.v2.lls.auth_data',
    'ospf.at.auth_type', 'ospf.at.auth_data_len', 'ospf.at.reserved', 'ospf.at.sa_id', 'ospf.at.crypto_seq_nbr', 'ospf.at.auth_data',
  ],
  registers: [{ table: 'ip.proto', key: 89 }],

  dissect(buf, start, end, ctx) {
    const d: OspfD = { version: 0, type: 0, len: 0, ckGood: null, ckCalc: 0, out: [] };
    const l = new Layer<OspfD>(ospf, buf, start, end, d);
    const avail = end - start;
    // the datagram's reported end (tshark's reported length): more than the bytes when the snaplen cut them
    let rep = end;
    const ip = ipLayerBefore(ctx.layers);
    if (ip && ip.buf === buf && buf === ctx.frame.data && ip.d.totalLen > 0) rep = Math.max(end, Math.min(ip.start + ip.d.totalLen, ctx.frame.origLen));
    const cut = rep > end;
    if (avail >= 1) d.version = buf[start];
    if (avail >= 2) d.type = buf[start + 1];
    if (avail < 4) {
      l.short('OSPF header', start, 4, start + 4 <= rep);
      return l;
    }
    d.len = u16(buf, start + 2);
    const hdrLen = d.version === 2 ? 24 : d.version === 3 ? 16 : 14;
    const ck = avail >= 14 ? u16(buf, start + 12) : 0;
    // tshark verifies a checksum that is not 0 over the whole datagram (not the packet length) when nothing is cut
    if ((d.version === 2 || d.version === 3) && ck !== 0 && !cut && !ctx.quoted && avail >= hdrLen) {
      let s: number;
      if (d.version === 2) s = onesSum(buf, start, start + 12, onesSum(buf, start + 14, start + 16, onesSum(buf, start + 24, end)));
      else {
        s = ip && ip.d.srcAt >= 0 ? pseudoSum(ip, 89, d.len) : 0;
        s = onesSum(buf, start, start + 12, onesSum(buf, start + 14, end, s));
      }
      d.ckCalc = finish(s);
      d.ckGood = d.ckCalc === ck;
      if (!d.ckGood) l.problem('checksum', `OSPF checksum ${hexN(ck, 4)} is wrong (should be ${hexN(d.ckCalc, 4)})`, start + 12, start + 14);
    }
    const w = new Walker(buf, start, end, rep, d);
    try {
      w.run();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      const what = e.at < start + hdrLen ? 'OSPF header' : d.len > avail && !cut ? `OSPF packet (length ${d.len})` : `OSPF ${MSG[d.type] ?? 'packet'}`;
      l.short(what, e.at, e.need, e.at + e.need <= rep);
    }
    d.out = w.out;
    if (d.version !== 2 && d.version !== 3) l.problem('unsupported', `OSPF version ${d.version} is not dissected`, start, start + 1);
    else if (!MSG[d.type] && start + hdrLen < end) l.next = { table: 'data', key: 0, start: start + hdrLen, end };
    return l;
  },

  fields: (l) => l.d.out,

  column: () => 'OSPF',
  info(l) {
    if (l.end - l.start < 2) return '';
    return MSG[l.d.type] ?? `Unknown (${l.d.type})`;
  },
};
