// Opening a capture file or stdin: the format comes from the magic only (never the file name), the
// bytes are read into one reusable buffer (1 MiB by default) and handed to the format's decoder, which
// yields one batch of frames per read. Memory stays constant: only the bytes of a record that spans
// two reads are carried over, and every frame gets its own copy of its bytes.
//
// Errors: openCapture() throws CaptureFileError('not-capture') when there is no pcap/pcapng magic,
// and lets OS errors (ENOENT, EACCES, EISDIR …) through as they are. Every other CaptureFileError
// ('damaged', 'unsupported'), even one in the file header, comes out of the iterator after every
// frame read before it.

import { open as fsOpen, type FileHandle } from 'node:fs/promises';
import { CaptureFileError, type CaptureInfo, type Frame } from './types.js';
import { type Decoder, dataView, newInfo, plainBytes } from './read-common.js';
import { PcapDecoder, pcapVariant } from './pcap.js';
import { PCAPNG_MAGIC, PcapngDecoder } from './pcapng.js';

export interface CaptureReader extends AsyncIterable<Frame[]> {
  /** Filled from the header; interfaces/names/sections grow as blocks are read. */
  readonly info: CaptureInfo;
  /** Stop early (e.g. -c N): releases the file / stops reading stdin. Safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Bytes per read (default 1 MiB). Small values are for tests of records spanning reads. */
  readSize?: number;
}

export const DEFAULT_READ_SIZE = 1 << 20;

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
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  /** Discard n bytes; returns how many were really there. */
  skip(n: number): Promise<number>;
  close(): Promise<void>;
}

class FileSource implements ByteSource {
  private position = 0;
  private closed = false;
  private scratch: Uint8Array | null = null;
  constructor(
    private readonly fh: FileHandle,
    private readonly seekable: boolean,
    private readonly size: number,
  ) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.closed) return 0;
    const { bytesRead } = await this.fh.read(into, offset, length, this.seekable ? this.position : null);
    this.position += bytesRead;
    return bytesRead;
  }

  async skip(n: number): Promise<number> {
    if (this.seekable) {
      const real = Math.max(0, Math.min(n, this.size - this.position));
      this.position += n;
      return real;
    }
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
    await this.fh.close();
  }
}

/** Any async iterable of byte chunks (process.stdin, a pipe, a test's generator). */
class StreamSource implements ByteSource {
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

/** The read loop: a reusable buffer, a decoder, one batch of frames per read. */
class Reader implements CaptureReader {
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

  constructor(
    private readonly src: ByteSource,
    readSize: number,
  ) {
    this.buf = new Uint8Array(readSize);
    this.dv = dataView(this.buf);
  }

  private dec!: Decoder;
  get info(): CaptureInfo {
    return this.dec.info;
  }

  /** Read until the magic is known and the header parsed (or the input ends / is bad). */
  async start(): Promise<void> {
    while (this.fill < 4 && !this.eof) await this.readMore();
    const dec = decoderFor(this.buf, this.fill);
    if (dec instanceof CaptureFileError) throw dec;
    this.dec = dec;
    while (!dec.headerDone && !this.pendingError) {
      this.step(this.pending);
      if (dec.headerDone || this.pendingError || this.eof) break;
      await this.readMore();
    }
    if (this.pendingError?.kind === 'not-capture') throw this.pendingError;
  }

  /** Decode what is buffered into `out`; at end of input, record the final error if any. */
  private step(out: Frame[]): void {
    if (this.pendingError) return;
    try {
      this.pos = this.dec.feed(this.buf, this.dv, this.pos, this.fill, this.base, out);
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

  /** Compact, grow if the decoder needs a bigger unit, then read (or skip) once. */
  private async readMore(): Promise<void> {
    if (this.pos > this.fill) {
      // The decoder passes over a block without reading it.
      const n = this.pos - this.fill;
      const got = await this.src.skip(n);
      this.base += this.fill + got;
      this.pos = this.fill = 0;
      if (got < n) this.eof = true;
      return;
    }
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.fill);
      this.base += this.pos;
      this.fill -= this.pos;
      this.pos = 0;
    }
    if (this.fill >= this.buf.length) {
      // Full and no unit decodable in it: the next unit is bigger than the buffer.
      const size = Math.max(this.dec?.need ?? 0, this.buf.length * 2);
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(0, this.fill));
      this.buf = bigger;
      this.dv = dataView(bigger);
    }
    const n = this.closed ? 0 : await this.src.read(this.buf, this.fill, this.buf.length - this.fill);
    if (n === 0) this.eof = true;
    this.fill += n;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.src.close();
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
      for (;;) {
        if (this.pendingError) throw this.pendingError;
        if (this.closed || (this.eof && this.pos >= this.fill)) return;
        await this.readMore();
        if (this.closed) return;
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
  const r = new Reader(new StreamSource(stream), options.readSize ?? DEFAULT_READ_SIZE);
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
  const fh = await fsOpen(path, 'r');
  let src: FileSource;
  try {
    const st = await fh.stat();
    src = new FileSource(fh, st.isFile(), st.size);
  } catch (e) {
    await fh.close();
    throw e;
  }
  const r = new Reader(src, options.readSize ?? DEFAULT_READ_SIZE);
  try {
    await r.start();
  } catch (e) {
    await r.close();
    throw e;
  }
  return r;
}
