// -T json (one array, streamed packet by packet) and -T ndjson (one packet per line).
// Schema: docs/json-schema.md.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import { epochText, frameDissector } from '../dissect/frame.js';
import type { Field, FieldValue, Problem } from '../dissect/types.js';
import { layerTitle } from './tree.js';

const q = JSON.stringify;
// Buffer's native hex encoder (lower case, like fmtBytesHex) works on any Uint8Array.
const hexSlice = (Buffer.prototype as unknown as { hexSlice(this: Uint8Array, s: number, e: number): string }).hexSlice;

function valueJson(v: FieldValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : q(String(v));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return '"' + v.toString() + '"';
    case 'string':
      return q(v);
    default:
      return '"' + (v.length > 0 ? hexSlice.call(v, 0, v.length) : '') + '"';
  }
}

// '{"key":…,"label":…,"value":' for each (key, label) pair: they repeat in every packet.
// Keyed by key, then label (no concatenated lookup string per field).
const heads = new Map<string, Map<string, string>>();
let headCount = 0;
function head(key: string, label: string): string {
  let byLabel = heads.get(key);
  if (byLabel === undefined) {
    byLabel = new Map();
    if (headCount < 20000) heads.set(key, byLabel);
  }
  let h = byLabel.get(label);
  if (h === undefined) {
    h = '{"key":' + q(key) + ',"label":' + q(label) + ',"value":';
    if (headCount < 20000) {
      byLabel.set(label, h);
      headCount++;
    }
  }
  return h;
}

function fieldsJson(fs: readonly Field[]): string {
  let s = '';
  let first = true;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    if (f.hidden === true) continue; // like tshark -T json: hidden fields (ip.addr, tcp.port) are not shown
    if (!first) s += ',';
    first = false;
    const v = f.value;
    const show = q(f.show);
    // a string value equal to the show text: quote it once
    s += head(f.key, f.label) + (v === f.show ? show : valueJson(v)) + ',"show":' + show +
      ',"start":' + f.start + ',"len":' + f.len;
    if (f.text !== undefined) s += ',"text":' + q(f.text);
    if (f.mask !== undefined) s += ',"mask":' + f.mask;
    if (f.generated) s += ',"generated":true';
    if (f.children !== undefined && f.children.length > 0) s += ',"children":[' + fieldsJson(f.children) + ']';
    s += '}';
  }
  return s;
}

function problemsJson(ps: readonly Problem[] | null): string {
  if (ps === null) return '';
  let s = '';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (i > 0) s += ',';
    s += '{"kind":"' + p.kind + '","message":' + q(p.message) + ',"start":' + p.start + ',"end":' + p.end + '}';
  }
  return s;
}

export function layersJson(layers: readonly Layer[]): string {
  let s = '';
  let first = true;
  for (const l of layers) {
    if (l.dis === frameDissector) continue;
    if (!first) s += ',';
    first = false;
    const fields = fieldsJson(l.fields());
    const extra = l.extra !== null ? fieldsJson(l.extra) : '';
    s += '{"protocol":' + q(l.proto) + ',"title":' + q(layerTitle(l)) + ',"start":' + l.start + ',"end":' + l.end;
    if (l.bufName !== null) s += ',"source":' + q(l.bufName);
    s += ',"fields":[' + fields + (fields !== '' && extra !== '' ? ',' : '') + extra + ']';
    s += ',"problems":[' + problemsJson(l.problems) + ']';
    if (l.inner !== null && l.inner.length > 0) s += ',"inner":[' + layersJson(l.inner) + ']';
    s += '}';
  }
  return s;
}

/** One packet as a JSON object (no newline). */
export function packetJson(pkt: Packet): string {
  const fr = pkt.frame;
  let s = '{"frame":{"number":' + fr.index + ',"time_epoch":"' + epochText(fr.ts) + '","len":' + fr.origLen +
    ',"cap_len":' + fr.data.length + ',"interface_id":' + fr.ifIndex + ',"link_type":' + fr.linkType;
  if (fr.comments !== undefined && fr.comments.length > 0) s += ',"comments":' + q(fr.comments);
  // live capture stamps frames with the host clock (cap gives no kernel timestamp): say so
  if (fr.tsSource !== undefined) s += ',"time_source":"' + fr.tsSource + '"';
  s += '},"layers":[' + layersJson(pkt.layers) + ']';
  // problems of the frame pseudo-layer (e.g. unsupported link type)
  const fl = pkt.layers[0];
  if (fl !== undefined && fl.dis === frameDissector && fl.problems !== null) s += ',"problems":[' + problemsJson(fl.problems) + ']';
  return s + '}';
}

// ---- the same JSON written straight to bytes ----------------------------------------------------
// The sinks use this: building a packet's JSON as a string makes a rope of thousands of pieces that
// must be flattened and then encoded (most of the -T json time). Here each piece is encoded into a
// reused byte buffer as it is produced. The output is byte for byte that of packetJson() in UTF-8.

const HEXD = '0123456789abcdef';
/** Buffer's native UTF-8 encoder works on any Uint8Array (returns bytes written). */
const utf8Write = (Buffer.prototype as unknown as { utf8Write(this: Uint8Array, s: string, at: number): number }).utf8Write;
/** Characters JSON.stringify escapes (controls, quote, backslash) and surrogates (lone ones escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A growable UTF-8 byte buffer with JSON helpers. */
export class JsonBytes {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
  }

  /** Text as is (UTF-8; lone surrogates as U+FFFD, like Buffer). */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n * 3 > this.buf.length) this.ensure(n * 3);
    if (n > 24) {
      this.pos += utf8Write.call(this.buf, s, this.pos);
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else p = this.wide(s, i, c, p, false), i = this.skip;
    }
    this.pos = p;
  }

  /** JSON.stringify(s) as bytes. */
  quoted(s: string): void {
    const n = s.length;
    if (this.pos + n * 6 + 2 > this.buf.length) this.ensure(n * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    if (n > 24 && !NEEDS_ESCAPE.test(s)) {
      // nothing to escape: the native encoder
      p += utf8Write.call(b, s, p);
      b[p++] = 34;
      this.pos = p;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c === 34 || c === 92) b[p++] = 92;
        b[p++] = c;
      } else if (c < 0x20) {
        b[p++] = 92;
        switch (c) {
          case 8: b[p++] = 98; break; // \b
          case 9: b[p++] = 116; break; // \t
          case 10: b[p++] = 110; break; // \n
          case 12: b[p++] = 102; break; // \f
          case 13: b[p++] = 114; break; // \r
          default:
            b[p++] = 117; b[p++] = 48; b[p++] = 48;
            b[p++] = HEXD.charCodeAt(c >> 4); b[p++] = HEXD.charCodeAt(c & 15);
        }
      } else p = this.wide(s, i, c, p, true), i = this.skip;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** Index of the last UTF-16 unit consumed by wide(). */
  private skip = 0;

  /** Encode the char at s[i] (c >= 0x80); a lone surrogate: \udxxx when quoting (JSON.stringify), else U+FFFD. */
  private wide(s: string, i: number, c: number, p: number, json: boolean): number {
    const b = this.buf;
    this.skip = i;
    if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 63);
      return p;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        b[p++] = 0xf0 | (cp >> 18);
        b[p++] = 0x80 | ((cp >> 12) & 63);
        b[p++] = 0x80 | ((cp >> 6) & 63);
        b[p++] = 0x80 | (cp & 63);
        this.skip = i + 1;
        return p;
      }
      if (json) {
        b[p++] = 92; b[p++] = 117;
        for (let k = 12; k >= 0; k -= 4) b[p++] = HEXD.charCodeAt((c >> k) & 15);
        return p;
      }
      c = 0xfffd;
    }
    b[p++] = 0xe0 | (c >> 12);
    b[p++] = 0x80 | ((c >> 6) & 63);
    b[p++] = 0x80 | (c & 63);
    return p;
  }

  /** A number as String(n) writes it. */
  num(v: number): void {
    if (v >= 0 && v < 4294967296 && v === Math.floor(v)) {
      if (this.pos + 10 > this.buf.length) this.ensure(10);
      const b = this.buf;
      if (v < 10) {
        b[this.pos++] = 48 + v;
        return;
      }
      let digits = 1;
      for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
      let p = this.pos + digits;
      this.pos = p;
      for (let t = v; ; ) {
        const q10 = Math.floor(t / 10);
        b[--p] = 48 + (t - q10 * 10);
        if (q10 === 0) break;
        t = q10;
      }
      return;
    }
    this.raw(String(v));
  }
}

const headBytes = new Map<string, Map<string, Uint8Array>>();
let headBytesCount = 0;
function headB(o: JsonBytes, key: string, label: string): void {
  let byLabel = headBytes.get(key);
  if (byLabel === undefined) {
    byLabel = new Map();
    if (headBytesCount < 20000) headBytes.set(key, byLabel);
  }
  let h = byLabel.get(label);
  if (h === undefined) {
    h = Buffer.from(head(key, label), 'utf8');
    if (headBytesCount < 20000) {
      byLabel.set(label, h);
      headBytesCount++;
    }
  }
  if (o.pos + h.length > o.buf.length) o.ensure(h.length);
  o.buf.set(h, o.pos);
  o.pos += h.length;
}

function valueBytes(o: JsonBytes, v: FieldValue): void {
  if (v === null) return o.raw('null');
  switch (typeof v) {
    case 'number':
      if (Number.isFinite(v)) o.num(v);
      else o.quoted(String(v));
      return;
    case 'boolean':
      return o.raw(v ? 'true' : 'false');
    case 'bigint':
      return o.raw('"' + v.toString() + '"');
    case 'string':
      return o.quoted(v);
    default:
      return o.raw('"' + (v.length > 0 ? hexSlice.call(v, 0, v.length) : '') + '"');
  }
}

/** Writes the fields (hidden ones left out, like fieldsJson); returns whether any was written. */
function fieldsBytes(o: JsonBytes, fs: readonly Field[]): boolean {
  let first = true;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    if (f.hidden === true) continue;
    if (!first) o.raw(',');
    first = false;
    headB(o, f.key, f.label);
    const v = f.value;
    if (v === f.show) {
      // the same quoted text twice: encode it once, copy the bytes
      const a = o.pos;
      o.quoted(f.show);
      const e = o.pos;
      o.raw(',"show":');
      o.ensure(e - a);
      o.buf.copyWithin(o.pos, a, e);
      o.pos += e - a;
    } else {
      valueBytes(o, v);
      o.raw(',"show":');
      o.quoted(f.show);
    }
    o.raw(',"start":');
    o.num(f.start);
    o.raw(',"len":');
    o.num(f.len);
    if (f.text !== undefined) {
      o.raw(',"text":');
      o.quoted(f.text);
    }
    if (f.mask !== undefined) {
      o.raw(',"mask":');
      o.num(f.mask);
    }
    if (f.generated) o.raw(',"generated":true');
    if (f.children !== undefined && f.children.length > 0) {
      o.raw(',"children":[');
      fieldsBytes(o, f.children);
      o.raw(']');
    }
    o.raw('}');
  }
  return !first;
}

function problemsBytes(o: JsonBytes, ps: readonly Problem[] | null): void {
  if (ps === null) return;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (i > 0) o.raw(',');
    o.raw('{"kind":"' + p.kind + '","message":');
    o.quoted(p.message);
    o.raw(',"start":');
    o.num(p.start);
    o.raw(',"end":');
    o.num(p.end);
    o.raw('}');
  }
}

function layersBytes(o: JsonBytes, layers: readonly Layer[]): void {
  let first = true;
  for (const l of layers) {
    if (l.dis === frameDissector) continue;
    if (!first) o.raw(',');
    first = false;
    const fields = l.fields();
    const extra = l.extra;
    o.raw('{"protocol":');
    o.quoted(l.proto);
    o.raw(',"title":');
    o.quoted(layerTitle(l));
    o.raw(',"start":');
    o.num(l.start);
    o.raw(',"end":');
    o.num(l.end);
    if (l.bufName !== null) {
      o.raw(',"source":');
      o.quoted(l.bufName);
    }
    o.raw(',"fields":[');
    const any = fieldsBytes(o, fields);
    if (extra !== null && extra.length > 0) {
      // the comma goes in only when both lists write something
      const at = o.pos;
      if (any) o.raw(',');
      if (!fieldsBytes(o, extra)) o.pos = at;
    }
    o.raw('],"problems":[');
    problemsBytes(o, l.problems);
    o.raw(']');
    if (l.inner !== null && l.inner.length > 0) {
      o.raw(',"inner":[');
      layersBytes(o, l.inner);
      o.raw(']');
    }
    o.raw('}');
  }
}

/** packetJson(pkt) appended to `o` as UTF-8 bytes. */
export function packetJsonBytes(o: JsonBytes, pkt: Packet): void {
  const fr = pkt.frame;
  o.raw('{"frame":{"number":');
  o.num(fr.index);
  o.raw(',"time_epoch":"' + epochText(fr.ts) + '","len":');
  o.num(fr.origLen);
  o.raw(',"cap_len":');
  o.num(fr.data.length);
  o.raw(',"interface_id":');
  o.num(fr.ifIndex);
  o.raw(',"link_type":');
  o.num(fr.linkType);
  if (fr.comments !== undefined && fr.comments.length > 0) o.raw(',"comments":' + q(fr.comments));
  if (fr.tsSource !== undefined) o.raw(',"time_source":"' + fr.tsSource + '"');
  o.raw('},"layers":[');
  layersBytes(o, pkt.layers);
  o.raw(']');
  const fl = pkt.layers[0];
  if (fl !== undefined && fl.dis === frameDissector && fl.problems !== null) {
    o.raw(',"problems":[');
    problemsBytes(o, fl.problems);
    o.raw(']');
  }
  o.raw('}');
}
