// A segment whose bytes were all handed to the application already (a retransmission) is not
// dissected again: tshark shows the TCP row ("[TCP Retransmission] 80 → 40000 [ACK] … Len=100")
// and "Retransmitted TCP segment data (100 bytes)", not "HTTP Continuation". Rows checked with
// tshark 4.0 on the same frames (written to a pcap).

import { describe, expect, it } from 'vitest';
import { runFrames } from './lib.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

describe('retransmitted application data', () => {
  it('retransmitted segments, of a message still incomplete and of one handed on, keep the TCP row', () => {
    const c = 1000, sv = 5000, cp = 40000;
    const req = enc('GET /x HTTP/1.1\r\nHost: h\r\n\r\n');
    const head = enc('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 300\r\n\r\n');
    const body = new Uint8Array(300).fill(0x61);
    const a = c + 1 + req.length;
    const frames = [
      ...opening(1, [0, 1, 2, 3], cp, c, sv, req),
      tcpFrame(5, 4, false, cp, ACK, sv + 1, a, head),
      tcpFrame(6, 5, false, cp, ACK, sv + 1 + head.length, a, body.subarray(0, 100)),
      // the same 100 bytes again, 200 ms later
      tcpFrame(7, 205, false, cp, ACK, sv + 1 + head.length, a, body.subarray(0, 100)),
      tcpFrame(8, 206, false, cp, PSH | ACK, sv + 101 + head.length, a, body.subarray(100)),
      // the last segment again, after the message was handed on
      tcpFrame(9, 400, false, cp, PSH | ACK, sv + 101 + head.length, a, body.subarray(100)),
    ];
    const { rows, pkts } = runFrames(frames, []);
    expect(rows.slice(4).map((r) => [r.protocol, r.info])).toEqual([
      ['TCP', 'HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]'],
      ['TCP', '80 → 40000 [ACK] Seq=81 Ack=29 Win=65535 Len=100 [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP Retransmission] 80 → 40000 [ACK] Seq=81 Ack=29 Win=65535 Len=100'],
      ['HTTP', 'HTTP/1.1 200 OK '],
      ['TCP', '[TCP Retransmission] 80 → 40000 [PSH, ACK] Seq=181 Ack=29 Win=65535 Len=200'],
    ]);
    const last = pkts[6].layers[pkts[6].layers.length - 1];
    expect(last.dis.title!(last)).toBe('Retransmitted TCP segment data (100 bytes)');
  });
});
