// PPPoE (dissectors/pppoe.ts) against tshark 4.0.17: fixtures/pppoe.pcap (scripts/pppoe-fixture.py: PADI,
// PADO with a Broadband Forum vendor tag, PADR, PADS, PADT with a Generic-Error, session frames carrying
// LCP, IPCP and IPv4 ICMP, an unknown code, a tag that runs past the payload, a payload length past the
// frame) in columns, frame.protocols, the pppoe*/ppp keys and -z io,phs (scripts/pppoe-fixture.sh);
// the corpus's PADI; every prefix and random payloads.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';

import { fieldsOf, runCli } from '../../helpers/cli.js';
import { corpusCapture } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';

const CAP = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'pppoe.pcap');

describe('PPPoE as tshark 4.0 shows it', () => {
  it('pppoe.pcap: every cell equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    expect(want).toContain("PPPoED\tActive Discovery Offer (PADO) AC-Name='isp-bras-1'\teth:ethertype:pppoed\t1\t1\t0x07\t0x0000\t60");
    expect(want).toContain('PPP LCP\tConfiguration Request\teth:ethertype:pppoes:ppp:lcp\t');
    expect(want).toContain('PPPoED\tActive Discovery Initiation (PADI)[Malformed Packet]\t');
    expect(await fieldsOf(CAP, want)).toBe(want);
  });

  it('-z io,phs and the tree of a PADO', async () => {
    expect((await runCli(['read', '-q', '-z', 'io,phs', CAP])).out).toBe(readFileSync(CAP + '.tshark-phs.txt', 'utf8'));
    const r = await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 2', CAP]);
    expect(r.out).toContain(
      [
        'PPP-over-Ethernet Discovery',
        '    0001 .... = Version: 1',
        '    .... 0001 = Type: 1',
        '    Code: Active Discovery Offer (PADO) (0x07)',
        '    Session ID: 0x0000',
        '    Payload Length: 60',
        '    PPPoE Tags',
        '        AC-Name: isp-bras-1',
        '        Host-Uniq: 64138518',
        '        AC-Cookie: 000102030405060708090a0b0c0d0e0f',
        '        Vendor id: 3561',
        '        Vendor Specific PPPoE Tags',
        '            Circuit ID: abcd',
      ].join('\n'),
    );
  });

  it("the corpus's PADI (after an Ethernet trailer) equals tshark's row", async () => {
    const r = await runCli(['read', corpusCapture('eth-trailer-padding-mixed'), '-Y', 'pppoed', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'pppoed.tags.host_uniq']);
    expect(r.out).toBe('PPPoED\tActive Discovery Initiation (PADI)\t64138518\n');
  });
});

describe('PPPoE: every prefix and random payloads', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames;
  const cut = (n: number, k: number) => {
    const f = frames[n];
    return { ...f, data: f.data.subarray(0, k), origLen: k };
  };

  it('a prefix of a PADO or a session frame: no exception, marked when cut in the header or a tag', () => {
    for (const n of [1, 4]) {
      const plen = frames[n].data[18] * 256 + frames[n].data[19];
      for (let k = 15; k < 20 + plen; k++) {
        const pkt = new Dissection(reg).dissect(cut(n, k));
        expectClean(pkt);
        if (k < 20) expect(pkt.layers[pkt.layers.length - 1].problems?.length ?? 0).toBeGreaterThan(0);
      }
    }
  });

  it('random discovery and session payloads (seeded, bounded): no dissector error', () => {
    let seed = 0x8863;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const base = frames[i % 2 === 0 ? 1 : 4].data;
      const data = base.slice();
      for (let k = 0; k < 1 + (rnd() % 8); k++) data[14 + (rnd() % (data.length - 14))] = rnd();
      const pkt = new Dissection(reg).dissect({ ...frames[0], data, origLen: data.length });
      expectClean(pkt);
    }
  });
});
