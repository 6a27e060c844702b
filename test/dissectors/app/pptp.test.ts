// PPTP control messages on TCP 1723 (dissectors/pptp.ts, framed per segment in src/analysis/http/app.ts)
// against tshark 4.0.17: columns, frame.protocols and 50 pptp.* keys of fixtures/gre-ppp.pcap's control
// connection (every message type, two messages in one segment, one across two segments, a bad magic
// cookie, an unknown type) and of the corpus's pcap-usec-be-pptp-gre.pcap (with retransmissions), in
// .tshark.tsv files written by scripts/gre-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pptpLayer } from '../../../dissectors/pptp.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'gre-ppp.pcap');
const CORPUS = join(CORPUS_DIR, 'pcap-usec-be-pptp-gre.pcap');

describe('PPTP as tshark 4.0 shows it', () => {
  it('gre-ppp.pcap control connection: every cell equal', async () => {
    const want = readFileSync(join(FX, 'gre-ppp-pptp.tshark.tsv'), 'utf8');
    expect(want).toContain('PPTP\tStart-Control-Connection-Request\teth:ethertype:ip:tcp:pptp\t156\t1\t0x1a2b3c4d\t1\t0000,0000\t256\t1\t1\t0\t2160\t\tMicrosoft Windows NT\t');
    expect(want).toContain('PPTP\tIncoming-Call-Request[Malformed Packet]\teth:ethertype:ip:tcp:pptp\t220\t');
    expect(want).toContain('PPTP\tUnknown control type (0)\teth:ethertype:ip:tcp:pptp:data\t0\t0\t0x00000000\t0\t');
    expect(want).toContain('PPTP\tUnknown control type (99)\teth:ethertype:ip:tcp:pptp:data\t');
    expect(want).toContain('PPTP\tEcho-Request\teth:ethertype:ip:tcp:pptp\t16\t1\t0x11223344\t5\t0000\t');
    const r = await fieldsLike(PCAP, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it("the corpus capture: every cell equal (a retransmitted message stays TCP, as in tshark)", async () => {
    const want = readFileSync(join(FX, 'gre-corpus-pptp.tshark.tsv'), 'utf8');
    expect(want.split('\n')[9]).toMatch(/^TCP\t\[TCP Retransmission\] 1723 → 3025 \[PSH, ACK\][^\t]*\teth:ethertype:ip:tcp\t/);
    expect(want).toContain('PPTP\tSet-Link-Info\teth:ethertype:ip:tcp:pptp\t24\t1\t0x1a2b3c4d\t15\t0000,0000\t');
    const r = await fieldsLike(CORPUS, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it('the table of the corpus capture equals tshark (PPTP rows, the LCP row, TCP rows)', async () => {
    const out = (await runCli(['read', CORPUS])).out.split('\n');
    expect(out[4]).toBe('    5   0.000809    10.1.1.11 → 10.1.1.10    PPTP 210 Start-Control-Connection-Request');
    expect(out[8]).toBe('    9   0.069514    10.1.1.10 → 10.1.1.11    TCP 210 [TCP Retransmission] 1723 → 3025 [PSH, ACK] Seq=1 Ack=157 Win=32120 Len=156');
    expect(out[14]).toBe('   15   0.247808    10.1.1.11 → 10.1.1.10    PPTP 78 Set-Link-Info');
    expect(out[15]).toBe('   16   0.263826    10.1.1.11 → 10.1.1.10    PPP LCP 94 Configuration Request');
  });

  it('the tree of a Start-Control-Connection-Reply equals tshark -V', async () => {
    const out = (await runCli(['read', '-V', '-Y', 'frame.number == 8', CORPUS])).out;
    expect(out).toContain(
      [
        'Point-to-Point Tunnelling Protocol',
        '    Length: 156',
        '    Message type: Control Message (1)',
        '    Magic Cookie: 0x1a2b3c4d (correct)',
        '    Control Message Type: Start-Control-Connection-Reply (2)',
        '    Reserved: 0000',
        '    Protocol version: 1.0',
        '    Result Code: Successful channel establishment (1)',
        '    Error Code: None (0)',
        '    Framing Capabilities: Unknown (0)',
        '    Bearer Capabilities: Unknown (0)',
        '    Maximum Channels: 1',
        '    Firmware Revision: 1',
        '    Host Name: local',
        '    Vendor Name: MoretonBay',
      ].join('\n'),
    );
  });
});

describe('PPTP: every prefix, random bytes', () => {
  const sccrp = (() => {
    const b = new Uint8Array(156);
    b.set([0, 156, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 2, 0, 0, 1, 0, 1, 0]);
    return b;
  })();

  it('every prefix of a Start-Control-Connection-Reply: no exception, marked', () => {
    expect(pptpLayer(sccrp, 0, sccrp.length).problems).toBeNull();
    for (let n = 0; n < sccrp.length; n++) {
      const l = pptpLayer(sccrp, 0, n);
      expect(() => l.fields()).not.toThrow();
      expect(l.problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
    }
  });

  it('random and mutated messages (seeded, bounded): no exception, no dissector error', () => {
    let seed = 0x1723;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 3000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(rnd() % 240);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
        if (p.length > 10) p[9] = 1 + (rnd() % 16);
      } else {
        p = sccrp.slice(0, rnd() % 157);
        for (let k = 0, n = 1 + (rnd() % 6); k < n && p.length > 0; k++) p[rnd() % p.length] = rnd();
      }
      const l = pptpLayer(p, 0, p.length);
      expect(() => l.fields()).not.toThrow();
      expect((l.problems ?? []).filter((x) => /dissector (failed|error)/.test(x.message))).toEqual([]);
    }
  });
});
