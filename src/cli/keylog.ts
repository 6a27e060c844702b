// TLS key logs on the command line: tshark's `-o tls.keylog_file:PATH` (the only preference wiretrace
// takes with -o; ssl.keylog_file, its old name, too) and the long form `--tls-keylog PATH`. The file
// is read once, before the capture; no SSLKEYLOGFILE from the environment (tshark reads none either).

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseKeyLog, type KeyLog } from '../analysis/tls/decrypt.js';
import { UsageError, UserError, EXIT_INPUT } from './errors.js';

export interface RawKeyLogOptions {
  o?: string[];
  tlsKeylog?: string;
}

/** Adds -o NAME:VALUE (repeatable) and --tls-keylog FILE. */
export function addKeyLogOptions(cmd: Command): Command {
  return cmd
    .option('-o <pref>', 'a preference as tshark\'s NAME:VALUE; wiretrace knows tls.keylog_file:FILE (an NSS key log, as SSLKEYLOGFILE writes: TLS is decrypted with it); repeatable', (v: string, p: string[] | undefined) => (p ?? []).concat([v]))
    .option('--tls-keylog <file>', 'decrypt TLS with this key log (NSS format, as SSLKEYLOGFILE writes); the same as -o tls.keylog_file:FILE');
}

/** The key log the options name (the last one given), read and parsed; null when none. */
export function keyLogFrom(raw: RawKeyLogOptions): KeyLog | null {
  let path: string | null = raw.tlsKeylog ?? null;
  for (const o of raw.o ?? []) {
    const i = o.indexOf(':');
    const name = i < 0 ? o : o.slice(0, i);
    if (i < 0) throw new UsageError(`bad -o ${o}: a preference is NAME:VALUE (tls.keylog_file:FILE)`);
    if (name !== 'tls.keylog_file' && name !== 'ssl.keylog_file') throw new UsageError(`unknown preference -o ${name}: wiretrace knows tls.keylog_file`);
    path = o.slice(i + 1);
  }
  if (path === null || path === '') return null;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UserError(`cannot read the TLS key log '${path}': ${why}`, EXIT_INPUT);
  }
  return parseKeyLog(text);
}
