// Damaged input: every frame before the damage is kept, then one CaptureFileError with the offset of
// the record/block at fault; random and mutated bytes never raise anything but CaptureFileError.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureStream, parseCaptureBuffer } from '../../src/capture/open.js';
import { CaptureFileError, type Frame } from '../../src/capture/types.js';
import { Readable } from 'node:stream';
import { CORPUS, manifest } from './manifest.js';
import { mulberry32 } from '../helpers/random.js';

const load = (f: string) => new Uint8Array(readFileSync(join(CORPUS, f)));

/** Offsets of the pcapng blocks (walks type/length; byte order from each SHB). */
function pcapngBlocks(b: Uint8Array): { offset: number; type: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { offset: number; type: number }[] = [];
  let le = true;
  for (let o = 0; o + 12 <= b.length && out.length < 100_000; ) {
    if (dv.getUint32(o, true) === 0x0a0d0d0a) le = dv.getUint32(o + 8, true) === 0x1a2b3c4d;
    const len = dv.getUint32(o + 4, le);
    out.push({ offset: o, type: dv.getUint32(o, le) });
    if (len < 12) break;
    o += len;
  }
  return out;
}

/** Offset of the last record of a classic pcap (record header length hl). */
function lastPcapRecord(b: Uint8Array, hl: number): number {
  const le = b[0] !== 0xa1;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let o = 24;
  let last = -1;
  for (let i = 0; o + hl <= b.length && i < 1_000_000; i++) {
    last = o;
    o += hl + dv.getUint32(o + 8, le);
  }
  return last;
}

describe('a file cut at every byte offset of its last record', () => {
  const cases: [string, 'pcap' | 'pcapng', number][] = [
    ['dns-caa.pcap', 'pcap', 16],
    ['pcap-usec-be-arp-dns.pcap', 'pcap', 16],
    ['sll-nsec-tcp-handshake.pcap', 'pcap', 16],
    ['pcap-modified-kuznetzov-icmp.pcap', 'pcap', 24],
    ['tcp-handshake.pcapng', 'pcapng', 0],
    ['pcapng-gen-spb-only-be.pcapng', 'pcapng', 0],
    ['pcapng-gen-epb-all-options-le.pcapng', 'pcapng', 0],
  ];
  for (const [file, kind, hl] of cases) {
    it(file, async () => {
      const bytes = load(file);
      const full = parseCaptureBuffer(bytes);
      expect(full.error).toBeNull();
      const n = full.frames.length;
      let last: number;
      if (kind === 'pcap') {
        last = lastPcapRecord(bytes, hl);
      } else {
        const blocks = pcapngBlocks(bytes);
        const lb = blocks[blocks.length - 1];
        expect([3, 6]).toContain(lb.type); // the last block is a packet
        last = lb.offset;
      }
      expect(last).toBeGreaterThan(0);
      // Cut exactly before it: a clean file with one frame less.
      const clean = parseCaptureBuffer(bytes.subarray(0, last));
      expect(clean.error).toBeNull();
      expect(clean.frames.length).toBe(n - 1);
      for (let cut = last + 1; cut < bytes.length; cut++) {
        const r = parseCaptureBuffer(bytes.subarray(0, cut));
        if (r.frames.length !== n - 1 || r.error?.kind !== 'damaged' || r.error.offset !== last || r.error.frame !== n) {
          expect({ cut, frames: r.frames.length, kind: r.error?.kind, offset: r.error?.offset, frame: r.error?.frame }).toEqual({
            cut,
            frames: n - 1,
            kind: 'damaged',
            offset: last,
            frame: n,
          });
        }
      }
      if (kind === 'pcap') {
        const h = parseCaptureBuffer(bytes.subarray(0, last + 7)).error!;
        expect(h.message).toBe(`truncated record header: 7 of ${hl} bytes at offset ${last}`);
        const d = parseCaptureBuffer(bytes.subarray(0, bytes.length - 1)).error!;
        const cap = full.frames[n - 1].data.length;
        expect(d.message).toBe(`truncated record data: ${cap - 1} of ${cap} bytes at offset ${last}`);
      }
      // The streaming reader agrees (cut in the header and in the data, 7-byte reads).
      for (const cut of [last + 5, bytes.length - 3]) {
        const frames: Frame[] = [];
        let err: unknown = null;
        try {
          const r = await openCaptureStream(Readable.from([Buffer.from(bytes.subarray(0, cut))]), { readSize: 7 });
          for await (const b of r) frames.push(...b);
        } catch (e) {
          err = e;
        }
        expect(frames.length).toBe(n - 1);
        expect(err).toBeInstanceOf(CaptureFileError);
        expect((err as CaptureFileError).offset).toBe(last);
        expect((err as CaptureFileError).message).toBe(parseCaptureBuffer(bytes.subarray(0, cut)).error!.message);
      }
    });
  }
});

/** Little-endian pcapng builder for lying blocks. */
function blk(type: number, body: number[], len = 12 + body.length, trail = len): number[] {
  const u32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  return [...u32(type), ...u32(len), ...body, ...u32(trail)];
}
const u16 = (v: number) => [v & 255, v >> 8];
const u32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
const SHB = blk(0x0a0d0d0a, [...u32(0x1a2b3c4d), ...u16(1), ...u16(0), ...u32(0xffffffff), ...u32(0xffffffff)]);
const IDB = blk(1, [...u16(1), ...u16(0), ...u32(0)]);
function epbBody(ifid: number, cap: number, opts: number[] = []): number[] {
  const data = new Array((cap + 3) & ~3).fill(0xab);
  return [...u32(ifid), ...u32(0), ...u32(1000), ...u32(cap), ...u32(cap), ...data, ...opts];
}
const EPB = blk(6, epbBody(0, 60));

describe('lying lengths', () => {
  const at = SHB.length + IDB.length + EPB.length; // offset of the bad block, after one good frame
  const cases: [string, number[], RegExp][] = [
    ['block length not a multiple of 4', blk(6, epbBody(0, 60), 12 + 60 + 20 + 2), /bad total length 94/],
    ['block length < 12', [...u32(6), ...u32(8), 0, 0, 0, 0], /bad total length 8/],
    ['trailing length mismatch', blk(6, epbBody(0, 60), undefined, 40), /trailing length 40 does not match block length 92/],
    ['EPB captured length past the block', blk(6, [...u32(0), ...u32(0), ...u32(0), ...u32(200), ...u32(200), ...new Array(60).fill(0)]), /captured length 200 runs past/],
    ['EPB option past the block', blk(6, epbBody(0, 60, [...u16(1), ...u16(40), 65, 66, 67, 68])), /option 1 of length 40 .* runs past/],
    ['EPB interface id not defined', blk(6, epbBody(3, 60)), /interface id 3 is not defined/],
    ['EPB shorter than its fixed part', blk(6, [...u32(0), ...u32(0), ...u32(0)]), /total length 24 < 32/],
    ['IDB option past the block', blk(1, [...u16(1), ...u16(0), ...u32(0), ...u16(2), ...u16(100), 1, 2, 3, 4]), /option 2 of length 100/],
    ['NRB record past the block', blk(4, [...u16(1), ...u16(50), 10, 0, 0, 1, 97, 0, 0, 0]), /record of length 50/],
    ['later SHB with a bad byte-order magic', blk(0x0a0d0d0a, [...u32(0x11223344), ...u16(1), ...u16(0), ...u32(0), ...u32(0)]), /bad byte-order magic/],
  ];
  for (const [name, bad, msg] of cases) {
    it(`${name}: 1 frame then damaged at ${at}`, () => {
      const bytes = new Uint8Array([...SHB, ...IDB, ...EPB, ...bad, ...EPB]);
      const r = parseCaptureBuffer(bytes);
      expect(r.frames.length).toBe(1);
      expect(r.error?.kind).toBe('damaged');
      expect(r.error?.offset).toBe(at);
      expect(r.error?.frame).toBe(2);
      expect(r.error?.message).toMatch(msg);
    });
  }

  it('pcap caplen above 262144 is damage (tshark: "bigger than maximum of 262144")', () => {
    const hdr = [...u32(0xa1b2c3d4), ...u16(2), ...u16(4), ...u32(0), ...u32(0), ...u32(0x7fffffff), ...u32(1)];
    const rec = (cap: number) => [...u32(1), ...u32(2), ...u32(cap), ...u32(cap), ...new Array(cap).fill(1)];
    const ok = parseCaptureBuffer(new Uint8Array([...hdr, ...rec(10), ...rec(262144)]));
    expect(ok.error).toBeNull();
    expect(ok.frames.length).toBe(2);
    const big = new Uint8Array([...hdr, ...rec(10), ...u32(1), ...u32(2), ...u32(262145), ...u32(262145)]);
    const r = parseCaptureBuffer(big);
    expect(r.frames.length).toBe(1);
    expect(r.error?.kind).toBe('damaged');
    expect(r.error?.offset).toBe(24 + 26);
    expect(r.error?.message).toMatch(/captured length 262145 is bigger than the maximum of 262144/);
  });

  it('pcapng caplen above 262144 is damage', () => {
    const big = blk(6, epbBody(0, 262148));
    const r = parseCaptureBuffer(new Uint8Array([...SHB, ...IDB, ...EPB, ...big]));
    expect(r.frames.length).toBe(1);
    expect(r.error?.message).toMatch(/captured length 262148 is bigger than the maximum of 262144/);
  });
});

/** parseCaptureBuffer must never throw; frames must be sane. */
function checkNeverThrows(bytes: Uint8Array, label: string): ReturnType<typeof parseCaptureBuffer> {
  let r: ReturnType<typeof parseCaptureBuffer>;
  try {
    r = parseCaptureBuffer(bytes);
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).stack}`);
  }
  if (r.error !== null && !(r.error instanceof CaptureFileError)) throw new Error(`${label}: bad error ${r.error}`);
  r.frames.forEach((f, i) => {
    if (f.index !== i + 1 || f.data.length > 128 * 1024 * 1024 || typeof f.ts !== 'bigint') {
      throw new Error(`${label}: bad frame ${i + 1}`);
    }
  });
  return r;
}

describe('fuzz', () => {
  it('300 random byte strings: only CaptureFileError, not-capture without a magic', () => {
    const rnd = mulberry32(20240601);
    const magics = [
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0xc3, 0xd4],
      [0x4d, 0x3c, 0xb2, 0xa1],
      [0x34, 0xcd, 0xb2, 0xa1],
      [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, 0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0x00],
      [0x0a, 0x0d, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x01],
    ];
    let notCapture = 0;
    for (let it = 0; it < 300; it++) {
      const len = Math.floor(rnd() * 1500);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(rnd() * 256);
      const withMagic = it % 2 === 0;
      if (withMagic) b.set(magics[it % magics.length].slice(0, len));
      const r = checkNeverThrows(b, `random #${it}`);
      const known = len >= 4 && magics.some((m) => m[0] === b[0] && m[1] === b[1] && m[2] === b[2] && m[3] === b[3]);
      if (!known) {
        expect(r.error?.kind).toBe('not-capture');
        notCapture++;
      }
    }
    expect(notCapture).toBeGreaterThan(100);
  });

  it('mutated corpus files: only CaptureFileError', async () => {
    const rnd = mulberry32(777);
    const files = manifest()
      .map((r) => r.file)
      .filter((f) => readFileSync(join(CORPUS, f)).length < 20_000);
    expect(files.length).toBeGreaterThan(100);
    let errors = 0;
    for (let it = 0; it < 400; it++) {
      const file = files[Math.floor(rnd() * files.length)];
      const b = load(file);
      const kind = it % 4;
      if (kind === 0) {
        // flip a few random bytes
        for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++) b[Math.floor(rnd() * b.length)] ^= 1 + Math.floor(rnd() * 255);
      } else if (kind === 1 && b.length >= 8) {
        // overwrite a 32-bit word with an extreme value (lengths, ids, options)
        const o = Math.floor(rnd() * (b.length - 4));
        const v = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 12, 13, 0x40000][Math.floor(rnd() * 8)];
        new DataView(b.buffer).setUint32(o, v, rnd() < 0.5);
      } else if (kind === 2 && b.length >= 4) {
        // 16-bit option/record lengths
        const o = Math.floor(rnd() * (b.length - 2));
        new DataView(b.buffer).setUint16(o, [0, 0xffff, 0x8000, 3, 4][Math.floor(rnd() * 5)], rnd() < 0.5);
      }
      const cut = kind === 3 ? b.subarray(0, Math.floor(rnd() * b.length)) : b;
      const r = checkNeverThrows(cut, `${file} mutation #${it}`);
      if (r.error) errors++;
      if (it % 50 === 0) {
        // The streaming path agrees on the same bytes.
        const frames: Frame[] = [];
        let err: unknown = null;
        try {
          const s = await openCaptureStream(Readable.from([Buffer.from(cut)]), { readSize: 64 });
          for await (const batch of s) frames.push(...batch);
        } catch (e) {
          err = e;
        }
        expect(frames.length).toBe(r.frames.length);
        expect(err === null ? null : (err as CaptureFileError).kind).toBe(r.error?.kind ?? null);
      }
    }
    expect(errors).toBeGreaterThan(50);
  });
});
