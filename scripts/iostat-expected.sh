#!/usr/bin/env bash
# Writes fixtures/iostat/NAME.txt: tshark's `-q -z io,stat,…` for each case of fixtures/iostat/cases.tsv
# (NAME, capture, -z argument, what it exercises), which test/cli/read-iostat.test.ts compares wiretrace's
# `read -q -z io,stat,…` with. A capture is a corpus name (../shared/corpus, or $WIRETRACE_CORPUS) or a
# path in the repo (the synthetic ones: scripts/iostat-fixture.mjs). Needs tshark (4.0 here).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
out=fixtures/iostat
n=0
while IFS=$'\t' read -r name capture z _; do
  case $name in '#'*|'') continue ;; esac
  if [ -e "$capture" ]; then f=$capture; elif [ -e "$C/$capture.pcap" ]; then f=$C/$capture.pcap; else f=$C/$capture.pcapng; fi
  tshark -n -r "$f" -q -z "$z" 2>/dev/null > "$out/$name.txt"
  n=$((n + 1))
done < "$out/cases.tsv"
echo "iostat-expected: $n outputs written to $out/"
