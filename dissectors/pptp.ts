// PPTP control messages (RFC 2637) on TCP port 1723, as tshark 4.0 shows them: length, message type, magic
// cookie (correct / incorrect), control message type, then each message's fields (protocol version,
// framing and bearer capabilities, host and vendor names, call IDs, speeds, window sizes, result and error
// codes, numbers, ACCMs, WAN error counters …). Info is the control message type
// ("Start-Control-Connection-Request", "Unknown control type (99)").
//
// tshark's PPTP does no reassembly: it reads each TCP segment's payload as one message from its start
// (a second message in the segment goes unread; a message cut across segments is "[Malformed Packet]"
// in the first and an unknown message of type 0 in the next). TCP reassembly (src/analysis/http/app.ts)
// hands this dissector each segment's bytes as they come (retransmitted ones not again, as tshark).

import { fBytes, fHex, fStr, fUint, hexN, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export const PPTP_TCP_PORT = 1723;
const MAGIC = 0x1a2b3c4d;

const TYPES: Record<number, string> = {
  1: 'Start-Control-Connection-Request', 2: 'Start-Control-Connection-Reply', 3: 'Stop-Control-Connection-Request',
  4: 'Stop-Control-Connection-Reply', 5: 'Echo-Request', 6: 'Echo-Reply', 7: 'Outgoing-Call-Request', 8: 'Outgoing-Call-Reply',
  9: 'Incoming-Call-Request', 10: 'Incoming-Call-Reply', 11: 'Incoming-Call-Connected', 12: 'Call-Clear-Request',
  13: 'Call-Disconnect-Notify', 14: 'WAN-Error-Notify', 15: 'Set-Link-Info',
};
const MSG_TYPES: Record<number, string> = { 1: 'Control Message', 2: 'Management Message' };
const FRAMING: Record<number, string> = { 1: 'Asynchronous Framing supported', 2: 'Synchronous Framing supported', 3: 'Either Framing supported' };
const BEARER: Record<number, string> = { 1: 'Analog access supported', 2: 'Digital access supported', 3: 'Either access supported' };
const CTRL_RESULT: Record<number, string> = { 1: 'Successful channel establishment', 2: 'General error', 3: 'Command channel already exists', 4: 'Requester not authorized', 5: 'Protocol version not supported' };
const ERRORS: Record<number, string> = { 0: 'None', 1: 'Not-Connected', 2: 'Bad-Format', 3: 'Bad-Value', 4: 'No-Resource', 5: 'Bad-Call ID', 6: 'PAC-Error' };
const REASON: Record<number, string> = { 1: 'None', 2: 'Stop-Protocol', 3: 'Stop-Local-Shutdown' };
const OK_ERR: Record<number, string> = { 1: 'OK', 2: 'General error' };
const OUT_RESULT: Record<number, string> = { 1: 'Connected', 2: 'General Error', 3: 'No Carrier', 4: 'Busy', 5: 'No Dial Tone', 6: 'Time-out', 7: 'Do Not Accept' };
const IN_RESULT: Record<number, string> = { 1: 'Connect', 2: 'General error', 3: 'Do Not Accept' };
const DISC_RESULT: Record<number, string> = { 1: 'Lost Carrier', 2: 'General Error', 3: 'Admin Shutdown', 4: 'Request' };

/** One field of a message body: kind, key, label, size, value names. */
type Spec = [kind: 'u' | 'x' | 'r' | 's' | 'v', key: string, label: string, size: number, names?: Record<number, string>];
const u = (key: string, label: string, size: number, names?: Record<number, string>): Spec => ['u', key, label, size, names];
const R2: Spec = ['r', 'pptp.reserved', 'Reserved', 2];
const VER: Spec = ['v', 'pptp.protocol_version', 'Protocol version', 2];
const s64 = (key: string, label: string): Spec => ['s', key, label, 64];

const BODIES: Record<number, Spec[]> = {
  1: [VER, R2, u('pptp.framing_capabilities', 'Framing Capabilities', 4, FRAMING), u('pptp.bearer_capabilities', 'Bearer Capabilities', 4, BEARER),
    u('pptp.maximum_channels', 'Maximum Channels', 2), u('pptp.firmware_revision', 'Firmware Revision', 2), s64('pptp.host_name', 'Host Name'), s64('pptp.vendor_name', 'Vendor Name')],
  2: [VER, u('pptp.control_result', 'Result Code', 1, CTRL_RESULT), u('pptp.error', 'Error Code', 1, ERRORS), u('pptp.framing_capabilities', 'Framing Capabilities', 4, FRAMING),
    u('pptp.bearer_capabilities', 'Bearer Capabilities', 4, BEARER), u('pptp.maximum_channels', 'Maximum Channels', 2), u('pptp.firmware_revision', 'Firmware Revision', 2),
    s64('pptp.host_name', 'Host Name'), s64('pptp.vendor_name', 'Vendor Name')],
  3: [u('pptp.reason', 'Reason', 1, REASON), ['r', 'pptp.reserved', 'Reserved', 1], R2],
  4: [u('pptp.stop_result', 'Result Code', 1, OK_ERR), u('pptp.error', 'Error Code', 1, ERRORS), R2],
  5: [u('pptp.identifier', 'Identifier', 4)],
  6: [u('pptp.identifier', 'Identifier', 4), u('pptp.echo_result', 'Result Code', 1, OK_ERR), u('pptp.error', 'Error Code', 1, ERRORS), R2],
  7: [u('pptp.call_id', 'Call ID', 2), u('pptp.call_serial_number', 'Call Serial Number', 2), u('pptp.minimum_bps', 'Minimum BPS', 4), u('pptp.maximum_bps', 'Maximum BPS', 4),
    u('pptp.bearer_type', 'Bearer Type', 4, BEARER), u('pptp.framing_type', 'Framing Type', 4, FRAMING), u('pptp.packet_receive_window_size', 'Packet Receive Window Size', 2),
    u('pptp.packet_processing_delay', 'Packet Processing Delay', 2), u('pptp.phone_number_length', 'Phone Number Length', 2), R2,
    s64('pptp.phone_number', 'Phone Number'), s64('pptp.subaddress', 'Subaddress')],
  8: [u('pptp.call_id', 'Call ID', 2), u('pptp.peer_call_id', 'Peer Call ID', 2), u('pptp.out_result', 'Result Code', 1, OUT_RESULT), u('pptp.error', 'Error Code', 1, ERRORS),
    u('pptp.cause', 'Cause Code', 2), u('pptp.connect_speed', 'Connect Speed', 4), u('pptp.packet_receive_window_size', 'Packet Receive Window Size', 2),
    u('pptp.packet_processing_delay', 'Packet Processing Delay', 2), u('pptp.physical_channel_id', 'Physical Channel ID', 4)],
  9: [u('pptp.call_id', 'Call ID', 2), u('pptp.call_serial_number', 'Call Serial Number', 2), u('pptp.bearer_type', 'Bearer Type', 4, BEARER),
    u('pptp.physical_channel_id', 'Physical Channel ID', 4), u('pptp.dialed_number_length', 'Dialed Number Length', 2), u('pptp.dialing_number_length', 'Dialing Number Length', 2),
    s64('pptp.dialed_number', 'Dialed Number'), s64('pptp.dialing_number', 'Dialing Number'), s64('pptp.subaddress', 'Subaddress')],
  10: [u('pptp.call_id', 'Call ID', 2), u('pptp.peer_call_id', 'Peer Call ID', 2), u('pptp.in_result', 'Result Code', 1, IN_RESULT), u('pptp.error', 'Error Code', 1, ERRORS),
    u('pptp.packet_receive_window_size', 'Packet Receive Window Size', 2), u('pptp.packet_processing_delay', 'Packet Processing Delay', 2), R2],
  11: [u('pptp.peer_call_id', 'Peer Call ID', 2), R2, u('pptp.connect_speed', 'Connect Speed', 4), u('pptp.packet_receive_window_size', 'Packet Receive Window Size', 2),
    u('pptp.packet_processing_delay', 'Packet Processing Delay', 2), u('pptp.framing_type', 'Framing Type', 4, FRAMING)],
  12: [u('pptp.call_id', 'Call ID', 2), R2],
  13: [u('pptp.call_id', 'Call ID', 2), u('pptp.disc_result', 'Result Code', 1, DISC_RESULT), u('pptp.error', 'Error Code', 1, ERRORS), u('pptp.cause', 'Cause Code', 2), R2,
    s64('pptp.call_Statistics', 'Call Statistics')],
  14: [u('pptp.peer_call_id', 'Peer Call ID', 2), R2, u('pptp.crc_errors', 'CRC Errors', 4), u('pptp.framing_errors', 'Framing Errors', 4),
    u('pptp.hardware_overruns', 'Hardware overruns', 4), u('pptp.buffer_overruns', 'Buffer overruns', 4), u('pptp.timeout_errors', 'Time-out Errors', 4),
    u('pptp.alignment_errors', 'Alignment Errors', 4)],
  15: [u('pptp.peer_call_id', 'Peer Call ID', 2), R2, ['x', 'pptp.send_accm', 'Send ACCM', 4], ['x', 'pptp.receive_accm', 'Receive ACCM', 4]],
};

export interface PptpD {
  /** Control message type (-1 when the segment is too short to hold it). */
  type: number;
  /** End of the bytes tshark reads without throwing (the last whole field). */
  readEnd: number;
}

function bodyLen(type: number): number {
  return (BODIES[type] ?? []).reduce((n, s) => n + s[3], 0);
}

export function pptpLayer(buf: Uint8Array, start: number, end: number): Layer<PptpD> {
  const l = new Layer<PptpD>(pptp, buf, start, end, { type: -1, readEnd: end });
  if (end - start < 10) {
    l.short('PPTP header', start, 12, false);
    return l;
  }
  const type = u16(buf, start + 8);
  l.d.type = type;
  if (end - start < 12) {
    l.short('PPTP header', start, 12, false);
    return l;
  }
  if (u32(buf, start + 4) !== MAGIC) l.problem('malformed', `PPTP magic cookie ${hexN(u32(buf, start + 4), 8)} is not 0x1a2b3c4d`, start + 4, start + 8);
  const need = BODIES[type] ? 12 + bodyLen(type) : 12;
  if (end - start < need) l.short(`PPTP ${TYPES[type]}`, start, need, false);
  return l;
}

export const pptp: Dissector<PptpD> = {
  proto: 'pptp',
  name: 'Point-to-Point Tunnelling Protocol',
  fieldKeys: [...new Set(['pptp.length', 'pptp.type', 'pptp.magic_cookie', 'pptp.control_message_type', ...Object.values(BODIES).flat().map((s) => s[1]), 'data.data'])],
  registers: [],
  dissect(buf, start, end) {
    return pptpLayer(buf, start, end);
  },
  fields(l) {
    const b = l.buf;
    const s = l.start;
    const end = l.end;
    const out: Field[] = [];
    if (end - s < 10) return out;
    const typeName = (names: Record<number, string> | undefined, v: number) => names?.[v] ?? 'Unknown';
    const mt = u16(b, s + 2);
    const mtf = fUint('pptp.type', 'Message type', mt, s + 2, 2);
    mtf.text = `Message type: ${typeName(MSG_TYPES, mt)} (${mt})`;
    const ck = u32(b, s + 4);
    const ckf = fHex('pptp.magic_cookie', 'Magic Cookie', ck, s + 4, 4);
    ckf.text = `Magic Cookie: ${ckf.show} (${ck === MAGIC ? 'correct' : 'incorrect'})`;
    const t = l.d.type;
    const tf = fUint('pptp.control_message_type', 'Control Message Type', t, s + 8, 2);
    tf.text = `Control Message Type: ${typeName(TYPES, t)} (${t})`;
    out.push(fUint('pptp.length', 'Length', u16(b, s), s, 2), mtf, ckf, tf);
    if (end - s < 12) return out;
    out.push(fBytes('pptp.reserved', 'Reserved', b, s + 10, s + 12));
    let at = s + 12;
    const body = BODIES[t];
    if (body === undefined) {
      if (end > at) {
        const d = fBytes('data.data', 'Data', b, at, end);
        out.push({ ...d, key: '', text: `Data (${end - at} bytes)`, show: '', children: [d] });
      }
      return out;
    }
    for (const [kind, key, label, size, names] of body) {
      if (at + size > end) break;
      if (kind === 'r') out.push(fBytes(key, label, b, at, at + size));
      else if (kind === 's') {
        const raw = latin1Text(b, at, at + size);
        const z = raw.indexOf('\0');
        out.push(fStr(key, label, z >= 0 ? raw.slice(0, z) : raw, at, size));
      } else if (kind === 'v') {
        const f = fUint(key, label, u16(b, at), at, 2);
        f.text = `${label}: ${b[at]}.${b[at + 1]}`;
        out.push(f);
      } else {
        const v = size === 1 ? b[at] : size === 2 ? u16(b, at) : u32(b, at);
        const f = kind === 'x' ? fHex(key, label, v, at, size) : fUint(key, label, v, at, size);
        if (names) f.text = `${label}: ${names[v] ?? 'Unknown'} (${v})`;
        out.push(f);
      }
      at += size;
    }
    return out;
  },
  // an unknown message type: tshark hands its body to data
  protocolsPart: (l) => (l.d.type >= 0 && BODIES[l.d.type] === undefined && l.end - l.start > 12 ? 'pptp:data' : 'pptp'),
  column: () => 'PPTP',
  info(l) {
    if (l.d.type < 0) return '';
    return TYPES[l.d.type] ?? `Unknown control type (${l.d.type})`;
  },
};
