// X.509 certificates (RFC 5280) as tshark 4.0 shows them in a TLS Certificate message: its x509af,
// x509if, x509sat, x509ce, pkcs-1, pkix1implicit and pkix1explicit dissectors, which the TLS dissector
// calls on each certificate's bytes. x509Certificate() gives the fields that go under the certificate's
// item (signedCertificate, algorithmIdentifier, Padding, encrypted), the subject's text tshark appends to
// that item, and the protocols tshark adds to frame.protocols on the way.
//
// frame.protocols: tshark adds a protocol each time BER hands a value to the dissector registered for its
// OID (and the dissector adds an item): an attribute value of a name (x509sat), an algorithm's parameters
// that are not NULL (the EC curve: pkcs-1), an extension (x509ce; authorityInfoAccess: pkix1implicit), a
// policy qualifier (pkix1explicit), in the order the tree is built. The certificate itself is a direct
// call (no x509af in the list).
//
// Hostile bytes: the BER reader is bounded (src/dissect/ber.ts); a value that does not fit its parent or
// is not the expected type ends that part with a "BER Error" line, never an exception. Counts are capped
// (X509_MAX_ITEMS per SEQUENCE OF, X509_MAX_FIELDS per certificate) and the only recursion (a
// GeneralName holding a Name) goes X509_MAX_DEPTH deep.

import { isBerError, readTlv, type Tlv } from './ber.js';
import { absTimeText, fBool, fBytes, fmtBytesHex, fmtIPv4, fmtIPv6, fStr, fText, fUint, gen } from './fields.js';
import type { Field } from './types.js';

export const X509_MAX_ITEMS = 512;
export const X509_MAX_FIELDS = 20000;
export const X509_MAX_DEPTH = 8;

/** tshark's names of the OIDs certificates use (epan's oid registrations, as 4.0 prints them). */
const OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsaEncryption', '1.2.840.113549.1.1.2': 'md2WithRSAEncryption', '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption', '1.2.840.113549.1.1.7': 'id-RSAES-OAEP', '1.2.840.113549.1.1.10': 'id-RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption', '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption', '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey', '1.2.840.10045.4.1': 'ecdsa-with-SHA1', '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256', '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.3.1.7': 'secp256r1', '1.3.132.0.34': 'secp384r1', '1.3.132.0.35': 'secp521r1',
  '1.2.840.10040.4.1': 'id-dsa', '1.2.840.10040.4.3': 'id-dsa-with-sha1',
  '2.5.4.3': 'id-at-commonName', '2.5.4.4': 'id-at-surname', '2.5.4.5': 'id-at-serialNumber', '2.5.4.6': 'id-at-countryName',
  '2.5.4.7': 'id-at-localityName', '2.5.4.8': 'id-at-stateOrProvinceName', '2.5.4.9': 'id-at-streetAddress',
  '2.5.4.10': 'id-at-organizationName', '2.5.4.11': 'id-at-organizationalUnitName', '2.5.4.12': 'id-at-title',
  '2.5.4.13': 'id-at-description', '2.5.4.15': 'id-at-businessCategory', '2.5.4.17': 'id-at-postalCode', '2.5.4.42': 'id-at-givenName',
  '2.5.4.43': 'id-at-initials', '2.5.4.44': 'id-at-generationQualifier', '2.5.4.46': 'id-at-dnQualifier', '2.5.4.65': 'id-at-pseudonym',
  '1.2.840.113549.1.9.1': 'pkcs-9-at-emailAddress',
  '2.5.29.14': 'id-ce-subjectKeyIdentifier', '2.5.29.15': 'id-ce-keyUsage', '2.5.29.17': 'id-ce-subjectAltName',
  '2.5.29.18': 'id-ce-issuerAltName', '2.5.29.19': 'id-ce-basicConstraints', '2.5.29.31': 'id-ce-cRLDistributionPoints',
  '2.5.29.32': 'id-ce-certificatePolicies', '2.5.29.35': 'id-ce-authorityKeyIdentifier', '2.5.29.37': 'id-ce-extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'id-pe-authorityInfoAccess',
  '1.3.6.1.5.5.7.3.1': 'id-kp-serverAuth', '1.3.6.1.5.5.7.3.2': 'id-kp-clientAuth', '1.3.6.1.5.5.7.3.3': 'id-kp-codeSigning',
  '1.3.6.1.5.5.7.3.4': 'id-kp-emailProtection', '1.3.6.1.5.5.7.3.8': 'id-kp-timeStamping', '1.3.6.1.5.5.7.3.9': 'id-kp-OCSPSigning',
  '1.3.6.1.5.5.7.48.1': 'id-ad-ocsp', '1.3.6.1.5.5.7.48.2': 'id-ad-caIssuers',
  '1.3.6.1.5.5.7.2.1': 'id-qt-cps', '1.3.6.1.5.5.7.2.2': 'id-qt-unotice', '2.5.29.32.0': 'anyPolicy',
  '2.5.29.30': 'id-ce-nameConstraints', '2.5.29.36': 'id-ce-policyConstraints', '2.5.29.54': 'id-ce-inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.24': 'id-pe-tlsfeature', '2.16.840.1.113730.1.13': 'ns_cert_exts.comment',
  '1.3.6.1.4.1.11129.2.4.2': 'SignedCertificateTimestampList', '1.3.6.1.4.1.311.20.2.3': 'id-ms-user-principal-name',
  '0.9.2342.19200300.100.1.25': 'dc', '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionOfIncorporationCountryName',
};
const ARC0 = ['itu-t', 'iso', 'joint-iso-itu-t'];

/** An OID's name as tshark resolves it: its registered name, else the first arc's name and the rest. */
export function oidName(oid: string): string {
  const n = OIDS[oid];
  if (n !== undefined) return n;
  const dot = oid.indexOf('.');
  const a = ARC0[Number(dot < 0 ? oid : oid.slice(0, dot))];
  return a === undefined ? oid : dot < 0 ? a : a + oid.slice(dot);
}

/** An OBJECT IDENTIFIER's contents in dotted form ('' when they are no OID). */
export function oidText(buf: Uint8Array, s: number, e: number): string {
  if (e <= s || e - s > 128) return '';
  const arcs: number[] = [];
  let v = 0;
  let n = 0;
  for (let i = s; i < e; i++) {
    const b = buf[i];
    if (n === 0 && b === 0x80) return ''; // a leading 0x80 pads an arc
    v = v * 128 + (b & 0x7f);
    n++;
    if (n > 7) return '';
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        if (v < 40) arcs.push(0, v);
        else if (v < 80) arcs.push(1, v - 40);
        else arcs.push(2, v - 80);
      } else arcs.push(v);
      v = 0;
      n = 0;
    }
  }
  return n === 0 ? arcs.join('.') : '';
}

const HEX_SHOWN = 36;

/** tshark's tree text for bytes: the first 36 in hex, then "…". */
function hexShort(buf: Uint8Array, s: number, e: number): string {
  return e - s > HEX_SHOWN ? fmtBytesHex(buf, s, s + HEX_SHOWN) + '…' : fmtBytesHex(buf, s, e);
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** tshark keeps 239 bytes of an item's text (ITEM_LABEL_LENGTH). */
export function cutLabel(t: string): string {
  if (t.length < 80) return t;
  const b = utf8.encode(t);
  if (b.length <= 239) return t;
  let k = 239;
  while (k > 0 && (b[k] & 0xc0) === 0x80) k--;
  return utf8d.decode(b.subarray(0, k));
}

function plural(n: number): string {
  return n === 1 ? '1 item' : `${n} items`;
}

/** What a walk collects besides the fields. */
interface Ctx {
  buf: Uint8Array;
  /** TLS's reader of a SignedCertificateTimestampList (tshark's is in its TLS dissector). */
  sct: SctReader | null;
  protos: string[];
  fields: number;
  depth: number;
}

function bump(c: Ctx, n = 1): boolean {
  c.fields += n;
  return c.fields <= X509_MAX_FIELDS;
}

function berError(at: number, len: number, why: string): Field {
  return fText(`BER Error: ${why}`, at, len);
}

/** The TLV at p inside [p, end) that must be whole, else null with an error field pushed to out. */
function tlvIn(c: Ctx, p: number, end: number, out: Field[]): Tlv | null {
  const t = readTlv(c.buf, p, end);
  if (isBerError(t)) {
    out.push(berError(p, end - p, t.why));
    return null;
  }
  if (t.short) {
    out.push(berError(p, end - p, 'length past the end of its container'));
    return null;
  }
  return t;
}

function isUniv(t: Tlv, tag: number, cons = false): boolean {
  return t.cls === 0 && t.tag === tag && t.cons === cons;
}

/** A sequence item's label: tshark appends " [0 length]" to an empty one. */
function elem(key: string, label: string, t: Tlv, kids: Field[]): Field {
  const f = fBool(key, label, true, t.start, t.vend - t.start);
  f.text = t.vend === t.vstart ? `${label} [0 length]` : label;
  f.children = kids;
  return f;
}

function oidField(c: Ctx, key: string, label: string, t: Tlv): [Field, string] {
  const oid = oidText(c.buf, t.vstart, t.vend);
  const f = fStr(key, label, oid, t.start, t.vend - t.start);
  f.text = `${label}: ${oid} (${oidName(oid)})`;
  return [f, oid];
}

function strText(c: Ctx, t: Tlv): string {
  const b = c.buf.subarray(t.vstart, t.vend);
  if (t.tag === 12) return utf8d.decode(b);
  if (t.tag === 30) {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
    return s;
  }
  if (t.tag === 28) {
    let s = '';
    for (let i = 0; i + 3 < b.length; i += 4) {
      const cp = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
      s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    }
    return s;
  }
  return latin1.decode(b);
}

function strField(c: Ctx, key: string, label: string, t: Tlv): Field {
  const v = strText(c, t);
  const f = fStr(key, label, v, t.start, t.vend - t.start);
  f.text = cutLabel(`${label}: ${v}`);
  return f;
}

/** BER's line for a value whose OID has no dissector. */
function notImplemented(t: Tlv | { start: number; vend: number }): Field {
  const m = 'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported';
  const ex = gen(fText(`Expert Info (Warning/Undecoded): ${m}`, t.start, t.vend - t.start, [gen(fText(m, t.start, 0)), gen(fText('Severity level: Warning', t.start, 0)), gen(fText('Group: Undecoded', t.start, 0))]));
  return fText(m, t.start, t.vend - t.start, [ex]);
}

const DIRECTORY: Record<number, [number, string]> = { 20: [0, 'teletexString'], 19: [1, 'printableString'], 28: [2, 'universalString'], 30: [3, 'bmpString'], 12: [4, 'uTF8String'] };

/** Attribute types whose value x509sat reads, and how: a DirectoryString, else a string type's key. */
const ATTR_SYNTAX: Record<string, string> = {
  '2.5.4.6': 'CountryName', '1.2.840.113549.1.9.1': 'IA5String', '2.5.4.5': 'PrintableString', '2.5.4.46': 'PrintableString',
  '0.9.2342.19200300.100.1.25': 'IA5String', '1.3.6.1.4.1.311.60.2.1.3': 'CountryName',
};
const DIRECTORY_ATTRS = new Set(['2.5.4.3', '2.5.4.4', '2.5.4.7', '2.5.4.8', '2.5.4.9', '2.5.4.10', '2.5.4.11', '2.5.4.12', '2.5.4.13', '2.5.4.15', '2.5.4.17', '2.5.4.42', '2.5.4.43', '2.5.4.44', '2.5.4.65']);

/** An attribute value by its type (x509sat); the value's text for the RDN string, or null. */
function attrValue(c: Ctx, oid: string, t: Tlv, out: Field[]): string | null {
  const syn = ATTR_SYNTAX[oid];
  if (syn !== undefined) {
    if (t.cls !== 0 || t.cons || (t.tag !== 19 && t.tag !== 22 && t.tag !== 12)) {
      out.push(berError(t.start, t.vend - t.start, 'wrong field in the attribute value'));
      return null;
    }
    c.protos.push('x509sat');
    const f = strField(c, `x509sat.${syn}`, syn, t);
    out.push(f);
    return f.show;
  }
  if (DIRECTORY_ATTRS.has(oid)) {
    const d = t.cls === 0 && !t.cons ? DIRECTORY[t.tag] : undefined;
    c.protos.push('x509sat');
    if (d === undefined) {
      out.push(berError(t.start, t.vend - t.start, 'wrong field in DirectoryString'));
      return null;
    }
    const s = strField(c, `x509sat.${d[1]}`, d[1], t);
    const f = fUint('x509sat.DirectoryString', 'DirectoryString', d[0], t.start, t.vend - t.start);
    f.text = `DirectoryString: ${d[1]} (${d[0]})`;
    f.children = [s];
    out.push(f);
    return s.show;
  }
  out.push(notImplemented(t));
  return null;
}

/** A Name's RDNSequence: `key` is x509if.rdnSequence (issuer, names in extensions) or x509af.rdnSequence (subject). */
function rdnSequence(c: Ctx, key: string, t: Tlv): { f: Field; text: string } {
  const items: Field[] = [];
  const texts: string[] = [];
  let n = 0;
  for (let p = t.vstart; p < t.vend && n < X509_MAX_ITEMS && bump(c, 4); n++) {
    const rdn = tlvIn(c, p, t.vend, items);
    if (rdn === null) break;
    p = rdn.vend;
    if (!isUniv(rdn, 17, true)) {
      items.push(berError(rdn.start, rdn.vend - rdn.start, 'RelativeDistinguishedName is not a SET'));
      continue;
    }
    const avas: Field[] = [];
    const avaTexts: string[] = [];
    for (let q = rdn.vstart; q < rdn.vend && avas.length < X509_MAX_ITEMS && bump(c, 3); ) {
      const ava = tlvIn(c, q, rdn.vend, avas);
      if (ava === null) break;
      q = ava.vend;
      const kids: Field[] = [];
      let text = '';
      const ot = isUniv(ava, 16, true) ? tlvIn(c, ava.vstart, ava.vend, kids) : null;
      if (ot !== null && isUniv(ot, 6)) {
        const [of, oid] = oidField(c, 'x509if.oid', 'Object Id', ot);
        kids.push(of);
        const vt = ot.vend < ava.vend ? tlvIn(c, ot.vend, ava.vend, kids) : null;
        const v = vt === null ? null : attrValue(c, oid, vt, kids);
        text = `${oidName(oid)}=${v ?? ''}`;
      } else if (ot !== null) kids.push(berError(ot.start, ot.vend - ot.start, 'wrong field in AttributeTypeAndValue'));
      const f = fBool('x509if.RelativeDistinguishedName_item_element', 'RelativeDistinguishedName item', true, ava.start, ava.vend - ava.start);
      f.text = cutLabel(`RelativeDistinguishedName item (${text})`);
      f.children = kids;
      avas.push(f);
      avaTexts.push(text);
    }
    const rt = avaTexts.join('+');
    const rf = fUint('x509if.RDNSequence_item', 'RDNSequence item', avaTexts.length, rdn.start, rdn.vend - rdn.start);
    rf.text = cutLabel(`RDNSequence item: ${plural(avaTexts.length)} (${rt})`);
    rf.children = avas;
    items.push(rf);
    texts.push(rt);
  }
  const text = texts.slice().reverse().join(',');
  const f = fUint(key, 'rdnSequence', texts.length, t.start, t.vend - t.start);
  f.text = cutLabel(`rdnSequence: ${plural(texts.length)} (${text})`);
  f.children = items;
  return { f, text };
}

/** A Name (issuer, subject): CHOICE { rdnSequence }. */
function name(c: Ctx, key: string, label: string, rdnKey: string, t: Tlv): { f: Field; text: string } {
  const f = fUint(key, label, 0, t.start, t.vend - t.start);
  f.text = `${label}: rdnSequence (0)`;
  if (!isUniv(t, 16, true)) {
    f.children = [berError(t.start, t.vend - t.start, 'Name is not an RDNSequence')];
    return { f, text: '' };
  }
  const r = rdnSequence(c, rdnKey, t);
  f.children = [r.f];
  return { f, text: r.text };
}

/** An AlgorithmIdentifier: `key` its item (x509af.signature_element, …); the OID or '' . */
function algorithm(c: Ctx, key: string, label: string, t: Tlv, out: Field[]): string {
  const kids: Field[] = [];
  let oid = '';
  const ot = isUniv(t, 16, true) ? tlvIn(c, t.vstart, t.vend, kids) : null;
  if (ot !== null && isUniv(ot, 6)) {
    const [of, o] = oidField(c, 'x509af.algorithm.id', 'Algorithm Id', ot);
    oid = o;
    kids.push(of);
    const pt = ot.vend < t.vend ? tlvIn(c, ot.vend, t.vend, kids) : null;
    if (pt !== null && !isUniv(pt, 5)) {
      if (oid === '1.2.840.10045.2.1') ecParameters(c, pt, kids);
      else kids.push(notImplemented(pt));
    }
  } else kids.push(berError(t.start, t.vend - t.start, 'AlgorithmIdentifier is not a SEQUENCE with an OID'));
  const f = fBool(key, label, true, t.start, t.vend - t.start);
  f.text = oid === '' ? label : `${label} (${oidName(oid)})`;
  f.children = kids;
  out.push(f);
  return oid;
}

/** ECParameters (pkcs-1): the named curve. */
function ecParameters(c: Ctx, t: Tlv, out: Field[]): void {
  c.protos.push('pkcs-1');
  if (isUniv(t, 6)) {
    const [cf] = oidField(c, 'pkcs1.namedCurve', 'namedCurve', t);
    const f = fUint('pkcs1.ECParameters', 'ECParameters', 1, t.start, t.vend - t.start);
    f.text = 'ECParameters: namedCurve (1)';
    f.children = [cf];
    out.push(f);
  } else if (isUniv(t, 16, true)) {
    const f = fUint('pkcs1.ECParameters', 'ECParameters', 0, t.start, t.vend - t.start);
    f.text = 'ECParameters: specifiedCurve (0)';
    out.push(f);
  } else {
    const f = fUint('pkcs1.ECParameters', 'ECParameters', 2, t.start, t.vend - t.start);
    f.text = 'ECParameters: implicitlyCA (2)';
    out.push(f);
  }
}

/** An INTEGER's contents as decimal text (any length). */
function intText(buf: Uint8Array, s: number, e: number): string {
  if (e - s <= 6) {
    let v = buf[s] & 0x80 ? -1 : 0;
    for (let i = s; i < e; i++) v = v * 256 + buf[i];
    return String(v);
  }
  let v = 0n;
  for (let i = s; i < e; i++) v = (v << 8n) | BigInt(buf[i]);
  if (buf[s] & 0x80) v -= 1n << BigInt(8 * (e - s));
  return v.toString();
}

function bytesField(c: Ctx, key: string, label: string, s: number, e: number, prefix = ''): Field {
  const f = fBytes(key, label, c.buf, s, e);
  f.text = `${label}: ${prefix}${hexShort(c.buf, s, e)}`;
  return f;
}

function padding(c: Ctx, at: number): Field {
  return fUint('ber.bitstring.padding', 'Padding', c.buf[at], at, 1);
}

/** The RSA public key in the subjectPublicKey BIT STRING (pkcs-1's RSAPublicKey, a direct call). */
function rsaKey(c: Ctx, s: number, e: number, out: Field[]): void {
  const seq = tlvIn(c, s, e, out);
  if (seq === null || !isUniv(seq, 16, true)) return;
  const m = tlvIn(c, seq.vstart, seq.vend, out);
  if (m === null || !isUniv(m, 2)) return;
  out.push(bytesField(c, 'pkcs1.modulus', 'modulus', m.vstart, m.vend, '0x'));
  const x = m.vend < seq.vend ? tlvIn(c, m.vend, seq.vend, out) : null;
  if (x === null || !isUniv(x, 2) || x.vend === x.vstart) return;
  const f = fStr('pkcs1.publicExponent', 'publicExponent', intText(c.buf, x.vstart, x.vend), x.start, x.vend - x.start);
  out.push(f);
}

/** UTCTime / GeneralizedTime (Time CHOICE): `key` x509af.notBefore / notAfter. */
function time(c: Ctx, key: string, label: string, t: Tlv): Field {
  const raw = latin1.decode(c.buf.subarray(t.vstart, t.vend));
  const f = fUint(key, label, t.tag === 24 ? 1 : 0, t.start, t.vend - t.start);
  if (t.cls === 0 && t.tag === 23) {
    f.text = `${label}: utcTime (0)`;
    const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(raw);
    const v = m === null ? raw : `${Number(m[1]) < 50 ? '20' : '19'}${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'} (UTC)`;
    const u = fStr('x509af.utcTime', 'utcTime', v, t.start, t.vend - t.start);
    f.children = [u];
  } else if (t.cls === 0 && t.tag === 24) {
    f.text = `${label}: generalizedTime (1)`;
    const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?Z$/.exec(raw);
    let v = raw;
    if (m !== null) {
      const sec = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
      if (Number.isFinite(sec)) v = absTimeText(sec, Number((m[7] ?? '').padEnd(9, '0')));
    }
    f.children = [fStr('x509af.generalizedTime', 'generalizedTime', v, t.start, t.vend - t.start)];
  } else {
    f.text = `${label}: unknown`;
    f.children = [berError(t.start, t.vend - t.start, 'wrong field in Time')];
  }
  return f;
}

const GN: Record<number, string> = {
  0: 'otherName', 1: 'rfc822Name', 2: 'dNSName', 3: 'x400Address', 4: 'directoryName', 5: 'ediPartyName', 6: 'uniformResourceIdentifier',
  7: 'iPAddress', 8: 'registeredID',
};

/** One GeneralName; `key` x509ce.GeneralName (pkix1implicit.accessLocation in AIA). */
function generalName(c: Ctx, key: string, label: string, t: Tlv): Field {
  const tag = t.cls === 2 ? t.tag : -1;
  const nm = GN[tag] ?? 'unknown';
  const f = fUint(key, label, tag, t.start, t.vend - t.start);
  // (pkix1implicit's accessLocation shows the number alone)
  f.text = label === 'accessLocation' ? `${label}: ${tag}` : `${label}: ${nm} (${tag})`;
  const s = t.vstart, e = t.vend;
  if (tag === 1 || tag === 2 || tag === 6) {
    const v = latin1.decode(c.buf.subarray(s, e));
    const k = tag === 1 ? 'rfc822Name' : tag === 2 ? 'dNSName' : 'uniformResourceIdentifier';
    const x = fStr(`x509ce.${k}`, k, v, s, e - s);
    x.text = cutLabel(`${k}: ${v}`);
    f.children = [x];
  } else if (tag === 7 && (e - s === 4 || e - s === 16)) {
    const v = e - s === 4 ? fmtIPv4(c.buf, s) : fmtIPv6(c.buf, s);
    f.children = [fStr(e - s === 4 ? 'x509ce.IPAddress.ipv4' : 'x509ce.IPAddress.ipv6', 'iPAddress', v, s, e - s)];
  } else if (tag === 4 && t.cons && c.depth < X509_MAX_DEPTH) {
    const kids: Field[] = [];
    const n = tlvIn(c, s, e, kids);
    if (n !== null) {
      c.depth++;
      kids.push(name(c, 'x509ce.directoryName', 'directoryName', 'x509if.rdnSequence', n).f);
      c.depth--;
    }
    f.children = kids;
  } else if (tag === 8) {
    const [of] = oidField(c, 'x509ce.registeredID', 'registeredID', t);
    f.children = [of];
  } else if (tag === 0 && t.cons) f.children = [otherName(c, t)];
  else if (tag === 3 || tag === 5) f.children = [elem(`x509ce.${nm}_element`, nm, t, [])];
  return f;
}

/** otherName: type-id and a value read by the type's dissector (the UPN: x509sat's UTF8String). */
function otherName(c: Ctx, t: Tlv): Field {
  const kids: Field[] = [];
  const id = tlvIn(c, t.vstart, t.vend, kids);
  if (id !== null && isUniv(id, 6)) {
    const [of, oid] = oidField(c, 'x509ce.type_id', 'type-id', id);
    kids.push(of);
    const v = id.vend < t.vend ? tlvIn(c, id.vend, t.vend, kids) : null;
    const inner = v !== null && v.cls === 2 && v.tag === 0 && v.cons ? tlvIn(c, v.vstart, v.vend, kids) : null;
    if (inner !== null && oid === '1.3.6.1.4.1.311.20.2.3' && isUniv(inner, 12)) {
      c.protos.push('x509sat');
      kids.push(strField(c, 'x509sat.UTF8String', 'UTF8String', inner));
    } else if (inner !== null) kids.push(notImplemented(inner));
  } else if (id !== null) kids.push(berError(id.start, id.vend - id.start, 'type-id is not an OID'));
  return elem('x509ce.otherName_element', 'otherName', t, kids);
}

/** GeneralNames (SEQUENCE OF GeneralName): `key` x509ce.GeneralNames, fullName, authorityCertIssuer… */
function generalNames(c: Ctx, key: string, label: string, t: Tlv, valueLabel = 'GeneralNames'): Field {
  const kids: Field[] = [];
  for (let p = t.vstart; p < t.vend && kids.length < X509_MAX_ITEMS && bump(c, 2); ) {
    const g = tlvIn(c, p, t.vend, kids);
    if (g === null) break;
    p = g.vend;
    kids.push(generalName(c, 'x509ce.GeneralName', 'GeneralName', g));
  }
  const n = kids.filter((k) => k.key === 'x509ce.GeneralName').length;
  const f = fUint(key, label, n, t.start, t.vend - t.start);
  f.text = `${valueLabel}: ${plural(n)}`;
  f.children = kids;
  return f;
}

/** Iterate a SEQUENCE OF's items (bounded); an item that does not fit ends it with an error. */
function items(c: Ctx, t: Tlv, out: Field[], each: (x: Tlv) => void): number {
  let n = 0;
  for (let p = t.vstart; p < t.vend && n < X509_MAX_ITEMS && bump(c, 2); n++) {
    const x = tlvIn(c, p, t.vend, out);
    if (x === null) break;
    p = x.vend;
    each(x);
  }
  return n;
}

const KU_BITS = ['digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

function keyUsage(c: Ctx, t: Tlv, out: Field[]): void {
  const buf = c.buf;
  if (!isUniv(t, 3) || t.vend === t.vstart) return void out.push(berError(t.start, t.vend - t.start, 'KeyUsage is not a BIT STRING'));
  out.push(padding(c, t.vstart));
  const s = t.vstart + 1;
  const f = fBytes('x509ce.KeyUsage', 'KeyUsage', buf, s, t.vend);
  const kids: Field[] = [];
  for (let i = 0; i < KU_BITS.length; i++) {
    const at = s + (i >> 3);
    const bit = 0x80 >> (i & 7);
    const on = at < t.vend && (buf[at] & bit) !== 0;
    const b = fBool(`x509ce.KeyUsage.${KU_BITS[i]}`, KU_BITS[i], on, at, 1, bit);
    // the bits of a byte the value lacks still show, as 0
    let pat = '';
    for (let k = 0; k < 8; k++) pat += (k === (i & 7) ? (on ? '1' : '0') : '.') + (k === 3 ? ' ' : '');
    b.text = `${pat} = ${KU_BITS[i]}: ${on ? 'True' : 'False'}`;
    kids.push(b);
  }
  f.children = kids;
  out.push(f);
}

function basicConstraints(c: Ctx, t: Tlv, out: Field[]): void {
  if (!isUniv(t, 16, true)) return void out.push(berError(t.start, t.vend - t.start, 'BasicConstraintsSyntax is not a SEQUENCE'));
  const kids: Field[] = [];
  for (let p = t.vstart; p < t.vend; ) {
    const x = tlvIn(c, p, t.vend, kids);
    if (x === null) break;
    p = x.vend;
    if (isUniv(x, 1) && x.vend - x.vstart === 1) {
      const f = fBool('x509ce.cA', 'cA', c.buf[x.vstart] !== 0, x.start, x.vend - x.start);
      f.text = `cA: ${c.buf[x.vstart] !== 0 ? 'True' : 'False'}`;
      kids.push(f);
    } else if (isUniv(x, 2) && x.vend > x.vstart) kids.push(fStr('x509ce.pathLenConstraint', 'pathLenConstraint', intText(c.buf, x.vstart, x.vend), x.start, x.vend - x.start));
    else kids.push(berError(x.start, x.vend - x.start, 'wrong field in BasicConstraintsSyntax'));
  }
  out.push(elem('x509ce.BasicConstraintsSyntax_element', 'BasicConstraintsSyntax', t, kids));
}

function authorityKeyIdentifier(c: Ctx, t: Tlv, out: Field[]): void {
  if (!isUniv(t, 16, true)) return void out.push(berError(t.start, t.vend - t.start, 'AuthorityKeyIdentifier is not a SEQUENCE'));
  const kids: Field[] = [];
  for (let p = t.vstart; p < t.vend; ) {
    const x = tlvIn(c, p, t.vend, kids);
    if (x === null) break;
    p = x.vend;
    if (x.cls === 2 && x.tag === 0) kids.push(bytesField(c, 'x509ce.keyIdentifier', 'keyIdentifier', x.vstart, x.vend));
    else if (x.cls === 2 && x.tag === 1) kids.push(generalNames(c, 'x509ce.authorityCertIssuer', 'authorityCertIssuer', x, 'authorityCertIssuer'));
    else if (x.cls === 2 && x.tag === 2) kids.push(bytesField(c, 'x509ce.authorityCertSerialNumber', 'authorityCertSerialNumber', x.vstart, x.vend, '0x'));
    else kids.push(berError(x.start, x.vend - x.start, 'wrong field in AuthorityKeyIdentifier'));
  }
  out.push(elem('x509ce.AuthorityKeyIdentifier_element', 'AuthorityKeyIdentifier', t, kids));
}

function seqOf(c: Ctx, key: string, label: string, t: Tlv, out: Field[], each: (x: Tlv, kids: Field[]) => void): void {
  if (!isUniv(t, 16, true)) return void out.push(berError(t.start, t.vend - t.start, `${label} is not a SEQUENCE`));
  const kids: Field[] = [];
  const n = items(c, t, kids, (x) => each(x, kids));
  const f = fUint(key, label, n, t.start, t.vend - t.start);
  f.text = `${label}: ${plural(n)}`;
  f.children = kids;
  out.push(f);
}

function oidItem(c: Ctx, key: string, label: string, x: Tlv, kids: Field[]): void {
  if (isUniv(x, 6)) kids.push(oidField(c, key, label, x)[0]);
  else kids.push(berError(x.start, x.vend - x.start, `${label} is not an OID`));
}

function distributionPoint(c: Ctx, x: Tlv, kids: Field[]): void {
  const dk: Field[] = [];
  if (isUniv(x, 16, true)) {
    for (let p = x.vstart; p < x.vend; ) {
      const y = tlvIn(c, p, x.vend, dk);
      if (y === null) break;
      p = y.vend;
      if (y.cls === 2 && y.tag === 0) {
        const z = tlvIn(c, y.vstart, y.vend, dk);
        if (z === null) continue;
        const f = fUint('x509ce.distributionPoint', 'distributionPoint', z.tag, y.start, y.vend - y.start);
        if (z.cls === 2 && z.tag === 0) {
          f.text = 'distributionPoint: fullName (0)';
          f.children = [generalNames(c, 'x509ce.fullName', 'fullName', z, 'fullName')];
        } else f.text = `distributionPoint: nameRelativeToCRLIssuer (${z.tag})`;
        dk.push(f);
      } else if (y.cls === 2 && y.tag === 2) dk.push(generalNames(c, 'x509ce.cRLIssuer', 'cRLIssuer', y, 'cRLIssuer'));
      else if (y.cls === 2 && y.tag === 1) dk.push(bytesField(c, 'x509ce.reasons', 'reasons', y.vstart, y.vend));
      else dk.push(berError(y.start, y.vend - y.start, 'wrong field in DistributionPoint'));
    }
  } else dk.push(berError(x.start, x.vend - x.start, 'DistributionPoint is not a SEQUENCE'));
  kids.push(elem('x509ce.DistributionPoint_element', 'DistributionPoint', x, dk));
}

function policyInformation(c: Ctx, x: Tlv, kids: Field[]): void {
  const pk: Field[] = [];
  if (isUniv(x, 16, true)) {
    const id = tlvIn(c, x.vstart, x.vend, pk);
    if (id !== null) {
      oidItem(c, 'x509ce.policyIdentifier', 'policyIdentifier', id, pk);
      const q = id.vend < x.vend ? tlvIn(c, id.vend, x.vend, pk) : null;
      if (q !== null) {
        seqOf(c, 'x509ce.policyQualifiers', 'policyQualifiers', q, pk, (qi, qk) => {
          const ik: Field[] = [];
          const qid = isUniv(qi, 16, true) ? tlvIn(c, qi.vstart, qi.vend, ik) : null;
          if (qid !== null && isUniv(qid, 6)) {
            const [of, oid] = oidField(c, 'x509ce.id', 'Id', qid);
            ik.push(of);
            const v = qid.vend < qi.vend ? tlvIn(c, qid.vend, qi.vend, ik) : null;
            if (v !== null) {
              if (oid === '1.3.6.1.5.5.7.2.1' && v.cls === 0 && !v.cons && v.tag === 22) {
                c.protos.push('pkix1explicit');
                const f = strField(c, 'pkix1explicit.DirectoryString', 'DirectoryString', v);
                ik.push(f);
              } else if (oid === '1.3.6.1.5.5.7.2.2') {
                c.protos.push('pkix1implicit');
                userNotice(c, v, ik);
              } else ik.push(notImplemented(v));
            }
          } else if (qid !== null) ik.push(berError(qid.start, qid.vend - qid.start, 'wrong field in PolicyQualifierInfo'));
          qk.push(elem('x509ce.PolicyQualifierInfo_element', 'PolicyQualifierInfo', qi, ik));
        });
      }
    }
  } else pk.push(berError(x.start, x.vend - x.start, 'PolicyInformation is not a SEQUENCE'));
  kids.push(elem('x509ce.PolicyInformation_element', 'PolicyInformation', x, pk));
}

function accessDescription(c: Ctx, x: Tlv, kids: Field[]): void {
  const ak: Field[] = [];
  const m = isUniv(x, 16, true) ? tlvIn(c, x.vstart, x.vend, ak) : null;
  if (m !== null) {
    oidItem(c, 'pkix1implicit.accessMethod', 'accessMethod', m, ak);
    const l = m.vend < x.vend ? tlvIn(c, m.vend, x.vend, ak) : null;
    if (l !== null) ak.push(generalName(c, 'pkix1implicit.accessLocation', 'accessLocation', l));
  }
  kids.push(elem('pkix1implicit.AccessDescription_element', 'AccessDescription', x, ak));
}

/** NameConstraintsSyntax: permitted and excluded GeneralSubtrees. */
function nameConstraints(c: Ctx, t: Tlv, out: Field[]): void {
  if (!isUniv(t, 16, true)) return void out.push(berError(t.start, t.vend - t.start, 'NameConstraintsSyntax is not a SEQUENCE'));
  const kids: Field[] = [];
  for (let p = t.vstart; p < t.vend; ) {
    const x = tlvIn(c, p, t.vend, kids);
    if (x === null) break;
    p = x.vend;
    if (x.cls !== 2 || x.tag > 1) {
      kids.push(berError(x.start, x.vend - x.start, 'wrong field in NameConstraintsSyntax'));
      continue;
    }
    const label = x.tag === 0 ? 'permittedSubtrees' : 'excludedSubtrees';
    const sk: Field[] = [];
    const n = items(c, x, sk, (g) => {
      const gk: Field[] = [];
      if (isUniv(g, 16, true)) {
        for (let q = g.vstart; q < g.vend; ) {
          const y = tlvIn(c, q, g.vend, gk);
          if (y === null) break;
          if (q === g.vstart) gk.push(generalName(c, 'x509ce.base', 'base', y));
          else if (y.cls === 2 && (y.tag === 0 || y.tag === 1) && y.vend > y.vstart) gk.push(fStr(`x509ce.${y.tag === 0 ? 'minimum' : 'maximum'}`, y.tag === 0 ? 'minimum' : 'maximum', intText(c.buf, y.vstart, y.vend), y.start, y.vend - y.start));
          q = y.vend;
        }
      } else gk.push(berError(g.start, g.vend - g.start, 'GeneralSubtree is not a SEQUENCE'));
      sk.push(elem('x509ce.GeneralSubtree_element', 'GeneralSubtree', g, gk));
    });
    const f = fUint(`x509ce.${label}`, label, n, x.start, x.vend - x.start);
    f.text = `${label}: ${plural(n)}`;
    f.children = sk;
    kids.push(f);
  }
  out.push(elem('x509ce.NameConstraintsSyntax_element', 'NameConstraintsSyntax', t, kids));
}

function policyConstraints(c: Ctx, t: Tlv, out: Field[]): void {
  if (!isUniv(t, 16, true)) return void out.push(berError(t.start, t.vend - t.start, 'PolicyConstraintsSyntax is not a SEQUENCE'));
  const kids: Field[] = [];
  for (let p = t.vstart; p < t.vend; ) {
    const x = tlvIn(c, p, t.vend, kids);
    if (x === null) break;
    p = x.vend;
    if (x.cls === 2 && (x.tag === 0 || x.tag === 1) && !x.cons && x.vend > x.vstart) {
      const k = x.tag === 0 ? 'requireExplicitPolicy' : 'inhibitPolicyMapping';
      kids.push(fStr(`x509ce.${k}`, k, intText(c.buf, x.vstart, x.vend), x.start, x.vend - x.start));
    } else kids.push(berError(x.start, x.vend - x.start, 'wrong field in PolicyConstraintsSyntax'));
  }
  out.push(elem('x509ce.PolicyConstraintsSyntax_element', 'PolicyConstraintsSyntax', t, kids));
}

const TLS_FEATURES: Record<number, string> = { 5: 'status_request', 17: 'status_request_v2' };

/** DisplayText (pkix1implicit): CHOICE of string types. */
const DISPLAY_TEXT: Record<number, [number, string]> = { 22: [0, 'ia5String'], 26: [1, 'visibleString'], 30: [2, 'bmpString'], 12: [3, 'utf8String'] };

function displayText(c: Ctx, key: string, label: string, t: Tlv): Field {
  const d = t.cls === 0 && !t.cons ? DISPLAY_TEXT[t.tag] : undefined;
  if (d === undefined) return berError(t.start, t.vend - t.start, `wrong field in ${label}`);
  const f = fUint(key, label, d[0], t.start, t.vend - t.start);
  f.text = `${label}: ${d[1]} (${d[0]})`;
  f.children = [strField(c, `pkix1implicit.${d[1]}`, d[1], t)];
  return f;
}

/** UserNotice (pkix1implicit): noticeRef (organization, noticeNumbers), explicitText. */
function userNotice(c: Ctx, t: Tlv, out: Field[]): void {
  const kids: Field[] = [];
  if (isUniv(t, 16, true)) {
    for (let p = t.vstart; p < t.vend; ) {
      const x = tlvIn(c, p, t.vend, kids);
      if (x === null) break;
      p = x.vend;
      if (isUniv(x, 16, true)) {
        const rk: Field[] = [];
        const org = tlvIn(c, x.vstart, x.vend, rk);
        if (org !== null) {
          rk.push(displayText(c, 'pkix1implicit.organization', 'organization', org));
          const nums = org.vend < x.vend ? tlvIn(c, org.vend, x.vend, rk) : null;
          if (nums !== null && isUniv(nums, 16, true)) {
            const nk: Field[] = [];
            const n = items(c, nums, nk, (y) => {
              if (isUniv(y, 2) && y.vend > y.vstart) {
                const f = fStr('pkix1implicit.noticeNumbers_item', 'noticeNumbers item', intText(c.buf, y.vstart, y.vend), y.start, y.vend - y.start);
                nk.push(f);
              } else nk.push(berError(y.start, y.vend - y.start, 'noticeNumbers item is not an INTEGER'));
            });
            const f = fUint('pkix1implicit.noticeNumbers', 'noticeNumbers', n, nums.start, nums.vend - nums.start);
            f.text = `noticeNumbers: ${plural(n)}`;
            f.children = nk;
            rk.push(f);
          }
        }
        kids.push(elem('pkix1implicit.noticeRef_element', 'noticeRef', x, rk));
      } else kids.push(displayText(c, 'pkix1implicit.explicitText', 'explicitText', x));
    }
  } else kids.push(berError(t.start, t.vend - t.start, 'UserNotice is not a SEQUENCE'));
  out.push(elem('pkix1implicit.UserNotice_element', 'UserNotice', t, kids));
}

const SCT_OID = '1.3.6.1.4.1.11129.2.4.2';

/** The extensions tshark decodes: OID → [protocol, reader]. */
const EXTENSIONS: Record<string, [string, (c: Ctx, t: Tlv, out: Field[]) => void]> = {
  '2.5.29.14': ['x509ce', (c, t, out) => out.push(isUniv(t, 4) ? bytesField(c, 'x509ce.SubjectKeyIdentifier', 'SubjectKeyIdentifier', t.vstart, t.vend) : berError(t.start, t.vend - t.start, 'SubjectKeyIdentifier is not an OCTET STRING'))],
  '2.5.29.15': ['x509ce', keyUsage],
  '2.5.29.17': ['x509ce', (c, t, out) => out.push(isUniv(t, 16, true) ? generalNames(c, 'x509ce.GeneralNames', 'GeneralNames', t) : berError(t.start, t.vend - t.start, 'GeneralNames is not a SEQUENCE'))],
  '2.5.29.18': ['x509ce', (c, t, out) => out.push(isUniv(t, 16, true) ? generalNames(c, 'x509ce.GeneralNames', 'GeneralNames', t) : berError(t.start, t.vend - t.start, 'GeneralNames is not a SEQUENCE'))],
  '2.5.29.19': ['x509ce', basicConstraints],
  '2.5.29.31': ['x509ce', (c, t, out) => seqOf(c, 'x509ce.CRLDistPointsSyntax', 'CRLDistPointsSyntax', t, out, (x, kids) => distributionPoint(c, x, kids))],
  '2.5.29.32': ['x509ce', (c, t, out) => seqOf(c, 'x509ce.CertificatePoliciesSyntax', 'CertificatePoliciesSyntax', t, out, (x, kids) => policyInformation(c, x, kids))],
  '2.5.29.35': ['x509ce', authorityKeyIdentifier],
  '2.5.29.37': ['x509ce', (c, t, out) => seqOf(c, 'x509ce.KeyPurposeIDs', 'KeyPurposeIDs', t, out, (x, kids) => oidItem(c, 'x509ce.KeyPurposeId', 'KeyPurposeId', x, kids))],
  '1.3.6.1.5.5.7.1.1': ['pkix1implicit', (c, t, out) => seqOf(c, 'pkix1implicit.AuthorityInfoAccessSyntax', 'AuthorityInfoAccessSyntax', t, out, (x, kids) => accessDescription(c, x, kids))],
  '2.5.29.30': ['x509ce', nameConstraints],
  '2.5.29.36': ['x509ce', policyConstraints],
  '2.5.29.54': ['x509ce', (c, t, out) => out.push(isUniv(t, 2) && t.vend > t.vstart ? fStr('x509ce.SkipCerts', 'SkipCerts', intText(c.buf, t.vstart, t.vend), t.start, t.vend - t.start) : berError(t.start, t.vend - t.start, 'SkipCerts is not an INTEGER'))],
  '1.3.6.1.5.5.7.1.24': ['pkix1explicit', (c, t, out) => seqOf(c, 'pkix1explicit.Features', 'Features', t, out, (x, kids) => {
    if (!isUniv(x, 2) || x.vend === x.vstart) return void kids.push(berError(x.start, x.vend - x.start, 'Features item is not an INTEGER'));
    const v = Number(intText(c.buf, x.vstart, x.vend));
    const f = fStr('pkix1explicit.Features_item', 'Features item', String(v), x.start, x.vend - x.start);
    f.text = `Features item: ${TLS_FEATURES[v] ?? 'Unknown'} (${v})`;
    kids.push(f);
  })],
  '2.16.840.1.113730.1.13': ['ns_cert_exts', (c, t, out) => out.push(t.cls === 0 && !t.cons && (t.tag === 22 || t.tag === 12 || t.tag === 19) ? strField(c, 'ns_cert_exts.Comment', 'Comment', t) : berError(t.start, t.vend - t.start, 'Comment is not an IA5String'))],
};

function extension(c: Ctx, x: Tlv, out: Field[]): void {
  const kids: Field[] = [];
  let oid = '';
  if (isUniv(x, 16, true)) {
    let p = x.vstart;
    const id = tlvIn(c, p, x.vend, kids);
    if (id !== null && isUniv(id, 6)) {
      const [of, o] = oidField(c, 'x509af.extension.id', 'Extension Id', id);
      oid = o;
      kids.push(of);
      p = id.vend;
      let v = p < x.vend ? tlvIn(c, p, x.vend, kids) : null;
      if (v !== null && isUniv(v, 1)) {
        const on = v.vend > v.vstart && c.buf[v.vstart] !== 0;
        const f = fBool('x509af.critical', 'critical', on, v.start, v.vend - v.start);
        f.text = `critical: ${on ? 'True' : 'False'}`;
        kids.push(f);
        v = v.vend < x.vend ? tlvIn(c, v.vend, x.vend, kids) : null;
      }
      if (v !== null && isUniv(v, 4)) {
        const ext = EXTENSIONS[oid];
        const inner = v.vend > v.vstart ? tlvIn(c, v.vstart, v.vend, kids) : null;
        if (oid === SCT_OID && c.sct !== null && inner !== null && isUniv(inner, 4)) {
          // tshark's TLS dissector reads the list (its fields are TLS's)
          c.protos.push('tls');
          kids.push(...c.sct(c.buf, inner.vstart, inner.vend));
        } else if (ext !== undefined && inner !== null) {
          c.protos.push(ext[0]);
          ext[1](c, inner, kids);
        } else if (inner !== null) kids.push(notImplemented(v));
      } else if (v !== null) kids.push(berError(v.start, v.vend - v.start, 'extnValue is not an OCTET STRING'));
    } else if (id !== null) kids.push(berError(id.start, id.vend - id.start, 'Extension Id is not an OID'));
  } else kids.push(berError(x.start, x.vend - x.start, 'Extension is not a SEQUENCE'));
  const f = fBool('x509af.Extension_element', 'Extension', true, x.start, x.vend - x.start);
  f.text = oid === '' ? 'Extension' : `Extension (${oidName(oid)})`;
  f.children = kids;
  out.push(f);
}

function subjectPublicKeyInfo(c: Ctx, t: Tlv, out: Field[]): void {
  const kids: Field[] = [];
  if (!isUniv(t, 16, true)) kids.push(berError(t.start, t.vend - t.start, 'SubjectPublicKeyInfo is not a SEQUENCE'));
  else {
    const a = tlvIn(c, t.vstart, t.vend, kids);
    if (a !== null) {
      const oid = algorithm(c, 'x509af.algorithm_element', 'algorithm', a, kids);
      const k = a.vend < t.vend ? tlvIn(c, a.vend, t.vend, kids) : null;
      if (k !== null && isUniv(k, 3) && k.vend > k.vstart) {
        if (oid === '1.2.840.113549.1.1.1') {
          // the key's own BER: no Padding item (tshark reads the BIT STRING once without a tree)
          const f = bytesField(c, 'x509af.subjectPublicKey', 'subjectPublicKey', k.vstart + 1, k.vend);
          f.start = k.start;
          f.len = k.vend - k.start;
          const rk: Field[] = [];
          rsaKey(c, k.vstart + 1, k.vend, rk);
          f.children = rk;
          kids.push(f);
        } else {
          kids.push(padding(c, k.vstart));
          kids.push(bytesField(c, 'x509af.subjectPublicKey', 'subjectPublicKey', k.vstart + 1, k.vend));
        }
      } else if (k !== null) kids.push(berError(k.start, k.vend - k.start, 'subjectPublicKey is not a BIT STRING'));
    }
  }
  out.push(elem('x509af.subjectPublicKeyInfo_element', 'subjectPublicKeyInfo', t, kids));
}

function tbsCertificate(c: Ctx, t: Tlv, out: Field[]): string {
  const kids: Field[] = [];
  let subject = '';
  let p = t.vstart;
  const next = (): Tlv | null => (p < t.vend ? tlvIn(c, p, t.vend, kids) : null);
  let x = next();
  if (x !== null && x.cls === 2 && x.tag === 0) {
    const v = tlvIn(c, x.vstart, x.vend, kids);
    if (v !== null && isUniv(v, 2) && v.vend - v.vstart === 1) {
      const n = c.buf[v.vstart];
      const f = fUint('x509af.version', 'version', n, v.start, v.vend - v.start);
      f.text = `version: ${['v1', 'v2', 'v3'][n] ?? 'Unknown'} (${n})`;
      kids.push(f);
    }
    p = x.vend;
    x = next();
  }
  const steps = ['serialNumber', 'signature', 'issuer', 'validity', 'subject', 'subjectPublicKeyInfo'];
  for (const step of steps) {
    if (x === null) break;
    p = x.vend;
    if (step === 'serialNumber') {
      if (isUniv(x, 2)) kids.push(bytesField(c, 'x509af.serialNumber', 'serialNumber', x.vstart, x.vend, '0x'));
      else kids.push(berError(x.start, x.vend - x.start, 'serialNumber is not an INTEGER'));
    } else if (step === 'signature') algorithm(c, 'x509af.signature_element', 'signature', x, kids);
    else if (step === 'issuer') kids.push(name(c, 'x509af.issuer', 'issuer', 'x509if.rdnSequence', x).f);
    else if (step === 'validity') {
      const vk: Field[] = [];
      if (isUniv(x, 16, true)) {
        const a = tlvIn(c, x.vstart, x.vend, vk);
        if (a !== null) {
          vk.push(time(c, 'x509af.notBefore', 'notBefore', a));
          const b = a.vend < x.vend ? tlvIn(c, a.vend, x.vend, vk) : null;
          if (b !== null) vk.push(time(c, 'x509af.notAfter', 'notAfter', b));
        }
      } else vk.push(berError(x.start, x.vend - x.start, 'Validity is not a SEQUENCE'));
      kids.push(elem('x509af.validity_element', 'validity', x, vk));
    } else if (step === 'subject') {
      const r = name(c, 'x509af.subject', 'subject', 'x509af.rdnSequence', x);
      subject = r.text;
      kids.push(r.f);
    } else subjectPublicKeyInfo(c, x, kids);
    x = next();
  }
  // issuerUniqueID [1], subjectUniqueID [2], extensions [3]
  for (; x !== null; x = next()) {
    p = x.vend;
    if (x.cls === 2 && x.tag === 3) {
      const s = tlvIn(c, x.vstart, x.vend, kids);
      if (s === null) break;
      const ek: Field[] = [];
      const n = isUniv(s, 16, true) ? items(c, s, ek, (e) => extension(c, e, ek)) : 0;
      const f = fUint('x509af.extensions', 'extensions', n, s.start, s.vend - s.start);
      f.text = `extensions: ${plural(n)}`;
      f.children = ek;
      kids.push(f);
    } else if (x.cls === 2 && (x.tag === 1 || x.tag === 2)) {
      const k = x.tag === 1 ? 'issuerUniqueIdentifier' : 'subjectUniqueIdentifier';
      kids.push(bytesField(c, `x509af.${k}`, k, x.vstart, x.vend));
    } else kids.push(berError(x.start, x.vend - x.start, 'wrong field in TBSCertificate'));
  }
  out.push(elem('x509af.signedCertificate_element', 'signedCertificate', t, kids));
  return subject;
}

/** Reads the TLS-encoded SCT list in [s, e) into fields (the certificate's SignedCertificateTimestampList extension). */
export type SctReader = (buf: Uint8Array, s: number, e: number) => Field[];

export interface X509Result {
  /** The items under the certificate's (tls.handshake.certificate). */
  fields: Field[];
  /** The subject's RDN text tshark appends to that item ('' when none). */
  subject: string;
  /** What the certificate adds to frame.protocols, in order. */
  protos: string[];
}

/** The Certificate at [start, end) of buf (its DER), as tshark's x509af dissects it. */
export function x509Certificate(buf: Uint8Array, start: number, end: number, sct: SctReader | null = null): X509Result {
  const c: Ctx = { buf, protos: [], fields: 0, depth: 0, sct };
  const out: Field[] = [];
  let subject = '';
  const cert = tlvIn(c, start, end, out);
  if (cert !== null && isUniv(cert, 16, true)) {
    let p = cert.vstart;
    const tbs = tlvIn(c, p, cert.vend, out);
    if (tbs !== null) {
      if (isUniv(tbs, 16, true)) subject = tbsCertificate(c, tbs, out);
      else out.push(berError(tbs.start, tbs.vend - tbs.start, 'signedCertificate is not a SEQUENCE'));
      p = tbs.vend;
      const alg = p < cert.vend ? tlvIn(c, p, cert.vend, out) : null;
      if (alg !== null) {
        algorithm(c, 'x509af.algorithmIdentifier_element', 'algorithmIdentifier', alg, out);
        p = alg.vend;
        const sig = p < cert.vend ? tlvIn(c, p, cert.vend, out) : null;
        if (sig !== null && isUniv(sig, 3) && sig.vend > sig.vstart) {
          out.push(padding(c, sig.vstart));
          out.push(bytesField(c, 'x509af.encrypted', 'encrypted', sig.vstart + 1, sig.vend));
        } else if (sig !== null) out.push(berError(sig.start, sig.vend - sig.start, 'signature is not a BIT STRING'));
      }
    }
  } else if (cert !== null) out.push(berError(cert.start, cert.vend - cert.start, 'Certificate is not a SEQUENCE'));
  if (c.fields > X509_MAX_FIELDS) out.push(fText(`[certificate cut: more than ${X509_MAX_FIELDS} items]`, start, end - start));
  return { fields: out, subject, protos: c.protos };
}

/** The x509 (and related) field keys x509Certificate() may emit. */
export const X509_FIELD_KEYS: readonly string[] = [
  'x509af.signedCertificate_element', 'x509af.version', 'x509af.serialNumber', 'x509af.signature_element', 'x509af.algorithm.id',
  'x509af.issuer', 'x509if.rdnSequence', 'x509af.rdnSequence', 'x509if.RDNSequence_item', 'x509if.RelativeDistinguishedName_item_element',
  'x509if.oid', 'x509sat.DirectoryString', 'x509sat.teletexString', 'x509sat.printableString', 'x509sat.universalString', 'x509sat.bmpString',
  'x509sat.uTF8String', 'x509sat.CountryName', 'x509sat.IA5String', 'x509sat.PrintableString', 'x509af.validity_element', 'x509af.notBefore',
  'x509af.notAfter', 'x509af.utcTime', 'x509af.generalizedTime', 'x509af.subject', 'x509af.subjectPublicKeyInfo_element',
  'x509af.algorithm_element', 'x509af.subjectPublicKey', 'pkcs1.modulus', 'pkcs1.publicExponent', 'pkcs1.ECParameters', 'pkcs1.namedCurve',
  'ber.bitstring.padding', 'x509af.extensions', 'x509af.Extension_element', 'x509af.extension.id', 'x509af.critical',
  'x509af.issuerUniqueIdentifier', 'x509af.subjectUniqueIdentifier', 'x509af.algorithmIdentifier_element', 'x509af.encrypted',
  'x509ce.BasicConstraintsSyntax_element', 'x509ce.cA', 'x509ce.pathLenConstraint', 'x509ce.KeyUsage', ...KU_BITS.map((b) => `x509ce.KeyUsage.${b}`),
  'x509ce.KeyPurposeIDs', 'x509ce.KeyPurposeId', 'x509ce.GeneralNames', 'x509ce.GeneralName', 'x509ce.rfc822Name', 'x509ce.dNSName',
  'x509ce.uniformResourceIdentifier', 'x509ce.IPAddress.ipv4', 'x509ce.IPAddress.ipv6', 'x509ce.directoryName', 'x509ce.registeredID',
  'x509ce.otherName_element', 'x509ce.x400Address_element', 'x509ce.ediPartyName_element', 'x509ce.type_id', 'x509sat.UTF8String',
  'x509ce.NameConstraintsSyntax_element', 'x509ce.permittedSubtrees', 'x509ce.excludedSubtrees', 'x509ce.GeneralSubtree_element',
  'x509ce.base', 'x509ce.minimum', 'x509ce.maximum', 'x509ce.PolicyConstraintsSyntax_element', 'x509ce.requireExplicitPolicy',
  'x509ce.inhibitPolicyMapping', 'x509ce.SkipCerts', 'pkix1explicit.Features', 'pkix1explicit.Features_item', 'ns_cert_exts.Comment',
  'pkix1implicit.UserNotice_element', 'pkix1implicit.noticeRef_element', 'pkix1implicit.organization', 'pkix1implicit.noticeNumbers',
  'pkix1implicit.noticeNumbers_item', 'pkix1implicit.explicitText', 'pkix1implicit.ia5String', 'pkix1implicit.visibleString',
  'pkix1implicit.bmpString', 'pkix1implicit.utf8String',
  'x509ce.SubjectKeyIdentifier', 'x509ce.AuthorityKeyIdentifier_element', 'x509ce.keyIdentifier', 'x509ce.authorityCertIssuer',
  'x509ce.authorityCertSerialNumber', 'x509ce.CRLDistPointsSyntax', 'x509ce.DistributionPoint_element', 'x509ce.distributionPoint',
  'x509ce.fullName', 'x509ce.cRLIssuer', 'x509ce.reasons', 'x509ce.CertificatePoliciesSyntax', 'x509ce.PolicyInformation_element',
  'x509ce.policyIdentifier', 'x509ce.policyQualifiers', 'x509ce.PolicyQualifierInfo_element', 'x509ce.id', 'pkix1explicit.DirectoryString',
  'pkix1implicit.AuthorityInfoAccessSyntax', 'pkix1implicit.AccessDescription_element', 'pkix1implicit.accessMethod', 'pkix1implicit.accessLocation',
];

