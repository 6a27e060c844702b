// ICMPv6 code names in the tree and Info like tshark 4.0: Router Renumbering (138) codes.
// ../shared/corpus/null-af28-icmpv6-router-renumbering.pcap frame 1 (DLT_NULL, AF 28);
// tshark: "Router Renumbering (Command)", tree "Code: 0 (Command)".
import { expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { Dissection } from '../../../src/dissect/chain.js';

const F1 = Uint8Array.from(Buffer.from('1c0000006000000000483a4020010db8000100000a0027fffef44dcf20010db8000100000a0027fffef44dcf8a00df3a0000000000100000000000000107003000800000fec000000000000000000000000000003010000000278d0000093a80000000003ffe0501fffe00000000000000000000', 'hex'));

it('router renumbering command', () => {
  const p = new Dissection(defaultRegistry()).dissect({ index: 1, ts: 0n, tsPrecision: 6, linkType: 0, ifIndex: 0, data: F1, origLen: F1.length });
  const l = p.layers.find((x) => x.proto === 'icmpv6')!;
  expect(l.dis.info!(l, p.layers)).toBe('Router Renumbering (Command)');
  const code = l.fields().find((f) => f.key === 'icmpv6.code')!;
  expect([code.show, code.text]).toEqual(['0', 'Code: 0 (Command)']);
});
