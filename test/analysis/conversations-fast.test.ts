// The lean path of `wiretrace conversations` (src/analysis/conv-fast.ts: frame bytes → IP/TCP/UDP
// values, the full chain only for what it cannot decode) must give exactly what the full chain
// gives: same TCP streams (numbering, counts, handshake, end, retransmissions, zero windows,
// payload), same UDP conversations, same tracker counters, on every capture of the corpus. And
// TcpTracker in summaryOnly mode (what the CLI runs) gives the full mode's summaries.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFile, readFrames, scanFrames, transportRegistry } from '../../src/cli/conversations.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { ConversationTable } from '../../src/analysis/conversations.js';
import { TcpTracker, type TrackerOptions } from '../../src/analysis/tcp/tracker.js';
import { LEAN_FALLBACK, LEAN_SKIP, LEAN_TCP, LEAN_UDP, LeanDecoder, LeanFeeder, leanFeeder } from '../../src/analysis/conv-fast.js';
import { warmupFrames } from '../../src/analysis/conv-warm.js';
import { Dissection } from '../../src/dissect/chain.js';
import type { Frame } from '../../src/capture/types.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const CORPUS = CORPUS_DIR;
const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];

function summary(conv: ConversationTable, error: unknown) {
  const st = conv.tracker.stats;
  return {
    tcp: conv.tcpConversations(),
    udp: conv.udpConversations(),
    stats: { streams: st.streams, expired: st.expired, closed: st.closed, evicted: st.evicted, unackedCapHits: st.unackedCapHits, packets: st.packets, skipped: st.skipped },
    error: error ? String(error) : null,
  };
}

const full = (lim: TrackerOptions = {}) => new TcpTracker({ fields: false, explain: false, ...lim });
const summaryOnly = (lim: TrackerOptions = {}) => new TcpTracker({ summaryOnly: true, ...lim });

/** The full chain and the full TcpTracker (what `conversations` ran before the lean path). */
async function viaChain(file: string, registry = transportRegistry(), tracker = full()) {
  const conv = new ConversationTable({ tcp: true, udp: true, tracker });
  let err: unknown = null;
  try {
    const r = await analyseFile(file, (p) => conv.packet(p), registry);
    err = r.error;
  } catch (e) {
    err = e;
  }
  return summary(conv, err);
}

/** The lean decoder (+ the chain for what it cannot decode) and, by default, a summaryOnly tracker: what the CLI runs. */
async function viaLean(file: string, tracker = summaryOnly()) {
  const conv = new ConversationTable({ tcp: true, udp: true, tracker });
  const counts = [0, 0, 0, 0];
  const lean = new LeanDecoder(transportRegistry());
  // as the CLI: no TCP options for a summaryOnly tracker (it reads none); the full tracker gets them
  const feed = leanFeeder(conv, transportRegistry(), (r) => new Dissection(r), { tcpOptions: !tracker.opts.summaryOnly });
  let err: unknown = null;
  try {
    const r = await readFrames(file, (f: Frame) => {
      counts[lean.decode(f)]++;
      feed(f);
    });
    err = r.error;
  } catch (e) {
    err = e;
  }
  return { s: summary(conv, err), counts };
}

/**
 * What the CLI runs: classic pcap records straight from the read buffer (LeanFeeder.record via
 * CaptureReader.scan, no Frame objects), other formats as frames. Small reads split records.
 */
async function viaScan(file: string, tracker = summaryOnly(), readSize?: number) {
  const conv = new ConversationTable({ tcp: true, udp: true, tracker });
  const feeder = new LeanFeeder(conv, transportRegistry(), (r) => new Dissection(r), { tcpOptions: !tracker.opts.summaryOnly });
  let err: unknown = null;
  try {
    const r = await scanFrames(file, feeder, readSize);
    err = r.error;
  } catch (e) {
    err = e;
  }
  return summary(conv, err);
}

describe('conversations: lean decoder = full dissector chain', () => {
  it('has the corpus', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  const totals = [0, 0, 0, 0];
  for (const f of files) {
    it(f, async () => {
      const file = path.join(CORPUS, f);
      const want = await viaChain(file);
      // the chain + summaryOnly, lean decoder + the full tracker, lean decoder + summaryOnly (the CLI's path)
      expect(await viaChain(file, transportRegistry(), summaryOnly())).toEqual(want);
      expect((await viaLean(file, full())).s).toEqual(want);
      const { s, counts } = await viaLean(file);
      expect(s).toEqual(want);
      expect(await viaScan(file)).toEqual(want);
      expect(await viaScan(file, summaryOnly(), 700)).toEqual(want);
      for (let i = 0; i < 4; i++) totals[i] += counts[i];
    });
  }

  it('took the lean path for most TCP/UDP frames and the chain for the rest', () => {
    // (runs after the per-file tests) the corpus has both kinds: fragments, tunnels, ICMP, options, odd links
    // (corpus: ~1860 skipped, ~2780 TCP, ~4880 UDP lean; ~590 through the chain)
    expect(totals[LEAN_TCP]).toBeGreaterThan(2000);
    expect(totals[LEAN_UDP]).toBeGreaterThan(3000);
    expect(totals[LEAN_FALLBACK]).toBeGreaterThan(300);
    expect(totals[LEAN_SKIP]).toBeGreaterThan(1000);
  });

  it('summaryOnly = full TcpTracker with small limits (eviction, unacked cap) on every capture', async () => {
    const lim = { maxStreams: 3, maxUnacked: 4, idleTimeout: 0.5, closedGrace: 0.05 };
    let evicted = 0, capHits = 0;
    for (const f of files) {
      const file = path.join(CORPUS, f);
      const want = await viaChain(file, transportRegistry(), full(lim));
      expect((await viaLean(file, summaryOnly(lim))).s, f).toEqual(want);
      expect(await viaScan(file, summaryOnly(lim)), f).toEqual(want);
      evicted += want.stats.evicted;
      capHits += want.stats.unackedCapHits;
    }
    expect(evicted).toBeGreaterThan(200);
    expect(capHits).toBeGreaterThan(50);
  });

  it('summaryOnly = full TcpTracker past the periodic sweep (idle expiry, closed grace) on a long synthetic capture', () => {
    const frames = warmupFrames(100); // ~15k TCP packets, rounds 100 s apart
    for (const lim of [{}, { idleTimeout: 50, closedGrace: 1 }, { maxStreams: 5, maxUnacked: 2 }, { sweepEvery: 16, maxUnacked: 3 }]) {
      const a = new ConversationTable({ tracker: full(lim) });
      const chain = new Dissection(transportRegistry());
      for (const f of frames) a.packet(chain.dissect(f));
      const b = new ConversationTable({ tracker: summaryOnly(lim) });
      const feed = leanFeeder(b, transportRegistry(), (r) => new Dissection(r), { tcpOptions: false });
      for (const f of frames) feed(f);
      expect(summary(b, null)).toEqual(summary(a, null));
      const st = a.tracker.stats;
      expect(st.packets).toBeGreaterThan(8192);
      if ('idleTimeout' in lim || 'sweepEvery' in lim) expect(st.expired + st.closed).toBeGreaterThan(5);
    }
  });

  it('the record scan (no Frame objects) = the chain on µs and ns pcap files: clock past 2^53 ns, fallback frames, a cut last record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-scan-'));
    try {
      const frames = warmupFrames(3);
      // the second half 200 days later: the scan's number clock (exact below 9e15 ns) hands those records
      // to the frame path; an IPv4 fragment and an ICMP packet go to the chain as copied frames
      const half = frames.length >> 1;
      const late = frames.map((f, i) => (i < half ? f : { ...f, ts: f.ts + 200n * 86_400_000_000_000n }));
      const frag = { ...frames[1], data: frames[1].data.slice() };
      frag.data[20] |= 0x20; // more fragments
      const icmp = { ...frames[1], data: frames[1].data.slice() };
      icmp.data[23] = 1;
      const sets: [string, Frame[]][] = [['plain', frames], ['late', late], ['odd', [...frames.slice(0, 20), frag, icmp, ...frames.slice(20)]]];
      let n = 0;
      for (const [name, list] of sets) {
        const renum = list.map((f, i) => ({ ...f, index: i + 1 }));
        for (const prec of ['us', 'ns'] as const) {
          const body = Buffer.concat([encodePcapHeader(1, 262144, prec), ...renum.map((f) => encodePcapRecord(f, prec))]);
          for (const [cut, bytes] of [['whole', body], ['cut', body.subarray(0, body.length - 7)]] as const) {
            const file = path.join(dir, `${name}-${prec}-${cut}.pcap`);
            fs.writeFileSync(file, bytes);
            const want = await viaChain(file);
            expect(want.tcp.length, file).toBeGreaterThan(8);
            expect(await viaScan(file), file).toEqual(want);
            expect(await viaScan(file, summaryOnly(), 300), file).toEqual(want);
            if (cut === 'cut') expect(want.error, file).toMatch(/truncated record data/);
            n++;
          }
        }
      }
      expect(n).toBe(12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the application dissectors change no conversation (transport-only registry = default registry)', async () => {
    for (const f of ['mixed-browsing-dns-http.pcapng', 'sll-mixed-dns-http-arp-ipv6.pcap', 'dns-tcp-axfr.pcapng', 'http-websocket-upgrade.pcap']) {
      const file = path.join(CORPUS, f);
      expect(await viaChain(file, defaultRegistry())).toEqual(await viaChain(file));
    }
  });
});

describe('LeanDecoder', () => {
  const reg = transportRegistry();
  const frames = warmupFrames(1);

  it('decodes Ethernet/IPv4/TCP into the tracker-facing values', () => {
    const d = new LeanDecoder(reg);
    const syn = frames[1]; // the first SYN: 10.0.0.1:40000 → 10.0.0.2:80, ISN 1000, MSS 1460, WS 7
    expect(d.decode(syn)).toBe(LEAN_TCP);
    expect(d.ip).toMatchObject({ version: 4, src: '10.0.0.1', dst: '10.0.0.2', proto: 6, totalLen: syn.data.length - 14 });
    expect(d.tcp).toMatchObject({ srcport: 40000, dstport: 80, seq: 1000, ack: 0, flags: 0x002, hdrLen: 40, len: 0, window: 8192 });
    expect(d.tcp.options).toMatchObject({ mss: 1460, wscale: 7, sackPerm: true, tsval: 1, tsecr: 0 });
    // the full chain reads the same values
    const p = new Dissection(reg).dissect(syn);
    expect(p.layers.map((l) => l.proto)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    const td = p.layers[3].d;
    expect([td.srcport, td.dstport, td.seq, td.ack, td.flags, td.len, td.window, td.options.mss, td.options.wscale]).toEqual([40000, 80, 1000, 0, 2, 0, 8192, 1460, 7]);
  });

  it('decodes IPv6 and UDP, skips ARP, and leaves damaged or unusual frames to the chain', () => {
    const d = new LeanDecoder(reg);
    const v6 = frames.find((f) => f.data[12] === 0x86 && f.data[20] === 6)!;
    expect(d.decode(v6)).toBe(LEAN_TCP);
    expect([d.ip.version, d.ip.src, d.ip.dst]).toEqual([6, '2001:db8::1', '2001:db8::2']);
    const udp = frames.find((f) => f.data[23] === 17)!;
    expect(d.decode(udp)).toBe(LEAN_UDP);
    expect([d.udp.srcport, d.udp.dstport]).toEqual([5000, 53]);
    expect(d.decode(frames[0])).toBe(LEAN_SKIP); // ARP
    const mk = (edit: (b: Uint8Array) => void, linkType = 1): Frame => {
      const b = frames[1].data.slice();
      edit(b);
      return { ...frames[1], data: b, linkType };
    };
    expect(d.decode(mk((b) => (b[20] |= 0x20)))).toBe(LEAN_FALLBACK); // IPv4 more-fragments bit
    expect(d.decode(mk((b) => (b[14] = 0x46)))).toBe(LEAN_FALLBACK); // IPv4 options
    expect(d.decode(mk((b) => (b[23] = 4)))).toBe(LEAN_FALLBACK); // IP in IP
    expect(d.decode(mk((b) => (b[23] = 1)))).toBe(LEAN_FALLBACK); // ICMP (may quote packets)
    expect(d.decode(mk((b) => (b[23] = 47)))).toBe(LEAN_FALLBACK); // GRE: a dissector that may carry IP (TCP/UDP inside)
    expect(d.decode(mk((b) => (b[23] = 99)))).toBe(LEAN_SKIP); // no dissector: data
    expect(d.decode(mk((b) => (b[46] = 0x40)))).toBe(LEAN_FALLBACK); // TCP header length 16
    expect(d.decode(mk((b) => (b[17] += 40)))).toBe(LEAN_FALLBACK); // IP total length beyond the frame
    expect(d.decode(mk((b) => (b[55] = 40)))).toBe(LEAN_FALLBACK); // MSS option length lies
    expect(d.decode(mk(() => undefined, 147))).toBe(LEAN_FALLBACK); // a link type it does not know
    expect(d.decode({ ...frames[1], data: frames[1].data.subarray(14), linkType: 101 })).toBe(LEAN_TCP); // raw IP
  });

  it('a registry with a TCP port dissector (HTTP) sends TCP to the chain', () => {
    const d = new LeanDecoder(defaultRegistry());
    expect(d.decode(frames[1])).toBe(LEAN_FALLBACK);
  });

  it('the warm-up capture makes streams of its own and does not touch another table', () => {
    const warm = new ConversationTable({ tcp: true, udp: true });
    const feed = leanFeeder(warm, reg, (r) => new Dissection(r));
    for (const f of warmupFrames(2)) feed(f);
    const ids = warm.tcpConversations().map((c) => c.tcp!.end);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(ids).toContain('RST');
    expect(ids).toContain('FIN');
    const list = warm.tcpConversations();
    expect(list.reduce((n, c) => n + c.tcp!.retransmissions, 0)).toBeGreaterThan(0);
    expect(list.reduce((n, c) => n + c.tcp!.zeroWindows, 0)).toBeGreaterThan(0);
  });
});
