#!/usr/bin/env bash
# Writes fixtures/iousers/NAME.txt: tshark's conversation and endpoint tables (`-q -z conv,TYPE
# -z endpoints,TYPE` for eth, ip, ipv6, tcp, udp, in one run) for the corpus captures that
# test/cli/read-iousers.test.ts compares wiretrace's `read -q -z …` with. Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/iousers
mkdir -p "$out"
Z=()
for t in eth ip ipv6 tcp udp; do Z+=(-z "conv,$t" -z "endpoints,$t"); done
# capture: each exercises one rule of tshark's taps (see src/analysis/iousers.ts)
while read -r f; do
  tshark -n -r "$C/$f" -q "${Z[@]}" 2>/dev/null > "$out/${f%.*}.txt"
done <<'LIST'
icmp-dest-unreach-udp-dns.pcap
ipv4-frag-icmp-echo.pcapng
ipv6-frag-icmpv6-echo.pcapng
ipv6-frag-dns-udp.pcap
ipv6-routing-header-types.pcap
malformed-tcp-bad-data-offset.pcap
malformed-ipv6-ext-header-truncated.pcap
mixed-wireshark-samples-nrb.pcapng
dns-mdns-ipv4-ipv6.pcap
sll-mixed-dns-http-arp-ipv6.pcap
vlan-http-get.pcap
LIST
# with tap filters
tshark -n -r fixtures/demo.pcapng -q -z 'conv,tcp,http.request' -z 'endpoints,ip,tcp || icmp' -z 'conv,udp,dns.flags.response == 1' 2>/dev/null > "$out/demo-filtered.txt"
