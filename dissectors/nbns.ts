// NBNS, the NetBIOS Name Service (RFC 1002) on UDP port 137, as tshark 4.0 shows it: a DNS-like
// header with NetBIOS opcodes (query, registration, release, WACK, refresh), first-level encoded
// names ("WPAD<00>", "FILESRV<20>.corp.example"), NB records (flags, address) and NBSTAT queries.
// Info "Name query NB WPAD<00>", "Name query response NB 192.0.2.7", "Registration NB DESKTOP-1<20>".

import { fBits, fBool, fHex, fIPv4, fStr, fUint, fmtIPv4, hex2, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface Name {
  text: string;
  /** The 16th byte (the name's type), -1 when not a NetBIOS name. */
  suffix: number;
  /** Offset after the name in the message. */
  end: number;
}

interface Rec {
  name: Name;
  start: number;
  type: number;
  cls: number;
  /** Offset of TTL (-1 for a question). */
  ttlAt: number;
  dataAt: number;
  dataLen: number;
}

export interface NbnsD {
  flags: number;
  counts: [number, number, number, number];
  /** Questions, then answer, authority and additional records, as far as they parse. */
  recs: Rec[];
  /** Records per section that parsed: questions, answers, authority, additional. */
  per: [number, number, number, number];
}

const OPCODES: Record<number, string> = {
  0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (obsolete)', 15: 'Multi-homed registration',
};
const RCODES: Record<number, string> = {
  1: 'Format error', 2: 'Server failure', 3: 'Requested name does not exist', 4: 'Request is not implemented', 5: 'Request was refused',
  6: 'Name is owned by another node', 7: 'Name is in conflict',
};
const TYPES: Record<number, string> = { 1: 'A', 2: 'NS', 10: 'NULL', 32: 'NB', 33: 'NBSTAT' };
export const NAME_TYPES: Record<number, string> = {
  0x00: 'Workstation/Redirector', 0x01: 'Browser', 0x02: 'Workstation/Redirector', 0x03: 'Messenger service/Main name',
  0x05: 'Forwarded name', 0x06: 'RAS Server service', 0x1b: 'Domain Master Browser', 0x1c: 'Domain Controllers',
  0x1d: 'Local Master Browser', 0x1e: 'Browser Election Service', 0x1f: 'Net DDE Service', 0x20: 'Server service',
  0x21: 'RAS client service', 0x22: 'Exchange Interchange (MSMail Connector)', 0x23: 'Exchange Store', 0x24: 'Exchange Directory',
  0x2b: 'Lotus Notes Server service', 0x30: 'Modem sharing server service', 0x31: 'Modem sharing client service',
  0x43: 'SMS Clients Remote Control', 0x44: 'SMS Administrators Remote Control Tool', 0x45: 'SMS Clients Remote Chat',
  0x46: 'SMS Clients Remote Transfer', 0x4c: 'DEC Pathworks TCP/IP Service on Windows NT', 0x52: 'DEC Pathworks TCP/IP Service on Windows NT',
  0x6a: 'Microsoft Exchange IMC', 0x87: 'Microsoft Exchange MTA', 0xbe: 'Network Monitor Agent', 0xbf: 'Network Monitor Analyzer',
};
const ONT = ['B-node', 'P-node', 'M-node', 'Unknown'];

/** The name at `at` (one 32-byte first-level encoded label, then scope labels; a pointer ends it). */
export function readName(buf: Uint8Array, at: number, end: number, msg: number): Name | null {
  let p = at;
  let text = '';
  let suffix = -1;
  let first = true;
  let out = -1;
  for (let guard = 0; guard < 64; guard++) {
    if (p >= end) return null;
    const n = buf[p];
    if (n === 0) {
      p++;
      break;
    }
    if ((n & 0xc0) === 0xc0) {
      if (p + 2 > end) return null;
      if (out < 0) out = p + 2;
      const to = msg + (((n & 0x3f) << 8) | buf[p + 1]);
      if (to >= p) return null;
      p = to;
      continue;
    }
    if (p + 1 + n > end) return null;
    if (first && n === 32) {
      // first-level encoding: two letters 'A'-'P' per byte
      let raw = '';
      let bad = false;
      for (let i = 0; i < 16; i++) {
        const hi = buf[p + 1 + 2 * i] - 0x41, lo = buf[p + 2 + 2 * i] - 0x41;
        if (hi < 0 || hi > 15 || lo < 0 || lo > 15) bad = true;
        const c = (hi << 4) | lo;
        if (i === 15) suffix = c;
        else raw += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `<${hex2(c)}>`;
      }
      text = bad ? latin1Text(buf, p + 1, p + 1 + n) : raw.replace(/ +$/, '') + `<${hex2(suffix)}>`;
      if (bad) suffix = -1;
    } else text += (first ? '' : '.') + latin1Text(buf, p + 1, p + 1 + n);
    first = false;
    p += 1 + n;
  }
  return { text, suffix, end: out >= 0 ? out : p };
}


export const nbns: Dissector<NbnsD> = {
  proto: 'nbns',
  name: 'NetBIOS Name Service',
  fieldKeys: [
    'nbns.id', 'nbns.flags', 'nbns.flags.response', 'nbns.flags.opcode', 'nbns.flags.authoritative', 'nbns.flags.truncated',
    'nbns.flags.recdesired', 'nbns.flags.recavail', 'nbns.flags.broadcast', 'nbns.flags.rcode', 'nbns.count.queries',
    'nbns.count.answers', 'nbns.count.auth_rr', 'nbns.count.add_rr', 'nbns.name', 'nbns.type', 'nbns.class', 'nbns.ttl',
    'nbns.data_length', 'nbns.nb_flags', 'nbns.nb_flags.group', 'nbns.nb_flags.ont', 'nbns.addr',
  ],
  registers: [{ table: 'udp.port', key: 137 }],

  dissect(buf, start, end, ctx) {
    const d: NbnsD = { flags: 0, counts: [0, 0, 0, 0], recs: [], per: [0, 0, 0, 0] };
    const l = new Layer<NbnsD>(nbns, buf, start, end, d);
    if (end - start < 12) {
      l.short('NBNS header', start, 12, ctx.snapCut(buf, start + 12));
      return l;
    }
    d.flags = u16(buf, start + 2);
    d.counts = [u16(buf, start + 4), u16(buf, start + 6), u16(buf, start + 8), u16(buf, start + 10)];
    let p = start + 12;
    for (let sec = 0; sec < 4; sec++) {
      for (let i = 0; i < d.counts[sec] && i < 256; i++) {
        const name = readName(buf, p, end, start);
        if (name === null || name.end + 4 > end) {
          l.problem('malformed', 'NBNS record runs past the message', p, end);
          return l;
        }
        const r: Rec = { name, start: p, type: u16(buf, name.end), cls: u16(buf, name.end + 2), ttlAt: -1, dataAt: -1, dataLen: 0 };
        p = name.end + 4;
        if (sec > 0) {
          if (p + 6 > end) {
            l.problem('malformed', 'NBNS record runs past the message', r.start, end);
            return l;
          }
          r.ttlAt = p;
          r.dataLen = u16(buf, p + 4);
          r.dataAt = p + 6;
          p += 6 + r.dataLen;
          // tshark reads an NB record's flags and address whatever the length says
          if (p > end || (r.type === 32 && r.dataAt + 6 > end)) {
            // (tshark's exception comes before the record's lines: it shows none of it)
            l.problem('malformed', 'NBNS record data runs past the message', r.start, end);
            return l;
          }
        }
        d.recs.push(r);
        d.per[sec]++;
      }
    }
    return l;
  },

  fields(l) {
    const b = l.buf, s = l.start, d = l.d;
    const out: Field[] = [];
    if (l.end - s < 12) return out;
    out.push(fHex('nbns.id', 'Transaction ID', u16(b, s), s, 2));
    const fl = d.flags;
    const resp = (fl & 0x8000) !== 0;
    const f = fHex('nbns.flags', 'Flags', fl, s + 2, 2);
    const kids: Field[] = [fBool('nbns.flags.response', 'Response', resp, s + 2, 2, 0x8000)];
    const op = fBits('nbns.flags.opcode', 'Opcode', (fl >> 11) & 15, s + 2, 2, 0x7800);
    op.text = `Opcode: ${OPCODES[(fl >> 11) & 15] ?? 'Unknown operation'} (${(fl >> 11) & 15})`;
    kids.push(op);
    if (resp) kids.push(fBool('nbns.flags.authoritative', 'Authoritative', (fl & 0x400) !== 0, s + 2, 2, 0x400));
    kids.push(fBool('nbns.flags.truncated', 'Truncated', (fl & 0x200) !== 0, s + 2, 2, 0x200));
    kids.push(fBool('nbns.flags.recdesired', 'Recursion desired', (fl & 0x100) !== 0, s + 2, 2, 0x100));
    if (resp) kids.push(fBool('nbns.flags.recavail', 'Recursion available', (fl & 0x80) !== 0, s + 2, 2, 0x80));
    kids.push(fBool('nbns.flags.broadcast', 'Broadcast', (fl & 0x10) !== 0, s + 2, 2, 0x10));
    if (resp) kids.push(fBits('nbns.flags.rcode', 'Reply code', fl & 15, s + 2, 2, 0x0f));
    f.children = kids;
    out.push(f);
    const ck = ['nbns.count.queries', 'nbns.count.answers', 'nbns.count.auth_rr', 'nbns.count.add_rr'];
    const cl = ['Questions', 'Answer RRs', 'Authority RRs', 'Additional RRs'];
    for (let i = 0; i < 4; i++) out.push(fUint(ck[i], cl[i], d.counts[i], s + 4 + 2 * i, 2));
    let k = 0;
    for (let sec = 0; sec < 4; sec++) {
      for (let i = 0; i < d.per[sec]; i++, k++) {
        const r = d.recs[k];
        const nameShow = sec > 0 && r.name.suffix >= 0 ? `${r.name.text} (${NAME_TYPES[r.name.suffix] ?? 'Unknown'})` : r.name.text;
        const rf: Field[] = [fStr('nbns.name', 'Name', nameShow, r.start, r.name.end - r.start)];
        const tf = fUint('nbns.type', 'Type', r.type, r.name.end, 2);
        tf.text = `Type: ${TYPES[r.type] ?? 'Unknown'} (${r.type})`;
        rf.push(tf, fUint('nbns.class', 'Class', r.cls, r.name.end + 2, 2));
        if (r.ttlAt >= 0) {
          rf.push(fUint('nbns.ttl', 'Time to live', u32(b, r.ttlAt), r.ttlAt, 4), fUint('nbns.data_length', 'Data length', r.dataLen, r.ttlAt + 4, 2));
          if (r.type === 32) {
            for (let q = r.dataAt; q + 6 <= Math.max(r.dataAt + 6, r.dataAt + r.dataLen) && q + 6 <= l.end; q += 6) {
              const nf = u16(b, q);
              const x = fHex('nbns.nb_flags', 'Name flags', nf, q, 2);
              x.text = `Name flags: ${x.show}, ONT: ${ONT[(nf >> 13) & 3]} (${nf & 0x8000 ? 'group' : 'unique'})`;
              x.children = [fBool('nbns.nb_flags.group', 'Name type', (nf & 0x8000) !== 0, q, 2, 0x8000), fBits('nbns.nb_flags.ont', 'ONT', (nf >> 13) & 3, q, 2, 0x6000)];
              rf.push(x, fIPv4('nbns.addr', 'Addr', b, q + 2));
            }
          }
        }
        out.push(...rf);
      }
    }
    return out;
  },

  info(l) {
    const d = l.d;
    if (l.end - l.start < 12) return 'NBNS';
    const resp = (d.flags & 0x8000) !== 0;
    let t = OPCODES[(d.flags >> 11) & 15] ?? 'Unknown operation';
    if (resp) {
      t += ' response';
      const rc = d.flags & 15;
      if (rc !== 0) t += `, ${RCODES[rc] ?? 'Unknown error'}`;
    }
    let k = 0;
    for (let sec = 0; sec < 4; sec++) {
      for (let i = 0; i < d.per[sec]; i++, k++) {
        const r = d.recs[k];
        const ty = TYPES[r.type] ?? `Unknown (${r.type})`;
        if (sec === 0 && !resp) t += ` ${ty} ${r.name.text}`;
        else if (sec === 1 && resp && (d.flags & 15) === 0) {
          if (r.type === 32 && r.dataAt + 6 <= l.end) {
            t += ` ${ty} ${fmtIPv4(l.buf, r.dataAt + 2)}`;
          } else t += ` ${ty}`;
        }
      }
    }
    return t;
  },
};
