#!/usr/bin/env node
// bench-floor.mjs: the least a Node.js process can do for "one line per packet" on a classic pcap.
// Usage: node scripts/bench-floor.mjs FILE.pcap > /dev/null   (scripts/bench.mjs runs it on the slice)
//
// Not part of wiretrace: a yardstick for docs/benchmarks.md. It reads the file with readSync into two
// reused buffers, decodes each record header, reads Ethernet → IPv4/IPv6 → TCP/UDP header fields at
// fixed offsets (no options, extension headers, checksums, state, reassembly, application protocols,
// no relative sequence numbers), and writes a row of the seven columns, digits straight into a reused
// output buffer (no strings, no objects: nothing for the garbage collector). Whatever wiretrace does per
// packet comes on top of this, so its time bounds what any JavaScript implementation of the table can
// reach on this machine; bench.mjs prints it next to tshark's.
// Little-endian µs/ns pcap with 16-byte record headers only (what make-traffic.sh writes).
import { openSync, readSync, writeSync } from 'node:fs';

function main(file) {
  const fd = openSync(file, 'r');
  const CH = 1 << 20;
  let buf = Buffer.allocUnsafeSlow(CH);
  let spare = Buffer.allocUnsafeSlow(CH);
  let len = readSync(fd, buf, 0, CH, null);
  if (len < 24 || buf.readUInt32LE(0) !== 0xa1b2c3d4 && buf.readUInt32LE(0) !== 0xa1b23c4d) {
    process.stderr.write('bench-floor: not a little-endian classic pcap\n');
    process.exit(2);
  }
  const nano = buf.readUInt32LE(0) === 0xa1b23c4d;
  const out = Buffer.allocUnsafeSlow(1 << 17);
  let o = 0;
  let pos = 24;
  let n = 0;
  let t0s = -1;
  let t0f = 0;

  // writers into `out` at o; each returns nothing and advances o
  const dec = (v, width) => {
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    for (let k = digits; k < width; k++) out[o++] = 32;
    let p = o + digits;
    o = p;
    for (let t = v; ; ) {
      const q = Math.floor(t / 10);
      out[--p] = 48 + t - q * 10;
      if (q === 0) break;
      t = q;
    }
  };
  const ascii = (s) => {
    for (let i = 0; i < s.length; i++) out[o++] = s.charCodeAt(i);
  };
  const ip4 = (b, at) => {
    dec(b[at], 0); out[o++] = 46; dec(b[at + 1], 0); out[o++] = 46; dec(b[at + 2], 0); out[o++] = 46; dec(b[at + 3], 0);
  };
  const ip6 = (b, at) => {
    // uncompressed groups: the cost of a v6 address without the :: search
    for (let g = 0; g < 8; g++) {
      if (g > 0) out[o++] = 58;
      const v = (b[at + 2 * g] << 8) | b[at + 2 * g + 1];
      for (let s = 12; s >= 0; s -= 4) {
        const d = (v >> s) & 15;
        if (d !== 0 || s === 0 || v >> s !== 0) out[o++] = d < 10 ? 48 + d : 87 + d;
      }
    }
  };
  const ARROW = Buffer.from(' \u2192 ');

  for (;;) {
    const incl = len - pos >= 16 ? buf.readUInt32LE(pos + 8) : CH;
    if (len - pos < 16 + incl) {
      const rest = len - pos;
      if (rest >= CH) break; // a record bigger than the buffer: not in the bench captures
      buf.copy(spare, 0, pos, len);
      const r = readSync(fd, spare, rest, CH - rest, null);
      if (r === 0) break;
      const t = buf;
      buf = spare;
      spare = t;
      len = rest + r;
      pos = 0;
      continue;
    }
    if (o > out.length - 512) {
      writeSync(1, out, 0, o);
      o = 0;
    }
    const sec = buf.readUInt32LE(pos);
    const frac = buf.readUInt32LE(pos + 4);
    const origLen = buf.readUInt32LE(pos + 12);
    const f = pos + 16;
    pos = f + incl;
    n++;
    if (t0s < 0) { t0s = sec; t0f = frac; }
    // No. and Time (relative, µs)
    dec(n, 5);
    out[o++] = 32;
    let ds = sec - t0s;
    let df = (nano ? Math.floor(frac / 1000) : frac) - (nano ? Math.floor(t0f / 1000) : t0f);
    if (df < 0) { df += 1000000; ds--; }
    dec(ds, 3);
    out[o++] = 46;
    for (let k = 100000; k >= 1; k /= 10) out[o++] = 48 + (Math.floor(df / k) % 10);
    out[o++] = 32;
    if (incl < 14) { ascii('ETH'); out[o++] = 10; continue; }
    const et = buf.readUInt16BE(f + 12);
    let t = -1;
    let proto = 0;
    if (et === 0x0800 && incl >= 34) {
      ip4(buf, f + 26); out.set(ARROW, o); o += ARROW.length; ip4(buf, f + 30);
      proto = buf[f + 23];
      t = f + 14 + (buf[f + 14] & 15) * 4;
    } else if (et === 0x86dd && incl >= 54) {
      ip6(buf, f + 22); out.set(ARROW, o); o += ARROW.length; ip6(buf, f + 38);
      proto = buf[f + 20];
      t = f + 54;
    } else ascii('ETH');
    out[o++] = 32;
    if (proto === 6 && t + 20 <= f + incl) {
      ascii('TCP '); dec(origLen, 0); out[o++] = 32;
      dec(buf.readUInt16BE(t), 0); out.set(ARROW, o); o += ARROW.length; dec(buf.readUInt16BE(t + 2), 0);
      ascii(' [ACK] Seq='); dec(buf.readUInt32BE(t + 4), 0);
      ascii(' Ack='); dec(buf.readUInt32BE(t + 8), 0);
      ascii(' Win='); dec(buf.readUInt16BE(t + 14), 0);
      ascii(' Len='); dec(Math.max(0, f + incl - t - (buf[t + 12] >> 4) * 4), 0);
    } else if (proto === 17 && t + 8 <= f + incl) {
      ascii('UDP '); dec(origLen, 0); out[o++] = 32;
      dec(buf.readUInt16BE(t), 0); out.set(ARROW, o); o += ARROW.length; dec(buf.readUInt16BE(t + 2), 0);
      ascii(' Len='); dec(Math.max(0, buf.readUInt16BE(t + 4) - 8), 0);
    } else dec(origLen, 0);
    out[o++] = 10;
  }
  writeSync(1, out, 0, o);
  process.stderr.write(`bench-floor: ${n} packets\n`);
}

main(process.argv[2]);
