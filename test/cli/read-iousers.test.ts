// `wiretrace read FILE -q -z conv,TYPE -z endpoints,TYPE` against tshark 4.0.17's conversation and
// endpoint tables (fixtures/iousers/*.txt, written by scripts/iousers-expected.sh): byte for byte.
// Each capture exercises one rule of tshark's taps (see src/analysis/iousers.ts): quoted headers of an
// ICMP error not counted, every IPv4 fragment counted but an IPv6 datagram once, UDP's destination
// after an IPv6 routing header, no TCP row for a bogus data offset, no IPv6 row when its extension
// headers are cut, tunnels (Teredo) in both tables, VLAN and Linux cooked captures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSize } from '../../src/analysis/iousers.js';
import { runCli } from '../helpers/cli.js';
import { corpusCapture } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'iousers');
const ALL = ['eth', 'ip', 'ipv6', 'tcp', 'udp'].flatMap((t) => ['-z', `conv,${t}`, '-z', `endpoints,${t}`]);

const capture = corpusCapture;

describe('read -z conv,TYPE -z endpoints,TYPE equals tshark', () => {
  const files = readdirSync(FIX).filter((f) => f.endsWith('.txt') && f !== 'demo-filtered.txt').sort();
  it('has the expected outputs', () => expect(files.length).toBe(11));
  for (const f of files) {
    const name = f.slice(0, -4);
    it(name, async () => {
      const r = await runCli(['read', capture(name), '-q', ...ALL]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(FIX, f), 'utf8'));
    });
  }

  it('with tap filters (the tables count only the packets their filter passes; -Y narrows none)', async () => {
    const args = ['-z', 'conv,tcp,http.request', '-z', 'endpoints,ip,tcp || icmp', '-z', 'conv,udp,dns.flags.response == 1'];
    const expected = readFileSync(join(FIX, 'demo-filtered.txt'), 'utf8');
    expect((await runCli(['read', join(ROOT, 'fixtures', 'demo.pcapng'), '-q', ...args])).out).toBe(expected);
    expect((await runCli(['read', join(ROOT, 'fixtures', 'demo.pcapng'), '-q', '-Y', 'arp', ...args])).out).toBe(expected);
  });
});

describe('read -z conv and endpoints on the command line', () => {
  const demo = join(ROOT, 'fixtures', 'demo.pcapng');

  it('the last -z prints first, phs among them (as tshark)', async () => {
    const r = await runCli(['read', demo, '-q', '-z', 'conv,eth', '-z', 'io,phs', '-z', 'endpoints,ip']);
    expect(r.code).toBe(0);
    const titles = r.out.split('\n').filter((l) => /Endpoints|Conversations|Hierarchy/.test(l));
    expect(titles).toEqual(['IPv4 Endpoints', 'Protocol Hierarchy Statistics', 'Ethernet Conversations']);
  });

  it('the demo capture, as tshark 4.0.17 prints it', async () => {
    const r = await runCli(['read', demo, '-q', '-z', 'conv,tcp', '-z', 'endpoints,udp']);
    const rule = '='.repeat(80);
    expect(r.out).toBe(
      [
        rule,
        'UDP Endpoints',
        'Filter:<No Filter>',
        '                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |',
        '127.0.0.1                    53          6           482          3             263           3             219   ',
        '127.0.0.2                 56684          2           160          1              72           1              88   ',
        '127.0.0.2                 57628          2           172          1              72           1             100   ',
        '127.0.0.2                 36009          2           150          1              75           1              75   ',
        rule,
        rule,
        'TCP Conversations',
        'Filter:<No Filter>',
        '                                                           |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |',
        '                                                           | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |',
        '127.0.0.2:43563            <-> 127.0.0.1:80                    20 22 kB          24 1880 bytes      44 24 kB         0.043598058         0.2451',
        '127.0.0.2:45165            <-> 127.0.0.1:81                     1 54 bytes        1 74 bytes        2 128 bytes     0.391357331         0.0000',
        rule,
        '',
      ].join('\n'),
    );
  });

  it('bad -z values are one-line usage errors', async () => {
    expect(await runCli(['read', demo, '-z', 'conv,wlan'])).toEqual({ code: 2, out: 'wiretrace: bad -z conv,wlan: conv,TYPE takes TYPE eth, ip, ipv6, tcp, udp\n' });
    expect((await runCli(['read', demo, '-z', 'endpoints,ipx,udp'])).out).toBe('wiretrace: bad -z endpoints,ipx,udp: endpoints,TYPE takes TYPE eth, ip, ipv6, tcp, udp\n');
    const bad = await runCli(['read', demo, '-z', 'endpoints,tcp,tcp.port ==']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^wiretrace: bad display filter \(-z endpoints,tcp\) "tcp.port ==": /);
  });
});

describe('formatSize (Wireshark format_size, SI, bytes)', () => {
  it('whole units once the number reaches 10', () => {
    expect([0, 9999, 10000, 24907, 999_999, 9_999_999, 10_000_000, 140_123_456, 9_999_999_999, 12_000_000_000, 10e12].map(formatSize)).toEqual([
      '0 bytes', '9999 bytes', '10 kB', '24 kB', '999 kB', '9999 kB', '10 MB', '140 MB', '9999 MB', '12 GB', '10 TB',
    ]);
  });
});
