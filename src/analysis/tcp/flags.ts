// TCP analysis flags: bit values, Wireshark field keys, tshark's Info-column words and the
// expert text. The order of ANALYSIS_FLAGS is the order in which Wireshark (4.0) adds the
// "[TCP …]" Info prefixes; tshark prepends each one, so the Info column shows them reversed.

export const A_RETRANSMISSION = 0x0001;
export const A_LOST_PACKET = 0x0002;
export const A_ACK_LOST_PACKET = 0x0004;
export const A_KEEP_ALIVE = 0x0008;
export const A_DUPLICATE_ACK = 0x0010;
export const A_ZERO_WINDOW = 0x0020;
export const A_ZERO_WINDOW_PROBE = 0x0040;
export const A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const A_KEEP_ALIVE_ACK = 0x0100;
export const A_OUT_OF_ORDER = 0x0200;
export const A_FAST_RETRANSMISSION = 0x0400;
export const A_WINDOW_UPDATE = 0x0800;
export const A_WINDOW_FULL = 0x1000;
export const A_REUSED_PORTS = 0x2000;
export const A_SPURIOUS_RETRANSMISSION = 0x4000;

export interface FlagInfo {
  bit: number;
  /** Wireshark display-filter key. */
  key: string;
  /** Short name for our tables (--explain, timeline). */
  name: string;
  /** tshark Info prefix, without brackets ('' = none). */
  info: string;
  /** Wireshark's expert text. */
  expert: string;
}

/** In Wireshark's order of adding Info prefixes (tcp_print_sequence_number_analysis). */
export const ANALYSIS_FLAGS: readonly FlagInfo[] = [
  { bit: A_RETRANSMISSION, key: 'tcp.analysis.retransmission', name: 'retransmission', info: 'TCP Retransmission', expert: 'This frame is a (suspected) retransmission' },
  { bit: A_FAST_RETRANSMISSION, key: 'tcp.analysis.fast_retransmission', name: 'fast-retransmission', info: 'TCP Fast Retransmission', expert: 'This frame is a (suspected) fast retransmission' },
  { bit: A_SPURIOUS_RETRANSMISSION, key: 'tcp.analysis.spurious_retransmission', name: 'spurious-retransmission', info: 'TCP Spurious Retransmission', expert: 'This frame is a (suspected) spurious retransmission' },
  { bit: A_OUT_OF_ORDER, key: 'tcp.analysis.out_of_order', name: 'out-of-order', info: 'TCP Out-Of-Order', expert: 'This frame is a (suspected) out-of-order segment' },
  { bit: A_LOST_PACKET, key: 'tcp.analysis.lost_segment', name: 'lost-segment', info: 'TCP Previous segment not captured', expert: 'Previous segment(s) not captured (common at capture start)' },
  { bit: A_ACK_LOST_PACKET, key: 'tcp.analysis.ack_lost_segment', name: 'ack-lost-segment', info: 'TCP ACKed unseen segment', expert: "ACKed segment that wasn't captured (common at capture start)" },
  { bit: A_WINDOW_UPDATE, key: 'tcp.analysis.window_update', name: 'window-update', info: 'TCP Window Update', expert: 'TCP window update' },
  { bit: A_WINDOW_FULL, key: 'tcp.analysis.window_full', name: 'window-full', info: 'TCP Window Full', expert: 'TCP window specified by the receiver is now completely full' },
  { bit: A_KEEP_ALIVE, key: 'tcp.analysis.keep_alive', name: 'keep-alive', info: 'TCP Keep-Alive', expert: 'TCP keep-alive segment' },
  { bit: A_KEEP_ALIVE_ACK, key: 'tcp.analysis.keep_alive_ack', name: 'keep-alive-ack', info: 'TCP Keep-Alive ACK', expert: 'ACK to a TCP keep-alive segment' },
  { bit: A_DUPLICATE_ACK, key: 'tcp.analysis.duplicate_ack', name: 'dup-ack', info: 'TCP Dup ACK', expert: 'Duplicate ACK' },
  { bit: A_ZERO_WINDOW_PROBE, key: 'tcp.analysis.zero_window_probe', name: 'zero-window-probe', info: 'TCP ZeroWindowProbe', expert: 'TCP Zero Window Probe' },
  { bit: A_ZERO_WINDOW, key: 'tcp.analysis.zero_window', name: 'zero-window', info: 'TCP ZeroWindow', expert: 'TCP Zero Window segment' },
  { bit: A_ZERO_WINDOW_PROBE_ACK, key: 'tcp.analysis.zero_window_probe_ack', name: 'zero-window-probe-ack', info: 'TCP ZeroWindowProbeAck', expert: 'ACK to a TCP Zero Window Probe' },
  { bit: A_REUSED_PORTS, key: 'tcp.analysis.reused_ports', name: 'port-reuse', info: 'TCP Port numbers reused', expert: 'A new tcp session is started with the same ports as an earlier session in this trace' },
];

/** Flags that count as a retransmission in summaries. */
export const ANY_RETRANSMISSION = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;

/** Flags Wireshark counts as "bad" (drawn red in our timeline). */
export const BAD_FLAGS = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION | A_LOST_PACKET |
  A_ACK_LOST_PACKET | A_DUPLICATE_ACK | A_OUT_OF_ORDER | A_ZERO_WINDOW | A_WINDOW_FULL;

/** Short names of the flags set in `flags`, in Wireshark's order. */
export function flagNames(flags: number): string[] {
  const out: string[] = [];
  if (flags === 0) return out;
  for (const f of ANALYSIS_FLAGS) if (flags & f.bit) out.push(f.name);
  return out;
}

/**
 * tshark's Info prefixes for a packet, in the order the Info column shows them (the last added
 * first), e.g. ["TCP ACKed unseen segment", "TCP Fast Retransmission"].
 */
export function infoPrefixes(flags: number, dupAckFrame: number, dupAckNum: number): string[] {
  const out: string[] = [];
  for (const f of ANALYSIS_FLAGS) {
    if (!(flags & f.bit)) continue;
    out.push(f.bit === A_DUPLICATE_ACK ? `TCP Dup ACK ${dupAckFrame}#${dupAckNum}` : f.info);
  }
  return out.reverse();
}
