#!/usr/bin/env bash
# Writes the tshark side of the SMB2 tests (test/dissectors/app/smb2.test.ts): columns, frame.protocols and the
# nbss.*, smb2.*, gss-api.*, spnego.* and ntlmssp.* keys tshark 4.0 prints for fixtures/smb2-samba.pcap (real
# traffic, scripts/smb2-capture.sh) and fixtures/smb2-edge.pcap (scripts/smb2-fixture.py), in .tshark.tsv files,
# and -z io,phs of both (.tshark-phs.txt). Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/smb2-fixture.py
keys=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols nbss.type nbss.length
  smb2.protocol_id smb2.header_len smb2.credit.charge smb2.channel_sequence smb2.nt_status smb2.cmd smb2.credits.requested smb2.credits.granted
  smb2.flags smb2.flags.response smb2.flags.async smb2.flags.chained smb2.flags.signature smb2.flags.dfs smb2.flags.replay
  smb2.chain_offset smb2.msg_id smb2.pid smb2.tid smb2.aid smb2.sesid smb2.signature smb2.response_to smb2.time smb2.tree smb2.share_type
  smb2.buffer_code smb2.error.context_count smb2.error.byte_count
  smb2.dialect_count smb2.dialect smb2.sec_mode smb2.sec_mode.sign_enabled smb2.sec_mode.sign_required smb2.capabilities smb2.client_guid smb2.server_guid
  smb2.max_trans_size smb2.max_read_size smb2.max_write_size smb2.current_time smb2.boot_time
  smb2.negotiate_context.offset smb2.negotiate_context.count smb2.negotiate_context.type smb2.negotiate_context.data_length
  smb2.negotiate_context.hash_algorithm smb2.negotiate_context.salt smb2.negotiate_context.cipher_id smb2.negotiate_context.signing_id
  smb2.negotiate_context.comp_alg_id smb2.negotiate_context.netname
  smb2.olb.offset smb2.olb.length smb2.security_blob smb2.session_flags smb2.previous_sesid smb2.share_flags smb2.share_caps
  smb2.filename smb2.create.disposition smb2.create.action smb2.create.time smb2.last_access.time smb2.last_write.time smb2.last_change.time
  smb2.allocation_size smb2.eof smb2.fid smb2.file_attribute smb2.create.oplock smb2.impersonation.level
  smb2.close.flags smb2.read_length smb2.write_length smb2.file_offset smb2.read_remaining smb2.write.count smb2.lock_count
  smb2.find.infolevel smb2.find.flags smb2.find.pattern smb2.file_index smb2.next_offset smb2.max_response_size
  smb2.class smb2.file_info.infolevel smb2.fs_info.infolevel smb2.ioctl.function smb2.notify.flags
  smb2.header.transform.signature smb2.header.transform.nonce smb2.header.transform.msg_size smb2.header.transform.flags smb2.header.transform.enc_data
  smb2.header.comp_transform.original_size smb2.header.comp_transform.comp_alg
  gss-api.OID spnego.negResult spnego.supportedMech spnego.MechType
  ntlmssp.identifier ntlmssp.messagetype ntlmssp.negotiateflags ntlmssp.ntlmserverchallenge ntlmssp.auth.username ntlmssp.auth.domain
  ntlmssp.auth.hostname ntlmssp.auth.sesskey ntlmssp.challenge.target_info.item.type ntlmssp.challenge.target_info.nb_computer_name
  ntlmssp.challenge.target_info.nb_domain_name ntlmssp.challenge.target_info.dns_computer_name ntlmssp.challenge.target_info.timestamp
  ntlmssp.version.major ntlmssp.version.minor ntlmssp.version.build_number ntlmssp.version.ntlm_current_revision
  ntlmssp.ntlmv2_response.ntproofstr ntlmssp.verf.vers ntlmssp.verf.body data.data)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
for f in smb2-samba smb2-edge; do
  tshark -n -r fixtures/$f.pcap "${args[@]}" 2>/dev/null > fixtures/$f.pcap.tshark.tsv
  tshark -n -r fixtures/$f.pcap -q -z io,phs 2>/dev/null > fixtures/$f.pcap.tshark-phs.txt
done
