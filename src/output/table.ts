// The packet table: one line per packet, laid out like `tshark -n -r FILE`:
//
//     No. right-aligned in ≥5 · Time right-aligned in ≥10 · Source right-aligned in ≥12 " → "
//     Destination left-aligned in ≥12 · Protocol · Length (frame.origLen) · Info
//
// Protocol and Info come from the last layer whose column()/info() returns non-null (a dissector
// without column() counts as its proto in upper case); Source/Destination from the last layer with
// addresses(). Problems show like tshark: a problem where the bytes ran out ('truncated', or a
// 'malformed' range that runs to the end of its layer, i.e. what makes Wireshark throw) appends
// "[Packet size limited during capture]" / "[Malformed Packet]" to the Info text. On a TTY the row
// is coloured by the worst problem, else by the protocol column.
//
// Hot path: only addresses/column/info of the last few layers are asked for; no fields are built.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import { problemLevel, RESET, rowColor } from './color.js';
import { TimeColumn, type TimeFormat } from './time.js';

export interface RowParts {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

export const MALFORMED_SUFFIX = '[Malformed Packet]';
export const TRUNCATED_SUFFIX = '[Packet size limited during capture]';

/**
 * tshark's Info suffix for a packet whose dissection ran out of bytes, or ''. Inside a quoted packet
 * (an ICMP error carries only the start of the datagram) running out of bytes is expected: only a
 * malformed header there counts, as in tshark.
 */
export function problemSuffix(layers: readonly Layer[], quoted = false): string {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const ps = l.problems;
    if (ps !== null) {
      for (let j = 0; j < ps.length; j++) {
        const p = ps[j];
        // "payload cut by snaplen" at the end of a layer that has a layer above it: a note, not a
        // read past the captured bytes (the layer above says so itself when it runs out; tshark does
        // not hand a TCP segment with no payload captured to the application at all)
        if (p.kind === 'truncated' && p.start === p.end && p.start >= l.end && i < layers.length - 1) continue;
        if (p.kind === 'truncated' && !quoted) return TRUNCATED_SUFFIX;
        if (p.kind === 'malformed' && p.end >= l.end) return MALFORMED_SUFFIX;
      }
    }
    if (l.inner !== null) {
      const s = problemSuffix(l.inner, true);
      if (s !== '') return s;
    }
  }
  return '';
}

/** Source, Destination, Protocol and Info of a packet (Info including any problem suffix). */
export function rowParts(layers: readonly Layer[]): RowParts {
  let info: string | null = null;
  let proto: string | null = null;
  let addr: [string, string] | null = null;
  let fence = '';
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i];
    const dis = l.dis;
    if (info === null) {
      if (dis.info !== undefined) info = dis.info(l, layers);
    } else if (dis.infoFence !== undefined) fence = dis.infoFence(l) + fence;
    if (proto === null) proto = dis.column !== undefined ? dis.column(l) || null : dis.proto.toUpperCase();
    if (addr === null && dis.addresses !== undefined) addr = dis.addresses(l);
    // below the addresses (IP) no layer puts a fence
    if (info !== null && proto !== null && addr !== null) break;
  }
  if (fence !== '' && info !== null) info = fence + info;
  return {
    source: addr === null ? '' : addr[0],
    destination: addr === null ? '' : addr[1],
    protocol: proto ?? '',
    info: capInfo((info ?? '') + problemSuffix(layers)),
  };
}

/** tshark keeps at most 4095 characters of a column (COL_MAX_INFO_LEN, 4096 with its NUL). */
const MAX_INFO = 4095;
function capInfo(s: string): string {
  return s.length > MAX_INFO ? s.slice(0, MAX_INFO) : s;
}

function padStart(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function padEnd(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

/** Builds table lines (without colour or newline) for packets in order. */
export class TableFormatter {
  readonly time: TimeColumn;
  constructor(timeFormat: TimeFormat = 'r') {
    this.time = new TimeColumn(timeFormat);
  }

  /** The row text and its parts (for colouring). */
  row(pkt: Packet): { line: string; parts: RowParts } {
    const fr = pkt.frame;
    const parts = rowParts(pkt.layers);
    const t = this.time.next(fr.ts, fr.tsPrecision);
    const line =
      padStart(String(fr.index), 5) + ' ' + padStart(t, 10) + ' ' + padStart(parts.source, 12) + ' \u2192 ' +
      padEnd(parts.destination, 12) + ' ' + parts.protocol + ' ' + fr.origLen + ' ' + parts.info;
    return { line, parts };
  }

  /** Line plus "\n", coloured when asked. */
  text(pkt: Packet, color: boolean): string {
    const { line, parts } = this.row(pkt);
    if (!color) return line + '\n';
    return rowColor(parts.protocol, problemLevel(pkt.layers)) + line + RESET + '\n';
  }
}
