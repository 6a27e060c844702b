// Output options shared by `wiretrace read` and `wiretrace capture`: add them to a commander
// Command with addOutputOptions(), then turn the parsed values into SinkOptions with
// sinkOptionsFrom(). Both throw nothing at add time; sinkOptionsFrom throws UsageError.
//
//   -T, --format FMT        table (default) | tree | fields | json | ndjson
//   -e, --field KEY         a field for -T fields (repeat); -e alone implies -T fields
//   -E, --field-option O=V  header=y|n separator=/t|/s|c occurrence=f|l|a aggregator=c quote=d|s|n
//   -V, --verbose           the packet details tree (= -T tree)
//   -x, --hex               hex + ASCII dump after each packet
//   -t, --time FMT          r | a | ad | e | d | dd | u | ud (as tshark)
//   -Y, --display-filter F  show only packets the display filter F passes (src/filter/display-filter.ts)
//   -c, --count N           stop after N packets read (with -Y too, as tshark)
//   --no-color              no ANSI colours (NO_COLOR in the environment does the same)
//   -n                      no name resolution (wiretrace never resolves names; kept for tshark habits)
//   --decode-as RULE        (addDecodeAsOption) e.g. udp.port==5353,dns; repeatable

import { Option, type Command } from 'commander';
import { frameDissector } from '../dissect/frame.js';
import type { Registry } from '../dissect/registry.js';
import { useColor } from '../output/color.js';
import { applyFieldOption, checkFieldKeys, closeMatches, COLUMN_KEYS, defaultFieldsOptions } from '../output/fields.js';
import { DisplayFilter, FilterError } from '../filter/display-filter.js';
import { OUTPUT_FORMATS, type OutputFormat, type SinkOptions } from '../output/sink.js';
import { isTimeFormat, TIME_FORMATS } from '../output/time.js';
import type { Analyzer } from '../pipeline.js';
import { UsageError } from './errors.js';

function collect(v: string, prev: string[] | undefined): string[] {
  return (prev ?? []).concat([v]);
}

/** Raw option values as commander parses them. */
export interface RawOutputOptions {
  format?: string;
  field?: string[];
  fieldOption?: string[];
  verbose?: boolean;
  hex?: boolean;
  time?: string;
  count?: string;
  color?: boolean;
  n?: boolean;
  decodeAs?: string[];
  displayFilter?: string;
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-T, --format <format>', 'output format').choices([...OUTPUT_FORMATS]))
    .option('-e, --field <key>', 'field to print with -T fields (repeat for more), e.g. -e ip.src -e tcp.dstport', collect)
    .option('-E, --field-option <opt>', 'for -T fields: header=y|n, separator=/t|/s|c, occurrence=f|l|a, aggregator=c, quote=d|s|n', collect)
    .option('-V, --verbose', 'print the full packet details tree (same as -T tree)')
    .option('-x, --hex', 'add a hex and ASCII dump of each packet')
    .option('-t, --time <format>', `time column: ${TIME_FORMATS.join('|')} (r: seconds since the first packet)`)
    .option('-Y, --display-filter <filter>', 'show only packets that match a Wireshark display filter, e.g. "tcp.port == 80 && http"')
    .option('-c, --count <n>', 'stop after n packets read')
    .option('--no-color', 'never colour the output (NO_COLOR=1 does the same)')
    .option('-n', 'no name resolution (the default: accepted for tshark habits)');
}

export function addDecodeAsOption(cmd: Command): Command {
  return cmd.option('--decode-as <rule>', 'decode a port as a protocol, e.g. udp.port==5353,dns (repeatable)', collect);
}

/** Apply --decode-as rules to a registry instance; throws UsageError on a bad rule. */
export function applyDecodeAs(registry: Registry, rules: readonly string[] | undefined): void {
  for (const r of rules ?? []) {
    const err = registry.decodeAs(r);
    if (err !== null) throw new UsageError(err);
  }
}

/** Every key -e accepts: the registry's dissectors, the frame, and the analyzers' keys. */
export function knownFieldKeys(registry: Registry, analyzers: readonly Analyzer[] = []): Set<string> {
  const s = registry.fieldKeys();
  for (const k of frameDissector.fieldKeys) s.add(k);
  for (const k of COLUMN_KEYS) s.add(k);
  for (const a of analyzers) for (const k of a.fieldKeys ?? []) s.add(k);
  return s;
}

/**
 * The -Y filter compiled against the names the registry and analyzers know (fields and protocols),
 * or null without -Y; throws UsageError for a filter that does not parse or names an unknown field.
 */
export function displayFilterFrom(raw: RawOutputOptions, registry: Registry, analyzers: readonly Analyzer[] = [], what = '-Y'): DisplayFilter | null {
  if (raw.displayFilter === undefined) return null;
  const fields = knownFieldKeys(registry, analyzers);
  for (const k of COLUMN_KEYS) fields.delete(k); // columns are output, not fields of the packet tree
  const protocols = new Set(registry.dissectors.flatMap((d) => [d.proto, ...(d.filterProtos ?? [])]));
  protocols.add(frameDissector.proto);
  try {
    return new DisplayFilter(raw.displayFilter, {
      fields,
      protocols,
      suggest: (name) => closeMatches(name, [...fields, ...protocols], 4),
    });
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`bad display filter (${what}) "${raw.displayFilter}": ${e.message}`);
    throw e;
  }
}

/** -c value as a count (0 when not given = no limit; -c 0 is refused, as tshark and tcpdump do); throws UsageError. */
export function parseCount(v: string | undefined): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`bad -c ${v}: expected a whole number of packets`);
  const n = Number(v);
  if (n === 0) throw new UsageError(`bad -c ${v}: the packet count must be 1 or more`);
  return n;
}

/**
 * Turn parsed options into SinkOptions. `out` decides colour (a TTY); `known` is the set of
 * valid -e keys (knownFieldKeys()).
 */
export function sinkOptionsFrom(
  raw: RawOutputOptions,
  out: { isTTY?: boolean },
  known: ReadonlySet<string>,
  env: NodeJS.ProcessEnv = process.env,
): SinkOptions {
  const fields = raw.field ?? [];
  let format = (raw.format as OutputFormat | undefined) ?? (fields.length > 0 ? 'fields' : raw.verbose ? 'tree' : 'table');
  if (format === 'table' && raw.verbose) format = 'tree';
  if (format === 'fields' && fields.length === 0) throw new UsageError('-T fields needs at least one -e KEY (e.g. -e ip.src)');
  if (fields.length > 0 && format !== 'fields') throw new UsageError(`-e works with -T fields, not -T ${format}`);
  const err = checkFieldKeys(fields, known);
  if (err !== null) throw new UsageError(err);
  const fo = defaultFieldsOptions();
  for (const o of raw.fieldOption ?? []) {
    const e = applyFieldOption(fo, o);
    if (e !== null) throw new UsageError(e);
  }
  const time = raw.time ?? 'r';
  if (!isTimeFormat(time)) throw new UsageError(`bad -t ${time}: expected one of ${TIME_FORMATS.join(', ')}`);
  return {
    format,
    fields,
    fieldOptions: fo,
    hex: raw.hex === true,
    time,
    color: format === 'table' && useColor(out, raw.color, env),
  };
}
