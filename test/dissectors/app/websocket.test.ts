// WebSocket after an HTTP upgrade (dissectors/websocket.ts, framed by src/analysis/http/framer.ts)
// against tshark 4.0.17: fixtures/websocket-frames.pcap and its .tshark.tsv (`tshark -n -T fields
// -E header=y -E occurrence=a` of the columns, frame.protocols and 21 WebSocket and reassembly keys),
// made by scripts/websocket-fixture.sh: the upgrade, text plain and masked, binary with 16- and
// 64-bit lengths (70,000 bytes across segments), a message in two fragments, two frames in one
// segment, ping, pong, close with a status and a reason.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { walkFields } from '../../../src/dissect/chain.js';
import type { Layer } from '../../../src/dissect/layer.js';
import { websocket, wsFrameLength, wsLayer } from '../../../dissectors/websocket.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

async function run(args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code).toBe(0);
  return r.out;
}

describe('WebSocket as tshark 4.0 shows it', () => {
  it('websocket-frames.pcap: columns, frame.protocols and every WebSocket field equal tshark\'s', async () => {
    const want = readFileSync(join(FX, 'websocket-frames.pcap.tshark.tsv'), 'utf8').split('\n');
    const keys = want[0].split('\t');
    const got = (await run(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), join(FX, 'websocket-frames.pcap')])).split('\n');
    expect(got).toEqual(want);
    // the comparison is about WebSocket: 11 packets of it, with text, close and reassembly values
    expect(want.filter((l) => l.split('\t')[1] === 'WebSocket').length).toBe(11);
  });

  it('the text of a masked message in fragments, unmasked and put together on its last frame', async () => {
    const got = await run(['read', '-Y', 'websocket.payload.text == "part1part2"', '-T', 'fields', '-e', 'frame.number', '-e', 'websocket.fragment', join(FX, 'websocket-frames.pcap')]);
    expect(got).toBe('22\t20,22\n');
  });
});

function look(l: Layer): number {
  let n = 0;
  walkFields([l], () => n++);
  websocket.info!(l, [l]);
  websocket.protocolsPart!(l);
  return n;
}

describe('WebSocket frames: damaged and hostile bytes', () => {
  // a masked text frame with a 16-bit length: 0x81 0xfe 0x00 0x80, key, 128 bytes
  const frame = new Uint8Array(8 + 128);
  frame.set([0x81, 0xfe, 0x00, 0x80, 1, 2, 3, 4]);
  for (let i = 0; i < 128; i++) frame[8 + i] = (65 + (i % 26)) ^ [1, 2, 3, 4][i & 3];

  it('the frame length the desegmenter waits for', () => {
    expect(wsFrameLength(frame.subarray(0, 1))).toBe(0);
    expect(wsFrameLength(frame.subarray(0, 3))).toBe(0);
    expect(wsFrameLength(frame)).toBe(136);
    expect(wsFrameLength(Uint8Array.from([0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0x11, 0x70]))).toBe(10 + 70000);
  });

  it('every prefix: no exception; a cut frame is truncated; the whole one unmasks to its text', () => {
    const whole = wsLayer(frame, 0, frame.length, { cur: null }, 1, true);
    let text = '';
    walkFields([whole], (f) => void (f.key === 'websocket.payload.text' && (text = f.show)));
    expect(text).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(5).slice(0, 128));
    for (let n = 0; n < frame.length; n++) {
      const l = wsLayer(frame, 0, n, { cur: null }, 1, true);
      expect(look(l)).toBeGreaterThanOrEqual(0);
      expect(l.problems?.some((p) => p.kind === 'truncated')).toBe(true);
    }
  });

  it('random frames and fragment sequences (seeded, bounded): no exception escapes', () => {
    let seed = 0x5eed;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const frag = { cur: null };
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(2 + (rnd() % 40));
      for (let k = 0; k < b.length; k++) b[k] = rnd();
      expect(() => look(wsLayer(b, 0, b.length, frag, i, (i & 1) === 0))).not.toThrow();
    }
  });
});
