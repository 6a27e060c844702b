// MySQL / MariaDB classic protocol on TCP port 3306, as tshark 4.0 shows it (packet-mysql.c): each
// packet (3-byte length, sequence id) read in the light of the connection's state — which packet is
// the server greeting, the login request (or the short SSL request, after which the stream is TLS),
// a command, and what answers it: OK, ERR, EOF, a text or binary result set (column count, field
// packets, intermediate EOF, rows, closing EOF), a prepared statement's response and its parameter
// and column definitions, a statistics message.
//
// The TCP application analyzer (src/analysis/http/app.ts) cuts each direction into packets and hands
// them, in stream order, to mysqlLayer() with the connection's MysqlSession, which carries what
// tshark's conversation data knows (state, both sides' capabilities, MariaDB or not, prepared
// statements' parameter and column types). The session is updated as packets go by, so a layer is
// built once, eagerly (Info and fields), as tshark's single pass does. The Info column is emulated
// with tshark's col_set_str / col_append / col_set_fence over all MySQL packets of a frame (`MysqlCol`).
// Not done: the compressed protocol, caching_sha2 exchanges beyond Auth Switch, binlog events,
// clone commands, MariaDB bulk execute and extended metadata.

import { fBool, fBytes, fHex, fStr, fText, fUint } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field, ProblemKind } from '../src/dissect/types.js';

export const MYSQL_TCP_PORT = 3306;

const enum St {
  UNDEFINED, LOGIN, REQUEST, RESPONSE_OK, RESPONSE_ERROR, RESPONSE_EOF, INTERMEDIATE_EOF, RESPONSE_MESSAGE,
  RESPONSE_TABULAR, RESPONSE_SHOW_FIELDS, FIELD_PACKET, ROW_PACKET, COLUMN_COUNT, RESPONSE_PREPARE,
  PREPARED_PARAMETERS, PREPARED_FIELDS, AUTH_SWITCH_REQUEST, AUTH_SWITCH_RESPONSE, BINLOG_DUMP,
}

/** tshark's state_vals: the "MySQL Protocol - …" title suffixes. */
const STATE_NAMES = [
  'undefined', 'login', 'request', 'response OK', 'response ERROR', 'response EOF', 'intermediate EOF', 'response message',
  'tabular response', 'response to SHOW FIELDS', 'field packet', 'row packet', 'column count', 'response to PREPARE',
  'parameters in response to PREPARE', 'fields in response to PREPARE', 'authentication switch request',
  'authentication switch response', 'binlog event',
];

const CAPS_CD = 0x0008, CAPS_LP = 0x0001, CAPS_CU = 0x0200, CAPS_SL = 0x0800, CAPS_SC = 0x8000, CAPS_AL = 0x0020;
const EXT_PA = 0x0008, EXT_CA = 0x0010, EXT_ST = 0x0080, EXT_DE = 0x0100, EXT_ZS = 0x0400;
const STAT_SESSION_STATE_CHANGED = 0x4000;
const MARIADB_CAPS_EM = 0x8;

/** A column's or parameter's type and flags (binary rows and execute parameters need them). */
interface Meta {
  type: number;
  flags: number;
}

/** What tshark's conversation data knows about a MySQL connection (see the top). */
export interface MysqlSession {
  state: St;
  srvCaps: number;
  srvExt: number;
  clntCaps: number;
  clntExt: number;
  mariaSrv: boolean;
  mariaClnt: boolean;
  mariaSrvExt: number;
  mariaClntExt: number;
  major: number;
  /** The client's SSL request went by: the rest of the stream is TLS (tshark's ssl_starttls_ack). */
  tls: boolean;
  stmtId: number;
  numFields: number;
  numParams: number;
  remaining: number;
  fieldMetas: Meta[];
  /** Prepared statements by id (bounded: the oldest is dropped past MAX_STMTS). */
  stmts: Map<number, { params: Meta[]; fields: Meta[] }>;
}

const MAX_STMTS = 256;
/** Column and parameter counts kept per result set / statement (tshark's G_MAXINT16). */
const MAX_METAS = 32767;

export function newMysqlSession(): MysqlSession {
  return {
    state: St.UNDEFINED, srvCaps: 0, srvExt: 0, clntCaps: 0, clntExt: 0, mariaSrv: false, mariaClnt: false, mariaSrvExt: 0,
    mariaClntExt: 0, major: 0, tls: false, stmtId: 0, numFields: 0, numParams: 0, remaining: 0, fieldMetas: [], stmts: new Map(),
  };
}

/** tshark's Info column over the MySQL packets of one frame: text and fence. */
export interface MysqlCol {
  text: string;
  fence: number;
}
export const newMysqlCol = (): MysqlCol => ({ text: '', fence: 0 });

/** A read past the packet's bytes: tshark's exception ends the packet's dissection. */
class Bounds extends Error {
  constructor(readonly kind: ProblemKind, readonly at: number) {
    super(kind === 'truncated' ? 'packet cut by the capture' : 'a length runs past the packet');
  }
}

const COMMANDS: Record<number, string> = {
  0: 'SLEEP', 1: 'Quit', 2: 'Use Database', 3: 'Query', 4: 'Show Fields', 5: 'Create Database', 6: 'Drop Database', 7: 'Refresh',
  8: 'Shutdown', 9: 'Statistics', 10: 'Process List', 11: 'Connect', 12: 'Kill Server Thread', 13: 'Dump Debuginfo', 14: 'Ping',
  15: 'Time', 16: 'Insert Delayed', 17: 'Change User', 18: 'Send Binlog', 19: 'Send Table', 20: 'Slave Connect',
  21: 'Register Slave', 22: 'Prepare Statement', 23: 'Execute Statement', 24: 'Send BLOB', 25: 'Close Statement',
  26: 'Reset Statement', 27: 'Set Option', 28: 'Fetch Data', 29: 'Daemon', 30: 'Send Binlog GTID', 31: 'Reset Connection',
  32: 'Native cloning', 250: 'Execute Bulk Statement',
};
const RESPONSE_CODES: Record<number, string> = { 0x00: 'OK Packet', 0xff: 'ERR Packet', 0xfe: 'EOF Packet', 0xfb: 'LOCAL INFILE Packet' };

const CAPS_BITS: [string, string][] = [
  ['mysql.caps.lp', 'Long Password'], ['mysql.caps.fr', 'Found Rows'], ['mysql.caps.lf', 'Long Column Flags'],
  ['mysql.caps.cd', 'Connect With Database'], ['mysql.caps.ns', "Don't Allow database.table.column"],
  ['mysql.caps.cp', 'Can use compression protocol'], ['mysql.caps.ob', 'ODBC Client'], ['mysql.caps.li', 'Can Use LOAD DATA LOCAL'],
  ['mysql.caps.is', "Ignore Spaces before '('"], ['mysql.caps.cu', 'Speaks 4.1 protocol (new flag)'], ['mysql.caps.ia', 'Interactive Client'],
  ['mysql.caps.sl', 'Switch to SSL after handshake'], ['mysql.caps.ii', 'Ignore sigpipes'], ['mysql.caps.ta', 'Knows about transactions'],
  ['mysql.caps.rs', 'Speaks 4.1 protocol (old flag)'], ['mysql.caps.sc', 'Can do 4.1 authentication'],
];
// (tshark 4.0 registers CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA under mysql.caps.pm too)
const EXTCAPS_BITS: [string, string][] = [
  ['mysql.caps.ms', 'Multiple statements'], ['mysql.caps.mr', 'Multiple results'], ['mysql.caps.pm', 'PS Multiple results'],
  ['mysql.caps.pa', 'Plugin Auth'], ['mysql.caps.ca', 'Connect attrs'], ['mysql.caps.pm', 'Plugin Auth LENENC Client Data'],
  ['mysql.caps.ep', 'Client can handle expired passwords'], ['mysql.caps.session_track', 'Session variable tracking'],
  ['mysql.caps.deprecate_eof', 'Deprecate EOF'], ['mysql.caps.optional_metadata', 'Client can hanle optional resultset metadata'],
  ['mysql.caps.compress_zsd', 'ZSTD Compression Algorithm'], ['mysql.caps.query_attrs', 'Query Attributes'],
  ['mysql.caps.mf_auth', 'Multifactor Authentication'], ['mysql.caps.cap_ext', 'Capability Extension'],
];
const STAT_BITS: [string, string, number][] = [
  ['mysql.stat.it', 'In transaction', 0x1], ['mysql.stat.ac', 'AUTO_COMMIT', 0x2], ['mysql.stat.mu', 'Multi query / Unused', 0x4],
  ['mysql.stat.mr', 'More results', 0x8], ['mysql.stat.bi', 'Bad index used', 0x10], ['mysql.stat.ni', 'No index used', 0x20],
  ['mysql.stat.cr', 'Cursor exists', 0x40], ['mysql.stat.lr', 'Last row sent', 0x80], ['mysql.stat.dr', 'Database dropped', 0x100],
  ['mysql.stat.bs', 'No backslash escapes', 0x200], ['mysql.stat.mc', 'Metadata changed', 0x400],
  ['mysql.stat.query_was_slow', 'Query was slow', 0x800], ['mysql.stat.ps_out_params', 'PS Out Params', 0x1000],
  ['mysql.stat.trans_readonly', 'In Trans Readonly', 0x2000], ['mysql.stat.session_state_changed', 'Session state changed', 0x4000],
];
const MARIADB_CAPS_BITS: [string, string][] = [
  ['mariadb.caps.pr', 'Progress indication'], ['mariadb.caps.cm', 'Multi commands'], ['mariadb.caps.bo', 'Bulk Operations'],
  ['mariadb.caps.em', 'Extended metadata'], ['mariadb.caps.me', 'Cache metadata'],
];
const FLD_FLAG_BITS: [string, string, number][] = [
  ['mysql.field.flags.not_null', 'Not null', 0x1], ['mysql.field.flags.primary_key', 'Primary key', 0x2],
  ['mysql.field.flags.unique_key', 'Unique key', 0x4], ['mysql.field.flags.multiple_key', 'Multiple key', 0x8],
  ['mysql.field.flags.blob', 'Blob', 0x10], ['mysql.field.flags.unsigned', 'Unsigned', 0x20], ['mysql.field.flags.zero_fill', 'Zero fill', 0x40],
  ['mysql.field.flags.enum', 'Enum', 0x100], ['mysql.field.flags.auto_increment', 'Auto increment', 0x200],
  ['mysql.field.flags.timestamp', 'Timestamp', 0x400], ['mysql.field.flags.set', 'Set', 0x800],
];

/** One packet being read: its bytes, the session, the fields so far, the Info column. */
class Pdu {
  readonly out: Field[] = [];
  /** Title suffix (" - response OK"). */
  suffix = '';
  constructor(
    readonly b: Uint8Array,
    readonly start: number,
    /** Where the bytes end (the packet's end, or earlier when the capture cut it). */
    readonly end: number,
    /** Where the packet's length says it ends. */
    readonly declEnd: number,
    readonly s: MysqlSession,
    readonly col: MysqlCol,
  ) {}

  need(p: number, n: number): void {
    if (n < 0 || p + n > this.end) throw new Bounds(p + n <= this.declEnd && n >= 0 ? 'truncated' : 'malformed', p);
  }
  u8(p: number): number {
    this.need(p, 1);
    return this.b[p];
  }
  u16(p: number): number {
    this.need(p, 2);
    return this.b[p] | (this.b[p + 1] << 8);
  }
  u24(p: number): number {
    this.need(p, 3);
    return this.b[p] | (this.b[p + 1] << 8) | (this.b[p + 2] << 16);
  }
  u32(p: number): number {
    this.need(p, 4);
    return (this.b[p] | (this.b[p + 1] << 8) | (this.b[p + 2] << 16)) + this.b[p + 3] * 0x1000000;
  }
  u64(p: number): bigint {
    this.need(p, 8);
    return BigInt(this.u32(p)) + (BigInt(this.u32(p + 4)) << 32n);
  }
  remaining(p: number): number {
    return p > this.end ? 0 : this.end - p;
  }
  /** my_tvb_strsize: up to and including a NUL, or the rest of the packet. */
  strsize(p: number): number {
    if (p > this.end) throw new Bounds('malformed', p);
    for (let i = p; i < this.end; i++) if (this.b[i] === 0) return i - p + 1;
    return this.end - p;
  }
  /** tvb_strsize: a NUL must be there. */
  strsizeZ(p: number): number {
    if (p >= this.end) throw new Bounds(this.end < this.declEnd ? 'truncated' : 'malformed', p);
    for (let i = p; i < this.end; i++) if (this.b[i] === 0) return i - p + 1;
    throw new Bounds(this.end < this.declEnd ? 'truncated' : 'malformed', this.end);
  }
  /** Text of [p, p+n) as tshark's ASCII strings show it: up to a NUL, bytes from 0x80 as U+FFFD. */
  str(p: number, n: number): string {
    let s = '';
    for (let i = p; i < p + n; i++) {
      const c = this.b[i];
      if (c === 0) break;
      s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
    }
    return s;
  }
  /** tvb_format_text: non-printable bytes escaped (as tshark's column shows them). */
  fmt(p: number, n: number): string {
    let s = '';
    for (let i = p; i < p + n && i < this.end; i++) {
      const c = this.b[i];
      if (c >= 0x20 && c < 0x7f) s += c === 0x5c ? '\\\\' : String.fromCharCode(c);
      else if (c === 0) s += '\\000';
      else if (c === 0x0a) s += '\\n';
      else if (c === 0x0d) s += '\\r';
      else if (c === 0x09) s += '\\t';
      else s += '\\' + c.toString(8).padStart(3, '0');
    }
    return s;
  }

  // ---- the Info column (tshark's col_* calls) ----
  set(t: string): void {
    this.col.text = this.col.text.slice(0, this.col.fence) + t;
  }
  append(t: string): void {
    this.col.text += t;
  }
  fence(): void {
    this.col.fence = this.col.text.length;
  }

  // ---- fields ----
  addStr(out: Field[], key: string, label: string, p: number, n: number): void {
    this.need(p, n);
    out.push(fStr(key, label, this.str(p, n), p, n));
  }
  addUint(out: Field[], key: string, label: string, v: number | bigint, p: number, n: number): void {
    out.push({ key, label, value: v, show: String(v), start: p, len: n });
  }
  /** A bitmask field with its flag bits (proto_tree_add_bitmask). */
  addBits(out: Field[], key: string, label: string, p: number, n: number, bits: [string, string, number][], digits = n * 2): number {
    const v = n === 4 ? this.u32(p) : this.u16(p);
    const f = fHex(key, label, v, p, n, digits);
    f.children = bits.map(([k, l, m]) => {
      if ((m & (m - 1)) === 0) return fBool(k, l, (v & m) !== 0, p, n, m);
      // a multi-bit part (mysql.caps.unused): shifted down, in hex as tshark shows a BASE_HEX field
      const bf = fHex(k, l, (v & m) / (m & -m), p, n, n * 2);
      bf.mask = m;
      return bf;
    });
    out.push(f);
    return v;
  }
  /** tvb_get_fle: a length-encoded integer; its length and value. */
  fle(p: number): { n: number; v: number; isNull: boolean } {
    const pre = this.u8(p);
    if (pre === 251) return { n: 1, v: 0, isNull: true };
    if (pre === 252) return { n: 3, v: this.u16(p + 1), isNull: false };
    if (pre === 253) return { n: 4, v: this.u24(p + 1), isNull: false };
    if (pre === 254) return { n: 9, v: Number(this.u64(p + 1)), isNull: false };
    return { n: 1, v: pre, isNull: false };
  }
  /** mysql_field_add_lestring: a length-encoded string under a subtree named like its field. */
  lestring(out: Field[], key: string, label: string, p: number): number {
    const f = this.fle(p);
    const q = p + f.n;
    const kids: Field[] = [];
    if (f.isNull) {
      kids.push(fStr(key, label, 'NULL', q, 0));
      out.push(fText(label, p, f.n, kids));
      return q;
    }
    this.need(q, f.v);
    kids.push(fStr(key, label, this.str(q, f.v), q, f.v));
    out.push(fText(label, p, f.n + f.v, kids));
    return q + f.v;
  }
}

function capsBits(list: [string, string][]): [string, string, number][] {
  return list.map(([k, l], i) => [k, l, 1 << i]);
}
const CAPS = capsBits(CAPS_BITS);
const EXTCAPS: [string, string, number][] = [...capsBits(EXTCAPS_BITS), ['mysql.caps.unused', 'Unused', 0xc000]];
const MARIADB_CAPS = capsBits(MARIADB_CAPS_BITS);

function serverStatus(d: Pdu, out: Field[], p: number): number {
  const v = d.addBits(out, 'mysql.server_status', 'Server Status', p, 2, STAT_BITS);
  return v;
}

function errorPacket(d: Pdu, out: Field[], p: number): number {
  d.append(` Error ${d.u16(p)} `);
  d.fence();
  d.addUint(out, 'mysql.error_code', 'Error Code', d.u16(p), p, 2);
  p += 2;
  if (d.u8(p) === 0x23) {
    p += 1;
    d.addStr(out, 'mysql.sqlstate', 'SQL state', p, 5);
    p += 5;
  }
  const n = d.remaining(p);
  d.addStr(out, 'mysql.error.message', 'Error message', p, n);
  return p + n;
}

function greeting(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  const protocol = d.u8(p);
  if (protocol === 0xff) return errorPacket(d, out, p + 1);
  s.state = St.LOGIN;
  const g: Field[] = [];
  out.push(fText('Server Greeting', p, d.end - p, g));
  d.append(` proto=${protocol}`);
  d.addUint(g, 'mysql.protocol', 'Protocol', protocol, p, 1);
  p += 1;
  let n = d.strsizeZ(p);
  if (n > 6 && d.str(p, 6) === '5.5.5-') {
    s.mariaSrv = true;
    d.append(` version=${d.fmt(p + 6, n - 7)} `);
  } else d.append(` version=${d.fmt(p, n - 1)} `);
  d.fence();
  d.addStr(g, 'mysql.version', 'Version', p, n);
  s.major = 0;
  for (let i = 0; i < n; i++) {
    const c = d.b[p + i];
    if (c === 0x2e) break;
    s.major = (s.major * 10 + c - 48) & 0xff;
  }
  p += n;
  d.addUint(g, 'mysql.thread_id', 'Thread ID', d.u32(p), p, 4);
  p += 4;
  n = d.strsizeZ(p);
  d.addStr(g, 'mysql.salt', 'Salt', p, n);
  p += n;
  if (d.remaining(p) === 0) return p;
  s.srvCaps = d.addBits(g, 'mysql.caps.server', 'Server Capabilities', p, 2, CAPS);
  p += 2;
  if (!(s.srvCaps & CAPS_LP)) s.mariaSrv = true;
  if (d.remaining(p) === 0) return p;
  d.addUint(g, s.mariaSrv ? 'mariadb.server_language' : 'mysql.server_language', 'Server Language', d.u8(p), p, 1);
  p += 1;
  serverStatus(d, g, p);
  p += 2;
  s.srvExt = d.addBits(g, 'mysql.extcaps.server', 'Extended Server Capabilities', p, 2, EXTCAPS);
  p += 2;
  d.addUint(g, 'mysql.auth_plugin.length', 'Authentication Plugin Length', d.u8(p), p, 1);
  p += 1;
  if (s.mariaSrv) {
    d.need(p, 6);
    g.push(fBytes('mysql.unused', 'Unused', d.b, p, p + 6));
    p += 6;
    s.mariaSrvExt = d.addBits(g, 'mariadb.extcaps.server', 'MariaDB Extended Server Capabilities', p, 4, MARIADB_CAPS, 8);
    p += 4;
  } else {
    d.need(p, 10);
    g.push(fBytes('mysql.unused', 'Unused', d.b, p, p + 10));
    p += 10;
  }
  if (d.remaining(p) > 0) {
    n = d.strsizeZ(p);
    d.addStr(g, 'mysql.salt2', 'Salt', p, n);
    p += n;
  }
  if (d.remaining(p) > 0) {
    n = d.strsizeZ(p);
    d.addStr(g, 'mysql.auth_plugin', 'Authentication Plugin', p, n);
    p += n;
  }
  return p;
}

function connattrs(d: Pdu, out: Field[], p: number): number {
  const f = d.fle(p);
  const kids: Field[] = [];
  out.push(fText('Connection Attributes', p, f.v, kids));
  d.addUint(kids, 'mysql.connattrs.length', 'Connection Attributes length', f.v, p, f.n);
  p += f.n;
  let left = f.v;
  for (let guard = 0; left > 0 && guard < 4096; guard++) {
    const at = p;
    const a: Field[] = [];
    const nl = d.fle(p);
    d.addUint(a, 'mysql.connattrs.name.length', 'Connection Attribute Name Length', nl.v, p, nl.n);
    p += nl.n;
    d.addStr(a, 'mysql.connattrs.name', 'Connection Attribute Name', p, nl.v);
    const name = d.str(p, nl.v);
    p += nl.v;
    const vl = d.fle(p);
    d.addUint(a, 'mysql.connattrs.value.length', 'Connection Attribute Value Length', vl.v, p, vl.n);
    p += vl.n;
    d.addStr(a, 'mysql.connattrs.value', 'Connection Attribute Value', p, vl.v);
    const value = d.str(p, vl.v);
    p += vl.v;
    const item = fText(`Connection Attribute - ${name}: ${value}`, at, p - at, a);
    item.key = 'mysql.connattrs.attr';
    kids.push(item);
    left -= p - at;
  }
  return p;
}

function login(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  if (s.clntCaps & CAPS_SL) s.state = St.LOGIN;
  else if (s.clntCaps !== 0) s.state = St.RESPONSE_OK;
  const l: Field[] = [];
  out.push(fText('Login Request', p, d.end - p, l));
  s.clntCaps = d.addBits(l, 'mysql.caps.client', 'Client Capabilities', p, 2, CAPS);
  p += 2;
  if (!(s.clntCaps & CAPS_LP)) s.mariaClnt = true;
  if (!s.tls && s.clntCaps & CAPS_SL) {
    d.set('Response: SSL Handshake');
    s.tls = true;
  }
  if (s.clntCaps & CAPS_CU) {
    s.clntExt = d.addBits(l, 'mysql.extcaps.client', 'Extended Client Capabilities', p, 2, EXTCAPS);
    p += 2;
    d.addUint(l, 'mysql.max_packet', 'MAX Packet', d.u32(p), p, 4);
    p += 4;
    d.addUint(l, s.mariaSrv ? 'mariadb.charset' : 'mysql.charset', 'Charset', d.u8(p), p, 1);
    p += 1;
    if (s.mariaClnt) {
      d.need(p, 19);
      l.push(fBytes('mysql.unused', 'Unused', d.b, p, p + 19));
      p += 19;
      s.mariaClntExt = d.addBits(l, 'mariadb.extcaps.client', 'MariaDB Extended Client Capabilities', p, 4, MARIADB_CAPS, 8);
      p += 4;
    } else {
      d.need(p, 23);
      l.push(fBytes('mysql.unused', 'Unused', d.b, p, p + 23));
      p += 23;
    }
  } else {
    d.addUint(l, 'mysql.max_packet', 'MAX Packet', d.u24(p), p, 3);
    p += 3;
  }
  let n = d.strsize(p);
  d.append(` user=${d.fmt(p, n - 1)} `);
  d.addStr(l, 'mysql.user', 'Username', p, n);
  p += n;
  if (d.remaining(p) === 0) {
    d.fence();
    return p;
  }
  if (s.clntCaps & CAPS_AL) {
    const f = d.fle(p);
    p += f.n;
    n = f.v;
  } else if (s.clntCaps & CAPS_SC) {
    n = d.u8(p);
    p += 1;
  } else n = d.strsize(p);
  if (n > 1) {
    d.need(p, n);
    l.push(fBytes('mysql.passwd', 'Password', d.b, p, p + n));
  }
  p += n;
  if (s.clntCaps & CAPS_CD) {
    n = d.strsize(p);
    d.append(`db=${d.fmt(p, n - 1)} `);
    d.fence();
    d.addStr(l, 'mysql.schema', 'Schema', p, n);
    p += n;
  }
  if (s.clntExt & EXT_PA) {
    s.state = St.AUTH_SWITCH_REQUEST;
    n = d.strsize(p);
    d.addStr(l, 'mysql.client_auth_plugin', 'Client Auth Plugin', p, n);
    p += n;
  }
  if (s.clntExt & EXT_CA && d.remaining(p) > 0) p = connattrs(d, l, p);
  if (s.clntExt & EXT_ZS) {
    d.addUint(l, 'mysql.compression.zstd_level', 'ZSTD Compression Level', d.u8(p), p, 1);
    p += 1;
  }
  return p;
}

/** A binary value of a column or parameter type (mysql_exec_dissectors); false: no dissector for the type. */
function execValue(d: Pdu, out: Field[], p: number, type: number, unsigned: boolean): number | null {
  const prim = (key: string, label: string, n: number, signed: boolean): number => {
    d.need(p, n);
    let v: number | bigint;
    if (n === 8) {
      const u = d.u64(p);
      v = signed ? BigInt.asIntN(64, u) : u;
    } else {
      const u = n === 1 ? d.u8(p) : n === 2 ? d.u16(p) : d.u32(p);
      v = signed ? (u << (32 - n * 8)) >> (32 - n * 8) : u;
    }
    d.addUint(out, key, label, v, p, n);
    return p + n;
  };
  switch (type) {
    case 0x01: return unsigned ? prim('mysql.exec.field.unsigned_tiny', 'Value (UINT8)', 1, false) : prim('mysql.exec.field.tiny', 'Value (INT8)', 1, true);
    case 0x02: return unsigned ? prim('mysql.exec.field.unsigned_short', 'Value (UINT16)', 2, false) : prim('mysql.exec.field.short', 'Value (INT16)', 2, true);
    case 0x03: return unsigned ? prim('mysql.exec.field.unsigned_long', 'Value (UINT32)', 4, false) : prim('mysql.exec.field.long', 'Value (INT32)', 4, true);
    case 0x08: return unsigned ? prim('mysql.exec.field.unsigned_longlong', 'Value (UINT64)', 8, false) : prim('mysql.exec.field.longlong', 'Value (INT64)', 8, true);
    case 0x04: {
      d.need(p, 4);
      const v = new DataView(d.b.buffer, d.b.byteOffset + p, 4).getFloat32(0, true);
      out.push({ key: 'mysql.exec.field.float', label: 'Value (Float)', value: v, show: String(v), start: p, len: 4 });
      return p + 4;
    }
    case 0x05: {
      d.need(p, 8);
      const v = new DataView(d.b.buffer, d.b.byteOffset + p, 8).getFloat64(0, true);
      out.push({ key: 'mysql.exec.field.double', label: 'Value (Double)', value: v, show: String(v), start: p, len: 8 });
      return p + 8;
    }
    case 0x06:
      return p;
    case 0xf6: case 0xfc: case 0xfd: case 0xfe: {
      const f = d.fle(p);
      d.need(p + f.n, f.v);
      out.push(fStr('mysql.exec.field.string', 'Value (String)', d.str(p + f.n, f.v), p, f.n + f.v));
      return p + f.n + f.v;
    }
    case 0x07: case 0x0a: case 0x0c: case 0x0b: {
      const n = d.u8(p);
      d.need(p + 1, n);
      return p + 1 + n;
    }
    default:
      return null;
  }
}

function request(d: Pdu, out: Field[], p: number, cur: St): number {
  const s = d.s;
  if (cur === St.AUTH_SWITCH_RESPONSE) {
    d.set('Auth Switch Response ');
    d.fence();
    const n = d.strsize(p);
    d.need(p, n);
    out.push(fBytes('mysql.auth_switch_response.data', 'Auth Method Data', d.b, p, p + n));
    return d.end;
  }
  const r: Field[] = [];
  const item = fText('Request Command', p, d.end - p, r);
  item.key = 'mysql.request';
  out.push(item);
  const op = d.u8(p);
  const name = COMMANDS[op] ?? `Unknown (${op})`;
  d.append(` ${COMMANDS[op] ?? `Unknown (${op}) `}`);
  item.text = `Request Command ${name}`;
  const cmd = fUint('mysql.command', 'Command', op, p, 1);
  cmd.text = `Command: ${name} (${op})`;
  r.push(cmd);
  p += 1;
  const rest = (): number => {
    const n = d.remaining(p);
    if (n > 0) r.push(fBytes('mysql.payload', 'Payload', d.b, p, p + n));
    return p + n;
  };
  switch (op) {
    case 1:
      break;
    case 10:
      s.state = St.RESPONSE_TABULAR;
      break;
    case 13: case 14:
      s.state = St.RESPONSE_OK;
      break;
    case 9:
      s.state = St.RESPONSE_MESSAGE;
      break;
    case 2: case 5: case 6: {
      const n = d.strsize(p);
      d.addStr(r, 'mysql.schema', 'Schema', p, n);
      p += n;
      s.state = St.RESPONSE_OK;
      break;
    }
    case 3: case 22: {
      const n = op === 3 ? d.strsize(p) : d.remaining(p);
      d.addStr(r, 'mysql.query', 'Statement', p, n);
      p += n;
      s.state = op === 3 ? St.RESPONSE_TABULAR : St.RESPONSE_PREPARE;
      break;
    }
    case 25: case 26:
      d.addUint(r, 'mysql.stmt_id', 'Statement ID', d.u32(p), p, 4);
      p += 4;
      s.state = op === 25 ? St.REQUEST : St.RESPONSE_OK;
      break;
    case 4: {
      const n = d.strsize(p);
      d.addStr(r, 'mysql.table_name', 'Table Name', p, n);
      p += n;
      s.state = St.RESPONSE_SHOW_FIELDS;
      break;
    }
    case 12:
      d.addUint(r, 'mysql.thread_id', 'Thread ID', d.u32(p), p, 4);
      p += 4;
      s.state = St.RESPONSE_OK;
      break;
    case 7: case 8:
      d.addUint(r, op === 7 ? 'mysql.refresh' : 'mysql.shutdown', op === 7 ? 'Refresh Option' : 'Shutdown Level', d.u8(p), p, 1);
      p += 1;
      s.state = St.RESPONSE_OK;
      break;
    case 27:
      d.addUint(r, 'mysql.option', 'Option', d.u16(p), p, 2);
      p += 2;
      s.state = St.RESPONSE_OK;
      break;
    case 28:
      d.addUint(r, 'mysql.stmt_id', 'Statement ID', d.u32(p), p, 4);
      d.addUint(r, 'mysql.num_rows', 'Rows to fetch', d.u32(p + 4), p + 4, 4);
      p += 8;
      s.state = St.RESPONSE_TABULAR;
      break;
    case 24:
      d.addUint(r, 'mysql.stmt_id', 'Statement ID', d.u32(p), p, 4);
      d.addUint(r, 'mysql.param', 'Parameter', d.u16(p + 4), p + 4, 2);
      p += 6;
      p = rest();
      if (s.state !== St.RESPONSE_PREPARE) s.state = St.REQUEST;
      break;
    case 23: {
      let id = d.u32(p);
      d.addUint(r, 'mysql.stmt_id', 'Statement ID', id, p, 4);
      p += 4;
      d.addUint(r, 'mysql.exec_flags', 'Flags (unused)', d.u8(p), p, 1);
      p += 1;
      d.addUint(r, 'mysql.exec_iter', 'Iterations (unused)', d.u32(p), p, 4);
      p += 4;
      if (id === 0xffffffff) id = s.stmtId;
      const st = s.stmts.get(id);
      if (st !== undefined) {
        if (st.params.length !== 0) {
          p += (st.params.length + 7) >> 3;
          const bound = d.u8(p);
          d.addUint(r, 'mysql.new_parameter_bound_flag', 'New parameter bound flag', bound, p, 1);
          p += 1;
          if (bound === 1) {
            let q = p + st.params.length * 2;
            for (let i = 0; i < st.params.length; i++) {
              const pf: Field[] = [];
              const pi = fText('Parameter', p, 2, pf);
              pi.key = 'mysql.exec_param';
              r.push(pi);
              const type = d.u8(p);
              d.addUint(pf, 'mysql.field.type', 'Type', type, p, 1);
              const uns = d.u8(p + 1);
              d.addUint(pf, 'mysql.exec.unsigned', 'Unsigned', uns, p + 1, 1);
              p += 2;
              if (st.params[i].flags & 1) break;
              const nq = execValue(d, pf, q, type, uns !== 0);
              if (nq === null) break;
              q = nq;
            }
            p = q;
          }
        }
      } else p = rest();
      p = rest();
      if (s.state !== St.RESPONSE_PREPARE) s.state = St.RESPONSE_TABULAR;
      break;
    }
    case 17: {
      let n = d.strsizeZ(p);
      d.addStr(r, 'mysql.user', 'Username', p, n);
      p += n;
      if (s.clntCaps & CAPS_SC) {
        n = d.u8(p);
        p += 1;
      } else n = d.strsizeZ(p);
      d.need(p, n);
      r.push(fBytes('mysql.passwd', 'Password', d.b, p, p + n));
      p += n;
      n = d.strsize(p);
      d.addStr(r, 'mysql.schema', 'Schema', p, n);
      p += n;
      if (d.remaining(p) > 0) {
        d.addUint(r, 'mysql.charset', 'Charset', d.u8(p), p, 1);
        p += 2;
      }
      s.state = St.RESPONSE_OK;
      if (s.clntExt & EXT_PA) {
        s.state = St.AUTH_SWITCH_REQUEST;
        n = d.strsize(p);
        d.addStr(r, 'mysql.client_auth_plugin', 'Client Auth Plugin', p, n);
        p += n;
      }
      if (s.clntExt & EXT_CA) p = connattrs(d, r, p);
      break;
    }
    case 18: case 30:
      d.addUint(r, 'mysql.binlog.position', 'Binlog Position', d.u32(p), p, 4);
      d.need(p + 4, 2);
      r.push(fHex('mysql.binlog.flags', 'Binlog Flags', (d.b[p + 4] << 8) | d.b[p + 5], p + 4, 2));
      d.need(p + 6, 4);
      r.push(fHex('mysql.binlog.server_id', 'Binlog server id', d.u32(p + 6), p + 6, 4, 8));
      p += 10;
      d.addStr(r, 'mysql.binlog.file_name', 'Binlog file name', p, d.remaining(p));
      p = d.end;
      s.state = St.BINLOG_DUMP;
      break;
    case 19: case 20:
      p = rest();
      s.state = St.REQUEST;
      break;
    default:
      p = rest();
      s.state = St.UNDEFINED;
  }
  return p;
}

function okPacket(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  d.append(' OK ');
  d.fence();
  const ar = d.fle(p);
  d.addUint(out, 'mysql.affected_rows', 'Affected Rows', ar.v, p, ar.n);
  p += ar.n;
  const id = d.fle(p);
  if (id.v) d.addUint(out, 'mysql.insert_id', 'Last INSERT ID', id.v, p, id.n);
  p += id.n;
  let status = 0;
  let lenstr = 0;
  if (d.remaining(p) > 0) {
    status = serverStatus(d, out, p);
    p += 2;
    if (s.clntCaps & s.srvCaps & CAPS_CU) {
      d.addUint(out, 'mysql.warnings', 'Warnings', d.u16(p), p, 2);
      lenstr = (d.b[p] << 8) | d.b[p + 1];
      p += 2;
    }
  }
  if (s.clntExt & EXT_ST) {
    if (d.remaining(p) > 0) {
      const m = d.fle(p);
      p += m.n;
      if (m.v) {
        d.addStr(out, 'mysql.message', 'Message', p, m.v);
        p += m.v;
      }
      if (status & STAT_SESSION_STATE_CHANGED) {
        const t = d.fle(p);
        const kids: Field[] = [];
        out.push(fText('Session tracking data', p, d.end - p, kids));
        d.addUint(kids, 'mysql.session_track.data.length', 'Session tracking data length', t.v, p, t.n);
        p += t.n;
        // the entries are read as bytes (their types are not decoded)
        d.need(p, t.v);
        if (t.v > 0) kids.push(fBytes('mysql.payload', 'Payload', d.b, p, p + t.v));
        p += t.v;
      }
    }
  } else if (d.remaining(p) > 0) {
    let n = d.remaining(p);
    if (lenstr < n) n = lenstr;
    d.addStr(out, 'mysql.message', 'Message', p, n);
    p += n;
  }
  s.state = St.REQUEST;
  return p;
}

function resultHeader(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  d.append('TABULAR ');
  d.fence();
  const nf = d.fle(p);
  d.addUint(out, 'mysql.num_fields', 'Number of fields', nf.v, p, nf.n);
  p += nf.n;
  if (nf.v > MAX_METAS) return d.end;
  s.fieldMetas = Array.from({ length: nf.v }, () => ({ type: 0, flags: 0 }));
  if (d.remaining(p) > 0) {
    const ex = d.fle(p);
    d.addUint(out, 'mysql.extra', 'Extra data', ex.v, p, ex.n);
    p += ex.n;
  }
  if (nf.v) {
    s.state = St.FIELD_PACKET;
    s.remaining = nf.v;
  } else s.state = St.ROW_PACKET;
  return p;
}

function fieldPacket(d: Pdu, out: Field[], p: number, cur: St): number {
  const s = d.s;
  p = d.lestring(out, 'mysql.field.catalog', 'Catalog', p);
  if (p >= d.end) return p;
  p = d.lestring(out, 'mysql.field.db', 'Database', p);
  p = d.lestring(out, 'mysql.field.table', 'Table', p);
  p = d.lestring(out, 'mysql.field.org_table', 'Original table', p);
  p = d.lestring(out, 'mysql.field.name', 'Name', p);
  p = d.lestring(out, 'mysql.field.org_name', 'Original name', p);
  if (s.mariaClntExt & MARIADB_CAPS_EM && s.mariaSrvExt & MARIADB_CAPS_EM) {
    const e = d.fle(p);
    d.need(p + e.n, e.v);
    out.push(fText('Extended metadata data', p, e.n + e.v));
    p += e.n + e.v;
  }
  p += 1;
  d.addUint(out, 'mysql.field.charsetnr', 'Charset number', d.u16(p), p, 2);
  p += 2;
  d.addUint(out, 'mysql.field.length', 'Length', d.u32(p), p, 4);
  p += 4;
  const type = d.u8(p);
  d.addUint(out, 'mysql.field.type', 'Type', type, p, 1);
  p += 1;
  const flags = d.addBits(out, 'mysql.field.flags', 'Flags', p, 2, FLD_FLAG_BITS);
  p += 2;
  d.addUint(out, 'mysql.field.decimals', 'Decimals', d.u8(p), p, 1);
  p += 1;
  p += 2;
  if ((cur === St.FIELD_PACKET || cur === St.PREPARED_FIELDS) && s.fieldMetas.length) {
    const pos = s.fieldMetas.length - s.remaining;
    if (pos < 0 || pos >= s.fieldMetas.length) return d.end;
    s.fieldMetas[pos] = { type, flags };
  }
  if (d.remaining(p) > 0) p = d.lestring(out, 'mysql.field.default', 'Default', p);
  return p;
}

function textRow(d: Pdu, out: Field[], p: number): number {
  for (let guard = 0; d.remaining(p) > 0 && guard < 65536; guard++) p = d.lestring(out, 'mysql.row.text', 'text', p);
  return p;
}

function binaryRow(d: Pdu, out: Field[], p: number): number {
  const metas = d.s.fieldMetas;
  if (!metas.length) return p;
  const nl = (metas.length + 9) >> 3;
  d.need(p, nl);
  out.push(fBytes('mysql.row.nullbuffer', 'Row null buffer', d.b, p, p + nl));
  const nb = p;
  p += nl;
  for (let i = 0; i < metas.length; i++) {
    if ((d.b[nb + ((i + 2) >> 3)] & (1 << ((i + 2) & 7))) === 0) {
      if (d.remaining(p) > 0) {
        const q = execValue(d, out, p, metas[i].type, (metas[i].flags & 0x20) !== 0);
        if (q === null) break;
        p = q;
      }
    } else out.push({ key: 'mysql.exec.field.null', label: 'Value: -NULL-', value: null, show: '', start: p, len: 0, text: 'Value: -NULL-' });
  }
  return p;
}

function prepareResponse(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  const id = d.u32(p);
  d.addUint(out, 'mysql.stmt_id', 'Statement ID', id, p, 4);
  s.stmtId = id;
  p += 4;
  s.numFields = d.u16(p);
  d.addUint(out, 'mysql.num_fields', 'Number of fields', s.numFields, p, 2);
  p += 2;
  s.numParams = d.u16(p);
  d.addUint(out, 'mysql.num_params', 'Number of parameter', s.numParams, p, 2);
  const mk = (n: number): Meta[] => Array.from({ length: Math.min(n, MAX_METAS) }, () => ({ type: 0, flags: 0 }));
  const st = { params: mk(s.numParams), fields: mk(s.numFields) };
  s.fieldMetas = st.fields;
  s.stmts.delete(id);
  s.stmts.set(id, st);
  if (s.stmts.size > MAX_STMTS) s.stmts.delete(s.stmts.keys().next().value!);
  p += 2;
  p += 1;
  d.addUint(out, 'mysql.warnings', 'Warnings', d.u16(p), p, 2);
  if (s.numParams > 0) {
    s.remaining = s.numParams;
    s.state = St.PREPARED_PARAMETERS;
  } else if (s.numFields > 0) {
    s.remaining = s.numFields;
    s.state = St.PREPARED_FIELDS;
  } else {
    s.remaining = 0;
    s.state = St.REQUEST;
  }
  return d.end;
}

function response(d: Pdu, out: Field[], p: number, cur: St): number {
  const s = d.s;
  const code = d.u8(p);
  const rc = (): void => {
    const f = fHex('mysql.response_code', 'Response Code', code, p, 1);
    f.text = `Response Code: ${RESPONSE_CODES[code] ?? 'Unknown'} (0x${f.show.slice(2)})`;
    out.push(f);
  };
  const title = (st: St): void => {
    d.suffix = ` - ${STATE_NAMES[st]}`;
  };
  switch (code) {
    case 0xff:
      rc();
      title(St.RESPONSE_ERROR);
      p = errorPacket(d, out, p + 1);
      s.state = St.REQUEST;
      return p;
    case 0xfe: {
      rc();
      d.addUint(out, 'mysql.eof', 'EOF marker', code, p, 1);
      p += 1;
      const rem = d.remaining(p);
      if (rem <= 5) {
        d.addUint(out, 'mysql.warnings', 'Warnings', d.u16(p), p, 2);
        p += 2;
        serverStatus(d, out, p);
        p = d.end;
        if (cur === St.PREPARED_PARAMETERS) {
          if (s.numFields > 0) {
            title(St.INTERMEDIATE_EOF);
            s.remaining = s.numFields;
            s.state = St.PREPARED_FIELDS;
          } else {
            title(St.RESPONSE_EOF);
            s.state = St.REQUEST;
          }
        } else if (cur === St.FIELD_PACKET) {
          title(St.INTERMEDIATE_EOF);
          s.state = St.ROW_PACKET;
        } else {
          title(St.RESPONSE_EOF);
          s.state = St.REQUEST;
        }
      } else if (rem < 0xffffff) {
        if (cur === St.AUTH_SWITCH_REQUEST) {
          title(St.AUTH_SWITCH_REQUEST);
          p = authSwitchRequest(d, out, p);
        } else {
          title(St.RESPONSE_OK);
          p = okPacket(d, out, p);
          s.state = St.REQUEST;
        }
      } else {
        title(St.ROW_PACKET);
        s.state = St.ROW_PACKET;
        p = textRow(d, out, p);
      }
      return p;
    }
    case 0x00:
      rc();
      p += 1;
      if (cur === St.RESPONSE_PREPARE) {
        title(St.RESPONSE_PREPARE);
        return prepareResponse(d, out, p);
      }
      if (cur === St.ROW_PACKET) {
        title(St.ROW_PACKET);
        return binaryRow(d, out, p);
      }
      if (cur === St.BINLOG_DUMP) {
        title(St.BINLOG_DUMP);
        d.append('Binlog Event ');
        d.fence();
        return d.end;
      }
      title(St.RESPONSE_OK);
      return okPacket(d, out, p);
    default:
      switch (cur) {
        case St.RESPONSE_MESSAGE: {
          const n = d.remaining(p);
          if (n) d.addStr(out, 'mysql.message', 'Message', p, n);
          s.state = St.REQUEST;
          return p + n;
        }
        case St.RESPONSE_TABULAR:
        case St.REQUEST:
          title(St.COLUMN_COUNT);
          return resultHeader(d, out, p);
        case St.PREPARED_PARAMETERS:
          title(cur);
          p = fieldPacket(d, out, p, cur);
          s.remaining--;
          if (s.remaining === 0 && s.clntExt & EXT_DE) {
            if (s.numFields > 0) {
              s.remaining = s.numFields;
              s.state = St.PREPARED_FIELDS;
            } else s.state = St.REQUEST;
          }
          return p;
        case St.FIELD_PACKET:
        case St.RESPONSE_SHOW_FIELDS:
        case St.PREPARED_FIELDS:
          title(cur);
          p = fieldPacket(d, out, p, cur);
          s.remaining--;
          if (s.clntExt & EXT_DE && s.remaining === 0) s.state = cur === St.PREPARED_FIELDS ? St.REQUEST : St.ROW_PACKET;
          return p;
        case St.ROW_PACKET:
          title(cur);
          return textRow(d, out, p);
        case St.AUTH_SWITCH_REQUEST:
          title(St.AUTH_SWITCH_REQUEST);
          return authSwitchRequest(d, out, p);
        default: {
          const n = d.remaining(p);
          out.push(fBytes('mysql.payload', 'Payload', d.b, p, p + n));
          s.state = St.UNDEFINED;
          return p + n;
        }
      }
  }
}

function authSwitchRequest(d: Pdu, out: Field[], p: number): number {
  const s = d.s;
  d.set('Auth Switch Request ');
  d.fence();
  s.state = St.AUTH_SWITCH_RESPONSE;
  if (s.clntExt & EXT_PA) {
    let n = d.strsize(p);
    d.addStr(out, 'mysql.auth_switch_request.name', 'Auth Method Name', p, n);
    p += n;
    n = d.strsize(p);
    d.need(p, n);
    out.push(fBytes('mysql.auth_switch_request.data', 'Auth Method Data', d.b, p, p + n));
  } else {
    d.addUint(out, 'mysql.auth_switch_request.status', 'Status', d.u8(p), p, 1);
  }
  return d.end;
}

export interface MysqlD {
  /** " - response OK" … (tshark's title suffix), '' for none. */
  suffix: string;
  fields: Field[];
  /** The Info column after this packet (and the MySQL packets before it in the frame). */
  info: string;
  /** Not the frame's first MySQL packet: frame.protocols names MySQL once. */
  cont: boolean;
}

/**
 * One MySQL packet in [start, end) (`end` before the length's end when the capture cut it), read with
 * the connection's session (updated), its Info written into `col` (shared by a frame's packets).
 * `toServer`: sent to port 3306.
 */
export function mysqlLayer(buf: Uint8Array, start: number, end: number, sess: MysqlSession, toServer: boolean, col: MysqlCol, cont: boolean): Layer<MysqlD> {
  const d: MysqlD = { suffix: '', fields: [], info: '', cont };
  const l = new Layer<MysqlD>(mysql, buf, start, end, d);
  const declEnd = end - start >= 3 ? start + 4 + (buf[start] | (buf[start + 1] << 8) | (buf[start + 2] << 16)) : start + 4;
  const pdu = new Pdu(buf, start, Math.min(end, declEnd), declEnd, sess, col);
  const out = pdu.out;
  try {
    const len = pdu.u24(start);
    pdu.addUint(out, 'mysql.packet_length', 'Packet Length', len, start, 3);
    const num = pdu.u8(start + 3);
    pdu.addUint(out, 'mysql.packet_number', 'Packet Number', num, start + 3, 1);
    const cur = sess.state;
    let p = start + 4;
    if (!toServer) {
      if (num === 0 && cur === St.UNDEFINED) {
        pdu.set('Server Greeting ');
        p = greeting(pdu, out, p);
      } else {
        pdu.set('Response ');
        p = response(pdu, out, p, cur);
      }
    } else if (cur === St.LOGIN && num === 1) {
      pdu.set('Login Request');
      p = login(pdu, out, p);
    } else {
      pdu.set('Request');
      p = request(pdu, out, p, cur);
    }
    if (p < pdu.end) {
      const f = fBytes('mysql.payload', 'Payload', buf, p, pdu.end);
      out.push(f);
      l.problem('malformed', 'bytes after the fields of this MySQL packet that were not decoded (tshark marks them the same way: "dissector is incomplete")', p, pdu.end);
      // a note, not a malformed packet in tshark's Info
      l.problems![l.problems!.length - 1].kind = 'unsupported';
    }
  } catch (e) {
    if (!(e instanceof Bounds)) throw e;
    // tshark's exception: the packet's dissection ends here (the row's Info gets " [Malformed Packet]"
    // or " [Packet size limited during capture]" from the problem, as for any layer)
    l.problem(e.kind, `MySQL packet: ${e.message}`, Math.min(e.at, end), end);
  }
  d.fields = out;
  d.suffix = pdu.suffix;
  d.info = col.text;
  return l;
}

/** The bytes of a MySQL packet from `buf[0]` (3-byte length + sequence id + payload); 0 while under 3 bytes. */
export function mysqlLength(buf: Uint8Array): number {
  if (buf.length < 3) return 0;
  return 4 + (buf[0] | (buf[1] << 8) | (buf[2] << 16));
}

export const mysql: Dissector<MysqlD> = {
  proto: 'mysql',
  name: 'MySQL Protocol',
  protocolsPart: (l) => (l.d.cont ? '' : 'mysql'),
  fieldKeys: [
    'mysql.packet_length', 'mysql.packet_number', 'mysql.request', 'mysql.command', 'mysql.response_code', 'mysql.error_code',
    'mysql.error.message', 'mysql.sqlstate', 'mysql.message', 'mysql.protocol', 'mysql.version', 'mysql.thread_id', 'mysql.salt',
    'mysql.salt2', 'mysql.caps.server', 'mysql.caps.client', 'mysql.extcaps.server', 'mysql.extcaps.client',
    ...new Set([...CAPS_BITS, ...EXTCAPS_BITS].map(([k]) => k)), 'mysql.caps.unused', 'mysql.server_language', 'mysql.server_status',
    ...STAT_BITS.map(([k]) => k), 'mysql.auth_plugin.length', 'mysql.auth_plugin', 'mysql.unused', 'mysql.max_packet', 'mysql.charset',
    'mysql.user', 'mysql.passwd', 'mysql.schema', 'mysql.client_auth_plugin', 'mysql.connattrs', 'mysql.connattrs.length',
    'mysql.connattrs.attr', 'mysql.connattrs.name.length', 'mysql.connattrs.name', 'mysql.connattrs.value.length',
    'mysql.connattrs.value', 'mysql.compression.zstd_level', 'mysql.table_name', 'mysql.stmt_id', 'mysql.num_rows', 'mysql.param',
    'mysql.refresh', 'mysql.shutdown', 'mysql.option', 'mysql.query', 'mysql.payload', 'mysql.affected_rows', 'mysql.insert_id',
    'mysql.warnings', 'mysql.num_fields', 'mysql.num_params', 'mysql.extra', 'mysql.eof', 'mysql.field.catalog', 'mysql.field.db',
    'mysql.field.table', 'mysql.field.org_table', 'mysql.field.name', 'mysql.field.org_name', 'mysql.field.charsetnr',
    'mysql.field.length', 'mysql.field.type', 'mysql.field.flags', ...FLD_FLAG_BITS.map(([k]) => k), 'mysql.field.decimals',
    'mysql.field.default', 'mysql.row.text', 'mysql.row.nullbuffer', 'mysql.exec_flags', 'mysql.exec_iter',
    'mysql.new_parameter_bound_flag', 'mysql.exec_param', 'mysql.exec.unsigned', 'mysql.exec.field.tiny',
    'mysql.exec.field.unsigned_tiny', 'mysql.exec.field.short', 'mysql.exec.field.unsigned_short', 'mysql.exec.field.long',
    'mysql.exec.field.unsigned_long', 'mysql.exec.field.longlong', 'mysql.exec.field.unsigned_longlong', 'mysql.exec.field.float',
    'mysql.exec.field.double', 'mysql.exec.field.string', 'mysql.exec.field.null', 'mysql.auth_switch_request.status',
    'mysql.auth_switch_request.name', 'mysql.auth_switch_request.data', 'mysql.auth_switch_response.data',
    'mysql.session_track.data.length', 'mysql.binlog.position', 'mysql.binlog.flags', 'mysql.binlog.server_id',
    'mysql.binlog.file_name', 'mariadb.server_language', 'mariadb.charset', 'mariadb.extcaps.server', 'mariadb.extcaps.client',
    ...MARIADB_CAPS_BITS.map(([k]) => k),
  ],
  // reached through TCP reassembly (src/analysis/http/app.ts), not the port table
  registers: [],

  dissect(buf, start, end) {
    return mysqlLayer(buf, start, end, newMysqlSession(), true, newMysqlCol(), false);
  },
  fields: (l) => l.d.fields,
  title: (l) => `MySQL Protocol${l.d.suffix}`,
  column: () => 'MySQL',
  info: (l) => l.d.info,
};
