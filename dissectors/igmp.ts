// IGMP (ip.proto 2): version 1 (RFC 1112), 2 (RFC 2236) and 3 (RFC 3376) queries and reports and
// the v2 leave, with tshark's version rules (a query of 12 bytes or more is v3; an 8-byte query with
// a max response time is v2, else v1), its Protocol column (IGMPv1/v2/v3) and Info ("Membership
// Query, general", "Membership Report group 224.0.0.251", "Leave Group 239.1.2.3", "Membership
// Report / Join group 239.255.255.250 for any sources"). Other types (DVMRP, PIM v1, multicast
// traceroute) are named by type only.

import { finish, onesSum } from '../src/dissect/checksum.js';
import { checksumFields, fBits, fBool, fBytes, fHex, fIPv4, fmtIPv4, fText, fUint, gen, hexN, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface IgmpD {
  type: number;
  /** 1, 2, 3; 0 for a type without a version (DVMRP, PIM, mtrace, unknown). */
  version: number;
  /** Checksum over the message: true good, false bad, null not verified (cut by the snaplen). */
  ckGood: boolean | null;
  ckCalc: number;
}

const TYPES: Record<number, string> = {
  0x11: 'Membership Query', 0x12: 'Membership Report', 0x13: 'DVMRP Protocol', 0x14: 'PIM Routing Message',
  0x16: 'Membership Report', 0x17: 'Leave Group', 0x1e: 'Traceroute Response', 0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
};
const RECORD_TYPES: Record<number, string> = {
  1: 'Mode Is Include', 2: 'Mode Is Exclude', 3: 'Change To Include Mode', 4: 'Change To Exclude Mode',
  5: 'Allow New Sources', 6: 'Block Old Sources',
};

function versionOf(type: number, buf: Uint8Array, start: number, end: number): number {
  switch (type) {
    case 0x11:
      if (end - start >= 12) return 3;
      return buf[start + 1] !== 0 ? 2 : 1;
    case 0x12:
      return 1;
    case 0x16:
    case 0x17:
      return 2;
    case 0x22:
      return 3;
    default:
      return 0;
  }
}

/** The v3 max response code in tenths of a second (RFC 3376 4.1.1: an exponent form from 128). */
function maxResp(code: number): number {
  return code & 0x80 ? ((code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3) : code;
}

/** Bytes the message has for its version (what must be captured), 0 when unknown. */
function minLen(version: number, type: number): number {
  if (version === 1 || version === 2) return 8;
  if (version === 3) return type === 0x22 ? 8 : 12;
  return 4;
}

export const igmp: Dissector<IgmpD> = {
  proto: 'igmp',
  name: 'Internet Group Management Protocol',
  fieldKeys: [
    'igmp.version', 'igmp.type', 'igmp.reserved', 'igmp.max_resp', 'igmp.max_resp.exp', 'igmp.max_resp.mant',
    'igmp.checksum', 'igmp.checksum.status', 'igmp.maddr', 'igmp.s', 'igmp.qrv', 'igmp.qqic', 'igmp.num_src',
    'igmp.saddr', 'igmp.num_grp_recs', 'igmp.record_type', 'igmp.aux_data_len', 'igmp.aux_data',
  ],
  registers: [{ table: 'ip.proto', key: 2 }],

  dissect(buf, start, end, ctx) {
    const d: IgmpD = { type: -1, version: 0, ckGood: null, ckCalc: 0 };
    const l = new Layer<IgmpD>(igmp, buf, start, end, d);
    if (end - start < 1) {
      l.short('IGMP header', start, 8, ctx.snapCut(buf, start + 8));
      return l;
    }
    d.type = buf[start];
    d.version = versionOf(d.type, buf, start, end);
    const need = minLen(d.version, d.type);
    if (end - start < need) {
      l.short(`IGMPv${d.version} message`, start, need, ctx.snapCut(buf, start + need));
      return l;
    }
    // v1 and v2 sum their 8 bytes; v3 the whole message (tshark's igmp_checksum)
    const ckEnd = d.version === 1 || d.version === 2 ? start + 8 : end;
    if (!ctx.snapCut(buf, end) && !ctx.quoted) {
      d.ckCalc = finish(onesSum(buf, start, start + 2, onesSum(buf, start + 4, ckEnd)));
      d.ckGood = d.ckCalc === u16(buf, start + 2);
      if (!d.ckGood) l.problem('checksum', `Bad IGMP checksum: ${hexN(u16(buf, start + 2), 4)}, should be ${hexN(d.ckCalc, 4)}`, start + 2, start + 4);
    }
    if (d.version === 3) {
      // the counted sources / records must be there
      const last = v3End(buf, start, end, d.type);
      if (last > end) l.short('IGMPv3 message', start, last - start, ctx.snapCut(buf, last));
      else l.end = last;
    } else if (d.version !== 0) l.end = start + 8;
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    const out: Field[] = [];
    if (d.type < 0) return out;
    const end = l.end;
    if (d.version !== 0) {
      const v = gen(fUint('igmp.version', 'IGMP Version', d.version, start, 0));
      v.text = `IGMP Version: ${d.version}`;
      out.push(v);
    }
    const tf = fHex('igmp.type', 'Type', d.type, start, 1);
    tf.text = `Type: ${TYPES[d.type] ?? 'Unknown Type'} (${hexN(d.type, 2)})`;
    out.push(tf);
    if (d.version === 0 || end - start < minLen(d.version, d.type)) return out;
    const checksum = (): void => void out.push(...checksumFields('igmp.checksum', buf, start + 2, d.ckGood, d.ckCalc));
    const code = buf[start + 1];
    if (d.version === 1) {
      out.push(fBytes('igmp.reserved', 'Reserved', buf, start + 1, start + 2));
      checksum();
      out.push(fIPv4('igmp.maddr', 'Multicast Address', buf, start + 4));
      return out;
    }
    if (d.version === 2) {
      const mr = fUint('igmp.max_resp', 'Max Resp Time', code, start + 1, 1);
      mr.text = `Max Resp Time: ${(code * 0.1).toFixed(1)} sec (${hexN(code, 2)})`;
      out.push(mr);
      checksum();
      out.push(fIPv4('igmp.maddr', 'Multicast Address', buf, start + 4));
      return out;
    }
    if (d.type === 0x11) {
      const t = maxResp(code);
      const mr = fUint('igmp.max_resp', 'Max Resp Time', t, start + 1, 1);
      mr.text = `Max Resp Time: ${(t * 0.1).toFixed(1)} sec (${hexN(code, 2)})`;
      if (code & 0x80) mr.children = [fBits('igmp.max_resp.exp', 'Exponent', (code & 0x70) >> 4, start + 1, 1, 0x70), fBits('igmp.max_resp.mant', 'Mantissa', code & 0x0f, start + 1, 1, 0x0f)];
      out.push(mr);
      checksum();
      out.push(fIPv4('igmp.maddr', 'Multicast Address', buf, start + 4));
      const sq = buf[start + 8];
      const s = fBool('igmp.s', 'S', (sq & 0x08) !== 0, start + 8, 1, 0x08);
      s.text = `.... ${sq & 0x08 ? '1' : '0'}... = S: ${sq & 0x08 ? 'Suppress router side processing' : 'Do not suppress router side processing'}`;
      const qrv = fBits('igmp.qrv', 'QRV', sq & 0x07, start + 8, 1, 0x07);
      qrv.text = `.... .${((sq & 7) >> 2) & 1}${((sq & 7) >> 1) & 1}${sq & 1} = QRV: ${sq & 7}`;
      out.push(s, qrv);
      out.push(fUint('igmp.qqic', 'QQIC', buf[start + 9], start + 9, 1));
      const n = u16(buf, start + 10);
      out.push(fUint('igmp.num_src', 'Num Src', n, start + 10, 2));
      for (let i = 0, at = start + 12; i < n && at + 4 <= end; i++, at += 4) out.push(fIPv4('igmp.saddr', 'Source Address', buf, at));
      return out;
    }
    // v3 report
    out.push(fBytes('igmp.reserved', 'Reserved', buf, start + 1, start + 2));
    checksum();
    out.push(fBytes('igmp.reserved', 'Reserved', buf, start + 4, start + 6));
    const recs = u16(buf, start + 6);
    out.push(fUint('igmp.num_grp_recs', 'Num Group Records', recs, start + 6, 2));
    let at = start + 8;
    for (let r = 0; r < recs && at + 8 <= end; r++) {
      const rt = buf[at], adl = buf[at + 1], ns = u16(buf, at + 2);
      const recEnd = Math.min(end, at + 8 + ns * 4 + adl * 4);
      const kids: Field[] = [];
      const tf2 = fUint('igmp.record_type', 'Record Type', rt, at, 1);
      tf2.text = `Record Type: ${RECORD_TYPES[rt] ?? 'Unknown'} (${rt})`;
      kids.push(tf2, fUint('igmp.aux_data_len', 'Aux Data Len', adl, at + 1, 1), fUint('igmp.num_src', 'Num Src', ns, at + 2, 2));
      kids.push(fIPv4('igmp.maddr', 'Multicast Address', buf, at + 4));
      let q = at + 8;
      for (let i = 0; i < ns && q + 4 <= recEnd; i++, q += 4) kids.push(fIPv4('igmp.saddr', 'Source Address', buf, q));
      if (adl > 0 && q < recEnd) kids.push(fBytes('igmp.aux_data', 'Aux Data', buf, q, recEnd));
      out.push(fText(`Group Record : ${fmtIPv4(buf, at + 4)}  ${RECORD_TYPES[rt] ?? ''}`, at, recEnd - at, kids));
      at = recEnd;
    }
    return out;
  },

  title: () => 'Internet Group Management Protocol',
  column: (l) => (l.d.version === 0 ? 'IGMP' : `IGMPv${l.d.version}`),
  // tshark's IGMP dissector hands each version to a sub-dissector registered as igmp again
  protocolsPart: () => 'igmp:igmp',

  info(l) {
    const { buf, start, d } = l;
    if (d.type < 0) return null;
    let s = TYPES[d.type] ?? `Unknown Type:${hexN(d.type, 2)}`;
    if (d.version === 0 || l.end - start < minLen(d.version, d.type)) return s;
    const group = (at: number) => fmtIPv4(buf, at);
    const zero = (at: number) => buf[at] === 0 && buf[at + 1] === 0 && buf[at + 2] === 0 && buf[at + 3] === 0;
    if (d.version === 1) return s;
    if (d.version === 2) {
      if (zero(start + 4)) return s + ', general';
      if (d.type === 0x17) return `${s} ${group(start + 4)}`;
      if (d.type === 0x11) return `${s}, specific for group ${group(start + 4)}`;
      return `${s} group ${group(start + 4)}`;
    }
    if (d.type === 0x11) {
      s += zero(start + 4) ? ', general' : `, specific for group ${group(start + 4)}`;
      const n = u16(buf, start + 10);
      if (n > 0) {
        const srcs: string[] = [];
        for (let i = 0, at = start + 12; i < n && at + 4 <= l.end; i++, at += 4) srcs.push(group(at));
        s += `, source${n > 1 ? 's' : ''} {${srcs.join(', ')}}`;
      }
      return s;
    }
    const recs = u16(buf, start + 6);
    if (recs === 0) return s + ' - General query';
    let at = start + 8;
    for (let r = 0; r < recs && at + 8 <= l.end; r++) {
      const rt = buf[at], adl = buf[at + 1], ns = u16(buf, at + 2);
      const g = group(at + 4);
      const srcs: string[] = [];
      for (let i = 0, q = at + 8; i < ns && q + 4 <= l.end; i++, q += 4) srcs.push(group(q));
      const list = `${srcs.join(', ')}}`;
      if (ns === 0) {
        if (rt === 1 || rt === 3) s += ` / Leave group ${g}`;
        else if (rt === 2 || rt === 4) s += ` / Join group ${g} for any sources`;
        else if (rt === 5) s += ` / Group ${g}, ALLOW_NEW_SOURCES but no source specified (?)`;
        else if (rt === 6) s += ` / Group ${g}, BLOCK_OLD_SOURCES but no source specified (?)`;
        else s += ` / Group ${g}, unknown record type (?)`;
      } else if (rt === 1 || rt === 3) s += ` / Join group ${g} for source${ns > 1 ? 's in' : ''} {${list}`;
      else if (rt === 2 || rt === 4) s += ` / Join group ${g}, for source${ns > 1 ? 's not in' : ' not'} {${list}`;
      else if (rt === 5) s += ` / Group ${g}, new source${ns > 1 ? 's' : ''} {${list}`;
      else if (rt === 6) s += ` / Group ${g}, block source${ns > 1 ? 's' : ''} {${list}`;
      else s += ` / Group ${g}, unknown record type (?), sources {${list}`;
      at += 8 + ns * 4 + adl * 4;
    }
    return s;
  },
};

/** Where an IGMPv3 message ends by its counts (may lie beyond `end` when they lie or are cut). */
function v3End(buf: Uint8Array, start: number, end: number, type: number): number {
  if (type === 0x11) return start + 12 + u16(buf, start + 10) * 4;
  let at = start + 8;
  const recs = u16(buf, start + 6);
  for (let r = 0; r < recs; r++) {
    if (at + 8 > end) return at + 8;
    at += 8 + u16(buf, at + 2) * 4 + buf[at + 1] * 4;
  }
  return at;
}
