// JIT warm-up for `wiretrace conversations`: a short synthetic capture (~150 frames: handshakes,
// data, SACK, dup ACKs, fast / plain / spurious retransmissions, out-of-order and lost segments,
// zero window and probes, keep-alives, FIN and RST, port reuse, streams seen from the middle,
// two streams on one port pair, IPv4 and IPv6, UDP, ARP, times beyond 2^31 and 2^32 ns) run
// through a THROWAWAY ConversationTable before the real file.
//
// Why: the TCP tracker's analyse()/sequence() are large functions with many rare branches. Fed
// a real capture cold, V8 optimises them on the first common packets, then deoptimises each time
// a branch it has never seen is taken (the first SYN after data, the first retransmission, the
// first time value beyond a small integer …) and runs the interpreter until it re-optimises: on
// the 200k-packet benchmark most of the first pass ran unoptimised (~1 s instead of ~0.2 s).
// Touching every branch once first gives the optimiser complete type feedback.
//
// Nothing of the warm-up reaches the real table: it uses its own ConversationTable and tracker
// (no shared state), so the output is unchanged (test/analysis/conversations-fast.test.ts).

import type { Frame } from '../capture/types.js';

const C4 = [10, 0, 0, 1], S4 = [10, 0, 0, 2];
const C6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const S6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

interface Seg {
  /** 0: client → server, 1: server → client. */
  dir: 0 | 1;
  flags: number;
  seq: number;
  ack: number;
  len?: number;
  win?: number;
  /** Milliseconds since the warm-up's first frame. */
  t: number;
  opts?: number[];
}

/** MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
export const SYN_OPTS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
const TS_OPTS = [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];
function sackOpts(l: number, r: number): number[] {
  return [1, 1, 5, 10, l >>> 24, (l >>> 16) & 255, (l >>> 8) & 255, l & 255, r >>> 24, (r >>> 16) & 255, (r >>> 8) & 255, r & 255];
}

/** One TCP conversation exercising the tracker's rules. */
function script(t0: number, isnC: number, isnS: number): Seg[] {
  const c = (isnC + 1) >>> 0, s = (isnS + 1) >>> 0;
  return [
    { dir: 0, flags: SYN, seq: isnC, ack: 0, t: t0, opts: SYN_OPTS },
    { dir: 1, flags: SYN | ACK, seq: isnS, ack: c, t: t0 + 1, opts: SYN_OPTS },
    { dir: 0, flags: ACK, seq: c, ack: s, t: t0 + 2, opts: TS_OPTS },
    { dir: 0, flags: PSH | ACK, seq: c, ack: s, len: 100, t: t0 + 3, opts: TS_OPTS },
    { dir: 1, flags: ACK, seq: s, ack: c + 100, t: t0 + 4 },
    { dir: 1, flags: ACK, seq: s, ack: c + 100, len: 1000, t: t0 + 5 },
    { dir: 1, flags: ACK, seq: s + 1000, ack: c + 100, len: 1000, t: t0 + 5 },
    { dir: 1, flags: PSH | ACK, seq: s + 2000, ack: c + 100, len: 1000, t: t0 + 5 },
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 1000, t: t0 + 6, opts: sackOpts(s + 2000, s + 3000) },
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 1000, t: t0 + 6, opts: sackOpts(s + 2000, s + 3000) },
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 1000, t: t0 + 6, opts: sackOpts(s + 2000, s + 3000) },
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 1000, t: t0 + 6, opts: sackOpts(s + 2000, s + 3000) },
    { dir: 1, flags: ACK, seq: s + 1000, ack: c + 100, len: 1000, t: t0 + 7 }, // fast retransmission
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 3000, t: t0 + 8 },
    { dir: 1, flags: ACK, seq: s + 4000, ack: c + 100, len: 500, t: t0 + 9 }, // previous segment not captured
    { dir: 1, flags: ACK, seq: s + 3000, ack: c + 100, len: 1000, t: t0 + 9 }, // out of order
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 4500, t: t0 + 10 },
    { dir: 1, flags: ACK, seq: s + 2000, ack: c + 100, len: 1000, t: t0 + 300 }, // spurious
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 9000, t: t0 + 301 }, // acks unseen data
    { dir: 1, flags: ACK, seq: s + 4500, ack: c + 100, len: 800, t: t0 + 302 },
    { dir: 1, flags: ACK, seq: s + 4500, ack: c + 100, len: 800, t: t0 + 900 }, // retransmission
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 5300, win: 0, t: t0 + 901 }, // zero window
    { dir: 1, flags: ACK, seq: s + 5300, ack: c + 100, len: 1, t: t0 + 1200 }, // zero-window probe
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 5300, win: 0, t: t0 + 1201 }, // probe ACK
    { dir: 1, flags: ACK, seq: s + 5299, ack: c + 100, len: 1, t: t0 + 1500 }, // Linux probe
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 5300, win: 0, t: t0 + 1501 },
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 5300, win: 4000, t: t0 + 1502 }, // window update
    { dir: 1, flags: ACK, seq: s + 5300, ack: c + 100, len: 4000, t: t0 + 1503 }, // window full
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 9300, t: t0 + 1504 },
    { dir: 1, flags: ACK, seq: s + 9299, ack: c + 100, t: t0 + 60000 }, // keep-alive
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 9300, t: t0 + 60001 }, // keep-alive ACK
    { dir: 0, flags: ACK, seq: c + 100, ack: s + 9300, t: t0 + 60002 }, // dup ACK
    { dir: 0, flags: FIN | ACK, seq: c + 100, ack: s + 9300, t: t0 + 60003 },
    { dir: 1, flags: FIN | ACK, seq: s + 9300, ack: c + 101, t: t0 + 60004 },
    { dir: 1, flags: FIN | ACK, seq: s + 9300, ack: c + 101, t: t0 + 60300 }, // retransmitted FIN
    { dir: 0, flags: ACK, seq: c + 101, ack: s + 9301, t: t0 + 60301 },
    // the same ports again with a new ISN: a new stream, ended by a RST
    { dir: 0, flags: SYN, seq: 77000, ack: 0, t: t0 + 61000, opts: SYN_OPTS },
    { dir: 1, flags: SYN | ACK, seq: 88000, ack: 77001, t: t0 + 61001 },
    { dir: 0, flags: ACK, seq: 77001, ack: 88001, t: t0 + 61002 },
    { dir: 0, flags: RST | ACK, seq: 77001, ack: 88001, t: t0 + 61003 },
    { dir: 1, flags: ACK, seq: 88001, ack: 77001, len: 10, t: t0 + 61004 },
  ];
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 255;
  b[at + 2] = (v >>> 8) & 255;
  b[at + 3] = v & 255;
}

/** An Ethernet frame of client (dir 0) or server (dir 1) carrying `l4` over IPv4 or IPv6. */
export function frame(index: number, tsNs: bigint, v6: boolean, dir: 0 | 1, l4: Uint8Array, proto: number): Frame {
  const ipLen = v6 ? 40 : 20;
  const b = new Uint8Array(14 + ipLen + l4.length);
  b[12] = v6 ? 0x86 : 0x08;
  b[13] = v6 ? 0xdd : 0x00;
  const [src, dst] = dir === 0 ? (v6 ? [C6, S6] : [C4, S4]) : v6 ? [S6, C6] : [S4, C4];
  if (v6) {
    b[14] = 0x60;
    b[18] = l4.length >> 8;
    b[19] = l4.length & 255;
    b[20] = proto;
    b[21] = 64;
    b.set(src, 22);
    b.set(dst, 38);
  } else {
    const tl = 20 + l4.length;
    b[14] = 0x45;
    b[16] = tl >> 8;
    b[17] = tl & 255;
    b[22] = 64;
    b[23] = proto;
    b.set(src, 26);
    b.set(dst, 30);
  }
  b.set(l4, 14 + ipLen);
  return { index, ts: tsNs, tsPrecision: 9, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
}

/** A TCP header with options `opts` (a multiple of 4 bytes) and payload `data`; checksum 0. */
export function tcpSeg(sp: number, dp: number, seq: number, ack: number, flags: number, win: number, opts: readonly number[], data: Uint8Array): Uint8Array {
  const hl = 20 + opts.length;
  const b = new Uint8Array(hl + data.length);
  b[0] = sp >> 8; b[1] = sp & 255; b[2] = dp >> 8; b[3] = dp & 255;
  put32(b, 4, seq >>> 0);
  put32(b, 8, ack >>> 0);
  b[12] = (hl / 4) << 4;
  b[13] = flags;
  b[14] = win >> 8;
  b[15] = win & 255;
  b.set(opts, 20);
  b.set(data, hl);
  return b;
}

function tcpBytes(g: Seg, cport: number): Uint8Array {
  const sport = cport >= 60000 ? 50000 : 80;
  const [sp, dp] = g.dir === 0 ? [cport, sport] : [sport, cport];
  return tcpSeg(sp, dp, g.seq, g.ack, g.flags, g.win ?? 8192, g.opts ?? [], new Uint8Array(g.len ?? 0));
}

/**
 * The synthetic warm-up frames (Ethernet): `reps` rounds of ~100 frames, each round on new ports
 * and 100 s later than the one before (so the tracker's periodic sweep forgets closed streams).
 */
export function warmupFrames(reps = 1): Frame[] {
  const out: Frame[] = [];
  // Absolute times like a real capture; relative times cross 2^31 and 2^32 ns (no longer small
  // integers), sequence numbers start above 2^31 and wrap past 2^32, one port pair is above 2^15.
  const base = 1_700_000_000_000_000_000n;
  let i = 1;
  const arp = new Uint8Array(42);
  arp[12] = 0x08; arp[13] = 0x06;
  out.push({ index: i++, ts: base, tsPrecision: 9, linkType: 1, ifIndex: 0, data: arp, origLen: 60 });
  for (let r = 0; r < reps; r++) {
    const tr = r * 100_000;
    const runs = [[false, 40000, 3000, 1000, 5000], [true, 40001, 8000, 4294967000, 2500000000], [false, 60000, 20000, 3000000000, 4294960000]] as const;
    for (const [v6, port, t0, isnC, isnS] of runs) {
      const cport = port + 3 * r;
      for (const g of script(tr + t0, isnC, isnS)) out.push(frame(i++, base + BigInt(tr + g.t) * 1_000_000n + BigInt(i), v6, g.dir, tcpBytes(g, cport), 6));
      for (let k = 0; k < 3; k++) {
        const u = new Uint8Array(20);
        u[0] = 0x13; u[1] = 0x88; u[2] = 0; u[3] = 53; u[5] = 20;
        out.push(frame(i++, base + BigInt(tr + t0 + 70000 + k) * 1_000_000n, v6, (k & 1) as 0 | 1, u, 17));
      }
    }
    // streams seen from the middle (no SYN), small and large sequence numbers, IPv4 and IPv6 on
    // the same ports (two streams on one port pair), segments out of order then a partial ACK
    // (the unacked list out of order, entries kept behind the ACK)
    for (const [k, v6, sq, ak] of [[0, false, 123456, 654321], [1, true, 3_000_000_000, 3_500_000_000]] as const) {
      const mid: Seg[] = [
        { dir: 1, flags: ACK, seq: sq, ack: ak, len: 10, t: 0 },
        { dir: 0, flags: ACK, seq: ak, ack: sq + 10, t: 1 },
        { dir: 1, flags: ACK, seq: sq + 10, ack: ak, len: 10, t: 2 },
        { dir: 1, flags: ACK, seq: sq + 30, ack: ak, len: 10, t: 2 },
        { dir: 1, flags: ACK, seq: sq + 20, ack: ak, len: 10, t: 2 },
        { dir: 0, flags: ACK, seq: ak, ack: sq + 20, t: 3 },
        { dir: 0, flags: ACK, seq: ak, ack: sq + 40, t: 4 },
        { dir: 1, flags: ACK, seq: sq + 40, ack: ak, len: 20, t: 5 },
        { dir: 1, flags: ACK, seq: sq + 45, ack: ak, len: 5, t: 5 }, // inside the previous one
        { dir: 0, flags: ACK, seq: ak, ack: sq + 40, t: 6 },
        { dir: 0, flags: ACK, seq: ak, ack: sq + 60, t: 7 },
      ];
      for (const g of mid) out.push(frame(i++, base + BigInt(tr + 90_000 + 10 * k + g.t) * 1_000_000n, v6, g.dir, tcpBytes(g, 50100 + r), 6));
    }
    // the first stream's ports again, long after a sweep forgot it (tiny limits): a new stream
    // that checks the forgotten ISNs ("[TCP Port numbers reused]")
    const again: Seg[] = [
      { dir: 0, flags: SYN, seq: 5555, ack: 0, t: 0, opts: SYN_OPTS },
      { dir: 1, flags: SYN | ACK, seq: 6666, ack: 5556, t: 1, opts: SYN_OPTS },
    ];
    for (const g of again) out.push(frame(i++, base + BigInt(tr + 95_000 + g.t) * 1_000_000n, false, g.dir, tcpBytes(g, 40000 + 3 * r), 6));
  }
  return out;
}
