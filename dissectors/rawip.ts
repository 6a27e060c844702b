// Raw IP link types: the frame starts with an IPv4 or IPv6 header.
//   rawip  — LINKTYPE_RAW (101) and the DLT_RAW values 12 and 14 seen in captures: tshark shows a
//            "Raw packet data" layer (protocol 'raw', no fields) and picks IPv4 / IPv6 from the
//            version nibble; anything else is data.
//   iplink — LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229): tshark shows NO layer of its own and
//            hands the frame to IPv4 / IPv6 directly; a 228 frame whose version nibble is 6 is
//            dissected as IPv6 (corpus malformed-ipv4-linktype-carrying-ipv6.pcap: frame.protocols
//            "ip:ipv6:udp:dns", tree shows only IPv6). Our chain needs a layer per dispatch, so
//            iplink yields an EMPTY layer (range [start, start), no fields) that only sets `next`
//            from the version nibble (4 → 0x0800, 6 → 0x86dd, else the link type's own).
// Both set next = { table: 'ethertype', key: 0x0800 | 0x86dd }.

import { Layer } from '../src/dissect/layer.js';
import type { Dissector } from '../src/dissect/types.js';

export interface RawIpD {
  /** IP version nibble of the first byte, -1 when the frame is empty. */
  version: number;
  /** An IPv6 packet under LINKTYPE_IPV4 (228) (iplink only). */
  v6in228?: boolean;
}

export const rawip: Dissector<RawIpD> = {
  proto: 'raw',
  name: 'Raw packet data',
  fieldKeys: [],
  registers: [
    { table: 'link', key: 101 },
    { table: 'link', key: 12 },
    { table: 'link', key: 14 },
  ],
  dissect(buf, start, end, ctx) {
    const l = new Layer<RawIpD>(rawip, buf, start, end, { version: -1 });
    if (end <= start) {
      l.short('Raw IP packet', start, 1, ctx.snapCut(buf, start + 1));
      return l;
    }
    const v = buf[start] >> 4;
    l.d.version = v;
    if (v === 4) l.next = { table: 'ethertype', key: 0x0800, start, end };
    else if (v === 6) l.next = { table: 'ethertype', key: 0x86dd, start, end };
    else l.next = { table: 'raw.version', key: v, start, end };
    return l;
  },
  fields: () => [],
  title: () => 'Raw packet data',
  column: () => 'Raw',
  info: () => 'Raw packet data',
};

export const iplink: Dissector<RawIpD> = {
  proto: 'iplink',
  name: 'IP link type',
  // tshark's frame.protocols starts at the IP layer, but for an IPv6 packet under LINKTYPE_IPV4 (228): "ip:ipv6"
  protocolsPart: (l) => (l.d.v6in228 ? 'ip' : ''),
  fieldKeys: [],
  registers: [
    { table: 'link', key: 228 },
    { table: 'link', key: 229 },
  ],
  dissect(buf, start, end, ctx) {
    // The empty layer covers no bytes: the IP layer after it covers the frame.
    const l = new Layer<RawIpD>(iplink, buf, start, start, { version: -1, v6in228: false });
    if (end <= start) {
      l.end = end;
      l.short('IP packet', start, 1, ctx.snapCut(buf, start + 1));
      return l;
    }
    const v = buf[start] >> 4;
    l.d.version = v;
    l.d.v6in228 = v === 6 && ctx.frame.linkType === 228;
    const own = ctx.frame.linkType === 229 ? 0x86dd : 0x0800;
    const key = v === 4 ? 0x0800 : v === 6 ? 0x86dd : own;
    l.next = { table: 'ethertype', key, start, end };
    return l;
  },
  fields: () => [],
  title: (l) => (l.d.version === 6 ? 'IPv6 link type' : 'IPv4 link type'),
  column: () => 'IP',
};
