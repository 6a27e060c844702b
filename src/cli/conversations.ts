// `wiretrace conversations FILE` (tshark -q -z conv,tcp -z conv,udp): one table per protocol.

import { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';
import { openCapture, type CaptureReader, type OpenOptions } from '../capture/open.js';
import { Dissection, type Packet } from '../dissect/chain.js';
import { ALL_DISSECTORS, defaultRegistry } from '../../dissectors/index.js';
import { Registry } from '../dissect/registry.js';
import type { Frame } from '../capture/types.js';
import { LeanFeeder } from '../analysis/conv-fast.js';
import { warmupFrames } from '../analysis/conv-warm.js';
import { TcpTracker, type TrackerOptions } from '../analysis/tcp/tracker.js';
import { ConversationTable, sortConversations, type ConversationRows } from '../analysis/conversations.js';
import { fmtDur } from '../analysis/tcp/time.js';
import { BoxTable } from '../output/box-table.js';
import { useColor } from '../output/color.js';
import { EXIT_OK, inputError, printResult, UsageError, UserError } from './errors.js';
import { defaultAnalyzers } from './analyzers.js';
import { displayFilterFrom } from './output-options.js';
import type { CliIO } from './read.js';

/**
 * The registry for commands that read only the link, IP, TCP and UDP layers (conversations):
 * without the application dissectors (HTTP, SSDP, DNS, DHCP, QUIC, SIP, RTP, RTCP) and IGMP (it carries neither TCP nor UDP), which cost ~15-20% of the chain and add nothing
 * to endpoints, frames, bytes or the TCP analysis. (DNS's, QUIC's, SIP's and RTP's UDP heuristics would also send
 * every UDP frame down the chain instead of the lean path.)
 */
export function transportRegistry(): Registry {
  return new Registry(ALL_DISSECTORS.filter((d) => d.proto !== 'http' && d.proto !== 'dns' && d.proto !== 'ssdp' && d.proto !== 'dhcp' && d.proto !== 'igmp' && d.proto !== 'quic' && d.proto !== 'sip' && d.proto !== 'rtp' && d.proto !== 'rtcp'));
}

/**
 * Open `file`, run `body` on its reader and close it: an input error (bad path, not a capture) is thrown
 * as a UserError; a damaged file's error (after everything before it was handed out) is returned.
 */
async function withCapture(file: string, options: OpenOptions, body: (reader: CaptureReader) => Promise<void>): Promise<UserError | null> {
  let reader;
  try {
    reader = await openCapture(file, options);
  } catch (e) {
    throw inputError(e, file) ?? e;
  }
  try {
    await body(reader);
    return null;
  } catch (e) {
    const u = inputError(e, file);
    if (u === null) throw e;
    return u;
  } finally {
    await reader.close?.();
  }
}

/**
 * Read a whole capture, handing each frame to `each`; a damaged file ends the run with `error` (frames
 * before it kept). `reuse`: `each` keeps nothing of a frame after it returns (see OpenOptions.reuse).
 */
export async function readFrames(file: string, each: (frame: Frame) => void, reuse = false): Promise<{ error: UserError | null; packets: number }> {
  let n = 0;
  const error = await withCapture(file, { reuse }, async (reader) => {
    for await (const batch of reader) {
      for (let i = 0; i < batch.length; i++) {
        each(batch[i]);
        n++;
      }
    }
  });
  return { error, packets: n };
}

/**
 * readFrames() with reuse for a LeanFeeder: the packets of a pcap or pcapng file go to
 * feeder.record() without Frame objects (CaptureReader.scan), the few a decoder gives as Frames
 * (and those read with the file header) to feeder.frame().
 */
export async function scanFrames(file: string, feeder: LeanFeeder, readSize = 256 << 10): Promise<{ error: UserError | null }> {
  // reads of 256 KiB: fewer calls (a record scan costs less than a read's overhead here)
  const error = await withCapture(file, { reuse: true, readSize }, async (reader) => {
    await reader.scan(feeder, (batch) => {
      for (let i = 0; i < batch.length; i++) feeder.frame(batch[i]);
    });
  });
  return { error };
}

/** Read a whole capture through the dissector chain, handing each packet to `each`. */
export async function analyseFile(
  file: string,
  each: (pkt: Packet) => void,
  registry: Registry = defaultRegistry(),
): Promise<{ error: UserError | null; packets: number }> {
  const dis = new Dissection(registry);
  return readFrames(file, (f) => each(dis.dissect(f)));
}

/** A byte count the way the tables show it (B up to 9999, then kB, then MB). */
function bytes(t: BoxTable, n: number): void {
  if (n < 10_000) t.int(n).text(' B').end();
  else if (n < 10_000_000) t.text((n / 1e3).toFixed(1)).text(' kB').end();
  else t.text((n / 1e6).toFixed(1)).text(' MB').end();
}

function endpoint(t: BoxTable, addr: string, port: number): void {
  if (addr.includes(':')) t.text('[').text(addr).text(']:').int(port).end();
  else t.text(addr).text(':').int(port).end();
}

/** The table of one protocol as UTF-8 bytes (title line, then the box). */
export function conversationTable(proto: 'tcp' | 'udp', list: ConversationRows, color: boolean, filter?: string): Buffer {
  const head = ['#', 'A', 'B', 'A→B pkts', 'A→B bytes', 'B→A pkts', 'B→A bytes', 'Start (s)', 'Duration'];
  if (proto === 'tcp') head.push('Handshake RTT', 'End', 'Retrans', 'Zero win');
  const t = new BoxTable(head, list.length);
  for (let i = 0; i < list.length; i++) {
    const c = list.row(i);
    t.int(c.id).end();
    endpoint(t, c.addrA, c.portA);
    endpoint(t, c.addrB, c.portB);
    t.int(c.framesAB).end();
    bytes(t, c.bytesAB);
    t.int(c.framesBA).end();
    bytes(t, c.bytesBA);
    t.cell(c.start.toFixed(6));
    t.cell(fmtDur(c.duration * 1e9));
    const x = c.tcp;
    if (x !== undefined && proto === 'tcp') {
      t.cell(x.handshakeRtt === null ? '—' : fmtDur(x.handshakeRtt * 1e9));
      t.cell(x.end);
      t.int(x.retransmissions).end();
      t.int(x.zeroWindows).end();
    }
  }
  const title = `${proto.toUpperCase()} conversations${filter === undefined ? '' : ` (filter: ${filter})`}: ${list.length}`;
  return t.bytes(color, color ? '\x1b[1m' + title + '\x1b[0m' : title);
}

/** A summaryOnly tracker reads no TCP option: the lean decoder skips them. */
const LEAN_OPTS = { tcpOptions: false };

/** The warm-up's second tracker: every limit tiny (the real table never uses these). */
const WARM_LIMITS: TrackerOptions = { summaryOnly: true, maxStreams: 3, maxUnacked: 3, idleTimeout: 20, closedGrace: 1, sweepEvery: 16 };

export async function runConversations(file: string, opts: { z?: string[]; outputFormat?: string; color?: boolean }, io: CliIO): Promise<number> {
  let tcp = true, udp = true;
  /** tshark's -z conv,PROTO,FILTER: only the packets the filter passes count. */
  const filterText: { tcp?: string; udp?: string } = {};
  if (opts.z && opts.z.length) {
    tcp = udp = false;
    for (const z of opts.z) {
      const m = /^conv,(tcp|udp)(?:,(.*))?$/s.exec(z);
      if (!m) throw new UsageError(`-z ${z}: supported statistics are conv,tcp and conv,udp (each with ,FILTER if you like)`);
      const proto = m[1] as 'tcp' | 'udp';
      if (proto === 'tcp' ? tcp : udp) throw new UsageError(`-z ${z}: conv,${proto} is given twice`);
      if (proto === 'tcp') tcp = true;
      else udp = true;
      if (m[2] !== undefined && m[2].trim() !== '') filterText[proto] = m[2];
    }
  }
  const fmt = opts.outputFormat ?? 'table';
  if (fmt !== 'table' && fmt !== 'json' && fmt !== 'text') throw new UsageError(`-T ${fmt}: conversations prints table (default) or json`);
  // TCP summaries by the tracker's rules without its per-packet analysis (summaryOnly).
  const conv = new ConversationTable({ tcp, udp, tracker: new TcpTracker({ summaryOnly: true }) });
  const out: TablesOut = { want: { tcp, udp }, filters: filterText, fmt, color: opts.color };
  if (filterText.tcp !== undefined || filterText.udp !== undefined) return runFiltered(file, conv, out, io);
  // The lean decoder where it can, the chain (without the application dissectors) where it cannot:
  // the same packets reach the table either way (test/analysis/conversations-fast.test.ts).
  const registry = transportRegistry();
  const newDissection = (r: Registry) => new Dissection(r);
  // JIT warm-up on a throwaway table (conv-warm.ts): ~150 synthetic frames, a few ms.
  // Twice: with the real limits, then with tiny ones so that the sweep, eviction and unacked-cap
  // branches run too.
  // The frames go in as records (LeanFeeder.record, the path of pcap and pcapng files), µs then
  // ns, and as Frames (the path of the frames read with the file header, and of other units).
  const warmFrames = warmupFrames();
  const warmTables: ConversationTable[] = [];
  const warmTrackers = [new TcpTracker({ summaryOnly: true }), new TcpTracker(WARM_LIMITS), new TcpTracker({ summaryOnly: true })];
  for (let w = 0; w < warmTrackers.length; w++) {
    const warmTable = new ConversationTable({ tcp: true, udp: true, tracker: warmTrackers[w] });
    const warm = new LeanFeeder(warmTable, registry, newDissection, LEAN_OPTS);
    if (w === 0) warmTables.push(warmTable);
    if (w === 2) {
      for (const f of warmFrames) warm.frame(f);
      continue;
    }
    const ns = w === 1;
    warm.iface({ linkType: 1, snaplen: 262144, tsPrecision: ns ? 9 : 6 });
    for (const f of warmFrames) {
      const frac = Number(f.ts % 1_000_000_000n);
      warm.record(f.data, 0, f.data.length, f.origLen, Number(f.ts / 1_000_000_000n), ns ? frac : Math.floor(frac / 1000), f.index);
    }
  }
  // and the table's own code, which otherwise runs cold over thousands of rows at the end
  for (const t of warmTables) {
    t.finish();
    conversationTable('tcp', t.tcpRows(), false);
    conversationTable('udp', t.udpRows(), false);
  }
  // the table keeps counts and address strings, never frame bytes: the reader may recycle its
  // buffers, and pcap and pcapng records go to the lean decoder straight from them (no Frame objects)
  const res = await scanFrames(file, new LeanFeeder(conv, registry, newDissection, LEAN_OPTS));
  await printConversations(conv, out, io);
  if (res.error) throw res.error;
  return EXIT_OK;
}

/**
 * `-z conv,PROTO,FILTER`: every packet through the whole dissector chain and read's analyzers (a
 * filter may read any field, tcp.analysis.* and http.* among them); the table's tracker sees every
 * packet (stream numbers, handshakes, retransmissions as without a filter), and a packet counts in
 * a table's frames, bytes, start and duration when that table's filter passes it, as in tshark.
 */
async function runFiltered(file: string, conv: ConversationTable, out: TablesOut, io: CliIO): Promise<number> {
  const registry = defaultRegistry();
  const analyzers = defaultAnalyzers(registry);
  const compile = (proto: 'tcp' | 'udp') => {
    const t = out.filters[proto];
    return t === undefined ? null : displayFilterFrom({ displayFilter: t }, registry, analyzers, `-z conv,${proto},…`)!;
  };
  const tcpF = compile('tcp'), udpF = compile('udp');
  if (tcpF !== null) conv.countTcpFiltered();
  const res = await analyseFile(
    file,
    (pkt) => {
      for (const a of analyzers) a.packet(pkt);
      conv.packetCounted(pkt, tcpF === null || tcpF.test(pkt), udpF === null || udpF.test(pkt));
    },
    registry,
  );
  for (const a of analyzers) a.finish?.();
  await printConversations(conv, out, io);
  if (res.error) throw res.error;
  return EXIT_OK;
}

/** What `conversations` prints: which tables, with which -z filters, as a table or JSON, in colour or not. */
interface TablesOut {
  want: { tcp: boolean; udp: boolean };
  filters: { tcp?: string; udp?: string };
  fmt: string;
  color: boolean | undefined;
}

/** The tables (or the JSON document) of `conv` on stdout. */
async function printConversations(conv: ConversationTable, o: TablesOut, io: CliIO): Promise<void> {
  const { want: { tcp, udp }, filters, fmt } = o;
  conv.finish();
  if (fmt === 'json') {
    const out: Record<string, unknown> = {};
    if (filters.tcp !== undefined || filters.udp !== undefined) out.filters = filters;
    if (tcp) out.tcp = sortConversations(conv.tcpConversations());
    if (udp) out.udp = sortConversations(conv.udpConversations());
    const st = conv.tracker.stats;
    out.tracker = { streams: st.streams, expired: st.expired, evicted: st.evicted, unackedCapHits: st.unackedCapHits };
    await printResult(io.stdout, JSON.stringify(out, null, 2) + '\n');
  } else {
    const color = useColor(io.stdout, o.color, io.env);
    const parts: Buffer[] = [];
    if (tcp) parts.push(conversationTable('tcp', conv.tcpRows(), color, filters.tcp));
    if (udp) {
      if (parts.length) parts.push(Buffer.from('\n'));
      parts.push(conversationTable('udp', conv.udpRows(), color, filters.udp));
    }
    const st = conv.tracker.stats;
    if (st.expired || st.evicted || st.unackedCapHits || st.goneDropped) {
      parts.push(Buffer.from(`note: tracker limits reached: ${st.expired} idle streams expired, ${st.evicted} evicted, ${st.unackedCapHits} segments not tracked (unacked list full), ${st.goneDropped} ended streams no longer checked for port reuse\n`));
    }
    await printResult(io.stdout, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }
}

/**
 * V8's young generation doubles (1 → 16 MB a half) whenever as much as it holds has survived
 * since it last grew. In `conversations` almost everything that survives is stream state that
 * lives to the end anyway, so the growth only buys fresh pages (a page fault each: ~11 µs on the
 * benchmark VM) and copies. Kept at its first size: the benchmark's conversations 0.506 → 0.495 s
 * (15 alternating runs, medians), peak RSS 82 → 71 MB, 2,800 fewer page faults; the packet table,
 * whose garbage is short-lived, is slower that way (2.2 → 2.5 s), so only this command does it.
 * V8 reads this flag when the young generation would grow (set after start-up, the bundle's
 * code cache stays valid: a flag on the command line would make V8 reject it). Process-wide, so
 * only when the command is the process (CliIO.ownsProcess), not when a test calls main().
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

export function conversationsCommand(io: CliIO, done: (code: number) => void): Command {
  return new Command('conversations')
    .description('TCP and UDP conversations: endpoints, packets and bytes each way, start, duration; for TCP handshake RTT, how it ended, retransmissions, zero windows (like tshark -z conv,tcp)')
    .argument('<file>', 'capture file (pcap or pcapng; - for standard input)')
    .option('-z <stat>', 'conv,tcp or conv,udp (repeatable; default both); conv,tcp,FILTER counts only the packets a display filter passes, as tshark does', (v: string, acc: string[]) => acc.concat(v), [] as string[])
    .option('-T, --output-format <fmt>', 'table (default) or json')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(async (file: string, opts: { z?: string[]; outputFormat?: string; color?: boolean }) => {
      if (io.ownsProcess === true) keepYoungGenerationSmall();
      done(await runConversations(file, { ...opts, color: opts.color === false ? false : undefined }, io));
    });
}
