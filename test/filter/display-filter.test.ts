// Display filters (-Y): the parser's errors, the semantics of each operator and value kind on the
// demo capture (expected frames: tshark 4.0.17 -Y on the same file, 2026-11-27), every capture of
// the corpus against fixtures/display-filter/expected.json (scripts/filter-expected.mjs, tshark), and
// the CLI: time columns of a filtered table and -c as tshark has them.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../dissectors/index.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { displayFilterFrom } from '../../src/cli/output-options.js';
import { UsageError } from '../../src/cli/errors.js';
import { openCapture } from '../../src/capture/open.js';
import { Dissection } from '../../src/dissect/chain.js';
import type { DisplayFilter } from '../../src/filter/display-filter.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { frameRanges } from '../../scripts/conformance-lib.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');

/** Compile filters the way `read -Y` does. */
function compile(src: string): { f: DisplayFilter; registry: ReturnType<typeof defaultRegistry> } {
  const registry = defaultRegistry();
  const f = displayFilterFrom({ displayFilter: src }, registry, defaultAnalyzers(registry))!;
  return { f, registry };
}

function errorOf(src: string): string {
  try {
    compile(src);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`"${src}" compiled`);
}

/** Frame numbers each filter passes in one pass over `file` with read's analyzers, as "1-3,7" strings. */
async function framesPassing(file: string, sources: readonly string[]): Promise<string[]> {
  const registry = defaultRegistry();
  const analyzers = defaultAnalyzers(registry);
  const filters = sources.map((s) => displayFilterFrom({ displayFilter: s }, registry, analyzers)!);
  const hits: number[][] = sources.map(() => []);
  const dis = new Dissection(registry);
  try {
    for await (const batch of await openCapture(file)) {
      for (const fr of batch) {
        const pkt = dis.dissect(fr);
        for (const a of analyzers) a.packet(pkt);
        for (let i = 0; i < filters.length; i++) if (filters[i].test(pkt)) hits[i].push(fr.index);
      }
    }
  } catch {
    // a damaged file: the frames before the damage count (tshark prints them too)
  }
  for (const a of analyzers) a.finish?.();
  return hits.map(frameRanges);
}

/** Each (filter, frames) case: the demo capture's frames the filter passes are tshark's. */
async function expectDemoFrames(cases: [string, string][]): Promise<void> {
  const got = await framesPassing(DEMO, cases.map((c) => c[0]));
  expect(cases.map((c, i) => [c[0], got[i]])).toEqual(cases);
}

describe('display filter: parsing', () => {
  it('rejects what tshark rejects, in one line that says what and where', () => {
    expect(errorOf('')).toMatch(/the filter is empty/);
    expect(errorOf('ip.srcc == 1')).toMatch(/"ip.srcc" \(position 1\) is neither a field nor a protocol name; did you mean .*ip\.src/);
    expect(errorOf('tcp.port = 80')).toMatch(/"=" at position 10: compare with ==/);
    expect(errorOf('tcp.port == 80 ||')).toMatch(/ends where a field or protocol name was expected/);
    expect(errorOf('(tcp || udp')).toMatch(/missing "\)" at the end/);
    expect(errorOf('http.host == "x')).toMatch(/unterminated string starting at position 14/);
    expect(errorOf('tcp.port in {80 8080}')).toMatch(/"8080" at position 17: set members are separated by commas/);
    expect(errorOf('http.host matches "("')).toMatch(/bad regular expression/);
    expect(errorOf('tcp tcp')).toMatch(/"tcp" at position 5 was not expected here/);
    for (const m of ['ip.srcc == 1', 'tcp.port = 80', '']) expect(errorOf(m)).toMatch(/^bad display filter \(-Y\) "/);
    expect(errorOf('tcp.port = 80')).not.toMatch(/\n/);
  });

  it('knows protocols, fields, analysis keys and the frame', () => {
    for (const s of ['tcp', 'frame', 'eth', 'http', 'dns', 'tcp.stream == 0', 'tcp.analysis.retransmission', 'frame.number < 5', 'http.request.line contains "Host"', 'dns.time > 0']) {
      expect(compile(s).f.names.length, s).toBeGreaterThan(0);
    }
    expect(compile('ip.src == ip.dst && tcp').f.names).toEqual(['ip.src', 'ip.dst', 'tcp']);
  });
});

describe('display filter: semantics (demo capture; frames as tshark 4.0.17 -Y gives them)', () => {
  // [filter, frames tshark passes] — run with `tshark -n -r fixtures/demo.pcapng -Y F -T fields -e frame.number`
  const cases: [string, string][] = [
    ['tcp', '7-52'],
    ['ip.addr != 127.0.0.1', ''], // every IP packet has 127.0.0.1 on one side: "all differ" is false
    ['ip.addr ~= 127.0.0.1', '1-56'],
    ['!(ip.addr == 127.0.0.1)', ''],
    ['arp || icmp', '53-56'],
    ['tcp.flags.syn == 1', '7-8,51'],
    ['tcp.flags.syn == True', '7-8,51'],
    ['tcp.flags.syn == 2', '7-8,51'], // a boolean field: any non-zero is true
    ['tcp.flags.syn', '7-52'], // present (set or not) in every TCP header
    ['http.request.method == GET', '10,14,45'],
    ['http.request.method == "get"', ''], // == is exact
    ['http.request.method matches "get"', '10,14,45'], // matches ignores case …
    ['http.request.method matches "(?-i)get"', ''], // … unless told not to
    ['frame contains "HTTP"', '10,12,14-15,45-46'],
    ['tcp contains "HTTP"', '10,12,14-15,45-46'],
    ['tcp.payload contains 48:54:54:50', '10,12,14-15,45-46'],
    ['ip.addr == 127.0.0.0/8', '1-56'],
    ['tcp.port in {80, 8080}', '7-50'],
    ['tcp.port in {1..100}', '7-52'],
    ['dns.qry.name == demo.example', '1-4'],
    ['udp.dstport == 0x35', '1,3,5'],
    ['tcp.flags == 0x012', '8'],
    ['tcp.srcport > 1000 && tcp.srcport < 60000', '7,9-10,13-14,20-24,30-34,40-45,47-48,50-51'],
    ['frame.len >= 1000', '15-19,25-29,35-38'],
    ['tcp.stream eq 1', '51-52'],
    ['eth.type == 0x0800 and !tcp and !udp', '53-56'],
    ['dns.flags.response == 0', '1,3,5'],
    ['tcp.analysis.ack_rtt > 0.0001', '15,46,49'],
    ['http.request.uri == "/"', '10'],
    ['http.response.code >= 400', '46'],
    ['http', '10,12,14,39,45-46'],
    ['dns.a == 127.0.0.1', '2'],
    ['tcp.window_size_value == 0', '52'],
    ['icmp.type == 8', '53,55'],
    ['ip.src == ip.dst', ''],
    ['not ip', ''],
    ['frame.number <= 3', '1-3'],
    ['eth.addr == 00:00:00:00:00:00', '1-56'],
    ['eth.addr == 00-00-00-00-00-00', '1-56'],
    ['eth.src == 0000.0000.0000', '1-56'],
    ['eth.dst == 00:00:00:00:00:01', ''],
    ['ip.dst == 127.0.0.1/32 and udp', '1,3,5'],
  ];
  it('passes exactly the frames tshark passes', () => expectDemoFrames(cases));
});

describe('display filter: slices and functions (demo capture; frames as tshark 4.0.17 -Y gives them)', () => {
  const cases: [string, string][] = [
    ['eth.src[0:3] == 00:00:00', '1-56'],
    ['ip.src[0] == 7f', '1-56'],
    ['ip.src[3] == 02', '1,3,5,7,9-10,13-14,20-24,30-34,40-45,47-48,50-51,53,55'],
    ['ip.src[-1] == 01', '2,4,6,8,11-12,15-19,25-29,35-39,46,49,52,54,56'],
    ['ip.src[-1:1] == 01', '2,4,6,8,11-12,15-19,25-29,35-39,46,49,52,54,56'],
    ['ip.src[2-3] == 00:01', '2,4,6,8,11-12,15-19,25-29,35-39,46,49,52,54,56'],
    ['ip.src[1:2,3] == 00:00:01', '2,4,6,8,11-12,15-19,25-29,35-39,46,49,52,54,56'],
    ['ip.src[0:1] == 127', ''],
    ['ip.src[0] == ip.dst[0]', '1-56'],
    ['eth.src[1-2] == 00-00', '1-56'],
    ['eth.src[5:3] == 00', ''],
    ['eth.src[4:]', '1-56'],
    ['frame[0:2] == 00:00', '1-56'],
    ['tcp.payload[0:4] == 47:45:54:20', '10,14,45'],
    ['tcp.payload[0:3] == "GET"', '10,14,45'],
    ['tcp.payload == "GET"', ''],
    ['tcp.payload[-2:] == 0d:0a', '10,12,14,39,45-46'],
    ['tcp.payload[0:2,4] == 47:45:20', ''],
    ['dns.qry.name[0:4] == "demo"', '1-4'],
    ['http.request.uri[0:1] == "/"', '10,14,45'],
    ['len(dns.qry.name) == 12', '1-4'],
    ['len(dns.qry.name) == len(dns.resp.name)', '2,4'],
    ['len(tcp.srcport) == 2', '7-52'],
    ['len(ip.src) == 4', '1-56'],
    ['len(eth.src) == 6', '1-56'],
    ['len(tcp) > 20', '7-51'],
    ['len(frame) == 98', '53-56'],
    ['frame.len > 100 && len(tcp.payload) > 0', '10,12,14-19,25-29,35-39,45-46'],
    ['count(dns.a) == 1', '2'],
    ['count(dns.a) == 0', ''],
    ['count(ip.addr) == 2', '1-56'],
    ['lower(http.host) contains "127"', '10,14,45'],
    ['upper(dns.qry.name) == "DEMO.EXAMPLE"', '1-4'],
    ['lower(http.request.method) == "get"', '10,14,45'],
    ['string(tcp.srcport) matches "^80$"', '8,11-12,15-19,25-29,35-39,46,49'],
    ['string(ip.src) == "127.0.0.1"', '2,4,6,8,11-12,15-19,25-29,35-39,46,49,52,54,56'],
    ['string(frame.len) == "98"', '53-56'],
    ['max(tcp.srcport, tcp.dstport) == 80', ''],
    ['min(tcp.srcport, tcp.dstport) < 1024', '7-52'],
    ['max(frame.len) > 1000', '15-19,25-29,35-38'],
    ['abs(ip.ttl) == 64', '1-56'],
    // the layer operator (nested layers are in the corpus filters: ICMP errors, tunnels)
    ['ip#1', '1-56'],
    ['ip#2', ''],
    ['tcp.port#[-1] == 80', '7-50'],
    ['ip.src#1 == 127.0.0.2 && udp', '1,3,5'],
    ['dns.qry.name#1[0:4] == "demo"', '1-4'],
    // arithmetic
    ['frame.len - 14 == ip.len', '1-56'],
    ['frame.len == ip.len + 14', '1-56'],
    ['tcp.srcport * 2 == 160', '8,11-12,15-19,25-29,35-39,46,49'],
    ['tcp.srcport / 2 == 40', '8,11-12,15-19,25-29,35-39,46,49,52'],
    ['tcp.srcport % 7 == 3', '8,11-12,15-19,25-29,35-39,46,49'],
    ['{tcp.srcport + 1} * 2 == 162', '8,11-12,15-19,25-29,35-39,46,49'],
    ['-ip.ttl == -64', '1-56'],
    ['ip.len - frame.len == -14', '1-56'],
    ['tcp.srcport / 0 == 1', ''],
    ['tcp.port + tcp.port == 43643', '7-50'],
    ['tcp.srcport + 1 > tcp.dstport', '7,9-10,13-14,20-24,30-34,40-45,47-48,50-51'],
    ['tcp.len - 1 == -1', '7-9,11,13,20-24,30-34,40-44,47-52'],
    ['ip.ttl == 2 * {30 + 2}', '1-56'],
    ['ip.ttl - 1 * 2 == 62', '1-56'],
    ['tcp.srcport + 1', '7-52'],
  ];
  it('passes exactly the frames tshark passes', () => expectDemoFrames(cases));

  it('says what is wrong with a slice or a function call', () => {
    expect(errorOf('eth.src[0:0] == 00')).toMatch(/slice "0:0" at position 9 has length 0/);
    expect(errorOf('eth.src[a] == 00')).toMatch(/bad slice "a" at position 9: write \[start:length\]/);
    expect(errorOf('eth.src[0:3 == 00')).toMatch(/missing "\]"/);
    expect(errorOf('foo(ip.src)')).toMatch(/unknown function foo\(\) at position 1; there are len, count/);
    expect(errorOf('len(ip.src, ip.dst) == 4')).toMatch(/len\(\) takes one field, not 2/);
    expect(errorOf('len("x") == 1')).toMatch(/len\(\) takes fields/);
    expect(errorOf('len(ip.srcc) == 4')).toMatch(/"ip.srcc" \(position 5\) is neither a field nor a protocol name/);
    expect(errorOf('ip.addr # 2 == 1.2.3.4')).toMatch(/"#" at position 9 takes a layer number or \[range\] right after it, as in ip.addr#2 or ip.addr#\[1-2\]/);
    expect(errorOf('ip.addr#x == 1.2.3.4')).toMatch(/"#" at position 8 takes a layer number/);
    expect(errorOf('ip.addr#[1:0] == 1.2.3.4')).toMatch(/slice "1:0" at position 10 has length 0/);
    // tshark 4.0.17 refuses these start-end ranges too ("Range 1-1 isn't valid because 1 is greater or equal than 1")
    expect(errorOf('frame[1-1] == 00')).toMatch(/range "1-1" at position 7: 1 is not before 1/);
    expect(errorOf('frame[-1--3] == 00')).toMatch(/range "-1--3" at position 7: -1 is not before -3/);
    expect(errorOf('frame[-1-2] == 00')).toMatch(/range "-1-2" at position 7: -1 and 2 have different signs/);
    expect(errorOf('ip.src#[0-0]')).toMatch(/range "0-0" at position 9: 0 is not before 0/);
    expect(errorOf('ip.src#[1--1]')).toMatch(/range "1--1" at position 9: 1 and -1 have different signs/);
    expect(errorOf('{ip.ttl + 1 == 65')).toMatch(/missing "}" at position 13/);
    expect(errorOf('ip.ttl + == 65')).toMatch(/"==" at position 10: expected a field or number/);
    expect(errorOf('ip.ttl * nope == 65')).toMatch(/"nope" \(position 10\) is neither a field nor a protocol name/);
  });
});

const EXPECTED = join(ROOT, 'fixtures', 'display-filter', 'expected.json');
const exp = existsSync(EXPECTED) ? (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { filters: string[]; files: Record<string, (string | null)[]> }) : null;
/** Where wiretrace and tshark differ on purpose or for a reason outside the filter: each with why. */
interface Difference {
  file: string;
  filter: string;
  tshark: string;
  wiretrace: string;
  why: string;
}
const DIFFERENCES = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'display-filter', 'differences.json'), 'utf8')) as Difference[];

describe('display filter: every corpus capture = tshark (fixtures/display-filter/expected.json)', () => {
  it('has the expectations and the corpus', () => {
    expect(exp).not.toBeNull();
    expect(Object.keys(exp!.files).length).toBeGreaterThan(100);
    expect(existsSync(CORPUS_DIR)).toBe(true);
  });
  const passing = new Map<string, number>();
  for (const file of Object.keys(exp?.files ?? {})) {
    it(file, async () => {
      const want = exp!.files[file];
      const got = await framesPassing(join(CORPUS_DIR, file), exp!.filters);
      const diff = exp!.filters.flatMap((f, i) => (want[i] === null || want[i] === got[i] ? [] : [{ filter: f, tshark: want[i], wiretrace: got[i] }]));
      // exactly the listed differences: a new one fails, and so does a listed one that went away
      const listed = DIFFERENCES.filter((d) => d.file === file).map((d) => ({ filter: d.filter, tshark: d.tshark, wiretrace: d.wiretrace }));
      expect(diff).toEqual(listed);
      exp!.filters.forEach((f, i) => {
        if (want[i]) passing.set(f, (passing.get(f) ?? 0) + 1);
      });
    });
  }
  it('every listed difference says why', () => {
    for (const d of DIFFERENCES) expect(d.why.length, `${d.file} ${d.filter}`).toBeGreaterThan(40);
  });

  it('every filter passes some frames somewhere (the expectations test something)', () => {
    for (const f of exp!.filters) expect(passing.get(f) ?? 0, f).toBeGreaterThan(0);
  });
});

describe('display filter: the CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('times of a filtered table as tshark: r from the first packet read, d from the previous read, dd from the previous shown', () => {
    const lines = (t: string) => run(['read', '-Y', 'tcp.stream==1', '-t', t, DEMO]).stdout;
    // tshark -n -r demo.pcapng -Y tcp.stream==1 -t r|d|dd
    expect(lines('r')).toBe(
      '   51 0.391357331    127.0.0.2 → 127.0.0.1    TCP 74 45165 → 81 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2778291541 TSecr=0 WS=1024\n' +
        '   52 0.391369555    127.0.0.1 → 127.0.0.2    TCP 54 81 → 45165 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0\n',
    );
    expect(lines('d').split('\n').map((l) => l.slice(6, 17))).toEqual(['0.102702031', '0.000012224', '']);
    expect(lines('dd').split('\n').map((l) => l.slice(6, 17))).toEqual(['0.000000000', '0.000012224', '']);
    const col = run(['read', '-Y', 'tcp.stream==1', '-T', 'fields', '-e', '_ws.col.Time', '-t', 'dd', DEMO]);
    expect(col.stdout).toBe('0.000000000\n0.000012224\n');
  });

  it('-c counts packets read, not shown (tshark: -c 5 -Y tcp shows nothing here)', () => {
    expect(run(['read', '-c', '5', '-Y', 'tcp', DEMO]).stdout).toBe('');
    expect(run(['read', '-c', '8', '-Y', 'tcp', '-T', 'fields', '-e', 'frame.number', DEMO]).stdout).toBe('7\n8\n');
  });

  it('a bad filter: one line on stderr, exit 2, no output', () => {
    const r = run(['read', '-Y', 'tcp.prot == 80', DEMO]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wiretrace: bad display filter \(-Y\) "tcp.prot == 80": "tcp.prot" \(position 1\) is neither a field nor a protocol name; did you mean .*tcp\.port/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('every output format takes -Y', () => {
    expect(run(['read', '-Y', 'icmp.type == 8', '-T', 'json', DEMO]).stdout.match(/"number":/g)).toHaveLength(2);
    expect(run(['read', '-Y', 'icmp.type == 8', '-T', 'ndjson', DEMO]).stdout.trim().split('\n')).toHaveLength(2);
    expect(run(['read', '-Y', 'icmp.type == 8', '-V', DEMO]).stdout).toMatch(/Echo \(ping\) request/);
  });
});
