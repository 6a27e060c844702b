#!/usr/bin/env node
// Regenerate fixtures/conformance/ from tshark: for every capture in the corpus (../shared/corpus or
// $WIRETRACE_CORPUS), run
//   tshark -n -r FILE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, -e K1 -e K2 …
// with every key of fixtures/conformance/keys.json, with tshark's DEFAULT preferences (what users
// see), and write <file>.tsv. For files with TCP, a second run with -o tcp.desegment_tcp_streams:FALSE
// keeps only the per-segment application keys (dns.*, http.*) in <file>.seg.tsv. index.json records
// the packet count, tshark's exit status and error line per file, and the tshark version.
// Usage: npm run conformance:update   (or node scripts/conformance-update.mjs [--tshark PATH] [FILE…])

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, FIXTURES, SEG_PREFS, isPerSegmentKey, loadKeys } from './conformance-lib.mjs';

const args = process.argv.slice(2);
let tshark = process.env.TSHARK ?? 'tshark';
const only = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tshark') tshark = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: node scripts/conformance-update.mjs [--tshark PATH] [CORPUS-FILE…]');
    process.exit(0);
  } else only.push(args[i]);
}

const ver = spawnSync(tshark, ['--version'], { encoding: 'utf8' });
if (ver.status !== 0) {
  console.error(`conformance-update: cannot run ${tshark} (${ver.error?.message ?? ver.stderr}); install tshark (apt-get install tshark)`);
  process.exit(2);
}
const version = ver.stdout.split('\n')[0].trim();

// The MANIFEST says which files are not captures at all; skip those.
const manifest = new Map();
for (const line of readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1)) {
  const c = line.split('\t');
  if (c.length > 3) manifest.set(c[0], { format: c[1], packets: Number(c[3]) });
}

// Every key must be one tshark knows (a typo would give an empty column forever).
const known = new Set(
  spawnSync(tshark, ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.split('\n').map((l) => l.split('\t')[2]),
);
const { all: keys } = loadKeys();
const unknown = keys.filter((k) => !known.has(k));
if (unknown.length) {
  console.error(`conformance-update: tshark does not know these keys: ${unknown.join(', ')} (fix keys.json)`);
  process.exit(2);
}
const segKeys = keys.filter(isPerSegmentKey);

function run(file, prefs, ks) {
  const argv = ['-n', '-r', join(CORPUS, file)];
  for (const p of prefs) argv.push('-o', p);
  argv.push('-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,');
  for (const k of ks) argv.push('-e', k);
  const r = spawnSync(tshark, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const err = (r.stderr ?? '')
    .split('\n')
    .filter((l) => l.trim() && !/^Running as user/.test(l))
    .join(' ')
    .split(join(CORPUS, file)).join('FILE')
    .trim();
  return { out: r.stdout ?? '', exit: r.status, error: err || null };
}

const files = readdirSync(CORPUS)
  .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
  .filter((f) => manifest.get(f)?.format !== 'not-a-capture')
  .filter((f) => only.length === 0 || only.includes(f))
  .sort();

const indexPath = join(FIXTURES, 'index.json');
const index = only.length && existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : { files: {} };
index.tshark = version;
index.generated = new Date().toISOString().slice(0, 10);
index.command = 'tshark -n -r FILE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, -e KEY…';
index.segCommand = `same, with ${SEG_PREFS.map((p) => '-o ' + p).join(' ')}, keys ${segKeys.length ? 'dns.*/http.*' : '(none)'} only`;

let n = 0;
for (const file of files) {
  const main = run(file, [], keys);
  writeFileSync(join(FIXTURES, file + '.tsv'), main.out);
  const packets = Math.max(0, main.out.split('\n').filter((l) => l !== '').length - 1);
  const segPath = join(FIXTURES, file + '.seg.tsv');
  // Only files with TCP can differ between the two runs.
  const hasTcp = packets > 0 && main.out.split('\n')[0].split('\t').includes('tcp.srcport')
    ? (() => {
        const col = main.out.split('\n')[0].split('\t').indexOf('tcp.srcport');
        return main.out.split('\n').slice(1).some((l) => (l.split('\t')[col] ?? '') !== '');
      })()
    : spawnSync(tshark, ['-n', '-r', join(CORPUS, file), '-Y', 'tcp'], { encoding: 'utf8' }).stdout.trim() !== '';
  let seg = false;
  if (hasTcp && segKeys.length) {
    const s = run(file, SEG_PREFS, ['frame.number', ...segKeys]);
    writeFileSync(segPath, s.out);
    seg = true;
  } else if (existsSync(segPath)) unlinkSync(segPath);
  index.files[file] = { packets, exit: main.exit, error: main.error, seg };
  const m = manifest.get(file);
  if (m && m.packets !== packets) console.warn(`note: ${file}: tshark read ${packets} packets, MANIFEST says ${m.packets}`);
  n++;
}
const sorted = {};
for (const k of Object.keys(index.files).sort()) sorted[k] = index.files[k];
index.files = sorted;
writeFileSync(indexPath, JSON.stringify(index, null, 1) + '\n');
console.log(`conformance-update: ${n} files, ${keys.length} keys, ${version}; wrote ${FIXTURES}`);
