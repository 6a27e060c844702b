// A small, bounded BER (X.690) reader for the protocols that carry ASN.1 (LDAP): one TLV at a time,
// definite lengths only (short and long form up to 4 length bytes), tag numbers up to 4 bytes of the
// high form. It never throws and never allocates more than the returned object: a header that runs
// past `end` is `short` (the caller decides: a snaplen cut or a length that lies), an indefinite
// length, a reserved length byte or a length or tag too long to hold is `bad`. Walkers that descend
// into constructed values bound their depth themselves (BER_MAX_DEPTH).

export const BER_UNIVERSAL = 0;
export const BER_APPLICATION = 1;
export const BER_CONTEXT = 2;
export const BER_PRIVATE = 3;

/** How deep a walker may descend into constructed values. */
export const BER_MAX_DEPTH = 64;

export interface Tlv {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  cons: boolean;
  tag: number;
  /** Where the identifier starts, where the contents start and end (vend may lie past the bytes: `short`). */
  start: number;
  vstart: number;
  vend: number;
  /** The contents run past `end`. */
  short: boolean;
}

export interface BerError {
  /** 'need': the header itself is cut by `end`; 'bad': not a definite-length TLV. */
  err: 'need' | 'bad';
  at: number;
  why: string;
}

export function isBerError(x: Tlv | BerError): x is BerError {
  return (x as BerError).err !== undefined;
}

/** The TLV at `p` (bytes [p, end)). */
export function readTlv(buf: Uint8Array, p: number, end: number): Tlv | BerError {
  if (p >= end) return { err: 'need', at: p, why: 'no identifier octet' };
  const id = buf[p];
  let q = p + 1;
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let k = 0; ; k++) {
      if (q >= end) return { err: 'need', at: q, why: 'tag number cut' };
      if (k >= 4) return { err: 'bad', at: q, why: 'tag number longer than 4 octets' };
      const b = buf[q++];
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (q >= end) return { err: 'need', at: q, why: 'no length octet' };
  const l0 = buf[q++];
  let len: number;
  if (l0 < 0x80) len = l0;
  else if (l0 === 0x80) return { err: 'bad', at: q - 1, why: 'indefinite length' };
  else if (l0 === 0xff) return { err: 'bad', at: q - 1, why: 'reserved length octet 0xff' };
  else {
    const n = l0 & 0x7f;
    if (n > 4) return { err: 'bad', at: q - 1, why: `length of ${n} octets` };
    if (q + n > end) return { err: 'need', at: q, why: 'long-form length cut' };
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[q++];
  }
  const vend = q + len;
  return { cls: id >> 6, cons: (id & 0x20) !== 0, tag, start: p, vstart: q, vend, short: vend > end };
}

/**
 * The length of the whole TLV at buf[0] (header + contents) for a stream framer: 0 while the header
 * is not all there, -1 when the bytes are no definite-length TLV (indefinite or reserved length).
 */
export function berMessageLength(buf: Uint8Array, end = buf.length): number {
  const t = readTlv(buf, 0, end);
  if (isBerError(t)) return t.err === 'need' ? 0 : -1;
  return t.vend;
}

/** A BER INTEGER's contents as a number (two's complement; more than 6 octets: null). */
export function berInt(buf: Uint8Array, s: number, e: number): number | null {
  const n = e - s;
  if (n < 1 || n > 6) return null;
  let v = buf[s] & 0x80 ? -1 : 0;
  for (let i = s; i < e; i++) v = v * 256 + buf[i];
  // v*256 on a negative start keeps the sign: -1*256 + b … is two's complement
  return v;
}
