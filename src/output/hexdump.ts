// Hex + ASCII dump like `tshark -x`: one dump per data source (the frame, then every reassembled
// buffer a layer points at), each titled "Name (N bytes):" when there is more than one.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import { hex2 } from '../dissect/fields.js';

/** One "0000  xx xx …   ascii" dump of buf, every line ending in "\n". */
export function hexdump(buf: Uint8Array): string {
  let out = '';
  const width = buf.length > 0xffff ? 8 : 4;
  for (let off = 0; off < buf.length; off += 16) {
    let line = off.toString(16).padStart(width, '0') + '  ';
    let ascii = '';
    const end = Math.min(off + 16, buf.length);
    for (let i = off; i < off + 16; i++) {
      if (i < end) {
        const b = buf[i];
        line += hex2(b) + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        line += '   ';
      }
    }
    out += line + '  ' + ascii + '\n';
  }
  return out;
}

/** The packet's data sources in order: the frame first, then each other buffer a layer uses. */
export function dataSources(pkt: Packet): { name: string; buf: Uint8Array }[] {
  const out = [{ name: 'Frame', buf: pkt.frame.data }];
  const seen = new Set<Uint8Array>([pkt.frame.data]);
  const visit = (layers: readonly Layer[]) => {
    for (const l of layers) {
      if (!seen.has(l.buf)) {
        seen.add(l.buf);
        out.push({ name: l.bufName ?? 'Reassembled data', buf: l.buf });
      }
      if (l.inner) visit(l.inner);
    }
  };
  visit(pkt.layers);
  return out;
}

/** The packet's dump as tshark -x prints it, followed by a blank line. */
export function packetHex(pkt: Packet): string {
  const srcs = dataSources(pkt);
  if (srcs.length === 1) return hexdump(srcs[0].buf) + '\n';
  let out = '';
  for (const s of srcs) out += `${s.name} (${s.buf.length} bytes):\n` + hexdump(s.buf);
  return out + '\n';
}
