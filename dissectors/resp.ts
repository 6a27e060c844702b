// RESP, the REdis Serialization Protocol (v2), on TCP port 6379, as tshark 4.0 shows it: simple
// strings, errors, integers, bulk strings and arrays (nested), and inline commands as "Fragment".
// TCP reassembly hands it whole messages (src/analysis/http/app.ts); one RESP layer holds the messages
// that complete in a frame. Info: "Request:" or "Response:" (by the server port 6379), then the command
// and its arguments for a request ("Request: GET key"), and for a response the top-level value
// ("Response: OK", "Response: 2", "Response: Array(3)", " BulkString(n)" for long or binary strings),
// " Error: …" for an error anywhere, " [fragment]" for an inline line (packet-resp.c).

import { fBytes, fStr, fText, latin1Text } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export const RESP_TCP_PORT = 6379;
/** tshark stops descending into arrays past this depth. */
const MAX_DEPTH = 30;
/** A bulk string this long or longer is shown as "BulkString(n)" in Info. */
const BULK_MAX_DISPLAY = 100;

/** One line from `p`: its content end (before CR LF / LF) and where the next line starts; null without an LF. */
function line(buf: Uint8Array, p: number, end: number): { stop: number; next: number } | null {
  for (let i = p; i < end; i++) {
    if (buf[i] === 0x0a) return { stop: i > p && buf[i - 1] === 0x0d ? i - 1 : i, next: i + 1 };
  }
  return null;
}

/** g_ascii_strtoll of the text: leading spaces, a sign, digits; 0 when none. */
function strtoll(buf: Uint8Array, p: number, stop: number): bigint {
  const m = /^\s*([+-]?\d+)/.exec(latin1Text(buf, p, stop));
  return m === null ? 0n : BigInt(m[1]);
}

/**
 * The length of the RESP value at `p` (a whole message), 0 when the bytes end first. As tshark, a
 * line counts its content and two bytes for the line end.
 */
export function respLength(buf: Uint8Array, p: number, end: number, depth = 0): number {
  const ln = line(buf, p, end);
  if (ln === null) return 0;
  const lineLen = ln.stop - p + 2;
  const t = buf[p];
  if (t === 0x24) {
    // $len CRLF bytes CRLF
    const n = Number(strtoll(buf, p + 1, ln.stop));
    if (n < 0) return lineLen;
    return p + lineLen + n + 2 <= end ? lineLen + n + 2 : 0;
  }
  if (t === 0x2a) {
    const n = strtoll(buf, p + 1, ln.stop);
    if (n <= 0n || depth > MAX_DEPTH) return lineLen;
    let q = p + lineLen;
    for (let i = 0n; i < n; i++) {
      if (q >= end) return 0;
      const k = respLength(buf, q, end, depth + 1);
      if (k === 0) return 0;
      q += k;
    }
    return q - p;
  }
  return lineLen;
}

interface Ctx {
  buf: Uint8Array;
  end: number;
  request: boolean;
  info: string;
  /** Stop an array at its first element that is not whole (a message still being reassembled). */
  wholeOnly?: boolean;
}

const infoPrefix = (request: boolean): string => (request ? 'Request:' : 'Response:');

/** The fields of the value at `p` (appending to Info as tshark does); returns where it ends. */
function value(c: Ctx, p: number, depth: number, out: Field[]): number {
  const b = c.buf;
  const ln = line(b, p, c.end);
  if (ln === null) {
    out.push(fText('[Partial: no line end]', p, c.end - p));
    return c.end;
  }
  const lineLen = ln.stop - p + 2;
  const text = latin1Text(b, p + 1, ln.stop);
  switch (b[p]) {
    case 0x2b: // +
      out.push(fStr('resp.string', 'String', text, p, lineLen));
      if (!c.request && depth === 0) c.info += ' ' + text;
      return p + lineLen;
    case 0x2d: // -
      out.push(fStr('resp.error', 'Error', text, p, lineLen));
      c.info += ` Error: ${text}`;
      return p + lineLen;
    case 0x3a: {
      // :
      const v = strtoll(b, p + 1, ln.stop);
      out.push({ key: 'resp.integer', label: 'Integer', value: v, show: v.toString(), start: p, len: lineLen });
      if (!c.request && depth === 0) c.info += ' ' + v.toString();
      return p + lineLen;
    }
    case 0x24: {
      // $
      const n = Number(strtoll(b, p + 1, ln.stop));
      const lenField: Field = { key: 'resp.bulk_string.length', label: 'Length', value: n, show: String(n), start: p, len: lineLen };
      if (n < 0) {
        out.push(fText(n === -1 ? 'Bulk String: [NULL]' : 'Bulk String', p, lineLen, [lenField]));
        return p + lineLen;
      }
      const vs = p + lineLen;
      const have = Math.min(n, Math.max(0, c.end - vs));
      const kids = [lenField];
      if (have > 0) kids.push(fBytes('resp.bulk_string.value', 'Value', b, vs, vs + have));
      // the string as C sees it: up to a NUL
      let z = vs;
      while (z < vs + have && b[z] !== 0) z++;
      let ascii = true;
      for (let i = vs; i < z; i++) if (b[i] >= 0x80) ascii = false;
      const str = latin1Text(b, vs, z);
      const f = fText(ascii ? `Bulk String: ${str}` : 'Bulk String', p, lineLen + have + (have === n ? 2 : 0), kids);
      f.key = 'resp.bulk_string';
      out.push(f);
      if (ascii) {
        if (c.request && depth === 1) c.info += n < BULK_MAX_DISPLAY ? ' ' + str : ` BulkString(${n})`;
        else if (!c.request && depth === 0 && n < BULK_MAX_DISPLAY) c.info += ' ' + str;
        else if (depth === 0) c.info += ` BulkString(${n})`;
      } else if (depth === 0) c.info += ` BulkString(${n})`;
      return vs + have + (have === n ? 2 : 0);
    }
    case 0x2a: {
      // *
      const n = strtoll(b, p + 1, ln.stop);
      const lenField: Field = { key: 'resp.array.length', label: 'Length', value: n, show: n.toString(), start: p, len: lineLen };
      const kids: Field[] = [lenField];
      const f = fText(n === -1n ? 'Array: NULL' : n === 0n ? 'Array: Empty' : n < 0n ? 'Array' : `Array: Length ${n}`, p, lineLen, kids);
      f.key = 'resp.array';
      out.push(f);
      let q = p + lineLen;
      if (n <= 0n || depth > MAX_DEPTH) return q;
      if (!c.request && depth === 0) c.info += ` Array(${n})`;
      for (let i = 0n; i < n && q < c.end; i++) {
        if (c.wholeOnly && respLength(b, q, c.end, depth + 1) === 0) break;
        q = value(c, q, depth + 1, kids);
      }
      f.len = q - p;
      return q;
    }
    default:
      // an inline command (or bytes that do not start a value): tshark's "Fragment"
      if (ln.stop === p) return p + lineLen;
      out.push({ key: 'resp.fragment', label: 'Fragment', value: null, show: '', start: p, len: lineLen, text: 'Fragment' });
      c.info += ' [fragment]';
      return p + lineLen;
  }
}

/**
 * Info of a frame whose message is not complete yet: tshark dissects what it can (a command's array
 * and the arguments that are whole), then asks TCP for more and adds " [continuation]".
 */
export function respPartialInfo(buf: Uint8Array, request: boolean): string {
  const c: Ctx = { buf, end: buf.length, request, info: '', wholeOnly: true };
  if (buf[0] === 0x2a && line(buf, 0, buf.length) !== null) value(c, 0, 0, []);
  return `${infoPrefix(request)}${c.info} [continuation]`;
}

export interface RespD {
  /** The messages in the layer's range, [start, end) each. */
  items: { start: number; end: number }[];
  /** Sent to the server (port 6379): a request. */
  request: boolean;
  /** Built by the first walk: Info and the fields. */
  info: string | null;
  fields: Field[] | null;
}

function walk(l: Layer<RespD>): void {
  if (l.d.info !== null) return;
  const out: Field[] = [];
  let info = infoPrefix(l.d.request);
  for (const it of l.d.items) {
    const c: Ctx = { buf: l.buf, end: it.end, request: l.d.request, info: '' };
    for (let p = it.start, guard = 0; p < it.end && guard < 4096; guard++) {
      const q = value(c, p, 0, out);
      if (q <= p) break;
      p = q;
    }
    info += c.info;
  }
  l.d.info = info;
  l.d.fields = out;
}

/** The RESP layer over the messages that complete in a frame (or one reassembled message). */
export function respLayer(buf: Uint8Array, start: number, end: number, items: { start: number; end: number }[], request: boolean): Layer<RespD> {
  return new Layer<RespD>(resp, buf, start, end, { items, request, info: null, fields: null });
}

export const resp: Dissector<RespD> = {
  proto: 'resp',
  name: 'REdis Serialization Protocol',
  fieldKeys: [
    'resp.string', 'resp.error', 'resp.integer', 'resp.bulk_string', 'resp.bulk_string.length', 'resp.bulk_string.value', 'resp.array',
    'resp.array.length', 'resp.fragment',
  ],
  // reached through TCP reassembly (src/analysis/http/app.ts), not the port table
  registers: [],

  dissect(buf, start, end) {
    return respLayer(buf, start, end, [{ start, end }], true);
  },

  fields(l) {
    walk(l);
    return l.d.fields!;
  },

  info(l) {
    walk(l);
    return l.d.info!;
  },
};
