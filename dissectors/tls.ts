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
// alerts after it are encrypted). Each certificate of a Certificate message in the clear is dissected
// as tshark's X.509 dissectors do (src/dissect/x509.ts), when fields or frame.protocols are read.

import { absTimeText, fBool, fBytes, fHex, fmtBytesHex, fStr, fText, fUint, gen, hexN, latin1Text, md5Hex, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import { takeChunk } from './quic.js';
import { cutLabel, X509_FIELD_KEYS, x509Certificate } from '../src/dissect/x509.js';
import type { Dissector, Field } from '../src/dissect/types.js';

/** tshark 4.0's TCP ports for TLS (`tshark -G decodes`). */
export const TLS_TCP_PORTS = new Set([
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017,
]);

/** A protected record opened: its real content type and plaintext (`at`: where the plaintext starts in the fragment). */
export interface TlsPlain {
  type: number;
  plain: Uint8Array;
  at: number;
}

/**
 * Decryption with a key log (src/analysis/tls/decrypt.ts), when one was given: told the hellos and
 * each direction's Change Cipher Spec, asked to open each protected record of a direction in order.
 */
export interface TlsDecrypt {
  clientHello(dir: number, random: Uint8Array): void;
  serverHello(dir: number, random: Uint8Array, suite: number, version: number, etm: boolean): void;
  changeCipherSpec(dir: number): void;
  open(dir: number, type: number, version: number, fragment: Uint8Array): TlsPlain | null;
}

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
  /** Decryption (a key log was given); absent: none, and the records are shown as tshark shows them without keys. */
  decrypt?: TlsDecrypt;
}

const HTTP_APP = 'Hypertext Transfer Protocol';

export function newTlsSession(serverPort = 0): TlsSession {
  return { version: 0, ccs: [false, false], app: serverPort === 443 ? HTTP_APP : 'Application Data' };
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
  /**
   * Handshake messages a QUIC CRYPTO frame carries (no record header; tshark titles them as a TLS 1.3
   * record). `fragment`: the start of a message the packet does not complete.
   */
  quic?: 'whole' | 'fragment';
  /** Decrypted (TlsSession.decrypt): the plaintext, its real content type, where it starts in the record's fragment. */
  plain?: Uint8Array;
  inner?: number;
  plainAt?: number;
  /**
   * Decrypted application data that went into a message of the protocol above not complete yet
   * (tshark's "TLS segment data (N bytes)", Info "[TLS segment of a reassembled PDU]"); set by the analyzer.
   */
  segData?: number;
  /** …and no message completed with it: the Info column says so. */
  segWait?: boolean;
}

export interface TlsD {
  recs: Rec[];
  /** The session's version when the records were read (0: unknown). */
  session: number;
  /** TlsSession.app. */
  app: string;
  /** A key log was given (tshark then names each application data record's protocol: tls.app_data_proto). */
  keys?: boolean;
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
  13172: 'next_protocol_negotiation', 17513: 'application_settings', 30032: 'channel_id', 65281: 'renegotiation_info',
};
/** Named extensions tshark shows as plain "Data" (it has no decoder for them), as it does unnamed ones. */
const DATA_EXTS = new Set([35, 30032]);
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

const GROUPS: Record<number, string> = {
  0x0017: 'secp256r1', 0x0018: 'secp384r1', 0x0019: 'secp521r1', 0x001d: 'x25519', 0x001e: 'x448',
  0x0100: 'ffdhe2048', 0x0101: 'ffdhe3072', 0x0102: 'ffdhe4096', 0x0103: 'ffdhe6144', 0x0104: 'ffdhe8192',
};
const POINT_FORMATS: Record<number, string> = { 0: 'uncompressed', 1: 'ansiX962_compressed_prime', 2: 'ansiX962_compressed_char2' };
const SIG_ALGS: Record<number, string> = {
  0x0401: 'rsa_pkcs1_sha256', 0x0501: 'rsa_pkcs1_sha384', 0x0601: 'rsa_pkcs1_sha512', 0x0403: 'ecdsa_secp256r1_sha256',
  0x0503: 'ecdsa_secp384r1_sha384', 0x0603: 'ecdsa_secp521r1_sha512', 0x0804: 'rsa_pss_rsae_sha256', 0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512', 0x0807: 'ed25519', 0x0808: 'ed448', 0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512', 0x0201: 'rsa_pkcs1_sha1', 0x0203: 'ecdsa_sha1', 0x0301: 'SHA224 RSA', 0x0303: 'SHA224 ECDSA',
  0x0302: 'SHA224 DSA', 0x0202: 'SHA1 DSA', 0x0402: 'SHA256 DSA', 0x0502: 'SHA384 DSA', 0x0602: 'SHA512 DSA',
};
const PSK_MODES: Record<number, string> = { 0: 'PSK-only key establishment (psk_ke)', 1: 'PSK with (EC)DHE key establishment (psk_dhe_ke)' };

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

/** Hand a Client Hello's random, or a Server Hello's random, suite and encrypt_then_mac, to the decryption. */
function helloToDecrypt(dec: TlsDecrypt, buf: Uint8Array, h: Hs, dir: number, version: number): void {
  const p = h.start + 4;
  if ((h.type !== 1 && h.type !== 2) || p + 35 > h.end) return;
  const random = buf.subarray(p + 2, p + 34);
  if (h.type === 1) return dec.clientHello(dir, random);
  let q = p + 34;
  q += 1 + buf[q];
  if (q + 3 > h.end) return;
  const suite = u16(buf, q);
  q += 3;
  let etm = false;
  if (q + 2 <= h.end) {
    const extEnd = Math.min(h.end, q + 2 + u16(buf, q));
    for (q += 2; q + 4 <= extEnd; q += 4 + u16(buf, q + 2)) if (u16(buf, q) === 22) etm = true;
  }
  dec.serverHello(dir, random, suite, version, etm);
}

/**
 * Whether the bytes at `at` (as many as there are before `end`, at least one) can start a TLS record:
 * a known content type (20–24) and a major version of 3. The analyzer's framer cuts with it.
 */
export function startsRecord(buf: Uint8Array, at: number, end: number): boolean {
  return CONTENT[buf[at]] !== undefined && (end - at < 2 || buf[at + 1] === 3);
}

/**
 * The records in [start, end) (whole records, as the analyzer cuts them; a cut last one is
 * marked truncated). `dir` is the sending direction; `sess` is updated as the records go by.
 */
export function tlsLayer(buf: Uint8Array, start: number, end: number, sess: TlsSession, dir: number): Layer<TlsD> {
  const d: TlsD = { recs: [], session: 0, app: sess.app };
  const dec = sess.decrypt;
  if (dec !== undefined) d.keys = true;
  const l = new Layer<TlsD>(tls, buf, start, end, d);
  let p = start;
  while (p < end) {
    const type = buf[p];
    if (end - p < 5 || !startsRecord(buf, p, end)) {
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
    // a protected record, whole: opened with the key log's keys when they fit (else it stays encrypted)
    if (dec !== undefined && e === p + 5 + len && (sess.version === 0x0304 ? type === 23 : sess.ccs[dir] && type >= 21 && type <= 23)) {
      const o = dec.open(dir, type, version, buf.subarray(p + 5, e));
      if (o !== null) {
        rec.plain = o.plain;
        rec.inner = o.type;
        rec.plainAt = p + 5 + o.at;
        if (o.type === 22) rec.hs = handshakes(o.plain, 0, o.plain.length);
        rec.encrypted = o.type === 22 ? rec.hs.length === 0 : o.type === 21 ? o.plain.length < 2 : true;
        d.recs.push(rec);
        p = e;
        continue;
      }
    }
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
      if (dec !== undefined) for (const h of rec.hs) helloToDecrypt(dec, buf, h, dir, sess.version);
    } else if (type === 21) rec.encrypted = sess.ccs[dir] || len !== 2 || e - p - 5 < 2;
    else if (type === 23) rec.encrypted = true;
    d.recs.push(rec);
    // TLS 1.3's Change Cipher Spec is only for middleboxes (RFC 8446 D.4): what follows it in the
    // clear (a second Client Hello after a Hello Retry Request) stays in the clear
    if (type === 20 && sess.version !== 0x0304) {
      sess.ccs[dir] = true;
      dec?.changeCipherSpec(dir);
    }
    p = e;
  }
  d.session = sess.version;
  return l;
}

/** Info words of a record: "Client Hello", "Change Cipher Spec", "Application Data", "Encrypted Alert" … */
function recordInfo(buf: Uint8Array, r: Rec): string[] {
  if (r.unknown) return ['Continuation Data'];
  // a decrypted record: its real type, read from the plaintext
  const type = r.inner ?? r.type;
  const b = r.plain ?? buf;
  const at = r.plain !== undefined ? 0 : r.start + 5;
  switch (type) {
    case 20:
      return ['Change Cipher Spec'];
    case 21:
      if (r.encrypted) return ['Encrypted Alert'];
      return [`Alert (Level: ${ALERT_LEVEL[b[at]] ?? 'Unknown'}, Description: ${ALERT_DESC[b[at + 1]] ?? 'Unknown'})`];
    case 22:
      return r.encrypted ? ['Encrypted Handshake Message'] : r.hs.map((h) => hsName(b, h));
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
  // JA3 / JA3S (tshark's fingerprints): version, cipher suites, extensions, groups, point formats,
  // decimal, GREASE values left out
  const ja3 = { version: u16(buf, h.start + 4), ciphers: [] as number[], exts: [] as number[], groups: [] as number[], formats: [] as number[] };
  if (client) {
    if (p + 2 > e) return;
    const csLen = u16(buf, p);
    out.push(fUint('tls.handshake.cipher_suites_length', 'Cipher Suites Length', csLen, p, 2));
    p += 2;
    const csEnd = Math.min(e, p + csLen);
    const suites: Field[] = [];
    for (let q = p; q + 2 <= csEnd; q += 2) {
      suites.push(suiteField(buf, q));
      if (!grease(u16(buf, q))) ja3.ciphers.push(u16(buf, q));
    }
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
    ja3.ciphers.push(u16(buf, p));
    const f = fUint('tls.handshake.comp_method', 'Compression Method', buf[p + 2], p + 2, 1);
    f.text = `Compression Method: ${buf[p + 2] === 0 ? 'null' : 'Unknown'} (${buf[p + 2]})`;
    out.push(f);
    p += 3;
  }
  if (p + 2 <= e) {
    const extLen = u16(buf, p);
    out.push(fUint('tls.handshake.extensions_length', 'Extensions Length', extLen, p, 2));
    p += 2;
    const extEnd = Math.min(e, p + extLen);
    const hrr = !client && hsName(buf, h) === 'Hello Retry Request';
    while (p + 4 <= extEnd) {
      const t = u16(buf, p);
      const l = Math.min(u16(buf, p + 2), extEnd - p - 4);
      out.push(extensionField(buf, p, t, l, client, hrr));
      if (!grease(t)) ja3.exts.push(t);
      if (client && t === 10 && l >= 2) for (let q = p + 6; q + 2 <= Math.min(p + 4 + l, p + 6 + u16(buf, p + 4)); q += 2) if (!grease(u16(buf, q))) ja3.groups.push(u16(buf, q));
      if (client && t === 11 && l >= 1) for (let q = p + 5; q < Math.min(p + 4 + l, p + 5 + buf[p + 4]); q++) ja3.formats.push(buf[q]);
      p += 4 + l;
    }
  }
  const full = client
    ? [ja3.version, ja3.ciphers.join('-'), ja3.exts.join('-'), ja3.groups.join('-'), ja3.formats.join('-')].join(',')
    : [ja3.version, ja3.ciphers.join('-'), ja3.exts.join('-')].join(',');
  const k = client ? 'ja3' : 'ja3s';
  const label = client ? 'JA3' : 'JA3S';
  out.push(gen(fStr(`tls.handshake.${k}_full`, `${label} Fullstring`, full, h.start, h.end - h.start)));
  out.push(gen(fStr(`tls.handshake.${k}`, label, md5Hex(full), h.start, h.end - h.start)));
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

/** A 16-bit value with its name from `table`, in hex: "Supported Group: x25519 (0x001d)". */
function named16(key: string, label: string, table: Record<number, string>, buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fHex(key, label, v, at, 2);
  f.text = `${label}: ${named(table, v, 4)}`;
  return f;
}

/** The same in decimal: "Group: x25519 (29)". */
function namedDec16(key: string, label: string, table: Record<number, string>, buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fUint(key, label, v, at, 2);
  f.text = `${label}: ${named(table, v, 0)}`;
  return f;
}

function extensionField(buf: Uint8Array, at: number, type: number, len: number, client: boolean, hrr: boolean): Field {
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
  } else if (type === 10 && len >= 2) {
    const gl = u16(buf, p);
    kids.push(fUint('tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length', gl, p, 2));
    const gs: Field[] = [];
    for (let q = p + 2; q + 2 <= Math.min(e, p + 2 + gl); q += 2) gs.push(named16('tls.handshake.extensions_supported_group', 'Supported Group', GROUPS, buf, q));
    kids.push(fText(`Supported Groups (${gs.length} group${gs.length === 1 ? '' : 's'})`, p + 2, gl, gs));
  } else if (type === 11 && len >= 1) {
    const fl = buf[p];
    kids.push(fUint('tls.handshake.extensions_ec_point_formats_length', 'EC point formats Length', fl, p, 1));
    const fs: Field[] = [];
    for (let q = p + 1; q < Math.min(e, p + 1 + fl); q++) {
      const f = fUint('tls.handshake.extensions_ec_point_format', 'EC point format', buf[q], q, 1);
      f.text = `EC point format: ${named(POINT_FORMATS, buf[q], 0)}`;
      fs.push(f);
    }
    kids.push(fText(`Elliptic curves point formats (${fs.length})`, p + 1, fl, fs));
  } else if ((type === 13 || type === 50) && len >= 2) {
    const sl = u16(buf, p);
    kids.push(fUint('tls.handshake.sig_hash_alg_len', 'Signature Hash Algorithms Length', sl, p, 2));
    const algs: Field[] = [];
    for (let q = p + 2; q + 2 <= Math.min(e, p + 2 + sl); q += 2) {
      const f = named16('tls.handshake.sig_hash_alg', 'Signature Algorithm', SIG_ALGS, buf, q);
      f.children = [fUint('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash', buf[q], q, 1), fUint('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature', buf[q + 1], q + 1, 1)];
      algs.push(f);
    }
    kids.push(fText(`Signature Hash Algorithms (${algs.length} algorithm${algs.length === 1 ? '' : 's'})`, p + 2, sl, algs));
  } else if (type === 51 && (hrr ? len >= 2 : client ? len >= 2 : len >= 4)) {
    if (hrr) kids.push(namedDec16('tls.handshake.extensions_key_share_selected_group', 'Selected Group', GROUPS, buf, p));
    else {
      let q = p;
      let end = e;
      if (client) {
        const cl = u16(buf, p);
        kids.push(fUint('tls.handshake.extensions_key_share_client_length', 'Client Key Share Length', cl, p, 2));
        q = p + 2;
        end = Math.min(e, q + cl);
      }
      while (q + 4 <= end) {
        const g = u16(buf, q);
        const kl = u16(buf, q + 2);
        const ke = Math.min(end, q + 4 + kl);
        const entry = [
          namedDec16('tls.handshake.extensions_key_share_group', 'Group', GROUPS, buf, q),
          fUint('tls.handshake.extensions_key_share_key_exchange_length', 'Key Exchange Length', kl, q + 2, 2),
        ];
        if (kl > 0) entry.push(fBytes('tls.handshake.extensions_key_share_key_exchange', 'Key Exchange', buf, q + 4, ke));
        kids.push(fText(`Key Share Entry: Group: ${GROUPS[g] ?? (grease(g) ? 'Reserved (GREASE)' : 'Unknown')}, Key Exchange length: ${kl}`, q, ke - q, entry));
        q = ke;
        if (!client) break;
      }
    }
  } else if (type === 45 && len >= 1) {
    kids.push(fUint('tls.extension.psk_ke_modes_length', 'PSK Key Exchange Modes Length', buf[p], p, 1));
    for (let q = p + 1; q < Math.min(e, p + 1 + buf[p]); q++) {
      const f = fUint('tls.extension.psk_ke_mode', 'PSK Key Exchange Mode', buf[q], q, 1);
      f.text = `PSK Key Exchange Mode: ${named(PSK_MODES, buf[q], 0)}`;
      kids.push(f);
    }
  } else if (type === 43) {
    if (client && len >= 1) {
      kids.push(fUint('tls.handshake.extensions.supported_versions_len', 'Supported Versions length', buf[p], p, 1));
      for (let q = p + 1; q + 2 <= Math.min(e, p + 1 + buf[p]); q += 2) kids.push(supportedVersion(buf, q));
    } else if (!client && len >= 2) kids.push(supportedVersion(buf, p));
  } else if (type === 21 && len > 0) kids.push(fBytes('tls.handshake.extensions_padding_data', 'Padding Data', buf, p, e));
  else if (type === 65281 && len >= 1) {
    kids.push(fUint('tls.handshake.extensions_reneg_info_len', 'Renegotiation info extension length', buf[p], p, 1));
    if (buf[p] > 0) kids.push(fBytes('tls.handshake.extensions_reneg_info', 'Renegotiation info', buf, p + 1, Math.min(e, p + 1 + buf[p])));
  } else if (EXT_TYPES[type] === undefined || DATA_EXTS.has(type)) {
    // an extension tshark has no decoder for keeps its bytes as Data, even none (-T fields then
    // prints tshark's "<MISSING>")
    const f = fBytes('tls.handshake.extension.data', 'Data', buf, p, e);
    if (len === 0) f.show = '<MISSING>';
    kids.push(f);
  } else if (len > 0) kids.push(fText(`Data (${len} bytes)`, p, len)); // one tshark decodes further: a line
  return fText(`Extension: ${name} (len=${len})`, at, 4 + len, kids);
}

function supportedVersion(buf: Uint8Array, at: number): Field {
  const v = u16(buf, at);
  const f = fHex('tls.handshake.extensions.supported_version', 'Supported Version', v, at, 2);
  f.text = `Supported Version: ${versionName(v)} (${hexN(v, 4)})`;
  return f;
}

/**
 * A Server Key Exchange for ECDHE with a named curve: the curve, the public key, and (with `sigAlg`:
 * TLS 1.2) the signature algorithm, then the signature.
 */
function serverEcdhFields(buf: Uint8Array, h: Hs, sigAlg: boolean, out: Field[]): void {
  const p = h.start + 4;
  const e = h.end;
  const ct = fHex('tls.handshake.server_curve_type', 'Curve Type', buf[p], p, 1);
  ct.text = 'Curve Type: named_curve (0x03)';
  const ps: Field[] = [ct, named16('tls.handshake.server_named_curve', 'Named Curve', GROUPS, buf, p + 1)];
  const kl = buf[p + 3];
  ps.push(fUint('tls.handshake.server_point_len', 'Pubkey Length', kl, p + 3, 1));
  let q = p + 4;
  if (q + kl > e) return void out.push(fText('EC Diffie-Hellman Server Params', p, e - p, ps));
  ps.push(fBytes('tls.handshake.server_point', 'Pubkey', buf, q, q + kl));
  q += kl;
  if (sigAlg && q + 2 <= e) {
    const f = named16('tls.handshake.sig_hash_alg', 'Signature Algorithm', SIG_ALGS, buf, q);
    f.children = [fUint('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash', buf[q], q, 1), fUint('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature', buf[q + 1], q + 1, 1)];
    ps.push(f);
    q += 2;
  }
  if (q + 2 <= e) {
    const sl = u16(buf, q);
    ps.push(fUint('tls.handshake.sig_len', 'Signature Length', sl, q, 2));
    if (sl > 0) ps.push(fBytes('tls.handshake.sig', 'Signature', buf, q + 2, Math.min(e, q + 2 + sl)));
  }
  out.push(fText('EC Diffie-Hellman Server Params', p, e - p, ps));
}

const SIG_HASH: Record<number, string> = { 0: 'None', 1: 'MD5', 2: 'SHA1', 3: 'SHA224', 4: 'SHA256', 5: 'SHA384', 6: 'SHA512', 8: 'Intrinsic' };
const SIG_SIG: Record<number, string> = { 0: 'Anonymous', 1: 'RSA', 2: 'DSA', 3: 'ECDSA' };

/**
 * A certificate's SignedCertificateTimestampList (RFC 6962 3.3), which tshark's TLS dissector reads for
 * its X.509 one: each SCT's version, log, time, extensions and signature. tshark names the logs it
 * knows; wiretrace says "Unknown Log" for all.
 */
function sctFields(buf: Uint8Array, s: number, e: number): Field[] {
  const out: Field[] = [];
  if (s + 2 > e) return out;
  const total = u16(buf, s);
  out.push(fUint('tls.sct.scts_length', 'Serialized SCT List Length', total, s, 2));
  const end = Math.min(e, s + 2 + total);
  for (let p = s + 2, n = 0; p + 2 <= end && n < 256; n++) {
    const len = u16(buf, p);
    const se = Math.min(end, p + 2 + len);
    const kids: Field[] = [fUint('tls.sct.sct_length', 'Serialized SCT Length', len, p, 2)];
    let q = p + 2;
    if (q + 1 + 32 + 8 + 2 <= se) {
      kids.push(fUint('tls.sct.sct_version', 'SCT Version', buf[q], q, 1), fBytes('tls.sct.sct_logid', 'Log ID', buf, q + 1, q + 33));
      const ms = u32(buf, q + 33) * 4294967296 + u32(buf, q + 37);
      const ts = fStr('tls.sct.sct_timestamp', 'Timestamp', absTimeText(Math.floor(ms / 1000), (ms % 1000) * 1e6), q + 33, 8);
      const el = u16(buf, q + 41);
      kids.push(ts, fUint('tls.sct.sct_extensions_length', 'Extensions length', el, q + 41, 2));
      q += 43;
      if (el > 0) kids.push(fBytes('tls.sct.sct_extensions', 'Extensions', buf, q, Math.min(se, q + el)));
      q += el;
      if (q + 4 <= se) {
        const f = named16('tls.handshake.sig_hash_alg', 'Signature Algorithm', SIG_ALGS, buf, q);
        const h = fUint('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash', buf[q], q, 1);
        h.text = `Signature Hash Algorithm Hash: ${SIG_HASH[buf[q]] ?? 'Unknown'} (${buf[q]})`;
        const g = fUint('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature', buf[q + 1], q + 1, 1);
        g.text = `Signature Hash Algorithm Signature: ${SIG_SIG[buf[q + 1]] ?? 'Unknown'} (${buf[q + 1]})`;
        f.children = [h, g];
        const sl = u16(buf, q + 2);
        kids.push(f, fUint('tls.sct.sct_signature_length', 'Signature Length', sl, q + 2, 2));
        if (sl > 0) kids.push(fBytes('tls.sct.sct_signature', 'Signature', buf, q + 4, Math.min(se, q + 4 + sl)));
      }
    }
    out.push(fText('Signed Certificate Timestamp (Unknown Log)', p, se - p, kids));
    p = se;
  }
  return out;
}

/**
 * Where each certificate of a Certificate message is: [its length's offset, its end, the end of its
 * extensions] (TLS 1.3: a request context first, extensions after each certificate; before: neither).
 */
function certificateRanges(buf: Uint8Array, h: Hs, tls13: boolean): [number, number, number][] {
  const out: [number, number, number][] = [];
  let p = h.start + 4;
  if (h.type !== 11) return out;
  if (tls13) {
    if (p >= h.end) return out;
    p += 1 + buf[p];
  }
  if (p + 3 > h.end) return out;
  const end = Math.min(h.end, p + 3 + u24(buf, p));
  for (let q = p + 3; q + 3 <= end; ) {
    const ce = Math.min(end, q + 3 + u24(buf, q));
    let xe = ce;
    if (tls13 && ce + 2 <= end) xe = Math.min(end, ce + 2 + u16(buf, ce));
    out.push([q, ce, xe]);
    q = xe;
  }
  return out;
}

/**
 * This layer's part of frame.protocols: "tls", then what tshark's X.509 dissectors add for each
 * certificate in the clear (x509sat, x509ce, pkcs-1, …). Parses the certificates: only called when
 * frame.protocols is read (never for the plain table).
 */
function tlsProtocols(l: Layer<TlsD>): string {
  let s = 'tls';
  for (const r of l.d.recs) {
    // a record in the clear, or one decrypted with a key log (its handshakes index its plaintext)
    const b = r.plain !== undefined && r.inner === 22 ? r.plain : r.type === 22 && !r.encrypted ? l.buf : null;
    if (b === null) continue;
    for (const h of r.hs) for (const [q, ce] of certificateRanges(b, h, l.d.session === 0x0304)) for (const p of x509Certificate(b, q + 3, ce, sctFields).protos) s += ':' + p;
  }
  return s;
}

/** Extensions (a 2-byte length, then each): Encrypted Extensions, a TLS 1.3 certificate entry's, a ticket's. */
function extensionList(buf: Uint8Array, p: number, e: number, out: Field[]): number {
  if (p + 2 > e) return e;
  const extLen = u16(buf, p);
  out.push(fUint('tls.handshake.extensions_length', 'Extensions Length', extLen, p, 2));
  const extEnd = Math.min(e, p + 2 + extLen);
  for (let q = p + 2; q + 4 <= extEnd; ) {
    const l = Math.min(u16(buf, q + 2), extEnd - q - 4);
    out.push(extensionField(buf, q, u16(buf, q), l, false, false));
    q += 4 + l;
  }
  return extEnd;
}

/** The bodies of the messages TLS 1.3 encrypts (seen once decrypted): tshark's fields for them. */
function tls13Fields(buf: Uint8Array, h: Hs, kids: Field[]): boolean {
  const p = h.start + 4;
  const e = h.end;
  if (h.type === 8) extensionList(buf, p, e, kids);
  else if (h.type === 11 && p + 4 <= e) {
    const cl = buf[p];
    kids.push(fUint('tls.handshake.certificate_request_context_length', 'Certificate Request Context Length', cl, p, 1));
    if (cl > 0) kids.push(fBytes('tls.handshake.certificate_request_context', 'Certificate Request Context', buf, p + 1, Math.min(e, p + 1 + cl)));
    let q = p + 1 + cl;
    if (q + 3 > e) return true;
    const total = u24(buf, q);
    kids.push(fUint('tls.handshake.certificates_length', 'Certificates Length', total, q, 3));
    const certs: Field[] = [];
    const ce = Math.min(e, q + 3 + total);
    for (q += 3; q + 3 <= ce; ) {
      const n = u24(buf, q);
      const end = Math.min(ce, q + 3 + n);
      certs.push(fUint('tls.handshake.certificate_length', 'Certificate Length', n, q, 3));
      certs.push(fBytes('tls.handshake.certificate', 'Certificate', buf, q + 3, end));
      q = extensionList(buf, end, ce, certs);
    }
    kids.push(fText(`Certificates (${total} bytes)`, p + 4 + cl, ce - p - 4 - cl, certs));
  } else if (h.type === 15 && p + 4 <= e) {
    const f = named16('tls.handshake.sig_hash_alg', 'Signature Algorithm', SIG_ALGS, buf, p);
    f.children = [fUint('tls.handshake.sig_hash_hash', 'Signature Hash Algorithm Hash', buf[p], p, 1), fUint('tls.handshake.sig_hash_sig', 'Signature Hash Algorithm Signature', buf[p + 1], p + 1, 1)];
    const sl = u16(buf, p + 2);
    kids.push(f, fUint('tls.handshake.client_cert_vrfy.sig_len', 'Signature length', sl, p + 2, 2));
    if (sl > 0) kids.push(fBytes('tls.handshake.client_cert_vrfy.sig', 'Signature', buf, p + 4, Math.min(e, p + 4 + sl)));
  } else if (h.type === 4 && p + 9 <= e) {
    const nl = buf[p + 8];
    const life = u32(buf, p);
    const lf = fUint('tls.handshake.session_ticket_lifetime_hint', 'Session Ticket Lifetime Hint', life, p, 4);
    lf.text = `Session Ticket Lifetime Hint: ${life} seconds${lifetimeWords(life)}`;
    const ts: Field[] = [
      lf,
      fUint('tls.handshake.session_ticket_age_add', 'Session Ticket Age Add', u32(buf, p + 4), p + 4, 4),
      fUint('tls.handshake.session_ticket_nonce_length', 'Session Ticket Nonce Length', nl, p + 8, 1),
    ];
    let q = p + 9;
    if (nl > 0) ts.push(fBytes('tls.handshake.session_ticket_nonce', 'Session Ticket Nonce', buf, q, Math.min(e, q + nl)));
    q += nl;
    if (q + 2 <= e) {
      const tl = u16(buf, q);
      ts.push(fUint('tls.handshake.session_ticket_length', 'Session Ticket Length', tl, q, 2));
      if (tl > 0) ts.push(fBytes('tls.handshake.session_ticket', 'Session Ticket', buf, q + 2, Math.min(e, q + 2 + tl)));
      extensionList(buf, q + 2 + tl, e, ts);
    }
    kids.push(fText('TLS Session Ticket', p, h.len, ts));
  } else return false;
  return true;
}

/** tshark's words after a ticket lifetime in seconds: " (2 hours)", " (1 day)", " (1 hour, 30 minutes)". */
function lifetimeWords(v: number): string {
  if (v === 0) return '';
  const parts: string[] = [];
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  let r = v;
  for (const [n, w] of units) {
    const k = Math.floor(r / n);
    r -= k * n;
    if (k > 0) parts.push(`${k} ${w}${k === 1 ? '' : 's'}`);
  }
  return ` (${parts.join(', ')})`;
}

/** Fields built over a decrypted plaintext, moved onto the record's bytes (`at`: where the plaintext starts), within [.., lim). */
function shifted(f: Field, at: number, lim: number): Field {
  if (f.len > 0 || f.start > 0) {
    f.start = Math.min(f.start + at, lim);
    f.len = Math.max(0, Math.min(f.len, lim - f.start));
  }
  if (f.children) for (const c of f.children) shifted(c, at, lim);
  return f;
}

/** `tls13`: the session is TLS 1.3 (a Certificate message's layout; the messages decryption shows). */
function handshakeFields(buf: Uint8Array, h: Hs, lim: number, sigAlg: boolean, tls13 = false): Field {
  const name = hsName(buf, h);
  const tf = fUint('tls.handshake.type', 'Handshake Type', h.type, h.start, 1);
  tf.text = `Handshake Type: ${HS_TYPES[h.type]} (${h.type})`;
  const kids: Field[] = [tf, fUint('tls.handshake.length', 'Length', h.len, h.start + 1, 3)];
  const p = h.start + 4;
  if (h.type === 20) kids.push(fText('Verify Data', p, h.len));
  else if (tls13 && h.type !== 11 && tls13Fields(buf, h, kids)) {
    // done (a TLS 1.3 Certificate message is read below, its certificates decoded)
  } else if (h.type === 1 || h.type === 2) helloFields(buf, h, h.type === 1, kids, lim);
  else if (h.type === 11 && h.len >= (tls13 ? 4 : 3)) {
    // TLS 1.3 (decrypted) puts a request context first, and extensions after each certificate
    let c = p;
    if (tls13) {
      kids.push(fUint('tls.handshake.certificate_request_context_length', 'Certificate Request Context Length', buf[p], p, 1));
      if (buf[p] > 0) kids.push(fBytes('tls.handshake.certificate_request_context', 'Certificate Request Context', buf, p + 1, Math.min(h.end, p + 1 + buf[p])));
      c = p + 1 + buf[p];
    }
    const total = c + 3 <= h.end ? u24(buf, c) : 0;
    if (c + 3 <= h.end) kids.push(fUint('tls.handshake.certificates_length', 'Certificates Length', total, c, 3));
    const certs: Field[] = [];
    for (const [q, ce, xe] of certificateRanges(buf, h, tls13)) {
      certs.push(fUint('tls.handshake.certificate_length', 'Certificate Length', u24(buf, q), q, 3));
      // each certificate as tshark's x509af dissects it (src/dissect/x509.ts), its subject after the bytes
      const f = fBytes('tls.handshake.certificate', 'Certificate', buf, q + 3, ce);
      const x = x509Certificate(buf, q + 3, ce, sctFields);
      f.text = cutLabel(`Certificate: ${ce - q - 3 > 36 ? fmtBytesHex(buf, q + 3, q + 39) + '…' : f.show}${x.subject !== '' ? ` (${x.subject})` : ''}`);
      f.children = x.fields;
      certs.push(f);
      if (xe > ce) extensionList(buf, ce, xe, certs);
    }
    if (c + 3 <= h.end) kids.push(fText(`Certificates (${total} bytes)`, c + 3, Math.min(h.end, c + 3 + total) - c - 3, certs));
  }
  else if (h.type === 12 && h.len >= 4 && buf[p] === 3) serverEcdhFields(buf, h, sigAlg, kids);
  else if (h.type === 16 && h.len >= 1) {
    if (buf[p] === h.len - 1) {
      const ps = [fUint('tls.handshake.client_point_len', 'Pubkey Length', buf[p], p, 1)];
      if (buf[p] > 0) ps.push(fBytes('tls.handshake.client_point', 'Pubkey', buf, p + 1, h.end));
      kids.push(fText('EC Diffie-Hellman Client Params', p, h.len, ps));
    } else if (h.len >= 2 && u16(buf, p) === h.len - 2) {
      const ps = [fUint('tls.handshake.epms_len', 'Encrypted PreMaster length', u16(buf, p), p, 2), fBytes('tls.handshake.epms', 'Encrypted PreMaster', buf, p + 2, h.end)];
      kids.push(fText('RSA Encrypted PreMaster Secret', p, h.len, ps));
    }
  } else if (h.type === 4 && h.len >= 6 && u16(buf, p + 4) === h.len - 6) {
    // TLS 1.2's ticket, in the clear (TLS 1.3 sends it encrypted)
    const tl = u16(buf, p + 4);
    const ts: Field[] = [
      fUint('tls.handshake.session_ticket_lifetime_hint', 'Session Ticket Lifetime Hint', u32(buf, p), p, 4),
      fUint('tls.handshake.session_ticket_length', 'Session Ticket Length', tl, p + 4, 2),
    ];
    ts[0].text = `Session Ticket Lifetime Hint: ${u32(buf, p)} seconds`;
    if (tl > 0) ts.push(fBytes('tls.handshake.session_ticket', 'Session Ticket', buf, p + 6, h.end));
    kids.push(fText('TLS Session Ticket', p, h.len, ts));
  }
  const f = fText(`Handshake Protocol: ${name}`, h.start, h.end - h.start, kids);
  return f;
}

function recordTitle(buf: Uint8Array, r: Rec, app: string): string {
  const v = COLUMN[r.shown] ?? 'SSL';
  if (r.unknown) return 'Continuation Data';
  const b = r.plain ?? buf;
  const at = r.plain !== undefined ? 0 : r.start + 5;
  switch (r.inner ?? r.type) {
    case 20:
      return `${v} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec`;
    case 21:
      return r.encrypted ? `${v} Record Layer: Encrypted Alert` : `${v} Record Layer: Alert (Level: ${ALERT_LEVEL[b[at]] ?? 'Unknown'}, Description: ${ALERT_DESC[b[at + 1]] ?? 'Unknown'})`;
    case 22:
      if (r.encrypted) return `${v} Record Layer: Handshake Protocol: Encrypted Handshake Message`;
      return `${v} Record Layer: Handshake Protocol: ${r.hs.length === 1 ? hsName(b, r.hs[0]) : 'Multiple Handshake Messages'}`;
    case 23:
      return `${v} Record Layer: Application Data Protocol: ${app}`;
    default:
      return `${v} Record Layer: Heartbeat`;
  }
}

/** "[Application Data Protocol: Hypertext Transfer Protocol]" (tshark names it once a key log is given). */
function appDataProto(app: string, at: number): Field {
  const f = gen(fStr('tls.app_data_proto', 'Application Data Protocol', app, at, 0));
  return f;
}

/** A decrypted record's fields after its header: the real content type (TLS 1.3), then what the plaintext holds. */
function decryptedFields(buf: Uint8Array, r: Rec, opaque: boolean, session: number, app: string, kids: Field[]): void {
  const plain = r.plain!;
  const type = r.inner!;
  const at = r.plainAt!;
  if (opaque) {
    const f = gen(fUint('tls.record.content_type', 'Content Type', type, r.start, 1));
    f.text = `Content Type: ${CONTENT[type] ?? 'Unknown'} (${type})`;
    kids.push(f);
  }
  const p = r.start + 5;
  if (type === 22) {
    for (const h of r.hs) kids.push(shifted(handshakeFields(plain, h, plain.length, true, session === 0x0304), at, r.end));
    if (r.hs.length === 0) kids.push(fText('Handshake Protocol: Encrypted Handshake Message', p, r.end - p));
  } else if (type === 21 && plain.length >= 2) {
    const lv = fUint('tls.alert_message.level', 'Level', plain[0], 0, 1);
    lv.text = `Level: ${named(ALERT_LEVEL, plain[0], 0)}`;
    const ds = fUint('tls.alert_message.desc', 'Description', plain[1], 1, 1);
    ds.text = `Description: ${named(ALERT_DESC, plain[1], 0)}`;
    const am = fBool('tls.alert_message', 'Alert Message', true, 0, 2);
    am.text = 'Alert Message';
    am.children = [lv, ds];
    kids.push(shifted(am, at, r.end));
  } else if (type === 23) {
    kids.push(fBytes('tls.app_data', 'Encrypted Application Data', buf, p, r.end));
    // (named for port 443's HTTP; on other ports tshark finds the protocol by heuristics and names none)
    if (app === HTTP_APP) kids.push(appDataProto(app, r.end));
    if (r.segData !== undefined) kids.push(fText(`TLS segment data (${r.segData} bytes)`, at, Math.min(r.segData, r.end - at)));
  } else if (type === 20) {
    const f = fBool('tls.change_cipher_spec', 'Change Cipher Spec Message', true, at, Math.min(plain.length, r.end - at));
    f.text = 'Change Cipher Spec Message';
    kids.push(f);
  }
}

function recordFields(buf: Uint8Array, r: Rec, session: number, app: string, lim: number, keys = false): Field {
  const kids: Field[] = [];
  if (r.quic === 'fragment') {
    const name = `${HS_TYPES[buf[r.start]] ?? 'Encrypted Handshake Message'} (fragment)`;
    return fText(`TLSv1.3 Record Layer: Handshake Protocol: ${name}`, r.start, r.end - r.start, [fText(`Handshake Protocol: ${name}`, r.start, r.end - r.start)]);
  }
  if (r.quic === 'whole') {
    for (const h of r.hs) kids.push(handshakeFields(buf, h, lim, true, true));
    return fText(recordTitle(buf, r, app), r.start, r.end - r.start, kids);
  }
  if (r.unknown) return fText(recordTitle(buf, r, app), r.start, r.end - r.start);
  // TLS 1.3 hides the real content type inside the encryption: the header's 23 is "Opaque Type"
  const opaque = session === 0x0304 && r.type === 23;
  const ct = fUint(opaque ? 'tls.record.opaque_type' : 'tls.record.content_type', opaque ? 'Opaque Type' : 'Content Type', r.type, r.start, 1);
  ct.text = `${opaque ? 'Opaque Type' : 'Content Type'}: ${CONTENT[r.type]} (${r.type})`;
  kids.push(ct, versionField('tls.record.version', buf, r.start + 1), fUint('tls.record.length', 'Length', r.len, r.start + 3, 2));
  const p = r.start + 5;
  if (r.plain !== undefined) {
    decryptedFields(buf, r, opaque, session, app, kids);
    return fText(recordTitle(buf, r, app), r.start, r.end - r.start, kids);
  }
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
    // a Server Key Exchange names its signature algorithm from TLS 1.2 on
    else for (const h of r.hs) kids.push(handshakeFields(buf, h, lim, (session || r.version) >= 0x0303, session === 0x0304));
  } else if (r.type === 23) {
    kids.push(fBytes('tls.app_data', 'Encrypted Application Data', buf, p, r.end));
    // tshark names the protocol on 443 with or without keys; without a key log the tree stays as it
    // was (the field is hidden: -e and filters see it)
    if (app === HTTP_APP) {
      const f = appDataProto(app, r.end);
      if (!keys) f.hidden = true;
      kids.push(f);
    }
  } else kids.push(fBytes('tls.heartbeat_message', 'Heartbeat Message', buf, p, r.end));
  return fText(recordTitle(buf, r, app), r.start, r.end - r.start, kids);
}

export const tls: Dissector<TlsD> = {
  proto: 'tls',
  name: 'Transport Layer Security',
  // the X.509 protocols are display filter names in tshark too, though no item is theirs: they match nothing
  filterProtos: ['x509af', 'x509if', 'x509sat', 'x509ce', 'pkcs-1', 'pkix1implicit', 'pkix1explicit', 'ns_cert_exts'],
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
    'tls.app_data', 'tls.heartbeat_message', 'tls.handshake.extensions_supported_groups_length',
    'tls.handshake.extensions_supported_group', 'tls.handshake.extensions_ec_point_formats_length', 'tls.handshake.extensions_ec_point_format',
    'tls.handshake.sig_hash_alg_len', 'tls.handshake.sig_hash_alg', 'tls.handshake.sig_hash_hash', 'tls.handshake.sig_hash_sig',
    'tls.handshake.extensions_key_share_client_length', 'tls.handshake.extensions_key_share_group',
    'tls.handshake.extensions_key_share_key_exchange_length', 'tls.handshake.extensions_key_share_key_exchange',
    'tls.handshake.extensions_key_share_selected_group', 'tls.extension.psk_ke_modes_length', 'tls.extension.psk_ke_mode',
    'tls.handshake.ja3_full', 'tls.handshake.ja3', 'tls.handshake.ja3s_full', 'tls.handshake.ja3s', 'tls.handshake.extensions_padding_data',
    'tls.handshake.extensions_reneg_info_len', 'tls.handshake.extensions_reneg_info', 'tls.handshake.server_curve_type',
    'tls.handshake.server_named_curve', 'tls.handshake.server_point_len', 'tls.handshake.server_point', 'tls.handshake.sig_len',
    'tls.handshake.sig', 'tls.handshake.client_point_len', 'tls.handshake.client_point', 'tls.handshake.epms_len', 'tls.handshake.epms',
    'tls.handshake.session_ticket_lifetime_hint', 'tls.handshake.session_ticket_length', 'tls.handshake.session_ticket',
    ...X509_FIELD_KEYS, 'tls.sct.scts_length', 'tls.sct.sct_length', 'tls.sct.sct_version', 'tls.sct.sct_logid', 'tls.sct.sct_timestamp',
    'tls.sct.sct_extensions_length', 'tls.sct.sct_extensions', 'tls.sct.sct_signature_length', 'tls.sct.sct_signature',
    // decryption (a key log): the TLS 1.3 messages it shows, the protocol of application data
    'tls.app_data_proto', 'tls.handshake.certificate_request_context_length', 'tls.handshake.certificate_request_context',
    'tls.handshake.client_cert_vrfy.sig_len', 'tls.handshake.client_cert_vrfy.sig', 'tls.handshake.session_ticket_age_add',
    'tls.handshake.session_ticket_nonce_length', 'tls.handshake.session_ticket_nonce', 'tls.segment', 'tls.segment.count', 'tls.reassembled.length',
  ],
  protocolsPart: tlsProtocols,
  dissect(buf, start, end) {
    // without the connection (a record seen alone): no session, direction 0
    return tlsLayer(buf, start, end, newTlsSession(), 0);
  },
  fields(l) {
    return l.d.recs.map((r) => recordFields(l.buf, r, l.d.session, l.d.app, l.end, l.d.keys === true));
  },
  column: (l) => shownVersion(l.d.session, l.d.recs[0]?.version ?? 0),
  info(l, layers) {
    // every record the packet completes, a reassembled one first (tshark appends each to the column)
    const parts: string[] = [];
    let fence = '';
    for (const x of layers) {
      if (x.dis === tls) {
        for (const r of (x as Layer<TlsD>).d.recs) {
          // decrypted data that waits for the rest of a message above: tshark's TLS sets the column anew
          if (r.segWait === true && r.inner === 23) parts.splice(0, parts.length, '[TLS segment of a reassembled PDU]');
          else parts.push(...recordInfo(x.buf, r));
        }
      }
      else if (x.dis.infoFence !== undefined) fence = x.dis.infoFence(x);
      if (x === l) break;
    }
    // after TCP's fenced words ("[TCP Window Full] ") the column is not empty: tshark's separator
    // goes in front of the first record too
    return (fence !== '' ? ', ' : '') + parts.join(', ');
  },
};

/**
 * TLS handshake messages from QUIC CRYPTO frames (the QUIC dissector hands over whole messages in
 * order, or the start of one it has not all of): fields as tshark's, no column or Info of its own.
 */
export const tlsQuic: Dissector<TlsD> = {
  proto: 'tls',
  name: 'Transport Layer Security',
  fieldKeys: tls.fieldKeys,
  registers: [{ table: 'quic.crypto', key: 0 }],
  dissect(buf, start, end, ctx) {
    const hs = handshakes(buf, start, end);
    const rec: Rec = { start, end, type: 22, version: 0x0304, len: end - start, encrypted: false, hs, unknown: false, shown: 0x0304, quic: hs.length > 0 ? 'whole' : 'fragment' };
    const l = new Layer<TlsD>(tlsQuic, buf, start, end, { recs: [rec], session: 0x0304, app: '' });
    // a later QUIC packet of the same datagram handed TLS more: the next layer
    l.next = takeChunk(ctx);
    return l;
  },
  fields: (l) => l.d.recs.map((r) => recordFields(l.buf, r, l.d.session, l.d.app, l.end)),
  title: () => 'Transport Layer Security',
  column: () => '',
  info: () => null,
};
