// frame.time_relative and frame.time_delta: each frame's time since the first frame read and since
// the one before it (tshark's "[Time since reference or first frame]" and "[Time delta from previous
// captured frame]"), for -T fields, the tree and display filters (`-Y 'frame.time_relative > 10'`).
// They need the frames before, so they come from an analyzer, as extras of the frame layer, built
// only when an output reads them (the table never does). A frame without a timestamp (pcapng Simple
// Packet Block) has neither, but counts as time 0 for the frames after it, as in tshark: the first
// frame, or the previous one (tshark 4.0.17 on pcapng-gen-nrb-spb-epb-le.pcapng).

import { epochText } from '../dissect/frame.js';
import type { Field } from '../dissect/types.js';
import type { Analyzer } from '../pipeline.js';

export const FRAME_TIME_KEYS = ['frame.time_delta', 'frame.time_relative'] as const;

/** The two differences, in ns, as the frame had them when it was read. */
interface Times {
  delta: bigint;
  rel: bigint;
}

function timeField(key: string, label: string, ns: bigint): Field {
  const show = epochText(ns);
  return { key, label, value: show, show, start: 0, len: 0, generated: true, text: `${label}: ${show} seconds` };
}

function timeFields(t: Times): Field[] {
  return [
    timeField('frame.time_delta', 'Time delta from previous captured frame', t.delta),
    timeField('frame.time_relative', 'Time since reference or first frame', t.rel),
  ];
}
(timeFields as { extraKeys?: readonly string[] }).extraKeys = FRAME_TIME_KEYS;

export function frameTimesAnalyzer(): Analyzer {
  let first: bigint | null = null;
  let prev: bigint | null = null;
  return {
    name: 'frame times',
    columns: false,
    fieldKeys: FRAME_TIME_KEYS,
    affects: (key) => key === 'frame.time_delta' || key === 'frame.time_relative',
    packet(pkt) {
      const fr = pkt.frame;
      const fl = pkt.layers[0];
      if (fl === undefined || fl.proto !== 'frame') return;
      const ts = fr.noTimestamp ? 0n : fr.ts;
      if (first === null) first = ts;
      if (fr.noTimestamp) {
        prev = ts;
        return;
      }
      fl.addExtraLazy(timeFields, { delta: prev === null ? 0n : ts - prev, rel: ts - first });
      prev = ts;
    },
  };
}
