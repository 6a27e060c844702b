#!/usr/bin/env bash
# Writes the tshark side of the LDAP tests (test/dissectors/app/ldap.test.ts): columns, frame.protocols
# and the ldap.* keys tshark 4.0 prints for fixtures/ldap-session.pcap (scripts/ldap-fixture.py) and the
# corpus's pcapng-126if-nrb-vlan-ipv6-tcp.pcapng (its LDAP rows), in .tshark.tsv files; and the
# tshark -V text of one frame. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/ldap-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols ldap.LDAPMessage_element ldap.messageID ldap.protocolOp ldap.version ldap.name \
  ldap.authentication ldap.simple ldap.mechanism ldap.baseObject ldap.scope ldap.derefAliases ldap.sizeLimit ldap.timeLimit ldap.typesOnly \
  ldap.filter ldap.and ldap.and_item ldap.or_item ldap.not ldap.attributeDesc ldap.assertionValue ldap.present ldap.substrings_item \
  ldap.initial ldap.any ldap.final ldap.matchingRule ldap.matchValue ldap.dnAttributes ldap.attributes ldap.AttributeDescription \
  ldap.objectName ldap.type ldap.vals ldap.AttributeValue ldap.oid ldap.resultCode ldap.matchedDN ldap.errorMessage ldap.referral ldap.LDAPURL \
  ldap.searchResRef ldap.object ldap.modification ldap.operation ldap.entry ldap.newrdn ldap.deleteoldrdn ldap.newSuperior ldap.delRequest \
  ldap.abandonRequest ldap.requestName ldap.requestValue ldap.responseName ldap.response ldap.responseValue ldap.controls ldap.controlType \
  ldap.criticality ldap.controlValue ldap.size ldap.cookie ldap.response_to ldap.time; do args+=(-e "$k"); done
tshark -n -r fixtures/ldap-session.pcap "${args[@]}" 2>/dev/null > fixtures/ldap-session.pcap.tshark.tsv
tshark -n -r "$C/pcapng-126if-nrb-vlan-ipv6-tcp.pcapng" -Y ldap "${args[@]}" 2>/dev/null > fixtures/ldap-corpus.tshark.tsv
tshark -n -r fixtures/ldap-session.pcap -V -O ldap -Y 'frame.number == 10' 2>/dev/null > fixtures/ldap-session.pcap.frame10.tshark.txt
