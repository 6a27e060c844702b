// Conversation tables (tshark -z conv,tcp / conv,udp): per TCP stream and per UDP 4-tuple, the
// endpoints, frames and bytes each way, start and duration; for TCP also the handshake RTT, how
// it ended, retransmissions and zero windows (from the TCP tracker's per-stream summary).
// Runs as a pipeline Analyzer; cheap per packet (no field materialisation). The tracker runs in
// summaryOnly mode by default (no per-packet analysis; same streams and summaries).

import type { Packet } from '../dissect/chain.js';
import type { Frame } from '../capture/types.js';
import type { IpD, TcpD, UdpD } from '../dissect/decoded.js';
import { ipLayerBefore, lastLayerOf } from '../dissect/layer.js';
import type { Analyzer } from '../pipeline.js';
import { TcpTracker, tupleKey, type TcpStream } from './tcp/tracker.js';

export interface Conversation {
  proto: 'tcp' | 'udp';
  /** tcp.stream for TCP; running index for UDP. */
  id: number;
  addrA: string;
  portA: number;
  addrB: string;
  portB: number;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  /** Seconds since the first packet of the capture, and duration in seconds. */
  start: number;
  duration: number;
  /** TCP only. */
  tcp?: {
    /** Handshake RTT in seconds (SYN → ACK of the SYN/ACK), null when the handshake was not seen. */
    handshakeRtt: number | null;
    /** Which side (A or B) opened the connection with a SYN, null when no SYN was seen. */
    client: 'A' | 'B' | null;
    end: 'RST' | 'FIN' | 'half-closed' | 'open';
    retransmissions: number;
    zeroWindows: number;
    payloadAB: number;
    payloadBA: number;
  };
}

/** Frames and bytes each way, and the first and last packet's capture-relative times (ns). */
class Counts {
  framesAB = 0;
  bytesAB = 0;
  framesBA = 0;
  bytesBA = 0;
  first = 0;
  last = 0;
  add(ab: boolean, bytes: number, now: number): void {
    if (this.framesAB + this.framesBA === 0) this.first = now;
    this.last = now;
    if (ab) {
      this.framesAB++;
      this.bytesAB += bytes;
    } else {
      this.framesBA++;
      this.bytesBA += bytes;
    }
  }
}

class UdpConv extends Counts {
  constructor(readonly id: number, readonly addrA: string, readonly portA: number, readonly addrB: string, readonly portB: number) {
    super();
  }
}

export class ConversationTable implements Analyzer {
  readonly name = 'conversations';
  readonly tracker: TcpTracker;
  private readonly udp = new Map<string, UdpConv>();
  private readonly udpList: UdpConv[] = [];
  private readonly wantUdp: boolean;

  /** `tracker`: its streams make the TCP list (keepSummaries); default a summaryOnly tracker with the default limits. */
  constructor(opts: { tcp?: boolean; udp?: boolean; tracker?: TcpTracker } = {}) {
    this.tracker = opts.tracker ?? new TcpTracker({ summaryOnly: true });
    this.wantTcp = opts.tcp ?? true;
    this.wantUdp = opts.udp ?? true;
  }
  private readonly wantTcp: boolean;

  packet(pkt: Packet): void {
    this.packetCounted(pkt, true, true);
  }

  /**
   * The counts of TCP streams when a filter chooses the packets that count (`-z conv,tcp,FILTER`):
   * per stream index, frames, bytes and times of the packets it passed. null: every packet counts.
   */
  private tcpCounts: Map<number, Counts> | null = null;

  /** From now on only the packets packetCounted() is told count make the TCP frames, bytes, start and duration. */
  countTcpFiltered(): void {
    this.tcpCounts = new Map();
  }

  /**
   * packet(), counting it in the TCP and UDP tables only when `tcp` / `udp` say so (a `-z` filter
   * passed it). The tracker sees every packet: stream numbers, the handshake, how a stream ended
   * and its retransmissions are the whole stream's.
   */
  packetCounted(pkt: Packet, tcp: boolean, udp: boolean): void {
    // The tracker's clock starts at the first packet of the capture, whatever it is: a TCP packet
    // starts it in tracker.packet() (analyse() reads the time first), any other here.
    if (this.wantTcp) {
      const a = this.tracker.packet(pkt);
      if (a !== null) {
        if (tcp && this.tcpCounts !== null) this.countTcp(pkt, a.stream);
        return;
      }
    }
    const now = this.tracker.timeOf(pkt.frame.ts);
    if (!this.wantUdp || !udp) return;
    const layers = pkt.layers;
    const ui = lastLayerOf(layers, 'udp');
    if (ui < 0) return;
    const ip = (ipLayerBefore(layers, ui)?.d as IpD | undefined) ?? null;
    const u = layers[ui].d as UdpD;
    if (ip === null || !ip.src || !u) return;
    this.countUdp(now, ip, u, pkt.frame.origLen);
  }

  private countTcp(pkt: Packet, stream: number): void {
    const layers = pkt.layers;
    const ti = lastLayerOf(layers, 'tcp');
    const ip = ti < 0 ? null : ((ipLayerBefore(layers, ti)?.d as IpD | undefined) ?? null);
    const st = this.tracker.streams[stream];
    if (ip === null || st === undefined) return;
    const d = layers[ti].d as TcpD;
    let c = this.tcpCounts!.get(stream);
    if (c === undefined) this.tcpCounts!.set(stream, (c = new Counts()));
    c.add(ip.src === st.addrA && d.srcport === st.portA, pkt.frame.origLen, this.tracker.timeOf(pkt.frame.ts));
  }

  /**
   * packet() for a TCP packet whose IP and TCP values are already decoded (conv-fast.ts): the
   * same result without looking for the layers.
   */
  tcpDecoded(frame: Frame, ip: IpD, d: TcpD): void {
    if (this.wantTcp && this.tracker.packetDecoded(frame, ip, d) !== null) return;
    this.tracker.timeOf(frame.ts);
  }

  /** tcpDecoded() for a record scanner (conv-fast.ts): `cnow` as TcpTracker.packetAt wants it, the clock started. */
  tcpAt(index: number, origLen: number, cnow: number, ip: IpD, d: TcpD): void {
    if (this.wantTcp) this.tracker.packetAt(index, origLen, cnow, ip, d);
  }

  /** udpDecoded() for a record scanner (conv-fast.ts), the clock started. */
  udpAt(origLen: number, cnow: number, ip: IpD, u: UdpD): void {
    if (this.wantUdp) this.countUdp(cnow, ip, u, origLen);
  }

  /** packet() for a UDP packet whose IP and UDP values are already decoded (conv-fast.ts). */
  udpDecoded(frame: Frame, ip: IpD, u: UdpD): void {
    const now = this.tracker.timeOf(frame.ts);
    if (this.wantUdp) this.countUdp(now, ip, u, frame.origLen);
  }

  private countUdp(now: number, ip: IpD, u: UdpD, origLen: number): void {
    const src = ip.src, dst = ip.dst, sp = u.srcport, dp = u.dstport;
    const key = tupleKey(src, sp, dst, dp);
    let c = this.udp.get(key);
    if (c === undefined) {
      c = new UdpConv(this.udpList.length, src, sp, dst, dp);
      this.udp.set(key, c);
      this.udpList.push(c);
    }
    c.add(c.portA === sp && c.addrA === src, origLen, now);
  }

  finish(): void {}

  /** The TCP streams of the table (with a filter: those it passed packets of) and their filtered counts. */
  private tcpStreams(): { streams: TcpStream[]; counts: (Counts | undefined)[] | null } {
    const all = this.tracker.streams, counts = this.tcpCounts;
    if (counts === null) return { streams: all, counts: null };
    const streams = all.filter((s) => counts.has(s.id));
    return { streams, counts: streams.map((s) => counts.get(s.id)) };
  }

  /** TCP conversations, one per tcp.stream, in stream order (with a filter: the streams it passed packets of). */
  tcpConversations(): Conversation[] {
    const { streams, counts } = this.tcpStreams();
    return streams.map((s, i) => tcpConv(s, counts?.[i], newConversation('tcp')));
  }

  udpConversations(): Conversation[] {
    return this.udpList.map((c) => udpConv(c, newConversation('udp')));
  }

  /**
   * The TCP conversations in the tables' order (sortConversations), each made in one object that
   * every row() call fills again: the text table allocates nothing per row (it runs once, at the
   * end, over thousands of streams).
   */
  tcpRows(): ConversationRows {
    const { streams, counts } = this.tcpStreams();
    const into = newConversation('tcp');
    return sortedRows(streams.length, (i) => tcpConv(streams[i], counts?.[i], into));
  }

  /** udpConversations() as tcpRows() gives the TCP ones. */
  udpRows(): ConversationRows {
    const list = this.udpList, into = newConversation('udp');
    return sortedRows(list.length, (i) => udpConv(list[i], into));
  }
}

/** Conversations in order: row(k) is the k-th, in an object the next row() call may fill again. */
export interface ConversationRows {
  readonly length: number;
  row(k: number): Conversation;
}

/** A Conversation of zeros (with its `tcp` part for TCP), for tcpConv() / udpConv() to fill. */
function newConversation(proto: 'tcp' | 'udp'): Conversation {
  const c: Conversation = { proto, id: 0, addrA: '', portA: 0, addrB: '', portB: 0, framesAB: 0, bytesAB: 0, framesBA: 0, bytesBA: 0, start: 0, duration: 0 };
  if (proto === 'tcp') c.tcp = { handshakeRtt: null, client: null, end: 'open', retransmissions: 0, zeroWindows: 0, payloadAB: 0, payloadBA: 0 };
  return c;
}

/** `into` (from newConversation('udp')) filled with a UDP conversation. */
function udpConv(c: UdpConv, into: Conversation): Conversation {
  into.id = c.id;
  into.addrA = c.addrA;
  into.portA = c.portA;
  into.addrB = c.addrB;
  into.portB = c.portB;
  into.framesAB = c.framesAB;
  into.bytesAB = c.bytesAB;
  into.framesBA = c.framesBA;
  into.bytesBA = c.bytesBA;
  into.start = c.first / 1e9;
  into.duration = (c.last - c.first) / 1e9;
  return into;
}

/**
 * `into` (from newConversation('tcp')) filled with a stream's conversation; `c`: the counts of the
 * packets a filter passed, instead of every packet's.
 */
function tcpConv(s: TcpStream, c: Counts | undefined, into: Conversation): Conversation {
  const a = s.flows[0], b = s.flows[1]; // (see TcpStream.end)
  into.id = s.id;
  into.addrA = s.addrA;
  into.portA = s.portA;
  into.addrB = s.addrB;
  into.portB = s.portB;
  into.framesAB = c ? c.framesAB : a.packets;
  into.bytesAB = c ? c.bytesAB : a.bytes;
  into.framesBA = c ? c.framesBA : b.packets;
  into.bytesBA = c ? c.bytesBA : b.bytes;
  into.start = (c ? c.first : s.firstTime) / 1e9;
  into.duration = (c ? c.last - c.first : s.lastTime - s.firstTime) / 1e9;
  const x = into.tcp!;
  x.handshakeRtt = s.handshakeRtt >= 0 ? s.handshakeRtt / 1e9 : null;
  x.client = s.clientKnown ? (s.client === 0 ? 'A' : 'B') : null;
  x.end = s.end;
  x.retransmissions = a.retrans + b.retrans;
  x.zeroWindows = a.zeroWin + b.zeroWin;
  x.payloadAB = a.payload;
  x.payloadBA = b.payload;
  return into;
}

/**
 * Conversations 0 … n-1 (`fill(i)` makes the i-th, perhaps in a reused object) in tshark's order:
 * most frames first, stable. The frame counts are read off the rows themselves, once.
 */
function sortedRows(n: number, fill: (i: number) => Conversation): ConversationRows {
  const frames = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = fill(i);
    frames[i] = c.framesAB + c.framesBA;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => frames[y] - frames[x] || x - y);
  return { length: n, row: (k) => fill(order[k]) };
}

/** tshark's order: most frames first (stable). */
export function sortConversations(list: Conversation[]): Conversation[] {
  const rows = sortedRows(list.length, (i) => list[i]);
  return Array.from({ length: rows.length }, (_, k) => rows.row(k));
}
