// Runs the CLI in-process (main()) and collects what it writes: for tests that compare a command's
// output with tshark's.

import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

/** `wiretrace …args` with stdout and stderr collected (together) and its exit code. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  const chunks: Buffer[] = [];
  const w = new Writable({ write: (c, _e, cb) => (chunks.push(Buffer.from(c)), cb()) });
  const code = await main(args, { stdout: w, stderr: w, env });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

/**
 * `wiretrace read -T fields` of `capture` with the keys of a tshark TSV's header line (-E header=y,
 * occurrence=a, as the fixture scripts run tshark): the text to compare with that TSV.
 */
export async function fieldsLike(capture: string, tsv: string): Promise<{ code: number; out: string }> {
  const keys = tsv.split('\n')[0].split('\t');
  return runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), capture]);
}

/** fieldsLike() of a run that must succeed: its output (the test fails on a non-zero exit). */
export async function fieldsOf(capture: string, tsv: string): Promise<string> {
  const r = await fieldsLike(capture, tsv);
  expect(r.code).toBe(0);
  return r.out;
}
