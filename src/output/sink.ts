// Output sinks: where dissected packets go. `createSink(opts, out)` builds one for each -T format;
// `wiretrace read` and `wiretrace capture` share it (options come from src/cli/output-options.ts).
//
//   sink.packet(pkt)   format one packet (synchronous; text is buffered, ~64 KiB per write)
//   sink.drain()       null, or a promise to await before feeding more (stream backpressure)
//   sink.end()         write any trailer (the JSON array's "]"), flush, and wait for the stream
//   sink.broken        the reader went away (EPIPE): stop feeding, exit 0

import type { Writable } from 'node:stream';
import type { Packet } from '../dissect/chain.js';
import { FieldsFormatter, defaultFieldsOptions, type FieldsOptions } from './fields.js';
import { packetHex } from './hexdump.js';
import { JsonBytes, packetJson, packetJsonBytes } from './json.js';
import { TableFormatter } from './table.js';
import type { TimeFormat } from './time.js';
import { packetTree } from './tree.js';
import { OutputWriter } from './writer.js';

export const OUTPUT_FORMATS = ['table', 'tree', 'fields', 'json', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface SinkOptions {
  format: OutputFormat;
  /** -e keys (format 'fields'). */
  fields: string[];
  fieldOptions: FieldsOptions;
  /** -x: hex + ASCII dump after each packet (table and tree). */
  hex: boolean;
  /** -t: time column format (table). */
  time: TimeFormat;
  /** ANSI colours (decided by the caller: TTY, NO_COLOR, --no-color). */
  color: boolean;
}

export function defaultSinkOptions(): SinkOptions {
  return { format: 'table', fields: [], fieldOptions: defaultFieldsOptions(), hex: false, time: 'r', color: false };
}

export interface OutputSink {
  packet(pkt: Packet): void;
  /** A packet read but not shown (a display filter dropped it): time columns still count it. */
  skip?(pkt: Packet): void;
  drain(): Promise<void> | null;
  end(): Promise<void>;
  readonly broken: boolean;
  /** The only field keys this sink reads (-T fields); undefined when it may read any. */
  readonly fieldKeys?: readonly string[];
  /**
   * True when this sink reads only the packet table's columns (and the frame's bytes for -x): the
   * analyzers that change none of them (Analyzer.columns) need not run.
   */
  readonly columnsOnly?: boolean;
  /** A write error other than EPIPE, if one happened. */
  readonly error: Error | null;
}

abstract class TextSink implements OutputSink {
  readonly w: OutputWriter;
  constructor(out: Writable | OutputWriter) {
    this.w = out instanceof OutputWriter ? out : new OutputWriter(out);
  }
  abstract packet(pkt: Packet): void;
  get broken(): boolean {
    return this.w.broken;
  }
  get error(): Error | null {
    return this.w.error;
  }
  drain(): Promise<void> | null {
    return this.w.drain();
  }
  protected trailer(): string {
    return '';
  }
  async end(): Promise<void> {
    const t = this.trailer();
    if (t !== '') this.w.write(t);
    await this.w.end();
  }
}

class TableSink extends TextSink {
  readonly columnsOnly = true;
  private fmt: TableFormatter;
  constructor(out: Writable | OutputWriter, private o: SinkOptions) {
    super(out);
    this.fmt = new TableFormatter(o.time);
  }
  packet(pkt: Packet): void {
    this.w.write(this.fmt.text(pkt, this.o.color));
    if (this.o.hex) this.w.write(packetHex(pkt));
  }
  skip(pkt: Packet): void {
    this.fmt.time.skip(pkt.frame.ts);
  }
}

class TreeSink extends TextSink {
  constructor(out: Writable | OutputWriter, private o: SinkOptions) {
    super(out);
  }
  packet(pkt: Packet): void {
    this.w.write(packetTree(pkt));
    if (this.o.hex) this.w.write(packetHex(pkt));
  }
}

class FieldsSink extends TextSink {
  private fmt: FieldsFormatter;
  readonly fieldKeys: readonly string[];
  constructor(out: Writable | OutputWriter, o: SinkOptions) {
    super(out);
    this.fieldKeys = o.fields;
    this.fmt = new FieldsFormatter(o.fields, o.fieldOptions, o.time);
    const h = this.fmt.header();
    if (h !== '') this.w.write(h);
  }
  packet(pkt: Packet): void {
    this.w.write(this.fmt.line(pkt));
  }
  skip(pkt: Packet): void {
    this.fmt.skip(pkt);
  }
}

/**
 * Byte-level JSON (json.ts packetJsonBytes) when the writer is a plain OutputWriter; a subclass
 * that hooks write() (the live writer's prompt flush) gets strings as before.
 */
function bytesWriter(w: OutputWriter): boolean {
  return Object.getPrototypeOf(w) === OutputWriter.prototype;
}

class JsonSink extends TextSink {
  private n = 0;
  private readonly o: JsonBytes | null = bytesWriter(this.w) ? new JsonBytes() : null;
  packet(pkt: Packet): void {
    const o = this.o;
    if (o === null) {
      this.w.write((this.n++ === 0 ? '[\n' : ',\n') + packetJson(pkt));
      return;
    }
    o.pos = 0;
    o.raw(this.n++ === 0 ? '[\n' : ',\n');
    packetJsonBytes(o, pkt);
    this.w.writeBytes(o.buf.subarray(0, o.pos));
  }
  protected override trailer(): string {
    return this.n === 0 ? '[]\n' : '\n]\n';
  }
}

class NdjsonSink extends TextSink {
  private readonly o: JsonBytes | null = bytesWriter(this.w) ? new JsonBytes() : null;
  packet(pkt: Packet): void {
    const o = this.o;
    if (o === null) {
      this.w.write(packetJson(pkt) + '\n');
      return;
    }
    o.pos = 0;
    packetJsonBytes(o, pkt);
    o.raw('\n');
    this.w.writeBytes(o.buf.subarray(0, o.pos));
  }
}

/** -q: packets are read, analysed and counted, and nothing is printed (the statistics of -z are). */
export function quietSink(): OutputSink {
  return { packet() {}, drain: () => null, end: async () => {}, broken: false, fieldKeys: [], error: null };
}

export function createSink(opts: SinkOptions, out: Writable | OutputWriter): OutputSink {
  switch (opts.format) {
    case 'table':
      return new TableSink(out, opts);
    case 'tree':
      return new TreeSink(out, opts);
    case 'fields':
      return new FieldsSink(out, opts);
    case 'json':
      return new JsonSink(out);
    case 'ndjson':
      return new NdjsonSink(out);
  }
}
