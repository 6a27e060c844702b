// TCP analysis vs tshark 4.0 on every corpus capture with TCP: tcp.stream, relative numbers,
// windows, bytes in flight, RTTs, timestamps and every tcp.analysis flag. Expected values come
// from fixtures/conformance-tcp/*.tsv (node test/analysis/gen-tcp-expected.mjs); each remaining
// difference is listed, with its reason, in fixtures/conformance-tcp/differences.json.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareFile, CORPUS, EXPECTED, tcpFiles, type Diff } from './tcp-conformance-lib.js';

const known: (Diff & { why: string })[] = JSON.parse(readFileSync(join(EXPECTED, 'differences.json'), 'utf8')).differences;
const diffKey = (d: Diff): string => `${d.file}#${d.frame}#${d.key}#${d.ours}#${d.tshark}`;
const knownSet = new Set(known.map(diffKey));
const haveCorpus = existsSync(join(CORPUS, 'MANIFEST.tsv'));

describe.skipIf(!haveCorpus)(`TCP analysis conformance with tshark (corpus ${CORPUS})`, () => {
  const total = new Map<string, [number, number]>();
  const unexpected: Diff[] = [];
  /** Every difference found (a listed one that no longer occurs is stale: the list must say what is). */
  const seen = new Set<string>();
  let undissected = 0;
  for (const f of haveCorpus ? tcpFiles() : []) {
    test(f, () => {
      const r = compareFile(f);
      undissected += r.undissected;
      for (const [k, [a, b]] of r.counts) {
        const c = total.get(k) ?? [0, 0];
        c[0] += a;
        c[1] += b;
        total.set(k, c);
      }
      for (const d of r.diffs) seen.add(diffKey(d));
      const bad = r.diffs.filter((d) => !knownSet.has(diffKey(d)));
      unexpected.push(...bad);
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
  test('≥ 99% agreement on every numeric key; every flag difference is a listed one', () => {
    expect(total.size).toBeGreaterThan(20);
    const numeric = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor',
      'tcp.analysis.bytes_in_flight', 'tcp.analysis.ack_rtt', 'tcp.analysis.acks_frame', 'tcp.analysis.initial_rtt',
      'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame'];
    for (const k of numeric) {
      const [a, b] = total.get(k) ?? [0, 0];
      expect(b, k).toBeGreaterThan(0);
      expect(a / b, `${k}: ${a}/${b}`).toBeGreaterThanOrEqual(0.99);
    }
    expect(total.get('tcp.stream')![1]).toBeGreaterThan(2500);
    expect(unexpected).toEqual([]);
    expect(known.filter((d) => !seen.has(diffKey(d))).map((d) => `${d.file}#${d.frame} ${d.key}`), 'listed differences that no longer occur').toEqual([]);
    expect(undissected).toBeLessThan(50);
  });
});

describe.skipIf(!haveCorpus)("tshark's own keep-alive rule (linuxZeroWindowProbe: false)", () => {
  test('tcp-zero-window-keepalive-probes: keep-alives exactly where tshark has them', () => {
    const r = compareFile('tcp-zero-window-keepalive-probes.pcapng', { linuxZeroWindowProbe: false });
    expect(r.diffs).toEqual([]);
    expect(r.counts.get('tcp.analysis.keep_alive')).toEqual([3, 3]);
  });
});
