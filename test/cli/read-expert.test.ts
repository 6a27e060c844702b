// `wiretrace read FILE -q -z expert[,LEVEL][,FILTER]` against tshark 4.0.17's expert summary
// (fixtures/expert/*.txt, written by scripts/expert-expected.sh): byte for byte. NAME@N.txt is the
// output for the argument in NAME@N.arg. Also the _ws.expert fields and filters, and the captures known
// to differ (with why), so a change that makes one of them equal shows up here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpertArg, ExpertStat, CHAT, NOTE, WARN, ERROR, COMMENT, G_SEQUENCE } from '../../src/analysis/expert.js';
import { runCli } from '../helpers/cli.js';
import { corpusCapture } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'expert');

describe('read -z expert equals tshark', () => {
  const files = readdirSync(FIX).filter((f) => f.endsWith('.txt')).sort();
  it('has the expected outputs', () => expect(files.length).toBe(40));
  it('lists every capture known to differ', () => expect(readdirSync(join(FIX, 'known-different')).map((f) => f.slice(0, -4)).sort()).toEqual(Object.keys(KNOWN_DIFFERENT).sort()));
  for (const f of files) {
    const base = f.slice(0, -4);
    const at = base.indexOf('@');
    const name = at < 0 ? base : base.slice(0, at);
    const argFile = join(FIX, base + '.arg');
    const z = existsSync(argFile) ? readFileSync(argFile, 'utf8').trim() : 'expert';
    it(`${name} -z ${z}`, async () => {
      const r = await runCli(['read', corpusCapture(name), '-q', '-z', z]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(FIX, f), 'utf8'));
    });
  }
});

/**
 * Captures whose expert summary differs from tshark's, and why (docs/statistics.md). Each is checked
 * to still differ: if one becomes equal, move it to scripts/expert-expected.sh.
 */
const KNOWN_DIFFERENT: Record<string, string> = {
  'tcp-zero-window-keepalive-probes': 'wiretrace names 1-byte probes into a zero window "TCP Zero Window Probe" (and their ACKs), tshark 4.0 "TCP keep-alive segment"',
  'dns-tcp-axfr': 'DNS "Extraneous data" on the AXFR query (its length prefix counts 2 bytes more than the segment has) is not reported',
  'http-chunked-response-jpeg': 'no JFIF (JPEG) image items: wiretrace does not dissect image bodies',
  'ipv6-options-ospf-icmpv6-mld': 'IPv6 Destination option "Unknown Data (not interpreted)" is not reported',
  'malformed-dns-forward-pointer': 'tshark throws deep in a record wiretrace reads to the end: no Malformed item',
  'malformed-ipv6-ext-header-truncated': 'tshark names the extension header ("IPv6 Hop-by-Hop") and warns on the payload length first',
  'malformed-ipv6-frag-negative-length': 'tshark throws in the "IPv6 Fragment" header; wiretrace shows no exception there',
  'malformed-pcap-usec-ge-1e6': 'wiretrace normalises a fractional second of 1000000000; tshark notes it as invalid',
  'mixed-browsing-dns-http': 'one HTTP response line fewer (a response tshark parses from a retransmitted segment)',
  'mixed-wireshark-samples-nrb': 'mDNS retransmission pairing differs on a few queries; no Teredo/other items',
  'pcapng-11if-eth-null-raw': 'TLS session resumption note is not reported',
  'pcapng-be-raw-ipv4-udp': 'PFCP "IE not decoded yet" / "Malformed IMSI" items are not reported',
  'pcapng-eth-sll-comments': 'X11 "Bogus request length (0)": wiretrace does not read those requests\' lengths as 0',
  'tcp-dup-ack-sack-http': 'HTTP "Illegal characters found in header name" is not reported',
  'tcp-seq-wraparound-http': 'TCP reassembly "New fragment overlaps old data (retransmission?)" is not reported',
};

describe('read -z expert: captures known to differ from tshark', () => {
  for (const [name, why] of Object.entries(KNOWN_DIFFERENT)) {
    it(`${name}: ${why}`, async () => {
      const r = await runCli(['read', corpusCapture(name), '-q', '-z', 'expert']);
      expect(r.code).toBe(0);
      expect(r.out).not.toBe(readFileSync(join(FIX, 'known-different', name + '.txt'), 'utf8'));
    });
  }
});

describe('-z expert argument and table', () => {
  it('reads the level (any case) and the filter as tshark does', () => {
    expect(parseExpertArg('expert')).toEqual({ level: COMMENT, filter: '' });
    expect(parseExpertArg('expert,Warn')).toEqual({ level: WARN, filter: '' });
    expect(parseExpertArg('expert,note,tcp.port == 80')).toEqual({ level: NOTE, filter: 'tcp.port == 80' });
    expect(parseExpertArg('expert,tcp')).toEqual({ level: COMMENT, filter: 'tcp' });
    expect(parseExpertArg('io,phs')).toBeNull();
  });

  it('groups by severity, counts (protocol, summary) pairs in order of first sight, right-aligns the columns', () => {
    const s = new ExpertStat(CHAT);
    s.add({ severity: CHAT, group: G_SEQUENCE, protocol: 'TCP', summary: 'b' });
    s.add({ severity: ERROR, group: 0x07000000, protocol: 'DNS', summary: 'x' });
    s.add({ severity: CHAT, group: G_SEQUENCE, protocol: 'HTTP', summary: 'a' });
    s.add({ severity: CHAT, group: G_SEQUENCE, protocol: 'TCP', summary: 'b' });
    s.add({ severity: COMMENT, group: 0x0b000000, protocol: 'Frame', summary: 'below the level' });
    s.add({ severity: NOTE, group: G_SEQUENCE, protocol: 'TCP', summary: 'quoted', quoted: true });
    expect(s.text()).toBe(
      '\nErrors (1)\n=============\n   Frequency      Group           Protocol  Summary\n' +
        '           1  Malformed                DNS  x\n' +
        '\nChats (3)\n=============\n   Frequency      Group           Protocol  Summary\n' +
        '           2   Sequence                TCP  b\n' +
        '           1   Sequence               HTTP  a\n',
    );
  });
});

describe('_ws.expert fields', () => {
  it('-T fields: message, severity and group as tshark prints them (one occurrence per item)', async () => {
    const r = await runCli(['read', corpusCapture('http-get-simple'), '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message', '-e', '_ws.expert.severity', '-e', '_ws.expert.group', '-Y', 'tcp.flags.fin == 1']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      '12\tConnection finish (FIN),This frame initiates the connection closing\t2097152,4194304\t33554432,33554432\n' +
        '13\tConnection finish (FIN),This frame undergoes the connection closing\t2097152,4194304\t33554432,33554432\n',
    );
  });

  it('-e _ws.expert: the "Expert Info (Severity/Group): text" label', async () => {
    const r = await runCli(['read', corpusCapture('tcp-refused-rst'), '-T', 'fields', '-e', '_ws.expert']);
    expect(r.out).toBe('Expert Info (Chat/Sequence): Connection establish request (SYN): server port 80\nExpert Info (Warning/Sequence): Connection reset (RST)\n');
  });

  it('-Y _ws.expert and a severity (numeric, as -T fields shows it)', async () => {
    const all = await runCli(['read', corpusCapture('http-get-simple'), '-Y', '_ws.expert', '-T', 'fields', '-e', 'frame.number']);
    expect(all.out).toBe('1\n2\n4\n9\n12\n13\n');
    const warn = await runCli(['read', corpusCapture('tcp-refused-rst'), '-Y', '_ws.expert.severity == 6291456', '-T', 'fields', '-e', 'frame.number']);
    expect(warn.out).toBe('2\n');
  });
});

describe('-z expert on the command line', () => {
  it('a -z filter may name _ws.expert (io,stat counts the packets with a warning, as tshark)', async () => {
    const r = await runCli(['read', corpusCapture('tcp-fast-retransmit-dupacks'), '-q', '-z', 'io,stat,0,_ws.expert.severity == 6291456']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('|  0.0 <> 61.0 |      1 |    54 |       |\n');
  });

  it('a bad filter is a one-line usage error', async () => {
    const bad = await runCli(['read', corpusCapture('http-get-simple'), '-q', '-z', 'expert,warn,tcp.port ==']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^wiretrace: bad display filter \(-z expert\) "tcp.port ==": [^\n]*\n$/);
  });

  it('with packets: the table, then the summary', async () => {
    const r = await runCli(['read', corpusCapture('tcp-refused-rst'), '-z', 'expert,warn']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[RST, ACK\][^\n]*\n\nWarns \(1\)\n=============\n   Frequency      Group           Protocol  Summary\n           1   Sequence                TCP  Connection reset \(RST\)\n$/);
  });
});
