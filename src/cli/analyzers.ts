// The stateful analyzers `wiretrace read` (and `capture`) run on every packet, in this order,
// between dissection and output (see src/pipeline.ts for the Analyzer contract).
// Analysis modules add themselves here: one import and one entry in defaultAnalyzers().

import type { Analyzer } from '../pipeline.js';

export function defaultAnalyzers(): Analyzer[] {
  return [];
}
