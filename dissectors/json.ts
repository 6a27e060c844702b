// JSON (JavaScript Object Notation), as tshark 4.0's json dissector shows it, for the bytes a dissector hands
// over on the 'json' table (DB-LSP-DISC, which nests it in its own item and writes the columns for it as tshark's
// JSON dissector does there; an HTTP body of a JSON media type gets a layer from jsonBodyLayer(), made by
// src/analysis/http/app.ts, while HTTP keeps its "HTTP/JSON" column and "http:json"): the tree that
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
  /**
   * The media type of an HTTP body this layer shows (jsonBodyLayer()): HTTP writes the columns and
   * frame.protocols' "http:json" for it, so this layer adds none.
   */
  media?: string;
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
  title: (l) => (l.d.media ? `JavaScript Object Notation: ${l.d.media}` : 'JavaScript Object Notation'),
  protocolsPart: (l) => (l.d.media ? '' : 'json'),
  column: (l) => (l.d.media ? '' : l.d.below ? `${l.d.below}/JSON` : 'JSON'),
  info(l, layers) {
    if (l.d.media) return null;
    const i = layers.indexOf(l);
    const prev = i > 0 ? layers[i - 1] : null;
    const below = prev?.dis.info ? prev.dis.info(prev, layers) : null;
    return below ? `${below}, JavaScript Object Notation` : 'JavaScript Object Notation';
  },
};

/**
 * The JSON item of an HTTP body of a JSON media type `mt` (src/analysis/http/app.ts puts it after the HTTP
 * message's layer, as tshark's top-level "JavaScript Object Notation: application/json"); null when the body
 * is not JSON to the reader (tshark then shows its text; wiretrace shows the body in HTTP's File Data only).
 */
export function jsonBodyLayer(buf: Uint8Array, start: number, end: number, mt: string): Layer<JsonD> | null {
  const r = readJson(buf, start, end);
  if (!r.ok) return null;
  return new Layer<JsonD>(json, buf, start, end, { below: '', root: r.root, media: mt });
}
