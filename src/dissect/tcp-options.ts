// TCP options into TcpOptions (src/dissect/decoded.ts): what the TCP dissector and the lean
// conversations decoder (src/analysis/conv-fast.ts) read from a header, by one set of rules.

import type { TcpOptions } from './decoded.js';
import { u16, u32 } from './fields.js';

/**
 * A TcpOptions with every key present (undefined): decodeOptions() then only sets values, so every
 * packet's options object has one shape, whichever options it carries and in whatever order (with
 * keys added as met, the tracker and the Info code saw a dozen shapes and V8 threw their optimised
 * code away at each new one). Same key order as the lean decoder's (src/analysis/conv-fast.ts).
 */
export function emptyOptions(): TcpOptions {
  return { mss: undefined, wscale: undefined, sackPerm: undefined, sack: undefined, tsval: undefined, tsecr: undefined, tfo: undefined, mptcp: undefined, accEcn: undefined };
}

/**
 * Decode the options in buf[start, end) into `o` (fields set as met; later ones win). Returns the
 * offset of an option whose length lies (< 2 or past the end), or -1 when every option fits.
 */
export function decodeOptions(buf: Uint8Array, start: number, end: number, o: TcpOptions): number {
  // a loop of its own, not dissectors/tcp.ts walkOptions: no callback per packet on the hot path
  let at = start;
  while (at < end) {
    const kind = buf[at];
    if (kind === 0 || kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= end) return at;
    const len = buf[at + 1];
    if (len < 2 || at + len > end) return at;
    switch (kind) {
      case 2: if (len === 4) o.mss = u16(buf, at + 2); break;
      case 3: if (len === 3) o.wscale = buf[at + 2]; break;
      case 4: if (len === 2) o.sackPerm = true; break;
      case 5: {
        const n = (len - 2) >> 3;
        if (n > 0) {
          const s: [number, number][] = (o.sack ??= []);
          for (let i = 0; i < n; i++) s.push([u32(buf, at + 2 + 8 * i), u32(buf, at + 6 + 8 * i)]);
        }
        break;
      }
      case 8: if (len === 10) { o.tsval = u32(buf, at + 2); o.tsecr = u32(buf, at + 6); } break;
      case 30: o.mptcp = true; break;
      case 34: o.tfo = { cookieLen: len - 2 }; break;
      case 172: case 174: o.accEcn = true; break;
      case 253: case 254:
        if (len >= 4) {
          const exid = u16(buf, at + 2);
          if (exid === 0xf989) o.tfo = { cookieLen: len - 4 };
          else if (exid === 0xacc0 || exid === 0xacc1) o.accEcn = true;
        }
        break;
    }
    at += len;
  }
  return -1;
}
