// Field constructors and the address/number formatters every dissector shares.
// `show` must equal what `tshark -T fields -e KEY` prints (tshark 4.0, as installed by apt on
// Debian 12); check new kinds of field against it.

import type { Field, FieldValue } from './types.js';
import { builtin } from '../lazy-builtin.js';

const HEX = '0123456789abcdef';
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(HEX[i >> 4] + HEX[i & 15]);

export function hex2(b: number): string {
  return HEX2[b & 255];
}

/** hexN(v, 2) for v in 0..255, and hexN(v, 4) for v in 0..65535 once made (the same string each time). */
const HEXN2: string[] = HEX2.map((h) => '0x' + h);
const HEXN4: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);

/** "0x" + value in hex, zero-padded to `digits` (tshark BASE_HEX: 2 digits per byte of the type). */
export function hexN(v: number, digits: number): string {
  if (v >= 0 && v < 65536 && (v | 0) === v) {
    if (digits === 2 && v < 256) return HEXN2[v];
    if (digits === 4) return HEXN4[v] ?? (HEXN4[v] = hexSlow(v, 4));
  }
  return hexSlow(v, digits);
}

function hexSlow(v: number, digits: number): string {
  let s = (v >>> 0).toString(16);
  while (s.length < digits) s = '0' + s;
  return '0x' + s;
}

// The last address texts made, in small direct-mapped caches: a capture repeats a few addresses,
// and the same string object each time saves building it (and makes later comparisons cheap).
const V4_KEY = new Int32Array(256);
const V4_TEXT: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
const MAC_HI = new Int32Array(256);
const MAC_LO = new Int32Array(256);
const MAC_TEXT: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);

export function fmtIPv4(buf: Uint8Array, at: number): string {
  if (at >= 0 && at + 4 <= buf.length && (at | 0) === at) {
    const k = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
    const i = (k ^ (k >>> 8) ^ (k >>> 16) ^ (k >>> 24)) & 255;
    const t = V4_TEXT[i];
    if (t !== undefined && V4_KEY[i] === k) return t;
    const s = buf[at] + '.' + buf[at + 1] + '.' + buf[at + 2] + '.' + buf[at + 3];
    V4_KEY[i] = k;
    V4_TEXT[i] = s;
    return s;
  }
  return buf[at] + '.' + buf[at + 1] + '.' + buf[at + 2] + '.' + buf[at + 3];
}

export function fmtMAC(buf: Uint8Array, at: number): string {
  if (at >= 0 && at + 6 <= buf.length && (at | 0) === at) {
    const hi = (buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2];
    const lo = (buf[at + 3] << 16) | (buf[at + 4] << 8) | buf[at + 5];
    const i = (hi ^ lo ^ (lo >>> 8) ^ (lo >>> 16) ^ (hi >>> 8)) & 255;
    const t = MAC_TEXT[i];
    if (t !== undefined && MAC_HI[i] === hi && MAC_LO[i] === lo) return t;
    const s = macText(buf, at);
    MAC_HI[i] = hi;
    MAC_LO[i] = lo;
    MAC_TEXT[i] = s;
    return s;
  }
  return macText(buf, at);
}

function macText(buf: Uint8Array, at: number): string {
  return (
    HEX2[buf[at]] + ':' + HEX2[buf[at + 1]] + ':' + HEX2[buf[at + 2]] + ':' +
    HEX2[buf[at + 3]] + ':' + HEX2[buf[at + 4]] + ':' + HEX2[buf[at + 5]]
  );
}

const V6_KEY = new Int32Array(256 * 4);
const V6_TEXT: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);

/** IPv6 text form per RFC 5952 (see ipv6Slow), from a direct-mapped cache checked against the 16 bytes. */
export function fmtIPv6(buf: Uint8Array, at: number): string {
  if (at >= 0 && at + 16 <= buf.length && (at | 0) === at) {
    const a = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
    const b = (buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7];
    const c = (buf[at + 8] << 24) | (buf[at + 9] << 16) | (buf[at + 10] << 8) | buf[at + 11];
    const d = (buf[at + 12] << 24) | (buf[at + 13] << 16) | (buf[at + 14] << 8) | buf[at + 15];
    let h = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d);
    h ^= h >>> 15;
    const i = h & 255;
    const j = i * 4;
    const t = V6_TEXT[i];
    if (t !== undefined && V6_KEY[j] === a && V6_KEY[j + 1] === b && V6_KEY[j + 2] === c && V6_KEY[j + 3] === d) return t;
    const s = ipv6Slow(buf, at);
    V6_KEY[j] = a;
    V6_KEY[j + 1] = b;
    V6_KEY[j + 2] = c;
    V6_KEY[j + 3] = d;
    V6_TEXT[i] = s;
    return s;
  }
  return ipv6Slow(buf, at);
}

/** IPv6 text form per RFC 5952 (longest run of ≥2 zero groups compressed, first on ties; IPv4-mapped as ::ffff:a.b.c.d). */
function ipv6Slow(buf: Uint8Array, at: number): string {
  const g: number[] = new Array(8);
  for (let i = 0; i < 8; i++) g[i] = (buf[at + 2 * i] << 8) | buf[at + 2 * i + 1];
  // IPv4-mapped and IPv4-compatible forms as inet_ntop writes them
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return '::ffff:' + fmtIPv4(buf, at + 12);
  }
  // IPv4-compatible: six zero groups, then a non-zero seventh ("::148.0.0.21"; "::1" stays as it is)
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0 && g[6] !== 0) {
    return '::' + fmtIPv4(buf, at + 12);
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += g[i].toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

// Buffer's native hex encoder (lower case) works on any Uint8Array.
const hexSlice = (Buffer.prototype as unknown as { hexSlice(this: Uint8Array, s: number, e: number): string }).hexSlice;

/** Bytes as tshark shows FT_BYTES in -T fields: lower-case hex, no separators. */
export function fmtBytesHex(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 8 && start >= 0 && end <= buf.length) return hexSlice.call(buf, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += HEX2[buf[i]];
  return s;
}

/** Bytes [start, end) as text, one character per byte (Latin-1: ASCII protocols' names and lines). */
export function latin1Text(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** MD5 of a text in hex (fingerprints: TLS's JA3, SSH's HASSH); node:crypto is loaded on first use. */
export function md5Hex(s: string): string {
  return builtin<typeof import('node:crypto')>('node:crypto').createHash('md5').update(s).digest('hex');
}

/** Bytes with a separator (e.g. ':' as tshark shows FT_BYTES in the tree). */
export function fmtBytesSep(buf: Uint8Array, start: number, end: number, sep = ':'): string {
  let s = '';
  for (let i = start; i < end; i++) s += (i > start ? sep : '') + HEX2[buf[i]];
  return s;
}

export function u16(buf: Uint8Array, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}
export function u32(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) >>> 0) + ((buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]);
}
export function u16le(buf: Uint8Array, at: number): number {
  return buf[at] | (buf[at + 1] << 8);
}
export function u32le(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + ((buf[at + 3] << 24) >>> 0);
}

// ---- constructors ------------------------------------------------------------------------

// Every optional member is present (undefined) from the start: all fields share one shape (hidden
// class), so the outputs read them without polymorphic lookups and setting one later (mask, text,
// gen(), hide()) does not change the shape. Values and JSON are as if they were absent.
function mk(key: string, label: string, value: FieldValue, show: string, start: number, len: number): Field {
  return { key, label, value, show, start, len, text: undefined, mask: undefined, children: undefined, generated: undefined, hidden: undefined };
}

/**
 * The bits of `v` under `mask` as tshark draws them before a bitfield's text, `nbits` wide, most
 * significant first in groups of four: ".... ..1." (v is the field's value, whatever its byte order).
 */
export function bitsText(v: number, mask: number, nbits: number): string {
  let s = '';
  for (let i = nbits - 1; i >= 0; i--) {
    const m = 2 ** i;
    s += Math.floor(mask / m) % 2 ? (Math.floor(v / m) % 2 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return s;
}

/** Unsigned integer, decimal (BASE_DEC). */
export function fUint(key: string, label: string, v: number, start: number, len: number): Field {
  return mk(key, label, v, String(v), start, len);
}

/** Unsigned integer shown in hex (BASE_HEX), `digits` wide (default 2 per byte of len). */
export function fHex(key: string, label: string, v: number, start: number, len: number, digits = len * 2): Field {
  return mk(key, label, v, hexN(v, digits), start, len);
}

/** Boolean / single flag bit: shows "1" or "0" (tshark 4.0 -T fields). `mask` is the bit in the bytes. */
export function fBool(key: string, label: string, v: boolean, start: number, len: number, mask?: number): Field {
  const f = mk(key, label, v, v ? '1' : '0', start, len);
  if (mask !== undefined) f.mask = mask;
  return f;
}

/** A multi-bit subfield: value already shifted down; shown in decimal; `mask` marks the bits. */
export function fBits(key: string, label: string, v: number, start: number, len: number, mask: number): Field {
  const f = mk(key, label, v, String(v), start, len);
  f.mask = mask;
  return f;
}

export function fStr(key: string, label: string, v: string, start: number, len: number): Field {
  return mk(key, label, v, v, start, len);
}

export function fIPv4(key: string, label: string, buf: Uint8Array, at: number): Field {
  const s = fmtIPv4(buf, at);
  return mk(key, label, s, s, at, 4);
}

export function fIPv6(key: string, label: string, buf: Uint8Array, at: number): Field {
  const s = fmtIPv6(buf, at);
  return mk(key, label, s, s, at, 16);
}

export function fMAC(key: string, label: string, buf: Uint8Array, at: number): Field {
  const s = fmtMAC(buf, at);
  return mk(key, label, s, s, at, 6);
}

/** Raw bytes (FT_BYTES); value is a view (subarray) of the buffer. */
export function fBytes(key: string, label: string, buf: Uint8Array, start: number, end: number): Field {
  return mk(key, label, buf.subarray(start, end), fmtBytesHex(buf, start, end), start, end - start);
}

/** A text-only tree line (no key of its own), e.g. a subtree header. Not output by -T fields. */
export function fText(text: string, start: number, len: number, children?: Field[]): Field {
  const f = mk('', text, null, '', start, len);
  f.text = text;
  if (children) f.children = children;
  return f;
}

/** Mark a field as generated (computed, not on the wire); returns it for chaining. */
export function gen(f: Field): Field {
  f.generated = true;
  return f;
}

/**
 * A 16-bit checksum field at `at` (`key`) and its generated `key`.status, as tshark shows them:
 * "Checksum: 0x1234 [correct]" / "[incorrect, should be 0x…]", status Good / Bad, or Unverified
 * when `good` is null (not checked).
 */
export function checksumFields(key: string, buf: Uint8Array, at: number, good: boolean | null, calc: number): [Field, Field] {
  const ck = fHex(key, 'Checksum', u16(buf, at), at, 2);
  if (good !== null) ck.text = `Checksum: ${ck.show} [${good ? 'correct' : 'incorrect, should be ' + hexN(calc, 4)}]`;
  const st = good === null ? 2 : good ? 1 : 0;
  const sf = gen(fUint(`${key}.status`, 'Checksum Status', st, at, 0));
  sf.text = `Checksum Status: ${['Bad', 'Good', 'Unverified'][st]}`;
  return [ck, sf];
}

/** Mark a field as hidden (for -e and filters only; see Field.hidden); returns it for chaining. */
export function hide(f: Field): Field {
  f.hidden = true;
  return f;
}

/** Attach children to a field; returns it for chaining. */
export function withChildren(f: Field, children: Field[]): Field {
  f.children = children;
  return f;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** tshark's absolute time in UTC: "Nov  7, 2026 08:57:51.123456000 UTC" (day padded with a space). */
export function absTimeText(sec: number, ns = 0): string {
  const dt = new Date(sec * 1000);
  const two = (n: number) => (n < 10 ? '0' + n : String(n));
  const day = dt.getUTCDate();
  return `${MONTHS[dt.getUTCMonth()]} ${day < 10 ? ' ' + day : day}, ${dt.getUTCFullYear()} ${two(dt.getUTCHours())}:${two(dt.getUTCMinutes())}:${two(dt.getUTCSeconds())}.${String(ns).padStart(9, '0')} UTC`;
}
