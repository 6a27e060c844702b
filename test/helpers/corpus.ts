// Where the shared corpus lives: $WIRETRACE_CORPUS when set, else ../shared/corpus beside the
// repository (as on a developer's machine and in CI's fresh clone), else /work/shared/corpus.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR: string =
  process.env.WIRETRACE_CORPUS ??
  [fileURLToPath(new URL('../../../shared/corpus', import.meta.url)), '/work/shared/corpus'].find((p) => existsSync(p)) ??
  fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

/** The corpus capture `name` (without its .pcap / .pcapng extension). */
export function corpusCapture(name: string): string {
  for (const ext of ['.pcap', '.pcapng']) if (existsSync(join(CORPUS_DIR, name + ext))) return join(CORPUS_DIR, name + ext);
  throw new Error(`no capture ${name} in ${CORPUS_DIR}`);
}
