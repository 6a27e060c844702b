// Opening a capture file or stdin: the format comes from the magic only (never the file name), the
// bytes are read in 64 KiB reads and handed to the format's decoder, which yields one batch of frames
// per read. Frames are views of the read buffer (no copy): the reader only ever appends to a buffer,
// and starts a fresh one when it is full, carrying over only the bytes of a record cut by the read.
// A batch is small on purpose: its frames are dropped before the next minor GC, so they die young
// (with 1 MiB batches they were promoted to the old space and piled up there until a full GC).
// Regular files are read with fs.readSync; pipes, FIFOs and stdin asynchronously.
//
// Errors: openCapture() throws CaptureFileError('not-capture') when there is no pcap/pcapng magic,
// and lets OS errors (ENOENT, EACCES, EISDIR …) through as they are. Every other CaptureFileError
// ('damaged', 'unsupported'), even one in the file header, comes out of the iterator after every
// frame read before it.

import { close, fstat, open, read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { CaptureFileError, type CaptureInfo, type Frame } from './types.js';
import { type Decoder, type RecordVisitor, dataView, newInfo, plainBytes, uninitBytes } from './read-common.js';
import { PcapDecoder, pcapVariant } from './pcap.js';
import { PCAPNG_MAGIC, PcapngDecoder } from './pcapng.js';

export interface CaptureReader extends AsyncIterable<Frame[]> {
  /**
   * Instead of iterating: a single pass without Frame objects where the format allows, frames
   * otherwise (see Reader.scan); for a reader opened with `reuse`.
   */
  scan(visit: RecordVisitor, frames: (batch: Frame[]) => void): Promise<void>;
  /** Filled from the header; interfaces/names/sections grow as blocks are read. */
  readonly info: CaptureInfo;
  /** Size in bytes of a regular file; null for stdin, a pipe or a device. */
  readonly fileSize: number | null;
  /** Stop early (e.g. -c N): releases the file / stops reading stdin. Safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Bytes per read (default 64 KiB). Small values are for tests of records spanning reads. */
  readSize?: number;
  /**
   * The consumer keeps no frame (nor a view of its bytes) once it asks for the next batch: the
   * reader may then read into the buffers of earlier batches again instead of fresh memory (no page
   * faults for every byte of the file). For single-pass summaries such as `conversations`.
   */
  reuse?: boolean;
}

export const DEFAULT_READ_SIZE = 64 << 10;

/** A decoder for the file's magic, or the 'not-capture' error. */
export function decoderFor(head: Uint8Array, total: number): Decoder | CaptureFileError {
  if (total < 4) {
    const what = total === 0 ? 'empty input' : `only ${total} byte${total === 1 ? '' : 's'}`;
    return new CaptureFileError('not-capture', `not a capture file: ${what}, no pcap/pcapng header`, 0, 1);
  }
  const magic = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (magic === PCAPNG_MAGIC) return new PcapngDecoder();
  if (pcapVariant(magic)) return new PcapDecoder(magic);
  const hex = magic.toString(16).padStart(8, '0');
  return new CaptureFileError('not-capture', `not a pcap or pcapng file (starts with 0x${hex})`, 0, 1);
}

/** Synchronous core: decode a whole file held in memory. Never throws for any input. */
export function parseCaptureBuffer(bytes: Uint8Array): {
  info: CaptureInfo;
  frames: Frame[];
  error: CaptureFileError | null;
} {
  const buf = plainBytes(bytes);
  const dv = dataView(buf);
  const frames: Frame[] = [];
  const dec = decoderFor(buf, buf.length);
  if (dec instanceof CaptureFileError) return { info: newInfo('pcap', 'le'), frames, error: dec };
  let error: CaptureFileError | null = null;
  try {
    const pos = dec.feed(buf, dv, 0, buf.length, 0, frames);
    error = pos > buf.length ? dec.finish(buf, dv, buf.length, buf.length, 0) : dec.finish(buf, dv, pos, buf.length, 0);
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    error = e;
  }
  return { info: dec.info, frames, error };
}

/** Where the bytes come from. read() returns 0 at the end of input. */
interface ByteSource {
  /** read() and skip() return plain numbers, never promises (a regular file: fs.readSync). */
  readonly sync: boolean;
  /** Bytes in all (a regular file), or null. */
  readonly size: number | null;
  read(into: Uint8Array, offset: number, length: number): number | Promise<number>;
  /** Discard n bytes; returns how many were really there. */
  skip(n: number): number | Promise<number>;
  close(): Promise<void>;
}

/**
 * A regular file, read synchronously: the data is in the page cache or a disk read away, and an
 * fs.readSync costs a fraction of the thread-pool round trip of an async read (the wait showed as
 * idle time between batches). The pipeline still awaits the output's drain between batches.
 */
class SyncFileSource implements ByteSource {
  readonly sync = true;
  private position = 0;
  private closed = false;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  read(into: Uint8Array, offset: number, length: number): number {
    if (this.closed || length <= 0) return 0;
    const n = readSync(this.fd, into, offset, length, this.position);
    this.position += n;
    return n;
  }

  skip(n: number): number {
    const real = Math.max(0, Math.min(n, this.size - this.position));
    this.position += n;
    return real;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeFd(this.fd);
  }
}

/**
 * Files are opened, read and closed with node:fs's callback functions, promisified: node:fs/promises
 * (FileHandle) would load readline and the stream helpers at start-up, ~2.5 ms of every command.
 */
const openFd = promisify(open), fstatFd = promisify(fstat), readFd = promisify(read), closeFd = promisify(close);

/** Anything else opened by path (a FIFO, a character device): async reads that may wait for data. */
class FileSource implements ByteSource {
  readonly sync = false;
  readonly size = null;
  private closed = false;
  private scratch: Uint8Array | null = null;
  constructor(private readonly fd: number) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.closed) return 0;
    return (await readFd(this.fd, into, offset, length, null)).bytesRead;
  }

  async skip(n: number): Promise<number> {
    this.scratch ??= new Uint8Array(64 * 1024);
    let done = 0;
    while (done < n) {
      const got = await this.read(this.scratch, 0, Math.min(this.scratch.length, n - done));
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeFd(this.fd);
  }
}

/** Any async iterable of byte chunks (process.stdin, a pipe, a test's generator). */
class StreamSource implements ByteSource {
  readonly sync = false;
  readonly size = null;
  private chunk: Uint8Array | null = null;
  private at = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array | string>;
  constructor(stream: AsyncIterable<Uint8Array | string>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  private async next(): Promise<boolean> {
    while (!this.done && (this.chunk === null || this.at >= this.chunk.length)) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        this.chunk = null;
        break;
      }
      const v = r.value;
      this.chunk = typeof v === 'string' ? new TextEncoder().encode(v) : v;
      this.at = 0;
    }
    return !this.done;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (length <= 0 || !(await this.next())) return 0;
    const c = this.chunk!;
    const n = Math.min(length, c.length - this.at);
    into.set(c.subarray(this.at, this.at + n), offset);
    this.at += n;
    return n;
  }

  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n && (await this.next())) {
      const k = Math.min(n - done, this.chunk!.length - this.at);
      this.at += k;
      done += k;
    }
    return done;
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.chunk = null;
    await this.it.return?.();
  }
}

/** Bytes read synchronously between two turns of the event loop. */
const YIELD_BYTES = 4 << 20;

/** step()'s `out` for a scan (never written). */
const NO_FRAMES: Frame[] = [];

/** A fresh buffer: uninitialised memory (only bytes read into it are ever looked at). */
const freshBuffer = uninitBytes;

/**
 * The read loop: one batch of frames per read. Bytes are only ever appended to the read buffer,
 * never written over, so frames are views of it (see FrameBytes): when the buffer has no room left
 * for the next read, the undecoded tail (a record cut by the read) moves to a fresh buffer, and the
 * old one lives on only as long as its frames do.
 */
class Reader implements CaptureReader {
  /** buf[0, pos) is decoded, buf[pos, fill) read but not decoded, buf[fill, length) free. */
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;
  private fill = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private eof = false;
  private closed = false;
  private pending: Frame[] = [];
  private pendingError: CaptureFileError | null = null;
  private started = false;
  private readonly readSize: number;
  /** Size of a fresh buffer: one read for a file; for a stream, room for several of its chunks. */
  private readonly bufSize: number;
  /** A read into less room than this is not worth it: a fresh buffer is started instead. */
  private readonly minRead: number;
  /** File offset (base) when the iterator last let the event loop run. */
  private yieldedAt = 0;
  /** With `reuse`: the whole buffer `buf` is a view of, and the one before it (free once its batch is done). */
  private root: Uint8Array | null = null;
  private spare: Uint8Array | null = null;

  constructor(
    private readonly src: ByteSource,
    readSize: number,
    private readonly reuse = false,
  ) {
    this.readSize = Math.max(1, readSize);
    // a pipe hands over chunks of up to 64 KiB, one per read: a buffer holds several of them, and
    // one is only started when the next chunk may not fit (a chunk split in two is two batches)
    this.bufSize = src.sync ? this.readSize : 5 * this.readSize;
    this.minRead = src.sync ? this.readSize / 8 : this.readSize;
    this.buf = freshBuffer(this.bufSize);
    this.dv = dataView(this.buf);
    if (reuse) this.root = this.buf;
  }

  private dec!: Decoder;
  get fileSize(): number | null {
    return this.src.size;
  }

  get info(): CaptureInfo {
    return this.dec.info;
  }

  /** Read until the magic is known and the header parsed (or the input ends / is bad). */
  async start(): Promise<void> {
    while (this.fill < 4 && !this.eof) await this.readMore();
    const dec = decoderFor(this.buf, this.fill);
    if (dec instanceof CaptureFileError) throw dec;
    this.dec = dec;
    dec.bytes.share = true;
    while (!dec.headerDone && !this.pendingError) {
      this.step(this.pending);
      if (dec.headerDone || this.pendingError || this.eof) break;
      await this.readMore();
    }
    if (this.pendingError?.kind === 'not-capture') throw this.pendingError;
  }

  /**
   * Decode what is buffered into `out` (or, with `visit`, through Decoder.scan); at end of input,
   * record the final error if any.
   */
  private step(out: Frame[], visit: RecordVisitor | null = null): void {
    if (this.pendingError) return;
    try {
      this.pos = visit === null
        ? this.dec.feed(this.buf, this.dv, this.pos, this.fill, this.base, out)
        : this.dec.scan!(this.buf, this.dv, this.pos, this.fill, this.base, visit);
      if (this.eof) {
        // A skip request (pos > fill) at the end of input ends inside the skipped block: finish() says so.
        const at = Math.min(this.pos, this.fill);
        this.pendingError = this.dec.finish(this.buf, this.dv, at, this.fill, this.base);
        this.pos = this.fill;
      }
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      this.pendingError = e;
    }
  }

  /** Read (or skip) once: a promise only for an async source. */
  private readMore(): Promise<void> | undefined {
    if (this.pos > this.fill) {
      // The decoder passes over a block without reading it.
      const n = this.pos - this.fill;
      const got = this.src.skip(n);
      if (typeof got === 'number') this.skipped(n, got);
      else return got.then((g) => this.skipped(n, g));
      return undefined;
    }
    this.makeRoom();
    const want = this.closed ? 0 : this.buf.length - this.fill;
    const got = want > 0 ? this.src.read(this.buf, this.fill, want) : 0;
    if (typeof got === 'number') this.got(got);
    else return got.then((g) => this.got(g));
    return undefined;
  }

  private got(n: number): void {
    if (n === 0) this.eof = true;
    this.fill += n;
  }

  private skipped(n: number, got: number): void {
    // the rest of the buffer, after what was read, starts right after the skipped bytes
    this.base += this.fill + got;
    this.rebase(this.fill);
    this.pos = this.fill = 0;
    if (got < n) this.eof = true;
  }

  /** Make buf[0] the byte at `at` (a view: frames over the bytes before it stay valid). */
  private rebase(at: number): void {
    if (at === 0) return;
    this.buf = this.buf.subarray(at);
    this.dv = dataView(this.buf);
  }

  /** Drop the decoded bytes from the view; move the undecoded tail to a fresh buffer when room is short. */
  private makeRoom(): void {
    if (this.pos > 0) {
      this.base += this.pos;
      this.rebase(this.pos);
      this.fill -= this.pos;
      this.pos = 0;
    }
    const need = this.dec?.need ?? 0;
    const free = this.buf.length - this.fill;
    if (this.buf.length >= need && free > 0 && free >= this.minRead) return;
    const size = Math.max(this.bufSize, need, this.fill + 1);
    let nb: Uint8Array;
    if (this.reuse && this.spare !== null && this.spare.length >= size) {
      // the spare's frames are two buffers old: the consumer let go of them (OpenOptions.reuse)
      nb = this.spare;
    } else nb = freshBuffer(size);
    nb.set(this.buf.subarray(0, this.fill));
    if (this.reuse) {
      this.spare = this.root;
      this.root = nb;
    }
    this.buf = nb;
    this.dv = dataView(nb);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.src.close();
  }

  /**
   * Read the whole input once, handing pcap and pcapng records to `visit` straight from the read
   * buffer (Decoder.scan: no Frame per record) and anything else as batches of frames to `frames`
   * (a decoder without scan, and the frames decoded while the header was read). Instead of iterating; the
   * same errors (thrown after everything before them was handed out). With `reuse` only.
   */
  async scan(visit: RecordVisitor, frames: (batch: Frame[]) => void): Promise<void> {
    if (this.started) throw new Error('a CaptureReader can be iterated once');
    if (!this.reuse) throw new Error('scan() needs a reader opened with reuse');
    if (this.dec.scan === undefined) {
      for await (const batch of this) frames(batch);
      return;
    }
    this.started = true;
    try {
      if (this.pending.length) {
        frames(this.pending);
        this.pending = [];
      }
      while (await this.more()) this.step(NO_FRAMES, visit);
    } finally {
      await this.close();
    }
  }

  /**
   * The read step of both loops: throws the error decoding ran into (after what came before it was
   * handed out), false at the end of input or once closed, else reads (or skips) once more.
   */
  private async more(): Promise<boolean> {
    if (this.pendingError) throw this.pendingError;
    if (this.closed || (this.eof && this.pos >= this.fill)) return false;
    const p = this.readMore();
    if (p !== undefined) await p;
    else if (this.base - this.yieldedAt >= YIELD_BYTES) {
      // synchronous reads never wait: let the event loop run now and then (timers, stream events)
      this.yieldedAt = this.base;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return !this.closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Frame[]> {
    if (this.started) throw new Error('a CaptureReader can be iterated once');
    this.started = true;
    try {
      if (this.closed) return;
      if (this.pending.length) {
        const first = this.pending;
        this.pending = [];
        yield first;
      }
      while (await this.more()) {
        const out: Frame[] = [];
        this.step(out);
        if (out.length) yield out;
      }
    } finally {
      await this.close();
    }
  }
}

/** Open a capture from a byte stream (stdin, a pipe). Same contract as openCapture. */
export async function openCaptureStream(
  stream: AsyncIterable<Uint8Array | string>,
  options: OpenOptions = {},
): Promise<CaptureReader> {
  const r = new Reader(new StreamSource(stream), options.readSize ?? DEFAULT_READ_SIZE, options.reuse === true);
  try {
    await r.start();
  } catch (e) {
    await r.close();
    throw e;
  }
  return r;
}

/** Open a capture file by path; '-' reads stdin. See the file comment for the error contract. */
export async function openCapture(path: string, options: OpenOptions = {}): Promise<CaptureReader> {
  if (path === '-') return openCaptureStream(process.stdin, options);
  const fd = await openFd(path, 'r');
  let src: ByteSource;
  try {
    const st = await fstatFd(fd);
    src = st.isFile() ? new SyncFileSource(fd, st.size) : new FileSource(fd);
  } catch (e) {
    await closeFd(fd);
    throw e;
  }
  const r = new Reader(src, options.readSize ?? DEFAULT_READ_SIZE, options.reuse === true);
  try {
    await r.start();
  } catch (e) {
    await r.close();
    throw e;
  }
  return r;
}
