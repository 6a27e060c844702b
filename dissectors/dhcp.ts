// DHCP / BOOTP (RFC 2131, 2132) on UDP ports 67 and 68: the fixed BOOTP header, the magic cookie and
// the options, named and keyed as tshark 4.0 does (dhcp.*). Protocol DHCP with Info "DHCP Discover -
// Transaction ID 0x3d1d" when option 53 is there, else BOOTP with "Boot Request from MAC (MAC)" /
// "Boot Reply". The options tshark decodes in detail that are common on networks are decoded here
// (addresses, lists, times, names, message type, parameter list, client identifier); any other option
// is its type, length and value bytes.

import { fBool, fBits, fBytes, fHex, fIPv4, fMAC, fmtBytesHex, fmtIPv4, fmtMAC, fStr, fUint, hexN, u16 } from '../src/dissect/fields.js';
import { Layer } from '../src/dissect/layer.js';
import type { Dissector, Field } from '../src/dissect/types.js';

export interface DhcpD {
  /** The 236-byte header (and the 4-byte cookie) were captured. */
  ok: boolean;
  /** Option 53's value, or -1 (plain BOOTP). */
  msgType: number;
  /** Offset of the first option (after the cookie), or -1 without the DHCP cookie. */
  optAt: number;
}

const HEADER = 236;
const COOKIE = 0x63825363;

const MSG_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
  14: 'Bulk Lease Query', 15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};

type Kind = 'ipv4' | 'ipv4list' | 'string' | 'u8' | 'u16' | 'time' | 'bool';
/** Option number → [name, value kind, field key]: the options decoded here (RFC 2132 names as tshark). */
const OPTS: Record<number, [string, Kind | null, string]> = {
  1: ['Subnet Mask', 'ipv4', 'dhcp.option.subnet_mask'],
  2: ['Time Offset', null, ''],
  3: ['Router', 'ipv4list', 'dhcp.option.router'],
  4: ['Time Server', 'ipv4list', 'dhcp.option.time_server'],
  5: ['Name Server', 'ipv4list', 'dhcp.option.name_server'],
  6: ['Domain Name Server', 'ipv4list', 'dhcp.option.domain_name_server'],
  7: ['Log Server', 'ipv4list', 'dhcp.option.log_server'],
  12: ['Host Name', 'string', 'dhcp.option.hostname'],
  13: ['Boot File Size', 'u16', 'dhcp.option.boot_file_size'],
  15: ['Domain Name', 'string', 'dhcp.option.domain_name'],
  17: ['Root Path', 'string', 'dhcp.option.root_path'],
  19: ['IP Forwarding', 'bool', 'dhcp.option.ip_forwarding'],
  23: ['Default IP Time-to-Live', 'u8', 'dhcp.option.default_ip_ttl'],
  26: ['Interface MTU', 'u16', 'dhcp.option.interface_mtu'],
  28: ['Broadcast Address', 'ipv4', 'dhcp.option.broadcast_address'],
  31: ['Perform Router Discover', 'bool', 'dhcp.option.perform_router_discover'],
  33: ['Static Route', null, ''],
  40: ['Network Information Service Domain', 'string', 'dhcp.option.nis_domain'],
  41: ['Network Information Service Servers', 'ipv4list', 'dhcp.option.nis_server'],
  42: ['Network Time Protocol Servers', 'ipv4list', 'dhcp.option.ntp_server'],
  43: ['Vendor-Specific Information', null, ''],
  44: ['NetBIOS over TCP/IP Name Server', 'ipv4list', 'dhcp.option.netbios_over_tcpip_name_server'],
  46: ['NetBIOS over TCP/IP Node Type', null, ''],
  47: ['NetBIOS over TCP/IP Scope', 'string', 'dhcp.option.netbios_over_tcpip_scope'],
  50: ['Requested IP Address', 'ipv4', 'dhcp.option.requested_ip_address'],
  51: ['IP Address Lease Time', 'time', 'dhcp.option.ip_address_lease_time'],
  52: ['Option Overload', null, ''],
  53: ['DHCP Message Type', null, ''],
  54: ['DHCP Server Identifier', 'ipv4', 'dhcp.option.dhcp_server_id'],
  55: ['Parameter Request List', null, ''],
  56: ['Message', 'string', 'dhcp.option.message'],
  57: ['Maximum DHCP Message Size', 'u16', 'dhcp.option.dhcp_max_message_size'],
  58: ['Renewal Time Value', 'time', 'dhcp.option.renewal_time_value'],
  59: ['Rebinding Time Value', 'time', 'dhcp.option.rebinding_time_value'],
  60: ['Vendor class identifier', null, ''],
  61: ['Client identifier', null, ''],
  66: ['TFTP Server Name', 'string', 'dhcp.option.tftp_server_name'],
  67: ['Bootfile name', 'string', 'dhcp.option.bootfile_name'],
  81: ['Client Fully Qualified Domain Name', null, ''],
  82: ['Agent Information Option', null, ''],
  119: ['Domain Search', null, ''],
  121: ['Classless Static Route', null, ''],
  249: ['Private/Classless Static Route (Microsoft)', null, ''],
  252: ['Private/Proxy autodiscovery', null, ''],
  255: ['End', null, ''],
};

const optName = (t: number): string => OPTS[t]?.[0] ?? (t >= 224 && t <= 254 ? 'Private' : 'Unknown');

/** tshark's time_secs_to_str: "1 hour", "52 minutes, 30 seconds". */
function secsText(v: number): string {
  if (v === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, w: string) => n > 0 && parts.push(`${n} ${w}${n === 1 ? '' : 's'}`);
  unit(Math.floor(v / 86400), 'day');
  unit(Math.floor((v % 86400) / 3600), 'hour');
  unit(Math.floor((v % 3600) / 60), 'minute');
  unit(v % 60, 'second');
  return parts.join(', ');
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e && buf[i] !== 0; i++) out += String.fromCharCode(buf[i]);
  return out;
}

/** Walk the options from `at`: calls `each(type, valueStart, len)`; stops after End; returns where it stopped. */
function walk(buf: Uint8Array, at: number, end: number, each: (t: number, v: number, len: number) => void): number {
  while (at < end) {
    const t = buf[at];
    if (t === 0) {
      each(0, at + 1, 0);
      at++;
      continue;
    }
    if (t === 255) {
      each(255, at + 1, 0);
      return at + 1;
    }
    if (at + 2 > end) return at;
    const len = buf[at + 1];
    if (at + 2 + len > end) return at;
    each(t, at + 2, len);
    at += 2 + len;
  }
  return at;
}

export const dhcp: Dissector<DhcpD> = {
  proto: 'dhcp',
  name: 'Dynamic Host Configuration Protocol',
  fieldKeys: [
    'dhcp.type', 'dhcp.hw.type', 'dhcp.hw.len', 'dhcp.hops', 'dhcp.id', 'dhcp.secs', 'dhcp.flags', 'dhcp.flags.bc',
    'dhcp.flags.reserved', 'dhcp.ip.client', 'dhcp.ip.your', 'dhcp.ip.server', 'dhcp.ip.relay', 'dhcp.hw.mac_addr',
    'dhcp.hw.addr', 'dhcp.hw.addr_padding', 'dhcp.server', 'dhcp.file', 'dhcp.cookie', 'dhcp.option.type',
    'dhcp.option.length', 'dhcp.option.value', 'dhcp.option.dhcp', 'dhcp.option.request_list_item',
    'dhcp.option.vendor_class_id', 'dhcp.option.end', 'dhcp.option.padding', 'dhcp.client_id',
    ...new Set(Object.values(OPTS).map((o) => o[2]).filter((k) => k !== '')),
  ],
  registers: [{ table: 'udp.port', key: 67 }, { table: 'udp.port', key: 68 }],

  dissect(buf, start, end, ctx) {
    const d: DhcpD = { ok: false, msgType: -1, optAt: -1 };
    const l = new Layer<DhcpD>(dhcp, buf, start, end, d);
    if (end - start < HEADER) {
      // what was captured of the header is still shown (tshark: up to the cut)
      l.short('DHCP/BOOTP header', start, HEADER, ctx.snapCut(buf, start + HEADER));
      return l;
    }
    d.ok = true;
    // tshark reads the cookie, the options and the padding after End up to the datagram's end: any
    // byte the capture cut is read past
    if (ctx.snapCut(buf, end)) l.problem('truncated', 'DHCP/BOOTP message cut by snaplen', end, end);
    if (end - start >= HEADER + 4 && ((buf[start + 236] << 24) | (buf[start + 237] << 16) | (buf[start + 238] << 8) | buf[start + 239]) >>> 0 === COOKIE) {
      d.optAt = start + HEADER + 4;
      walk(buf, d.optAt, end, (t, v, len) => {
        if (t === 53 && len >= 1 && d.msgType < 0) d.msgType = buf[v];
      });
    }
    return l;
  },

  fields(l) {
    const { buf, start, d } = l;
    const out: Field[] = [];
    const end = l.end;
    /** A header cut by the snaplen: its fields up to the cut. */
    const cut = (at: number): boolean => at > end;
    if (cut(start + 8)) return out;
    const op = buf[start], htype = buf[start + 1], hlen = buf[start + 2];
    const ty = fUint('dhcp.type', 'Message type', op, start, 1);
    ty.text = `Message type: ${op === 1 ? 'Boot Request' : op === 2 ? 'Boot Reply' : 'Unknown'} (${op})`;
    const hw = fHex('dhcp.hw.type', 'Hardware type', htype, start + 1, 1);
    hw.text = `Hardware type: ${htype === 1 ? 'Ethernet' : 'Unknown'} (${hexN(htype, 2)})`;
    out.push(ty, hw, fUint('dhcp.hw.len', 'Hardware address length', hlen, start + 2, 1), fUint('dhcp.hops', 'Hops', buf[start + 3], start + 3, 1));
    const xid = ((buf[start + 4] << 24) | (buf[start + 5] << 16) | (buf[start + 6] << 8) | buf[start + 7]) >>> 0;
    out.push(fHex('dhcp.id', 'Transaction ID', xid, start + 4, 4));
    if (cut(start + 12)) return out;
    // Windows sends the seconds little-endian: tshark reads them so when that gives 1..255
    const le = buf[start + 8] | (buf[start + 9] << 8);
    out.push(fUint('dhcp.secs', 'Seconds elapsed', le > 0 && le <= 0xff ? le : u16(buf, start + 8), start + 8, 2));
    const flags = u16(buf, start + 10);
    const bc = (flags & 0x8000) !== 0;
    const ff = fHex('dhcp.flags', 'Bootp flags', flags, start + 10, 2);
    ff.text = `Bootp flags: ${hexN(flags, 4)} (${bc ? 'Broadcast' : 'Unicast'})`;
    const fb = fBool('dhcp.flags.bc', 'Broadcast flag', bc, start + 10, 2, 0x8000);
    fb.text = `${bc ? '1' : '0'}... .... .... .... = Broadcast flag: ${bc ? 'Broadcast' : 'Unicast'}`;
    const fr = fBits('dhcp.flags.reserved', 'Reserved flags', flags & 0x7fff, start + 10, 2, 0x7fff);
    fr.show = hexN(flags & 0x7fff, 4);
    ff.children = [fb, fr];
    out.push(ff);
    if (cut(start + 28)) return out;
    out.push(fIPv4('dhcp.ip.client', 'Client IP address', buf, start + 12), fIPv4('dhcp.ip.your', 'Your (client) IP address', buf, start + 16));
    out.push(fIPv4('dhcp.ip.server', 'Next server IP address', buf, start + 20), fIPv4('dhcp.ip.relay', 'Relay agent IP address', buf, start + 24));
    if (cut(start + 44)) return out;
    if (hlen > 0 && hlen <= 16) {
      if ((htype === 1 || htype === 6) && hlen === 6) out.push(fMAC('dhcp.hw.mac_addr', 'Client MAC address', buf, start + 28));
      else out.push(fBytes('dhcp.hw.addr', 'Client hardware address', buf, start + 28, start + 28 + hlen));
      if (hlen < 16) out.push(fBytes('dhcp.hw.addr_padding', 'Client hardware address padding', buf, start + 28 + hlen, start + 44));
    }
    const name = (key: string, label: string, at: number, len: number, none: string): void => {
      const f = fStr(key, label, latin1(buf, at, at + len), at, len);
      if (buf[at] === 0) f.text = none;
      out.push(f);
    };
    if (cut(start + 108)) return out;
    name('dhcp.server', 'Server host name', start + 44, 64, 'Server host name not given');
    if (cut(start + 236)) return out;
    name('dhcp.file', 'Boot file name', start + 108, 128, 'Boot file name not given');
    if (!d.ok || d.optAt < 0) return out;
    const ck = fIPv4('dhcp.cookie', 'Magic cookie', buf, start + 236);
    ck.text = 'Magic cookie: DHCP';
    out.push(ck);
    const stop = walk(buf, d.optAt, end, (t, v, len) => out.push(option(buf, t, v, len)));
    if (stop < end) out.push(fBytes('dhcp.option.padding', 'Padding', buf, stop, end));
    return out;
  },

  title: (l) => (l.d.msgType >= 0 ? `Dynamic Host Configuration Protocol (${MSG_TYPES[l.d.msgType] ?? 'Unknown'})` : 'Dynamic Host Configuration Protocol'),
  column: (l) => (l.d.msgType >= 0 ? 'DHCP' : 'BOOTP'),

  info(l) {
    const { buf, start, d } = l;
    if (l.end - start < 1) return null;
    const op = buf[start];
    if (d.msgType >= 0) {
      const xid = ((buf[start + 4] << 24) | (buf[start + 5] << 16) | (buf[start + 6] << 8) | buf[start + 7]) >>> 0;
      return `DHCP ${(MSG_TYPES[d.msgType] ?? 'Unknown').padEnd(8)} - Transaction ID 0x${xid.toString(16)}`;
    }
    if (op === 1) {
      if (l.end - start < 28 + Math.min(buf[start + 2], 16)) return 'Boot Request';
      const htype = buf[start + 1], hlen = buf[start + 2];
      if ((htype === 1 || htype === 6) && hlen === 6) {
        const mac = fmtMAC(buf, start + 28);
        return `Boot Request from ${mac} (${mac})`;
      }
      return `Boot Request from ${fmtBytesHex(buf, start + 28, start + 28 + Math.min(hlen, 16))}`;
    }
    if (op === 2) return 'Boot Reply';
    return `Unknown BOOTP message type (${op})`;
  },
};

/** One option as tshark shows it: "Option: (N) Name", its Length and the value field(s). */
function option(buf: Uint8Array, t: number, v: number, len: number): Field {
  const at = v - (t === 0 || t === 255 ? 1 : 2);
  // the "Option: (N) Name" line is the dhcp.option.type field itself
  const top = (extra: string, kids: Field[]): Field => {
    // (tshark gives the End option's type field the value 0)
    const f = fUint('dhcp.option.type', 'Option', t === 255 ? 0 : t, at, v + len - at);
    f.text = `Option: (${t}) ${optName(t)}${extra}`;
    if (kids.length > 0) f.children = kids;
    return f;
  };
  if (t === 255) return top('', [fUint('dhcp.option.end', 'Option End', 255, at, 1)]);
  if (t === 0) return top('', []);
  const kids: Field[] = [fUint('dhcp.option.length', 'Length', len, at + 1, 1)];
  // every option's value bytes are dhcp.option.value too (hidden where the option is decoded)
  const raw = len > 0 ? fBytes('dhcp.option.value', 'Value', buf, v, v + len) : null;
  if (raw !== null) {
    raw.hidden = true;
    kids.push(raw);
  }
  const spec = OPTS[t];
  let extra = '';
  if (t === 53 && len >= 1) {
    const name = MSG_TYPES[buf[v]] ?? 'Unknown';
    const f = fUint('dhcp.option.dhcp', 'DHCP', buf[v], v, 1);
    f.text = `DHCP: ${name} (${buf[v]})`;
    kids.push(f);
    extra = ` (${name})`;
  } else if (t === 55) {
    for (let i = 0; i < len; i++) {
      const f = fUint('dhcp.option.request_list_item', 'Parameter Request List Item', buf[v + i], v + i, 1);
      f.text = `Parameter Request List Item: (${buf[v + i]}) ${optName(buf[v + i])}`;
      kids.push(f);
    }
  } else if (t === 61 && len === 7 && buf[v] === 1) {
    const h = fHex('dhcp.hw.type', 'Hardware type', 1, v, 1);
    h.text = 'Hardware type: Ethernet (0x01)';
    kids.push(h, fMAC('dhcp.hw.mac_addr', 'Client MAC address', buf, v + 1));
  } else if (t === 60) {
    kids.push(fStr('dhcp.option.vendor_class_id', 'Vendor class identifier', latin1(buf, v, v + len), v, len));
  } else if (spec !== undefined && spec[1] !== null) {
    const [label, kind, key] = spec;
    if (kind === 'ipv4' && len === 4) {
      kids.push(fIPv4(key, label, buf, v));
      extra = ` (${fmtIPv4(buf, v)})`;
    } else if (kind === 'ipv4list' && len % 4 === 0) {
      for (let i = 0; i < len; i += 4) kids.push(fIPv4(key, label, buf, v + i));
    } else if (kind === 'string') {
      kids.push(fStr(key, label, latin1(buf, v, v + len), v, len));
    } else if (kind === 'u8' && len === 1) {
      kids.push(fUint(key, label, buf[v], v, 1));
    } else if (kind === 'u16' && len === 2) {
      kids.push(fUint(key, label, u16(buf, v), v, 2));
    } else if (kind === 'bool' && len === 1) {
      kids.push(fBool(key, label, buf[v] !== 0, v, 1));
    } else if (kind === 'time' && len === 4) {
      const s = ((buf[v] << 24) | (buf[v + 1] << 16) | (buf[v + 2] << 8) | buf[v + 3]) >>> 0;
      const f = fUint(key, label, s, v, 4);
      f.text = s === 0xffffffff ? `${label}: infinity` : `${label}: (${s}s) ${secsText(s)}`;
      kids.push(f);
    } else if (raw !== null) raw.hidden = undefined;
  } else if (raw !== null) raw.hidden = undefined;
  return top(extra, kids);
}
