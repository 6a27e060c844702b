// TLS (and SSL 3.0) records over reassembled TCP, as tshark 4.0 shows them without keys: the record
// layer (content type, version, length), handshake messages in the clear (Client Hello and Server
// Hello with their extensions: server_name, ALPN, supported_versions; Certificate lengths; the
// others by type and length), Change Cipher Spec, alerts, and encrypted records ("Application
// Data", "Encrypted Handshake Message", "Encrypted Alert").
//
// The TCP application analyzer (src/analysis/http/app.ts) cuts each stream direction into records
// and hands every frame's complete records to tlsLayer() with the connection's TlsSession, which
// carries what tshark's TLS session knows: the version the Server Hello chose (the Protocol column
// and record titles say "TLSv1.3" from then on; before, the record's own version, "TLSv1" on most
// Client Hellos) and, per direction, whether a Change Cipher Spec went by (handshake records and
// alerts after it are encrypted). Certificates are not decoded (tshark's x509 dissectors).

import { fBool, fBytes, fHex, fStr, fText, fUint, hexN, latin1Text, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

/** tshark 4.0's TCP ports for TLS (`tshark -G decodes`). */
export const TLS_TCP_PORTS = new Set([
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017,
]);

/** What a connection's TLS session knows (see the top). */
export interface TlsSession {
  /** The version the Server Hello chose (supported_versions, else its version); 0: not yet. */
  version: number;
  /** A Change Cipher Spec was sent in direction 0 / 1. */
  ccs: [boolean, boolean];
  /**
   * What the application data carries, for the record titles ("Application Data Protocol: …"):
   * tshark's protocol for the server port (443: HTTP), else "Application Data".
   */
  app: string;
}

export function newTlsSession(serverPort = 0): TlsSession {
  return { version: 0, ccs: [false, false], app: serverPort === 443 ? 'Hypertext Transfer Protocol' : 'Application Data' };
}

interface Hs {
  start: number;
  type: number;
  /** Declared body length; the body is [start + 4, end). */
  len: number;
  end: number;
}

interface Rec {
  start: number;
  end: number;
  type: number;
  version: number;
  len: number;
  /** Handshake records and alerts sent after Change Cipher Spec; TLS 1.3 application data. */
  encrypted: boolean;
  hs: Hs[];
  /** Bytes that start no TLS record (content type or version unknown): tshark's "Continuation Data". */
  unknown: boolean;
  /** The version its title names: the session's before this record, else its own. */
  shown: number;
}

export interface TlsD {
  recs: Rec[];
  /** The session's version when the records were read (0: unknown). */
  session: number;
  /** TlsSession.app. */
  app: string;
}

const VERSIONS: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
const COLUMN: Record<number, string> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };
const CONTENT: Record<number, string> = { 20: 'Change Cipher Spec', 21: 'Alert', 22: 'Handshake', 23: 'Application Data', 24: 'Heartbeat' };
const HS_TYPES: Record<number, string> = {
  0: 'Hello Request', 1: 'Client Hello', 2: 'Server Hello', 3: 'Hello Verify Request', 4: 'New Session Ticket', 5: 'End of Early Data',
  6: 'Hello Retry Request', 8: 'Encrypted Extensions', 11: 'Certificate', 12: 'Server Key Exchange', 13: 'Certificate Request',
  14: 'Server Hello Done', 15: 'Certificate Verify', 16: 'Client Key Exchange', 20: 'Finished', 21: 'Certificate URL',
  22: 'Certificate Status', 23: 'Supplemental Data', 24: 'Key Update', 25: 'Compressed Certificate', 254: 'Message Hash',
};
const ALERT_LEVEL: Record<number, string> = { 1: 'Warning', 2: 'Fatal' };
const ALERT_DESC: Record<number, string> = {
  0: 'Close Notify', 10: 'Unexpected Message', 20: 'Bad Record MAC', 21: 'Decryption Failed', 22: 'Record Overflow',
  30: 'Decompression Failure', 40: 'Handshake Failure', 41: 'No Certificate', 42: 'Bad Certificate', 43: 'Unsupported Certificate',
  44: 'Certificate Revoked', 45: 'Certificate Expired', 46: 'Certificate Unknown', 47: 'Illegal Parameter', 48: 'Unknown CA',
  49: 'Access Denied', 50: 'Decode Error', 51: 'Decrypt Error', 60: 'Export Restriction', 70: 'Protocol Version',
  71: 'Insufficient Security', 80: 'Internal Error', 86: 'Inappropriate Fallback', 90: 'User Canceled', 100: 'No Renegotiation',
  109: 'Missing Extension', 110: 'Unsupported Extension', 111: 'Certificate Unobtainable', 112: 'Unrecognized Name',
  113: 'Bad Certificate Status Response', 114: 'Bad Certificate Hash Value', 115: 'Unknown PSK Identity',
  116: 'Certificate Required', 120: 'No application Protocol',
};
const EXT_TYPES: Record<number, string> = {
  0: 'server_name', 1: 'max_fragment_length', 5: 'status_request', 10: 'supported_groups', 11: 'ec_point_formats',
  13: 'signature_algorithms', 14: 'use_srtp', 15: 'heartbeat', 16: 'application_layer_protocol_negotiation',
  18: 'signed_certificate_timestamp', 21: 'padding', 22: 'encrypt_then_mac', 23: 'extended_master_secret',
  27: 'compress_certificate', 28: 'record_size_limit', 35: 'session_ticket', 41: 'pre_shared_key', 42: 'early_data',
  43: 'supported_versions', 44: 'cookie', 45: 'psk_key_exchange_modes', 47: 'certificate_authorities', 48: 'oid_filters',
  49: 'post_handshake_auth', 50: 'signature_algorithms_cert', 51: 'key_share', 57: 'quic_transport_parameters',
  17513: 'application_settings', 65281: 'renegotiation_info',
};
const SUITES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256', 0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256', 0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA', 0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA', 0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256', 0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
};

/** The Server Hello random that makes it a Hello Retry Request (RFC 8446 4.1.3: SHA-256 of "HelloRetryRequest"). */
const HRR_RANDOM = Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'));

/** A handshake message's name: a Server Hello with the HRR random is tshark's "Hello Retry Request". */
function hsName(buf: Uint8Array, h: Hs): string {
  if (h.type === 2 && h.end - h.start >= 38) {
    let hrr = true;
    for (let i = 0; i < 32 && hrr; i++) hrr = buf[h.start + 6 + i] === HRR_RANDOM[i];
    if (hrr) return 'Hello Retry Request';
  }
  return HS_TYPES[h.type];
}

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a … 0xfafa. */
function grease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

function named(table: Record<number, string>, v: number, hex: number): string {
  const n = table[v] ?? (grease(v) ? 'Reserved (GREASE)' : 'Unknown');
  return `${n} (${hex > 0 ? hexN(v, hex) : v})`;
}

function versionName(v: number): string {
  return VERSIONS[v] ?? (grease(v) ? 'Reserved (GREASE)' : 'Unknown');
}

/** The Protocol column / record title version: the session's once known, else the record's. */
function shownVersion(session: number, rec: number): string {
  return COLUMN[session || rec] ?? 'SSL';
}

function u24(buf: Uint8Array, at: number): number {
  return (buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2];
}

/** A handshake record's messages; [] when they do not parse (encrypted, say). */
function handshakes(buf: Uint8Array, start: number, end: number): Hs[] {
  const out: Hs[] = [];
  let p = start;
  while (p + 4 <= end) {
    const type = buf[p];
    const len = u24(buf, p + 1);
    if (HS_TYPES[type] === undefined || p + 4 + len > end) return out.length > 0 ? out : [];
    out.push({ start: p, type, len, end: p + 4 + len });
    p += 4 + len;
  }
  return p === end ? out : out.length > 0 ? out : [];
}

/** Whether a Client or Server Hello's fixed fields (up to the compression methods) fit in its body. */
function helloFits(buf: Uint8Array, h: Hs): boolean {
  const e = h.end;
  let p = h.start + 4 + 34;
  if (p + 1 > e) return false;
  p += 1 + buf[p];
  if (h.type === 2) return p + 3 <= e;
  if (p + 2 > e) return false;
  p += 2 + u16(buf, p);
  if (p + 1 > e) return false;
  return p + 1 + buf[p] <= e;
}

/** The version a Server Hello chose: its supported_versions extension, else its version field. */
function serverHelloVersion(buf: Uint8Array, h: Hs): number {
  let p = h.start + 4;
  const e = h.end;
  if (p + 2 + 32 + 1 > e) return 0;
  const legacy = u16(buf, p);
  p += 34;
  p += 1 + buf[p]; // session id
  p += 3; // cipher suite, compression
  if (p + 2 > e) return legacy;
  const extEnd = Math.min(e, p + 2 + u16(buf, p));
  p += 2;
  while (p + 4 <= extEnd) {
    const t = u16(buf, p);
    const l = u16(buf, p + 2);
    if (t === 43 && l === 2 && p + 6 <= extEnd) return u16(buf, p + 4);
    p += 4 + l;
  }
  return legacy;
}

/**
 * The records in [start, end) (whole records, as the analyzer cuts them; a cut last one is
 * marked truncated). `dir` is the sending direction; `sess` is updated as the records go by.
 */
export function tlsLayer(buf: Uint8Array, start: number, end: number, sess: TlsSession, dir: number): Layer<TlsD> {
  const d: TlsD = { recs: [], session: 0, app: sess.app };
  const l = new Layer<TlsD>(tls, buf, start, end, d);
  let p = start;
  while (p < end) {
    const type = buf[p];
    if (end - p < 5 || CONTENT[type] === undefined || buf[p + 1] !== 3) {
      d.recs.push({ start: p, end, type, version: 0, len: end - p, encrypted: false, hs: [], unknown: true, shown: sess.version });
      break;
    }
    const version = u16(buf, p + 1);
    const len = u16(buf, p + 3);
    let e = p + 5 + len;
    if (e > end) {
      l.problem('truncated', `TLS record of ${len} bytes, ${end - p - 5} present`, p, end);
      e = end;
    }
    const rec: Rec = { start: p, end: e, type, version, len, encrypted: false, hs: [], unknown: false, shown: sess.version || version };
    if (type === 22) {
      rec.hs = sess.ccs[dir] ? [] : handshakes(buf, p + 5, e);
      rec.encrypted = rec.hs.length === 0;
      const bad = rec.hs.findIndex((h) => (h.type === 1 || h.type === 2) && !helloFits(buf, h));
      if (bad >= 0) {
        // tshark's dissection stops at the exception: the records after it are not read
        rec.hs.length = bad + 1;
        d.recs.push(rec);
        l.problem('malformed', `${HS_TYPES[rec.hs[bad].type]} shorter than its fields`, rec.hs[bad].start, end);
        break;
      }
      for (const h of rec.hs) if (h.type === 2) sess.version = serverHelloVersion(buf, h) || version;
    } else if (type === 21) rec.encrypted = sess.ccs[dir] || len !== 2 || e - p - 5 < 2;
    else if (type === 23) rec.encrypted = true;
    d.recs.push(rec);
    // TLS 1.3's Change Cipher Spec is only for middleboxes (RFC 8446 D.4): what follows it in the
    // clear (a second Client Hello after a Hello Retry Request) stays in the clear
    if (type === 20 && sess.version !== 0x0304) sess.ccs[dir] = true;
    p = e;
  }
  d.session = sess.version;
  return l;
}

/** Info words of a record: "Client Hello", "Change Cipher Spec", "Application Data", "Encrypted Alert" … */
function recordInfo(buf: Uint8Array, r: Rec): string[] {
  if (r.unknown) return ['Continuation Data'];
  switch (r.type) {
    case 20:
      return ['Change Cipher Spec'];
    case 21:
      if (r.encrypted) return ['Encrypted Alert'];
      return [`Alert (Level: ${ALERT_LEVEL[buf[r.start + 5]] ?? 'Unknown'}, Description: ${ALERT_DESC[buf[r.start + 6]] ?? 'Unknown'})`];
    case 22:
      return r.encrypted ? ['Encrypted Handshake Message'] : r.hs.map((h) => hsName(buf, h));
    case 23:
      return ['Application Data'];
    default:
      return [r.encrypted ? 'Encrypted Heartbeat' : 'Heartbeat'];
  }
}

/** The fields of a Client Hello's or Server Hello's body. */
function helloFields(buf: Uint8Array, h: Hs, client: boolean, out: Field[], lim: number): void {
  let p = h.start + 4;
  const e = h.end;
  // a hello too short for its fields (malformed): tshark reads on past its length, to the end of
  // the bytes it has, and stops where they end
  if (p + 2 <= lim) out.push(versionField('tls.handshake.version', buf, p));
  if (p + 35 > e) return;
  out.push(fBytes('tls.handshake.random', 'Random', buf, p + 2, p + 34));
  p += 34;
  const sidLen = buf[p];
  out.push(fUint('tls.handshake.session_id_length', 'Session ID Length', sidLen, p, 1));
  p++;
  if (p + sidLen > e) return;
  if (sidLen > 0) out.push(fBytes('tls.handshake.session_id', 'Session ID', buf, p, p + sidLen));
  p += sidLen;
  if (client) {
    if (p + 2 > e) return;
    const csLen = u16(buf, p);
    out.push(fUint('tls.handshake.cipher_suites_length', 'Cipher Suites Length', csLen, p, 2));
    p += 2;
    const csEnd = Math.min(e, p + csLen);
    const suites: Field[] = [];
    for (let q = p; q + 2 <= csEnd; q += 2) suites.push(suiteField(buf, q));
    const list = fText(`Cipher Suites (${suites.length} suite${suites.length === 1 ? '' : 's'})`, p, csEnd - p, suites);
    out.push(list);
    p = csEnd;
    if (p + 1 > e) return;
    const cmLen = buf[p];
    out.push(fUint('tls.handshake.comp_methods_length', 'Compression Methods Length', cmLen, p, 1));
    p++;
    const methods: Field[] = [];
    for (let q = p; q < Math.min(e, p + cmLen); q++) {
      const f = fUint('tls.handshake.comp_method', 'Compression Method', buf[q], q, 1);
      f.text = `Compression Method: ${buf[q] === 0 ? 'null' : buf[q] === 1 ? 'DEFLATE' : 'Unknown'} (${buf[q]})`;
      methods.push(f);
    }
    out.push(fText(`Compression Methods (${methods.length} method${methods.length === 1 ? '' : 's'})`, p, cmLen, methods));
    p += cmLen;
  } else {
    if (p + 3 > e) return;
    out.push(suiteField(buf, p));
    const f = fUint('tls.handshake.comp_method', 'Compression Method', buf[p + 2], p + 2, 1);
    f.text = `Compression Method: ${buf[p + 2] === 0 ? 'null' : 'Unknown'} (${buf[p + 2]})`;
    out.push(f);
    p += 3;
  }
  if (p + 2 > e) return;
  const extLen = u16(buf, p);
  out.push(fUint('tls.handshake.extensions_length', 'Extensions Length', extLen, p, 2));
  p += 2;
  const extEnd = Math.min(e, p + extLen);
  while (p + 4 <= extEnd) {
    const t = u16(buf, p);
    const l = Math.min(u16(buf, p + 2), extEnd - p - 4);
    out.push(extensionField(buf, p, t, l, client));
    p += 4 + l;
  }
}

function versionField(key: string, buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fHex(key, 'Version', v, at, 2);
  f.text = `Version: ${versionName(v)} (${hexN(v, 4)})`;
  return f;
}

function suiteField(buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fHex('tls.handshake.ciphersuite', 'Cipher Suite', v, at, 2);
  f.text = `Cipher Suite: ${named(SUITES, v, 4)}`;
  return f;
}

function extensionField(buf: Uint8Array, at: number, type: number, len: number, client: boolean): Field {
  const name = EXT_TYPES[type] ?? (grease(type) ? 'Reserved (GREASE)' : 'Unknown type ' + type);
  const kids: Field[] = [];
  const tf = fUint('tls.handshake.extension.type', 'Type', type, at, 2);
  tf.text = `Type: ${name} (${type})`;
  kids.push(tf, fUint('tls.handshake.extension.len', 'Length', len, at + 2, 2));
  const p = at + 4;
  const e = p + len;
  if (type === 0 && len >= 2) {
    kids.push(fUint('tls.handshake.extensions_server_name_list_len', 'Server Name list length', u16(buf, p), p, 2));
    for (let q = p + 2; q + 3 <= e; ) {
      const nl = u16(buf, q + 1);
      const entry: Field[] = [
        fUint('tls.handshake.extensions_server_name_type', 'Server Name Type', buf[q], q, 1),
        fUint('tls.handshake.extensions_server_name_len', 'Server Name length', nl, q + 1, 2),
      ];
      entry[0].text = `Server Name Type: ${buf[q] === 0 ? 'host_name' : 'Unknown'} (${buf[q]})`;
      const ne = Math.min(e, q + 3 + nl);
      const host = latin1Text(buf, q + 3, ne);
      entry.push(fStr('tls.handshake.extensions_server_name', 'Server Name', host, q + 3, ne - q - 3));
      kids.push(fText(`Server Name Indication extension`, q, ne - q, entry));
      q = ne;
    }
  } else if (type === 16 && len >= 2) {
    kids.push(fUint('tls.handshake.extensions_alpn_len', 'ALPN Extension Length', u16(buf, p), p, 2));
    const protos: Field[] = [];
    for (let q = p + 2; q + 1 <= e; ) {
      const sl = buf[q];
      const se = Math.min(e, q + 1 + sl);
      protos.push(fUint('tls.handshake.extensions_alpn_str_len', 'ALPN string length', sl, q, 1));
      protos.push(fStr('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', latin1Text(buf, q + 1, se), q + 1, se - q - 1));
      q = se;
    }
    kids.push(fText('ALPN Protocol', p + 2, len - 2, protos));
  } else if (type === 43) {
    if (client && len >= 1) {
      kids.push(fUint('tls.handshake.extensions.supported_versions_len', 'Supported Versions length', buf[p], p, 1));
      for (let q = p + 1; q + 2 <= Math.min(e, p + 1 + buf[p]); q += 2) kids.push(supportedVersion(buf, q));
    } else if (!client && len >= 2) kids.push(supportedVersion(buf, p));
  } else if (len > 0) kids.push(fBytes('tls.handshake.extension.data', 'Data', buf, p, e));
  return fText(`Extension: ${name} (len=${len})`, at, 4 + len, kids);
}

function supportedVersion(buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fHex('tls.handshake.extensions.supported_version', 'Supported Version', v, at, 2);
  f.text = `Supported Version: ${versionName(v)} (${hexN(v, 4)})`;
  return f;
}

function handshakeFields(buf: Uint8Array, h: Hs, lim: number): Field {
  const name = hsName(buf, h);
  const tf = fUint('tls.handshake.type', 'Handshake Type', h.type, h.start, 1);
  tf.text = `Handshake Type: ${HS_TYPES[h.type]} (${h.type})`;
  const kids: Field[] = [tf, fUint('tls.handshake.length', 'Length', h.len, h.start + 1, 3)];
  const p = h.start + 4;
  if (h.type === 1 || h.type === 2) helloFields(buf, h, h.type === 1, kids, lim);
  else if (h.type === 11 && h.len >= 3) {
    // TLS 1.3 puts a request context first; this is the TLS 1.2 layout (1.3's is encrypted anyway)
    const total = u24(buf, p);
    kids.push(fUint('tls.handshake.certificates_length', 'Certificates Length', total, p, 3));
    const certs: Field[] = [];
    for (let q = p + 3; q + 3 <= Math.min(h.end, p + 3 + total); ) {
      const cl = u24(buf, q);
      const ce = Math.min(h.end, q + 3 + cl);
      certs.push(fUint('tls.handshake.certificate_length', 'Certificate Length', cl, q, 3));
      certs.push(fBytes('tls.handshake.certificate', 'Certificate', buf, q + 3, ce));
      q = ce;
    }
    kids.push(fText(`Certificates (${total} bytes)`, p + 3, Math.min(h.end, p + 3 + total) - p - 3, certs));
  }
  const f = fText(`Handshake Protocol: ${name}`, h.start, h.end - h.start, kids);
  return f;
}

function recordTitle(buf: Uint8Array, r: Rec, app: string): string {
  const v = COLUMN[r.shown] ?? 'SSL';
  if (r.unknown) return 'Continuation Data';
  switch (r.type) {
    case 20:
      return `${v} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec`;
    case 21:
      return r.encrypted ? `${v} Record Layer: Encrypted Alert` : `${v} Record Layer: Alert (Level: ${ALERT_LEVEL[buf[r.start + 5]] ?? 'Unknown'}, Description: ${ALERT_DESC[buf[r.start + 6]] ?? 'Unknown'})`;
    case 22:
      if (r.encrypted) return `${v} Record Layer: Handshake Protocol: Encrypted Handshake Message`;
      return `${v} Record Layer: Handshake Protocol: ${r.hs.length === 1 ? hsName(buf, r.hs[0]) : 'Multiple Handshake Messages'}`;
    case 23:
      return `${v} Record Layer: Application Data Protocol: ${app}`;
    default:
      return `${v} Record Layer: Heartbeat`;
  }
}

function recordFields(buf: Uint8Array, r: Rec, session: number, app: string, lim: number): Field {
  const kids: Field[] = [];
  if (r.unknown) return fText(recordTitle(buf, r, app), r.start, r.end - r.start);
  // TLS 1.3 hides the real content type inside the encryption: the header's 23 is "Opaque Type"
  const opaque = session === 0x0304 && r.type === 23;
  const ct = fUint(opaque ? 'tls.record.opaque_type' : 'tls.record.content_type', opaque ? 'Opaque Type' : 'Content Type', r.type, r.start, 1);
  ct.text = `${opaque ? 'Opaque Type' : 'Content Type'}: ${CONTENT[r.type]} (${r.type})`;
  kids.push(ct, versionField('tls.record.version', buf, r.start + 1), fUint('tls.record.length', 'Length', r.len, r.start + 3, 2));
  const p = r.start + 5;
  if (r.type === 20) {
    // a text item in tshark (FT_NONE): -T fields prints 1 for it
    const f = fBool('tls.change_cipher_spec', 'Change Cipher Spec Message', true, p, r.end - p);
    f.text = 'Change Cipher Spec Message';
    kids.push(f);
  } else if (r.type === 21) {
    if (r.encrypted) {
      const f = fBool('tls.alert_message', 'Alert Message', true, p, r.end - p);
      f.text = 'Alert Message: Encrypted Alert';
      kids.push(f);
    } else {
      const lv = fUint('tls.alert_message.level', 'Level', buf[p], p, 1);
      lv.text = `Level: ${named(ALERT_LEVEL, buf[p], 0)}`;
      const ds = fUint('tls.alert_message.desc', 'Description', buf[p + 1], p + 1, 1);
      ds.text = `Description: ${named(ALERT_DESC, buf[p + 1], 0)}`;
      const am = fBool('tls.alert_message', 'Alert Message', true, p, 2);
      am.text = 'Alert Message';
      am.children = [lv, ds];
      kids.push(am);
    }
  } else if (r.type === 22) {
    if (r.encrypted) kids.push(fText('Handshake Protocol: Encrypted Handshake Message', p, r.end - p));
    else for (const h of r.hs) kids.push(handshakeFields(buf, h, lim));
  } else if (r.type === 23) {
    kids.push(fBytes('tls.app_data', 'Encrypted Application Data', buf, p, r.end));
  } else kids.push(fBytes('tls.heartbeat_message', 'Heartbeat Message', buf, p, r.end));
  return fText(recordTitle(buf, r, app), r.start, r.end - r.start, kids);
}

export const tls: Dissector<TlsD> = {
  proto: 'tls',
  name: 'Transport Layer Security',
  fieldKeys: [
    'tls.record.content_type', 'tls.record.opaque_type', 'tls.record.version', 'tls.record.length', 'tls.handshake.type',
    'tls.handshake.length', 'tls.handshake.version', 'tls.handshake.random', 'tls.handshake.session_id_length',
    'tls.handshake.session_id', 'tls.handshake.cipher_suites_length', 'tls.handshake.ciphersuite',
    'tls.handshake.comp_methods_length', 'tls.handshake.comp_method', 'tls.handshake.extensions_length',
    'tls.handshake.extension.type', 'tls.handshake.extension.len', 'tls.handshake.extension.data',
    'tls.handshake.extensions_server_name_list_len', 'tls.handshake.extensions_server_name_type',
    'tls.handshake.extensions_server_name_len', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_len',
    'tls.handshake.extensions_alpn_str_len', 'tls.handshake.extensions_alpn_str', 'tls.handshake.extensions.supported_versions_len',
    'tls.handshake.extensions.supported_version', 'tls.handshake.certificates_length', 'tls.handshake.certificate_length',
    'tls.handshake.certificate', 'tls.change_cipher_spec', 'tls.alert_message', 'tls.alert_message.level', 'tls.alert_message.desc',
    'tls.app_data', 'tls.heartbeat_message',
  ],
  dissect(buf, start, end) {
    // without the connection (a record seen alone): no session, direction 0
    return tlsLayer(buf, start, end, newTlsSession(), 0);
  },
  fields(l) {
    return l.d.recs.map((r) => recordFields(l.buf, r, l.d.session, l.d.app, l.end));
  },
  column: (l) => shownVersion(l.d.session, l.d.recs[0]?.version ?? 0),
  info: (l) => l.d.recs.flatMap((r) => recordInfo(l.buf, r)).join(', '),
};
