// Canon BJNP (UDP 8611–8614: printer and scanner discovery and jobs) as tshark 4.0 shows it: the 16-byte
// header (id "BJNP"/"BJNB", type, code, sequence number, session id, payload length) and the payload as
// bytes; Info "Scanner Command: Discover".

import { fBytes, fStr, fUint, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface BjnpD {
  ok: boolean;
  type: number;
  code: number;
}

const TYPES: Record<number, string> = { 1: 'Printer Command', 2: 'Scanner Command', 129: 'Printer Response', 130: 'Scanner Response' };
const CODES: Record<number, string> = {
  1: 'Discover', 16: 'Print Job Details', 17: 'Request Closure', 32: 'Get Printer Status', 33: 'Print', 48: 'Get Printer Identity', 50: 'Scan Job Details',
};
/** "Scanner Command: Discover", "Unknown type (7): Unknown code (99)"; '' before the code is read. */
function summary(d: BjnpD): string {
  if (d.type < 0 || d.code < 0) return '';
  return `${TYPES[d.type] ?? `Unknown type (${d.type})`}: ${CODES[d.code] ?? `Unknown code (${d.code})`}`;
}

export const bjnp: Dissector<BjnpD> = {
  proto: 'bjnp',
  name: 'Canon BJNP',
  fieldKeys: ['bjnp.id', 'bjnp.type', 'bjnp.code', 'bjnp.seq_no', 'bjnp.session_id', 'bjnp.payload_len', 'bjnp.payload'],
  registers: [8611, 8612, 8613, 8614].map((key) => ({ table: 'udp.port', key })),
  dissect(buf, start, end, ctx) {
    const l = new Layer<BjnpD>(bjnp, buf, start, end, { ok: false, type: -1, code: -1 });
    if (end - start < 16) {
      l.short('BJNP header', start, 16, ctx.snapCut(buf, start + 16));
      if (end - start >= 5) l.d.type = buf[start + 4];
      if (end - start >= 6) l.d.code = buf[start + 5];
      return l;
    }
    l.d.ok = true;
    l.d.type = buf[start + 4];
    l.d.code = buf[start + 5];
    const n = u32(buf, start + 12);
    if (n > end - start - 16) l.short('BJNP payload', start + 16, n, ctx.snapCut(buf, start + 16 + n));
    return l;
  },
  fields(l) {
    const { buf: b, start: s, end: e } = l;
    const out: Field[] = [];
    const have = e - s;
    if (have >= 4) out.push(fStr('bjnp.id', 'Id', latin1Text(b, s, s + 4), s, 4));
    if (have >= 5) {
      const t = fUint('bjnp.type', 'Type', b[s + 4], s + 4, 1);
      t.text = TYPES[b[s + 4]] !== undefined ? `Type: ${TYPES[b[s + 4]]} (${b[s + 4]})` : `Type: Unknown (${b[s + 4]})`;
      out.push(t);
    }
    if (have >= 6) {
      const c = fUint('bjnp.code', 'Code', b[s + 5], s + 5, 1);
      c.text = CODES[b[s + 5]] !== undefined ? `Code: ${CODES[b[s + 5]]} (${b[s + 5]})` : `Code: Unknown (${b[s + 5]})`;
      out.push(c);
    }
    if (have >= 10) out.push(fUint('bjnp.seq_no', 'Sequence Number', u32(b, s + 6), s + 6, 4));
    if (have >= 12) out.push(fUint('bjnp.session_id', 'Session Id', u16(b, s + 10), s + 10, 2));
    if (have >= 16) {
      const n = u32(b, s + 12);
      out.push(fUint('bjnp.payload_len', 'Payload Length', n, s + 12, 4));
      if (n > 0 && have > 16) out.push(fBytes('bjnp.payload', 'Payload', b, s + 16, e));
    }
    return out;
  },
  title(l) {
    const s = summary(l.d);
    return s === '' ? 'Canon BJNP' : `Canon BJNP, ${s}`;
  },
  // tshark writes it once it has read the type and the code
  info: (l) => summary(l.d),
};
