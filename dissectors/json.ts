// JSON (JavaScript Object Notation), as tshark 4.0's json dissector shows it, for the bytes a dissector hands
// over on the 'json' table (DB-LSP-DISC, which nests it in its own item and writes the columns for it as tshark's
// JSON dissector does there; HTTP bodies go through src/analysis/http/message.ts): the tree that
// src/dissect/json.ts reads (Object / Array / Member, Key, the value items and the generated [Path],
// [Path with value] and [Member with value] items), Protocol column "<the column below>/JSON", Info
// "<the Info below>, JavaScript Object Notation". Text the reader does not take is marked malformed.

import { readJson } from '../src/dissect/json.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface JsonD {
  /** The Protocol column of the layer below, read when this layer was made. */
  below: string;
  root: Field | null;
}

export const json: Dissector<JsonD> = {
  proto: 'json',
  name: 'JavaScript Object Notation',
  fieldKeys: [
    'json.object', 'json.array', 'json.member', 'json.key', 'json.path', 'json.path_with_value', 'json.member_with_value',
    'json.value.string', 'json.value.number', 'json.value.true', 'json.value.false', 'json.value.null',
  ],
  registers: [{ table: 'json', key: 0 }],

  dissect(buf, start, end, ctx) {
    const prev = ctx.layers[ctx.layers.length - 1];
    const below = prev ? (prev.dis.column ? prev.dis.column(prev) : prev.proto.toUpperCase()) : '';
    const l = new Layer<JsonD>(json, buf, start, end, { below, root: null });
    const r = readJson(buf, start, end);
    if (r.ok) l.d.root = r.root;
    else l.problem('malformed', `JSON: ${r.why}`, Math.min(r.at, end), end);
    return l;
  },

  fields: (l) => (l.d.root ? [l.d.root] : []),
  column: (l) => (l.d.below ? `${l.d.below}/JSON` : 'JSON'),
  info(l, layers) {
    const i = layers.indexOf(l);
    const prev = i > 0 ? layers[i - 1] : null;
    const below = prev?.dis.info ? prev.dis.info(prev, layers) : null;
    return below ? `${below}, JavaScript Object Notation` : 'JavaScript Object Notation';
  },
};
