// A SYN with a new ISN on the ports of an earlier connection is flagged "[TCP Port numbers reused]"
// however long ago that connection ended: tshark keeps every conversation, the tracker forgets
// ended streams (closed grace, idle timeout) but remembers their ports and ISNs (bounded). The bench
// capture had 268 such SYNs (DNS over TCP clients reusing ports) shown without the flag.

import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { TcpTracker } from '../../src/analysis/tcp/tracker.js';
import { A_REUSED_PORTS } from '../../src/analysis/tcp/flags.js';
import { ACK, FIN, SYN, tcpFrame } from '../helpers/tcp-frames.js';
import type { Frame } from '../../src/capture/types.js';

/** A connection from port 40000 opened and closed at `t0` ms, client ISN `isn`. */
function connection(first: number, t0: number, isn: number): Frame[] {
  const s = 7000;
  return [
    tcpFrame(first, t0, true, 40000, SYN, isn, 0),
    tcpFrame(first + 1, t0 + 1, false, 40000, SYN | ACK, s, isn + 1),
    tcpFrame(first + 2, t0 + 2, true, 40000, ACK, isn + 1, s + 1),
    tcpFrame(first + 3, t0 + 3, true, 40000, FIN | ACK, isn + 1, s + 1),
    tcpFrame(first + 4, t0 + 4, false, 40000, FIN | ACK, s + 1, isn + 2),
    tcpFrame(first + 5, t0 + 5, true, 40000, ACK, isn + 2, s + 2),
  ];
}

function run(frames: Frame[], tracker: TcpTracker) {
  const dis = new Dissection(defaultRegistry());
  return frames.map((f) => tracker.packet(dis.dissect(f))!).map((a) => ({ stream: a.stream, reused: (a.flags & A_REUSED_PORTS) !== 0, why: a.why }));
}

describe('reused ports', () => {
  it('flags a new SYN on the ports of a stream forgotten long ago', () => {
    // closed streams are forgotten after 1 s; the sweep runs every 4 packets
    const tracker = new TcpTracker({ closedGrace: 1, sweepEvery: 4 });
    const filler = Array.from({ length: 8 }, (_, i) => tcpFrame(100 + i, 5000 + i * 100, true, 41000, ACK, 1, 1));
    const frames = [...connection(1, 0, 1000), ...filler, ...connection(200, 60_000, 9000), ...connection(300, 120_000, 9000)];
    const r = run(frames, tracker);
    expect(tracker.stats.closed).toBeGreaterThanOrEqual(1); // the first connection was forgotten
    const syns = [r[0], r[14], r[20]];
    expect(syns.map((x) => x.stream)).toEqual([0, 2, 2]);
    // the second connection reuses the first one's ports with a new ISN; the third repeats the
    // second's ISN: the same stream again (as in tshark), no flag
    expect(syns.map((x) => x.reused)).toEqual([false, true, false]);
    expect(r[14].why).toEqual(['SYN with ISN 9000 on ports already used by stream 0 (its ISN was different) → new stream']);
  });

  it('still flags a SYN on the ports of a stream that is tracked', () => {
    const tracker = new TcpTracker();
    const r = run([...connection(1, 0, 1000), ...connection(10, 50, 5000)], tracker);
    expect(r[6].stream).toBe(1);
    expect(r[6].reused).toBe(true);
  });
});
