// `wiretrace read FILE -q -z follow,tcp,ascii|hex|raw,STREAM` (or ADDRESS:PORT,ADDRESS:PORT) against
// tshark 4.0.17's follow output (fixtures/follow/*.txt, written by scripts/follow-expected.sh): byte for
// byte — each direction's payload in order, node 1 indented by a tab; in ascii a tab shows as a dot,
// hex offsets are upper case and a short line keeps its spaces; no such stream gives empty nodes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'follow');
const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');

// scripts/follow-expected.sh
const CASES: [string, string, string, string][] = [
  ['demo-ascii-0', DEMO, 'ascii', '0'],
  ['demo-hex-0', DEMO, 'hex', '0'],
  ['demo-raw-tuple', DEMO, 'raw', '127.0.0.2:45165,127.0.0.1:81'],
  ['demo-none', DEMO, 'ascii', '9'],
  ['raw12-ipv6-ascii-0', join(CORPUS_DIR, 'raw12-ipv6-http-4streams.pcap'), 'ascii', '0'],
  ['vlan-http-hex-0', join(CORPUS_DIR, 'vlan-http-get.pcap'), 'hex', '0'],
];

describe('read -z follow,tcp equals tshark -z follow,tcp', () => {
  for (const [name, cap, mode, which] of CASES) {
    it(name, async () => {
      const r = await runCli(['read', cap, '-q', '-z', `follow,tcp,${mode},${which}`]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(FIX, `${name}.txt`), 'utf8'));
    });
  }

  it('after the packets, and the last -z first (as tshark)', async () => {
    const r = await runCli(['read', DEMO, '-c', '1', '-z', 'follow,tcp,raw,1', '-z', 'conv,tcp']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^ {4}1 .* DNS 72 Standard query 0x/);
    // -c 1 reads only the DNS query: no TCP conversation and no stream 1 yet
    expect(lines.slice(1, 4)).toEqual(['='.repeat(80), 'TCP Conversations', 'Filter:<No Filter>']);
    expect(r.out).toContain('Filter: tcp.stream eq 1\nNode 0: :0\nNode 1: :0\n');
  });

  it('bad follow values are one-line usage errors', async () => {
    expect(await runCli(['read', DEMO, '-z', 'follow,udp,ascii,0'])).toEqual({ code: 2, out: 'wiretrace: bad -z follow,udp,ascii,0: read follows tcp streams (follow,tcp,MODE,STREAM)\n' });
    expect(await runCli(['read', DEMO, '-z', 'follow,tcp,yaml,0'])).toEqual({ code: 2, out: 'wiretrace: bad -z follow,tcp,yaml,0: the mode is ascii, hex or raw\n' });
    expect(await runCli(['read', DEMO, '-z', 'follow,tcp,ascii,x'])).toEqual({
      code: 2,
      out: 'wiretrace: bad -z follow,tcp,ascii,x: the stream is a tcp.stream index or ADDRESS:PORT,ADDRESS:PORT\n',
    });
  });
});
