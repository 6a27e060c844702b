#!/usr/bin/env node
// Bundles the CLI into one file, in place: dist/bin/wiretrace.js (as tsc wrote it, importing ~80
// modules) becomes one ES module holding everything it imports, with commander inlined.
// Why: Node 20 resolves, reads and compiles every ES module separately at start-up (~0.1 s for
// this tree, about as long as Node itself takes to start), and it has no module compile cache yet
// (module.enableCompileCache needs Node 22). One file starts in a fraction of that. Paths stay the
// same, so package.json (../../ from dist/bin) and the optional native `cap` module (loaded with
// createRequire from the running file) are found as before. dist/src/** stays as tsc wrote it:
// the tests import modules from there.
// rolldown: the bundler vite/vitest already install, pinned as a devDependency.

import { build } from 'rolldown';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renameSync } from 'node:fs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(ROOT, 'dist/bin/wiretrace.js');
const tmp = join(ROOT, 'dist/bin/wiretrace.bundle.js');

await build({
  input: entry,
  platform: 'node',
  external: ['cap', /^node:/],
  logLevel: 'warn',
  output: { file: tmp, format: 'esm', sourcemap: true, comments: { legal: false } },
});
renameSync(tmp, entry);
renameSync(tmp + '.map', entry + '.map');
