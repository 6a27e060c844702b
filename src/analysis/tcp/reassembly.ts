// TCP reassembly of one direction of a stream: segments in, in-order byte pieces out.
//
// - Sequence numbers are mapped to 64-bit-safe stream offsets (0 = first byte after the SYN, or
//   the first byte seen when the SYN was not captured), across 2^32 wraps.
// - Retransmitted and overlapping bytes: the first copy wins; when a later copy of bytes we still
//   hold (out-of-order buffer, or the consumer's unconsumed buffer through `peek`) differs, the
//   segment is flagged `conflict`.
// - Out-of-order segments are copied into a buffer bounded per direction (bytes and segments) and
//   by a global Budget shared by every stream; when a cap is hit the missing range is declared a
//   gap (never silently joined) and the hit is counted.
// - Gaps are reported as pieces of kind 'gap': bytes the capture does not hold (lost/uncaptured
//   segments, detected when the peer acknowledges past them, when a cap is hit or at the end;
//   and the tail of a segment cut by the snaplen).
//
// The consumer (src/analysis/desegment.ts) appends the data pieces to its message buffer.

import { seqDiff } from './seq.js';

/** Memory shared by every reassembler (and the consumers' buffers) of one analysis run. */
export class Budget {
  used = 0;
  /** Times an allocation was refused because the global cap was reached. */
  hits = 0;
  constructor(readonly cap: number) {}
  take(n: number): boolean {
    if (this.used + n > this.cap) {
      this.hits++;
      return false;
    }
    this.used += n;
    return true;
  }
  give(n: number): void {
    this.used -= n;
    if (this.used < 0) this.used = 0;
  }
}

export interface DataPiece {
  kind: 'data';
  /** Stream offset of the first byte. */
  off: number;
  bytes: Uint8Array;
  /** Frame number the bytes came from. */
  frame: number;
  /** True when `bytes` is a view of the current frame's data (not a copy from the out-of-order buffer). */
  current: boolean;
}
export interface GapPiece {
  kind: 'gap';
  off: number;
  len: number;
  why: 'lost' | 'snaplen' | 'cap';
}
export type Piece = DataPiece | GapPiece;

export interface PushResult {
  pieces: Piece[];
  /** Every byte of the segment had been seen before. */
  retransmission: boolean;
  /** Some bytes overlap bytes already held and are different (the first copy was kept). */
  conflict: boolean;
  /** The segment was buffered (it starts after a hole). */
  outOfOrder: boolean;
  /** A cap was hit by this segment. */
  capHit: boolean;
}

export interface ReassemblyLimits {
  /** Most out-of-order bytes held per direction. */
  maxOooBytes: number;
  /** Most out-of-order segments held per direction. */
  maxOooSegs: number;
}

export const DEFAULT_LIMITS: ReassemblyLimits = { maxOooBytes: 4 << 20, maxOooSegs: 2048 };

interface Ooo {
  off: number;
  bytes: Uint8Array;
  frame: number;
}

const EMPTY: Piece[] = [];

export class DirReassembler {
  private started = false;
  /** Raw sequence number of stream offset `nextOff`. */
  private nextRaw = 0;
  /** Stream offset of the next byte expected in order. */
  nextOff = 0;
  /** Stream offset of the FIN (-1 until seen). */
  finOff = -1;
  private ooo: Ooo[] = [];
  private oooBytes = 0;
  /** Counters for the stream summary. */
  gaps = 0;
  gapBytes = 0;
  capHits = 0;
  conflicts = 0;
  /** Unconsumed bytes the consumer still holds (for conflict checks): returns the byte at `off` or -1. */
  peek: ((off: number) => number) | null = null;

  constructor(
    private readonly budget: Budget,
    private readonly limits: ReassemblyLimits = DEFAULT_LIMITS,
  ) {}

  /** Stream offset of a raw sequence number (relative to the next expected byte). */
  offsetOf(raw: number): number {
    return this.nextOff + seqDiff(raw, this.nextRaw);
  }

  /** Out-of-order segments held. */
  get held(): number {
    return this.ooo.length;
  }

  /** True when every byte up to the FIN has been delivered. */
  get eof(): boolean {
    return this.finOff >= 0 && this.nextOff >= this.finOff;
  }

  /**
   * One segment of this direction. `data` is the captured payload (a view of the frame), `segLen`
   * the segment length on the wire (tcp.len; more than data.length when cut by the snaplen).
   */
  push(seq: number, data: Uint8Array, segLen: number, syn: boolean, fin: boolean, frame: number): PushResult {
    const res: PushResult = { pieces: EMPTY, retransmission: false, conflict: false, outOfOrder: false, capHit: false };
    if (!this.started) {
      if (!syn && segLen === 0 && !fin) return res;
      this.started = true;
      this.nextRaw = syn ? (seq + 1) >>> 0 : seq >>> 0;
      this.nextOff = 0;
    }
    const dataSeq = syn ? (seq + 1) >>> 0 : seq >>> 0;
    const off = this.offsetOf(dataSeq);
    if (fin) {
      const f = off + segLen;
      if (this.finOff < 0 || f < this.finOff) this.finOff = f;
    }
    if (segLen === 0) return res;
    const pieces: Piece[] = [];
    const end = off + segLen;
    if (end <= this.nextOff) {
      res.retransmission = true;
      this.checkConflict(res, off, data);
      return res;
    }
    if (off > this.nextOff) {
      // after a hole: keep a copy until the hole is filled (or declared a gap)
      res.outOfOrder = true;
      if (!this.holdOoo(off, data, frame, res)) {
        // cap: give up on the hole, deliver what we hold up to here, then this segment
        res.capHit = true;
        this.capHits++;
        this.flushTo(off, 'cap', pieces);
        this.deliver(off, data, segLen, frame, true, pieces);
      }
    } else {
      if (off < this.nextOff) {
        this.checkConflict(res, off, data.subarray(0, Math.min(data.length, this.nextOff - off)));
      }
      this.deliver(off, data, segLen, frame, true, pieces);
    }
    this.drain(pieces);
    res.pieces = pieces;
    return res;
  }

  /** The peer acknowledged `ackRaw`: bytes before it that we never saw are lost (a gap). */
  ack(ackRaw: number): Piece[] {
    if (!this.started) return EMPTY;
    // Only when the peer acknowledged bytes past the hole that we hold (so the hole's bytes were
    // received but not captured); a capture that merely shows an ACK before its data is left alone.
    if (this.ooo.length === 0) return EMPTY;
    const a = this.offsetOf(ackRaw);
    const first = this.ooo[0].off;
    if (a <= first || first <= this.nextOff) return EMPTY;
    const pieces: Piece[] = [];
    this.flushTo(first, 'lost', pieces);
    this.drain(pieces);
    return pieces;
  }

  /** End of capture (or of the stream): what is still held out of order is delivered after gaps. */
  flush(): Piece[] {
    if (this.ooo.length === 0) return EMPTY;
    const pieces: Piece[] = [];
    this.flushTo(this.ooo[0].off, 'lost', pieces);
    this.drain(pieces);
    return pieces;
  }

  /** Release the out-of-order buffer (stream gone). */
  release(): void {
    this.budget.give(this.oooBytes);
    this.oooBytes = 0;
    this.ooo = [];
  }

  private checkConflict(res: PushResult, off: number, data: Uint8Array): void {
    // against bytes still held by the consumer (first copy wins)
    const pk = this.peek;
    if (pk !== null) {
      const n = Math.min(data.length, 4096);
      for (let i = 0; i < n; i++) {
        const b = pk(off + i);
        if (b < 0) continue;
        if (b !== data[i]) {
          res.conflict = true;
          this.conflicts++;
          return;
        }
      }
    }
  }

  /** Deliver data at `off` (≤ nextOff), trimming what was already delivered; snaplen tail → gap. */
  private deliver(off: number, data: Uint8Array, segLen: number, frame: number, current: boolean, pieces: Piece[]): void {
    const end = off + segLen;
    const capEnd = off + data.length;
    if (capEnd > this.nextOff) {
      const from = this.nextOff - off;
      pieces.push({ kind: 'data', off: this.nextOff, bytes: from > 0 ? data.subarray(from) : data, frame, current });
      this.advance(capEnd);
    }
    if (end > this.nextOff) {
      // the snaplen cut the segment: the rest is missing
      pieces.push({ kind: 'gap', off: this.nextOff, len: end - this.nextOff, why: 'snaplen' });
      this.gaps++;
      this.gapBytes += end - this.nextOff;
      this.advance(end);
    }
  }

  private advance(to: number): void {
    this.nextRaw = (this.nextRaw + (to - this.nextOff)) >>> 0;
    this.nextOff = to;
  }

  /** Declare [nextOff, to) lost and move on. */
  private flushTo(to: number, why: GapPiece['why'], pieces: Piece[]): void {
    if (to <= this.nextOff) return;
    pieces.push({ kind: 'gap', off: this.nextOff, len: to - this.nextOff, why });
    this.gaps++;
    this.gapBytes += to - this.nextOff;
    this.advance(to);
  }

  /** Deliver out-of-order segments that have become contiguous. */
  private drain(pieces: Piece[]): void {
    while (this.ooo.length > 0 && this.ooo[0].off <= this.nextOff) {
      const o = this.ooo.shift()!;
      this.oooBytes -= o.bytes.length;
      this.budget.give(o.bytes.length);
      if (o.off + o.bytes.length > this.nextOff) this.deliver(o.off, o.bytes, o.bytes.length, o.frame, false, pieces);
    }
  }

  private holdOoo(off: number, data: Uint8Array, frame: number, res: PushResult): boolean {
    // duplicates of held segments: first copy wins
    for (const o of this.ooo) {
      const s = Math.max(off, o.off), e = Math.min(off + data.length, o.off + o.bytes.length);
      if (s < e) {
        for (let i = s; i < e; i++) {
          if (o.bytes[i - o.off] !== data[i - off]) {
            res.conflict = true;
            this.conflicts++;
            break;
          }
        }
        if (s === off && e === off + data.length) {
          res.retransmission = true;
          return true;
        }
      }
    }
    // (a snaplen-cut out-of-order segment holds what was captured; its tail becomes a gap when reached)
    if (this.ooo.length >= this.limits.maxOooSegs || this.oooBytes + data.length > this.limits.maxOooBytes) return false;
    if (!this.budget.take(data.length)) return false;
    const copy = data.slice();
    this.oooBytes += copy.length;
    let i = this.ooo.length;
    while (i > 0 && this.ooo[i - 1].off > off) i--;
    this.ooo.splice(i, 0, { off, bytes: copy, frame });
    return true;
  }
}
