// `wiretrace read FILE|-`: read a capture file (or stdin) and print it.

import { Command, Option } from 'commander';
import type { Writable } from 'node:stream';
import { openCapture } from '../capture/open.js';
import { Dissection } from '../dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { createSink, quietSink } from '../output/sink.js';
import { phsAnalyzer, ProtocolHierarchy } from '../analysis/phs.js';
import { FollowStat } from './follow.js';
import type { TcpAnalyzer } from '../analysis/tcp/analyzer.js';
import { ConversationTable, EndpointTable, IO_USERS_TYPES, ioUsersAnalyzer, RelativeClock, type IoUsersType } from '../analysis/iousers.js';
import { STATS_TREES, StatsTreeStat, statsTreeAnalyzer, type StatsTreeName } from '../analysis/stats-trees.js';
import { ExpertStat, expertAnalyzer, expertFieldsAnalyzer, namesExpert, parseExpertArg } from '../analysis/expert.js';
import { IoStat, ioStatAnalyzer, IoStatClock, IoStatError, parseIoStat, type IoStatSpec } from '../analysis/iostat.js';
import { frameDissector } from '../dissect/frame.js';
import { writeWhole } from '../output/writer.js';
import { analyzersFor, runPipeline, type Analyzer } from '../pipeline.js';
import { wantWarmup, warmUp } from './read-warmup.js';
import { defaultAnalyzers } from './analyzers.js';
import { addKeyLogOptions, keyLogFrom, type RawKeyLogOptions } from './keylog.js';
import type { TcpApp } from '../analysis/http/app.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, inputError, UsageError, UserError } from './errors.js';
import { copyFrames, openSave, SaveSink, savePlan, type RawSaveOptions } from './read-save.js';
import { dropPrivileges, PrivilegeError } from '../capture/privileges.js';
import { CaptureWriteError } from '../capture/write.js';
import {
  addDecodeAsOption,
  addOutputOptions,
  applyDecodeAs,
  displayFilterFrom,
  knownFieldKeys,
  parseCount,
  sinkOptionsFrom,
  type RawOutputOptions,
} from './output-options.js';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /**
   * The command is the whole process (the wiretrace binary, not a test calling main()): it may tune
   * what is process-wide, such as V8's garbage collector for its workload.
   */
  ownsProcess?: boolean;
}

/** read's own options beyond the output and -w ones. */
interface RawStatOptions {
  z?: string[];
  quiet?: boolean;
}

/** A -z statistic: what it prints after the packets. */
interface Stat {
  text(): string;
}

const IOUSERS = /^(conv|endpoints),([a-z0-9]+)(?:,(.*))?$/s;

/**
 * -z statistics, as tshark: io,phs[,FILTER] (protocol hierarchy), conv,TYPE[,FILTER] and
 * endpoints,TYPE[,FILTER] (TYPE eth, ip, ipv6, tcp or udp), io,stat,INTERVAL[,COLUMN]…, follow,tcp,
 * NAME,tree[,FILTER] (stats trees), expert[,LEVEL][,FILTER] (expert information). `bodies`: one of them reads HTTP bodies (the hierarchy counts their
 * media types; a filter may read them). `yNames`: the names -Y reads (an io,stat calculation sees the
 * values of the fields a filter of the run names). `notes`: lines for stderr.
 */
function statsFrom(
  raw: RawStatOptions,
  registry: ReturnType<typeof defaultRegistry>,
  analyzers: readonly Analyzer[],
  yNames: readonly string[] = [],
): { tables: Stat[]; analyzers: Analyzer[]; bodies: boolean; notes: string[] } {
  const tables: Stat[] = [];
  const extra: Analyzer[] = [];
  let bodies = false;
  const clock = new RelativeClock();
  // every name a display filter of the run reads
  const named = new Set(yNames);
  const filterOf = (text: string, what: string) => {
    if (text === '') return null;
    const f = displayFilterFrom({ displayFilter: text }, registry, analyzers, `-z ${what}`);
    for (const n of f?.names ?? []) named.add(n);
    return f;
  };
  const ioClock = new IoStatClock();
  const ioStats: IoStat[] = [];
  for (const z of raw.z ?? []) {
    if (z.startsWith('io,stat,') || z === 'io,stat') {
      const s = ioStatFrom(z, registry, analyzers, filterOf, clock, ioClock);
      tables.push(s);
      extra.push(ioStatAnalyzer(s));
      ioStats.push(s);
      if (s.spec.columns.some((c) => c.filter.trim() !== '' || c.field !== null)) bodies = true;
      continue;
    }
    const phs = /^io,phs(?:,(.*))?$/s.exec(z);
    if (phs !== null) {
      const text = phs[1] ?? '';
      const h = new ProtocolHierarchy(text);
      tables.push(h);
      extra.push(phsAnalyzer(h, filterOf(text, 'io,phs')));
      bodies = true;
      continue;
    }
    const iu = IOUSERS.exec(z);
    if (iu !== null && (IO_USERS_TYPES as readonly string[]).includes(iu[2])) {
      const type = iu[2] as IoUsersType;
      const text = iu[3] ?? '';
      const t = iu[1] === 'conv' ? new ConversationTable(type, text) : new EndpointTable(type, text);
      tables.push(t);
      extra.push(ioUsersAnalyzer(t, clock, filterOf(text, `${iu[1]},${type}`)));
      continue;
    }
    const fol = /^follow,([a-z0-9]+),([a-z]+),(.+)$/s.exec(z);
    if (fol !== null) {
      if (fol[1] !== 'tcp') throw new UsageError(`bad -z ${z}: read follows tcp streams (follow,tcp,MODE,STREAM)`);
      if (fol[2] !== 'ascii' && fol[2] !== 'hex' && fol[2] !== 'raw') throw new UsageError(`bad -z ${z}: the mode is ascii, hex or raw`);
      const tcp = analyzers.find((a): a is TcpAnalyzer => 'tracker' in a);
      if (tcp === undefined) throw new Error('read: no TCP tracker among the analyzers');
      let f: FollowStat;
      try {
        f = new FollowStat(fol[2], fol[3]);
      } catch (e) {
        if (e instanceof UsageError) throw new UsageError(`bad -z ${z}: the stream is a tcp.stream index or ADDRESS:PORT,ADDRESS:PORT`);
        throw e;
      }
      f.hook(tcp.tracker);
      tables.push(f);
      // runs nothing itself (the tracker feeds it); being there keeps the TCP tracker running under -q
      extra.push({ name: 'follow', packet() {} });
      continue;
    }
    const ex = parseExpertArg(z);
    if (ex !== null) {
      const s = new ExpertStat(ex.level);
      tables.push(s);
      extra.push(expertAnalyzer(s, filterOf(ex.filter, 'expert')));
      continue;
    }
    // stats_tree statistics: http,tree  http_req,tree  http_srv,tree  dns,tree  plen,tree  ptype,tree
    const tree = /^([a-z_]+),tree(?:,(.*))?$/s.exec(z);
    if (tree !== null) {
      if (!(STATS_TREES as readonly string[]).includes(tree[1])) throw new UsageError(`bad -z ${z}: read knows the trees ${STATS_TREES.map((t) => `${t},tree`).join(', ')}`);
      const text = tree[2] ?? '';
      const t = new StatsTreeStat(tree[1] as StatsTreeName);
      tables.push(t);
      extra.push(statsTreeAnalyzer(t, (pkt) => clock.rel(pkt), filterOf(text, `${tree[1]},tree`)));
      continue;
    }
    const types = IO_USERS_TYPES.join('|');
    if (iu !== null) throw new UsageError(`bad -z ${z}: ${iu[1]},TYPE takes TYPE ${IO_USERS_TYPES.join(', ')}`);
    throw new UsageError(`bad -z ${z}: read knows io,phs[,FILTER], io,stat,INTERVAL[,FILTER]…, conv,${types}[,FILTER], endpoints,${types}[,FILTER], follow,tcp,ascii|hex|raw,STREAM, expert[,LEVEL][,FILTER] and NAME,tree[,FILTER] (NAME ${STATS_TREES.join(', ')})`);
  }
  const notes: string[] = [];
  for (const s of ioStats) {
    s.prime(named);
    for (const c of s.unprimed()) {
      const field = /\((.*?)\)/.exec(c)![1];
      notes.push(`wiretrace: note: -z ${s.source}: no display filter names ${field}, so ${c} counts nothing (as in tshark); name it in the column's filter: ${c.slice(0, c.indexOf(')') + 1)}${field}`);
    }
  }
  return { tables, analyzers: extra, bodies, notes };
}

/** One -z io,stat,…: its columns' filters compiled, and their fields' values read as a filter reads them. */
function ioStatFrom(
  z: string,
  registry: ReturnType<typeof defaultRegistry>,
  analyzers: readonly Analyzer[],
  filterOf: (text: string, what: string) => ReturnType<typeof displayFilterFrom>,
  clock: RelativeClock,
  ioClock: IoStatClock,
): IoStat {
  const protocols = new Set(registry.dissectors.flatMap((d) => [d.proto, ...(d.filterProtos ?? [])]));
  protocols.add(frameDissector.proto);
  let spec: IoStatSpec;
  try {
    spec = parseIoStat(z, protocols);
  } catch (e) {
    if (e instanceof IoStatError) throw new UsageError(`bad -z ${z}: ${e.message}`);
    throw e;
  }
  const probes = spec.columns.map((c) => {
    const field = c.field;
    // the field alone as a filter: its occurrences, every one, as the filter machinery finds them
    const f = field === null ? null : displayFilterFrom({ displayFilter: field }, registry, analyzers, `-z ${z}`)!;
    return {
      filter: filterOf(c.filter.trim(), 'io,stat'),
      values: f === null ? null : (pkt: Parameters<typeof f.test>[0]) => f.occurrences(pkt, field!),
    };
  });
  return new IoStat(z, spec, probes, clock, ioClock);
}

/**
 * Print what the -z statistics gathered (after the packets; the last -z first, as tshark). Every text is
 * made before the first is written: one that cannot be made (io,stat over too many intervals) is an
 * error with nothing printed.
 */
async function writeStats(tables: readonly Stat[], io: CliIO): Promise<void> {
  const texts: string[] = [];
  for (let i = tables.length - 1; i >= 0; i--) {
    try {
      texts.push(tables[i].text());
    } catch (e) {
      if (e instanceof IoStatError) throw new UsageError(`bad -z ${(tables[i] as IoStat).source}: ${e.message}`);
      throw e;
    }
  }
  for (const t of texts) {
    const e = await writeWhole(io.stdout, t);
    if (e !== null) throw new UserError(`cannot write the output: ${e.message}`);
  }
}

export async function runRead(file: string, raw: RawOutputOptions & RawSaveOptions & RawStatOptions & RawKeyLogOptions, io: CliIO): Promise<number> {
  const registry = defaultRegistry();
  applyDecodeAs(registry, raw.decodeAs);
  const base = defaultAnalyzers(registry, {}, keyLogFrom(raw));
  // the _ws.expert fields: only for a run whose -e, -Y or a -z filter names them (nothing on any other run's path)
  if (namesExpert(raw.field, [raw.displayFilter ?? '', ...(raw.z ?? [])].join('\n'))) base.push(expertFieldsAnalyzer());
  const sinkOpts = sinkOptionsFrom(raw, io.stdout, knownFieldKeys(registry, base), io.env);
  const count = parseCount(raw.count);
  const filter = displayFilterFrom(raw, registry, base);
  const plan = savePlan(raw, file);
  if (raw.quiet && plan !== null && raw.print) throw new UsageError('-q and -P: choose one (-q prints no packets)');
  const stats = statsFrom(raw, registry, base, filter?.names);
  for (const n of stats.notes) io.stderr.write(n + '\n');
  if (stats.tables.length > 0 && plan?.path === '-') throw new UsageError('-w - writes the capture to standard output: -z would print its statistics into it');
  // the statistics read every packet's final layers: they run after every other analyzer
  const analyzers = stats.analyzers.length > 0 ? [...base, ...stats.analyzers] : base;

  let reader;
  try {
    // -w alone copies records and keeps none: the reader may read into its old buffers again
    reader = await openCapture(file, plan !== null && filter === null && !raw.print && stats.tables.length === 0 ? { reuse: true } : {});
  } catch (e) {
    throw inputError(e, file) ?? e;
  }
  // Under sudo, the rest runs as the invoking user (as tcpdump -r does): packets are not parsed as
  // root, and a -w file is created by, and belongs to, that user. Only when the command is the
  // whole process (a test calling main() must not drop the test runner's root).
  if (io.ownsProcess) {
    try {
      dropPrivileges({ env: io.env });
    } catch (e) {
      await reader.close();
      if (e instanceof PrivilegeError) throw new UserError(e.message.replace(/^wiretrace: /, ''), EXIT_USAGE);
      throw e;
    }
  }
  if (plan !== null) return saveRead(file, plan, raw, reader, io, { registry, analyzers, sinkOpts, count, filter, stats: stats.tables });
  const setup = (dissection: Dissection, analyzers: readonly Analyzer[]): void => {
    if (sinkOpts.format !== 'table' || sinkOpts.hex) return;
    // the packet table reads no HTTP bodies (a hex dump shows reassembled bodies: it needs them;
    // so may a display filter: `http contains …`, http.file_data)
    // (nor do the statistics: the hierarchy counts the media types of bodies)
    if (filter === null && !stats.bodies) for (const a of analyzers) if ('app' in a) (a.app as TcpApp).sparse = true;
    // and shows checksum errors only as a row colour (a filter may test a checksum status)
    if (!sinkOpts.color && (filter === null || !filter.names.some((n) => n.includes('checksum')))) dissection.state.checksums = false;
  };
  const sink = raw.quiet ? quietSink() : createSink(sinkOpts, io.stdout);
  // JIT warm-up on a throwaway pipeline (src/analysis/read-warm.ts), for a capture big enough to
  // gain, when the analyzers run (-T fields of header keys only, such as ip.src and
  // frame.time_epoch, needs none of them: there the warm-up cost more than it saved), and not for
  // a few packets (-c 100 of a big file is done before V8 would optimise anything)
  if (analyzersFor(analyzers, sink, filter).length > 0 && wantWarmup(reader.fileSize, io.env, count)) await warmUp(registry, sinkOpts, filter, setup);
  const dissection = new Dissection(registry);
  setup(dissection, analyzers);
  const res = await runPipeline({ source: reader, dissection, analyzers, sink, count, filter });
  // a write error (a full disk) is one; the reader of our output going away (| head) is not
  if (sink.error) throw new UserError(`cannot write the output: ${sink.error.message}`);
  if (res.broken) return EXIT_OK;
  // a damaged file: the statistics of what was read, then the error (as tshark); none when not a
  // packet could be read (tshark stops before its taps report)
  if (res.error === null || res.packets > 0) await writeStats(stats.tables, io);
  if (res.error !== null) throw inputError(res.error, file) ?? res.error;
  return EXIT_OK;
}

/** `read … -w FILE`: write the packets (those -Y passes) to FILE; print them too with -P. */
async function saveRead(
  file: string,
  plan: NonNullable<ReturnType<typeof savePlan>>,
  raw: RawOutputOptions & RawSaveOptions,
  reader: Awaited<ReturnType<typeof openCapture>>,
  io: CliIO,
  o: {
    registry: ReturnType<typeof defaultRegistry>;
    analyzers: readonly Analyzer[];
    sinkOpts: ReturnType<typeof sinkOptionsFrom>;
    count: number;
    filter: ReturnType<typeof displayFilterFrom>;
    stats: readonly Stat[];
  },
): Promise<number> {
  let bytes;
  try {
    bytes = openSave(plan, io.stdout);
  } catch (e) {
    await reader.close();
    if (e instanceof CaptureWriteError) throw new UserError(e.message, EXIT_INPUT);
    throw e;
  }
  const display = raw.print ? createSink(o.sinkOpts, io.stdout) : null;
  const sink = new SaveSink(bytes, plan, reader, display);
  const { error, packets } =
    display === null && o.filter === null && o.stats.length === 0
      ? await copyFrames(reader, sink, o.count)
      : await runPipeline({ source: reader, dissection: new Dissection(o.registry), analyzers: o.analyzers, sink, count: o.count, filter: o.filter });
  const fail = sink.failure();
  if (fail !== null) throw fail;
  if (error === null || packets > 0) await writeStats(o.stats, io);
  if (display?.error) throw new UserError(`cannot write the output: ${display.error.message}`);
  if (error !== null && !sink.broken) throw inputError(error, file) ?? error;
  return EXIT_OK;
}

export function readCommand(io: CliIO, done: (code: number) => void): Command {
  const cmd = new Command('read')
    .description('read a capture file (pcap or pcapng; - for standard input) and print its packets')
    .argument('[file]', 'capture file, or - for standard input');
  addOutputOptions(cmd);
  addDecodeAsOption(cmd);
  addKeyLogOptions(cmd);
  cmd
    .option('-w, --write <file>', 'write the packets (those -Y passes, up to -c) to FILE instead of printing them: pcapng, classic pcap for *.pcap or -F pcap; - for standard output')
    .addOption(new Option('-F, --file-format <format>', 'format for -w').choices(['pcap', 'pcapng']))
    .addOption(new Option('--time-stamp-precision <p>', 'timestamps in a classic pcap file (-F pcap); default: the input\'s').choices(['micro', 'nano']))
    .option('-P, --print', 'with -w: print the packets as well')
    .option('-z <stat>', 'statistics after the packets, as tshark: io,phs[,FILTER] (protocol hierarchy), io,stat,INTERVAL[,FILTER]… (frames and bytes per interval; a column may be COUNT|SUM|MIN|MAX|AVG|LOAD(FIELD)[FILTER]), conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE eth, ip, ipv6, tcp, udp), follow,tcp,ascii|hex|raw,STREAM (or A:P,B:Q), NAME,tree[,FILTER] (stats trees: http, http_req, http_srv, dns, plen, ptype), expert[,error|warn|note|chat|comment][,FILTER] (expert information); repeatable', (v: string, p: string[] | undefined) => (p ?? []).concat([v]))
    .option('-q, --quiet', 'print no packets (with -z: only the statistics)');
  cmd.addHelpText(
    'after',
    `
Examples:
  wiretrace read trace.pcap                          one line per packet
  wiretrace read -V -c 1 trace.pcapng                every field of the first packet
  wiretrace read -T fields -e ip.src -e tcp.dstport trace.pcap
  wiretrace read -Y 'http.request && ip.addr == 10.0.0.0/8' trace.pcap
  wiretrace read -Y dns -w dns.pcapng trace.pcap     save the DNS packets to a new capture
  wiretrace read -q -z io,phs trace.pcapng           protocol hierarchy statistics
  wiretrace read -q -z io,stat,1,tcp,udp t.pcap      frames and bytes per second: all, TCP, UDP
  wiretrace read -q -z conv,tcp -z endpoints,ip t.pcap  conversations and endpoints, as tshark
  wiretrace read -q -z http,tree -z dns,tree t.pcap  HTTP and DNS counters (tshark's stats trees)
  wiretrace read -o tls.keylog_file:keys.txt t.pcap  decrypt TLS (HTTPS shows as HTTP) with a key log
  wiretrace read -q -z expert,warn t.pcap            expert information: warnings and errors
  tcpdump -w - | wiretrace read -                    read a capture from standard input

Under sudo, wiretrace reads the file as root and then runs as the invoking user (as tcpdump -r
does): packets are never parsed as root, and a -w file belongs to you.`,
  );
  cmd.action(async (file: string | undefined, opts: RawOutputOptions, c: Command) => {
    if (file === undefined) {
      c.outputHelp({ error: true });
      done(EXIT_USAGE);
      return;
    }
    done(await runRead(file, opts, io));
  });
  return cmd;
}
