// `wiretrace read FILE -q -z http,tree -z http_req,tree -z http_srv,tree -z dns,tree -z plen,tree -z
// ptype,tree` against tshark 4.0.17's stats_tree text (fixtures/stats-tree/*.txt, written by
// scripts/stats-tree-expected.sh): byte for byte. Each capture exercises one rule of which tap calls
// tshark makes (see src/analysis/stats-trees.ts); the demo capture also with tap filters, and with a
// filter no packet passes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cFixed, MAX_NODES, StatsTree } from '../../src/analysis/stats-tree.js';
import { runCli } from '../helpers/cli.js';
import { corpusCapture } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'stats-tree');
const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');
const ALL = ['http', 'http_req', 'http_srv', 'dns', 'plen', 'ptype'].flatMap((t) => ['-z', `${t},tree`]);

const capture = (name: string): string => (name === 'demo' ? DEMO : corpusCapture(name));

describe('read -z NAME,tree equals tshark', () => {
  const files = readdirSync(FIX).filter((f) => f.endsWith('.txt') && !f.startsWith('demo-')).sort();
  it('has the expected outputs', () => expect(files.length).toBe(16));
  for (const f of files) {
    const name = f.slice(0, -4);
    it(name, async () => {
      const r = await runCli(['read', capture(name), '-q', ...ALL]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(FIX, f), 'utf8'));
    });
  }

  it('with tap filters (each tree counts only the packets its filter passes; -Y narrows none)', async () => {
    const args = ['-z', 'http,tree,http.response.code == 200', '-z', 'dns,tree,dns.flags.response == 1', '-z', 'plen,tree,tcp.port == 80', '-z', 'ptype,tree,frame.number > 20'];
    const expected = readFileSync(join(FIX, 'demo-filtered.txt'), 'utf8');
    expect(expected).toContain(' 200 OK               2 ');
    expect((await runCli(['read', DEMO, '-q', ...args])).out).toBe(expected);
    expect((await runCli(['read', DEMO, '-q', '-Y', 'arp', ...args])).out).toBe(expected);
  });

  it('with a filter no packet passes: the empty trees, no rates', async () => {
    const r = await runCli(['read', DEMO, '-q', '-z', 'http_srv,tree,arp', '-z', 'dns,tree,arp']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(join(FIX, 'demo-none.txt'), 'utf8'));
    expect(r.out).toContain('Total Packets                  0                                                                     100%          -             -            \n');
  });
});

describe('read -z NAME,tree on the command line', () => {
  it('the HTTP packet counter of the demo capture, as tshark 4.0.17 prints it', async () => {
    const r = await runCli(['read', DEMO, '-q', '-z', 'http,tree']);
    const rule = '='.repeat(135);
    const dash = '-'.repeat(135);
    expect(r.out).toBe(
      [
        '',
        rule,
        'HTTP/Packet Counter:',
        'Topic / Item            Count         Average       Min Val       Max Val       Rate (ms)     Percent       Burst Rate    Burst Start  ',
        dash,
        'Total HTTP Packets      6                                                       0.0392        100%          0.0400        0.062        ',
        ' HTTP Response Packets  3                                                       0.0196        50.00%        0.0200        0.085        ',
        '  2xx: Success          2                                                       0.0131        66.67%        0.0200        0.085        ',
        '   200 OK               2                                                       0.0131        100.00%       0.0200        0.085        ',
        '  4xx: Client Error     1                                                       0.0065        33.33%        0.0100        0.215        ',
        '   404 Not Found        1                                                       0.0065        100.00%       0.0100        0.215        ',
        '  ???: broken           0                                                       0.0000        0.00%         -             -            ',
        '  5xx: Server Error     0                                                       0.0000        0.00%         -             -            ',
        '  3xx: Redirection      0                                                       0.0000        0.00%         -             -            ',
        '  1xx: Informational    0                                                       0.0000        0.00%         -             -            ',
        ' HTTP Request Packets   3                                                       0.0196        50.00%        0.0200        0.062        ',
        '  GET                   3                                                       0.0196        100.00%       0.0200        0.062        ',
        ' Other HTTP Packets     0                                                       0.0000        0.00%         -             -            ',
        '',
        dash,
        '',
      ].join('\n'),
    );
  });

  it('packets are printed first without -q, the statistics after them', async () => {
    const r = await runCli(['read', DEMO, '-z', 'plen,tree']);
    expect(r.code).toBe(0);
    const at = r.out.indexOf('Packet Lengths:');
    expect(at).toBeGreaterThan(0);
    expect(r.out.slice(0, at).split('\n').length).toBeGreaterThan(56);
  });

  it('bad -z values are one-line usage errors', async () => {
    expect(await runCli(['read', DEMO, '-z', 'smb,tree'])).toEqual({
      code: 2,
      out: 'wiretrace: bad -z smb,tree: read knows the trees http,tree, http_req,tree, http_srv,tree, dns,tree, plen,tree, ptype,tree\n',
    });
    const bad = await runCli(['read', DEMO, '-q', '-z', 'dns,tree,dns.id ==']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^wiretrace: bad display filter \(-z dns,tree\) "dns.id ==": [^\n]*\n$/);
    const other = await runCli(['read', DEMO, '-q', '-z', 'http,treex']);
    expect(other.code).toBe(2);
    expect(other.out).toMatch(/^wiretrace: bad -z http,treex: read knows [^\n]*NAME,tree\[,FILTER\] \(NAME http, http_req, http_srv, dns, plen, ptype\)\n$/);
  });
});

describe('stats_tree internals', () => {
  it("cFixed rounds as glibc's printf: the exact binary value, a tie to even", () => {
    expect([0.125, 0.375, 2.5, 0.045, 1.005, 1e-7, 0.0392156862745098].map((x) => cFixed(x, 2))).toEqual(['0.12', '0.38', '2.50', '0.04', '1.00', '0.00', '0.04']);
    expect(cFixed(2.5, 0)).toBe('2');
    expect(cFixed(3.5, 0)).toBe('4');
    expect(cFixed(0.0625, 3)).toBe('0.062');
    expect(cFixed(-0.125, 2)).toBe('-0.12');
    expect(cFixed(13.588752, 6)).toBe('13.588752');
  });

  it("a burst counts from tshark's dummy first bucket (start 0) until it leaves the 100 ms window", () => {
    const st = new StatsTree('T');
    st.createNode('x', 0, false);
    st.tap(50);
    st.tick('x', 0, false);
    expect(st.text()).toMatch(/x  +1 .* 0\.0100 +0\.000 +\n/);
    st.tap(130);
    st.tick('x', 0, false);
    // bucket 26 drops bucket 0 (26 >= 0 + 20): the window now starts at 50 ms
    expect(st.text()).toMatch(/x  +2 .* 0\.0200 +0\.050 +\n/);
  });

  it(`keeps at most ${MAX_NODES} rows and says how many ticks it dropped`, () => {
    const st = new StatsTree('T/Many');
    const top = st.createNode('all', 0, true);
    for (let i = 0; i < MAX_NODES + 5; i++) {
      st.tap(i);
      st.tick('all', 0, false);
      st.tick(`host${i}`, top, true);
    }
    const text = st.text();
    expect(text).toMatch(new RegExp(`^all +${MAX_NODES + 5} `, 'm'));
    expect(text.split('\n').filter((l) => l.startsWith(' host')).length).toBe(MAX_NODES - 1);
    expect(text).toContain('(wiretrace: 6 ticks of rows beyond the limit of 10000 rows per tree are not shown)\n');
  });
});
