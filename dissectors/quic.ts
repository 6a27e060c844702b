// QUIC (RFC 9000, 9001; drafts 22–34) on UDP, as tshark 4.0 shows it: long headers (Initial, 0-RTT,
// Handshake, Retry), Version Negotiation, short (1-RTT) headers, several QUIC packets coalesced in one
// datagram. Initial packets are decrypted with the keys anyone can derive from the client's first
// Destination Connection ID (RFC 9001 5.2; the salt of the packet's version), so their frames show,
// and the TLS handshake messages their CRYPTO frames carry (Client Hello with SNI and ALPN, Server
// Hello) are handed to TLS. Handshake, 0-RTT and 1-RTT packets need the TLS secrets, which a capture
// does not hold: their payload stays protected, as in tshark without a key log.
//
// Found by tshark's rules (epan/dissectors/packet-quic.c): a datagram is QUIC when a long header names
// a known version (a draft, v1, a 0x?a?a?a?a "forcing negotiation" version, mvfst) or a short header's
// Destination Connection ID belongs to a connection seen before. Connections are tracked by their
// connection IDs (Initial DCID, the client's and the server's SCIDs, Retry), numbered in order seen.
// Info: the last packet's "Initial, DCID=…, SCID=…, PKN: n, CRYPTO, PADDING" (frame names as tshark's
// column writes them: ACK_ECN, CC, NCI, STREAM(4) …); "Protected Payload (KP0), DCID=…" for 1-RTT.

import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { fBool, fBits, fBytes, fText, fUint, fmtBytesHex, gen, hexN, u32 } from '../src/dissect/fields.js';
import type { IpD, UdpD } from '../src/dissect/decoded.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';

/** tshark's draft number of a version (0: not QUIC as it knows it). */
function draftOf(v: number): number {
  if (v >>> 8 === 0xff0000) return v & 0xff;
  if (v === 0xfaceb001) return 22;
  if (v === 0xfaceb002 || v === 0xfaceb00e) return 27;
  if ((v & 0x0f0f0f0f) === 0x0a0a0a0a) return 29;
  if (v === 1) return 34;
  if (v === 0x709a50c4 || v === 0x6b3343cf) return 100;
  return 0;
}
/** QUIC v2 (RFC 9369): its own salt, "quicv2" key labels and long packet types rotated by one. */
const isV2 = (v: number) => v === 0x6b3343cf;
const SALT_V2 = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex');

const SALTS: [number, Buffer][] = [
  [22, Buffer.from('7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a', 'hex')],
  [28, Buffer.from('c3eef712c72ebb5a11a7d2432bb46365bef9f502', 'hex')],
  [32, Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex')],
  [34, Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex')],
];
const SALT_V2_DRAFT = Buffer.from('a707c203a59b47184a1d62ca570406ea7ae3e5d3', 'hex');

/** Long packet types in v1 numbering (v2 rotates them on the wire). */
const INITIAL = 0, ZERO_RTT = 1, HANDSHAKE = 2, RETRY = 3;
const LONG_TYPES = ['Initial', '0-RTT', 'Handshake', 'Retry'];
function longType(first: number, version: number): number {
  const t = (first >> 4) & 3;
  return isV2(version) ? (t + 3) % 4 : t;
}

/** HKDF-Expand-Label (RFC 8446 7.1) with SHA-256, empty context. */
function expandLabel(secret: Uint8Array, label: string, len: number): Buffer {
  const full = Buffer.from('tls13 ' + label, 'latin1');
  const info = Buffer.concat([Buffer.from([len >> 8, len & 255, full.length]), full, Buffer.from([0])]);
  const out: Uint8Array[] = [];
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, n = 0; n < len; i++) {
    const h = createHmac('sha256', secret).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    out.push(h);
    t = h;
    n += h.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

interface Keys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

function initialKeys(dcid: Uint8Array, version: number, server: boolean): Keys {
  const draft = draftOf(version);
  let salt: Uint8Array = isV2(version) ? SALT_V2 : SALT_V2_DRAFT;
  for (const [max, s] of SALTS) if (draft <= max) { salt = s; break; }
  const initial = createHmac('sha256', salt).update(dcid).digest();
  const secret = expandLabel(initial, server ? 'server in' : 'client in', 32);
  const v2 = isV2(version);
  return { key: expandLabel(secret, v2 ? 'quicv2 key' : 'quic key', 16), iv: expandLabel(secret, v2 ? 'quicv2 iv' : 'quic iv', 12), hp: expandLabel(secret, v2 ? 'quicv2 hp' : 'quic hp', 16) };
}

/** QUIC variable-length integer at `at`: [value, length], or null when it runs past `end`. */
function varint(b: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const n = 1 << (b[at] >> 6);
  if (at + n > end) return null;
  let v = b[at] & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[at + i];
  return [v, n];
}

const hexOf = (b: Uint8Array, s: number, e: number) => fmtBytesHex(b, s, e);

// ---- connections ----

interface Conn {
  number: number;
  version: number;
  /** DCID of the client's first Initial (hex): the Initial keys come from it. */
  initialDcid: string;
  initialDcidBytes: Uint8Array;
  clientCids: Set<string>;
  serverCids: Set<string>;
  clientCidLen: number;
  serverCidLen: number;
  /** Largest packet number seen per (sender, space): [client, server] × [initial, handshake, app]. */
  maxPn: number[];
  /** The Server Hello was read (the cipher is known): a 1-RTT packet then fails for want of secrets, once. */
  cipherKnown: boolean;
  skipDecryption: boolean;
  /** Per sender: the next CRYPTO offset wanted at the Initial level, and bytes waiting (a message not yet whole). */
  crypto: [CryptoStream, CryptoStream];
  /** UDP endpoints of the client ("addr|port"), for short headers without connection IDs. */
  client: string;
  server: string;
}

interface CryptoStream {
  next: number;
  /** Bytes from offset `base` not yet handed over (the start of a message not yet whole). */
  held: Uint8Array;
  /** Out-of-order fragments by offset (bounded). */
  later: Map<number, Uint8Array>;
}

const MAX_CONNS = 100000;
const MAX_HELD = 1 << 16;

class QuicState {
  conns: Conn[] = [];
  initial = new Map<string, Conn>();
  client = new Map<string, Conn>();
  server = new Map<string, Conn>();
  /** Connections by UDP endpoints (for zero-length connection IDs). */
  byAddr = new Map<string, Conn>();
  cidLens = new Set<number>();
  /** UDP conversations ("a>b" both ways) QUIC has claimed: the rest of their datagrams are QUIC (tshark's conversation_set_dissector). */
  claimed = new Set<string>();
}

function stateOf(ctx: DissectContext): QuicState {
  let s = ctx.state.slots.get('quic') as QuicState | undefined;
  if (s === undefined) ctx.state.slots.set('quic', (s = new QuicState()));
  return s;
}

/** The UDP endpoints of this datagram: "src|sport", "dst|dport". */
function endpointsOf(ls: readonly Layer[]): [string, string] {
  let src = '', dst = '', sport = 0, dport = 0;
  for (let i = ls.length - 1; i >= 0; i--) {
    const l = ls[i];
    if (l.proto === 'udp' && sport === 0) {
      const d = l.d as UdpD;
      sport = d.srcport;
      dport = d.dstport;
    } else if ((l.proto === 'ip' || l.proto === 'ipv6') && src === '') {
      const d = l.d as IpD;
      src = d.src;
      dst = d.dst;
      break;
    }
  }
  return [`${src}|${sport}`, `${dst}|${dport}`];
}

// ---- packets ----

interface Frame {
  type: number;
  /** Offsets in the plaintext. */
  start: number;
  end: number;
  /** Fields (offsets mapped onto the frame's protected bytes) and the column word. */
  word: string;
}

interface Pkt {
  start: number;
  end: number;
  kind: 'long' | 'short' | 'vn' | 'retry';
  first: number;
  version: number;
  type: number;
  dcidAt: number;
  dcidLen: number;
  scidAt: number;
  scidLen: number;
  tokenLenAt: number;
  tokenLenLen: number;
  tokenLen: number;
  lengthAt: number;
  lengthLen: number;
  length: number;
  pnAt: number;
  pnLen: number;
  pn: number;
  /** The first byte with header protection removed (-1: not removed). */
  clearFirst: number;
  /** Decrypted payload (the plaintext maps byte for byte onto [payloadAt, payloadAt + length)). */
  plain: Uint8Array | null;
  payloadAt: number;
  frames: Frame[];
  /** Why the payload could not be decrypted ('' for none). */
  error: string;
  /** "Failed to decrypt packet number" and such: an expert note without a "decryption context" error. */
  note: string;
  conn: number;
  /** Unknown frame type met (tshark stops there). */
  unknownFrame: number;
  /** The Retry's integrity tag start (-1 none). */
  tagAt: number;
  /** Where the packet ends on the wire (past `end` when the snaplen cut the datagram). */
  reported: number;
}

export interface QuicD {
  pkts: Pkt[];
  /** Tree items tshark adds: one "QUIC IETF" per packet, and one for (random) padding after them. */
  items: number;
  conn: number;
  info: string;
  fromServer: boolean;
}

function newPkt(start: number, end: number, first: number): Pkt {
  return {
    start, end, kind: 'short', first, version: 0, type: -1, dcidAt: -1, dcidLen: 0, scidAt: -1, scidLen: 0, tokenLenAt: -1, tokenLenLen: 0,
    tokenLen: 0, lengthAt: -1, lengthLen: 0, length: 0, pnAt: -1, pnLen: 0, pn: -1, clearFirst: -1, plain: null, payloadAt: -1, frames: [],
    error: '', note: '', conn: -1, unknownFrame: -1, tagAt: -1, reported: end,
  };
}

/** Where the long-header packet at `p` ends (its Length), or `end` when it does not say or runs past. */
function longEnd(b: Uint8Array, p: number, end: number): number {
  const first = b[p];
  if (p + 6 > end) return end;
  const version = u32(b, p + 1);
  if (version === 0) return end;
  const type = longType(first, version);
  if (type === RETRY) return end;
  let q = p + 5;
  q += 1 + b[q];
  if (q >= end) return end;
  q += 1 + b[q];
  if (type === INITIAL) {
    const t = varint(b, q, end);
    if (t === null) return end;
    q += t[1] + t[0];
  }
  const l = varint(b, q, end);
  if (l === null) return end;
  const e = q + l[1] + l[0];
  return e < end ? e : end;
}

function decodePn(largest: number, truncated: number, bits: number): number {
  // RFC 9000 A.3
  const expected = largest + 1;
  const win = 2 ** bits;
  const half = win / 2;
  const candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - half && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + half && candidate >= win) return candidate - win;
  return candidate;
}

function aeadOpen(k: Keys, pn: number, aad: Uint8Array, ct: Uint8Array): Uint8Array | null {
  if (ct.length < 16) return null;
  const nonce = Buffer.from(k.iv);
  let x = pn;
  for (let i = 0; i < 6 && x > 0; i++) {
    nonce[11 - i] ^= x % 256;
    x = Math.floor(x / 256);
  }
  try {
    const d = createDecipheriv('aes-128-gcm', k.key, nonce);
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(ct.length - 16));
    const out = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch {
    return null;
  }
}

// ---- frames ----

const FT_NAMES: [number, number, string][] = [
  [0x00, 0x00, 'PADDING'], [0x01, 0x01, 'PING'], [0x02, 0x03, 'ACK'], [0x04, 0x04, 'RESET_STREAM'], [0x05, 0x05, 'STOP_SENDING'],
  [0x06, 0x06, 'CRYPTO'], [0x07, 0x07, 'NEW_TOKEN'], [0x08, 0x0f, 'STREAM'], [0x10, 0x10, 'MAX_DATA'], [0x11, 0x11, 'MAX_STREAM_DATA'],
  [0x12, 0x12, 'MAX_STREAMS (BIDI)'], [0x13, 0x13, 'MAX_STREAMS (UNI)'], [0x14, 0x14, 'DATA_BLOCKED'], [0x15, 0x15, 'STREAM_DATA_BLOCKED'],
  [0x16, 0x16, 'STREAMS_BLOCKED (BIDI)'], [0x16, 0x17, 'STREAMS_BLOCKED (UNI)'], [0x18, 0x18, 'NEW_CONNECTION_ID'],
  [0x19, 0x19, 'RETIRE_CONNECTION_ID'], [0x1a, 0x1a, 'PATH_CHALLENGE'], [0x1b, 0x1b, 'PATH_RESPONSE'],
  [0x1c, 0x1c, 'CONNECTION_CLOSE (Transport)'], [0x1d, 0x1d, 'CONNECTION_CLOSE (Application)'], [0x1e, 0x1e, 'HANDSHAKE_DONE'],
  [0x30, 0x31, 'DATAGRAM'], [0xac, 0xac, 'IMMEDIATE_ACK'], [0xaf, 0xaf, 'ACK_FREQUENCY'], [0x2f5, 0x2f5, 'TIME_STAMP'],
];
function ftName(t: number): string {
  for (const [a, b, n] of FT_NAMES) if (t >= a && t <= b) return n;
  return 'Unknown';
}
const TRANSPORT_ERRORS = [
  'NO_ERROR', 'INTERNAL_ERROR', 'CONNECTION_REFUSED', 'FLOW_CONTROL_ERROR', 'STREAM_ID_ERROR', 'STREAM_STATE_ERROR', 'FINAL_SIZE_ERROR',
  'FRAME_ENCODING_ERROR', 'TRANSPORT_PARAMETER_ERROR', 'CONNECTION_ID_LIMIT_ERROR', 'PROTOCOL_VIOLATION', 'INVALID_TOKEN', 'APPLICATION_ERROR',
  'CRYPTO_BUFFER_EXCEEDED', 'KEY_UPDATE_ERROR', 'AEAD_LIMIT_REACHED', 'NO_VIABLE_PATH', 'VERSION_NEGOTIATION_ERROR',
];

/**
 * Walk the frames of a plaintext payload (column words only; the fields are built lazily by
 * frameFields with the same walk). Stops at an unknown type or a frame that runs past the end.
 */
function walkFrames(plain: Uint8Array, out: Frame[]): number {
  let p = 0;
  const end = plain.length;
  while (p < end && out.length < 4096) {
    const ft = varint(plain, p, end);
    if (ft === null) break;
    const t = ft[0];
    const s = p;
    let q = p + ft[1];
    let word = '';
    const v = () => {
      const r = varint(plain, q, end);
      if (r === null) throw RangeError();
      q += r[1];
      return r[0];
    };
    try {
      switch (true) {
        case t === 0x00:
          word = 'PADDING';
          while (q < end && plain[q] === 0) q++;
          break;
        case t === 0x01: word = 'PING'; break;
        case t === 0x02 || t === 0x03: {
          word = t === 0x02 ? 'ACK' : 'ACK_ECN';
          v(); v();
          let n = v();
          v();
          for (; n > 0; n--) { v(); v(); }
          if (t === 0x03) { v(); v(); v(); }
          break;
        }
        case t === 0x04: word = `RS(${v()})`; v(); v(); break;
        case t === 0x05: word = `SS(${v()})`; v(); break;
        case t === 0x06: { word = 'CRYPTO'; v(); const n = v(); q += n; break; }
        case t === 0x07: { word = 'NT'; const n = v(); q += n; break; }
        case t >= 0x08 && t <= 0x0f: {
          word = `STREAM(${v()})`;
          if (t & 4) v();
          const n = t & 2 ? v() : end - q;
          q += n;
          break;
        }
        case t === 0x10: word = 'MD'; v(); break;
        case t === 0x11: word = `MSD(${v()})`; v(); break;
        case t === 0x12 || t === 0x13: word = 'MS'; v(); break;
        case t === 0x14: word = 'DB'; v(); break;
        case t === 0x15: word = `SDB(${v()})`; v(); break;
        case t === 0x16 || t === 0x17: word = 'SB'; v(); break;
        case t === 0x18: { word = 'NCI'; v(); v(); const n = plain[q] ?? 0; q += 1 + n + 16; break; }
        case t === 0x19: word = 'RC'; v(); break;
        case t === 0x1a: word = 'PC'; q += 8; break;
        case t === 0x1b: word = 'PR'; q += 8; break;
        case t === 0x1c || t === 0x1d: { word = 'CC'; v(); if (t === 0x1c) v(); const n = v(); q += n; break; }
        case t === 0x1e: word = 'DONE'; break;
        case t === 0x30 || t === 0x31: { word = 'DG'; const n = t === 0x31 ? v() : end - q; q += n; break; }
        case t === 0xac: word = 'IA'; break;
        case t === 0xaf: word = 'AF'; v(); v(); v(); q += 1; break;
        case t === 0x2f5: word = 'TS'; v(); break;
        default:
          return t;
      }
    } catch {
      // a field ran past the payload: tshark throws there (the packet is malformed)
      out.push({ type: t, start: s, end, word });
      return -2;
    }
    if (q > end) {
      out.push({ type: t, start: s, end, word });
      return -2;
    }
    out.push({ type: t, start: s, end: q, word });
    p = q;
  }
  return -1;
}

// ---- the dissector ----

/** Whether the bytes can be a QUIC long header tshark's heuristic takes. */
function longLooksLikeQuic(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 13 || (b[start] & 0x80) === 0) return false;
  const version = u32(b, start + 1);
  if (draftOf(version) < 11) return false;
  let p = start + 5;
  const dl = b[p];
  if (dl > 20) return false;
  p += 1 + dl;
  if (p >= end) return false;
  return b[p] <= 20;
}

function findShort(st: QuicState, b: Uint8Array, start: number, end: number): [Conn, boolean] | null {
  for (const n of st.cidLens) {
    if (start + 1 + n > end) continue;
    const h = hexOf(b, start + 1, start + 1 + n);
    const c = st.client.get(h);
    if (c !== undefined && c.clientCidLen === n) return [c, true];
    const s = st.server.get(h);
    if (s !== undefined && s.serverCidLen === n) return [s, false];
  }
  return null;
}

function addCid(st: QuicState, c: Conn, cid: string, len: number, server: boolean): void {
  if (len === 0) return;
  if (server) {
    c.serverCids.add(cid);
    c.serverCidLen = len;
    st.server.set(cid, c);
  } else {
    c.clientCids.add(cid);
    c.clientCidLen = len;
    st.client.set(cid, c);
  }
  st.cidLens.add(len);
}

export const quic: Dissector<QuicD> = {
  proto: 'quic',
  name: 'QUIC IETF',
  fieldKeys: [
    'quic.connection.number', 'quic.packet_length', 'quic.header_form', 'quic.fixed_bit', 'quic.long.packet_type', 'quic.long.packet_type_v2', 'quic.long.reserved',
    'quic.packet_number_length', 'quic.version', 'quic.dcil', 'quic.dcid', 'quic.scil', 'quic.scid', 'quic.token_length', 'quic.token',
    'quic.length', 'quic.packet_number', 'quic.payload', 'quic.remaining_payload', 'quic.protected_payload', 'quic.short', 'quic.spin_bit',
    'quic.short.reserved', 'quic.key_phase', 'quic.vn.unused', 'quic.supported_version', 'quic.retry_token', 'quic.retry_integrity_tag',
    'quic.frame', 'quic.frame_type', 'quic.padding_length', 'quic.ack.largest_acknowledged', 'quic.ack.ack_delay',
    'quic.ack.ack_range_count', 'quic.ack.first_ack_range', 'quic.ack.gap', 'quic.ack.ack_range', 'quic.ack.ect0_count',
    'quic.ack.ect1_count', 'quic.ack.ecn_ce_count', 'quic.rsts.stream_id', 'quic.rsts.application_error_code', 'quic.rsts.final_size',
    'quic.ss.stream_id', 'quic.ss.application_error_code', 'quic.crypto.offset', 'quic.crypto.length', 'quic.crypto.crypto_data',
    'quic.nt.length', 'quic.nt.token', 'quic.stream.fin', 'quic.stream.len', 'quic.stream.off', 'quic.stream.stream_id', 'quic.stream.offset',
    'quic.stream.length', 'quic.stream_data', 'quic.md.maximum_data', 'quic.msd.stream_id', 'quic.msd.maximum_stream_data',
    'quic.ms.max_streams', 'quic.sb.stream_data_limit', 'quic.sdb.stream_id', 'quic.sib.stream_limit', 'quic.nci.sequence',
    'quic.nci.retire_prior_to', 'quic.nci.connection_id.length', 'quic.nci.connection_id', 'quic.nci.stateless_reset_token',
    'quic.rci.sequence', 'quic.path_challenge.data', 'quic.path_response.data', 'quic.cc.error_code', 'quic.cc.error_code.app',
    'quic.cc.frame_type', 'quic.cc.reason_phrase.length', 'quic.cc.reason_phrase', 'quic.dg.length', 'quic.dg',
  ],
  heuristic: {
    table: 'udp',
    test(buf, start, end, layers, ctx) {
      if (longLooksLikeQuic(buf, start, end)) return true;
      const claimed = (ctx?.state.slots.get('quic') as QuicState | undefined)?.claimed;
      if (claimed !== undefined && claimed.size > 0) {
        const [a, b] = endpointsOf(layers);
        if (claimed.has(`${a}>${b}`)) return true;
      }
      // a short header: only where its DCID names a connection seen before
      if (ctx === undefined || end - start < 19 || (buf[start] & 0x80) !== 0) return false;
      const st = ctx.state.slots.get('quic') as QuicState | undefined;
      return st !== undefined && st.cidLens.size > 0 && findShort(st, buf, start, end) !== null;
    },
  },

  dissect(buf, start, end, ctx) {
    const d: QuicD = { pkts: [], items: 0, conn: -1, info: '', fromServer: false };
    const l = new Layer<QuicD>(quic, buf, start, end, d);
    const st = stateOf(ctx);
    const [from, to] = endpointsOf(ctx.layers);
    const live = !ctx.quoted;
    if (live && st.claimed.size < 2 * MAX_CONNS) st.claimed.add(`${from}>${to}`).add(`${to}>${from}`);

    // the connection, from the first packet's header (tshark's quic_connection_find / create_or_update)
    let conn: Conn | null = null;
    let fromServer = false;
    const first = buf[start];
    if (first & 0x80) {
      if (end - start >= 7) {
        const version = u32(buf, start + 1);
        const type = version === 0 ? -1 : longType(first, version);
        const dl = buf[start + 5];
        const dcid = start + 6 + dl <= end ? hexOf(buf, start + 6, start + 6 + dl) : '';
        const sAt = start + 6 + dl;
        const sl = sAt < end ? buf[sAt] : 0;
        const scid = sAt + 1 + sl <= end ? hexOf(buf, sAt + 1, sAt + 1 + sl) : '';
        if (dl > 0 && dl <= 20) {
          const c = st.client.get(dcid);
          if (c !== undefined) { conn = c; fromServer = true; }
          else {
            const s = st.server.get(dcid) ?? (type === INITIAL || type === ZERO_RTT ? st.initial.get(dcid) : undefined);
            if (s !== undefined) conn = s;
          }
        }
        if (conn === null && dl === 0) {
          const byA = st.byAddr.get(`${from}>${to}`);
          if (byA !== undefined) { conn = byA; fromServer = byA.server === from; }
        }
        if (conn === null && live && (type === INITIAL || type === ZERO_RTT) && st.conns.length < MAX_CONNS && dl <= 20 && sl <= 20) {
          conn = {
            number: st.conns.length, version, initialDcid: dcid, initialDcidBytes: buf.slice(start + 6, start + 6 + dl), clientCids: new Set(),
            serverCids: new Set(), clientCidLen: 0, serverCidLen: 0, maxPn: [-1, -1, -1, -1, -1, -1], cipherKnown: false, skipDecryption: false,
            crypto: [{ next: 0, held: new Uint8Array(0), later: new Map() }, { next: 0, held: new Uint8Array(0), later: new Map() }],
            client: from, server: to,
          };
          st.conns.push(conn);
          if (dl > 0) st.initial.set(dcid, conn);
          addCid(st, conn, scid, sl, false);
          st.byAddr.set(`${from}>${to}`, conn);
          st.byAddr.set(`${to}>${from}`, conn);
        } else if (conn !== null && live && sl > 0 && sl <= 20) {
          if (fromServer && (type === INITIAL || type === HANDSHAKE || type === RETRY)) {
            if (type === RETRY) {
              // the client's next Initial goes to the Retry's SCID, with keys from it
              conn.initialDcid = scid;
              conn.initialDcidBytes = buf.slice(sAt + 1, sAt + 1 + sl);
              st.initial.set(scid, conn);
            }
            if (!conn.serverCids.has(scid)) addCid(st, conn, scid, sl, true);
          } else if (!fromServer && !conn.clientCids.has(scid) && type === INITIAL) addCid(st, conn, scid, sl, false);
        }
      }
    } else {
      const f = findShort(st, buf, start, end);
      if (f !== null) [conn, fromServer] = f;
      else {
        const byA = st.byAddr.get(`${from}>${to}`);
        if (byA !== undefined) { conn = byA; fromServer = byA.server === from; }
      }
    }
    d.conn = conn?.number ?? -1;
    d.fromServer = fromServer;

    // the datagram's end on the wire: the UDP length says, when the snaplen cut the frame
    let wireEnd = end;
    const udpL = ctx.layers[ctx.layers.length - 1];
    if (udpL !== undefined && udpL.proto === 'udp' && ctx.snapCut(buf, end + 1)) {
      const u = udpL.d as UdpD;
      if (u.payloadStart === start && u.length >= 8) wireEnd = Math.max(end, start + u.length - 8);
    }
    let info = '';
    // the handshake bytes each packet hands to TLS, in order: one TLS layer each (tshark's tls:tls)
    const tls: TlsChunk[] = [];
    let firstDcid = '';
    for (let p = start; p < end && d.pkts.length < 16; ) {
      const b0 = buf[p];
      const long = (b0 & 0x80) !== 0;
      const pe = long ? longEnd(buf, p, end) : end;
      const k = newPkt(p, pe, b0);
      // a coalesced packet for another connection ID: (random) padding after the real packets
      if (p > start) {
        let dc = '';
        if (long && p + 6 <= pe) {
          const dl = buf[p + 5];
          if (dl > 0 && dl <= 20 && p + 6 + dl <= pe) dc = hexOf(buf, p + 6, p + 6 + dl);
        } else if (!long) {
          if (conn === null) dc = firstDcid;
          else {
            const n = fromServer ? conn.clientCidLen : conn.serverCidLen;
            dc = n > 0 && p + 1 + n <= pe ? hexOf(buf, p + 1, p + 1 + n) : '';
          }
        }
        if (dc !== firstDcid) {
          l.problem('unsupported', '(Random) padding data appended to the datagram', p, end);
          d.items++;
          break;
        }
      }
      d.pkts.push(k);
      d.items++;
      k.conn = d.conn;
      if (pe === end && wireEnd > end) {
        const e2 = long ? longEnd(buf, p, wireEnd) : wireEnd;
        k.reported = Number.isFinite(e2) && e2 > end ? e2 : wireEnd;
      }
      const w = long ? longPacket(buf, k, conn, fromServer, live) : shortPacket(buf, k, conn, fromServer, live);
      if (p === start) firstDcid = k.dcidLen > 0 && k.dcidAt >= 0 ? hexOf(buf, k.dcidAt, k.dcidAt + k.dcidLen) : '';
      info = w;
      if (k.error !== '') l.problem('unsupported', `Failed to create decryption context: ${k.error}`, k.start, k.end);
      else if (k.note !== '') l.problem('unsupported', k.note, k.start, k.end);
      // CRYPTO data at the Initial level goes to TLS, in order (tshark's TLS handshake reassembly)
      if (k.plain !== null && conn !== null && live && k.type === INITIAL) {
        const got = cryptoData(conn.crypto[fromServer ? 1 : 0], k);
        if (got !== null) tls.push(got);
        for (const x of k.frames) if (x.type === 6) conn.cipherKnown ||= fromServer;
      }
      if (pe <= p) break;
      p = pe;
    }
    d.info = info;
    ctx.state.slots.set(TLS_QUEUE, tls.slice(1));
    if (tls.length > 0) l.next = nextChunk(tls[0]);
    return l;
  },

  fields(l) {
    const d = l.d;
    const out: Field[] = [];
    d.pkts.forEach((k, i) => {
      const fs = pktFields(l, k, i === 0);
      if (i === 0) out.push(...fs);
      else out.push(fText('QUIC IETF', k.start, k.end - k.start, fs));
    });
    return out;
  },

  column: () => 'QUIC',
  info: (l) => l.d.info,
};

/** Read a long-header packet (decrypting an Initial); returns its column text. */
function longPacket(b: Uint8Array, k: Pkt, conn: Conn | null, fromServer: boolean, live: boolean): string {
  const p = k.start;
  const end = k.end;
  if (p + 5 > end) return 'Long Header';
  k.version = u32(b, p + 1);
  k.kind = 'long';
  if (k.version === 0) {
    k.kind = 'vn';
    header(b, k);
    return 'Version Negotiation' + cids(b, k);
  }
  k.type = longType(k.first, k.version);
  if (k.type === RETRY) {
    k.kind = 'retry';
    header(b, k);
    if (k.scidAt >= 0) {
      const q = k.scidAt + k.scidLen;
      k.tagAt = end - q >= 16 ? end - 16 : -1;
    }
    return 'Retry' + cids(b, k);
  }
  header(b, k);
  let q = k.scidAt >= 0 ? k.scidAt + k.scidLen : end;
  if (k.type === INITIAL && q < end) {
    const t = varint(b, q, end);
    if (t !== null) {
      k.tokenLenAt = q;
      k.tokenLenLen = t[1];
      k.tokenLen = t[0];
      q += t[1] + t[0];
    } else q = end;
  }
  const ln = q < end ? varint(b, q, end) : null;
  if (ln !== null) {
    k.lengthAt = q;
    k.lengthLen = ln[1];
    k.length = ln[0];
    q += ln[1];
  }
  let col = LONG_TYPES[k.type] + cids(b, k);
  if (conn === null || ln === null) {
    k.note = 'Failed to decrypt packet number';
    return col;
  }
  if (k.type === ZERO_RTT || k.type === HANDSHAKE) {
    k.error = 'Secrets are not available';
    return col;
  }
  // Initial: keys from the connection's first client DCID, for this packet's version
  const keys = initialKeys(conn.initialDcidBytes, k.version, fromServer);
  const pnAt = q;
  if (pnAt + 4 + 16 > end) {
    k.error = 'Header deprotection failed';
    return col;
  }
  let mask: Buffer;
  try {
    mask = createCipheriv('aes-128-ecb', keys.hp, null).update(b.subarray(pnAt + 4, pnAt + 20));
  } catch {
    k.error = 'Header deprotection failed';
    return col;
  }
  const cf = k.first ^ (mask[0] & 0x0f);
  const pnLen = (cf & 3) + 1;
  let tpn = 0;
  for (let i = 0; i < pnLen; i++) tpn = tpn * 256 + (b[pnAt + i] ^ mask[1 + i]);
  const slot = (fromServer ? 3 : 0) + 0;
  const pn = decodePn(conn.maxPn[slot], tpn, pnLen * 8);
  k.clearFirst = cf;
  k.pnAt = pnAt;
  k.pnLen = pnLen;
  k.pn = pn;
  k.payloadAt = pnAt + pnLen;
  col += `, PKN: ${pn}`;
  // the payload: AEAD over the header with the packet number in clear
  const pend = k.lengthAt >= 0 ? Math.min(end, k.lengthAt + k.lengthLen + k.length) : end;
  const aad = Buffer.from(b.subarray(p, pnAt + pnLen));
  aad[0] = cf;
  for (let i = 0; i < pnLen; i++) aad[pnAt - p + i] = b[pnAt + i] ^ mask[1 + i];
  const plain = k.lengthAt + k.lengthLen + k.length <= end ? aeadOpen(keys, pn, aad, b.subarray(k.payloadAt, pend)) : null;
  if (plain === null) {
    k.note = 'Decryption failed';
    return col;
  }
  if (live && pn > conn.maxPn[slot]) conn.maxPn[slot] = pn;
  k.plain = plain;
  k.unknownFrame = walkFrames(plain, k.frames);
  for (const f of k.frames) col += ', ' + f.word;
  return col;
}

/** A short-header (1-RTT) packet: its DCID when the connection is known; returns its column text. */
function shortPacket(b: Uint8Array, k: Pkt, conn: Conn | null, fromServer: boolean, live: boolean): string {
  k.kind = 'short';
  let col = 'Protected Payload (KP0)';
  if (conn !== null) {
    const n = fromServer ? conn.clientCidLen : conn.serverCidLen;
    if (n > 0 && k.start + 1 + n <= k.end) {
      k.dcidAt = k.start + 1;
      k.dcidLen = n;
      col += ', DCID=' + hexOf(b, k.dcidAt, k.dcidAt + n);
    }
    if (!conn.skipDecryption) {
      if (conn.cipherKnown) {
        k.error = 'Secrets are not available';
        if (live) conn.skipDecryption = true;
      } else k.error = 'Missing TLS handshake, unsupported ciphers or padding';
    }
  }
  return col;
}

/** DCIL/DCID/SCIL/SCID of a long header. */
function header(b: Uint8Array, k: Pkt): void {
  let q = k.start + 5;
  if (q >= k.end) return;
  const dl = b[q];
  if (q + 1 + dl > k.end) return;
  k.dcidAt = q + 1;
  k.dcidLen = dl;
  q += 1 + dl;
  if (q >= k.end) return;
  const sl = b[q];
  if (q + 1 + sl > k.end) return;
  k.scidAt = q + 1;
  k.scidLen = sl;
}

function cids(b: Uint8Array, k: Pkt): string {
  let s = '';
  if (k.dcidAt >= 0 && k.dcidLen > 0 && k.dcidLen <= 20) s += ', DCID=' + hexOf(b, k.dcidAt, k.dcidAt + k.dcidLen);
  if (k.scidAt >= 0 && k.scidLen > 0 && k.scidLen <= 20) s += ', SCID=' + hexOf(b, k.scidAt, k.scidAt + k.scidLen);
  return s;
}

/**
 * Feed a packet's CRYPTO frames to the sender's stream; returns the handshake bytes TLS gets in this
 * packet (whole messages, or the start of one not yet whole) or null when none are new.
 */
function cryptoData(cs: CryptoStream, k: Pkt): TlsChunk | null {
  const plain = k.plain!;
  let fresh = false;
  for (const f of k.frames) {
    if (f.type !== 6) continue;
    const a = varint(plain, f.start + 1, f.end);
    if (a === null) continue;
    const ln = varint(plain, f.start + 1 + a[1], f.end);
    if (ln === null) continue;
    const at = f.start + 1 + a[1] + ln[1];
    const data = plain.subarray(at, Math.min(f.end, at + ln[0]));
    const off = a[0];
    if (off + data.length <= cs.next) continue; // seen before (a retransmission)
    if (off > cs.next) {
      if (cs.later.size < 64) cs.later.set(off, data);
      continue;
    }
    cs.held = concat(cs.held, data.subarray(cs.next - off));
    cs.next = off + data.length;
    fresh = true;
    for (let more = true; more; ) {
      more = false;
      for (const [o, x] of cs.later) {
        if (o <= cs.next) {
          cs.later.delete(o);
          if (o + x.length > cs.next) {
            cs.held = concat(cs.held, x.subarray(cs.next - o));
            cs.next = o + x.length;
          }
          more = true;
        }
      }
    }
  }
  if (!fresh || cs.held.length === 0) return null;
  // whole messages go to TLS now; the start of one not yet whole stays held (and shows as a fragment)
  const h = cs.held;
  let p = 0;
  while (p + 4 <= h.length) {
    const len = (h[p + 1] << 16) | (h[p + 2] << 8) | h[p + 3];
    if (p + 4 + len > h.length) break;
    p += 4 + len;
  }
  if (p === 0) {
    if (h.length > MAX_HELD) cs.held = new Uint8Array(0);
    return { buf: h, start: 0, end: h.length };
  }
  cs.held = h.slice(p);
  return { buf: h, start: 0, end: p };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a, 0);
  o.set(b, a.length);
  return o;
}

/** Handshake bytes for one TLS layer. */
export interface TlsChunk {
  buf: Uint8Array;
  start: number;
  end: number;
}

/**
 * Where a QUIC layer leaves the chunks after the first for the TLS layers that follow it: each TLS
 * layer (dissectors/tls.ts, tlsQuic) takes the next one with takeChunk() as its own `next`.
 */
const TLS_QUEUE = 'quic.tls';
const nextChunk = (c: TlsChunk) => ({ table: 'quic.crypto', key: 0, buf: c.buf, bufName: 'Decrypted QUIC', start: c.start, end: c.end });

/** The next handshake chunk of this packet's QUIC layer, as a `next` link, or null. */
export function takeChunk(ctx: DissectContext): ReturnType<typeof nextChunk> | null {
  const q = ctx.state.slots.get(TLS_QUEUE) as TlsChunk[] | undefined;
  const c = q?.shift();
  return c === undefined ? null : nextChunk(c);
}

// ---- fields ----

/** A varint field at plaintext offset `at` mapped to frame offset `base + at`. */
function vField(key: string, label: string, plain: Uint8Array, at: number, base: number): [Field, number] {
  const r = varint(plain, at, plain.length);
  if (r === null) return [fText(`${label}: [cut short]`, base + at, plain.length - at), plain.length];
  return [fUint(key, label, r[0], base + at, r[1]), at + r[1]];
}

function bytesAt(key: string, label: string, plain: Uint8Array, s: number, e: number, base: number): Field {
  const f = fBytes(key, label, plain, s, Math.min(e, plain.length));
  f.start = base + s;
  return f;
}

function frameFields(k: Pkt, f: Frame): Field {
  const plain = k.plain!;
  const base = k.payloadAt;
  const t = f.type;
  const ft = varint(plain, f.start, f.end)!;
  const tf = fUint('quic.frame_type', 'Frame Type', t, base + f.start, ft[1]);
  tf.text = `Frame Type: ${ftName(t)} (${hexN(t, 16)})`;
  const kids: Field[] = [tf];
  let title = ftName(t);
  let q = f.start + ft[1];
  const add = (key: string, label: string) => {
    const [x, nq] = vField(key, label, plain, q, base);
    kids.push(x);
    q = nq;
    return x.value as number;
  };
  if (t === 0) {
    const n = f.end - f.start;
    kids.push(gen(fUint('quic.padding_length', 'Padding Length', n, base + f.start + 1, 0)));
    title += ` Length: ${n}`;
  } else if (t === 2 || t === 3) {
    add('quic.ack.largest_acknowledged', 'Largest Acknowledged');
    add('quic.ack.ack_delay', 'ACK Delay');
    let n = add('quic.ack.ack_range_count', 'ACK Range Count');
    add('quic.ack.first_ack_range', 'First ACK Range');
    for (; n > 0 && q < f.end; n--) {
      add('quic.ack.gap', 'Gap');
      add('quic.ack.ack_range', 'ACK Range');
    }
    if (t === 3) {
      add('quic.ack.ect0_count', 'ECT(0) Count');
      add('quic.ack.ect1_count', 'ECT(1) Count');
      add('quic.ack.ecn_ce_count', 'ECN-CE Count');
    }
  } else if (t === 4) {
    const id = add('quic.rsts.stream_id', 'Stream ID');
    const e = add('quic.rsts.application_error_code', 'Application Error code');
    add('quic.rsts.final_size', 'Final Size');
    title += ` id=${id} Error code: 0x${e.toString(16)}`;
  } else if (t === 5) {
    const id = add('quic.ss.stream_id', 'Stream ID');
    const e = add('quic.ss.application_error_code', 'Application Error code');
    title += ` id=${id} Error code: 0x${e.toString(16)}`;
  } else if (t === 6) {
    add('quic.crypto.offset', 'Offset');
    const n = add('quic.crypto.length', 'Length');
    const cd = fText('Crypto Data', base + q, Math.min(n, f.end - q));
    cd.key = 'quic.crypto.crypto_data';
    cd.show = '';
    kids.push(cd);
  } else if (t === 7) {
    const n = add('quic.nt.length', '(Token) Length');
    kids.push(bytesAt('quic.nt.token', 'Token', plain, q, q + n, base));
  } else if (t >= 8 && t <= 15) {
    const flags = [fBool('quic.stream.fin', 'Fin', (t & 1) !== 0, base + f.start, 1, 1), fBool('quic.stream.len', 'Len(gth)', (t & 2) !== 0, base + f.start, 1, 2), fBool('quic.stream.off', 'Off(set)', (t & 4) !== 0, base + f.start, 1, 4)];
    tf.children = flags;
    const id = add('quic.stream.stream_id', 'Stream ID');
    let off = 0;
    if (t & 4) off = add('quic.stream.offset', 'Offset');
    const n = t & 2 ? add('quic.stream.length', 'Length') : f.end - q;
    title += ` id=${id} fin=${t & 1} off=${off} len=${n} dir=${id & 2 ? 'Unidirectional' : 'Bidirectional'} origin=${id & 1 ? 'Server-initiated' : 'Client-initiated'}`;
    kids.push(bytesAt('quic.stream_data', 'Stream Data', plain, q, q + n, base));
  } else if (t === 0x10) add('quic.md.maximum_data', 'Maximum Data');
  else if (t === 0x11) {
    const id = add('quic.msd.stream_id', 'Stream ID');
    add('quic.msd.maximum_stream_data', 'Maximum Stream Data');
    title += ` id=${id}`;
  } else if (t === 0x12 || t === 0x13) add('quic.ms.max_streams', 'Max Streams');
  else if (t === 0x14) add('quic.sb.stream_data_limit', 'Stream Data Limit');
  else if (t === 0x15) {
    const id = add('quic.sdb.stream_id', 'Stream ID');
    add('quic.sb.stream_data_limit', 'Stream Data Limit');
    title += ` id=${id}`;
  } else if (t === 0x16 || t === 0x17) add('quic.sib.stream_limit', 'Stream Limit');
  else if (t === 0x18) {
    add('quic.nci.sequence', 'Sequence');
    add('quic.nci.retire_prior_to', 'Retire Prior To');
    if (q < f.end) {
      const n = plain[q];
      kids.push(fUint('quic.nci.connection_id.length', 'Connection ID Length', n, base + q, 1));
      q++;
      kids.push(bytesAt('quic.nci.connection_id', 'Connection ID', plain, q, q + n, base));
      q += n;
      kids.push(bytesAt('quic.nci.stateless_reset_token', 'Stateless Reset Token', plain, q, q + 16, base));
    }
  } else if (t === 0x19) add('quic.rci.sequence', 'Sequence');
  else if (t === 0x1a) kids.push(bytesAt('quic.path_challenge.data', 'Data', plain, q, q + 8, base));
  else if (t === 0x1b) kids.push(bytesAt('quic.path_response.data', 'Data', plain, q, q + 8, base));
  else if (t === 0x1c || t === 0x1d) {
    let e: number;
    if (t === 0x1c) {
      const r = varint(plain, q, f.end);
      e = r === null ? 0 : r[0];
      add('quic.cc.error_code', 'Error code');
      add('quic.cc.frame_type', 'Frame Type');
    } else e = add('quic.cc.error_code.app', 'Application Error code');
    const n = add('quic.cc.reason_phrase.length', 'Reason phrase Length');
    const txt = Buffer.from(plain.subarray(q, Math.min(f.end, q + n))).toString('latin1');
    const rf = fUint('quic.cc.reason_phrase', 'Reason phrase', 0, base + q, Math.min(n, f.end - q));
    rf.value = txt;
    rf.show = txt;
    kids.push(rf);
    if (t === 0x1c && e <= 0x3fff) title += ` Error code: ${e < TRANSPORT_ERRORS.length ? TRANSPORT_ERRORS[e] : e >= 0x100 && e <= 0x1ff ? 'CRYPTO_ERROR' : `Unknown (${e})`}`;
    else title += ` Error code: 0x${e.toString(16)}`;
  } else if (t === 0x30 || t === 0x31) {
    const n = t === 0x31 ? add('quic.dg.length', 'Datagram Length') : f.end - q;
    kids.push(bytesAt('quic.dg', 'Datagram', plain, q, q + n, base));
  }
  const fr = fText(title, base + f.start, f.end - f.start, kids);
  fr.key = 'quic.frame';
  return fr;
}

/** A one-bit flag of the first byte, in tshark's "True"/"False" words. */
function flag(key: string, label: string, byte: number, mask: number, at: number): Field {
  const f = fBool(key, label, (byte & mask) !== 0, at, 1, mask);
  let bits = '';
  for (let m = 0x80; m > 0; m >>= 1) bits += (m & mask ? ((byte & m) !== 0 ? '1' : '0') : '.') + (m === 0x10 ? ' ' : '');
  f.text = `${bits} = ${label}: ${f.value ? 'True' : 'False'}`;
  return f;
}

function pktFields(l: Layer<QuicD>, k: Pkt, firstPkt: boolean): Field[] {
  const b = l.buf;
  const out: Field[] = [];
  const d = l.d;
  if (firstPkt && d.conn >= 0) out.push(fText('QUIC Connection information', k.start, 0, [gen(fUint('quic.connection.number', 'Connection Number', d.conn, k.start, 0))]));
  out.push(gen(fUint('quic.packet_length', 'Packet Length', k.reported - k.start, k.start, 0)));
  const s = k.start;
  if (k.kind === 'short') {
    const kids: Field[] = [fBits('quic.header_form', 'Header Form', 0, s, 1, 0x80)];
    kids[0].text = '0... .... = Header Form: Short Header (0)';
    kids.push(flag('quic.fixed_bit', 'Fixed Bit', k.first, 0x40, s), flag('quic.spin_bit', 'Spin Bit', k.first, 0x20, s));
    if (k.dcidAt >= 0) kids.push(fBytes('quic.dcid', 'Destination Connection ID', b, k.dcidAt, k.dcidAt + k.dcidLen));
    const sh = fText('QUIC Short Header' + (k.dcidAt >= 0 ? ' DCID=' + hexOf(b, k.dcidAt, k.dcidAt + k.dcidLen) : ''), s, k.end - s, kids);
    sh.key = 'quic.short';
    out.push(sh);
    const rest = k.dcidAt >= 0 ? k.dcidAt + k.dcidLen : s + 1;
    if (rest < k.end) out.push(fBytes('quic.remaining_payload', 'Remaining Payload', b, rest, k.end));
    return out;
  }
  const hf = fBits('quic.header_form', 'Header Form', 1, s, 1, 0x80);
  hf.text = '1... .... = Header Form: Long Header (1)';
  out.push(hf);
  if (k.kind === 'vn') {
    const u = fBits('quic.vn.unused', 'Unused', k.first & 0x7f, s, 1, 0x7f);
    u.show = hexN(k.first & 0x7f, 2);
    out.push(u);
  } else {
    if (k.kind !== 'retry') out.push(flag('quic.fixed_bit', 'Fixed Bit', k.first, 0x40, s));
    // v2 has its own field for the type (its values are the wire bits, rotated from v1's)
    const wire = (k.first >> 4) & 3;
    const pt = isV2(k.version) ? fBits('quic.long.packet_type_v2', 'Packet Type', wire, s, 1, 0x30) : fBits('quic.long.packet_type', 'Packet Type', k.type, s, 1, 0x30);
    pt.text = `..${(wire >> 1) & 1}${wire & 1} .... = Packet Type: ${LONG_TYPES[k.type]} (${wire})`;
    out.push(pt);
    if (k.clearFirst >= 0) {
      const rv = fBits('quic.long.reserved', 'Reserved', (k.clearFirst >> 2) & 3, s, 1, 0x0c);
      rv.text = `.... ${(k.clearFirst >> 3) & 1}${(k.clearFirst >> 2) & 1}.. = Reserved: ${rv.value}`;
      out.push(rv);
      const pl = fBits('quic.packet_number_length', 'Packet Number Length', k.clearFirst & 3, s, 1, 0x03);
      pl.text = `.... ..${(k.clearFirst >> 1) & 1}${k.clearFirst & 1} = Packet Number Length: ${(k.clearFirst & 3) + 1} bytes (${k.clearFirst & 3})`;
      out.push(pl);
    }
  }
  if (s + 5 > k.end) return out;
  const vf = fUint('quic.version', 'Version', k.version, s + 1, 4);
  vf.show = hexN(k.version, 8);
  const dn = draftOf(k.version);
  vf.text = `Version: ${k.version === 1 ? '1' : k.version === 0 ? 'Version Negotiation' : k.version >>> 8 === 0xff0000 ? `draft-${dn}` : 'Unknown'} (${hexN(k.version, 8)})`;
  out.push(vf);
  if (k.dcidAt >= 0) {
    out.push(fUint('quic.dcil', 'Destination Connection ID Length', k.dcidLen, k.dcidAt - 1, 1));
    if (k.dcidLen > 0) out.push(fBytes('quic.dcid', 'Destination Connection ID', b, k.dcidAt, k.dcidAt + k.dcidLen));
  }
  if (k.scidAt >= 0) {
    out.push(fUint('quic.scil', 'Source Connection ID Length', k.scidLen, k.scidAt - 1, 1));
    if (k.scidLen > 0) out.push(fBytes('quic.scid', 'Source Connection ID', b, k.scidAt, k.scidAt + k.scidLen));
  }
  if (k.kind === 'vn') {
    for (let q = k.scidAt + k.scidLen; q + 4 <= k.end; q += 4) {
      const v = u32(b, q);
      const f = fUint('quic.supported_version', 'Supported Version', v, q, 4);
      f.show = hexN(v, 8);
      f.text = `Supported Version: ${v === 1 ? '1' : v >>> 8 === 0xff0000 ? `draft-${v & 0xff}` : 'Unknown'} (${hexN(v, 8)})`;
      out.push(f);
    }
    return out;
  }
  if (k.kind === 'retry') {
    const q = k.scidAt >= 0 ? k.scidAt + k.scidLen : k.end;
    const tag = k.tagAt >= 0 ? k.tagAt : k.end;
    if (q < tag) out.push(fBytes('quic.retry_token', 'Retry Token', b, q, tag));
    if (k.tagAt >= 0) out.push(fBytes('quic.retry_integrity_tag', 'Retry Integrity Tag', b, k.tagAt, k.end));
    return out;
  }
  if (k.tokenLenAt >= 0) {
    out.push(fUint('quic.token_length', 'Token Length', k.tokenLen, k.tokenLenAt, k.tokenLenLen));
    if (k.tokenLen > 0) out.push(fBytes('quic.token', 'Token', b, k.tokenLenAt + k.tokenLenLen, Math.min(k.end, k.tokenLenAt + k.tokenLenLen + k.tokenLen)));
  }
  if (k.lengthAt >= 0) out.push(fUint('quic.length', 'Length', k.length, k.lengthAt, k.lengthLen));
  let rest = k.lengthAt >= 0 ? k.lengthAt + k.lengthLen : k.end;
  if (k.pn >= 0) {
    out.push(fUint('quic.packet_number', 'Packet Number', k.pn, k.pnAt, k.pnLen));
    out.push(fBytes('quic.payload', 'Payload', b, k.payloadAt, k.end));
    rest = k.end;
    if (k.plain !== null) for (const f of k.frames) out.push(frameFields(k, f));
  }
  if (rest < k.end) out.push(fBytes('quic.remaining_payload', 'Remaining Payload', b, rest, k.end));
  return out;
}
