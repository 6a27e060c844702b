// Shared by the TCP conformance test: run the dissector chain + TCP tracker over a corpus file and
// compare the TCP-analysis keys with tshark's values in fixtures/conformance-tcp/<file>.tsv.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import { Dissection, walkFields } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { TcpTracker, type TrackerOptions } from '../../src/analysis/tcp/tracker.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CORPUS = CORPUS_DIR;
export const EXPECTED = join(ROOT, 'fixtures', 'conformance-tcp');
export const KEYS: string[] = JSON.parse(readFileSync(join(EXPECTED, 'keys.json'), 'utf8')).keys;

export interface Diff {
  file: string;
  frame: number;
  key: string;
  ours: string;
  tshark: string;
}

/** Our values: frame number → key → shown values joined with ','. */
export function ourValues(path: string, opts: TrackerOptions = {}): Map<number, Map<string, string>> {
  const { frames } = parseCaptureBuffer(new Uint8Array(readFileSync(path)));
  const dis = new Dissection(defaultRegistry());
  const tr = new TcpTracker(opts);
  const want = new Set(KEYS);
  const out = new Map<number, Map<string, string>>();
  for (const fr of frames) {
    const pkt = dis.dissect(fr);
    tr.packet(pkt);
    const m = new Map<string, string>();
    walkFields(pkt.layers, (f) => {
      if (!want.has(f.key)) return;
      const prev = m.get(f.key);
      m.set(f.key, prev === undefined ? f.show : prev + ',' + f.show);
    });
    out.set(fr.index, m);
  }
  return out;
}

export function expectedRows(file: string): { header: string[]; rows: string[][] } | null {
  const p = join(EXPECTED, file + '.tsv');
  if (!existsSync(p)) return null;
  const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0);
  return { header: lines[0].split('\t'), rows: lines.slice(1).map((l) => l.split('\t')) };
}

/** Compare one file; returns per-key [agree, total] and the differences. */
export function compareFile(file: string, opts: TrackerOptions = {}): { counts: Map<string, [number, number]>; diffs: Diff[]; undissected: number } {
  const exp = expectedRows(file)!;
  const ours = ourValues(join(CORPUS, file), opts);
  const counts = new Map<string, [number, number]>();
  const diffs: Diff[] = [];
  let undissected = 0;
  for (const row of exp.rows) {
    const frame = Number(row[0]);
    const m = ours.get(frame) ?? new Map<string, string>();
    // A frame whose TCP layer the dissector chain did not reach (link type or encapsulation not
    // supported yet) is not a tracker difference: count it apart.
    if (row[1] !== '' && !m.has('tcp.stream')) {
      undissected++;
      continue;
    }
    for (let i = 1; i < exp.header.length; i++) {
      const key = exp.header[i];
      const t = row[i] ?? '';
      const o = m.get(key) ?? '';
      const c = counts.get(key) ?? [0, 0];
      if (t === '' && o === '') continue; // both absent: not counted
      c[1]++;
      if (t === o) c[0]++;
      else diffs.push({ file, frame, key, ours: o, tshark: t });
      counts.set(key, c);
    }
  }
  return { counts, diffs, undissected };
}

export function tcpFiles(): string[] {
  const idx = JSON.parse(readFileSync(join(EXPECTED, 'index.json'), 'utf8'));
  return Object.keys(idx.files).filter((f) => existsSync(join(CORPUS, f)));
}
