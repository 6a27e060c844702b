// DB-LSP-DISC, Dropbox LAN sync discovery (UDP 17500), as tshark 4.0 shows it: Protocol column
// "DB-LSP-DISC", Info "Dropbox LAN sync Discovery Protocol". A datagram that tshark's JSON check takes (an
// object or array, src/dissect/json.ts) goes to the JSON dissector (table 'json', dissectors/json.ts), inside
// this layer's item as in tshark (layer.inner): the column is then "DB-LSP-DISC/JSON" and the Info has
// ", JavaScript Object Notation" after it, as the JSON dissector writes them there; any other datagram
// is shown as its "Text" (db-lsp.text, ASCII, bytes from 0x80 as U+FFFD), the captured bytes of a cut one too
// (tshark marks nothing there: its check fails on the cut text and the text item reads only captured bytes).

import { fStr } from '../src/dissect/fields.js';
import { readJson } from '../src/dissect/json.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface DbLspDiscD {
  /** True when the datagram went to the JSON dissector. */
  json: boolean;
}

function asciiText(b: Uint8Array, from: number, to: number): string {
  let t = '';
  for (let i = from; i < to; i++) t += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
  return t;
}

export const dbLspDisc: Dissector<DbLspDiscD> = {
  proto: 'db-lsp-disc',
  name: 'Dropbox LAN sync Discovery Protocol',
  fieldKeys: ['db-lsp.text'],
  registers: [{ table: 'udp.port', key: 17500 }],

  dissect(buf, start, end, ctx) {
    const l = new Layer<DbLspDiscD>(dbLspDisc, buf, start, end, { json: false });
    // tshark calls the JSON dissector with its own tree: the JSON item sits inside this one (layer.inner)
    if (end > start && readJson(buf, start, end, true).ok) {
      l.d.json = true;
      l.inner = ctx.dissectInner('json', 0, buf, start, end);
    }
    return l;
  },

  fields(l): Field[] {
    if (l.d.json || l.end <= l.start) return [];
    return [fStr('db-lsp.text', 'Text', asciiText(l.buf, l.start, l.end), l.start, l.end - l.start)];
  },
  column: (l) => (l.d.json ? 'DB-LSP-DISC/JSON' : 'DB-LSP-DISC'),
  info: (l) => (l.d.json ? 'Dropbox LAN sync Discovery Protocol, JavaScript Object Notation' : 'Dropbox LAN sync Discovery Protocol'),
};
