// Shared by the link-layer dissectors (ethernet, vlan, sll, sll2, null, llc, arp): value names
// as tshark 4.0 prints them, and the Ethernet padding / trailer / FCS split.
//
// Padding and trailer (eth.padding, eth.trailer, vlan.trailer, sll.trailer, eth.fcs)
// ---------------------------------------------------------------------------------
// tshark finds the trailer after the network layer has told how long it really is (IPv4 total
// length, ARP's own size…). Our dissect() runs before that layer, and fields() has no ctx. So a
// layer that dispatches on an ethertype keeps, in its `d`, a reference to the packet's layer
// array (`ctx.layers`, the very array the chain pushes later layers into: no copy) and, lazily in
// fields(), reads the END OF THE LAYER THAT FOLLOWS IT. Whatever lies between that end and this
// layer's end is the trailer, split as Wireshark's add_ethernet_trailer() does:
//   - padding: when the frame is >= 60 bytes but was < 60 without the trailer, the first
//     (60 - that) bytes are eth.padding if they are all zero;
//   - FCS (only for Ethernet itself, fcs unknown = heuristic): a frame >= 64 bytes with >= 4
//     trailer bytes left ends with a 4-byte eth.fcs;
//   - the rest is the trailer (eth.trailer / vlan.trailer / ieee8021ah.trailer / sll.trailer).
// For this to work the next layer must set its Layer.end to where its datagram really ends
// (ARP: 8 + 2*hlen + 2*plen; IPv4: start + total length; IPv6: start + 40 + payload length).
// A layer whose end is the end of the frame (the default) leaves no trailer.

import { fBytes, fHex, fUint, hexN } from '../src/dissect/fields.js';
import type { Layer } from '../src/dissect/layer.js';
import type { DissectContext, Field } from '../src/dissect/types.js';

export const ETHERTYPE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x800, 'IPv4'],
  [0x86dd, 'IPv6'],
  [0x8100, '802.1Q Virtual LAN'],
  [0x8102, 'Simple Loop Protection Protocol'],
  [0x8103, 'Virtual LACP'],
  [0x8104, 'Simple Loop Protection Protocol (old)'],
  [0x806, 'ARP'],
  [0x872d, 'Cisco Wireless Lan Context Control Protocol'],
  [0x8783, 'Motorola Media Independent Network Transport'],
  [0x2452, 'IEEE 802.11 (Centrino promiscuous)'],
  [0x600, 'XNS Internet Datagram Protocol'],
  [0x805, 'X.25 Layer 3'],
  [0x842, 'Wake on LAN'],
  [0x8f0, 'WiMax Mac-to-Mac'],
  [0x3e3f, 'EPL_V1'],
  [0x8035, 'RARP'],
  [0x8038, 'DEC LanBridge'],
  [0x809b, 'AppleTalk LLAP bridging'],
  [0x80d5, 'SNA-over-Ethernet'],
  [0x80e1, 'EtherNet/IP Device Level Ring'],
  [0x80f3, 'AARP'],
  [0x8137, 'Netware IPX/SPX'],
  [0xbad, 'Vines IP'],
  [0xbaf, 'Vines Echo'],
  [0x1984, 'Netmon Train'],
  [0x9000, 'Loopback'],
  [0x885a, 'Foundry proprietary'],
  [0x80ff, 'Wellfleet Compression Protocol'],
  [0x8181, 'Spanning Tree Protocol'],
  [0x81fd, 'Cabletron Interswitch Message Protocol'],
  [0x81ff, 'Cabletron SFVLAN 1.8 Tag-Based Flood'],
  [0x8204, 'QNX 6 QNET protocol'],
  [0x8863, 'PPPoE Discovery'],
  [0x8864, 'PPPoE Session'],
  [0x886c, 'HomePNA, wlan link local tunnel'],
  [0x886d, 'Intel ANS probe'],
  [0x886f, 'MS NLB heartbeat'],
  [0x8870, 'Jumbo LLC'],
  [0x8874, 'Broadcom tag'],
  [0x887b, 'Homeplug'],
  [0x88e1, 'Homeplug AV'],
  [0x88e3, 'MRP'],
  [0x88a8, '802.1ad Provider Bridge (Q-in-Q)'],
  [0x88e5, '802.1AE (MACsec)'],
  [0x893a, '1905.1a Convergent Digital Home Network for Heterogenous Technologies'],
  [0x88e7, '802.1ah Provider Backbone Bridge (mac-in-mac)'],
  [0x893f, '802.1br Bridge Port Extension E-Tag'],
  [0x888e, '802.1X Authentication'],
  [0x88c7, '802.11i Pre-Authentication'],
  [0x8847, 'MPLS label switched packet'],
  [0x8848, 'MPLS multicast label switched packet'],
  [0x3c07, '3Com NBP Datagram'],
  [0x6000, 'DEC proto'],
  [0x6001, 'DEC DNA Dump/Load'],
  [0x6002, 'DEC DNA Remote Console'],
  [0x6003, 'DEC DNA Routing'],
  [0x6004, 'DEC LAT'],
  [0x6005, 'DEC Diagnostics'],
  [0x6006, 'DEC Customer use'],
  [0x6007, 'DEC LAVC/SCA'],
  [0x8041, 'DEC LAST'],
  [0x6558, 'Transparent Ethernet bridging'],
  [0x2001, 'Cisco Group Management Protocol'],
  [0x22e5, 'Gigamon Header'],
  [0x22ea, '802.1Qat Multiple Stream Reservation Protocol'],
  [0x88f6, '802.1ak Multiple Mac Registration Protocol'],
  [0x894f, 'Network Service Header'],
  [0x8988, 'PA HB Backup'],
  [0x22f0, 'IEEE 1722 Audio Video Transport Protocol'],
  [0x22f1, 'Robust Header Compression(RoHC)'],
  [0x22f3, 'Transparent Interconnection of Lots of Links'],
  [0x22f4, 'Intermediate System to Intermediate System'],
  [0x8808, 'MAC Control'],
  [0x8809, 'Slow Protocols'],
  [0x9021, 'Real-Time Media Access Control'],
  [0x9022, 'Real-Time Configuration Protocol'],
  [0x8881, 'CDMA2000 A10 Unstructured byte stream'],
  [0x8884, 'ATM over Ethernet'],
  [0x8892, 'PROFINET'],
  [0x8899, 'Realtek Layer 2 Protocols'],
  [0x88a2, 'ATA over Ethernet'],
  [0x88a4, 'EtherCAT frame'],
  [0x88a1, 'Telkonet powerline'],
  [0x88ab, 'ETHERNET Powerlink v2'],
  [0x88ad, 'XiMeta Technology'],
  [0x889b, 'CSM_ENCAPS Protocol'],
  [0x88b5, 'Local Experimental Ethertype 1'],
  [0x88b6, 'Local Experimental Ethertype 2'],
  [0x88b7, 'IEEE 802a OUI Extended Ethertype'],
  [0x88b8, 'IEC 61850/GOOSE'],
  [0x88b9, 'IEC 61850/GSE management services'],
  [0x88ba, 'IEC 61850/SV (Sampled Value Transmission'],
  [0x88ca, 'Transparent Inter Process Communication'],
  [0x88cc, '802.1 Link Layer Discovery Protocol (LLDP)'],
  [0x88d2, 'CDMA2000 A10 3GPP2 Packet'],
  [0x891d, 'TTEthernet Protocol Control Frame'],
  [0x88d8, 'Circuit Emulation Services over Ethernet (MEF8)'],
  [0x88d9, 'Link Layer Topology Discovery (LLTD)'],
  [0x88dc, '(WAVE) Short Message Protocol (WSM)'],
  [0x88de, 'VMware Lab Manager'],
  [0x8819, 'Cirrus Cobranet Packet'],
  [0x8133, 'Juniper Netscreen Redundant Protocol'],
  [0x9104, 'EERO Broadcast Packet'],
  [0x8021, 'PPP IP Control Protocol'],
  [0xc021, 'PPP Link Control Protocol'],
  [0xc023, 'PPP Password Authentication Protocol'],
  [0x80fd, 'PPP Compression Control Protocol'],
  [0xcafe, 'Veritas Low Latency Transport (not officially registered)'],
  [0x8902, 'IEEE 802.1ag Connectivity Fault Management (CFM) protocol'],
  [0x8903, 'Data Center Ethernet (DCE) protocol(Cisco)'],
  [0x8906, 'Fibre Channel over Ethernet'],
  [0x890d, 'IEEE 802.11 data encapsulation'],
  [0x8911, 'LINX IPC Protocol'],
  [0x8914, 'FCoE Initialization Protocol'],
  [0x8917, 'Media Independent Handover Protocol'],
  [0x88ee, 'Ethernet Local Management Interface (MEF16)'],
  [0x88f7, 'PTPv2 over Ethernet (IEEE1588)'],
  [0x88f8, 'Network Controller Sideband Interface'],
  [0x88fb, 'Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)'],
  [0x8901, 'Flow Layer Internal Protocol'],
  [0x8915, 'RDMA over Converged Ethernet'],
  [0xd00d, 'Digium TDM over Ethernet Protocol'],
  [0x88b4, 'WAI Authentication Protocol'],
  [0x8926, 'VN-Tag'],
  [0x892b, 'Schweitzer Engineering Labs Layer 2 Protocol'],
  [0x892f, 'High-availability Seamless Redundancy (IEC62439 Part 3)'],
  [0x8ff, 'AX.25'],
  [0x8909, 'CiscoMetaData'],
  [0x8947, 'GeoNetworking'],
  [0xc0de, 'eXpressive Internet Protocol'],
  [0xc0df, 'Neighborhood Watch Protocol'],
  [0x892d, 'bluecom Protocol'],
  [0x9100, 'QinQ: old non-standard 802.1ad'],
  [0x99fe, 'Technically Enhanced Capture Module Protocol (TECMP)'],
  [0xa0ed, '6LoWPAN'],
  [0xd28b, 'Arista Timestamp'],
  [0xaefe, 'eCPRI'],
  [0xb4e3, 'CableLabs Layer-3 Protocol'],
  [0xe555, 'EXos internal Extra Header'],
  [0xfff2, 'Cisco ACI ARP gleaning'],
  [0xf1c1, '802.1CB Frame Replication and Elimination for Reliability'],
]);

/** "IPv4 (0x0800)" / "Unknown (0x1234)", as tshark's Type lines show an ethertype. */
export function etypeText(v: number): string {
  return `${ETHERTYPE_NAMES.get(v) ?? 'Unknown'} (${hexN(v, 4)})`;
}

/** An ethertype field (eth.type, vlan.etype, sll.etype, null.type, llc.type …): show "0x0800". */
export function fEtype(key: string, v: number, start: number, len = 2): Field {
  const f = fHex(key, 'Type', v, start, len, 4);
  f.text = `Type: ${etypeText(v)}`;
  return f;
}

/** ARP hardware types (arp.hw.type, sll.hatype): Wireshark's arp_hrd_vals. */
export const ARP_HW_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'NET/ROM pseudo'],
  [1, 'Ethernet'],
  [2, 'Experimental Ethernet'],
  [3, 'AX.25'],
  [4, 'ProNET'],
  [5, 'Chaos'],
  [6, 'IEEE 802'],
  [7, 'ARCNET'],
  [8, 'Hyperchannel'],
  [9, 'Lanstar'],
  [10, 'Autonet Short Address'],
  [11, 'Localtalk'],
  [12, 'LocalNet'],
  [13, 'Ultra link'],
  [14, 'SMDS'],
  [15, 'Frame Relay DLCI'],
  [16, 'ATM'],
  [17, 'HDLC'],
  [18, 'Fibre Channel'],
  [19, 'ATM (RFC 2225)'],
  [20, 'Serial Line'],
  [21, 'ATM'],
  [22, 'MIL-STD-188-220'],
  [23, 'Metricom STRIP'],
  [24, 'IEEE 1394.1995'],
  [25, 'MAPOS'],
  [26, 'Twinaxial'],
  [27, 'EUI-64'],
  [28, 'HIPARP'],
  [29, 'IP and ARP over ISO 7816-3'],
  [30, 'ARPSec'],
  [31, 'IPsec tunnel'],
  [32, 'InfiniBand'],
  [33, 'TIA-102 Project 25 CAI'],
  [34, 'Wiegand Interface'],
  [35, 'Pure IP'],
  [36, 'Experimental 1'],
  [37, 'HFI'],
  [256, 'Experimental 2'],
  [257, 'AEthernet'],
  [260, 'Notional KISS type'],
  [264, 'ADAPT'],
  [270, 'ROSE'],
  [271, 'CCITT X.25'],
  [272, 'Boards with X.25 in firmware'],
  [280, 'Controller Area Network'],
  [512, 'PPP'],
  [513, 'Cisco HDLC'],
  [516, 'LAPB'],
  [517, 'Digital\'s DDCMP protocol'],
  [518, 'Raw HDLC'],
  [519, 'Raw IP'],
  [768, 'IPIP tunnel'],
  [769, 'IP6IP6 tunnel'],
  [770, 'Frame Relay Access Device'],
  [771, 'SKIP vif'],
  [772, 'Loopback'],
  [774, 'Fiber Distributed Data Interface'],
  [775, 'AP1000 BIF'],
  [776, 'sit0 device - IPv6-in-IPv4'],
  [777, 'IP over DDP tunneller'],
  [778, 'GRE over IP'],
  [779, 'PIMSM register interface'],
  [780, 'High Performance Parallel Interface'],
  [781, 'Nexus 64Mbps Ash'],
  [782, 'Acorn Econet'],
  [783, 'Linux-IrDA'],
  [784, 'Point to point fibrechannel'],
  [785, 'Fibrechannel arbitrated loop'],
  [786, 'Fibrechannel public loop'],
  [787, 'Fibrechannel fabric'],
  [800, 'Magic type ident for TR'],
  [801, 'IEEE 802.11'],
  [802, 'IEEE 802.11 + Prism2 header'],
  [803, 'IEEE 802.11 + radiotap header'],
  [804, 'IEEE 802.15.4'],
  [805, 'IEEE 802.15.4 network monitor'],
  [820, 'PhoNet media type'],
  [821, 'PhoNet pipe header'],
  [822, 'CAIF media type'],
  [823, 'GRE over IPv6'],
  [824, 'Netlink'],
  [825, 'IPv6 over LoWPAN'],
  [826, 'Vsock monitor header'],
  [65535, 'Void type, nothing is known'],
  [65534, 'zero header length'],
]);

/** "Ethernet (1)" / "Unknown (12336)". */
export function hwTypeText(v: number): string {
  return `${ARP_HW_NAMES.get(v) ?? 'Unknown'} (${v})`;
}

/** What a link layer keeps in its `d` to compute its trailer later (see the top of this file). */
export interface LinkTail {
  /** The packet's layer array (ctx.layers), null when the header is short. */
  layers: Layer[] | null;
  /** Frame length on the wire (frame.len). */
  pktLen: number;
  /** Bytes of this layer's range lost to the snaplen (origLen - caplen when cut at the end), else 0. */
  missing: number;
  /**
   * Where the payload ends when this layer knows it (802.3 length field); -1: use the end of
   * the next layer.
   */
  payloadEnd: number;
  /**
   * FCS bytes at the end of this layer's range when the capture file says (Frame.fcsLen, for a
   * layer that covers the whole frame); -1 unknown (the FCS is guessed from the frame size).
   */
  fcs: number;
}

/**
 * Fill the LinkTail part of a link layer's own decoded object (which has every LinkTail key
 * already): no second object per packet, and no keys added to it (one shape).
 */
export function fillLinkTail(t: LinkTail, ctx: DissectContext, buf: Uint8Array, end: number): void {
  const fr = ctx.frame;
  t.layers = ctx.layers;
  t.pktLen = fr.origLen;
  t.missing = ctx.snapCut(buf, end) ? Math.max(0, fr.origLen - fr.data.length) : 0;
  t.payloadEnd = -1;
  t.fcs = fr.fcsLen !== undefined && buf === fr.data && end === fr.data.length && !ctx.quoted ? fr.fcsLen : -1;
}

/**
 * End of the payload after a link header that ends at `at`, with a known FCS cut off (tshark's
 * dissect_ethertype: the reported length loses the FCS, the captured end is kept within it).
 */
export function payloadEndBeforeFcs(t: LinkTail, at: number, end: number): number {
  if (t.fcs <= 0) return end;
  let reported = end - at + t.missing;
  if (reported >= t.fcs) reported -= t.fcs;
  return Math.min(end, at + reported);
}

/**
 * Append eth.padding, the trailer (`trailerKey`) and, when `fcsHeuristic`, eth.fcs, to `out`.
 * `t` is the layer's LinkTail; `l` the layer itself (its buf, start and end).
 */
export function trailerFields(l: Layer, t: LinkTail, out: Field[], trailerKey: string, fcsHeuristic: boolean): void {
  let payloadEnd = t.payloadEnd;
  if (payloadEnd < 0) {
    if (t.layers === null) return;
    const i = t.layers.indexOf(l);
    const nx = i >= 0 ? t.layers[i + 1] : undefined;
    if (nx === undefined || nx.buf !== l.buf) return;
    payloadEnd = nx.end;
  }
  const capEnd = l.end;
  if (payloadEnd >= capEnd || payloadEnd < l.start) return; // none of the trailer was captured
  let cap = capEnd - payloadEnd;
  let rep = cap + t.missing;
  let padding = 0;
  if (t.pktLen >= 60 && t.pktLen - rep < 60) {
    padding = Math.min(60 - (t.pktLen - rep), cap);
    for (let i = 0; i < padding; i++) {
      if (l.buf[payloadEnd + i] !== 0) {
        padding = 0;
        break;
      }
    }
    if (padding > 0) {
      out.push(fBytes('eth.padding', 'Padding', l.buf, payloadEnd, payloadEnd + padding));
      cap -= padding;
      rep -= padding;
    }
  }
  let fcsAt = -1;
  // a known 4-byte FCS is always there; unknown: guessed for a frame of 64 bytes or more; 0: none
  if (fcsHeuristic && rep >= 4 && (t.fcs === 4 || (t.fcs !== 0 && l.end - l.start + t.missing >= 64))) {
    if (cap < rep) {
      rep -= 4;
      if (cap > rep) cap = rep;
    } else {
      cap -= 4;
      rep -= 4;
    }
    fcsAt = payloadEnd + padding + cap;
  }
  const trailerStart = payloadEnd + padding;
  if (cap > 0) out.push(fBytes(trailerKey, 'Trailer', l.buf, trailerStart, trailerStart + cap));
  if (fcsAt >= 0 && fcsAt + 4 <= capEnd) {
    const b = l.buf;
    const v = ((b[fcsAt] << 24) >>> 0) + ((b[fcsAt + 1] << 16) | (b[fcsAt + 2] << 8) | b[fcsAt + 3]);
    const f = fHex('eth.fcs', 'Frame check sequence', v, fcsAt, 4, 8);
    f.text = `Frame check sequence: ${hexN(v, 8)} [unverified]`;
    out.push(f);
    // tshark does not check it by default (eth.check_fcs off): status 2, Unverified
    const st = fUint('eth.fcs.status', 'FCS Status', 2, fcsAt, 0);
    st.text = 'FCS Status: Unverified';
    st.generated = true;
    out.push(st);
  }
}

/**
 * A link header that names a payload (ethertype, AF, LLC) but ends where the payload should
 * start: the chain calls no next dissector for an empty range, so the link layer says it —
 * 'truncated' when the snaplen cut it, else 'malformed' (tshark: the next dissector's
 * "[Packet size limited during capture]" / "[Malformed Packet]").
 */
export function emptyPayload(l: Layer, ctx: DissectContext, at: number, end: number): void {
  if (at < end) return;
  const cut = ctx.snapCut(l.buf, at + 1);
  l.problem(cut ? 'truncated' : 'malformed', cut ? 'payload not captured (cut by snaplen)' : 'no payload after the header', at, at);
}

/**
 * Protocol column of a layer that dispatched on `etype`: when no dissector took the payload
 * (the next layer is 'data', or there is none), tshark's ethertype dissector writes the type in
 * hex ("0x1234"); otherwise `fallback` (a later layer's column wins anyway).
 */
export function etypeColumn(l: Layer, t: LinkTail, etype: number, fallback: string): string {
  if (etype < 0x0600 || t.layers === null) return fallback;
  const i = t.layers.indexOf(l);
  const nx = i >= 0 ? t.layers[i + 1] : undefined;
  return nx === undefined || nx.proto === 'data' ? hexN(etype, 4) : fallback;
}
