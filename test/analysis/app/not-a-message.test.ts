// Bytes on an HTTP port that start no message, as tshark 4.0.17's HTTP dissector treats them (rows
// checked with tshark on the same frames written to a pcap): a printable first byte without a line
// end waits for more ("[TCP segment of a reassembled PDU]"); once a line ends, or at a binary first
// byte, the bytes are "HTTP Continuation" — but only on a connection where a request was seen (a
// capture that starts in the middle of a transfer shows TCP rows, the payload as data).

import { describe, expect, it } from 'vitest';
import { runFrames } from './lib.js';
import { ACK, enc, FIN, PSH, SYN, tcpFrame } from '../../helpers/tcp-frames.js';

const c = 1000, s = 5000, cp = 40001;
const A = new Uint8Array(100).fill(0x61), B = new Uint8Array(100).fill(0x62);
const C = enc('c'.repeat(50) + '\r\n' + 'd'.repeat(48));
const E = enc('e\r\n' + 'e'.repeat(97));

/** Handshake, then (when `req`) a request and its whole response, then the server's bytes. */
function frames(req: boolean) {
  const f = [tcpFrame(1, 0, true, cp, SYN, c, 0), tcpFrame(2, 1, false, cp, SYN | ACK, s, c + 1), tcpFrame(3, 2, true, cp, ACK, c + 1, s + 1)];
  let cs = c + 1, ss = s + 1;
  if (req) {
    const q = enc('GET /x HTTP/1.1\r\nHost: h\r\n\r\n');
    const r = enc('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    f.push(tcpFrame(4, 5, true, cp, PSH | ACK, cs, ss, q), tcpFrame(5, 6, false, cp, PSH | ACK, ss, cs + q.length, r));
    cs += q.length;
    ss += r.length;
  }
  let n = f.length;
  let t = 10;
  for (const p of [A, B, C, E, A]) {
    f.push(tcpFrame(++n, t++, false, cp, ACK, ss, cs, p));
    ss += 100;
  }
  f.push(tcpFrame(++n, t++, true, cp, ACK, cs, ss), tcpFrame(++n, t, false, cp, FIN | ACK, ss, cs, enc('\r\n')));
  return f;
}

const seg = (seq: number, ack: number) => ['TCP', `80 → 40001 [ACK] Seq=${seq} Ack=${ack} Win=65535 Len=100 [TCP segment of a reassembled PDU]`];

describe('bytes that start no HTTP message', () => {
  it('after a request: wait for a line end, then Continuation', () => {
    const { rows } = runFrames(frames(true), []);
    // tshark -n -r (the same frames) -T fields -e _ws.col.Protocol -e _ws.col.Info
    expect(rows.slice(5).map((r) => [r.protocol, r.info])).toEqual([
      seg(44, 29),
      seg(144, 29),
      ['HTTP', 'Continuation'],
      ['HTTP', 'Continuation'],
      seg(444, 29),
      ['TCP', '40001 → 80 [ACK] Seq=29 Ack=544 Win=65535 Len=0'],
      ['HTTP', 'Continuation'],
    ]);
  });

  it('no request seen on the connection: TCP rows', () => {
    const { rows, pkts } = runFrames(frames(false), []);
    expect(rows.slice(3).map((r) => [r.protocol, r.info])).toEqual([
      seg(1, 1),
      seg(101, 1),
      ['TCP', '80 → 40001 [ACK] Seq=201 Ack=1 Win=65535 Len=100'],
      ['TCP', '80 → 40001 [ACK] Seq=301 Ack=1 Win=65535 Len=100'],
      seg(401, 1),
      ['TCP', '40001 → 80 [ACK] Seq=1 Ack=501 Win=65535 Len=0'],
      ['TCP', '80 → 40001 [FIN, ACK] Seq=501 Ack=1 Win=65535 Len=2'],
    ]);
    // tshark: TCP payload only, nothing after tcp in frame.protocols (its HTTP refuses the bytes and
    // nothing else takes them; bench slice frames 150002-150019 and tcp-dup-ack-sack-http.pcapng 2, 4)
    expect(pkts[6].layers.at(-1)!.dis.proto).toBe('tcp');
  });

  it('a binary first byte is no message at once (no waiting)', () => {
    const png = Uint8Array.from([0x89, ...enc('PNG'.repeat(30))]);
    const f = [tcpFrame(1, 0, true, cp, SYN, c, 0), tcpFrame(2, 1, false, cp, SYN | ACK, s, c + 1), tcpFrame(3, 2, true, cp, ACK, c + 1, s + 1),
      tcpFrame(4, 10, false, cp, ACK, s + 1, c + 1, png), tcpFrame(5, 11, false, cp, ACK, s + 1 + png.length, c + 1, png)];
    const { rows } = runFrames(f, []);
    expect(rows.slice(3).map((r) => [r.protocol, r.info])).toEqual([
      ['TCP', '80 → 40001 [ACK] Seq=1 Ack=1 Win=65535 Len=91'],
      ['TCP', '80 → 40001 [ACK] Seq=92 Ack=1 Win=65535 Len=91'],
    ]);
  });
});
