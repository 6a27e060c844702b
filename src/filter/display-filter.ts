// Display filters (`wiretrace read -Y FILTER`): the part of Wireshark's display filter language
// (wireshark-filter(4), as tshark 4.0 reads it) that people type every day:
//
//   tcp                               a protocol or field is present
//   ip.addr == 10.0.0.1               == eq any_eq   any occurrence equals
//   ip.addr != 10.0.0.1               != ne all_ne !==  every occurrence differs
//   ip.addr ~= 10.0.0.1               ~= any_ne      some occurrence differs
//   tcp.port === 80                   === all_eq     every occurrence equals
//   frame.len > 1000                  > gt  >= ge  < lt  <= le
//   ip.src == 10.0.0.0/8              CIDR for IPv4 and IPv6 addresses
//   tcp.port in {80, 443, 8000..8080} a set of values and ranges
//   http.host contains "example"      substring of a string, or bytes of a bytes field / protocol
//   tcp.payload contains 47:45:54     a byte string
//   http.request.uri matches "\.php$" regular expression, case-insensitive unless it starts with (?-i)
//   a && b, a and b, a || b, a or b, !a, not a, ( … )
//
// A test on a field the packet lacks is false, whatever the operator (so `ip.addr != 1.2.3.4` is false
// for an ARP packet, while `!(ip.addr == 1.2.3.4)` is true), as in Wireshark. Values are compared by the
// field's type: numbers as numbers (decimal, 0x hex, 0 octal, fractions), booleans as 1/0/true/false,
// IPv4/IPv6 addresses as addresses (any textual form, prefixes), MAC addresses in any of the usual
// notations, strings exactly, byte fields as bytes (aa:bb:cc, aa-bb-cc, aabbcc, or a quoted string).
// A bare word that is a known field on the right-hand side is that field (`ip.src == ip.dst`).
//
// Not supported (a clear error says so): slices (`eth.src[0:3]`), functions (`len(…)`, `upper(…)`),
// macros, layer operators (`ip.addr#2`), arithmetic. Written by hand: no npm package parses this
// language, and the grammar is small (a recursive-descent parser over a tokenizer).

import type { Packet } from '../dissect/chain.js';
import { KeyInterest, type Layer } from '../dissect/layer.js';
import type { Field, FieldValue } from '../dissect/types.js';

/** A filter the user wrote wrong: one line, with where. */
export class FilterError extends Error {}

type CmpOp = 'any_eq' | 'all_ne' | 'any_ne' | 'all_eq' | 'gt' | 'ge' | 'lt' | 'le';

/** The right-hand side of a test: a literal (as written) or another field. */
interface Literal {
  text: string;
  /** Written in double quotes (a string, never a field name or a number). */
  quoted: boolean;
  /** The field it names, when it is an unquoted known field. */
  field: string | null;
}

type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'exists'; name: string }
  | { k: 'cmp'; op: CmpOp; name: string; v: Literal }
  | { k: 'contains'; name: string; v: Literal }
  | { k: 'matches'; name: string; re: RegExp }
  | { k: 'in'; name: string; set: (Literal | [Literal, Literal])[] };

interface Token {
  t: 'word' | 'str' | 'op' | 'punct' | 'end';
  s: string;
  at: number;
}

const OPS: Record<string, CmpOp> = {
  '==': 'any_eq', eq: 'any_eq', any_eq: 'any_eq',
  '!=': 'all_ne', ne: 'all_ne', all_ne: 'all_ne', '!==': 'all_ne',
  '~=': 'any_ne', any_ne: 'any_ne',
  '===': 'all_eq', all_eq: 'all_eq',
  '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le',
};

const WORD = /[A-Za-z0-9_.:\-/]/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if (c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= n) throw new FilterError(`unterminated string starting at position ${at + 1}`);
        const d = src[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = src[i + 1];
          i += 2;
          if (e === 'n') s += '\n';
          else if (e === 't') s += '\t';
          else if (e === 'r') s += '\r';
          else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i, i + 2))) {
            s += String.fromCharCode(parseInt(src.slice(i, i + 2), 16));
            i += 2;
          } else if (/[0-7]/.test(e) && /^[0-7]{2}$/.test(src.slice(i, i + 2))) {
            s += String.fromCharCode(parseInt(e + src.slice(i, i + 2), 8));
            i += 2;
          } else s += e; // \" \\ and any other escaped character stand for themselves
          continue;
        }
        s += d;
        i++;
      }
      out.push({ t: 'str', s, at });
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    if (three === '===' || three === '!==') {
      out.push({ t: 'op', s: three, at });
      i += 3;
      continue;
    }
    if (['==', '!=', '~=', '>=', '<=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', s: two, at });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<' || c === '!' || c === '~') {
      out.push({ t: 'op', s: c, at });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '{' || c === '}' || c === ',' || c === '[' || c === ']' || c === '$' || c === '#') {
      out.push({ t: 'punct', s: c, at });
      i++;
      continue;
    }
    if (WORD.test(c)) {
      let j = i + 1;
      while (j < n && WORD.test(src[j])) j++;
      out.push({ t: 'word', s: src.slice(i, j), at });
      i = j;
      continue;
    }
    if (c === '=') throw new FilterError(`"=" at position ${at + 1}: compare with == (or eq)`);
    throw new FilterError(`unexpected character "${c}" at position ${at + 1}`);
  }
  out.push({ t: 'end', s: '', at: n });
  return out;
}

/** What the parser needs to know about names. */
export interface FilterNames {
  /** Field keys (-e accepts them). */
  fields: ReadonlySet<string>;
  /** Protocol names (layer protos). */
  protocols: ReadonlySet<string>;
  /** Close matches for an unknown name (for the error message). */
  suggest?(name: string): string[];
}

class Parser {
  private p = 0;
  /** Every field and protocol name the filter reads. */
  readonly names = new Set<string>();
  constructor(
    private readonly toks: Token[],
    private readonly known: FilterNames,
  ) {}

  private peek(): Token {
    return this.toks[this.p];
  }
  private next(): Token {
    return this.toks[this.p++];
  }
  private kw(...words: string[]): boolean {
    const t = this.peek();
    return t.t === 'word' && words.includes(t.s.toLowerCase());
  }
  private where(t: Token): string {
    return t.t === 'end' ? 'at the end' : `at position ${t.at + 1}`;
  }

  parse(): Node {
    if (this.peek().t === 'end') throw new FilterError('the filter is empty');
    const n = this.or();
    const t = this.peek();
    if (t.t !== 'end') throw new FilterError(`"${t.s}" ${this.where(t)} was not expected here`);
    return n;
  }

  private or(): Node {
    let a = this.and();
    for (;;) {
      const t = this.peek();
      if ((t.t === 'op' && t.s === '||') || this.kw('or')) {
        this.next();
        a = { k: 'or', a, b: this.and() };
      } else return a;
    }
  }

  private and(): Node {
    let a = this.not();
    for (;;) {
      const t = this.peek();
      if ((t.t === 'op' && t.s === '&&') || this.kw('and')) {
        this.next();
        a = { k: 'and', a, b: this.not() };
      } else return a;
    }
  }

  private not(): Node {
    const t = this.peek();
    if ((t.t === 'op' && t.s === '!') || this.kw('not')) {
      this.next();
      return { k: 'not', a: this.not() };
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.next();
    if (t.t === 'punct' && t.s === '(') {
      const n = this.or();
      const c = this.next();
      if (c.t !== 'punct' || c.s !== ')') throw new FilterError(`missing ")" ${this.where(c)} (for the "(" at position ${t.at + 1})`);
      return n;
    }
    if (t.t === 'end') throw new FilterError('the filter ends where a field or protocol name was expected');
    if (t.t !== 'word') throw new FilterError(`"${t.s}" ${this.where(t)}: expected a field or protocol name`);
    const name = this.name(t);
    const after = this.peek();
    if (after.t === 'punct' && after.s === '[') throw new FilterError(`slices such as ${name}[0:3] are not supported (position ${after.at + 1})`);
    if (after.t === 'punct' && after.s === '(') throw new FilterError(`functions such as ${t.s}(…) are not supported (position ${t.at + 1})`);
    if (after.t === 'punct' && after.s === '#') throw new FilterError(`layer operators such as ${name}#2 are not supported (position ${after.at + 1})`);
    const op = this.peek();
    if (op.t === 'op' && OPS[op.s] !== undefined) {
      this.next();
      return { k: 'cmp', op: OPS[op.s], name, v: this.value() };
    }
    if (op.t === 'word') {
      const w = op.s.toLowerCase();
      if (OPS[w] !== undefined) {
        this.next();
        return { k: 'cmp', op: OPS[w], name, v: this.value() };
      }
      if (w === 'contains') {
        this.next();
        return { k: 'contains', name, v: this.value() };
      }
      if (w === 'matches') {
        this.next();
        return { k: 'matches', name, re: this.regex() };
      }
      if (w === 'in') {
        this.next();
        return { k: 'in', name, set: this.set() };
      }
    }
    if (op.t === 'op' && op.s === '~') {
      this.next();
      return { k: 'matches', name, re: this.regex() };
    }
    return { k: 'exists', name };
  }

  /** A field or protocol name the filter reads; an error naming close matches when unknown. */
  private name(t: Token): string {
    const s = t.s;
    if (this.known.fields.has(s) || this.known.protocols.has(s)) {
      this.names.add(s);
      return s;
    }
    const near = this.known.suggest?.(s) ?? [];
    throw new FilterError(
      `"${s}" (position ${t.at + 1}) is neither a field nor a protocol name` + (near.length ? `; did you mean ${near.join(', ')}?` : ''),
    );
  }

  private value(): Literal {
    const t = this.next();
    if (t.t === 'str') return { text: t.s, quoted: true, field: null };
    if (t.t === 'word') {
      const field = this.known.fields.has(t.s) || this.known.protocols.has(t.s) ? t.s : null;
      if (field !== null) this.names.add(field);
      return { text: t.s, quoted: false, field };
    }
    throw new FilterError(t.t === 'end' ? 'the filter ends where a value was expected' : `"${t.s}" ${this.where(t)}: expected a value`);
  }

  private regex(): RegExp {
    const t = this.next();
    if (t.t !== 'str') throw new FilterError(`matches takes a quoted regular expression (${this.where(t)})`);
    let src = t.s;
    // PCRE's leading option groups, as Wireshark users write them: (?i) / (?-i)
    let flags = 'i';
    for (;;) {
      if (src.startsWith('(?-i)')) {
        flags = '';
        src = src.slice(5);
      } else if (src.startsWith('(?i)')) {
        flags = 'i';
        src = src.slice(4);
      } else break;
    }
    try {
      return new RegExp(src, flags + 's');
    } catch (e) {
      throw new FilterError(`bad regular expression "${t.s}": ${(e as Error).message}`);
    }
  }

  private set(): (Literal | [Literal, Literal])[] {
    const open = this.next();
    if (open.t !== 'punct' || open.s !== '{') throw new FilterError(`"in" takes a set such as {80, 443} (${this.where(open)})`);
    const out: (Literal | [Literal, Literal])[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'punct' && t.s === '}') {
        this.next();
        break;
      }
      if (out.length > 0) {
        if (t.t !== 'punct' || t.s !== ',') throw new FilterError(`"${t.s || 'end'}" ${this.where(t)}: set members are separated by commas`);
        this.next();
      }
      const v = this.value();
      // a range: 1..100 comes as one word
      const dd = v.quoted ? -1 : v.text.indexOf('..');
      if (dd > 0) out.push([{ text: v.text.slice(0, dd), quoted: false, field: null }, { text: v.text.slice(dd + 2), quoted: false, field: null }]);
      else out.push(v);
    }
    if (out.length === 0) throw new FilterError('an empty set {} matches nothing: give at least one value');
    return out;
  }
}

// ---- values ----------------------------------------------------------------------------------

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0x/i, ''), 16);
  if (/^[+-]?0[0-7]+$/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0/, ''), 8);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  return null;
}

function parseBool(s: string): boolean | null {
  const l = s.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  const n = parseNumber(s);
  return n === null ? null : n !== 0;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** A number written in decimal, as a string field may hold one (a time in seconds). */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function v4Bytes(s: string): number[] | null {
  const m = V4.exec(s);
  if (m === null) return null;
  const b = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return b.every((x) => x <= 255) ? b : null;
}

function v6Bytes(s: string): number[] | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let head = s, tail = '';
  const dc = s.indexOf('::');
  if (dc >= 0) {
    if (s.indexOf('::', dc + 1) >= 0) return null;
    head = s.slice(0, dc);
    tail = s.slice(dc + 2);
  }
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const ps = part.split(':');
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      if (i === ps.length - 1 && p.includes('.')) {
        const v4 = v4Bytes(p);
        if (v4 === null) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const h = groups(head), t = groups(tail);
  if (h === null || t === null) return null;
  const missing = 8 - h.length - t.length;
  if (dc < 0 ? missing !== 0 : missing < 1) return null;
  const g = [...h, ...new Array<number>(dc < 0 ? 0 : missing).fill(0), ...t];
  const b: number[] = [];
  for (const x of g) b.push(x >> 8, x & 255);
  return b;
}

function ipBytes(s: string): number[] | null {
  return v4Bytes(s) ?? v6Bytes(s);
}

const MAC = /^([0-9a-fA-F]{2})[:\-.]?([0-9a-fA-F]{2})[:\-.]?([0-9a-fA-F]{2})[:\-.]?([0-9a-fA-F]{2})[:\-.]?([0-9a-fA-F]{2})[:\-.]?([0-9a-fA-F]{2})$/;
const MAC_DOTTED = /^([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})$/;

function macText(s: string): string | null {
  const m = MAC.exec(s);
  if (m !== null) return m.slice(1, 7).join(':').toLowerCase();
  const d = MAC_DOTTED.exec(s);
  if (d !== null) return d.slice(1, 4).map((g) => g.slice(0, 2) + ':' + g.slice(2)).join(':').toLowerCase();
  return null;
}

/** Bytes written as aa:bb:cc, aa-bb-cc, aa.bb.cc or aabbcc (an even number of hex digits), or null. */
function hexBytes(s: string): Uint8Array | null {
  let h: string;
  if (/^[0-9a-fA-F]{1,2}([:\-.][0-9a-fA-F]{1,2})*$/.test(s)) h = s.split(/[:\-.]/).map((x) => x.padStart(2, '0')).join('');
  else if (/^([0-9a-fA-F]{2})+$/.test(s)) h = s;
  else return null;
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

function compareArrays(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function cmpResult(op: CmpOp, c: number): boolean {
  switch (op) {
    case 'any_eq':
    case 'all_eq':
      return c === 0;
    case 'all_ne':
    case 'any_ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
  }
}

/**
 * Compare one field value with a literal: the comparison result (<0, 0, >0), NaN when they cannot be
 * compared (different kinds, or a value that does not fit the field's type: the test is false).
 * `prefix`: a CIDR literal matches addresses inside it (result 0), else compares as the network address.
 */
function compareValue(v: FieldValue, show: string, lit: string): number {
  if (typeof v === 'number') {
    const n = parseNumber(lit);
    if (n !== null) return v < n ? -1 : v > n ? 1 : 0;
    const b = parseBool(lit);
    if (b !== null) return v === (b ? 1 : 0) ? 0 : v < (b ? 1 : 0) ? -1 : 1;
    return show === lit ? 0 : NaN;
  }
  if (typeof v === 'boolean') {
    const b = parseBool(lit);
    if (b === null) return NaN;
    return v === b ? 0 : v ? 1 : -1;
  }
  if (typeof v === 'bigint') {
    try {
      const n = BigInt(lit);
      return v < n ? -1 : v > n ? 1 : 0;
    } catch {
      return NaN;
    }
  }
  if (typeof v === 'string') {
    const fieldIp = ipBytes(v);
    if (fieldIp !== null) {
      const slash = lit.indexOf('/');
      const addr = slash >= 0 ? lit.slice(0, slash) : lit;
      const litIp = ipBytes(addr);
      if (litIp === null || litIp.length !== fieldIp.length) return v === lit ? 0 : NaN;
      if (slash >= 0) {
        const bits = Number(lit.slice(slash + 1));
        if (!Number.isInteger(bits) || bits < 0 || bits > litIp.length * 8) return NaN;
        const a = fieldIp.slice(), b = litIp.slice();
        for (let i = 0; i < a.length; i++) {
          const keep = Math.max(0, Math.min(8, bits - i * 8));
          const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
          a[i] &= mask;
          b[i] &= mask;
        }
        return compareArrays(a, b);
      }
      return compareArrays(fieldIp, litIp);
    }
    const fieldMac = macText(v);
    if (fieldMac !== null) {
      const m = macText(lit);
      if (m !== null) return fieldMac < m ? -1 : fieldMac > m ? 1 : 0;
    }
    // times kept as exact decimal text (frame.time_epoch, frame.time_relative, dns.time …) compare as numbers
    if (v !== lit && DECIMAL.test(v)) {
      const n = parseNumber(lit);
      if (n !== null) {
        const x = Number(v);
        return x < n ? -1 : x > n ? 1 : 0;
      }
    }
    return v < lit ? -1 : v > lit ? 1 : 0;
  }
  if (v instanceof Uint8Array) {
    const b = hexBytes(lit) ?? (lit.length === 1 ? Uint8Array.of(lit.charCodeAt(0) & 255) : null);
    if (b === null) return NaN;
    return compareArrays(v, b);
  }
  return NaN; // no value (a protocol, a text line): only its presence can be tested
}

/** A literal as the bytes `contains` looks for in a bytes value. */
function litBytes(lit: Literal): Uint8Array {
  if (!lit.quoted) {
    const h = hexBytes(lit.text);
    if (h !== null) return h;
  }
  return Uint8Array.from(Buffer.from(lit.text, 'utf8'));
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));
}

// ---- evaluation ------------------------------------------------------------------------------

/** One occurrence of a name in a packet: a field, or a protocol layer (its bytes are its value). */
interface Occ {
  value: FieldValue;
  show: string;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** A compiled display filter. */
export class DisplayFilter {
  /** Field keys and protocol names it reads (the pipeline keeps the analyzers that give them). */
  readonly names: readonly string[];
  private readonly root: Node;
  private readonly fieldNames: Set<string>;
  private readonly protoNames: Set<string>;
  /** Which dissectors and lazy extra builders can give a field it reads. */
  private readonly interest: KeyInterest;
  // per packet
  private occ = new Map<string, Occ[]>();
  private pkt: Packet | null = null;

  constructor(
    readonly source: string,
    known: FilterNames,
  ) {
    const p = new Parser(tokenize(source), known);
    this.root = p.parse();
    this.names = [...p.names];
    this.fieldNames = new Set(this.names.filter((n) => known.fields.has(n)));
    this.interest = new KeyInterest(this.fieldNames);
    this.protoNames = new Set(this.names.filter((n) => known.protocols.has(n)));
  }

  /** Whether `pkt` passes. */
  test(pkt: Packet): boolean {
    this.pkt = pkt;
    this.occ.clear();
    this.collected = false;
    return this.eval(this.root);
  }

  private collected = false;

  /** The occurrences of `name` in the packet, in tree order. */
  private get(name: string): Occ[] {
    if (!this.collected) this.collect();
    return this.occ.get(name) ?? [];
  }

  private collect(): void {
    this.collected = true;
    for (const n of this.names) this.occ.set(n, []);
    this.walk(this.pkt!.layers);
  }

  private walk(layers: readonly Layer[]): void {
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      const proto = l.dis.filterProto === undefined ? l.proto : l.dis.filterProto(l);
      if (this.protoNames.has(proto)) this.occ.get(proto)!.push({ value: l.buf.subarray(l.start, l.end), show: '' });
      if (this.interest.wants(l.dis)) this.visit(l.fields());
      if (l.inner !== null) this.walk(l.inner);
      const ex = l.extraUnless(this.interest.skipBuild);
      if (ex !== null) this.visit(ex);
    }
  }

  private visit(fs: readonly Field[]): void {
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (this.fieldNames.has(f.key)) this.occ.get(f.key)!.push({ value: f.value, show: f.show });
      if (f.children !== undefined) this.visit(f.children);
    }
  }

  private eval(n: Node): boolean {
    switch (n.k) {
      case 'and':
        return this.eval(n.a) && this.eval(n.b);
      case 'or':
        return this.eval(n.a) || this.eval(n.b);
      case 'not':
        return !this.eval(n.a);
      case 'exists':
        return this.get(n.name).length > 0;
      case 'cmp':
        return this.cmp(n.op, this.get(n.name), n.v);
      case 'contains': {
        const occ = this.get(n.name);
        for (const o of occ) if (contains(o, n.v)) return true;
        return false;
      }
      case 'matches': {
        for (const o of this.get(n.name)) {
          const v = o.value;
          const text = typeof v === 'string' ? v : v instanceof Uint8Array ? latin1(v) : o.show;
          if (n.re.test(text)) return true;
        }
        return false;
      }
      case 'in': {
        for (const o of this.get(n.name)) {
          for (const m of n.set) {
            if (Array.isArray(m)) {
              const lo = compareValue(o.value, o.show, m[0].text), hi = compareValue(o.value, o.show, m[1].text);
              if (lo >= 0 && hi <= 0) return true;
            } else if (compareValue(o.value, o.show, m.text) === 0) return true;
          }
        }
        return false;
      }
    }
  }

  private cmp(op: CmpOp, occ: Occ[], lit: Literal): boolean {
    if (occ.length === 0) return false;
    // the right-hand side: another field's occurrences, or the literal
    const rhs: string[] = lit.field !== null ? this.get(lit.field).map(asLiteral) : [lit.text];
    if (rhs.length === 0) return false;
    const all = op === 'all_ne' || op === 'all_eq';
    for (const o of occ) {
      let hit = false;
      for (const r of rhs) {
        const c = compareValue(o.value, o.show, r);
        if (!Number.isNaN(c) && cmpResult(op, c)) {
          hit = true;
          break;
        }
      }
      if (all && !hit) return false;
      if (!all && hit) return true;
    }
    return all;
  }
}

/** A field occurrence as a literal (field == field comparisons). */
function asLiteral(o: Occ): string {
  const v = o.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return o.show;
}

function contains(o: Occ, lit: Literal): boolean {
  const v = o.value;
  if (v instanceof Uint8Array) return indexOfBytes(v, litBytes(lit)) >= 0;
  const text = typeof v === 'string' ? v : o.show;
  if (!lit.quoted) {
    const h = hexBytes(lit.text);
    if (h !== null && !text.includes(lit.text)) return text.includes(latin1(h));
  }
  return text.includes(lit.text);
}
