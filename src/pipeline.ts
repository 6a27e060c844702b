// The read loop: frames → Dissection → analyzers (in order) → output sink.
//
// Analyzers are the stateful stages (the TCP tracker, HTTP/DNS transactions, conversation
// tables). Each one sees every packet after dissection and before output, in the order given,
// and may annotate it (layer.ann, layer.addExtra(...)) for the outputs and later analyzers:
//
//   interface Analyzer {
//     name?: string;                    // for error messages
//     fieldKeys?: readonly string[];    // keys it adds (tcp.stream, tcp.analysis.*): valid for -e
//     packet(pkt: Packet): void;        // called once per packet, in capture order; never throws
//     finish?(): void;                  // after the last packet (also after a damaged file)
//   }
//
// An analyzer must not hold on to a packet expecting the output to wait for it: outputs print a
// packet as soon as every analyzer has seen it.

import type { Frame } from './capture/types.js';
import type { Dissection, Packet } from './dissect/chain.js';
import type { OutputSink } from './output/sink.js';

export interface Analyzer {
  name?: string;
  fieldKeys?: readonly string[];
  /**
   * Whether this analyzer may change the value (or presence) of field `key` in any packet. When it
   * says false for every key a -T fields output asks for, and so do the analyzers after it, the
   * pipeline does not run it. Absent: the analyzer always runs.
   */
  affects?(key: string): boolean;
  /**
   * false: this analyzer adds only fields that the packet table's columns never show (frame.time_delta,
   * frame.protocols) and that no other analyzer reads, so a sink that reads the columns only
   * (OutputSink.columnsOnly) without a display filter does not run it. Absent: it may change them.
   */
  readonly columns?: false;
  packet(pkt: Packet): void;
  finish?(): void;
}

/**
 * Keys whose values come from a frame's own bytes and record header only: no analyzer changes
 * them (no analyzer edits the link, IP or UDP layers or these TCP header fields).
 */
const FRAME_ONLY_KEYS = new Set([
  'frame.time_epoch', 'frame.time_relative', 'frame.time_delta', 'frame.number', 'frame.len', 'frame.cap_len',
  'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.len', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len',
  'tcp.window_size_value', 'tcp.checksum', 'tcp.urgent_pointer',
]);
const FRAME_ONLY_PREFIXES = ['eth.', 'ip.', 'ipv6.', 'vlan.', 'sll.', 'udp.'];

/** False for a key no analyzer can change (see FRAME_ONLY_KEYS); the `affects` of the built-in analyzers. */
export function analysisMayAffect(key: string): boolean {
  if (FRAME_ONLY_KEYS.has(key)) return false;
  for (const p of FRAME_ONLY_PREFIXES) if (key.startsWith(p)) return false;
  return true;
}

/**
 * The analyzers a sink that reads only `keys` needs: the chain up to the last one that may affect
 * one of them (later analyzers read earlier ones' annotations, so a prefix is kept). All of them
 * when keys is undefined (the table, JSON and tree outputs read everything).
 */
export function neededAnalyzers(list: readonly Analyzer[], keys: readonly string[] | undefined): readonly Analyzer[] {
  if (keys === undefined) return list;
  let last = -1;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a.affects === undefined || keys.some((k) => a.affects!(k))) last = i;
  }
  return last === list.length - 1 ? list : list.slice(0, last + 1);
}

/** What the pipeline reads: batches of frames (a CaptureReader, a live source, an array in tests). */
export type FrameSource = AsyncIterable<Frame[]> & { close?(): void | Promise<void> };

export interface PipelineOptions {
  source: FrameSource;
  dissection: Dissection;
  analyzers?: readonly Analyzer[];
  sink: OutputSink;
  /** Stop after this many packets (-c); 0 or undefined = all. */
  count?: number;
  /**
   * A display filter (-Y): only packets it passes reach the sink (the others go to sink.skip). The
   * analyzers see every packet, and -c counts packets read, as in tshark.
   */
  filter?: { readonly names: readonly string[]; test(pkt: Packet): boolean } | null;
}

export interface PipelineResult {
  packets: number;
  /** The error the source threw (a damaged file) after yielding what it could; null if none. */
  error: unknown;
  /** The output went away (EPIPE) before the end. */
  broken: boolean;
}

/**
 * The analyzers a run needs: for a sink that reads only some keys (`fieldKeys`, -T fields), those
 * that may affect them or the display filter's names (neededAnalyzers); for one that reads only the
 * table's columns, with no filter, those that may change a column (Analyzer.columns); all of them otherwise.
 */
export function analyzersFor(list: readonly Analyzer[], sink: Pick<OutputSink, 'fieldKeys' | 'columnsOnly'>, filter: PipelineOptions['filter']): readonly Analyzer[] {
  if (sink.columnsOnly === true && filter == null) return list.some((a) => a.columns === false) ? list.filter((a) => a.columns !== false) : list;
  const sinkKeys = sink.fieldKeys;
  const keys = sinkKeys === undefined ? undefined : filter == null ? sinkKeys : [...sinkKeys, ...filter.names];
  return neededAnalyzers(list, keys);
}

export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const filter = o.filter ?? null;
  const analyzers = analyzersFor(o.analyzers ?? [], o.sink, filter);
  const limit = o.count && o.count > 0 ? o.count : Infinity;
  const sink = o.sink;
  const dis = o.dissection;
  let n = 0;
  let error: unknown = null;
  try {
    outer: for await (const batch of o.source) {
      for (let i = 0; i < batch.length; i++) {
        const pkt = dis.dissect(batch[i]);
        for (let a = 0; a < analyzers.length; a++) analyzers[a].packet(pkt);
        if (filter === null || filter.test(pkt)) sink.packet(pkt);
        else sink.skip?.(pkt);
        if (++n >= limit) break outer;
      }
      if (sink.broken) break;
      const d = sink.drain();
      if (d !== null) await d;
      if (sink.broken) break;
    }
  } catch (e) {
    error = e;
  } finally {
    try {
      await o.source.close?.();
    } catch {
      // closing a source that already failed: nothing more to report
    }
  }
  for (const a of analyzers) a.finish?.();
  await sink.end();
  return { packets: n, error, broken: sink.broken };
}
