// Dispatch tables: data, not code. A Registry instance is built from a list of dissectors;
// `--decode-as` edits an instance (never a global).

import type { Dissector } from './types.js';

export class Registry {
  private tables = new Map<string, Map<number, Dissector>>();
  private heuristics = new Map<string, Dissector[]>();
  readonly dissectors: Dissector[] = [];
  private byProto = new Map<string, Dissector>();

  constructor(dissectors: readonly Dissector[] = []) {
    for (const d of dissectors) this.add(d);
  }

  add(d: Dissector): void {
    this.dissectors.push(d);
    this.byProto.set(d.proto, d);
    for (const r of d.registers ?? []) this.set(r.table, r.key, d);
    if (d.heuristic) {
      let list = this.heuristics.get(d.heuristic.table);
      if (!list) this.heuristics.set(d.heuristic.table, (list = []));
      list.push(d);
    }
  }

  set(table: string, key: number, d: Dissector): void {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = new Map()));
    t.set(key, d);
  }

  delete(table: string, key: number): void {
    this.tables.get(table)?.delete(key);
  }

  get(table: string, key: number): Dissector | undefined {
    return this.tables.get(table)?.get(key);
  }

  /** Whether `table` has any entry (e.g. some dissector registered on a TCP port). */
  has(table: string): boolean {
    return (this.tables.get(table)?.size ?? 0) > 0;
  }

  /** The keys `table` has entries for (the ports some dissector registered on, …). */
  keys(table: string): number[] {
    return [...(this.tables.get(table)?.keys() ?? [])];
  }

  heuristic(table: string): readonly Dissector[] {
    return this.heuristics.get(table) ?? [];
  }

  proto(name: string): Dissector | undefined {
    return this.byProto.get(name);
  }

  /** A copy whose tables can be edited without touching this one. */
  clone(): Registry {
    const r = new Registry();
    for (const d of this.dissectors) {
      r.dissectors.push(d);
      r.byProto.set(d.proto, d);
    }
    for (const [name, t] of this.tables) r.tables.set(name, new Map(t));
    for (const [name, l] of this.heuristics) r.heuristics.set(name, l.slice());
    return r;
  }

  /**
   * Apply a Wireshark-style decode-as rule: "udp.port==5353,dns" or "tcp.port==8888,http".
   * Returns an error message, or null when applied.
   */
  decodeAs(rule: string): string | null {
    const m = /^\s*([a-z0-9_.]+)\s*==\s*(\d+)\s*,\s*([a-z0-9_.-]+)\s*$/i.exec(rule);
    if (!m) return `bad --decode-as rule "${rule}": expected TABLE==VALUE,PROTOCOL (e.g. udp.port==5353,dns)`;
    const [, table, value, proto] = m;
    if (!this.tables.has(table)) {
      return `bad --decode-as rule "${rule}": unknown table ${table} (known: ${[...this.tables.keys()].sort().join(', ')})`;
    }
    const d = this.byProto.get(proto.toLowerCase());
    if (!d) return `bad --decode-as rule "${rule}": unknown protocol ${proto}`;
    this.set(table, Number(value), d);
    return null;
  }

  /** Every field key known to the registered dissectors (plus extra ones from analysis). */
  fieldKeys(): Set<string> {
    const s = new Set<string>();
    for (const d of this.dissectors) for (const k of d.fieldKeys) s.add(k);
    return s;
  }
}
