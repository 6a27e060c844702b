// A TCP header quoted in an ICMP error (8 bytes, RFC 792) and the AccECN option flag.
import { describe, expect, it } from 'vitest';
import type { TcpD } from '../../../src/dissect/decoded.js';
import { cell, hex, infoOf, problemsOf, runFrame } from '../../helpers/packets.js';
import { dissectFile } from '../net/corpus.js';

describe('TCP header quoted in an ICMP error', () => {
  it('icmp-many-types frame 13: ports and seq, no problem (tshark: Sequence Number 585665, not malformed)', () => {
    const p = dissectFile('icmp-many-types.pcapng')[12];
    expect(infoOf(p)).toBe('Source quench (flow control)');
    expect(cell(p, 'tcp.srcport')).toBe('0');
    expect(cell(p, 'tcp.seq')).toBe('585665');
    expect(cell(p, 'tcp.seq_raw')).toBe(''); // tshark has no raw seq for a quoted header
    expect(problemsOf(p).filter((s) => s.startsWith('malformed') || s.startsWith('truncated'))).toEqual([]);
  });

  it('a real segment shorter than 20 bytes is still short', () => {
    // raw IPv4 (link type 228), total length 32, 12 bytes of "TCP"
    const p = runFrame(hex('45000020000100004006f9d40a0000010a000002 1f900050 00000001 00000000'), 228);
    expect(problemsOf(p).some((s) => s.startsWith('malformed: TCP header'))).toBe(true);
    expect(cell(p, 'tcp.seq')).toBe('');
  });
});

describe('AccECN option', () => {
  const seg = (opt: string) =>
    runFrame(hex('45000030000100004006f9c40a0000010a000002' + '1f900050000000010000000070101000' + '00000000' + opt), 228);
  const opts = (p: ReturnType<typeof runFrame>) => (p.layers.find((l) => l.proto === 'tcp')!.d as TcpD).options;
  it('kind 172 and 174 set options.accEcn', () => {
    // option of length 5 + three NOPs = 8 option bytes (data offset 7)
    expect(opts(seg('ac05000000010101')).accEcn).toBe(true);
    expect(opts(seg('ae05000000010101')).accEcn).toBe(true);
    expect(opts(seg('0101010101010101')).accEcn).toBeUndefined();
  });
  it('experimental 254 with ExID 0xACC0 sets it, other ExIDs do not', () => {
    expect(opts(seg('fe06acc000000101')).accEcn).toBe(true);
    expect(opts(seg('fe06123400000101')).accEcn).toBeUndefined();
  });
});

describe('a packet quoted in an ICMP error is cut by the quote, not malformed', () => {
  it('icmp-dest-unreach-udp-dns: UDP length and DNS records run past the 128 quoted bytes; tshark shows no suffix', async () => {
    const { rowParts } = await import('../../../src/output/table.js');
    const p = dissectFile('icmp-dest-unreach-udp-dns.pcap')[0];
    expect(rowParts(p.layers).info).toBe('Destination unreachable (Port unreachable)');
    expect(problemsOf(p).filter((s) => s.startsWith('malformed'))).toEqual([]);
    expect(cell(p, 'dns.id')).not.toBe('');
  });
});
