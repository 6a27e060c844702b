// Link layer: Ethernet (II / 802.3, padding, trailer, FCS), 802.1Q / 802.1ad, LLC/SNAP, SLL v1/v2,
// Null/Loop, raw IP link types, ARP/RARP. Frames are copied from the corpus (file and frame named
// at each one); expected values read off `tshark -n -r FILE -T fields -e KEY` / -V (tshark 4.0).
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import type { Layer } from '../../../src/dissect/layer.js';
import type { Field } from '../../../src/dissect/types.js';
import { defaultRegistry } from '../../../dissectors/index.js';

const reg = defaultRegistry();

function hex(s: string): Uint8Array {
  const h = s.replace(/\s+/g, '');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function frame(data: Uint8Array, linkType: number, origLen = data.length): Frame {
  return { index: 1, ts: 0n, tsPrecision: 6, linkType, ifIndex: 0, data, origLen };
}

function run(data: Uint8Array, linkType: number, origLen?: number): Packet {
  return new Dissection(defaultRegistry()).dissect(frame(data, linkType, origLen));
}

function layer(p: Packet, proto: string): Layer {
  const l = p.layers.find((x) => x.proto === proto);
  if (!l) throw new Error(`no ${proto} layer in ${p.layers.map((x) => x.proto).join(':')}`);
  return l;
}

/** Every field of the packet (depth-first), key → list of fields. */
function all(p: Packet): Map<string, Field[]> {
  const m = new Map<string, Field[]>();
  const visit = (fs: readonly Field[]) => {
    for (const f of fs) {
      if (f.key) m.set(f.key, [...(m.get(f.key) ?? []), f]);
      if (f.children) visit(f.children);
    }
  };
  for (const l of p.layers) visit(l.fields());
  return m;
}

/** Expect fields: key → [show, start, len] (first occurrence) or show only. */
function expectFields(p: Packet, want: Record<string, [string, number, number] | string>): void {
  const m = all(p);
  for (const [k, w] of Object.entries(want)) {
    const f = m.get(k)?.[0];
    expect(f, k).toBeDefined();
    if (typeof w === 'string') expect(f!.show, k).toBe(w);
    else expect([f!.show, f!.start, f!.len], k).toEqual(w);
  }
}

const protos = (p: Packet) => p.layers.map((l) => l.proto).join(':');
const infoOf = (l: Layer, p: Packet) => l.dis.info?.(l, p.layers) ?? null;
const kinds = (p: Packet) => p.layers.flatMap((l) => (l.problems ?? []).map((x) => x.kind));

// eth-arp-request-reply.pcapng frames 1 and 2
const ARP_REQ = hex('ffffffffffff0016ce6e8b24080600010800060400010016ce6e8b24c0a80072000000000000c0a80001');
const ARP_REP = hex('0016ce6e8b240013460b22ba080600010800060400020013460b22bac0a800010016ce6e8b24c0a80072c0a80072');
// eth-rarp-request-reply.pcapng frames 1 and 2
const RARP_REQ = hex('ffffffffffff000c29340bde80350001080006040003000c29340bde00000000000c29340bde00000000');
const RARP_REP = hex('000c29340bde000c29c5f69b80350001080006040004000c29c5f69b0a01010a000c29340bde0a010164');
// vlan-qinq-8021ad-arp.pcap frame 1 (64 bytes: 10 bytes of padding then a 4-byte trailer)
const QINQ = hex(
  'ffffffffffff0020d25afb3f88a800c8810007d1080600010800060400010020d25afb3fac154f61000000000000ac154f64' +
    '0000000000000000000000000000',
);
// sll-arp.pcap frame 1 (62 bytes)
const SLL_ARP = hex(
  '000100010006cc2de0261999000008060001080006040001cc2de0261999c0a81601000000000000c0a816a0' +
    '000000000000000000000000000000000000',
);
// sll2-icmp-icmpv6-arp.pcap frames 5 (ARP) and 6 (RARP)
const SLL2_ARP = hex('080600000000001a000104068e360644acaf000000010800060400018e360644acafc0000201000000000000c0000202');
const SLL2_RARP = hex('803500000000001a000104068e360644acaf000000010800060400038e360644acafc0000201000000000000c0000202');
// malformed-arp-too-long-tha.pcap: 64 of 262144 bytes captured; ARP with hardware size 14
const ARP_HLEN14 = hex(
  '30303030303030303030303088a830300806303008000e040001303030303030303030303030303030303030303030303030' +
    '30303030303030303030303030303030',
).slice(0, 64);

describe('ethernet + arp', () => {
  it('Info of the opcodes beyond request/reply as tshark 4.0.17: reserved, MARS/MAPOS with addresses, experimental', () => {
    // an Ethernet/IPv4 ARP body with each opcode (sender 02:00:00:00:00:01 / 10.0.0.1)
    const body = (op: number) => hex('ffffffffffff' + '020000000001' + '0806' + '0001' + '0800' + '06' + '04' + op.toString(16).padStart(4, '0') + '0200000000010a000001' + '0000000000000a000002' + '00'.repeat(18));
    const want: [number, string, string][] = [
      [0, 'ARP', 'Reserved opcode 0'],
      [11, 'MARS', 'MARS request from 02:00:00:00:00:01 at 10.0.0.1'],
      [15, 'MARS', 'MARS LEAVE from 02:00:00:00:00:01 at 10.0.0.1'],
      [20, 'MARS', 'MARS grouplist request from 02:00:00:00:00:01 at 10.0.0.1'],
      [23, 'MAPOS', 'MAPOS UNARP request from 02:00:00:00:00:01 at 10.0.0.1'],
      [24, 'ARP', 'Experimental 1 ( opcode 24 )'],
      [25, 'ARP', 'Experimental 2 ( opcode 25 )'],
      [99, 'ARP', 'Unknown ARP opcode 0x0063'],
      [65535, 'ARP', 'Reserved opcode 65535'],
    ];
    for (const [op, col, info] of want) {
      const p = run(body(op), 1);
      const l = layer(p, 'arp');
      expect(l.dis.column?.(l), String(op)).toBe(col);
      expect(infoOf(l, p), String(op)).toBe(info);
    }
  });

  it('ARP request: fields, ranges, chain, columns (eth-arp-request-reply.pcapng #1)', () => {
    const p = run(ARP_REQ, 1);
    expect(protos(p)).toBe('frame:eth:arp');
    expectFields(p, {
      'eth.dst': ['ff:ff:ff:ff:ff:ff', 0, 6],
      'eth.src': ['00:16:ce:6e:8b:24', 6, 6],
      'eth.type': ['0x0806', 12, 2],
      'arp.hw.type': ['1', 14, 2],
      'arp.proto.type': ['0x0800', 16, 2],
      'arp.hw.size': ['6', 18, 1],
      'arp.proto.size': ['4', 19, 1],
      'arp.opcode': ['1', 20, 2],
      'arp.src.hw_mac': ['00:16:ce:6e:8b:24', 22, 6],
      'arp.src.proto_ipv4': ['192.168.0.114', 28, 4],
      'arp.dst.hw_mac': ['00:00:00:00:00:00', 32, 6],
      'arp.dst.proto_ipv4': ['192.168.0.1', 38, 4],
    });
    const m = all(p);
    expect(m.has('arp.isgratuitous')).toBe(false);
    expect(m.has('eth.padding') || m.has('eth.trailer')).toBe(false);
    const eth = layer(p, 'eth');
    const arp = layer(p, 'arp');
    expect(eth.next).toEqual({ table: 'ethertype', key: 0x0806, start: 14, end: 42 });
    expect(eth.dis.title!(eth)).toBe('Ethernet II, Src: 00:16:ce:6e:8b:24, Dst: ff:ff:ff:ff:ff:ff');
    expect(eth.dis.addresses!(eth)).toEqual(['00:16:ce:6e:8b:24', 'ff:ff:ff:ff:ff:ff']);
    expect(arp.dis.addresses).toBeUndefined(); // tshark's ARP rows show the Ethernet addresses
    expect(arp.dis.title!(arp)).toBe('Address Resolution Protocol (request)');
    expect(arp.dis.column!(arp)).toBe('ARP');
    expect(infoOf(arp, p)).toBe('Who has 192.168.0.1? Tell 192.168.0.114');
    expect(p.layers.every((l) => l.problems === null)).toBe(true);
  });

  it('ARP reply in a 46-byte frame: the 4 bytes after ARP are eth.trailer (#2)', () => {
    const p = run(ARP_REP, 1);
    const arp = layer(p, 'arp');
    expect([arp.start, arp.end]).toEqual([14, 42]);
    expect(infoOf(arp, p)).toBe('192.168.0.1 is at 00:13:46:0b:22:ba');
    expectFields(p, { 'eth.trailer': ['c0a80072', 42, 4] });
    expect(all(p).has('eth.padding')).toBe(false);
    expect(all(p).has('eth.fcs')).toBe(false);
  });

  it('RARP request and reply texts (eth-rarp-request-reply.pcapng)', () => {
    const q = run(RARP_REQ, 1);
    const a = layer(q, 'arp');
    expect(a.dis.column!(a)).toBe('RARP');
    expect(a.dis.title!(a)).toBe('Address Resolution Protocol (reverse request)');
    expect(infoOf(a, q)).toBe('Who is 00:0c:29:34:0b:de? Tell 00:0c:29:34:0b:de');
    const r = run(RARP_REP, 1);
    const b = layer(r, 'arp');
    expect(infoOf(b, r)).toBe('00:0c:29:34:0b:de is at 10.1.1.100');
    expect(layer(r, 'eth').next!.key).toBe(0x8035);
  });

  it('gratuitous, announcement and probe texts', () => {
    const g = ARP_REQ.slice();
    g.set([192, 168, 0, 1], 28); // spa == tpa, tha all zero → announcement
    let p = run(g, 1);
    expect(infoOf(layer(p, 'arp'), p)).toBe('ARP Announcement for 192.168.0.1');
    expect(all(p).get('arp.isgratuitous')![0].show).toBe('1');
    expect(all(p).get('arp.isannouncement')![0].show).toBe('1');
    expect(layer(p, 'arp').dis.title!(layer(p, 'arp'))).toBe('Address Resolution Protocol (request/gratuitous ARP)');
    g[32] = 0xff; // tha not zero → plain gratuitous request
    p = run(g, 1);
    expect(infoOf(layer(p, 'arp'), p)).toBe('Gratuitous ARP for 192.168.0.1 (Request)');
    const pr = ARP_REQ.slice();
    pr.set([0, 0, 0, 0], 28); // spa 0.0.0.0 → probe
    p = run(pr, 1);
    expect(infoOf(layer(p, 'arp'), p)).toBe('Who has 192.168.0.1? (ARP Probe)');
    const gr = ARP_REP.slice(0, 42);
    gr.set([192, 168, 0, 1], 38);
    p = run(gr, 1);
    expect(infoOf(layer(p, 'arp'), p)).toBe('Gratuitous ARP for 192.168.0.1 (Reply)');
  });

  it('ARP with hardware size 14, snap-cut, behind 802.1ad (malformed-arp-too-long-tha.pcap)', () => {
    const p = run(ARP_HLEN14, 1, 262144);
    expect(protos(p)).toBe('frame:eth:ieee8021ad:arp');
    const arp = layer(p, 'arp');
    expect(infoOf(arp, p)).toBe('Gratuitous ARP for 48.48.48.48 (Request)');
    expect(arp.dis.title!(arp)).toBe('Address Resolution Protocol (request/gratuitous ARP)');
    expectFields(p, {
      'ieee8021ad.priority': '1',
      'ieee8021ad.dei': '1',
      'ieee8021ad.id': ['48', 14, 2],
      'ieee8021ah.etype': ['0x0806', 16, 2],
      'arp.hw.type': '12336',
      'arp.hw.size': '14',
      'arp.isgratuitous': '1',
      'arp.src.hw': ['3030303030303030303030303030', 26, 14],
      'arp.src.proto_ipv4': ['48.48.48.48', 40, 4],
      'arp.dst.hw': ['3030303030303030303030303030', 44, 14],
      'arp.dst.proto_ipv4': ['48.48.48.48', 58, 4],
      'ieee8021ah.trailer': ['3030', 62, 2],
    });
    expect(all(p).has('arp.src.hw_mac')).toBe(false);
    expect(all(p).has('eth.fcs')).toBe(false);
  });

  it('802.1ad + 802.1Q + ARP: padding of zeros then vlan.trailer (vlan-qinq-8021ad-arp.pcap #1)', () => {
    const p = run(QINQ, 1);
    expect(protos(p)).toBe('frame:eth:ieee8021ad:vlan:arp');
    expectFields(p, {
      'eth.type': '0x88a8',
      'ieee8021ad.id': '200',
      'ieee8021ah.etype': '0x8100',
      'vlan.priority': ['0', 18, 2],
      'vlan.dei': ['0', 18, 2],
      'vlan.id': ['2001', 18, 2],
      'vlan.etype': ['0x0806', 20, 2],
      'eth.padding': ['00000000000000000000', 50, 10],
      'vlan.trailer': ['00000000', 60, 4],
    });
    const ad = layer(p, 'ieee8021ad');
    const vl = layer(p, 'vlan');
    expect(ad.dis.title!(ad)).toBe('IEEE 802.1ad, ID: 200');
    expect(vl.dis.title!(vl)).toBe('802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 2001');
    expect(vl.next).toEqual({ table: 'ethertype', key: 0x0806, start: 22, end: 64 });
    expect(infoOf(layer(p, 'arp'), p)).toBe('Who has 172.21.79.100? Tell 172.21.79.97');
    // padding belongs to the innermost tag only (like tshark)
    expect(all(p).get('eth.padding')!.length).toBe(1);
  });

  it('VLAN PCP/DEI bits (vlan-pcp-dei-tcp.pcapng values) and info for an unknown inner type', () => {
    const f = hex('ffffffffffff0011223344558100a00a1234deadbeef');
    const p = run(f, 1);
    expectFields(p, { 'vlan.priority': '5', 'vlan.dei': '0', 'vlan.id': '10', 'vlan.etype': '0x1234' });
    const vl = layer(p, 'vlan');
    expect(infoOf(vl, p)).toBe('PRI: 5  DEI: 0  ID: 10');
    expect(all(p).get('vlan.priority')![0].text).toBe('Priority: Voice, < 10ms latency and jitter (5)');
    expect(protos(p)).toBe('frame:eth:vlan:data');
    expect(vl.dis.column!(vl)).toBe('0x1234'); // tshark: unknown ethertype in hex
    expect(layer(p, 'eth').dis.column!(layer(p, 'eth'))).toBe('Ethernet');
    const ad = run(hex('ffffffffffff00112233445588a8a00a1234deadbeef'), 1);
    const adl = layer(ad, 'ieee8021ad');
    expect(infoOf(adl, ad)).toBe('PRI: 5  DROP: 0 ID: 10');
    expect(adl.dis.column!(adl)).toBe('0x1234');
    const un = run(hex('ffffffffffff0011223344551234deadbeef'), 1);
    expect(infoOf(layer(un, 'eth'), un)).toBe('Ethernet II');
    expect(layer(un, 'eth').dis.column!(layer(un, 'eth'))).toBe('0x1234');
    const d = hex('ffffffffffff0011223344558100b0141234');
    expectFields(run(d, 1), { 'vlan.priority': '5', 'vlan.dei': '1', 'vlan.id': '20' });
  });

  it('FCS heuristic: >= 64-byte frame with >= 4 trailer bytes ends with eth.fcs', () => {
    // ARP request padded with 18 zero bytes to 60, then a 4-byte FCS (icmp-many-types.pcapng #1 layout)
    const f = new Uint8Array(64);
    f.set(ARP_REQ);
    f.set([0x54, 0xae, 0x33, 0xe8], 60);
    const p = run(f, 1);
    expectFields(p, { 'eth.padding': ['000000000000000000000000000000000000', 42, 18], 'eth.fcs': ['0x54ae33e8', 60, 4] });
    expect(all(p).has('eth.trailer')).toBe(false);
    // non-zero bytes where padding would be: all of it is trailer (eth-trailer-padding-mixed.pcap #3)
    const t = new Uint8Array(60);
    t.set(ARP_REQ);
    t.set(hex('742066726f6d2062726964676500203d3d20'), 42);
    const q = run(t, 1);
    expectFields(q, { 'eth.trailer': ['742066726f6d2062726964676500203d3d20', 42, 18] });
    expect(all(q).has('eth.padding')).toBe(false);
  });

  it('IEEE 802.3 length frame → LLC, padding after the length (mixed-wireshark-samples-nrb.pcapng #1134)', () => {
    const f = new Uint8Array(60);
    f.set(hex('ffffffffffff1816c9e0a6330006' + '0001af810100'));
    const p = run(f, 1);
    // the XID's information field (0x81 0x01 0x00) goes to the basic-format XID (dissectors/basicxid.ts)
    expect(protos(p)).toBe('frame:eth:llc:basicxid');
    const eth = layer(p, 'eth');
    expect(eth.dis.title!(eth)).toBe('IEEE 802.3 Ethernet ');
    expect(eth.next).toEqual({ table: 'llc', key: 0, start: 14, end: 20 });
    expectFields(p, {
      'eth.len': ['6', 12, 2],
      'eth.padding': ['0'.repeat(80), 20, 40],
      'llc.dsap': ['0x00', 14, 1],
      'llc.ssap': ['0x01', 15, 1],
      'llc.ssap.cr': '1',
      'llc.control': ['0x00af', 16, 1],
      'llc.control.u_modifier_resp': '0x2b',
      'llc.control.ftype': '0x03',
      'basicxid.llc.xid.format': ['0x81', 17, 1],
      'basicxid.llc.xid.types': ['0x01', 18, 1],
      'basicxid.llc.xid.wsize': ['0', 19, 1],
    });
    expect(all(p).has('eth.type')).toBe(false);
  });

  it('802.3 length that lies → malformed; invalid length/type 1501..1535 → malformed', () => {
    const p = run(hex('ffffffffffff0011223344550040' + 'aaaa03'), 1);
    expect(kinds(p)).toContain('malformed');
    expect(layer(p, 'eth').next!.end).toBe(17);
    const q = run(hex('ffffffffffff00112233445505e0deadbeef'), 1);
    expect(kinds(q)).toEqual(['malformed']);
    expect(all(q).get('eth.invalid_lentype')![0].show).toBe('0x05e0');
    expect(infoOf(layer(q, 'eth'), q)).toBe('Ethernet Unknown: Invalid length/type: 0x05e0 (1504)');
    expect(layer(q, 'eth').dis.title!(layer(q, 'eth'))).toBe('Ethernet Unknown, Src: 00:11:22:33:44:55, Dst: ff:ff:ff:ff:ff:ff');
    expect(protos(q)).toBe('frame:eth:data');
  });
});

describe('llc', () => {
  it('SNAP with OUI 0 → ethertype table, llc.type', () => {
    const p = run(hex('ffffffffffff0011223344550009aaaa030000000800' + '45'), 1);
    const l = layer(p, 'llc');
    expect(l.next).toEqual({ table: 'ethertype', key: 0x0800, start: 22, end: 23 });
    expectFields(p, { 'llc.oui': ['0', 17, 3], 'llc.type': ['0x0800', 20, 2] });
  });
  it('SNAP with another OUI, texts as tshark', () => {
    const p = run(hex('ffffffffffff0011223344550008aaaa0312345699990000'), 1);
    const l = layer(p, 'llc');
    expectFields(p, { 'llc.oui': '1193046', 'llc.pid': '0x9999' });
    expect(infoOf(l, p)).toBe('U, func=UI; SNAP, OUI 0x123456 (Unknown), PID 0x9999');
    expect(l.next!.table).toBe('llc.snap');
  });
  it('I and S frames: 2-byte little-endian control', () => {
    const i = run(hex('ffffffffffff0011223344550005f0f00a1234'), 1);
    expectFields(i, { 'llc.control': '0x120a', 'llc.control.n_r': '9', 'llc.control.n_s': '5', 'llc.control.ftype': '0x0000' });
    expect(infoOf(layer(i, 'llc'), i)).toBe('I, N(R)=9, N(S)=5; DSAP NetBIOS Individual, SSAP NetBIOS Command');
    const s = run(hex('ffffffffffff0011223344550005424301 1234'), 1);
    expectFields(s, { 'llc.control': '0x1201', 'llc.control.s_ftype': '0x0000', 'llc.control.ftype': '0x0001' });
    expect(infoOf(layer(s, 'llc'), s)).toBe(
      'S, func=RR, N(R)=9; DSAP Spanning Tree BPDU Individual, SSAP Spanning Tree BPDU Response',
    );
    const u = run(hex('ffffffffffff00112233445500051e1f031234'), 1);
    expect(infoOf(layer(u, 'llc'), u)).toBe('U, func=UI; DSAP 0x1e Individual, SSAP 0x1e Response');
  });
});

describe('sll / sll2', () => {
  it('SLL v1 ARP with padding and sll.trailer (sll-arp.pcap #1)', () => {
    const p = run(SLL_ARP, 113);
    expect(protos(p)).toBe('frame:sll:arp');
    expectFields(p, {
      'sll.pkttype': ['1', 0, 2],
      'sll.hatype': ['1', 2, 2],
      'sll.halen': ['6', 4, 2],
      'sll.src.eth': ['cc:2d:e0:26:19:99', 6, 6],
      'sll.unused': ['0000', 12, 2],
      'sll.etype': ['0x0806', 14, 2],
      'eth.padding': ['00000000000000000000000000000000', 44, 16],
      'sll.trailer': ['0000', 60, 2],
    });
    const s = layer(p, 'sll');
    expect(s.dis.title!(s)).toBe('Linux cooked capture v1');
    expect(s.dis.addresses!(s)).toEqual(['cc:2d:e0:26:19:99', '']);
    expect(infoOf(layer(p, 'arp'), p)).toBe('Who has 192.168.22.160? Tell 192.168.22.1');
  });

  it('SLL v2 ARP and RARP (sll2-icmp-icmpv6-arp.pcap #5, #6)', () => {
    const p = run(SLL2_ARP, 276);
    expect(protos(p)).toBe('frame:sll:arp');
    expectFields(p, {
      'sll.etype': ['0x0806', 0, 2],
      'sll.ifindex': ['26', 4, 4],
      'sll.hatype': ['1', 8, 2],
      'sll.pkttype': ['4', 10, 1],
      'sll.halen': ['6', 11, 1],
      'sll.src.eth': ['8e:36:06:44:ac:af', 12, 6],
      'sll.unused': ['0000', 18, 2],
    });
    const s = layer(p, 'sll');
    expect(s.dis.title!(s)).toBe('Linux cooked capture v2');
    expect(all(p).get('sll.pkttype')![0].text).toBe('Packet type: Sent by us (4)');
    expect(infoOf(layer(p, 'arp'), p)).toBe('Who has 192.0.2.2? Tell 192.0.2.1');
    const r = run(SLL2_RARP, 276);
    const a = layer(r, 'arp');
    expect(a.dis.column!(a)).toBe('RARP');
    expect(infoOf(a, r)).toBe('Who is 00:00:00:00:00:00? Tell 8e:36:06:44:ac:af');
  });

  it('SLL v2 protocol 0x0004 → LLC (sll2-llc-stp.pcap)', () => {
    const f = hex('00040000000000030001020 6e01cfcd3b1e100004242030000'.replace(/ /g, ''));
    const p = run(f, 276);
    expectFields(p, { 'sll.ltype': ['0x0004', 0, 2], 'sll.ifindex': '3', 'sll.pkttype': '2', 'llc.dsap': '0x42' });
    expect(layer(p, 'sll').next!.table).toBe('llc');
  });
});

describe('null / loop', () => {
  it('AF 2 little-endian, AF 30 (null-ipv4-ipv6-dns-tcp-bjnp.pcap #1, #2)', () => {
    let p = run(hex('020000004500002c'), 0);
    expectFields(p, { 'null.family': ['2', 0, 4] });
    expect(layer(p, 'null').next).toEqual({ table: 'ethertype', key: 0x0800, start: 4, end: 8 });
    p = run(hex('1e0000006000000001b30640'), 0);
    expectFields(p, { 'null.family': '30' });
    expect(layer(p, 'null').next!.key).toBe(0x86dd);
    expect(all(p).get('null.family')![0].text).toBe('Family: IPv6 (30)');
  });
  it('big-endian AF from another host (0x00000002, 0x0000001c) and Linux AF 10', () => {
    let p = run(hex('0000000245'), 0);
    expectFields(p, { 'null.family': '2' });
    expect(layer(p, 'null').next!.key).toBe(0x0800);
    p = run(hex('0000001c60'), 0);
    expectFields(p, { 'null.family': '28' });
    expect(layer(p, 'null').next!.key).toBe(0x86dd);
    p = run(hex('0a00000060'), 0);
    expect(layer(p, 'null').next!.key).toBe(0x86dd);
  });
  it('a header holding an ethertype: 0f 00 08 00 → null.type 0x0800 (bjnp #3)', () => {
    const p = run(hex('0f0008004500018900004000'), 0);
    expectFields(p, { 'null.type': ['0x0800', 0, 4] });
    expect(all(p).has('null.family')).toBe(false);
    expect(layer(p, 'null').next).toEqual({ table: 'ethertype', key: 0x0800, start: 4, end: 12 });
  });
  it('unknown AF → null.af table (data); OpenBSD loop is big-endian', () => {
    const p = run(hex('07000000abcd'), 0);
    expect(layer(p, 'null').next!.table).toBe('null.af');
    expect(protos(p)).toBe('frame:null:data');
    const q = run(hex('0000001860'), 108);
    expectFields(q, { 'null.family': '24' });
    expect(layer(q, 'null').next!.key).toBe(0x86dd);
    const r = run(hex('0200000045'), 108); // 0x02000000 big-endian: not an AF we know
    expect(layer(r, 'null').next!.table).toBe('null.af');
  });
});

describe('raw ip link types', () => {
  it('LINKTYPE_RAW 101 / DLT_RAW 12 / 14: version nibble picks the table', () => {
    for (const lt of [101, 12, 14]) {
      const p = run(hex('4500001c'), lt);
      const r = layer(p, 'raw');
      expect(r.next).toEqual({ table: 'ethertype', key: 0x0800, start: 0, end: 4 });
      expect(r.dis.title!(r)).toBe('Raw packet data');
      const q = run(hex('60000000'), lt);
      expect(layer(q, 'raw').next!.key).toBe(0x86dd);
    }
    expect(protos(run(hex('12345678'), 101))).toBe('frame:raw:data');
  });
  it('LINKTYPE_IPV4 228 carrying IPv6 goes to IPv6, as tshark (malformed-ipv4-linktype-carrying-ipv6.pcap)', () => {
    const p = run(hex('6000000000251140'), 228);
    const l = layer(p, 'iplink');
    expect([l.start, l.end]).toEqual([0, 0]);
    expect(l.fields()).toEqual([]);
    expect(l.next).toEqual({ table: 'ethertype', key: 0x86dd, start: 0, end: 8 });
    expect(layer(run(hex('45000014'), 228), 'iplink').next!.key).toBe(0x0800);
    expect(layer(run(hex('60000000'), 229), 'iplink').next!.key).toBe(0x86dd);
    expect(layer(run(hex('00000000'), 229), 'iplink').next!.key).toBe(0x86dd);
  });
});

describe('truncation', () => {
  const GOOD: [string, Uint8Array, number, number][] = [
    // name, frame, link type, bytes of link + ARP headers the dissectors read (cut below → problem)
    ['eth arp', ARP_REQ, 1, 42],
    ['eth rarp', RARP_REP, 1, 42],
    ['qinq arp', QINQ, 1, 50],
    ['sll arp', SLL_ARP, 113, 44],
    ['sll2 arp', SLL2_ARP, 276, 48],
    ['null', hex('02000000'), 0, 4],
    ['loop', hex('00000002'), 108, 4],
    ['802.3 llc', hex('ffffffffffff1816c9e0a6330003' + '4242' + '03'), 1, 17],
    ['snap', hex('ffffffffffff0011223344550008aaaa030000000800'), 1, 22],
  ];
  for (const [name, f, lt, need] of GOOD) {
    it(`${name}: every prefix dissects without throwing; a cut header is truncated (snap) or malformed`, () => {
      for (let n = 0; n < f.length; n++) {
        const cut = f.slice(0, n);
        for (const [origLen, kind] of [[f.length, 'truncated'], [n, 'malformed']] as const) {
          const p = run(cut, lt, origLen);
          // materialising every field and text must not throw either
          for (const l of p.layers) {
            l.fields();
            l.dis.title?.(l);
            l.dis.info?.(l, p.layers);
            l.dis.addresses?.(l);
          }
          const k = kinds(p);
          if (n === 0) continue; // empty frame: the chain has nothing to dispatch
          if (n < need) expect(k, `${name} cut at ${n}, origLen ${origLen}`).toContain(kind);
          else expect(k, `${name} cut at ${n}`).not.toContain(kind === 'truncated' ? 'malformed' : 'truncated');
        }
      }
    });
  }
  it('header short errors point at the header', () => {
    const p = run(ARP_REQ.slice(0, 10), 1, 42);
    const e = layer(p, 'eth');
    expect(e.problems).toEqual([expect.objectContaining({ kind: 'truncated', start: 0, end: 10 })]);
    const q = run(ARP_REQ.slice(0, 30), 1, 30);
    const a = layer(q, 'arp');
    expect(a.problems![0]).toEqual(expect.objectContaining({ kind: 'malformed', start: 22 }));
    expect(infoOf(a, q)).toBe(null);
  });
});
