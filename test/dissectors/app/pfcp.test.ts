// PFCP on UDP port 8805 (dissectors/pfcp.ts) against tshark 4.0.17: the columns, frame.protocols and the
// header and IE keys of fixtures/pfcp-messages.pcap (hand-made: a heartbeat, an unknown message type
// with the MP and S flags, a grouped Create QER with a vendor IE, an IE header cut short, two messages
// in one datagram: tshark shows both, Info the last one's) and of the
// corpus's 200 PFCP messages, in .tshark.tsv files written by scripts/pfcp-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { udpFrame } from '../../helpers/packets.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

describe('PFCP as tshark 4.0 shows it', () => {
  it('pfcp-messages.pcap: every cell equal but the wording of one malformed mark', async () => {
    const want = readFileSync(join(FX, 'pfcp-messages.pcap.tshark.tsv'), 'utf8');
    const got = await fieldsOf(join(FX, 'pfcp-messages.pcap'), want);
    // tshark names the exception ("length of contained item exceeds length of containing item"); the
    // table marks every malformed packet the same way
    expect(got).toBe(want.replace('[Malformed Packet: length of contained item exceeds length of containing item]', '[Malformed Packet]'));
    expect(want).toContain('PFCP\tUnknown\t');
    expect(want).toContain('7,109,25\t13,4,1,6\t32770\t18681');
    expect(want).toContain('PFCP\tPFCP Heartbeat Response\traw:ip:udp:pfcp\t0x24,0x20\t1,1\t1,0\t0,0\t0,0\t1,2\t');
  });

  it("the corpus's 200 PFCP messages: every cell equal", async () => {
    const want = readFileSync(join(FX, 'pfcp-corpus.tshark.tsv'), 'utf8');
    expect(want.split('\n').length).toBe(202);
    expect(await fieldsOf(join(CORPUS_DIR, 'pcapng-be-raw-ipv4-udp.pcapng'), want)).toBe(want);
  });

  it('the tree: flags, header, IEs by name, grouped IEs nested, vendor IEs with their enterprise', async () => {
    const r = await runCli(['read', '-V', '-c', '3', join(FX, 'pfcp-messages.pcap')]);
    expect(r.out).toContain(
      [
        'Packet Forwarding Control Protocol',
        '    Flags: 0x21, SEID (S)',
        '        001. .... = Version: 1',
        '        ...0 .... = Spare: 0',
        '        .... 0... = Spare: 0',
        '        .... .0.. = Follow On (FO): 0',
        '        .... ..0. = Message Priority (MP): 0',
        '        .... ...1 = SEID (S): 1',
        '    Message Type: PFCP Session Modification Request (52)',
        '    Length: 39',
        '    SEID: 0x0000000000000001',
        '    Sequence Number: 42',
        '    Spare: 0',
        '    Create QER : [Grouped IE]',
        '        IE Type: Create QER (7)',
        '        IE Length: 13',
        '        QER ID : ',
        '            IE Type: QER ID (109)',
        '            IE Length: 4',
        '            Value: 00000001',
        '        Gate Status : ',
        '            IE Type: Gate Status (25)',
        '            IE Length: 1',
        '            Value: 00',
        '    Enterprise specific IE : ',
        '        Enterprise specific IE Type: 32770',
        '        IE Length: 6',
        '        Enterprise ID: 18681',
        '        Enterprise IE Data: d02330ff',
      ].join('\n'),
    );
    expect(r.out).toContain('    Flags: 0x23, Message Priority (MP), SEID (S)\n');
    expect(r.out).toContain('    Message Type: Unknown (99)\n');
    // a second message in the datagram: an item of its own
    const fifth = (await runCli(['read', '-V', '-Y', 'frame.number == 5', join(FX, 'pfcp-messages.pcap')])).out;
    expect(fifth).toContain('    Flags: 0x24, Follow On (FO)\n');
    expect(fifth).toContain('    Packet Forwarding Control Protocol\n        Flags: 0x20\n');
  });
});

describe('PFCP: every prefix and random bytes', () => {
  const reg = defaultRegistry();
  const frame = (payload: Uint8Array) => udpFrame(8805, 8805, payload);
  // the fixture's session modification request (frame 3), after its IPv4 and UDP headers
  const msg = parseCaptureBuffer(new Uint8Array(readFileSync(join(FX, 'pfcp-messages.pcap')))).frames[2].data.slice(28);

  it('a prefix of a message: no exception, every cut one marked', () => {
    expect(rowParts(new Dissection(reg).dissect(frame(msg)).layers).info).toBe('PFCP Session Modification Request');
    for (let n = 1; n < msg.length; n++) {
      const pkt = new Dissection(reg).dissect(frame(msg.subarray(0, n)));
      walkFields(pkt.layers, () => undefined);
      const l = pkt.layers[pkt.layers.length - 1];
      expect(l.proto).toBe('pfcp');
      expect(l.problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
    }
  });

  it('random datagrams and grouped IEs nested deep (seeded, bounded): no exception escapes', () => {
    let seed = 0x8805;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const p = new Uint8Array(rnd() % 120);
      for (let k = 0; k < p.length; k++) p[k] = rnd();
      if (p.length > 8 && i % 2 === 0) p[0] = 0x20;
      const pkt = new Dissection(reg).dissect(frame(p));
      expect(() => {
        walkFields(pkt.layers, () => undefined);
        rowParts(pkt.layers);
      }).not.toThrow();
    }
    // Create PDR inside Create PDR … 600 deep: nesting stops at its bound
    const depth = 600;
    const body = new Uint8Array(8 + depth * 4);
    body.set([0x20, 0x32, (body.length - 4) >> 8, (body.length - 4) & 0xff]);
    for (let k = 0; k < depth; k++) {
      const len = (depth - k - 1) * 4;
      body.set([0, 1, len >> 8, len & 0xff], 8 + k * 4);
    }
    const pkt = new Dissection(reg).dissect(frame(body));
    let n = 0;
    walkFields(pkt.layers, (f) => {
      if (f.key === 'pfcp.ie_type') n++;
    });
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(20);
  });
});
