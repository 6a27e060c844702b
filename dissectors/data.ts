// Payload no dissector claimed (tshark's "Data" with data.data and data.len).

import { fBytes, fUint, gen } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector } from '../src/dissect/types.js';

export const data: Dissector<null> = {
  proto: 'data',
  name: 'Data',
  fieldKeys: ['data.data', 'data.len'],
  dissect(buf, start, end) {
    return new Layer(data, buf, start, end, null);
  },
  fields(l) {
    return [fBytes('data.data', 'Data', l.buf, l.start, l.end), gen(fUint('data.len', 'Length', l.end - l.start, l.start, 0))];
  },
  title: (l) => `Data (${l.end - l.start} bytes)`,
  // Payload nobody claimed leaves the Protocol column to the layer that carried it (tshark shows TCP, ICMP, …).
  column: () => '',
};
