import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputWriter } from '../../src/output/writer.js';

const dir = mkdtempSync(join(tmpdir(), 'wiretrace-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Line i of the test text: varied lengths, some non-ASCII. */
function line(i: number): string {
  return `${i} ${'x'.repeat(i % 97)} é ✓ ${i * 7}\n`;
}

/** Writes lines 0..n-1 through w, alternating write() and writeBytes() with one reused scratch buffer. */
async function writeLines(w: OutputWriter, n: number): Promise<string> {
  const scratch = new Uint8Array(4096);
  let expected = '';
  for (let i = 0; i < n; i++) {
    const s = line(i);
    expected += s;
    if (i % 2 === 0) w.write(s);
    else {
      const k = Buffer.from(s, 'utf8').copy(scratch, 0);
      w.writeBytes(scratch.subarray(0, k));
      scratch.fill(0x3f, 0, k); // the caller reuses its buffer at once
    }
    if (i % 1000 === 999) {
      const d = w.drain();
      if (d) await d;
    }
  }
  await w.end();
  return expected;
}

describe('OutputWriter', () => {
  it('a file stream gets every byte in order across many arenas (arena reused once the stream is done with it)', async () => {
    const file = join(dir, 'out.txt');
    const out = createWriteStream(file);
    const w = new OutputWriter(out);
    const expected = await writeLines(w, 40000); // ~2.6 MB: more than two 1 MiB arenas
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const got = readFileSync(file, 'utf8');
    expect(got.length).toBe(expected.length);
    expect(got === expected).toBe(true);
  });

  it('a Writable that keeps the chunks it is given still sees the bytes it was given (no arena reuse)', async () => {
    const kept: Uint8Array[] = [];
    const out = new Writable({
      write(chunk: Uint8Array, _enc, cb) {
        kept.push(chunk); // kept as given, not copied
        cb();
      },
    });
    const w = new OutputWriter(out, 1000);
    const expected = await writeLines(w, 40000);
    const got = Buffer.concat(kept).toString('utf8');
    expect(kept.length).toBeGreaterThan(100);
    expect(got === expected).toBe(true);
  });
});
