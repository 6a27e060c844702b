#!/usr/bin/env node
// Benchmark: wiretrace vs tshark on the same captures, in the same run.
// Usage (after `npm run build`, or via `npm run bench`):
//   node scripts/bench.mjs [--quick] [--skip-peers] [--peers-only] [--runs N] [--big-runs N] [--dir DIR]
//     --quick        only the 200k-packet slice (no big file)
//     --skip-peers   do not run tshark; reuse DIR/peer-figures.txt (written by an earlier run)
//     --peers-only   measure tshark only and write DIR/peer-figures.txt
//     --runs N       runs per case on the slice (median; default 3); --big-runs N on big.pcap (default 1)
//     --dir DIR      where the captures are (default $WIRETRACE_BENCH_DIR or /work/perf)
// The captures (big.pcap ~1.7M packets, slice.pcap 200k) are built from real loopback traffic by
// make-traffic.sh (../shared/bench/, or $WIRETRACE_MAKE_TRAFFIC) when DIR has none: needs root and the
// packages its README names. Time and peak RSS come from /usr/bin/time -f '%e %M' (whole process,
// start-up included); without /usr/bin/time, wall time and the peak of /proc/PID/status VmHWM.
// After the table on the slice it times scripts/bench-floor.mjs (a Node process that only reads the
// records and prints raw header fields): the least any JavaScript table can cost here. See docs/benchmarks.md.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/wiretrace.js');
/** The five keys of the -T fields case (same for both programs). */
export const FIELD_KEYS = ['frame.time_epoch', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport'];

const argv = process.argv.slice(2);
const opt = { quick: false, skipPeers: false, peersOnly: false, runs: 3, bigRuns: 1, dir: process.env.WIRETRACE_BENCH_DIR ?? '/work/perf' };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--quick') opt.quick = true;
  else if (a === '--skip-peers') opt.skipPeers = true;
  else if (a === '--peers-only') opt.peersOnly = true;
  else if (a === '--runs') opt.runs = Math.max(1, Number(argv[++i]));
  else if (a === '--big-runs') opt.bigRuns = Math.max(1, Number(argv[++i]));
  else if (a === '--dir') opt.dir = argv[++i];
  else if (a === '-h' || a === '--help') {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split("\n").slice(1, 15).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else {
    console.error(`bench: unknown option ${a} (try --help)`);
    process.exit(2);
  }
}
const DIR = resolve(opt.dir);
const PEERS = join(DIR, 'peer-figures.txt');
const LOAD_START = loadavg()[0];
const log = (s) => process.stderr.write(`[bench ${new Date().toTimeString().slice(0, 8)}] ${s}\n`);

// ---------------------------------------------------------------- captures
function ensureCaptures() {
  if (existsSync(join(DIR, 'slice.pcap')) && (opt.quick || existsSync(join(DIR, 'big.pcap')))) return;
  const script = process.env.WIRETRACE_MAKE_TRAFFIC ?? resolve(REPO, '../shared/bench/make-traffic.sh');
  if (!existsSync(script)) {
    console.error(`bench: no captures in ${DIR} and no ${script} to make them (set WIRETRACE_MAKE_TRAFFIC)`);
    process.exit(2);
  }
  log(`no captures in ${DIR}: running ${script} (needs root; several minutes)`);
  const r = spawnSync('bash', [script, DIR], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OUT: DIR } });
  if (r.status !== 0) {
    console.error(`bench: ${script} failed (exit ${r.status}); see its README for the packages it needs`);
    process.exit(2);
  }
}

function packetCount(file) {
  const cache = join(DIR, 'counts.json');
  const counts = existsSync(cache) ? JSON.parse(readFileSync(cache, 'utf8')) : {};
  if (counts[file]) return counts[file];
  const r = spawnSync('capinfos', ['-c', '-M', '-T', '-r', join(DIR, file)], { encoding: 'utf8' });
  const n = Number((r.stdout ?? '').trim().split('\t')[1]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench: cannot count packets of ${file} with capinfos (${r.stderr ?? r.error})`);
    process.exit(2);
  }
  counts[file] = n;
  writeFileSync(cache, JSON.stringify(counts, null, 1) + '\n');
  return n;
}

// ---------------------------------------------------------------- measuring
const HAVE_TIME = existsSync('/usr/bin/time');

/** Run argv with stdout to /dev/null; resolve { s, rssKB, ok, err }. */
function measureOnce(cmd) {
  return new Promise((res) => {
    const tmp = mkdtempSync(join(tmpdir(), 'wtbench-'));
    const timeFile = join(tmp, 'time');
    const errFile = join(tmp, 'err');
    const devnull = openSync('/dev/null', 'w');
    const errFd = openSync(errFile, 'w');
    const full = HAVE_TIME ? ['/usr/bin/time', '-f', '%e %M', '-o', timeFile, ...cmd] : cmd;
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', devnull, errFd] });
    let hwm = 0;
    const poll = HAVE_TIME
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {}
        }, 50);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(devnull);
      closeSync(errFd);
      let s = wall;
      let rssKB = hwm;
      if (HAVE_TIME && existsSync(timeFile)) {
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const m = /^([\d.]+) (\d+)$/.exec(last);
        if (m) {
          s = Number(m[1]);
          rssKB = Number(m[2]);
        }
      }
      const err = readFileSync(errFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !/^Running as user|^Command exited with non-zero status/.test(l))
        .slice(0, 2)
        .join(' | ');
      rmSync(tmp, { recursive: true, force: true });
      res({ s, rssKB, ok: code === 0, err });
    });
  });
}

async function measure(cmd, runs) {
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const r = await measureOnce(cmd);
    rs.push(r);
    if (!r.ok) break;
  }
  const ok = rs.every((r) => r.ok);
  const times = rs.map((r) => r.s).sort((a, b) => a - b);
  return {
    ok,
    err: rs.find((r) => !r.ok)?.err ?? '',
    s: times[Math.floor((times.length - 1) / 2)],
    rssKB: Math.max(...rs.map((r) => r.rssKB)),
    runs: rs.length,
  };
}

// ---------------------------------------------------------------- cases
const fieldArgs = FIELD_KEYS.flatMap((k) => ['-e', k]);
function cases(file) {
  const p = join(DIR, file);
  return [
    { name: 'one line per packet', ours: ['read', p], peer: ['tshark', '-n', '-r', p], bigToo: true },
    { name: '-T json', ours: ['read', p, '-T', 'json'], peer: ['tshark', '-n', '-r', p, '-T', 'json'], bigToo: false },
    { name: `-T fields (${FIELD_KEYS.length} keys)`, ours: ['read', p, '-T', 'fields', ...fieldArgs], peer: ['tshark', '-n', '-r', p, '-T', 'fields', ...fieldArgs], bigToo: true },
    { name: 'TCP conversations', ours: ['conversations', p, '-z', 'conv,tcp'], peer: ['tshark', '-n', '-r', p, '-q', '-z', 'conv,tcp'], bigToo: true, needs: 'conversations' },
  ];
}

function readPeers() {
  const m = new Map();
  if (!existsSync(PEERS)) return m;
  for (const line of readFileSync(PEERS, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('case\t')) continue;
    const [name, file, packets, runs, s, rssKB, ok] = line.split('\t');
    m.set(`${name}|${file}`, { name, file, packets: Number(packets), runs: Number(runs), s: Number(s), rssKB: Number(rssKB), ok: ok !== 'failed' });
  }
  return m;
}

function writePeers(rows) {
  const ver = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'tshark';
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? '?';
  const lines = [
    `# tshark figures measured by scripts/bench.mjs on ${new Date().toISOString()}`,
    `# ${ver}; ${cpu}; ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores; time = /usr/bin/time %e (whole process), rss = %M (KB)`,
    `# load average (1 min) at start ${LOAD_START.toFixed(1)}, at end ${loadavg()[0].toFixed(1)}: other work on the machine slows every figure alike`,
    'case\tfile\tpackets\truns\tmedian_s\tpeak_rss_kb\tstatus\tcommand',
  ];
  for (const r of rows) lines.push([r.name, r.file, r.packets, r.runs, r.s.toFixed(2), r.rssKB, r.ok ? 'ok' : 'failed', r.cmd.join(' ')].join('\t'));
  writeFileSync(PEERS, lines.join('\n') + '\n');
}

function cliCommands() {
  if (!existsSync(CLI)) return null;
  const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

const fmtS = (s) => (s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2)) + ' s';
const fmtRate = (n, s) => (s <= 0 ? '—' : n / s >= 10000 ? `${Math.round(n / s / 1000)}k` : `${(n / s / 1000).toFixed(1)}k`);
const fmtMB = (kb) => `${Math.round(kb / 1024)} MB`;

// ---------------------------------------------------------------- main
ensureCaptures();
const files = opt.quick ? ['slice.pcap'] : ['slice.pcap', 'big.pcap'];
const counts = Object.fromEntries(files.map((f) => [f, packetCount(f)]));
const help = cliCommands();
if (!help && !opt.peersOnly) log(`${CLI} does not exist yet: run \`npm run build\` (measuring tshark only)`);

const peerOld = readPeers();
/** tcpdump -n -r on the slice, next to the table (null without tcpdump or with --peers-only). */
let tcpdumpRow = null;
const peerNew = [];
const results = [];
for (const file of files) {
  const big = file !== 'slice.pcap';
  const runs = big ? opt.bigRuns : opt.runs;
  for (const c of cases(file)) {
    if (big && !c.bigToo) continue;
    const row = { name: c.name, file, packets: counts[file], ours: null, peer: null };
    if (!opt.peersOnly && help && (!c.needs || new RegExp(`^\\s*${c.needs}\\b`, 'm').test(help))) {
      log(`wiretrace ${c.name} on ${file} (${runs} run${runs > 1 ? 's' : ''})`);
      row.ours = await measure([process.execPath, CLI, ...c.ours], runs);
    }
    if (opt.skipPeers) {
      row.peer = peerOld.get(`${c.name}|${file}`) ?? null;
    } else {
      log(`tshark ${c.name} on ${file} (${runs} run${runs > 1 ? 's' : ''})`);
      const m = await measure(c.peer, runs);
      row.peer = m;
      peerNew.push({ name: c.name, file, packets: counts[file], cmd: c.peer.map((a) => a.replace(DIR + '/', '')), ...m });
    }
    results.push(row);
    if (!big && c.name === 'one line per packet' && !opt.peersOnly) {
      // the yardstick: reading every record and printing raw header fields, no dissection
      // (scripts/bench-floor.mjs); compared with the same tshark figure
      log(`floor (bench-floor.mjs) on ${file} (${runs} run${runs > 1 ? 's' : ''})`);
      const floor = await measure([process.execPath, join(REPO, 'scripts/bench-floor.mjs'), join(DIR, file)], runs);
      results.push({ name: 'floor: read + raw row, no dissection (bench-floor.mjs)', file, packets: counts[file], ours: floor, peer: row.peer });
      if (spawnSync('tcpdump', ['--version']).status === 0) {
        // tcpdump prints a line per packet from the headers alone (no TCP analysis, no reassembly): C's floor
        log(`tcpdump -n -r on ${file} (${runs} run${runs > 1 ? 's' : ''})`);
        tcpdumpRow = { file, packets: counts[file], m: await measure(['tcpdump', '-n', '-r', join(DIR, file)], runs), tshark: row.peer };
      }
    }
  }
}
if (peerNew.length) {
  // keep older figures for cases not measured this time (e.g. big.pcap after --quick)
  const merged = new Map([...peerOld].map(([k, v]) => [k, { ...v, cmd: [] }]));
  for (const r of peerNew) merged.set(`${r.name}|${r.file}`, r);
  writePeers([...merged.values()].map((r) => ({ ...r, cmd: r.cmd ?? [] })));
  log(`wrote ${PEERS}`);
}

// ---------------------------------------------------------------- report
const out = [];
out.push(`Captures: ${files.map((f) => `${f} ${counts[f]} packets`).join(', ')} (${DIR}); median of ${opt.runs} run(s) on the slice, ${opt.bigRuns} on big.pcap; load average ${LOAD_START.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end.`);
out.push('');
out.push('| case | file | wiretrace time | pkt/s | peak RSS | tshark time | pkt/s | peak RSS | speed-up |');
out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const o = r.ours, p = r.peer;
  const oc = !o ? ['—', '—', '—'] : o.ok ? [fmtS(o.s), fmtRate(r.packets, o.s), fmtMB(o.rssKB)] : [`failed: ${o.err.slice(0, 60)}`, '—', '—'];
  const pc = !p ? ['—', '—', '—'] : p.ok ? [fmtS(p.s), fmtRate(r.packets, p.s), fmtMB(p.rssKB)] : ['failed', '—', '—'];
  const sp = o?.ok && p?.ok ? `${(p.s / o.s).toFixed(1)}x` : '—';
  out.push(`| ${r.name} | ${r.file} | ${oc.join(' | ')} | ${pc.join(' | ')} | ${sp} |`);
}
// per-packet cost on the big file vs the slice (does it stay flat as the file grows?)
const perPkt = (who) => {
  const s = results.find((r) => r.file === 'slice.pcap' && r.name === 'one line per packet')?.[who];
  const b = results.find((r) => r.file === 'big.pcap' && r.name === 'one line per packet')?.[who];
  if (!s?.ok || !b?.ok) return null;
  const us = (x, n) => (1e6 * x.s) / n;
  return `${us(s, counts['slice.pcap']).toFixed(1)} µs/pkt on the slice, ${us(b, counts['big.pcap']).toFixed(1)} µs/pkt on big.pcap (peak RSS ${fmtMB(s.rssKB)} → ${fmtMB(b.rssKB)})`;
};
if (!opt.quick) {
  out.push('');
  for (const who of ['ours', 'peer']) {
    const t = perPkt(who);
    if (t) out.push(`- ${who === 'ours' ? 'wiretrace' : 'tshark'}: ${t}`);
  }
}
if (tcpdumpRow?.m.ok) {
  const t = tcpdumpRow.tshark;
  out.push('', `tcpdump -n -r ${tcpdumpRow.file} (headers only, no TCP analysis or reassembly), same run: ${fmtS(tcpdumpRow.m.s)} (${fmtRate(tcpdumpRow.packets, tcpdumpRow.m.s)} pkt/s)` +
    (t?.ok ? `, ${(t.s / tcpdumpRow.m.s).toFixed(1)}x tshark's table` : ''));
}
if (opt.skipPeers) out.push('', `tshark figures from ${PEERS} (not re-measured: the speed-up compares runs made at different times and loads).`);
console.log(out.join('\n'));
