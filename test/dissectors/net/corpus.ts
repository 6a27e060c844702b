// Test helper: read a capture from ../shared/corpus with the project's reader and run the
// default registry over it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { walkFields } from '../../../src/dissect/chain.js';
import type { Field } from '../../../src/dissect/types.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

export const CORPUS = CORPUS_DIR;

export function readFrames(name: string): Frame[] {
  const { frames, error } = parseCaptureBuffer(readFileSync(join(CORPUS, name)));
  if (error) throw error;
  return frames;
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
