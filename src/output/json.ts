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
    if (f.hidden === true) continue; // hidden fields (ip.addr, tcp.port, http.*.line) repeat shown ones: left out (tshark -T json keeps them); -T fields finds them
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

/**
 * The frame layer's analysis fields (frame.time_relative, frame.time_delta, frame.protocols) as
 * members of the "frame" object: ',"time_relative":"0.000123000"…', '' when none.
 */
function frameExtras(pkt: Packet): string {
  const fl = pkt.layers[0];
  if (fl === undefined || fl.dis !== frameDissector) return '';
  const ex = fl.extra;
  if (ex === null) return '';
  let s = '';
  for (let i = 0; i < ex.length; i++) {
    const f = ex[i];
    if (f.key.startsWith('frame.')) s += ',' + q(f.key.slice(6)) + ':' + q(f.show);
  }
  return s;
}

/** One packet as a JSON object (no newline). */
export function packetJson(pkt: Packet): string {
  const fr = pkt.frame;
  let s = '{"frame":{"number":' + fr.index + ',"time_epoch":"' + epochText(fr.ts) + '","len":' + fr.origLen +
    ',"cap_len":' + fr.data.length + ',"interface_id":' + fr.ifIndex + ',"link_type":' + fr.linkType + frameExtras(pkt);
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
// must be flattened and then encoded. Here each piece is encoded into a reused byte buffer as it is
// produced. The output is byte for byte that of packetJson() in UTF-8.
//
// Most fields repeat from packet to packet (eth.*, ip.version, tcp.flags.*, the same ports…). Each
// (key, label) pair gets an Entry: its '{"key":…,"label":…,"value":' bytes, and a few snapshots of
// the bytes last written for it with the field values they came from. A field equal to a snapshot
// (same value, show, start, len, text, mask, generated) is one copy of bytes; snapshots live in a
// pool at the end of the same buffer (copyWithin: no allocation, no view). An entry whose fields
// seldom repeat (checksums, sequence numbers) stops taking snapshots.

const HEXD = '0123456789abcdef';
/** Char codes of HEXD. */
const HEXC = Uint8Array.from(HEXD, (c) => c.charCodeAt(0));
type NativeWrite = (this: Uint8Array, s: string, at: number) => number;
/** Buffer's native UTF-8 encoder works on any Uint8Array (returns bytes written). */
const utf8Write = (Buffer.prototype as unknown as { utf8Write: NativeWrite }).utf8Write;
/** Buffer's native Latin-1 encoder (a byte per char): for strings known to be ASCII. */
const latin1Write = (Buffer.prototype as unknown as { latin1Write: NativeWrite }).latin1Write;
/** Characters JSON.stringify escapes (controls, quote, backslash) and surrogates (lone ones escaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** ASCII text as bytes. */
function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Snapshots kept per entry; entries kept per JsonBytes (more pairs are written uncached). */
const SNAPS = 4;
const MAX_ENTRIES = 20000;
/** Labels kept per key (beyond that, the key's labels are made per packet). */
const MAX_LABELS = 32;
/** Snapshot pool: first size, and the size past which it is emptied instead of grown. */
const POOL_MIN = 1 << 16;
const POOL_MAX = 1 << 22;

/** The bytes last written for a field of an entry, and the field values they encode. */
class Snap {
  /** 0: the value is the show string; 1: a number (in num); 2: another value (in value). */
  kind = 0;
  num = 0;
  /** The bytes start with the comma before the field / end with its closing brace (no children). */
  lead = false;
  shut = false;
  value: FieldValue = null;
  show = '';
  start = -1;
  len = -1;
  text: string | undefined = undefined;
  mask: number | undefined = undefined;
  gen: boolean | undefined = undefined;
  /** Bytes in the pool: offset, length, room (the slot may be reused for as long a field). */
  off = 0;
  n = 0;
  room = 0;
  /** Pool generation the bytes belong to (the pool is emptied when full). */
  epoch = -1;
}

/** Where a list of fields starts: the entry its first field had last time. */
class Slot {
  first: Entry | null = null;
}

class Entry {
  /** The entry of the field that followed this one last time (fields come in the same order). */
  follow: Entry | null = null;
  /** The start of this field's children list. */
  readonly kids = new Slot();
  /** The entries of the same key with other labels (on the first entry of a key). */
  byLabel: Map<string, Entry> | null = null;
  /** null: snapshots off (the fields seldom repeat). */
  snaps: Snap[] | null = [];
  ring = 0;
  /** The snapshot that matched last (tried first). */
  last = 0;
  hits = 0;
  misses = 0;
  constructor(
    readonly key: string,
    readonly label: string,
    /** '{"key":…,"label":…,"value":' in UTF-8. */
    readonly head: Uint8Array,
  ) {}
}

class LayerInfo {
  readonly fields = new Slot();
  readonly extra = new Slot();
  constructor(readonly head: Uint8Array) {}
}

/** A growable UTF-8 byte buffer with JSON helpers. */
export class JsonBytes {
  /** Output in [0, pos); the snapshot pool lives at [cap, cap + poolSize). */
  buf: Uint8Array;
  pos = 0;
  /** End of the output area (start of the pool). */
  private cap = 1 << 16;
  private poolSize = POOL_MIN;
  private poolFill = 0;
  /** Generation of the pool's bytes. */
  epoch = 0;
  private readonly entries = new Map<string, Entry>();
  private entryCount = 0;
  /** Per dissector: its layers' '{"protocol":…,"title":' bytes, where their field and extra lists start. */
  private readonly layerInfos = new Map<Layer['dis'], LayerInfo>();
  /** A slot for lists under an uncached field. */
  readonly noSlot = new Slot();

  layerInfo(l: Layer): LayerInfo {
    let s = this.layerInfos.get(l.dis);
    if (s === undefined) this.layerInfos.set(l.dis, (s = new LayerInfo(Buffer.from('{"protocol":' + q(l.proto) + ',"title":', 'utf8'))));
    return s;
  }

  constructor() {
    this.buf = new Uint8Array(this.cap + this.poolSize);
  }

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < this.pos + n) cap *= 2;
    this.resize(cap, this.poolSize);
  }

  private resize(cap: number, poolSize: number): void {
    const nb = new Uint8Array(cap + poolSize);
    nb.set(this.buf.subarray(0, this.pos));
    nb.set(this.buf.subarray(this.cap, this.cap + this.poolFill), cap);
    this.buf = nb;
    this.cap = cap;
    this.poolSize = poolSize;
  }

  /** One byte (an ASCII char). */
  byte(c: number): void {
    if (this.pos + 1 > this.cap) this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes as they are. */
  bytes(b: Uint8Array): void {
    if (this.pos + b.length > this.cap) this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Text as is (UTF-8; lone surrogates as U+FFFD, like Buffer). */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n * 3 > this.cap) this.ensure(n * 3);
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
    if (this.pos + n * 6 + 2 > this.cap) this.ensure(n * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    if (n > 24) {
      if (!NEEDS_ESCAPE.test(s)) {
        // nothing to escape: the native encoder
        b[p++] = 34;
        p += utf8Write.call(b, s, p);
        b[p++] = 34;
        this.pos = p;
        return;
      }
      if (n > 256) {
        // a long text with escapes (an HTTP body's lines): JSON.stringify writes exactly what the loop
        // below does (\b \t \n \f \r, \u00xx, \" \\, a lone surrogate as \udxxx), natively
        this.pos = p + utf8Write.call(b, JSON.stringify(s), p);
        return;
      }
    }
    b[p++] = 34;
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
            b[p++] = HEXC[c >> 4]; b[p++] = HEXC[c & 15];
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
        for (let k = 12; k >= 0; k -= 4) b[p++] = HEXC[(c >> k) & 15];
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
      if (this.pos + 10 > this.cap) this.ensure(10);
      const b = this.buf;
      if (v < 10) {
        b[this.pos++] = 48 + v;
        return;
      }
      if (v < 100) {
        const t = (v / 10) | 0;
        b[this.pos] = 48 + t;
        b[this.pos + 1] = 48 + v - t * 10;
        this.pos += 2;
        return;
      }
      let digits = 3;
      for (let t = v; t >= 1000; t = Math.floor(t / 10)) digits++;
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

  /** Bytes as a quoted lower-case hex string (what valueJson writes for a Uint8Array); returns the hex text when it made one. */
  hexQuoted(v: Uint8Array): string | null {
    const n = v.length;
    if (this.pos + 2 * n + 2 > this.cap) this.ensure(2 * n + 2);
    const b = this.buf;
    let p = this.pos;
    let h: string | null = null;
    b[p++] = 34;
    if (n > 32) {
      h = hexSlice.call(v, 0, n);
      p += latin1Write.call(b, h, p);
    } else {
      for (let i = 0; i < n; i++) {
        const x = v[i];
        b[p++] = HEXC[x >> 4];
        b[p++] = HEXC[x & 15];
      }
    }
    b[p++] = 34;
    this.pos = p;
    return h;
  }

  /** Copy bytes [a, e) of the output to its end. */
  again(a: number, e: number): void {
    if (this.pos + (e - a) > this.cap) this.ensure(e - a);
    this.buf.copyWithin(this.pos, a, e);
    this.pos += e - a;
  }

  /** The entry of a (key, label) pair; null once MAX_ENTRIES are kept (the caller writes the head itself). */
  entry(key: string, label: string): Entry | null {
    const first = this.entries.get(key);
    if (first !== undefined) {
      if (first.label === label) return first;
      const e = first.byLabel?.get(label);
      if (e !== undefined) return e;
      // a label made per packet (e.g. 'TCP Option - Timestamps: TSval …'): not worth an entry
      if (first.byLabel !== null && first.byLabel.size >= MAX_LABELS) return null;
    }
    if (this.entryCount >= MAX_ENTRIES) return null;
    this.entryCount++;
    const e = new Entry(key, label, Buffer.from(head(key, label), 'utf8'));
    if (first === undefined) this.entries.set(key, e);
    else (first.byLabel ??= new Map()).set(label, e);
    return e;
  }

  /** Write pool bytes [from, to) (snapshot offsets). */
  replay(from: number, to: number): void {
    const n = to - from;
    if (this.pos + n > this.cap) this.ensure(n);
    this.buf.copyWithin(this.pos, this.cap + from, this.cap + to);
    this.pos += n;
  }

  /** Keep output bytes [a, pos) as a snapshot of entry `e` for field `f`. */
  remember(e: Entry, snaps: Snap[], a: number, f: Field, kind: number, lead: boolean, shut: boolean): void {
    const n = this.pos - a;
    let s: Snap;
    if (snaps.length < SNAPS) snaps.push((s = new Snap()));
    else {
      s = snaps[e.ring];
      e.ring = e.ring === SNAPS - 1 ? 0 : e.ring + 1;
    }
    if (s.epoch !== this.epoch || s.room < n) {
      if (this.poolFill + n > this.poolSize) {
        if (this.poolSize < POOL_MAX && n <= POOL_MAX) this.resize(this.cap, this.poolSize * 2);
        else {
          // full: forget every snapshot (their epoch is now old) and start again
          this.epoch++;
          this.poolFill = 0;
        }
        if (this.poolFill + n > this.poolSize) {
          s.epoch = -1;
          return;
        }
      }
      s.off = this.poolFill;
      s.room = n;
      s.epoch = this.epoch;
      this.poolFill += n;
    }
    this.buf.copyWithin(this.cap + s.off, a, this.pos);
    s.n = n;
    s.kind = kind;
    s.lead = lead;
    s.shut = shut;
    s.num = kind === 1 ? (f.value as number) : 0;
    s.value = kind === 2 ? f.value : null;
    s.show = f.show;
    s.start = f.start;
    s.len = f.len;
    s.text = f.text;
    s.mask = f.mask;
    s.gen = f.generated;
  }
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
      o.hexQuoted(v);
  }
}

const B_KEY = ascii('{"key":');
const B_LABEL = ascii(',"label":');
const B_VALUE = ascii(',"value":');
const B_TEXT = ascii(',"text":');
const B_MASK = ascii(',"mask":');
const B_GENERATED = ascii(',"generated":true');
const B_CHILDREN = ascii(',"children":[');

/** ,"show": */
function showKey(o: JsonBytes): void {
  o.ensure(8);
  const b = o.buf;
  const p = o.pos;
  b[p] = 44; b[p + 1] = 34; b[p + 2] = 115; b[p + 3] = 104; b[p + 4] = 111; b[p + 5] = 119; b[p + 6] = 34; b[p + 7] = 58;
  o.pos = p + 8;
}

/** ,"start":N,"len":N */
function startLen(o: JsonBytes, start: number, len: number): void {
  o.ensure(9);
  let b = o.buf;
  let p = o.pos;
  b[p] = 44; b[p + 1] = 34; b[p + 2] = 115; b[p + 3] = 116; b[p + 4] = 97; b[p + 5] = 114; b[p + 6] = 116; b[p + 7] = 34; b[p + 8] = 58;
  o.pos = p + 9;
  o.num(start);
  o.ensure(7);
  b = o.buf;
  p = o.pos;
  b[p] = 44; b[p + 1] = 34; b[p + 2] = 108; b[p + 3] = 101; b[p + 4] = 110; b[p + 5] = 34; b[p + 6] = 58;
  o.pos = p + 7;
  o.num(len);
}

/** A field's bytes from '{"key"' to before its children and closing brace. */
function fieldBody(o: JsonBytes, head: Uint8Array | null, f: Field): void {
  if (head !== null) o.bytes(head);
  else {
    o.bytes(B_KEY);
    o.quoted(f.key);
    o.bytes(B_LABEL);
    o.quoted(f.label);
    o.bytes(B_VALUE);
  }
  const v = f.value;
  const show = f.show;
  if (v === show) {
    // the same quoted text twice: encode it once, copy the bytes
    const a = o.pos;
    o.quoted(show);
    const e = o.pos;
    showKey(o);
    o.again(a, e);
  } else if (typeof v === 'number') {
    if (Number.isFinite(v)) o.num(v);
    else o.quoted(String(v));
    showKey(o);
    o.quoted(show);
  } else if (v !== null && typeof v === 'object') {
    const a = o.pos;
    const h = o.hexQuoted(v);
    const e = o.pos;
    showKey(o);
    // fBytes: the show text is that same hex
    if (h !== null && show === h) o.again(a, e);
    else o.quoted(show);
  } else {
    valueBytes(o, v);
    showKey(o);
    o.quoted(show);
  }
  startLen(o, f.start, f.len);
  if (f.text !== undefined) {
    o.bytes(B_TEXT);
    o.quoted(f.text);
  }
  if (f.mask !== undefined) {
    o.bytes(B_MASK);
    o.num(f.mask);
  }
  if (f.generated) o.bytes(B_GENERATED);
}

/**
 * Writes the fields (hidden ones left out, like fieldsJson); returns whether any was written.
 * A snapshot holds a field's bytes with the comma before it (when not first) and, for a field
 * without children, its closing brace: the snapshots of a run of unchanged fields usually lie one
 * after the other in the pool (they were taken in that order), and the run is copied at once.
 */
function fieldsBytes(o: JsonBytes, fs: readonly Field[], slot: Slot): boolean {
  let first = true;
  let prev: Entry | null = null;
  // a run of snapshot bytes not copied yet: [runFrom, runTo) in the pool
  let runFrom = 0;
  let runTo = 0;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    if (f.hidden === true) continue;
    const lead = !first;
    first = false;
    const ch = f.children;
    const shut = ch === undefined || ch.length === 0;
    const key = f.key;
    const label = f.label;
    let e: Entry | null = prev === null ? slot.first : prev.follow;
    if (e === null || e.key !== key || e.label !== label) {
      e = o.entry(key, label);
      if (e === null) {
        // too many pairs: this one is written without an entry
        prev = null;
        if (runTo !== runFrom) o.replay(runFrom, runTo), (runFrom = runTo);
        if (lead) o.byte(44);
        fieldBody(o, null, f);
        fieldEnd(o, f, o.noSlot);
        continue;
      }
      if (prev === null) slot.first = e;
      else prev.follow = e;
    }
    prev = e;
    const snaps = e.snaps;
    if (snaps !== null) {
      const v = f.value;
      const show = f.show;
      const start = f.start;
      const len = f.len;
      const ep = o.epoch;
      const kind = typeof v === 'number' ? 1 : v === show ? 0 : 2;
      const cnt = snaps.length;
      let hit: Snap | null = null;
      for (let k = 0, j = e.last; k < cnt; k++, j = j + 1 === cnt ? 0 : j + 1) {
        const s = snaps[j];
        if (
          s.start === start && s.len === len && s.kind === kind && s.lead === lead && s.shut === shut &&
          s.epoch === ep && s.show === show && (kind === 0 || (kind === 1 ? s.num === v : s.value === v)) &&
          s.text === f.text && s.mask === f.mask && s.gen === f.generated
        ) {
          e.last = j;
          hit = s;
          break;
        }
      }
      if (hit !== null) {
        e.hits++;
        if (hit.off !== runTo) {
          if (runTo !== runFrom) o.replay(runFrom, runTo);
          runFrom = hit.off;
        }
        runTo = hit.off + hit.n;
        if (shut) continue;
        o.replay(runFrom, runTo);
        runFrom = runTo;
        fieldEnd(o, f, e.kids);
        continue;
      }
      if (runTo !== runFrom) o.replay(runFrom, runTo), (runFrom = runTo);
      const a = o.pos;
      if (lead) o.byte(44);
      fieldBody(o, e.head, f);
      if (shut) o.byte(125);
      // bytes values are views of packet data: not kept (they would never be the same object again)
      if (kind !== 2 || v === null || typeof v !== 'object') o.remember(e, snaps, a, f, kind, lead, shut);
      if (++e.misses >= 64 && e.hits * 8 < e.misses) e.snaps = null;
      if (!shut) fieldEnd(o, f, e.kids);
      continue;
    }
    if (runTo !== runFrom) o.replay(runFrom, runTo), (runFrom = runTo);
    if (lead) o.byte(44);
    fieldBody(o, e.head, f);
    fieldEnd(o, f, e.kids);
  }
  if (runTo !== runFrom) o.replay(runFrom, runTo);
  return !first;
}

/** The children of a field (if any) and its closing brace. */
function fieldEnd(o: JsonBytes, f: Field, kids: Slot): void {
  const ch = f.children;
  if (ch !== undefined && ch.length > 0) {
    o.bytes(B_CHILDREN);
    fieldsBytes(o, ch, kids);
    o.byte(93);
  }
  o.byte(125);
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

const B_START = ascii(',"start":');
const B_END = ascii(',"end":');
const B_SOURCE = ascii(',"source":');
const B_FIELDS = ascii(',"fields":[');
const B_PROBLEMS = ascii('],"problems":[');
const B_INNER = ascii(',"inner":[');

function layersBytes(o: JsonBytes, layers: readonly Layer[]): void {
  let first = true;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l.dis === frameDissector) continue;
    if (!first) o.byte(44);
    first = false;
    const fields = l.fields();
    const extra = l.extra;
    const info = o.layerInfo(l);
    o.bytes(info.head);
    o.quoted(layerTitle(l));
    o.bytes(B_START);
    o.num(l.start);
    o.bytes(B_END);
    o.num(l.end);
    if (l.bufName !== null) {
      o.bytes(B_SOURCE);
      o.quoted(l.bufName);
    }
    o.bytes(B_FIELDS);
    const any = fieldsBytes(o, fields, info.fields);
    if (extra !== null && extra.length > 0) {
      // the comma goes in only when both lists write something
      const at = o.pos;
      if (any) o.byte(44);
      if (!fieldsBytes(o, extra, info.extra)) o.pos = at;
    }
    o.bytes(B_PROBLEMS);
    problemsBytes(o, l.problems);
    o.byte(93);
    if (l.inner !== null && l.inner.length > 0) {
      o.bytes(B_INNER);
      layersBytes(o, l.inner);
      o.byte(93);
    }
    o.byte(125);
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
  const fx = frameExtras(pkt);
  if (fx !== '') o.raw(fx);
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
