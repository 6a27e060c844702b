// The default registry: every dissector shipped with wiretrace.
// Each protocol's file adds one import line and one entry below (keep them grouped by layer).

import { Registry } from '../src/dissect/registry.js';
import type { Dissector } from '../src/dissect/types.js';
import { data } from './data.js';
import { ethernet } from './ethernet.js';
// -- link layer
import { arp } from './arp.js';
import { llc } from './llc.js';
import { basicxid } from './basicxid.js';
import { pppoed, pppoes } from './pppoe.js';
import { bjnp } from './bjnp.js';
import { stp } from './stp.js';
import { lldp } from './lldp.js';
import { loop, nullLoopback } from './null.js';
import { iplink, rawip } from './rawip.js';
import { sll } from './sll.js';
import { sll2 } from './sll2.js';
import { ieee8021ad, vlan } from './vlan.js';
// -- network layer
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { icmp } from './icmp.js';
import { icmpv6 } from './icmpv6.js';
import { igmp } from './igmp.js';
import { ospf } from './ospf.js';
import { vrrp } from './vrrp.js';
// -- transport layer
import { tcp } from './tcp.js';
import { udp } from './udp.js';
// -- tunnels
import { teredo } from './teredo.js';
import { gre } from './gre.js';
import { ccp, chap, ipcp, lcp, pap, ppp, pppComp } from './ppp.js';
// -- application layer
import { dhcp } from './dhcp.js';
import { dhcpv6 } from './dhcpv6.js';
import { dns } from './dns.js';
import { http } from './http.js';
import { ssdp } from './ssdp.js';
import { dbLspDisc } from './db-lsp.js';
import { json } from './json.js';
import { tls, tlsQuic } from './tls.js';
import { quic } from './quic.js';
import { websocket } from './websocket.js';
import { ssh } from './ssh.js';
import { ntp } from './ntp.js';
import { nbns } from './nbns.js';
import { browser, mailslot, nbdgm, nbss, smb } from './netbios.js';
import { smb2 } from './smb2.js';
import { gssapi, ntlmssp, spnego } from './ntlmssp.js';
import { pfcp } from './pfcp.js';
import { resp } from './resp.js';
import { ldap } from './ldap.js';
import { cldap } from './cldap.js';
import { sip } from './sip.js';
import { rtp } from './rtp.js';
import { rtcp } from './rtcp.js';
import { aoe } from './aoe.js';
import { vxlan } from './vxlan.js';
import { x11 } from './x11.js';
import { mysql } from './mysql.js';
import { pptp } from './pptp.js';
import { rip, ripng } from './rip.js';

export const ALL_DISSECTORS: readonly Dissector[] = [
  data,
  ethernet,
  // -- link layer
  vlan,
  ieee8021ad,
  llc,
  basicxid,
  pppoed,
  pppoes,
  stp,
  lldp,
  sll,
  sll2,
  nullLoopback,
  loop,
  rawip,
  iplink,
  arp,
  // -- network layer
  ipv4,
  ipv6,
  icmp,
  icmpv6,
  igmp,
  ospf,
  vrrp,
  // -- transport layer
  tcp,
  udp,
  // -- tunnels
  teredo,
  gre,
  ppp,
  lcp,
  ipcp,
  ccp,
  chap,
  pap,
  pppComp,
  // -- application layer
  sip, // before the other UDP heuristics: tshark's port table (5060) comes first
  rtp, // and its conversations (RTP where an SDP announced it, RTCP on the port after)
  rtcp,
  dns,
  dhcp,
  dhcpv6,
  tlsQuic,
  tls,
  quic,
  websocket,
  ssh,
  ntp,
  nbns,
  nbdgm,
  smb,
  mailslot,
  browser,
  nbss,
  smb2,
  gssapi,
  spnego,
  ntlmssp,
  pfcp,
  bjnp,
  resp,
  mysql,
  pptp,
  ldap,
  cldap,
  aoe,
  vxlan,
  x11,
  rip,
  ripng,
  http,
  ssdp,
  dbLspDisc,
  json,
];

export function defaultRegistry(): Registry {
  return new Registry(ALL_DISSECTORS);
}
