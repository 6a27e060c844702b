// tshark's expert information: the items Wireshark's dissectors attach to a packet (a severity, a
// group, the protocol that added it and a summary text), as `-z expert` counts them and
// `-e _ws.expert.message` shows them. Built from what wiretrace's layers and analyzers already know
// (TCP flags and analysis, HTTP first lines, IPv4 TTL rules, problems that tshark reports as a
// "Malformed Packet" exception, pcapng comments, Ethernet trailers), in the order tshark adds them
// within a packet. Only runs when asked for (-z expert, an _ws.expert field or filter): the
// default table path never calls it.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Field } from '../dissect/types.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TCP_URG, type IpD, type TcpD } from '../dissect/decoded.js';
import * as F from './tcp/flags.js';
import type { TcpAnalysis } from './tcp/tracker.js';
import type { Analyzer } from '../pipeline.js';

/** Severities: Wireshark's PI_* values (what -T fields prints for _ws.expert.severity). */
export const COMMENT = 0x00100000, CHAT = 0x00200000, NOTE = 0x00400000, WARN = 0x00600000, ERROR = 0x00800000;
/** Groups (PI_*): _ws.expert.group values. */
export const G_CHECKSUM = 0x01000000, G_SEQUENCE = 0x02000000, G_UNDECODED = 0x05000000, G_MALFORMED = 0x07000000,
  G_PROTOCOL = 0x09000000, G_COMMENTS = 0x0b000000, G_DEPRECATED = 0x0e000000;

/** expert_group_vals: a group's name in the -z expert table. */
const GROUP_NAMES: Record<number, string> = {
  0x01000000: 'Checksum', 0x02000000: 'Sequence', 0x03000000: 'Response', 0x04000000: 'Request', 0x05000000: 'Undecoded',
  0x06000000: 'Reassemble', 0x07000000: 'Malformed', 0x08000000: 'Debug', 0x09000000: 'Protocol', 0x0a000000: 'Security',
  0x0b000000: 'Comment', 0x0c000000: 'Decryption', 0x0d000000: 'Assumption', 0x0e000000: 'Deprecated', 0x0f000000: 'Receive',
  0x10000000: 'Interface', 0x11000000: 'Dissector bug',
};
const SEVERITY_NAMES: Record<number, string> = { [COMMENT]: 'Comment', [CHAT]: 'Chat', [NOTE]: 'Note', [WARN]: 'Warning', [ERROR]: 'Error' };

export function groupName(g: number): string {
  return GROUP_NAMES[g] ?? `Unknown (${g})`;
}
export function severityName(s: number): string {
  return SEVERITY_NAMES[s] ?? `Unknown (${s})`;
}

export interface ExpertItem {
  severity: number;
  group: number;
  /** The protocol's short name as tshark's expert table shows it: TCP, HTTP, IPv4, mDNS, Frame … */
  protocol: string;
  summary: string;
  /**
   * Added inside a packet quoted by an ICMP error: -T fields shows it, the expert tap (-z expert)
   * does not count it (tshark taps nothing from an error packet's payload).
   */
  quoted?: boolean;
}

/** tshark formats a summary into a 240-byte label buffer: 239 characters at most. */
const MAX_SUMMARY = 239;

function item(out: ExpertItem[], severity: number, group: number, protocol: string, summary: string): void {
  out.push({ severity, group, protocol, summary: summary.length > MAX_SUMMARY ? summary.slice(0, MAX_SUMMARY) : summary });
}

/** Per-capture state some items need (TCP's closing initiator), kept by the ExpertTracker. */
export class ExpertTracker {
  /**
   * tcp.stream → the sides ('a' first sender, 'b' the other) that initiated the closing (tshark's
   * closing_initiator): the first to send a FIN while the other had not. One short string per stream
   * that saw a FIN.
   */
  private readonly closing = new Map<number, string>();
  /** Original length of the packet being walked. */
  private frameLen = 0;
  private tree = false;

  /**
   * The items of one packet, in the order tshark adds them (its expert tap's order), or with `tree`
   * in the order of the tree items they hang on (the _ws.expert fields' order: the Ethernet trailer
   * note then sits with the link layer). Call once per packet, in capture order.
   */
  items(pkt: Packet, tree = false): ExpertItem[] {
    this.tree = tree;
    const out: ExpertItem[] = [];
    const fr = pkt.frame;
    this.frameLen = fr.origLen;
    if (fr.comments) for (const c of fr.comments) item(out, COMMENT, G_COMMENTS, 'Frame', c);
    if (fr.data.length > fr.origLen) item(out, ERROR, G_MALFORMED, 'Frame', 'Frame length is less than captured length');
    this.walk(pkt.layers, out, false);
    return out;
  }

  private walk(layers: readonly Layer[], out: ExpertItem[], quoted: boolean): void {
    const from = out.length;
    // items the link layer adds after its payload was dissected (the Ethernet trailer note)
    const after: ExpertItem[] = [];
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      switch (l.dis.proto) {
        case 'ip':
          this.ipv4(l, out);
          break;
        case 'tcp':
          this.tcp(l, out);
          break;
        case 'http':
        case 'ssdp':
          httpChat(l, out);
          break;
        case 'ipv6':
          ipv6Routing(l.fields(), out);
          break;
        case 'dns':
          dnsRetransmission(l, out);
          dnsTsig(l.fields(), out);
          dnsUndissected(l.fields(), out);
          break;
        case 'dhcp':
          // a client that sends the seconds little-endian (tshark then reads them so: 1..255)
          if (l.end - l.start >= 10 && l.buf[l.start + 8] !== 0 && l.buf[l.start + 9] === 0) {
            item(out, NOTE, G_PROTOCOL, 'DHCP/BOOTP', 'Seconds elapsed appears to be encoded as little-endian');
          }
          break;
        case 'x11':
          // a request length of 0 (BIG-REQUESTS: the length follows in 32 bits)
          for (const f of l.fields()) if (f.key === 'x11.request-length' && f.value === 0) item(out, WARN, G_PROTOCOL, 'X11', 'Bogus request length (0)');
          break;
        case 'eth':
          ethSource(l, out);
          trailerNote(l, layers, this.frameLen, this.tree ? out : after);
          break;
        case 'vlan':
        case 'sll':
        case 'sll2':
          trailerNote(l, layers, this.frameLen, this.tree ? out : after);
          break;
      }
      if (l.inner !== null) this.walk(l.inner, out, true);
      knownProblems(l, out);
      if (malformedAt(l)) {
        item(out, ERROR, G_MALFORMED, shortName(l), 'Malformed Packet (Exception occurred)');
        break;
      }
    }
    for (let i = after.length - 1; i >= 0; i--) out.push(after[i]);
    if (quoted) for (let i = from; i < out.length; i++) out[i].quoted = true;
  }

  private ipv4(l: Layer, out: ExpertItem[]): void {
    const d = l.d as IpD & { ok?: boolean };
    if (d.version !== 4 || d.dst === '' || d.ttl === undefined) return;
    const p = d.dst.split('.');
    if (p.length !== 4) return;
    const a = Number(p[0]), b = Number(p[1]), c = Number(p[2]), last = Number(p[3]);
    const ttl = d.ttl;
    if (a === 224 && b === 0 && c === 0) {
      // RFC 3171's Local Network Control Block: TTL 1, except VRRP, GLBP and mDNS (255) and LLMNR (any)
      const want = last === 18 || last === 102 || last === 251 ? 255 : last === 252 ? -1 : 1;
      if (want >= 0 && ttl !== want) item(out, NOTE, G_SEQUENCE, 'IPv4', `"Time To Live" != ${want} for a packet sent to the Local Network Control Block (see RFC 3171)`);
    } else if ((a & 0xf0) !== 0xe0 && ttl < 5 && d.proto !== 103 && d.proto !== 89) {
      item(out, NOTE, G_SEQUENCE, 'IPv4', `"Time To Live" only ${ttl}`);
    }
  }

  private tcp(l: Layer, out: ExpertItem[]): void {
    const d = l.d as TcpD & { hdrBogus?: boolean; quotedSeq?: boolean };
    if (!d.ok || d.quotedSeq) return;
    const a = l.ann as TcpAnalysis | null;
    const flags = d.flags;
    // the segment is shorter than the header says (tshark's check before the flags)
    if (l.problems !== null && l.problems.some((p) => SHORT_SEGMENT.test(p.message))) {
      item(out, WARN, G_MALFORMED, 'TCP', 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)');
    }
    if (!(flags & TCP_ACK) && d.ack !== 0) item(out, NOTE, G_PROTOCOL, 'TCP', 'The acknowledgment number field is nonzero while the ACK flag is not set');
    if (flags & TCP_SYN) {
      if (flags & TCP_ACK) item(out, CHAT, G_SEQUENCE, 'TCP', `Connection establish acknowledge (SYN+ACK): server port ${d.srcport}`);
      else item(out, CHAT, G_SEQUENCE, 'TCP', `Connection establish request (SYN): server port ${d.dstport}`);
    }
    if (flags & TCP_FIN) {
      item(out, CHAT, G_SEQUENCE, 'TCP', 'Connection finish (FIN)');
      if (a !== null) {
        // tshark's closing initiator: the first side to send a FIN, unless the other side did first
        const key = a.stream;
        const mine = a.dir === 0 ? 'a' : 'b';
        const theirs = a.dir === 0 ? 'b' : 'a';
        const s = this.closing.get(key) ?? '';
        if (!s.includes(theirs)) {
          if (!s.includes(mine)) this.closing.set(key, s + mine);
          item(out, NOTE, G_SEQUENCE, 'TCP', 'This frame initiates the connection closing');
        } else item(out, NOTE, G_SEQUENCE, 'TCP', 'This frame undergoes the connection closing');
      }
    }
    if (flags & TCP_RST) item(out, WARN, G_SEQUENCE, 'TCP', 'Connection reset (RST)');
    if (!(flags & TCP_URG) && d.urgent !== 0) item(out, NOTE, G_PROTOCOL, 'TCP', 'The urgent pointer field is nonzero while the URG flag is not set');
    if (d.hdrBogus) return;
    const o = d.options;
    if (o.tfo !== undefined && o.tfo.cookieLen > 0 && (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) item(out, NOTE, G_SEQUENCE, 'TCP', 'TCP SYN with TFO Cookie');
    if (o.sack !== undefined && o.sack.length > 0 && flags & TCP_ACK) {
      const [le, re] = o.sack[0];
      const dsack = ((re - d.ack) | 0) <= 0 || (o.sack.length > 1 && ((le - o.sack[1][0]) | 0) >= 0 && ((re - o.sack[1][1]) | 0) <= 0);
      if (dsack) item(out, WARN, G_SEQUENCE, 'TCP', 'D-SACK Sequence');
    }
    if (flags & TCP_SYN && d.hdrLen > 20 && o.mss === undefined) item(out, NOTE, G_PROTOCOL, 'TCP', 'The SYN packet does not contain a MSS option');
    if (a !== null && a.flags !== 0) tcpAnalysis(a, out);
  }
}

const SHORT_SEGMENT = /^TCP header length \d+ exceeds the segment/;

const ANALYSIS_SEVERITY: Record<number, number> = {
  [F.A_RETRANSMISSION]: NOTE, [F.A_FAST_RETRANSMISSION]: NOTE, [F.A_SPURIOUS_RETRANSMISSION]: NOTE, [F.A_OUT_OF_ORDER]: WARN,
  [F.A_LOST_PACKET]: WARN, [F.A_ACK_LOST_PACKET]: WARN, [F.A_WINDOW_UPDATE]: CHAT, [F.A_WINDOW_FULL]: WARN, [F.A_KEEP_ALIVE]: NOTE,
  [F.A_KEEP_ALIVE_ACK]: NOTE, [F.A_DUPLICATE_ACK]: NOTE, [F.A_ZERO_WINDOW_PROBE]: NOTE, [F.A_ZERO_WINDOW]: WARN,
  [F.A_ZERO_WINDOW_PROBE_ACK]: NOTE, [F.A_REUSED_PORTS]: NOTE,
};

/** The SEQ/ACK analysis' items, in tcp_print_sequence_number_analysis' order. */
function tcpAnalysis(a: TcpAnalysis, out: ExpertItem[]): void {
  for (const fi of F.ANALYSIS_FLAGS) {
    if (!(a.flags & fi.bit)) continue;
    const sev = ANALYSIS_SEVERITY[fi.bit];
    if (fi.bit === F.A_DUPLICATE_ACK) {
      item(out, sev, G_SEQUENCE, 'TCP', `Duplicate ACK (#${a.dupAckNum})`);
      continue;
    }
    item(out, sev, G_SEQUENCE, 'TCP', fi.expert);
    // tshark adds the retransmission item to fast and spurious retransmissions too
    if (fi.bit === F.A_FAST_RETRANSMISSION || fi.bit === F.A_SPURIOUS_RETRANSMISSION) item(out, NOTE, G_SEQUENCE, 'TCP', 'This frame is a (suspected) retransmission');
  }
}

/** HTTP's chat on a request or status line: the line as its tree item shows it ("GET / HTTP/1.1\r\n"). */
function httpChat(l: Layer, out: ExpertItem[]): void {
  const fs = l.fields();
  for (const f of fs) {
    const c = f.children;
    if (c === undefined || !c.some((k) => k.key === 'http.request.method' || k.key === 'http.response.version')) continue;
    item(out, CHAT, G_SEQUENCE, l.dis.proto === 'ssdp' ? 'SSDP' : 'HTTP', fieldText(f));
    return;
  }
}

function fieldText(f: Field): string {
  return f.text ?? `${f.label}: ${f.show}`;
}

/**
 * The Ethertype dissector's note on a trailer when the frame may have been padded (at least 60 bytes
 * long, the trailer starting before byte 60) but no zero padding was found (add_ethernet_trailer);
 * tshark adds it after the payload was dissected.
 */
function trailerNote(l: Layer, layers: readonly Layer[], frameLen: number, after: ExpertItem[]): void {
  let trailer: Field | null = null;
  for (const f of l.fields()) if (f.key.endsWith('.trailer')) trailer = f;
  if (trailer === null) return;
  for (const x of layers) {
    if (x.proto !== 'eth' && x.proto !== 'vlan' && x.proto !== 'sll' && x.proto !== 'sll2') continue;
    for (const f of x.fields()) if (f.key.endsWith('.padding')) return;
  }
  if (frameLen < 60 || trailer.start >= 60) return;
  after.push({ severity: NOTE, group: G_PROTOCOL, protocol: 'Ethertype', summary: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros." });
}

/** Ethernet: a group address (I/G bit set) as the source. */
function ethSource(l: Layer, out: ExpertItem[]): void {
  if (l.end - l.start >= 12 && l.buf[l.start + 6] & 1) item(out, WARN, G_PROTOCOL, 'Ethernet', 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
}

const DNS_NAMES: Record<string, string> = { dns: 'DNS', mdns: 'mDNS', llmnr: 'LLMNR' };

/** DNS: a repeated query or response (the DNS transactions analyzer's dns.retransmit_*_in). */
function dnsRetransmission(l: Layer, out: ExpertItem[]): void {
  const ex = l.extra;
  if (ex === null) return;
  const proto = DNS_NAMES[l.dis.filterProto?.(l) ?? 'dns'] ?? 'DNS';
  for (const f of ex) {
    if (f.key === 'dns.retransmit_request_in') item(out, WARN, G_PROTOCOL, proto, `DNS query retransmission. Original request in frame ${f.show}`);
    else if (f.key === 'dns.retransmit_response_in') item(out, WARN, G_PROTOCOL, proto, `DNS response retransmission. Original response in frame ${f.show}`);
  }
}

/** DNS: a TSIG record's MAC, which tshark 4.0 hands to a dissector by algorithm name and has none for. */
function dnsTsig(fs: readonly Field[], out: ExpertItem[]): void {
  let alg: string | null = null;
  for (const f of fs) {
    if (f.key === 'dns.tsig.algorithm_name') alg = f.show;
    else if (f.key === 'dns.tsig.mac_size' && alg !== null && f.value !== 0) item(out, WARN, G_UNDECODED, 'DNS', `No dissector for algorithm:${alg}`);
    if (f.children !== undefined) dnsTsig(f.children, out);
  }
}

/** Record types tshark 4.0's DNS dissector names but does not dissect (its "not implemented" note). */
const DNS_UNDISSECTED = new Set([256]);

function dnsUndissected(fs: readonly Field[], out: ExpertItem[]): void {
  for (const f of fs) {
    if (f.key === 'dns.resp.type' && DNS_UNDISSECTED.has(f.value as number)) {
      item(out, NOTE, G_UNDECODED, 'DNS', `Dissector for DNS Type (${f.value as number}) code not implemented, Contact Wireshark developers if you want this supported`);
    }
    if (f.children !== undefined) dnsUndissected(f.children, out);
  }
}

/** Problems whose text is tshark's own expert item (or maps to one): the item, with its severity and group. */
const KNOWN: { re: RegExp; severity: number; group: number; protocol: string; text?: string }[] = [
  { re: /^IPv4 total length exceeds packet length \(\d+ bytes\)$/, severity: ERROR, group: G_PROTOCOL, protocol: 'IPv4' },
  { re: /^Bogus IP header length \(\d+, must be at least 20\)$/, severity: ERROR, group: G_PROTOCOL, protocol: 'IPv4' },
];

function knownProblems(l: Layer, out: ExpertItem[]): void {
  const ps = l.problems;
  if (ps === null) return;
  for (const p of ps) for (const k of KNOWN) if (k.re.test(p.message)) item(out, k.severity, k.group, k.protocol, k.text ?? p.message);
}

/** IPv6: a Type 0 (source route) or Type 1 (Nimrod) routing header, deprecated (RFC 5095). */
function ipv6Routing(fs: readonly Field[], out: ExpertItem[]): void {
  for (const f of fs) {
    if (f.key === 'ipv6.routing.type' && (f.value === 0 || f.value === 1)) item(out, NOTE, G_DEPRECATED, 'IPv6 Routing', 'Routing header type is deprecated');
    if (f.children !== undefined) ipv6Routing(f.children, out);
  }
}

/** A 'malformed' problem that reaches the end of its layer: where tshark's dissector threw. */
function malformedAt(l: Layer): boolean {
  const ps = l.problems;
  if (ps === null) return false;
  for (const p of ps) if (p.kind === 'malformed' && p.end >= l.end) return true;
  return false;
}

/** tshark's short protocol name for a layer (the Protocol column's word where the layer sets it). */
function shortName(l: Layer): string {
  const dis = l.dis;
  if (dis.proto === 'dns') return DNS_NAMES[dis.filterProto?.(l) ?? 'dns'] ?? 'DNS';
  const fixed = SHORT_NAMES[dis.proto];
  if (fixed !== undefined) return fixed;
  const col = dis.column !== undefined ? dis.column(l as never) : '';
  return col !== '' ? col : dis.proto.toUpperCase();
}

const SHORT_NAMES: Record<string, string> = { ip: 'IPv4', ipv6: 'IPv6', eth: 'Ethernet', frame: 'Frame', http: 'HTTP', ssdp: 'SSDP', tcp: 'TCP', udp: 'UDP' };

// ---------------------------------------------------------------------------------------------
// -z expert[,error|,warn|,note|,chat|,comment][,FILTER]

const LEVELS: Record<string, number> = { error: ERROR, warn: WARN, note: NOTE, chat: CHAT, comment: COMMENT };

/** The level and filter of a -z expert argument, as tshark's expert_stat_init reads it; null if not expert. */
export function parseExpertArg(z: string): { level: number; filter: string } | null {
  if (!z.startsWith('expert')) return null;
  let args = z.slice(6);
  let level = COMMENT;
  for (const [name, v] of Object.entries(LEVELS)) {
    if (args.slice(0, name.length + 1).toLowerCase() === ',' + name) {
      level = v;
      args = args.slice(name.length + 1);
      break;
    }
  }
  // tshark: anything else right after "expert" is ignored; ",FILTER" is the filter
  return { level, filter: args.startsWith(',') ? args.slice(1) : '' };
}

interface Entry {
  group: number;
  protocol: string;
  summary: string;
  frequency: number;
}

/** What -z expert prints: per severity, the distinct (protocol, summary) in order of first sight. */
export class ExpertStat {
  private readonly bySeverity = new Map<number, { list: Entry[]; index: Map<string, Entry> }>();
  constructor(readonly level: number) {}

  add(it: ExpertItem): void {
    if (it.quoted || it.severity < this.level) return;
    let s = this.bySeverity.get(it.severity);
    if (s === undefined) {
      s = { list: [], index: new Map() };
      this.bySeverity.set(it.severity, s);
    }
    const key = it.protocol + '\0' + it.summary;
    const e = s.index.get(key);
    if (e !== undefined) e.frequency++;
    else {
      const n: Entry = { group: it.group, protocol: it.protocol, summary: it.summary, frequency: 1 };
      s.index.set(key, n);
      s.list.push(n);
    }
  }

  text(): string {
    let out = '';
    const sections: [number, string][] = [[ERROR, 'Errors'], [WARN, 'Warns'], [NOTE, 'Notes'], [CHAT, 'Chats'], [COMMENT, 'Comments']];
    for (const [sev, label] of sections) {
      const s = this.bySeverity.get(sev);
      if (s === undefined || s.list.length === 0) continue;
      let total = 0;
      for (const e of s.list) total += e.frequency;
      out += `\n${label} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const e of s.list) out += `${pad(String(e.frequency), 12)} ${pad(groupName(e.group), 10)} ${pad(e.protocol, 18)}  ${e.summary}\n`;
    }
    return out;
  }
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}

/** The -z expert analyzer: every packet's items (state moves on every packet), counted when FILTER passes it. */
export function expertAnalyzer(stat: ExpertStat, filter: { test(pkt: Packet): boolean } | null): Analyzer {
  const tracker = new ExpertTracker();
  return {
    name: 'expert',
    packet(pkt) {
      const items = tracker.items(pkt);
      if (items.length === 0) return;
      if (filter !== null && !filter.test(pkt)) return;
      for (const it of items) stat.add(it);
    },
  };
}

/** The _ws.expert fields -T fields and -Y read (tshark's per-item "Expert Info" subtree). */
export const EXPERT_FIELD_KEYS: readonly string[] = ['_ws.expert', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group'];

/** Whether an -e list or a -Y filter's text names an _ws.expert field. */
export function namesExpert(keys: readonly string[] | undefined, filterText: string | undefined): boolean {
  if (keys !== undefined && keys.some((k) => k.startsWith('_ws.expert'))) return true;
  return filterText !== undefined && filterText.includes('_ws.expert');
}

/**
 * The analyzer that gives each packet its _ws.expert fields (on its last layer, one _ws.expert per
 * item with message, severity and group under it). Added to a run only when -e or -Y names them.
 */
export function expertFieldsAnalyzer(): Analyzer {
  const tracker = new ExpertTracker();
  return {
    name: 'expert',
    fieldKeys: EXPERT_FIELD_KEYS,
    packet(pkt) {
      const items = tracker.items(pkt, true);
      if (items.length === 0 || pkt.layers.length === 0) return;
      const last = pkt.layers[pkt.layers.length - 1];
      for (const it of items) {
        const text = `Expert Info (${severityName(it.severity)}/${groupName(it.group)}): ${it.summary}`;
        last.addExtra({
          key: '_ws.expert', label: 'Expert Info', value: text, show: text, text, start: 0, len: 0, generated: true,
          children: [
            { key: '_ws.expert.message', label: 'Message', value: it.summary, show: it.summary, text: it.summary, start: 0, len: 0, generated: true },
            { key: '_ws.expert.severity', label: 'Severity level', value: it.severity, show: String(it.severity), text: `Severity level: ${severityName(it.severity)}`, start: 0, len: 0, generated: true },
            { key: '_ws.expert.group', label: 'Group', value: it.group, show: String(it.group), text: `Group: ${groupName(it.group)}`, start: 0, len: 0, generated: true },
          ],
        });
      }
    },
  };
}
