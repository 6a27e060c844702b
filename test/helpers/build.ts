// dist/ as `npm run build` makes it: tsc, then scripts/bundle.mjs. tsc alone leaves an ES module
// entry (dist/bin/wiretrace.js) beside dist/bin/package.json, which says CommonJS for the bundle's
// loader: the CLI only runs once the bundle step has written the loader again. So dist/ counts as
// built only when the entry is that loader and no source is newer than it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
/** The first words of the loader's marker line (scripts/bundle.mjs, LOADER_MARK). */
const LOADER_MARK = '// wiretrace loader (scripts/bundle.mjs)';

function newestTs(dir: string): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestTs(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/ (tsc, then the bundle) unless it is current; returns whether it built. */
export function ensureDist(): boolean {
  const current =
    existsSync(BIN) &&
    readFileSync(BIN, 'utf8').includes(LOADER_MARK) &&
    statSync(BIN).mtimeMs >= Math.max(...['src', 'dissectors', 'bin'].map((d) => newestTs(join(ROOT, d))));
  if (current) return false;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  } catch {
    // type errors elsewhere in the tree still emit JS; the callers' tests check the result
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  return true;
}
