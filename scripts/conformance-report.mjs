#!/usr/bin/env node
// Per-key agreement with tshark over the corpus, and the first mismatches per key, using the BUILT
// code in dist/ (run `npm run build` first). For dissector work: what does tshark say that we don't?
// Usage: node scripts/conformance-report.mjs [--key K]… [--group G] [--file F]… [--max N] [--all] [--json]
//   --key K    only these keys (repeatable; a prefix ending in '.' selects a protocol, e.g. --key dns.)
//   --group G  only the keys of this keys.json group
//   --file F   only these corpus files (repeatable; substring match)
//   --max N    mismatches shown per key (default 5)
//   --all      also list keys that agree fully (default: the table shows every key, the details only failing ones)
//   --json     machine-readable output
// Exit status: 0 when every selected key agrees and packet counts match, 1 otherwise.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lib from './conformance-lib.mjs';

const args = process.argv.slice(2);
const o = { keys: [], group: null, files: [], max: 5, json: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--key') o.keys.push(args[++i]);
  else if (a === '--group') o.group = args[++i];
  else if (a === '--file') o.files.push(args[++i]);
  else if (a === '--max') o.max = Number(args[++i]);
  else if (a === '--json') o.json = true;
  else if (a === '--all') o.all = true;
  else if (a === '-h' || a === '--help') {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else {
    console.error(`conformance-report: unknown argument ${a} (try --help)`);
    process.exit(2);
  }
}

const dist = join(lib.REPO, 'dist');
for (const f of ['src/capture/open.js', 'src/dissect/chain.js', 'dissectors/index.js']) {
  if (!existsSync(join(dist, f))) {
    console.error(`conformance-report: ${join(dist, f)} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}
const { parseCaptureBuffer } = await import(join(dist, 'src/capture/open.js'));
const { Dissection, walkFields } = await import(join(dist, 'src/dissect/chain.js'));
const { defaultRegistry } = await import(join(dist, 'dissectors/index.js'));
const api = { parseCaptureBuffer, Dissection, defaultRegistry, walkFields };

const { groups, all } = lib.loadKeys();
let keys = o.group ? groups[o.group] ?? [] : all;
if (o.group && !groups[o.group]) {
  console.error(`conformance-report: no group ${o.group} in keys.json (have: ${Object.keys(groups).join(', ')})`);
  process.exit(2);
}
if (o.keys.length) keys = keys.filter((k) => o.keys.some((s) => (s.endsWith('.') ? k.startsWith(s) : k === s)));
const index = lib.loadIndex();
let files = Object.keys(index.files).sort();
if (o.files.length) files = files.filter((f) => o.files.some((s) => f.includes(s)));

const exceptions = lib.loadExceptions();
const used = new Set();
const stats = lib.newStats(keys);
const problems = [];
for (const file of files) {
  const buf = new Uint8Array(readFileSync(join(lib.CORPUS, file)));
  const expected = lib.dropRecords(lib.expectedFor(file), file, exceptions, used);
  const ours = lib.collectOurs(api, buf, keys);
  problems.push(...lib.compareFile(stats, file, expected, ours, exceptions, used));
  if (index.files[file].exit !== 0 && !ours.error) problems.push(`${file}: tshark: "${index.files[file].error}", our reader reported no error`);
}
const failing = [...stats.values()].filter((s) => s.mismatches.length > 0);
const stale = exceptions.filter((e) => !used.has(e) && files.includes(e.file) && (e.key === '(record)' || keys.includes(e.key)));

if (o.json) {
  console.log(JSON.stringify({ files: files.length, problems, stale, keys: [...stats.values()] }, null, 1));
} else {
  console.log(`${files.length} files, ${keys.length} keys, tshark data: ${index.tshark}\n`);
  console.log(lib.summaryTable(stats));
  if (problems.length) {
    console.log(`\nfile problems (${problems.length}):`);
    for (const p of problems.slice(0, 50)) console.log('  ' + p);
  }
  for (const st of failing) {
    console.log(`\n${st.key}: ${st.mismatches.length} mismatches (missing ${st.missing}, extra ${st.extra}, differ ${st.differ})`);
    for (const m of st.mismatches.slice(0, o.max)) console.log(`  ${m.file} #${m.frame}: ours "${m.ours}"  tshark "${m.tshark}"`);
  }
  if (stale.length) {
    console.log(`\nexceptions that no longer match a mismatch (${stale.length}): remove or update them`);
    for (const e of stale.slice(0, 20)) console.log(`  ${e.file} #${e.frame} ${e.key}`);
  }
  const ok = failing.length === 0 && problems.length === 0;
  console.log(`\n${ok ? 'OK' : 'NOT OK'}: ${keys.length - failing.length}/${keys.length} keys agree fully; ${problems.length} file problems`);
}
process.exit(failing.length === 0 && problems.length === 0 ? 0 : 1);
