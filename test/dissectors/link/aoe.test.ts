// ATA over Ethernet (dissectors/aoe.ts) against tshark 4.0.17: fixtures/aoe.pcap (scripts/aoe-fixture.py:
// ATA commands and responses matched by tag, LBA48 and asynchronous writes, unknown ATA and AoE commands,
// config query, error responses, a response to no request, a tag asked twice, version 2, cut headers) in
// columns, frame.protocols and every aoe.* key, the trees of six frames (scripts/aoe-fixture.sh); the
// corpus's AoE frame; prefixes and random frames.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { corpusCapture } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';
import type { Frame } from '../../../src/capture/types.js';

const CAP = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'aoe.pcap');

/** The AoE layers of -V text (wiretrace's problem lines inside the layer, tshark's [Malformed Packet: AOE] line dropped). */
function aoeTrees(text: string): string[] {
  const out: string[] = [];
  let on = false;
  for (const l of text.split('\n')) {
    if (l === 'ATAoverEthernet') on = true;
    else if (l !== '' && !l.startsWith(' ')) on = false;
    if (on && l !== '' && !/^ {8}\[(AoE header|Severity level|Group)/.test(l) && !/^ {4}\[Expert Info/.test(l)) out.push(l);
  }
  return out;
}

function frameOf(payload: Uint8Array): Frame {
  const data = new Uint8Array(14 + payload.length);
  data.set([0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x88, 0xa2]);
  data.set(payload, 14);
  return { index: 1, ts: 0n, tsPrecision: 6, origLen: data.length, data, linkType: 1, ifIndex: 0 } as Frame;
}

describe('AoE as tshark 4.0 shows it', () => {
  it('aoe.pcap: every cell equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    for (const s of [
      'AoE\tIssue ATA Command Response ATA:Read sectors (with retry)\teth:ethertype:aoe\t1\t1\t0\t\t0x40f6\t0x02\t0\t0x01010101\t1\t0.001500000\t0\t\t\t0\t0x00\t0\t0x20\t0x50\t0x0000000000001234',
      'AoE\tError:Device unavailable Issue ATA Command Response\t',
      'AoE\tIssue ATA Command Request ATA: Unknown ATA<0x07>\t',
      'AoE\tUnknown command<7> Request\t',
      'AoE\t[Malformed Packet]\teth:ethertype:aoe\t1\t1\t0\t',
    ]) {
      expect(want).toContain(s);
    }
    expect(await fieldsOf(CAP, want)).toBe(want);
  });

  it('the table and six trees equal tshark', async () => {
    const table = await runCli(['read', '--no-color', CAP]);
    expect(table.out).toContain('   19   0.027000 00:11:22:33:44:55 → 00:aa:bb:cc:dd:ee AoE 30 Issue ATA Command Request ATA:Read sectors (with retry)[Malformed Packet]\n');
    const want = aoeTrees(readFileSync(CAP + '.tshark.txt', 'utf8'));
    const got = aoeTrees((await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 2 || frame.number == 4 || frame.number == 5 || frame.number == 10 || frame.number == 17 || frame.number == 19', CAP])).out);
    expect(want.length).toBeGreaterThan(60);
    expect(want).toContain('    [Time from request: 0.001500000 seconds]');
    expect(got).toEqual(want);
  });

  it("the corpus's AoE frame (caplen past the frame length)", async () => {
    const r = await runCli(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', '-e', 'frame.protocols', '-e', 'aoe.tag', corpusCapture('malformed-pcap-caplen-gt-origlen')]);
    expect(r.out).toBe('AoE\tUnknown command<3> Response\teth:ethertype:aoe\t0x01010101\n');
  });

  it('every prefix of an ATA response and 2,000 random headers (seeded): no dissector error', () => {
    const reg = defaultRegistry();
    const full = Uint8Array.from([0x18, 0, 0x40, 0xf6, 2, 0, 1, 1, 1, 1, 0x41, 0, 0, 0x50, 1, 2, 3, 4, 5, 6, 0, 0]);
    for (let k = 1; k <= full.length; k++) expectClean(new Dissection(reg).dissect(frameOf(full.subarray(0, k))));
    let seed = 0x88a2;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const d = new Dissection(reg);
    for (let i = 0; i < 2000; i++) {
      const p = Uint8Array.from({ length: 1 + (rnd() % 30) }, rnd);
      p[0] = (p[0] & 0x0f) | 0x10;
      expectClean(d.dissect(frameOf(p)));
    }
  });
});
