// `wiretrace read FILE -q -z io,phs[,FILTER]` against tshark 4.0.17's protocol hierarchy
// statistics (fixtures/phs/*.txt, written by scripts/phs-expected.sh): byte for byte. Each capture
// exercises one rule of tshark's tree (see src/analysis/phs.ts): no ethertype item, ICMP's echo data
// and quoted headers inside its item, WebSocket without an HTTP item, one igmp item, tcp.segments
// after the body and only for two segments or more, _ws.short, raw IP's "ip" before IPv6.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phsItems, ProtocolHierarchy } from '../../src/analysis/phs.js';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import { Dissection } from '../../src/dissect/chain.js';
import { defaultRegistry } from '../../dissectors/index.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_DIR, corpusCapture } from '../helpers/corpus.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'phs');
const FILTER = 'tcp.len > 0 || ip.src == 10.0.0.1'; // scripts/phs-expected.sh

const capture = corpusCapture;

describe('read -z io,phs equals tshark -q -z io,phs', () => {
  const files = readdirSync(FIX).filter((f) => f.endsWith('.txt')).sort();
  it('has the expected outputs', () => expect(files.length).toBe(13));
  for (const f of files) {
    const name = f.slice(0, -4);
    it(name, async () => {
      const filtered = name.endsWith('-filtered');
      const cap = capture(filtered ? name.slice(0, -'-filtered'.length) : name);
      const r = await runCli(['read', cap, '-q', '-z', filtered ? `io,phs,${FILTER}` : 'io,phs']);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(FIX, f), 'utf8'));
    });
  }
});

describe('read -z io,phs on the command line', () => {
  const cap = join(CORPUS_DIR, 'dns-caa.pcap');
  const stats = '\n' + '='.repeat(67) + '\nProtocol Hierarchy Statistics\nFilter: \n\n' +
    'eth                                      frames:2 bytes:171\n' +
    '  ip                                     frames:2 bytes:171\n' +
    '    udp                                  frames:2 bytes:171\n' +
    '      dns                                frames:2 bytes:171\n' + '='.repeat(67) + '\n';

  it('without -q the packets come first, then the statistics (as tshark)', async () => {
    const r = await runCli(['read', cap, '-z', 'io,phs']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      '    1   0.000000 192.168.17.58 \u2192 8.8.8.8      DNS 70 Standard query 0x355e CAA google.com\n' +
        '    2   0.014345      8.8.8.8 \u2192 192.168.17.58 DNS 101 Standard query response 0x355e CAA google.com CAA\n' + stats,
    );
  });

  it('-Y does not narrow the statistics (tshark taps see every packet)', async () => {
    expect((await runCli(['read', cap, '-q', '-Y', 'dns.flags.response == 1', '-z', 'io,phs'])).out).toBe(stats);
  });

  it('a damaged file: the statistics of what was read, then the error', async () => {
    const r = await runCli(['read', join(CORPUS_DIR, 'malformed-file-cut-short.pcap'), '-q', '-z', 'io,phs']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('frames:1 ');
    expect(r.out).toMatch(/={67}\nwiretrace: file .* is damaged at packet 2/);
  });

  it('bad -z values are one-line usage errors', async () => {
    expect(await runCli(['read', cap, '-z', 'rtp,streams'])).toEqual({
      code: 2,
      out: 'wiretrace: bad -z rtp,streams: read knows io,phs[,FILTER], io,stat,INTERVAL[,FILTER]…, conv,eth|ip|ipv6|tcp|udp[,FILTER], endpoints,eth|ip|ipv6|tcp|udp[,FILTER], follow,tcp,ascii|hex|raw,STREAM, expert[,LEVEL][,FILTER] and NAME,tree[,FILTER] (NAME http, http_req, http_srv, dns, plen, ptype)\n',
    });
    const bad = await runCli(['read', cap, '-z', 'io,phs,tcp.port ==']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^wiretrace: bad display filter \(-z io,phs\) "tcp.port ==": /);
  });

  it('items of a packet with comments start with pkt_comment', async () => {
    const p = parseCaptureBuffer(readFileSync(join(CORPUS_DIR, 'pcapng-eth-sll-comments.pcapng')));
    const pkt = new Dissection(defaultRegistry()).dissect(p.frames[59]);
    expect(phsItems(pkt)).toEqual(['pkt_comment', 'sll', 'ip', 'tcp']);
  });

  it('draws as tshark: siblings in first-seen order, "..." past 16 levels, lines cut at 79 characters', () => {
    const h = new ProtocolHierarchy('x');
    const deep = Array.from({ length: 18 }, (_, i) => `p${i}`);
    h.count(['b'], 10);
    h.count(deep, 5);
    h.count(['b', 'n'.repeat(90)], 7);
    const lines = h.text().split('\n');
    expect(lines.slice(0, 5)).toEqual(['', '='.repeat(67), 'Protocol Hierarchy Statistics', 'Filter: x', '']);
    expect(lines[5]).toBe('b                                        frames:2 bytes:17');
    expect(lines[6]).toBe('  ' + 'n'.repeat(77) + ' frames:1 bytes:7');
    expect(lines[7]).toBe('p0                                       frames:1 bytes:5');
    expect(lines[7 + 16]).toBe('  '.repeat(16) + 'p16      frames:1 bytes:5');
    expect(lines[7 + 17]).toBe('  '.repeat(16) + '...p17   frames:1 bytes:5');
    expect(lines[7 + 18]).toBe('='.repeat(67));
  });
});
