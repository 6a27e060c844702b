// The streaming reader: records that span reads (64 KiB reads and tiny ones), records bigger than the
// buffer, big skipped blocks, stdin through a real pipe, close() before the end, and the error contract
// of openCapture.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_READ_SIZE,
  openCapture,
  openCaptureStream,
  parseCaptureBuffer,
  type CaptureReader,
} from '../../src/capture/open.js';
import { CaptureFileError, type Frame, type InterfaceInfo } from '../../src/capture/types.js';
import { mulberry32 } from '../helpers/random.js';
import { pcapTs } from '../../src/capture/pcap.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wiretrace-capture-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Classic µs LE pcap with records of the given captured lengths; data byte j of record i = (i*7+j)&255. */
function pcapFile(caps: number[], linkType = 1): Uint8Array {
  const total = 24 + caps.reduce((a, c) => a + 16 + c, 0);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, linkType, true);
  let p = 24;
  caps.forEach((cap, i) => {
    dv.setUint32(p, 1_700_000_000 + i, true);
    dv.setUint32(p + 4, i % 1_000_000, true);
    dv.setUint32(p + 8, cap, true);
    dv.setUint32(p + 12, cap + 4, true);
    for (let j = 0; j < cap; j++) b[p + 16 + j] = (i * 7 + j) & 255;
    p += 16 + cap;
  });
  return b;
}

/** pcapng LE blocks. */
function block(type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, len, true);
  b.set(body, 8);
  dv.setUint32(len - 4, len, true);
  return b;
}
function shb(): Uint8Array {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0x1a2b3c4d, true);
  dv.setUint16(4, 1, true);
  dv.setBigInt64(8, -1n, true);
  return block(0x0a0d0d0a, body);
}
function idb(linkType = 1): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setUint16(0, linkType, true);
  return block(1, body);
}
function epb(i: number, cap: number): Uint8Array {
  const body = new Uint8Array(20 + ((cap + 3) & ~3));
  const dv = new DataView(body.buffer);
  const us = BigInt(1_700_000_000 + i) * 1_000_000n;
  dv.setUint32(4, Number(us >> 32n), true);
  dv.setUint32(8, Number(us & 0xffffffffn), true);
  dv.setUint32(12, cap, true);
  dv.setUint32(16, cap, true);
  for (let j = 0; j < cap; j++) body[20 + j] = (i * 7 + j) & 255;
  return block(6, body);
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function drain(r: CaptureReader): Promise<{ frames: Frame[]; batches: number; error: unknown }> {
  const frames: Frame[] = [];
  let batches = 0;
  let error: unknown = null;
  try {
    for await (const b of r) {
      batches++;
      frames.push(...b);
    }
  } catch (e) {
    error = e;
  }
  return { frames, batches, error };
}

function sameFrames(a: Frame[], b: Frame[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i].ts !== b[i].ts || a[i].origLen !== b[i].origLen || Buffer.compare(a[i].data, b[i].data) !== 0) {
      expect({ ...a[i], data: [...a[i].data] }).toEqual({ ...b[i], data: [...b[i].data] });
    }
  }
}

function checkPattern(frames: Frame[], caps: number[]): void {
  expect(frames.map((f) => f.data.length)).toEqual(caps);
  frames.forEach((f, i) => {
    expect(f.index).toBe(i + 1);
    for (let j = 0; j < f.data.length; j += 97) if (f.data[j] !== ((i * 7 + j) & 255)) expect([i, j]).toBe('pattern');
  });
}

describe('records spanning reads', () => {
  it('a record header and a record body straddle the default read boundary', async () => {
    const R = DEFAULT_READ_SIZE;
    expect(R).toBe(64 << 10);
    // After a first record of `first` bytes, 1000-byte records (1016 with their header), the boundary
    // falls 40 bytes into a record (in its data) or 8 bytes into one (in its header).
    for (const into of [40, 8]) {
      const first = (R - 24 - 16 - into) % 1016;
      const n = Math.floor((2 * R - 24 - 16 - first - 1016) / 1016);
      const caps = [first, ...Array.from({ length: n }, () => 1000)];
      const bytes = pcapFile(caps);
      let start = 24;
      let i = 0;
      while (start + 16 + caps[i] <= R) start += 16 + caps[i++];
      expect(R - start).toBe(into);
      expect(bytes.length).toBeGreaterThan(R);
      expect(bytes.length).toBeLessThanOrEqual(2 * R - into);
      const path = join(dir, `span-${into}.pcap`);
      writeFileSync(path, bytes);
      const st = await drain(await openCapture(path));
      expect(st.error).toBeNull();
      // the second read starts with the cut record, carried over, and takes the rest of the file
      expect(st.batches).toBe(2);
      checkPattern(st.frames, caps);
      // frames are views of the read buffers: the cut record moved to the second one
      expect(st.frames[i - 1].data.buffer).not.toBe(st.frames[i].data.buffer);
      expect(st.frames[i].data.buffer).toBe(st.frames[caps.length - 1].data.buffer);
      // a frame kept alive keeps at most one read buffer
      for (const f of [st.frames[0], st.frames[i]]) expect(f.data.buffer.byteLength).toBe(R);
    }
  });

  it('a regular file is read synchronously, and the event loop still runs between reads', async () => {
    // 5000 records of 1000 bytes (~5 MB): more than the 4 MiB read between two turns of the loop
    const caps = Array.from({ length: 5000 }, () => 1000);
    const path = join(dir, 'sync-yield.pcap');
    writeFileSync(path, pcapFile(caps));
    const r = await openCapture(path);
    let immediate = false;
    setImmediate(() => {
      immediate = true;
    });
    const frames: Frame[] = [];
    let seenAt = -1;
    for await (const batch of r) {
      frames.push(...batch);
      if (immediate && seenAt < 0) seenAt = frames.length;
    }
    checkPattern(frames, caps);
    // the callback ran while frames were still coming (not only after the last batch)
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt).toBeLessThan(frames.length);
  });

  it('tiny read sizes give the same frames (pcap and pcapng)', async () => {
    const caps = [1, 60, 1514, 0, 333, 7, 4000];
    const files = {
      'tiny.pcap': pcapFile(caps),
      'tiny.pcapng': concat([shb(), idb(), ...caps.map((c, i) => epb(i, c))]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const mem = parseCaptureBuffer(bytes);
      expect(mem.error).toBeNull();
      checkPattern(mem.frames, caps);
      for (const readSize of [1, 3, 13, 64, 4096]) {
        const st = await drain(await openCapture(path, { readSize }));
        expect(st.error).toBeNull();
        sameFrames(st.frames, mem.frames);
      }
    }
  });

  it('reuse: a consumer that lets go of each batch gets the same bytes, read into recycled buffers', async () => {
    const caps = Array.from({ length: 400 }, (_, i) => (i * 37) % 1500);
    for (const [name, bytes] of Object.entries({
      'reuse.pcap': pcapFile(caps),
      'reuse.pcapng': concat([shb(), idb(), ...caps.map((c, i) => epb(i, c))]),
    })) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const mem = parseCaptureBuffer(bytes);
      const r = await openCapture(path, { readSize: 4096, reuse: true });
      const buffers = new Set<ArrayBufferLike>();
      let n = 0;
      for await (const batch of r) {
        // checked while the batch is current (reuse: later batches may overwrite its bytes)
        for (const f of batch) {
          const want = mem.frames[n++];
          expect(f.index).toBe(want.index);
          expect(f.ts).toBe(want.ts);
          expect(Buffer.from(f.data).equals(Buffer.from(want.data))).toBe(true);
          buffers.add(f.data.buffer);
        }
      }
      expect(n).toBe(caps.length);
      // ~300 KB through 4 KiB reads: two buffers take turns (without reuse, one per read)
      expect(buffers.size).toBeLessThanOrEqual(3);
    }
  });

  it('a record bigger than the read buffer grows the buffer', async () => {
    const caps = [100, 200_000, 100];
    const path = join(dir, 'big.pcap');
    writeFileSync(path, pcapFile(caps));
    const st = await drain(await openCapture(path, { readSize: 4096 }));
    expect(st.error).toBeNull();
    checkPattern(st.frames, caps);
  });

  it('a custom block bigger than the buffer is skipped without being read', async () => {
    const big = block(0x40000bad, new Uint8Array(3_000_000));
    const bytes = concat([shb(), idb(), epb(0, 60), big, epb(1, 61)]);
    const path = join(dir, 'bigcb.pcapng');
    writeFileSync(path, bytes);
    for (const readSize of [undefined, 1000]) {
      const st = await drain(await openCapture(path, { readSize }));
      expect(st.error).toBeNull();
      checkPattern(st.frames, [60, 61]);
    }
    // Through a stream (no seeking) too.
    const st = await drain(await openCaptureStream(Readable.from([Buffer.from(bytes)]), { readSize: 1000 }));
    expect(st.error).toBeNull();
    checkPattern(st.frames, [60, 61]);
    // Its trailing length is still checked.
    const bad = bytes.slice();
    const trailerAt = shb().length + idb().length + epb(0, 60).length + big.length - 4;
    new DataView(bad.buffer).setUint32(trailerAt, 12, true);
    writeFileSync(path, bad);
    const e = await drain(await openCapture(path, { readSize: 1000 }));
    expect(e.frames.length).toBe(1);
    expect((e.error as CaptureFileError).kind).toBe('damaged');
    expect((e.error as CaptureFileError).offset).toBe(trailerAt - big.length + 4);
    expect(parseCaptureBuffer(bad).error?.offset).toBe(trailerAt - big.length + 4);
    // And a file that ends inside it is damaged.
    writeFileSync(path, bytes.subarray(0, trailerAt - 1000));
    const cut = await drain(await openCapture(path, { readSize: 1000 }));
    expect(cut.frames.length).toBe(1);
    expect((cut.error as CaptureFileError).kind).toBe('damaged');
  });

  it('a byte stream in random chunk sizes', async () => {
    const bytes = readFileSync(CORPUS_DIR + '/pcapng-eth-sll-comments.pcapng');
    const mem = parseCaptureBuffer(bytes);
    let seed = 12345;
    const chunks: Buffer[] = [];
    for (let o = 0; o < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % 3000);
      chunks.push(bytes.subarray(o, o + n));
      o += n;
    }
    const st = await drain(await openCaptureStream(Readable.from(chunks)));
    expect(st.error).toBeNull();
    sameFrames(st.frames, mem.frames);
    expect(st.frames.filter((f) => f.comments).length).toBe(100);
  });
});

describe('openCapture errors and close()', () => {
  it('not-capture from openCapture: text, empty file, 3 bytes', async () => {
    const cases: [string, Uint8Array][] = [
      ['text.pcap', new TextEncoder().encode('this is not a capture file\n')],
      ['empty.pcap', new Uint8Array(0)],
      ['three.pcap', new Uint8Array([0xd4, 0xc3, 0xb2])],
    ];
    for (const [name, bytes] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const err = await openCapture(path).catch((e) => e);
      expect(err).toBeInstanceOf(CaptureFileError);
      expect(err.kind).toBe('not-capture');
    }
  });

  it('OS errors pass through with their code', async () => {
    const missing = await openCapture(join(dir, 'nope.pcap')).catch((e) => e);
    expect(missing.code).toBe('ENOENT');
    expect(missing).not.toBeInstanceOf(CaptureFileError);
    mkdirSync(join(dir, 'adir'));
    const isdir = await openCapture(join(dir, 'adir')).catch((e) => e);
    expect(isdir.code).toBe('EISDIR');
  });

  it('header errors come from the iterator, with info from the magic', async () => {
    const r = await openCapture(CORPUS_DIR + '/malformed-pcap-bad-major-version.pcap');
    expect(r.info.format).toBe('pcap');
    const st = await drain(r);
    expect(st.frames).toEqual([]);
    expect((st.error as CaptureFileError).kind).toBe('unsupported');
    // A file with only a pcap magic is damaged (tshark: "cut short").
    const path = join(dir, 'magic.pcap');
    writeFileSync(path, pcapFile([]).subarray(0, 10));
    const cut = await drain(await openCapture(path));
    expect((cut.error as CaptureFileError).kind).toBe('damaged');
    expect((cut.error as CaptureFileError).message).toBe('truncated file header: 10 of 24 bytes');
  });

  it('info is filled from the header before iterating', async () => {
    const r = await openCapture(CORPUS_DIR + '/pcapng-2if-ns-and-us-tsresol-dns.pcapng');
    expect(r.info.format).toBe('pcapng');
    expect(r.info.interfaces.length).toBe(2);
    await r.close();
  });

  it('close() after the first batch stops the iteration and is idempotent', async () => {
    const caps = Array.from({ length: 3000 }, () => 1000);
    const path = join(dir, 'many.pcap');
    writeFileSync(path, pcapFile(caps));
    const r = await openCapture(path);
    const got: Frame[] = [];
    for await (const b of r) {
      got.push(...b);
      await r.close();
    }
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(3000);
    await r.close();
    // Breaking out of the loop closes too (a second reader on the same file works).
    const r2 = await openCapture(path);
    let n = 0;
    for await (const b of r2) {
      n += b.length;
      break;
    }
    expect(n).toBe(got.length);
  });
});

describe('stdin', () => {
  let mod = '';
  beforeAll(() => {
    // Transpile the readers to plain JS so a child `node` can run them.
    const out = join(dir, 'js');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const src = new URL('../../src/capture/', import.meta.url).pathname;
    for (const f of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
      const js = ts.transpileModule(readFileSync(join(src, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(out, f.replace(/\.ts$/, '.js')), js);
    }
    mod = join(out, 'open.js');
  });

  /** Runs `openCapture('-')` in a child; `limit` frames then close(). Resolves with its JSON line. */
  function child(limit: number, feed: (stdin: NodeJS.WritableStream) => void): Promise<string> {
    const code = `
      const m = await import(${JSON.stringify(mod)});
      const r = await m.openCapture('-');
      let n = 0, bytes = 0, err = null;
      try {
        for await (const b of r) {
          for (const f of b) { n++; bytes += f.data.length; }
          if (n >= ${limit}) { await r.close(); break; }
        }
      } catch (e) { err = e.kind + ': ' + e.message; }
      console.log(JSON.stringify({ n, bytes, format: r.info.format, err }));`;
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('error', reject);
      p.on('exit', (c) => (c === 0 ? resolve(out.trim()) : reject(new Error(`child exit ${c}: ${out}`))));
      p.stdin.on('error', () => {});
      feed(p.stdin);
    });
  }

  it("reads a whole capture from a pipe ('-')", async () => {
    const bytes = readFileSync(CORPUS_DIR + '/mixed-wireshark-samples-nrb.pcapng');
    const mem = parseCaptureBuffer(bytes);
    const total = mem.frames.reduce((a, f) => a + f.data.length, 0);
    const out = await child(1e9, (s) => s.end(bytes));
    expect(JSON.parse(out)).toEqual({ n: 5898, bytes: total, format: 'pcapng', err: null });
  });

  it('reports damage on a cut pipe', async () => {
    const bytes = readFileSync(CORPUS_DIR + '/malformed-file-cut-short.pcap');
    const out = JSON.parse(await child(1e9, (s) => s.end(bytes)));
    expect(out.n).toBe(1);
    expect(out.err).toBe('damaged: truncated record header: 7 of 16 bytes at offset 240');
  });

  it('close() stops reading stdin while the writer keeps it open (-c N)', async () => {
    const bytes = pcapFile(Array.from({ length: 50 }, () => 100));
    // stdin is never ended: the child must still exit after close().
    const out = await child(10, (s) => s.write(bytes));
    expect(JSON.parse(out).n).toBeGreaterThanOrEqual(10);
  });
});

describe('CaptureReader.scan (records without Frame objects, for single-pass summaries)', () => {
  /** Every frame the iterator yields, and what scan() hands out: records as frames (pcapTs), other frames as they are. */
  async function both(file: string, readSize: number) {
    const want: unknown[] = [];
    let wantErr: string | null = null;
    try {
      for await (const b of await openCapture(file, { readSize })) for (const f of b) want.push([f.index, f.ts, f.origLen, f.linkType, Buffer.from(f.data).toString('hex')]);
    } catch (e) {
      wantErr = String(e);
    }
    const got: unknown[] = [];
    let gotErr: string | null = null;
    let records = 0;
    const r = await openCapture(file, { readSize, reuse: true });
    let iface: InterfaceInfo | null = null;
    const asFrame = (f: Frame) => [f.index, f.ts, f.origLen, f.linkType, Buffer.from(f.data).toString('hex')];
    try {
      await r.scan(
        {
          iface(info) {
            iface = info;
          },
          record(buf, at, cap, origLen, sec, frac, index) {
            records++;
            got.push([index, pcapTs(iface!.tsPrecision === 9, sec, frac), origLen, iface!.linkType, Buffer.from(buf.subarray(at, at + cap)).toString('hex')]);
          },
          frame(f) {
            got.push(asFrame(f));
          },
        },
        (batch) => {
          for (const f of batch) got.push(asFrame(f));
        },
      );
    } catch (e) {
      gotErr = String(e);
    }
    return { want, wantErr, got, gotErr, records };
  }

  it('hands out exactly the frames the iterator yields, records split across reads, on every corpus capture', async () => {
    const files = readdirSync(CORPUS_DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
    expect(files.length).toBeGreaterThan(100);
    let scanned = 0, scannedNg = 0;
    for (const f of files) {
      const opened = await openCapture(join(CORPUS_DIR, f)).then((r) => (r.close(), true), () => false);
      if (!opened) continue; // not a capture file (the corpus has one): openCapture's error, tested above
      for (const size of [DEFAULT_READ_SIZE, 333]) {
        const r = await both(join(CORPUS_DIR, f), size);
        expect(r.got, f).toEqual(r.want);
        expect(r.gotErr, f).toBe(r.wantErr);
        if (f.endsWith('.pcapng')) scannedNg += r.records;
        else scanned += r.records;
      }
    }
    // classic pcap (µs/ns, both byte orders, the modified format) and pcapng (EPBs and PBs with µs or
    // ns times, any number of interfaces and sections) go through records
    expect(scanned).toBeGreaterThan(2500);
    expect(scannedNg).toBeGreaterThan(2500);
  });

  it('a damaged file: the records before the damage, then the same error as the iterator', async () => {
    const good = pcapFile([60, 70, 80, 90]);
    const cut = good.subarray(0, good.length - 30);
    const lying = good.slice();
    new DataView(lying.buffer).setUint32(24 + 16 + 60 + 8, 300000, true); // record 2: caplen above 256 KiB
    for (const [name, bytes, n, msg] of [['cut', cut, 3, /truncated record data: 60 of 90 bytes/], ['lying', lying, 1, /record 2|captured length 300000/]] as const) {
      const file = join(dir, `scan-${name}.pcap`);
      writeFileSync(file, bytes);
      for (const size of [DEFAULT_READ_SIZE, 50]) {
        const r = await both(file, size);
        expect(r.got.length, name).toBe(n);
        expect(r.got).toEqual(r.want);
        expect(r.gotErr).toBe(r.wantErr);
        expect(r.gotErr).toMatch(msg);
      }
    }
  });

  it('pcapng timestamps: records carry exactly the iterator\'s time, µs and ns, offsets, extremes', async () => {
    /** An IDB with if_tsresol (and if_tsoffset seconds when given). */
    const idbRes = (res: number, offset?: bigint): Uint8Array => {
      const opts: number[] = [9, 0, 1, 0, res, 0, 0, 0];
      if (offset !== undefined) {
        const o = new Uint8Array(12);
        const dv = new DataView(o.buffer);
        dv.setUint16(0, 14, true);
        dv.setUint16(2, 8, true);
        dv.setBigInt64(4, offset, true);
        opts.push(...o);
      }
      opts.push(0, 0, 0, 0);
      const body = new Uint8Array(8 + opts.length);
      new DataView(body.buffer).setUint16(0, 1, true);
      body.set(opts, 8);
      return block(1, body);
    };
    /** An EPB on interface `id` with the raw 64-bit timestamp (high, low). */
    const epbAt = (id: number, high: number, low: number): Uint8Array => {
      const body = new Uint8Array(20 + 16);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, id, true);
      dv.setUint32(4, high, true);
      dv.setUint32(8, low, true);
      dv.setUint32(12, 14, true);
      dv.setUint32(16, 14, true);
      return block(6, body);
    };
    const rnd = mulberry32(7);
    const times: [number, number][] = [[0, 0], [0, 1], [0xffffffff, 0xffffffff], [0x1fffff, 0xffffffff], [0x200000, 0], [0x17f0_0000, 0x3b9a_c9ff], [0x0005_e0be, 0xfffffffe]];
    for (let i = 0; i < 40; i++) times.push([Math.floor(rnd() * 2 ** 32), Math.floor(rnd() * 2 ** 32)]);
    // interfaces: µs (default), ns, ns with an offset of -10 s, µs with +3600 s, ms (other units: a Frame)
    const parts = [shb(), idbRes(6), idbRes(9), idbRes(9, -10n), idbRes(6, 3600n), idbRes(3)];
    for (const [h, l] of times) for (let id = 0; id < 5; id++) parts.push(epbAt(id, h, l));
    const file = join(dir, 'scan-times.pcapng');
    writeFileSync(file, concat(parts));
    for (const size of [DEFAULT_READ_SIZE, 90]) {
      const r = await both(file, size);
      expect(r.gotErr).toBeNull();
      expect(r.got).toHaveLength(times.length * 5);
      expect(r.got).toEqual(r.want);
      // with small reads (the whole file is not decoded with its header) every µs/ns packet comes as a
      // record except µs times from 2^53 µs on (those and the ms interface's come as Frames)
      if (size === 90) {
        const usPast = (h: number, l: number, off: number) => (BigInt(h) << 32n) + BigInt(l) + BigInt(off) * 1_000_000n >= 2n ** 53n;
        const frames = times.filter(([h, l]) => usPast(h, l, 0)).length + times.filter(([h, l]) => usPast(h, l, 3600)).length;
        expect(r.records).toBe(times.length * 4 - frames);
      }
    }
  });

  it('a damaged pcapng file: the records before the damage, then the same error as the iterator', async () => {
    const demo = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'demo.pcapng'));
    // the offset of the 5th enhanced packet block (little-endian file)
    let at = 0, epbs = 0;
    for (let p = 0; p < demo.length; p += demo.readUInt32LE(p + 4)) {
      if (demo.readUInt32LE(p) === 6 && ++epbs === 5) {
        at = p;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    const lying = Buffer.from(demo);
    lying.writeUInt32LE(100000, at + 20); // captured length past the block's end
    const badIf = Buffer.from(demo);
    badIf.writeUInt32LE(7, at + 8); // an interface the section does not have
    const cut = demo.subarray(0, at + 40);
    for (const [name, bytes, msg] of [['lying', lying, /captured length 100000 runs past the block end/], ['bad-if', badIf, /interface id 7 is not defined/], ['cut', cut, /truncated block/]] as const) {
      const file = join(dir, `scan-${name}.pcapng`);
      writeFileSync(file, bytes);
      for (const size of [DEFAULT_READ_SIZE, 70]) {
        const r = await both(file, size);
        expect(r.got.length, name).toBe(4); // the four packets before the damaged block
        expect(r.got).toEqual(r.want);
        expect(r.gotErr).toBe(r.wantErr);
        expect(r.gotErr).toMatch(msg);
      }
    }
  });
});
