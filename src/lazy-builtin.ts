// Node built-in modules that only some runs need, loaded when first used instead of at start-up:
// node:zlib (a compressed HTTP body), node:os (a pcapng section header) and node:net (telling a
// pipe from a file). Loading them costs every command ~8 ms of its start on the 2-core benchmark
// machine (measured one by one: zlib 4 ms, net 4.5 ms, os 0.5 ms), a sixth of wiretrace's own
// start-up. require() of a built-in is synchronous, so the code using it stays synchronous.

import { createRequire } from 'node:module';

let req: NodeJS.Require | null = null;

/** The built-in module `id` ('node:zlib' …), loaded on the first call. */
export function builtin<T>(id: string): T {
  req ??= createRequire(import.meta.url);
  return req(id) as T;
}
