// The JIT warm-up of `wiretrace read` (src/analysis/read-warm.ts says why): the synthetic frames
// through throwaway pipelines configured as the real one, writing nowhere.

import { Writable } from 'node:stream';
import type { Frame } from '../capture/types.js';
import { readWarmupFrames } from '../analysis/read-warm.js';
import type { TrackerOptions } from '../analysis/tcp/tracker.js';
import { Dissection } from '../dissect/chain.js';
import type { Registry } from '../dissect/registry.js';
import { createSink, type SinkOptions } from '../output/sink.js';
import { runPipeline, type Analyzer, type PipelineOptions } from '../pipeline.js';
import { defaultAnalyzers } from './analyzers.js';

/** Captures smaller than this are read without a warm-up (it costs ~30 ms; a small file is done before V8 optimises much). */
export const WARMUP_MIN_BYTES = 8 << 20;
/** Nor is a run limited to fewer packets than this (-c N). */
export const WARMUP_MIN_PACKETS = 20_000;

/** The second pass' tracker limits: tiny, so that the sweep, forgetting and eviction branches run too. */
const TINY: TrackerOptions = { maxStreams: 3, maxUnacked: 3, idleTimeout: 20, closedGrace: 1, sweepEvery: 16 };

/**
 * Whether to warm up before reading a capture of `size` bytes (null: stdin or a pipe, size
 * unknown: no), `count` packets of it (-c; 0: all). WIRETRACE_WARMUP=1 / =0 forces it on / off
 * (tests and measurements).
 */
export function wantWarmup(size: number | null, env: NodeJS.ProcessEnv, count = 0): boolean {
  const w = env.WIRETRACE_WARMUP;
  if (w === '1') return true;
  if (w === '0') return false;
  return size !== null && size >= WARMUP_MIN_BYTES && (count === 0 || count >= WARMUP_MIN_PACKETS);
}

/**
 * Run the warm-up frames twice (real tracker limits, then tiny ones) through pipelines built as
 * the real one: `setup` gets each throwaway Dissection and analyzer list to configure them the
 * same way (sparse HTTP bodies, checksums). Nothing is shared with the real run but the registry,
 * whose dissectors keep no state between packets.
 */
export async function warmUp(
  registry: Registry,
  sinkOpts: SinkOptions,
  filter: PipelineOptions['filter'],
  setup: (dissection: Dissection, analyzers: readonly Analyzer[]) => void,
): Promise<void> {
  const frames = readWarmupFrames();
  const nowhere = new Writable({ write: (_c, _e, cb) => cb() });
  for (const limits of [{}, TINY]) {
    const dissection = new Dissection(registry);
    const analyzers = defaultAnalyzers(registry, limits);
    setup(dissection, analyzers);
    await runPipeline({ source: batches(frames), dissection, analyzers, sink: createSink(sinkOpts, nowhere), filter });
  }
}

async function* batches(frames: Frame[]): AsyncGenerator<Frame[]> {
  for (let i = 0; i < frames.length; i += 64) yield frames.slice(i, i + 64);
}
