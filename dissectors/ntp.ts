// NTP (RFC 5905) on UDP port 123: the 48-byte header as tshark 4.0 shows it — Info "NTP Version 4,
// client", the flags (leap indicator, version, mode), stratum, poll, precision, root delay and
// dispersion (raw 16.16 values, seconds in the tree), reference ID, and the four timestamps as
// absolute UTC times (a zero timestamp is tshark's "NULL"). Control (mode 6) and private (mode 7)
// messages are named, not decoded. A datagram shorter than the header is malformed, as in tshark.

import { absTimeText, fBits, fBytes, fHex, fStr, fUint, fmtIPv4, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface NtpD {
  flags: number;
}

const HEADER = 48;
const VERSIONS = ['reserved', 'NTP Version 1', 'NTP Version 2', 'NTP Version 3', 'NTP Version 4', 'reserved', 'reserved', 'reserved'];
const MODES = ['reserved', 'symmetric active', 'symmetric passive', 'client', 'server', 'broadcast', 'reserved for NTP control message', 'reserved for private use'];
const LEAP = ['no warning', 'last minute of the day has 61 seconds', 'last minute of the day has 59 seconds', 'unknown (clock unsynchronized)'];
/** Seconds from 1900 (NTP's era 0) to 1970. */
const NTP_EPOCH = 2208988800;

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  if (s === 16) return 'unsynchronized';
  return 'reserved';
}

/** An NTP timestamp as tshark's absolute time, "NULL" when zero. */
function ntpTime(key: string, label: string, buf: Uint8Array, at: number): Field {
  const sec = u32(buf, at);
  const frac = u32(buf, at + 4);
  const show = sec === 0 && frac === 0 ? 'NULL' : absTimeText(sec - NTP_EPOCH, Math.floor((frac * 1e9) / 4294967296));
  const f = fStr(key, label, show, at, 8);
  f.text = `${label}: ${show}`;
  return f;
}

const CTRL_OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'read status', 2: 'read variables', 3: 'write variables', 4: 'read clock variables', 5: 'write clock variables',
  6: 'set trap address/port', 7: 'trap response', 8: 'runtime configuration', 9: 'export configuration to file', 10: 'retrieve remote address stats',
  11: 'retrieve ordered list', 12: 'request client-specific nonce',
};
const PRIV_CODES: Record<number, string> = {
  0: 'PEER_LIST', 1: 'PEER_LIST_SUM', 2: 'PEER_INFO', 3: 'PEER_STATS', 4: 'SYS_INFO', 5: 'SYS_STATS', 6: 'IO_STATS', 7: 'MEM_STATS',
  8: 'LOOP_INFO', 9: 'TIMER_STATS', 10: 'CONFIG', 11: 'UNCONFIG', 20: 'MON_GETLIST', 42: 'MON_GETLIST_1',
};
const IMPLEMENTATIONS: Record<number, string> = { 0: 'UNIV', 2: 'XNTPD_OLD', 3: 'XNTPD' };

/** A control message's header (mode 6, RFC 1305 appendix B): flags 2, sequence, status, association, offset, count. */
function controlFields(b: Uint8Array, s: number, n: number, out: Field[]): void {
  if (n < 2) return;
  const f2 = b[s + 1];
  const f = fHex('ntp.ctrl.flags2', 'Flags 2', f2, s + 1, 1);
  const r = fBits('ntp.ctrl.flags2.r', 'Response bit', f2 >> 7, s + 1, 1, 0x80);
  r.text = `Response bit: ${f2 & 0x80 ? 'Response' : 'Request'} (${f2 >> 7})`;
  const op = fBits('ntp.ctrl.flags2.opcode', 'Opcode', f2 & 0x1f, s + 1, 1, 0x1f);
  op.text = `Opcode: ${CTRL_OPCODES[f2 & 0x1f] ?? 'Unknown'} (${f2 & 0x1f})`;
  f.children = [r, fBits('ntp.ctrl.flags2.error', 'Error bit', (f2 >> 6) & 1, s + 1, 1, 0x40), fBits('ntp.ctrl.flags2.more', 'More bit', (f2 >> 5) & 1, s + 1, 1, 0x20), op];
  out.push(f);
  const words = [['ntp.ctrl.sequence', 'Sequence', 2], ['ntp.ctrl.status', 'Status', 4], ['ntp.ctrl.associd', 'AssociationID', 6], ['ntp.ctrl.offset', 'Offset', 8], ['ntp.ctrl.count', 'Count', 10]] as const;
  for (const [k, label, at] of words) {
    if (n < at + 2) return;
    const v = u16(b, s + at);
    out.push(k === 'ntp.ctrl.status' ? fHex(k, label, v, s + at, 2) : fUint(k, label, v, s + at, 2));
  }
}

/** A private message's header (mode 7, ntpd's ntpdc requests such as monlist). */
function privateFields(b: Uint8Array, s: number, n: number, out: Field[]): void {
  const fl = out[out.length - 1];
  // its flags byte has a response and a more bit where the leap indicator is
  fl.children = [
    fBits('ntp.priv.flags.r', 'Response bit', b[s] >> 7, s, 1, 0x80),
    fBits('ntp.priv.flags.more', 'More bit', (b[s] >> 6) & 1, s, 1, 0x40),
    ...(fl.children ?? []).slice(1),
  ];
  fl.text = `Flags: ${fl.show}, Response bit: ${b[s] & 0x80 ? 'Response' : 'Request'}, Version number: ${VERSIONS[(b[s] >> 3) & 7]}, Mode: ${MODES[7]}`;
  if (n < 2) return;
  const as = fUint('ntp.priv.auth_seq', 'Auth, sequence', b[s + 1], s + 1, 1);
  as.children = [fBits('ntp.priv.auth', 'Auth bit', b[s + 1] >> 7, s + 1, 1, 0x80), fBits('ntp.priv.seq', 'Sequence number', b[s + 1] & 0x7f, s + 1, 1, 0x7f)];
  out.push(as);
  if (n < 3) return;
  const im = fUint('ntp.priv.impl', 'Implementation', b[s + 2], s + 2, 1);
  im.text = `Implementation: ${IMPLEMENTATIONS[b[s + 2]] ?? 'Unknown'} (${b[s + 2]})`;
  out.push(im);
  if (n < 4) return;
  const rc = fUint('ntp.priv.reqcode', 'Request code', b[s + 3], s + 3, 1);
  rc.text = `Request code: ${PRIV_CODES[b[s + 3]] ?? 'Unknown'} (${b[s + 3]})`;
  out.push(rc);
}

/** "NTP Version 4, client"; control and private messages as tshark names them. */
function infoText(l: Layer<NtpD>): string {
  const fl = l.d.flags;
  const v = VERSIONS[(fl >> 3) & 7];
  const mode = fl & 7;
  if (mode === 6) return `${v}, control`;
  if (mode === 7) {
    const b = l.buf, s = l.start;
    let t = `${v}, private, ${fl & 0x80 ? 'Response' : 'Request'}`;
    if (l.end - s >= 4) t += `, ${PRIV_CODES[b[s + 3]] ?? 'Unknown'}`;
    return t;
  }
  return `${v}, ${MODES[mode]}`;
}

export const ntp: Dissector<NtpD> = {
  proto: 'ntp',
  name: 'Network Time Protocol',
  fieldKeys: [
    'ntp.flags', 'ntp.flags.li', 'ntp.flags.vn', 'ntp.flags.mode', 'ntp.stratum', 'ntp.ppoll', 'ntp.precision', 'ntp.rootdelay',
    'ntp.rootdispersion', 'ntp.refid', 'ntp.reftime', 'ntp.org', 'ntp.rec', 'ntp.xmt', 'ntp.ctrl.flags2', 'ntp.ctrl.flags2.r',
    'ntp.ctrl.flags2.error', 'ntp.ctrl.flags2.more', 'ntp.ctrl.flags2.opcode', 'ntp.ctrl.sequence', 'ntp.ctrl.status', 'ntp.ctrl.associd',
    'ntp.ctrl.offset', 'ntp.ctrl.count', 'ntp.priv.flags.r', 'ntp.priv.flags.more', 'ntp.priv.auth_seq', 'ntp.priv.auth', 'ntp.priv.seq',
    'ntp.priv.impl', 'ntp.priv.reqcode',
  ],
  registers: [{ table: 'udp.port', key: 123 }],

  dissect(buf, start, end, ctx) {
    const l = new Layer<NtpD>(ntp, buf, start, end, { flags: end > start ? buf[start] : 0 });
    const mode = l.d.flags & 7;
    // control and private messages have headers of their own (12 and 8 bytes, then data)
    const need = mode === 6 ? 12 : mode === 7 ? 4 : HEADER;
    if (end - start < need) l.short('NTP header', start, need, ctx.snapCut(buf, start + need));
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const n = l.end - s;
    const out: Field[] = [];
    if (n < 1) return out;
    const fl = b[s];
    const li = fl >> 6, vn = (fl >> 3) & 7, mode = fl & 7;
    const f = fHex('ntp.flags', 'Flags', fl, s, 1);
    f.text = `Flags: ${f.show}, Leap Indicator: ${LEAP[li]}, Version number: ${VERSIONS[vn]}, Mode: ${MODES[mode]}`;
    const lf = fBits('ntp.flags.li', 'Leap Indicator', li, s, 1, 0xc0);
    lf.text = `Leap Indicator: ${LEAP[li]} (${li})`;
    const vf = fBits('ntp.flags.vn', 'Version number', vn, s, 1, 0x38);
    vf.text = `Version number: ${VERSIONS[vn]} (${vn})`;
    const mf = fBits('ntp.flags.mode', 'Mode', mode, s, 1, 0x07);
    mf.text = `Mode: ${MODES[mode]} (${mode})`;
    f.children = [lf, vf, mf];
    out.push(f);
    if (mode === 6) {
      controlFields(b, s, n, out);
      return out;
    }
    if (mode === 7) {
      privateFields(b, s, n, out);
      return out;
    }
    if (n < 2) return out;
    const st = b[s + 1];
    const sf = fUint('ntp.stratum', 'Peer Clock Stratum', st, s + 1, 1);
    sf.text = `Peer Clock Stratum: ${stratumText(st)} (${st})`;
    out.push(sf);
    if (n < 3) return out;
    const pf = fUint('ntp.ppoll', 'Peer Polling Interval', b[s + 2], s + 2, 1);
    pf.text = `Peer Polling Interval: ${b[s + 2]} (${2 ** b[s + 2]} seconds)`;
    out.push(pf);
    if (n < 4) return out;
    const pr = fUint('ntp.precision', 'Peer Clock Precision', b[s + 3], s + 3, 1);
    const exp = b[s + 3] > 127 ? b[s + 3] - 256 : b[s + 3];
    pr.text = `Peer Clock Precision: ${(2 ** exp).toFixed(6)} seconds`;
    out.push(pr);
    for (const [k, label, at] of [['ntp.rootdelay', 'Root Delay', 4], ['ntp.rootdispersion', 'Root Dispersion', 8]] as const) {
      if (n < at + 4) return out;
      const v = u32(b, s + at);
      const x = fUint(k, label, v, s + at, 4);
      x.text = `${label}: ${(v / 65536).toFixed(6)} seconds`;
      out.push(x);
    }
    if (n < 16) return out;
    const rf = fBytes('ntp.refid', 'Reference ID', b, s + 12, s + 16);
    // a primary server's ID is four ASCII letters (a clock's name), a secondary's the IPv4 address of its server
    rf.text = `Reference ID: ${st <= 1 ? latin1Text(b, s + 12, s + 16).replace(/\0+$/, '') : fmtIPv4(b, s + 12)}`;
    out.push(rf);
    const times = [['ntp.reftime', 'Reference Timestamp', 16], ['ntp.org', 'Origin Timestamp', 24], ['ntp.rec', 'Receive Timestamp', 32], ['ntp.xmt', 'Transmit Timestamp', 40]] as const;
    for (const [k, label, at] of times) {
      if (n < at + 8) return out;
      out.push(ntpTime(k, label, b, s + at));
    }
    return out;
  },

  title: (l) => `Network Time Protocol (${infoText(l).split(', ').slice(0, 2).join(', ')})`,
  info: (l) => (l.end > l.start ? infoText(l) : 'NTP'),
};
