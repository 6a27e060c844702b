// HTTP/1.x (RFC 9112) on TCP 80, 8080, 8000, 3128 and by heuristic: the request or status line
// and the header block of a message that starts in this segment. Messages spread over several
// segments (and bodies) are left to TCP reassembly (a later stage). Scanning is bounded: a huge
// header line or absurd Content-Length cannot make it slow or throw.

import { fStr, fText, fUint, gen, latin1Text } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { fileDataText, headerLineFields, httpType, media, mediaProtocol, mediaType, typeField } from '../src/analysis/http/message.js';
import { fullUri } from '../src/analysis/http/parse.js';

/** Most header bytes scanned in one segment. */
const MAX_HEAD = 64 * 1024;
/** Most header lines decoded. */
const MAX_LINES = 512;

const METHODS = [
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH',
];

/** Header name (lower case) → [field key, label]. */
const HEADERS: Record<string, [string, string]> = {
  host: ['http.host', 'Host'], 'user-agent': ['http.user_agent', 'User-Agent'], accept: ['http.accept', 'Accept'],
  'accept-encoding': ['http.accept_encoding', 'Accept-Encoding'], 'accept-language': ['http.accept_language', 'Accept-Language'],
  authorization: ['http.authorization', 'Authorization'], 'cache-control': ['http.cache_control', 'Cache-Control'],
  connection: ['http.connection', 'Connection'], cookie: ['http.cookie', 'Cookie'], 'content-type': ['http.content_type', 'Content-Type'],
  'content-length': ['http.content_length_header', 'Content-Length'], 'content-encoding': ['http.content_encoding', 'Content-Encoding'],
  'transfer-encoding': ['http.transfer_encoding', 'Transfer-Encoding'], date: ['http.date', 'Date'], server: ['http.server', 'Server'],
  location: ['http.location', 'Location'], referer: ['http.referer', 'Referer'], 'set-cookie': ['http.set_cookie', 'Set-Cookie'],
  'last-modified': ['http.last_modified', 'Last-Modified'], upgrade: ['http.upgrade', 'Upgrade'],
  'x-forwarded-for': ['http.x_forwarded_for', 'X-Forwarded-For'], 'proxy-authorization': ['http.proxy_authorization', 'Proxy-Authorization'],
  'proxy-connection': ['http.proxy_connection', 'Proxy-Connection'], 'www-authenticate': ['http.www_authenticate', 'WWW-Authenticate'],
  'if-modified-since': ['http.if_modified_since', 'If-Modified-Since'], 'if-none-match': ['http.if_none_match', 'If-None-Match'],
};

const REASONS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Time-out', 413: 'Request Entity Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out',
};

export interface HttpLine {
  /** Line start and end (end excludes CR LF); `next` is where the following line starts. */
  at: number;
  end: number;
  next: number;
}

export interface HttpD {
  kind: 'request' | 'response' | 'continuation';
  /** First line and header lines (the empty line ending the header block is not included). */
  lines: HttpLine[];
  /** Offset just past the blank line ending the headers, or -1 when the block does not end here. */
  headEnd: number;
  /** Header lines were cut at MAX_LINES / MAX_HEAD. */
  capped: boolean;
  /**
   * A continuation on a connection that left HTTP (101 Switching Protocols: WebSocket, which tshark
   * dissects and wiretrace does not): no File Data (set by the TCP application analyzer).
   */
  upgraded?: boolean;
}


function startsWith(buf: Uint8Array, at: number, end: number, s: string): boolean {
  if (at + s.length > end) return false;
  for (let i = 0; i < s.length; i++) if (buf[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Request line "METHOD SP" or status line "HTTP/1.x SP DDD". */
export function looksLikeHttp(buf: Uint8Array, start: number, end: number): boolean {
  if (startsWith(buf, start, end, 'HTTP/1.')) {
    return end - start >= 12 && buf[start + 8] === 0x20 && isDigit(buf[start + 9]) && isDigit(buf[start + 10]) && isDigit(buf[start + 11]);
  }
  for (const m of METHODS) {
    if (startsWith(buf, start, end, m) && start + m.length < end && buf[start + m.length] === 0x20) {
      // require "HTTP/1." on the first line (bounded look)
      const lim = Math.min(end, start + 8192);
      for (let i = start + m.length; i + 7 <= lim; i++) {
        if (buf[i] === 0x0a) return false;
        if (buf[i] === 0x48 && startsWith(buf, i, lim, 'HTTP/1.')) return true;
      }
      return false;
    }
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function splitLines(buf: Uint8Array, start: number, end: number, d: HttpD): void {
  const lim = Math.min(end, start + MAX_HEAD);
  let p = start;
  while (p < lim) {
    let q = p;
    while (q < lim && buf[q] !== 0x0a) q++;
    if (q >= lim) {
      // Unterminated line (segment ends, or the cap): keep what is there.
      if (lim < end) d.capped = true;
      if (q > p) d.lines.push({ at: p, end: q, next: q });
      return;
    }
    const e = q > p && buf[q - 1] === 0x0d ? q - 1 : q;
    if (e === p) {
      d.headEnd = q + 1;
      return;
    }
    if (d.lines.length >= MAX_LINES) {
      d.capped = true;
      return;
    }
    d.lines.push({ at: p, end: e, next: q + 1 });
    p = q + 1;
  }
}

/** What the media type's dissector shows for the body bytes after the head in this segment; null when none follow. */
function segmentMedia(l: Layer<HttpD>): { column: string; suffix: string } | null {
  const d = l.d;
  if (d.kind === 'continuation' || d.headEnd < 0 || d.headEnd >= l.end) return null;
  const ct = header(l, 'content-type');
  const mt = mediaType(ct);
  if (ct === null || mt === null) return null;
  const body = l.buf.subarray(d.headEnd, l.end);
  return media(mt, () => ({ len: body.length, head: body.subarray(0, 16) }), () => body, ct);
}

/** Header value of the first line named `name` (lower case), or null. */
function header(l: Layer<HttpD>, name: string): string | null {
  const { buf } = l;
  for (let i = 1; i < l.d.lines.length; i++) {
    const ln = l.d.lines[i];
    if (ln.end - ln.at <= name.length || buf[ln.at + name.length] !== 0x3a) continue;
    if (latin1Text(buf, ln.at, ln.at + name.length).toLowerCase() === name) return latin1Text(buf, ln.at + name.length + 1, ln.end).trim();
  }
  return null;
}

/** The request or status line and header block at buf[start..] as a layer of `dis` (HTTP, SSDP). */
export function dissectHttp(dis: Dissector<HttpD>, buf: Uint8Array, start: number, end: number): Layer<HttpD> {
  const d: HttpD = { kind: 'continuation', lines: [], headEnd: -1, capped: false };
  const l = new Layer<HttpD>(dis, buf, start, end, d);
  if (!looksLikeHttp(buf, start, end)) return l;
  d.kind = startsWith(buf, start, end, 'HTTP/1.') ? 'response' : 'request';
  // (a body, or the next message, stays in this layer's range; TCP reassembly decodes bodies)
  splitLines(buf, start, end, d);
  if (d.capped) l.problem('unsupported', `HTTP header block longer than ${MAX_HEAD} bytes or ${MAX_LINES} lines: the rest is not decoded`, start, end);
  return l;
}

export const http: Dissector<HttpD> = {
  proto: 'http',
  name: 'Hypertext Transfer Protocol',
  // with body bytes after the head in this segment: the media dissector of its Content-Type
  protocolsPart(l) {
    const d = l.d;
    if (d.kind === 'continuation' || d.headEnd < 0 || d.headEnd >= l.end) return 'http';
    return 'http:' + mediaProtocol(mediaType(header(l, 'content-type')));
  },
  fieldKeys: [
    'http.request.method', 'http.request.uri', 'http.request.version', 'http.response.version', 'http.response.code',
    'http.response.code.desc', 'http.response.phrase', 'http.request.line', 'http.response.line', 'http.request',
    'http.response', 'http.notification', 'http.unknown_header', 'http.request.full_uri', 'http.content_length', 'http.file_data', ...Object.values(HEADERS).map((h) => h[0]),
  ],
  registers: [80, 8080, 8000, 3128].map((key) => ({ table: 'tcp.port', key })),
  heuristic: { table: 'tcp', test: looksLikeHttp },

  dissect(buf, start, end) {
    return dissectHttp(http, buf, start, end);
  },

  fields(l) {
    const d = l.d;
    const { buf } = l;
    const out: Field[] = [];
    if (d.kind === 'continuation' || d.lines.length === 0) {
      const c0 = l.buf[l.start];
      if (d.kind === 'continuation' && d.upgraded !== true && c0 >= 0x20 && c0 <= 0x7e) {
        // tshark: the bytes as File Data when the first one is printable (checked: 0x09, 0x80, 0xff
        // first give none), and a Data layer after HTTP either way (src/analysis/http/app.ts adds it
        // where the continuation stays in the packet)
        const fd = fStr('http.file_data', 'File Data', fileDataText(l.buf.subarray(l.start, l.end)), l.start, l.end - l.start);
        fd.text = `File Data: ${l.end - l.start} bytes`;
        out.push(fd);
      }
      return out;
    }
    const first = d.lines[0];
    const fl = latin1Text(buf, first.at, first.end);
    const kids: Field[] = [];
    if (d.kind === 'request') {
      const sp1 = fl.indexOf(' ');
      const sp2 = fl.lastIndexOf(' ');
      kids.push(fStr('http.request.method', 'Request Method', fl.slice(0, sp1), first.at, sp1));
      if (sp2 > sp1) {
        kids.push(fStr('http.request.uri', 'Request URI', fl.slice(sp1 + 1, sp2), first.at + sp1 + 1, sp2 - sp1 - 1));
        kids.push(fStr('http.request.version', 'Request Version', fl.slice(sp2 + 1), first.at + sp2 + 1, fl.length - sp2 - 1));
      }
    } else {
      const code = Number(fl.slice(9, 12));
      kids.push(fStr('http.response.version', 'Response Version', fl.slice(0, 8), first.at, 8));
      kids.push(fUint('http.response.code', 'Status Code', code, first.at + 9, 3));
      kids.push(fStr('http.response.code.desc', 'Status Code Description', REASONS[code] ?? 'Unknown', first.at + 9, 3));
      if (fl.length > 13) kids.push(fStr('http.response.phrase', 'Response Phrase', fl.slice(13), first.at + 13, fl.length - 13));
    }
    out.push(fText(fl + '\\r\\n', first.at, first.next - first.at, kids));
    const type = httpType(d.kind, d.kind === 'request' ? String(kids[0].show) : '');
    for (let i = 1; i < d.lines.length; i++) {
      const ln = d.lines[i];
      const text = latin1Text(buf, ln.at, ln.end);
      const len = ln.next - ln.at;
      const colon = text.indexOf(':');
      let own: Field | null = null;
      const h = colon > 0 ? HEADERS[text.slice(0, colon).toLowerCase()] : undefined;
      if (h) {
        const val = text.slice(colon + 1).trim();
        own = fStr(h[0], h[1], val, ln.at, len);
        own.text = `${text}\\r\\n`;
        if (h[0] === 'http.content_length_header') {
          const n = /^\d{1,15}$/.test(val) ? Number(val) : NaN;
          own.children = [gen(fUint('http.content_length', 'Content length', Number.isFinite(n) ? n : 0, ln.at, len))];
        }
      }
      for (const f of headerLineFields(type, own, text, ln.at, len)) out.push(f);
    }
    if (d.headEnd >= 0) out.push(fText('\\r\\n', d.headEnd - 2, 2));
    if (d.kind === 'request') {
      const full = kids.length > 1 ? fullUri(kids[0].show, kids[1].show, header(l, 'host')) : null;
      if (full !== null) out.push(gen(fStr('http.request.full_uri', 'Full request URI', full, l.start, 0)));
    }
    out.push(typeField(type, l.start));
    return out;
  },

  title: () => 'Hypertext Transfer Protocol',
  column(l) {
    const m = segmentMedia(l);
    return m === null ? 'HTTP' : m.column;
  },

  info(l) {
    const d = l.d;
    if (d.kind === 'continuation') return 'Continuation';
    if (d.lines.length === 0) return null;
    const first = d.lines[0];
    let s = latin1Text(l.buf, first.at, first.end) + ' ';
    // tshark hands the body bytes that follow the header block in this segment to the media type's
    // dissector, which may name it (the same rules as for a reassembled message)
    const m = segmentMedia(l);
    if (m !== null) s += m.suffix;
    return s;
  },
};
