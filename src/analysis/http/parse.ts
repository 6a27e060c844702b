// HTTP/1.x message framing and head parsing over a reassembled byte buffer (RFC 9112).
// Pure functions over bytes: no state, no I/O, never throws. Used by the desegmenter (how long is
// this message?) and by the message dissector (message.ts).

/** Longest header block looked for (request/status line + headers); longer is malformed. */
export const MAX_HEAD = 256 * 1024;
/** Most chunks walked in one chunked body (more is malformed). */
export const MAX_CHUNKS = 1_000_000;

export interface HttpHeader {
  /** Name as written, and lower-cased. */
  name: string;
  lname: string;
  value: string;
  /** Byte range of the whole header line (including continuation lines, excluding the final CRLF). */
  start: number;
  end: number;
  /** Offset of the line terminator end (next line start). */
  next: number;
}

export interface HttpHead {
  kind: 'request' | 'response';
  method: string;
  uri: string;
  version: string;
  code: number;
  phrase: string;
  /** End of the first line (before CRLF) and start of the next. */
  lineEnd: number;
  lineNext: number;
  headers: HttpHeader[];
  /** Offset just past the empty line ending the head (= body start). */
  headEnd: number;
  /** Content-Length value (-1 none, -2 invalid); several equal values accepted. */
  contentLength: number;
  contentLengthText: string | null;
  chunked: boolean;
  transferEncoding: string | null;
  contentType: string | null;
  contentEncoding: string | null;
  host: string | null;
  connection: string | null;
  upgrade: string | null;
  problems: string[];
}

const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH',
  'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'NOTIFY',
  'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'PURGE', 'LINK', 'UNLINK', 'SOURCE', 'POLL', 'BMOVE', 'BDELETE',
  'BPROPFIND', 'BPROPPATCH', 'BCOPY', 'VERSION-CONTROL', 'ACL', 'UPDATE', 'LABEL', 'BASELINE-CONTROL', 'MKWORKSPACE',
  'ORDERPATCH', 'MKCALENDAR', 'SSDP',
]);

// Buffer's native latin1 decoder (one char per byte, like String.fromCharCode) works on any Uint8Array.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice;

/** Bytes as one char each (latin1), e.g. a header line. */
export function ascii(buf: Uint8Array, s: number, e: number): string {
  if (e <= s) return '';
  return latin1Slice.call(buf, s, e);
}

/** Does buf[start..] look like the start of an HTTP/1.x message (request line or status line)? */
export function looksLikeHttp(buf: Uint8Array, start: number, end: number): 'request' | 'response' | null {
  const n = Math.min(end - start, 24);
  if (n < 4) return null;
  if (buf[start] === 0x48 && buf[start + 1] === 0x54 && buf[start + 2] === 0x54 && buf[start + 3] === 0x50) {
    // "HTTP/1."
    if (n >= 7 && buf[start + 4] === 0x2f && buf[start + 5] === 0x31 && buf[start + 6] === 0x2e) return 'response';
    return null;
  }
  let i = start;
  const lim = start + n;
  while (i < lim && ((buf[i] >= 0x41 && buf[i] <= 0x5a) || buf[i] === 0x2d)) i++;
  if (i === start || i >= lim || buf[i] !== 0x20) return null;
  return METHODS.has(ascii(buf, start, i)) ? 'request' : null;
}

/** Offset of the end of the line starting at `at` (the CR or LF), or -1 when no LF in [at, end). */
function lineEnd(buf: Uint8Array, at: number, end: number): number {
  const lf = buf.indexOf(0x0a, at);
  if (lf < 0 || lf >= end) return -1;
  return lf > at && buf[lf - 1] === 0x0d ? lf - 1 : lf;
}

/**
 * Offset just past the blank line that ends the head, searching from `from` (a resume point:
 * pass the previous result of `headScanResume`), or -1. Accepts CRLF and bare LF line ends.
 */
export function findHeadEnd(buf: Uint8Array, start: number, end: number, from = start): number {
  let i = Math.max(start, from);
  for (;;) {
    const lf = buf.indexOf(0x0a, i);
    if (lf < 0 || lf >= end) return -1;
    // blank line: LF directly after a previous LF (or CRLF)
    if (lf + 1 < end && buf[lf + 1] === 0x0a) return lf + 2;
    if (lf + 2 < end && buf[lf + 1] === 0x0d && buf[lf + 2] === 0x0a) return lf + 3;
    i = lf + 1;
  }
}

/**
 * tshark's "Full request URI" (http.request.full_uri): the URI as it is when absolute (http:// or
 * https://) or for CONNECT, else "http://" + Host (trimmed) + URI — also for "*" (SSDP's
 * "http://239.255.255.250:1900*"); none without a Host header.
 */
export function fullUri(method: string, uri: string, host: string | null, scheme = 'http'): string | null {
  if (host === null) return null;
  const u = uri.slice(0, 8).toLowerCase();
  if (u.startsWith('http://') || u.startsWith('https://') || method.slice(0, 7).toUpperCase() === 'CONNECT') return uri;
  return `${scheme}://${host.trim()}${uri}`;
}

/** The first line (without CRLF) as text, when the line is complete; else null. */
export function firstLine(buf: Uint8Array, start: number, end: number): string | null {
  const e = lineEnd(buf, start, Math.min(end, start + 65536));
  return e < 0 ? null : ascii(buf, start, e);
}

/**
 * A head parsed at offset 0 of a view, moved to offset `delta` of the buffer the view starts at
 * (every byte offset in it shifted; texts and problems carry no absolute offsets). Mutates `h`.
 */
export function rebaseHead(h: HttpHead, delta: number): HttpHead {
  if (delta === 0) return h;
  h.lineEnd += delta;
  h.lineNext += delta;
  h.headEnd += delta;
  for (const x of h.headers) {
    x.start += delta;
    x.end += delta;
    x.next += delta;
  }
  return h;
}

/** Parse the head in buf[start, headEnd). Never throws. */
export function parseHead(buf: Uint8Array, start: number, headEnd: number): HttpHead {
  const h: HttpHead = {
    kind: 'request', method: '', uri: '', version: '', code: 0, phrase: '', lineEnd: start, lineNext: start,
    headers: [], headEnd, contentLength: -1, contentLengthText: null, chunked: false, transferEncoding: null,
    contentType: null, contentEncoding: null, host: null, connection: null, upgrade: null, problems: [],
  };
  const le = lineEnd(buf, start, headEnd);
  const l1 = le < 0 ? headEnd : le;
  h.lineEnd = l1;
  h.lineNext = le < 0 ? headEnd : buf[l1] === 0x0d ? l1 + 2 : l1 + 1;
  const line = ascii(buf, start, l1);
  if (line.startsWith('HTTP/')) {
    h.kind = 'response';
    const m = /^(HTTP\/\d+\.\d+) (\d{3})(?: (.*))?$/.exec(line);
    if (m) {
      h.version = m[1];
      h.code = Number(m[2]);
      h.phrase = m[3] ?? '';
    } else h.problems.push(`bad status line "${line.slice(0, 80)}"`);
  } else {
    const m = /^(\S+) (\S*) (HTTP\/\d+\.\d+)$/.exec(line);
    if (m) {
      h.method = m[1];
      h.uri = m[2];
      h.version = m[3];
    } else {
      const sp = line.indexOf(' ');
      h.method = sp > 0 ? line.slice(0, sp) : line;
      h.problems.push(`bad request line "${line.slice(0, 80)}"`);
    }
  }
  let p = h.lineNext;
  let last: HttpHeader | null = null;
  while (p < headEnd) {
    const e = lineEnd(buf, p, headEnd);
    if (e < 0 || e === p) break;
    const next = buf[e] === 0x0d ? e + 2 : e + 1;
    const c = buf[p];
    if ((c === 0x20 || c === 0x09) && last !== null) {
      // obsolete line folding: continuation of the previous header's value
      last.value += ' ' + ascii(buf, p, e).trim();
      last.end = e;
      last.next = next;
    } else {
      const text = ascii(buf, p, e);
      const colon = text.indexOf(':');
      if (colon <= 0) {
        h.problems.push(`header line without a colon at offset ${p - start}`);
        last = null;
      } else {
        const name = text.slice(0, colon);
        last = { name, lname: name.toLowerCase(), value: text.slice(colon + 1).trim(), start: p, end: e, next };
        h.headers.push(last);
      }
    }
    p = next;
  }
  for (const hd of h.headers) {
    switch (hd.lname) {
      case 'content-length': {
        const v = hd.value.trim();
        const n = /^\d{1,16}$/.test(v) ? Number(v) : -2;
        if (n === -2) h.problems.push(`bad Content-Length "${v.slice(0, 40)}"`);
        if (h.contentLength >= 0 && n !== h.contentLength) {
          h.problems.push('conflicting Content-Length headers');
          h.contentLength = -2;
        } else if (h.contentLength !== -2) h.contentLength = n;
        h.contentLengthText = v;
        break;
      }
      case 'transfer-encoding':
        h.transferEncoding = h.transferEncoding === null ? hd.value : h.transferEncoding + ', ' + hd.value;
        break;
      case 'content-type': h.contentType ??= hd.value; break;
      case 'content-encoding': h.contentEncoding ??= hd.value; break;
      case 'host': h.host ??= hd.value; break;
      case 'connection': h.connection ??= hd.value; break;
      case 'upgrade': h.upgrade ??= hd.value; break;
    }
  }
  if (h.transferEncoding !== null) {
    const parts = h.transferEncoding.toLowerCase().split(',').map((s) => s.trim());
    h.chunked = parts[parts.length - 1] === 'chunked';
  }
  return h;
}

export interface ChunkScan {
  /** Offset just past the message (after the trailers' blank line), or -1 when more bytes are needed. */
  end: number;
  /** Where to resume scanning (a chunk-size line start) when end is -1. */
  resume: number;
  /** Malformed chunk framing (end is then the buffer end). */
  error: string | null;
  chunks: number;
}

/** Walk a chunked body from `at` (a chunk-size line start). */
export function scanChunks(buf: Uint8Array, at: number, end: number, chunksBefore = 0): ChunkScan {
  let p = at;
  let chunks = chunksBefore;
  for (;;) {
    if (chunks > MAX_CHUNKS) return { end, resume: p, error: `more than ${MAX_CHUNKS} chunks`, chunks };
    const e = lineEnd(buf, p, Math.min(end, p + 1024));
    if (e < 0) {
      if (end - p >= 1024) return { end, resume: p, error: 'chunk size line longer than 1024 bytes', chunks };
      return { end: -1, resume: p, error: null, chunks };
    }
    const line = ascii(buf, p, e);
    const m = /^\s*([0-9a-fA-F]{1,13})\s*(;.*)?$/.exec(line);
    if (!m) return { end, resume: p, error: `bad chunk size line "${line.slice(0, 40)}"`, chunks };
    const size = parseInt(m[1], 16);
    const dataAt = buf[e] === 0x0d ? e + 2 : e + 1;
    if (size === 0) {
      // trailers until a blank line
      let q = dataAt;
      for (let guard = 0; guard < 10000; guard++) {
        const te = lineEnd(buf, q, end);
        if (te < 0) {
          if (end - q > MAX_HEAD) return { end, resume: p, error: 'trailer section too long', chunks };
          return { end: -1, resume: p, error: null, chunks };
        }
        const nx = buf[te] === 0x0d ? te + 2 : te + 1;
        if (te === q) return { end: nx, resume: p, error: null, chunks: chunks + 1 };
        q = nx;
      }
      return { end, resume: p, error: 'too many trailer lines', chunks };
    }
    const next = dataAt + size;
    // the CRLF after the data
    if (next + 1 > end) return { end: -1, resume: p, error: null, chunks };
    if (buf[next] === 0x0d) {
      if (next + 2 > end) return { end: -1, resume: p, error: null, chunks };
      p = next + 2;
    } else if (buf[next] === 0x0a) p = next + 1;
    else return { end, resume: p, error: 'chunk data not followed by CRLF', chunks };
    chunks++;
  }
}

export interface Dechunked {
  body: Uint8Array;
  trailers: HttpHeader[];
  /** Chunk records for the tree: size-line start, data start, size. */
  chunks: { at: number; dataAt: number; size: number }[];
  error: string | null;
}

/** Decode a chunked body in buf[at, end) (bounded by `maxOut` bytes of output). */
export function dechunk(buf: Uint8Array, at: number, end: number, maxOut: number): Dechunked {
  const parts: Uint8Array[] = [];
  const chunks: Dechunked['chunks'] = [];
  let total = 0;
  let p = at;
  let error: string | null = null;
  const trailers: HttpHeader[] = [];
  for (let n = 0; n <= MAX_CHUNKS; n++) {
    const e = lineEnd(buf, p, Math.min(end, p + 1024));
    if (e < 0) { error = 'chunked body ends inside a chunk size line'; break; }
    const m = /^\s*([0-9a-fA-F]{1,13})/.exec(ascii(buf, p, e));
    if (!m) { error = 'bad chunk size line'; break; }
    const size = parseInt(m[1], 16);
    const dataAt = buf[e] === 0x0d ? e + 2 : e + 1;
    chunks.push({ at: p, dataAt, size });
    if (size === 0) {
      let q = dataAt;
      for (let g = 0; g < 10000; g++) {
        const te = lineEnd(buf, q, end);
        if (te < 0 || te === q) break;
        const text = ascii(buf, q, te);
        const c = text.indexOf(':');
        const nx = buf[te] === 0x0d ? te + 2 : te + 1;
        if (c > 0) trailers.push({ name: text.slice(0, c), lname: text.slice(0, c).toLowerCase(), value: text.slice(c + 1).trim(), start: q, end: te, next: nx });
        q = nx;
      }
      break;
    }
    const de = Math.min(dataAt + size, end);
    if (total < maxOut) {
      const k = Math.min(de - dataAt, maxOut - total);
      parts.push(buf.subarray(dataAt, dataAt + k));
      total += k;
    }
    if (dataAt + size > end) { error = 'chunked body ends inside a chunk'; break; }
    p = dataAt + size;
    p += buf[p] === 0x0d ? 2 : 1;
  }
  const body = new Uint8Array(total);
  let o = 0;
  for (const x of parts) {
    body.set(x, o);
    o += x.length;
  }
  return { body, trailers, chunks, error };
}
