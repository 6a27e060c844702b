// ARP and RARP (RFC 826 / RFC 903): ethertypes 0x0806 and 0x8035.
//
// The layer's range is the ARP datagram itself (8 + 2*hlen + 2*plen bytes), so the link layer
// can show what follows as padding / trailer. Any hardware / protocol size is accepted: MAC and
// IPv4 fields when they are 6 / 4 bytes of an Ethernet / IPv4 type (arp.src.hw_mac …), raw bytes
// otherwise (arp.src.hw, arp.src.proto), as tshark does.

import { fBool, fBytes, fHex, fIPv4, fMAC, fmtBytesHex, fmtIPv4, fmtMAC, fUint, gen, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { etypeText, hwTypeText } from './link-common.js';

export interface ArpD {
  /** false when the 8-byte fixed header is short (nothing below is valid then). */
  ok: boolean;
  hrd: number;
  pro: number;
  hln: number;
  pln: number;
  op: number;
  /** true when all the address bytes were captured. */
  full: boolean;
}

const OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request',
  6: 'drarp reply', 7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak',
  11: 'mars request', 12: 'mars multi', 13: 'mars mserv', 14: 'mars join', 15: 'mars leave', 16: 'mars nak',
  17: 'mars unserv', 18: 'mars sjoin', 19: 'mars sleave', 20: 'mars grouplist request',
  21: 'mars grouplist reply', 22: 'mars redirect map', 23: 'mapos unarp', 24: 'experimental 1',
  25: 'experimental 2', 65535: 'reserved',
};

const isEtherHw = (d: ArpD) => (d.hrd === 1 || d.hrd === 6) && d.hln === 6;
const isIPv4Pro = (d: ArpD) => (d.pro === 0x0800 || d.pro === 0xcc) && d.pln === 4;

function hwText(l: Layer<ArpD>, at: number): string {
  return isEtherHw(l.d) ? fmtMAC(l.buf, at) : fmtBytesHex(l.buf, at, at + l.d.hln);
}
function proText(l: Layer<ArpD>, at: number): string {
  return isIPv4Pro(l.d) ? fmtIPv4(l.buf, at) : fmtBytesHex(l.buf, at, at + l.d.pln);
}

/** Offsets of sha, spa, tha, tpa. */
function offsets(l: Layer<ArpD>): [number, number, number, number] {
  const sha = l.start + 8;
  const spa = sha + l.d.hln;
  const tha = spa + l.d.pln;
  return [sha, spa, tha, tha + l.d.hln];
}

function bytesEqual(b: Uint8Array, a1: number, a2: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[a1 + i] !== b[a2 + i]) return false;
  return true;
}
function allZero(b: Uint8Array, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return false;
  return true;
}

/** Gratuitous (spa == tpa in a request or reply), announcement, probe, as Wireshark decides. */
function kind(l: Layer<ArpD>): { gratuitous: boolean; announcement: boolean; probe: boolean } {
  const d = l.d;
  const r = { gratuitous: false, announcement: false, probe: false };
  if (!d.full || (d.op !== 1 && d.op !== 2)) return r;
  const [, spa, tha, tpa] = offsets(l);
  // Wireshark compares 6 bytes of tha whatever hlen is; compare what the packet has.
  const thaZero = allZero(l.buf, tha, Math.min(6, d.hln));
  if (bytesEqual(l.buf, spa, tpa, d.pln)) {
    r.gratuitous = true;
    r.announcement = d.op === 1 && thaZero;
  } else {
    r.probe = d.op === 1 && thaZero && allZero(l.buf, spa, Math.min(4, d.pln));
  }
  return r;
}

export const arp: Dissector<ArpD> = {
  proto: 'arp',
  name: 'Address Resolution Protocol',
  fieldKeys: [
    'arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size', 'arp.opcode', 'arp.isgratuitous',
    'arp.isprobe', 'arp.isannouncement', 'arp.src.hw_mac', 'arp.src.hw', 'arp.src.proto_ipv4', 'arp.src.proto',
    'arp.dst.hw_mac', 'arp.dst.hw', 'arp.dst.proto_ipv4', 'arp.dst.proto',
  ],
  registers: [
    { table: 'ethertype', key: 0x0806 },
    { table: 'ethertype', key: 0x8035 },
  ],
  dissect(buf, start, end, ctx) {
    const d: ArpD = { ok: false, hrd: 0, pro: 0, hln: 0, pln: 0, op: 0, full: false };
    const l = new Layer<ArpD>(arp, buf, start, end, d);
    if (end - start < 8) {
      l.short('ARP header', start, 8, ctx.snapCut(buf, start + 8));
      return l;
    }
    d.ok = true;
    d.hrd = u16(buf, start);
    d.pro = u16(buf, start + 2);
    d.hln = buf[start + 4];
    d.pln = buf[start + 5];
    d.op = u16(buf, start + 6);
    const tot = 8 + 2 * d.hln + 2 * d.pln;
    if (end - start < tot) {
      l.short('ARP addresses', start + 8, tot, ctx.snapCut(buf, start + tot));
    } else {
      d.full = true;
      l.end = start + tot; // the rest of the frame is the link layer's padding / trailer
    }
    return l;
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const out: Field[] = [];
    let f = fUint('arp.hw.type', 'Hardware type', d.hrd, s, 2);
    f.text = `Hardware type: ${hwTypeText(d.hrd)}`;
    out.push(f);
    f = fHex('arp.proto.type', 'Protocol type', d.pro, s + 2, 2);
    f.text = `Protocol type: ${etypeText(d.pro)}`;
    out.push(f);
    out.push(fUint('arp.hw.size', 'Hardware size', d.hln, s + 4, 1));
    out.push(fUint('arp.proto.size', 'Protocol size', d.pln, s + 5, 1));
    f = fUint('arp.opcode', 'Opcode', d.op, s + 6, 2);
    f.text = `Opcode: ${OPCODES[d.op] ?? 'Unknown'} (${d.op})`;
    out.push(f);
    const k = kind(l);
    if (k.gratuitous) out.push(textBool(gen(fBool('arp.isgratuitous', 'Is gratuitous', true, 0, 0))));
    if (k.probe) out.push(textBool(gen(fBool('arp.isprobe', 'Is probe', true, 0, 0))));
    if (k.announcement) out.push(textBool(gen(fBool('arp.isannouncement', 'Is announcement', true, 0, 0))));
    // Address fields, each only as far as the captured bytes go.
    const [sha, spa, tha, tpa] = offsets(l);
    const hw = (key: string, label: string, at: number) => {
      if (d.hln === 0 || at + d.hln > l.end) return;
      if (isEtherHw(d)) out.push(fMAC(`${key}_mac`, `${label} MAC address`, l.buf, at));
      else out.push(fBytes(key, `${label} hardware address`, l.buf, at, at + d.hln));
    };
    const pro = (key: string, label: string, at: number) => {
      if (d.pln === 0 || at + d.pln > l.end) return;
      if (isIPv4Pro(d)) out.push(fIPv4(`${key}_ipv4`, `${label} IP address`, l.buf, at));
      else out.push(fBytes(key, `${label} protocol address`, l.buf, at, at + d.pln));
    };
    hw('arp.src.hw', 'Sender', sha);
    pro('arp.src.proto', 'Sender', spa);
    hw('arp.dst.hw', 'Target', tha);
    pro('arp.dst.proto', 'Target', tpa);
    return out;
  },
  title(l) {
    const d = l.d;
    if (!d.ok) return 'Address Resolution Protocol';
    const op = OPCODES[d.op];
    if (op === undefined) return `Address Resolution Protocol (opcode 0x${d.op.toString(16).padStart(4, '0')})`;
    const k = kind(l);
    if (k.gratuitous && d.op === 1) return 'Address Resolution Protocol (request/gratuitous ARP)';
    if (k.gratuitous && d.op === 2) return 'Address Resolution Protocol (reply/gratuitous ARP)';
    return `Address Resolution Protocol (${op})`;
  },
  column(l) {
    switch (l.d.op) {
      case 3: case 4: return 'RARP';
      case 5: case 6: case 7: return 'DRARP';
      case 8: case 9: return 'Inverse ARP';
      case 23: return 'MAPOS';
      default: return l.d.op >= 11 && l.d.op <= 22 ? 'MARS' : 'ARP';
    }
  },
  info(l) {
    const d = l.d;
    if (!d.ok || !d.full) return null;
    const [sha, spa, tha, tpa] = offsets(l);
    const k = kind(l);
    switch (d.op) {
      case 1:
        if (k.gratuitous) return k.announcement ? `ARP Announcement for ${proText(l, tpa)}` : `Gratuitous ARP for ${proText(l, tpa)} (Request)`;
        if (k.probe) return `Who has ${proText(l, tpa)}? (ARP Probe)`;
        return `Who has ${proText(l, tpa)}? Tell ${proText(l, spa)}`;
      case 2:
        if (k.gratuitous) return `Gratuitous ARP for ${proText(l, spa)} (Reply)`;
        return `${proText(l, spa)} is at ${hwText(l, sha)}`;
      case 3: case 5: case 8:
        return `Who is ${hwText(l, tha)}? Tell ${hwText(l, sha)}`;
      case 4: case 6:
        return `${hwText(l, tha)} is at ${proText(l, tpa)}`;
      case 7:
        return 'DRARP Error';
      case 9:
        return `${hwText(l, sha)} is at ${proText(l, spa)}`;
      case 10:
        return 'ARP NAK';
      case 0: case 65535:
        return `Reserved opcode ${d.op}`;
      case 24: case 25:
        return `Experimental ${d.op - 23} ( opcode ${d.op} )`;
      default: {
        const m = MARS_INFO[d.op];
        if (m !== undefined) return `${m} from ${hwText(l, sha)} at ${proText(l, spa)}`;
        return `Unknown ARP opcode 0x${d.op.toString(16).padStart(4, '0')}`;
      }
    }
  },
};

/** tshark's Info for the MARS (RFC 2022) and MAPOS (RFC 2176) opcodes, followed by "from SHA at SPA". */
const MARS_INFO: Record<number, string> = {
  11: 'MARS request', 12: 'MARS MULTI request', 13: 'MARS MSERV request', 14: 'MARS JOIN request',
  15: 'MARS LEAVE', 16: 'MARS NAK', 17: 'MARS UNSERV request', 18: 'MARS SJOIN request', 19: 'MARS SLEAVE',
  20: 'MARS grouplist request', 21: 'MARS grouplist reply', 22: 'MARS redirect map', 23: 'MAPOS UNARP request',
};

/** tshark's tree text for a set generated boolean: "[Is gratuitous: True]" (brackets by the tree). */
function textBool(f: Field): Field {
  f.text = `${f.label}: True`;
  return f;
}
