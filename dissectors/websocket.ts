// WebSocket (RFC 6455) frames on a connection that HTTP upgraded (101 with "Upgrade: websocket"),
// as tshark 4.0 shows them: one layer per frame, cut from the reassembled stream by the TCP
// application analyzer (src/analysis/http/app.ts). Masked payloads are unmasked; a text message is
// shown as text (tshark's Line-based text data), a binary one as data, control frames by their
// fields (close status and reason, ping and pong bytes); a message in fragments is put together on
// its last frame.
//
// tshark's Info for a frame: "WebSocket <opcode>" then " [FIN]" or "[FRAGMENT] ", then " [MASKED]"
// or " " (so "WebSocket Binary [FIN] " and "WebSocket Text[FRAGMENT]  [MASKED]"); with several frames
// in a segment, the last one's. Its frame.protocols: "http:websocket" once per frame, then each
// payload's dissector (data-text-lines, data).

import { fBool, fBytes, fBits, fStr, fText, fUint, gen, hexN, latin1Text, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const OPCODES: Record<number, string> = {
  0: 'Continuation', 1: 'Text', 2: 'Binary', 8: 'Connection Close', 9: 'Ping', 10: 'Pong',
};
const CLOSE_CODES: Record<number, string> = {
  1000: 'Normal Closure', 1001: 'Going Away', 1002: 'Protocol error', 1003: 'Unsupported Data', 1005: 'No Status Rcvd',
  1006: 'Abnormal Closure', 1007: 'Invalid frame payload data', 1008: 'Policy Violation', 1009: 'Message Too Big',
  1010: 'Mandatory Ext.', 1011: 'Internal Server', 1015: 'TLS handshake',
};

/** A message in fragments, per direction: its first frame's opcode and the payloads so far. */
export interface WsFragments {
  opcode: number;
  parts: Uint8Array[];
  frames: { frame: number; len: number }[];
}

export interface WsD {
  fin: boolean;
  rsv: number;
  opcode: number;
  mask: boolean;
  /** The 7-bit length field (126, 127: extended). */
  len7: number;
  plen: number;
  /** Offsets of the masking key (-1: none) and of the payload in the layer's buffer. */
  keyAt: number;
  payStart: number;
  payEnd: number;
  /** The payload unmasked (a copy), or the message a last fragment completes; null: none. */
  payload: Uint8Array | null;
  /** The opcode the payload is read by (a completed fragmented message: its first frame's). */
  msgOpcode: number;
  /** Frames and lengths of a message put together from fragments (the last one completes it). */
  frags: { frame: number; len: number }[] | null;
  /** The first WebSocket frame of its packet (frame.protocols says "http:websocket" once). */
  first: boolean;
  /** The header (lengths, masking key) is all there. */
  whole: boolean;
}

/** Bytes of the frame that starts buf (for the desegmenter): 0 when its header is not complete. */
export function wsFrameLength(buf: Uint8Array): number {
  if (buf.length < 2) return 0;
  const len7 = buf[1] & 0x7f;
  let n = 2;
  let plen = len7;
  if (len7 === 126) {
    if (buf.length < 4) return 0;
    plen = u16(buf, 2);
    n += 2;
  } else if (len7 === 127) {
    if (buf.length < 10) return 0;
    // lengths past 2^53 do not occur; the desegmenter's caps bound what is kept
    plen = u16(buf, 2) * 2 ** 48 + u16(buf, 4) * 2 ** 32 + u16(buf, 6) * 2 ** 16 + u16(buf, 8);
    n += 8;
  }
  if (buf[1] & 0x80) n += 4;
  return n + plen;
}

/**
 * The frame in [start, end) (whole, or cut: truncated). `frag` is the direction's message in
 * fragments (updated), `frame` the packet number (for the reassembly list).
 */
export function wsLayer(buf: Uint8Array, start: number, end: number, frag: { cur: WsFragments | null }, frame: number, first: boolean): Layer<WsD> {
  const d: WsD = {
    fin: false, rsv: 0, opcode: 0, mask: false, len7: 0, plen: 0, keyAt: -1, payStart: end, payEnd: end, payload: null,
    msgOpcode: 0, frags: null, first, whole: false,
  };
  const l = new Layer<WsD>(websocket, buf, start, end, d);
  if (end - start < 2) {
    l.problem('truncated', 'WebSocket frame header cut', start, end);
    return l;
  }
  const b0 = buf[start];
  const b1 = buf[start + 1];
  d.fin = (b0 & 0x80) !== 0;
  d.rsv = (b0 >> 4) & 7;
  d.opcode = b0 & 0x0f;
  d.mask = (b1 & 0x80) !== 0;
  d.len7 = b1 & 0x7f;
  let p = start + 2;
  const need = 2 + (d.len7 === 126 ? 2 : d.len7 === 127 ? 8 : 0) + (d.mask ? 4 : 0);
  if (end - start < need) {
    l.problem('truncated', 'WebSocket frame header cut', start, end);
    return l;
  }
  d.whole = true;
  d.plen = d.len7;
  if (d.len7 === 126) (d.plen = u16(buf, p)), (p += 2);
  else if (d.len7 === 127) (d.plen = wsFrameLength(buf.subarray(start, end)) - need), (p += 8);
  if (d.mask) (d.keyAt = p), (p += 4);
  d.payStart = p;
  d.payEnd = Math.min(end, p + d.plen);
  if (p + d.plen > end) l.problem('truncated', `WebSocket payload of ${d.plen} bytes, ${end - p} present`, p, end);
  let pay = buf.subarray(d.payStart, d.payEnd);
  if (d.mask) {
    const u = new Uint8Array(pay.length);
    for (let i = 0; i < u.length; i++) u[i] = pay[i] ^ buf[d.keyAt + (i & 3)];
    pay = u;
  }
  d.msgOpcode = d.opcode;
  if (d.opcode & 8) {
    d.payload = pay.length > 0 ? pay : null;
    return l;
  }
  if (!d.fin || d.opcode === 0) {
    // a data message in fragments: kept until its last frame
    if (d.opcode !== 0 || frag.cur === null) frag.cur = { opcode: d.opcode, parts: [], frames: [] };
    const f = frag.cur;
    f.parts.push(pay.slice());
    f.frames.push({ frame, len: pay.length });
    if (!d.fin) return l;
    let n = 0;
    for (const x of f.parts) n += x.length;
    const all = new Uint8Array(n);
    n = 0;
    for (const x of f.parts) all.set(x, n), (n += x.length);
    d.payload = all;
    d.msgOpcode = f.opcode;
    d.frags = f.frames;
    frag.cur = null;
    return l;
  }
  d.payload = pay.length > 0 ? pay : null;
  return l;
}

/** The payload's part of frame.protocols: text → data-text-lines, binary → data. */
function payloadProto(d: WsD): string {
  if (d.payload === null || d.payload.length === 0 || (d.opcode & 8)) return '';
  if (!d.fin) return '';
  return d.msgOpcode === 1 ? 'data-text-lines' : d.msgOpcode === 2 ? 'data' : '';
}

export const websocket: Dissector<WsD> = {
  proto: 'websocket',
  name: 'WebSocket',
  fieldKeys: [
    'websocket.fin', 'websocket.rsv', 'websocket.opcode', 'websocket.mask', 'websocket.payload_length',
    'websocket.payload_length_ext_16', 'websocket.payload_length_ext_64', 'websocket.masking_key', 'websocket.masked_payload',
    'websocket.payload', 'websocket.payload.text', 'websocket.payload.close', 'websocket.payload.close.status_code',
    'websocket.payload.close.reason', 'websocket.payload.ping', 'websocket.payload.pong', 'websocket.payload.unknown',
    'websocket.fragments', 'websocket.fragment', 'websocket.fragment.count', 'websocket.reassembled.length',
  ],
  protocolsPart(l) {
    const pp = payloadProto(l.d);
    const head = l.d.first ? 'http:websocket' : '';
    return head !== '' && pp !== '' ? `${head}:${pp}` : head + pp;
  },
  dissect(buf, start, end, ctx) {
    // without the connection (a frame seen alone): no fragments before it
    return wsLayer(buf, start, end, { cur: null }, ctx.frame.index, true);
  },
  fields(l) {
    const d = l.d;
    const s = l.start;
    const out: Field[] = [];
    if (l.end - s < 2) return out;
    const fin = fBool('websocket.fin', 'Fin', d.fin, s, 1, 0x80);
    fin.text = `${d.fin ? '1' : '0'}... .... = Fin: ${d.fin ? 'True' : 'False'}`;
    const rsv = fBits('websocket.rsv', 'Reserved', d.rsv, s, 1, 0x70);
    rsv.show = hexN(d.rsv, 2); // BASE_HEX
    const op = fBits('websocket.opcode', 'Opcode', d.opcode, s, 1, 0x0f);
    op.text = `Opcode: ${OPCODES[d.opcode] ?? 'Unknown'} (${d.opcode})`;
    const mk = fBool('websocket.mask', 'Mask', d.mask, s + 1, 1, 0x80);
    const ln = fBits('websocket.payload_length', 'Payload length', d.len7, s + 1, 1, 0x7f);
    if (d.len7 === 126) ln.text = `Payload length: 126 Extended Payload Length (16 bits)`;
    else if (d.len7 === 127) ln.text = `Payload length: 127 Extended Payload Length (64 bits)`;
    out.push(fin, rsv, op, mk, ln);
    if (!d.whole) return out;
    if (d.len7 === 126) out.push(fUint('websocket.payload_length_ext_16', 'Extended Payload length (16 bits)', d.plen, s + 2, 2));
    else if (d.len7 === 127) out.push(fUint('websocket.payload_length_ext_64', 'Extended Payload length (64 bits)', d.plen, s + 2, 8));
    if (d.keyAt >= 0 && d.keyAt + 4 <= l.end) out.push(fBytes('websocket.masking_key', 'Masking-Key', l.buf, d.keyAt, d.keyAt + 4));
    if (d.plen === 0 || d.payStart >= l.end) return out;
    if (d.mask) {
      const mp = fBool('websocket.masked_payload', 'Masked payload', true, d.payStart, d.payEnd - d.payStart);
      mp.text = 'Masked payload';
      out.push(mp);
    }
    const kids: Field[] = [];
    const pay = d.payload;
    if (d.opcode === 8 && pay !== null) {
      const close: Field[] = [];
      if (pay.length >= 2) {
        const code = (pay[0] << 8) | pay[1];
        const cf = fUint('websocket.payload.close.status_code', 'Status code', code, d.payStart, 2);
        cf.text = `Status code: ${CLOSE_CODES[code] ?? 'Unknown'} (${code})`;
        close.push(cf);
        if (pay.length > 2) close.push(fStr('websocket.payload.close.reason', 'Reason', new TextDecoder().decode(pay.subarray(2)), d.payStart + 2, pay.length - 2));
      }
      const c = fBool('websocket.payload.close', 'Close', true, d.payStart, d.payEnd - d.payStart);
      c.text = 'Close';
      c.children = close;
      kids.push(c);
    } else if ((d.opcode === 9 || d.opcode === 10) && pay !== null) {
      const f = fBytes(d.opcode === 9 ? 'websocket.payload.ping' : 'websocket.payload.pong', d.opcode === 9 ? 'Ping' : 'Pong', pay, 0, pay.length);
      kids.push(f);
    } else if (d.msgOpcode === 1 && d.fin && pay !== null) {
      kids.push(fStr('websocket.payload.text', 'Text', new TextDecoder().decode(pay), d.payStart, d.payEnd - d.payStart));
    } else if (d.msgOpcode === 2 && d.fin && pay !== null) {
      kids.push(gen(fUint('data.len', 'Length', pay.length, d.payStart, 0)));
    } else if (d.opcode > 2 && !(d.opcode & 8) && pay !== null) {
      kids.push(fBytes('websocket.payload.unknown', 'Unknown', pay, 0, pay.length));
    }
    const pf = fBool('websocket.payload', 'Payload', true, d.payStart, d.payEnd - d.payStart);
    pf.text = 'Payload';
    pf.children = kids;
    out.push(pf);
    if (d.frags !== null) {
      const fs: Field[] = [];
      let at = 0;
      for (const x of d.frags) {
        const f = gen(fUint('websocket.fragment', 'Frame', x.frame, 0, 0));
        f.text = `Frame: ${x.frame}, payload: ${at}-${at + x.len - 1} (${x.len} bytes)`;
        fs.push(f);
        at += x.len;
      }
      fs.push(gen(fUint('websocket.fragment.count', 'Fragment count', d.frags.length, 0, 0)));
      fs.push(gen(fUint('websocket.reassembled.length', 'Reassembled websocket Payload length', at, 0, 0)));
      out.push(fText(`[${d.frags.length} Reassembled websocket Fragments (${at} bytes): ${d.frags.map((x) => `#${x.frame}(${x.len})`).join(', ')}]`, 0, 0, fs));
    }
    if (d.msgOpcode === 1 && d.fin && pay !== null && !(d.opcode & 8)) {
      // tshark's Line-based text data: one line per line of the text
      const lines: Field[] = [];
      const t = latin1Text(pay, 0, pay.length);
      for (const ln of t.split(/(?<=\n)/)) if (ln !== '') lines.push(fText(ln.replace(/\r/g, '\\r').replace(/\n/g, '\\n'), d.payStart, 0));
      out.push(fText(`Line-based text data (${lines.length} lines)`, d.payStart, d.payEnd - d.payStart, lines));
    }
    return out;
  },
  column: () => 'WebSocket',
  info(l) {
    const d = l.d;
    if (l.end - l.start < 2) return 'WebSocket';
    return `WebSocket ${OPCODES[d.opcode] ?? 'Unknown Opcode'}${d.fin ? ' [FIN]' : '[FRAGMENT] '}${d.mask ? ' [MASKED]' : ' '}`;
  },
};
