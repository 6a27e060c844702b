// TcpTracker on synthetic packets: sequence wrap, mid-stream start, port reuse, window scaling,
// the Linux zero-window probe rule, explanations and the memory caps.

import { describe, expect, test } from 'vitest';
import { Layer } from '../../src/dissect/layer.js';
import type { Packet } from '../../src/dissect/chain.js';
import type { IpD, TcpD, TcpOptions } from '../../src/dissect/decoded.js';
import { TCP_ACK, TCP_FIN, TCP_SYN } from '../../src/dissect/decoded.js';
import type { Dissector } from '../../src/dissect/types.js';
import { TcpTracker, type TcpAnalysis } from '../../src/analysis/tcp/tracker.js';
import { seqGT, seqLT, seqSub, seqAdd } from '../../src/analysis/tcp/seq.js';
import { A_RETRANSMISSION, A_ZERO_WINDOW, A_ZERO_WINDOW_PROBE, A_KEEP_ALIVE, A_DUPLICATE_ACK, A_LOST_PACKET, A_ZERO_WINDOW_PROBE_ACK, A_REUSED_PORTS } from '../../src/analysis/tcp/flags.js';

const dis = (proto: string): Dissector => ({ proto, name: proto, fieldKeys: [], dissect: () => { throw new Error('x'); }, fields: () => [] });
const IP = dis('ip'), TCP = dis('tcp'), FR = dis('frame');
let frameNo = 0;

interface Seg { src?: string; dst?: string; sp?: number; dp?: number; seq: number; ack?: number; flags: number; win?: number; len?: number; opts?: TcpOptions; t: number }

function pkt(s: Seg): Packet {
  const ip: IpD = { version: 4, src: s.src ?? '10.0.0.1', dst: s.dst ?? '10.0.0.2', proto: 6, ttl: 64, totalLen: 40, fragment: false, srcAt: 0, dstAt: 0 };
  const d: TcpD = { srcport: s.sp ?? 5000, dstport: s.dp ?? 80, seq: s.seq >>> 0, ack: (s.ack ?? 0) >>> 0, hdrLen: 20, flags: s.flags, window: s.win ?? 1000, urgent: 0,
    len: s.len ?? 0, payloadStart: 0, payloadEnd: 0, options: s.opts ?? {}, ok: true };
  const buf = new Uint8Array(0);
  const frame = { index: ++frameNo, ts: BigInt(Math.round(s.t * 1e9)) + 1_700_000_000_000_000_000n, tsPrecision: 9, linkType: 228, ifIndex: 0, data: buf, origLen: 40 + (s.len ?? 0) };
  return { frame, layers: [new Layer(FR, buf, 0, 0, frame), new Layer(IP, buf, 0, 0, ip), new Layer(TCP, buf, 0, 0, d)] };
}
const C = { src: '10.0.0.1', sp: 5000, dst: '10.0.0.2', dp: 80 };
const S = { src: '10.0.0.2', sp: 80, dst: '10.0.0.1', dp: 5000 };

function run(tr: TcpTracker, segs: Seg[]): TcpAnalysis[] {
  frameNo = 0;
  return segs.map((s) => tr.packet(pkt(s))!);
}

describe('sequence arithmetic mod 2^32', () => {
  test('comparisons across the wrap', () => {
    expect(seqGT(5, 0xfffffff0)).toBe(true);
    expect(seqLT(0xfffffff0, 5)).toBe(true);
    expect(seqSub(5, 0xfffffffb)).toBe(10);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
  });
  test('a stream whose ISN is 100 bytes below 2^32: relative numbers and acks run straight through the wrap', () => {
    const isn = 0xffffff9c, sisn = 7;
    const r = run(new TcpTracker(), [
      { ...C, seq: isn, flags: TCP_SYN, t: 0 },
      { ...S, seq: sisn, ack: isn + 1, flags: TCP_SYN | TCP_ACK, t: 0.01 },
      { ...C, seq: isn + 1, ack: sisn + 1, flags: TCP_ACK, t: 0.02 },
      { ...C, seq: isn + 1, ack: sisn + 1, flags: TCP_ACK, len: 150, t: 0.03 },
      { ...C, seq: (isn + 151) >>> 0, ack: sisn + 1, flags: TCP_ACK, len: 150, t: 0.031 },
      { ...S, seq: sisn + 1, ack: (isn + 301) >>> 0, flags: TCP_ACK, t: 0.05 },
    ]);
    expect(r.map((a) => a.seq)).toEqual([0, 0, 1, 1, 151, 1]);
    expect(r[4].nxtseq).toBe(301);
    expect(r[4].bif).toBe(300);
    expect(r[4].flags).toBe(0); // no "lost segment" across the wrap
    expect(r[5].ack).toBe(301);
    expect(r[5].acksFrame).toBe(5);
    expect(r[5].ackRtt).toBe(19_000_000);
    expect(r[1].initialRtt).toBeNaN(); // not known before the handshake completes
    expect(r[2].initialRtt).toBe(20_000_000); // the ACK completing it (it acks the SYN/ACK: analysis shown)
    expect(r[2].acksFrame).toBe(2);
  });
});

describe('streams', () => {
  test('mid-stream start: relative numbers start at 1, scale unknown (-1), raw window shown', () => {
    const r = run(new TcpTracker(), [{ ...S, seq: 5000, ack: 900, flags: TCP_ACK, len: 10, win: 108, t: 0 }, { ...C, seq: 900, ack: 5010, flags: TCP_ACK, win: 30, t: 0.1 }]);
    expect([r[0].seq, r[0].ack, r[0].nxtseq]).toEqual([1, 1, 11]);
    expect(r[0].window).toBe(-1);
    expect(r[0].scaleFactor).toBe(-1);
    expect(r[1].ack).toBe(11);
  });
  test('window scaling from the SYNs; SYNs themselves unscaled', () => {
    const r = run(new TcpTracker(), [
      { ...C, seq: 1, flags: TCP_SYN, win: 65535, opts: { wscale: 4 }, t: 0 },
      { ...S, seq: 9, ack: 2, flags: TCP_SYN | TCP_ACK, win: 14480, opts: { wscale: 7 }, t: 0.01 },
      { ...C, seq: 2, ack: 10, flags: TCP_ACK, win: 8235, t: 0.02 },
      { ...S, seq: 10, ack: 2, flags: TCP_ACK, win: 122, t: 0.03 },
    ]);
    expect(r.map((a) => a.window)).toEqual([65535, 14480, 131760, 15616]);
    expect(r.map((a) => a.scaleFactor)).toEqual([0, 0, 16, 128]);
  });
  test('a new SYN with another ISN on the same ports starts a new stream', () => {
    const tr = new TcpTracker();
    const r = run(tr, [
      { ...C, seq: 100, flags: TCP_SYN, t: 0 },
      { ...S, seq: 7, ack: 101, flags: TCP_SYN | TCP_ACK, t: 0.01 },
      { ...C, seq: 101, ack: 8, flags: TCP_FIN | TCP_ACK, t: 0.02 },
      { ...C, seq: 100, flags: TCP_SYN, t: 0.5 }, // same ISN: a retransmitted SYN, same stream
      { ...C, seq: 90000, flags: TCP_SYN, t: 1 },
    ]);
    expect(r.map((a) => a.stream)).toEqual([0, 0, 0, 0, 1]);
    expect(r[3].flags & A_RETRANSMISSION).toBeTruthy();
    expect(r[4].flags & A_REUSED_PORTS).toBeTruthy();
    expect(tr.streams[0].end).toBe('half-closed');
  });
});

describe('flags and their rules', () => {
  // The server sends 1000 bytes; the client's window goes to 0; the server probes Linux-style.
  const segs: Seg[] = [
    { ...C, seq: 0, flags: TCP_SYN, t: 0 },
    { ...S, seq: 0, ack: 1, flags: TCP_SYN | TCP_ACK, t: 0.001 },
    { ...C, seq: 1, ack: 1, flags: TCP_ACK, t: 0.002 },
    { ...S, seq: 1, ack: 1, flags: TCP_ACK, len: 1000, t: 0.01 },
    { ...C, seq: 1, ack: 1001, flags: TCP_ACK, win: 0, t: 0.011 },
    { ...S, seq: 1000, ack: 1, flags: TCP_ACK, t: 0.3 },
    { ...C, seq: 1, ack: 1001, flags: TCP_ACK, win: 0, t: 0.301 },
    { ...C, seq: 1, ack: 1001, flags: TCP_ACK, win: 2000, t: 0.5 },
  ];
  test('our rule: seq = next expected - 1 while the peer window is 0 → zero-window probe, with evidence', () => {
    const r = run(new TcpTracker(), segs);
    expect(r[4].flags).toBe(A_ZERO_WINDOW);
    expect(r[5].flags).toBe(A_ZERO_WINDOW_PROBE);
    expect(r[5].why).toEqual(['seq 1000 = next expected 1001 - 1, len 0, peer window 0 → zero-window probe (tshark: keep-alive)']);
    expect(r[6].flags).toBe(A_ZERO_WINDOW | A_ZERO_WINDOW_PROBE_ACK);
    expect(r[6].infoPrefix).toEqual(['TCP ZeroWindowProbeAck', 'TCP ZeroWindow']);
    expect(r[7].infoPrefix).toEqual(['TCP Window Update']);
  });
  test("tshark's rule (linuxZeroWindowProbe: false): keep-alive", () => {
    const r = run(new TcpTracker({ linuxZeroWindowProbe: false }), segs);
    expect(r[5].flags).toBe(A_KEEP_ALIVE);
    expect(r[5].infoPrefix).toEqual(['TCP Keep-Alive']);
    expect(r[6].flags).toBe(A_ZERO_WINDOW);
  });
  test('lost segment and duplicate ACKs name their frames', () => {
    const r = run(new TcpTracker(), [
      { ...C, seq: 0, flags: TCP_SYN, t: 0 },
      { ...S, seq: 0, ack: 1, flags: TCP_SYN | TCP_ACK, t: 0.001 },
      { ...C, seq: 1, ack: 1, flags: TCP_ACK, t: 0.002 },
      { ...S, seq: 1001, ack: 1, flags: TCP_ACK, len: 1000, t: 0.01 },
      { ...C, seq: 1, ack: 1, flags: TCP_ACK, t: 0.011 },
      { ...C, seq: 1, ack: 1, flags: TCP_ACK, t: 0.012 },
    ]);
    expect(r[3].flags).toBe(A_LOST_PACKET);
    expect(r[3].why![0]).toMatch(/seq 1001 > next expected 1 → 1000 bytes before it were not captured/);
    expect(r[4].flags).toBe(A_DUPLICATE_ACK);
    expect(r[5].infoPrefix).toEqual(['TCP Dup ACK 3#2']);
  });
});

describe('memory bounds are reported', () => {
  test('unacked cap and stream cap', () => {
    const tr = new TcpTracker({ maxUnacked: 2, maxStreams: 2 });
    run(tr, [
      { ...S, seq: 1, ack: 1, flags: TCP_ACK, len: 10, t: 0 },
      { ...S, seq: 11, ack: 1, flags: TCP_ACK, len: 10, t: 0.1 },
      { ...S, seq: 21, ack: 1, flags: TCP_ACK, len: 10, t: 0.2 },
      { ...C, sp: 5001, seq: 1, flags: TCP_SYN, t: 0.3 },
      { ...C, sp: 5002, seq: 1, flags: TCP_SYN, t: 0.4 },
    ]);
    expect(tr.stats.unackedCapHits).toBe(1);
    expect(tr.stats.evicted).toBe(1);
    expect(tr.activeCount).toBe(2);
  });
});

describe('packetDecoded and summaryOnly', () => {
  // a handshake, data with a retransmission, a zero window, a dup ACK, FIN both ways, then a
  // second stream on the same ports (new ISN) ended by a RST
  const segs: Seg[] = [
    { ...C, seq: 100, flags: TCP_SYN, win: 64000, opts: { mss: 1460, wscale: 7 }, t: 0 },
    { ...S, seq: 900, ack: 101, flags: TCP_SYN | TCP_ACK, win: 64000, opts: { mss: 1460, wscale: 7 }, t: 0.01 },
    { ...C, seq: 101, ack: 901, flags: TCP_ACK, win: 500, t: 0.02 },
    { ...C, seq: 101, ack: 901, flags: TCP_ACK, len: 100, win: 500, t: 0.03 },
    { ...C, seq: 101, ack: 901, flags: TCP_ACK, len: 100, win: 500, t: 0.5 },
    { ...S, seq: 901, ack: 201, flags: TCP_ACK, win: 0, t: 0.51 },
    { ...S, seq: 901, ack: 201, flags: TCP_ACK, win: 300, t: 0.52 },
    { ...S, seq: 901, ack: 201, flags: TCP_ACK, win: 300, t: 0.53 },
    { ...C, seq: 201, ack: 901, flags: TCP_FIN | TCP_ACK, win: 500, t: 0.6 },
    { ...S, seq: 901, ack: 202, flags: TCP_FIN | TCP_ACK, win: 300, t: 0.61 },
    { ...C, seq: 202, ack: 902, flags: TCP_ACK, win: 500, t: 0.62 },
    { ...C, seq: 7000, flags: TCP_SYN, win: 64000, t: 1 },
    { ...S, seq: 0, ack: 0, flags: 0x004, win: 0, t: 1.01 },
  ];
  const fields = (a: TcpAnalysis) => ({ ...a });

  test('packetDecoded gives what packet() gives, without the layer', () => {
    const p = run(new TcpTracker(), segs).map(fields);
    frameNo = 0;
    const tr = new TcpTracker();
    const q = segs.map((s) => {
      const k = pkt(s);
      return fields(tr.packetDecoded(k.frame, k.layers[1].d as IpD, k.layers[2].d as TcpD)!);
    });
    expect(q).toEqual(p);
    expect(p[4].flags & A_RETRANSMISSION).toBeTruthy();
    expect(p[11].flags & A_REUSED_PORTS).toBeTruthy();
  });

  test('summaryOnly: the same streams, summaries and stats as the full mode, no per-packet analysis', () => {
    const full = new TcpTracker({ fields: false });
    run(full, segs);
    const so = new TcpTracker({ summaryOnly: true, explain: true, fields: true });
    frameNo = 0;
    const pk = segs.map(pkt);
    const r = pk.map((k) => so.packet(k));
    expect(r.every((a) => a !== null)).toBe(true);
    expect(r[4]).toBe(r[5]); // one reused object
    expect(pk.map((k) => k.layers[2].ann ?? null)).toEqual(pk.map(() => null));
    expect(pk.map((k) => k.layers[2].extra)).toEqual(pk.map(() => null));
    const sum = (t: TcpTracker) => t.streams.map((s) => ({
      id: s.id, end: s.end, hs: s.handshakeRtt, client: s.client, first: s.firstTime, last: s.lastTime, closedAt: s.closedAt,
      flows: s.flows.map((f) => [f.packets, f.bytes, f.payload, f.retrans, f.zeroWin, f.finFrame, f.rstFrame, f.finAcked]),
    }));
    expect(sum(so)).toEqual(sum(full));
    expect(so.stats).toEqual(full.stats);
    const [a, b] = sum(full);
    expect([a.end, b.end]).toEqual(['FIN', 'RST']);
    expect(a.flows).toEqual([[6, 440, 200, 1, 0, 9, 0, true], [5, 200, 0, 0, 1, 10, 0, true]]);
    expect(a.hs).toBe(20e6);
    // what only the per-packet analysis needs is not kept
    expect(so.streams[0].flows[0].syn).toBeNull();
    expect(full.streams[0].flows[0].syn).toMatchObject({ mss: 1460, wscale: 7 });
  });
});
