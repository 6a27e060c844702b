// Echo request/reply pairing vs tshark 4.0 single pass (`tshark -n -r FILE -T fields -e icmp.resp_to
// -e icmp.resptime …` and the Info column). The captures are built here (raw IP, link type 101) exactly as
// the ones tshark was run on: timestamps 100 s + i·1.25 s (IPv4) and 100 s + (1000·i + 7) µs (IPv6).
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { fmtG15, IcmpEcho } from '../../../src/analysis/icmp-echo.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { cell, infoOf as info } from '../../helpers/packets.js';

function ck(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
const P = Buffer.from('abcdefgh');
function icmpMsg(type: number, id: number, seq: number, payload: Buffer): Buffer {
  const m = Buffer.concat([Buffer.from([type, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255]), payload]);
  m.writeUInt16BE(ck(m), 2);
  return m;
}
function ip4(src: number, dst: number, type: number, id: number, seq: number, payload = P): Uint8Array {
  const m = icmpMsg(type, id, seq, payload);
  const h = Buffer.from([0x45, 0, 0, 20 + m.length, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, src, 10, 0, 0, dst]);
  h.writeUInt16BE(ck(h), 10);
  return Uint8Array.from(Buffer.concat([h, m]));
}
function ip6(src: number, dst: number, type: number, id: number, seq: number, payload = P): Uint8Array {
  const a = Buffer.alloc(16), b = Buffer.alloc(16);
  a[15] = src; b[15] = dst;
  const m = Buffer.concat([Buffer.from([type, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255]), payload]);
  const ph = Buffer.concat([a, b, Buffer.from([0, 0, 0, m.length, 0, 0, 0, 58])]);
  m.writeUInt16BE(ck(Buffer.concat([ph, m])), 2);
  const h = Buffer.from([0x60, 0, 0, 0, 0, m.length, 58, 64]);
  return Uint8Array.from(Buffer.concat([h, a, b, m]));
}

function run(frames: Uint8Array[], ts: (i: number) => bigint): Packet[] {
  const dis = new Dissection(defaultRegistry());
  const echo = new IcmpEcho();
  return frames.map((data, i) => {
    const p = dis.dissect({ index: i + 1, ts: ts(i), tsPrecision: 6, linkType: 101, ifIndex: 0, data, origLen: data.length });
    echo.packet(p);
    return p;
  });
}

describe('ICMP echo pairing (single pass, like tshark -r)', () => {
  const frames = [
    ip4(1, 2, 8, 1, 1), // 1 request
    ip4(2, 1, 0, 1, 1), // 2 reply → 1
    ip4(2, 1, 0, 1, 1), // 3 same reply again: nothing
    ip4(1, 2, 8, 1, 2), // 4 request
    ip4(2, 1, 0, 1, 2, Buffer.from('XXXXXXXX')), // 5 reply with other data: not paired (checksum is in the key)
    ip4(1, 2, 8, 1, 3), // 6 request
    ip4(1, 2, 8, 1, 3), // 7 the same request again
    ip4(2, 1, 0, 1, 3), // 8 reply → 7 (the latest request)
    ip4(1, 2, 8, 1, 4), // 9 request
    ip4(3, 1, 0, 1, 4), // 10 reply from a third host: not paired
    ip4(1, 2, 8, 1, 4), // 11 request
    ip4(2, 1, 0, 1, 4), // 12 reply → 11
    ip4(1, 2, 8, 1, 1), // 13 request reusing id/seq of 1
    ip4(2, 1, 0, 1, 1), // 14 reply → 13
    ip4(2, 1, 8, 1, 5), // 15 request from 10.0.0.2
    ip4(2, 1, 0, 1, 5), // 16 reply in the same direction → 15
    ip4(1, 2, 8, 2, 6), // 17 request
    ip4(1, 2, 0, 2, 6), // 18 reply in the same direction → 17
  ];
  const pk = run(frames, (i) => 100_000_000_000n + BigInt(i) * 1_250_000_000n);
  // tshark: frame → icmp.resp_to (empty = none); icmp.resptime is 1250 on every paired reply.
  const RESP_TO: Record<number, string> = { 2: '1', 8: '7', 12: '11', 14: '13', 16: '15', 18: '17' };

  it.each(pk.map((p, i) => [i + 1, p] as const))('frame %i', (n, p) => {
    const to = RESP_TO[n] ?? '';
    expect(cell(p, 'icmp.resp_to')).toBe(to);
    expect(cell(p, 'icmp.resptime')).toBe(to ? '1250' : '');
    expect(cell(p, 'icmp.resp_in')).toBe('');
    const seq = [1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 1, 1, 5, 5, 6, 6][n - 1];
    const req = [1, 4, 6, 7, 9, 11, 13, 15, 17].includes(n);
    const base = `${req ? 'Echo (ping) request ' : 'Echo (ping) reply   '} id=0x000${n >= 17 ? 2 : 1}, seq=${seq}/${seq * 256}, ttl=64`;
    expect(info(p)).toBe(base + (to ? ` (request in ${to})` : ''));
  });

  it('tree lines as tshark -V', () => {
    const l = pk[1].layers.find((x) => x.proto === 'icmp')!;
    const texts = l.allFields().filter((f) => f.generated && f.key.startsWith('icmp.resp')).map((f) => f.text ?? `${f.label}: ${f.show}`);
    expect(texts).toEqual(['Request frame: 1', 'Response time: 1250.000 ms']);
  });
});

describe('ICMPv6 echo pairing (single pass)', () => {
  const frames = [
    ip6(1, 2, 128, 1, 1), ip6(2, 1, 129, 1, 1), ip6(2, 1, 129, 1, 1), ip6(1, 2, 128, 1, 2),
    ip6(2, 1, 129, 1, 2, Buffer.from('XXXXXXXX')), ip6(1, 2, 128, 1, 3), ip6(1, 2, 129, 1, 3),
  ];
  const pk = run(frames, (i) => 100_000_000_000n + BigInt(1000 * i + 7) * 1000n);
  it('pairs like tshark', () => {
    expect(pk.map((p) => cell(p, 'icmpv6.resp_to'))).toEqual(['', '1', '', '', '', '', '6']);
    expect(pk.map((p) => cell(p, 'icmpv6.resptime'))).toEqual(['', '1', '', '', '', '', '1']);
    expect(info(pk[1])).toBe('Echo (ping) reply id=0x0001, seq=1, hop limit=64 (request in 1)');
    expect(info(pk[2])).toBe('Echo (ping) reply id=0x0001, seq=1, hop limit=64');
    expect(info(pk[6])).toBe('Echo (ping) reply id=0x0001, seq=3, hop limit=64 (request in 6)');
    const l = pk[1].layers.find((x) => x.proto === 'icmpv6')!;
    expect(l.allFields().filter((f) => f.generated && f.key.startsWith('icmpv6.resp')).map((f) => f.text ?? `${f.label}: ${f.show}`))
      .toEqual(['Response To: 1', 'Response Time: 1.000 ms']);
  });
});

describe('fmtG15 (tshark -T fields for doubles, %.15g)', () => {
  it.each([
    [0.027402, '0.027402'], [8.03, '8.03'], [1250, '1250'], [0.776, '0.776'], [0, '0'],
    [0.0000123, '1.23e-05'], [1e15, '1e+15'], [123456789012345.6, '123456789012346'], [1 / 3, '0.333333333333333'],
  ])('%d → %s', (x, s) => expect(fmtG15(x)).toBe(s));
});
