#!/usr/bin/env bash
# Writes the tshark side of test/dissectors/app/cldap.test.ts: columns, frame.protocols, the ldap.* keys
# a CLDAP exchange carries and every mscldap.* key, as tshark 4.0 prints them for fixtures/cldap.pcap
# (scripts/cldap-fixture.py), in fixtures/cldap.pcap.tshark.tsv; and tshark -V of the LDAP ping answers.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/cldap-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols ldap.messageID ldap.protocolOp ldap.baseObject ldap.scope ldap.filter \
  ldap.attributeDesc ldap.assertionValue ldap.guid ldap.attributes ldap.objectName ldap.type ldap.AttributeValue ldap.resultCode ldap.matchedDN ldap.errorMessage ldap.response_to ldap.time \
  mscldap.netlogon.opcode mscldap.netlogon.flags mscldap.netlogon.flags.forestnc mscldap.netlogon.flags.defaultnc mscldap.netlogon.flags.dnsname \
  mscldap.netlogon.flags.writabledc mscldap.netlogon.flags.rodc mscldap.netlogon.flags.ndnc mscldap.netlogon.flags.good_timeserv \
  mscldap.netlogon.flags.writable mscldap.netlogon.flags.closest mscldap.netlogon.flags.timeserv mscldap.netlogon.flags.kdc \
  mscldap.netlogon.flags.ds mscldap.netlogon.flags.ldap mscldap.netlogon.flags.gc mscldap.netlogon.flags.pdc mscldap.domain.guid \
  mscldap.forest mscldap.domain mscldap.hostname mscldap.nb_domain mscldap.nb_hostname mscldap.username mscldap.sitename \
  mscldap.clientsitename mscldap.netlogon.ipaddress mscldap.netlogon.ipaddress.family mscldap.netlogon.ipaddress.port \
  mscldap.netlogon.ipaddress.ipv4 mscldap.ntver.flags mscldap.ntver.searchflags.v1 mscldap.ntver.searchflags.v5 \
  mscldap.ntver.searchflags.v5ex mscldap.ntver.searchflags.v5ep mscldap.ntver.searchflags.vcs mscldap.ntver.searchflags.vnt4 \
  mscldap.ntver.searchflags.vpdc mscldap.ntver.searchflags.vip mscldap.ntver.searchflags.vl mscldap.ntver.searchflags.vgc \
  mscldap.netlogon.lm_token mscldap.netlogon.nt_token; do args+=(-e "$k"); done
tshark -n -r fixtures/cldap.pcap "${args[@]}" 2>/dev/null > fixtures/cldap.pcap.tshark.tsv
tshark -n -r fixtures/cldap.pcap -V -O cldap -Y 'frame.number == 2 || frame.number == 3 || frame.number == 5 || frame.number == 6' 2>/dev/null > fixtures/cldap.pcap.pings.tshark.txt
