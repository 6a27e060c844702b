// STP / RSTP / MSTP BPDUs behind LLC DSAP 0x42 and PVST+ behind SNAP (dissectors/stp.ts) against tshark
// 4.0.17: the columns, frame.protocols and 45 stp.* / mstp.* keys of fixtures/stp-bpdus.pcap
// (scripts/stp-fixture.py: configuration BPDUs with TC and TCA, TCN, RSTP with every port role, MSTP with
// two MSTI records, unknown type and protocol identifier, BPDUs cut short, version 3 lengths that lie,
// Cisco PVST+) and of the corpus's RSTP BPDU over SLL2, in .tshark.tsv files written by scripts/stp-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { expectClean } from '../../helpers/problems.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'stp-bpdus.pcap');

const problemsOf = (p: Packet) =>
  p.layers.filter((l) => l.proto === 'stp').flatMap((l) => (l.problems ?? []).map((pr) => `${pr.kind}: ${pr.message}`));

describe('STP as tshark 4.0 shows it', () => {
  it('stp-bpdus.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'stp-bpdus.pcap.tshark.tsv'), 'utf8');
    expect(await fieldsOf(PCAP, want)).toBe(want);
    expect(want).toContain('STP\tConf. TC + Root = 32768/0/4c:5e:0c:3e:c6:dd  Cost = 4  Port = 0x8001\teth:llc:stp\t0x0000\t0\t0x00\t0x01\t0\t\t\t\t\t\t1\t');
    expect(want).toContain('STP\tTopology Change Notification\teth:llc:stp\t');
    expect(want).toContain('STP\tMST. Root = 32768/0/4c:5e:0c:3e:c6:dd  Cost = 20000  Port = 0x8001\teth:llc:stp');
    expect(want).toContain('\t0x7c,0x09\t0x08,0x09\t1,2\t');
    expect(want).toContain('STP\tRST. Root = 32768/0/4c:5e:0c:3e:c6:dd  Cost = 4  Port = 0x8001[Malformed Packet]\t');
    expect(want).toContain('STP\t[Malformed Packet]\teth:llc:stp\t');
    expect(want).toContain('STP\tUnknown BPDU type (85)\t');
  });

  it("the corpus's RSTP BPDU over Linux cooked capture v2: every cell equal", async () => {
    const want = readFileSync(join(FX, 'stp-corpus.tshark.tsv'), 'utf8');
    expect(want).toContain('STP\tRST. Root = 32768/0/4c:5e:0c:3e:c6:dd  Cost = 20024  Port = 0x8002\tsll:llc:stp\t');
    expect(await fieldsOf(join(CORPUS_DIR, 'sll2-llc-stp.pcap'), want)).toBe(want);
  });

  it('the tree: RST flags with the port role, bridge identifiers split, an MSTI record', async () => {
    const rst = (await runCli(['read', '-V', '-Y', 'frame.number == 5', PCAP])).out;
    expect(rst).toContain(
      [
        'Spanning Tree Protocol',
        '    Protocol Identifier: Spanning Tree Protocol (0x0000)',
        '    Protocol Version Identifier: Rapid Spanning Tree (2)',
        '    BPDU Type: Rapid/Multiple Spanning Tree (0x02)',
        '    BPDU flags: 0xe9, Topology Change Acknowledgment, Agreement, Forwarding, Port Role: Root, Topology Change',
        '        1... .... = Topology Change Acknowledgment: Yes',
        '        .1.. .... = Agreement: Yes',
        '        ..1. .... = Forwarding: Yes',
        '        ...0 .... = Learning: No',
        '        .... 10.. = Port Role: Root (2)',
        '        .... ..0. = Proposal: No',
        '        .... ...1 = Topology Change: Yes',
        '    Root Identifier: 32768 / 0 / 4c:5e:0c:3e:c6:dd',
        '        Root Bridge Priority: 32768',
        '        Root Bridge System ID Extension: 0',
        '        Root Bridge System ID: 4c:5e:0c:3e:c6:dd',
        '    Root Path Cost: 20024',
        '    Bridge Identifier: 32768 / 0 / 00:11:5a:0c:3e:00',
        '        Bridge Priority: 32768',
        '        Bridge System ID Extension: 0',
        '        Bridge System ID: 00:11:5a:0c:3e:00',
        '    Port identifier: 0x8001',
        '    Message Age: 1',
        '    Max Age: 20',
        '    Hello Time: 2',
        '    Forward Delay: 15',
        '    Version 1 Length: 0',
      ].join('\n'),
    );
    const mst = (await runCli(['read', '-V', '-Y', 'frame.number == 8', PCAP])).out;
    expect(mst).toContain(
      [
        '        MSTID 2, Regional Root Identifier 36864 / 4c:5e:0c:3e:c6:dd',
        '            MSTI flags: 0x09, Port Role: Root, Topology Change',
      ].join('\n'),
    );
    expect(mst).toContain(
      [
        '            1001 .... = Priority: 0x9',
        '            .... 0000 0000 0010 = MSTID: 2',
        '            Regional Root: 4c:5e:0c:3e:c6:dd',
        '            Internal root path cost: 200000',
        '            Bridge Identifier Priority: 9',
        '            Port identifier priority: 8',
        '            Remaining hops: 19',
      ].join('\n'),
    );
    expect(mst).toContain('        MST Config name: region1\n');
  });
});

describe('STP: every prefix, random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  /** An 802.3 frame with LLC 0x42/0x42 UI carrying `bpdu` (its length field true). */
  const frameOf = (bpdu: Uint8Array) => {
    const b = new Uint8Array(17 + bpdu.length);
    b.set(frames[0].data.subarray(0, 12));
    b[12] = (bpdu.length + 3) >> 8;
    b[13] = (bpdu.length + 3) & 0xff;
    b.set([0x42, 0x42, 0x03], 14);
    b.set(bpdu, 17);
    return { index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen: b.length };
  };
  // frame 8's MSTP BPDU (two MSTI records), after Ethernet and LLC
  const mstp = frames[7].data.slice(17, 17 + ((frames[7].data[12] << 8) | frames[7].data[13]) - 3);

  it('a prefix of an MSTP BPDU: no exception, every cut one marked', () => {
    const whole = new Dissection(reg).dissect(frameOf(mstp));
    expect(rowParts(whole.layers).info).toBe('MST. Root = 32768/0/4c:5e:0c:3e:c6:dd  Cost = 20000  Port = 0x8001');
    expect(problemsOf(whole)).toEqual([]);
    expect(mstp.length).toBe(134);
    for (let n = 1; n < mstp.length; n++) {
      const pkt = new Dissection(reg).dissect(frameOf(mstp.subarray(0, n)));
      walkFields(pkt.layers, () => undefined);
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe('stp');
      expect(l.problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
    }
  });

  it('random and mutated BPDUs (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x42;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(rnd() % 200);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
        if (p.length > 4 && i % 4 === 0) p.set([0, 0, 3, 2]);
      } else {
        p = mstp.slice();
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[rnd() % p.length] = rnd();
      }
      const pkt = new Dissection(reg).dissect(frameOf(p));
      expectClean(pkt);
    }
  });
});
