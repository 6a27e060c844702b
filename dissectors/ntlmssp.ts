// The security blob of an SMB2 Session Setup (and Negotiate response) as tshark 4.0 shows it: GSS-API (the
// [APPLICATION 0] wrapper with the mechanism OID, or a bare SPNEGO token), SPNEGO (negTokenInit: mechTypes,
// mechToken, negHints; negTokenTarg: negResult, supportedMech, responseToken, mechListMIC), and NTLMSSP in the
// token (NEGOTIATE, CHALLENGE with its target info AV pairs, AUTH with the NTLMv2 response, user, domain and
// host) and in the mechListMIC (the NTLMSSP verifier, a second "ntlmssp" in frame.protocols as in tshark).
// Built by gssLayers() for the SMB2 dissector; every read is bounded by the blob, nothing throws.

import { absTimeText, bitsText, fBytes, fHex, fStr, fText, fUint, latin1Text, u16le, u32le } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import { isBerError, readTlv, type Tlv } from '../src/dissect/ber.js';
import type { Dissector, Field } from '../src/dissect/types.js';

/** UTF-16LE text of [s, e) (an odd last byte is dropped). */
export function utf16Text(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i + 1 < e; i += 2) t += String.fromCharCode(b[i] | (b[i + 1] << 8));
  return t;
}

/** A Windows FILETIME (100 ns since 1601) as tshark prints an absolute time; 0: "No time specified". */
export function filetimeText(b: Uint8Array, at: number): string {
  const lo = u32le(b, at), hi = u32le(b, at + 4);
  const ft = BigInt(hi) * 4294967296n + BigInt(lo);
  if (ft === 0n) return absTimeText(0, 0);
  const t = ft - 116444736000000000n;
  let sec = t / 10000000n;
  let rem = t % 10000000n;
  if (rem < 0n) {
    rem += 10000000n;
    sec -= 1n;
  }
  return absTimeText(Number(sec), Number(rem) * 100);
}

/** A FILETIME field: smb2.create.time and the like ("No time specified (0)" in the tree for 0). */
export function fFiletime(key: string, label: string, b: Uint8Array, at: number): Field {
  const txt = filetimeText(b, at);
  const f = fStr(key, label, txt, at, 8);
  if (u32le(b, at) === 0 && u32le(b, at + 4) === 0) f.text = `${label}: No time specified (0)`;
  return f;
}

function oidText(b: Uint8Array, s: number, e: number): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = s; i < e; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

const OID_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.2': 'SPNEGO - Simple Protected Negotiation',
  '1.3.6.1.4.1.311.2.2.10': 'NTLMSSP - Microsoft NTLM Security Support Provider',
  '1.2.840.113554.1.2.2': 'KRB5 - Kerberos 5',
  '1.2.840.48018.1.2.2': 'MS KRB5 - Microsoft Kerberos 5',
  '1.2.840.113554.1.2.2.3': 'KRB5 - Kerberos 5 - User to User',
  '1.3.6.1.4.1.311.2.2.30': 'NEGOEX - SPNEGO Extended Negotiation Security Mechanism',
};

function fOid(key: string, label: string, b: Uint8Array, t: Tlv): Field {
  const o = oidText(b, t.vstart, t.vend);
  const f = fStr(key, label, o, t.start, t.vend - t.start);
  f.text = `${label}: ${o}${OID_NAMES[o] ? ` (${OID_NAMES[o]})` : ''}`;
  return f;
}

// ---- NTLMSSP --------------------------------------------------------------------------------------

const NTLM_TYPES: Record<number, string> = { 1: 'NTLMSSP_NEGOTIATE', 2: 'NTLMSSP_CHALLENGE', 3: 'NTLMSSP_AUTH' };
const NTLM_FLAGS: [number, string][] = [
  [0x80000000, 'Negotiate 56'], [0x40000000, 'Negotiate Key Exchange'], [0x20000000, 'Negotiate 128'], [0x10000000, 'Negotiate 0x10000000'],
  [0x08000000, 'Negotiate 0x08000000'], [0x04000000, 'Negotiate 0x04000000'], [0x02000000, 'Negotiate Version'], [0x01000000, 'Negotiate 0x01000000'],
  [0x00800000, 'Negotiate Target Info'], [0x00400000, 'Request Non-NT Session'], [0x00200000, 'Negotiate 0x00200000'], [0x00100000, 'Negotiate Identify'],
  [0x00080000, 'Negotiate Extended Security'], [0x00040000, 'Target Type Share'], [0x00020000, 'Target Type Server'], [0x00010000, 'Target Type Domain'],
  [0x00008000, 'Negotiate Always Sign'], [0x00004000, 'Negotiate 0x00004000'], [0x00002000, 'Negotiate OEM Workstation Supplied'],
  [0x00001000, 'Negotiate OEM Domain Supplied'], [0x00000800, 'Negotiate Anonymous'], [0x00000400, 'Negotiate NT Only'], [0x00000200, 'Negotiate NTLM key'],
  [0x00000100, 'Negotiate 0x00000100'], [0x00000080, 'Negotiate Lan Manager Key'], [0x00000040, 'Negotiate Datagram'], [0x00000020, 'Negotiate Seal'],
  [0x00000010, 'Negotiate Sign'], [0x00000008, 'Request 0x00000008'], [0x00000004, 'Request Target'], [0x00000002, 'Negotiate OEM'], [0x00000001, 'Negotiate UNICODE'],
];
const AV_NAMES: Record<number, [string, string]> = {
  0: ['End of list', ''], 1: ['NetBIOS computer name', 'nb_computer_name'], 2: ['NetBIOS domain name', 'nb_domain_name'],
  3: ['DNS computer name', 'dns_computer_name'], 4: ['DNS domain name', 'dns_domain_name'], 5: ['DNS tree name', 'dns_tree_name'],
  6: ['Flags', 'flags'], 7: ['Timestamp', 'timestamp'], 8: ['Restrictions', 'restrictions'], 9: ['Target Name', 'target_name'], 10: ['Channel Bindings', 'channel_bindings'],
};
const AV_LABELS: Record<number, string> = {
  1: 'NetBIOS Computer Name', 2: 'NetBIOS Domain Name', 3: 'DNS Computer Name', 4: 'DNS Domain Name', 5: 'DNS Tree Name', 6: 'Flags', 7: 'Timestamp',
  8: 'Restrictions', 9: 'Target Name', 10: 'Channel Bindings',
};

export interface NtlmD {
  /** 1 NEGOTIATE, 2 CHALLENGE, 3 AUTH, 0 the verifier (mechListMIC). */
  type: number;
  user: string;
  domain: string;
}

function flagsField(b: Uint8Array, at: number): Field {
  const v = u32le(b, at);
  const f = fHex('ntlmssp.negotiateflags', 'Negotiate Flags', v, at, 4);
  f.text = `Negotiate Flags: ${f.show}${NTLM_FLAGS.filter(([m]) => (v & m) >>> 0 !== 0).map(([, n]) => `, ${n}`).join('')}`;
  f.children = NTLM_FLAGS.map(([m, n]) => fText(`${bitsText(v, m, 32)} = ${n}: ${(v & m) >>> 0 !== 0 ? 'Set' : 'Not set'}`, at, 4));
  return f;
}

/** A security buffer (length, maxlen, offset) at `at` relative to the message at `base`: its bytes, or null. */
function secbuf(b: Uint8Array, at: number, base: number, end: number): { len: number; max: number; off: number; s: number; e: number; ok: boolean } {
  const len = u16le(b, at), max = u16le(b, at + 2), off = u32le(b, at + 4);
  const s = base + off;
  const ok = len === 0 || (s >= base && s + len <= end);
  return { len, max, off, s, e: ok ? s + len : s, ok };
}

/** The NTLMSSP message at [s, e): layer data (type, user, domain) cheaply; fields when `out` is given. */
function ntlmWalk(b: Uint8Array, s: number, e: number, out: Field[] | null, l: Layer<NtlmD>): void {
  const d = l.d;
  if (e - s < 12) {
    l.problem('malformed', 'NTLMSSP message: shorter than its 12-byte header', s, e);
    return;
  }
  const t = u32le(b, s + 8);
  d.type = t;
  if (out) {
    out.push(fStr('ntlmssp.identifier', 'NTLMSSP identifier', latin1Text(b, s, s + 7), s, 8));
    const tf = fHex('ntlmssp.messagetype', 'NTLM Message Type', t, s + 8, 4);
    tf.text = `NTLM Message Type: ${NTLM_TYPES[t] ?? 'Unknown'} (${tf.show})`;
    out.push(tf);
  }
  const need = (n: number) => {
    if (s + n <= e) return true;
    l.problem('malformed', `NTLMSSP ${NTLM_TYPES[t] ?? 'message'}: needs ${n} bytes, has ${e - s}`, s, e);
    return false;
  };
  const str = (key: string, label: string, at: number, unicode: boolean): string | null => {
    const sb = secbuf(b, at, s, e);
    if (!sb.ok) {
      l.problem('malformed', `NTLMSSP ${label.toLowerCase()}: offset ${sb.off} and length ${sb.len} run past the message`, at, at + 8);
      return null;
    }
    const v = sb.len === 0 ? '' : unicode ? utf16Text(b, sb.s, sb.e) : latin1Text(b, sb.s, sb.e);
    if (out) {
      const kids = [fUint('ntlmssp.string.length', 'Length', sb.len, at, 2), fUint('ntlmssp.string.maxlen', 'Maxlen', sb.max, at + 2, 2), fUint('ntlmssp.string.offset', 'Offset', sb.off, at + 4, 4)];
      if (sb.len === 0) {
        const f = fText(`${label}: NULL`, at, 8, kids);
        out.push(f);
      } else {
        const f = fStr(key, label, v, sb.s, sb.len);
        f.children = kids;
        out.push(f);
      }
    }
    return v;
  };
  const version = (at: number) => {
    if (!out || at + 8 > e) return;
    const maj = b[at], min = b[at + 1], build = u16le(b, at + 2), rev = b[at + 7];
    out.push(fText(`Version ${maj}.${min} (Build ${build}); NTLM Current Revision ${rev}`, at, 8, [
      fUint('ntlmssp.version.major', 'Major Version', maj, at, 1), fUint('ntlmssp.version.minor', 'Minor Version', min, at + 1, 1),
      fUint('ntlmssp.version.build_number', 'Build Number', build, at + 2, 2), fUint('ntlmssp.version.ntlm_current_revision', 'NTLM Current Revision', rev, at + 7, 1),
    ]));
  };
  if (t === 1) {
    if (!need(16)) return;
    const fl = u32le(b, s + 12);
    if (out) out.push(flagsField(b, s + 12));
    if (!need(32)) return;
    str('ntlmssp.negotiate.domain', 'Calling workstation domain', s + 16, false);
    str('ntlmssp.negotiate.callingworkstation', 'Calling workstation name', s + 24, false);
    if (fl & 0x02000000) version(s + 32);
  } else if (t === 2) {
    if (!need(32)) return;
    const fl = u32le(b, s + 20);
    const uni = (fl & 1) !== 0;
    str('ntlmssp.challenge.target_name', 'Target Name', s + 12, uni);
    if (out) {
      out.push(flagsField(b, s + 20));
      out.push(fBytes('ntlmssp.ntlmserverchallenge', 'NTLM Server Challenge', b, s + 24, s + 32));
      if (s + 40 <= e) out.push(fBytes('ntlmssp.reserved', 'Reserved', b, s + 32, s + 40));
    }
    if (!need(48)) return;
    const ti = secbuf(b, s + 40, s, e);
    if (!ti.ok) l.problem('malformed', `NTLMSSP target info: offset ${ti.off} and length ${ti.len} run past the message`, s + 40, s + 48);
    else if (out) {
      const kids: Field[] = [
        fUint('ntlmssp.challenge.target_info.length', 'Length', ti.len, s + 40, 2), fUint('ntlmssp.challenge.target_info.maxlen', 'Maxlen', ti.max, s + 42, 2),
        fUint('ntlmssp.challenge.target_info.offset', 'Offset', ti.off, s + 44, 4),
      ];
      avPairs(b, ti.s, ti.e, 'ntlmssp.challenge.target_info', 'Target Info Item', kids);
      const f = fText('Target Info', ti.s, ti.len, kids);
      out.push(f);
    }
    if (fl & 0x02000000) version(s + 48);
  } else if (t === 3) {
    if (!need(64)) return;
    const fl = u32le(b, s + 60);
    const uni = (fl & 1) !== 0;
    const lm = secbuf(b, s + 12, s, e), nt = secbuf(b, s + 20, s, e);
    if (out) {
      if (lm.ok && lm.len > 0) {
        out.push(fBytes('ntlmssp.auth.lmresponse', 'Lan Manager Response', b, lm.s, lm.e));
        if (lm.len === 24 && nt.len > 24) out.push(fBytes('ntlmssp.ntlmclientchallenge', 'LMv2 Client Challenge', b, lm.s + 16, lm.e));
      }
      if (nt.ok && nt.len > 0) {
        out.push(fBytes('ntlmssp.auth.ntresponse', 'NTLM Response', b, nt.s, nt.e));
        if (nt.len > 24) {
          const kids: Field[] = [fBytes('ntlmssp.ntlmv2_response.ntproofstr', 'NTProofStr', b, nt.s, nt.s + 16)];
          if (nt.len >= 44) {
            kids.push(fUint('ntlmssp.ntlmv2_response.rversion', 'Response Version', b[nt.s + 16], nt.s + 16, 1), fUint('ntlmssp.ntlmv2_response.hirversion', 'Hi Response Version', b[nt.s + 17], nt.s + 17, 1));
            kids.push(fFiletime('ntlmssp.ntlmv2_response.time', 'Time', b, nt.s + 24));
            kids.push(fBytes('ntlmssp.ntlmv2_response.chal', 'NTLMv2 Client Challenge', b, nt.s + 32, nt.s + 40));
            avPairs(b, nt.s + 44, nt.e, 'ntlmssp.ntlmv2_response', 'NTLMV2 Response Item', kids);
          }
          out.push(fBytes('ntlmssp.ntlmv2_response', 'NTLMv2 Response', b, nt.s, nt.e), ...kids);
        }
      }
    }
    d.domain = str('ntlmssp.auth.domain', 'Domain name', s + 28, uni) ?? '';
    d.user = str('ntlmssp.auth.username', 'User name', s + 36, uni) ?? '';
    str('ntlmssp.auth.hostname', 'Host name', s + 44, uni);
    const sk = secbuf(b, s + 52, s, e);
    if (out && sk.ok && sk.len > 0) out.push(fBytes('ntlmssp.auth.sesskey', 'Session Key', b, sk.s, sk.e));
    if (out) out.push(flagsField(b, s + 60));
    if (fl & 0x02000000) version(s + 64);
    // a MIC when the payload starts after it
    const first = Math.min(...[lm, nt].filter((x) => x.len > 0).map((x) => x.off), 1 << 30);
    if (out && first >= 88 && s + 88 <= e) out.push(fBytes('ntlmssp.ntlmv2_response.mic', 'MIC', b, s + 72, s + 88));
  } else if (out) {
    out.push(fBytes('ntlmssp.messagetype.unknown', 'Unrecognized NTLMSSP Message', b, s + 12, e));
  }
}

function avPairs(b: Uint8Array, s: number, e: number, key: string, label: string, out: Field[]): void {
  let p = s;
  for (let n = 0; n < 64 && p + 4 <= e; n++) {
    const t = u16le(b, p), len = u16le(b, p + 2);
    const v = p + 4;
    const ve = Math.min(e, v + len);
    const name = AV_NAMES[t]?.[0] ?? 'Unknown';
    const kids: Field[] = [];
    const tf = fHex(`${key}.item.type`, `${label} Type`, t, p, 2);
    tf.text = `${label} Type: ${name} (${tf.show})`;
    kids.push(tf, fUint(`${key}.item.length`, `${label} Length`, len, p + 2, 2));
    let shown = '';
    const sub = AV_NAMES[t]?.[1];
    if (len > 0 && sub) {
      const k = `${key}.${sub}`;
      const lab = AV_LABELS[t];
      if (t === 6 && len >= 4) kids.push(fHex(k, lab, u32le(b, v), v, 4));
      else if (t === 7 && len >= 8) kids.push(fFiletime(k, lab, b, v));
      else if (t === 8 || t === 10) kids.push(fBytes(k, lab, b, v, ve));
      else if (t >= 1 && t <= 5 || t === 9) {
        shown = utf16Text(b, v, ve);
        kids.push(fStr(k, lab, shown, v, ve - v));
      }
    }
    out.push(fText(`Attribute: ${name}${shown ? `: ${shown}` : ''}`, p, 4 + len, kids));
    p = v + len;
    if (t === 0) break;
  }
}

export const ntlmssp: Dissector<NtlmD> = {
  proto: 'ntlmssp',
  name: 'NTLM Secure Service Provider',
  fieldKeys: [
    'ntlmssp.identifier', 'ntlmssp.messagetype', 'ntlmssp.negotiateflags', 'ntlmssp.negotiate.domain', 'ntlmssp.negotiate.callingworkstation',
    'ntlmssp.ntlmserverchallenge', 'ntlmssp.reserved', 'ntlmssp.challenge.target_name', 'ntlmssp.challenge.target_info.length', 'ntlmssp.challenge.target_info.maxlen',
    'ntlmssp.challenge.target_info.offset', 'ntlmssp.challenge.target_info.item.type', 'ntlmssp.challenge.target_info.item.length',
    ...Object.values(AV_NAMES).filter((x) => x[1]).map((x) => `ntlmssp.challenge.target_info.${x[1]}`),
    'ntlmssp.ntlmv2_response.item.type', 'ntlmssp.ntlmv2_response.item.length', ...Object.values(AV_NAMES).filter((x) => x[1]).map((x) => `ntlmssp.ntlmv2_response.${x[1]}`),
    'ntlmssp.auth.lmresponse', 'ntlmssp.ntlmclientchallenge', 'ntlmssp.auth.ntresponse', 'ntlmssp.ntlmv2_response', 'ntlmssp.ntlmv2_response.ntproofstr',
    'ntlmssp.ntlmv2_response.rversion', 'ntlmssp.ntlmv2_response.hirversion', 'ntlmssp.ntlmv2_response.time', 'ntlmssp.ntlmv2_response.chal',
    'ntlmssp.auth.domain', 'ntlmssp.auth.username', 'ntlmssp.auth.hostname', 'ntlmssp.auth.sesskey', 'ntlmssp.ntlmv2_response.mic',
    'ntlmssp.string.length', 'ntlmssp.string.maxlen', 'ntlmssp.string.offset', 'ntlmssp.version.major', 'ntlmssp.version.minor', 'ntlmssp.version.build_number',
    'ntlmssp.version.ntlm_current_revision', 'ntlmssp.messagetype.unknown', 'ntlmssp.verf.vers', 'ntlmssp.verf.body',
  ],
  dissect() {
    throw new Error('built by the SMB2 dissector (gssLayers)');
  },
  fields(l) {
    const out: Field[] = [];
    if (l.d.type === 0) {
      // the verifier: a version and the body
      if (l.end - l.start >= 4) out.push(fText('NTLMSSP Verifier', l.start, l.end - l.start, [fUint('ntlmssp.verf.vers', 'Version Number', u32le(l.buf, l.start), l.start, 4), fBytes('ntlmssp.verf.body', 'Verifier Body', l.buf, l.start + 4, l.end)]));
      return out;
    }
    ntlmWalk(l.buf, l.start, l.end, out, new Layer<NtlmD>(ntlmssp, l.buf, l.start, l.end, { type: 0, user: '', domain: '' }));
    return out;
  },
  column: () => '',
};

// ---- SPNEGO and GSS-API -----------------------------------------------------------------------------

export interface SpnegoD {
  fields: Field[] | null;
}

export const spnego: Dissector<SpnegoD> = {
  proto: 'spnego',
  name: 'Simple Protected Negotiation',
  fieldKeys: ['spnego.negTokenInit_element', 'spnego.negTokenTarg_element', 'spnego.mechTypes', 'spnego.MechType', 'spnego.mechToken', 'spnego.negHints_element', 'spnego.hintName', 'spnego.negResult', 'spnego.supportedMech', 'spnego.responseToken', 'spnego.mechListMIC'],
  dissect() {
    throw new Error('built by the SMB2 dissector (gssLayers)');
  },
  fields: (l) => l.d.fields ?? [],
  column: () => '',
};

export const gssapi: Dissector<{ oid: string | null; at: number; len: number }> = {
  proto: 'gss-api',
  name: 'GSS-API Generic Security Service Application Program Interface',
  fieldKeys: ['gss-api.OID'],
  dissect() {
    throw new Error('built by the SMB2 dissector (gssLayers)');
  },
  fields(l) {
    if (l.d.oid === null) return [];
    const f = fStr('gss-api.OID', 'OID', l.d.oid, l.d.at, l.d.len);
    f.text = `OID: ${l.d.oid}${OID_NAMES[l.d.oid] ? ` (${OID_NAMES[l.d.oid]})` : ''}`;
    return [f];
  },
  column: () => '',
};

const NEG_RESULTS = ['accept-completed', 'accept-incomplete', 'reject', 'request-mic'];

/** What the blob said, for the SMB2 Info column: the NTLMSSP message type and, for AUTH, user and domain. */
export interface GssSummary {
  ntlm: number;
  user: string;
  domain: string;
}

/** NTLMSSP at [s, e)? */
function isNtlm(b: Uint8Array, s: number, e: number): boolean {
  return e - s >= 8 && b[s] === 0x4e && b[s + 1] === 0x54 && b[s + 2] === 0x4c && b[s + 3] === 0x4d && b[s + 4] === 0x53 && b[s + 5] === 0x53 && b[s + 6] === 0x50 && b[s + 7] === 0;
}

/**
 * The layers of a security blob at [s, e) of b: gss-api, spnego, then ntlmssp for the token and for an
 * NTLMSSP mechListMIC; `fields`: build the SPNEGO fields now (they are cheap to keep, the blob is small).
 */
export function gssLayers(b: Uint8Array, s: number, e: number, sum: GssSummary): Layer[] {
  const out: Layer[] = [];
  if (e <= s) return out;
  const g = new Layer(gssapi, b, s, e, { oid: null as string | null, at: 0, len: 0 });
  out.push(g);
  let p = s;
  let inner = e;
  if (b[s] === 0x60) {
    const t = readTlv(b, s, e);
    if (isBerError(t)) {
      g.problem('malformed', `GSS-API token: ${t.why}`, t.at, e);
      return out;
    }
    inner = Math.min(e, t.vend);
    const o = readTlv(b, t.vstart, inner);
    if (isBerError(o) || o.tag !== 6 || o.short) {
      g.problem('malformed', 'GSS-API token: no mechanism OID', t.vstart, inner);
      return out;
    }
    g.d = { oid: oidText(b, o.vstart, o.vend), at: o.start, len: o.vend - o.start };
    if (g.d.oid !== '1.3.6.1.5.5.2') return out;
    p = o.vend;
  } else if (b[s] !== 0xa0 && b[s] !== 0xa1) {
    return out;
  }
  const fl: Field[] = [];
  const sp = new Layer<SpnegoD>(spnego, b, p, inner, { fields: fl });
  out.push(sp);
  const tail: Layer[] = [];
  const top = readTlv(b, p, inner);
  if (isBerError(top) || top.cls !== 2 || top.short) {
    sp.problem('malformed', 'SPNEGO token: not a negTokenInit or negTokenTarg', p, inner);
    return out;
  }
  const seq = readTlv(b, top.vstart, top.vend);
  if (isBerError(seq) || seq.tag !== 16 || seq.short) {
    sp.problem('malformed', 'SPNEGO token: no SEQUENCE', top.vstart, top.vend);
    return out;
  }
  const init = top.tag === 0;
  const kids: Field[] = [];
  fl.push(fText(init ? 'negTokenInit' : 'negTokenTarg', top.start, top.vend - top.start, kids));
  let q = seq.vstart;
  let mic: Tlv | null = null;
  let ntlmMech = init ? false : true;
  for (let n = 0; n < 16 && q < seq.vend; n++) {
    const el = readTlv(b, q, seq.vend);
    if (isBerError(el) || el.short) {
      sp.problem('malformed', 'SPNEGO token: an element runs past its SEQUENCE', q, seq.vend);
      break;
    }
    q = el.vend;
    const v = readTlv(b, el.vstart, el.vend);
    if (isBerError(v) || v.short) continue;
    if (init && el.tag === 0 && v.tag === 16) {
      const mk: Field[] = [];
      let r = v.vstart;
      let cnt = 0;
      while (r < v.vend && cnt < 32) {
        const o = readTlv(b, r, v.vend);
        if (isBerError(o) || o.short) break;
        const f = fOid('spnego.MechType', 'MechType', b, o);
        if (f.show === '1.3.6.1.4.1.311.2.2.10' && cnt === 0) ntlmMech = true;
        mk.push(f);
        r = o.vend;
        cnt++;
      }
      const mf = fUint('spnego.mechTypes', 'mechTypes', cnt, el.start, el.vend - el.start);
      mf.text = `mechTypes: ${cnt} item${cnt === 1 ? '' : 's'}`;
      mf.children = mk;
      kids.push(mf);
    } else if (!init && el.tag === 0 && v.tag === 10) {
      const r = v.vend - v.vstart === 1 ? b[v.vstart] : 0;
      const f = fUint('spnego.negResult', 'negResult', r, v.start, v.vend - v.start);
      f.text = `negResult: ${NEG_RESULTS[r] ?? 'Unknown'} (${r})`;
      kids.push(f);
    } else if (!init && el.tag === 1 && v.tag === 6) {
      const f = fOid('spnego.supportedMech', 'supportedMech', b, v);
      ntlmMech = f.show === '1.3.6.1.4.1.311.2.2.10';
      kids.push(f);
    } else if (el.tag === 2 && v.tag === 4) {
      kids.push(fBytes(init ? 'spnego.mechToken' : 'spnego.responseToken', init ? 'mechToken' : 'responseToken', b, v.vstart, v.vend));
      if (isNtlm(b, v.vstart, v.vend)) {
        const nl = new Layer<NtlmD>(ntlmssp, b, v.vstart, v.vend, { type: 0, user: '', domain: '' });
        ntlmWalk(b, v.vstart, v.vend, null, nl);
        sum.ntlm = nl.d.type;
        sum.user = nl.d.user;
        sum.domain = nl.d.domain;
        tail.push(nl);
      }
    } else if (init && el.tag === 3 && v.tag === 16) {
      const hk: Field[] = [];
      const h = readTlv(b, v.vstart, v.vend);
      if (!isBerError(h) && !h.short && h.tag === 0) {
        const gs = readTlv(b, h.vstart, h.vend);
        if (!isBerError(gs) && !gs.short) hk.push(fStr('spnego.hintName', 'hintName', latin1Text(b, gs.vstart, gs.vend), gs.vstart, gs.vend - gs.vstart));
      }
      kids.push(fText('negHints', el.start, el.vend - el.start, hk));
    } else if ((init && el.tag === 4) || (!init && el.tag === 3)) {
      if (v.tag === 4) {
        kids.push(fBytes('spnego.mechListMIC', 'mechListMIC', b, v.vstart, v.vend));
        mic = v;
      }
    }
  }
  for (const t of tail) out.push(t);
  if (mic !== null && ntlmMech && mic.vend - mic.vstart === 16) out.push(new Layer<NtlmD>(ntlmssp, b, mic.vstart, mic.vend, { type: 0, user: '', domain: '' }));
  return out;
}

/** The Info text NTLMSSP adds: ", NTLMSSP_NEGOTIATE", ", NTLMSSP_AUTH, User: DOMAIN\user". */
export function ntlmInfo(sum: GssSummary): string {
  const n = NTLM_TYPES[sum.ntlm];
  if (n === undefined) return '';
  return sum.ntlm === 3 ? `, ${n}, User: ${sum.domain}\\${sum.user}` : `, ${n}`;
}

