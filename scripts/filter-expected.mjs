#!/usr/bin/env node
// Regenerate fixtures/display-filter/expected.json from tshark: for every capture of the corpus
// (../shared/corpus or $WIRETRACE_CORPUS) and every filter of fixtures/display-filter/filters.json,
// the frame numbers `tshark -n -r FILE -Y FILTER -T fields -e frame.number` prints (tshark's default
// preferences; frames read before a damaged file's damage count, as tshark prints them).
// test/filter/display-filter.test.ts compares `wiretrace read -Y` with it, so the test needs no tshark.
// Usage: node scripts/filter-expected.mjs [--tshark PATH] [--all]   (two tshark processes at a time)
// Results already in expected.json for a filter still in filters.json are kept (tshark runs only for new
// filters and new captures) unless --all is given or the tshark version changed.

import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameRanges } from './conformance-lib.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env.WIRETRACE_CORPUS ?? resolve(REPO, '../shared/corpus');
const DIR = join(REPO, 'fixtures/display-filter');
const args = process.argv.slice(2);
const ti = args.indexOf('--tshark');
const tshark = ti >= 0 ? args[ti + 1] : process.env.TSHARK ?? 'tshark';
const all = args.includes('--all');

const ver = spawnSync(tshark, ['--version'], { encoding: 'utf8' });
if (ver.status !== 0) {
  console.error(`filter-expected: cannot run ${tshark}; install tshark (apt-get install tshark)`);
  process.exit(2);
}
const filters = JSON.parse(readFileSync(join(DIR, 'filters.json'), 'utf8'));
const files = readdirSync(CORPUS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

function run(file, filter) {
  return new Promise((done) => {
    execFile(tshark, ['-n', '-r', join(CORPUS, file), '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const nums = stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
      // a file tshark cannot open at all gives no frames and an error line: recorded as null
      const failed = err !== null && nums.length === 0 && /isn't a capture file|unknown file format|appears to be damaged|not a capture/i.test(stderr);
      done(failed ? null : frameRanges(nums));
    });
  });
}

const version = ver.stdout.split('\n')[0].trim();
let old = null;
try {
  old = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
} catch {
  // none yet
}
const reuse = !all && old !== null && old.tshark === version;
const jobs = [];
const out = {};
for (const f of files) {
  out[f] = new Array(filters.length).fill('');
  for (let i = 0; i < filters.length; i++) {
    const k = reuse && old.files[f] !== undefined ? old.filters.indexOf(filters[i]) : -1;
    if (k >= 0) out[f][i] = old.files[f][k];
    else jobs.push([f, i]);
  }
}
console.log(`filter-expected: ${jobs.length} tshark runs (${reuse ? 'earlier results kept' : 'all'})`);
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const [f, i] = jobs[next++];
    out[f][i] = await run(f, filters[i]);
  }
}
await Promise.all([worker(), worker()]);
writeFileSync(
  join(DIR, 'expected.json'),
  JSON.stringify({ tshark: version, generated: new Date().toISOString().slice(0, 10), filters, files: out }, null, 1) + '\n',
);
console.log(`filter-expected: ${files.length} files x ${filters.length} filters written to fixtures/display-filter/expected.json`);
