// One node of the encapsulation tree: a protocol layer over a byte range of a buffer.

import type { Dissector, Field, Next, Problem, ProblemKind } from './types.js';

export class Layer<D = any> {
  /** Decoded header values (protocol-specific; set by the dissector, read by analysis and info). */
  d: D;
  problems: Problem[] | null = null;
  next: Next | null = null;
  /** Nested layers (e.g. the packet quoted in an ICMP error), shown inside this layer. */
  inner: Layer[] | null = null;
  /**
   * Fields added by stateful analysis (tcp.stream, tcp.analysis.*), shown after the layer's own.
   * Read through the `extra` getter: builders registered with addExtraLazy() run on the first read.
   */
  private extraList: Field[] | null = null;
  /** Extras not built yet, in order: a Field (addExtra after a lazy one), or a builder and its argument. */
  private pending: unknown[] | null = null;
  /** Analysis annotations for this layer (e.g. the TCP tracker's relative seq), read by info(). */
  ann: any = null;
  /** Name of the data source if buf is not the frame (e.g. "Reassembled IPv4"). */
  bufName: string | null = null;
  private cache: Field[] | null = null;

  constructor(
    readonly dis: Dissector<D>,
    /** The buffer this layer's byte ranges refer to (frame data, or a reassembled buffer). */
    readonly buf: Uint8Array,
    readonly start: number,
    /** End of this layer including its payload (the range the layer covers in the tree). */
    public end: number,
    d: D,
  ) {
    this.d = d;
  }

  get proto(): string {
    return this.dis.proto;
  }

  /** The layer's own fields (materialised once), without analysis extras. */
  fields(): Field[] {
    if (this.cache === null) {
      try {
        this.cache = this.dis.fields(this);
      } catch (e) {
        // A dissector must not throw; if it does, keep the run going and say so.
        this.cache = [];
        this.problem('malformed', `dissector error in fields: ${(e as Error).message}`, this.start, this.end);
      }
    }
    return this.cache;
  }

  /** Own fields followed by analysis extras. */
  allFields(): Field[] {
    const f = this.fields();
    return this.extra === null ? f : f.concat(this.extra);
  }

  problem(kind: ProblemKind, message: string, start: number, end: number): void {
    const p: Problem = { kind, message, start, end };
    if (this.problems === null) this.problems = [p];
    else this.problems.push(p);
  }

  /**
   * Report that `need` bytes are required at `at` but the layer's range ends first.
   * It is 'truncated' when the capture was cut by the snaplen (the missing bytes lie beyond the
   * captured data), 'malformed' when a header says there is more than the packet carries.
   * `snapCut` is true when the frame's captured length is below its original length and the
   * range ends at the end of the captured data.
   */
  short(what: string, at: number, need: number, snapCut: boolean): void {
    const have = Math.max(0, this.end - at);
    this.problem(
      snapCut ? 'truncated' : 'malformed',
      snapCut
        ? `${what}: captured data ends after ${have} of ${need} bytes (cut by snaplen)`
        : `${what}: needs ${need} bytes, only ${have} present`,
      at,
      this.end,
    );
  }

  /** Analysis extras (null when none); lazy ones are built here, once, in the order they were added. */
  get extra(): Field[] | null {
    const p = this.pending;
    if (p !== null) {
      this.pending = null;
      const out = this.extraList ?? [];
      for (let i = 0; i < p.length; i += 2) {
        const b = p[i];
        if (typeof b === 'function') {
          try {
            for (const f of (b as (arg: unknown) => Field[])(p[i + 1])) out.push(f);
          } catch (e) {
            this.problem('malformed', `analysis error in fields: ${(e as Error).message}`, this.start, this.end);
          }
        } else out.push(b as Field);
      }
      this.extraList = out.length > 0 ? out : null;
    }
    return this.extraList;
  }
  set extra(v: Field[] | null) {
    this.pending = null;
    this.extraList = v;
  }

  /**
   * The extras an output that wants only some keys must look at: `extra` (everything built) when a
   * pending lazy builder may give a wanted key (`skip(build)` false) or an eager field was queued
   * after a lazy one; otherwise the eager extras alone, leaving the lazy builders unrun.
   */
  extraUnless(skip: (build: Function) => boolean): Field[] | null {
    const p = this.pending;
    if (p === null) return this.extraList;
    for (let i = 0; i < p.length; i += 2) {
      const b = p[i];
      if (typeof b !== 'function' || !skip(b)) return this.extra;
    }
    return this.extraList;
  }

  addExtra(f: Field): void {
    if (this.pending !== null) this.pending.push(f, undefined);
    else if (this.extraList === null) this.extraList = [f];
    else this.extraList.push(f);
  }

  /**
   * Add analysis extras built only when an output reads `extra` (-T fields/json, -V); the table
   * never does. `build(arg)` must use only what `arg` captured when this was called (the
   * analysis' state moves on). A static function plus an argument costs no closure per packet.
   */
  addExtraLazy<T>(build: (arg: T) => Field[], arg: T): void {
    if (this.pending === null) this.pending = [build, arg];
    else this.pending.push(build, arg);
  }
}

/**
 * For an output that reads only some field keys (-T fields, a display filter): whether a dissector's
 * layers can hold one of them (its fieldKeys), and `skipBuild` for Layer.extraUnless (a lazy extra
 * builder whose extraKeys hold none of them). Both answers are cached per dissector / builder.
 */
export class KeyInterest {
  private readonly disCache = new WeakMap<Dissector, boolean>();
  private readonly skipCache = new WeakMap<Function, boolean>();
  constructor(readonly keys: ReadonlySet<string>) {}

  wants(dis: Dissector): boolean {
    let w = this.disCache.get(dis);
    if (w === undefined) {
      w = dis.fieldKeys.some((k) => this.keys.has(k));
      this.disCache.set(dis, w);
    }
    return w;
  }

  readonly skipBuild = (b: Function): boolean => {
    let s = this.skipCache.get(b);
    if (s === undefined) {
      const keys = (b as { extraKeys?: readonly string[] }).extraKeys;
      s = keys !== undefined && !keys.some((k) => this.keys.has(k));
      this.skipCache.set(b, s);
    }
    return s;
  };
}

/**
 * Index of the last layer of protocol `proto` before index `before` (default: all), or -1. Used by
 * analyzers on a packet's layers and by dissectors on ctx.layers (an inner packet's list has no frame
 * layer first, so index 0 counts).
 */
export function lastLayerOf(layers: readonly Layer[], proto: string, before = layers.length): number {
  for (let i = before - 1; i >= 0; i--) if (layers[i].dis.proto === proto) return i;
  return -1;
}

/**
 * One key for both directions of a transport conversation seen from a dissector: the addresses of the
 * nearest IP layer in `layers` and the two ports (for per-conversation state in ctx.state.slots).
 */
export function conversationKey(layers: readonly Layer[], srcport: number, dstport: number): string {
  const ip = ipLayerBefore(layers) as Layer<{ src: string; dst: string }> | null;
  const a = `${ip?.d.src ?? ''}/${srcport}`, b = `${ip?.d.dst ?? ''}/${dstport}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The IP layer ('ip' or 'ipv6') nearest before index `before` (default: the last one), or null. */
export function ipLayerBefore(layers: readonly Layer[], before = layers.length): Layer | null {
  for (let i = before - 1; i >= 0; i--) {
    const p = layers[i].dis.proto;
    if (p === 'ip' || p === 'ipv6') return layers[i];
  }
  return null;
}
