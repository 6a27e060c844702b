// Shared test helpers: build frames from hex, run the default chain, read cells like tshark -T fields.
import { defaultRegistry } from '../../dissectors/index.js';
import { Dissection, walkFields, type Packet } from '../../src/dissect/chain.js';

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Dissect one frame (link type 1 = Ethernet by default) with a fresh default registry. */
export function runFrame(data: Uint8Array, linkType = 1, origLen = data.length): Packet {
  return new Dissection(defaultRegistry()).dissect({ index: 1, ts: 0n, tsPrecision: 6, linkType, ifIndex: 0, data, origLen });
}

/** Every value of `key` in tree order joined with ',' (tshark -T fields, occurrence=a). */
export function cell(p: Packet, key: string): string {
  const out: string[] = [];
  walkFields(p.layers, (f) => void (f.key === key && out.push(f.show)));
  return out.join(',');
}

/** The Info column: the last layer whose info() says something. */
export function infoOf(p: Packet): string {
  let s = '';
  for (const l of p.layers) {
    const t = l.dis.info?.(l, p.layers);
    if (t != null) s = t;
  }
  return s;
}

/** Every problem of every layer (inner layers included) as "kind: message". */
export function problemsOf(p: Packet): string[] {
  const out: string[] = [];
  const visit = (ls: readonly Packet['layers'][number][]) => {
    for (const l of ls) {
      for (const pr of l.problems ?? []) out.push(`${pr.kind}: ${pr.message}`);
      if (l.inner) visit(l.inner);
    }
  };
  visit(p.layers);
  return out;
}
