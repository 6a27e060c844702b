// frame.time_relative / frame.time_delta (src/analysis/frame-times.ts): values as tshark 4.0.17 prints
// them (-T fields), in the tree, in display filters, and for frames without a timestamp.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('frame.time_relative and frame.time_delta', () => {
  it('equal tshark -T fields on the demo capture (frames 1-3, 50-53)', () => {
    const out = run(['read', '-T', 'fields', '-e', 'frame.time_relative', '-e', 'frame.time_delta', DEMO]).stdout.split('\n');
    expect(out.slice(0, 3)).toEqual(['0.000000000\t0.000000000', '0.001074843\t0.001074843', '0.002043113\t0.000968270']);
    expect(out.slice(49, 53)).toEqual(['0.288655300\t0.000043994', '0.391357331\t0.102702031', '0.391369555\t0.000012224', '0.684135699\t0.292766144']);
  });

  it('a frame without a timestamp (pcapng SPB) has neither, and counts as time 0 for the frames after it', () => {
    const out = run(['read', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_relative', '-e', 'frame.time_delta', join(CORPUS_DIR, 'pcapng-gen-nrb-spb-epb-le.pcapng')]).stdout;
    // tshark 4.0.17
    expect(out).toBe('1\t\t\n2\t1340954905.298858000\t1340954905.298858000\n3\t\t\n4\t1340954905.300858000\t1340954905.300858000\n');
  });

  it('show in the tree as generated fields and work in display filters', () => {
    expect(run(['read', '-V', '-c', '2', DEMO]).stdout).toContain(
      '    [Time delta from previous captured frame: 0.001074843 seconds]\n    [Time since reference or first frame: 0.001074843 seconds]\n',
    );
    // tshark -Y 'frame.time_relative > 0.39 && frame.time_delta < 0.001': 52 54 56
    expect(run(['read', '-Y', 'frame.time_relative > 0.39 && frame.time_delta < 0.001', '-T', 'fields', '-e', 'frame.number', DEMO]).stdout).toBe('52\n54\n56\n');
    // numbers, not text: 0.68… < 10 (tshark: 1-56); epoch times (tshark: 1-6)
    expect(run(['read', '-Y', 'frame.time_relative < 10', '-T', 'fields', '-e', 'frame.number', DEMO]).stdout.split('\n')).toHaveLength(57);
    expect(run(['read', '-Y', 'frame.time_epoch > 999999999.5 && frame.time_epoch < 1795709204', '-T', 'fields', '-e', 'frame.number', DEMO]).stdout).toBe('1\n2\n3\n4\n5\n6\n');
  });
});
