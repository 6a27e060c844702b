// Teredo (RFC 4380): IPv6 tunnelled in UDP on port 3544, as tshark 4.0 dissects it. Before the
// IPv6 packet may come an authentication header (0x0001, ID-len, AU-len, client identifier,
// authentication value, 8-byte nonce, confirmation byte) and an origin indication (0x0000, the
// client's UDP port and IPv4 address, each bit inverted); teredo.orig.port/.addr are the real
// values. The Protocol column and Info are the IPv6 packet's; with only a header (cut), "Teredo"
// and "Authentication header" / "Origin indication". An ICMPv6 echo request to port 3544 is
// tshark's "Direct IPv6 Connectivity Test" (icmpv6.ts).

import { fBytes, fIPv4, fStr, fUint, u16, withChildren } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface TeredoD {
  /** Start of the authentication header, or -1; its ID and AU lengths. */
  auth: number;
  idLen: number;
  auLen: number;
  /** Start of the origin indication, or -1. */
  orig: number;
  /** Where the IPv6 packet starts (the end when a header is cut). */
  payload: number;
}

const AUTH_FIXED = 4 + 8 + 1; // indicator, ID-len, AU-len; nonce; confirmation
const ORIG_LEN = 8;

/** An FT_NONE header item: tshark -T fields prints "1". */
function header(key: string, label: string, start: number, len: number, children: Field[]): Field {
  const f = withChildren(fStr(key, label, '1', start, len), children);
  f.value = true;
  f.text = label;
  return f;
}

export const teredo: Dissector<TeredoD> = {
  proto: 'teredo',
  name: 'Teredo IPv6 over UDP tunneling',
  fieldKeys: [
    'teredo.auth', 'teredo.auth.idlen', 'teredo.auth.aulen', 'teredo.auth.id', 'teredo.auth.value', 'teredo.auth.nonce', 'teredo.auth.conf',
    'teredo.orig', 'teredo.orig.port', 'teredo.orig.addr',
  ],
  registers: [{ table: 'udp.port', key: 3544 }],

  dissect(buf, start, end, ctx) {
    const d: TeredoD = { auth: -1, idLen: 0, auLen: 0, orig: -1, payload: start };
    const l = new Layer<TeredoD>(teredo, buf, start, end, d);
    let p = start;
    if (end - p >= 2 && u16(buf, p) === 1) {
      d.auth = p;
      if (end - p < 4) {
        d.payload = end;
        l.short('Teredo authentication header', p, AUTH_FIXED, ctx.snapCut(buf, p + AUTH_FIXED));
        return l;
      }
      d.idLen = buf[p + 2];
      d.auLen = buf[p + 3];
      const len = AUTH_FIXED + d.idLen + d.auLen;
      if (end - p < len) {
        d.payload = end;
        l.short('Teredo authentication header', p, len, ctx.snapCut(buf, p + len));
        return l;
      }
      p += len;
    }
    if (end - p >= 2 && u16(buf, p) === 0) {
      d.orig = p;
      if (end - p < ORIG_LEN) {
        d.payload = end;
        l.short('Teredo origin indication', p, ORIG_LEN, ctx.snapCut(buf, p + ORIG_LEN));
        return l;
      }
      p += ORIG_LEN;
    }
    d.payload = p;
    l.next = { table: 'ethertype', key: 0x86dd, start: p, end };
    return l;
  },

  fields(l) {
    const { buf, d } = l;
    const out: Field[] = [];
    if (d.auth >= 0) {
      const a = d.auth;
      const kids: Field[] = [];
      const whole = l.end - a >= AUTH_FIXED + d.idLen + d.auLen;
      if (l.end - a >= 4) {
        kids.push(fUint('teredo.auth.idlen', 'Client identifier length', d.idLen, a + 2, 1));
        kids.push(fUint('teredo.auth.aulen', 'Authentication value length', d.auLen, a + 3, 1));
      }
      if (whole) {
        let q = a + 4;
        if (d.idLen > 0) kids.push(fBytes('teredo.auth.id', 'Client identifier', buf, q, q + d.idLen));
        q += d.idLen;
        if (d.auLen > 0) kids.push(fBytes('teredo.auth.value', 'Authentication value', buf, q, q + d.auLen));
        q += d.auLen;
        kids.push(fBytes('teredo.auth.nonce', 'Nonce value', buf, q, q + 8));
        kids.push(fBytes('teredo.auth.conf', 'Confirmation byte', buf, q + 8, q + 9));
      }
      out.push(header('teredo.auth', 'Teredo Authentication header', a, Math.min(l.end, a + AUTH_FIXED + d.idLen + d.auLen) - a, kids));
    }
    if (d.orig >= 0) {
      const o = d.orig;
      const kids: Field[] = [];
      if (l.end - o >= ORIG_LEN) {
        const port = u16(buf, o + 2) ^ 0xffff;
        const f = fUint('teredo.orig.port', 'Origin UDP port', port, o + 2, 2);
        kids.push(f);
        const addr = Uint8Array.from(buf.subarray(o + 4, o + 8), (b) => b ^ 0xff);
        const a = fIPv4('teredo.orig.addr', 'Origin IPv4 address', addr, 0);
        a.start = o + 4;
        kids.push(a);
      }
      out.push(header('teredo.orig', 'Teredo Origin Indication header', o, Math.min(l.end - o, ORIG_LEN), kids));
    }
    return out;
  },

  column: () => 'Teredo',
  info(l) {
    if (l.next !== null) return null;
    return l.d.orig >= 0 ? 'Origin indication' : l.d.auth >= 0 ? 'Authentication header' : null;
  },
};
