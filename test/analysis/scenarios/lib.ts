// Real Linux TCP traffic for the tracker scenarios: tcpdump records loopback traffic that the test
// makes itself with node:net (127.0.0.1 only), then our reader + dissector chain + TcpTracker
// analyse the file. Needs root and tcpdump; the tests skip with a printed reason otherwise.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyseFile } from '../../../src/cli/conversations.js';
import { TcpTracker, type TcpAnalysis, type TcpStream } from '../../../src/analysis/tcp/tracker.js';

export const isRoot = process.getuid?.() === 0;
export const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
export const skipReason = !isRoot ? 'not root (tcpdump on lo needs it)' : !hasTcpdump ? 'tcpdump is not installed' : '';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let dir = '';
export function tmpFile(name: string): string {
  if (!dir) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-scen-'));
  return path.join(dir, name);
}
export function cleanup(): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/**
 * Run tcpdump on lo with `filter` (nanosecond stamps, `snaplen` bytes per packet, 0 = all; `bufferKiB`
 * kernel buffer) while `traffic()` runs: tcpdump starts first (we wait for its "listening" line) and
 * stops with SIGINT after a short settle; every wait is bounded. Returns the file and tcpdump's closing
 * lines (packets captured / dropped).
 */
export async function tcpdumpLo(
  name: string,
  filter: string,
  opts: { snaplen: number; bufferKiB?: number },
  traffic: () => Promise<void>,
): Promise<{ file: string; report: string }> {
  const file = tmpFile(name);
  const args = ['-i', 'lo', '-U', '--immediate-mode', '-n', '-s', String(opts.snaplen)];
  if (opts.bufferKiB !== undefined) args.push('-B', String(opts.bufferKiB));
  args.push('--time-stamp-precision=nano', '-w', file, filter);
  const td = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const closed = new Promise<number | null>((r) => td.on('close', (c) => r(c)));
  const killer = setTimeout(() => td.kill('SIGKILL'), 15_000);
  try {
    await Promise.race([
      new Promise<void>((r) => td.stderr!.on('data', (b: Buffer) => {
        err += b.toString();
        if (err.includes('listening')) r();
      })),
      closed.then(() => {
        throw new Error(`tcpdump exited before listening: ${err}`);
      }),
      sleep(8000).then(() => {
        throw new Error(`tcpdump did not start within 8 s: ${err}`);
      }),
    ]);
    await traffic();
    await sleep(300); // let the last packets reach tcpdump's ring
  } finally {
    td.kill('SIGINT');
    await closed;
    clearTimeout(killer);
  }
  if (!/(\d+) packets? captured/.test(err)) throw new Error(`tcpdump did not report: ${err}`);
  return { file, report: err };
}

/**
 * Record `tcp port P` on lo while `traffic()` runs. Snaplen 256 (headers only: tcp.len comes from
 * the IP header, so byte counts stay exact). Returns the file.
 */
export async function record(name: string, port: number, traffic: () => Promise<void>): Promise<string> {
  return (await tcpdumpLo(name, `tcp port ${port}`, { snaplen: 256 }, traffic)).file;
}

export interface Analysed {
  tracker: TcpTracker;
  /** Every analysed TCP packet in capture order. */
  rows: TcpAnalysis[];
  streams: TcpStream[];
}

/** Our reader → Dissection → TcpTracker over a whole file (as `follow`/`conversations` run it). */
export async function analyse(file: string): Promise<Analysed> {
  const tracker = new TcpTracker({ fields: false });
  const rows: TcpAnalysis[] = [];
  tracker.onPacket = (a) => void rows.push(a);
  const res = await analyseFile(file, (p) => void tracker.packet(p));
  if (res.error) throw res.error;
  return { tracker, rows, streams: tracker.streams };
}

export function once<T>(e: NodeJS.EventEmitter, ev: string): Promise<T> {
  return new Promise<T>((r) => e.once(ev, r as (v: T) => void));
}
