// tshark's IO statistics: `wiretrace read FILE -q -z io,stat,INTERVAL[,COLUMN]…`, byte for byte as tshark
// 4.0 prints them (ui/cli/tap-iostat.c), including the quirks of its layout.
//
// A COLUMN is a display filter (frames and bytes of the frames it passes; empty: every frame), or a
// calculation over a field's values in the frames its filter passes: COUNT(f), SUM(f), MIN(f), MAX(f),
// AVG(f), LOAD(f) (relative-time fields only), FRAMES() and BYTES(), each followed by an optional filter
// (`SUM(frame.len)frame.len && tcp`). tshark checks the calculation against the field's type (a SUM of
// an address is an error) and adds values up as that type does: integers modulo 2^64, relative times in
// nanoseconds, doubles as doubles; src/analysis/iostat-ftypes.ts has tshark's type of every field key
// wiretrace knows (scripts/iostat-ftypes.mjs writes it from `tshark -G fields`).
//
// How tshark counts (each checked against tshark 4.0.17, see docs/statistics.md):
// - Times are relative to the first frame read, in microseconds (rounded). Interval k covers
//   [k·INTERVAL, (k+1)·INTERVAL). A frame earlier than the last interval a column has reached counts in
//   that last interval; a frame before the first frame counts at the time of the last frame one of the
//   io,stat columns counted.
// - A calculation sees a field's values only when a display filter of the run names that field (the
//   column's own, another column's or statistic's, or -Y): tshark's tree keeps the values of the fields
//   its filters read, and no others. `SUM(frame.len)` alone is a column of zeros; `SUM(frame.len)frame.len`
//   sums. (The frames are counted either way.)
// - -Y narrows nothing: the statistics see every frame read.
// - Rows go from 0 while below the capture's duration, rounded at the interval's precision; the last
//   ends at that duration ("Dur" for whole-second intervals). The widths of the numbers come from the
//   duration before it was rounded, those of the box after, so a duration that rounds up to one more
//   digit (9.7 s at 1 s) shifts some lines by one, as in tshark.

import type { Packet } from '../dissect/chain.js';
import type { FieldValue } from '../dissect/types.js';
import type { Analyzer } from '../pipeline.js';
import type { RelativeClock } from './iousers.js';
import { FTYPES } from './iostat-ftypes.js';

/** A -z io,stat that cannot be done: one line (the command line turns it into a usage error). */
export class IoStatError extends Error {}

const FRAMES = 0, BYTES = 1, FRAMES_AND_BYTES = 2, COUNT = 3, SUM = 4, MIN = 5, MAX = 6, AVG = 7, LOAD = 8;
/** tshark's calc_type_table, in its order (the parser tries the names in this order). */
const CALC_NAMES = ['FRAMES', 'BYTES', 'FRAMES BYTES', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'LOAD'];

/** How tshark adds up and prints a field's values (from its ftype). */
type Kind = 'uint' | 'int32' | 'int64' | 'float' | 'double' | 'reltime' | 'other';

const FTYPE_OF = new Map<string, string>();
for (const [t, keys] of Object.entries(FTYPES)) for (const k of keys) FTYPE_OF.set(k, t);

/** tshark's field type of `key` (FT_PROTOCOL for a protocol name), or null when tshark has no such field. */
export function tsharkFieldType(key: string, protocols: ReadonlySet<string>): string | null {
  const t = FTYPE_OF.get(key);
  if (t !== undefined) return t === 'NONE' ? null : t;
  return protocols.has(key) ? 'FT_PROTOCOL' : null;
}

function kindOf(ftype: string): Kind {
  switch (ftype) {
    case 'FT_UINT8':
    case 'FT_UINT16':
    case 'FT_UINT24':
    case 'FT_UINT32':
    case 'FT_UINT64':
      return 'uint';
    case 'FT_INT8':
    case 'FT_INT16':
    case 'FT_INT24':
    case 'FT_INT32':
      return 'int32';
    case 'FT_INT64':
      return 'int64';
    case 'FT_FLOAT':
      return 'float';
    case 'FT_DOUBLE':
      return 'double';
    case 'FT_RELATIVE_TIME':
      return 'reltime';
    default:
      return 'other';
  }
}

/** One column as written: its legend text (null: an empty one, "Frames and bytes"), what it computes, its filter. */
export interface IoStatColumn {
  title: string | null;
  calc: number;
  /** The field of a calculation (null for frames and bytes). */
  field: string | null;
  kind: Kind;
  /** The display filter after the calculation ('' = every frame). */
  filter: string;
}

export interface IoStatSpec {
  /** Microseconds; 0 = the whole capture (tshark's "0"). */
  interval: bigint;
  /** Decimals of the interval column (tshark's invl_prec). */
  prec: number;
  columns: IoStatColumn[];
}

const WS = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * Parse `io,stat,INTERVAL[,COLUMN]…` as tshark 4.0 does: the columns split at every comma (a filter
 * with a comma in it, `tcp.port in {80,443}`, is cut there, as tshark cuts it), each trimmed.
 * `protocols`: the protocol names (COUNT(tcp) counts TCP layers). Throws IoStatError.
 */
export function parseIoStat(z: string, protocols: ReadonlySet<string>): IoStatSpec {
  const usage = 'the form is io,stat,INTERVAL[,FILTER]… (INTERVAL in seconds, 0 = the whole capture)';
  const m = /^io,stat,([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(.*)$/s.exec(z);
  if (m === null || z.endsWith(',') || (m[2] !== '' && !m[2].startsWith(','))) throw new IoStatError(usage);
  const seconds = Number(m[1]);
  if (seconds < 0) throw new IoStatError(`the interval is a number of seconds, 0 or more (0 = the whole capture)`);
  let interval = 0n;
  let prec = 0;
  if (seconds !== 0) {
    const us = Math.floor(seconds * 1e6 + 0.5);
    if (us < 1) throw new IoStatError('the interval must be 0.000001 seconds or more, or 0 for the whole capture');
    if (!Number.isSafeInteger(us)) throw new IoStatError(`the interval ${m[1]} s is too long (0 = the whole capture)`);
    interval = BigInt(us);
    // the decimals it was given to: 6 less one per trailing zero of its microseconds
    prec = 6;
    for (let i = 10n; i < 10_000_000n; i *= 10n) {
      if (interval % i > 0n) break;
      prec--;
    }
    // a whole number written with decimals ("1.00") keeps them
    if (prec === 0) {
      const dot = m[1].indexOf('.');
      if (dot >= 0 && dot < m[1].length - 1) prec = Math.min(m[1].length - dot - 1, 6);
    }
  }
  const columns: IoStatColumn[] = [];
  if (m[2] === '') columns.push(column(null, protocols));
  else {
    const parts = m[2].slice(1).split(',');
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      const s = p.replace(WS, '');
      // ",," is an empty column; so is a last one of blanks; a blank one between commas prints blank
      columns.push(column((last ? s === '' : p === '') ? null : s, protocols));
    });
  }
  return { interval, prec, columns };
}

/**
 * Fields whose values tshark's io,stat does not see as its -T fields shows them (found by comparing every
 * numeric field on the corpus): a calculation on them is refused rather than printed differently.
 */
const UNSEEN = new Map([
  ['ip.version', 'tshark counts only the IPv6 header\'s, which wiretrace does not give'],
  ['dns.qry.class', 'tshark counts none'],
  ['dns.resp.class', 'tshark counts none'],
  ['vlan.priority', 'tshark counts none'],
]);

/** One column, as tshark's register_io_tap reads it. */
function column(text: string | null, protocols: ReadonlySet<string>): IoStatColumn {
  let calc = FRAMES_AND_BYTES;
  let filter = text ?? '';
  let field: string | null = null;
  let name = '';
  for (let j = 0; j < CALC_NAMES.length; j++) {
    const fn = CALC_NAMES[j];
    if (text !== null && text.startsWith(fn)) {
      calc = j;
      if (text[fn.length] !== '(') continue;
      const p = fn.length + 1;
      const close = text.indexOf(')', p);
      if (close < 0) throw new IoStatError(`${text}: the closing parenthesis is missing`);
      const plain = calc === FRAMES || calc === BYTES;
      if (plain && close !== p) throw new IoStatError(`${text}: ${fn} does not require or allow a field name within the parens`);
      if (!plain && close === p) throw new IoStatError(`${text}: you didn't specify a field name for ${fn}(*)`);
      filter = text.slice(close + 1);
      if (plain) break;
      field = text.slice(p, close);
      name = fn;
      break;
    } else if (calc === FRAMES || calc === BYTES) filter = '';
  }
  if (calc > FRAMES_AND_BYTES && field === null) throw new IoStatError(`${text}: ${CALC_NAMES[calc]} takes a field in parentheses: ${CALC_NAMES[calc]}(FIELD)[FILTER]`);
  let kind: Kind = 'other';
  if (field !== null) {
    const ftype = tsharkFieldType(field, protocols);
    if (ftype === null) throw new IoStatError(`${text}: there is no field named '${field}'`);
    const unseen = UNSEEN.get(field);
    if (unseen !== undefined) throw new IoStatError(`${text}: tshark's io,stat does not see the values of ${field} (${unseen}); wiretrace does not print different numbers`);
    kind = kindOf(ftype);
    const bad = (what: string) => new IoStatError(`${text}: ${field} ${what}, so ${name}(*) calculations are not supported on it`);
    if (kind === 'float' || kind === 'double') {
      if (calc === LOAD) throw bad('is a float field');
    } else if (kind === 'reltime') {
      // every calculation
    } else if (kind === 'other') {
      if (calc !== COUNT) throw bad("doesn't have integral values");
    } else if (calc === LOAD) {
      // tshark accepts it, then stops at the first frame with the field
      throw new IoStatError(`${text}: LOAD() is only supported for relative-time fields such as tcp.analysis.ack_rtt`);
    }
  }
  return { title: text, calc, field, kind, filter };
}

const US = 1_000_000n;
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
/** C's (int) of a 64-bit value, printed with %u. */
const U32 = (v: bigint): bigint => BigInt.asUintN(32, v);

/** Wireshark's magnitude(): the number of decimal digits of v, at most maxW. */
function magnitude(v: bigint, maxW: number): number {
  let mag = 0;
  for (let i = 0; i < maxW; i++) {
    mag++;
    v /= 10n;
    if (v === 0n) break;
  }
  return mag;
}

/** A field value as tshark's fvalue of the column's kind: an integer modulo 2^64 (relative time: ns), or a number. */
function intValue(value: FieldValue, show: string): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return U64(BigInt(value));
  if (typeof value === 'bigint') return U64(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (/^-?\d+$/.test(show) || /^0x[0-9a-f]+$/i.test(show)) return U64(BigInt(show));
  return 0n;
}

/** A relative time's -T fields text ("0.000123000", "-1.5") as nanoseconds, modulo 2^64 (tshark's guint64 of a negative time). */
function relNs(show: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,9}))?$/.exec(show);
  if (m === null) return 0n;
  const ns = BigInt(m[2]) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'));
  return U64(m[1] === '-' ? -ns : ns);
}

/** A relative time as tshark's LOAD() takes it: seconds·10^6 + nanoseconds/1000 (truncated), modulo 2^64. */
function relUsTrunc(show: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{0,9}))?$/.exec(show);
  if (m === null) return 0n;
  const us = BigInt(m[2]) * US + BigInt((m[3] ?? '').padEnd(9, '0')) / 1000n;
  return U64(m[1] === '-' ? -us : us);
}

function floatValue(value: FieldValue, show: string): number {
  return typeof value === 'number' ? value : Number.parseFloat(show) || 0;
}

/** Growable per-interval counters of one column (tshark's io_stat_item_t list, as arrays). */
class Cells {
  len = 1;
  frames = new Uint32Array(16);
  counter = new BigUint64Array(16);
  num = new Uint32Array(16);
  dbl = new Float64Array(16);

  /** Make intervals up to `k` (k < the cap). */
  grow(k: number): void {
    if (k < this.len) return;
    if (k >= this.frames.length) {
      const n = Math.max(k + 1, this.frames.length * 2);
      const f = new Uint32Array(n), c = new BigUint64Array(n), u = new Uint32Array(n), d = new Float64Array(n);
      f.set(this.frames), c.set(this.counter), u.set(this.num), d.set(this.dbl);
      this.frames = f, this.counter = c, this.num = u, this.dbl = d;
    }
    this.len = k + 1;
  }
}

/** What a column's filter and field need per frame. */
export interface ColumnProbe {
  /** The column's filter (null: every frame). */
  filter: { test(pkt: Packet): boolean } | null;
  /** The occurrences of the field of a calculation (null for frames and bytes). */
  values: ((pkt: Packet) => readonly { value: FieldValue; show: string }[]) | null;
}

/** The relative time of the last frame an io,stat column counted (tshark's static last_relative_time): one per run. */
export class IoStatClock {
  lastUs = 0n;
}

/** The most cells (intervals × columns) a run keeps and prints. */
export const MAX_CELLS = 5_000_000;

class Column {
  readonly cells = new Cells();
  maxFrame = 0;
  maxVal = 0n;
  /** The field is named by a display filter of the run: tshark's tree has its values. */
  primed = false;
  constructor(
    readonly spec: IoStatColumn,
    readonly probe: ColumnProbe,
  ) {}
}

export class IoStat {
  private readonly cols: Column[];
  /** The latest frame's time relative to the first, in ns (tshark's elapsed time). */
  private elapsed = 0n;
  /** A frame fell after the last interval the cap allows. */
  private overflow = false;
  private readonly maxItems: number;

  constructor(
    readonly source: string,
    readonly spec: IoStatSpec,
    probes: readonly ColumnProbe[],
    private readonly clock: RelativeClock,
    private readonly shared: IoStatClock,
    maxCells = MAX_CELLS,
  ) {
    this.cols = spec.columns.map((c, i) => new Column(c, probes[i]));
    this.maxItems = Math.max(1, Math.floor(maxCells / this.cols.length));
  }

  /** The fields the run's display filters read: only those give values (see the top of this file). */
  prime(names: ReadonlySet<string>): void {
    for (const c of this.cols) c.primed = c.spec.field !== null && names.has(c.spec.field);
  }

  /** Fields of calculations no display filter names (they count nothing, as in tshark). */
  unprimed(): string[] {
    return this.cols.filter((c) => c.spec.field !== null && !c.primed).map((c) => c.spec.title!);
  }

  add(pkt: Packet): void {
    const rel = this.clock.rel(pkt);
    if (rel > this.elapsed) this.elapsed = rel;
    for (const col of this.cols) {
      if (col.probe.filter !== null && !col.probe.filter.test(pkt)) continue;
      let rt: bigint;
      if (rel >= 0n) {
        rt = (rel + 500n) / 1000n;
        this.shared.lastUs = rt;
      } else rt = this.shared.lastUs;
      this.count(col, pkt, rt);
    }
  }

  private count(col: Column, pkt: Packet, rt: bigint): void {
    const cells = col.cells;
    let k = cells.len - 1;
    const iv = this.spec.interval;
    if (iv !== 0n && rt >= BigInt(k) * iv + iv) {
      const want = rt / iv;
      if (want >= BigInt(this.maxItems)) {
        this.overflow = true;
        return;
      }
      k = Number(want);
      cells.grow(k);
    }
    cells.frames[k]++;
    const calc = col.spec.calc;
    const kind = col.spec.kind;
    if (calc <= FRAMES_AND_BYTES) cells.counter[k] += BigInt(pkt.frame.origLen);
    else if (col.primed) {
      const occ = col.probe.values!(pkt);
      if (calc === COUNT) cells.counter[k] += BigInt(occ.length);
      else
        for (let i = 0; i < occ.length; i++) {
          const o = occ[i];
          if (calc === LOAD) this.load(cells, k, relUsTrunc(o.show));
          else if (kind === 'float' || kind === 'double') {
            const v = kind === 'float' ? Math.fround(floatValue(o.value, o.show)) : floatValue(o.value, o.show);
            const d = cells.dbl[k];
            const first = cells.frames[k] === 1 && i === 0;
            if (calc === SUM || calc === AVG) cells.dbl[k] = kind === 'float' ? Math.fround(d + v) : d + v;
            else if (calc === MIN && (first || v < d)) cells.dbl[k] = v;
            else if (calc === MAX && v > d) cells.dbl[k] = v;
            if (calc === AVG) cells.num[k]++;
          } else {
            const v = kind === 'reltime' ? relNs(o.show) : intValue(o.value, o.show);
            const c = cells.counter[k];
            if (calc === SUM || calc === AVG) cells.counter[k] = c + v;
            else if (calc === MIN && ((cells.frames[k] === 1 && i === 0) || less(kind, v, c))) cells.counter[k] = v;
            else if (calc === MAX && less(kind, c, v)) cells.counter[k] = v;
            if (calc === AVG) cells.num[k]++;
          }
        }
    }
    this.noteMax(col, k);
  }

  /**
   * LOAD(): a response time spread back over the intervals it lasted: what falls in the current one, then
   * whole intervals to the ones before (from the first interval tshark steps on to the last one made).
   */
  private load(cells: Cells, k: number, val: bigint): void {
    const iv = this.spec.interval === 0n ? 2n ** 64n - 1n : this.spec.interval;
    const tival = val % iv;
    cells.counter[k] += tival;
    const steps = (val - tival) / iv;
    if (steps === 0n) return;
    // steps go k-1, k-2, … 0, then on from the last interval (k), round and round
    const n = BigInt(cells.len);
    const rounds = steps / n;
    const rest = Number(steps % n);
    if (rounds > 0n) for (let i = 0; i < cells.len; i++) cells.counter[i] += U64(rounds * iv);
    let p = k;
    for (let s = 0; s < rest; s++) {
      p = p === 0 ? cells.len - 1 : p - 1;
      cells.counter[p] += iv;
    }
  }

  /** tshark keeps each column's largest value as it goes, for the column's width. */
  private noteMax(col: Column, k: number): void {
    const c = col.cells;
    const calc = col.spec.calc;
    const kind = col.spec.kind;
    const up = (v: bigint) => {
      if (v > col.maxVal) col.maxVal = v;
    };
    if (calc === FRAMES || calc === FRAMES_AND_BYTES) {
      if (c.frames[k] > col.maxFrame) col.maxFrame = c.frames[k];
      if (calc === FRAMES_AND_BYTES) up(c.counter[k]);
    } else if (calc === BYTES || calc === COUNT || calc === LOAD) up(c.counter[k]);
    else if (calc === SUM || calc === MIN || calc === MAX) {
      if (kind === 'float' || kind === 'double') up(toU64(c.dbl[k] + 0.5));
      else up(c.counter[k]);
    } else if (calc === AVG && c.num[k] !== 0) {
      const num = BigInt(c.num[k]);
      if (kind === 'float' || kind === 'double') up(toU64(c.dbl[k]) / num);
      else if (kind === 'reltime') up((c.counter[k] / num + 500_000_000n) / 1_000_000_000n);
      else up(c.counter[k] / num);
    }
  }

  /** tshark's text, byte for byte. Throws IoStatError when the intervals are more than the cap. */
  text(): string {
    const cols = this.cols;
    const whole0 = this.spec.interval === 0n;
    let duration = (this.elapsed + 500n) / 1000n;
    const origDuration = duration;
    let whole = whole0;
    let interval: bigint;
    if (whole0 || this.spec.interval > duration) {
      interval = duration;
      whole = true;
    } else interval = this.spec.interval;
    // tshark keeps the seconds in an unsigned int (a duration of 2^32 s or more wraps)
    const oldMag = magnitude(U32(duration / US), 5);
    const invlMag = magnitude(interval / US, 5);
    let prec: number;
    let border: number;
    if (interval === duration) {
      prec = oldMag >= 2 ? 1 : oldMag === 1 ? 3 : 6;
      border = 30 + oldMag + prec + 1;
    } else {
      prec = this.spec.prec;
      border = 25 + Math.max(invlMag, oldMag) + (prec === 0 ? 0 : prec + 1);
    }
    const dv = 10n ** BigInt(6 - prec);
    const half = 5n * (dv / 10n);
    let mag = oldMag;
    if (duration % dv > half) {
      duration = ((duration + half) / dv) * dv;
      mag = magnitude(U32(duration / US), 5);
    }
    if (whole) interval = duration;
    const rows = interval === 0n ? 0n : (duration + interval - 1n) / interval;
    if (this.overflow || rows * BigInt(cols.length) > BigInt(MAX_CELLS)) {
      throw new IoStatError(
        `${rows.toLocaleString('en-US')} intervals of ${secs(this.spec.interval)} s in this capture (${secs(origDuration)} s) × ${cols.length} column${cols.length > 1 ? 's' : ''}: ` +
          `wiretrace prints at most ${MAX_CELLS.toLocaleString('en-US')} cells; use a longer interval, or 0 for the whole capture`,
      );
    }

    let invlColW = prec === 0 ? 2 * mag + 8 : 2 * mag + 2 * prec + 10;
    invlColW = Math.max(invlColW, 12);
    border = Math.max(border, invlColW);

    // column widths and cell printers
    const w: { fr: number; val: number }[] = [];
    const cell: ((i: number, lastRow: boolean, t: bigint, end: bigint) => string)[] = [];
    let tabrow = invlColW;
    for (const col of cols) {
      const calc = col.spec.calc;
      const kind = col.spec.kind;
      const c = col.cells;
      const has = (i: number) => i < c.len;
      const namelen = calc === FRAMES_AND_BYTES ? 5 : CALC_NAMES[calc].length;
      if (calc === FRAMES || calc === FRAMES_AND_BYTES) {
        const fr = Math.max(6, magnitude(BigInt(col.maxFrame), 15));
        let val = 0;
        tabrow += fr + 3;
        if (calc === FRAMES) cell.push((i) => ` ${pad(has(i) ? c.frames[i] : 0, fr)} |`);
        else {
          val = Math.max(5, magnitude(col.maxVal, 15));
          tabrow += val + 3;
          cell.push((i) => ` ${pad(has(i) ? c.frames[i] : 0, fr)} | ${pad(has(i) ? c.counter[i] : 0n, val)} |`);
        }
        w.push({ fr, val });
        continue;
      }
      let val: number;
      if (calc === BYTES || calc === COUNT) {
        val = Math.max(5, magnitude(col.maxVal, 15));
        cell.push((i) => ` ${pad(has(i) ? c.counter[i] : 0n, val)} |`);
      } else if (kind === 'float' || kind === 'double') {
        const m = magnitude(col.maxVal, 15);
        val = m + 7;
        cell.push((i) => {
          if (!has(i)) return ` ${(0).toFixed(6).padStart(m)} |`;
          const num = c.num[i] === 0 ? 1 : c.num[i];
          const v = calc === AVG ? (kind === 'float' ? Math.fround(c.dbl[i]) / num : c.dbl[i] / num) : c.dbl[i];
          return ` ${v.toFixed(6).padStart(m)} |`;
        });
      } else if (kind === 'reltime') {
        let max = col.maxVal;
        if (calc === LOAD) max = interval === 0n ? 0n : max / interval;
        else if (calc !== AVG) max = U64(max + 500_000_000n) / 1_000_000_000n;
        const m = magnitude(max, 15);
        val = m + 7;
        const fmt = (us: bigint) => ` ${pad(U32(us / US), m)}.${pad(U32(us % US), 6, '0')} |`;
        cell.push((i, lastRow, t, end) => {
          if (!has(i)) return fmt(0n);
          const v = c.counter[i];
          if (calc === LOAD) {
            const d = lastRow ? end - t : interval;
            if (d === 0n) return fmt(0n);
            return ` ${pad(U32(v / d), m)}.${pad(U32(U64((v % d) * US) / d), 6, '0')} |`;
          }
          if (calc === AVG) return fmt(U64(v / BigInt(c.num[i] === 0 ? 1 : c.num[i]) + 500n) / 1000n);
          return fmt(U64(v + 500n) / 1000n);
        });
      } else {
        val = Math.max(namelen, magnitude(col.maxVal, 15));
        const signed = kind === 'int32' || kind === 'int64';
        cell.push((i) => {
          if (!has(i)) return ` ${pad(0n, val)} |`;
          let v = c.counter[i];
          if (calc === AVG) v = v / BigInt(c.num[i] === 0 ? 1 : c.num[i]);
          return ` ${pad(signed ? BigInt.asIntN(64, v) : v, val)} |`;
        });
      }
      w.push({ fr: 0, val });
      tabrow += val + 3;
    }
    border = Math.max(border, tabrow);
    let maxFilter = 0;
    for (const col of cols) maxFilter = Math.max(maxFilter, col.spec.title === null ? 26 : col.spec.title.length + 11);
    if (maxFilter > border && border < 102) border = Math.min(maxFilter, 102);
    if (border - tabrow === 1) border++;

    const sp = (x: number) => ' '.repeat(Math.max(0, border - x));
    const lines: string[] = ['', '='.repeat(border), `| IO Statistics${sp(16)}|`, `|${sp(2)}|`];
    const num = (v: bigint) => pad(U32(v), oldMag);
    const frac = (v: bigint) => pad((v % US) / dv, prec, '0');
    if (prec === 0) {
      lines.push(`| Duration: ${num(origDuration / US)}.${pad(origDuration % US, 6)} secs${sp(25 + mag)}|`);
      lines.push(`| Interval: ${num(interval / US)} secs${sp(18 + mag)}|`);
    } else {
      lines.push(`| Duration: ${num(duration / US)}.${frac(duration)} secs${sp(19 + mag + prec)}|`);
      lines.push(`| Interval: ${num(interval / US)}.${frac(interval)} secs${sp(19 + mag + prec)}|`);
    }
    lines.push(`|${sp(2)}|`);
    cols.forEach((col, j) => lines.push(...legend(col.spec.title, j, border)));
    lines.push(`|-${'-'.repeat(border - 3)}|`);

    const filler = tabrow < border ? `${' '.repeat(border - tabrow - 1)}|` : '';
    let head = `|${' '.repeat(invlColW - 2)}|`;
    cols.forEach((col, j) => {
      const calc = col.spec.calc;
      const width = calc === FRAMES_AND_BYTES ? w[j].fr + w[j].val + 3 : calc === FRAMES ? w[j].fr : w[j].val;
      head += `${String(j + 1).padEnd(2)}${' '.repeat(width)}|`;
    });
    lines.push(head + filler);
    let labels = `| Interval${' '.repeat(Math.max(0, invlColW - 11))}|`;
    cols.forEach((col, j) => {
      const calc = col.spec.calc;
      if (calc === FRAMES_AND_BYTES) labels += center('Frames', w[j].fr) + center('Bytes', w[j].val);
      else labels += center(CALC_NAMES[calc], calc === FRAMES ? w[j].fr : w[j].val);
    });
    lines.push(labels + filler);
    lines.push(`|-${'-'.repeat(tabrow - 3)}|${filler}`);

    const wide = prec === 0 && mag === 1;
    let i = 0;
    for (let t = 0n; t < duration; t += interval, i++) {
      let end = t + interval;
      let lastRow = false;
      if (end >= duration) {
        lastRow = true;
        end = duration;
      }
      let row: string;
      if (prec === 0) {
        if (lastRow) row = `| ${mag === 1 ? ' ' : ''}${num(t / US)} <> ${'Dur'.padEnd(mag >= 3 ? mag + 1 : 3)}|`;
        else row = wide ? `|  ${num(t / US)} <> ${num(end / US)}  |` : `| ${num(t / US)} <> ${num(end / US)} |`;
      } else row = `| ${num(t / US)}.${frac(t)} <> ${num(end / US)}.${frac(end)} |`;
      for (let j = 0; j < cols.length; j++) row += cell[j](i, lastRow, t, end);
      lines.push(row + filler);
    }
    lines.push('='.repeat(border));
    return lines.join('\n') + '\n';
  }
}

/** The legend line(s) of column j: its filter, wrapped at the box's width as tshark wraps it. */
function legend(title: string | null, j: number, border: number): string[] {
  const first = j === 0 ? `| Col${String(j + 1).padStart(2)}: ` : `|    ${String(j + 1).padStart(2)}: `;
  const sp = (x: number) => ' '.repeat(Math.max(0, border - x));
  if (title === null) return [`${first}Frames and bytes${sp(26)}|`];
  if (title.length + 11 <= border) return [`${first}${title}${sp(title.length + 10)}|`];
  const out: string[] = [];
  const maxW = border - 11;
  let f = title;
  let prefix = first;
  for (;;) {
    if (f.length > maxW) {
      const part = f.slice(0, maxW);
      const sp1 = part.lastIndexOf(' ');
      const len = sp1 >= 0 ? sp1 : part.length;
      out.push(`${prefix}${part.slice(0, len)}${sp(len + 10)}|`);
      prefix = '|        ';
      f = f.slice(sp1 >= 0 ? len + 1 : len);
    } else {
      out.push(`${prefix}${f}${sp(f.length + 10)}|`);
      return out;
    }
  }
}

/** Wireshark's printcenter(): a label centred in a column of `lenval` (one space of padding each side). */
function center(label: string, lenval: number): string {
  const diff = lenval - label.length;
  const len = 6 - (Math.trunc(diff / 2) + 1);
  if (len > 0 && len < 6) {
    const s = ' '.repeat(6 - len);
    return diff % 2 === 0 ? `${s}${label}${s}|` : ` ${s}${label}${s}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

function pad(v: number | bigint, w: number, fill = ' '): string {
  return String(v).padStart(w, fill);
}

/** C's (guint64) of a double (0 for what C leaves undefined). */
function toU64(d: number): bigint {
  return Number.isFinite(d) && d > 0 ? U64(BigInt(Math.trunc(d))) : 0n;
}

/** a < b as tshark compares values of the kind (int32: as gint32, int64: as gint64, others unsigned). */
function less(kind: Kind, a: bigint, b: bigint): boolean {
  if (kind === 'int32') return BigInt.asIntN(32, a) < BigInt.asIntN(32, b);
  if (kind === 'int64') return BigInt.asIntN(64, a) < BigInt.asIntN(64, b);
  return a < b;
}

function secs(us: bigint): string {
  return `${us / US}.${String(us % US).padStart(6, '0')}`;
}

/** An analyzer (after every other one: columns may read tcp.analysis.*) feeding an io,stat table. */
export function ioStatAnalyzer(stat: IoStat): Analyzer {
  return {
    name: 'io,stat',
    packet(pkt) {
      stat.add(pkt);
    },
  };
}
