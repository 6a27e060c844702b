// Address text for the hot path: every IP packet needs its two addresses as strings (columns,
// stream keys), and a capture holds few distinct addresses. Formatting them each time costs a
// handful of number-to-string conversions and a rope per address that is flattened again when the
// tracker compares it; a small direct-mapped cache, checked against the address bytes, returns the
// same flat string instead. A miss formats as before (fmtIPv4 / fmtIPv6), so the text is identical.

import { fmtIPv4, fmtIPv6 } from './fields.js';

const SLOTS = 1024;

const v4Key = new Int32Array(SLOTS);
const v4Text: string[] = new Array<string>(SLOTS).fill('');

/** fmtIPv4(buf, at), cached. */
export function ipv4Text(buf: Uint8Array, at: number): string {
  const k = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
  const i = (k ^ (k >>> 10) ^ (k >>> 20)) & (SLOTS - 1);
  const t = v4Text[i];
  if (v4Key[i] === k && t !== '') return t;
  const s = flat(fmtIPv4(buf, at));
  v4Key[i] = k;
  v4Text[i] = s;
  return s;
}

const v6Key = new Int32Array(SLOTS * 4);
const v6Text: string[] = new Array<string>(SLOTS).fill('');

/** fmtIPv6(buf, at), cached. */
export function ipv6Text(buf: Uint8Array, at: number): string {
  const a = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
  const b = (buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7];
  const c = (buf[at + 8] << 24) | (buf[at + 9] << 16) | (buf[at + 10] << 8) | buf[at + 11];
  const d = (buf[at + 12] << 24) | (buf[at + 13] << 16) | (buf[at + 14] << 8) | buf[at + 15];
  let h = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d);
  h ^= h >>> 15;
  const i = h & (SLOTS - 1);
  const j = i * 4;
  const t = v6Text[i];
  if (t !== '' && v6Key[j] === a && v6Key[j + 1] === b && v6Key[j + 2] === c && v6Key[j + 3] === d) return t;
  const s = flat(fmtIPv6(buf, at));
  v6Key[j] = a;
  v6Key[j + 1] = b;
  v6Key[j + 2] = c;
  v6Key[j + 3] = d;
  v6Text[i] = s;
  return s;
}

/** A flat (non-rope) copy of a string built by concatenation. */
function flat(s: string): string {
  // Number() on a non-numeric string makes V8 flatten it; the result is discarded
  void Number(s);
  return s;
}
