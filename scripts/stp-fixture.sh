#!/usr/bin/env bash
# Writes the tshark side of the STP tests (test/dissectors/link/stp.test.ts): columns, frame.protocols and
# the stp.* / mstp.* keys tshark 4.0 prints for fixtures/stp-bpdus.pcap (scripts/stp-fixture.py) and for the
# corpus's sll2-llc-stp.pcap (one RSTP BPDU over Linux cooked capture v2), in .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/stp-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols stp.protocol stp.version stp.type stp.flags stp.flags.tcack
  stp.flags.agreement stp.flags.forwarding stp.flags.learning stp.flags.port_role stp.flags.proposal stp.flags.tc
  stp.root.prio stp.root.ext stp.root.hw stp.root.cost stp.bridge.prio stp.bridge.ext stp.bridge.hw stp.port
  stp.msg_age stp.max_age stp.hello stp.forward stp.version_1_length mstp.version_3_length
  mstp.config_format_selector mstp.config_name mstp.config_revision_level mstp.config_digest
  mstp.cist_internal_root_path_cost mstp.cist_bridge.prio mstp.cist_bridge.ext mstp.cist_bridge.hw
  mstp.cist_remaining_hops mstp.msti.flags mstp.msti.priority mstp.msti.msti_id mstp.msti.root.hw
  mstp.msti.root_cost mstp.msti.bridge_priority mstp.msti.port_priority mstp.msti.remaining_hops stp.pvst.tlvtype
  stp.pvst.tlvlen stp.pvst.origvlan)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
tshark -n -r fixtures/stp-bpdus.pcap "${args[@]}" 2>/dev/null > fixtures/stp-bpdus.pcap.tshark.tsv
tshark -n -r "$C/sll2-llc-stp.pcap" "${args[@]}" 2>/dev/null > fixtures/stp-corpus.tshark.tsv
