// The HTTP/1.x message dissector for WHOLE messages (a reassembled buffer, or one segment that
// holds a whole message): request/status line, headers (folded, duplicates), body by
// Content-Length / chunked (decoded, trailers kept) / until close, Content-Encoding gzip, deflate
// and br decoded for display (bounded). Never throws. The HTTP transaction analyzer (analyzer.ts)
// adds http.request_in / http.response_in / http.time / http.response_for.uri to layer.extra.
//
// Exported for the transport engineer's dissectors/http.ts, which may call `httpMessage.dissect`
// on a buffer that holds a whole message.

import type * as Zlib from 'node:zlib';
import { builtin } from '../../lazy-builtin.js';
import { fStr, fText, fUint, gen, hide } from '../../dissect/fields.js';
import { Layer } from '../../dissect/layer.js';
import type { Dissector, Field } from '../../dissect/types.js';
import { ascii, dechunk, findHeadEnd, fullUri, parseHead, scanChunks, type HttpHead } from './parse.js';

/** node:zlib, loaded with the first compressed body (lazy-builtin.ts). */
const zlib = (): typeof Zlib => builtin<typeof Zlib>('node:zlib');

/** Most decoded body bytes kept for display (per message). */
export const MAX_BODY_DECODE = 8 << 20;

export interface HttpD {
  head: HttpHead | null;
  /** Body range in layer.buf (raw: chunked framing included). */
  bodyStart: number;
  bodyEnd: number;
  /** Length the framing announced (Content-Length / chunk sum); -1 unknown. */
  declaredBody: number;
  /** The message is not whole ('cap', 'gap', 'eof'), set by the analyzer. */
  cut: string | null;
  /** Body bytes at the end of the message that were counted, not kept (TcpApp sparse: table only). */
  omitted: number;
  /** Carried by decrypted TLS: the full URI is https://… (set by the analyzer). */
  tls?: boolean;
}

const HEADER_KEYS: Record<string, string> = {
  host: 'http.host', 'user-agent': 'http.user_agent', 'content-type': 'http.content_type',
  'transfer-encoding': 'http.transfer_encoding', 'content-encoding': 'http.content_encoding',
  connection: 'http.connection', upgrade: 'http.upgrade', server: 'http.server', date: 'http.date',
  'cache-control': 'http.cache_control', location: 'http.location', cookie: 'http.cookie',
  'set-cookie': 'http.set_cookie', referer: 'http.referer', accept: 'http.accept',
  'accept-encoding': 'http.accept_encoding', 'accept-language': 'http.accept_language',
  authorization: 'http.authorization', 'last-modified': 'http.last_modified',
  'x-forwarded-for': 'http.x_forwarded_for', 'keep-alive': 'http.keep_alive',
};

/** The media type of a Content-Type value: lower case, without parameters. */
export function mediaType(ct: string | null): string | null {
  if (ct === null) return null;
  const i = ct.indexOf(';');
  return (i >= 0 ? ct.slice(0, i) : ct).trim().toLowerCase();
}

// What tshark 4.0's media dissectors add to the Info and Protocol columns for a body, by media type
// (each list checked type by type against tshark; a type not listed gets the media fallback "(type)"):
// the XML and JSON dissectors rename the Protocol column, the image ones name the format when the
// body starts with its magic number (and is at least 20 bytes long).
const XML_TYPES = new Set([
  'text/xml', 'application/xml', 'image/svg+xml', 'application/soap+xml', 'application/atom+xml',
  'application/rss+xml', 'application/rdf+xml', 'application/xslt+xml', 'application/xml-dtd',
  'application/mathml+xml', 'text/vnd.wap.wml', 'text/vnd.wap.si', 'text/vnd.wap.sl', 'text/vnd.wap.co',
  'application/xcap-el+xml', 'application/xcap-diff+xml', 'application/pidf+xml', 'application/rlmi+xml',
  'application/reginfo+xml', 'application/resource-lists+xml', 'application/rls-services+xml',
  'application/watcherinfo+xml', 'application/conference-info+xml',
]);
const JSON_TYPES = new Set([
  'application/json', 'application/json-rpc', 'application/jsonrequest', 'application/senml+json',
  'application/sensml+json', 'application/problem+json', 'application/vnd.oma.lwm2m+json',
  'application/dds-web+json', 'application/x-ndjson', 'application/merge-patch+json', 'application/json-patch+json',
]);
const JFIF_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/jfif', 'video/x-motion-jpeg']);
const PNG_TYPES = new Set(['image/png', 'image/x-png', 'image/apng']);
const GIF_TYPES = new Set(['image/gif', 'image/x-gif']);
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A body as a media dissector gets it: its length and first bytes. */
interface MediaBody {
  len: number;
  head: Uint8Array;
}

/** The message body as a media dissector gets it (de-chunked and decoded when it has to be). */
function mediaBody(l: Layer<HttpD>): MediaBody {
  const d = l.d;
  const h = d.head!;
  if (!h.chunked && h.contentEncoding === null) {
    return { len: d.bodyEnd - d.bodyStart + d.omitted, head: l.buf.subarray(d.bodyStart, Math.min(d.bodyEnd, d.bodyStart + 16)) };
  }
  const b = decodeBody(l).bytes;
  return { len: b.length, head: b.subarray(0, 16) };
}

const TEXT_LINES_TYPES = new Set(['application/javascript', 'application/x-javascript', 'application/ecmascript']);

/**
 * The protocol tshark's frame.protocols names after "http" for a body of media type `mt` (null: a
 * body without Content-Type): the media dissector the type is registered to.
 */
export function mediaProtocol(mt: string | null): string {
  // (application/octet-stream goes to tshark's data dissector: "http:data", 5,542 frames of the bench slice)
  if (mt === null || mt === 'application/octet-stream') return 'data';
  if (XML_TYPES.has(mt)) return 'xml';
  if (JSON_TYPES.has(mt)) return 'json';
  if (mt === 'application/sdp') return 'sdp';
  if (mt.startsWith('multipart/')) return 'mime_multipart';
  if (JFIF_TYPES.has(mt)) return 'image-jfif';
  if (PNG_TYPES.has(mt)) return 'png';
  if (GIF_TYPES.has(mt)) return 'image-gif';
  if (mt === 'application/x-www-form-urlencoded') return 'urlencoded-form';
  if (mt.startsWith('text/') || TEXT_LINES_TYPES.has(mt)) return 'data-text-lines';
  return 'media';
}

/** Types tshark hands to a dissector that adds nothing to the Info column (application/octet-stream: "data"). */
const SILENT_TYPES = new Set(['application/octet-stream', 'application/grpc', 'application/grpc+proto']);

/**
 * Protocol column and Info suffix of a body of media type `mt` (`body` read only for the image
 * types, `whole` for multipart; `contentType` is the full header value, with its parameters).
 */
export function media(mt: string, body: () => MediaBody, whole: () => Uint8Array | null, contentType: string): { column: string; suffix: string } {
  if (XML_TYPES.has(mt)) return { column: 'HTTP/XML', suffix: '' };
  if (JSON_TYPES.has(mt)) return { column: 'HTTP/JSON', suffix: `, JavaScript Object Notation (${mt})` };
  if (mt === 'application/sdp') return { column: 'HTTP/SDP', suffix: '' };
  if (SILENT_TYPES.has(mt)) return { column: 'HTTP', suffix: '' };
  if (mt.startsWith('multipart/')) {
    // the multipart dissector names no type itself; each part with a Content-Type goes to its own media dissector
    const b = whole();
    return { column: 'HTTP', suffix: b === null ? '' : multipartSuffix(b, contentType) };
  }
  const image = JFIF_TYPES.has(mt) ? 1 : PNG_TYPES.has(mt) ? 2 : GIF_TYPES.has(mt) ? 3 : 0;
  if (image !== 0) {
    const { len, head: b } = body();
    if (len >= 20 && b.length >= 11) {
      // JFIF: SOI, then "JFIF\0" or "Exif\0" at offset 6 (the APP0 / APP1 identifier)
      const jfif = (b[6] === 0x4a && b[7] === 0x46 && b[8] === 0x49 && b[9] === 0x46) || (b[6] === 0x45 && b[7] === 0x78 && b[8] === 0x69 && b[9] === 0x66);
      if (image === 1 && b[0] === 0xff && b[1] === 0xd8 && jfif && b[10] === 0) {
        return { column: 'HTTP', suffix: ' (JPEG JFIF image)' };
      }
      if (image === 2 && PNG_MAGIC.every((v, i) => b[i] === v)) return { column: 'HTTP', suffix: ' (PNG)' };
      if (image === 3 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) {
        return { column: 'HTTP', suffix: b[4] === 0x37 ? ' (GIF87a)' : ' (GIF89a)' };
      }
    }
  }
  return { column: 'HTTP', suffix: ` (${mt})` };
}

/** The boundary parameter of a multipart Content-Type, or null. */
function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  return m === null ? null : (m[1] ?? m[2]);
}

/** The Info suffixes of a multipart body's parts that carry a Content-Type (tshark's multipart dissector). */
function multipartSuffix(body: Uint8Array, contentType: string): string {
  const boundary = boundaryOf(contentType);
  if (boundary === null || boundary === '') return '';
  // a Buffer over the same bytes: its indexOf finds a byte sequence
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delim = new TextEncoder().encode('--' + boundary);
  let at = b.indexOf(delim, 0);
  let out = '';
  for (let parts = 0; at >= 0 && parts < 64; parts++) {
    let p = at + delim.length;
    if (b[p] === 0x2d && b[p + 1] === 0x2d) break; // the last boundary
    while (p < b.length && b[p] !== 0x0a) p++; // the rest of the boundary line
    const headStart = p + 1;
    const crlf2 = b.indexOf(CRLFCRLF, headStart - 2);
    if (crlf2 < 0) break;
    const bodyStart = crlf2 + 4;
    const next = b.indexOf(delim, bodyStart);
    // the part ends before the CRLF that precedes the next boundary
    const bodyEnd = next < 0 ? b.length : next >= 2 && b[next - 2] === 0x0d && b[next - 1] === 0x0a ? next - 2 : next;
    let ct: string | null = null;
    for (const line of b.toString('latin1', headStart, crlf2).split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0 && line.slice(0, c).trim().toLowerCase() === 'content-type') ct = line.slice(c + 1).trim();
    }
    const mt = mediaType(ct);
    if (mt !== null && ct !== null) {
      const pb = b.subarray(bodyStart, Math.max(bodyStart, bodyEnd));
      out += media(mt, () => ({ len: pb.length, head: pb.subarray(0, 16) }), () => pb, ct).suffix;
    }
    at = next;
  }
  return out;
}

const CRLFCRLF = new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a]);

/** The media type of a message that has a body to hand to a media dissector, else null. */
function bodyMediaType(l: Layer<HttpD>): string | null {
  const d = l.d;
  if (d.head === null || !(d.bodyEnd > d.bodyStart || d.omitted > 0)) return null;
  return mediaType(d.head.contentType);
}

/** frame.protocols' part for a message layer: "http", and the body's media dissector when there is a body. */
export function messageProtocols(l: Layer<HttpD>): string {
  const d = l.d;
  if (d.head === null || !(d.bodyEnd > d.bodyStart || d.omitted > 0)) return 'http';
  return 'http:' + mediaProtocol(mediaType(d.head.contentType));
}

/** media() for a message layer. */
function layerMedia(l: Layer<HttpD>, mt: string): { column: string; suffix: string } {
  return media(mt, () => mediaBody(l), () => (l.d.omitted > 0 ? null : decodeBody(l).bytes), l.d.head!.contentType!);
}

export interface DecodedBody {
  /** Body after de-chunking and content decoding (bounded by MAX_BODY_DECODE). */
  bytes: Uint8Array;
  /** Bytes on the wire after de-chunking (before content decoding). */
  entityLen: number;
  encoding: string | null;
  error: string | null;
  /** The chunked transfer coding could not be undone (tshark stops the message there: no File Data). */
  chunkError: boolean;
  trailers: { name: string; value: string }[];
}

/** The message body as a user wants to see it. */
export function decodeBody(l: Layer<HttpD>): DecodedBody {
  const d = l.d;
  const h = d.head;
  let raw = l.buf.subarray(d.bodyStart, d.bodyEnd);
  let error: string | null = null;
  let chunkError = false;
  let trailers: DecodedBody['trailers'] = [];
  if (h?.chunked) {
    const dc = dechunk(l.buf, d.bodyStart, d.bodyEnd, MAX_BODY_DECODE);
    raw = dc.body;
    error = dc.error;
    chunkError = dc.error !== null;
    trailers = dc.trailers.map((t) => ({ name: t.name, value: t.value }));
  }
  const entityLen = raw.length;
  const enc = h?.contentEncoding?.toLowerCase().trim() ?? null;
  let bytes = raw;
  if (enc && raw.length > 0 && d.cut === null) {
    const opt = { maxOutputLength: MAX_BODY_DECODE };
    try {
      if (enc === 'gzip' || enc === 'x-gzip') bytes = zlib().gunzipSync(raw, opt);
      else if (enc === 'deflate') {
        try {
          bytes = zlib().inflateSync(raw, opt);
        } catch {
          bytes = zlib().inflateRawSync(raw, opt);
        }
      } else if (enc === 'br') bytes = zlib().brotliDecompressSync(raw, opt);
    } catch (e) {
      error = `cannot decode ${enc} body: ${(e as Error).message}`;
      bytes = raw;
    }
  }
  return { bytes, entityLen, encoding: enc, error, chunkError, trailers };
}

/**
 * The HTTP message layer for buf[start, end); `head`: the message's head already parsed at `start` (by
 * the desegmenter's framer, offsets rebased to buf), so it is not parsed twice; null parses it here.
 */
export function httpMessageLayer(buf: Uint8Array, start: number, end: number, head: HttpHead | null): Layer<HttpD> {
  const d: HttpD = { head: null, bodyStart: end, bodyEnd: end, declaredBody: -1, cut: null, omitted: 0 };
  const l = new Layer<HttpD>(httpMessage, buf, start, end, d);
  let he: number;
  let h: HttpHead;
  if (head !== null && head.headEnd <= end) {
    he = head.headEnd;
    h = head;
  } else {
    he = findHeadEnd(buf, start, end);
    if (he < 0) {
      l.problem('malformed', 'the header block does not end (no blank line)', start, end);
      he = end;
    }
    h = parseHead(buf, start, he);
  }
  d.head = h;
  for (const p of h.problems) l.problem('malformed', p, start, he);
  d.bodyStart = he;
  d.bodyEnd = end;
  if (h.contentLength >= 0 && !h.chunked) {
    d.declaredBody = h.contentLength;
    if (end - he > h.contentLength) d.bodyEnd = he + h.contentLength;
  }
  if (h.chunked && end > he) {
    // a chunk size line that is no size, or chunk data not followed by its CRLF: tshark's HTTP dissector
    // throws there ("[Malformed Packet]")
    const sc = scanChunks(buf, he, end);
    if (sc.error !== null) l.problem('malformed', `chunked body: ${sc.error}`, sc.resume, end);
  }
  return l;
}

/** tshark's message types: NOTIFY, SUBSCRIBE and UNSUBSCRIBE (UPnP GENA, SSDP) are notifications. */
export type HttpType = 'request' | 'response' | 'notification';
export function httpType(kind: 'request' | 'response', method: string): HttpType {
  return kind === 'request' && (method === 'NOTIFY' || method === 'SUBSCRIBE' || method === 'UNSUBSCRIBE') ? 'notification' : kind;
}

/**
 * The fields of one header line as tshark adds them: the header's own field (`own`, when it has one)
 * with the line hidden under http.request.line / http.response.line, else the line itself; in a
 * notification no line fields, and a header without a field of its own is http.unknown_header.
 * `text` is the line without its CR LF.
 */
export function headerLineFields(type: HttpType, own: Field | null, text: string, start: number, len: number): Field[] {
  const line = text + '\\r\\n';
  if (type === 'notification') {
    if (own !== null) return [own];
    const u = fStr('http.unknown_header', 'Unknown header', line, start, len);
    u.text = line;
    return [u];
  }
  const lf = fStr(type === 'request' ? 'http.request.line' : 'http.response.line', text, line, start, len);
  lf.text = line;
  return own !== null ? [own, hide(lf)] : [lf];
}

/** The hidden http.request / http.response / http.notification flag tshark puts after the headers. */
export function typeField(type: HttpType, at: number): Field {
  const label = type === 'request' ? 'Request' : type === 'response' ? 'Response' : 'Notification';
  return hide(gen({ key: `http.${type}`, label, value: true, show: '1', start: at, len: 0, text: `${label}: True` }));
}

/**
 * tshark 4.0's http.file_data value: the (de-chunked, decoded) body as an ASCII string (FT_STRING)
 * up to its first NUL byte, each byte of 0x80 or more as U+FFFD (so "é" in UTF-8 is two of them).
 * `-T fields` then escapes \b, \t, \n, \f and \r as it does in every value (escapeBare).
 */
export function fileDataText(body: Uint8Array): string {
  let end = body.indexOf(0);
  if (end < 0) end = body.length;
  const s = Buffer.from(body.buffer, body.byteOffset, end).toString('latin1');
  return /[\x80-\xff]/.test(s) ? s.replace(/[\x80-\xff]/g, '\ufffd') : s;
}

export const httpMessage: Dissector<HttpD> = {
  proto: 'http',
  name: 'Hypertext Transfer Protocol',
  protocolsPart: messageProtocols,
  fieldKeys: [
    'http.request', 'http.response', 'http.request.method', 'http.request.uri', 'http.request.version',
    'http.request.full_uri', 'http.response.version', 'http.response.code', 'http.response.code.desc',
    'http.response.phrase', 'http.content_length_header', 'http.content_length', 'http.request.line',
    'http.response.line', 'http.file_data', 'http.chunked_trailer_part', 'http.unknown_header', 'http.notification',
    ...new Set(Object.values(HEADER_KEYS)),
    'http.request_in', 'http.response_in', 'http.time', 'http.response_for.uri', 'http.prev_request_in',
    'http.prev_response_in',
  ],

  dissect(buf, start, end) {
    return httpMessageLayer(buf, start, end, null);
  },

  fields(l) {
    const { buf } = l;
    const d = l.d;
    const h = d.head;
    const out: Field[] = [];
    if (!h) return out;
    const s = l.start;
    const lineText = buf.subarray(s, h.lineEnd);
    let line = '';
    for (const c of lineText) line += String.fromCharCode(c);
    const kids: Field[] = [];
    if (h.kind === 'request') {
      kids.push(fStr('http.request.method', 'Request Method', h.method, s, h.method.length));
      kids.push(fStr('http.request.uri', 'Request URI', h.uri, s + h.method.length + 1, h.uri.length));
      kids.push(fStr('http.request.version', 'Request Version', h.version, h.lineEnd - h.version.length, h.version.length));
    } else {
      kids.push(fStr('http.response.version', 'Response Version', h.version, s, h.version.length));
      kids.push(fUint('http.response.code', 'Status Code', h.code, s + h.version.length + 1, 3));
      kids.push(fStr('http.response.phrase', 'Response Phrase', h.phrase, s + h.version.length + 5, h.phrase.length));
    }
    out.push(fText(line + '\\r\\n', s, h.lineNext - s, kids));
    const type = httpType(h.kind, h.method);
    for (const hd of h.headers) {
      const key = HEADER_KEYS[hd.lname];
      const text = ascii(buf, hd.start, hd.end); // the line as written (spacing kept, as tshark shows it)
      const len = hd.next - hd.start;
      let own: Field | null = null;
      if (hd.lname === 'content-length') {
        own = fStr('http.content_length_header', 'Content-Length', hd.value, hd.start, len);
        if (h.contentLength >= 0) own.children = [gen(fUint('http.content_length', 'Content length', h.contentLength, hd.start, len))];
      } else if (key) own = fStr(key, hd.name, hd.value, hd.start, len);
      if (own !== null) own.text = text + '\\r\\n';
      for (const f of headerLineFields(type, own, text, hd.start, len)) out.push(f);
    }
    out.push(fText('\\r\\n', h.headEnd - 2, 2));
    if (h.kind === 'request') {
      const full = fullUri(h.method, h.uri, h.host, d.tls === true ? 'https' : 'http');
      if (full !== null) out.push(gen(fStr('http.request.full_uri', 'Full request URI', full, 0, 0)));
    }
    out.push(typeField(type, s));
    if (d.bodyEnd > d.bodyStart) {
      const b = decodeBody(l);
      if (h.chunked) out.push(fText(`HTTP chunked response`, d.bodyStart, d.bodyEnd - d.bodyStart));
      for (const t of b.trailers) out.push(fStr('http.chunked_trailer_part', 'trailer-part', `${t.name}: ${t.value}`, d.bodyStart, 0));
      if (b.encoding && b.bytes !== undefined && b.error === null && (b.encoding === 'gzip' || b.encoding === 'deflate' || b.encoding === 'br' || b.encoding === 'x-gzip')) {
        out.push(fText(`Content-encoded entity body (${b.encoding}): ${b.entityLen} bytes -> ${b.bytes.length} bytes`, d.bodyStart, d.bodyEnd - d.bodyStart));
      }
      if (b.error) out.push(fText(`[${b.error}]`, d.bodyStart, d.bodyEnd - d.bodyStart));
      // (a chunked body that cannot be undone: tshark's HTTP stops with an exception before File Data)
      if (!b.chunkError) {
        const fd = fStr('http.file_data', 'File Data', fileDataText(b.bytes), d.bodyStart, d.bodyEnd - d.bodyStart);
        fd.text = `File Data: ${b.bytes.length} bytes`;
        out.push(fd);
      }
    }
    if (d.cut !== null) out.push(fText(`[Message not whole: ${d.cut}]`, l.start, 0));
    return out;
  },

  title: () => 'Hypertext Transfer Protocol',
  column(l) {
    const mt = bodyMediaType(l);
    return mt === null ? 'HTTP' : layerMedia(l, mt).column;
  },

  info(l, layers) {
    const own = messageInfo(l);
    if (own === null) return null;
    // several messages completed in one frame: tshark shows each one's line, in order ("GET /a HTTP/1.1
    // GET /b HTTP/1.1 "); the row asks the last one
    let s = '';
    for (let i = layers.indexOf(l) - 1; i >= 0; i--) {
      const p = layers[i];
      if (p.dis === httpMessage) s = (messageInfo(p as Layer<HttpD>) ?? '') + s;
      else if (p.dis.proto !== 'tcp.segments') break;
    }
    return s + own;
  },
};

/** A message's own Info: its first line and a space, then what its media type adds. */
function messageInfo(l: Layer<HttpD>): string | null {
  const h = l.d.head;
  if (!h) return null;
  let s = ascii(l.buf, l.start, Math.min(h.lineEnd, l.start + 65536)) + ' ';
  const mt = bodyMediaType(l);
  if (mt !== null) s += layerMedia(l, mt).suffix;
  return s;
}
