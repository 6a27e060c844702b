// Desegmentation: application messages framed over one direction of a reassembled TCP stream,
// like Wireshark's "desegment_len": the application parser looks at the bytes buffered from the
// start of a message and says how long the message is (or that it needs more bytes, length
// unknown); it is asked again when more bytes arrive, and the message is handed out, whole, on
// the frame that completes it.
//
// Memory: the message buffer of a direction is bounded (`maxMessage`) and charged to the global
// Budget. A message longer than the cap is handed out cut (what is buffered, `cut` set) and the
// rest of it is skipped as it arrives; a parser that never finds the end of a message (an endless
// header line or chunk list) hits the same cap and its bytes are handed out `cut`.

import { Budget, DirReassembler, type Piece, type PushResult, type ReassemblyLimits, DEFAULT_LIMITS } from './tcp/reassembly.js';
import { uninitBytes } from '../capture/read-common.js';

export interface AppParser {
  /**
   * Look at the buffered bytes of a message (buf[0] is its first byte). Return the message's total
   * length when known (it may exceed buf.length: the desegmenter waits for that many bytes), 0 when
   * more bytes are needed and the length is unknown yet, -1 when the bytes cannot start a message
   * (they are dropped). `eof`: no more bytes will come (FIN or end of capture): return buf.length
   * for a message that ends at the close (HTTP body until close), or -1.
   */
  measure(buf: Uint8Array, eof: boolean): number;
  /**
   * Info text of a frame on which measure() ran without completing a message (tshark re-dissects
   * the partial message and shows its first line, e.g. "HTTP/1.1 200 OK "); null for none.
   */
  partialInfo?(buf: Uint8Array): string | null;
  /** The message at the buffer start was handed out or dropped: the next call starts a new one. */
  done?(): void;
  /**
   * Do the buffered bytes (length not known yet) start a message? Absent: yes. Bytes kept only in
   * case they do (HTTP waits for a line end) are dropped, not handed out cut, when bytes go missing.
   */
  startsMessage?(buf: Uint8Array): boolean;
  /**
   * What measure() learned about the message at the buffer start (an HTTP parser: its parsed head, with
   * offsets from the message's first byte), handed out with it as Message.meta; asked just before done().
   */
  meta?(): unknown;
  /**
   * True when nothing reads a message's bytes beyond those measure() looked at once it returned a
   * length (so a DirDesegmenter with `sparse` set may skip copying them).
   */
  readonly sparse?: boolean;
  /**
   * With `sparse`: how many bytes of the message at the buffer start must be stored before the rest
   * may be skipped (an HTTP parser: the head and the first bytes of the body, where a media type's
   * magic number is). Absent: whatever measure() needed.
   */
  holdFrom?(): number;
}

export interface SegRef {
  frame: number;
  len: number;
}

export interface Message {
  /** Stream offset of the first byte. */
  off: number;
  /** The message bytes (a copy, or a view of the frame when `inFrame`). */
  bytes: Uint8Array;
  /** When the message lies whole in the completing frame's payload: its offset in frame data. */
  inFrame: number;
  /** Frames that carried its bytes, in stream order, with the byte count each contributed. */
  segs: SegRef[];
  /** The length the parser announced (≥ bytes.length when cut). */
  declared: number;
  /** Why the message is not whole: 'cap' (longer than maxMessage), 'gap' (bytes missing), 'eof' (stream ended first). */
  cut: 'cap' | 'gap' | 'eof' | null;
  /** Missing bytes inside the message (gaps), for the report. */
  lost: number;
  /** Cut ('gap') where the capture's snaplen cut a segment: the bytes were sent, not captured. */
  snaplen: boolean;
  /** Bytes of the message counted but not kept (sparse mode): bytes.length + omitted is its length. */
  omitted: number;
  /** AppParser.meta() for this message (null when the parser has none). */
  meta: unknown;
}

export interface FeedResult {
  messages: Message[];
  /** This frame's bytes went into a message that is not complete yet. */
  partial: boolean;
  /** partialInfo() of the parser when it ran on this frame without completing a message. */
  partialInfo: string | null;
  /**
   * Bytes of this frame were skipped: the rest of a message already handed out cut (bytes of it
   * were lost). tshark keeps such segments in the unfinished reassembly: "[TCP segment of a
   * reassembled PDU]".
   */
  skipped: boolean;
  push: PushResult | null;
}

export interface DesegmentLimits extends ReassemblyLimits {
  /** Longest message buffered whole (bigger ones are handed out cut). */
  maxMessage: number;
}

export const DEFAULT_DESEGMENT_LIMITS: DesegmentLimits = { ...DEFAULT_LIMITS, maxMessage: 16 << 20 };

const NO_MSGS: Message[] = [];
const EMPTY_BUF = new Uint8Array(0);

/** One direction: reassembler + message buffer + framing with an AppParser. */
export class DirDesegmenter {
  readonly rs: DirReassembler;
  private buf = new Uint8Array(0);
  private len = 0;
  /** Stream offset of buf[0]. */
  private bufOff = 0;
  private segs: { frame: number; off: number; len: number }[] = [];
  /** First live entry of `segs` (consumed entries before it are dropped in bulk, not shifted one by one). */
  private segHead = 0;
  /** Known length of the message at buf[0] (0 = unknown). */
  private want = 0;
  /** Bytes of a cut message still to skip. */
  private skip = 0;
  /** Lost bytes inside the current message. */
  private lost = 0;
  /**
   * Nobody reads the bytes of a message past what the parser needed to measure it (the table shows
   * an HTTP message's head, never its body): once a message's length is known, the rest of it is
   * counted (`hole`, at the end of `len`) instead of copied. Messages then come out with `bytes`
   * holding only what was buffered before the length was known (`declared` is the full length).
   */
  sparse = false;
  private holeOn = false;
  private hole = 0;
  /** The length is known but the hole opens only once `holeAt` bytes are stored (AppParser.holdFrom). */
  private holePending = false;
  private holeAt = 0;
  /** Parsing stopped for good (e.g. after an HTTP Upgrade). */
  stopped = false;
  /** Messages handed out cut because of the cap. */
  capCuts = 0;

  constructor(
    public parser: AppParser,
    private readonly budget: Budget,
    private readonly limits: DesegmentLimits = DEFAULT_DESEGMENT_LIMITS,
  ) {
    this.rs = new DirReassembler(budget, limits);
    this.rs.peek = (off) => {
      const i = off - this.bufOff;
      return i >= 0 && i < this.len - this.hole ? this.buf[i] : -1;
    };
  }

  /**
   * The direction is over and nothing is pending: every byte up to the FIN was delivered, no message
   * is buffered or being skipped, nothing is held out of order. Later segments can produce nothing.
   */
  get closed(): boolean {
    return this.rs.eof && this.len === 0 && this.want === 0 && this.skip === 0 && this.rs.held === 0;
  }

  /** A segment of this direction; `frameData` is the frame's bytes (to locate in-frame messages). */
  feed(seq: number, data: Uint8Array, segLen: number, syn: boolean, fin: boolean, frame: number, frameData: Uint8Array): FeedResult {
    const push = this.rs.push(seq, data, segLen, syn, fin, frame);
    const r = this.consume(push.pieces, frame, frameData);
    r.push = push;
    if (this.rs.eof) this.end(r, frame, true);
    return r;
  }

  /**
   * Would a segment at raw `seq` start a new message (tshark: no reassembly covers it, it is dissected
   * afresh)? Yes past the declared end of the message in progress, or when none is in progress; no
   * inside it, or while its length is unknown.
   */
  startsFresh(seq: number): boolean {
    if (this.want > 0) return this.rs.offsetOf(seq) >= this.bufOff + this.want;
    return this.len === 0 && this.skip === 0;
  }

  /** The peer acknowledged up to ackRaw (lost segments become gaps). */
  ack(ackRaw: number, frame: number, frameData: Uint8Array): FeedResult | null {
    const pieces = this.rs.ack(ackRaw);
    if (pieces.length === 0) return null;
    return this.consume(pieces, frame, frameData);
  }

  /** The stream is dropped (nothing more will be fed): give its buffers back to the budget. */
  release(): void {
    this.rs.release();
    this.budget.give(this.buf.length);
    this.buf = new Uint8Array(0);
    this.len = 0;
    this.hole = 0;
    this.holeOn = false;
    this.holePending = false;
  }

  /** End of capture: flush held segments and messages that end at the close. */
  finish(frame: number): FeedResult {
    const r = this.consume(this.rs.flush(), frame, new Uint8Array(0));
    this.end(r, frame, false);
    this.release();
    return r;
  }

  /** Stop parsing this direction (bytes are still reassembled and counted, not buffered). */
  stop(): void {
    this.stopped = true;
    this.drop(this.len);
    this.want = 0;
  }

  /**
   * The stream ended (`fin`: this frame's FIN; else the capture or the stream's tracking ended):
   * hand out what ends at the close. A message the FIN completes lists the FIN's frame as its
   * last segment even when it carries no data, as tshark does ("#9(0)", "Frame: 9 (no data)").
   */
  private end(r: FeedResult, frame: number, fin = false): void {
    const before = r.messages.length;
    this.endMessages(r, frame);
    if (!fin) return;
    for (let i = before; i < r.messages.length; i++) {
      const segs = r.messages[i].segs;
      if (segs[segs.length - 1].frame !== frame) segs.push({ frame, len: 0 });
    }
  }

  private endMessages(r: FeedResult, frame: number): void {
    if (this.len === 0 || this.stopped) return;
    if (this.holeOn) {
      // the length was known and the stream ended first (what measure(eof) would say)
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      r.messages.push(this.take(this.len, frame, null, 'eof', this.want));
      this.want = 0;
      r.partial = false;
      return;
    }
    const n = this.parser.measure(this.buf.subarray(0, this.len), true);
    if (n > 0 && n <= this.len) {
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      r.messages.push(this.take(n, frame, null, null, n));
    } else if (n > 0 || this.want > 0) {
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      r.messages.push(this.take(this.len, frame, null, 'eof', Math.max(n, this.want)));
    } else this.drop(this.len);
    this.want = 0;
    r.partial = false;
  }

  private consume(pieces: Piece[], frame: number, frameData: Uint8Array): FeedResult {
    const r: FeedResult = { messages: NO_MSGS, partial: false, partialInfo: null, skipped: false, push: null };
    let cur: { off: number; at: number; end: number } | null = null;
    for (const p of pieces) {
      if (p.kind === 'gap') {
        this.gap(p.len, r, frame, p.why === 'snaplen');
        continue;
      }
      let bytes = p.bytes;
      let off = p.off;
      if (this.skip > 0) {
        const k = Math.min(this.skip, bytes.length);
        this.skip -= k;
        if (p.current) r.skipped = true;
        bytes = bytes.subarray(k);
        off += k;
        if (bytes.length === 0) continue;
      }
      if (this.stopped) continue;
      if (this.len === 0) this.bufOff = off;
      const inFrame = p.current && bytes.buffer === frameData.buffer;
      if (inFrame) cur = { off, at: bytes.byteOffset - frameData.byteOffset, end: off + bytes.length };
      if (this.holeOn) {
        // bytes of a message whose tail nobody reads (see `sparse`): counted, not copied
        const k = Math.min(bytes.length, this.want - this.len);
        this.hole += k;
        this.len += k;
        this.segs.push({ frame: p.frame, off, len: k });
        bytes = bytes.subarray(k);
        off += k;
        this.frame(r, frame, cur);
        if (bytes.length === 0) continue;
        if (this.len === 0) this.bufOff = off;
      }
      if (inFrame && cur !== null) {
        // Fast path: nothing buffered and whole messages in the frame's bytes: hand them out as
        // views of the frame without copying them through the message buffer.
        if (this.len === 0 && this.want === 0) {
          bytes = this.direct(bytes, off, p.frame, r, cur);
          if (bytes.length === 0) continue;
          off = cur.off + (bytes.byteOffset - frameData.byteOffset - cur.at);
          this.bufOff = off;
        }
      }
      if (!this.append(bytes)) {
        // global budget exhausted: hand out what we have, cut
        this.capCuts++;
        if (this.len > 0) {
          r.messages = r.messages === NO_MSGS ? [] : r.messages;
          r.messages.push(this.take(this.len, frame, null, 'cap', Math.max(this.want, this.len + bytes.length)));
        }
        this.want = 0;
        continue;
      }
      this.segs.push({ frame: p.frame, off, len: bytes.length });
      this.frame(r, frame, cur);
    }
    if (this.len > 0 && !this.stopped && r.messages === NO_MSGS) r.partial = true;
    else if (this.len > 0 && !this.stopped) {
      const segs = this.segs;
      let any = false;
      for (let i = this.segHead; i < segs.length; i++) if (segs[i].frame === frame) { any = true; break; }
      r.partial = any;
    }
    return r;
  }

  /**
   * Frame messages straight from `bytes` (a view of the current frame, stream offset `off`) while
   * nothing is buffered; returns the bytes left over (a partial message, to be buffered). Same
   * outcome as appending them and running frame(), without the copies.
   */
  private direct(bytes: Uint8Array, off: number, pframe: number, r: FeedResult, cur: { off: number; at: number; end: number }): Uint8Array {
    for (let guard = 0; guard < 100000 && bytes.length > 0 && !this.stopped; guard++) {
      const n = this.parser.measure(bytes, false);
      if (n < 0) {
        // not a message start: dropped (like drop() of the buffered bytes)
        this.parser.done?.();
        this.bufOff = off + bytes.length;
        return bytes.subarray(bytes.length);
      }
      if (n === 0 || n > bytes.length || n > this.limits.maxMessage) {
        // partial: buffer it; frame() measures it again (the parsers resume where they stopped)
        return bytes;
      }
      const lost = this.lost;
      this.lost = 0;
      const meta = this.parser.meta?.() ?? null;
      this.parser.done?.();
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      r.messages.push({
        off, bytes: bytes.subarray(0, n), inFrame: cur.at + (off - cur.off), segs: [{ frame: pframe, len: n }],
        declared: n, cut: null, lost, snaplen: false, omitted: 0, meta,
      });
      bytes = bytes.subarray(n);
      off += n;
      this.bufOff = off;
    }
    return bytes;
  }

  /** Cut messages out of the buffer while the parser can. */
  private frame(r: FeedResult, frame: number, cur: { off: number; at: number; end: number } | null): void {
    for (let guard = 0; guard < 100000 && this.len > 0 && !this.stopped; guard++) {
      if (this.want === 0) {
        const view = this.buf.subarray(0, this.len);
        const n = this.parser.measure(view, false);
        if (n < 0) {
          this.drop(this.len);
          return;
        }
        if (n === 0 || n > this.len) {
          if (this.parser.partialInfo) r.partialInfo = this.parser.partialInfo(view);
        }
        if (n === 0) {
          if (this.len > this.limits.maxMessage) {
            this.capCuts++;
            r.messages = r.messages === NO_MSGS ? [] : r.messages;
            r.messages.push(this.take(this.len, frame, null, 'cap', this.len));
          }
          return;
        }
        this.want = n;
        if (this.sparse && this.parser.sparse === true && n > this.len) {
          this.holeAt = Math.min(n, this.parser.holdFrom?.() ?? 0);
          this.holePending = true;
        }
      }
      if (this.holePending && this.len >= this.holeAt) {
        this.holePending = false;
        this.holeOn = true;
      }
      if (this.want > this.limits.maxMessage && this.len >= Math.min(this.limits.maxMessage, this.want)) {
        this.capCuts++;
        const have = this.len;
        r.messages = r.messages === NO_MSGS ? [] : r.messages;
        r.messages.push(this.take(have, frame, null, 'cap', this.want));
        this.skip = this.want - have;
        this.want = 0;
        return;
      }
      if (this.len < this.want) return;
      const n = this.want;
      this.want = 0;
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      r.messages.push(this.take(n, frame, cur, null, n));
    }
  }

  private gap(len: number, r: FeedResult, frame: number, snaplen: boolean): void {
    if (this.skip > 0) {
      const k = Math.min(this.skip, len);
      this.skip -= k;
      len -= k;
      if (len === 0) return;
    }
    if (this.stopped) return;
    if (this.len > 0 && this.want === 0 && this.parser.startsMessage?.(this.buf.subarray(0, this.len)) === false) {
      this.drop(this.len);
      return;
    }
    if (this.len > 0 || this.want > 0) {
      // the message in progress lost bytes: hand it out cut, skip what is left of it
      const want = this.want;
      const have = this.len;
      this.lost += len;
      r.messages = r.messages === NO_MSGS ? [] : r.messages;
      const m = this.take(have, frame, null, 'gap', want);
      m.snaplen = snaplen;
      r.messages.push(m);
      if (want > have + len) this.skip = want - have - len;
      this.want = 0;
    }
  }

  private append(bytes: Uint8Array): boolean {
    const need = this.len + bytes.length;
    if (need > this.buf.length) {
      let cap = Math.max(this.buf.length * 2, 4096);
      // the message length is known: size the buffer for it at once (up to 4 MiB) instead of doubling
      if (this.want > cap && this.want <= this.limits.maxMessage) cap = Math.min(this.want, Math.max(cap, 4 << 20));
      while (cap < need) cap *= 2;
      if (!this.budget.take(cap - this.buf.length)) return false;
      // not zero-filled: every byte read from it was written first (len bounds all reads)
      const nb = uninitBytes(cap);
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(bytes, this.len);
    this.len = need;
    return true;
  }

  private drop(n: number): void {
    this.parser.done?.();
    this.holePending = false;
    if (this.hole > 0 || this.holeOn) {
      // only ever the whole buffer while a hole is open
      n = this.len;
      this.hole = 0;
      this.holeOn = false;
    }
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
    this.bufOff += n;
    this.trimSegs(n);
    if (this.len === 0 && this.buf.length > 65536) {
      this.budget.give(this.buf.length);
      this.buf = new Uint8Array(0);
    }
  }

  private trimSegs(n: number): SegRef[] {
    const out: SegRef[] = [];
    let k = n;
    const segs = this.segs;
    while (k > 0 && this.segHead < segs.length) {
      const s = segs[this.segHead];
      if (s.len <= k) {
        out.push({ frame: s.frame, len: s.len });
        k -= s.len;
        this.segHead++;
      } else {
        out.push({ frame: s.frame, len: k });
        s.len -= k;
        s.off += k;
        k = 0;
      }
    }
    if (this.segHead === segs.length) {
      segs.length = 0;
      this.segHead = 0;
    } else if (this.segHead > 64 && this.segHead * 2 > segs.length) {
      segs.splice(0, this.segHead);
      this.segHead = 0;
    }
    return out;
  }

  /** Hand out buf[0, n) as a message and drop it from the buffer. */
  private take(n: number, frame: number, cur: { off: number; at: number; end: number } | null, cut: Message['cut'], declared: number): Message {
    const off = this.bufOff;
    const inFrame = cur !== null && off >= cur.off && off + n <= cur.end ? cur.at + (off - cur.off) : -1;
    // a message with a hole is the whole buffer (the hole is its tail): its stored bytes come out
    const hole = this.hole;
    this.hole = 0;
    this.holeOn = false;
    this.holePending = false;
    const phys = n - hole;
    const plen = this.len - hole;
    // the whole buffer is the message: hand the buffer itself out (no copy) and start a new one
    const whole = phys === plen && phys * 2 >= this.buf.length;
    const bytes = whole ? this.buf.subarray(0, phys) : this.buf.slice(0, phys);
    if (whole) {
      this.budget.give(this.buf.length);
      this.buf = EMPTY_BUF;
    }
    const lost = this.lost;
    this.lost = 0;
    const meta = this.parser.meta?.() ?? null;
    this.parser.done?.();
    // drop n bytes, keeping the segment contributions for the message
    this.buf.copyWithin(0, phys, plen);
    this.len -= n;
    this.bufOff += n;
    const segs = this.trimSegs(n);
    if (segs.length === 0) segs.push({ frame, len: 0 });
    if (this.len === 0 && this.buf.length > 65536) {
      this.budget.give(this.buf.length);
      this.buf = new Uint8Array(0);
    }
    return { off, bytes, inFrame, segs, declared, cut, lost, snaplen: false, omitted: hole, meta };
  }
}

export { Budget };
