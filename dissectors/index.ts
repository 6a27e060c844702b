// The default registry: every dissector shipped with wiretrace.
// Each protocol's file adds one import line and one entry below (keep them grouped by layer).

import { Registry } from '../src/dissect/registry.js';
import type { Dissector } from '../src/dissect/types.js';
import { data } from './data.js';
import { ethernet } from './ethernet.js';
// -- link layer
// -- network layer
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { icmp } from './icmp.js';
// -- transport layer
import { tcp } from './tcp.js';
import { udp } from './udp.js';
// -- application layer

export const ALL_DISSECTORS: readonly Dissector[] = [
  data,
  ethernet,
  // -- link layer
  // -- network layer
  ipv4,
  ipv6,
  icmp,
  // -- transport layer
  tcp,
  udp,
  // -- application layer
];

export function defaultRegistry(): Registry {
  return new Registry(ALL_DISSECTORS);
}
