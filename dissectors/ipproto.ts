// IP protocol numbers → the short names tshark uses ("UDP", "ICMPv6", "IPv6 Hop-by-Hop Option").
// Shared by ipv4.ts and ipv6.ts (data, not a dissector).

const SHORT: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 8: 'EGP', 9: 'IGRP',
  17: 'UDP', 27: 'RDP', 33: 'DCCP', 41: 'IPv6', 43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6',
  46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'Destination Options for IPv6',
  88: 'EIGRP', 89: 'OSPF IGP', 103: 'PIM', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 135: 'Mobile IPv6', 136: 'UDPLite',
  137: 'MPLS in IP', 139: 'HIP', 140: 'Shim6', 143: 'Ethernet',
};

/** tshark's name for an IP protocol number (ip.proto / ipv6.nxt value strings), or "Unknown". */
export function ipProtoName(p: number): string {
  return SHORT[p] ?? 'Unknown';
}
