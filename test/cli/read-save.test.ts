// `wiretrace read IN -w OUT`: the written file holds exactly the packets tshark -r IN -Y F -w OUT
// writes (frame numbers below from tshark 4.0.17), with their bytes, lengths, timestamps,
// interfaces and comments; the corpus-wide comparison with tshark is in docs/read-write.md.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/types.js';
import { ensureDist } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
const C = CORPUS_DIR;
const dir = mkdtempSync(join(tmpdir(), 'wt-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(path: string) {
  return parseCaptureBuffer(readFileSync(path));
}

/** What must survive a copy: everything the reader gives but the frame number. */
function essence(f: Frame) {
  return {
    ts: f.ts,
    noTimestamp: f.noTimestamp === true,
    linkType: f.linkType,
    ifIndex: f.ifIndex,
    origLen: f.origLen,
    data: Buffer.from(f.data).toString('hex'),
    comments: f.comments ?? [],
    epbFlags: f.epbFlags,
  };
}

async function save(args: string[]) {
  return runCli(['read', ...args]);
}

describe('read -w: what is written', () => {
  it('-Y dns writes the 28 packets tshark -Y dns -w writes, byte for byte', async () => {
    const out = join(dir, 'dns.pcapng');
    const r = await save([`${C}/mixed-browsing-dns-http.pcapng`, '-Y', 'dns', '-w', out]);
    expect(r).toEqual({ code: 0, out: '' }); // nothing printed without -P
    // tshark -r mixed-browsing-dns-http.pcapng -Y dns -T fields -e frame.number
    const numbers = [1, 2, 9, 10, 21, 22, 224, 225, 226, 227, 389, 417, 425, 426, 427, 429, 455, 483, 745, 756, 799, 811, 846, 848, 865, 866, 902, 907];
    const src = parse(`${C}/mixed-browsing-dns-http.pcapng`).frames;
    const got = parse(out);
    expect(got.error).toBeNull();
    expect(got.frames.map(essence)).toEqual(numbers.map((n) => essence(src[n - 1])));
  });

  it('a copy keeps interface ids, names and link types (11 interfaces, used or not), as tshark', async () => {
    const out = join(dir, '11if.pcapng');
    expect((await save([`${C}/pcapng-11if-eth-null-raw.pcapng`, '-w', out])).code).toBe(0);
    const src = parse(`${C}/pcapng-11if-eth-null-raw.pcapng`);
    const got = parse(out);
    expect(got.frames.map(essence)).toEqual(src.frames.map(essence));
    expect(got.info.interfaces.map((i) => [i.name, i.linkType])).toEqual(src.info.interfaces.map((i) => [i.name, i.linkType]));
    // tshark -r copy -T fields -e frame.interface_id -e frame.interface_name: 62 × "0 en0", 2 × "10 lo0"
    const ids = new Map<string, number>();
    for (const f of got.frames) {
      const k = `${f.ifIndex} ${got.info.interfaces[f.ifIndex].name}`;
      ids.set(k, (ids.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(ids)).toEqual({ '0 en0': 62, '10 lo0': 2 });
  });

  it('keeps the section and packet comments, and microsecond units whose count is past 64 bits of ns', async () => {
    const out = join(dir, 'comments.pcapng');
    expect((await save([`${C}/pcapng-eth-sll-comments.pcapng`, '-w', out])).code).toBe(0);
    const src = parse(`${C}/pcapng-eth-sll-comments.pcapng`);
    const got = parse(out);
    expect(got.frames.map(essence)).toEqual(src.frames.map(essence));
    expect(got.info.sections[0].comments).toEqual(src.info.sections[0].comments);
    expect(got.info.sections[0].comments[0]).toMatch(/^CLIENT_RANDOM E39B5BF4/);
    // frame 60: tshark prints 18446744073204.126329000 for the input and the copy (2^64 µs wraps past 2^64 ns)
    expect(got.frames[59].ts).toBe(18446744073204126329000n);
    expect(got.frames[59].comments).toEqual(['Packet #1']);
    expect(got.info.interfaces.map((i) => i.tsResol)).toEqual([9, 6]); // as the input: frame 60 is on the µs one
  });

  it('records without a timestamp (Simple Packet Blocks) stay without one', async () => {
    const out = join(dir, 'spb.pcapng');
    expect((await save([`${C}/pcapng-gen-spb-only-be.pcapng`, '-w', out])).code).toBe(0);
    const got = parse(out);
    expect(got.frames.length).toBe(4);
    expect(got.frames.every((f) => f.noTimestamp === true)).toBe(true);
    expect(got.frames.map(essence)).toEqual(parse(`${C}/pcapng-gen-spb-only-be.pcapng`).frames.map(essence));
  });

  it('classic pcap keeps nanoseconds from a nanosecond capture; --time-stamp-precision micro cuts them', async () => {
    const src = parse(`${C}/pcap-nsec-be-http-loopback.pcap`).frames;
    const ns = join(dir, 'ns.pcap');
    expect((await save([`${C}/pcap-nsec-be-http-loopback.pcap`, '-w', ns])).code).toBe(0);
    const b = readFileSync(ns);
    expect(b.readUInt32LE(0)).toBe(0xa1b23c4d);
    expect(parse(ns).frames.map(essence)).toEqual(src.map(essence));
    const us = join(dir, 'us.pcap');
    expect((await save([`${C}/pcap-nsec-be-http-loopback.pcap`, '-w', us, '--time-stamp-precision', 'micro'])).code).toBe(0);
    expect(readFileSync(us).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(parse(us).frames.map((f) => f.ts)).toEqual(src.map((f) => (f.ts / 1000n) * 1000n));
    expect(src.some((f) => f.ts % 1000n !== 0n)).toBe(true);
  });

  it('-F pcap keeps the snaplen and link type of a classic pcap; -c stops', async () => {
    const out = join(dir, 'c3.cap');
    expect((await save([`${C}/sll-arp.pcap`, '-c', '3', '-w', out])).code).toBe(0);
    const src = parse(`${C}/sll-arp.pcap`);
    const got = parse(out);
    expect(got.frames.map(essence)).toEqual(src.frames.slice(0, 3).map(essence));
    expect(got.info.interfaces[0].snaplen).toBe(src.info.interfaces[0].snaplen);
    expect(got.info.interfaces[0].linkType).toBe(113);
  });

  it('-w - writes the capture to standard output', async () => {
    const r = spawnSync(process.execPath, [BIN, 'read', `${C}/dns-caa.pcap`, '-w', '-'], { timeout: 60_000 });
    expect(r.status).toBe(0);
    const got = parseCaptureBuffer(r.stdout);
    expect(got.info.format).toBe('pcapng');
    expect(got.info.interfaces[0].tsResol).toBe(6); // a microsecond pcap's interface stays in µs (as tshark writes it)
    expect(got.frames.map(essence)).toEqual(parse(`${C}/dns-caa.pcap`).frames.map(essence));
  });

  it('-P prints the packets it writes (the filtered ones)', async () => {
    const out = join(dir, 'p.pcapng');
    const r = await save([`${C}/dns-caa.pcap`, '-Y', 'dns.flags.response == 1', '-P', '-w', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('    2   0.014345      8.8.8.8 \u2192 192.168.17.58 DNS 101 Standard query response 0x355e CAA google.com CAA\n');
    expect(parse(out).frames.length).toBe(1);
  });
});

describe('read -w: errors', () => {
  it('a damaged input: what was read is written, the damage reported, exit 2', async () => {
    const out = join(dir, 'cut.pcapng');
    const r = await save([`${C}/malformed-file-cut-short.pcap`, '-w', out]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(`wiretrace: file '${C}/malformed-file-cut-short.pcap' is damaged at packet 2 (byte offset 240): truncated record header: 7 of 16 bytes at offset 240\n`);
    expect(parse(out).frames.length).toBe(1);
  });

  it('two link types in a classic pcap: one line naming the frame, the frames before it kept', async () => {
    const out = join(dir, 'two.pcap');
    const r = await save([`${C}/pcapng-eth-sll-comments.pcapng`, '-w', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`wiretrace: cannot write ${out}: frame 60 has link type 113 but this pcap file holds 1: a classic pcap file has one link type, write pcapng instead\n`);
    const got = parse(out);
    expect(got.error).toBeNull();
    expect(got.frames.length).toBe(59);
  });

  it('refuses to write over the file it reads, and options that need -w', async () => {
    const out = join(dir, 'self.pcapng');
    expect((await save([`${C}/dns-caa.pcap`, '-w', out])).code).toBe(0);
    const before = readFileSync(out);
    expect(await save([out, '-w', out])).toEqual({ code: 2, out: `wiretrace: -w ${out} is the file being read: write to another file\n` });
    expect(readFileSync(out)).toEqual(before);
    expect(await save([`${C}/dns-caa.pcap`, '-F', 'pcap'])).toEqual({ code: 2, out: 'wiretrace: -F sets the format of the file -w writes: give -w FILE\n' });
    expect((await save([`${C}/dns-caa.pcap`, '-P', '-w', '-'])).code).toBe(2);
    expect(await save([`${C}/dns-caa.pcap`, '-w', join(dir, 'no', 'such', 'x.pcap')])).toEqual({
      code: 1,
      out: `wiretrace: cannot write ${join(dir, 'no', 'such', 'x.pcap')}: no such directory\n`,
    });
  });

  it('an input that is not a capture creates no output file', async () => {
    const out = join(dir, 'none.pcapng');
    const r = await save([`${C}/malformed-not-a-capture-text.pcap`, '-w', out]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('read under sudo', () => {
  beforeAll(() => void ensureDist(), 180_000);
  const root = process.getuid?.() === 0;
  // as root with SUDO_UID set (what sudo sets), the file is created by the invoking user
  it.runIf(root)('runs as the invoking user after opening the input: the -w file is theirs', () => {
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep the user out of the folder below
    const d = join(dir, 'shared');
    rmSync(d, { recursive: true, force: true });
    spawnSync('mkdir', ['-m', '777', d]);
    chmodSync(d, 0o777);
    const out = join(d, 'mine.pcapng');
    const env = { ...process.env, SUDO_UID: '65534', SUDO_GID: '65534', SUDO_USER: 'nobody' };
    const r = spawnSync(process.execPath, [BIN, 'read', `${C}/dns-caa.pcap`, '-w', out], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const st = statSync(out);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
    // and it can no longer write where only root may
    const locked = join(dir, 'locked');
    spawnSync('mkdir', ['-m', '700', locked]);
    const r2 = spawnSync(process.execPath, [BIN, 'read', `${C}/dns-caa.pcap`, '-w', join(locked, 'x.pcapng')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toBe(`wiretrace: cannot write ${join(locked, 'x.pcapng')}: permission denied\n`);
  });
});
