// LDAP (RFC 4511) on TCP port 389, as tshark 4.0 shows it (packet-ldap.c, asn1/ldap/ldap.cnf). TCP
// reassembly hands it whole LDAPMessages (BER SEQUENCEs measured by src/dissect/ber.ts; framer in
// src/analysis/http/app.ts); one LDAP layer holds the messages whole in a frame, a reassembled
// message gets its own (frame.protocols "ldap:ldap", as tshark's second call).
// Info per message: "<op>(<messageID>) " once the first string, result code, scope or authentication
// of the operation is read (tshark's ldap_do_protocolop), then `"<dn>" ` for a DN, the scope, the
// result name, "(<diagnostic>) ", the authentication choice, the extended operation's OID name;
// messages in one frame are joined with " | "; searchResDone appends " [N results]" with the
// connection's count of entries (never reset, as in tshark). abandonRequest prints the abandoned ID,
// as tshark's global MessageID does. Damage: a TLV that runs past its container, an indefinite
// length or a bad tag stops the message with a `malformed` problem (tshark's [Malformed Packet]).

import { BER_MAX_DEPTH, berInt, isBerError, readTlv, type Tlv } from '../src/dissect/ber.js';
import { fBool, fBytes, fmtBytesSep, fStr, fText, fUint, gen, latin1Text, u32le } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { relTime } from '../src/analysis/dns-transactions.js';
import { guid, MSCLDAP_KEYS, netlogonFields, ntVersionField } from './mscldap.js';

export const LDAP_TCP_PORT = 389;

const OPS: Record<number, string> = {
  0: 'bindRequest', 1: 'bindResponse', 2: 'unbindRequest', 3: 'searchRequest', 4: 'searchResEntry', 5: 'searchResDone',
  19: 'searchResRef', 6: 'modifyRequest', 7: 'modifyResponse', 8: 'addRequest', 9: 'addResponse', 10: 'delRequest',
  11: 'delResponse', 12: 'modDNRequest', 13: 'modDNResponse', 14: 'compareRequest', 15: 'compareResponse',
  16: 'abandonRequest', 23: 'extendedReq', 24: 'extendedResp', 25: 'intermediateResponse',
};
const REQUESTS = new Set([0, 2, 3, 6, 8, 10, 12, 14, 16, 23]);
export const RESULT_CODES: Record<number, string> = {
  0: 'success', 1: 'operationsError', 2: 'protocolError', 3: 'timeLimitExceeded', 4: 'sizeLimitExceeded', 5: 'compareFalse',
  6: 'compareTrue', 7: 'authMethodNotSupported', 8: 'strongAuthRequired', 10: 'referral', 11: 'adminLimitExceeded',
  12: 'unavailableCriticalExtension', 13: 'confidentialityRequired', 14: 'saslBindInProgress', 16: 'noSuchAttribute',
  17: 'undefinedAttributeType', 18: 'inappropriateMatching', 19: 'constraintViolation', 20: 'attributeOrValueExists',
  21: 'invalidAttributeSyntax', 32: 'noSuchObject', 33: 'aliasProblem', 34: 'invalidDNSyntax', 36: 'aliasDereferencingProblem',
  48: 'inappropriateAuthentication', 49: 'invalidCredentials', 50: 'insufficientAccessRights', 51: 'busy', 52: 'unavailable',
  53: 'unwillingToPerform', 54: 'loopDetect', 64: 'namingViolation', 65: 'objectClassViolation', 66: 'notAllowedOnNonLeaf',
  67: 'notAllowedOnRDN', 68: 'entryAlreadyExists', 69: 'objectClassModsProhibited', 71: 'affectsMultipleDSAs', 80: 'other',
  118: 'canceled', 119: 'noSuchOperation', 120: 'tooLate', 121: 'cannotCancel',
};
const SCOPES = ['baseObject', 'singleLevel', 'wholeSubtree'];
const DEREFS = ['neverDerefAliases', 'derefInSearching', 'derefFindingBaseObj', 'derefAlways'];
const FILTERS = ['and', 'or', 'not', 'equalityMatch', 'substrings', 'greaterOrEqual', 'lessOrEqual', 'present', 'approxMatch', 'extensibleMatch'];
const MOD_OPS = ['add', 'delete', 'replace', 'increment'];
const SUBSTR = ['initial', 'any', 'final'];

/** OID names tshark resolves (its oids table and the LDAP registrations) for the OIDs LDAP commonly carries. */
export const OID_NAMES: Record<string, string> = {
  '1.3.6.1.4.1.1466.20037': 'LDAP_START_TLS_OID',
  '1.3.6.1.4.1.4203.1.11.1': 'passwdModifyOID',
  '1.3.6.1.1.8': 'cancelRequestOID',
  '1.3.6.1.4.1.4203.1.9.1.1': 'syncRequestOID',
  '1.3.6.1.4.1.4203.1.9.1.2': 'syncStateOID',
  '1.3.6.1.4.1.4203.1.9.1.3': 'syncDoneOID',
  '1.3.6.1.4.1.4203.1.9.1.4': 'syncInfoOID',
  '1.3.6.1.4.1.42.2.27.8.5.1': 'passwordPolicy',
  '1.2.840.113556.1.4.319': 'pagedResultsControl',
  '1.2.840.113556.1.4.473': 'sortKeyList',
  '1.2.840.113556.1.4.474': 'sortResult',
  '1.2.840.113556.1.4.841': 'dirsync',
  '1.2.840.113556.1.4.800': 'LDAP_CAP_ACTIVE_DIRECTORY_OID',
  '1.2.840.113556.1.4.1670': 'LDAP_CAP_ACTIVE_DIRECTORY_V51_OID',
  '1.2.840.113556.1.4.1791': 'LDAP_CAP_ACTIVE_DIRECTORY_LDAP_INTEG_OID',
  '1.2.840.113556.1.4.801': 'LDAP_SERVER_SD_FLAGS_OID',
  '1.2.840.113556.1.4.528': 'LDAP_SERVER_NOTIFICATION_OID',
  '1.2.840.113556.1.4.417': 'LDAP_SERVER_SHOW_DELETED_OID',
  '1.2.840.113556.1.4.619': 'LDAP_SERVER_LAZY_COMMIT_OID',
  '1.2.840.113556.1.4.529': 'LDAP_SERVER_EXTENDED_DN_OID',
  '1.2.840.113556.1.4.805': 'LDAP_SERVER_TREE_DELETE_OID',
  '1.2.840.113556.1.4.521': 'LDAP_SERVER_CROSSDOM_MOVE_TARGET_OID',
  '1.2.840.113556.1.4.970': 'LDAP_SERVER_GET_STATS_OID',
  '1.2.840.113556.1.4.1338': 'LDAP_SERVER_VERIFY_NAME_OID',
  '1.2.840.113556.1.4.1339': 'LDAP_SERVER_DOMAIN_SCOPE_OID',
  '1.2.840.113556.1.4.1340': 'LDAP_SERVER_SEARCH_OPTIONS_OID',
  '1.2.840.113556.1.4.1413': 'LDAP_SERVER_PERMISSIVE_MODIFY_OID',
  '2.16.840.1.113730.3.4.9': 'VLV Request LDAPv3 control',
  '2.16.840.1.113730.3.4.10': 'VLV Response LDAPv3 control',
  '1.2.840.113556.1.4.1504': 'LDAP_SERVER_ASQ_OID',
  '1.2.840.113556.1.4.1852': 'LDAP_SERVER_QUOTA_CONTROL_OID',
  '1.2.840.113556.1.4.802': 'LDAP_SERVER_RANGE_OPTION_OID',
  '1.2.840.113556.1.4.1907': 'LDAP_SERVER_SHUTDOWN_NOTIFY_OID',
  '1.2.840.113556.1.4.1948': 'LDAP_SERVER_RANGE_RETRIEVAL_NOERR_OID',
  '1.2.840.113556.1.4.1974': 'LDAP_SERVER_FORCE_UPDATE_OID',
  '1.2.840.113556.1.4.1341': 'LDAP_SERVER_RODC_DCPROMO_OID',
  '1.2.840.113556.1.4.2026': 'LDAP_SERVER_DN_INPUT_OID',
  '1.2.840.113556.1.4.2064': 'LDAP_SERVER_SHOW_RECYCLED_OID',
  '1.2.840.113556.1.4.2065': 'LDAP_SERVER_SHOW_DEACTIVATED_LINK_OID',
  '1.2.840.113556.1.4.2066': 'LDAP_SERVER_POLICY_HINTS_DEPRECATED_OID',
  '1.2.840.113556.1.4.2090': 'LDAP_SERVER_DIRSYNC_EX_OID',
  '1.2.840.113556.1.4.2205': 'LDAP_SERVER_UPDATE_STATS_OID',
  '1.2.840.113556.1.4.2204': 'LDAP_SERVER_TREE_DELETE_EX_OID',
  '1.2.840.113556.1.4.2206': 'LDAP_SERVER_SEARCH_HINTS_OID',
  '1.2.840.113556.1.4.2211': 'LDAP_SERVER_EXPECTED_ENTRY_COUNT_OID',
  '1.2.840.113556.1.4.2239': 'LDAP_SERVER_POLICY_HINTS_OID',
  '1.2.840.113556.1.4.2255': 'LDAP_SERVER_SET_OWNER_OID',
  '1.2.840.113556.1.4.2256': 'LDAP_SERVER_BYPASS_QUOTA_OID',
  '1.2.840.113556.1.4.2309': 'LDAP_SERVER_LINK_TTL_OID',
  '1.2.840.113556.1.4.2330': 'LDAP_SERVER_SET_CORRELATION_ID_OID',
  '1.2.840.113556.1.4.2354': 'LDAP_SERVER_THREAD_TRACE_OVERRIDE_OID',
};
/** Attribute types whose values tshark shows as OIDs (ldap.oid). */
const OID_ATTRS = new Set(['supportedControl', 'supportedExtension', 'supportedCapabilities', 'supportedFeatures']);

/** OID arcs tshark names when it knows no more of an OID: the longest one prefixes the other arcs. */
const OID_PREFIXES: [string, string][] = [['1.2.840', 'ISO assigned OIDs, USA'], ['0', 'itu-t'], ['1', 'iso'], ['2', 'joint-iso-itu-t']];

/** tshark's oid_resolved_from_string: the registered name, else the named prefix and the other arcs. */
export function oidName(oid: string): string | null {
  const n = OID_NAMES[oid];
  if (n !== undefined) return n;
  for (const [p, name] of OID_PREFIXES) if (oid.startsWith(p + '.')) return `${name}.${oid.slice(p.length + 1)}`;
  return null;
}

function oidText(oid: string): string {
  const n = oidName(oid);
  return n === null ? oid : `${oid} (${n})`;
}

/** OIDs whose values tshark hands to a registered dissector (ldap.cnf #.REGISTER). */
const REGISTERED_OIDS = new Set([
  '1.2.840.113556.1.4.319', '1.2.840.113556.1.4.473', '1.2.840.113556.1.4.474', '1.2.840.113556.1.4.841', '1.3.6.1.4.1.4203.1.11.1',
  '1.3.6.1.1.8', '1.3.6.1.4.1.4203.1.9.1.1', '1.3.6.1.4.1.4203.1.9.1.2', '1.3.6.1.4.1.4203.1.9.1.3', '1.3.6.1.4.1.4203.1.9.1.4',
  '1.3.6.1.4.1.42.2.27.8.5.1',
]);

/** The connection's LDAP state (per TCP stream, both directions). */
export interface LdapSession {
  /** searchResEntry messages seen on the connection (tshark's num_results: never reset). */
  results: number;
  /** A StartTLS extended request was sent. */
  startTlsPending: boolean;
  /** A successful StartTLS response went by: the rest of the connection is TLS. */
  tls: boolean;
  /** Requests by messageID (frame, time), bounded. */
  calls: Map<number, { frame: number; ts: bigint }>;
  /** The SASL mechanism of the last bind (tshark's auth_mech), or null. */
  mech: string | null;
  /**
   * A bind response carried SASL credentials after a SASL bind: later buffers that start with a zero
   * byte are SASL security-layer buffers (a 4-byte length), tshark's first_auth_frame heuristic.
   */
  sasl: boolean;
}
export function newLdapSession(): LdapSession {
  return { results: 0, startTlsPending: false, tls: false, calls: new Map(), mech: null, sasl: false };
}
const MAX_CALLS = 4096;

/** One LDAPMessage of a layer, with what the connection knew when it was read. */
export interface LdapItem {
  start: number;
  end: number;
  /** Entries counted on the connection when this message was read. */
  results: number;
  /** The request this answers (frame number) and the time since, or 0. */
  responseTo: number;
  dt: bigint;
}

export interface LdapD {
  items: LdapItem[];
  info: string | null;
  fields: Field[] | null;
  /** controls with a value tshark hands to another registered dissector (its "ldap" again in frame.protocols). */
  extraProto: number;
  /** A SASL security-layer buffer (4-byte length, a GSS-API Kerberos wrap token, then the messages), or null. */
  sasl: { payload: number; sealed: boolean } | null;
  /** Not listed again in frame.protocols (a message right after another in the same frame). */
  quiet: boolean;
  /** Info of the frame's earlier LDAP layers and the separator (a reassembled message before those whole in the frame). */
  prefix: string;
  /** Between the messages' Info: ' | ' over TCP (tshark's fence per PDU), '' in a CLDAP datagram (one PDU). */
  sep: string;
  /** A CLDAP datagram: a message longer than the datagram is read as far as it goes. */
  datagram: boolean;
}

class Stop {
  constructor(readonly at: number, readonly why: string) {}
}

interface Ctx {
  buf: Uint8Array;
  out: boolean;
  info: string;
  /** tshark's do_protocolop: the op name is put in Info once per message. */
  opPending: boolean;
  op: number;
  messageId: number;
  /** The LDAPMessage item (tree text gets the summary). */
  top: Field | null;
  /** The field whose text gets the summary (tshark's ldm_tree; moved by abandonRequest). */
  ldm: Field | null;
  filterStr: string | null;
  attrDesc: string | null;
  value: string | null;
  attrType: string | null;
  filterCount: number;
  extraProto: number;
  results: number;
  /** Items running past `end` are clipped to it (a CLDAP datagram), and `cut` then set. */
  clip: boolean;
  end: number;
  cut: boolean;
}

/** A TLV clipped to the datagram's end (Ctx.clip): `rvend`, where its length says it ends. */
interface Clipped extends Tlv {
  rvend?: number;
}

/** The TLV at p inside [.., end); `reported`: where the container's length says it ends (past end when it was clipped). */
function tlvAt(c: Ctx, p: number, end: number, reported = end): Tlv {
  const t = readTlv(c.buf, p, end);
  if (isBerError(t)) throw new Stop(t.at, `BER: ${t.why}`);
  if (t.short && c.clip && end === c.end && t.vend <= reported) {
    // a message cut by its datagram's end: read on as far as the bytes go (tshark's cut tvb; an item
    // longer than its container is still an error)
    c.cut = true;
    const k: Clipped = { ...t, vend: end, short: false, rvend: t.vend };
    return k;
  }
  if (t.short) throw new Stop(p, `BER: length ${t.vend - t.vstart} of the item at ${p} runs past its container`);
  return t;
}

function doOp(c: Ctx): void {
  if (!c.opPending) return;
  c.opPending = false;
  const name = OPS[c.op] ?? `Unknown (${c.op})`;
  c.info += `${name}(${c.messageId}) `;
  if (c.ldm) c.ldm.text += ` ${name}(${c.messageId})`;
}

const utf8 = new TextDecoder('utf-8');
function str(c: Ctx, t: Tlv): string {
  return utf8.decode(c.buf.subarray(t.vstart, t.vend));
}
function printable(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] < 0x20 || buf[i] >= 0x7f) return false;
  return true;
}

function items(n: number): string {
  return `${n} item${n === 1 ? '' : 's'}`;
}

/** An FT_NONE item: -T fields shows "1" for it, as tshark 4.0 does. */
function fNone(key: string, text: string, t: Tlv, kids: Field[]): Field {
  const f = fStr(key, text, '1', t.start, t.vend - t.start);
  f.text = text;
  f.children = kids;
  return f;
}

/** An LDAPString: the field, Info as tshark's LDAPString body does. */
function ldapString(c: Ctx, t: Tlv, key: string, label: string, out: Field[]): string {
  const s = str(c, t);
  if (c.out) out.push(fStr(key, label, s, t.start, t.vend - t.start));
  doOp(c);
  if (key === 'ldap.baseObject' || key === 'ldap.objectName' || key === 'ldap.name' || key === 'ldap.entry' || key === 'ldap.object' || key === 'ldap.delRequest') {
    const shown = s === '' ? '<ROOT>' : s;
    c.info += `"${shown}" `;
    if (c.ldm) c.ldm.text += ` "${shown}"`;
  } else if (key === 'ldap.errorMessage' && s !== '') {
    c.info += `(${s}) `;
    if (c.ldm) c.ldm.text += ` (${s})`;
  }
  return s;
}

function intField(c: Ctx, t: Tlv, key: string, label: string, out: Field[], names?: readonly string[] | Record<number, string>): number {
  const v = berInt(c.buf, t.vstart, t.vend);
  if (v === null) throw new Stop(t.start, `BER: ${label}: length of item (${t.vend - t.vstart}) is not valid`);
  if (c.out) {
    const f = fUint(key, label, v, t.start, t.vend - t.start);
    if (names) f.text = `${label}: ${(names as Record<number, string>)[v] ?? `Unknown (${v})`} (${v})`;
    out.push(f);
  }
  return v;
}

function boolField(c: Ctx, t: Tlv, key: string, label: string, out: Field[]): boolean {
  if (t.vend - t.vstart !== 1) throw new Stop(t.start, `BER Error: ${label}: length of item (${t.vend - t.vstart}) is not valid`);
  const v = c.buf[t.vstart] !== 0;
  if (c.out) {
    const f = fBool(key, label, v, t.start, t.vend - t.start);
    f.text = `${label}: ${v ? 'True' : 'False'}`;
    out.push(f);
  }
  return v;
}

function bytesField(c: Ctx, t: Tlv, key: string, label: string, out: Field[]): void {
  if (!c.out) return;
  const f = fBytes(key, label, c.buf, t.vstart, t.vend);
  if (t.vend === t.vstart) {
    f.show = '<MISSING>';
    f.text = `${label}: <MISSING>`;
  }
  f.start = t.start;
  f.len = t.vend - t.start;
  out.push(f);
}

/** A TLV that could not be read: walkers throw its Stop when they reach it, after the items before it. */
interface BadTlv extends Tlv {
  bad?: Stop;
}

/** The TLVs inside a constructed value (bounded by its contents); a bad one ends the list. */
function children(c: Ctx, t: Tlv): BadTlv[] {
  const out: BadTlv[] = [];
  for (let p = t.vstart; p < t.vend; ) {
    let k: Tlv;
    try {
      k = tlvAt(c, p, t.vend, (t as Clipped).rvend ?? t.vend);
    } catch (x) {
      if (!(x instanceof Stop)) throw x;
      out.push({ cls: -1, cons: false, tag: -1, start: p, vstart: p, vend: t.vend, short: true, bad: x });
      break;
    }
    out.push(k);
    p = k.vend;
    if (out.length > 100000) throw new Stop(p, 'too many items');
  }
  return out;
}

function* each(list: readonly BadTlv[]): Generator<Tlv> {
  for (const x of list) {
    if (x.bad) throw x.bad;
    yield x;
  }
}

/** How many good TLVs a list holds. */
function count(list: readonly BadTlv[]): number {
  return list.length > 0 && list[list.length - 1].bad ? list.length - 1 : list.length;
}

function expect(_c: Ctx, t: BadTlv | undefined, what: string, at: number): Tlv {
  if (t === undefined) throw new Stop(at, `${what} missing`);
  if (t.bad) throw t.bad;
  return t;
}

/** AttributeValue: bytes; text of a printable value; OIDs of the OID-valued types. */
function attrValue(c: Ctx, t: Tlv, type: string, out: Field[]): void {
  if (type === 'netlogon') {
    // tshark's "netlogon" attribute dissector (case-sensitive: "Netlogon" stays bytes); read for its
    // damage even without fields, which ends the message as tshark's exception does
    const r = netlogonFields(c.buf, t.vstart, t.vend);
    if (c.out) for (const f of r.fields) out.push(f);
    if (r.cut >= 0) throw new Stop(r.cut, 'netlogon value cut short');
    return;
  }
  if (!c.out) return;
  if (OID_ATTRS.has(type)) {
    const s = latin1Text(c.buf, t.vstart, t.vend);
    const f = fStr('ldap.oid', 'OID', s, t.vstart, t.vend - t.vstart);
    f.text = `OID: ${oidText(s)}`;
    out.push(f);
    return;
  }
  const f = fBytes('ldap.AttributeValue', 'AttributeValue', c.buf, t.vstart, t.vend);
  f.start = t.start;
  f.len = t.vend - t.start;
  if (t.vend === t.vstart) f.show = '<MISSING>';
  if (printable(c.buf, t.vstart, t.vend)) f.text = `AttributeValue: ${str(c, t)}`;
  else if (t.vend === t.vstart) f.text = 'AttributeValue: <MISSING>';
  out.push(f);
}

/**
 * An AssertionValue of a filter, as tshark's ldap.cnf reads it: an LDAP ping's NtVer as its flag word
 * (4 bytes, little endian: "0x00000016"), a 16-byte DomainGuid as a GUID, printable ASCII as text, any
 * other bytes as colon-separated hex. Sets c.value for the filter string.
 */
function assertionValue(c: Ctx, vt: Tlv, out: Field[]): void {
  const b = c.buf, s = vt.vstart, n = vt.vend - vt.vstart;
  const desc = c.attrDesc ?? '';
  if (desc.startsWith('NtVer')) {
    if (n < 4) throw new Stop(s, 'NtVer value shorter than 4 bytes');
    c.value = '0x' + u32le(b, s).toString(16).padStart(8, '0');
    if (c.out) out.push(ntVersionField(b, s));
    return;
  }
  if (n === 16 && desc.startsWith('DomainGuid')) {
    c.value = guid(b, s);
    if (c.out) out.push(fStr('ldap.guid', 'GUID', c.value, s, 16));
    return;
  }
  c.value = printable(b, s, vt.vend) ? str(c, vt) : fmtBytesSep(b, s, vt.vend);
  if (c.out) out.push(fStr('ldap.assertionValue', 'assertionValue', c.value, vt.start, vt.vend - vt.start));
}

/** PartialAttribute / Attribute: type, vals. */
function attribute(c: Ctx, t: Tlv, key: string, label: string, out: Field[]): void {
  const kids: Field[] = [];
  const f = fNone(key, label, t, kids);
  out.push(f);
  const [ty, vals] = children(c, t);
  const type = ldapString(c, expect(c, ty, 'type', t.vstart), 'ldap.type', 'type', kids);
  f.text += ` ${type}`;
  const vt = expect(c, vals, 'vals', t.vend);
  const vk: Field[] = [];
  const vs = children(c, vt);
  if (c.out) {
    const vf = fUint('ldap.vals', 'vals', count(vs), vt.start, vt.vend - vt.start);
    vf.text = `vals: ${items(count(vs))}`;
    vf.children = vk;
    kids.push(vf);
  }
  for (const v of each(vs)) attrValue(c, v, type, vk);
}

function countField(c: Ctx, t: Tlv, key: string, label: string, n: number, out: Field[]): Field[] {
  const kids: Field[] = [];
  if (c.out) {
    const f = fUint(key, label, n, t.start, t.vend - t.start);
    f.text = `${label}: ${items(n)}`;
    f.children = kids;
    out.push(f);
  }
  return kids;
}

/** LDAPResult (resultCode, matchedDN, diagnosticMessage, referral); returns the tags after it. */
function ldapResult(c: Ctx, ks: Tlv[], out: Field[], at: number): Tlv[] {
  const rc = intField(c, expect(c, ks[0], 'resultCode', at), 'ldap.resultCode', 'resultCode', out, RESULT_CODES);
  doOp(c);
  if (c.op !== 24) {
    const name = RESULT_CODES[rc] ?? `Unknown result(${rc})`;
    c.info += `${name} `;
    if (c.ldm) c.ldm.text += ` ${name}`;
  }
  ldapString(c, expect(c, ks[1], 'matchedDN', at), 'ldap.matchedDN', 'matchedDN', out);
  ldapString(c, expect(c, ks[2], 'errorMessage', at), 'ldap.errorMessage', 'errorMessage', out);
  let i = 3;
  if (ks[i] && ks[i].cls === 2 && ks[i].tag === 3) {
    const urls = children(c, ks[i]);
    const kids = countField(c, ks[i], 'ldap.referral', 'referral', count(urls), out);
    for (const u of each(urls)) ldapString(c, u, 'ldap.LDAPURL', 'LDAPURL', kids);
    i++;
  }
  return ks.slice(i);
}

/** A Filter: its text (tshark's Filter_string), fields under `out` with the choice's key. */
function filter(c: Ctx, t: Tlv, choiceKey: string, choiceLabel: string, out: Field[], depth: number): void {
  if (depth > BER_MAX_DEPTH || ++c.filterCount > 1000) throw new Stop(t.start, 'Found too many filter elements. Giving up.');
  c.attrDesc = null;
  const kids: Field[] = [];
  const ff = fText('Filter: ', t.start, t.vend - t.start, kids);
  out.push(ff);
  const choice = t.cls === 2 ? t.tag : -1;
  const cname = FILTERS[choice];
  if (cname === undefined) throw new Stop(t.start, `BER: unknown filter choice ${t.tag}`);
  const inner: Field[] = [];
  if (c.out) {
    const cf = fUint(choiceKey, choiceLabel, choice, t.start, t.vend - t.start);
    cf.text = `${choiceLabel}: ${cname} (${choice})`;
    cf.children = inner;
    kids.push(cf);
  }
  switch (choice) {
    case 0:
    case 1: {
      const sym = choice === 0 ? '&' : '|';
      const sub: Field[] = [];
      const head = fText(`${cname}: `, t.start, t.vend - t.start, sub);
      inner.push(head);
      const fs = children(c, t);
      const list = countField(c, t, `ldap.${cname}`, cname, count(fs), sub);
      let acc: string | null = null;
      for (const x of each(fs)) {
        filter(c, x, `ldap.${cname}_item`, `${cname} item`, list, depth + 1);
        acc = acc === null ? c.filterStr : `(${sym}${acc}${c.filterStr ?? '(null)'})`;
      }
      if (acc !== null) {
        head.text = head.label + acc;
        head.label = head.text;
        c.filterStr = acc;
      }
      break;
    }
    case 2: {
      const x = tlvAt(c, t.vstart, t.vend);
      filter(c, x, 'ldap.not', 'not', inner, depth + 1);
      c.filterStr = `(!${c.filterStr ?? '(null)'})`;
      break;
    }
    case 3:
    case 5:
    case 6:
    case 8: {
      const el: Field[] = [];
      inner.push(fNone(`ldap.${cname}_element`, cname, t, el));
      const [a, v] = children(c, t);
      c.attrDesc = ldapString(c, expect(c, a, 'attributeDesc', t.vstart), 'ldap.attributeDesc', 'attributeDesc', el);
      const vt = expect(c, v, 'assertionValue', t.vend);
      assertionValue(c, vt, el);
      const op = choice === 3 ? '=' : choice === 5 ? '>=' : choice === 6 ? '<=' : '~=';
      c.filterStr = `(${c.attrDesc}${op}${c.value})`;
      break;
    }
    case 4: {
      const sub: Field[] = [];
      const head = fText('substring: ', t.start, t.vend - t.start, sub);
      inner.push(head);
      const el: Field[] = [];
      const ef = fNone('ldap.substrings_element', 'substrings', t, el);
      sub.push(ef);
      const [ty, ss] = children(c, t);
      const type = ldapString(c, expect(c, ty, 'type', t.vstart), 'ldap.type', 'type', el);
      ef.text += ` ${type}`;
      const st = expect(c, ss, 'substrings', t.vend);
      const parts = children(c, st);
      const list = countField(c, st, 'ldap.substrings', 'substrings', count(parts), el);
      let val: string | null = null;
      for (const p of each(parts)) {
        const k = p.tag;
        const kn = SUBSTR[k] ?? `Unknown (${k})`;
        const pk: Field[] = [];
        if (c.out) {
          const pf = fUint('ldap.substrings_item', 'substrings item', k, p.start, p.vend - p.start);
          pf.text = `substrings item: ${kn} (${k})`;
          pf.children = pk;
          list.push(pf);
        }
        if (k > 2) throw new Stop(p.start, `BER: unknown substring choice ${k}`);
        const s = ldapString(c, p, `ldap.${kn}`, kn, pk);
        val = k === 2 ? `${val ?? '*'}${s}` : k === 1 ? `${val ?? '*'}${s}*` : `${s}*`;
      }
      c.filterStr = `(${type}=${val ?? '(null)'})`;
      head.text = head.label + c.filterStr;
      break;
    }
    case 7: {
      const s = str(c, t);
      if (c.out) inner.push(fStr('ldap.present', 'present', s, t.start, t.vend - t.start));
      doOp(c);
      c.filterStr = `(${s}=*)`;
      break;
    }
    case 9: {
      const el: Field[] = [];
      const ef = fNone('ldap.extensibleMatch_element', 'extensibleMatch', t, el);
      inner.push(ef);
      let rule: string | null = null, type: string | null = null, value: string | null = null, dn = false;
      for (const x of each(children(c, t))) {
        if (x.tag === 1) rule = ldapString(c, x, 'ldap.matchingRule', 'matchingRule', el);
        else if (x.tag === 2) {
          type = ldapString(c, x, 'ldap.type', 'type', el);
          ef.text += ` ${type}`;
        } else if (x.tag === 3) {
          value = str(c, x);
          if (c.out) el.push(fStr('ldap.matchValue', 'matchValue', value, x.start, x.vend - x.start));
        } else if (x.tag === 4) dn = boolField(c, x, 'ldap.dnAttributes', 'dnAttributes', el);
      }
      c.filterStr = `(${type ?? ''}:${dn ? 'dn:' : ''}${rule ?? ''}${rule !== null ? ':' : ''}=${value ?? '(null)'})`;
      break;
    }
  }
  if (c.filterStr !== null) {
    ff.text = ff.label + c.filterStr;
    ff.label = ff.text;
  }
}

function control(c: Ctx, t: Tlv, out: Field[]): void {
  const kids: Field[] = [];
  out.push(fNone('ldap.Control_element', 'Control', t, kids));
  const ks = children(c, t);
  const ot = expect(c, ks[0], 'controlType', t.vstart);
  const oid = str(c, ot);
  if (c.out) {
    const f = fStr('ldap.controlType', 'controlType', oid, ot.start, ot.vend - ot.start);
    f.text = `controlType: ${oidText(oid)}`;
    kids.push(f);
  }
  for (const k of each(ks.slice(1))) {
    if (k.cls === 0 && k.tag === 1) boolField(c, k, 'ldap.criticality', 'criticality', kids);
    else if (k.cls === 0 && k.tag === 4) {
      if (oid === '1.2.840.113556.1.4.319') {
        // SearchControlValue (the paged results control), as tshark's registered dissector
        c.extraProto++;
        const sv = tlvAt(c, k.vstart, k.vend);
        const sk: Field[] = [];
        kids.push(fNone('ldap.SearchControlValue_element', 'SearchControlValue', sv, sk));
        const [size, cookie] = children(c, sv);
        intField(c, expect(c, size, 'size', sv.vstart), 'ldap.size', 'size', sk);
        bytesField(c, expect(c, cookie, 'cookie', sv.vend), 'ldap.cookie', 'cookie', sk);
      } else bytesField(c, k, 'ldap.controlValue', 'controlValue', kids);
    }
  }
}

function oidField(c: Ctx, t: Tlv, key: string, label: string, out: Field[]): string {
  const oid = str(c, t);
  if (c.out) {
    const f = fStr(key, label, oid, t.start, t.vend - t.start);
    f.text = `${label}: ${oidText(oid)}`;
    out.push(f);
  }
  return oid;
}

/** An extended operation's request or response name: the OID field, and its name in Info when it has one. */
function namedOid(c: Ctx, k: Tlv, key: string, label: string, out: Field[]): void {
  const n = oidName(oidField(c, k, key, label, out));
  if (n === null) return;
  doOp(c);
  c.info += `${n} `;
}

function protocolOp(c: Ctx, t: Tlv, out: Field[]): void {
  const op = t.tag;
  const name = OPS[op] ?? `Unknown (${op})`;
  const ks = t.cons ? children(c, t) : [];
  const el: Field[] = [];
  const elem = (key: string) => out.push(fNone(key, name, t, el));
  switch (op) {
    case 0: {
      elem('ldap.bindRequest_element');
      intField(c, expect(c, ks[0], 'version', t.vstart), 'ldap.version', 'version', el);
      ldapString(c, expect(c, ks[1], 'name', t.vstart), 'ldap.name', 'name', el);
      const a = expect(c, ks[2], 'authentication', t.vend);
      const auth = a.cls === 2 ? a.tag : -1;
      const an = auth === 0 ? 'simple' : auth === 3 ? 'sasl' : auth === 10 ? 'ntlmsspNegotiate' : auth === 11 ? 'ntlmsspAuth' : `Unknown auth(${auth})`;
      const ak: Field[] = [];
      if (c.out) {
        const f = fUint('ldap.authentication', 'authentication', auth, a.start, a.vend - a.start);
        f.text = `authentication: ${an} (${auth})`;
        f.children = ak;
        el.push(f);
      }
      if (auth === 0 && c.out) ak.push(fStr('ldap.simple', 'simple', str(c, a), a.start, a.vend - a.start));
      else if (auth === 3) {
        const sk: Field[] = [];
        ak.push(fNone('ldap.sasl_element', 'sasl', a, sk));
        const [m, cr] = children(c, a);
        ldapString(c, expect(c, m, 'mechanism', a.vstart), 'ldap.mechanism', 'mechanism', sk);
        if (cr) bytesField(c, cr, 'ldap.credentials', 'credentials', sk);
      }
      doOp(c);
      if (auth !== 10 && auth !== 11) {
        c.info += `${an} `;
        if (c.ldm) c.ldm.text += ` ${an}`;
      }
      break;
    }
    case 1: {
      elem('ldap.bindResponse_element');
      const rest = ldapResult(c, ks, el, t.vstart);
      for (const k of each(rest)) if (k.cls === 2 && k.tag === 7) bytesField(c, k, 'ldap.serverSaslCreds', 'serverSaslCreds', el);
      break;
    }
    case 2:
      elem('ldap.unbindRequest_element');
      doOp(c);
      break;
    case 3: {
      elem('ldap.searchRequest_element');
      ldapString(c, expect(c, ks[0], 'baseObject', t.vstart), 'ldap.baseObject', 'baseObject', el);
      const sc = intField(c, expect(c, ks[1], 'scope', t.vend), 'ldap.scope', 'scope', el, SCOPES);
      doOp(c);
      const sn = SCOPES[sc] ?? `Unknown scope(${sc})`;
      c.info += `${sn} `;
      if (c.ldm) c.ldm.text += ` ${sn}`;
      intField(c, expect(c, ks[2], 'derefAliases', t.vend), 'ldap.derefAliases', 'derefAliases', el, DEREFS);
      intField(c, expect(c, ks[3], 'sizeLimit', t.vend), 'ldap.sizeLimit', 'sizeLimit', el);
      intField(c, expect(c, ks[4], 'timeLimit', t.vend), 'ldap.timeLimit', 'timeLimit', el);
      boolField(c, expect(c, ks[5], 'typesOnly', t.vend), 'ldap.typesOnly', 'typesOnly', el);
      c.filterStr = null;
      c.filterCount = 0;
      filter(c, expect(c, ks[6], 'filter', t.vend), 'ldap.filter', 'filter', el, 0);
      c.filterStr = null;
      const at = expect(c, ks[7], 'attributes', t.vend);
      const as = children(c, at);
      const kids = countField(c, at, 'ldap.attributes', 'attributes', count(as), el);
      for (const a of each(as)) ldapString(c, a, 'ldap.AttributeDescription', 'AttributeDescription', kids);
      break;
    }
    case 4: {
      elem('ldap.searchResEntry_element');
      ldapString(c, expect(c, ks[0], 'objectName', t.vstart), 'ldap.objectName', 'objectName', el);
      const at = expect(c, ks[1], 'attributes', t.vend);
      const as = children(c, at);
      const kids = countField(c, at, 'ldap.attributes', 'attributes', count(as), el);
      for (const a of each(as)) attribute(c, a, 'ldap.PartialAttributeList_item_element', 'PartialAttributeList item', kids);
      break;
    }
    case 6: {
      elem('ldap.modifyRequest_element');
      ldapString(c, expect(c, ks[0], 'object', t.vstart), 'ldap.object', 'object', el);
      const mt = expect(c, ks[1], 'modification', t.vend);
      const ms = children(c, mt);
      const kids = countField(c, mt, 'ldap.modification', 'modification', count(ms), el);
      for (const m of each(ms)) {
        const mk: Field[] = [];
        kids.push(fNone('ldap.modification_item_element', 'modification item', m, mk));
        const [o, mod] = children(c, m);
        intField(c, expect(c, o, 'operation', m.vstart), 'ldap.operation', 'operation', mk, MOD_OPS);
        attribute(c, expect(c, mod, 'modification', m.vend), 'ldap.modification_element', 'modification', mk);
      }
      break;
    }
    case 8: {
      elem('ldap.addRequest_element');
      ldapString(c, expect(c, ks[0], 'entry', t.vstart), 'ldap.entry', 'entry', el);
      const at = expect(c, ks[1], 'attributes', t.vend);
      const as = children(c, at);
      const kids = countField(c, at, 'ldap.attributes', 'attributes', count(as), el);
      for (const a of each(as)) attribute(c, a, 'ldap.AttributeList_item_element', 'AttributeList item', kids);
      break;
    }
    case 10:
      ldapString(c, t, 'ldap.delRequest', 'delRequest', out);
      break;
    case 12: {
      elem('ldap.modDNRequest_element');
      ldapString(c, expect(c, ks[0], 'entry', t.vstart), 'ldap.entry', 'entry', el);
      ldapString(c, expect(c, ks[1], 'newrdn', t.vend), 'ldap.newrdn', 'newrdn', el);
      boolField(c, expect(c, ks[2], 'deleteoldrdn', t.vend), 'ldap.deleteoldrdn', 'deleteoldrdn', el);
      if (ks[3]) ldapString(c, ks[3], 'ldap.newSuperior', 'newSuperior', el);
      break;
    }
    case 14: {
      elem('ldap.compareRequest_element');
      ldapString(c, expect(c, ks[0], 'entry', t.vstart), 'ldap.entry', 'entry', el);
      const av = expect(c, ks[1], 'ava', t.vend);
      const ak: Field[] = [];
      el.push(fNone('ldap.ava_element', 'ava', av, ak));
      const [a, v] = children(c, av);
      ldapString(c, expect(c, a, 'attributeDesc', av.vstart), 'ldap.attributeDesc', 'attributeDesc', ak);
      const vt = expect(c, v, 'assertionValue', av.vend);
      if (c.out) ak.push(fStr('ldap.assertionValue', 'assertionValue', str(c, vt), vt.start, vt.vend - vt.start));
      break;
    }
    case 16: {
      // the abandoned ID is a MessageID: tshark's global MessageID (and its tree) become this one's
      const v = intField(c, t, 'ldap.abandonRequest', 'abandonRequest', out);
      c.messageId = v;
      c.ldm = c.out ? (c.top?.children?.[1] ?? null) : null;
      doOp(c);
      break;
    }
    case 19: {
      const urls = ks;
      const kids = countField(c, t, 'ldap.searchResRef', 'searchResRef', count(urls), out);
      for (const u of each(urls)) ldapString(c, u, 'ldap.LDAPURL', 'LDAPURL', kids);
      doOp(c);
      break;
    }
    case 23: {
      elem('ldap.extendedReq_element');
      for (const k of each(ks)) {
        if (k.tag === 0) namedOid(c, k, 'ldap.requestName', 'requestName', el);
        else if (k.tag === 1) bytesField(c, k, 'ldap.requestValue', 'requestValue', el);
      }
      break;
    }
    case 24: {
      elem('ldap.extendedResp_element');
      const rest = ldapResult(c, ks, el, t.vstart);
      for (const k of each(rest)) {
        if (k.tag === 10) namedOid(c, k, 'ldap.responseName', 'responseName', el);
        else if (k.tag === 11) bytesField(c, k, 'ldap.response', 'response', el);
      }
      break;
    }
    case 25: {
      const ef = fNone('ldap.intermediateResponse_element', name, t, el);
      out.push(ef);
      let oid: string | null = null;
      for (const k of each(ks)) {
        if (k.tag === 0) {
          oid = oidField(c, k, 'ldap.responseName', 'responseName', el);
          const n = oidName(oid);
          if (n !== null) {
            doOp(c);
            c.info += `${n} `;
          }
        } else if (k.tag === 1) {
          if (c.ldm && oid !== null) c.ldm.text = `IntermediateResponse ${oidText(oid)}`;
          // a value of a registered OID goes to tshark's dissector for it (not decoded here)
          if (oid === null || !REGISTERED_OIDS.has(oid)) bytesField(c, k, 'ldap.responseValue', 'responseValue', el);
        }
      }
      break;
    }
    default:
      if (op === 5 || op === 7 || op === 9 || op === 11 || op === 13 || op === 15) {
        elem(`ldap.${name}_element`);
        ldapResult(c, ks, el, t.vstart);
        if (op === 5) {
          const r = ` [${c.results} result${c.results === 1 ? '' : 's'}]`;
          c.info += r;
          if (c.ldm) c.ldm.text += r;
        }
      }
  }
  if (op === 4 && c.ldm) c.ldm.text += ` [${c.results} result${c.results === 1 ? '' : 's'}]`;
}

/** One LDAPMessage at [s, e): Info text, fields when `out` is given; the problem, if any. */
function message(buf: Uint8Array, s: number, e: number, it: LdapItem, out: Field[] | null, clip = false): { info: string; op: number; id: number; stop: Stop | null; extraProto: number; oid: string | null; rc: number } {
  const c: Ctx = {
    buf, out: out !== null, info: '', opPending: false, op: -1, messageId: 0, top: null, ldm: null, filterStr: null, attrDesc: null,
    value: null, attrType: null, filterCount: 0, extraProto: 0, results: it.results, clip, end: e, cut: false,
  };
  let oid: string | null = null;
  let rc = -1;
  const sink = out ?? [];
  try {
    // a message longer than its datagram (`clip`): read what is there, as tshark does with a cut tvb
    const t = tlvAt(c, s, e, Infinity);
    if (t.cls !== 0 || t.tag !== 16) throw new Stop(s, 'BER: LDAPMessage is not a SEQUENCE');
    const kids: Field[] = [];
    if (c.out) {
      c.top = fNone('ldap.LDAPMessage_element', 'LDAPMessage', t, kids);
      sink.push(c.top);
      c.ldm = c.top;
    }
    const ks = children(c, t);
    const idt = expect(c, ks[0], 'messageID', t.vstart);
    c.messageId = intField(c, idt, 'ldap.messageID', 'messageID', kids);
    const opt = expect(c, ks[1], 'protocolOp', t.vend);
    if (opt.cls !== 1 || OPS[opt.tag] === undefined) {
      // tshark: an unknown CHOICE alternative leaves the message with its ID only
      return { info: '', op: -1, id: c.messageId, stop: null, extraProto: 0, oid, rc };
    }
    c.op = opt.tag;
    c.opPending = true;
    const ok: Field[] = [];
    if (c.out) {
      const f = fUint('ldap.protocolOp', 'protocolOp', c.op, opt.start, opt.vend - opt.start);
      f.text = `protocolOp: ${OPS[c.op]} (${c.op})`;
      f.children = ok;
      kids.push(f);
    }
    if (c.op === 23 || c.op === 24) {
      for (const k of opt.cons ? children(c, opt) : []) if (!k.bad) {
        if ((c.op === 23 && k.tag === 0 && k.cls === 2) || (c.op === 24 && k.tag === 10 && k.cls === 2)) oid = str(c, k);
      }
      if (c.op === 24 && opt.cons) {
        const r0 = children(c, opt)[0];
        if (r0) rc = berInt(buf, r0.vstart, r0.vend) ?? -1;
      }
    }
    protocolOp(c, opt, ok);
    const ct = ks[2];
    if (ct?.bad) throw ct.bad;
    if (ct && ct.cls === 2 && ct.tag === 0) {
      const cs = children(c, ct);
      const list = countField(c, ct, 'ldap.controls', 'controls', count(cs), kids);
      for (const x of each(cs)) control(c, x, list);
    }
    if (it.responseTo > 0 && c.out) {
      const rt = gen(fUint('ldap.response_to', 'Response To', it.responseTo, 0, 0));
      rt.text = `Response To: ${it.responseTo}`;
      const dt = relTime(it.dt);
      const tf = gen(fStr('ldap.time', 'Time', dt, 0, 0));
      tf.text = `Time: ${dt} seconds`;
      kids.push(rt, tf);
    }
    if (c.cut) throw new Stop(e, 'LDAPMessage cut short by the end of the datagram');
    return { info: c.info, op: c.op, id: c.messageId, stop: null, extraProto: c.extraProto, oid, rc };
  } catch (x) {
    if (!(x instanceof Stop)) throw x;
    return { info: c.info, op: c.op, id: c.messageId, stop: x, extraProto: c.extraProto, oid, rc };
  }
}

/**
 * Reads a message as the connection goes by (when its frame completes it): counts entries, pairs
 * responses with requests, follows StartTLS. Returns the item for the layer.
 */
export function ldapTrack(sess: LdapSession, buf: Uint8Array, s: number, e: number, frame: number, ts: bigint): LdapItem {
  const it: LdapItem = { start: s, end: e, results: sess.results, responseTo: 0, dt: 0n };
  // a cheap look at the ID and the operation
  const t = readTlv(buf, s, e);
  if (isBerError(t) || t.short) return it;
  const idt = readTlv(buf, t.vstart, t.vend);
  if (isBerError(idt) || idt.short) return it;
  const id = berInt(buf, idt.vstart, idt.vend);
  const opt = readTlv(buf, idt.vend, t.vend);
  if (id === null || isBerError(opt) || opt.cls !== 1) return it;
  const op = opt.tag;
  if (op === 4) sess.results++;
  it.results = sess.results;
  if (REQUESTS.has(op)) {
    if (op !== 2 && op !== 16) {
      if (sess.calls.size >= MAX_CALLS) sess.calls.delete(sess.calls.keys().next().value as number);
      sess.calls.set(id, { frame, ts });
    }
  } else if (OPS[op] !== undefined) {
    const rq = sess.calls.get(id);
    if (rq !== undefined) {
      it.responseTo = rq.frame;
      it.dt = ts - rq.ts;
    }
  }
  if (op === 0 || op === 1) {
    // bindRequest: the SASL mechanism; bindResponse: serverSaslCreds [7] after a SASL bind
    const ks: Tlv[] = [];
    for (let p = opt.vstart, k = 0; p < opt.vend && k < 8; k++) {
      const x = readTlv(buf, p, opt.vend);
      if (isBerError(x) || x.short) break;
      ks.push(x);
      p = x.vend;
    }
    if (op === 0 && ks[2]?.cls === 2 && ks[2].tag === 3) {
      const m = readTlv(buf, ks[2].vstart, ks[2].vend);
      if (!isBerError(m) && !m.short && m.vend > m.vstart) sess.mech = utf8.decode(buf.subarray(m.vstart, m.vend));
    } else if (op === 0 && ks[2]?.cls === 2 && ks[2].tag === 0) sess.mech = null;
    if (op === 1 && sess.mech !== null && ks.some((x) => x.cls === 2 && x.tag === 7)) sess.sasl = true;
  }
  if (op === 23 || op === 24) {
    const r = message(buf, s, e, it, null);
    if (op === 23 && r.oid === '1.3.6.1.4.1.1466.20037') sess.startTlsPending = true;
    if (op === 24 && sess.startTlsPending && r.rc === 0) {
      sess.tls = true;
      sess.startTlsPending = false;
    }
  }
  return it;
}

function walk(l: Layer<LdapD>, fields: boolean): void {
  if (l.d.info !== null && (!fields || l.d.fields !== null)) return;
  let out: Field[] | null = fields ? [] : null;
  const top = out;
  const infos: string[] = [];
  let extra = 0;
  const first = l.d.info === null;
  const sasl = l.d.sasl;
  if (sasl !== null && top !== null) {
    const b = l.buf, s = l.start;
    top.push(fUint('ldap.sasl_buffer_length', 'SASL Buffer Length', ((b[s] << 24) >>> 0) + (b[s + 1] << 16) + (b[s + 2] << 8) + b[s + 3], s, 4));
    const buffer: Field[] = [];
    top.push(fText('SASL Buffer', s + 4, l.end - s - 4, buffer));
    const tok: Field[] = [];
    buffer.push(fText('GSS-API Generic Security Service Application Program Interface', s + 4, sasl.payload - s - 4, tok));
    if (sasl.payload <= l.end) tok.push(fText(`krb5_blob: ${Buffer.from(b.subarray(s + 4, sasl.payload)).toString('hex')}`, s + 4, sasl.payload - s - 4));
    if (!sasl.sealed) {
      const inner: Field[] = [];
      const n = l.end - sasl.payload;
      buffer.push(fText(`GSS-API payload (${n} byte${n === 1 ? '' : 's'})`, sasl.payload, n, inner));
      out = inner;
    }
  }
  for (const it of l.d.items) {
    const r = message(l.buf, it.start, it.end, it, out, l.d.datagram);
    infos.push(r.info);
    extra += r.extraProto;
    if (r.stop !== null && first) l.problem('malformed', `LDAP: ${r.stop.why}`, Math.min(r.stop.at, it.end), l.end);
    if (r.stop !== null) break;
  }
  l.d.extraProto = extra;
  if (first) {
    if (sasl === null) l.d.info = l.d.prefix + infos.join(l.d.sep);
    else if (sasl.sealed) {
      const n = l.end - sasl.payload;
      l.d.info = `SASL GSS-API Privacy: payload (${n} byte${n === 1 ? '' : 's'})`;
    } else l.d.info = 'SASL GSS-API Integrity: ' + infos.join(' | ');
  }
  if (top !== null) l.d.fields = top;
}

/**
 * A SASL buffer at [start, end) (4-byte length, then a Kerberos CFX wrap token, RFC 4121): the LDAP
 * layer over the messages in its payload when it is only signed, as tshark's "SASL GSS-API Integrity";
 * sealed (encrypted) payloads are counted, not read. Tokens other than CFX wrap: no messages.
 */
export function ldapSaslLayer(sess: LdapSession, buf: Uint8Array, start: number, end: number, frame: number, ts: bigint): Layer<LdapD> {
  const l = new Layer<LdapD>(ldap, buf, start, end, { items: [], info: null, fields: null, extraProto: 0, prefix: '', sasl: null, quiet: false, sep: ' | ', datagram: false });
  const t = start + 4;
  let payload = end;
  let sealed = false;
  if (end - t >= 16 && buf[t] === 0x05 && buf[t + 1] === 0x04) {
    sealed = (buf[t + 2] & 0x02) !== 0;
    const rrc = (buf[t + 6] << 8) | buf[t + 7];
    payload = Math.min(end, t + 16 + (sealed ? 0 : rrc));
    for (let p = payload, k = 0; !sealed && p < end && k < 1024; k++) {
      const x = readTlv(buf, p, end);
      const e = isBerError(x) || x.short ? end : x.vend;
      l.d.items.push(ldapTrack(sess, buf, p, e, frame, ts));
      p = e;
    }
  } else l.problem('unsupported', 'SASL buffer without a Kerberos CFX wrap token: not decoded', t, end);
  l.d.sasl = { payload, sealed };
  walk(l, false);
  return l;
}

/** The LDAP layer over the messages `items` (whole, in the frame or one reassembled message). */
export function ldapLayer(buf: Uint8Array, start: number, end: number, items: LdapItem[], prefix = '', dis: Dissector<LdapD> = ldap, sep = ' | '): Layer<LdapD> {
  const l = new Layer<LdapD>(dis, buf, start, end, { items, info: null, fields: null, extraProto: 0, prefix, sasl: null, quiet: false, sep, datagram: sep === '' });
  walk(l, false);
  return l;
}

export const ldap: Dissector<LdapD> = {
  proto: 'ldap',
  name: 'Lightweight Directory Access Protocol',
  fieldKeys: [
    'ldap.LDAPMessage_element', 'ldap.messageID', 'ldap.protocolOp', 'ldap.controls', 'ldap.bindRequest_element', 'ldap.bindResponse_element',
    'ldap.unbindRequest_element', 'ldap.searchRequest_element', 'ldap.searchResEntry_element', 'ldap.searchResDone_element', 'ldap.searchResRef',
    'ldap.modifyRequest_element', 'ldap.modifyResponse_element', 'ldap.addRequest_element', 'ldap.addResponse_element', 'ldap.delRequest',
    'ldap.delResponse_element', 'ldap.modDNRequest_element', 'ldap.modDNResponse_element', 'ldap.compareRequest_element',
    'ldap.compareResponse_element', 'ldap.abandonRequest', 'ldap.extendedReq_element', 'ldap.extendedResp_element',
    'ldap.intermediateResponse_element', 'ldap.AttributeDescription', 'ldap.attributeDesc', 'ldap.assertionValue', 'ldap.type', 'ldap.vals',
    'ldap.AttributeValue', 'ldap.resultCode', 'ldap.matchedDN', 'ldap.errorMessage', 'ldap.referral', 'ldap.LDAPURL', 'ldap.Control_element',
    'ldap.controlType', 'ldap.criticality', 'ldap.controlValue', 'ldap.version', 'ldap.name', 'ldap.authentication', 'ldap.simple',
    'ldap.sasl_element', 'ldap.mechanism', 'ldap.credentials', 'ldap.serverSaslCreds', 'ldap.baseObject', 'ldap.scope', 'ldap.derefAliases',
    'ldap.sizeLimit', 'ldap.timeLimit', 'ldap.typesOnly', 'ldap.filter', 'ldap.attributes', 'ldap.and', 'ldap.and_item', 'ldap.or', 'ldap.or_item',
    'ldap.not', 'ldap.equalityMatch_element', 'ldap.substrings_element', 'ldap.greaterOrEqual_element', 'ldap.lessOrEqual_element', 'ldap.present',
    'ldap.approxMatch_element', 'ldap.extensibleMatch_element', 'ldap.substrings', 'ldap.substrings_item', 'ldap.initial', 'ldap.any', 'ldap.final',
    'ldap.matchingRule', 'ldap.matchValue', 'ldap.dnAttributes', 'ldap.objectName', 'ldap.PartialAttributeList_item_element', 'ldap.object',
    'ldap.modification', 'ldap.modification_item_element', 'ldap.operation', 'ldap.modification_element', 'ldap.entry', 'ldap.AttributeList_item_element',
    'ldap.newrdn', 'ldap.deleteoldrdn', 'ldap.newSuperior', 'ldap.ava_element', 'ldap.requestName', 'ldap.requestValue', 'ldap.responseName',
    'ldap.response', 'ldap.responseValue', 'ldap.oid', 'ldap.SearchControlValue_element', 'ldap.size', 'ldap.cookie', 'ldap.response_to', 'ldap.time', 'ldap.sasl_buffer_length', 'ldap.guid',
    ...MSCLDAP_KEYS,
  ],
  // reached through TCP reassembly (src/analysis/http/app.ts), not the port table
  registers: [],
  protocolsPart: (l) => {
    walk(l, false);
    const parts = l.d.quiet ? [] : ['ldap'];
    for (let i = 0; i < l.d.extraProto; i++) parts.push('ldap');
    if (l.d.sasl !== null) parts.push('gss-api', 'spnego-krb5');
    return parts.join(':');
  },

  dissect(buf, start, end) {
    return ldapLayer(buf, start, end, [{ start, end, results: 0, responseTo: 0, dt: 0n }]);
  },

  fields(l) {
    walk(l, true);
    return l.d.fields!;
  },

  info(l) {
    walk(l, false);
    return l.d.info!;
  },
};
