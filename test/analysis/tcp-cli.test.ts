// `follow` and `conversations` on shipped fixtures: golden output (checked by hand against
// tshark -z conv,tcp / -z follow,tcp and the tshark Info column), JSON shape, errors.
// Regenerate a golden file by deleting it and running with UPDATE_GOLDEN=1.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runConversations } from '../../src/cli/conversations.js';
import { runFollow, type FollowOptions } from '../../src/cli/follow.js';
import type { CliIO } from '../../src/cli/read.js';
import type { Conversation } from '../../src/analysis/conversations.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures');
const GOLD = join(import.meta.dirname, 'golden');

function io(): { io: CliIO; out: () => string } {
  let s = '';
  const w = new Writable({ write(c, _e, cb) { s += c.toString(); cb(); } });
  return { io: { stdout: w, stderr: w, env: { NO_COLOR: '1' } }, out: () => s };
}

function golden(name: string, text: string): void {
  const p = join(GOLD, name);
  if (!existsSync(p) && process.env.UPDATE_GOLDEN === '1') writeFileSync(p, text);
  expect(text).toBe(readFileSync(p, 'utf8'));
}

async function follow(file: string, o: FollowOptions): Promise<string> {
  const x = io();
  expect(await runFollow(join(FIX, file), o, x.io)).toBe(0);
  return x.out();
}

describe('follow', () => {
  test('zero-window stream: ladder, timeline with Linux zero-window probes, explanations', async () => {
    const s = await follow('tcp-zero-window.pcapng', { stream: '0', explain: true });
    golden('follow-zero-window.txt', s);
    expect(s).toContain('zero-window-probe');
    expect(s).toContain('seq 1344 = next expected 1345 - 1, len 0, peer window 0 → zero-window probe');
  });
  test('http GET: handshake offers, close ladder, same numbers as tshark', async () => {
    const s = await follow('tcp-http-get.pcap', { port: '80' });
    golden('follow-http-get.txt', s);
    expect(s).toContain('initial RTT 70.0 ms');
    expect(s).toMatch(/client offered: MSS 1460, WS ×16, SACK, timestamps/);
  });
  test('--data ascii matches tshark -z follow,tcp,ascii (framing and lengths)', async () => {
    const s = await follow('tcp-http-get.pcap', { tuple: '141.142.228.5:59856,192.150.187.43:80', data: 'ascii' });
    const lines = s.split('\n');
    expect(lines.slice(0, 6)).toEqual(['===================================================================', 'Follow: tcp,ascii', 'Filter: tcp.stream eq 0', 'Node 0: 141.142.228.5:59856', 'Node 1: 192.150.187.43:80', '136']);
    expect(lines[6]).toBe('GET /download/CHANGES.bro-aux.txt HTTP/1.1\r');
    expect(s).toContain('\t1448\nHTTP/1.1 200 OK');
  });
  test('fast retransmission: flags at the frames tshark has them; -T json', async () => {
    const s = JSON.parse(await follow('tcp-fast-retransmit.pcap', { stream: '0', outputFormat: 'json' }));
    const by = new Map<number, string[]>(s.segments.map((r: { frame: number; analysis: string[] }) => [r.frame, r.analysis]));
    expect(by.get(31)).toEqual(['dup-ack']);
    expect(by.get(32)).toEqual(['fast-retransmission']);
    expect(by.get(34)).toEqual(['retransmission']);
    expect(s.handshake.rtt).toBeCloseTo(0.185458, 6);
    expect(s.end).toBe('RST');
  });
  test('--plot writes an SVG with the panels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-plot-'));
    await follow('tcp-fast-retransmit.pcap', { stream: '0', plot: join(dir, 'p.svg') });
    const svg = readFileSync(join(dir, 'p.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const t of ['Time-sequence', 'Throughput', 'RTT', 'bytes in flight', 'retransmission (R)']) expect(svg).toContain(t);
  });
  test('an unknown stream is one clear error', async () => {
    await expect(follow('tcp-http-get.pcap', { stream: '7' })).rejects.toThrow(/no TCP stream 7 in .* \(it has 1 TCP stream: 0-0\)/);
    await expect(follow('tcp-http-get.pcap', {})).rejects.toThrow(/exactly one of --stream/);
  });
});

describe('conversations', () => {
  test('table', async () => {
    const x = io();
    await runConversations(join(FIX, 'tcp-fast-retransmit.pcap'), {}, x.io);
    golden('conversations-fast-retransmit.txt', x.out());
  });
  test('json: frames and bytes each way as tshark -z conv,tcp counts them', async () => {
    const x = io();
    await runConversations(join(FIX, 'tcp-http-get.pcap'), { outputFormat: 'json', z: ['conv,tcp'] }, x.io);
    const j = JSON.parse(x.out());
    expect(j.udp).toBeUndefined();
    // tshark -z conv,tcp: 141.142.228.5:59856 <-> 192.150.187.43:80   7 5477 bytes (<-)   7 610 bytes (->)  ... 0.2116
    expect(j.tcp[0]).toMatchObject({ addrA: '141.142.228.5', portA: 59856, framesAB: 7, bytesAB: 610, framesBA: 7, bytesBA: 5477 });
    expect(j.tcp[0].duration).toBeCloseTo(0.211628, 6);
    expect(j.tcp[0].tcp).toMatchObject({ end: 'FIN', retransmissions: 0, client: 'A' });
  });

  test('-z conv,tcp,FILTER and conv,udp,FILTER count only the packets the filter passes, as tshark does', async () => {
    const run = async (file: string, z: string[]) => {
      const x = io();
      expect(await runConversations(file, { outputFormat: 'json', z }, x.io)).toBe(0);
      return JSON.parse(x.out());
    };
    // tshark -q -z conv,tcp,tcp.len>0 on the demo: 127.0.0.2:43563 <-> 127.0.0.1:80   17 22 kB (<-)   3 486 bytes (->)   start 0.062112413   duration 0.1532
    const demo = await run(join(FIX, 'demo.pcapng'), ['conv,tcp,tcp.len>0', 'conv,udp,dns.flags.response==1']);
    expect(demo.filters).toEqual({ tcp: 'tcp.len>0', udp: 'dns.flags.response==1' });
    expect(demo.tcp).toHaveLength(1);
    expect(demo.tcp[0]).toMatchObject({ id: 0, portA: 43563, framesAB: 3, bytesAB: 486, framesBA: 17, start: 0.062112413 });
    expect(demo.tcp[0].duration).toBeCloseTo(0.1532, 4);
    // the whole stream's analysis: its handshake is not among the packets counted
    expect(demo.tcp[0].tcp).toMatchObject({ end: 'FIN', client: 'A' });
    expect(demo.tcp[0].tcp.handshakeRtt).toBeGreaterThan(0);
    // tshark: 127.0.0.1:53 <-> 127.0.0.2:56684   0 0 bytes (<-)   1 88 bytes (->)   0.001074843; :57628 100 bytes 0.015631865; :36009 75 bytes 0.016704695
    expect(demo.udp.map((c: Conversation) => [c.addrA, c.portA, c.portB, c.framesAB, c.bytesAB, c.framesBA, c.start])).toEqual([
      ['127.0.0.1', 53, 56684, 1, 88, 0, 0.001074843],
      ['127.0.0.1', 53, 57628, 1, 100, 0, 0.015631865],
      ['127.0.0.1', 53, 36009, 1, 75, 0, 0.016704695],
    ]);
    // tshark -z conv,tcp,http.request: 41834 8 frames 4101 bytes 0.358288 1.6587; 41835 7 4036 0.358303 1.6055; 41842 5 2443 0.782188 0.7595
    const web = await run(join(CORPUS_DIR, 'mixed-browsing-dns-http.pcapng'), ['conv,tcp,http.request']);
    expect(web.tcp.slice(0, 3).map((c: Conversation) => [c.id, c.portA, c.framesAB, c.bytesAB, c.framesBA, c.start, Math.round(c.duration * 1e4) / 1e4])).toEqual([
      [2, 41834, 8, 4101, 0, 0.358288, 1.6587],
      [3, 41835, 7, 4036, 0, 0.358303, 1.6055],
      [10, 41842, 5, 2443, 0, 0.782188, 0.7595],
    ]);
    // stream numbers are the unfiltered table's (tcp.stream)
    const all = await run(join(CORPUS_DIR, 'mixed-browsing-dns-http.pcapng'), ['conv,tcp']);
    for (const c of web.tcp) expect(all.tcp.find((a: Conversation) => a.id === c.id)).toMatchObject({ addrA: c.addrA, portA: c.portA, addrB: c.addrB, portB: c.portB });
    // the table says which filter made it
    const x = io();
    await runConversations(join(FIX, 'demo.pcapng'), { z: ['conv,tcp,tcp.len>0'] }, x.io);
    expect(x.out().split('\n')[0]).toBe('TCP conversations (filter: tcp.len>0): 1');
  });

  test('-z mistakes: one line', async () => {
    const err = async (z: string[]) => {
      try {
        await runConversations(join(FIX, 'demo.pcapng'), { z }, io().io);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(await err(['conv,tcp,tcp.lenn > 0'])).toMatch(/^bad display filter \(-z conv,tcp,…\) "tcp.lenn > 0": "tcp.lenn" \(position 1\) is neither/);
    expect(await err(['conv,tcp', 'conv,tcp,tcp'])).toBe('-z conv,tcp,tcp: conv,tcp is given twice');
    expect(await err(['conv,sctp'])).toMatch(/supported statistics are conv,tcp and conv,udp/);
  });
});

