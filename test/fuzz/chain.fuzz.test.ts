// Whole-chain fuzz: random bytes and mutated real frames (bit flips, truncation, byte insert/delete,
// length-field pokes) through every link type the registry knows, via Dissection; every layer's
// fields() (including children and inner layers), title(), info(), addresses() and column() is
// materialised. No exception may escape, and no dissector may fail inside the driver's safety nets
// (which would turn a throw into a "dissector failed"/"dissector error" problem). Then random and
// mutated capture FILES through parseCaptureBuffer: it must not throw, and any error it reports must
// be a CaptureFileError; the frames it returns go through the chain too.
// Seeded (mulberry32, fixed seeds) and bounded: a failure prints the seed, the iteration and the hex.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import { CaptureFileError, type Frame } from '../../src/capture/types.js';
import { Dissection } from '../../src/dissect/chain.js';
import type { Layer } from '../../src/dissect/layer.js';
import type { Field } from '../../src/dissect/types.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { mulberry32 } from '../helpers/random.js';

const LINK_TYPES = [1, 0, 108, 101, 12, 14, 113, 276, 228, 229];
const CORPUS = CORPUS_DIR;

const hex = (b: Uint8Array, max = 512) =>
  Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? `… (${b.length} bytes)` : '');

/** Mutate a copy of `src` with 1–4 random operations. */
function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = Uint8Array.from(src);
  const ops = 1 + Math.floor(rnd() * 4);
  for (let o = 0; o < ops; o++) {
    const r = rnd();
    const at = b.length ? Math.floor(rnd() * b.length) : 0;
    if (r < 0.3 && b.length) {
      // bit flips
      const n = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
    } else if (r < 0.45) {
      b = b.subarray(0, Math.floor(rnd() * (b.length + 1))); // truncate
    } else if (r < 0.55) {
      const n = 1 + Math.floor(rnd() * 4); // insert bytes
      const ins = new Uint8Array(n).map(() => Math.floor(rnd() * 256));
      const c = new Uint8Array(b.length + n);
      c.set(b.subarray(0, at), 0);
      c.set(ins, at);
      c.set(b.subarray(at), at + n);
      b = c;
    } else if (r < 0.65 && b.length) {
      const n = Math.min(b.length - at, 1 + Math.floor(rnd() * 4)); // delete bytes
      const c = new Uint8Array(b.length - n);
      c.set(b.subarray(0, at), 0);
      c.set(b.subarray(at + n), at);
      b = c;
    } else if (b.length >= 2) {
      // length-field poke: a 16-bit (or 8-bit) value that is 0, 1, huge, or near the real size,
      // mostly in the first 80 bytes where the headers are
      const pos = Math.floor(rnd() * Math.min(b.length - 1, 80));
      const choices = [0, 1, 0xffff, 0x7fff, b.length, b.length - pos, b.length + 1, Math.floor(rnd() * 0x10000), 4, 5, 15, 40];
      const v = choices[Math.floor(rnd() * choices.length)] & 0xffff;
      if (rnd() < 0.5) {
        b[pos] = v >> 8;
        b[pos + 1] = v & 0xff;
      } else b[pos] = v & 0xff;
    }
  }
  return b;
}

function frameOf(index: number, linkType: number, data: Uint8Array, rnd: () => number): Frame {
  // sometimes claim a longer original length, so the snaplen-cut paths ('truncated') run too
  const origLen = rnd() < 0.3 ? data.length + 1 + Math.floor(rnd() * 1500) : data.length;
  return { index, ts: 1_700_000_000_000_000_000n + BigInt(index) * 1000n, tsPrecision: 6, linkType, ifIndex: 0, data, origLen };
}

/** Materialise everything an output could ask for; throws what a dissector throws. */
function materialise(layers: readonly Layer[], all: readonly Layer[], depth = 0): number {
  let n = 0;
  const visit = (fs: readonly Field[]) => {
    for (const f of fs) {
      if (typeof f.show !== 'string' || typeof f.key !== 'string') throw new Error(`field ${f.key} without a string show`);
      if (!Number.isFinite(f.start) || !Number.isFinite(f.len)) throw new Error(`field ${f.key} with a bad range`);
      n++;
      if (f.children) visit(f.children);
    }
  };
  for (const l of layers) {
    visit(l.dis.fields(l)); // directly: Layer.fields() would catch a throw
    if (l.extra) visit(l.extra);
    l.dis.title?.(l);
    l.dis.info?.(l, all);
    l.dis.addresses?.(l);
    l.dis.column?.(l);
    for (const p of l.problems ?? []) {
      if (/dissector (failed|error)/.test(p.message)) throw new Error(`${l.proto}: ${p.message}`);
    }
    if (l.inner && depth < 8) n += materialise(l.inner, l.inner, depth + 1);
  }
  return n;
}

function runFrame(d: Dissection, fr: Frame, seed: number, iter: number, what: string): void {
  try {
    const pkt = d.dissect(fr);
    materialise(pkt.layers, pkt.layers);
  } catch (e) {
    const msg = `fuzz failure: seed ${seed}, iteration ${iter}, ${what}, link type ${fr.linkType}, origLen ${fr.origLen}\n` +
      `  ${(e as Error).stack ?? e}\n  hex: ${hex(fr.data)}`;
    console.error(msg);
    throw new Error(msg);
  }
}

/** Real frames from the corpus, a bounded sample per link type. */
function corpusFrames(): { linkType: number; data: Uint8Array }[] {
  if (!existsSync(CORPUS)) return [];
  const out: { linkType: number; data: Uint8Array }[] = [];
  const perFile = 12;
  for (const f of readdirSync(CORPUS).sort()) {
    if (!/\.(pcap|pcapng)$/.test(f)) continue;
    const { frames } = parseCaptureBuffer(new Uint8Array(readFileSync(join(CORPUS, f))));
    const step = Math.max(1, Math.floor(frames.length / perFile));
    for (let i = 0; i < frames.length && i / step < perFile; i += step) {
      if (frames[i].data.length <= 4096) out.push({ linkType: frames[i].linkType, data: frames[i].data });
    }
  }
  return out;
}

const SEEDS = [0x5eed1, 0xc0ffee, 20240601];
const RANDOM_PER_SEED = 3000;
const MUTATED_PER_SEED = 6000;
const FILES_PER_SEED = 300;

describe('whole-chain fuzz (seeded, bounded)', () => {
  const sample = corpusFrames();

  it('has a corpus sample covering several link types (or runs on random bytes only without a corpus)', () => {
    if (existsSync(CORPUS)) expect(new Set(sample.map((s) => s.linkType)).size).toBeGreaterThanOrEqual(6);
  });

  for (const seed of SEEDS) {
    it(`random frames on every link type, seed ${seed}`, () => {
      const rnd = mulberry32(seed);
      const d = new Dissection(defaultRegistry());
      for (let i = 0; i < RANDOM_PER_SEED; i++) {
        const lt = LINK_TYPES[i % LINK_TYPES.length];
        const len = Math.floor(rnd() * (rnd() < 0.8 ? 128 : 1600));
        const data = new Uint8Array(len).map(() => Math.floor(rnd() * 256));
        // make the network layer plausible half of the time so the chain goes deeper
        if (data.length > 20 && rnd() < 0.5) {
          const ip = lt === 1 ? 14 : lt === 113 ? 16 : lt === 276 ? 20 : lt === 0 || lt === 108 ? 4 : 0;
          if (ip < data.length) data[ip] = rnd() < 0.6 ? 0x45 : 0x60;
          if (lt === 1) (data[12] = rnd() < 0.6 ? 0x08 : 0x86), (data[13] = data[12] === 0x08 ? 0x00 : 0xdd);
        }
        runFrame(d, frameOf(i + 1, lt, data, rnd), seed, i, 'random frame');
      }
    });

    it(`random payloads on the ports and protocol numbers of DHCP, SSDP, DNS and IGMP, seed ${seed}`, () => {
      const rnd = mulberry32(seed ^ 0x5bd1e995);
      const d = new Dissection(defaultRegistry());
      for (let i = 0; i < RANDOM_PER_SEED; i++) {
        const which = i % 4;
        const n = Math.floor(rnd() * (which === 0 ? 420 : 96));
        const p = new Uint8Array(n).map(() => Math.floor(rnd() * 256));
        // a DHCP payload long enough for options gets the magic cookie most of the time
        if (which === 0 && n > 240 && rnd() < 0.8) p.set([0x63, 0x82, 0x53, 0x63], 236);
        const port = [67, 1900, 53, 0][which];
        const l4 = which === 3 ? p : new Uint8Array(8 + n);
        if (which !== 3) {
          l4[0] = l4[2] = port >> 8;
          l4[1] = l4[3] = port & 255;
          l4[4] = (8 + n) >> 8;
          l4[5] = (8 + n) & 255;
          l4.set(p, 8);
        }
        const data = new Uint8Array(34 + l4.length);
        data[12] = 0x08;
        data[14] = 0x45;
        data[16] = (20 + l4.length) >> 8;
        data[17] = (20 + l4.length) & 255;
        data[22] = 64;
        data[23] = which === 3 ? 2 : 17;
        data.set(l4, 34);
        runFrame(d, frameOf(i + 1, 1, data, rnd), seed, i, 'application payload');
      }
    });

    it.skipIf(sample.length === 0)(`mutated corpus frames, seed ${seed}`, () => {
      const rnd = mulberry32(seed ^ 0x9e3779b9);
      const d = new Dissection(defaultRegistry());
      for (let i = 0; i < MUTATED_PER_SEED; i++) {
        const s = sample[Math.floor(rnd() * sample.length)];
        // mostly its own link type; sometimes the wrong one on purpose
        const lt = rnd() < 0.85 ? s.linkType : LINK_TYPES[Math.floor(rnd() * LINK_TYPES.length)];
        runFrame(d, frameOf(i + 1, lt, mutate(s.data, rnd), rnd), seed, i, 'mutated corpus frame');
      }
    });

    it(`random and mutated capture files through parseCaptureBuffer and the chain, seed ${seed}`, () => {
      const rnd = mulberry32(seed + 17);
      const small = existsSync(CORPUS)
        ? readdirSync(CORPUS).sort().filter((f) => /\.(pcap|pcapng)$/.test(f)).map((f) => new Uint8Array(readFileSync(join(CORPUS, f)))).filter((b) => b.length <= 16384)
        : [];
      const magics = [
        [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d],
        [0x34, 0xcd, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a],
      ];
      for (let i = 0; i < FILES_PER_SEED; i++) {
        let bytes: Uint8Array;
        if (small.length && rnd() < 0.7) bytes = mutate(small[Math.floor(rnd() * small.length)], rnd);
        else {
          bytes = new Uint8Array(Math.floor(rnd() * 600)).map(() => Math.floor(rnd() * 256));
          if (bytes.length >= 4 && rnd() < 0.8) bytes.set(magics[Math.floor(rnd() * magics.length)], 0);
        }
        let r: ReturnType<typeof parseCaptureBuffer>;
        try {
          r = parseCaptureBuffer(bytes);
        } catch (e) {
          const msg = `fuzz failure: seed ${seed}, file iteration ${i}: parseCaptureBuffer threw ${(e as Error).stack ?? e}\n  hex: ${hex(bytes, 2048)}`;
          console.error(msg);
          throw new Error(msg);
        }
        if (r.error !== null && !(r.error instanceof CaptureFileError)) {
          throw new Error(`fuzz failure: seed ${seed}, file iteration ${i}: error is not a CaptureFileError: ${r.error}\n  hex: ${hex(bytes, 2048)}`);
        }
        const d = new Dissection(defaultRegistry());
        for (const fr of r.frames.slice(0, 200)) runFrame(d, fr, seed, i, 'frame of a mutated file');
      }
    });
  }
});
