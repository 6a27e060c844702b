// Capture file writers: classic pcap (µs or ns magic) and pcapng (SHB, one IDB per interface and
// link type, EPBs), streaming to a file descriptor (a file, or stdout for pipes).
//
// Records are encoded whole into a pending buffer and written with fs.writeSync in whole-record
// chunks, so a file that is closed (or a process that stops between two writes) never ends in a
// partial record. Output is little-endian (what tcpdump and dumpcap write on x86/ARM).

import * as fs from 'node:fs';
import type * as Os from 'node:os';
import { builtin } from '../lazy-builtin.js';
import type { Frame, InterfaceInfo } from './types.js';

export type WriteFormat = 'pcap' | 'pcapng';

export interface WriterOptions {
  format: WriteFormat;
  /** Classic pcap only: 'us' writes the 0xa1b2c3d4 magic (µs), 'ns' the 0xa1b23c4d magic. Default 'us'. */
  precision?: 'us' | 'ns';
  /** Snapshot length written in the pcap header / each IDB (default 262144, tcpdump's). */
  snaplen?: number;
  /**
   * Link type for the pcap header. When absent, the first frame's link type is used (the header is
   * then written with the first frame, or LINKTYPE_ETHERNET when closed with no frame).
   */
  linkType?: number;
  /**
   * pcapng: known interfaces, indexed by Frame.ifIndex. An IDB is written (lazily, before the first
   * EPB that needs it) for each distinct (ifIndex, linkType) seen; its name, description and
   * snaplen come from here when the link type matches.
   */
  interfaces?: InterfaceInfo[];
  /** pcapng shb_userappl (default "wiretrace"). */
  application?: string;
  /** pcapng shb_os (default from os.type()/os.release()). Empty string: omit. */
  os?: string;
  /** pcapng SHB comment (opt_comment). */
  comment?: string;
  /** More pcapng SHB comments (after `comment`): a section copied from another file keeps its own. */
  comments?: string[];
  /** pcapng shb_hardware. */
  hardware?: string;
  /**
   * Classic pcap only: bytes of frame check sequence at the end of every frame, written as the link
   * type field's FCS bits (LT_FCS_LENGTH_PRESENT); absent or negative: not said.
   */
  fcsLen?: number;
  /** Flush to the fd once this many bytes are pending (default 1 MiB). */
  flushBytes?: number;
}

/** Where the encoded bytes go. */
export interface ByteSink {
  /** Take (write or copy) the bytes now: the caller writes over them once this returns. */
  write(chunk: Uint8Array): void;
  close(): void;
}

/** A write failed or the input does not fit the format (e.g. two link types in one classic pcap). */
export class CaptureWriteError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'CaptureWriteError';
  }
}

const sleepArr = new Int32Array(new SharedArrayBuffer(4));

/** Write all of `buf` to `fd`, retrying short writes and EAGAIN (non-blocking pipes). */
export function writeAllSync(fd: number, buf: Uint8Array): void {
  let off = 0;
  let waits = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
      waits = 0;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && waits < 60_000) {
        // The reader of a non-blocking pipe is slow: wait 1 ms and retry (at most ~60 s in a row).
        Atomics.wait(sleepArr, 0, 0, 1);
        waits++;
        continue;
      }
      throw new CaptureWriteError(`write failed: ${(e as Error).message}`, code);
    }
  }
}

/** A sink that writes to a file descriptor (owned: closed by close(), unless it is 0/1/2). */
export class FdSink implements ByteSink {
  private closed = false;
  constructor(readonly fd: number, private readonly owned = fd > 2) {}
  write(chunk: Uint8Array): void {
    if (this.closed) throw new CaptureWriteError('write after close');
    writeAllSync(this.fd, chunk);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) fs.closeSync(this.fd);
  }
}

/** What a failed open for writing says (the rest: the system's message). */
const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** Open `path` for writing ('-' = stdout). The file is created with mode 0644 (minus umask). */
export function openSink(path: string): FdSink {
  if (path === '-') return new FdSink(1, false);
  try {
    return new FdSink(fs.openSync(path, 'w', 0o644), true);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CaptureWriteError(`cannot write ${path}: ${OPEN_ERRORS[code ?? ''] ?? (e as Error).message}`, code);
  }
}

/** A sink collecting the bytes in memory (tests, conversions into a Buffer). */
export class MemorySink implements ByteSink {
  readonly chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk.slice());
  }
  close(): void {}
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The format `-w FILE` implies: classic pcap for *.pcap (and *.cap), pcapng otherwise. */
export function formatForPath(path: string): WriteFormat {
  return /\.(pcap|cap|dmp)$/i.test(path) ? 'pcap' : 'pcapng';
}

// --- pcapng constants
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const SPB = 0x00000003;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const EPB_FLAGS = 2;

const pad4 = (n: number) => (n + 3) & ~3;
const enc = new TextEncoder();

interface Opt {
  code: number;
  value: Uint8Array;
}

function optsLength(opts: Opt[]): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const o of opts) n += 4 + pad4(o.value.length);
  return n;
}

function putOpts(b: Buffer, off: number, opts: Opt[]): number {
  if (opts.length === 0) return off;
  for (const o of opts) {
    b.writeUInt16LE(o.code, off);
    b.writeUInt16LE(o.value.length, off + 2);
    b.set(o.value, off + 4);
    const end = off + 4 + pad4(o.value.length);
    b.fill(0, off + 4 + o.value.length, end);
    off = end;
  }
  b.writeUInt32LE(OPT_ENDOFOPT, off); // code 0, length 0
  return off + 4;
}

function strOpt(code: number, s: string | undefined): Opt[] {
  if (s === undefined || s === '') return [];
  const v = enc.encode(s);
  // Option lengths are 16 bits: cut (on a byte boundary) anything longer.
  return [{ code, value: v.length > 0xfff0 ? v.subarray(0, 0xfff0) : v }];
}

/** A pcapng block: type, total length, body, total length again. */
function block(type: number, bodyLen: number, fill: (b: Buffer, off: number) => void): Buffer {
  const total = 12 + bodyLen;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type >>> 0, 0);
  b.writeUInt32LE(total, 4);
  fill(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

export function encodeShb(o: { application?: string; os?: string; hardware?: string; comment?: string; comments?: string[] }): Buffer {
  const opts = [
    ...strOpt(OPT_COMMENT, o.comment),
    ...(o.comments ?? []).flatMap((c) => strOpt(OPT_COMMENT, c)),
    ...strOpt(SHB_HARDWARE, o.hardware),
    ...strOpt(SHB_OS, o.os),
    ...strOpt(SHB_USERAPPL, o.application),
  ];
  return block(SHB, 16 + optsLength(opts), (b, off) => {
    b.writeUInt32LE(0x1a2b3c4d, off); // byte-order magic
    b.writeUInt16LE(1, off + 4); // major
    b.writeUInt16LE(0, off + 6); // minor
    b.writeInt32LE(-1, off + 8); // section length: unknown (-1, 64 bits)
    b.writeInt32LE(-1, off + 12);
    putOpts(b, off + 16, opts);
  });
}

/**
 * The if_tsresol a written IDB gets for an interface read with `tsResol`: a decimal resolution up to
 * nanoseconds is kept (a copied file keeps its units: a 64-bit count of microseconds can be beyond
 * what 64 bits of nanoseconds hold), anything else is written in nanoseconds.
 */
export function writtenTsResol(tsResol: number | undefined): number {
  return tsResol !== undefined && tsResol <= 9 ? tsResol : 9;
}

export function encodeIdb(i: { linkType: number; snaplen: number; name?: string; description?: string; comments?: string[]; fcsLen?: number; tsResol?: number }): Buffer {
  const opts = [
    ...(i.comments ?? []).flatMap((c) => strOpt(OPT_COMMENT, c)),
    ...strOpt(IF_NAME, i.name),
    ...strOpt(IF_DESCRIPTION, i.description),
    { code: IF_TSRESOL, value: Uint8Array.of(writtenTsResol(i.tsResol)) },
    ...(i.fcsLen !== undefined && i.fcsLen >= 0 && i.fcsLen <= 255 ? [{ code: IF_FCSLEN, value: Uint8Array.of(i.fcsLen) }] : []),
  ];
  return block(IDB, 8 + optsLength(opts), (b, off) => {
    b.writeUInt16LE(i.linkType & 0xffff, off);
    b.writeUInt16LE(0, off + 2);
    b.writeUInt32LE(i.snaplen >>> 0, off + 4);
    putOpts(b, off + 8, opts);
  });
}

/**
 * An EPB's fields after its type and length, at b[at]: interface id, timestamp (in ns divided by
 * `unit`, 10^(9 - the IDB's if_tsresol)), captured and original length, then the bytes. Returns
 * where the bytes end (the caller pads to 4 and adds options and the trailing length).
 */
function putEpbFields(b: Buffer, at: number, ifId: number, f: Frame, unit: bigint): number {
  const cap = f.data.length;
  const ts = f.ts < 0n ? 0n : unit === 1n ? f.ts : f.ts / unit;
  b.writeUInt32LE(ifId, at);
  b.writeUInt32LE(Number((ts >> 32n) & 0xffffffffn), at + 4);
  b.writeUInt32LE(Number(ts & 0xffffffffn), at + 8);
  b.writeUInt32LE(cap, at + 12);
  b.writeUInt32LE(f.origLen >>> 0, at + 16);
  b.set(f.data, at + 20);
  return at + 20 + cap;
}

/** An EPB with options (comments, epb_flags); CaptureWriter writes one without in place. */
export function encodeEpb(ifId: number, f: Frame, unit = 1n): Buffer {
  const opts: Opt[] = [];
  if (f.comments) for (const c of f.comments) opts.push(...strOpt(OPT_COMMENT, c));
  if (f.epbFlags !== undefined) {
    const v = new Uint8Array(4);
    new DataView(v.buffer).setUint32(0, f.epbFlags >>> 0, true);
    opts.push({ code: EPB_FLAGS, value: v });
  }
  const cap = f.data.length;
  return block(EPB, 20 + pad4(cap) + optsLength(opts), (b, off) => {
    putEpbFields(b, off, ifId, f, unit); // padding bytes stay 0 (Buffer.alloc)
    putOpts(b, off + 20 + pad4(cap), opts);
  });
}

/**
 * The pcap header's link type field: LINKTYPE_* in the low 16 bits and, when the FCS length is known
 * (an even number of bytes up to 30), LT_FCS_LENGTH_PRESENT (bit 26) with the length in 16-bit
 * units in the top 4 bits.
 */
export function pcapLinkField(linkType: number, fcsLen?: number): number {
  const lt = linkType & 0xffff;
  if (fcsLen === undefined || fcsLen < 0 || fcsLen > 30 || fcsLen % 2 !== 0) return lt;
  return (lt | 0x04000000 | ((fcsLen / 2) << 28)) >>> 0;
}

/** A Simple Packet Block (interface 0, no timestamp, no options). */
export function encodeSpb(f: Frame): Buffer {
  const cap = f.data.length;
  return block(SPB, 4 + pad4(cap), (b, off) => {
    b.writeUInt32LE(f.origLen, off);
    b.set(f.data, off + 4);
  });
}

export function encodePcapHeader(linkType: number, snaplen: number, precision: 'us' | 'ns'): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(precision === 'ns' ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // thiszone
  b.writeUInt32LE(0, 12); // sigfigs
  b.writeUInt32LE(snaplen >>> 0, 16);
  b.writeUInt32LE(linkType >>> 0, 20);
  return b;
}

/** A classic pcap record at b[at]: 16-byte header (seconds, µs or ns, lengths), then the bytes. Returns its end. */
function putPcapRecord(b: Buffer, at: number, f: Frame, precision: 'us' | 'ns'): number {
  const cap = f.data.length;
  const ts = f.ts < 0n ? 0n : f.ts;
  const sec = ts / 1_000_000_000n;
  const ns = Number(ts - sec * 1_000_000_000n);
  b.writeUInt32LE(Number(sec & 0xffffffffn), at);
  b.writeUInt32LE(precision === 'ns' ? ns : Math.floor(ns / 1000), at + 4);
  b.writeUInt32LE(cap, at + 8);
  b.writeUInt32LE(f.origLen >>> 0, at + 12);
  b.set(f.data, at + 16);
  return at + 16 + cap;
}

export function encodePcapRecord(f: Frame, precision: 'us' | 'ns'): Buffer {
  const b = Buffer.allocUnsafe(16 + f.data.length);
  putPcapRecord(b, 0, f, precision);
  return b;
}

/**
 * A streaming capture writer. `write(frame)` encodes one record (pcap) or EPB (pcapng, preceded by
 * an IDB the first time an interface/link type is seen); bytes go to the sink when `flush()` is
 * called or when enough are pending; `close()` flushes and closes the sink.
 */
export class CaptureWriter {
  readonly format: WriteFormat;
  private readonly precision: 'us' | 'ns';
  private readonly snaplen: number;
  private readonly flushBytes: number;
  private linkType: number | undefined;
  private headerDone = false;
  private readonly idbs = new Map<string, number>();
  /** Per IDB written: what a timestamp in ns is divided by for its EPBs. */
  private readonly units: bigint[] = [];
  /** Per IDB written: its snaplen (0: none). */
  private readonly snaps: number[] = [];
  /** Encoded bytes not yet handed to the sink: out[0, pos), whole records only. */
  private out: Buffer = Buffer.allocUnsafe(1 << 16);
  private pos = 0;
  private closed = false;
  /** Frames written so far. */
  packets = 0;
  /** Bytes handed to the sink so far. */
  bytesWritten = 0;

  constructor(private readonly sink: ByteSink, private readonly opts: WriterOptions) {
    this.format = opts.format;
    this.precision = opts.precision ?? 'us';
    this.snaplen = opts.snaplen ?? 262144;
    this.flushBytes = opts.flushBytes ?? 1 << 20;
    this.linkType = opts.linkType;
    if (this.format === 'pcapng') {
      this.push(
        encodeShb({
          application: opts.application ?? 'wiretrace',
          os: opts.os ?? osText(),
          comment: opts.comment,
          comments: opts.comments,
          hardware: opts.hardware,
        }),
      );
      this.headerDone = true;
    } else if (this.linkType !== undefined) {
      this.push(encodePcapHeader(pcapLinkField(this.linkType, opts.fcsLen), this.snaplen, this.precision));
      this.headerDone = true;
    }
  }

  private push(b: Uint8Array): void {
    this.room(b.length);
    this.out.set(b, this.pos);
    this.pos += b.length;
  }

  /** Room for n more bytes in `out` (flushing what is there, or growing it for a huge record). */
  private room(n: number): void {
    if (this.pos + n <= this.out.length) return;
    if (this.pos > 0 && this.pos + n > this.flushBytes) this.flush();
    if (this.pos + n > this.out.length) {
      const nb = Buffer.allocUnsafe(Math.max(this.pos + n, Math.min(this.out.length * 2, Math.max(this.flushBytes, 1 << 16))));
      nb.set(this.out.subarray(0, this.pos));
      this.out = nb;
    }
  }

  /** A classic pcap record straight into `out` (no Buffer per record). */
  private pcapRecord(f: Frame): void {
    this.room(16 + f.data.length);
    this.pos = putPcapRecord(this.out, this.pos, f, this.precision);
  }

  /** An EPB without options straight into `out`: type and length, the fields, padding, length again. */
  private epbRecord(f: Frame, id: number): void {
    const n = 32 + pad4(f.data.length);
    this.room(n);
    const b = this.out;
    const start = this.pos;
    b.writeUInt32LE(EPB, start);
    b.writeUInt32LE(n, start + 4);
    const end = start + n - 4;
    b.fill(0, putEpbFields(b, start + 8, id, f, this.units[id]), end);
    b.writeUInt32LE(n, end);
    this.pos = start + n;
  }

  /** Declare an interface up front (pcapng): writes its IDB now. Returns its IDB index. */
  addInterface(ifIndex: number, info: InterfaceInfo): number {
    if (this.format !== 'pcapng') return 0;
    const key = `${ifIndex}:${info.linkType}`;
    const have = this.idbs.get(key);
    if (have !== undefined) return have;
    const id = this.idbs.size;
    this.idbs.set(key, id);
    // a pcapng interface keeps its if_tsresol; a classic pcap's keeps its unit (µs or ns)
    const tsResol = info.tsResol ?? (info.tsPrecision === 6 || info.tsPrecision === 9 ? info.tsPrecision : undefined);
    this.units.push(10n ** BigInt(9 - writtenTsResol(tsResol)));
    const snaplen = info.snaplen || this.snaplen;
    this.snaps.push(snaplen);
    this.push(encodeIdb({ ...info, snaplen, tsResol }));
    return id;
  }

  write(f: Frame): void {
    if (this.closed) throw new CaptureWriteError('write after close');
    if (this.format === 'pcap') {
      if (!this.headerDone) {
        this.linkType = f.linkType;
        this.push(encodePcapHeader(pcapLinkField(f.linkType, this.opts.fcsLen ?? f.fcsLen), this.snaplen, this.precision));
        this.headerDone = true;
      } else if (f.linkType !== this.linkType) {
        throw new CaptureWriteError(
          `frame ${f.index} has link type ${f.linkType} but this pcap file holds ${this.linkType}: a classic pcap file has one link type, write pcapng instead`,
        );
      }
      this.pcapRecord(f);
    } else {
      let id = this.idbs.get(`${f.ifIndex}:${f.linkType}`);
      if (id === undefined) {
        const known = this.opts.interfaces?.[f.ifIndex];
        id = this.addInterface(
          f.ifIndex,
          known && known.linkType === f.linkType ? known : { linkType: f.linkType, snaplen: this.snaplen, tsPrecision: 9 },
        );
      }
      // a record without a timestamp (read from an SPB) stays one when it can: interface 0, and its
      // captured length the one an SPB implies (the original length, cut at interface 0's snaplen)
      if (f.noTimestamp === true && id === 0 && !f.comments && f.epbFlags === undefined && f.data.length === Math.min(f.origLen, this.snaps[0] || Infinity)) {
        this.push(encodeSpb(f));
      } else if (f.comments === undefined && f.epbFlags === undefined) this.epbRecord(f, id);
      else this.push(encodeEpb(id, f, this.units[id]));
    }
    this.packets++;
    if (this.pos >= this.flushBytes) this.flush();
  }

  /** Hand pending bytes (whole records only) to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    // the sink is done with the bytes when write returns (ByteSink): `out` is written again
    this.pos = 0;
    this.sink.write(this.out.subarray(0, n));
    this.bytesWritten += n;
  }

  /** Flush and close the sink. A pcap writer that saw no frame still writes its header. */
  close(): void {
    if (this.closed) return;
    if (!this.headerDone) {
      this.push(encodePcapHeader(this.linkType ?? 1, this.snaplen, this.precision));
      this.headerDone = true;
    }
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.sink.close();
    }
  }
}

/** Encode frames into a whole capture file in memory. */
export function writeCaptureBuffer(frames: Iterable<Frame>, opts: WriterOptions): Buffer {
  const sink = new MemorySink();
  const w = new CaptureWriter(sink, { ...opts, flushBytes: Infinity });
  for (const f of frames) w.write(f);
  w.close();
  return sink.bytes();
}

/** The default shb_os: os.type() and os.release() (node:os loaded only here: lazy-builtin.ts). */
function osText(): string {
  const os = builtin<typeof Os>('node:os');
  return `${os.type()} ${os.release()}`;
}
