#!/usr/bin/env bash
# Writes the tshark side of the DHCPv6 tests (test/dissectors/app/dhcpv6.test.ts): columns,
# frame.protocols and the dhcpv6.* keys tshark 4.0 prints for fixtures/dhcpv6-messages.pcap
# (scripts/dhcpv6-fixture.py) and for the DHCPv6 rows of the corpus's mixed-wireshark-samples-nrb.pcapng,
# in .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/dhcpv6-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols dhcpv6.msgtype dhcpv6.xid dhcpv6.hopcount dhcpv6.linkaddr
  dhcpv6.peeraddr dhcpv6.option.type dhcpv6.option.length dhcpv6.option.type_str dhcpv6.duid.bytes dhcpv6.duid.type
  dhcpv6.duidllt.hwtype dhcpv6.duidllt.time dhcpv6.duidllt.link_layer_addr dhcpv6.duidll.hwtype
  dhcpv6.duidll.link_layer_addr dhcpv6.duiden.enterprise dhcpv6.duiden.identifier dhcpv6.duiduuid.bytes dhcpv6.iaid
  dhcpv6.iaid.t1 dhcpv6.iaid.t2 dhcpv6.iata dhcpv6.iaaddr.ip dhcpv6.iaaddr.pref_lifetime dhcpv6.iaaddr.valid_lifetime
  dhcpv6.iaprefix.pref_lifetime dhcpv6.iaprefix.valid_lifetime dhcpv6.iaprefix.pref_len dhcpv6.iaprefix.pref_addr
  dhcpv6.requested_option_code dhcpv6.option_preference dhcpv6.elapsed_time dhcpv6.status_code dhcpv6.status_msg
  dhcpv6.dns_server dhcpv6.search_list_entry dhcpv6.client_fqdn_flags dhcpv6.clientfqdn.client.s
  dhcpv6.clientfqdn.client.n dhcpv6.client_domain dhcpv6.vendorclass.enterprise dhcpv6.vendorclass.data
  dhcpv6.userclass.length dhcpv6.userclass.opaque_data dhcpv6.vendoropts.enterprise
  dhcpv6.vendoropts.enterprise.option_code dhcpv6.vendoropts.enterprise.option_length
  dhcpv6.vendoropts.enterprise.option_data dhcpv6.interface_id dhcpv6.reconf_msg dhcpv6.unicast dhcpv6.auth.protocol
  dhcpv6.auth.algorithm dhcpv6.auth.rdm dhcpv6.auth.replay_detection dhcpv6.auth.info)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/dhcpv6-messages.pcap "${args[@]}" 2>/dev/null > fixtures/dhcpv6-messages.pcap.tshark.tsv
tshark -n -r "$C/mixed-wireshark-samples-nrb.pcapng" -Y dhcpv6 "${args[@]}" 2>/dev/null > fixtures/dhcpv6-corpus.tshark.tsv
