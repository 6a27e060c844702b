// Field-level checks against tshark 4.0 (values taken from `tshark -n -r F -T fields -e frame.time_epoch
// -e frame.interface_id -e frame.cap_len -e frame.len -e frame.comment …`, written here as text).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/types.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const CORPUS = CORPUS_DIR;
const read = (f: string) => parseCaptureBuffer(readFileSync(join(CORPUS, f)));

/** frame.time_epoch as tshark prints it (9 digits). */
function epoch(ts: bigint): string {
  return `${ts / 1_000_000_000n}.${(ts % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** [frame.number, frame.time_epoch, frame.cap_len, frame.len] rows for a few frames. */
function expectFrames(frames: Frame[], rows: [number, string, number, number][]): void {
  for (const [n, t, cap, len] of rows) {
    const f = frames[n - 1];
    expect(f.index).toBe(n);
    expect(epoch(f.ts)).toBe(t);
    expect(f.data.length).toBe(cap);
    expect(f.origLen).toBe(len);
  }
}

describe('classic pcap', () => {
  it('µs little-endian', () => {
    const r = read('dns-caa.pcap');
    expect(r.info.format).toBe('pcap');
    expect(r.info.byteOrder).toBe('le');
    expectFrames(r.frames, [
      [1, '1461623306.714596000', 70, 70],
      [2, '1461623306.728941000', 101, 101],
    ]);
    expect(r.frames[0].tsPrecision).toBe(6);
    expect(r.frames[0].linkType).toBe(1);
    expect(r.frames[0].ifIndex).toBe(0);
  });

  it('µs big-endian, snaplen from the header, caplen < len', () => {
    const r = read('pcap-usec-be-arp-dns.pcap');
    expect(r.info.byteOrder).toBe('be');
    expectFrames(r.frames, [
      [1, '3064.714590000', 42, 60],
      [2, '3064.714654000', 60, 60],
      [4, '3064.896798000', 86, 86],
    ]);
    const p = read('pcap-usec-be-pptp-gre.pcap');
    expect(p.info.interfaces).toEqual([{ linkType: 1, snaplen: 65535, tsPrecision: 6 }]);
    expectFrames(p.frames, [
      [1, '954147395.148077000', 62, 62],
      [23, '954147396.347775000', 60, 60],
    ]);
  });

  it('ns big-endian and little-endian', () => {
    const be = read('pcap-nsec-be-http-loopback.pcap');
    expect(be.info.format).toBe('pcap-ns');
    expect(be.info.byteOrder).toBe('be');
    expect(be.frames[0].tsPrecision).toBe(9);
    expectFrames(be.frames, [
      [1, '1766361926.167647291', 74, 74],
      [4, '1766361926.167712591', 144, 144],
      [10, '1766361926.168451894', 66, 66],
    ]);
    const le = read('sll-nsec-tcp-handshake.pcap');
    expect(le.info.byteOrder).toBe('le');
    expect(le.frames[0].linkType).toBe(113);
    expectFrames(le.frames, [
      [1, '1418145369.924505488', 76, 76],
      [3, '1418145370.052115157', 68, 68],
    ]);
  });

  it('Kuznetzov modified pcap (24-byte record headers)', () => {
    const r = read('pcap-modified-kuznetzov-icmp.pcap');
    expect(r.info.format).toBe('pcap-modified');
    expectFrames(r.frames, [[1, '1712763541.734807000', 98, 98]]);
    // The Ethernet header starts right after the 24-byte record header: IPv4 ethertype at 12.
    expect([r.frames[0].data[12], r.frames[0].data[13]]).toEqual([0x08, 0x00]);
  });

  it('odd minor version 2.5 is read', () => {
    const r = read('pcap-odd-minor-version-2.5.pcap');
    expect(r.error).toBeNull();
    expect(r.frames.length).toBe(1);
  });

  it('microsecond field >= 1e6 is carried into the arithmetic as is', () => {
    // tshark prints frame 2 as 1418145370.1000000000 (usec field 1000000): sec*1e9 + usec*1000.
    const r = read('malformed-pcap-usec-ge-1e6.pcap');
    expect(r.error).toBeNull();
    expect(epoch(r.frames[0].ts)).toBe('1418145369.999999000');
    expect(r.frames[1].ts).toBe(1418145370n * 1_000_000_000n + 1_000_000n * 1000n);
    expect(r.frames.length).toBe(3);
  });

  it('FCS bits of the link type field are allowed and give fcsLen', () => {
    const hdr = new Uint8Array(24 + 16 + 4);
    const dv = new DataView(hdr.buffer);
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, 65535, true);
    dv.setUint32(20, 1 | 0x04000000 | (2 << 28), true); // Ethernet, FCS present, 2 × 16 bits
    dv.setUint32(24 + 8, 4, true);
    dv.setUint32(24 + 12, 4, true);
    const r = parseCaptureBuffer(hdr);
    expect(r.error).toBeNull();
    expect(r.info.interfaces).toEqual([{ linkType: 1, snaplen: 65535, tsPrecision: 6, fcsLen: 4 }]);
    expect(r.frames[0].linkType).toBe(1);
  });

  it('caplen > origlen is not an error', () => {
    const r = read('malformed-pcap-caplen-gt-origlen.pcap');
    expect(r.error).toBeNull();
    expect([r.frames[0].data.length, r.frames[0].origLen]).toEqual([34, 32]);
  });

  it('header errors: version 1, reserved link type bits, text', () => {
    const v1 = read('malformed-pcap-bad-major-version.pcap');
    expect(v1.error?.kind).toBe('unsupported');
    expect(v1.error?.message).toMatch(/major version 1/);
    const rb = read('malformed-pcap-linktype-reserved-bits-header-only.pcap');
    expect(rb.error?.kind).toBe('unsupported');
    expect(rb.error?.message).toMatch(/reserved bits.*0x00300000/);
    const tx = read('malformed-not-a-capture-text.pcap');
    expect(tx.error?.kind).toBe('not-capture');
    expect(tx.frames).toEqual([]);
  });

  it('file cut in a record header: 1 frame then damaged at the record offset', () => {
    const r = read('malformed-file-cut-short.pcap');
    expect(r.frames.length).toBe(1);
    expect(r.error?.kind).toBe('damaged');
    expect(r.error?.offset).toBe(24 + 16 + 200);
    expect(r.error?.frame).toBe(2);
    expect(r.error?.message).toBe('truncated record header: 7 of 16 bytes at offset 240');
  });
});

describe('pcapng', () => {
  it('if_tsresol 9 and 6 on two interfaces, ifIndex and names', () => {
    const r = read('pcapng-2if-ns-and-us-tsresol-dns.pcapng');
    expectFrames(r.frames, [
      [1, '1767663089.500330493', 96, 96],
      [2, '1767663089.514291940', 214, 214],
      [3, '1767663437.111897000', 70, 70],
      [6, '1767663437.140942000', 182, 182],
    ]);
    expect(r.frames.map((f) => f.ifIndex)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(r.frames.map((f) => f.tsPrecision)).toEqual([9, 9, 6, 6, 6, 6]);
    expect(r.info.interfaces.map((i) => i.name)).toEqual([
      'eth0',
      '\\Device\\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}',
    ]);
    expect(r.info.interfaces[1].description).toBe('Ethernet 2');
  });

  it('binary if_tsresol 2^-8', () => {
    const r = read('pcapng-tsresol-binary-2pow-8.pcapng');
    expectFrames(r.frames, [[1, '1519128000.195312500', 314, 314]]);
    expect(r.frames[0].tsPrecision).toBe(3);
  });

  it('11 interfaces: ifIndex and link types (Ethernet, NULL)', () => {
    const r = read('pcapng-11if-eth-null-raw.pcapng');
    expect(r.info.interfaces.length).toBe(11);
    expect(r.info.interfaces.map((i) => i.linkType)).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 12, 1, 0]);
    expect(r.info.interfaces[10].name).toBe('lo0');
    // tshark: frame 3 on interface 10 (lo0, NULL), the rest on 0 (en0, Ethernet).
    expectFrames(r.frames, [
      [1, '1439753725.701607000', 178, 178],
      [3, '1439753725.701568000', 168, 168],
      [64, '1439753728.292345000', 195, 195],
    ]);
    expect([r.frames[2].ifIndex, r.frames[2].linkType]).toEqual([10, 0]);
    const ifs = new Set(r.frames.map((f) => f.ifIndex));
    expect([...ifs].sort((a, b) => a - b)).toEqual([0, 10]);
    for (const f of r.frames) expect(f.linkType).toBe(r.info.interfaces[f.ifIndex].linkType);
  });

  it('126 interfaces, all packets on IDB 48', () => {
    const r = read('pcapng-126if-nrb-vlan-ipv6-tcp.pcapng');
    expect(r.info.interfaces.length).toBe(126);
    expect(r.frames.every((f) => f.ifIndex === 48 && f.linkType === 1)).toBe(true);
    expectFrames(r.frames, [
      [1, '1725966551.231155000', 90, 90],
      [17, '1725966551.239887000', 78, 78],
    ]);
    expect(new Set(r.info.interfaces.map((i) => i.linkType))).toEqual(new Set([1, 113, 274]));
  });

  it('Ethernet + SLL interfaces, packet comments, SHB comment, 64-bit µs timestamps', () => {
    const r = read('pcapng-eth-sll-comments.pcapng');
    expect(r.info.interfaces.map((i) => [i.linkType, i.tsPrecision])).toEqual([
      [1, 9],
      [113, 6],
    ]);
    expectFrames(r.frames, [
      [1, '1422527998.578402281', 74, 74],
      // The SLL interface's timestamps are 2^64 - small in µs: tshark shows them unsigned.
      [60, '18446744073204.126329000', 68, 68],
      [159, '18446744073204.277451000', 128, 1444],
    ]);
    expect(r.frames[59].comments).toEqual(['Packet #1']); // text after the NUL is dropped, as tshark
    expect(r.frames[158].comments).toEqual(['Packet #100']);
    expect(r.frames.filter((f) => f.comments).length).toBe(100);
    expect(r.info.sections.length).toBe(1);
    expect(r.info.sections[0].comments[0]).toMatch(/^CLIENT_RANDOM E39B5BF4/);
    expect(r.info.sections[0].os).toBe('Linux 3.18.1-1-ARCH');
  });

  it('EPB options: comments and epb_flags', () => {
    const r = read('pcapng-gen-epb-all-options-le.pcapng');
    expect(r.frames.map((f) => f.comments)).toEqual([['test009-1'], ['test009-2']]);
    expect(r.frames.map((f) => f.epbFlags)).toEqual([0, 0x48000000]);
    expectFrames(r.frames, [
      [1, '1340954905.298858000', 314, 314],
      [2, '1340954905.299858000', 342, 342],
    ]);
  });

  it('NRB names (wireshark samples)', () => {
    const r = read('mixed-wireshark-samples-nrb.pcapng');
    // tshark -q -z hosts
    expect(r.info.names.get('192.168.152.110')).toEqual(['Epson-WF3640']);
    expect(r.info.names.get('64.113.32.5')).toEqual(['nist.netservicesgroup.com']);
    expect(r.info.names.get('ff02::1')).toEqual(['ip6-allnodes']);
    expect(r.info.names.get('ff02::2')).toEqual(['ip6-allrouters']);
    expect(r.info.names.size).toBe(15);
    expect(r.frames[0].tsPrecision).toBe(9);
    expectFrames(r.frames, [
      [1, '1506883716.995391962', 54, 54],
      [5898, '1506885398.126674489', 60, 60],
    ]);
  });

  it('SPB: snaplen of IDB 0, original length from the block, no timestamp', () => {
    const r = read('pcapng-gen-spb-only-be.pcapng');
    expect(r.info.byteOrder).toBe('be');
    expect(r.frames.map((f) => [f.data.length, f.origLen])).toEqual([
      [314, 314],
      [342, 342],
      [314, 314],
      [342, 342],
    ]);
    expect(r.frames.every((f) => f.noTimestamp === true && f.ts === 0n)).toBe(true);
    const mixed = read('pcapng-gen-all-blocks-intermixed-le.pcapng');
    // tshark frame 5 (SPB; custom blocks are not packets here): cap_len 96 (IDB 0 snaplen), len 314.
    expect([mixed.frames[2].data.length, mixed.frames[2].origLen, mixed.frames[2].noTimestamp]).toEqual([96, 314, true]);
    expect(mixed.frames.map((f) => f.ifIndex)).toEqual([0, 2, 0, 0, 1]);
    expect(mixed.info.interfaces[2].name).toBe('silly!\r\nethernet interface 2');
    expect(mixed.info.names.get('fc01:dead::beef')).toEqual(['example.com', 'foo.example.com']);
  });

  it('obsolete Packet Block (type 2), big-endian, LINKTYPE_RAW', () => {
    const r = read('pcapng-be-raw-ipv4-udp.pcapng');
    expect(r.info.byteOrder).toBe('be');
    expect(r.frames.length).toBe(200);
    expect(r.frames[0].linkType).toBe(101);
    expectFrames(r.frames, [
      [1, '1586191795.010193000', 63, 63],
      [4, '1586191795.016180000', 134, 134],
    ]);
    expect(r.frames[0].data[0] >> 4).toBe(4);
  });

  it('several sections of different byte order: ifIndex counts IDBs over the file', () => {
    const r = read('pcapng-gen-multi-section-mixed-endian.pcapng');
    expect(r.info.sections.map((s) => s.comments)).toEqual([['test202 SHB-0'], ['test202 SHB-1'], ['test202 SHB-2']]);
    expect(r.info.interfaces.map((i) => [i.linkType, i.snaplen])).toEqual([
      [1, 96],
      [0, 0],
      [1, 128],
      [1, 96],
      [0, 0],
    ]);
    expect(r.info.byteOrder).toBe('le'); // the last section's
    expect(r.frames.map((f) => f.ifIndex)).toEqual([0, 0, 1, 2, 2, 2, 2, 4]);
    // tshark 4.0's frame.interface_id is the id within the section: 0,0,1,0,0,0,0,1.
    expect(r.frames.map((f) => f.sectionIfId)).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(r.frames.map((f) => f.data.length)).toEqual([96, 96, 168, 128, 128, 128, 128, 168]);
    expect(epoch(r.frames[7].ts)).toBe('1340954905.301858000');
    expect(r.frames[3].noTimestamp).toBe(true);
  });

  it('second section with SHB version 2.0: 1 frame then unsupported', () => {
    const r = read('malformed-pcapng-2nd-section-bad-version.pcapng');
    expect(r.frames.length).toBe(1);
    expect(r.error?.kind).toBe('unsupported');
    expect(r.error?.offset).toBe(480);
    expect(r.error?.message).toMatch(/version 2\.0/);
  });

  it('SHB errors: version 0.1, option running past the block', () => {
    expect(read('malformed-pcapng-bad-shb-version.pcapng').error?.message).toMatch(/version 0\.1/);
    const o = read('malformed-pcapng-shb-option-too-long.pcapng');
    expect(o.error?.kind).toBe('damaged');
    expect(o.error?.offset).toBe(0);
  });
});
