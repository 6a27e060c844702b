// RIP (UDP 520): RIPv1 (RFC 1058) and RIPv2 (RFC 2453) with simple-password and keyed-MD5 (RFC 4822)
// authentication, and RIPng (UDP 521, RFC 2080), as tshark 4.0 shows them: command and version; each route
// entry as a subtree "IP Address: 10.1.0.0, Metric: 1" (address family, RIPv2's route tag, netmask and next
// hop, metric; "Address not specified" for family 0, a whole-table request; "Unknown address family n"); the
// authentication entry (type, password; or digest offset, key ID, data length, sequence number and the 16-byte
// digest in the trailer the offset points at); RIPng's route table entries (prefix, route tag, prefix length,
// metric). Protocol column "RIPv1", "RIPv2" ("RIP" for another version), "RIPng"; Info "Request", "Response",
// "Unknown command (n)" (RIPng: " Command Response, Version 1", as tshark writes it).
//
// The entries are read as tshark reads them, while the datagram (its UDP length) has bytes beyond the MD5
// trailer length: an entry whose bytes stop early shows nothing of itself (tshark reads the metric for the
// subtree title first) and is 'truncated' when the snaplen cut it, 'malformed' when the datagram is shorter
// than its reads (a digest offset past the end). Entries are bounded by the bytes (20 each) and MAX_ENTRIES.
// A header of 2-3 captured bytes is marked truncated; tshark reads no entry there and shows no mark.

import { fBytes, fHex, fIPv4, fIPv6, fStr, fText, fUint, fmtIPv4, fmtIPv6, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { UdpD } from '../src/dissect/decoded.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';

const COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };
const AUTH_TYPES: Record<number, string> = { 1: 'IP Route', 2: 'Simple Password', 3: 'Keyed Message Digest' };
const ENTRY = 20;
/** Entries read at most (a UDP datagram holds at most 3276 of 20 bytes). */
const MAX_ENTRIES = 4096;

export interface RipD {
  command: number;
  version: number;
  /** The fields, built by dissect()'s walk (it must find where tshark's reads stop anyway). */
  out: Field[];
}

/** Where tshark's reads run out: `at` + `need` passes the end of the bytes. */
class Stop {
  constructor(
    readonly at: number,
    readonly need: number,
    readonly what?: string,
  ) {}
}

function need(cap: number, at: number, n: number, what?: string): void {
  if (at + n > cap) throw new Stop(at, n, what);
}

/** An ENC_ASCII string up to its first NUL, bytes from 0x80 shown as U+FFFD as tshark does. */
function asciiText(b: Uint8Array, from: number, to: number): string {
  let t = '';
  for (let i = from; i < to && b[i] !== 0; i++) t += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
  return t;
}

/** The datagram's reported end (the UDP length, at most the frame's original length): beyond `end` when cut. */
function reportedEnd(buf: Uint8Array, end: number, ctx: DissectContext): number {
  const u = ctx.layers[ctx.layers.length - 1];
  if (!u || u.proto !== 'udp' || u.buf !== buf || buf !== ctx.frame.data) return end;
  const len = (u.d as UdpD).length;
  if (len < 8) return end;
  return Math.max(end, Math.min(u.start + len, ctx.frame.origLen));
}

/** tshark's tvb_reported_length_remaining: 0 once `at` is past the captured bytes. */
const remaining = (at: number, cap: number, rep: number) => (at > cap ? 0 : rep - at);

function ripWalk(b: Uint8Array, s: number, cap: number, rep: number, d: RipD, out: Field[]): void {
  need(cap, s, 2);
  const { command, version } = d;
  const c = fUint('rip.command', 'Command', command, s, 1);
  c.text = `Command: ${COMMANDS[command] ?? 'Unknown'} (${command})`;
  const v = fUint('rip.version', 'Version', version, s + 1, 1);
  v.text = `Version: ${version === 1 ? 'RIPv1' : version === 2 ? 'RIPv2' : 'Unknown'} (${version})`;
  out.push(c, v);
  let trailer = 0;
  let md5 = false;
  for (let at = s + 4, i = 0; remaining(at, cap, rep) > trailer && i < MAX_ENTRIES; at += ENTRY, i++) {
    need(cap, at, 2);
    const fam = u16(b, at);
    if (fam === 0 || fam === 2) {
      need(cap, at, ENTRY);
      const metric = u32(b, at + 16);
      const famF = fUint('rip.family', 'Address Family', fam, at, 2);
      famF.text = `Address Family: ${fam === 2 ? 'IP' : 'Unspecified'} (${fam})`;
      const kids: Field[] = [famF];
      if (version === 2) kids.push(fUint('rip.route_tag', 'Route Tag', u16(b, at + 2), at + 2, 2));
      if (fam === 2) kids.push(fIPv4('rip.ip', 'IP Address', b, at + 4));
      if (version === 2) kids.push(fIPv4('rip.netmask', 'Netmask', b, at + 8), fIPv4('rip.next_hop', 'Next Hop', b, at + 12));
      kids.push(fUint('rip.metric', 'Metric', metric, at + 16, 4));
      out.push(fText(`${fam === 2 ? `IP Address: ${fmtIPv4(b, at + 4)}` : 'Address not specified'}, Metric: ${metric}`, at, ENTRY, kids));
      continue;
    }
    if (fam === 0xffff && at === s + 4) {
      md5 = true;
      need(cap, at + 2, 2);
      const t = u16(b, at + 2);
      need(cap, at, ENTRY);
      const name = AUTH_TYPES[t] ?? `Unknown (${t})`;
      const tf = fUint('rip.auth.type', 'Authentication type', t, at + 2, 2);
      tf.text = `Authentication type: ${AUTH_TYPES[t] ?? 'Unknown'} (${t})`;
      const kids: Field[] = [tf];
      out.push(fText(`Authentication: ${name}`, at, ENTRY, kids));
      if (t === 2) kids.push(fStr('rip.auth.passwd', 'Password', asciiText(b, at + 4, at + 20), at + 4, 16));
      else if (t === 3) {
        const off = u16(b, at + 4);
        trailer = b[at + 7];
        kids.push(
          fUint('rip.digest_offset', 'Digest Offset', off, at + 4, 2),
          fUint('rip.key_id', 'Key ID', b[at + 6], at + 6, 1),
          fUint('rip.auth_data_len', 'Auth Data Len', trailer, at + 7, 1),
          fUint('rip.seq_num', 'Seq num', u32(b, at + 8), at + 8, 4),
          fStr('rip.zero_padding', 'Zero adding', asciiText(b, at + 12, at + 20), at + 12, 8),
        );
        // the trailer the digest offset points at: 4 bytes, then always 16 of digest
        need(cap, s + off, 20, 'RIP authentication trailer (digest offset ' + off + ')');
        kids.push(fText('Authentication Data Trailer', s + off, 20, [fBytes('rip.authentication_data', 'Authentication Data', b, s + off + 4, s + off + 20)]));
      }
      continue;
    }
    // the MD5 trailer entry at the end is not shown
    if (fam === 0xffff && md5 && remaining(at, cap, rep) === ENTRY) continue;
    need(cap, at, ENTRY);
    out.push(fText(`Unknown address family ${fam}`, at, ENTRY));
  }
}

function ripngWalk(b: Uint8Array, s: number, cap: number, rep: number, out: Field[]): void {
  need(cap, s, 2);
  const c = fUint('ripng.cmd', 'Command', b[s], s, 1);
  c.text = `Command: ${COMMANDS[b[s]] && b[s] <= 2 ? COMMANDS[b[s]] : 'Unknown'} (${b[s]})`;
  out.push(c, fUint('ripng.version', 'Version', b[s + 1], s + 1, 1));
  need(cap, s + 2, 2);
  out.push(fBytes('ripng.reserved', 'Reserved', b, s + 2, s + 4));
  for (let at = s + 4, i = 0; remaining(at, cap, rep) > 0 && i < MAX_ENTRIES; at += ENTRY, i++) {
    const kids: Field[] = [];
    const rte = fText('Route Table Entry', at, ENTRY, kids);
    out.push(rte);
    need(cap, at, 16);
    kids.push(fIPv6('ripng.rte.ipv6_prefix', 'IPv6 Prefix', b, at));
    rte.text += `: IPv6 Prefix: ${fmtIPv6(b, at)}`;
    need(cap, at + 16, 2);
    kids.push(fHex('ripng.rte.route_tag', 'Route Tag', u16(b, at + 16), at + 16, 2));
    need(cap, at + 18, 1);
    kids.push(fUint('ripng.rte.prefix_length', 'Prefix Length', b[at + 18], at + 18, 1));
    rte.text += `/${b[at + 18]}`;
    need(cap, at + 19, 1);
    kids.push(fUint('ripng.rte.metric', 'Metric', b[at + 19], at + 19, 1));
    rte.text += ` Metric: ${b[at + 19]}`;
  }
}

function run(l: Layer<RipD>, ctx: DissectContext, walk: (rep: number) => void, what: string): void {
  const rep = reportedEnd(l.buf, l.end, ctx);
  try {
    walk(rep);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    l.short(e.what ?? (e.at < l.start + 4 ? `${what} header` : `${what} entry`), e.at, e.need, e.at + e.need <= rep);
    return;
  }
  // 2-3 bytes of header: tshark stops reading without a word; the header is still cut
  if (l.end - l.start < 4) l.short(`${what} header`, l.start, 4, l.start + 4 <= rep);
}

export const rip: Dissector<RipD> = {
  proto: 'rip',
  name: 'Routing Information Protocol',
  fieldKeys: [
    // rip.routing_domain: tshark shows it only under a preference that is off by default, so never here
    'rip.command', 'rip.version', 'rip.routing_domain', 'rip.family', 'rip.route_tag', 'rip.ip', 'rip.netmask', 'rip.next_hop', 'rip.metric',
    'rip.auth.type', 'rip.auth.passwd', 'rip.digest_offset', 'rip.key_id', 'rip.auth_data_len', 'rip.seq_num',
    'rip.zero_padding', 'rip.authentication_data',
  ],
  registers: [{ table: 'udp.port', key: 520 }],

  dissect(buf, start, end, ctx) {
    const d: RipD = { command: end - start >= 2 ? buf[start] : -1, version: end - start >= 2 ? buf[start + 1] : -1, out: [] };
    const l = new Layer<RipD>(rip, buf, start, end, d);
    run(l, ctx, (rep) => ripWalk(buf, start, end, rep, d, d.out), 'RIP');
    return l;
  },

  fields: (l) => l.d.out,
  column: (l) => (l.d.version === 1 ? 'RIPv1' : l.d.version === 2 ? 'RIPv2' : 'RIP'),
  info: (l) => (l.d.command < 0 ? '' : COMMANDS[l.d.command] ?? `Unknown command (${l.d.command})`),
};

export const ripng: Dissector<RipD> = {
  proto: 'ripng',
  name: 'RIPng',
  fieldKeys: ['ripng.cmd', 'ripng.version', 'ripng.reserved', 'ripng.rte.ipv6_prefix', 'ripng.rte.route_tag', 'ripng.rte.prefix_length', 'ripng.rte.metric'],
  registers: [{ table: 'udp.port', key: 521 }],

  dissect(buf, start, end, ctx) {
    const d: RipD = { command: end - start >= 2 ? buf[start] : -1, version: end - start >= 2 ? buf[start + 1] : -1, out: [] };
    const l = new Layer<RipD>(ripng, buf, start, end, d);
    run(l, ctx, (rep) => ripngWalk(buf, start, end, rep, d.out), 'RIPng');
    return l;
  },

  fields: (l) => l.d.out,
  column: () => 'RIPng',
  info: (l) => (l.d.command < 0 ? '' : ` Command ${l.d.command === 1 || l.d.command === 2 ? COMMANDS[l.d.command] : `Unknown (${l.d.command})`}, Version ${l.d.version}`),
};
