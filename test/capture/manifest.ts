// The corpus manifest (../shared/corpus/MANIFEST.tsv), shared by the capture tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../helpers/corpus.js';

export const CORPUS = CORPUS_DIR;

interface Row {
  file: string;
  format: string;
  packets: number;
  beforeError: boolean;
}

export function manifest(): Row[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  const fi = head.indexOf('file');
  const fo = head.indexOf('format');
  const pk = head.indexOf('packets');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { file: c[fi], format: c[fo], packets: parseInt(c[pk], 10), beforeError: c[pk].includes('read before error') };
  });
}

