// Decoded header values (`layer.d`) that stateful analysis and other outputs read.
// The dissectors in dissectors/ fill these; analysis (src/analysis/) reads them and never
// re-parses bytes. Keep these shapes stable: both sides depend on them.

/** dissectors/ipv4.ts and ipv6.ts: layer.d of 'ip' and 'ipv6'. */
export interface IpD {
  version: 4 | 6;
  /** Addresses as text (ip.src / ipv6.src form). '' when the header is short. */
  src: string;
  dst: string;
  /** Upper-layer protocol (after IPv6 extension headers). -1 when unknown. */
  proto: number;
  /** TTL / hop limit. */
  ttl: number;
  /** IPv4 total length / IPv6 payload length + 40 (0 if short). */
  totalLen: number;
  /** True when this packet is a fragment (not yet the reassembled datagram). */
  fragment: boolean;
  /** Offsets in layer.buf of the source and destination address bytes (4 or 16 bytes), for pseudo-header checksums. -1 if short. */
  srcAt: number;
  dstAt: number;
}

/** dissectors/udp.ts: layer.d of 'udp'. */
export interface UdpD {
  srcport: number;
  dstport: number;
  /** UDP length field. */
  length: number;
  /** Payload range in layer.buf. */
  payloadStart: number;
  payloadEnd: number;
}

/** TCP options as decoded (absent option = undefined). */
export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPerm?: boolean;
  /** SACK blocks as [left, right) raw sequence numbers. */
  sack?: [number, number][];
  tsval?: number;
  tsecr?: number;
  /** TCP Fast Open cookie present (kind 34, or experimental 254/0xF989); cookie length 0 = request. */
  tfo?: { cookieLen: number };
  mptcp?: boolean;
  /** An AccECN option (kind 172/174, or 254 with ExID 0xACC0/0xACC1) is present. */
  accEcn?: boolean;
}

/** dissectors/tcp.ts: layer.d of 'tcp'. */
export interface TcpD {
  srcport: number;
  dstport: number;
  /** Raw sequence and acknowledgement numbers (unsigned 32-bit). */
  seq: number;
  ack: number;
  /** Header length in bytes (data offset * 4). */
  hdrLen: number;
  /** The 12 flag bits: FIN 0x001, SYN 0x002, RST 0x004, PSH 0x008, ACK 0x010, URG 0x020, ECE 0x040, CWR 0x080, AE 0x100. */
  flags: number;
  /** Raw (unscaled) window field. */
  window: number;
  urgent: number;
  /** TCP segment length (tcp.len) = IP payload - header length; payload bytes actually captured may be fewer. */
  len: number;
  /** Captured payload range in layer.buf (may be shorter than len when cut by snaplen). */
  payloadStart: number;
  payloadEnd: number;
  options: TcpOptions;
  /** false when the header is short (nothing above is valid then). */
  ok: boolean;
}

export const TCP_FIN = 0x001, TCP_SYN = 0x002, TCP_RST = 0x004, TCP_PSH = 0x008, TCP_ACK = 0x010,
  TCP_URG = 0x020, TCP_ECE = 0x040, TCP_CWR = 0x080, TCP_AE = 0x100;

/**
 * What the TCP tracker (src/analysis/tcp/) puts in the tcp layer's `ann`; the TCP dissector's
 * info() reads it to write tshark's Info text (relative Seq/Ack, scaled Win, "[TCP Retransmission]").
 * The tracker also appends the tcp.stream / tcp.seq / tcp.analysis.* fields to layer.extra.
 */
export interface TcpAnn {
  stream: number;
  /** Relative sequence / ack / next sequence numbers (tcp.seq, tcp.ack, tcp.nxtseq). */
  seq: number;
  ack: number;
  nxtseq: number;
  /** Scaled window (tcp.window_size); -1 when the scale is unknown (SYN not seen): then info shows the raw value. */
  window: number;
  /** Info column prefixes in tshark's words, in order, e.g. ["TCP Retransmission"], ["TCP Dup ACK 12#1"]. */
  infoPrefix: string[];
  /**
   * AccECN is in use on this connection (tshark 4.0's rule: the SYN asked with AE+CWR+ECE and the
   * SYN/ACK answered with AE/CWR/ECE = 010, 011, 100 or 110, or an earlier packet of the connection
   * carried an AccECN option). The dissector then shows AE/CWR/ECE as the ACE counter ("ACE=n",
   * tcp.flags.ace) on packets without SYN.
   */
  accEcn?: boolean;
}
