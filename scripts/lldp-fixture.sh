#!/usr/bin/env bash
# Writes the tshark side of the LLDP tests (test/dissectors/link/lldp.test.ts): columns, frame.protocols and
# the lldp.* keys tshark 4.0 prints for fixtures/lldp-frames.pcap (scripts/lldp-fixture.py), in
# lldp-frames.pcap.tshark.tsv. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/lldp-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols lldp.tlv.type lldp.tlv.len lldp.chassis.subtype lldp.chassis.id
  lldp.chassis.id.mac lldp.chassis.id.ip4 lldp.chassis.id.ip6 lldp.network_address.subtype lldp.port.subtype lldp.port.id
  lldp.port.id.mac lldp.time_to_live lldp.port.desc lldp.tlv.system.name lldp.tlv.system.desc lldp.tlv.system_cap
  lldp.tlv.system_cap.bridge lldp.tlv.system_cap.router lldp.tlv.enable_system_cap lldp.tlv.enable_system_cap.bridge
  lldp.tlv.enable_system_cap.router lldp.mgn.address.len lldp.mgn.address.subtype lldp.mgn.addr.ip4 lldp.mgn.addr.ip6
  lldp.mgn.interface.subtype lldp.mgn.interface.number lldp.mgn.obj.len lldp.mgn.obj.id lldp.orgtlv.oui
  lldp.ieee.802_1.subtype lldp.ieee.802_1.port_vlan.id lldp.ieee.802_1.vlan.id lldp.ieee.802_1.vlan.name_len
  lldp.ieee.802_1.vlan.name lldp.ieee.802_3.subtype lldp.ieee.802_3.mac_phy_auto_neg_status
  lldp.ieee.802_3.mac_phy_auto_neg_status.supported lldp.ieee.802_3.mac_phy_auto_neg_status.enabled
  lldp.ieee.802_3.pmd_auto_neg_advertised_caps lldp.ieee.802_3.pmd_auto_neg_advertised_caps.1000base_tfd
  lldp.ieee.802_3.pmd_mau_type lldp.ieee.802_3.max_frame_size lldp.unknown_subtype lldp.unknown_subtype.content)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/lldp-frames.pcap "${args[@]}" 2>/dev/null > fixtures/lldp-frames.pcap.tshark.tsv
