// Which kind of resent data a segment is, in tshark 4.0.17's order. Expected flags are what
// `tshark -n -r X -T fields -e tcp.analysis.flags -e _ws.col.Info` printed for the same segments
// (made with the same sequence numbers and times): data the peer has already acknowledged is a
// spurious retransmission even when it comes soon after the highest segment (the older order called
// it out-of-order; 78 segments of the bench capture), and a segment of more than one byte starting
// one byte before the next expected seq is new data, not out-of-order.

import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { TcpTracker } from '../../src/analysis/tcp/tracker.js';
import { infoPrefixes } from '../../src/analysis/tcp/flags.js';
import { ACK, SYN, tcpFrame } from '../helpers/tcp-frames.js';
import type { Frame } from '../../src/capture/types.js';

const C = 1000, S = 5000, P = 40001;
const A = new Uint8Array(100).fill(0x61), B = new Uint8Array(100).fill(0x62);
/** Handshake at 0, 1, 2 ms: the initial RTT is 2 ms (the out-of-order window). */
const hs = (): Frame[] => [
  tcpFrame(1, 0, true, P, SYN, C, 0),
  tcpFrame(2, 1, false, P, SYN | ACK, S, C + 1),
  tcpFrame(3, 2, true, P, ACK, C + 1, S + 1),
];

function prefixes(frames: Frame[]): string[][] {
  const dis = new Dissection(defaultRegistry());
  const t = new TcpTracker();
  return frames.map((f) => {
    const a = t.packet(dis.dissect(f))!;
    return infoPrefixes(a.flags, a.dupAckFrame, a.dupAckNum);
  });
}

describe('retransmission kinds in tshark 4.0.17 order', () => {
  it('acknowledged data sent again 1 ms after the highest segment is spurious, not out-of-order', () => {
    const frames = [
      ...hs(),
      tcpFrame(4, 10, false, P, ACK, S + 1, C + 1, A),
      tcpFrame(5, 11, false, P, ACK, S + 101, C + 1, B),
      tcpFrame(6, 11, true, P, ACK, C + 1, S + 201),
      tcpFrame(7, 12, false, P, ACK, S + 1, C + 1, A),
    ];
    const p = prefixes(frames);
    expect(p.slice(0, 6)).toEqual([[], [], [], [], [], []]);
    expect(p[6]).toEqual(['TCP Spurious Retransmission']);
    // and not acknowledged yet: out-of-order (the peer's ack 1 is below the data)
    const unacked = prefixes([...hs(), frames[3], frames[4], tcpFrame(6, 12, false, P, ACK, S + 1, C + 1, A)]);
    expect(unacked[5]).toEqual(['TCP Out-Of-Order']);
  });

  it('a segment starting one byte before the next expected seq is new data', () => {
    const p = prefixes([...hs(), tcpFrame(4, 10, false, P, ACK, S + 1, C + 1, A), tcpFrame(5, 11, false, P, ACK, S + 100, C + 1, B)]);
    expect(p[4]).toEqual([]);
    // two bytes back it is out-of-order again (1 ms after the highest segment, iRTT 2 ms)
    const q = prefixes([...hs(), tcpFrame(4, 10, false, P, ACK, S + 1, C + 1, A), tcpFrame(5, 11, false, P, ACK, S + 99, C + 1, B)]);
    expect(q[4]).toEqual(['TCP Out-Of-Order']);
    // and long after it, a retransmission
    const r = prefixes([...hs(), tcpFrame(4, 10, false, P, ACK, S + 1, C + 1, A), tcpFrame(5, 500, false, P, ACK, S + 99, C + 1, B)]);
    expect(r[4]).toEqual(['TCP Retransmission']);
  });
});
