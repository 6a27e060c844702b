// `wiretrace read FILE -q -z io,stat,INTERVAL[,COLUMN]…` against tshark 4.0.17's IO statistics
// (fixtures/iostat/NAME.txt, written by scripts/iostat-expected.sh from fixtures/iostat/cases.tsv):
// byte for byte. The cases cover interval 0, fractional intervals, durations under 10 s, over 10 s and
// over 1000 s, filter and calculated columns, an empty capture, a filter that matches nothing, and
// synthetic captures (scripts/iostat-fixture.mjs) for frames out of time order and durations that round
// up to one more digit. Then the command line: -Y, errors, the cap on intervals.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../dissectors/index.js';
import { FTYPES } from '../../src/analysis/iostat-ftypes.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { knownFieldKeys } from '../../src/cli/output-options.js';
import { COLUMN_KEYS } from '../../src/output/fields.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'iostat');
const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');

function capture(name: string): string {
  if (existsSync(join(ROOT, name))) return join(ROOT, name);
  for (const ext of ['.pcap', '.pcapng']) if (existsSync(join(CORPUS_DIR, name + ext))) return join(CORPUS_DIR, name + ext);
  throw new Error(`no capture ${name} in ${CORPUS_DIR}`);
}

const CASES = readFileSync(join(FIX, 'cases.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name, file, z, what] = l.split('\t');
    return { name, file, z, what };
  });

describe('read -z io,stat equals tshark', () => {
  it('has the expected outputs', () => expect(CASES.length).toBe(23));
  for (const c of CASES) {
    it(`${c.name}: ${c.what}`, async () => {
      const expected = readFileSync(join(FIX, `${c.name}.txt`), 'utf8');
      expect(expected).toContain('| IO Statistics');
      const r = await runCli(['read', capture(c.file), '-q', '-z', c.z]);
      expect(r.code).toBe(0);
      // a calculation no filter names prints a note on stderr (runCli collects both)
      expect(r.out.replace(/^wiretrace: note: .*\n/gm, '')).toBe(expected);
    });
  }
});

describe('read -z io,stat on the command line', () => {
  const demoColumns = readFileSync(join(FIX, 'demo-columns.txt'), 'utf8');
  const columns = 'io,stat,0.1,tcp,udp,ip.src==127.0.0.1,SUM(frame.len)frame.len && tcp';

  it('-Y narrows nothing (tshark\'s statistics see every frame read)', async () => {
    const r = await runCli(['read', DEMO, '-q', '-Y', 'arp', '-z', columns]);
    expect(r.out).toBe(demoColumns);
  });

  it('-Y names a field: a calculation on it counts (tshark keeps the values of the fields its filters read)', async () => {
    const unnamed = await runCli(['read', DEMO, '-q', '-z', 'io,stat,0,SUM(frame.len)']);
    expect(unnamed.out).toContain('wiretrace: note: -z io,stat,0,SUM(frame.len): no display filter names frame.len');
    expect(unnamed.out).toMatch(/\| 0\.000 <> 0\.887 \|   0 \|/);
    const named = await runCli(['read', DEMO, '-q', '-Y', 'frame.len', '-z', 'io,stat,0,SUM(frame.len)']);
    expect(named.out).not.toContain('note');
    // 25781 bytes in the demo capture (tshark: the Bytes of demo-whole.txt)
    expect(readFileSync(join(FIX, 'demo-whole.txt'), 'utf8')).toContain('|     56 | 25781 |');
    expect(named.out).toMatch(/\| 0\.000 <> 0\.887 \| 25781 \|/);
  });

  it('prints after the packets, and with other -z statistics the last one first (as tshark)', async () => {
    const r = await runCli(['read', DEMO, '-q', '-z', 'io,stat,0', '-z', 'io,phs']);
    expect(r.out.indexOf('Protocol Hierarchy')).toBeLessThan(r.out.indexOf('IO Statistics'));
    expect(r.out.endsWith(readFileSync(join(FIX, 'demo-whole.txt'), 'utf8'))).toBe(true);
    const p = await runCli(['read', DEMO, '-c', '2', '-z', 'io,stat,0']);
    expect(p.out.split('\n')[0]).toMatch(/^\s*1 /);
    expect(p.out).toContain('|      2 |');
  });

  it('interval 0 and an interval longer than the capture both give one row over the whole capture', async () => {
    const whole = readFileSync(join(FIX, 'demo-whole.txt'), 'utf8');
    expect((await runCli(['read', DEMO, '-q', '-z', 'io,stat,0'])).out).toBe(whole);
    expect((await runCli(['read', DEMO, '-q', '-z', 'io,stat,5'])).out).toBe(whole);
  });

  const bad: [string, RegExp][] = [
    ['io,stat', /the form is io,stat,INTERVAL/],
    ['io,stat,x', /the form is io,stat,INTERVAL/],
    ['io,stat,1,', /the form is io,stat,INTERVAL/],
    ['io,stat,1x', /the form is io,stat,INTERVAL/],
    ['io,stat,-1', /0 or more/],
    ['io,stat,0.0000001', /0\.000001 seconds or more/],
    ['io,stat,1,SUM(ip.src)ip.src', /ip\.src doesn't have integral values, so SUM\(\*\) calculations are not supported on it/],
    ['io,stat,1,AVG(tcp.flags.syn)', /doesn't have integral values, so AVG/],
    ['io,stat,1,LOAD(icmp.resptime)', /icmp\.resptime is a float field, so LOAD/],
    ['io,stat,1,LOAD(frame.len)frame.len', /LOAD\(\) is only supported for relative-time fields/],
    ['io,stat,1,SUM(foo.bar)', /there is no field named 'foo\.bar'/],
    ['io,stat,1,SUM(frame.len', /closing parenthesis is missing/],
    ['io,stat,1,COUNT()tcp', /you didn't specify a field name for COUNT/],
    ['io,stat,1,FRAMES(frame.len)', /FRAMES does not require or allow a field name/],
    ['io,stat,1,tcp.port in {80,81}', /bad display filter/],
    ['io,stat,1,SUM(ip.version)ip.version', /tshark's io,stat does not see the values of ip\.version/],
    ['io,stat,1,tcp.bogus == 1', /bad display filter/],
  ];
  for (const [z, msg] of bad) {
    it(`-z ${z}: one line, exit 2, no statistics`, async () => {
      const r = await runCli(['read', DEMO, '-q', '-z', z]);
      expect(r.code).toBe(2);
      expect(r.out).toMatch(msg);
      expect(r.out.trimEnd().split('\n')).toHaveLength(1);
      expect(r.out).not.toContain('IO Statistics');
    });
  }

  it('more intervals than the cap: one line, exit 2, and no other statistic printed', async () => {
    // dns-dynamic-update spans 28,464 s: 28 billion microsecond intervals (tshark tries, and runs out of memory)
    const r = await runCli(['read', capture('dns-dynamic-update'), '-q', '-z', 'io,phs', '-z', 'io,stat,0.000001']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^wiretrace: bad -z io,stat,0\.000001: 28,464,262,107 intervals of 0\.000001 s .* at most 5,000,000 cells/);
    expect(r.out.trimEnd().split('\n')).toHaveLength(1);
    // 28,478 one-second rows are fine (tshark prints them too)
    const ok = await runCli(['read', capture('dns-dynamic-update'), '-q', '-z', 'io,stat,1']);
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n')).toHaveLength(28479);
    expect(ok.out).toContain('| 28464 <> Dur   |      2 |   288 |');
  });

  it('knows tshark\'s type of every field key wiretrace has (rerun scripts/iostat-ftypes.mjs after adding fields)', () => {
    const registry = defaultRegistry();
    const typed = new Set(Object.values(FTYPES).flat());
    const missing = [...knownFieldKeys(registry, defaultAnalyzers(registry))].filter((k) => !typed.has(k) && !(COLUMN_KEYS as readonly string[]).includes(k));
    expect(missing).toEqual([]);
    expect(FTYPES.FT_RELATIVE_TIME).toContain('tcp.analysis.ack_rtt');
    expect(FTYPES.FT_UINT32).toContain('frame.len');
  });
});
