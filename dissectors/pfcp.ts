// PFCP, the Packet Forwarding Control Protocol of 3GPP TS 29.244 (the N4/Sx interface between a 5G/EPC
// control plane and user plane), on UDP port 8805, as tshark 4.0 shows it: the header (flags, message
// type, length, SEID when the S flag is set, sequence number, message priority) and the information
// elements, each with its type name, length and value; grouped IEs nested. Info is the message type
// ("PFCP Session Establishment Request"; with several messages in a datagram, the last one's). The values of individual IEs are shown as bytes, not decoded
// field by field as tshark does (its PFCP dissector has some 300 IE decoders, some of which add keys of
// the header again, such as pfcp.seid inside an F-SEID: -e pfcp.seid lists only the header's here).

import { fBits, fBool, fBytes, fHex, fText, fUint, hex2, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const MESSAGES: Record<number, string> = {
  0: 'Reserved', 1: 'PFCP Heartbeat Request', 2: 'PFCP Heartbeat Response', 3: 'PFCP PFD Management Request',
  4: 'PFCP PFD Management Response', 5: 'PFCP Association Setup Request', 6: 'PFCP Association Setup Response',
  7: 'PFCP Association Update Request', 8: 'PFCP Association Update Response', 9: 'PFCP Association Release Request',
  10: 'PFCP Association Release Response', 11: 'PFCP Version Not Supported Response', 12: 'PFCP Node Report Request',
  13: 'PFCP Node Report Response', 14: 'PFCP Session Set Deletion Request', 15: 'PFCP Session Set Deletion Response',
  16: 'PFCP Session Set Modification Request', 17: 'PFCP Session Set Modification Response',
  50: 'PFCP Session Establishment Request', 51: 'PFCP Session Establishment Response',
  52: 'PFCP Session Modification Request', 53: 'PFCP Session Modification Response', 54: 'PFCP Session Deletion Request',
  55: 'PFCP Session Deletion Response', 56: 'PFCP Session Report Request', 57: 'PFCP Session Report Response',
};

/** IE type names (TS 29.244 Table 8.1.2-1, as tshark 4.0.17 names them: `tshark -G values`). */
const IE_NAMES: Record<number, string> = {
  0: 'Reserved', 1: 'Create PDR', 2: 'PDI', 3: 'Create FAR', 4: 'Forwarding Parameters', 5: 'Duplicating Parameters',
  6: 'Create URR', 7: 'Create QER', 8: 'Created PDR', 9: 'Update PDR', 10: 'Update FAR',
  11: 'Update Forwarding Parameters', 12: 'Update BAR (PFCP Session Report Response)', 13: 'Update URR',
  14: 'Update QER', 15: 'Remove PDR', 16: 'Remove FAR', 17: 'Remove URR', 18: 'Remove QER', 19: 'Cause',
  20: 'Source Interface', 21: 'F-TEID', 22: 'Network Instance', 23: 'SDF Filter', 24: 'Application ID',
  25: 'Gate Status', 26: 'MBR', 27: 'GBR', 28: 'QER Correlation ID', 29: 'Precedence', 30: 'Transport Level Marking',
  31: 'Volume Threshold', 32: 'Time Threshold', 33: 'Monitoring Time', 34: 'Subsequent Volume Threshold',
  35: 'Subsequent Time Threshold', 36: 'Inactivity Detection Time', 37: 'Reporting Triggers',
  38: 'Redirect Information', 39: 'Report Type', 40: 'Offending IE', 41: 'Forwarding Policy',
  42: 'Destination Interface', 43: 'UP Function Features', 44: 'Apply Action',
  45: 'Downlink Data Service Information', 46: 'Downlink Data Notification Delay', 47: 'DL Buffering Duration',
  48: 'DL Buffering Suggested Packet Count', 49: 'PFCPSMReq-Flags', 50: 'PFCPSRRsp-Flags',
  51: 'Load Control Information', 52: 'Sequence Number', 53: 'Metric', 54: 'Overload Control Information',
  55: 'Timer', 56: 'PDR ID', 57: 'F-SEID', 58: 'Application ID\'s PFDs', 59: 'PFD context', 60: 'Node ID',
  61: 'PFD contents', 62: 'Measurement Method', 63: 'Usage Report Trigger', 64: 'Measurement Period', 65: 'FQ-CSID',
  66: 'Volume Measurement', 67: 'Duration Measurement', 68: 'Application Detection Information',
  69: 'Time of First Packet', 70: 'Time of Last Packet', 71: 'Quota Holding Time',
  72: 'Dropped DL Traffic Threshold', 73: 'Volume Quota', 74: 'Time Quota', 75: 'Start Time', 76: 'End Time',
  77: 'Query URR', 78: 'Usage Report (Session Modification Response)',
  79: 'Usage Report (Session Deletion Response)', 80: 'Usage Report (Session Report Request)', 81: 'URR ID',
  82: 'Linked URR ID', 83: 'Downlink Data Report', 84: 'Outer Header Creation', 85: 'Create BAR',
  86: 'Update BAR (Session Modification Request)', 87: 'Remove BAR', 88: 'BAR ID', 89: 'CP Function Features',
  90: 'Usage Information', 91: 'Application Instance ID', 92: 'Flow Information', 93: 'UE IP Address',
  94: 'Packet Rate', 95: 'Outer Header Removal', 96: 'Recovery Time Stamp', 97: 'DL Flow Level Marking',
  98: 'Header Enrichment', 99: 'Error Indication Report', 100: 'Measurement Information', 101: 'Node Report Type',
  102: 'User Plane Path Failure Report', 103: 'Remote GTP-U Peer', 104: 'UR-SEQN',
  105: 'Update Duplicating Parameters', 106: 'Activate Predefined Rules', 107: 'Deactivate Predefined Rules',
  108: 'FAR ID', 109: 'QER ID', 110: 'OCI Flags', 111: 'PFCP Association Release Request',
  112: 'Graceful Release Period', 113: 'PDN Type', 114: 'Failed Rule ID', 115: 'Time Quota Mechanism',
  116: 'User Plane IP Resource Information (removed in Rel 16.3)', 117: 'User Plane Inactivity Timer',
  118: 'Aggregated URRs', 119: 'Multiplier', 120: 'Aggregated URR ID IE', 121: 'Subsequent Volume Quota',
  122: 'Subsequent Time Quota', 123: 'RQI', 124: 'QFI', 125: 'Query URR Reference',
  126: 'Additional Usage Reports Information', 127: 'Create Traffic Endpoint', 128: 'Created Traffic Endpoint',
  129: 'Update Traffic Endpoint', 130: 'Remove Traffic Endpoint', 131: 'Traffic Endpoint ID',
  132: 'Ethernet Packet Filter', 133: 'MAC address', 134: 'C-TAG', 135: 'S-TAG', 136: 'Ethertype', 137: 'Proxying',
  138: 'Ethernet Filter ID', 139: 'Ethernet Filter Properties', 140: 'Suggested Buffering Packets Count',
  141: 'User ID', 142: 'Ethernet PDU Session Information', 143: 'Ethernet Traffic Information',
  144: 'MAC Addresses Detected', 145: 'MAC Addresses Removed', 146: 'Ethernet Inactivity Timer',
  147: 'Additional Monitoring Time', 148: 'Event Quota', 149: 'Event Threshold', 150: 'Subsequent Event Quota',
  151: 'Subsequent Event Threshold', 152: 'Trace Information', 153: 'Framed-Route', 154: 'Framed-Routing',
  155: 'Framed-IPv6-Route', 156: 'Time Stamp', 157: 'Averaging Window', 158: 'Paging Policy Indicator',
  159: 'APN/DNN', 160: '3GPP Interface Type', 161: 'PFCPSRReq-Flags', 162: 'PFCPAUReq-Flags', 163: 'Activation Time',
  164: 'Deactivation Time', 165: 'Create MAR', 166: 'Access Forwarding Action Information 1',
  167: 'Access Forwarding Action Information 2', 168: 'Remove MAR', 169: 'Update MAR',
  175: 'Update Access Forwarding Action Information 1', 176: 'Update Access Forwarding Action Information 2',
  177: 'UE IP address Pool Identity', 178: 'Alternative SMF IP Address',
  179: 'Packet Replication and Detection Carry-On Information', 180: 'SMF Set ID', 181: 'Quota Validity Time',
  182: 'Number of Reports', 183: 'PFCP Session Retention Information (within PFCP Association Setup Request)',
  184: 'PFCPASRsp-Flags', 185: 'CP PFCP Entity IP Address', 186: 'PFCPSEReq-Flags',
  187: 'User Plane Path Recovery Report',
  188: 'IP Multicast Addressing Info within PFCP Session Establishment Request',
  189: 'Join IP Multicast Information IE within Usage Report',
  190: 'Leave IP Multicast Information IE within Usage Report', 191: 'IP Multicast Address',
  192: 'Source IP Address', 193: 'Packet Rate Status', 194: 'Create Bridge Info for TSC',
  195: 'Created Bridge Info for TSC', 196: 'DS-TT Port Number', 197: 'NW-TT Port Number', 198: '5GS User Plane Node',
  199: 'TSC Management Information IE within PFCP Session Modification Request',
  200: 'Port Management Information for TSC IE within PFCP Session Modification Response',
  201: 'Port Management Information for TSC IE within PFCP Session Report Request',
  202: 'Port Management Information Container', 203: 'Clock Drift Control Information',
  204: 'Requested Clock Drift Information', 205: 'Clock Drift Report', 206: 'Time Domain Number',
  207: 'Time Offset Threshold', 208: 'Cumulative rateRatio Threshold', 209: 'Time Offset Measurement',
  210: 'Cumulative rateRatio Measurement', 211: 'Remove SRR', 212: 'Create SRR', 213: 'Update SRR',
  214: 'Session Report', 215: 'SRR ID', 216: 'Access Availability Control Information',
  217: 'Requested Access Availability Information', 218: 'Access Availability Report',
  219: 'Access Availability Information', 220: 'Provide ATSSS Control Information', 221: 'ATSSS Control Parameters',
  222: 'MPTCP Control Information', 223: 'ATSSS-LL Control Information', 224: 'PMF Control Information',
  225: 'MPTCP Parameters', 226: 'ATSSS-LL Parameters', 227: 'PMF Parameters', 228: 'MPTCP Address Information',
  229: 'UE Link-Specific IP Address', 230: 'PMF Address Information', 231: 'ATSSS-LL Information',
  232: 'Data Network Access Identifier', 233: 'UE IP address Pool Information', 234: 'Average Packet Delay',
  235: 'Minimum Packet Delay', 236: 'Maximum Packet Delay', 237: 'QoS Report Trigger',
  238: 'GTP-U Path QoS Control Information', 239: 'GTP-U Path QoS Report (PFCP Node Report Request)',
  240: 'QoS Information in GTP-U Path QoS Report', 241: 'GTP-U Path Interface Type',
  242: 'QoS Monitoring per QoS flow Control Information', 243: 'Requested QoS Monitoring',
  244: 'Reporting Frequency', 245: 'Packet Delay Thresholds', 246: 'Minimum Wait Time', 247: 'QoS Monitoring Report',
  248: 'QoS Monitoring Measurement', 249: 'MT-EDT Control Information', 250: 'DL Data Packets Size',
  251: 'QER Control Indications', 252: 'Packet Rate Status Report IE within PFCP Session Deletion Response',
  253: 'NF Instance ID', 255: 'Redundant Transmission Detection Parameters IE in PDI', 256: 'Updated PDR',
  257: 'S-NSSAI', 258: 'IP version', 259: 'PFCPASReq-Flags', 260: 'Data Status',
  261: 'Provide RDS Configuration Information IE within PFCP Session Establishment Request',
  262: 'RDS Configuration Information', 263: 'Query Packet Rate Status IE within PFCP Session Modification Request',
  264: 'Query Packet Rate Status Report IE within PFCP Session Modification Response',
  265: 'MPTCP Applicable Indication', 266: 'User Plane NodeManagement Information Container',
  267: 'UE IP Address Usage Information', 268: 'Number of UE IP Addresses', 269: 'Validity Timer',
  270: 'Redundant Transmission Forwarding Parameters', 271: 'Transport Delay Reporting',
  272: 'Partial Failure Information',
  273: 'Partial Failure Information within PFCP Session Modification Response (Removed in Rel 17.2.0)',
  274: 'Offending IE Information', 275: 'RAT Type', 276: 'L2TP Tunnel Information',
  277: 'L2TP Session Information within PFCP Session Establishment Request', 278: 'L2TP User Authentication',
  279: 'L2TP Session Information within PFCP Session Establishment Response', 280: 'LNS Address',
  281: 'Tunnel Preference', 282: 'Calling Number', 283: 'Called Number', 284: 'L2TP Session Indications',
  285: 'DNS Server Address', 286: 'NBNS Server Address', 287: 'Maximum Receive Unit', 288: 'Thresholds',
  289: 'Steering Mode Indicator', 290: 'PFCP Session Change Info', 291: 'Group ID', 292: 'CP IP Address',
  293: 'IP Address and Port Number Replacement', 294: 'DNS Query Filter', 295: 'Direct Reporting Information',
  296: 'Event Notification URI', 297: 'Notification Correlation ID', 298: 'Reporting Flags',
  299: 'Predefined Rules Name', 300: 'MBS Session N4mb Control Information', 301: 'MBS Multicast Parameters',
  302: 'Add MBS Unicast Parameters IE in Create FAR', 303: 'MBS Session N4mb Information',
  304: 'Remove MBS Unicast Parameters IE in Update FAR', 305: 'MBS Session Identifier',
  306: 'Multicast Transport Information', 307: 'MBSN4mbReq Flags', 308: 'Local Ingress Tunnel',
  309: 'MBS Unicast Parameters ID',
  310: 'MBS Session N4 Control Information IE within PFCP Session Establishment Request',
  311: 'MBS Session N4 Control Information IE within PFCP Session Establishment Response', 312: 'MBSN4Resp-Flags',
  313: 'Tunnel Password', 314: 'Area Sesson ID', 315: 'Peer UP Restart Report IE within PFCP Node Report Request',
  316: 'DSCP to PPI Control Information IE within PFCP Session Establishment Request',
  317: 'DSCP to PPI Mapping Information', 318: 'PFCPSDRsp-Flags', 319: 'QER Indications',
  320: 'Vendor-Specific Node Report Type',
};

/** IEs that carry other IEs (TS 29.244: the "Extendable / Table 7.x" ones), nested as tshark nests them. */
const GROUPED = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 51, 54, 58, 59, 68, 77, 78, 79, 80, 83, 85, 86, 87, 99,
  102, 105, 118, 127, 128, 129, 130, 132, 143, 147, 165, 166, 167, 168, 169, 172, 173,
]);

/** Grouped IEs nest at most this deep (a hostile capture cannot recurse without bound). */
const MAX_DEPTH = 8;

interface Ie {
  type: number;
  start: number;
  len: number;
  /** First value byte (after the enterprise ID of a vendor IE). */
  value: number;
  children: Ie[] | null;
}

/** One PFCP message: a datagram may carry several, one after the other (tshark dissects them all). */
interface Msg {
  start: number;
  flags: number;
  msgType: number;
  length: number;
  /** Offset of the sequence number (after the SEID when the S flag is set); -1 when the header is short. */
  seqAt: number;
  ies: Ie[];
}

export interface PfcpD {
  msgs: Msg[];
}

/** Messages in one datagram, at most (a bound for hostile input). */
const MAX_MESSAGES = 64;

/** The IEs in [p, end); those that run past `end` stop the list (marked on the layer). */
function readIes(l: Layer<PfcpD>, p: number, end: number, depth: number): Ie[] {
  const out: Ie[] = [];
  const b = l.buf;
  while (p + 4 <= end && out.length < 4096) {
    const type = u16(b, p);
    const len = u16(b, p + 2);
    if (p + 4 + len > end) {
      l.problem('malformed', `IE ${IE_NAMES[type] ?? type}: length ${len} runs past the end of the message`, p + 2, end);
      return out;
    }
    const vendor = (type & 0x8000) !== 0;
    const value = p + 4 + (vendor && len >= 2 ? 2 : 0);
    const ie: Ie = { type, start: p, len, value, children: null };
    if (!vendor && GROUPED.has(type) && depth < MAX_DEPTH) ie.children = readIes(l, p + 4, p + 4 + len, depth + 1);
    out.push(ie);
    p += 4 + len;
  }
  // one to three bytes left: an IE header cut short (tshark's read of its length fails)
  if (p < end && out.length < 4096) l.problem('malformed', 'PFCP IE header runs past the end of the message', p, end);
  return out;
}

function hexBytes(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += hex2(b[i]);
  return s;
}

function ieFields(l: Layer<PfcpD>, ies: readonly Ie[]): Field[] {
  const b = l.buf;
  return ies.map((ie) => {
    const name = ie.type & 0x8000 ? 'Enterprise specific IE' : (IE_NAMES[ie.type] ?? 'Unknown');
    const kids: Field[] = [];
    const vendor = (ie.type & 0x8000) !== 0;
    const t = vendor ? fUint('pfcp.enterprise_ie', 'Enterprise specific IE Type', ie.type, ie.start, 2) : fUint('pfcp.ie_type', 'IE Type', ie.type, ie.start, 2);
    if (!vendor) t.text = `IE Type: ${name} (${ie.type})`;
    kids.push(t, fUint('pfcp.ie_len', 'IE Length', ie.len, ie.start + 2, 2));
    const end = ie.start + 4 + ie.len;
    if (vendor && ie.len >= 2) kids.push(fUint('pfcp.enterprise_id', 'Enterprise ID', u16(b, ie.start + 4), ie.start + 4, 2));
    if (ie.children !== null) kids.push(...ieFields(l, ie.children));
    else if (ie.value < end) kids.push(vendor ? fBytes('pfcp.enterprise_ie_data', 'Enterprise IE Data', b, ie.value, end) : fText(`Value: ${hexBytes(b, ie.value, end)}`, ie.value, end - ie.value));
    return fText(`${name} : ${ie.children !== null ? '[Grouped IE]' : ''}`, ie.start, 4 + ie.len, kids);
  });
}

/** One message's header fields and IEs. */
function msgFields(l: Layer<PfcpD>, m: Msg): Field[] {
  const b = l.buf, s = m.start;
  const out: Field[] = [];
  if (m.msgType < 0) return out;
  const fl = m.flags;
  const set = [[4, 'Follow On (FO)'], [2, 'Message Priority (MP)'], [1, 'SEID (S)']].filter(([f]) => fl & (f as number)).map(([, n]) => n);
  const f = fHex('pfcp.flags', 'Flags', fl, s, 1);
  f.text = `Flags: ${f.show}${set.length > 0 ? ', ' + set.join(', ') : ''}`;
  f.children = [
    fBits('pfcp.version', 'Version', fl >> 5, s, 1, 0xe0),
    fBits('pfcp.spare_b4', 'Spare', (fl >> 4) & 1, s, 1, 0x10),
    fBits('pfcp.spare_b3', 'Spare', (fl >> 3) & 1, s, 1, 0x08),
    fBool('pfcp.fo_flag', 'Follow On (FO)', (fl & 4) !== 0, s, 1, 0x04),
    fBool('pfcp.mp_flag', 'Message Priority (MP)', (fl & 2) !== 0, s, 1, 0x02),
    fBool('pfcp.s', 'SEID (S)', (fl & 1) !== 0, s, 1, 0x01),
  ];
  out.push(f);
  const mt = fUint('pfcp.msg_type', 'Message Type', m.msgType, s + 1, 1);
  mt.text = `Message Type: ${MESSAGES[m.msgType] ?? 'Unknown'} (${m.msgType})`;
  out.push(mt, fUint('pfcp.length', 'Length', m.length, s + 2, 2));
  if (m.seqAt < 0) return out;
  if (fl & 1) {
    const seid = (BigInt(u32(b, s + 4)) << 32n) | BigInt(u32(b, s + 8));
    out.push({ key: 'pfcp.seid', label: 'SEID', value: seid, show: '0x' + seid.toString(16).padStart(16, '0'), start: s + 4, len: 8 });
  }
  const q = m.seqAt;
  out.push(fUint('pfcp.seqno', 'Sequence Number', (b[q] << 16) | (b[q + 1] << 8) | b[q + 2], q, 3));
  if (fl & 2) out.push(fBits('pfcp.mp', 'Message Priority', b[q + 3] >> 4, q + 3, 1, 0xf0), fBits('pfcp.spare_h0', 'Spare', b[q + 3] & 15, q + 3, 1, 0x0f));
  else out.push(fUint('pfcp.spare_oct', 'Spare', b[q + 3], q + 3, 1));
  out.push(...ieFields(l, m.ies));
  return out;
}

export const pfcp: Dissector<PfcpD> = {
  proto: 'pfcp',
  name: 'Packet Forwarding Control Protocol',
  fieldKeys: [
    'pfcp.flags', 'pfcp.version', 'pfcp.spare_b4', 'pfcp.spare_b3', 'pfcp.fo_flag', 'pfcp.mp_flag', 'pfcp.s', 'pfcp.msg_type',
    'pfcp.length', 'pfcp.seid', 'pfcp.seqno', 'pfcp.mp', 'pfcp.spare_h0', 'pfcp.spare_oct', 'pfcp.ie_type', 'pfcp.ie_len',
    'pfcp.enterprise_ie', 'pfcp.enterprise_id', 'pfcp.enterprise_ie_data',
  ],
  registers: [{ table: 'udp.port', key: 8805 }],

  dissect(buf, start, end, ctx) {
    const d: PfcpD = { msgs: [] };
    const l = new Layer<PfcpD>(pfcp, buf, start, end, d);
    for (let p = start; p < end && d.msgs.length < MAX_MESSAGES; ) {
      const m: Msg = { start: p, flags: 0, msgType: -1, length: 0, seqAt: -1, ies: [] };
      d.msgs.push(m);
      if (end - p < 4) {
        l.short('PFCP header', p, p + 4, ctx.snapCut(buf, p + 4));
        break;
      }
      m.flags = buf[p];
      m.msgType = buf[p + 1];
      m.length = u16(buf, p + 2);
      const hdr = m.flags & 1 ? 16 : 8;
      if (end - p < hdr) {
        l.short('PFCP header', p, p + hdr, ctx.snapCut(buf, p + hdr));
        break;
      }
      m.seqAt = p + hdr - 4;
      let msgEnd = p + 4 + m.length;
      if (msgEnd > end) {
        l.problem(ctx.snapCut(buf, msgEnd) ? 'truncated' : 'malformed', `PFCP length ${m.length} runs past the end of the datagram`, p + 2, p + 4);
        msgEnd = end;
      }
      m.ies = readIes(l, p + hdr, msgEnd, 0);
      // bytes after the message: another message (tshark reads on, whatever the Follow On flag says)
      p = Math.max(msgEnd, p + hdr);
    }
    return l;
  },

  fields(l) {
    const msgs = l.d.msgs;
    if (msgs.length === 0) return [];
    const out = msgFields(l, msgs[0]);
    // each further message is an item of its own, as tshark shows it
    for (let i = 1; i < msgs.length; i++) out.push(fText(pfcp.name, msgs[i].start, (i + 1 < msgs.length ? msgs[i + 1].start : l.end) - msgs[i].start, msgFields(l, msgs[i])));
    return out;
  },

  info(l) {
    // tshark sets Info per message: the last one's type shows
    const last = l.d.msgs[l.d.msgs.length - 1];
    if (last === undefined || last.msgType < 0) return 'PFCP';
    return MESSAGES[last.msgType] ?? 'Unknown';
  },
};
