// The Protocol and Info columns of an HTTP message by its media type, as tshark 4.0's media
// dissectors write them: XML, JSON and SDP types rename the column (HTTP/XML, HTTP/JSON, HTTP/SDP),
// JPEG / PNG / GIF bodies that start with their magic number (and are 20 bytes or more) are named,
// application/octet-stream names nothing, a multipart body names the types of its parts, anything
// else gets "(type)". fixtures/http-media-types.pcap: one response per case (made for this test);
// the expected rows are tshark 4.0's for the same file (`tshark -n -r … -Y http.response`, with its
// "[Malformed Packet]" on the two 20-byte dummy PNGs left out: we do not dissect PNG chunks).
// Also with the table's sparse reassembly, which keeps only the head and the body's first bytes.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runFile, runFrames } from './lib.js';
import { mediaProtocol } from '../../../src/analysis/http/message.js';
import { ACK, enc, opening, tcpFrame } from '../../helpers/tcp-frames.js';

const FILE = join(ROOT, 'fixtures', 'http-media-types.pcap');

const TSHARK = [
  ['HTTP', 'HTTP/1.1 200 OK  (JPEG JFIF image)'],
  ['HTTP', 'HTTP/1.1 200 OK  (JPEG JFIF image)'], // Exif
  ['HTTP', 'HTTP/1.1 200 OK  (image/jpeg)'], // "JFIX"
  ['HTTP', 'HTTP/1.1 200 OK  (image/jpeg)'], // 19 bytes
  ['HTTP', 'HTTP/1.1 200 OK  (JPEG JFIF image)'], // image/pjpeg
  ['HTTP', 'HTTP/1.1 200 OK  (PNG)'],
  ['HTTP', 'HTTP/1.1 200 OK  (image/png)'], // 19 bytes
  ['HTTP', 'HTTP/1.1 200 OK  (image/png)'], // no signature
  ['HTTP', 'HTTP/1.1 200 OK  (PNG)'], // image/x-png
  ['HTTP', 'HTTP/1.1 200 OK  (GIF87a)'],
  ['HTTP', 'HTTP/1.1 200 OK  (GIF89a)'],
  ['HTTP', 'HTTP/1.1 200 OK  (image/gif)'], // 19 bytes
  ['HTTP/XML', 'HTTP/1.1 200 OK '],
  ['HTTP/XML', 'HTTP/1.1 200 OK '], // text/xml; charset=utf-8
  ['HTTP/XML', 'HTTP/1.1 200 OK '], // application/xml
  ['HTTP/XML', 'HTTP/1.1 200 OK '], // image/svg+xml
  ['HTTP', 'HTTP/1.1 200 OK  (application/xhtml+xml)'],
  ['HTTP/JSON', 'HTTP/1.1 200 OK , JavaScript Object Notation (application/json)'],
  ['HTTP/JSON', 'HTTP/1.1 200 OK , JavaScript Object Notation (application/problem+json)'],
  ['HTTP', 'HTTP/1.1 200 OK  (application/ld+json)'],
  ['HTTP', 'HTTP/1.1 200 OK  (text/html)'],
  ['HTTP', 'HTTP/1.1 200 OK  (text/css)'],
  ['HTTP', 'HTTP/1.1 200 OK '], // application/octet-stream: tshark's "data", nothing named
  ['HTTP', 'HTTP/1.1 200 OK  (binary/octet-stream)'],
  ['HTTP/SDP', 'HTTP/1.1 200 OK '],
  ['HTTP', 'HTTP/1.1 200 OK  (text/plain) (GIF89a)'], // multipart: the parts that have a Content-Type
  ['HTTP', 'HTTP/1.1 200 OK '], // multipart, no part with a Content-Type
];

describe('HTTP media types in the Protocol and Info columns', () => {
  for (const sparse of [false, true]) {
    it(sparse ? 'table reassembly (body skipped past its first bytes)' : 'full reassembly', () => {
      const { rows } = runFile(FILE, [], { sparse });
      const got = rows.filter((r) => r.info.startsWith('HTTP/1.1 200')).map((r) => [r.protocol, r.info]);
      expect(got).toEqual(TSHARK);
    });
  }

  it('the magic number in a later segment than the head: still read with the table reassembly', () => {
    // head alone in one segment, then 3000 bytes of JPEG in three segments
    const body = new Uint8Array(3000);
    body.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
    const head = enc(`HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\n\r\n`);
    const req = enc('GET /a.jpg HTTP/1.1\r\nHost: h\r\n\r\n');
    const c = 1000, sv = 5000, cp = 40000;
    const frames = [
      ...opening(1, [0, 1, 2, 3], cp, c, sv, req),
      tcpFrame(5, 4, false, cp, ACK, sv + 1, c + 1 + req.length, head),
    ];
    let seq = sv + 1 + head.length;
    for (let i = 0; i < 3; i++) {
      frames.push(tcpFrame(6 + i, 5 + i, false, cp, ACK, seq, c + 1 + req.length, body.subarray(i * 1000, i * 1000 + 1000)));
      seq += 1000;
    }
    for (const sparse of [false, true]) {
      const { rows } = runFrames(frames, [], { sparse });
      expect(rows[7].protocol).toBe('HTTP');
      expect(rows[7].info).toBe('HTTP/1.1 200 OK  (JPEG JFIF image)');
    }
  });
});

describe('frame.protocols after http: the media dissector tshark 4.0 hands the body to', () => {
  it('names it by type (octet-stream and no type: data; unknown types: media)', () => {
    expect(mediaProtocol('application/octet-stream')).toBe('data'); // tshark on the bench slice: http:data
    expect(mediaProtocol(null)).toBe('data');
    expect(mediaProtocol('text/html')).toBe('data-text-lines');
    expect(mediaProtocol('application/json')).toBe('json');
    expect(mediaProtocol('image/jpeg')).toBe('image-jfif');
    expect(mediaProtocol('application/pdf')).toBe('media'); // tshark 4.0: http:media (checked)
    expect(mediaProtocol('application/x-wiretrace-test')).toBe('media');
  });
});
