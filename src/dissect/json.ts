// A bounded, never-throwing JSON reader over bytes, shared by the JSON dissector (dissectors/json.ts) and the
// dissectors that must decide whether bytes are JSON before they hand them over (DB-LSP-DISC).
//
// It reads RFC 8259 JSON whose top level is an object or an array (tshark's wsjson check, jsmn in strict mode,
// takes no other top level), with whitespace around it, and builds tshark 4.0's tree of it: Object / Array /
// Member items, the value items (String value, Number value, True/False/Null value), and the generated
// [Path], [Path with value] and [Member with value] items, in tshark's order (a member's value first, then its
// Key and [Path]). Strings are decoded (escapes, \uXXXX with surrogate pairs); with `ascii`, bytes 0x80 and up
// inside a string make the text not JSON, as tshark's jsmn check finds. Nesting deeper than MAX_DEPTH and more than
// MAX_ITEMS values make the text not JSON too (the reader gives up rather than recursing or growing without
// bound). It never throws: every read is bounds-checked, and the result says where reading failed.

import { fStr } from './fields.js';
import type { Field } from './types.js';

/** Nesting depth at most (objects and arrays inside each other). */
export const MAX_DEPTH = 64;
/** Values read at most in one text. */
export const MAX_ITEMS = 100_000;

export type JsonRead = { ok: true; root: Field } | { ok: false; at: number; why: string };

class Fail {
  constructor(
    readonly at: number,
    readonly why: string,
  ) {}
}

/** A tree line for an FT_NONE item: -T fields shows "1" for it, as tshark 4.0 does. */
function fNone(key: string, text: string, start: number, len: number, kids?: Field[]): Field {
  const f = fStr(key, text, '1', start, len);
  f.text = text;
  if (kids) f.children = kids;
  return f;
}

function genStr(key: string, label: string, v: string): Field {
  const f = fStr(key, label, v, 0, 0);
  f.text = `${label}: ${escapeText(v)}`;
  f.generated = true;
  return f;
}

/** How tshark's tree writes a string: control characters as C escapes. */
export function escapeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  let o = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\n') o += '\\n';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\t') o += '\\t';
    else if (ch === '\f') o += '\\f';
    else if (ch === '\v') o += '\\v';
    else if (ch === '\b') o += '\\b';
    else if (ch === '\x07') o += '\\a';
    else if (c < 0x20 || c === 0x7f) o += '\\x' + c.toString(16).padStart(2, '0');
    else o += ch;
  }
  return o;
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

class Reader {
  p: number;
  items = 0;
  constructor(
    readonly b: Uint8Array,
    start: number,
    readonly end: number,
    readonly ascii: boolean,
  ) {
    this.p = start;
  }

  ws(): void {
    while (this.p < this.end && isWs(this.b[this.p])) this.p++;
  }

  peek(): number {
    if (this.p >= this.end) throw new Fail(this.p, 'the text ends early');
    return this.b[this.p];
  }

  expect(c: number): void {
    if (this.peek() !== c) throw new Fail(this.p, `'${String.fromCharCode(c)}' expected`);
    this.p++;
  }

  count(): void {
    if (++this.items > MAX_ITEMS) throw new Fail(this.p, `more than ${MAX_ITEMS} values`);
  }

  /** A string at p (its opening quote): the decoded text. */
  string(): string {
    const { b, end } = this;
    this.expect(0x22);
    let s = '';
    let run = this.p;
    for (;;) {
      if (this.p >= end) throw new Fail(this.p, 'the string is not closed');
      const c = b[this.p];
      if (c >= 0x80 && this.ascii) throw new Fail(this.p, 'a byte from 0x80 in a string');
      if (c === 0x22) {
        s += text(b, run, this.p);
        this.p++;
        return s;
      }
      if (c !== 0x5c) {
        this.p++;
        continue;
      }
      s += text(b, run, this.p);
      if (this.p + 1 >= end) throw new Fail(this.p, 'the string is not closed');
      const e = b[this.p + 1];
      this.p += 2;
      switch (e) {
        case 0x22: s += '"'; break;
        case 0x5c: s += '\\'; break;
        case 0x2f: s += '/'; break;
        case 0x62: s += '\b'; break;
        case 0x66: s += '\f'; break;
        case 0x6e: s += '\n'; break;
        case 0x72: s += '\r'; break;
        case 0x74: s += '\t'; break;
        case 0x75: {
          const u = this.hex4();
          s += String.fromCharCode(u);
          break;
        }
        default:
          throw new Fail(this.p - 2, 'an unknown escape in a string');
      }
      run = this.p;
    }
  }

  hex4(): number {
    if (this.p + 4 > this.end) throw new Fail(this.p, 'a \\u escape cut short');
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.b[this.p + i];
      const d = isDigit(c) ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) throw new Fail(this.p + i, 'a \\u escape that is not hex');
      v = v * 16 + d;
    }
    this.p += 4;
    return v;
  }

  /** A number at p: its text as written. */
  number(): string {
    const { b, end } = this;
    const s = this.p;
    const dig = () => {
      const d0 = this.p;
      while (this.p < end && isDigit(b[this.p])) this.p++;
      if (this.p === d0) throw new Fail(this.p, 'a digit expected');
    };
    if (this.p < end && b[this.p] === 0x2d) this.p++;
    if (this.p < end && b[this.p] === 0x30) this.p++;
    else dig();
    if (this.p < end && b[this.p] === 0x2e) {
      this.p++;
      dig();
    }
    if (this.p < end && (b[this.p] === 0x65 || b[this.p] === 0x45)) {
      this.p++;
      if (this.p < end && (b[this.p] === 0x2b || b[this.p] === 0x2d)) this.p++;
      dig();
    }
    return latin(b, s, this.p);
  }

  word(w: string): void {
    for (let i = 0; i < w.length; i++) {
      if (this.p >= this.end || this.b[this.p] !== w.charCodeAt(i)) throw new Fail(this.p, `'${w}' expected`);
      this.p++;
    }
  }

  /**
   * A value at p, added to `out` as tshark shows it where `path` is the path of the value and `name` its member
   * name ("[]" in an array). Objects and arrays return themselves; scalars add three items.
   */
  value(out: Field[], path: string, name: string, depth: number): void {
    this.count();
    const c = this.peek();
    const s = this.p;
    if (c === 0x7b || c === 0x5b) {
      out.push(c === 0x7b ? this.object(path, depth + 1) : this.array(path, depth + 1));
      return;
    }
    let item: Field;
    let shown: string;
    if (c === 0x22) {
      const v = this.string();
      item = fStr('json.value.string', 'String value', v, s, this.p - s);
      item.text = `String value: ${escapeText(v)}`;
      shown = v;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      shown = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      this.word(shown);
      item = fNone(`json.value.${shown}`, `${shown[0].toUpperCase()}${shown.slice(1)} value`, s, this.p - s);
    } else if (c === 0x2d || isDigit(c)) {
      shown = this.number();
      item = fStr('json.value.number', 'Number value', shown, s, this.p - s);
    } else throw new Fail(s, 'a value expected');
    out.push(genStr('json.path_with_value', 'Path with value', `${path}:${shown}`), genStr('json.member_with_value', 'Member with value', `${name}:${shown}`), item);
  }

  object(path: string, depth: number): Field {
    if (depth > MAX_DEPTH) throw new Fail(this.p, `nested deeper than ${MAX_DEPTH}`);
    const s = this.p;
    this.expect(0x7b);
    const kids: Field[] = [];
    this.ws();
    if (this.peek() !== 0x7d) {
      for (;;) {
        this.ws();
        const ks = this.p;
        const key = this.string();
        this.ws();
        this.expect(0x3a);
        this.ws();
        const mkids: Field[] = [];
        const sub = `${path}/${key}`;
        this.value(mkids, sub, key, depth);
        const keyF = fStr('json.key', 'Key', key, ks, this.keyLen(ks));
        keyF.text = `Key: ${escapeText(key)}`;
        mkids.push(keyF, genStr('json.path', 'Path', sub));
        const m = fStr('json.member', 'Member', key, ks, this.p - ks);
        m.text = `Member: ${escapeText(key)}`;
        m.children = mkids;
        kids.push(m);
        this.ws();
        if (this.peek() === 0x2c) {
          this.p++;
          continue;
        }
        break;
      }
    }
    this.expect(0x7d);
    return fNone('json.object', 'Object', s, this.p - s, kids);
  }

  /** The byte length of the key string at ks (its quotes included), found again without decoding. */
  keyLen(ks: number): number {
    let i = ks + 1;
    while (i < this.end && this.b[i] !== 0x22) i += this.b[i] === 0x5c ? 2 : 1;
    return Math.min(i + 1, this.end) - ks;
  }

  array(path: string, depth: number): Field {
    if (depth > MAX_DEPTH) throw new Fail(this.p, `nested deeper than ${MAX_DEPTH}`);
    const s = this.p;
    this.expect(0x5b);
    const kids: Field[] = [];
    this.ws();
    if (this.peek() !== 0x5d) {
      for (;;) {
        this.ws();
        this.value(kids, `${path}/[]`, '[]', depth);
        this.ws();
        if (this.peek() === 0x2c) {
          this.p++;
          continue;
        }
        break;
      }
    }
    this.expect(0x5d);
    return fNone('json.array', 'Array', s, this.p - s, kids);
  }
}

const utf8 = new TextDecoder('utf-8');

/** A run of a string's bytes: ASCII as is, other bytes as UTF-8 (a byte that is not UTF-8 as U+FFFD). */
function text(b: Uint8Array, from: number, to: number): string {
  for (let i = from; i < to; i++) if (b[i] >= 0x80) return utf8.decode(b.subarray(from, to));
  return latin(b, from, to);
}

function latin(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * Read the JSON text in buf[start, end): its tree (one Object or Array item), or where and why it is not JSON.
 * `ascii`: a byte from 0x80 in a string makes the text not JSON (tshark's jsmn check, which DB-LSP-DISC asks
 * before it calls the JSON dissector; the JSON dissector itself, as HTTP calls it, takes such bytes).
 */
export function readJson(buf: Uint8Array, start: number, end: number, ascii = false): JsonRead {
  const r = new Reader(buf, start, Math.min(end, buf.length), ascii);
  try {
    r.ws();
    const c = r.peek();
    if (c !== 0x7b && c !== 0x5b) return { ok: false, at: r.p, why: 'the text is not an object or an array' };
    r.count();
    const root = c === 0x7b ? r.object('', 1) : r.array('', 1);
    r.ws();
    if (r.p < r.end) return { ok: false, at: r.p, why: 'bytes after the JSON text' };
    return { ok: true, root };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, at: e.at, why: e.why };
    return { ok: false, at: start, why: String(e) };
  }
}
