// The stats_tree statistics of `wiretrace read FILE -q -z NAME,tree[,FILTER]`, as tshark 4.0 prints
// them: http (epan/dissectors/packet-http.c http_stats_tree_*), http_req and http_srv (same file),
// dns (packet-dns.c dns_stats_tree_*), plen and ptype (plugins/epan/stats_tree/pinfo_stats_tree.c).
// src/analysis/stats-tree.ts is the generic tree (nodes, burst rate, text); this file says which tap
// calls each packet makes and what each tree counts for one:
//
// - HTTP: one call per HTTP message (a request, a response, or an SSDP message: tshark's SSDP is its
//   HTTP dissector under another name), on the frame that completes it, with tshark's reading of the
//   message head: the method (after an "M-" prefix: M-SEARCH is a SEARCH), the status code (the first
//   three characters of the second token of a status line, "HTTP/…" or "ICY …"), the URI, the last
//   Host header's value, and the IP addresses of the packet.
// - DNS: one call per DNS message over UDP or TCP (not mDNS or LLMNR, not one an ICMP error quotes,
//   not one tshark's dissector stops inside).
// - plen: one call per frame; ptype: one per IPv4 header, with the transport of the packet.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Analyzer } from '../pipeline.js';
import type { HttpD as HttpMessageD } from './http/message.js';
import type { HttpD as HttpSegmentD } from '../../dissectors/http.js';
import type { DnsD } from '../../dissectors/dns.js';
import { ascii } from './http/parse.js';
import { unclaimedHttp } from './http/app.js';
import { StatsTree } from './stats-tree.js';

/** The trees `-z NAME,tree` knows. */
export const STATS_TREES = ['http', 'http_req', 'http_srv', 'dns', 'plen', 'ptype'] as const;
export type StatsTreeName = (typeof STATS_TREES)[number];

/** One tap call and what the tree's packet function does with it. */
interface TreeDef<T> {
  title: string;
  init(st: StatsTree): void;
  /** The tap calls of a packet (its HTTP messages, DNS messages, IPv4 headers, the frame). */
  taps(pkt: Packet): readonly T[];
  packet(st: StatsTree, t: T): void;
}

// ---- HTTP -------------------------------------------------------------------------------------

/** What packet-http.c's tap hands the trees (http_info_value_t). */
export interface HttpTap {
  method: string | null;
  code: number;
  uri: string | null;
  host: string | null;
  src: string;
  dst: string;
}

/** vals_http_status_code of Wireshark 4.0. */
const HTTP_STATUS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 199: 'Informational - Others', 200: 'OK',
  201: 'Created', 202: 'Accepted', 203: 'Non-authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content',
  207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used', 299: 'Success - Others', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  399: 'Redirection - Others', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Time-out', 409: 'Conflict',
  410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long',
  415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot",
  421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early',
  426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 499: 'Client Error - Others', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out', 505: 'HTTP Version not supported',
  506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended',
  511: 'Network Authentication Required', 599: 'Server Error - Others',
};

/** Request methods of is_http_request_or_reply (NOTIFY, SUBSCRIBE, UNSUBSCRIBE: notifications, counted as requests too). */
const HTTP_METHODS = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'PATCH', 'LABEL', 'MERGE',
  'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT',
  'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'RPC_CONNECT',
  'RPC_IN_DATA', 'UNSUBSCRIBE', 'RPC_OUT_DATA', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'SSTP_DUPLEX_POST',
]);

/** get_token_len: a token ends at a space (or CR, LF); the spaces after it are skipped. */
function token(line: string, at: number): { tok: string; next: number } {
  let i = at;
  while (i < line.length && line[i] !== ' ' && line[i] !== '\r' && line[i] !== '\n') i++;
  const tok = line.slice(at, i);
  while (i < line.length && line[i] === ' ') i++;
  return { tok, next: i };
}

/** strtoul of up to three characters (leading digits; 0 when none). */
function code3(s: string): number {
  const m = /^[ \t]*\+?(\d+)/.exec(s.slice(0, 3));
  return m === null ? 0 : Number(m[1]);
}

/**
 * The tap values tshark's HTTP dissector gives for one message: its first line and header lines
 * (byte ranges in buf).
 */
export function httpTapOf(buf: Uint8Array, first: [number, number], headers: readonly [number, number][], src: string, dst: string): HttpTap {
  const t: HttpTap = { method: null, code: 0, uri: null, host: null, src, dst };
  let line = ascii(buf, first[0], first[1]);
  if (line.startsWith('M-')) line = line.slice(2);
  if (line.startsWith('HTTP/') || line.startsWith('ICY')) {
    // basic_response_dissector: the version, then a status token of 3 characters or more
    const v = token(line, 0);
    if (v.tok.length === 0) return t;
    const c = token(line, v.next);
    if (c.tok.length >= 3) t.code = code3(c.tok);
  } else {
    const sp = line.indexOf(' ');
    const method = sp < 0 ? line : line.slice(0, sp);
    if (!HTTP_METHODS.has(method)) return t;
    t.method = method;
    // basic_request_dissector: the method token, then the URI token ("GET  HTTP/1.1": an empty URI)
    const m = token(line, 0);
    if (m.tok.length === 0) return t;
    let next = m.next;
    if (next > 2 && line[next - 1] === ' ' && line[next - 2] === ' ') next--;
    t.uri = token(line, next).tok;
  }
  for (const [s, e] of headers) {
    const text = ascii(buf, s, e);
    const colon = text.indexOf(':');
    if (colon !== 4 || text.slice(0, 4).toLowerCase() !== 'host') continue;
    let v = colon + 1;
    while (v < text.length && (text[v] === ' ' || text[v] === '\t')) v++;
    const nul = text.indexOf('\0', v);
    t.host = text.slice(v, nul < 0 ? text.length : nul);
  }
  return t;
}

/** The source and destination address of the IP header nearest before layer i (tshark's pinfo->src/dst). */
function addresses(layers: readonly Layer[], i: number): { src: string; dst: string } {
  for (let j = i - 1; j >= 0; j--) {
    const p = layers[j].proto;
    if (p === 'ip' || p === 'ipv6') {
      const d = layers[j].d as { src?: string; dst?: string };
      return { src: d.src ?? '', dst: d.dst ?? '' };
    }
  }
  return { src: '', dst: '' };
}

/** A packet's HTTP tap calls: one per HTTP (or SSDP) message layer. */
export function httpTaps(pkt: Packet): HttpTap[] {
  const out: HttpTap[] = [];
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l.proto !== 'http' && l.proto !== 'ssdp') continue;
    const d = l.d as Partial<HttpMessageD> & Partial<HttpSegmentD>;
    if (d === null || d === undefined) continue;
    const { src, dst } = addresses(layers, i);
    if (d.head !== undefined) {
      const h = d.head;
      // a message tshark's dissector throws inside (a bad chunk size, a malformed body) never reaches its tap
      if (h === null || malformedMessage(layers, i)) continue;
      out.push(httpTapOf(l.buf, [l.start, h.lineEnd], h.headers.map((x) => [x.start, x.end] as [number, number]), src, dst));
    } else if (d.kind === 'continuation') {
      // bytes that start no message: tshark's HTTP taps them (no method, no code) when their first
      // byte is printable, but not after the connection left HTTP (101 Switching Protocols)
      if (!d.upgraded && printableAt(l)) out.push({ method: null, code: 0, uri: null, host: null, src, dst });
    } else if (d.lines !== undefined) {
      if (d.lines.length === 0) continue;
      const [first, ...rest] = d.lines;
      out.push(httpTapOf(l.buf, [first.at, first.end], rest.map((x) => [x.at, x.end] as [number, number]), src, dst));
    }
  }
  const un = unclaimedHttp.get(pkt);
  if (un !== undefined && printableAt(un)) out.push({ method: null, code: 0, uri: null, host: null, ...addresses(layers, layers.length) });
  return out;
}

/** The HTTP layer at i, or a layer of its body after it (up to the next message), is malformed. */
function malformedMessage(layers: readonly Layer[], i: number): boolean {
  for (let j = i; j < layers.length; j++) {
    const l = layers[j];
    if (j > i && (l.proto === 'http' || l.proto === 'tcp.segments')) break;
    if (l.problems !== null && l.problems.some((p) => p.kind === 'malformed')) return true;
  }
  return false;
}

/** g_ascii_isprint of a layer's first byte. */
function printableAt(l: Layer): boolean {
  const c = l.start < l.end ? l.buf[l.start] : -1;
  return c >= 0x20 && c <= 0x7e;
}

const httpTree: TreeDef<HttpTap> = {
  title: 'HTTP/Packet Counter',
  init(st) {
    const packets = st.createNode('Total HTTP Packets', 0, true);
    st.createPivot('HTTP Request Packets', packets);
    const responses = st.createNode('HTTP Response Packets', packets, true);
    for (const n of ['???: broken', '1xx: Informational', '2xx: Success', '3xx: Redirection', '4xx: Client Error', '5xx: Server Error']) st.createNode(n, responses, true);
    st.createNode('Other HTTP Packets', packets, false);
  },
  taps: httpTaps,
  packet(st, v) {
    st.tick('Total HTTP Packets', 0, false);
    const packets = st.id('Total HTTP Packets');
    const i = v.code;
    if (i) {
      const responses = st.id('HTTP Response Packets');
      st.tick('HTTP Response Packets', packets, false);
      const grp = i < 100 || i >= 600 ? '???: broken' : ['1xx: Informational', '2xx: Success', '3xx: Redirection', '4xx: Client Error', '5xx: Server Error'][Math.floor(i / 100) - 1];
      st.tick(grp, responses, false);
      st.tick(`${i} ${HTTP_STATUS[i] ?? `Unknown (${i})`}`, st.id(grp), false);
    } else if (v.method !== null) {
      st.tickPivot(st.id('HTTP Request Packets'), v.method);
    } else {
      st.tick('Other HTTP Packets', packets, false);
    }
  },
};

const httpReqTree: TreeDef<HttpTap> = {
  title: 'HTTP/Requests',
  init(st) {
    st.createNode('HTTP Requests by HTTP Host', 0, true);
  },
  taps: httpTaps,
  packet(st, v) {
    if (v.method === null) return;
    st.tick('HTTP Requests by HTTP Host', 0, false);
    if (v.host !== null) {
      const host = st.tick(v.host, st.id('HTTP Requests by HTTP Host'), true);
      if (v.uri !== null) st.tick(v.uri, host, true);
    }
  },
};

const httpSrvTree: TreeDef<HttpTap> = {
  title: 'HTTP/Load Distribution',
  init(st) {
    const reqs = st.createNode('HTTP Requests by Server', 0, true);
    st.createNode('HTTP Requests by Server Address', reqs, true);
    st.createNode('HTTP Requests by HTTP Host', reqs, true);
    st.createNode('HTTP Responses by Server Address', 0, true);
  },
  taps: httpTaps,
  packet(st, v) {
    const reqs = st.id('HTTP Requests by Server');
    if (v.method !== null) {
      st.tick('HTTP Requests by Server', 0, false);
      st.tick('HTTP Requests by Server Address', reqs, true);
      st.tick('HTTP Requests by HTTP Host', reqs, true);
      const byAddr = st.tick(v.dst, st.id('HTTP Requests by Server Address'), true);
      if (v.host !== null) {
        const byHost = st.tick(v.host, st.id('HTTP Requests by HTTP Host'), true);
        st.tick(v.dst, byHost, false);
        st.tick(v.host, byAddr, false);
      }
    } else if (v.code !== 0) {
      st.tick('HTTP Responses by Server Address', 0, false);
      const byAddr = st.tick(v.src, st.id('HTTP Responses by Server Address'), true);
      st.tick(v.code > 100 && v.code < 400 ? 'OK' : 'KO', byAddr, false);
    }
  },
};

// ---- DNS --------------------------------------------------------------------------------------

/** dns_types_description_vals of Wireshark 4.0 (tshark -G values, dns.qry.type). */
const DNS_TYPES: Record<number, string> = {
  0: 'Unused', 1: 'A (Host Address)', 2: 'NS (authoritative Name Server)', 3: 'MD (Mail Destination)', 4: 'MF (Mail Forwarder)',
  5: 'CNAME (Canonical NAME for an alias)', 6: 'SOA (Start Of a zone of Authority)', 7: 'MB (MailBox domain name)',
  8: 'MG (Mail Group member)', 9: 'MR (Mail Rename domain)', 10: 'NULL RR', 11: 'WKS (Well Known Service)', 12: 'PTR (domain name PoinTeR)',
  13: 'HINFO (host information)', 14: 'MINFO (Mailbox or mail list information)', 15: 'MX (Mail eXchange)', 16: 'TXT (Text strings)',
  17: 'RP (Responsible Person)', 18: 'AFSDB (AFS Data Base location)', 19: 'X25 (XX.25 PSDN address)', 20: 'ISDN (ISDN address)',
  21: 'RT (Route Through)', 22: 'NSAP (NSAP address)', 23: 'NSAP-PTR (NSAP domain name pointer)', 24: 'SIG (security signature)',
  25: 'KEY (security key)', 26: 'PX (X.400 mail mapping information)', 27: 'GPOS (Geographical Position)', 28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)', 30: 'NXT (Next Domain)', 31: 'EID (Endpoint Identifier)', 32: 'NIMLOC (Nimrod Locator)',
  33: 'SRV (Server Selection)', 34: 'ATMA (ATM Address)', 35: 'NAPTR (Naming Authority Pointer)', 36: 'KX (Key Exchanger)', 37: 'CERT',
  38: 'A6 (OBSOLETE - use AAAA)', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS (Delegation Signer)',
  44: 'SSHFP (SSH Key Fingerprint)', 45: 'IPSECKEY', 46: 'RRSIG (Resource Record Signature)', 47: 'NSEC (Next Secure)',
  48: 'DNSKEY (DNS Public Key)', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 55: 'HIP (Host Identity Protocol)', 57: 'RKEY',
  58: 'TALINK (Trust Anchor LINK)', 59: 'CDS (Child DS)', 60: 'CDNSKEY (DNSKEY(s) the Child wants reflected in DS)',
  61: 'OPENPGPKEY (OpenPGP Key)', 62: 'CSYNC (Child-to-Parent Synchronization)', 63: 'ZONEMD', 64: 'SVCB (General Purpose Service Endpoints)',
  65: 'HTTPS (HTTPS Specific Service Endpoints)', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID (NodeID)',
  105: 'L32 (Locator32)', 106: 'L64 (Locator64)', 107: 'LP (Locator FQDN)', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY (Transaction Key)',
  250: 'TSIG (Transaction Signature)', 251: 'IXFR (incremental transfer)', 252: 'AXFR (transfer of an entire zone)',
  253: 'MAILB (mailbox-related RRs)', 254: 'MAILA (mail agent RRs)', 255: '* (A request for all records the server/cache has available)',
  256: 'URI', 257: 'CAA (Certification Authority Restriction)', 32768: 'TA (DNSSEC Trust Authorities)',
  32769: 'DLV (DNSSEC Lookaside Validation)', 65281: 'WINS', 65282: 'WINS-R', 65422: 'XPF',
};
const DNS_CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const DNS_OPCODES: Record<number, string> = {
  0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};
const DNS_RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused', 6: 'Name exists',
  7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone', 11: 'DSO-Type not implemented',
  16: 'Bad OPT Version or TSIG Signature Failure', 17: 'Key not recognized', 18: 'Signature out of time window', 19: 'Bad TKEY Mode',
  20: 'Duplicate key name', 21: 'Algorithm not supported', 22: 'Bad Truncation', 23: 'Bad/missing Server Cookie',
};

/** What packet-dns.c's tap hands the tree (struct DnsTap). */
export interface DnsTap {
  qr: number;
  opcode: number;
  rcode: number;
  qtype: number;
  qclass: number;
  payload: number;
  counts: readonly [number, number, number, number];
  qnameLen: number;
  labels: number;
  unsolicited: boolean;
  retransmission: boolean;
  /** Request-response time in ms (float), when the response has its query. */
  rrt: number | null;
}

/** dns.time ("S.NNNNNNNNN" seconds) as tshark's (gfloat)(secs*1000. + nsecs/1000000.0). */
function rrtMs(text: string): number | null {
  const m = /^(-?)(\d+)\.(\d{9})$/.exec(text);
  if (m === null) return null;
  const sign = m[1] === '-' ? -1 : 1;
  return Math.fround(sign * Number(m[2]) * 1000 + (sign * Number(m[3])) / 1000000.0);
}

/**
 * Past the records wiretrace decodes (4096), whether the message has room for the rest the header
 * counts (a question takes 5 bytes at least, a resource record 11): if not, tshark's dissector runs
 * off the end and never reaches its tap.
 */
function roomFor(d: DnsD, from: number): boolean {
  const left = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) left[i] = d.counts[i];
  for (const r of d.records) left[r.sec]--;
  const need = left[0] * 5 + (left[1] + left[2] + left[3]) * 11;
  return need <= d.msgEnd - from;
}

/** A packet's DNS tap calls: one per whole DNS message (not mDNS/LLMNR, not one tshark stops inside). */
export function dnsTaps(pkt: Packet): DnsTap[] {
  const out: DnsTap[] = [];
  for (const l of pkt.layers) {
    if (l.proto !== 'dns') continue;
    const d = l.d as DnsD;
    if (d === null || d.flavour !== 'dns' || !d.ok || d.partial || d.contOf !== 0) continue;
    if (l.problems !== null && l.problems.some((p) => p.kind === 'malformed' || p.kind === 'truncated' || (p.kind === 'unsupported' && !roomFor(d, p.start)))) continue;
    const q = d.counts[0] > 0 ? d.records.find((r) => r.sec === 0) : undefined;
    if (d.counts[0] > 0 && q === undefined) continue;
    let unsolicited = false;
    let retransmission = false;
    let rrt: number | null = null;
    for (const f of l.extra ?? []) {
      if (f.key === 'dns.unsolicited') unsolicited = true;
      else if (f.key === 'dns.retransmission') retransmission = true;
      else if (f.key === 'dns.time') rrt = rrtMs(String(f.value));
    }
    out.push({
      qr: d.flags >>> 15,
      opcode: (d.flags >>> 11) & 15,
      rcode: d.flags & 15,
      qtype: q?.type ?? 0,
      qclass: q?.cls ?? 0,
      payload: d.tcpLen >= 0 ? d.tcpLen + 2 : l.end - l.start,
      counts: d.counts,
      qnameLen: q?.name.len ?? 0,
      labels: q?.name.labels ?? 0,
      unsolicited: (d.flags & 0x8000) !== 0 && unsolicited,
      retransmission,
      rrt,
    });
  }
  return out;
}

const dnsTree: TreeDef<DnsTap> = {
  title: 'DNS',
  init(st) {
    const packets = st.createNode('Total Packets', 0, true);
    for (const p of ['Query/Response', 'Query Type', 'Class', 'rcode', 'opcodes']) st.createPivot(p, packets);
    st.createNode('Payload size', 0, false);
    const query = st.createNode('Query Stats', 0, true);
    st.createNode('Qname Len', query, false);
    const domains = st.createNode('Label Stats', query, true);
    for (const n of ['1st Level', '2nd Level', '3rd Level', '4th Level or more']) st.createNode(n, domains, false);
    const resp = st.createNode('Response Stats', 0, true);
    for (const n of ['no. of questions', 'no. of answers', 'no. of authorities', 'no. of additionals']) st.createNode(n, resp, false);
    const service = st.createNode('Service Stats', 0, true);
    st.createNode('no. of unsolicited responses', service, false);
    st.createNode('no. of retransmissions', service, false);
    st.createNode('request-response time (msec)', service, false, true);
  },
  taps: dnsTaps,
  packet(st, p) {
    st.tick('Total Packets', 0, false);
    st.tickPivot(st.id('Query/Response'), p.qr === 0 ? 'Query' : 'Response');
    st.tickPivot(st.id('Query Type'), DNS_TYPES[p.qtype] ?? `Unknown packet type (${p.qtype})`);
    st.tickPivot(st.id('Class'), DNS_CLASSES[p.qclass] ?? `Unknown class (${p.qclass})`);
    st.tickPivot(st.id('rcode'), DNS_RCODES[p.rcode] ?? `Unknown rcode (${p.rcode})`);
    st.tickPivot(st.id('opcodes'), DNS_OPCODES[p.opcode] ?? `Unknown opcode (${p.opcode})`);
    st.avg('Payload size', 0, false, p.payload);
    if (p.qr === 0) {
      st.avg('Qname Len', 0, false, p.qnameLen);
      st.tick(['1st Level', '2nd Level', '3rd Level'][p.labels - 1] ?? '4th Level or more', 0, false);
      return;
    }
    const counts = (): void => {
      st.avg('no. of questions', 0, false, p.counts[0]);
      st.avg('no. of answers', 0, false, p.counts[1]);
      st.avg('no. of authorities', 0, false, p.counts[2]);
      st.avg('no. of additionals', 0, false, p.counts[3]);
    };
    // as tshark 4.0: the counts of a response that has its query are added twice
    counts();
    if (p.unsolicited) {
      st.tick('no. of unsolicited responses', 0, false);
      return;
    }
    counts();
    if (p.retransmission) st.tick('no. of retransmissions', 0, false);
    else st.avg('request-response time (msec)', 0, false, p.rrt ?? 0, true);
  },
};

// ---- plen and ptype ----------------------------------------------------------------------------

const PLEN_RANGES = ['0-19', '20-39', '40-79', '80-159', '160-319', '320-639', '640-1279', '1280-2559', '2560-5119', '5120 and greater'];

const plenTree: TreeDef<number> = {
  title: 'Packet Lengths',
  init(st) {
    st.createRangeNode('Packet Lengths', 0, PLEN_RANGES);
  },
  taps: (pkt) => [pkt.frame.origLen],
  packet(st, len) {
    st.tick('Packet Lengths', 0, false);
    st.tickRange('Packet Lengths', 0, len);
  },
};

/**
 * port_type_to_str of the packet's transport: tshark's pinfo->ptype after the whole dissection, so the
 * last TCP or UDP header dissected, the one an ICMP error quotes included.
 */
function portType(layers: readonly Layer[], t = 'NONE'): string {
  for (const l of layers) {
    if (l.proto === 'tcp') t = 'TCP';
    else if (l.proto === 'udp') t = 'UDP';
    else if (l.proto === 'sctp') t = 'SCTP';
    else if (l.proto === 'dccp') t = 'DCCP';
    if (l.inner !== null) t = portType(l.inner, t);
  }
  return t;
}

const ptypeTree: TreeDef<string> = {
  title: 'IPv4 Statistics/IP Protocol Types',
  init(st) {
    st.createPivot('IP Protocol Types', 0);
  },
  taps(pkt) {
    // not a header tshark's IPv4 dissector stops inside (a bogus header length, a header cut short)
    const n = pkt.layers.filter((l) => l.proto === 'ip' && !(l.problems !== null && l.problems.some((p) => (p.kind === 'malformed' || p.kind === 'truncated') && p.start === l.start))).length;
    if (n === 0) return [];
    const t = portType(pkt.layers);
    return new Array<string>(n).fill(t);
  },
  packet(st, t) {
    st.tickPivot(st.id('IP Protocol Types'), t);
  },
};

const DEFS: Record<StatsTreeName, TreeDef<never>> = {
  http: httpTree as TreeDef<never>,
  http_req: httpReqTree as TreeDef<never>,
  http_srv: httpSrvTree as TreeDef<never>,
  dns: dnsTree as TreeDef<never>,
  plen: plenTree as TreeDef<never>,
  ptype: ptypeTree as TreeDef<never>,
};

/** One `-z NAME,tree[,FILTER]` statistic: the tree, fed by statsTreeAnalyzer. */
export class StatsTreeStat {
  readonly tree: StatsTree;
  readonly def: TreeDef<unknown>;
  constructor(readonly kind: StatsTreeName) {
    this.def = DEFS[kind] as TreeDef<unknown>;
    this.tree = new StatsTree(this.def.title);
    this.def.init(this.tree);
  }

  /** The packet's tap calls, at `ms` since the first frame. */
  add(pkt: Packet, ms: number): void {
    for (const t of this.def.taps(pkt)) {
      this.tree.tap(ms);
      this.def.packet(this.tree, t);
    }
  }

  text(): string {
    return this.tree.text();
  }
}

/** nstime_to_msec(rel_ts): milliseconds as tshark computes them from a time since the first frame. */
export function relMs(ns: bigint): number {
  const s = ns / 1_000_000_000n;
  return Number(s) * 1000 + Number(ns - s * 1_000_000_000n) / 1000000;
}

/** An analyzer (after every other one) feeding a stats tree the packets its filter passes. */
export function statsTreeAnalyzer(stat: StatsTreeStat, rel: (pkt: Packet) => bigint, filter: { test(pkt: Packet): boolean } | null): Analyzer {
  return {
    name: `${stat.kind},tree`,
    packet(pkt) {
      const t = rel(pkt);
      if (filter !== null && !filter.test(pkt)) return;
      stat.add(pkt, relMs(t));
    },
  };
}
