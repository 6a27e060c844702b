// A lean decoder for `wiretrace conversations`: straight from frame bytes to the few values the
// conversation table and the TCP tracker read (IP addresses, ports, seq/ack, flags, window,
// segment length and the TCP options the tracker uses), for the common case: Ethernet (with
// 802.1Q / 802.1ad tags), Linux cooked v1 and raw IP link types, an IPv4 header without options
// or an IPv6 header without extension headers, not a fragment, the whole datagram captured, and
// a sane TCP or UDP header. Everything else (fragments, tunnels, ICMP, IP options, extension
// headers, other link types, short or lying headers, cut frames) is FALLBACK: the caller runs the
// full dissector chain for that frame, so the results are those of the chain in every case.
//
// The values go into objects shaped as the dissectors' IpD / TcpD / UdpD, reused from packet to
// packet, handed to ConversationTable.tcpDecoded() / udpDecoded() (TcpTracker.packetDecoded()).
// What may outlive a packet is never reused: a TCP SACK list and a TFO cookie record (a full
// tracker keeps references to them) are fresh objects each time.

import type { Frame, InterfaceInfo } from '../capture/types.js';
import type { RecordVisitor } from '../capture/read-common.js';
import { pcapFrame, pcapTs } from '../capture/pcap.js';
import type { Packet } from '../dissect/chain.js';
import type { IpD, TcpD, TcpOptions, UdpD } from '../dissect/decoded.js';
import type { Registry } from '../dissect/registry.js';
import { fmtIPv4, fmtIPv6, u16, u32 } from '../dissect/fields.js';
import { decodeOptions } from '../dissect/tcp-options.js';

/** decode() results. */
export const LEAN_SKIP = 0; // no TCP or UDP layer can come out of this frame (ARP, unknown ethertype, IGMP …)
export const LEAN_TCP = 1;
export const LEAN_UDP = 2;
export const LEAN_FALLBACK = 3; // run the full chain

/** Every TcpOptions key the TCP dissector may set, all present (undefined) so the object keeps one shape. */
interface LeanOptions extends TcpOptions {
  mss: number | undefined;
  wscale: number | undefined;
  sackPerm: boolean | undefined;
  sack: [number, number][] | undefined;
  tsval: number | undefined;
  tsecr: number | undefined;
  tfo: { cookieLen: number } | undefined;
  mptcp: boolean | undefined;
  accEcn: boolean | undefined;
}

interface LeanTcpD extends TcpD {
  options: LeanOptions;
  hdrBogus: boolean;
}

export class LeanDecoder {
  readonly ip: IpD = { version: 4, src: '', dst: '', proto: -1, ttl: 0, totalLen: 0, fragment: false, srcAt: -1, dstAt: -1 };
  readonly tcp: LeanTcpD = {
    srcport: 0, dstport: 0, seq: 0, ack: 0, hdrLen: 0, flags: 0, window: 0, urgent: 0, len: 0,
    payloadStart: 0, payloadEnd: 0, ok: true, hdrBogus: false,
    options: { mss: undefined, wscale: undefined, sackPerm: undefined, sack: undefined, tsval: undefined, tsecr: undefined, tfo: undefined, mptcp: undefined, accEcn: undefined },
  };
  readonly udp: UdpD & { ok: boolean } = { srcport: 0, dstport: 0, length: 0, payloadStart: 0, payloadEnd: 0, ok: true };
  /** Per IP protocol: 0 lean (TCP/UDP), 1 skip (no dissector: the payload is data), 2 full chain. */
  private readonly ipProto = new Uint8Array(256);
  /** Ethertypes the chain dissects into something that cannot hold TCP/UDP (ARP, RARP). */
  private readonly etherSkip: (t: number) => boolean;
  /** Per TCP / UDP port, 1 when a dissector is registered on it (null: none is): such a frame goes to the chain. */
  private readonly tcpPorts: Uint8Array | null;
  private readonly udpPorts: Uint8Array | null;
  // one-entry caches of address text (most packets repeat the previous packet's addresses)
  private v4a = -1;
  private v4aS = '';
  private v4b = -1;
  private v4bS = '';
  private readonly v6a = new Uint8Array(16);
  private v6aS = '';
  private readonly v6b = new Uint8Array(16);
  private v6bS = '';

  /**
   * `registry`: the registry the fallback chain uses (decides which frames are SKIP).
   * `tcpOptions`: decode the TCP options (else `tcp.options` stays empty and a lying option length
   * is not looked for).
   */
  constructor(registry: Registry, private readonly tcpOptions = true) {
    for (let p = 0; p < 256; p++) {
      const d = registry.get('ip.proto', p);
      this.ipProto[p] = d === undefined ? 1 : 2;
    }
    const tcpD = registry.get('ip.proto', 6), udpD = registry.get('ip.proto', 17);
    if (tcpD?.proto === 'tcp') this.ipProto[6] = 0;
    if (udpD?.proto === 'udp') this.ipProto[17] = 0;
    this.etherSkip = (t) => {
      const d = registry.get('ethertype', t);
      return d === undefined || d.proto === 'arp';
    };
    // A port-registered TCP/UDP dissector (Teredo; HTTP, DNS … in a full registry) could add
    // layers: a frame on such a port goes to the chain, so the lean path only takes frames whose
    // payload cannot hold another TCP/UDP layer. A heuristic dissector could take any frame.
    this.tcpPorts = portFlags(registry, 'tcp.port');
    this.udpPorts = portFlags(registry, 'udp.port');
    if (registry.heuristic('tcp').length > 0) this.ipProto[6] = 2;
    if (registry.heuristic('udp').length > 0) this.ipProto[17] = 2;
  }

  /** Decode one frame: LEAN_TCP / LEAN_UDP (this.ip and this.tcp / this.udp filled), LEAN_SKIP or LEAN_FALLBACK. */
  decode(frame: Frame): number {
    return this.decodeAt(frame.linkType, frame.data, 0, frame.data.length);
  }

  /**
   * decode() of the frame whose bytes are b[off, off + len) (a record in a read buffer): the
   * offsets it sets (srcAt, payloadStart …) are offsets in b.
   */
  decodeAt(linkType: number, b: Uint8Array, off: number, len: number): number {
    const n = off + len;
    let at: number;
    let et: number;
    switch (linkType) {
      case 1: // Ethernet
        if (len < 14) return LEAN_FALLBACK;
        et = u16(b, off + 12);
        at = off + 14;
        break;
      case 113: // Linux cooked v1
        if (len < 16) return LEAN_FALLBACK;
        et = u16(b, off + 14);
        if (et <= 1536) return LEAN_FALLBACK;
        at = off + 16;
        break;
      case 101: case 12: case 14: case 228: case 229: { // raw IP
        if (len < 1) return LEAN_FALLBACK;
        const v = b[off] >> 4;
        et = v === 4 ? 0x0800 : v === 6 ? 0x86dd : -1;
        if (et < 0) return LEAN_FALLBACK;
        at = off;
        break;
      }
      default:
        return LEAN_FALLBACK;
    }
    // 802.1Q / 802.1ad tags
    for (let g = 0; g < 4 && (et === 0x8100 || et === 0x88a8 || et === 0x9100); g++) {
      if (n - at < 4) return LEAN_FALLBACK;
      et = u16(b, at + 2);
      at += 4;
    }
    if (et < 0x0600) return LEAN_FALLBACK; // 802.3 length → LLC
    let proto: number, pay: number, end: number;
    const ip = this.ip;
    if (et === 0x0800) {
      if (n - at < 20 || b[at] !== 0x45) return LEAN_FALLBACK; // version 4 and no options only
      const tl = u16(b, at + 2);
      if (tl < 20 || at + tl > n) return LEAN_FALLBACK;
      if ((u16(b, at + 6) & 0x3fff) !== 0) return LEAN_FALLBACK; // MF or offset: a fragment
      proto = b[at + 9];
      if (this.ipProto[proto] !== 0) return this.ipProto[proto] === 1 ? LEAN_SKIP : LEAN_FALLBACK;
      ip.version = 4;
      ip.proto = proto;
      ip.ttl = b[at + 8];
      ip.totalLen = tl;
      ip.srcAt = at + 12;
      ip.dstAt = at + 16;
      const s = u32(b, at + 12), d = u32(b, at + 16);
      ip.src = s === this.v4a ? this.v4aS : s === this.v4b ? this.v4bS : this.v4(s, b, at + 12);
      ip.dst = d === this.v4a ? this.v4aS : d === this.v4b ? this.v4bS : this.v4(d, b, at + 16);
      pay = at + 20;
      end = at + tl;
    } else if (et === 0x86dd) {
      if (n - at < 40 || b[at] >> 4 !== 6) return LEAN_FALLBACK;
      const pl = u16(b, at + 4);
      if (pl === 0 || at + 40 + pl > n) return LEAN_FALLBACK;
      proto = b[at + 6];
      if (proto === 0 || proto === 43 || proto === 44 || proto === 60 || proto === 51) return LEAN_FALLBACK;
      if (this.ipProto[proto] !== 0) return this.ipProto[proto] === 1 ? LEAN_SKIP : LEAN_FALLBACK;
      ip.version = 6;
      ip.proto = proto;
      ip.ttl = b[at + 7];
      ip.totalLen = pl + 40;
      ip.srcAt = at + 8;
      ip.dstAt = at + 24;
      ip.src = this.v6(b, at + 8);
      ip.dst = this.v6(b, at + 24);
      pay = at + 40;
      end = at + 40 + pl;
    } else {
      return this.etherSkip(et) ? LEAN_SKIP : LEAN_FALLBACK;
    }

    if (proto === 6) {
      const seg = end - pay;
      if (seg < 20) return LEAN_FALLBACK;
      const hl = (b[pay + 12] >> 4) * 4;
      if (hl < 20 || hl > seg) return LEAN_FALLBACK;
      const t = this.tcp;
      if (this.tcpOptions) {
        const o = t.options;
        o.mss = o.wscale = o.tsval = o.tsecr = undefined;
        o.sackPerm = o.mptcp = o.accEcn = undefined;
        o.sack = undefined;
        o.tfo = undefined;
        if (hl > 20 && decodeOptions(b, pay + 20, pay + hl, o) >= 0) return LEAN_FALLBACK; // lying option length: the chain says so
      }
      t.srcport = u16(b, pay);
      t.dstport = u16(b, pay + 2);
      const tp = this.tcpPorts;
      if (tp !== null && (tp[t.srcport] | tp[t.dstport]) !== 0) return LEAN_FALLBACK;
      t.seq = u32(b, pay + 4);
      t.ack = u32(b, pay + 8);
      t.hdrLen = hl;
      t.flags = ((b[pay + 12] & 0x0f) << 8) | b[pay + 13];
      t.window = u16(b, pay + 14);
      t.urgent = u16(b, pay + 18);
      t.len = seg - hl;
      t.payloadStart = pay + hl;
      t.payloadEnd = end;
      return LEAN_TCP;
    }
    // UDP
    if (end - pay < 8) return LEAN_FALLBACK;
    const u = this.udp;
    u.srcport = u16(b, pay);
    u.dstport = u16(b, pay + 2);
    const up = this.udpPorts;
    if (up !== null && (up[u.srcport] | up[u.dstport]) !== 0) return LEAN_FALLBACK;
    u.length = u16(b, pay + 4);
    u.payloadStart = pay + 8;
    u.payloadEnd = end;
    return LEAN_UDP;
  }

  private v4(v: number, b: Uint8Array, at: number): string {
    const s = fmtIPv4(b, at);
    this.v4b = this.v4a;
    this.v4bS = this.v4aS;
    this.v4a = v;
    this.v4aS = s;
    return s;
  }

  private v6(b: Uint8Array, at: number): string {
    const a = this.v6a, c = this.v6b;
    let i = 0;
    while (i < 16 && a[i] === b[at + i]) i++;
    if (i === 16 && this.v6aS !== '') return this.v6aS;
    i = 0;
    while (i < 16 && c[i] === b[at + i]) i++;
    if (i === 16 && this.v6bS !== '') return this.v6bS;
    const s = fmtIPv6(b, at);
    c.set(a);
    this.v6bS = this.v6aS;
    a.set(b.subarray(at, at + 16));
    this.v6aS = s;
    return s;
  }
}

/** Something that takes packets (ConversationTable) and owns the tracker whose clock starts at the first frame. */
export interface LeanSink {
  packet(pkt: Packet): void;
  /** packet() for a TCP / UDP packet whose values are decoded already. */
  tcpDecoded(frame: Frame, ip: IpD, d: TcpD): void;
  udpDecoded(frame: Frame, ip: IpD, u: UdpD): void;
  /** The same with the frame's number, length and capture-relative time (TcpTracker.packetAt). */
  tcpAt(index: number, origLen: number, cnow: number, ip: IpD, d: TcpD): void;
  udpAt(origLen: number, cnow: number, ip: IpD, u: UdpD): void;
  readonly tracker: { timeOf(ts: bigint): number; setEpoch(ts: bigint): void; readonly epochNs: bigint | null };
}

/**
 * The per-frame step of `conversations`: the lean decoder where it can, the full chain over
 * `registry` (one Dissection, created on first need, so its reassembly state spans the file)
 * where it cannot. Frames that cannot hold TCP or UDP only start the capture clock.
 * `tcpOptions: false` skips the TCP options (for a tracker that reads none: TcpTracker in
 * summaryOnly mode; the options change no other value the chain gives, even when one of their
 * lengths lies).
 *
 * As a RecordVisitor (CaptureReader.scan: classic pcap and pcapng) it takes records straight from
 * the read buffer: no Frame, no view and no BigInt per packet; the clock runs on numbers (exact: see
 * record()). A record it must hand to the chain becomes a Frame with a copy of its bytes: the Frame
 * the reader would have made (for pcapng, without the interface number, comments and flags, which
 * nothing here reads).
 */
export class LeanFeeder implements RecordVisitor {
  private readonly lean: LeanDecoder;
  private dis: { dissect(f: Frame): Packet } | null = null;
  // the interface of the records (iface())
  private linkType = 0;
  private ns = false;
  private fcsLen = -1;
  /** The clock's epoch (set at the first record): seconds and nanoseconds. */
  private eSec = 0;
  private eFrac = 0;
  private clock = false;

  constructor(
    private readonly sink: LeanSink,
    private readonly registry: Registry,
    private readonly newDissection: (r: Registry) => { dissect(f: Frame): Packet },
    opts: { tcpOptions?: boolean } = {},
  ) {
    this.lean = new LeanDecoder(registry, opts.tcpOptions ?? true);
  }

  frame(frame: Frame): void {
    const lean = this.lean;
    const k = lean.decode(frame);
    if (k === LEAN_TCP) this.sink.tcpDecoded(frame, lean.ip, lean.tcp);
    else if (k === LEAN_UDP) this.sink.udpDecoded(frame, lean.ip, lean.udp);
    else if (k === LEAN_SKIP) this.sink.tracker.timeOf(frame.ts);
    else this.sink.packet((this.dis ??= this.newDissection(this.registry)).dissect(frame));
  }

  /** Before record(): the interface of the records that follow (the decoder says when it changes). */
  iface(iface: InterfaceInfo): void {
    this.linkType = iface.linkType;
    this.ns = iface.tsPrecision === 9;
    this.fcsLen = iface.fcsLen ?? -1;
  }

  record(buf: Uint8Array, at: number, cap: number, origLen: number, sec: number, frac: number, index: number): void {
    const tracker = this.sink.tracker;
    if (!this.clock) {
      // the epoch: the first frame's time (frames handed over before the scan may have set it)
      tracker.setEpoch(pcapTs(this.ns, sec, frac));
      const e = tracker.epochNs!;
      this.eSec = Number(e / 1_000_000_000n);
      this.eFrac = Number(e % 1_000_000_000n);
      this.clock = true;
    }
    // ts - epoch in ns: exact while below 2^53 (each product and difference is an integer below it);
    // µs and ns records (pcapng interfaces of both kinds) on the one ns clock
    const cnow = (sec - this.eSec) * 1e9 + ((this.ns ? frac : frac * 1000) - this.eFrac);
    if (!(cnow < 9e15 && cnow > -9e15)) {
      this.frame(this.makeFrame(buf, at, cap, origLen, sec, frac, index));
      return;
    }
    const lean = this.lean;
    const k = lean.decodeAt(this.linkType, buf, at, cap);
    if (k === LEAN_TCP) this.sink.tcpAt(index, origLen, cnow, lean.ip, lean.tcp);
    else if (k === LEAN_UDP) this.sink.udpAt(origLen, cnow, lean.ip, lean.udp);
    else if (k === LEAN_FALLBACK) {
      this.sink.packet((this.dis ??= this.newDissection(this.registry)).dissect(this.makeFrame(buf, at, cap, origLen, sec, frac, index)));
    }
  }

  /** The Frame PcapDecoder.feed() makes of this record, with its bytes copied (the buffer is reused). */
  private makeFrame(buf: Uint8Array, at: number, cap: number, origLen: number, sec: number, frac: number, index: number): Frame {
    return pcapFrame(this.ns, this.linkType, this.fcsLen, index, sec, frac, buf.slice(at, at + cap), origLen);
  }
}

/** LeanFeeder.frame as a function. */
export function leanFeeder(
  sink: LeanSink,
  registry: Registry,
  newDissection: (r: Registry) => { dissect(f: Frame): Packet },
  opts: { tcpOptions?: boolean } = {},
): (frame: Frame) => void {
  const f = new LeanFeeder(sink, registry, newDissection, opts);
  return (frame: Frame): void => f.frame(frame);
}

/** portFlags: 1 at each port `table` has a dissector for; null when it has none. */
function portFlags(registry: Registry, table: string): Uint8Array | null {
  const keys = registry.keys(table);
  if (keys.length === 0) return null;
  const f = new Uint8Array(65536);
  for (const k of keys) if (k >= 0 && k < 65536) f[k] = 1;
  return f;
}
