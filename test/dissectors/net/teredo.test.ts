// Teredo (IPv6 in UDP 3544): frames written to a pcap and read by tshark 4.0.17; the expected
// Protocol, Info and field values are what it printed (-T fields -e _ws.col.Protocol -e _ws.col.Info …).
// The corpus's Teredo bubbles (mixed-wireshark-samples-nrb.pcapng) are in the conformance fixtures.
import { describe, expect, it } from 'vitest';
import { cell, hex, infoOf, problemsOf, runFrame } from '../../helpers/packets.js';
import { rowParts } from '../../../src/output/table.js';
import { frameProtocols } from '../../../src/analysis/frame-protocols.js';

const ETH_IP = '00112233445566778899aabb0800';
const FRAMES = {
  // auth header (ID "ab", AU "x", nonce 01..08, confirmation 00) + origin indication (port 40000, 192.0.2.45) + IPv6, no next header
  authOrig: ETH_IP + '4500005c0001000040119437c0a801024136e3780dd8c3500048000000010201616278010203040506070800000063bf3ffffdd26000000000003bff200100004136e378800063bf3ffffdd2fe800000000000008000ffffffffffff',
  // origin indication + IPv6 + ICMPv6 echo request, to port 3544
  origEcho: ETH_IP + '45000058000100004011943bc0a801024136e378c3500dd800440000000063bf3ffffdd260000000000c3aff200100004136e378800063bf3ffffdd2fe800000000000008000ffffffffffff800000000001000170696e67',
  bubble: ETH_IP + '45000044000100004011944fc0a801024136e3780dd80dd8003000006000000000003bff200100004136e378800063bf3ffffdd2fe800000000000008000ffffffffffff',
  cutAuth: ETH_IP + '450000220001000040119471c0a801024136e3780dd8c351000e0000000105056162',
  cutOrig: ETH_IP + '4500001f0001000040119474c0a801024136e3780dd8c351000b0000000001',
  notIpv6: ETH_IP + '450000310001000040119462c0a801024136e3780dd8c351001d000068656c6c6f20776f726c642c206e6f742069707636',
  // echo request from port 3544 (not a connectivity test) and to it
  echoFrom: ETH_IP + '450000500001000040119443c0a801024136e3780dd8c350003c000060000000000c3aff200100004136e378800063bf3ffffdd2fe800000000000008000ffffffffffff800000000001000170696e67',
};

describe('teredo', () => {
  it('headers, the tunnelled IPv6 and the columns as tshark shows them', () => {
    const want: [keyof typeof FRAMES, string, string, string][] = [
      ['authOrig', 'IPv6', 'IPv6 no next header', 'eth:ethertype:ip:udp:teredo:ipv6'],
      ['origEcho', 'Teredo', 'Direct IPv6 Connectivity Test id=0x0001, seq=1, hop limit=255', 'eth:ethertype:ip:udp:teredo:ipv6:icmpv6'],
      ['bubble', 'IPv6', 'IPv6 no next header', 'eth:ethertype:ip:udp:teredo:ipv6'],
      ['cutAuth', 'Teredo', 'Authentication header', 'eth:ethertype:ip:udp:teredo'],
      ['cutOrig', 'Teredo', 'Origin indication', 'eth:ethertype:ip:udp:teredo'],
      ['notIpv6', 'IPv6', 'Invalid IPv6 header (21 bytes, need exactly 40)', 'eth:ethertype:ip:udp:teredo:ipv6'],
      ['echoFrom', 'ICMPv6', 'Echo (ping) request id=0x0001, seq=1, hop limit=255', 'eth:ethertype:ip:udp:teredo:ipv6:icmpv6:data'],
    ];
    for (const [k, proto, info, protocols] of want) {
      const p = runFrame(hex(FRAMES[k]));
      expect(rowParts(p.layers).protocol, k).toBe(proto);
      expect(infoOf(p), k).toBe(info);
      expect(frameProtocols(p), k).toBe(protocols);
    }
  });

  it('teredo.* fields equal tshark -T fields', () => {
    const a = runFrame(hex(FRAMES.authOrig));
    const got = ['teredo.auth', 'teredo.auth.idlen', 'teredo.auth.aulen', 'teredo.auth.id', 'teredo.auth.value', 'teredo.auth.nonce', 'teredo.auth.conf', 'teredo.orig', 'teredo.orig.port', 'teredo.orig.addr', 'ipv6.nxt', 'ipv6.src'].map((k) => cell(a, k));
    expect(got).toEqual(['1', '2', '1', '6162', '78', '0102030405060708', '00', '1', '40000', '192.0.2.45', '59', '2001:0:4136:e378:8000:63bf:3fff:fdd2']);
    expect(problemsOf(a)).toEqual([]);
    const o = runFrame(hex(FRAMES.origEcho));
    expect(['teredo.auth', 'teredo.orig', 'teredo.orig.port', 'teredo.orig.addr', 'icmpv6.type'].map((k) => cell(o, k))).toEqual(['', '1', '40000', '192.0.2.45', '128']);
    expect(cell(runFrame(hex(FRAMES.cutAuth)), 'teredo.auth.idlen')).toBe('5');
    expect(cell(runFrame(hex(FRAMES.cutOrig)), 'teredo.orig')).toBe('1');
  });

  it('cut headers are malformed (tshark: [Malformed Packet]); every prefix of a good frame is truncated, never an exception', () => {
    expect(problemsOf(runFrame(hex(FRAMES.cutAuth)))).toEqual(['malformed: Teredo authentication header: needs 23 bytes, only 6 present']);
    expect(problemsOf(runFrame(hex(FRAMES.cutOrig)))).toEqual(['malformed: Teredo origin indication: needs 8 bytes, only 3 present']);
    for (const k of ['authOrig', 'origEcho', 'bubble'] as const) {
      const f = hex(FRAMES[k]);
      for (let n = 43; n < f.length; n++) {
        const p = runFrame(f.slice(0, n), 1, f.length);
        expect(problemsOf(p).some((x) => x.startsWith('truncated')), `${k} ${n}`).toBe(true);
      }
    }
  });
});
