#!/usr/bin/env node
// Regenerate fixtures/frame-protocols/expected.json from tshark: frame.protocols of every frame of every
// capture of the corpus (../shared/corpus or $WIRETRACE_CORPUS), with tshark's default preferences.
// test/analysis/frame-protocols.test.ts compares wiretrace's with it (the test needs no tshark).
// Usage: node scripts/frame-protocols-expected.mjs [--tshark PATH]

import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env.WIRETRACE_CORPUS ?? resolve(REPO, '../shared/corpus');
const args = process.argv.slice(2);
const tshark = args[0] === '--tshark' ? args[1] : process.env.TSHARK ?? 'tshark';
const ver = spawnSync(tshark, ['--version'], { encoding: 'utf8' });
if (ver.status !== 0) {
  console.error(`frame-protocols-expected: cannot run ${tshark}; install tshark (apt-get install tshark)`);
  process.exit(2);
}
const files = {};
for (const f of readdirSync(CORPUS).filter((n) => /\.pcap(ng)?$/.test(n)).sort()) {
  const r = spawnSync(tshark, ['-n', '-r', join(CORPUS, f), '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = r.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > 0 || r.status === 0) files[f] = lines;
}
writeFileSync(
  join(REPO, 'fixtures/frame-protocols/expected.json'),
  JSON.stringify({ tshark: ver.stdout.split('\n')[0].trim(), generated: new Date().toISOString().slice(0, 10), files }, null, 0).replace(/\],"/g, '],\n"') + '\n',
);
console.log(`frame-protocols-expected: ${Object.keys(files).length} captures written to fixtures/frame-protocols/expected.json`);
