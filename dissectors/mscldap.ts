// The "netlogon" attribute value of an Active Directory LDAP ping answer (MS-ADTS 6.3.1: NETLOGON_SAM_
// LOGON_RESPONSE_EX, opcode 23, and the older NETLOGON_SAM_LOGON_RESPONSE, opcode 19), as tshark 4.0's
// LDAP dissector shows it in place of the value (its dissect_NetLogon_PDU, fields mscldap.*). Names in
// opcode 23 are DNS names whose compression pointers count from the value's first byte; opcode 19's
// NetBIOS names are NUL-terminated UTF-16LE, each 2-byte aligned. Whatever the opcode, the last 8 bytes
// are the NtVersion flags and the LM and NT tokens. Values under 10 bytes show nothing, as in tshark.
// A name or string that runs past the value stops the decoding (tshark's exception: [Malformed Packet]).

import { bitsText, fBool, fHex, fIPv4, fStr, fUint, u16le, u32le } from '../src/dissect/fields.js';
import type { Field } from '../src/dissect/types.js';

const OPCODES: Record<number, string> = {
  7: 'LOGON_PRIMARY_QUERY', 12: 'LOGON_PRIMARY_RESPONSE', 18: 'LOGON_SAM_LOGON_REQUEST', 19: 'LOGON_SAM_LOGON_RESPONSE',
  20: 'LOGON_SAM_PAUSE_RESPONSE', 23: 'LOGON_SAM_LOGON_RESPONSE_EX', 24: 'LOGON_SAM_PAUSE_RESPONSE_EX', 25: 'LOGON_SAM_USER_UNKNOWN_EX',
};

type Flag = [key: string, label: string, mask: number, yes: string, no: string];
/** DC flags (tshark's tree order: the high bits first). */
const DC_FLAGS: Flag[] = [
  ['forestnc', 'FDC', 0x80000000, 'The NC is the default forest NC(Windows 2008)', 'The NC is not the default forest NC (Windows 2008)'],
  ['defaultnc', 'DNC', 0x40000000, 'The NC is the default NC (Windows 2008)', 'The NC is not the default NC (Windows 2008)'],
  ['dnsname', 'DNS', 0x20000000, 'Server name is in DNS format (Windows 2008)', 'Server name is not in DNS format (Windows 2008)'],
  ['writabledc', 'WDC', 0x1000, 'Domain controller is a Windows 2008 writable NC', 'Domain controller is not a Windows 2008 writable NC'],
  ['rodc', 'RODC', 0x800, 'Domain controller is a Windows 2008 RODC', 'Domain controller is not a Windows 2008 RODC'],
  ['ndnc', 'NDNC', 0x400, 'Domain is NON-DOMAIN NC serviced by ldap server', 'Domain is NOT non-domain nc serviced by ldap server'],
  ['good_timeserv', 'Good Time Serv', 0x200, 'This dc has a GOOD TIME SERVICE (i.e. hardware clock)', 'This dc does NOT have a good time service (i.e. no hardware clock)'],
  ['writable', 'Writable', 0x100, 'This dc is WRITABLE', 'This dc is NOT writable'],
  ['closest', 'Closest', 0x80, 'This server is in the same site as the client', 'This server is NOT in the same site as the client'],
  ['timeserv', 'Time Serv', 0x40, 'This dc is running TIME SERVICES (ntp)', 'This dc is NOT running time services (ntp)'],
  ['kdc', 'KDC', 0x20, 'This is a KDC (kerberos)', 'This is NOT a kdc (kerberos)'],
  ['ds', 'DS', 0x10, 'This dc supports DS', 'This dc does NOT support ds'],
  ['ldap', 'LDAP', 0x8, 'This is an LDAP server', 'This is NOT an ldap server'],
  ['gc', 'GC', 0x4, 'This is a GLOBAL CATALOGUE of forest', 'This is NOT a global catalog of forest'],
  ['pdc', 'PDC', 0x1, 'This is a PDC', 'This is NOT a pdc'],
];
/** NETLOGON_NT_VERSION bits (MS-ADTS 6.3.1.1; tshark's order: the low bits first). */
const NT_VERSION: Flag[] = [
  ['v1', 'V1', 0x1, 'Client requested version 1 netlogon response', 'Version 1 netlogon response not requested'],
  ['v5', 'V5', 0x2, 'Client requested version 5 netlogon response', 'Version 5 netlogon response not requested'],
  ['v5ex', 'V5EX', 0x4, 'Client requested version 5 extended netlogon response', 'Version 5 extended response not requested'],
  ['v5ep', 'V5EP', 0x8, 'Client has requested IP address of the server', 'IP address of server not requested'],
  ['vcs', 'VCS', 0x10, 'Client has asked for the closest site information', 'Closest site information not requested'],
  ['vnt4', 'VNT4', 0x1000000, 'Client is requesting server to avoid NT4 emulation', 'Only full AD DS requested'],
  ['vpdc', 'VPDC', 0x10000000, 'Client has requested the Primary Domain Controller', 'Primary Domain Controller not requested'],
  ['vip', 'VIP', 0x20000000, 'Client has requested IP details (obsolete)', 'IP details not requested (obsolete)'],
  ['vl', 'VL', 0x40000000, 'Client indicated that it is the local machine', 'Client is not the local machine'],
  ['vgc', 'VGC', 0x80000000, 'Client has requested a Global Catalog server', 'Global Catalog not requested'],
];

/** tshark's item labels hold 239 characters (ITEM_LABEL_LENGTH with its NUL). */
function label(s: string): string {
  return s.length > 239 ? s.slice(0, 239) : s;
}

/** A 32-bit little-endian flag word: "Flags: 0x…, A: yes-text, …" (set bits only) and one line per bit. */
function flagWord(key: string, label0: string, prefix: string, flags: Flag[], buf: Uint8Array, at: number): Field {
  const v = u32le(buf, at);
  const f = fHex(key, label0, v, at, 4);
  const set = flags.filter((x) => (v & x[2]) !== 0).map((x) => `, ${x[1]}: ${x[3]}`);
  f.text = label(`${label0}: ${f.show}${set.join('')}`);
  f.children = flags.map(([k, l, m, yes, no]) => {
    const b = fBool(`${prefix}.${k}`, l, (v & m) !== 0, at, 4);
    b.text = `${bitsText(v, m, 32)} = ${l}: ${(v & m) !== 0 ? yes : no}`;
    return b;
  });
  return f;
}

/** The GUID at `at` as tshark prints FT_GUID read little endian. */
export function guid(buf: Uint8Array, at: number): string {
  const h = (i: number) => buf[at + i].toString(16).padStart(2, '0');
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

class Cut {
  constructor(readonly at: number) {}
}

/**
 * A DNS name at `at` of the value [s, e) (pointers count from s), as tshark's get_dns_name: the dotted
 * name ("<Root>" when empty) and the bytes it takes at `at`. Bounded: 255 characters, 64 jumps.
 */
function dnsName(buf: Uint8Array, s: number, e: number, at: number): { name: string; len: number } {
  let p = at;
  let name = '';
  let len = -1;
  for (let jumps = 0; ; ) {
    if (p >= e) throw new Cut(p);
    const n = buf[p];
    if (n === 0) {
      if (len < 0) len = p + 1 - at;
      break;
    }
    if ((n & 0xc0) === 0xc0) {
      if (p + 1 >= e) throw new Cut(p);
      if (len < 0) len = p + 2 - at;
      p = s + (((n & 0x3f) << 8) | buf[p + 1]);
      if (++jumps > 64) break;
      continue;
    }
    if (p + 1 + n > e) throw new Cut(p);
    let label = '';
    for (let i = 1; i <= n; i++) label += String.fromCharCode(buf[p + i]);
    if (name.length + label.length + 1 <= 255) name += (name === '' ? '' : '.') + label;
    p += 1 + n;
  }
  return { name: name === '' ? '<Root>' : name, len };
}

/** A NUL-terminated UTF-16LE string at `at` (before e). */
function utf16z(buf: Uint8Array, at: number, e: number): { text: string; len: number } {
  let text = '';
  for (let p = at; p + 1 < e; p += 2) {
    const c = buf[p] | (buf[p + 1] << 8);
    if (c === 0) return { text, len: p + 2 - at };
    text += String.fromCharCode(c);
  }
  throw new Cut(e);
}

/** An NtVersion word at `at` (an LDAP ping's NtVer filter value): the mscldap.ntver.flags field. */
export function ntVersionField(buf: Uint8Array, at: number): Field {
  return flagWord('mscldap.ntver.flags', 'Version Flags', 'mscldap.ntver.searchflags', NT_VERSION, buf, at);
}

/** The fields of a netlogon value at [s, e), and where it was cut short (or -1). */
export function netlogonFields(buf: Uint8Array, s: number, e: number): { fields: Field[]; cut: number } {
  const out: Field[] = [];
  if (e - s < 10) return { fields: out, cut: -1 };
  const op = u16le(buf, s);
  const of = fUint('mscldap.netlogon.opcode', 'Operation code', op, s, 2);
  of.text = `Operation code: ${OPCODES[op] ?? 'Unknown'} (${op})`;
  out.push(of);
  const str = (key: string, lbl: string, at: number): number => {
    const n = dnsName(buf, s, e, at);
    out.push(fStr(key, lbl, n.name, at, n.len));
    return at + n.len;
  };
  const ipField = (at: number): Field => {
    if (at + 4 > e) throw new Cut(at);
    return fIPv4('mscldap.netlogon.ipaddress', 'IP Address', buf, at);
  };
  try {
    let p = s + 2;
    const version = u32le(buf, e - 8);
    if (op === 19) {
      for (const [key, lbl] of [['mscldap.nb_hostname', 'NetBIOS Hostname'], ['mscldap.username', 'Username'], ['mscldap.nb_domain', 'NetBIOS Domain']]) {
        if ((p - s) & 1) p++;
        const z = utf16z(buf, p, e);
        out.push(fStr(key, lbl, z.text, p, z.len));
        p += z.len;
      }
      if ((version & 0x2) !== 0) {
        if (p + 32 > e) throw new Cut(p);
        out.push(fStr('mscldap.domain.guid', 'Domain GUID', guid(buf, p), p, 16));
        p += 32; // and a second GUID, always zero, not shown
        p = str('mscldap.forest', 'Forest', p);
        p = str('mscldap.domain', 'Domain', p);
        p = str('mscldap.hostname', 'Hostname', p);
        out.push(ipField(p));
        p += 4;
        if (p + 4 > e) throw new Cut(p);
        out.push(flagWord('mscldap.netlogon.flags', 'Flags', 'mscldap.netlogon.flags', DC_FLAGS, buf, p));
      }
    } else if (op === 23) {
      p += 2; // Sbz
      if (p + 20 > e) throw new Cut(p);
      out.push(flagWord('mscldap.netlogon.flags', 'Flags', 'mscldap.netlogon.flags', DC_FLAGS, buf, p));
      out.push(fStr('mscldap.domain.guid', 'Domain GUID', guid(buf, p + 4), p + 4, 16));
      p += 20;
      p = str('mscldap.forest', 'Forest', p);
      p = str('mscldap.domain', 'Domain', p);
      p = str('mscldap.hostname', 'Hostname', p);
      p = str('mscldap.nb_domain', 'NetBIOS Domain', p);
      p = str('mscldap.nb_hostname', 'NetBIOS Hostname', p);
      p = str('mscldap.username', 'Username', p);
      p = str('mscldap.sitename', 'Server Site', p);
      p = str('mscldap.clientsitename', 'Client Site', p);
      if ((version & 0x8) !== 0) {
        // a sockaddr_in after its length byte: family, port (little endian), then the IPv4 address
        p += 1;
        if (p + 8 > e) throw new Cut(p);
        const ip = ipField(p + 4);
        ip.children = [
          fUint('mscldap.netlogon.ipaddress.family', 'Family', u16le(buf, p), p, 2),
          fUint('mscldap.netlogon.ipaddress.port', 'Port', u16le(buf, p + 2), p + 2, 2),
          fIPv4('mscldap.netlogon.ipaddress.ipv4', 'IPv4', buf, p + 4),
        ];
        out.push(ip);
      }
    }
    out.push(flagWord('mscldap.ntver.flags', 'Version Flags', 'mscldap.ntver.searchflags', NT_VERSION, buf, e - 8));
    const lm = fHex('mscldap.netlogon.lm_token', 'LM Token', u16le(buf, e - 4), e - 4, 2);
    const nt = fHex('mscldap.netlogon.nt_token', 'NT Token', u16le(buf, e - 2), e - 2, 2);
    out.push(lm, nt);
    return { fields: out, cut: -1 };
  } catch (x) {
    if (!(x instanceof Cut)) throw x;
    return { fields: out, cut: x.at };
  }
}

/** Every key netlogonFields() may emit. */
export const MSCLDAP_KEYS: readonly string[] = [
  'mscldap.netlogon.opcode', 'mscldap.netlogon.flags', ...DC_FLAGS.map((f) => `mscldap.netlogon.flags.${f[0]}`), 'mscldap.domain.guid',
  'mscldap.forest', 'mscldap.domain', 'mscldap.hostname', 'mscldap.nb_domain', 'mscldap.nb_hostname', 'mscldap.username', 'mscldap.sitename',
  'mscldap.clientsitename', 'mscldap.netlogon.ipaddress', 'mscldap.netlogon.ipaddress.family', 'mscldap.netlogon.ipaddress.port',
  'mscldap.netlogon.ipaddress.ipv4', 'mscldap.ntver.flags', ...NT_VERSION.map((f) => `mscldap.ntver.searchflags.${f[0]}`),
  'mscldap.netlogon.lm_token', 'mscldap.netlogon.nt_token',
];
