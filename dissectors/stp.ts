// Spanning Tree BPDUs (IEEE 802.1D STP, 802.1w RSTP, 802.1s/802.1Q MSTP) behind LLC DSAP 0x42, and Cisco
// PVST+ behind SNAP (OUI 00:00:0c, PID 0x010b), as tshark 4.0 shows them: protocol identifier, version,
// BPDU type; for configuration and RST/MST BPDUs the flags (a configuration BPDU has only TC and TCA),
// root and bridge identifiers (priority / system ID extension / MAC), root path cost, port, the four
// timers in seconds; the version 1 length of RST/MST BPDUs; MSTP's MST extension (configuration ID,
// CIST internal root path cost, CIST bridge, remaining hops and the MSTI records); PVST+'s originating
// VLAN TLV. The Protocol column is "STP" for all of them, as in tshark; Info "Conf. …", "RST. …",
// "MST. …" with "TC + " when the TC flag is set, "Topology Change Notification", "Unknown BPDU type (n)".
//
// Where tshark's reads throw, the layer gets a problem that reaches its end (Info "[Malformed Packet]",
// directly after the text as tshark writes it); tshark reads the values Info needs before it builds its
// tree, so a BPDU cut before the port identifier shows no fields at all.

import { bitsText, fBits, fBool, fBytes, fHex, fMAC, fmtMAC, fStr, fText, fUint, hexN, latin1Text, u16, u32 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

const VERSIONS: Record<number, string> = { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' };
const TYPES: Record<number, string> = { 0x00: 'Configuration', 0x02: 'Rapid/Multiple Spanning Tree', 0x80: 'Topology Change Notification' };
const ROLES = ['Unknown', 'Alternate or Backup', 'Root', 'Designated'];

/** Bytes of a configuration BPDU tshark reads before its tree (for Info: up to the port identifier). */
const INFO_NEED = 27;
const CONFIG_LEN = 35;
/** An MSTP BPDU shows its MST extension only when the BPDU holds at least this much (36 + 2 + 64). */
const MST_MIN = 102;
/** MSTI records per BPDU, at most (802.1Q allows 64; the bound is for lying lengths). */
const MAX_MSTI = 64;

export interface StpD {
  /** BPDU length as tshark sees it (the bytes given to STP). */
  len: number;
  /** true when reached through SNAP as Cisco PVST+. */
  pvst: boolean;
}

/** "32768 / 10 / 4c:5e:0c:3e:c6:dd" (tree) or "32768/10/4c:…" (Info) from a bridge ID at `at`. */
function bridgeText(b: Uint8Array, at: number, sep: string): string {
  const v = u16(b, at);
  return `${v & 0xf000}${sep}${v & 0x0fff}${sep}${fmtMAC(b, at + 2)}`;
}

function bridgeId(b: Uint8Array, at: number, title: string, keyBase: string, labels: [string, string, string]): Field {
  const v = u16(b, at);
  return fText(`${title}: ${bridgeText(b, at, ' / ')}`, at, 8, [
    fUint(`${keyBase}.prio`, labels[0], v & 0xf000, at, 2),
    fUint(`${keyBase}.ext`, labels[1], v & 0x0fff, at, 2),
    fMAC(`${keyBase}.hw`, labels[2], b, at + 2),
  ]);
}

/** The flags byte: a configuration BPDU shows only TCA and TC, an RST/MST one (and an MSTI record) all. */
function flagsField(key: string, label: string, keyBase: string, fl: number, at: number, rst: boolean): Field {
  const f = fHex(key, label, fl, at, 1);
  const names: string[] = [];
  const yes = (v: boolean) => (v ? 'Yes' : 'No');
  const bit = (k: string, name: string, mask: number) => {
    if (fl & mask) names.push(name);
    return fBool(`${keyBase}.${k}`, name, (fl & mask) !== 0, at, 1, mask);
  };
  const kids: Field[] = [];
  const role = (fl >> 2) & 3;
  kids.push(bit('tcack', 'Topology Change Acknowledgment', 0x80));
  if (rst) {
    kids.push(bit('agreement', 'Agreement', 0x40), bit('forwarding', 'Forwarding', 0x20), bit('learning', 'Learning', 0x10));
    const r = fBits(`${keyBase}.port_role`, 'Port Role', role, at, 1, 0x0c);
    names.push(`Port Role: ${ROLES[role]}`);
    kids.push(r);
    kids.push(bit('proposal', 'Proposal', 0x02));
  }
  kids.push(bit('tc', 'Topology Change', 0x01));
  // tree lines say Yes/No and name the role
  for (const k of kids) {
    const bits = bitsText(fl, k.mask ?? 0, 8);
    k.text = k.key.endsWith('.port_role') ? `${bits} = Port Role: ${ROLES[role]} (${role})` : `${bits} = ${k.label}: ${yes(k.show === '1')}`;
  }
  f.text = `${label}: ${f.show}${names.length > 0 ? ', ' + names.join(', ') : ''}`;
  f.children = kids;
  return f;
}

/** ".... 11.." for one byte under a mask. */
/** Seconds in 1/256 units, as tshark's FT_DOUBLE prints them. */
function timer(key: string, label: string, b: Uint8Array, at: number): Field {
  const v = u16(b, at) / 256;
  const f = fUint(key, label, 0, at, 2);
  f.value = v;
  f.show = String(v);
  return f;
}

/** What fields() and dissect() both need: how far the BPDU goes and where tshark's reads throw. */
interface Plan {
  /** Config part (0..35) present up to here. */
  cut: number;
  mst: boolean;
  /** MSTI records that fit; `mstiCut` true when tshark would read one more and throw. */
  mstis: number;
  mstiCut: boolean;
}

function plan(b: Uint8Array, s: number, len: number): Plan {
  const p: Plan = { cut: len, mst: false, mstis: 0, mstiCut: false };
  if (len < 4) return p;
  const version = b[s + 2];
  const type = b[s + 3];
  if (type === 0x02 && version >= 3 && len >= MST_MIN) {
    p.mst = true;
    const v3 = u16(b, s + 36);
    // a version 3 length below its fixed part: tshark's count of MSTI records goes negative and it reads on
    let want = v3 >= 64 ? Math.floor((v3 - 64) / 16) : Infinity;
    let at = s + MST_MIN;
    while (want > 0 && p.mstis < MAX_MSTI) {
      if (s + len - at < 16) {
        p.mstiCut = true;
        break;
      }
      p.mstis++;
      want--;
      at += 16;
    }
  }
  return p;
}

export const stp: Dissector<StpD> = {
  proto: 'stp',
  name: 'Spanning Tree Protocol',
  fieldKeys: [
    'stp.protocol', 'stp.version', 'stp.type', 'stp.flags', 'stp.flags.tcack', 'stp.flags.agreement', 'stp.flags.forwarding',
    'stp.flags.learning', 'stp.flags.port_role', 'stp.flags.proposal', 'stp.flags.tc', 'stp.root.prio', 'stp.root.ext',
    'stp.root.hw', 'stp.root.cost', 'stp.bridge.prio', 'stp.bridge.ext', 'stp.bridge.hw', 'stp.port', 'stp.msg_age',
    'stp.max_age', 'stp.hello', 'stp.forward', 'stp.version_1_length', 'mstp.version_3_length', 'mstp.config_format_selector',
    'mstp.config_name', 'mstp.config_revision_level', 'mstp.config_digest', 'mstp.cist_internal_root_path_cost',
    'mstp.cist_bridge.prio', 'mstp.cist_bridge.ext', 'mstp.cist_bridge.hw', 'mstp.cist_remaining_hops', 'mstp.msti.flags',
    'mstp.msti.priority', 'mstp.msti.msti_id', 'mstp.msti.root.hw', 'mstp.msti.root_cost', 'mstp.msti.bridge_priority',
    'mstp.msti.port_priority', 'mstp.msti.remaining_hops', 'stp.pvst.tlvtype', 'stp.pvst.tlvlen', 'stp.pvst.origvlan',
    'stp.pvst.tlvval',
  ],
  registers: [
    { table: 'llc.dsap', key: 0x42 },
    // Cisco PVST+: SNAP OUI 00:00:0c, PID 0x010b
    { table: 'llc.snap', key: 0x00000c * 65536 + 0x010b },
  ],

  dissect(buf, start, end, ctx) {
    const ls = ctx.layers;
    const pvst = ls.length > 0 && ls[ls.length - 1].proto === 'llc' && (ls[ls.length - 1].d as { oui?: number }).oui === 0x0c;
    const l = new Layer<StpD>(stp, buf, start, end, { len: end - start, pvst });
    const len = end - start;
    const cut = (what: string, at: number, need: number) => l.short(`STP ${what}`, at, need, ctx.snapCut(buf, at + need));
    if (len < 4) return cut('BPDU header', start, 4), l;
    const type = buf[start + 3];
    if (type === 0x80) return l;
    if (type !== 0x00 && type !== 0x02) {
      l.problem('unsupported', `Unknown BPDU type (${type})`, start + 3, start + 4);
      return l;
    }
    if (len < CONFIG_LEN) return cut('configuration BPDU', start, CONFIG_LEN), l;
    if (type === 0x02 && len < 36) return cut('version 1 length', start + CONFIG_LEN, 1), l;
    const p = plan(buf, start, len);
    // an MSTP BPDU too short for its MST extension: tshark shows it as an RST BPDU without a word
    if (type === 0x02 && buf[start + 2] >= 3 && !p.mst) l.problem('malformed', `MSTP BPDU of ${len} bytes has no room for its MST extension (${MST_MIN} bytes)`, start + 2, start + 3);
    if (p.mstiCut) return cut('MSTI record', start + MST_MIN + p.mstis * 16, 16), l;
    if (pvst && type === 0x02) {
      // the PVST+ TLVs after the version 1 length (tshark reads type and length of each)
      let at = start + 36;
      for (let n = 0; at < end && n < 64; n++) {
        if (end - at < 4) return cut('PVST+ TLV', at, 4), l;
        const tl = u16(buf, at + 2);
        if (end - at - 4 < tl) return cut('PVST+ TLV', at + 4, tl), l;
        at += 4 + tl;
      }
    }
    return l;
  },

  fields(l) {
    const b = l.buf;
    const s = l.start;
    const len = l.end - s;
    const out: Field[] = [];
    if (len < 4) return out;
    const type = b[s + 3];
    const version = b[s + 2];
    // tshark reads Info's values first: a BPDU cut before them shows nothing
    if ((type === 0x00 || type === 0x02) && len < INFO_NEED) return out;
    const proto = fHex('stp.protocol', 'Protocol Identifier', u16(b, s), s, 2);
    proto.text = `Protocol Identifier: ${u16(b, s) === 0 ? 'Spanning Tree Protocol' : 'Unknown'} (${proto.show})`;
    const ver = fUint('stp.version', 'Protocol Version Identifier', version, s + 2, 1);
    ver.text = `Protocol Version Identifier: ${VERSIONS[version] ?? 'Unknown'} (${version})`;
    const ty = fHex('stp.type', 'BPDU Type', type, s + 3, 1);
    ty.text = `BPDU Type: ${TYPES[type] ?? 'Unknown'} (${ty.show})`;
    out.push(proto, ver, ty);
    if (type !== 0x00 && type !== 0x02) return out;
    const rst = type === 0x02;
    out.push(flagsField('stp.flags', 'BPDU flags', 'stp.flags', b[s + 4], s + 4, rst));
    out.push(bridgeId(b, s + 5, 'Root Identifier', 'stp.root', ['Root Bridge Priority', 'Root Bridge System ID Extension', 'Root Bridge System ID']));
    out.push(fUint('stp.root.cost', 'Root Path Cost', u32(b, s + 13), s + 13, 4));
    if (len < 25) return out;
    out.push(bridgeId(b, s + 17, 'Bridge Identifier', 'stp.bridge', ['Bridge Priority', 'Bridge System ID Extension', 'Bridge System ID']));
    out.push(fHex('stp.port', 'Port identifier', u16(b, s + 25), s + 25, 2));
    const timers = [['stp.msg_age', 'Message Age'], ['stp.max_age', 'Max Age'], ['stp.hello', 'Hello Time'], ['stp.forward', 'Forward Delay']] as const;
    for (let i = 0; i < 4; i++) {
      if (len < 29 + i * 2) return out;
      out.push(timer(timers[i][0], timers[i][1], b, s + 27 + i * 2));
    }
    if (!rst || len < 36) return out;
    out.push(fUint('stp.version_1_length', 'Version 1 Length', b[s + 35], s + 35, 1));
    const p = plan(b, s, len);
    if (p.mst) {
      const v3 = u16(b, s + 36);
      out.push(fUint('mstp.version_3_length', 'Version 3 Length', v3, s + 36, 2));
      const m = s + 38;
      const name = latin1Text(b, m + 1, m + 33).replace(/\0.*$/s, '');
      const kids: Field[] = [
        fUint('mstp.config_format_selector', 'MST Config ID format selector', b[m], m, 1),
        fStr('mstp.config_name', 'MST Config name', name, m + 1, 32),
        fUint('mstp.config_revision_level', 'MST Config revision', u16(b, m + 33), m + 33, 2),
        fBytes('mstp.config_digest', 'MST Config digest', b, m + 35, m + 51),
        fUint('mstp.cist_internal_root_path_cost', 'CIST Internal Root Path Cost', u32(b, m + 51), m + 51, 4),
        bridgeId(b, m + 55, 'CIST Bridge Identifier', 'mstp.cist_bridge', ['CIST Bridge Priority', 'CIST Bridge Identifier System ID Extension', 'CIST Bridge Identifier System ID']),
        fUint('mstp.cist_remaining_hops', 'CIST Remaining hops', b[m + 63], m + 63, 1),
      ];
      for (let i = 0; i < p.mstis; i++) {
        const r = s + MST_MIN + i * 16;
        const rid = u16(b, r + 1);
        const pr = fHex('mstp.msti.priority', 'Priority', rid >> 12, r + 1, 1);
        pr.text = `${bitsText(b[r + 1], 0xf0, 8)} = Priority: 0x${(rid >> 12).toString(16)}`;
        const id = fUint('mstp.msti.msti_id', 'MSTID', rid & 0x0fff, r + 1, 2);
        id.text = `.... ${bitsText(rid >> 8, 0x0f, 8).slice(5)} ${bitsText(rid & 0xff, 0xff, 8)} = MSTID: ${rid & 0x0fff}`;
        const bp = fUint('mstp.msti.bridge_priority', 'Bridge Identifier Priority', b[r + 13] >> 4, r + 13, 1);
        const pp = fUint('mstp.msti.port_priority', 'Port identifier priority', b[r + 14] >> 4, r + 14, 1);
        kids.push(
          fText(`MSTID ${rid & 0x0fff}, Regional Root Identifier ${rid & 0xf000} / ${fmtMAC(b, r + 3)}`, r, 16, [
            flagsField('mstp.msti.flags', 'MSTI flags', 'stp.flags', b[r], r, true),
            pr,
            id,
            fMAC('mstp.msti.root.hw', 'Regional Root', b, r + 3),
            fUint('mstp.msti.root_cost', 'Internal root path cost', u32(b, r + 9), r + 9, 4),
            bp,
            pp,
            fUint('mstp.msti.remaining_hops', 'Remaining hops', b[r + 15], r + 15, 1),
          ]),
        );
      }
      out.push(fText('MST Extension', m, Math.min(l.end, m + 64 + p.mstis * 16) - m, kids));
    } else if (l.d.pvst) {
      for (let at = s + 36, n = 0; at + 4 <= l.end && n < 64; n++) {
        const tt = u16(b, at);
        const tl = u16(b, at + 2);
        if (at + 4 + tl > l.end) break;
        const tf = fHex('stp.pvst.tlvtype', 'Type', tt, at, 2);
        tf.text = `Type: ${tt === 0 ? 'Originating VLAN' : 'Unknown'} (${tf.show})`;
        const kids = [tf, fUint('stp.pvst.tlvlen', 'Length', tl, at + 2, 2)];
        if (tt === 0 && tl === 2) {
          kids.push(fUint('stp.pvst.origvlan', 'Originating VLAN', u16(b, at + 4), at + 4, 2));
          out.push(fText(`Originating VLAN (PVID): ${u16(b, at + 4)}`, at, 6, kids));
        } else {
          if (tl > 0) kids.push(fBytes('stp.pvst.tlvval', 'Value', b, at + 4, at + 4 + tl));
          out.push(fText(`Unknown TLV (${hexN(tt, 4)})`, at, 4 + tl, kids));
        }
        at += 4 + tl;
      }
    }
    return out;
  },

  column: () => 'STP',
  info(l) {
    const b = l.buf;
    const s = l.start;
    if (l.end - s < 4) return '';
    const type = b[s + 3];
    if (type === 0x80) return 'Topology Change Notification';
    if (type !== 0x00 && type !== 0x02) return `Unknown BPDU type (${type})`;
    if (l.end - s < INFO_NEED) return '';
    const kind = type === 0x00 ? 'Conf.' : b[s + 2] >= 3 ? 'MST.' : 'RST.';
    const tc = b[s + 4] & 0x01 ? 'TC + ' : '';
    return `${kind} ${tc}Root = ${bridgeText(b, s + 5, '/')}  Cost = ${u32(b, s + 13)}  Port = ${hexN(u16(b, s + 25), 4)}`;
  },
};
