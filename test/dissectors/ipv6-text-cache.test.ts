// fmtIPv6 answers repeated addresses from a small cache: whatever was cached before in the same
// slot (collisions, evictions), the text must be RFC 5952's, as inet_ntop / tshark write it.
import { describe, expect, it } from 'vitest';
import { fmtIPv6 } from '../../src/dissect/fields.js';

/** RFC 5952 from first principles (independent of the code under test). */
function rfc5952(b: Uint8Array, at: number): string {
  const g = Array.from({ length: 8 }, (_, i) => (b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return hex.slice(0, best).join(':') + '::' + hex.slice(best + bestLen).join(':');
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

describe('fmtIPv6 with its cache', () => {
  it('5,000 addresses (neighbours differing in one byte, zero runs, v4-mapped, ::), twice each', () => {
    const r = rng(11);
    const n = 5000;
    const buf = new Uint8Array(16 * n);
    for (let i = 0; i < buf.length; i++) buf[i] = r() & 255;
    for (let k = 0; k < 1000; k++) {
      const at = 16 * k;
      buf.fill(0, at + 2, at + 12);
      if (k % 3 === 0) { buf.fill(0, at, at + 10); buf[at + 10] = 0xff; buf[at + 11] = 0xff; }
      if (k % 7 === 0) buf.fill(0, at, at + 16);
      buf[at + 15] = k & 255;
    }
    for (let pass = 0; pass < 2; pass++) {
      for (let at = 0; at < buf.length; at += 16) expect(fmtIPv6(buf, at)).toBe(rfc5952(buf, at));
    }
    expect(fmtIPv6(new Uint8Array(16), 0)).toBe('::');
    expect(fmtIPv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), 0)).toBe('2001:db8::1:0:0:1');
  });
});
