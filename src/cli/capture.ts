// `wiretrace capture`: live capture through libpcap, printed as packets arrive with every output
// format of `read`, optionally written to a pcap/pcapng file (or stdout with -w -).
//
// Order of operations (as tcpdump): open the device (root or CAP_NET_RAW needed) → drop to the
// invoking user (SUDO_UID/SUDO_GID or -Z) → open the output file → start parsing packets.
// Every packet that reaches JavaScript goes to the file writer first; the display pulls from a
// bounded queue and skips (and counts) rows it cannot keep up with.

import { Command, Option } from 'commander';
import * as fs from 'node:fs';
import { Writable } from 'node:stream';
import { defaultRegistry } from '../../dissectors/index.js';
import {
  defaultDevice,
  HOST_TS_DESCRIPTION,
  LIVE_SNAPLEN,
  LiveError,
  LiveQueue,
  LiveSource,
  unknownDeviceMessage,
} from '../capture/live.js';
import { canCapture, dropPrivileges, noPermissionMessage, PrivilegeError } from '../capture/privileges.js';
import type { Frame } from '../capture/types.js';
import { CaptureWriteError, CaptureWriter, formatForPath, openSink, type WriteFormat } from '../capture/write.js';
import { Dissection, type Packet } from '../dissect/chain.js';
import { TcpTracker, type TcpAnalysis, type TcpStream } from '../analysis/tcp/tracker.js';
import { createSink, type OutputSink } from '../output/sink.js';
import { endpointText, explainLines, TimelineWriter } from '../output/timeline.js';
import { useColor } from '../output/color.js';
import { OutputWriter } from '../output/writer.js';
import { runPipeline, type PipelineResult } from '../pipeline.js';
import { defaultAnalyzers } from './analyzers.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, UsageError, UserError } from './errors.js';
import {
  addDecodeAsOption,
  addOutputOptions,
  applyDecodeAs,
  knownFieldKeys,
  parseCount,
  displayFilterFrom,
  sinkOptionsFrom,
  type RawOutputOptions,
} from './output-options.js';
import type { CliIO } from './read.js';
import { capAndDevices, runInterfaces } from './interfaces.js';

export interface RawCaptureOptions extends RawOutputOptions {
  interface?: string;
  filter?: string;
  autostop?: string[];
  write?: string;
  fileFormat?: string;
  timeStampPrecision?: string;
  quiet?: boolean;
  listInterfaces?: boolean;
  user?: string;
  dropPrivileges?: boolean;
  bufferSize?: string;
  debug?: boolean;
  timeline?: boolean;
  explain?: boolean;
}

/**
 * Buffered display output that is handed to the stream once the current batch of packets has been
 * formatted (setImmediate), not only when 64 KiB have piled up: live rows appear as packets arrive.
 */
export class LiveWriter extends OutputWriter {
  private scheduled = false;
  override write(s: string): void {
    super.write(s);
    if (!this.scheduled && !this.broken) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }
}

/**
 * `capture --timeline`: the TCP tracker runs on each packet as it arrives and prints the follow
 * command's sliding-window timeline row for every TCP segment (all streams, a "Stream" column in
 * front), plus one line when a stream appears. Other packets are not shown.
 */
export class TimelineSink implements OutputSink {
  readonly tracker = new TcpTracker({ fields: false, keepSummaries: false, explain: true });
  private readonly writers: [TimelineWriter, TimelineWriter];
  private readonly announced = new WeakSet<TcpStream>();
  private headed = false;
  rows = 0;

  constructor(
    private readonly w: OutputWriter,
    private readonly color: boolean,
    private readonly explain = false,
  ) {
    this.writers = [new TimelineWriter(0, color), new TimelineWriter(1, color)];
    this.tracker.onPacket = (a, st) => this.row(a, st);
  }

  private row(a: TcpAnalysis, st: TcpStream): void {
    const tw = this.writers[st.client];
    let s = '';
    if (!this.headed) {
      this.headed = true;
      const h = 'Stream ' + tw.header();
      s += (this.color ? '\x1b[1m' + h + '\x1b[0m' : h) + '\n';
    }
    if (!this.announced.has(st)) {
      this.announced.add(st);
      const a0 = endpointText(st.addrA, st.portA), b0 = endpointText(st.addrB, st.portB);
      const [c, v] = st.client === 0 ? [a0, b0] : [b0, a0];
      const t = st.clientKnown ? `stream ${st.id}: client ${c} → server ${v}` : `stream ${st.id}: ${c} ↔ ${v} (no SYN seen: → is ${c} sending)`;
      s += (this.color ? '\x1b[1m' + t + '\x1b[0m' : t) + '\n';
    }
    s += String(st.id).padStart(6) + ' ' + tw.row(a) + '\n';
    if (this.explain) for (const l of explainLines(a)) s += l + '\n';
    this.rows++;
    this.w.write(s);
  }

  packet(pkt: Packet): void {
    this.tracker.packet(pkt);
  }
  drain(): Promise<void> | null {
    return this.w.drain();
  }
  end(): Promise<void> {
    return this.w.end();
  }
  get broken(): boolean {
    return this.w.broken;
  }
  get error(): Error | null {
    return this.w.error;
  }
}

/** `-a duration:SEC` → milliseconds (0 = none). Throws UsageError. */
export function parseAutostop(v: readonly string[] | undefined): number {
  let ms = 0;
  for (const a of v ?? []) {
    const m = /^duration:(\d+(?:\.\d+)?)$/.exec(a.trim());
    if (!m) throw new UsageError(`bad -a ${a}: expected duration:SECONDS (e.g. -a duration:10)`);
    ms = Math.round(Number(m[1]) * 1000);
  }
  return ms;
}

export async function runCapture(raw: RawCaptureOptions, io: CliIO): Promise<number> {
  if (raw.listInterfaces) return runInterfaces(io);

  // Options first: a usage mistake is reported before any privilege question.
  const registry = defaultRegistry();
  applyDecodeAs(registry, raw.decodeAs);
  const timeline = raw.timeline === true;
  if (timeline && (raw.format !== undefined || raw.verbose || (raw.field?.length ?? 0) > 0 || raw.hex)) {
    throw new UsageError('--timeline prints the TCP timeline instead of the packet display: drop -T, -V, -e and -x');
  }
  if (raw.explain && !timeline) throw new UsageError('--explain goes with --timeline (the rule behind each analysis flag)');
  // The timeline runs its own tracker (no fields); the packet display runs read's analyzers.
  const analyzers = timeline ? [] : defaultAnalyzers(registry);
  const sinkOpts = sinkOptionsFrom(raw, io.stdout, knownFieldKeys(registry, analyzers), io.env);
  const count = parseCount(raw.count);
  const filter = displayFilterFrom(raw, registry, analyzers);
  if (filter !== null && raw.write !== undefined) {
    throw new UsageError('-Y filters the packet display only, and -w writes every packet: choose what is captured with -f (BPF) instead');
  }
  if (filter !== null && timeline) throw new UsageError('-Y filters the packet display: it does not go with --timeline');
  const durationMs = parseAutostop(raw.autostop);
  let format: WriteFormat | undefined;
  if (raw.write !== undefined) {
    if (raw.fileFormat !== undefined && raw.fileFormat !== 'pcap' && raw.fileFormat !== 'pcapng') {
      throw new UsageError(`bad -F ${raw.fileFormat}: expected pcap or pcapng`);
    }
    format = (raw.fileFormat as WriteFormat | undefined) ?? formatForPath(raw.write);
  }
  const precision = raw.timeStampPrecision ?? 'micro';
  if (precision !== 'micro' && precision !== 'nano') {
    throw new UsageError(`bad --time-stamp-precision ${precision}: expected micro or nano`);
  }
  let bufSize = 32 << 20;
  if (raw.bufferSize !== undefined) {
    if (!/^\d+$/.test(raw.bufferSize)) throw new UsageError(`bad -B ${raw.bufferSize}: expected KiB, a whole number`);
    bufSize = Math.max(64, Number(raw.bufferSize)) * 1024;
  }
  // -w - writes the capture to stdout: the display would corrupt it, so it is off.
  const quiet = raw.quiet === true || raw.write === '-';

  const { cap, devs } = capAndDevices();
  const device = raw.interface ?? defaultDevice(devs);
  if (device === null) throw new UserError('no interface to capture on (see wiretrace interfaces)', EXIT_USAGE);
  if (!devs.some((d) => d.name === device)) {
    throw new UserError(unknownDeviceMessage(device, devs).replace(/^wiretrace: /, ''), EXIT_USAGE);
  }
  if (!canCapture()) throw new UserError(noPermissionMessage(device).replace(/^wiretrace: /, ''), EXIT_USAGE);

  let source: LiveSource;
  try {
    source = new LiveSource(cap, { device, filter: raw.filter, bufSize });
  } catch (e) {
    if (e instanceof LiveError) throw new UserError(e.message.replace(/^wiretrace: /, ''), EXIT_USAGE);
    throw e;
  }

  // Opened as root: drop to the invoking user before opening files or parsing packets.
  let writer: CaptureWriter | null = null;
  try {
    const dr = dropPrivileges({ user: raw.user, keep: raw.dropPrivileges === false, env: io.env });
    if (!dr.dropped && dr.reason === 'kept') {
      io.stderr.write('wiretrace: warning: --no-drop-privileges: still running as root while parsing packets\n');
    }
    if (raw.write !== undefined) {
      writer = new CaptureWriter(openSink(raw.write), {
        format: format!,
        precision: precision === 'nano' ? 'ns' : 'us',
        snaplen: LIVE_SNAPLEN,
        linkType: source.linkType,
        application: 'wiretrace',
        interfaces: [{ linkType: source.linkType, snaplen: LIVE_SNAPLEN, name: device, description: HOST_TS_DESCRIPTION, tsPrecision: 9 }],
      });
      writer.addInterface(0, { linkType: source.linkType, snaplen: LIVE_SNAPLEN, name: device, description: HOST_TS_DESCRIPTION, tsPrecision: 9 });
    }
  } catch (e) {
    source.close();
    if (e instanceof PrivilegeError) throw new UserError(e.message.replace(/^wiretrace: /, ''), EXIT_USAGE);
    if (e instanceof CaptureWriteError) throw new UserError(e.message, EXIT_INPUT);
    throw e;
  }
  if (raw.debug) {
    io.stderr.write(`wiretrace: debug: uid=${process.getuid?.()} gid=${process.getgid?.()} euid=${process.geteuid?.()}\n`);
  }
  io.stderr.write(
    `capturing on ${device}, link-type ${source.linkTypeName} (${source.linkType}), snapshot length ${LIVE_SNAPLEN} bytes; timestamps are host receive times\n`,
  );

  // Display: the read pipeline fed from a bounded queue.
  const queue = quiet ? null : new LiveQueue();
  const display = quiet ? null : new LiveWriter(displayStream(io));
  const sink = display === null ? null
    : timeline ? new TimelineSink(display, useColor(io.stdout, raw.color, io.env), raw.explain === true)
    : createSink(sinkOpts, display);
  const pipeline: Promise<PipelineResult> | null =
    queue && sink ? runPipeline({ source: queue, dissection: new Dissection(registry), analyzers, sink, filter }) : null;

  let captured = 0;
  let writeError: CaptureWriteError | null = null;
  let stopping = false;
  let flushScheduled = false;
  let resolveStop!: () => void;
  const stopped = new Promise<void>((r) => (resolveStop = r));

  const flush = () => {
    flushScheduled = false;
    if (!writer || writeError) return;
    try {
      writer.flush();
    } catch (e) {
      writeError = e as CaptureWriteError;
      stop();
    }
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    source.close();
    resolveStop();
  };

  source.start((f: Frame) => {
    if (stopping) return;
    captured++;
    if (writer && !writeError) {
      try {
        writer.write(f);
      } catch (e) {
        writeError = e as CaptureWriteError;
        stop();
        return;
      }
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    }
    queue?.push(f);
    if (count > 0 && captured >= count) stop();
  });

  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) queue?.close(); // a second Ctrl-C: stop drawing what is still queued
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = durationMs > 0 ? setTimeout(stop, durationMs) : null;
  // The display ending on its own (EPIPE: `| head`) stops the capture too, unless a file is written.
  pipeline?.then((r) => {
    if (r.broken && !writer) stop();
  });

  await stopped;
  if (timer) clearTimeout(timer);

  // Close the file first (whole records only), then let the display finish.
  let closeError: unknown = null;
  if (writer) {
    try {
      writer.close();
    } catch (e) {
      closeError = e;
    }
  }
  queue?.end();
  const res = pipeline ? await pipeline : null;
  // The signal handlers stay: a late Ctrl-C must not kill the process before it reports.

  let msg = `${captured} packet${captured === 1 ? '' : 's'} captured\n`;
  if (queue && res && !res.broken && res.packets < captured) {
    const notShown = captured - res.packets;
    msg += `${notShown} packet${notShown === 1 ? '' : 's'} not displayed (the display could not keep up${writer ? '; the file has every packet' : ''})\n`;
  }
  io.stderr.write(msg);
  const we = (writeError ?? closeError) as CaptureWriteError | null;
  if (we && we.code !== 'EPIPE') throw new UserError(`cannot write ${raw.write}: ${we.message.replace(/^write failed: /, '')}`, EXIT_INPUT);
  if (sink?.error) throw new UserError(`cannot write the output: ${sink.error.message}`, EXIT_INPUT);
  return EXIT_OK;
}

/**
 * Where the display writes. process.stdout on a pipe or file writes synchronously on Linux: a reader
 * that stops reading would block the whole process, and packets would pile up (and be dropped) in
 * the kernel. So the display writes fd 1 through an fs stream (writes run on libuv's thread pool)
 * and the capture goes on; backpressure reaches the display queue, which skips rows instead.
 */
function displayStream(io: CliIO): Writable {
  if (io.stdout === process.stdout && !process.stdout.isTTY) return new FdWritable(1);
  return io.stdout;
}

/** A Writable over a file descriptor: fs.write on the thread pool; EAGAIN (non-blocking pipe) waits and retries. */
class FdWritable extends Writable {
  constructor(private readonly fd: number) {
    super({ highWaterMark: 1 << 16, decodeStrings: true });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    let off = 0;
    const step = () => {
      fs.write(this.fd, chunk, off, chunk.length - off, null, (err, n) => {
        if (err) {
          if (err.code === 'EAGAIN') {
            setTimeout(step, 5);
            return;
          }
          cb(err);
          return;
        }
        off += n;
        if (off < chunk.length) step();
        else cb();
      });
    };
    step();
  }
}

function collect(v: string, prev: string[] | undefined): string[] {
  return (prev ?? []).concat([v]);
}

export function captureCommand(io: CliIO, done: (code: number) => void): Command {
  const cmd = new Command('capture')
    .description('capture live from an interface and print packets as they arrive (needs root or CAP_NET_RAW)')
    .option('-i, --interface <name>', 'interface to capture on (default: the first up, non-loopback one; "any" for all)')
    .option('-f, --filter <bpf>', "capture filter in libpcap's BPF syntax, e.g. 'tcp port 80'")
    .option('-a, --autostop <cond>', 'stop after duration:SECONDS', collect)
    .option('-w, --write <file>', 'also write the packets to FILE (pcapng; classic pcap for *.pcap or -F pcap); - for stdout')
    .addOption(new Option('-F, --file-format <format>', 'format for -w').choices(['pcap', 'pcapng']))
    .addOption(new Option('--time-stamp-precision <p>', 'timestamps in a classic pcap file (-F pcap)').choices(['micro', 'nano']))
    .option('-q, --quiet', 'do not print packets (with -w: only write the file)')
    .option('-D, --list-interfaces', 'list the interfaces and exit (as wiretrace interfaces)')
    .option('-Z, --user <user>', 'after opening the device as root, run as USER (default: the sudo user)')
    .option('--no-drop-privileges', 'stay root after opening the device (not recommended)')
    .option('-B, --buffer-size <KiB>', 'libpcap ring size in KiB (default 32768; each packet takes a ~64 KiB slot)')
    .option('--debug', 'print the uid/gid the capture runs as, on stderr')
    .option('--timeline', "instead of the packet table, the TCP sliding-window timeline as packets arrive (one row per segment: stream, direction, flags, relative seq/ack, length, scaled window, bytes in flight, receive window left, analysis flags), as 'wiretrace follow' prints it")
    .option('--explain', 'with --timeline: under each flagged segment, the rule that fired and its evidence');
  addOutputOptions(cmd);
  addDecodeAsOption(cmd);
  cmd.addHelpText(
    'after',
    `
Timestamps: the cap module does not pass libpcap's kernel timestamps to JavaScript, so every packet
is stamped with the host receive time (process.hrtime anchored once to the wall clock, in ns). It is
a little later than the kernel's time (median ~0.4 ms measured, milliseconds under load; see
docs/live-capture.md); the frame field frame.time_source is "host", and -w files say so in the
interface description.

Privileges: run with sudo (the capture drops to your user after opening the device, so -w files
are yours), or once: sudo setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(which node)")"

Stops on Ctrl-C, SIGTERM, -c N or -a duration:SEC; prints "N packets captured" on stderr.

Examples:
  sudo wiretrace capture -i eth0                       one line per packet
  sudo wiretrace capture -i lo -f 'tcp port 8080' -V   every field of each packet
  sudo wiretrace capture -i lo -f 'tcp port 8080' --timeline   handshake, windows, flags live
  sudo wiretrace capture -i any -c 100 -w out.pcapng   save 100 packets (and show them)
  sudo wiretrace capture -i eth0 -w - | tshark -r -    pipe a pcapng stream`,
  );
  cmd.action(async (opts: RawCaptureOptions) => {
    done(await runCapture(opts, io));
  });
  return cmd;
}
