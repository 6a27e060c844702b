// -T json (one array, streamed packet by packet) and -T ndjson (one packet per line).
// Schema: docs/json-schema.md.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import { epochText, frameDissector } from '../dissect/frame.js';
import type { Field, FieldValue, Problem } from '../dissect/types.js';
import { layerTitle } from './tree.js';

const q = JSON.stringify;
// Buffer's native hex encoder (lower case, like fmtBytesHex) works on any Uint8Array.
const hexSlice = (Buffer.prototype as unknown as { hexSlice(this: Uint8Array, s: number, e: number): string }).hexSlice;

function valueJson(v: FieldValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : q(String(v));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return '"' + v.toString() + '"';
    case 'string':
      return q(v);
    default:
      return '"' + (v.length > 0 ? hexSlice.call(v, 0, v.length) : '') + '"';
  }
}

// '{"key":…,"label":…,"value":' for each (key, label) pair: they repeat in every packet.
// Keyed by key, then label (no concatenated lookup string per field).
const heads = new Map<string, Map<string, string>>();
let headCount = 0;
function head(key: string, label: string): string {
  let byLabel = heads.get(key);
  if (byLabel === undefined) {
    byLabel = new Map();
    if (headCount < 20000) heads.set(key, byLabel);
  }
  let h = byLabel.get(label);
  if (h === undefined) {
    h = '{"key":' + q(key) + ',"label":' + q(label) + ',"value":';
    if (headCount < 20000) {
      byLabel.set(label, h);
      headCount++;
    }
  }
  return h;
}

function fieldsJson(fs: readonly Field[]): string {
  let s = '';
  let first = true;
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i];
    if (f.hidden === true) continue; // like tshark -T json: hidden fields (ip.addr, tcp.port) are not shown
    if (!first) s += ',';
    first = false;
    const v = f.value;
    const show = q(f.show);
    // a string value equal to the show text: quote it once
    s += head(f.key, f.label) + (v === f.show ? show : valueJson(v)) + ',"show":' + show +
      ',"start":' + f.start + ',"len":' + f.len;
    if (f.text !== undefined) s += ',"text":' + q(f.text);
    if (f.mask !== undefined) s += ',"mask":' + f.mask;
    if (f.generated) s += ',"generated":true';
    if (f.children !== undefined && f.children.length > 0) s += ',"children":[' + fieldsJson(f.children) + ']';
    s += '}';
  }
  return s;
}

function problemsJson(ps: readonly Problem[] | null): string {
  if (ps === null) return '';
  let s = '';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (i > 0) s += ',';
    s += '{"kind":"' + p.kind + '","message":' + q(p.message) + ',"start":' + p.start + ',"end":' + p.end + '}';
  }
  return s;
}

export function layersJson(layers: readonly Layer[]): string {
  let s = '';
  let first = true;
  for (const l of layers) {
    if (l.dis === frameDissector) continue;
    if (!first) s += ',';
    first = false;
    const fields = fieldsJson(l.fields());
    const extra = l.extra !== null ? fieldsJson(l.extra) : '';
    s += '{"protocol":' + q(l.proto) + ',"title":' + q(layerTitle(l)) + ',"start":' + l.start + ',"end":' + l.end;
    if (l.bufName !== null) s += ',"source":' + q(l.bufName);
    s += ',"fields":[' + fields + (fields !== '' && extra !== '' ? ',' : '') + extra + ']';
    s += ',"problems":[' + problemsJson(l.problems) + ']';
    if (l.inner !== null && l.inner.length > 0) s += ',"inner":[' + layersJson(l.inner) + ']';
    s += '}';
  }
  return s;
}

/** One packet as a JSON object (no newline). */
export function packetJson(pkt: Packet): string {
  const fr = pkt.frame;
  let s = '{"frame":{"number":' + fr.index + ',"time_epoch":"' + epochText(fr.ts) + '","len":' + fr.origLen +
    ',"cap_len":' + fr.data.length + ',"interface_id":' + fr.ifIndex + ',"link_type":' + fr.linkType;
  if (fr.comments !== undefined && fr.comments.length > 0) s += ',"comments":' + q(fr.comments);
  // live capture stamps frames with the host clock (cap gives no kernel timestamp): say so
  if (fr.tsSource !== undefined) s += ',"time_source":"' + fr.tsSource + '"';
  s += '},"layers":[' + layersJson(pkt.layers) + ']';
  // problems of the frame pseudo-layer (e.g. unsupported link type)
  const fl = pkt.layers[0];
  if (fl !== undefined && fl.dis === frameDissector && fl.problems !== null) s += ',"problems":[' + problemsJson(fl.problems) + ']';
  return s + '}';
}
