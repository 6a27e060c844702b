// LLDP (IEEE 802.1AB) on ethertype 0x88cc, as tshark 4.0 shows it: the TLVs in order, each a subtree
// with its 7-bit type and 9-bit length drawn over the two header bytes: Chassis ID and Port ID (MAC,
// network address, names), Time To Live, Port / System Description, System Name, System Capabilities
// (capable and enabled bits), Management Address (IPv4, IPv6 or bytes, interface, OID), End; the
// organisation-specific TLVs of IEEE 802.1 (Port VLAN ID, VLAN Name) and IEEE 802.3 (MAC/PHY
// configuration, Maximum Frame Size) decoded, those of other OUIs or subtypes as subtype and bytes.
// Info is tshark's: "MA/00:11:22:33:44:55 IN/Gi0/1 120 SysN=switch1 SysD=… " (chassis and port ID
// with a two-letter subtype code, TTL, system name and description, each with a trailing space).
// A TLV whose length runs past the frame ends dissection where tshark's read throws.

import { bitsText, fBool, fBytes, fHex, fIPv4, fIPv6, fMAC, fmtIPv4, fmtIPv6, fmtMAC, fStr, fText, fUint, hexN, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const TLV_NAMES: Record<number, string> = {
  0: 'End of LLDPDU', 1: 'Chassis Id', 2: 'Port Id', 3: 'Time to Live', 4: 'Port Description', 5: 'System Name',
  6: 'System Description', 7: 'System Capabilities', 8: 'Management Address', 127: 'Organization Specific',
};
const CHASSIS_SUB = ['Reserved', 'Chassis component', 'Interface alias', 'Port component', 'MAC address', 'Network address', 'Interface name', 'Locally assigned'];
const PORT_SUB = ['Reserved', 'Interface alias', 'Port component', 'MAC address', 'Network address', 'Interface name', 'Agent circuit Id', 'Locally assigned'];
/** tshark's two-letter codes in Info. */
const CHASSIS_CODE = ['', 'CC', 'IA', 'PC', 'MA', 'NA', 'IN', 'LA'];
const PORT_CODE = ['', 'IA', 'PC', 'MA', 'NA', 'IN', 'AC', 'LA'];
const AFI: Record<number, string> = { 1: 'IPv4', 2: 'IPv6', 6: '802 (includes all 802 media plus Ethernet)' };
const IF_SUB: Record<number, string> = { 1: 'Unknown', 2: 'ifIndex', 3: 'System port number' };
const CAPS = [
  ['other', 'Other'], ['repeater', 'Repeater'], ['bridge', 'Bridge'], ['wlan_access_pt', 'WLAN access point'], ['router', 'Router'],
  ['telephone', 'Telephone'], ['docsis_cable_device', 'DOCSIS cable device'], ['station_only', 'Station only'],
] as const;
const DOT1_SUB: Record<number, string> = { 1: 'Port VLAN ID', 2: 'Port and Protocol VLAN ID', 3: 'VLAN Name', 4: 'Protocol Identity', 5: 'VID Usage Digest', 6: 'Management VID', 7: 'Link Aggregation' };
const DOT3_SUB: Record<number, string> = { 1: 'MAC/PHY Configuration/Status', 2: 'Power Via MDI', 3: 'Link Aggregation', 4: 'Maximum Frame Size' };
/** PMD auto-negotiation capability bits, least significant first (IANA ifMauAutoNegCapAdvertisedBits as tshark lists them). */
const PMD_BITS = [
  ['1000base_tfd', '1000BASE-T (full duplex mode)'], ['1000base_t', '1000BASE-T (half duplex mode)'],
  ['1000base_xfd', '1000BASE-X (-LX, -SX, -CX full duplex mode)'], ['1000base_x', '1000BASE-X (-LX, -SX, -CX half duplex mode)'],
  ['fdx_bpause', 'Asymmetric and Symmetric PAUSE (for full-duplex links)'], ['fdx_spause', 'Symmetric PAUSE (for full-duplex links)'],
  ['fdx_apause', 'Asymmetric PAUSE (for full-duplex links)'], ['fdx_pause', 'PAUSE (for full-duplex links)'],
  ['100base_t2fd', '100BASE-T2 (full duplex mode)'], ['100base_t2', '100BASE-T2 (half duplex mode)'],
  ['100base_txfd', '100BASE-TX (full duplex mode)'], ['100base_tx', '100BASE-TX (half duplex mode)'], ['100base_t4', '100BASE-T4'],
  ['10base_tfd', '10BASE-T (full duplex mode)'], ['10base_t', '10BASE-T (half duplex mode)'], ['other', 'Other or unknown'],
] as const;
/** A few operational MAU types (RFC 4836 dot3MauType) as tshark names them. */
const MAU: Record<number, string> = {
  0x0010: '100BaseTXHD - 2 pair category 5 UTP, half duplex mode', 0x0011: '100BaseTXFD - 2 pair category 5 UTP, full duplex mode',
  0x001d: '1000BaseTHD - Four-pair Category 5 UTP, half duplex mode', 0x001e: '1000BaseTFD - Four-pair Category 5 UTP, full duplex mode',
  0x000f: '10BaseTFD - UTP MAU, full duplex mode', 0x000e: '10BaseTHD - UTP MAU, half duplex mode',
};

/** TLVs per LLDPDU, at most (a bound for hostile input; a frame holds ~750 empty TLVs). */
const MAX_TLVS = 1024;

export interface LldpD {
  info: string;
}

/** "0000 001. .... ...." over a 16-bit header under `mask`. */
const ouiText = (o: number) => {
  const h = o.toString(16).padStart(6, '0');
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
};

/** Walks the TLVs; with `out` it builds the tree, without it only Info and problems. */
function walk(l: Layer<LldpD>, out: Field[] | null, snapCut: ((at: number) => boolean) | null): string {
  const b = l.buf;
  const end = l.end;
  let info = '';
  for (let p = l.start, n = 0; p < end && n < MAX_TLVS; n++) {
    if (end - p < 2) {
      if (snapCut) l.short('LLDP TLV header', p, 2, snapCut(p + 2));
      return info;
    }
    const h = u16(b, p);
    const type = h >> 9;
    const len = h & 0x1ff;
    const v = p + 2;
    if (v + len > end) {
      // tshark reads the value before it shows the TLV: nothing of it appears
      if (snapCut) l.short(`LLDP ${TLV_NAMES[type] ?? 'Unknown'} TLV`, v, len, snapCut(v + len));
      return info;
    }
    const e = v + len;
    const tf = fUint('lldp.tlv.type', 'TLV Type', type, p, 2);
    tf.text = `${bitsText(h, 0xfe00, 16)} = TLV Type: ${TLV_NAMES[type] ?? 'Unknown'} (${type})`;
    const lf = fUint('lldp.tlv.len', 'TLV Length', len, p, 2);
    lf.text = `${bitsText(h, 0x01ff, 16)} = TLV Length: ${len}`;
    const kids: Field[] = [tf, lf];
    let title = TLV_NAMES[type] ?? 'Unknown TLV';
    if (type === 1 || type === 2) {
      const chassis = type === 1;
      const sub = len > 0 ? b[v] : 0;
      const subNames = chassis ? CHASSIS_SUB : PORT_SUB;
      const what = chassis ? 'Chassis' : 'Port';
      const sf = fUint(chassis ? 'lldp.chassis.subtype' : 'lldp.port.subtype', `${what} Id Subtype`, sub, v, 1);
      sf.text = `${what} Id Subtype: ${subNames[sub] ?? 'Reserved'} (${sub})`;
      kids.push(sf);
      let idText = '';
      const macSub = chassis ? 4 : 3;
      const netSub = chassis ? 5 : 4;
      if (len >= 2) {
        if (sub === macSub && len === 7) {
          idText = fmtMAC(b, v + 1);
          kids.push(fMAC(chassis ? 'lldp.chassis.id.mac' : 'lldp.port.id.mac', `${what} Id`, b, v + 1));
        } else if (sub === netSub && len >= 2) {
          const afi = b[v + 1];
          const af = fUint('lldp.network_address.subtype', 'Network Address family', afi, v + 1, 1);
          af.text = `Network Address family: ${AFI[afi] ?? 'Unknown'} (${afi})`;
          kids.push(af);
          if (afi === 1 && len === 6) {
            idText = fmtIPv4(b, v + 2);
            kids.push(fIPv4(chassis ? 'lldp.chassis.id.ip4' : 'lldp.port.id.ip4', `${what} Id`, b, v + 2));
          } else if (afi === 2 && len === 18) {
            idText = fmtIPv6(b, v + 2);
            kids.push(fIPv6(chassis ? 'lldp.chassis.id.ip6' : 'lldp.port.id.ip6', `${what} Id`, b, v + 2));
          } else if (len > 2) {
            idText = latin1Text(b, v + 2, e);
            kids.push(chassis ? fBytes('lldp.chassis.id', 'Chassis Id', b, v + 2, e) : fStr('lldp.port.id', 'Port Id', idText, v + 2, len - 2));
          }
        } else {
          idText = latin1Text(b, v + 1, e);
          kids.push(chassis ? fBytes('lldp.chassis.id', 'Chassis Id', b, v + 1, e) : fStr('lldp.port.id', 'Port Id', idText, v + 1, len - 1));
        }
      }
      title = `${what} Subtype = ${subNames[sub] ?? 'Reserved'}, Id: ${idText}`;
      info += `${(chassis ? CHASSIS_CODE : PORT_CODE)[sub] ?? ''}/${idText} `;
    } else if (type === 3) {
      if (len >= 2) {
        const ttl = u16(b, v);
        kids.push(fUint('lldp.time_to_live', 'Seconds', ttl, v, 2));
        title = `Time To Live = ${ttl} sec`;
        info += `${ttl} `;
      }
    } else if (type === 4 || type === 5 || type === 6) {
      const key = type === 4 ? 'lldp.port.desc' : type === 5 ? 'lldp.tlv.system.name' : 'lldp.tlv.system.desc';
      const label = TLV_NAMES[type];
      const text = latin1Text(b, v, e);
      kids.push(fStr(key, label, text, v, len));
      title = `${label} = ${text}`;
      if (type === 5) info += `SysN=${text} `;
      if (type === 6) info += `SysD=${text} `;
    } else if (type === 7) {
      title = 'Capabilities';
      if (len >= 4) {
        for (const [base, label, at] of [['lldp.tlv.system_cap', 'Capabilities', v], ['lldp.tlv.enable_system_cap', 'Enabled Capabilities', v + 2]] as const) {
          const c = u16(b, at);
          const f = fHex(base, label, c, at, 2);
          f.children = CAPS.map(([k, name], i) => {
            const x = fBool(`${base}.${k}`, name, (c & (1 << i)) !== 0, at, 2, 1 << i);
            x.text = `${bitsText(c, 1 << i, 16)} = ${name}: ${c & (1 << i) ? 'Capable' : 'Not capable'}`;
            return x;
          });
          kids.push(f);
        }
      }
    } else if (type === 8) {
      mgmt(b, v, e, kids, l, snapCut !== null);
    } else if (type === 127) {
      title = org(b, v, e, kids);
    } else if (type !== 0) {
      title = 'Unknown TLV';
    }
    if (out !== null) out.push(fText(title, p, 2 + len, kids));
    p = e;
    if (type === 0) break;
  }
  return info;
}

function mgmt(b: Uint8Array, v: number, e: number, kids: Field[], l: Layer<LldpD>, report: boolean): void {
  if (e - v < 2) return;
  const alen = b[v];
  kids.push(fUint('lldp.mgn.address.len', 'Address String Length', alen, v, 1));
  const st = b[v + 1];
  const sf = fUint('lldp.mgn.address.subtype', 'Address Subtype', st, v + 1, 1);
  sf.text = `Address Subtype: ${AFI[st] ?? 'Unknown'} (${st})`;
  kids.push(sf);
  const a = v + 2;
  const aEnd = v + 1 + alen;
  if (alen < 1 || aEnd > e) {
    if (report) l.problem('malformed', `Management Address: address length ${alen} runs past the TLV`, v, v + 1);
    return;
  }
  if (st === 1 && alen === 5) kids.push(fIPv4('lldp.mgn.addr.ip4', 'Management Address', b, a));
  else if (st === 2 && alen === 17) kids.push(fIPv6('lldp.mgn.addr.ip6', 'Management Address', b, a));
  else if (aEnd > a) kids.push(fBytes('lldp.mgn.addr.hex', 'Management Address', b, a, aEnd));
  if (e - aEnd < 6) return;
  const is = b[aEnd];
  const isf = fUint('lldp.mgn.interface.subtype', 'Interface Subtype', is, aEnd, 1);
  isf.text = `Interface Subtype: ${IF_SUB[is] ?? 'Unknown'} (${is})`;
  kids.push(isf, fUint('lldp.mgn.interface.number', 'Interface Number', u32(b, aEnd + 1), aEnd + 1, 4));
  const olen = b[aEnd + 5];
  kids.push(fUint('lldp.mgn.obj.len', 'OID String Length', olen, aEnd + 5, 1));
  const o = aEnd + 6;
  if (olen > 0 && o + olen <= e) {
    const oid = oidText(b, o, o + olen);
    const f = fStr('lldp.mgn.obj.id', 'Object Identifier', oid, o, olen);
    f.text = `Object Identifier: ${oid}${oid.startsWith('1.') ? ` (iso${oid.slice(1)})` : ''}`;
    kids.push(f);
  }
}

/** BER-encoded OID bytes as dotted text. */
function oidText(b: Uint8Array, s: number, e: number): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = s; i < e; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** An organisation-specific TLV: its subtree title, the OUI and subtype, the decoded value. */
function org(b: Uint8Array, v: number, e: number, kids: Field[]): string {
  if (e - v < 4) return 'Organization Specific';
  const oui = (b[v] << 16) | (b[v + 1] << 8) | b[v + 2];
  const sub = b[v + 3];
  const of = fUint('lldp.orgtlv.oui', 'Organization Unique Code', oui, v, 3);
  const ouiName = oui === 0x0080c2 ? 'IEEE' : oui === 0x00120f ? 'Ieee 802.3' : null;
  of.text = `Organization Unique Code: ${ouiText(oui)}${ouiName ? ` (${ouiName})` : ''}`;
  kids.push(of);
  const d = v + 4;
  if (oui === 0x0080c2) {
    const sf = fHex('lldp.ieee.802_1.subtype', 'IEEE 802.1 Subtype', sub, v + 3, 1);
    sf.text = `IEEE 802.1 Subtype: ${DOT1_SUB[sub] ?? 'Unknown'} (${sf.show})`;
    kids.push(sf);
    if (sub === 1 && e - d >= 2) {
      const f = fUint('lldp.ieee.802_1.port_vlan.id', 'Port VLAN Identifier', u16(b, d), d, 2);
      f.text = `Port VLAN Identifier: ${f.show} (${hexN(u16(b, d), 4)})`;
      kids.push(f);
    } else if (sub === 3 && e - d >= 3) {
      const f = fUint('lldp.ieee.802_1.vlan.id', 'VLAN Identifier', u16(b, d), d, 2);
      f.text = `VLAN Identifier: ${f.show} (${hexN(u16(b, d), 4)})`;
      const nl = b[d + 2];
      kids.push(f, fUint('lldp.ieee.802_1.vlan.name_len', 'VLAN Name Length', nl, d + 2, 1));
      if (d + 3 + nl <= e) kids.push(fStr('lldp.ieee.802_1.vlan.name', 'VLAN Name', latin1Text(b, d + 3, d + 3 + nl).replace(/\0.*$/s, ''), d + 3, nl));
    } else if (e > d) kids.push(fText(`Value: ${hexOf(b, d, e)}`, d, e - d));
    return `IEEE - ${DOT1_SUB[sub] ?? 'Unknown'}`;
  }
  if (oui === 0x00120f) {
    const sf = fHex('lldp.ieee.802_3.subtype', 'IEEE 802.3 Subtype', sub, v + 3, 1);
    sf.text = `IEEE 802.3 Subtype: ${DOT3_SUB[sub] ?? 'Unknown'} (${sf.show})`;
    kids.push(sf);
    if (sub === 1 && e - d >= 5) {
      const an = b[d];
      const af = fHex('lldp.ieee.802_3.mac_phy_auto_neg_status', 'Auto-Negotiation Support/Status', an, d, 1);
      const s1 = fBool('lldp.ieee.802_3.mac_phy_auto_neg_status.supported', 'Auto-Negotiation', (an & 1) !== 0, d, 1, 0x01);
      s1.text = `${bitsText(an, 0x01, 8)} = Auto-Negotiation: ${an & 1 ? 'Supported' : 'Not supported'}`;
      const s2 = fBool('lldp.ieee.802_3.mac_phy_auto_neg_status.enabled', 'Auto-Negotiation', (an & 2) !== 0, d, 1, 0x02);
      s2.text = `${bitsText(an, 0x02, 8)} = Auto-Negotiation: ${an & 2 ? 'Enabled' : 'Not enabled'}`;
      af.children = [s1, s2];
      const caps = u16(b, d + 1);
      const cf = fHex('lldp.ieee.802_3.pmd_auto_neg_advertised_caps', 'PMD Auto-Negotiation Advertised Capability', caps, d + 1, 2);
      cf.children = PMD_BITS.map(([k, name], i) => {
        const x = fBool(`lldp.ieee.802_3.pmd_auto_neg_advertised_caps.${k}`, name, (caps & (1 << i)) !== 0, d + 1, 2, 1 << i);
        x.text = `${bitsText(caps, 1 << i, 16)} = ${name}: ${caps & (1 << i) ? 'Capable' : 'Not capable'}`;
        return x;
      });
      // tshark also reads the bits the other way round (some devices send them so)
      const inv = fText('Same in inverse (wrong) bitorder', d + 1, 2, PMD_BITS.map(([k, name], i) => {
        const m = 1 << (15 - i);
        const x = fBool(`lldp.ieee.802_3.pmd_auto_neg_advertised_caps_inv.${k}`, name, (caps & m) !== 0, d + 1, 2, m);
        x.text = `${bitsText(caps, m, 16)} = ${name}: ${caps & m ? 'Capable' : 'Not capable'}`;
        return x;
      }));
      const mau = u16(b, d + 3);
      const mf = fHex('lldp.ieee.802_3.pmd_mau_type', 'Operational MAU Type', mau, d + 3, 2);
      mf.text = `Operational MAU Type: ${MAU[mau] ?? 'Unknown'} (${mf.show})`;
      kids.push(af, cf, inv, mf);
    } else if (sub === 4 && e - d >= 2) {
      kids.push(fUint('lldp.ieee.802_3.max_frame_size', 'Maximum Frame Size', u16(b, d), d, 2));
    } else if (e > d) kids.push(fText(`Value: ${hexOf(b, d, e)}`, d, e - d));
    return `Ieee 802.3 - ${DOT3_SUB[sub] ?? 'Unknown'}`;
  }
  kids.push(fUint('lldp.unknown_subtype', 'Unknown Subtype', sub, v + 3, 1));
  if (e > d) kids.push(fBytes('lldp.unknown_subtype.content', 'Unknown Subtype Content', b, d, e));
  return `Unknown - Unknown (${sub})`;
}

function hexOf(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i < e; i++) t += b[i].toString(16).padStart(2, '0');
  return t;
}

export const lldp: Dissector<LldpD> = {
  proto: 'lldp',
  name: 'Link Layer Discovery Protocol',
  fieldKeys: [
    'lldp.tlv.type', 'lldp.tlv.len', 'lldp.chassis.subtype', 'lldp.chassis.id', 'lldp.chassis.id.mac', 'lldp.chassis.id.ip4',
    'lldp.chassis.id.ip6', 'lldp.network_address.subtype', 'lldp.port.subtype', 'lldp.port.id', 'lldp.port.id.mac',
    'lldp.port.id.ip4', 'lldp.port.id.ip6', 'lldp.time_to_live', 'lldp.port.desc', 'lldp.tlv.system.name', 'lldp.tlv.system.desc',
    'lldp.tlv.system_cap', 'lldp.tlv.enable_system_cap',
    ...CAPS.flatMap(([k]) => [`lldp.tlv.system_cap.${k}`, `lldp.tlv.enable_system_cap.${k}`]),
    'lldp.mgn.address.len', 'lldp.mgn.address.subtype', 'lldp.mgn.addr.ip4', 'lldp.mgn.addr.ip6', 'lldp.mgn.addr.hex',
    'lldp.mgn.interface.subtype', 'lldp.mgn.interface.number', 'lldp.mgn.obj.len', 'lldp.mgn.obj.id', 'lldp.orgtlv.oui',
    'lldp.ieee.802_1.subtype', 'lldp.ieee.802_1.port_vlan.id', 'lldp.ieee.802_1.vlan.id', 'lldp.ieee.802_1.vlan.name_len',
    'lldp.ieee.802_1.vlan.name', 'lldp.ieee.802_3.subtype', 'lldp.ieee.802_3.mac_phy_auto_neg_status',
    'lldp.ieee.802_3.mac_phy_auto_neg_status.supported', 'lldp.ieee.802_3.mac_phy_auto_neg_status.enabled',
    'lldp.ieee.802_3.pmd_auto_neg_advertised_caps',
    ...PMD_BITS.flatMap(([k]) => [`lldp.ieee.802_3.pmd_auto_neg_advertised_caps.${k}`, `lldp.ieee.802_3.pmd_auto_neg_advertised_caps_inv.${k}`]),
    'lldp.ieee.802_3.pmd_mau_type', 'lldp.ieee.802_3.max_frame_size', 'lldp.unknown_subtype', 'lldp.unknown_subtype.content',
  ],
  registers: [{ table: 'ethertype', key: 0x88cc }],

  dissect(buf, start, end, ctx) {
    const l = new Layer<LldpD>(lldp, buf, start, end, { info: '' });
    l.d.info = walk(l, null, (at) => ctx.snapCut(buf, at));
    return l;
  },

  fields(l) {
    const out: Field[] = [];
    walk(l, out, null);
    return out;
  },

  info: (l) => l.d.info,
};
