// Sparse desegmentation (the packet table reads no HTTP bodies): once a message's length is known
// its remaining bytes are counted, not copied. Message boundaries, segment lists, frames and the
// table must be exactly what full buffering gives.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Budget, DirDesegmenter, type Message } from '../../../src/analysis/desegment.js';
import { HttpConn, HttpFramer } from '../../../src/analysis/http/framer.js';
import { httpMessage, httpMessageLayer } from '../../../src/analysis/http/message.js';
import { rebaseHead, type HttpHead } from '../../../src/analysis/http/parse.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const enc = (s: string) => new TextEncoder().encode(s);
const limits = { maxOooBytes: 1 << 20, maxOooSegs: 256, maxMessage: 1 << 20 };
const CLI = join(import.meta.dirname, '../../../dist/bin/wiretrace.js');

function feed(sparse: boolean, chunks: Uint8Array[], finish = false): { msgs: Message[]; partial: boolean[]; used: number } {
  const budget = new Budget(8 << 20);
  const ds = new DirDesegmenter(new HttpFramer(new HttpConn()), budget, limits);
  ds.sparse = sparse;
  const msgs: Message[] = [];
  const partial: boolean[] = [];
  let seq = 5000;
  let frame = 1;
  let peak = 0;
  for (const c of chunks) {
    const r = ds.feed(seq, c, c.length, false, false, frame++, c);
    msgs.push(...r.messages);
    partial.push(r.partial);
    seq = (seq + c.length) >>> 0;
    peak = Math.max(peak, budget.used);
  }
  if (finish) msgs.push(...ds.finish(frame).messages);
  return { msgs, partial, used: peak };
}

/** A response with a 20000-byte body, the start of the next response in its last segment, then the rest of that one. */
function stream(): Uint8Array[] {
  const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 20000\r\n\r\n';
  const next = 'HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!';
  const all = enc(head + 'x'.repeat(20000) + next);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 1448) out.push(all.slice(i, i + 1448));
  return out;
}

describe('sparse desegmentation (table mode)', () => {
  it('hands out the same messages (offsets, declared length, segments, frames) with only the head kept', () => {
    const full = feed(false, stream());
    const sparse = feed(true, stream());
    expect(sparse.msgs.length).toBe(2);
    expect(full.msgs.length).toBe(2);
    for (let i = 0; i < 2; i++) {
      const a = full.msgs[i], b = sparse.msgs[i];
      expect(b.off).toBe(a.off);
      expect(b.declared).toBe(a.declared);
      expect(b.cut).toBe(a.cut);
      expect(b.segs).toEqual(a.segs);
    }
    expect(sparse.partial).toEqual(full.partial);
    // first message: 20066 bytes declared, only the first segment (head + start of body) kept
    expect(full.msgs[0].bytes.length).toBe(20000 + 66);
    expect(sparse.msgs[0].bytes.length).toBe(1448);
    expect(new TextDecoder().decode(sparse.msgs[0].bytes.subarray(0, 15))).toBe('HTTP/1.1 200 OK');
    // the pipelined second message, which starts inside the hole's last segment, is whole
    expect(new TextDecoder().decode(sparse.msgs[1].bytes)).toBe('HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nnope!');
    expect(sparse.used).toBeLessThan(full.used);
  });

  it('a stream that ends inside a sparse body: cut "eof" with the declared length, as when buffered', () => {
    const chunks = stream().slice(0, 5);
    const full = feed(false, chunks, true);
    const sparse = feed(true, chunks, true);
    expect(sparse.msgs.map((m) => [m.off, m.declared, m.cut])).toEqual(full.msgs.map((m) => [m.off, m.declared, m.cut]));
    expect(sparse.msgs[0].cut).toBe('eof');
  });

  it('a body longer than the reassembly cap is cut on the same frame, with the same length counted', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n';
    const all = enc(head + 'y'.repeat(1_400_000));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 1448) chunks.push(all.slice(i, i + 1448));
    const full = feed(false, chunks);
    const sparse = feed(true, chunks);
    expect(full.msgs.length).toBe(1);
    expect(sparse.msgs.map((m) => [m.off, m.declared, m.cut, m.segs.length])).toEqual(full.msgs.map((m) => [m.off, m.declared, m.cut, m.segs.length]));
    expect(full.msgs[0].cut).toBe('cap');
    expect(sparse.msgs[0].bytes.length + sparse.msgs[0].omitted).toBe(full.msgs[0].bytes.length);
    expect(sparse.partial).toEqual(full.partial);
    expect(sparse.used).toBeLessThan(64 * 1024);
  });

  it('the head the framer parsed is handed out with each message and equals a fresh parse, at any offset', () => {
    const { msgs } = feed(false, stream());
    expect(msgs.length).toBe(2);
    for (const m of msgs) {
      expect(m.meta).not.toBeNull();
      // the message placed at offset 7 of a bigger buffer, as when it lies inside a frame
      const buf = new Uint8Array(7 + m.bytes.length);
      buf.set(m.bytes, 7);
      const fresh = httpMessage.dissect(buf, 7, buf.length, null as never);
      const reused = httpMessageLayer(buf, 7, buf.length, rebaseHead(structuredClone(m.meta) as HttpHead, 7));
      const { reqMethod: _, ...head } = reused.d.head as HttpHead & { reqMethod?: string };
      expect(head).toEqual(fresh.d.head);
      expect([reused.d.bodyStart, reused.d.bodyEnd, reused.d.declaredBody]).toEqual([fresh.d.bodyStart, fresh.d.bodyEnd, fresh.d.declaredBody]);
      expect(reused.problems).toEqual(fresh.problems);
    }
    expect((msgs[0].meta as HttpHead).headers.map((h) => h.lname)).toEqual(['content-type', 'content-length']);
  });

  it('the table of HTTP corpus captures is unchanged (media type shown for bodies not kept)', () => {
    const file = join(CORPUS_DIR, 'raw12-ipv6-http-4streams.pcap');
    if (!existsSync(file) || !existsSync(CLI)) return expect.fail(`missing ${file} or ${CLI}`);
    const table = spawnSync(process.execPath, [CLI, 'read', file], { encoding: 'utf8' }).stdout;
    // -x keeps bodies (hex dumps show reassembled data); its table lines are the same rows
    const withHex = spawnSync(process.execPath, [CLI, 'read', '-x', file], { encoding: 'utf8' }).stdout;
    const rows = table.trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) expect(withHex).toContain(r);
    // tshark 4.0: frame 15 is "HTTP/1.1 200 OK  (text/css)" (its body spans later segments)
    expect(rows[14]).toMatch(/HTTP\/1\.1 200 OK {2}\(text\/css\)$/);
  });
});
