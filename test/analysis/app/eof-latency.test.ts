// A response that ends with the capture (no Content-Length, no FIN: its body runs until the close)
// is handed out at the end of the run: its transaction has the frame and time of the last segment
// of that direction, so `wiretrace http` shows a latency instead of none (it had respTs 0 and the
// capture's last frame).

import { describe, expect, it } from 'vitest';
import { runFrames } from './lib.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

describe('HTTP response completed at the end of the capture', () => {
  it('gets the last data segment as its frame and time', () => {
    const c = 1000, sv = 5000, cp = 40000;
    const req = enc('GET /stream HTTP/1.1\r\nHost: h\r\n\r\n');
    const head = enc('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
    const a = c + 1 + req.length;
    const frames = [
      ...opening(1, [10, 11, 12, 20], cp, c, sv, req),
      tcpFrame(5, 45, false, cp, PSH | ACK, sv + 1, a, head),
      tcpFrame(6, 70, false, cp, PSH | ACK, sv + 1 + head.length, a, enc('part one\n')),
      tcpFrame(7, 95, false, cp, PSH | ACK, sv + 10 + head.length, a, enc('part two\n')),
      tcpFrame(8, 96, true, cp, ACK, a, sv + 19 + head.length),
    ];
    const { app } = runFrames(frames, []);
    expect(app.transactions).toHaveLength(1);
    const t = app.transactions[0];
    expect(t.status).toBe(200);
    expect(t.respFrame).toBe(7);
    expect(t.latency).toBeCloseTo(0.075, 9); // 95 ms - 20 ms
    expect(t.notes).toEqual([]); // a body that runs until the close is whole at the end
  });
});
