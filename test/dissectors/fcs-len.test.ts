// Ethernet FCS when the capture file says how long it is (pcapng if_fcslen, pcap LT_FCS_LENGTH
// bits): 4 → the last 4 bytes are always the FCS (also on a short frame) and the payload handed to
// the network layer stops before them; 0 → never an FCS; not said → guessed from the frame size.
// Expected values are tshark 4.0's on the same bytes (`-T fields -e frame.interface_id -e frame.len
// -e eth.fcs -e eth.fcs.status -e eth.trailer -e eth.padding -e udp.length`, and its table).
// Also UDP lengths that lie, as tshark words them.

import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write.js';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { FieldsFormatter, defaultFieldsOptions } from '../../src/output/fields.js';
import { rowParts } from '../../src/output/table.js';
import { walkFields } from '../../src/dissect/chain.js';

const ETH = Buffer.from('ffffffffffff020000000001' + '0800', 'hex');

/** IPv4 + UDP with `n` payload bytes; `extra` makes both length fields claim more than there is. */
function ipUdp(n: number, extra = 0, udpLen?: number): Buffer {
  const payload = Buffer.from(Array.from({ length: n }, (_, i) => i));
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(28 + n + extra, 2);
  ip.writeUInt16BE(1, 4);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([10, 0, 0, 1]).copy(ip, 12);
  Buffer.from([10, 0, 0, 2]).copy(ip, 16);
  let s = 0;
  for (let i = 0; i < 20; i += 2) s += ip.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
  ip.writeUInt16BE(~s & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(1234, 0);
  udp.writeUInt16BE(5678, 2);
  udp.writeUInt16BE(udpLen ?? 8 + n + extra, 4);
  return Buffer.concat([ip, udp, payload]);
}

const withFcs = (f: Buffer): Buffer => {
  const c = Buffer.alloc(4);
  c.writeUInt32LE(crc32(f) >>> 0);
  return Buffer.concat([f, c]);
};
const pad60 = (f: Buffer): Buffer => Buffer.concat([f, Buffer.alloc(Math.max(0, 60 - f.length))]);

function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const len = 12 + padded.length;
  const h = Buffer.alloc(8);
  h.writeUInt32LE(type, 0);
  h.writeUInt32LE(len, 4);
  const t = Buffer.alloc(4);
  t.writeUInt32LE(len, 0);
  return Buffer.concat([h, padded, t]);
}

function pcapng(ifaces: (number | null)[], packets: [number, Buffer][]): Uint8Array {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const parts = [block(0x0a0d0d0a, shb)];
  for (const fcs of ifaces) {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(1, 0);
    head.writeUInt32LE(262144, 4);
    const opt = fcs === null ? Buffer.alloc(0) : Buffer.from([13, 0, 1, 0, fcs, 0, 0, 0]);
    parts.push(block(1, Buffer.concat([head, opt, Buffer.alloc(4)])));
  }
  for (const [id, data] of packets) {
    const h = Buffer.alloc(20);
    h.writeUInt32LE(id, 0);
    h.writeUInt32LE(data.length, 12);
    h.writeUInt32LE(data.length, 16);
    parts.push(block(6, Buffer.concat([h, data])));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** A classic µs pcap whose header's link type field is `linkField` (FCS bits and all); frame i at 1 s + i µs. */
function pcap(linkField: number, frames: Buffer[]): Uint8Array {
  const recs = frames.map((data, i) => encodePcapRecord({ index: i + 1, ts: 1_000_000_000n + BigInt(i) * 1000n, tsPrecision: 6, linkType: 1, ifIndex: 0, data, origLen: data.length }, 'us'));
  return new Uint8Array(Buffer.concat([encodePcapHeader(linkField, 262144, 'us'), ...recs]));
}

const KEYS = ['frame.interface_id', 'frame.len', 'eth.fcs', 'eth.fcs.status', 'eth.trailer', 'eth.padding', 'udp.length'];

function run(file: Uint8Array): { fields: string[]; info: string[]; lengthText: string[] } {
  const { frames } = parseCaptureBuffer(file);
  const dis = new Dissection(defaultRegistry());
  const fmt = new FieldsFormatter(KEYS, defaultFieldsOptions());
  const fields: string[] = [], info: string[] = [], lengthText: string[] = [];
  for (const f of frames) {
    const p = dis.dissect(f);
    fields.push(fmt.line(p).replace(/\n$/, ''));
    info.push(rowParts(p.layers).info);
    walkFields(p.layers, (fl) => {
      if (fl.key === 'udp.length' && fl.text) lengthText.push(fl.text);
    });
  }
  return { fields, info, lengthText };
}

describe('Ethernet FCS length from the capture file', () => {
  const f1 = withFcs(pad60(Buffer.concat([ETH, ipUdp(4)]))); // 60 + FCS, padding
  const f2 = withFcs(Buffer.concat([ETH, ipUdp(40)])); // 82 + FCS
  const f3 = withFcs(Buffer.concat([ETH, ipUdp(4), Buffer.alloc(4)])); // 50 + FCS: short, a 4-byte trailer
  const file = pcapng([null, 4, 0], [0, 1, 2].flatMap((id) => [f1, f2, f3].map((f) => [id, f] as [number, Buffer])));

  it('pcapng if_fcslen absent / 4 / 0: as tshark', () => {
    expect(run(file).fields).toEqual([
      '0\t64\t0x8597eef9\t2\t\t0000000000000000000000000000\t12',
      '0\t86\t0x7a72993e\t2\t\t\t48',
      '0\t54\t\t\t000000003938b276\t\t12',
      '1\t64\t0x8597eef9\t2\t\t0000000000000000000000000000\t12',
      '1\t86\t0x7a72993e\t2\t\t\t48',
      '1\t54\t0x3938b276\t2\t00000000\t\t12',
      '2\t64\t\t\t8597eef9\t0000000000000000000000000000\t12',
      '2\t86\t\t\t7a72993e\t\t48',
      '2\t54\t\t\t000000003938b276\t\t12',
    ]);
  });

  it('classic pcap with the FCS bits: the network layer stops before the FCS', () => {
    const frames = [
      f1,
      withFcs(Buffer.concat([ETH, ipUdp(40, 4)])), // both lengths run into the FCS
      Buffer.concat([ETH, ipUdp(4), Buffer.from([0xaa, 0xbb])]), // 2 bytes after the datagram
    ];
    const r = run(pcap(0x24000001, frames)); // LT_FCS_LENGTH_PRESENT, 2 × 16 bits, Ethernet
    expect(r.fields).toEqual([
      '0\t64\t0x8597eef9\t2\t\t0000000000000000000000000000\t12',
      '0\t86\t0xaa254229\t2\t\t\t52',
      '0\t48\t0x0203aabb\t2\t\t\t12',
    ]);
    expect(r.info).toEqual([
      '1234 → 5678 Len=4',
      '1234 → 5678 [BAD UDP LENGTH 52 > IP PAYLOAD LENGTH] Len=44',
      '1234 → 5678 [BAD UDP LENGTH 12 > IP PAYLOAD LENGTH] Len=4',
    ]);
  });
});

describe('UDP length that lies (tshark wording)', () => {
  it('below 8 ends the Info; beyond the IP payload is flagged before Len=', () => {
    const frames = [ipUdp(20, 0, 4), ipUdp(20, 0, 60), ipUdp(20, 0, 0), ipUdp(20, 0, 7)].map((x) => Buffer.concat([ETH, x]));
    const r = run(pcap(1, frames));
    expect(r.info).toEqual([
      '1234 → 5678 [BAD UDP LENGTH 4 < 8]',
      '1234 → 5678 [BAD UDP LENGTH 60 > IP PAYLOAD LENGTH] Len=52',
      '1234 → 5678 [BAD UDP LENGTH 0 < 8]',
      '1234 → 5678 [BAD UDP LENGTH 7 < 8]',
    ]);
    expect(r.lengthText).toEqual([
      'Length: 4 (bogus, must be >= 8)',
      'Length: 60 (bogus, payload length 28)',
      'Length: 0 (bogus, must be >= 8)',
      'Length: 7 (bogus, must be >= 8)',
    ]);
  });
});
