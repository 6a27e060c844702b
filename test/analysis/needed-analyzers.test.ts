// Which analyzers a run starts (src/pipeline.ts analyzersFor): the packet table without a display
// filter skips those that change no column (frame times, frame.protocols); every other output, and
// the table with a filter, runs what it may read.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { createSink, defaultSinkOptions } from '../../src/output/sink.js';
import { analyzersFor } from '../../src/pipeline.js';

const names = (list: readonly { name?: string }[]) => list.map((a) => a.name ?? '?');

describe('analyzersFor', () => {
  const all = defaultAnalyzers(defaultRegistry());
  const allNames = names(all);
  const sink = (format: 'table' | 'json' | 'tree') => createSink({ ...defaultSinkOptions(), format }, new PassThrough());
  const filter = { names: ['frame.protocols'], test: () => true };

  it('the table without a filter runs the analyzers that change its columns only', () => {
    expect(allNames).toContain('frame times');
    expect(allNames).toContain('frame protocols');
    const used = names(analyzersFor(all, sink('table'), null));
    expect(used).toEqual(allNames.filter((n) => n !== 'frame times' && n !== 'frame protocols'));
    expect(used.length).toBe(all.length - 2);
  });

  it('the table with a filter, JSON and the tree run them all', () => {
    expect(names(analyzersFor(all, sink('table'), filter))).toEqual(allNames);
    expect(names(analyzersFor(all, sink('json'), null))).toEqual(allNames);
    expect(names(analyzersFor(all, sink('tree'), null))).toEqual(allNames);
  });

  it('-T fields runs the prefix up to the last analyzer that may affect a key', () => {
    expect(names(analyzersFor(all, { fieldKeys: ['ip.src', 'frame.time_delta'] }, null))).toEqual(['frame times']);
    expect(names(analyzersFor(all, { fieldKeys: ['ip.src'] }, null))).toEqual([]);
    expect(names(analyzersFor(all, { fieldKeys: ['frame.protocols'] }, null))).toEqual(allNames);
  });
});
