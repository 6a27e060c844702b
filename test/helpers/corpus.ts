// Where the shared corpus lives: $WIRETRACE_CORPUS when set, else ../shared/corpus beside the
// repository (as on a developer's machine and in CI's fresh clone), else /work/shared/corpus.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR: string =
  process.env.WIRETRACE_CORPUS ??
  [fileURLToPath(new URL('../../../shared/corpus', import.meta.url)), '/work/shared/corpus'].find((p) => existsSync(p)) ??
  fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
