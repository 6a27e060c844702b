#!/usr/bin/env node
// Regenerate fixtures/conformance-tcp/: for every corpus capture with TCP (MANIFEST protocols
// column), tshark's values of the TCP-analysis keys (fixtures/conformance-tcp/keys.json), one row
// per frame:
//   tshark -n -r FILE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, -e frame.number -e KEY…
// with tshark's default preferences (relative sequence numbers, analysis and timestamps on).
// Usage: node test/analysis/gen-tcp-expected.mjs [CORPUS-FILE…]

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const CORPUS = process.env.WIRETRACE_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');
const OUT = join(ROOT, 'fixtures', 'conformance-tcp');
const TCP_KEYS = JSON.parse(readFileSync(join(OUT, 'keys.json'), 'utf8')).keys;

const only = process.argv.slice(2);
const files = [];
for (const line of readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)) {
  const c = line.split('\t');
  if (c.length < 5 || !/(^|,)tcp(,|$)/.test(c[4])) continue;
  if (only.length && !only.includes(c[0])) continue;
  files.push(c[0]);
}
mkdirSync(OUT, { recursive: true });
const ver = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
const index = { tshark: ver, files: {} };
for (const f of files.sort()) {
  const argv = ['-n', '-r', join(CORPUS, f), '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number'];
  for (const k of TCP_KEYS) argv.push('-e', k);
  const r = spawnSync('tshark', argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  writeFileSync(join(OUT, f + '.tsv'), r.stdout);
  index.files[f] = { exit: r.status, rows: Math.max(0, r.stdout.split('\n').length - 2) };
  console.log(f, r.status);
}
if (!only.length) writeFileSync(join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
