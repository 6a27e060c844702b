// Test helper: read a capture from ../shared/corpus (classic pcap or pcapng, minimal) and run
// the default registry over it. Kept small and local so these tests don't depend on the
// capture readers being written in parallel.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { walkFields } from '../../../src/dissect/chain.js';
import type { Field } from '../../../src/dissect/types.js';
import { defaultRegistry } from '../../../dissectors/index.js';

export const CORPUS = [fileURLToPath(new URL('../../../../shared/corpus', import.meta.url)), '/work/shared/corpus'].find((p) => existsSync(p)) ?? '';

export function readFrames(name: string): Frame[] {
  const b = readFileSync(join(CORPUS, name));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Frame[] = [];
  const magic = dv.getUint32(0, true);
  if (magic === 0x0a0d0d0a) {
    let le = true;
    const links: number[] = [];
    let off = 0;
    for (let n = 0; off + 12 <= b.length && n < 100000; n++) {
      let type = dv.getUint32(off, le);
      if (type === 0x0a0d0d0a) {
        le = dv.getUint32(off + 8, true) === 0x1a2b3c4d;
        type = 0x0a0d0d0a;
      }
      const len = dv.getUint32(off + 4, le);
      if (type === 1) links.push(dv.getUint16(off + 8, le));
      else if (type === 6) {
        const ifi = dv.getUint32(off + 8, le);
        const cap = dv.getUint32(off + 20, le);
        const orig = dv.getUint32(off + 24, le);
        out.push({ index: out.length + 1, ts: 0n, tsPrecision: 6, linkType: links[ifi] ?? 1, ifIndex: ifi,
          data: new Uint8Array(b.subarray(off + 28, off + 28 + cap)), origLen: orig });
      } else if (type === 3) {
        const orig = dv.getUint32(off + 8, le);
        const cap = Math.min(orig, len - 16);
        out.push({ index: out.length + 1, ts: 0n, tsPrecision: 6, linkType: links[0] ?? 1, ifIndex: 0,
          data: new Uint8Array(b.subarray(off + 12, off + 12 + cap)), origLen: orig });
      }
      if (len < 12) break;
      off += len;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xa1b2cd34;
  const link = dv.getUint32(20, le);
  const rec = magic === 0xa1b2cd34 || magic === 0x34cdb2a1 ? 24 : 16;
  let off = 24;
  for (let n = 0; off + 16 <= b.length && n < 100000; n++) {
    const sec = dv.getUint32(off, le);
    const cap = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    out.push({ index: out.length + 1, ts: BigInt(sec) * 1_000_000_000n, tsPrecision: 6, linkType: link, ifIndex: 0,
      data: new Uint8Array(b.subarray(off + rec, off + rec + cap)), origLen: orig });
    off += rec + cap;
  }
  return out;
}

export function dissectFile(name: string): Packet[] {
  const dis = new Dissection(defaultRegistry());
  return readFrames(name).map((f) => dis.dissect(f));
}

/** Values of `key` in tree order, joined with ',' like tshark -T fields. */
export function fieldShow(p: Packet, key: string): string {
  const vals: string[] = [];
  walkFields(p.layers, (f: Field) => {
    if (f.key === key) vals.push(f.show);
  });
  return vals.join(',');
}

export function findField(p: Packet, key: string): Field | undefined {
  let hit: Field | undefined;
  walkFields(p.layers, (f: Field) => {
    if (!hit && f.key === key) hit = f;
  });
  return hit;
}

/** Info column: the last layer whose info() is non-null. */
export function info(p: Packet): string {
  for (let i = p.layers.length - 1; i >= 0; i--) {
    const l = p.layers[i];
    const s = l.dis.info?.(l, p.layers);
    if (s != null) return s;
  }
  return '';
}
