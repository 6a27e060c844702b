// `-T fields -e KEY … -E option=value`: one line per packet with the values of the named fields,
// equal to tshark's output for the same packet and options:
//   header=y|n          a first line with the keys (unquoted)
//   separator=/t|/s|c   between columns (default tab; c = any single character)
//   occurrence=f|l|a    first, last or all values of a key that occurs several times (default a)
//   aggregator=,|/s|c   between those values (default ',')
//   quote=d|s|n         wrap non-empty values in double or single quotes, or not (default n)
//   bom=y|n             start the output with a UTF-8 byte order mark
// A key absent from the packet gives an empty column. Values are Field.show strings found by
// walking the layers in tree order (fields, inner layers, analysis extras).
// The packet-list columns are keys too, as in tshark: _ws.col.No., _ws.col.Time (in the -t format),
// _ws.col.Source, _ws.col.Destination, _ws.col.Protocol, _ws.col.Length and _ws.col.Info: the text of
// the table's columns, unpadded.

import type { Packet } from '../dissect/chain.js';
import { KeyInterest, type Layer } from '../dissect/layer.js';
import type { Dissector, Field } from '../dissect/types.js';
import { rowParts } from './table.js';
import { TimeColumn, type TimeFormat } from './time.js';

/** tshark's keys for the packet-list columns (named by the default column titles). */
export const COLUMN_KEYS = [
  '_ws.col.No.',
  '_ws.col.Time',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Protocol',
  '_ws.col.Length',
  '_ws.col.Info',
] as const;

export interface FieldsOptions {
  header: boolean;
  separator: string;
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  quote: string;
  bom: boolean;
}

export function defaultFieldsOptions(): FieldsOptions {
  return { header: false, separator: '\t', occurrence: 'a', aggregator: ',', quote: '', bom: false };
}

function sepChar(v: string): string {
  if (v === '/t') return '\t';
  if (v === '/s') return ' ';
  return v.charAt(0);
}

/** Apply one -E "name=value" to `o`; returns an error message or null. */
export function applyFieldOption(o: FieldsOptions, opt: string): string | null {
  const eq = opt.indexOf('=');
  const name = eq < 0 ? opt : opt.slice(0, eq);
  const v = eq < 0 ? '' : opt.slice(eq + 1);
  const bad = (allowed: string) => `bad -E ${opt}: ${name} takes ${allowed}`;
  switch (name) {
    case 'header':
    case 'bom':
      if (v !== 'y' && v !== 'n') return bad('y or n');
      o[name] = v === 'y';
      return null;
    case 'separator':
      if (v === '') return bad('/t, /s or one character');
      o.separator = sepChar(v);
      return null;
    case 'aggregator':
      if (v === '') return bad(',, /s or one character');
      o.aggregator = sepChar(v);
      return null;
    case 'occurrence':
      if (v !== 'f' && v !== 'l' && v !== 'a') return bad('f (first), l (last) or a (all)');
      o.occurrence = v;
      return null;
    case 'quote':
      if (v === 'd') o.quote = '"';
      else if (v === 's') o.quote = "'";
      else if (v === 'n') o.quote = '';
      else return bad('d (double), s (single) or n (none)');
      return null;
    default:
      return `unknown -E option "${name}" (known: header, separator, occurrence, aggregator, quote, bom)`;
  }
}

/** Builds the -T fields lines. */
export class FieldsFormatter {
  private index = new Map<string, number[]>();
  private wanted = new Set<string>();
  /** Which dissectors and lazy extra builders can give a wanted key. */
  private readonly interest = new KeyInterest(this.wanted);
  /** Wanted keys a dissector declares (for its fieldShow fast path). */
  private disKeys = new WeakMap<Dissector, string[]>();
  private quickVals: (string | null)[] = [];
  private values: string[][];
  /** Per COLUMN_KEYS entry: the output columns that want it (null: no column key asked for). */
  private readonly colIdx: number[][] | null = null;
  /** Runs for every packet when _ws.col.Time is asked for (-t d needs the previous frame). */
  private readonly time: TimeColumn | null = null;

  constructor(
    readonly keys: readonly string[],
    readonly opts: FieldsOptions = defaultFieldsOptions(),
    timeFormat: TimeFormat = 'r',
  ) {
    if (keys.some((k) => k.startsWith('_ws.col.'))) {
      this.colIdx = COLUMN_KEYS.map((c) => keys.flatMap((k, i) => (k === c ? [i] : [])));
      if (this.colIdx[1].length > 0) this.time = new TimeColumn(timeFormat);
    }
    keys.forEach((k, i) => {
      const l = this.index.get(k);
      if (l) l.push(i);
      else this.index.set(k, [i]);
      this.wanted.add(k);
    });
    this.values = keys.map(() => []);
  }

  /** The header line (with its newline, and the BOM when asked), or ''. */
  header(): string {
    return (this.opts.bom ? '\ufeff' : '') + (this.opts.header ? this.keys.join(this.opts.separator) + '\n' : '');
  }

  private visit(fs: readonly Field[]): void {
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      const cols = this.index.get(f.key);
      if (cols !== undefined) for (let c = 0; c < cols.length; c++) this.values[cols[c]].push(f.show);
      if (f.children !== undefined) this.visit(f.children);
    }
  }

  /**
   * The wanted keys of layer `l` through its dissector's fieldShow (no field list built); false
   * when the dissector has none or cannot answer one of them cheaply.
   */
  private quick(l: Layer): boolean {
    const dis = l.dis;
    if (dis.fieldShow === undefined) return false;
    let keys = this.disKeys.get(dis);
    if (keys === undefined) {
      keys = [...new Set(dis.fieldKeys.filter((k) => this.wanted.has(k)))];
      this.disKeys.set(dis, keys);
    }
    const vals = this.quickVals;
    for (let k = 0; k < keys.length; k++) {
      const v = dis.fieldShow(l, keys[k]);
      if (v === undefined) return false;
      vals[k] = v;
    }
    // one value per key at most: the column order within the layer cannot differ from the tree's
    for (let k = 0; k < keys.length; k++) {
      const v = vals[k];
      if (v === null) continue;
      const cols = this.index.get(keys[k])!;
      for (let c = 0; c < cols.length; c++) this.values[cols[c]].push(v);
    }
    return true;
  }

  private walk(layers: readonly Layer[]): void {
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      // A layer can only emit keys its dissector declares; skip building fields nobody asked for.
      if (this.interest.wants(l.dis) && !this.quick(l)) this.visit(l.fields());
      if (l.inner !== null) this.walk(l.inner);
      const ex = l.extraUnless(this.interest.skipBuild);
      if (ex !== null) this.visit(ex);
    }
  }

  line(pkt: Packet): string {
    const vals = this.values;
    for (let i = 0; i < vals.length; i++) vals[i].length = 0;
    this.walk(pkt.layers);
    if (this.colIdx !== null) this.columns(pkt);
    const o = this.opts;
    let out = '';
    for (let i = 0; i < vals.length; i++) {
      if (i > 0) out += o.separator;
      const v = vals[i];
      if (v.length === 0) continue;
      const s = escapeBare(o.occurrence === 'a' ? (v.length === 1 ? v[0] : v.join(o.aggregator)) : o.occurrence === 'f' ? v[0] : v[v.length - 1]);
      out += o.quote === '' ? s : o.quote + s + o.quote;
    }
    return out + '\n';
  }

  /** A packet not shown (display filter): the time column still counts it. */
  skip(pkt: Packet): void {
    this.time?.skip(pkt.frame.ts);
  }

  private columns(pkt: Packet): void {
    const idx = this.colIdx!;
    const fr = pkt.frame;
    const time = this.time === null ? '' : this.time.next(fr.ts, fr.tsPrecision);
    const r = idx[2].length + idx[3].length + idx[4].length + idx[6].length > 0 ? rowParts(pkt.layers) : null;
    const texts = [String(fr.index), time, r?.source ?? '', r?.destination ?? '', r?.protocol ?? '', String(fr.origLen), r?.info ?? ''];
    for (let c = 0; c < idx.length; c++) {
      // an empty column (no addresses) is an empty value, as in tshark
      if (texts[c] === '') continue;
      for (const i of idx[c]) this.values[i].push(texts[c]);
    }
  }
}

const ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/**
 * tshark 4.0's escaping of a -T fields value: a backspace, tab, line feed, form feed or carriage
 * return inside a value (an HTTP body, a pcapng comment, a DNS TXT string) is written as \b, \t, \n,
 * \f, \r, so that every packet stays one line. Nothing else is escaped (other control characters
 * and a backslash are written as they are), with or without -E quote (checked on bytes 1-31 and 127).
 */
export function escapeBare(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 8 || c === 9 || c === 10 || c === 12 || c === 13) return s.replace(/[\b\t\n\f\r]/g, (m) => ESCAPES[m]);
  }
  return s;
}

function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** Known keys close to `key`: small edit distance first, then keys sharing its protocol prefix. */
export function closeMatches(key: string, known: Iterable<string>, max = 5): string[] {
  const scored: [number, string][] = [];
  const dot = key.lastIndexOf('.');
  const prefix = dot > 0 ? key.slice(0, dot + 1) : key + '.';
  for (const k of known) {
    const d = editDistance(key, k);
    if (d <= Math.max(2, Math.floor(key.length / 4))) scored.push([d, k]);
    else if (k.startsWith(prefix)) scored.push([10 + d, k]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  return scored.slice(0, max).map((s) => s[1]);
}

/** Error line for the first -e key not in `known`, or null when all are known. */
export function checkFieldKeys(keys: readonly string[], known: ReadonlySet<string>): string | null {
  for (const k of keys) {
    if (known.has(k)) continue;
    const near = closeMatches(k, known);
    return `unknown field "${k}" for -e` + (near.length ? `; did you mean ${near.join(', ')}?` : `; no known field is close (${known.size} known)`);
  }
  return null;
}
