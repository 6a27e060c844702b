// Classic pcap reader (libpcap savefile): microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magics in
// both byte orders, and Alexey Kuznetzov's "modified" pcap (a1b2cd34, 24-byte record headers).
//
// File header (24 bytes): magic, version major/minor (u16), thiszone, sigfigs, snaplen, linktype field
// (low 16 bits: LINKTYPE_*; bits 16-25 reserved; the top bits carry the FCS length).
// Record header: ts_sec, ts_usec|ts_nsec, incl_len, orig_len (+ ifindex u32, protocol u16,
// pkt_type u8, pad u8 in the modified format), then incl_len bytes.

import { CaptureFileError, type CaptureInfo, type Frame, type InterfaceInfo } from './types.js';
import { type Decoder, FrameBytes, type RecordVisitor, damaged, maxCaplen, newInfo } from './read-common.js';

export const PCAP_HEADER_LEN = 24;

/** The magics as read big-endian from the first 4 bytes. */
const MAGICS: Record<number, { format: CaptureInfo['format']; le: boolean }> = {
  0xa1b2c3d4: { format: 'pcap', le: false },
  0xd4c3b2a1: { format: 'pcap', le: true },
  0xa1b23c4d: { format: 'pcap-ns', le: false },
  0x4d3cb2a1: { format: 'pcap-ns', le: true },
  0xa1b2cd34: { format: 'pcap-modified', le: false },
  0x34cdb2a1: { format: 'pcap-modified', le: true },
};

/** The classic pcap variant for a big-endian read of the first 4 bytes, or null. */
export function pcapVariant(magicBE: number): { format: CaptureInfo['format']; le: boolean } | null {
  return MAGICS[magicBE] ?? null;
}

/** A record's timestamp (ns since the epoch) from its seconds and micro- (`ns` false) or nanoseconds. */
export function pcapTs(ns: boolean, sec: number, frac: number): bigint {
  // µs: sec*1e6 + usec < 2^53 even with a bogus usec field >= 1e6 (kept as is, like tshark).
  return ns ? BigInt(sec) * 1_000_000_000n + BigInt(frac) : BigInt(sec * 1e6 + frac) * 1000n;
}

/** The Frame of a classic pcap record (`fcsLen` -1: the file header gives none). */
export function pcapFrame(ns: boolean, linkType: number, fcsLen: number, index: number, sec: number, frac: number, data: Uint8Array, origLen: number): Frame {
  const f: Frame = { index, ts: pcapTs(ns, sec, frac), tsPrecision: ns ? 9 : 6, linkType, ifIndex: 0, data, origLen };
  if (fcsLen >= 0) f.fcsLen = fcsLen;
  return f;
}

/** feed()'s `out` when it is not running (never written). */
const NO_FRAMES: Frame[] = [];

/** Reserved bits of the linktype field (LT_RESERVED1): set → tshark refuses the file. */
const LT_RESERVED1 = 0x03ff0000;

export class PcapDecoder implements Decoder {
  readonly info: CaptureInfo;
  count = 0;
  headerDone = false;
  need = PCAP_HEADER_LEN;
  private readonly le: boolean;
  private readonly ns: boolean;
  private readonly recLen: number;
  private linkType = 0;
  private maxCap = 0;
  /** FCS bytes per frame from the link type field (LT_FCS_LENGTH_PRESENT), -1 when not given. */
  private fcsLen = -1;
  private readonly precision: number;
  readonly bytes = new FrameBytes();

  constructor(magicBE: number) {
    const v = pcapVariant(magicBE);
    if (!v) throw new Error(`not a pcap magic: 0x${magicBE.toString(16)}`);
    this.le = v.le;
    this.ns = v.format === 'pcap-ns';
    this.recLen = v.format === 'pcap-modified' ? 24 : 16;
    this.precision = this.ns ? 9 : 6;
    this.info = newInfo(v.format, v.le ? 'le' : 'be');
  }

  private header(dv: DataView, pos: number): void {
    const le = this.le;
    const major = dv.getUint16(pos + 4, le);
    const minor = dv.getUint16(pos + 6, le);
    const snaplen = dv.getUint32(pos + 16, le);
    const field = dv.getUint32(pos + 20, le);
    // tshark reads any version >= 2.0 ("pcap: major version 1 unsupported"); so do we.
    if (major < 2) {
      throw new CaptureFileError('unsupported', `pcap major version ${major}.${minor} unsupported (need 2.x)`, 0, 1);
    }
    if (field & LT_RESERVED1) {
      const hex = field.toString(16).padStart(8, '0');
      throw new CaptureFileError('unsupported', `pcap link type field has reserved bits set (0x${hex})`, 20, 1);
    }
    this.linkType = field & 0xffff;
    this.maxCap = maxCaplen(this.linkType);
    const iface: InterfaceInfo = { linkType: this.linkType, snaplen, tsPrecision: this.precision };
    // LT_FCS_LENGTH_PRESENT (bit 26): the top 4 bits give the FCS length in 16-bit units.
    if (field & 0x04000000) this.fcsLen = iface.fcsLen = (field >>> 28) * 2;
    this.info.interfaces.push(iface);
    this.headerDone = true;
  }

  feed(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: Frame[]): number {
    this.bytes.reset();
    this.out = out;
    this.limit = end;
    try {
      return this.scan(buf, dv, pos, end, base, this.framer);
    } finally {
      this.out = NO_FRAMES;
    }
  }

  /** feed()'s `out` and `end` while it runs, for `framer`. */
  private out: Frame[] = NO_FRAMES;
  private limit = 0;
  /** The visitor feed() scans with: each record as a Frame (FrameBytes gives its bytes) pushed to `out`. */
  private readonly framer: RecordVisitor = {
    iface: () => {},
    record: (buf, at, cap, origLen, sec, frac, index) => {
      this.out.push(pcapFrame(this.ns, this.linkType, this.fcsLen, index, sec, frac, this.bytes.copy(buf, at, at + cap, this.limit), origLen));
    },
    frame: (f) => this.out.push(f),
  };

  scan(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, visit: RecordVisitor): number {
    if (!this.headerDone) {
      if (end - pos < PCAP_HEADER_LEN) {
        this.need = PCAP_HEADER_LEN;
        return pos;
      }
      this.header(dv, pos);
      pos += PCAP_HEADER_LEN;
    }
    visit.iface(this.info.interfaces[0]);
    const le = this.le;
    const hl = this.recLen;
    const maxCap = this.maxCap;
    let count = this.count;
    try {
      for (;;) {
        if (end - pos < hl) {
          this.need = hl;
          return pos;
        }
        const cap = dv.getUint32(pos + 8, le);
        if (cap > maxCap) {
          throw damaged(
            `record at offset ${base + pos}: captured length ${cap} is bigger than the maximum of ${maxCap}`,
            base + pos,
            count + 1,
          );
        }
        const total = hl + cap;
        if (end - pos < total) {
          this.need = total;
          return pos;
        }
        visit.record(buf, pos + hl, cap, dv.getUint32(pos + 12, le), dv.getUint32(pos, le), dv.getUint32(pos + 4, le), ++count);
        pos += total;
      }
    } finally {
      this.count = count;
    }
  }

  finish(_buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): CaptureFileError | null {
    const left = end - pos;
    if (!this.headerDone) {
      return damaged(`truncated file header: ${left} of ${PCAP_HEADER_LEN} bytes`, base + pos, 1);
    }
    if (left === 0) return null;
    const at = base + pos;
    const frame = this.count + 1;
    if (left < this.recLen) {
      return damaged(`truncated record header: ${left} of ${this.recLen} bytes at offset ${at}`, at, frame);
    }
    const cap = dv.getUint32(pos + 8, this.le);
    return damaged(`truncated record data: ${left - this.recLen} of ${cap} bytes at offset ${at}`, at, frame);
  }
}
