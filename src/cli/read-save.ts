// `wiretrace read IN -w OUT`: save the packets read (those a -Y display filter passes, up to -c)
// to a capture file, as `tshark -r IN [-Y FILTER] -w OUT` does. Nothing is printed unless -P asks.
//
// What is kept: every record's bytes, original length and timestamp (nanoseconds), its interface
// (pcapng: one IDB per interface and link type, with name, description, comments, snaplen and
// FCS length), packet comments and epb_flags, and the first section's comments, hardware, OS and
// application (tshark keeps these too). Classic pcap keeps the input's timestamp precision (a
// nanosecond capture is written with the nanosecond magic; --time-stamp-precision chooses), its
// snaplen and FCS length; it holds one link type, so a pcapng input with several is refused at the
// first frame of a second link type (what was written before stays, whole).

import * as fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { CaptureReader } from '../capture/open.js';
import type { Frame } from '../capture/types.js';
import {
  CaptureWriteError,
  CaptureWriter,
  formatForPath,
  openSink,
  FdSink,
  type ByteSink,
  type WriteFormat,
} from '../capture/write.js';
import type { Packet } from '../dissect/chain.js';
import type { OutputSink } from '../output/sink.js';
import { EXIT_INPUT, UsageError, UserError } from './errors.js';

/** Raw values of read's -w options. */
export interface RawSaveOptions {
  write?: string;
  fileFormat?: string;
  timeStampPrecision?: string;
  print?: boolean;
}

export interface SavePlan {
  path: string;
  format: WriteFormat;
  /** Classic pcap timestamps: µs, ns, or null for the input's own precision. */
  precision: 'us' | 'ns' | null;
}

/** The -w plan (null without -w); UsageError for options that do not go together. */
export function savePlan(raw: RawSaveOptions, input: string): SavePlan | null {
  if (raw.write === undefined) {
    if (raw.fileFormat !== undefined) throw new UsageError('-F sets the format of the file -w writes: give -w FILE');
    if (raw.timeStampPrecision !== undefined) throw new UsageError('--time-stamp-precision is for the file -w writes: give -w FILE');
    if (raw.print) throw new UsageError('-P prints the packets while -w writes them: give -w FILE (without -w they are printed anyway)');
    return null;
  }
  const path = raw.write;
  if (path === '') throw new UsageError('-w needs a file name (- for standard output)');
  if (path === '-' && raw.print) throw new UsageError('-w - writes the capture to standard output: -P would print the packets into it');
  if (path !== '-' && input !== '-' && sameFile(path, input)) {
    throw new UsageError(`-w ${path} is the file being read: write to another file`);
  }
  const format = (raw.fileFormat as WriteFormat | undefined) ?? formatForPath(path);
  const p = raw.timeStampPrecision;
  if (p !== undefined && p !== 'micro' && p !== 'nano') throw new UsageError(`bad --time-stamp-precision ${p}: expected micro or nano`);
  if (p !== undefined && format !== 'pcap') throw new UsageError('--time-stamp-precision is for classic pcap (-F pcap): pcapng keeps nanoseconds');
  return { path, format, precision: p === undefined ? null : p === 'nano' ? 'ns' : 'us' };
}

/** Both paths name one existing file (the output would truncate the input before it is read). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev && sa.isFile();
  } catch {
    return false;
  }
}

/** Bytes to a Writable that is not the process's stdout (a test's stream). */
class StreamByteSink implements ByteSink {
  constructor(private readonly out: Writable) {}
  write(chunk: Uint8Array): void {
    this.out.write(Buffer.from(chunk));
  }
  close(): void {}
}

/** Where -w's bytes go: the file (created now), or standard output for -w -. */
export function openSave(plan: SavePlan, stdout: Writable): ByteSink {
  if (plan.path !== '-') return openSink(plan.path);
  return stdout === process.stdout ? new FdSink(1, false) : new StreamByteSink(stdout);
}

/**
 * Writes every packet it is given to the capture file, then hands it to `display` (-P) if any. The
 * writer is made at the first frame, when the input's interfaces, section and precision are known.
 * A write error (a full disk, two link types in a classic pcap) stops the run (`broken`) and is
 * kept in `writeError`; a display that goes away (EPIPE on -P's output) does not stop the file.
 */
export class SaveSink implements OutputSink {
  private w: CaptureWriter | null = null;
  /** pcapng: interfaces of the input whose IDB is written. */
  private idbs = 0;
  writeError: CaptureWriteError | null = null;
  readonly fieldKeys: readonly string[] | undefined;

  constructor(
    private readonly bytes: ByteSink,
    private readonly plan: SavePlan,
    private readonly reader: CaptureReader,
    private readonly display: OutputSink | null,
  ) {
    // without a display the analyzers that run are only those the display filter needs
    this.fieldKeys = display === null ? [] : display.fieldKeys;
  }

  save(f: Frame): void {
    if (this.writeError !== null) return;
    try {
      const w = (this.w ??= this.open(f));
      // pcapng: the input's interfaces in their order (unused ones too, as tshark writes them), so
      // that frame.interface_id stays what it was
      if (this.idbs <= f.ifIndex && this.plan.format === 'pcapng') {
        const ifs = this.reader.info.interfaces;
        for (; this.idbs <= f.ifIndex && this.idbs < ifs.length; this.idbs++) w.addInterface(this.idbs, ifs[this.idbs]);
      }
      w.write(f);
    } catch (e) {
      if (!(e instanceof CaptureWriteError)) throw e;
      this.writeError = e;
    }
  }

  /** The writer, made at the first frame; with none, an empty capture of the input's first interface. */
  private open(f: Frame | null): CaptureWriter {
    const info = this.reader.info;
    const iface = info.interfaces[f?.ifIndex ?? 0];
    const format = this.plan.format;
    const precision = this.plan.precision ?? ((f?.tsPrecision ?? iface?.tsPrecision ?? 6) > 6 ? 'ns' : 'us');
    // the interface's snaplen, unless other interfaces of a pcapng input may have frames past it
    const snaplen = iface !== undefined && iface.snaplen > 0 && (f === null || info.format !== 'pcapng') ? iface.snaplen : 262144;
    if (f === null) return new CaptureWriter(this.bytes, { format, precision, linkType: iface?.linkType ?? 1, snaplen, application: 'wiretrace' });
    const section = info.sections[0];
    return new CaptureWriter(this.bytes, {
      format,
      precision,
      snaplen,
      fcsLen: f.fcsLen,
      interfaces: info.interfaces,
      // a pcapng section's own options; for a classic pcap, this machine's (CaptureWriter's default)
      application: section?.application || 'wiretrace',
      os: section === undefined ? undefined : (section.os ?? ''),
      hardware: section?.hardware,
      comments: section?.comments,
    });
  }

  packet(pkt: Packet): void {
    this.save(pkt.frame);
    this.display?.packet(pkt);
  }

  skip(pkt: Packet): void {
    this.display?.skip?.(pkt);
  }

  get broken(): boolean {
    return this.writeError !== null;
  }

  get error(): Error | null {
    return this.display?.error ?? null;
  }

  drain(): Promise<void> | null {
    return this.display?.drain() ?? null;
  }

  async end(): Promise<void> {
    this.close();
    await this.display?.end();
  }

  /** Write what is pending (a pcap writer that saw no frame writes its header) and close the file. */
  close(): void {
    try {
      if (this.w === null) {
        if (this.writeError !== null) return;
        this.w = this.open(null);
      }
      this.w.close();
    } catch (e) {
      if (!(e instanceof CaptureWriteError)) throw e;
      this.writeError ??= e;
    }
  }

  /** The one-line error for a failed write (null when none, or when the reader of -w - went away). */
  failure(): UserError | null {
    const e = this.writeError;
    if (e === null || e.code === 'EPIPE') return null;
    return new UserError(`cannot write ${this.plan.path === '-' ? 'the capture to standard output' : this.plan.path}: ${e.message.replace(/^write failed: /, '')}`, EXIT_INPUT);
  }
}

/**
 * -w without -Y or -P: the records go to the file as they are read, without dissection (the
 * packets need no analysis to be copied). Returns the packets read and the reader's error, if any.
 */
export async function copyFrames(reader: CaptureReader, sink: SaveSink, count: number): Promise<{ packets: number; error: unknown }> {
  const limit = count > 0 ? count : Infinity;
  let n = 0;
  let error: unknown = null;
  try {
    outer: for await (const batch of reader) {
      for (let i = 0; i < batch.length; i++) {
        sink.save(batch[i]);
        if (++n >= limit || sink.broken) break outer;
      }
    }
  } catch (e) {
    error = e;
  } finally {
    try {
      await reader.close();
    } catch {
      // closing a reader that already failed: nothing more to report
    }
  }
  sink.close();
  return { packets: n, error };
}
