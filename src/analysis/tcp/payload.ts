// In-order payload of one TCP stream, per direction, like `tshark -z follow,tcp`: each byte once
// (retransmitted data dropped), out-of-order segments held until the gap fills (bounded: a gap
// that never fills is skipped, reported, and marked in the data as tshark marks it).

import { seqGT, seqLE, seqSub } from './seq.js';

export interface Chunk {
  dir: 0 | 1;
  frame: number;
  data: Uint8Array;
}

interface Pending {
  seq: number;
  frame: number;
  data: Uint8Array;
  /** Sequence space the segment covers (more than data.length when the capture cut its payload). */
  seqLen: number;
}

/** "[N bytes missing in capture file]" and a NUL, as tshark's follow shows a gap it skips. */
export function gapMarker(n: number): Uint8Array {
  return new Uint8Array(Buffer.from(`[${n} bytes missing in capture file]\0`, 'latin1'));
}

export class StreamPayload {
  readonly chunks: Chunk[] = [];
  private next: [number | null, number | null] = [null, null];
  private pending: [Pending[], Pending[]] = [[], []];
  private pendingBytes = 0;
  /** Bytes skipped because a gap never filled (segments not captured). */
  missing = 0;
  /** Total bytes kept; stops at maxBytes (then `capped` is set). */
  bytes = 0;
  capped = false;

  constructor(private readonly maxBytes = 64 << 20, private readonly maxPending = 4 << 20) {}

  /**
   * Add a segment: raw seq of its first payload byte (after a SYN: ISN+1). `seqLen`: its length in
   * sequence space (tcp.len), when the capture kept fewer bytes than that: the bytes it lacks are not
   * a gap (tshark's follow shows what was captured and goes on).
   */
  add(dir: 0 | 1, seq: number, frame: number, data: Uint8Array, seqLen = data.length): void {
    if (data.length === 0 && seqLen <= 0) return;
    const nx = this.next[dir];
    if (nx === null) {
      this.deliver(dir, seq, frame, data, seqLen);
      return;
    }
    if (seqGT(seq, nx)) {
      this.pending[dir].push({ seq, frame, data: data.slice(), seqLen });
      this.pendingBytes += data.length;
      if (this.pendingBytes > this.maxPending) this.flushGap(dir);
      return;
    }
    this.deliver(dir, seq, frame, data, seqLen);
  }

  private deliver(dir: 0 | 1, seq: number, frame: number, data: Uint8Array, seqLen: number): void {
    const nx = this.next[dir];
    let d = data;
    let span = Math.max(seqLen, data.length);
    if (nx !== null) {
      if (seqLE((seq + span) >>> 0, nx)) return; // all old (retransmission)
      const skip = seqSub(nx, seq);
      if (skip > 0) {
        d = d.subarray(Math.min(skip, d.length));
        span -= skip;
        seq = nx;
      }
    }
    if (this.bytes + d.length > this.maxBytes) {
      this.capped = true;
      return;
    }
    if (d.length > 0) this.chunks.push({ dir, frame, data: d.slice() });
    this.bytes += d.length;
    this.next[dir] = (seq + span) >>> 0;
    this.drain(dir);
  }

  private drain(dir: 0 | 1): void {
    const p = this.pending[dir];
    for (let guard = 0; guard < 100000 && p.length > 0; guard++) {
      const nx = this.next[dir]!;
      const i = p.findIndex((x) => !seqGT(x.seq, nx));
      if (i < 0) return;
      const [x] = p.splice(i, 1);
      this.pendingBytes -= x.data.length;
      this.deliver(dir, x.seq, x.frame, x.data, x.seqLen);
    }
  }

  /** Give up on a gap: jump to the lowest pending segment. */
  private flushGap(dir: 0 | 1): void {
    const p = this.pending[dir];
    if (p.length === 0) return;
    let lo = 0;
    for (let i = 1; i < p.length; i++) if (seqGT(p[lo].seq, p[i].seq)) lo = i;
    const n = seqSub(p[lo].seq, this.next[dir]!);
    this.missing += n;
    // where the bytes are missing, tshark's follow puts a marker in their place (and counts its bytes)
    this.chunks.push({ dir, frame: p[lo].frame, data: gapMarker(n) });
    this.next[dir] = p[lo].seq;
    this.drain(dir);
  }

  /** At the end: deliver what is still pending across gaps. */
  finish(): void {
    for (const dir of [0, 1] as const) {
      for (let guard = 0; guard < 100000 && this.pending[dir].length > 0; guard++) this.flushGap(dir);
    }
  }
}
