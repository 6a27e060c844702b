// Run the CLI as a child process for the live tests (needs `npm run build` first: dist/).

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CLI = path.resolve('dist/bin/wiretrace.js');
export const hasDist = fs.existsSync(CLI);

export interface Run {
  child: ChildProcess;
  stdout: () => Buffer;
  stderr: () => string;
  /** Resolves once the capture says "capturing on" (the device is open and the filter set). */
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; prefix?: string[]; timeoutMs?: number } = {}): Run {
  const cmd = opts.prefix ? opts.prefix[0] : process.execPath;
  const argv = opts.prefix ? [...opts.prefix.slice(1), process.execPath, CLI, ...args] : [CLI, ...args];
  const child = spawn(cmd, argv, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    if (err.includes('capturing on')) readyResolve();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      readyResolve();
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => Buffer.concat(out), stderr: () => err, ready, exit };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
