// Buffered output with backpressure and quiet EPIPE handling.
//
// Outputs build text with `write(s)`; it is encoded (UTF-8) into a reusable arena until ~64 KiB
// have accumulated, then handed to the stream in one call (a Buffer view; never a split character). The pipeline awaits `drain()` between batches of packets, so a
// slow reader (a pager, a pipe) holds the producer back instead of growing memory. When the reader
// goes away (`wiretrace read big.pcap | head`), the stream reports EPIPE: the writer marks itself
// `broken`, drops further text, and the pipeline stops reading; the command exits 0.

import { WriteStream } from 'node:fs';
import type * as Net from 'node:net';
import { builtin } from '../lazy-builtin.js';
import type { Writable } from 'node:stream';

export const CHUNK = 64 * 1024;

const EMPTY = new Uint8Array(0);

/** Bytes of the arena that formatted text is encoded into (handed to the stream as views). */
const ARENA = 1 << 20;

/** Text handed to a file stream (process.stdout on a file or /dev/null) at a time: fewer write calls. */
const FILE_CHUNK = 256 * 1024;

type Utf8Buf = Buffer & { utf8Write(s: string, at: number): number };

/**
 * Node's own streams (a file, a pipe, a socket, a terminal) keep a chunk only until its write is
 * done, and count it in writableLength until then: when that is 0 they hold none of the arena, so
 * it can be written again from its start. Other Writables may keep the views they are given.
 */
function releasesChunks(out: Writable): boolean {
  // node:net last: a file never needs it, and a socket means it is loaded already (lazy-builtin.ts)
  return out instanceof WriteStream || isSyncFileStream(out) || out instanceof builtin<typeof Net>('node:net').Socket;
}

/** process.stdout on a file (Node's internal SyncWriteStream: fs.writeSync, then done). */
function isSyncFileStream(out: Writable): boolean {
  return out.constructor?.name === 'SyncWriteStream' && typeof (out as { fd?: unknown }).fd === 'number';
}

/** A write error that only says the reader of the output went away (| head): not reported. */
function readerGone(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

export class OutputWriter {
  // Text is encoded as it comes into an arena Buffer (per string: small, cache-friendly), and
  // views of it go to the stream: no big rope string to flatten and re-encode per chunk. A view
  // handed to the stream is never written again (the next text goes after it, or into a new arena).
  private arena: Utf8Buf | null = null;
  /** Start of the bytes not yet handed out, and the end of the bytes written. */
  private from = 0;
  private pos = 0;
  private needDrain = false;
  /** The stream lets go of written chunks (see releasesChunks): the arena is reused once it has. */
  private readonly reuse: boolean;
  /** Buffered bytes that make a flush. */
  private readonly flushAt: number;
  private drainWait: Promise<void> | null = null;
  /** True once the stream failed (EPIPE or another write error): output is dropped from then on. */
  broken = false;
  /** The error that broke the stream when it was not EPIPE (reported by the CLI). */
  error: Error | null = null;

  constructor(
    readonly out: Writable,
    readonly chunk = CHUNK,
  ) {
    this.reuse = releasesChunks(out);
    this.flushAt = chunk === CHUNK && isSyncFileStream(out) ? FILE_CHUNK : chunk;
    out.on('error', (e: NodeJS.ErrnoException) => {
      this.broken = true;
      this.from = this.pos;
      if (!readerGone(e)) this.error = e;
    });
  }

  write(s: string): void {
    if (this.broken) return;
    const max = s.length * 3; // UTF-8 bytes at most
    let a = this.arena;
    if (a === null || this.pos + max > a.length) {
      this.flush();
      if (max > ARENA >> 2) {
        // a huge string: hand it over as it is
        this.send(s);
        return;
      }
      if (a === null || this.pos + max > a.length) a = this.fresh();
    }
    this.pos += a.utf8Write(s, this.pos);
    if (this.pos - this.from >= this.flushAt) this.flush();
  }

  /** Bytes (UTF-8 text) to write; copied, so the caller may reuse `b`. */
  writeBytes(b: Uint8Array): void {
    if (this.broken) return;
    let a = this.arena;
    if (a === null || this.pos + b.length > a.length) {
      this.flush();
      if (b.length > ARENA >> 2) {
        this.send(Buffer.from(b));
        return;
      }
      if (a === null || this.pos + b.length > a.length) a = this.fresh();
    }
    a.set(b, this.pos);
    this.pos += b.length;
    if (this.pos - this.from >= this.flushAt) this.flush();
  }

  /** A new arena (the stream may still hold views of the old one). */
  private fresh(): Utf8Buf {
    const a = (this.arena = Buffer.allocUnsafeSlow(ARENA) as Utf8Buf);
    this.from = this.pos = 0;
    return a;
  }

  /** Hand what is buffered to the stream (without waiting). */
  flush(): void {
    if (this.broken || this.arena === null) return;
    if (this.pos !== this.from) {
      const v = this.arena.subarray(this.from, this.pos);
      this.from = this.pos;
      this.send(v);
    }
    // the stream is done with every view of the arena: write it again from the start (warm memory)
    if (this.reuse && this.out.writableLength === 0) this.from = this.pos = 0;
  }

  private send(v: string | Uint8Array): void {
    try {
      if (!this.out.write(v)) this.needDrain = true;
    } catch (e) {
      this.broken = true;
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'EPIPE') this.error = err;
    }
  }

  /**
   * null when the stream can take more now; otherwise a promise that resolves when it can (or when
   * it breaks). Await it between batches.
   */
  drain(): Promise<void> | null {
    if (!this.needDrain || this.broken) return null;
    if (this.drainWait === null) {
      this.drainWait = new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('error', done);
          this.out.off('close', done);
          this.needDrain = false;
          this.drainWait = null;
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('error', done);
        this.out.on('close', done);
      });
    }
    return this.drainWait;
  }

  /** Flush everything and wait until the stream has taken it. Does not end the stream (stdout stays open). */
  async end(): Promise<void> {
    this.flush();
    const d = this.drain();
    if (d) await d;
    // A write error (ENOSPC on a full disk) is an 'error' event that comes a tick after the write:
    // an empty write's callback runs after it, so `broken` and `error` are known on return.
    if (!this.broken) await new Promise<void>((resolve) => this.out.write(EMPTY, () => resolve()));
  }
}

/**
 * Write a command's whole result (a summary table, a JSON document) and wait until the stream has
 * taken it. A reader that went away (EPIPE: `wiretrace conversations f | head`) is not an error, as
 * for the packet outputs; any other write error is returned for the CLI to report in one line.
 */
export function writeWhole(out: Writable, data: string | Uint8Array): Promise<Error | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (e: Error | null | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(e && !readerGone(e) ? e : null);
    };
    // the 'error' event comes after the callback's error: listened to (and left listening), it
    // is not "unhandled"
    out.on('error', done);
    try {
      out.write(data, done);
    } catch (e) {
      done(e as Error);
    }
  });
}
