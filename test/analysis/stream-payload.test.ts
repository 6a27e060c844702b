// StreamPayload (src/analysis/tcp/payload.ts): one direction's bytes in order, each once, as tshark's
// follow shows them: retransmitted bytes dropped, out-of-order segments put in place, a gap that never
// fills marked "[N bytes missing in capture file]" (and a NUL) where the bytes are missing, and a
// segment whose payload the capture cut (snaplen) shown as far as it was captured, with no marker.
import { describe, expect, it } from 'vitest';
import { gapMarker, StreamPayload } from '../../src/analysis/tcp/payload.js';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (p: StreamPayload) => p.chunks.map((c) => `${c.dir}:${Buffer.from(c.data).toString('latin1')}`);

describe('StreamPayload', () => {
  it('drops retransmitted bytes and puts out-of-order segments in place', () => {
    const p = new StreamPayload();
    p.add(0, 1000, 1, b('abc'));
    p.add(0, 1006, 2, b('ghi')); // ahead: held
    p.add(0, 1000, 3, b('abcdef')); // retransmission with 3 new bytes: fills the hole
    p.add(1, 5, 4, b('xy'));
    p.finish();
    expect(text(p)).toEqual(['0:abc', '0:def', '0:ghi', '1:xy']);
    expect(p.missing).toBe(0);
  });

  it('marks a gap that never fills where the bytes are missing', () => {
    const p = new StreamPayload();
    p.add(0, 0, 1, b('head'));
    p.add(0, 3042, 2, b('tail')); // 3038 bytes never captured
    p.finish();
    expect(text(p)).toEqual(['0:head', '0:[3038 bytes missing in capture file]\0', '0:tail']);
    expect(p.missing).toBe(3038);
    expect(gapMarker(3038).length).toBe(37);
  });

  it('a segment cut by the snaplen covers its whole sequence space: no marker after it', () => {
    const p = new StreamPayload();
    p.add(0, 0, 1, b('GET / HT'), 1400); // 8 of 1400 bytes captured
    p.add(0, 1400, 2, b('next'));
    p.add(0, 1404, 3, new Uint8Array(0), 96); // nothing captured of 96 bytes
    p.add(0, 1500, 4, b('end'));
    p.finish();
    expect(text(p)).toEqual(['0:GET / HT', '0:next', '0:end']);
    expect(p.missing).toBe(0);
  });
});
