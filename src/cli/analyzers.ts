// The stateful analyzers `wiretrace read` (and `capture`) run on every packet, in this order,
// between dissection and output (see src/pipeline.ts for the Analyzer contract).
// Analysis modules add themselves here: one import and one entry in defaultAnalyzers().

import { TcpTracker } from '../analysis/tcp/tracker.js';
import type { Analyzer } from '../pipeline.js';

/**
 * Keys the TCP tracker adds to layer.extra (valid for -e). TODO(tcp tracker owner): export this
 * list from src/analysis/tcp/fields.ts and use it here.
 */
export const TCP_ANALYSIS_KEYS: readonly string[] = [
  'tcp.stream', 'tcp.seq', 'tcp.nxtseq', 'tcp.ack', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.time_delta', 'tcp.time_relative', 'tcp.analysis.flags', 'tcp.analysis.ack_lost_segment',
  'tcp.analysis.ack_rtt', 'tcp.analysis.acks_frame', 'tcp.analysis.bytes_in_flight',
  'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.fast_retransmission', 'tcp.analysis.initial_rtt', 'tcp.analysis.keep_alive',
  'tcp.analysis.keep_alive_ack', 'tcp.analysis.lost_segment', 'tcp.analysis.out_of_order',
  'tcp.analysis.retransmission', 'tcp.analysis.reused_ports', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
  'tcp.analysis.spurious_retransmission', 'tcp.analysis.window_full', 'tcp.analysis.window_update',
  'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe', 'tcp.analysis.zero_window_probe_ack',
];

export function tcpAnalyzer(tracker = new TcpTracker()): Analyzer {
  return {
    name: 'tcp',
    fieldKeys: TCP_ANALYSIS_KEYS,
    packet: (pkt) => void tracker.packet(pkt),
    finish: () => tracker.finish(),
  };
}

export function defaultAnalyzers(): Analyzer[] {
  return [tcpAnalyzer()];
}
