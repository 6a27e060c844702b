// Every corpus file: frame count (MANIFEST.tsv 'packets', from capinfos/tshark) and the error kind for
// the files tshark rejects, through the synchronous core and through the streaming reader.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCapture, parseCaptureBuffer } from '../../src/capture/open.js';
import { CaptureFileError, type Frame } from '../../src/capture/types.js';
import { CORPUS, manifest } from './manifest.js';

/** The files tshark/capinfos do not read to the end, and how they fail. */
const ERRORS: Record<string, CaptureFileError['kind']> = {
  'malformed-not-a-capture-text.pcap': 'not-capture',
  'malformed-pcap-bad-major-version.pcap': 'unsupported',
  'malformed-pcap-linktype-reserved-bits-header-only.pcap': 'unsupported',
  'malformed-pcapng-2nd-section-bad-version.pcapng': 'unsupported',
  'malformed-pcapng-bad-shb-version.pcapng': 'unsupported',
  'malformed-pcapng-shb-option-too-long.pcapng': 'damaged',
  'malformed-file-cut-short.pcap': 'damaged', // capinfos rc=1 after 1 packet
};

async function readAll(path: string, readSize?: number): Promise<{ frames: Frame[]; error: unknown }> {
  const frames: Frame[] = [];
  let error: unknown = null;
  try {
    const r = await openCapture(path, { readSize });
    for await (const batch of r) frames.push(...batch);
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

const rows = manifest();

describe('corpus', () => {
  it('lists every capture file in the corpus folder', () => {
    const files = readdirSync(CORPUS).filter((f) => /\.pcap(ng)?$/.test(f));
    expect(rows.map((r) => r.file).sort()).toEqual(files.sort());
    expect(rows.length).toBeGreaterThan(100);
  });

  for (const row of rows) {
    it(`${row.file}: ${row.packets} frames${ERRORS[row.file] ? ` then ${ERRORS[row.file]}` : ''}`, async () => {
      const path = join(CORPUS, row.file);
      const want = ERRORS[row.file] ?? null;
      if (row.beforeError) expect(want).not.toBeNull();
      const mem = parseCaptureBuffer(readFileSync(path));
      expect(mem.frames.length).toBe(row.packets);
      expect(mem.error?.kind ?? null).toBe(want);
      if (mem.error) expect(mem.error.frame).toBe(row.packets + 1);
      mem.frames.forEach((f, i) => expect(f.index).toBe(i + 1));
      const fmt = row.format.replace(/ .*/, '');
      if (fmt.startsWith('pcap-') && !want) {
        const [, kind, order] = /^pcap-(usec|nsec|modified)-(le|be)$/.exec(fmt)!;
        expect(mem.info.format).toBe({ usec: 'pcap', nsec: 'pcap-ns', modified: 'pcap-modified' }[kind]);
        expect(mem.info.byteOrder).toBe(order);
      }
      if (fmt.startsWith('pcapng-') && !want) expect(mem.info.format).toBe('pcapng');

      // The streaming reader yields the same frames and the same error, with the default 64 KiB
      // reads and with tiny ones (every record spans reads).
      const small = readFileSync(path).length < 16 * 1024;
      for (const readSize of [undefined, small ? 61 : 4_093]) {
        const st = await readAll(path, readSize);
        expect(st.frames.length).toBe(row.packets);
        if (want) {
          expect(st.error).toBeInstanceOf(CaptureFileError);
          expect((st.error as CaptureFileError).kind).toBe(want);
          expect((st.error as CaptureFileError).offset).toBe(mem.error!.offset);
          expect((st.error as CaptureFileError).message).toBe(mem.error!.message);
        } else {
          expect(st.error).toBeNull();
        }
        for (let i = 0; i < st.frames.length; i++) {
          const a = st.frames[i];
          const b = mem.frames[i];
          if (a.ts !== b.ts || a.ifIndex !== b.ifIndex || a.origLen !== b.origLen || a.linkType !== b.linkType ||
              Buffer.compare(a.data, b.data) !== 0) {
            expect(a).toEqual(b);
          }
        }
        const last = (fr: Frame[]) => ({ ...fr[fr.length - 1], data: fr[fr.length - 1]?.data.length });
        if (st.frames.length) expect(last(st.frames)).toEqual(last(mem.frames));
      }
    });
  }
});
