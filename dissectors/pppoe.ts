// PPP over Ethernet (RFC 2516) as tshark 4.0 shows it: discovery (ethertype 0x8863: PADI, PADO, PADR, PADS,
// PADT … with their tags) and session (0x8864: the PPP frame it carries, without address and control).
// The payload length bounds both (Ethernet padding after it is not PPPoE's); a discovery tag that runs
// past it is malformed, a payload length past the frame only marked on the field (tshark's "Possible bad
// payload length"), and an empty tag is not shown, as in tshark. Info: the code's name, a PADO's AC-Name.

import { fBits, fBytes, fHex, fStr, fText, fUint, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

interface Tag {
  type: number;
  at: number;
  len: number;
}

export interface PppoeD {
  code: number;
  sid: number;
  plen: number;
  /** End of the payload the length allows within the frame. */
  payEnd: number;
  tags: Tag[];
  ok: boolean;
}

const CODES: Record<number, string> = {
  0x00: 'Session Data', 0x07: 'Active Discovery Offer (PADO)', 0x09: 'Active Discovery Initiation (PADI)',
  0x0a: 'Active Discovery Session-Grant (PADG)', 0x0b: 'Active Discovery Session-Credit Resp.(PADC)', 0x0c: 'Active Discovery Quality (PADQ)',
  0x19: 'Active Discovery Request (PADR)', 0x65: 'Active Discovery Session-confirmation (PADS)', 0xa7: 'Active Discovery Terminate (PADT)',
  0xd3: 'Active Discovery Message (PADM)', 0xd4: 'Active Discovery Network (PADN)',
};

/** Tags tshark shows as text / as bytes, by type: [key, label]. */
const TEXT_TAGS: Record<number, [string, string]> = {
  0x0101: ['pppoed.tags.service_name', 'Service-Name'], 0x0102: ['pppoed.tags.ac_name', 'AC-Name'],
  0x0201: ['pppoed.tags.service_name_error', 'Service-Name-Error'], 0x0202: ['pppoed.tags.ac_system_error', 'AC-System-Error'],
  0x0203: ['pppoed.tags.generic_error', 'Generic-Error'],
};
const BYTE_TAGS: Record<number, [string, string]> = {
  0x0103: ['pppoed.tags.host_uniq', 'Host-Uniq'], 0x0104: ['pppoed.tags.ac_cookie', 'AC-Cookie'], 0x0110: ['pppoed.tags.relay_session_id', 'Relay-Session-Id'],
  0x0111: ['pppoed.tags.hurl', 'HURL'], 0x0112: ['pppoed.tags.motm', 'MOTM'], 0x0120: ['pppoed.tags.max_payload', 'PPP-Max-Payload'],
  0x0121: ['pppoed.tags.ip_route_add', 'IP Route Add'],
};
/** Broadband Forum (vendor 3561) sub-tags: text ones and 32-bit ones. */
const BBF_TEXT: Record<number, [string, string]> = { 0x01: ['pppoed.tags.circuit_id', 'Circuit ID'], 0x02: ['pppoed.tags.remote_id', 'Remote ID'] };
const BBF_U32: Record<number, [string, string]> = {
  0x81: ['pppoed.tags.act_data_rate_up', 'Actual Data Rate Upstream'], 0x82: ['pppoed.tags.act_data_rate_down', 'Actual Data Rate Downstream'],
  0x83: ['pppoed.tags.min_data_rate_up', 'Minimum Data Rate Upstream'], 0x84: ['pppoed.tags.min_data_rate_down', 'Minimum Data Rate Downstream'],
  0x85: ['pppoed.tags.attainable_data_rate_up', 'Attainable DataRate Upstream'], 0x86: ['pppoed.tags.attainable_data_rate_down', 'Attainable DataRate Downstream'],
  0x87: ['pppoed.tags.max_data_rate_up', 'Maximum Data Rate Upstream'], 0x88: ['pppoed.tags.max_data_rate_down', 'Maximum Data Rate Downstream'],
};
const MAX_TAGS = 256;

function header(proto: Dissector<PppoeD>, buf: Uint8Array, start: number, end: number, snapCut: (b: Uint8Array, e: number) => boolean): Layer<PppoeD> {
  const d: PppoeD = { code: -1, sid: 0, plen: 0, payEnd: end, tags: [], ok: false };
  const l = new Layer<PppoeD>(proto, buf, start, end, d);
  if (end - start < 6) {
    l.short('PPPoE header', start, 6, snapCut(buf, start + 6));
    return l;
  }
  d.ok = true;
  d.code = buf[start + 1];
  d.sid = u16(buf, start + 2);
  d.plen = u16(buf, start + 4);
  d.payEnd = Math.min(end, start + 6 + d.plen);
  if (start + 6 + d.plen > end && !snapCut(buf, start + 6 + d.plen)) l.problem('malformed', `PPPoE payload length ${d.plen} runs past the frame (${end - start - 6} bytes)`, start + 4, start + 6);
  l.end = d.payEnd;
  return l;
}

function headerFields(l: Layer<PppoeD>): Field[] {
  const { buf: b, start: s, d } = l;
  if (!d.ok) return [];
  const v = fBits('pppoe.version', 'Version', b[s] >> 4, s, 1, 0xf0);
  const t = fBits('pppoe.type', 'Type', b[s] & 15, s, 1, 0x0f);
  const c = fHex('pppoe.code', 'Code', d.code, s + 1, 1);
  c.text = `Code: ${CODES[d.code] ?? 'Unknown'} (${c.show})`;
  return [v, t, c, fHex('pppoe.session_id', 'Session ID', d.sid, s + 2, 2), fUint('pppoe.payload_length', 'Payload Length', d.plen, s + 4, 2)];
}

export const pppoed: Dissector<PppoeD> = {
  proto: 'pppoed',
  name: 'PPP-over-Ethernet Discovery',
  fieldKeys: [
    'pppoe.version', 'pppoe.type', 'pppoe.code', 'pppoe.session_id', 'pppoe.payload_length', 'pppoed.tags', 'pppoed.tag', 'pppoed.tag_length',
    'pppoed.tag.unknown_data', 'pppoed.tags.vendor_id', 'pppoed.tags.vendor_unspecified', 'pppoed.tags.vendorspecific.tags',
    ...Object.values(TEXT_TAGS).map((x) => x[0]), ...Object.values(BYTE_TAGS).map((x) => x[0]), ...Object.values(BBF_TEXT).map((x) => x[0]),
    ...Object.values(BBF_U32).map((x) => x[0]),
  ],
  registers: [{ table: 'ethertype', key: 0x8863 }],
  dissect(buf, start, end, ctx) {
    const l = header(pppoed, buf, start, end, (b, e) => ctx.snapCut(b, e));
    const d = l.d;
    if (!d.ok) return l;
    for (let p = start + 6; p < d.payEnd && d.tags.length < MAX_TAGS; ) {
      if (p + 4 > d.payEnd) {
        l.short('PPPoE tag header', p, 4, ctx.snapCut(buf, p + 4));
        break;
      }
      const type = u16(buf, p);
      const len = u16(buf, p + 2);
      if (type === 0) break; // End-Of-List
      if (p + 4 + len > d.payEnd) {
        l.short(`PPPoE tag 0x${type.toString(16).padStart(4, '0')}`, p + 4, len, ctx.snapCut(buf, p + 4 + len));
        break;
      }
      d.tags.push({ type, at: p, len });
      p += 4 + len;
    }
    return l;
  },
  fields(l) {
    const out = headerFields(l);
    const { buf: b, d } = l;
    if (!d.ok || d.payEnd <= l.start + 6) return out;
    const kids: Field[] = [];
    for (const t of d.tags) {
      if (t.len === 0) continue;
      const v = t.at + 4;
      const e = v + t.len;
      const txt = TEXT_TAGS[t.type];
      const byt = BYTE_TAGS[t.type];
      if (txt !== undefined) kids.push(fStr(txt[0], txt[1], latin1Text(b, v, e), v, t.len));
      else if (byt !== undefined) kids.push(fBytes(byt[0], byt[1], b, v, e));
      else if (t.type === 0x0105 && t.len >= 4) {
        const vendor = u32(b, v);
        kids.push(fUint('pppoed.tags.vendor_id', 'Vendor id', vendor, v, 4));
        if (vendor === 3561) kids.push(fText('Vendor Specific PPPoE Tags', v + 4, t.len - 4, bbfTags(b, v + 4, e)));
        else if (t.len > 4) kids.push(fBytes('pppoed.tags.vendor_unspecified', 'Vendor unspecified', b, v + 4, e));
      } else {
        const tf = fHex('pppoed.tag', 'Tag', t.type, t.at, 2);
        kids.push(tf, fUint('pppoed.tag_length', 'Tag Length', t.len, t.at + 2, 2), fBytes('pppoed.tag.unknown_data', 'Unknown Data', b, v, e));
      }
    }
    const tags = fText('PPPoE Tags', l.start + 6, d.payEnd - l.start - 6, kids);
    tags.key = 'pppoed.tags';
    out.push(tags);
    return out;
  },
  column: () => 'PPPoED',
  info(l) {
    const d = l.d;
    if (!d.ok) return null;
    let s = CODES[d.code] ?? 'Unknown';
    if (d.code === 0x07) {
      const ac = d.tags.find((t) => t.type === 0x0102);
      if (ac !== undefined) s += ` AC-Name='${latin1Text(l.buf, ac.at + 4, ac.at + 4 + ac.len)}'`;
    }
    return s;
  },
};

/** The Broadband Forum's vendor-specific sub-tags (type and length a byte each). */
function bbfTags(b: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  for (let p = start, n = 0; p + 2 <= end && n < MAX_TAGS; n++) {
    const type = b[p];
    const len = b[p + 1];
    const v = p + 2;
    const e = Math.min(end, v + len);
    const txt = BBF_TEXT[type];
    const u = BBF_U32[type];
    if (txt !== undefined) out.push(fStr(txt[0], txt[1], latin1Text(b, v, e), v, e - v));
    else if (u !== undefined && len === 4 && e === v + 4) out.push(fUint(u[0], u[1], u32(b, v), v, 4));
    else {
      const tf = fHex('pppoed.tags.vendorspecific.tag', 'Tag', type, p, 1);
      out.push(tf, fUint('pppoed.tag_length_8', 'Tag Length', len, p + 1, 1), fBytes('pppoed.tag.unknown_data', 'Unknown Data', b, v, e));
    }
    p = v + len;
  }
  return out;
}

export const pppoes: Dissector<PppoeD> = {
  proto: 'pppoes',
  name: 'PPP-over-Ethernet Session',
  fieldKeys: ['pppoe.version', 'pppoe.type', 'pppoe.code', 'pppoe.session_id', 'pppoe.payload_length'],
  registers: [{ table: 'ethertype', key: 0x8864 }],
  dissect(buf, start, end, ctx) {
    const l = header(pppoes, buf, start, end, (b, e) => ctx.snapCut(b, e));
    const d = l.d;
    if (d.ok && start + 6 < d.payEnd) l.next = { table: 'pppoes', key: 0, start: start + 6, end: d.payEnd };
    return l;
  },
  fields: headerFields,
  column: () => 'PPPoES',
  info: (l) => (l.d.ok ? CODES[l.d.code] ?? 'Unknown' : null),
};
