// frame.protocols against tshark 4.0.17 on every corpus capture (fixtures/frame-protocols/expected.json,
// made by scripts/frame-protocols-expected.mjs). A row may differ only where tshark's list goes on into a
// protocol wiretrace does not dissect (ours then ends there or says "data"), or where
// fixtures/frame-protocols/differences.json lists the row with its reason.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../dissectors/index.js';
import { frameProtocols } from '../../src/analysis/frame-protocols.js';
import { defaultAnalyzers } from '../../src/cli/analyzers.js';
import { openCapture } from '../../src/capture/open.js';
import { Dissection } from '../../src/dissect/chain.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const exp = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'frame-protocols', 'expected.json'), 'utf8')) as { files: Record<string, string[]> };
const DIFFS = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'frame-protocols', 'differences.json'), 'utf8')) as {
  file: string;
  frames: string;
  why: string;
}[];

/** The protocol names wiretrace's layers can give (a tshark name outside it is a protocol we do not dissect). */
const OURS = new Set([
  'eth', 'ethertype', 'vlan', 'ieee8021ad', 'sll', 'raw', 'null', 'ip', 'ipv6', 'ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr',
  'ipv6.dstopts', 'ah', 'arp', 'llc', 'icmp', 'icmpv6', 'igmp', 'tcp', 'mptcp', 'udp', 'teredo', 'dns', 'mdns', 'llmnr', 'http', 'ssdp', 'dhcp', 'tls', 'websocket', 'ssh', 'ntp', 'nbns', 'nbdgm', 'smb', 'browser', 'nbss', 'pfcp', 'resp', 'ldap', 'cldap', 'aoe', 'vxlan', 'x11',
  'db-lsp-disc', 'x509sat', 'x509ce', 'pkcs-1', 'pkix1implicit', 'pkix1explicit', 'data', 'data-text-lines', 'xml', 'json', 'sdp', 'mime_multipart', 'image-jfif', 'png', 'image-gif', 'urlencoded-form', 'media',
]);

function inFrames(spec: string, n: number): boolean {
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (n >= a && n <= (b ?? a)) return true;
  }
  return false;
}

async function ours(file: string): Promise<string[]> {
  const registry = defaultRegistry();
  const analyzers = defaultAnalyzers(registry);
  const dis = new Dissection(registry);
  const out: string[] = [];
  try {
    for await (const batch of await openCapture(file)) {
      for (const f of batch) {
        const p = dis.dissect(f);
        for (const a of analyzers) a.packet(p);
        out.push(frameProtocols(p));
      }
    }
  } catch {
    // a damaged file: the frames before the damage
  }
  return out;
}

describe('frame.protocols = tshark on the corpus', () => {
  let rows = 0, equal = 0, undissected = 0, listed = 0;
  for (const file of Object.keys(exp.files)) {
    it(file, async () => {
      const path = join(CORPUS_DIR, file);
      expect(existsSync(path)).toBe(true);
      const want = exp.files[file];
      const got = await ours(path);
      const bad: string[] = [];
      const n = Math.max(want.length, got.length);
      for (let i = 0; i < n; i++) {
        rows++;
        const t = want[i] ?? '', o = got[i] ?? '';
        if (t === o) {
          equal++;
          continue;
        }
        const tp = t.split(':'), op = o.split(':');
        const k = tp.findIndex((p) => !OURS.has(p));
        if (k >= 0 && op.slice(0, k).join(':') === tp.slice(0, k).join(':') && (op.length === k || (op.length === k + 1 && op[k] === 'data'))) {
          undissected++;
          continue;
        }
        if (DIFFS.some((d) => d.file === file && inFrames(d.frames, i + 1))) {
          listed++;
          continue;
        }
        bad.push(`frame ${i + 1}: tshark ${t} | wiretrace ${o}`);
      }
      expect(bad).toEqual([]);
    });
  }
  it('most rows are equal; the rest are protocols wiretrace does not dissect or listed', () => {
    // (runs after the per-file tests) corpus, 2026-11-27 21:31: 10,065 equal of 10,119, 22 undissected, 32 listed (AoE's row
    // equal since 21:45 on main; X.509's: the MariaDB certificate frame of pcapng-eth-sll-comments.pcapng)
    // (session 12: X11's 57 rows, DB-LSP-DISC's 7, NetBIOS's 13, XID's 3, PPPoE's and BJNP's moved from
    // undissected to equal, and the ICMP/IPv6 fixes from listed to equal; 9,933 equal at its start)
    expect(rows).toBeGreaterThan(9000);
    expect(equal / rows).toBeGreaterThan(0.975);
    expect(undissected).toBeGreaterThan(15);
    expect(listed).toBeLessThan(80);
    for (const d of DIFFS) expect(d.why.length, d.file).toBeGreaterThan(30);
  });
});

describe('frame.protocols in the CLI', () => {
  const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
  const DEMO = join(ROOT, 'fixtures', 'demo.pcapng');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' }).stdout;
  it('-e, the tree and -Y as tshark 4.0.17 on the demo capture', () => {
    const lines = run(['read', '-T', 'fields', '-e', 'frame.protocols', DEMO]).split('\n');
    expect([lines[0], lines[9], lines[11], lines[52]]).toEqual(['eth:ethertype:ip:udp:dns', 'eth:ethertype:ip:tcp:http', 'eth:ethertype:ip:tcp:http:data-text-lines', 'eth:ethertype:ip:icmp:data']);
    expect(run(['read', '-V', '-c', '1', DEMO])).toContain('    [Protocols in frame: eth:ethertype:ip:udp:dns]\n');
    expect(run(['read', '-Y', 'frame.protocols contains "http"', '-T', 'fields', '-e', 'frame.number', DEMO])).toBe('10\n12\n14\n39\n45\n46\n');
  });
  it('JSON and NDJSON carry them in the frame object', () => {
    for (const fmt of ['json', 'ndjson']) {
      const text = run(['read', '-T', fmt, '-c', '2', DEMO]);
      const pkts = fmt === 'json' ? JSON.parse(text) : text.trim().split('\n').map((l) => JSON.parse(l));
      expect(pkts[1].frame).toEqual({
        number: 2, time_epoch: '1795709203.983931245', len: 88, cap_len: 88, interface_id: 0, link_type: 1,
        time_delta: '0.001074843', time_relative: '0.001074843', protocols: 'eth:ethertype:ip:udp:dns',
      });
    }
  });
});
