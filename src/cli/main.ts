// The wiretrace command line: a commander program with one file per command.
// main(argv) returns the exit code; bin/wiretrace.ts passes process.argv and sets process.exitCode.

import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { errorLine, EXIT_OK, EXIT_USAGE } from './errors.js';
import { readCommand, type CliIO } from './read.js';
import { captureCommand } from './capture.js';
import { interfacesCommand } from './interfaces.js';
import { conversationsCommand } from './conversations.js';
import { followCommand } from './follow.js';
import { httpCommand } from './http.js';
import { dnsCommand } from './dns.js';

function version(): string {
  // package.json sits at the project root: ../../ from src/cli and from the bundled dist/bin/wiretrace.js,
  // ../../../ from dist/src/cli
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const p = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8'));
      if (p.name === 'wiretrace') return String(p.version);
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}

/** Settings every command gets: errors as one line, exits thrown (not process.exit). */
export function configure(cmd: Command, io: CliIO): Command {
  return cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write('wiretrace: ' + s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ') + '\n'),
    });
}

export function buildProgram(io: CliIO, done: (code: number) => void): Command {
  const program = new Command('wiretrace')
    .description('capture, read and dissect network packets; follow TCP conversations')
    .version(version(), '-v, --version');
  configure(program, io);
  program.addCommand(configure(readCommand(io, done), io));
  program.addCommand(configure(captureCommand(io, done), io));
  program.addCommand(configure(interfacesCommand(io, done), io));
  program.addCommand(configure(conversationsCommand(io, done), io));
  program.addCommand(configure(followCommand(io, done), io));
  program.addCommand(configure(httpCommand(io, done), io));
  program.addCommand(configure(dnsCommand(io, done), io));
  return program;
}

/** Run the CLI on argv (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      }
      return EXIT_USAGE;
    }
    const { text, code: c } = errorLine(e, io.env);
    io.stderr.write(text);
    return c;
  }
  return code;
}
