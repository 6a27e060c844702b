// QUIC (dissectors/quic.ts) against tshark 4.0.17 on fixtures/quic-handshake.pcap, built by
// scripts/quic-fixture.mjs with real RFC 9001 packet protection: Initial packets decrypted from the
// client's DCID (v1, v2 and draft-29; ClientHello with SNI/ALPN, ServerHello, a ClientHello split over two packets, a Retry and
// the Initial after it, CONNECTION_CLOSE, ACK_ECN with ranges), Handshake / 0-RTT / 1-RTT packets that
// cannot be decrypted, coalesced packets, Version Negotiation, a GREASE version, draft-29, a snaplen-cut
// and a lying Initial, QUIC on another port, and text on UDP 443. tshark's side is in
// quic-handshake.pcap.tshark.{tsv,txt} (scripts/quic-fixture.sh).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { udpFrame } from '../../helpers/packets.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { expectClean } from '../../helpers/problems.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const CAP = join(FX, 'quic-handshake.pcap');

describe('QUIC as tshark 4.0 shows it', () => {
  it('the packet table: equal to tshark line for line', async () => {
    const want = readFileSync(CAP + '.tshark.txt', 'utf8');
    const r = await runCli(['read', '--no-color', CAP]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    expect(want).toContain('Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 0, CRYPTO, PADDING');
    expect(want).toContain('Protected Payload (KP0), DCID=c1c2c3c4');
    expect(want).toContain('Initial, DCID=cdcdcdcd, SCID=efefefefefefefef, PKN: 3, CC');
    expect(want).toContain('UDP 76 50009 → 443 Len=34');
  });

  it('columns, frame.protocols and 49 quic.*/tls.* keys: every cell equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    const r = await fieldsLike(CAP, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    // the decrypted Client Hellos' server names, the one split over two packets included
    const col = want.split('\n')[0].split('\t').indexOf('tls.handshake.extensions_server_name');
    const names = want.split('\n').slice(1).map((l) => l.split('\t')[col]).filter((s) => s);
    expect(names).toEqual(['example.com', 'a-rather-long-server-name.example.org', 'retry.example', 'refused.example', 'chaos.example', 'draft29.example', 'port4433.example', 'v2.example']);
  });

  it('the tree: header bits with protection removed, frames, the TLS handshake from CRYPTO', async () => {
    const r = await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 17', CAP]);
    expect(r.out).toContain(
      [
        'QUIC IETF',
        '    QUIC Connection information',
        '        [Connection Number: 4]',
        '    [Packet Length: 62]',
        '    1... .... = Header Form: Long Header (1)',
        '    .1.. .... = Fixed Bit: True',
        '    ..00 .... = Packet Type: Initial (0)',
        '    .... 00.. = Reserved: 0',
        '    .... ..01 = Packet Number Length: 2 bytes (1)',
        '    Version: 1 (0x00000001)',
      ].join('\n'),
    );
    expect(r.out).toContain(
      [
        '    CONNECTION_CLOSE (Transport) Error code: CRYPTO_ERROR',
        '        Frame Type: CONNECTION_CLOSE (Transport) (0x000000000000001c)',
        '        Error code: 296',
        '        Frame Type: 6',
        '        Reason phrase Length: 17',
        '        Reason phrase: handshake failure',
      ].join('\n'),
    );
    const ch = await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 1', CAP]);
    expect(ch.out).toContain('TLSv1.3 Record Layer: Handshake Protocol: Client Hello\n        Handshake Protocol: Client Hello');
    expect(ch.out).toContain('Server Name: example.com');
    const frag = await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 8', CAP]);
    expect(frag.out).toContain('TLSv1.3 Record Layer: Handshake Protocol: Client Hello (fragment)');
  });

  it('-z io,phs: a "QUIC IETF" item per coalesced packet, the TLS handshake inside QUIC (equal to tshark)', async () => {
    const want = readFileSync(CAP + '.tshark-phs.txt', 'utf8');
    expect(want).toContain('        quic                             frames:3 bytes:2984');
    const r = await runCli(['read', '-q', '-z', 'io,phs', CAP]);
    expect(r.out).toBe(want);
  });

  it('display filters see QUIC fields and the SNI inside it (the frames tshark -Y selects)', async () => {
    const r = await runCli(['read', '--no-color', '-Y', 'quic.long.packet_type == 0 && tls.handshake.extensions_server_name contains "example"', '-T', 'fields', '-e', 'frame.number', CAP]);
    expect(r.out.trim().split('\n')).toEqual(['1', '9', '13', '16', '19', '22', '23']);
    // QUIC v2's Initial has its own type field (quic.long.packet_type_v2 == 1)
    const v2 = await runCli(['read', '-Y', 'quic.long.packet_type_v2 == 1', '-T', 'fields', '-e', 'tls.handshake.extensions_server_name', CAP]);
    expect(v2.out).toBe('v2.example\n');
  });
});

describe('QUIC: every prefix and random bytes', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames;
  // the first client Initial and the coalesced server Initial + Handshake, after IPv4 and UDP
  const samples = [frames[0].data.slice(42), frames[1].data.slice(42)];

  it('a prefix of a packet: no exception; the Initial decrypts only whole', () => {
    for (const s of samples) {
      for (let n = 1; n <= s.length; n++) {
        const d = new Dissection(reg);
        const pkt = d.dissect(udpFrame(50001, 443, s.subarray(0, n)));
        expectClean(pkt);
      }
    }
    const whole = rowParts(new Dissection(reg).dissect(udpFrame(50001, 443, samples[0])).layers).info;
    expect(whole).toBe('Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 0, CRYPTO, PADDING');
    const cut = rowParts(new Dissection(reg).dissect(udpFrame(50001, 443, samples[0].subarray(0, 600))).layers).info;
    expect(cut).toBe('Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 0');
  });

  it('random and mutated datagrams (seeded, bounded): no exception escapes', () => {
    let seed = 0x0443;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const d = new Dissection(reg);
    for (let i = 0; i < 1500; i++) {
      let p: Uint8Array;
      if (i % 3 === 0) {
        p = new Uint8Array(8 + rnd() * 4);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
        p[0] |= 0xc0;
        p.set([0, 0, 0, 1], 1);
      } else {
        p = samples[i % 2].slice();
        for (let k = 0; k < 1 + (rnd() % 6); k++) p[(rnd() << 8 | rnd()) % p.length] = rnd();
      }
      const pkt = d.dissect(udpFrame(40000 + (i % 7), 443, p));
      expectClean(pkt);
    }
  });
});
