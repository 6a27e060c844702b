// Host receive timestamps vs the kernel's: run tcpdump beside `wiretrace capture` on the same
// datagrams, match them by payload, and report the median and p99 of (ours − kernel).
// Also: every packet tcpdump saw reached our file (none lost in JavaScript).

import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { capBuilt, hasTcpdump, isRoot, miniRead } from './helpers.js';
import { hasDist, runCli, sleep } from './run.js';

const skipReason = !isRoot ? 'not root' : !capBuilt() ? 'cap is not built' : !hasDist ? 'dist/ missing: run npm run build' : !hasTcpdump ? 'tcpdump not installed' : '';
if (skipReason) console.warn(`test/live/timestamps.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== '')('host timestamps against tcpdump', () => {
  it('same packets, small offset (median and p99 reported)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-ts-'));
    fs.chmodSync(dir, 0o777);
    const rx = dgram.createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
    const port = rx.address().port;
    const kfile = path.join(dir, 'kernel.pcap');
    const ofile = path.join(dir, 'ours.pcapng');
    const td = spawn('tcpdump', ['-i', 'lo', '-n', '-U', '-c', '300', '--time-stamp-precision=nano', '-w', kfile, `udp port ${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tdErr = '';
    const tdReady = new Promise<void>((r) => td.stderr.on('data', (b: Buffer) => { tdErr += b; if (tdErr.includes('listening on')) r(); }));
    let tdEnd = '';
    const tdExit = new Promise<void>((r) => td.on('close', (c, sig) => { tdEnd = `tcpdump exit ${c} ${sig}`; r(); }));
    const killer = setTimeout(() => td.kill('SIGKILL'), 40_000);
    const run = runCli(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-q', '-w', ofile]);
    try {
      // both listening before the first datagram (a loaded machine, e.g. the whole suite in parallel, can take seconds)
      const ready = await Promise.race([Promise.all([tdReady, run.ready]).then(() => true), sleep(20_000).then(() => false)]);
      expect(ready, `tcpdump and wiretrace capture listening within 20 s (tcpdump: ${tdErr})`).toBe(true);
      await sleep(200);
      const tx = dgram.createSocket('udp4');
      const N = 300;
      for (let i = 0; i < N; i++) {
        await new Promise<void>((r) => tx.send(Buffer.from(`ts-probe-${i}`), port, '127.0.0.1', () => r()));
        if (i % 10 === 9) await sleep(2);
      }
      tx.close();
      await sleep(300);
      await Promise.race([tdExit, sleep(5000)]); // tcpdump stops by itself after -c 300
      td.kill('SIGINT');
      run.child.kill('SIGINT');
      await Promise.all([tdExit, run.exit]);

      const payload = (d: Buffer) => d.subarray(42).toString();
      const ours = miniRead(fs.readFileSync(ofile)).frames;
      const kernel = new Map(miniRead(fs.readFileSync(kfile)).frames.map((f) => [payload(f.data), f.ts]));
      expect(kernel.size, `ours ${ours.length}; ${tdEnd}: ${tdErr}`).toBe(N);
      expect(ours.length).toBe(N); // every packet reached our file
      const diffs = ours.map((f) => Number(f.ts - kernel.get(payload(f.data))!) / 1000).sort((a, b) => a - b);
      const q = (p: number) => diffs[Math.min(diffs.length - 1, Math.floor(p * diffs.length))];
      const med = q(0.5);
      const p99 = q(0.99);
      console.log(`host − kernel timestamp over ${diffs.length} packets: median ${med.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs, min ${diffs[0].toFixed(1)} µs, max ${diffs[diffs.length - 1].toFixed(1)} µs`);
      // The host time comes after the kernel's (allow the wall-clock anchor's µs error) and stays close.
      expect(diffs[0]).toBeGreaterThan(-1000);
      expect(med).toBeLessThan(50_000);
    } finally {
      clearTimeout(killer);
      rx.close();
      if (td.exitCode === null) td.kill('SIGKILL');
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
