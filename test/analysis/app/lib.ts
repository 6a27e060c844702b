// Shared by the app-layer tests: run chain + TCP tracker + TCP application reassembly + DNS
// transactions over a capture, collecting each packet's table row and field values right after its
// analysis (as the streaming outputs see them).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { TcpTracker } from '../../../src/analysis/tcp/tracker.js';
import { TcpApp, type TcpAppOptions } from '../../../src/analysis/http/app.js';
import { DnsTransactions } from '../../../src/analysis/dns-transactions.js';
import { rowParts } from '../../../src/output/table.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const CORPUS = CORPUS_DIR;

export interface Row {
  frame: number;
  protocol: string;
  info: string;
  values: Map<string, string>;
}

export function runFrames(frames: Frame[], keys: readonly string[], opts: TcpAppOptions = {}) {
  const reg = defaultRegistry();
  const dis = new Dissection(reg);
  const tr = new TcpTracker();
  const app = new TcpApp({ registry: reg, ...opts });
  const dns = new DnsTransactions();
  const want = new Set(keys);
  const rows: Row[] = [];
  const pkts = [];
  for (const fr of frames) {
    const pkt = dis.dissect(fr);
    tr.packet(pkt);
    app.packet(pkt);
    dns.packet(pkt);
    const m = new Map<string, string>();
    walkFields(pkt.layers, (f) => {
      if (!want.has(f.key)) return;
      const prev = m.get(f.key);
      m.set(f.key, prev === undefined ? f.show : prev + ',' + f.show);
    });
    const rp = rowParts(pkt.layers);
    rows.push({ frame: fr.index, protocol: rp.protocol, info: rp.info, values: m });
    pkts.push(pkt);
  }
  app.finish();
  return { rows, app, dns, pkts };
}

export function runFile(path: string, keys: readonly string[], opts: TcpAppOptions = {}) {
  const { frames } = parseCaptureBuffer(new Uint8Array(readFileSync(path)));
  return runFrames(frames, keys, opts);
}
