// HTTP/1.x message framing for the desegmenter: how long is the message that starts here?
// One HttpConn per TCP connection links the two directions (a response's body rules depend on
// its request's method; 101 / CONNECT end HTTP on the connection).

import type { AppParser } from '../desegment.js';
import { wsFrameLength } from '../../../dissectors/websocket.js';
import { MAX_HEAD, findHeadEnd, firstLine, looksLikeHttp, parseHead, scanChunks, type HttpHead } from './parse.js';

/** Body bytes kept ahead of a skipped body (see holdFrom; JFIF's check reads bytes 0-10). */
export const BODY_MAGIC = 16;

export class HttpConn {
  /** Methods of requests whose head was seen and that await their final response, oldest first. */
  methods: string[] = [];
  /** A request was seen on the connection (tshark's have_seen_http: then other bytes are "Continuation"). */
  sawRequest = false;
  /** The connection left HTTP (101 Switching Protocols, or a CONNECT tunnel). */
  upgraded = false;
  /** …for WebSocket (101 with "Upgrade: websocket"): its frames are cut and shown from then on. */
  websocket = false;
}

/** Message.meta of a WebSocket frame (HttpFramer cuts those too, once the connection upgraded). */
export const WS_FRAME = Object.freeze({ websocket: true });

export class HttpFramer implements AppParser {
  /** Once the length is known (Content-Length), only the head is read again (the body is read only by fields). */
  readonly sparse = true;
  private headScan = 0;
  private headEnd = -1;
  private head: HttpHead | null = null;
  private chunkAt = -1;
  private chunks = 0;
  private noted = false;
  /** The message at the buffer start is a response whose body runs until the close; its first line was given as partialInfo. */
  private untilClose = false;
  private untilCloseInfo = false;
  /** The message at the buffer start is a WebSocket frame. */
  private ws = false;

  constructor(readonly conn: HttpConn) {}

  done(): void {
    this.headScan = 0;
    this.headEnd = -1;
    this.head = null;
    this.chunkAt = -1;
    this.chunks = 0;
    this.noted = false;
    this.untilClose = false;
    this.untilCloseInfo = false;
    this.ws = false;
  }

  /**
   * The head and the first BODY_MAGIC bytes of the body stay stored (the Info names some media types
   * from the body's magic number: "(PNG)", "(GIF89a)", "(JPEG JFIF image)").
   */
  holdFrom(): number {
    if (this.ws) return Infinity; // a WebSocket frame is read whole (unmasked, shown as text)
    if (this.headEnd < 0) return 0;
    // a multipart body is read whole (its parts' media types are named too)
    const ct = this.head?.contentType;
    if (ct != null && /^\s*multipart\//i.test(ct)) return Infinity;
    return this.headEnd + BODY_MAGIC;
  }

  /** Bytes kept while waiting for a line end (see waitsForLine) start no message yet. */
  startsMessage(buf: Uint8Array): boolean {
    return this.headEnd >= 0 || looksLikeHttp(buf, 0, buf.length) !== null;
  }

  /** The head measure() parsed for the message at the buffer start (offsets from its first byte), or null. */
  meta(): HttpHead | typeof WS_FRAME | null {
    return this.ws ? WS_FRAME : this.head;
  }

  partialInfo(buf: Uint8Array): string | null {
    // tshark hands a body that runs until the close to HTTP once (the frame that completes the
    // head); the segments after it are TCP's until the FIN: their Info is TCP's own
    if (this.untilClose) {
      if (this.untilCloseInfo) return null;
      this.untilCloseInfo = true;
    }
    if (!looksLikeHttp(buf, 0, buf.length)) return null;
    const l = firstLine(buf, 0, buf.length);
    return l === null ? null : l + ' ';
  }

  measure(buf: Uint8Array, eof: boolean): number {
    const len = buf.length;
    if (this.conn.upgraded) {
      if (!this.conn.websocket) return -1;
      this.ws = true;
      return wsFrameLength(buf);
    }
    if (this.headEnd < 0) {
      if (len === 0) return 0;
      const kind = looksLikeHttp(buf, 0, len);
      if (kind === null) {
        // maybe a prefix of a method name or of "HTTP/1." that continues in the next segment
        if (len < 8 && !eof && /^[A-Z-]*$|^H(T(T(P(\/(1)?)?)?)?)?$/.test(String.fromCharCode(...buf))) return 0;
        // tshark's HTTP: bytes that start with a printable character but hold no line end yet may be
        // the start of a message: it waits for more (the segments are "[TCP segment of a reassembled
        // PDU]"); bytes that start with a binary one, or whose first line is no request or status
        // line, are no message (dropped: "Continuation")
        if (!eof && len <= MAX_HEAD && waitsForLine(buf)) return 0;
        return -1;
      }
      const he = findHeadEnd(buf, 0, len, this.headScan);
      if (he < 0) {
        this.headScan = Math.max(0, len - 3);
        if (len > MAX_HEAD || eof) return len; // an endless head, or the stream ended in it: hand out as is
        return 0;
      }
      this.headEnd = he;
      this.head = parseHead(buf, 0, he);
      if (!this.noted) {
        this.noted = true;
        const h = this.head;
        if (h.kind === 'request') {
          this.conn.methods.push(h.method);
          this.conn.sawRequest = true;
        }
        else if (h.code >= 200 || h.code === 101) {
          const m = this.conn.methods.shift() ?? '';
          (h as HttpHead & { reqMethod?: string }).reqMethod = m;
          if (h.code === 101 || (m === 'CONNECT' && h.code >= 200 && h.code < 300)) this.conn.upgraded = true;
          if (h.code === 101 && h.upgrade !== null && /websocket/i.test(h.upgrade)) this.conn.websocket = true;
        }
      }
    }
    const h = this.head!;
    const he = this.headEnd;
    if (h.kind === 'response') {
      if (bodiless(h)) return he;
      if ((h as HttpHead & { reqMethod?: string }).reqMethod === 'CONNECT' && h.code >= 200 && h.code < 300) return he;
    }
    if (h.chunked) {
      const sc = scanChunks(buf, this.chunkAt < 0 ? he : this.chunkAt, len, this.chunks);
      this.chunkAt = sc.resume;
      this.chunks = sc.chunks;
      if (sc.error !== null) return len;
      if (sc.end < 0) return eof ? len : 0;
      return sc.end;
    }
    if (h.contentLength >= 0) return he + h.contentLength;
    if (h.contentLength === -2) return he;
    if (h.kind === 'request') return he;
    // a response without length: the body runs until the connection closes
    if (!eof) this.untilClose = true;
    return eof ? len : 0;
  }
}

/**
 * A response that has no body whatever its headers say (RFC 9110 §6.4.1): 1xx, 204, 304, or the
 * answer to a HEAD (the request's method, noted on the head by measure()).
 */
export function bodiless(h: HttpHead): boolean {
  return h.kind === 'response' && ((h.code >= 100 && h.code < 200) || h.code === 204 || h.code === 304 || (h as HttpHead & { reqMethod?: string }).reqMethod === 'HEAD');
}

/**
 * Does `buf` (one segment's payload) hold a whole HTTP message from its first byte? What tshark
 * sees when it dissects a segment that follows a hole afresh: a whole message is shown as HTTP.
 */
export function wholeMessageIn(buf: Uint8Array): boolean {
  if (buf.length === 0 || looksLikeHttp(buf, 0, buf.length) === null) return false;
  const n = new HttpFramer(new HttpConn()).measure(buf, false);
  return n > 0 && n <= buf.length;
}

/**
 * tshark's HTTP start test for bytes that are no request or status line: after an empty line that
 * leads them (when more than 3 bytes), a printable first byte and no line end yet: wait for more.
 */
export function waitsForLine(buf: Uint8Array): boolean {
  let at = 0;
  if (buf.length > 3 && buf[0] === 0x0d && buf[1] === 0x0a) at = 2;
  const c = buf[at];
  if (c === undefined || c < 0x20 || c > 0x7e) return false;
  return buf.indexOf(0x0a, at) < 0;
}
