// SIP (RFC 3261) on UDP (5060, and any port by tshark's heuristic) and TCP 5060 as tshark 4.0 shows it: the request or status line, the headers (compact
// forms too) with tshark's parts of Via, From, To, Contact, CSeq and the authentication headers, and the
// message body: a session description (application/sdp, dissectors/sdp.ts) under "Message Body", other
// media types as tshark's media dissectors name them in the columns. Info: "Request: INVITE sip:…",
// "Status: 200 OK (INVITE)" (the CSeq method after a 200), REGISTER's bindings, then " | ".
// Per capture, as tshark's hash of transactions (key: Call-ID, addresses and ports of one direction):
// retransmitted requests and final responses (sip.resend, "Suspected resend of frame"), the request a
// response answers (sip.response-request, sip.response-time in ms), and the INVITE an ACK completes.
// Bounded: header lines, their length and the transactions kept are capped; nothing throws.

import { fBool, fStr, fText, fUint, gen, hide, latin1Text } from '../src/dissect/fields.js';
import { ipLayerBefore, Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { media, mediaProtocol, mediaType } from '../src/analysis/http/message.js';
import { SDP_KEYS, sdpFields, sdpStreams, type SdpStream } from './sdp.js';

export const SIP_PORT = 5060;
/** Header lines read at most, bytes of a head scanned at most, transactions kept. */
const MAX_HEADERS = 256;
const MAX_HEAD = 64 * 1024;
const MAX_TRANSACTIONS = 8192;

const HEADER_NAMES =
  'Accept Accept-Contact Accept-Encoding Accept-Language Accept-Resource-Priority Additional-Identity Alert-Info Allow Allow-Events ' +
  'Answer-Mode Attestation-Info Authentication-Info Authorization Call-ID Call-Info Cellular-Network-Info Contact Content-Disposition ' +
  'Content-Encoding Content-Language Content-Length Content-Type CSeq Date Error-Info Event Expires Feature-Caps Flow-Timer From ' +
  'Geolocation Geolocation-Error Geolocation-Routing History-Info Identity Identity-info Info-Package In-Reply-To Join Max-Breadth ' +
  'Max-Forwards MIME-Version Min-Expires Min-SE Organization Origination-Id P-Access-Network-Info P-Answer-State P-Asserted-Identity ' +
  'P-Asserted-Service P-Charge-Info P-Associated-URI P-Called-Party-ID P-Charging-Function-Addresses P-Charging-Vector ' +
  'P-DCS-Trace-Party-ID P-DCS-OSPS P-DCS-Billing-Info P-DCS-LAES P-DCS-Redirect P-Early-Media P-Media-Authorization ' +
  'P-Preferred-Identity P-Preferred-Service P-Profile-Key P-Refused-URI-List P-Served-User P-User-Database P-Visited-Network-ID Path ' +
  'Permission-Missing Priority Priority-Share Priv-Answer-mode Privacy Proxy-Authenticate Proxy-Authorization Proxy-Require RAck ' +
  'Reason Reason-Phrase Record-Route Recv-Info Refer-Sub Refer-To Referred-by Reject-Contact Relayed-Charge Replaces Reply-To ' +
  'Request-Disposition Require Resource-Priority Resource-Share Response-Source Restoration-Info Retry-After Route RSeq ' +
  'Security-Client Security-Server Security-Verify Server Service-Interact-Info Service-Route Session-Expires Session-ID ' +
  'Subject Subscription-State Supported Target-Dialog Timestamp To Trigger-Consent Unsupported User-Agent Via Warning ' +
  'WWW-Authenticate Diversion';
/** Header name (lower case) → its canonical name (the field key after "sip."). */
const HEADERS = new Map<string, string>();
for (const n of HEADER_NAMES.split(' ')) HEADERS.set(n.toLowerCase(), n);
HEADERS.set('sip-etag', 'ETag');
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', b: 'Referred-by', c: 'Content-Type', d: 'Request-Disposition', e: 'Content-Encoding', f: 'From', i: 'Call-ID',
  j: 'Reject-Contact', k: 'Supported', l: 'Content-Length', m: 'Contact', n: 'Identity-info', o: 'Event', r: 'Refer-To', s: 'Subject',
  t: 'To', u: 'Allow-Events', v: 'Via', x: 'Session-Expires', y: 'Identity',
};
/** Headers tshark shows as numbers. */
const UINT_HEADERS = new Set(['Expires', 'Max-Forwards', 'Max-Breadth', 'RSeq', 'Min-Expires']);
const AUTH_HEADERS = new Set(['Authorization', 'WWW-Authenticate', 'Proxy-Authenticate', 'Proxy-Authorization']);
const AUTH_PARAMS: Record<string, [string, string]> = {
  realm: ['sip.auth.realm', 'Realm'], nonce: ['sip.auth.nonce', 'Nonce Value'], algorithm: ['sip.auth.algorithm', 'Algorithm'],
  qop: ['sip.auth.qop', 'QOP'], username: ['sip.auth.username', 'Username'], uri: ['sip.auth.uri', 'Authentication URI'],
  response: ['sip.auth.digest.response', 'Digest Authentication Response'], opaque: ['sip.auth.opaque', 'Opaque Value'],
  nc: ['sip.auth.nc', 'Nonce Count'], cnonce: ['sip.auth.cnonce', 'CNonce Value'], stale: ['sip.auth.stale', 'Stale Flag'],
  domain: ['sip.auth.domain', 'Authentication Domain'], nextnonce: ['sip.auth.nextnonce', 'Next Nonce'], rspauth: ['sip.auth.rspauth', 'Response auth'],
};
const VIA_PARAMS: Record<string, [string, string]> = {
  branch: ['sip.Via.branch', 'Branch'], maddr: ['sip.Via.maddr', 'Maddr'], rport: ['sip.Via.rport', 'RPort'],
  received: ['sip.Via.received', 'Received'], ttl: ['sip.Via.ttl', 'TTL'], comp: ['sip.Via.comp', 'Comp'], 'sigcomp-id': ['sip.Via.sigcomp-id', 'Sigcomp identifier'],
};

export interface SipHeader {
  /** Canonical name ('' for a header tshark does not know), line start, value start, content end, next line. */
  name: string;
  at: number;
  vat: number;
  end: number;
  next: number;
}

export interface SipD {
  kind: 'request' | 'response';
  lineEnd: number;
  lineNext: number;
  method: string;
  uri: string;
  uriAt: number;
  code: number;
  headers: SipHeader[];
  /** Offset past the blank line, -1 when the head does not end in the bytes. */
  headEnd: number;
  bodyStart: number;
  bodyEnd: number;
  callId: string | null;
  cseqSeq: number | null;
  cseqMethod: string;
  contentType: string | null;
  /** Info text (without the media suffix). */
  info: string;
  /** Transaction results (null: not computed, e.g. no CSeq). */
  tx: SipTx | null;
  /** Over TCP: the Info of the messages before this one in the frame (tshark appends them in one column). */
  infoPrefix: string;
  /** Over TCP: not the frame's first message (frame.protocols names "sip" once). */
  more: boolean;
  /** Where tshark's buffer for the message ends (the datagram's, the TCP segment's end): sip.msg_hdr runs to it. */
  tvbEnd: number;
}

export interface SipTx {
  /** Call-IDs of the SIP messages whose SDP announced one of this message's media streams (SDP bodies). */
  sdpCallIds: string[];
  resendOf: number;
  /** The request this response answers (or the INVITE this ACK completes), 0 for none; time in ms. */
  request: number;
  time: number;
}

export const SIP_KEYS: readonly string[] = [
  'sip', 'sip.Request-Line', 'sip.Method', 'sip.r-uri', 'sip.r-uri.user', 'sip.r-uri.host', 'sip.r-uri.port', 'sip.Status-Line', 'sip.Status-Code',
  'sip.resend', 'sip.resend-original', 'sip.response-request', 'sip.response-time', 'sip.release-time', 'sip.msg_hdr', 'sip.msg_body', 'sip.call_id_generated',
  'sip.Via.transport', 'sip.Via.sent-by.address', 'sip.Via.sent-by.port', ...Object.values(VIA_PARAMS).map((v) => v[0]),
  'sip.display.info', 'sip.tag', 'sip.from.display.info', 'sip.from.addr', 'sip.from.user', 'sip.from.host', 'sip.from.port', 'sip.from.tag',
  'sip.to.display.info', 'sip.to.addr', 'sip.to.user', 'sip.to.host', 'sip.to.port', 'sip.to.tag',
  'sip.contact.uri', 'sip.contact.user', 'sip.contact.host', 'sip.contact.port', 'sip.contact.parameter', 'sip.contact.display.info',
  'sip.CSeq.seq', 'sip.CSeq.method', 'sip.auth', 'sip.auth.scheme', ...Object.values(AUTH_PARAMS).map((v) => v[0]),
  ...[...new Set(HEADERS.values())].map((n) => `sip.${n}`),
];

function ws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function startsWith(buf: Uint8Array, at: number, end: number, s: string): boolean {
  if (at + s.length > end) return false;
  for (let i = 0; i < s.length; i++) if (buf[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** First line end (before CR LF) within the cap, or -1. */
function lineEnd(buf: Uint8Array, p: number, end: number): number {
  const lim = Math.min(end, p + MAX_HEAD);
  for (let i = p; i < lim; i++) if (buf[i] === 0x0a) return i;
  return -1;
}

function isToken(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e;
}

/**
 * Whether the bytes start with a SIP request line ("METHOD SP URI SP SIP/2.0") or status line
 * ("SIP/2.0 SP DDD"), as tshark's sip_parse_line; the first line needs its line end.
 */
export function looksLikeSip(buf: Uint8Array, start: number, end: number): boolean {
  // cheap refusals first: every UDP datagram no port claims comes here
  if (end - start < 12) return false;
  const c0 = buf[start];
  if (c0 < 0x41 || c0 > 0x5a) return false;
  if (startsWith(buf, start, end, 'SIP/2.0 ')) {
    if (!(buf[start + 8] >= 0x30 && buf[start + 8] <= 0x39)) return false;
  } else {
    let p = start;
    const tl = Math.min(end, start + 32);
    while (p < tl && isToken(buf[p])) p++;
    if (p === start || p >= tl || buf[p] !== 0x20) return false;
  }
  const le = lineEnd(buf, start, Math.min(end, start + 8192));
  if (le < 0) return false;
  const e = le > start && buf[le - 1] === 0x0d ? le - 1 : le;
  if (startsWith(buf, start, e, 'SIP/2.0 ')) return e - start >= 11;
  return e - start > 8 && startsWith(buf, e - 8, e, ' SIP/2.0');
}

/** A URI's parts: user, host, port, where they are. */
interface UriParts {
  user: [number, number] | null;
  host: [number, number] | null;
  port: [number, number] | null;
}
function uriParts(buf: Uint8Array, s: number, e: number): UriParts {
  const r: UriParts = { user: null, host: null, port: null };
  let p = s;
  while (p < e && buf[p] !== 0x3a) p++;
  if (p >= e) return r;
  p++;
  let at = -1;
  for (let i = p; i < e; i++) {
    if (buf[i] === 0x40) {
      at = i;
      break;
    }
    if (buf[i] === 0x3e) break;
  }
  if (at >= 0) {
    let ue = p;
    while (ue < at && buf[ue] !== 0x3a && buf[ue] !== 0x3b) ue++;
    r.user = [p, ue];
    p = at + 1;
  } else if (startsWith(buf, s, e, 'tel:')) return r; // tshark names no parts of a tel: URI
  let he = p;
  if (buf[p] === 0x5b) {
    while (he < e && buf[he] !== 0x5d) he++;
    if (he < e) he++;
  } else while (he < e && buf[he] !== 0x3a && buf[he] !== 0x3b && buf[he] !== 0x3e && buf[he] !== 0x3f && buf[he] !== 0x2c) he++;
  r.host = [p, he];
  if (he < e && buf[he] === 0x3a) {
    let pe = he + 1;
    while (pe < e && buf[pe] >= 0x30 && buf[pe] <= 0x39) pe++;
    r.port = [he + 1, pe];
  }
  return r;
}

function uriFields(buf: Uint8Array, s: number, e: number, pre: string, lab: string, paramLabel: string | null = null): Field[] {
  if (startsWith(buf, s, e, 'tel:')) return [];
  const u = uriParts(buf, s, e);
  const out: Field[] = [];
  const sf = (k: string, l: string, r: [number, number]) => fStr(k, l, latin1Text(buf, r[0], r[1]), r[0], r[1] - r[0]);
  if (u.user !== null) out.push(sf(`${pre}.user`, `${lab} User Part`, u.user));
  if (u.host !== null) out.push(sf(`${pre}.host`, `${lab} Host Part`, u.host));
  if (u.port !== null && u.port[1] > u.port[0]) out.push(sf(`${pre}.port`, `${lab} Host Port`, u.port));
  if (paramLabel !== null && u.host !== null) {
    let p = u.port !== null ? u.port[1] : u.host[1];
    while (p < e && buf[p] !== 0x3b) p++;
    for (const pr of params(buf, p, e)) out.push(sf(`${pre}.param`, paramLabel, [pr.n[0], pr.v !== null ? pr.v[1] : pr.n[1]]));
  }
  return out;
}

/**
 * A name-addr or addr-spec ("Alice" <sip:a@b>;tag=x, sip:a@b;tag=x) from s: display name end, URI range,
 * and where its parameters start; stops at a comma outside quotes and brackets when `comma`.
 */
function nameAddr(buf: Uint8Array, s: number, e: number, comma: boolean): { disp: [number, number] | null; uri: [number, number]; params: number; end: number } {
  while (s < e && ws(buf[s])) s++;
  let lt = -1;
  let q = false;
  let i = s;
  for (; i < e; i++) {
    const c = buf[i];
    if (c === 0x22) q = !q;
    else if (!q && c === 0x3c) {
      lt = i;
      break;
    } else if (!q && (c === 0x3b || (comma && c === 0x2c))) break;
  }
  if (lt >= 0) {
    let gt = lt + 1;
    while (gt < e && buf[gt] !== 0x3e) gt++;
    let disp: [number, number] | null = lt > s ? [s, lt] : null;
    if (disp !== null && buf[s] === 0x22) {
      let cq = s + 1;
      while (cq < lt && buf[cq] !== 0x22) cq++;
      disp = [s, Math.min(lt, cq + 1)];
    }
    let pe = Math.min(e, gt + 1);
    const params = pe;
    if (comma) while (pe < e && buf[pe] !== 0x2c) pe++;
    else pe = e;
    return { disp, uri: [lt + 1, gt], params, end: pe };
  }
  let ue = s;
  while (ue < e && buf[ue] !== 0x3b && !(comma && buf[ue] === 0x2c)) ue++;
  let pe = ue;
  if (comma) while (pe < e && buf[pe] !== 0x2c) pe++;
  else pe = e;
  return { disp: null, uri: [s, ue], params: ue, end: pe };
}

/** ";name=value" parameters in [s, e): name range and value range (value null without "="). */
function params(buf: Uint8Array, s: number, e: number): { n: [number, number]; v: [number, number] | null }[] {
  const out: { n: [number, number]; v: [number, number] | null }[] = [];
  let p = s;
  for (let guard = 0; p < e && guard < 64; guard++) {
    while (p < e && (buf[p] === 0x3b || ws(buf[p]))) p++;
    if (p >= e) break;
    let q = p;
    while (q < e && buf[q] !== 0x3b && buf[q] !== 0x3d) q++;
    let ne = q;
    while (ne > p && ws(buf[ne - 1])) ne--;
    if (q < e && buf[q] === 0x3d) {
      let v = q + 1;
      while (v < e && ws(buf[v])) v++;
      let ve = v;
      while (ve < e && buf[ve] !== 0x3b) ve++;
      let vt = ve;
      while (vt > v && ws(buf[vt - 1])) vt--;
      out.push({ n: [p, ne], v: [v, vt] });
      p = ve;
    } else {
      out.push({ n: [p, ne], v: null });
      p = q;
    }
  }
  return out;
}

// ---- per-capture transaction state (tshark's sip_hash) ------------------------------------------

interface TxVal {
  cseq: number;
  method: string;
  state: 0 | 1 | 2 | 3; // nothing, request, provisional, final
  frame: number;
  code: number;
  reqTs: bigint;
}
/** A media stream an SDP announced ("addr/port"): the Call-IDs that announced it, the first SDP's frame. */
export interface SdpMedia {
  callIds: string[];
  setupFrame: number;
  stream: SdpStream;
}
interface SipState {
  tx: Map<string, TxVal>;
  media: Map<string, SdpMedia>;
  /** The first frame whose SDP a Call-ID carried (the offer): tshark's setup frame of its RTP streams. */
  offers: Map<string, number>;
  memo: Map<number, SipTx>;
}

function sipState(ctx: DissectContext): SipState {
  let s = ctx.state.slots.get('sip') as SipState | undefined;
  if (s === undefined) ctx.state.slots.set('sip', (s = { tx: new Map(), media: new Map(), offers: new Map(), memo: new Map() }));
  return s;
}

/** The media stream an SDP announced at this address and port so far in the capture (RTP's setup), or null. */
export function sdpMediaAt(ctx: DissectContext, addr: string, port: number): SdpMedia | null {
  const s = ctx.state.slots.get('sip') as SipState | undefined;
  return s?.media.get(`${addr}/${port}`) ?? null;
}

function endpoints(ctx: DissectContext): { src: string; dst: string; sp: number; dp: number } {
  const ip = ipLayerBefore(ctx.layers) as Layer<{ src: string; dst: string }> | null;
  const t = ctx.layers[ctx.layers.length - 1] as Layer<{ srcport?: number; dstport?: number }> | undefined;
  return { src: ip?.d.src ?? '', dst: ip?.d.dst ?? '', sp: t?.d.srcport ?? 0, dp: t?.d.dstport ?? 0 };
}

function track(d: SipD, buf: Uint8Array, ctx: DissectContext): SipTx {
  const st = sipState(ctx);
  const fi = ctx.frame.index;
  const m = st.memo.get(fi);
  if (m !== undefined) return m;
  const r: SipTx = { sdpCallIds: [], resendOf: 0, request: 0, time: 0 };
  if (bodyType(d) === 'application/sdp') {
    const cid = d.callId ?? '';
    let offer = st.offers.get(cid);
    if (offer === undefined) {
      if (st.offers.size >= MAX_TRANSACTIONS) st.offers.delete(st.offers.keys().next().value as string);
      st.offers.set(cid, (offer = fi));
    }
    for (const sm of sdpStreams(buf, d.bodyStart, d.bodyEnd)) {
      const k = `${sm.addr}/${sm.port}`;
      let m = st.media.get(k);
      if (m === undefined) {
        if (st.media.size >= MAX_TRANSACTIONS) st.media.delete(st.media.keys().next().value as string);
        st.media.set(k, (m = { callIds: [], setupFrame: offer, stream: sm }));
      }
      if (!m.callIds.includes(cid) && m.callIds.length < 64) m.callIds.push(cid);
      for (const c of m.callIds) if (!r.sdpCallIds.includes(c)) r.sdpCallIds.push(c);
    }
    if (r.sdpCallIds.length === 0 && d.callId !== null) r.sdpCallIds.push(d.callId);
  }
  const now = ctx.frame.ts;
  const ms = (t: bigint) => Number((now - t) / 1_000_000n);
  if (d.callId !== null && d.callId !== '' && d.cseqSeq !== null) {
    const ep = endpoints(ctx);
    const key = `${d.callId}\0${ep.src}\0${ep.sp}\0${ep.dst}\0${ep.dp}`;
    const rkey = `${d.callId}\0${ep.dst}\0${ep.dp}\0${ep.src}\0${ep.sp}`;
    const cseq = d.cseqSeq;
    const method = d.cseqMethod;
    if (d.kind === 'response') {
      // sip_find_request: the other direction's entry
      const v = st.tx.get(rkey);
      if (v !== undefined && v.cseq === cseq && v.method === method) {
        r.request = v.frame;
        r.time = ms(v.reqTs);
      }
    } else if (method === 'ACK') {
      // sip_find_invite: the setup time
      const v = st.tx.get(key);
      if (v !== undefined && v.cseq === cseq && v.method === 'INVITE') {
        r.request = v.frame;
        r.time = ms(v.reqTs);
      }
    }
    // sip_is_packet_resend
    let v = st.tx.get(key);
    if (v === undefined) {
      if (st.tx.size >= MAX_TRANSACTIONS) st.tx.delete(st.tx.keys().next().value as string);
      v = { cseq, method, state: 0, frame: 0, code: 0, reqTs: now };
      st.tx.set(key, v);
    } else if (v.cseq !== cseq) {
      v.cseq = cseq;
      v.method = method;
      v.state = 0;
      v.frame = 0;
      if (d.kind === 'request') v.reqTs = now;
    }
    if (d.kind === 'request' && v.state === 1 && method === v.method && method !== 'ACK' && method !== 'CANCEL') r.resendOf = v.frame;
    if (d.kind === 'response' && v.state === 3 && method === v.method && d.code >= 200 && d.code === v.code) r.resendOf = v.frame;
    if (d.kind === 'request') {
      v.state = 1;
      if (r.resendOf === 0) {
        v.frame = fi;
        v.reqTs = now;
      }
    } else if (d.code >= 200) {
      v.code = d.code;
      v.state = 3;
      if (r.resendOf === 0) v.frame = fi;
    } else v.state = 2;
  }
  st.memo.set(fi, r);
  if (st.memo.size > 4096) st.memo.delete(st.memo.keys().next().value as number);
  return r;
}

// ---- the dissector ---------------------------------------------------------------------------

/** Parse a SIP message in [start, end); null when the first line is not SIP's. */
export function parseSip(buf: Uint8Array, start: number, end: number): SipD | null {
  if (!looksLikeSip(buf, start, end)) return null;
  const le = lineEnd(buf, start, end);
  const e = le > start && buf[le - 1] === 0x0d ? le - 1 : le;
  const d: SipD = {
    kind: 'request', lineEnd: e, lineNext: le + 1, method: '', uri: '', uriAt: 0, code: 0, headers: [], headEnd: -1, bodyStart: end, bodyEnd: end,
    callId: null, cseqSeq: null, cseqMethod: '', contentType: null, info: '', tx: null, infoPrefix: '', more: false, tvbEnd: end,
  };
  if (startsWith(buf, start, e, 'SIP/2.0 ')) {
    d.kind = 'response';
    let p = start + 8;
    let c = 0;
    while (p < e && buf[p] >= 0x30 && buf[p] <= 0x39 && p < start + 11) c = c * 10 + buf[p++] - 0x30;
    d.code = c;
    d.info = `Status: ${latin1Text(buf, start + 8, e)}`;
  } else {
    let p = start;
    while (p < e && buf[p] !== 0x20) p++;
    d.method = latin1Text(buf, start, p);
    const u = p + 1;
    const ue = e - 8;
    d.uriAt = u;
    d.uri = latin1Text(buf, u, Math.max(u, ue));
    d.info = `Request: ${d.method} ${d.uri}`;
  }
  let contentLength = -1;
  let contacts = 0, expires0 = 0, expiresUnknown = 0, star = false, expiresIs0 = false;
  let p = d.lineNext;
  const lim = Math.min(end, start + MAX_HEAD);
  while (p < lim) {
    let q = p;
    while (q < lim && buf[q] !== 0x0a) q++;
    if (q >= lim) {
      // no line end: the head is cut; tshark still shows the line as far as it goes
      if (q > p && d.headers.length < MAX_HEADERS) {
        let c = p;
        while (c < q && buf[c] !== 0x3a) c++;
        const raw = latin1Text(buf, p, c).trim().toLowerCase();
        const name = c >= q ? '' : raw.length === 1 ? (COMPACT[raw] ?? '') : (HEADERS.get(raw) ?? '');
        let v = c + 1;
        while (v < q && ws(buf[v])) v++;
        d.headers.push({ name: name === 'Call-ID' || name === 'CSeq' ? '' : name, at: p, vat: Math.min(v, q), end: q, next: q });
      }
      break;
    }
    const ee = q > p && buf[q - 1] === 0x0d ? q - 1 : q;
    if (ee === p) {
      d.headEnd = q + 1;
      break;
    }
    // folded continuation lines belong to the header before
    let next = q + 1;
    let he = ee;
    while (next < lim && ws(buf[next])) {
      let r = next;
      while (r < lim && buf[r] !== 0x0a) r++;
      if (r >= lim) break;
      he = r > next && buf[r - 1] === 0x0d ? r - 1 : r;
      next = r + 1;
    }
    if (d.headers.length >= MAX_HEADERS) break;
    let c = p;
    while (c < he && buf[c] !== 0x3a) c++;
    let ne = c;
    while (ne > p && ws(buf[ne - 1])) ne--;
    const raw = latin1Text(buf, p, ne);
    const lower = raw.toLowerCase();
    const name = c >= he ? '' : raw.length === 1 ? (COMPACT[lower] ?? '') : (HEADERS.get(lower) ?? '');
    let v = c + 1;
    while (v < he && ws(buf[v])) v++;
    d.headers.push({ name, at: p, vat: Math.min(v, he), end: he, next });
    const val = c < he ? latin1Text(buf, v, he) : '';
    switch (name) {
      case 'Call-ID':
        d.callId = val;
        break;
      case 'CSeq': {
        const m = /^(\d*)\s*(.*)$/s.exec(val)!;
        d.cseqSeq = m[1] === '' ? 0 : Math.min(Number(m[1]), 0xffffffff);
        d.cseqMethod = m[2];
        break;
      }
      case 'Content-Type':
        d.contentType = val;
        break;
      case 'Content-Length': {
        const m = /^\s*[+-]?\d+/.exec(val);
        contentLength = m === null ? 0 : Math.max(0, Math.min(Number(m[0]), 0x7fffffff));
        break;
      }
      case 'Expires':
        if (val === '0') expiresIs0 = true;
        break;
      case 'Contact': {
        if (buf[v] === 0x2a) {
          star = true;
          break;
        }
        for (let s = v, guard = 0; s < he && guard < 64; guard++) {
          const na = nameAddr(buf, s, he, true);
          contacts++;
          let exp = -1;
          for (const pr of params(buf, na.params, na.end)) {
            if (latin1Text(buf, pr.n[0], pr.n[1]).toLowerCase() === 'expires' && pr.v !== null) exp = Number(latin1Text(buf, pr.v[0], pr.v[1]) || 'x');
          }
          if (exp === 0) expires0++;
          else if (exp < 0 || Number.isNaN(exp)) expiresUnknown++;
          if (na.end >= he) break;
          s = na.end + 1;
        }
        break;
      }
      default:
        break;
    }
    p = next;
  }
  if (expiresIs0) expires0 += expiresUnknown;
  if (d.headEnd >= 0) {
    d.bodyStart = d.headEnd;
    d.bodyEnd = contentLength >= 0 ? Math.min(end, d.headEnd + contentLength) : end;
  }
  if (d.kind === 'response' && d.code === 200 && d.cseqMethod !== '' && d.headEnd >= 0) d.info += ` (${d.cseqMethod})`;
  const s = (n: number) => (n === 1 ? '' : 's');
  if (d.method === 'REGISTER') {
    if (star && expiresIs0) d.info += '  (remove all bindings)';
    else if (expires0 > 0) {
      d.info += `  (remove ${expires0} binding${s(expires0)})`;
      if (contacts > expires0) d.info += ` (add ${contacts - expires0} binding${s(contacts - expires0)})`;
    } else if (contacts === 0) d.info += '  (fetch bindings)';
    else d.info += `  (${contacts} binding${s(contacts)})`;
  }
  if (d.kind === 'response' && d.cseqMethod === 'REGISTER' && d.code > 199 && d.code < 300) {
    if (expires0 > 0) {
      d.info += `  (removed ${expires0} binding${s(expires0)})`;
      if (contacts > expires0) d.info += ` (${contacts - expires0} binding${s(contacts - expires0)} kept)`;
    } else d.info += `  (${contacts} binding${s(contacts)})`;
  }
  return d;
}

/** What a layer holds for bytes that start no SIP message (only through --decode-as). */
function notSip(): SipD {
  return {
    kind: 'request', lineEnd: 0, lineNext: 0, method: '', uri: '', uriAt: 0, code: 0, headers: [], headEnd: -1, bodyStart: 0, bodyEnd: 0,
    callId: null, cseqSeq: null, cseqMethod: '', contentType: null, info: '', tx: null, infoPrefix: '', more: false, tvbEnd: 0,
  };
}

function bodyType(d: SipD): string | null {
  if (d.headEnd < 0 || d.bodyEnd <= d.bodyStart) return null;
  return mediaType(d.contentType);
}

export const sip: Dissector<SipD> = {
  proto: 'sip',
  name: 'Session Initiation Protocol',
  fieldKeys: [...SIP_KEYS, ...SDP_KEYS],
  // tshark's SIP registers UDP 5060 and a heuristic ("sip_udp", on by default) that takes a request or
  // status line on any port: one test does for both (no other dissector has 5060)
  heuristic: { table: 'udp', test: (buf, start, end) => looksLikeSip(buf, start, end) },
  dissect(buf, start, end, ctx) {
    const d = parseSip(buf, start, end) ?? notSip();
    const l = new Layer<SipD>(sip, buf, start, end, d);
    if (d.headEnd < 0) l.problem('malformed', 'SIP message head cut: no blank line before the bytes end', start, end);
    else d.tx = track(d, buf, ctx);
    return l;
  },
  fields: sipFields,
  title(l) {
    const d = l.d;
    if (d.headEnd < 0) return 'Session Initiation Protocol';
    return `Session Initiation Protocol (${d.kind === 'request' ? d.method : d.code})`;
  },
  column(l) {
    const mt = bodyType(l.d);
    if (mt === null) return 'SIP';
    if (mt === 'application/sdp') return 'SIP/SDP';
    const m = media(mt, () => ({ len: l.d.bodyEnd - l.d.bodyStart, head: l.buf.subarray(l.d.bodyStart, Math.min(l.d.bodyEnd, l.d.bodyStart + 16)) }), () => l.buf.subarray(l.d.bodyStart, l.d.bodyEnd), l.d.contentType ?? '');
    return m.column.replace(/^HTTP/, 'SIP');
  },
  protocolsPart(l) {
    const mt = bodyType(l.d);
    if (l.d.more) return mt === null ? '' : mediaProtocol(mt);
    if (mt === null) return 'sip';
    return `sip:${mediaProtocol(mt)}`;
  },
  info(l) {
    const d = l.d;
    if (d.headEnd < 0) return d.infoPrefix + d.info;
    const mt = bodyType(d);
    let suffix = '';
    if (mt !== null && mt !== 'application/sdp') {
      suffix = media(mt, () => ({ len: d.bodyEnd - d.bodyStart, head: l.buf.subarray(d.bodyStart, Math.min(d.bodyEnd, d.bodyStart + 16)) }), () => l.buf.subarray(d.bodyStart, d.bodyEnd), d.contentType ?? '').suffix;
    }
    return `${d.infoPrefix}${d.info} | ${suffix}`;
  },
};

// ---- SIP over TCP (src/analysis/http/app.ts reassembles; Content-Length frames the messages) -------

export const SIP_TCP_PORT = 5060;

/**
 * The length of the SIP message at the start of `buf` (head, blank line, Content-Length bytes); 0 while
 * the head or the body is incomplete; the whole buffer for bytes that start no SIP message.
 */
export function sipMessageLength(buf: Uint8Array): number {
  if (buf.length === 0) return 0;
  // no request or status line can start here: hand the bytes out now, not after 64 KiB of waiting
  if (buf[0] < 0x41 || buf[0] > 0x5a) return buf.length;
  const lim = Math.min(buf.length, MAX_HEAD);
  let le = -1;
  for (let i = 0; i < lim; i++) {
    if (buf[i] === 0x0a) {
      le = i;
      break;
    }
  }
  if (le < 0) return lim >= MAX_HEAD ? buf.length : 0;
  if (!looksLikeSip(buf, 0, buf.length)) return buf.length;
  let cl = 0;
  for (let p = le + 1; p < lim; ) {
    let q = p;
    while (q < lim && buf[q] !== 0x0a) q++;
    if (q >= lim) return lim >= MAX_HEAD ? buf.length : 0;
    const e = q > p && buf[q - 1] === 0x0d ? q - 1 : q;
    if (e === p) {
      const n = q + 1 + cl;
      return n <= buf.length ? n : 0;
    }
    let c = p;
    while (c < e && buf[c] !== 0x3a) c++;
    const name = latin1Text(buf, p, c).trim().toLowerCase();
    if (name === 'content-length' || name === 'l') {
      const m = /^\s*(\d+)/.exec(latin1Text(buf, c + 1, e));
      // a length past any reassembly cap is read as far as the bytes go
      cl = m === null ? 0 : Math.min(Number(m[1]), 16 * 1024 * 1024);
    }
    p = q + 1;
  }
  return lim >= MAX_HEAD ? buf.length : 0;
}

/**
 * The SIP layer of one message over TCP: as over UDP, without tshark's transaction matching (tshark 4.0
 * matches no response to its request over TCP); `prev` is the Info of the messages before it in the frame.
 */
export function sipTcpLayer(buf: Uint8Array, start: number, end: number, prev: string, more: boolean, tvbEnd = end): Layer<SipD> {
  const d = parseSip(buf, start, end) ?? notSip();
  d.tvbEnd = tvbEnd;
  d.infoPrefix = prev;
  d.more = more;
  const l = new Layer<SipD>(sip, buf, start, end, d);
  if (d.headEnd < 0) l.problem('malformed', 'SIP message head cut: no blank line before the bytes end', start, end);
  else d.tx = { sdpCallIds: d.callId !== null && bodyType(d) === 'application/sdp' ? [d.callId] : [], resendOf: 0, request: 0, time: 0 };
  return l;
}

function sipFields(l: Layer<SipD>): Field[] {
  const d = l.d;
  const b = l.buf;
  const s = l.start;
  const out: Field[] = [];
  const lineText = latin1Text(b, s, d.lineEnd);
  const lineLen = d.lineNext - s;
  const kids: Field[] = [];
  let first: Field;
  if (d.kind === 'request') {
    first = fStr('sip.Request-Line', 'Request-Line', lineText, s, lineLen);
    kids.push(fStr('sip.Method', 'Method', d.method, s, d.method.length));
    const ue = d.uriAt + d.uri.length;
    const uf = fStr('sip.r-uri', 'Request-URI', d.uri, d.uriAt, d.uri.length);
    const uk = uriFields(b, d.uriAt, ue, 'sip.r-uri', 'Request-URI');
    if (uk.length > 0) uf.children = uk;
    kids.push(uf);
  } else {
    first = fStr('sip.Status-Line', 'Status-Line', lineText, s, lineLen);
    kids.push(fUint('sip.Status-Code', 'Status-Code', d.code, s + 8, 3));
  }
  if (d.tx !== null) {
    const rs = gen(fBool('sip.resend', 'Resent Packet', d.tx.resendOf > 0, s, 0));
    rs.text = `Resent Packet: ${d.tx.resendOf > 0 ? 'True' : 'False'}`;
    kids.push(rs);
    if (d.tx.resendOf > 0) kids.push(gen(fUint('sip.resend-original', 'Suspected resend of frame', d.tx.resendOf, s, 0)));
    if (d.tx.request > 0) {
      kids.push(gen(fUint('sip.response-request', 'Request Frame', d.tx.request, s, 0)));
      kids.push(gen(fUint('sip.response-time', 'Response Time (ms)', d.tx.time, s, 0)));
      // the answer to a BYE: tshark's call release time
      if (d.kind === 'response' && d.cseqMethod === 'BYE') kids.push(gen(fUint('sip.release-time', 'Release Time (ms)', d.tx.time, s, 0)));
    }
  }
  first.children = kids;
  out.push(first);
  if (d.headers.length === 0 && d.headEnd < 0) return out;
  // tshark's Message Header item runs to the end of its buffer (the body, and messages after it in a TCP segment)
  const hdrEnd = Math.min(b.length, Math.max(d.tvbEnd, d.headEnd, l.end));
  const hs = d.lineNext;
  const mh = fStr('sip.msg_hdr', 'Message Header', latin1Text(b, hs, hdrEnd), hs, hdrEnd - hs);
  mh.text = 'Message Header';
  const hk: Field[] = [];
  for (const h of d.headers) {
    for (const f of headerFields(b, h, d)) hk.push(f);
  }
  mh.children = hk;
  out.push(mh);
  if (d.headEnd >= 0 && d.bodyEnd > d.bodyStart) {
    const body = fText('Message Body', d.bodyStart, d.bodyEnd - d.bodyStart);
    body.key = 'sip.msg_body';
    const mt = bodyType(d);
    if (mt === 'application/sdp') body.children = [sdpFields(b, d.bodyStart, d.bodyEnd, d.tx?.sdpCallIds ?? [])];
    else if (mediaProtocol(mt) === 'data-text-lines') body.children = [textLines(b, d.bodyStart, d.bodyEnd, d.contentType ?? '')];
    out.push(body);
  }
  return out;
}

/** tshark's data-text-lines: "Line-based text data: text/plain (N lines)" and each line (bounded). */
function textLines(b: Uint8Array, s: number, e: number, ct: string): Field {
  const lines: Field[] = [];
  let n = 0;
  for (let p = s; p < e; n++) {
    let q = p;
    while (q < e && b[q] !== 0x0a) q++;
    const next = q < e ? q + 1 : q;
    if (lines.length < 1000) lines.push(fText(latin1Text(b, p, next).replace(/\r?\n$/, (m) => (m === '\r\n' ? '\\r\\n' : '\\n')), p, next - p));
    p = next;
  }
  return fText(`Line-based text data: ${(mediaType(ct) ?? ct)} (${n} lines)`, s, e - s, lines);
}

function headerFields(b: Uint8Array, h: SipHeader, d: SipD): Field[] {
  const lineText = latin1Text(b, h.at, h.end);
  const len = h.next - h.at;
  if (h.name === '') return [fText(lineText, h.at, len)];
  const val = latin1Text(b, h.vat, h.end);
  const key = `sip.${h.name}`;
  let f: Field;
  if (UINT_HEADERS.has(h.name) || h.name === 'Content-Length') {
    const m = /^\s*\d+/.exec(val);
    f = fUint(key, h.name, m === null ? 0 : Math.min(Number(m[0]), 0xffffffff), h.at, len);
    if (h.name === 'Content-Length' && m === null) {
      f.text = latin1Text(b, h.at, h.end);
      f.children = [fText('[Expert Info (Note/Malformed): Invalid content_length]', h.at, len, [
        fText('[Invalid content_length]', h.at, len), fText('[Severity level: Note]', h.at, len), fText('[Group: Malformed]', h.at, len),
      ])];
      return [f];
    }
  } else f = fStr(key, h.name, val, h.at, len);
  f.text = lineText;
  if (h.next === h.end) return [f]; // cut before its line end: no parts
  const kids: Field[] = [];
  const out: Field[] = [f];
  const sf = (k: string, lab: string, r0: number, r1: number) => fStr(k, lab, latin1Text(b, r0, r1), r0, r1 - r0);
  switch (h.name) {
    case 'Via': {
      // SIP/2.0/UDP host:port;params
      let p = h.vat;
      let sl = 0;
      while (p < h.end && buf(b, p) !== 0x20 && sl < 3) {
        if (b[p] === 0x2f) sl++;
        p++;
        if (sl === 2) {
          let t = p;
          while (t < h.end && b[t] !== 0x20 && b[t] !== 0x09) t++;
          kids.push(sf('sip.Via.transport', 'Transport', p, t));
          p = t;
          break;
        }
      }
      while (p < h.end && ws(b[p])) p++;
      let he = p;
      if (b[p] === 0x5b) {
        while (he < h.end && b[he] !== 0x5d) he++;
        he++;
      } else while (he < h.end && b[he] !== 0x3a && b[he] !== 0x3b && !ws(b[he]) && b[he] !== 0x2c) he++;
      he = Math.min(he, h.end);
      if (he > p) kids.push(sf('sip.Via.sent-by.address', 'Sent-by Address', p, he));
      let q = he;
      if (q < h.end && b[q] === 0x3a) {
        let pe = q + 1;
        while (pe < h.end && b[pe] >= 0x30 && b[pe] <= 0x39) pe++;
        const pf = fUint('sip.Via.sent-by.port', 'Sent-by port', Number(latin1Text(b, q + 1, pe) || '0'), q + 1, pe - q - 1);
        kids.push(pf);
        q = pe;
      }
      let pe = q;
      while (pe < h.end && b[pe] !== 0x2c) pe++;
      for (const pr of params(b, q, pe)) {
        const n = latin1Text(b, pr.n[0], pr.n[1]).toLowerCase();
        const vp = VIA_PARAMS[n];
        if (vp !== undefined) {
          // a parameter without a value shows its name (";rport")
          if (pr.v !== null) kids.push(sf(vp[0], vp[1], pr.v[0], pr.v[1]));
          else kids.push(sf(vp[0], vp[1], pr.n[0], pr.n[1]));
        }
      }
      break;
    }
    case 'From':
    case 'To': {
      const pre = h.name === 'From' ? 'sip.from' : 'sip.to';
      const lab = h.name === 'From' ? 'SIP from' : 'SIP to';
      const na = nameAddr(b, h.vat, h.end, false);
      if (na.disp !== null) {
        kids.push(sf(`${pre}.display.info`, `${lab} display info`, na.disp[0], na.disp[1]));
        out.push(hide(sf('sip.display.info', 'SIP Display info', na.disp[0], na.disp[1])));
      }
      const af = sf(`${pre}.addr`, `${lab} address`, na.uri[0], na.uri[1]);
      const ak = uriFields(b, na.uri[0], na.uri[1], pre, `${lab} address`, na.uri[1] < na.params ? `SIP ${h.name} URI parameter` : null);
      if (ak.length > 0) af.children = ak;
      kids.push(af);
      for (const pr of params(b, na.params, h.end)) {
        if (pr.v !== null && latin1Text(b, pr.n[0], pr.n[1]).toLowerCase() === 'tag') {
          kids.push(sf(`${pre}.tag`, `${lab} tag`, pr.v[0], pr.v[1]));
          kids.push(hide(sf('sip.tag', 'SIP tag', pr.v[0], pr.v[1])));
        }
      }
      break;
    }
    case 'Contact': {
      if (b[h.vat] === 0x2a) break;
      for (let p = h.vat, guard = 0; p < h.end && guard < 64; guard++) {
        const na = nameAddr(b, p, h.end, true);
        const cf = sf('sip.contact.uri', 'Contact URI', na.uri[0], na.uri[1]);
        const ck = uriFields(b, na.uri[0], na.uri[1], 'sip.contact', 'Contact URI', na.uri[1] < na.params ? 'Contact URI parameter' : null);
        if (ck.length > 0) cf.children = ck;
        kids.push(cf);
        for (const pr of params(b, na.params, na.end)) {
          kids.push(sf('sip.contact.parameter', 'Contact parameter', pr.n[0], pr.v !== null ? pr.v[1] : pr.n[1]));
        }
        if (na.end >= h.end) break;
        p = na.end + 1;
      }
      break;
    }
    case 'CSeq':
      kids.push(fUint('sip.CSeq.seq', 'Sequence Number', d.cseqSeq ?? 0, h.vat, 0));
      kids.push(fStr('sip.CSeq.method', 'Method', d.cseqMethod, h.vat, 0));
      break;
    case 'Call-ID':
      out.push(gen(fStr('sip.call_id_generated', 'Generated Call-ID', val, h.at, 0)));
      break;
    default:
      if (AUTH_HEADERS.has(h.name)) {
        let p = h.vat;
        while (p < h.end && !ws(b[p])) p++;
        kids.push(sf('sip.auth.scheme', 'Authentication Scheme', h.vat, p));
        out.push(hide(sf('sip.auth', 'Authentication', h.at, h.next)));
        for (let guard = 0; p < h.end && guard < 64; guard++) {
          while (p < h.end && (ws(b[p]) || b[p] === 0x2c)) p++;
          let q = p;
          let quoted = false;
          while (q < h.end && (quoted || b[q] !== 0x2c)) {
            if (b[q] === 0x22) quoted = !quoted;
            q++;
          }
          let eq = p;
          while (eq < q && b[eq] !== 0x3d) eq++;
          const n = latin1Text(b, p, eq).trim().toLowerCase();
          const ap = AUTH_PARAMS[n];
          if (ap !== undefined && eq < q) {
            let vs = eq + 1;
            while (vs < q && ws(b[vs])) vs++;
            let ve = q;
            while (ve > vs && ws(b[ve - 1])) ve--;
            kids.push(sf(ap[0], ap[1], vs, ve));
          }
          p = q;
        }
      }
      break;
  }
  if (kids.length > 0) f.children = kids;
  return out;
}

function buf(b: Uint8Array, p: number): number {
  return b[p];
}
