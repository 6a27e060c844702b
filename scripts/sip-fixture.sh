#!/usr/bin/env bash
# Writes the tshark side of the SIP tests (test/dissectors/app/sip.test.ts): for fixtures/sip-messages.pcap
# (scripts/sip-fixture.py), sip-tcp.pcap, sip-rtp.pcap and fixtures/sip-sipp.pcap (real sipp traffic, scripts/sip-sipp.sh) the columns,
# frame.protocols and the sip.*/sdp.*/rtp.* keys wiretrace supports (.tshark.tsv), -z io,phs (.tshark-phs.txt), and tshark -V of the INVITE
# with SDP (.frame1.tshark.txt) and of the RTP packets (sip-rtp.pcap.rtp.tshark.txt). Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/sip-fixture.py
keys=(_ws.col.Protocol _ws.col.Info frame.protocols
  sip.Request-Line sip.Method sip.r-uri sip.r-uri.user sip.r-uri.host sip.r-uri.port sip.Status-Line sip.Status-Code
  sip.resend sip.resend-original sip.response-request sip.response-time sip.msg_hdr
  sip.Via sip.Via.transport sip.Via.sent-by.address sip.Via.sent-by.port sip.Via.branch sip.Via.rport sip.Via.received
  sip.From sip.from.display.info sip.from.addr sip.from.user sip.from.host sip.from.port sip.from.tag
  sip.To sip.to.display.info sip.to.addr sip.to.user sip.to.host sip.to.tag sip.tag sip.display.info
  sip.Call-ID sip.call_id_generated sip.CSeq sip.CSeq.seq sip.CSeq.method
  sip.Contact sip.contact.uri sip.contact.user sip.contact.host sip.contact.port sip.contact.parameter
  sip.Max-Forwards sip.User-Agent sip.Server sip.Content-Type sip.Content-Length sip.Expires sip.Allow sip.Accept sip.Supported
  sip.Event sip.Subscription-State sip.Date sip.Subject sip.Refer-To sip.Allow-Events
  sip.WWW-Authenticate sip.Authorization sip.auth sip.auth.scheme sip.auth.realm sip.auth.nonce sip.auth.algorithm sip.auth.qop
  sip.auth.username sip.auth.uri sip.auth.digest.response
  sdp.version sdp.owner sdp.owner.username sdp.owner.sessionid sdp.owner.version sdp.owner.network_type sdp.owner.address_type
  sdp.owner.address sdp.session_name sdp.session_info sdp.connection_info sdp.connection_info.network_type
  sdp.connection_info.address_type sdp.connection_info.address sdp.bandwidth sdp.bandwidth.modifier sdp.bandwidth.value
  sdp.time sdp.time.start sdp.time.stop sdp.timezone sdp.timezone.time sdp.timezone.offset sdp.encryption_key
  sdp.encryption_key.type sdp.encryption_key.data sdp.session_attr sdp.session_attr.field sdp.session_attr.value
  sdp.media sdp.media.media sdp.media.port sdp.media.port_string sdp.media.portcount sdp.media.proto sdp.media.format
  sdp.media_attr sdp.media_attribute.field sdp.media_attribute.value sdp.mime.type sdp.sample_rate sdp.fmtp.parameter sdp.invalid
  rtp.setup rtp.setup-frame rtp.setup-method rtp.version rtp.padding rtp.ext rtp.cc rtp.marker rtp.p_type rtp.seq rtp.extseq
  rtp.timestamp rtp.ssrc rtp.csrc.item rtp.ext.profile rtp.ext.len rtp.ext.rfc5285.id rtp.ext.rfc5285.len rtp.ext.rfc5285.data
  rtp.payload rtp.padding.data rtp.padding.count
  rtcp.setup-frame rtcp.setup-method rtcp.version rtcp.padding rtcp.rc rtcp.sc rtcp.pt rtcp.length rtcp.senderssrc
  rtcp.timestamp.ntp.msw rtcp.timestamp.ntp.lsw rtcp.timestamp.ntp rtcp.timestamp.rtp rtcp.sender.packetcount rtcp.sender.octetcount
  rtcp.ssrc.identifier rtcp.ssrc.fraction rtcp.ssrc.cum_nr rtcp.ssrc.ext_high rtcp.ssrc.high_cycles rtcp.ssrc.high_seq rtcp.ssrc.jitter
  rtcp.ssrc.lsr rtcp.ssrc.dlsr rtcp.sdes.type rtcp.sdes.length rtcp.sdes.text rtcp.length_check)
args=(-T fields -E header=y -E occurrence=a)
for k in "${keys[@]}"; do args+=(-e "$k"); done
for f in sip-messages sip-sipp sip-tcp sip-rtp; do
  tshark -n -r "fixtures/$f.pcap" "${args[@]}" 2>/dev/null > "fixtures/$f.pcap.tshark.tsv"
  tshark -n -q -z io,phs -r "fixtures/$f.pcap" 2>/dev/null > "fixtures/$f.pcap.tshark-phs.txt"
  # the SIP, SDP and RTP part of every packet's tree (from its title to the packet's blank line)
  tshark -n -V -r "fixtures/$f.pcap" 2>/dev/null | awk '/^(Session Initiation Protocol|Real-Time Transport Protocol|Real-time Transport Control Protocol)/{on=1} on{print} /^$/{on=0}' > "fixtures/$f.pcap.sip-trees.tshark.txt"
done
tshark -n -r fixtures/sip-messages.pcap -V -Y 'frame.number == 1' 2>/dev/null | sed -n '/^Session Initiation Protocol/,$p' > fixtures/sip-messages.pcap.frame1.tshark.txt
tshark -n -r fixtures/sip-rtp.pcap -V -Y 'rtp.ssrc' 2>/dev/null | sed -n '/^Real-Time Transport Protocol/,/^$/p' > fixtures/sip-rtp.pcap.rtp.tshark.txt
