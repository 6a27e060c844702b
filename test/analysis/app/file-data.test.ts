// http.file_data as tshark 4.0.17 gives it (expected text below from `tshark -n -r … -T fields -e
// http.file_data` on the same frames): the body read as ASCII up to its first NUL, bytes from 0x80
// up as U+FFFD, and -T fields escaping \b \t \n \f \r (nothing else) in every value.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePcapHeader, encodePcapRecord } from '../../../src/capture/write.js';
import { escapeBare } from '../../../src/output/fields.js';
import { fileDataText } from '../../../src/analysis/http/message.js';
import { ensureDist } from '../../helpers/build.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../../helpers/tcp-frames.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'dist', 'bin', 'wiretrace.js');
const R = '\ufffd';

beforeAll(() => void ensureDist(), 180_000);

const BODIES: Uint8Array[] = [
  Buffer.from('tab\there\r\nback\\slash "quote" \x01ctl \x7fdel end', 'latin1'),
  Buffer.from('utf8 é ü € ok', 'utf8'),
  Uint8Array.from([0x61, 0xff, 0xfe, 0x62, 0x80, 0x63]),
  Uint8Array.from([0x61, 0x62, 0x00, 0x63, 0x64]),
  Buffer.from('x'.repeat(300)),
  Uint8Array.from([...Array.from({ length: 31 }, (_, i) => [0x41, i + 1]).flat(), 0x41, 0x7f, 0x5c, 0x42]),
];

/** One connection: a GET, then a text/plain response with each body (Content-Length), each asked for. */
function capture(): Buffer {
  const c = 1000, sv = 5000, cp = 40000;
  const first = enc('GET /0 HTTP/1.1\r\nHost: h\r\n\r\n');
  const frames = [...opening(1, [0, 1, 2, 3], cp, c, sv, first)];
  let idx = 5, cs = c + 1 + first.length, ss = sv + 1;
  BODIES.forEach((b, k) => {
    const resp = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${b.length}\r\n\r\n`), b]);
    frames.push(tcpFrame(idx++, 10 + k * 10, false, cp, PSH | ACK, ss, cs, resp));
    ss += resp.length;
    if (k < BODIES.length - 1) {
      const req = enc(`GET /${k + 1} HTTP/1.1\r\nHost: h\r\n\r\n`);
      frames.push(tcpFrame(idx++, 11 + k * 10, true, cp, PSH | ACK, cs, ss, req));
      cs += req.length;
    }
  });
  return Buffer.concat([encodePcapHeader(1, 262144, 'us'), ...frames.map((x) => encodePcapRecord(x, 'us'))]);
}

describe('http.file_data', () => {
  it('the text of a body as tshark reads it', () => {
    expect(fileDataText(BODIES[0])).toBe('tab\there\r\nback\\slash "quote" \x01ctl \x7fdel end');
    expect(fileDataText(BODIES[1])).toBe(`utf8 ${R}${R} ${R}${R} ${R}${R}${R} ok`);
    expect(fileDataText(BODIES[2])).toBe(`a${R}${R}b${R}c`);
    expect(fileDataText(BODIES[3])).toBe('ab');
    expect(fileDataText(new Uint8Array(0))).toBe('');
  });

  it('-T fields escapes \\b \\t \\n \\f \\r and nothing else', () => {
    expect(escapeBare('a\bb\tc\nd\fe\rf')).toBe('a\\bb\\tc\\nd\\fe\\rf');
    expect(escapeBare('\x07\x0b\x01\x7f\\"')).toBe('\x07\x0b\x01\x7f\\"');
    expect(escapeBare('plain')).toBe('plain');
  });

  it('-e http.file_data and -Y on it equal tshark on the same frames', () => {
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'read', ...args, '-'], { input: capture(), encoding: 'latin1' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return Buffer.from(r.stdout, 'latin1').toString('utf8');
    };
    const ctl = Array.from({ length: 31 }, (_, i) => 'A' + ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[i + 1] ?? String.fromCharCode(i + 1))).join('');
    expect(run(['-Y', 'http.response', '-T', 'fields', '-e', 'frame.number', '-e', 'http.file_data'])).toBe(
      [
        '5\ttab\\there\\r\\nback\\slash "quote" \x01ctl \x7fdel end',
        `7\tutf8 ${R}${R} ${R}${R} ${R}${R}${R} ok`,
        `9\ta${R}${R}b${R}c`,
        '11\tab',
        `13\t${'x'.repeat(300)}`,
        `15\t${ctl}A\x7f\\B`,
        '',
      ].join('\n'),
    );
    // tshark -Y on the same frames
    expect(run(['-Y', 'http.file_data contains "slash"', '-T', 'fields', '-e', 'frame.number'])).toBe('5\n');
    expect(run(['-Y', 'http.file_data == "ab"', '-T', 'fields', '-e', 'frame.number'])).toBe('11\n');
    expect(run(['-Y', 'len(http.file_data) > 100', '-T', 'fields', '-e', 'frame.number'])).toBe('13\n');
  });
});
