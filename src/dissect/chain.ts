// The chain driver: frame → layers, following each layer's `next` through the registry.

import type { Frame } from '../capture/types.js';
import { Layer } from './layer.js';
import type { Registry } from './registry.js';
import type { DissectContext, DissectState, Dissector, Field } from './types.js';
import { frameDissector } from './frame.js';

export interface Packet {
  frame: Frame;
  /** Outermost first: [frame, eth, ip, tcp, http]. */
  layers: Layer[];
}

/** Most layers one packet may have (guards against encapsulation loops). */
export const MAX_LAYERS = 48;
/** Deepest nesting of inner packets (ICMP error quoting an ICMP error …). */
export const MAX_INNER_DEPTH = 3;

export function newState(): DissectState {
  return { now: 0n, slots: new Map(), checksums: true };
}

export class Dissection {
  readonly state: DissectState;
  constructor(readonly registry: Registry, state?: DissectState) {
    this.state = state ?? newState();
  }

  dissect(frame: Frame): Packet {
    this.state.now = frame.ts;
    const layers: Layer[] = [];
    const frameLayer = new Layer(frameDissector, frame.data, 0, frame.data.length, frame);
    layers.push(frameLayer);
    const ctx = this.context(frame, layers, 0);
    const d = this.registry.get('link', frame.linkType);
    if (!d) {
      frameLayer.problem('unsupported', `link type ${frame.linkType} is not supported`, 0, frame.data.length);
      this.data(ctx, frame.data, 0, frame.data.length, layers);
      return { frame, layers };
    }
    this.run(ctx, d, frame.data, 0, frame.data.length, layers);
    return { frame, layers };
  }

  /**
   * `quoteBuf`/`quoteEnd`: for an inner packet, where the quoted bytes stop. Bytes a quoted header
   * promises beyond that were cut by the quoting (like a snaplen), so snapCut() says true there.
   */
  private context(frame: Frame, layers: Layer[], depth: number, quoteBuf?: Uint8Array, quoteEnd = 0): DissectContext {
    return new Ctx(this, frame, layers, depth, quoteBuf ?? null, quoteEnd);
  }

  /** dissectInner of a context at `depth` (see DissectContext). */
  inner(frame: Frame, depth: number, table: string, key: number, buf: Uint8Array, start: number, end: number): Layer[] {
    const inner: Layer[] = [];
    if (depth >= MAX_INNER_DEPTH) return inner;
    const d = this.registry.get(table, key);
    if (!d) return inner;
    const sub = this.context(frame, inner, depth + 1, buf, end);
    this.run(sub, d, buf, start, end, inner);
    return inner;
  }

  /** Run `d` and follow `next` links until the bytes or the registry run out. */
  private run(ctx: DissectContext, d: Dissector, buf: Uint8Array, start: number, end: number, layers: Layer[]): void {
    let bufName: string | null = null;
    for (let n = 0; n < MAX_LAYERS; n++) {
      let layer: Layer;
      try {
        layer = d.dissect(buf, start, end, ctx);
      } catch (e) {
        // A dissector bug must not end the run: record it on a data layer and stop this packet.
        const l = this.data(ctx, buf, start, end, layers);
        l?.problem('malformed', `${d.proto} dissector failed: ${(e as Error).message}`, start, end);
        return;
      }
      if (bufName !== null) layer.bufName = bufName;
      layers.push(layer);
      const nx = layer.next;
      if (nx === null) return;
      const nbuf = nx.buf ?? buf;
      if (nx.buf) bufName = nx.bufName ?? 'Reassembled data';
      if (nx.start >= nx.end) return;
      let nd = this.registry.get(nx.table, nx.key);
      if (!nd && nx.key2 !== undefined) nd = this.registry.get(nx.table, nx.key2);
      if (!nd && nx.heuristic) {
        for (const h of this.registry.heuristic(nx.heuristic)) {
          if (h.heuristic!.test(nbuf, nx.start, nx.end, layers, ctx)) {
            nd = h;
            break;
          }
        }
      }
      if (!nd) {
        const l = this.data(ctx, nbuf, nx.start, nx.end, layers);
        if (l && bufName !== null) l.bufName = bufName;
        return;
      }
      d = nd;
      buf = nbuf;
      start = nx.start;
      end = nx.end;
    }
    layers[layers.length - 1].problem('malformed', `more than ${MAX_LAYERS} layers: stopped`, start, end);
  }

  private data(ctx: DissectContext, buf: Uint8Array, start: number, end: number, layers: Layer[]): Layer | null {
    const dd = this.registry.proto('data');
    if (!dd || start >= end) return null;
    const l = dd.dissect(buf, start, end, ctx);
    layers.push(l);
    return l;
  }
}

/** The context of one packet (or inner packet): one object per packet, no closures. */
class Ctx implements DissectContext {
  readonly state: DissectState;
  readonly quoted: boolean;
  constructor(
    private readonly driver: Dissection,
    readonly frame: Frame,
    readonly layers: Layer[],
    private readonly depth: number,
    private readonly quoteBuf: Uint8Array | null,
    private readonly quoteEnd: number,
  ) {
    this.state = driver.state;
    this.quoted = depth > 0;
  }

  dissectInner(table: string, key: number, buf: Uint8Array, start: number, end: number): Layer[] {
    return this.driver.inner(this.frame, this.depth, table, key, buf, start, end);
  }

  snapCut(buf: Uint8Array, end: number): boolean {
    const fr = this.frame;
    const data = fr.data;
    return (buf === data && end >= data.length && data.length < fr.origLen) ||
      (this.quoteBuf !== null && buf === this.quoteBuf && end >= this.quoteEnd);
  }
}

/** Every field of the packet in tree order (layer fields, their inner layers, analysis extras), depth-first. */
export function walkFields(layers: readonly Layer[], cb: (f: Field, layer: Layer) => void): void {
  for (const l of layers) {
    const visit = (fs: readonly Field[]) => {
      for (const f of fs) {
        cb(f, l);
        if (f.children) visit(f.children);
      }
    };
    visit(l.fields());
    if (l.inner) walkFields(l.inner, cb);
    if (l.extra) visit(l.extra);
  }
}
