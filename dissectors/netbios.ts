// The Windows networking pieces a LAN capture shows, as tshark 4.0 shows them:
//  - NBDGM, the NetBIOS Datagram Service (RFC 1002) on UDP 138: header, source and destination names,
//    the payload to SMB when it starts "\xffSMB" (else data);
//  - SMB, only what a mailslot datagram uses: the SMB header and a Trans request with its name, then
//    "SMB MailSlot Protocol" (not a frame.protocols entry in tshark: it is called as a function);
//  - BROWSER, the Windows browser protocol on \MAILSLOT\BROWSE and \MAILSLOT\LANMAN (announcements,
//    elections, backup lists …, server type flags), Info "Host Announcement ASUS, Workstation, Server";
//  - NBSS, the NetBIOS Session Service on TCP 139 (framed by the TCP application analyzer, see
//    nbssLength / nbssLayer): session request, responses, keep-alive, session messages (payload as data).
// Reads go field by field as tshark's do: a field past the end stops the layer there, marked truncated
// (cut by the snaplen) or malformed (a length or offset that lies).

import { bitsText, fBool, fBytes, fHex, fIPv4, fStr, fText, fUint, hexN, latin1Text, u16, u16le, u32le } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Dissector, Field } from '../src/dissect/types.js';
import { NAME_TYPES, readName } from './nbns.js';

/** tshark's drawing of `mask` over an `nbits`-wide value: "..1. .... .... ....". */
/** ", A, B": the labels of the set bits among a bitmask's children. */
function setLabels(kids: Field[] | undefined): string {
  let t = '';
  for (const k of kids ?? []) if (k.value === true) t += `, ${k.label}`;
  return t;
}

/** A flag bit with its tshark line: "…1. = Label: TrueText". */
function flag(key: string, label: string, v: number, mask: number, nbits: number, at: number, len: number, yes: string, no: string): Field {
  const on = (v & mask) !== 0 || (mask >= 0x80000000 && v >= 0x80000000);
  const f = fBool(key, label, on, at, len);
  f.text = `${bitsText(v, mask, nbits)} = ${label}: ${on ? yes : no}`;
  return f;
}

/** tshark's time_msecs_to_str: "1 hour, 2 minutes, 3 seconds", "12 minutes", "1.500 seconds". */
export function msecsText(ms: number): string {
  if (ms === 0) return '0 seconds';
  const msec = ms % 1000;
  let t = Math.floor(ms / 1000);
  const parts: string[] = [];
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const d = Math.floor(t / 86400);
  t %= 86400;
  const h = Math.floor(t / 3600);
  t %= 3600;
  const m = Math.floor(t / 60);
  const s = t % 60;
  if (d) parts.push(unit(d, 'day'));
  if (h) parts.push(unit(h, 'hour'));
  if (m) parts.push(unit(m, 'minute'));
  if (msec) parts.push(`${s}.${String(msec).padStart(3, '0')} seconds`);
  else if (s) parts.push(unit(s, 'second'));
  return parts.join(', ');
}

/** A NetBIOS name as tshark shows it in a tree: "ASUS<20> (Server service)". */
function nameText(text: string, suffix: number): string {
  return suffix >= 0 ? `${text} (${NAME_TYPES[suffix] ?? 'Unknown'})` : text;
}

/**
 * A field-by-field reader over [p, end): `take(n)` is false (and `cut` set) once a read runs past the end,
 * as tshark's exception ends a dissector there.
 */
class Reader {
  cut = -1;
  constructor(
    public p: number,
    readonly end: number,
  ) {}
  take(n: number): boolean {
    if (this.cut >= 0) return false;
    if (this.p + n > this.end) {
      this.cut = this.p;
      return false;
    }
    return true;
  }
}

/** Mark a layer cut at `at`: truncated when the capture ends there (snaplen), else malformed. */
function cutProblem(l: Layer, what: string, at: number, ctx: DissectContext | null): void {
  if (ctx === null) return;
  const snap = ctx.snapCut(l.buf, l.end);
  l.problem(snap ? 'truncated' : 'malformed', snap ? `${what}: captured data ends here (cut by snaplen)` : `${what}: runs past the end of the data`, at, l.end);
}

// ---- NBDGM ------------------------------------------------------------------------------------

const DGM_TYPES: Record<number, string> = {
  0x10: 'Direct_unique datagram', 0x11: 'Direct_group datagram', 0x12: 'Broadcast datagram', 0x13: 'Datagram error',
  0x14: 'Datagram query request', 0x15: 'Datagram positive query response', 0x16: 'Datagram negative query response',
};
const DGM_ERRORS: Record<number, string> = { 0x82: 'Destination name not present', 0x83: 'Invalid source name format', 0x84: 'Invalid destination name format' };
const NODE_TYPES = ['B node', 'P node', 'M node', 'NBDD'];

export interface NbdgmD {
  fields: Field[];
}

function nbdgmWalk(l: Layer<NbdgmD>, ctx: DissectContext | null): Field[] {
  const b = l.buf, s = l.start;
  const r = new Reader(s, l.end);
  const out: Field[] = [];
  const stop = () => cutProblem(l, 'NBDGM header', r.cut, ctx);
  if (!r.take(1)) return stop(), out;
  const t = b[s];
  const tf = fUint('nbdgm.type', 'Message Type', t, s, 1);
  tf.text = `Message Type: ${DGM_TYPES[t] ?? 'Unknown'} (${t})`;
  out.push(tf);
  r.p++;
  if (!r.take(1)) return stop(), out;
  const fl = b[s + 1];
  const ff = fHex('nbdgm.flags', 'Flags', fl, s + 1, 1);
  ff.text = `Flags: ${hexN(fl, 2)}${fl & 1 ? ', More fragments follow' : ''}${fl & 2 ? ', This is first fragment' : ''}, Node Type: ${NODE_TYPES[(fl >> 2) & 3]}`;
  const nt = fUint('nbdgm.node_type', 'Node Type', (fl >> 2) & 3, s + 1, 1);
  nt.text = `${bitsText(fl, 0x0c, 8)} = Node Type: ${NODE_TYPES[(fl >> 2) & 3]} (${(fl >> 2) & 3})`;
  ff.children = [
    flag('nbdgm.next', 'More fragments follow', fl, 1, 8, s + 1, 1, 'Yes', 'No'),
    flag('nbdgm.first', 'This is first fragment', fl, 2, 8, s + 1, 1, 'Yes', 'No'),
    nt,
  ];
  out.push(ff);
  r.p++;
  if (!r.take(2)) return stop(), out;
  out.push(fHex('nbdgm.dgram_id', 'Datagram ID', u16(b, r.p), r.p, 2));
  r.p += 2;
  if (!r.take(4)) return stop(), out;
  out.push(fIPv4('nbdgm.src.ip', 'Source IP', b, r.p));
  r.p += 4;
  if (!r.take(2)) return stop(), out;
  out.push(fUint('nbdgm.src.port', 'Source Port', u16(b, r.p), r.p, 2));
  r.p += 2;
  const name = (key: string, label: string): boolean => {
    const n = readName(b, r.p, r.end, s);
    if (n === null) {
      r.cut = r.p;
      return false;
    }
    const f = fStr(key, label, n.text, r.p, n.end - r.p);
    f.text = `${label}: ${nameText(n.text, n.suffix)}`;
    out.push(f);
    r.p = n.end;
    return true;
  };
  if (t >= 0x10 && t <= 0x12) {
    if (!r.take(2)) return stop(), out;
    const len = u16(b, r.p);
    const lf = fUint('nbdgm.dgram_len', 'Datagram length', len, r.p, 2);
    lf.text = `Datagram length: ${len} bytes`;
    out.push(lf);
    // tshark reads the datagram whatever its length says; a length that lies is marked on the field
    if (ctx !== null && r.p + 4 + len !== l.end && !ctx.snapCut(b, l.end)) l.problem('malformed', `NBDGM datagram length ${len} does not match the ${Math.max(0, l.end - r.p - 4)} bytes after the header`, r.p, r.p + 2);
    r.p += 2;
    if (!r.take(2)) return stop(), out;
    const of = fUint('nbdgm.pkt_offset', 'Packet offset', u16(b, r.p), r.p, 2);
    of.text = `Packet offset: ${of.show} bytes`;
    out.push(of);
    r.p += 2;
    if (!name('nbdgm.source_name', 'Source name') || !name('nbdgm.destination_name', 'Destination name')) return stop(), out;
    // the capture ends right after the names or before the payload's SMB signature: the snaplen cut it
    if (l.end - r.p < 4 && ctx !== null && ctx.snapCut(b, l.end)) l.problem('truncated', 'NBDGM payload: captured data ends before its first 4 bytes (cut by snaplen)', r.p, l.end);
    if (l.next === null && r.p < l.end) {
      const smb = l.end - r.p >= 4 && b[r.p] === 0xff && b[r.p + 1] === 0x53 && b[r.p + 2] === 0x4d && b[r.p + 3] === 0x42;
      l.next = { table: 'nbdgm.payload', key: smb ? 1 : 0, start: r.p, end: l.end };
    }
  } else if (t === 0x13) {
    if (!r.take(1)) return stop(), out;
    const e = fHex('nbdgm.error_code', 'Error code', b[r.p], r.p, 1);
    e.text = `Error code: ${DGM_ERRORS[b[r.p]] ?? 'Unknown'} (${e.show})`;
    out.push(e);
  } else if (t >= 0x14 && t <= 0x16) {
    if (!name('nbdgm.destination_name', 'Destination name')) return stop(), out;
  }
  return out;
}

export const nbdgm: Dissector<NbdgmD> = {
  proto: 'nbdgm',
  name: 'NetBIOS Datagram Service',
  fieldKeys: [
    'nbdgm.type', 'nbdgm.flags', 'nbdgm.next', 'nbdgm.first', 'nbdgm.node_type', 'nbdgm.dgram_id', 'nbdgm.src.ip', 'nbdgm.src.port',
    'nbdgm.dgram_len', 'nbdgm.pkt_offset', 'nbdgm.error_code', 'nbdgm.source_name', 'nbdgm.destination_name',
  ],
  registers: [{ table: 'udp.port', key: 138 }],
  dissect(buf, start, end, ctx) {
    const l = new Layer<NbdgmD>(nbdgm, buf, start, end, { fields: [] });
    l.d.fields = nbdgmWalk(l, ctx);
    return l;
  },
  fields: (l) => l.d.fields,
  column: () => 'NBDS',
  info(l) {
    if (l.end <= l.start) return 'NBDS';
    const t = l.buf[l.start];
    return DGM_TYPES[t] ?? `Unknown message type (0x${hexN(t, 2).slice(2)})`;
  },
};

// ---- SMB (a mailslot Trans request) ------------------------------------------------------------

const SMB_CMDS: Record<number, string> = {
  0x00: 'Create Directory', 0x01: 'Delete Directory', 0x02: 'Open', 0x03: 'Create', 0x04: 'Close', 0x06: 'Delete', 0x25: 'Trans',
  0x26: 'Trans Secondary', 0x2b: 'Echo', 0x2d: 'Open AndX', 0x2e: 'Read AndX', 0x2f: 'Write AndX', 0x32: 'Trans2', 0x71: 'Tree Disconnect',
  0x72: 'Negotiate Protocol', 0x73: 'Session Setup AndX', 0x74: 'Logoff AndX', 0x75: 'Tree Connect AndX', 0xa0: 'NT Trans', 0xa2: 'NT Create AndX',
};

export interface SmbD {
  cmd: number;
  response: boolean;
  fields: Field[];
  /** The mailslot setup words (opcode, priority, class) offset, -1 when the Trans request did not get that far. */
  setupAt: number;
  bcc: number;
  name: string;
  nameAt: number;
  nameEnd: number;
}

function smbWalk(l: Layer<SmbD>, ctx: DissectContext | null): Field[] {
  const b = l.buf, s = l.start, d = l.d;
  const r = new Reader(s, l.end);
  const out: Field[] = [];
  const hdr: Field[] = [];
  const stop = (what: string) => (cutProblem(l, what, r.cut, ctx), out);
  out.push(fText('SMB Header', s, 32, hdr));
  if (!r.take(4)) return stop('SMB header');
  const sc = fHex('smb.server_component', 'Server Component', u32le(b, s), s, 4);
  sc.text = 'Server Component: SMB';
  hdr.push(sc);
  r.p += 4;
  if (!r.take(1)) return stop('SMB header');
  const cf = fHex('smb.cmd', 'SMB Command', d.cmd, r.p, 1);
  cf.text = `SMB Command: ${SMB_CMDS[d.cmd] ?? 'Unknown'} (${cf.show})`;
  hdr.push(cf);
  r.p++;
  if (!r.take(4)) return stop('SMB header');
  if (r.p + 7 <= l.end && (u16le(b, r.p + 5) & 0x4000) !== 0) {
    // Flags2 says NT error codes: a 32-bit NT status
    const st = u32le(b, r.p);
    const sf = fHex('smb.nt_status', 'NT Status', st, r.p, 4);
    sf.text = `NT Status: ${st === 0 ? 'STATUS_SUCCESS' : 'Unknown'} (${sf.show})`;
    hdr.push(sf);
  } else {
    const ec = fHex('smb.error_class', 'Error Class', b[r.p], r.p, 1);
    if (b[r.p] === 0) ec.text = `Error Class: Success (0x00)`;
    const code = u16le(b, r.p + 2);
    const ef = fHex('smb.error_code', 'Error Code', code, r.p + 2, 2);
    if (code === 0) ef.text = 'Error Code: No Error';
    const rf = fHex('smb.reserved', 'Reserved', b[r.p + 1], r.p + 1, 1);
    rf.text = `Reserved: ${hexN(b[r.p + 1], 2).slice(2)}`;
    hdr.push(ec, rf, ef);
  }
  r.p += 4;
  if (!r.take(1)) return stop('SMB header');
  const fl = b[r.p];
  const ff = fHex('smb.flags', 'Flags', fl, r.p, 1);
  const at = r.p;
  ff.children = [
    flag('smb.flags.response', 'Request/Response', fl, 0x80, 8, at, 1, 'Message is a response to the client/redirector', 'Message is a request to the server'),
    flag('smb.flags.notify', 'Notify', fl, 0x40, 8, at, 1, 'Notify client on all modifications', 'Notify client only on open'),
    flag('smb.flags.oplock', 'Oplocks', fl, 0x20, 8, at, 1, 'OpLock requested/granted', 'OpLock not requested/granted'),
    flag('smb.flags.canon', 'Canonicalized Pathnames', fl, 0x10, 8, at, 1, 'Pathnames are canonicalized', 'Pathnames are not canonicalized'),
    flag('smb.flags.caseless', 'Case Sensitivity', fl, 0x08, 8, at, 1, 'Path names are caseless', 'Path names are case sensitive'),
    flag('smb.flags.receive_buffer', 'Receive Buffer Posted', fl, 0x02, 8, at, 1, 'Receive buffer has been posted', 'Receive buffer has not been posted'),
    flag('smb.flags.lock', 'Lock and Read', fl, 0x01, 8, at, 1, 'Lock&Read, Write&Unlock are supported', 'Lock&Read, Write&Unlock are not supported'),
  ];
  ff.text = `Flags: ${ff.show}${setLabels(ff.children)}`;
  hdr.push(ff);
  r.p++;
  if (!r.take(2)) return stop('SMB header');
  const f2 = u16le(b, r.p);
  const f2f = fHex('smb.flags2', 'Flags2', f2, r.p, 2);
  const a2 = r.p;
  const F2: [string, string, number, string, string][] = [
    ['smb.flags2.string', 'Unicode Strings', 0x8000, 'Strings are Unicode', 'Strings are ASCII'],
    ['smb.flags2.nt_error', 'Error Code Type', 0x4000, 'Error codes are NT error codes', 'Error codes are DOS error codes'],
    ['smb.flags2.roe', 'Execute-only Reads', 0x2000, 'Permit reads if execute-only', "Don't permit reads if execute-only"],
    ['smb.flags2.dfs', 'Dfs', 0x1000, 'Resolve pathnames with Dfs', "Don't resolve pathnames with Dfs"],
    ['smb.flags2.esn', 'Extended Security Negotiation', 0x0800, 'Extended security negotiation is supported', 'Extended security negotiation is not supported'],
    ['smb.flags2.reparse_path', 'Reparse Path', 0x0400, 'The request uses a @GMT reparse path', 'The request does not use a @GMT reparse path'],
    ['smb.flags2.long_names_used', 'Long Names Used', 0x0040, 'Path names in request are long file names', 'Path names in request are not long file names'],
    ['smb.flags2.sec_sig_required', 'Security Signatures Required', 0x0010, 'Security signatures are required', 'Security signatures are not required'],
    ['smb.flags2.compressed', 'Compressed', 0x0008, 'Compression is requested', 'Compression is not requested'],
    ['smb.flags2.sec_sig', 'Security Signatures', 0x0004, 'Security signatures are supported', 'Security signatures are not supported'],
    ['smb.flags2.ea', 'Extended Attributes', 0x0002, 'Extended attributes are supported', 'Extended attributes are not supported'],
    ['smb.flags2.long_names_allowed', 'Long Names Allowed', 0x0001, 'Long file names are allowed in the response', 'Long file names are not allowed in the response'],
  ];
  f2f.children = F2.map(([k, lab, m, y, n]) => flag(k, lab, f2, m, 16, a2, 2, y, n));
  f2f.text = `Flags2: ${f2f.show}${setLabels(f2f.children)}`;
  hdr.push(f2f);
  r.p += 2;
  if (!r.take(2)) return stop('SMB header');
  hdr.push(fUint('smb.pid.high', 'Process ID High', u16le(b, r.p), r.p, 2));
  r.p += 2;
  if (!r.take(8)) return stop('SMB header');
  hdr.push(fBytes('smb.signature', 'Signature', b, r.p, r.p + 8));
  r.p += 8;
  if (!r.take(2)) return stop('SMB header');
  const rv = fBytes('smb.reserved', 'Reserved', b, r.p, r.p + 2);
  hdr.push(rv);
  r.p += 2;
  const u16f = (key: string, label: string, into: Field[]): number => {
    if (!r.take(2)) return -1;
    const v = u16le(b, r.p);
    into.push(fUint(key, label, v, r.p, 2));
    r.p += 2;
    return v;
  };
  for (const [k, lab] of [['smb.tid', 'Tree ID'], ['smb.pid', 'Process ID'], ['smb.uid', 'User ID'], ['smb.mid', 'Multiplex ID']]) {
    if (u16f(k, lab, hdr) < 0) return stop('SMB header');
  }
  if (d.cmd !== 0x25 || d.response) {
    // another command: its word and byte counts (and a Negotiate request's dialects); the words and
    // bytes of the other commands are not decoded here
    const cmdName = `${SMB_CMDS[d.cmd] ?? 'Unknown'} ${d.response ? 'Response' : 'Request'}`;
    const cf2: Field[] = [];
    out.push(fText(`${cmdName} (${hexN(d.cmd, 2)})`, r.p, l.end - r.p, cf2));
    if (!r.take(1)) return stop(`SMB ${cmdName}`);
    const wc = b[r.p];
    cf2.push(fUint('smb.wct', 'Word Count (WCT)', wc, r.p, 1));
    r.p += 1 + 2 * wc;
    if (!r.take(2)) return stop(`SMB ${cmdName}`);
    const bc = u16le(b, r.p);
    cf2.push(fUint('smb.bcc', 'Byte Count (BCC)', bc, r.p, 2));
    r.p += 2;
    if (d.cmd === 0x72 && !d.response && bc > 0) {
      const ds: Field[] = [];
      cf2.push(fText('Requested Dialects', r.p, Math.min(bc, l.end - r.p), ds));
      const stopAt = Math.min(l.end, r.p + bc);
      for (let n = 0; r.p < stopAt && n < 256; n++) {
        const z = strz(b, r.p + 1, l.end);
        if (z < 0) {
          r.cut = r.p;
          return stop(`SMB ${cmdName}`);
        }
        const nm = latin1Text(b, r.p + 1, z);
        const df = fStr('smb.dialect', 'Dialect', nm, r.p, z + 1 - r.p);
        const bf = fUint('smb.buffer_format', 'Buffer Format', b[r.p], r.p, 1);
        bf.text = `Buffer Format: ${b[r.p] === 2 ? 'Dialect' : 'Unknown'} (${b[r.p]})`;
        df.children = [bf, fStr('smb.dialect.name', 'Name', nm, r.p + 1, z - r.p)];
        ds.push(df);
        r.p = z + 1;
      }
    }
    return out;
  }
  // Trans request (SMB_COM_TRANSACTION)
  const tr: Field[] = [];
  out.push(fText('Trans Request (0x25)', r.p, l.end - r.p, tr));
  const stopT = () => stop('SMB Trans request');
  if (!r.take(1)) return stopT();
  const wct = b[r.p];
  tr.push(fUint('smb.wct', 'Word Count (WCT)', wct, r.p, 1));
  r.p++;
  if (wct === 0) return out;
  const P: [string, string][] = [['smb.tpc', 'Total Parameter Count'], ['smb.tdc', 'Total Data Count'], ['smb.mpc', 'Max Parameter Count'], ['smb.mdc', 'Max Data Count']];
  for (const [k, lab] of P) if (u16f(k, lab, tr) < 0) return stopT();
  if (!r.take(1)) return stopT();
  tr.push(fUint('smb.msc', 'Max Setup Count', b[r.p], r.p, 1));
  r.p++;
  if (!r.take(1)) return stopT();
  const rz = fBytes('smb.reserved', 'Reserved', b, r.p, r.p + 1);
  tr.push(rz);
  r.p++;
  if (!r.take(2)) return stopT();
  const tfl = u16le(b, r.p);
  const tff = fHex('smb.transaction.flags', 'Flags', tfl, r.p, 2);
  tff.children = [
    flag('smb.transaction.flags.owt', 'One Way Transaction', tfl, 2, 16, r.p, 2, 'One way transaction', 'Two way transaction'),
    flag('smb.transaction.flags.dtid', 'Disconnect TID', tfl, 1, 16, r.p, 2, 'Disconnect TID', 'Do NOT disconnect TID'),
  ];
  tff.text = `Flags: ${tff.show}${setLabels(tff.children)}`;
  tr.push(tff);
  r.p += 2;
  if (!r.take(4)) return stopT();
  const to = u32le(b, r.p);
  const tof = fUint('smb.timeout', 'Timeout', to, r.p, 4);
  tof.text = `Timeout: ${to === 0 ? 'Return immediately (0)' : to === 0xffffffff ? 'Wait indefinitely (-1)' : msecsText(to)}`;
  tr.push(tof);
  r.p += 4;
  if (!r.take(2)) return stopT();
  tr.push(fBytes('smb.reserved', 'Reserved', b, r.p, r.p + 2));
  r.p += 2;
  const P2: [string, string][] = [['smb.pc', 'Parameter Count'], ['smb.po', 'Parameter Offset'], ['smb.dc', 'Data Count'], ['smb.data_offset', 'Data Offset']];
  const v: number[] = [];
  for (const [k, lab] of P2) {
    const x = u16f(k, lab, tr);
    if (x < 0) return stopT();
    v.push(x);
  }
  if (!r.take(1)) return stopT();
  const sc2 = b[r.p];
  tr.push(fUint('smb.sc', 'Setup Count', sc2, r.p, 1));
  r.p++;
  if (!r.take(1)) return stopT();
  tr.push(fBytes('smb.reserved', 'Reserved', b, r.p, r.p + 1));
  r.p++;
  if (!r.take(2 * sc2)) return stopT();
  const setupAt = r.p;
  r.p += 2 * sc2;
  if (!r.take(2)) return stopT();
  const bcc = u16le(b, r.p);
  tr.push(fUint('smb.bcc', 'Byte Count (BCC)', bcc, r.p, 2));
  r.p += 2;
  // the transaction name: a NUL-terminated string
  let z = r.p;
  while (z < l.end && b[z] !== 0) z++;
  if (z >= l.end) {
    r.cut = r.p;
    return stopT();
  }
  const name = latin1Text(b, r.p, z);
  tr.push(fStr('smb.trans_name', 'Transaction Name', name, r.p, z + 1 - r.p));
  d.nameAt = r.p;
  d.nameEnd = z + 1;
  d.name = name;
  r.p = z + 1;
  const [, , dc, doff] = v;
  if (s + doff + dc > l.end || doff < r.p - s) {
    // the data lies outside the message: tshark's read throws
    r.cut = r.p;
    return stopT();
  }
  if (sc2 >= 3 && /^\\MAILSLOT\\/i.test(name)) {
    d.setupAt = setupAt;
    d.bcc = bcc;
    if (l.next === null) l.next = { table: 'smb.mailslot', key: 0, start: s + doff, end: s + doff + dc };
  }
  return out;
}

export const smb: Dissector<SmbD> = {
  proto: 'smb',
  name: 'SMB (Server Message Block Protocol)',
  fieldKeys: [
    'smb.server_component', 'smb.cmd', 'smb.nt_status', 'smb.dialect', 'smb.buffer_format', 'smb.dialect.name', 'smb.error_class', 'smb.reserved', 'smb.error_code', 'smb.flags', 'smb.flags.response', 'smb.flags.notify',
    'smb.flags.oplock', 'smb.flags.canon', 'smb.flags.caseless', 'smb.flags.receive_buffer', 'smb.flags.lock', 'smb.flags2', 'smb.flags2.string',
    'smb.flags2.nt_error', 'smb.flags2.roe', 'smb.flags2.dfs', 'smb.flags2.esn', 'smb.flags2.reparse_path', 'smb.flags2.long_names_used',
    'smb.flags2.sec_sig_required', 'smb.flags2.compressed', 'smb.flags2.sec_sig', 'smb.flags2.ea', 'smb.flags2.long_names_allowed',
    'smb.pid.high', 'smb.signature', 'smb.tid', 'smb.pid', 'smb.uid', 'smb.mid', 'smb.wct', 'smb.tpc', 'smb.tdc', 'smb.mpc', 'smb.mdc', 'smb.msc',
    'smb.transaction.flags', 'smb.transaction.flags.owt', 'smb.transaction.flags.dtid', 'smb.timeout', 'smb.pc', 'smb.po', 'smb.dc',
    'smb.data_offset', 'smb.sc', 'smb.bcc', 'smb.trans_name',
  ],
  registers: [{ table: 'nbdgm.payload', key: 1 }],
  dissect(buf, start, end, ctx) {
    const d: SmbD = { cmd: end - start > 4 ? buf[start + 4] : -1, response: end - start > 9 && (buf[start + 9] & 0x80) !== 0, fields: [], setupAt: -1, bcc: 0, name: '', nameAt: 0, nameEnd: 0 };
    const l = new Layer<SmbD>(smb, buf, start, end, d);
    d.fields = smbWalk(l, ctx);
    return l;
  },
  fields: (l) => l.d.fields,
  info(l) {
    const c = l.d.cmd;
    if (c < 0) return 'SMB';
    return `${SMB_CMDS[c] ?? `Unknown (0x${hexN(c, 2).slice(2)})`} ${l.d.response ? 'Response' : 'Request'}`;
  },
};

// ---- Mailslot ----------------------------------------------------------------------------------

export interface MailslotD {
  opcode: number;
  priority: number;
  cls: number;
  size: number;
  name: string;
  at: number;
  nameAt: number;
  nameEnd: number;
  sizeAt: number;
}

export const mailslot: Dissector<MailslotD> = {
  proto: 'mailslot',
  name: 'SMB MailSlot Protocol',
  protocolsPart: () => '', // tshark calls it as a function: not in frame.protocols
  fieldKeys: ['mailslot.opcode', 'mailslot.priority', 'mailslot.class', 'mailslot.size', 'mailslot.name'],
  registers: [{ table: 'smb.mailslot', key: 0 }],
  dissect(buf, start, end, ctx) {
    const prev = ctx.layers[ctx.layers.length - 1] as Layer<SmbD> | undefined;
    const sd = prev?.dis === smb ? prev.d : null;
    const at = sd?.setupAt ?? -1;
    const pb = prev?.buf ?? buf;
    const d: MailslotD = at >= 0 && sd !== null
      ? { opcode: u16le(pb, at), priority: u16le(pb, at + 2), cls: u16le(pb, at + 4), size: sd.bcc, name: sd.name, at, nameAt: sd.nameAt, nameEnd: sd.nameEnd, sizeAt: sd.nameAt - 2 }
      : { opcode: 0, priority: 0, cls: 0, size: 0, name: '', at: -1, nameAt: 0, nameEnd: 0, sizeAt: 0 };
    // the layer's own bytes are the setup words; its payload (the mailslot data) is where SMB says
    const l = new Layer<MailslotD>(mailslot, buf, start, end, d);
    const nm = d.name.toUpperCase();
    if (d.opcode === 1 && start < end) {
      const key = nm === '\\MAILSLOT\\BROWSE' ? 1 : nm === '\\MAILSLOT\\LANMAN' ? 2 : 0;
      l.next = { table: 'mailslot.name', key, start, end };
    }
    return l;
  },
  fields(l) {
    const d = l.d;
    if (d.at < 0) return [];
    const op = fUint('mailslot.opcode', 'Opcode', d.opcode, d.at, 2);
    op.text = `Opcode: ${d.opcode === 1 ? 'Write Mail Slot' : 'Unknown'} (${d.opcode})`;
    const cl = fUint('mailslot.class', 'Class', d.cls, d.at + 4, 2);
    cl.text = `Class: ${d.cls === 1 ? 'Reliable' : d.cls === 2 ? 'Unreliable & Broadcast' : 'Unknown'} (${d.cls})`;
    return [op, fUint('mailslot.priority', 'Priority', d.priority, d.at + 2, 2), cl, fUint('mailslot.size', 'Size', d.size, d.sizeAt, 2), fStr('mailslot.name', 'Mailslot Name', d.name, d.nameAt, d.nameEnd - d.nameAt)];
  },
  column: () => '',
  info: () => null,
};

// ---- BROWSER -----------------------------------------------------------------------------------

const COMMANDS: Record<number, string> = {
  0x01: 'Host Announcement', 0x02: 'Request Announcement', 0x08: 'Browser Election Request', 0x09: 'Get Backup List Request',
  0x0a: 'Get Backup List Response', 0x0b: 'Become Backup Browser', 0x0c: 'Domain/Workgroup Announcement', 0x0d: 'Master Announcement',
  0x0e: 'Reset Browser State Announcement', 0x0f: 'Local Master Announcement',
};

/** Server type bits: key, tree label, Info name, true text, false text. */
const SERVER_TYPES: [number, string, string, string, string, string][] = [
  [0, 'workstation', 'Workstation', 'Workstation', 'This is a Workstation', 'This is NOT a Workstation'],
  [1, 'server', 'Server', 'Server', 'This is a Server', 'This is NOT a Server'],
  [2, 'sql', 'SQL', 'SQL Server', 'This is an SQL server', 'This is NOT an SQL server'],
  [3, 'domain_controller', 'Domain Controller', 'Domain Controller', 'This is a Domain Controller', 'This is NOT a Domain Controller'],
  [4, 'backup_controller', 'Backup Controller', 'Backup Controller', 'This is a Backup Controller', 'This is NOT a Backup Controller'],
  [5, 'time', 'Time Source', 'Time Source', 'This is a Time Source', 'This is NOT a Time Source'],
  [6, 'apple', 'Apple', 'Apple Server', 'This is an Apple host', 'This is NOT an Apple host'],
  [7, 'novell', 'Novell', 'Novell Server', 'This is a Novell server', 'This is NOT a Novell server'],
  [8, 'member', 'Member', 'Domain Member Server', 'This is a Domain Member server', 'This is NOT a Domain Member server'],
  [9, 'print', 'Print', 'Print Queue Server', 'This is a Print Queue server', 'This is NOT a Print Queue server'],
  [10, 'dialin', 'Dialin', 'Dialin Server', 'This is a Dialin server', 'This is NOT a Dialin server'],
  [11, 'xenix', 'Xenix', 'Xenix Server', 'This is a Xenix server', 'This is NOT a Xenix server'],
  [12, 'ntw', 'NT Workstation', 'NT Workstation', 'This is an NT Workstation', 'This is NOT an NT Workstation'],
  [13, 'wfw', 'WfW', 'Windows for Workgroups', 'This is a WfW host', 'This is NOT a WfW host'],
  [15, 'nts', 'NT Server', 'NT Server', 'This is an NT Server', 'This is NOT an NT Server'],
  [16, 'browser.potential', 'Potential Browser', 'Potential Browser', 'This is a Potential Browser', 'This is NOT a Potential Browser'],
  [17, 'browser.backup', 'Backup Browser', 'Backup Browser', 'This is a Backup Browser', 'This is NOT a Backup Browser'],
  [18, 'browser.master', 'Master Browser', 'Master Browser', 'This is a Master Browser', 'This is NOT a Master Browser'],
  [19, 'browser.domain_master', 'Domain Master Browser', 'Domain Master Browser', 'This is a Domain Master Browser', 'This is NOT a Domain Master Browser'],
  [20, 'osf', 'OSF', 'OSF', 'This is an OSF host', 'This is NOT an OSF host'],
  [21, 'vms', 'VMS', 'VMS', 'This is a VMS host', 'This is NOT a VMS host'],
  [22, 'w95', 'Windows 95+', 'Windows 95 or above', 'This is a Windows 95 or above host', 'This is NOT a Windows 95 or above host'],
  [23, 'dfs', 'DFS', 'DFS server', 'This is a DFS server', 'THis is NOT a DFS server'],
  [30, 'local', 'Local', 'Local List Only', 'This is a local list only request', 'This is NOT a local list only request'],
  [31, 'domainenum', 'Domain Enum', 'Domain Enum', 'This is a Domain Enum request', 'This is NOT a Domain Enum request'],
];

/** The Info text of server type flags: ", Workstation, Server, …" (every set bit, unknown ones by number). */
function serverTypesInfo(v: number): string {
  let t = '';
  for (let i = 0; i < 32; i++) {
    if (Math.floor(v / 2 ** i) % 2) t += `, ${SERVER_TYPES.find((x) => x[0] === i)?.[3] ?? `Unknown server type:${i}`}`;
  }
  return t;
}

function serverTypeField(b: Uint8Array, at: number): Field {
  const v = u32le(b, at);
  const f = fHex('browser.server_type', 'Server Type', v, at, 4);
  let names = '';
  for (const [bit, , label] of SERVER_TYPES) if (Math.floor(v / 2 ** bit) % 2) names += `, ${label}`;
  f.text = `Server Type: ${f.show}${names}`;
  f.children = SERVER_TYPES.map(([bit, key, label, , yes, no]) => {
    const on = Math.floor(v / 2 ** bit) % 2 === 1;
    const x = fBool(`browser.server_type.${key}`, label, on, at, 4);
    x.text = `${bitsText(v, 2 ** bit, 32)} = ${label}: ${on ? yes : no}`;
    return x;
  });
  return f;
}

/** Bits of a one-byte bitmask: mask, key suffix, label, true text, false text. */
type Bits = [number, string, string, string, string][];
const DESIRE_BITS: Bits = [
  [0x01, 'backup', 'Backup', 'Backup Browse Server', 'NOT Backup Browse Server'],
  [0x02, 'standby', 'Standby', 'Standby Browse Server', 'NOT Standby Browse Server'],
  [0x04, 'master', 'Master', 'Master Browser', 'NOT Master Browser'],
  [0x08, 'domain_master', 'Domain Master', 'Domain Master Browse Server', 'NOT Domain Master Browse Server'],
  [0x20, 'wins', 'WINS', 'WINS Client', 'NOT WINS Client'],
  [0x80, 'nt', 'NT', 'Windows NT Advanced Server', 'NOT Windows NT Advanced Server'],
];
const OS_BITS: Bits = [
  [0x01, 'wfw', 'WfW', 'Windows for Workgroups', 'Not Windows for Workgroups'],
  [0x10, 'ntw', 'NT Workstation', 'Windows NT Workstation', 'Not Windows NT Workstation'],
  [0x20, 'nts', 'NT Server', 'Windows NT Server', 'Not Windows NT Server'],
];
const RESET_BITS: Bits = [
  [0x01, 'demote', 'Demote LMB', 'Demote an LMB to a Backup Browser', 'Do not demote an LMB to a Backup Browser'],
  [0x02, 'flush', 'Flush Browse List', 'Flush the Browse List', 'Do not Flush the Browse List'],
  [0x04, 'stop_lmb', 'Stop Being LMB', 'Stop Being a Local Master Browser', 'Do not Stop Being a Local Master Browser'],
];
const RESET_CMDS: Record<number, string> = {
  0x01: 'Stop being a master browser and become a backup browser', 0x02: 'Discard browse lists, stop being a master browser, and try again',
  0x04: 'Stop being a master browser for ever',
};

/** A one-byte bitmask as tshark's tree shows it: "Label: 0x0f, Backup, Standby" over one line per bit. */
function bitmask8(key: string, label: string, v: number, at: number, bits: Bits): Field {
  const f = fHex(key, label, v, at, 1);
  f.text = `${label}: ${f.show}${bits.filter((x) => v & x[0]).map((x) => `, ${x[2]}`).join('')}`;
  f.children = bits.map(([m, k, lab, yes, no]) => flag(`${key}.${k}`, lab, v, m, 8, at, 1, yes, no));
  return f;
}

export interface BrowserD {
  info: string;
  fields: Field[];
}

function strz(b: Uint8Array, p: number, end: number): number {
  let z = p;
  while (z < end && b[z] !== 0) z++;
  return z < end ? z : -1;
}

function browserWalk(l: Layer<BrowserD>, lanman: boolean, ctx: DissectContext | null): void {
  const b = l.buf, s = l.start;
  const r = new Reader(s, l.end);
  const out: Field[] = [];
  l.d.fields = out;
  const stop = () => cutProblem(l, 'BROWSER message', r.cut, ctx);
  if (!r.take(1)) return stop();
  const cmd = b[s];
  l.d.info = COMMANDS[cmd] ?? `Unknown command:0x${hexN(cmd, 2).slice(2)}`;
  const cf = fHex('browser.command', 'Command', cmd, s, 1);
  cf.text = `Command: ${COMMANDS[cmd] ?? 'Unknown'} (${cf.show})`;
  out.push(cf);
  r.p++;
  const u8 = (key: string, label: string, hex = false): number => {
    if (!r.take(1)) return -1;
    const v = b[r.p];
    out.push(hex ? fHex(key, label, v, r.p, 1) : fUint(key, label, v, r.p, 1));
    r.p++;
    return v;
  };
  const sz = (key: string, label: string, text?: string): string | null => {
    if (r.cut >= 0) return null;
    const z = strz(b, r.p, r.end);
    if (z < 0) {
      r.cut = r.p;
      return null;
    }
    const v = latin1Text(b, r.p, z);
    const f = fStr(key, label, v, r.p, z + 1 - r.p);
    if (text !== undefined) f.text = `${text}: ${v}`;
    out.push(f);
    r.p = z + 1;
    return v;
  };
  const period = (len: number) => {
    if (!r.take(len)) return false;
    const v = len === 4 ? u32le(b, r.p) : u16le(b, r.p) * 1000;
    const f = fUint('browser.period', 'Update Periodicity', v, r.p, len);
    f.text = `Update Periodicity: ${msecsText(v)}`;
    out.push(f);
    r.p += len;
    return true;
  };
  const winver = () => {
    // tshark 4.0 shows an empty "Windows version" before the OS versions
    out.push(fStr('browser.windows_version', 'Windows version', '', r.p, 2));
  };
  switch (cmd) {
    case 0x01:
    case 0x0c:
    case 0x0f: {
      if (lanman) {
        if (u8('browser.update_count', 'Update Count') < 0) return stop();
        if (!r.take(4)) return stop();
        out.push(serverTypeField(b, r.p));
        l.d.info += serverTypesInfo(u32le(b, r.p));
        r.p += 4;
        winver();
        if (u8('browser.os_major', 'OS Major Version') < 0 || u8('browser.os_minor', 'OS Minor Version') < 0) return stop();
        if (!period(2)) return stop();
        const host = sz('browser.server', 'Server Name');
        if (host === null) return stop();
        l.d.info += ` ${host}`;
        if (sz(cmd === 0x0c ? 'browser.mb_server' : 'browser.comment', cmd === 0x0c ? 'Master Browser Server Name' : 'Host Comment') === null) return stop();
        break;
      }
      if (u8('browser.update_count', 'Update Count') < 0) return stop();
      if (!period(4)) return stop();
      if (!r.take(16)) return stop();
      let z = r.p;
      while (z < r.p + 16 && b[z] !== 0) z++;
      const host = latin1Text(b, r.p, z);
      const hf = fStr('browser.server', 'Server Name', host, r.p, 16);
      hf.text = `${cmd === 0x0c ? 'Domain/Workgroup' : 'Host Name'}: ${host}`;
      out.push(hf);
      l.d.info += ` ${host}`;
      r.p += 16;
      winver();
      if (u8('browser.os_major', 'OS Major Version') < 0 || u8('browser.os_minor', 'OS Minor Version') < 0) return stop();
      if (!r.take(4)) return stop();
      out.push(serverTypeField(b, r.p));
      l.d.info += serverTypesInfo(u32le(b, r.p));
      r.p += 4;
      // a domain announcement's next four bytes: tshark shows the versions and signature when they are
      // there (the signature 0xaa55), else a "Mysterious Field"
      if (cmd === 0x0c && !(r.p + 4 <= r.end && u16le(b, r.p + 2) === 0xaa55)) {
        if (!r.take(4)) return stop();
        out.push(fHex('browser.mysterious_field', 'Mysterious Field', u32le(b, r.p), r.p, 4));
        r.p += 4;
      } else {
        if (u8('browser.proto_major', 'Browser Protocol Major Version') < 0 || u8('browser.proto_minor', 'Browser Protocol Minor Version') < 0) return stop();
        if (!r.take(2)) return stop();
        out.push(fHex('browser.sig', 'Signature', u16le(b, r.p), r.p, 2));
        r.p += 2;
      }
      if (cmd === 0x0c ? sz('browser.mb_server', 'Master Browser Server Name') === null : sz('browser.comment', 'Host Comment') === null) return stop();
      break;
    }
    case 0x02: {
      if (u8('browser.unused', 'Unused flags', true) < 0) return stop();
      const n = sz('browser.response_computer_name', 'Response Computer Name');
      if (n === null) return stop();
      l.d.info += ` ${n}`;
      break;
    }
    case 0x08: {
      if (u8('browser.election.version', 'Election Version') < 0) return stop();
      if (!r.take(4)) return stop();
      const c = u32le(b, r.p);
      const cf2 = fHex('browser.election.criteria', 'Election Criteria', c, r.p, 4);
      const at = r.p;
      const os = b[at + 3], desire = b[at];
      const df = bitmask8('browser.election.desire', 'Election Desire', desire, at, DESIRE_BITS);
      const osf = bitmask8('browser.election.os', 'Election OS', os, at + 3, OS_BITS);
      cf2.children = [df, fUint('browser.proto_major', 'Browser Protocol Major Version', b[at + 1], at + 1, 1), fUint('browser.proto_minor', 'Browser Protocol Minor Version', b[at + 2], at + 2, 1), osf];
      out.push(cf2);
      r.p += 4;
      if (!r.take(4)) return stop();
      const up = u32le(b, r.p);
      const uf = fUint('browser.uptime', 'Uptime', up, r.p, 4);
      uf.text = `Uptime: ${msecsText(up)}`;
      out.push(uf);
      r.p += 4;
      if (!r.take(4)) return stop();
      r.p += 4;
      if (sz('browser.server', 'Server Name') === null) return stop();
      break;
    }
    case 0x09:
    case 0x0a: {
      const n = u8('browser.backup.count', 'Backup List Requested Count');
      if (n < 0) return stop();
      if (!r.take(4)) return stop();
      out.push(fUint('browser.backup.token', 'Backup Request Token', u32le(b, r.p), r.p, 4));
      r.p += 4;
      if (cmd === 0x0a) for (let i = 0; i < n; i++) if (sz('browser.backup.server', 'Backup Server') === null) return stop();
      break;
    }
    case 0x0b:
      if (sz('browser.browser_to_promote', 'Browser to Promote') === null) return stop();
      break;
    case 0x0d:
      if (sz('browser.mb_server', 'Master Browser Server Name') === null) return stop();
      break;
    case 0x0e: {
      if (!r.take(1)) return stop();
      const v = b[r.p];
      const f = bitmask8('browser.reset_cmd', 'ResetBrowserState Command', v, r.p, RESET_BITS);
      f.text = `ResetBrowserState Command: ${RESET_CMDS[v] ?? 'Unknown'} (${hexN(v, 2)})` + f.text!.slice(`ResetBrowserState Command: ${hexN(v, 2)}`.length);
      out.push(f);
      r.p++;
      break;
    }
  }
}

export const browser: Dissector<BrowserD> = {
  proto: 'browser',
  name: 'Microsoft Windows Browser Protocol',
  fieldKeys: [
    'browser.command', 'browser.update_count', 'browser.period', 'browser.server', 'browser.mb_server', 'browser.windows_version',
    'browser.os_major', 'browser.os_minor', 'browser.server_type', ...SERVER_TYPES.map((x) => `browser.server_type.${x[1]}`),
    'browser.proto_major', 'browser.proto_minor', 'browser.sig', 'browser.comment', 'browser.unused', 'browser.response_computer_name',
    'browser.election.version', 'browser.election.criteria', 'browser.election.desire', ...DESIRE_BITS.map((x) => `browser.election.desire.${x[1]}`),
    'browser.election.os', ...OS_BITS.map((x) => `browser.election.os.${x[1]}`), 'browser.uptime',
    'browser.backup.count', 'browser.backup.token', 'browser.backup.server', 'browser.browser_to_promote', 'browser.reset_cmd',
    ...RESET_BITS.map((x) => `browser.reset_cmd.${x[1]}`),
    'browser.mysterious_field',
  ],
  registers: [{ table: 'mailslot.name', key: 1 }, { table: 'mailslot.name', key: 2 }],
  dissect(buf, start, end, ctx) {
    const prev = ctx.layers[ctx.layers.length - 1] as Layer<MailslotD> | undefined;
    const lanman = prev?.dis === mailslot && prev.d.name.toUpperCase() === '\\MAILSLOT\\LANMAN';
    const l = new Layer<BrowserD>(browser, buf, start, end, { info: '', fields: [] });
    browserWalk(l, lanman, ctx);
    return l;
  },
  fields: (l) => l.d.fields,
  info: (l) => l.d.info,
};

// ---- NBSS ---------------------------------------------------------------------------------------

export const NBSS_TCP_PORT = 139;

const SS_TYPES: Record<number, string> = {
  0x00: 'Session message', 0x81: 'Session request', 0x82: 'Positive session response', 0x83: 'Negative session response',
  0x84: 'Retarget session response', 0x85: 'Session keep-alive',
};
const SS_ERRORS: Record<number, string> = {
  0x80: 'Not listening on called name', 0x81: 'Not listening for calling name', 0x82: 'Called name not present',
  0x83: 'Called name present, but insufficient resources', 0x8f: 'Unspecified error',
};

/**
 * The length of the NBSS message at the start of `buf` (header included); 0 when the 4-byte header is
 * not all there yet; the whole of `buf` when it starts no message (tshark's "NBSS Continuation Message").
 */
export function nbssLength(buf: Uint8Array): number {
  if (buf.length < 1) return 0;
  if (SS_TYPES[buf[0]] === undefined) return buf.length;
  if (buf.length < 4) return 0;
  return 4 + ((buf[1] & 1) << 16) + u16(buf, 2);
}

/** Info of a segment that starts a message it does not finish (tshark's "[TCP segment of a reassembled PDU]"). */
export function nbssPartialInfo(buf: Uint8Array): string | null {
  return buf.length > 0 ? (SS_TYPES[buf[0]] ?? null) : null;
}

export interface NbssD {
  type: number;
  /** The message's bytes lie (a name runs past it, a length too short for its content). */
  quiet: boolean;
  fields: Field[];
  info: string;
}

function nbssWalk(l: Layer<NbssD>, cifs: boolean): void {
  const b = l.buf, s = l.start, e = l.end;
  const out: Field[] = [];
  l.d.fields = out;
  const t = b[s];
  if (SS_TYPES[t] === undefined) {
    l.d.info = 'NBSS Continuation Message';
    out.push(fBytes('nbss.continuation_data', 'Continuation data', b, s, e));
    return;
  }
  l.d.info = SS_TYPES[t];
  const tf = fHex('nbss.type', 'Message Type', t, s, 1);
  tf.text = `Message Type: ${SS_TYPES[t]} (${tf.show})`;
  out.push(tf);
  if (e - s < 4) {
    l.problem('malformed', 'NBSS header: needs 4 bytes', s, e);
    return;
  }
  const fl = b[s + 1];
  // direct-hosted SMB (TCP 445): a 24-bit length
  const len = cifs ? (fl << 16) + u16(b, s + 2) : ((fl & 1) << 16) + u16(b, s + 2);
  // tshark leaves the flags out of a session message that carries SMB (its length read as 24 bits)
  if (!(t === 0 && smbMagic(b, s + 4, e))) {
    const ff = fHex('nbss.flags', 'Flags', fl, s + 1, 1);
    ff.children = [flag('nbss.flags.e', 'Extend', fl, 1, 8, s + 1, 1, 'Add 65536 to length', 'Add 0 to length')];
    out.push(ff);
  }
  out.push(fUint('nbss.length', 'Length', len, s + 1, 3));
  let p = s + 4;
  const end = Math.min(e, p + len);
  const name = (key: string, label: string): string | null => {
    const n = readName(b, p, end, s);
    if (n === null) {
      l.problem('malformed', `NBSS ${label.toLowerCase()} runs past the message`, p, e);
      p = end;
      return null;
    }
    const f = fStr(key, label, n.text, p, n.end - p);
    f.text = `${label}: ${nameText(n.text, n.suffix)}`;
    out.push(f);
    p = n.end;
    return n.text;
  };
  switch (t) {
    case 0x81: {
      const called = name('nbss.called_name', 'Called name');
      const calling = called === null ? null : name('nbss.calling_name', 'Calling name');
      if (called !== null && calling !== null) l.d.info = `Session request, to ${called} from ${calling}`;
      break;
    }
    case 0x83:
      if (p + 1 > end) l.problem('malformed', 'NBSS error code runs past the message', p, e);
      else {
        const ef = fHex('nbss.error_code', 'Error code', b[p], p, 1);
        ef.text = `Error code: ${SS_ERRORS[b[p]] ?? 'Unknown'} (${ef.show})`;
        out.push(ef);
        l.d.info = `Negative session response, ${SS_ERRORS[b[p]] ?? `Unknown (0x${hexN(b[p], 2).slice(2)})`}`;
      }
      break;
    case 0x84:
      if (p + 6 > end) l.problem('malformed', 'NBSS retarget address runs past the message', p, e);
      else out.push(fIPv4('nbss.retarget_ip_address', 'Retarget IP address', b, p), fUint('nbss.retarget_port', 'Retarget port', u16(b, p + 4), p + 4, 2));
      break;
  }
}

export const nbss: Dissector<NbssD> = {
  proto: 'nbss',
  name: 'NetBIOS Session Service',
  protocolsPart: (l) => (l.d.quiet ? '' : 'nbss'),
  registers: [],
  fieldKeys: [
    'nbss.type', 'nbss.flags', 'nbss.flags.e', 'nbss.length', 'nbss.error_code', 'nbss.retarget_ip_address', 'nbss.retarget_port',
    'nbss.continuation_data', 'nbss.called_name', 'nbss.calling_name',
  ],
  dissect() {
    throw new Error('built by the TCP application analyzer (nbssLayer)');
  },
  fields: (l) => l.d.fields,
  info: (l) => l.d.info,
};

/** The NBSS layer of one message at [s, e) of buf; `quiet`: a later message of the same frame (frame.protocols lists nbss once). */
export function nbssLayer(buf: Uint8Array, s: number, e: number, quiet: boolean, cifs = false): Layer<NbssD> {
  const l = new Layer<NbssD>(nbss, buf, s, e, { type: buf[s], quiet, fields: [], info: '' });
  nbssWalk(l, cifs);
  return l;
}

/** "\xffSMB", "\xfeSMB" or "\xfdSMB" at p: an SMB (1, 2 or 3 transform) message. */
export function smbMagic(b: Uint8Array, p: number, e: number): number {
  if (e - p < 4 || b[p + 1] !== 0x53 || b[p + 2] !== 0x4d || b[p + 3] !== 0x42) return 0;
  return b[p] === 0xff ? 1 : b[p] === 0xfe || b[p] === 0xfd || b[p] === 0xfc ? 2 : 0;
}

/** The payload of a session message: [from, to) when there is one. */
export function nbssPayload(l: Layer<NbssD>): [number, number] | null {
  if (l.d.type !== 0 || l.end - l.start <= 4) return null;
  return [l.start + 4, l.end];
}

