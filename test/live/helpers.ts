// Test helpers for the live capture and writer tests: a minimal independent pcap/pcapng reader
// (so writer tests do not depend only on our own reader), tshark wrappers, and environment probes.

import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MiniFrame {
  ifId: number;
  ts: bigint;
  data: Buffer;
  origLen: number;
  linkType: number;
  comments: string[];
  flags?: number;
}

export interface MiniCapture {
  format: 'pcap' | 'pcap-ns' | 'pcapng';
  linkTypes: number[];
  snaplens: number[];
  ifOptions: Map<number, string | Uint8Array>[];
  shbOptions: Map<number, string>;
  frames: MiniFrame[];
}

/** Little-endian only (what our writer produces); throws on anything unexpected. */
export function miniRead(b: Buffer): MiniCapture {
  const magic = b.readUInt32LE(0);
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) {
    const ns = magic === 0xa1b23c4d;
    const linkType = b.readUInt32LE(20);
    const frames: MiniFrame[] = [];
    let off = 24;
    for (let n = 0; off < b.length && n < 1e6; n++) {
      if (off + 16 > b.length) throw new Error(`partial record header at ${off}`);
      const sec = BigInt(b.readUInt32LE(off));
      const sub = BigInt(b.readUInt32LE(off + 4));
      const cap = b.readUInt32LE(off + 8);
      const orig = b.readUInt32LE(off + 12);
      if (off + 16 + cap > b.length) throw new Error(`partial record at ${off}`);
      frames.push({
        ifId: 0, ts: sec * 1_000_000_000n + (ns ? sub : sub * 1000n), data: b.subarray(off + 16, off + 16 + cap),
        origLen: orig, linkType, comments: [],
      });
      off += 16 + cap;
    }
    return { format: ns ? 'pcap-ns' : 'pcap', linkTypes: [linkType], snaplens: [b.readUInt32LE(16)], ifOptions: [], shbOptions: new Map(), frames };
  }
  if (magic !== 0x0a0d0d0a) throw new Error('not pcap/pcapng');
  const out: MiniCapture = { format: 'pcapng', linkTypes: [], snaplens: [], ifOptions: [], shbOptions: new Map(), frames: [] };
  let off = 0;
  const opts = (s: number, e: number) => {
    const m: [number, Buffer][] = [];
    while (s + 4 <= e) {
      const code = b.readUInt16LE(s);
      const len = b.readUInt16LE(s + 2);
      if (code === 0) break;
      m.push([code, b.subarray(s + 4, s + 4 + len)]);
      s += 4 + ((len + 3) & ~3);
    }
    return m;
  };
  for (let n = 0; off < b.length && n < 1e6; n++) {
    const type = b.readUInt32LE(off);
    const len = b.readUInt32LE(off + 4);
    if (len % 4 !== 0 || off + len > b.length || b.readUInt32LE(off + len - 4) !== len) throw new Error(`bad block at ${off}`);
    const body = off + 8;
    if (type === 0x0a0d0d0a) {
      for (const [c, v] of opts(body + 16, off + len - 4)) out.shbOptions.set(c, v.toString('utf8'));
    } else if (type === 1) {
      out.linkTypes.push(b.readUInt16LE(body));
      out.snaplens.push(b.readUInt32LE(body + 4));
      const m = new Map<number, string | Uint8Array>();
      for (const [c, v] of opts(body + 8, off + len - 4)) m.set(c, c === 9 ? Uint8Array.from(v) : v.toString('utf8'));
      out.ifOptions.push(m);
    } else if (type === 6) {
      const ifId = b.readUInt32LE(body);
      const ts = (BigInt(b.readUInt32LE(body + 4)) << 32n) | BigInt(b.readUInt32LE(body + 8));
      const cap = b.readUInt32LE(body + 12);
      const orig = b.readUInt32LE(body + 16);
      const f: MiniFrame = { ifId, ts, data: b.subarray(body + 20, body + 20 + cap), origLen: orig, linkType: out.linkTypes[ifId], comments: [] };
      for (const [c, v] of opts(body + 20 + ((cap + 3) & ~3), off + len - 4)) {
        if (c === 1) f.comments.push(v.toString('utf8'));
        if (c === 2) f.flags = v.readUInt32LE(0);
      }
      out.frames.push(f);
    }
    off += len;
  }
  return out;
}

export const hasTshark = fs.existsSync('/usr/bin/tshark') || spawnSync('tshark', ['-v']).status === 0;
export const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
export const isRoot = process.getuid?.() === 0;

export function capBuilt(): boolean {
  try {
    const req = createRequire(path.resolve('package.json'));
    req('cap');
    return true;
  } catch {
    return false;
  }
}

/** tshark -T fields rows for a file. */
export function tsharkFields(file: string, keys: string[]): string[][] {
  const args = ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t'];
  for (const k of keys) args.push('-e', k);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** Every frame's bytes as tshark's -x hex dump shows them (first data source only). */
export function tsharkBytes(file: string): Buffer[] {
  const out = execFileSync('tshark', ['-n', '-r', file, '-x'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
  const frames: Buffer[] = [];
  for (const chunk of out.split(/\n\n+/)) {
    const hex: string[] = [];
    for (const line of chunk.split('\n')) {
      const m = /^[0-9a-f]{4,}  ((?:[0-9a-f]{2} ?)+)/.exec(line);
      if (m) hex.push(...m[1].trim().split(/\s+/));
    }
    if (hex.length) frames.push(Buffer.from(hex.join(''), 'hex'));
  }
  return frames;
}
