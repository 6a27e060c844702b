// Types shared by the capture readers (pcap, pcapng), the live source and the writers.
// A Frame is what every source yields and what the dissector chain consumes.

/** One captured frame, as read from a file or a live interface. */
export interface Frame {
  /** 1-based frame number, in the order read (tshark's frame.number). */
  index: number;
  /** Timestamp: nanoseconds since the Unix epoch. */
  ts: bigint;
  /**
   * Sub-second digits the source really carries (6 for µs pcap, 9 for ns pcap, from if_tsresol
   * for pcapng: 10^-n → n, 2^-n → ceil(n*log10(2))). tshark prints times with this precision.
   */
  tsPrecision: number;
  /** LINKTYPE_* of the interface the frame was captured on. */
  linkType: number;
  /** Interface id: the pcapng IDB index within the file (across sections, counted from 0), 0 for pcap. */
  ifIndex: number;
  /**
   * Captured bytes. The frame owns them: a reader never reuses this memory. (openCapture's frames are
   * views of its 64 KiB read buffers, parseCaptureBuffer's of 32 KiB slabs: data.buffer is shared with
   * neighbouring frames and data.byteOffset need not be 0. Use data itself, or data.slice() for a
   * buffer of its own: keep a copy, not the view, of bytes held long after the packet, or the whole
   * read buffer stays alive with them.)
   */
  data: Uint8Array;
  /** Original length on the wire (frame.len); data.length is frame.cap_len. */
  origLen: number;
  /** pcapng opt_comment values of the block, if any. */
  comments?: string[];
  /** pcapng epb_flags, if present. */
  epbFlags?: number;
  /** Where the timestamp came from: 'capture' (file/kernel) or 'host' (host receive time, live). */
  tsSource?: 'capture' | 'host';
  /**
   * pcapng: the interface id as written in the packet block, i.e. counted within its section. This is
   * what tshark 4.0 prints as frame.interface_id (ifIndex counts across sections, to index info.interfaces).
   */
  sectionIfId?: number;
  /**
   * Bytes of frame check sequence at the end of `data` when the file says so (pcap LT_FCS_LENGTH
   * bits, pcapng if_fcslen; 0 = none); absent when unknown (Ethernet then guesses, as tshark does).
   */
  fcsLen?: number;
  /** The record carries no timestamp (pcapng Simple Packet Block): ts is 0n; tshark prints no frame.time. */
  noTimestamp?: boolean;
}

/** An interface as described by a pcap header or a pcapng IDB. */
export interface InterfaceInfo {
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Sub-second digits (see Frame.tsPrecision). */
  tsPrecision: number;
  /** pcapng: the IDB's if_tsresol byte as written (6, the default, when the IDB has none). */
  tsResol?: number;
  comments?: string[];
  /** Bytes of frame check sequence at the end of each frame, when the file says (pcap linktype FCS bits, if_fcslen). */
  fcsLen?: number;
}

/** Facts about the file, collected as blocks are read. */
export interface CaptureInfo {
  format: 'pcap' | 'pcap-ns' | 'pcap-modified' | 'pcapng';
  /** Byte order of the (current) section: 'le' or 'be'. */
  byteOrder: 'le' | 'be';
  /** Interfaces, indexed by Frame.ifIndex. For classic pcap, one entry from the file header. */
  interfaces: InterfaceInfo[];
  /** Name resolution records (pcapng NRB): address text (e.g. "192.0.2.1", "2001:db8::1") → names. */
  names: Map<string, string[]>;
  /** SHB comments, hardware, OS, user application of each section (pcapng). */
  sections: { comments: string[]; hardware?: string; os?: string; application?: string }[];
}

export type CaptureErrorKind =
  /** No capture magic at all: not a pcap or pcapng file. */
  | 'not-capture'
  /** The file is a capture file but damaged: truncated record, lying length, bad block. */
  | 'damaged'
  /** Valid structure we do not support (e.g. pcap major version 1, unknown SHB version). */
  | 'unsupported';

/**
 * A damaged or unsupported capture file. Readers yield every frame read before the damage,
 * then throw this. `frame` is the number of the frame being read when it went wrong
 * (frames read so far + 1); `offset` the byte offset in the file of the record or block at fault.
 */
export class CaptureFileError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
    readonly offset: number,
    readonly frame: number,
  ) {
    super(message);
    this.name = 'CaptureFileError';
  }
}
