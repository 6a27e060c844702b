// The TCP application analyzer's memory follows the tracker's: a stream the tracker forgets (closed
// past its grace, idle past the timeout) leaves no entry and no reassembly budget behind, so a long
// capture of short connections does not grow it. Before: one entry per connection ever seen, and
// ~8 KB of budget per connection never given back.

import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/capture/types.js';
import { ACK, enc, FIN, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { TcpTracker } from '../../../src/analysis/tcp/tracker.js';
import { TcpApp } from '../../../src/analysis/http/app.js';

/**
 * `n` HTTP connections one second apart: handshake, GET, 200 with a 5-byte body, FIN both ways.
 * The last `open` of them send a response head announcing 100 bytes and then go quiet.
 */
function connections(n: number, open = 0): Frame[] {
  const out: Frame[] = [];
  let idx = 1;
  for (let i = 0; i < n; i++) {
    const t = i * 1000;
    const cp = 40000 + i;
    const c = 1000, s = 5000;
    const req = enc(`GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const quiet = i >= n - open;
    const resp = enc(quiet ? 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc' : 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    out.push(...opening(idx, [t, t + 1, t + 2, t + 3], cp, c, s, req));
    idx += 4;
    out.push(tcpFrame(idx++, t + 4, false, cp, PSH | ACK, s + 1, c + 1 + req.length, resp));
    if (quiet) continue;
    out.push(tcpFrame(idx++, t + 5, true, cp, FIN | ACK, c + 1 + req.length, s + 1 + resp.length));
    out.push(tcpFrame(idx++, t + 6, false, cp, FIN | ACK, s + 1 + resp.length, c + 2 + req.length));
    out.push(tcpFrame(idx++, t + 7, true, cp, ACK, c + 2 + req.length, s + 2 + resp.length));
  }
  return out;
}

function run(frames: Frame[], tracker: TcpTracker, app: TcpApp): { maxTracked: number } {
  const dis = new Dissection(defaultRegistry());
  let maxTracked = 0;
  for (const f of frames) {
    const pkt = dis.dissect(f);
    tracker.packet(pkt);
    app.packet(pkt);
    maxTracked = Math.max(maxTracked, app.trackedStreams);
  }
  return { maxTracked };
}

describe('TCP application analyzer memory', () => {
  it('forgets closed connections with the tracker: entries and budget stay bounded', () => {
    // the tracker sweeps every 16 packets here; closed streams go after 2 s of quiet
    const tracker = new TcpTracker({ keepSummaries: false, closedGrace: 2, sweepEvery: 16 });
    const app = new TcpApp({ registry: defaultRegistry() }).follow(tracker);
    const { maxTracked } = run(connections(200), tracker, app);
    expect(app.transactions.length).toBe(200);
    expect(app.transactions.every((t) => t.status === 200 && t.respFrame > 0)).toBe(true);
    // 8 packets per connection, one connection a second: the sweep (16 packets = 2 s) plus the grace
    expect(maxTracked).toBeLessThanOrEqual(6);
    expect(app.trackedStreams).toBeLessThanOrEqual(6);
    // every closed connection gave its buffers back
    expect(app.budget.used).toBe(0);
  });

  it('an idle stream that expires hands out what it holds, as at the end of the capture', () => {
    const tracker = new TcpTracker({ keepSummaries: false, idleTimeout: 3, sweepEvery: 16 });
    const app = new TcpApp({ registry: defaultRegistry() }).follow(tracker);
    // 40 connections, the last 5 go quiet after a response head (at 35..39 s; the capture ends at 39 s)
    run(connections(40, 5), tracker, app);
    const answered = () => app.transactions.filter((t) => t.respFrame > 0);
    // the quiet ones idle for more than 3 s by the last sweep were forgotten: their cut responses are out
    const early = answered().length;
    expect(early).toBeGreaterThan(35);
    expect(early).toBeLessThan(40);
    app.finish();
    expect(answered().length).toBe(40);
    const cut = app.transactions.filter((t) => t.notes.includes('response eof'));
    expect(cut.map((t) => t.uri)).toEqual(['/35', '/36', '/37', '/38', '/39']);
    expect(app.budget.used).toBe(0);
  });

  it('without follow(), entries of finished connections pile up (what follow() prevents)', () => {
    const tracker = new TcpTracker({ keepSummaries: false, closedGrace: 2, sweepEvery: 16 });
    const app = new TcpApp({ registry: defaultRegistry() });
    run(connections(50), tracker, app);
    expect(app.trackedStreams).toBe(50);
  });
});
