// `wiretrace follow FILE --stream N | --tuple A:P,B:P | --port P`: one TCP stream explained —
// handshake ladder, sliding-window timeline, close ladder; --data prints the payload like
// `tshark -z follow,tcp`; --plot draws the time-sequence graph (SVG/HTML); -T json.

import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { Layer } from '../dissect/layer.js';
import type { TcpD } from '../dissect/decoded.js';
import { TCP_SYN } from '../dissect/decoded.js';
import { hex2 } from '../dissect/fields.js';
import { TcpTracker, type TcpAnalysis, type TcpStream } from '../analysis/tcp/tracker.js';
import { StreamPayload } from '../analysis/tcp/payload.js';
import { tcpUntapped } from '../analysis/iousers.js';
import { flagNames } from '../analysis/tcp/flags.js';
import { closeLadder, explainLines, handshakeLadder, sides, tcpFlagText, TimelineWriter } from '../output/timeline.js';
import { plotHtml, plotSvg } from '../output/plot.js';
import { useColor } from '../output/color.js';
import { analyseFile } from './conversations.js';
import { EXIT_OK, printResult, UsageError, UserError } from './errors.js';
import type { CliIO } from './read.js';

export interface FollowOptions {
  stream?: string;
  tuple?: string;
  port?: string;
  data?: string;
  plot?: string;
  explain?: boolean;
  outputFormat?: string;
  color?: boolean;
}

function parseEndpoint(s: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
  if (!m) throw new UsageError(`--tuple: '${s}' is not ADDRESS:PORT (e.g. 10.0.0.1:5000 or [::1]:443)`);
  return [m[1], Number(m[2])];
}

type Matcher = (st: TcpStream) => boolean;

function matcher(o: FollowOptions): Matcher {
  const n = [o.stream, o.tuple, o.port].filter((x) => x !== undefined).length;
  if (n !== 1) throw new UsageError('follow: say which stream with exactly one of --stream N, --tuple A:P,B:P or --port P');
  if (o.stream !== undefined) {
    if (!/^\d+$/.test(o.stream)) throw new UsageError(`--stream ${o.stream}: a stream index (tcp.stream) is a number ≥ 0`);
    const id = Number(o.stream);
    return (st) => st.id === id;
  }
  if (o.port !== undefined) {
    if (!/^\d+$/.test(o.port) || Number(o.port) > 65535) throw new UsageError(`--port ${o.port}: a port is 0-65535`);
    const p = Number(o.port);
    return (st) => st.portA === p || st.portB === p;
  }
  const parts = o.tuple!.split(',');
  if (parts.length !== 2) throw new UsageError(`--tuple ${o.tuple}: give both ends, A:P,B:P`);
  const [a, b] = parts.map(parseEndpoint);
  const eq = (addr: string, port: number, e: [string, number]) => port === e[1] && addr === e[0];
  return (st) =>
    (eq(st.addrA, st.portA, a) && eq(st.addrB, st.portB, b)) || (eq(st.addrA, st.portA, b) && eq(st.addrB, st.portB, a));
}

/**
 * The bytes as text, tshark's follow ascii: printable ASCII, CR and LF as they are, anything (a tab too)
 * else '.'. Mapped in a copy and decoded once (a string built character by character took ~1.7 s
 * and ~230 MB for a 7 MB stream).
 */
function printable(data: Uint8Array): string {
  const b = Buffer.from(data);
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    if (!(x === 0x0a || x === 0x0d || (x >= 0x20 && x < 0x7f))) b[i] = 0x2e;
  }
  return b.toString('latin1');
}

function hexLines(data: Uint8Array, offset: number, indent: string): string {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const n = Math.min(16, data.length - i);
    let hex = '';
    let asc = '';
    for (let j = 0; j < 16; j++) {
      if (j === 8) {
        hex += ' ';
        // the column-8 space follows the eighth byte
        if (j <= n) asc += ' ';
      }
      if (j < n) {
        const x = data[i + j];
        hex += hex2(x) + ' ';
        asc += x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.';
      } else hex += '   ';
    }
    // tshark drops one space ending the text: the column-8 space of an 8-byte line, or a last byte that is a space
    if (asc.endsWith(' ')) asc = asc.slice(0, -1);
    lines.push(`${indent}${(offset + i).toString(16).toUpperCase().padStart(8, '0')}  ${hex} ${asc}\n`);
  }
  return lines.join('');
}

const FOLLOW_BAR = '===================================================================';

/**
 * The payload of both directions in tshark's follow format; `first`: the direction of the stream's first
 * packet (node 0). `filter`: the Filter line (tshark writes
 * the stream's index, or the address and port test it was given); `notes`: say what could not be shown.
 */
export function followData(st: TcpStream, pay: StreamPayload, mode: 'ascii' | 'hex' | 'raw', first: number, filter = `tcp.stream eq ${st.id}`, notes = true): string {
  // node 0 is the source of the stream's first packet read (tshark), not necessarily the client
  const { client, names } = sides(st);
  const [n0, n1] = first === client ? names : [names[1], names[0]];
  let s = `${FOLLOW_BAR}\nFollow: tcp,${mode}\nFilter: ${filter}\nNode 0: ${n0}\nNode 1: ${n1}\n`;
  const off = [0, 0];
  for (const c of pay.chunks) {
    const node = c.dir === first ? 0 : 1;
    const ind = node === 1 ? '\t' : '';
    if (mode === 'ascii') s += `${ind}${c.data.length}\n${printable(c.data)}\n`;
    else if (mode === 'hex') s += hexLines(c.data, off[node], ind);
    else s += `${ind}${Buffer.from(c.data).toString('hex')}\n`;
    off[node] += c.data.length;
  }
  s += FOLLOW_BAR + '\n';
  if (notes && pay.missing) s += `note: ${pay.missing} bytes were not captured (gaps skipped)\n`;
  if (notes && pay.capped) s += 'note: payload longer than 64 MiB: the rest is not shown\n';
  return s;
}

/** The payload of one direction's segment, in order, into `pay` (what follow shows). */
function addPayload(pay: StreamPayload, a: TcpAnalysis, layer: Layer<TcpD>): void {
  const d = layer.d;
  const seq = (d.seq + (d.flags & TCP_SYN ? 1 : 0)) >>> 0;
  pay.add(a.dir as 0 | 1, seq, a.frame, layer.buf.subarray(d.payloadStart, d.payloadEnd), d.len);
}

/**
 * `read -z follow,tcp,ascii|hex|raw,STREAM` (or `…,A:P,B:Q`): tshark's follow text for one TCP
 * stream, printed after the packets. It listens to the read's own TCP tracker (hook), so the stream
 * index is the table's tcp.stream.
 */
export class FollowStat {
  private target: TcpStream | null = null;
  private first = 0;
  private readonly pay = new StreamPayload();
  private readonly match: Matcher;
  private readonly filter: string;

  constructor(
    private readonly mode: 'ascii' | 'hex' | 'raw',
    which: string,
  ) {
    if (/^\d+$/.test(which)) {
      this.match = matcher({ stream: which });
      this.filter = `tcp.stream eq ${which}`;
    } else {
      this.match = matcher({ tuple: which });
      const [[a, p], [b, q]] = which.split(',').map(parseEndpoint);
      const ip = (x: string) => (x.includes(':') ? 'ipv6' : 'ip');
      const side = (x: string, xp: number, y: string, yp: number) => `(${ip(x)}.src eq ${x} and tcp.srcport eq ${xp}) and (${ip(y)}.dst eq ${y} and tcp.dstport eq ${yp})`;
      this.filter = `(${side(a, p, b, q)}) or (${side(b, q, a, p)})`;
    }
  }

  hook(tracker: TcpTracker): void {
    const before = tracker.onPacket;
    tracker.onPacket = (a, st, pkt, layer) => {
      before?.(a, st, pkt, layer);
      // a header with a bogus data offset: tshark's taps (follow among them) do not see the segment
      if (tcpUntapped(layer)) return;
      if (this.target === null) {
        if (!this.match(st)) return;
        this.target = st;
        this.first = a.dir;
      } else if (st !== this.target) return;
      addPayload(this.pay, a, layer);
    };
  }

  /** tshark's text (a blank line, then the follow block; "Node 0: :0" when no stream matched). */
  text(): string {
    if (this.target === null) return `\n${FOLLOW_BAR}\nFollow: tcp,${this.mode}\nFilter: ${this.filter}\nNode 0: :0\nNode 1: :0\n${FOLLOW_BAR}\n`;
    this.pay.finish();
    return '\n' + followData(this.target, this.pay, this.mode, this.first, this.filter, false);
  }
}

function rowJson(a: TcpAnalysis): Record<string, unknown> {
  return {
    frame: a.frame,
    time: a.time / 1e9,
    dir: a.dir,
    flags: tcpFlagText(a.tcpFlags),
    seq: a.seq,
    ack: a.ack,
    nxtseq: a.nxtseq,
    len: a.len,
    window: a.window >= 0 ? a.window : null,
    rawWindow: a.rawWindow,
    bytesInFlight: a.bif >= 0 ? a.bif : null,
    rwndLeft: Number.isNaN(a.rwndLeft) ? null : a.rwndLeft,
    ackRtt: a.ackRtt >= 0 ? a.ackRtt / 1e9 : null,
    acksFrame: a.acksFrame || null,
    analysis: flagNames(a.flags),
    why: a.why ?? [],
    sack: a.sack,
  };
}

export async function runFollow(file: string, o: FollowOptions, io: CliIO): Promise<number> {
  const match = matcher(o);
  const mode = o.data;
  if (mode !== undefined && mode !== 'ascii' && mode !== 'hex' && mode !== 'raw') throw new UsageError(`--data ${mode}: choose ascii, hex or raw`);
  if (o.plot !== undefined && !/\.(svg|html?)$/i.test(o.plot)) throw new UsageError(`--plot ${o.plot}: the file name must end in .svg or .html`);
  const fmt = o.outputFormat ?? 'text';
  if (fmt !== 'text' && fmt !== 'json') throw new UsageError(`-T ${fmt}: follow prints text (default) or json`);

  const tracker = new TcpTracker({ fields: false, explain: true });
  let target: TcpStream | null = null;
  const rows: TcpAnalysis[] = [];
  const pay = mode !== undefined ? new StreamPayload() : null;
  tracker.onPacket = (a, st, _pkt, layer: Layer<TcpD>) => {
    if (target === null) {
      if (!match(st)) return;
      target = st;
    } else if (st !== target) return;
    rows.push(a);
    if (pay !== null) addPayload(pay, a, layer);
  };
  const res = await analyseFile(file, (p) => void tracker.packet(p));
  if (target === null) {
    if (res.error) throw res.error;
    const what = o.stream !== undefined ? `stream ${o.stream}` : o.port !== undefined ? `a stream on port ${o.port}` : `a stream ${o.tuple}`;
    throw new UserError(`no TCP ${what} in ${file} (it has ${tracker.stats.streams} TCP stream${tracker.stats.streams === 1 ? '' : 's'}: 0-${Math.max(0, tracker.stats.streams - 1)})`);
  }
  const st: TcpStream = target;
  pay?.finish();
  const color = useColor(io.stdout, o.color, io.env);
  const { client, names } = sides(st);

  if (o.plot !== undefined) {
    const title = `TCP stream ${st.id}: ${names[0]} ↔ ${names[1]}`;
    const svg = plotSvg(rows, { title, clientDir: client });
    try {
      writeFileSync(o.plot, /\.html?$/i.test(o.plot) ? plotHtml(svg, title) : svg);
    } catch (e) {
      throw new UserError(`cannot write ${o.plot}: ${(e as Error).message}`);
    }
  }

  if (fmt === 'json') {
    const out = {
      stream: st.id,
      client: names[0],
      server: names[1],
      clientKnown: st.clientKnown,
      handshake: {
        rtt: st.handshakeRtt >= 0 ? st.handshakeRtt / 1e9 : null,
        frames: { syn: st.hs.synFrame || null, synAck: st.hs.synAckFrame || null, ack: st.hs.ackFrame || null },
        clientOffered: st.flows[client].syn,
        serverOffered: st.flows[1 - client].syn,
      },
      end: st.end,
      segments: rows.map(rowJson),
      data: pay ? pay.chunks.map((c) => ({ node: c.dir === client ? 0 : 1, frame: c.frame, [mode!]: mode === 'ascii' ? printable(c.data) : Buffer.from(c.data).toString('hex') })) : undefined,
    };
    await printResult(io.stdout, JSON.stringify(out, null, 2) + '\n');
  } else {
    let s = '';
    if (pay !== null && mode !== undefined) s = followData(st, pay, mode as 'ascii' | 'hex' | 'raw', rows[0].dir);
    else {
      s += `${color ? '\x1b[1m' : ''}TCP stream ${st.id}: ${names[0]} → ${names[1]}${color ? '\x1b[0m' : ''}` +
        (st.clientKnown ? '' : '  (no SYN seen: left side is the first sender)') + '\n\n';
      s += handshakeLadder(st, rows, { color }) + '\n';
      s += `${color ? '\x1b[1m' : ''}Segments${color ? '\x1b[0m' : ''} (→ ${names[0]} to ${names[1]}, ← back; Win scaled, "?" = scale unknown; InFlight = unacked bytes; RwndLeft = peer window left)\n`;
      const tw = new TimelineWriter(client, color);
      s += tw.header() + '\n';
      for (const r of rows) {
        s += tw.row(r) + '\n';
        if (o.explain) for (const l of explainLines(r)) s += l + '\n';
      }
      s += '\n' + closeLadder(st, rows, { color });
      const c = st.flows[client], v = st.flows[1 - client];
      s += `\n${rows.length} segments; client sent ${c.payload} bytes in ${c.packets} packets, server ${v.payload} bytes in ${v.packets}; ` +
        `${c.retrans + v.retrans} retransmissions, ${c.zeroWin + v.zeroWin} zero windows\n`;
      if (o.plot !== undefined) s += `plot written to ${o.plot}\n`;
    }
    await printResult(io.stdout, s);
  }
  if (res.error) throw res.error;
  return EXIT_OK;
}

export function followCommand(io: CliIO, done: (code: number) => void): Command {
  return new Command('follow')
    .description('follow one TCP stream: handshake ladder, sliding-window timeline, close; --data payload, --plot time-sequence graph')
    .argument('<file>', 'capture file (pcap or pcapng; - for standard input)')
    .option('--stream <n>', 'the stream index (tcp.stream)')
    .option('--tuple <a,b>', 'the stream between two endpoints, e.g. 10.0.0.1:5000,10.0.0.2:80')
    .option('--port <port>', 'the first stream on this TCP port')
    .option('--data <mode>', 'print the payload of each direction: ascii, hex or raw (like tshark -z follow,tcp)')
    .option('--plot <file>', 'write the time-sequence graph with throughput, RTT and window panels (.svg or .html)')
    .option('--explain', 'under each flagged segment, the rule that fired and its evidence')
    .option('-T, --output-format <fmt>', 'text (default) or json')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(async (file: string, opts: FollowOptions) => {
      done(await runFollow(file, { ...opts, color: opts.color === false ? false : undefined }, io));
    });
}
