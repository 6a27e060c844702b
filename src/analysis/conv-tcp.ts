// The TCP half of `wiretrace conversations`, without the per-packet analysis: stream numbering
// and the per-stream summary (frames, bytes and payload each way, first/last time, handshake,
// client side, FIN/RST, retransmissions, zero windows) and the tracker counters, computed by
// the SAME rules as TcpTracker (src/analysis/tcp/tracker.ts, which follows Wireshark 4.0's
// packet-tcp.c), restricted to the state those numbers depend on.
//
// Why a second copy of the rules: the conversation table reads nothing per packet, and the full
// tracker builds a TcpAnalysis (30 fields), relative numbers, SACK and bytes-in-flight, RTTs and
// Info prefixes for every packet — most of the cost of `conversations` on large files.
//
// What is kept, and why (everything else of TcpTracker is left out because no summary number
// depends on it): stream lookup by port pair and 4-tuple, port reuse (a SYN with a new ISN),
// the idle / closed sweep every 8192 packets, eviction beyond maxStreams; per direction the base
// sequence number, next / max sequence to be acked, last ack and its time, dup-ack counter, last
// window, the keep-alive / zero-window-probe bits of the last segment, and the unacked-segment
// list (its length decides when the cap is hit: stats.unackedCapHits); per stream the handshake
// frames and times, the most recent SYN time and the initial RTT (the out-of-order threshold),
// the FIN end and whether it was acked (closing).
//
// test/analysis/conversations-fast.test.ts runs this against TcpTracker on every corpus capture
// (and the diff loop of the perf work on the 200k-packet slice): the lists must be equal. A change
// to a rule in tracker.ts that touches these numbers must be made here too — that test fails until it is.

import type { Packet } from '../dissect/chain.js';
import type { IpD, TcpD } from '../dissect/decoded.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../dissect/decoded.js';

// (seq.ts, inlined: serial-number comparisons on the signed 32-bit distance)
function seqLT(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function seqLE(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
function seqGT(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
function seqGE(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

// The analysis bits this file needs (flags.ts values; only KEEP_ALIVE and ZERO_WINDOW_PROBE are
// remembered from one segment to the next).
const A_KEEP_ALIVE = 0x0008;
const A_ZERO_WINDOW_PROBE = 0x0040;

/**
 * TcpTracker's Unacked (same entries, same rules), without frames and times (nothing here reads
 * them), in growable Uint32Arrays: the live entries are [head, n). No allocation per segment.
 */
class Unacked {
  seq: Uint32Array | null = null;
  next: Uint32Array | null = null;
  n = 0;
  head = 0;
  mono = true;
  get length(): number {
    return this.n - this.head;
  }
  push(seq: number, next: number): void {
    let s = this.seq, x = this.next;
    const n = this.n;
    if (s === null || x === null) {
      s = this.seq = new Uint32Array(8);
      x = this.next = new Uint32Array(8);
    } else if (n === s.length) {
      const s2 = new Uint32Array(n * 2), x2 = new Uint32Array(n * 2);
      s2.set(s);
      x2.set(x);
      s = this.seq = s2;
      x = this.next = x2;
    }
    if (n > this.head && !(seqGE(seq, s[n - 1]) && seqGE(next, x[n - 1]))) this.mono = false;
    s[n] = seq;
    x[n] = next;
    this.n = n + 1;
  }
  /** Empty, storage freed (a closed or forgotten stream). */
  clear(): void {
    this.seq = this.next = null;
    this.n = this.head = 0;
    this.mono = true;
  }
  tidy(): void {
    const n = this.n;
    if (this.head >= n) {
      this.n = this.head = 0;
      this.mono = true;
    } else if (this.head >= 1024 && this.head * 2 >= n) {
      const h = this.head;
      this.seq!.copyWithin(0, h, n);
      this.next!.copyWithin(0, h, n);
      this.n = n - h;
      this.head = 0;
    }
  }
  /** Drop what `ack` acknowledges (TcpTracker.sequence's unacked step, without acks_frame / ack_rtt). Call when length > 0. */
  ackTo(ack: number): void {
    const end = this.n;
    const s = this.seq!, x = this.next!;
    if (this.mono) {
      let i = this.head;
      while (i < end && seqLE(x[i], ack)) i++;
      this.head = i;
      for (let j = i; j < end && seqLT(s[j], ack); j++) s[j] = ack;
    } else {
      let w = 0, mono = true;
      for (let i = this.head; i < end; i++) {
        if (seqLE(x[i], ack)) continue;
        if (seqLT(s[i], ack)) s[i] = ack;
        if (w > 0 && !(seqGE(s[i], s[w - 1]) && seqGE(x[i], x[w - 1]))) mono = false;
        s[w] = s[i];
        x[w] = x[i];
        w++;
      }
      this.n = w;
      this.head = 0;
      this.mono = mono;
    }
    this.tidy();
  }
}

/** One direction: the state the summary depends on (names as in TcpTracker's Flow). */
export class ConvFlow {
  baseSet = false;
  baseSeq = 0;
  nextSet = false;
  nextseq = 0;
  nextseqTime = 0;
  maxSet = false;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackTime = 0;
  dupacknum = 0;
  window = 0;
  windowSeen = false;
  lastSegFlags = 0;
  segs = new Unacked();
  // ---- summary (as Flow) ----
  packets = 0;
  bytes = 0;
  payload = 0;
  retrans = 0;
  zeroWin = 0;
  finFrame = 0;
  rstFrame = 0;
  finEnd = 0;
  finAcked = false;
}

/** A stream: what ConversationTable reads of a TcpStream, and the state behind it. */
export class ConvStream {
  readonly flows: [ConvFlow, ConvFlow] = [new ConvFlow(), new ConvFlow()];
  firstTime = 0;
  lastTime = 0;
  firstTs = 0n;
  synSeen = false;
  mruSyn = 0;
  hsSynFrame = 0;
  hsSynTime = 0;
  hsSynAckFrame = 0;
  hsAckFrame = 0;
  hsAckTime = 0;
  hasFirstRtt = false;
  firstRtt = 0;
  chain: ConvStream | null = null;
  closedAt = -1;
  client: 0 | 1 = 0;
  clientKnown = false;
  constructor(
    readonly id: number,
    readonly addrA: string,
    readonly portA: number,
    readonly addrB: string,
    readonly portB: number,
  ) {}
  get handshakeRtt(): number {
    return this.hsAckFrame && this.hsSynFrame ? this.hsAckTime - this.hsSynTime : -1;
  }
  get end(): 'RST' | 'FIN' | 'half-closed' | 'open' {
    const [a, b] = this.flows;
    if (a.rstFrame || b.rstFrame) return 'RST';
    if (a.finFrame && b.finFrame) return 'FIN';
    if (a.finFrame || b.finFrame) return 'half-closed';
    return 'open';
  }
}

/** TcpTracker's limits (TrackerOptions defaults). */
export interface ConvTcpOptions {
  idleTimeout?: number;
  closedGrace?: number;
  maxStreams?: number;
  maxUnacked?: number;
  linuxZeroWindowProbe?: boolean;
  /**
   * Analysed packets between two sweeps for idle / closed streams: 8192 as TcpTracker. (Only the
   * JIT warm-up changes it, to run the sweep on its few packets; other values change the results.)
   */
  sweepEvery?: number;
}

function portKey(p: number, q: number): number {
  return p <= q ? p * 65536 + q : q * 65536 + p;
}

/** Stream summaries as TcpTracker (keepSummaries, no fields) computes them; same public surface for ConversationTable. */
export class ConvTcpTracker {
  private readonly active = new Map<number, ConvStream>();
  private activeN = 0;
  readonly streams: ConvStream[] = [];
  readonly stats = { packets: 0, streams: 0, expired: 0, closed: 0, evicted: 0, unackedCapHits: 0, skipped: 0 };
  private epoch: bigint | null = null;
  private nextId = 0;
  private sinceSweep = 0;
  private readonly idleNs: number;
  private readonly graceNs: number;
  private readonly maxStreams: number;
  private readonly maxUnacked: number;
  private readonly linuxZwp: boolean;
  private readonly sweepEvery: number;

  constructor(opts: ConvTcpOptions = {}) {
    this.idleNs = (opts.idleTimeout ?? 600) * 1e9;
    this.graceNs = (opts.closedGrace ?? 10) * 1e9;
    this.maxStreams = opts.maxStreams ?? 100000;
    this.maxUnacked = opts.maxUnacked ?? 10000;
    this.linuxZwp = opts.linuxZeroWindowProbe ?? true;
    this.sweepEvery = opts.sweepEvery ?? 8192;
  }

  timeOf(ts: bigint): number {
    if (this.epoch === null) this.epoch = ts;
    return Number(ts - this.epoch);
  }

  /** As TcpTracker.packet(): the innermost TCP layer and the IP layer before it; null when not TCP. */
  packet(pkt: Packet): true | null {
    const layers = pkt.layers;
    let ti = -1;
    for (let i = layers.length - 1; i > 0; i--) {
      if (layers[i].dis.proto === 'tcp') {
        ti = i;
        break;
      }
    }
    if (ti < 0) return null;
    const d = layers[ti].d as TcpD;
    let ip: IpD | null = null;
    for (let i = ti - 1; i > 0; i--) {
      const p = layers[i].dis.proto;
      if (p === 'ip' || p === 'ipv6') {
        ip = layers[i].d as IpD;
        break;
      }
    }
    if (!d || !d.ok || ip === null || !ip.src) {
      this.stats.skipped++;
      return null;
    }
    this.analyse(pkt, ip, d);
    return true;
  }

  /** packet() with the values already decoded (the lean path): same checks, no layer search. */
  packetDecoded(pkt: Packet, ip: IpD, d: TcpD): true | null {
    if (!d.ok || !ip.src) {
      this.stats.skipped++;
      return null;
    }
    this.analyse(pkt, ip, d);
    return true;
  }

  private find(pk: number, src: string, sp: number, dst: string, dp: number): ConvStream | undefined {
    for (let s: ConvStream | null = this.active.get(pk) ?? null; s !== null; s = s.chain) {
      if (s.portA === sp && s.portB === dp && s.addrA === src && s.addrB === dst) return s;
      if (s.portA === dp && s.portB === sp && s.addrA === dst && s.addrB === src) return s;
    }
    return undefined;
  }

  private unlink(st: ConvStream): void {
    const pk = portKey(st.portA, st.portB);
    let s: ConvStream | null = this.active.get(pk) ?? null;
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

  private newStream(pk: number, ip: IpD, d: TcpD, now: number, ts: bigint): ConvStream {
    const st = new ConvStream(this.nextId++, ip.src, d.srcport, ip.dst, d.dstport);
    st.firstTime = now;
    st.lastTime = now;
    st.firstTs = ts;
    this.stats.streams++;
    this.streams.push(st);
    if (this.activeN >= this.maxStreams) this.evictOldest();
    st.chain = this.active.get(pk) ?? null;
    this.active.set(pk, st);
    this.activeN++;
    return st;
  }

  private activeList(): ConvStream[] {
    const out: ConvStream[] = [];
    for (const head of this.active.values()) for (let s: ConvStream | null = head; s !== null; s = s.chain) out.push(s);
    return out;
  }

  private evictOldest(): void {
    let old: ConvStream | null = null;
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

  private release(st: ConvStream): void {
    st.flows[0].segs.clear();
    st.flows[1].segs.clear();
  }

  private forget(st: ConvStream): void {
    this.unlink(st);
    this.release(st);
  }

  private sweep(now: number): void {
    for (const s of this.activeList()) {
      if (now - s.lastTime > this.idleNs) {
        this.forget(s);
        this.stats.expired++;
      } else if (s.closedAt >= 0 && now - s.lastTime > this.graceNs) {
        this.forget(s);
        this.stats.closed++;
      }
    }
  }

  /** TcpTracker.analyse(), the summary part. */
  private analyse(pkt: Packet, ip: IpD, d: TcpD): void {
    this.stats.packets++;
    const fr = pkt.frame;
    const cnow = this.timeOf(fr.ts);
    const frame = fr.index;
    if (++this.sinceSweep >= this.sweepEvery) {
      this.sinceSweep = 0;
      this.sweep(cnow);
    }
    const src = ip.src, dst = ip.dst, sp = d.srcport, dp = d.dstport;
    const pk = portKey(sp, dp);
    const flags = d.flags;
    const seq = d.seq >>> 0, ack = d.ack >>> 0, seglen = d.len;
    let st = this.find(pk, src, sp, dst, dp);
    if (st === undefined) {
      st = this.newStream(pk, ip, d, cnow, fr.ts);
    } else {
      const f0 = st.flows[st.portA === sp && st.addrA === src ? 0 : 1];
      if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && f0.baseSet && seq !== f0.baseSeq) {
        this.forget(st);
        st = this.newStream(pk, ip, d, cnow, fr.ts);
      }
    }
    const di = st.portA === sp && st.addrA === src ? 0 : 1;
    const fwd = st.flows[di], rev = st.flows[1 - di];
    const now = cnow < 9e15 && cnow > -9e15 && st.firstTime < 9e15 && st.firstTime > -9e15
      ? cnow - st.firstTime : Number(fr.ts - st.firstTs);
    st.lastTime = cnow;

    fwd.packets++;
    fwd.bytes += fr.origLen;
    fwd.payload += seglen;
    if (flags & TCP_FIN && !fwd.finFrame) {
      fwd.finFrame = frame;
      fwd.finEnd = (seq + seglen + 1) >>> 0;
    }
    if (flags & TCP_RST && !fwd.rstFrame) fwd.rstFrame = frame;

    if (flags & TCP_SYN && !(flags & TCP_ACK)) {
      st.mruSyn = now;
      st.synSeen = true;
      if (!st.clientKnown) {
        st.client = di as 0 | 1;
        st.clientKnown = true;
      }
    }
    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      st.hsSynFrame = frame;
      st.hsSynTime = now;
    } else if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && st.hsSynFrame && di !== st.client) {
      st.hsSynAckFrame = frame;
    } else if ((flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_ACK && st.hsSynAckFrame && !st.hsAckFrame && di === st.client) {
      st.hsAckFrame = frame;
      st.hsAckTime = now;
    }
    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_ACK && st.synSeen && !st.hasFirstRtt) {
      st.firstRtt = now - st.mruSyn;
      st.hasFirstRtt = st.firstRtt !== 0;
    }

    if ((d as { hdrBogus?: boolean }).hdrBogus) return;
    const aflags = this.sequence(st, fwd, rev, seq, ack, seglen, flags, d.window, now);
    if (rev.finFrame && !rev.finAcked && flags & TCP_ACK && seqGE(ack, rev.finEnd)) rev.finAcked = true;
    if (st.closedAt < 0) {
      if (fwd.finAcked && rev.finAcked) {
        st.closedAt = cnow;
        this.release(st);
      } else if (flags & TCP_RST) st.closedAt = cnow;
    }
    // (ANY_RETRANSMISSION / A_ZERO_WINDOW, counted in sequence())
    void aflags;
  }

  /** TcpTracker.sequence(): the rules that decide the summary's counts and the state they read. */
  private sequence(
    st: ConvStream, fwd: ConvFlow, rev: ConvFlow,
    seq: number, ack: number, seglen: number, flags: number, window: number, now: number,
  ): number {
    if (!fwd.baseSet) {
      fwd.baseSeq = flags & TCP_SYN ? seq : (seq - 1) >>> 0;
      fwd.baseSet = true;
    }
    if (!rev.baseSet && flags & TCP_ACK) {
      rev.baseSeq = (ack - 1) >>> 0;
      rev.baseSet = true;
    }
    const noSFR = (flags & (TCP_SYN | TCP_FIN | TCP_RST)) === 0;
    let zwp = false; // a zero-window probe (either rule)
    let linuxZwp = false;
    let keepAlive = false;
    let zeroWin = false;

    fwdChecks: {
      // ZERO WINDOW PROBE
      if (seglen === 1 && fwd.nextSet && seq === fwd.nextseq && rev.windowSeen && rev.window === 0) {
        zwp = true;
        break fwdChecks;
      }
      // ZERO WINDOW
      if (window === 0 && noSFR) zeroWin = true;
      // (LOST SEGMENT: flag only)
      // KEEP-ALIVE
      if ((seglen === 0 || seglen === 1) && fwd.nextSet && seq === ((fwd.nextseq - 1) >>> 0) && noSFR) {
        if (this.linuxZwp && rev.windowSeen && rev.window === 0) zwp = linuxZwp = true;
        else keepAlive = true;
      }
      // (WINDOW UPDATE, WINDOW FULL: flags only)
      // KEEP-ALIVE ACK
      if (seglen === 0 && window !== 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq && ack === fwd.lastack && rev.lastSegFlags & A_KEEP_ALIVE && noSFR) {
        break fwdChecks;
      }
      // ZERO WINDOW PROBE ACK
      if (seglen === 0 && window === 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq &&
        (ack === fwd.lastack || ack === ((fwd.lastack + 1) >>> 0)) && rev.lastSegFlags & A_ZERO_WINDOW_PROBE && noSFR) {
        if (ack === ((fwd.lastack + 1) >>> 0)) {
          rev.nextseq = ack;
          rev.maxseqtobeacked = ack;
        }
        break fwdChecks;
      }
      // DUPLICATE ACK
      if (seglen === 0 && window !== 0 && window === fwd.window && fwd.nextSet && seq === fwd.nextseq && ack === fwd.lastack && noSFR) {
        fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
      }
    }
    if (ack !== fwd.lastack) fwd.dupacknum = 0;
    // ACKED LOST SEGMENT
    if (rev.maxSet && seqGT(ack, rev.maxseqtobeacked) && flags & TCP_ACK) {
      rev.maxseqtobeacked = rev.nextseq;
      rev.dupacknum = -1;
    }
    // RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS (counted) / OUT-OF-ORDER (not counted)
    if (seglen > 0 || flags & (TCP_SYN | TCP_FIN)) {
      const notAdvanced = fwd.nextSet && seqLT(seq, fwd.nextseq);
      retx: {
        if (keepAlive || linuxZwp) break retx;
        if (notAdvanced && (rev.dupacknum >= 2 || rev.dupacknum === -1) && rev.lastack === seq && now - rev.lastackTime < 20e6) {
          fwd.retrans++;
          break retx;
        }
        const thres = st.hasFirstRtt ? st.firstRtt : 3e6;
        if (notAdvanced && now - fwd.nextseqTime < thres && fwd.nextseq !== ((seq + seglen + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0)) {
          break retx;
        }
        if (seglen > 0 && rev.lastack !== 0 && seqLE((seq + seglen) >>> 0, rev.lastack)) {
          fwd.retrans++;
          break retx;
        }
        if (notAdvanced) fwd.retrans++;
      }
    }
    let nextseq = (seq + seglen) >>> 0;
    if (seglen > 0 || flags & (TCP_SYN | TCP_FIN)) {
      if (flags & (TCP_SYN | TCP_FIN)) nextseq = (nextseq + 1) >>> 0;
      if (fwd.segs.length < this.maxUnacked) fwd.segs.push(seq, nextseq);
      else this.stats.unackedCapHits++;
    }
    if (!fwd.nextSet || seqGT(nextseq, fwd.nextseq)) {
      if (!zwp) {
        fwd.nextseq = nextseq;
        fwd.nextSet = true;
        fwd.nextseqTime = now;
      }
    }
    if (!fwd.maxSet || seq === fwd.maxseqtobeacked) {
      if (!zwp) {
        fwd.maxseqtobeacked = fwd.nextseq;
        fwd.maxSet = true;
      }
    }
    fwd.window = window;
    fwd.windowSeen = true;
    fwd.lastack = ack;
    fwd.lastackTime = now;
    fwd.lastSegFlags = (keepAlive ? A_KEEP_ALIVE : 0) | (zwp ? A_ZERO_WINDOW_PROBE : 0);
    if (zeroWin) fwd.zeroWin++;
    if (rev.segs.length > 0) rev.segs.ackTo(ack);
    return 0;
  }
}
