// Rows after bytes the capture lost, as tshark 4.0.17 shows them (checked on the same frames written
// to a pcap): a segment held after a hole waits in a reassembly ("[TCP segment of a reassembled
// PDU]", with the first line when it starts a message), and so does the rest of a message whose
// bytes were lost once the peer's ACK shows them gone. They were "HTTP Continuation" rows; on the
// bench capture these were 3,475 of the 3,532 rows that differed from tshark.

import { describe, expect, it } from 'vitest';
import { runFrames } from './lib.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

describe('rows after captured loss', () => {
  it('held segments and the skipped rest of a cut message are TCP segments of a reassembled PDU', () => {
    const c = 1000, s = 5000, cp = 40000;
    const ga = enc('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    const gb = enc('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    const gc = enc('GET /c HTTP/1.1\r\nHost: h\r\n\r\n');
    const gd = enc('GET /d HTTP/1.1\r\nHost: h\r\n\r\n');
    const ra = enc('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    const rb = enc('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'); // never captured
    const hc = enc('HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n');
    const body = Uint8Array.from({ length: 100 }, (_, i) => 128 + i); // binary
    const cat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);
    const c1 = c + 1, c2 = c1 + ga.length, c3 = c2 + gb.length, c4 = c3 + gc.length, cEnd = c4 + gd.length;
    const s1 = s + 1, sB = s1 + ra.length, sC = sB + rb.length, sD = sC + hc.length + 300;
    const frames = [
      ...opening(1, [0, 1, 2, 3], cp, c, s, ga),
      tcpFrame(5, 4, false, cp, PSH | ACK, s1, c2, ra),
      tcpFrame(6, 5, true, cp, PSH | ACK, c2, sB, gb),
      tcpFrame(7, 6, true, cp, PSH | ACK, c3, sB, gc),
      // the response to /b is not in the capture; /c's comes after the hole
      tcpFrame(8, 7, false, cp, ACK, sC, c4, cat(hc, body)),
      tcpFrame(9, 8, false, cp, ACK, sC + hc.length + 100, c4, body),
      tcpFrame(10, 9, true, cp, ACK, c4, sC + hc.length + 200), // the client acks past the hole
      tcpFrame(11, 10, false, cp, PSH | ACK, sC + hc.length + 200, c4, body),
      tcpFrame(12, 11, true, cp, PSH | ACK, c4, sD, gd),
      tcpFrame(13, 12, false, cp, ACK, sD, cEnd, cat(hc, body)),
      // 100 bytes of /d's body not captured
      tcpFrame(14, 13, false, cp, ACK, sD + hc.length + 200, cEnd, body.subarray(0, 50)),
      tcpFrame(15, 14, true, cp, ACK, cEnd, sD + hc.length + 250),
      tcpFrame(16, 15, false, cp, ACK, sD + hc.length + 250, cEnd, body.subarray(50)),
      tcpFrame(17, 16, false, cp, PSH | ACK, sD + hc.length + 300, cEnd, rb),
    ];
    const { rows } = runFrames(frames, []);
    // tshark -n -r (the same frames) -T fields -e _ws.col.Protocol -e _ws.col.Info
    expect(rows.slice(7).map((r) => [r.protocol, r.info])).toEqual([
      ['TCP', '[TCP Previous segment not captured] HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]'],
      ['TCP', '80 → 40000 [ACK] Seq=219 Ack=85 Win=65535 Len=100 [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP ACKed unseen segment] 40000 → 80 [ACK] Seq=85 Ack=319 Win=65535 Len=0'],
      ['HTTP', 'HTTP/1.1 200 OK '],
      ['HTTP', 'GET /d HTTP/1.1 '],
      ['TCP', 'HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP Previous segment not captured] 80 → 40000 [ACK] Seq=659 Ack=113 Win=65535 Len=50 [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP ACKed unseen segment] 40000 → 80 [ACK] Seq=113 Ack=709 Win=65535 Len=0'],
      ['TCP', '80 → 40000 [ACK] Seq=709 Ack=113 Win=65535 Len=50 [TCP segment of a reassembled PDU]'],
      ['HTTP', 'HTTP/1.1 200 OK '],
    ]);
  });

  it('a held segment that holds a whole message by itself is shown as that message', () => {
    const c = 1000, s = 5000, cp = 40000;
    const ga = enc('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    const gb = enc('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    const ra = enc('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    const frames = [
      ...opening(1, [0, 1, 2, 3], cp, c, s, ga),
      // the response to /a is lost; /b's response, whole in one segment, comes after the hole
      tcpFrame(5, 4, true, cp, PSH | ACK, c + 1 + ga.length, s + 1, gb),
      tcpFrame(6, 5, false, cp, PSH | ACK, s + 1 + ra.length, c + 1 + ga.length + gb.length, ra),
    ];
    const { rows } = runFrames(frames, []);
    expect([rows[5].protocol, rows[5].info]).toEqual(['HTTP', '[TCP Previous segment not captured] HTTP/1.1 200 OK ']);
  });

  it('a held segment inside the message in progress is part of it; past its declared end it starts a new one', () => {
    const c = 1000, s = 5000, cp = 40000;
    const q = enc('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    const ha = enc('HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n');
    const hb = enc('HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n');
    const x = new Uint8Array(50).fill(0x78);
    const cat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);
    const a = c + 1 + q.length, s1 = s + 1;
    const frames = [
      ...opening(1, [0, 1, 2, 3], cp, c, s, q),
      tcpFrame(5, 4, false, cp, ACK, s1, a, cat(ha, x)),
      // 50 bytes of the 200-byte body lost, then 50 more of it
      tcpFrame(6, 5, false, cp, ACK, s1 + ha.length + 100, a, x),
      // the body's last 50 bytes lost too; the next response starts after it
      tcpFrame(7, 6, false, cp, ACK, s1 + ha.length + 200, a, cat(hb, x)),
    ];
    const { rows } = runFrames(frames, []);
    // tshark -n -r (the same frames) -T fields -e _ws.col.Protocol -e _ws.col.Info
    expect(rows.slice(4).map((r) => [r.protocol, r.info])).toEqual([
      ['TCP', 'HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP Previous segment not captured] 80 → 40000 [ACK] Seq=141 Ack=29 Win=65535 Len=50 [TCP segment of a reassembled PDU]'],
      ['TCP', '[TCP Previous segment not captured] HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]'],
    ]);
  });
});
