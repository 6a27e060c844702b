// Helpers for the live HTTP/DNS tests: a full-snaplen tcpdump on lo around traffic the test makes,
// the built CLI as a child process, tshark as the reference, and a hand-built DNS message codec.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDist } from '../../helpers/build.js';
import { tcpdumpLo } from '../scenarios/lib.js';

export const ROOT = path.join(import.meta.dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'bin', 'wiretrace.js');
export const hasTshark = spawnSync('tshark', ['--version']).status === 0;

/** Record `filter` on lo at full snaplen (bodies are checked) with a 16 MiB kernel buffer while `traffic()` runs. */
export function recordLo(name: string, filter: string, traffic: () => Promise<void>): Promise<{ file: string; report: string }> {
  return tcpdumpLo(name, filter, { snaplen: 0, bufferKiB: 16384 }, traffic);
}

/** Build dist/ (as npm run build does) when it is missing, only tsc'd, or older than the sources. */
export function ensureBuilt(): void {
  if (ensureDist()) console.log('[app-live] dist/ was not current: built it (tsc, then the bundle)');
  if (!fs.existsSync(CLI)) throw new Error('the build produced no dist/bin/wiretrace.js');
}

/** `node dist/bin/wiretrace.js ...args`: stdout (throws on a non-zero exit or a timeout). */
export function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 20_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`wiretrace ${args.join(' ')} exited ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
  return r.stdout.toString();
}

/** tshark -n -r FILE [extra] -T fields -e ... : one array of columns per packet. */
export function tsharkFields(file: string, extra: string[], keys: string[]): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, ...extra, '-T', 'fields', ...keys.flatMap((k) => ['-e', k])], { timeout: 20_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark exited ${r.status}: ${r.stderr}`);
  return r.stdout.toString().split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** Our `read FILE -T fields -e ...`, same shape as tsharkFields. */
export function ourFields(file: string, extra: string[], keys: string[]): string[][] {
  return cli('read', file, ...extra, '-T', 'fields', ...keys.flatMap((k) => ['-e', k]))
    .split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// ---- DNS messages by hand (RFC 1035) ---------------------------------------------------------

export function qname(name: string): Buffer {
  const parts = name.split('.').filter((s) => s !== '');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function dnsQuery(id: number, name: string, type: number): Buffer {
  return Buffer.concat([u16(id), u16(0x0100), u16(1), u16(0), u16(0), u16(0), qname(name), u16(type), u16(1)]);
}

export interface ParsedQuery { id: number; name: string; type: number; question: Buffer }

export function parseQuery(b: Buffer): ParsedQuery {
  let o = 12;
  const labels: string[] = [];
  for (let guard = 0; guard < 128 && o < b.length && b[o] !== 0; guard++) {
    labels.push(b.subarray(o + 1, o + 1 + b[o]).toString('ascii'));
    o += 1 + b[o];
  }
  o += 1;
  return { id: b.readUInt16BE(0), name: labels.join('.'), type: b.readUInt16BE(o), question: b.subarray(12, o + 4) };
}

/** A response: the question echoed, then `rdatas` as answers of `type` (name = pointer to the question). */
export function dnsResponse(q: ParsedQuery, rcode: number, type: number, rdatas: Buffer[]): Buffer {
  const answers = rdatas.map((rd) => Buffer.concat([u16(0xc00c), u16(type), u16(1), Buffer.from([0, 0, 0, 60]), u16(rd.length), rd]));
  return Buffer.concat([u16(q.id), u16(0x8180 | rcode), u16(1), u16(rdatas.length), u16(0), u16(0), q.question, ...answers]);
}

export const txt = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'ascii')]);
