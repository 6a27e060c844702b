// Text views of one TCP stream: the handshake and the close drawn as a two-column ladder
// (client │ server) and the sliding-window timeline, one row per segment. Works packet by packet
// (TimelineWriter.row) so live capture can print rows as they arrive.

import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, TCP_ECE, TCP_CWR } from '../dissect/decoded.js';
import { BAD_FLAGS, flagNames } from '../analysis/tcp/flags.js';
import { fmtDur } from '../analysis/tcp/time.js';
import type { SynInfo, TcpAnalysis, TcpStream } from '../analysis/tcp/tracker.js';

const RED = '\x1b[31m', YELLOW = '\x1b[33m', GREEN = '\x1b[32m', CYAN = '\x1b[36m', DIM = '\x1b[2m', BOLD = '\x1b[1m', RESET = '\x1b[0m';

export function tcpFlagText(f: number): string {
  const out: string[] = [];
  if (f & TCP_SYN) out.push('SYN');
  if (f & TCP_FIN) out.push('FIN');
  if (f & TCP_RST) out.push('RST');
  if (f & TCP_PSH) out.push('PSH');
  if (f & TCP_ACK) out.push('ACK');
  if (f & TCP_URG) out.push('URG');
  if (f & TCP_ECE) out.push('ECE');
  if (f & TCP_CWR) out.push('CWR');
  return out.join(',');
}

function secs(ns: number): string {
  return (ns / 1e9).toFixed(6);
}

export function endpointText(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** What a SYN offered, e.g. "MSS 1460, WS ×128, SACK, TS, TFO cookie". */
export function offerText(s: SynInfo | null): string {
  if (s === null) return 'SYN not seen';
  const o: string[] = [];
  o.push(s.mss !== undefined ? `MSS ${s.mss}` : 'no MSS');
  o.push(s.wscale !== undefined ? `WS ×${1 << Math.min(s.wscale, 14)}` : 'no window scaling');
  o.push(s.sackPerm ? 'SACK' : 'no SACK');
  o.push(s.timestamps ? 'timestamps' : 'no timestamps');
  if (s.tfo) o.push(s.tfo.cookieLen === 0 ? 'TFO cookie request' : `TFO cookie (${s.tfo.cookieLen} B)`);
  o.push(`window ${s.window}`);
  return o.join(', ');
}

export interface LadderOptions {
  color: boolean;
  width?: number;
}

/** Sides of the stream: index of the client and the two endpoint texts. */
export function sides(st: TcpStream): { client: 0 | 1; names: [string, string] } {
  const c = st.client;
  const a = endpointText(st.addrA, st.portA), b = endpointText(st.addrB, st.portB);
  return { client: c, names: c === 0 ? [a, b] : [b, a] };
}

/** One ladder line: an arrow between the client (left) and server (right) columns. */
function ladderLine(time: number, fromClient: boolean, label: string, note: string, o: LadderOptions, color: string): string {
  const w = o.width ?? 44;
  const lab = ` ${label} `;
  const dashes = Math.max(2, w - lab.length - 1);
  const left = Math.floor(dashes / 2), right = dashes - left;
  const arrow = fromClient ? '─'.repeat(left) + lab + '─'.repeat(right) + '▶' : '◀' + '─'.repeat(left) + lab + '─'.repeat(right);
  const a = o.color && color ? color + arrow + RESET : arrow;
  return `${secs(time).padStart(11)}  │${a}│  ${note}`;
}

function header(st: TcpStream, o: LadderOptions): string {
  const w = o.width ?? 44;
  const { names } = sides(st);
  const l = (st.clientKnown ? 'client ' : 'A ') + names[0], r = (st.clientKnown ? 'server ' : 'B ') + names[1];
  return `${''.padStart(11)}  ${l}${' '.repeat(Math.max(1, w + 2 - l.length - r.length))}${r}`;
}

/** The handshake ladder (SYN → SYN/ACK → ACK) with what each side offered and the initial RTT. */
export function handshakeLadder(st: TcpStream, rows: readonly TcpAnalysis[], o: LadderOptions): string {
  const { client } = sides(st);
  let s = (o.color ? BOLD : '') + 'Handshake' + (o.color ? RESET : '') + '\n' + header(st, o) + '\n';
  let n = 0;
  for (const r of rows) {
    if (!(r.tcpFlags & TCP_SYN) && !(r.frame === st.hs.ackFrame)) continue;
    const fromClient = r.dir === client;
    const label = r.tcpFlags & TCP_SYN ? (r.tcpFlags & TCP_ACK ? 'SYN/ACK' : 'SYN') : 'ACK';
    const syn = r.tcpFlags & TCP_SYN ? st.flows[r.dir].syn : null;
    const note = `#${r.frame}` + (syn ? '  ' + offerText(syn) : '') + (r.flags ? '  [' + flagNames(r.flags).join(' ') + ']' : '');
    s += ladderLine(r.time, fromClient, label, note, o, r.flags & BAD_FLAGS ? RED : GREEN) + '\n';
    if (++n >= 12) break;
  }
  if (n === 0) s += '  (no handshake in the capture: the stream started before it)\n';
  const rtt = st.handshakeRtt;
  if (rtt >= 0) {
    const sa = st.hs.synAckTime - st.hs.synTime, ca = st.hs.ackTime - st.hs.synAckTime;
    s += `  initial RTT ${fmtDur(rtt)} (SYN→SYN/ACK ${fmtDur(sa)} server side of the capture point, SYN/ACK→ACK ${fmtDur(ca)} client side)\n`;
  }
  const c = st.flows[client].syn, sv = st.flows[1 - client].syn;
  if (st.clientKnown) s += `  client offered: ${offerText(c)}\n  server offered: ${offerText(sv)}\n`;
  if (c && sv) {
    const ws = c.wscale !== undefined && sv.wscale !== undefined;
    s += `  agreed: window scaling ${ws ? 'on' : 'off'}, SACK ${c.sackPerm && sv.sackPerm ? 'on' : 'off'}, timestamps ${c.timestamps && sv.timestamps ? 'on' : 'off'}` +
      (c.mss !== undefined && sv.mss !== undefined ? `, MSS ${Math.min(c.mss, sv.mss)}` : '') + '\n';
  }
  return s;
}

/** The close: FIN / RST segments and the ACKs of FINs, as a ladder. */
export function closeLadder(st: TcpStream, rows: readonly TcpAnalysis[], o: LadderOptions): string {
  const { client } = sides(st);
  let s = (o.color ? BOLD : '') + 'Close' + (o.color ? RESET : '') + '\n' + header(st, o) + '\n';
  const finNext: (number | null)[] = [null, null];
  let n = 0;
  for (const r of rows) {
    const fromClient = r.dir === client;
    let label = '';
    if (r.tcpFlags & TCP_RST) label = r.tcpFlags & TCP_ACK ? 'RST/ACK' : 'RST';
    else if (r.tcpFlags & TCP_FIN) label = 'FIN/ACK';
    else {
      const want = finNext[1 - r.dir];
      if (want !== null && r.tcpFlags & TCP_ACK && r.ack === want) label = 'ACK of FIN';
    }
    if (!label) continue;
    if (r.tcpFlags & TCP_FIN) finNext[r.dir] = r.nxtseq;
    if (label === 'ACK of FIN') finNext[1 - r.dir] = null;
    const note = `#${r.frame}  seq ${r.seq} ack ${r.ack}` + (r.flags ? '  [' + flagNames(r.flags).join(' ') + ']' : '');
    s += ladderLine(r.time, fromClient, label, note, o, r.tcpFlags & TCP_RST ? RED : YELLOW) + '\n';
    if (++n >= 40) {
      s += '  … (more)\n';
      break;
    }
  }
  if (n === 0) s += '  (no FIN or RST: the connection is still open at the end of the capture)\n';
  else s += `  ended: ${st.end}\n`;
  return s;
}

export const TIMELINE_HEAD = ['Time', 'Dir', 'Flags', 'Seq', 'Ack', 'Len', 'Win', 'InFlight', 'RwndLeft', 'Analysis'];
const WIDTHS = [11, 3, 15, 10, 10, 6, 9, 8, 9, 0];

/** Incremental sliding-window timeline: header() once, then row(a) per segment. */
export class TimelineWriter {
  constructor(
    private readonly clientDir: 0 | 1,
    private readonly color: boolean,
  ) {}

  header(): string {
    return TIMELINE_HEAD.map((h, i) => (i === 9 ? h : i === 2 || i === 1 ? h.padEnd(WIDTHS[i]) : h.padStart(WIDTHS[i]))).join(' ');
  }

  row(a: TcpAnalysis): string {
    const arrow = a.dir === this.clientDir ? ' →' : ' ←';
    const win = a.window >= 0 ? String(a.window) : `${a.rawWindow}?`;
    const an = a.flags ? flagNames(a.flags).join(' ') + (a.dupAckNum ? ` #${a.dupAckNum}` : '') : '';
    const cells = [
      secs(a.time), arrow, tcpFlagText(a.tcpFlags), String(a.seq), a.tcpFlags & TCP_ACK ? String(a.ack) : '', String(a.len), win,
      a.bif >= 0 ? String(a.bif) : '', Number.isNaN(a.rwndLeft) ? '' : String(a.rwndLeft), an,
    ];
    let line = cells.map((c, i) => (i === 9 ? c : i === 2 || i === 1 ? c.padEnd(WIDTHS[i]) : c.padStart(WIDTHS[i]))).join(' ');
    if (this.color) {
      const col = a.flags & BAD_FLAGS ? RED : a.flags ? YELLOW : a.tcpFlags & (TCP_SYN | TCP_FIN | TCP_RST) ? CYAN : a.len === 0 ? DIM : '';
      if (col) line = col + line + RESET;
    }
    return line.trimEnd();
  }
}

/** The "why" lines of a row (--explain), indented under it. */
export function explainLines(a: TcpAnalysis): string[] {
  return a.why ? a.why.map((w) => `      ↳ ${w}`) : [];
}
