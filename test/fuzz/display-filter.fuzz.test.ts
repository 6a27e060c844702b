// Display filters are user input: any string must give a filter or a one-line UsageError, never
// another exception, and a filter that compiles must evaluate on every packet without throwing.
// Seeded (mulberry32) and bounded: 6,000 strings (token soups, byte soups, and filters shaped like real ones with
// values of every kind, on fields, slices, functions, layers and arithmetic), each compiled filter tried on the
// demo capture's 56 packets and on an ICMP error that quotes a UDP datagram (layers ip#2, udp#1 inside it).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../dissectors/index.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { UsageError } from '../../src/cli/errors.js';
import { displayFilterFrom } from '../../src/cli/output-options.js';
import { openCapture } from '../../src/capture/open.js';
import { Dissection, type Packet } from '../../src/dissect/chain.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { mulberry32 } from '../helpers/random.js';

const TOKENS = [
  'tcp', 'udp', 'ip', 'ipv6', 'http', 'dns', 'frame', 'eth', 'mdns', 'ip.addr', 'ip.src', 'tcp.port', 'tcp.flags.syn',
  'http.request.method', 'dns.qry.name', 'frame.len', 'eth.addr', 'tcp.payload', 'tcp.analysis.ack_rtt', 'frame.time_relative',
  '==', '!=', '~=', '===', '!==', '>', '<', '>=', '<=', '~', '!', '&&', '||', 'and', 'or', 'not', 'eq', 'contains', 'matches',
  'in', '{', '}', ',', '(', ')', '[', ']', '..', '0', '1', '80', '0x50', '010', '-3', '1.5', '1e3', '10.0.0.1', '10.0.0.0/8',
  '::1', 'fe80::/10', '::ffff:1.2.3.4', '00:11:22:33:44:55', '0011.2233.4455', 'aa-bb', 'GET', '"GET"', '"\\x41\\101"', '"(?-i)get"',
  '"["', '""', 'true', 'False', '1..100', '/', '$', '#', '=', '"unterminated', '\\', 'ip.src[0:3]', 'len(', '\u00e9', '🙂',
  'len', 'count', 'upper', 'max', 'foo', '0:3', '-1', '1-2', ':2', '4:', '0:0', '-2:1', '[-1]', 'eth.src[1-2]',
  '#2', '#[1-2]', '#[-1]', '#0', 'ip.src#2', 'udp#1', '+', '-', '*', '/', '%', '{', '}', '-ip.ttl', 'ip.ttl + 1', '{frame.len - 14}',
];

/** A field as a test's operand: the field, a slice of it, or a function of it. */
function operand(field: string, other: string, rnd: () => number): string {
  const r = rnd();
  if (r < 0.45) return field;
  if (r < 0.5) return `${field}#${['1', '2', '0', '[1-2]', '[-1]', '[:2]', '[2:]', '[0:2]'][Math.floor(rnd() * 8)]}`;
  if (r < 0.6) {
    const v = ['1', '2', '0', '-1', '0x10', '1.5', other][Math.floor(rnd() * 7)];
    const e = `${field} ${['+', '-', '*', '/', '%'][Math.floor(rnd() * 5)]} ${v}`;
    return rnd() < 0.3 ? `{${e}} * 2` : rnd() < 0.2 ? `-${field}` : e;
  }
  if (r < 0.8) return `${field}[${['0:3', '0', '-1', '1-2', ':2', '4:', '0:2,4', '-2:1', '100:2', '0:0'][Math.floor(rnd() * 10)]}]`;
  const fn = ['len', 'count', 'lower', 'upper', 'string', 'abs', 'max', 'min'][Math.floor(rnd() * 8)];
  return fn === 'max' || fn === 'min' ? `${fn}(${field}, ${other})` : `${fn}(${field})`;
}

const FIELDS = TOKENS.slice(0, 20);
const OPS = ['==', '!=', '~=', '===', '>', '<', '>=', '<=', 'eq', 'ne'];
const VALUES = ['0', '1', '80', '0x50', '010', '-3', '1.5', '1e3', '10.0.0.1', '127.0.0.0/8', '::1', 'fe80::/10', '::ffff:1.2.3.4',
  '00:00:00:00:00:00', '0011.2233.4455', 'aa-bb', 'GET', '"GET"', '"demo.example"', '""', 'true', 'False', '1..100', 'ip.dst', 'tcp', '"\\x41"'];

async function demoPackets(): Promise<Packet[]> {
  const out: Packet[] = [];
  for (const file of [join(import.meta.dirname, '..', '..', 'fixtures', 'demo.pcapng'), join(CORPUS_DIR, 'icmp-dest-unreach-udp-dns.pcap')]) {
    const registry = defaultRegistry();
    const analyzers = defaultAnalyzers(registry);
    const dis = new Dissection(registry);
    for await (const batch of await openCapture(file)) {
      for (const f of batch) {
        const p = dis.dissect(f);
        for (const a of analyzers) a.packet(p);
        out.push(p);
      }
    }
  }
  return out;
}

describe('display filter fuzz', () => {
  it('token soups and byte soups: a filter or a UsageError, and filters evaluate on every packet', async () => {
    const pkts = await demoPackets();
    const registry = defaultRegistry();
    const analyzers = defaultAnalyzers(registry);
    const rnd = mulberry32(20261127);
    let compiled = 0, rejected = 0;
    for (let i = 0; i < 6000; i++) {
      let src = '';
      if (i % 3 === 2) {
        // shaped like real filters: FIELD OP VALUE joined by and/or, some negated, values of every kind
        const n = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < n; k++) {
          if (k > 0) src += rnd() < 0.5 ? ' && ' : ' or ';
          if (rnd() < 0.2) src += '!';
          const field = operand(FIELDS[Math.floor(rnd() * FIELDS.length)], FIELDS[Math.floor(rnd() * FIELDS.length)], rnd);
          const r = rnd();
          if (r < 0.15) src += field;
          else if (r < 0.3) src += `${field} contains ${VALUES[Math.floor(rnd() * VALUES.length)]}`;
          else if (r < 0.4) src += `${field} matches "${['get', '^1', '(?-i)a.c', 'x|y', '\\d+'][Math.floor(rnd() * 5)]}"`;
          else if (r < 0.5) src += `${field} in {${VALUES[Math.floor(rnd() * VALUES.length)]}, ${VALUES[Math.floor(rnd() * VALUES.length)]}}`;
          else src += `${field} ${OPS[Math.floor(rnd() * OPS.length)]} ${VALUES[Math.floor(rnd() * VALUES.length)]}`;
        }
      } else if (i < 4000) {
        const n = 1 + Math.floor(rnd() * 8);
        for (let k = 0; k < n; k++) src += (k > 0 && rnd() < 0.8 ? ' ' : '') + TOKENS[Math.floor(rnd() * TOKENS.length)];
      } else {
        const n = Math.floor(rnd() * 24);
        for (let k = 0; k < n; k++) src += String.fromCharCode(rnd() < 0.9 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 0x3000));
      }
      let f;
      try {
        f = displayFilterFrom({ displayFilter: src }, registry, analyzers);
      } catch (e) {
        if (!(e instanceof UsageError)) throw new Error(`filter ${JSON.stringify(src)} (iteration ${i}) threw ${String(e)}`);
        expect((e as Error).message).not.toMatch(/\n/);
        rejected++;
        continue;
      }
      compiled++;
      for (const p of pkts) {
        try {
          f!.test(p);
        } catch (e) {
          throw new Error(`filter ${JSON.stringify(src)} (iteration ${i}) threw on frame ${p.frame.index}: ${String(e)}`);
        }
      }
    }
    // both kinds occur (the soup is not all errors)
    expect(compiled).toBeGreaterThan(1500);
    expect(rejected).toBeGreaterThan(2000);
  }, 120_000);
});
