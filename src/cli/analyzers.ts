// The stateful analyzers `wiretrace read` (and `capture`) run on every packet, in this order,
// between dissection and output (see src/pipeline.ts for the Analyzer contract):
//   1. frame.time_relative / frame.time_delta,
//   2. the TCP tracker (tcp.stream, relative seq/ack, tcp.analysis.*),
//   3. TCP reassembly with HTTP/DNS message parsing on the completing frame (reads the tracker's ann),
//   4. DNS query/response pairing (dns.response_in / response_to / time), UDP and reassembled TCP,
//   5. ICMP echo pairing, 6. frame.protocols (from the final layers).
// Streaming commands keep no per-transaction history (keep: false), so memory stays bounded.

import { dnsTransactionAnalyzer, DnsTransactions } from '../analysis/dns-transactions.js';
import { TcpApp, tcpAppAnalyzer } from '../analysis/http/app.js';
import { icmpEchoAnalyzer } from '../analysis/icmp-echo.js';
import { frameTimesAnalyzer } from '../analysis/frame-times.js';
import { frameProtocolsAnalyzer } from '../analysis/frame-protocols.js';
import { tcpAnalyzer, TCP_ANALYSIS_KEYS } from '../analysis/tcp/analyzer.js';
import type { Registry } from '../dissect/registry.js';
import type { TrackerOptions } from '../analysis/tcp/tracker.js';
import type { Analyzer } from '../pipeline.js';
import type { KeyLog } from '../analysis/tls/decrypt.js';

export { TCP_ANALYSIS_KEYS, tcpAnalyzer };

/**
 * `limits`: other tracker limits (the JIT warm-up's tiny ones, src/cli/read-warmup.ts); `keylog`: a TLS
 * key log (-o tls.keylog_file), to decrypt TLS with.
 */
export function defaultAnalyzers(registry?: Registry, limits: TrackerOptions = {}, keylog: KeyLog | null = null): Analyzer[] {
  const dns = new DnsTransactions();
  dns.keep = false;
  // keepSummaries: false: a streaming read needs no per-stream summaries after the run (memory stays bounded)
  const tcp = tcpAnalyzer({ ...limits, keepSummaries: false });
  const app = new TcpApp({ registry, keep: false, keylog }).follow(tcp.tracker);
  // frame times first: independent of the others, and -e frame.time_* then needs no other analyzer
  // frame.protocols last: it lists the layers the others add
  return [frameTimesAnalyzer(), tcp, tcpAppAnalyzer(app), dnsTransactionAnalyzer(dns), icmpEchoAnalyzer(), frameProtocolsAnalyzer()];
}
