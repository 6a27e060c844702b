// Network layer: IPv4, IPv6, ICMP, reassembly. Expected values read off tshark 4.0 on the corpus
// (tshark -n -r FILE -T fields -e KEY; ip.checksum.status with -o ip.check_checksum:TRUE).
import { describe, expect, it } from 'vitest';
import { finish, onesSum, pseudoSum } from '../../../src/dissect/checksum.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { Reassembler } from '../../../src/dissect/reassembly.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { rowParts } from '../../../src/output/table.js';
import { dissectFile, fieldShow, findField, info, readFrames } from './corpus.js';

const ipOf = (p: { layers: { proto: string }[] }) => p.layers.find((l) => l.proto === 'ip') as any;

describe('ipv4', () => {
  it('decodes the fixed header like tshark', () => {
    const [p] = dissectFile('icmp-echo-request-reply.pcapng');
    const want: Record<string, string> = {
      'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '60', 'ip.id': '0xfefd',
      'ip.flags': '0x00', 'ip.frag_offset': '0', 'ip.ttl': '128', 'ip.proto': '1', 'ip.checksum': '0xf1e6',
      'ip.checksum.status': '1', 'ip.src': '192.168.100.138', 'ip.dst': '192.168.100.1',
      'ip.addr': '192.168.100.138,192.168.100.1',
    };
    for (const [k, v] of Object.entries(want)) expect(fieldShow(p, k), k).toBe(v);
    const id = findField(p, 'ip.id')!;
    expect([id.start, id.len]).toEqual([18, 2]);
    const src = findField(p, 'ip.src')!;
    expect([src.start, src.len]).toEqual([26, 4]);
    const l = ipOf(p);
    expect(l.d.srcAt).toBe(26);
    expect(l.d.dstAt).toBe(30);
  });

  it('options: RR, TS, LSRR/SSRR (ip.dst from the route), RA, CIPSO', () => {
    const ps = dissectFile('ipv4-options-rr-ts-lsrr-ssrr-ra-cipso.pcap');
    expect(fieldShow(ps[0], 'ip.opt.type')).toBe('134,0');
    expect(fieldShow(ps[0], 'ip.cipso.categories')).toBe('0,2,4,5,6,239');
    expect(fieldShow(ps[1], 'ip.opt.time_stamp')).toBe('82524601,0,0,0,0,0,0,0,0');
    expect(fieldShow(ps[2], 'ip.opt.ra')).toBe('0');
    expect(fieldShow(ps[3], 'ip.rec_rt')).toBe('1.2.3.4,10.0.0.138,10.0.0.138');
    expect(fieldShow(ps[4], 'ip.opt.time_stamp_addr')).toBe('10.0.0.6,10.0.0.138,10.0.0.138,0.0.0.0');
    expect(fieldShow(ps[5], 'ip.dst')).toBe('0.0.0.0');
    expect(fieldShow(ps[5], 'ip.cur_rt')).toBe('10.0.0.138');
    for (const p of ps) expect(ipOf(p).problems).toBeNull();
  });

  it('bogus header length, lying total length, snaplen cut', () => {
    const [a] = dissectFile('malformed-ipv4-header-length-16.pcap');
    expect(ipOf(a).problems[0].kind).toBe('malformed');
    expect(info(a)).toBe('Bogus IP header length (16, must be at least 20)');
    const [b] = dissectFile('malformed-ipv4-total-length-gt-frame.pcap');
    expect(ipOf(b).problems.map((x: any) => x.message)).toContain('IPv4 total length exceeds packet length (84 bytes)');
    const [c] = dissectFile('malformed-ipv4-truncated-header.pcap');
    expect(ipOf(c).problems[0].kind).toBe('truncated');
    expect(fieldShow(c, 'ip.id')).toBe('0x0001');
  });

  it('every prefix of a good frame: no exception, truncated or malformed', () => {
    const [f] = readFrames('ipv4-options-rr-ts-lsrr-ssrr-ra-cipso.pcap').slice(3, 4);
    const dis = new Dissection(defaultRegistry());
    for (let n = 15; n < f.data.length; n++) {
      const p = dis.dissect({ ...f, data: f.data.slice(0, n), origLen: f.data.length });
      const kinds = p.layers.flatMap((l) => (l.problems ?? []).map((x) => x.kind));
      expect(kinds.length, `prefix ${n}`).toBeGreaterThan(0);
      for (const l of p.layers) l.fields();
      if (n < 14 + 60) expect(ipOf(p).problems.some((x: any) => x.kind === 'truncated')).toBe(true);
    }
  });

  it('bad header checksum is reported', () => {
    const [f] = readFrames('icmp-echo-request-reply.pcapng');
    const data = f.data.slice();
    data[24] ^= 0xff;
    const p = new Dissection(defaultRegistry()).dissect({ ...f, data });
    expect(fieldShow(p, 'ip.checksum.status')).toBe('0');
    expect(ipOf(p).problems[0].kind).toBe('checksum');
  });
});

describe('ipv4 reassembly', () => {
  it('out of order first fragment completes in the last frame (vlan file order 8,1..7 via eth only)', () => {
    const ps = dissectFile('ipv4-frag-icmp-echo.pcapng');
    expect(info(ps[0])).toBe('Fragmented IP protocol (proto=ICMP 1, off=0, ID=7474)');
    expect(fieldShow(ps[2], 'ip.fragment')).toBe('1,2,3');
    expect(fieldShow(ps[2], 'ip.reassembled.length')).toBe('3508');
    expect(info(ps[2])).toBe('Echo (ping) request  id=0x0001, seq=57/14592, ttl=128');
    expect(ps[2].layers.at(-2)!.bufName).toBe('Reassembled IPv4');
  });
  it('duplicate first fragment never completes; overlap conflict flagged (first wins)', () => {
    const ps = dissectFile('ipv4-frag-duplicate-first.pcap');
    expect(ps.map(info)).toEqual(Array(3).fill(0).map((_, i) => `Fragmented IP protocol (proto=UDP 17, off=${i === 1 ? 48 : 0}, ID=00f2)`));
    const q = dissectFile('ipv4-frag-udp-ntp.pcap');
    expect(fieldShow(q[2], 'ip.reassembled.length')).toBe('164');
    expect(fieldShow(q[2], 'ip.fragment.overlap')).toBe('1,1');
    const data = findField(q[2], 'ip.reassembled.data')!.value as Uint8Array;
    expect(data[2]).toBe(0x00); // frame 1's bytes at 0-17 won over frame 3's
    expect(data[48]).toBe(0x58); // frame 3's bytes won over frame 2's at 48
  });
  it('memory cap evicts the oldest and says so; same frame twice is idempotent', () => {
    const r = new Reassembler({ maxTotal: 100, maxPerDatagram: 80, maxDatagrams: 2, timeoutNs: 1000n });
    r.add('a', 0n, 1, 0, new Uint8Array(60), true);
    expect(r.add('a', 0n, 1, 0, new Uint8Array(60), true).problems).toBeNull();
    expect(r.heldBytes).toBe(60);
    const res = r.add('b', 1n, 2, 0, new Uint8Array(60), true);
    expect(res.problems![0]).toMatch(/memory cap/);
    expect(r.datagrams).toBe(1);
    expect(r.add('b', 2n, 3, 60, new Uint8Array(30), true).problems![0]).toMatch(/exceeds 80/);
    r.add('c', 3n, 4, 0, new Uint8Array(8), true);
    const t = r.add('d', 5000n, 5, 0, new Uint8Array(8), true);
    expect(t.problems!.join()).toMatch(/timed out/);
    const x = new Reassembler();
    x.add('k', 0n, 1, 16, Uint8Array.of(3, 3, 3, 3, 3, 3, 3, 3), false);
    const done = x.add('k', 0n, 2, 0, new Uint8Array(16).fill(1), true).done!;
    expect(Array.from(done.buf)).toEqual([...Array(16).fill(1), 3, 3, 3, 3, 3, 3, 3, 3]);
    expect(done.frags.map((f) => f.frame)).toEqual([2, 1]);
  });
});

describe('ipv6', () => {
  it('extension headers, SRH, jumbogram, fragments', () => {
    const [a] = dissectFile('ipv6-srh-segment-routing-icmpv6.pcap');
    expect(fieldShow(a, 'ipv6.routing.srh.addr')).toBe('a:b:c:3::d6,a:b:c:2::f1:0');
    expect(fieldShow(a, 'ipv6.flow')).toBe('0x0889ad,0x0889ad'); // IPv6 in IPv6 behind the SRH
    // a type 0 routing header: tshark's Destination column shows its last address (the final one), the
    // tree's ipv6.dst the header's
    const rh = dissectFile('ipv6-routing-header-types.pcap');
    expect(rh.map((p) => rowParts(p.layers).destination)).toEqual(['2200::210:2:0:0:4', '2200::240:2:0:0:4', '2200::210:2:0:0:4', '2200::240:2:0:0:4']);
    expect(fieldShow(rh[1], 'ipv6.dst')).toBe('2200::211:2:0:0:2');
    // headers cut short: tshark clears the column first (IPv4: nothing but the suffix); a cut hop-by-hop
    // header leaves the name its dissector had set
    expect(rowParts(dissectFile('malformed-ipv6-ext-header-truncated.pcap')[0].layers).info).toBe('IPv6 hop-by-hop options[Malformed Packet]');
    expect(rowParts(dissectFile('malformed-ipv4-truncated-header.pcap')[0].layers).info).toBe('[Packet size limited during capture]');
    const [j] = dissectFile('ipv6-jumbogram-hbh.pcap');
    expect(fieldShow(j, 'ipv6.opt.jumbo')).toBe('65536');
    expect(fieldShow(j, 'ipv6.opt.type')).toBe('0xc2');
    const f = dissectFile('ipv6-frag-dns-udp.pcap');
    expect(info(f[3])).toBe('IPv6 fragment (off=2896 more=n ident=0x00000001 nxt=17)');
    expect(fieldShow(f[7], 'ipv6.fragment')).toBe('6,7,8');
    expect(fieldShow(f[7], 'ipv6.reassembled.length')).toBe('3238');
    const [t] = dissectFile('malformed-ipv6-ext-header-truncated.pcap');
    expect(t.layers.find((l) => l.proto === 'ipv6')!.problems!.some((x) => x.kind === 'malformed')).toBe(true);
  });
});

describe('icmp', () => {
  it('errors quote the inner packet; info like tshark', () => {
    const [p] = dissectFile('icmp-dest-unreach-udp-dns.pcap');
    expect(info(p)).toBe('Destination unreachable (Port unreachable)');
    const l = p.layers.find((x) => x.proto === 'icmp')!;
    expect(l.inner![0].proto).toBe('ip');
    expect(fieldShow(p, 'icmp.checksum.status')).toBe('1');
    const ps = dissectFile('icmp-many-types.pcapng');
    expect(info(ps[0])).toBe('Router solicitation ');
    expect(info(ps[14])).toBe('Address mask reply   id=0xb20c, seq=0/0, ttl=64');
    const tr = dissectFile('icmp-traceroute-mpls-ext.pcapng');
    for (const q of tr) for (const x of q.layers) x.fields();
    // frames 26, 28, 30: an RFC 4884 length (93, 94, 95 words) past the 182-byte frame; tshark shows the
    // quoted datagram, then "[Malformed Packet]"; its length field as icmp.length.original_datagram
    expect(fieldShow(tr[25], 'icmp.length.original_datagram')).toBe('372');
    for (const n of [26, 28, 30]) expect(rowParts(tr[n - 1].layers).info).toBe('Time-to-live exceeded (Time to live exceeded in transit)[Malformed Packet]');
    expect(rowParts(tr[24].layers).info).toBe('Echo (ping) request  id=0x0500, seq=17408/68, ttl=5');
  });
});

describe('checksum helpers', () => {
  it('pseudo-header sum verifies a real UDP datagram', () => {
    const [p] = dissectFile('icmp-dest-unreach-udp-dns.pcap');
    const ip = ipOf(p);
    const b = Uint8Array.of(0x45, 0, 0, 0x1c, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2);
    expect(finish(onesSum(b, 0, 20))).toBe(finish(onesSum(b, 0, 20)));
    expect(pseudoSum(ip, 17, 8)).toBeGreaterThan(0);
    expect(finish(0xffff)).toBe(0);
    expect(onesSum(Uint8Array.of(0xff, 0xff, 0, 1), 0, 4)).toBe(1);
  });
});

describe('icmpv6', () => {
  it('echo, ND info and options like tshark; checksum verified over the pseudo-header', () => {
    const [e] = dissectFile('icmpv6-echo.pcap');
    expect(info(e)).toBe('Echo (ping) request id=0x110d, seq=0, hop limit=64');
    expect(fieldShow(e, 'icmpv6.checksum.status')).toBe('1');
    const nd = dissectFile('icmpv6-nd-options.pcap').map(info);
    expect(nd).toContain('Neighbor Solicitation for fe80::c000:54ff:fef5:0');
    expect(nd).toContain('Neighbor Advertisement fe80::c000:54ff:fef5:0 (rtr, ovr) is at c2:00:54:f5:00:00');
    expect(nd).toContain('Router Advertisement from c2:00:54:f5:00:00');
  });
  it('a flipped byte fails the checksum', () => {
    const [f] = readFrames('icmpv6-echo.pcap');
    const data = f.data.slice();
    data[data.length - 1] ^= 1;
    const p = new Dissection(defaultRegistry()).dissect({ ...f, data });
    expect(fieldShow(p, 'icmpv6.checksum.status')).toBe('0');
  });
});
