// TCP frames for tests that need a few hand-made segments (Ethernet + IPv4 + TCP, no options).

import type { Frame } from '../../src/capture/types.js';

export const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;
export const CLIENT = [10, 0, 0, 1], SERVER = [10, 0, 0, 2];
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Client (10.0.0.1:cport) ↔ server (10.0.0.2:80); checksums left 0 (not verified by the analyzers). */
export function tcpFrame(index: number, tsMs: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload: Uint8Array = new Uint8Array(0)): Frame {
  const b = new Uint8Array(14 + 20 + 20 + payload.length);
  b[12] = 0x08;
  const ip = 14;
  b[ip] = 0x45;
  const tl = 40 + payload.length;
  b[ip + 2] = tl >> 8;
  b[ip + 3] = tl & 255;
  b[ip + 8] = 64;
  b[ip + 9] = 6;
  b.set(toServer ? CLIENT : SERVER, ip + 12);
  b.set(toServer ? SERVER : CLIENT, ip + 16);
  const t = 34;
  const [sp, dp] = toServer ? [cport, 80] : [80, cport];
  b[t] = sp >> 8; b[t + 1] = sp & 255; b[t + 2] = dp >> 8; b[t + 3] = dp & 255;
  new DataView(b.buffer).setUint32(t + 4, seq >>> 0);
  new DataView(b.buffer).setUint32(t + 8, ack >>> 0);
  b[t + 12] = 0x50;
  b[t + 13] = flags;
  b[t + 14] = 0xff; b[t + 15] = 0xff;
  b.set(payload, t + 20);
  return { index, ts: BigInt(tsMs) * 1_000_000n, tsPrecision: 9, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
}

/**
 * A connection's opening: SYN, SYN/ACK, ACK and the client's request, frames `first` … `first + 3`
 * at `times` (ms); client ISN `c`, server ISN `s`.
 */
export function opening(first: number, times: readonly [number, number, number, number], cport: number, c: number, s: number, req: Uint8Array): Frame[] {
  return [
    tcpFrame(first, times[0], true, cport, SYN, c, 0),
    tcpFrame(first + 1, times[1], false, cport, SYN | ACK, s, c + 1),
    tcpFrame(first + 2, times[2], true, cport, ACK, c + 1, s + 1),
    tcpFrame(first + 3, times[3], true, cport, PSH | ACK, c + 1, s + 1, req),
  ];
}
