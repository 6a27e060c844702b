// LLC basic-format XID (dissectors/basicxid.ts) against tshark 4.0.17: the corpus's three XID responses
// (mixed-wireshark-samples-nrb.pcapng frames 1134, 2076, 3828), whose Protocol, Info, frame.protocols and
// basicxid.* keys tshark prints as asserted here; every prefix and random information fields.

import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { runCli } from '../../helpers/cli.js';
import { corpusCapture } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';

const CAP = corpusCapture('mixed-wireshark-samples-nrb');
const KEYS = ['_ws.col.Protocol', '_ws.col.Info', 'frame.protocols', 'basicxid.llc.xid.format', 'basicxid.llc.xid.types', 'basicxid.llc.xid.wsize'];

/** An 802.3 frame: LLC DSAP 0x00, SSAP 0x01 (response), U XID, then `info`. */
function xidFrame(info: Uint8Array) {
  const b = new Uint8Array(17 + info.length);
  b.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x11, 0x22, 0x33, 0x44, 0x55], 0);
  b[12] = (3 + info.length) >> 8;
  b[13] = (3 + info.length) & 255;
  b.set([0x00, 0x01, 0xaf], 14);
  b.set(info, 17);
  return { index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
}

describe('LLC basic XID as tshark 4.0 shows it', () => {
  it("the corpus's XID responses: Protocol, Info, frame.protocols and the keys", async () => {
    const r = await runCli(['read', CAP, '-Y', 'frame.number in {1134, 2076, 3828}', '-T', 'fields', ...KEYS.flatMap((k) => ['-e', k])]);
    expect(r.out).toBe('XID\tBasic Format; Type 1 LLC (Class I LLC); Window Size 0\teth:llc\t0x81\t0x01\t0\n'.repeat(3));
  });

  it('the tree', async () => {
    const r = await runCli(['read', CAP, '-V', '--no-color', '-Y', 'frame.number == 1134']);
    expect(r.out).toContain(
      ['Logical-Link Control Basic Format XID', '    XID Format: LLC basic format (0x81)', '    LLC Types/Classes: Type 1 LLC (Class I LLC) (0x01)', '    Receive Window Size: 0', ''].join('\n'),
    );
  });

  it('every prefix is marked; random information fields never throw', () => {
    const reg = defaultRegistry();
    expect(rowParts(new Dissection(reg).dissect(xidFrame(Uint8Array.of(0x81, 0x07, 0x0e))).layers).info).toBe('Basic Format; Type 1 and Type 2 and Type 3 LLCs (Class IV LLC); Window Size 7');
    // tshark 4.0 on these two cut fields: "Basic Format[Malformed Packet]", "Basic Format; Type 1 LLC (Class I LLC)[Malformed Packet]"
    const cut = ['Basic Format[Malformed Packet]', 'Basic Format; Type 1 LLC (Class I LLC)[Malformed Packet]'];
    for (const n of [1, 2]) {
      const pkt = new Dissection(reg).dissect(xidFrame(Uint8Array.of(0x81, 0x01, 0x00).subarray(0, n)));
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe('basicxid');
      expect(l.problems?.length ?? 0).toBeGreaterThan(0);
      expect(rowParts(pkt.layers).info).toBe(cut[n - 1]);
    }
    let seed = 0x81;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 500; i++) {
      const info = Uint8Array.from({ length: 1 + (rnd() % 8) }, rnd);
      info[0] = 0x81;
      const pkt = new Dissection(reg).dissect(xidFrame(info));
      expectClean(pkt);
    }
  });
});
