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
  packet(pkt: Packet): void;
  finish?(): void;
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
}

export interface PipelineResult {
  packets: number;
  /** The error the source threw (a damaged file) after yielding what it could; null if none. */
  error: unknown;
  /** The output went away (EPIPE) before the end. */
  broken: boolean;
}

export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const analyzers = o.analyzers ?? [];
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
        sink.packet(pkt);
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
