#!/usr/bin/env node
// Bundles the CLI: dist/bin/wiretrace.js (as tsc wrote it, importing ~80 modules) becomes
//   dist/bin/wiretrace.bundle.cjs        everything it imports in one CommonJS file, commander inlined
//   dist/bin/wiretrace.bundle.cjs.cache  V8's code cache for it, made by running the demo once
//   dist/bin/wiretrace.js                a small loader (CommonJS) that compiles the bundle with that cache
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
const binPackage = join(ROOT, 'dist/bin/package.json');
const LOADER_MARK = '// wiretrace loader (scripts/bundle.mjs)';

// The loader is already there: tsc has not run since the last bundle, which is current.
if (readFileSync(entry, 'utf8').includes(LOADER_MARK)) process.exit(0);

rmSync(bundle + '.cache', { force: true });
rmSync(entry + '.map', { force: true }); // tsc's map of the entry: the loader replaces it
rmSync(binPackage, { force: true }); // tsc's entry is an ES module: bundle it as one
await build({
  input: entry,
  platform: 'node',
  external: ['cap', /^node:/],
  logLevel: 'warn',
  // charset ascii: every character past ASCII (arrows, box lines, µ … ~120 of them) as an escape, and
  // no JSDoc comments (which keep theirs; the source map leads to the commented sources).
  // V8 then holds the source as a one-byte string, read with 'latin1' (a copy, where UTF-8 needs
  // decoding): 0.7 MB instead of a 1.4 MB two-byte string kept for the whole run, ~8 ms of every start.
  output: { file: bundle, format: 'cjs', sourcemap: true, comments: { legal: false, jsdoc: false }, charset: 'ascii' },
});
let code = readFileSync(bundle, 'utf8');
// the #! line would be a syntax error inside the function the loader wraps the file in (same line count)
if (code.startsWith('#!')) code = '//' + code;
// commander loads node:child_process (and with it net, dgram, streams: ~5 ms) at start-up for
// executable subcommands, which wiretrace has none of: load it on such a spawn only
const CHILD = 'const childProcess = require("node:child_process");';
if (code.includes(CHILD)) {
  code = code.replace(CHILD, 'const childProcess = { spawn: (...a) => require("node:child_process").spawn(...a) };');
} else process.stderr.write("bundle: commander's require of node:child_process not found (it loads at start-up)\n");
const wide = code.search(/[^\x00-\x7f]/);
if (wide >= 0) throw new Error(`bundle: not ASCII at offset ${wide} (the loader reads it as latin1)`);
writeFileSync(bundle, code);

// The loader is CommonJS (dist/bin/package.json says so): an ES module entry makes Node load its
// ES module loader first (~5 ms of every start).
writeFileSync(binPackage, '{ "type": "commonjs" }\n');
writeFileSync(
  entry,
  `#!/usr/bin/env node
${LOADER_MARK}: runs wiretrace.bundle.cjs, compiled with V8's code cache
// wiretrace.bundle.cjs.cache when there is one (see scripts/bundle.mjs). WIRETRACE_WRITE_CODE_CACHE=1
// writes that cache when the run ends (the build does it once, on the demo capture).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire, Module } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, 'wiretrace.bundle.cjs');
const cacheFile = file + '.cache';
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache: V8 compiles the bundle as it would any file
}
const script = new Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData }); // ASCII only
if (process.env.WIRETRACE_WRITE_CODE_CACHE === '1') process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const bundled = { exports: {} };
script.runInThisContext().call(bundled.exports, bundled.exports, createRequire(file), bundled, file, __dirname);
`,
);

// The cache holds what a run compiled: the start-up and the packet table (the main job).
const demo = join(ROOT, 'fixtures/demo.pcapng');
if (existsSync(demo)) {
  const r = spawnSync(process.execPath, [entry, 'read', demo], { env: { ...process.env, WIRETRACE_WRITE_CODE_CACHE: '1', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(bundle + '.cache')) process.stderr.write(`bundle: no code cache (the demo run failed: ${r.stderr.trim().split('\n')[0] ?? r.status}); the CLI works without it\n`);
}
