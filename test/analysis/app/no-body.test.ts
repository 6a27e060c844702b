// Responses that carry no body whatever their headers say (RFC 9110 §6.4.1): to a HEAD request
// (its Content-Length is what a GET would get), 1xx, 204 and 304. `wiretrace http` showed the
// HEAD's Content-Length (12.3 kB) as the response's size; found on curl -I against python's
// http.server on loopback.

import { describe, expect, it } from 'vitest';
import { runFrames } from './lib.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

describe('response body size of bodiless responses', () => {
  it('HEAD and 304 count 0 bytes; a GET with the same Content-Length counts it', () => {
    const c = 1000, sv = 5000, cp = 40000;
    const head = enc('HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n');
    const r1 = enc('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12345\r\n\r\n');
    const get = enc('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    const r2 = enc('HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n');
    const get2 = enc('GET /c HTTP/1.1\r\nHost: h\r\n\r\n');
    const r3 = enc('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
    let cs = c + 1 + head.length, ss = sv + 1;
    const frames = [...opening(1, [0, 1, 2, 3], cp, c, sv, head)];
    frames.push(tcpFrame(5, 4, false, cp, PSH | ACK, ss, cs, r1)); ss += r1.length;
    frames.push(tcpFrame(6, 5, true, cp, PSH | ACK, cs, ss, get)); cs += get.length;
    frames.push(tcpFrame(7, 6, false, cp, PSH | ACK, ss, cs, r2)); ss += r2.length;
    frames.push(tcpFrame(8, 7, true, cp, PSH | ACK, cs, ss, get2)); cs += get2.length;
    frames.push(tcpFrame(9, 8, false, cp, PSH | ACK, ss, cs, r3)); ss += r3.length;
    frames.push(tcpFrame(10, 9, true, cp, ACK, cs, ss));
    const { app } = runFrames(frames, []);
    expect(app.transactions.map((t) => [t.method, t.status, t.respBody, t.respFrame])).toEqual([
      ['HEAD', 200, 0, 5],
      ['GET', 304, 0, 7],
      ['GET', 200, 5, 9],
    ]);
  });
});
