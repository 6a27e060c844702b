// What fuzz and prefix tests assert about a dissected packet: the chain and Layer.fields() catch a
// dissector that throws and record it as a 'malformed' problem saying "… dissector failed: …" /
// "dissector error in fields: …" — a test that only checks "no exception escapes" would miss it.

import { expect } from 'vitest';
import { walkFields, type Packet } from '../../src/dissect/chain.js';
import type { Layer } from '../../src/dissect/layer.js';
import { rowParts } from '../../src/output/table.js';

/** The messages of the problems recorded for a throwing dissector, in these layers and the packets they quote. */
export function dissectorErrors(layers: readonly Layer[]): string[] {
  const out: string[] = [];
  for (const l of layers) {
    for (const p of l.problems ?? []) if (/dissector (failed|error)/.test(p.message)) out.push(p.message);
    if (l.inner !== null) out.push(...dissectorErrors(l.inner));
  }
  return out;
}

/** Every problem of a packet's layers as "proto kind: message", for exact assertions. */
export function problemsOf(p: { layers: readonly Layer[] }): string[] {
  return p.layers.flatMap((l) => (l.problems ?? []).map((pr) => `${l.proto} ${pr.kind}: ${pr.message}`));
}

/**
 * Build every field and the table row of a dissected packet, as the outputs do: nothing may throw, and
 * no dissector may have failed (a throw the chain caught). The fuzz and prefix tests' common check.
 */
export function expectClean(pkt: Packet): void {
  expect(() => {
    walkFields(pkt.layers, () => undefined);
    rowParts(pkt.layers);
  }).not.toThrow();
  expect(dissectorErrors(pkt.layers)).toEqual([]);
}
