// `wiretrace http` without --show-body keeps transaction summaries only: no request/response layers
// (each would keep its frames' read buffer alive). The summaries are the same either way.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TcpApp } from '../../../src/analysis/http/app.js';
import { TcpTracker } from '../../../src/analysis/tcp/tracker.js';
import { analyseFile } from '../../../src/cli/conversations.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

async function transactions(file: string, layers: boolean) {
  const reg = defaultRegistry();
  const tr = new TcpTracker({ fields: false });
  const app = new TcpApp({ registry: reg, layers });
  await analyseFile(file, (pkt) => {
    tr.packet(pkt);
    app.packet(pkt);
  }, reg);
  app.finish();
  return app.transactions;
}

describe('TcpApp layers option', () => {
  it('same transactions with and without layers; layers kept only when asked', async () => {
    const file = join(CORPUS_DIR, 'raw12-ipv6-http-4streams.pcap');
    const withL = await transactions(file, true);
    const without = await transactions(file, false);
    expect(withL.length).toBeGreaterThan(5);
    const strip = (t: (typeof withL)[number]) => ({ ...t, reqLayer: null, respLayer: null });
    expect(without.map(strip)).toEqual(withL.map(strip));
    expect(withL.every((t) => t.respFrame === 0 || t.respLayer !== null)).toBe(true);
    expect(without.every((t) => t.reqLayer === null && t.respLayer === null)).toBe(true);
  });
});
