// tshark's conversation and endpoint tables: `wiretrace read FILE -q -z conv,TYPE[,FILTER]` and
// `-z endpoints,TYPE[,FILTER]` for TYPE eth, ip, ipv6, tcp or udp, byte for byte as tshark 4.0 prints
// them (ui/cli/tap-iousers.c, ui/cli/tap-endpoints.c, epan/conversation_table.c).
//
// Every header of the type in a packet counts (an IPv6-in-IPv4 tunnel counts in both tables), but not
// the headers an ICMP error quotes (tshark's taps do not see them). A conversation is keyed by its
// two addresses (and ports, and for TCP the tcp.stream, so a reused port pair is a new row); its A side
// is the source of its first packet, "->" counts A's packets, "<-" B's. An endpoint counts a packet
// as sent (Tx) from the source and received (Rx) by the destination, so a packet from an address to
// itself counts twice. Rows are in descending order of frames, ties in the order first seen; sizes in
// the conversation table as Wireshark's format_size ("1880 bytes", "24 kB": SI units, whole numbers,
// bytes below 10 kB); times relative to the first frame read.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Analyzer } from '../pipeline.js';
import { ipv6FinalDst, type Ipv6D } from '../../dissectors/ipv6.js';

export type IoUsersType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';
export const IO_USERS_TYPES: readonly IoUsersType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** tshark's short name of each protocol, the title of its tables. */
const TITLE: Record<IoUsersType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

/** One header of the table's type: its addresses, ports (-1 for none) and conversation id (tcp.stream, or -1). */
interface Hit {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  id: number;
}

/**
 * The addresses TCP and UDP see (tshark's pinfo->src/dst): the nearest IP header's, but for IPv6 with
 * a routing header the final destination (type 0: the last address; segment routing: segment 0).
 */
function ipAddresses(layers: readonly Layer[], i: number): { src: string; dst: string } | null {
  for (let j = i - 1; j >= 0; j--) {
    const l = layers[j];
    if (l.proto === 'ip' || l.proto === 'ipv6') {
      const d = l.d as { src: string; dst: string };
      if (!d.src || !d.dst) return null;
      if (l.proto === 'ipv6') return { src: d.src, dst: ipv6FinalDst(l as Layer<Ipv6D>) };
      return d;
    }
  }
  return null;
}

/**
 * An IPv6 header tshark's tap does not see: a fragment that completes no datagram (the datagram is
 * counted once, on the frame that completes it; IPv4 counts every fragment), or extension headers
 * that are cut short or lie (its dissector stops before the tap).
 */
function ipv6Untapped(l: Layer): boolean {
  const d = l.d as Ipv6D;
  if (d.hasFrag && (d.fragOff !== 0 || d.fragMore) && d.reasm === null) return true;
  const exts = d.exts.length > 0 || EXT_HEADERS.has(d.nxt);
  return exts && l.problems !== null && l.problems.some((p) => p.kind === 'malformed' || p.kind === 'truncated');
}

/** Next-header values of IPv6 extension headers (hop-by-hop, routing, fragment, destination options, AH). */
const EXT_HEADERS = new Set([0, 43, 44, 60, 51]);

/** A TCP header whose data offset is below 20 bytes: tshark's dissector stops before the tap. */
export function tcpUntapped(l: Layer): boolean {
  return l.problems !== null && l.problems.some((p) => p.kind === 'malformed' && p.start === l.start + 12);
}

/** The headers of `type` in a packet's layers (not those an ICMP error quotes: layer.inner is not walked). */
export function hitsOf(layers: readonly Layer[], type: IoUsersType, out: Hit[]): void {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l.proto !== type) continue;
    if (type === 'eth') {
      const a = l.dis.addresses?.(l) ?? null;
      if (a !== null) out.push({ src: a[0], dst: a[1], sport: -1, dport: -1, id: -1 });
    } else if (type === 'ip' || type === 'ipv6') {
      const d = l.d as { src: string; dst: string };
      if (type === 'ipv6' && ipv6Untapped(l)) continue;
      if (d.src && d.dst) out.push({ src: d.src, dst: d.dst, sport: -1, dport: -1, id: -1 });
    } else {
      const d = l.d as { srcport: number; dstport: number; ok?: boolean };
      if (d === null || d.ok === false || (type === 'tcp' && tcpUntapped(l))) continue;
      const ip = ipAddresses(layers, i);
      if (ip === null) continue;
      const id = type === 'tcp' ? ((l.ann as { stream?: number } | null)?.stream ?? -1) : -1;
      out.push({ src: ip.src, dst: ip.dst, sport: d.srcport, dport: d.dstport, id });
    }
  }
}

/** Frames and bytes each way: a conversation's (tx = from A) or an endpoint's (tx = sent by it). */
class Counts {
  txFrames = 0;
  txBytes = 0;
  rxFrames = 0;
  rxBytes = 0;
  get frames(): number {
    return this.txFrames + this.rxFrames;
  }
  /** One frame of `len` bytes, sent (tx) or received. */
  count(tx: boolean, len: number): void {
    if (tx) {
      this.txFrames++;
      this.txBytes += len;
    } else {
      this.rxFrames++;
      this.rxBytes += len;
    }
  }
}

class Conversation extends Counts {
  constructor(
    readonly a: string,
    readonly b: string,
    public start: bigint,
    public stop: bigint,
  ) {
    super();
  }
}

class Endpoint extends Counts {
  constructor(
    readonly addr: string,
    readonly port: number,
  ) {
    super();
  }
}

/** Wireshark's format_size(n, FORMAT_SIZE_UNIT_BYTES, SI): whole units, the largest that gives 10 or more. */
export function formatSize(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [div, p] of units) {
    const v = Math.floor(n / div);
    if (v >= 10) return `${v} ${p}B`;
  }
  return `${n} bytes`;
}

/** printf("%.Nf") of nstime_to_sec(t): seconds as a double, as tshark computes them. */
function seconds(ns: bigint): number {
  const s = ns / 1_000_000_000n;
  return Number(s) + Number(ns - s * 1_000_000_000n) / 1e9;
}

/** Rows in descending order of frames, ties in the order they were first seen (tshark's draw loop). */
function byFrames<T extends { frames: number }>(rows: readonly T[]): T[] {
  return rows.map((r, i) => ({ r, i })).sort((x, y) => y.r.frames - x.r.frames || x.i - y.i).map((x) => x.r);
}

const RULE = '='.repeat(80) + '\n';

/** Where a frame's time counts from (the first frame read), shared by every table of a run. */
export class RelativeClock {
  private first: bigint | null = null;
  rel(pkt: Packet): bigint {
    const ts = pkt.frame.noTimestamp ? 0n : pkt.frame.ts;
    if (this.first === null) this.first = ts;
    return ts - this.first;
  }
}

/** What the conversation and endpoint tables share: their rows in the order first seen, and the title. */
abstract class IoUsersTable<T extends Counts> {
  protected readonly rows: T[] = [];
  protected readonly index = new Map<string, T>();
  private readonly hits: Hit[] = [];
  constructor(
    readonly type: IoUsersType,
    readonly filterText: string,
  ) {}

  /** The headers of the table's type in a packet (a reused array). */
  protected hitsIn(pkt: Packet): readonly Hit[] {
    this.hits.length = 0;
    hitsOf(pkt.layers, this.type, this.hits);
    return this.hits;
  }

  /** The rule, "<Type> Conversations" or "… Endpoints", and the filter line. */
  protected title(what: string): string {
    return RULE + `${TITLE[this.type]} ${what}\n` + `Filter:${this.filterText === '' ? '<No Filter>' : this.filterText}\n`;
  }

  protected get ports(): boolean {
    return this.type === 'tcp' || this.type === 'udp';
  }
}

export class ConversationTable extends IoUsersTable<Conversation> {
  add(pkt: Packet, rel: bigint): void {
    const len = pkt.frame.origLen;
    for (const h of this.hitsIn(pkt)) {
      const a = h.sport < 0 ? h.src : `${h.src}:${h.sport}`;
      const b = h.dport < 0 ? h.dst : `${h.dst}:${h.dport}`;
      let c = this.index.get(`${a} ${b} ${h.id}`);
      let fwd = true;
      if (c === undefined) {
        c = this.index.get(`${b} ${a} ${h.id}`);
        fwd = false;
      }
      if (c === undefined) {
        c = new Conversation(a, b, rel, rel);
        this.rows.push(c);
        this.index.set(`${a} ${b} ${h.id}`, c);
        fwd = true;
      }
      c.count(fwd, len);
      if (rel > c.stop) c.stop = rel;
      else if (rel < c.start) c.start = rel;
    }
  }

  /** tshark's text, byte for byte. */
  text(): string {
    const pre = this.ports ? ' '.repeat(12) : '';
    const w = this.ports ? 26 : 20;
    let s = this.title('Conversations');
    s += `${pre}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
    s += `${pre}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
    for (const c of byFrames(this.rows)) {
      const col = (frames: number, bytes: number) => `${String(frames).padStart(6)} ${formatSize(bytes).padEnd(9)}`;
      const start = seconds(c.start);
      s += `${c.a.padEnd(w)} <-> ${c.b.padEnd(w)}  ${col(c.rxFrames, c.rxBytes)}  ${col(c.txFrames, c.txBytes)}  ${col(c.frames, c.rxBytes + c.txBytes)}  `;
      s += `${start.toFixed(9).padStart(14)}   ${(seconds(c.stop) - start).toFixed(4).padStart(12)}\n`;
    }
    return s + RULE;
  }
}

export class EndpointTable extends IoUsersTable<Endpoint> {
  private endpoint(addr: string, port: number): Endpoint {
    const key = `${addr} ${port}`;
    let e = this.index.get(key);
    if (e === undefined) {
      e = new Endpoint(addr, port);
      this.rows.push(e);
      this.index.set(key, e);
    }
    return e;
  }

  add(pkt: Packet): void {
    const len = pkt.frame.origLen;
    for (const h of this.hitsIn(pkt)) {
      this.endpoint(h.src, h.sport).count(true, len);
      this.endpoint(h.dst, h.dport).count(false, len);
    }
  }

  /** tshark's text, byte for byte. */
  text(): string {
    const ports = this.ports;
    let s = this.title('Endpoints');
    s += `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n`;
    const n = (v: number, w: number) => String(v).padStart(w);
    for (const e of byFrames(this.rows)) {
      s += e.addr.padEnd(20) + '      ' + (ports ? `${n(e.port, 5)}     ` : '');
      s += `${n(e.frames, 6)}     ${n(e.rxBytes + e.txBytes, 9)}     ${n(e.txFrames, 6)}       ${n(e.txBytes, 9)}      ${n(e.rxFrames, 6)}       ${n(e.rxBytes, 9)}   \n`;
    }
    return s + RULE;
  }
}

/** An analyzer (after every other one: TCP tables read tcp.stream) feeding a conversation or endpoint table. */
export function ioUsersAnalyzer(table: ConversationTable | EndpointTable, clock: RelativeClock, filter: { test(pkt: Packet): boolean } | null): Analyzer {
  return {
    name: table instanceof ConversationTable ? 'conversations' : 'endpoints',
    packet(pkt) {
      const rel = clock.rel(pkt);
      if (filter !== null && !filter.test(pkt)) return;
      if (table instanceof ConversationTable) table.add(pkt, rel);
      else table.add(pkt);
    },
  };
}
