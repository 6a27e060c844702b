// Internet Protocol version 4 (RFC 791), with options and fragment reassembly.
// Registered on ethertype 0x0800. layer.d is IpD (+ IPv4 extras); next: ip.proto table.

import { finish, onesSum } from '../src/dissect/checksum.js';
import type { IpD } from '../src/dissect/decoded.js';
import {
  fBool, fBits, fBytes, fHex, fIPv4, fStr, fText, fUint, fmtIPv4, gen, hexN, u16, u32, hide
} from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import { fragmentTree, Reassembler, type Reassembled } from '../src/dissect/reassembly.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { ipProtoName } from './ipproto.js';

export interface Ipv4D extends IpD {
  version: 4;
  /** Header length in bytes (IHL*4); 0 when the first byte is missing. */
  hdrLen: number;
  id: number;
  /** The 3 flag bits: rb 4, df 2, mf 1. */
  flags: number;
  /** Fragment offset in 8-byte units (ip.frag_offset). */
  fragOff: number;
  /** Checksum verification: true good, false bad, null not checked (header not all there). */
  ckGood: boolean | null;
  ckCalc: number;
  /** Header fields decoded (false when the header is short or bogus). */
  ok: boolean;
  /** Set on the frame that completed a datagram. */
  reasm: Reassembled | null;
  /** Offset of the header's destination address when a source route replaced ip.dst (ip.cur_rt); -1 otherwise. */
  curRtAt: number;
}

export const REASSEMBLY_SLOT = 'ipv4.frag';

const OPT_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)', 1: 'No-Operation (NOP)', 7: 'Record Route', 68: 'Time Stamp',
  131: 'Loose Source Route', 137: 'Strict Source Route', 148: 'Router Alert', 134: 'Commercial Security',
  130: 'Security', 136: 'Stream ID', 82: 'Traceroute', 25: 'Quick-Start', 133: 'Extended Security',
};
const OPT_KEYS: Record<number, string> = {
  0: 'ip.options.eol', 1: 'ip.options.nop', 7: 'ip.options.record_route', 68: 'ip.options.timestamp',
  131: 'ip.options.route', 137: 'ip.options.source_route', 148: 'ip.options.routeralert',
  134: 'ip.options.cipso',
};

interface OptOut {
  /** Offset of the final destination from a source route option, or -1. */
  finalDst: number;
  fields: Field[] | null;
  problems: [string, number, number][];
  /** tshark's "Options: (N bytes), Name" summary name of the last option before EOL padding. */
  summary: string;
}

function optTypeFields(buf: Uint8Array, at: number): Field {
  const t = buf[at];
  const f = fUint('ip.opt.type', 'Type', t, at, 1);
  f.children = [
    fBool('ip.opt.type.copy', 'Copy on fragmentation', (t & 0x80) !== 0, at, 1, 0x80),
    fBits('ip.opt.type.class', 'Class', (t >> 5) & 3, at, 1, 0x60),
    fBits('ip.opt.type.number', 'Number', t & 0x1f, at, 1, 0x1f),
  ];
  f.children[0].show = (t & 0x80) ? '1' : '0';
  return f;
}

/** Walk the options in [at, end). With `build`, make the field list too. */
function parseOptions(buf: Uint8Array, at: number, end: number, build: boolean): OptOut {
  const out: OptOut = { finalDst: -1, fields: build ? [] : null, problems: [], summary: '' };
  let p = at;
  let guard = 0;
  while (p < end && guard++ < 64) {
    const t = buf[p];
    if (t === 0 || t === 1) {
      if (build) {
        const name = OPT_NAMES[t];
        const f = fBytes(OPT_KEYS[t], 'IP Option - ' + name, buf, p, p + 1);
        f.text = 'IP Option - ' + name;
        f.children = [optTypeFields(buf, p)];
        out.fields!.push(f);
      }
      if (t === 1 && out.summary === '') out.summary = OPT_NAMES[1];
      p += 1;
      if (t === 0) {
        if (out.summary === '') out.summary = OPT_NAMES[0];
        break; // EOL: the rest is padding
      }
      continue;
    }
    if (p + 1 >= end) {
      out.problems.push([`IPv4 option ${t}: length byte missing`, p, end]);
      break;
    }
    const len = buf[p + 1];
    if (len < 2 || p + len > end) {
      out.problems.push([`IPv4 option ${t}: length ${len} ${len < 2 ? 'is less than 2' : 'runs past the end of the header'}`, p + 1, p + 2]);
      if (build) {
        const f = fBytes(OPT_KEYS[t] ?? 'ip.opt.unknown', 'IP Option - ' + (OPT_NAMES[t] ?? 'Unknown') + ' (bad length)', buf, p, end);
        f.children = [optTypeFields(buf, p), fUint('ip.opt.len', 'Length', len, p + 1, 1)];
        out.fields!.push(f);
      }
      break;
    }
    const name = OPT_NAMES[t] ?? `Unknown (0x${t.toString(16).padStart(2, '0')})`;
    out.summary = name;
    const oEnd = p + len;
    let kids: Field[] | null = build ? [optTypeFields(buf, p), fUint('ip.opt.len', 'Length', len, p + 1, 1)] : null;
    if (t === 7 || t === 131 || t === 137) {
      // route options: pointer, then addresses
      if (len < 3) {
        out.problems.push([`IPv4 option ${name}: length ${len} too short`, p + 1, p + 2]);
      } else {
        const ptr = buf[p + 2];
        kids?.push(fUint('ip.opt.ptr', 'Pointer', ptr, p + 2, 1));
        if ((len - 3) % 4 !== 0) out.problems.push([`IPv4 option ${name}: length ${len} is not 3 + a multiple of 4`, p + 1, p + 2]);
        const n = Math.floor((len - 3) / 4);
        for (let i = 0; i < n; i++) {
          const a = p + 3 + 4 * i;
          if (t !== 7 && i === n - 1) {
            out.finalDst = a;
            if (kids) kids.push(fIPv4('ip.dst', 'Destination Address', buf, a));
            continue;
          }
          if (!kids) continue;
          if (t === 7) {
            const recorded = a - p + 1 < ptr;
            const f = fIPv4(recorded ? 'ip.rec_rt' : 'ip.empty_rt', recorded ? 'Recorded Route' : 'Empty Route', buf, a);
            if (a - p + 1 === ptr) f.text = `Empty Route: ${f.show} <- (next)`;
            kids.push(f);
          } else {
            kids.push(fIPv4('ip.src_rt', 'Source Route', buf, a));
          }
        }
      }
    } else if (t === 68) {
      if (len < 4) out.problems.push([`IPv4 option Time Stamp: length ${len} too short`, p + 1, p + 2]);
      else if (kids) {
        const ptr = buf[p + 2];
        const of = buf[p + 3];
        kids.push(fUint('ip.opt.ptr', 'Pointer', ptr, p + 2, 1));
        kids.push(fBits('ip.opt.overflow', 'Overflow', of >> 4, p + 3, 1, 0xf0));
        const flag = of & 15;
        const fl = fHex('ip.opt.flag', 'Flag', flag, p + 3, 1);
        fl.mask = 0x0f;
        kids.push(fl);
        const withAddr = flag === 1 || flag === 3;
        const step = withAddr ? 8 : 4;
        for (let q = p + 4; q + step <= oEnd; q += step) {
          if (withAddr) {
            kids.push(fIPv4('ip.opt.time_stamp_addr', 'Address', buf, q));
            kids.push(fUint('ip.opt.time_stamp', 'Time stamp', u32(buf, q + 4), q + 4, 4));
          } else kids.push(fUint('ip.opt.time_stamp', 'Time stamp', u32(buf, q), q, 4));
        }
      }
    } else if (t === 148) {
      if (len !== 4) out.problems.push([`IPv4 option Router Alert: length ${len}, must be 4`, p + 1, p + 2]);
      else if (kids) kids.push(fUint('ip.opt.ra', 'Router Alert', u16(buf, p + 2), p + 2, 2));
    } else if (t === 134) {
      if (len < 6) out.problems.push([`IPv4 option CIPSO: length ${len} too short`, p + 1, p + 2]);
      else if (kids) {
        kids.push(fUint('ip.cipso.doi', 'DOI', u32(buf, p + 2), p + 2, 4));
        let q = p + 6;
        let g = 0;
        while (q + 2 <= oEnd && g++ < 16) {
          const tt = buf[q];
          const tl = buf[q + 1];
          if (tl < 2 || q + tl > oEnd) {
            out.problems.push([`CIPSO tag ${tt}: length ${tl} runs past the option`, q + 1, q + 2]);
            break;
          }
          kids.push(fUint('ip.cipso.tag_type', 'Tag Type', tt, q, 1));
          if ((tt === 1 || tt === 2 || tt === 5) && tl >= 4) {
            kids.push(fUint('ip.cipso.sensitivity_level', 'Sensitivity Level', buf[q + 3], q + 3, 1));
            const cats: number[] = [];
            if (tt === 1) {
              for (let i = q + 4; i < q + tl; i++) for (let b = 0; b < 8; b++) if (buf[i] & (0x80 >> b)) cats.push((i - q - 4) * 8 + b);
            } else if (tt === 2) {
              for (let i = q + 4; i + 2 <= q + tl; i += 2) cats.push(u16(buf, i));
            } else {
              for (let i = q + 4; i + 4 <= q + tl; i += 4) cats.push(u16(buf, i + 2), u16(buf, i));
            }
            if (q + tl > q + 4) kids.push(fStr('ip.cipso.categories', 'Categories', cats.join(','), q + 4, tl - 4));
          }
          q += tl;
        }
      }
    }
    if (build) {
      const key = OPT_KEYS[t] ?? 'ip.opt.unknown';
      const f = fBytes(key, `IP Option - ${name} (${len} bytes)`, buf, p, oEnd);
      f.text = `IP Option - ${name} (${len} bytes)`;
      f.children = kids!;
      out.fields!.push(f);
    }
    p = oEnd;
  }
  return out;
}

function emptyD(): Ipv4D {
  return {
    version: 4, src: '', dst: '', proto: -1, ttl: 0, totalLen: 0, fragment: false, srcAt: -1, dstAt: -1,
    hdrLen: 0, id: 0, flags: 0, fragOff: 0, ckGood: null, ckCalc: 0, ok: false, reasm: null, curRtAt: -1,
  };
}

export const ipv4: Dissector<Ipv4D> = {
  proto: 'ip',
  name: 'Internet Protocol Version 4',
  fieldKeys: [
    'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.dsfield.dscp', 'ip.dsfield.ecn', 'ip.len', 'ip.id', 'ip.flags',
    'ip.flags.rb', 'ip.flags.df', 'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum',
    'ip.checksum.status', 'ip.checksum_calculated', 'ip.src', 'ip.dst', 'ip.addr', 'ip.src_host', 'ip.dst_host',
    'ip.host', 'ip.cur_rt', 'ip.opt.type', 'ip.opt.type.copy', 'ip.opt.type.class', 'ip.opt.type.number',
    'ip.opt.len', 'ip.opt.ptr', 'ip.opt.overflow', 'ip.opt.flag', 'ip.opt.time_stamp', 'ip.opt.time_stamp_addr',
    'ip.opt.ra', 'ip.rec_rt', 'ip.empty_rt', 'ip.src_rt', 'ip.cipso.doi', 'ip.cipso.tag_type',
    'ip.cipso.sensitivity_level', 'ip.cipso.categories', 'ip.options.eol', 'ip.options.nop',
    'ip.options.record_route', 'ip.options.timestamp', 'ip.options.route', 'ip.options.source_route',
    'ip.options.routeralert', 'ip.options.cipso', 'ip.opt.unknown', 'ip.fragments', 'ip.fragment',
    'ip.fragment.overlap', 'ip.fragment.overlap.conflict', 'ip.fragment.toolongfragment', 'ip.fragment.count',
    'ip.reassembled.length', 'ip.reassembled.data',
  ],
  registers: [{ table: 'ethertype', key: 0x0800 }, { table: 'ip.proto', key: 4 }, { table: 'gre.proto', key: 0x0800 }, { table: 'ppp.protocol', key: 0x0021 }],

  dissect(buf, start, end, ctx) {
    const d = emptyD();
    const l = new Layer<Ipv4D>(ipv4, buf, start, end, d);
    if (end - start < 1) {
      l.short('IPv4 header', start, 20, ctx.snapCut(buf, start + 20));
      return l;
    }
    const ihl = (buf[start] & 15) * 4;
    d.hdrLen = ihl;
    if ((buf[start] >> 4) !== 4) {
      l.problem('malformed', `Bogus IP version (${buf[start] >> 4}, must be 4)`, start, start + 1);
    }
    if (ihl < 20) {
      l.problem('malformed', `Bogus IP header length (${ihl}, must be at least 20)`, start, start + 1);
      return l;
    }
    if (end - start < ihl) {
      l.short('IPv4 header', start, ihl, ctx.snapCut(buf, start + ihl));
      return l;
    }
    d.ok = true;
    const totalLen = u16(buf, start + 2);
    d.totalLen = totalLen;
    d.id = u16(buf, start + 4);
    const ff = u16(buf, start + 6);
    d.flags = ff >> 13;
    d.fragOff = ff & 0x1fff;
    d.ttl = buf[start + 8];
    d.proto = buf[start + 9];
    d.srcAt = start + 12;
    d.dstAt = start + 16;
    d.src = fmtIPv4(buf, start + 12);
    const calc = finish(onesSum(buf, start, start + 10, onesSum(buf, start + 12, start + ihl)));
    d.ckCalc = calc;
    d.ckGood = calc === u16(buf, start + 10);
    if (ihl > 20) {
      const o = parseOptions(buf, start + 20, start + ihl, false);
      for (const [m, s, e] of o.problems) l.problem('malformed', m, s, e);
      if (o.finalDst >= 0) {
        d.curRtAt = start + 16;
        d.dstAt = o.finalDst;
      }
    }
    d.dst = fmtIPv4(buf, d.dstAt);
    if (!d.ckGood) l.problem('checksum', `Bad IPv4 header checksum: 0x${hexN(u16(buf, start + 10), 4).slice(2)}, should be ${hexN(calc, 4)}`, start + 10, start + 12);

    let payEnd: number;
    if (totalLen === 0) {
      payEnd = end; // TSO: the NIC fills in the length later; use what was captured
    } else if (totalLen < ihl) {
      l.problem('malformed', `Bogus IP length (${totalLen}, less than header length ${ihl})`, start + 2, start + 4);
      return l;
    } else if (start + totalLen > end) {
      if (ctx.quoted) {
        // quoted inside an ICMP error: only the start of the datagram is there, by design
      } else if (ctx.snapCut(buf, start + totalLen)) {
        l.problem('truncated', `IPv4 payload cut by snaplen: ${end - start} of ${totalLen} bytes captured`, end, end);
      } else {
        l.problem('malformed', `IPv4 total length exceeds packet length (${end - start} bytes)`, start + 2, start + 4);
      }
      payEnd = end;
    } else {
      payEnd = start + totalLen;
      l.end = payEnd;
    }
    const hdrEnd = start + ihl;
    const isFrag = (d.flags & 1) !== 0 || d.fragOff !== 0;
    if (!isFrag) {
      l.next = { table: 'ip.proto', key: d.proto, start: hdrEnd, end: payEnd };
      return l;
    }
    d.fragment = true;
    // Only complete fragments can be reassembled.
    if (totalLen !== 0 && start + totalLen <= end) {
      const r = Reassembler.get(ctx.state, REASSEMBLY_SLOT);
      const key = `${u32(buf, start + 12)}>${u32(buf, start + 16)}/${d.proto}/${d.id}`;
      const res = r.add(key, ctx.state.now, ctx.frame.index, d.fragOff * 8, buf.subarray(hdrEnd, payEnd), (d.flags & 1) !== 0);
      if (res.problems) for (const m of res.problems) l.problem('unsupported', m, start, hdrEnd);
      if (res.done) {
        d.reasm = res.done;
        d.fragment = false;
        l.next = { table: 'ip.proto', key: d.proto, buf: res.done.buf, bufName: 'Reassembled IPv4', start: 0, end: res.done.buf.length };
        return l;
      }
    }
    l.next = { table: 'data', key: 0, start: hdrEnd, end: payEnd };
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    const out: Field[] = [];
    if (l.end - start < 1) return out;
    const b0 = buf[start];
    out.push({ ...fBits('ip.version', 'Version', b0 >> 4, start, 1, 0xf0) });
    const hl = fUint('ip.hdr_len', 'Header Length', d.hdrLen, start, 1);
    hl.mask = 0x0f;
    hl.text = `Header Length: ${d.hdrLen} bytes (${b0 & 15})`;
    out.push(hl);
    if (d.hdrLen < 20) return out;
    const have = l.end; // a short header shows what is there
    const lim = Math.min(have, start + d.hdrLen);
    if (start + 2 <= lim) {
      const ds = buf[start + 1];
      const f = fHex('ip.dsfield', 'Differentiated Services Field', ds, start + 1, 1);
      f.children = [fBits('ip.dsfield.dscp', 'Differentiated Services Codepoint', ds >> 2, start + 1, 1, 0xfc),
        fBits('ip.dsfield.ecn', 'Explicit Congestion Notification', ds & 3, start + 1, 1, 0x03)];
      out.push(f);
    }
    if (start + 4 <= lim) out.push(fUint('ip.len', 'Total Length', u16(buf, start + 2), start + 2, 2));
    if (start + 6 <= lim) {
      const id = u16(buf, start + 4);
      const f = fHex('ip.id', 'Identification', id, start + 4, 2);
      f.text = `Identification: ${f.show} (${id})`;
      out.push(f);
    }
    if (start + 8 <= lim) {
      const ff = u16(buf, start + 6);
      const fl = ff >> 13;
      const f = fHex('ip.flags', 'Flags', fl, start + 6, 1, 2);
      f.mask = 0xe0;
      f.children = [fBool('ip.flags.rb', 'Reserved bit', (fl & 4) !== 0, start + 6, 1, 0x80),
        fBool('ip.flags.df', "Don't fragment", (fl & 2) !== 0, start + 6, 1, 0x40),
        fBool('ip.flags.mf', 'More fragments', (fl & 1) !== 0, start + 6, 1, 0x20)];
      out.push(f);
      out.push(fBits('ip.frag_offset', 'Fragment Offset', ff & 0x1fff, start + 6, 2, 0x1fff));
    }
    if (start + 9 <= lim) out.push(fUint('ip.ttl', 'Time to Live', buf[start + 8], start + 8, 1));
    if (start + 10 <= lim) {
      const p = buf[start + 9];
      const f = fUint('ip.proto', 'Protocol', p, start + 9, 1);
      f.text = `Protocol: ${ipProtoName(p)} (${p})`;
      out.push(f);
    }
    if (start + 12 <= lim) {
      const ck = u16(buf, start + 10);
      const f = fHex('ip.checksum', 'Header Checksum', ck, start + 10, 2);
      if (d.ckGood !== null) f.text = `Header Checksum: ${f.show} [${d.ckGood ? 'correct' : 'incorrect, should be ' + hexN(d.ckCalc, 4)}]`;
      out.push(f);
      const st = d.ckGood === null ? 2 : d.ckGood ? 1 : 0;
      const s = gen(fUint('ip.checksum.status', 'Header checksum status', st, start + 10, 0));
      s.text = `Header checksum status: ${['Bad', 'Good', 'Unverified'][st]}`;
      out.push(s);
      if (d.ckGood !== null) out.push(gen(fHex('ip.checksum_calculated', 'Calculated Checksum', d.ckCalc, start + 10, 0, 4)));
    }
    if (start + 16 <= lim) {
      out.push(fIPv4('ip.src', 'Source Address', buf, start + 12));
      out.push(hide(gen(fIPv4('ip.addr', 'Source or Destination Address', buf, start + 12))));
      out.push(hide(gen(fIPv4('ip.src_host', 'Source Host', buf, start + 12))));
      out.push(hide(gen(fIPv4('ip.host', 'Source or Destination Host', buf, start + 12))));
    }
    if (start + 20 <= lim) {
      if (d.curRtAt >= 0) {
        out.push(fIPv4('ip.cur_rt', 'Current Route', buf, start + 16));
      } else {
        out.push(fIPv4('ip.dst', 'Destination Address', buf, start + 16));
      }
      out.push(hide(gen(fIPv4('ip.addr', 'Source or Destination Address', buf, d.dstAt))));
      out.push(hide(gen(fIPv4('ip.dst_host', 'Destination Host', buf, d.dstAt))));
      out.push(hide(gen(fIPv4('ip.host', 'Source or Destination Host', buf, d.dstAt))));
    }
    if (d.ok && d.hdrLen > 20) {
      const o = parseOptions(buf, start + 20, start + d.hdrLen, true);
      out.push(fText(`Options: (${d.hdrLen - 20} bytes)${o.summary ? ', ' + o.summary : ''}`, start + 20, d.hdrLen - 20, o.fields!));
    }
    if (d.reasm) out.push(fragmentTree('ip', 'IPv4', d.reasm));
    return out;
  },

  fieldShow(l, key) {
    const d = l.d;
    // only the plain case: a whole 20-byte header (options may carry addresses of their own)
    if (!d.ok || d.hdrLen !== 20 || l.end < l.start + 20 || d.curRtAt >= 0 || d.reasm !== null) return undefined;
    if (key === 'ip.src') return d.src;
    if (key === 'ip.dst') return d.dst;
    return undefined;
  },
  title(l) {
    const d = l.d;
    if (!d.src || !d.dst) return 'Internet Protocol Version 4';
    return `Internet Protocol Version 4, Src: ${d.src}, Dst: ${d.dst}`;
  },
  addresses(l) {
    return l.d.src && l.d.dst ? [l.d.src, l.d.dst] : null;
  },
  column: () => 'IPv4',
  info(l) {
    const d = l.d;
    if (d.hdrLen > 0 && d.hdrLen < 20) return `Bogus IP header length (${d.hdrLen}, must be at least 20)`;
    // tshark clears the column before it reads the header: a header cut short leaves it empty
    if (!d.ok) return '';
    if (!d.fragment) return null;
    return `Fragmented IP protocol (proto=${ipProtoName(d.proto)} ${d.proto}, off=${d.fragOff * 8}, ID=${hexN(d.id, 4).slice(2)})`;
  },
};
