#!/usr/bin/env bash
# Writes the tshark side of the X.509 tests (test/dissectors/app/x509.test.ts): columns, frame.protocols
# and every x509 key tshark 4.0 prints for fixtures/x509-certificates.pcap (scripts/x509-fixture.py, from
# the certificates of scripts/x509-certs.sh) and for the corpus's certificate frames, in .tshark.tsv
# files; the tshark -V text of two frames; io,phs. Needs tshark and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/x509-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols tls.handshake.certificate_length tls.handshake.certificate tls.sct.scts_length tls.sct.sct_length tls.sct.sct_version tls.sct.sct_logid tls.sct.sct_timestamp tls.sct.sct_extensions_length tls.sct.sct_signature_length tls.sct.sct_signature)
keys+=($(node -e "import('./dist/src/dissect/x509.js').then((m) => console.log(m.X509_FIELD_KEYS.join(' ')))"))
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/x509-certificates.pcap "${args[@]}" 2>/dev/null > fixtures/x509-certificates.pcap.tshark.tsv
for f in pcapng-eth-sll-comments.pcapng; do
  tshark -n -r "$C/$f" -Y tls "${args[@]}" -e frame.number 2>/dev/null > "fixtures/x509-corpus-$f.tshark.tsv"
done
for n in 5 25 34; do
  tshark -n -r fixtures/x509-certificates.pcap -V -O tls -Y "frame.number == $n" 2>/dev/null > fixtures/x509-certificates.pcap.frame$n.tshark.txt
done
tshark -n -r fixtures/x509-certificates.pcap -q -z io,phs 2>/dev/null > fixtures/x509-certificates.pcap.tshark-phs.txt
