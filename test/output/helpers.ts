// Shared helpers for the output tests: synthetic frames and corpus packets.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/types.js';
import { Dissection, type Packet } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { TcpTracker } from '../../src/analysis/tcp/tracker.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

export const CORPUS = CORPUS_DIR;

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

export function frame(data: Uint8Array, over: Partial<Frame> = {}): Frame {
  return { index: 1, ts: 1_258_532_386_123_456_000n, tsPrecision: 6, linkType: 1, ifIndex: 0, data, origLen: data.length, ...over };
}

/** An Ethernet II frame (type 0x88b5, local experimental) with `n` payload bytes. */
export function ethFrame(n = 4, over: Partial<Frame> = {}): Frame {
  const b = new Uint8Array(14 + n);
  b.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x16, 0xce, 0x6e, 0x8b, 0x24, 0x88, 0xb5]);
  for (let i = 0; i < n; i++) b[14 + i] = 0x41 + (i % 26);
  return frame(b, over);
}

export function dissectAll(frames: Frame[], tcp = true): Packet[] {
  const d = new Dissection(defaultRegistry());
  const t = tcp ? new TcpTracker() : null;
  return frames.map((f) => {
    const p = d.dissect(f);
    t?.packet(p);
    return p;
  });
}

export function corpusPackets(file: string): Packet[] {
  const { frames } = parseCaptureBuffer(readFileSync(`${CORPUS}/${file}`));
  return dissectAll(frames);
}

/** A Writable that keeps what is written. */
export class Sink extends Writable {
  chunks: string[] = [];
  writes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    this.writes++;
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}
