#!/usr/bin/env bash
# Writes the tshark side of the NetBIOS tests (test/dissectors/app/netbios.test.ts): columns,
# frame.protocols and the nbdgm.*, smb.*, mailslot.*, browser.* and nbss.* keys tshark 4.0 prints for
# fixtures/netbios-browser.pcap (scripts/netbios-fixture.py) and for the NetBIOS rows of the corpus's
# mixed-wireshark-samples-nrb.pcapng, in .tshark.tsv files; tshark -V of fixture frame 1 (.frame1.tshark.txt) and
# -z io,phs of the fixture (.tshark-phs.txt). Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/netbios-fixture.py
keys=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols
  nbdgm.type nbdgm.flags nbdgm.next nbdgm.first nbdgm.node_type nbdgm.dgram_id nbdgm.src.ip nbdgm.src.port
  nbdgm.dgram_len nbdgm.pkt_offset nbdgm.error_code nbdgm.source_name nbdgm.destination_name
  smb.server_component smb.cmd smb.nt_status smb.error_class smb.error_code smb.flags smb.flags2 smb.pid.high smb.signature
  smb.tid smb.pid smb.uid smb.mid smb.wct smb.tpc smb.tdc smb.mpc smb.mdc smb.msc smb.transaction.flags
  smb.timeout smb.pc smb.po smb.dc smb.data_offset smb.sc smb.bcc smb.trans_name smb.dialect smb.buffer_format smb.dialect.name
  mailslot.opcode mailslot.priority mailslot.class mailslot.size mailslot.name
  browser.command browser.update_count browser.period browser.server browser.mb_server browser.windows_version
  browser.os_major browser.os_minor browser.server_type browser.server_type.workstation browser.server_type.server
  browser.server_type.ntw browser.server_type.nts browser.server_type.browser.potential
  browser.server_type.browser.master browser.server_type.domainenum browser.proto_major browser.proto_minor
  browser.sig browser.comment browser.unused browser.response_computer_name browser.election.version
  browser.election.criteria browser.election.desire browser.election.os browser.uptime browser.backup.count
  browser.backup.token browser.backup.server browser.browser_to_promote browser.reset_cmd browser.mysterious_field
  nbss.type nbss.flags nbss.flags.e nbss.length nbss.error_code nbss.retarget_ip_address nbss.retarget_port
  nbss.continuation_data nbss.called_name nbss.calling_name)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/netbios-browser.pcap "${args[@]}" 2>/dev/null > fixtures/netbios-browser.pcap.tshark.tsv
tshark -n -r "$C/mixed-wireshark-samples-nrb.pcapng" -Y 'nbdgm or nbss' "${args[@]}" 2>/dev/null > fixtures/netbios-corpus.tshark.tsv
tshark -n -r fixtures/netbios-browser.pcap -V -Y 'frame.number == 1' 2>/dev/null | sed -n '/^NetBIOS Datagram Service/,$p' > fixtures/netbios-browser.pcap.frame1.tshark.txt
tshark -n -r fixtures/netbios-browser.pcap -q -z io,phs 2>/dev/null > fixtures/netbios-browser.pcap.tshark-phs.txt
