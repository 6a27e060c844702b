// Bytes after a whole message that start no message (on a connection where a request was seen):
// tshark's HTTP "Continuation" — "File Data: N bytes" when their first byte is printable, then a
// Data layer (frame.protocols …:http:data). Expected: fixtures/http-continuation.pcap.tshark.tsv,
// `tshark -n -r … -T fields` (tshark 4.0.17) of frame.number, Protocol, Info, frame.protocols,
// http.file_data and data.len on 8 connections (a request, a response of 5 bytes, then 2 to 4 bytes
// that are no message: 0x80, 0x09, 0xff or a letter first, NULs, a line feed; some of them wait for
// more as a segment of a reassembled PDU, as in tshark).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

const F = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'http-continuation.pcap');

describe('HTTP continuation', () => {
  it('columns, protocols, file data and data length equal tshark', async () => {
    const out: Buffer[] = [];
    const w = new Writable({ write: (c, _e, cb) => (out.push(Buffer.from(c)), cb()) });
    const keys = ['frame.number', '_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'http.file_data', 'data.len'];
    expect(await main(['read', '-T', 'fields', ...keys.flatMap((k) => ['-e', k]), F], { stdout: w, stderr: w, env: {} })).toBe(0);
    expect(Buffer.concat(out).toString('utf8')).toBe(readFileSync(F + '.tshark.tsv', 'utf8'));
  });
});
