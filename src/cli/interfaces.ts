// `wiretrace interfaces` (and `capture -D`): every device libpcap sees, like `tcpdump -D`, with its
// addresses (with prefix length) and flags.

import { Command } from 'commander';
import { CAP_MISSING_MESSAGE, formatDevice, listDevices, loadCap, LiveError } from '../capture/live.js';
import { EXIT_OK, EXIT_USAGE, printResult, UserError } from './errors.js';
import type { CliIO } from './read.js';

/**
 * The cap module and libpcap's device list, or a one-line user error (module not built, no
 * permission to list devices).
 */
export function capAndDevices(): { cap: NonNullable<ReturnType<typeof loadCap>>; devs: ReturnType<typeof listDevices> } {
  const cap = loadCap();
  if (!cap) throw new UserError(CAP_MISSING_MESSAGE, EXIT_USAGE);
  let devs;
  try {
    devs = listDevices(cap);
  } catch (e) {
    if (e instanceof LiveError) throw new UserError(e.message.replace(/^wiretrace: /, ''), EXIT_USAGE);
    throw e;
  }
  return { cap, devs };
}

export async function runInterfaces(io: CliIO): Promise<number> {
  const { devs } = capAndDevices();
  let s = '';
  devs.forEach((d, i) => (s += formatDevice(d, i + 1) + '\n'));
  await printResult(io.stdout, s);
  return EXIT_OK;
}

export function interfacesCommand(io: CliIO, done: (code: number) => void): Command {
  return new Command('interfaces')
    .description('list the interfaces you can capture on (like tcpdump -D): flags and addresses')
    .action(async () => done(await runInterfaces(io)));
}
