// The dissector contract. See docs/ARCHITECTURE.md ("Dissector contract").
//
// A dissector is data + pure functions over (buf, start, end). It holds no state, does no I/O,
// prints nothing and never throws: a short or lying header becomes a Problem on its Layer.
// `dissect` does the cheap work needed by every output (decode the header into `layer.d`, set
// `layer.next`); `fields` materialises the full field list only when an output asks for it.

import type { Frame } from '../capture/types.js';
import type { Layer } from './layer.js';

export type ProblemKind =
  /** The bytes stop early because the capture was cut by the snaplen (caplen < len). */
  | 'truncated'
  /** A header lies: a length or offset that does not fit, an impossible value. */
  | 'malformed'
  /** A checksum that does not verify. */
  | 'checksum'
  /** Valid but not dissected here (unknown option kind, unsupported version). */
  | 'unsupported';

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** Byte range (in the layer's buf) that is wrong. */
  start: number;
  end: number;
}

export type FieldValue = number | bigint | string | boolean | Uint8Array | null;

/**
 * One field of a layer. `key` is Wireshark's display-filter name where Wireshark has one.
 * `show` is exactly what `tshark -T fields -e key` prints for it (e.g. "0x0012", "1",
 * "192.0.2.1", "00:11:22:33:44:55"). Use the constructors in fields.ts.
 */
export interface Field {
  key: string;
  /** Human label for the tree, e.g. "Source Address". */
  label: string;
  value: FieldValue;
  show: string;
  /** Byte range in the layer's buf (absolute offset, length). len 0 = not tied to bytes. */
  start: number;
  len: number;
  /** Tree text override; default `${label}: ${show}`. */
  text?: string;
  /** Bit mask within the bytes, for bitfield lines like ".... ..1. = Syn: Set". */
  mask?: number;
  children?: Field[];
  /** Generated (not on the wire): tree shows it in [brackets], like Wireshark. */
  generated?: boolean;
  /**
   * Hidden (like Wireshark's hidden fields, e.g. ip.addr, tcp.port): matched by -T fields -e and
   * filters, left out of the tree and JSON, which show the specific fields (ip.src, ip.dst) instead.
   */
  hidden?: boolean;
}

/** Where the dissector chain goes next. */
export interface Next {
  /** Dispatch table: 'link', 'ethertype', 'ip.proto', 'tcp.port', 'udp.port', 'null.af', … */
  table: string;
  key: number;
  /** Second key to try (ports: the dissector passes the lower port in key, higher in key2). */
  key2?: number;
  /** Heuristic table to try when no key matches (e.g. 'tcp', 'udp'). */
  heuristic?: string;
  /** Buffer for the next layer; default: the same buf (a reassembled datagram sets its own). */
  buf?: Uint8Array;
  /** Name of that buffer for displays, e.g. "Reassembled IPv4" (when buf is set). */
  bufName?: string;
  start: number;
  end: number;
}

/** What a dissector sees of the rest of the world. */
export interface DissectContext {
  frame: Frame;
  /** Layers dissected so far in this packet (outermost first). */
  layers: Layer[];
  /**
   * Dissect bytes as a nested packet (e.g. the IP header quoted inside an ICMP error), through
   * the same registry, starting at table/key. Returns the layers; the caller stores them in
   * `layer.inner`. Nesting depth is bounded by the driver.
   */
  dissectInner(table: string, key: number, buf: Uint8Array, start: number, end: number): Layer[];
  /** Stateful helpers (fragment reassembly) owned by the driver; see state.ts. */
  state: DissectState;
  /**
   * True inside a packet quoted by another (the datagram an ICMP error carries): it is cut short on
   * purpose, so lengths it promises are not errors and checksums are left unverified, as in tshark.
   */
  quoted: boolean;
  /**
   * True when bytes up to `end` of `buf` are missing because the capture was cut by the snaplen:
   * buf is the frame's data, it ends at or before `end`, and caplen < original length. Use it to
   * choose Layer.short()'s 'truncated' (true) over 'malformed' (false).
   */
  snapCut(buf: Uint8Array, end: number): boolean;
}

/** Mutable per-capture state the driver owns and passes to dissectors that need it. */
export interface DissectState {
  /** Frame timestamp (ns) of the packet being dissected, for reassembly timeouts. */
  now: bigint;
  /** Per-key helpers registered lazily by dissectors (e.g. 'ipv4.frag' → reassembler). */
  slots: Map<string, unknown>;
  /**
   * false when no output shows checksum status (the plain packet table: tshark's Info never does):
   * TCP then leaves its checksum unverified (status 2) instead of summing every payload byte.
   */
  checksums?: boolean;
}

export interface Dissector<D = any> {
  /** Filter name of the protocol: 'eth', 'ip', 'ipv6', 'tcp', 'dns', … */
  proto: string;
  /** Full name for the tree: 'Ethernet II', 'Internet Protocol Version 4', … */
  name: string;
  /**
   * Other protocol names its layers take in display filters, where Wireshark gives one dissector's
   * fields several protocol names (DNS on 5353 is `mdns`, on 5355 `llmnr`): every name it may
   * return from filterProto().
   */
  filterProtos?: readonly string[];
  /** The display filter protocol name of this layer when it is not `proto` (see filterProtos). */
  filterProto?(layer: Layer<D>): string;
  /**
   * This layer's part of frame.protocols when it is not its filter name: 'eth:ethertype' (tshark
   * lists the ethertype table as a protocol), 'ipv6:ipv6.fraghdr', 'http:data-text-lines'; '' for none.
   */
  protocolsPart?(layer: Layer<D>): string;
  /** Every field key this dissector may emit (for `-e` validation and the docs). */
  fieldKeys: readonly string[];
  /** Dispatch keys it registers: { table: 'ethertype', key: 0x0800 }. */
  registers?: readonly { table: string; key: number }[];
  /** Heuristic registration: tried when no key matches in `table` (e.g. 'tcp'). */
  /**
   * Claim bytes no port dissector took: `layers` are the packet's layers so far (the last one is the
   * layer whose payload this is, e.g. UDP with its ports). `ctx` lets a test consult per-capture state
   * (QUIC takes a short header only for a connection ID it has seen).
   */
  heuristic?: { table: string; test(buf: Uint8Array, start: number, end: number, layers: readonly Layer[], ctx?: DissectContext): boolean };
  /** Decode the header. Never throws. Sets layer.d, layer.next and problems. */
  dissect(buf: Uint8Array, start: number, end: number, ctx: DissectContext): Layer<D>;
  /** Materialise the full field list (called lazily, cached by Layer). */
  fields(layer: Layer<D>): Field[];
  /**
   * Optional fast path for `-T fields`: the show text of the one field `key` has in this layer,
   * without building the field list; null when the layer has no such field; undefined when it
   * cannot tell cheaply (the caller then uses fields()). Must agree with fields() exactly.
   */
  fieldShow?(layer: Layer<D>, key: string): string | null | undefined;
  /** Tree title, e.g. "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2". Default: name. */
  title?(layer: Layer<D>): string;
  /** Source and destination for the table's Source/Destination columns (last layer with it wins). */
  addresses?(layer: Layer<D>): [string, string] | null;
  /** Protocol column text, e.g. 'TCP', 'DNS', 'HTTP', 'IPv4'. Default proto.toUpperCase(); '' leaves the column to the layer below. */
  column?(layer: Layer<D>): string;
  /**
   * Info column text as tshark writes it. The table uses the outermost-last layer that returns
   * non-null. `layers` is the whole packet (e.g. UDP payload of unknown protocol).
   */
  info?(layer: Layer<D>, layers: readonly Layer[]): string | null;
  /**
   * Text this layer puts in front of the Info of any layer above it (tshark's col_prepend_fence:
   * TCP's "[TCP ACKed unseen segment] " stays in front of "HTTP/1.1 200 OK"); '' or absent for none.
   * The layer's own info() includes it already.
   */
  infoFence?(layer: Layer<D>): string;
}
