// Application messages over reassembled TCP: the analyzer that runs after the TCP tracker, feeds
// each stream direction with an application protocol (HTTP/1.x, DNS) to a desegmenter, and puts
// every completed message's layers on the frame that completes it (tshark's "reassembled in"):
//   - a message whole in its frame: dissected from the frame's bytes;
//   - else a "[N Reassembled TCP Segments (L bytes): #4(1460), …]" layer, then the message layers
//     over the reassembled buffer (Layer.bufName 'Reassembled TCP');
//   - a frame whose bytes wait for the rest of a message: its per-segment application layers are
//     replaced by a "TCP segment data" layer, Info "… [TCP segment of a reassembled PDU]"; when the
//     message completes, that layer gets tcp.reassembled_in (late: seen by outputs that print after
//     the run, like tshark -2).
// Streams without an application protocol cost one Map lookup per packet.
// HTTP transactions (request ↔ response, in order, pipelining included) are paired here.

import type { Packet } from '../../dissect/chain.js';
import type { IpD, TcpD } from '../../dissect/decoded.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../dissect/decoded.js';
import { fStr, fText, fUint, gen } from '../../dissect/fields.js';
import { ipLayerBefore, Layer, lastLayerOf } from '../../dissect/layer.js';
import type { Registry } from '../../dissect/registry.js';
import type { DissectContext, Dissector, Field } from '../../dissect/types.js';
import { analysisMayAffect, type Analyzer } from '../../pipeline.js';
import { Budget, DEFAULT_DESEGMENT_LIMITS, DirDesegmenter, type AppParser, type DesegmentLimits, type FeedResult, type Message } from '../desegment.js';
import { relTime } from '../dns-transactions.js';
import { bodiless, HttpConn, HttpFramer, wholeMessageIn, WS_FRAME } from './framer.js';
import { websocket, wsLayer, type WsFragments } from '../../../dissectors/websocket.js';
import { decodeBody, httpMessage, httpMessageLayer, mediaProtocol, mediaType, type HttpD } from './message.js';
import { jsonBodyLayer } from '../../../dissectors/json.js';
import { looksLikeHttp, rebaseHead, type HttpHead } from './parse.js';
import { newTlsSession, startsRecord, tls, tlsLayer, TLS_TCP_PORTS, type TlsD, type TlsSession } from '../../../dissectors/tls.js';
import { TlsDecryptor, type KeyLog } from '../tls/decrypt.js';
import { identPrefix, newSshSession, ssh, sshLayer, SSH_TCP_PORTS, type SshSession } from '../../../dissectors/ssh.js';
import { resp, respLayer, respLength, respPartialInfo, RESP_TCP_PORT } from '../../../dissectors/resp.js';
import { u32 } from '../../dissect/fields.js';
import { pptp, pptpLayer, PPTP_TCP_PORT } from '../../../dissectors/pptp.js';
import { ldap, ldapLayer, ldapSaslLayer, ldapTrack, LDAP_TCP_PORT, newLdapSession, type LdapSession } from '../../../dissectors/ldap.js';
import { nbss, nbssLayer, nbssLength, nbssPartialInfo, nbssPayload, NBSS_TCP_PORT, smb, smbMagic } from '../../../dissectors/netbios.js';
import { berMessageLength } from '../../dissect/ber.js';
import { looksLikeSip, SIP_TCP_PORT, sipMessageLength, sipTcpLayer } from '../../../dissectors/sip.js';
import { newSmb2Session, smb2, smb2Layers, SMB2_TCP_PORT, type Smb2Session } from '../../../dissectors/smb2.js';
import { gssapi, ntlmssp, spnego } from '../../../dissectors/ntlmssp.js';
import { mysql, mysqlLayer, mysqlLength, MYSQL_TCP_PORT, newMysqlCol, newMysqlSession, type MysqlCol, type MysqlSession } from '../../../dissectors/mysql.js';

/** tshark 4.0's default HTTP TCP ports. */
/**
 * Bytes on an HTTP stream that start no message, on a connection where no request was seen: no layer
 * shows them (as in tshark), but tshark's HTTP tap still sees them (-z http,tree counts one "Other HTTP
 * Packet" when their first byte is printable). Packet → the continuation layer taken off it.
 */
export const unclaimedHttp = new WeakMap<Packet, Layer>();

export const HTTP_PORTS = new Set([80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]);
export const DNS_TCP_PORTS = new Set([53]);

export const APP_KEYS = [
  'tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length', 'tcp.segments',
  'tcp.segment_data', 'http.request_in', 'http.response_in', 'http.time', 'http.response_for.uri',
  'http.request.full_uri',
] as const;

// ---- pseudo-dissectors for the layers this analyzer adds ----------------------------------------

interface SegsD {
  segs: { frame: number; len: number }[];
  total: number;
}
/**
 * The layer listing the pieces a message was joined from: "[3 Reassembled TCP Segments (4380 bytes): #4(1460),
 * …]" (tcp.segment…) or, over decrypted TLS records, "[2 Reassembled TLS segments (…)]" (tls.segment…).
 */
function segmentsDissector(p: 'tcp' | 'tls', name: string, segLabel: string, totalLabel: string): Dissector<SegsD> {
  return {
    proto: `${p}.segments`,
    name,
    protocolsPart: () => '', // not a protocol for tshark's frame.protocols
    fieldKeys: [`${p}.segment`, `${p}.segment.count`, `${p}.reassembled.length`],
    dissect() {
      throw new Error('built by the TCP application analyzer');
    },
    fields(l) {
      const out: Field[] = [];
      let at = 0;
      for (const s of l.d.segs) {
        const f = fUint(`${p}.segment`, segLabel, s.frame, at, s.len);
        f.text = s.len === 0 && p === 'tcp' ? `Frame: ${s.frame} (no data)` : `Frame: ${s.frame}, payload: ${at}-${at + s.len - 1} (${s.len} bytes)`;
        out.push(gen(f));
        at += s.len;
      }
      out.push(gen(fUint(`${p}.segment.count`, 'Segment count', l.d.segs.length, 0, 0)));
      out.push(gen(fUint(`${p}.reassembled.length`, totalLabel, l.d.total, 0, l.d.total)));
      return out;
    },
    title(l) {
      const list = l.d.segs.map((s) => `#${s.frame}(${s.len})`).join(', ');
      return `[${l.d.segs.length} ${name} (${l.d.total} bytes): ${list}]`;
    },
    column: () => '',
    info: () => null,
  };
}
export const tcpSegmentsLayer = segmentsDissector('tcp', 'Reassembled TCP Segments', 'Frame', 'Reassembled TCP length');
export const tlsSegmentsLayer = segmentsDissector('tls', 'Reassembled TLS segments', 'TLS segment', 'Reassembled PDU length');

interface SegD {
  len: number;
  /**
   * Info text (tshark's "… [TCP segment of a reassembled PDU]"); null for a retransmission of bytes
   * already handed on (the row is the TCP layer's own, as in tshark).
   */
  info: string | null;
  /** Every byte was seen before: tshark's "Retransmitted TCP segment data", not handed to the application. */
  retrans: boolean;
  /** frame.protocols part: 'tls' (tshark's TLS dissector read the segment and asked for more), else ''. */
  proto: string;
}
export const tcpSegmentData: Dissector<SegD> = {
  proto: 'tcp.segment_data',
  name: 'TCP segment data',
  protocolsPart: (l) => l.d.proto, // not a protocol for tshark's frame.protocols
  // tcp.reassembled_in: known but empty, as in tshark's one-pass output (the completing frame is not
  // known yet when a segment is printed; tshark fills it only with -2)
  fieldKeys: ['tcp.segment_data', 'tcp.reassembled_in'],
  dissect() {
    throw new Error('built by the TCP application analyzer');
  },
  fields(l) {
    const out: Field[] = [];
    const f = fText(`${l.d.retrans ? 'Retransmitted ' : ''}TCP segment data (${l.d.len} bytes)`, l.start, l.end - l.start);
    out.push(f);
    return out;
  },
  title: (l) => `${l.d.retrans ? 'Retransmitted ' : ''}TCP segment data (${l.d.len} bytes)`,
  column: () => '',
  info: (l) => l.d.info,
};

/** The "[N Reassembled TCP Segments (L bytes): #4(1460), …]" layer of a message from several segments. */
function segmentsLayer(m: Message, segs: SegsD['segs']): Layer<SegsD> {
  const sl = new Layer<SegsD>(tcpSegmentsLayer, m.bytes, 0, m.bytes.length, { segs, total: m.bytes.length });
  sl.bufName = 'Reassembled TCP';
  return sl;
}

/**
 * `make()`'s layer; when it throws (a dissector bug), the bytes as a data layer marked malformed, as
 * the dissection chain does: one bad record must not end the run.
 */
export function guardedLayer(proto: string, make: () => Layer, dataDis: Dissector | undefined, ctx: () => DissectContext, buf: Uint8Array, start: number, end: number): Layer {
  try {
    return make();
  } catch (e) {
    if (dataDis === undefined) throw e;
    const l = dataDis.dissect(buf, start, end, ctx());
    l.problem('malformed', `${proto} dissector failed: ${(e as Error).message}`, start, end);
    return l;
  }
}

/** "SMB" after the first byte at p: a compression transform header ("\xfcSMB"). */
function smbTail(b: Uint8Array, p: number, e: number): boolean {
  return e - p >= 4 && b[p + 1] === 0x53 && b[p + 2] === 0x4d && b[p + 3] === 0x42;
}

/** g_ascii_isprint. */
function printable(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** An HTTP response without a length, whose body runs until the connection closes. */
function closeDelimited(m: Message): boolean {
  const h = m.meta as HttpHead | null;
  return h !== null && h.kind === 'response' && h.contentLength === -1 && !h.chunked && !bodiless(h);
}

/** The TCP layer's Info without its analysis words: the row puts them in front of any Info above TCP. */
function unfenced(tl: Layer, layers: readonly Layer[]): string {
  const t = tl.dis.info?.(tl, layers) ?? '';
  const fence = tl.dis.infoFence?.(tl) ?? '';
  return fence !== '' && t.startsWith(fence) ? t.slice(fence.length) : t;
}

// ---- transactions ---------------------------------------------------------------------------

export interface HttpTransaction {
  stream: number;
  client: string;
  server: string;
  reqFrame: number;
  reqTs: bigint;
  method: string;
  host: string;
  uri: string;
  version: string;
  /** Body bytes on the wire (de-chunked length for chunked) of the request and response. */
  reqBody: number;
  respFrame: number;
  respTs: bigint;
  status: number;
  phrase: string;
  respBody: number;
  contentType: string;
  contentEncoding: string;
  /** Seconds from the request's completing frame to the response's (-1 when unanswered). */
  latency: number;
  /** Message problems (cut, malformed) in words. */
  notes: string[];
  reqLayer: Layer<HttpD> | null;
  respLayer: Layer<HttpD> | null;
}

// ---- per-stream state -----------------------------------------------------------------------

type Proto = 'http' | 'dns' | 'tls' | 'ssh' | 'resp' | 'mysql' | 'pptp' | 'ldap' | 'nbss' | 'sip';

class AppStream {
  readonly dirs: [DirDesegmenter, DirDesegmenter];
  readonly conn: HttpConn | null;
  /** Requests completed and not answered yet (HTTP). */
  readonly pending: HttpTransaction[] = [];
  /** tcp.stream of the connection (set when the stream is classified). */
  id = 0;
  /**
   * Frame number and timestamp of the last segment with data in each direction: a message handed
   * out at the end of the capture (no FIN) ended there.
   */
  readonly lastDataFrame = [0, 0];
  readonly lastDataTs = [0n, 0n];
  /** The TLS session (TLS, and MySQL for the TLS after its SSL request). */
  readonly tls: TlsSession | null;
  /** The MySQL session (MySQL): connection state, capabilities, prepared statements. */
  readonly mysql: MysqlSession | null;
  /** The SSH session (SSH). */
  readonly ssh: SshSession | null;
  /** The LDAP session (LDAP): entry count, request frames by message ID, StartTLS. */
  readonly ldap: LdapSession | null;
  /** The SMB2 state (NBSS, and direct-hosted SMB on TCP 445): requests by message id, trees, file names. */
  smb2: Smb2Session | null = null;
  /** Direct-hosted SMB (TCP 445): a 4-byte header with a 24-bit length. */
  cifs = false;
  /** A WebSocket message in fragments, per direction (HTTP, once upgraded to WebSocket). */
  readonly ws: [{ cur: WsFragments | null }, { cur: WsFragments | null }] | null;
  /** HTTP over decrypted TLS (a key log): each direction's plaintext desegmented as HTTP; made when data is first decrypted. */
  inner: { conn: HttpConn; dirs: [DirDesegmenter, DirDesegmenter]; off: [number, number] } | null = null;
  constructor(readonly proto: Proto, budget: Budget, limits: DesegmentLimits, readonly client: string, readonly server: string, readonly clientDir: number, cifs = false) {
    this.cifs = cifs;
    if (proto === 'nbss') this.smb2 = newSmb2Session();
    this.conn = proto === 'http' ? new HttpConn() : null;
    this.ws = proto === 'http' ? [{ cur: null }, { cur: null }] : null;
    this.ldap = proto === 'ldap' ? newLdapSession() : null;
    this.tls = proto === 'tls' || proto === 'mysql' || proto === 'ldap' ? newTlsSession(Number(server.slice(server.lastIndexOf(':') + 1))) : null;
    this.mysql = proto === 'mysql' ? newMysqlSession() : null;
    this.ssh = proto === 'ssh' ? newSshSession() : null;
    const mk = (dir: number): AppParser =>
      proto === 'http' ? new HttpFramer(this.conn!) : proto === 'tls' ? TLS_FRAMER : proto === 'ssh' ? new SshFramer() : proto === 'resp' ? new RespFramer(dir === clientDir) : proto === 'mysql' ? new MysqlFramer(this.mysql!) : proto === 'pptp' ? PPTP_FRAMER : proto === 'nbss' ? (cifs ? CIFS_FRAMER : NBSS_FRAMER) : proto === 'sip' ? SIP_FRAMER : proto === 'ldap' ? new LdapFramer(this.ldap!) : DNS_FRAMER;
    this.dirs = [new DirDesegmenter(mk(0), budget, limits), new DirDesegmenter(mk(1), budget, limits)];
  }

  sparse(): this {
    this.dirs[0].sparse = this.dirs[1].sparse = true;
    return this;
  }
}

const DNS_FRAMER: AppParser = {
  measure(buf) {
    if (buf.length < 2) return 0;
    return 2 + ((buf[0] << 8) | buf[1]);
  },
};

/**
 * TLS records: a 5-byte header with the length. Bytes that cannot start a record (content type
 * 20–24, version 3.x) are handed out as they are: tshark's "Continuation Data".
 */
const TLS_FRAMER: AppParser = {
  measure(buf) {
    if (buf.length < 1) return 0;
    if (!startsRecord(buf, 0, buf.length)) return buf.length;
    if (buf.length < 5) return 0;
    return 5 + ((buf[3] << 8) | buf[4]);
  },
  // TLS read this segment (it starts a record, or the header it needed): tshark's TLS then clears
  // the Info column; a segment in the middle of a record never reaches it (TCP's Info stays)
  partialInfo: () => '',
};

/** SSH message meta: what SshFramer cut. */
interface SshMeta {
  kind: 'banner' | 'packet' | 'encrypted';
  code: number;
}

/**
 * SSH, per direction: the identification string (a line starting "SSH-"), then binary packets
 * (a 4-byte length) until New Keys, then encrypted bytes, handed out as they come (one item per
 * segment: their lengths are encrypted). Bytes that start no identification string are encrypted
 * from there on, as tshark shows them.
 */
/** RESP: one value (a command array, a reply) per message; an inline command is a line. */
class RespFramer implements AppParser {
  constructor(private readonly request: boolean) {}
  measure(buf: Uint8Array, eof: boolean): number {
    if (buf.length === 0) return 0;
    const n = respLength(buf, 0, buf.length);
    return n > 0 ? n : eof ? buf.length : 0;
  }
  partialInfo(buf: Uint8Array): string {
    return respPartialInfo(buf, this.request);
  }
}

/**
 * PPTP: tshark's PPTP does no reassembly (each segment's payload is read as one message from its start),
 * so each segment's bytes are handed out as they come; retransmitted bytes are not handed out again.
 */
const PPTP_FRAMER: AppParser = {
  measure: (buf) => buf.length,
};

/** SIP: a head and Content-Length bytes (dissectors/sip.ts); bytes that start no message are handed out as they are. */
const SIP_FRAMER: AppParser = {
  measure(buf, eof) {
    const n = sipMessageLength(buf);
    return n > 0 ? n : eof ? buf.length : 0;
  },
};

/** NBSS: a 4-byte header with a 17-bit length; bytes that start no message are handed out as they are. */
const NBSS_FRAMER: AppParser = {
  measure(buf, eof) {
    const n = nbssLength(buf);
    return n > 0 ? n : eof ? buf.length : 0;
  },
  partialInfo: (buf) => nbssPartialInfo(buf),
};

/**
 * Direct-hosted SMB on TCP 445 (RFC 1002's header without NetBIOS): a zero byte and a 24-bit length; bytes that
 * start no message are handed out as they are (tshark's "NBSS Continuation Message").
 */
const CIFS_FRAMER: AppParser = {
  measure(buf, eof) {
    if (buf.length < 1) return 0;
    if (buf[0] !== 0) return buf.length;
    if (buf.length < 4) return eof ? buf.length : 0;
    return 4 + ((buf[1] << 16) | (buf[2] << 8) | buf[3]);
  },
  partialInfo: (buf) => nbssPartialInfo(buf),
};

/** What MysqlFramer cut: a MySQL packet, or (after the SSL request) a TLS record. */
const MYSQL_PKT = 'mysql';
const MYSQL_TLS = 'tls';

/**
 * MySQL packets (a 3-byte length and a sequence id); once the client's SSL request went by
 * (MysqlSession.tls, set by the dissector), the rest of the stream in both directions is TLS records
 * (tshark's ssl_starttls_ack).
 */
class MysqlFramer implements AppParser {
  private kind = MYSQL_PKT;
  constructor(private readonly sess: MysqlSession) {}
  measure(buf: Uint8Array, eof: boolean): number {
    if (this.sess.tls) {
      this.kind = MYSQL_TLS;
      return TLS_FRAMER.measure(buf, eof);
    }
    this.kind = MYSQL_PKT;
    const n = mysqlLength(buf);
    return n > 0 ? n : eof && buf.length > 0 ? buf.length : 0;
  }
  partialInfo(): string | null {
    return this.sess.tls ? '' : null;
  }
  meta(): string {
    return this.kind;
  }
}

/**
 * LDAP: one LDAPMessage (a BER SEQUENCE, measured by its outer length) per message; bytes that start
 * no definite-length TLV are handed out as they are (the dissector marks them malformed). After a
 * successful StartTLS (LdapSession.tls, set as the response is read) the rest of the connection is
 * TLS records, as tshark's ssl_starttls_ack.
 */
class LdapFramer implements AppParser {
  private kind = MYSQL_PKT;
  constructor(private readonly sess: LdapSession) {}
  measure(buf: Uint8Array, eof: boolean): number {
    if (this.sess.tls) {
      this.kind = MYSQL_TLS;
      return TLS_FRAMER.measure(buf, eof);
    }
    this.kind = 'ldap';
    if (buf.length === 0) return 0;
    if (this.sess.sasl && buf[0] === 0) {
      // a SASL security-layer buffer: a 4-byte length
      if (buf.length < 4) return eof ? buf.length : 0;
      this.kind = 'sasl';
      return 4 + u32(buf, 0);
    }
    const n = berMessageLength(buf);
    return n > 0 ? n : n < 0 || eof ? buf.length : 0;
  }
  partialInfo(): string | null {
    return this.sess.tls ? '' : null;
  }
  meta(): string {
    return this.kind;
  }
}

class SshFramer implements AppParser {
  private state: 'banner' | 'clear' | 'enc' = 'banner';
  private kind: SshMeta['kind'] = 'banner';
  private code = -1;

  measure(buf: Uint8Array, eof: boolean): number {
    if (buf.length === 0) return 0;
    if (this.state === 'banner') {
      const prefix = identPrefix(buf, 0, buf.length);
      if (prefix && buf.length < 4) return eof ? buf.length : 0;
      if (prefix) {
        this.kind = 'banner';
        const nl = buf.indexOf(0x0a);
        if (nl >= 0) return nl + 1;
        return eof || buf.length > 255 ? buf.length : 0;
      }
      this.state = 'enc';
    }
    if (this.state === 'clear') {
      if (buf.length < 4) return eof ? buf.length : 0;
      const plen = u32(buf, 0);
      if (plen >= 5 && plen <= 35000) {
        this.kind = 'packet';
        this.code = buf.length >= 6 ? buf[5] : -1;
        return 4 + plen;
      }
      this.state = 'enc';
    }
    this.kind = 'encrypted';
    return buf.length;
  }

  meta(): SshMeta {
    return { kind: this.kind, code: this.code };
  }

  done(): void {
    if (this.kind === 'banner' && this.state === 'banner') this.state = 'clear';
    else if (this.kind === 'packet' && this.code === 21) this.state = 'enc';
    this.code = -1;
  }
}

export interface TcpAppOptions {
  registry?: Registry;
  limits?: Partial<DesegmentLimits>;
  /** Global cap on buffered bytes (all streams). Default 256 MiB. */
  globalCap?: number;
  /** Keep HTTP transactions in `transactions` (for `wiretrace http`). Default true. */
  keep?: boolean;
  /** Try HTTP on any port by looking at the first bytes. Default true. */
  httpHeuristic?: boolean;
  /**
   * No output reads message bodies (the packet table): bodies with a known length are counted, not
   * buffered (see DirDesegmenter.sparse). Fields, trees, JSON and hex dumps of the bodies then lack
   * them, so only the table sets this. Default false.
   */
  sparse?: boolean;
  /**
   * Keep each kept transaction's request and response layers (their bodies: `http --show-body`).
   * Default true; without them a transaction keeps only its summary, not the frames' read buffers.
   */
  layers?: boolean;
  /**
   * A key log (tshark's tls.keylog_file): TLS sessions whose secrets it holds are decrypted, and the
   * application data read as HTTP. Absent or null: no decryption, and no cost.
   */
  keylog?: KeyLog | null;
}

export interface TcpAppStats {
  streams: number;
  messages: number;
  /** Messages handed out cut (over a cap, bytes lost, stream ended first). */
  cut: number;
  gaps: number;
  capHits: number;
  conflicts: number;
}

export class TcpApp {
  private readonly streams = new Map<number, AppStream | null>();
  readonly budget: Budget;
  readonly limits: DesegmentLimits;
  readonly transactions: HttpTransaction[] = [];
  readonly stats: TcpAppStats = { streams: 0, messages: 0, cut: 0, gaps: 0, capHits: 0, conflicts: 0 };
  private readonly dnsDis: Dissector | undefined;
  private readonly tlsPort: (port: number) => boolean;
  private readonly dataDis: Dissector | undefined;
  private readonly keep: boolean;
  private readonly heuristic: boolean;
  private lastFrame = 0;
  /** See TcpAppOptions.sparse (may be set after construction, before the first packet). */
  sparse: boolean;
  private readonly keepLayers: boolean;
  private readonly keylog: KeyLog | null;

  constructor(opts: TcpAppOptions = {}) {
    this.keylog = opts.keylog ?? null;
    this.sparse = opts.sparse ?? false;
    this.keepLayers = opts.layers ?? true;
    this.limits = { ...DEFAULT_DESEGMENT_LIMITS, ...opts.limits };
    this.budget = new Budget(opts.globalCap ?? 256 << 20);
    this.dnsDis = opts.registry?.get('tcp.port', 53) ?? opts.registry?.proto('dns');
    const reg = opts.registry;
    // --decode-as tcp.port==8443,tls puts TLS on more ports
    this.tlsPort = reg === undefined ? (p) => TLS_TCP_PORTS.has(p) : (p) => TLS_TCP_PORTS.has(p) || reg.get('tcp.port', p)?.proto === 'tls';
    this.dataDis = opts.registry?.proto('data');
    this.keep = opts.keep ?? true;
    this.heuristic = opts.httpHeuristic ?? true;
  }

  packet(pkt: Packet): void {
    const layers = pkt.layers;
    const ti = lastLayerOf(layers, 'tcp');
    if (ti < 0) return;
    const tl = layers[ti] as Layer<TcpD>;
    const ann = tl.ann as { stream: number; dir: number } | null;
    const d = tl.d;
    if (ann === null || !d.ok) return;
    this.lastFrame = pkt.frame.index;
    let st = this.streams.get(ann.stream);
    if (st === undefined) {
      st = this.classify(layers, ti, d, ann.dir);
      if (st === undefined) return; // undecided (no payload yet)
      this.streams.set(ann.stream, st);
      if (st !== null) {
        st.id = ann.stream;
        this.stats.streams++;
      }
    }
    if (st === null) return;
    const dir = ann.dir;
    const other = st.dirs[1 - dir];
    const frame = pkt.frame.index;
    if (d.flags & TCP_ACK) {
      const r = other.ack(d.ack, frame, pkt.frame.data);
      if (r) this.handle(st, 1 - dir, r, pkt, ti, false);
    }
    const ds = st.dirs[dir];
    const payload = tl.buf.subarray(d.payloadStart, d.payloadEnd);
    if (d.len === 0 && !(d.flags & (TCP_SYN | TCP_FIN))) return;
    if (d.len > 0) {
      st.lastDataFrame[dir] = frame;
      st.lastDataTs[dir] = pkt.frame.ts;
    }
    const r = ds.feed(d.seq, payload, d.len, (d.flags & TCP_SYN) !== 0, (d.flags & TCP_FIN) !== 0, frame, pkt.frame.data);
    if (r.push?.conflict) this.stats.conflicts++;
    if (r.push?.capHit) this.stats.capHits++;
    // a response whose body the close delimits, completed by this frame's FIN, is shown on it, as in
    // tshark (not other bytes the FIN hands out, such as a request head without its end)
    this.handle(st, dir, r, pkt, ti, d.len > 0 || ((d.flags & TCP_FIN) !== 0 && r.messages.some(closeDelimited)));
    if (d.flags & TCP_RST) {
      // the connection is gone: hand out what ends at the close
      for (let k = 0; k < 2; k++) {
        const fr = st.dirs[k].finish(frame);
        if (fr.messages.length) this.handle(st, k, fr, pkt, ti, false);
      }
      this.finishInner(st, frame);
      this.streams.delete(ann.stream);
      this.streams.set(ann.stream, null);
    } else if (ds.closed && other.closed) {
      // both directions ended (FIN delivered, nothing pending): later packets of the stream can
      // produce nothing, so keep only a marker and let the stream's buffers and layers go
      ds.release();
      other.release();
      this.finishInner(st, frame);
      this.streams.set(ann.stream, null);
    }
  }

  /** Streams this analyzer holds an entry for (live ones and markers of finished ones). */
  get trackedStreams(): number {
    return this.streams.size;
  }

  /**
   * Drop the state of streams the tracker stops tracking (TcpTracker.onForget): no later packet
   * carries their index, so neither their marker nor their buffers need to stay (memory stays
   * bounded on a long capture). What a forgotten stream still holds is handed out as at the end
   * of the capture.
   */
  follow(tracker: { onForget: ((stream: number) => void) | null }): this {
    tracker.onForget = (id) => this.forget(id);
    return this;
  }

  private forget(id: number): void {
    const st = this.streams.get(id);
    if (st === undefined) return;
    this.streams.delete(id);
    if (st !== null) this.flush(st);
  }

  finish(): void {
    for (const [, st] of this.streams) if (st) this.flush(st);
  }

  /** Hand out what both directions of a stream still hold (its end, or the capture's). */
  private flush(st: AppStream): void {
    for (let k = 0; k < 2; k++) {
      const fr = st.dirs[k].finish(this.lastFrame);
      if (fr.messages.length) this.handle(st, k, fr, null, -1, false);
    }
    this.finishInner(st, this.lastFrame);
  }

  /** The end of a stream with decrypted HTTP: what its desegmenters hold is handed out (a body until the close), their buffers given back. */
  private finishInner(st: AppStream, frame: number): void {
    const inn = st.inner;
    if (inn === null) return;
    st.inner = null;
    for (let k = 0; k < 2; k++) for (const m of inn.dirs[k].finish(frame).messages) this.decryptedMessage(st, k, m, m.bytes, null);
  }

  /** Which application protocol a stream carries; undefined = not decided yet. */
  private classify(layers: readonly Layer[], ti: number, d: TcpD, dir: number): AppStream | null | undefined {
    const sp = d.srcport, dp = d.dstport;
    const ip = (ipLayerBefore(layers, ti)?.d as IpD | undefined) ?? null;
    if (ip === null) return null;
    const w = (a: string, port: number) => (ip.version === 6 ? `[${a}]:${port}` : `${a}:${port}`);
    const src = w(ip.src, sp), dst = w(ip.dst, dp);
    const lo = Math.min(sp, dp);
    const hi = Math.max(sp, dp);
    let proto: Proto | null = null;
    let toServer = true;
    let cifs = false;
    if ((DNS_TCP_PORTS.has(lo) || DNS_TCP_PORTS.has(hi)) && this.dnsDis) {
      proto = 'dns';
      toServer = DNS_TCP_PORTS.has(dp);
    } else if (lo === MYSQL_TCP_PORT || hi === MYSQL_TCP_PORT) {
      proto = 'mysql';
      toServer = dp === MYSQL_TCP_PORT;
    } else if (lo === PPTP_TCP_PORT || hi === PPTP_TCP_PORT) {
      proto = 'pptp';
      toServer = dp === PPTP_TCP_PORT;
    } else if (lo === NBSS_TCP_PORT || hi === NBSS_TCP_PORT) {
      proto = 'nbss';
      toServer = dp === NBSS_TCP_PORT;
    } else if (lo === SMB2_TCP_PORT || hi === SMB2_TCP_PORT) {
      proto = 'nbss';
      cifs = true;
      toServer = dp === SMB2_TCP_PORT;
    } else if (lo === LDAP_TCP_PORT || hi === LDAP_TCP_PORT) {
      proto = 'ldap';
      toServer = dp === LDAP_TCP_PORT;
    } else if (lo === SIP_TCP_PORT || hi === SIP_TCP_PORT) {
      proto = 'sip';
      toServer = dp === SIP_TCP_PORT;
    } else if (lo === RESP_TCP_PORT || hi === RESP_TCP_PORT) {
      proto = 'resp';
      toServer = dp === RESP_TCP_PORT;
    } else if (SSH_TCP_PORTS.has(lo) || SSH_TCP_PORTS.has(hi)) {
      proto = 'ssh';
      toServer = SSH_TCP_PORTS.has(dp);
    } else if (this.tlsPort(lo) || this.tlsPort(hi)) {
      // decided by the first bytes: tshark's TLS refuses a payload that starts with four printable
      // characters (text, not a record); then HTTP's heuristic may take it (HTTP on port 443)
      if (d.payloadEnd <= d.payloadStart) return d.flags & (TCP_FIN | TCP_RST) ? null : undefined;
      const b = layers[ti].buf;
      const p = d.payloadStart;
      if (d.payloadEnd - p > 4 && printable(b[p]) && printable(b[p + 1]) && printable(b[p + 2]) && printable(b[p + 3])) {
        const k = this.heuristic ? looksLikeHttp(b, p, d.payloadEnd) : null;
        if (k === null) return null;
        proto = 'http';
        toServer = k === 'request';
      } else {
        proto = 'tls';
        toServer = this.tlsPort(dp) && !(this.tlsPort(sp) && sp < dp);
      }
    } else if (HTTP_PORTS.has(lo) || HTTP_PORTS.has(hi)) {
      proto = 'http';
      toServer = HTTP_PORTS.has(dp) && !(HTTP_PORTS.has(sp) && sp < dp);
    } else if (this.heuristic) {
      if (d.payloadEnd <= d.payloadStart) return d.flags & (TCP_FIN | TCP_RST) ? null : undefined;
      const k = looksLikeHttp(layers[ti].buf, d.payloadStart, d.payloadEnd);
      if (k === null) return null;
      proto = 'http';
      toServer = k === 'request';
    }
    if (proto === null) return null;
    const clientDir = toServer ? dir : 1 - dir;
    const st = new AppStream(proto, this.budget, this.limits, toServer ? src : dst, toServer ? dst : src, clientDir, cifs);
    if (this.keylog !== null && st.tls !== null) st.tls.decrypt = new TlsDecryptor(this.keylog);
    return this.sparse ? st.sparse() : st;
  }

  private handle(st: AppStream, dir: number, r: FeedResult, pkt: Packet | null, ti: number, own: boolean): void {
    if (r.messages.length > 0) {
      if (pkt !== null && own) pkt.layers.length = ti + 1;
      this.stats.messages += r.messages.length;
      for (const m of r.messages) if (m.cut !== null) this.stats.cut++;
      if (st.ssh !== null) {
        const ls = this.sshLayers(st.ssh, dir === st.clientDir, r.messages, pkt);
        if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
        return;
      }
      if (st.proto === 'resp') {
        const ls = this.groupedLayers('resp', r.messages, pkt, (buf, s, e, group) => respLayer(buf, s, e, group.map(({ m, at }) => ({ start: at, end: at + m.bytes.length })), dir === st.clientDir));
        if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
        return;
      }
      if (st.proto === 'sip') {
        // one layer per message; a frame's messages share its Info column, as tshark's
        let prev = '';
        let more = false;
        for (const m of r.messages) {
          // bytes that start no SIP message: tshark's data
          const ls = this.groupedLayers('sip', [m], pkt, (buf, s, e) =>
            !looksLikeSip(buf, s, e) && this.dataDis !== undefined
              ? this.dataDis.dissect(buf, s, e, this.ctx(pkt, []))
              : sipTcpLayer(buf, s, e, prev, more, pkt !== null && buf === pkt.frame.data ? (pkt.layers[ti].d as TcpD).payloadEnd : e),
          );
          const top = ls[ls.length - 1];
          const info = top.dis.info?.(top, ls) ?? null;
          if (info !== null) prev = info;
          more = true;
          if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
        }
        return;
      }
      if (st.proto === 'pptp') {
        const ls = this.groupedLayers('pptp', r.messages, pkt, (buf, s, e) => pptpLayer(buf, s, e));
        if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
        return;
      }
      if (st.proto === 'nbss') {
        this.nbssHandle(st, dir, r.messages, pkt, own);
        return;
      }
      if (st.mysql !== null) {
        this.mysqlHandle(st, dir, r, pkt, ti, own);
        return;
      }
      if (st.ldap !== null) {
        this.ldapHandle(st, dir, r, pkt, ti, own);
        return;
      }
      if (st.tls !== null) {
        this.pushTls(st, st.tls, dir, r, r.messages, pkt, ti, own);
        return;
      }
      let firstWs = true;
      for (const m of r.messages) {
        if (m.meta === WS_FRAME) {
          const ls = this.wsLayers(st, dir, m, pkt, firstWs);
          firstWs = false;
          if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
          continue;
        }
        const appLayers = this.dissectMessage(st, m, pkt, ti);
        if (pkt !== null && own) for (const l of appLayers) pkt.layers.push(l);
        if (st.proto === 'http') {
          const hl = appLayers.find((l) => l.dis === httpMessage) as Layer<HttpD> | undefined;
          if (hl) this.httpTransaction(st, dir, hl, m, pkt);
        }
      }
      if (st.conn?.upgraded && !st.conn.websocket) {
        st.dirs[0].stop();
        st.dirs[1].stop();
      }
      return;
    }
    const retrans = r.push !== null && r.push.retransmission;
    // held after a hole in the stream, waiting for the missing bytes (or for the peer's ACK to show
    // them lost): tshark shows such a segment as part of a reassembly too
    let held = r.push !== null && r.push.outOfOrder && !r.push.capHit;
    // …unless it holds a whole message by itself: tshark shows that one (the per-segment layers stay)
    if (held && st.proto === 'http' && pkt !== null && own) {
      const tl = pkt.layers[ti] as Layer<TcpD>;
      if (wholeMessageIn(tl.buf.subarray(tl.d.payloadStart, tl.d.payloadEnd))) held = false;
    }
    if ((retrans || r.partial || r.skipped || held) && pkt !== null && own) {
      // The frame's bytes wait in a message not complete yet: TCP segment data, Info "… [TCP segment
      // of a reassembled PDU]". Or they were all seen before (a retransmission, of bytes handed on or
      // held for a message still incomplete): tshark does not hand them to the application again (no
      // "HTTP Continuation"), the row stays the TCP one, the payload is retransmitted segment data.
      const tl = pkt.layers[ti] as Layer<TcpD>;
      const d = tl.d;
      pkt.layers.length = ti + 1;
      let info: string | null = null;
      // frame.protocols: "tls" when TLS read the segment (it starts a record) and asked for more
      let proto = '';
      if (!retrans) {
        // a held segment that starts a message shows its first line, as tshark's fresh look at it does
        // (unless it lies inside the message in progress: then it is part of that one's reassembly)
        const first = held
          ? st.dirs[dir].startsFresh(d.seq) ? (st.dirs[dir].parser.partialInfo?.(tl.buf.subarray(d.payloadStart, d.payloadEnd)) ?? null) : null
          : r.partialInfo;
        // (tshark's TLS clears the Info column of a segment it read before it asks for more bytes)
        const tlsNow = st.proto === 'tls' || (st.mysql !== null && st.mysql.tls);
        info = tlsNow && first !== null ? '[TCP segment of a reassembled PDU]' : (first ?? unfenced(tl, pkt.layers)) + ' [TCP segment of a reassembled PDU]';
        if (tlsNow && first !== null) proto = 'tls';
      }
      pkt.layers.push(new Layer<SegD>(tcpSegmentData, tl.buf, d.payloadStart, d.payloadEnd, { len: d.payloadEnd - d.payloadStart, info, retrans, proto }));
    } else if (own && pkt !== null && st.conn !== null && this.dataDis !== undefined && pkt.layers.length === ti + 2) {
      const top = pkt.layers[ti + 1] as Layer<{ kind?: string; upgraded?: boolean }>;
      if (top.dis.proto === 'http' && top.d?.kind === 'continuation') {
        // on a connection that left HTTP for another protocol than WebSocket (101 to h2c, a CONNECT
        // tunnel): 'Continuation' alone;
        // bytes that are no message on a connection where no request was seen (a capture that starts
        // in the middle of a transfer): tshark's HTTP refuses them and nothing else takes them (TCP
        // payload only, no protocol after tcp); after a request, an HTTP continuation hands them to
        // Data (tshark's http:data, "File Data: N bytes" then "Data (N bytes)")
        if (st.conn.upgraded) top.d.upgraded = true;
        else if (!st.conn.sawRequest) {
          unclaimedHttp.set(pkt, top);
          pkt.layers.length = ti + 1;
        }
        else pkt.layers.push(this.dataDis.dissect(top.buf, top.start, top.end, this.ctx(pkt, pkt.layers.slice(0, ti + 1))));
      }
    }
  }

  private ctx(pkt: Packet | null, layers: Layer[]): DissectContext {
    return {
      frame: pkt?.frame ?? ({ index: this.lastFrame, ts: 0n, tsPrecision: 6, linkType: 0, ifIndex: 0, data: new Uint8Array(0), origLen: 0 }),
      layers,
      state: { now: pkt?.frame.ts ?? 0n, slots: new Map() },
      dissectInner: () => [],
      snapCut: () => false,
      quoted: false,
    };
  }

  /**
   * The layers of a frame's completed messages, for protocols that show the messages whole in the
   * frame as one layer (TLS records, SSH packets): `make(buf, start, end, group)` over each run of
   * contiguous messages in the frame (`group`: each message and where it starts); a message from
   * several segments gets the reassembly layer, then make() over its own bytes (then `reassembled`
   * sees it). A throw in make() marks the bytes instead of ending the run (guardedLayer).
   */
  private groupedLayers(
    proto: string,
    ms: readonly Message[],
    pkt: Packet | null,
    make: (buf: Uint8Array, start: number, end: number, group: { m: Message; at: number }[]) => Layer,
    reassembled?: (l: Layer, m: Message) => void,
  ): Layer[] {
    const out: Layer[] = [];
    const ctx = (): DissectContext => this.ctx(pkt, []);
    let i = 0;
    while (i < ms.length) {
      const m = ms[i];
      if (m.inFrame >= 0 && pkt !== null && m.cut === null) {
        const group = [{ m, at: m.inFrame }];
        let e = m.inFrame + m.bytes.length;
        let j = i + 1;
        while (j < ms.length && ms[j].inFrame === e && ms[j].cut === null) {
          group.push({ m: ms[j], at: e });
          e += ms[j++].bytes.length;
        }
        const data = pkt.frame.data;
        const s = m.inFrame;
        out.push(guardedLayer(proto, () => make(data, s, e, group), this.dataDis, ctx, data, s, e));
        i = j;
        continue;
      }
      const l = guardedLayer(proto, () => make(m.bytes, 0, m.bytes.length, [{ m, at: 0 }]), this.dataDis, ctx, m.bytes, 0, m.bytes.length);
      l.bufName = 'Reassembled TCP';
      reassembled?.(l, m);
      out.push(segmentsLayer(m, m.segs.filter((x) => x.len > 0)), l);
      i++;
    }
    return out;
  }

  /**
   * A frame's completed TLS records `ms` (of result `r`): their layers, pushed when the frame is the
   * segment's own.
   */
  private pushTls(st: AppStream, sess: TlsSession, dir: number, r: FeedResult, ms: readonly Message[], pkt: Packet | null, ti: number, own: boolean): void {
    let ls = this.tlsLayers(sess, dir, ms, pkt);
    // decrypted application data: HTTP, after the TLS layer that carried it
    if (sess.decrypt !== undefined) ls = ls.flatMap((l) => (l.dis === tls ? [l, ...this.decryptedLayers(st, dir, l as Layer<TlsD>, pkt)] : [l]));
    if (pkt === null || !own) return;
    for (const l of ls) pkt.layers.push(l);
    // a frame that completes a record from earlier segments and starts one it does not finish:
    // tshark's TCP hands the rest of the frame to TLS a second time (frame.protocols "tls:tls"),
    // which asks for more; its bytes are TCP segment data, as in tshark's tree. (Records whole
    // in the frame go with that second call: their layer is already the second "tls".)
    if (r.partialInfo !== null && ms.every((x) => x.inFrame < 0)) {
      const tl = pkt.layers[ti] as Layer<TcpD>;
      const m = ms[ms.length - 1];
      const at = m.inFrame >= 0 ? m.inFrame + m.bytes.length : tl.d.payloadStart + (m.segs[m.segs.length - 1]?.len ?? 0);
      if (at < tl.d.payloadEnd) pkt.layers.push(new Layer<SegD>(tcpSegmentData, tl.buf, at, tl.d.payloadEnd, { len: tl.d.payloadEnd - at, info: null, retrans: false, proto: 'tls' }));
    }
  }

  /**
   * An NBSS connection's completed messages: one layer per message (tshark's tree has one per PDU; a later
   * one whole in the same frame is not listed again in frame.protocols), a session message's payload as data.
   */
  private nbssHandle(st: AppStream, dir: number, ms: readonly Message[], pkt: Packet | null, own: boolean): void {
    let prevInFrame = false;
    const frame = pkt?.frame.index ?? (st.lastDataFrame[dir] || this.lastFrame);
    const ts = pkt?.frame.ts ?? st.lastDataTs[dir];
    for (const m of ms) {
      const inFrame = m.inFrame >= 0 && pkt !== null && m.cut === null;
      const quiet = inFrame && prevInFrame;
      prevInFrame = inFrame;
      const extra: Layer[] = [];
      const ls = this.groupedLayers('nbss', [m], pkt, (buf, s, e) => {
        const l = nbssLayer(buf, s, e, quiet, st.cifs);
        const pl = nbssPayload(l);
        const reas = buf !== pkt?.frame.data;
        const kind = pl === null ? 0 : smbMagic(buf, pl[0], pl[1]);
        if (pl !== null && (kind === 2 || (kind === 0 && buf[pl[0]] === 0xfc && smbTail(buf, pl[0], pl[1]))) && st.smb2 !== null) {
          // SMB2/SMB3 (and its transform headers): the commands, their security blobs and data
          const mkData = this.dataDis === undefined ? null : (b: Uint8Array, ds: number, de: number) => this.dataDis!.dissect(b, ds, de, this.ctx(pkt, []));
          for (const x of smb2Layers(buf, pl[0], pl[1], st.smb2, frame, ts, m.cut !== null && m.snaplen, mkData)) {
            if (reas) x.bufName = 'Reassembled TCP';
            extra.push(x);
          }
          return l;
        }
        // an SMB1 message: its header (wiretrace does not dissect SMB over TCP further); else data
        const payloadDis = kind === 1 ? smb : this.dataDis;
        if (pl !== null && payloadDis !== undefined) {
          const dl = payloadDis.dissect(buf, pl[0], pl[1], this.ctx(pkt, []));
          if (reas) dl.bufName = 'Reassembled TCP';
          extra.push(dl);
        }
        return l;
      }, (l, msg) => {
        if (msg.cut !== null) l.problem(msg.snaplen ? 'truncated' : 'malformed', `NBSS message cut (${msg.cut}): ${msg.bytes.length} of ${msg.declared} bytes`, 0, msg.bytes.length);
      });
      if (pkt !== null && own) for (const l of [...ls, ...extra]) pkt.layers.push(l);
    }
  }

  /**
   * A MySQL connection's completed messages: MySQL packets, each its own layer read in order with the
   * connection's session and the frame's Info column; after the SSL request, TLS records.
   */
  private mysqlHandle(st: AppStream, dir: number, r: FeedResult, pkt: Packet | null, ti: number, own: boolean): void {
    const col: MysqlCol = newMysqlCol();
    const toServer = dir === st.clientDir;
    const ms = r.messages;
    let first = true;
    for (let i = 0; i < ms.length; ) {
      if (ms[i].meta === 'tls') {
        let j = i + 1;
        while (j < ms.length && ms[j].meta === 'tls') j++;
        this.pushTls(st, st.tls!, dir, r, ms.slice(i, j), pkt, ti, own);
        i = j;
        continue;
      }
      const m = ms[i++];
      const cont = !first;
      first = false;
      const ls = this.groupedLayers('mysql', [m], pkt, (buf, s, e) => mysqlLayer(buf, s, e, st.mysql!, toServer, col, cont), (l, msg) => {
        if (msg.cut !== null) l.problem(msg.snaplen ? 'truncated' : 'malformed', `MySQL packet cut (${msg.cut}): ${msg.bytes.length} of ${msg.declared} bytes`, 0, msg.bytes.length);
      });
      if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
    }
  }

  /**
   * An LDAP connection's completed messages: one layer per run of messages whole in the frame, one per
   * reassembled message (tshark's separate calls: "ldap:ldap"); each later layer's Info carries the
   * earlier ones' joined with " | ". After StartTLS, TLS records.
   */
  private ldapHandle(st: AppStream, dir: number, r: FeedResult, pkt: Packet | null, ti: number, own: boolean): void {
    const sess = st.ldap!;
    const frame = pkt?.frame.index ?? (st.lastDataFrame[dir] || this.lastFrame);
    const ts = pkt?.frame.ts ?? st.lastDataTs[dir];
    const ms = r.messages;
    let prefix = '';
    for (let i = 0; i < ms.length; ) {
      let j = i + 1;
      const tlsRun = ms[i].meta === 'tls';
      while (j < ms.length && ms[j].meta === ms[i].meta) j++;
      const run = ms.slice(i, j);
      i = j;
      if (tlsRun) {
        this.pushTls(st, st.tls!, dir, r, run, pkt, ti, own);
        continue;
      }
      if (run[0].meta === 'sasl') {
        for (const m of run) {
          const ls = this.groupedLayers('ldap', [m], pkt, (buf, s, e) => ldapSaslLayer(sess, buf, s, e, frame, ts));
          if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
        }
        continue;
      }
      // one layer per message, as tshark's tree has one per PDU; a message whole in the frame right after
      // another one whole in it does not repeat "ldap" in frame.protocols (tshark lists one), one after a
      // reassembled message does ("ldap:ldap")
      let prevInFrame = false;
      for (const m of run) {
        const inFrame = m.inFrame >= 0 && pkt !== null && m.cut === null;
        const quiet = inFrame && prevInFrame;
        prevInFrame = inFrame;
        const ls = this.groupedLayers('ldap', [m], pkt, (buf, s, e) => {
          const l = ldapLayer(buf, s, e, [ldapTrack(sess, buf, s, e, frame, ts)], prefix);
          l.d.quiet = quiet;
          const info = l.d.info ?? '';
          prefix = info === '' ? prefix : info + ' | ';
          return l;
        }, (l, msg) => {
          if (msg.cut !== null) {
            if (msg.snaplen) for (const p of l.problems ?? []) if (p.kind === 'malformed') p.kind = 'truncated';
            l.problem(msg.snaplen ? 'truncated' : 'malformed', `LDAP message cut (${msg.cut}): ${msg.bytes.length} of ${msg.declared} bytes`, 0, msg.bytes.length);
          }
        });
        if (pkt !== null && own) for (const l of ls) pkt.layers.push(l);
      }
    }
  }

  /**
   * The layers of the HTTP messages that the decrypted application data of a TLS layer's records
   * completes (tshark's http over tls): each record's plaintext is fed, in order, to the direction's HTTP
   * desegmenter; a record whose data waits for more of a message says so (Rec.segData).
   */
  private decryptedLayers(st: AppStream, dir: number, tl: Layer<TlsD>, pkt: Packet | null): Layer[] {
    const out: Layer[] = [];
    const frame = pkt?.frame.index ?? (st.lastDataFrame[dir] || this.lastFrame);
    for (const rec of tl.d.recs) {
      const plain = rec.plain;
      if (rec.inner !== 23 || plain === undefined || plain.length === 0) continue;
      let inn = st.inner;
      if (inn === null) {
        const conn = new HttpConn();
        const mk = () => new DirDesegmenter(new HttpFramer(conn), this.budget, this.limits);
        inn = st.inner = { conn, dirs: [mk(), mk()], off: [1, 1] };
        // a stream of its own: it starts at offset 1 after a SYN at 0
        for (const d of inn.dirs) d.feed(0, plain.subarray(0, 0), 0, true, false, frame, plain);
      }
      const res = inn.dirs[dir].feed(inn.off[dir], plain, plain.length, false, false, frame, plain);
      inn.off[dir] = (inn.off[dir] + plain.length) >>> 0;
      if (res.messages.length === 0) {
        if (res.partial) {
          rec.segData = plain.length;
          rec.segWait = true;
        }
        continue;
      }
      for (const m of res.messages) {
        // the last piece of a message from several records: tshark lists it as TLS segment data too
        if (m.inFrame < 0 && m.segs.length > 1) rec.segData = m.segs[m.segs.length - 1].len;
        const ls = this.decryptedMessage(st, dir, m, plain, pkt);
        for (const l of ls) out.push(l);
      }
    }
    return out;
  }

  /** One HTTP message from decrypted TLS: over the record's plaintext, or reassembled from several records. */
  private decryptedMessage(st: AppStream, dir: number, m: Message, plain: Uint8Array, pkt: Packet | null): Layer[] {
    const out: Layer[] = [];
    const inRec = m.inFrame >= 0 && m.cut === null;
    const buf = inRec ? plain : m.bytes;
    const s = inRec ? m.inFrame : 0;
    if (!inRec) {
      const segs = m.segs.filter((x) => x.len > 0);
      if (segs.length > 1) {
        const sl = new Layer<SegsD>(tlsSegmentsLayer, m.bytes, 0, m.bytes.length, { segs, total: m.bytes.length });
        sl.bufName = 'Reassembled TLS';
        out.push(sl);
      }
    }
    let l: Layer<HttpD>;
    try {
      l = httpMessageLayer(buf, s, s + m.bytes.length, m.meta !== null && m.meta !== WS_FRAME ? rebaseHead(m.meta as HttpHead, s) : null);
    } catch {
      return out;
    }
    l.bufName = inRec ? 'Decrypted TLS' : 'Reassembled TLS';
    l.d.tls = true;
    if (m.cut !== null) {
      l.problem('malformed', `the decrypted stream ended after ${m.bytes.length} of the message's ${m.declared} bytes`, s, s + m.bytes.length);
      l.d.cut = m.cut;
    }
    out.push(l);
    if (m.cut === null && !this.sparse) {
      const jl = httpJsonLayer(l);
      if (jl !== null) out.push(jl);
    }
    this.httpTransaction(st, dir, l, m, pkt);
    return out;
  }

  /** The TLS layers of a frame's completed records (one for those whole in the frame, as tshark's tree). */
  private tlsLayers(sess: TlsSession, dir: number, ms: readonly Message[], pkt: Packet | null): Layer[] {
    return this.groupedLayers('tls', ms, pkt, (buf, s, e) => tlsLayer(buf, s, e, sess, dir), (l, m) => {
      if (m.cut !== null) l.problem(m.snaplen ? 'truncated' : 'malformed', `TLS record cut (${m.cut}): ${m.bytes.length} of ${m.declared} bytes`, 0, m.bytes.length);
    });
  }

  /** The SSH layers of a frame's completed messages (Info "Server: Diffie-Hellman Key Exchange Reply, New Keys"). */
  private sshLayers(sess: SshSession, client: boolean, ms: readonly Message[], pkt: Packet | null): Layer[] {
    const items = (group: { m: Message; at: number }[]) => group.map(({ m, at }) => ({ ...(m.meta as SshMeta), start: at, end: at + m.bytes.length }));
    return this.groupedLayers('ssh', ms, pkt, (buf, s, e, group) => sshLayer(buf, s, e, items(group), sess, client));
  }

  /** A WebSocket frame's layer (each frame its own; after the reassembly layer when it spans segments). */
  private wsLayers(st: AppStream, dir: number, m: Message, pkt: Packet | null, first: boolean): Layer[] {
    const frame = pkt?.frame.index ?? this.lastFrame;
    const frag = st.ws![dir];
    return this.groupedLayers('websocket', [m], pkt, (buf, s, e) => wsLayer(buf, s, e, frag, frame, first));
  }

  private dissectMessage(st: AppStream, m: Message, pkt: Packet | null, ti: number): Layer[] {
    const out: Layer[] = [];
    let buf: Uint8Array;
    let s: number;
    const inFrame = m.inFrame >= 0 && pkt !== null && m.cut === null;
    if (inFrame) {
      buf = pkt!.frame.data;
      s = m.inFrame;
    } else {
      buf = m.bytes;
      s = 0;
      // (a FIN without data that completed the message stays: tshark lists it, "#9(0)"); a message in
      // one segment (in an IP-reassembled packet, or cut by the snaplen) has no reassembly item in tshark
      const segs = m.segs.filter((x, i, all) => x.len > 0 || (i > 0 && i === all.length - 1));
      if (segs.length > 1) out.push(segmentsLayer(m, segs));
    }
    const e = s + m.bytes.length;
    let l: Layer;
    try {
      if (st.proto === 'dns' && this.dnsDis) l = this.dnsDis.dissect(buf, s, e, this.ctx(pkt, pkt !== null && ti >= 0 ? pkt.layers.slice(0, ti + 1) : []));
      // the framer parsed the head to measure the message: reuse it (offsets from the message start)
      else l = httpMessageLayer(buf, s, e, m.meta !== null ? rebaseHead(m.meta as HttpHead, s) : null);
    } catch (err) {
      return out;
    }
    if (!inFrame) l.bufName = 'Reassembled TCP';
    if (m.omitted > 0 && l.dis === httpMessage) (l.d as HttpD).omitted = m.omitted;
    if (m.cut !== null) {
      const why = m.cut === 'cap' ? `message of ${m.declared} bytes is longer than the reassembly cap: only ${m.bytes.length + m.omitted} bytes kept`
        : m.snaplen ? `the capture holds ${m.bytes.length + m.omitted} of the message's ${m.declared} bytes (cut by snaplen)`
          : m.cut === 'gap' ? `bytes of the message are missing from the capture (${m.lost} bytes lost)`
            : `the stream ended after ${m.bytes.length + m.omitted} of ${m.declared} bytes`;
      if (m.snaplen) {
        // the bytes were sent but not captured: what reads as malformed (a header block that does not
        // end) is the snaplen's doing, as tshark's "[Packet size limited during capture]" says
        for (const p of l.problems ?? []) if (p.kind === 'malformed') p.kind = 'truncated';
      }
      l.problem(m.snaplen ? 'truncated' : 'malformed', why, s, e);
      if (l.dis === httpMessage) (l.d as HttpD).cut = m.cut;
    }
    out.push(l);
    // (not for the plain table, which reads no bodies: parsing every JSON body cost it ~6%)
    if (l.dis === httpMessage && m.cut === null && !this.sparse) {
      const jl = httpJsonLayer(l as Layer<HttpD>);
      if (jl !== null) out.push(jl);
    }
    return out;
  }

  private httpTransaction(st: AppStream, dir: number, l: Layer<HttpD>, m: Message, pkt: Packet | null): void {
    const h = l.d.head;
    if (!h) return;
    // handed out at the end of the capture: it ended with the direction's last data segment
    const frame = pkt?.frame.index ?? (st.lastDataFrame[dir] || this.lastFrame);
    const ts = pkt?.frame.ts ?? st.lastDataTs[dir];
    const bodyLen = bodyLength(l);
    if (h.kind === 'request') {
      const t: HttpTransaction = {
        stream: st.id, client: dir === st.clientDir ? st.client : st.server, server: dir === st.clientDir ? st.server : st.client,
        reqFrame: frame, reqTs: ts, method: h.method, host: h.host ?? '', uri: h.uri, version: h.version, reqBody: bodyLen,
        respFrame: 0, respTs: 0n, status: 0, phrase: '', respBody: 0, contentType: '', contentEncoding: '', latency: -1,
        notes: m.cut ? [`request ${m.cut}`] : [], reqLayer: this.keep && !this.keepLayers ? null : l, respLayer: null,
      };
      st.pending.push(t);
      if (st.pending.length > 1000) st.pending.shift();
      if (this.keep) this.transactions.push(t);
      return;
    }
    // a response: the oldest request without one (1xx: interim, the request stays open)
    const interim = h.code >= 100 && h.code < 200 && h.code !== 101;
    const t = st.pending[0];
    if (!t) {
      if (this.keep && !interim) {
        this.transactions.push({
          stream: st.id, client: dir === st.clientDir ? st.server : st.client, server: dir === st.clientDir ? st.client : st.server,
          reqFrame: 0, reqTs: 0n, method: '', host: '', uri: '', version: h.version, reqBody: 0, respFrame: frame, respTs: ts,
          status: h.code, phrase: h.phrase, respBody: bodyLen, contentType: h.contentType ?? '', contentEncoding: h.contentEncoding ?? '',
          latency: -1, notes: ['response without a request'], reqLayer: null, respLayer: this.keepLayers ? l : null,
        });
      }
      return;
    }
    // built only when an output reads extras (the table does not)
    l.addExtraLazy(responseExtras, { reqFrame: t.reqFrame, dt: ts - t.reqTs, uri: t.uri, host: t.host, tls: l.d.tls === true });
    if (interim) return;
    st.pending.shift();
    t.respFrame = frame;
    t.respTs = ts;
    t.status = h.code;
    t.phrase = h.phrase;
    t.respBody = bodyLen;
    t.contentType = h.contentType ?? '';
    t.contentEncoding = h.contentEncoding ?? '';
    t.latency = pkt !== null || st.lastDataFrame[dir] !== 0 ? Number(ts - t.reqTs) / 1e9 : -1;
    t.respLayer = this.keepLayers ? l : null;
    if (m.cut) t.notes.push(`response ${m.cut}`);
    t.reqLayer?.addExtra(gen(fUint('http.response_in', 'Response in frame', frame, 0, 0)));
    if (!this.keep) t.reqLayer = null;
  }
}

/** A response's link to its request: http.request_in, http.time, http.response_for.uri. */
function responseExtras(a: { reqFrame: number; dt: bigint; uri: string; host: string; tls: boolean }): Field[] {
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(a.uri) ? a.uri : a.host ? `${a.tls ? 'https' : 'http'}://${a.host}${a.uri}` : a.uri;
  const dt = relTime(a.dt);
  const tf = gen(fStr('http.time', 'Time since request', dt, 0, 0));
  tf.text = `Time since request: ${dt} seconds`;
  return [gen(fUint('http.request_in', 'Request in frame', a.reqFrame, 0, 0)), tf, gen(fStr('http.response_for.uri', 'Request URI', full, 0, 0))];
}
(responseExtras as { extraKeys?: readonly string[] }).extraKeys = ['http.request_in', 'http.time', 'http.response_for.uri'];

/**
 * Body bytes of a message: Content-Length (declared, even when cut), chunk data sum, or what is
 * there; 0 for a response that has no body whatever its headers say (to HEAD, 1xx, 204, 304: a
 * HEAD's Content-Length is the size a GET would get).
 */
export function bodyLength(l: Layer<HttpD>): number {
  const d = l.d;
  if (!d.head) return 0;
  if (bodiless(d.head)) return 0;
  if (d.head.chunked) {
    let n = 0;
    let p = d.bodyStart;
    // sum chunk sizes without copying
    for (let k = 0; k < 1_000_000 && p < d.bodyEnd; k++) {
      let e = l.buf.indexOf(0x0a, p);
      if (e < 0 || e >= d.bodyEnd) break;
      let v = 0, any = false;
      for (let i = p; i < e; i++) {
        const c = l.buf[i];
        const x = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (x < 0) break;
        v = v * 16 + x;
        any = true;
      }
      if (!any || v === 0) break;
      n += v;
      e += 1 + v;
      p = e + (l.buf[e] === 0x0d ? 2 : 1);
    }
    return n;
  }
  if (d.head.contentLength >= 0) return d.head.contentLength;
  return d.bodyEnd - d.bodyStart;
}

/**
 * Every key of the layers this analyzer adds (the reassembly, the HTTP message, segment data) and of
 * its own extras: valid for -e and -Y even where no per-segment dissector has them (http.file_data,
 * http.content_length_header, http.prev_request_in …).
 */
const TCP_APP_FIELD_KEYS: readonly string[] = [...new Set([...APP_KEYS, ...tcpSegmentsLayer.fieldKeys, ...tcpSegmentData.fieldKeys, ...httpMessage.fieldKeys, ...tls.fieldKeys, ...websocket.fieldKeys, ...ssh.fieldKeys, ...resp.fieldKeys, ...mysql.fieldKeys, ...pptp.fieldKeys, ...ldap.fieldKeys, ...nbss.fieldKeys, ...smb.fieldKeys, ...smb2.fieldKeys, ...gssapi.fieldKeys, ...spnego.fieldKeys, ...ntlmssp.fieldKeys])];

export function tcpAppAnalyzer(app: TcpApp): Analyzer & { app: TcpApp } {
  return { name: 'tcp-app', fieldKeys: TCP_APP_FIELD_KEYS, affects: analysisMayAffect, packet: (p) => app.packet(p), finish: () => app.finish(), app };
}

/**
 * The JSON layer of a whole HTTP message whose body has a JSON media type (tshark hands the body to its JSON
 * dissector): over the body's bytes in the message's buffer, or over the de-chunked / decoded body.
 */
function httpJsonLayer(l: Layer<HttpD>): Layer | null {
  const d = l.d;
  const h = d.head;
  if (h === null || d.omitted > 0 || !(d.bodyEnd > d.bodyStart)) return null;
  const mt = mediaType(h.contentType);
  if (mt === null || mediaProtocol(mt) !== 'json') return null;
  if (!h.chunked && h.contentEncoding === null) return jsonBodyLayer(l.buf, d.bodyStart, d.bodyEnd, mt);
  const b = decodeBody(l);
  if (b.error !== null) return null;
  const jl = jsonBodyLayer(b.bytes, 0, b.bytes.length, mt);
  if (jl !== null) jl.bufName = b.encoding ? 'Uncompressed entity body' : 'De-chunked entity body';
  return jl;
}
