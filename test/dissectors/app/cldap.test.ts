// Connectionless LDAP (dissectors/cldap.ts over dissectors/ldap.ts) and the netlogon answer of an Active
// Directory LDAP ping (dissectors/mscldap.ts) against tshark 4.0.17: fixtures/cldap.pcap
// (scripts/cldap-fixture.py: pings and their answers with opcodes 23, 19, 25 and a value too short to
// read, every flag bit both ways, a filter by DomainGuid with binary values, a short NtVer, entries and
// the result in one datagram, an error result, abandon, an unanswered request, an answer to an unknown
// ID, a message cut by its datagram, a length that lies, a stray byte, an empty datagram) in columns,
// frame.protocols, ldap.* and every mscldap.* key, and the tree of the pings' answers
// (scripts/cldap-fixture.sh); prefixes and mutations of the answers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { udpFrame } from '../../helpers/packets.js';
import { expectClean } from '../../helpers/problems.js';

const CAP = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'cldap.pcap');
const NAMED = '[Malformed Packet: length of contained item exceeds length of containing item]';

/** The CLDAP layers of `tshark -V` text (wiretrace writes its problems as expert lines inside the layer, tshark a line of its own). */
function cldapTrees(text: string): string[] {
  const out: string[] = [];
  let on = false;
  for (const l of text.split('\n')) {
    if (l.startsWith('Connectionless Lightweight')) on = true;
    else if (l !== '' && !l.startsWith(' ')) on = false;
    if (on && l !== '' && !/^ {4}\[(Expert Info|Severity level|Group|LDAP:)/.test(l) && !/^ {8}\[(LDAP:|Severity level|Group)/.test(l)) out.push(l);
  }
  return out;
}

describe('CLDAP and the LDAP ping as tshark 4.0 shows them', () => {
  it('cldap.pcap: every cell equal but the malformed suffix tshark words', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    for (const s of [
      'CLDAP\tsearchRequest(1) "<ROOT>" baseObject \teth:ethertype:ip:udp:cldap\t1\t3\t',
      'CLDAP\tsearchResEntry(2) "cn=WS01,dc=corp,dc=example,dc=com" searchResEntry(2) "cn=WS02,dc=corp,dc=example,dc=com" searchResDone(2) success  [2 results]\t',
      'CLDAP\tsearchResDone(3) noSuchObject (no such object)  [0 results]\t',
      '\tdc01.corp.example.com\tCORP\tDC01\t<Root>\tDefault-First-Site-Name\tDefault-First-Site-Name\t',
      '\t0xfffc0c02\t1\t1\t1\t0\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t',
      'DomainGuid,User,AAC,NtVer\t01:02:61:62:ff,10:00:00:00\t10b8a76b-ad9d-d111-80b4-00c04fd430c8\t',
      'UDP\t52010 → 389 Len=0\teth:ethertype:ip:udp\t',
    ]) {
      expect(want).toContain(s);
    }
    // a message cut by the end of its datagram: tshark names the exception, wiretrace writes [Malformed Packet]
    expect(want).toContain(`searchRequest(1) "<ROOT>" baseObject ${NAMED}`);
    expect(await fieldsOf(CAP, want)).toBe(want.replace(NAMED, '[Malformed Packet]'));
  });

  it('the trees of the pings and their answers (netlogon values decoded, the label limits) equal tshark -V', async () => {
    const want = cldapTrees(readFileSync(CAP + '.pings.tshark.txt', 'utf8'));
    let got = '';
    for (const n of [2, 3, 5, 6]) got += (await runCli(['read', '-V', '--no-color', '-Y', `frame.number == ${n}`, CAP])).out;
    expect(want.length).toBeGreaterThan(200);
    expect(want).toContain('                            Username: <Root>');
    expect(want.some((l) => l.endsWith('…'))).toBe(true);
    expect(cldapTrees(got)).toEqual(want);
  });

  it('display filters reach the netlogon fields; -z io,phs counts cldap', async () => {
    const r = await runCli(['read', '-Y', 'mscldap.hostname == "dc01.corp.example.com" && cldap', '-T', 'fields', '-e', 'frame.number', '-e', 'mscldap.netlogon.flags.pdc', CAP]);
    expect(r.out).toBe('3\t1\n');
    const phs = await runCli(['read', '-q', '-z', 'io,phs', CAP]);
    expect(phs.out).toContain('      cldap                              frames:16 bytes:2106\n        _ws.malformed                    frames:3 bytes:283\n');
  });

  it('every prefix of the answers, and 1,500 mutations of them (seeded): no dissector error', () => {
    const frames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames as Frame[];
    const reg = defaultRegistry();
    const answers = [3, 5, 6, 7].map((n) => frames[n - 1].data.slice(42));
    for (const a of answers) {
      for (let k = 0; k <= a.length; k++) expectClean(new Dissection(reg).dissect(udpFrame(389, 52001, a.subarray(0, k))));
    }
    let seed = 389;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 1500; i++) {
      const m = answers[i % answers.length].slice();
      for (let j = 0, n = 1 + (rnd() % 4); j < n; j++) m[(rnd() << 8 | rnd()) % m.length] = rnd();
      const pkt = new Dissection(reg).dissect(udpFrame(389, 52001, m));
      expectClean(pkt);
    }
  });
});
