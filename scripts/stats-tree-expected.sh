#!/usr/bin/env bash
# Writes fixtures/stats-tree/NAME.txt: tshark's stats_tree statistics (`-q -z http,tree -z http_req,tree
# -z http_srv,tree -z dns,tree -z plen,tree -z ptype,tree`, in one run) for the captures that
# test/cli/read-stats-tree.test.ts compares wiretrace's `read -q -z …` with. Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/stats-tree
mkdir -p "$out"
Z=()
for t in http http_req http_srv dns plen ptype; do Z+=(-z "$t,tree"); done
# capture: what it exercises (see src/analysis/stats-trees.ts)
while read -r f _; do
  tshark -n -r "$C/$f" -q "${Z[@]}" 2>/dev/null > "$out/${f%.*}.txt"
done <<'LIST'
http-100-continue-chunked.pcap          POST, a 1xx response, chunked body
http-body-match-chunked-multi.pcap      9 connections: hosts, URIs, Other HTTP Packets
http-ipv4-and-ipv6.pcapng               server addresses IPv4 and IPv6
http-two-requests-one-segment.pcap      two requests in one segment: two tap calls in one frame
http-websocket-upgrade.pcap             101 Switching Protocols, then no more HTTP
ipv6-atomic-frag-ext-http.pcap          bytes that start no message: Other HTTP Packets, no http layer
malformed-http-chunk-size-2pow64.pcap   a malformed message never reaches the tap
mixed-wireshark-samples-nrb.pcapng      SSDP (NOTIFY, M-SEARCH counted as SEARCH), DNS, mDNS, Teredo
dns-tcp-axfr.pcapng                     DNS over TCP (payload size with the length prefix)
dns-many-queries-mixed.pcap             DNS with LLMNR and mDNS (not counted), unsolicited responses
dns-mdns-ipv4-ipv6.pcap                 mDNS only: an empty DNS tree
dns-dynamic-update.pcap                 UPDATE opcode, zone counts
malformed-dns-forward-pointer.pcap      records that run off the end: no tap
icmp-dest-unreach-udp-dns.pcap          the DNS an ICMP error quotes is not counted; ptype UDP
malformed-ipv4-header-length-16.pcap    a bogus IPv4 header: no ptype tap
LIST
tshark -n -r fixtures/demo.pcapng -q "${Z[@]}" 2>/dev/null > "$out/demo.txt"
# with tap filters
tshark -n -r fixtures/demo.pcapng -q -z 'http,tree,http.response.code == 200' -z 'dns,tree,dns.flags.response == 1' -z 'plen,tree,tcp.port == 80' -z 'ptype,tree,frame.number > 20' 2>/dev/null > "$out/demo-filtered.txt"
# a filter no packet passes
tshark -n -r fixtures/demo.pcapng -q -z 'http_srv,tree,arp' -z 'dns,tree,arp' 2>/dev/null > "$out/demo-none.txt"
