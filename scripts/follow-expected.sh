#!/usr/bin/env bash
# Writes fixtures/follow/NAME.txt: tshark's `-q -z follow,tcp,MODE,WHICH` for the captures that
# test/cli/read-follow.test.ts compares wiretrace's `read -q -z follow,…` with. Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/follow
mkdir -p "$out"
# name capture mode which: the payload of a keep-alive HTTP exchange in each mode, a stream named by its
# two ends, tabs in text (ascii shows them as dots), spaces ending a hex line, IPv6, no such stream
while read -r name f mode which; do
  [[ $f == demo ]] && f=fixtures/demo.pcapng || f="$C/$f"
  tshark -n -r "$f" -q -z "follow,tcp,$mode,$which" 2>/dev/null > "$out/$name.txt"
done <<'LIST'
demo-ascii-0 demo ascii 0
demo-hex-0 demo hex 0
demo-raw-tuple demo raw 127.0.0.2:45165,127.0.0.1:81
demo-none demo ascii 9
raw12-ipv6-ascii-0 raw12-ipv6-http-4streams.pcap ascii 0
vlan-http-hex-0 vlan-http-get.pcap hex 0
LIST
