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
import { analysisFields } from '../../src/analysis/tcp/fields.js';
import type { Field } from '../../src/dissect/types.js';
import { A_ACK_LOST_PACKET, A_LOST_PACKET, infoPrefixes } from '../../src/analysis/tcp/flags.js';
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

/** Which frames carry "ACKed unseen segment" (A) / "Previous segment not captured" (L). */
function lost(frames: Frame[]): string {
  const dis = new Dissection(defaultRegistry());
  const t = new TcpTracker();
  return frames
    .map((f) => {
      const a = t.packet(dis.dissect(f))!;
      return ((a.flags & A_ACK_LOST_PACKET ? 'A' : '') + (a.flags & A_LOST_PACKET ? 'L' : '')) || '-';
    })
    .slice(3) // after the handshake
    .join(' ');
}

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
    // tshark's tree has the retransmission item under it too: -e tcp.analysis.retransmission is 1
    const dis = new Dissection(defaultRegistry());
    const t = new TcpTracker();
    let last = null;
    for (const f of frames) last = t.packet(dis.dissect(f))!;
    const keys: string[] = [];
    const walk = (fs: readonly Field[]): void => fs.forEach((f) => (keys.push(f.key), f.children && walk(f.children)));
    walk(analysisFields(last!));
    expect(keys.filter((k) => k.endsWith('retransmission'))).toEqual(['tcp.analysis.spurious_retransmission', 'tcp.analysis.retransmission']);
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

  it('the RTO is measured from the oldest unacknowledged segment (tshark: 0.490 s from frame 4)', () => {
    const dis = new Dissection(defaultRegistry());
    const t = new TcpTracker();
    const frames = [...hs(), tcpFrame(4, 10, false, P, ACK, S + 1, C + 1, A), tcpFrame(5, 11, false, P, ACK, S + 101, C + 1, B), tcpFrame(6, 500, false, P, ACK, S + 1, C + 1, A)];
    const out = frames.map((f) => t.packet(dis.dissect(f))!);
    expect([out[5].rto, out[5].rtoFrame]).toEqual([490e6, 4]);
  });

  it('"ACKed unseen segment": once per hole in the peer\'s data, else once until the peer\'s ack changes', () => {
    // [client or server, seq offset, length, ack offset] after the handshake; the expected letters are
    // what tshark 4.0.17 printed for the same segments (A: ack_lost_segment, L: lost_segment)
    type Ev = ['C' | 'S', number, number, number];
    const make = (evs: Ev[]): Frame[] => [
      ...hs(),
      ...evs.map(([d, sq, len, ak], i) =>
        d === 'C' ? tcpFrame(4 + i, 10 + i, true, P, ACK, C + sq, S + ak, new Uint8Array(len)) : tcpFrame(4 + i, 10 + i, false, P, ACK, S + sq, C + ak, new Uint8Array(len).fill(0x79)),
      ),
    ];
    const head: Ev[] = [['C', 1, 10, 1], ['S', 1, 100, 31], ['S', 101, 100, 31]];
    // the client's ack changes (no hole): one more
    expect(lost(make([...head, ['C', 11, 0, 201], ['S', 201, 100, 41], ['S', 301, 100, 41], ['S', 401, 100, 41]]))).toBe('- A - - A - -');
    // the client's next segment leaves a hole: the ack beyond it is flagged twice (the hole, the ack change)
    expect(lost(make([...head, ['C', 31, 0, 201], ['S', 201, 100, 41], ['S', 301, 100, 41], ['S', 401, 100, 41], ['S', 501, 100, 51]]))).toBe('- A - L A A - -');
    // acking just up to the client's highest seq: once
    expect(lost(make([...head, ['C', 31, 0, 201], ['S', 201, 100, 31], ['S', 301, 100, 31], ['S', 401, 100, 31]]))).toBe('- A - L A - -');
    // a hole with data after it: once for the data, once more for an ack beyond it
    expect(lost(make([...head, ['C', 31, 5, 201], ['S', 201, 100, 36], ['S', 301, 100, 36], ['S', 401, 100, 46], ['S', 501, 100, 46]]))).toBe('- A - L A - A -');
    // no client data seen at all
    expect(lost(make([['S', 1, 100, 11], ['S', 101, 100, 11], ['S', 201, 100, 11]]))).toBe('A - -');
  });
});
