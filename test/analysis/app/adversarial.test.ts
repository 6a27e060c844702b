// Hostile byte streams through the desegmenter + HTTP/DNS framing: bounded memory, messages
// marked, no exception. Segments are fed directly (seq, bytes) as the analyzer does.

import { describe, expect, it } from 'vitest';
import { Budget, DirDesegmenter } from '../../../src/analysis/desegment.js';
import { HttpConn, HttpFramer } from '../../../src/analysis/http/framer.js';
import { httpMessage } from '../../../src/analysis/http/message.js';
import type { Message } from '../../../src/analysis/desegment.js';

const enc = (s: string) => new TextEncoder().encode(s);
const limits = { maxOooBytes: 1 << 20, maxOooSegs: 256, maxMessage: 256 * 1024 };

function feedAll(ds: DirDesegmenter, chunks: Uint8Array[], isn = 1000): Message[] {
  const out: Message[] = [];
  let seq = isn;
  let frame = 1;
  for (const c of chunks) {
    const r = ds.feed(seq, c, c.length, false, false, frame++, c);
    out.push(...r.messages);
    seq = (seq + c.length) >>> 0;
  }
  return out;
}

describe('adversarial HTTP/DNS streams', () => {
  it('Content-Length 10^12: header handed out cut, body skipped, memory bounded', () => {
    const budget = new Budget(8 << 20);
    const ds = new DirDesegmenter(new HttpFramer(new HttpConn()), budget, limits);
    const seg = new Uint8Array(1400).fill(0x41);
    const chunks = [enc('POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000000\r\n\r\n')];
    for (let i = 0; i < 400; i++) chunks.push(seg); // 560 kB of body
    const msgs = feedAll(ds, chunks);
    expect(msgs.length).toBe(1);
    expect(msgs[0].cut).toBe('cap');
    expect(msgs[0].declared).toBeGreaterThan(1e12);
    expect(msgs[0].bytes.length).toBeLessThanOrEqual(limits.maxMessage + 1400);
    expect(budget.used).toBeLessThanOrEqual(1 << 20);
    const l = httpMessage.dissect(msgs[0].bytes, 0, msgs[0].bytes.length, null as never);
    expect(l.d.head?.contentLength).toBe(1e12);
    expect(l.d.head?.method).toBe('POST');
  });

  it('endless chunk headers: cut at the cap, no exception', () => {
    const budget = new Budget(8 << 20);
    const ds = new DirDesegmenter(new HttpFramer(new HttpConn()), budget, limits);
    const chunks = [enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')];
    const one = enc('1\r\nx\r\n'.repeat(200));
    for (let i = 0; i < 300; i++) chunks.push(one); // 360 kB of 1-byte chunks, never a last chunk
    const msgs = feedAll(ds, chunks);
    expect(msgs.length).toBeGreaterThanOrEqual(1);
    expect(msgs[0].cut).toBe('cap');
    expect(budget.used).toBeLessThanOrEqual(1 << 20);
  });

  it('a 1 MB header line: marked malformed, memory bounded', () => {
    const budget = new Budget(8 << 20);
    const ds = new DirDesegmenter(new HttpFramer(new HttpConn()), budget, { ...limits, maxMessage: 512 * 1024 });
    const chunks = [enc('GET / HTTP/1.1\r\nX-Big: ')];
    const seg = new Uint8Array(1400).fill(0x62);
    for (let i = 0; i < 750; i++) chunks.push(seg);
    const msgs = feedAll(ds, chunks);
    expect(msgs.length).toBeGreaterThanOrEqual(1);
    const m = msgs[0];
    expect(m.bytes.length).toBeLessThanOrEqual(512 * 1024);
    const l = httpMessage.dissect(m.bytes, 0, m.bytes.length, null as never);
    expect(l.problems?.some((p) => p.kind === 'malformed')).toBe(true);
    expect(budget.used).toBeLessThanOrEqual(2 << 20);
  });

  it('a DNS length prefix pointing past the stream: handed out cut at the end, no exception', () => {
    const budget = new Budget(8 << 20);
    const dnsFramer = { measure: (b: Uint8Array) => (b.length < 2 ? 0 : 2 + ((b[0] << 8) | b[1])) };
    const ds = new DirDesegmenter(dnsFramer, budget, limits);
    const msg = new Uint8Array(100);
    msg[0] = 0xff; msg[1] = 0xff; // 65535 promised, 98 present
    const r = ds.feed(1, msg, msg.length, false, false, 1, msg);
    expect(r.messages.length).toBe(0);
    expect(r.partial).toBe(true);
    const f = ds.finish(2);
    expect(f.messages.length).toBe(1);
    expect(f.messages[0].cut).toBe('eof');
    expect(f.messages[0].declared).toBe(65537);
  });

  it('retransmitted and overlapping bytes: first copy wins, conflict flagged; a hole is a gap', () => {
    const budget = new Budget(8 << 20);
    const ds = new DirDesegmenter(new HttpFramer(new HttpConn()), budget, limits);
    const req = enc('GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789');
    const a = req.subarray(0, 30), b = req.subarray(30);
    ds.feed(100, a, a.length, false, false, 1, a);
    const bad = a.slice(20);
    bad[0] ^= 0xff;
    const rr = ds.feed(120, bad, bad.length, false, false, 2, bad);
    expect(rr.push?.conflict).toBe(true);
    const r = ds.feed(130, b, b.length, false, false, 3, b);
    expect(r.messages.length).toBe(1);
    expect(new TextDecoder().decode(r.messages[0].bytes)).toBe(new TextDecoder().decode(req));
    expect(r.messages[0].segs.map((s) => s.frame)).toEqual([1, 3]);
    // out of order then a gap: the peer acks past a hole we never saw
    const next = enc('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    const late = ds.feed(130 + b.length + 50, next, next.length, false, false, 4, next);
    expect(late.push?.outOfOrder).toBe(true);
    const g = ds.ack(130 + b.length + 50 + next.length, 5, new Uint8Array(0));
    expect(g).not.toBeNull();
    expect(ds.rs.gaps).toBe(1);
    expect(ds.rs.gapBytes).toBe(50);
  });
});
