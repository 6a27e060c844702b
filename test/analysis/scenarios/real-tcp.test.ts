// The TCP tracker on real Linux TCP: the test makes the traffic on 127.0.0.1 with node:net while
// tcpdump records it, then runs our reader + dissector chain + TcpTracker over the file and checks
// what the kernel did (a normal transfer, a slow reader with zero windows and probes, a refused
// connection, a half-close). Where tshark is installed every packet's stream, relative
// seq/ack/nxtseq, scaled window and analysis flags are also compared with tshark's.
// Needs root and tcpdump (skipped with the reason printed otherwise).

import { afterAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import { hasTshark, tsharkFields } from '../../live/helpers.js';
import * as F from '../../../src/analysis/tcp/flags.js';
import type { TcpAnalysis } from '../../../src/analysis/tcp/tracker.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../src/dissect/decoded.js';
import { runConversations } from '../../../src/cli/conversations.js';
import type { CliIO } from '../../../src/cli/read.js';
import { analyse, cleanup, freePort, once, record, skipReason, sleep } from './lib.js';

if (skipReason) console.warn(`test/analysis/scenarios/real-tcp.test.ts: real-traffic TCP scenarios skipped: ${skipReason}`);
const real = describe.skipIf(skipReason !== '');
afterAll(() => {
  if (process.env.KEEP_CAPTURES !== '1') cleanup();
});

const FLAG_KEYS: [number, string][] = [
  [F.A_RETRANSMISSION, 'tcp.analysis.retransmission'],
  [F.A_FAST_RETRANSMISSION, 'tcp.analysis.fast_retransmission'],
  [F.A_OUT_OF_ORDER, 'tcp.analysis.out_of_order'],
  [F.A_LOST_PACKET, 'tcp.analysis.lost_segment'],
  [F.A_DUPLICATE_ACK, 'tcp.analysis.duplicate_ack'],
  [F.A_ZERO_WINDOW, 'tcp.analysis.zero_window'],
  [F.A_ZERO_WINDOW_PROBE, 'tcp.analysis.zero_window_probe'],
  [F.A_ZERO_WINDOW_PROBE_ACK, 'tcp.analysis.zero_window_probe_ack'],
  [F.A_KEEP_ALIVE, 'tcp.analysis.keep_alive'],
  [F.A_WINDOW_UPDATE, 'tcp.analysis.window_update'],
  [F.A_WINDOW_FULL, 'tcp.analysis.window_full'],
];

/**
 * Every packet against tshark: stream, seq, ack, nxtseq, window; flags equal except our Linux
 * zero-window probe rule (docs/tcp-analysis.md): where we say probe, tshark says keep-alive, and the
 * receiver's reply that we call a probe ACK is only "zero window" in tshark. Returns the number of
 * packets that differ that way.
 */
function sameAsTshark(file: string, rows: TcpAnalysis[]): number {
  if (!hasTshark) return 0;
  const keys = ['frame.number', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', ...FLAG_KEYS.map((k) => k[1])];
  const ts = tsharkFields(file, keys);
  expect(ts.length).toBe(rows.length);
  let linux = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = rows[i], t = ts[i];
    const ctx = `frame ${a.frame}`;
    expect(Number(t[0]), ctx).toBe(a.frame);
    expect([t[1], t[2], t[3], t[4] === '' ? '' : Number(t[4]), Number(t[5])], ctx).toEqual([
      String(a.stream), String(a.seq), a.tcpFlags & TCP_ACK ? String(a.ack) : t[3], t[4] === '' ? '' : a.nxtseq, a.window >= 0 ? a.window : a.rawWindow,
    ]);
    let ours = 0, theirs = 0;
    FLAG_KEYS.forEach(([bit], j) => {
      if (a.flags & bit) ours |= bit;
      if (t[6 + j] === '1') theirs |= bit;
    });
    if (ours & F.A_ZERO_WINDOW_PROBE && theirs & F.A_KEEP_ALIVE) {
      linux++;
      expect(ours & ~F.A_ZERO_WINDOW_PROBE, ctx).toBe(theirs & ~F.A_KEEP_ALIVE);
    } else if (ours & F.A_ZERO_WINDOW_PROBE_ACK && !(theirs & F.A_ZERO_WINDOW_PROBE_ACK)) {
      linux++;
      expect(ours & ~F.A_ZERO_WINDOW_PROBE_ACK, ctx).toBe(theirs);
    } else {
      expect(F.flagNames(ours), ctx).toEqual(F.flagNames(theirs));
    }
  }
  return linux;
}

/** tcp.nxtseq = seq + len (+1 for SYN or FIN) on every packet; every packet in stream 0. */
function checkArithmetic(rows: TcpAnalysis[]): void {
  for (const a of rows) {
    expect(a.stream).toBe(0);
    expect(a.nxtseq, `frame ${a.frame}`).toBe(a.seq + a.len + (a.tcpFlags & (TCP_SYN | TCP_FIN) ? 1 : 0));
  }
}

/** The relative sequence number of a FIN itself (after any data in the same segment). */
const finSeq = (a: TcpAnalysis) => a.seq + a.len;

const RETRANS = F.A_RETRANSMISSION | F.A_FAST_RETRANSMISSION | F.A_SPURIOUS_RETRANSMISSION | F.A_OUT_OF_ORDER | F.A_LOST_PACKET;

real('TCP tracker on real Linux loopback traffic', () => {
  it('normal transfer: 100 kB up, a short reply, both close', { timeout: 15_000 }, async () => {
    const SIZE = 100_000;
    // Sent as 10 writes of 10 kB, each once the server has read the one before: a 100 kB burst
    // on a busy machine overflows the receiver's initial 128 KiB buffer on lo (the kernel drops a
    // 34 kB segment and retransmits it), which is not the "normal" case this test is about.
    const CHUNK = 10_000;
    let reply = '';
    let got = 0;
    let onRead: (() => void) | null = null;
    const server = net.createServer((sock) => {
      sock.on('data', (b) => {
        got += b.length;
        onRead?.();
        if (got === SIZE) {
          reply = `received ${got} bytes`;
          sock.end(reply);
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const file = await record('normal.pcap', port, async () => {
      const c = net.connect(port, '127.0.0.1');
      await once(c, 'connect');
      for (let sent = CHUNK; sent <= SIZE; sent += CHUNK) {
        const read = new Promise<void>((r) => (onRead = () => got >= sent && r()));
        c.write(Buffer.alloc(CHUNK, 0x41));
        await read;
      }
      let back = '';
      c.on('data', (b) => (back += b.toString()));
      await once(c, 'close');
      expect(back).toBe(reply);
    });
    server.close();
    const { rows, streams } = await analyse(file);
    expect(streams.length).toBe(1);
    const st = streams[0];
    const cl = st.client, sv = 1 - cl;
    expect(st.clientKnown).toBe(true);
    expect(st.portB).toBe(port);
    // handshake: SYN, SYN/ACK, ACK as frames 1-3; initial RTT measured and > 0
    expect([st.hs.synFrame, st.hs.synAckFrame, st.hs.ackFrame]).toEqual([1, 2, 3]);
    expect(rows.slice(0, 3).map((a) => a.tcpFlags & 0x1f)).toEqual([TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK]);
    expect(st.hasFirstRtt).toBe(true);
    expect(st.firstRtt).toBeGreaterThan(0);
    expect(st.handshakeRtt).toBeGreaterThan(0);
    expect(rows.some((a) => a.initialRtt > 0)).toBe(true);
    checkArithmetic(rows);
    // first data byte of each side at relative seq 1; data contiguous up to the FIN
    const data = (dir: number) => rows.filter((a) => a.dir === dir && a.len > 0);
    expect(data(cl)[0].seq).toBe(1);
    expect(data(sv)[0].seq).toBe(1);
    let next = 1;
    for (const a of data(cl)) {
      expect(a.seq).toBe(next);
      next = a.nxtseq;
    }
    expect(next).toBe(SIZE + 1);
    const fins = rows.filter((a) => a.tcpFlags & TCP_FIN);
    expect(fins.map((a) => a.dir).sort()).toEqual([0, 1]);
    // (a FIN may ride on the last data segment: the FIN's own sequence number is seq + len)
    expect(finSeq(fins.find((a) => a.dir === cl)!)).toBe(SIZE + 1);
    expect(finSeq(fins.find((a) => a.dir === sv)!)).toBe(reply.length + 1);
    expect(st.end).toBe('FIN');
    expect(st.flows[cl].finFrame).toBeGreaterThan(0);
    expect(st.flows[sv].finFrame).toBeGreaterThan(0);
    // no retransmission-type flags; bytes each way as sent
    expect(rows.filter((a) => a.flags & RETRANS).map((a) => a.frame)).toEqual([]);
    expect(st.flows[cl].retrans + st.flows[sv].retrans).toBe(0);
    expect(st.flows[cl].payload).toBe(SIZE);
    expect(st.flows[sv].payload).toBe(reply.length);
    // the last packet is the ACK of the FIN that came second
    const last = rows[rows.length - 1];
    expect([last.tcpFlags & 0x1f, last.ack]).toEqual([TCP_ACK, fins[1].nxtseq]);
    expect(last.dir).toBe(1 - fins[1].dir);
    expect(sameAsTshark(file, rows)).toBe(0);
  });

  it('slow reader: zero windows, Linux zero-window probes, window updates after resume', { timeout: 15_000 }, async () => {
    const SIZE = 4 << 20;
    let srv: net.Socket | null = null;
    let got = 0;
    const server = net.createServer((sock) => {
      srv = sock;
      sock.pause(); // the kernel's receive buffer fills: the advertised window goes to 0
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    let resumedAt = 0n;
    const file = await record('zero-window.pcap', port, async () => {
      const c = net.connect(port, '127.0.0.1');
      await once(c, 'connect');
      c.write(Buffer.alloc(SIZE, 0x42));
      c.end();
      await sleep(1800); // Linux probes the zero window after ~200 ms, then backs off (~400 ms, ~800 ms)
      const s = srv!;
      const ended = once(s, 'end');
      s.on('data', (b: Buffer) => (got += b.length));
      resumedAt = process.hrtime.bigint();
      s.resume();
      await ended;
      s.end();
      await once(c, 'close');
    });
    server.close();
    expect(resumedAt).toBeGreaterThan(0n);
    expect(got).toBe(SIZE);
    const { rows, streams } = await analyse(file);
    expect(streams.length).toBe(1);
    const st = streams[0];
    const cl = st.client, sv = 1 - cl;
    checkArithmetic(rows);
    // zero windows: server → client, window 0 (scaled and raw), counted in the summary
    const zw = rows.filter((a) => a.flags & F.A_ZERO_WINDOW);
    expect(zw.length).toBeGreaterThan(0);
    for (const a of zw) {
      expect(a.dir).toBe(sv);
      expect([a.window, a.rawWindow, a.len]).toEqual([0, 0, 0]);
    }
    expect(st.flows[sv].zeroWin).toBe(zw.length);
    // Linux probes: client → server, at next expected - 1, while the window is 0; flagged as probes
    const probes = rows.filter((a) => a.flags & F.A_ZERO_WINDOW_PROBE);
    expect(probes.length).toBeGreaterThan(0);
    for (const a of probes) {
      expect(a.dir).toBe(cl);
      expect(a.len).toBeLessThanOrEqual(1);
      expect(a.flags & F.A_KEEP_ALIVE).toBe(0);
      expect(a.why!.join(' ')).toContain('zero-window probe');
    }
    // the receiver answers each probe with its zero window again: a zero-window-probe ACK
    const probeAcks = rows.filter((a) => a.flags & F.A_ZERO_WINDOW_PROBE_ACK);
    expect(probeAcks.length).toBeGreaterThan(0);
    for (const a of probeAcks) expect([a.dir, a.window]).toEqual([sv, 0]);
    // after resume: window updates from the server that reopen the window (scaled = raw << wscale)
    const lastProbe = probes[probes.length - 1].frame;
    const upd = rows.filter((a) => a.flags & F.A_WINDOW_UPDATE && a.frame > lastProbe);
    expect(upd.length).toBeGreaterThan(0);
    const scale = st.flows[sv].syn!.wscale!;
    expect(scale).toBeGreaterThan(0);
    for (const a of upd) {
      expect(a.dir).toBe(sv);
      expect(a.len).toBe(0);
      expect(a.window).toBeGreaterThan(0);
      expect(a.window).toBe(a.rawWindow * 2 ** scale);
      expect(a.scaleFactor).toBe(2 ** scale);
    }
    // every byte arrived: the client's FIN sits right after 4 MiB
    expect(finSeq(rows.find((a) => a.dir === cl && a.tcpFlags & TCP_FIN)!)).toBe(SIZE + 1);
    expect(st.end).toBe('FIN');
    // tshark agrees on everything except the Linux probes (keep-alive there) and their ACKs
    if (hasTshark) expect(sameAsTshark(file, rows)).toBe(probes.length + probeAcks.length);
  });

  it('refused connection: SYN, then RST/ACK; conversations shows it ended with RST', { timeout: 15_000 }, async () => {
    const port = await freePort();
    let err: NodeJS.ErrnoException | null = null;
    const file = await record('refused.pcap', port, async () => {
      const c = net.connect(port, '127.0.0.1');
      err = await once<NodeJS.ErrnoException>(c, 'error');
    });
    expect(err!.code).toBe('ECONNREFUSED');
    const { rows, streams } = await analyse(file);
    expect(rows.map((a) => [a.frame, a.stream, a.tcpFlags & 0x1f, a.seq, a.ack])).toEqual([
      [1, 0, TCP_SYN, 0, rows[0].ack],
      [2, 0, TCP_RST | TCP_ACK, 1, 1],
    ]);
    expect(rows[1].dir).toBe(1);
    const st = streams[0];
    expect(st.end).toBe('RST');
    expect(st.handshakeRtt).toBe(-1);
    expect(sameAsTshark(file, rows)).toBe(0);

    let out = '';
    const w = new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } });
    const io: CliIO = { stdout: w, stderr: w, env: { NO_COLOR: '1' } };
    expect(await runConversations(file, { z: ['conv,tcp'], outputFormat: 'json' }, io)).toBe(0);
    const j = JSON.parse(out);
    expect(j.tcp.length).toBe(1);
    expect(j.tcp[0]).toMatchObject({
      addrA: '127.0.0.1', addrB: '127.0.0.1', portB: port, framesAB: 1, framesBA: 1,
      tcp: { end: 'RST', handshakeRtt: null, client: 'A', retransmissions: 0, payloadAB: 0, payloadBA: 0 },
    });
    out = '';
    expect(await runConversations(file, { z: ['conv,tcp'] }, io)).toBe(0);
    expect(out).toContain('TCP conversations: 1');
    expect(out).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} .*RST`));
  });

  it('half-close: the server keeps sending after the client FIN; no flags, ends FIN', { timeout: 15_000 }, async () => {
    const CHUNK = 20_000, N = 5;
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
      sock.resume();
      sock.on('end', async () => {
        for (let i = 0; i < N; i++) {
          sock.write(Buffer.alloc(CHUNK, 0x30 + i));
          await sleep(60);
        }
        sock.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    let got = 0;
    const file = await record('half-close.pcap', port, async () => {
      const c = net.connect(port, '127.0.0.1');
      await once(c, 'connect');
      c.on('data', (b: Buffer) => (got += b.length));
      c.end('request and FIN');
      await once(c, 'close');
    });
    server.close();
    expect(got).toBe(CHUNK * N);
    const { rows, streams } = await analyse(file);
    const st = streams[0];
    const cl = st.client, sv = 1 - cl;
    checkArithmetic(rows);
    const cFin = rows.find((a) => a.dir === cl && a.tcpFlags & TCP_FIN)!;
    const sFin = rows.find((a) => a.dir === sv && a.tcpFlags & TCP_FIN)!;
    expect(finSeq(cFin)).toBe('request and FIN'.length + 1);
    expect(sFin.frame).toBeGreaterThan(cFin.frame);
    const after = rows.filter((a) => a.dir === sv && a.len > 0 && a.frame > cFin.frame);
    expect(after.reduce((s, a) => s + a.len, 0)).toBe(CHUNK * N);
    for (const a of after) {
      expect(a.flags, `frame ${a.frame}: ${a.why?.join('; ')}`).toBe(0);
      expect(a.ack).toBe(cFin.nxtseq); // acknowledges the client's FIN
    }
    // the client goes on acknowledging the data after its FIN, from seq = its FIN + 1
    const clientAcks = rows.filter((a) => a.dir === cl && a.frame > cFin.frame);
    expect(clientAcks.length).toBeGreaterThan(0);
    for (const a of clientAcks) expect([a.seq, a.len]).toEqual([cFin.nxtseq, 0]);
    expect(rows.filter((a) => a.flags & RETRANS).length).toBe(0);
    expect(st.flows[sv].payload).toBe(CHUNK * N);
    expect(st.end).toBe('FIN');
    expect(finSeq(sFin)).toBe(CHUNK * N + 1);
    expect(sameAsTshark(file, rows)).toBe(0);
  });
});
