// pcapng reader: SHB (either byte order, several sections), IDB (if_name, if_description, if_tsresol,
// if_tsoffset, comments), EPB, SPB, obsolete PB (type 2), NRB (→ info.names); ISB, DSB, custom and
// unknown blocks are checked for a sound length and skipped.
//
// Every block: type u32, total length u32, body, total length u32 again; total length >= 12 and a
// multiple of 4. The byte order comes from each SHB's byte-order magic 0x1A2B3C4D.
// Interface ids in packet blocks are per section; Frame.ifIndex counts IDBs over the whole file.

import { CaptureFileError, type CaptureInfo, type Frame, type InterfaceInfo } from './types.js';
import {
  type Decoder,
  FrameBytes,
  type RecordVisitor,
  MAX_PACKET_SIZE,
  damaged,
  ipv4Text,
  ipv6Text,
  maxCaplen,
  newInfo,
  optString,
} from './read-common.js';

export const PCAPNG_MAGIC = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;

const SHB = PCAPNG_MAGIC;
const IDB = 1;
const PB = 2;
const SPB = 3;
const NRB = 4;
const EPB = 6;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;

/** Blocks we parse must fit in memory: at most this much beyond the largest packet allowed. */
const MAX_BLOCK_EXTRA = 16 * 1024 * 1024;

interface Iface {
  global: number;
  linkType: number;
  snaplen: number;
  maxCap: number;
  precision: number;
  /** 0: µs units (default), 1: ns units, 2: anything else (units * 1e9 / res). */
  mode: 0 | 1 | 2;
  res: bigint;
  offsetNs: bigint;
  /** if_tsoffset in seconds as a number (exact below 2^53). */
  offsetSec: number;
  /** if_fcslen, -1 when the IDB does not say. */
  fcsLen: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

export class PcapngDecoder implements Decoder {
  readonly info: CaptureInfo = newInfo('pcapng', 'le');
  count = 0;
  headerDone = false;
  need = 12;
  private le = true;
  private section: Iface[] = [];
  private ifs: Iface[] = [];
  private blockLimit = MAX_PACKET_SIZE + MAX_BLOCK_EXTRA;
  /** A skipped block's trailing length still to check (-1: none), and that block's offset. */
  private trailer = -1;
  private trailerAt = 0;
  readonly bytes = new FrameBytes();
  /** End of the valid bytes in the buffer of the current feed(). */
  private limit = 0;

  feed(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, out: Frame[]): number {
    return this.walk(buf, dv, pos, end, base, (type, p, len, at) => {
      out.push(type === SPB ? this.spb(buf, dv, p, len, at) : this.packet(buf, dv, p, len, at, type));
    });
  }

  /**
   * feed() without Frames: an EPB or PB whose timestamp is in µs or ns goes to visit.record (its
   * seconds and fraction computed exactly from the two 32-bit halves), any other packet block as the
   * Frame feed() makes to visit.frame; visit.iface hears of each change of interface.
   */
  scan(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number, visit: RecordVisitor): number {
    return this.walk(buf, dv, pos, end, base, (type, p, len, at) => {
      if (type === SPB) visit.frame(this.spb(buf, dv, p, len, at));
      else this.scanPacket(buf, dv, p, len, at, type, visit);
    });
  }

  /** The interface scan() last gave to visit.iface (the visitor's may change between scans: given again). */
  private announced: Iface | null = null;

  /** scan() of one EPB / PB: the checks of packet(), then the record (or the Frame). */
  private scanPacket(buf: Uint8Array, dv: DataView, pos: number, len: number, at: number, type: number, visit: RecordVisitor): void {
    const le = this.le;
    const f = this.checked(dv, pos, len, at, type);
    // other units: the Frame packet() makes
    if (f.mode === 2) {
      visit.frame(this.packet(buf, dv, pos, len, at, type));
      return;
    }
    const cap = dv.getUint32(pos + 20, le);
    this.divmod(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), f.mode === 0 ? 1e6 : 1e9);
    const sec = this.q + f.offsetSec;
    // a µs time is sec * 1e6 + frac µs for the visitor: past 2^53 µs (the year 2255) a Frame keeps it exact
    if (f.mode === 0 && Math.abs(sec * 1e6 + this.r) >= 9007199254740992) {
      visit.frame(this.packet(buf, dv, pos, len, at, type));
      return;
    }
    if (f !== this.announced) {
      this.announced = f;
      visit.iface(this.info.interfaces[f.global]);
    }
    visit.record(buf, pos + 28, cap, dv.getUint32(pos + 24, le), sec, this.r, ++this.count);
  }

  /** divmod()'s results. */
  private q = 0;
  private r = 0;

  /**
   * (high * 2^32 + low) = q * d + r, exactly in doubles (d = 1e6 or 1e9): high and the remainders are
   * taken 16 bits at a time so every product stays below 2^53.
   */
  private divmod(high: number, low: number, d: number): void {
    const qh = Math.floor(high / d);
    const rh = high - qh * d;
    let t = rh * 65536;
    let q1 = Math.floor(t / d);
    let r1 = t - q1 * d;
    if (r1 < 0) (q1--, (r1 += d));
    else if (r1 >= d) (q1++, (r1 -= d));
    t = r1 * 65536 + low;
    let q2 = Math.floor(t / d);
    let r2 = t - q2 * d;
    if (r2 < 0) (q2--, (r2 += d));
    else if (r2 >= d) (q2++, (r2 -= d));
    this.q = qh * 4294967296 + q1 * 65536 + q2;
    this.r = r2;
  }

  /** The block loop of feed() and scan(): `packet` takes each EPB, PB and SPB (type, offset, length, file offset). */
  private walk(
    buf: Uint8Array,
    dv: DataView,
    pos: number,
    end: number,
    base: number,
    packet: (type: number, pos: number, len: number, at: number) => void,
  ): number {
    this.bytes.reset();
    this.limit = end;
    if (this.trailer >= 0) {
      if (end - pos < 4) {
        this.need = 4;
        return pos;
      }
      const t = dv.getUint32(pos, this.le);
      if (t !== this.trailer) {
        throw damaged(
          `block at offset ${this.trailerAt}: trailing length ${t} does not match block length ${this.trailer}`,
          this.trailerAt,
          this.count + 1,
        );
      }
      this.trailer = -1;
      pos += 4;
    }
    for (;;) {
      const avail = end - pos;
      if (avail < 12) {
        this.need = 12;
        return pos;
      }
      const at = base + pos;
      const type = dv.getUint32(pos, this.le);
      let le = this.le;
      if (type === SHB) {
        const bom = dv.getUint32(pos + 8, true);
        if (bom === BOM) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else if (!this.headerDone) {
          throw new CaptureFileError('not-capture', `not a pcapng file: bad byte-order magic 0x${hex8(bom)}`, at, 1);
        } else {
          throw damaged(`section header at offset ${at}: bad byte-order magic 0x${hex8(bom)}`, at, this.count + 1);
        }
      } else if (!this.headerDone) {
        // Cannot happen after sniffing, but keep the contract: a pcapng file starts with an SHB.
        throw new CaptureFileError('not-capture', 'not a pcapng file: first block is not a section header', at, 1);
      }
      const len = dv.getUint32(pos + 4, le);
      if (len < 12 || len % 4 !== 0) {
        throw damaged(`block at offset ${at}: bad total length ${len}`, at, this.count + 1);
      }
      if (avail < len) {
        const parsed = type === SHB || type === IDB || type === EPB || type === SPB || type === PB || type === NRB;
        if (parsed && len > this.blockLimit) {
          throw damaged(`block at offset ${at}: total length ${len} is too large`, at, this.count + 1);
        }
        if (!parsed && avail < len - 4 && this.headerDone) {
          // Skip it without reading: the driver discards the bytes up to the trailing length.
          this.trailer = len;
          this.trailerAt = at;
          this.need = 4;
          return pos + len - 4;
        }
        this.need = len;
        return pos;
      }
      const trail = dv.getUint32(pos + len - 4, le);
      if (trail !== len) {
        throw damaged(
          `block at offset ${at}: trailing length ${trail} does not match block length ${len}`,
          at,
          this.count + 1,
        );
      }
      switch (type) {
        case SHB:
          this.shb(buf, dv, pos, len, le, at);
          break;
        case IDB:
          this.idb(buf, dv, pos, len, at);
          break;
        case EPB:
        case PB:
        case SPB:
          packet(type, pos, len, at);
          break;
        case NRB:
          this.nrb(buf, dv, pos, len, at);
          break;
        default:
          break; // ISB, DSB, custom blocks, unknown types: skipped
      }
      pos += len;
    }
  }

  finish(_buf: Uint8Array, _dv: DataView, pos: number, end: number, base: number): CaptureFileError | null {
    const left = end - pos;
    if (this.trailer >= 0) {
      return damaged(`truncated block at offset ${this.trailerAt}: file ends inside it`, this.trailerAt, this.count + 1);
    }
    if (left === 0 && this.headerDone) return null;
    const at = base + pos;
    if (left < 12) {
      return damaged(`truncated block header: ${left} of 12 bytes at offset ${at}`, at, this.count + 1);
    }
    return damaged(`truncated block: ${left} of ${this.need} bytes at offset ${at}`, at, this.count + 1);
  }

  /** Walk the options in [p, e): calls fn(code, valueStart, valueLen); damage if one runs past e. */
  private options(
    dv: DataView,
    p: number,
    e: number,
    at: number,
    base: number,
    fn: (code: number, start: number, len: number) => void,
  ): void {
    const le = this.le;
    while (p < e) {
      if (e - p < 4) {
        throw damaged(`block at offset ${at}: option header runs past the block end`, at, this.count + 1);
      }
      const code = dv.getUint16(p, le);
      const olen = dv.getUint16(p + 2, le);
      if (code === OPT_ENDOFOPT) return;
      if (p + 4 + olen > e) {
        throw damaged(
          `block at offset ${at}: option ${code} of length ${olen} at offset ${base + p} runs past the block end`,
          at,
          this.count + 1,
        );
      }
      fn(code, p + 4, olen);
      p += 4 + pad4(olen);
    }
  }

  private shb(buf: Uint8Array, dv: DataView, pos: number, len: number, le: boolean, at: number): void {
    if (len < 28) throw damaged(`section header at offset ${at}: total length ${len} < 28`, at, this.count + 1);
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    if (major !== 1) {
      throw new CaptureFileError('unsupported', `pcapng: unknown section header version ${major}.${minor}`, at, this.count + 1);
    }
    this.le = le;
    this.info.byteOrder = le ? 'le' : 'be';
    this.section = [];
    const sec: CaptureInfo['sections'][number] = { comments: [] };
    this.options(dv, pos + 24, pos + len - 4, at, at - pos, (code, s, l) => {
      if (code === OPT_COMMENT) sec.comments.push(optString(buf, s, l));
      else if (code === 2) sec.hardware = optString(buf, s, l);
      else if (code === 3) sec.os = optString(buf, s, l);
      else if (code === 4) sec.application = optString(buf, s, l);
    });
    this.info.sections.push(sec);
    this.headerDone = true;
  }

  private idb(buf: Uint8Array, dv: DataView, pos: number, len: number, at: number): void {
    if (len < 20) throw damaged(`interface block at offset ${at}: total length ${len} < 20`, at, this.count + 1);
    const le = this.le;
    const linkType = dv.getUint16(pos + 8, le);
    const snaplen = dv.getUint32(pos + 12, le);
    const info: InterfaceInfo = { linkType, snaplen, tsPrecision: 6 };
    let tsresol = 6;
    let offsetSec = 0n;
    this.options(dv, pos + 16, pos + len - 4, at, at - pos, (code, s, l) => {
      switch (code) {
        case OPT_COMMENT:
          (info.comments ??= []).push(optString(buf, s, l));
          break;
        case 2:
          info.name = optString(buf, s, l);
          break;
        case 3:
          info.description = optString(buf, s, l);
          break;
        case 9:
          if (l >= 1) tsresol = buf[s];
          break;
        case 13:
          if (l >= 1) info.fcsLen = buf[s];
          break;
        case 14:
          if (l >= 8) offsetSec = dv.getBigInt64(s, le);
          break;
      }
    });
    const binary = (tsresol & 0x80) !== 0;
    const exp = tsresol & 0x7f;
    const res = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
    const digits = binary ? Math.ceil(exp * Math.log10(2) - 1e-9) : exp;
    info.tsPrecision = Math.min(digits, 9);
    info.tsResol = tsresol;
    const mode = res === 1_000_000n ? 0 : res === 1_000_000_000n ? 1 : 2;
    const maxCap = maxCaplen(linkType);
    this.blockLimit = Math.max(this.blockLimit, maxCap + MAX_BLOCK_EXTRA);
    const iface: Iface = {
      global: this.ifs.length,
      linkType,
      snaplen,
      maxCap,
      precision: info.tsPrecision,
      mode,
      res,
      offsetNs: offsetSec * 1_000_000_000n,
      offsetSec: Number(offsetSec),
      fcsLen: info.fcsLen ?? -1,
    };
    this.ifs.push(iface);
    this.section.push(iface);
    this.info.interfaces.push(info);
  }

  private iface(id: number, at: number, what: string): Iface {
    const f = this.section[id];
    if (f === undefined) {
      throw damaged(
        `${what} at offset ${at}: interface id ${id} is not defined in this section (${this.section.length} interfaces)`,
        at,
        this.count + 1,
      );
    }
    return f;
  }

  /**
   * The checks of an EPB or PB (packet() and scanPacket()): its length, its interface (returned) and
   * its captured length; damage otherwise.
   */
  private checked(dv: DataView, pos: number, len: number, at: number, type: number): Iface {
    const what = type === EPB ? 'enhanced packet block' : 'packet block';
    if (len < 32) throw damaged(`${what} at offset ${at}: total length ${len} < 32`, at, this.count + 1);
    const le = this.le;
    const f = this.iface(type === EPB ? dv.getUint32(pos + 8, le) : dv.getUint16(pos + 8, le), at, what);
    const cap = dv.getUint32(pos + 20, le);
    if (cap > len - 32) {
      throw damaged(`${what} at offset ${at}: captured length ${cap} runs past the block end`, at, this.count + 1);
    }
    if (cap > f.maxCap) {
      throw damaged(
        `${what} at offset ${at}: captured length ${cap} is bigger than the maximum of ${f.maxCap}`,
        at,
        this.count + 1,
      );
    }
    return f;
  }

  /** EPB (type 6) or obsolete PB (type 2): same layout except a u16 interface id + u16 drop count. */
  private packet(buf: Uint8Array, dv: DataView, pos: number, len: number, at: number, type: number): Frame {
    const le = this.le;
    const f = this.checked(dv, pos, len, at, type);
    const id = type === EPB ? dv.getUint32(pos + 8, le) : dv.getUint16(pos + 8, le);
    const cap = dv.getUint32(pos + 20, le);
    const high = dv.getUint32(pos + 12, le);
    const low = dv.getUint32(pos + 16, le);
    const d = pos + 28;
    const frame: Frame = {
      index: this.count + 1,
      ts: tsOf(f, high, low),
      tsPrecision: f.precision,
      linkType: f.linkType,
      ifIndex: f.global,
      data: this.bytes.copy(buf, d, d + cap, this.limit),
      origLen: dv.getUint32(pos + 24, le),
      sectionIfId: id,
    };
    if (f.fcsLen >= 0) frame.fcsLen = f.fcsLen;
    const optStart = d + pad4(cap);
    const optEnd = pos + len - 4;
    if (optStart < optEnd) {
      this.options(dv, optStart, optEnd, at, at - pos, (code, s, l) => {
        if (code === OPT_COMMENT) (frame.comments ??= []).push(optString(buf, s, l));
        else if (code === 2 && l >= 4) frame.epbFlags = dv.getUint32(s, le);
      });
    }
    this.count++;
    return frame;
  }

  /** SPB: no interface id (always 0), no timestamp; captured length min(orig, block room, snaplen). */
  private spb(buf: Uint8Array, dv: DataView, pos: number, len: number, at: number): Frame {
    if (len < 16) throw damaged(`simple packet block at offset ${at}: total length ${len} < 16`, at, this.count + 1);
    const f = this.iface(0, at, 'simple packet block');
    const orig = dv.getUint32(pos + 8, this.le);
    let cap = Math.min(orig, len - 16);
    if (f.snaplen !== 0 && cap > f.snaplen) cap = f.snaplen;
    if (cap > f.maxCap) {
      throw damaged(
        `simple packet block at offset ${at}: captured length ${cap} is bigger than the maximum of ${f.maxCap}`,
        at,
        this.count + 1,
      );
    }
    const d = pos + 12;
    this.count++;
    const frame: Frame = {
      index: this.count,
      ts: 0n,
      tsPrecision: f.precision,
      linkType: f.linkType,
      ifIndex: f.global,
      data: this.bytes.copy(buf, d, d + cap, this.limit),
      origLen: orig,
      sectionIfId: 0,
      noTimestamp: true,
    };
    if (f.fcsLen >= 0) frame.fcsLen = f.fcsLen;
    return frame;
  }

  private nrb(buf: Uint8Array, dv: DataView, pos: number, len: number, at: number): void {
    const le = this.le;
    const e = pos + len - 4;
    let p = pos + 8;
    while (p < e) {
      if (e - p < 4) throw damaged(`name resolution block at offset ${at}: record header runs past the block end`, at, this.count + 1);
      const type = dv.getUint16(p, le);
      const vlen = dv.getUint16(p + 2, le);
      if (p + 4 + vlen > e) {
        throw damaged(
          `name resolution block at offset ${at}: record of length ${vlen} at offset ${at - pos + p} runs past the block end`,
          at,
          this.count + 1,
        );
      }
      if (type === 0) {
        p += 4;
        break;
      }
      const v = p + 4;
      if (type === 1 && vlen >= 4) this.addNames(ipv4Text(buf, v), buf, v + 4, v + vlen);
      else if (type === 2 && vlen >= 16) this.addNames(ipv6Text(buf, v), buf, v + 16, v + vlen);
      p += 4 + pad4(vlen);
    }
    if (p < e) this.options(dv, p, e, at, at - pos, () => {});
  }

  private addNames(addr: string, buf: Uint8Array, s: number, e: number): void {
    let list = this.info.names.get(addr);
    let i = s;
    while (i < e) {
      let j = i;
      while (j < e && buf[j] !== 0) j++;
      if (j > i) {
        const name = optString(buf, i, j - i);
        if (!list) this.info.names.set(addr, (list = []));
        if (!list.includes(name)) list.push(name);
      }
      i = j + 1;
    }
  }
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Nanoseconds since the epoch for a 64-bit timestamp (high, low) in the interface's units. */
function tsOf(f: Iface, high: number, low: number): bigint {
  let ts: bigint;
  if (f.mode === 0) {
    // µs since the epoch fit in 2^53 for the next ~250 years: one BigInt conversion.
    ts = high < 0x200000 ? BigInt(high * 4294967296 + low) * 1000n : (BigInt(high * 4294967296) + BigInt(low)) * 1000n;
  } else {
    // high * 2^32 is exact as a double (32 significant bits); the sum may not be, so add as bigints.
    const units = high < 0x200000 ? BigInt(high * 4294967296 + low) : BigInt(high * 4294967296) + BigInt(low);
    ts = f.mode === 1 ? units : (units * 1_000_000_000n) / f.res;
  }
  return f.offsetNs === 0n ? ts : ts + f.offsetNs;
}
