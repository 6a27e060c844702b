// Internet checksum (RFC 1071) helpers shared by IPv4, ICMP, ICMPv6, TCP, UDP, …
//
// How to verify a segment (TCP/UDP over IPv4 or IPv6; ICMPv6 too):
//   const ip = <the enclosing 'ip' or 'ipv6' layer>;               // ctx.layers, last ip/ipv6
//   const len = segEnd - segStart;                                   // the transport length
//   let s = pseudoSum(ip, 6 /* TCP */, len);                         // src, dst, proto, length
//   s = onesSum(buf, segStart, segEnd, s);                           // header+payload incl. the checksum field
//   const ok = finish(s) === 0;                                      // a correct segment sums to 0xffff → finish 0
// To compute the value that belongs in the field: sum with the checksum field's two bytes
// skipped (or zeroed), then finish(s) is the value (UDP: 0 is sent as 0xffff).
// Only verify when every byte of the segment was captured (not cut by the snaplen) and the
// IP layer's buffer is the same as the segment's or its addresses are readable (srcAt/dstAt ≥ 0).
// pseudoSum reads the addresses from ipLayer.buf at d.srcAt/d.dstAt, so it works for a
// reassembled datagram too (its Layer keeps the frame buffer with the addresses).

import type { IpD } from './decoded.js';
import type { Layer } from './layer.js';

/**
 * One's-complement sum of the 16-bit big-endian words of buf[start, end), added to `init`
 * (a running sum, not yet folded). An odd final byte is padded with a zero byte.
 * Returns a partial sum folded to 16 bits (0..0xffff), so it can be passed on as `init`.
 */
export function onesSum(buf: Uint8Array, start: number, end: number, init = 0): number {
  let s = init;
  let i = start;
  const last = end - 1;
  // Accumulate without folding every step: JS numbers are exact up to 2^53.
  for (; i < last; i += 2) s += (buf[i] << 8) | buf[i + 1];
  if (i === last) s += buf[i] << 8;
  return fold(s);
}

/** Fold a sum of 16-bit words into 16 bits (end-around carry). */
export function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** Folded and complemented: the checksum value; 0 means a received header/segment verifies. */
export function finish(sum: number): number {
  return ~fold(sum) & 0xffff;
}

/**
 * Sum of the pseudo-header for an upper-layer checksum: IPv4 (RFC 793/768: src, dst, zero,
 * proto, length) or IPv6 (RFC 8200 §8.1: src, dst, 32-bit length, zeros, next header).
 * `ipLayer` is an 'ip' or 'ipv6' Layer whose d is IpD; `proto` the upper-layer protocol number;
 * `length` the upper-layer length (TCP header+data, UDP length, ICMPv6 message length).
 * Returns the folded partial sum (0 when the addresses are not readable: check srcAt ≥ 0 first).
 */
export function pseudoSum(ipLayer: Layer, proto: number, length: number): number {
  const d = ipLayer.d as IpD;
  const buf = ipLayer.buf;
  if (!d || d.srcAt < 0 || d.dstAt < 0) return 0;
  const alen = d.version === 6 ? 16 : 4;
  let s = onesSum(buf, d.srcAt, d.srcAt + alen, 0);
  s = onesSum(buf, d.dstAt, d.dstAt + alen, s);
  // length as 32 bits (IPv6) or 16 bits (IPv4): both add the same words for length < 2^16
  s += Math.floor(length / 0x10000) & 0xffff;
  s += length & 0xffff;
  s += proto & 0xff;
  return fold(s);
}
