// TLS decryption with a key log (the NSS key log format that SSLKEYLOGFILE makes, which tshark reads
// with `-o tls.keylog_file:PATH`): per connection, the client and server randoms and the cipher suite
// from the hellos, the secrets from the key log (by client random), then each protected record of a
// direction opened in order with that direction's keys and sequence number.
//   - TLS 1.2 (and 1.0/1.1 framing is not supported): CLIENT_RANDOM gives the master secret; the key
//     block comes from the PRF (P_SHA256, or P_SHA384 for the SHA384 suites). AES-GCM, ChaCha20-Poly1305,
//     AES-CBC with HMAC-SHA1/SHA256/SHA384, MAC-then-encrypt or encrypt-then-MAC (RFC 7366) as the
//     Server Hello negotiated it.
//   - TLS 1.3: CLIENT/SERVER_HANDSHAKE_TRAFFIC_SECRET open the encrypted handshake, *_TRAFFIC_SECRET_0
//     the application data; a KeyUpdate moves its direction to the next secret ("traffic upd").
// A record that does not authenticate (a wrong key, a record from the middle of a capture) stays
// encrypted: open() returns null, and nothing throws on hostile bytes.

import { createDecipheriv, createHmac, type CipherGCMTypes } from 'node:crypto';
import type { TlsDecrypt, TlsPlain } from '../../../dissectors/tls.js';

/** Secrets of one connection, by key log label. */
export interface KeyLogEntry {
  master?: Uint8Array;
  chts?: Uint8Array;
  shts?: Uint8Array;
  cts0?: Uint8Array;
  sts0?: Uint8Array;
}

/** A key log: secrets by client random (lower-case hex). */
export type KeyLog = Map<string, KeyLogEntry>;

const LABELS: Record<string, keyof KeyLogEntry> = {
  CLIENT_RANDOM: 'master',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'chts',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'shts',
  CLIENT_TRAFFIC_SECRET_0: 'cts0',
  SERVER_TRAFFIC_SECRET_0: 'sts0',
};

/**
 * The key log's lines: "LABEL <client random hex> <secret hex>". Comments, blank lines, other labels
 * (EXPORTER_SECRET, RSA …) and malformed lines are skipped, as tshark does.
 */
export function parseKeyLog(text: string): KeyLog {
  const out: KeyLog = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z_0-9]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]+)$/.exec(line);
    if (m === null || m[3].length % 2 !== 0) continue;
    const k = LABELS[m[1]];
    if (k === undefined) continue;
    const secret = Buffer.from(m[3], 'hex');
    if (k === 'master' ? secret.length !== 48 : secret.length < 32 || secret.length > 64) continue;
    const key = m[2].toLowerCase();
    let e = out.get(key);
    if (e === undefined) out.set(key, (e = {}));
    e[k] = secret;
  }
  return out;
}

type Aead = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
type Cbc = 'aes-128-cbc' | 'aes-256-cbc';
interface Suite {
  cipher: Aead | Cbc;
  keyLen: number;
  /** HMAC hash and its length for CBC suites (null: AEAD). */
  mac: 'sha1' | 'sha256' | 'sha384' | null;
  macLen: number;
  /** PRF / HKDF hash. */
  hash: 'sha256' | 'sha384';
}

const aead = (cipher: Aead, hash: 'sha256' | 'sha384'): Suite => ({ cipher, keyLen: cipher === 'aes-128-gcm' ? 16 : 32, mac: null, macLen: 0, hash });
const cbc = (cipher: Cbc, mac: 'sha1' | 'sha256' | 'sha384'): Suite => ({
  cipher, keyLen: cipher === 'aes-128-cbc' ? 16 : 32, mac, macLen: mac === 'sha1' ? 20 : mac === 'sha256' ? 32 : 48, hash: mac === 'sha384' ? 'sha384' : 'sha256',
});

/** TLS 1.2 suites by id. */
const SUITES12: Record<number, Suite> = {
  0x009c: aead('aes-128-gcm', 'sha256'), 0x009e: aead('aes-128-gcm', 'sha256'), 0xc02b: aead('aes-128-gcm', 'sha256'), 0xc02f: aead('aes-128-gcm', 'sha256'),
  0x009d: aead('aes-256-gcm', 'sha384'), 0x009f: aead('aes-256-gcm', 'sha384'), 0xc02c: aead('aes-256-gcm', 'sha384'), 0xc030: aead('aes-256-gcm', 'sha384'),
  0xcca8: aead('chacha20-poly1305', 'sha256'), 0xcca9: aead('chacha20-poly1305', 'sha256'), 0xccaa: aead('chacha20-poly1305', 'sha256'),
  0x002f: cbc('aes-128-cbc', 'sha1'), 0x0033: cbc('aes-128-cbc', 'sha1'), 0xc009: cbc('aes-128-cbc', 'sha1'), 0xc013: cbc('aes-128-cbc', 'sha1'),
  0x0035: cbc('aes-256-cbc', 'sha1'), 0x0039: cbc('aes-256-cbc', 'sha1'), 0xc00a: cbc('aes-256-cbc', 'sha1'), 0xc014: cbc('aes-256-cbc', 'sha1'),
  0x003c: cbc('aes-128-cbc', 'sha256'), 0x0067: cbc('aes-128-cbc', 'sha256'), 0xc023: cbc('aes-128-cbc', 'sha256'), 0xc027: cbc('aes-128-cbc', 'sha256'),
  0x003d: cbc('aes-256-cbc', 'sha256'), 0x006b: cbc('aes-256-cbc', 'sha256'),
  0xc024: cbc('aes-256-cbc', 'sha384'), 0xc028: cbc('aes-256-cbc', 'sha384'),
};
/** TLS 1.3 suites. */
const SUITES13: Record<number, Suite> = {
  0x1301: aead('aes-128-gcm', 'sha256'), 0x1302: aead('aes-256-gcm', 'sha384'), 0x1303: aead('chacha20-poly1305', 'sha256'),
};

const hashLen = (h: 'sha256' | 'sha384') => (h === 'sha256' ? 32 : 48);

/** P_hash of the TLS 1.2 PRF (RFC 5246 5): `len` bytes of PRF(secret, label, seed). */
export function prf(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, seed: Uint8Array, len: number): Buffer {
  const s = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  const out: Buffer[] = [];
  let a: Buffer = s;
  let n = 0;
  while (n < len) {
    a = createHmac(hash, secret).update(a).digest();
    const b = createHmac(hash, secret).update(a).update(s).digest();
    out.push(b);
    n += b.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

/** HKDF-Expand-Label (RFC 8446 7.1) with an empty context. */
export function expandLabel(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, len: number): Buffer {
  const full = Buffer.from('tls13 ' + label, 'latin1');
  const info = Buffer.concat([Buffer.from([len >> 8, len & 255, full.length]), full, Buffer.from([0])]);
  const out: Buffer[] = [];
  let t: Buffer = Buffer.alloc(0);
  let n = 0;
  for (let i = 1; n < len; i++) {
    t = createHmac(hash, secret).update(t).update(info).update(Buffer.from([i])).digest();
    out.push(t);
    n += t.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

/** One direction's record protection: keys and the next sequence number. */
interface Keys {
  key: Buffer;
  iv: Buffer;
  macKey: Buffer | null;
  seq: bigint;
  /** TLS 1.3: the traffic secret (for KeyUpdate). */
  secret: Buffer | null;
}

function seqBytes(seq: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, seq));
  return b;
}

/** AEAD open; null when the tag does not verify (or the bytes are too short). */
function aeadOpen(cipher: Aead, key: Buffer, nonce: Buffer, aad: Buffer, data: Uint8Array): Buffer | null {
  if (data.length < 16) return null;
  try {
    const d = createDecipheriv(cipher as CipherGCMTypes, key, nonce, { authTagLength: 16 });
    d.setAAD(aad, { plaintextLength: data.length - 16 });
    d.setAuthTag(data.subarray(data.length - 16));
    const out = d.update(data.subarray(0, data.length - 16));
    d.final();
    return out;
  } catch {
    return null;
  }
}

/** Constant-size comparison is not needed here (no oracle): plain equality. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A connection's decryption state (TlsSession.decrypt): told the hellos and each direction's Change
 * Cipher Spec by the TLS dissector, and asked to open each protected record in order.
 */
export class TlsDecryptor implements TlsDecrypt {
  private clientRandom: Uint8Array | null = null;
  private serverRandom: Uint8Array | null = null;
  private clientDir = -1;
  private version = 0;
  private etm = false;
  /** Per direction: the keys in use (null: none yet), and TLS 1.3's next keys (application after handshake). */
  private keys: [Keys | null, Keys | null] = [null, null];
  private next: [Keys | null, Keys | null] = [null, null];
  private entry: KeyLogEntry | null = null;
  private suite: Suite | null = null;

  constructor(private readonly log: KeyLog) {}

  clientHello(dir: number, random: Uint8Array): void {
    this.clientDir = dir;
    this.clientRandom = Uint8Array.from(random);
    this.entry = this.log.get(Buffer.from(random).toString('hex')) ?? null;
  }

  serverHello(dir: number, random: Uint8Array, suite: number, version: number, etm: boolean): void {
    if (this.clientDir < 0) this.clientDir = 1 - dir;
    this.serverRandom = Uint8Array.from(random);
    this.version = version;
    this.etm = etm;
    this.keys = [null, null];
    this.next = [null, null];
    if (this.entry === null) return;
    if (version === 0x0304) {
      const s = SUITES13[suite];
      if (s === undefined) return;
      this.suite = s;
      const e = this.entry;
      const c = this.clientDir, sv = 1 - this.clientDir;
      // handshake keys now, application keys once the direction's Finished went by
      this.keys[c] = e.chts ? this.keys13(e.chts) : null;
      this.keys[sv] = e.shts ? this.keys13(e.shts) : null;
      this.next[c] = e.cts0 ? this.keys13(e.cts0) : null;
      this.next[sv] = e.sts0 ? this.keys13(e.sts0) : null;
    } else if (version === 0x0303) {
      this.suite = SUITES12[suite] ?? null;
    }
  }

  private keys13(secret: Uint8Array): Keys {
    const s = this.suite!;
    return { key: expandLabel(s.hash, secret, 'key', s.keyLen), iv: expandLabel(s.hash, secret, 'iv', 12), macKey: null, seq: 0n, secret: Buffer.from(secret) };
  }

  /** TLS 1.2: the direction's Change Cipher Spec: its keys from the key block, sequence 0. */
  changeCipherSpec(dir: number): void {
    if (this.version !== 0x0303 || this.suite === null || this.entry?.master === undefined || this.clientRandom === null || this.serverRandom === null) return;
    const s = this.suite;
    const ivLen = s.mac !== null ? 16 : s.cipher === 'chacha20-poly1305' ? 12 : 4;
    const block = prf(s.hash, this.entry.master, 'key expansion', Buffer.concat([this.serverRandom, this.clientRandom]), 2 * (s.macLen + s.keyLen + ivLen));
    const client = dir === this.clientDir;
    let p = 0;
    const take = (n: number) => block.subarray(p, (p += n));
    const cMac = take(s.macLen), sMac = take(s.macLen), cKey = take(s.keyLen), sKey = take(s.keyLen), cIv = take(ivLen), sIv = take(ivLen);
    this.keys[dir] = { key: client ? cKey : sKey, iv: client ? cIv : sIv, macKey: s.mac !== null ? (client ? cMac : sMac) : null, seq: 0n, secret: null };
  }

  open(dir: number, type: number, version: number, frag: Uint8Array): TlsPlain | null {
    const s = this.suite;
    if (s === null || this.entry === null) return null;
    if (this.version === 0x0304) return this.open13(dir, type, version, frag);
    const k = this.keys[dir];
    if (k === null) return null;
    // the sequence number moves on with each record that opens: one that does not (injected, out of order,
    // damaged) leaves it where it was, so the records after it still open
    const seq = k.seq;
    const plain = s.mac === null ? this.openAead12(s, k, seq, type, version, frag) : this.openCbc(s, k, seq, type, version, frag);
    if (plain !== null) k.seq++;
    // (a copy with a buffer of its own: a view of Node's shared pool must not outlive it)
    return plain === null ? null : { type, plain: new Uint8Array(plain), at: s.mac !== null ? 16 : s.cipher === 'chacha20-poly1305' ? 0 : 8 };
  }

  private openAead12(s: Suite, k: Keys, seq: bigint, type: number, version: number, frag: Uint8Array): Buffer | null {
    const cipher = s.cipher as Aead;
    let nonce: Buffer;
    let body: Uint8Array;
    if (cipher === 'chacha20-poly1305') {
      nonce = Buffer.from(k.iv);
      const sb = seqBytes(seq);
      for (let i = 0; i < 8; i++) nonce[4 + i] ^= sb[i];
      body = frag;
    } else {
      if (frag.length < 8 + 16) return null;
      nonce = Buffer.concat([k.iv, frag.subarray(0, 8)]);
      body = frag.subarray(8);
    }
    const len = body.length - 16;
    if (len < 0) return null;
    const aad = Buffer.concat([seqBytes(seq), Buffer.from([type, version >> 8, version & 255, len >> 8, len & 255])]);
    return aeadOpen(cipher, k.key, nonce, aad, body);
  }

  private openCbc(s: Suite, k: Keys, seq: bigint, type: number, version: number, frag: Uint8Array): Buffer | null {
    const ml = s.macLen;
    const hdr = (n: number) => Buffer.concat([seqBytes(seq), Buffer.from([type, version >> 8, version & 255, n >> 8, n & 255])]);
    try {
      if (this.etm) {
        // IV ‖ ciphertext ‖ MAC over the header and IV ‖ ciphertext
        const ctLen = frag.length - ml;
        if (ctLen < 32 || (ctLen - 16) % 16 !== 0) return null;
        const mac = createHmac(s.mac!, k.macKey!).update(hdr(ctLen)).update(frag.subarray(0, ctLen)).digest();
        if (!same(mac, frag.subarray(ctLen))) return null;
        const pt = this.cbcDecrypt(s, k, frag.subarray(0, ctLen));
        if (pt === null) return null;
        const pad = pt[pt.length - 1];
        if (pad + 1 > pt.length) return null;
        return pt.subarray(0, pt.length - pad - 1);
      }
      if (frag.length < 32 || frag.length % 16 !== 0) return null;
      const pt = this.cbcDecrypt(s, k, frag);
      if (pt === null) return null;
      const pad = pt[pt.length - 1];
      const n = pt.length - pad - 1 - ml;
      if (n < 0) return null;
      const mac = createHmac(s.mac!, k.macKey!).update(hdr(n)).update(pt.subarray(0, n)).digest();
      if (!same(mac, pt.subarray(n, n + ml))) return null;
      return pt.subarray(0, n);
    } catch {
      return null;
    }
  }

  /** AES-CBC without padding removal: the first block is the explicit IV (TLS 1.1+). */
  private cbcDecrypt(s: Suite, k: Keys, data: Uint8Array): Buffer | null {
    const d = createDecipheriv(s.cipher, k.key, data.subarray(0, 16));
    d.setAutoPadding(false);
    const out = Buffer.concat([d.update(data.subarray(16)), d.final()]);
    return out.length > 0 ? out : null;
  }

  private open13(dir: number, type: number, version: number, frag: Uint8Array): TlsPlain | null {
    if (type !== 23) return null;
    const aad = Buffer.from([type, version >> 8, version & 255, frag.length >> 8, frag.length & 255]);
    // the keys in use; if they fail, the next ones (a Finished not seen), which then stay
    for (const which of [0, 1]) {
      const k = which === 0 ? this.keys[dir] : this.next[dir];
      if (k === null) continue;
      const nonce = Buffer.from(k.iv);
      const sb = seqBytes(k.seq);
      for (let i = 0; i < 8; i++) nonce[4 + i] ^= sb[i];
      const pt = aeadOpen(this.suite!.cipher as Aead, k.key, nonce, aad, frag);
      if (pt === null) continue;
      if (which === 1) {
        this.keys[dir] = k;
        this.next[dir] = null;
      }
      k.seq++;
      // the real content type: the last non-zero byte
      let e = pt.length;
      while (e > 0 && pt[e - 1] === 0) e--;
      if (e === 0) return null;
      const inner = pt[e - 1];
      const plain = new Uint8Array(pt.subarray(0, e - 1));
      if (inner === 22) this.afterHandshake13(dir, plain);
      return { type: inner, plain, at: 0 };
    }
    // no key opens it (wrong keys, a record out of order or damaged): the sequence numbers stay
    return null;
  }

  /** A direction's Finished: application keys next; a KeyUpdate: the next generation. */
  private afterHandshake13(dir: number, plain: Uint8Array): void {
    for (let p = 0; p + 4 <= plain.length; ) {
      const t = plain[p];
      const n = (plain[p + 1] << 16) | (plain[p + 2] << 8) | plain[p + 3];
      if (t === 20 && this.next[dir] !== null) {
        this.keys[dir] = this.next[dir];
        this.next[dir] = null;
      } else if (t === 24) {
        const k = this.keys[dir];
        if (k?.secret) {
          const s = this.suite!;
          this.keys[dir] = this.keys13(expandLabel(s.hash, k.secret, 'traffic upd', hashLen(s.hash)));
        }
      }
      p += 4 + n;
    }
  }
}

/** A decryptor factory for TlsSession.decrypt, or null for none (no key log: no cost). */
export function decryptorFactory(log: KeyLog | null): (() => TlsDecryptor) | null {
  if (log === null) return null;
  return () => new TlsDecryptor(log);
}
