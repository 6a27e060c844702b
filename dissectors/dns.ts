// Domain Name System (RFC 1035 and friends) over UDP 53, TCP 53 (2-byte length prefix),
// mDNS (UDP 5353, RFC 6762) and LLMNR (UDP 5355, RFC 4795). Name decompression is bounded
// (pointer jumps and name length), counts that promise more records than the bytes hold are
// malformed, and every record type is at least shown as raw data.

import { TSHARK_UDP_PORTS } from './tshark-udp-ports.js';
import { absTimeText, fBits, fBool, fBytes, fHex, fIPv4, fIPv6, fStr, fText, fUint, fmtIPv4, fmtIPv6, gen, hexN, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { IpD, TcpD } from '../src/dissect/decoded.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';

/** Most compression pointers followed while reading one name. */
const MAX_JUMPS = 64;
/** Longest name (wire bytes, dots included) tshark shows; longer ones are "<Name too long>". */
const MAX_NAME = 253;
/** Most records decoded from one message (the rest is reported, not decoded). */
const MAX_RECORDS = 4096;

export interface DnsName {
  text: string;
  /** Offset just past the name where it appears (not where pointers lead). */
  end: number;
  /** dns.qry.name.len as tshark 4.0 shows it (name bytes with dots; 6 for <Root>, 0 for a 1-byte name). */
  len: number;
  /** dns.count.labels as tshark 4.0 counts it: dots in the name bytes + 1 (0 for a 1-byte name). */
  labels: number;
  /** Set when the name could not be read whole (past the end, pointer loop). */
  error: string | null;
}

export interface DnsRecord {
  /** 0 question, 1 answer, 2 authority, 3 additional. */
  sec: number;
  at: number;
  name: DnsName;
  type: number;
  cls: number;
  ttl: number;
  rdStart: number;
  rdLen: number;
  /** Offset just past the record. */
  end: number;
  /** The record's data runs past the bytes of a partial TCP segment: tshark lists its type in Info, no fields. */
  cut?: boolean;
}

export interface DnsD {
  /** 'dns' | 'mdns' | 'llmnr' (from the port the message came on). */
  flavour: 'dns' | 'mdns' | 'llmnr';
  ok: boolean;
  /** Message start (after the TCP length prefix) and end in layer.buf. */
  msg: number;
  msgEnd: number;
  /** TCP: length prefix value, -1 over UDP. */
  tcpLen: number;
  /** TCP: the segment starts a message it does not hold whole (decoded as far as the bytes go). */
  partial: boolean;
  /** TCP: the segment continues a message begun in this frame (no DNS decoded); 0 when not. */
  contOf: number;
  id: number;
  flags: number;
  counts: [number, number, number, number];
  records: DnsRecord[];
}

// ---- names --------------------------------------------------------------------------------

const utf8 = new TextDecoder('utf-8');
/** Code points glib's g_unichar_isprint() rejects: control, format, unassigned, surrogate. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;
const C_ESC: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * Label bytes as tshark 4.0 shows them (Wireshark's format_text()): printable ASCII as is (space,
 * '.', '\' included), ASCII controls as C escapes (\a \b \t \n \v \f \r) or 3-digit octal (\001,
 * \177), valid UTF-8 as the character unless it is not printable (\u0080, \uFEFF), invalid UTF-8
 * as U+FFFD per maximal invalid subsequence.
 */
export function labelText(buf: Uint8Array, at: number, n: number): string {
  const end = at + n;
  let i = at;
  while (i < end && buf[i] >= 0x20 && buf[i] < 0x7f) i++;
  if (i === end) return String.fromCharCode.apply(null, buf.subarray(at, end) as unknown as number[]);
  let s = '';
  for (const ch of utf8.decode(buf.subarray(at, end))) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c < 0x7f) s += ch;
    else if (c < 0x80) s += C_ESC[c] ?? '\\' + c.toString(8).padStart(3, '0');
    else if (NOT_PRINTABLE.test(ch)) {
      s += c > 0xffff ? '\\U' + c.toString(16).toUpperCase().padStart(8, '0') : '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    } else s += ch;
  }
  return s;
}

/** Read a (possibly compressed) name at `at` of a message buf[msg, msgEnd). Never throws. */
export function readName(buf: Uint8Array, msg: number, msgEnd: number, at: number): DnsName {
  let p = at;
  let end = -1;
  let jumps = 0;
  let text = '';
  /** Name bytes with the separating dots, and the '.' bytes among them (tshark counts labels by dots). */
  let raw = 0;
  let dots = 0;
  let error: string | null = null;
  for (;;) {
    if (p >= msgEnd) { error = 'name runs past the end of the message'; break; }
    const len = buf[p];
    if (len === 0) { p++; break; }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= msgEnd) { error = 'name runs past the end of the message'; p = msgEnd; break; }
      const target = msg + (((len & 0x3f) << 8) | buf[p + 1]);
      if (end < 0) end = p + 2;
      if (++jumps > MAX_JUMPS) { error = 'too many compression pointers (loop?)'; break; }
      if (target >= msgEnd) { error = 'compression pointer past the end of the message'; break; }
      p = target;
      continue;
    }
    if (kind !== 0) { error = `unsupported label type 0x${kind.toString(16)}`; p++; break; }
    if (p + 1 + len > msgEnd) { error = 'label runs past the end of the message'; p = msgEnd; break; }
    if (raw > 0) { raw++; dots++; }
    raw += len;
    if (raw <= MAX_NAME) {
      text += (text ? '.' : '') + labelText(buf, p + 1, len);
      for (let i = p + 1; i <= p + len; i++) if (buf[i] === 0x2e) dots++;
    }
    p += 1 + len;
  }
  if (end < 0) end = Math.min(p, msgEnd);
  if (raw > MAX_NAME) return { text: '<Name too long>', end, len: 15, labels: 1, error };
  if (raw === 0 && error === null) return { text: '<Root>', end, len: 6, labels: 1, error };
  return { text, end, len: raw === 1 ? 0 : raw, labels: raw > 1 ? dots + 1 : 0, error };
}

// ---- tables -----------------------------------------------------------------------------

const TYPES: Record<number, [string, string]> = {
  0: ['Unused', 'Unused'], 1: ['A', 'A (Host Address)'], 2: ['NS', 'NS (authoritative Name Server)'], 5: ['CNAME', 'CNAME (Canonical NAME for an alias)'],
  6: ['SOA', 'SOA (Start Of a zone of Authority)'], 12: ['PTR', 'PTR (domain name PoinTeR)'], 13: ['HINFO', 'HINFO (host information)'],
  15: ['MX', 'MX (Mail eXchange)'], 16: ['TXT', 'TXT (Text strings)'], 28: ['AAAA', 'AAAA (IPv6 Address)'],
  29: ['LOC', 'LOC (Location Information)'], 30: ['NXT', 'NXT (Next)'], 33: ['SRV', 'SRV (Server Selection)'],
  35: ['NAPTR', 'NAPTR (Naming Authority PoinTeR)'], 39: ['DNAME', 'DNAME (Delegation Name)'], 41: ['OPT', 'OPT'],
  43: ['DS', 'DS (Delegation Signer)'], 44: ['SSHFP', 'SSHFP (SSH Key Fingerprint)'], 46: ['RRSIG', 'RRSIG (Resource Record Signature)'],
  47: ['NSEC', 'NSEC (Next Secure)'], 48: ['DNSKEY', 'DNSKEY (DNS Public Key)'], 50: ['NSEC3', 'NSEC3 (Next Secure v3)'],
  51: ['NSEC3PARAM', 'NSEC3PARAM (NSEC3 Parameters)'], 52: ['TLSA', 'TLSA (Transport Layer Security Authentication)'],
  64: ['SVCB', 'SVCB (General Purpose Service Endpoints)'], 65: ['HTTPS', 'HTTPS (HTTPS Specific Service Endpoints)'],
  249: ['TKEY', 'TKEY (Transaction Key)'], 250: ['TSIG', 'TSIG (Transaction Signature)'], 251: ['IXFR', 'IXFR (Incremental transfer)'],
  252: ['AXFR', 'AXFR (transfer of an entire zone)'], 255: ['ANY', 'ANY (A request for all records the server/cache has available)'],
  256: ['URI', 'URI'], 257: ['CAA', 'CAA (Certification Authority Restriction)'],
};
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused',
  6: 'Name exists', 7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone',
};
const OPT_CODES: Record<number, string> = {
  3: 'NSID - Name Server Identifier', 8: 'CSUBNET - Client subnet', 10: 'COOKIE', 11: 'EDNS TCP keepalive',
  12: 'PADDING', 15: 'Extended DNS Error',
};

function typeShort(t: number): string {
  return TYPES[t]?.[0] ?? `Unknown (${t})`;
}
function typeLong(t: number): string {
  return `${TYPES[t]?.[1] ?? 'Unknown'} (${t})`;
}

function emptyD(flavour: DnsD['flavour']): DnsD {
  return { flavour, ok: false, msg: 0, msgEnd: 0, tcpLen: -1, partial: false, contOf: 0, id: 0, flags: 0, counts: [0, 0, 0, 0], records: [] };
}

/** Which flavour a port pair is (the registry only tells us the dissector ran). */
function flavourOf(ctxLayers: readonly Layer[]): { flavour: DnsD['flavour']; tcp: boolean } {
  const t = ctxLayers[ctxLayers.length - 1];
  const d = t?.d as { srcport?: number; dstport?: number } | undefined;
  const tcp = t?.proto === 'tcp';
  const sp = d?.srcport ?? 53, dp = d?.dstport ?? 53;
  if (!tcp && (sp === 5353 || dp === 5353)) return { flavour: 'mdns', tcp };
  if (!tcp && (sp === 5355 || dp === 5355)) return { flavour: 'llmnr', tcp };
  return { flavour: 'dns', tcp };
}

/** Parse the message in buf[msg, msgEnd) into d; reports problems on l. */
function parseMessage(l: Layer<DnsD>, buf: Uint8Array, msg: number, msgEnd: number): void {
  const d = l.d;
  d.msg = msg;
  d.msgEnd = msgEnd;
  d.id = u16(buf, msg);
  d.flags = u16(buf, msg + 2);
  d.counts = [u16(buf, msg + 4), u16(buf, msg + 6), u16(buf, msg + 8), u16(buf, msg + 10)];
  d.ok = true;
  let p = msg + 12;
  for (let sec = 0; sec < 4; sec++) {
    for (let i = 0; i < d.counts[sec]; i++) {
      if (d.records.length >= MAX_RECORDS) {
        l.problem('unsupported', `more than ${MAX_RECORDS} records: the rest is not decoded`, p, msgEnd);
        return;
      }
      if (p >= msgEnd && d.partial) return;
      if (p >= msgEnd) {
        const want = d.counts[0] + d.counts[1] + d.counts[2] + d.counts[3];
        // (to the end of the message: tshark reads past it and shows "[Malformed Packet]")
        l.problem('malformed', `the header counts ${want} records but the message ends after ${d.records.length}`, msg + 4, msgEnd);
        return;
      }
      const at = p;
      const name = readName(buf, msg, msgEnd, p);
      p = name.end;
      if (name.error && d.partial) return;
      if (name.error) {
        // a label of the reserved type 0x80 ends the message there (tshark throws: nothing of the
        // record is shown, "[Malformed Packet]" as for a name running past the message)
        const fatal = name.error === 'unsupported label type 0x80';
        l.problem('malformed', `name at offset ${at - msg}: ${name.error}`, at, fatal ? msgEnd : Math.max(p, at + 1));
        if (p >= msgEnd || fatal) return;
      }
      const fixed = sec === 0 ? 4 : 10;
      if (p + fixed > msgEnd && d.partial) return;
      if (p + fixed > msgEnd) {
        l.problem('malformed', `${sec === 0 ? 'question' : 'resource record'} at offset ${at - msg} is cut short`, at, msgEnd);
        return;
      }
      const r: DnsRecord = { sec, at, name, type: u16(buf, p), cls: u16(buf, p + 2), ttl: 0, rdStart: p + 4, rdLen: 0, end: p + 4 };
      if (sec > 0) {
        r.ttl = u32(buf, p + 4);
        r.rdLen = u16(buf, p + 8);
        r.rdStart = p + 10;
        r.end = r.rdStart + r.rdLen;
        if (r.end > msgEnd && d.partial) {
          // The rest of the message is in later segments: tshark (per segment) stops here with the
          // record's type in Info and none of its fields.
          r.cut = true;
          d.records.push(r);
          return;
        }
        if (r.end > msgEnd) {
          l.problem('malformed', `record data length ${r.rdLen} at offset ${p + 8 - msg} runs past the message`, p + 8, msgEnd);
          r.rdLen = msgEnd - r.rdStart;
          r.end = msgEnd;
          d.records.push(r);
          return;
        }
      }
      d.records.push(r);
      p = r.end;
    }
  }
}

/**
 * Info suffix of a segment that begins a message it does not hold whole: tshark 4.0 (per segment)
 * appends its exception text this way, without a space: "Standard query 0xcda0 TKEY x TKEY[BoundErrorUnreassembled Packet]".
 */
const UNREASSEMBLED = '[BoundErrorUnreassembled Packet]';

/** ctx.state slot: per TCP direction, the message a segment began but did not hold whole. */
const PDU_SLOT = 'dns.tcp.pdu';
/** Most directions remembered (the map is cleared when full: a bound, not a cache policy). */
const MAX_PDUS = 4096;
interface PduRec { frame: number; seq: number; len: number }

/** The TCP direction and payload seq of a DNS-over-TCP segment read from the frame itself; null otherwise. */
function tcpPdu(buf: Uint8Array, start: number, ctx: DissectContext):
  { key: string; seq: number; map: Map<string, PduRec> | null } | null {
  const ls = ctx.layers;
  const t = ls[ls.length - 1];
  if (t?.proto !== 'tcp' || buf !== ctx.frame.data) return null;
  const td = t.d as TcpD;
  if (!td.ok || td.payloadStart !== start) return null;
  let ip: IpD | null = null;
  for (let i = ls.length - 2; i >= 0 && ip === null; i--) if (ls[i].proto === 'ip' || ls[i].proto === 'ipv6') ip = ls[i].d as IpD;
  if (ip === null) return null;
  const map = (ctx.state.slots.get(PDU_SLOT) as Map<string, PduRec> | undefined) ?? null;
  return { key: `${ip.src} ${ip.dst} ${td.srcport} ${td.dstport}`, seq: td.seq, map };
}

/**
 * tshark 4.0's DNS-over-UDP heuristic ("dns_udp", on by default), for a datagram on a port no
 * dissector claims (a resolver on 5300, a test server on 1053): more than a header, opcode 0
 * (standard query), at most 10 additional records; a query asks exactly one question with no
 * answers and no authority records; a response has at most one question, 100 answers and 10
 * authority records. Record counts only, the records themselves are not looked at. Measured on 72
 * crafted datagrams against tshark 4.0.17 (each limit and its next value on either side). Not tried
 * on a port tshark dissects as something else (NBNS on 137 would pass the test).
 */
export function looksLikeDnsUdp(b: Uint8Array, start: number, end: number, layers: readonly Layer[] = []): boolean {
  if (end - start <= 12) return false;
  // not on a port tshark gives to a dissector of its own (dissectors/tshark-udp-ports.ts)
  const udp = layers.length > 0 ? layers[layers.length - 1] : null;
  if (udp !== null && udp.dis.proto === 'udp') {
    const u = udp.d as { srcport: number; dstport: number };
    if (TSHARK_UDP_PORTS.has(u.srcport) || TSHARK_UDP_PORTS.has(u.dstport)) return false;
  }
  const flags = u16(b, start + 2);
  if ((flags & 0x7800) !== 0) return false;
  const qd = u16(b, start + 4), an = u16(b, start + 6), ns = u16(b, start + 8), ar = u16(b, start + 10);
  if (ar > 10) return false;
  if (flags & 0x8000) return qd <= 1 && an <= 100 && ns <= 10;
  return qd === 1 && an === 0 && ns === 0;
}

export const dns: Dissector<DnsD> = {
  proto: 'dns',
  name: 'Domain Name System',
  heuristic: { table: 'udp', test: looksLikeDnsUdp },
  fieldKeys: [
    'dns.length', 'dns.id', 'dns.flags', 'dns.flags.response', 'dns.flags.opcode', 'dns.flags.authoritative',
    'dns.flags.truncated', 'dns.flags.recdesired', 'dns.flags.recavail', 'dns.flags.z', 'dns.flags.authenticated',
    'dns.flags.checkdisable', 'dns.flags.rcode', 'dns.count.queries', 'dns.count.answers', 'dns.count.auth_rr',
    'dns.count.add_rr', 'dns.count.zones', 'dns.count.prerequisites', 'dns.count.updates', 'dns.qry.name',
    'dns.qry.name.len', 'dns.count.labels', 'dns.qry.type', 'dns.qry.class', 'dns.qry.qu', 'dns.resp.name',
    'dns.resp.type', 'dns.resp.class', 'dns.resp.cache_flush', 'dns.resp.ttl', 'dns.resp.len', 'dns.a', 'dns.aaaa',
    'dns.ns', 'dns.cname', 'dns.ptr.domain_name', 'dns.mx.preference', 'dns.mx.mail_exchange', 'dns.txt',
    'dns.txt.length', 'dns.soa.mname', 'dns.soa.rname', 'dns.soa.serial_number', 'dns.soa.refresh_interval',
    'dns.soa.retry_interval', 'dns.soa.expire_limit', 'dns.soa.minimum_ttl', 'dns.srv.priority', 'dns.srv.weight',
    'dns.srv.port', 'dns.srv.target', 'dns.srv.service', 'dns.srv.proto', 'dns.srv.name', 'dns.naptr.order', 'dns.naptr.preference', 'dns.naptr.flags_length',
    'dns.naptr.flags', 'dns.naptr.service_length', 'dns.naptr.service', 'dns.naptr.regex_length', 'dns.naptr.regex',
    'dns.naptr.replacement_length', 'dns.naptr.replacement', 'dns.rr.udp_payload_size', 'dns.resp.ext_rcode',
    'dns.resp.edns0_version', 'dns.resp.z', 'dns.resp.z.do', 'dns.resp.z.reserved', 'dns.opt', 'dns.opt.code',
    'dns.opt.len', 'dns.opt.data', 'dns.opt.client.family', 'dns.opt.client.netmask', 'dns.opt.client.scope',
    'dns.opt.client.addr4', 'dns.opt.client.addr6', 'dns.opt.cookie.client', 'dns.opt.cookie.server',
    'dns.opt.padding', 'dns.caa.flags', 'dns.caa.flags.issuer_critical', 'dns.caa.tag_length', 'dns.caa.tag',
    'dns.caa.value', 'dns.caa.issue', 'dns.caa.iodef', 'dns.caa.unknown', 'dns.svcb.svcpriority', 'dns.svcb.targetname',
    'dns.svcb.svcparam.key', 'dns.svcb.svcparam.value.length', 'dns.svcb.svcparam.value', 'dns.dnskey.flags',
    'dns.dnskey.protocol', 'dns.dnskey.algorithm', 'dns.dnskey.public_key', 'dns.rrsig.type_covered',
    'dns.rrsig.algorithm', 'dns.rrsig.labels', 'dns.rrsig.original_ttl', 'dns.rrsig.signature_expiration',
    'dns.rrsig.signature_inception', 'dns.rrsig.key_tag', 'dns.rrsig.signers_name', 'dns.rrsig.signature',
    'dns.ds.key_id', 'dns.ds.algorithm', 'dns.ds.digest_type', 'dns.ds.digest', 'dns.nsec.next_domain_name',
    'dns.nsec3.algo', 'dns.nsec3.flags', 'dns.nsec3.iterations', 'dns.nsec3.salt_length', 'dns.nsec3.salt_value',
    'dns.nsec3.hash_length', 'dns.nsec3.hash_value',
    'dns.tsig.algorithm_name', 'dns.tsig.fudge', 'dns.tsig.mac_size', 'dns.tsig.mac', 'dns.tsig.original_id',
    'dns.tsig.error', 'dns.tsig.other_len', 'dns.tkey.algo_name', 'dns.data',
  ],
  registers: [
    { table: 'udp.port', key: 53 }, { table: 'udp.port', key: 5353 }, { table: 'udp.port', key: 5355 },
    { table: 'tcp.port', key: 53 },
  ],

  dissect(buf, start, end, ctx) {
    const { flavour, tcp } = flavourOf(ctx.layers);
    const l = new Layer<DnsD>(dns, buf, start, end, emptyD(flavour));
    let msg = start;
    let msgEnd = end;
    if (tcp) {
      if (end - start < 2) {
        l.short('DNS length prefix', start, 2, ctx.snapCut(buf, start + 2));
        return l;
      }
      const pdu = tcpPdu(buf, start, ctx);
      if (pdu !== null && pdu.map !== null) {
        const rec = pdu.map.get(pdu.key);
        if (rec !== undefined && ctx.frame.index > rec.frame) {
          const off = (pdu.seq - rec.seq) >>> 0;
          if (off > 0 && off < rec.len) {
            // Inside a message whose length prefix came in an earlier segment (tshark:
            // "[Continuation to #N]", no DNS): its first bytes are not a length prefix.
            l.d.contOf = rec.frame;
            return l;
          }
          pdu.map.delete(pdu.key);
        }
      }
      l.d.tcpLen = u16(buf, start);
      msg = start + 2;
      msgEnd = msg + l.d.tcpLen;
      if (msgEnd > end) {
        // A message spread over several segments: not an error of this segment. Decode what is
        // here (tshark with tcp.desegment_tcp_streams:FALSE does the same) and remember where the
        // message ends so the segments that carry the rest are not read as new messages.
        l.d.partial = true;
        if (pdu !== null) {
          if (pdu.map === null) {
            pdu.map = new Map();
            ctx.state.slots.set(PDU_SLOT, pdu.map);
          } else if (pdu.map.size >= MAX_PDUS) pdu.map.clear();
          pdu.map.set(pdu.key, { frame: ctx.frame.index, seq: pdu.seq, len: 2 + l.d.tcpLen });
        }
        msgEnd = end;
      } else l.end = msgEnd;
    }
    if (msgEnd - msg < 12) {
      if (l.d.partial && !ctx.snapCut(buf, msg + 12)) {
        // The header goes on in the next segment: tshark (per segment) shows the ID and flags
        // when the first 4 bytes are here, then the counts that are whole, then stops.
        if (msgEnd - msg >= 4) {
          const d = l.d;
          d.ok = true;
          d.msg = msg;
          d.msgEnd = msgEnd;
          d.id = u16(buf, msg);
          d.flags = u16(buf, msg + 2);
          for (let i = 0; i < 4 && msg + 6 + 2 * i <= msgEnd; i++) d.counts[i] = u16(buf, msg + 4 + 2 * i);
        }
        return l;
      }
      l.short('DNS header', msg, 12, ctx.snapCut(buf, msg + 12));
      return l;
    }
    parseMessage(l, buf, msg, msgEnd);
    // Records that run into the end of bytes the capture (or an ICMP error's quote) cut off are
    // truncated, not malformed.
    if (l.problems !== null && ctx.snapCut(buf, msgEnd)) {
      for (const p of l.problems) if (p.kind === 'malformed' && p.end >= msgEnd) p.kind = 'truncated';
    }
    return l;
  },

  fields(l) {
    const d = l.d;
    const out: Field[] = [];
    // A continuation, or a message start too short for the ID and flags: tshark shows no DNS field.
    if (d.contOf > 0 || (d.partial && !d.ok)) return out;
    if (d.tcpLen >= 0) out.push(fUint('dns.length', 'Length', d.tcpLen, l.start, 2));
    if (!d.ok) return out;
    const m = d.msg;
    const f = d.flags;
    const resp = (f & 0x8000) !== 0;
    const opcode = (f >> 11) & 15;
    const rcode = f & 15;
    out.push(fHex('dns.id', 'Transaction ID', d.id, m, 2));
    const ff = fHex('dns.flags', 'Flags', f, m + 2, 2);
    ff.text = `Flags: ${hexN(f, 4)} ${opName(opcode)}${resp ? ' response' : ''}${resp ? ', ' + rcodeName(rcode) : ''}`;
    const bits = (key: string, label: string, mask: number, v: number, text: string) => {
      const x = fBits(key, label, v, m + 2, 2, mask);
      x.text = `${bitPic(f, mask)} = ${label}: ${text}`;
      return x;
    };
    const one = (mask: number) => ((f & mask) !== 0 ? 1 : 0);
    const kids: Field[] = [
      bits('dns.flags.response', 'Response', 0x8000, one(0x8000), resp ? 'Message is a response' : 'Message is a query'),
      bits('dns.flags.opcode', 'Opcode', 0x7800, opcode, `${OPCODES[opcode] ?? 'Unknown'} (${opcode})`),
    ];
    if (resp) kids.push(bits('dns.flags.authoritative', 'Authoritative', 0x0400, one(0x0400), f & 0x0400 ? 'Server is an authority for domain' : 'Server is not an authority for domain'));
    kids.push(bits('dns.flags.truncated', 'Truncated', 0x0200, one(0x0200), f & 0x0200 ? 'Message is truncated' : 'Message is not truncated'));
    kids.push(bits('dns.flags.recdesired', 'Recursion desired', 0x0100, one(0x0100), f & 0x0100 ? 'Do query recursively' : "Don't do query recursively"));
    if (resp) kids.push(bits('dns.flags.recavail', 'Recursion available', 0x0080, one(0x0080), f & 0x0080 ? 'Server can do recursive queries' : "Server can't do recursive queries"));
    kids.push(bits('dns.flags.z', 'Z', 0x0040, one(0x0040), f & 0x0040 ? 'reserved - incorrect!' : 'reserved (0)'));
    if (resp || (f & 0x0020)) kids.push(resp
      ? bits('dns.flags.authenticated', 'Answer authenticated', 0x0020, one(0x0020), f & 0x0020 ? 'Answer/authority portion was authenticated by the server' : 'Answer/authority portion was not authenticated by the server')
      : bits('dns.flags.authenticated', 'AD bit', 0x0020, one(0x0020), f & 0x0020 ? 'Set' : 'Not set'));
    kids.push(bits('dns.flags.checkdisable', 'Non-authenticated data', 0x0010, one(0x0010), f & 0x0010 ? 'Acceptable' : 'Unacceptable'));
    if (resp) kids.push(bits('dns.flags.rcode', 'Reply code', 0x000f, rcode, `${rcodeName(rcode)} (${rcode})`));
    ff.children = kids;
    out.push(ff);
    const upd = opcode === 5;
    const cn = upd
      ? [['dns.count.zones', 'Zones'], ['dns.count.prerequisites', 'Prerequisites'], ['dns.count.updates', 'Updates'], ['dns.count.add_rr', 'Additional RRs']]
      : [['dns.count.queries', 'Questions'], ['dns.count.answers', 'Answer RRs'], ['dns.count.auth_rr', 'Authority RRs'], ['dns.count.add_rr', 'Additional RRs']];
    for (let i = 0; i < 4 && m + 6 + 2 * i <= d.msgEnd; i++) out.push(fUint(cn[i][0], cn[i][1], d.counts[i], m + 4 + 2 * i, 2));
    const secNames = upd ? ['Zone', 'Prerequisites', 'Updates', 'Additional records']
      : ['Queries', 'Answers', 'Authoritative nameservers', 'Additional records'];
    let i = 0;
    for (let sec = 0; sec < 4; sec++) {
      const recs: Field[] = [];
      const s0 = i < d.records.length ? d.records[i].at : 0;
      let s1 = s0;
      while (i < d.records.length && d.records[i].sec === sec) {
        const r = d.records[i++];
        if (r.cut) continue;
        recs.push(sec === 0 ? questionField(l, r) : rrField(l, r));
        s1 = r.end;
      }
      if (recs.length) out.push(fText(secNames[sec], s0, s1 - s0, recs));
    }
    return out;
  },

  title(l) {
    const d = l.d;
    const name = d.flavour === 'mdns' ? 'Multicast Domain Name System' : d.flavour === 'llmnr' ? 'Link-local Multicast Name Resolution' : 'Domain Name System';
    if (d.contOf > 0) return `${name} (continuation of the message begun in frame ${d.contOf})`;
    if (!d.ok) return name;
    return `${name} (${d.flags & 0x8000 ? 'response' : 'query'})`;
  },

  column: (l) => (l.d.contOf > 0 ? '' : l.d.flavour === 'mdns' ? 'MDNS' : l.d.flavour === 'llmnr' ? 'LLMNR' : 'DNS'),
  // tshark: `dns` does not match mDNS or LLMNR packets; `mdns` / `llmnr` do (their fields are dns.*)
  filterProtos: ['mdns', 'llmnr'],
  filterProto: (l) => (l.d.flavour === 'mdns' ? 'mdns' : l.d.flavour === 'llmnr' ? 'llmnr' : 'dns'),

  info(l, layers) {
    const d = l.d;
    if (d.contOf > 0) {
      // tshark: "[Continuation to #4] 50138 → 53 [ACK] Seq=…" in the TCP column.
      const t = layers[layers.indexOf(l) - 1];
      return `[Continuation to #${d.contOf}] ${t?.dis.info?.(t, layers) ?? ''}`;
    }
    // tshark clears the column before it reads the header: a datagram too short for one shows no Info
    // but its "[Malformed Packet]"
    if (!d.ok) return d.partial ? UNREASSEMBLED : layers[layers.indexOf(l) - 1]?.proto === 'udp' ? '' : null;
    const f = d.flags;
    const resp = (f & 0x8000) !== 0;
    const opcode = (f >> 11) & 15;
    const rcode = f & 15;
    let s = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${resp ? ' response' : ''} ${hexN(d.id, 4)}`;
    // (the Info names an unknown code with its number, the Flags line without: tshark's two val_to_str)
    if (resp && rcode !== 0) s += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
    const mdns = d.flavour === 'mdns';
    for (const r of d.records) {
      if (r.sec === 0) {
        s += ` ${typeShort(r.type)} ${r.name.text}`;
        if (mdns) s += (r.cls & 0x8000) ? ', "QU" question' : ', "QM" question';
        continue;
      }
      s += ` ${typeShort(r.type)}`;
      if (r.cut) break;
      if (mdns && (r.cls & 0x8000) && r.type !== 41) s += ', cache flush';
      if (r.rdLen > 0) {
        const t = rdataInfo(l.buf, d.msg, d.msgEnd, r);
        if (t) s += ' ' + t;
      }
    }
    if (d.partial) s += UNREASSEMBLED;
    return s;
  },
};

function opName(op: number): string {
  return OPCODES[op] ?? 'Unknown operation';
}
function rcodeName(rc: number): string {
  return RCODES[rc] ?? 'Unknown error';
}

function bitPic(v: number, mask: number): string {
  let s = '';
  for (let b = 15; b >= 0; b--) {
    s += (mask >> b) & 1 ? ((v >> b) & 1 ? '1' : '0') : '.';
    if (b % 4 === 0 && b > 0) s += ' ';
  }
  return s;
}

function classText(c: number): string {
  const n = CLASSES[c];
  return n ?? 'Unknown';
}

function nameField(key: string, label: string, nm: DnsName, at: number): Field {
  const f = fStr(key, label, nm.text, at, nm.end - at);
  return f;
}

function questionField(l: Layer<DnsD>, r: DnsRecord): Field {
  const mdns = l.d.flavour === 'mdns';
  const cls = mdns ? r.cls & 0x7fff : r.cls;
  const nEnd = r.name.end;
  const c: Field[] = [
    nameField('dns.qry.name', 'Name', r.name, r.at),
    gen(fUint('dns.qry.name.len', 'Name Length', r.name.len, r.at, nEnd - r.at)),
    gen(fUint('dns.count.labels', 'Label Count', r.name.labels, r.at, nEnd - r.at)),
  ];
  const tf = fUint('dns.qry.type', 'Type', r.type, nEnd, 2);
  tf.text = `Type: ${typeLong(r.type)}`;
  c.push(tf);
  if (mdns) c.push(fBool('dns.qry.qu', '"QU" question', (r.cls & 0x8000) !== 0, nEnd + 2, 2, 0x8000));
  const cf = fHex('dns.qry.class', 'Class', cls, nEnd + 2, 2, 4);
  cf.text = `Class: ${classText(cls)} (${hexN(cls, 4)})`;
  c.push(cf);
  return fText(`${r.name.text}: type ${typeShort(r.type)}, class ${classText(cls)}`, r.at, r.end - r.at, c);
}

function rrField(l: Layer<DnsD>, r: DnsRecord): Field {
  const { buf } = l;
  const d = l.d;
  const mdns = d.flavour === 'mdns';
  const nEnd = r.name.end;
  const c: Field[] = [];
  if (r.type === 33) {
    // tshark 4.0 splits an SRV owner name (_service._proto.name) at its first two dots and shows
    // the parts instead of dns.resp.name.
    const parts = r.name.text.split('.');
    const len = nEnd - r.at;
    c.push(fStr('dns.srv.service', 'Service', parts[0], r.at, len));
    if (parts.length > 1) c.push(fStr('dns.srv.proto', 'Protocol', parts[1], r.at, len));
    if (parts.length > 2) c.push(fStr('dns.srv.name', 'Name', parts.slice(2).join('.'), r.at, len));
  } else c.push(nameField('dns.resp.name', 'Name', r.name, r.at));
  const tf = fUint('dns.resp.type', 'Type', r.type, nEnd, 2);
  tf.text = `Type: ${typeLong(r.type)}`;
  c.push(tf);
  let title = `${r.name.text}: type ${typeShort(r.type)}`;
  if (r.type === 41) {
    // tshark 4.0 shows the mDNS OPT class as hex (it goes through the mDNS class field).
    c.push(mdns ? fHex('dns.rr.udp_payload_size', 'UDP payload size', r.cls, nEnd + 2, 2)
      : fUint('dns.rr.udp_payload_size', 'UDP payload size', r.cls, nEnd + 2, 2));
    c.push(fHex('dns.resp.ext_rcode', 'Higher bits in extended RCODE', buf[nEnd + 4], nEnd + 4, 1));
    c.push(fUint('dns.resp.edns0_version', 'EDNS0 version', buf[nEnd + 5], nEnd + 5, 1));
    const z = u16(buf, nEnd + 6);
    const zf = fHex('dns.resp.z', 'Z', z, nEnd + 6, 2);
    const dof = fBits('dns.resp.z.do', 'DO bit', z >> 15, nEnd + 6, 2, 0x8000);
    dof.text = `${bitPic(z, 0x8000)} = DO bit: ${z & 0x8000 ? 'Accepts DNSSEC security RRs' : 'Cannot handle DNSSEC security RRs'}`;
    zf.children = [dof, fHex('dns.resp.z.reserved', 'Reserved', z & 0x7fff, nEnd + 6, 2, 4)];
    c.push(zf);
  } else {
    const cls = mdns ? r.cls & 0x7fff : r.cls;
    if (mdns) c.push(fBool('dns.resp.cache_flush', 'Cache flush', (r.cls & 0x8000) !== 0, nEnd + 2, 2, 0x8000));
    const cf = fHex('dns.resp.class', 'Class', cls, nEnd + 2, 2, 4);
    cf.text = `Class: ${classText(cls)} (${hexN(cls, 4)})`;
    c.push(cf);
    c.push(fUint('dns.resp.ttl', 'Time to live', r.ttl, nEnd + 4, 4));
    title += `, class ${classText(cls)}`;
  }
  c.push(fUint('dns.resp.len', 'Data length', r.rdLen, nEnd + 8, 2));
  const extra = rdataFields(buf, d.msg, d.msgEnd, r, c);
  if (extra) title += ', ' + extra;
  return fText(title, r.at, r.end - r.at, c);
}

/** Character-string (length byte + text) at `at`; null when it does not fit before `end`. */
function cstr(buf: Uint8Array, at: number, end: number): { text: string; len: number } | null {
  if (at >= end) return null;
  const n = buf[at];
  if (at + 1 + n > end) return null;
  let s = '';
  for (let i = at + 1; i < at + 1 + n; i++) s += String.fromCharCode(buf[i]);
  return { text: s, len: n };
}

/** Type-specific rdata fields appended to `c`; returns the record title suffix (e.g. "addr 1.2.3.4"). */
function rdataFields(buf: Uint8Array, msg: number, msgEnd: number, r: DnsRecord, c: Field[]): string {
  const s = r.rdStart, e = r.rdStart + r.rdLen;
  if (r.rdLen === 0) return '';
  const nm = (at: number) => readName(buf, msg, msgEnd, at);
  switch (r.type) {
    case 1: if (r.rdLen === 4) { c.push(fIPv4('dns.a', 'Address', buf, s)); return `addr ${fmtIPv4(buf, s)}`; } break;
    case 28: if (r.rdLen === 16) { c.push(fIPv6('dns.aaaa', 'AAAA Address', buf, s)); return `addr ${fmtIPv6(buf, s)}`; } break;
    case 2: case 5: case 12: case 39: {
      const n = nm(s);
      const [key, label, word] = r.type === 2 ? ['dns.ns', 'Name Server', 'ns'] : r.type === 5 ? ['dns.cname', 'CNAME', 'cname']
        : r.type === 12 ? ['dns.ptr.domain_name', 'Domain Name', 'ptr'] : ['dns.dname', 'Target name', 'dname'];
      c.push(fStr(key, label, n.text, s, Math.min(n.end, e) - s));
      return `${word} ${n.text}`;
    }
    case 15: {
      if (r.rdLen < 3) break;
      const n = nm(s + 2);
      c.push(fUint('dns.mx.preference', 'Preference', u16(buf, s), s, 2));
      c.push(fStr('dns.mx.mail_exchange', 'Mail Exchange', n.text, s + 2, Math.min(n.end, e) - s - 2));
      return `preference ${u16(buf, s)}, mx ${n.text}`;
    }
    case 16: {
      for (let p = s; p < e; ) {
        const t = cstr(buf, p, e);
        if (!t) break;
        c.push(fUint('dns.txt.length', 'TXT Length', t.len, p, 1));
        c.push(fStr('dns.txt', 'TXT', t.text, p + 1, t.len));
        p += 1 + t.len;
      }
      return '';
    }
    case 6: {
      const mn = nm(s);
      const rn = nm(mn.end);
      const p = rn.end;
      c.push(fStr('dns.soa.mname', 'Primary name server', mn.text, s, mn.end - s));
      c.push(fStr('dns.soa.rname', "Responsible authority's mailbox", rn.text, mn.end, rn.end - mn.end));
      if (p + 20 <= e) {
        c.push(fUint('dns.soa.serial_number', 'Serial Number', u32(buf, p), p, 4));
        c.push(fUint('dns.soa.refresh_interval', 'Refresh Interval', u32(buf, p + 4), p + 4, 4));
        c.push(fUint('dns.soa.retry_interval', 'Retry Interval', u32(buf, p + 8), p + 8, 4));
        c.push(fUint('dns.soa.expire_limit', 'Expire limit', u32(buf, p + 12), p + 12, 4));
        c.push(fUint('dns.soa.minimum_ttl', 'Minimum TTL', u32(buf, p + 16), p + 16, 4));
      }
      return `mname ${mn.text}`;
    }
    case 33: {
      if (r.rdLen < 7) break;
      const n = nm(s + 6);
      c.push(fUint('dns.srv.priority', 'Priority', u16(buf, s), s, 2));
      c.push(fUint('dns.srv.weight', 'Weight', u16(buf, s + 2), s + 2, 2));
      c.push(fUint('dns.srv.port', 'Port', u16(buf, s + 4), s + 4, 2));
      c.push(fStr('dns.srv.target', 'Target', n.text, s + 6, Math.min(n.end, e) - s - 6));
      return `priority ${u16(buf, s)}, weight ${u16(buf, s + 2)}, port ${u16(buf, s + 4)}, target ${n.text}`;
    }
    case 35: {
      if (r.rdLen < 4) break;
      c.push(fUint('dns.naptr.order', 'Order', u16(buf, s), s, 2));
      c.push(fUint('dns.naptr.preference', 'Preference', u16(buf, s + 2), s + 2, 2));
      let p = s + 4;
      for (const k of ['flags', 'service', 'regex']) {
        const t = cstr(buf, p, e);
        if (!t) return '';
        c.push(fUint(`dns.naptr.${k}_length`, `${k[0].toUpperCase()}${k.slice(1)} Length`, t.len, p, 1));
        c.push(fStr(`dns.naptr.${k}`, k[0].toUpperCase() + k.slice(1), t.text, p + 1, t.len));
        p += 1 + t.len;
      }
      const n = nm(p);
      c.push(gen(fUint('dns.naptr.replacement_length', 'Replacement Length', n.text === '<Root>' ? 0 : n.text.length, p, 0)));
      c.push(fStr('dns.naptr.replacement', 'Replacement', n.text, p, Math.min(n.end, e) - p));
      return '';
    }
    case 41: {
      for (let p = s; p + 4 <= e; ) {
        const code = u16(buf, p), len = u16(buf, p + 2);
        const oe = Math.min(p + 4 + len, e);
        const name = OPT_CODES[code] ?? 'Unknown';
        const oc: Field[] = [];
        const cf = fUint('dns.opt.code', 'Option Code', code, p, 2);
        cf.text = `Option Code: ${name} (${code})`;
        oc.push(cf, fUint('dns.opt.len', 'Option Length', len, p + 2, 2));
        if (oe > p + 4) oc.push(fBytes('dns.opt.data', 'Option Data', buf, p + 4, oe));
        if (code === 8 && oe - p >= 8) {
          const fam = u16(buf, p + 4);
          oc.push(fUint('dns.opt.client.family', 'Family', fam, p + 4, 2));
          oc.push(fUint('dns.opt.client.netmask', 'Source Netmask', buf[p + 6], p + 6, 1));
          oc.push(fUint('dns.opt.client.scope', 'Scope Netmask', buf[p + 7], p + 7, 1));
          const a = new Uint8Array(fam === 2 ? 16 : 4);
          a.set(buf.subarray(p + 8, Math.min(oe, p + 8 + a.length)));
          const txt = fam === 2 ? fmtIPv6(a, 0) : fmtIPv4(a, 0);
          oc.push(fStr(fam === 2 ? 'dns.opt.client.addr6' : 'dns.opt.client.addr4', 'Client Subnet', txt, p + 8, oe - p - 8));
        } else if (code === 10 && oe - p >= 12) {
          oc.push(fBytes('dns.opt.cookie.client', 'Client Cookie', buf, p + 4, p + 12));
          if (oe > p + 12) oc.push(fBytes('dns.opt.cookie.server', 'Server Cookie', buf, p + 12, oe));
        } else if (code === 12 && oe > p + 4) {
          oc.push(fBytes('dns.opt.padding', 'Padding', buf, p + 4, oe));
        }
        const of = fStr('dns.opt', 'Option', '', p, oe - p);
        of.text = `Option: ${name}`;
        of.children = oc;
        c.push(of);
        p = oe;
        if (len === 0 && oe === p && p + 4 > e) break;
      }
      return '';
    }
    case 257: {
      if (r.rdLen < 2) break;
      const fl = fHex('dns.caa.flags', 'CAA Flags', buf[s], s, 1);
      fl.children = [fBool('dns.caa.flags.issuer_critical', 'Issuer Critical', (buf[s] & 0x80) !== 0, s, 1, 0x80)];
      c.push(fl);
      const tl = buf[s + 1];
      if (s + 2 + tl > e) break;
      let tag = '';
      for (let i = s + 2; i < s + 2 + tl; i++) tag += String.fromCharCode(buf[i]);
      let val = '';
      for (let i = s + 2 + tl; i < e; i++) val += String.fromCharCode(buf[i]);
      const key = tag === 'issue' || tag === 'issuewild' ? 'dns.caa.issue' : tag === 'iodef' ? 'dns.caa.iodef' : 'dns.caa.unknown';
      const top = fStr(key, tag === 'issuewild' ? 'Issue Wildcard' : tag === 'iodef' ? 'Iodef' : tag === 'issue' ? 'Issue' : 'Unknown', val, s + 1, e - s - 1);
      top.children = [fUint('dns.caa.tag_length', 'Tag length', tl, s + 1, 1), fStr('dns.caa.tag', 'Tag', tag, s + 2, tl), fStr('dns.caa.value', 'Value', val, s + 2 + tl, e - s - 2 - tl)];
      c.push(top);
      return '';
    }
    case 64: case 65: {
      if (r.rdLen < 3) break;
      const n = nm(s + 2);
      c.push(fUint('dns.svcb.svcpriority', 'SvcPriority', u16(buf, s), s, 2));
      c.push(fStr('dns.svcb.targetname', 'TargetName', n.text, s + 2, Math.min(n.end, e) - s - 2));
      for (let p = Math.min(n.end, e); p + 4 <= e; ) {
        const k = u16(buf, p), len = u16(buf, p + 2);
        const pe = Math.min(p + 4 + len, e);
        c.push(fUint('dns.svcb.svcparam.key', 'SvcParamKey', k, p, 2));
        c.push(fUint('dns.svcb.svcparam.value.length', 'SvcParamValue length', len, p + 2, 2));
        if (pe > p + 4) c.push(fBytes('dns.svcb.svcparam.value', 'SvcParamValue', buf, p + 4, pe));
        p = pe;
        if (p + 4 > e) break;
      }
      return '';
    }
    case 48: {
      if (r.rdLen < 4) break;
      c.push(fHex('dns.dnskey.flags', 'Flags', u16(buf, s), s, 2));
      c.push(fUint('dns.dnskey.protocol', 'Protocol', buf[s + 2], s + 2, 1));
      c.push(fUint('dns.dnskey.algorithm', 'Algorithm', buf[s + 3], s + 3, 1));
      if (e > s + 4) c.push(fBytes('dns.dnskey.public_key', 'Public Key', buf, s + 4, e));
      return '';
    }
    case 46: {
      if (r.rdLen < 18) break;
      c.push(fUint('dns.rrsig.type_covered', 'Type Covered', u16(buf, s), s, 2));
      c.push(fUint('dns.rrsig.algorithm', 'Algorithm', buf[s + 2], s + 2, 1));
      c.push(fUint('dns.rrsig.labels', 'Labels', buf[s + 3], s + 3, 1));
      c.push(fUint('dns.rrsig.original_ttl', 'Original TTL', u32(buf, s + 4), s + 4, 4));
      c.push(fStr('dns.rrsig.signature_expiration', 'Signature Expiration', absTimeText(u32(buf, s + 8)), s + 8, 4));
      c.push(fStr('dns.rrsig.signature_inception', 'Signature Inception', absTimeText(u32(buf, s + 12)), s + 12, 4));
      c.push(fUint('dns.rrsig.key_tag', 'Key Tag', u16(buf, s + 16), s + 16, 2));
      const n = nm(s + 18);
      c.push(fStr('dns.rrsig.signers_name', "Signer's name", n.text, s + 18, Math.min(n.end, e) - s - 18));
      if (e > n.end) c.push(fBytes('dns.rrsig.signature', 'Signature', buf, n.end, e));
      return '';
    }
    case 43: {
      if (r.rdLen < 4) break;
      c.push(fUint('dns.ds.key_id', 'Key id', u16(buf, s), s, 2));
      c.push(fUint('dns.ds.algorithm', 'Algorithm', buf[s + 2], s + 2, 1));
      c.push(fUint('dns.ds.digest_type', 'Digest Type', buf[s + 3], s + 3, 1));
      if (e > s + 4) c.push(fBytes('dns.ds.digest', 'Digest', buf, s + 4, e));
      return '';
    }
    case 47: {
      const n = nm(s);
      c.push(fStr('dns.nsec.next_domain_name', 'Next Domain Name', n.text, s, Math.min(n.end, e) - s));
      typeBitmap(buf, n.end, e, c);
      return '';
    }
    case 50: {
      if (r.rdLen < 5) break;
      c.push(fUint('dns.nsec3.algo', 'Hash algorithm', buf[s], s, 1));
      c.push(fHex('dns.nsec3.flags', 'NSEC3 flags', buf[s + 1], s + 1, 1));
      c.push(fUint('dns.nsec3.iterations', 'NSEC3 iterations', u16(buf, s + 2), s + 2, 2));
      const sl = buf[s + 4];
      c.push(fUint('dns.nsec3.salt_length', 'Salt length', sl, s + 4, 1));
      if (s + 5 + sl <= e) {
        if (sl) c.push(fBytes('dns.nsec3.salt_value', 'Salt value', buf, s + 5, s + 5 + sl));
        const hp = s + 5 + sl;
        if (hp < e) {
          const hl = buf[hp];
          c.push(fUint('dns.nsec3.hash_length', 'Hash length', hl, hp, 1));
          if (hp + 1 + hl <= e) {
            c.push(fBytes('dns.nsec3.hash_value', 'Next hashed owner', buf, hp + 1, hp + 1 + hl));
            typeBitmap(buf, hp + 1 + hl, e, c);
          }
        }
      }
      return '';
    }
    case 250: {
      const n = nm(s);
      c.push(fStr('dns.tsig.algorithm_name', 'Algorithm Name', n.text, s, Math.min(n.end, e) - s));
      const p = n.end;
      if (p + 10 > e) return '';
      c.push(fStr('dns.tsig.time_signed', 'Time Signed', absTimeText(u16(buf, p) * 2 ** 32 + u32(buf, p + 2)), p, 6));
      c.push(fUint('dns.tsig.fudge', 'Fudge', u16(buf, p + 6), p + 6, 2));
      const ms = u16(buf, p + 8);
      c.push(fUint('dns.tsig.mac_size', 'MAC Size', ms, p + 8, 2));
      const q = p + 10 + ms;
      if (q + 6 > e) return '';
      c.push(fUint('dns.tsig.original_id', 'Original Id', u16(buf, q), q, 2));
      c.push(fUint('dns.tsig.error', 'Error', u16(buf, q + 2), q + 2, 2));
      c.push(fUint('dns.tsig.other_len', 'Other Len', u16(buf, q + 4), q + 4, 2));
      return '';
    }
    case 249: {
      const n = nm(s);
      c.push(fStr('dns.tkey.algo_name', 'Algorithm name', n.text, s, Math.min(n.end, e) - s));
      return '';
    }
  }
  c.push(fBytes('dns.data', 'Data', buf, s, e));
  return '';
}

/** What tshark appends to the Info column after the type for a record with data. */
function rdataInfo(buf: Uint8Array, msg: number, msgEnd: number, r: DnsRecord): string {
  const s = r.rdStart, e = r.rdStart + r.rdLen;
  switch (r.type) {
    case 1: return r.rdLen === 4 ? fmtIPv4(buf, s) : '';
    case 28: return r.rdLen === 16 ? fmtIPv6(buf, s) : '';
    case 2: case 5: case 12: case 39: return readName(buf, msg, msgEnd, s).text;
    case 6: return readName(buf, msg, msgEnd, s).text;
    case 15: return r.rdLen >= 3 ? `${u16(buf, s)} ${readName(buf, msg, msgEnd, s + 2).text}` : '';
    case 33: return r.rdLen >= 7 ? `${u16(buf, s)} ${u16(buf, s + 2)} ${u16(buf, s + 4)} ${readName(buf, msg, msgEnd, s + 6).text}` : '';
    case 35: {
      if (r.rdLen < 5) return '';
      const fl = cstr(buf, s + 4, e);
      return `${u16(buf, s)} ${u16(buf, s + 2)} ${fl ? fl.text : ''}`;
    }
    case 47: return readName(buf, msg, msgEnd, s).text;
  }
  return '';
}

/** NSEC/NSEC3 type bitmap (RFC 4034 §4.1.2): each type present shown as dns.resp.type, like tshark. */
function typeBitmap(buf: Uint8Array, at: number, end: number, c: Field[]): void {
  let p = at;
  while (p + 2 <= end) {
    const win = buf[p], len = buf[p + 1];
    if (len < 1 || len > 32 || p + 2 + len > end) return;
    for (let i = 0; i < len; i++) {
      const byte = buf[p + 2 + i];
      for (let b = 0; b < 8; b++) {
        if (byte & (0x80 >> b)) {
          const t = win * 256 + i * 8 + b;
          const f = fUint('dns.resp.type', 'RR type in bit map', t, p + 2 + i, 1);
          f.text = `RR type in bit map: ${typeLong(t)}`;
          c.push(f);
        }
      }
    }
    p += 2 + len;
  }
}
