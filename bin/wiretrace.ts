#!/usr/bin/env node
// wiretrace: argv → src/cli. Nothing else lives here.
import { main } from '../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`wiretrace: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 3;
  },
);
