#!/usr/bin/env node
// Bundles the CLI: dist/bin/wiretrace.js (as tsc wrote it, importing ~80 modules) becomes
//   dist/bin/wiretrace.bundle.cjs        everything it imports in one CommonJS file, commander inlined
//   dist/bin/wiretrace.bundle.cjs.cache  V8's code cache for it, made by running the demo once
//   dist/bin/wiretrace.js                a small loader that compiles the bundle with that cache
// Why: Node 20 resolves, reads and compiles every ES module separately at start-up (~0.1 s for
// this tree, about as long as Node itself takes to start), and it has no module compile cache yet
// (module.enableCompileCache needs Node 22). One file starts in a fraction of that, and with the
// code cache V8 skips parsing it: `wiretrace read fixtures/demo.pcapng` 0.197 → 0.179 s, of which
// Node itself takes ~0.11 s (alternating runs, medians). The cache is V8's: built by the same Node
// that runs it (a different Node or V8 flags make V8 reject it, and the bundle compiles as before).
// Paths stay the same, so package.json (../../ from dist/bin) and the optional native `cap` module
// (loaded with createRequire from the running file) are found as before. dist/src/** stays as tsc
// wrote it: the tests import modules from there.
// rolldown: the bundler vite/vitest already install, pinned as a devDependency.

import { build } from 'rolldown';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(ROOT, 'dist/bin/wiretrace.js');
const bundle = join(ROOT, 'dist/bin/wiretrace.bundle.cjs');
const LOADER_MARK = '// wiretrace loader (scripts/bundle.mjs)';

// The loader is already there: tsc has not run since the last bundle, which is current.
if (readFileSync(entry, 'utf8').includes(LOADER_MARK)) process.exit(0);

rmSync(bundle + '.cache', { force: true });
rmSync(entry + '.map', { force: true }); // tsc's map of the entry: the loader replaces it
await build({
  input: entry,
  platform: 'node',
  external: ['cap', /^node:/],
  logLevel: 'warn',
  output: { file: bundle, format: 'cjs', sourcemap: true, comments: { legal: false } },
});
// the #! line would be a syntax error inside the function the loader wraps the file in (same line count)
const code = readFileSync(bundle, 'utf8');
if (code.startsWith('#!')) writeFileSync(bundle, '//' + code);

writeFileSync(
  entry,
  `#!/usr/bin/env node
${LOADER_MARK}: runs wiretrace.bundle.cjs, compiled with V8's code cache
// wiretrace.bundle.cjs.cache when there is one (see scripts/bundle.mjs). WIRETRACE_WRITE_CODE_CACHE=1
// writes that cache when the run ends (the build does it once, on the demo capture).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('./wiretrace.bundle.cjs', import.meta.url));
const cacheFile = file + '.cache';
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache: V8 compiles the bundle as it would any file
}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (process.env.WIRETRACE_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, fileURLToPath(new URL('.', import.meta.url)));
`,
);

// The cache holds what a run compiled: the start-up and the packet table (the main job).
const demo = join(ROOT, 'fixtures/demo.pcapng');
if (existsSync(demo)) {
  const r = spawnSync(process.execPath, [entry, 'read', demo], { env: { ...process.env, WIRETRACE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(bundle + '.cache')) process.stderr.write(`bundle: no code cache (the demo run failed: ${r.stderr.trim().split('\n')[0] ?? r.status}); the CLI works without it\n`);
}
