// Cross-check against pcap-parser 0.2.1 (an independent reader) on every classic microsecond pcap of
// the corpus: the same records, header fields and data bytes.

import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import { CORPUS, manifest } from './manifest.js';

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as {
  parse(input: NodeJS.ReadableStream): NodeJS.EventEmitter;
};

interface PPRecord {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface PPGlobal {
  majorVersion: number;
  minorVersion: number;
  snapshotLength: number;
  linkLayerType: number;
}

function parseWithPcapParser(path: string): Promise<{ global: PPGlobal | null; records: PPRecord[] }> {
  return new Promise((resolve) => {
    const records: PPRecord[] = [];
    let global: PPGlobal | null = null;
    const p = pcapParser.parse(createReadStream(path));
    p.on('globalHeader', (h: PPGlobal) => (global = h));
    p.on('packet', (r: PPRecord) => records.push({ header: r.header, data: Buffer.from(r.data) }));
    p.on('error', () => {});
    p.on('end', () => resolve({ global, records }));
  });
}

// Files whose header we refuse (pcap-parser accepts v1.4 and ignores reserved link type bits).
const HEADER_REFUSED = new Set([
  'malformed-pcap-bad-major-version.pcap',
  'malformed-pcap-linktype-reserved-bits-header-only.pcap',
]);

const files = manifest()
  .filter((r) => /^pcap-usec-(le|be)\b/.test(r.format) && !HEADER_REFUSED.has(r.file))
  .map((r) => r.file);

describe('pcap-parser 0.2.1 agrees', () => {
  it('covers the classic µs files of the corpus', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(files).toContain('pcap-usec-be-arp-dns.pcap');
    expect(files).toContain('pcap-odd-minor-version-2.5.pcap');
    expect(files).toContain('malformed-file-cut-short.pcap');
  });

  for (const file of files) {
    it(file, async () => {
      const path = join(CORPUS, file);
      const ours = parseCaptureBuffer(readFileSync(path));
      const theirs = await parseWithPcapParser(path);
      expect(theirs.global).not.toBeNull();
      const g = theirs.global!;
      expect(ours.info.interfaces[0].snaplen).toBe(g.snapshotLength);
      expect(ours.info.interfaces[0].linkType).toBe(g.linkLayerType & 0xffff);
      // pcap-parser silently drops a trailing partial record; we report it as damage.
      expect(ours.error === null || ours.error.kind === 'damaged').toBe(true);
      expect(ours.frames.length).toBe(theirs.records.length);
      for (let i = 0; i < ours.frames.length; i++) {
        const f = ours.frames[i];
        const h = theirs.records[i].header;
        const ts = BigInt(h.timestampSeconds) * 1_000_000_000n + BigInt(h.timestampMicroseconds) * 1000n;
        if (f.ts !== ts || f.data.length !== h.capturedLength || f.origLen !== h.originalLength) {
          expect({ i, ts: f.ts, cap: f.data.length, orig: f.origLen }).toEqual({
            i,
            ts,
            cap: h.capturedLength,
            orig: h.originalLength,
          });
        }
        if (Buffer.compare(f.data, theirs.records[i].data) !== 0) expect(`frame ${i + 1} bytes differ`).toBe('');
      }
    });
  }
});
