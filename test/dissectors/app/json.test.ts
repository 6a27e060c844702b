// DB-LSP-DISC (dissectors/db-lsp.ts) and JSON (dissectors/json.ts over src/dissect/json.ts) against tshark 4.0.17:
// columns, frame.protocols, db-lsp.text and the json.* keys of fixtures/json-dblsp.pcap (scripts/json-fixture.py:
// a Dropbox-like announcement, nested objects and arrays, escapes in strings, raw UTF-8 in a string, numbers with
// signs, fractions and exponents, true/false/null, an empty object and array, a top-level array, trailing garbage,
// a bare word, whitespace around the text, a datagram cut by the snaplen) and of the corpus's DB-LSP-DISC rows, in
// .tshark.tsv files written by scripts/json-fixture.sh; the tree against tshark -V; prefixes, random and mutated
// JSON, the depth and item caps.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection, type Packet } from '../../../src/dissect/chain.js';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { MAX_DEPTH, MAX_ITEMS, readJson } from '../../../src/dissect/json.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { json } from '../../../dissectors/json.js';
import { rowParts } from '../../../src/output/table.js';
import type { DissectContext } from '../../../src/dissect/types.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { expectClean } from '../../helpers/problems.js';
import { mulberry32 } from '../../helpers/random.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'json-dblsp.pcap');
const CORPUS = join(CORPUS_DIR, 'pcapng-11if-eth-null-raw.pcapng');
const enc = (s: string) => new TextEncoder().encode(s);

const protosOf = (p: Packet): string[] => {
  const out: string[] = [];
  const walk = (ls: Packet['layers']) => {
    for (const l of ls) {
      out.push(l.proto);
      if (l.inner) walk(l.inner);
    }
  };
  walk(p.layers);
  return out;
};

describe('DB-LSP-DISC and JSON as tshark 4.0 shows them', () => {
  it('json-dblsp.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'json-dblsp.tshark.tsv'), 'utf8');
    const rows = want.split('\n');
    expect(rows.filter((r) => r.startsWith('DB-LSP-DISC/JSON\tDropbox LAN sync Discovery Protocol, JavaScript Object Notation\teth:ethertype:ip:udp:db-lsp-disc:json\t'))).toHaveLength(9);
    expect(rows.filter((r) => r.startsWith('DB-LSP-DISC\tDropbox LAN sync Discovery Protocol\teth:ethertype:ip:udp:db-lsp-disc\t'))).toHaveLength(4);
    // nested members: Key after the value, so the innermost key first
    expect(want).toContain('\t1,1,1,1\t1,1,1\ta,b,c,d,e\td,c,b,a,e\t/a/b/c/[]/d,/a/b/c,/a/b,/a,/e\t/a/b/c/[]:1,/a/b/c/[]/[]:2,/a/b/c/[]/[]:3,/a/b/c/[]/d:deep\t[]:1,[]:2,[]:3,d:deep\tdeep\t1,2,3\t');
    expect(want).toContain('\t[]:0,[]:-1,[]:3.25,[]:1e10,[]:-2.5E-3,[]:6.02e+23,[]:123456789012345678901234567890\t');
    expect(want).toContain('\tline\\nbreak\\ttab "quoted" back\\slash / end\t');
    expect(want).toContain('\t{"raw": "na\ufffd\ufffdve"}\t');
    expect(want).toContain('\t{"host_int": 123, "version":\t');
    expect(await fieldsOf(PCAP, want)).toBe(want);
  });

  it("the corpus capture's four DB-LSP-DISC rows (Ethernet and BSD null): every DB-LSP-DISC cell equal", async () => {
    const want = readFileSync(join(FX, 'json-dblsp-corpus.tshark.tsv'), 'utf8');
    const got = (await fieldsOf(CORPUS, want)).split('\n');
    const rows = want.split('\n');
    const db = rows.map((r, i) => [r, i] as const).filter(([r]) => r.startsWith('DB-LSP-DISC'));
    expect(db).toHaveLength(4);
    expect(db.filter(([r]) => r.includes('\tnull:ip:udp:db-lsp-disc:json\t'))).not.toHaveLength(0);
    expect(db.filter(([r]) => r.includes('\teth:ethertype:ip:udp:db-lsp-disc:json\t'))).not.toHaveLength(0);
    for (const [r, i] of db) expect(got[i], `row ${i}`).toBe(r);
    // no other row gains a DB-LSP-DISC or JSON cell
    for (let i = 1; i < rows.length; i++) if (!rows[i].startsWith('DB-LSP-DISC')) expect(got[i]).not.toMatch(/db-lsp|json/);
  });

  it("the corpus's two HTTP/JSON responses: columns and frame.protocols equal, json.* equal but for tshark's raw bytes", async () => {
    // tshark prints a string's windows-1255 bytes as they are (not UTF-8); wiretrace, like tshark's tree, shows each
    // as U+FFFD: the json.* cells are compared with tshark's bytes from 0x80 mapped to U+FFFD
    const raw = readFileSync(join(FX, 'json-http-corpus.tshark.tsv'));
    const lines: Buffer[] = [];
    for (let p = 0; p < raw.length; ) {
      const e = raw.indexOf(0x0a, p);
      lines.push(raw.subarray(p, e < 0 ? raw.length : e));
      p = e < 0 ? raw.length : e + 1;
    }
    const keys = lines[0].toString('utf8').split('\t');
    const want = lines.map((l) =>
      l.toString('latin1').split('\t').map((c, k) => (keys[k].startsWith('json.') ? c.replace(/[\x80-\xff]/g, '\ufffd') : Buffer.from(c, 'latin1').toString('utf8'))),
    );
    const http = join(CORPUS_DIR, 'tcp-seq-wraparound-http.pcap');
    const got = (await fieldsOf(http, lines[0].toString('utf8') + '\n')).split('\n').map((r) => r.split('\t'));
    const rows = want.map((r, i) => [r, i] as const).filter(([r]) => r[0] === 'HTTP/JSON');
    expect(rows).toHaveLength(2);
    for (const [r, i] of rows) {
      expect(r.slice(0, 3)).toEqual(['HTTP/JSON', 'HTTP/1.1 200 OK , JavaScript Object Notation (application/json)', 'eth:ethertype:ip:tcp:http:json']);
      expect(r[keys.indexOf('json.value.string')]).toContain('\ufffd');
      expect(r[keys.indexOf('json.key')].split(',').length).toBeGreaterThan(20);
      expect(got[i], `row ${i}`).toEqual(r);
    }
    // no other row gains a JSON cell
    for (let i = 1; i < want.length - 1; i++) if (want[i][0] !== 'HTTP/JSON') expect(got[i].slice(4).join('')).toBe('');
  });

  it('the tree of a corpus announcement, of nested values and of true/false/null equal tshark -V', async () => {
    const c = (await runCli(['read', '-V', '-Y', 'frame.number == 3', CORPUS])).out;
    expect(c).toContain(
      [
        'Dropbox LAN sync Discovery Protocol',
        '    JavaScript Object Notation',
        '        Object',
        '            Member: host_int',
        '                [Path with value: /host_int:4094514483]',
        '                [Member with value: host_int:4094514483]',
        '                Number value: 4094514483',
        '                Key: host_int',
        '                [Path: /host_int]',
        '            Member: version',
        '                Array',
        '                    [Path with value: /version/[]:1]',
        '                    [Member with value: []:1]',
        '                    Number value: 1',
        '                    [Path with value: /version/[]:8]',
        '                    [Member with value: []:8]',
        '                    Number value: 8',
        '                Key: version',
        '                [Path: /version]',
        '            Member: displayname',
        '                [Path with value: /displayname:]',
        '                [Member with value: displayname:]',
        '                String value: ',
        '                Key: displayname',
        '                [Path: /displayname]',
      ].join('\n'),
    );
    const nested = (await runCli(['read', '-V', '-Y', 'frame.number == 2', PCAP])).out;
    expect(nested).toContain(
      [
        '                            Member: c',
        '                                Array',
        '                                    [Path with value: /a/b/c/[]:1]',
        '                                    [Member with value: []:1]',
        '                                    Number value: 1',
        '                                    Array',
        '                                        [Path with value: /a/b/c/[]/[]:2]',
        '                                        [Member with value: []:2]',
        '                                        Number value: 2',
        '                                        [Path with value: /a/b/c/[]/[]:3]',
        '                                        [Member with value: []:3]',
        '                                        Number value: 3',
        '                                    Object',
        '                                        Member: d',
        '                                            [Path with value: /a/b/c/[]/d:deep]',
        '                                            [Member with value: d:deep]',
        '                                            String value: deep',
        '                                            Key: d',
        '                                            [Path: /a/b/c/[]/d]',
        '                                Key: c',
        '                                [Path: /a/b/c]',
        '                        Key: b',
        '                        [Path: /a/b]',
        '                Key: a',
        '                [Path: /a]',
        '            Member: e',
        '                Array',
        '                Key: e',
        '                [Path: /e]',
      ].join('\n'),
    );
    const esc = (await runCli(['read', '-V', '-Y', 'frame.number == 3', PCAP])).out;
    expect(esc).toContain('                String value: line\\nbreak\\ttab "quoted" back\\slash / end\n');
    const words = (await runCli(['read', '-V', '-Y', 'frame.number == 6', PCAP])).out;
    expect(words).toContain(
      [
        '            Member: z',
        '                [Path with value: /z:null]',
        '                [Member with value: z:null]',
        '                Null value',
        '                Key: z',
        '                [Path: /z]',
        '            Member: list',
        '                Array',
        '                    [Path with value: /list/[]:true]',
        '                    [Member with value: []:true]',
        '                    True value',
        '                    [Path with value: /list/[]:false]',
        '                    [Member with value: []:false]',
        '                    False value',
      ].join('\n'),
    );
    const text = (await runCli(['read', '-V', '-Y', 'frame.number == 13', PCAP])).out;
    expect(text).toContain('Dropbox LAN sync Discovery Protocol\n    Text: {"host_int": 123, "version":\n');
  });
});

describe('DB-LSP-DISC / JSON: prefixes, random and mutated JSON, caps', () => {
  const reg = defaultRegistry();
  const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;
  const frameOf = (b: Uint8Array, origLen = b.length) => ({ index: 1, ts: 0n, tsPrecision: 6, linkType: 1, ifIndex: 0, data: b, origLen });
  const UDP_END = 42;
  /** A whole Ethernet/IPv4/UDP 17500 frame around `payload` (lengths set, checksums zero). */
  const withPayload = (payload: Uint8Array) => {
    const g = frames[0].data;
    const b = new Uint8Array(UDP_END + payload.length);
    b.set(g.subarray(0, UDP_END));
    b.set(payload, UDP_END);
    const ipLen = 20 + 8 + payload.length;
    b[16] = ipLen >> 8;
    b[17] = ipLen & 0xff;
    b[24] = b[25] = 0;
    b[38] = (8 + payload.length) >> 8;
    b[39] = (8 + payload.length) & 0xff;
    b[40] = b[41] = 0;
    return b;
  };
  const check = (b: Uint8Array, origLen = b.length) => {
    const pkt = new Dissection(reg).dissect(frameOf(b, origLen));
    expectClean(pkt);
    return pkt;
  };

  it('every prefix of each fixture datagram: no exception, no dissector failure, no JSON item for a cut text', () => {
    for (let fi = 0; fi < 12; fi++) {
      const whole = frames[fi].data;
      expect(protosOf(check(whole))).toContain('db-lsp-disc');
      for (let n = 1; n < whole.length; n++) {
        const pkt = check(whole.slice(0, n), whole.length);
        const ps = protosOf(pkt);
        if (n > UDP_END) expect(ps, `frame ${fi + 1} prefix ${n}`).toContain('db-lsp-disc');
        // a JSON text cut before its end is never JSON (but frame 10 is JSON up to its trailing word, and frame 12
        // up to its trailing whitespace)
        if (fi !== 9 && fi !== 11) expect(ps, `frame ${fi + 1} prefix ${n}`).not.toContain('json');
      }
    }
  });

  it('random and mutated JSON texts (seeded, bounded): no exception, no dissector failure, JSON only where the reader takes it', () => {
    const rnd = mulberry32(0x17500);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    const gen = (depth: number): string => {
      const r = rnd();
      if (depth > 4 || r < 0.4) return pick(['0', '-1.5e3', '"s"', '"a\\"b\\\\c\\u0041"', 'true', 'false', 'null', '""', '12345678901234567890']);
      if (r < 0.7) return `[${Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1)).join(', ')}]`;
      return `{${Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => `"k${i}": ${gen(depth + 1)}`).join(', ')}}`;
    };
    let jsonCount = 0;
    for (let i = 0; i < 1500; i++) {
      const text = enc(`{"r": ${gen(0)}}`);
      const mut = text.slice();
      if (i % 2 === 1) for (let k = 0, n = 1 + Math.floor(rnd() * 4); k < n; k++) mut[Math.floor(rnd() * mut.length)] = Math.floor(rnd() * 256);
      const valid = readJson(mut, 0, mut.length, true).ok;
      if (i % 2 === 0) expect(valid, new TextDecoder().decode(text)).toBe(true);
      // what JSON.parse takes (printable ASCII, object or array at the top) the reader takes too, and the other
      // way round (the reader, like tshark, also takes control characters in strings: JSON.parse does not)
      const ascii = mut.every((c) => c >= 0x20 && c < 0x7f);
      let parsed = false;
      try {
        JSON.parse(new TextDecoder().decode(mut));
        parsed = true;
      } catch {
        parsed = false;
      }
      if (ascii && (mut[0] === 0x7b || mut[0] === 0x5b)) expect(valid, new TextDecoder().decode(mut)).toBe(parsed);
      const ps = protosOf(check(withPayload(mut)));
      expect(ps.includes('json')).toBe(valid);
      if (valid) jsonCount++;
    }
    expect(jsonCount).toBeGreaterThan(750);
    for (let i = 0; i < 500; i++) {
      const b = new Uint8Array(Math.floor(rnd() * 200));
      for (let k = 0; k < b.length; k++) b[k] = pick([0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x3a, 0x2c, 0x5c, 0x20, 0x31, 0x65, 0x2d, 0x74, Math.floor(rnd() * 256)]);
      expect(() => readJson(b, 0, b.length)).not.toThrow();
      check(withPayload(b));
    }
  });

  it(`the depth cap (${MAX_DEPTH}) and the item cap (${MAX_ITEMS}): not JSON, and no deep recursion`, () => {
    const nest = (n: number) => enc('['.repeat(n) + ']'.repeat(n));
    expect(readJson(nest(MAX_DEPTH), 0, MAX_DEPTH * 2).ok).toBe(true);
    const deep = readJson(nest(MAX_DEPTH + 1), 0, (MAX_DEPTH + 1) * 2);
    expect(deep).toEqual({ ok: false, at: MAX_DEPTH, why: `nested deeper than ${MAX_DEPTH}` });
    const huge = nest(200_000);
    expect(readJson(huge, 0, huge.length).ok).toBe(false);
    const many = enc(`[${'0,'.repeat(MAX_ITEMS)}0]`);
    expect(readJson(many, 0, many.length)).toMatchObject({ ok: false, why: `more than ${MAX_ITEMS} values` });
    const fewer = enc(`[${'0,'.repeat(MAX_ITEMS - 2)}0]`);
    expect(readJson(fewer, 0, fewer.length).ok).toBe(true);
    // through the chain: a datagram nested too deep is Text, as any text the check refuses
    const pkt = check(withPayload(nest(MAX_DEPTH + 1)));
    expect(protosOf(pkt)).not.toContain('json');
    expect(rowParts(pkt.layers).protocol).toBe('DB-LSP-DISC');
    // bytes from 0x80 in a string: not JSON to DB-LSP-DISC's (jsmn's) check, JSON to the JSON dissector (HTTP)
    const hi = new Uint8Array([...enc('{"a": "caf'), 0xe9, ...enc('"}')]);
    expect(readJson(hi, 0, hi.length, true)).toMatchObject({ ok: false, why: 'a byte from 0x80 in a string' });
    const r = readJson(hi, 0, hi.length);
    expect(r.ok && r.root.children?.[0].children?.find((f) => f.key === 'json.value.string')?.show).toBe('caf\ufffd');
  });

  it('the JSON dissector marks text it cannot read malformed and shows no tree for it', () => {
    const ctx = { layers: [] } as unknown as DissectContext;
    const bad = enc('{"a": 1,}');
    const l = json.dissect(bad, 0, bad.length, ctx);
    expect(l.problems?.map((p) => `${p.kind}: ${p.message} @${p.start}`)).toEqual(['malformed: JSON: \'"\' expected @8']);
    expect(l.fields()).toEqual([]);
    const good = enc('[1]');
    const g = json.dissect(good, 0, good.length, ctx);
    expect(g.problems).toBeNull();
    expect(g.fields().map((f) => f.key)).toEqual(['json.array']);
  });
});
