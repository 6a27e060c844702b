// Canon BJNP (dissectors/bjnp.ts) against tshark 4.0.17: fixtures/bjnp.pcap (scripts/bjnp-fixture.py:
// scanner and printer discovery and responses, a print job with a payload, unknown type and code, a payload
// length past the datagram, cut headers) in columns, frame.protocols and bjnp.* keys
// (scripts/bjnp-fixture.sh); the corpus's scanner discovery; random datagrams.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';

import { udpFrame } from '../../helpers/packets.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { corpusCapture } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';

const CAP = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'bjnp.pcap');

describe('BJNP as tshark 4.0 shows it', () => {
  it('bjnp.pcap: every cell equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    expect(want).toContain('BJNP\tUnknown type (7): Unknown code (99)\t');
    expect(want).toContain('BJNP\tPrinter Response: Print[Malformed Packet]\t');
    expect(want).toContain('BJNP\t[Malformed Packet]\teth:ethertype:ip:udp:bjnp\tBJNB\t2\t');
    expect(await fieldsOf(CAP, want)).toBe(want);
  });

  it("the corpus's scanner discovery and its tree", async () => {
    const r = await runCli(['read', '-V', '--no-color', '-Y', 'bjnp', corpusCapture('null-ipv4-ipv6-dns-tcp-bjnp')]);
    expect(r.out).toContain(
      ['Canon BJNP, Scanner Command: Discover', '    Id: BJNB', '    Type: Scanner Command (2)', '    Code: Discover (1)', '    Sequence Number: 0', '    Session Id: 0', '    Payload Length: 0'].join('\n'),
    );
  });

  it('random datagrams on 8611–8614 (seeded, bounded): no dissector error', () => {
    const reg = defaultRegistry();
    let seed = 0x8612;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 1000; i++) {
      const p = Uint8Array.from({ length: rnd() % 40 }, rnd);
      const pkt = new Dissection(reg).dissect(udpFrame(40000, 8611 + (i % 4), p));
      expectClean(pkt);
    }
  });
});
