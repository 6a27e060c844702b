// `wiretrace dns`: a response with more answers than a transaction keeps in short form still says how
// many it carried (answer_count in JSON, "… (N)" in the table).

import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCaptureBuffer } from '../../src/capture/write.js';
import { runDns } from '../../src/cli/dns.js';
import { dnsQuery, dnsResponse, parseQuery } from './app-live/lib.js';

/** Ethernet + IPv4 + UDP around `payload` (checksums 0: none). */
function udpFrame(src: number[], dst: number[], sp: number, dp: number, payload: Buffer): Uint8Array {
  const b = new Uint8Array(42 + payload.length);
  b[12] = 0x08;
  b[14] = 0x45;
  const tl = 28 + payload.length;
  b[16] = tl >> 8; b[17] = tl & 255;
  b[22] = 64; b[23] = 17;
  b.set(src, 26); b.set(dst, 30);
  b[34] = sp >> 8; b[35] = sp & 255; b[36] = dp >> 8; b[37] = dp & 255;
  const ul = 8 + payload.length;
  b[38] = ul >> 8; b[39] = ul & 255;
  b.set(payload, 42);
  return b;
}

describe('dns answer count', () => {
  it('keeps 32 answers in short form and counts all 40', async () => {
    const q = dnsQuery(0x1234, 'many.example', 1);
    const rdatas = Array.from({ length: 40 }, (_, i) => Buffer.from([192, 0, 2, i + 1]));
    const r = dnsResponse(parseQuery(q), 0, 1, rdatas);
    const c = [10, 0, 0, 1], s = [10, 0, 0, 53];
    const frames = [udpFrame(c, s, 40000, 53, q), udpFrame(s, c, 53, 40000, r)];
    const dir = mkdtempSync(join(tmpdir(), 'wt-dns-'));
    const file = join(dir, 'many.pcap');
    writeFileSync(file, writeCaptureBuffer(frames.map((data, i) => ({
      index: i + 1, ts: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n, tsPrecision: 9, linkType: 1, ifIndex: 0, data, origLen: data.length,
    })), { format: 'pcap', precision: 'ns' }));
    const run = async (T: string) => {
      let out = '';
      const w = new Writable({ write(ch, _e, cb) { out += ch.toString(); cb(); } });
      await runDns(file, { outputFormat: T }, { stdout: w, stderr: w, env: { NO_COLOR: '1' } });
      return out;
    };
    const j = JSON.parse(await run('json'));
    expect(j).toHaveLength(1);
    expect(j[0].answers).toHaveLength(32);
    expect(j[0].answers[0]).toBe('A 192.0.2.1');
    expect(j[0].answers[31]).toBe('A 192.0.2.32');
    expect(j[0].answer_count).toBe(40);
    const table = await run('table');
    expect(table).toContain('A 192.0.2.1, A 192.0.2.2, A 192.0.2.3, … (40)');
  });
});
