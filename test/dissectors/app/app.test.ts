// TCP, UDP, DNS and HTTP dissectors: frames from ../shared/corpus (hex below), values checked
// against tshark 4.0 (`tshark -n -r FILE -T fields -e KEY`, PDML pos/size for byte ranges).
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../dissectors/index.js';
import { dns } from '../../../dissectors/dns.js';
import { http } from '../../../dissectors/http.js';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { Layer } from '../../../src/dissect/layer.js';
import type { DissectContext } from '../../../src/dissect/types.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function run(data: Uint8Array, origLen = data.length): Packet {
  return new Dissection(defaultRegistry()).dissect({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data, origLen });
}
/** key → list of [show, start, len] in tree order. */
function fieldsOf(p: Packet): Map<string, [string, number, number][]> {
  const m = new Map<string, [string, number, number][]>();
  walkFields(p.layers, (f) => {
    if (!f.key) return;
    if (!m.has(f.key)) m.set(f.key, []);
    m.get(f.key)!.push([f.show, f.start, f.len]);
  });
  return m;
}
function show(p: Packet, key: string): string {
  return (fieldsOf(p).get(key) ?? []).map((x) => x[0]).join(',');
}
function info(p: Packet): string | null {
  let s: string | null = null;
  for (const l of p.layers) {
    const t = l.dis.info?.(l, p.layers);
    if (t != null) s = t;
  }
  return s;
}
const layer = (p: Packet, proto: string) => p.layers.find((l) => l.proto === proto);

// tcp-options-syn-mss-sack-ts-ws-eol.pcap frame 1
const SYN = hex('0010db88d2efc8bcc896d2a0080045000040df8e400040066dd38d8ee405c096bb2be9d00050fe21323a00000000b002ffff3bc00000020405b4010303040101080a164add200000000004020000');
// dns-udp-a-aaaa-edns.pcap frame 2
const DNSR = hex('0011223344550011223344660800450000fc002d00008011ada6d157f912c0a8010b0035abbe00e8c454593485000001000200020005037777770774637064756d70036f72670000010001c00c000100010000003c0004c08b2e42c00c000100010000003c0004c6c75868c0100002000100015180001203736e7308636f6f7065726978036e657400c01000020001000151800012036e69630973616e64656c6d616e02636100c06b000100010000012c0004d157f912c06b001c00010000012c00102607f0b0000f000000000000babef00dc04d0001000100001c200004616b850fc04d001c000100001c20001026003c0300000000f03c91fffe96e8ef0000291000000000000000');
// http-get-simple.pcap frame 4
const GET = hex('0010db88d2efc8bcc896d2a00800450000bc4a9a40004006024c8d8ee405c096bb2be9d00050fe21323ba5afce3f8018202b048000000101080a164add662f894259474554202f646f776e6c6f61642f4348414e4745532e62726f2d6175782e74787420485454502f312e310d0a557365722d4167656e743a20576765742f312e3134202864617277696e31322e322e30290d0a4163636570743a202a2f2a0d0a486f73743a2062726f2e6f72670d0a436f6e6e656374696f6e3a204b6565702d416c6976650d0a0d0a');
// malformed-tcp-bad-data-offset.pcap frame 1 (data offset 28 > 20-byte segment)
const BADOFF = hex('00005e0001026c277936301c0800450000280958400080063f3aac132a4a57f083f0c20761b65744505b4da490b970100891bbe7e00a000000000000');
// malformed-dns-compression-loop-zlip.pcap (UDP length 8)
const ZLIP = hex('006094eb552f00c04f6b9fe008004500003f3b890000401186780a00000192541c5804000035000882b7ed6900000001000000000000c00cc007c010c017c020c027c030c0ffcf000000010001');
// tcp-bad-checksum-ipv4.pcap; udp-bad-checksum-ipv6.pcap
const TCPBAD = hex('ffffffffffff0000000000000800450000280001000040067ccd7f0000017f0000017530005000000000000000005002200000010000');
const UDPBAD6 = hex('ffffffffffff00000000000086dd60000000000c1140200104f80004000702e081fffe52ffff200104f80004000702e081fffe529a6b753032c8000c000158585858');

describe('tcp', () => {
  it('decodes a SYN with options like tshark', () => {
    const p = run(SYN);
    const f = fieldsOf(p);
    expect(f.get('tcp.srcport')).toEqual([['59856', 34, 2]]);
    expect(f.get('tcp.seq_raw')).toEqual([['4263588410', 38, 4]]);
    expect(f.get('tcp.hdr_len')).toEqual([['44', 46, 1]]);
    expect(f.get('tcp.flags')).toEqual([['0x0002', 46, 2]]);
    expect(show(p, 'tcp.flags.str')).toBe('··········S·');
    expect(show(p, 'tcp.flags.ae')).toBe('0');
    expect(f.get('tcp.window_size_value')).toEqual([['65535', 48, 2]]);
    expect(show(p, 'tcp.checksum')).toBe('0x3bc0');
    expect(show(p, 'tcp.option_kind')).toBe('2,1,3,1,1,8,4,0,0');
    expect(show(p, 'tcp.options')).toBe('020405b4010303040101080a164add200000000004020000');
    expect(f.get('tcp.options.mss_val')).toEqual([['1460', 56, 2]]);
    expect(show(p, 'tcp.options.wscale.multiplier')).toBe('16');
    expect(f.get('tcp.options.timestamp.tsval')).toEqual([['374005024', 66, 4]]);
    expect(show(p, 'tcp.options.sack_perm')).toBe('0402');
    expect(show(p, 'tcp.len')).toBe('0');
    // no tracker: raw sequence numbers in Info
    expect(info(p)).toBe('59856 → 80 [SYN] Seq=4263588410 Win=65535 Len=0 MSS=1460 WS=16 TSval=374005024 TSecr=0 SACK_PERM');
    const d = layer(p, 'tcp')!.d;
    expect(d.options).toMatchObject({ mss: 1460, wscale: 4, sackPerm: true, tsval: 374005024, tsecr: 0 });
    expect(d.ok).toBe(true);
    expect(d.csStatus).toBe(1); // verified: the checksum is right
    expect(show(p, 'tcp.checksum.status')).toBe('1');
  });

  it('reads relative numbers and prefixes from the tracker annotation', () => {
    const p = run(SYN);
    const t = layer(p, 'tcp')!;
    t.ann = { stream: 0, seq: 0, ack: 0, nxtseq: 1, window: 65535, infoPrefix: ['TCP Retransmission'] };
    expect(info(p)).toBe('[TCP Retransmission] 59856 → 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 WS=16 TSval=374005024 TSecr=0 SACK_PERM');
  });

  it('flags a data offset beyond the segment as malformed, Info without Len like tshark', () => {
    const p = run(BADOFF);
    const t = layer(p, 'tcp')!;
    expect(t.problems?.[0].kind).toBe('malformed');
    expect(info(p)).toBe('49671 → 25014 [ACK] Seq=1464094811 Ack=1302630585 Win=2193');
    expect(show(p, 'tcp.hdr_len')).toBe('28');
  });

  it('reports a bad checksum with the value it should have', () => {
    const p = run(TCPBAD);
    const t = layer(p, 'tcp')!;
    expect(t.problems?.map((x) => x.kind)).toEqual(['checksum']);
    expect(show(p, 'tcp.checksum.status')).toBe('0');
    expect(show(p, 'tcp.checksum_calculated')).toBe('0x1c60'); // tshark -o tcp.check_checksum:TRUE
  });

  it('leaves a snaplen-cut segment unverified', () => {
    const p = run(GET.subarray(0, 100), GET.length);
    expect(show(p, 'tcp.checksum.status')).toBe('2');
    expect(show(p, 'tcp.len')).toBe('136');
  });

  it('lying option length → malformed', () => {
    const b = SYN.slice();
    b[55] = 40; // MSS option length 40: past the options
    const t = layer(run(b), 'tcp')!;
    expect(t.problems?.some((x) => x.kind === 'malformed')).toBe(true);
    expect(() => t.fields()).not.toThrow();
  });
});

describe('udp', () => {
  it('UDP length below the IP payload ends the payload there (zlip)', () => {
    const p = run(ZLIP);
    expect(show(p, 'udp.length')).toBe('8');
    expect(info(p)).toBe('1024 → 53 Len=0');
    expect(layer(p, 'dns')).toBeUndefined();
  });
  it('bad checksum over IPv6', () => {
    const p = run(UDPBAD6);
    expect(show(p, 'udp.checksum')).toBe('0x0001');
    expect(show(p, 'udp.checksum.status')).toBe('0');
    expect(show(p, 'udp.checksum_calculated')).toBe('0xbc54');
    expect(info(p)).toBe('30000 → 13000 Len=4');
  });
  it('length bigger than the IP payload → malformed', () => {
    const b = DNSR.slice();
    b[38] = 0x10; // udp.length 0x10e8
    const u = layer(run(b), 'udp')!;
    expect(u.problems?.[0].kind).toBe('malformed');
  });
});

describe('dns', () => {
  it('decodes a response like tshark', () => {
    const p = run(DNSR);
    const f = fieldsOf(p);
    expect(f.get('dns.id')).toEqual([['0x5934', 42, 2]]);
    expect(show(p, 'dns.flags')).toBe('0x8500');
    expect(show(p, 'dns.count.add_rr')).toBe('5');
    expect(f.get('dns.qry.name')).toEqual([['www.tcpdump.org', 54, 17]]);
    expect(show(p, 'dns.qry.type')).toBe('1');
    expect(show(p, 'dns.qry.class')).toBe('0x0001');
    expect(f.get('dns.resp.name')![0]).toEqual(['www.tcpdump.org', 75, 2]);
    expect(show(p, 'dns.resp.type')).toBe('1,1,2,2,1,28,1,28,41');
    expect(show(p, 'dns.a')).toBe('192.139.46.66,198.199.88.104,209.87.249.18,97.107.133.15');
    expect(show(p, 'dns.aaaa')).toBe('2607:f0b0:f::babe:f00d,2600:3c03::f03c:91ff:fe96:e8ef');
    expect(f.get('dns.ns')).toEqual([['sns.cooperix.net', 119, 18], ['nic.sandelman.ca', 149, 18]]);
    expect(show(p, 'dns.rr.udp_payload_size')).toBe('4096');
    expect(show(p, 'dns.resp.name').split(',').pop()).toBe('<Root>');
    expect(info(p)).toBe('Standard query response 0x5934 A www.tcpdump.org A 192.139.46.66 A 198.199.88.104 NS sns.cooperix.net NS nic.sandelman.ca A 209.87.249.18 AAAA 2607:f0b0:f::babe:f00d A 97.107.133.15 AAAA 2600:3c03::f03c:91ff:fe96:e8ef OPT');
    expect(layer(p, 'dns')!.problems).toBeNull();
  });

  it('every prefix of the message: no exception, short → problem', () => {
    const p = run(DNSR);
    const l = layer(p, 'dns')!;
    const ctx = { layers: [], snapCut: () => false } as unknown as DissectContext;
    for (let n = l.start; n < l.end; n++) {
      const x = dns.dissect(DNSR, l.start, n, ctx);
      expect(() => { dns.fields(x); dns.info!(x, [x]); }).not.toThrow();
      expect(x.problems).not.toBeNull();
    }
  });

  it('a compression loop is bounded and malformed', () => {
    // header + question name that points at itself
    const m = hex('1234010000010000000000000c00c00c00010001');
    const ctx = { layers: [], snapCut: () => false } as unknown as DissectContext;
    const l = dns.dissect(m, 0, m.length, ctx);
    expect(l.problems?.[0].kind).toBe('malformed');
  });

  it('counts far above the records present → malformed', () => {
    const m = hex('0a0402b863b80001000000009c50');
    const ctx = { layers: [], snapCut: () => false } as unknown as DissectContext;
    const l = dns.dissect(m, 0, m.length, ctx);
    expect(l.problems?.some((x) => x.kind === 'malformed')).toBe(true);
  });

  it('fuzz: 2000 seeded mutations never throw', () => {
    const l0 = layer(run(DNSR), 'dns')!;
    const base = DNSR.subarray(l0.start, l0.end);
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const ctx = { layers: [], snapCut: () => false } as unknown as DissectContext;
    for (let i = 0; i < 2000; i++) {
      const m = base.slice(0, 1 + Math.floor(rnd() * base.length));
      const n = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      const l = dns.dissect(m, 0, m.length, ctx) as Layer;
      expect(() => { dns.fields(l); dns.info!(l, [l]); }).not.toThrow();
    }
  });
});

describe('http', () => {
  it('decodes a GET like tshark', () => {
    const p = run(GET);
    const f = fieldsOf(p);
    expect(f.get('http.request.method')).toEqual([['GET', 66, 3]]);
    expect(f.get('http.request.uri')).toEqual([['/download/CHANGES.bro-aux.txt', 70, 29]]);
    expect(f.get('http.request.version')).toEqual([['HTTP/1.1', 100, 8]]);
    expect(f.get('http.user_agent')).toEqual([['Wget/1.14 (darwin12.2.0)', 110, 38]]);
    expect(f.get('http.host')).toEqual([['bro.org', 161, 15]]);
    expect(show(p, 'http.connection')).toBe('Keep-Alive');
    expect(show(p, 'http.request.line')).toBe('User-Agent: Wget/1.14 (darwin12.2.0)\\r\\n,Accept: */*\\r\\n,Host: bro.org\\r\\n,Connection: Keep-Alive\\r\\n');
    expect(show(p, 'http.request.full_uri')).toBe('http://bro.org/download/CHANGES.bro-aux.txt');
    expect(info(p)).toBe('GET /download/CHANGES.bro-aux.txt HTTP/1.1 ');
    expect(p.layers.at(-1)!.dis.column!(p.layers.at(-1)!)).toBe('HTTP');
  });

  it('a 1 MB header line and an absurd Content-Length stay bounded', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\nX: ' + 'a'.repeat(1 << 20) + '\r\n\r\n';
    const b = new TextEncoder().encode(head);
    const ctx = { layers: [], snapCut: () => false } as unknown as DissectContext;
    const l = http.dissect(b, 0, b.length, ctx);
    expect(() => http.fields(l)).not.toThrow();
    expect(http.info!(l, [l])).toBe('HTTP/1.1 200 OK ');
    expect(l.problems?.[0].kind).toBe('unsupported');
  });
});

