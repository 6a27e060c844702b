import { describe, expect, it } from 'vitest';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { JsonBytes, packetJson, packetJsonBytes } from '../../src/output/json.js';
import { createSink, defaultSinkOptions } from '../../src/output/sink.js';
import { runPipeline } from '../../src/pipeline.js';
import type { Frame } from '../../src/capture/types.js';
import { corpusPackets, dissectAll, ethFrame, Sink } from './helpers.js';

async function* batches(frames: Frame[], size: number) {
  for (let i = 0; i < frames.length; i += size) yield frames.slice(i, i + size);
}

async function render(format: 'json' | 'ndjson', frames: Frame[]): Promise<Sink> {
  const out = new Sink();
  const sink = createSink({ ...defaultSinkOptions(), format }, out);
  await runPipeline({ source: batches(frames, 7), dissection: new Dissection(defaultRegistry()), sink });
  return out;
}

describe('-T json / ndjson', () => {
  it('one packet: frame facts, layers with fields, byte ranges, problems', () => {
    const [p] = corpusPackets('malformed-ipv4-truncated-header.pcap');
    const o = JSON.parse(packetJson(p));
    expect(o.frame).toEqual({ number: 1, time_epoch: o.frame.time_epoch, len: 46, cap_len: 20, interface_id: 0, link_type: 1 });
    expect(o.frame.time_epoch).toMatch(/^\d+\.\d{9}$/);
    expect(o.layers.map((l: { protocol: string }) => l.protocol)).toEqual(['eth', 'ip']);
    const eth = o.layers[0];
    expect(eth.fields[0]).toMatchObject({ key: 'eth.dst', value: '00:10:db:88:d2:ef', show: '00:10:db:88:d2:ef', start: 0, len: 6 });
    expect(eth.fields.find((f: { key: string }) => f.key === 'eth.type')).toMatchObject({ value: 2048, show: '0x0800' });
    const ip = o.layers[1];
    expect(ip.start).toBe(14);
    expect(ip.problems[0].kind).toBe('truncated');
    expect(ip.source).toBeUndefined();
  });

  it('bytes values become hex strings, bigint values decimal strings', () => {
    const [p] = dissectAll([ethFrame(4)]);
    const data = p.layers[p.layers.length - 1];
    data.addExtra({ key: 'x.big', label: 'Big', value: 2n ** 64n, show: '18446744073709551616', start: 0, len: 0 });
    const o = JSON.parse(packetJson(p));
    const l = o.layers[o.layers.length - 1];
    expect(l.fields.find((f: { key: string }) => f.key === 'data.data')).toMatchObject({ value: '41424344', show: '41424344', start: 14, len: 4 });
    expect(l.fields.find((f: { key: string }) => f.key === 'x.big').value).toBe('18446744073709551616');
  });

  it('streams a valid JSON array (many packets, several writes)', async () => {
    const frames: Frame[] = [];
    for (let i = 0; i < 600; i++) frames.push(ethFrame(200, { index: i + 1 }));
    const out = await render('json', frames);
    expect(out.writes).toBeGreaterThan(1); // written in chunks, not as one string
    const arr = JSON.parse(out.text);
    expect(arr).toHaveLength(600);
    expect(arr[599].frame.number).toBe(600);
  });

  it('an empty capture is an empty array', async () => {
    expect(JSON.parse((await render('json', [])).text)).toEqual([]);
  });

  it('the byte writer equals packetJson on real captures, also when fields repeat from packet to packet (snapshots)', () => {
    const files = ['mixed-browsing-dns-http.pcapng', 'sll-mixed-dns-http-arp-ipv6.pcap', 'dns-many-queries-mixed.pcap', 'icmp-dest-unreach-udp-dns.pcap', 'eth-trailer-padding-mixed.pcap'];
    const o = new JsonBytes(); // one writer for every file, as one run uses one
    let n = 0;
    for (let round = 0; round < 2; round++) {
      for (const file of files) {
        for (const p of corpusPackets(file)) {
          o.pos = 0;
          packetJsonBytes(o, p);
          const got = Buffer.from(o.buf.buffer, o.buf.byteOffset, o.pos).toString('utf8');
          const want = packetJson(p);
          if (got !== want) expect(got).toBe(want); // one readable failure, not thousands
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(3000); // both rounds of ~1950 packets
  });

  it('the byte writer: a field changed in place (same object) is written anew, not replayed', () => {
    const [p] = dissectAll([ethFrame(40)]);
    const o = new JsonBytes();
    const data = p.layers[p.layers.length - 1];
    data.addExtra({ key: 'x.n', label: 'N', value: 1, show: '1', start: 0, len: 0 });
    const f = data.extra![0];
    for (let i = 0; i < 300; i++) {
      f.value = i % 7;
      f.show = String(i % 7);
      f.start = i % 3;
      o.pos = 0;
      packetJsonBytes(o, p);
      expect(Buffer.from(o.buf.buffer, o.buf.byteOffset, o.pos).toString('utf8')).toBe(packetJson(p));
    }
  });

  it('quoted strings are JSON.stringify to the byte, short and long, escapes, non-ASCII, lone surrogates', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pool = ['a', '"', '\\', '\n', '\t', '\b', '\f', '\r', '\x01', '\x1f', '\x7f', 'é', '€', '\ud83d\ude00', '\ud800', '\udc00', ' ', '\u2028'];
    for (let t = 0; t < 2000; t++) {
      // up to 600 characters: the per-character loop (<= 256) and the long-text path both
      const n = Math.floor(rnd() * 600);
      let s = '';
      for (let i = 0; i < n; i++) s += pool[Math.floor(rnd() * pool.length)];
      const j = new JsonBytes();
      j.quoted(s);
      expect(Buffer.from(j.buf.subarray(0, j.pos)).equals(Buffer.from(JSON.stringify(s), 'utf8')), JSON.stringify(s)).toBe(true);
    }
  });

  it('ndjson: one packet object per line', async () => {
    const out = await render('ndjson', [ethFrame(4, { index: 1 }), ethFrame(4, { index: 2 })]);
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).frame.number)).toEqual([1, 2]);
  });
});
