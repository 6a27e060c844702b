// Display filters from random token soup (seeded, bounded): compiling either works or fails with
// one UsageError line, and a filter that compiled never throws on a packet: every packet of the
// demo capture and of a capture with nested layers (an ICMP error quoting UDP: ip#2, udp#…).
// Covers the layer operator and arithmetic with slices, functions, sets and logic around them.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../dissectors/index.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { displayFilterFrom } from '../../src/cli/output-options.js';
import { UsageError } from '../../src/cli/errors.js';
import { openCapture } from '../../src/capture/open.js';
import { Dissection, type Packet } from '../../src/dissect/chain.js';
import type { DisplayFilter } from '../../src/filter/display-filter.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { mulberry32 } from '../helpers/random.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = [join(ROOT, 'fixtures', 'demo.pcapng'), join(CORPUS_DIR, 'icmp-dest-unreach-udp-dns.pcap')];

const NAMES = ['ip.src', 'ip.dst', 'ip.ttl', 'ip.len', 'ip', 'udp', 'udp.srcport', 'tcp.port', 'tcp.len', 'frame.len', 'frame', 'eth.src', 'dns.qry.name', 'icmp.type', 'tcp.payload', 'http.host'];
const ATOMS = ['0', '1', '-1', '2', '14', '64', '0x10', '1.5', '"GET"', '"demo"', '127.0.0.1', '10.0.0.0/8', '00:00:00:00:00:00', 'c0:a8'];
const GLUE = ['==', '!=', '>', '<=', '===', '~=', 'contains', 'matches', 'in', '&&', '||', '!', 'and', 'or', 'not', '(', ')', '{', '}', ',', '[', ']', '0:2', '-1', '1-2', '#', '#2', '#[1-2]', '#[-1]', '#0', '+', '-', '*', '/', '%', '..', 'len(', 'count(', 'max(', 'upper('];

/** Packets of the test captures, dissected once, with read's analyzers run over them. */
async function packets(): Promise<{ pkts: Packet[]; registry: ReturnType<typeof defaultRegistry>; analyzers: ReturnType<typeof defaultAnalyzers> }> {
  const registry = defaultRegistry();
  const analyzers = defaultAnalyzers(registry);
  const pkts: Packet[] = [];
  for (const file of FILES) {
    const dis = new Dissection(registry);
    for await (const batch of await openCapture(file)) {
      for (const fr of batch) {
        const pkt = dis.dissect(fr);
        for (const a of analyzers) a.packet(pkt);
        pkts.push(pkt);
      }
    }
  }
  return { pkts, registry, analyzers };
}

describe('display filter fuzz', () => {
  it('random filters compile or fail with a UsageError, and never throw on a packet (seeded, 4,000 filters)', async () => {
    const { pkts, registry, analyzers } = await packets();
    const rnd = mulberry32(20261127);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
    let compiled = 0;
    for (let n = 0; n < 4000; n++) {
      let src: string;
      if (n % 2 === 0) {
        // token soup; glued forms too (name#2, name[0:2], a+b): some parts joined without a space
        const parts: string[] = [];
        const len = 1 + Math.floor(rnd() * 9);
        for (let i = 0; i < len; i++) {
          const r = rnd();
          parts.push(r < 0.4 ? pick(NAMES) : r < 0.65 ? pick(ATOMS) : pick(GLUE));
        }
        src = parts.reduce((s, p) => s + (rnd() < 0.2 ? '' : ' ') + p, '').trim();
      } else {
        // the grammar's shapes: operand [op operand] joined by logic
        const operand = (depth: number): string => {
          const r = rnd();
          const name = pick(NAMES);
          if (depth > 2 || r < 0.25) return name;
          if (r < 0.35) return `${name}#${pick(['1', '2', '0', '[1-2]', '[-1]', '[:2]', '[2:]', '[0:2]'])}`;
          if (r < 0.45) return `${name}[${pick(['0:2', '-1', '1-2', ':1', '2:', '0:1,3'])}]`;
          if (r < 0.55) return `${pick(['len', 'count', 'max', 'min', 'abs', 'upper', 'string'])}(${operand(depth + 1)})`;
          if (r < 0.8) return `${operand(depth + 1)} ${pick(['+', '-', '*', '/', '%'])} ${rnd() < 0.5 ? pick(ATOMS) : operand(depth + 1)}`;
          if (r < 0.9) return `{${operand(depth + 1)}}`;
          return `-${name}`;
        };
        const test = (): string => {
          const r = rnd();
          if (r < 0.2) return operand(0);
          if (r < 0.3) return `${operand(0)} in {${pick(ATOMS)}, ${pick(ATOMS)}..${pick(ATOMS)}}`;
          return `${operand(0)} ${pick(['==', '!=', '>', '<=', '===', '~=', 'contains'])} ${rnd() < 0.5 ? pick(ATOMS) : operand(0)}`;
        };
        src = test();
        while (rnd() < 0.3) src += ` ${pick(['&&', '||', 'and not'])} ${test()}`;
      }
      let f: DisplayFilter | undefined;
      try {
        f = displayFilterFrom({ displayFilter: src }, registry, analyzers);
      } catch (e) {
        expect(e, src).toBeInstanceOf(UsageError);
        expect((e as Error).message, src).not.toContain('\n');
        continue;
      }
      compiled++;
      for (const p of pkts) {
        try {
          f!.test(p);
        } catch (e) {
          throw new Error(`"${src}" threw on frame ${p.frame.index}: ${(e as Error).stack}`);
        }
      }
    }
    // the soup is not all errors: a good share of it compiles and runs
    expect(compiled).toBeGreaterThan(1500);
  }, 60_000);
});
