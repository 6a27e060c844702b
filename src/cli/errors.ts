// User-facing errors: one line on stderr, a non-zero exit code, never a stack trace.
//
// Exit codes:  0 ok · 1 the input cannot be read (no such file, permission, directory, not a capture
// file) · 2 usage error (unknown option, bad value, unknown -e field) or a damaged capture file
// (everything before the damage is printed first) · 3 internal error (a bug: set WIRETRACE_DEBUG=1
// for the stack).

import type { Writable } from 'node:stream';
import { CaptureFileError } from '../capture/types.js';
import { writeWhole } from '../output/writer.js';

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;
export const EXIT_DAMAGED = 2;
export const EXIT_INTERNAL = 3;

/** An error to print as one line and exit with `code`. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT_INPUT,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** Turn an error met while opening or reading `path` into a UserError (or null if it is a bug). */
export function inputError(e: unknown, path: string): UserError | null {
  const name = path === '-' ? 'standard input' : `'${path}'`;
  if (e instanceof CaptureFileError) {
    switch (e.kind) {
      case 'not-capture':
        return new UserError(`${name} is not a capture file wiretrace understands: ${e.message}`, EXIT_INPUT);
      case 'damaged':
        return new UserError(
          `file ${name} is damaged at packet ${e.frame} (byte offset ${e.offset}): ${e.message}`,
          EXIT_DAMAGED,
        );
      case 'unsupported':
        return new UserError(
          `file ${name} is not supported at packet ${e.frame} (byte offset ${e.offset}): ${e.message}`,
          EXIT_DAMAGED,
        );
    }
  }
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new UserError(`no such file: ${name}`, EXIT_INPUT);
    case 'EACCES':
    case 'EPERM':
      return new UserError(`permission denied: cannot read ${name}`, EXIT_INPUT);
    case 'EISDIR':
      return new UserError(`${name} is a directory, not a capture file`, EXIT_INPUT);
    case 'ENOTDIR':
      return new UserError(`no such file: ${name} (a part of the path is not a directory)`, EXIT_INPUT);
    case 'EIO':
    case 'ENXIO':
    case 'EINVAL':
      return new UserError(`cannot read ${name}: ${(e as Error).message}`, EXIT_INPUT);
  }
  return null;
}

/** The one line printed for an error (with the stack only under WIRETRACE_DEBUG). */
export function errorLine(e: unknown, env: NodeJS.ProcessEnv = process.env): { text: string; code: number } {
  if (e instanceof UserError) return { text: `wiretrace: ${e.message}\n`, code: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  const stack = env.WIRETRACE_DEBUG ? `\n${err.stack}` : ' (set WIRETRACE_DEBUG=1 for details)';
  return { text: `wiretrace: internal error: ${err.message}${stack}\n`, code: EXIT_INTERNAL };
}

/** Print a command's whole result; a reader that went away is fine, another write error is one line. */
export async function printResult(out: Writable, data: string | Uint8Array): Promise<void> {
  const e = await writeWhole(out, data);
  if (e) throw new UserError(`cannot write the output: ${e.message}`);
}
