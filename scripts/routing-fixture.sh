#!/usr/bin/env bash
# Writes the tshark side of the OSPF and RIP tests (test/dissectors/net/ospf.test.ts, test/dissectors/app/rip.test.ts):
# columns, frame.protocols and the ospf.* / rip.* / ripng.* keys tshark 4.0 prints for fixtures/routing.pcap
# and vrrp.* (scripts/routing-fixture.py) and for the corpus's OSPF and RIPv1 captures, in .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/routing-fixture.py
ospf=(_ws.col.Protocol _ws.col.Info frame.protocols ospf.version ospf.msg ospf.packet_length ospf.srcrouter ospf.area_id
  ospf.checksum ospf.auth.type ospf.auth.none ospf.auth.simple ospf.auth.crypt.key_id ospf.auth.crypt.data_length
  ospf.auth.crypt.seq_nbr ospf.auth.crypt.data ospf.instance_id ospf.reserved ospf.msg.hello ospf.msg.dbdesc
  ospf.msg.lsreq ospf.msg.lsupdate ospf.msg.lsack ospf.hello.network_mask ospf.hello.interface_id
  ospf.hello.hello_interval ospf.hello.router_priority ospf.hello.router_dead_interval ospf.hello.designated_router
  ospf.hello.backup_designated_router ospf.hello.active_neighbor ospf.v2.options ospf.v2.options.dn ospf.v2.options.o
  ospf.v2.options.dc ospf.v2.options.l ospf.v2.options.n ospf.v2.options.mc ospf.v2.options.e ospf.v2.options.mt
  ospf.v3.options ospf.v3.options.at ospf.v3.options.l ospf.v3.options.af ospf.v3.options.dc ospf.v3.options.r
  ospf.v3.options.n ospf.v3.options.mc ospf.v3.options.e ospf.v3.options.v6 ospf.db.interface_mtu ospf.dbd ospf.dbd.r
  ospf.dbd.i ospf.dbd.m ospf.dbd.ms ospf.db.dd_sequence ospf.link_state_id ospf.ls.number_of_lsas ospf.lsa
  ospf.lsa.age ospf.lsa.donotage ospf.v3.lsa ospf.v3.lsa.do_not_age ospf.v3.lsa.u ospf.v3.lsa.s12 ospf.v3.lsa.fc
  ospf.lsa.id ospf.advrouter ospf.lsa.seqnum ospf.lsa.chksum ospf.lsa.length ospf.lsa.router ospf.lsa.network
  ospf.lsa.summary ospf.lsa.asbr ospf.lsa.asext ospf.v3.lsa.router ospf.v3.lsa.network ospf.v2.router.lsa.flags
  ospf.v2.router.lsa.flags.h ospf.v2.router.lsa.flags.n ospf.v2.router.lsa.flags.w ospf.v2.router.lsa.flags.v
  ospf.v2.router.lsa.flags.e ospf.v2.router.lsa.flags.b ospf.lsa.number_of_links ospf.lsa.router.linkid
  ospf.lsa.router.linkdata ospf.lsa.router.linktype ospf.lsa.router.nummetrics ospf.lsa.router.metric0 ospf.lsa.tos
  ospf.ls.metric ospf.lsa.network.netmask ospf.lsa.network.attchrtr ospf.lsa.asbr.netmask ospf.metric
  ospf.lsa.asext.netmask ospf.lsa.asext.type ospf.lsa.asext.fwdaddr ospf.lsa.asext.extrttag ospf.v3.router.lsa.flags
  ospf.v3.router.lsa.flags.w ospf.v3.router.lsa.flags.v ospf.v3.router.lsa.flags.e ospf.v3.router.lsa.flags.b
  ospf.v3.lsa.type ospf.v3.lsa.interface_id ospf.v3.lsa.neighbor_interface_id ospf.v3.lsa.neighbor_router_id
  ospf.v3.lsa.attached_router ospf.v2.options.p ospf.lsa.nssa ospf.lsa.member ospf.lsa.opaque ospf.lsid_opaque_type
  ospf.lsid.opaque_id ospf.v3.lsa.interprefix ospf.v3.lsa.interrouter ospf.v3.lsa.asext ospf.v3.lsa.link
  ospf.v3.lsa.intraprefix ospf.prefix_length ospf.v3.prefix.options ospf.v3.prefix.options.p ospf.v3.prefix.options.mc
  ospf.v3.prefix.options.la ospf.v3.prefix.options.nu ospf.v3.address_prefix.ipv6 ospf.v3.lsa.destination_router_id
  ospf.v3.as.external.flags ospf.v3.as.external.flags.e ospf.v3.as.external.flags.f ospf.v3.as.external.flags.t
  ospf.v3.lsa.referenced_ls_type ospf.v3.lsa.forwarding_address.ipv6 ospf.v3.lsa.external_route_tag
  ospf.v3.lsa.referenced_link_state_id ospf.v3.lsa.referenced_advertising_router ospf.v3.lsa.router_priority
  ospf.v3.lsa.link_local_interface_address.ipv6 ospf.v3.lsa.num_prefixes ospf.lls.checksum ospf.lls.data_length
  ospf.tlv_type ospf.tlv_length ospf.lls.ext.options ospf.lls.ext.options.rs ospf.lls.ext.options.lr ip.src ipv6.src)
rip=(_ws.col.Protocol _ws.col.Info frame.protocols rip.command rip.version rip.routing_domain rip.family rip.route_tag
  rip.ip rip.netmask rip.next_hop rip.metric rip.auth.type rip.auth.passwd rip.digest_offset rip.key_id rip.auth_data_len
  rip.seq_num rip.zero_padding rip.authentication_data ripng.cmd ripng.version ripng.reserved ripng.rte.ipv6_prefix
  ripng.rte.route_tag ripng.rte.prefix_length ripng.rte.metric udp.srcport)
vrrp=(_ws.col.Protocol _ws.col.Info frame.protocols vrrp.typever vrrp.version vrrp.type vrrp.virt_rtr_id vrrp.prio
  vrrp.addr_count vrrp.auth_type vrrp.adver_int vrrp.reserved_mbz vrrp.short_adver_int vrrp.checksum vrrp.checksum.status
  vrrp.ip_addr vrrp.ipv6_addr vrrp.auth_string ip.src ipv6.src)
run() { local out=$1 f=$2; shift 2; local args=(-T fields -E header=y -E occurrence=a); for k in "$@"; do args+=(-e "$k"); done
  tshark -n -r "$f" "${args[@]}" 2>/dev/null > "$out"; }
run fixtures/routing-ospf.tshark.tsv fixtures/routing.pcap "${ospf[@]}"
run fixtures/routing-rip.tshark.tsv fixtures/routing.pcap "${rip[@]}"
run fixtures/routing-vrrp.tshark.tsv fixtures/routing.pcap "${vrrp[@]}"
run fixtures/routing-ospf-corpus.tshark.tsv "$C/ipv6-options-ospf-icmpv6-mld.pcapng" "${ospf[@]}"
run fixtures/routing-rip-corpus.tshark.tsv "$C/sll-mixed-dns-http-arp-ipv6.pcap" "${rip[@]}"
