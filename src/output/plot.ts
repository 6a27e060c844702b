// The time-sequence (Stevens / tcptrace) graph of one TCP stream, as plain SVG written here
// (no plotting library: the graph is a few hundred lines and paths, a library like vega would add
// megabytes and a second of start-up for no gain, and the SVG must render without a browser
// engine at run time). Panels: time-sequence (data segments, ACK line, receive-window line,
// retransmissions, SACK blocks), throughput, RTT, and advertised window vs bytes in flight.

import { ANY_RETRANSMISSION } from '../analysis/tcp/flags.js';
import type { TcpAnalysis } from '../analysis/tcp/tracker.js';

export interface PlotOptions {
  title: string;
  clientDir: number;
  width?: number;
}

const W = 1000, ML = 80, MR = 150, FONT = 'font-family="sans-serif"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Nice tick values for [lo, hi]. */
function ticks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / n;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  const step = (m >= 5 ? 10 : m >= 2 ? 5 : m >= 1 ? 2 : 1) * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step, i = 0; v <= hi + step * 1e-9 && i < 50; v += step, i++) out.push(+v.toPrecision(12));
  return out;
}

function fmtNum(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(a % 1e9 ? 1 : 0) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(a % 1e6 ? 1 : 0) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(a % 1e3 ? 1 : 0) + 'k';
  return String(+v.toPrecision(6));
}

class Panel {
  readonly parts: string[] = [];
  constructor(
    readonly y: number,
    readonly h: number,
    readonly x0: number,
    readonly x1: number,
    readonly y0: number,
    readonly y1: number,
    readonly title: string,
    readonly ylabel: string,
  ) {}
  X(t: number): number {
    return ML + ((t - this.x0) / (this.x1 - this.x0 || 1)) * (W - ML - MR);
  }
  Y(v: number): number {
    return this.y + this.h - ((v - this.y0) / (this.y1 - this.y0 || 1)) * this.h;
  }
  frame(): string {
    const pw = W - ML - MR;
    let s = `<g ${FONT} font-size="11">`;
    s += `<rect x="${ML}" y="${this.y}" width="${pw}" height="${this.h}" fill="#fff" stroke="#999"/>`;
    for (const v of ticks(this.y0, this.y1, 5)) {
      const yy = this.Y(v).toFixed(1);
      s += `<line x1="${ML}" x2="${ML + pw}" y1="${yy}" y2="${yy}" stroke="#eee"/><text x="${ML - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#444">${fmtNum(v)}</text>`;
    }
    for (const t of ticks(this.x0, this.x1, 10)) {
      const xx = this.X(t).toFixed(1);
      s += `<line x1="${xx}" x2="${xx}" y1="${this.y}" y2="${this.y + this.h}" stroke="#f2f2f2"/><text x="${xx}" y="${this.y + this.h + 14}" text-anchor="middle" fill="#444">${fmtNum(t)}</text>`;
    }
    s += `<text x="${ML}" y="${this.y - 8}" font-size="13" font-weight="bold" fill="#222">${esc(this.title)}</text>`;
    s += `<text transform="translate(${18},${this.y + this.h / 2}) rotate(-90)" text-anchor="middle" fill="#222">${esc(this.ylabel)}</text>`;
    s += `<text x="${ML + pw / 2}" y="${this.y + this.h + 30}" text-anchor="middle" fill="#222">time (s)</text>`;
    return s + '</g>';
  }
  legend(items: [string, string][]): string {
    let s = `<g ${FONT} font-size="11">`;
    items.forEach(([color, label], i) => {
      const yy = this.y + 10 + i * 16;
      s += `<rect x="${W - MR + 12}" y="${yy - 5}" width="14" height="4" fill="${color}"/><text x="${W - MR + 32}" y="${yy}" dominant-baseline="middle" fill="#222">${esc(label)}</text>`;
    });
    return s + '</g>';
  }
}

function stepPath(p: Panel, pts: [number, number][]): string {
  if (pts.length === 0) return '';
  let d = `M${p.X(pts[0][0]).toFixed(1)},${p.Y(pts[0][1]).toFixed(1)}`;
  for (let i = 1; i < pts.length; i++) d += `H${p.X(pts[i][0]).toFixed(1)}V${p.Y(pts[i][1]).toFixed(1)}`;
  return d;
}

/** Draw the graphs for the rows of one stream (from the tracker, in capture order). */
export function plotSvg(rows: readonly TcpAnalysis[], o: PlotOptions): string {
  // The data direction is the one that sent more payload.
  let p0 = 0, p1 = 0;
  for (const r of rows) r.dir === 0 ? (p0 += r.len) : (p1 += r.len);
  const dd = p1 > p0 ? 1 : 0;
  const t0 = rows.length ? rows[0].time : 0;
  const T = (r: TcpAnalysis) => (r.time - t0) / 1e9;
  // The time axis ends shortly after the last segment that carried data or acknowledged new data,
  // so a late RST or keep-alive does not squash the transfer into one pixel column.
  let tMax = 0, hiAck = -1, later = 0;
  for (const r of rows) {
    if (r.len > 0 || (r.tcpFlags & 0x010 && r.ack > hiAck && r.dir !== (p1 > p0 ? 1 : 0))) tMax = T(r);
    if (r.tcpFlags & 0x010 && r.dir !== (p1 > p0 ? 1 : 0)) hiAck = Math.max(hiAck, r.ack);
  }
  if (!(tMax > 0)) tMax = rows.length ? Math.max(1e-3, T(rows[rows.length - 1])) : 1;
  tMax *= 1.03;
  for (const r of rows) if (T(r) > tMax) later++;

  const segs: { t: number; s: number; e: number; re: boolean }[] = [];
  const acks: [number, number][] = [], wins: [number, number][] = [];
  const sacks: { t: number; l: number; r: number }[] = [];
  const rtts: [number, number][] = [], bifs: [number, number][] = [], awin: [number, number][] = [];
  let yMax = 1;
  for (const r of rows) {
    const t = T(r);
    if (t > tMax) continue;
    if (r.dir === dd) {
      if (r.len > 0) {
        segs.push({ t, s: r.seq, e: r.seq + r.len, re: (r.flags & ANY_RETRANSMISSION) !== 0 });
        yMax = Math.max(yMax, r.seq + r.len);
      }
      if (r.bif >= 0) bifs.push([t, r.bif]);
    } else if (r.tcpFlags & 0x010) {
      acks.push([t, r.ack]);
      const w = r.window >= 0 ? r.window : r.rawWindow;
      wins.push([t, r.ack + w]);
      awin.push([t, w]);
      if (r.ackRtt >= 0) rtts.push([t, r.ackRtt / 1e6]);
      if (r.sack) for (let i = 0; i + 1 < r.sack.length; i += 2) sacks.push({ t, l: r.sack[i], r: r.sack[i + 1] });
      yMax = Math.max(yMax, r.ack);
    }
  }
  // Keep the window line from squashing the data: clip it at 1.25 × the highest seq/ack.
  const ySeqMax = yMax * 1.25;

  const parts: string[] = [];
  let y = 90;
  // ---- time-sequence ----
  const ts = new Panel(y, 380, 0, tMax, 0, ySeqMax, 'Time-sequence (Stevens): data segments, ACKs, receive window', 'relative sequence number');
  parts.push(ts.frame());
  let g = '';
  if (wins.length) g += `<path d="${stepPath(ts, wins.map(([t, v]) => [t, Math.min(v, ySeqMax)]))}" fill="none" stroke="#2ca02c" stroke-width="1.2"/>`;
  if (acks.length) g += `<path d="${stepPath(ts, acks)}" fill="none" stroke="#7f7f7f" stroke-width="1.2"/>`;
  for (const s of segs) {
    const x = ts.X(s.t).toFixed(1);
    const y1 = ts.Y(s.s).toFixed(1), y2 = ts.Y(s.e).toFixed(1);
    const c = s.re ? '#d62728' : '#1f77b4';
    g += `<line x1="${x}" x2="${x}" y1="${y1}" y2="${y2}" stroke="${c}" stroke-width="${s.re ? 2.2 : 1.4}"/>`;
    g += `<line x1="${(+x - 2).toFixed(1)}" x2="${(+x + 2).toFixed(1)}" y1="${y2}" y2="${y2}" stroke="${c}"/>`;
    if (s.re) g += `<text x="${(+x + 3).toFixed(1)}" y="${y2}" font-size="10" fill="#d62728" ${FONT}>R</text>`;
  }
  for (const s of sacks) {
    const x = ts.X(s.t).toFixed(1);
    g += `<line x1="${x}" x2="${x}" y1="${ts.Y(s.l).toFixed(1)}" y2="${ts.Y(s.r).toFixed(1)}" stroke="#9467bd" stroke-width="4" opacity="0.6"/>`;
  }
  parts.push(`<g>${g}</g>`);
  parts.push(ts.legend([['#1f77b4', 'data segment'], ['#d62728', 'retransmission (R)'], ['#7f7f7f', 'ACK'], ['#2ca02c', 'ACK + window'], ['#9467bd', 'SACK block']]));
  y += 380 + 70;

  // ---- throughput ----
  const bins = Math.max(10, Math.min(80, segs.length));
  const bw = tMax / bins;
  const tp = new Array<number>(bins).fill(0);
  for (const s of segs) if (!s.re) tp[Math.min(bins - 1, Math.floor(s.t / bw))] += s.e - s.s;
  const tpv = tp.map((b) => (b * 8) / bw);
  const tpMax = Math.max(1, ...tpv);
  const thr = new Panel(y, 140, 0, tMax, 0, tpMax * 1.1, `Throughput (goodput of the data direction, ${fmtNum(+bw.toPrecision(2))} s bins)`, 'bits/s');
  parts.push(thr.frame());
  g = '';
  tpv.forEach((v, i) => {
    const x = thr.X(i * bw), x2 = thr.X((i + 1) * bw);
    g += `<rect x="${x.toFixed(1)}" y="${thr.Y(v).toFixed(1)}" width="${Math.max(0.5, x2 - x - 0.5).toFixed(1)}" height="${(thr.Y(0) - thr.Y(v)).toFixed(1)}" fill="#1f77b4" opacity="0.7"/>`;
  });
  parts.push(`<g>${g}</g>`);
  y += 140 + 70;

  // ---- RTT ----
  const rMax = Math.max(0.001, ...rtts.map((r) => r[1]));
  const rp = new Panel(y, 140, 0, tMax, 0, rMax * 1.15, 'RTT (time from a data segment to the ACK that covers it)', 'ms');
  parts.push(rp.frame());
  g = rtts.map(([t, v]) => `<circle cx="${rp.X(t).toFixed(1)}" cy="${rp.Y(v).toFixed(1)}" r="2.5" fill="#ff7f0e"/>`).join('');
  if (!rtts.length) g = `<text x="${ML + 10}" y="${y + 20}" ${FONT} font-size="11" fill="#888">no RTT samples (no ACK matched a data segment exactly)</text>`;
  parts.push(`<g>${g}</g>`);
  y += 140 + 70;

  // ---- window vs bytes in flight ----
  const wMax = Math.max(1, ...awin.map((w) => w[1]), ...bifs.map((b) => b[1]));
  const wp = new Panel(y, 160, 0, tMax, 0, wMax * 1.1, "Receiver's advertised window vs bytes in flight", 'bytes');
  parts.push(wp.frame());
  g = '';
  if (awin.length) g += `<path d="${stepPath(wp, awin)}" fill="none" stroke="#2ca02c" stroke-width="1.4"/>`;
  g += bifs.map(([t, v]) => `<circle cx="${wp.X(t).toFixed(1)}" cy="${wp.Y(v).toFixed(1)}" r="2" fill="#1f77b4"/>`).join('');
  parts.push(`<g>${g}</g>`);
  parts.push(wp.legend([['#2ca02c', 'advertised window'], ['#1f77b4', 'bytes in flight']]));
  y += 160 + 50;

  const head = `<text x="${ML}" y="28" font-family="sans-serif" font-size="16" font-weight="bold" fill="#111">${esc(o.title)}</text>` +
    `<text x="${ML}" y="48" ${FONT} font-size="12" fill="#555">data direction: ${dd === o.clientDir ? 'client → server' : 'server → client'}; ${segs.length} data segments, ${segs.filter((s) => s.re).length} retransmitted` +
    (later ? `; ${later} later packets (after ${fmtNum(+tMax.toPrecision(3))} s, no new data) not drawn` : '') + '</text>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}"><rect width="100%" height="100%" fill="#fafafa"/>${head}${parts.join('')}</svg>\n`;
}

export function plotHtml(svg: string, title: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="margin:0;background:#fafafa">\n${svg}</body></html>\n`;
}
