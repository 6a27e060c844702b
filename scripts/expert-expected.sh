#!/usr/bin/env bash
# Writes fixtures/expert/NAME.txt (tshark's `-q -z expert`) and fixtures/expert/NAME@N.txt (one with
# a level and/or filter, the argument on the LIST line) for the captures test/cli/read-expert.test.ts
# compares wiretrace's `read -q -z expert…` with. Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/expert
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.arg
# capture [argument]: what it exercises
while IFS='|' read -r f z _; do
  f=$(echo "$f" | xargs); z=$(echo "$z" | xargs)
  if [ -z "$z" ]; then tshark -n -r "$C/$f" -q -z expert 2>/dev/null > "$out/${f%.*}.txt"
  else n=$(ls "$out" | grep -c "^${f%.*}@.*\.arg$" || true); tshark -n -r "$C/$f" -q -z "$z" 2>/dev/null > "$out/${f%.*}@$n.txt"; echo "$z" > "$out/${f%.*}@$n.arg"; fi
done <<'LIST'
tcp-reassembly-retrans-lost-segments.pcap |  | retransmissions, lost segments, IPv4 length errors
tcp-reassembly-retrans-lost-segments.pcap | expert,warn | warnings and errors only
dns-many-queries-mixed.pcap               |  | DNS, mDNS and LLMNR query retransmissions
pcapng-nsec-http-chunked-comments.pcapng  |  | pcapng comments (Comment/Frame)
pcapng-nsec-http-chunked-comments.pcapng  | expert,Comment | a level in any case
raw12-ipv6-http-4streams.pcap             |  | four HTTP streams over IPv6
tcp-out-of-order-dup-synack.pcap          |  | out-of-order, duplicate SYN+ACK
tcp-fast-retransmit-dupacks.pcap          |  | fast retransmissions after dup ACKs #1..#n
tcp-fast-retransmit-dupacks.pcap          | expert,note,tcp.stream == 0 | a level and a filter
sll-mixed-dns-http-arp-ipv6.pcap          |  | Ethertype trailer notes on Linux cooked frames
http-body-match-chunked-multi.pcap        |  | 9 connections: closing initiator and passive side
http-body-match-chunked-multi.pcap        | expert,chat,http | chats of HTTP packets only
ipv6-atomic-frag-ext-http.pcap            |  | spurious retransmission, deprecated routing header
http-100-continue-chunked.pcap            |  | 100 Continue and the final response
null-ipv4-tcp-keepalive-resp.pcap         |  | keep-alives and their ACKs
http-websocket-upgrade.pcap               |  | 101 response line
tcp-fast-open-exp-option.pcap             |  | TFO cookie on the SYN
malformed-http-chunk-size-2pow64.pcap     |  | an HTTP exception (Malformed)
http-two-requests-one-segment.pcap        |  | two request lines in one segment
tcp-missing-syn-midstream-http.pcap       |  | ACKed unseen segment, previous segment not captured
dns-tcp-tkey-multisegment.pcap            |  | TSIG without a MAC dissector
icmp-traceroute-mpls-ext.pcapng           |  | TTL notes outside and inside ICMP errors
icmp-many-types.pcapng                    |  | TTL rules: RFC 3171 block, low TTL; none from quoted packets
icmp-many-types.pcapng                    | expert,ip.ttl < 5 | a filter on the packet
tcp-options-sack-blocks.pcap              |  | SACK blocks
tcp-mptcp-fastclose.pcap                  |  | RST (a warning in 4.0)
malformed-tcp-bad-data-offset.pcap        |  | short segment, then the exception
malformed-tcp-bad-data-offset.pcap        | expert,error | errors only
tcp-zero-window-recovery.pcapng           |  | zero window, window update
tcp-options-27-28-unknown.pcap            |  | SYN without an MSS option
ipv4-options-rr-ts-lsrr-ssrr-ra-cipso.pcap |  | low TTL
malformed-pcap-caplen-gt-origlen.pcap     |  | frame length below the captured length
malformed-ipv4-total-length-gt-frame.pcap |  | IPv4 total length exceeds the packet
malformed-ipv4-header-length-16.pcap      |  | bogus IPv4 header length
ipv6-ext-hbh-dst-rt-frag-udp.pcap         |  | 33 routing headers in one packet
dns-notify-vlan.pcap                      |  | group address as the Ethernet source
eth-trailer-padding-mixed.pcap            |  | trailer after zero padding: no note
dns-caa.pcap                              |  | no expert item: nothing printed
dns-uri-rr.pcap                           |  | a record type tshark 4.0 does not dissect
raw-ip-http-pipelined-dns-mixed.pcap      |  | DHCP seconds sent little-endian
LIST
# captures whose summary wiretrace does not reproduce (why: KNOWN_DIFFERENT in the test); the test
# checks they still differ, so one that becomes equal is noticed and moved to the list above
mkdir -p "$out/known-different"
rm -f "$out/known-different"/*.txt
for f in tcp-zero-window-keepalive-probes.pcapng dns-tcp-axfr.pcapng http-chunked-response-jpeg.pcap \
  ipv6-options-ospf-icmpv6-mld.pcapng malformed-dns-forward-pointer.pcap malformed-ipv6-ext-header-truncated.pcap \
  malformed-ipv6-frag-negative-length.pcap malformed-pcap-usec-ge-1e6.pcap mixed-browsing-dns-http.pcapng \
  mixed-wireshark-samples-nrb.pcapng pcapng-11if-eth-null-raw.pcapng pcapng-be-raw-ipv4-udp.pcapng \
  pcapng-eth-sll-comments.pcapng tcp-dup-ack-sack-http.pcapng tcp-seq-wraparound-http.pcap; do
  tshark -n -r "$C/$f" -q -z expert 2>/dev/null > "$out/known-different/${f%.*}.txt"
done
