// X11 on TCP ports 6000–6063 (dissectors/x11.ts) against tshark 4.0.17: columns, frame.protocols and the
// basic x11.* keys of fixtures/x11-session.pcap (scripts/x11-fixture.py: a connection seen mid-way, little
// endian: requests with and without replies, a reply matched by its sequence number and one to a request
// never seen, events including a sent and an unknown one, an error, an extension opcode, an unknown core
// opcode, a BIG-REQUESTS request, a zero length) and the corpus's X11 rows (connections seen mid-way,
// cut by a 128-byte snaplen), in .tshark.tsv files written by scripts/x11-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { dissectorErrors } from '../../helpers/problems.js';
import { fieldsOf } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const CAP = join(FX, 'x11-session.pcap');

describe('X11 as tshark 4.0 shows it', () => {
  it('x11-session.pcap: every cell of every frame equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    expect(await fieldsOf(CAP, want)).toBe(want);
    const rows = want.split('\n').map((l) => l.split('\t'));
    expect(rows[4].slice(0, 2)).toEqual(['X11', 'Requests: InternAtom, GetInputFocus']);
    expect(rows[5].slice(0, 2)).toEqual(['X11', 'Reply: GetInputFocus']);
    expect(rows[6].slice(0, 2)).toEqual(['X11', 'Reply: to unknown request']);
    expect(rows[7][1]).toBe('Event: Expose, Sent-ClientMessage, <Unknown eventcode 64>');
    expect(rows[8][1]).toBe('Error: BadWindow');
    expect(rows[9][1]).toBe('Requests: ChangeProperty, GetProperty, <Unknown opcode 150>, <Unknown opcode 120>, NoOperation');
    // request-length only for opcodes with a name
    expect(rows[9][4]).toBe('6,6,1');
    expect(rows[10][1]).toBe('Reply: GetProperty');
    // BIG-REQUESTS: the 16-bit 0 and the 32-bit length
    expect(rows[11].slice(1, 5)).toEqual(['Requests: NoOperation', 'eth:ethertype:ip:tcp:x11', '127', '0,3']);
    // a length of 0 twice: X11 in the protocols, TCP's Info
    expect(rows[12][0]).toBe('X11');
    expect(rows[12][1]).toMatch(/^50000 → 6000 \[PSH, ACK\] /);
  });

  it("the corpus's 57 X11 rows (mid-connection, 128-byte snaplen): every cell equal", async () => {
    const want = readFileSync(join(FX, 'x11-corpus.tshark.tsv'), 'utf8').split('\n');
    const got = (await fieldsOf(join(CORPUS_DIR, 'pcapng-eth-sll-comments.pcapng'), want.join('\n'))).split('\n');
    const x11Rows = want.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('X11\t'));
    expect(x11Rows.length).toBe(57);
    for (const [, i] of x11Rows) expect(got[i]).toBe(want[i]);
    // the forms they take
    expect(want[61].split('\t')[1]).toBe('Requests: CreatePixmap, <Unknown opcode 158>, <Unknown opcode 158>[Packet size limited during capture]');
    expect(want[154].split('\t')[1]).toBe('Reply: TranslateCoordinates');
    expect(want[67].split('\t')[1]).toBe('Reply: to unknown request');
    // a segment starting inside a request: 0 length (TCP's Info) and a length past the bytes (cut)
    expect(want[63].split('\t').slice(0, 3)).toEqual(['X11', '34558 → 6000 [PSH, ACK] Seq=1449 Ack=1 Win=1539 Len=668 TSval=67254323 TSecr=66839217', 'sll:ethertype:ip:tcp:x11']);
    expect(want[137].split('\t')[1]).toMatch(/Len=1304 TSval=67254352 TSecr=66701276\[Packet size limited during capture\]$/);
  });
});

// ---- robustness ---------------------------------------------------------------------------------

const fixtureFrames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames;
const payloadOf = (n: number): Uint8Array => fixtureFrames[n - 1].data.slice(54);

/** A segment of client 10.0.0.1:cport ↔ server 10.0.0.2:6000. */
function seg(index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame {
  const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
  const at = toServer ? 36 : 34;
  f.data[at] = 6000 >> 8;
  f.data[at + 1] = 6000 & 255;
  return f;
}

describe('X11: prefixes and random bytes', () => {
  it('every prefix of a request segment, cut by the snaplen: no exception, whole requests named, the rest truncated', () => {
    const p = payloadOf(4); // InternAtom (20 bytes), GetInputFocus (4)
    expect(p.length).toBe(24);
    for (let n = 0; n < p.length; n++) {
      const f = seg(1, true, 40000, PSH | ACK, 1, 1, p);
      f.origLen = f.data.length;
      f.data = f.data.slice(0, 54 + n);
      const { rows, pkts } = runFrames([f], ['x11.opcode']);
      expect(dissectorErrors(pkts[0].layers)).toEqual([]);
      const x = pkts[0].layers.find((l) => l.dis.proto === 'x11');
      if (n === 0) continue;
      expect(x).toBeDefined();
      expect((x!.problems ?? []).map((q) => q.kind)).toEqual(['truncated']);
      expect(rows[0].info).toEqual(n < 20 ? expect.stringMatching(/^40000 → 6000 .*\[Packet size limited during capture\]$/) : 'Requests: InternAtom[Packet size limited during capture]');
      expect(rows[0].values.get('x11.opcode')).toBe(n < 20 ? undefined : '16');
    }
  });

  it('a request running past an uncut segment: not reassembled (tshark does, with the next segment)', () => {
    // tshark 4.0.17 on these two segments: TCP "… Len=8 [TCP segment of a reassembled PDU]" (protocols
    // eth:ethertype:ip:tcp), then the same on Len=4, the 36-byte request whole only when more bytes come.
    // wiretrace reads each segment on its own: the first stops at the request it cannot finish (X11 with
    // TCP's Info, no problem, as the bytes are not cut), the second is read as a request of its own.
    const a = new Uint8Array([43, 0, 9, 0, 0, 0, 0, 0]);
    const b = new Uint8Array([43, 0, 1, 0]);
    const { rows, pkts } = runFrames([seg(1, true, 40001, PSH | ACK, 1, 1, a), seg(2, true, 40001, PSH | ACK, 9, 1, b)], ['x11.opcode']);
    expect(pkts[0].layers.find((l) => l.dis.proto === 'x11')!.problems).toBeNull();
    expect([rows[0].protocol, rows[0].info]).toEqual(['X11', '40001 → 6000 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=8']);
    expect([rows[1].protocol, rows[1].info]).toEqual(['X11', 'Requests: GetInputFocus']);
  });

  it('pending replies are capped per connection', async () => {
    const { X11_MAX_PENDING } = await import('../../../dissectors/x11.js');
    // 5000 GetInputFocus requests in one segment, then a reply to the first: forgotten, "to unknown request"
    const n = 5000;
    const reqs = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) reqs.set([43, 0, 1, 0], i * 4);
    const reply = (sn: number) => new Uint8Array([1, 0, sn & 255, sn >> 8, ...new Array(28).fill(0)]);
    const { rows } = runFrames([seg(1, true, 40002, PSH | ACK, 1, 1, reqs), seg(2, false, 40002, PSH | ACK, 1, 1 + reqs.length, reply(1)), seg(3, false, 40002, PSH | ACK, 33, 1 + reqs.length, reply(n))], []);
    expect(n).toBeGreaterThan(X11_MAX_PENDING);
    expect(rows[1].info).toBe('Reply: to unknown request');
    expect(rows[2].info).toBe('Reply: GetInputFocus');
  });

  it('random bytes on port 6000 (seeded, bounded): no exception, no dissector error', () => {
    let seed = 0x6000;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let conn = 0; conn < 150; conn++) {
      const cport = 41000 + conn;
      const frames: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      for (let k = 0; k < 8; k++) {
        const toServer = rnd() % 2 === 0;
        const p = new Uint8Array(1 + (rnd() % 80));
        for (let i = 0; i < p.length; i++) p[i] = rnd();
        // often a plausible header: a small length, a reply, a zero length
        if (rnd() % 2 === 0 && p.length >= 8) {
          p[2] = rnd() % 24;
          p[3] = 0;
          if (!toServer) p[0] = [0, 1, 2, 35][rnd() % 4];
          if (rnd() % 4 === 0) p[2] = p[4] = p[5] = p[6] = p[7] = 0;
        }
        const f = seg(frames.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p);
        // sometimes cut by a snaplen
        if (rnd() % 3 === 0) {
          f.origLen = f.data.length;
          f.data = f.data.slice(0, 54 + (rnd() % p.length));
        }
        frames.push(f);
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(frames, ['x11.opcode', 'x11.eventcode', 'x11.request-length']);
      expect(rows.length).toBe(frames.length);
      for (const pkt of pkts) expect(dissectorErrors(pkt.layers)).toEqual([]);
      expect(pkts.some((pk) => pk.layers.some((l) => l.dis.proto === 'x11'))).toBe(true);
    }
  });
});
