// The JIT warm-up of `wiretrace read` (src/analysis/read-warm.ts, src/cli/read-warmup.ts): it must
// change nothing of the output, in any format, and its synthetic capture must be what it says
// (HTTP, DNS, ICMP … so that those paths are warmed).

import { Writable } from 'node:stream';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWarmupFrames } from '../../src/analysis/read-warm.js';
import { main } from '../../src/cli/main.js';
import { WARMUP_MIN_BYTES, WARMUP_MIN_PACKETS, wantWarmup } from '../../src/cli/read-warmup.js';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { createSink, defaultSinkOptions } from '../../src/output/sink.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

async function run(args: string[], warm: '0' | '1'): Promise<{ code: number; out: string; err: string }> {
  const chunks: Buffer[] = [], errs: Buffer[] = [];
  const w = (into: Buffer[]) => new Writable({ write: (c, _e, cb) => (into.push(Buffer.from(c)), cb()) });
  const code = await main(args, { stdout: w(chunks), stderr: w(errs), env: { NO_COLOR: '1', WIRETRACE_WARMUP: warm } });
  return { code, out: Buffer.concat(chunks).toString('utf8'), err: Buffer.concat(errs).toString('utf8') };
}

const FILES = (() => {
  try {
    // (the small ones: every form runs twice per file, in process)
    return readdirSync(CORPUS_DIR)
      .filter((f) => /^(http|dns-tcp|tcp|ipv6-atomic|icmp-dest|mixed|sll)/.test(f) && /\.pcap(ng)?$/.test(f) && statSync(join(CORPUS_DIR, f)).size < 100_000)
      .sort();
  } catch {
    return [];
  }
})();

describe('read warm-up', () => {
  it('is wanted for files of 8 MiB and more read whole or for 20,000 packets and more, never for stdin; WIRETRACE_WARMUP forces it', () => {
    expect(wantWarmup(WARMUP_MIN_BYTES, {})).toBe(true);
    expect(wantWarmup(WARMUP_MIN_BYTES - 1, {})).toBe(false);
    expect(wantWarmup(null, {})).toBe(false);
    expect(wantWarmup(10, { WIRETRACE_WARMUP: '1' })).toBe(true);
    expect(wantWarmup(1 << 30, { WIRETRACE_WARMUP: '0' })).toBe(false);
    // -c N: not for a few packets
    expect(wantWarmup(1 << 30, {}, 100)).toBe(false);
    expect(wantWarmup(1 << 30, {}, WARMUP_MIN_PACKETS)).toBe(true);
    expect(wantWarmup(1 << 30, {}, 0)).toBe(true);
  });

  it.runIf(FILES.length > 0)('changes no output: table, filtered table, fields, JSON, tree', { timeout: 120_000 }, async () => {
    const forms: string[][] = [
      [],
      ['-Y', 'http || dns || tcp.analysis.flags'],
      ['-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'tcp.analysis.flags', '-e', 'http.request_in', '-e', 'http.time', '-e', 'dns.time', '-e', 'tcp.reassembled_in'],
      ['-T', 'json'],
      ['-V', '-x'],
    ];
    let compared = 0;
    for (const f of FILES) {
      for (const form of forms) {
        const args = ['read', ...form, join(CORPUS_DIR, f)];
        const cold = await run(args, '0');
        const warm = await run(args, '1');
        expect(warm, `${f} ${form.join(' ')}`).toEqual(cold);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5 * 10);
  });

  it('its capture holds what it is for: HTTP, JSON over HTTP, DNS over UDP and TCP, ICMP, ICMPv6, ARP, TCP analysis', () => {
    const registry = defaultRegistry();
    const dis = new Dissection(registry);
    const analyzers = defaultAnalyzers(registry);
    const protos = new Set<string>();
    const infos: string[] = [];
    const sink = createSink(defaultSinkOptions(), new Writable({ write: (c, _e, cb) => (infos.push(String(c)), cb()) }));
    const frames = readWarmupFrames();
    frames.forEach((f, i) => expect(f.index).toBe(i + 1));
    for (const f of frames) {
      const pkt = dis.dissect(f);
      for (const a of analyzers) a.packet(pkt);
      for (const l of pkt.layers) protos.add(l.proto);
      sink.packet(pkt);
    }
    for (const p of ['arp', 'ip', 'ipv6', 'tcp', 'udp', 'http', 'dns', 'icmp', 'icmpv6', 'tcp.segments', 'tcp.segment_data']) expect(protos, p).toContain(p);
    return sink.end().then(() => {
      const text = infos.join('');
      for (const s of ['HTTP/JSON', '[TCP Retransmission]', '[TCP Dup ACK', '[TCP Out-Of-Order]', '[TCP segment of a reassembled PDU]', 'HTTP/1.1 200 OK  (text/html)', 'HTTP/1.1 304 Not Modified', 'Standard query response 0x1a03 No such name', 'Destination unreachable']) {
        expect(text, s).toContain(s);
      }
    });
  });
});
