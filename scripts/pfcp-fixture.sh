#!/usr/bin/env bash
# Writes the tshark side of the PFCP tests (test/dissectors/app/pfcp.test.ts): for
# fixtures/pfcp-messages.pcap (6 hand-made datagrams: a heartbeat with a Recovery Time Stamp IE, an
# unknown message type with the MP and S flags, a session modification with a grouped Create QER and
# a vendor IE, an IE header cut short, two messages in one datagram with and without the FO flag) and the corpus's pcapng-be-raw-ipv4-udp.pcapng (200 messages),
# the columns and header keys tshark 4.0 prints, in NAME.tshark.tsv. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
keys=(_ws.col.Protocol _ws.col.Info frame.protocols pfcp.flags pfcp.version pfcp.fo_flag pfcp.mp_flag pfcp.s pfcp.msg_type
  pfcp.length pfcp.seqno pfcp.ie_type pfcp.ie_len pfcp.enterprise_ie pfcp.enterprise_id)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/pfcp-messages.pcap "${args[@]}" 2>/dev/null > fixtures/pfcp-messages.pcap.tshark.tsv
tshark -n -r "$C/pcapng-be-raw-ipv4-udp.pcapng" "${args[@]}" 2>/dev/null > fixtures/pfcp-corpus.tshark.tsv
