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

/** An Ethernet + IPv4 + UDP frame from port `sp` to `dp` carrying `payload` (checksums zero: not verified). */
export function udpFrame(sp: number, dp: number, payload: Uint8Array) {
  const b = new Uint8Array(42 + payload.length);
  b[12] = 0x08;
  b[14] = 0x45;
  const tl = 28 + payload.length;
  b[16] = tl >> 8; b[17] = tl & 255; b[22] = 64; b[23] = 17;
  b.set([10, 0, 0, 5], 26); b.set([10, 0, 0, 255], 30);
  b[34] = sp >> 8; b[35] = sp & 255; b[36] = dp >> 8; b[37] = dp & 255;
  b[38] = (8 + payload.length) >> 8; b[39] = (8 + payload.length) & 255;
  b.set(payload, 42);
  return { index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
}
