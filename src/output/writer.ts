// Buffered output with backpressure and quiet EPIPE handling.
//
// Outputs build text with `write(s)`; it is kept in a string until ~64 KiB have accumulated, then
// handed to the stream in one call. The pipeline awaits `drain()` between batches of packets, so a
// slow reader (a pager, a pipe) holds the producer back instead of growing memory. When the reader
// goes away (`wiretrace read big.pcap | head`), the stream reports EPIPE: the writer marks itself
// `broken`, drops further text, and the pipeline stops reading; the command exits 0.

import type { Writable } from 'node:stream';

export const CHUNK = 64 * 1024;

export class OutputWriter {
  private buf = '';
  private needDrain = false;
  private drainWait: Promise<void> | null = null;
  /** True once the stream failed (EPIPE or another write error): output is dropped from then on. */
  broken = false;
  /** The error that broke the stream when it was not EPIPE (reported by the CLI). */
  error: Error | null = null;

  constructor(
    readonly out: Writable,
    readonly chunk = CHUNK,
  ) {
    out.on('error', (e: NodeJS.ErrnoException) => {
      this.broken = true;
      this.buf = '';
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') this.error = e;
    });
  }

  write(s: string): void {
    if (this.broken) return;
    this.buf += s;
    if (this.buf.length >= this.chunk) this.flush();
  }

  /** Hand what is buffered to the stream (without waiting). */
  flush(): void {
    if (this.buf.length === 0 || this.broken) return;
    const s = this.buf;
    this.buf = '';
    try {
      if (!this.out.write(s)) this.needDrain = true;
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
  }
}
