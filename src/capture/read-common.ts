// Shared pieces of the capture file readers: the incremental decoder contract that open.ts drives,
// tshark's packet size limits, and small byte helpers.

import { CaptureFileError, type CaptureInfo, type Frame, type InterfaceInfo } from './types.js';

/**
 * An incremental decoder for one file format. The driver (open.ts) owns the bytes; the decoder keeps
 * only its parsing state, so the same decoder runs over a whole in-memory file or over a reusable
 * read buffer that is refilled from a file or stdin.
 */
export interface Decoder {
  readonly info: CaptureInfo;
  /** Frames produced so far. */
  count: number;
  /** True once the file header (pcap header / first SHB) has been parsed. */
  headerDone: boolean;
  /**
   * When feed() stops for lack of data: how many bytes, counted from the returned position, the next
   * unit needs (the driver grows its buffer when this exceeds it).
   */
  need: number;
  /** How frames get their bytes (copies, or views when the driver never rewrites its buffer). */
  readonly bytes: FrameBytes;
  /**
   * Parse every complete unit in buf[pos, end) and push the frames to `out`. `base` is the file offset
   * of buf[0]. Returns the position after the last unit consumed. A return value > end asks the
   * driver to discard (return - end) input bytes that follow buf[end] (a large block being skipped).
   * Throws CaptureFileError; frames pushed before the throw are valid and must be delivered.
   */
  feed(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: Frame[]): number;
  /** End of input with buf[pos, end) left over: the error to throw, or null for a clean end. */
  finish(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): CaptureFileError | null;
  /**
   * feed() without Frame objects, for a single-pass consumer that keeps no bytes (RecordVisitor):
   * each record's bytes and header values go to `visit.record` (a packet it cannot give that way,
   * as the Frame feed() makes, to `visit.frame`). Classic pcap and pcapng have it.
   */
  scan?(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, visit: RecordVisitor): number;
}

/**
 * Takes the records of a capture straight from the read buffer (Decoder.scan): the bytes
 * buf[at, at + cap) are valid only during the call. `sec`/`frac`: the record's seconds and micro-
 * or nanoseconds (the tsPrecision of the interface last given to iface() says which): as in the
 * file for classic pcap; for pcapng, from the block's timestamp and the interface's if_tsoffset.
 */
export interface RecordVisitor {
  /**
   * The interface of the records that follow (link type, timestamp precision: `frac` is µs for 6, ns
   * for 9; FCS length): before the first record, and whenever it changes (pcapng: several interfaces).
   */
  iface(info: InterfaceInfo): void;
  /** A packet's bytes buf[at, at + cap), original length, time (seconds and fraction) and frame number. */
  record(buf: Uint8Array, at: number, cap: number, origLen: number, sec: number, frac: number, index: number): void;
  /** A packet the decoder hands over as a Frame instead (pcapng: simple packet blocks, other timestamp units). */
  frame(f: Frame): void;
}

/** tshark's WTAP_MAX_PACKET_SIZE_STANDARD. */
export const MAX_PACKET_SIZE = 262144;

/**
 * Largest captured length tshark accepts for a link type (wtap_max_snaplen_for_encap): 256 KiB except
 * D-Bus and USBPcap (128 MiB) and EBHSCR (32 MiB). A record above it is damage, whatever the
 * file header's snaplen says (tshark: "pcap: File has 300000-byte packet, bigger than maximum of 262144").
 */
export function maxCaplen(linkType: number): number {
  switch (linkType) {
    case 231: // LINKTYPE_DBUS
    case 249: // LINKTYPE_USBPCAP
      return 128 * 1024 * 1024;
    case 279: // LINKTYPE_EBHSCR
      return 32 * 1024 * 1024;
    default:
      return MAX_PACKET_SIZE;
  }
}

export function newInfo(format: CaptureInfo['format'], byteOrder: CaptureInfo['byteOrder']): CaptureInfo {
  return { format, byteOrder, interfaces: [], names: new Map(), sections: [] };
}

export function damaged(message: string, offset: number, frame: number): CaptureFileError {
  return new CaptureFileError('damaged', message, offset, frame);
}

/** A plain Uint8Array over the same memory (Buffer.prototype.slice is a view, Uint8Array's a copy). */
export function plainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * A plain Uint8Array of `size` bytes of uninitialised memory (Buffer.allocUnsafeSlow: not zero-filled,
 * not from Node's pool), for buffers whose bytes are always written before they are read. Plain, so
 * .slice() copies (Buffer's would be a view).
 */
export function uninitBytes(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
}

export function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Frames up to this size are copied through a shared slab; bigger ones get their own ArrayBuffer. */
const SLAB_FRAME_MAX = 2048;
const SLAB_SIZE = 32 * 1024;

/**
 * Gives each frame its bytes. With `share` set, the driver promises never to write over bytes it has
 * handed to feed() (open.ts reads into fresh buffers and only appends), so a frame's data is a view of
 * the read buffer: no copy. A frame kept alive then keeps its whole read buffer (64 KiB) alive.
 *
 * Without `share` (parseCaptureBuffer: the buffer belongs to the caller): copies frame bytes out of the
 * buffer. A new ArrayBuffer per frame costs ~1 µs (that alone caps a reader below 1M frames/s), so the
 * bytes of small frames are copied 32 KiB at a time (a run of records, headers included) and each
 * frame gets a Uint8Array view into that copy, the way Node's Buffer pool works. Every frame still
 * has its own Uint8Array over memory that the reader never touches again, but small frames may share
 * one ArrayBuffer: a frame kept alive keeps at most 32 KiB. Use frame.data.slice() for a copy with an ArrayBuffer of its own.
 *
 * reset() must be called whenever the source buffer's contents change (at each feed()).
 */
export class FrameBytes {
  share = false;
  private slab: ArrayBuffer | null = null;
  /** The source range [from, to) the slab holds a copy of. */
  private from = 0;
  private to = 0;

  reset(): void {
    this.slab = null;
  }

  /** A copy of buf[start, end); `limit` is the end of the valid bytes in buf. */
  copy(buf: Uint8Array, start: number, end: number, limit: number): Uint8Array {
    const n = end - start;
    if (this.share) return new Uint8Array(buf.buffer, buf.byteOffset + start, n);
    if (n > SLAB_FRAME_MAX) return buf.slice(start, end);
    if (this.slab === null || start < this.from || end > this.to) {
      const to = Math.max(end, Math.min(limit, start + SLAB_SIZE));
      this.slab = buf.slice(start, to).buffer;
      this.from = start;
      this.to = to;
    }
    return new Uint8Array(this.slab, start - this.from, n);
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * An option string: UTF-8 up to the first NUL, as tshark shows it (some writers count a terminator,
 * some leave garbage after it: "Packet #1\0xM9…" is shown as "Packet #1").
 */
export function optString(buf: Uint8Array, start: number, len: number): string {
  const e = start + len;
  let i = start;
  while (i < e && buf[i] !== 0) i++;
  return utf8.decode(buf.subarray(start, i));
}

export function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text of the 16 bytes at b[o]: lower case, longest run (>= 2) of zero groups as "::". */
export function ipv6Text(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}
