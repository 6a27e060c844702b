#!/usr/bin/env node
// wiretrace: argv → src/cli. Nothing else lives here.
//
// Every command has written everything by the time main() resolves (outputs wait for their
// writes' callbacks; stdout and stderr are synchronous on Linux for files, pipes and terminals;
// capture files are closed synchronously), so the process exits right away: letting Node wind down
// on its own frees the whole heap first, ~40 ms after `conversations` on a 200k-packet capture.
import { main } from '../src/cli/main.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, ownsProcess: true }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`wiretrace: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exit(3);
  },
);
