// NBNS on UDP port 137 (dissectors/nbns.ts) against tshark 4.0.17: fixtures/nbns-names.pcap and its
// .tshark.tsv (columns, frame.protocols and 23 nbns.* keys), made by scripts/nbns-fixture.sh: name
// queries (broadcast, unicast, <1b>, a scoped name, NBSTAT "*"), a positive and a negative response,
// a registration and a release. The corpus's NBNS queries are compared by the frame.protocols test.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { udpFrame } from '../../helpers/packets.js';
import { runCli } from '../../helpers/cli.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

describe('NBNS as tshark 4.0 shows it', () => {
  it('nbns-names.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'nbns-names.pcap.tshark.tsv'), 'utf8');
    const keys = want.split('\n')[0].split('\t');
    const r = await runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), join(FX, 'nbns-names.pcap')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    expect(want).toContain('Name query response NB 192.0.2.7');
    expect(want).toContain('Registration NB DESKTOP-1<20>');
    expect(want).toContain('FILESRV<20>.corp.example');
  });
});

describe('NBNS: every prefix and random bytes', () => {
  const frame = (payload: Uint8Array) => udpFrame(137, 137, payload);

  const reg = defaultRegistry();
  // the fixture's registration (frame 5): a question and an additional NB record with a name pointer
  const reg5 = parseCaptureBuffer(new Uint8Array(readFileSync(join(FX, 'nbns-names.pcap')))).frames[4].data.slice(42);

  it('a prefix of a registration: no exception; cut ones are marked', () => {
    expect(rowParts(new Dissection(reg).dissect(frame(reg5)).layers).info).toBe('Registration NB DESKTOP-1<20>');
    for (let n = 1; n < reg5.length; n++) {
      const pkt = new Dissection(reg).dissect(frame(reg5.subarray(0, n)));
      walkFields(pkt.layers, () => undefined);
      expect(pkt.layers[pkt.layers.length - 1].problems?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('random datagrams (seeded, bounded): no exception escapes', () => {
    let seed = 0x137;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const p = new Uint8Array(rnd() % 90);
      for (let k = 0; k < p.length; k++) p[k] = rnd();
      if (p.length > 12 && i % 2 === 0) p.set([0, 1, 0, 0], 4); // one question: the name parser runs
      const pkt = new Dissection(reg).dissect(frame(p));
      expect(() => {
        walkFields(pkt.layers, () => undefined);
        rowParts(pkt.layers);
      }).not.toThrow();
    }
  });
});
