// ANSI colours for the terminal. Used only when the output is a TTY and neither NO_COLOR nor
// --no-color says otherwise (decided once, in output-options / createSink).
//
// Rows are coloured generically: by the kind of problem the packet carries (malformed or truncated:
// red; a checksum error: red text; unsupported: yellow), otherwise by a stable hash of the Protocol
// column text into a small palette, so every protocol keeps one colour without any table of names.

import type { Layer } from '../dissect/layer.js';

export const RESET = '\x1b[0m';
export const BOLD = '\x1b[1m';
export const DIM = '\x1b[2m';
export const RED = '\x1b[31m';
export const GREEN = '\x1b[32m';
export const YELLOW = '\x1b[33m';
export const BLUE = '\x1b[34m';
export const MAGENTA = '\x1b[35m';
export const CYAN = '\x1b[36m';
/** White on red: packets whose bytes ran out or lie. */
export const ALERT = '\x1b[97;41m';

const PALETTE = ['\x1b[36m', '\x1b[32m', '\x1b[35m', '\x1b[34m', '\x1b[96m', '\x1b[92m', '\x1b[95m', '\x1b[94m'];
const cache = new Map<string, string>();

/** A stable colour for a protocol column text. */
export function protoColor(name: string): string {
  let c = cache.get(name);
  if (c === undefined) {
    let h = 2166136261;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    c = PALETTE[(h >>> 0) % PALETTE.length];
    if (cache.size < 1024) cache.set(name, c);
  }
  return c;
}

/** Worst problem kind in the packet: 3 malformed/truncated, 2 checksum, 1 unsupported, 0 none. */
export function problemLevel(layers: readonly Layer[]): number {
  let lvl = 0;
  for (let i = 0; i < layers.length; i++) {
    const ps = layers[i].problems;
    if (ps !== null) {
      for (const p of ps) {
        const v = p.kind === 'malformed' || p.kind === 'truncated' ? 3 : p.kind === 'checksum' ? 2 : 1;
        if (v > lvl) lvl = v;
      }
    }
    const inner = layers[i].inner;
    if (inner !== null) {
      const v = problemLevel(inner);
      if (v > lvl) lvl = v;
    }
  }
  return lvl;
}

export function rowColor(proto: string, level: number): string {
  if (level === 3) return ALERT;
  if (level === 2) return '\x1b[1;31m';
  if (level === 1) return YELLOW;
  return protoColor(proto);
}

/** Whether to colour output written to `out`: a TTY, no NO_COLOR in env, not disabled by flag. */
export function useColor(out: { isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return out.isTTY === true;
}
