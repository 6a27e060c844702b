// NTP on UDP port 123 (dissectors/ntp.ts) against tshark 4.0.17: fixtures/ntp-modes.pcap and its
// .tshark.tsv (columns, frame.protocols and 31 ntp.* keys), made by scripts/ntp-fixture.sh: client
// and server (stratum 1 and 2), symmetric active/passive, broadcast, a leap warning, version 3, a
// control and a private (monlist) message, zero timestamps, a datagram shorter than the header.
// The corpus's NTP rows (3 captures, one a reassembled fragment) are compared by the frame.protocols
// and conformance tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { udpFrame } from '../../helpers/packets.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

describe('NTP as tshark 4.0 shows it', () => {
  it('ntp-modes.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'ntp-modes.pcap.tshark.tsv'), 'utf8');
    const keys = want.split('\n')[0].split('\t');
    const r = await runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), join(FX, 'ntp-modes.pcap')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    // the capture has what the comparison is about: timestamps, a monlist request, a cut datagram
    expect(want).toContain('Nov 27, 2026 10:23:20.123456001 UTC');
    expect(want).toContain('NTP Version 2, private, Request, MON_GETLIST_1');
    expect(want).toContain('NTP Version 4, client[Malformed Packet]');
  });
});

describe('NTP: every prefix and random bytes', () => {
  const frame = (payload: Uint8Array) => udpFrame(40000, 123, payload);

  const reg = defaultRegistry();

  it('a prefix of a server reply: no exception, malformed below 48 bytes', () => {
    const reply = Uint8Array.from(Buffer.from('240206e900000d0b00000af611fd0cfdd97b623cbfe49dcdd97b6437ad7fd089d97b6437b6d0e9b0d97b647e296af531', 'hex'));
    for (let n = 0; n <= reply.length; n++) {
      const pkt = new Dissection(reg).dissect(frame(reply.subarray(0, n)));
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe(n === 0 ? 'udp' : 'ntp');
      walkFields(pkt.layers, () => undefined);
      expect(rowParts(pkt.layers).info.endsWith('[Malformed Packet]')).toBe(n > 0 && n < 48);
    }
  });

  it('random datagrams (seeded, bounded): no exception escapes', () => {
    let seed = 0x123;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const p = new Uint8Array(rnd() % 70);
      for (let k = 0; k < p.length; k++) p[k] = rnd();
      const pkt = new Dissection(reg).dissect(frame(p));
      expect(() => {
        walkFields(pkt.layers, () => undefined);
        rowParts(pkt.layers);
      }).not.toThrow();
    }
  });
});
