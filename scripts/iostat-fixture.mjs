#!/usr/bin/env node
// Writes the two small synthetic captures of fixtures/iostat/ (Ethernet/IPv4/UDP frames at chosen
// times, nanosecond pcap) that exercise tshark's io,stat time rules, which no corpus capture does:
//   out-of-order-times.pcap  frames at 0, 2.5, 1.2, 3.1, -1 (before the first), 0.5, 4.2 s: a frame older than
//                            the last interval counts in it; one before the first at the last counted time
//   duration-9.7s.pcap       frames at 0 and 9.7 s: at 1 s the duration rounds up to a second digit (the
//                            widths of tshark's box and numbers then disagree by one)
//   duration-99.96s.pcap     frames at 0 and 99.96 s: the same at 0 (whole capture) and at 30 s
// Usage: node scripts/iostat-fixture.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'fixtures/iostat');
const BASE = 1_000_000_000n * 1_000_000_000n; // 2001-09-09, in ns

/** A nanosecond pcap of one UDP datagram (10.0.0.1 → 10.0.0.2:51999) per time in seconds (strings, so exact). */
function pcap(times) {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b23c4d, 0); // nanosecond magic
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20); // Ethernet
  const parts = [head];
  times.forEach((t, i) => {
    const neg = t.startsWith('-');
    const [s, f = ''] = (neg ? t.slice(1) : t).split('.');
    const ns = BigInt(s) * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
    const at = BASE + (neg ? -ns : ns);
    const len = 60 + (i % 7) * 10;
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Number(at / 1_000_000_000n), 0);
    rec.writeUInt32LE(Number(at % 1_000_000_000n), 4);
    rec.writeUInt32LE(len, 8);
    rec.writeUInt32LE(len, 12);
    const p = Buffer.alloc(len);
    p.writeUInt16BE(0x0800, 12);
    p[14] = 0x45;
    p.writeUInt16BE(len - 14, 16);
    p[22] = 64;
    p[23] = 17;
    p.set([10, 0, 0, 1], 26);
    p.set([10, 0, 0, 2], 30);
    p.writeUInt16BE(50000 + i, 34);
    p.writeUInt16BE(51999, 36);
    p.writeUInt16BE(len - 34, 38);
    parts.push(rec, p);
  });
  return Buffer.concat(parts);
}

writeFileSync(join(OUT, 'out-of-order-times.pcap'), pcap(['0', '2.5', '1.2', '3.1', '-1', '0.5', '4.2']));
writeFileSync(join(OUT, 'duration-9.7s.pcap'), pcap(['0', '9.7']));
writeFileSync(join(OUT, 'duration-99.96s.pcap'), pcap(['0', '99.96']));
console.log('iostat-fixture: 3 captures written to fixtures/iostat/');
