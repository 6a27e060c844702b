// The TCP tracker: stream numbering and Wireshark's sequence analysis, one packet at a time.
//
// It follows packet-tcp.c (Wireshark 4.0, tcp_analyze_sequence_number and friends) rule by rule
// so that tcp.stream, the relative numbers, bytes in flight, RTTs and every tcp.analysis.* flag
// agree with tshark; where we deliberately differ (Linux zero-window probes) it is documented in
// docs/tcp-analysis.md. Each flag keeps the rule that fired with its evidence (`why`).
//
// Incremental: call packet() for each packet as it arrives (file or live); the result is also
// stored on the tcp layer (`layer.ann`). packetDecoded() is the same step for a caller that has
// the IP and TCP values already (no layer search). Memory is bounded: the unacked-segment list of
// a direction has a cap, idle streams expire, and the number of tracked streams has a cap; every
// cap that is hit is counted in `stats` (never silent).
//
// summaryOnly (`wiretrace conversations`): the same rules and the same per-stream state, without
// what only the per-packet analysis shows (relative numbers, SACK, bytes in flight, ACK RTT,
// window scaling, SYN options, AccECN, Info prefixes, explanations, fields): the stream summaries
// and `stats` are those of the full mode (test/analysis/conversations-fast.test.ts).

import type { Frame } from '../../capture/types.js';
import type { Packet } from '../../dissect/chain.js';
import type { IpD, TcpAnn, TcpD } from '../../dissect/decoded.js';
import { TCP_ACK, TCP_AE, TCP_CWR, TCP_ECE, TCP_FIN, TCP_RST, TCP_SYN } from '../../dissect/decoded.js';
import { ipLayerBefore, lastLayerOf, type Layer } from '../../dissect/layer.js';
import * as F from './flags.js';
import { seqGE, seqGT, seqLE, seqLT, seqSub } from './seq.js';
import { analysisFields } from './fields.js';

/** Window scale states (as Wireshark): -1 unknown (SYN not seen), -2 no scaling used, else the shift. */
export const WS_UNKNOWN = -1;
export const WS_NONE = -2;

const NO_PREFIX: string[] = [];

/** Per-packet result. Implements the TcpAnn contract read by the TCP dissector's info(). */
export class TcpAnalysis implements TcpAnn {
  stream = 0;
  /** tcp.seq / tcp.ack / tcp.nxtseq (relative; raw, and nxtseq -1, when the header length is bogus). */
  seq = 0;
  ack = 0;
  nxtseq = 0;
  /** Scaled window (tcp.window_size); -1 when the scale is unknown (then rawWindow is what tshark shows). */
  window = -1;
  infoPrefix: string[] = NO_PREFIX;
  /** AccECN in use on this connection (TcpAnn.accEcn): the dissector shows the ACE counter. */
  accEcn = false;
  /** Frame number and time (ns since the first packet the tracker saw). */
  frame = 0;
  time = 0;
  /** 0 = sent by the side that sent the stream's first packet (client when the SYN was seen), 1 = the other. */
  dir = 0;
  /** TCP header flags (TcpD.flags) and segment length (tcp.len). */
  tcpFlags = 0;
  len = 0;
  rawWindow = 0;
  /** tcp.window_size_scalefactor: -1 unknown, -2 no scaling, 0 not shown (SYN), else the multiplier. */
  scaleFactor = 0;
  /** Analysis flag bits (flags.ts). */
  flags = 0;
  dupAckNum = 0;
  dupAckFrame = 0;
  /** tcp.analysis.acks_frame (0 = none) and tcp.analysis.ack_rtt (ns, -1 = none). */
  acksFrame = 0;
  ackRtt = -1;
  /** tcp.analysis.bytes_in_flight (-1 = not shown). */
  bif = -1;
  /** tcp.analysis.initial_rtt (ns, NaN = not known yet). */
  initialRtt = NaN;
  /** True when Wireshark shows the SEQ/ACK analysis subtree for this packet. */
  hasAnalysis = false;
  /** tcp.time_relative / tcp.time_delta (ns). */
  timeRel = 0;
  timeDelta = 0;
  /** Retransmission: time since the original (tcp.analysis.rto) and its frame; -1/0 when none. */
  rto = -1;
  rtoFrame = 0;
  /** Bytes the peer's advertised window still allows after this segment (ack + window - nxtseq); NaN when unknown. */
  rwndLeft = NaN;
  /** Relative SACK blocks carried by this packet (left, right) or null. */
  sack: number[] | null = null;
  /** The rule and evidence of each flag that fired, in firing order ("seq 4381 = next expected 4382 - 1, …"). */
  why: string[] | null = null;
}

/** Shared empty storage of a new or cleared Unacked (never written: length 0). */
const NO_U32 = new Uint32Array(0);
const NO_F64 = new Float64Array(0);

/**
 * Unacknowledged segments of one direction (Wireshark's tcp_unacked_t list), oldest first: the
 * live entries are [head, n) of growable typed arrays (no allocation per segment). `mono` says
 * that seq and next never decrease along the list (segments sent in order, the usual case): then
 * an ACK removes a prefix and trims the entries after it, and bytes in flight are first to last,
 * without scanning the whole list per packet.
 */
class Unacked {
  seq: Uint32Array = NO_U32;
  next: Uint32Array = NO_U32;
  /** Frame and time of each entry (acks_frame / ack_rtt); not filled in summaryOnly mode (pushSeq). */
  frame: Float64Array = NO_F64;
  ts: Float64Array = NO_F64;
  n = 0;
  head = 0;
  mono = true;
  get length(): number {
    return this.n - this.head;
  }
  push(seq: number, next: number, frame: number, ts: number): void {
    if (this.n === this.seq.length) this.grow(true);
    const n = this.n;
    this.pushSeq(seq, next); // (room made above, frames and times moved with it)
    this.frame[n] = frame;
    this.ts[n] = ts;
  }
  /** push() without frame and time (summaryOnly: nothing reads them). */
  pushSeq(seq: number, next: number): void {
    if (this.n === this.seq.length) this.grow(false);
    const n = this.n;
    if (n > this.head && !(seqGE(seq, this.seq[n - 1]) && seqGE(next, this.next[n - 1]))) this.mono = false;
    this.seq[n] = seq;
    this.next[n] = next;
    this.n = n + 1;
  }
  /**
   * Room for one more entry: the live entries moved to the front when at least half the storage is
   * dead prefix, else storage twice as large (frames and times too when `timed`).
   */
  private grow(timed: boolean): void {
    const h = this.head, n = this.n, cap = this.seq.length;
    if (h > 0 && (n - h) * 2 <= cap) {
      this.seq.copyWithin(0, h, n);
      this.next.copyWithin(0, h, n);
      if (timed) {
        this.frame.copyWithin(0, h, n);
        this.ts.copyWithin(0, h, n);
      }
    } else {
      const size = cap === 0 ? 8 : cap * 2;
      const s = new Uint32Array(size), x = new Uint32Array(size);
      // (the first storage of a list, 12,491 of the 12,656 grows in the benchmark's conversations:
      // nothing to copy, and no subarray view made for it)
      if (n > h) {
        s.set(this.seq.subarray(h, n));
        x.set(this.next.subarray(h, n));
      }
      this.seq = s;
      this.next = x;
      if (timed) {
        const f = new Float64Array(size), t = new Float64Array(size);
        if (n > h) {
          f.set(this.frame.subarray(h, n));
          t.set(this.ts.subarray(h, n));
        }
        this.frame = f;
        this.ts = t;
      }
    }
    this.n = n - h;
    this.head = 0;
  }
  /** Empty, storage freed (a closed or forgotten stream). */
  clear(): void {
    this.seq = this.next = NO_U32;
    this.frame = this.ts = NO_F64;
    this.n = this.head = 0;
    this.mono = true;
  }
  /** After entries were dropped from the front: reset when empty, reclaim the dead prefix when large. */
  tidy(timed: boolean): void {
    const n = this.n;
    if (this.head >= n) {
      this.n = this.head = 0;
      this.mono = true;
    } else if (this.head >= 1024 && this.head * 2 >= n) {
      const h = this.head;
      this.seq.copyWithin(0, h, n);
      this.next.copyWithin(0, h, n);
      if (timed) {
        this.frame.copyWithin(0, h, n);
        this.ts.copyWithin(0, h, n);
      }
      this.n = n - h;
      this.head = 0;
    }
  }
}

/** One direction of a stream. */
export class Flow {
  baseSet = false;
  baseSeq = 0;
  sawSyn = false;
  /** Highest next sequence number seen (raw); valid when nextSet. */
  nextSet = false;
  nextseq = 0;
  nextseqFrame = 0;
  nextseqTime = 0;
  maxSet = false;
  maxseqtobeacked = 0;
  lastack = 0;
  /** A packet with the ACK flag was seen from this side (lastack is meaningful). */
  ackSeen = false;
  lastackTime = 0;
  lastnondupack = 0;
  dupacknum = 0;
  /** Last raw window field (Wireshark's fwd->window), and whether that packet was a SYN (never scaled). */
  window = 0;
  windowSeen = false;
  windowWasSyn = false;
  winScale = WS_UNKNOWN;
  lastSegFlags = 0;
  validBif = true;
  segs = new Unacked();
  /** SACK blocks (raw) of the last packet of this direction, for the other direction's bytes in flight. */
  sack: [number, number][] | null = null;
  // ---- summary -------------------------------------------------------------
  packets = 0;
  bytes = 0;
  payload = 0;
  retrans = 0;
  zeroWin = 0;
  finFrame = 0;
  rstFrame = 0;
  /** Raw sequence number just after this side's first FIN (valid when finFrame), and whether the peer acked it. */
  finEnd = 0;
  finAcked = false;
  /** Options offered in this side's SYN. */
  syn: SynInfo | null = null;

  /** Every field as in `t` (a fresh Flow), keeping this flow's (cleared) Unacked list. */
  resetTo(t: Flow): void {
    const segs = this.segs;
    Object.assign(this, t);
    segs.clear();
    this.segs = segs;
  }
}

export interface SynInfo {
  frame: number;
  time: number;
  mss?: number;
  wscale?: number;
  sackPerm: boolean;
  timestamps: boolean;
  tfo?: { cookieLen: number };
  window: number;
}

/** Per-stream state; `a`/`b` are the sides as they appear in the stream's first packet. */
export class TcpStream {
  readonly flows: [Flow, Flow] = [new Flow(), new Flow()];
  /** Capture-relative times (ns since the tracker's first packet) of the first and last packet. */
  firstTime = 0;
  lastTime = 0;
  /** Absolute timestamp of the first packet; stream-internal times are relative to it (exact). */
  firstTs = 0n;
  /** Stream-relative time of the last packet. */
  lastRel = 0;
  firstFrame = 0;
  lastFrame = 0;
  /** Time of the most recent SYN (ns), valid when synSeen. */
  synSeen = false;
  mruSyn = 0;
  /** The three-way handshake as seen: frames and times (ns) of the SYN, SYN/ACK and the ACK completing it (0 = not seen). */
  hs = { synFrame: 0, synTime: 0, synAckFrame: 0, synAckTime: 0, ackFrame: 0, ackTime: 0 };
  /** Handshake RTT from `hs` (ACK − SYN, ns), or -1 when the three packets were not all seen. */
  get handshakeRtt(): number {
    return this.hs.ackFrame && this.hs.synFrame ? this.hs.ackTime - this.hs.synTime : -1;
  }
  /** Wireshark's initial RTT: first ACK minus most recent SYN (ns), valid when hasFirstRtt. */
  hasFirstRtt = false;
  firstRtt = 0;
  /**
   * AccECN negotiation as tshark 4.0 follows it: the last SYN asked for it (AE+CWR+ECE), the last
   * SYN/ACK agreed (AE,CWR,ECE = 010, 011, 100 or 110), an AccECN option was seen.
   */
  accEcnSyn = false;
  accEcnSynAck = false;
  accEcnOption = false;
  /** AccECN in use: the ACE counter replaces AE/CWR/ECE on packets without SYN. */
  get accEcn(): boolean {
    return this.accEcnOption || (this.accEcnSyn && this.accEcnSynAck);
  }
  /** Next active stream with the same port pair (the tracker's lookup chain). */
  chain: TcpStream | null = null;
  /** Capture time (ns) when the stream closed (both FINs acked, or a RST); -1 while open. */
  closedAt = -1;
  constructor(
    readonly id: number,
    readonly family: 4 | 6,
    readonly addrA: string,
    readonly portA: number,
    readonly addrB: string,
    readonly portB: number,
  ) {}
  /** The canonical 4-tuple, "addr|port|addr|port" with the lower address (then port) first. */
  get key(): string {
    return tupleKey(this.addrA, this.portA, this.addrB, this.portB);
  }
  /** How it ended so far: RST, FIN (both sides), half-closed (one FIN) or open. */
  get end(): 'RST' | 'FIN' | 'half-closed' | 'open' {
    // (no destructuring: in code that runs cold, as the table's at the end does, an array
    // pattern goes through the iterator protocol, 5 ms for the 6,225 streams of the benchmark)
    const a = this.flows[0], b = this.flows[1];
    if (a.rstFrame || b.rstFrame) return 'RST';
    if (a.finFrame && b.finFrame) return 'FIN';
    if (a.finFrame || b.finFrame) return 'half-closed';
    return 'open';
  }
  /** Side index (0 = A) of the client: the side that sent the first pure SYN; A when no SYN was seen. */
  client: 0 | 1 = 0;
  clientKnown = false;

  /**
   * This object, reset to what `new TcpStream(...)` gives (for the tracker's pool of forgotten
   * streams): every field from a fresh template, keeping the flow, Unacked and handshake objects.
   */
  reuse(id: number, family: 4 | 6, addrA: string, portA: number, addrB: string, portB: number): this {
    const flows = this.flows, hs = this.hs;
    Object.assign(this, streamTemplate());
    const w = this as { -readonly [K in keyof TcpStream]: TcpStream[K] };
    w.flows = flows;
    w.hs = hs;
    Object.assign(hs, streamTemplate().hs);
    w.id = id;
    w.family = family;
    w.addrA = addrA;
    w.portA = portA;
    w.addrB = addrB;
    w.portB = portB;
    for (const f of flows) f.resetTo(flowTemplate());
    return this;
  }
}

/** A forgotten stream's ports and initial sequence numbers (TcpTracker.gone). */
interface GoneStream {
  id: number;
  addrA: string;
  portA: number;
  seqA: number;
  seqB: number;
}

/** Forgotten 4-tuples remembered for the reused-ports check (~100 bytes each). */
const GONE_MAX = 65536;

/**
 * The canonical 4-tuple key, lower (address, port) first. Joined, not a template: a template makes
 * a tree of four concatenated strings with a string per port (~240 bytes), join one flat string
 * (~56): the tracker keeps a key per ended stream (`gone`), 6,225 of them in the benchmark's
 * `conversations`, 1.2 MB less heap for it to grow into.
 */
export function tupleKey(a: string, p: number, b: string, q: number): string {
  return a < b || (a === b && p <= q) ? [a, p, b, q].join('|') : [b, q, a, p].join('|');
}

/** Maximum number of forgotten streams kept for reuse. */
const STREAM_POOL_MAX = 4096;
let tmplStream: TcpStream | null = null;
let tmplFlow: Flow | null = null;
/** A never-used stream whose field values reset reused ones (its objects are never handed out). */
function streamTemplate(): TcpStream {
  return (tmplStream ??= new TcpStream(0, 4, '', 0, '', 0));
}
function flowTemplate(): Flow {
  return (tmplFlow ??= new Flow());
}

export interface TrackerOptions {
  /** Append Wireshark-keyed Fields to layer.extra for every TCP packet (needed by -T fields / -V). Default true. */
  fields?: boolean;
  /** Keep finished/expired streams' summaries in `streams` (conversations, follow). Default true. */
  keepSummaries?: boolean;
  /**
   * Linux zero-window probes (len 0 or 1 at next-expected - 1 while the peer's window is 0) are
   * zero-window probes, not keep-alives as tshark 4.0 calls them. Default true; false = tshark's rule.
   */
  linuxZeroWindowProbe?: boolean;
  /** Keep the rule/evidence of each flag (`why`). Default true (flags are rare). */
  explain?: boolean;
  /** Streams idle this long (capture time, seconds) are forgotten. Default 600. */
  idleTimeout?: number;
  /**
   * Closed streams (both FINs acknowledged, or a RST) are forgotten once they have been quiet this
   * long (capture time, seconds): late retransmissions and ACKs within it still belong to the
   * stream. Default 10 (past the first retransmissions of a FIN or after a RST; each late packet restarts it).
   */
  closedGrace?: number;
  /** Most streams tracked at once; the least recently active is dropped beyond it. Default 100000. */
  maxStreams?: number;
  /** Most unacknowledged segments remembered per direction (Wireshark: 10000). Default 10000. */
  maxUnacked?: number;
  /**
   * Track streams for their summaries only (conversations): no per-packet analysis. packet() and
   * packetDecoded() return one reused TcpAnalysis in which only `stream` and `flags` are
   * meaningful; no layer.ann, no fields, no explanations, onPacket is not called.
   * Not kept: window scaling, SYN options (Flow.syn), AccECN, SACK blocks, the unacked entries'
   * frames and times. Streams, summaries (packets, bytes, payload, retransmissions, zero windows,
   * handshake, FIN/RST, end) and `stats` are those of the full mode. TCP options are not read.
   * Default false.
   */
  summaryOnly?: boolean;
  /**
   * Analysed packets between two sweeps for idle / closed streams. Default 8192; other values
   * change which packets find a stream forgotten (only the JIT warm-up and tests set it).
   */
  sweepEvery?: number;
}

export interface TrackerStats {
  packets: number;
  streams: number;
  /** Streams forgotten after idleTimeout (a later packet on the same ports starts a new stream). */
  expired: number;
  /** Closed streams forgotten after closedGrace (a later packet on the same ports starts a new stream). */
  closed: number;
  /** Streams dropped because maxStreams were tracked. */
  evicted: number;
  /** Segments not remembered because the unacked list was full (their RTT/bytes in flight are unknown). */
  unackedCapHits: number;
  /** TCP packets skipped: no IP layer in front or a short header. */
  skipped: number;
  /**
   * Forgotten 4-tuples no longer remembered for the reused-ports check (more than 65,536 were
   * forgotten): a SYN reusing their ports is not flagged.
   */
  goneDropped: number;
}

function portKey(p: number, q: number): number {
  return p <= q ? p * 65536 + q : q * 65536 + p;
}

/** rel() with the base first (the explanations' R/RA). */
function relTo(base: number, v: number): number {
  return seqSub(v, base);
}

function rel(v: number, base: number): number {
  return seqSub(v, base);
}

export class TcpTracker {
  readonly opts: Required<TrackerOptions>;
  /**
   * Active streams by port pair (lower port × 65536 + higher port), each the head of a chain of
   * the streams with those ports (TcpStream.chain; usually one). No string key per packet.
   */
  private readonly active = new Map<number, TcpStream>();
  private activeN = 0;
  /** Every stream by index (when keepSummaries), index = tcp.stream. */
  readonly streams: TcpStream[] = [];
  readonly stats: TrackerStats = { packets: 0, streams: 0, expired: 0, closed: 0, evicted: 0, unackedCapHits: 0, skipped: 0, goneDropped: 0 };
  private epoch: bigint | null = null;
  private nextId = 0;
  private sinceSweep = 0;
  /** Called for each analysed packet (timeline, follow); set by the user. */
  onPacket: ((a: TcpAnalysis, st: TcpStream, pkt: Packet, layer: Layer<TcpD>) => void) | null = null;
  /**
   * Called with a stream's index when the tracker stops tracking it (idle, closed past its grace,
   * evicted): no later packet gets that index, so state kept per index elsewhere can go.
   */
  onForget: ((stream: number) => void) | null = null;

  /** opts.explain, opts.summaryOnly and the limits read per packet (fields of their own: one load each). */
  private readonly ex: boolean;
  private readonly so: boolean;
  private readonly linuxZwp: boolean;
  private readonly maxUnacked: number;
  private readonly sweepEvery: number;
  /** summaryOnly: the one TcpAnalysis every packet reuses (its flags carry the rules' results). */
  private readonly scratch: TcpAnalysis | null;

  constructor(opts: TrackerOptions = {}) {
    const so = opts.summaryOnly ?? false;
    this.so = so;
    this.ex = so ? false : opts.explain ?? true;
    this.scratch = so ? new TcpAnalysis() : null;
    this.opts = {
      fields: so ? false : opts.fields ?? true,
      keepSummaries: opts.keepSummaries ?? true,
      linuxZeroWindowProbe: opts.linuxZeroWindowProbe ?? true,
      explain: this.ex,
      idleTimeout: opts.idleTimeout ?? 600,
      closedGrace: opts.closedGrace ?? 10,
      maxStreams: opts.maxStreams ?? 100000,
      maxUnacked: opts.maxUnacked ?? 10000,
      summaryOnly: so,
      sweepEvery: opts.sweepEvery ?? 8192,
    };
    this.linuxZwp = this.opts.linuxZeroWindowProbe;
    this.maxUnacked = this.opts.maxUnacked;
    this.sweepEvery = this.opts.sweepEvery;
  }

  /** Time (ns, relative to the first packet seen) of a frame timestamp. */
  timeOf(ts: bigint): number {
    if (this.epoch === null) this.epoch = ts;
    return Number(ts - this.epoch);
  }
  /** The absolute timestamp (ns since the epoch) of the tracker's time 0, or null before the first packet. */
  get epochNs(): bigint | null {
    return this.epoch;
  }

  /** The Analyzer hook: analyse one packet (no-op for non-TCP packets). */
  packet(pkt: Packet): TcpAnalysis | null {
    const layers = pkt.layers;
    const ti = lastLayerOf(layers, 'tcp');
    if (ti < 0) return null;
    const tl = layers[ti] as Layer<TcpD>;
    const d = tl.d;
    const ip = (ipLayerBefore(layers, ti)?.d as IpD | undefined) ?? null;
    if (!d || ip === null) {
      this.stats.skipped++;
      return null;
    }
    const a = this.packetDecoded(pkt.frame, ip, d);
    if (a === null || this.so) return a;
    tl.ann = a;
    // Built only if an output reads layer.extra (-T fields/json, -V); `a` is this packet's own snapshot.
    if (this.opts.fields) tl.addExtraLazy(analysisFields, a);
    if (this.onPacket !== null) this.onPacket(a, this.streams[a.stream] ?? this.lastStream!, pkt, tl);
    return a;
  }

  /**
   * Analyse one TCP packet whose IP and TCP values are decoded already (packet() without the layer
   * search, and without layer.ann, fields or onPacket). null when it cannot be analysed (counted
   * in stats.skipped).
   */
  packetDecoded(frame: Frame, ip: IpD, d: TcpD): TcpAnalysis | null {
    if (!d.ok || !ip.src) {
      this.stats.skipped++;
      return null;
    }
    return this.analyse(frame.index, frame.origLen, this.timeOf(frame.ts), frame.ts, ip, d);
  }

  /**
   * packetDecoded() for a caller that keeps the clock itself (a record scanner with no Frame and
   * no BigInt per packet): `cnow` is the frame's time in ns after the tracker's epoch, an exact
   * integer of magnitude below 9e15 (else use packetDecoded). setEpoch() must have been called
   * with the first frame's timestamp.
   */
  packetAt(index: number, origLen: number, cnow: number, ip: IpD, d: TcpD): TcpAnalysis | null {
    if (!d.ok || !ip.src) {
      this.stats.skipped++;
      return null;
    }
    return this.analyse(index, origLen, cnow, null, ip, d);
  }

  /** Start the clock at `ts` (the first frame's timestamp) unless it runs already. */
  setEpoch(ts: bigint): void {
    if (this.epoch === null) this.epoch = ts;
  }

  finish(): void {}

  private lastStream: TcpStream | null = null;

  private find(pk: number, src: string, sp: number, dst: string, dp: number): TcpStream | undefined {
    for (let s: TcpStream | null = this.active.get(pk) ?? null; s !== null; s = s.chain) {
      if (s.portA === sp && s.portB === dp && s.addrA === src && s.addrB === dst) return s;
      if (s.portA === dp && s.portB === sp && s.addrA === dst && s.addrB === src) return s;
    }
    return undefined;
  }

  private unlink(st: TcpStream): void {
    const pk = portKey(st.portA, st.portB);
    let s: TcpStream | null = this.active.get(pk) ?? null;
    if (s === st) {
      if (st.chain === null) this.active.delete(pk);
      else this.active.set(pk, st.chain);
    } else {
      while (s !== null && s.chain !== st) s = s.chain;
      if (s === null) return;
      s.chain = st.chain;
    }
    st.chain = null;
    this.activeN--;
  }

  private newStream(pk: number, ip: IpD, d: TcpD, now: number, frame: number, ts: bigint): TcpStream {
    const old = this.pool.pop();
    const st = old !== undefined ? old.reuse(this.nextId++, ip.version, ip.src, d.srcport, ip.dst, d.dstport) : new TcpStream(this.nextId++, ip.version, ip.src, d.srcport, ip.dst, d.dstport);
    st.firstTime = now;
    st.lastTime = now;
    st.firstTs = ts;
    st.firstFrame = frame;
    this.stats.streams++;
    if (this.opts.keepSummaries) this.streams.push(st);
    if (this.activeN >= this.opts.maxStreams) this.evictOldest();
    st.chain = this.active.get(pk) ?? null;
    this.active.set(pk, st);
    this.activeN++;
    return st;
  }

  /** Every active stream (for eviction and the idle sweep). */
  private activeList(): TcpStream[] {
    const out: TcpStream[] = [];
    for (const head of this.active.values()) for (let s: TcpStream | null = head; s !== null; s = s.chain) out.push(s);
    return out;
  }

  private evictOldest(): void {
    let old: TcpStream | null = null;
    let oldT = Infinity;
    for (const s of this.activeList()) {
      if (s.lastTime < oldT) {
        oldT = s.lastTime;
        old = s;
      }
    }
    if (old !== null) {
      this.forget(old);
      this.stats.evicted++;
    }
  }

  /** Drop the heavy per-direction state of a stream that is no longer tracked. */
  private release(st: TcpStream): void {
    for (const f of st.flows) {
      f.segs.clear(); // frees the arrays' storage
      f.sack = null;
    }
  }

  /**
   * The 4-tuples of the last GONE_MAX streams forgotten, with their sides' initial sequence numbers
   * (-1 unknown), for the reused-ports check of a later SYN. Bounded; an entry goes when a stream
   * starts again on its ports.
   */
  private readonly gone = new Map<string, GoneStream>();

  /**
   * Stop tracking a stream. When nobody can see a forgotten stream (no summaries kept, no onPacket
   * user) its objects are kept for the next new stream: streams live long enough to reach V8's old
   * space, so at ~1000 new connections/s fresh objects each time fill the heap with dead streams
   * between major GCs (peak RSS).
   */
  private forget(st: TcpStream): void {
    const fa = st.flows[0], fb = st.flows[1];
    const k = tupleKey(st.addrA, st.portA, st.addrB, st.portB);
    this.gone.delete(k);
    this.gone.set(k, { id: st.id, addrA: st.addrA, portA: st.portA, seqA: fa.baseSet ? fa.baseSeq : -1, seqB: fb.baseSet ? fb.baseSeq : -1 });
    if (this.gone.size > GONE_MAX) {
      this.gone.delete(this.gone.keys().next().value as string);
      this.stats.goneDropped++;
    }
    this.unlink(st);
    if (this.onForget !== null) this.onForget(st.id);
    if (!this.opts.keepSummaries && this.onPacket === null && this.pool.length < STREAM_POOL_MAX) {
      this.release(st);
      for (const f of st.flows) f.syn = null;
      this.pool.push(st);
    } else this.release(st);
  }

  /** Forgotten streams kept for reuse (see forget). */
  private readonly pool: TcpStream[] = [];

  private sweep(now: number): void {
    const limit = this.opts.idleTimeout * 1e9;
    const grace = this.opts.closedGrace * 1e9;
    for (const s of this.activeList()) {
      if (now - s.lastTime > limit) {
        this.forget(s);
        this.stats.expired++;
      } else if (s.closedAt >= 0 && now - s.lastTime > grace) {
        this.forget(s);
        this.stats.closed++;
      }
    }
  }

  /** Streams currently tracked. */
  get activeCount(): number {
    return this.activeN;
  }

  /**
   * `cnow`: capture-relative time (timeline, expiry), timeOf(ts); `ts`: the frame's timestamp, or
   * null when cnow is an exact integer below 9e15 in magnitude (it is then epoch + cnow).
   */
  private analyse(frame: number, origLen: number, cnow: number, ts: bigint | null, ip: IpD, d: TcpD): TcpAnalysis {
    this.stats.packets++;
    const so = this.so;
    // now (below): relative to the stream's first packet, exact for any stream shorter than 104
    // days whatever the absolute timestamps are.
    if (++this.sinceSweep >= this.sweepEvery) {
      this.sinceSweep = 0;
      this.sweep(cnow);
    }
    const src = ip.src, dst = ip.dst, sp = d.srcport, dp = d.dstport;
    const pk = portKey(sp, dp);
    const flags = d.flags;
    const seq = d.seq >>> 0, ack = d.ack >>> 0, seglen = d.len;
    let a: TcpAnalysis;
    if (this.scratch === null) a = new TcpAnalysis();
    else {
      a = this.scratch;
      a.flags = 0;
      a.hasAnalysis = false;
    }
    let st = this.find(pk, src, sp, dst, dp);
    /** The stream whose ports a SYN with a new ISN reuses (Wireshark: TCP_A_REUSED_PORTS), or -1. */
    let reused = -1;
    if (st === undefined) {
      // ports of a stream forgotten earlier: tshark keeps every conversation, so a SYN with a new
      // ISN on them is a reuse however long ago the old one ended
      if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && this.gone.size > 0) {
        const k = tupleKey(src, sp, dst, dp);
        const g = this.gone.get(k);
        if (g !== undefined) {
          this.gone.delete(k);
          const base = g.addrA === src && g.portA === sp ? g.seqA : g.seqB;
          if (base >= 0 && base !== seq) reused = g.id;
        }
      }
      st = this.newStream(pk, ip, d, cnow, frame, ts ?? this.epoch! + BigInt(cnow));
    } else {
      const di = st.portA === sp && st.addrA === src ? 0 : 1;
      const f0 = st.flows[di];
      // A SYN with a new ISN on known ports starts a new stream (Wireshark: TCP_A_REUSED_PORTS).
      if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && f0.baseSet && seq !== f0.baseSeq) {
        reused = st.id;
        this.forget(st);
        this.gone.delete(tupleKey(src, sp, dst, dp));
        st = this.newStream(pk, ip, d, cnow, frame, ts ?? this.epoch! + BigInt(cnow));
      }
    }
    this.lastStream = st;
    const di = st.portA === sp && st.addrA === src ? 0 : 1;
    const fwd = st.flows[di], rev = st.flows[1 - di];
    // Exact either way: integers below 2^53 subtract exactly; otherwise the BigInt difference.
    const now = cnow < 9e15 && cnow > -9e15 && st.firstTime < 9e15 && st.firstTime > -9e15
      ? cnow - st.firstTime : Number((ts ?? this.epoch! + BigInt(cnow)) - st.firstTs);
    a.stream = st.id;
    if (!so) {
      a.frame = frame;
      a.time = cnow;
      a.dir = di;
      a.tcpFlags = flags;
      a.len = seglen;
      a.rawWindow = d.window;
      a.timeRel = now;
      a.timeDelta = now - st.lastRel;
    }
    st.lastRel = now;
    st.lastTime = cnow;
    st.lastFrame = frame;

    // ---- per-side summary ------------------------------------------------------------------
    fwd.packets++;
    fwd.bytes += origLen;
    fwd.payload += seglen;
    if (flags & TCP_FIN && !fwd.finFrame) {
      fwd.finFrame = frame;
      fwd.finEnd = (seq + seglen + 1) >>> 0;
    }
    if (flags & TCP_RST && !fwd.rstFrame) fwd.rstFrame = frame;

    // ---- options of a SYN, window scale (dissect_tcpopt_wscale + verify_tcp_window_scaling) ----
    const o = d.options;
    if (flags & TCP_SYN) {
      if (!so) {
        fwd.syn = {
          frame, time: now, mss: o.mss, wscale: o.wscale, sackPerm: !!o.sackPerm,
          timestamps: o.tsval !== undefined, tfo: o.tfo, window: d.window,
        };
        if (o.wscale !== undefined) fwd.winScale = Math.min(o.wscale, 14);
        if (fwd.winScale === WS_UNKNOWN) {
          fwd.winScale = WS_NONE;
          rev.winScale = WS_NONE;
        } else if (flags & TCP_ACK && rev.winScale === WS_NONE) {
          fwd.winScale = WS_NONE;
        }
      }
      if (!(flags & TCP_ACK)) {
        st.mruSyn = now;
        st.synSeen = true;
        if (!st.clientKnown) {
          st.client = di as 0 | 1;
          st.clientKnown = true;
        }
      }
    }
    // ---- AccECN (tshark decides before it reads this packet's options) ----------------------
    if (!so) {
      if (flags & TCP_SYN) {
        const e = flags & (TCP_AE | TCP_CWR | TCP_ECE);
        if (flags & TCP_ACK) st.accEcnSynAck = e === TCP_CWR || e === (TCP_CWR | TCP_ECE) || e === TCP_AE || e === (TCP_AE | TCP_CWR);
        else st.accEcnSyn = e === (TCP_AE | TCP_CWR | TCP_ECE);
      }
      a.accEcn = st.accEcn;
      // An AccECN option (kind 172/174, or 254 with ExID 0xACC0/0xACC1) turns it on from the next
      // packet.
      if ((o as { accEcn?: boolean }).accEcn === true) st.accEcnOption = true;
    }

    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      st.hs.synFrame = frame;
      st.hs.synTime = now;
    } else if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && st.hs.synFrame && di !== st.client) {
      st.hs.synAckFrame = frame;
      st.hs.synAckTime = now;
    } else if ((flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_ACK && st.hs.synAckFrame && !st.hs.ackFrame && di === st.client) {
      st.hs.ackFrame = frame;
      st.hs.ackTime = now;
    }
    // Initial RTT: the first pure ACK after a SYN (either side, like Wireshark).
    // (Like Wireshark, a zero RTT counts as "not known yet": the next ACK tries again.)
    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_ACK && st.synSeen && !st.hasFirstRtt) {
      st.firstRtt = now - st.mruSyn;
      st.hasFirstRtt = st.firstRtt !== 0;
    }

    // ---- window --------------------------------------------------------------------------
    if (so) {
      // (no window scaling in summaryOnly)
    } else if (flags & TCP_SYN) {
      a.window = d.window;
      a.scaleFactor = 0;
    } else if (fwd.winScale >= 0) {
      a.window = d.window * (1 << fwd.winScale);
      a.scaleFactor = 1 << fwd.winScale;
    } else {
      a.window = fwd.winScale === WS_NONE ? d.window : -1;
      a.scaleFactor = fwd.winScale;
    }

    if ((d as { hdrBogus?: boolean }).hdrBogus) {
      // tshark stops at a bogus header length before the sequence analysis: raw numbers, no nxtseq.
      a.seq = seq;
      a.ack = ack;
      a.nxtseq = -1;
      return a;
    }
    this.sequence(a, st, fwd, rev, seq, ack, seglen, flags, d, now, frame);
    // Closed (both FINs acknowledged, or a RST): the stream is forgotten after closedGrace of
    // quiet (sweep). After both FINs were acked nothing is left to ack: the unacked lists go now.
    // After a RST they stay until then: an ACK arriving after the RST still gets its acks_frame /
    // ack_rtt from them, as in tshark.
    if (rev.finFrame && !rev.finAcked && flags & TCP_ACK && seqGE(ack, rev.finEnd)) rev.finAcked = true;
    if (st.closedAt < 0) {
      if (fwd.finAcked && rev.finAcked) {
        st.closedAt = cnow;
        this.release(st);
      } else if (flags & TCP_RST) st.closedAt = cnow;
    }
    if (reused >= 0) this.flag(a, F.A_REUSED_PORTS, this.ex ? `SYN with ISN ${seq} on ports already used by stream ${reused} (its ISN was different) → new stream` : '');
    if (a.flags & F.ANY_RETRANSMISSION) fwd.retrans++;
    if (a.flags & F.A_ZERO_WINDOW) fwd.zeroWin++;
    if (so) return a;

    // ---- relative numbers ------------------------------------------------------------------
    a.seq = rel(seq, fwd.baseSeq);
    a.ack = flags & TCP_ACK ? rel(ack, rev.baseSeq) : ack;
    a.nxtseq = rel(seq, fwd.baseSeq) + seglen + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0);
    if (o.sack !== undefined && o.sack.length > 0) {
      const s: number[] = [];
      for (const [l, r] of o.sack) s.push(rel(l, rev.baseSeq), rel(r, rev.baseSeq));
      a.sack = s;
    }
    // receive window left after this segment: the peer's last ack + its scaled window - our next seq
    if (rev.windowSeen && rev.ackSeen && rev.winScale !== WS_UNKNOWN && fwd.nextSet) {
      const rw = rev.windowWasSyn || rev.winScale < 0 ? rev.window : rev.window * (1 << rev.winScale);
      a.rwndLeft = ((rev.lastack + rw - fwd.nextseq) | 0);
    }

    if (a.hasAnalysis && st.hasFirstRtt) a.initialRtt = st.firstRtt;
    if (a.flags !== 0) a.infoPrefix = F.infoPrefixes(a.flags, a.dupAckFrame, a.dupAckNum);
    return a;
  }

  /**
   * Set a flag with its rule. Callers build `why` only when explanations are on (`this.ex ? … : ''`),
   * not in a closure: a closure here would make V8 allocate a context for analyse()/sequence()
   * on every packet.
   */
  private flag(a: TcpAnalysis, bit: number, why: string): void {
    a.flags |= bit;
    a.hasAnalysis = true;
    if (this.ex) (a.why ??= []).push(why);
  }

  /** Wireshark's tcp_analyze_sequence_number(), rule by rule. */
  private sequence(
    a: TcpAnalysis, st: TcpStream, fwd: Flow, rev: Flow,
    seq: number, ack: number, seglen: number, flags: number, d: TcpD, now: number, frame: number,
  ): void {
    // (R/RA: relative numbers for the explanations, computed only when a rule fires)
    if (!fwd.baseSet) {
      if (flags & TCP_SYN) {
        fwd.baseSeq = seq;
        fwd.sawSyn = true;
      } else {
        fwd.baseSeq = (seq - 1) >>> 0;
      }
      fwd.baseSet = true;
    }
    if (!rev.baseSet && flags & TCP_ACK) {
      rev.baseSeq = (ack - 1) >>> 0;
      rev.baseSet = true;
    }
    if (flags & TCP_ACK) rev.validBif = true;
    const window = d.window;
    const noSFR = (flags & (TCP_SYN | TCP_FIN | TCP_RST)) === 0;
    let linuxZwp = false;

    fwdChecks: {
      // ZERO WINDOW PROBE: 1 byte at the next expected seq while the peer's window is 0.
      if (seglen === 1 && fwd.nextSet && seq === fwd.nextseq && rev.windowSeen && rev.window === 0) {
        this.flag(a, F.A_ZERO_WINDOW_PROBE, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} = next expected, len 1, peer window 0 → zero-window probe` : '');
        break fwdChecks;
      }
      // ZERO WINDOW: window 0 without SYN/FIN/RST.
      if (window === 0 && noSFR) {
        this.flag(a, F.A_ZERO_WINDOW, this.ex ? `window 0, no SYN/FIN/RST → zero window (receiver buffer full)` : '');
      }
      // LOST SEGMENT: seq beyond the highest next seq seen.
      if (fwd.nextSet && seqGT(seq, fwd.nextseq) && !(flags & TCP_RST)) {
        this.flag(a, F.A_LOST_PACKET, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} > next expected ${relTo(fwd.baseSeq, fwd.nextseq)} → ${seqSub(seq, fwd.nextseq)} bytes before it were not captured` : '');
        fwd.validBif = false;
      }
      // KEEP-ALIVE: 0 or 1 byte at next expected - 1.
      if ((seglen === 0 || seglen === 1) && fwd.nextSet && seq === ((fwd.nextseq - 1) >>> 0) && noSFR) {
        if (this.linuxZwp && rev.windowSeen && rev.window === 0) {
          linuxZwp = true;
          this.flag(a, F.A_ZERO_WINDOW_PROBE, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} = next expected ${relTo(fwd.baseSeq, fwd.nextseq)} - 1, len ${seglen}, peer window 0 → zero-window probe (tshark: keep-alive)` : '');
        } else {
          this.flag(a, F.A_KEEP_ALIVE, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} = next expected ${relTo(fwd.baseSeq, fwd.nextseq)} - 1, len ${seglen}, peer window ${rev.windowSeen ? rev.window : '?'} → keep-alive` : '');
        }
      }
      // WINDOW UPDATE: no data, same seq/ack as before, new non-zero window.
      if (seglen === 0 && window !== 0 && fwd.windowSeen && window !== fwd.window && fwd.nextSet && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
        this.flag(a, F.A_WINDOW_UPDATE, this.ex ? `len 0, seq ${relTo(fwd.baseSeq, seq)} and ack ${relTo(rev.baseSeq, ack)} unchanged, window ${fwd.window} → ${window} → window update` : '');
      }
      // WINDOW FULL: the segment reaches the right edge of the peer's advertised window.
      if (seglen > 0 && rev.winScale !== WS_UNKNOWN && rev.windowSeen && noSFR) {
        const rw = rev.windowWasSyn || rev.winScale < 0 ? rev.window : rev.window * (1 << rev.winScale);
        if (((seq + seglen) >>> 0) === ((rev.lastack + rw) >>> 0)) {
          this.flag(a, F.A_WINDOW_FULL, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} + len ${seglen} = peer ack ${relTo(fwd.baseSeq, rev.lastack)} + window ${rw} → window full` : '');
        }
      }
      // KEEP-ALIVE ACK: repeats the previous ack after a keep-alive from the peer.
      if (seglen === 0 && window !== 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq && ack === fwd.lastack && rev.lastSegFlags & F.A_KEEP_ALIVE && noSFR) {
        this.flag(a, F.A_KEEP_ALIVE_ACK, this.ex ? `len 0, same seq/ack/window as before, peer's last segment was a keep-alive → keep-alive ACK` : '');
        break fwdChecks;
      }
      // ZERO WINDOW PROBE ACK: repeats the zero window after a probe from the peer.
      if (seglen === 0 && window === 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq &&
        (ack === fwd.lastack || ack === ((fwd.lastack + 1) >>> 0)) && rev.lastSegFlags & F.A_ZERO_WINDOW_PROBE && noSFR) {
        this.flag(a, F.A_ZERO_WINDOW_PROBE_ACK, this.ex ? `len 0, window still 0, ack ${relTo(rev.baseSeq, ack)}, peer's last segment was a zero-window probe → probe ACK` : '');
        if (ack === ((fwd.lastack + 1) >>> 0)) {
          rev.nextseq = ack;
          rev.maxseqtobeacked = ack;
        }
        break fwdChecks;
      }
      // DUPLICATE ACK: no data, same seq/ack/window as the previous segment.
      if (seglen === 0 && window !== 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
        fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
        a.dupAckNum = fwd.dupacknum;
        a.dupAckFrame = fwd.lastnondupack;
        this.flag(a, F.A_DUPLICATE_ACK, this.ex ? `len 0, seq ${relTo(fwd.baseSeq, seq)}, ack ${relTo(rev.baseSeq, ack)} and window ${window} same as frame ${fwd.lastnondupack} → duplicate ACK #${fwd.dupacknum}` : '');
      }
    }
    // finished_fwd
    if (ack !== fwd.lastack) {
      fwd.lastnondupack = frame;
      fwd.dupacknum = 0;
    }
    // ACKED LOST SEGMENT: acks beyond what the peer was seen to send without a hole. As tshark
    // 4.0.17 (packet-tcp.c): flagged once per hole the peer's segments left (the mark then moves to
    // the peer's highest seq), else once until the peer's ack changes (its dup-ack counter is parked
    // at -1, which Wireshark's unsigned counter then reads as "≥ 2 dup ACKs": a segment the peer
    // then resends within 20 ms is called a fast retransmission).
    if (rev.maxSet && seqGT(ack, rev.maxseqtobeacked) && flags & TCP_ACK) {
      const m = rev.maxseqtobeacked;
      a.hasAnalysis = true;
      const why = this.ex ? `ack ${relTo(rev.baseSeq, ack)} > highest seq seen from the peer ${relTo(rev.baseSeq, m)} → acks data that was not captured` : '';
      if (seqLT(m, rev.nextseq)) {
        rev.maxseqtobeacked = rev.nextseq;
        this.flag(a, F.A_ACK_LOST_PACKET, why);
      } else {
        if (rev.dupacknum === 0) this.flag(a, F.A_ACK_LOST_PACKET, why);
        rev.dupacknum = -1;
      }
    }
    // RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER
    if (seglen > 0 || flags & (TCP_SYN | TCP_FIN)) {
      // Like tshark 4.0.17 (checked on made captures): a segment of more than one byte starting one
      // byte before the next expected seq adds new data (the byte before may have been a zero-window
      // probe); it is none of the kinds below, unless it is all below the peer's ack (spurious).
      const notAdvanced = fwd.nextSet && seqLT(seq, fwd.nextseq) && !(seglen > 1 && ((fwd.nextseq - 1) >>> 0) === seq);
      retx: {
        if (a.flags & F.A_KEEP_ALIVE || linuxZwp) break retx;
        // SPURIOUS first: data the peer has already acknowledged, however soon after the highest
        // segment it comes (tshark 4.0.17 calls it so before looking for fast retransmission or
        // out-of-order; test/analysis/tcp-analysis-order.test.ts)
        if (seglen > 0 && rev.lastack !== 0 && seqLE((seq + seglen) >>> 0, rev.lastack)) {
          this.flag(a, F.A_SPURIOUS_RETRANSMISSION, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} + len ${seglen} ≤ peer's ack ${relTo(fwd.baseSeq, rev.lastack)}: data already acknowledged → spurious retransmission` : '');
          break retx;
        }
        const tAck = now - rev.lastackTime;
        if (notAdvanced && (rev.dupacknum >= 2 || rev.dupacknum === -1) && rev.lastack === seq && tAck < 20e6) {
          const n = rev.dupacknum === -1 ? 'unseen-segment' : rev.dupacknum;
          this.flag(a, F.A_FAST_RETRANSMISSION, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} < next expected ${relTo(fwd.baseSeq, fwd.nextseq)}, peer sent ${n} duplicate ACKs for it, ${(tAck / 1e6).toFixed(3)} ms after the last one (< 20 ms) → fast retransmission` : '');
          break retx;
        }
        const tSeq = now - fwd.nextseqTime;
        const thres = st.hasFirstRtt ? st.firstRtt : 3e6;
        if (notAdvanced && tSeq < thres && fwd.nextseq !== ((seq + seglen + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0)) {
          this.flag(a, F.A_OUT_OF_ORDER, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} < next expected ${relTo(fwd.baseSeq, fwd.nextseq)}, ${(tSeq / 1e6).toFixed(3)} ms after the highest segment (< ${st.hasFirstRtt ? 'iRTT' : '3 ms'} ${(thres / 1e6).toFixed(3)} ms) → out of order` : '');
          break retx;
        }
        if (notAdvanced) {
          // tshark: measured from the eldest segment still unacknowledged (likely the one resent),
          // else from the segment that set the next expected seq
          const segs = fwd.segs;
          const old = !this.so && segs.length > 0;
          a.rto = now - (old ? segs.ts[segs.head] : fwd.nextseqTime);
          a.rtoFrame = old ? segs.frame[segs.head] : fwd.nextseqFrame;
          this.flag(a, F.A_RETRANSMISSION, this.ex ? `seq ${relTo(fwd.baseSeq, seq)} < next expected ${relTo(fwd.baseSeq, fwd.nextseq)} (set by frame ${fwd.nextseqFrame}) → retransmission, ${(a.rto / 1e6).toFixed(3)} ms after frame ${a.rtoFrame}${old ? ', the oldest unacknowledged segment' : ''}` : '');
        }
      }
    }
    // finished_checking_retransmission_type
    let nextseq = (seq + seglen) >>> 0;
    if (seglen > 0 || flags & (TCP_SYN | TCP_FIN)) {
      if (flags & (TCP_SYN | TCP_FIN)) nextseq = (nextseq + 1) >>> 0;
      if (fwd.segs.length >= this.maxUnacked) this.stats.unackedCapHits++;
      else if (this.so) fwd.segs.pushSeq(seq, nextseq);
      else fwd.segs.push(seq, nextseq, frame, now);
    }
    if (!fwd.nextSet || seqGT(nextseq, fwd.nextseq)) {
      if (!(a.flags & F.A_ZERO_WINDOW_PROBE)) {
        fwd.nextseq = nextseq;
        fwd.nextSet = true;
        fwd.nextseqFrame = frame;
        fwd.nextseqTime = now;
      }
    }
    if (!fwd.maxSet || seq === fwd.maxseqtobeacked) {
      if (!(a.flags & F.A_ZERO_WINDOW_PROBE)) {
        fwd.maxseqtobeacked = fwd.nextseq;
        fwd.maxSet = true;
      }
    }
    fwd.window = window;
    fwd.windowSeen = true;
    fwd.windowWasSyn = (flags & TCP_SYN) !== 0;
    fwd.lastack = ack;
    if (flags & TCP_ACK) fwd.ackSeen = true;
    fwd.lastackTime = now;
    fwd.lastSegFlags = a.flags;

    // Remove what this packet acknowledges from the peer's unacked list (as Wireshark: an entry
    // whose next seq is at or below the ack goes, the oldest one ending exactly at the ack gives
    // acks_frame and ack_rtt; an entry the ack falls inside is trimmed to start at the ack).
    // (summaryOnly: the entries have no frame and time, and no acks_frame / ack_rtt is wanted.)
    const u = rev.segs;
    if (u.length > 0) {
      const end = u.n;
      const timed = !this.so;
      let hit = false, hitFrame = 0, hitTs = 0;
      if (u.mono) {
        let i = u.head;
        for (; i < end && seqLE(u.next[i], ack); i++) {
          if (!hit && u.next[i] === ack && timed) {
            hit = true;
            hitFrame = u.frame[i];
            hitTs = u.ts[i];
          }
        }
        u.head = i;
        for (let j = i; j < end && seqLT(u.seq[j], ack); j++) u.seq[j] = ack;
      } else {
        let w = 0, mono = true;
        for (let i = u.head; i < end; i++) {
          if (seqLE(u.next[i], ack)) {
            if (!hit && u.next[i] === ack && timed) {
              hit = true;
              hitFrame = u.frame[i];
              hitTs = u.ts[i];
            }
            continue;
          }
          if (seqLT(u.seq[i], ack)) u.seq[i] = ack;
          if (w > 0 && !(seqGE(u.seq[i], u.seq[w - 1]) && seqGE(u.next[i], u.next[w - 1]))) mono = false;
          u.seq[w] = u.seq[i];
          u.next[w] = u.next[i];
          if (timed) {
            u.frame[w] = u.frame[i];
            u.ts[w] = u.ts[i];
          }
          w++;
        }
        u.n = w;
        u.head = 0;
        u.mono = mono;
      }
      if (hit) {
        a.acksFrame = hitFrame;
        a.ackRtt = now - hitTs;
        a.hasAnalysis = true;
      }
      u.tidy(timed);
    }
    if (this.so) return;
    // SACK blocks of this packet (for the peer's bytes in flight)
    fwd.sack = d.options.sack !== undefined && d.options.sack.length > 0 ? d.options.sack : null;

    // Bytes in flight after this segment
    const s = fwd.segs;
    if (seglen !== 0 && s.length > 0 && fwd.validBif) {
      const base = fwd.baseSeq;
      const h = s.head, t = s.n - 1;
      let first = rel(s.seq[t], base), last = rel(s.next[t], base);
      const f0 = rel(s.seq[h], base), l0 = rel(s.next[h], base);
      if (s.mono && f0 <= first && l0 <= last) {
        first = f0; // in order and no wrap of the relative numbers: the ends are the extremes
      } else {
        for (let i = t - 1; i >= h; i--) {
          const ns = rel(s.next[i], base), ss = rel(s.seq[i], base);
          if (ns > last) last = ns;
          if (ss < first) first = ss;
        }
      }
      let inFlight = last - first;
      const sk = rev.sack;
      if (sk !== null) {
        for (let i = 0; i < sk.length; i++) {
          let dup = false;
          for (let j = 0; j < i; j++) if (sk[j][0] === sk[i][0] && sk[j][1] === sk[i][1]) dup = true;
          if (!dup) inFlight -= seqSub(sk[i][1], sk[i][0]);
        }
      }
      if (inFlight > 0 && inFlight < 2000000000) {
        a.bif = flags & (TCP_SYN | TCP_FIN) ? inFlight - 1 : inFlight;
        a.hasAnalysis = true;
      }
    }
  }
}
