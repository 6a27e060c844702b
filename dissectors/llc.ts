// IEEE 802.2 Logical-Link Control, minimal: DSAP, SSAP, control field (U frames 1 byte; I and
// S frames 2 bytes, read little-endian as Wireshark does), and SNAP (DSAP = SSAP = 0xAA, UI):
// OUI + protocol id. Reached through table 'llc' (key 0) from 802.3 length frames and SLL
// protocol 0x0004.
// Next: SNAP with OUI 00:00:00 or 00:00:f8 → 'ethertype' table (key = PID, llc.type);
// other SNAP → 'llc.snap' (key = OUI * 65536 + PID); plain LLC → 'llc.dsap' (key = DSAP).

import { fBits, fBool, fHex, fUint, hexN, u16le, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';
import { fEtype } from './link-common.js';

export interface LlcD {
  ok: boolean;
  dsap: number;
  ssap: number;
  /** Control field value (1 byte for U frames, 2 bytes little-endian for I and S frames). */
  ctrl: number;
  ctrlLen: number;
  /** SNAP OUI and PID; oui -1 when not SNAP (or short). */
  oui: number;
  pid: number;
}

const SAP_NAMES: Record<number, string> = {
  0x00: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management Individual', 0x03: 'LLC Sub-Layer Management Group',
  0x04: 'SNA Path Control Individual', 0x05: 'SNA Path Control Group', 0x06: 'TCP/IP', 0x08: 'SNA', 0x0c: 'SNA',
  0x0e: 'PROWAY Network Management and Initialization', 0x18: 'Texas Instruments', 0x42: 'Spanning Tree BPDU',
  0x4e: 'EIA RS-511 Manufacturing Message Service', 0x5e: 'ISI IP', 0x7e: 'ISO 8208 (X.25 over 802.2)',
  0x80: 'XNS', 0x86: 'Nestar', 0x8e: 'PROWAY Active Station List Maintenance', 0x98: 'ARP', 0xaa: 'SNAP',
  0xba: 'Banyan VINES', 0xbc: 'Banyan VINES', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management',
  0xf5: 'HP Extended LLC', 0xf8: 'Remote Program Load', 0xfa: 'Ungermann-Bass', 0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

/** U-frame function by control byte without the P/F bit: [short name, modifier name]. */
const U_FUNCS: Record<number, [string, string]> = {
  0x03: ['UI', 'Unnumbered Information'], 0x63: ['UA', 'Unnumbered Acknowledge'], 0x43: ['DISC', 'Disconnect'],
  0x0f: ['DM', 'Disconnected Mode'], 0x6f: ['SABME', 'Set Asynchronous Balanced Mode Extended'],
  0x87: ['FRMR', 'Frame reject'], 0xaf: ['XID', 'Exchange identification'], 0xe3: ['TEST', 'Test'],
};
const S_FUNCS = ['RR', 'RNR', 'REJ', 'unknown'];
const S_NAMES = ['Receiver ready', 'Receiver not ready', 'Reject', 'Unknown'];

const OUI_NAMES: Record<number, string> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x00000c: 'Cisco Systems, Inc',
  0x0000f8: 'Cisco 90-Compatible',
  0x080007: 'Apple Computer',
};

const ouiColon = (o: number) => {
  const h = o.toString(16).padStart(6, '0');
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
};

/** Control field summary as tshark writes it: "U, func=UI", "I, N(R)=9, N(S)=5", "S, func=RR, N(R)=9". */
function ctrlSummary(d: LlcD): string {
  const resp = (d.ssap & 1) === 1;
  if (d.ctrlLen === 1) {
    const pf = (d.ctrl & 0x10) !== 0 ? (resp ? ' F' : ' P') : '';
    const fn = U_FUNCS[d.ctrl & 0xef];
    return `U${pf}, func=${fn ? fn[0] : 'Unknown'}`;
  }
  const pf = (d.ctrl & 0x100) !== 0 ? (resp ? ' F' : ' P') : '';
  const nr = d.ctrl >> 9;
  if ((d.ctrl & 1) === 0) return `I${pf}, N(R)=${nr}, N(S)=${(d.ctrl >> 1) & 0x7f}`;
  return `S${pf}, func=${S_FUNCS[(d.ctrl >> 2) & 3]}, N(R)=${nr}`;
}

export const llc: Dissector<LlcD> = {
  proto: 'llc',
  name: 'Logical-Link Control',
  fieldKeys: [
    'llc.dsap', 'llc.dsap.sap', 'llc.dsap.ig', 'llc.ssap', 'llc.ssap.sap', 'llc.ssap.cr', 'llc.control',
    'llc.control.n_r', 'llc.control.n_s', 'llc.control.p', 'llc.control.f', 'llc.control.s_ftype',
    'llc.control.u_modifier_cmd', 'llc.control.u_modifier_resp', 'llc.control.ftype', 'llc.oui', 'llc.pid',
    'llc.type', 'llc.cisco_pid',
  ],
  registers: [{ table: 'llc', key: 0 }],
  dissect(buf, start, end, ctx) {
    const d: LlcD = { ok: false, dsap: 0, ssap: 0, ctrl: 0, ctrlLen: 0, oui: -1, pid: 0 };
    const l = new Layer<LlcD>(llc, buf, start, end, d);
    if (end - start < 3) {
      l.short('LLC header', start, 3, ctx.snapCut(buf, start + 3));
      return l;
    }
    d.dsap = buf[start];
    d.ssap = buf[start + 1];
    const c0 = buf[start + 2];
    if ((c0 & 3) === 3) {
      d.ctrl = c0;
      d.ctrlLen = 1;
    } else {
      if (end - start < 4) {
        l.short('LLC control field', start + 2, 2, ctx.snapCut(buf, start + 4));
        return l;
      }
      d.ctrl = u16le(buf, start + 2);
      d.ctrlLen = 2;
    }
    d.ok = true;
    const hdr = start + 2 + d.ctrlLen;
    if (d.dsap === 0xaa && d.ssap === 0xaa && d.ctrlLen === 1 && (d.ctrl & 0xef) === 0x03) {
      if (end - hdr < 5) {
        l.short('SNAP header', hdr, 5, ctx.snapCut(buf, hdr + 5));
        return l;
      }
      d.oui = (buf[hdr] << 16) | (buf[hdr + 1] << 8) | buf[hdr + 2];
      d.pid = u16(buf, hdr + 3);
      if (d.oui === 0 || d.oui === 0xf8) l.next = { table: 'ethertype', key: d.pid, start: hdr + 5, end };
      else l.next = { table: 'llc.snap', key: d.oui * 65536 + d.pid, start: hdr + 5, end };
    } else if (d.ctrlLen === 1 && (d.ctrl & 0xef) === 0xaf && hdr < end && buf[hdr] === 0x81) {
      // an XID frame in the basic format: its information field is the XID's, whatever the SAPs
      l.next = { table: 'llc.xid', key: 0x81, start: hdr, end };
    } else {
      l.next = { table: 'llc.dsap', key: d.dsap, start: hdr, end };
    }
    return l;
  },
  fields(l) {
    const d = l.d;
    if (!d.ok) return [];
    const s = l.start;
    const resp = (d.ssap & 1) === 1;
    const sapName = (v: number) => SAP_NAMES[v] ?? 'Unknown';
    const dsap = fHex('llc.dsap', 'DSAP', d.dsap, s, 1);
    dsap.text = `DSAP: ${sapName(d.dsap)} (${hexN(d.dsap, 2)})`;
    const dsapSap = fBits('llc.dsap.sap', 'SAP', d.dsap >> 1, s, 1, 0xfe);
    dsapSap.text = `SAP: ${sapName(d.dsap & 0xfe)}`;
    const ig = fBool('llc.dsap.ig', 'IG Bit', (d.dsap & 1) === 1, s, 1, 0x01);
    ig.text = `IG Bit: ${d.dsap & 1 ? 'Group' : 'Individual'}`;
    dsap.children = [dsapSap, ig];
    const ssap = fHex('llc.ssap', 'SSAP', d.ssap, s + 1, 1);
    ssap.text = `SSAP: ${sapName(d.ssap)} (${hexN(d.ssap, 2)})`;
    const ssapSap = fBits('llc.ssap.sap', 'SAP', d.ssap >> 1, s + 1, 1, 0xfe);
    ssapSap.text = `SAP: ${sapName(d.ssap & 0xfe)}`;
    const cr = fBool('llc.ssap.cr', 'CR Bit', resp, s + 1, 1, 0x01);
    cr.text = `CR Bit: ${resp ? 'Response' : 'Command'}`;
    ssap.children = [ssapSap, cr];
    const out: Field[] = [dsap, ssap];

    const ctrl = fHex('llc.control', 'Control', d.ctrl, s + 2, d.ctrlLen, 4);
    ctrl.text = `Control field: ${ctrlSummary(d)} (0x${d.ctrl.toString(16).toUpperCase().padStart(d.ctrlLen * 2, '0')})`;
    const kids: Field[] = [];
    if (d.ctrlLen === 1) {
      const mod = (d.ctrl & 0xec) >> 2;
      const fn = U_FUNCS[d.ctrl & 0xef];
      const m = fHex(resp ? 'llc.control.u_modifier_resp' : 'llc.control.u_modifier_cmd', resp ? 'Response' : 'Command', mod, s + 2, 1);
      m.mask = 0xec;
      m.text = `${resp ? 'Response' : 'Command'}: ${fn ? fn[1] : 'Unknown'} (${hexN(mod, 2)})`;
      const ft = fHex('llc.control.ftype', 'Frame type', 3, s + 2, 1);
      ft.mask = 0x03;
      ft.text = 'Frame type: Unnumbered frame (0x3)';
      kids.push(m, ft);
    } else {
      const nr = fBits('llc.control.n_r', 'N(R)', d.ctrl >> 9, s + 2, 2, 0xfe00);
      kids.push(nr);
      if ((d.ctrl & 1) === 0) {
        kids.push(fBits('llc.control.n_s', 'N(S)', (d.ctrl >> 1) & 0x7f, s + 2, 2, 0x00fe));
        const ft = fHex('llc.control.ftype', 'Frame type', 0, s + 2, 2);
        ft.mask = 0x0001;
        ft.text = 'Frame type: Information frame (0x0)';
        kids.push(ft);
      } else {
        const st = (d.ctrl >> 2) & 3;
        const sf = fHex('llc.control.s_ftype', 'Supervisory frame type', st, s + 2, 2);
        sf.mask = 0x000c;
        sf.text = `Supervisory frame type: ${S_NAMES[st]} (0x${st})`;
        const ft = fHex('llc.control.ftype', 'Frame type', 1, s + 2, 2);
        ft.mask = 0x0003;
        ft.text = 'Frame type: Supervisory frame (0x1)';
        kids.push(sf, ft);
      }
    }
    ctrl.children = kids;
    out.push(ctrl);
    if (d.oui >= 0) {
      const at = s + 3;
      const o = fUint('llc.oui', 'Organization Code', d.oui, at, 3);
      o.text = `Organization Code: ${ouiColon(d.oui)}${OUI_NAMES[d.oui] ? ` (${OUI_NAMES[d.oui]})` : ''}`;
      out.push(o);
      if (d.oui === 0 || d.oui === 0xf8) out.push(fEtype('llc.type', d.pid, at + 3));
      else {
        const p = fHex(d.oui === 0x0c ? 'llc.cisco_pid' : 'llc.pid', d.oui === 0x0c ? 'PID' : 'Protocol ID', d.pid, at + 3, 2);
        out.push(p);
      }
    }
    return out;
  },
  column: () => 'LLC',
  info(l) {
    const d = l.d;
    if (!d.ok) return null;
    const c = ctrlSummary(d);
    if (d.oui >= 0) {
      const name = OUI_NAMES[d.oui] ?? 'Unknown';
      return `${c}; SNAP, OUI 0x${d.oui.toString(16).toUpperCase().padStart(6, '0')} (${name}), PID 0x${d.pid.toString(16).toUpperCase().padStart(4, '0')}`;
    }
    const sap = (v: number) => SAP_NAMES[v & 0xfe] ?? `0x${hexN(v & 0xfe, 2).slice(2)}`;
    return `${c}; DSAP ${sap(d.dsap)} ${d.dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sap(d.ssap)} ${d.ssap & 1 ? 'Response' : 'Command'}`;
  },
};
