// RIP (UDP 520): RIPv1 (RFC 1058) and RIPv2 (RFC 2453) with simple-password and keyed-MD5 (RFC 4822)
// authentication, and RIPng (UDP 521, RFC 2080), as tshark 4.0 shows them: command and version; each route
// entry as a subtree "IP Address: 10.1.0.0, Metric: 1" (address family, RIPv2's route tag, netmask and next
// hop, metric; "Address not specified" for family 0, a whole-table request); the authentication entry
// (type, password; or digest offset, key ID, data length, sequence number and the digest in the trailer);
// RIPng's route table entries (prefix, route tag, prefix length, metric). Protocol column "RIPv1", "RIPv2",
// "RIPng"; Info "Request", "Response" (RIPng: " Command Response, Version 1", as tshark writes it).
//
// An entry cut short shows nothing of itself (tshark reads the metric for the subtree title first and
// throws): 'truncated' when the snaplen cut it, 'malformed' when the UDP length gives a partial entry.
// Entries are bounded by the bytes (20 each) and MAX_ENTRIES.

import { fBytes, fHex, fIPv4, fIPv6, fStr, fText, fUint, fmtIPv4, fmtIPv6, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };
const AUTH_TYPES: Record<number, string> = { 2: 'Simple Password', 3: 'Keyed Message Digest' };
const ENTRY = 20;
/** Entries read at most (a UDP datagram holds at most 3276 of 20 bytes). */
const MAX_ENTRIES = 4096;

export interface RipD {
  command: number;
  version: number;
}

/** Where the entries stop being whole: the offset of a partial entry, or -1. */
function partialAt(s: number, end: number): number {
  const n = end - s - 4;
  if (n <= 0 || n % ENTRY === 0) return -1;
  return s + 4 + Math.floor(n / ENTRY) * ENTRY;
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
    const l = new Layer<RipD>(rip, buf, start, end, { command: -1, version: -1 });
    if (end - start < 4) {
      if (end - start >= 2) {
        l.d.command = buf[start];
        l.d.version = buf[start + 1];
      }
      l.short('RIP header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    l.d.command = buf[start];
    l.d.version = buf[start + 1];
    const p = partialAt(start, end);
    if (p >= 0) l.short('RIP entry', p, ENTRY, ctx.snapCut(buf, p + ENTRY));
    // whole entries up to where the capture stops: the next one is what the snaplen cut
    else if (ctx.snapCut(buf, end)) l.short('RIP entry', end, ENTRY, true);
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const out: Field[] = [];
    if (l.end - s < 2) return out;
    const { command, version } = l.d;
    const c = fUint('rip.command', 'Command', command, s, 1);
    c.text = `Command: ${COMMANDS[command] ?? 'Unknown command'} (${command})`;
    const v = fUint('rip.version', 'Version', version, s + 1, 1);
    v.text = `Version: ${version === 1 ? 'RIPv1' : version === 2 ? 'RIPv2' : 'Unknown version'} (${version})`;
    out.push(c, v);
    let md5 = false;
    let trailerAt = -1;
    for (let at = s + 4, i = 0; at + ENTRY <= l.end && i < MAX_ENTRIES; at += ENTRY, i++) {
      const fam = u16(b, at);
      const metric = u32(b, at + 16);
      const famF = fUint('rip.family', 'Address Family', fam, at, 2);
      if (fam === 0 || fam === 2) {
        famF.text = `Address Family: ${fam === 2 ? 'IP' : 'Unspecified'} (${fam})`;
        const kids: Field[] = [famF];
        if (version === 2) kids.push(fUint('rip.route_tag', 'Route Tag', u16(b, at + 2), at + 2, 2));
        if (fam === 2) kids.push(fIPv4('rip.ip', 'IP Address', b, at + 4));
        if (version === 2) kids.push(fIPv4('rip.netmask', 'Netmask', b, at + 8), fIPv4('rip.next_hop', 'Next Hop', b, at + 12));
        kids.push(fUint('rip.metric', 'Metric', metric, at + 16, 4));
        out.push(fText(`${fam === 2 ? `IP Address: ${fmtIPv4(b, at + 4)}` : 'Address not specified'}, Metric: ${metric}`, at, ENTRY, kids));
      } else if (fam === 0xffff && at === s + 4) {
        const t = u16(b, at + 2);
        const tf = fUint('rip.auth.type', 'Authentication type', t, at + 2, 2);
        tf.text = `Authentication type: ${AUTH_TYPES[t] ?? 'Unknown'} (${t})`;
        const kids: Field[] = [tf];
        if (t === 2) kids.push(fStr('rip.auth.passwd', 'Password', latin1Text(b, at + 4, at + 20).replace(/\0.*$/s, ''), at + 4, 16));
        else if (t === 3) {
          md5 = true;
          const off = u16(b, at + 4);
          const dl = b[at + 7];
          kids.push(
            fUint('rip.digest_offset', 'Digest Offset', off, at + 4, 2),
            fUint('rip.key_id', 'Key ID', b[at + 6], at + 6, 1),
            fUint('rip.auth_data_len', 'Auth Data Len', dl, at + 7, 1),
            fUint('rip.seq_num', 'Seq num', u32(b, at + 8), at + 8, 4),
            fStr('rip.zero_padding', 'Zero adding', latin1Text(b, at + 12, at + 20).replace(/\0.*$/s, ''), at + 12, 8),
          );
          const da = s + off + 4;
          if (da + dl <= l.end) {
            trailerAt = s + off;
            kids.push(fText('Authentication Data Trailer', s + off, 4 + dl, [fBytes('rip.authentication_data', 'Authentication Data', b, da, da + dl)]));
          }
        }
        out.push(fText(`Authentication: ${AUTH_TYPES[t] ?? 'Unknown'}`, at, ENTRY, kids));
      } else if (fam === 0xffff && md5 && (at === trailerAt || l.end - at === ENTRY)) {
        break;
      } else {
        famF.text = `Address Family: Unknown (${fam})`;
        out.push(fText(`Unknown address family ${fam}`, at, ENTRY, [famF]));
      }
    }
    return out;
  },

  column: (l) => (l.d.version === 1 ? 'RIPv1' : l.d.version === 2 ? 'RIPv2' : 'RIP'),
  info: (l) => (l.d.command < 0 ? '' : COMMANDS[l.d.command] ?? `Unknown command (${l.d.command})`),
};

export const ripng: Dissector<RipD> = {
  proto: 'ripng',
  name: 'RIPng',
  fieldKeys: ['ripng.cmd', 'ripng.version', 'ripng.reserved', 'ripng.rte.ipv6_prefix', 'ripng.rte.route_tag', 'ripng.rte.prefix_length', 'ripng.rte.metric'],
  registers: [{ table: 'udp.port', key: 521 }],

  dissect(buf, start, end, ctx) {
    const l = new Layer<RipD>(ripng, buf, start, end, { command: -1, version: -1 });
    if (end - start < 4) {
      if (end - start >= 2) {
        l.d.command = buf[start];
        l.d.version = buf[start + 1];
      }
      l.short('RIPng header', start, 4, ctx.snapCut(buf, start + 4));
      return l;
    }
    l.d.command = buf[start];
    l.d.version = buf[start + 1];
    const p = partialAt(start, end);
    if (p >= 0) l.short('RIPng route table entry', p, ENTRY, ctx.snapCut(buf, p + ENTRY));
    // whole entries up to where the capture stops: the next one is what the snaplen cut
    else if (ctx.snapCut(buf, end)) l.short('RIPng route table entry', end, ENTRY, true);
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const out: Field[] = [];
    if (l.end - s < 2) return out;
    const c = fUint('ripng.cmd', 'Command', l.d.command, s, 1);
    c.text = `Command: ${COMMANDS[l.d.command] ?? 'Unknown'} (${l.d.command})`;
    out.push(c, fUint('ripng.version', 'Version', l.d.version, s + 1, 1));
    if (l.end - s < 4) return out;
    out.push(fBytes('ripng.reserved', 'Reserved', b, s + 2, s + 4));
    for (let at = s + 4, i = 0; at + ENTRY <= l.end && i < MAX_ENTRIES; at += ENTRY, i++) {
      const plen = b[at + 18];
      const metric = b[at + 19];
      out.push(
        fText(`Route Table Entry: IPv6 Prefix: ${fmtIPv6(b, at)}/${plen} Metric: ${metric}`, at, ENTRY, [
          fIPv6('ripng.rte.ipv6_prefix', 'IPv6 Prefix', b, at),
          fHex('ripng.rte.route_tag', 'Route Tag', u16(b, at + 16), at + 16, 2),
          fUint('ripng.rte.prefix_length', 'Prefix Length', plen, at + 18, 1),
          fUint('ripng.rte.metric', 'Metric', metric, at + 19, 1),
        ]),
      );
    }
    return out;
  },

  column: () => 'RIPng',
  info: (l) => (l.d.command < 0 ? '' : ` Command ${COMMANDS[l.d.command] ?? 'Unknown'}, Version ${l.d.version}`),
};
