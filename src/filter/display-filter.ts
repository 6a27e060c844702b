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
//   eth.src[0:3] == 00:1b:21          slices: [i:len] [i-j] [i] [:len] [i:], negative i from the end, a,b joined
//   len(http.host) > 20               functions: len count lower upper string max min abs
//   ip.src#2 == 10.0.0.1              layer operator: the field in the 2nd IP layer (a tunnel, an ICMP
//   tcp.port#[2-3], ip#[-1]           error's quoted header); ranges as slices but counted from 1
//   frame.len - ip.len == 14          arithmetic: + - * / % and unary -, grouped with { }, on numbers;
//   {tcp.srcport + 1} * 2 > 100       each value of one side with each of the other (tshark's way)
//
// A test on a field the packet lacks is false, whatever the operator (so `ip.addr != 1.2.3.4` is false
// for an ARP packet, while `!(ip.addr == 1.2.3.4)` is true), as in Wireshark. Values are compared by the
// field's type: numbers as numbers (decimal, 0x hex, 0 octal, fractions), booleans as 1/0/true/false,
// IPv4/IPv6 addresses as addresses (any textual form, prefixes), MAC addresses in any of the usual
// notations, strings exactly, byte fields as bytes (aa:bb:cc, aa-bb-cc, aabbcc, or a quoted string).
// A bare word that is a known field on the right-hand side is that field (`ip.src == ip.dst`).
//
// A slice takes the bytes of a bytes field, an address or a protocol (a string field: its UTF-8
// bytes); a number cannot be sliced (tshark refuses such a filter; here it matches nothing, as a
// slice past the end does). len() is a string's length in bytes, a bytes field's or protocol's
// length, else the field's size in the packet; count() the occurrences (none: no value).
//
// Layers are counted per protocol up the stack (eth#1 ip#1 udp#1 icmp#1 ip#2 udp#2 …, as Wireshark
// 4.0 counts them): a field's layer is the one its protocol's dissector made it in.
//
// Arithmetic takes numbers (a field's other values, and division by zero, give none); integers divide
// as C does (toward zero). Unlike tshark, which converts a literal to the other side's field type
// first, the numbers are computed as numbers: `ip.ttl * -1 == -64` is true here, no value there.
//
// Not supported (a clear error says so): macros. Written by
// hand: no npm package parses this language, and the grammar is small (a recursive-descent parser
// over a tokenizer).

import type { Packet } from '../dissect/chain.js';
import { KeyInterest, type Layer } from '../dissect/layer.js';
import { fmtBytesHex, fmtBytesSep } from '../dissect/fields.js';
import type { Field, FieldValue } from '../dissect/types.js';

/** A filter the user wrote wrong: one line, with where. */
export class FilterError extends Error {}

type CmpOp = 'any_eq' | 'all_ne' | 'any_ne' | 'all_eq' | 'gt' | 'ge' | 'lt' | 'le';

/** The right-hand side of a test: a literal (as written) or another field, slice or function. */
interface Literal {
  text: string;
  /** Written in double quotes (a string, never a field name or a number). */
  quoted: boolean;
  /** What it names, when it is an unquoted known field (or a slice of one, or a function call). */
  x: Operand | null;
}

/** A byte range of a slice: from `off` (negative: from the end), `len` bytes or to `end` (inclusive), or to the end. */
interface SliceRange {
  off: number;
  len: number | null;
  end: number | null;
}

type FnName = 'len' | 'count' | 'lower' | 'upper' | 'string' | 'max' | 'min' | 'abs';
/** Functions and how many arguments each takes (tshark 4.0's). */
const FUNCTIONS: Record<FnName, [number, number]> = {
  len: [1, 1], count: [1, 1], lower: [1, 1], upper: [1, 1], string: [1, 1], max: [1, Infinity], min: [1, Infinity], abs: [1, 1],
};

/** What a test reads: a field or protocol, a slice of one, or a function of them. */
type Operand =
  | { k: 'field'; name: string; layers: SliceRange[] | null }
  | { k: 'slice'; of: Operand; ranges: SliceRange[] }
  | { k: 'call'; fn: FnName; args: Operand[] }
  | { k: 'arith'; op: ArithOp; a: Operand; b: Operand }
  | { k: 'neg'; a: Operand }
  | { k: 'num'; v: number; text: string };

type ArithOp = '+' | '-' | '*' | '/' | '%';

type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'exists'; x: Operand }
  | { k: 'cmp'; op: CmpOp; x: Operand; v: Literal }
  | { k: 'contains'; x: Operand; v: Literal }
  | { k: 'matches'; x: Operand; re: RegExp }
  | { k: 'in'; x: Operand; set: (Literal | [Literal, Literal])[] };

interface Token {
  /** arith: + * % (and a lone - or /, which are word characters elsewhere: 10.0.0.0/8, 8000-8080). */
  t: 'word' | 'str' | 'op' | 'punct' | 'arith' | 'end';
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
    if (c === '+' || c === '*' || c === '%') {
      out.push({ t: 'arith', s: c, at });
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
      const w = src.slice(i, j);
      out.push({ t: w === '-' || w === '/' ? 'arith' : 'word', s: w, at });
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

  /** The next token is the operator `sym` or its keyword `word` (|| or, && and, ! not). */
  private atOp(sym: string, word: string): boolean {
    const t = this.peek();
    return (t.t === 'op' && t.s === sym) || this.kw(word);
  }

  /** operand (op operand)…, left to right: `or` over `and`s, `and` over `not`s. */
  private chain(k: 'or' | 'and', sym: string, operand: () => Node): Node {
    let a = operand();
    while (this.atOp(sym, k)) {
      this.next();
      a = { k, a, b: operand() };
    }
    return a;
  }

  private or(): Node {
    return this.chain('or', '||', () => this.and());
  }

  private and(): Node {
    return this.chain('and', '&&', () => this.not());
  }

  private not(): Node {
    if (this.atOp('!', 'not')) {
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
    const group = t.t === 'punct' && t.s === '{';
    if (t.t !== 'word' && !group && !(t.t === 'arith' && t.s === '-')) throw new FilterError(`"${t.s}" ${this.where(t)}: expected a field or protocol name`);
    const x = this.sum(t);
    const op = this.peek();
    if (op.t === 'op' && OPS[op.s] !== undefined) {
      this.next();
      return { k: 'cmp', op: OPS[op.s], x, v: this.value() };
    }
    if (op.t === 'word') {
      const w = op.s.toLowerCase();
      if (OPS[w] !== undefined) {
        this.next();
        return { k: 'cmp', op: OPS[w], x, v: this.value() };
      }
      if (w === 'contains') {
        this.next();
        return { k: 'contains', x, v: this.value() };
      }
      if (w === 'matches') {
        this.next();
        return { k: 'matches', x, re: this.regex() };
      }
      if (w === 'in') {
        this.next();
        return { k: 'in', x, set: this.set() };
      }
    }
    if (op.t === 'op' && op.s === '~') {
      this.next();
      return { k: 'matches', x, re: this.regex() };
    }
    return { k: 'exists', x };
  }

  /** An arithmetic expression from `t` (taken): terms joined by + and -. Without operators, just the operand. */
  private sum(t: Token): Operand {
    let x = this.product(t);
    while (this.peek().t === 'arith' && (this.peek().s === '+' || this.peek().s === '-')) {
      const op = this.next().s as ArithOp;
      x = { k: 'arith', op, a: x, b: this.product(this.next()) };
    }
    return x;
  }

  private product(t: Token): Operand {
    let x = this.unary(t);
    while (this.peek().t === 'arith' && (this.peek().s === '*' || this.peek().s === '/' || this.peek().s === '%')) {
      const op = this.next().s as ArithOp;
      x = { k: 'arith', op, a: x, b: this.unary(this.next()) };
    }
    return x;
  }

  /** `-x`, `{ … }`, a number, or a field, slice or call. */
  private unary(t: Token): Operand {
    if (t.t === 'arith' && t.s === '-') return { k: 'neg', a: this.unary(this.next()) };
    if (t.t === 'punct' && t.s === '{') {
      const x = this.sum(this.next());
      const c = this.next();
      if (c.t !== 'punct' || c.s !== '}') throw new FilterError(`missing "}" ${this.where(c)} (for the "{" at position ${t.at + 1})`);
      return x;
    }
    if (t.t !== 'word') throw new FilterError(t.t === 'end' ? 'the filter ends where a field or number was expected' : `"${t.s}" ${this.where(t)}: expected a field or number`);
    const after = this.peek();
    const known = this.isName(t.s);
    if (!known && !(after.t === 'punct' && after.s === '(')) {
      if (this.negated(t)) return { k: 'neg', a: this.operand({ t: 'word', s: t.s.slice(1), at: t.at + 1 }) };
      const v = parseNumber(t.s);
      if (v !== null) return { k: 'num', v, text: t.s };
    }
    return this.operand(t);
  }

  /** A field or protocol name. */
  private isName(s: string): boolean {
    return this.known.fields.has(s) || this.known.protocols.has(s);
  }

  /** `-name` written as one word, name a field or protocol. */
  private negated(t: Token): boolean {
    const name = t.s.slice(1);
    return t.s.startsWith('-') && this.isName(name);
  }

  /** A field or protocol (`t`, taken), a slice of one, or a function call. */
  private operand(t: Token): Operand {
    const after = this.peek();
    if (after.t === 'punct' && after.s === '(') return this.call(t);
    const name = this.name(t);
    let x: Operand = { k: 'field', name, layers: after.t === 'punct' && after.s === '#' ? this.layers(t, after) : null };
    while (this.peek().t === 'punct' && this.peek().s === '[') x = { k: 'slice', of: x, ranges: this.ranges() };
    return x;
  }

  /** fn(arg, …): `t` is the function's name, "(" comes next. */
  private call(t: Token): Operand {
    const fn = t.s.toLowerCase();
    if (!Object.hasOwn(FUNCTIONS, fn)) throw new FilterError(`unknown function ${t.s}() at position ${t.at + 1}; there are ${Object.keys(FUNCTIONS).join(', ')}`);
    const [min, max] = FUNCTIONS[fn as FnName];
    this.next(); // (
    const args: Operand[] = [];
    for (;;) {
      const a = this.next();
      if (a.t !== 'word') throw new FilterError(`${fn}() takes fields: "${a.s || 'end'}" ${this.where(a)}`);
      args.push(this.operand(a));
      const c = this.next();
      if (c.t === 'punct' && c.s === ')') break;
      if (c.t !== 'punct' || c.s !== ',') throw new FilterError(`missing ")" ${this.where(c)} (for ${fn}( at position ${t.at + 1})`);
    }
    if (args.length < min || args.length > max) {
      throw new FilterError(`${fn}() takes ${min === max ? `one field` : `one or more fields`}, not ${args.length} (position ${t.at + 1})`);
    }
    return { k: 'call', fn: fn as FnName, args };
  }

  /**
   * The layer operator after the name `t`: `#N` or `#[ranges]` (as a slice's, counted from 1),
   * written without spaces as tshark wants it. As in tshark, 0 (and a missing start) is a layer
   * before the first, which no packet has: `#0` and `#[:1]` match nothing, `#[0:2]` is layer 1.
   */
  private layers(t: Token, hash: Token): SliceRange[] {
    this.next(); // #
    const n = this.peek();
    const glued = hash.at === t.at + t.s.length && n.at === hash.at + 1;
    if (glued && n.t === 'punct' && n.s === '[') return this.ranges();
    if (glued && n.t === 'word' && /^\d+$/.test(n.s)) {
      this.next();
      return [{ off: Number(n.s), len: 1, end: null }];
    }
    throw new FilterError(`"#" at position ${hash.at + 1} takes a layer number or [range] right after it, as in ${t.s}#2 or ${t.s}#[1-2]`);
  }

  /** [range, …] after a field: i:len, i-j (inclusive, i before j, one sign), i, :len, i: (negative i counts from the end). */
  private ranges(): SliceRange[] {
    const open = this.next();
    const out: SliceRange[] = [];
    for (;;) {
      const r = this.next();
      const bad = () => new FilterError(`bad slice "${r.s || 'end'}" ${this.where(r)}: write [start:length], [start-end], [start], [:length] or [start:]`);
      if (r.t !== 'word') throw bad();
      let m: RegExpExecArray | null;
      if ((m = /^(-?\d+)?:(\d+)?$/.exec(r.s)) !== null && (m[1] !== undefined || m[2] !== undefined)) {
        const len = m[2] === undefined ? null : Number(m[2]);
        if (len === 0) throw new FilterError(`slice "${r.s}" ${this.where(r)} has length 0`);
        out.push({ off: m[1] === undefined ? 0 : Number(m[1]), len, end: null });
      } else if ((m = /^(-?\d+)-(-?\d+)$/.exec(r.s)) !== null) {
        // tshark's rules for start-end: the same sign, start before end
        const a = Number(m[1]), b = Number(m[2]);
        if (a < 0 !== b < 0) throw new FilterError(`range "${r.s}" ${this.where(r)}: ${a} and ${b} have different signs`);
        if (a >= b) throw new FilterError(`range "${r.s}" ${this.where(r)}: ${a} is not before ${b}`);
        out.push({ off: a, len: null, end: b });
      }
      else if ((m = /^-?\d+$/.exec(r.s)) !== null) out.push({ off: Number(r.s), len: 1, end: null });
      else throw bad();
      const c = this.next();
      if (c.t === 'punct' && c.s === ']') return out;
      if (c.t !== 'punct' || c.s !== ',') throw new FilterError(`missing "]" ${this.where(c)} (for the "[" at position ${open.at + 1})`);
    }
  }

  /** A field or protocol name the filter reads; an error naming close matches when unknown. */
  private name(t: Token): string {
    const s = t.s;
    if (this.isName(s)) {
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
    if (t.t === 'str') return { text: t.s, quoted: true, x: null };
    if ((t.t === 'punct' && t.s === '{') || (t.t === 'arith' && t.s === '-')) return { text: t.s, quoted: false, x: this.sum(t) };
    if (t.t === 'word') {
      const after = this.peek();
      const known = this.isName(t.s);
      // a field, a call or a literal with arithmetic after it, or a negated field (-ip.ttl)
      if (after.t === 'arith' || (after.t === 'punct' && after.s === '(') || (!known && this.negated(t))) return { text: t.s, quoted: false, x: this.sum(t) };
      return { text: t.s, quoted: false, x: known ? this.operand(t) : null };
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
      if (dd > 0) out.push([{ text: v.text.slice(0, dd), quoted: false, x: null }, { text: v.text.slice(dd + 2), quoted: false, x: null }]);
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
function compareValue(v: FieldValue, show: string, lit: string, quoted = false): number {
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
    // a quoted string: its bytes (tcp.payload[0:3] == "GET")
    const b = quoted ? utf8(lit) : hexBytes(lit) ?? (lit.length === 1 ? Uint8Array.of(lit.charCodeAt(0) & 255) : null);
    if (b === null) return NaN;
    return compareArrays(v, b);
  }
  return NaN; // no value (a protocol, a text line): only its presence can be tested
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** A literal as the bytes `contains` looks for in a bytes value. */
function litBytes(lit: Literal): Uint8Array {
  if (!lit.quoted) {
    const h = hexBytes(lit.text);
    if (h !== null) return h;
  }
  return utf8(lit.text);
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));
}

// ---- evaluation ------------------------------------------------------------------------------

/** One occurrence of a name in a packet: a field, or a protocol layer (its bytes are its value); or a slice or function value. */
export interface Occ {
  value: FieldValue;
  show: string;
  /** Bytes it takes in the packet (a field's len; len() of a number or an address). */
  len: number;
  /** The protocol of the layer it is in, and that layer's number among the packet's layers of that protocol (from 1). */
  proto?: string;
  layer?: number;
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
  /** Layers per protocol in the packet (the layer operator's negative numbers count from the last). */
  private readonly layerCount = new Map<string, number>();

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

  /**
   * The occurrences of `name` (a field or protocol this filter reads) in `pkt`, in tree order: every
   * one, hidden fields and those inside an ICMP error's quoted headers too (for `-z io,stat` sums).
   */
  occurrences(pkt: Packet, name: string): readonly Occ[] {
    this.pkt = pkt;
    this.occ.clear();
    this.collected = false;
    return this.get(name);
  }

  /** The occurrences of `name` in the packet, in tree order. */
  private get(name: string): Occ[] {
    if (!this.collected) this.collect();
    return this.occ.get(name) ?? [];
  }

  private collect(): void {
    this.collected = true;
    for (const n of this.names) this.occ.set(n, []);
    this.layerCount.clear();
    this.walk(this.pkt!.layers);
  }

  private walk(layers: readonly Layer[]): void {
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      const proto = l.dis.filterProto === undefined ? l.proto : l.dis.filterProto(l);
      const n = (this.layerCount.get(proto) ?? 0) + 1;
      this.layerCount.set(proto, n);
      if (this.protoNames.has(proto)) this.occ.get(proto)!.push({ value: l.buf.subarray(l.start, l.end), show: '', len: l.end - l.start, proto, layer: n });
      if (this.interest.wants(l.dis)) this.visit(l.fields(), proto, n);
      if (l.inner !== null) this.walk(l.inner);
      const ex = l.extraUnless(this.interest.skipBuild);
      if (ex !== null) this.visit(ex, proto, n);
    }
  }

  private visit(fs: readonly Field[], proto: string, layer: number): void {
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (this.fieldNames.has(f.key)) this.occ.get(f.key)!.push({ value: f.value, show: f.show, len: f.len, proto, layer });
      if (f.children !== undefined) this.visit(f.children, proto, layer);
    }
  }

  /** Whether occurrence `o` is in one of the layers `ranges` (the layer operator) choose. */
  private inLayers(o: Occ, ranges: readonly SliceRange[]): boolean {
    const i = o.layer ?? 0;
    if (i === 0) return false;
    const total = this.layerCount.get(o.proto!) ?? 0;
    for (const r of ranges) {
      const first = r.off >= 0 ? r.off : total + 1 + r.off;
      const last = r.len !== null ? first + r.len - 1 : r.end !== null ? (r.end > 0 ? r.end : total + 1 + r.end) : total;
      if (i >= first && i <= last) return true;
    }
    return false;
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
        return this.values(n.x).length > 0;
      case 'cmp':
        return this.cmp(n.op, this.values(n.x), n.v);
      case 'contains': {
        const occ = this.values(n.x);
        for (const o of occ) if (contains(o, n.v)) return true;
        return false;
      }
      case 'matches': {
        for (const o of this.values(n.x)) {
          const v = o.value;
          const text = typeof v === 'string' ? v : v instanceof Uint8Array ? latin1(v) : o.show;
          if (n.re.test(text)) return true;
        }
        return false;
      }
      case 'in': {
        for (const o of this.values(n.x)) {
          for (const m of n.set) {
            if (Array.isArray(m)) {
              const lo = compareValue(o.value, o.show, m[0].text), hi = compareValue(o.value, o.show, m[1].text);
              if (lo >= 0 && hi <= 0) return true;
            } else if (compareValue(o.value, o.show, m.text, m.quoted) === 0) return true;
          }
        }
        return false;
      }
    }
  }

  private cmp(op: CmpOp, occ: Occ[], lit: Literal): boolean {
    if (occ.length === 0) return false;
    // the right-hand side: another field's (slice's, function's) values, or the literal
    const rhs: string[] = lit.x !== null ? this.values(lit.x).map(asLiteral) : [lit.text];
    if (rhs.length === 0) return false;
    const all = op === 'all_ne' || op === 'all_eq';
    for (const o of occ) {
      let hit = false;
      for (const r of rhs) {
        const c = compareValue(o.value, o.show, r, lit.x === null && lit.quoted);
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

  /** The values an operand has in the packet: a field's occurrences, a slice of each, a function's result. */
  private values(x: Operand): Occ[] {
    if (x.k === 'field') {
      const all = this.get(x.name);
      const ranges = x.layers;
      return ranges === null ? all : all.filter((o) => this.inLayers(o, ranges));
    }
    if (x.k === 'slice') {
      const out: Occ[] = [];
      for (const o of this.values(x.of)) {
        const b = occBytes(o);
        const s = b === null ? null : slice(b, x.ranges);
        if (s !== null) out.push({ value: s, show: fmtBytesSep(s, 0, s.length), len: s.length });
      }
      return out;
    }
    if (x.k === 'num') return [{ value: x.v, show: x.text, len: 0 }];
    if (x.k === 'neg') return this.numbers(x.a).map((v) => numOcc(-v));
    if (x.k === 'arith') {
      const a = this.numbers(x.a), b = this.numbers(x.b);
      const out: Occ[] = [];
      for (const u of a) for (const w of b) {
        const r = arith(x.op, u, w);
        if (r !== null) out.push(numOcc(r));
      }
      return out;
    }
    return call(x.fn, x.args.map((a) => this.values(a)));
  }

  /** An operand's values that are numbers (bigints as numbers). */
  private numbers(x: Operand): number[] {
    const out: number[] = [];
    for (const o of this.values(x)) {
      const v = o.value;
      if (typeof v === 'number') out.push(v);
      else if (typeof v === 'bigint') out.push(Number(v));
    }
    return out;
  }
}

/** a op b; integers divide toward zero (as C, as tshark); null for a division by zero. */
function arith(op: ArithOp, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return null;
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case '%':
      return b === 0 ? null : a % b;
  }
}

/** An address field (its text, `len` bytes in the packet) as its bytes, or null. */
function addressBytes(o: Occ): number[] | null {
  const v = o.value as string;
  if (o.len === 4 || o.len === 16) {
    const ip = ipBytes(v);
    if (ip !== null && ip.length === o.len) return ip;
  }
  if (o.len === 6) {
    const m = macText(v);
    if (m !== null) return m.split(':').map((h) => parseInt(h, 16));
  }
  return null;
}

/** The bytes a slice takes from: a bytes field or protocol, an address, a string's UTF-8; null for a number. */
function occBytes(o: Occ): Uint8Array | null {
  const v = o.value;
  if (v instanceof Uint8Array) return v;
  if (typeof v !== 'string') return null;
  const a = addressBytes(o);
  return a !== null ? Uint8Array.from(a) : utf8(v);
}

/** The slice's ranges of `b`, joined; null when one lies outside it (as in Wireshark: no value). */
function slice(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  const parts: Uint8Array[] = [];
  const n = b.length;
  for (const r of ranges) {
    const from = r.off < 0 ? n + r.off : r.off;
    const to = r.len !== null ? from + r.len : r.end !== null ? (r.end < 0 ? n + r.end : r.end) + 1 : n;
    if (from < 0 || to > n || to <= from) return null;
    parts.push(b.subarray(from, to));
  }
  return parts.length === 1 ? parts[0] : Uint8Array.from(Buffer.concat(parts));
}

const numOcc = (n: number): Occ => ({ value: n, show: String(n), len: 0 });

/** A function's values from its arguments' values (a value the function does not take gives none). */
function call(fn: FnName, args: Occ[][]): Occ[] {
  const a = args[0];
  switch (fn) {
    case 'len':
      return a.map((o) => {
        const v = o.value;
        if (v instanceof Uint8Array) return numOcc(v.length);
        if (typeof v === 'string' && addressBytes(o) === null) return numOcc(Buffer.byteLength(v, 'utf8'));
        return numOcc(o.len);
      });
    case 'count':
      return a.length > 0 ? [numOcc(a.length)] : [];
    case 'lower':
    case 'upper': {
      const out: Occ[] = [];
      for (const o of a) {
        if (typeof o.value !== 'string' || addressBytes(o) !== null) continue;
        const s = fn === 'lower' ? o.value.toLowerCase() : o.value.toUpperCase();
        out.push({ value: s, show: s, len: o.len });
      }
      return out;
    }
    case 'string':
      return a.map((o) => {
        const s = typeof o.value === 'string' ? o.value : o.show;
        return { value: s, show: s, len: o.len };
      });
    case 'abs':
      return a.filter((o) => typeof o.value === 'number').map((o) => numOcc(Math.abs(o.value as number)));
    case 'max':
    case 'min': {
      let best: number | null = null;
      for (const list of args) {
        for (const o of list) {
          if (typeof o.value !== 'number') continue;
          if (best === null || (fn === 'max' ? o.value > best : o.value < best)) best = o.value;
        }
      }
      return best === null ? [] : [numOcc(best)];
    }
  }
}

/** A field occurrence as a literal (field == field comparisons). */
function asLiteral(o: Occ): string {
  const v = o.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Uint8Array) return fmtBytesHex(v, 0, v.length);
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
