// The TCP tracker as a pipeline Analyzer (src/pipeline.ts): `wiretrace read` and `capture` run it
// on every packet, so the table shows relative Seq/Ack and "[TCP Retransmission]" and
// `-T fields -e tcp.stream -e tcp.analysis.*` works.

import type { Packet } from '../../dissect/chain.js';
import { analysisMayAffect, type Analyzer } from '../../pipeline.js';
import { ANALYSIS_FLAGS } from './flags.js';
import { TcpTracker, type TrackerOptions } from './tracker.js';

export const TCP_ANALYSIS_KEYS: readonly string[] = [
  'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.flags',
  'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
  ...ANALYSIS_FLAGS.map((f) => f.key),
];

export interface TcpAnalyzer extends Analyzer {
  tracker: TcpTracker;
}

export function tcpAnalyzer(opts: TrackerOptions = {}): TcpAnalyzer {
  const tracker = new TcpTracker(opts);
  return {
    name: 'tcp',
    fieldKeys: TCP_ANALYSIS_KEYS,
    affects: analysisMayAffect,
    tracker,
    packet(pkt: Packet): void {
      tracker.packet(pkt);
    },
    finish(): void {
      tracker.finish();
    },
  };
}
