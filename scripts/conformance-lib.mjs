// Shared by scripts/conformance-update.mjs, scripts/conformance-report.mjs, scripts/filter-expected.mjs
// and the tests that read their output:
// where the corpus and the expected data live, how the TSVs are read, how our values are collected
// and how the two are compared. Plain JS with no imports from the project, so it works both against
// the TypeScript sources (vitest) and against dist/ (the report script): the caller passes our API in.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = process.env.WIRETRACE_CORPUS ?? resolve(REPO, '../shared/corpus');
export const FIXTURES = join(REPO, 'fixtures/conformance');

/** Sorted frame numbers as ranges, "1-3,7,9-10" (fixtures/display-filter/expected.json). */
export function frameRanges(nums) {
  const out = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(j > i ? `${nums[i]}-${nums[j]}` : `${nums[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

/**
 * Keys that tshark moves to the frame completing a TCP reassembly (its default
 * tcp.desegment_tcp_streams:TRUE) while our chain dissects them per segment. They are compared with
 * the second tshark run, `-o tcp.desegment_tcp_streams:FALSE`, stored as <file>.seg.tsv.
 * See fixtures/conformance/README.md.
 */
export const PER_SEGMENT_PREFIXES = ['dns.', 'http.'];
export const SEG_PREFS = ['tcp.desegment_tcp_streams:FALSE'];

export function isPerSegmentKey(key) {
  return PER_SEGMENT_PREFIXES.some((p) => key.startsWith(p));
}

/** keys.json: { group: [keys…] }. Returns the groups and every key once, in first-seen order. */
export function loadKeys() {
  const groups = JSON.parse(readFileSync(join(FIXTURES, 'keys.json'), 'utf8'));
  const all = [];
  const seen = new Set();
  for (const [g, keys] of Object.entries(groups)) {
    if (!Array.isArray(keys)) throw new Error(`keys.json: group ${g} is not an array`);
    for (const k of keys) if (!seen.has(k)) (seen.add(k), all.push(k));
  }
  return { groups, all };
}

/** index.json written by conformance-update.mjs: { files: { name: { packets, exit, error } }, … }. */
export function loadIndex() {
  return JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8'));
}

export function loadExceptions() {
  const p = join(FIXTURES, 'exceptions.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : [];
}

/** A tshark -T fields TSV with a header line: { header: string[], rows: string[][] } (rows keyed by column). */
export function readTsv(path) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const header = lines.length ? lines[0].split('\t') : [];
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split('\t');
    while (cells.length < header.length) cells.push('');
    rows.push(cells);
  }
  return { header, rows };
}

/**
 * tshark's expected values for one corpus file: key → array (per packet) of cell text, taking each
 * per-segment key from the .seg.tsv when there is one.
 */
export function expectedFor(file) {
  const main = readTsv(join(FIXTURES, file + '.tsv'));
  const segPath = join(FIXTURES, file + '.seg.tsv');
  const seg = existsSync(segPath) ? readTsv(segPath) : null;
  const cols = new Map();
  main.header.forEach((k, i) => cols.set(k, main.rows.map((r) => r[i])));
  if (seg) {
    seg.header.forEach((k, i) => {
      if (isPerSegmentKey(k)) cols.set(k, seg.rows.map((r) => r[i]));
    });
  }
  return { packets: main.rows.length, cols };
}

/**
 * Drop the tshark rows that exceptions.json marks as records that are not packets (key "(record)",
 * e.g. a pcapng Custom Block, which tshark 4.0 shows as a frame of its own), so that the remaining
 * rows line up with our frames.
 */
export function dropRecords(expected, file, exceptions, usedExceptions) {
  const drop = new Set();
  for (const ex of exceptions) {
    if (ex.file === file && ex.key === '(record)') {
      drop.add(ex.frame - 1);
      usedExceptions?.add(ex);
    }
  }
  if (drop.size === 0) return expected;
  const cols = new Map();
  for (const [k, v] of expected.cols) cols.set(k, v.filter((_, i) => !drop.has(i)));
  return { packets: expected.packets - [...drop].filter((i) => i < expected.packets).length, cols, dropped: drop };
}

/**
 * Read a capture with our reader, whatever shape parseCaptureBuffer returns (an array, an iterable
 * that throws CaptureFileError after the last good frame, or { frames, error }).
 */
export function readFrames(parseCaptureBuffer, buf) {
  const frames = [];
  let error = null;
  try {
    const r = parseCaptureBuffer(buf);
    if (Array.isArray(r)) frames.push(...r);
    else if (r && Array.isArray(r.frames)) {
      frames.push(...r.frames);
      error = r.error ?? null;
    } else if (r && r.frames && typeof r.frames[Symbol.iterator] === 'function') {
      for (const f of r.frames) frames.push(f);
      error = r.error ?? null;
    } else if (r && typeof r[Symbol.iterator] === 'function') {
      for (const f of r) frames.push(f);
    } else {
      error = new Error('parseCaptureBuffer returned nothing usable');
    }
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

/**
 * Our values, per key and packet: Field.show of every field with that key, in tree order
 * (walkFields), joined by ',' like tshark's -E occurrence=a -E aggregator=,.
 */
export function collectOurs(api, buf, keys) {
  const { frames, error } = readFrames(api.parseCaptureBuffer, buf);
  const want = new Set(keys);
  const cols = new Map(keys.map((k) => [k, []]));
  const dissection = new api.Dissection(api.defaultRegistry());
  const crashes = [];
  for (let i = 0; i < frames.length; i++) {
    const acc = new Map();
    try {
      const pkt = dissection.dissect(frames[i]);
      api.walkFields(pkt.layers, (f) => {
        if (!want.has(f.key)) return;
        const a = acc.get(f.key);
        if (a) a.push(f.show);
        else acc.set(f.key, [f.show]);
      });
    } catch (e) {
      crashes.push({ frame: i + 1, message: String(e && e.stack ? e.stack : e) });
    }
    for (const k of keys) cols.get(k).push(acc.has(k) ? acc.get(k).join(',') : '');
  }
  return { packets: frames.length, error, cols, crashes };
}

function exceptionMatches(ex, file, frame, key, ours, theirs) {
  return (
    ex.file === file && ex.frame === frame && ex.key === key &&
    (ex.ours === '*' || ex.ours === ours) && (ex.tshark === '*' || ex.tshark === theirs)
  );
}

/** Per-key statistics, cumulated over files by `addFile`. */
export function newStats(keys) {
  const s = new Map();
  for (const k of keys) {
    s.set(k, { key: k, tshark: 0, cells: 0, agree: 0, missing: 0, extra: 0, differ: 0, excepted: 0, mismatches: [] });
  }
  return s;
}

/**
 * Compare one file cell by cell. A cell counts when tshark or we have a value; it agrees when the
 * two texts are equal. Mismatches listed in exceptions.json (same file, frame, key and values) are
 * counted as `excepted`, not as failures. Returns the file-level problems (packet count, crashes).
 */
export function compareFile(stats, file, expected, ours, exceptions, usedExceptions) {
  const problems = [];
  if (expected.packets !== ours.packets) {
    problems.push(`${file}: ${ours.packets} packets read, tshark read ${expected.packets}` +
      (ours.error ? ` (our reader: ${ours.error.message ?? ours.error})` : ''));
  }
  for (const c of ours.crashes) problems.push(`${file}: frame ${c.frame}: exception ${c.message}`);
  const n = Math.min(expected.packets, ours.packets);
  for (const [key, st] of stats) {
    const exp = expected.cols.get(key);
    if (!exp) continue; // key not in this fixture (generated before the key was added): regenerate
    const got = ours.cols.get(key);
    for (let i = 0; i < n; i++) {
      const t = exp[i] ?? '';
      const o = got[i] ?? '';
      if (t !== '') st.tshark++;
      if (t === '' && o === '') continue;
      st.cells++;
      if (t === o) {
        st.agree++;
        continue;
      }
      const frame = i + 1;
      const ex = exceptions.find((e) => exceptionMatches(e, file, frame, key, o, t));
      if (ex) {
        st.excepted++;
        usedExceptions?.add(ex);
        continue;
      }
      if (o === '') st.missing++;
      else if (t === '') st.extra++;
      else st.differ++;
      st.mismatches.push({ file, frame, key, ours: o, tshark: t });
    }
  }
  return problems;
}

export function pct(st) {
  const denom = st.cells - st.excepted;
  return denom <= 0 ? 100 : (100 * st.agree) / denom;
}

/** A markdown table of the per-key agreement. */
export function summaryTable(stats) {
  const lines = ['| key | agree | cells | tshark has | missing | extra | differ | excepted | % |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const st of stats.values()) {
    lines.push(`| ${st.key} | ${st.agree} | ${st.cells} | ${st.tshark} | ${st.missing} | ${st.extra} | ${st.differ} | ${st.excepted} | ${pct(st).toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** Files that have expected data (everything in index.json). */
export function fixtureFiles() {
  return Object.keys(loadIndex().files).sort();
}
