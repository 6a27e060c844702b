// DNS over TCP, one segment at a time (the stateless chain, compared with tshark 4.0 run with
// `-o tcp.desegment_tcp_streams:FALSE`): a segment that starts a message it does not hold whole is
// decoded as far as its bytes go, and the segments that carry the rest are "[Continuation to #N]"
// with no DNS field. Frames: Ethernet/IPv4/TCP 10.0.0.1:50000 → 10.0.0.2:53, seq 1000 onwards;
// message 1 = query 0xbeef "example.com" A + OPT (40 bytes), message 2 = query 0xbef0 "foo.org" AAAA.
// Expected cells read off `tshark -n -r FILE -o tcp.desegment_tcp_streams:FALSE -T fields -e …`.
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { cell, infoOf as info } from '../../helpers/packets.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const HDR = '02020202020204040404040408004500';
const MSG2 = HDR + '004300010000400600000a0000010a000002c3500035000004120000000150180400000000000019bef00100000100000000000003666f6f036f726700001c0001';

function runAll(frames: string[]): Packet[] {
  const dis = new Dissection(defaultRegistry());
  return frames.map((h, i) => {
    const data = hex(h);
    return dis.dissect({ index: i + 1, ts: BigInt(i) * 1_000_000_000n, tsPrecision: 6, linkType: 1, ifIndex: 0, data, origLen: data.length });
  });
}
function protocol(p: Packet): string {
  let c = '';
  for (const l of p.layers) {
    const t = l.dis.column ? l.dis.column(l) : l.proto.toUpperCase();
    if (t) c = t;
  }
  return c;
}
const KEYS = ['dns.length', 'dns.id', 'dns.flags', 'dns.count.queries', 'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr', 'dns.qry.name', 'dns.qry.type'];
const row = (p: Packet) => KEYS.map((k) => cell(p, k));

const MSG2_ROW = ['25', '0xbef0', '0x0100', '1', '0', '0', '0', 'foo.org', '28'];

describe('dns over tcp per segment like tshark 4.0', () => {
  it('header and question in the first segment, the rest in the next', () => {
    const [a, b, c] = runAll([
      HDR + '003e00010000400600000a0000010a000002c3500035000003e80000000150180400000000000028beef01000001000000000001076578616d706c65',
      HDR + '003c00010000400600000a0000010a000002c3500035000003fe00000001501804000000000003636f6d00000100010000291000000000000000',
      MSG2,
    ]);
    // The question name runs into segment 2: tshark shows the header only.
    expect(row(a)).toEqual(['40', '0xbeef', '0x0100', '1', '0', '0', '1', '', '']);
    expect(info(a)).toBe('Standard query 0xbeef[BoundErrorUnreassembled Packet]');
    expect(protocol(a)).toBe('DNS');
    expect(row(b)).toEqual(['', '', '', '', '', '', '', '', '']);
    expect(info(b)).toBe('[Continuation to #1] 50000 → 53 [PSH, ACK] Seq=1022 Ack=1 Win=1024 Len=20');
    expect(protocol(b)).toBe('TCP');
    expect(row(c)).toEqual(MSG2_ROW);
    expect(info(c)).toBe('Standard query 0xbef0 AAAA foo.org');
    for (const p of [a, b, c]) expect(p.layers.flatMap((l) => l.problems ?? []).filter((x) => x.kind === 'malformed')).toEqual([]);
  });

  it('the length prefix alone in a segment: no DNS field, the next segment is a continuation', () => {
    const [a, b, c] = runAll([
      HDR + '002a00010000400600000a0000010a000002c3500035000003e80000000150180400000000000028',
      HDR + '005000010000400600000a0000010a000002c3500035000003ea000000015018040000000000beef01000001000000000001076578616d706c6503636f6d00000100010000291000000000000000',
      MSG2,
    ]);
    expect(row(a)).toEqual(['', '', '', '', '', '', '', '', '']);
    expect(info(a)).toBe('[BoundErrorUnreassembled Packet]');
    expect(row(b)).toEqual(['', '', '', '', '', '', '', '', '']);
    expect(info(b)).toBe('[Continuation to #1] 50000 → 53 [PSH, ACK] Seq=1002 Ack=1 Win=1024 Len=40');
    expect(row(c)).toEqual(MSG2_ROW);
  });

  it('a header cut after the question count: only the whole counts', () => {
    const [a, b] = runAll([
      HDR + '003200010000400600000a0000010a000002c3500035000003e80000000150180400000000000028beef010000010000',
      HDR + '004800010000400600000a0000010a000002c3500035000003f200000001501804000000000000000001076578616d706c6503636f6d00000100010000291000000000000000',
    ]);
    expect(row(a)).toEqual(['40', '0xbeef', '0x0100', '1', '0', '', '', '', '']);
    expect(info(a)).toBe('Standard query 0xbeef[BoundErrorUnreassembled Packet]');
    expect(row(b)).toEqual(['', '', '', '', '', '', '', '', '']);
  });
});
