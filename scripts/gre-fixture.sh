#!/usr/bin/env bash
# Writes the tshark side of the GRE / PPP / PPTP tests (test/dissectors/net/gre.test.ts,
# test/dissectors/app/pptp.test.ts): columns, frame.protocols and the gre.* / ppp.* / lcp.* / ipcp.* /
# ccp.* / chap.* / pap.* / pptp.* keys tshark 4.0 prints for fixtures/gre-ppp.pcap (scripts/gre-fixture.py)
# and for the corpus's pcap-usec-be-pptp-gre.pcap, in .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/gre-fixture.py
gre=(_ws.col.Protocol _ws.col.Info frame.protocols gre.flags_and_version gre.flags.checksum gre.flags.routing gre.flags.key
  gre.flags.sequence_number gre.flags.strict_source_route gre.flags.recursion_control gre.flags.ack gre.flags.reserved
  gre.flags.version gre.proto gre.checksum gre.checksum.status gre.offset gre.key gre.key.payload_length gre.key.call_id
  gre.sequence_number gre.ack_number ppp.address ppp.control ppp.protocol ppp.code ppp.identifier ppp.length ppp.data
  lcp.opt.type lcp.opt.length lcp.opt.mru lcp.opt.asyncmap lcp.opt.asyncmap.nul lcp.opt.asyncmap.us lcp.opt.auth_protocol
  lcp.opt.algorithm lcp.opt.magic_number lcp.opt.operation lcp.opt.mrru lcp.opt.ep_disc_class lcp.opt.data
  lcp.magic_number lcp.data lcp.rej_proto ipcp.opt.type ipcp.opt.length ipcp.opt.ip_address ipcp.opt.pri_dns_address
  ipcp.opt.sec_dns_address ccp.opt.type ccp.opt.length ccp.opt.supported_bits ccp.opt.supported_bits.h
  ccp.opt.supported_bits.s ccp.opt.supported_bits.c chap.code chap.identifier chap.length chap.value_size chap.value
  chap.name chap.message pap.code pap.identifier pap.length pap.peer_id.length pap.peer_id pap.password.length
  pap.password pap.message.length pap.message ip.src ip.dst ipv6.src udp.srcport icmp.seq)
pptp=(_ws.col.Protocol _ws.col.Info frame.protocols pptp.length pptp.type pptp.magic_cookie pptp.control_message_type
  pptp.reserved pptp.protocol_version pptp.framing_capabilities pptp.bearer_capabilities pptp.maximum_channels
  pptp.firmware_revision pptp.host_name pptp.vendor_name pptp.control_result pptp.error pptp.reason pptp.stop_result
  pptp.identifier pptp.echo_result pptp.call_id pptp.call_serial_number pptp.minimum_bps pptp.maximum_bps
  pptp.bearer_type pptp.framing_type pptp.packet_receive_window_size pptp.packet_processing_delay
  pptp.phone_number_length pptp.phone_number pptp.subaddress pptp.peer_call_id pptp.out_result pptp.cause
  pptp.connect_speed pptp.physical_channel_id pptp.dialed_number_length pptp.dialed_number pptp.dialing_number_length
  pptp.dialing_number pptp.in_result pptp.disc_result pptp.call_Statistics pptp.crc_errors pptp.framing_errors
  pptp.hardware_overruns pptp.buffer_overruns pptp.timeout_errors pptp.alignment_errors pptp.send_accm pptp.receive_accm)
run() { local out=$1 f=$2; shift 2; local args=(-T fields -E header=y -E occurrence=a); for k in "$@"; do args+=(-e "$k"); done
  tshark -n -r "$f" "${args[@]}" 2>/dev/null > "$out"; }
run fixtures/gre-ppp.pcap.tshark.tsv fixtures/gre-ppp.pcap "${gre[@]}"
run fixtures/gre-ppp-pptp.tshark.tsv fixtures/gre-ppp.pcap "${pptp[@]}"
run fixtures/gre-corpus.tshark.tsv "$C/pcap-usec-be-pptp-gre.pcap" "${gre[@]}"
run fixtures/gre-corpus-pptp.tshark.tsv "$C/pcap-usec-be-pptp-gre.pcap" "${pptp[@]}"
