// An HTTP response without Content-Length or chunking: its body runs until the server closes the
// connection. tshark (4.0.17, expected text below from `tshark -n -r`) hands such a body to HTTP
// once (the segment that completes the head: "HTTP/1.1 200 OK [TCP segment of a reassembled PDU]"),
// leaves the later segments to TCP (their own Info, then the suffix), and shows the response on
// the FIN's frame, whose reassembly lists that frame as a segment without data ("#9(0)").

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePcapHeader, encodePcapRecord } from '../../../src/capture/write.js';
import { ensureDist } from '../../helpers/build.js';
import { ACK, enc, FIN, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'dist', 'bin', 'wiretrace.js');

beforeAll(() => void ensureDist(), 180_000);

function capture(): Buffer {
  const c = 1000, sv = 5000, cp = 40000;
  const req = enc('GET /stream HTTP/1.1\r\nHost: h\r\n\r\n');
  const head = enc('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n');
  const a = c + 1 + req.length;
  const p1 = enc('part one\n'), p2 = enc('part two\n');
  const s0 = sv + 1, end = s0 + head.length + p1.length + p2.length;
  const frames = [
    ...opening(1, [10, 11, 12, 20], cp, c, sv, req),
    tcpFrame(5, 21, false, cp, ACK, s0, a),
    tcpFrame(6, 45, false, cp, PSH | ACK, s0, a, head),
    tcpFrame(7, 70, false, cp, PSH | ACK, s0 + head.length, a, p1),
    tcpFrame(8, 95, false, cp, PSH | ACK, s0 + head.length + p1.length, a, p2),
    tcpFrame(9, 96, false, cp, FIN | ACK, end, a),
    tcpFrame(10, 97, true, cp, FIN | ACK, a, end + 1),
    tcpFrame(11, 98, false, cp, ACK, end + 1, a + 1),
  ];
  return Buffer.concat([encodePcapHeader(1, 262144, 'us'), ...frames.map((x) => encodePcapRecord(x, 'us'))]);
}

function read(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'read', ...args, '-'], { input: capture(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('HTTP response delimited by the close', () => {
  it('rows as tshark: the head once, then TCP segments, the response on the FIN', () => {
    expect(read([])).toBe(
      [
        '    1   0.000000     10.0.0.1 → 10.0.0.2     TCP 54 40000 → 80 [SYN] Seq=0 Win=65535 Len=0',
        '    2   0.001000     10.0.0.2 → 10.0.0.1     TCP 54 80 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0',
        '    3   0.002000     10.0.0.1 → 10.0.0.2     TCP 54 40000 → 80 [ACK] Seq=1 Ack=1 Win=65535 Len=0',
        '    4   0.010000     10.0.0.1 → 10.0.0.2     HTTP 87 GET /stream HTTP/1.1 ',
        '    5   0.011000     10.0.0.2 → 10.0.0.1     TCP 54 80 → 40000 [ACK] Seq=1 Ack=34 Win=65535 Len=0',
        '    6   0.035000     10.0.0.2 → 10.0.0.1     TCP 118 HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]',
        '    7   0.060000     10.0.0.2 → 10.0.0.1     TCP 63 80 → 40000 [PSH, ACK] Seq=65 Ack=34 Win=65535 Len=9 [TCP segment of a reassembled PDU]',
        '    8   0.085000     10.0.0.2 → 10.0.0.1     TCP 63 80 → 40000 [PSH, ACK] Seq=74 Ack=34 Win=65535 Len=9 [TCP segment of a reassembled PDU]',
        '    9   0.086000     10.0.0.2 → 10.0.0.1     HTTP 54 HTTP/1.1 200 OK  (text/plain)',
        '   10   0.087000     10.0.0.1 → 10.0.0.2     TCP 54 40000 → 80 [FIN, ACK] Seq=34 Ack=84 Win=65535 Len=0',
        '   11   0.088000     10.0.0.2 → 10.0.0.1     TCP 54 80 → 40000 [ACK] Seq=84 Ack=35 Win=65535 Len=0',
        '',
      ].join('\n'),
    );
  });

  it('the FIN frame is the reassembly\'s last segment, without data (tshark -T fields)', () => {
    const keys = ['frame.protocols', 'http.response.code', 'tcp.reassembled.length', 'tcp.segment.count', 'tcp.segment', 'http.request_in', 'http.time'];
    const out = read(['-Y', 'frame.number == 9', '-T', 'fields', ...keys.flatMap((k) => ['-e', k])]);
    expect(out).toBe('eth:ethertype:ip:tcp:http:data-text-lines\t200\t82\t4\t6,7,8,9\t4\t0.076000000\n');
    const tree = read(['-Y', 'frame.number == 9', '-V']);
    expect(tree).toContain('[4 Reassembled TCP Segments (82 bytes): #6(64), #7(9), #8(9), #9(0)]');
    expect(tree).toContain('    [Frame: 9 (no data)]');
  });
});
