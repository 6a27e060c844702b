// The pseudo-layer for the frame itself (tshark's "Frame N: …" with frame.* fields).

import type { Frame } from '../capture/types.js';
import { fStr, fUint, gen } from './fields.js';
import type { Dissector, Field } from './types.js';

/** Seconds.nanoseconds with 9 digits, as tshark prints frame.time_epoch. */
export function epochText(ts: bigint): string {
  const neg = ts < 0n;
  const a = neg ? -ts : ts;
  const s = a / 1_000_000_000n;
  const ns = (a % 1_000_000_000n).toString().padStart(9, '0');
  return (neg ? '-' : '') + s + '.' + ns;
}

export const frameDissector: Dissector<Frame> = {
  proto: 'frame',
  name: 'Frame',
  fieldKeys: [
    'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id',
    'frame.comment', 'frame.time_source',
  ],
  dissect() {
    throw new Error('the frame layer is built by the chain driver');
  },
  fields(layer): Field[] {
    const fr = layer.d;
    const out: Field[] = [];
    if (fr.comments) for (const c of fr.comments) out.push(fStr('frame.comment', 'Comment', c, 0, 0));
    // tshark numbers interfaces within their pcapng section; ifIndex counts across the file.
    out.push(fUint('frame.interface_id', 'Interface id', fr.sectionIfId ?? fr.ifIndex, 0, 0));
    if (!fr.noTimestamp) {
      const t = epochText(fr.ts);
      out.push({ key: 'frame.time_epoch', label: 'Epoch Time', value: t, show: t, start: 0, len: 0 });
    }
    if (fr.tsSource === 'host') {
      out.push(gen(fStr('frame.time_source', 'Timestamp source', 'host', 0, 0)));
    }
    out.push(fUint('frame.number', 'Frame Number', fr.index, 0, 0));
    out.push(fUint('frame.len', 'Frame Length', fr.origLen, 0, 0));
    out.push(fUint('frame.cap_len', 'Capture Length', fr.data.length, 0, 0));
    return out;
  },
  fieldShow(layer, key) {
    const fr = layer.d;
    switch (key) {
      case 'frame.time_epoch': return fr.noTimestamp ? null : epochText(fr.ts);
      case 'frame.number': return String(fr.index);
      case 'frame.len': return String(fr.origLen);
      case 'frame.cap_len': return String(fr.data.length);
      default: return undefined;
    }
  },
  title(layer) {
    const fr = layer.d;
    return `Frame ${fr.index}: ${fr.origLen} bytes on wire (${fr.origLen * 8} bits), ${fr.data.length} bytes captured (${fr.data.length * 8} bits)`;
  },
  column: () => 'Frame',
};
