// `wiretrace read FILE|-`: read a capture file (or stdin) and print it.

import { Command } from 'commander';
import type { Writable } from 'node:stream';
import { openCapture } from '../capture/open.js';
import { Dissection } from '../dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { createSink } from '../output/sink.js';
import { analyzersFor, runPipeline, type Analyzer } from '../pipeline.js';
import { wantWarmup, warmUp } from './read-warmup.js';
import { defaultAnalyzers } from './analyzers.js';
import type { TcpApp } from '../analysis/http/app.js';
import { EXIT_OK, EXIT_USAGE, inputError, UserError } from './errors.js';
import {
  addDecodeAsOption,
  addOutputOptions,
  applyDecodeAs,
  displayFilterFrom,
  knownFieldKeys,
  parseCount,
  sinkOptionsFrom,
  type RawOutputOptions,
} from './output-options.js';

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /**
   * The command is the whole process (the wiretrace binary, not a test calling main()): it may tune
   * what is process-wide, such as V8's garbage collector for its workload.
   */
  ownsProcess?: boolean;
}

export async function runRead(file: string, raw: RawOutputOptions, io: CliIO): Promise<number> {
  const registry = defaultRegistry();
  applyDecodeAs(registry, raw.decodeAs);
  const analyzers = defaultAnalyzers(registry);
  const sinkOpts = sinkOptionsFrom(raw, io.stdout, knownFieldKeys(registry, analyzers), io.env);
  const count = parseCount(raw.count);
  const filter = displayFilterFrom(raw, registry, analyzers);

  let reader;
  try {
    reader = await openCapture(file);
  } catch (e) {
    throw inputError(e, file) ?? e;
  }
  const setup = (dissection: Dissection, analyzers: readonly Analyzer[]): void => {
    if (sinkOpts.format !== 'table' || sinkOpts.hex) return;
    // the packet table reads no HTTP bodies (a hex dump shows reassembled bodies: it needs them;
    // so may a display filter: `http contains …`, http.file_data)
    if (filter === null) for (const a of analyzers) if ('app' in a) (a.app as TcpApp).sparse = true;
    // and shows checksum errors only as a row colour (a filter may test a checksum status)
    if (!sinkOpts.color && (filter === null || !filter.names.some((n) => n.includes('checksum')))) dissection.state.checksums = false;
  };
  const sink = createSink(sinkOpts, io.stdout);
  // JIT warm-up on a throwaway pipeline (src/analysis/read-warm.ts), for a capture big enough to
  // gain, when the analyzers run (-T fields of header keys only, such as ip.src and
  // frame.time_epoch, needs none of them: there the warm-up cost more than it saved), and not for
  // a few packets (-c 100 of a big file is done before V8 would optimise anything)
  if (analyzersFor(analyzers, sink.fieldKeys, filter).length > 0 && wantWarmup(reader.fileSize, io.env, count)) await warmUp(registry, sinkOpts, filter, setup);
  const dissection = new Dissection(registry);
  setup(dissection, analyzers);
  const res = await runPipeline({ source: reader, dissection, analyzers, sink, count, filter });
  // a write error (a full disk) is one; the reader of our output going away (| head) is not
  if (sink.error) throw new UserError(`cannot write the output: ${sink.error.message}`);
  if (res.broken) return EXIT_OK;
  if (res.error !== null) throw inputError(res.error, file) ?? res.error;
  return EXIT_OK;
}

export function readCommand(io: CliIO, done: (code: number) => void): Command {
  const cmd = new Command('read')
    .description('read a capture file (pcap or pcapng; - for standard input) and print its packets')
    .argument('[file]', 'capture file, or - for standard input');
  addOutputOptions(cmd);
  addDecodeAsOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  wiretrace read trace.pcap                          one line per packet
  wiretrace read -V -c 1 trace.pcapng                every field of the first packet
  wiretrace read -T fields -e ip.src -e tcp.dstport trace.pcap
  wiretrace read -Y 'http.request && ip.addr == 10.0.0.0/8' trace.pcap
  tcpdump -w - | wiretrace read -                    read a capture from standard input`,
  );
  cmd.action(async (file: string | undefined, opts: RawOutputOptions, c: Command) => {
    if (file === undefined) {
      c.outputHelp({ error: true });
      done(EXIT_USAGE);
      return;
    }
    done(await runRead(file, opts, io));
  });
  return cmd;
}
