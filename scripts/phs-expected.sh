#!/usr/bin/env bash
# Writes fixtures/phs/NAME.txt: tshark's `-q -z io,phs[,FILTER]` for the corpus captures that
# test/cli/read-phs.test.ts compares wiretrace's `read -q -z io,phs` with. Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/phs
mkdir -p "$out"
# capture [filter]: captures where the hierarchy exercises one of tshark's tree rules
while read -r f filter; do
  name=${f%.*}${filter:+-filtered}
  tshark -n -r "$C/$f" -q -z "io,phs${filter:+,$filter}" 2>/dev/null > "$out/$name.txt"
done <<'LIST'
http-websocket-upgrade.pcap
icmp-dest-unreach-udp-dns.pcap
icmp-echo-request-reply.pcapng
sll-ipv6-http-snaplen.pcap
dns-mdns-ipv4-ipv6.pcap
ipv4-frag-http-request.pcap
malformed-ipv4-linktype-carrying-ipv6.pcap
http-chunked-response-jpeg.pcap
vlan-qinqinq-http-get.pcap
malformed-snaplen-truncated-dns.pcap
tcp-retransmissions-rto-backoff.pcapng
ipv6-ext-hbh-dst-rt-frag-udp.pcap
http-chunked-response-jpeg.pcap tcp.len > 0 || ip.src == 10.0.0.1
LIST
