// The address-text cache must give exactly fmtIPv4/fmtIPv6's text for every address, whatever
// was cached before in the same slot (collisions, evictions).
import { describe, expect, it } from 'vitest';
import { ipv4Text, ipv6Text } from '../../src/dissect/addr-cache.js';
import { fmtIPv4, fmtIPv6 } from '../../src/dissect/fields.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

describe('address text cache', () => {
  it('IPv4: 20,000 random and 0.0.0.0 / 255.255.255.255 addresses, twice each, equal fmtIPv4', () => {
    const r = rng(7);
    const buf = new Uint8Array(4 * 20002);
    for (let i = 0; i < 20000 * 4; i++) buf[i] = r() & 255;
    buf.fill(0, 80000, 80004);
    buf.fill(255, 80004, 80008);
    for (let pass = 0; pass < 2; pass++) {
      for (let at = 0; at < buf.length; at += 4) expect(ipv4Text(buf, at)).toBe(fmtIPv4(buf, at));
    }
    expect(ipv4Text(buf, 80000)).toBe('0.0.0.0');
    expect(ipv4Text(buf, 80004)).toBe('255.255.255.255');
  });

  it('IPv6: addresses that differ in one byte, mapped and zero forms, equal fmtIPv6', () => {
    const r = rng(11);
    const n = 5000;
    const buf = new Uint8Array(16 * n);
    for (let i = 0; i < buf.length; i++) buf[i] = r() & 255;
    // neighbours: same prefix, last byte differs; zero runs; ::ffff:a.b.c.d; ::
    for (let k = 0; k < 1000; k++) {
      const at = 16 * k;
      buf.fill(0, at + 2, at + 12);
      if (k % 3 === 0) { buf.fill(0, at, at + 10); buf[at + 10] = 0xff; buf[at + 11] = 0xff; }
      if (k % 7 === 0) buf.fill(0, at, at + 16);
      buf[at + 15] = k & 255;
    }
    for (let pass = 0; pass < 2; pass++) {
      for (let at = 0; at < buf.length; at += 16) expect(ipv6Text(buf, at)).toBe(fmtIPv6(buf, at));
    }
    expect(ipv6Text(new Uint8Array(16), 0)).toBe('::');
  });
});
