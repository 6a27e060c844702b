// Content-Encoding bodies are decoded with node:zlib, which src/lazy-builtin.ts loads on the first
// compressed body (not at start-up): each encoding, and a broken body, through decodeBody().
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody, httpMessageLayer } from '../../../src/analysis/http/message.js';

const TEXT = 'wiretrace '.repeat(40);

function response(encoding: string, body: Uint8Array): Uint8Array {
  const head = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

describe('Content-Encoding', () => {
  const plain = Buffer.from(TEXT);
  for (const [enc, packed] of [
    ['gzip', gzipSync(plain)],
    ['x-gzip', gzipSync(plain)],
    ['deflate', deflateSync(plain)],
    ['deflate', deflateRawSync(plain)], // raw deflate, as some servers send it
    ['br', brotliCompressSync(plain)],
  ] as const) {
    it(`${enc} (${packed.length} bytes on the wire) decodes to the ${plain.length}-byte text`, () => {
      const buf = response(enc, packed);
      const d = decodeBody(httpMessageLayer(buf, 0, buf.length, null));
      expect(d.error).toBeNull();
      expect(d.encoding).toBe(enc);
      expect(d.entityLen).toBe(packed.length);
      expect(Buffer.from(d.bytes).toString()).toBe(TEXT);
    });
  }

  it('a body that is not what its encoding says is kept as sent, with the reason', () => {
    const junk = Buffer.from('not gzip at all');
    const buf = response('gzip', junk);
    const d = decodeBody(httpMessageLayer(buf, 0, buf.length, null));
    expect(d.error).toMatch(/^cannot decode gzip body: /);
    expect(Buffer.from(d.bytes).toString()).toBe('not gzip at all');
  });
});
